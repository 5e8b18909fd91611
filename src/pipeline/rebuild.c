/*
 * Silver from bronze. Silver is a pure function of the active bronze loads (DESIGN.md): when a
 * column must widen, silver is emptied and every active load's bronze rows are cast again, in
 * load order, with the new schema. Bronze keeps records as received, so nothing is lost.
 */
#include <stdlib.h>
#include <string.h>

#include "pipeline/internal.h"

#define REBUILD_BATCH 4096

struct rebuild {
    struct sl_db *db;
    struct sl_load *load;
    const struct sl_schema *s;
    struct sl_labels labels;
    struct sl_mapping map;
    struct sl_batch b;
    struct sl_raw_decoder *dec;
};

static int flush(struct rebuild *rb, struct sl_error *err)
{
    int rc;
    if (!rb->b.nrows) return 0;
    sl_mapping_update(&rb->map, rb->s, &rb->labels);
    sl_cast_batch(rb->s, &rb->map, &rb->labels, &rb->b);
    for (size_t i = 0; i < rb->b.nrows; i++)
        if (rb->b.rows[i].status == SL_ROW_INVALID)
            return sl_error_set(err, SL_EFORMAT,
                                "rebuilding %s: bronze row %lld of load %lld does not fit the "
                                "new schema: %s",
                                rb->load->source, (long long)rb->b.rows[i].num,
                                (long long)rb->load->id,
                                rb->b.rows[i].issues ? rb->b.rows[i].issues->message : "?");
    rc = rb->db->store->write_silver(rb->db, rb->load, &rb->b, err);
    sl_batch_reset(&rb->b);
    return rc;
}

static int on_bronze(void *ctx, const struct sl_bronze_row *br, struct sl_error *err)
{
    struct rebuild *rb = ctx;
    struct sl_row *row = sl_batch_add_row(&rb->b);
    int rc;

    row->num = br->num;
    row->line = br->line;
    row->offset = br->offset;
    if ((rc = sl_raw_decode(rb->dec, &rb->b, br->raw, br->raw_len, &rb->labels, row, err)))
        return rc;
    if (rb->b.nrows >= REBUILD_BATCH) return flush(rb, err);
    return 0;
}

/* The labels a load recorded ([[label,name],...]) in input-column order. */
static int load_labels(const char *columns_json, struct sl_labels *labels, struct sl_mapping *map,
                       const struct sl_schema *s, struct sl_error *err)
{
    struct sl_doc d;
    int rc;

    sl_labels_init(labels);
    if (!columns_json) return 0;
    if ((rc = sl_doc_parse_json(&d, "load columns", columns_json, strlen(columns_json), err))) {
        sl_doc_free(&d);
        return rc;
    }
    /* each column goes to the field the load recorded (by name, or by position for a
     * headerless CSV read with a schema) */
    size_t n = d.root && d.root->type == SL_NODE_SEQ ? d.root->n : 0;
    map->field = sl_xrealloc(map->field, (n ? n : 1) * sizeof *map->field);
    map->n = 0;
    for (size_t i = 0; i < n; i++) {
        const struct sl_node *pair = d.root->items[i];
        if (pair->type != SL_NODE_SEQ || pair->n != 2) continue;
        sl_labels_push(labels, pair->items[0]->text, pair->items[0]->len);
        map->field[map->n++] = sl_schema_find(s, pair->items[1]->text);
    }
    sl_doc_free(&d);
    return 0;
}

int sl__rebuild_silver(struct sl_db *db, struct sl_load *load, const struct sl_schema *s,
                       struct sl_error *err)
{
    struct sl_load_info *loads = NULL;
    size_t n = 0;
    int rc;
    /* rows are cast again, not checked again: they passed their own load's checks */
    struct sl_schema *plain = sl_schema_copy(s);
    sl_schema_strip_checks(plain);

    if ((rc = db->store->list_loads(db, load->source, &loads, &n, err))) {
        sl_schema_free(plain);
        return rc;
    }
    for (size_t i = 0; i < n && !rc; i++) {
        struct rebuild rb;
        if (strcmp(loads[i].status, "committed") || !loads[i].active || loads[i].id == load->id)
            continue;
        memset(&rb, 0, sizeof rb);
        rb.db = db;
        rb.load = load;
        rb.s = plain;
        sl_mapping_init(&rb.map);
        sl_batch_init(&rb.b);
        rb.dec = sl_raw_decoder_new();
        rc = load_labels(loads[i].columns_json, &rb.labels, &rb.map, plain, err);
        if (!rc) {
            /* rows written now belong to the load they came from */
            int64_t id = load->id, repeats = load->repeats;
            load->id = loads[i].id;
            rc = db->store->bronze_scan(db, load->source, loads[i].id, on_bronze, &rb, err);
            if (!rc) rc = flush(&rb, err);
            load->id = id;
            load->repeats = repeats;
        }
        sl_labels_free(&rb.labels);
        sl_mapping_free(&rb.map);
        sl_batch_free(&rb.b);
        sl_raw_decoder_free(rb.dec);
    }
    sl_load_infos_free(loads, n);
    sl_schema_free(plain);
    return rc;
}
