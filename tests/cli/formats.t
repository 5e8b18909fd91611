NDJSON: nested values are kept as JSON text; a broken line is kept in bronze as invalid.

  $ sluice load events.ndjson
  events: load 1 committed: 4 rows (3 valid, 1 rejected) from events.ndjson in 0.0 s, quality 0.68 poor
    line 3 (record 3): format-error: invalid JSON at column 51: unexpected end of input
    rejected rows are kept in bronze[._]events with status 'invalid' (re)
    recommendation: tags: 75.0% of the values are missing; if that is expected, the field is optional, else check the extract
  [1]
  $ sqlite3 sluice.db 'select id, kind, at, meta, tags from events'
  1|click|2026-11-01T08:00:00Z|{"x":1,"y":2}|
  2|view|2026-11-01T08:05:00Z|{"x":3}|["a","b"]
  4|scroll|2026-11-01T08:15:00Z||
  $ sqlite3 sluice.db 'select line, status, errors, raw from bronze_events where status = "invalid"'
  3|invalid|[{"code":"format-error","field":null,"value":null,"message":"invalid JSON at column 51: unexpected end of input","severity":"error"}]|{"id":3,"kind":"click","at":"2026-11-01T08:10:00Z"

JSON arrays are read as a stream of records.

  $ sluice load events.json --source events_json --output json
  {"source":"events_json","load":2,"status":"committed","input":"events.json","sha256":"0a917cb79274c85600a116551749310726be8b42a69128570a1b13bae906e4b1","rows":3,"valid":3,"warning":0,"invalid":0,"quality":{"score":0.9166,"grade":"good","completeness":0.8333,"validity":1,"uniqueness":null,"consistency":null,"timeliness":null,"accuracy":null,"fields":{"id":{"completeness":1,"validity":1},"kind":{"completeness":1,"validity":1},"ok":{"completeness":1,"validity":1},"extra":{"completeness":0.3333,"validity":1}},"anomalies":[],"recommendations":["extra: 66.7% of the values are missing; if that is expected, the field is optional, else check the extract"]},"seconds":0.000,"format":"json","encoding":"utf-8"}
  $ sqlite3 sluice.db 'select * from events_json'
  1|click|1||2|1
  2|view|0|{"deep":[1,2,3]}|2|2
  3|clické|1||2|3

Latin-1 (Windows-1252) with semicolons is detected and transcoded to UTF-8.

  $ sluice load latin1.csv
  latin1: load 3 committed: 2 rows (2 valid) from latin1.csv in 0.0 s, quality 1.00 excellent
  $ sqlite3 sluice.db 'select * from latin1'
  1|José|Málaga|3|1
  2|Zoë|Köln|3|2
  $ sqlite3 sluice.db 'select dialect from sluice_loads where source = "latin1"'
  {"format":"csv","compression":"none","delimiter":";","quote":"\"","header":true,"bom":false,"newline":"lf","encoding":"latin1"}

Awkward header names become usable column names, and each rename is reported.

  $ sluice load messy_header.csv
  messy_header: load 4 committed: 1 rows (1 valid) from messy_header.csv in 0.0 s, quality 1.00 excellent
    column 1 renamed: " Name " -> Name
    column 2 renamed: "" -> field_2
    column 3 renamed: "name" -> name_2
    column 6 renamed: "_load" -> _load_2
  $ sqlite3 sluice.db '.schema messy_header'
  CREATE TABLE IF NOT EXISTS "messy_header"("Name" TEXT, "field_2" TEXT, "name_2" TEXT, "$Price" REAL, "Unit ""Cost""" INTEGER, "_load_2" TEXT, "_load" INTEGER NOT NULL, "_row" INTEGER NOT NULL);

A NUL byte in a header name or a JSON key is a control character like the others: it becomes a
space, the rest of the name is kept, and the rename shows the label escaped. Two JSON keys that
differ after a NUL stay two columns, and `cat` keeps them whole.

  $ printf 'id,na\000me,x\n1,2,3\n' > nul.csv
  $ sluice load nul.csv
  nul: load 5 committed: 1 rows (1 valid) from nul.csv in 0.0 s, quality 1.00 excellent
    column 2 renamed: "na\x00me" -> na me
  $ printf '{"id":1,"na\\u0000me":2,"na\\u0000xx":3}\n' > nulkeys.ndjson
  $ sluice load nulkeys.ndjson
  nulkeys: load 6 committed: 1 rows (1 valid) from nulkeys.ndjson in 0.0 s, quality 1.00 excellent
    column 2 renamed: "na\x00me" -> na me
    column 3 renamed: "na\x00xx" -> na xx
  $ sqlite3 sluice.db 'select "na me", "na xx" from nulkeys'
  2|3
  $ sluice cat nulkeys.ndjson
  {"id":1,"na\u0000me":2,"na\u0000xx":3}
  $ sluice cat nul.csv --to csv | od -An -c | head -1
     i   d   ,   n   a  \0   m   e   ,   x  \n   1   ,   2   ,   3
