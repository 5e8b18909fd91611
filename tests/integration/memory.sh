#!/usr/bin/env bash
# Bounded memory: the peak RSS of a load does not grow with the input. CSV of 20 MB and 200 MB
# (the same rows repeated), NDJSON and a JSON array of 10 MB and 100 MB; each big load's peak
# RSS must be under 100 MB and within 30 MB of the small one's.
#
# env: SLUICE_RELEASE (release binary).
set -euo pipefail

bin=${SLUICE_RELEASE:?SLUICE_RELEASE must name the release sluice binary}
[ -x /usr/bin/time ] || {
    echo "FAIL: /usr/bin/time (GNU time) is needed to measure peak RSS" >&2
    exit 1
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

limit_kb=$((100 * 1024))
growth_kb=$((30 * 1024))

# load FILE SOURCE ROWS: loads FILE into a fresh database; prints the peak RSS in KiB
load() {
    local file=$1 src=$2 rows=$3 st=0 got
    "/usr/bin/time" -f %M -o "$src.rss" "$bin" load "$file" --source "$src" \
        --db "sqlite:$src.db" --quiet >"$src.out" 2>"$src.err" || st=$?
    [ "$st" = 0 ] || fail "loading $file exited $st: $(head -c 2000 "$src.err")"
    got=$(sqlite3 "$src.db" "select count(*) from \"$src\"")
    [ "$got" = "$rows" ] || fail "$file: silver has $got rows, not $rows"
    tail -n 1 "$src.rss"
}

# check NAME SMALL_FILE SMALL_ROWS BIG_FILE BIG_ROWS
check() {
    local name=$1 small big
    small=$(load "$2" "${name}_small" "$3")
    big=$(load "$4" "${name}_big" "$5")
    echo "$name: $(wc -c <"$2") bytes: peak RSS $((small / 1024)) MiB;" \
        "$(wc -c <"$4") bytes: peak RSS $((big / 1024)) MiB"
    [ "$big" -lt "$limit_kb" ] || fail "$name: the big load's peak RSS $big KiB is not under 100 MiB"
    [ "$big" -lt $((small + growth_kb)) ] ||
        fail "$name: peak RSS grows with the input: $small KiB -> $big KiB (more than +30 MiB)"
}

# CSV: ~20 MB of rows, then the same rows 10 times (~200 MB)
awk 'BEGIN {
    for (i = 1; i <= 420000; i++)
        printf "%d,name_%d_xyz,%d.%02d,2024-%02d-%02d,%s\n", i, i, i % 100000, i % 100,
            i % 12 + 1, i % 28 + 1, (i % 3 ? "true" : "false")
}' >csv.body
{
    echo "id,name,amount,day,flag"
    cat csv.body
} >small.csv
{
    echo "id,name,amount,day,flag"
    for _ in 1 2 3 4 5 6 7 8 9 10; do cat csv.body; done
} >big.csv
check csv small.csv 420000 big.csv 4200000

# NDJSON: ~10 MB of records, then 10 times that (~100 MB); nested values stay JSON
awk 'BEGIN {
    for (i = 1; i <= 85000; i++)
        printf "{\"id\":%d,\"name\":\"name %d\",\"amount\":%d.%02d,\"day\":\"2024-%02d-%02d\",\"ok\":%s,\"tags\":[\"a\",\"b%d\"],\"geo\":{\"x\":%d,\"y\":%d}}\n",
            i, i, i % 100000, i % 100, i % 12 + 1, i % 28 + 1, (i % 3 ? "true" : "false"), i % 7, i % 90, i % 180
}' >nd.body
cp nd.body small.ndjson
for _ in 1 2 3 4 5 6 7 8 9 10; do cat nd.body; done >big.ndjson
check ndjson small.ndjson 85000 big.ndjson 850000

# JSON array: "[" + the same records joined by "," + "]"
sed 's/$/,/' nd.body >js.body
last=$(head -n 1 nd.body)
{
    echo "["
    cat js.body
    echo "$last"
    echo "]"
} >small.json
{
    echo "["
    for _ in 1 2 3 4 5 6 7 8 9 10; do cat js.body; done
    echo "$last"
    echo "]"
} >big.json
check json small.json 85001 big.json 850001

echo "memory: ok"
