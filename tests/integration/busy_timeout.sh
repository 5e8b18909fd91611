#!/usr/bin/env bash
# Two writers on one SQLite store: the second waits for the first (the busy timeout, default
# 10 minutes), says so on stderr after a second, and loads once the first has finished; with a
# short --busy-timeout (or busy_timeout: in sluice.yaml) it gives up with a message that says
# why, exit 3, nothing loaded.
set -euo pipefail
bin=${SLUICE:?}
rel=${SLUICE_RELEASE:?}
dir=$(mktemp -d)
holder=
trap '[ -n "$holder" ] && kill "$holder" 2>/dev/null; rm -rf "$dir"' EXIT
cd "$dir"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
locked() { ! sqlite3 -cmd '.timeout 0' "$1" 'BEGIN IMMEDIATE; ROLLBACK;' >/dev/null 2>&1; }
wait_locked() { # db: until another process holds its write lock, seen twice 0.2 s apart (a
    # load's long write transaction, not the moment a run is recorded) (at most 30 s)
    for _ in $(seq 150); do
        locked "$1" && sleep 0.2 && locked "$1" && return 0
        sleep 0.05
    done
    fail "$1 was never locked"
}
printf 'id,v\n1,a\n2,b\n' >small.csv
"$bin" --db s.db load small.csv --source first --quiet

# another program holds the write lock for 12 s, longer than the 10 s after which a load used to
# fail with "database is locked" (issue 13, item 15): the load waits, says so, then commits
(printf 'BEGIN IMMEDIATE;\nCREATE TABLE held(a);\n.shell sleep 12\nCOMMIT;\n' | sqlite3 s.db) &
holder=$!
wait_locked s.db
start=$(date +%s%N)
"$bin" --db s.db load small.csv --source waited >out 2>err || fail "the waiting load failed: $(cat err)"
took=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
wait "$holder"
holder=
grep -q 'waited: load [0-9]* committed: 2 rows' out || fail "the waiting load did not commit: $(cat out err)"
grep -q 's.db: waiting for another load to finish (the database is locked; giving up after 600 s, see --busy-timeout)' err ||
    fail "no waiting message: $(cat err)"
awk -v t="$took" 'BEGIN { exit !(t > 10.5) }' || fail "the load did not wait ($took s)"
echo "locked 12 s: waited ${took} s, said so, committed"

# --busy-timeout 1s: gives up after a second with a clear message, nothing loaded
(printf 'BEGIN IMMEDIATE;\nCREATE TABLE held2(a);\n.shell sleep 4\nCOMMIT;\n' | sqlite3 s.db) &
holder=$!
wait_locked s.db
rc=0
"$bin" --db s.db --busy-timeout 1s load small.csv --source gaveup >out 2>err || rc=$?
[ "$rc" = 3 ] || fail "exit $rc instead of 3 after the busy timeout: $(cat out err)"
grep -q 'the database stayed locked by another load or program for 1 s (the busy timeout); try again when it has finished, or wait longer with --busy-timeout' err ||
    fail "unclear busy-timeout message: $(cat err)"
wait "$holder"
holder=
[ "$(sqlite3 s.db "select count(*) from sluice_loads where source = 'gaveup'")" = 0 ] || fail "a load of gaveup was recorded"
echo "--busy-timeout 1s: exit 3, $(grep -o 'stayed locked.*' err | cut -c1-60)..."

# the same from sluice.yaml, and a bad value is a config error
(printf 'BEGIN IMMEDIATE;\nCREATE TABLE held3(a);\n.shell sleep 4\nCOMMIT;\n' | sqlite3 s.db) &
holder=$!
wait_locked s.db
printf 'store: sqlite:s.db\nbusy_timeout: 1s\nsources:\n  cfg:\n    input: small.csv\n' >sluice.yaml
rc=0
"$bin" run >out 2>err || rc=$?
[ "$rc" = 3 ] && grep -q 'for 1 s (the busy timeout)' err || fail "busy_timeout: in sluice.yaml not used (exit $rc): $(cat err)"
wait "$holder"
holder=
printf 'store: sqlite:s.db\nbusy_timeout: soon\nsources:\n  cfg:\n    input: small.csv\n' >sluice.yaml
rc=0
"$bin" run >out 2>err || rc=$?
[ "$rc" = 2 ] && grep -q 'sluice.yaml:2: busy_timeout: expected a duration' err || fail "bad busy_timeout (exit $rc): $(cat err)"
rm sluice.yaml
echo "busy_timeout: in sluice.yaml: used; a bad value is exit 2"

# two sluice loads at once: the second waits for the first's write transaction, both commit
awk 'BEGIN { print "id,name,value"; for (i = 1; i <= 3000000; i++) printf "%d,name %d,%d.5\n", i, i % 977, i % 1000 }' >big.csv
"$rel" --db two.db load small.csv --source other --quiet
"$rel" --db two.db load big.csv >a.out 2>a.err &
a=$!
wait_locked two.db
rc=0
"$bin" --db two.db load small.csv --source second >b.out 2>b.err || rc=$?
wait "$a" || fail "the big load failed: $(cat a.out a.err)"
[ "$rc" = 0 ] || fail "the second load failed (exit $rc): $(cat b.out b.err)"
grep -q 'big: load 2 committed: 3000000 rows' a.out || fail "big: $(cat a.out a.err)"
grep -q 'second: load 3 committed: 2 rows' b.out || fail "second: $(cat b.out b.err)"
echo "two loads at once: both committed, the second after the first$(grep -q waiting b.err && echo ' (it said it waited)')"
