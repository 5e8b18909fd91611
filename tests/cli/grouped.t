The same problem on many rows is one line, not one line per cell. A sensor export whose header
is separated by spaces and whose rows by tabs, with one name fewer than the rows have cells (so
it cannot be split as an aligned header, see inputs.t): every row has 5 cells where the header
has 1.

  $ printf 'time temp hum press\n' > sensor.txt && for i in 1 2 3 4 5 6 7 8 9 10 11 12; do printf '2024-01-01T00:%02d\t20.%d\t50\t1013\t3\n' $i $i; done >> sensor.txt
  $ sluice load sensor.txt --delimiter tab
  sensor: load 1 committed: 12 rows (0 valid, 12 rejected) from sensor.txt in 0.0 s, quality 0.00 unusable
    12 rows, lines 2-13: 5 cells where the header has 1 (extra-cell, 48 cells) — is the header separated differently?
    rejected rows are kept in bronze[_.]sensor with status 'invalid' (re)
    note: the header has 1 column but the rows have 5, separated by tabs: is the header separated differently (spaces?) or missing?
    recommendation: time temp hum press: 100.0% of the values are missing; if that is expected, the field is optional, else check the extract
  [1]
  $ sluice load sensor.txt --delimiter tab --force --output json | grep -o '"error_groups":[^]]*]'
  "error_groups":[{"code":"extra-cell","field":null,"severity":"error","rows":12,"issues":48,"first_row":1,"first_line":2,"last_row":12,"last_line":13,"cells":5,"header_cells":1,"message":"the row has 5 cells, the header 1","hint":"is the header separated differently?"}]
  $ sluice check sensor.txt --delimiter tab
  sluice: warning: sensor.txt: the header has 1 column but the rows have 5, separated by tabs: is the header separated differently (spaces?) or missing?
  12 rows, lines 2-13: 5 cells where the header has 1 (extra-cell, 48 cells) — is the header separated differently?
  sensor.txt: 12 rows, 0 valid, 0 with warnings, 12 invalid
  [1]
  $ sluice check sensor.txt --delimiter tab --output json | grep -o '"error_groups":[^]]*]'
  sluice: warning: sensor.txt: the header has 1 column but the rows have 5, separated by tabs: is the header separated differently (spaces?) or missing?
  "error_groups":[{"code":"extra-cell","field":null,"severity":"error","rows":12,"issues":48,"first_row":1,"first_line":2,"last_row":12,"last_line":13,"cells":5,"header_cells":1,"message":"the row has 5 cells, the header 1","hint":"is the header separated differently?"}]

A few problems are still listed one by one, in input order; a group of more than 3 becomes one
line where its first problem was. --max-errors caps the lines of check's text.

  $ printf 'id,age\n1,x\n2,3\n3,y\n4,z\n5,w\n6,7,8\n7,v\n' > ages.csv && printf 'fields:\n  - {name: id, type: integer}\n  - {name: age, type: integer}\n' > ages.yaml
  $ sluice check ages.csv --schema ages.yaml
  5 rows, lines 2-8: type-error in age; the first: age: 'x' is not of type integer
  line 7 (record 6): extra-cell: the row has 3 cells, the header 2: extra cell in column 3
  ages.csv: 7 rows, 1 valid, 0 with warnings, 6 invalid
  [1]
  $ sluice check ages.csv --schema ages.yaml --max-errors 1
  5 rows, lines 2-8: type-error in age; the first: age: 'x' is not of type integer
  ... and 1 more
  ages.csv: 7 rows, 1 valid, 0 with warnings, 6 invalid
  [1]
  $ sluice load ages.csv --schema ages.yaml
  ages: load 3 committed: 7 rows (1 valid, 6 rejected) from ages.csv in 0.0 s, quality 0.50 unusable (grade capped: 6 of 7 rows rejected)
    5 rows, lines 2-8: type-error in age; the first: age: 'x' is not of type integer
    line 7 (record 6): extra-cell: the row has 3 cells, the header 2: extra cell in column 3
    rejected rows are kept in bronze[_.]ages with status 'invalid' (re)
    recommendation: age: 5 of 6 values (83%) are not of type integer; fix them at the source, or declare the field with a wider type
  [1]

One row with many issues is a group of one row:

  $ printf '{"a":1,"a":2,"a":3,"a":4,"a":5}\n{"a":6}\n' > dk.ndjson && sluice check dk.ndjson
  1 row, line 1: warning: duplicate-key in a (4 issues); the first: 'a' appears twice in the record; the last value is used
  dk.ndjson: 2 rows, 1 valid, 1 with warnings, 0 invalid

Problems in a JSON array on one line are located by record and byte offset (every record is on
line 1), in text and in JSON ("offset").

  $ printf '[{"a":1},{"a":2},{"a":},{"a":4},{"a" 5}]' > one.json
  $ sluice check one.json
  record 3 (line 1, byte 17): format-error: invalid JSON at line 1 column 23: expected a value
  record 5 (line 1, byte 32): format-error: invalid JSON at line 1 column 38: expected ':'
  one.json: 5 rows, 3 valid, 0 with warnings, 2 invalid
  [1]
  $ sluice check one.json --output json | grep -o '"errors":[^]]*]'
  "errors":[{"row":3,"line":1,"offset":17,"code":"format-error","field":null,"value":null,"message":"invalid JSON at line 1 column 23: expected a value","severity":"error"},{"row":5,"line":1,"offset":32,"code":"format-error","field":null,"value":null,"message":"invalid JSON at line 1 column 38: expected ':'","severity":"error"}]
  $ sluice load one.json
  one: load 4 committed: 5 rows (3 valid, 2 rejected) from one.json in 0.0 s, quality 0.60 poor
    record 3 (line 1, byte 17): format-error: invalid JSON at line 1 column 23: expected a value
    record 5 (line 1, byte 32): format-error: invalid JSON at line 1 column 38: expected ':'
    rejected rows are kept in bronze[_.]one with status 'invalid' (re)
    recommendation: a: 40.0% of the values are missing; if that is expected, the field is optional, else check the extract
  [1]
  $ sluice cat one.json > /dev/null
  sluice: warning: one.json: record 3 (line 1, byte 17): format-error: invalid JSON at line 1 column 23: expected a value
  sluice: warning: one.json: record 5 (line 1, byte 32): format-error: invalid JSON at line 1 column 38: expected ':'
  sluice: warning: one.json: 2 record(s) rejected
  [1]

The rejects file says the same (`offset`, `_offset`):

  $ sluice check one.json --rejects rej.ndjson > /dev/null; cut -c1-50 rej.ndjson
  {"input":"one.json","row":3,"line":1,"offset":17,"
  {"input":"one.json","row":5,"line":1,"offset":32,"
  $ sluice check one.json --rejects rej.csv > /dev/null; cut -d, -f1-4 rej.csv
  _input,_row,_line,_offset
  one.json,3,1,17
  one.json,5,1,32
