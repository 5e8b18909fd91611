#!/usr/bin/env bash
# JSON value classes round-trip into silver as docs/schema.md says, on SQLite and (when the
# test server is up) PostgreSQL: "" stays an empty string (not NULL) unless a schema declares
# missingValues; 0, false, "null" and a 100 000-character string stay what they are; null is
# NULL; [] and {} are kept as JSON text.
#
# env: SLUICE (binary under test); PGHOST/PGUSER for the PostgreSQL half (skipped without).
set -euo pipefail
bin=${SLUICE:?}
tmp=$(mktemp -d)
db=jsonvalues_$$
trap 'rm -rf "$tmp"; [ -z "${PGHOST:-}" ] || psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
cd "$tmp"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
long=$(head -c 100000 /dev/zero | tr '\0' x)
{
    printf '{"k":1,"s":"","z":0,"f":false,"n":"null","a":[],"o":{},"l":"%s"}\n' "$long"
    printf '{"k":2,"s":null,"z":1,"f":true,"n":null,"a":[1],"o":{"a":1},"l":"y"}\n'
} >v.ndjson
printf 'fields:\n  - {name: k, type: integer}\n  - {name: s, type: string}\nmissingValues: [""]\n' >mv.yaml
printf '{"k":1,"s":""}\n' >mv.ndjson

check() { # query-runner label
    local q=$1 got
    got=$($q "select k, s is null, length(s), z, n is null, n, l is null, length(l) from v order by k" | tr '\n' ' ')
    [ "$got" = "1|0|0|0|0|null|0|100000 2|1||1|1||0|1 " ] &&
        [ "${got#*|}" != "$got" ] || fail "$2: values: got [$got]"
    got=$($q "select s is null from mv")
    [ "$got" = 1 ] || fail "$2: declared missingValues [\"\"]: \"\" should be NULL, got [$got]"
    echo "$2: ok"
}

"$bin" load v.ndjson --db v.db --quiet
"$bin" load mv.ndjson --schema mv.yaml --db v.db --quiet
got=$(sqlite3 v.db 'select f, typeof(f), a, o from v order by k' | tr '\n' ' ')
[ "$got" = "0|integer|[]|{} 1|integer|[1]|{\"a\":1} " ] || fail "sqlite: booleans/nested: got [$got]"
sq() { sqlite3 v.db "$1"; }
check sq sqlite

if [ -n "${PGHOST:-}" ]; then
    psql -XqAt -d postgres -c "CREATE DATABASE $db"
    export SLUICE_DB="postgresql:///$db"
    "$bin" load v.ndjson --quiet
    "$bin" load mv.ndjson --schema mv.yaml --quiet
    pq() { psql -XqAt -d "$db" -c "$1" | sed 's/|t|/|1|/g; s/|f|/|0|/g; s/^\([0-9]*\)|t|/\1|1|/; s/^\([0-9]*\)|f|/\1|0|/; s/|t$/|1/; s/|f$/|0/; s/^t$/1/; s/^f$/0/'; }
    check pq postgresql
fi
