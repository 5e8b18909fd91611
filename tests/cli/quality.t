Quality: figures per load, thresholds that fail a load, anomalies against history, reports.
quality/sluice.yaml declares a freshness of 7d for the heart-rate source `hr`, weighs
completeness twice, and fails a load whose completeness is below 0.95 or that rejects more than
10% of its rows. Six days of readings load; the seventh day is short, misses a value and has a
stale record.

  $ cd quality && cat sluice.yaml
  store: sqlite:hr.db
  quality:
    weights: {completeness: 2}
  sources:
    hr:
      input: hr-*.csv
      timestamp: time
      freshness: 7d
      quality:
        min_completeness: 0.95
        max_invalid_ratio: 0.1
  $ cd quality && cat hr-7.csv
  device,time,bpm
  watch-1,2026-11-23T08:00:00Z,72
  watch-2,2026-11-23T09:00:00Z,
  watch-3,2026-10-01T09:00:00Z,64
  $ cd quality && sluice run
  sluice: error: hr: load failed: quality threshold missed: completeness 0\.8888 is below min_completeness 0\.95 \(short by 0\.0611\); its 3 rows are kept in bronze[_.]hr as load 7 \(status failed\), silver is unchanged (re)
    quality 0.86 good; top recommendation: bpm: 33.3% of the values are missing; if that is expected, the field is optional, else check the extract
  hr: load 1 committed: 10 rows (10 valid) from hr-1.csv in 0.0 s, quality 1.00 excellent
  hr: load 2 committed: 11 rows (11 valid) from hr-2.csv in 0.0 s, quality 1.00 excellent
    appended to existing source hr (now 21 rows)
  hr: load 3 committed: 9 rows (9 valid) from hr-3.csv in 0.0 s, quality 1.00 excellent
    appended to existing source hr (now 30 rows)
  hr: load 4 committed: 10 rows (10 valid) from hr-4.csv in 0.0 s, quality 1.00 excellent
    appended to existing source hr (now 40 rows)
  hr: load 5 committed: 12 rows (12 valid) from hr-5.csv in 0.0 s, quality 1.00 excellent
    appended to existing source hr (now 52 rows)
  hr: load 6 committed: 10 rows (10 valid) from hr-6.csv in 0.0 s, quality 1.00 excellent
    appended to existing source hr (now 62 rows)
  [1]
  $ cd quality && sluice versions hr
  load  status    active mode          rows     valid  warning  invalid grade      finished                 input
  1     committed yes    append          10        10        0        0 excellent  2026-11-23T12:00:00.000Z hr-1.csv
  2     committed yes    append          11        11        0        0 excellent  2026-11-23T12:00:00.000Z hr-2.csv
  3     committed yes    append           9         9        0        0 excellent  2026-11-23T12:00:00.000Z hr-3.csv
  4     committed yes    append          10        10        0        0 excellent  2026-11-23T12:00:00.000Z hr-4.csv
  5     committed yes    append          12        12        0        0 excellent  2026-11-23T12:00:00.000Z hr-5.csv
  6     committed yes    append          10        10        0        0 excellent  2026-11-23T12:00:00.000Z hr-6.csv
  7     failed    no     append           3         3        0        0 good       2026-11-23T12:00:00\.000Z hr-7\.csv  \(completeness 0\.8888 is below min_completeness 0\.95 \(short by 0\.0611\); its 3 rows are kept in bronze[_.]hr as load 7 \(status failed\), silver is unchanged\) (re)

The failed load's rows are in bronze with their statuses; silver and the active versions are
as they were.

  $ cd quality && sqlite3 hr.db 'select load, row, status from bronze_hr where load = 7'
  7|1|valid
  7|2|valid
  7|3|valid
  $ cd quality && sqlite3 hr.db 'select count(*), min(_load), max(_load) from hr'
  62|1|6
  $ cd quality && sqlite3 hr.db 'select load, status, active from sluice_loads where load >= 6'
  6|committed|1
  7|failed|0

The report of the latest load (the failed one), and of an earlier one as JSON.

  $ cd quality && sluice quality hr
  hr: load 7, failed, from hr-7.csv
    3 rows: 3 valid, 0 with warnings, 0 invalid; finished 2026-11-23T12:00:00.000Z
    note: completeness 0\.8888 is below min_completeness 0\.95 \(short by 0\.0611\); its 3 rows are kept in bronze[_.]hr as load 7 \(status failed\), silver is unchanged (re)
  
    metric        value
    score         0.8611  #################...  good
    completeness  0.8888  #################...
    validity      1.0000  ####################
    uniqueness       n/a  not measured
    consistency      n/a  not measured
    timeliness    0.6666  #############.......
    accuracy         n/a  not measured
  
    field   completeness  validity
    device        1.0000    1.0000
    time          1.0000    1.0000
    bpm           0.6666    1.0000
  
    freshness 7d: 2 of 3 records within it; newest 2026-11-23T09:00:00.000Z
  
    anomalies (against 6 earlier loads, |robust z| > 3.5):
      ! rows: 3 is far below the usual 10 of the last 6 loads (robust z -9.4): a partial extract or a filter upstream?
      ! completeness: 0.8888 is far below the usual 1.0000 of the last 6 loads (the earlier loads all had 1)
      ! timeliness: 0.6666 is far below the usual 1.0000 of the last 6 loads (the earlier loads all had 1)
      ! score: 0.8611 is far below the usual 1.0000 of the last 6 loads (the earlier loads all had 1)
  
    recommendations:
      1. bpm: 33.3% of the values are missing; if that is expected, the field is optional, else check the extract
      2. timeliness: 33% of the records are older than 7d (the newest is 3.0 h old); late data or a backfill?
  $ cd quality && sluice quality hr --load 7 --output json
  {"source":"hr","load":7,"status":"failed","input":"hr-7.csv","rows":3,"valid":3,"warning":0,"invalid":0,"score":0.8611,"grade":"good","completeness":0.8888,"validity":1,"uniqueness":null,"consistency":null,"timeliness":0.6666,"accuracy":null,"fields":{"device":{"completeness":1,"validity":1},"time":{"completeness":1,"validity":1},"bpm":{"completeness":0.6666,"validity":1}},"freshness":{"declared":"7d","seconds":604800,"with_timestamp":3,"within":2,"newest":"2026-11-23T09:00:00.000Z","age_seconds":10800},"anomalies":[{"metric":"rows","value":3,"median":10,"mad":0.5,"z":-9.44,"message":"rows: 3 is far below the usual 10 of the last 6 loads (robust z -9.4): a partial extract or a filter upstream?"},{"metric":"completeness","value":0.8888,"median":1,"mad":0,"z":null,"message":"completeness: 0.8888 is far below the usual 1.0000 of the last 6 loads (the earlier loads all had 1)"},{"metric":"timeliness","value":0.6666,"median":1,"mad":0,"z":null,"message":"timeliness: 0.6666 is far below the usual 1.0000 of the last 6 loads (the earlier loads all had 1)"},{"metric":"score","value":0.8611,"median":1,"mad":0,"z":null,"message":"score: 0.8611 is far below the usual 1.0000 of the last 6 loads (the earlier loads all had 1)"}],"recommendations":["bpm: 33.3% of the values are missing; if that is expected, the field is optional, else check the extract","timeliness: 33% of the records are older than 7d (the newest is 3.0 h old); late data or a backfill?"]}
  $ cd quality && sluice quality hr --load 2 --output json
  {"source":"hr","load":2,"status":"committed","input":"hr-2.csv","rows":11,"valid":11,"warning":0,"invalid":0,"score":1,"grade":"excellent","completeness":1,"validity":1,"uniqueness":null,"consistency":null,"timeliness":1,"accuracy":null,"fields":{"device":{"completeness":1,"validity":1},"time":{"completeness":1,"validity":1},"bpm":{"completeness":1,"validity":1}},"freshness":{"declared":"7d","seconds":604800,"with_timestamp":11,"within":11,"newest":"2026-11-18T18:00:00.000Z","age_seconds":410400},"anomalies":[],"recommendations":[]}

The JSON of the report is the quality object of CLI.md with the load's identity, figure for
figure what the load printed.

  $ cd quality && sluice run --force --output json 2>/dev/null | tail -n 1 | grep -o '"quality":{"score":[0-9.]*,"grade":"[a-z]*","completeness":[0-9.]*'
  "quality":{"score":0.8611,"grade":"good","completeness":0.8888
  $ cd quality && sluice quality hr --output json | grep -o '"score":[0-9.]*,"grade":"[a-z]*","completeness":[0-9.]*'
  "score":0.8611,"grade":"good","completeness":0.8888

An HTML report is one self-contained file: inline SVG charts, no script, no URL, well-formed.

  $ cd quality && sluice quality hr --output html -o report.html
  sluice: wrote report.html
  $ cd quality && grep -c '<svg' report.html
  3
  $ cd quality && grep -ciE 'https?://|<script|<link|src=' report.html
  0
  [1]
  $ cd quality && xmllint --noout report.html && echo well-formed
  well-formed
  $ cd quality && grep -o '<title>Quality of hr, load [0-9]*</title>' report.html
  <title>Quality of hr, load 14</title>

What comes from data is escaped: a source named with HTML in its fields and inputs.

  $ printf 'id,"<b>x</b>"\n1,\n2,a&b\n' > 'odd<i>.csv' && sluice load 'odd<i>.csv' --source odd
  odd: load [0-9]+ committed: 2 rows \(2 valid\) from odd<i>\.csv in 0\.0 s, quality 0\.88 good (re)
    recommendation: <b>x</b>: 50.0% of the values are missing; if that is expected, the field is optional, else check the extract
  $ sluice quality odd --output html | grep -c '<b>x</b>\|<i>'
  0
  [1]
  $ sluice quality odd --output html | grep -o '&lt;b&gt;x&lt;/b&gt;' | head -n 1
  &lt;b&gt;x&lt;/b&gt;
  $ sluice quality odd --output html | grep -o 'odd&lt;i&gt;.csv'
  odd&lt;i&gt;.csv

A threshold on the command line; errors are named.

  $ sluice load zips.csv --min-score 0.99
  sluice: error: zips: load failed: quality threshold missed: quality score 0\.9444 is below min_score 0\.99 \(short by 0\.0456\); its 3 rows are kept in bronze[_.]zips as load [0-9]+ \(status failed\), silver is unchanged (re)
    quality 0.94 good; top recommendation: population: 33.3% of the values are missing; if that is expected, the field is optional, else check the extract
  [1]
  $ sluice load zips.csv --min-score 2
  sluice: load: --min-score expects a number from 0 to 1
  usage: sluice load FILE... [--source NAME] [--schema FILE] [--format F] [--primary-key A,B] [--timestamp FIELD] [--force] [--min-score S] [--rejects FILE] [--output text|json]
  [2]
  $ printf 'quality: {min_score: 0.99}\n' > q.yaml && sluice --config q.yaml load zips.csv --source zips2
  sluice: error: zips2: load failed: quality threshold missed: quality score 0\.9444 is below min_score 0\.99 \(short by 0\.0456\); its 3 rows are kept in bronze[_.]zips2 as load [0-9]+ \(status failed\), silver is unchanged (re)
    quality 0.94 good; top recommendation: population: 33.3% of the values are missing; if that is expected, the field is optional, else check the extract
  [1]
  $ sluice quality nosuch
  sluice: source 'nosuch' has no load with quality figures in (sqlite:sluice\.db|postgresql:[^ ]*) (re)
  [2]
  $ sluice quality zips --output yaml
  sluice: quality: --output must be one of: text, json, html
  usage: sluice quality SOURCE [--load V] [--output text|json|html] [-o FILE]
  [2]
  $ printf 'sources:\n  a:\n    input: x.csv\n    freshness: soon\n' > bad.yaml && sluice --config bad.yaml run
  sluice: bad.yaml:4: sources.a.freshness: expected a duration such as 24h, 7d, 90m or P1D
  [2]
  $ printf 'sources:\n  a:\n    input: x.csv\n    quality: {min_score: 2}\n' > bad.yaml && sluice --config bad.yaml run
  sluice: bad.yaml:4: sources.a.quality.min_score: expected a number from 0 to 1
  [2]
  $ printf 'quality:\n  weights: {completness: 1}\nsources: {}\n' > bad.yaml && sluice --config bad.yaml run
  sluice: bad.yaml:2: quality.weights.completness: unknown key (did you mean 'completeness'?)
  [2]

check computes the same figures without loading (freshness and timestamp from the source).

  $ cd quality && sluice check hr-7.csv --source hr --output json | grep -o '"quality":.*'
  "quality":{"score":0.8611,"grade":"good","completeness":0.8888,"validity":1,"uniqueness":null,"consistency":null,"timeliness":0.6666,"accuracy":null,"fields":{"device":{"completeness":1,"validity":1},"time":{"completeness":1,"validity":1},"bpm":{"completeness":0.6666,"validity":1}},"freshness":{"declared":"7d","seconds":604800,"with_timestamp":3,"within":2,"newest":"2026-11-23T09:00:00.000Z","age_seconds":10800},"anomalies":[],"recommendations":["bpm: 33.3% of the values are missing; if that is expected, the field is optional, else check the extract","timeliness: 33% of the records are older than 7d (the newest is 3.0 h old); late data or a backfill?"]}}

A keyed source: the failing load would have updated order 2; silver keeps the committed value
and the failed load's rows are in bronze only.

  $ sluice load orders_1.csv --source orders --primary-key order_id
  orders: load [0-9]+ committed: 2 rows \(2 valid\) from orders_1\.csv in 0\.0 s, quality 1\.00 excellent (re)
  $ printf 'order_id,status,total\n2,shipped,\n3,new,7.25\n' > orders_2b.csv && sluice load orders_2b.csv --source orders --primary-key order_id --min-score 0.95
  sluice: error: orders: load failed: quality threshold missed: quality score 0\.9444 is below min_score 0\.95 \(short by 0\.0056\); its 2 rows are kept in bronze[_.]orders as load [0-9]+ \(status failed\), silver is unchanged (re)
    quality 0.94 good; top recommendation: total: 50.0% of the values are missing; if that is expected, the field is optional, else check the extract
  [1]
  $ sqlite3 sluice.db 'select order_id, status, _load from orders order by order_id'
  1|new|4
  2|new|4
  $ sqlite3 sluice.db 'select load, row, status, raw from bronze_orders order by id'
  4|1|valid|["1","new","10.00"]
  4|2|valid|["2","new","20.50"]
  5|1|valid|["2","shipped",""]
  5|2|valid|["3","new","7.25"]

An update feed that replaces keys already in silver is not a uniqueness problem (uniqueness is
about keys within the load): the load is excellent.

  $ sluice load orders_2.csv --source orders --primary-key order_id
  orders: load [0-9]+ committed: 2 rows \(2 valid\) from orders_2\.csv in 0\.0 s, quality 1\.00 excellent (re)
    upserted into existing source orders (now 3 rows)
  $ sqlite3 sluice.db 'select order_id, status, _load from orders order by order_id'
  1|new|4
  2|shipped|6
  3|new|6

A new column in a failing load does not change silver's columns either; stdin is read twice
(spooled) when a threshold may fail the load, with a schema too.

  $ printf 'order_id,status,total,note\n3,new,1,x\n3,new,2,y\n' | sluice load - --source orders --primary-key order_id --min-score 0.9
  sluice: error: orders: load failed: quality threshold missed: quality score 0\.6666 is below min_score 0\.9 \(short by 0\.2333\); its 2 rows are kept in bronze[_.]orders as load [0-9]+ \(status failed\), silver is unchanged (re)
    quality 0.67 poor; top recommendation: order_id: 1 row (50%) repeats the primary key of an earlier row of this input; look for duplicates in the extract
  [1]
  $ sqlite3 sluice.db 'pragma table_info(orders)' | cut -d'|' -f2 | paste -sd' '
  order_id status total _load _row
  $ sluice load --source people - --schema people.schema.yaml --min-score 0.999 < people_bad.csv
  sluice: error: people: load failed: quality threshold missed: quality score 0\.6507 is below min_score 0\.999 \(short by 0\.3482\); its 3 rows are kept in bronze[_.]people as load [0-9]+ \(status failed\), silver is unchanged (re)
    quality 0.65 unusable (grade capped: 3 of 3 rows rejected); top recommendation: id: 33.3% of the values are missing; if that is expected, the field is optional, else check the extract
  [1]
  $ sqlite3 sluice.db 'select count(*), group_concat(status) from bronze_people'
  3|invalid,invalid,invalid
  $ sqlite3 sluice.db "select name from sluice_sources where name = 'people'"

Figures with nothing to measure are not counted (null / n/a). A file with 24% empty cells
(25 rows × 5 fields, 30 empty) is not excellent: completeness 0.76 and validity 1, score 0.88.

  $ python3 -c "print('id,a,b,c,d'); n=0
  > for i in range(1,26):
  >     c=[str(i),'p','q','r','s']
  >     for j in range(1,5):
  >         if n<30 and (i+j)%3!=0: c[j]='';n+=1
  >     print(','.join(c))" > empty24.csv
  $ sluice load empty24.csv --output json | grep -o '"score":[^,]*,"grade":"[a-z]*","completeness":[0-9.]*,"validity":[0-9.]*,"uniqueness":[a-z0-9.]*'
  "score":0.88,"grade":"good","completeness":0.76,"validity":1,"uniqueness":null

Rejected rows cap the grade: 6 of 50 rows (12%) rejected on a keyed source scores 0.96, but the
grade is never better than that of valid rows / rows (0.88, good).

  $ python3 -c "print('id,v')
  > for i in range(1,51): print(f'{i},{i if i>6 else \"x\"}')" > rej12.csv
  $ printf 'fields:\n  - {name: id, type: integer}\n  - {name: v, type: integer}\n' > rej12.yaml
  $ sluice load rej12.csv --schema rej12.yaml --primary-key id | head -n 1
  rej12: load [0-9]+ committed: 50 rows \(44 valid, 6 rejected\) from rej12\.csv in 0\.0 s, quality 0\.96 good \(grade capped: 6 of 50 rows rejected\) (re)
