Terminal and log injection: names and values chosen by an input, a config, a file name or the
command line never reach the terminal raw. Control characters (a newline, ESC starting an ANSI
sequence, BEL, C1 controls) are shown escaped (\n, \x1b, \u009b) in every message and text
table; JSON output escapes them as JSON does (C0 controls; C1 controls are legal JSON text and stay
as they are, shown here through `cat -v`); column names never hold them (issue 13 item 12).

A header cell with a newline and ESC (it would move the cursor and colour the terminal red), one
that sets the window title, a C1 CSI (U+009B), and an empty one:

  $ printf '"id\nX\033[31mRED",name,"\033]0;title\007","a\302\233b",""\n1,a,b,c,d\n' > inj.csv
  $ sluice load inj.csv
  inj: load 1 committed: 1 rows (1 valid) from inj.csv in 0.0 s, quality 1.00 excellent
    column 1 renamed: "id\nX\x1b[31mRED" -> id X [31mRED
    column 3 renamed: "\x1b]0;title\x07" -> ]0;title
    column 4 renamed: "a\u009bb" -> a b
    column 5 renamed: "" -> field_5
  $ sluice load inj.csv --source inj2 --output json | grep -o '"renamed":.*\]' | cat -v
  "renamed":[{"from":"id\nX\u001b[31mRED","to":"id X [31mRED"},{"from":"\u001b]0;title\u0007","to":"]0;title"},{"from":"aM-BM-^[b","to":"a b"},{"from":"","to":"field_5"}]
  $ sluice infer inj.csv | head -6 | cat -v
  # Table Schema of inj.csv, inferred from all of it by sluice 0.1.0
  # read as: {"format":"csv","compression":"none","delimiter":",","quote":"\"","header":true,"bom":false,"newline":"lf","encoding":"utf-8"}
  # column 1 renamed: "id\nX\u001b[31mRED" -> id X [31mRED
  # column 3 renamed: "\u001b]0;title\u0007" -> ]0;title
  # column 4 renamed: "aM-BM-^[b" -> a b
  # column 5 renamed: "" -> field_5

Values in messages: a value that is not an integer, quoted in the error line of load and check.

  $ printf 'n\n1\n2\033[2J\n' > vals.csv && printf 'fields:\n- name: n\n  type: integer\n' > vals.yaml
  $ sluice check vals.csv --schema vals.yaml
  line 3 (record 2): type-error: n: '2\x1b[2J' is not of type integer
  vals.csv: 2 rows, 1 valid, 0 with warnings, 1 invalid
  [1]
  $ sluice load vals.csv --schema vals.yaml
  vals: load 3 committed: 2 rows (1 valid, 1 rejected) from vals.csv in 0.0 s, quality 0.75 poor (grade capped: 1 of 2 rows rejected)
    line 3 (record 2): type-error: n: '2\x1b[2J' is not of type integer
    rejected rows are kept in bronze[._]vals with status 'invalid' (re)
    recommendation: n: 1 of 2 values (50%) are not of type integer; fix them at the source, or declare the field with a wider type
  [1]

A file name with ESC: the load line, versions, lineage, quality; a glob that matches nothing.

  $ printf 'x,y\n1,2\n' > "$(printf 'evil\033[31m.csv')"
  $ sluice load "$(printf 'evil\033[31m.csv')" --source evil
  evil: load 4 committed: 1 rows (1 valid) from evil\x1b[31m.csv in 0.0 s, quality 1.00 excellent
  $ sluice versions evil | cut -c1-12,96-
  load  status           input
  4     commit00:00.000Z evil\x1b[31m.csv
  $ sluice lineage evil
  evil (silver)
    <- bronze[._]evil \(bronze\) (re)
       <- load 4 [active, append, schema v1, 1 rows] <- evil\x1b[31m.csv (81bf9fa83c6f)
  $ sluice lineage evil --output dot | grep note
    input_evil_1b_5b31m_2ecsv [shape=note, label="evil\\x1b[31m.csv"];
  $ sluice quality evil | head -1
  evil: load 4, committed, from evil\x1b[31m.csv
  $ sluice load "$(printf 'nope\033[31m*.csv')"
  sluice: error: no file matches nope\x1b[31m*.csv
  [3]

The command line: a rollback reason shown by history, an unknown format, a bad source name.

  $ sluice deactivate evil 4 --reason "$(printf 'why\033[2J')" && sluice history | cut -c1-40,76-
  evil: load 4 deactivated: 1 load changed; silver updated: 0 rows written, 1 removed
  event source           load  action                   reason
  1     evil             4     deactivate 12:00:00.000Z why\x1b[2J
  $ sluice load inj.csv --format "$(printf 'x\033[31m')"
  sluice: load: unknown format 'x\x1b[31m' (known: csv, tsv, ndjson, json)
  usage: sluice load FILE... [--source NAME] [--schema FILE] [--format F] [--primary-key A,B] [--timestamp FIELD] [--force] [--min-score S] [--rejects FILE] [--output text|json]
  [2]
  $ sluice load inj.csv --source "$(printf 'a\033[31m')"
  sluice: load: invalid source name "a\x1b[31m": a source name is 1 to 63 letters, digits or _, and does not start with sluice_, bronze_ or sqlite_
  usage: sluice load FILE... [--source NAME] [--schema FILE] [--format F] [--primary-key A,B] [--timestamp FIELD] [--force] [--min-score S] [--rejects FILE] [--output text|json]
  [2]

An option the command does not know is named in the message, escaped like any other text (getopt's
own message, which would print it raw, is off):

  $ sluice check inj.csv "$(printf -- '--x\033[2J')"
  sluice: check: unknown or incomplete option '--x\x1b[2J'
  usage: sluice check FILE [--source NAME] [--schema FILE] [--format F] [--max-errors N] [--rejects FILE] [--output text|json]
  [2]

An option missing its value at the end is named too (the input file before it is not taken as
its value):

  $ sluice load inj.csv --schema
  sluice: load: unknown or incomplete option '--schema'
  usage: sluice load FILE... [--source NAME] [--schema FILE] [--format F] [--primary-key A,B] [--timestamp FIELD] [--force] [--min-score S] [--rejects FILE] [--output text|json]
  [2]
