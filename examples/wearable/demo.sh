#!/bin/sh
# examples/wearable/demo.sh -- what `make demo` runs.
#
# Usage: examples/wearable/demo.sh [PATH/TO/sluice]     (default: build/sluice of this repo)
#
# Loads the wearable project from scratch into examples/wearable/wearable.db,
# runs it a second time (everything is skipped: same inputs), lists the
# versions of heart_rate and summarizes the result with sqlite3.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
SLUICE=${1:-$here/../../build/sluice}
case $SLUICE in
    /*) ;;
    *) SLUICE=$(pwd)/$SLUICE ;;
esac

fail() { echo "demo: FAILED: $*" >&2; exit 1; }

if [ ! -x "$SLUICE" ] || [ -d "$SLUICE" ]; then
    fail "sluice binary not found: $SLUICE (build it with make)"
fi
command -v sqlite3 >/dev/null 2>&1 ||
    fail "sqlite3 is needed to show the results (Debian/Ubuntu: apt-get install sqlite3)"

cd "$here"
rm -f wearable.db wearable.db-wal wearable.db-shm wearable.db-journal
DB=wearable.db

step() { printf '\n==> %s\n' "$*"; }

step "sluice run    (first run: load every source of sluice.yaml)"
rc=0
"$SLUICE" run || rc=$?
case $rc in
    0) echo "demo: note: exit code 0, but 1 was expected -- the data has bad rows on purpose (see README.md)" ;;
    1) echo "demo: exit code 1, as expected: some rows are bad on purpose; they are kept in bronze as invalid (see README.md)" ;;
    *) fail "sluice run exited with code $rc" ;;
esac

step "sluice run    (second run: the same inputs again, so every load is skipped)"
rc=0
"$SLUICE" run || rc=$?
[ "$rc" -eq 0 ] || fail "the second sluice run exited with code $rc, expected 0 (all inputs already loaded)"

step "sluice versions heart_rate"
rc=0
"$SLUICE" versions heart_rate || rc=$?
[ "$rc" -eq 0 ] || fail "sluice versions heart_rate exited with code $rc"

query() { # TITLE SQL
    step "$1"
    sqlite3 -header -column "$DB" "$2" || fail "query failed: $1"
}

# ts may be stored as ISO-8601 text or as an integer (s, ms or us since 1970).
DAY="CASE typeof(ts)
       WHEN 'integer' THEN date(CASE WHEN abs(ts) >= 100000000000000 THEN ts / 1000000
                                     WHEN abs(ts) >= 100000000000 THEN ts / 1000
                                     ELSE ts END, 'unixepoch')
       ELSE substr(ts, 1, 10) END"

# resting = mean of the lowest 10% of the day's readings
query "heart rate per device and day (silver table heart_rate)" "
WITH hr AS (
    SELECT device_id, $DAY AS day, bpm FROM heart_rate WHERE bpm IS NOT NULL
), ranked AS (
    SELECT device_id, day, bpm,
           row_number() OVER (PARTITION BY device_id, day ORDER BY bpm) AS rn,
           count(*)     OVER (PARTITION BY device_id, day)              AS n
    FROM hr
)
SELECT device_id, day,
       CAST(round(avg(CASE WHEN rn <= max(1, n / 10) THEN bpm END)) AS INTEGER) AS resting_bpm,
       round(avg(bpm), 1) AS avg_bpm,
       max(bpm)           AS max_bpm,
       count(*)           AS readings
FROM ranked GROUP BY device_id, day ORDER BY device_id, day;"

query "steps per device (silver table steps)" "
SELECT device_id, count(*) AS days, sum(steps) AS total_steps,
       CAST(round(avg(steps)) AS INTEGER) AS avg_steps_per_day,
       min(date) AS first_day, max(date) AS last_day
FROM steps GROUP BY device_id ORDER BY device_id;"

query "body measurements cleaned by transforms: UTC times, kg, °C, bpm, notes without HTML (silver table body)" "
SELECT measured, weight, weight_unit, temp_c, resting_hr, note FROM body ORDER BY measured;"

# One row per bronze table: how many records were valid / warning / invalid.
bronze=$(sqlite3 "$DB" "SELECT name FROM sqlite_master
                        WHERE type = 'table' AND name LIKE 'bronze!_%' ESCAPE '!' ORDER BY name;") ||
    fail "could not list the bronze tables"
[ -n "$bronze" ] || fail "no bronze_* tables in $DB"
sql=""
for t in $bronze; do
    [ -n "$sql" ] && sql="$sql
UNION ALL "
    sql="${sql}SELECT '$t' AS bronze_table, count(*) AS records,
       sum(status = 'valid') AS valid, sum(status = 'warning') AS warning,
       sum(status = 'invalid') AS invalid FROM \"$t\""
done
query "records per bronze table by status (invalid rows are kept, not dropped)" "$sql;"

printf '\ndemo: done -- open it yourself with: sqlite3 %s/%s\n' "$here" "$DB"
