Help, versions, usage errors (exit 2).

  $ sluice --version
  sluice 0.1.0 (SQLite and PostgreSQL stores)
  $ sluice help
  usage: sluice [--db URL] [--config FILE] [--quiet] [--log-format text|json] [--busy-timeout T] COMMAND [ARGS]
  
  sluice loads files into SQLite or PostgreSQL with versions, checks and a record
  of every row.
  
  commands:
    load       load files into the store (bronze, silver and a new version each)
    run        load the sources of sluice.yaml (all, or the ones named)
    check      validate a file without loading it (exit 1 if some records are not valid)
    cat        print the records of a file as NDJSON or CSV
    infer      print the Frictionless Table Schema of a file, inferred from all of it
    versions   list the loads (versions) of a source
    quality    show the quality report of a load (the latest by default)
    rollback   make silver exactly the state after load V (later loads are deactivated)
    activate   make load V count in silver again
    deactivate take load V out of silver (bronze keeps it)
    rebuild    recompute silver from the active bronze loads
    history    list the recorded activations and deactivations
    diff       what changed in silver between the states after V1 and after V2
    lineage    where data came from: inputs, loads, bronze, silver; or one row's history
    schema     the source's schema and its versions
    migrate    show or change the version of sluice's own tables (the catalog)
    help       show help for sluice or a command
    version    print the version
  
  global options:
    --db URL             the store: sqlite:PATH or a path (SQLite), or
                         postgresql://USER@HOST:PORT/DB (PostgreSQL); default:
                         $SLUICE_DB, else the store: of sluice.yaml, else
                         sqlite:sluice.db
    --config FILE        default ./sluice.yaml when it exists
    -q, --quiet          print errors only
    --log-format F       text or json (log lines on stderr)
    --busy-timeout T     how long to wait for another load writing the SQLite
                         store (default 10m; also busy_timeout: in sluice.yaml)
    -h, --help           this help; after a command, the command's help
  
  exit codes: 0 ok, 1 data problems, 2 usage or config error, 3 runtime failure
  `sluice help COMMAND` tells more.
  $ sluice help load
  usage: sluice load FILE... [--source NAME] [--schema FILE] [--format F] [--primary-key A,B] [--timestamp FIELD] [--force] [--min-score S] [--rejects FILE] [--output text|json]
  
  load files into the store (bronze, silver and a new version each).
  
    Loads each FILE (- for stdin; .gz and .zst are read transparently) as one load of
    the source NAME (default: the first file's name without extensions). Without
    --schema the types are inferred from the whole input. The same input twice is
    loaded once (recognized by SHA-256) unless --force.
  
    -s, --source NAME    the source (silver table NAME, bronze table bronze_NAME)
    --schema FILE        a Frictionless Table Schema (YAML or JSON)
    --format F           csv, tsv, ndjson or json (default: detected)
    --delimiter C        CSV delimiter (default: detected among , ; tab |)
    --header / --no-header   whether the first CSV row is a header (default: detected)
    --encoding E         utf-8, latin1 or windows-1252 (default: detected)
    --primary-key A,B    key fields: later loads update rows with the same key
    --timestamp FIELD    the field holding each record's own time
    --max-record-size N  largest record kept in memory (default 64MiB)
    --max-input-size N   refuse inputs larger than this once decompressed
    --max-columns N      most input columns read (default 16384; see docs/robustness.md)
    --records POINTER    JSON: the array of records inside the document, as a JSON
                         pointer (/features, /data/items; see docs/formats.md)
    -f, --force          load even if this input was loaded before
    --min-score S        fail the load (kept in bronze only) when its quality score is
                         below S (0..1); see docs/quality.md for the other thresholds
    --allow-breaking     apply a breaking schema change (silver is rebuilt)
    --on-type-change P   values that need a wider type than a silver column has:
                         reject (default: the load fails), widen (the column widens)
                         or quarantine (their rows are rejected, the type stays)
    --mode M             append, upsert or snapshot (see docs/versions.md)
    --rejects FILE       also write rejected rows with their reasons (.ndjson or .csv)
    --rejects-format F   ndjson or csv, whatever the name of FILE
    -o, --output text|json   one JSON object per load with --output json
  
    Global options (--db, --config, --quiet, --log-format, --busy-timeout) go
    before or after the command; `sluice help` describes them.
  $ sluice load --help | head -n 1
  usage: sluice load FILE... [--source NAME] [--schema FILE] [--format F] [--primary-key A,B] [--timestamp FIELD] [--force] [--min-score S] [--rejects FILE] [--output text|json]
  $ sluice frobnicate
  sluice: unknown command 'frobnicate'
  try `sluice help`
  [2]
  $ sluice load
  sluice: load: no input file
  usage: sluice load FILE... [--source NAME] [--schema FILE] [--format F] [--primary-key A,B] [--timestamp FIELD] [--force] [--min-score S] [--rejects FILE] [--output text|json]
  [2]
  $ sluice load people.csv --output xml
  sluice: load: --output must be one of: text, json
  usage: sluice load FILE... [--source NAME] [--schema FILE] [--format F] [--primary-key A,B] [--timestamp FIELD] [--force] [--min-score S] [--rejects FILE] [--output text|json]
  [2]
  $ sluice load people.csv --format xlsx
  sluice: load: unknown format 'xlsx' (known: csv, tsv, ndjson, json)
  usage: sluice load FILE... [--source NAME] [--schema FILE] [--format F] [--primary-key A,B] [--timestamp FIELD] [--force] [--min-score S] [--rejects FILE] [--output text|json]
  [2]
  $ sluice load people.csv --source 'x"; DROP TABLE y; --'
  sluice: load: invalid source name "x"; DROP TABLE y; --": a source name is 1 to 63 letters, digits or _, and does not start with sluice_, bronze_ or sqlite_
  usage: sluice load FILE... [--source NAME] [--schema FILE] [--format F] [--primary-key A,B] [--timestamp FIELD] [--force] [--min-score S] [--rejects FILE] [--output text|json]
  [2]
  $ sluice load people.csv --source sluice_loads
  sluice: load: invalid source name "sluice_loads": a source name is 1 to 63 letters, digits or _, and does not start with sluice_, bronze_ or sqlite_
  usage: sluice load FILE... [--source NAME] [--schema FILE] [--format F] [--primary-key A,B] [--timestamp FIELD] [--force] [--min-score S] [--rejects FILE] [--output text|json]
  [2]
  $ sluice run
  sluice: run: no sluice.yaml here (use --config FILE, or `sluice load`)
  usage: sluice run [SOURCE...] [--force] [--rejects FILE] [--output text|json]
  [2]
  $ sluice versions
  sluice: versions: expected one source name
  usage: sluice versions SOURCE [--all] [--output text|json]
  [2]
  $ sluice --db 'postgresql://127.0.0.1:1/x?connect_retries=2&retry_backoff=10' versions people
  sluice: postgresql://127.0.0.1:1/x: cannot connect to PostgreSQL after 3 attempts: connection to server at "127.0.0.1", port 1 failed: Connection refused
  [3]

--busy-timeout takes a duration (tests/integration/busy_timeout.sh tests the waiting).

  $ sluice --busy-timeout soon versions people
  sluice: --busy-timeout expects a duration (e.g. 30s, 10m, 1h), not 'soon'
  try `sluice help`
  [2]
  $ sluice versions people --busy-timeout -5
  sluice: --busy-timeout expects a duration (e.g. 30s, 10m, 1h), not '-5'
  try `sluice help`
  [2]
