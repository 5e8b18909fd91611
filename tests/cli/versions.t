Versions: load modes, diff, rollback, activate, deactivate, rebuild, history, lineage and the
schema registry (docs/versions.md). Every load is a version; silver is a pure function of the
active ones.

A keyed source upserts by default: the latest active load wins per key.

  $ sluice load orders_1.csv --source orders --primary-key order_id
  orders: load 1 committed: 2 rows (2 valid) from orders_1.csv in 0.0 s, quality 1.00 excellent
  $ sluice load orders_2.csv --source orders --primary-key order_id
  orders: load 2 committed: 2 rows (2 valid) from orders_2.csv in 0.0 s, quality 1.00 excellent
    upserted into existing source orders (now 3 rows)
  $ sluice versions orders
  load  status    active mode          rows     valid  warning  invalid grade      finished                 input
  1     committed yes    upsert           2         2        0        0 excellent  2026-11-23T12:00:00.000Z orders_1.csv
  2     committed yes    upsert           2         2        0        0 excellent  2026-11-23T12:00:00.000Z orders_2.csv

diff compares the states after two loads: keys added, removed and changed (per field).

  $ sluice diff orders 1 2
  orders: from load 1 to load 2: 1 keys added, 0 removed, 1 changed
  changed fields: status 1
    ~ order_id=2: status "new" -> "shipped"
    + order_id=3 {"order_id":3,"status":"new","total":7.25}
  $ sluice diff orders 2 1 --output json
  {"source":"orders","from":2,"to":1,"keyed":true,"added":0,"removed":1,"changed":1,"fields":{"status":1},"sample":[{"op":"changed","key":{"order_id":2},"fields":{"status":{"from":"shipped","to":"new"}}},{"op":"removed","key":{"order_id":3},"row":{"order_id":3,"status":"new","total":7.25}}]}

Rollback deactivates every later load and makes silver exactly the state after the load;
the change is recorded with who did it and why.

  $ USER=ana sluice rollback orders --to 1 --reason "export of day 2 was wrong"
  orders: rolled back to load 1: 1 load changed; silver updated: 1 rows written, 2 removed
  $ sqlite3 sluice.db 'select order_id, status, total, _load, _row from orders order by order_id'
  1|new|10.0|1|1
  2|new|20.5|1|2
  $ USER=ana sluice activate orders 2 --reason "fixed upstream" --output json
  {"source":"orders","command":"activate","load":2,"changed":1,"rebuilt":false,"replayed":1,"rows_written":2,"rows_deleted":0}
  $ sqlite3 sluice.db 'select order_id, status, _load from orders order by order_id'
  1|new|1
  2|shipped|2
  3|new|2
  $ USER=bo sluice deactivate orders 1
  orders: load 1 deactivated: 1 load changed; silver rebuilt from 1 load (2 rows written)
  $ sqlite3 sluice.db 'select order_id, status, _load from orders order by order_id'
  2|shipped|2
  3|new|2
  $ sluice versions orders --output json | grep -o '"load":[0-9]*,"status":"[a-z]*","active":[a-z]*,"mode":"[a-z]*"'
  "load":1,"status":"committed","active":false,"mode":"upsert"
  "load":2,"status":"committed","active":true,"mode":"upsert"
  $ sluice history orders
  event source           load  action     command    who          at                       reason
  1     orders           2     deactivate rollback   ana          2026-11-23T12:00:00.000Z export of day 2 was wrong
  2     orders           2     activate   activate   ana          2026-11-23T12:00:00.000Z fixed upstream
  3     orders           1     deactivate deactivate bo           2026-11-23T12:00:00.000Z
  $ sluice history --output json
  [{"event":1,"source":"orders","load":2,"action":"deactivate","command":"rollback","who":"ana","at":"2026-11-23T12:00:00.000Z","reason":"export of day 2 was wrong"},{"event":2,"source":"orders","load":2,"action":"activate","command":"activate","who":"ana","at":"2026-11-23T12:00:00.000Z","reason":"fixed upstream"},{"event":3,"source":"orders","load":1,"action":"deactivate","command":"deactivate","who":"bo","at":"2026-11-23T12:00:00.000Z","reason":null}]
  $ sluice activate orders 1
  orders: load 1 activated: 1 load changed; silver rebuilt from 2 loads (4 rows written)
  $ sluice rebuild orders
  orders: silver rebuilt from 2 loads (4 rows written)
  $ sluice rebuild orders --output json
  {"source":"orders","command":"rebuild","changed":0,"rebuilt":true,"replayed":2,"rows_written":4,"rows_deleted":0}

Lineage of one row: where silver's row came from (load, input, line, byte offset), and every
load that wrote the key, oldest first.

  $ sluice lineage orders --row 2
  orders 2: from load 2, orders_2.csv line 2 (byte 22, record 1)
  written by:
    load 1    active   orders_1.csv line 3 (byte 34)
    load 2    active   orders_2.csv line 2 (byte 22)
  $ sluice lineage orders --row 2 --output json
  {"source":"orders","key":"2","load":2,"input":"orders_2.csv","row":1,"line":2,"offset":22,"loads":[1,2],"writes":[{"load":1,"active":true,"input":"orders_1.csv","row":2,"line":3,"offset":34},{"load":2,"active":true,"input":"orders_2.csv","row":1,"line":2,"offset":22}]}
  $ sluice lineage orders --row 9
  sluice: lineage: no load of 'orders' wrote the key 9
  [1]

The lineage graph: input -> load -> bronze -> silver, as text, JSON, DOT and Mermaid.

  $ sluice lineage orders
  orders (silver)
    <- bronze[_.]orders \(bronze\) (re)
       <- load 1 [active, upsert, schema v1, 2 rows] <- orders_1.csv (a4328aca7227)
       <- load 2 [active, upsert, schema v1, 2 rows] <- orders_2.csv (e4cbc5ec7f7a)
  $ sluice lineage orders --output json
  \{"sources":\[\{"source":"orders","silver":"orders","bronze":"bronze[_.]orders","loads":\[\{"load":1,"active":true,"input":"orders_1\.csv","sha256":"a4328aca72272027e9b5fc82e658e14a6e21ee4542717b5d3b8c177093047cac","format":"csv","mode":"upsert","schema_version":1,"rows":2,"valid":2,"invalid":0,"transforms":null\},\{"load":2,"active":true,"input":"orders_2\.csv","sha256":"e4cbc5ec7f7aeda302ee4347cfb8dad6349cb4674d2fa86a28111c7705604a83","format":"csv","mode":"upsert","schema_version":1,"rows":2,"valid":2,"invalid":0,"transforms":null\}\]\}\]\} (re)
  $ sluice lineage --output dot
  digraph lineage {
    rankdir=LR;
    silver_orders [shape=cylinder, label="orders\n(silver)"];
    bronze_orders \[shape=cylinder, label="bronze[_.]orders\\n\(bronze\)"\]; (re)
    bronze_orders -> silver_orders;
    input_orders_5f1_2ecsv [shape=note, label="orders_1.csv"];
    load_1 [shape=box, label="load 1 (active, upsert, schema v1)"];
    input_orders_5f1_2ecsv -> load_1;
    load_1 -> bronze_orders;
    input_orders_5f2_2ecsv [shape=note, label="orders_2.csv"];
    load_2 [shape=box, label="load 2 (active, upsert, schema v1)"];
    input_orders_5f2_2ecsv -> load_2;
    load_2 -> bronze_orders;
  }
  $ sluice lineage orders --output mermaid
  flowchart LR
    silver_orders[("orders (silver)")]
    bronze_orders\[\("bronze[_.]orders \(bronze\)"\)\] (re)
    bronze_orders --> silver_orders
    input_orders_5f1_2ecsv[/"orders_1.csv"/]
    load_1["load 1 (active, upsert, schema v1)"]
    input_orders_5f1_2ecsv --> load_1
    load_1 --> bronze_orders
    input_orders_5f2_2ecsv[/"orders_2.csv"/]
    load_2["load 2 (active, upsert, schema v1)"]
    input_orders_5f2_2ecsv --> load_2
    load_2 --> bronze_orders

The schema registry: a new version whenever the schema changes, classified.

  $ sluice load orders_3.csv --source orders --on-type-change widen
  orders: load 3 committed: 2 rows (2 valid) from orders_3.csv in 0.0 s, quality 1.00 excellent
    upserted into existing source orders (now 5 rows)
    column total: type widened from number to string by 1 value ("oops"); silver rebuilt, new schema version
  $ sluice schema orders
  orders: schema version 2, loads 3-3 (1 load), sha256 b3effb3063423a04
    change: widening (total widened from number to string)
    order_id             integer, primary key
    status               string
    total                string
  $ sluice schema orders --history --output json | grep -o '"version":[0-9],"sha256":"[0-9a-f]*","first_load":[0-9],"last_load":[0-9],"loads":[0-9],"change":"[a-z]*","why":[^,]*'
  "version":1,"sha256":"72549df0f05098a29417602dd1fe4cbc8bc73511ba27496e76713de13bd7bc21","first_load":1,"last_load":2,"loads":2,"change":"initial","why":null
  "version":2,"sha256":"b3effb3063423a041abf6894472e9e77bbb2bd329ec5138daa077aecdf0410ea","first_load":3,"last_load":3,"loads":1,"change":"widening","why":"total widened from number to string"
  $ sluice schema orders --output yaml
  fields:
    - name: order_id
      type: integer
    - name: status
      type: string
    - name: total
      type: string
  primaryKey: [order_id]

Unkeyed sources append; diff counts rows added and removed by content.

  $ printf 'name,n\na,1\nb,2\n' > e1.csv && sluice load e1.csv --source events
  events: load 4 committed: 2 rows (2 valid) from e1.csv in 0.0 s, quality 1.00 excellent
  $ printf 'name,n\nb,2\nc,3\nc,3\n' > e2.csv && sluice load e2.csv --source events
  events: load 5 committed: 3 rows (3 valid) from e2.csv in 0.0 s, quality 1.00 excellent
    appended to existing source events (now 5 rows)
  $ sluice diff events 4 5
  events: from load 4 to load 5: 3 rows added, 0 removed
    + {"name":"b","n":2}
    + {"name":"c","n":3} (x2)
  $ sluice diff events 5 4 --output json
  {"source":"events","from":5,"to":4,"keyed":false,"added":0,"removed":3,"changed":0,"fields":{},"sample":[{"op":"removed","count":1,"row":{"name":"b","n":2}},{"op":"removed","count":2,"row":{"name":"c","n":3}}]}

Rolling an append source back deletes the later loads' rows: work proportional to them.

  $ sluice rollback events --to 4
  events: rolled back to load 4: 1 load changed; silver updated: 0 rows written, 3 removed
  $ sqlite3 sluice.db 'select name, n, _load from events order by name'
  a|1|4
  b|2|4
  $ sluice lineage events --row a
  sluice: lineage: source 'events' has no primary key: --row needs a keyed source
  [2]

A snapshot source: each load is the complete state; keys absent from it leave silver.

  $ printf 'id,name\n1,ann\n2,bob\n3,cy\n' > p1.csv && sluice load p1.csv --source people --primary-key id --mode snapshot
  people: load 6 committed: 3 rows (3 valid) from p1.csv in 0.0 s, quality 1.00 excellent
  $ printf 'id,name\n1,ann\n3,cyd\n' > p2.csv && sluice load p2.csv --source people --primary-key id
  people: load 7 committed: 2 rows (2 valid) from p2.csv in 0.0 s, quality 1.00 excellent
    replaced the rows of existing source people (now 2 rows)
  $ sqlite3 sluice.db 'select id, name, _load from people order by id'
  1|ann|7
  3|cyd|7
  $ sluice diff people 6 7
  people: from load 6 to load 7: 0 keys added, 1 removed, 1 changed
  changed fields: name 1
    - id=2 {"id":2,"name":"bob"}
    ~ id=3: name "cy" -> "cyd"
  $ sluice lineage people --row 2
  people 2: not in silver (no active load has it)
  written by:
    load 6    active   p1.csv line 3 (byte 14)
  $ sluice rollback people --to 6 --output json
  {"source":"people","command":"rollback","load":6,"changed":1,"rebuilt":true,"replayed":1,"rows_written":3,"rows_deleted":0}
  $ sqlite3 sluice.db 'select id, name, _load from people order by id'
  1|ann|6
  2|bob|6
  3|cy|6

Modes are checked against the key.

  $ sluice load p1.csv --source people2 --primary-key id --mode append
  sluice: error: people2: load failed: mode append keeps every row, so it cannot keep the primary key (id) of source 'people2' unique: use --mode upsert (one row per key, the latest wins) or --mode snapshot (each load replaces all rows), or load without a primary key (in sluice.yaml: mode: upsert or mode: snapshot)
  [2]

  $ sluice load e1.csv --source events2 --mode upsert
  sluice: error: events2: load failed: mode upsert needs a primary key: source 'events2' has none (give primary_key, or use append or snapshot)
  [2]
  $ sluice load e1.csv --source events2 --mode merge
  sluice: load: --mode must be append, upsert or snapshot
  usage: .* (re)
  [2]

Errors name what is wrong.

  $ sluice rollback orders --to 99
  sluice: rollback: orders: load 99 is not a committed load of orders
  [2]
  $ sluice rollback nosuch --to 1
  sluice: rollback: no source 'nosuch' in (sqlite:sluice\.db|postgresql:[^ ]*) (re)
  [2]
  $ sluice rollback orders
  sluice: rollback: --to V is required
  usage: sluice rollback SOURCE --to V [--reason TEXT] [--output text|json]
  [2]
  $ sluice diff orders 1 x
  sluice: diff: 'x' is not a load number
  usage: sluice diff SOURCE V1 V2 [--sample N] [--output text|json]
  [2]
  $ sluice lineage --output svg
  sluice: lineage: --output must be text, json, dot or mermaid
  usage: sluice lineage [SOURCE] [--row KEY] [--output text|json|dot|mermaid]
  [2]

A breaking schema change (a field removed, a type narrowed, a field made required) needs
--allow-breaking; then silver is rebuilt from bronze with the new schema.

  $ printf 'fields:\n  - name: id\n    type: integer\n  - name: name\n    type: string\n  - name: score\n    type: number\nprimaryKey: [id]\n' > s1.yaml && printf 'id,name,score\n1,a,1.5\n2,b,2\n' > d1.csv && sluice load d1.csv --source scores --schema s1.yaml
  scores: load 10 committed: 2 rows (2 valid) from d1.csv in 0.0 s, quality 1.00 excellent
  $ printf 'fields:\n  - name: id\n    type: integer\n  - name: name\n    type: string\nprimaryKey: [id]\n' > s2.yaml && printf 'id,name\n3,c\n' > d2.csv && sluice load d2.csv --source scores --schema s2.yaml
  sluice: error: scores: load failed: breaking schema change (field score removed): --allow-breaking applies it and rebuilds silver from bronze
  [2]
  $ sluice load d2.csv --source scores --schema s2.yaml --allow-breaking
  scores: load 12 committed: 1 rows (1 valid) from d2.csv in 0.0 s, quality 1.00 excellent
    upserted into existing source scores (now 3 rows)
  $ sqlite3 sluice.db 'select * from scores order by id'
  1|a|10|1
  2|b|10|2
  3|c|12|1
  $ sluice schema scores --history
  scores: schema version 1, loads 10-10 (1 load), sha256 13e82ede9470705f
    id                   integer, primary key
    name                 string
    score                number
  scores: schema version 2, loads 12-12 (1 load), sha256 77b469d3e2737a9a
    change: breaking (field score removed)
    id                   integer, primary key
    name                 string

Silver stays what a rebuild from bronze gives after a column was widened: once `price` is
text, a later load of numbers keeps them as written (`1.50`, not `1.5`).

  $ printf 'sku,price\na,n/a\n' > prices_1.csv && printf 'sku,price\nb,1.50\nc,+2\n' > prices_2.csv
  $ sluice --quiet load prices_1.csv --source prices && sluice --quiet load prices_2.csv --source prices
  $ sqlite3 sluice.db 'select sku, price, typeof(price) from prices order by sku'
  a|n/a|text
  b|1.50|text
  c|+2|text
  $ sluice --quiet rebuild prices && sqlite3 sluice.db 'select sku, price, typeof(price) from prices order by sku'
  a|n/a|text
  b|1.50|text
  c|+2|text

A key added to a source loaded without one: the message says what is true and what to do, and
doing it works.

  $ printf 'id,name\n1,a\n2,b\n' > m1.csv && printf 'id,name\n2,bb\n3,c\n' > m2.csv && sluice load m1.csv --source m
  m: load [0-9]+ committed: 2 rows \(2 valid\) from m1\.csv in 0\.0 s, quality 1\.00 excellent (re)
  $ sluice load m2.csv --source m --primary-key id
  sluice: error: m: load failed: source 'm' was loaded without a primary key (mode append), and this load gives it one (id): load it with --mode upsert (one row per key, the latest wins) or --mode snapshot (this load replaces all rows); in sluice.yaml, mode: upsert or mode: snapshot
  [2]
  $ sluice load m2.csv --source m --primary-key id --mode upsert
  m: load [0-9]+ committed: 2 rows \(2 valid\) from m2\.csv in 0\.0 s, quality 1\.00 excellent (re)
    upserted into existing source m (now 3 rows)

The same through `run`: the message gives the sluice.yaml form too, and doing it works.

  $ sluice load m1.csv --source mr && printf 'sources:\n  mr:\n    input: m2.csv\n    primary_key: [id]\n' > mr.yaml && sluice --config mr.yaml run
  mr: load [0-9]+ committed: 2 rows \(2 valid\) from m1\.csv in 0\.0 s, quality 1\.00 excellent (re)
  sluice: error: mr: load failed: source 'mr' was loaded without a primary key (mode append), and this load gives it one (id): load it with --mode upsert (one row per key, the latest wins) or --mode snapshot (this load replaces all rows); in sluice.yaml, mode: upsert or mode: snapshot
  [2]
  $ printf '    mode: upsert\n' >> mr.yaml && sluice --config mr.yaml run
  mr: load [0-9]+ committed: 2 rows \(2 valid\) from m2\.csv in 0\.0 s, quality 1\.00 excellent (re)
    upserted into existing source mr (now 3 rows)
