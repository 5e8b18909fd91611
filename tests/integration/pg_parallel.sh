#!/usr/bin/env bash
# New bronze partitions are written by a second connection (the load's worker) and attached in
# the load's transaction: bronze and silver must be the same, row for row, as when one
# connection writes all (parallel=off, and a pool of one); partitions that exist and new ones in
# one load; the standalone tables a failed load's worker left behind are dropped by the next
# load of the source.
#
# env: SLUICE (binary under test), PGHOST/PGUSER (the test server tests/run starts).
set -euo pipefail
bin=${SLUICE:?}
: "${PGHOST:?PGHOST must name the test PostgreSQL server}"
tmp=$(mktemp -d)
dbs="par_$$ one_$$ pool_$$"
trap 'rm -rf "$tmp"; for d in $dbs; do psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true; done' EXIT
cd "$tmp"
for d in $dbs; do psql -XqAt -d postgres -c "CREATE DATABASE $d"; done
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
q() { psql -XqAt -d "$1" -c "$2"; }
# everything a load wrote, but the time of its transaction
bronze() { q "$1" "select raw_id, load_id, row_num, line, byte_offset, source_timestamp, validation_status, errors, raw_data, raw_bytes, tableoid::regclass from bronze.ev order by raw_id"; }
silver() { q "$1" "select * from ev order by id"; }
layout() { q "$1" "select c.relname, (select count(*) from pg_index x where x.indrelid = c.oid) from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'bronze.ev'::regclass order by 1"; }
load() { # db params file
    "$bin" load "$3" --source ev --timestamp at --db "postgresql:///$1?$2" --quiet
}

# 3 months, rows without a timestamp, an invalid row (its errors travel as jsonb), a cell with a
# tab and a backslash (no escaping in COPY's binary format). The timestamps are ISO dates and
# datetimes (two-digit days): a --timestamp field of another type is refused (issue 14)
{
    echo 'id,at,n'
    for i in $(seq 1 3000); do
        case $((i % 4)) in
        0) printf '%d,2025-11-%02dT10:00:00Z,%d\n' "$i" $((i % 28 + 1)) "$i" ;;
        1) printf '%d,2025-12-%02dT23:30:00-01:00,%d\n' "$i" $((i % 28 + 1)) "$i" ;;
        2) echo "$i,,$i" ;;
        3) echo "$i,2026-01-0$((i % 9 + 1)),\"a	b\\\\c $i\"" ;;
        esac
    done
} >a.csv
{
    echo 'id,at,n'
    for i in $(seq 3001 4000); do echo "$i,2026-0$((i % 3 + 1))-15T12:00:00Z,$i"; done
} >b.csv

for f in a.csv b.csv; do
    load "par_$$" "" $f
    load "one_$$" "parallel=off" $f
    load "pool_$$" "pool_size=1" $f
done
[ "$(q "par_$$" "select count(*) from bronze.ev")" = 4000 ] || fail "bronze has $(q "par_$$" "select count(*) from bronze.ev") rows"
for d in "one_$$" "pool_$$"; do
    [ "$(bronze "par_$$")" = "$(bronze $d)" ] || fail "bronze differs from $d"
    [ "$(silver "par_$$")" = "$(silver $d)" ] || fail "silver differs from $d"
    [ "$(layout "par_$$")" = "$(layout $d)" ] || fail "partitions or indexes differ from $d"
done
[ "$(layout "par_$$")" = $'ev@2025-11|3\nev@2025-12|3\nev@2026-01|3\nev@2026-02|3\nev@2026-03|3\nev@default|3' ] ||
    fail "layout: $(layout "par_$$")"
[ "$(q "par_$$" "select count(*) from bronze.ev where raw_data @> '[\"2001\"]'")" = 1 ] || fail "GIN search"
echo "parallel, parallel=off and pool_size=1 write the same bronze and silver: ok"

# a failed load's worker left a standalone table behind: the next load drops it, and can then
# make that month's partition itself
q "par_$$" 'CREATE TABLE bronze."ev@2030-01" (LIKE bronze.ev INCLUDING ALL)'
printf 'id,at,n\n9001,2030-01-02,x\n' >c.csv
out=$("$bin" load c.csv --source ev --timestamp at --db "postgresql:///par_$$" 2>&1) || fail "load after an orphan: $out"
grep -q 'ev: dropping 1 bronze table(s) a failed load left behind' <<<"$out" || fail "no message: $out"
[ "$(q "par_$$" "select row_num from bronze.\"ev@2030-01\" where load_id = (select max(load) from sluice.loads)")" = 1 ] ||
    fail "row of 2030-01"
[ "$(q "par_$$" "select relispartition from pg_class where relname = 'ev@2030-01'")" = t ] || fail "2030-01 not attached"
echo "a failed load's standalone tables are dropped by the next load: ok"

loads() { q "par_$$" "select count(*) from sluice.loads where status = 'committed'"; }
# another session holds the lock ATTACH needs on bronze.ev (the worker's CREATE ... LIKE and
# COPYs do not need it), so that a load stops right before it attaches its new partitions
hold_attach_lock() {
    psql -XqAt -d "par_$$" -c 'BEGIN' -c 'LOCK TABLE bronze.ev IN SHARE UPDATE EXCLUSIVE MODE' \
        -c 'SELECT pg_sleep(60)' >/dev/null 2>&1 &
    locker=$!
    for _ in $(seq 300); do
        [ "$(q "par_$$" "select count(*) from pg_locks where relation = 'bronze.ev'::regclass and mode = 'ShareUpdateExclusiveLock' and granted")" = 1 ] && break
        sleep 0.1
    done
}
await_attach() { # the load waits for that lock once its worker committed the partition
    for _ in $(seq 300); do
        [ "$(q "par_$$" "select count(*) from pg_locks where relation = 'bronze.ev'::regclass and not granted")" = 1 ] && break
        sleep 0.1
    done
}
release_attach_lock() {
    kill $locker 2>/dev/null || true
    q "par_$$" "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and query like '%pg_sleep%'" >/dev/null
    wait $locker 2>/dev/null || true
}

# killed between the worker's commit and the load's: the load waits to attach its new partition
# (another session holds the lock ATTACH needs), is killed there, and leaves nothing in bronze,
# silver or the catalog but the standalone table, which the next load drops before it loads the
# input again, once
before=$(loads)
printf 'id,at,n\n9101,2031-01-02,k1\n9102,2031-01-03,k2\n' >k.csv
hold_attach_lock
"$bin" load k.csv --source ev --timestamp at --db "postgresql:///par_$$" --quiet &
victim=$!
await_attach
[ "$(q "par_$$" "select relispartition from pg_class where relname = 'ev@2031-01'")" = f ] ||
    fail "the worker's table is not there, standalone, while the load waits"
kill -9 $victim
wait $victim 2>/dev/null || true
release_attach_lock
for _ in $(seq 100); do # the killed load's server process rolls back and ends
    [ "$(q "par_$$" "select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()")" = 0 ] && break
    sleep 0.1
done
[ "$(loads)" = "$before" ] || fail "the killed load is in the catalog"
[ "$(q "par_$$" "select count(*) from bronze.ev where row_num > 0 and raw_data->>0 = '9101'")" = 0 ] || fail "the killed load's rows are in bronze"
[ "$(q "par_$$" "select count(*) from ev where id = 9101")" = 0 ] || fail "the killed load's rows are in silver"
out=$("$bin" load k.csv --source ev --timestamp at --db "postgresql:///par_$$" 2>&1) || fail "load after the kill: $out"
grep -q 'dropping 1 bronze table(s) a failed load left behind' <<<"$out" || fail "no message: $out"
[ "$(loads)" = $((before + 1)) ] || fail "not loaded once after the kill"
[ "$(q "par_$$" "select count(*) from bronze.ev where raw_data->>0 in ('9101', '9102')")" = 2 ] || fail "bronze after the kill"
[ "$(q "par_$$" "select count(*) from ev where id in (9101, 9102)")" = 2 ] || fail "silver after the kill"
echo "killed after the worker's commit: nothing visible, the next load cleans up and loads once: ok"

# interrupted (SIGINT) while it attaches: the load still rolls back, as sluice says, and drops
# the table its worker made
before=$(loads)
printf 'id,at,n\n9201,2032-01-02,i1\n' >i.csv
hold_attach_lock
"$bin" load i.csv --source ev --timestamp at --db "postgresql:///par_$$" --quiet 2>i.err &
victim=$!
await_attach
kill -INT $victim
sleep 0.5
release_attach_lock
st=0
wait $victim || st=$?
[ $st = 3 ] || fail "interrupted load: exit $st: $(cat i.err)"
grep -q 'interrupted; the load in progress was rolled back' i.err || fail "no message: $(cat i.err)"
[ "$(loads)" = "$before" ] || fail "the interrupted load committed"
[ "$(q "par_$$" "select count(*) from pg_class where relname = 'ev@2032-01'")" = 0 ] || fail "its worker's table is left"
echo "interrupted while attaching: rolled back, its table dropped: ok"
