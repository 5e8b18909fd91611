Files sluice writes on the user's say-so (--rejects, a source's rejects:, quality --out, the
OpenLineage events file) never overwrite an input of the run, the store or its -wal/-journal/-shm
files, and are never written through a symbolic link: such a path is refused (exit 2) before the
store is opened, so nothing is loaded. Every command names its store with --db, so that the
PostgreSQL run of this file tests the same thing.

--rejects naming the input: refused, the input intact, no version.

  $ printf 'id,v\n1,a\n2,b,c\n' > d.csv && cp d.csv d.orig
  $ sluice --db r.db load d.csv --rejects d.csv
  sluice: load: --rejects d.csv: is an input of this run; sluice will not overwrite it (choose another file)
  usage: sluice load FILE... [--source NAME] [--schema FILE] [--format F] [--primary-key A,B] [--timestamp FIELD] [--force] [--min-score S] [--rejects FILE] [--output text|json]
  [2]
  $ cmp d.csv d.orig && ls r.db
  ls: cannot access 'r.db': No such file or directory
  [2]

The same file named another way, through a hard link, or read as standard input:

  $ sluice --db r.db load ./d.csv --rejects ../$(basename $PWD)/d.csv 2>&1 | head -n 1
  sluice: load: --rejects ../[^ ]*/d.csv: is an input of this run; sluice will not overwrite it \(choose another file\) (re)
  $ ln d.csv hard.csv && sluice --db r.db load d.csv --rejects hard.csv 2>&1 | head -n 1
  sluice: load: --rejects hard.csv: is an input of this run; sluice will not overwrite it (choose another file)
  $ sluice --db r.db load --source d - --rejects d.csv < d.csv 2>&1 | head -n 1
  sluice: load: --rejects d.csv: is standard input, an input of this run; sluice will not overwrite it (choose another file)
  $ sluice --db r.db load 'd*.csv' --rejects hard.csv 2>&1 | head -n 1
  sluice: load: --rejects hard.csv: is an input of this run; sluice will not overwrite it (choose another file)
  $ sluice check d.csv --rejects hard.csv 2>&1 | head -n 1
  sluice: check: --rejects hard.csv: is an input of this run; sluice will not overwrite it (choose another file)
  $ cmp d.csv d.orig && ls r.db
  ls: cannot access 'r.db': No such file or directory
  [2]

The other files a run reads are inputs too: the schema (--schema, or a source's schema: in
sluice.yaml, relative to it), sluice.yaml itself and its .env file.

  $ printf '{"fields":[{"name":"id","type":"integer"},{"name":"v","type":"string"}]}' > s.json && cp s.json s.orig
  $ sluice --db r.db load d.csv --schema s.json --rejects s.json --rejects-format ndjson 2>&1 | head -n 1
  sluice: load: --rejects s.json: is the schema of this run; sluice will not overwrite it (choose another file)
  $ sluice check d.csv --schema ./s.json --rejects s.json --rejects-format ndjson 2>&1 | head -n 1
  sluice: check: --rejects s.json: is the schema of this run; sluice will not overwrite it (choose another file)
  $ printf 'sources:\n  d:\n    input: d.csv\n' > c.yaml && cp c.yaml c.orig && echo X=1 > .env && cp .env env.orig
  $ sluice --config c.yaml --db r.db load d.csv --source d --rejects c.yaml --rejects-format csv 2>&1 | head -n 1
  sluice: load: --rejects c.yaml: is the configuration file; sluice will not overwrite it (choose another file)
  $ sluice --config c.yaml --db r.db load d.csv --source d --rejects .env --rejects-format csv 2>&1 | head -n 1
  sluice: load: --rejects .env: is the configuration's .env file; sluice will not overwrite it (choose another file)
  $ sluice --db r.db load d.csv --rejects .env --rejects-format csv 2>&1 | head -n 1
  sluice: load: --rejects .env: is the .env file; sluice will not overwrite it (choose another file)
  $ mkdir sub && cp s.json sub/ && printf 'sources:\n  d:\n    input: ../d.csv\n    schema: s.json\n    rejects: s.json\n' > sub/sluice.yaml && sluice --config sub/sluice.yaml --db r.db run
  sluice: d: --rejects sub/s.json: is the schema of this run; sluice will not overwrite it (choose another file)
  [2]
  $ sluice --config sub/sluice.yaml --db r.db quality d --out sub/sluice.yaml
  sluice: quality: --out sub/sluice.yaml: is the configuration file; sluice will not overwrite it (choose another file)
  [2]
  $ cmp s.json s.orig && cmp sub/s.json s.orig && cmp c.yaml c.orig && cmp .env env.orig && rm .env && ls r.db
  ls: cannot access 'r.db': No such file or directory
  [2]

--rejects naming the store or one of its files: refused, every source still there.

  $ printf 'a,b\n1,2\n' > other.csv && sluice --db p.db load other.csv
  other: load 1 committed: 1 rows (1 valid) from other.csv in 0.0 s, quality 1.00 excellent
  $ sluice --db p.db load d.csv --rejects p.db --rejects-format ndjson 2>&1 | head -n 1
  sluice: load: --rejects p.db: is the store; sluice will not overwrite it (choose another file)
  $ sluice --db sqlite:p.db load d.csv --rejects ./p.db-wal --rejects-format ndjson 2>&1 | head -n 1
  sluice: load: --rejects ./p.db-wal: is a file of the store; sluice will not overwrite it (choose another file)
  $ sluice --db p.db load d.csv --rejects p.db-journal --rejects-format ndjson 2>&1 | head -n 1
  sluice: load: --rejects p.db-journal: is a file of the store; sluice will not overwrite it (choose another file)
  $ sluice --db p.db load d.csv --rejects p.db-shm --rejects-format ndjson 2>&1 | head -n 1
  sluice: load: --rejects p.db-shm: is a file of the store; sluice will not overwrite it (choose another file)
  $ sluice --db p.db quality other --out p.db
  sluice: quality: --out p.db: is the store; sluice will not overwrite it (choose another file)
  [2]
  $ sluice --db p.db versions other | cut -c1-40
  load  status    active mode          row
  1     committed yes    append           
  $ sqlite3 p.db 'select name from sluice_sources; select count(*) from sluice_loads'
  other
  1

Never through a symbolic link (its target is left alone), also for a link to the store.

  $ echo precious > target.txt && ln -s target.txt link.csv && ln -s p.db link.ndjson
  $ sluice --db p.db load d.csv --rejects link.csv
  sluice: load: --rejects link.csv: is a symbolic link; sluice does not write through one (name the file itself)
  usage: sluice load FILE... [--source NAME] [--schema FILE] [--format F] [--primary-key A,B] [--timestamp FIELD] [--force] [--min-score S] [--rejects FILE] [--output text|json]
  [2]
  $ sluice --db p.db load d.csv --rejects link.ndjson 2>&1 | head -n 1
  sluice: load: --rejects link.ndjson: is a symbolic link; sluice does not write through one (name the file itself)
  $ sluice --db p.db quality other --out link.csv
  sluice: quality: --out link.csv: is a symbolic link; sluice does not write through one (name the file itself)
  [2]
  $ cat target.txt && sluice --db p.db versions d
  precious
  sluice: no loads of source 'd' in p.db
  [2]

A rejects file that is fine is written under a temporary name and renamed at the end: an old
file is replaced whole (keeping its permissions), and no temporary file is left behind.

  $ echo old > rj.csv && chmod 600 rj.csv && sluice --db p.db load d.csv --rejects rj.csv --quiet
  [1]
  $ cat rj.csv && stat -c %a rj.csv && ls -a | grep -c sluice-
  _input,_row,_line,_offset,_errors,id,v
  d.csv,2,3,9,"extra-cell: the row has 3 cells, the header 2: extra cell in column 3",2,b
  600
  0
  [1]
  $ sluice --db p.db quality d --out report.txt && head -n 1 report.txt && stat -c %a report.txt
  sluice: wrote report.txt
  d: load 2, committed, from d.csv
  644

In sluice.yaml: a source's rejects: file and the OpenLineage events file are checked the same
way, before anything is loaded.

  $ mkdir proj && cp d.csv proj/ && cd proj && printf 'store: sqlite:y.db\nsources:\n  d:\n    input: d.csv\n    rejects: d.csv\n' > sluice.yaml && sluice --db y.db run
  sluice: d: --rejects d.csv: is an input of this run; sluice will not overwrite it (choose another file)
  [2]
  $ cd proj && printf 'store: sqlite:y.db\nlineage:\n  openlineage:\n    file: y.db\nsources:\n  d:\n    input: d.csv\n' > sluice.yaml && sluice --db y.db run
  sluice: lineage.openlineage.file y.db: is the store; sluice will not overwrite it (choose another file)
  [2]
  $ cd proj && ln -s ../target.txt ev.jsonl && printf 'store: sqlite:y.db\nlineage:\n  openlineage:\n    file: ev.jsonl\nsources:\n  d:\n    input: d.csv\n' > sluice.yaml && sluice --db y.db run
  sluice: lineage.openlineage.file ev.jsonl: is a symbolic link; sluice does not write through one (name the file itself)
  [2]
  $ cd proj && ls && cat ../target.txt && cat ev.jsonl
  d.csv
  ev.jsonl
  sluice.yaml
  precious
  precious

A directory input loads its regular files, and the symbolic links whose target is in the same
directory; a link out of it (to /etc/passwd) is not followed, and the run says so. A glob does
the same; a link named on the command line is loaded.

  $ mkdir drop && cp d.csv drop/a.csv && ln -s /etc/passwd drop/passwd.csv && ln -s a.csv drop/b.csv && ln -s ../other.csv drop/c.csv
  $ printf 'sources:\n  drop:\n    input: drop\n' > drop.yaml && sluice --config drop.yaml --db z.db run 2>&1 >/dev/null
  sluice: warning: drop/c.csv: not loaded: a symbolic link out of its directory (name it to load it)
  sluice: warning: drop/passwd.csv: not loaded: a symbolic link out of its directory (name it to load it)
  [1]
  $ sluice --db z.db versions drop --all --output json | grep -o '"load":[0-9]*,"status":"[a-z]*"\|"input":"[^"]*"'
  "load":1,"status":"committed"
  "input":"drop/a.csv"
  "load":2,"status":"skipped"
  "input":"drop/b.csv"
  $ sluice --db z.db load --source g 'drop/*.csv' 2>&1 >/dev/null
  sluice: warning: drop/c.csv: not loaded: a symbolic link out of its directory (name it to load it)
  sluice: warning: drop/passwd.csv: not loaded: a symbolic link out of its directory (name it to load it)
  [1]
  $ sluice --db z.db load drop/c.csv --source linked
  linked: load 5 committed: 1 rows (1 valid) from drop/c.csv in 0.0 s, quality 1.00 excellent

A wildcard in a directory of the glob does not follow a linked directory out of the glob's
folder either (drop2/sub is a link to ../outside); a linked directory inside it is followed.

  $ mkdir -p drop2/real outside && printf 'a\n1\n' > outside/secret.csv && printf 'a\n2\n' > drop2/real/ok.csv && ln -s ../outside drop2/sub && ln -s real drop2/inner
  $ sluice --db w.db load --source w 'drop2/*/*.csv'
  sluice: warning: drop2/sub/secret.csv: not loaded: a symbolic link out of its directory (name it to load it)
  w: load 1 committed: 1 rows (1 valid) from drop2/inner/ok.csv in 0.0 s, quality 1.00 excellent
  w: skipped: same input already loaded as load 1 (drop2/real/ok.csv)
