#!/usr/bin/env bash
# Two sluice processes load the same file into the same PostgreSQL source at the same time:
# loads of one source take turns (an advisory lock), the second one says it waits, then finds
# the input loaded and skips it. One committed load, one skipped, silver holds each row once.
# A second source is not held up by the first one's lock.
#
# env: SLUICE_RELEASE, PGHOST/PGUSER (the test server tests/run starts).
set -euo pipefail
bin=${SLUICE_RELEASE:?}
: "${PGHOST:?PGHOST must name the test PostgreSQL server}"
tmp=$(mktemp -d)
db=conc_$$
trap 'rm -rf "$tmp"; psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
cd "$tmp"
psql -XqAt -d postgres -c "CREATE DATABASE $db"
export SLUICE_DB="postgresql:///$db"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
q() { psql -XqAt -d "$db" -c "$1"; }

n=300000
awk -v n=$n 'BEGIN { print "id,name,amount"; for (i = 1; i <= n; i++) printf "%d,name_%d,%d.5\n", i, i, i % 1000 }' >big.csv
"$bin" load big.csv --primary-key id --quiet # creates the source; the file below is new
awk -v n=$n 'BEGIN { print "id,name,amount"; for (i = 1; i <= n; i++) printf "%d,other_%d,%d.25\n", i, i, i % 1000 }' >big2.csv

# The first process holds the source's lock from the start; the second waits for it. Which one
# gets it first does not matter: the outcome must be one committed load, one skipped.
"$bin" load big2.csv --source big >a.out 2>&1 &
a=$!
"$bin" load big2.csv --source big >b.out 2>&1 &
b=$!
sa=0
sb=0
wait $a || sa=$?
wait $b || sb=$?
cat a.out b.out
[ $sa = 0 ] && [ $sb = 0 ] || fail "exit statuses $sa and $sb"
[ "$(grep -c 'committed' a.out b.out | awk -F: '{ s += $2 } END { print s }')" = 1 ] ||
    fail "not exactly one committed load"
grep -q 'skipped: same input already loaded' a.out b.out || fail "no skipped load"
grep -q 'waiting for another load of this source' a.out b.out ||
    echo "note: the second process came after the first had finished (no wait this time)"
[ "$(q "select count(*) from sluice.loads where source = 'big' and status = 'committed'")" = 2 ] ||
    fail "committed loads: $(q "select load, status, input from sluice.loads")"
[ "$(q 'select count(*) from big')" = $n ] || fail "silver rows: $(q 'select count(*) from big')"
[ "$(q "select count(*) from big where name like 'other_%'")" = $n ] || fail "silver is not the second file"
[ "$(q 'select count(*) from bronze.big')" = $((2 * n)) ] || fail "bronze rows: $(q 'select count(*) from bronze.big')"

# Deterministic: hold the source's lock from psql, then a load must wait and say so.
printf 'id,name,amount\n1,x,1\n' >small.csv
psql -XqAt -d "$db" -c "SELECT pg_advisory_lock(1936483173, hashtext('big')); SELECT pg_sleep(3)" >/dev/null &
holder=$!
sleep 1
"$bin" load small.csv --source big >c.out 2>&1
wait $holder
cat c.out
grep -q 'big: waiting for another load of this source to finish' c.out || fail "the waiting load did not say so"
grep -q 'committed' c.out || fail "the load after the wait did not commit"
# another source does not wait
"$bin" load small.csv --source other >d.out 2>&1
! grep -q waiting d.out || fail "another source waited"
echo "pg_concurrent: ok"
