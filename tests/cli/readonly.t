Read commands (versions, history, quality, lineage, schema, diff, check against the store)
never write: SQLite opens the store read-only, PostgreSQL's session is read-only, and nothing
is created or migrated. A store that does not exist is a message, not a new empty file; a file
or database that is not a sluice store is reported as such (exit 2) and left as it is.

With no store yet (here sluice.db, or the fresh PostgreSQL database of the PostgreSQL run):

  $ sluice versions people
  sluice: (no database at sluice.db \(nothing was loaded there yet\)|postgresql:///golden_[0-9_]+ is not a sluice store \(the database has no sluice catalog\); it was left as it is) (re)
  [2]
  $ sluice lineage
  sluice: (no database at sluice.db \(nothing was loaded there yet\)|postgresql:///golden_[0-9_]+ is not a sluice store \(the database has no sluice catalog\); it was left as it is) (re)
  [2]
  $ ls sluice.db
  ls: cannot access 'sluice.db': No such file or directory
  [2]

Commands that change the versions of an existing source (rollback, activate, deactivate,
rebuild) need a sluice store too: they do not create a catalog where there is none.

  $ sluice rebuild people
  sluice: (no database at sluice.db \(nothing was loaded there yet\)|postgresql:///golden_[0-9_]+ is not a sluice store \(the database has no sluice catalog\); it was left as it is) (re)
  [2]
  $ sluice rollback people --to 1
  sluice: (no database at sluice.db \(nothing was loaded there yet\)|postgresql:///golden_[0-9_]+ is not a sluice store \(the database has no sluice catalog\); it was left as it is) (re)
  [2]
  $ sluice migrate status | tail -n 1
  database at version 0; this sluice knows up to 4

Another application's SQLite database: every read command says it is not a sluice store, and
the file is byte for byte the same afterwards, with no sluice_* table in it.

  $ cp other_app.sqlite app.db && sha256sum app.db > app.sum
  $ for c in 'versions t' 'history' 'quality t' 'lineage' 'lineage t' 'schema t' 'diff t 1 2'; do sluice --db app.db $c; echo "exit $?"; done
  sluice: app.db is not a sluice store (a SQLite database without sluice's catalog); it was left as it is
  exit 2
  sluice: app.db is not a sluice store (a SQLite database without sluice's catalog); it was left as it is
  exit 2
  sluice: app.db is not a sluice store (a SQLite database without sluice's catalog); it was left as it is
  exit 2
  sluice: app.db is not a sluice store (a SQLite database without sluice's catalog); it was left as it is
  exit 2
  sluice: app.db is not a sluice store (a SQLite database without sluice's catalog); it was left as it is
  exit 2
  sluice: app.db is not a sluice store (a SQLite database without sluice's catalog); it was left as it is
  exit 2
  sluice: app.db is not a sluice store (a SQLite database without sluice's catalog); it was left as it is
  exit 2

check uses a store to compare against (unique keys, foreign keys); one without sluice's
catalog has no sources, so the file is checked alone, as with no store:

  $ sluice --db app.db check people.csv
  people.csv: 3 rows, 3 valid, 0 with warnings, 0 invalid
  $ sha256sum -c app.sum && ls app.db*
  app.db: OK
  app.db
  $ sqlite3 app.db .tables
  t

Nor do the commands that change a source's versions, or `migrate status` (which leaves the
file's journal mode as it is):

  $ for c in 'rollback t --to 1' 'activate t 1' 'deactivate t 1' 'rebuild t'; do sluice --db app.db $c; echo "exit $?"; done
  sluice: app.db is not a sluice store (a SQLite database without sluice's catalog); it was left as it is
  exit 2
  sluice: app.db is not a sluice store (a SQLite database without sluice's catalog); it was left as it is
  exit 2
  sluice: app.db is not a sluice store (a SQLite database without sluice's catalog); it was left as it is
  exit 2
  sluice: app.db is not a sluice store (a SQLite database without sluice's catalog); it was left as it is
  exit 2
  $ sluice --db app.db migrate status | tail -n 1 && sha256sum -c app.sum && ls app.db*
  database at version 0; this sluice knows up to 4
  app.db: OK
  app.db

A file that is not a SQLite database at all, and an empty file:

  $ echo 'hello' > notes.db && sluice --db notes.db versions x
  sluice: notes.db is not a sluice store (not a SQLite database); it was left as it is
  [2]
  $ : > empty.db && sluice --db empty.db history && ls -s empty.db
  sluice: empty.db is not a sluice store (a SQLite database without sluice's catalog); it was left as it is
  [2]
  $ cat notes.db && ls -s empty.db
  hello
  0 empty.db

A sluice store whose catalog is older than this sluice is read after `sluice migrate up` (or a
load); a read command does not migrate it.

  $ sluice --db s.db load people.csv --quiet && sluice --db s.db migrate down 2 | tail -n 1
  database at version 2; this sluice knows up to 4
  $ sluice --db s.db versions people
  sluice: s.db: the catalog was written by an older sluice (2 migrations to apply); `sluice migrate up` (or a load) brings it up to date
  [2]
  $ sluice --db s.db migrate up | tail -n 1 && sluice --db s.db versions people | cut -c1-30
  database at version 4; this sluice knows up to 4
  load  status    active mode   
  1     committed yes    -      
