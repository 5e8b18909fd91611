/*
 * The catalog's statements and row mappings, once for every store (catalog.h). The stores
 * (sqlite.c, postgres.c) call these after doing what is theirs: a connection, the source's
 * lock, the load's transaction.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sluice/schema.h"
#include "sluice/store.h"
#include "sluice/time.h"

#include "catalog.h"

void sl__cat_sql(const struct sl__dialect *dl, const char *sql, struct sl_buf *out)
{
    const char *p = sql;
    while (*p) {
        if (*p == '@' && islower((unsigned char)p[1])) {
            const char *w = ++p;
            while (islower((unsigned char)*p) || *p == '_') p++;
            if ((size_t)(p - w) == 8 && !memcmp(w, "bytewise", 8)) {
                sl_buf_adds(out, dl->bytewise);
            } else {
                sl_buf_adds(out, dl->tables);
                sl_buf_add(out, w, (size_t)(p - w));
            }
        } else if (*p == '$' && isdigit((unsigned char)p[1])) {
            sl_buf_addc(out, dl->param);
            p++;
        } else if (p[0] == ':' && p[1] == ':' && !dl->casts) {
            p += 2;
            while (isalnum((unsigned char)*p) || *p == '_') p++;
        } else {
            sl_buf_addc(out, *p++);
        }
    }
}

void sl__sql_ident(struct sl_buf *b, const char *name)
{
    sl_buf_addc(b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"') sl_buf_addc(b, '"');
        sl_buf_addc(b, *p);
    }
    sl_buf_addc(b, '"');
}

void sl__issues_json(struct sl_buf *b, const struct sl_issue *i)
{
    sl_buf_reset(b);
    sl_buf_addc(b, '[');
    for (; i; i = i->next) {
        sl_buf_addc(b, '{');
        sl_issue_json_members(b, i);
        sl_buf_adds(b, i->next ? "}," : "}");
    }
    sl_buf_addc(b, ']');
}

/* Runs a statement written in the notation of catalog.h (doing too). */
static int run(struct sl_db *db, const char *sql, const struct sl__param *p, int n, sl__row_fn row,
               void *ctx, int64_t *changes, const char *doing, struct sl_error *err)
{
    const struct sl__dialect *dl = db->store->catalog;
    struct sl_buf s = SL_BUF_INIT, what = SL_BUF_INIT;
    int rc;

    sl__cat_sql(dl, sql, &s);
    sl__cat_sql(dl, doing, &what);
    rc = dl->run(db, sl_buf_str(&s), p, n, row, ctx, changes, sl_buf_str(&what), err);
    sl_buf_free(&s);
    sl_buf_free(&what);
    return rc;
}

/* The store's preparation (a connection) for methods that may run outside a load. */
static int ready(struct sl_db *db, struct sl_error *err)
{
    const struct sl__dialect *dl = db->store->catalog;
    return dl->ready ? dl->ready(db, err) : 0;
}

static char *dup_text(const struct sl__dialect *dl, const struct sl__row *r, int col)
{
    const char *s = dl->text(r, col);
    return s ? sl_xstrdup(s) : NULL;
}

/* Every row of a list into a growing array of `size`-byte elements, each zeroed, then filled. */
struct list_ctx {
    const struct sl__dialect *dl;
    void (*fill)(const struct sl__dialect *dl, const struct sl__row *r, void *elem);
    size_t size, len, cap;
    char *v;
};

static int list_row(void *ctx, const struct sl__row *r, struct sl_error *err)
{
    struct list_ctx *c = ctx;
    (void)err;
    if (c->len == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->v = sl_xrealloc(c->v, c->cap * c->size);
    }
    memset(c->v + c->len * c->size, 0, c->size);
    c->fill(c->dl, r, c->v + c->len++ * c->size);
    return 0;
}

/* Runs a listing statement (source: its parameter $1, if it has one) into *out and *n; on
 * failure frees what was read with free_list. */
static int list(struct sl_db *db, const char *sql, int nparam, const char *source,
                struct list_ctx *c, void **out, size_t *n, void (*free_list)(void *v, size_t n),
                const char *doing, struct sl_error *err)
{
    struct sl__param p[] = {sl__p_text(source)};
    int rc;

    *out = NULL;
    *n = 0;
    c->dl = db->store->catalog;
    if ((rc = ready(db, err))) return rc;
    rc = run(db, sql, p, nparam, list_row, c, NULL, doing, err);
    if (rc < 0) {
        free_list(c->v, c->len);
        return rc;
    }
    *out = c->v;
    *n = c->len;
    return 0;
}

/* ---- sources -------------------------------------------------------------------------------- */

struct state_ctx {
    struct sl_db *db;
    const struct sl__dialect *dl;
    const char *source;
    struct sl_source_state *out;
};

static int state_row(void *ctx, const struct sl__row *r, struct sl_error *err)
{
    struct state_ctx *c = ctx;
    int rc;

    if (c->out->exists) return 0;
    c->out->exists = 1;
    c->out->timestamp = dup_text(c->dl, r, 1);
    rc = sl_schema_from_json(c->dl->text(r, 0), &c->out->schema, err);
    if (rc < 0) {
        sl_error_prefix(err, "%s: the catalog's schema of source %s", c->dl->where(c->db),
                        c->source);
        sl_source_state_free(c->out);
    }
    return rc;
}

int sl__cat_source_state(struct sl_db *db, const char *source, struct sl_source_state *out,
                         struct sl_error *err)
{
    const struct sl__dialect *dl = db->store->catalog;
    struct state_ctx c = {db, dl, source, out};
    struct sl__param p[] = {sl__p_text(source)};

    memset(out, 0, sizeof *out);
    return run(db, "SELECT schema, timestamp_field FROM @sources WHERE name = $1", p, 1, state_row,
               &c, NULL, "reading @sources", err);
}

/* The first column of the first row: as text (text != NULL, a copy) or as an integer. */
struct first_ctx {
    const struct sl__dialect *dl;
    char **text;
    int64_t *i64;
    int seen;
};

static int first_row(void *ctx, const struct sl__row *r, struct sl_error *err)
{
    struct first_ctx *c = ctx;
    (void)err;
    if (c->seen++) return 0;
    if (c->text) *c->text = dup_text(c->dl, r, 0);
    if (c->i64) *c->i64 = c->dl->i64(r, 0, 0);
    return 0;
}

int sl__cat_begin_check(struct sl_db *db, int busy, const struct sl_load *l, const char *what,
                        struct sl_error *err)
{
    const char *where = db->store->catalog->where(db);
    int rc;

    if (busy)
        return sl_error_set(err, SL_EINVAL, "%s: a load is already open on this connection", where);
    if ((rc = sl_source_name_check(l->source, err)) < 0) return rc;
    if (!l->schema)
        return sl_error_set(err, SL_EINVAL, "%s: %s of %s has no schema", where, what, l->source);
    return 0;
}

int sl__cat_case_conflict(struct sl_db *db, const char *source, struct sl_error *err)
{
    const struct sl__dialect *dl = db->store->catalog;
    struct sl__param p[] = {sl__p_text(source)};
    char *other = NULL;
    struct first_ctx c = {dl, &other, NULL, 0};
    int rc =
        run(db, "SELECT name FROM @sources WHERE lower(name) = lower($1) AND name <> $1 LIMIT 1", p,
            1, first_row, &c, NULL, "reading @sources", err);
    if (rc == 0 && other) rc = sl_source_case_error(source, other, err);
    free(other);
    return rc;
}

int sl__cat_upsert_source(struct sl_db *db, const struct sl_load *load, const char *bronze,
                          const char *schema_json, const char *now, struct sl_error *err)
{
    struct sl__param p[] = {sl__p_text(load->source), sl__p_text(bronze), sl__p_text(schema_json),
                            sl__p_text_nz(load->timestamp), sl__p_text(now)};
    return run(db,
               "INSERT INTO @sources(name, silver, bronze, schema, timestamp_field, created, "
               "updated) VALUES($1, $1, $2, $3, $4, $5, $5) ON CONFLICT(name) DO UPDATE SET "
               "schema = excluded.schema, timestamp_field = excluded.timestamp_field, "
               "updated = excluded.updated",
               p, 5, NULL, NULL, NULL, "recording the source", err);
}

static void fill_name(const struct sl__dialect *dl, const struct sl__row *r, void *elem)
{
    *(char **)elem = dup_text(dl, r, 0);
}

static void free_names(void *v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(((char **)v)[i]);
    free(v);
}

int sl__cat_list_sources(struct sl_db *db, char ***names, size_t *n, struct sl_error *err)
{
    struct list_ctx c = {NULL, fill_name, sizeof **names, 0, 0, NULL};
    return list(db, "SELECT name FROM @sources ORDER BY name@bytewise", 0, NULL, &c, (void **)names,
                n, free_names, "listing sources", err);
}

/* ---- inputs and runs ------------------------------------------------------------------------ */

int sl__cat_find_input(struct sl_db *db, const char *source, const char *sha256,
                       const char *content_sha256, int64_t *load, struct sl_error *err)
{
    const struct sl__dialect *dl = db->store->catalog;
    struct sl__param p[] = {sl__p_text(source), sl__p_text_nz(sha256),
                            sl__p_text_nz(content_sha256)};
    struct first_ctx c = {dl, NULL, load, 0};

    *load = 0;
    /* the same bytes, or the same content (a.csv and a.csv.gz); loads recorded before the
     * content checksum existed match on their sha256 */
    return run(db,
               "SELECT load FROM @loads WHERE source = $1 AND status = 'committed' "
               "AND (sha256 = $2 OR content_sha256 = $3 OR "
               "(content_sha256 IS NULL AND sha256 = $3)) ORDER BY load LIMIT 1",
               p, 3, first_row, &c, NULL, "looking up the input", err);
}

int sl__cat_has_input_size(struct sl_db *db, const char *source, int64_t size, struct sl_error *err)
{
    const struct sl__dialect *dl = db->store->catalog;
    struct sl__param p[] = {sl__p_text(source), sl__p_int(size)};
    struct first_ctx c = {dl, NULL, NULL, 0};
    int rc = run(db,
                 "SELECT 1 FROM @loads WHERE source = $1 AND input_size = $2 AND "
                 "status = 'committed' LIMIT 1",
                 p, 2, first_row, &c, NULL, "looking up the input", err);
    return rc < 0 ? rc : c.seen > 0;
}

int sl__cat_begin_run(struct sl_db *db, const char *command, int64_t *run_id, struct sl_error *err)
{
    const struct sl__dialect *dl = db->store->catalog;
    char now[40], host[256];
    struct first_ctx c = {dl, NULL, run_id, 0};
    int rc;

    *run_id = 0;
    if ((rc = ready(db, err))) return rc;
    if (gethostname(host, sizeof host) != 0) host[0] = 0;
    host[sizeof host - 1] = 0;
    sl_time_iso(sl_now(), now, sizeof now);
    struct sl__param p[] = {sl__p_text(command ? command : ""), sl__p_text(now),
                            sl__p_text(SL_VERSION), sl__p_text_nz(host),
                            sl__p_int((int64_t)getpid())};
    return run(db,
               "INSERT INTO @runs(command, status, started, sluice_version, host, pid) "
               "VALUES($1, 'running', $2, $3, $4, $5) RETURNING run",
               p, 5, first_row, &c, NULL, "recording the run", err);
}

int sl__cat_end_run(struct sl_db *db, int64_t run_id, const char *status, int64_t loads,
                    struct sl_error *err)
{
    char now[40];
    int rc;

    if ((rc = ready(db, err))) return rc;
    sl_time_iso(sl_now(), now, sizeof now);
    struct sl__param p[] = {sl__p_text(status ? status : "done"), sl__p_text(now), sl__p_int(loads),
                            sl__p_int(run_id)};
    return run(db, "UPDATE @runs SET status = $1, finished = $2, loads = $3 WHERE run = $4", p, 4,
               NULL, NULL, NULL, "recording the end of the run", err);
}

/* ---- loads ---------------------------------------------------------------------------------- */

int sl__cat_insert_load(struct sl_db *db, struct sl_load *load, const char *status, int active,
                        const char *schema_json, struct sl_error *err)
{
    const struct sl__dialect *dl = db->store->catalog;
    struct sl_buf sql = SL_BUF_INIT;
    char started[40], finished[40];
    int done = active == 0; /* a recorded load (skipped, failed) is finished already */
    struct first_ctx c = {dl, NULL, &load->id, 0};
    int rc;

    if (load->started <= 0) load->started = sl_now();
    sl_time_iso(load->started, started, sizeof started);
    if (done) {
        if (load->finished <= 0) load->finished = sl_now();
        sl_time_iso(load->finished, finished, sizeof finished);
    }
    struct sl__param p[] = {
        sl__p_text(load->source),
        sl__p_id(load->run),
        sl__p_text(status),
        sl__p_int(active),
        sl__p_text(load->input ? load->input : ""),
        load->input_size >= 0 ? sl__p_int(load->input_size) : sl__p_text(NULL),
        sl__p_text_nz(load->sha256),
        sl__p_text_nz(load->format),
        sl__p_text_nz(load->compression),
        sl__p_text_nz(load->encoding),
        sl__p_text_nz(load->dialect_json),
        sl__p_text_nz(load->columns_json),
        sl__p_text_nz(schema_json),
        sl__p_text_nz(load->timestamp),
        sl__p_int(load->rows),
        sl__p_int(load->valid),
        sl__p_int(load->warning),
        sl__p_int(load->invalid),
        sl__p_int(load->repeats),
        sl__p_id(load->duplicate_of),
        sl__p_text_nz(load->message),
        sl__p_text_nz(load->quality_json),
        sl__p_text(started),
        sl__p_text(done ? finished : NULL),
        done ? sl__p_real(load->finished - load->started) : sl__p_text(NULL),
        sl__p_text(SL_VERSION),
        sl__p_text_nz(load->ts_min),
        sl__p_text_nz(load->ts_max),
        sl__p_text_nz(load->transforms_json),
        sl__p_text_nz(load->mode),
        sl__p_text_nz(load->content_sha256),
        sl__p_id(load->id), /* $32: only where dl->load_id uses it */
    };
    sl_buf_addf(&sql, "INSERT INTO @loads(%ssource, run, status, active, input, input_size, ",
                dl->load_id ? "load, " : "");
    sl_buf_adds(&sql, "sha256, format, compression, encoding, dialect, columns, schema, "
                      "timestamp_field, rows, valid, warning, invalid, repeats, duplicate_of, "
                      "message, quality, started, finished, seconds, sluice_version, ts_min, "
                      "ts_max, transforms, mode, content_sha256) VALUES(");
    if (dl->load_id) sl_buf_addf(&sql, "%s, ", dl->load_id);
    sl_buf_adds(&sql, "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
                      "$17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, "
                      "$31) RETURNING load");
    rc = run(db, sl_buf_str(&sql), p, dl->load_id ? 32 : 31, first_row, &c, NULL,
             "recording the load", err);
    sl_buf_free(&sql);
    return rc;
}

int sl__cat_finish_load(struct sl_db *db, struct sl_load *load, const char *message,
                        int64_t bronze_first, int64_t bronze_last, struct sl_error *err)
{
    char finished[40];

    if (load->finished <= 0) load->finished = sl_now();
    sl_time_iso(load->finished, finished, sizeof finished);
    struct sl__param p[] = {
        sl__p_int(load->rows),
        sl__p_int(load->valid),
        sl__p_int(load->warning),
        sl__p_int(load->invalid),
        sl__p_int(load->repeats),
        sl__p_text_nz(load->sha256),
        load->input_size >= 0 ? sl__p_int(load->input_size) : sl__p_text(NULL),
        sl__p_id(bronze_first),
        sl__p_id(bronze_last),
        sl__p_text_nz(load->ts_min),
        sl__p_text_nz(load->ts_max),
        sl__p_text_nz(load->quality_json),
        sl__p_text(finished),
        sl__p_real(load->finished - load->started),
        sl__p_text_nz(message),
        sl__p_int(load->id),
        /* JSON records reveal their keys as they are read: the columns are final only now */
        sl__p_text_nz(load->columns_json),
        sl__p_text_nz(load->transforms_json),
        sl__p_text_nz(load->content_sha256),
    };
    return run(db,
               "UPDATE @loads SET rows = $1, valid = $2, warning = $3, invalid = $4, "
               "repeats = $5, sha256 = $6, input_size = coalesce($7, input_size), "
               "bronze_first = $8, bronze_last = $9, ts_min = $10, ts_max = $11, quality = $12, "
               "finished = $13, seconds = $14, message = $15, columns = coalesce($17, columns), "
               "transforms = coalesce($18, transforms), content_sha256 = $19 WHERE load = $16",
               p, 19, NULL, NULL, NULL, "recording the load", err);
}

/* The 24 columns of a load as `versions` lists it, in the order fill_load reads them. */
#define LOAD_COLUMNS                                                                         \
    "load, run, status, active, input, sha256, format, input_size, rows, valid, warning, "   \
    "invalid, duplicate_of, started, finished, seconds, message, quality, columns, schema, " \
    "sluice_version, transforms, mode, content_sha256"

static void fill_load(const struct sl__dialect *dl, const struct sl__row *r, void *elem)
{
    struct sl_load_info *li = elem;
    li->id = dl->i64(r, 0, 0);
    li->run = dl->i64(r, 1, 0);
    li->status = dup_text(dl, r, 2);
    li->active = (int)dl->i64(r, 3, 0);
    li->input = dup_text(dl, r, 4);
    li->sha256 = dup_text(dl, r, 5);
    li->format = dup_text(dl, r, 6);
    li->input_size = dl->i64(r, 7, -1);
    li->rows = dl->i64(r, 8, 0);
    li->valid = dl->i64(r, 9, 0);
    li->warning = dl->i64(r, 10, 0);
    li->invalid = dl->i64(r, 11, 0);
    li->duplicate_of = dl->i64(r, 12, 0);
    li->started = dup_text(dl, r, 13);
    li->finished = dup_text(dl, r, 14);
    li->seconds = dl->f64(r, 15);
    li->message = dup_text(dl, r, 16);
    li->quality_json = dup_text(dl, r, 17);
    li->columns_json = dup_text(dl, r, 18);
    li->schema_json = dup_text(dl, r, 19);
    li->sluice_version = dup_text(dl, r, 20);
    li->transforms_json = dup_text(dl, r, 21);
    li->mode = dup_text(dl, r, 22);
    li->content_sha256 = dup_text(dl, r, 23);
}

static void free_loads(void *v, size_t n)
{
    sl_load_infos_free(v, n);
}

int sl__cat_list_loads(struct sl_db *db, const char *source, struct sl_load_info **out, size_t *n,
                       struct sl_error *err)
{
    struct list_ctx c = {NULL, fill_load, sizeof **out, 0, 0, NULL};
    return list(db,
                "SELECT " LOAD_COLUMNS " FROM @loads WHERE $1::text IS NULL OR source = $1 "
                "ORDER BY load",
                1, source, &c, (void **)out, n, free_loads, "listing loads", err);
}

/* ---- version events ------------------------------------------------------------------------- */

int sl__cat_set_active(struct sl_db *db, struct sl_load *change, int64_t load, int active,
                       const struct sl_version_event *ev, struct sl_error *err)
{
    const struct sl__dialect *dl = db->store->catalog;
    const char *source = change->source;
    struct sl__param p[] = {sl__p_int(active ? 1 : 0), sl__p_int(load), sl__p_text(source)};
    int64_t changed = 0;
    char now[40];
    int rc;

    rc = run(db,
             "UPDATE @loads SET active = $1 WHERE load = $2 AND source = $3 AND "
             "status = 'committed'",
             p, 3, NULL, NULL, &changed, "changing the active flag", err);
    if (rc < 0) return rc;
    if (changed != 1)
        return sl_error_set(err, SL_ENOTFOUND, "%s: source %s has no committed load %lld",
                            dl->where(db), source, (long long)load);
    sl_time_iso(sl_now(), now, sizeof now);
    struct sl__param e[] = {sl__p_text(source),
                            sl__p_int(load),
                            sl__p_text(active ? "activate" : "deactivate"),
                            sl__p_text(ev && ev->command ? ev->command : ""),
                            sl__p_text_nz(ev ? ev->who : NULL),
                            sl__p_text(now),
                            sl__p_text_nz(ev ? ev->reason : NULL)};
    return run(db,
               "INSERT INTO @version_events(source, load, action, command, who, at, reason) "
               "VALUES($1, $2, $3, $4, $5, $6, $7)",
               e, 7, NULL, NULL, NULL, "recording the change", err);
}

static void fill_event(const struct sl__dialect *dl, const struct sl__row *r, void *elem)
{
    struct sl_version_event *e = elem;
    e->id = dl->i64(r, 0, 0);
    e->load = dl->i64(r, 1, 0);
    e->source = dup_text(dl, r, 2);
    e->action = dup_text(dl, r, 3);
    e->command = dup_text(dl, r, 4);
    e->who = dup_text(dl, r, 5);
    e->at = dup_text(dl, r, 6);
    e->reason = dup_text(dl, r, 7);
}

static void free_events(void *v, size_t n)
{
    sl_version_events_free(v, n);
}

int sl__cat_list_events(struct sl_db *db, const char *source, struct sl_version_event **out,
                        size_t *n, struct sl_error *err)
{
    struct list_ctx c = {NULL, fill_event, sizeof **out, 0, 0, NULL};
    return list(db,
                "SELECT event, load, source, action, command, who, at, reason FROM "
                "@version_events WHERE $1::text IS NULL OR source = $1 ORDER BY event",
                1, source, &c, (void **)out, n, free_events, "listing version events", err);
}
