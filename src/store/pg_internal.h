/*
 * The PostgreSQL store's own pieces, shared by its files (internal to src/store/):
 *   postgres.c   connections, catalog dialect, DDL, loads, changes, migrations (the store)
 *   pg_copy.c    the COPY encoders: bronze rows and silver rows in COPY's binary format, silver
 *                in its text format when a value cannot be said in binary, what jsonb and text
 *                can hold, source timestamps as timestamptz and their partition month
 *   pg_lookup.c  lookups in silver (unique against earlier loads, foreign keys) with their
 *                column types, prepared statements and the memo of answers
 * pgworker.c (pgworker.h) is the second connection that writes a load's new bronze partitions.
 */
#ifndef SLUICE_STORE_PG_INTERNAL_H
#define SLUICE_STORE_PG_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "sluice/core.h"
#include "sluice/pgpool.h"
#include "sluice/store.h"

#define PG_EPOCH_DAYS 10957 /* 2000-01-01, PostgreSQL's epoch, in days since 1970-01-01 */

struct pg_db {
    struct sl_db base;
    struct sl_pg_pool *pool;
    PGconn *c;
    char *where;   /* the URL without password and parameters, for messages */
    char *silver;  /* schema of silver tables */
    char *locked;  /* the source whose advisory lock this session holds, or NULL */
    int gin;       /* new bronze tables get a GIN index on raw_data (bronze_gin, default on) */
    int parallel;  /* a second connection writes a load's new bronze partitions (default on) */
    int read_only; /* SL_STORE_OPEN_READ_ONLY: a read-only session, nothing created */
    struct pg_load *open_load;
    /* silver_lookup: column types of looked-up tables (reset when a load or change starts or
     * ends) and the statements used meanwhile (each made its index once) */
    struct lookup_table {
        char *source;
        int exists;
        int n;
        char **names, **types;
    } ltables[4];
    unsigned nltables;
    struct {
        char *sql; /* statements used since the load began (each made its index once) */
    } lstmts[8];
    unsigned nlstmts;
    /* lookups in other sources than the open load's: prepared statements, per connection */
    struct {
        char *sql;
        char name[24];
    } pstmts[8];
    unsigned npstmts;
    PGconn *pconn;
    /* answers of lookups in other sources than the open load's (their silver does not change
     * while it is open): statement and parameters → found, bounded, emptied when full */
    struct lookup_memo {
        uint64_t hash;
        char *key; /* NULL: a free slot */
        size_t len;
        uint8_t found;
    } * memo;
    size_t nmemo;
};

/* A load's state while its transaction is open (sl_load.priv). */
/* A bronze partition a load writes to. One that this load creates is a standalone table until
 * the load commits: its rows go in without indexes, which are built once at the end (sorted
 * builds), and it is then attached to bronze.NAME, its CHECK constraint sparing the scan.
 * Measured on 1M rows: COPY with identity and both B-trees maintained 17.9 s, plain 7.0 s; on
 * 3M rows a GIN index took 6.1 s more as a pending list filled during COPY, 3.8 s built after.
 *
 * New partitions are written by a second connection (the worker, pgworker.h) while this one
 * writes silver, so that the server parses bronze's JSONB and stores silver at the same time.
 * The worker commits its tables before the load commits; the load makes them part of bronze
 * (ATTACH) in its own transaction, so bronze.NAME shows them with the load or not at all. A
 * load that fails after the worker committed leaves standalone tables behind: it drops them,
 * and so does the next load of the source if it could not (orphans, begin). */
struct part {
    char key[8]; /* "2026-01", or "" for the default partition */
    int is_new;
    int on_worker;      /* created and written by the worker */
    struct sl_buf copy; /* this batch's rows for it */
};

struct pg_load {
    int ts_field; /* schema field of the source timestamp, -1 if none */
    int keyed;
    struct part *parts; /* bronze partitions this load writes to */
    size_t nparts, capparts;
    int bronze_new;         /* bronze.NAME is created by this load (the worker cannot see it) */
    struct sl__pgw *worker; /* writes the new partitions, or NULL */
    int no_worker;          /* connecting one failed: this load writes all on its connection */
    int worker_committed;   /* the worker's tables are committed, standalone */
    int64_t replaced;       /* silver values with U+FFFD for what PostgreSQL cannot hold */
    struct sl_buf fix;      /* such a value */
    const char *source;
    struct sl_buf copy_bronze, copy_silver, sql_silver, sql_silver_bin, sql_upsert, err;
    size_t nfields;
    int *types; /* silver column types (enum sl_type) */
};

/*
 * PostgreSQL's limits for one value: a varlena (text, bytea) is at most 1 GB less its 4-byte
 * header (MaxAllocSize, 2^30 - 1, less a few bytes COPY's buffer needs), and jsonb's offsets
 * and lengths have 28 bits (JENTRY_OFFLENMASK: "total size of jsonb array elements exceeds the
 * maximum of 268435455 bytes", "string too long to represent as jsonb string").
 */
#define PG_VALUE_MAX ((int64_t)(1 << 30) - 16)
#define PG_JSONB_MAX ((int64_t)0x0FFFFFFF)

/* the value of hex digit c */
static inline int unhex(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10;
}

static inline uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

/* ---- postgres.c ------------------------------------------------------------------------------ */

/* Runs sql with text parameters; *out gets the result when rows are wanted. */
int sl__pg_q(struct pg_db *d, const char *sql, int n, const char *const *params, PGresult **out,
             const char *doing, struct sl_error *err);
int sl__pg_exec(struct pg_db *d, const char *sql, const char *doing, struct sl_error *err);
char *sl__pg_get_str(PGresult *r, int row, int col);
/* "silver schema"."source" */
void sl__pg_silver_ident(struct pg_db *d, struct sl_buf *b, const char *source);
/* Between loads a lost connection is replaced (the pool retries with backoff); inside a
 * load's transaction it is not: that load fails. */
int sl__pg_ensure_conn(struct pg_db *d, struct sl_error *err);

/* ---- pg_copy.c ------------------------------------------------------------------------------- */

#define BRONZE_COLUMNS                                                                            \
    "(raw_id, load_id, row_num, line, byte_offset, source_timestamp, validation_status, errors, " \
    "raw_data, raw_bytes)"

/* Can PostgreSQL's jsonb hold this JSON text (no \u0000, no lone surrogate)? */
int sl__pg_jsonb_safe(const char *p, size_t n);
/* jsonb's size of valid JSON text p[0..n), at least the real one; -1 when jsonb cannot hold a
 * number of it (sl_store_limits.json_size). */
int64_t sl__pg_jsonb_size(const char *p, size_t n);
/* A source timestamp as PostgreSQL's timestamptz (microseconds since 2000-01-01 UTC) and the
 * UTC month "YYYY-MM" of its partition; -1 when it is not one (years 1 to 9999). */
int sl__pg_ts_utc(const char *p, size_t n, int64_t *pg_usec, char month[8]);
/* hh:mm[:ss[.ffffff]] as microseconds since midnight, or -1 */
int64_t sl__pg_time_usec(const char *p, size_t n);
/* The header and the trailer of COPY's binary format. */
void sl__pg_copy_bin_header(struct sl_buf *b);
void sl__pg_copy_bin_end(struct sl_buf *b);
/* One bronze row in COPY's binary format, BRONZE_COLUMNS; the key of its partition is not ""
 * when it has the timestamp ts. */
void sl__pg_bronze_row(struct pg_load *L, struct sl_buf *b, int64_t load_id, const struct sl_row *r,
                       const char *key, int64_t ts);
/* One silver row (its fields, load_id, row_num) in COPY's binary format; -1 when a value cannot
 * be said in binary (the batch then goes as text). Values PostgreSQL cannot hold are replaced
 * and counted in *replaced. */
int sl__pg_silver_bin_row(struct pg_load *L, struct sl_buf *b, const struct sl_row *r,
                          int64_t load_id, int64_t *replaced);
/* The same row in COPY's text format. */
void sl__pg_silver_text_row(struct pg_load *L, struct sl_buf *b, const struct sl_row *r,
                            int64_t load_id, int64_t *replaced);

/* ---- pg_lookup.c ----------------------------------------------------------------------------- */

/* sl_store.silver_lookup */
int sl__pg_silver_lookup(struct sl_db *db, const char *source, const char *const *cols, size_t n,
                         const struct sl_value *const *vals, const char *const *excl,
                         const struct sl_value *const *exvals, size_t nexcl, int index,
                         uint8_t *found, struct sl_error *err);
/* Forgets the looked-up tables, the statements used and the memo (a load or change starts or
 * ends). */
void sl__pg_lookup_reset(struct pg_db *d);
/* Frees everything of the lookups (the store closes). */
void sl__pg_lookup_free(struct pg_db *d);

#endif
