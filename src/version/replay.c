/*
 * Silver from bronze: load modes, the replay set, and the replay of bronze rows cast with the
 * silver schema. Rebuilds (a widening load, rollback, rebuild) and diffs are built on these.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/transform.h"
#include "sluice/version.h"

#include "internal.h"

#define REPLAY_BATCH 4096

/* ---- modes ------------------------------------------------------------------------------ */

int sl_mode_check(const char *mode, struct sl_error *err)
{
    if (mode && (!strcmp(mode, "append") || !strcmp(mode, "upsert") || !strcmp(mode, "snapshot")))
        return 0;
    return sl_error_set(err, SL_ECONFIG, "unknown mode '%s' (append, upsert or snapshot)",
                        mode ? mode : "");
}

static const char *intern_mode(const char *m)
{
    if (!strcmp(m, "append")) return "append";
    if (!strcmp(m, "upsert")) return "upsert";
    return "snapshot";
}

const char *sl_load_mode(const struct sl_load_info *l, const struct sl_schema *s)
{
    if (l->mode && !sl_mode_check(l->mode, &(struct sl_error){0, ""})) return intern_mode(l->mode);
    return s && s->npk ? "upsert" : "append";
}

int sl_mode_for_load(struct sl_db *db, const char *source, const char *explicit_mode,
                     const struct sl_schema *s, const char **out, struct sl_error *err)
{
    struct sl_load_info *loads = NULL;
    size_t n = 0;
    const char *mode = NULL;
    int rc = 0;

    if (explicit_mode) {
        if ((rc = sl_mode_check(explicit_mode, err))) return rc;
        mode = intern_mode(explicit_mode);
    } else {
        if ((rc = db->store->list_loads(db, source, &loads, &n, err))) return rc;
        for (size_t i = n; i-- > 0 && !mode;)
            if (!strcmp(loads[i].status, "committed") && loads[i].mode)
                mode = sl_load_mode(&loads[i], s);
        sl_load_infos_free(loads, n);
        if (!mode) mode = s->npk ? "upsert" : "append";
    }
    if (!strcmp(mode, "append") && s->npk) {
        char key[200] = "";
        size_t len = 0;
        for (size_t i = 0; i < s->npk && len + 1 < sizeof key; i++)
            len += (size_t)snprintf(key + len, sizeof key - len, "%s%s", i ? "," : "",
                                    s->fields[s->pk[i]].name);
        if (explicit_mode)
            return sl_error_set(err, SL_ECONFIG,
                                "mode append keeps every row, so it cannot keep the primary key "
                                "(%s) of source '%s' unique: use --mode upsert (one row per key, "
                                "the latest wins) or --mode snapshot (each load replaces all "
                                "rows), or load without a primary key (in sluice.yaml: mode: "
                                "upsert or mode: snapshot)",
                                key, source);
        return sl_error_set(err, SL_ECONFIG,
                            "source '%s' was loaded without a primary key (mode append), and this "
                            "load gives it one (%s): load it with --mode upsert (one row per key, "
                            "the latest wins) or --mode snapshot (this load replaces all rows); "
                            "in sluice.yaml, mode: upsert or mode: snapshot",
                            source, key);
    }
    if (!strcmp(mode, "upsert") && !s->npk)
        return sl_error_set(err, SL_ECONFIG,
                            "mode upsert needs a primary key: source '%s' has none (give "
                            "primary_key, or use append or snapshot)",
                            source);
    *out = mode;
    return 0;
}

/* ---- the replay set ------------------------------------------------------------------------ */

size_t sl_replay_set(const struct sl_load_info *loads, size_t n, const int *active, int64_t upto,
                     const struct sl_schema *s, int64_t *ids)
{
    size_t first = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!active[i] || strcmp(loads[i].status, "committed")) continue;
        if (upto > 0 && loads[i].id > upto) continue;
        if (!strcmp(sl_load_mode(&loads[i], s), "snapshot")) first = i;
    }
    for (size_t i = first; i < n; i++) {
        if (!active[i] || strcmp(loads[i].status, "committed")) continue;
        if (upto > 0 && loads[i].id > upto) continue;
        ids[k++] = loads[i].id;
    }
    return k;
}

/* ---- replay -------------------------------------------------------------------------------- */

struct replay {
    const struct sl_load_info *load;
    const struct sl_schema *s;
    const char *source;
    struct sl_labels labels;
    struct sl_mapping map;
    struct sl_batch b;
    struct sl_raw_decoder *dec;
    struct sl_tf_run *tf; /* the transforms the load recorded, applied again */
    sl_replay_cb cb;
    void *ctx;
};

static int flush(struct replay *rp, struct sl_error *err)
{
    int rc;
    const struct sl_labels *labels = &rp->labels;
    if (!rp->b.nrows) return 0;
    if (rp->tf) {
        if ((rc = sl_tf_run_batch(rp->tf, labels, &rp->b, err))) return rc;
        labels = sl_tf_run_labels(rp->tf);
    }
    sl_mapping_update(&rp->map, rp->s, labels);
    sl_cast_batch(rp->s, &rp->map, labels, &rp->b);
    for (size_t i = 0; i < rp->b.nrows; i++)
        if (rp->b.rows[i].status == SL_ROW_INVALID)
            return sl_error_set(err, SL_EFORMAT,
                                "rebuilding %s: bronze row %lld of load %lld does not fit the "
                                "silver schema: %s",
                                rp->source, (long long)rp->b.rows[i].num, (long long)rp->load->id,
                                rp->b.rows[i].issues ? rp->b.rows[i].issues->message : "?");
    rc = rp->cb(rp->ctx, rp->load, &rp->b, err);
    sl_batch_reset(&rp->b);
    return rc;
}

static int on_bronze(void *ctx, const struct sl_bronze_row *br, struct sl_error *err)
{
    struct replay *rp = ctx;
    struct sl_row *row = sl_batch_add_row(&rp->b);
    int rc;

    row->num = br->num;
    row->line = br->line;
    row->offset = br->offset;
    if ((rc = sl_raw_decode(rp->dec, &rp->b, br->raw, br->raw_len, &rp->labels, row, err)))
        return rc;
    if (rp->b.nrows >= REPLAY_BATCH) return flush(rp, err);
    return 0;
}

/* The labels a load recorded ([[label,name],...]) in input-column order. */
static int load_labels(const char *columns_json, struct sl_labels *labels, struct sl_mapping *map,
                       const struct sl_schema *s, struct sl_error *err)
{
    struct sl_doc d;
    int rc;

    if (!columns_json) return 0;
    if ((rc = sl_doc_parse_json(&d, "load columns", columns_json, strlen(columns_json), err))) {
        sl_doc_free(&d);
        return rc;
    }
    /* each column goes to the field the load recorded (by name, or by position for a
     * headerless CSV read with a schema); with transforms the steps' own columns are mapped
     * by name instead (map NULL) */
    size_t n = d.root && d.root->type == SL_NODE_SEQ ? d.root->n : 0;
    if (map) {
        map->field = sl_xrealloc(map->field, (n ? n : 1) * sizeof *map->field);
        map->n = 0;
    }
    for (size_t i = 0; i < n; i++) {
        const struct sl_node *pair = d.root->items[i];
        if (pair->type != SL_NODE_SEQ || pair->n != 2) continue;
        sl_labels_push(labels, pair->items[0]->text, pair->items[0]->len);
        if (map) map->field[map->n++] = sl_schema_find(s, pair->items[1]->text);
    }
    sl_doc_free(&d);
    return 0;
}

static const struct sl_load_info *find_load(const struct sl_load_info *loads, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (loads[i].id == id) return &loads[i];
    return NULL;
}

int sl_replay(struct sl_db *db, const char *source, const struct sl_schema *s,
              const struct sl_load_info *loads, size_t nloads, const int64_t *ids, size_t nids,
              sl_replay_cb cb, void *ctx, struct sl_error *err)
{
    int rc = 0;
    /* rows are cast again, not checked again: they passed their own load's checks */
    struct sl_schema *plain = sl_schema_copy(s);
    sl_schema_strip_checks(plain);
    for (size_t i = 0; i < nids && !rc; i++) {
        struct replay rp;
        memset(&rp, 0, sizeof rp);
        rp.load = find_load(loads, nloads, ids[i]);
        if (!rp.load) {
            rc = sl_error_set(err, SL_ENOTFOUND, "source %s has no load %lld", source,
                              (long long)ids[i]);
            break;
        }
        rp.s = plain;
        rp.source = source;
        rp.cb = cb;
        rp.ctx = ctx;
        sl_labels_init(&rp.labels);
        sl_mapping_init(&rp.map);
        sl_batch_init(&rp.b);
        rp.dec = sl_raw_decoder_new();
        rc = load_labels(rp.load->columns_json, &rp.labels,
                         rp.load->transforms_json ? NULL : &rp.map, plain, err);
        if (!rc && rp.load->transforms_json) {
            /* the steps as the load resolved them: its statistics, its load time */
            struct sl_transforms *t = NULL;
            rc = sl_transforms_from_json(rp.load->transforms_json, &t, err);
            if (!rc) rc = sl_tf_run_new(t, 0, rp.load->input, &rp.tf, err);
            if (!rc)
                sl_tf_run_adopt(rp.tf, t);
            else
                sl_transforms_free(t);
            if (rc)
                sl_error_prefix(err, "rebuilding %s from load %lld", source,
                                (long long)rp.load->id);
        }
        if (!rc) rc = db->store->bronze_scan(db, source, ids[i], on_bronze, &rp, err);
        if (!rc) rc = flush(&rp, err);
        sl_labels_free(&rp.labels);
        sl_mapping_free(&rp.map);
        sl_batch_free(&rp.b);
        sl_raw_decoder_free(rp.dec);
        sl_tf_run_free(rp.tf);
    }
    sl_schema_free(plain);
    return rc;
}

/* ---- the widening rebuild of a load (pipeline/load.c) ---------------------------------------- */

struct into_silver {
    struct sl_db *db;
    struct sl_load *load; /* the open load or change: its statements write the rows */
    int64_t rows;
};

static int write_rows(void *ctx, const struct sl_load_info *from, struct sl_batch *b,
                      struct sl_error *err)
{
    struct into_silver *w = ctx;
    /* rows written now belong to the load they came from */
    int64_t id = w->load->id, repeats = w->load->repeats;
    int rc;
    w->load->id = from->id;
    rc = w->db->store->write_silver(w->db, w->load, b, err);
    w->load->id = id;
    w->load->repeats = repeats;
    w->rows += (int64_t)b->nrows;
    return rc;
}

int sl__replay_into_silver(struct sl_db *db, struct sl_load *load, const struct sl_schema *s,
                           const struct sl_load_info *loads, size_t n, const int64_t *ids,
                           size_t nids, int64_t *rows, struct sl_error *err)
{
    struct into_silver w = {db, load, 0};
    int rc = sl_replay(db, load->source, s, loads, n, ids, nids, write_rows, &w, err);
    if (rows) *rows = w.rows;
    return rc;
}

int sl_rebuild_silver(struct sl_db *db, struct sl_load *load, const struct sl_schema *s,
                      struct sl_error *err)
{
    struct sl_load_info *loads = NULL;
    size_t n = 0, k;
    int64_t *ids = NULL;
    int *active = NULL;
    int rc;

    if ((rc = db->store->list_loads(db, load->source, &loads, &n, err))) return rc;
    ids = sl_xcalloc(n ? n : 1, sizeof *ids);
    active = sl_xcalloc(n ? n : 1, sizeof *active);
    /* the open load is in the list already (its row exists inside the transaction) */
    for (size_t i = 0; i < n; i++) active[i] = loads[i].active && loads[i].id != load->id;
    k = sl_replay_set(loads, n, active, 0, s, ids);
    rc = sl__replay_into_silver(db, load, s, loads, n, ids, k, NULL, err);
    free(active);
    free(ids);
    sl_load_infos_free(loads, n);
    return rc;
}
