#!/usr/bin/env bash
# on_type_change on SQLite and (when the test server is up) PostgreSQL: a later load whose
# values would widen an integer column is refused by default (silver's type, values and a
# numeric WHERE unchanged, exit 2); quarantine keeps the integer type and rejects exactly the
# rows holding such values (00451 is not stored as 451); widen turns the column into text with
# every value exact and records a second schema version.
#
# env: SLUICE (binary under test); PGHOST/PGUSER for the PostgreSQL half (skipped without).
set -euo pipefail
bin=${SLUICE:?}
tmp=$(mktemp -d)
db=typechange_$$
trap 'rm -rf "$tmp"; [ -z "${PGHOST:-}" ] || psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
cd "$tmp"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
printf 'id,zip\n1,1200\n2,451\n' >a.csv
printf 'id,zip\n3,00451\n4,n/a\n5,2000\n' >b.csv

run() { # label query-runner type-query --db URL
    local label=$1 q=$2 tq=$3 got rc
    shift 3
    "$bin" load a.csv --source z --quiet "$@"
    rc=0
    "$bin" load b.csv --source z --quiet "$@" 2>err.txt || rc=$?
    [ "$rc" = 2 ] || fail "$label: default: exit $rc, expected 2"
    grep -qF 'zip integer -> string (2 values: "00451", "n/a")' err.txt || fail "$label: message: $(cat err.txt)"
    got=$($q 'select id from z where zip > 1000 order by id' | tr '\n' ' ')
    [ "$got" = "1 " ] || fail "$label: after reject: got [$got]"
    [ "$($tq)" = integer ] || fail "$label: after reject: type $($tq)"

    rc=0
    out=$("$bin" load b.csv --source z --on-type-change quarantine --output json "$@") || rc=$?
    [ "$rc" = 1 ] || fail "$label: quarantine: exit $rc"
    grep -qF '"valid":1,"warning":0,"invalid":2' <<<"$out" || fail "$label: quarantine counts: $out"
    grep -qF '"type_changes":[{"column":"zip","from":"integer","to":"string","values":2,"first":["00451","n/a"],"action":"quarantined"}]' <<<"$out" ||
        fail "$label: quarantine json: $out"
    got=$($q 'select id, zip from z order by id' | tr '\n' ' ')
    [ "$got" = "1|1200 2|451 5|2000 " ] || fail "$label: after quarantine: got [$got]"
    [ "$($tq)" = integer ] || fail "$label: after quarantine: type $($tq)"

    "$bin" load b.csv --source z --on-type-change widen --force --quiet "$@"
    got=$($q "select zip from z order by _load, _row" | tr '\n' ' ')
    [ "$got" = "1200 451 2000 00451 n/a 2000 " ] || fail "$label: after widen: got [$got]"
    [ "$($tq)" = text ] || fail "$label: after widen: type $($tq)"
    got=$("$bin" schema z --history --output json "$@" | grep -o '"change":"[a-z]*"' | tr '\n' ' ')
    [ "$got" = '"change":"initial" "change":"widening" ' ] || fail "$label: schema history: $got"
    echo "$label: ok"
}
sq() { sqlite3 t.db "$1"; }
sqt() { sqlite3 t.db "select lower(type) from pragma_table_info('z') where name = 'zip'" | sed 's/^text$/text/'; }
run sqlite sq sqt --db t.db

if [ -n "${PGHOST:-}" ]; then
    psql -XqAt -d postgres -c "CREATE DATABASE $db"
    pq() { psql -XqAt -d "$db" -c "$1"; }
    pqt() { psql -XqAt -d "$db" -c "select data_type from information_schema.columns where table_schema = 'public' and table_name = 'z' and column_name = 'zip'" | sed 's/^bigint$/integer/'; }
    run postgresql pq pqt --db "postgresql:///$db"
fi
