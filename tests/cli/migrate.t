sluice migrate: the catalog's own migrations, for operators (docs/cli.md). Every command brings
the catalog up to date when it opens the store; migrate shows and changes it explicitly. The
same file runs against SQLite and PostgreSQL.

  $ sluice migrate status
  version  name                 state    applied
  1        catalog              pending
  2        load transforms      pending
  3        versions             pending
  4        content checksum     pending
  database at version 0; this sluice knows up to 4
  $ sluice migrate up
  version  name                 state    applied
  1        catalog              applied  2026-11-23T12:00:00.000Z
  2        load transforms      applied  2026-11-23T12:00:00.000Z
  3        versions             applied  2026-11-23T12:00:00.000Z
  4        content checksum     applied  2026-11-23T12:00:00.000Z
  database at version 4; this sluice knows up to 4

Loading applies missing migrations by itself; down 0 removes the catalog (bronze and silver
stay), and the next command brings it back.

  $ sluice migrate down 0
  version  name                 state    applied
  1        catalog              pending
  2        load transforms      pending
  3        versions             pending
  4        content checksum     pending
  database at version 0; this sluice knows up to 4
  $ sluice load people.csv --quiet && sluice migrate status
  version  name                 state    applied
  1        catalog              applied  2026-11-23T12:00:00.000Z
  2        load transforms      applied  2026-11-23T12:00:00.000Z
  3        versions             applied  2026-11-23T12:00:00.000Z
  4        content checksum     applied  2026-11-23T12:00:00.000Z
  database at version 4; this sluice knows up to 4

Usage errors:

  $ sluice migrate
  sluice: migrate: expected status, up or down N
  usage: sluice migrate status|up|down N
  [2]
  $ sluice migrate down x
  sluice: migrate: down N: N is a version number (0 or more)
  usage: sluice migrate status|up|down N
  [2]
