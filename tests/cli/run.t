sluice run loads every input of every source in sluice.yaml, one load per file.

  $ cd project && sluice run
  people: load 1 committed: 2 rows (2 valid) from data/people-1.csv in 0.0 s, quality 1.00 excellent
  people: load 2 committed: 2 rows (2 valid) from data/people-2.csv in 0.0 s, quality 1.00 excellent
    upserted into existing source people (now 3 rows)
  events: load 3 committed: 2 rows (2 valid) from data/events.ndjson in 0.0 s, quality 0.95 excellent
    recommendation: tags: 50.0% of the values are missing; if that is expected, the field is optional, else check the extract
  $ cd project && sluice run
  people: skipped: same input already loaded as load 1 (data/people-1.csv)
  people: skipped: same input already loaded as load 2 (data/people-2.csv)
  events: skipped: same input already loaded as load 3 (data/events.ndjson)
  $ cd project && sqlite3 project.db 'select id, name, _load from people order by id'
  1|Ada Lovelace|1
  2|Alan M. Turing|2
  3|Grace Hopper|2
  $ cd project && sluice run people --force --output json | grep -o '"status":"[a-z]*"'
  "status":"committed"
  "status":"committed"
  $ cd project && sluice versions events --output json | grep -o '"load":[0-9]*,"status":"[a-z]*"'
  "load":3,"status":"committed"
  $ cd project && sqlite3 project.db 'select load, ts_min, ts_max from sluice_loads where source = "events"'
  3|2026-11-01T08:00:00Z|2026-11-01T08:05:00Z
  6||

Config errors name the file, the line and the key (exit 2).

  $ printf 'sources:\n  a:\n    input: x.csv\n    formt: csv\n' > bad.yaml && sluice --config bad.yaml run
  sluice: bad.yaml:4: sources.a.formt: unknown key (did you mean 'format'?)
  [2]
  $ printf 'sources:\n  a:\n    input: ${NOPE}\n' > env.yaml && sluice --config env.yaml run
  sluice: env.yaml:3: sources.a.input: environment variable NOPE is not set
  [2]
  $ printf 'NOPE=people.csv\n' > .env && printf 'store: sqlite:env.db\nsources:\n  a:\n    input: ${NOPE}\n' > env.yaml && sluice --config env.yaml run
  a: load [0-9]+ committed: 3 rows \(3 valid\) from people.csv in 0.0 s, quality 1.00 excellent (re)
  $ sluice run nosuch --config project/sluice.yaml
  sluice: run: project/sluice.yaml has no source 'nosuch'
  usage: sluice run [SOURCE...] [--force] [--rejects FILE] [--output text|json]
  [2]

check, cat and infer read a file the way a configured source does with --source.

  $ cd project && printf 'id,name,email,age,joined,active,score\n9,X,x@example.com,old,2000-01-01,true,1\n' > new.csv && sluice check new.csv --source people
  line 2 (record 1): type-error: age: 'old' is not of type integer
  new.csv: 1 rows, 0 valid, 0 with warnings, 1 invalid
  [1]
  $ cd project && sluice check new.csv
  new.csv: 1 rows, 1 valid, 0 with warnings, 0 invalid
  $ cd project && sluice check new.csv --source nosuch
  sluice: sluice.yaml has no source 'nosuch'
  [2]
  $ sluice check people.csv --source people
  sluice: --source people: there is no sluice.yaml here (use --config)
  [2]
