sluice load: a file into SQLite with types inferred from all of it, bronze, silver, a version.

  $ sluice load people.csv
  people: load 1 committed: 3 rows (3 valid) from people.csv in 0.0 s, quality 1.00 excellent
  $ sqlite3 sluice.db 'select * from people'
  1|Ada Lovelace|ada@example.com|36|1815-12-10|1|9.5|1|1
  2|Alan Turing|alan@example.com|41|1912-06-23|1|9.75|1|2
  3|Grace Hopper|grace@example.com|85|1906-12-09|0|10.0|1|3
  $ sqlite3 sluice.db '.schema people'
  CREATE TABLE IF NOT EXISTS "people"("id" INTEGER, "name" TEXT, "email" TEXT, "age" INTEGER, "joined" DATE, "active" BOOLEAN, "score" REAL, "_load" INTEGER NOT NULL, "_row" INTEGER NOT NULL);
  $ sqlite3 sluice.db 'select load, row, line, byte_offset, status, errors, raw from bronze_people'
  1|1|2|38|valid||["1","Ada Lovelace","ada@example.com","36","1815-12-10","true","9.5"]
  1|2|3|92|valid||["2","Alan Turing","alan@example.com","41","1912-06-23","true","9.75"]
  1|3|4|147|valid||["3","Grace Hopper","grace@example.com","85","1906-12-09","false","10"]

The same bytes again are recognized and skipped; --force loads them again as a new version.

  $ sluice load people.csv
  people: skipped: same input already loaded as load 1 (people.csv)
  $ sluice load people.csv --force --output json
  {"source":"people","load":3,"status":"committed","input":"people.csv","sha256":"7c8874a2ca1655028806ee00eafd16170a84b45eac5112d87b085d94c2b71a05","rows":3,"valid":3,"warning":0,"invalid":0,"quality":{"score":1,"grade":"excellent","completeness":1,"validity":1,"uniqueness":null,"consistency":null,"timeliness":null,"accuracy":null,"fields":{"id":{"completeness":1,"validity":1},"name":{"completeness":1,"validity":1},"email":{"completeness":1,"validity":1},"age":{"completeness":1,"validity":1},"joined":{"completeness":1,"validity":1},"active":{"completeness":1,"validity":1},"score":{"completeness":1,"validity":1}},"anomalies":[],"recommendations":[]},"seconds":0.000,"format":"csv","encoding":"utf-8","existing_source":{"mode":"append","rows":6,"columns_added":[],"columns_not_in_input":[]}}
  $ sqlite3 sluice.db 'select count(*), min(_load), max(_load) from people'
  6|1|3
  $ sluice versions people
  load  status    active mode          rows     valid  warning  invalid grade      finished                 input
  1     committed yes    append           3         3        0        0 excellent  2026-11-23T12:00:00.000Z people.csv
  3     committed yes    append           3         3        0        0 excellent  2026-11-23T12:00:00.000Z people.csv
  (1 skipped attempt with an input loaded before: --all shows it)
  $ sluice versions people --all | cut -c1-70
  load  status    active mode          rows     valid  warning  invalid 
  1     committed yes    append           3         3        0        0 
  2     skipped   no     -                0         0        0        0 
  3     committed yes    append           3         3        0        0 

Codes with leading zeros stay text; empty cells are NULL.

  $ sluice load zips.csv --output json
  {"source":"zips","load":4,"status":"committed","input":"zips.csv","sha256":"f11940d20dea30e21cc959a2c037ee1b3596218b47de6f508d45085573a71dfc","rows":3,"valid":3,"warning":0,"invalid":0,"quality":{"score":0.9444,"grade":"good","completeness":0.8888,"validity":1,"uniqueness":null,"consistency":null,"timeliness":null,"accuracy":null,"fields":{"zip":{"completeness":1,"validity":1},"city":{"completeness":1,"validity":1},"population":{"completeness":0.6666,"validity":1}},"anomalies":[],"recommendations":["population: 33.3% of the values are missing; if that is expected, the field is optional, else check the extract"]},"seconds":0.000,"format":"csv","encoding":"utf-8"}
  $ sqlite3 sluice.db 'select zip, typeof(zip), population, typeof(population) from zips'
  00501|text||null
  02134|text|23000|integer
  10001|text|21102|integer

Numbers that a double cannot hold exactly widen the column to text rather than be rounded.

  $ sluice load widen_types.csv
  widen_types: load 5 committed: 4 rows (4 valid) from widen_types.csv in 0.0 s, quality 1.00 excellent
  $ sqlite3 sluice.db 'select id, amount, typeof(amount) from widen_types'
  1|10|text
  2|12.5|text
  3|1e3|text
  4|12345678901234567890|text

A source name can be given; stdin needs one.

  $ sluice load - < people.csv
  sluice: load: reading stdin needs --source NAME
  usage: sluice load FILE... [--source NAME] [--schema FILE] [--format F] [--primary-key A,B] [--timestamp FIELD] [--force] [--min-score S] [--rejects FILE] [--output text|json]
  [2]
  $ sluice load --source staff - < people.csv
  staff: load 6 committed: 3 rows (3 valid) from stdin in 0.0 s, quality 1.00 excellent
  $ sqlite3 sluice.db 'select count(*) from staff'
  3

Compressed inputs are read as they are; the SHA-256 is of the file's bytes.

  $ gzip -c people.csv > people.csv.gz && sluice load people.csv.gz --source gz --output json | grep -o '"status":"[a-z]*"'
  "status":"committed"
  $ sha256sum people.csv.gz | cut -c1-64 | xargs -I{} sqlite3 sluice.db "select count(*) from sluice_loads where sha256 = '{}'"
  1

A quoted glob is expanded by sluice (sorted): one load per file.

  $ mkdir -p in && cp orders_1.csv orders_2.csv in/ && sluice load 'in/orders_*.csv' --source globbed
  globbed: load 8 committed: 2 rows (2 valid) from in/orders_1.csv in 0.0 s, quality 1.00 excellent
  globbed: load 9 committed: 2 rows (2 valid) from in/orders_2.csv in 0.0 s, quality 1.00 excellent
    appended to existing source globbed (now 4 rows)
  $ sluice load 'in/*.tsv' --source none
  sluice: error: no file matches in/*.tsv
  [3]
