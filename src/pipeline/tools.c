/* check, infer and cat: the pipeline without a store. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sluice/outfile.h"

int sl_check_file(const struct sl_source *src, const char *path, sl_issue_cb on_issue, void *ctx,
                  struct sl_check_result *res, struct sl_error *err)
{
    return sl_check_file_with(NULL, NULL, src, path, on_issue, ctx, res, err);
}

int sl_check_file_with(struct sl_db *db, struct sl_rejects *rejects, const struct sl_source *src,
                       const char *path, sl_issue_cb on_issue, void *ctx,
                       struct sl_check_result *res, struct sl_error *err)
{
    struct sl__input in;
    struct sl__inferred inf;
    struct sl_schema *schema = NULL;
    struct sl_mapping map;
    struct sl_quality q;
    struct sl_batch b;
    struct sl__keycheck keys;
    struct sl_buf qj = SL_BUF_INIT;
    struct sl__recval *rv = NULL;
    struct sl__ts ts;
    int rc, have_q = 0;

    memset(res, 0, sizeof *res);
    memset(&keys, 0, sizeof keys);
    memset(&inf, 0, sizeof inf);
    memset(&in, 0, sizeof in);
    sl_mapping_init(&map);
    sl_batch_init(&b);
    if ((rc = sl__source_schema(src, &schema, err))) goto out;
    if ((rc = sl__source_recval(src, &rv, err))) goto out;
    if ((rc = sl__input_open(&in, src, path, rv ? SL__WANT_RAW_ANY : 0, schema == NULL, 1, err)))
        goto out;
    if ((rc = sl__recval_check_input(rv, &in, err))) goto out;
    sl__input_say_hint(&in);
    res->format = in.format->name;
    if (!schema) {
        if ((rc = sl__infer_pass(&in, 0, &inf, err))) goto out;
        schema = inf.schema;
        inf.schema = NULL;
        if ((rc = sl__input_reopen(&in, 0, err))) goto out;
    } else if (!in.reader->dialect.header && !sl__input_is_json(&in)) {
        map.by_position = 1;
    }
    if (!schema->npk && (rc = sl__apply_primary_key(src, schema, err))) goto out;
    for (size_t k = 0; !db && k < schema->nfkeys; k++)
        if (*schema->fkeys[k].resource) {
            rc = sl_error_set(err, SL_ECONFIG,
                              "foreignKeys[%zu] refers to source '%s': checking it needs the "
                              "store that holds it (--db, or sluice.db here)",
                              k, schema->fkeys[k].resource);
            goto out;
        }
    if ((rc = sl__keycheck_open(&keys, schema, db, src->name, err))) goto out;
    sl_quality_init(&q, schema);
    have_q = 1;
    if ((rc = sl__ts_init(&ts, src, schema, src->schema_path != NULL, path, err))) goto out;
    sl_quality_configure(&q, &src->quality, ts.field);
    while ((rc = sl__input_next(&in, NULL, &b, NULL, err)) > 0) {
        sl_mapping_update(&map, schema, &in.reader->labels);
        if (rv) sl__recval_prepare(schema, &map, &b);
        sl_cast_batch(schema, &map, &in.reader->labels, &b);
        if (rv && (rc = sl__recval_batch(rv, &b, err))) goto out;
        if ((rc = sl__keycheck_batch(&keys, &b, err))) goto out;
        if (rejects &&
            (rc = sl__rejects_batch(rejects, in.label ? in.label : path, &in.reader->labels,
                                    sl__input_is_json(&in), &b, err)))
            goto out;
        for (size_t r = 0; r < b.nrows; r++) {
            struct sl_row *row = &b.rows[r];
            res->rows++;
            if (row->status == SL_ROW_VALID) res->valid++;
            if (row->status == SL_ROW_WARNING) res->warning++;
            if (row->status == SL_ROW_INVALID) res->invalid++;
            for (const struct sl_issue *i = row->issues; i && on_issue; i = i->next)
                on_issue(ctx, row, i);
        }
        sl_quality_batch(&q, schema, &b);
        sl__ts_batch(&ts, &b);
    }
    if (rc < 0 || (rc = sl__ts_verdict(&ts, err))) goto out;
    sl__input_hint_warn(&in);
    sl_quality_json(&q, schema, &qj);
    res->quality_json = sl_buf_detach(&qj);
out:
    if (have_q) sl_quality_free(&q);
    sl__recval_free(rv);
    sl__keycheck_close(&keys);
    sl_buf_free(&qj);
    sl_batch_free(&b);
    sl_mapping_free(&map);
    sl__input_close(&in);
    sl__inferred_free(&inf);
    sl_schema_free(schema);
    return rc;
}

int sl_infer_file(const struct sl_source *src, const char *path, struct sl_schema **schema,
                  struct sl_renames *renames, char **dialect_json, struct sl_error *err)
{
    struct sl__input in;
    struct sl__inferred inf;
    int rc;

    *schema = NULL;
    *dialect_json = NULL;
    if ((rc = sl__input_open(&in, src, path, 0, 0, 1, err))) return rc;
    sl__input_say_hint(&in);
    if ((rc = sl__infer_pass(&in, 0, &inf, err))) goto out;
    sl__input_hint_warn(&in);
    if ((rc = sl__apply_primary_key(src, inf.schema, err))) goto out;
    *schema = inf.schema;
    inf.schema = NULL;
    *renames = inf.renames;
    memset(&inf.renames, 0, sizeof inf.renames);
    *dialect_json = sl__dialect_json(&in);
out:
    sl__inferred_free(&inf);
    sl__input_close(&in);
    return rc;
}

/* A record cat cannot print: unreadable, or (with a schema) a value that does not fit. */
static void report_bad_row(const char *path, const struct sl_row *row, int json_array)
{
    const struct sl_issue *i = row->issues;
    /* several records of a JSON array may share a line: the byte offset tells them apart */
    if (json_array)
        sl_log(SL_LOG_WARN, "%s: record %lld (line %lld, byte %lld): %s: %s", path,
               (long long)row->num, (long long)row->line, (long long)row->offset,
               i ? i->code : "invalid", i ? i->message : "cannot be read");
    else
        sl_log(SL_LOG_WARN, "%s:%lld: record %lld: %s: %s", path, (long long)row->line,
               (long long)row->num, i ? i->code : "invalid", i ? i->message : "cannot be read");
}

int sl_cat_file(const struct sl_source *src, const char *path, const char *to, FILE *out,
                int64_t *bad, struct sl_error *err)
{
    struct sl__input in;
    struct sl_schema *schema = NULL;
    struct sl_writer *w = NULL;
    struct sl_mapping map;
    struct sl_batch b;
    const struct sl_cell **cells = NULL;
    int *kinds = NULL;
    int rc, json;

    *bad = 0;
    sl_mapping_init(&map);
    sl_batch_init(&b);
    memset(&in, 0, sizeof in);
    if ((rc = sl__source_schema(src, &schema, err))) goto out;
    if ((rc = sl__input_open(&in, src, path, 0, 1, 1, err))) goto out;
    json = sl__input_is_json(&in);
    sl__input_say_hint(&in);
    if ((rc = sl_writer_open(to, out, &w, err))) goto out;
    if (json && !strcmp(to, "csv") && !schema) {
        /* CSV needs every column up front: JSON keys are known only after reading it all.
         * The second reader learns them first, in the same order, so its key ids match. */
        struct sl_labels keys;
        sl_labels_init(&keys);
        while ((rc = in.format->next(in.reader, &b, err)) > 0) sl_batch_reset(&b);
        for (size_t i = 0; rc == 0 && i < in.reader->labels.n; i++)
            sl_labels_push(&keys, in.reader->labels.v[i], in.reader->labels.lens[i]);
        if (rc == 0 && !(rc = sl__input_reopen(&in, 0, err)))
            for (size_t i = 0; i < keys.n; i++)
                sl_labels_intern(&in.reader->labels, keys.v[i], keys.lens[i]);
        sl_labels_free(&keys);
        if (rc) goto out;
    }
    if (schema) {
        const char **names = sl_xmalloc((schema->nfields + 1) * sizeof *names);
        kinds = sl_xmalloc((schema->nfields + 1) * sizeof *kinds);
        for (size_t i = 0; i < schema->nfields; i++) {
            names[i] = schema->fields[i].name;
            kinds[i] = schema->fields[i].type == SL_TYPE_OBJECT  ? SL_JSON_OBJECT
                       : schema->fields[i].type == SL_TYPE_ARRAY ? SL_JSON_ARRAY
                                                                 : SL_JSON_STRING;
        }
        sl_writer_columns(w, names, NULL, schema->nfields);
        free(names);
        if (!in.reader->dialect.header && !json) map.by_position = 1;
    }
    size_t ncols_written = (size_t)-1;
    for (;;) {
        sl_batch_reset(&b);
        /* the output's reader stopped (or writing failed): reading on would be for nothing */
        if (sl_writer_failed(w)) break;
        rc = in.format->next(in.reader, &b, err);
        if (rc < 0) goto out;
        if (rc == 0) break;
        const struct sl_labels *labels = &in.reader->labels;
        if (schema) {
            sl_mapping_update(&map, schema, labels);
            sl_cast_batch(schema, &map, labels, &b);
        } else if (ncols_written == (size_t)-1) {
            sl_writer_columns(w, (const char *const *)labels->v, labels->lens, labels->n);
            ncols_written = labels->n;
        }
        for (size_t r = 0; r < b.nrows; r++) {
            const struct sl_row *row = &b.rows[r];
            if (row->status == SL_ROW_INVALID) {
                (*bad)++;
                report_bad_row(path, row, in.format == &sl_format_json);
                continue;
            }
            if (schema) {
                sl_writer_values(w, row->values, kinds, schema->nfields);
                continue;
            }
            size_t n = labels->n;
            cells = sl_xrealloc(cells, (n ? n : 1) * sizeof *cells);
            memset(cells, 0, (n ? n : 1) * sizeof *cells);
            for (uint32_t k = 0; k < row->ncells; k++)
                if (row->cells[k].col < n) cells[row->cells[k].col] = &row->cells[k];
            sl_writer_cells(w, cells, json ? n : (ncols_written < n ? ncols_written : n));
        }
    }
    rc = 0;
    sl__input_hint_warn(&in);
out:
    if (w) {
        int wrc = sl_writer_close(w);
        /* a reader that went away (| head) is a normal end, said nowhere */
        if (!rc && wrc < 0 && !sl_out_reader_gone(out))
            rc = sl_error_set(err, wrc, "writing the output failed");
    }
    free(cells);
    free(kinds);
    sl_batch_free(&b);
    sl_mapping_free(&map);
    sl__input_close(&in);
    sl_schema_free(schema);
    return rc;
}
