A later load whose values need a wider type than a silver column has (an integer column, then a
zip code `00451` or `n/a`) would change what queries on earlier rows return: in SQLite,
`WHERE zip > 1000` compares text once the column is text. sluice never does it silently. The
source's `on_type_change` (or `--on-type-change`) decides: `reject` (the default), `widen` or
`quarantine`.

  $ printf 'id,zip\n1,1200\n2,451\n' > a.csv && sluice load a.csv --source z
  z: load 1 committed: 2 rows (2 valid) from a.csv in 0.0 s, quality 1.00 excellent
  $ printf 'id,zip\n3,00451\n4,n/a\n5,2000\n6,1e3\n' > b.csv

By default the load is refused (exit 2) and says which column, from what to what, how many
values and the first few. Nothing changes; the attempt is in the history as a failed load.

  $ sluice load b.csv --source z
  sluice: error: z: load failed: values need a wider type than silver has: zip integer -> string (3 values: "00451", "n/a", "1e3"). on_type_change is reject: nothing was loaded (--on-type-change widen changes the column type, quarantine rejects those rows)
  [2]
  $ sluice load b.csv --source z --output json | grep -o '"type_changes":.*\]'
  "type_changes":[{"column":"zip","from":"integer","to":"string","values":3,"first":["00451","n/a","1e3"],"action":"rejected"}]
  $ sqlite3 sluice.db 'select zip, typeof(zip) from z where zip > 1000'
  1200|integer

`quarantine` keeps the type: the rows holding such values are rejected with the reason, kept in
bronze (and in --rejects), and the others load. `00451` is not read as 451.

  $ sluice load b.csv --source z --on-type-change quarantine --rejects rej.ndjson
  z: load 4 committed: 4 rows (1 valid, 3 rejected) from b.csv in 0.0 s, quality 0.62 unusable (grade capped: 3 of 4 rows rejected)
    appended to existing source z (now 3 rows)
    column zip: type kept integer (on_type_change: quarantine): 3 values would widen it to string ("00451", "n/a", "1e3"), their rows rejected
    line 2 (record 1): type-change: zip: '00451' would change the column's type from integer to string (on_type_change: quarantine)
    line 3 (record 2): type-error: zip: 'n/a' is not of type integer
    line 5 (record 4): type-error: zip: '1e3' is not of type integer
    rejected rows are kept in bronze[._]z with status 'invalid' (re)
    recommendation: zip: 2 of 4 values (50%) are not of type integer; fix them at the source, or declare the field with a wider type
  [1]
  $ grep -c type-change rej.ndjson
  1
  $ sqlite3 sluice.db 'select id, zip, typeof(zip) from z order by id'
  1|1200|integer
  2|451|integer
  5|2000|integer
  $ sluice schema z
  z: schema version 1, loads 1-4 (2 loads), sha256 cf186558f20b3f51
    id                   integer
    zip                  integer

`widen` changes the column, says so, and records a new schema version; the catalog keeps what
each load did (`sluice versions`).

  $ sluice load b.csv --source z --on-type-change widen --force
  z: load 5 committed: 4 rows (4 valid) from b.csv in 0.0 s, quality 1.00 excellent
    appended to existing source z (now 7 rows)
    column zip: type widened from integer to string by 3 values ("00451", "n/a", "1e3"); silver rebuilt, new schema version
  $ sluice schema z
  z: schema version 2, loads 5-5 (1 load), sha256 f61695149db3d563
    change: widening (zip widened from integer to string)
    id                   integer
    zip                  string
  $ sluice versions z --output json | grep -o '"message":"column types[^:]*: zip [a-z]* -> [a-z]*'
  "message":"column types kept (on_type_change quarantine), rows with values that would widen them rejected: zip integer -> string
  "message":"column types widened: zip integer -> string
  $ sqlite3 sluice.db 'select zip from z order by _load, _row'
  1200
  451
  2000
  00451
  n/a
  2000
  1e3

JSON strings count the same way (a JSON string is never read as a number), and only the values
that need the wider type are counted.

  $ printf '{"k":1,"n":5}\n{"k":2,"n":7}\n' > j1.ndjson && sluice load j1.ndjson --source jn
  jn: load 6 committed: 2 rows (2 valid) from j1.ndjson in 0.0 s, quality 1.00 excellent
  $ printf '{"k":3,"n":"8"}\n{"k":4,"n":9}\n{"k":5,"n":null}\n' > j2.ndjson && sluice load j2.ndjson --source jn
  sluice: error: jn: load failed: values need a wider type than silver has: n integer -> string (1 value: "8"). on_type_change is reject: nothing was loaded (--on-type-change widen changes the column type, quarantine rejects those rows)
  [2]

The policy per source in sluice.yaml; `run --on-type-change` overrides it for every source.

  $ printf 'id,n\n1,10\n' > q1.csv && printf 'id,n\n2,x\n3,30\n' > q2.csv
  $ sluice load q1.csv --source q
  q: load 8 committed: 1 rows (1 valid) from q1.csv in 0.0 s, quality 1.00 excellent
  $ printf 'sources:\n  q:\n    input: q2.csv\n    on_type_change: quarantine\n' > sluice.yaml && sluice run
  q: load 9 committed: 2 rows (1 valid, 1 rejected) from q2.csv in 0.0 s, quality 0.75 poor (grade capped: 1 of 2 rows rejected)
    appended to existing source q (now 2 rows)
    column n: type kept integer (on_type_change: quarantine): 1 value would widen it to string ("x"), their rows rejected
    line 2 (record 1): type-error: n: 'x' is not of type integer
    rejected rows are kept in bronze[._]q with status 'invalid' (re)
    recommendation: n: 1 of 2 values (50%) are not of type integer; fix them at the source, or declare the field with a wider type
  [1]
  $ sluice run --on-type-change widen --force
  q: load 10 committed: 2 rows (2 valid) from q2.csv in 0.0 s, quality 1.00 excellent
    appended to existing source q (now 4 rows)
    column n: type widened from integer to string by 1 value ("x"); silver rebuilt, new schema version
  $ printf 'sources:\n  z:\n    input: c.csv\n    on_type_change: sometimes\n' > bad.yaml && sluice --config bad.yaml run
  sluice: bad.yaml:4: sources.z.on_type_change: expected widen, reject or quarantine
  [2]
  $ sluice load b.csv --source z --on-type-change maybe
  sluice: load: --on-type-change must be widen, reject or quarantine
  usage: sluice load .* (re)
  [2]
  $ sluice run --on-type-change maybe
  sluice: run: --on-type-change must be widen, reject or quarantine
  usage: sluice run .* (re)
  [2]
