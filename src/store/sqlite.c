/*
 * The SQLite store: bronze, silver and the catalog in one database file.
 *
 * A load is one write transaction (BEGIN IMMEDIATE ... COMMIT) with one prepared INSERT per
 * table, reset and rebound per row: the bulk path is the same as `sqlite3 .import`. Since SQLite
 * has one writer, the bronze rows of a load are a contiguous rowid range, which the catalog
 * records (bronze_first, bronze_last) instead of indexing bronze by load.
 *
 * Identifiers are always double-quoted (sql_ident); values are always bound.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sluice/store.h"
#include "catalog.h"
#include "migrations.h"

struct sqlite_db {
    struct sl_db base;
    sqlite3 *h;
    char *path;
    struct sqlite_load *open_load; /* the load whose transaction is open, or NULL */
    struct {
        char *sql;
        sqlite3_stmt *st;
    } lookups[8]; /* silver_lookup's statements, by SQL text (see sqlite_lookup.c's part) */
    unsigned nlookup;
    double busy_since; /* busy_wait: when the current wait began (monotonic seconds) */
    int busy_said;     /* ... and whether it was announced */
    int busy_gave_up;  /* the last SQLITE_BUSY came after the whole busy timeout */
    int read_only;     /* SL_STORE_OPEN_READ_ONLY: nothing is written, not even an index */
};

/* How long a command waits for another writer (sl_store_set_busy_timeout). */
static double busy_timeout = SL_STORE_BUSY_TIMEOUT_DEFAULT;

void sl_store_set_busy_timeout(double seconds)
{
    busy_timeout = seconds >= 0 ? seconds : SL_STORE_BUSY_TIMEOUT_DEFAULT;
}

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* SQLite's busy handler: another connection writes. Waits up to busy_timeout, saying so on
 * stderr after a second; a signal ends the wait (the load then rolls back). */
static int busy_wait(void *arg, int count)
{
    struct sqlite_db *d = arg;
    double now = mono_now();

    if (count == 0) {
        d->busy_since = now;
        d->busy_said = d->busy_gave_up = 0;
    }
    if (sl_interrupted) return 0;
    if (now - d->busy_since >= busy_timeout) {
        d->busy_gave_up = 1;
        return 0;
    }
    if (!d->busy_said && now - d->busy_since >= 1.0) {
        d->busy_said = 1;
        sl_log(SL_LOG_INFO,
               "%s: waiting for another load to finish (the database is locked; giving up after "
               "%.0f s, see --busy-timeout)",
               d->path, busy_timeout);
    }
    /* 1 ms, doubling up to 100 ms: short waits stay short, long ones cost nothing */
    unsigned ms = count < 7 ? 1u << count : 100;
    struct timespec ts = {0, (long)ms * 1000000L};
    nanosleep(&ts, NULL);
    return 1;
}

/* A load's state while its transaction is open (sl_load.priv). */
/* Rows per multi-row INSERT: one statement execution per MULTI rows instead of per row
 * saves SQLite's per-statement work (a tenth of a bulk load's time). */
#define MULTI 16

struct sqlite_load {
    sqlite3_stmt *bronze; /* INSERT INTO bronze (load,row,line,byte_offset,status,errors,raw) */
    sqlite3_stmt *bronze_multi; /* the same for MULTI rows */
    sqlite3_stmt *silver;       /* INSERT INTO silver ...; ON CONFLICT DO NOTHING when keyed */
    sqlite3_stmt *silver_multi; /* unkeyed: silver_rows rows at once; NULL when keyed */
    sqlite3_stmt *update;       /* keyed: UPDATE silver SET non-key columns WHERE key; else NULL */
    size_t nfields;
    size_t silver_rows;                /* rows per silver_multi */
    int64_t bronze_first, bronze_last; /* 0: no bronze row yet */
    struct sl_buf errors[MULTI];       /* rows' errors as JSON, reused */
};

/* ---- helpers -------------------------------------------------------------------------- */

/* Appends the quoted name of the source's bronze table. */
static void bronze_ident(struct sl_buf *b, const char *source)
{
    char *name = sl_xasprintf("bronze_%s", source);
    sql_ident(b, name);
    free(name);
}

static int db_error(struct sqlite_db *d, const char *doing, struct sl_error *err)
{
    /* an I/O error says what the system said: "disk I/O error" alone does not tell a full disk
     * (ENOSPC) or a file-size limit (EFBIG) from a broken one */
    int e = sqlite3_system_errno(d->h);
    int ec = sqlite3_extended_errcode(d->h);
    if (e && ((ec & 0xff) == SQLITE_IOERR || (ec & 0xff) == SQLITE_FULL))
        return sl_error_set(err, SL_EDB, "%s: %s%s%s (%s)", d->path, doing ? doing : "",
                            doing ? ": " : "", sqlite3_errmsg(d->h), strerror(e));
    if ((ec & 0xff) == SQLITE_BUSY && d->busy_gave_up)
        return sl_error_set(err, SL_EDB,
                            "%s: %s%sthe database stayed locked by another load or program for "
                            "%.0f s (the busy timeout); try again when it has finished, or wait "
                            "longer with --busy-timeout",
                            d->path, doing ? doing : "", doing ? ": " : "", busy_timeout);
    if (doing) return sl_error_set(err, SL_EDB, "%s: %s: %s", d->path, doing, sqlite3_errmsg(d->h));
    return sl_error_set(err, SL_EDB, "%s: %s", d->path, sqlite3_errmsg(d->h));
}

static int prepare(struct sqlite_db *d, const char *sql, sqlite3_stmt **st, const char *doing,
                   struct sl_error *err)
{
    if (sqlite3_prepare_v2(d->h, sql, -1, st, NULL) != SQLITE_OK) {
        *st = NULL;
        return db_error(d, doing, err);
    }
    return 0;
}

static int exec(struct sqlite_db *d, const char *sql, const char *doing, struct sl_error *err)
{
    if (sqlite3_exec(d->h, sql, NULL, NULL, NULL) != SQLITE_OK) return db_error(d, doing, err);
    return 0;
}

/* Steps a statement that returns no rows. */
static int step_done(struct sqlite_db *d, sqlite3_stmt *st, const char *doing, struct sl_error *err)
{
    if (sqlite3_step(st) != SQLITE_DONE) return db_error(d, doing, err);
    return 0;
}

static char *column_strdup(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? sl_xstrdup((const char *)s) : NULL;
}

static const char *path_of_url(const char *url)
{
    if (!strncasecmp(url, "sqlite:", 7)) {
        url += 7;
        if (url[0] == '/' && url[1] == '/') url += 2; /* sqlite:///abs/path */
    }
    return url;
}

/* ---- the catalog's dialect (catalog.h) ------------------------------------------------------ */

static void bind_param(sqlite3_stmt *st, int i, const struct sl__param *p)
{
    switch (p->type) {
    case SL__P_TEXT: sqlite3_bind_text(st, i, p->s, -1, SQLITE_STATIC); break;
    case SL__P_INT: sqlite3_bind_int64(st, i, p->i); break;
    case SL__P_REAL: sqlite3_bind_double(st, i, p->f); break;
    default: sqlite3_bind_null(st, i);
    }
}

static int cat_run(struct sl_db *db, const char *sql, const struct sl__param *p, int n,
                   sl__row_fn row, void *ctx, int64_t *changes, const char *doing,
                   struct sl_error *err)
{
    struct sqlite_db *d = (struct sqlite_db *)db;
    sqlite3_stmt *st = NULL;
    struct sl__row r = {NULL, 0};
    int rc, s;

    rc = prepare(d, sql, &st, doing, err);
    if (rc < 0) return rc;
    for (int i = 0; i < n; i++) bind_param(st, i + 1, &p[i]);
    r.res = st;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (row && (rc = row(ctx, &r, err))) goto out;
        r.i++;
    }
    if (s != SQLITE_DONE)
        rc = db_error(d, doing, err);
    else if (changes)
        *changes = sqlite3_changes64(d->h);
out:
    sqlite3_finalize(st);
    return rc;
}

static const char *cat_text(const struct sl__row *r, int col)
{
    return (const char *)sqlite3_column_text(r->res, col);
}

static int64_t cat_i64(const struct sl__row *r, int col, int64_t null)
{
    return sqlite3_column_type(r->res, col) == SQLITE_NULL ? null
                                                           : sqlite3_column_int64(r->res, col);
}

static double cat_f64(const struct sl__row *r, int col)
{
    return sqlite3_column_double(r->res, col);
}

static const char *cat_where(struct sl_db *db)
{
    return ((struct sqlite_db *)db)->path;
}

static const struct sl__dialect sqlite_dialect = {
    .tables = "sluice_",
    .param = '?',
    .casts = 0,
    .bytewise = "", /* BINARY, SQLite's default collation */
    .load_id = NULL,
    .run = cat_run,
    .text = cat_text,
    .i64 = cat_i64,
    .f64 = cat_f64,
    .where = cat_where,
};

/* ---- open / close ------------------------------------------------------------------------ */

static void sqlite_close(struct sl_db *db)
{
    struct sqlite_db *d = (struct sqlite_db *)db;
    if (!d) return;
    for (unsigned i = 0; i < 8; i++) {
        sqlite3_finalize(d->lookups[i].st);
        free(d->lookups[i].sql);
    }
    sqlite3_close_v2(d->h);
    free(d->path);
    free(d->base.url);
    free(d);
}

/* Before SQLite's first use: no memory statistics, whose global mutex is taken on every
 * allocation (a few percent of a bulk load). If the host program initialized SQLite already,
 * this fails harmlessly. */
static void configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/*
 * SLUICE_SQLITE_MAX_LENGTH=SIZE lowers SQLite's length limit (the largest string, BLOB or row,
 * SQLITE_LIMIT_LENGTH) for this connection, as a SQLite built with a lower SQLITE_MAX_LENGTH
 * has it: to keep a store within what such a build reads, and to test what happens at the
 * limit without values of a gigabyte. It can only lower the limit.
 */
static int lower_length_limit(struct sqlite_db *d, struct sl_error *err)
{
    const char *env = getenv("SLUICE_SQLITE_MAX_LENGTH");
    int max = sqlite3_limit(d->h, SQLITE_LIMIT_LENGTH, -1);
    int64_t n;

    if (!env || !*env) return 0;
    n = sl_parse_size(env);
    if (n < 65536 || n > max)
        return sl_error_set(err, SL_ECONFIG,
                            "SLUICE_SQLITE_MAX_LENGTH=%.40s: not a size from 64KiB to %d bytes "
                            "(SQLite's length limit can only be lowered)",
                            env, max);
    sqlite3_limit(d->h, SQLITE_LIMIT_LENGTH, (int)n);
    return 0;
}

static int sqlite_open(const char *url, struct sl_db **out, struct sl_error *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    struct sqlite_db *d;
    int rc = 0;

    pthread_once(&once, configure_sqlite);
    d = sl_xcalloc(1, sizeof *d);
    *out = NULL;
    d->base.store = &sl_store_sqlite;
    d->base.url = sl_xstrdup(url);
    d->path = sl_xstrdup(path_of_url(url));
    if (!*d->path) {
        rc = sl_error_set(err, SL_EINVAL, "%s: no database path in the store URL", url);
        goto out;
    }
    d->read_only = (sl__open_flags & SL_STORE_OPEN_READ_ONLY) != 0;
    if (d->read_only && access(d->path, F_OK)) {
        rc = sl_error_set(err, SL_EINVAL, "no database at %s (nothing was loaded there yet)",
                          d->path);
        goto out;
    }
    if (sqlite3_open_v2(
            d->path, &d->h,
            (d->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                SQLITE_OPEN_NOMUTEX,
            NULL) != SQLITE_OK) {
        rc = d->h ? db_error(d, NULL, err)
                  : sl_error_set(err, SL_EDB, "%s: out of memory opening the database", d->path);
        goto out;
    }
    sqlite3_busy_handler(d->h, busy_wait, d);
    if ((rc = lower_length_limit(d, err))) goto out;
    if (!d->read_only && (sl__open_flags & SL_STORE_OPEN_EXISTING)) {
        /* checked before anything is set: another application's file stays as it is */
        rc = sl__migrate_check(d->h, d->path, err);
        if (rc < 0 && err->code == SL_ENOTFOUND) goto out;
        rc = 0; /* an older catalog is migrated below; a file that is no database fails there */
        err->code = 0;
        err->msg[0] = 0;
    }
    /* WAL lets readers (versions, the server) run while a load writes. synchronous=FULL: one
     * fsync per commit is nothing next to a bulk load and a committed load must survive a
     * power cut. The page cache is bounded (16 MiB) so memory does not grow with the input.
     * 16 KiB pages (for new databases): measured on the flights file, 4 KiB pages cost ~35%
     * more (WAL writes every page twice, and more pages mean more frames and syscalls) and
     * 64 KiB pages ~50% more (SQLite's B-tree balancing copies and allocates whole pages). */
    /* (sluice migrate leaves the journal mode alone: `migrate status` on another application's
     * database must not change it) */
    rc = exec(d,
              d->read_only ? "PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY; "
                             "SELECT count(*) FROM sqlite_master"
              : (sl__open_flags & SL_STORE_OPEN_NO_MIGRATE)
                  ? "PRAGMA synchronous=FULL; PRAGMA cache_size=-16384; "
                    "PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=ON; "
                    "SELECT count(*) FROM sqlite_master"
                  : "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA "
                    "synchronous=FULL; PRAGMA cache_size=-16384; "
                    "PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=ON",
              NULL, err);
    if (rc < 0 && (sqlite3_errcode(d->h) & 0xff) == SQLITE_NOTADB) {
        rc = sl_error_set(err, SL_EINVAL,
                          "%s is not a sluice store (not a SQLite database); it was left as it "
                          "is",
                          d->path);
        goto out;
    }
    if (rc < 0) goto out;
    if (d->read_only)
        rc = sl__migrate_check(d->h, d->path, err);
    else if (!(sl__open_flags & SL_STORE_OPEN_NO_MIGRATE))
        rc = sl__migrate(d->h, d->path, err);
out:
    if (rc < 0)
        sqlite_close(&d->base);
    else
        *out = &d->base;
    return rc;
}

/* ---- catalog queries -------------------------------------------------------------------- */

static int sqlite_silver_rows(struct sl_db *db, const char *source, int64_t *n,
                              struct sl_error *err)
{
    struct sqlite_db *d = (struct sqlite_db *)db;
    struct sl_buf sql = SL_BUF_INIT;
    sqlite3_stmt *st = NULL;
    int rc, s;

    *n = 0;
    sl_buf_adds(&sql, "SELECT count(*) FROM ");
    sql_ident(&sql, source);
    rc = prepare(d, sql.p, &st, "counting silver rows", err);
    if (rc < 0) goto out;
    s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    else
        rc = db_error(d, "counting silver rows", err);
out:
    sqlite3_finalize(st);
    sl_buf_free(&sql);
    return rc < 0 ? rc : 0;
}

/* ---- loads: tables ------------------------------------------------------------------------ */

static int upsert_source(struct sqlite_db *d, struct sl_load *load, const char *schema_json,
                         const char *now, struct sl_error *err)
{
    char *bronze = sl_xasprintf("bronze_%s", load->source);
    int rc = sl__cat_upsert_source(&d->base, load, bronze, schema_json, now, err);
    free(bronze);
    return rc;
}

static int create_bronze(struct sqlite_db *d, const char *source, struct sl_error *err)
{
    struct sl_buf sql = SL_BUF_INIT;
    int rc;

    /* raw has no declared type: JSON text, unparseable text or a BLOB, kept as received */
    sl_buf_adds(&sql, "CREATE TABLE IF NOT EXISTS ");
    bronze_ident(&sql, source);
    sl_buf_adds(&sql, "(id INTEGER PRIMARY KEY, load INTEGER NOT NULL, row INTEGER NOT NULL, "
                      "line INTEGER, byte_offset INTEGER, status TEXT NOT NULL, errors TEXT, raw)");
    rc = exec(d, sql.p, "creating the bronze table", err);
    sl_buf_free(&sql);
    return rc;
}

static int create_silver(struct sqlite_db *d, const char *source, const struct sl_schema *s,
                         struct sl_error *err)
{
    struct sl_buf sql = SL_BUF_INIT;
    int rc;

    sl_buf_adds(&sql, "CREATE TABLE IF NOT EXISTS ");
    sql_ident(&sql, source);
    sl_buf_addc(&sql, '(');
    for (size_t i = 0; i < s->nfields; i++) {
        sql_ident(&sql, s->fields[i].name);
        sl_buf_addf(&sql, " %s, ", sl_type_sql(s->fields[i].type));
    }
    sl_buf_adds(&sql, "\"_load\" INTEGER NOT NULL, \"_row\" INTEGER NOT NULL");
    if (s->npk) {
        sl_buf_adds(&sql, ", PRIMARY KEY(");
        for (size_t i = 0; i < s->npk; i++) {
            if (i) sl_buf_addc(&sql, ',');
            sql_ident(&sql, s->fields[s->pk[i]].name);
        }
        sl_buf_addc(&sql, ')');
    }
    sl_buf_addc(&sql, ')');
    rc = exec(d, sql.p, "creating the silver table", err);
    sl_buf_free(&sql);
    return rc;
}

static int drop_silver(struct sqlite_db *d, const char *source, struct sl_error *err)
{
    struct sl_buf sql = SL_BUF_INIT;
    int rc;

    sl_buf_adds(&sql, "DROP TABLE IF EXISTS ");
    sql_ident(&sql, source);
    rc = exec(d, sql.p, "dropping the silver table for a rebuild", err);
    sl_buf_free(&sql);
    return rc;
}

/* Adds the schema's fields that the silver table does not have yet. */
static int add_silver_columns(struct sqlite_db *d, const char *source, const struct sl_schema *s,
                              struct sl_error *err)
{
    sqlite3_stmt *st = NULL;
    struct sl_buf sql = SL_BUF_INIT;
    char **have = NULL;
    size_t nhave = 0, cap = 0;
    int rc, step;

    rc = prepare(d, "SELECT name FROM pragma_table_info(?1)", &st, "reading the silver columns",
                 err);
    if (rc < 0) goto out;
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (nhave == cap) {
            cap = cap ? cap * 2 : 16;
            have = sl_xrealloc(have, cap * sizeof *have);
        }
        have[nhave++] = column_strdup(st, 0);
    }
    if (step != SQLITE_DONE) {
        rc = db_error(d, "reading the silver columns", err);
        goto out;
    }
    for (size_t i = 0; i < s->nfields; i++) {
        int found = 0;
        /* SQL column names compare without case */
        for (size_t j = 0; j < nhave && !found; j++)
            found = have[j] && !strcasecmp(have[j], s->fields[i].name);
        if (found) continue;
        sl_buf_reset(&sql);
        sl_buf_adds(&sql, "ALTER TABLE ");
        sql_ident(&sql, source);
        sl_buf_adds(&sql, " ADD COLUMN ");
        sql_ident(&sql, s->fields[i].name);
        sl_buf_addf(&sql, " %s", sl_type_sql(s->fields[i].type));
        rc = exec(d, sql.p, "adding a silver column", err);
        if (rc < 0) goto out;
    }
out:
    sqlite3_finalize(st);
    for (size_t j = 0; j < nhave; j++) free(have[j]);
    free(have);
    sl_buf_free(&sql);
    return rc;
}

static int is_pk(const struct sl_schema *s, size_t field)
{
    for (size_t k = 0; k < s->npk; k++)
        if ((size_t)s->pk[k] == field) return 1;
    return 0;
}

/*
 * The per-load statements. Parameters are numbered so that one set of bindings serves both
 * silver statements: ?i is field i (1-based), then ?N+1 = _load, ?N+2 = _row.
 */
static int prepare_load(struct sqlite_db *d, struct sl_load *load, struct sqlite_load *L,
                        struct sl_error *err)
{
    const struct sl_schema *s = load->schema;
    struct sl_buf sql = SL_BUF_INIT;
    size_t n = s->nfields;
    int rc;

    sl_buf_adds(&sql, "INSERT INTO ");
    bronze_ident(&sql, load->source);
    sl_buf_adds(&sql, "(load, row, line, byte_offset, status, errors, raw) "
                      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    rc = prepare(d, sql.p, &L->bronze, "preparing the bronze insert", err);
    if (rc < 0) goto out;
    for (int k = 1; k < MULTI; k++) sl_buf_adds(&sql, ", (?, ?, ?, ?, ?, ?, ?)");
    rc = prepare(d, sql.p, &L->bronze_multi, "preparing the bronze insert", err);
    if (rc < 0) goto out;
    if (load->bronze_only) goto out; /* a failed load: silver is not touched */

    sl_buf_reset(&sql);
    sl_buf_adds(&sql, "INSERT INTO ");
    sql_ident(&sql, load->source);
    sl_buf_addc(&sql, '(');
    for (size_t i = 0; i < n; i++) {
        sql_ident(&sql, s->fields[i].name);
        sl_buf_adds(&sql, ", ");
    }
    sl_buf_adds(&sql, "\"_load\", \"_row\") VALUES(");
    for (size_t i = 0; i < n + 2; i++) sl_buf_addf(&sql, "%s?%zu", i ? ", " : "", i + 1);
    sl_buf_addc(&sql, ')');
    if (s->npk) sl_buf_adds(&sql, " ON CONFLICT DO NOTHING");
    rc = prepare(d, sql.p, &L->silver, "preparing the silver insert", err);
    if (rc < 0) goto out;
    /* unkeyed: several rows per statement, within SQLite's limit of 32766 parameters */
    L->silver_rows = 30000 / (n + 2);
    if (L->silver_rows > MULTI) L->silver_rows = MULTI;
    if (!s->npk && L->silver_rows > 1) {
        for (size_t k = 1; k < L->silver_rows; k++) {
            sl_buf_adds(&sql, ", (");
            for (size_t i = 0; i < n + 2; i++) sl_buf_adds(&sql, i ? ", ?" : "?");
            sl_buf_addc(&sql, ')');
        }
        rc = prepare(d, sql.p, &L->silver_multi, "preparing the silver insert", err);
        if (rc < 0) goto out;
    }

    if (s->npk) {
        int first = 1;
        sl_buf_reset(&sql);
        sl_buf_adds(&sql, "UPDATE ");
        sql_ident(&sql, load->source);
        sl_buf_adds(&sql, " SET ");
        for (size_t i = 0; i < n; i++) {
            if (is_pk(s, i)) continue;
            sql_ident(&sql, s->fields[i].name);
            sl_buf_addf(&sql, " = ?%zu, ", i + 1);
        }
        sl_buf_addf(&sql, "\"_load\" = ?%zu, \"_row\" = ?%zu WHERE ", n + 1, n + 2);
        for (size_t k = 0; k < s->npk; k++) {
            sl_buf_adds(&sql, first ? "" : " AND ");
            first = 0;
            sql_ident(&sql, s->fields[s->pk[k]].name);
            sl_buf_addf(&sql, " = ?%d", s->pk[k] + 1);
        }
        rc = prepare(d, sql.p, &L->update, "preparing the silver update", err);
        if (rc < 0) goto out;
    }
    L->nfields = n;
out:
    sl_buf_free(&sql);
    return rc;
}

static void free_load_state(struct sqlite_db *d, struct sl_load *load)
{
    struct sqlite_load *L = load->priv;
    if (!L) return;
    sqlite3_finalize(L->bronze);
    sqlite3_finalize(L->bronze_multi);
    sqlite3_finalize(L->silver);
    sqlite3_finalize(L->silver_multi);
    sqlite3_finalize(L->update);
    for (int k = 0; k < MULTI; k++) sl_buf_free(&L->errors[k]);
    free(L);
    load->priv = NULL;
    if (d->open_load == L) d->open_load = NULL;
}

static int sqlite_begin_load(struct sl_db *db, struct sl_load *load, struct sl_error *err)
{
    struct sqlite_db *d = (struct sqlite_db *)db;
    struct sqlite_load *L = NULL;
    struct sl_buf schema = SL_BUF_INIT;
    char now[40];
    int rc;

    if ((rc = sl__cat_begin_check(db, d->open_load != NULL, load, "load", err))) return rc;
    rc = exec(d, "BEGIN IMMEDIATE", "starting the load", err);
    if (rc < 0) return rc;
    if ((rc = sl__cat_case_conflict(db, load->source, err)) < 0) {
        sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }

    L = sl_xcalloc(1, sizeof *L);
    load->priv = L;
    d->open_load = L;
    load->repeats = 0;
    sl_schema_to_json(load->schema, &schema);
    sl_time_iso(sl_now(), now, sizeof now);
    if (load->bronze_only) {
        /* a load that failed its quality thresholds: bronze and its catalog row only; the
         * source's schema and silver stay as they were */
        rc = create_bronze(d, load->source, err);
        if (rc == 0) rc = sl__cat_insert_load(db, load, "failed", 0, sl_buf_str(&schema), err);
        if (rc == 0) rc = prepare_load(d, load, L, err);
        goto out;
    }
    rc = upsert_source(d, load, sl_buf_str(&schema), now, err);
    if (rc < 0) goto out;
    rc = create_bronze(d, load->source, err);
    if (rc < 0) goto out;
    if (load->silver_change == 2) {
        rc = drop_silver(d, load->source, err);
        if (rc < 0) goto out;
    }
    rc = create_silver(d, load->source, load->schema, err);
    if (rc < 0) goto out;
    if (load->silver_change == 1) {
        rc = add_silver_columns(d, load->source, load->schema, err);
        if (rc < 0) goto out;
    }
    /* The load row exists from the start, inside the transaction: nobody sees it before the
     * commit, and its id is what silver's _load refers to. */
    rc = sl__cat_insert_load(db, load, "committed", 1, sl_buf_str(&schema), err);
    if (rc < 0) goto out;
    rc = prepare_load(d, load, L, err);
out:
    sl_buf_free(&schema);
    if (rc < 0) {
        free_load_state(d, load);
        sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
    }
    return rc;
}

/* ---- loads: rows (the hot path) ------------------------------------------------------------ */

static const char *const row_status[] = {"valid", "warning", "invalid"};
static const int row_status_len[] = {5, 7, 7};

/* A row's issues as a JSON array, into L->errors (reused). */
/* Binds row r as the 7 parameters after base; errors is where its issues' JSON lives.
 * SQLITE_OK, or SQLITE_TOOBIG when a value is over SQLite's length limit (the pipeline rejects
 * such records before they come here: this is the last guard against storing NULL). */
static int bind_bronze(sqlite3_stmt *st, int base, int64_t load_id, const struct sl_row *r,
                       struct sl_buf *errors)
{
    int rc = SQLITE_OK;
    int status = r->status <= SL_ROW_INVALID ? r->status : SL_ROW_INVALID;

    sqlite3_bind_int64(st, base + 1, load_id);
    sqlite3_bind_int64(st, base + 2, r->num);
    if (r->line > 0)
        sqlite3_bind_int64(st, base + 3, r->line);
    else
        sqlite3_bind_null(st, base + 3);
    sqlite3_bind_int64(st, base + 4, r->offset);
    sqlite3_bind_text(st, base + 5, row_status[status], row_status_len[status], SQLITE_STATIC);
    if (r->issues) {
        issues_json(errors, r->issues);
        rc = sqlite3_bind_text64(st, base + 6, errors->p, errors->len, SQLITE_STATIC, SQLITE_UTF8);
    } else {
        sqlite3_bind_null(st, base + 6);
    }
    if (!r->raw)
        sqlite3_bind_null(st, base + 7);
    else if (r->raw_kind == SL_RAW_BYTES)
        rc |= sqlite3_bind_blob64(st, base + 7, r->raw, r->raw_len, SQLITE_STATIC);
    else
        rc |= sqlite3_bind_text64(st, base + 7, r->raw, r->raw_len, SQLITE_STATIC, SQLITE_UTF8);
    return rc;
}

/* A value SQLite refused to bind (over its length limit): the load fails, nothing is NULL. */
static int too_big(struct sqlite_db *d, const char *doing, struct sl_error *err)
{
    return sl_error_set(err, SL_EDB,
                        "%s: %s: a value is larger than SQLite's length limit of %d bytes", d->path,
                        doing, sqlite3_limit(d->h, SQLITE_LIMIT_LENGTH, -1));
}

/* Bronze for rows[0..n), n == 1 or MULTI. Rowids of one statement are consecutive. */
static int write_bronze(struct sqlite_db *d, struct sqlite_load *L, int64_t load_id,
                        const struct sl_row *rows, size_t n, struct sl_error *err)
{
    sqlite3_stmt *st = n == 1 ? L->bronze : L->bronze_multi;
    int64_t id;

    sqlite3_reset(st);
    for (size_t k = 0; k < n; k++)
        if (bind_bronze(st, (int)k * 7, load_id, &rows[k], &L->errors[k]) != SQLITE_OK)
            return too_big(d, "writing bronze", err);
    if (sqlite3_step(st) != SQLITE_DONE) return db_error(d, "writing bronze", err);
    id = sqlite3_last_insert_rowid(d->h);
    if (!L->bronze_first) L->bronze_first = id - (int64_t)n + 1;
    L->bronze_last = id;
    return 0;
}

/* SQLITE_OK, or not when a value is over SQLite's length limit (see bind_bronze). */
static int bind_values(sqlite3_stmt *st, int base, const struct sl_row *r, size_t n,
                       int64_t load_id)
{
    int rc = SQLITE_OK;
    for (size_t i = 0; i < n; i++) {
        const struct sl_value *v = r->values ? &r->values[i] : NULL;
        int p = base + (int)i + 1;
        if (!v) {
            sqlite3_bind_null(st, p);
            continue;
        }
        switch (v->type) {
        case SL_V_INT:
        case SL_V_BOOL: sqlite3_bind_int64(st, p, v->u.i); break;
        case SL_V_REAL: sqlite3_bind_double(st, p, v->u.d); break;
        case SL_V_TEXT:
            rc |= sqlite3_bind_text64(st, p, v->u.s, v->len, SQLITE_STATIC, SQLITE_UTF8);
            break;
        default: sqlite3_bind_null(st, p); break;
        }
    }
    sqlite3_bind_int64(st, base + (int)n + 1, load_id);
    sqlite3_bind_int64(st, base + (int)n + 2, r->num);
    return rc;
}

/* Inserts a silver row; a keyed row whose key exists replaces it (*repeat = 1). */
static int write_silver_row(struct sqlite_db *d, struct sqlite_load *L, int64_t load_id,
                            const struct sl_row *r, int *repeat, struct sl_error *err)
{
    *repeat = 0;
    sqlite3_reset(L->silver);
    if (bind_values(L->silver, 0, r, L->nfields, load_id) != SQLITE_OK)
        return too_big(d, "writing silver", err);
    if (sqlite3_step(L->silver) != SQLITE_DONE) return db_error(d, "writing silver", err);
    if (!L->update || sqlite3_changes(d->h) > 0) return 0;
    sqlite3_reset(L->update);
    if (bind_values(L->update, 0, r, L->nfields, load_id) != SQLITE_OK)
        return too_big(d, "updating silver", err);
    if (sqlite3_step(L->update) != SQLITE_DONE) return db_error(d, "updating silver", err);
    *repeat = 1;
    return 0;
}

/* Silver for the rows of b that are not invalid: keyed sources row by row (each upsert must
 * know whether its key was there), unkeyed ones silver_rows at a time. */
static int write_silver_rows(struct sqlite_db *d, struct sqlite_load *L, int64_t load_id,
                             const struct sl_batch *b, int64_t *repeats, struct sl_error *err)
{
    const struct sl_row *group[MULTI];
    size_t ng = 0;
    int rc = 0, repeat;

    for (size_t i = 0; i < b->nrows && rc == 0; i++) {
        const struct sl_row *r = &b->rows[i];
        if (r->status == SL_ROW_INVALID) continue;
        if (!L->silver_multi) {
            rc = write_silver_row(d, L, load_id, r, &repeat, err);
            *repeats += repeat;
            continue;
        }
        group[ng++] = r;
        if (ng < L->silver_rows) continue;
        sqlite3_reset(L->silver_multi);
        for (size_t k = 0; k < ng && rc == 0; k++)
            if (bind_values(L->silver_multi, (int)(k * (L->nfields + 2)), group[k], L->nfields,
                            load_id) != SQLITE_OK)
                rc = too_big(d, "writing silver", err);
        if (rc == 0 && sqlite3_step(L->silver_multi) != SQLITE_DONE)
            rc = db_error(d, "writing silver", err);
        ng = 0;
    }
    for (size_t k = 0; k < ng && rc == 0; k++)
        rc = write_silver_row(d, L, load_id, group[k], &repeat, err);
    return rc;
}

static int not_open(struct sqlite_db *d, struct sl_error *err)
{
    return sl_error_set(err, SL_EINVAL, "%s: no load is open", d->path);
}

static int sqlite_write(struct sl_db *db, struct sl_load *load, const struct sl_batch *b,
                        struct sl_error *err)
{
    struct sqlite_db *d = (struct sqlite_db *)db;
    struct sqlite_load *L = load->priv;
    int rc = 0;
    size_t i = 0;

    if (!L) return not_open(d, err);
    while (i < b->nrows && rc == 0) {
        size_t n = b->nrows - i >= MULTI ? MULTI : 1;
        rc = write_bronze(d, L, load->id, &b->rows[i], n, err);
        i += n;
    }
    if (rc == 0 && !load->bronze_only)
        rc = write_silver_rows(d, L, load->id, b, &load->repeats, err);
    return rc;
}

static int sqlite_write_silver(struct sl_db *db, struct sl_load *load, const struct sl_batch *b,
                               struct sl_error *err)
{
    struct sqlite_db *d = (struct sqlite_db *)db;
    struct sqlite_load *L = load->priv ? load->priv : d->open_load;
    int64_t repeats = 0;
    int rc;

    if (!L) return not_open(d, err);
    /* A rebuild replays earlier loads: their keys repeating is not the open load's doing,
     * so repeats are not counted here. */
    rc = write_silver_rows(d, L, load->id, b, &repeats, err);
    return rc;
}

/* ---- loads: end ---------------------------------------------------------------------------- */

static int sqlite_commit_load(struct sl_db *db, struct sl_load *load, struct sl_error *err)
{
    struct sqlite_db *d = (struct sqlite_db *)db;
    struct sqlite_load *L = load->priv;
    int rc;

    if (!L) return not_open(d, err);
    rc = sl__cat_finish_load(db, load, load->message, L->bronze_first, L->bronze_last, err);
    if (rc < 0) goto out;
    /* Statements are finalized before COMMIT so none holds the database open. */
    free_load_state(d, load);
    if (sqlite3_exec(d->h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_error(d, "committing the load", err);
        goto out;
    }
out:
    if (rc < 0) {
        free_load_state(d, load);
        if (!sqlite3_get_autocommit(d->h)) sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
    }
    return rc;
}

static int sqlite_abort_load(struct sl_db *db, struct sl_load *load, struct sl_error *err)
{
    struct sqlite_db *d = (struct sqlite_db *)db;
    int rc = 0;

    free_load_state(d, load);
    if (!sqlite3_get_autocommit(d->h)) rc = exec(d, "ROLLBACK", "rolling back the load", err);
    return rc;
}

static int sqlite_record_load(struct sl_db *db, struct sl_load *load, struct sl_error *err)
{
    struct sqlite_db *d = (struct sqlite_db *)db;
    struct sl_buf schema = SL_BUF_INIT;
    const char *status = load->status ? load->status : "failed";
    int rc;

    rc = exec(d, "BEGIN IMMEDIATE", "recording the load", err);
    if (rc < 0) return rc;
    if (load->schema) sl_schema_to_json(load->schema, &schema);
    rc = sl__cat_insert_load(db, load, status, 0, schema.p, err);
    if (rc == 0) rc = exec(d, "COMMIT", "recording the load", err);
    if (rc < 0 && !sqlite3_get_autocommit(d->h)) sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
    sl_buf_free(&schema);
    return rc;
}

/* ---- listing and reading back -------------------------------------------------------------- */

/* ---- lookups in silver (unique against earlier loads, foreign keys) ------------------------- */

static void bind_value(sqlite3_stmt *st, int p, const struct sl_value *v)
{
    switch (v->type) {
    case SL_V_INT:
    case SL_V_BOOL: sqlite3_bind_int64(st, p, v->u.i); break;
    case SL_V_REAL: sqlite3_bind_double(st, p, v->u.d); break;
    case SL_V_TEXT: sqlite3_bind_text(st, p, v->u.s, (int)v->len, SQLITE_STATIC); break;
    default: sqlite3_bind_null(st, p); break;
    }
}

static int sqlite_silver_lookup(struct sl_db *db, const char *source, const char *const *cols,
                                size_t n, const struct sl_value *const *vals,
                                const char *const *excl, const struct sl_value *const *exvals,
                                size_t nexcl, int index, uint8_t *found, struct sl_error *err)
{
    struct sqlite_db *d = (struct sqlite_db *)db;
    struct sl_buf sql = SL_BUF_INIT;
    sqlite3_stmt *st = NULL;
    int rc = 0;

    *found = 0;
    sl_buf_adds(&sql, "SELECT 1 FROM ");
    sql_ident(&sql, source);
    sl_buf_adds(&sql, " WHERE ");
    for (size_t i = 0; i < n; i++) {
        if (i) sl_buf_adds(&sql, " AND ");
        sql_ident(&sql, cols[i]);
        sl_buf_addf(&sql, " = ?%zu", i + 1);
    }
    if (nexcl) {
        sl_buf_adds(&sql, " AND NOT (");
        for (size_t i = 0; i < nexcl; i++) {
            if (i) sl_buf_adds(&sql, " AND ");
            sql_ident(&sql, excl[i]);
            sl_buf_addf(&sql, " IS ?%zu", n + i + 1);
        }
        sl_buf_addc(&sql, ')');
    }
    sl_buf_adds(&sql, " LIMIT 1");
    for (unsigned i = 0; i < 8 && !st; i++)
        if (d->lookups[i].sql && !strcmp(d->lookups[i].sql, sql.p)) st = d->lookups[i].st;
    if (!st) {
        if (index && n == 1 && !d->read_only) {
            /* repeated lookups of one column: an index, made once (IF NOT EXISTS) */
            struct sl_buf ix = SL_BUF_INIT;
            char *name = sl_xasprintf("sluice_ix_%s_%s", source, cols[0]);
            sl_buf_adds(&ix, "CREATE INDEX IF NOT EXISTS ");
            sql_ident(&ix, name);
            sl_buf_adds(&ix, " ON ");
            sql_ident(&ix, source);
            sl_buf_addc(&ix, '(');
            sql_ident(&ix, cols[0]);
            sl_buf_addc(&ix, ')');
            free(name);
            if (sqlite3_exec(d->h, ix.p, NULL, NULL, NULL) != SQLITE_OK &&
                !strstr(sqlite3_errmsg(d->h), "no such table")) {
                rc = db_error(d, "indexing a unique column", err);
                sl_buf_free(&ix);
                goto out;
            }
            sl_buf_free(&ix);
        }
        if (sqlite3_prepare_v2(d->h, sql.p, -1, &st, NULL) != SQLITE_OK) {
            st = NULL;
            if (strstr(sqlite3_errmsg(d->h), "no such table")) goto out; /* nothing loaded yet */
            rc = db_error(d, "looking up keys in silver", err);
            goto out;
        }
        unsigned k = d->nlookup++ % 8;
        sqlite3_finalize(d->lookups[k].st);
        free(d->lookups[k].sql);
        d->lookups[k].sql = sl_buf_detach(&sql);
        d->lookups[k].st = st;
    }
    sqlite3_reset(st);
    for (size_t i = 0; i < n; i++) bind_value(st, (int)i + 1, vals[i]);
    for (size_t i = 0; i < nexcl; i++) bind_value(st, (int)(n + i) + 1, exvals[i]);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *found = 1;
    else if (rc != SQLITE_DONE) {
        rc = db_error(d, "looking up keys in silver", err);
        sqlite3_reset(st);
        goto out;
    }
    sqlite3_reset(st);
    rc = 0;
out:
    sl_buf_free(&sql);
    return rc;
}

static int sqlite_bronze_scan(struct sl_db *db, const char *source, int64_t load, sl_bronze_cb cb,
                              void *ctx, struct sl_error *err)
{
    struct sqlite_db *d = (struct sqlite_db *)db;
    sqlite3_stmt *st = NULL;
    struct sl_buf sql = SL_BUF_INIT;
    int64_t first = 0, last = 0;
    int rc, s;

    rc = prepare(d,
                 "SELECT bronze_first, bronze_last FROM sluice_loads WHERE load = ?1 AND "
                 "source = ?2",
                 &st, "reading bronze", err);
    if (rc < 0) goto out;
    sqlite3_bind_int64(st, 1, load);
    sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
    s = sqlite3_step(st);
    if (s == SQLITE_DONE) {
        rc = sl_error_set(err, SL_ENOTFOUND, "%s: source %s has no load %lld", d->path, source,
                          (long long)load);
        goto out;
    }
    if (s != SQLITE_ROW) {
        rc = db_error(d, "reading bronze", err);
        goto out;
    }
    first = sqlite3_column_int64(st, 0);
    last = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    st = NULL;
    if (first <= 0) goto out; /* the load wrote no bronze rows */

    /* The load's rows are the rowid range [first, last]: no index on load is needed. */
    sl_buf_adds(&sql, "SELECT row, line, byte_offset, raw, status FROM ");
    bronze_ident(&sql, source);
    sl_buf_adds(&sql, " WHERE id BETWEEN ?1 AND ?2 AND load = ?3 AND status != 'invalid' "
                      "ORDER BY id");
    rc = prepare(d, sql.p, &st, "reading bronze", err);
    if (rc < 0) goto out;
    sqlite3_bind_int64(st, 1, first);
    sqlite3_bind_int64(st, 2, last);
    sqlite3_bind_int64(st, 3, load);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        struct sl_bronze_row r;
        r.load = load;
        r.num = sqlite3_column_int64(st, 0);
        r.line = sqlite3_column_int64(st, 1);
        r.offset = sqlite3_column_int64(st, 2);
        if (sqlite3_column_type(st, 3) == SQLITE_BLOB)
            r.raw = sqlite3_column_blob(st, 3);
        else
            r.raw = (const char *)sqlite3_column_text(st, 3);
        r.raw_len = (size_t)sqlite3_column_bytes(st, 3);
        if (!r.raw) r.raw = "";
        r.status = (const char *)sqlite3_column_text(st, 4);
        rc = cb(ctx, &r, err);
        if (rc < 0) goto out;
    }
    if (s != SQLITE_DONE) rc = db_error(d, "reading bronze", err);
out:
    sqlite3_finalize(st);
    sl_buf_free(&sql);
    return rc;
}

/* ---- changes: active flags and rebuilds ------------------------------------------------- */

static int sqlite_begin_change(struct sl_db *db, struct sl_load *change, int empty_silver,
                               struct sl_error *err)
{
    struct sqlite_db *d = (struct sqlite_db *)db;
    struct sqlite_load *L;
    int rc;

    if ((rc = sl__cat_begin_check(db, d->open_load != NULL, change, "change", err))) return rc;
    rc = exec(d, "BEGIN IMMEDIATE", "starting the change", err);
    if (rc < 0) return rc;
    L = sl_xcalloc(1, sizeof *L);
    change->priv = L;
    d->open_load = L;
    rc = create_bronze(d, change->source, err);
    if (rc == 0 && empty_silver) rc = drop_silver(d, change->source, err);
    if (rc == 0) rc = create_silver(d, change->source, change->schema, err);
    if (rc == 0) rc = prepare_load(d, change, L, err);
    return rc;
}

static int sqlite_delete_silver_load(struct sl_db *db, struct sl_load *change, int64_t load,
                                     int64_t *deleted, struct sl_error *err)
{
    struct sqlite_db *d = (struct sqlite_db *)db;
    sqlite3_stmt *st = NULL;
    struct sl_buf sql = SL_BUF_INIT;
    int rc;

    if (!change->priv) return not_open(d, err);
    sl_buf_adds(&sql, "DELETE FROM ");
    sql_ident(&sql, change->source);
    sl_buf_adds(&sql, " WHERE \"_load\" = ?1");
    rc = prepare(d, sql.p, &st, "deleting silver rows", err);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, load);
        rc = step_done(d, st, "deleting silver rows", err);
        if (rc == 0 && deleted) *deleted = sqlite3_changes64(d->h);
    }
    sqlite3_finalize(st);
    sl_buf_free(&sql);
    return rc;
}

static int sqlite_end_change(struct sl_db *db, struct sl_load *change, int commit,
                             struct sl_error *err)
{
    struct sqlite_db *d = (struct sqlite_db *)db;
    int rc = 0;

    free_load_state(d, change);
    if (sqlite3_get_autocommit(d->h)) return commit ? not_open(d, err) : 0;
    if (commit) {
        if (sqlite3_exec(d->h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            rc = db_error(d, "committing the change", err);
    }
    if (!commit || rc < 0) sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int sqlite_migrations(struct sl_db *db, struct sl_migration_info **out, size_t *n,
                             struct sl_error *err)
{
    struct sqlite_db *d = (struct sqlite_db *)db;
    return sl__migrations_list(d->h, d->path, out, n, err);
}

static int sqlite_migrate(struct sl_db *db, int target, struct sl_error *err)
{
    struct sqlite_db *d = (struct sqlite_db *)db;
    if (target < 0) return sl__migrate(d->h, d->path, err);
    return sl__migrate_down(d->h, d->path, target, err);
}

/* One value and one row (SQLite's record) are both bounded by its length limit. */
static void sqlite_limits(struct sl_db *db, struct sl_store_limits *out)
{
    struct sqlite_db *d = (struct sqlite_db *)db;
    memset(out, 0, sizeof *out);
    out->record = out->value = out->row = sqlite3_limit(d->h, SQLITE_LIMIT_LENGTH, -1);
    out->value_what = "SQLite's length limit";
}

const struct sl_store sl_store_sqlite = {
    .scheme = "sqlite",
    .name = "SQLite",
    .max_columns = 2000, /* SQLITE_MAX_COLUMN's default */
    .bronze_table = "bronze_%s",
    .catalog = &sqlite_dialect,
    .open = sqlite_open,
    .close = sqlite_close,
    .source_state = sl__cat_source_state,
    .find_input = sl__cat_find_input,
    .has_input_size = sl__cat_has_input_size,
    .begin_run = sl__cat_begin_run,
    .end_run = sl__cat_end_run,
    .begin_load = sqlite_begin_load,
    .write = sqlite_write,
    .write_silver = sqlite_write_silver,
    .commit_load = sqlite_commit_load,
    .abort_load = sqlite_abort_load,
    .record_load = sqlite_record_load,
    .list_loads = sl__cat_list_loads,
    .list_sources = sl__cat_list_sources,
    .bronze_scan = sqlite_bronze_scan,
    .silver_rows = sqlite_silver_rows,
    .begin_change = sqlite_begin_change,
    .set_active = sl__cat_set_active,
    .delete_silver_load = sqlite_delete_silver_load,
    .end_change = sqlite_end_change,
    .list_events = sl__cat_list_events,
    .silver_lookup = sqlite_silver_lookup,
    .migrations = sqlite_migrations,
    .migrate = sqlite_migrate,
    .limits = sqlite_limits,
};
