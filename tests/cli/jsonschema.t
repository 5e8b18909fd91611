A JSON Schema (draft 2020-12 or draft-07, picked by "$schema") validates each whole JSON record.
Every failing keyword is one error: code json-schema, the keyword, the instance location as a
JSON pointer in field, the failing value. address.schema.json is found next to the schema.

  $ sluice check --schema orders.schema.json orders.ndjson
  line 2 (record 2): json-schema: /email: not a valid email
  line 2 (record 2): json-schema: /status: value is not one of: "new", "paid", "shipped"
  line 2 (record 2): json-schema: /total: 5.004 is not a multiple of 0.01
  line 2 (record 2): json-schema: /lines/0/sku: string does not match the pattern /^[A-Z]+-\d\d\d\d$/
  line 2 (record 2): json-schema: /lines/0/qty: 0 is less than the minimum 1
  line 3 (record 3): json-schema: /ship_to/country: string is 3 characters, longer than 2
  line 3 (record 3): json-schema: /coupon: property 'coupon' is not allowed (additionalProperties is false)
  line 4 (record 4): json-schema: expected object, got array
  orders.ndjson: 5 rows, 2 valid, 0 with warnings, 3 invalid
  [1]
  $ sluice check --schema orders.schema.json orders.ndjson --output json | grep -o '{"row":[^}]*}'
  {"row":2,"line":2,"offset":185,"code":"json-schema","keyword":"format","field":"/email","value":"alan(at)example.com","message":"/email: not a valid email","severity":"error"}
  {"row":2,"line":2,"offset":185,"code":"json-schema","keyword":"enum","field":"/status","value":"refunded","message":"/status: value is not one of: \"new\", \"paid\", \"shipped\"","severity":"error"}
  {"row":2,"line":2,"offset":185,"code":"json-schema","keyword":"multipleOf","field":"/total","value":"5.004","message":"/total: 5.004 is not a multiple of 0.01","severity":"error"}
  {"row":2,"line":2,"offset":185,"code":"json-schema","keyword":"pattern","field":"/lines/0/sku","value":"bks-2","message":"/lines/0/sku: string does not match the pattern /^[A-Z]+-\\d\\d\\d\\d$/","severity":"error"}
  {"row":2,"line":2,"offset":185,"code":"json-schema","keyword":"minimum","field":"/lines/0/qty","value":"0","message":"/lines/0/qty: 0 is less than the minimum 1","severity":"error"}
  {"row":3,"line":3,"offset":301,"code":"json-schema","keyword":"maxLength","field":"/ship_to/country","value":"USA","message":"/ship_to/country: string is 3 characters, longer than 2","severity":"error"}
  {"row":3,"line":3,"offset":301,"code":"json-schema","keyword":"additionalProperties","field":"/coupon","value":"X1","message":"/coupon: property 'coupon' is not allowed (additionalProperties is false)","severity":"error"}
  {"row":4,"line":4,"offset":453,"code":"json-schema","keyword":"type","field":null,"value":"[\"not\",\"an\",\"order\"]","message":"expected object, got array","severity":"error"}

Lines may be any JSON value, not only objects.

  $ printf '1\n"two"\n3.0\n[]\n' > numbers.ndjson
  $ echo '{"type": "integer", "maximum": 2}' > int.schema.json
  $ sluice check --schema int.schema.json numbers.ndjson --output json | grep -o '{"row":[^}]*}'
  {"row":2,"line":2,"offset":2,"code":"json-schema","keyword":"type","field":null,"value":"two","message":"expected integer, got string","severity":"error"}
  {"row":3,"line":3,"offset":8,"code":"json-schema","keyword":"maximum","field":null,"value":"3.0","message":"3.0 is greater than the maximum 2","severity":"error"}
  {"row":4,"line":4,"offset":12,"code":"json-schema","keyword":"type","field":null,"value":"[]","message":"expected integer, got array","severity":"error"}

load: invalid records stay in bronze with their errors; valid ones land in silver, one column per
top-level property (integer, number, string, boolean; objects and arrays as JSON text).

  $ sluice load --schema orders.schema.json orders.ndjson
  orders: load 1 committed: 5 rows (2 valid, 3 rejected) from orders.ndjson in 0.0 s, quality 0.54 unusable (grade capped: 3 of 5 rows rejected)
    line 2 (record 2): json-schema: /email: not a valid email
    line 2 (record 2): json-schema: /status: value is not one of: "new", "paid", "shipped"
    line 2 (record 2): json-schema: /total: 5.004 is not a multiple of 0.01
    line 2 (record 2): json-schema: /lines/0/sku: string does not match the pattern /^[A-Z]+-\d\d\d\d$/
    line 2 (record 2): json-schema: /lines/0/qty: 0 is less than the minimum 1
    line 3 (record 3): json-schema: /ship_to/country: string is 3 characters, longer than 2
    line 3 (record 3): json-schema: /coupon: property 'coupon' is not allowed (additionalProperties is false)
    line 4 (record 4): json-schema: expected object, got array
    rejected rows are kept in bronze[_.]orders with status 'invalid' (re)
    note: columns not in the schema, kept in bronze only: 'coupon'
    recommendation: placed_at: 60.0% of the values are missing; if that is expected, the field is optional, else check the extract
  [1]
  $ sqlite3 sluice.db '.schema orders'
  CREATE TABLE IF NOT EXISTS "orders"("order_id" INTEGER, "email" TEXT, "status" , "total" REAL, "placed_at" TEXT, "ship_to" , "lines" JSON, "_load" INTEGER NOT NULL, "_row" INTEGER NOT NULL);
  $ sqlite3 sluice.db 'select order_id, email, status, total, placed_at, ship_to, lines from orders'
  1001|ada@example.com|paid|19.99|2026-11-02T09:15:00Z|{"country":"GB","zip":"NW1"}|[{"sku":"BKS-0001","qty":1}]
  1005|edsger@example.com|shipped|7.5|2026-11-03T18:00:00+01:00||[{"sku":"PEN-0005","qty":10}]
  $ sqlite3 sluice.db 'select row, status from bronze_orders'
  1|valid
  2|invalid
  3|invalid
  4|invalid
  5|valid

A source in sluice.yaml takes a JSON Schema as its schema: too.

  $ printf 'sources:\n  orders_cfg:\n    input: orders.ndjson\n    schema: orders.schema.json\n' > sluice.yaml
  $ sluice run orders_cfg --output json | grep -o '"rows":[0-9]*,"valid":[0-9]*,"warning":[0-9]*,"invalid":[0-9]*'
  "rows":5,"valid":2,"warning":0,"invalid":3

draft-07: items as an array, additionalItems, dependencies, definitions.

  $ sluice check --schema sensors.draft7.json sensors.ndjson
  line 2 (record 2): json-schema: /reading/2: item 2 is not allowed (additionalItems is false)
  line 2 (record 2): json-schema: property 'reading' requires property 'unit'
  sensors.ndjson: 2 rows, 1 valid, 0 with warnings, 1 invalid
  [1]

sluice does not fetch schemas over the network.

  $ echo '{}' > one.ndjson
  $ sluice check --schema remote.schema.json one.ndjson
  sluice: remote.schema.json:1: $ref https://schemas.example.com/order.json cannot be resolved: sluice does not fetch schemas over the network (save it as a file next to the schema and refer to it by a relative path, or map its URL to a directory with SLUICE_SCHEMA_MAP)
  [2]

A JSON Schema may be written in YAML; it validates JSON records only.

  $ printf '$schema: https://json-schema.org/draft/2020-12/schema\ntype: object\nproperties:\n  id: {type: integer}\n  name: {type: string, minLength: 2}\nrequired: [id]\n' > contacts.schema.yaml
  $ printf '{"id":1,"name":"Al"}\n{"id":2,"name":"B"}\n{"name":"Cy"}\n' > contacts.ndjson
  $ sluice check --schema contacts.schema.yaml contacts.ndjson
  line 2 (record 2): json-schema: /name: string is 1 characters, shorter than 2
  line 3 (record 3): json-schema: required property 'id' is missing
  contacts.ndjson: 3 rows, 1 valid, 0 with warnings, 2 invalid
  [1]
  $ sluice check --schema contacts.schema.yaml people.csv
  sluice: people.csv: a JSON Schema validates JSON records (NDJSON or JSON), and this input is csv; use a Table Schema for it
  [2]

JSON Schema counts 1.0 as an integer; an integer column takes it as 1 (bronze keeps 1.0).

  $ printf '{"id":1.0,"name":"Al"}\n{"id":1.5,"name":"Bo"}\n' > ids.ndjson
  $ sluice load --schema contacts.schema.yaml ids.ndjson --db ids.db
  ids: load 1 committed: 2 rows (1 valid, 1 rejected) from ids.ndjson in 0.0 s, quality 0.75 poor (grade capped: 1 of 2 rows rejected)
    line 2 (record 2): json-schema: /id: expected integer, got number
    rejected rows are kept in bronze_ids with status 'invalid'
  [1]
  $ sqlite3 ids.db 'select id, typeof(id), name from ids; select raw from bronze_ids'
  1|integer|Al
  {"id":1.0,"name":"Al"}
  {"id":1.5,"name":"Bo"}
