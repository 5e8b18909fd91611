#!/usr/bin/env bash
# An oracle for the CSV/TSV reader: sluice's parsing is compared cell by cell with Python's csv
# module (and with DuckDB's read_csv when its Node.js package can be found) on real public data
# found on this machine (Debian's distro-info tables, tzdata's .tab files, the package lists
# under /usr/share/package-lists, the project's own examples) and on tricky files made here.
#
# For each file, `sluice infer` says which dialect sluice sniffed (delimiter, quote, header,
# encoding); Python then reads the file with that dialect, and every record is checked:
#   - a record sluice loads must have exactly Python's cells, in order, and the header the same
#     names;
#   - a record sluice rejects must be one Python also sees as wrong in that way: a different
#     number of cells than the header (missing-cell / extra-cell), an empty line (blank-row),
#     a NUL byte or invalid UTF-8 (encoding-error), a quote never closed (format-error; Python
#     reads on to the end of the input there, sluice resumes on the next line: the comparison
#     stops at that record).
# Files with a known dialect must be sniffed so (a .tab is tab-separated, debian.csv has ',').
#
# Intended differences, explained in docs/formats.md ("Compared with other readers"):
#   - a row with fewer or more cells than the header is rejected (kept in bronze with its
#     reasons), where Python returns a shorter or longer list and DuckDB fails unless
#     null_padding is set; sluice never pads or guesses which cell is missing;
#   - an empty line is a rejected blank-row (Python returns [], DuckDB skips it);
#   - '#' comment lines (tzdata's .tab files) are data to sluice, as to Python: they are
#     stripped here before the comparison (grep -v '^#'), as a user would;
#   - DuckDB reads an empty unquoted cell as NULL, sluice and Python as an empty string (in
#     silver an empty cell is NULL too, unless the schema says otherwise).
#
# usage: SLUICE=path/to/sluice bash tests/integration/oracle_csv.sh
#   ORACLE_ROWS  rows taken from each big package list (default 20000)
#   NODE_PATH    where node finds @duckdb/node-api (optional; the DuckDB part is skipped
#                without it, and says so)
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SLUICE:-$here/build/asan/sluice}
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rows=${ORACLE_ROWS:-20000}

# ---- the inputs: name|expected delimiter (or -)|path --------------------------------------
list=$tmp/list
: >"$list"
add() { [ -r "$3" ] && [ -s "$3" ] && echo "$1|$2|$3" >>"$list"; }

for f in /usr/share/distro-info/*.csv; do add "$(basename "$f")" , "$f"; done
for f in /usr/share/zoneinfo/*.tab; do
    [ -r "$f" ] || continue
    grep -v '^#' "$f" >"$tmp/$(basename "$f")" # comments are not CSV: stripped, as a user would
    add "$(basename "$f") (comments stripped)" tab "$tmp/$(basename "$f")"
done
for f in /usr/share/package-lists/*.tsv; do
    [ -r "$f" ] || continue
    head -n "$rows" "$f" >"$tmp/$(basename "$f")"
    add "$(basename "$f") (first $rows lines)" tab "$tmp/$(basename "$f")"
done
for f in "$here"/examples/*/data/*.csv "$here"/examples/*/data/*/*.csv "$here"/tests/cli/data/*.csv; do
    add "${f#"$here"/}" - "$f"
done

# tricky files of our own making, each with the delimiter it must be read with
mk() { printf "$2" >"$tmp/$1"; add "$1" "$3" "$tmp/$1"; }
mk quotes.csv 'id,text\n1,"a, b"\n2,"say ""hi"""\n3,"two\nlines"\n4,""\n5,plain"quote\n' ,
mk crlf.csv 'a,b\r\n1,2\r\n"x\r\ny",3\r\n' ,
mk cr_only.csv 'a,b\r1,2\r3,4\r' ,
mk bom.csv '\xef\xbb\xbfname,n\nZoë,1\n' ,
mk latin1.csv 'name;city\nJos\xe9;M\xfcnchen\n' ';'
mk semicolon.csv 'item;price\nA;1,50\nB;2,75\n' ';'
mk pipe.csv 'a|b|c\n1|2|3\n4||6\n' pipe
mk ragged.csv 'a,b,c\n1,2,3\n4,5\n6,7,8,9\n\n10,11,12\n' ,
mk text_after_quote.csv 'a,b\n"x"y,1\n' ,
mk quoted_empty_line.csv 'v\n""\nx\n' ,
mk single_ts.csv 'ts\n2026-01-01T10:00:00\n2026-01-01T11:00:00Z\n' ,
mk single_words.csv 'word\nhello, world\nfoo\n' ,
mk unicode.tsv 'k\tv\n\xe2\x9c\x93\t\xf0\x9f\x98\x80\n' tab
mk spaces_kept.csv 'a,b\n  x ,y  \n" z ",w\n' ,
mk sensor.txt 'time                 temp  hum\n2026-01-01T00:00:00\t21.5\t40\n' tab
mk unterminated.csv 'a,b\n1,"open\n2,3\n' ,
mk nul.csv 'a,b\n1,x\0y\n2,z\n' ,

echo "== Python $("$py" -c 'import sys; print(sys.version.split()[0])') csv module"
"$py" - "$bin" "$list" <<'PY'
import csv, json, re, subprocess, sys

binary, listfile = sys.argv[1], sys.argv[2]
csv.field_size_limit(1 << 30)
problems = 0
totals = {"files": 0, "records": 0, "cells": 0, "rejected": 0}
WARN = re.compile(r"^sluice: warning: .*?:(\d+): record (\d+): ([a-z-]+): (.*)$")


def run(args):
    p = subprocess.run([binary] + args, capture_output=True)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def complain(name, msg):
    global problems
    problems += 1
    print(f"DIFF {name}: {msg}")


duck_jobs = []
for line in open(listfile, encoding="utf-8"):
    name, want_delim, path = line.rstrip("\n").split("|", 2)
    rc, out, err = run(["infer", path])
    m = re.search(rb"^# read as: (\{.*\})$", out, re.M)
    if not m:
        complain(name, f"infer gave no dialect (exit {rc}): {err.strip()[:200]}")
        continue
    d = json.loads(m.group(1))
    if d.get("format") not in ("csv", "tsv"):
        complain(name, f"read as {d.get('format')}, not CSV/TSV")
        continue
    delim = d["delimiter"]
    if want_delim != "-":
        want = {"tab": "\t", "pipe": "|"}.get(want_delim, want_delim)
        if delim != want:
            complain(name, f"delimiter sniffed {delim!r}, the file has {want!r}")
            continue
    quote = d.get("quote")
    enc = {"utf-8": "utf-8", "latin1": "latin-1", "windows-1252": "cp1252"}.get(
        d["encoding"], "utf-8")
    if d.get("bom"):
        enc = "utf-8-sig"

    # sluice: valid records on stdout (in order), rejected ones on stderr with their numbers
    rc, out, err = run(["cat", path])
    if rc not in (0, 1):
        complain(name, f"cat failed (exit {rc}): {err.strip()[:200]}")
        continue
    rejected = {}
    for l in err.splitlines():
        w = WARN.match(l)
        if w:
            rejected.setdefault(int(w.group(2)), set()).add(w.group(3))
    loaded = [json.loads(l, object_pairs_hook=list) for l in out.decode("utf-8").splitlines()]

    # Python, with the dialect sluice found
    with open(path, newline="", encoding=enc, errors="surrogateescape") as f:
        kw = {"delimiter": delim, "strict": False}
        if quote:
            kw.update(quotechar=quote, doublequote=True)
        else:
            kw.update(quoting=csv.QUOTE_NONE)
        # each row, and whether its text holds the quote character (see the DuckDB part)
        raw = f.read().split("\n")
        f.seek(0)
        py_rows, quoted, py_error, last = [], [], None, 0
        reader = csv.reader(f, **kw)
        try:
            for r in reader:
                text = "\n".join(raw[last:reader.line_num])
                last = reader.line_num
                py_rows.append(r)
                quoted.append(bool(quote) and quote in text)
        except csv.Error as e:  # an unterminated quote at the end of the input
            py_error = str(e)
    header = None
    if d["header"] and py_rows:
        header = py_rows.pop(0)
        quoted.pop(0)
    width = len(header) if header is not None else None
    if header is not None and d.get("header_split") and len(header) == 1:
        # a header aligned with spaces over tab-separated rows: sluice splits it (intended)
        header = header[0].split() if d["header_split"] == "blanks" else \
            [h.strip() for h in re.split(r"\s{2,}|\t", header[0].strip())]
    if header is not None and loaded:
        names = [k for k, _ in loaded[0]]
        if names != header:
            complain(name, f"header {names!r}, Python {header!r}")
    if width is None and loaded:
        width = len(loaded[0])

    it = iter(loaded)
    diffs = 0
    for i, row in enumerate(py_rows, 1):
        codes = rejected.get(i)
        if codes:
            totals["rejected"] += 1
            ok = False
            if "format-error" in codes:
                # sluice resumes after the line with the open quote; Python read to the end
                if any('"' in c or "\n" in c for c in row) or py_error:
                    print(f"     {name}: record {i} opens a quote never closed: compared up to it")
                    break
            if codes & {"missing-cell", "extra-cell"}:
                ok = width is not None and len(row) != width
            if "blank-row" in codes:
                ok = row == [] or all(c == "" for c in row)
            if "encoding-error" in codes:
                ok = any("\0" in c or re.search("[\udc80-\udcff]", c) for c in row)
            if not ok:
                complain(name, f"record {i} rejected by sluice ({', '.join(sorted(codes))}) "
                               f"but Python reads {row!r}")
                diffs += 1
            continue
        got = next(it, None)
        if got is None:
            complain(name, f"record {i}: Python has {row!r}, sluice has no more records")
            diffs += 1
            break
        values = [v for _, v in got]
        totals["records"] += 1
        totals["cells"] += len(values)
        if values != row:
            if diffs < 5:
                complain(name, f"record {i}: sluice {values!r}, Python {row!r}")
            diffs += 1
    else:
        extra = list(it)
        if extra:
            complain(name, f"sluice has {len(extra)} records more than Python: {extra[0]!r}")
    totals["files"] += 1
    if not diffs and not rejected and enc in ("utf-8", "utf-8-sig"):
        duck_jobs.append({"name": name, "path": path, "delim": delim, "quote": quote or "",
                          "header": bool(d["header"]) and not d.get("header_split"),
                          "rows": py_rows, "quoted": quoted, "sluice": d})
    print(f"{'ok  ' if not diffs else 'FAIL'} {name}: {len(py_rows)} records, "
          f"{len(loaded)} loaded, {sum(1 for k in rejected if k <= len(py_rows))} rejected, "
          f"delimiter {delim!r}, header {d['header']}")

print(f"python: {totals['files']} files, {totals['records']} records and {totals['cells']} "
      f"cells identical, {totals['rejected']} rejected records explained, {problems} problems")

# ---- DuckDB, through its Node.js package, on the files every record of which loaded --------
NODE = r'''
const { DuckDBInstance } = require('@duckdb/node-api');
const jobs = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const lit = (s) => "'" + s.replace(/'/g, "''") + "'";
(async () => {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  for (const j of jobs) {
    const out = { name: j.name };
    try {
      const sn = await con.runAndReadAll(
        `SELECT Delimiter, Quote, HasHeader FROM sniff_csv(${lit(j.path)})`);
      out.sniffed = sn.getRowsJS()[0];
      const r = await con.runAndReadAll(
        `SELECT * FROM read_csv(${lit(j.path)}, delim=${lit(j.delim)}, ` +
        `quote=${lit(j.quote)}, escape=${lit(j.quote)}, header=${j.header}, ` +
        `all_varchar=true, auto_detect=false, columns=${j.columns}, ` +
        `null_padding=false, strict_mode=false)`);
      out.rows = r.getRowsJS();
    } catch (e) {
      out.error = String(e.message || e).split('\n')[0];
    }
    process.stdout.write(JSON.stringify(out) + '\n');
  }
})();
'''
import os, shutil, tempfile
node = shutil.which("node")
probe = node and subprocess.run([node, "-e", "require('@duckdb/node-api')"],
                                capture_output=True).returncode == 0
if not probe:
    print("duckdb: skipped (node cannot require @duckdb/node-api; set NODE_PATH to a "
          "node_modules holding it to compare with DuckDB too)")
    sys.exit(1 if problems else 0)
tmpd = tempfile.mkdtemp()
for j in duck_jobs:
    width = max([len(r) for r in j["rows"]] + [1])
    if j["header"]:
        with open(j["path"], newline="", encoding="utf-8-sig") as f:
            width = len(next(csv.reader(f, delimiter=j["delim"], quotechar=j["quote"] or None)))
    j["columns"] = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
jobfile = os.path.join(tmpd, "jobs.json")
json.dump([{k: v for k, v in j.items() if k not in ("rows", "sluice")} for j in duck_jobs],
          open(jobfile, "w"))
script = os.path.join(tmpd, "duck.cjs")
open(script, "w").write(NODE)
p = subprocess.run([node, script, jobfile], capture_output=True)
results = [json.loads(l) for l in p.stdout.decode().splitlines()]
if p.returncode or len(results) != len(duck_jobs):
    complain("duckdb", f"the Node.js script failed: {p.stderr.decode()[-300:]}")
same_sniff = cells = 0
for j, res in zip(duck_jobs, results):
    name, want = j["name"], j["rows"]
    sn = res.get("sniffed")
    d = j["sluice"]
    if sn and sn[0] == d["delimiter"] and bool(sn[2]) == bool(d["header"]):
        same_sniff += 1
    elif sn:
        print(f"     {name}: DuckDB sniffs delimiter {sn[0]!r} header {sn[2]}, sluice "
              f"{d['delimiter']!r} header {d['header']}")
    if "error" in res:
        print(f"     {name}: DuckDB cannot read it with sluice's dialect: {res['error'][:160]}")
        continue
    # DuckDB skips empty lines and reads empty cells (quoted or not) as NULL: '' here
    got = [["" if v is None else v for v in r] for r in res["rows"]]
    quoted = [q for r, q in zip(want, j["quoted"]) if r != []]
    want = [r for r in want if r != []]
    bad = [i for i, (a, b) in enumerate(zip(got, want)) if a != b]
    # Without strict_mode DuckDB drops text around a quote inside a field (kubectl "doner"-wrap
    # becomes doner-wra, "x"y becomes x); sluice keeps it as Python does (with a warning for
    # text after a closing quote): counted, not a failure
    noted = [i for i in bad if quoted[i]]
    if noted:
        k = noted[0]
        print(f"     {name}: {len(noted)} rows with a quote inside a field differ (DuckDB "
              f"non-strict): row {k + 1}: DuckDB {got[k]!r}, sluice and Python {want[k]!r}")
    bad = [i for i in bad if not quoted[i]]
    if len(got) != len(want) or bad:
        k = bad[0] if bad else min(len(got), len(want))
        complain(name, f"DuckDB {len(got)} rows, Python/sluice {len(want)}; first difference "
                       f"at row {k + 1}: DuckDB {got[k] if k < len(got) else None!r}, "
                       f"sluice {want[k] if k < len(want) else None!r}")
    else:
        cells += sum(len(r) for i, r in enumerate(got) if i not in set(noted))
        print(f"ok   duckdb {name}: {len(got)} rows")
print(f"duckdb: {len(duck_jobs)} files, {cells} cells identical, same delimiter and header "
      f"sniffed for {same_sniff} of {len(results)}, {problems} problems in all")
sys.exit(1 if problems else 0)
PY
st=$?
exit $st
