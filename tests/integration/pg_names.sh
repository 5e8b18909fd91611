#!/usr/bin/env bash
# Names PostgreSQL cannot take (issue 13, items 13 and 14).
#  - Columns named like a system column (ctid, xmin, xmax, cmin, cmax, tableoid, oid) or equal
#    in their first 63 bytes (all PostgreSQL keeps of a name) failed the load with exit 3; they
#    are renamed as repeated names are (name_2, cut to fit 63 bytes) and the renames reported,
#    the same rule as SQLite's for repeats; a later load maps onto the same columns. An explicit
#    schema with such a field is refused (exit 2).
#  - Sources X and X_detail collided on bronze.X_detail (X's view, X_detail's table): exit 3
#    in either order. The second one is refused (exit 2) with the reason, nothing written.
#    The same class: PostgreSQL named X's indexes X_raw_data_idx, X_load_id_row_num_idx,
#    X_source_timestamp_idx (bronze) and X_pkey (silver), so sources of those names failed with
#    exit 3. sluice now names them X@gin, X@load, X@ts and X@pkey (no source name has an @),
#    so such sources load; in a store made before, they are refused (exit 2) with the reason.
#
# env: SLUICE (binary under test), PGHOST/PGUSER (the test server tests/run starts).
set -euo pipefail
bin=${SLUICE:?}
: "${PGHOST:?PGHOST must name the test PostgreSQL server}"
tmp=$(mktemp -d)
db=pgnames_$$
trap 'rm -rf "$tmp"; for d in $db ${db}_a ${db}_b; do psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true; done' EXIT
cd "$tmp"
for d in $db ${db}_a ${db}_b; do psql -XqAt -d postgres -c "CREATE DATABASE $d"; done
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
q() { psql -XqAt -d "${2:-$db}" -c "$1"; }
url="postgresql:///$db"

# --- item 13: system column names and names equal in 63 bytes --------------------------------
L=$(printf 'a%.0s' {1..70})
printf "id,ctid,xmin,xmax,cmin,cmax,tableoid,Oid,%sx,%sy,ctid\n1,2,3,4,5,6,7,8,9,10,11\n" "$L" "$L" >sys.csv
st=0
"$bin" --db "$url" load sys.csv >out 2>&1 || st=$?
[ "$st" = 0 ] || fail "sys.csv: exit $st: $(cat out)"
for r in '"ctid" -> ctid_2' '"xmin" -> xmin_2' '"tableoid" -> tableoid_2' '"Oid" -> Oid_2' \
    "\"${L}y\" -> $(printf 'a%.0s' {1..61})_2" '"ctid" -> ctid_3'; do
    grep -qF "renamed: $r" out || fail "no rename $r: $(cat out)"
done
cols=$(q "select string_agg(column_name, ',' order by ordinal_position) from information_schema.columns where table_schema = 'public' and table_name = 'sys'")
want="id,ctid_2,xmin_2,xmax_2,cmin_2,cmax_2,tableoid_2,Oid_2,$(printf 'a%.0s' {1..63}),$(printf 'a%.0s' {1..61})_2,ctid_3,_load,_row"
[ "$cols" = "$want" ] || fail "columns: $cols"
# the next load of the same header maps onto the same columns
printf "id,ctid,xmin,xmax,cmin,cmax,tableoid,Oid,%sx,%sy,ctid\n2,20,30,40,50,60,70,80,90,100,110\n" "$L" "$L" >sys.csv
"$bin" --db "$url" load sys.csv >out 2>&1 || fail "second load: $(cat out)"
got=$(q "select string_agg(concat_ws(':', id, ctid_2, xmin_2, tableoid_2, \"Oid_2\", ctid_3), ' ' order by id) from sys")
[ "$got" = "1:2:3:7:8:11 2:20:30:70:80:110" ] || fail "silver: $got"
# NDJSON keys
printf '{"id":1,"ctid":"x","cmin":2}\n' >sj.ndjson
"$bin" --db "$url" load sj.ndjson >out 2>&1 || fail "sj.ndjson: $(cat out)"
[ "$(q "select concat_ws(':', id, ctid_2, cmin_2) from sj")" = "1:x:2" ] || fail "sj: $(q 'select * from sj')"
# an explicit schema that names one: refused before anything is written
printf 'fields:\n  - name: id\n    type: integer\n  - name: xmin\n' >s.yaml
printf 'id,xmin\n1,2\n' >ex.csv
st=0
"$bin" --db "$url" load ex.csv --schema s.yaml >out 2>&1 || st=$?
[ "$st" = 2 ] || fail "explicit xmin: exit $st: $(cat out)"
grep -q "field 'xmin': PostgreSQL reserves this name (a system column); rename the field in the schema" out ||
    fail "explicit xmin: $(cat out)"
[ "$(q "select count(*) from information_schema.tables where table_name = 'ex'")" = 0 ] || fail "ex has a table"
echo "system column names and 63-byte names renamed and reported: ok"

# --- item 14: sources X and X_detail, in either order ----------------------------------------
printf 'id,v\n1,a\n' >orders.csv
printf 'id,w\n1,b\n' >orders_detail.csv
for order in "orders orders_detail" "orders_detail orders"; do
    d=${db}_a
    [ "$order" = "orders orders_detail" ] || d=${db}_b
    set -- $order
    "$bin" --db "postgresql:///$d" load "$1.csv" >out 2>&1 || fail "$1 first: $(cat out)"
    st=0
    "$bin" --db "postgresql:///$d" load "$2.csv" >out 2>&1 || st=$?
    [ "$st" = 2 ] || fail "$order: the second load: exit $st, expected 2: $(cat out)"
    grep -q "sources X and X_detail cannot both be in a PostgreSQL store: load under another name (--source)" out ||
        fail "$order: no reason: $(cat out)"
    [ "$(q "select count(*) from information_schema.tables where table_schema = 'public' and table_name = '$2'" "$d")" = 0 ] ||
        fail "$order: $2 has a silver table"
    [ "$(q "select count(*) from sluice.sources where name = '$2'" "$d")" = 0 ] || fail "$order: $2 in the catalog"
    # the first source is intact, and the second loads under another name
    [ "$(q "select count(*) from $1" "$d")" = 1 ] || fail "$order: $1 lost rows"
    [ "$(q "select count(*) from bronze.${1}_detail" "$d")" = 1 ] || fail "$order: $1's view"
    "$bin" --db "postgresql:///$d" load "$2.csv" --source "${2}_x" >out 2>&1 || fail "$order: --source: $(cat out)"
done
echo "sources X and X_detail: the second refused before writing, in either order: ok"

# --- the names PostgreSQL gave a source's indexes ------------------------------------------
d=${db}_c
psql -XqAt -d postgres -c "CREATE DATABASE $d"
trap 'rm -rf "$tmp"; for d in $db ${db}_a ${db}_b ${db}_c; do psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true; done' EXIT
"$bin" --db "postgresql:///$d" load orders.csv --primary-key id >out 2>&1 || fail "orders with a key: $(cat out)"
[ "$(q "select string_agg(indexname, ',' order by indexname) from pg_indexes where schemaname in ('public', 'bronze') and tablename = 'orders'" "$d")" = "orders@gin,orders@load,orders@pkey,orders@ts" ] ||
    fail "index names: $(q "select indexname from pg_indexes where tablename = 'orders'" "$d")"
for n in orders_raw_data_idx orders_load_id_row_num_idx orders_source_timestamp_idx orders_pkey; do
    "$bin" --db "postgresql:///$d" load orders_detail.csv --source "$n" >out 2>&1 || fail "$n: $(cat out)"
    [ "$(q "select count(*) from $n" "$d")" = 1 ] || fail "$n: no silver row"
done
# a store made before: the indexes with PostgreSQL's names (renamed back here)
"$bin" --db "postgresql:///$d" load orders.csv --source old --primary-key id >out 2>&1 || fail "old: $(cat out)"
q 'ALTER INDEX bronze."old@gin" RENAME TO old_raw_data_idx; ALTER INDEX public."old@pkey" RENAME TO old_pkey' "$d"
for n in old_raw_data_idx old_pkey; do
    st=0
    "$bin" --db "postgresql:///$d" load orders_detail.csv --source "$n" >out 2>&1 || st=$?
    [ "$st" = 2 ] || fail "$n in an old store: exit $st, expected 2: $(cat out)"
    grep -q "source '$n': [a-z]*\.$n is the name of an index of table [a-z]*\.old in the store; a PostgreSQL store cannot also have a source of that name: load under another name (--source)" out ||
        fail "$n in an old store: $(cat out)"
    [ "$(q "select count(*) from sluice.sources where name = '$n'" "$d")" = 0 ] || fail "$n in the catalog"
done
[ "$(q "select count(*) from old" "$d")" = 1 ] || fail "old lost rows"
echo "sources named like another source's indexes: loaded, or refused in an old store: ok"
echo "pg_names: ok"
