Files with different columns loaded into one source: the summary says that the rows joined an
existing source, how many rows silver holds now, which columns the load added and which of
silver's columns the input does not fill.

  $ printf 'id,name\n1,ann\n2,bob\n' > a.csv && printf 'id,name,age\n3,cyd,40\n' > b.csv
  $ sluice load a.csv b.csv --source people
  people: load 1 committed: 2 rows (2 valid) from a.csv in 0.0 s, quality 1.00 excellent
  people: load 2 committed: 1 rows (1 valid) from b.csv in 0.0 s, quality 1.00 excellent
    appended to existing source people (now 3 rows); column added: age
  $ printf 'id,name\n4,dee\n' > c.csv && sluice load c.csv --source people --output json
  {"source":"people","load":3,"status":"committed","input":"c.csv","sha256":"4ef9178a3ca227c03b512dca4c12967bccf1971bf6f65303da7ef9de8980732a","rows":1,"valid":1,"warning":0,"invalid":0,"quality":{"score":0.8333,"grade":"fair","completeness":0.6666,"validity":1,"uniqueness":null,"consistency":null,"timeliness":null,"accuracy":null,"fields":{"id":{"completeness":1,"validity":1},"name":{"completeness":1,"validity":1},"age":{"completeness":0,"validity":null}},"anomalies":[],"recommendations":["age: 100.0% of the values are missing; if that is expected, the field is optional, else check the extract"]},"seconds":0.000,"format":"csv","encoding":"utf-8","existing_source":{"mode":"append","rows":4,"columns_added":[],"columns_not_in_input":["age"]}}
  $ sluice load c.csv --source people --force
  people: load 4 committed: 1 rows (1 valid) from c.csv in 0.0 s, quality 0.83 fair
    appended to existing source people (now 5 rows); column not in this input (empty in its rows): age
    recommendation: age: 100.0% of the values are missing; if that is expected, the field is optional, else check the extract

The same data as CSV and then as JSON go into the same source (the name comes from the file's
stem): the rows are doubled, and the summary shows it.

  $ printf 'name,wage\nann,10\nbob,12\n' > wages.csv
  $ printf '[{"name":"ann","wage":10},{"name":"bob","wage":12,"note":"x"}]' > wages.json
  $ sluice load wages.csv && sluice load wages.json
  wages: load 5 committed: 2 rows (2 valid) from wages.csv in 0.0 s, quality 1.00 excellent
  wages: load 6 committed: 2 rows (2 valid) from wages.json in 0.0 s, quality 0.92 good
    appended to existing source wages (now 4 rows); column added: note
    recommendation: note: 50.0% of the values are missing; if that is expected, the field is optional, else check the extract
  $ sluice load wages.json --output json --force | grep -o '"existing_source":.*'
  "existing_source":{"mode":"append","rows":6,"columns_added":[],"columns_not_in_input":[]}}

A keyed source says the rows were upserted, a snapshot that they replaced silver's.

  $ printf 'id,v\n1,a\n2,b\n' > k1.csv && printf 'id,v\n2,B\n3,c\n' > k2.csv
  $ sluice load k1.csv --source k --primary-key id && sluice load k2.csv --source k --primary-key id
  k: load 8 committed: 2 rows (2 valid) from k1.csv in 0.0 s, quality 1.00 excellent
  k: load 9 committed: 2 rows (2 valid) from k2.csv in 0.0 s, quality 1.00 excellent
    upserted into existing source k (now 3 rows)
  $ sluice load k1.csv --source s --primary-key id --mode snapshot && sluice load k2.csv --source s --mode snapshot
  s: load 10 committed: 2 rows (2 valid) from k1.csv in 0.0 s, quality 1.00 excellent
  s: load 11 committed: 2 rows (2 valid) from k2.csv in 0.0 s, quality 1.00 excellent
    replaced the rows of existing source s (now 2 rows)

