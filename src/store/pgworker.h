/*
 * A second PostgreSQL connection that runs statements and COPYs in its own thread, in the order
 * they were queued, so that the server works on two tables at once (a load's new bronze
 * partitions beside silver). Internal to src/store/.
 *
 * The queue is bounded: queueing blocks while it is full. The first statement that fails stops
 * the worker; every later call returns that error. A worker holds one transaction at most: the
 * caller queues BEGIN and COMMIT like any other statement.
 */
#ifndef SLUICE_STORE_PGWORKER_H
#define SLUICE_STORE_PGWORKER_H

#include <libpq-fe.h>

#include "sluice/core.h"

struct sl__pgw;

/* Starts a worker on c (which it uses until sl__pgw_stop); where names the server in errors. */
struct sl__pgw *sl__pgw_start(PGconn *c, const char *where);

/* Queues sql ("doing" names it in an error). */
int sl__pgw_exec(struct sl__pgw *w, const char *sql, const char *doing, struct sl_error *err);

/* Queues COPY sql FROM STDIN with data; takes data's contents and leaves an empty buffer in it
 * (a recycled one, with its memory). */
int sl__pgw_copy(struct sl__pgw *w, const char *sql, struct sl_buf *data, const char *doing,
                 struct sl_error *err);

/* Waits until everything queued has run; 0, or the first error. */
int sl__pgw_wait(struct sl__pgw *w, struct sl_error *err);

/* Stops the worker (what is still queued is dropped; cancel: what runs is cancelled too) and
 * gives its connection back. */
PGconn *sl__pgw_stop(struct sl__pgw *w, int cancel);

/* "WHERE: DOING: the server's message" in err, as every PostgreSQL error of the store reads; a
 * lost connection says so. r may be NULL (the message is then the connection's). */
int sl__pg_error(PGconn *c, const char *where, PGresult *r, const char *doing,
                 struct sl_error *err);

#endif
