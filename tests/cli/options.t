Dialect options override what the sniffer would decide.

  $ printf 'a\tb\n1\tx y\n2\tz\n' > t.tsv && sluice load t.tsv && sqlite3 sluice.db 'select * from t'
  t: load 1 committed: 2 rows (2 valid) from t.tsv in 0.0 s, quality 1.00 excellent
  1|x y|1|1
  2|z|1|2
  $ printf '1|2\n3|4\n' > nohead.txt && sluice load nohead.txt --source nohead && sqlite3 sluice.db '.schema nohead'
  nohead: load 2 committed: 2 rows (2 valid) from nohead.txt in 0.0 s, quality 1.00 excellent
  CREATE TABLE IF NOT EXISTS "nohead"("field_1" INTEGER, "field_2" INTEGER, "_load" INTEGER NOT NULL, "_row" INTEGER NOT NULL);
  $ printf 'x|y\n1|2\n' > forced.txt && sluice load forced.txt --no-header --delimiter '|' && sqlite3 sluice.db 'select * from forced'
  forced: load 3 committed: 2 rows (2 valid) from forced.txt in 0.0 s, quality 1.00 excellent
  x|y|3|1
  1|2|3|2
  $ printf 'name\nJos\351\n' > l1.csv && sluice load l1.csv --encoding latin1 --output json | grep -o '"encoding":"[a-z0-9-]*"'
  "encoding":"latin1"
  $ sluice load people.csv --delimiter ';;'
  sluice: load: --delimiter must be one character (or 'tab')
  usage: sluice load FILE... [--source NAME] [--schema FILE] [--format F] [--primary-key A,B] [--timestamp FIELD] [--force] [--min-score S] [--rejects FILE] [--output text|json]
  [2]

zstd-compressed input is read as it is.

  $ zstd -q -c people.csv > people.csv.zst && sluice load people.csv.zst --output json | grep -o '"source":"[a-z]*","load":[0-9],"status":"[a-z]*"'
  "source":"people","load":5,"status":"committed"

--quiet prints errors only; --log-format json makes log lines JSON.

  $ sluice load --quiet people.csv --source quiet
  $ sluice --quiet load ragged.csv
  [1]
  $ sluice --log-format json cat events.ndjson > /dev/null
  {"time":"2026-11-23T12:00:00.000Z","level":"warning","msg":"events.ndjson:3: record 3: format-error: invalid JSON at column 51: unexpected end of input"}
  {"time":"2026-11-23T12:00:00.000Z","level":"warning","msg":"events.ndjson: 1 record(s) rejected"}
  [1]
  $ sluice --log-format yaml load people.csv
  sluice: --log-format must be text or json
  try `sluice help`
  [2]

--timestamp names the field holding each record's time; the load records its range.

  $ sluice load events.ndjson --source ev --timestamp at --output json | grep -o '"status":"[a-z]*"'
  "status":"committed"
  $ sqlite3 sluice.db "select ts_min, ts_max from sluice_loads where source = 'ev'"
  2026-11-01T08:00:00Z|2026-11-01T08:15:00Z
  $ sluice load people.csv --source tsx --timestamp nope
  sluice: error: tsx: load failed: timestamp field 'nope' is not a field of tsx
  [2]

check of a valid file, as JSON.

  $ sluice check zips.csv --output json | cut -c1-80
  {"valid":true,"rows":3,"valid_rows":3,"warning_rows":0,"invalid_rows":0,"errors"
