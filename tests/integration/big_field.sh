#!/usr/bin/env bash
# A CSV record with one 100 MB quoted field, between normal rows, loaded with
# --max-record-size 16MiB: exit 1, the big record is an invalid bronze row whose error names
# max_record_size, every other row is loaded, and the peak RSS stays under 200 MB. Twice: a
# field of plain text, and one full of escaped quotes and newlines (which the skip must track).
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
q() { sqlite3 "$1" "$2"; }

# make FILE UNIT: header, 2 rows, a record whose text field is 100,000,000 bytes of UNIT
# repeated (UNIT's length divides 10^6, so the field ends on a whole unit), then 3 rows
make() {
    UNIT=$2 awk 'BEGIN { u = ENVIRON["UNIT"]; for (i = 1000000 / length(u); i > 0; i--) printf "%s", u }' >chunk
    [ "$(wc -c <chunk)" = 1000000 ] || fail "the 1 MB chunk of '$2' has $(wc -c <chunk) bytes"
    {
        echo "id,text,n"
        echo "1,before one,1"
        echo "2,before two,2"
        printf '3,"'
        for _ in $(seq 100); do cat chunk; done
        printf '",3\n'
        echo "4,after one,4"
        echo "5,\"after, two\",5"
        echo "6,after three,6"
    } >"$1"
}

run() {
    local file=$1 src=${1%.csv} st=0 rss
    /usr/bin/time -f %M -o "$src.rss" "$bin" load "$file" --db "sqlite:$src.db" \
        --max-record-size 16MiB >"$src.out" 2>"$src.err" || st=$?
    rss=$(tail -n 1 "$src.rss")
    [ "$st" = 1 ] || fail "$file: exit $st, not 1 (rows rejected): $(head -c 2000 "$src.err")"
    grep -q max_record_size "$src.out" "$src.err" ||
        fail "$file: the report does not name max_record_size: $(cat "$src.out")"
    local bad
    bad=$(q "$src.db" "select count(*) from bronze_$src where status = 'invalid'")
    [ "$bad" = 1 ] || fail "$file: $bad invalid bronze rows, not 1"
    q "$src.db" "select errors from bronze_$src where status = 'invalid' and row = 3" |
        grep -q max_record_size || fail "$file: the invalid row 3's error does not name max_record_size: \
$(q "$src.db" "select row, errors from bronze_$src where status = 'invalid'")"
    local rawmax
    rawmax=$(q "$src.db" "select max(length(raw)) from bronze_$src")
    [ "$rawmax" -le 16777216 ] || fail "$file: bronze keeps $rawmax bytes of a record over the limit"
    # the rows after it keep their place in the input: line, and byte offset 40 + 3 + 10^8 + 4
    local where
    where=$(q "$src.db" "select line || '@' || byte_offset from bronze_$src where row = 4")
    [ "$where" = "$2@100000047" ] || fail "$file: row 4 is at line@offset $where, not $2@100000047"
    local got want
    got=$(q "$src.db" "select id || ':' || text || ':' || n from $src order by _row" | tr '\n' ' ')
    want="1:before one:1 2:before two:2 4:after one:4 5:after, two:5 6:after three:6 "
    [ "$got" = "$want" ] || fail "$file: silver has [$got], want [$want]"
    [ "$(q "$src.db" "select rows || '/' || valid || '/' || invalid from sluice_loads")" = 6/5/1 ] ||
        fail "$file: catalog rows/valid/invalid: $(q "$src.db" 'select rows, valid, invalid from sluice_loads')"
    echo "$file ($(wc -c <"$file") bytes): exit 1, record 3 invalid (max_record_size)," \
        "bronze raw <= $rawmax bytes, row 4 at line@offset $where, 5 rows in silver, peak RSS $((rss / 1024)) MiB"
    [ "$rss" -lt $((200 * 1024)) ] || fail "$file: peak RSS $rss KiB is not under 200 MiB"
}

make plain.csv 'abcdefghij'
run plain.csv 5
rm -f plain.csv
make quoted.csv 'ab""cd
efg' # 10 bytes: an escaped quote and a newline inside the quoted field
run quoted.csv 10000005
echo "big_field: ok"
