#!/usr/bin/env bash
# Crash safety on SQLite: kill -9 a load of a ~60 MB CSV at several points (while types are
# inferred, while rows are written, around the commit); after each kill the database must be
# intact and hold either the whole load (committed, every row) or none of it. Then a load to
# completion commits once, a repeat is skipped, and silver matches a clean load's content.
#
# env: SLUICE_RELEASE (release binary). Only outcomes are asserted; the delays only vary where
# the kill lands.
set -euo pipefail

bin=${SLUICE_RELEASE:?SLUICE_RELEASE must name the release sluice binary}
tmp=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
q() { sqlite3 "$1" "$2"; }
has_table() { [ "$(q "$1" "select count(*) from sqlite_master where type='table' and name='$2'")" = 1 ]; }

n=1500000
awk -v n=$n 'BEGIN {
    print "id,name,amount,day"
    for (i = 1; i <= n; i++)
        printf "%d,name_%d_xyz,%d.%02d,2024-%02d-%02d\n", i, i, i % 100000, i % 100, i % 12 + 1, i % 28 + 1
}' >big.csv
echo "generated big.csv: $n rows, $(wc -c <big.csv) bytes"

# The state of db after a kill: intact, and the load either all there or not there at all.
# Prints "committed" or "none".
check_state() {
    local db=$1 ic committed rows valid silver bronze
    [ -e "$db" ] || {
        echo "none"
        return 0
    }
    ic=$(q "$db" 'pragma integrity_check') || fail "sqlite3 cannot open $db after the kill"
    [ "$ic" = ok ] || fail "integrity_check after the kill: $ic"
    committed=0
    if has_table "$db" sluice_loads; then
        committed=$(q "$db" "select count(*) from sluice_loads where status='committed'")
    fi
    silver=0
    if has_table "$db" big; then silver=$(q "$db" 'select count(*) from big'); fi
    bronze=0
    if has_table "$db" bronze_big; then bronze=$(q "$db" 'select count(*) from bronze_big'); fi
    case $committed in
    0)
        [ "$silver" = 0 ] || fail "no committed load, but silver big has $silver rows"
        [ "$bronze" = 0 ] || fail "no committed load, but bronze_big has $bronze rows"
        echo "none"
        ;;
    1)
        IFS='|' read -r rows valid < <(q "$db" \
            "select rows, valid from sluice_loads where status='committed'")
        { [ "$rows" = $n ] && [ "$valid" = $n ]; } ||
            fail "a committed load with rows=$rows valid=$valid, the file has $n"
        [ "$silver" = $n ] || fail "committed load, but silver big has $silver rows, not $n"
        [ "$bronze" = $n ] || fail "committed load, but bronze_big has $bronze rows, not $n"
        echo "committed"
        ;;
    *) fail "$committed committed loads after one interrupted load" ;;
    esac
}

# Fixed seed; one delay in each of six slots from 0.3 s to 2.1 s (the last ones land around the
# commit and the checkpoint on a fast machine, still in the writing on a slow one).
mapfile -t delays < <(awk 'BEGIN { srand(20261123); for (i = 0; i < 6; i++) printf "%.2f\n", 0.3 + i * 0.3 + rand() * 0.3 }')

catalog() { # the loads by status, e.g. "committed:1 failed:2", for the log
    if [ -e "$1" ] && has_table "$1" sluice_loads; then
        q "$1" "select group_concat(status || ':' || c, ' ') from
                (select status, count(*) as c from sluice_loads group by status)"
    fi
}

db=db
gen=0
for d in "${delays[@]}"; do
    "$bin" load big.csv --db "sqlite:$db" >load.out 2>load.err &
    pid=$!
    sleep "$d"
    wal=$(stat -c %s "$db-wal" 2>/dev/null || echo 0)
    kill -9 "$pid" 2>/dev/null || true
    st=0
    { wait "$pid"; } 2>/dev/null || st=$?
    pid=
    state=$(check_state "$db")
    echo "kill -9 after ${d}s (WAL then $wal bytes): exit status $st; after: integrity ok," \
        "load $state; catalog [$(catalog "$db")]"
    if [ "$st" = 0 ] && [ "$state" != committed ]; then
        fail "the load exited 0 but nothing is committed: $(cat load.out load.err)"
    fi
    if [ "$state" = committed ]; then
        # a load that got to commit before the kill: go on crashing loads into a fresh database
        gen=$((gen + 1))
        db=db$gen
    fi
done

# Now to completion, into the database that saw the kills (or a fresh one after a commit).
st=0
"$bin" load big.csv --db "sqlite:$db" --output json >load.json 2>load.err || st=$?
[ $st = 0 ] || fail "the full load exited $st: $(cat load.err)"
grep -q '"status":"committed"' load.json || fail "the full load did not commit: $(cat load.json)"
[ "$(check_state "$db")" = committed ] || fail "after the full load nothing is committed"
[ "$(q "$db" "select count(*) from sluice_loads where status='committed'")" = 1 ] ||
    fail "the full load is not committed exactly once"
echo "full load: committed once, $n rows, silver $(q "$db" 'select count(*) from big') rows"

st=0
"$bin" load big.csv --db "sqlite:$db" --output json >again.json 2>again.err || st=$?
[ $st = 0 ] || fail "loading the same file again exited $st: $(cat again.err)"
grep -q '"status":"skipped"' again.json || fail "the same file again was not skipped: $(cat again.json)"
[ "$(q "$db" "select count(*) from sluice_loads where status='skipped'")" = 1 ] ||
    fail "no 'skipped' load in the catalog"
[ "$(q "$db" "select count(*) from sluice_loads where status='committed'")" = 1 ] ||
    fail "the repeat added a committed load"
[ "$(q "$db" 'select count(*) from big')" = $n ] || fail "the repeat changed silver"
echo "the same file again: skipped, silver unchanged"

# Content: the same as a clean load into a fresh database (_load may differ, the rest may not).
content() {
    q "$1" "select quote(id) || '|' || quote(name) || '|' || quote(amount) || '|' || quote(day)
            || '|' || _row from big order by _row" | sha256sum | cut -c1-64
}
"$bin" load big.csv --db sqlite:clean.db --quiet >/dev/null 2>clean.err ||
    fail "the clean load failed: $(cat clean.err)"
a=$(content "$db")
b=$(content clean.db)
[ "$a" = "$b" ] || fail "silver after the kills ($a) differs from a clean load ($b)"
echo "silver content after the kills = clean load: $a"
echo "kill_midload: ok"
