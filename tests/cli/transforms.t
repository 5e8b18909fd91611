Transforms (docs/transforms.md): each example of the docs is a source of
data/transforms/sluice.yaml. Steps run in order between the reader and the schema; every value
they change is counted per transform and field; bronze keeps every record as received.

Text: trim, collapse_whitespace, upper, lower.

  $ cd transforms && sluice run people
  people: load 1 committed: 4 rows (4 valid) from data/contacts.csv in 0.0 s, quality 0.94 good
    values changed by transforms: trim(name) 1, trim(email) 1, collapse_whitespace(name) 1, upper(country) 2, lower(city) 3
    recommendation: email: 25.0% of the values are missing; if that is expected, the field is optional, else check the extract
  $ cd transforms && sqlite3 transforms.db 'select id, name, email, city, country from people'
  1|Ada Lovelace|Ada.Lovelace@Example.COM|london|GB
  2|Alan Turing|alan@BLETCHLEY.org.uk|wilmslow|GB
  3|Grace Hopper|grace.hopper(at)navy.mil|arlington|US
  4|Edsger Dijkstra||nuenen|

The lineage of a source shows each load's transforms as resolved, with the values they changed.

  $ cd transforms && sluice lineage people | grep -c 'transforms: {"steps":\[{"trim"'
  1

normalize_email: trimmed, domain lowercased, local part kept; a value that is not an address
is a warning (severity: warning by default) and lands empty.

  $ cd transforms && sluice run emails
  emails: load 2 committed: 4 rows (3 valid, 1 with warnings) from data/contacts.csv in 0.0 s, quality 0.92 good
    values changed by transforms: normalize_email(email) 3
    line 4 (record 3): warning: type-error: email: 'grace.hopper(at)navy.mil' is not an email address (local@domain)
    recommendation: email: 50.0% of the values are missing; if that is expected, the field is optional, else check the extract
  $ cd transforms && sqlite3 transforms.db 'select id, email from emails'
  1|Ada.Lovelace@example.com
  2|alan@bletchley.org.uk
  3|
  4|
  $ cd transforms && sqlite3 transforms.db 'select raw from bronze_emails where row = 3'
  ["3","Grace Hopper","grace.hopper(at)navy.mil","ARLINGTON","us",""]

strip_html: text only, entities decoded, script and comments dropped.

  $ cd transforms && sluice run bios
  bios: load 3 committed: 4 rows (4 valid) from data/contacts.csv in 0.0 s, quality 0.94 good
    values changed by transforms: strip_html(bio) 3
    recommendation: email: 25.0% of the values are missing; if that is expected, the field is optional, else check the extract
  $ cd transforms && sqlite3 transforms.db 'select id, bio from bios'
  1|Wrote the first program & notes on the Analytical Engine.
  2|Codebreaker “Computing Machinery”
  3|
  4|Shortest paths — 1959

default fills missing values; rename gives an input column its silver name.

  $ cd transforms && sluice run contacts
  contacts: load 4 committed: 4 rows (4 valid) from data/contacts.csv in 0.0 s, quality 0.96 excellent
    values changed by transforms: default(country) 1
    recommendation: email: 25.0% of the values are missing; if that is expected, the field is optional, else check the extract
  $ cd transforms && sqlite3 transforms.db 'select id, country, about is not null from contacts'
  1|gb|1
  2|GB|1
  3|us|0
  4|unknown|1
  $ cd transforms && sqlite3 transforms.db '.schema contacts'
  CREATE TABLE IF NOT EXISTS "contacts"("id" INTEGER, "name" TEXT, "email" TEXT, "city" TEXT, "country" TEXT, "about" TEXT, "_load" INTEGER NOT NULL, "_row" INTEGER NOT NULL);

cast: the silver type of a field, values checked with the schema's casting rules (72.0 is an
integer); a failure is an error (the row is rejected) or, with severity: warning, an empty
value and a warning.

  $ cd transforms && sluice run steps
  steps: load 5 committed: 3 rows (1 valid, 1 with warnings, 1 rejected) from data/steps.ndjson in 0.0 s, quality 0.63 poor
    values changed by transforms: cast(steps) 2, cast(active) 1, cast(kcal) 0
    line 2 (record 2): warning: type-error: active: 'yes' is not of type boolean
    line 3 (record 3): type-error: steps: 'many' is not of type integer
    rejected rows are kept in bronze[_.]steps with status 'invalid' (re)
    recommendation: active: 66.7% of the values are missing; if that is expected, the field is optional, else check the extract
  [1]
  $ cd transforms && sqlite3 transforms.db 'select device, steps, active, kcal from steps'
  watch-1|8412|1|312.0
  watch-1|10050||280.0
  $ cd transforms && sqlite3 transforms.db '.schema steps'
  CREATE TABLE IF NOT EXISTS "steps"("device" TEXT, "day" DATE, "steps" INTEGER, "active" BOOLEAN, "kcal" REAL, "_load" INTEGER NOT NULL, "_row" INTEGER NOT NULL);

unit: per-row units from a column (aliases like lbs, Hz, beats_per_minute), or one unit for
every value; an unknown unit is an issue, never a value passed through unconverted.

  $ cd transforms && sluice run body --output json | grep -o '"transforms":{[^}]*}'
  "transforms":{"unit(weight)":3,"unit(weight_unit)":2,"unit(temp)":4,"unit(hr)":1,"unit(hr_unit)":2}
  $ cd transforms && sqlite3 transforms.db 'select person, weight, weight_unit, temp, hr, hr_unit from body'
  ada|68.04|kg|37.0|72.0|bpm
  alan|70.5|kg|37.3|66.0|bpm
  grace|69.9|kg|36.6|64.0|bpm
  $ cd transforms && sqlite3 transforms.db 'select status, errors from bronze_body where row = 4'
  invalid|[{"code":"unit-error","field":"weight","value":"82","message":"weight: unknown unit 'kilos' in weight_unit (the value is not converted to kg)","severity":"error"}]

timestamp: listed formats, a source time zone, UTC out. Clocks going forward and back are
warnings that say what was taken.

  $ cd transforms && sluice run readings
  readings: load 7 committed: 7 rows (4 valid, 2 with warnings, 1 rejected) from data/times.csv in 0.0 s, quality 0.86 good
    values changed by transforms: timestamp(taken) 7
    line 4 (record 3): warning: nonexistent-time: taken: '29.03.2026 02:30' does not exist in Europe/Berlin (clocks go forward); shifted forward by the gap
    line 5 (record 4): warning: ambiguous-time: taken: '25.10.2026 02:30' happens twice in Europe/Berlin (clocks go back); the earlier was taken
    line 8 (record 7): type-error: taken: 'yesterday' matches none of the timestamp formats (%d.%m.%Y %H:%M, iso8601, epoch)
    rejected rows are kept in bronze[_.]readings with status 'invalid' (re)
    recommendation: taken: 14.3% of the values are missing; if that is expected, the field is optional, else check the extract
  [1]
  $ cd transforms && sqlite3 transforms.db 'select value, taken from readings'
  1|2026-11-23T07:00:00Z
  2|2026-03-29T00:59:00Z
  3|2026-03-29T01:30:00Z
  4|2026-10-25T00:30:00Z
  5|2026-11-23T02:30:00Z
  6|2026-11-23T08:00:00Z

outliers: range (quarantine), IQR (clip) and z-score (flag).

  $ cd transforms && sluice run hr_range
  hr_range: load 8 committed: 9 rows (7 valid, 2 rejected) from data/hr.csv in 0.0 s, quality 0.78 fair
    values changed by transforms: outliers(hr) 2
    line 9 (record 8): outlier: hr: 250 is above the range bound 220
    line 10 (record 9): outlier: hr: 12 is below the range bound 30
    rejected rows are kept in bronze[_.]hr_range with status 'invalid' (re)
    recommendation: time: 22.2% of the values are missing; if that is expected, the field is optional, else check the extract
  [1]
  $ cd transforms && sluice run hr_iqr
  hr_iqr: load 9 committed: 9 rows (7 valid, 2 with warnings) from data/hr.csv in 0.0 s, quality 1.00 excellent
    values changed by transforms: outliers(hr) 2
    line 9 (record 8): warning: outlier: hr: 250 is above the IQR bound 84; clipped to it
    line 10 (record 9): warning: outlier: hr: 12 is below the IQR bound 52; clipped to it
  $ cd transforms && sqlite3 transforms.db 'select hr from hr_iqr where _row >= 8'
  84
  52
  $ cd transforms && sluice run hr_zscore
  hr_zscore: load 10 committed: 9 rows (8 valid, 1 with warnings) from data/hr.csv in 0.0 s, quality 1.00 excellent
    values changed by transforms: outliers(hr) 1
    line 9 (record 8): warning: outlier: hr: 250 is above the z-score bound 206.008703564
  $ cd transforms && sqlite3 transforms.db "select transforms from sluice_loads where source = 'hr_zscore'"
  {"steps":[{"outliers":"hr","method":"zscore","action":"flag","threshold":2,"n":9,"mean":81.88888888888889,"stddev":62.05990733771227,"low":-42.23092578653565,"high":206.0087035643134,"severity":"error"}],"changed":{"outliers(hr)":1}}

metadata columns: the load's time, the input and the line of each row.

  $ cd transforms && sluice run hr_meta
  hr_meta: load 11 committed: 9 rows (9 valid) from data/hr.csv in 0.0 s, quality 1.00 excellent
    values changed by transforms: metadata(_loaded_at) 9, metadata(_input) 9, metadata(_line) 9
  $ cd transforms && sqlite3 transforms.db 'select * from hr_meta where _row = 1'
  2026-11-20T07:00:00Z|61|2026-11-23T12:00:00.000Z|data/hr.csv|2|11|1

The load records its resolved steps: a rebuild from bronze (here: a second input widens hr to
a number) applies them again, so the rows of load 1 keep their transformed values.

  $ cd transforms && sqlite3 transforms.db "select person, weight, temp, printf('%g', hr) from body" > before.txt
  $ cd transforms && printf 'time,person,weight,weight_unit,temp,hr,hr_unit\n2026-11-21 07:00,ada,149.5,lb,98.4,70.5,bpm\n' > data/body2.csv
  $ cd transforms && SLUICE_NOW=2026-11-24T12:00:00Z sluice load data/body2.csv --source body
  body: load 12 committed: 1 rows (1 valid) from data/body2.csv in 0.0 s, quality 1.00 excellent
    appended to existing source body (now 4 rows)
    values changed by transforms: unit(weight) 1, unit(weight_unit) 1, unit(temp) 1, unit(hr) 0, unit(hr_unit) 0
  $ cd transforms && sqlite3 transforms.db "select person, weight, temp, printf('%g', hr) from body where _load = 6" > after.txt && cmp before.txt after.txt && echo same values
  same values
  $ cd transforms && sqlite3 transforms.db 'select person, weight, temp, hr from body'
  ada|68.04|37.0|72.0
  alan|70.5|37.3|66.0
  grace|69.9|36.6|64.0
  ada|67.812|36.9|70.5
  $ cd transforms && sqlite3 transforms.db '.schema body'
  CREATE TABLE IF NOT EXISTS "body"("time" DATETIME, "person" TEXT, "weight" REAL, "weight_unit" TEXT, "temp" REAL, "hr" REAL, "hr_unit" TEXT, "_load" INTEGER NOT NULL, "_row" INTEGER NOT NULL);

Configuration errors name the file, line and key.

  $ printf 'sources:\n  a:\n    input: x.csv\n    transforms:\n      - trm: name\n' > t1.yaml && sluice --config t1.yaml run
  sluice: t1.yaml:5: sources.a.transforms[0].trm: unknown key (did you mean 'trim'?)
  [2]
  $ printf 'sources:\n  a:\n    input: x.csv\n    transforms:\n      - unit: w\n        from: lb\n        to: parsec\n' > t2.yaml && sluice --config t2.yaml run
  sluice: t2.yaml:7: sources.a.transforms[0].to: unknown unit 'parsec'
  [2]
  $ printf 'sources:\n  a:\n    input: x.csv\n    transforms:\n      - timestamp: t\n        timezone: Europe/Atlantis\n' > t3.yaml && sluice --config t3.yaml run
  sluice: t3.yaml:6: sources.a.transforms[0].timezone: unknown time zone 'Europe/Atlantis' (no /usr/share/zoneinfo/Europe/Atlantis)
  [2]
  $ printf 'sources:\n  a:\n    input: people.csv\n    transforms:\n      - rename: id\n        to: email\n' > t4.yaml && sluice --config t4.yaml run
  sluice: error: a: load failed: transforms: input columns 'id' and 'email' would both be named 'email' (a rename onto a column the input has)
  [2]

A field the input does not have is said once per load (a JSON key may appear in some inputs
only).

  $ printf 'sources:\n  a:\n    input: people.csv\n    transforms:\n      - trim: nmae\n' > t5.yaml && sluice --config t5.yaml run
  a: load [0-9]+ committed: 3 rows \(3 valid\) from people\.csv in 0\.0 s, quality 1\.00 excellent (re)
    values changed by transforms: trim(nmae) 0
    note: transforms whose field the input does not have: trim(nmae)

${VAR} works in transform options like anywhere in sluice.yaml.

  $ printf 'at,v\n2026-07-01 09:00,1\n' > tz.csv && printf 'sources:\n  tz:\n    input: tz.csv\n    transforms:\n      - timestamp: at\n        timezone: ${ZONE:-UTC}\n' > t6.yaml && ZONE=Asia/Tokyo sluice --config t6.yaml --db tz.db run --quiet && sqlite3 tz.db 'select at from tz'
  2026-07-01T00:00:00Z

The other choices at clock changes: the later of two, and an error for a time that does not
exist.

  $ cd transforms && printf 'sources:\n  dst:\n    input: data/times.csv\n    transforms:\n      - timestamp: taken\n        formats: ["%%d.%%m.%%Y %%H:%%M"]\n        timezone: Europe/Berlin\n        ambiguous: later\n        nonexistent: error\n        severity: warning\n' > dst.yaml && sluice --config dst.yaml --db dst.db run | grep -v matches
  dst: load 1 committed: 7 rows (2 valid, 5 with warnings) from data/times.csv in 0.0 s, quality 0.86 good
    values changed by transforms: timestamp(taken) 7
    line 4 (record 3): warning: nonexistent-time: taken: '29.03.2026 02:30' does not exist in Europe/Berlin (clocks go forward)
    line 5 (record 4): warning: ambiguous-time: taken: '25.10.2026 02:30' happens twice in Europe/Berlin (clocks go back); the later was taken
    recommendation: taken: 57.1% of the values are missing; if that is expected, the field is optional, else check the extract
  $ cd transforms && sqlite3 dst.db 'select value, taken from dst where value <= 4'
  1|2026-11-23T07:00:00Z
  2|2026-03-29T00:59:00Z
  3|
  4|2026-10-25T01:30:00Z
