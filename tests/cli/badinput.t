Records that cannot be read are kept in bronze as invalid, counted, and give exit code 1.

  $ sluice load ragged.csv
  ragged: load 1 committed: 6 rows (2 valid, 4 rejected) from ragged.csv in 0.0 s, quality 0.33 unusable
    line 3 (record 2): extra-cell: the row has 3 cells, the header 2: extra cell in column 3
    line 4 (record 3): missing-cell: the row has 1 cells, the header 2: no cell for column 2
    line 5 (record 4): blank-row: the row is blank
    line 6 (record 5): format-error: unterminated quoted field starting at line 6
    rejected rows are kept in bronze[._]ragged with status 'invalid' (re)
    recommendation: id: 66.7% of the values are missing; if that is expected, the field is optional, else check the extract
  [1]
  $ sqlite3 sluice.db 'select row, line, status, errors from bronze_ragged'
  1|2|valid|
  2|3|invalid|[{"code":"extra-cell","field":null,"value":"EXTRA","message":"the row has 3 cells, the header 2: extra cell in column 3","severity":"error"}]
  3|4|invalid|[{"code":"missing-cell","field":"value","value":null,"message":"the row has 1 cells, the header 2: no cell for column 2","severity":"error"}]
  4|5|invalid|[{"code":"blank-row","field":null,"value":null,"message":"the row is blank","severity":"error"}]
  5|6|invalid|[{"code":"format-error","field":null,"value":null,"message":"unterminated quoted field starting at line 6","severity":"error"}]
  6|7|valid|
  $ sqlite3 sluice.db 'select * from ragged'
  1|a|1|1
  5|e|1|6

An input that cannot be read at all fails its load with one line naming it (exit 3); the other
inputs still load.

  $ sluice load nothere.csv people.csv
  sluice: error: nothere: load failed: nothere.csv: No such file or directory
  nothere: load 3 committed: 3 rows (3 valid) from people.csv in 0.0 s, quality 1.00 excellent
  [3]
  $ mkdir adir && sluice load adir --source adir
  sluice: error: adir: load failed: adir: is a directory
  [3]
  $ : > empty.csv && sluice load empty.csv
  empty: load 5 committed: 0 rows (0 valid) from empty.csv in 0.0 s, quality n/a (nothing measured)
    note: the input is empty
  $ printf 'a,b\n1,2\n' | gzip -c | head -c 20 > cut.csv.gz && sluice load cut.csv.gz
  sluice: error: cut: load failed: cut.csv.gz: unexpected end of gzip data (truncated file?)
  [3]
  $ sluice versions nothere
  load  status    active mode          rows     valid  warning  invalid grade      finished                 input
  2     failed    no     -                0         0        0        0 -          2026-11-23T12:00:00.000Z nothere.csv  (nothere.csv: No such file or directory)
  3     committed yes    append           3         3        0        0 excellent  2026-11-23T12:00:00.000Z people.csv
  $ printf 'BZh91AY' > packed.csv && sluice load packed.csv
  sluice: error: packed: load failed: packed.csv: bzip2 compression is not supported (decompress it first)
  [3]

A schema turns cells that do not fit into type errors; invalid rows never reach silver.

  $ sluice load people_bad.csv --schema people.schema.yaml
  people_bad: load 8 committed: 3 rows (0 valid, 3 rejected) from people_bad.csv in 0.0 s, quality 0.65 unusable (grade capped: 3 of 3 rows rejected)
    line 2 (record 1): type-error: age: 'thirty-six' is not of type integer
    line 3 (record 2): type-error: joined: '1912-13-23' is not of type date
    line 3 (record 2): type-error: active: 'yes' is not of type boolean
    line 3 (record 2): type-error: score: 'x' is not of type number
    line 4 (record 3): constraint-error: id is part of the primary key and must not be empty
    rejected rows are kept in bronze[._]people_bad with status 'invalid' (re)
    recommendation: id: 33.3% of the values are missing; if that is expected, the field is optional, else check the extract
  [1]
  $ sqlite3 sluice.db 'select id, name from people_bad'
  $ sqlite3 sluice.db 'select row, errors from bronze_people_bad where status = "invalid"'
  1|[{"code":"type-error","field":"age","value":"thirty-six","message":"age: 'thirty-six' is not of type integer","severity":"error"}]
  2|[{"code":"type-error","field":"joined","value":"1912-13-23","message":"joined: '1912-13-23' is not of type date","severity":"error"},{"code":"type-error","field":"active","value":"yes","message":"active: 'yes' is not of type boolean","severity":"error"},{"code":"type-error","field":"score","value":"x","message":"score: 'x' is not of type number","severity":"error"}]
  3|[{"code":"constraint-error","field":"id","value":null,"message":"id is part of the primary key and must not be empty","severity":"error","constraint":"required"}]

Invalid UTF-8 in a UTF-8 file, and NUL bytes, make a record invalid; bronze keeps its bytes.
(A file with invalid bytes and no valid multi-byte UTF-8 at all is read as Windows-1252.)

  $ printf 'id,name\n1,caf\303\251\n2,bad\377\n3,nul\000x\n4,ok\n' > enc.csv && sluice load enc.csv
  enc: load 9 committed: 4 rows (2 valid, 2 rejected) from enc.csv in 0.0 s, quality 0.50 poor
    line 3 (record 2): encoding-error: invalid UTF-8 at byte 6 of the record
    line 4 (record 3): encoding-error: NUL byte in the record
    rejected rows are kept in bronze[._]enc with status 'invalid' (re)
    recommendation: id: 50.0% of the values are missing; if that is expected, the field is optional, else check the extract
  [1]
  $ sqlite3 sluice.db "select row, status, typeof(raw), hex(raw) from bronze_enc where status = 'invalid'"
  2|invalid|blob|322C626164FF
  3|invalid|blob|332C6E756C0078
  $ sqlite3 sluice.db 'select * from enc'
  1|café|9|1
  4|ok|9|4
  $ printf 'id,name\n1,Jos\351\n' > cp.csv && sluice load cp.csv && sqlite3 sluice.db 'select name from cp'
  cp: load 10 committed: 1 rows (1 valid) from cp.csv in 0.0 s, quality 1.00 excellent
  José

A declared number with more digits than a double keeps lands rounded in silver, with a
warning; bronze keeps it as written.

  $ printf 'id,v\n1,0.1\n2,0.12345678901234567890123\n' > num.csv && printf 'fields:\n  - name: id\n    type: integer\n  - name: v\n    type: number\n' > num.yaml && sluice load num.csv --schema num.yaml
  num: load 11 committed: 2 rows (1 valid, 1 with warnings) from num.csv in 0.0 s, quality 1.00 excellent
    line 3 (record 2): warning: rounded-value: v: '0.12345678901234567890123' has more digits than a double keeps: silver holds it rounded, bronze as written
  $ sqlite3 sluice.db "select raw, status from bronze_num where row = 2"
  ["2","0.12345678901234567890123"]|warning

A FIFO or a device is read once and kept in a temporary spool, so types can still be inferred
from all of it.

  $ mkfifo pipe && { cat people.csv > pipe & } && sluice load pipe --source fifo
  fifo: load 12 committed: 3 rows (3 valid) from pipe in 0.0 s, quality 1.00 excellent
  $ sluice load /dev/null --source devnull
  devnull: load 13 committed: 0 rows (0 valid) from /dev/null in 0.0 s, quality n/a (nothing measured)
    note: the input is empty

An input wider than max_columns (16,384 by default; `--max-columns N`, or `max_columns:` in a
source's options) is refused before its header is processed (docs/robustness.md). A JSON
record whose keys would pass it is rejected and kept in bronze; the other records land.

  $ printf 'a,b,c\n1,2,3\n' > w.csv && printf '{"a":1}\n{"a":1,"b":2,"c":3}\n{"b":2}\n' > w.ndjson
  $ sluice check w.csv --max-columns 2
  sluice: w.csv: 3 columns; at most 2 are read (max_columns, --max-columns)
  [3]
  $ sluice check w.ndjson --max-columns 2
  line 2 (record 2): format-error: the record's keys would make more than 2 columns (max_columns, --max-columns)
  w.ndjson: 3 rows, 2 valid, 0 with warnings, 1 invalid
  [1]
  $ printf 'sources:\n  w:\n    input: w.csv\n    options:\n      max_columns: 2\n' > sluice.yaml && sluice run
  sluice: error: w: load failed: w.csv: 3 columns; at most 2 are read (max_columns, --max-columns)
  [3]
  $ printf 'sources:\n  w:\n    input: w.csv\n    options:\n      max_columns: -1\n' > sluice.yaml && sluice run
  sluice: sluice.yaml:5: sources.w.options.max_columns: expected a number of columns (1 to 4294967295)
  [2]
  $ sluice check w.csv --max-columns 0
  sluice: check: --max-columns must be a number of columns from 1 to 4294967295
  usage: sluice check FILE [--source NAME] [--schema FILE] [--format F] [--max-errors N] [--rejects FILE] [--output text|json]
  [2]
