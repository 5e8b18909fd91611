#!/usr/bin/env bash
# Nested JSON values land in silver as compact canonical JSON (docs/schema.md, "Nested
# values"), whatever the input's layout, while bronze keeps each record as received: a
# pretty-printed file and the same records written compactly give the same silver values, on
# SQLite (exact text) and (when the test server is up) PostgreSQL (jsonb columns; an `any`
# column, text, holds the canonical text exactly). A CSV cell declared object is compacted too.
#
# env: SLUICE (binary under test); PGHOST/PGUSER for the PostgreSQL half (skipped without).
set -euo pipefail
bin=${SLUICE:?}
tmp=$(mktemp -d)
db=nestedjson_$$
trap 'rm -rf "$tmp"; [ -z "${PGHOST:-}" ] || psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
cd "$tmp"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
cat >pretty.json <<'JSON'
[
  {
    "id": 1,
    "o": {
      "a" : [ 1 , 2.50, -0 , 1e400 ],
      "s": "t\u00e9 \/ \" \ud83d\ude00 \u0001 x  y"
    },
    "m": [ true,
           null ]
  },
  {"id": 2, "o": {"b" : { }}, "m": 5}
]
JSON
printf '%s\n' '{"id":1,"o":{"a":[1,2.50,-0,1e400],"s":"té / \" 😀 \u0001 x  y"},"m":[true,null]}' \
    '{"id":2,"o":{"b":{}},"m":5}' >compact.ndjson
want_o1='{"a":[1,2.50,-0,1e400],"s":"té / \" 😀 \u0001 x  y"}'
printf 'id,o\n1,"{ ""k"" :\n [1, 2] }"\n' >cell.csv
printf 'fields:\n  - {name: id, type: integer}\n  - {name: o, type: object}\n' >cell.yaml

"$bin" load pretty.json --db t.db --quiet
"$bin" load compact.ndjson --db t.db --quiet
"$bin" load cell.csv --schema cell.yaml --db t.db --quiet
got=$(sqlite3 t.db 'select o from pretty where id = 1')
[ "$got" = "$want_o1" ] || fail "sqlite: o: got [$got]"
got=$(sqlite3 t.db 'select group_concat(o, " ") || " " || group_concat(m, " ") from (select o, m from pretty order by id)')
[ "$got" = "$want_o1 {\"b\":{}} [true,null] 5" ] || fail "sqlite: pretty: got [$got]"
got2=$(sqlite3 t.db 'select group_concat(o, " ") || " " || group_concat(m, " ") from (select o, m from compact order by id)')
[ "$got" = "$got2" ] || fail "sqlite: pretty [$got] and compact [$got2] differ"
got=$(sqlite3 t.db 'select o from cell')
[ "$got" = '{"k":[1,2]}' ] || fail "sqlite: csv cell: got [$got]"
got=$(sqlite3 t.db "select instr(raw, '\"a\" : [ 1 , 2.50') > 0 from bronze_pretty where row = 1")
[ "$got" = 1 ] || fail "sqlite: bronze should keep the record as received: [$got]"
echo "sqlite: ok"

if [ -n "${PGHOST:-}" ]; then
    psql -XqAt -d postgres -c "CREATE DATABASE $db"
    export SLUICE_DB="postgresql:///$db"
    "$bin" load pretty.json --quiet
    "$bin" load compact.ndjson --quiet
    "$bin" load cell.csv --schema cell.yaml --quiet
    pq() { psql -XqAt -d "$db" -c "$1"; }
    got=$(pq "select string_agg(o::text || ' ' || m, ' | ' order by id) from pretty")
    got2=$(pq "select string_agg(o::text || ' ' || m, ' | ' order by id) from compact")
    [ "$got" = "$got2" ] || fail "postgresql: pretty [$got] and compact [$got2] differ"
    got=$(pq "select m from pretty order by id" | tr '\n' ' ')
    [ "$got" = "[true,null] 5 " ] || fail "postgresql: any column: got [$got]"
    got=$(pq "select o->>'s' from pretty where id = 1")
    [ "$got" = "$(printf 'té / " 😀 \001 x  y')" ] || fail "postgresql: o->>'s': got [$got]"
    got=$(pq "select o->'k' from cell")
    [ "$got" = '[1, 2]' ] || fail "postgresql: csv cell: got [$got]"
    echo "postgresql: ok"
fi
