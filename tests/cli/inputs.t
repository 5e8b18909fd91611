Inputs that are easy to mis-read (issue 14): archives and binary files, single-column files,
JSON in files named otherwise, headers aligned with spaces, timestamps that are not dates, the
same data compressed, and a reader that stops early.

Archives, documents, images, executables, databases and other binary files are recognized by
their bytes (under gzip or zstd too), whatever their name or --format, and refused before
anything is written:

  $ mkdir -p pkg/package && echo 'MIT Licence' > pkg/package/LICENSE && tar -C pkg -czf npm.tgz package && sluice load npm.tgz
  sluice: error: npm: load failed: npm.tgz: a tar archive (gzip-compressed), not CSV or JSON data; extract it first (tar -xf) and load the files it holds
  [3]
  $ sluice load people.csv && sluice load npm.tgz --source people --format csv
  people: load 2 committed: 3 rows (3 valid) from people.csv in 0.0 s, quality 1.00 excellent
  sluice: error: people: load failed: npm.tgz: a tar archive (gzip-compressed), not CSV or JSON data; extract it first (tar -xf) and load the files it holds
  [3]
  $ sqlite3 sluice.db "select count(*) from sqlite_master where name = 'npm'"
  0
  $ sqlite3 sluice.db "select group_concat(name) from pragma_table_info('people')"
  id,name,email,age,joined,active,score,_load,_row
  $ printf '%%PDF-1.4\n' > report.csv && sluice cat report.csv
  sluice: report.csv: a PDF document, not CSV or JSON data
  [3]
  $ printf 'id,name\n1,Ada\n' | iconv -t UTF-16LE > u16.csv && sluice infer u16.csv
  sluice: u16.csv: text in UTF-16LE without a byte order mark, not CSV or JSON data; convert it to UTF-8 first (iconv -f UTF-16LE -t UTF-8)
  [3]

A single column is a valid CSV: timestamps, dates and times are not split at their ':' or '-',
with a header or without one. A delimiter must split the header like the rows:

  $ printf 'ts\n2026-01-01T10:00:00\n2026-01-01T11:00:00\n' > stamps.csv && sluice cat stamps.csv
  {"ts":"2026-01-01T10:00:00"}
  {"ts":"2026-01-01T11:00:00"}
  $ printf '10:00:00\n11:00:00\n12:30:00\n' > times.txt && sluice infer times.txt --output json
  {"fields":[{"name":"field_1","type":"time"}]}
  $ printf 'user:uid\nroot:0\nbin:1\n' > passwd.txt && sluice cat passwd.txt
  {"user":"root","uid":"0"}
  {"user":"bin","uid":"1"}

A quoted empty cell on its own line is a row holding one empty string; an empty line is blank:

  $ printf 'name\n""\nbob\n\n' > names.csv && sluice cat names.csv
  sluice: warning: names.csv:4: record 3: blank-row: the row is blank
  {"name":""}
  {"name":"bob"}
  sluice: warning: names.csv: 1 record(s) rejected
  [1]

NDJSON and JSON are recognized by their content, whatever the file is called:

  $ printf '{"a":1,"b":"x:y"}\n{"a":2,"b":"z"}\n' > events.txt && cp events.txt events.log && sluice cat events.txt && sluice cat events.log
  {"a":1,"b":"x:y"}
  {"a":2,"b":"z"}
  {"a":1,"b":"x:y"}
  {"a":2,"b":"z"}
  $ printf '[\n  {"a": 1},\n  {"a": 2}\n]\n' > doc.csv && sluice load doc.csv --output json | grep -o '"format":"[a-z]*"\|"rows":[0-9]*'
  "rows":2
  "format":"json"

A header aligned with spaces over rows separated by tabs (instrument and sensor exports) is read:
its names are split at blanks, or at two spaces or more when one space is part of a name. What
was done is recorded in the dialect (`header_split`):

  $ printf 'time                 temp  humidity\n2026-01-01T00:00:00\t21.5\t40\n2026-01-01T00:10:00\t21.4\t41\n' > sensor.txt && sluice load sensor.txt --output json | grep -o '"rows":[0-9]*,"valid":[0-9]*'
  "rows":2,"valid":2
  $ sqlite3 sluice.db "select time, temp, humidity from sensor" "select dialect from sluice_loads where source = 'sensor'"
  2026-01-01T00:00:00|21.5|40
  2026-01-01T00:10:00|21.4|41
  {"format":"csv","compression":"none","delimiter":"\t","quote":"\"","header":true,"bom":false,"header_split":"blanks","newline":"lf","encoding":"utf-8"}
  $ printf 'Time stamp   Temp C   Humidity %%\n2026-01-01\t21.5\t40\n' > probe.txt && sluice cat probe.txt
  {"Time stamp":"2026-01-01","Temp C":"21.5","Humidity %":"40"}

When the names cannot be matched to the rows, one line says the likely cause:

  $ printf 'time temp\n2026-01-01\t21.5\t40\n' > short.txt && sluice cat short.txt 2>&1 | head -1
  sluice: warning: short.txt: the header has 1 column but the rows have 3, separated by tabs: is the header separated differently (spaces?) or missing?
  $ sluice load short.txt | grep note
    note: the header has 1 column but the rows have 3, separated by tabs: is the header separated differently (spaces?) or missing?

A timestamp field must hold dates or datetimes. A column declared otherwise, or inferred as
numbers, is refused at once (exit 2) with its type; a column of strings is refused (exit 2, the
load rolled back) when less than half of its values are dates or datetimes:

  $ printf 'id,country,capital,founded\n1,Afghanistan,Kabul,1747-01-01\n2,Albania,Tirana,1912-11-28T10:00:00Z\n' > countries.csv && sluice load countries.csv --timestamp country
  sluice: error: countries: load failed: timestamp field 'country' is of type string (inferred from the data) and only 0 of its 2 values are dates or datetimes: a timestamp field must hold dates or datetimes (--timestamp, timestamp:)
  [2]
  $ sluice load countries.csv --timestamp id
  sluice: error: countries: load failed: timestamp field 'id' is of type integer (inferred from the data), not date or datetime: a timestamp field must hold dates or datetimes (--timestamp, timestamp:)
  [2]
  $ sluice check countries.csv --timestamp capital
  sluice: timestamp field 'capital' is of type string (inferred from the data) and only 0 of its 2 values are dates or datetimes: a timestamp field must hold dates or datetimes (--timestamp, timestamp:)
  [2]
  $ printf 'fields:\n  - {name: id, type: integer}\n  - {name: country, type: string}\n  - {name: capital, type: string}\n  - {name: founded, type: string}\n' > countries.yaml && sluice load countries.csv --schema countries.yaml --timestamp founded
  sluice: error: countries: load failed: timestamp field 'founded' is of type string (as the schema declares it), not date or datetime: a timestamp field must hold dates or datetimes (--timestamp, timestamp:)
  [2]
  $ sqlite3 sluice.db "select count(*) from sqlite_master where name = 'countries'"
  0
  $ sluice load countries.csv --timestamp founded && sqlite3 sluice.db "select ts_min, ts_max from sluice_loads where source = 'countries' and status = 'committed'"
  countries: load 10 committed: 2 rows (2 valid) from countries.csv in 0.0 s, quality 1.00 excellent
  1747-01-01T00:00:00|1912-11-28T10:00:00Z

A stray value among dates (`n/a`, a typo) does not refuse the column, and the load's time range
is taken over the dates only:

  $ printf 'id,at\n1,2026-01-05\n2,n/a\n3,2026-02-01\n' > stray.csv && sluice load stray.csv --timestamp at --quiet && sqlite3 sluice.db "select ts_min, ts_max from sluice_loads where source = 'stray'"
  2026-01-05|2026-02-01

The same data compressed is the same input: a load's identity is the SHA-256 of its content as
read (decompressed), kept as `content_sha256` beside the file's own `sha256`:

  $ printf 'id,name\n1,Ada\n2,Bob\n' > same.csv && gzip -k same.csv && zstd -q same.csv -o same2.csv.zst && sluice load same.csv
  same: load 12 committed: 2 rows (2 valid) from same.csv in 0.0 s, quality 1.00 excellent
  $ sluice load same.csv.gz --source same && sluice load same2.csv.zst --source same
  same: skipped: same input already loaded as load 12 (same.csv.gz)
  same: skipped: same input already loaded as load 12 (same2.csv.zst)
  $ sluice load same.csv.gz --source same --force --output json | grep -o '"content_sha256":"[0-9a-f]*"'
  "content_sha256":"c61013fd1301ee78979e8b2ceb67c7e42db8814a79dfd1668af0cc32abf9a030"
  $ sqlite3 sluice.db "select count(distinct sha256), count(distinct content_sha256) from sluice_loads where source = 'same'"
  3|1
  $ sha256sum same.csv | cut -c1-64 && sqlite3 sluice.db "select distinct content_sha256 from sluice_loads where source = 'same'"
  c61013fd1301ee78979e8b2ceb67c7e42db8814a79dfd1668af0cc32abf9a030
  c61013fd1301ee78979e8b2ceb67c7e42db8814a79dfd1668af0cc32abf9a030

A reader that stops reading (`| head`) is a normal end: no message, and the command's own exit
code (0), for every command writing to standard output. A real write error is still one:

  $ (echo id; seq 1 200000) > many.csv && sluice cat many.csv | head -1; echo "exit ${PIPESTATUS[0]}"
  {"id":"1"}
  exit 0
  $ sluice cat many.csv --to csv | head -2; echo "exit ${PIPESTATUS[0]}"
  id
  1
  exit 0
  $ sluice cat many.csv > many.ndjson && sluice cat many.ndjson | head -1; echo "exit ${PIPESTATUS[0]}"
  {"id":"1"}
  exit 0
  $ sluice versions same | head -0; echo "exit ${PIPESTATUS[0]}"
  exit 0
  $ sluice cat many.csv > /dev/full
  sluice: writing the output failed
  sluice: error writing to standard output
  [3]
