sluice cat converts between formats: NDJSON values are the strings as parsed.

  $ sluice cat people.csv
  {"id":"1","name":"Ada Lovelace","email":"ada@example.com","age":"36","joined":"1815-12-10","active":"true","score":"9.5"}
  {"id":"2","name":"Alan Turing","email":"alan@example.com","age":"41","joined":"1912-06-23","active":"true","score":"9.75"}
  {"id":"3","name":"Grace Hopper","email":"grace@example.com","age":"85","joined":"1906-12-09","active":"false","score":"10"}
  $ sluice cat events.json --to csv
  id,kind,ok,extra
  1,click,true,
  2,view,false,"{""deep"": [1, 2, 3]}"
  3,clické,true,
  $ sluice cat people.csv --to csv --schema people.schema.yaml
  id,name,email,age,joined,active,score
  1,Ada Lovelace,ada@example.com,36,1815-12-10,true,9.5
  2,Alan Turing,alan@example.com,41,1912-06-23,true,9.75
  3,Grace Hopper,grace@example.com,85,1906-12-09,false,10
  $ sluice cat events.ndjson
  sluice: warning: events.ndjson:3: record 3: format-error: invalid JSON at column 51: unexpected end of input
  {"id":1,"kind":"click","at":"2026-11-01T08:00:00Z","meta":{"x":1,"y":2}}
  {"id":2,"kind":"view","at":"2026-11-01T08:05:00Z","meta":{"x":3},"tags":["a","b"]}
  {"id":4,"kind":"scroll","at":"2026-11-01T08:15:00Z","meta":null}
  sluice: warning: events.ndjson: 1 record(s) rejected
  [1]
  $ sluice cat events.ndjson --to csv
  sluice: warning: events.ndjson:3: record 3: format-error: invalid JSON at column 51: unexpected end of input
  id,kind,at,meta,tags
  1,click,2026-11-01T08:00:00Z,"{""x"":1,""y"":2}",
  2,view,2026-11-01T08:05:00Z,"{""x"":3}","[""a"",""b""]"
  4,scroll,2026-11-01T08:15:00Z,,
  sluice: warning: events.ndjson: 1 record(s) rejected
  [1]

sluice infer prints the Table Schema of the whole input, ready to edit and pass back.

  $ sluice infer people.csv
  # Table Schema of people.csv, inferred from all of it by sluice 0.1.0
  # read as: {"format":"csv","compression":"none","delimiter":",","quote":"\"","header":true,"bom":false,"newline":"lf","encoding":"utf-8"}
  fields:
    - name: id
      type: integer
    - name: name
      type: string
    - name: email
      type: string
    - name: age
      type: integer
    - name: joined
      type: date
    - name: active
      type: boolean
    - name: score
      type: number
  $ sluice infer people.csv --output json --primary-key id
  {"fields":[{"name":"id","type":"integer"},{"name":"name","type":"string"},{"name":"email","type":"string"},{"name":"age","type":"integer"},{"name":"joined","type":"date"},{"name":"active","type":"boolean"},{"name":"score","type":"number"}],"primaryKey":["id"]}
  $ sluice infer messy_header.csv
  # Table Schema of messy_header.csv, inferred from all of it by sluice 0.1.0
  # read as: {"format":"csv","compression":"none","delimiter":",","quote":"\"","header":true,"bom":false,"newline":"lf","encoding":"utf-8"}
  # column 1 renamed: " Name " -> Name
  # column 2 renamed: "" -> field_2
  # column 3 renamed: "name" -> name_2
  # column 6 renamed: "_load" -> _load_2
  fields:
    - name: Name
      type: string
    - name: field_2
      type: string
    - name: name_2
      type: string
    - name: "$Price"
      type: number
    - name: "Unit \"Cost\""
      type: integer
    - name: _load_2
      type: string
  $ sluice infer people.csv > inferred.yaml && sluice check people.csv --schema inferred.yaml
  people.csv: 3 rows, 3 valid, 0 with warnings, 0 invalid

sluice check validates without loading (exit 1 when some rows are invalid).

  $ sluice check people.csv
  people.csv: 3 rows, 3 valid, 0 with warnings, 0 invalid
  $ sluice check people_bad.csv --schema people.schema.yaml
  line 2 (record 1): type-error: age: 'thirty-six' is not of type integer
  line 3 (record 2): type-error: joined: '1912-13-23' is not of type date
  line 3 (record 2): type-error: active: 'yes' is not of type boolean
  line 3 (record 2): type-error: score: 'x' is not of type number
  line 4 (record 3): constraint-error: id is part of the primary key and must not be empty
  people_bad.csv: 3 rows, 0 valid, 0 with warnings, 3 invalid
  [1]
  $ sluice check people_bad.csv --schema people.schema.yaml --output json
  {"valid":false,"rows":3,"valid_rows":0,"warning_rows":0,"invalid_rows":3,"errors":[{"row":1,"line":2,"offset":38,"code":"type-error","field":"age","value":"thirty-six","message":"age: 'thirty-six' is not of type integer","severity":"error"},{"row":2,"line":3,"offset":91,"code":"type-error","field":"joined","value":"1912-13-23","message":"joined: '1912-13-23' is not of type date","severity":"error"},{"row":2,"line":3,"offset":91,"code":"type-error","field":"active","value":"yes","message":"active: 'yes' is not of type boolean","severity":"error"},{"row":2,"line":3,"offset":91,"code":"type-error","field":"score","value":"x","message":"score: 'x' is not of type number","severity":"error"},{"row":3,"line":4,"offset":135,"code":"constraint-error","field":"id","value":null,"message":"id is part of the primary key and must not be empty","severity":"error","constraint":"required"}],"error_groups":[{"code":"type-error","field":"age","severity":"error","rows":1,"issues":1,"first_row":1,"first_line":2,"last_row":1,"last_line":2,"message":"age: 'thirty-six' is not of type integer"},{"code":"type-error","field":"joined","severity":"error","rows":1,"issues":1,"first_row":2,"first_line":3,"last_row":2,"last_line":3,"message":"joined: '1912-13-23' is not of type date"},{"code":"type-error","field":"active","severity":"error","rows":1,"issues":1,"first_row":2,"first_line":3,"last_row":2,"last_line":3,"message":"active: 'yes' is not of type boolean"},{"code":"type-error","field":"score","severity":"error","rows":1,"issues":1,"first_row":2,"first_line":3,"last_row":2,"last_line":3,"message":"score: 'x' is not of type number"},{"code":"constraint-error","field":"id","severity":"error","rows":1,"issues":1,"first_row":3,"first_line":4,"last_row":3,"last_line":4,"message":"id is part of the primary key and must not be empty"}],"quality":{"score":0.6507,"grade":"unusable","completeness":0.9523,"validity":0,"uniqueness":1,"consistency":null,"timeliness":null,"accuracy":null,"fields":{"id":{"completeness":0.6666,"validity":1},"name":{"completeness":1,"validity":1},"email":{"completeness":1,"validity":1},"age":{"completeness":1,"validity":0.6666},"joined":{"completeness":1,"validity":0.6666},"active":{"completeness":1,"validity":0.6666},"score":{"completeness":1,"validity":0.6666}},"anomalies":[],"recommendations":["3 of 3 rows (100.0%) were rejected; they are kept in bronze with status 'invalid' and their errors","id: 33.3% of the values are missing; if that is expected, the field is optional, else check the extract","age: 1 of 3 values (33%) are not of type integer; fix them at the source, or declare the field with a wider type","joined: 1 of 3 values (33%) are not of type date; fix them at the source, or declare the field with a wider type","active: 1 of 3 values (33%) are not of type boolean; fix them at the source, or declare the field with a wider type","score: 1 of 3 values (33%) are not of type number; fix them at the source, or declare the field with a wider type"]}}
  [1]
  $ sluice check people_bad.csv --schema people.schema.yaml --output json --max-errors 1 | grep -o '"errors":\[[^]]*\]'
  "errors":[{"row":1,"line":2,"offset":38,"code":"type-error","field":"age","value":"thirty-six","message":"age: 'thirty-six' is not of type integer","severity":"error"}]
  $ ls sluice.db
  ls: cannot access 'sluice.db': No such file or directory
  [2]

A key that first appears late in a big JSON input is still a CSV column, from the header on.

  $ awk 'BEGIN { for (i = 1; i <= 30000; i++) printf "{\"id\":%d,\"name\":\"n%d\"}\n", i, i; print "{\"id\":30001,\"name\":\"late\",\"extra\":\"x\"}" }' > late.ndjson && sluice cat late.ndjson --to csv > late.csv && head -n 2 late.csv && tail -n 1 late.csv
  id,name,extra
  1,n1,
  30001,late,x
