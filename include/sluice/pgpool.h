/*
 * A bounded pool of PostgreSQL connections, shared by the pipeline and (later) the server.
 *
 * Connecting retries with exponential backoff and jitter (connection refused at start, a server
 * restarting); every connection gets the pool's statement_timeout and the UTC time zone. The
 * counters are what a server turns into metrics.
 */
#ifndef SLUICE_PGPOOL_H
#define SLUICE_PGPOOL_H

#include <stdint.h>

#include "sluice/core.h"

struct pg_conn; /* libpq's PGconn */

struct sl_pg_pool_opts {
    int size;                 /* most connections open at once (default 4) */
    int connect_retries;      /* further attempts after a failed connect (default 5) */
    int backoff_ms;           /* first wait between attempts, doubled each time (default 200) */
    int backoff_max_ms;       /* longest wait (default 5000) */
    int statement_timeout_ms; /* 0: none */
    int acquire_timeout_ms;   /* how long acquire waits for a free connection (default 30000) */
};

struct sl_pg_pool_stats {
    int64_t size;     /* the bound */
    int64_t open;     /* connections open (idle + in use) */
    int64_t in_use;   /* connections handed out */
    int64_t waits;    /* acquires that had to wait for a free connection */
    int64_t connects; /* successful connects */
    int64_t retries;  /* connect attempts after a failed one */
    int64_t failures; /* connects that failed for good, and connections found broken */
};

struct sl_pg_pool;

/* conninfo: a libpq connection string or URI (sluice's own query parameters removed). */
struct sl_pg_pool *sl_pg_pool_new(const char *conninfo, const struct sl_pg_pool_opts *o);
void sl_pg_pool_free(struct sl_pg_pool *p);
/* A connection, connecting (with retries) when no idle one is there; NULL and err on failure
 * (SL_EDB, the message names the server's answer). */
struct pg_conn *sl_pg_pool_acquire(struct sl_pg_pool *p, struct sl_error *err);
/* The same for a connection that helps but is not needed: no wait for a free one, and one
 * attempt to connect (a server out of connections is not asked again with backoff). */
struct pg_conn *sl_pg_pool_try_acquire(struct sl_pg_pool *p, struct sl_error *err);
/* Gives a connection back; broken (or a connection libpq sees as bad) closes it. */
void sl_pg_pool_release(struct sl_pg_pool *p, struct pg_conn *c, int broken);
void sl_pg_pool_stats(struct sl_pg_pool *p, struct sl_pg_pool_stats *out);

/* The pool of a PostgreSQL store (0), or -1 when db is another store's. */
struct sl_db;
int sl_store_pg_pool_stats(struct sl_db *db, struct sl_pg_pool_stats *out);

#endif
