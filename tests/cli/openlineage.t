OpenLineage run events: with `lineage: {openlineage: {file: PATH}}` in sluice.yaml, every load
writes a START and a COMPLETE (or FAIL) event, one JSON object per line (docs/versions.md).

  $ mkdir ol && cp orders_1.csv orders_2.csv ol/ && cd ol && printf 'store: sqlite:ol.db\nlineage:\n  openlineage:\n    file: events.jsonl\nsources:\n  orders:\n    input: orders_*.csv\n    primary_key: order_id\n    mode: snapshot\n' > sluice.yaml && sluice run --quiet
  $ wc -l < ol/events.jsonl
  4
  $ sed -e 's/"runId":"[0-9a-f-]*"/"runId":"ID"/' ol/events.jsonl | head -2
  \{"eventType":"START","eventTime":"2026-11-23T12:00:00\.000Z","producer":"https://github\.com/sluice-data/sluice/tree/v0\.1\.0","schemaURL":"https://openlineage\.io/spec/2-0-2/OpenLineage\.json#/\$defs/RunEvent","run":\{"runId":"ID"\},"job":\{"namespace":"sluice","name":"load\.orders"\},"inputs":\[\{"namespace":"file","name":"orders_1\.csv"\}\],"outputs":\[\{"namespace":"(sqlite:ol\.db|postgresql:[^"]*)","name":"orders"\}\]\} (re)
  \{"eventType":"COMPLETE","eventTime":"2026-11-23T12:00:00\.000Z","producer":"https://github\.com/sluice-data/sluice/tree/v0\.1\.0","schemaURL":"https://openlineage\.io/spec/2-0-2/OpenLineage\.json#/\$defs/RunEvent","run":\{"runId":"ID","facets":\{"sluice":\{"_producer":"https://github\.com/sluice-data/sluice/tree/v0\.1\.0","_schemaURL":"https://github\.com/sluice-data/sluice/blob/main/docs/versions\.md","load":1,"status":"committed","sha256":"a4328aca72272027e9b5fc82e658e14a6e21ee4542717b5d3b8c177093047cac","rows":2,"valid":2,"warning":0,"invalid":0,"quality":\{"score":1,"grade":"excellent"\}\}\}\},"job":\{"namespace":"sluice","name":"load\.orders"\},"inputs":\[\{"namespace":"file","name":"orders_1\.csv","inputFacets":\{"dataQualityMetrics":\{"_producer":"https://github\.com/sluice-data/sluice/tree/v0\.1\.0","_schemaURL":"https://openlineage\.io/spec/facets/1-0-0/DataQualityMetricsInputDatasetFacet\.json#/\$defs/DataQualityMetricsInputDatasetFacet","rowCount":2,"columnMetrics":\{\}\}\}\}\],"outputs":\[\{"namespace":"(sqlite:ol\.db|postgresql:[^"]*)","name":"orders","facets":\{"schema":\{"_producer":"https://github\.com/sluice-data/sluice/tree/v0\.1\.0","_schemaURL":"https://openlineage\.io/spec/facets/1-0-0/SchemaDatasetFacet\.json#/\$defs/SchemaDatasetFacet","fields":\[\{"name":"order_id","type":"integer"\},\{"name":"status","type":"string"\},\{"name":"total","type":"number"\}\]\}\},"outputFacets":\{"outputStatistics":\{"_producer":"https://github\.com/sluice-data/sluice/tree/v0\.1\.0","_schemaURL":"https://openlineage\.io/spec/facets/1-0-0/OutputStatisticsOutputDatasetFacet\.json#/\$defs/OutputStatisticsOutputDatasetFacet","rowCount":2\}\}\}\]\} (re)
  $ sed 's/.*"eventType":"\([A-Z]*\)".*"runId":"\([0-9a-f-]*\)".*/\2/' ol/events.jsonl | uniq | wc -l
  2
  $ grep -o '"runId":"[^"]*"' ol/events.jsonl | head -1
  "runId":"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}" (re)
  $ cd ol && sluice versions orders | cut -c1-40
  load  status    active mode          row
  1     committed yes    snapshot         
  2     committed yes    snapshot         

A load that fails sends FAIL with the error message.

  $ cd ol && printf 'x\n1\n' > orders_3.csv && sluice run --quiet
  sluice: error: orders: load failed: --primary-key: primary key field 'order_id' is not in the schema (fields: x)
  [2]
  $ tail -1 ol/events.jsonl | grep -o '"eventType":"[A-Z]*"\|"errorMessage":{[^}]*}' | sed 's/"_producer":"[^"]*",//'
  "eventType":"FAIL"
  "errorMessage":{"_schemaURL":"https://openlineage.io/spec/facets/1-0-0/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet","message":"--primary-key: primary key field 'order_id' is not in the schema (fields: x)","programmingLanguage":"C"}

An unknown key under lineage is an error that names it.

  $ printf 'lineage:\n  openlineage:\n    path: x\n' > bad.yaml && sluice --config bad.yaml run
  sluice: bad.yaml:3: lineage.openlineage.path: unknown key (expected one of: file, url, ca_file)
  [2]
