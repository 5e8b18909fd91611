/*
 * One load: an input of a source, from bytes to a committed version.
 *
 * The reader thread reads, parses and casts batches; this thread writes them to the store.
 * They meet in a bounded queue: when the store is slower, the reader waits (backpressure) and
 * memory stays at NBATCH batches whatever the input's size. Casting sits with the reader,
 * not the writer as DESIGN.md first sketched: the store (SQLite's B-tree work) is the slower
 * side, so everything that can move off it does.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline/internal.h"

#define NBATCH 4

struct pipe {
    struct sl__input *in;
    const struct sl_schema *cast; /* types to cast to, field order of silver */
    struct sl_mapping map;
    struct sl_quality quality;
    int ts_field; /* index of the source's timestamp field, -1 if none */
    char ts_min[40], ts_max[40];

    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct sl_batch batches[NBATCH];
    struct sl_batch *free_q[NBATCH], *full_q[NBATCH];
    size_t nfree, nfull, full_head;
    int reader_done, stop;
    int rc; /* reader's failure */
    struct sl_error err;
};

static struct sl_batch *take_free(struct pipe *p)
{
    struct sl_batch *b = NULL;
    pthread_mutex_lock(&p->mu);
    while (!p->nfree && !p->stop) pthread_cond_wait(&p->cv, &p->mu);
    if (!p->stop) b = p->free_q[--p->nfree];
    pthread_mutex_unlock(&p->mu);
    return b;
}

static void give_free(struct pipe *p, struct sl_batch *b)
{
    pthread_mutex_lock(&p->mu);
    p->free_q[p->nfree++] = b;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

static void push_full(struct pipe *p, struct sl_batch *b)
{
    pthread_mutex_lock(&p->mu);
    p->full_q[(p->full_head + p->nfull++) % NBATCH] = b;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* NULL when the reader is done and everything was taken, or when stopped. */
static struct sl_batch *take_full(struct pipe *p)
{
    struct sl_batch *b = NULL;
    pthread_mutex_lock(&p->mu);
    while (!p->nfull && !p->reader_done && !p->stop) pthread_cond_wait(&p->cv, &p->mu);
    if (p->nfull && !p->stop) {
        b = p->full_q[p->full_head];
        p->full_head = (p->full_head + 1) % NBATCH;
        p->nfull--;
    }
    pthread_mutex_unlock(&p->mu);
    return b;
}

static void track_time_range(struct pipe *p, const struct sl_batch *b)
{
    for (size_t r = 0; r < b->nrows; r++) {
        const struct sl_row *row = &b->rows[r];
        if (!row->values || row->status == SL_ROW_INVALID) continue;
        const struct sl_value *v = &row->values[p->ts_field];
        if (v->type != SL_V_TEXT || v->len >= sizeof p->ts_min) continue;
        char t[40];
        memcpy(t, v->u.s, v->len);
        t[v->len] = 0;
        if (!p->ts_min[0] || strcmp(t, p->ts_min) < 0) memcpy(p->ts_min, t, v->len + 1);
        if (!p->ts_max[0] || strcmp(t, p->ts_max) > 0) memcpy(p->ts_max, t, v->len + 1);
    }
}

static void *reader_main(void *arg)
{
    struct pipe *p = arg;
    struct sl_reader *r;
    int rc = 0;

    for (;;) {
        struct sl_batch *b = take_free(p);
        if (!b) break;
        if (sl_interrupted) {
            give_free(p, b);
            rc = sl_error_set(&p->err, SL_EINTR, "interrupted");
            break;
        }
        sl_batch_reset(b);
        r = p->in->reader;
        rc = p->in->format->next(r, b, &p->err);
        if (rc <= 0) {
            give_free(p, b);
            break;
        }
        sl_mapping_update(&p->map, p->cast, &r->labels);
        sl_cast_batch(p->cast, &p->map, &r->labels, b);
        sl_quality_batch(&p->quality, p->cast, b);
        if (p->ts_field >= 0) track_time_range(p, b);
        push_full(p, b);
    }
    pthread_mutex_lock(&p->mu);
    p->rc = rc < 0 ? rc : 0;
    p->reader_done = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void keep_issues(struct sl_load_result *res, const struct sl_batch *b, size_t keep)
{
    for (size_t r = 0; r < b->nrows; r++) {
        const struct sl_row *row = &b->rows[r];
        for (const struct sl_issue *i = row->issues; i; i = i->next) {
            res->issues_total++;
            if (res->nissues >= keep) continue;
            res->issues = sl_xrealloc(res->issues, (res->nissues + 1) * sizeof *res->issues);
            struct sl_issue_rec *o = &res->issues[res->nissues++];
            o->row = row->num;
            o->line = row->line;
            o->severity = i->severity;
            o->code = sl_xstrdup(i->code);
            o->field = i->field ? sl_xstrdup(i->field) : NULL;
            o->value = i->value ? sl_xstrndup(i->value, i->value_len) : NULL;
            o->message = sl_xstrdup(i->message);
        }
    }
}

/* Runs the two threads over an opened input inside an open load. */
static int run_pipe(struct sl_db *db, struct sl_load *load, struct pipe *p,
                    const struct sl_load_opts *o, struct sl_load_result *res, struct sl_error *err)
{
    pthread_t th;
    struct sl__progress pr;
    int rc = 0;

    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    for (int i = 0; i < NBATCH; i++) {
        sl_batch_init(&p->batches[i]);
        p->free_q[p->nfree++] = &p->batches[i];
    }
    sl__progress_start(&pr, o->progress, sl_stream_size(p->in->stream), "loading");
    if (pthread_create(&th, NULL, reader_main, p)) {
        rc = sl_error_set(err, SL_EIO, "cannot start the reader thread");
        goto out;
    }
    for (;;) {
        struct sl_batch *b = take_full(p);
        if (!b) break;
        rc = db->store->write(db, load, b, err);
        if (!rc) {
            keep_issues(res, b, o->keep_errors ? o->keep_errors : 20);
            for (size_t r = 0; r < b->nrows; r++) {
                load->rows++;
                switch (b->rows[r].status) {
                case SL_ROW_VALID: load->valid++; break;
                case SL_ROW_WARNING: load->warning++; break;
                default: load->invalid++;
                }
            }
            sl__progress_update(&pr, b->in_bytes, load->rows);
        }
        give_free(p, b);
        if (rc) break;
    }
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(th, NULL);
    if (!rc && p->rc) {
        rc = p->rc;
        *err = p->err;
    }
out:
    sl__progress_end(&pr);
    for (int i = 0; i < NBATCH; i++) sl_batch_free(&p->batches[i]);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    return rc;
}

/* Fields of the cast schema whose type comes from the explicit schema: validation follows the
 * user's schema while silver keeps its (possibly wider) columns. */
static struct sl_schema *cast_schema(const struct sl_schema *merged, const struct sl_schema *load)
{
    struct sl_schema *c = sl_schema_copy(merged);
    for (size_t i = 0; i < load->nfields; i++) {
        int k = sl_schema_find(c, load->fields[i].name);
        if (k < 0) continue;
        c->fields[k].type = load->fields[i].type;
        c->fields[k].required = load->fields[i].required;
    }
    for (size_t i = 0; i < c->nmissing; i++) free(c->missing[i]);
    free(c->missing);
    c->missing = sl_xcalloc(load->nmissing ? load->nmissing : 1, sizeof *c->missing);
    for (size_t i = 0; i < load->nmissing; i++) c->missing[i] = sl_xstrdup(load->missing[i]);
    c->nmissing = load->nmissing;
    return c;
}

static int same_pk(const struct sl_schema *a, const struct sl_schema *b)
{
    if (a->npk != b->npk) return 0;
    for (size_t i = 0; i < a->npk; i++)
        if (strcmp(a->fields[a->pk[i]].name, b->fields[b->pk[i]].name)) return 0;
    return 1;
}

/* Columns of the input that the schema does not have (their values stay in bronze only), and
 * fields of an explicit schema that no input column fills (NULL in silver): said once per
 * load, not once per row. */
static void report_unmapped(const struct sl_mapping *m, const struct sl_labels *labels,
                            const struct sl_schema *cast, const struct sl_schema *explicit_schema,
                            struct sl_buf *msg)
{
    struct sl_buf extra = SL_BUF_INIT, lacking = SL_BUF_INIT;
    for (size_t i = 0; i < m->n && i < labels->n; i++)
        if (m->field[i] < 0) sl_buf_addf(&extra, "%s'%s'", extra.len ? ", " : "", labels->v[i]);
    if (extra.len)
        sl_buf_addf(msg, "%scolumns not in the schema, kept in bronze only: %s",
                    msg->len ? "; " : "", extra.p);
    for (size_t f = 0; explicit_schema && f < explicit_schema->nfields; f++) {
        int k = sl_schema_find(cast, explicit_schema->fields[f].name), found = 0;
        for (size_t i = 0; i < m->n && !found; i++) found = m->field[i] == k;
        if (!found)
            sl_buf_addf(&lacking, "%s'%s'", lacking.len ? ", " : "",
                        explicit_schema->fields[f].name);
    }
    if (lacking.len)
        sl_buf_addf(msg, "%sfields of the schema that the input does not have: %s",
                    msg->len ? "; " : "", lacking.p);
    sl_buf_free(&extra);
    sl_buf_free(&lacking);
}

static void drop_issues(struct sl_load_result *r);

/* Was an input with this SHA-256 loaded into the source before? 1 (and the load marked
 * skipped), 0, or < 0 on a store error. */
static int known_input(struct sl_db *db, const char *sha, struct sl_load *load,
                       struct sl_load_result *res, struct sl_error *err)
{
    int64_t dup = 0;
    int rc = db->store->find_input(db, load->source, sha, &dup, err);
    if (rc < 0 || !dup) return rc;
    if (load->sha256 != sha) memcpy(load->sha256, sha, sizeof load->sha256);
    load->status = "skipped";
    load->duplicate_of = dup;
    res->load = dup;
    res->message = sl_xasprintf("same input already loaded as load %lld", (long long)dup);
    load->message = res->message;
    return 1;
}

void sl_load_file(struct sl_db *db, const struct sl_source *src, const char *path,
                  const struct sl_load_opts *o, struct sl_load_result *res)
{
    struct sl_error err = {0, ""};
    struct sl__input in;
    struct sl__inferred inf;
    struct sl_source_state st;
    struct sl_schema *explicit_schema = NULL, *load_schema = NULL, *merged = NULL, *cast = NULL;
    struct sl_load load;
    struct pipe *p = NULL;
    struct sl_buf msg = SL_BUF_INIT, qjson = SL_BUF_INIT;
    char *columns = NULL, *dialect = NULL, sha[65] = "";
    int rc = 0, opened = 0, began = 0, change = 0;
    double t0 = sl_now();

    memset(res, 0, sizeof *res);
    memset(&in, 0, sizeof in);
    memset(&inf, 0, sizeof inf);
    memset(&st, 0, sizeof st);
    memset(&load, 0, sizeof load);
    res->source = sl_xstrdup(src->name);
    load.source = src->name;
    load.input = strcmp(path, "-") ? path : "stdin";
    res->input = sl_xstrdup(load.input);
    load.run = o->run;
    load.started = t0;
    load.input_size = -1;
    load.timestamp = src->timestamp;

    if ((rc = db->store->source_state(db, src->name, &st, &err))) goto out;
    if ((rc = sl__source_schema(src, &explicit_schema, &err))) goto out;
    if ((rc = sl__input_open(&in, src, path, explicit_schema != NULL, !explicit_schema, &err)))
        goto out;
    opened = 1;
    load.format = in.format->name;
    load.compression = sl_stream_compression(in.stream);
    load.input_size = sl_stream_size(in.stream);

    if (!explicit_schema) {
        /* first pass: types over the whole input, and its SHA-256 */
        if ((rc = sl__infer_pass(&in, o->progress, &inf, &err))) goto out;
        memcpy(sha, inf.sha256, sizeof sha);
        if (load.input_size < 0) load.input_size = sl_stream_raw_bytes(in.stream);
        if (!o->force) {
            if ((rc = known_input(db, sha, &load, res, &err)) < 0) goto out;
            if (rc) goto record;
        }
        load_schema = inf.schema;
        inf.schema = NULL;
        res->renames = inf.renames;
        memset(&inf.renames, 0, sizeof inf.renames);
        if ((rc = sl__input_reopen(&in, 1, &err))) goto out;
    } else {
        load_schema = sl_schema_copy(explicit_schema);
        /* A known size may be a known input: hash the file first rather than write it all and
         * roll back at the end. */
        struct stat sb;
        if (!o->force && st.exists && strcmp(path, "-") && !stat(path, &sb) &&
            S_ISREG(sb.st_mode) &&
            db->store->has_input_size(db, src->name, (int64_t)sb.st_size, &err) == 1) {
            if ((rc = sl_sha256_file(path, sha, &err))) goto out;
            if ((rc = known_input(db, sha, &load, res, &err)) < 0) goto out;
            if (rc) goto record;
        }
    }
    if (!load_schema->npk && (rc = sl__apply_primary_key(src, load_schema, &err))) goto out;
    if (st.exists) {
        merged = sl_schema_merge(st.schema, load_schema, &change);
        if (st.schema->npk && load_schema->npk && !same_pk(st.schema, load_schema)) {
            rc = sl_error_set(&err, SL_ECONFIG,
                              "the primary key differs from the one source '%s' has in the store",
                              src->name);
            goto out;
        }
        if (!st.schema->npk && load_schema->npk) {
            free(merged->pk);
            merged->pk = NULL;
            merged->npk = 0;
            const char **names = sl_xmalloc(load_schema->npk * sizeof *names);
            for (size_t i = 0; i < load_schema->npk; i++)
                names[i] = load_schema->fields[load_schema->pk[i]].name;
            rc = sl_schema_set_pk(merged, names, load_schema->npk, &err);
            free(names);
            if (rc) goto out;
            change = 2; /* the table needs its key: rebuild */
        }
    } else {
        merged = sl_schema_copy(load_schema);
    }
    /* silver has _load and _row besides the fields, within SQLite's column limit */
    if (merged->nfields > SL_MAX_COLUMNS - 2) {
        rc = sl_error_set(&err, SL_EFORMAT,
                          "%s: %zu columns; at most %d are supported (SQLite's limit of %d "
                          "columns a table, less sluice's _load and _row)",
                          in.label, merged->nfields, SL_MAX_COLUMNS - 2, SL_MAX_COLUMNS);
        goto out;
    }
    cast = cast_schema(merged, load_schema);

    p = sl_xcalloc(1, sizeof *p);
    p->in = &in;
    p->cast = cast;
    p->ts_field = -1;
    sl_mapping_init(&p->map);
    if (explicit_schema && !in.reader->dialect.header && !sl__input_is_json(&in))
        p->map.by_position = 1;
    sl_quality_init(&p->quality, cast);
    if (src->timestamp) {
        p->ts_field = sl_schema_find(cast, src->timestamp);
        if (p->ts_field < 0) {
            rc = sl_error_set(&err, SL_ECONFIG, "timestamp field '%s' is not a field of %s",
                              src->timestamp, src->name);
            goto out;
        }
    }

    load.schema = merged;
    load.silver_change = st.exists ? change : 0;
    load.encoding =
        sl_encoding_name(in.fopts.encoding ? in.fopts.encoding : in.reader->dialect.encoding);
    dialect = sl__dialect_json(&in);
    load.dialect_json = dialect;
    if ((rc = db->store->begin_load(db, &load, &err))) goto out;
    began = 1;
    if (load.silver_change == 2 && (rc = sl__rebuild_silver(db, &load, merged, &err))) goto out;
    if ((rc = run_pipe(db, &load, p, o, res, &err))) goto out;

    /* the bytes loaded are the bytes hashed: a file that changed between passes is refused */
    sl_stream_sha256(in.stream, load.sha256);
    if (load.input_size < 0) load.input_size = sl_stream_raw_bytes(in.stream);
    if (sha[0] && strcmp(sha, load.sha256)) {
        rc = sl_error_set(&err, SL_ECHANGED, "%s changed while it was being loaded", path);
        goto out;
    }
    if (!sha[0] && !o->force) {
        /* a single pass learns the SHA-256 only now: a known input is rolled back */
        if ((rc = known_input(db, load.sha256, &load, res, &err)) < 0) goto out;
        if (rc) {
            db->store->abort_load(db, &load, &err);
            began = 0;
            load.rows = load.valid = load.warning = load.invalid = 0;
            drop_issues(res);
            goto record;
        }
    }
    columns = sl__columns_json(&in.reader->labels);
    load.columns_json = columns;
    report_unmapped(&p->map, &in.reader->labels, cast, explicit_schema, &msg);
    if (load.rows == 0 && sl_stream_bytes(in.stream) == 0)
        sl_buf_addf(&msg, "%sthe input is empty", msg.len ? "; " : "");
    if (msg.len) load.message = msg.p;
    memcpy(load.ts_min, p->ts_min, sizeof load.ts_min);
    memcpy(load.ts_max, p->ts_max, sizeof load.ts_max);
    p->quality.repeats = load.repeats;
    sl_quality_json(&p->quality, cast, &qjson);
    load.quality_json = qjson.p;
    load.status = "committed";
    load.finished = sl_now();
    if ((rc = db->store->commit_load(db, &load, &err))) goto out;
    began = 0;
    res->status = "committed";
    res->load = load.id;
    memcpy(res->sha256, load.sha256, sizeof res->sha256);
    res->rows = load.rows;
    res->valid = load.valid;
    res->warning = load.warning;
    res->invalid = load.invalid;
    res->quality_json = sl_xstrdup(qjson.p);
    sl_quality_compute(&p->quality, &res->quality);
    res->message = msg.len ? sl_xstrdup(msg.p) : NULL;
    res->exit_code = load.invalid ? 1 : 0;
    goto done;

record:
    /* skipped: recorded, nothing written */
    load.finished = sl_now();
    if ((rc = db->store->record_load(db, &load, &err))) goto out;
    res->status = "skipped";
    memcpy(res->sha256, load.sha256, sizeof res->sha256);
    res->exit_code = 0;
    goto done;

out:
    if (began) {
        struct sl_error e2;
        db->store->abort_load(db, &load, &e2);
    }
    res->status = "failed";
    res->exit_code = sl_exit_code(rc);
    free(res->message);
    res->message = sl_xstrdup(err.msg);
    res->rows = res->valid = res->warning = res->invalid = 0;
    drop_issues(res);
    if (rc != SL_EDB) {
        /* the attempt is part of the history (unless the database itself is the problem) */
        struct sl_error e2;
        load.status = "failed";
        load.message = res->message;
        load.rows = load.valid = load.warning = load.invalid = 0;
        load.finished = sl_now();
        if (!load.sha256[0] && sha[0]) memcpy(load.sha256, sha, sizeof sha);
        if (db->store->record_load(db, &load, &e2) == 0) res->load = load.id;
    }
done:
    if (opened) {
        free(res->format);
        res->format = sl_xstrdup(in.format->name);
        res->encoding = sl_xstrdup(load.encoding ? load.encoding : "");
    }
    res->seconds = sl_now() - t0;
    if (p) {
        sl_mapping_free(&p->map);
        sl_quality_free(&p->quality);
        free(p);
    }
    sl__input_close(&in);
    sl__inferred_free(&inf);
    sl_source_state_free(&st);
    sl_schema_free(explicit_schema);
    sl_schema_free(load_schema);
    sl_schema_free(merged);
    sl_schema_free(cast);
    sl_buf_free(&msg);
    sl_buf_free(&qjson);
    free(columns);
    free(dialect);
}

static void drop_issues(struct sl_load_result *r)
{
    for (size_t i = 0; i < r->nissues; i++) {
        free(r->issues[i].code);
        free(r->issues[i].field);
        free(r->issues[i].value);
        free(r->issues[i].message);
    }
    r->nissues = 0;
    r->issues_total = 0;
}

void sl_load_result_free(struct sl_load_result *r)
{
    free(r->source);
    free(r->input);
    free(r->message);
    free(r->quality_json);
    free(r->format);
    free(r->encoding);
    sl_renames_free(&r->renames);
    drop_issues(r);
    free(r->issues);
    memset(r, 0, sizeof *r);
}
