/*
 * The PostgreSQL store: the catalog in schema sluice, bronze in schema bronze (one table per
 * source, range-partitioned by month of the source timestamp), silver as a typed table per
 * source in a configurable schema (public by default). docs/storage.md describes the layout.
 *
 * A load is one transaction on one connection from the pool. Rows go in with COPY ... FROM
 * STDIN, one COPY per table per batch; keyed sources COPY into a temporary staging table and
 * upsert from it with INSERT ... ON CONFLICT. The bronze partitions a load creates are written
 * by a second connection meanwhile and attached in the load's transaction (struct part). Loads of
 * one source are serialized with a session advisory lock taken when the load looks at the source's
 * state (so that a second process waits, then finds the input loaded) and released when the load
 * ends.
 *
 * Identifiers are always double-quoted; values always travel as parameters or COPY data.
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "sluice/pgpool.h"
#include "sluice/stream.h"
#include "sluice/store.h"
#include "sluice/time.h"
#include "catalog.h"
#include "migrations.h"
#include "pg_internal.h"
#include "pgworker.h"

/* pg_advisory_lock(LOCK_CLASS, hashtext(lower(source))): "slce" */
#define LOCK_CLASS   1936483173
#define LOCK_MIGRATE 1

/* ---- helpers -------------------------------------------------------------------------- */

static void bronze_ident(struct sl_buf *b, const char *source)
{
    sl_buf_adds(b, "bronze.");
    sql_ident(b, source);
}

/* SOURCE followed by suffix ("@2026-01", "_detail") as one name of at most 63 bytes, which is
 * all PostgreSQL keeps of a name: a longer one keeps the first bytes of the source and adds
 * "~" and 8 hex digits of a hash of the whole source, so that no two names become one (nor a
 * partition its table's name) when the server cuts them. */
static char *sub_name(const char *source, const char *suffix)
{
    size_t ns = strlen(source), nx = strlen(suffix);
    if (ns + nx <= 63) return sl_xasprintf("%s%s", source, suffix);
    return sl_xasprintf("%.*s~%08x%s", (int)(63 - 9 - nx), source,
                        (unsigned)(fnv1a(source, ns) & 0xffffffffu), suffix);
}

/* bronze."source@key": partitions, which cannot collide with a source name (no @ in those) */
static void bronze_sub_ident(struct sl_buf *b, const char *source, const char *key)
{
    char *at = sl_xasprintf("@%s", key), *name = sub_name(source, at);
    sl_buf_adds(b, "bronze.");
    sql_ident(b, name);
    free(name);
    free(at);
}

void sl__pg_silver_ident(struct pg_db *d, struct sl_buf *b, const char *source)
{
    sql_ident(b, d->silver);
    sl_buf_addc(b, '.');
    sql_ident(b, source);
}

static int pg_error(struct pg_db *d, PGresult *r, const char *doing, struct sl_error *err)
{
    return sl__pg_error(d->c, d->where, r, doing, err);
}

/* Runs sql with text parameters; *out gets the result when rows are wanted. */
int sl__pg_q(struct pg_db *d, const char *sql, int n, const char *const *params, PGresult **out,
             const char *doing, struct sl_error *err)
{
    PGresult *r = n ? PQexecParams(d->c, sql, n, NULL, params, NULL, NULL, 0) : PQexec(d->c, sql);
    ExecStatusType s = PQresultStatus(r);
    int rc = 0;

    if (out) *out = NULL;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
        rc = pg_error(d, r, doing, err);
        PQclear(r);
        return rc;
    }
    if (out)
        *out = r;
    else
        PQclear(r);
    return 0;
}

int sl__pg_exec(struct pg_db *d, const char *sql, const char *doing, struct sl_error *err)
{
    return sl__pg_q(d, sql, 0, NULL, NULL, doing, err);
}

char *sl__pg_get_str(PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : sl_xstrdup(PQgetvalue(r, row, col));
}

static int64_t get_i64(PGresult *r, int row, int col, int64_t null)
{
    return PQgetisnull(r, row, col) ? null : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

/* COPY sql FROM STDIN with data. */
static int copy_in(struct pg_db *d, const char *sql, const char *data, size_t len,
                   const char *doing, struct sl_error *err)
{
    PGresult *r = PQexec(d->c, sql);
    int rc = 0;

    if (PQresultStatus(r) != PGRES_COPY_IN) {
        rc = pg_error(d, r, doing, err);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    /* libpq sends large buffers in pieces itself */
    if ((len && PQputCopyData(d->c, data, (int)len) != 1) || PQputCopyEnd(d->c, NULL) != 1)
        rc = pg_error(d, NULL, doing, err);
    while ((r = PQgetResult(d->c))) {
        if (!rc && PQresultStatus(r) != PGRES_COMMAND_OK) rc = pg_error(d, r, doing, err);
        PQclear(r);
    }
    return rc;
}

/* ---- the catalog's dialect (catalog.h) ------------------------------------------------------ */

static int cat_run(struct sl_db *db, const char *sql, const struct sl__param *p, int n,
                   sl__row_fn row, void *ctx, int64_t *changes, const char *doing,
                   struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    char num[32][32];
    const char *v[32];
    PGresult *r;
    int rc;

    if (n > 32)
        return sl_error_set(err, SL_EINVAL, "%s: %s: more than 32 parameters", d->where, doing);
    for (int i = 0; i < n; i++) {
        v[i] = num[i];
        switch (p[i].type) {
        case SL__P_TEXT: v[i] = p[i].s; break;
        case SL__P_INT: snprintf(num[i], sizeof num[i], "%lld", (long long)p[i].i); break;
        case SL__P_REAL: snprintf(num[i], sizeof num[i], "%.17g", p[i].f); break;
        default: v[i] = NULL;
        }
    }
    if ((rc = sl__pg_q(d, sql, n, v, &r, doing, err))) return rc;
    for (int i = 0; row && rc == 0 && i < PQntuples(r); i++) {
        struct sl__row one = {r, i};
        rc = row(ctx, &one, err);
    }
    if (rc == 0 && changes) *changes = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return rc;
}

static const char *cat_text(const struct sl__row *r, int col)
{
    return PQgetisnull(r->res, r->i, col) ? NULL : PQgetvalue(r->res, r->i, col);
}

static int64_t cat_i64(const struct sl__row *r, int col, int64_t null)
{
    return get_i64(r->res, r->i, col, null);
}

static double cat_f64(const struct sl__row *r, int col)
{
    return PQgetisnull(r->res, r->i, col) ? 0 : strtod(PQgetvalue(r->res, r->i, col), NULL);
}

static const char *cat_where(struct sl_db *db)
{
    return ((struct pg_db *)db)->where;
}

/* ---- open / close ------------------------------------------------------------------------ */

static void pg_close(struct sl_db *db)
{
    struct pg_db *d = (struct pg_db *)db;
    if (!d) return;
    sl__pg_lookup_free(d);
    if (d->c) sl_pg_pool_release(d->pool, d->c, 0);
    sl_pg_pool_free(d->pool);
    free(d->where);
    free(d->silver);
    free(d->locked);
    free(d->base.url);
    free(d);
}

static int int_param(const char *url, const char *key, const char *v, int *out,
                     struct sl_error *err)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < 0 || n > 100000000)
        return sl_error_set(err, SL_ECONFIG, "%s: %s=%s: expected a number", url, key, v);
    *out = (int)n;
    return 0;
}

static int bool_param(const char *where, const char *key, const char *v, int *out,
                      struct sl_error *err)
{
    if (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "1"))
        *out = 1;
    else if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "0"))
        *out = 0;
    else
        return sl_error_set(err, SL_ECONFIG, "%s: %s=%s: expected on or off", where, key, v);
    return 0;
}

/* A query value with its %XX escapes decoded (as libpq decodes the values it reads); -1 when
 * one decodes to a NUL byte, which no name can hold. */
static int pct_decode(const char *v, char **out)
{
    struct sl_buf b = SL_BUF_INIT;
    for (; *v; v++) {
        if (*v == '%' && isxdigit((unsigned char)v[1]) && isxdigit((unsigned char)v[2])) {
            char hex[3] = {v[1], v[2], 0};
            char c = (char)strtol(hex, NULL, 16);
            if (!c) {
                sl_buf_free(&b);
                *out = NULL;
                return -1;
            }
            sl_buf_addc(&b, c);
            v += 2;
        } else {
            sl_buf_addc(&b, *v);
        }
    }
    *out = b.p ? sl_buf_detach(&b) : sl_xstrdup("");
    return 0;
}

/* silver_schema may not be a schema of the catalog (sluice, bronze) nor of the server
 * (pg_*, information_schema): silver tables there would be dropped and replaced by rebuild
 * and rollback. Compared without case, so that no spelling of these names is taken. */
static int silver_schema_check(const char *where, const char *v, struct sl_error *err)
{
    struct sl_buf shown = SL_BUF_INIT;
    int rc = 0;

    sl_buf_add_printable(&shown, v, strlen(v));
    if (!*v || strlen(v) > 63)
        rc = sl_error_set(err, SL_ECONFIG, "%s: silver_schema: 1 to 63 bytes (got %zu)", where,
                          strlen(v));
    else if (!strcasecmp(v, "sluice") || !strcasecmp(v, "bronze") || !strncasecmp(v, "pg_", 3) ||
             !strcasecmp(v, "information_schema"))
        rc = sl_error_set(err, SL_ECONFIG,
                          "%s: silver_schema=%s is reserved: sluice keeps its catalog in schemas "
                          "sluice and bronze, and PostgreSQL its own in pg_* and "
                          "information_schema; choose another schema (default public)",
                          where, shown.p);
    sl_buf_free(&shown);
    return rc;
}

/*
 * Splits the URL's query parameters: sluice's own (silver_schema, bronze_gin, parallel,
 * pool_size, statement_timeout, connect_retries, retry_backoff) set d and o; the others stay
 * for libpq.
 */
static int parse_url(struct pg_db *d, const char *url, struct sl_pg_pool_opts *o, char **conninfo,
                     struct sl_error *err)
{
    const char *qm = strchr(url, '?');
    struct sl_buf ci = SL_BUF_INIT;
    char *params = qm ? sl_xstrdup(qm + 1) : NULL, *save = NULL;
    int rc = 0, has_timeout = 0, nparams = 0;

    sl_buf_add(&ci, url, qm ? (size_t)(qm - url) : strlen(url));
    /* postgres:// is libpq's too; "where" hides the password (which may hold a '?': masked
     * first, then cut at the query) */
    {
        char *shown = sl_url_redact(url);
        shown[strcspn(shown, "?")] = 0;
        d->where = shown;
    }
    for (char *kv = params ? strtok_r(params, "&", &save) : NULL; kv && !rc;
         kv = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(kv, '=');
        const char *v = eq ? eq + 1 : "";
        if (eq) *eq = 0;
        if (!strcmp(kv, "silver_schema")) {
            char *dec = NULL;
            if (pct_decode(v, &dec) < 0)
                rc = sl_error_set(err, SL_ECONFIG, "%s: silver_schema: %%00 is not allowed",
                                  d->where);
            else
                rc = silver_schema_check(d->where, dec, err);
            free(d->silver);
            d->silver = dec ? dec : sl_xstrdup("public");
        } else if (!strcmp(kv, "bronze_gin")) {
            rc = bool_param(d->where, kv, v, &d->gin, err);
        } else if (!strcmp(kv, "parallel")) {
            rc = bool_param(d->where, kv, v, &d->parallel, err);
        } else if (!strcmp(kv, "pool_size")) {
            rc = int_param(d->where, kv, v, &o->size, err);
        } else if (!strcmp(kv, "statement_timeout")) {
            rc = int_param(d->where, kv, v, &o->statement_timeout_ms, err);
        } else if (!strcmp(kv, "connect_retries")) {
            rc = int_param(d->where, kv, v, &o->connect_retries, err);
        } else if (!strcmp(kv, "retry_backoff")) {
            rc = int_param(d->where, kv, v, &o->backoff_ms, err);
        } else {
            if (!strcmp(kv, "connect_timeout")) has_timeout = 1;
            sl_buf_addf(&ci, "%c%s=%s", nparams++ ? '&' : '?', kv, v);
        }
    }
    if (!has_timeout) sl_buf_addf(&ci, "%cconnect_timeout=10", nparams++ ? '&' : '?');
    sl_buf_adds(&ci, "&client_encoding=UTF8&application_name=sluice");
    free(params);
    *conninfo = sl_buf_detach(&ci);
    if (rc == 0) {
        /* a URL libpq cannot read fails now, with libpq's reason, instead of after the
         * connection retries (its message may echo the URL: sl_error_set masks secrets) */
        char *why = NULL;
        PQconninfoOption *opts = PQconninfoParse(*conninfo, &why);
        if (!opts) {
            size_t n = why ? strcspn(why, "\n") : 0;
            rc = sl_error_set(err, SL_ECONFIG, "%s: not a valid PostgreSQL URL: %.*s", d->where,
                              (int)n, why ? why : "out of memory");
        }
        PQconninfoFree(opts);
        PQfreemem(why);
    }
    return rc;
}

/*
 * The migrations sluice.migrations records, checked against those this sluice knows: SL_EDB when
 * one is newer than it knows or was changed after it was applied (checksum). applied[i] (may be
 * NULL) says whether the i-th known migration is recorded; *missing counts those that are not.
 */
static int pg_ledger(struct pg_db *d, unsigned char *applied, size_t *missing, struct sl_error *err)
{
    PGresult *r = NULL;
    int rc, latest = sl__migrations_latest();

    *missing = 0;
    rc = sl__pg_q(d, "SELECT version, checksum FROM sluice.migrations ORDER BY version", 0, NULL,
                  &r, "reading sluice.migrations", err);
    if (rc < 0) return rc;
    for (int k = 0; rc == 0 && k < PQntuples(r); k++)
        if (atoi(PQgetvalue(r, k, 0)) > latest)
            rc = sl_error_set(err, SL_EDB,
                              "%s: this database was written by a newer sluice (schema version "
                              "%s; this sluice knows up to %d)",
                              d->where, PQgetvalue(r, k, 0), latest);
    for (size_t i = 0; i < sl__migrations_count() && rc == 0; i++) {
        int version, found = 0;
        const char *name, *sql;
        char sum[65];
        sl__migration_get(i, SL__DIALECT_PG, &version, &name, &sql);
        sl_sha256_hex(sql, strlen(sql), sum);
        for (int k = 0; k < PQntuples(r) && !found; k++) {
            if (atoi(PQgetvalue(r, k, 0)) != version) continue;
            found = 1;
            if (strcmp(PQgetvalue(r, k, 1), sum))
                rc = sl_error_set(err, SL_EDB,
                                  "%s: migration %d (%s) was changed after it was applied",
                                  d->where, version, name);
        }
        if (applied) applied[i] = (unsigned char)found;
        *missing += !found;
    }
    PQclear(r);
    return rc;
}

/* Creates the catalog's schemas and sluice.migrations if missing and applies the migrations not
 * applied yet (pg_ledger checks the others first), in one transaction under the migration lock. */
static int pg_migrate(struct pg_db *d, struct sl_error *err)
{
    size_t n = sl__migrations_count(), missing = 0;
    unsigned char *applied = sl_xcalloc(n, 1);
    int rc;

    rc = sl__pg_exec(d,
                     "BEGIN; SELECT pg_advisory_xact_lock(1936483173, 1); "
                     "CREATE SCHEMA IF NOT EXISTS sluice; CREATE SCHEMA IF NOT EXISTS bronze; "
                     "CREATE TABLE IF NOT EXISTS sluice.migrations(version INTEGER PRIMARY KEY, "
                     "name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)",
                     "preparing the catalog", err);
    if (rc == 0) rc = pg_ledger(d, applied, &missing, err);
    for (size_t i = 0; i < n && rc == 0; i++) {
        int version;
        const char *name, *sql;
        char sum[65], vs[16], now[40];
        if (applied[i]) continue;
        sl__migration_get(i, SL__DIALECT_PG, &version, &name, &sql);
        sl_sha256_hex(sql, strlen(sql), sum);
        rc = sl__pg_exec(d, sql, "applying a catalog migration", err);
        if (rc < 0) {
            sl_error_prefix(err, "migration %d (%s)", version, name);
            break;
        }
        snprintf(vs, sizeof vs, "%d", version);
        sl_time_iso(sl_now(), now, sizeof now);
        const char *p[] = {vs, name, sum, now};
        rc = sl__pg_q(d,
                      "INSERT INTO sluice.migrations(version, name, checksum, applied_at) "
                      "VALUES($1, $2, $3, $4)",
                      4, p, NULL, "recording a migration", err);
    }
    if (rc == 0) {
        struct sl_buf sql = SL_BUF_INIT;
        sl_buf_adds(&sql, "CREATE SCHEMA IF NOT EXISTS ");
        sql_ident(&sql, d->silver);
        /* a schema that exists but we may not create in: fine as long as tables can be made */
        if (strcmp(d->silver, "public"))
            rc = sl__pg_exec(d, sql.p, "creating the silver schema", err);
        sl_buf_free(&sql);
    }
    if (rc == 0) rc = sl__pg_exec(d, "COMMIT", "committing the catalog migration", err);
    free(applied);
    if (rc < 0 && PQtransactionStatus(d->c) != PQTRANS_IDLE) PQclear(PQexec(d->c, "ROLLBACK"));
    return rc;
}

/* A read command's open: the session is made read-only, and the catalog is checked without
 * creating anything (sluice.h's SL_STORE_OPEN_READ_ONLY). */
static int pg_check_catalog(struct pg_db *d, struct sl_error *err)
{
    PGresult *r = NULL;
    int rc;
    size_t missing = 0;

    rc = sl__pg_exec(d, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", "opening read-only",
                     err);
    if (rc == 0)
        rc = sl__pg_q(d, "SELECT to_regclass('sluice.migrations') IS NOT NULL", 0, NULL, &r,
                      "reading the catalog", err);
    if (rc < 0) goto out;
    if (strcmp(PQgetvalue(r, 0, 0), "t")) {
        rc = sl_error_set(err, SL_ENOTFOUND,
                          "%s is not a sluice store (the database has no sluice catalog); "
                          "it was left as it is",
                          d->where);
        goto out;
    }
    rc = pg_ledger(d, NULL, &missing, err);
    if (rc == 0 && missing)
        rc = sl_error_set(err, SL_EINVAL,
                          "%s: the catalog was written by an older sluice (%zu migration%s to "
                          "apply); `sluice migrate up` (or a load) brings it up to date",
                          d->where, missing, missing == 1 ? "" : "s");
out:
    PQclear(r);
    return rc;
}

static int pg_open(const char *url, struct sl_db **out, struct sl_error *err)
{
    struct pg_db *d = sl_xcalloc(1, sizeof *d);
    struct sl_pg_pool_opts o = {.size = 4, .connect_retries = 5, .backoff_ms = 200};
    char *conninfo = NULL;
    int rc;

    *out = NULL;
    d->base.store = &sl_store_postgres;
    d->base.url = sl_xstrdup(url);
    d->silver = sl_xstrdup("public");
    d->gin = 1;
    d->parallel = 1;
    rc = parse_url(d, url, &o, &conninfo, err);
    if (rc < 0) goto out;
    d->pool = sl_pg_pool_new(conninfo, &o);
    d->c = sl_pg_pool_acquire(d->pool, err);
    if (!d->c) {
        sl_error_prefix(err, "%s", d->where);
        rc = err->code == SL_ECONFIG ? SL_ECONFIG : SL_EDB;
        goto out;
    }
    d->read_only = (sl__open_flags & SL_STORE_OPEN_READ_ONLY) != 0;
    if (!d->read_only && (sl__open_flags & SL_STORE_OPEN_EXISTING)) {
        PGresult *r = NULL;
        rc = sl__pg_q(d, "SELECT to_regclass('sluice.migrations') IS NOT NULL", 0, NULL, &r,
                      "reading the catalog", err);
        if (rc == 0 && strcmp(PQgetvalue(r, 0, 0), "t"))
            rc = sl_error_set(err, SL_ENOTFOUND,
                              "%s is not a sluice store (the database has no sluice catalog); "
                              "it was left as it is",
                              d->where);
        PQclear(r);
        if (rc < 0) goto out;
    }
    if (d->read_only)
        rc = pg_check_catalog(d, err);
    else if (!(sl__open_flags & SL_STORE_OPEN_NO_MIGRATE))
        rc = pg_migrate(d, err);
out:
    free(conninfo);
    if (rc < 0)
        pg_close(&d->base);
    else
        *out = &d->base;
    return rc;
}

/* Between loads a lost connection is replaced (the pool retries with backoff); inside a
 * load's transaction it is not: that load fails. */
int sl__pg_ensure_conn(struct pg_db *d, struct sl_error *err)
{
    if (d->c && PQstatus(d->c) == CONNECTION_OK) return 0;
    if (d->open_load)
        return sl_error_set(err, SL_EDB, "%s: the connection to the server was lost", d->where);
    if (d->c) sl_pg_pool_release(d->pool, d->c, 1);
    free(d->locked); /* a session lock dies with its session */
    d->locked = NULL;
    d->c = sl_pg_pool_acquire(d->pool, err);
    if (!d->c) {
        sl_error_prefix(err, "%s", d->where);
        return SL_EDB;
    }
    return 0;
}

static int cat_ready(struct sl_db *db, struct sl_error *err)
{
    return sl__pg_ensure_conn((struct pg_db *)db, err);
}

static const struct sl__dialect pg_dialect = {
    .tables = "sluice.",
    .param = '$',
    .casts = 1,
    .bytewise = " COLLATE \"C\"",
    /* sequences are not rolled back: a load recorded again after its transaction was rolled
     * back keeps its id, as in SQLite */
    .load_id = "coalesce($32::bigint, nextval(pg_get_serial_sequence('@loads', 'load')))",
    .run = cat_run,
    .text = cat_text,
    .i64 = cat_i64,
    .f64 = cat_f64,
    .where = cat_where,
    .ready = cat_ready,
};

/* ---- the per-source lock ------------------------------------------------------------------- */

static void unlock_source(struct pg_db *d)
{
    if (!d->locked) return;
    if (PQstatus(d->c) == CONNECTION_OK) {
        const char *p[] = {d->locked};
        PQclear(PQexecParams(d->c, "SELECT pg_advisory_unlock(1936483173, hashtext(lower($1)))", 1,
                             NULL, p, NULL, NULL, 0));
    }
    free(d->locked);
    d->locked = NULL;
}

static int lock_source(struct pg_db *d, const char *source, struct sl_error *err)
{
    const char *p[] = {source};
    PGresult *r = NULL;
    int rc;

    if (d->locked && !strcmp(d->locked, source)) return 0;
    unlock_source(d);
    /* lower(): names that differ only by case are one source to wait for (see begin_load) */
    rc = sl__pg_q(d, "SELECT pg_try_advisory_lock(1936483173, hashtext(lower($1)))", 1, p, &r,
                  "locking the source", err);
    if (rc < 0) return rc;
    if (strcmp(PQgetvalue(r, 0, 0), "t")) {
        sl_log(SL_LOG_INFO, "%s: waiting for another load of this source to finish", source);
        PQclear(r);
        r = NULL;
        rc = sl__pg_q(d, "SELECT pg_advisory_lock(1936483173, hashtext(lower($1)))", 1, p, NULL,
                      "waiting for the source's lock", err);
        if (rc < 0) return rc;
    }
    PQclear(r);
    d->locked = sl_xstrdup(source);
    return 0;
}

/* ---- catalog queries -------------------------------------------------------------------- */

static int pg_source_state(struct sl_db *db, const char *source, struct sl_source_state *out,
                           struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = sl__pg_ensure_conn(d, err))) return rc;
    /* Loads of one source take turns from here to their end: the second one waits, then sees
     * what the first one committed. */
    if ((rc = lock_source(d, source, err))) return rc;
    return sl__cat_source_state(db, source, out, err);
}

static int pg_silver_rows(struct sl_db *db, const char *source, int64_t *n, struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct sl_buf sql = SL_BUF_INIT;
    PGresult *r;
    int rc;

    *n = 0;
    if ((rc = sl__pg_ensure_conn(d, err))) return rc;
    sl_buf_adds(&sql, "SELECT count(*) FROM ");
    sl__pg_silver_ident(d, &sql, source);
    rc = sl__pg_q(d, sql.p, 0, NULL, &r, "counting silver rows", err);
    sl_buf_free(&sql);
    if (rc < 0) return rc;
    *n = get_i64(r, 0, 0, 0);
    PQclear(r);
    return 0;
}

/* ---- loads: tables ------------------------------------------------------------------------ */

static const char *pg_type(int type)
{
    switch (type) {
    case SL_TYPE_BOOLEAN: return "BOOLEAN";
    case SL_TYPE_INTEGER:
    case SL_TYPE_YEAR: return "BIGINT";
    case SL_TYPE_NUMBER: return "DOUBLE PRECISION";
    case SL_TYPE_DATE: return "DATE";
    case SL_TYPE_DATETIME: return "TIMESTAMPTZ";
    case SL_TYPE_TIME: return "TIME";
    case SL_TYPE_OBJECT:
    case SL_TYPE_ARRAY: return "JSONB";
    default: return "TEXT";
    }
}

static int relation_exists(struct pg_db *d, const char *qualified, struct sl_error *err)
{
    const char *p[] = {qualified};
    PGresult *r;
    int rc = sl__pg_q(d, "SELECT to_regclass($1) IS NOT NULL", 1, p, &r, "reading the tables", err);
    if (rc < 0) return rc;
    rc = !strcmp(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
    return rc;
}

/* The columns of a bronze table, in parentheses. A partition made by the worker for a bronze
 * table this load creates cannot copy it (LIKE): both come from here, the CHECK's name too, as
 * ATTACH wants the partition to have the parent's constraints by name. */
static void bronze_columns(struct sl_buf *b, const char *extra)
{
    /* raw_id: load_id * 2^32 + row_num, unique without a sequence (a sequence's nextval per
     * row cost ~40% of a plain COPY) */
    sl_buf_adds(b, "(raw_id BIGINT NOT NULL, load_id BIGINT NOT NULL, "
                   "row_num BIGINT NOT NULL, line BIGINT, byte_offset BIGINT, "
                   "source_timestamp TIMESTAMPTZ, validation_status TEXT NOT NULL, errors JSONB, "
                   "raw_data JSONB, raw_bytes BYTEA, "
                   "ingested_at TIMESTAMPTZ NOT NULL DEFAULT now(), "
                   "CONSTRAINT sluice_validation_status "
                   "CHECK (validation_status IN ('valid','warning','invalid'))");
    if (extra) {
        sl_buf_adds(b, ", ");
        sl_buf_adds(b, extra);
    }
    sl_buf_addc(b, ')');
}

/* The GIN index of a bronze table: jsonb_path_ops answers containment (@>) with a smaller
 * index. Rows of later loads go to its pending list (a cheap append; autovacuum merges it):
 * measured on 1M rows, COPY took 46 s with a GIN index merged as rows arrive, 13 s with the
 * large pending list, 8 s without the index. */
static void bronze_gin(struct sl_buf *b, const char *table, const char *iname)
{
    sl_buf_adds(b, "CREATE INDEX ");
    if (iname) sql_ident(b, iname);
    sl_buf_adds(b, " ON ");
    sl_buf_adds(b, table);
    sl_buf_adds(b, " USING gin (raw_data jsonb_path_ops) WITH (fastupdate = on, "
                   "gin_pending_list_limit = 2097151); ");
}

/* The B-tree on a bronze table's timestamps (partial: the default partition's stays empty). */
static void ts_index(struct sl_buf *b, const char *table, const char *iname)
{
    sl_buf_adds(b, "CREATE INDEX ");
    if (iname) sql_ident(b, iname);
    sl_buf_addf(b, " ON %s (source_timestamp) WHERE source_timestamp IS NOT NULL; ", table);
}

/*
 * Can source have bronze.SOURCE and its view bronze.SOURCE_detail? 1 when its table exists, 0
 * when both names are free, SL_EINVAL when another source has one of them: sources X and
 * X_detail cannot both be in a PostgreSQL store (X's view is named like X_detail's table).
 */
static int bronze_names_free(struct pg_db *d, const char *source, struct sl_error *err)
{
    char *view = sub_name(source, "_detail");
    const char *p[] = {source, view};
    PGresult *r = NULL;
    char kind = 0, view_kind = 0;
    const char *owner = "";
    int rc =
        sl__pg_q(d,
                 "SELECT c.relname = $1, c.relkind, coalesce((SELECT t.relname FROM pg_index i "
                 "JOIN pg_class t ON t.oid = i.indrelid WHERE i.indexrelid = c.oid), '') "
                 "FROM pg_class c JOIN pg_namespace n ON "
                 "n.oid = c.relnamespace WHERE n.nspname = 'bronze' AND c.relname IN ($1, $2)",
                 2, p, &r, "reading the tables", err);
    if (rc < 0) goto out;
    for (int i = 0; i < PQntuples(r); i++) {
        if (!strcmp(PQgetvalue(r, i, 0), "t")) {
            kind = PQgetvalue(r, i, 1)[0];
            owner = PQgetvalue(r, i, 2);
        } else {
            view_kind = PQgetvalue(r, i, 1)[0];
        }
    }
    if (kind && kind != 'v' && kind != 'p' && kind != 'r') {
        /* a store made before indexes were named SOURCE@...: PostgreSQL named one like this */
        rc = sl_error_set(err, SL_EINVAL,
                          "source '%s': bronze.%s is the name of %s%s in the store; a PostgreSQL "
                          "store cannot also have a source of that name: load under another "
                          "name (--source)",
                          source, source, *owner ? "an index of table bronze." : "another object",
                          owner);
    } else if (kind == 'v') {
        size_t n = strlen(source), k = strlen("_detail");
        n = n > k && !strcmp(source + n - k, "_detail") ? n - k : n;
        rc = sl_error_set(err, SL_EINVAL,
                          "source '%s': bronze.%s is the view of source '%.*s' (its bronze rows "
                          "with their loads); sources X and X_detail cannot both be in a "
                          "PostgreSQL store: load under another name (--source)",
                          source, source, (int)n, source);
    } else if (kind) {
        rc = 1;
    } else if (view_kind && view_kind != 'v') {
        rc = sl_error_set(err, SL_EINVAL,
                          "source '%s': its view bronze.%s would take the name of source '%s''s "
                          "bronze table; sources X and X_detail cannot both be in a PostgreSQL "
                          "store: load under another name (--source)",
                          source, view, view);
    }
out:
    PQclear(r);
    free(view);
    return rc;
}

/* bronze.SOURCE, unless it exists (*created = 0). */
static int create_bronze(struct pg_db *d, const char *source, int *created, struct sl_error *err)
{
    struct sl_buf sql = SL_BUF_INIT, name = SL_BUF_INIT;
    char *gin = NULL, *ts = NULL, *ld = NULL;
    int rc;

    *created = 0;
    bronze_ident(&name, source);
    rc = bronze_names_free(d, source, err);
    if (rc != 0) goto out; /* exists (1), taken (< 0), or an error */
    *created = 1;
    sl_buf_adds(&sql, "CREATE TABLE ");
    sl_buf_adds(&sql, name.p);
    bronze_columns(&sql, NULL);
    sl_buf_adds(&sql, " PARTITION BY RANGE (source_timestamp); ");
    /* the table's indexes are named SOURCE@...: a name PostgreSQL would choose
     * (SOURCE_raw_data_idx) could be another source's name (partitions' indexes have an @ in their
     * names anyway) */
    gin = sub_name(source, "@gin");
    ts = sub_name(source, "@ts");
    ld = sub_name(source, "@load");
    if (d->gin) bronze_gin(&sql, name.p, gin);
    ts_index(&sql, name.p, ts);
    sl_buf_adds(&sql, "CREATE INDEX ");
    sql_ident(&sql, ld);
    sl_buf_adds(&sql, " ON ");
    sl_buf_adds(&sql, name.p);
    sl_buf_adds(&sql, " (load_id, row_num); CREATE VIEW ");
    {
        char *v = sub_name(source, "_detail");
        sl_buf_adds(&sql, "bronze.");
        sql_ident(&sql, v);
        free(v);
    }
    sl_buf_adds(&sql, " AS SELECT b.*, l.source, l.run, l.input, l.input_size, l.sha256, "
                      "l.format, l.compression, l.encoding, l.started AS load_started, "
                      "l.finished AS load_finished, l.seconds AS load_seconds, "
                      "l.sluice_version FROM ");
    sl_buf_adds(&sql, name.p);
    sl_buf_adds(&sql, " b JOIN sluice.loads l ON l.load = b.load_id");
    rc = sl__pg_exec(d, sql.p, "creating the bronze table", err);
out:
    free(gin);
    free(ts);
    free(ld);
    sl_buf_free(&sql);
    sl_buf_free(&name);
    return rc < 0 ? rc : 0;
}

/* The first instant of month key ("YYYY-MM") or, next, of the month after it, as SQL. */
static void month_start(struct sl_buf *b, const char *key, int next)
{
    int y = atoi(key), m = atoi(key + 5);
    if (next) {
        y += m == 12;
        m = m == 12 ? 1 : m + 1;
    }
    sl_buf_addf(b, "'%04d-%02d-01 00:00:00+00'", y, m);
}

/* The worker of the load: started with its first new partition, on a second connection of the
 * pool when one is free (otherwise this connection does all). */
static struct sl__pgw *load_worker(struct pg_db *d, struct pg_load *L)
{
    struct sl_pg_pool_stats st;
    struct sl_error e = {0, ""};
    PGconn *c;

    if (L->worker || L->no_worker || !d->parallel) return L->worker;
    sl_pg_pool_stats(d->pool, &st);
    if (st.in_use >= st.size) return NULL; /* the next partition may find one free */
    if (!(c = sl_pg_pool_try_acquire(d->pool, &e))) {
        sl_log(SL_LOG_DEBUG, "%s: no second connection (%s): one writes all", d->where, e.msg);
        L->no_worker = 1; /* not again for every partition */
        return NULL;
    }
    L->worker = sl__pgw_start(c, d->where);
    if (!L->worker) {
        sl_pg_pool_release(d->pool, c, 0);
        return NULL;
    }
    /* an error shows at the worker's next statement */
    (void)sl__pgw_exec(L->worker, "BEGIN", "starting the bronze writer", &e);
    return L->worker;
}

/* The partition for key ("YYYY-MM" or "" for rows without a timestamp): its index in L->parts.
 * One that does not exist yet is created standalone (attached at commit, attach_parts), by the
 * worker when there is one. */
static long ensure_part(struct pg_db *d, struct pg_load *L, const char *key, struct sl_error *err)
{
    struct sl_buf sql = SL_BUF_INIT, name = SL_BUF_INIT, check = SL_BUF_INIT;
    struct sl__pgw *w = NULL;
    struct part *pt;
    int rc;

    for (size_t i = 0; i < L->nparts; i++)
        if (!strcmp(L->parts[i].key, key)) return (long)i;
    bronze_sub_ident(&name, L->source, key[0] ? key : "default");
    rc = relation_exists(d, name.p, err);
    if (rc < 0) goto out;
    if (rc == 0) {
        sl_buf_adds(&check, "CHECK (");
        if (key[0]) {
            sl_buf_adds(&check, "source_timestamp IS NOT NULL AND source_timestamp >= ");
            month_start(&check, key, 0);
            sl_buf_adds(&check, " AND source_timestamp < ");
            month_start(&check, key, 1);
        } else {
            /* only rows without a timestamp: adding a month need not scan it either */
            sl_buf_adds(&check, "source_timestamp IS NULL");
        }
        sl_buf_addc(&check, ')');
        sl_buf_adds(&sql, "CREATE TABLE ");
        sl_buf_adds(&sql, name.p);
        w = load_worker(d, L);
        if (w && L->bronze_new) {
            bronze_columns(&sql, check.p); /* the worker cannot see the new bronze.NAME */
        } else {
            sl_buf_adds(&sql, " (LIKE ");
            bronze_ident(&sql, L->source);
            sl_buf_adds(&sql, " INCLUDING DEFAULTS INCLUDING CONSTRAINTS, ");
            sl_buf_adds(&sql, check.p);
            sl_buf_addc(&sql, ')');
        }
        if (!key[0]) {
            /* its timestamps' index stays empty: made now, it costs the COPY nothing, made
             * later a scan of every row */
            sl_buf_adds(&sql, "; ");
            ts_index(&sql, name.p, NULL);
        }
        rc = w ? sl__pgw_exec(w, sql.p, "creating a bronze partition", err)
               : sl__pg_exec(d, sql.p, "creating a bronze partition", err);
        if (rc < 0) goto out;
    }
    if (L->nparts == L->capparts) {
        L->capparts = L->capparts ? 2 * L->capparts : 8;
        L->parts = sl_xrealloc(L->parts, L->capparts * sizeof *L->parts);
    }
    pt = &L->parts[L->nparts];
    memset(pt, 0, sizeof *pt);
    snprintf(pt->key, sizeof pt->key, "%s", key);
    pt->is_new = rc == 0;
    pt->on_worker = w != NULL;
    pt->copy = (struct sl_buf)SL_BUF_INIT;
    rc = (int)L->nparts++;
out:
    sl_buf_free(&sql);
    sl_buf_free(&name);
    sl_buf_free(&check);
    return rc;
}

/* At commit: the indexes of the partitions this load created, then ATTACH. The worker's tables
 * are committed first; it builds their GIN indexes while this connection builds the B-trees
 * (both take SHARE locks), then this load attaches them. */
static int attach_parts(struct pg_db *d, struct pg_load *L, struct sl_error *err)
{
    struct sl_buf sql = SL_BUF_INIT, name = SL_BUF_INIT;
    int rc = 0;

    if (L->worker) {
        rc = sl__pgw_exec(L->worker, "COMMIT", "committing the new bronze partitions", err);
        if (rc == 0) rc = sl__pgw_wait(L->worker, err);
        if (rc == 0) L->worker_committed = 1;
    }
    /* indexes: the worker builds the GIN indexes of its partitions, or their timestamps'
     * B-trees when there is no GIN index, this connection the rest; then ATTACH once the worker
     * is done. The default partition's timestamp index (always empty) was made with it. */
    for (int pass = 0; pass < 3 && rc == 0; pass++) {
        if (pass == 2 && L->worker && (rc = sl__pgw_wait(L->worker, err))) break;
        for (size_t i = 0; i < L->nparts && rc == 0; i++) {
            const struct part *pt = &L->parts[i];
            if (!pt->is_new) continue;
            sl_buf_reset(&sql);
            sl_buf_reset(&name);
            bronze_sub_ident(&name, L->source, pt->key[0] ? pt->key : "default");
            int gin_there = pt->on_worker && d->gin, ts_there = pt->on_worker && !d->gin;
            if (pass == 0) {
                if (gin_there) bronze_gin(&sql, name.p, NULL);
                if (ts_there && pt->key[0]) ts_index(&sql, name.p, NULL);
                if (sql.len)
                    rc = sl__pgw_exec(L->worker, sql.p, "indexing a bronze partition", err);
            } else if (pass == 1) {
                if (d->gin && !gin_there) bronze_gin(&sql, name.p, NULL);
                if (!ts_there && pt->key[0]) ts_index(&sql, name.p, NULL);
                sl_buf_addf(&sql, "CREATE INDEX ON %s (load_id, row_num)", name.p);
                rc = sl__pg_exec(d, sql.p, "indexing a bronze partition", err);
            } else {
                sl_buf_adds(&sql, "ALTER TABLE ");
                bronze_ident(&sql, L->source);
                sl_buf_addf(&sql, " ATTACH PARTITION %s", name.p);
                if (pt->key[0]) {
                    sl_buf_adds(&sql, " FOR VALUES FROM (");
                    month_start(&sql, pt->key, 0);
                    sl_buf_adds(&sql, ") TO (");
                    month_start(&sql, pt->key, 1);
                    sl_buf_addc(&sql, ')');
                } else {
                    sl_buf_adds(&sql, " DEFAULT");
                }
                rc = sl__pg_exec(d, sql.p, "attaching a bronze partition", err);
            }
        }
    }
    sl_buf_free(&sql);
    sl_buf_free(&name);
    return rc;
}

static void silver_columns(struct sl_buf *b, const struct sl_schema *s)
{
    for (size_t i = 0; i < s->nfields; i++) {
        sql_ident(b, s->fields[i].name);
        sl_buf_adds(b, ", ");
    }
    sl_buf_adds(b, "\"_load\", \"_row\"");
}

static void pk_columns(struct sl_buf *b, const struct sl_schema *s)
{
    for (size_t i = 0; i < s->npk; i++) {
        if (i) sl_buf_adds(b, ", ");
        sql_ident(b, s->fields[s->pk[i]].name);
    }
}

/* 0 when the silver schema has no relation named source but its table: in a store made before
 * primary keys were named SOURCE@pkey, the index of source X's key is X_pkey. */
static int silver_name_free(struct pg_db *d, const char *source, struct sl_error *err)
{
    const char *p[] = {d->silver, source};
    PGresult *r = NULL;
    int rc =
        sl__pg_q(d,
                 "SELECT c.relkind, coalesce((SELECT t.relname FROM pg_index i JOIN pg_class t ON "
                 "t.oid = i.indrelid WHERE i.indexrelid = c.oid), '') FROM pg_class c JOIN "
                 "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2",
                 2, p, &r, "reading the tables", err);
    if (rc < 0) return rc;
    rc = 0;
    if (PQntuples(r) == 1 && !strchr("rp", PQgetvalue(r, 0, 0)[0])) {
        const char *owner = PQgetvalue(r, 0, 1);
        rc = sl_error_set(err, SL_EINVAL,
                          "source '%s': %s.%s is the name of %s%s%s%s in the store; a PostgreSQL "
                          "store cannot also have a source of that name: load under another "
                          "name (--source)",
                          source, d->silver, source,
                          *owner ? "an index of table " : "another object", *owner ? d->silver : "",
                          *owner ? "." : "", owner);
    }
    PQclear(r);
    return rc;
}

static int create_silver(struct pg_db *d, struct sl_load *load, struct sl_error *err)
{
    const struct sl_schema *s = load->schema;
    struct sl_buf sql = SL_BUF_INIT;
    int rc = silver_name_free(d, load->source, err);

    if (rc) return rc;
    if (load->silver_change == 2) {
        sl_buf_adds(&sql, "DROP TABLE IF EXISTS ");
        sl__pg_silver_ident(d, &sql, load->source);
        sl_buf_adds(&sql, "; ");
    }
    sl_buf_adds(&sql, "CREATE TABLE IF NOT EXISTS ");
    sl__pg_silver_ident(d, &sql, load->source);
    sl_buf_addc(&sql, '(');
    for (size_t i = 0; i < s->nfields; i++) {
        sql_ident(&sql, s->fields[i].name);
        sl_buf_addf(&sql, " %s, ", pg_type(s->fields[i].type));
    }
    sl_buf_adds(&sql, "\"_load\" BIGINT NOT NULL, \"_row\" BIGINT NOT NULL");
    if (s->npk) {
        /* named SOURCE@pkey, not SOURCE_pkey, which could be another source's table */
        char *pk = sub_name(load->source, "@pkey");
        sl_buf_adds(&sql, ", CONSTRAINT ");
        sql_ident(&sql, pk);
        free(pk);
        sl_buf_adds(&sql, " PRIMARY KEY(");
        pk_columns(&sql, s);
        sl_buf_addc(&sql, ')');
    }
    sl_buf_addc(&sql, ')');
    if (load->silver_change == 1) {
        for (size_t i = 0; i < s->nfields; i++) {
            sl_buf_adds(&sql, "; ALTER TABLE ");
            sl__pg_silver_ident(d, &sql, load->source);
            sl_buf_adds(&sql, " ADD COLUMN IF NOT EXISTS ");
            sql_ident(&sql, s->fields[i].name);
            sl_buf_addf(&sql, " %s", pg_type(s->fields[i].type));
        }
    }
    rc = sl__pg_exec(d, sql.p, "creating the silver table", err);
    sl_buf_free(&sql);
    return rc;
}

/* Statements of the load: COPY into silver (or the staging table) and the upsert. */
static int prepare_load(struct pg_db *d, struct sl_load *load, struct pg_load *L,
                        struct sl_error *err)
{
    const struct sl_schema *s = load->schema;
    struct sl_buf sql = SL_BUF_INIT;
    int rc = 0;

    L->nfields = s->nfields;
    L->keyed = s->npk > 0;
    L->ts_field = load->timestamp ? sl_schema_find(s, load->timestamp) : -1;
    L->source = load->source;
    if (load->bronze_only) return 0; /* a failed load: silver is not touched */
    sl_buf_reset(&L->sql_silver);
    sl_buf_adds(&L->sql_silver, "COPY ");
    if (L->keyed) {
        /* staging: a temporary table (no WAL), dropped with the transaction */
        sl_buf_adds(&sql, "CREATE TEMPORARY TABLE sluice_stage (LIKE ");
        sl__pg_silver_ident(d, &sql, load->source);
        sl_buf_adds(&sql, ") ON COMMIT DROP");
        rc = sl__pg_exec(d, sql.p, "creating the staging table", err);
        sl_buf_adds(&L->sql_silver, "sluice_stage");
    } else {
        sl__pg_silver_ident(d, &L->sql_silver, load->source);
    }
    sl_buf_addc(&L->sql_silver, '(');
    silver_columns(&L->sql_silver, s);
    sl_buf_adds(&L->sql_silver, ") FROM STDIN");
    sl_buf_reset(&L->sql_silver_bin);
    sl_buf_adds(&L->sql_silver_bin, L->sql_silver.p);
    sl_buf_adds(&L->sql_silver_bin, " WITH (FORMAT binary)");
    free(L->types);
    L->types = sl_xcalloc(s->nfields ? s->nfields : 1, sizeof *L->types);
    for (size_t i = 0; i < s->nfields; i++) L->types[i] = s->fields[i].type;

    if (L->keyed) {
        struct sl_buf *u = &L->sql_upsert;
        sl_buf_reset(u);
        sl_buf_adds(u, "WITH up AS (INSERT INTO ");
        sl__pg_silver_ident(d, u, load->source);
        sl_buf_addc(u, '(');
        silver_columns(u, s);
        sl_buf_adds(u, ") SELECT DISTINCT ON (");
        pk_columns(u, s);
        sl_buf_addc(u, ')');
        silver_columns(u, s);
        sl_buf_adds(u, " FROM sluice_stage ORDER BY ");
        pk_columns(u, s);
        sl_buf_adds(u, ", \"_load\" DESC, \"_row\" DESC ON CONFLICT (");
        pk_columns(u, s);
        sl_buf_adds(u, ") DO UPDATE SET ");
        for (size_t i = 0; i < s->nfields; i++) {
            int pk = 0;
            for (size_t k = 0; k < s->npk; k++) pk |= (size_t)s->pk[k] == i;
            if (pk) continue;
            sql_ident(u, s->fields[i].name);
            sl_buf_adds(u, " = excluded.");
            sql_ident(u, s->fields[i].name);
            sl_buf_adds(u, ", ");
        }
        sl_buf_adds(u, "\"_load\" = excluded.\"_load\", \"_row\" = excluded.\"_row\" "
                       "RETURNING (xmax = 0) AS inserted) "
                       "SELECT count(*) FILTER (WHERE inserted) FROM up");
    }
    sl_buf_free(&sql);
    return rc;
}

/* Values of the load that PostgreSQL could not hold as they were (pg_storable): a warning now,
 * and the same note added to msg (after "; " when msg has something already). */
static void replaced_note(const struct pg_load *L, const char *source, struct sl_buf *msg)
{
    size_t at;
    if (!L || !L->replaced) return;
    if (msg->len) sl_buf_adds(msg, "; ");
    at = msg->len;
    sl_buf_addf(msg,
                "%lld silver value(s) held U+0000 or a lone UTF-16 surrogate, which PostgreSQL "
                "cannot store: U+FFFD stands in their place (bronze keeps the records as received)",
                (long long)L->replaced);
    sl_log(SL_LOG_WARN, "%s: %s", source, msg->p + at);
}

/* Ends the load's worker and gives its connection back; failed: what it runs is cancelled. */
static void stop_worker(struct pg_db *d, struct pg_load *L, int failed)
{
    if (!L->worker) return;
    sl_pg_pool_release(d->pool, sl__pgw_stop(L->worker, failed), 0);
    L->worker = NULL;
}

/* After a failed load's transaction: the tables its worker committed. */
static void drop_worker_tables(struct pg_db *d, struct pg_load *L)
{
    struct sl_buf sql = SL_BUF_INIT;

    if (!L->worker_committed || PQstatus(d->c) != CONNECTION_OK) return;
    for (size_t i = 0; i < L->nparts; i++) {
        if (!L->parts[i].on_worker) continue;
        sl_buf_adds(&sql, "DROP TABLE IF EXISTS ");
        bronze_sub_ident(&sql, L->source, L->parts[i].key[0] ? L->parts[i].key : "default");
        sl_buf_adds(&sql, "; ");
    }
    /* best effort: the next load of the source drops what is left (drop_orphans) */
    if (sql.len) PQclear(PQexec(d->c, sql.p));
    sl_buf_free(&sql);
}

/* Standalone tables bronze."SOURCE@..." that a failed load's worker committed and nobody
 * dropped (the process was killed, the connection lost): called under the source's lock,
 * outside a transaction. */
static int drop_orphans(struct pg_db *d, const char *source, struct sl_error *err)
{
    struct sl_buf sql = SL_BUF_INIT, mine = SL_BUF_INIT, rel = SL_BUF_INIT;
    PGresult *r;
    int rc, n = 0;

    rc = sl__pg_q(d,
                  "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                  "WHERE n.nspname = 'bronze' AND c.relkind = 'r' AND NOT c.relispartition AND "
                  "strpos(c.relname, '@') > 0",
                  0, NULL, &r, "looking for tables of failed loads", err);
    if (rc < 0) return rc;
    for (int i = 0; i < PQntuples(r); i++) {
        /* this source's if it is the name this source gives the key after the last @ (long
         * names carry a hash of the source) */
        const char *name = PQgetvalue(r, i, 0);
        sl_buf_reset(&mine);
        sl_buf_reset(&rel);
        bronze_sub_ident(&mine, source, strrchr(name, '@') + 1);
        sl_buf_adds(&rel, "bronze.");
        sql_ident(&rel, name);
        if (strcmp(mine.p, rel.p)) continue;
        sl_buf_addf(&sql, "DROP TABLE %s; ", rel.p);
        n++;
    }
    PQclear(r);
    if (n) {
        sl_log(SL_LOG_INFO, "%s: dropping %d bronze table(s) a failed load left behind", source, n);
        rc = sl__pg_exec(d, sql.p, "dropping tables of failed loads", err);
    }
    sl_buf_free(&sql);
    sl_buf_free(&mine);
    sl_buf_free(&rel);
    return rc;
}

static void free_load_state(struct pg_db *d, struct sl_load *load)
{
    struct pg_load *L = load->priv;
    if (!L) return;
    stop_worker(d, L, 1);
    for (size_t i = 0; i < L->nparts; i++) sl_buf_free(&L->parts[i].copy);
    free(L->parts);
    sl_buf_free(&L->copy_bronze);
    sl_buf_free(&L->copy_silver);
    sl_buf_free(&L->sql_silver);
    sl_buf_free(&L->sql_silver_bin);
    sl_buf_free(&L->sql_upsert);
    free(L->types);
    sl_buf_free(&L->err);
    sl_buf_free(&L->fix);
    free(L);
    load->priv = NULL;
    if (d->open_load == L) d->open_load = NULL;
}

static int pg_begin_load(struct sl_db *db, struct sl_load *load, struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct pg_load *L;
    struct sl_buf schema = SL_BUF_INIT, bronze = SL_BUF_INIT;
    char now[40];
    int rc;

    if ((rc = sl__cat_begin_check(db, d->open_load != NULL, load, "load", err))) return rc;
    if ((rc = sl__pg_ensure_conn(d, err))) return rc;
    if ((rc = lock_source(d, load->source, err))) return rc;
    /* before the load's transaction: its worker must be able to make the same tables */
    if ((rc = drop_orphans(d, load->source, err))) return rc;
    if ((rc = sl__pg_exec(d, "BEGIN", "starting the load", err))) return rc;
    /* under the source's lock, which is the same for names that differ only by case */
    if ((rc = sl__cat_case_conflict(db, load->source, err)) < 0) {
        if (PQstatus(d->c) == CONNECTION_OK) PQclear(PQexec(d->c, "ROLLBACK"));
        return rc;
    }

    sl__pg_lookup_reset(d);
    L = sl_xcalloc(1, sizeof *L);
    load->priv = L;
    d->open_load = L;
    load->repeats = 0;
    sl_schema_to_json(load->schema, &schema);
    sl_time_iso(sl_now(), now, sizeof now);
    bronze_ident(&bronze, load->source);
    if (load->bronze_only) {
        /* a load that failed its quality thresholds: bronze and its catalog row only; the
         * source's schema and silver stay as they were */
        rc = create_bronze(d, load->source, &L->bronze_new, err);
        if (rc == 0) rc = sl__cat_insert_load(db, load, "failed", 0, sl_buf_str(&schema), err);
        if (rc == 0) rc = prepare_load(d, load, L, err);
        goto out;
    }
    rc = sl__cat_upsert_source(db, load, bronze.p, sl_buf_str(&schema), now, err);
    if (rc == 0) rc = create_bronze(d, load->source, &L->bronze_new, err);
    if (rc == 0) rc = create_silver(d, load, err);
    if (rc == 0) rc = sl__cat_insert_load(db, load, "committed", 1, sl_buf_str(&schema), err);
    if (rc == 0) rc = prepare_load(d, load, L, err);
out:
    sl_buf_free(&schema);
    sl_buf_free(&bronze);
    if (rc < 0) {
        free_load_state(d, load);
        if (PQstatus(d->c) == CONNECTION_OK) PQclear(PQexec(d->c, "ROLLBACK"));
    }
    return rc;
}

/* ---- loads: rows (the hot path) ------------------------------------------------------------ */

/* The partition key of a row: "YYYY-MM" of its source timestamp (*ts gets it as timestamptz),
 * or "" when it has none. */
static void row_part(const struct pg_load *L, const struct sl_row *r, int64_t *ts, char key[8])
{
    key[0] = 0;
    if (L->ts_field >= 0 && r->values && r->values[L->ts_field].type == SL_V_TEXT &&
        sl__pg_ts_utc(r->values[L->ts_field].u.s, r->values[L->ts_field].len, ts, key) != 0)
        key[0] = 0;
}

static int not_open(struct pg_db *d, struct sl_error *err)
{
    return sl_error_set(err, SL_EINVAL, "%s: no load is open", d->where);
}

/* Silver for the rows of b that are not invalid; keyed: through the staging table. */
static int write_silver_rows(struct pg_db *d, struct pg_load *L, const char *source,
                             int64_t load_id, const struct sl_batch *b, int64_t *repeats,
                             struct sl_error *err)
{
    int64_t staged = 0, replaced = 0;
    PGresult *r;
    int rc;

    const char *sql = L->sql_silver_bin.p;
    struct sl_buf *c = &L->copy_silver;
    int bin = 1;

    (void)source;
    sl_buf_reset(c);
    sl__pg_copy_bin_header(c);
    for (size_t i = 0; i < b->nrows && bin; i++) {
        const struct sl_row *row = &b->rows[i];
        if (row->status == SL_ROW_INVALID) continue;
        bin = sl__pg_silver_bin_row(L, c, row, load_id, &replaced) == 0;
        staged++;
    }
    if (bin) {
        sl__pg_copy_bin_end(c);
    } else {
        /* a value binary cannot say: this batch goes as text */
        sql = L->sql_silver.p;
        staged = replaced = 0;
        sl_buf_reset(c);
        for (size_t i = 0; i < b->nrows; i++) {
            if (b->rows[i].status == SL_ROW_INVALID) continue;
            sl__pg_silver_text_row(L, c, &b->rows[i], load_id, &replaced);
            staged++;
        }
    }
    L->replaced += replaced;
    if (!staged) return 0;
    rc = copy_in(d, sql, c->p, c->len, "writing silver", err);
    if (rc < 0 || !L->keyed) return rc;
    rc = sl__pg_q(d, L->sql_upsert.p, 0, NULL, &r, "upserting silver", err);
    if (rc < 0) return rc;
    /* rows that did not insert a new key replaced a row: repeats, as in SQLite */
    *repeats += staged - get_i64(r, 0, 0, 0);
    PQclear(r);
    return sl__pg_exec(d, "TRUNCATE sluice_stage", "emptying the staging table", err);
}

static int pg_write(struct sl_db *db, struct sl_load *load, const struct sl_batch *b,
                    struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct pg_load *L = load->priv;
    struct sl_buf sql = SL_BUF_INIT;
    int rc = 0;

    if (!L) return not_open(d, err);
    for (size_t i = 0; i < L->nparts; i++) sl_buf_reset(&L->parts[i].copy);
    for (size_t i = 0; i < b->nrows && rc == 0; i++) {
        char key[8];
        int64_t ts = 0;
        long k;
        if (b->rows[i].num > UINT32_MAX) { /* raw_id = load_id * 2^32 + row_num stays unique */
            rc = sl_error_set(err, SL_EINVAL,
                              "%s: a load holds at most 4294967295 rows on PostgreSQL; split "
                              "the input",
                              load->source);
            break;
        }
        row_part(L, &b->rows[i], &ts, key);
        if ((k = ensure_part(d, L, key, err)) < 0) {
            rc = (int)k;
            break;
        }
        if (!L->parts[k].copy.len) sl__pg_copy_bin_header(&L->parts[k].copy);
        sl__pg_bronze_row(L, &L->parts[k].copy, load->id, &b->rows[i], key, ts);
    }
    /* straight into each partition: no routing, and new ones have no indexes yet; the
     * worker's while this connection goes on */
    for (size_t i = 0; i < L->nparts && rc == 0; i++) {
        struct part *pt = &L->parts[i];
        if (!pt->copy.len) continue;
        sl__pg_copy_bin_end(&pt->copy);
        sl_buf_reset(&sql);
        sl_buf_adds(&sql, "COPY ");
        bronze_sub_ident(&sql, load->source, pt->key[0] ? pt->key : "default");
        /* a table made in this transaction takes its rows frozen: the index builds and later
         * readers need not set hint bits on every page */
        sl_buf_adds(&sql, BRONZE_COLUMNS " FROM STDIN WITH (FORMAT binary");
        sl_buf_adds(&sql, pt->is_new ? ", FREEZE)" : ")");
        rc = pt->on_worker ? sl__pgw_copy(L->worker, sql.p, &pt->copy, "writing bronze", err)
                           : copy_in(d, sql.p, pt->copy.p, pt->copy.len, "writing bronze", err);
    }
    if (rc == 0 && !load->bronze_only)
        rc = write_silver_rows(d, L, load->source, load->id, b, &load->repeats, err);
    sl_buf_free(&sql);
    return rc;
}

static int pg_write_silver(struct sl_db *db, struct sl_load *load, const struct sl_batch *b,
                           struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct pg_load *L = load->priv ? load->priv : d->open_load;
    int64_t repeats = 0;

    if (!L) return not_open(d, err);
    return write_silver_rows(d, L, load->source, load->id, b, &repeats, err);
}

/* ---- loads: end ---------------------------------------------------------------------------- */

static int pg_commit_load(struct sl_db *db, struct sl_load *load, struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct pg_load *L = load->priv;
    struct sl_buf msg = SL_BUF_INIT;
    int rc;

    if (!L) return not_open(d, err);
    if (load->finished <= 0) load->finished = sl_now(); /* before the indexes are built */
    if (load->message) sl_buf_adds(&msg, load->message);
    replaced_note(L, load->source, &msg); /* the load's message says it too */
    rc = attach_parts(d, L, err);
    if (rc == 0) rc = sl__cat_finish_load(db, load, msg.p, 0, 0, err);
    /* a signal while the indexes were built (seconds): roll back, as sluice then says */
    if (rc == 0 && sl_interrupted) rc = sl_error_set(err, SL_EINTR, "interrupted");
    if (rc == 0) rc = sl__pg_exec(d, "COMMIT", "committing the load", err);
    if (rc < 0 && PQstatus(d->c) == CONNECTION_OK && PQtransactionStatus(d->c) != PQTRANS_IDLE)
        PQclear(PQexec(d->c, "ROLLBACK"));
    stop_worker(d, L, rc < 0);
    if (rc < 0) drop_worker_tables(d, L);
    free_load_state(d, load);
    sl__pg_lookup_reset(d);
    unlock_source(d);
    sl_buf_free(&msg);
    return rc;
}

static int pg_abort_load(struct sl_db *db, struct sl_load *load, struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct pg_load *L = load->priv;
    int rc = 0;

    if (L) stop_worker(d, L, 1);
    if (PQstatus(d->c) == CONNECTION_OK && PQtransactionStatus(d->c) != PQTRANS_IDLE)
        rc = sl__pg_exec(d, "ROLLBACK", "rolling back the load", err);
    if (L) drop_worker_tables(d, L);
    free_load_state(d, load);
    sl__pg_lookup_reset(d);
    unlock_source(d);
    return rc;
}

static int pg_record_load(struct sl_db *db, struct sl_load *load, struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct sl_buf schema = SL_BUF_INIT;
    int rc;

    if ((rc = sl__pg_ensure_conn(d, err))) return rc;
    if (load->schema) sl_schema_to_json(load->schema, &schema);
    rc = sl__cat_insert_load(db, load, load->status ? load->status : "failed", 0, schema.p, err);
    sl_buf_free(&schema);
    unlock_source(d);
    return rc;
}

/* ---- listing and reading back -------------------------------------------------------------- */

/* Bronze rows of a load, in input order, through a cursor (bounded memory; the callback may
 * use the connection between fetches). raw is what the rebuild decodes: the JSON record. */
static int pg_bronze_scan(struct sl_db *db, const char *source, int64_t load, sl_bronze_cb cb,
                          void *ctx, struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct sl_buf sql = SL_BUF_INIT, raw = SL_BUF_INIT;
    char id[24];
    const char *p[] = {id};
    PGresult *r = NULL;
    int rc, own_tx = 0;

    if ((rc = sl__pg_ensure_conn(d, err))) return rc;
    snprintf(id, sizeof id, "%lld", (long long)load);
    if (PQtransactionStatus(d->c) == PQTRANS_IDLE) {
        if ((rc = sl__pg_exec(d, "BEGIN", "reading bronze", err))) return rc;
        own_tx = 1;
    }
    sl_buf_adds(&sql, "DECLARE sluice_scan NO SCROLL CURSOR FOR SELECT row_num, line, "
                      "byte_offset, raw_data::text, raw_bytes, validation_status FROM ");
    bronze_ident(&sql, source);
    sl_buf_adds(&sql, " WHERE load_id = $1 AND validation_status <> 'invalid' ORDER BY row_num");
    rc = sl__pg_q(d, sql.p, 1, p, NULL, "reading bronze", err);
    while (rc == 0) {
        int nr;
        rc = sl__pg_q(d, "FETCH 10000 FROM sluice_scan", 0, NULL, &r, "reading bronze", err);
        if (rc < 0) break;
        nr = PQntuples(r);
        if (nr == 0) break;
        for (int i = 0; i < nr && rc == 0; i++) {
            struct sl_bronze_row br;
            br.load = load;
            br.num = get_i64(r, i, 0, 0);
            br.line = get_i64(r, i, 1, 0);
            br.offset = get_i64(r, i, 2, 0);
            br.status = PQgetvalue(r, i, 5);
            if (!PQgetisnull(r, i, 3)) {
                br.raw = PQgetvalue(r, i, 3);
                br.raw_len = (size_t)PQgetlength(r, i, 3);
            } else {
                const char *h = PQgetvalue(r, i, 4);
                size_t hl = (size_t)PQgetlength(r, i, 4);
                sl_buf_reset(&raw);
                for (size_t k = 2; k + 1 < hl; k += 2)
                    sl_buf_addc(&raw, (char)(unhex(h[k]) << 4 | unhex(h[k + 1])));
                br.raw = sl_buf_str(&raw);
                br.raw_len = raw.len;
            }
            rc = cb(ctx, &br, err);
        }
        PQclear(r);
        r = NULL;
    }
    PQclear(r);
    if (rc == 0) rc = sl__pg_exec(d, "CLOSE sluice_scan", "reading bronze", err);
    if (own_tx && PQstatus(d->c) == CONNECTION_OK)
        PQclear(PQexec(d->c, rc ? "ROLLBACK" : "COMMIT"));
    sl_buf_free(&sql);
    sl_buf_free(&raw);
    return rc;
}

/* ---- changes: active flags and rebuilds ------------------------------------------------- */

static int pg_begin_change(struct sl_db *db, struct sl_load *change, int empty_silver,
                           struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct pg_load *L;
    struct sl_load tmp;
    int rc;

    if ((rc = sl__cat_begin_check(db, d->open_load != NULL, change, "change", err))) return rc;
    if ((rc = sl__pg_ensure_conn(d, err))) return rc;
    if ((rc = lock_source(d, change->source, err))) return rc;
    if ((rc = sl__pg_exec(d, "BEGIN", "starting the change", err))) return rc;
    sl__pg_lookup_reset(d);
    L = sl_xcalloc(1, sizeof *L);
    change->priv = L;
    d->open_load = L;
    tmp = *change;
    tmp.silver_change = empty_silver ? 2 : 0;
    tmp.bronze_only = 0;
    int created;
    rc = create_bronze(d, change->source, &created, err);
    if (rc == 0) rc = create_silver(d, &tmp, err);
    if (rc == 0) rc = prepare_load(d, &tmp, L, err);
    return rc;
}

static int pg_delete_silver_load(struct sl_db *db, struct sl_load *change, int64_t load,
                                 int64_t *deleted, struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct sl_buf sql = SL_BUF_INIT;
    char id[24];
    const char *p[] = {id};
    PGresult *r;
    int rc;

    if (!change->priv) return not_open(d, err);
    snprintf(id, sizeof id, "%lld", (long long)load);
    sl_buf_adds(&sql, "DELETE FROM ");
    sl__pg_silver_ident(d, &sql, change->source);
    sl_buf_adds(&sql, " WHERE \"_load\" = $1");
    rc = sl__pg_q(d, sql.p, 1, p, &r, "deleting silver rows", err);
    sl_buf_free(&sql);
    if (rc < 0) return rc;
    if (deleted) *deleted = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return 0;
}

static int pg_end_change(struct sl_db *db, struct sl_load *change, int commit, struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct sl_buf note = SL_BUF_INIT;
    int rc = 0, open = change->priv != NULL;

    if (commit) replaced_note(change->priv, change->source, &note);
    sl_buf_free(&note);
    free_load_state(d, change);
    sl__pg_lookup_reset(d);
    if (!d->c || PQstatus(d->c) != CONNECTION_OK || PQtransactionStatus(d->c) == PQTRANS_IDLE) {
        unlock_source(d);
        if (!commit) return 0;
        if (open && d->c && PQstatus(d->c) != CONNECTION_OK)
            return sl_error_set(err, SL_EDB, "%s: the connection to the server was lost", d->where);
        return not_open(d, err);
    }
    if (commit) rc = sl__pg_exec(d, "COMMIT", "committing the change", err);
    if ((!commit || rc < 0) && PQstatus(d->c) == CONNECTION_OK &&
        PQtransactionStatus(d->c) != PQTRANS_IDLE)
        PQclear(PQexec(d->c, "ROLLBACK"));
    unlock_source(d);
    return rc;
}

/* ---- sluice migrate ------------------------------------------------------------------------ */

static int pg_migrations(struct sl_db *db, struct sl_migration_info **out, size_t *n,
                         struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    size_t known = sl__migrations_count(), len = known;
    struct sl_migration_info *v = sl_xcalloc(known + 1, sizeof *v);
    PGresult *r = NULL;
    int rc;

    *out = NULL;
    *n = 0;
    for (size_t i = 0; i < known; i++) {
        const char *name, *sql;
        sl__migration_get(i, SL__DIALECT_PG, &v[i].version, &name, &sql);
        v[i].name = sl_xstrdup(name);
        v[i].known = 1;
    }
    rc = relation_exists(d, "sluice.migrations", err);
    if (rc > 0)
        rc = sl__pg_q(d,
                      "SELECT version, name, checksum, applied_at FROM sluice.migrations "
                      "ORDER BY version",
                      0, NULL, &r, "reading sluice.migrations", err);
    for (int k = 0; rc == 0 && r && k < PQntuples(r); k++) {
        int version = atoi(PQgetvalue(r, k, 0)), found = 0;
        struct sl_migration_info *mi = NULL;
        for (size_t i = 0; i < known && !found; i++) {
            const char *name, *sql;
            char sum[65];
            if (v[i].version != version) continue;
            found = 1;
            mi = &v[i];
            sl__migration_get(i, SL__DIALECT_PG, &version, &name, &sql);
            sl_sha256_hex(sql, strlen(sql), sum);
            mi->changed = strcmp(sum, PQgetvalue(r, k, 2)) != 0;
        }
        if (!found) {
            v = sl_xrealloc(v, (len + 1) * sizeof *v);
            mi = &v[len++];
            memset(mi, 0, sizeof *mi);
            mi->version = version;
            mi->name = sl__pg_get_str(r, k, 1);
        }
        mi->applied = 1;
        mi->applied_at = sl__pg_get_str(r, k, 3);
    }
    PQclear(r);
    if (rc < 0) {
        sl_migration_infos_free(v, len);
        return rc;
    }
    *out = v;
    *n = len;
    return 0;
}

static int pg_migrate_to(struct sl_db *db, int target, struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct sl_migration_info *v = NULL;
    size_t n = 0;
    int rc;

    if (target < 0) return pg_migrate(d, err);
    rc = sl__pg_exec(d, "BEGIN; SELECT pg_advisory_xact_lock(1936483173, 1)",
                     "starting the migration", err);
    if (rc == 0) rc = pg_migrations(db, &v, &n, err);
    for (size_t k = n; rc == 0 && k-- > 0;) {
        char vs[16];
        const char *p[] = {vs}, *down = NULL;
        if (!v[k].applied || v[k].version <= target) continue;
        for (size_t i = 0; i < sl__migrations_count() && v[k].known; i++) {
            int version;
            const char *name, *sql;
            sl__migration_get(i, SL__DIALECT_PG, &version, &name, &sql);
            if (version == v[k].version) down = sl__migration_down(i, SL__DIALECT_PG);
        }
        if (!down) {
            rc = sl_error_set(err, SL_EDB,
                              "%s: migration %d is unknown to this sluice: cannot "
                              "undo it",
                              d->where, v[k].version);
            break;
        }
        rc = sl__pg_exec(d, down, "undoing a migration", err);
        snprintf(vs, sizeof vs, "%d", v[k].version);
        if (rc == 0)
            rc = sl__pg_q(d, "DELETE FROM sluice.migrations WHERE version = $1", 1, p, NULL,
                          "recording the migration", err);
    }
    sl_migration_infos_free(v, n);
    if (rc == 0) rc = sl__pg_exec(d, "COMMIT", "committing the migration", err);
    if (rc < 0 && PQstatus(d->c) == CONNECTION_OK && PQtransactionStatus(d->c) != PQTRANS_IDLE)
        PQclear(PQexec(d->c, "ROLLBACK"));
    return rc;
}

int sl_store_pg_pool_stats(struct sl_db *db, struct sl_pg_pool_stats *out)
{
    if (!db || db->store != &sl_store_postgres) return -1;
    sl_pg_pool_stats(((struct pg_db *)db)->pool, out);
    return 0;
}

/* A record is kept whole in bronze up to a bytea's size (raw_bytes when jsonb cannot hold
 * it); silver's values are text (1 GB) or jsonb. Rows have no limit of their own (TOAST). */
static void pg_limits(struct sl_db *db, struct sl_store_limits *out)
{
    (void)db;
    memset(out, 0, sizeof *out);
    out->record = out->value = PG_VALUE_MAX;
    out->json = PG_JSONB_MAX;
    out->json_size = sl__pg_jsonb_size;
    out->value_what = "PostgreSQL's limit for a value";
    out->json_what = "PostgreSQL's jsonb";
}

/* System column names (a column may not have one: "column name "ctid" conflicts with a system
 * column name"; oid too before PostgreSQL 12), and NAMEDATALEN - 1 bytes of an identifier. */
static const char *const pg_system_columns[] = {"ctid", "xmin", "xmax",     "cmin",
                                                "cmax", "oid",  "tableoid", NULL};
static const struct sl_name_rules pg_name_rules = {pg_system_columns, 63, "PostgreSQL"};

const struct sl_store sl_store_postgres = {
    .scheme = "postgresql",
    .name = "PostgreSQL",
    .name_rules = &pg_name_rules,
    .max_columns = 1600, /* MaxHeapAttributeNumber */
    .bronze_table = "bronze.%s",
    .catalog = &pg_dialect,
    .open = pg_open,
    .close = pg_close,
    .source_state = pg_source_state,
    .find_input = sl__cat_find_input,
    .has_input_size = sl__cat_has_input_size,
    .begin_run = sl__cat_begin_run,
    .end_run = sl__cat_end_run,
    .begin_load = pg_begin_load,
    .write = pg_write,
    .write_silver = pg_write_silver,
    .commit_load = pg_commit_load,
    .abort_load = pg_abort_load,
    .record_load = pg_record_load,
    .list_loads = sl__cat_list_loads,
    .list_sources = sl__cat_list_sources,
    .bronze_scan = pg_bronze_scan,
    .begin_change = pg_begin_change,
    .set_active = sl__cat_set_active,
    .delete_silver_load = pg_delete_silver_load,
    .end_change = pg_end_change,
    .list_events = sl__cat_list_events,
    .silver_lookup = sl__pg_silver_lookup,
    .silver_rows = pg_silver_rows,
    .migrations = pg_migrations,
    .migrate = pg_migrate_to,
    .limits = pg_limits,
};
