#!/usr/bin/env bash
# The PostgreSQL layout: bronze partitioned by month of the source timestamp (partitions made
# on demand across a year boundary, rows without a timestamp in the default partition, offsets
# converted to UTC), the catalog in schema sluice, the detail view, typed silver, keyed upserts
# counting repeats, a widening rebuild from bronze, hostile column names quoted, bytes that
# jsonb cannot hold kept in raw_bytes, and a silver schema other than public.
#
# env: SLUICE (binary under test), PGHOST/PGUSER (the test server tests/run starts).
set -euo pipefail
bin=${SLUICE:?}
: "${PGHOST:?PGHOST must name the test PostgreSQL server}"
tmp=$(mktemp -d)
db=layout_$$
trap 'rm -rf "$tmp"; psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
cd "$tmp"
psql -XqAt -d postgres -c "CREATE DATABASE $db"
export SLUICE_DB="postgresql:///$db"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
q() { psql -XqAt -d "$db" -c "$1"; }
expect() { # sql expected
    local got
    got=$(q "$1")
    [ "$got" = "$2" ] || fail "$1: expected [$2], got [$got]"
}

# a --timestamp field must hold dates or datetimes (issue 14): a column of strings fewer than half
# of which are dates is refused, the load rolled back (a stray value among dates is allowed)
printf 'id,at,v\n1,2025-12-31T23:30:00Z,a\n5,not a time,e\n6,never,f\n' >evbad.csv
rc=0
"$bin" load evbad.csv --timestamp at --source ev 2>evbad.err || rc=$?
if [ "$rc" != 2 ] || ! grep -qF "timestamp field 'at' is of type string" evbad.err; then
    fail "evbad.csv: exit $rc: $(cat evbad.err)"
fi
expect "select count(*) from pg_tables where tablename = 'ev'" 0
printf 'id,at,v\n1,2025-12-31T23:30:00Z,a\n2,2025-12-31T23:30:00-01:00,b\n3,,c\n4,2026-02-01,d\n5,,e\n' >ev.csv
"$bin" load ev.csv --timestamp at --source ev
expect "select string_agg(c.relname, ',' order by c.relname) from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'bronze.ev'::regclass" \
    'ev@2025-12,ev@2026-01,ev@2026-02,ev@default'
expect 'select row_num from bronze."ev@2025-12"' 1
expect 'select row_num from bronze."ev@2026-01"' 2
expect 'select string_agg(row_num::text, $$,$$ order by row_num) from bronze."ev@default"' '3,5'
expect "select to_char(source_timestamp, 'YYYY-MM-DD HH24:MI') from bronze.ev where row_num = 2" '2026-01-01 00:30'
expect "select raw_data->>1 from bronze.ev where row_num = 1" '2025-12-31T23:30:00Z'
expect "select count(*) from bronze.ev_detail where input = 'ev.csv' and sha256 is not null" 5
expect "select status, rows, valid from sluice.loads where source = 'ev' order by load" $'failed|0|0\ncommitted|5|5'
expect "select count(*) from pg_indexes where schemaname = 'bronze' and tablename = 'ev'" 3
echo "partitions across a year boundary and the default partition: ok"

# typed silver
printf 'id,n,x,ok,d\n1,10,1.5,true,2024-01-02\n2,20,2.25,false,2024-03-04\n' >typed.csv
"$bin" load typed.csv --quiet
expect "select string_agg(column_name || ':' || data_type, ',' order by ordinal_position) from information_schema.columns where table_schema = 'public' and table_name = 'typed'" \
    'id:bigint,n:bigint,x:double precision,ok:boolean,d:date,_load:bigint,_row:bigint'
expect 'select sum(n), sum(x) from typed where ok' '10|1.5'

# dates, times and date-times travel in COPY's binary format: the values must survive it
printf 'id,t,at,d\n1,10:20:30.5,2024-01-02T03:04:05.123456+02:00,2024-02-29\n2,23:59:59,2024-01-02,1999-12-31\n' >types.csv
"$bin" load types.csv --quiet
expect "select id, t, to_char(at, 'YYYY-MM-DD HH24:MI:SS.US'), d from types order by id" \
    $'1|10:20:30.5|2024-01-02 01:04:05.123456|2024-02-29\n2|23:59:59|2024-01-02 00:00:00.000000|1999-12-31'

# keyed: upsert, keys already loaded are updates (a key repeated within one input is rejected by
# the key check before the store sees it), then a widening rebuild from bronze (allowed)
printf 'order_id,status,total\n1,new,10\n2,new,20\n' >orders.csv
"$bin" load orders.csv --primary-key order_id --quiet
expect 'select order_id, status, total from orders order by order_id' $'1|new|10\n2|new|20'
printf 'order_id,status,total\n3,new,12.5\n1,shipped,11\n' >orders2.csv
"$bin" load orders2.csv --source orders --on-type-change widen --output json >o2.json
# an upsert source: a key of an earlier load is an update, not a repeat (docs/quality.md)
grep -q '"uniqueness":1,' o2.json || fail "an update counted as a repeat: $(cat o2.json)"
! grep -q 'repeats a primary key' o2.json || fail "an update reported as a repeat: $(cat o2.json)"
expect "select order_id, status, total, _load - (select min(load) from sluice.loads where source = 'orders') + 1 from orders order by order_id" $'1|shipped|11|2\n2|new|20|1\n3|new|12.5|2'
expect "select data_type from information_schema.columns where table_name = 'orders' and column_name = 'total'" 'double precision'
echo "keyed upsert, repeats and a widening rebuild: ok"

# hostile names: a column name that is SQL is quoted; a source name that is SQL is refused
printf 'id,"x""; DROP TABLE y; --"\n1,boom\n' >hostile.csv
q 'CREATE TABLE y(a int)'
"$bin" load hostile.csv --quiet
expect 'select "x""; DROP TABLE y; --" from hostile' boom
expect "select to_regclass('public.y') is not null" t
st=0
"$bin" load hostile.csv --source 'x"; DROP TABLE y; --' 2>err.txt || st=$?
[ $st = 2 ] || fail "a hostile source name: exit $st"
grep -q 'invalid source name' err.txt || fail "no message for a hostile source name: $(cat err.txt)"
expect "select to_regclass('public.y') is not null" t
# a file whose name is SQL: the source name is mapped (and shown), nothing else happens
cp hostile.csv 'x"; DROP TABLE y; --.csv'
"$bin" load 'x"; DROP TABLE y; --.csv' >mapped.txt
grep -q '^x_DROP_TABLE_y: load [0-9]* committed' mapped.txt || fail "mapped name not shown: $(cat mapped.txt)"
expect 'select "x""; DROP TABLE y; --" from "x_DROP_TABLE_y"' boom
expect "select to_regclass('public.y') is not null" t
echo "hostile identifiers: ok"

# bytes that are not UTF-8, and NUL: kept as bytes
printf 'id,name\n1,caf\303\251\n2,bad\377\n3,nul\000x\n4,ok\n' >enc.csv
"$bin" load enc.csv --quiet || true
expect "select string_agg(encode(raw_bytes, 'hex'), ',' order by row_num) from bronze.enc where validation_status = 'invalid'" \
    '322c626164ff,332c6e756c0078'
expect "select name from enc order by id" $'caf\303\251\nok'
echo "raw bytes: ok"

# silver in another schema
printf 'a\n1\n' >s.csv
SLUICE_DB="postgresql:///$db?silver_schema=lake" "$bin" load s.csv --quiet
expect 'select a from lake.s' 1
# PostgreSQL's column limit (1600, less _load and _row), with a clear message
awk 'BEGIN { for (r = 0; r < 2; r++) { for (i = 0; i < 1599; i++) printf "%s%s%d", i ? "," : "", r ? "" : "c", i; print "" } }' >wide.csv
st=0
"$bin" load wide.csv --quiet 2>wide.err || st=$?
[ $st = 3 ] || fail "1599 columns on PostgreSQL: exit $st"
grep -q "wide.csv: 1599 columns; at most 1598 are supported (PostgreSQL's limit of 1600" wide.err ||
    fail "no clear message for 1599 columns: $(cat wide.err)"
# 1598 short text columns fit (1598 BIGINTs would not: a row must fit a page, 8160 bytes)
awk 'BEGIN { for (r = 0; r < 2; r++) { for (i = 0; i < 1598; i++) printf "%s%s", i ? "," : "", r ? "x" : "c" i; print "" } }' >wide1598.csv
"$bin" load wide1598.csv --quiet || fail "1598 columns on PostgreSQL did not load"
expect 'select count(*) from wide1598' 1
echo "column limit: ok"

# source names of up to 63 bytes: PostgreSQL keeps 63 bytes of a name, so a partition or view
# name that would be longer is shortened with a hash of the source instead of being cut (cut,
# two months, or a partition and its table, became one name)
long=$(printf 'l%.0s' $(seq 63))
long2=${long:0:62}m
printf 'id,at\n1,2024-01-02\n2,2024-02-03\n3,\n' >long.csv
for s in "$long" "$long2"; do
    "$bin" load long.csv --source "$s" --timestamp at --quiet || fail "source of ${#s} bytes did not load"
    expect "select count(*) from bronze.\"$s\"" 3
    expect "select count(*) from pg_inherits where inhparent = 'bronze.\"$s\"'::regclass" 3
done
expect "select count(distinct relname) from pg_class where relname like 'lll%' and relkind = 'r' and relispartition" 6
expect "select count(*) from pg_views where schemaname = 'bronze' and viewname like 'lll%_detail'" 2
# a standalone table a failed load left behind, under its shortened name, is this source's
orphan=$(q "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'bronze.\"$long\"'::regclass and c.relname like '%@default'")
q "ALTER TABLE bronze.\"$long\" DETACH PARTITION bronze.\"$orphan\""
"$bin" load long.csv --source "$long2" --timestamp at --force --quiet
expect "select count(*) from pg_class where relname = '$orphan'" 1
"$bin" load long.csv --source "$long" --timestamp at --force 2>long.err >/dev/null
grep -q "dropping 1 bronze table(s) a failed load left behind" long.err || fail "orphan of a long name: $(cat long.err)"
expect "select count(*) from bronze.\"$long\" where source_timestamp is null" 1
echo "source names of 63 bytes: ok"

# U+0000 (and a lone UTF-16 surrogate in jsonb) cannot be stored in PostgreSQL's text and jsonb:
# the value gets U+FFFD in its place, the load says how many, bronze keeps the record as received
printf '%s\n' '{"id":1,"name":"a\u0000b","o":{"k":"x\u0000y","e":"\ud83d\ude00","l":"\ud800"}}' \
    '{"id":2,"name":"plain","o":{"k":"v"}}' >nul.ndjson
"$bin" load nul.ndjson 2>nul.err >/dev/null || fail "U+0000 in a value failed the load: $(cat nul.err)"
grep -q "nul: 3 silver value(s) held U+0000 or a lone UTF-16 surrogate, which PostgreSQL cannot store" nul.err ||
    fail "no warning: $(cat nul.err)"
expect "select name, o->>'k', o->>'e', o->>'l' from nul where id = 1" $'a\xef\xbf\xbdb|x\xef\xbf\xbdy|\xf0\x9f\x98\x80|\xef\xbf\xbd'
expect "select name from nul where id = 2" plain
expect "select raw_data is null, raw_bytes is not null from bronze.nul where row_num = 1" 't|t'
expect "select message like '%3 silver value(s) held U+0000%' from sluice.loads where source = 'nul'" t
"$bin" rebuild nul --quiet 2>/dev/null
expect "select name, o->>'k' from nul where id = 1" $'a\xef\xbf\xbdb|x\xef\xbf\xbdy'
echo "values PostgreSQL cannot hold: ok"

echo "pg_layout: ok"
