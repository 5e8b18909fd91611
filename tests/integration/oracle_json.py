#!/usr/bin/python3
"""Cell-by-cell oracle for JSON inputs (tests/integration/oracle_json.sh runs it).

usage: oracle_json.py INPUT KIND SOURCE DB LOAD_JSON
  INPUT      the file sluice loaded; KIND: ndjson or json (an array of records, or one object)
  DB         the SQLite store, or a PostgreSQL database as postgresql:///NAME (read with psql)
  LOAD_JSON  the load's --output json (renames, counts)

Python's json module reads INPUT independently; every record must be a silver row (by _row),
and every value must be what docs/schema.md says silver holds for the column's type:
  null -> NULL; strings exactly (a lone UTF-16 surrogate is U+FFFD, with a warning);
  numbers exactly as written in text columns, as the same integer in INTEGER columns, as a
  double that loses nothing in REAL columns; booleans 1/0 (or "true"/"false" in text columns);
  objects/arrays as compact canonical JSON (an independent serializer below); dates and times
  canonical (a datetime with a zone as the same instant in UTC, written with Z).
On PostgreSQL (docs/storage.md): object/array columns are jsonb (compared as values: members
by key, numbers by value, U+0000 and lone surrogates as U+FFFD); text cannot hold U+0000
(U+FFFD, said by the load); `any` columns are text (booleans "true"/"false"); a datetime without
a zone is UTC.
Prints one line per difference (at most 20) and exits 1 if there is any.
"""
import datetime
import decimal
import json
import re
import sqlite3
import sys

NUM = "num"


def parse(text):
    # numbers keep their text, objects their member order and duplicates: nothing is lost
    return json.loads(text, parse_int=lambda s: (NUM, s), parse_float=lambda s: (NUM, s),
                      parse_constant=lambda s: (NUM, s),
                      object_pairs_hook=lambda pairs: ("obj", pairs))


def is_num(v):
    return isinstance(v, tuple) and v[0] == NUM


def is_obj(v):
    return isinstance(v, tuple) and v[0] == "obj"


SURROGATE = re.compile("[\ud800-\udfff]")


def canon_str(s):
    # JSON's fewest escapes; a lone surrogate (no character) stays a \\u escape, lowercase
    out = json.dumps(s, ensure_ascii=False)
    return SURROGATE.sub(lambda m: "\\u%04x" % ord(m.group()), out)


def canon(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if is_num(v):
        return v[1]
    if is_obj(v):
        return "{" + ",".join(canon_str(k) + ":" + canon(x) for k, x in v[1]) + "}"
    if isinstance(v, list):
        return "[" + ",".join(canon(x) for x in v) + "]"
    return canon_str(v)


def lossless_double(token, d):
    if d != d or d in (float("inf"), float("-inf")):
        return False
    return decimal.Decimal(token) == decimal.Decimal(repr(d))


def utc_instant(s):
    s2 = s.replace(" ", "T", 1)
    if s2.endswith("Z"):
        s2 = s2[:-1] + "+00:00"
    return datetime.datetime.fromisoformat(s2)


def expect(v, col_type, cell):
    """None when the cell is what silver should hold for v, else why not."""
    t = col_type.upper()
    if v is None:
        return None if cell is None else "null should be NULL"
    if cell is None:
        return "NULL for a value"
    if is_obj(v) or isinstance(v, list):
        want = canon(v)
        return None if cell == want else "nested: want %r" % want[:200]
    if isinstance(v, bool):
        if t in ("BOOLEAN", ""):
            return None if cell == int(v) else "boolean: want %d" % int(v)
        return None if cell == ("true" if v else "false") else "boolean as text"
    if is_num(v):
        tok = v[1]
        if t == "INTEGER" or (t == "" and isinstance(cell, int)):
            return None if isinstance(cell, int) and cell == int(tok) else "integer: want %s" % tok
        if t == "REAL" or (t == "" and isinstance(cell, float)):
            if not isinstance(cell, float) or cell != float(tok):
                return "number: want %s" % tok
            return None if lossless_double(tok, cell) else "number %s lost digits as %r" % (tok, cell)
        return None if cell == tok else "number as text: want %s" % tok
    # a string
    want = SURROGATE.sub("\ufffd", v)
    if t == "DATETIME" and cell != want:
        try:
            a, b = utc_instant(v), utc_instant(cell)
        except ValueError:
            return "datetime: want %r" % v
        if (a.tzinfo is None) != (b.tzinfo is None) or a != b:
            return "datetime: not the same instant as %r" % v
        if a.tzinfo is not None and not cell.endswith("Z"):
            return "datetime with a zone should be written in UTC with Z"
        return None
    return None if cell == want else "string: want %r" % want[:200]


def pg_text(v):
    # what PostgreSQL's text and jsonb hold for a decoded string
    return SURROGATE.sub("\ufffd", v).replace("\0", "\ufffd")


def pg_value(v):
    # a JSON value as jsonb holds it: members by key (the last of a repeated key), exact numbers
    if is_num(v):
        return decimal.Decimal(v[1])
    if is_obj(v):
        return {pg_text(k): pg_value(x) for k, x in v[1]}
    if isinstance(v, list):
        return [pg_value(x) for x in v]
    if isinstance(v, str):
        return pg_text(v)
    return v


def expect_pg(v, t, cell):
    if v is None:
        return None if cell is None else "null should be NULL"
    if cell is None:
        return "NULL for a value"
    if t == "jsonb":
        got = json.loads(cell, parse_float=decimal.Decimal, parse_int=decimal.Decimal) \
            if isinstance(cell, str) else cell
        return None if got == pg_value(v) else "jsonb: want %r" % canon(v)[:200]
    if t == "text":
        if is_obj(v) or isinstance(v, list):
            want = canon(v)
        elif isinstance(v, bool):
            want = "true" if v else "false"
        elif is_num(v):
            want = v[1]
        else:
            want = pg_text(v)
        return None if cell == want else "text: want %r" % want[:200]
    if t == "bigint":
        return None if is_num(v) and cell == int(v[1]) else "bigint: want %r" % (v,)
    if t == "double precision":
        if not is_num(v) or float(cell) != float(v[1]):
            return "double: want %r" % (v,)
        return None if lossless_double(v[1], float(cell)) else "double lost digits"
    if t == "boolean":
        return None if cell is v else "boolean: want %r" % v
    if t == "timestamp with time zone":
        a, b = utc_instant(v), utc_instant(cell)
        if a.tzinfo is None:
            a = a.replace(tzinfo=datetime.timezone.utc)
        return None if a == b else "timestamptz: not the instant of %r" % v
    return None if cell == v else "%s: want %r" % (t, v)


def pg_rows(url, source):
    import subprocess
    name = url.rsplit("/", 1)[1]
    q = lambda sql: subprocess.run(["psql", "-XqAt", "-d", name, "-c", sql], check=True,
                                   capture_output=True, text=True).stdout
    lit = source.replace("'", "''")
    types = dict(line.split("|", 1) for line in q(
        "select column_name, data_type from information_schema.columns where table_schema = "
        "'public' and table_name = '%s'" % lit).splitlines())
    rows = [json.loads(line, parse_float=decimal.Decimal) for line in q(
        'select row_to_json(r)::text from (select * from "%s" order by _row) r'
        % source.replace('"', '""')).splitlines()]
    return types, rows


def main_pg(records, renamed, load, url, source):
    types, rows = pg_rows(url, source)
    bad = []
    if len(rows) != len(records) or load["invalid"] != 0:
        bad.append("%d records, %d silver rows, %d rejected" % (len(records), len(rows), load["invalid"]))
    cells = 0
    for i, (rec, got) in enumerate(zip(records, rows)):
        for key, v in dict(rec[1]).items():
            col = renamed.get(key, key)
            if col not in got:
                bad.append("record %d: no column %r" % (i + 1, col))
                continue
            why = expect_pg(v, types[col], got[col])
            cells += 1
            if why:
                bad.append("record %d, %s (%s): %s; silver has %r" % (i + 1, col, types[col], why,
                                                                     str(got[col])[:200]))
    for b in bad[:20]:
        print("DIFF %s (postgresql): %s" % (source, b))
    print("%s (postgresql): %d records, %d cells compared, %d differences"
          % (source, len(records), cells, len(bad)))
    return 1 if bad else 0


def main():
    path, kind, source, dbpath, load_json = sys.argv[1:6]
    with open(path, "rb") as f:
        data = f.read().decode("utf-8-sig")
    if kind == "ndjson":
        records = [parse(line) for line in data.splitlines() if line.strip()]
    else:
        doc = parse(data)
        records = doc if isinstance(doc, list) else [doc]
    load = json.loads(load_json)
    renamed = {r["from"]: r["to"] for r in load.get("renamed", [])}
    if load["status"] != "committed":
        # a table wider than the store allows is refused as docs/robustness.md says (PostgreSQL:
        # 1600 columns); anything else is a difference
        limit = "columns; at most" in (load.get("message") or "")
        print("%s: %s on %s: %s" % (source, "refused (documented limit)" if limit else "DIFF load failed",
                                    dbpath, load.get("message")))
        return 0 if limit and dbpath.startswith("postgresql:") else 1
    if dbpath.startswith("postgresql:"):
        return main_pg(records, renamed, load, dbpath, source)
    db = sqlite3.connect(dbpath)
    db.text_factory = lambda b: b.decode("utf-8")
    types = {r[1]: r[2] for r in db.execute('select * from pragma_table_info(?)', (source,))}
    cur = db.execute('select * from "%s" order by _row' % source.replace('"', '""'))
    names = [d[0] for d in cur.description]
    rows = cur.fetchall()
    bad = []
    if len(rows) != len(records) or load["invalid"] != 0:
        bad.append("%d records, %d silver rows, %d rejected" % (len(records), len(rows), load["invalid"]))
    cells = 0
    lone = 0
    for i, (rec, row) in enumerate(zip(records, rows)):
        got = dict(zip(names, row))
        if got["_row"] != i + 1:
            bad.append("record %d: silver _row %s" % (i + 1, got["_row"]))
            continue
        values = dict(rec[1])  # a repeated key: the last value, as sluice uses
        seen = set()
        for key, v in values.items():
            col = renamed.get(key, key)
            seen.add(col)
            if col not in got:
                bad.append("record %d: no column %r for key %r" % (i + 1, col, key))
                continue
            why = expect(v, types[col], got[col])
            cells += 1
            if why:
                bad.append("record %d, %s (%s): %s; silver has %r" % (i + 1, col, types[col], why,
                                                                     got[col] if not isinstance(got[col], str) else got[col][:200]))
        for col in names:
            if col not in seen and col not in ("_load", "_row") and got[col] is not None:
                bad.append("record %d: %s has %r for a missing key" % (i + 1, col, got[col]))
    # each record whose strings held a lone surrogate says so in bronze (a warning)
    bronze = dict(db.execute('select row, errors from "bronze_%s"' % source.replace('"', '""')))
    for i, rec in enumerate(records):
        if any(isinstance(v, str) and SURROGATE.search(v) for _, v in rec[1]):
            lone += 1
            if "lone UTF-16 surrogate" not in (bronze.get(i + 1) or ""):
                bad.append("record %d: a lone surrogate became U+FFFD without a warning" % (i + 1))
    for b in bad[:20]:
        print("DIFF %s: %s" % (source, b))
    print("%s: %d records, %d cells compared (%d with lone surrogates), %d differences"
          % (source, len(records), cells, lone, len(bad)))
    return 1 if bad else 0


sys.exit(main())
