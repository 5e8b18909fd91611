Frictionless Table Schema: every type, its formats, constraints, keys, row rules, severities
and rejects. See docs/schema.md.

Every type. Dates, times and datetimes are kept in one canonical ISO-8601 form; an offset is
converted to UTC (Z), a datetime without a zone stays without. number takes NaN and INF.

  $ sluice check ts_types.csv --schema ts_types.yaml
  line 5 (record 4): type-error: qty: '3.14' is not of type integer
  line 5 (record 4): type-error: ok: 'yes' is not of type boolean
  line 5 (record 4): type-error: day: '2026-02-30' is not of type date
  line 5 (record 4): type-error: at: '2026-13-01T00:00:00' is not of type datetime
  line 5 (record 4): type-error: clock: '24:00:00' is not of type time
  line 5 (record 4): type-error: yr: '26' is not of type year
  line 5 (record 4): type-error: ym: '2026-13' is not of type yearmonth
  line 5 (record 4): type-error: dur: '1D' is not of type duration
  line 5 (record 4): type-error: loc: '200, 0' is not of type geopoint
  line 5 (record 4): type-error: tags: 'nope' is not of type array
  line 5 (record 4): type-error: meta: '[]' is not of type object
  ts_types.csv: 4 rows, 3 valid, 0 with warnings, 1 invalid
  [1]
  $ sluice cat ts_types.csv --schema ts_types.yaml
  sluice: warning: ts_types.csv:5: record 4: type-error: qty: '3.14' is not of type integer
  {"id":1,"price":9.99,"qty":3,"ok":true,"day":"2026-11-01","at":"2026-11-01T08:00:00Z","clock":"08:00:00","yr":2026,"ym":"2026-11","dur":"P1DT2H","loc":"13.4,52.5","tags":[1,2],"meta":{"a":1},"anything":"x"}
  {"id":2,"price":"NaN","qty":7,"ok":true,"day":"2026-02-28","at":"2026-11-01T08:30:00Z","clock":"23:59:59.5","yr":1999,"ym":"1999-12","dur":"PT30M","loc":"-0.1,51.5","tags":[],"meta":{},"anything":"42"}
  {"id":3,"price":"-INF","qty":0,"ok":false,"day":"2026-11-01","at":"2026-11-01T10:00:00","clock":"00:00:00","yr":2000,"ym":"2000-01","dur":"P2W","loc":"0,0","tags":["a"],"meta":{},"anything":null}
  sluice: warning: ts_types.csv: 1 record(s) rejected
  [1]

Formats: email, uri, uuid, binary (base64) for strings, date/time patterns and any, geopoint
as an array, and sluice's phone (E.164, x-sluice).

  $ sluice check ts_formats.csv --schema ts_formats.yaml
  line 3 (record 2): type-error: email: 'ada@' is not an email address
  line 3 (record 2): type-error: site: 'example.com' is not a URI (scheme:...)
  line 3 (record 2): type-error: token: '6ba7b810' is not a UUID
  line 3 (record 2): type-error: blob: 'aGVsbG8' is not base64
  line 3 (record 2): type-error: phone: '030 123456' is not an E.164 phone number: it must start with + and the country code
  line 3 (record 2): type-error: born: '1990-02-01' is not a date in the declared format
  line 3 (record 2): type-error: pos: '{"lon": 13.4, "lat": 52.5}' is not of type geopoint
  line 4 (record 3): type-error: phone: '+49 30 123456' is not an E.164 phone number: only + and digits, no spaces, dashes or brackets
  line 4 (record 3): type-error: pos: '[0, 91]' is not of type geopoint
  ts_formats.csv: 3 rows, 1 valid, 0 with warnings, 2 invalid
  [1]
  $ sluice cat ts_formats.csv --schema ts_formats.yaml 2>/dev/null
  {"id":1,"email":"ada@example.com","site":"https://example.com/a?b=1","token":"6ba7b810-9dad-11d1-80b4-00c04fd430c8","blob":"aGVsbG8=","phone":"+4930123456","born":"1990-02-01","seen":"2026-11-23T21:15:00","opened":"21:15:00","pos":"13.4,52.5"}
  [1]

Constraints, casting options (decimalChar, groupChar, bareNumber, trueValues, falseValues),
missingValues, row rules and severities: a warning lands and is flagged, an error rejects.

  $ sluice check ts_people.csv --schema ts_people.yaml
  line 3 (record 2): constraint-error: age must be >= 0
  line 3 (record 2): constraint-error: country: 'UK' is not one of "GB", "US", "DE", "FR"
  line 3 (record 2): constraint-error: code: 'ab-2' does not match the pattern [A-Z]{2}-[0-9]+
  line 3 (record 2): row-constraint: the row breaks the rule end >= start
  line 4 (record 3): constraint-error: amount must be >= 1
  line 4 (record 3): warning: row-constraint: shipped_on is required when status == 'shipped'
  line 5 (record 4): warning: constraint-error: age must be <= 150
  line 5 (record 4): constraint-error: status: 'lost' is not one of "new", "shipped"
  line 5 (record 4): type-error: paid: 'vielleicht' is not of type boolean
  line 5 (record 4): constraint-error: name is required
  line 6 (record 5): warning: constraint-error: name must have at most 20 characters, 'Katherine Johnson the Computer' has 30
  ts_people.csv: 5 rows, 1 valid, 1 with warnings, 3 invalid
  [1]
  $ sluice check ts_people.csv --schema ts_people.yaml --output json
  {"valid":false,"rows":5,"valid_rows":2,"warning_rows":1,"invalid_rows":3,"errors":[{"row":2,"line":3,"offset":141,"code":"constraint-error","field":"age","value":"-1","message":"age must be >= 0","severity":"error","constraint":"minimum"},{"row":2,"line":3,"offset":141,"code":"constraint-error","field":"country","value":"UK","message":"country: 'UK' is not one of \"GB\", \"US\", \"DE\", \"FR\"","severity":"error","constraint":"enum"},{"row":2,"line":3,"offset":141,"code":"constraint-error","field":"code","value":"ab-2","message":"code: 'ab-2' does not match the pattern [A-Z]{2}-[0-9]+","severity":"error","constraint":"pattern"},{"row":2,"line":3,"offset":141,"code":"row-constraint","field":null,"value":null,"message":"the row breaks the rule end >= start","severity":"error","rule":"ends after it starts"},{"row":3,"line":4,"offset":203,"code":"constraint-error","field":"amount","value":"0,99 €","message":"amount must be >= 1","severity":"error","constraint":"minimum"},{"row":3,"line":4,"offset":203,"code":"row-constraint","field":"shipped_on","value":null,"message":"shipped_on is required when status == 'shipped'","severity":"warning","rule":"shipped orders have a date"},{"row":4,"line":5,"offset":267,"code":"constraint-error","field":"age","value":"200","message":"age must be <= 150","severity":"warning","constraint":"maximum"},{"row":4,"line":5,"offset":267,"code":"constraint-error","field":"status","value":"lost","message":"status: 'lost' is not one of \"new\", \"shipped\"","severity":"error","constraint":"enum"},{"row":4,"line":5,"offset":267,"code":"type-error","field":"paid","value":"vielleicht","message":"paid: 'vielleicht' is not of type boolean","severity":"error"},{"row":4,"line":5,"offset":267,"code":"constraint-error","field":"name","value":null,"message":"name is required","severity":"error","constraint":"required"},{"row":5,"line":6,"offset":304,"code":"constraint-error","field":"name","value":"Katherine Johnson the Computer","message":"name must have at most 20 characters, 'Katherine Johnson the Computer' has 30","severity":"warning","constraint":"maxLength"}],"error_groups":[{"code":"constraint-error","field":"age","severity":"error","rows":1,"issues":1,"first_row":2,"first_line":3,"last_row":2,"last_line":3,"message":"age must be >= 0"},{"code":"constraint-error","field":"country","severity":"error","rows":1,"issues":1,"first_row":2,"first_line":3,"last_row":2,"last_line":3,"message":"country: 'UK' is not one of \"GB\", \"US\", \"DE\", \"FR\""},{"code":"constraint-error","field":"code","severity":"error","rows":1,"issues":1,"first_row":2,"first_line":3,"last_row":2,"last_line":3,"message":"code: 'ab-2' does not match the pattern [A-Z]{2}-[0-9]+"},{"code":"row-constraint","field":null,"severity":"error","rows":1,"issues":1,"first_row":2,"first_line":3,"last_row":2,"last_line":3,"message":"the row breaks the rule end >= start"},{"code":"constraint-error","field":"amount","severity":"error","rows":1,"issues":1,"first_row":3,"first_line":4,"last_row":3,"last_line":4,"message":"amount must be >= 1"},{"code":"row-constraint","field":"shipped_on","severity":"warning","rows":1,"issues":1,"first_row":3,"first_line":4,"last_row":3,"last_line":4,"message":"shipped_on is required when status == 'shipped'"},{"code":"constraint-error","field":"age","severity":"warning","rows":1,"issues":1,"first_row":4,"first_line":5,"last_row":4,"last_line":5,"message":"age must be <= 150"},{"code":"constraint-error","field":"status","severity":"error","rows":1,"issues":1,"first_row":4,"first_line":5,"last_row":4,"last_line":5,"message":"status: 'lost' is not one of \"new\", \"shipped\""},{"code":"type-error","field":"paid","severity":"error","rows":1,"issues":1,"first_row":4,"first_line":5,"last_row":4,"last_line":5,"message":"paid: 'vielleicht' is not of type boolean"},{"code":"constraint-error","field":"name","severity":"error","rows":1,"issues":1,"first_row":4,"first_line":5,"last_row":4,"last_line":5,"message":"name is required"},{"code":"constraint-error","field":"name","severity":"warning","rows":1,"issues":1,"first_row":5,"first_line":6,"last_row":5,"last_line":6,"message":"name must have at most 20 characters, 'Katherine Johnson the Computer' has 30"}],"quality":{"score":0.7117,"grade":"unusable","completeness":0.8363,"validity":0.4,"uniqueness":1,"consistency":0.6,"timeliness":null,"accuracy":0.7222,"fields":{"id":{"completeness":1,"validity":1},"name":{"completeness":0.8,"validity":1},"age":{"completeness":1,"validity":0.8},"country":{"completeness":0.8,"validity":0.75},"code":{"completeness":1,"validity":0.8},"status":{"completeness":1,"validity":0.8},"amount":{"completeness":0.8,"validity":0.75},"paid":{"completeness":1,"validity":0.8},"start":{"completeness":0.8,"validity":1},"end":{"completeness":0.8,"validity":1},"shipped_on":{"completeness":0.2,"validity":1}},"anomalies":[],"recommendations":["3 of 5 rows (60.0%) were rejected; they are kept in bronze with status 'invalid' and their errors","shipped_on: 80.0% of the values are missing; if that is expected, the field is optional, else check the extract","40% of the rows (2) break a row rule; see the row-constraint issues in bronze for the fields involved","name: 25% break a constraint of the field (pattern, length); see the constraint-error issues in bronze","country: 25% are not one of the allowed values; map variants (case, spelling) with a transform, or extend the enum","amount: 25% below minimum 1; check for entry errors or placeholder values (0, -1), or widen the range if they are real","age: 20% above maximum 150; check for entry errors, or widen the range if they are real","age: 20% below minimum 0; check for entry errors or placeholder values (0, -1), or widen the range if they are real","code: 20% break a constraint of the field (pattern, length); see the constraint-error issues in bronze","status: 20% are not one of the allowed values; map variants (case, spelling) with a transform, or extend the enum","paid: 1 of 5 values (20%) are not of type boolean; fix them at the source, or declare the field with a wider type","name: 20.0% of the values are missing; if that is expected, the field is optional, else check the extract","country: 20.0% of the values are missing; if that is expected, the field is optional, else check the extract","amount: 20.0% of the values are missing; if that is expected, the field is optional, else check the extract","start: 20.0% of the values are missing; if that is expected, the field is optional, else check the extract","end: 20.0% of the values are missing; if that is expected, the field is optional, else check the extract"]}}
  [1]
  $ sluice load ts_people.csv --schema ts_people.yaml --source people
  people: load 1 committed: 5 rows (1 valid, 1 with warnings, 3 rejected) from ts_people.csv in 0.0 s, quality 0.71 unusable (grade capped: 3 of 5 rows rejected)
    line 3 (record 2): constraint-error: age must be >= 0
    line 3 (record 2): constraint-error: country: 'UK' is not one of "GB", "US", "DE", "FR"
    line 3 (record 2): constraint-error: code: 'ab-2' does not match the pattern [A-Z]{2}-[0-9]+
    line 3 (record 2): row-constraint: the row breaks the rule end >= start
    line 4 (record 3): constraint-error: amount must be >= 1
    line 4 (record 3): warning: row-constraint: shipped_on is required when status == 'shipped'
    line 5 (record 4): warning: constraint-error: age must be <= 150
    line 5 (record 4): constraint-error: status: 'lost' is not one of "new", "shipped"
    line 5 (record 4): type-error: paid: 'vielleicht' is not of type boolean
    line 5 (record 4): constraint-error: name is required
    line 6 (record 5): warning: constraint-error: name must have at most 20 characters, 'Katherine Johnson the Computer' has 30
    rejected rows are kept in bronze[_.]people with status 'invalid' (re)
    recommendation: shipped_on: 80.0% of the values are missing; if that is expected, the field is optional, else check the extract
  [1]
  $ sqlite3 sluice.db 'select id, name, age, country, amount, paid, shipped_on from people order by id'
  1|Ada|36|GB|1234.5|1|2026-01-04
  5|Katherine Johnson the Computer|101|US|7.0|0|
  $ sluice load ts_people.csv --schema ts_people.yaml --source people3 --output json | grep -o '"errors":.*"severity":"warning","constraint":"maximum"}'
  "errors":[{"row":2,"line":3,"offset":141,"field":"age","code":"constraint-error","value":"-1","message":"age must be >= 0","severity":"error","constraint":"minimum"},{"row":2,"line":3,"offset":141,"field":"country","code":"constraint-error","value":"UK","message":"country: 'UK' is not one of \"GB\", \"US\", \"DE\", \"FR\"","severity":"error","constraint":"enum"},{"row":2,"line":3,"offset":141,"field":"code","code":"constraint-error","value":"ab-2","message":"code: 'ab-2' does not match the pattern [A-Z]{2}-[0-9]+","severity":"error","constraint":"pattern"},{"row":2,"line":3,"offset":141,"field":null,"code":"row-constraint","value":null,"message":"the row breaks the rule end >= start","severity":"error","rule":"ends after it starts"},{"row":3,"line":4,"offset":203,"field":"amount","code":"constraint-error","value":"0,99 €","message":"amount must be >= 1","severity":"error","constraint":"minimum"},{"row":3,"line":4,"offset":203,"field":"shipped_on","code":"row-constraint","value":null,"message":"shipped_on is required when status == 'shipped'","severity":"warning","rule":"shipped orders have a date"},{"row":4,"line":5,"offset":267,"field":"age","code":"constraint-error","value":"200","message":"age must be <= 150","severity":"warning","constraint":"maximum"}


Rejected rows with their reasons, as NDJSON or CSV (by the extension, or --rejects-format).

  $ sluice check ts_people.csv --schema ts_people.yaml --rejects rejects.ndjson --quiet
  line 3 (record 2): constraint-error: age must be >= 0
  line 3 (record 2): constraint-error: country: 'UK' is not one of "GB", "US", "DE", "FR"
  line 3 (record 2): constraint-error: code: 'ab-2' does not match the pattern [A-Z]{2}-[0-9]+
  line 3 (record 2): row-constraint: the row breaks the rule end >= start
  line 4 (record 3): constraint-error: amount must be >= 1
  line 4 (record 3): warning: row-constraint: shipped_on is required when status == 'shipped'
  line 5 (record 4): warning: constraint-error: age must be <= 150
  line 5 (record 4): constraint-error: status: 'lost' is not one of "new", "shipped"
  line 5 (record 4): type-error: paid: 'vielleicht' is not of type boolean
  line 5 (record 4): constraint-error: name is required
  line 6 (record 5): warning: constraint-error: name must have at most 20 characters, 'Katherine Johnson the Computer' has 30
  [1]
  $ cat rejects.ndjson
  {"input":"ts_people.csv","row":2,"line":3,"offset":141,"errors":[{"code":"constraint-error","field":"age","value":"-1","message":"age must be >= 0","severity":"error","constraint":"minimum"},{"code":"constraint-error","field":"country","value":"UK","message":"country: 'UK' is not one of \"GB\", \"US\", \"DE\", \"FR\"","severity":"error","constraint":"enum"},{"code":"constraint-error","field":"code","value":"ab-2","message":"code: 'ab-2' does not match the pattern [A-Z]{2}-[0-9]+","severity":"error","constraint":"pattern"},{"code":"row-constraint","field":null,"value":null,"message":"the row breaks the rule end >= start","severity":"error","rule":"ends after it starts"}],"record":{"id":"2","name":"Alan","age":"-1","country":"UK","code":"ab-2","status":"new","amount":"12,00 €","paid":"nein","start":"2026-01-01","end":"2025-12-31","shipped_on":""}}
  {"input":"ts_people.csv","row":3,"line":4,"offset":203,"errors":[{"code":"constraint-error","field":"amount","value":"0,99 €","message":"amount must be >= 1","severity":"error","constraint":"minimum"},{"code":"row-constraint","field":"shipped_on","value":null,"message":"shipped_on is required when status == 'shipped'","severity":"warning","rule":"shipped orders have a date"}],"record":{"id":"3","name":"Grace","age":"85","country":"US","code":"CD-3","status":"shipped","amount":"0,99 €","paid":"ja","start":"2026-01-01","end":"2026-01-02","shipped_on":""}}
  {"input":"ts_people.csv","row":4,"line":5,"offset":267,"errors":[{"code":"constraint-error","field":"age","value":"200","message":"age must be <= 150","severity":"warning","constraint":"maximum"},{"code":"constraint-error","field":"status","value":"lost","message":"status: 'lost' is not one of \"new\", \"shipped\"","severity":"error","constraint":"enum"},{"code":"type-error","field":"paid","value":"vielleicht","message":"paid: 'vielleicht' is not of type boolean","severity":"error"},{"code":"constraint-error","field":"name","value":null,"message":"name is required","severity":"error","constraint":"required"}],"record":{"id":"4","name":"","age":"200","country":"-","code":"EF-4","status":"lost","amount":"n/a","paid":"vielleicht","start":"","end":"","shipped_on":""}}
  $ sluice load ts_people.csv --schema ts_people.yaml --source people2 --rejects rejects.csv --quiet
  [1]
  $ cat rejects.csv
  _input,_row,_line,_offset,_errors,id,name,age,country,code,status,amount,paid,start,end,shipped_on
  ts_people.csv,2,3,141,"constraint-error: age must be >= 0; constraint-error: country: 'UK' is not one of ""GB"", ""US"", ""DE"", ""FR""; constraint-error: code: 'ab-2' does not match the pattern [A-Z]{2}-[0-9]+; row-constraint: the row breaks the rule end >= start",2,Alan,-1,UK,ab-2,new,"12,00 €",nein,2026-01-01,2025-12-31,
  ts_people.csv,3,4,203,constraint-error: amount must be >= 1,3,Grace,85,US,CD-3,shipped,"0,99 €",ja,2026-01-01,2026-01-02,
  ts_people.csv,4,5,267,"constraint-error: status: 'lost' is not one of ""new"", ""shipped""; type-error: paid: 'vielleicht' is not of type boolean; constraint-error: name is required",4,,200,-,EF-4,lost,n/a,vielleicht,,,
  $ sluice check ts_people.csv --schema ts_people.yaml --rejects out.txt
  sluice: check: --rejects out.txt: name it .ndjson, .jsonl or .csv, or give --rejects-format
  usage: sluice check FILE [--source NAME] [--schema FILE] [--format F] [--max-errors N] [--rejects FILE] [--output text|json]
  [2]
  $ sluice check ts_people.csv --schema ts_people.yaml --rejects - --rejects-format csv --quiet
  line 3 (record 2): constraint-error: age must be >= 0
  line 3 (record 2): constraint-error: country: 'UK' is not one of "GB", "US", "DE", "FR"
  line 3 (record 2): constraint-error: code: 'ab-2' does not match the pattern [A-Z]{2}-[0-9]+
  line 3 (record 2): row-constraint: the row breaks the rule end >= start
  line 4 (record 3): constraint-error: amount must be >= 1
  line 4 (record 3): warning: row-constraint: shipped_on is required when status == 'shipped'
  line 5 (record 4): warning: constraint-error: age must be <= 150
  line 5 (record 4): constraint-error: status: 'lost' is not one of "new", "shipped"
  line 5 (record 4): type-error: paid: 'vielleicht' is not of type boolean
  line 5 (record 4): constraint-error: name is required
  line 6 (record 5): warning: constraint-error: name must have at most 20 characters, 'Katherine Johnson the Computer' has 30
  _input,_row,_line,_offset,_errors,id,name,age,country,code,status,amount,paid,start,end,shipped_on
  ts_people.csv,2,3,141,"constraint-error: age must be >= 0; constraint-error: country: 'UK' is not one of ""GB"", ""US"", ""DE"", ""FR""; constraint-error: code: 'ab-2' does not match the pattern [A-Z]{2}-[0-9]+; row-constraint: the row breaks the rule end >= start",2,Alan,-1,UK,ab-2,new,"12,00 €",nein,2026-01-01,2025-12-31,
  ts_people.csv,3,4,203,constraint-error: amount must be >= 1,3,Grace,85,US,CD-3,shipped,"0,99 €",ja,2026-01-01,2026-01-02,
  ts_people.csv,4,5,267,"constraint-error: status: 'lost' is not one of ""new"", ""shipped""; type-error: paid: 'vielleicht' is not of type boolean; constraint-error: name is required",4,,200,-,EF-4,lost,n/a,vielleicht,,,
  [1]

Keys. A primary key repeated within one input is a primary-key error (the first row wins), in
check and load alike; a unique field must not repeat within the input nor in rows of earlier
loads. A key that an earlier load has is an update, not an error.

  $ sluice check ts_keys.csv --schema ts_keys.yaml
  line 4 (record 3): primary-key: the primary key (1) repeats an earlier row of the input
  line 5 (record 4): unique-error: email must be unique: 'ada@example.com' repeats an earlier row of the input
  ts_keys.csv: 4 rows, 2 valid, 0 with warnings, 2 invalid
  [1]
  $ sluice load ts_keys.csv --schema ts_keys.yaml
  ts_keys: load 4 committed: 4 rows (2 valid, 2 rejected) from ts_keys.csv in 0.0 s, quality 0.75 poor (grade capped: 2 of 4 rows rejected)
    line 4 (record 3): primary-key: the primary key (1) repeats an earlier row of the input
    line 5 (record 4): unique-error: email must be unique: 'ada@example.com' repeats an earlier row of the input
    rejected rows are kept in bronze[_.]ts_keys with status 'invalid' (re)
    recommendation: email: 25% repeat earlier values although the field is unique; deduplicate at the source, or drop the unique constraint
  [1]
  $ sluice load ts_keys2.csv --schema ts_keys.yaml --source ts_keys
  ts_keys: load 5 committed: 3 rows (2 valid, 1 rejected) from ts_keys2.csv in 0.0 s, quality 0.89 poor (grade capped: 1 of 3 rows rejected)
    upserted into existing source ts_keys (now 3 rows)
    line 3 (record 2): unique-error: email must be unique: 'ada@example.com' is in a row already loaded
    rejected rows are kept in bronze[_.]ts_keys with status 'invalid' (re)
    recommendation: email: 33% repeat earlier values although the field is unique; deduplicate at the source, or drop the unique constraint
  [1]
  $ sqlite3 sluice.db 'select id, email, name, _load from ts_keys order by id'
  1|ada@example.com|Ada|4
  2|alan@example.com|Alan T.|5
  5|joan@example.com|Joan|5

Foreign keys: to another source's silver table, or to this source (resource "").

  $ sluice load ts_orders.csv --schema ts_orders.yaml
  ts_orders: load 6 committed: 4 rows (2 valid, 2 rejected) from ts_orders.csv in 0.0 s, quality 0.75 poor (grade capped: 2 of 4 rows rejected)
    line 4 (record 3): foreign-key: customer '9' is not in ts_keys (id)
    line 5 (record 4): foreign-key: customer '3' is not in ts_keys (id)
    line 5 (record 4): foreign-key: parent '99' is not in this source (order_id)
    rejected rows are kept in bronze[_.]ts_orders with status 'invalid' (re)
    recommendation: customer: 50% have no match in the referenced source; load the reference data first, or check the key's format
  [1]
  $ sqlite3 sluice.db 'select order_id, customer, parent from ts_orders order by order_id'
  10|1|
  11|2|10
  $ sluice check ts_orders.csv --schema ts_orders.yaml --output json | head -c 600; echo
  {"valid":false,"rows":4,"valid_rows":2,"warning_rows":0,"invalid_rows":2,"errors":[{"row":3,"line":4,"offset":39,"code":"foreign-key","field":"customer","value":"9","message":"customer '9' is not in ts_keys (id)","severity":"error","constraint":"ts_keys"},{"row":4,"line":5,"offset":47,"code":"foreign-key","field":"customer","value":"3","message":"customer '3' is not in ts_keys (id)","severity":"error","constraint":"ts_keys"},{"row":4,"line":5,"offset":47,"code":"foreign-key","field":"parent","value":"99","message":"parent '99' is not in this source (order_id)","severity":"error","constraint":"
  $ rm -f sluice.db && mkdir nostore && cp ts_orders.csv ts_orders.yaml nostore/ && cd nostore && env -u SLUICE_DB sluice check ts_orders.csv --schema ts_orders.yaml
  sluice: foreignKeys[0] refers to source 'ts_keys': checking it needs the store that holds it (--db, or sluice.db here)
  [2]

A schema with a mistake is refused with the file and line.

  $ sluice check ts_people.csv --schema ts_bad.yaml
  sluice: ts_bad.yaml:5: fields[0].constraints.minimun: unknown key (did you mean 'minimum'?)
  [2]
  $ sluice check ts_people.csv --schema ts_bad2.yaml
  sluice: ts_bad2.yaml:8: x-sluice.rules[0]: 'a >= c': 'c' is not a field (quote text as 'text', a field name with spaces as "a b")
  [2]

A schema from sluice infer goes back in unchanged: the same rows, the same values.

  $ sluice infer ts_roundtrip.csv > inferred.yaml && cat inferred.yaml
  # Table Schema of ts_roundtrip.csv, inferred from all of it by sluice 0.1.0
  # read as: {"format":"csv","compression":"none","delimiter":",","quote":"\"","header":true,"bom":false,"newline":"lf","encoding":"utf-8"}
  fields:
    - name: id
      type: integer
    - name: zip
      type: string
    - name: price
      type: number
    - name: ok
      type: boolean
    - name: day
      type: date
    - name: at
      type: datetime
    - name: clock
      type: time
    - name: note
      type: string
    - name: extra
      type: string
  $ sluice load ts_roundtrip.csv --source inferred --quiet; echo $?
  0
  $ sluice load ts_roundtrip.csv --source declared --schema inferred.yaml --quiet; echo $?
  0
  $ sqlite3 sluice.db 'select id, zip, price, ok, day, at, clock, note, extra from inferred except select id, zip, price, ok, day, at, clock, note, extra from declared'
  $ sqlite3 sluice.db 'select id, zip, typeof(zip), price, ok, day, at, clock, note, extra from declared order by id'
  1|00501|text|9.99|1|2026-11-01|2026-11-01T06:00:00Z|08:00:00|plain|
  2|02134|text|-0.5|0|2026-02-28|2026-11-01T09:30:00|23:59:59.5|with, comma|x
  3|10001|text|1000.0|1|2024-02-29|2026-11-01T00:00:00|00:00:00||y

A headerless CSV is matched to an explicit schema by position, and a later rebuild of silver
(a widened column) maps its bronze rows the same way.

  $ printf '1,Ada,10\n2,Alan,20\n' > h1.csv && printf '3,Grace,9.5\n' > h2.csv
  $ printf 'fields:\n  - {name: id, type: integer}\n  - {name: name, type: string}\n  - {name: score, type: integer}\nprimaryKey: id\n' > h1.yaml
  $ sed '/score/s/integer/number/' h1.yaml > h2.yaml && sluice load h1.csv --schema h1.yaml --source hl --no-header --quiet
  $ sluice load h2.csv --schema h2.yaml --source hl --no-header --quiet
  $ sqlite3 sluice.db 'select id, name, score, _load from hl order by id'
  1|Ada|10.0|3
  2|Alan|20.0|3
  3|Grace|9.5|4

A source of sluice.yaml may name its own rejects file (relative to the config file); --rejects
on the command line takes precedence.

  $ mkdir proj && cp ts_people.csv ts_people.yaml proj/ && printf 'sources:\n  people:\n    input: ts_people.csv\n    schema: ts_people.yaml\n    rejects: people.rejects.ndjson\n' > proj/sluice.yaml
  $ sluice --config proj/sluice.yaml --db proj.db run --quiet
  [1]
  $ wc -l < proj/people.rejects.ndjson && cut -c1-60 proj/people.rejects.ndjson
  3
  {"input":"proj/ts_people.csv","row":2,"line":3,"offset":141,
  {"input":"proj/ts_people.csv","row":3,"line":4,"offset":203,
  {"input":"proj/ts_people.csv","row":4,"line":5,"offset":267,
  $ printf 'sources:\n  people:\n    input: ts_people.csv\n    rejects: people.txt\n' > proj/sluice.yaml && sluice --config proj/sluice.yaml run
  sluice: proj/sluice.yaml:4: sources.people.rejects: name the file .ndjson, .jsonl or .csv
  [2]
