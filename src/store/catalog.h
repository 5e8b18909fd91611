/*
 * The catalog's statements and row mappings, written once for every store, as libuv's
 * uv-common.c serves every platform. A store describes its SQL dialect and how it runs one
 * statement (struct sl__dialect); catalog.c holds every statement on the catalog tables (sources,
 * runs, loads, version events) and maps their rows to sluice's structs. What really differs stays
 * in the stores: connections and transactions, DDL, bronze and silver, bulk paths, locks. The
 * few SQL pieces both stores write for bronze and silver are at the end. Internal to src/store/.
 *
 * catalog.c writes SQL in one notation that sl__cat_sql turns into the dialect's:
 *   @name     a catalog table: sluice.name (PostgreSQL's schema sluice), sluice_name (SQLite)
 *   $N        the N-th parameter: $N (PostgreSQL), ?N (SQLite)
 *   ::type    a cast PostgreSQL needs to type a parameter; dropped for SQLite
 *   @bytewise ORDER BY text byte by byte: COLLATE "C" (PostgreSQL), nothing (SQLite's BINARY)
 * Messages name catalog tables the same way ("reading @sources"). The words are translated
 * everywhere, quoted literals included ('@loads' names the table to pg_get_serial_sequence).
 */
#ifndef SLUICE_STORE_CATALOG_H
#define SLUICE_STORE_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "sluice/core.h"
#include "sluice/store.h"

/* A statement parameter. Text is not copied: it lives until the statement has run. */
enum { SL__P_NULL = 0, SL__P_TEXT, SL__P_INT, SL__P_REAL };
struct sl__param {
    int type;
    const char *s;
    int64_t i;
    double f;
};
/* s, or NULL when s is NULL */
static inline struct sl__param sl__p_text(const char *s)
{
    struct sl__param p = {s ? SL__P_TEXT : SL__P_NULL, s, 0, 0};
    return p;
}
/* s, or NULL when s is NULL or empty */
static inline struct sl__param sl__p_text_nz(const char *s)
{
    return sl__p_text(s && *s ? s : NULL);
}
static inline struct sl__param sl__p_int(int64_t v)
{
    struct sl__param p = {SL__P_INT, NULL, v, 0};
    return p;
}
/* an id: v, or NULL when v <= 0 */
static inline struct sl__param sl__p_id(int64_t v)
{
    struct sl__param p = {v > 0 ? SL__P_INT : SL__P_NULL, NULL, v, 0};
    return p;
}
static inline struct sl__param sl__p_real(double v)
{
    struct sl__param p = {SL__P_REAL, NULL, 0, v};
    return p;
}

/* One result row of the store's (its statement or result and the row number). */
struct sl__row {
    void *res;
    int i;
};
typedef int (*sl__row_fn)(void *ctx, const struct sl__row *r, struct sl_error *err);

struct sl__dialect {
    const char *tables;   /* what @name becomes: "sluice." or "sluice_" */
    char param;           /* '$' or '?' */
    int casts;            /* keep ::type casts */
    const char *bytewise; /* what @bytewise becomes */
    /* sluice_loads.load when a load is recorded, given the load's id as $31 (NULL when it has
     * none yet): NULL to let the database number it. A load whose transaction was rolled back
     * and that is recorded again keeps its id this way where the database would not. */
    const char *load_id;
    /* Runs sql (in this dialect) with parameters p[0..n); row (may be NULL) is called for
     * each result row, and its error stops the statement. *changes (may be NULL): rows the
     * statement changed. Errors are SL_EDB naming the store and `doing`. */
    int (*run)(struct sl_db *db, const char *sql, const struct sl__param *p, int n, sl__row_fn row,
               void *ctx, int64_t *changes, const char *doing, struct sl_error *err);
    /* Column col of a row: text (NULL for NULL; valid during the row callback), integer (null
     * for NULL), number (0 for NULL). */
    const char *(*text)(const struct sl__row *r, int col);
    int64_t (*i64)(const struct sl__row *r, int col, int64_t null);
    double (*f64)(const struct sl__row *r, int col);
    /* the store in messages: its path or URL without password */
    const char *(*where)(struct sl_db *db);
    /* (may be NULL) called first by the methods that may run without a load (runs, lists):
     * e.g. a connection from the pool */
    int (*ready)(struct sl_db *db, struct sl_error *err);
};

/* The notation above in the dialect's words, appended to out. */
void sl__cat_sql(const struct sl__dialect *dl, const char *sql, struct sl_buf *out);

/* The store methods of the same names (sluice/store.h), in db->store->catalog's dialect. A store
 * points its method table at these, or calls them once it has done what is its own (a lock). */
int sl__cat_source_state(struct sl_db *db, const char *source, struct sl_source_state *out,
                         struct sl_error *err);
int sl__cat_find_input(struct sl_db *db, const char *source, const char *sha256,
                       const char *content_sha256, int64_t *load, struct sl_error *err);
int sl__cat_has_input_size(struct sl_db *db, const char *source, int64_t size,
                           struct sl_error *err);
int sl__cat_begin_run(struct sl_db *db, const char *command, int64_t *run, struct sl_error *err);
int sl__cat_end_run(struct sl_db *db, int64_t run, const char *status, int64_t loads,
                    struct sl_error *err);
int sl__cat_list_loads(struct sl_db *db, const char *source, struct sl_load_info **out, size_t *n,
                       struct sl_error *err);
int sl__cat_list_sources(struct sl_db *db, char ***names, size_t *n, struct sl_error *err);
int sl__cat_list_events(struct sl_db *db, const char *source, struct sl_version_event **out,
                        size_t *n, struct sl_error *err);
/* change->priv is the store's state of the open change (NULL: none, an error). */
int sl__cat_set_active(struct sl_db *db, struct sl_load *change, int64_t load, int active,
                       const struct sl_version_event *ev, struct sl_error *err);

/* For the stores' loads: */
/* What every store checks before it begins a load or a change (what: "load" or "change"): no
 * load open on the connection already (busy), a valid source name, a schema. */
int sl__cat_begin_check(struct sl_db *db, int busy, const struct sl_load *l, const char *what,
                        struct sl_error *err);
/* Inside a load's transaction: another source whose name differs from source only by case is
 * an error (sl_source_case_error). */
int sl__cat_case_conflict(struct sl_db *db, const char *source, struct sl_error *err);
/* The source's catalog row, created or given the load's schema and timestamp field. bronze:
 * the name of its bronze table as the store records it. now: ISO 8601. */
int sl__cat_upsert_source(struct sl_db *db, const struct sl_load *load, const char *bronze,
                          const char *schema_json, const char *now, struct sl_error *err);
/* The load's catalog row (status, active; a recorded load, active 0, is finished already):
 * sets load->id, and load->started (and finished) when they are not set. */
int sl__cat_insert_load(struct sl_db *db, struct sl_load *load, const char *status, int active,
                        const char *schema_json, struct sl_error *err);
/* At commit: the load's counts, figures and end (load->finished set when it is not).
 * message: what the row says (the load's message, maybe with the store's notes);
 * bronze_first, bronze_last: the bronze row ids the load wrote (0: not recorded). */
int sl__cat_finish_load(struct sl_db *db, struct sl_load *load, const char *message,
                        int64_t bronze_first, int64_t bronze_last, struct sl_error *err);

/* ---- SQL both stores write ---------------------------------------------------------------- */

/* Appends name as a double-quoted SQL identifier ("" inside doubles a quote). */
void sl__sql_ident(struct sl_buf *b, const char *name);
/* b = the JSON array of a row's issues, as bronze's errors column keeps them. */
void sl__issues_json(struct sl_buf *b, const struct sl_issue *i);
/* The names the stores call them by. */
static inline void sql_ident(struct sl_buf *b, const char *name)
{
    sl__sql_ident(b, name);
}
static inline void issues_json(struct sl_buf *b, const struct sl_issue *i)
{
    sl__issues_json(b, i);
}

#endif
