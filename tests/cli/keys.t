Keyed sources upsert: the latest load wins per key, and every load is a version.

  $ sluice load orders_1.csv --source orders --primary-key order_id
  orders: load 1 committed: 2 rows (2 valid) from orders_1.csv in 0.0 s, quality 1.00 excellent
  $ sluice load orders_2.csv --source orders --primary-key order_id --output json
  {"source":"orders","load":2,"status":"committed","input":"orders_2.csv","sha256":"e4cbc5ec7f7aeda302ee4347cfb8dad6349cb4674d2fa86a28111c7705604a83","rows":2,"valid":2,"warning":0,"invalid":0,"quality":{"score":1,"grade":"excellent","completeness":1,"validity":1,"uniqueness":1,"consistency":null,"timeliness":null,"accuracy":null,"fields":{"order_id":{"completeness":1,"validity":1},"status":{"completeness":1,"validity":1},"total":{"completeness":1,"validity":1}},"anomalies":[],"recommendations":[]},"seconds":0.000,"format":"csv","encoding":"utf-8","existing_source":{"mode":"upsert","rows":3,"columns_added":[],"columns_not_in_input":[]}}
  $ sqlite3 sluice.db 'select order_id, status, total, _load from orders order by order_id'
  1|new|10.0|1
  2|shipped|20.5|2
  3|new|7.25|2

A row whose value does not fit the column's type widens the column when the load allows it
(`--on-type-change widen`; the default refuses, see typechange.t): silver is rebuilt from
bronze so earlier loads keep their exact values.

  $ sluice load orders_3.csv --source orders --primary-key order_id --on-type-change widen
  orders: load 3 committed: 2 rows (2 valid) from orders_3.csv in 0.0 s, quality 1.00 excellent
    upserted into existing source orders (now 5 rows)
    column total: type widened from number to string by 1 value ("oops"); silver rebuilt, new schema version
  $ sqlite3 sluice.db 'select order_id, status, total, typeof(total), _load from orders order by order_id'
  1|new|10.00|text|1
  2|shipped|20.50|text|2
  3|new|7.25|text|2
  4|new|1|text|3
  5|new|oops|text|3
  $ sqlite3 sluice.db '.schema orders'
  CREATE TABLE IF NOT EXISTS "orders"("order_id" INTEGER, "status" TEXT, "total" TEXT, "_load" INTEGER NOT NULL, "_row" INTEGER NOT NULL, PRIMARY KEY("order_id"));
  $ sluice versions orders
  load  status    active mode          rows     valid  warning  invalid grade      finished                 input
  1     committed yes    upsert           2         2        0        0 excellent  2026-11-23T12:00:00.000Z orders_1.csv
  2     committed yes    upsert           2         2        0        0 excellent  2026-11-23T12:00:00.000Z orders_2.csv
  3     committed yes    upsert           2         2        0        0 excellent  2026-11-23T12:00:00.000Z orders_3.csv
  $ sluice versions orders --output json
  [{"load":1,"status":"committed","active":true,"mode":"upsert","input":"orders_1.csv","sha256":"a4328aca72272027e9b5fc82e658e14a6e21ee4542717b5d3b8c177093047cac","rows":2,"valid":2,"warning":0,"invalid":0,"started":"2026-11-23T12:00:00.000Z","finished":"2026-11-23T12:00:00.000Z","quality":{"score":1,"grade":"excellent","completeness":1,"validity":1,"uniqueness":1,"consistency":null,"timeliness":null,"accuracy":null,"fields":{"order_id":{"completeness":1,"validity":1},"status":{"completeness":1,"validity":1},"total":{"completeness":1,"validity":1}},"anomalies":[],"recommendations":[]},"message":null,"sluice_version":"0.1.0"},{"load":2,"status":"committed","active":true,"mode":"upsert","input":"orders_2.csv","sha256":"e4cbc5ec7f7aeda302ee4347cfb8dad6349cb4674d2fa86a28111c7705604a83","rows":2,"valid":2,"warning":0,"invalid":0,"started":"2026-11-23T12:00:00.000Z","finished":"2026-11-23T12:00:00.000Z","quality":{"score":1,"grade":"excellent","completeness":1,"validity":1,"uniqueness":1,"consistency":null,"timeliness":null,"accuracy":null,"fields":{"order_id":{"completeness":1,"validity":1},"status":{"completeness":1,"validity":1},"total":{"completeness":1,"validity":1}},"anomalies":[],"recommendations":[]},"message":null,"sluice_version":"0.1.0"},{"load":3,"status":"committed","active":true,"mode":"upsert","input":"orders_3.csv","sha256":"cdf7349243530bd71d348c3435916d26c5c83722b0374af0ff4e5a50f7faed2c","rows":2,"valid":2,"warning":0,"invalid":0,"started":"2026-11-23T12:00:00.000Z","finished":"2026-11-23T12:00:00.000Z","quality":{"score":1,"grade":"excellent","completeness":1,"validity":1,"uniqueness":1,"consistency":null,"timeliness":null,"accuracy":null,"fields":{"order_id":{"completeness":1,"validity":1},"status":{"completeness":1,"validity":1},"total":{"completeness":1,"validity":1}},"anomalies":[],"recommendations":[]},"message":"column types widened: total number -> string (1 value: \"oops\")","sluice_version":"0.1.0"}]

A different key for the same source is refused.

  $ sluice load orders_1.csv --source orders --primary-key status --force
  sluice: error: orders: load failed: the primary key differs from the one source 'orders' has in the store
  [2]

A widening rebuild also reads JSON records back from bronze (nested values, escapes, keys).

  $ printf '{"id":1,"v":10,"n":{"a":1},"s":"t\\u00e9"}\n{"id":2,"v":20}\n' > j1.ndjson && sluice load j1.ndjson --source js --primary-key id
  js: load 5 committed: 2 rows (2 valid) from j1.ndjson in 0.0 s, quality 0.92 good
    recommendation: n: 50.0% of the values are missing; if that is expected, the field is optional, else check the extract
  $ printf '{"id":3,"v":"thirty","n":[1]}\n' > j2.ndjson && sluice load j2.ndjson --source js --primary-key id --on-type-change widen
  js: load 6 committed: 1 rows (1 valid) from j2.ndjson in 0.0 s, quality 0.92 good
    upserted into existing source js (now 3 rows); column not in this input (empty in its rows): s
    column v: type widened from integer to string by 1 value ("thirty"); silver rebuilt, new schema version
    column n: type widened from object to any by 1 value ("[1]"); silver rebuilt, new schema version
    recommendation: s: 100.0% of the values are missing; if that is expected, the field is optional, else check the extract
  $ sqlite3 sluice.db 'select id, v, typeof(v), n, s from js order by id'
  1|10|text|{"a":1}|té
  2|20|text||
  3|thirty|text|[1]|
