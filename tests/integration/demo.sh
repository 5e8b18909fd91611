#!/usr/bin/env bash
# The demo `make demo` runs works, under ASan+UBSan, on a copy of examples/wearable:
# the bad rows on purpose are rejected and kept, everything else lands, a second run skips.
set -euo pipefail
bin=${SLUICE:?}
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp -R "$root/examples/wearable" "$dir/"
rm -f "$dir"/wearable/wearable.db*
"$dir/wearable/demo.sh" "$bin" >"$dir/out" 2>&1 || { cat "$dir/out" >&2; echo "FAIL: demo.sh failed" >&2; exit 1; }
out=$dir/out
expect() {
    grep -qE "$1" "$out" || { echo "FAIL: demo output lacks: $1" >&2; cat "$out" >&2; exit 1; }
    echo "ok: $1"
}
expect 'heart_rate: load [0-9]+ committed: 2160 rows \(2157 valid, 3 rejected\)'
expect 'steps: load [0-9]+ committed: 60 rows \(59 valid, 1 rejected\)'
expect 'sleep: load [0-9]+ committed: 21 rows \(21 valid\)'
expect 'devices: load [0-9]+ committed: 6 rows \(6 valid\)'
expect 'body: load [0-9]+ committed: 15 rows \(14 valid, 1 rejected\)'
expect 'values changed by transforms: timestamp\(measured\) 15, unit\(weight\) 7'
expect 'outlier: weight: 0.82 is below the range bound 20'
expect 'column 6 renamed: "" -> field_6'
expect 'devices: skipped: same input already loaded'
expect 'bronze_heart_rate +4320 +4317 +0 +3'
db=$dir/wearable/wearable.db
[ "$(sqlite3 "$db" 'select "Owner Name" from devices where "Device ID" = '"'"'w-00'"'"'')" = "José García" ] ||
    { echo "FAIL: Latin-1 owner name not transcoded" >&2; exit 1; }
echo "ok: Latin-1 transcoded"
[ "$(sqlite3 "$db" "select measured || ' ' || weight || ' ' || weight_unit || ' ' || temp_c || ' ' || resting_hr || ' ' || note from body where _row = 2")" = "2026-10-21T05:10:00Z 63.96 kg 36.7 57 after run" ] ||
    { echo "FAIL: body not transformed" >&2; exit 1; }
echo "ok: body transformed"
