Source names are unique ignoring case, in every store: SQLite's table names ignore case, so
`orders` and `Orders` would share one table (a rebuild of one would delete the other's rows).
A second source whose name differs from an existing one only by case is refused (exit 2) with
the existing name, before anything is read; it is not mapped onto the existing source, because
a file that happens to be called `Orders.csv` may hold other data than `orders`: to add it to
`orders`, say so with --source.

  $ cp orders_1.csv orders.csv && cp orders_2.csv Orders.csv && cp orders_3.csv ORDERS.csv
  $ sluice load orders.csv
  orders: load 1 committed: 2 rows (2 valid) from orders.csv in 0.0 s, quality 1.00 excellent
  $ sluice load Orders.csv
  sluice: error: Orders: load failed: source 'Orders': the store has a source 'orders' already; source names may not differ only by case (SQLite's table names ignore it): load into it with --source orders, or choose another name
  [2]
  $ sluice load ORDERS.csv --source oRdErS
  sluice: error: oRdErS: load failed: source 'oRdErS': the store has a source 'orders' already; source names may not differ only by case (SQLite's table names ignore it): load into it with --source orders, or choose another name
  [2]
  $ sluice load Orders.csv --source orders
  orders: load 4 committed: 2 rows (2 valid) from Orders.csv in 0.0 s, quality 1.00 excellent
    appended to existing source orders (now 4 rows)
  $ sluice versions orders | cut -c1-40
  load  status    active mode          row
  1     committed yes    append           
  4     committed yes    append           
  $ sluice lineage
  orders (silver)
    <- bronze[._]orders \(bronze\) (re)
       <- load 1 [active, append, schema v1, 2 rows] <- orders.csv (a4328aca7227)
       <- load 4 [active, append, schema v1, 2 rows] <- Orders.csv (e4cbc5ec7f7a)

In sluice.yaml, two sources whose names differ only by case are a config error.

  $ printf 'sources:\n  orders:\n    input: orders.csv\n  Orders:\n    input: Orders.csv\n' > twice.yaml && sluice --config twice.yaml run
  sluice: twice.yaml:4: sources.Orders: source names may not differ only by case (sources.orders is on line 2)
  [2]
