Inputs that are easy to mis-read (issue 14): archives and binary files, single-column files,
JSON in files named otherwise, headers aligned with spaces, timestamps that are not dates, the
same data compressed, and a reader that stops early.

Archives, documents, images, executables, databases and other binary files are recognized by
their bytes (under gzip or zstd too), whatever their name or --format, and refused before
anything is written:

  $ mkdir -p pkg/package && echo 'MIT Licence' > pkg/package/LICENSE && tar -C pkg -czf npm.tgz package && sluice load npm.tgz
  sluice: error: npm: load failed: npm.tgz: a tar archive (gzip-compressed), not CSV or JSON data; extract it first (tar -xf) and load the files it holds
  [3]
  $ sluice load people.csv && sluice load npm.tgz --source people --format csv
  people: load 2 committed: 3 rows (3 valid) from people.csv in 0.0 s, quality 1.00 excellent
  sluice: error: people: load failed: npm.tgz: a tar archive (gzip-compressed), not CSV or JSON data; extract it first (tar -xf) and load the files it holds
  [3]
  $ sqlite3 sluice.db "select count(*) from sqlite_master where name = 'npm'"
  0
  $ sqlite3 sluice.db "select group_concat(name) from pragma_table_info('people')"
  id,name,email,age,joined,active,score,_load,_row
  $ printf '%%PDF-1.4\n' > report.csv && sluice cat report.csv
  sluice: report.csv: a PDF document, not CSV or JSON data
  [3]
  $ printf 'id,name\n1,Ada\n' | iconv -t UTF-16LE > u16.csv && sluice infer u16.csv
  sluice: u16.csv: text in UTF-16LE without a byte order mark, not CSV or JSON data; convert it to UTF-8 first (iconv -f UTF-16LE -t UTF-8)
  [3]
