#!/usr/bin/env bash
# What the store can hold (issue 13, item 4): a record over SQLite's length limit was stored as
# NULL in bronze and silver and counted valid (and every later rebuild failed). Now such a
# record is an invalid row with its reason, its first KiB kept in bronze; max_record_size
# cannot be set above what the store holds (exit 2). SQLite's limit (10^9 bytes) is lowered
# for real with SLUICE_SQLITE_MAX_LENGTH (sqlite3_limit), so no gigabyte is needed.
#
# env: SLUICE (binary under test).
set -euo pipefail
bin=${SLUICE:?SLUICE must name the sluice binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
q() { sqlite3 "$1" "$2"; }
export SLUICE_SQLITE_MAX_LENGTH=100000

# a CSV: row 2 far over the limit, row 3 just under it with its bronze row (kept whole), row
# 4 whose record fits but whose bronze row (record and columns) would not
{
    echo "id,text"
    echo "1,a"
    printf '2,'
    head -c 150000 /dev/zero | tr '\0' x
    printf '\n3,'
    head -c 99000 /dev/zero | tr '\0' y
    printf '\n4,'
    head -c 99900 /dev/zero | tr '\0' z
    printf '\n5,e\n'
} >big.csv
st=0
"$bin" --db s.db load big.csv >out 2>&1 || st=$?
[ "$st" = 1 ] || fail "big.csv: exit $st, expected 1: $(cat out)"
grep -q "line 3 (record 2): format-error: the record takes 150008 bytes in bronze, more than SQLite's length limit of 100000 bytes; bronze keeps its first 1024 bytes" out ||
    fail "no reason for record 2: $(cat out)"
grep -q "line 5 (record 4): format-error: the record takes 100166 bytes in bronze with its other columns, more than SQLite's length limit" out ||
    fail "no reason for record 4: $(cat out)"
got=$(q s.db "select group_concat(row || ':' || status || ':' || coalesce(length(raw), 'NULL'), ' ') from bronze_big")
[ "$got" = "1:valid:9 2:invalid:1024 3:valid:99008 4:invalid:1024 5:valid:9" ] || fail "bronze: $got"
got=$(q s.db "select group_concat(id || ':' || coalesce(length(text), 'NULL'), ' ') from big")
[ "$got" = "1:1 3:99000 5:1" ] || fail "silver: $got"
[ "$(q s.db "select rows || '/' || valid || '/' || invalid from sluice_loads")" = 5/3/2 ] ||
    fail "catalog counts: $(q s.db 'select rows, valid, invalid from sluice_loads')"
# bronze rebuilds silver as it was
"$bin" --db s.db rebuild big >out 2>&1 || fail "rebuild: $(cat out)"
got=$(q s.db "select group_concat(id || ':' || length(text), ' ') from big")
[ "$got" = "1:1 3:99000 5:1" ] || fail "silver after rebuild: $got"
echo "CSV records over SQLite's limit: rejected with the reason, first KiB in bronze: ok"

# NDJSON: a value over the limit
{
    printf '{"id":1,"v":"a"}\n{"id":2,"v":"'
    head -c 120000 /dev/zero | tr '\0' x
    printf '"}\n{"id":3,"v":"c"}\n'
} >j.ndjson
st=0
"$bin" --db s.db load j.ndjson >out 2>&1 || st=$?
[ "$st" = 1 ] || fail "j.ndjson: exit $st, expected 1: $(cat out)"
got=$(q s.db "select group_concat(row || ':' || status || ':' || length(raw), ' ') from bronze_j")
[ "$got" = "1:valid:16 2:invalid:1024 3:valid:16" ] || fail "bronze_j: $got"
[ "$(q s.db "select count(*) from j where v is null")" = 0 ] || fail "a NULL in silver j"
echo "NDJSON record over SQLite's limit: rejected: ok"

# max_record_size above what the store holds: refused, nothing loaded
for args in "--max-record-size 200000" "--max-record-size 1GiB"; do
    st=0
    # shellcheck disable=SC2086
    "$bin" --db s.db load big.csv --source big2 $args >out 2>&1 || st=$?
    [ "$st" = 2 ] || fail "$args: exit $st, expected 2: $(cat out)"
    grep -q "max_record_size (--max-record-size) is [0-9]* bytes, more than SQLite can keep of one record (SQLite's length limit of 100000 bytes): set it to at most 100000" out ||
        fail "$args: $(cat out)"
done
[ "$(q s.db "select count(*) from sqlite_master where name in ('big2', 'bronze_big2')")" = 0 ] ||
    fail "big2 has tables"
# without the lowered limit: SQLite's own (10^9 bytes)
st=0
SLUICE_SQLITE_MAX_LENGTH= "$bin" --db s.db load big.csv --source big3 --max-record-size 2GB >out 2>&1 || st=$?
[ "$st" = 2 ] || fail "2GB: exit $st, expected 2: $(cat out)"
grep -q "SQLite's length limit of 1000000000 bytes): set it to at most 1000000000" out || fail "2GB: $(cat out)"
# a bad SLUICE_SQLITE_MAX_LENGTH is a usage error
st=0
SLUICE_SQLITE_MAX_LENGTH=2GB "$bin" --db s.db versions big >out 2>&1 || st=$?
[ "$st" = 2 ] && grep -q "SLUICE_SQLITE_MAX_LENGTH=2GB: not a size from 64KiB to 1000000000 bytes" out ||
    fail "SLUICE_SQLITE_MAX_LENGTH=2GB: exit $st: $(cat out)"
echo "max_record_size over the store's limit: refused (exit 2): ok"
echo "store_limits: ok"
