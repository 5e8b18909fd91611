#!/usr/bin/env bash
# The same data as a plain file, .gz, .zst (single and multi-member/frame) and through stdin
# (plain and compressed) gives the same silver rows; the recorded SHA-256 is of the bytes as
# given; a truncated .zst fails with exit 3 and "truncated" and leaves nothing committed; of three
# files in one command with the middle one missing, the other two are committed (exit 3).
#
# env: SLUICE (the ASan+UBSan binary).
set -euo pipefail

bin=${SLUICE:?SLUICE must name the sluice binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
q() { sqlite3 "$1" "$2"; }

n=20000
awk -v n=$n 'BEGIN {
    print "id,name,amount,day,note"
    for (i = 1; i <= n; i++)
        printf "%d,\"Name, %d\",%d.%02d,2024-%02d-%02d,%s\n", i, i, i % 1000, i % 100,
            i % 12 + 1, i % 28 + 1, (i % 5 ? "\"h\303\251llo \"\"q\"\", " i "\"" : "")
}' >d.csv
gzip -k d.csv
zstd -q -k d.csv
head -n 10001 d.csv >part1
tail -n +10002 d.csv >part2
{
    gzip -c part1
    gzip -c part2
} >multi.csv.gz
{
    zstd -q -c part1
    zstd -q -c part2
} >multi.csv.zst

awk -v n=$n 'BEGIN {
    for (i = 1; i <= n; i++)
        printf "{\"id\":%d,\"name\":\"Name, %d\",\"amount\":%d.%02d,\"tags\":[\"t%d\"],\"note\":%s}\n",
            i, i, i % 1000, i % 100, i % 7, (i % 5 ? "\"h\303\251llo " i "\"" : "null")
}' >e.ndjson
gzip -k e.ndjson
zstd -q -k e.ndjson

# load NAME SOURCE ARGS...: loads into a fresh NAME.db as SOURCE (exit must be 0); prints the
# silver rows' digest
load() {
    local name=$1 src=$2 st=0
    shift 2
    "$bin" load "$@" --db "sqlite:$name.db" >"$name.out" 2>"$name.err" || st=$?
    [ "$st" = 0 ] || fail "$name: load $* exited $st: $(cat "$name.err")"
    [ "$(q "$name.db" "select count(*) from \"$src\"")" = $n ] ||
        fail "$name: silver $src has $(q "$name.db" "select count(*) from \"$src\"") rows, not $n"
    q "$name.db" "select * from \"$src\" order by 1" | sha256sum | cut -c1-64
}

# sha NAME: the SHA-256 the catalog recorded for NAME.db's one load
sha() { q "$1.db" "select sha256 from sluice_loads"; }

ref=$(load plain d d.csv)
got=$(q plain.db "select quote(id), quote(name), quote(amount), quote(day), quote(note) from d where id in (1, 5, 19999) order by id" | tr '\n' ' ')
want="1|'Name, 1'|1.01|'2024-02-02'|'h\303\251llo \"q\", 1' 5|'Name, 5'|5.05|'2024-06-06'|NULL 19999|'Name, 19999'|999.99|'2024-08-08'|'h\303\251llo \"q\", 19999' "
[ "$got" = "$(printf '%b' "$want")" ] || fail "d.csv: silver rows 1, 5, 19999 are [$got]"
for v in "gz d d.csv.gz" "zst d d.csv.zst" "mgz multi multi.csv.gz" "mzst multi multi.csv.zst"; do
    read -r name src file <<<"$v"
    got=$(load "$name" "$src" "$file")
    [ "$got" = "$ref" ] || fail "$file: silver differs from the plain file's"
done
got=$(load stdin d --source d - <d.csv)
[ "$got" = "$ref" ] || fail "stdin: silver differs from the plain file's"
got=$(load stdin_gz d --source d - <d.csv.gz)
[ "$got" = "$ref" ] || fail "gzip on stdin: silver differs from the plain file's"
got=$(load stdin_zst d --source d - <d.csv.zst)
[ "$got" = "$ref" ] || fail "zstd on stdin: silver differs from the plain file's"
echo "csv: plain, .gz, .zst, multi-member .gz, multi-frame .zst, stdin (plain, gz, zst): same silver $ref"

for f in d.csv d.csv.gz d.csv.zst; do
    want=$(sha256sum "$f" | cut -c1-64)
    case $f in
    d.csv) name=plain ;;
    d.csv.gz) name=gz ;;
    d.csv.zst) name=zst ;;
    esac
    [ "$(sha "$name")" = "$want" ] || fail "$f: recorded sha256 $(sha "$name"), sha256sum says $want"
done
[ "$(sha stdin)" = "$(sha256sum <d.csv | cut -c1-64)" ] || fail "stdin: recorded sha256 is not that of the bytes"
[ "$(sha stdin_gz)" = "$(sha256sum <d.csv.gz | cut -c1-64)" ] ||
    fail "gzip on stdin: recorded sha256 is not that of the compressed bytes"
echo "sha256 recorded = sha256sum of the file as given (plain, .gz, .zst, stdin)"

ref=$(load nd e e.ndjson)
got=$(load nd_gz e e.ndjson.gz)
[ "$got" = "$ref" ] || fail "e.ndjson.gz: silver differs from the plain file's"
got=$(load nd_stdin_zst e --source e - <e.ndjson.zst)
[ "$got" = "$ref" ] || fail "e.ndjson.zst on stdin: silver differs from the plain file's"
echo "ndjson: plain, .gz, .zst on stdin: same silver $ref"

# a truncated .zst: exit 3, "truncated", nothing committed
size=$(stat -c %s d.csv.zst)
head -c $((size / 2)) d.csv.zst >cut.csv.zst
for how in file stdin; do
    st=0
    if [ $how = file ]; then
        "$bin" load cut.csv.zst --db sqlite:cut_$how.db >cut.out 2>cut.err || st=$?
    else
        "$bin" load - --source cut --db sqlite:cut_$how.db <cut.csv.zst >cut.out 2>cut.err || st=$?
    fi
    [ "$st" = 3 ] || fail "truncated .zst ($how): exit $st, not 3: $(cat cut.err)"
    grep -q truncated cut.err || fail "truncated .zst ($how): stderr does not say 'truncated': $(cat cut.err)"
    [ "$(q cut_$how.db "select count(*) from sluice_loads where status = 'committed'")" = 0 ] ||
        fail "truncated .zst ($how): a committed load"
    silver=$(q cut_$how.db "select count(*) from sqlite_master where name = 'cut'")
    [ "$silver" = 0 ] || [ "$(q cut_$how.db 'select count(*) from cut')" = 0 ] ||
        fail "truncated .zst ($how): silver cut has rows"
    echo "truncated .zst ($how): exit 3, '$(head -n 1 cut.err)', nothing committed"
done

# three files, the middle one missing: exit 3, the first and the last committed
head -n 101 d.csv >one.csv
{
    head -n 1 d.csv
    sed -n '102,301p' d.csv
} >three.csv
st=0
"$bin" load one.csv missing.csv three.csv --db sqlite:three.db >three.out 2>three.err || st=$?
[ "$st" = 3 ] || fail "one.csv missing.csv three.csv: exit $st, not 3: $(cat three.out three.err)"
grep -q missing.csv three.err || fail "the error does not name missing.csv: $(cat three.err)"
got=$(q three.db "select input || ':' || status || ':' || rows from sluice_loads order by load" | tr '\n' ' ')
[ "$got" = "one.csv:committed:100 missing.csv:failed:0 three.csv:committed:200 " ] ||
    fail "one.csv missing.csv three.csv: catalog [$got]"
[ "$(q three.db 'select count(*) from one')" = 300 ] || fail "silver one does not have 300 rows"
echo "one.csv missing.csv three.csv: exit 3, catalog [$got], silver 300 rows"
echo "stdin_and_compression: ok"
