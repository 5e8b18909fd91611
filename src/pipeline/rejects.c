/*
 * --rejects FILE: the rows a check or a load rejects, with their reasons, written as they are
 * found (streaming). NDJSON: one object per row {"input","row","line","offset","errors":[…],
 * "record"}. CSV: _input,_row,_line,_offset,_errors then the record's own columns (a CSV input's
 * header) or one _record column holding the record's JSON (JSON inputs, whose keys vary). The
 * byte offset tells apart records that share a line (a JSON array on one line).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sluice/outfile.h"

/* the columns before the record's own in a CSV rejects file: _input .. _errors */
#define NFIXED 5

struct sl_rejects {
    struct sl_outfile *out; /* written under a temporary name, renamed when closed */
    FILE *f;
    char *path;
    int csv;
    struct sl_writer *w;
    int header_done;
    size_t ncols; /* CSV: record columns in the header (-1: _record) */
    int record_json;
    int64_t rows;
    struct sl_buf line;
};

int sl_rejects_open(const char *path, const char *format, struct sl_rejects **out,
                    struct sl_error *err)
{
    struct sl_rejects *r;
    const char *dot = strrchr(path, '.');
    int csv;

    *out = NULL;
    if (format)
        csv = !strcmp(format, "csv");
    else
        csv = dot && !strcmp(dot, ".csv");
    if (format && strcmp(format, "csv") && strcmp(format, "ndjson") && strcmp(format, "jsonl"))
        return sl_error_set(err, SL_EINVAL, "--rejects-format: expected ndjson or csv, not '%s'",
                            format);
    if (!format && !(dot && (!strcmp(dot, ".csv") || !strcmp(dot, ".ndjson") ||
                             !strcmp(dot, ".jsonl") || !strcmp(dot, ".json"))))
        return sl_error_set(err, SL_EINVAL,
                            "--rejects %s: name it .ndjson, .jsonl or .csv, or give "
                            "--rejects-format",
                            path);
    r = sl_xcalloc(1, sizeof *r);
    r->csv = csv;
    r->path = sl_xstrdup(path);
    int orc = sl_outfile_open(path, "--rejects", &r->out, err);
    if (orc) {
        free(r->path);
        free(r);
        return orc;
    }
    r->f = sl_outfile_stream(r->out);
    if (csv && sl_writer_open("csv", r->f, &r->w, err)) {
        sl_outfile_abort(r->out);
        free(r->path);
        free(r);
        return SL_EIO;
    }
    *out = r;
    return 0;
}

int64_t sl_rejects_count(const struct sl_rejects *r)
{
    return r ? r->rows : 0;
}

int sl_rejects_close(struct sl_rejects *r, struct sl_error *err)
{
    int rc = 0;
    if (!r) return 0;
    if (r->w && sl_writer_close(r->w)) rc = -1;
    if (rc || sl_interrupted) {
        /* a run stopped by a signal rolled its load back: its rejects are not kept either */
        sl_outfile_abort(r->out);
        if (rc)
            rc = sl_error_set(err, SL_EIO, "--rejects %s: writing failed", r->path);
        else
            sl_log(SL_LOG_WARN, "--rejects %s: not written (interrupted)", r->path);
    } else {
        rc = sl_outfile_commit(r->out, err);
    }
    sl_buf_free(&r->line);
    free(r->path);
    free(r);
    return rc;
}

static void errors_text(struct sl_buf *b, const struct sl_row *row)
{
    for (const struct sl_issue *i = row->issues; i; i = i->next) {
        if (i->severity != SL_ROW_INVALID) continue;
        if (b->len) sl_buf_adds(b, "; ");
        sl_buf_addf(b, "%s: %s", i->code, i->message);
    }
}

static struct sl_cell text_cell(const char *p, size_t n)
{
    struct sl_cell c;
    memset(&c, 0, sizeof c);
    c.p = p;
    c.len = (uint32_t)n;
    return c;
}

/* The record as JSON: a JSON record as received, a CSV record's cells by column name. */
static void record_json(const struct sl_labels *labels, const struct sl_row *row, struct sl_buf *b)
{
    if (row->raw_kind == SL_RAW_JSON && row->raw_len && row->raw[0] == '{') {
        sl_buf_add(b, row->raw, row->raw_len); /* a JSON record as received */
    } else if (labels && row->raw_kind == SL_RAW_JSON) {
        /* a record's cells by column name */
        sl_buf_addc(b, '{');
        for (uint32_t k = 0; k < row->ncells; k++) {
            const struct sl_cell *c = &row->cells[k];
            if (k) sl_buf_addc(b, ',');
            if (c->col < labels->n)
                sl_buf_json_str(b, labels->v[c->col], labels->lens[c->col]);
            else
                sl_buf_addf(b, "\"field_%u\"", c->col + 1);
            sl_buf_addc(b, ':');
            if (c->kind == SL_CELL_STRING)
                sl_buf_json_str(b, c->p, c->len);
            else if (c->kind == SL_CELL_NULL)
                sl_buf_adds(b, "null");
            else if (c->kind == SL_CELL_TRUE || c->kind == SL_CELL_FALSE)
                sl_buf_adds(b, c->kind == SL_CELL_TRUE ? "true" : "false");
            else
                sl_buf_add(b, c->p, c->len); /* a number, object or array as written */
        }
        sl_buf_addc(b, '}');
    } else if (row->raw_kind == SL_RAW_JSON && row->raw_len) {
        sl_buf_add(b, row->raw, row->raw_len);
    } else if (row->raw_kind == SL_RAW_TEXT && row->raw_len) {
        sl_buf_json_str(b, row->raw, row->raw_len);
    } else {
        sl_buf_adds(b, "null"); /* unreadable, or bytes that are not UTF-8: bronze has them */
    }
}

static int sl_rejects_row(struct sl_rejects *r, const char *input, const struct sl_labels *labels,
                          int is_json, const struct sl_row *row, struct sl_error *err)
{
    struct sl_buf *b = &r->line;
    (void)err;
    r->rows++;
    sl_buf_reset(b);
    if (!r->csv) {
        sl_buf_adds(b, "{\"input\":");
        sl_buf_json_cstr(b, input);
        sl_buf_addf(b, ",\"row\":%lld,\"line\":%lld,\"offset\":%lld,\"errors\":[",
                    (long long)row->num, (long long)row->line, (long long)row->offset);
        int n = 0;
        for (const struct sl_issue *i = row->issues; i; i = i->next) {
            sl_buf_adds(b, n++ ? ",{" : "{");
            sl_issue_json_members(b, i);
            sl_buf_addc(b, '}');
        }
        sl_buf_adds(b, "],\"record\":");
        record_json(labels, row, b);
        sl_buf_adds(b, "}\n");
        if (fwrite(b->p, 1, b->len, r->f) != b->len)
            return sl_error_set(err, SL_EIO, "--rejects %s: writing failed", r->path);
        return 0;
    }
    /* CSV */
    int csv_record = labels && !is_json;
    if (!r->header_done) {
        const char *fixed[] = {"_input", "_row", "_line", "_offset", "_errors", "_record"};
        size_t n = csv_record ? labels->n : 1;
        const char **names = sl_xmalloc((NFIXED + n) * sizeof *names);
        uint32_t *lens = sl_xmalloc((NFIXED + n) * sizeof *lens);
        memcpy(names, fixed, NFIXED * sizeof *names);
        for (size_t i = 0; i < NFIXED; i++) lens[i] = (uint32_t)strlen(fixed[i]);
        for (size_t i = 0; i < n; i++) {
            names[NFIXED + i] = csv_record ? labels->v[i] : "_record";
            lens[NFIXED + i] = csv_record ? labels->lens[i] : 7;
        }
        sl_writer_columns(r->w, names, lens, NFIXED + n);
        free(names);
        free(lens);
        r->ncols = n;
        r->record_json = !csv_record;
        r->header_done = 1;
    }
    char num[3][24];
    struct sl_buf errs = SL_BUF_INIT;
    snprintf(num[0], sizeof num[0], "%lld", (long long)row->num);
    snprintf(num[1], sizeof num[1], "%lld", (long long)row->line);
    snprintf(num[2], sizeof num[2], "%lld", (long long)row->offset);
    errors_text(&errs, row);
    struct sl_cell *cells = sl_xcalloc(NFIXED + r->ncols, sizeof *cells);
    const struct sl_cell **ptrs = sl_xcalloc(NFIXED + r->ncols, sizeof *ptrs);
    cells[0] = text_cell(input, strlen(input));
    cells[1] = text_cell(num[0], strlen(num[0]));
    cells[2] = text_cell(num[1], strlen(num[1]));
    cells[3] = text_cell(num[2], strlen(num[2]));
    cells[4] = text_cell(errs.p ? errs.p : "", errs.len);
    for (size_t i = 0; i < NFIXED; i++) ptrs[i] = &cells[i];
    struct sl_buf rec = SL_BUF_INIT;
    if (r->record_json || !csv_record) {
        record_json(labels, row, &rec);
        cells[NFIXED] = text_cell(rec.p ? rec.p : "", rec.len);
        ptrs[NFIXED] = &cells[NFIXED];
    } else {
        for (uint32_t k = 0; k < row->ncells; k++)
            if (row->cells[k].col < r->ncols) ptrs[NFIXED + row->cells[k].col] = &row->cells[k];
    }
    sl_writer_cells(r->w, ptrs, NFIXED + r->ncols);
    sl_buf_free(&rec);
    free(cells);
    free(ptrs);
    sl_buf_free(&errs);
    return 0;
}

/* The invalid rows of a batch (after every check). */
int sl__rejects_batch(struct sl_rejects *r, const char *input, const struct sl_labels *labels,
                      int is_json, const struct sl_batch *b, struct sl_error *err)
{
    int rc;
    for (size_t i = 0; i < b->nrows; i++) {
        if (b->rows[i].status != SL_ROW_INVALID) continue;
        if ((rc = sl_rejects_row(r, input, labels, is_json, &b->rows[i], err))) return rc;
    }
    return 0;
}
