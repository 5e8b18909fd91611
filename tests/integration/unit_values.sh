#!/usr/bin/env bash
# Unit conversions end to end on SQLite and (when the test server is up) PostgreSQL: the values
# in silver have no floating-point noise (32 °F is 0 °C, not 5.68e-14; 150 lb is 68.04 kg, not
# 68.0388555), follow the input's precision as docs/transforms.md says, and a round trip
# (°F -> °C -> °F, lb -> kg -> lb), rounded to the input's last digit, gives the input back.
#
# env: SLUICE (binary under test); PGHOST/PGUSER for the PostgreSQL half (skipped without).
set -euo pipefail
bin=${SLUICE:?}
tmp=$(mktemp -d)
db=unitvalues_$$
trap 'rm -rf "$tmp"; [ -z "${PGHOST:-}" ] || psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
cd "$tmp"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
printf 'id,t,w\n1,32,150\n2,212,1\n3,98.6,0.5\n4,-40,2.2046\n5,0,1000\n' >u.csv
cat >sluice.yaml <<'YAML'
sources:
  u:
    input: u.csv
    transforms:
      - unit: t
        from: degF
        to: degC
      - unit: w
        from: lb
        to: kg
  back:
    input: back.csv
    transforms:
      - unit: t
        from: degC
        to: degF
      - unit: w
        from: kg
        to: lb
YAML
want="1|0|68.04 2|100|0.45 3|37|0.227 4|-40|0.99999 5|-17.78|453.59 "
wantback="1|32|150 2|212|1 3|98.6|0.5 4|-40|2.2046 5|0|1000 "
# silver's values converted back, rounded to the places of the input's value in that row
places="0 0 0 0 1 1 0 4 0 0"
roundback() {
    python3 -c '
import sys
p = sys.argv[1].split()
out = []
for i, line in enumerate(sys.stdin.read().split()):
    k, t, w = line.split("|")
    t = round(float(t), int(p[2 * i])) + 0.0
    w = round(float(w), int(p[2 * i + 1])) + 0.0
    out.append("%s|%.10g|%.10g" % (k, t, w))
print(" ".join(out) + " ", end="")' "$places"
}

check() { # query-runner label
    local q=$1 got
    # %.10g: any float noise (5.68e-14, 68.0388555) would show
    got=$($q "select id, t, w from u order by id" | awk -F'|' '{ printf "%s|%.10g|%.10g ", $1, $2, $3 }')
    [ "$got" = "$want" ] || fail "$2: converted: got [$got], want [$want]"
    echo "$2: ok"
}

"$bin" run u --db u.db --quiet
check "sqlite3 u.db" sqlite
# the round trip: the converted values (as silver holds them) converted back give the input
printf 'id,t,w\n' >back.csv
sqlite3 -csv u.db "select id, t, w from u order by id" >>back.csv
"$bin" run back --db u.db --quiet
got=$(sqlite3 u.db "select id, t, w from back order by id" | roundback)
[ "$got" = "$wantback" ] || fail "sqlite: round trip: got [$got], want [$wantback]"

if [ -n "${PGHOST:-}" ]; then
    psql -XqAt -d postgres -c "CREATE DATABASE $db"
    export SLUICE_DB="postgresql:///$db"
    "$bin" run u --quiet
    pq() { psql -XqAt -d "$db" -c "$1"; }
    check pq postgresql
    printf 'id,t,w\n' >back.csv
    pq "select id, t, w from u order by id" | tr '|' , >>back.csv
    "$bin" run back --quiet
    got=$(pq "select id, t, w from back order by id" | roundback)
    [ "$got" = "$wantback" ] || fail "postgresql: round trip: got [$got], want [$wantback]"
    echo "postgresql: round trip ok"
fi
