#!/usr/bin/env bash
# Every JSON value class, end to end, against an independent oracle: Python's json module
# (tests/integration/oracle_json.py) reads each input itself and compares sluice's silver cell
# by cell (SQLite store). Inputs: value classes of our own making (0, false, [], {}, "null", "",
# a 1 MB string, -0, 1e400, integers beyond int64, unicode escapes, surrogate pairs, a lone
# surrogate, \u0000, escapes, pretty-printed nesting, dates and datetimes with zones), and real
# public data that Debian packages install on this machine (ISO 3166/4217/639 code lists of
# iso-codes, the emoji table of LibreOffice, CMake's MSBuild flag tables, npm's package.json
# files and its CI vendor list) as they are, or as NDJSON written by Python. The real files that
# are not installed are skipped (said); the value classes always run.
#
# The same against PostgreSQL when the test server is up (PGHOST/PGUSER, as tests/run starts
# it): jsonb, text, bigint, double precision, timestamptz, as docs/storage.md says.
#
# env: SLUICE (binary under test); PGHOST/PGUSER for the PostgreSQL half (skipped without).
set -euo pipefail
bin=${SLUICE:?}
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
[ -x "$py" ] || py=python3
tmp=$(mktemp -d)
pgdb=oraclejson_$$
trap 'rm -rf "$tmp"; [ -z "${PGHOST:-}" ] || psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS $pgdb" >/dev/null 2>&1 || true' EXIT
stores=(o.db)
if [ -n "${PGHOST:-}" ]; then
    psql -XqAt -d postgres -c "CREATE DATABASE $pgdb"
    stores+=("postgresql:///$pgdb")
fi
cd "$tmp"
failed=0

check() { # input kind source [sluice options]: on every store
    local input=$1 kind=$2 source=$3 out store
    shift 3
    for store in "${stores[@]}"; do
        # rows with warnings exit 0, rejected rows 1: the oracle counts them either way
        out=$("$bin" load "$input" --source "$source" --db "$store" --output json "$@") || true
        if [ -z "$out" ]; then
            echo "FAIL $source: load failed on $store"
            failed=1
            continue
        fi
        "$py" "$here/oracle_json.py" "$input" "$kind" "$source" "$store" "$out" || failed=1
    done
}

# ---- value classes of our own making ----
"$py" - <<'PY'
import json
long = "x" * 1_000_000
lines = [
    # one class per column, so each keeps its own type
    '{"zero":0,"f":false,"ea":[],"eo":{},"snull":"null","empty":"","long":"%s","negzero":-0,'
    '"huge":1e400,"bigint":123456789012345678901234567890,"int64min":-9223372036854775808,'
    '"int64max1":9223372036854775808,"uesc":"\\u00e9\\u4e2d\\u0041","pair":"\\ud83d\\ude00",'
    '"lone":"a\\ud800b","nul":"a\\u0000b","esc":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u001f","num":2.50,'
    '"exp":1E+2,"tiny":5e-324,"digits17":0.30000000000000004,"digits20":1.2345678901234567891,'
    '"dt":"2026-11-01 08:00","dtz":"2026-11-01T09:30:00+01:00","d":"2024-02-29","t":"08:00:00.5",'
    '"mixed":1,"mixnest":{"a":1},"nest":{ "k" : [ 1 , 2.50 , -0 , 1e400, "\\u00e9\\/" ] , "k" : null},'
    '"dup":1,"dup":2}' % long,
    '{"zero":1,"f":true,"ea":[[]],"eo":{"":{}},"snull":null,"empty":" ","long":"","negzero":0,'
    '"huge":2,"bigint":1,"int64min":1,"int64max1":1,"uesc":"","pair":"","lone":"","nul":"",'
    '"esc":"","num":3,"exp":1e-7,"tiny":1,"digits17":0.5,"digits20":1,'
    '"dt":"2026-11-01T08:00:00.123","dtz":"2026-11-01T23:30:00-05:30","d":"2026-01-01","t":"23:59:59",'
    '"mixed":"s","mixnest":"text","nest":[{"\\u0000":"\\ud800"}],"dup":3}',
    '{"zero":null,"f":null,"ea":null,"eo":null,"snull":"","empty":null,"mixed":true,"mixnest":7,'
    '"nest":"not nested","only_here":-0.0}',
]
open("classes.ndjson", "w").write("\n".join(lines) + "\n")
# the same records as a pretty-printed JSON array (indent, escapes kept as written)
recs = [json.loads(l, parse_int=str) for l in lines]
PY
check classes.ndjson ndjson classes
# the same records pretty-printed, as a JSON array: the silver values must not depend on layout
"$py" -c '
import sys
lines = open("classes.ndjson").read().splitlines()
out = ["["]
for i, l in enumerate(lines):
    # indentation and newlines between members; strings (and their escapes) untouched
    import re
    toks = re.split(r"(\"(?:[^\"\\\\]|\\\\.)*\")", l)
    pretty = "".join(t if t.startswith("\"") else t.replace(",", ",\n    ").replace("{", "{\n    ").replace(":", " : ") for t in toks)
    out.append("  " + pretty + ("," if i < len(lines) - 1 else ""))
out.append("]")
open("classes.json", "w").write("\n".join(out) + "\n")'
check classes.json json classes_pretty

# ---- real public data installed on this machine ----
real=0
real_json() { # file source: a JSON array of records (or one object), loaded as it is
    if [ -r "$1" ]; then
        check "$1" json "$2"
        real=$((real + 1))
    else
        echo "skip $2: $1 is not installed"
    fi
}
real_json /usr/lib/node_modules/npm/node_modules/ci-info/vendors.json npm_ci_vendors
for f in /usr/share/cmake-*/Templates/MSBuild/FlagTables/v143_CL.json; do
    real_json "$f" cmake_flags
    break
done
# a top-level object: one record, one object column per emoji
real_json /usr/lib/libreoffice/share/emojiconfig/emoji.json emoji_one_record
# records nested in a document, or spread over files: NDJSON written by Python's json.dumps
"$py" - <<'PY'
import glob, json, os
def ndjson(name, records):
    with open(name, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
for code, key in (("3166-1", "3166-1"), ("4217", "4217"), ("639-3", "639-3")):
    p = "/usr/share/iso-codes/json/iso_%s.json" % code
    if os.path.exists(p):
        ndjson("iso_%s.ndjson" % code.replace("-", "_"), json.load(open(p, encoding="utf-8"))[key])
p = "/usr/lib/libreoffice/share/emojiconfig/emoji.json"
if os.path.exists(p):
    d = json.load(open(p, encoding="utf-8"))
    ndjson("emoji.ndjson", [dict(id=k, **v) for k, v in d.items()])
pk = sorted(glob.glob("/usr/lib/node_modules/npm/node_modules/*/package.json"))[:300]
if pk:
    ndjson("npm_packages.ndjson", [json.load(open(p, encoding="utf-8")) for p in pk])
PY
for f in iso_3166_1 iso_4217 iso_639_3 emoji npm_packages; do
    if [ -e "$f.ndjson" ]; then
        check "$f.ndjson" ndjson "$f" --on-type-change widen
        real=$((real + 1))
    else
        echo "skip $f: not installed"
    fi
done
echo "real data files compared: $real"
exit $failed
