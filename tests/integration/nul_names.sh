#!/usr/bin/env bash
# A NUL byte in a CSV header name or a JSON key does not cut the name short: on SQLite and (when
# the test server is up) PostgreSQL, "na\0me" becomes the column "na me", two JSON keys that
# differ after a NUL stay two columns with their own values, and the load reports each rename
# with the label escaped (text and JSON output).
#
# env: SLUICE (binary under test); PGHOST/PGUSER for the PostgreSQL half (skipped without).
set -euo pipefail
bin=${SLUICE:?}
tmp=$(mktemp -d)
db=nulnames_$$
trap 'rm -rf "$tmp"; [ -z "${PGHOST:-}" ] || psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
cd "$tmp"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
printf 'id,na\000me,na me\n1,2,3\n' >h.csv
printf '{"id":1,"na\\u0000me":2,"na\\u0000xx":3}\n{"id":2,"na\\u0000xx":5,"na\\u0000me":4}\n' >k.ndjson

run() { # label query-runner [--db ...]
    local label=$1 q=$2 out
    shift 2
    out=$("$bin" load h.csv "$@")
    grep -qF 'column 2 renamed: "na\x00me" -> na me' <<<"$out" || fail "$label: csv rename: $out"
    grep -qF 'column 3 renamed: "na me" -> na me_2' <<<"$out" || fail "$label: csv rename 2: $out"
    out=$("$bin" load k.ndjson --output json "$@")
    grep -qF '"renamed":[{"from":"na\u0000me","to":"na me"},{"from":"na\u0000xx","to":"na xx"}]' <<<"$out" ||
        fail "$label: json rename: $out"
    got=$($q 'select id, "na me", "na me_2" from h' | tr '\n' ' ')
    [ "$got" = "1|2|3 " ] || fail "$label: csv values: got [$got]"
    got=$($q 'select id, "na me", "na xx" from k order by id' | tr '\n' ' ')
    [ "$got" = "1|2|3 2|4|5 " ] || fail "$label: json values: got [$got]"
    echo "$label: ok"
}
sq() { sqlite3 n.db "$1"; }
run sqlite sq --db n.db

if [ -n "${PGHOST:-}" ]; then
    psql -XqAt -d postgres -c "CREATE DATABASE $db"
    pq() { psql -XqAt -d "$db" -c "$1"; }
    run postgresql pq --db "postgresql:///$db"
fi
