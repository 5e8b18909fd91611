Help names PostgreSQL and the postgresql:// form of --db, and every option of every command
(tests/integration/help_flags.sh checks each against the command's parser).

  $ sluice help | grep -i postgres
  sluice loads files into SQLite or PostgreSQL with versions, checks and a record
                         postgresql://USER@HOST:PORT/DB (PostgreSQL); default:
  $ sluice help cat | grep -E -- '--(delimiter|header|encoding|max-columns)'
    --delimiter C        CSV delimiter (default: detected among , ; tab |)
    --header / --no-header   whether the first CSV row is a header (default: detected)
    --encoding E         utf-8, latin1 or windows-1252 (default: detected)
    --max-columns N      most input columns read (default 16384)
  $ sluice help infer | grep -E -- '--(delimiter|header|encoding)'
    --delimiter C        CSV delimiter (default: detected among , ; tab |)
    --header / --no-header   whether the first CSV row is a header (default: detected)
    --encoding E         utf-8, latin1 or windows-1252 (default: detected)
  $ sluice help rebuild
  usage: sluice rebuild SOURCE [--output text|json]
  
  recompute silver from the active bronze loads.
  
    Empties silver and casts the bronze rows of the active loads again, in load order
    (from the last active snapshot-mode load on).
  
    -o, --output text|json
  
    Global options (--db, --config, --quiet, --log-format, --busy-timeout) go
    before or after the command; `sluice help` describes them.
  $ sluice help --flags infer
  --db
  --config
  --quiet
  --log-format
  --busy-timeout
  --help
  --format
  --delimiter
  --header
  --no-header
  --encoding
  --max-record-size
  --max-columns
  --max-input-size
  --records
  --primary-key
  --source
  --output
  -q
  -h
  -o
  -s
  $ sluice help --flags nosuch
  sluice: unknown command 'nosuch'
  try `sluice help`
  [2]
  $ sluice help --commands | head -n 3
  load
  run
  check

Options a command does not take are refused rather than ignored: cat has no key, infer reads no
schema.

  $ sluice cat people.csv --mode upsert
  sluice: cat: unknown or incomplete option '--mode'
  usage: sluice cat FILE [--format F] [--to ndjson|csv] [--schema FILE]
  [2]
  $ sluice infer people.csv --schema people.schema.yaml
  sluice: infer: unknown or incomplete option '--schema'
  usage: sluice infer FILE [--format F] [--output yaml|json]
  [2]

An unknown command: exit 2, with the commands close to it.

  $ sluice lod people.csv
  sluice: unknown command 'lod'
  did you mean load?
  [2]
  $ sluice rollbak people --to 1
  sluice: unknown command 'rollbak'
  did you mean rollback?
  [2]
  $ sluice versoins people
  sluice: unknown command 'versoins'
  did you mean versions?
  [2]
  $ sluice line
  sluice: unknown command 'line'
  did you mean lineage?
  [2]
  $ sluice frobnicate
  sluice: unknown command 'frobnicate'
  try `sluice help`
  [2]
  $ sluice help chek
  sluice: unknown command 'chek'
  did you mean check?
  [2]
  $ sluice $'\033[31mred'
  sluice: unknown command '\x1b[31mred'
  try `sluice help`
  [2]
