#!/usr/bin/env bash
# What PostgreSQL can hold (issue 13, item 18): a value over jsonb's size limit (268435455
# bytes in jsonb's own form) made COPY fail and the whole load with it (exit 3). sluice
# measures jsonb values before COPY: such a record is an invalid row with its reason, kept whole
# in bronze (raw_bytes: bytea holds up to 1 GB), and the other rows load. max_record_size above
# a PostgreSQL value (1 GB) is refused (exit 2).
#
# A 46 MB NDJSON record whose array of 23 million 1s takes 276 MB as jsonb (12 bytes a number).
#
# env: SLUICE_RELEASE (release binary), PGHOST/PGUSER (the test server tests/run starts).
set -euo pipefail
bin=${SLUICE_RELEASE:?SLUICE_RELEASE must name the release sluice binary}
: "${PGHOST:?PGHOST must name the test PostgreSQL server}"
tmp=$(mktemp -d)
db=pglimits_$$
trap 'rm -rf "$tmp"; psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
cd "$tmp"
psql -XqAt -d postgres -c "CREATE DATABASE $db"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
q() { psql -XqAt -d "$db" -c "$1"; }

{
    printf '{"id":1,"a":[1]}\n{"id":2,"a":['
    { yes '1,' || true; } | head -n 23000000 | tr -d '\n'
    printf '1]}\n{"id":3,"a":[3]}\n'
} >jb.ndjson
st=0
"$bin" --db "postgresql:///$db" load jb.ndjson >out 2>&1 || st=$?
[ "$st" = 1 ] || fail "jb.ndjson: exit $st, expected 1: $(head -c 2000 out)"
grep -q "line 2 (record 2): format-error: a: the value would take [0-9]* bytes in PostgreSQL's jsonb, more than its limit of 268435455 bytes" out ||
    fail "no reason for record 2: $(cat out)"
got=$(q "select string_agg((raw_id & 4294967295) || ':' || validation_status || ':' || coalesce(length(raw_data::text), 0) || ':' || coalesce(length(raw_bytes), 0), ' ' order by raw_id) from bronze.jb")
[ "$got" = "1:valid:19:0 2:invalid:0:46000016 3:valid:19:0" ] || fail "bronze: $got"
[ "$(q "select string_agg(id || '=' || a::text, ' ' order by id) from jb")" = "1=[1] 3=[3]" ] ||
    fail "silver: $(q 'select id, a from jb')"
echo "a value over jsonb's limit: the record rejected, kept whole in raw_bytes, the rest loaded: ok"

st=0
"$bin" --db "postgresql:///$db" load jb.ndjson --source jb2 --max-record-size 2GiB >out 2>&1 || st=$?
[ "$st" = 2 ] || fail "--max-record-size 2GiB: exit $st, expected 2: $(cat out)"
grep -q "more than PostgreSQL can keep of one record (PostgreSQL's limit for a value of 1073741808 bytes)" out ||
    fail "--max-record-size 2GiB: $(cat out)"
echo "max_record_size over a PostgreSQL value: refused: ok"
echo "pg_store_limits: ok"
