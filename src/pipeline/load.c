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

#include "internal.h"

#define NBATCH 4

struct pipe {
    struct sl__input *in;
    const struct sl_schema *cast; /* types to cast to, field order of silver */
    /* silver's own types (checks stripped), for the fields whose silver column is wider than
     * this load's type: widened[k] is set for them, else widened is NULL */
    const struct sl_schema *silver;
    const unsigned char *widened;
    /* on_type_change: quarantine: per cast field, the silver type the load keeps although
     * some values would widen it (-1: none), else NULL */
    const int *kept_type;
    int json;                  /* the input is JSON: its strings stay strings */
    struct sl__recval *recval; /* a JSON Schema that validates whole records, or NULL */
    struct sl_mapping map;
    struct sl_quality quality;
    struct sl_tf_run *tf;       /* the source's transforms, or NULL */
    struct sl__ts ts;           /* the source's timestamp field (ts.field -1 if none) */
    struct sl__keycheck keys;   /* primary key, unique, foreign keys (on the writer's side) */
    struct sl_rejects *rejects; /* --rejects FILE, or NULL */
    struct sl__fit fit;         /* what the store can hold */
    const char *input;          /* as the load names it */

    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct sl_batch batches[NBATCH];
    struct sl_batch *free_q[NBATCH], *full_q[NBATCH];
    size_t nfree, nfull, full_head;
    int reader_done, stop;
    int recount; /* a second pass (bronze only): quality is counted already */
    int rc;      /* reader's failure */
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

/*
 * A column silver keeps wider than this load's type (a string column, a load of numbers):
 * the row was checked with the load's type, but silver gets the value a rebuild from bronze
 * gives, the cell cast to silver's type ("1.50" stays "1.50", not 1.5). Silver stays a pure
 * function of bronze.
 */
static void store_as_silver(struct pipe *p, struct sl_batch *b)
{
    for (size_t r = 0; r < b->nrows; r++) {
        struct sl_row *row = &b->rows[r];
        if (!row->values || row->status == SL_ROW_INVALID) continue;
        for (uint32_t j = 0; j < row->ncells; j++) {
            const struct sl_cell *c = &row->cells[j];
            int32_t k = c->col < p->map.n ? p->map.field[c->col] : -1;
            struct sl_value v;
            const char *why;
            if (k < 0 || !p->widened[k] || row->values[k].type == SL_V_NULL) continue;
            if (sl_cast_cell(&p->silver->fields[k], c, &b->arena, &v, &why) >= 0)
                row->values[k] = v;
        }
    }
}

/* The value would make inference widen a column of type `type` (the rule type_changes counts). */
static int would_widen(int type, const struct sl_cell *c, int json)
{
    return sl_type_merge(type, sl_infer_cell_from(c, json)) != type;
}

/*
 * on_type_change: quarantine: a value that would widen its silver column rejects its row, with
 * a reason, whatever the cast made of it (the lenient integer cast reads "00451" as 451: that
 * must not land in silver as another value). A cell whose cast failed already has its reason.
 */
static void quarantine_widening(struct pipe *p, struct sl_batch *b)
{
    for (size_t r = 0; r < b->nrows; r++) {
        struct sl_row *row = &b->rows[r];
        if (!row->values) continue; /* the reader could not read it: rejected already */
        for (uint32_t j = 0; j < row->ncells; j++) {
            const struct sl_cell *c = &row->cells[j];
            int32_t k = c->col < p->map.n ? p->map.field[c->col] : -1;
            if (k < 0 || p->kept_type[k] < 0 || !would_widen(p->kept_type[k], c, p->json)) continue;
            const struct sl_value *v = &row->values[k];
            if (v->type == SL_V_NULL && v->len) continue; /* not castable: reported by the cast */
            const struct sl_field *f = &p->cast->fields[k];
            sl_row_issue(
                b, row, SL_ROW_INVALID, "type-change", f->name, c->p, c->len,
                "%s: '%.*s' would change the column's type from %s to %s "
                "(on_type_change: quarantine)",
                f->name, (int)(c->len > 80 ? 80 : c->len), c->p, sl_type_name(p->kept_type[k]),
                sl_type_name(sl_type_merge(p->kept_type[k], sl_infer_cell_from(c, p->json))));
        }
    }
}

static void *reader_main(void *arg)
{
    struct pipe *p = arg;
    int rc = 0;

    for (;;) {
        struct sl_batch *b = take_free(p);
        if (!b) break;
        const struct sl_labels *labels;
        if ((rc = sl__input_next(p->in, p->tf, b, &labels, &p->err)) <= 0) {
            give_free(p, b);
            break;
        }
        sl_mapping_update(&p->map, p->cast, labels);
        if (p->recval) sl__recval_prepare(p->cast, &p->map, b);
        sl_cast_batch(p->cast, &p->map, labels, b);
        if (p->widened) store_as_silver(p, b);
        if (p->kept_type) quarantine_widening(p, b);
        if (p->recval && (rc = sl__recval_batch(p->recval, b, &p->err)) < 0) {
            give_free(p, b);
            break;
        }
        sl__fit_batch(&p->fit, b);
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
        res->issues_total += sl_row_issue_count(row);
        for (const struct sl_issue *i = row->issues; i; i = i->next) {
            sl_issue_groups_add(&res->groups, row, i);
            if (res->nissues >= keep) continue;
            res->issues = sl_xrealloc(res->issues, (res->nissues + 1) * sizeof *res->issues);
            struct sl_issue_rec *o = &res->issues[res->nissues++];
            o->row = row->num;
            o->line = row->line;
            o->offset = row->offset;
            o->severity = i->severity;
            o->code = sl_xstrdup(i->code);
            o->field = i->field ? sl_xstrdup(i->field) : NULL;
            o->value = i->value ? sl_xstrndup(i->value, i->value_len) : NULL;
            o->message = sl_xstrdup(i->message);
            o->constraint = i->constraint ? sl_xstrdup(i->constraint) : NULL;
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
        /* checks across rows need the store (silver), whose connection is this thread's */
        rc = sl__keycheck_batch(&p->keys, b, err);
        if (!rc) {
            if (!p->recount) sl_quality_batch(&p->quality, p->cast, b);
            sl__ts_batch(&p->ts, b);
            /* a CSV input's labels are its header: fixed, safe to read on this thread; the
             * second (bronze only) pass has written its rejects already */
            if (p->rejects && !p->recount)
                rc = sl__rejects_batch(p->rejects, p->input,
                                       sl__input_is_json(p->in) ? NULL : &p->in->reader->labels,
                                       sl__input_is_json(p->in), b, err);
        }
        if (!rc) rc = db->store->write(db, load, b, err);
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
    /* each load is checked by its own schema, not by what an earlier load declared */
    sl_schema_strip_checks(c);
    for (size_t i = 0; i < load->nfields; i++) {
        int k = sl_schema_find(c, load->fields[i].name);
        if (k < 0) continue;
        sl_field_copy_rules(&c->fields[k], &load->fields[i]);
        c->fields[k].type = load->fields[i].type;
    }
    sl_schema_copy_checks(c, load, NULL);
    for (size_t i = 0; i < c->nmissing; i++) free(c->missing[i]);
    free(c->missing);
    c->missing = sl_xcalloc(load->nmissing ? load->nmissing : 1, sizeof *c->missing);
    for (size_t i = 0; i < load->nmissing; i++) c->missing[i] = sl_xstrdup(load->missing[i]);
    c->nmissing = load->nmissing;
    c->missing_declared = load->missing_declared;
    return c;
}

/* The silver schema the load records carries this load's checks (those of fields whose type
 * silver kept; a widened column's checks were written for another type). */
static void keep_checks(struct sl_schema *merged, const struct sl_schema *load)
{
    sl_schema_strip_checks(merged);
    for (size_t i = 0; i < load->nfields; i++) {
        int k = sl_schema_find(merged, load->fields[i].name);
        if (k >= 0 && merged->fields[k].type == load->fields[i].type)
            sl_field_copy_rules(&merged->fields[k], &load->fields[i]);
    }
    sl_schema_copy_checks(merged, load, NULL);
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
        if (m->field[i] < 0) {
            sl_buf_adds(&extra, extra.len ? ", '" : "'");
            sl_buf_add_printable(&extra, labels->v[i], labels->lens[i]);
            sl_buf_addc(&extra, '\'');
        }
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

/* Anomalies: this load against the source's earlier committed loads (read inside the load's
 * transaction, which sees the catalog as it was). */
static int quality_history(struct sl_db *db, const struct sl_load *load, struct sl_quality *q,
                           struct sl_error *err)
{
    struct sl_load_info *loads = NULL;
    struct sl_quality_past *past;
    size_t n = 0, k = 0;
    int rc = db->store->list_loads(db, load->source, &loads, &n, err);
    if (rc) return rc;
    past = sl_xcalloc(n ? n : 1, sizeof *past);
    for (size_t i = 0; i < n; i++) {
        if (loads[i].id == load->id || strcmp(loads[i].status, "committed") ||
            !loads[i].quality_json)
            continue;
        past[k].load = loads[i].id;
        past[k].rows = loads[i].rows;
        past[k].status = loads[i].status;
        past[k].quality_json = loads[i].quality_json;
        k++;
    }
    sl_quality_anomalies(q, past, k);
    free(past);
    sl_load_infos_free(loads, n);
    return 0;
}

static char *first_recommendation(const struct sl_quality *q, const struct sl_schema *s)
{
    struct sl_buf b = SL_BUF_INIT;
    /* the text output says how many rows were rejected already: the first concrete one */
    sl_quality_recommendations(q, s, 0, &b);
    if (!b.len) return NULL;
    char *nl = memchr(b.p, '\n', b.len);
    if (nl) *nl = 0;
    char *r = sl_xstrdup(b.p);
    sl_buf_free(&b);
    return r;
}

/*
 * A load that missed a quality threshold: its transaction was rolled back (silver and the
 * active versions are as they were); the input is read again and written to bronze only, as a
 * load with status "failed", so its rows with their statuses and errors can be looked at.
 * Reading again rather than staging silver keeps the fast path (one transaction writing both)
 * for the loads that pass; the second pass casts again, so rows, statuses and errors are the
 * same, and the SHA-256 is compared.
 */
static int bronze_only_pass(struct sl_db *db, struct sl_load *load, struct pipe *p,
                            struct sl__input *in, const struct sl_load_opts *o,
                            struct sl_load_result *res, struct sl_error *err)
{
    int rc;
    int by_position = p->map.by_position;

    if ((rc = sl__input_reopen(in, 1, err))) return rc;
    sl_mapping_free(&p->map);
    sl_mapping_init(&p->map);
    p->map.by_position = by_position;
    p->nfree = p->nfull = p->full_head = 0;
    p->reader_done = p->stop = p->rc = 0;
    p->recount = 1;
    /* the keys seen by the first pass would all repeat: check them again from scratch */
    sl__keycheck_close(&p->keys);
    if ((rc = sl__keycheck_open(&p->keys, p->cast, db, load->source, err))) return rc;
    p->ts.values = p->ts.dates = 0;
    p->ts.min[0] = p->ts.max[0] = 0;
    load->rows = load->valid = load->warning = load->invalid = load->repeats = 0;
    load->bronze_only = 1;
    load->silver_change = 0;
    load->status = "failed";
    if (p->tf) sl_tf_run_reset_counts(p->tf);
    drop_issues(res);
    if ((rc = db->store->begin_load(db, load, err))) return rc;
    if ((rc = run_pipe(db, load, p, o, res, err))) {
        struct sl_error e2;
        db->store->abort_load(db, load, &e2);
        return rc;
    }
    sl_stream_sha256(in->stream, load->sha256);
    sl_stream_content_sha256(in->stream, load->content_sha256);
    return 0;
}

/* Was this input loaded into the source before: the same bytes (sha) or the same content
 * decompressed (csha, "" when not known yet; a.csv and a.csv.gz are one input)? 1 (and the load
 * marked skipped), 0, or < 0 on a store error. */
static int known_input(struct sl_db *db, const char *sha, const char *csha, struct sl_load *load,
                       struct sl_load_result *res, struct sl_error *err)
{
    int64_t dup = 0;
    int rc = db->store->find_input(db, load->source, sha, csha, &dup, err);
    if (rc < 0 || !dup) return rc;
    if (load->sha256 != sha) memcpy(load->sha256, sha, sizeof load->sha256);
    if (load->content_sha256 != csha) snprintf(load->content_sha256, 65, "%s", csha);
    load->status = "skipped";
    load->duplicate_of = dup;
    res->load = dup;
    res->message = sl_xasprintf("same input already loaded as load %lld", (long long)dup);
    load->message = res->message;
    return 1;
}

/* Reads the input once more to count, per silver column this load would widen (old[k] >= 0:
 * its type in silver), the values that need the wider type, keeping the first few. Leaves the
 * input reopened for the load's own pass. */
static int count_type_changes(struct sl__input *in, const struct sl_schema *merged, const int *old,
                              const size_t *slot, struct sl_load_result *res, struct sl_error *err)
{
    struct sl_batch b;
    struct sl_mapping m;
    int rc = 0, json = sl__input_is_json(in);

    sl_batch_init(&b);
    sl_mapping_init(&m);
    const struct sl_labels *labels;
    while ((rc = sl__input_next(in, in->tf, &b, &labels, err)) > 0) {
        sl_mapping_update(&m, merged, labels);
        for (size_t r = 0; r < b.nrows; r++) {
            const struct sl_row *row = &b.rows[r];
            if (row->status == SL_ROW_INVALID) continue; /* no evidence, as for inference */
            for (uint32_t j = 0; j < row->ncells; j++) {
                const struct sl_cell *c = &row->cells[j];
                int32_t k = c->col < m.n ? m.field[c->col] : -1;
                if (k < 0 || old[k] < 0 || !would_widen(old[k], c, json)) continue;
                struct sl_type_change *tc = &res->type_changes[slot[k]];
                if (tc->nfirst < sizeof tc->first / sizeof *tc->first) {
                    size_t n = c->len > 60 ? 60 : c->len;
                    tc->first[tc->nfirst] = sl_xstrndup(c->p, n);
                    tc->first_len[tc->nfirst++] = n;
                }
                tc->values++;
            }
        }
    }
    if (rc < 0) goto out;
    if (in->tf) sl_tf_run_reset_counts(in->tf);
    rc = sl__input_reopen(in, 1, err);
out:
    sl_mapping_free(&m);
    sl_batch_free(&b);
    return rc;
}

/* "total integer -> string (2 values: "00451", "n/a")" for each type change, "; " between. */
static void type_changes_text(const struct sl_load_result *res, struct sl_buf *b)
{
    for (size_t i = 0; i < res->ntype_changes; i++) {
        const struct sl_type_change *tc = &res->type_changes[i];
        sl_buf_addf(b, "%s%s %s -> %s", i ? "; " : "", tc->column, tc->from, tc->to);
        if (tc->values < 0) continue;
        sl_buf_addf(b, " (%lld value%s: ", (long long)tc->values, tc->values == 1 ? "" : "s");
        for (size_t k = 0; k < tc->nfirst; k++) {
            if (k) sl_buf_adds(b, ", ");
            sl_buf_json_str(b, tc->first[k], tc->first_len[k]);
        }
        sl_buf_adds(b, tc->values > (int64_t)tc->nfirst ? ", ...)" : ")");
    }
}

/* A load that failed changed no type, whatever its policy would have done. */
static void type_changes_not_applied(struct sl_load_result *res)
{
    for (size_t i = 0; i < res->ntype_changes; i++)
        if (strcmp(res->type_changes[i].action, "rejected"))
            res->type_changes[i].action = "none (the load failed)";
}

/*
 * Silver columns whose type this load would widen (integer -> string because of "00451"): a
 * change of what queries on earlier rows return (WHERE n > 1000 compares text in SQLite), so
 * never silent. Each is reported (res->type_changes) with the values that need the wider type,
 * counted by reading the input once more (only loads that widen pay for it). Then policy:
 * reject fails the load; quarantine keeps silver's types (load_schema and *merged are changed
 * back, *kept says which) so that the rows holding such values are rejected with a reason;
 * widen lets silver's column widen. A type that an explicit schema declares is the user's
 * decision: reported, not gated (sl_schema_gate judges it).
 */
static int type_changes(struct sl__input *in, int policy, int explicit,
                        const struct sl_schema *silver, struct sl_schema *load_schema,
                        struct sl_schema **merged, int *change, struct sl_load_result *res,
                        int **kept, struct sl_error *err)
{
    int *old = NULL, rc = 0;
    size_t *slot = NULL, n = 0;
    struct sl_buf b = SL_BUF_INIT;

    for (size_t i = 0; i < (*merged)->nfields; i++) {
        int k = sl_schema_find(silver, (*merged)->fields[i].name);
        if (k < 0 || silver->fields[k].type == (*merged)->fields[i].type) continue;
        if (!old) {
            old = sl_xmalloc((*merged)->nfields * sizeof *old);
            slot = sl_xcalloc((*merged)->nfields, sizeof *slot);
            for (size_t j = 0; j < (*merged)->nfields; j++) old[j] = -1;
            res->type_changes = sl_xcalloc((*merged)->nfields, sizeof *res->type_changes);
        }
        old[i] = silver->fields[k].type;
        slot[i] = n;
        struct sl_type_change *tc = &res->type_changes[n++];
        tc->column = sl_xstrdup((*merged)->fields[i].name);
        tc->from = sl_type_name(old[i]);
        tc->to = sl_type_name((*merged)->fields[i].type);
        tc->values = explicit ? -1 : 0;
        tc->action = "widened";
    }
    res->ntype_changes = n;
    if (!n || explicit) goto out;
    if ((rc = count_type_changes(in, *merged, old, slot, res, err))) goto out;
    if (policy == SL_TC_REJECT || policy == SL_TC_UNSET) {
        for (size_t i = 0; i < n; i++) res->type_changes[i].action = "rejected";
        type_changes_text(res, &b);
        rc = sl_error_set(err, SL_ECONFIG,
                          "values need a wider type than silver has: %s. on_type_change is reject: "
                          "nothing was loaded (--on-type-change widen changes the column type, "
                          "quarantine rejects those rows)",
                          b.p);
        goto out;
    }
    if (policy == SL_TC_QUARANTINE) {
        for (size_t i = 0; i < n; i++) res->type_changes[i].action = "quarantined";
        for (size_t i = 0; i < (*merged)->nfields; i++) {
            if (old[i] < 0) continue;
            int j = sl_schema_find(load_schema, (*merged)->fields[i].name);
            if (j >= 0) load_schema->fields[j].type = old[i];
        }
        sl_schema_free(*merged);
        *merged = sl_schema_merge(silver, load_schema, change);
        *kept = old;
        old = NULL;
    }
out:
    free(old);
    free(slot);
    sl_buf_free(&b);
    return rc;
}

/* The result of a load whose catalog row was committed (status "committed" unless changed). */
static void committed_result(struct sl_load_result *res, const struct sl_load *load, struct pipe *p,
                             const struct sl_schema *cast, const char *qjson)
{
    res->status = "committed";
    res->load = load->id;
    memcpy(res->sha256, load->sha256, sizeof res->sha256);
    memcpy(res->content_sha256, load->content_sha256, sizeof res->content_sha256);
    res->rows = load->rows;
    res->valid = load->valid;
    res->warning = load->warning;
    res->invalid = load->invalid;
    res->quality_json = sl_xstrdup(qjson);
    sl_quality_compute(&p->quality, &res->quality);
    res->recommendation = first_recommendation(&p->quality, cast);
}

/*
 * A load into a source that existed before joins its rows to earlier ones: the result says so,
 * with silver's row count now, the columns the load added and silver's earlier columns the
 * input does not fill (several files with different columns in one source are never silent).
 */
static void existing_result(struct sl_db *db, struct sl_load_result *res,
                            const struct sl_schema *before, const struct sl_schema *merged,
                            const struct sl_mapping *map, const struct sl_schema *explicit_schema,
                            const char *mode)
{
    struct sl_error e2 = {0, ""};
    res->existing = 1;
    res->mode = sl_xstrdup(mode ? mode : "append");
    res->silver_rows = -1;
    if (db->store->silver_rows && db->store->silver_rows(db, res->source, &res->silver_rows, &e2))
        res->silver_rows = -1;
    res->columns_added = sl_xcalloc(merged->nfields + 1, sizeof *res->columns_added);
    res->columns_lacking = sl_xcalloc(merged->nfields + 1, sizeof *res->columns_lacking);
    for (size_t k = 0; k < merged->nfields; k++) {
        const char *name = merged->fields[k].name;
        if (sl_schema_find(before, name) < 0) {
            res->columns_added[res->ncolumns_added++] = sl_xstrdup(name);
            continue;
        }
        int filled = 0;
        for (size_t i = 0; i < map->n && !filled; i++) filled = map->field[i] == (int32_t)k;
        /* fields of an explicit schema the input lacks are said by report_unmapped already */
        if (!filled && !(explicit_schema && sl_schema_find(explicit_schema, name) >= 0))
            res->columns_lacking[res->ncolumns_lacking++] = sl_xstrdup(name);
    }
}

void sl_load_file(struct sl_db *db, const struct sl_source *src, const char *path,
                  const struct sl_load_opts *o, struct sl_load_result *res)
{
    struct sl_error err = {0, ""};
    struct sl__input in;
    struct sl__inferred inf;
    struct sl_source_state st;
    struct sl_schema *explicit_schema = NULL, *load_schema = NULL, *merged = NULL, *cast = NULL;
    struct sl_schema *silver = NULL;
    unsigned char *widened = NULL;
    int *kept_type = NULL;
    struct sl__recval *recval = NULL;
    struct sl_load load;
    struct sl_store_limits limits;
    struct pipe *p = NULL;
    struct sl_tf_run *tf = NULL;
    struct sl_buf msg = SL_BUF_INIT, qjson = SL_BUF_INIT, thr = SL_BUF_INIT, tfjson = SL_BUF_INIT;
    struct sl_buf catmsg = SL_BUF_INIT;
    char *columns = NULL, *dialect = NULL, sha[65] = "", csha[65] = "";
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

    db->store->limits(db, &limits);
    if ((rc = sl__fit_max_record(&limits, db->store->name, src->fopts.max_record, &err))) goto out;
    if ((rc = db->store->source_state(db, src->name, &st, &err))) goto out;
    if (!st.exists && (rc = sl_source_case_conflict(db, src->name, &err))) goto out;
    if ((rc = sl__source_schema(src, &explicit_schema, &err))) goto out;
    if ((rc = sl__source_recval(src, &recval, &err))) goto out;
    if (sl_transforms_count(src->transforms) &&
        (rc = sl_tf_run_new(src->transforms, t0, load.input, &tf, &err)))
        goto out;
    /* z-score and IQR outliers need the whole input's statistics: a first pass, as inference */
    int two_pass = !explicit_schema || (tf && sl_tf_run_needs_stats(tf));
    /* a load that misses a quality threshold reads its input a second time (bronze only): stdin
     * is spooled then */
    if ((rc = sl__input_open(&in, src, path, recval ? SL__WANT_RAW_ANY : explicit_schema != NULL,
                             two_pass || sl_quality_config_has_thresholds(&src->quality), 0, &err)))
        goto out;
    opened = 1;
    in.tf = tf;
    if ((rc = sl__recval_check_input(recval, &in, &err))) goto out;
    load.format = in.format->name;
    load.compression = sl_stream_compression(in.stream);
    load.input_size = sl_stream_size(in.stream);

    if (two_pass) {
        /* first pass: types over the whole input, and its SHA-256 */
        if (tf) sl_tf_run_begin_stats(tf);
        if ((rc = sl__infer_pass(&in, o->progress, &inf, &err))) goto out;
        if (tf && (rc = sl_tf_run_end_stats(tf, &err))) goto out;
        memcpy(sha, inf.sha256, sizeof sha);
        memcpy(csha, inf.content_sha256, sizeof csha);
        if (load.input_size < 0) load.input_size = sl_stream_raw_bytes(in.stream);
        if (!o->force) {
            if ((rc = known_input(db, sha, csha, &load, res, &err)) < 0) goto out;
            if (rc) goto record;
        }
        if (explicit_schema) {
            load_schema = sl_schema_copy(explicit_schema);
        } else {
            load_schema = inf.schema;
            inf.schema = NULL;
            res->renames = inf.renames;
            memset(&inf.renames, 0, sizeof inf.renames);
        }
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
            if ((rc = known_input(db, sha, "", &load, res, &err)) < 0) goto out;
            if (rc) goto record;
        }
    }
    if (tf) {
        sl_tf_run_schema(tf, load_schema, !explicit_schema);
        sl_tf_run_json(tf, 0, &tfjson);
        load.transforms_json = tfjson.p;
    }
    if (!load_schema->npk && (rc = sl__apply_primary_key(src, load_schema, &err))) goto out;
    /* an explicit schema's names as they are: the store must be able to take them */
    if ((rc = sl_names_check_rules(load_schema, &err))) goto out;
    if (st.exists) {
        merged = sl_schema_merge(st.schema, load_schema, &change);
        if (change == 2 &&
            (rc = type_changes(&in, o->on_type_change ? o->on_type_change : src->on_type_change,
                               explicit_schema != NULL, st.schema, load_schema, &merged, &change,
                               res, &kept_type, &err)))
            goto out;
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
        /* an explicit schema narrower than silver's: breaking (sluice/version.h) */
        if (explicit_schema && (rc = sl_schema_gate(st.schema, load_schema, o->allow_breaking,
                                                    &merged, &change, &err)))
            goto out;
    } else {
        merged = sl_schema_copy(load_schema);
    }
    /* silver has _load and _row besides the fields, within the store's column limit */
    if (merged->nfields > (size_t)db->store->max_columns - 2) {
        rc = sl_error_set(&err, SL_EFORMAT,
                          "%s: %zu columns; at most %d are supported (%s's limit of %d columns "
                          "a table, less sluice's _load and _row)",
                          in.label, merged->nfields, db->store->max_columns - 2, db->store->name,
                          db->store->max_columns);
        goto out;
    }
    keep_checks(merged, load_schema);
    cast = cast_schema(merged, load_schema);
    for (size_t i = 0; i < cast->nfields; i++)
        if (cast->fields[i].type != merged->fields[i].type) {
            if (!widened) {
                widened = sl_xcalloc(cast->nfields, 1);
                silver = sl_schema_copy(merged);
                sl_schema_strip_checks(silver);
            }
            widened[i] = 1;
        }

    p = sl_xcalloc(1, sizeof *p);
    p->in = &in;
    p->cast = cast;
    p->silver = silver;
    p->widened = widened;
    p->fit.limits = limits;
    p->fit.cast = cast;
    p->fit.silver = silver;
    p->fit.widened = widened;
    p->kept_type = kept_type;
    p->json = sl__input_is_json(&in);
    p->tf = tf;
    p->recval = recval;
    sl_mapping_init(&p->map);
    if (explicit_schema && !in.reader->dialect.header && !sl__input_is_json(&in))
        p->map.by_position = 1;
    sl_quality_init(&p->quality, cast);
    if ((rc = sl__ts_init(&p->ts, src, cast, explicit_schema != NULL, src->name, &err))) goto out;
    sl_quality_configure(&p->quality, &src->quality, p->ts.field);

    load.schema = merged;
    load.silver_change = st.exists ? change : 0;
    /* snapshot: the load is the complete state, silver is replaced (sluice/version.h) */
    if ((rc = sl_mode_for_load(db, src->name, src->mode, merged, &load.mode, &err))) goto out;
    if (st.exists && !strcmp(load.mode, "snapshot")) load.silver_change = 2;
    load.encoding =
        sl_encoding_name(in.fopts.encoding ? in.fopts.encoding : in.reader->dialect.encoding);
    dialect = sl__dialect_json(&in);
    load.dialect_json = dialect;
    if ((rc = sl__keycheck_open(&p->keys, cast, db, src->name, &err))) goto out;
    p->rejects = o->rejects;
    p->input = load.input;
    if ((rc = db->store->begin_load(db, &load, &err))) goto out;
    began = 1;
    if (load.silver_change == 2 && strcmp(load.mode, "snapshot") &&
        (rc = sl_rebuild_silver(db, &load, merged, &err)))
        goto out;
    if ((rc = run_pipe(db, &load, p, o, res, &err))) goto out;

    /* the bytes loaded are the bytes hashed: a file that changed between passes is refused */
    sl_stream_sha256(in.stream, load.sha256);
    sl_stream_content_sha256(in.stream, load.content_sha256);
    if (load.input_size < 0) load.input_size = sl_stream_raw_bytes(in.stream);
    if (sha[0] && strcmp(sha, load.sha256)) {
        rc = sl_error_set(&err, SL_ECHANGED, "%s changed while it was being loaded", path);
        goto out;
    }
    if (!sha[0] && !o->force) {
        /* a single pass learns the SHA-256 only now: a known input is rolled back */
        if ((rc = known_input(db, load.sha256, load.content_sha256, &load, res, &err)) < 0)
            goto out;
        if (rc) {
            db->store->abort_load(db, &load, &err);
            began = 0;
            load.rows = load.valid = load.warning = load.invalid = 0;
            drop_issues(res);
            goto record;
        }
    }
    columns = sl__columns_json(&in.reader->labels);
    if (p->map.by_position) {
        /* a headerless CSV matched to the schema by position: record which field each column
         * went to, so a rebuild maps it the same way */
        free(columns);
        columns = sl__columns_json_mapped(&in.reader->labels, &p->map, cast);
    }
    load.columns_json = columns;
    report_unmapped(&p->map, tf ? sl_tf_run_labels(tf) : &in.reader->labels, cast, explicit_schema,
                    &msg);
    if (tf) {
        struct sl_buf un = SL_BUF_INIT;
        sl_tf_run_unresolved(tf, &un);
        if (un.len)
            sl_buf_addf(&msg, "%stransforms whose field the input does not have: %s",
                        msg.len ? "; " : "", un.p);
        sl_buf_free(&un);
        sl_buf_reset(&tfjson);
        sl_tf_run_json(tf, 1, &tfjson);
        load.transforms_json = tfjson.p;
    }
    if (in.reader->hint[0]) sl_buf_addf(&msg, "%s%s", msg.len ? "; " : "", in.reader->hint);
    {
        char *hint = sl__input_hint(&in);
        if (hint) sl_buf_addf(&msg, "%s%s", msg.len ? "; " : "", hint);
        free(hint);
    }
    if (load.rows == 0 && sl_stream_bytes(in.stream) == 0)
        sl_buf_addf(&msg, "%sthe input is empty", msg.len ? "; " : "");
    if (msg.len) load.message = msg.p;
    if (res->ntype_changes) {
        /* the catalog keeps what the load did to silver's types (sluice versions shows it) */
        int kept = !strcmp(res->type_changes[0].action, "quarantined");
        sl_buf_addf(&catmsg, "%s%s%s: ", msg.len ? msg.p : "", msg.len ? "; " : "",
                    kept ? "column types kept (on_type_change quarantine), rows with values "
                           "that would widen them rejected"
                         : "column types widened");
        type_changes_text(res, &catmsg);
        load.message = catmsg.p;
    }
    /* a timestamp field of strings that are mostly not dates: refused, rolled back */
    if ((rc = sl__ts_verdict(&p->ts, &err))) goto out;
    memcpy(load.ts_min, p->ts.min, sizeof load.ts_min);
    memcpy(load.ts_max, p->ts.max, sizeof load.ts_max);
    /* uniqueness: keys repeated within the load are counted from its rows; keys already in
     * silver count only for append sources (an upsert or snapshot replacing them is the point) */
    p->quality.repeats = load.mode && !strcmp(load.mode, "append") ? load.repeats : 0;
    if ((rc = quality_history(db, &load, &p->quality, &err))) goto out;
    sl_quality_json(&p->quality, cast, &qjson);
    load.quality_json = qjson.p;
    if (sl_quality_thresholds(&p->quality, &src->quality, &thr)) {
        /* missed: nothing of it may reach silver, but its rows stay in bronze as a failed load */
        if ((rc = db->store->abort_load(db, &load, &err))) goto out;
        began = 0;
        if ((rc = bronze_only_pass(db, &load, p, &in, o, res, &err))) goto out;
        began = 1;
        if (sha[0] && strcmp(sha, load.sha256)) {
            rc = sl_error_set(&err, SL_ECHANGED, "%s changed while it was being loaded", path);
            goto out;
        }
        sl_buf_addf(&thr, "; its %lld rows are kept in ", (long long)load.rows);
        sl_buf_addf(&thr, db->store->bronze_table, src->name);
        sl_buf_addf(&thr, " as load %lld (status failed), silver is unchanged", (long long)load.id);
        load.message = thr.p;
        load.finished = sl_now();
        if ((rc = db->store->commit_load(db, &load, &err))) goto out;
        began = 0;
        committed_result(res, &load, p, cast, qjson.p);
        res->status = "failed";
        res->message = sl_xasprintf("quality threshold missed: %s", thr.p);
        res->exit_code = 1;
        type_changes_not_applied(res);
        goto done;
    }
    load.status = "committed";
    load.finished = sl_now();
    /* a signal after the last batch still rolls the load back, as sluice then says */
    if (sl_interrupted) {
        rc = sl_error_set(&err, SL_EINTR, "interrupted");
        goto out;
    }
    if ((rc = db->store->commit_load(db, &load, &err))) goto out;
    began = 0;
    committed_result(res, &load, p, cast, qjson.p);
    if (st.exists) existing_result(db, res, st.schema, merged, &p->map, explicit_schema, load.mode);
    res->message = msg.len ? sl_xstrdup(msg.p) : NULL;
    res->exit_code = load.invalid ? 1 : 0;
    if (tf) {
        const char *name;
        int64_t count;
        size_t n = sl_tf_run_counts(tf, SIZE_MAX, &name, &count);
        res->transform_names = sl_xcalloc(n ? n : 1, sizeof *res->transform_names);
        res->transform_counts = sl_xcalloc(n ? n : 1, sizeof *res->transform_counts);
        for (size_t i = 0; i < n; i++) {
            sl_tf_run_counts(tf, i, &name, &count);
            res->transform_names[i] = sl_xstrdup(name);
            res->transform_counts[i] = count;
        }
        res->ntransforms = n;
    }
    goto done;

record:
    /* skipped: recorded, nothing written */
    load.finished = sl_now();
    if ((rc = db->store->record_load(db, &load, &err))) goto out;
    res->status = "skipped";
    memcpy(res->sha256, load.sha256, sizeof res->sha256);
    memcpy(res->content_sha256, load.content_sha256, sizeof res->content_sha256);
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
    type_changes_not_applied(res);
    if (rc != SL_EDB) {
        /* the attempt is part of the history (unless the database itself is the problem) */
        struct sl_error e2;
        load.status = "failed";
        load.message = res->message;
        load.rows = load.valid = load.warning = load.invalid = 0;
        load.finished = sl_now();
        if (!load.sha256[0] && sha[0]) memcpy(load.sha256, sha, sizeof sha);
        if (!load.content_sha256[0] && csha[0]) memcpy(load.content_sha256, csha, sizeof csha);
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
        sl__keycheck_close(&p->keys);
        sl_mapping_free(&p->map);
        sl_quality_free(&p->quality);
        free(p);
    }
    sl__input_close(&in);
    sl__inferred_free(&inf);
    sl_source_state_free(&st);
    sl_schema_free(explicit_schema);
    sl__recval_free(recval);
    sl_schema_free(load_schema);
    sl_schema_free(merged);
    sl_schema_free(cast);
    sl_schema_free(silver);
    free(widened);
    free(kept_type);
    sl_buf_free(&msg);
    sl_buf_free(&catmsg);
    sl_buf_free(&qjson);
    sl_buf_free(&thr);
    sl_buf_free(&tfjson);
    sl_tf_run_free(tf);
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
        free(r->issues[i].constraint);
    }
    r->nissues = 0;
    r->issues_total = 0;
    sl_issue_groups_free(&r->groups);
}

void sl_load_result_free(struct sl_load_result *r)
{
    free(r->source);
    free(r->input);
    free(r->message);
    free(r->quality_json);
    free(r->recommendation);
    free(r->format);
    free(r->encoding);
    sl_renames_free(&r->renames);
    for (size_t i = 0; i < r->ntype_changes; i++) {
        free(r->type_changes[i].column);
        for (size_t k = 0; k < r->type_changes[i].nfirst; k++) free(r->type_changes[i].first[k]);
    }
    free(r->type_changes);
    for (size_t i = 0; i < r->ntransforms; i++) free(r->transform_names[i]);
    free(r->transform_names);
    free(r->transform_counts);
    for (size_t i = 0; i < r->ncolumns_added; i++) free(r->columns_added[i]);
    for (size_t i = 0; i < r->ncolumns_lacking; i++) free(r->columns_lacking[i]);
    free(r->columns_added);
    free(r->columns_lacking);
    free(r->mode);
    drop_issues(r);
    free(r->issues);
    memset(r, 0, sizeof *r);
}
