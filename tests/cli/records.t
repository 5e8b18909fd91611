JSON records inside a document: --records POINTER (RFC 6901) names the array whose elements are
the records; GeoJSON's features are the usual case (places.geojson: a crs object with brackets
in its strings, a bbox, three features, and a member after them).

  $ sluice cat places.geojson --records /features
  {"type":"Feature","properties":{"name": "London", "pop": 8982000},"geometry":{"type": "Point", "coordinates": [-0.1276, 51.5072]}}
  {"type":"Feature","properties":{"name": "Paris", "pop": 2161000},"geometry":{"type": "Point", "coordinates": [2.3522, 48.8566]}}
  {"type":"Feature","properties":{"name": "Null Island", "pop": null},"geometry":null}
  $ sluice load places.geojson --records /features
  places: load 1 committed: 3 rows (3 valid) from places.geojson in 0.0 s, quality 0.94 good
    recommendation: geometry: 33.3% of the values are missing; if that is expected, the field is optional, else check the extract
  $ sqlite3 sluice.db 'select type, json_extract(properties, "$.name"), typeof(geometry) from places order by _row'
  Feature|London|text
  Feature|Paris|text
  Feature|Null Island|null
  $ sqlite3 sluice.db 'select row, line, byte_offset from bronze_places order by row'
  1|7|227
  2|8|368
  3|9|507
  $ sluice infer places.geojson --records /features | head -n 2
  # Table Schema of places.geojson, inferred from all of it by sluice 0.1.0
  # read as: {"format":"json","compression":"none","records":"/features","encoding":"utf-8"}
  $ sluice check places.geojson --records /features
  places.geojson: 3 rows, 3 valid, 0 with warnings, 0 invalid

Without it the document is one record; the reader offers the pointer (a note for load, a
warning for cat, check and infer).

  $ sluice load places.geojson --source whole
  whole: load 2 committed: 1 rows (1 valid) from places.geojson in 0.0 s, quality 1.00 excellent
    note: places.geojson is one JSON object, read as one record; /features holds an array of objects: --records /features reads them as the records (records: /features in sluice.yaml)
  $ sluice cat places.geojson > /dev/null
  sluice: warning: places.geojson is one JSON object, read as one record; /features holds an array of objects: --records /features reads them as the records (records: /features in sluice.yaml)
  $ sluice check places.geojson 2>&1 >/dev/null
  sluice: warning: places.geojson is one JSON object, read as one record; /features holds an array of objects: --records /features reads them as the records (records: /features in sluice.yaml)

Nested pointers, array indexes, ~1 for '/' and ~0 for '~' in keys, and a document on one line
(read as JSON whatever it looks like).

  $ printf '{"meta":{"n":2},"response":{"a/b":[{"x":1}],"c~d":{"items":[{"x":2},{"x":3}]}},"results":[{"rows":[]},{"rows":[{"y":"z"}]}]}' > api.json
  $ sluice cat api.json --records /response/a~1b
  {"x":1}
  $ sluice cat api.json --records /response/c~0d/items
  {"x":2}
  {"x":3}
  $ sluice cat api.json --records /results/1/rows
  {"y":"z"}
  $ sluice cat api.json --records /results/0/rows
  $ sluice cat api.json 2>&1 >/dev/null
  sluice: warning: api.json is one JSON object, read as one record; /results holds an array of objects: --records /results reads them as the records (records: /results in sluice.yaml)
  $ printf '{"my list":[{"k":1}]}' > spaced.json && sluice cat spaced.json 2>&1 >/dev/null
  sluice: warning: spaced.json is one JSON object, read as one record; /my list holds an array of objects: --records '/my list' reads them as the records (records: /my list in sluice.yaml)

A pointer that names nothing, or a value that is not an array: exit 2, before any record.

  $ sluice cat places.geojson --records /nope
  sluice: records: /nope: the document has no member "nope"
  [2]
  $ sluice cat places.geojson --records /crs
  sluice: records: /crs: /crs is an object, not an array of records
  [2]
  $ sluice cat places.geojson --records /name/x
  sluice: records: /name/x: /name is a string, not an object or array
  [2]
  $ sluice cat places.geojson --records /bbox/x
  sluice: records: /bbox/x: /bbox is an array, and "x" is not an index (0, 1, ...)
  [2]
  $ sluice cat places.geojson --records /bbox/9
  sluice: records: /bbox/9: /bbox has 4 element(s): no element 9
  [2]
  $ sluice cat places.geojson --records /bbox/01
  sluice: records: /bbox/01: /bbox is an array, and "01" is not an index (0, 1, ...)
  [2]
  $ sluice cat places.geojson --records ''
  sluice: records: "": the document is an object, not an array of records
  [2]
  $ sluice load places.geojson --records /crs/properties
  sluice: error: places: load failed: records: /crs/properties: /crs/properties is an object, not an array of records
  [2]
  $ sluice cat places.geojson --records features
  sluice: cat: --records: 'features' is not a JSON pointer: it starts with '/' (e.g. /data), or is empty for the whole document
  usage: sluice cat FILE [--format F] [--to ndjson|csv] [--schema FILE]
  [2]
  $ sluice cat places.geojson --records '/a~2'
  sluice: cat: --records: '/a~2' is not a JSON pointer: '~' must be followed by 0 (for ~) or 1 (for /)
  usage: sluice cat FILE [--format F] [--to ndjson|csv] [--schema FILE]
  [2]
  $ sluice cat people.csv --records /x --format csv
  sluice: people.csv: records: /x: a records pointer is for JSON documents, not format csv
  [2]
  $ sluice cat people.csv --records /x
  sluice: records: /x: the document is text that is not JSON, not an object or array
  [2]

A document cut short, before or after the records, or with data after its end.

  $ printf '{"a":1,"data":[{"x":1}' > cut1.json && sluice cat cut1.json --records /data
  sluice: warning: cut1.json: record 2 (line 1, byte 22): format-error: unexpected end of input: the JSON array is not closed
  {"x":1}
  sluice: warning: cut1.json: 1 record(s) rejected
  [1]
  $ printf '{"a":{"b":[1,' > cut2.json && sluice cat cut2.json --records /data
  sluice: warning: cut2.json: record 1 (line 1, byte 13): format-error: unexpected end of input: the document ends before the array of records at /data
  sluice: warning: cut2.json: 1 record(s) rejected
  [1]
  $ printf '{"data":[{"x":1}],"z":{"q":1}' > cut3.json && sluice cat cut3.json --records /data
  sluice: warning: cut3.json: record 2 (line 1, byte 29): format-error: unexpected end of input: the JSON document is not closed
  {"x":1}
  sluice: warning: cut3.json: 1 record(s) rejected
  [1]
  $ printf '{"data":[{"x":1}]} []' > after.json && sluice cat after.json --records /data
  sluice: warning: after.json: record 2 (line 1, byte 19): format-error: unexpected data after the end of the JSON object
  {"x":1}
  sluice: warning: after.json: 1 record(s) rejected
  [1]
  $ printf '{"a" 1,"data":[{"x":1}]}' > bad.json && sluice cat bad.json --records /data
  sluice: warning: bad.json: record 1 (line 1, byte 5): format-error: invalid JSON at line 1 column 6: expected ':'; the remaining 19 bytes could not be read
  sluice: warning: bad.json: 1 record(s) rejected
  [1]

In sluice.yaml: records: per source.

  $ mkdir geo && cp places.geojson geo/ && printf 'sources:\n  geo:\n    input: places.geojson\n    records: /features\n' > geo/sluice.yaml
  $ cd geo && sluice run && sluice infer places.geojson --source geo | head -n 2
  geo: load [0-9]+ committed: 3 rows \(3 valid\) from places\.geojson in 0\.0 s, quality 0\.94 good (re)
    recommendation: geometry: 33.3% of the values are missing; if that is expected, the field is optional, else check the extract
  # Table Schema of places.geojson, inferred from all of it by sluice 0.1.0
  # read as: {"format":"json","compression":"none","records":"/features","encoding":"utf-8"}
  $ printf 'sources:\n  p:\n    input: x.json\n    records: features\n' > bad.yaml && sluice --config bad.yaml run
  sluice: bad.yaml:4: sources.p.records: 'features' is not a JSON pointer: it starts with '/' (e.g. /data), or is empty for the whole document
  [2]

Following the note after a load: the input is the same (identity is its content), so the load
with the pointer is a repeat unless forced; into the same source, take the one-record load out
first (its columns stay in silver, empty), or load into a new source.

  $ sluice load places.geojson --source whole --records /features
  whole: skipped: same input already loaded as load 2 (places.geojson)
  $ sluice deactivate whole 2 && sluice load places.geojson --source whole --records /features --force | head -n 1
  whole: load 2 deactivated: 1 load changed; silver updated: 0 rows written, 1 removed
  whole: load [0-9]+ committed: 3 rows \(3 valid\) from places\.geojson in 0\.0 s, quality [0-9.]+ [a-z]+ (re)
  $ sluice load places.geojson --source features --records /features | head -n 1
  features: load [0-9]+ committed: 3 rows \(3 valid\) from places\.geojson in 0\.0 s, quality 0\.94 good (re)
