#!/usr/bin/env bash
# The store side of the "inputs mis-read" items of issue 14, on SQLite and (when the test server
# is up) PostgreSQL, where the golden tests/cli/inputs.t can only compare sluice's own output
# (its sqlite3 lines are not compared on PostgreSQL):
#  - an archive or binary file loaded into an existing source is refused (exit 3): silver keeps
#    its columns and rows, the attempt is a failed, inactive load with no bronze rows;
#  - a --timestamp field that is not a date is refused (exit 2) before anything is written: no
#    silver table, no bronze rows;
#  - a header aligned with spaces over tab-separated rows loads its values into named columns;
#  - the same data gzip-compressed is the same input: skipped; forced, its sha256 differs and
#    its content_sha256 is the same.
#
# env: SLUICE (binary under test); PGHOST/PGUSER for the PostgreSQL half (skipped without).
set -euo pipefail
bin=${SLUICE:?}
tmp=$(mktemp -d)
db=inputsstores_$$
trap 'rm -rf "$tmp"; [ -z "${PGHOST:-}" ] || psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
cd "$tmp"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
printf 'id,name\n1,Ada\n2,Bob\n' >people.csv
mkdir -p pkg/package && echo 'MIT Licence' >pkg/package/LICENSE && tar -C pkg -czf npm.tgz package
head -c 4000 /dev/urandom >noise.csv
printf 'country,capital\nAfghanistan,Kabul\n' >countries.csv
printf 'time                 temp  humidity\n2026-01-01T00:00:00\t21.5\t40\n2026-01-01T00:10:00\t21.4\t41\n' >sensor.txt
gzip -k people.csv

run() { # label query-runner columns-of-table catalog-loads-table --db URL
    local label=$1 q=$2 cols=$3 loads=$4 rc got
    shift 4
    "$bin" load people.csv --quiet "$@"
    for f in npm.tgz noise.csv; do
        rc=0
        "$bin" load "$f" --source people --format csv "$@" 2>err.txt || rc=$?
        [ "$rc" = 3 ] || fail "$label: $f: exit $rc, expected 3"
        grep -qE 'not CSV or JSON data' err.txt || fail "$label: $f: message: $(cat err.txt)"
    done
    [ "$($cols people)" = "id,name,_load,_row" ] || fail "$label: people's columns: $($cols people)"
    got=$($q "select count(*) from people")
    [ "$got" = 2 ] || fail "$label: people rows: $got"

    rc=0
    "$bin" load countries.csv --timestamp country "$@" 2>err.txt || rc=$?
    [ "$rc" = 2 ] || fail "$label: --timestamp country: exit $rc"
    grep -qF "is of type string (inferred from the data) and only 0 of its" err.txt ||
        fail "$label: --timestamp message: $(cat err.txt)"
    [ -z "$($cols countries)" ] || fail "$label: countries was created: $($cols countries)"

    "$bin" load sensor.txt --quiet "$@"
    got=$($q "select temp, humidity from sensor order by time" | tr '\n' ' ')
    [ "$got" = "21.5|40 21.4|41 " ] || fail "$label: sensor: got [$got]"
    [ "$($cols sensor)" = "time,temp,humidity,_load,_row" ] || fail "$label: sensor: $($cols sensor)"

    got=$("$bin" load people.csv.gz --source people "$@")
    [ "$got" = "people: skipped: same input already loaded as load 1 (people.csv.gz)" ] ||
        fail "$label: compressed: $got"
    "$bin" load people.csv.gz --source people --force --quiet "$@"
    got=$($q "select count(distinct sha256), count(distinct content_sha256) from $loads where source = 'people' and status = 'committed'")
    [ "$got" = "2|1" ] || fail "$label: sha256 and content_sha256 of people.csv and people.csv.gz: $got"
    echo "$label: ok"
}
sq() { sqlite3 t.db "$1"; }
sqcols() { sqlite3 t.db "select group_concat(name) from pragma_table_info('$1')"; }
run sqlite sq sqcols sluice_loads --db t.db
got=$(sqlite3 t.db "select load, status, active, (select count(*) from bronze_people b where b.load = l.load) from sluice_loads l where source = 'people' and status <> 'skipped' order by load" | tr '\n' ' ')
[ "${got% *|committed|1|2 }" = "1|committed|1|2 2|failed|0|0 3|failed|0|0" ] || fail "sqlite: people's loads: $got"

if [ -n "${PGHOST:-}" ]; then
    psql -XqAt -d postgres -c "CREATE DATABASE $db"
    pq() { psql -XqAt -d "$db" -c "$1"; }
    pqcols() { pq "select string_agg(column_name::text, ',' order by ordinal_position) from information_schema.columns where table_schema = 'public' and table_name = '$1'"; }
    run postgresql pq pqcols sluice.loads --db "postgresql:///$db"
    got=$(pq "select load, status, active, (select count(*) from bronze.people b where b.load_id = l.load) from sluice.loads l where source = 'people' and status <> 'skipped' order by load" | tr '\n' ' ')
    [ "${got% *|committed|1|2 }" = "1|committed|1|2 2|failed|0|0 3|failed|0|0" ] || fail "postgresql: people's loads: $got"
    echo "postgresql: loads ok"
fi
