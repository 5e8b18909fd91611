/*
 * Writers for `sluice cat`: rows out as NDJSON (one object per row) or CSV (RFC 4180 quoting,
 * '\n' line ends). Output is built in a buffer and written in big chunks; a write error is
 * remembered and reported by sl_writer_close.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/format.h"
#include "sluice/json.h"

#define WRITER_FLUSH (1u << 20)

struct sl_writer {
    FILE *f;
    int csv;
    int failed; /* a write failed: later output is dropped, close reports it */
    int gone;   /* it failed because the reader of a pipe went away (EPIPE) */
    struct sl_buf out;
    /* NDJSON: the '"name":' text of each column, ready to copy */
    struct sl_buf keys;
    size_t *key_off;
    size_t ncols;
};

int sl_writer_open(const char *format, void *file, struct sl_writer **out, struct sl_error *err)
{
    struct sl_writer *w;
    int csv;

    *out = NULL;
    if (!strcmp(format, "ndjson") || !strcmp(format, "jsonl"))
        csv = 0;
    else if (!strcmp(format, "csv"))
        csv = 1;
    else
        return sl_error_set(err, SL_EINVAL, "unknown output format '%s' (expected ndjson or csv)",
                            format);
    w = sl_xcalloc(1, sizeof *w);
    w->f = file;
    w->csv = csv;
    *out = w;
    return 0;
}

static void writer_flush(struct sl_writer *w)
{
    if (w->out.len && !w->failed) {
        if (fwrite(w->out.p, 1, w->out.len, w->f) != w->out.len) {
            w->failed = 1;
            w->gone = errno == EPIPE;
        }
    }
    sl_buf_reset(&w->out);
}

static void writer_row_done(struct sl_writer *w)
{
    sl_buf_addc(&w->out, '\n');
    if (w->out.len >= WRITER_FLUSH) writer_flush(w);
}

/* RFC 4180: quoted when it holds the delimiter, a quote, CR or LF, or starts or ends with a
 * space (which readers may trim); quotes inside are doubled. */
static void csv_field(struct sl_buf *b, const char *p, size_t n)
{
    int quote = n && (p[0] == ' ' || p[n - 1] == ' ');
    for (size_t i = 0; i < n && !quote; i++) {
        char c = p[i];
        quote = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    if (!quote) {
        sl_buf_add(b, p, n);
        return;
    }
    sl_buf_grow(b, n + 2);
    sl_buf_addc(b, '"');
    for (;;) {
        const char *q = memchr(p, '"', n);
        if (!q) break;
        sl_buf_add(b, p, (size_t)(q - p) + 1);
        sl_buf_addc(b, '"');
        n -= (size_t)(q - p) + 1;
        p = q + 1;
    }
    sl_buf_add(b, p, n);
    sl_buf_addc(b, '"');
}

static void add_int(struct sl_buf *b, int64_t v)
{
    char tmp[24], *e = tmp + sizeof tmp, *s = e;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--s = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--s = '-';
    sl_buf_add(b, s, (size_t)(e - s));
}

static void ndjson_key(struct sl_writer *w, size_t i)
{
    if (i < w->ncols) {
        sl_buf_add(&w->out, w->keys.p + w->key_off[i], w->key_off[i + 1] - w->key_off[i]);
    } else { /* more cells than columns: name them by position */
        sl_buf_addf(&w->out, "\"field_%zu\":", i + 1);
    }
}

void sl_writer_columns(struct sl_writer *w, const char *const *names, const uint32_t *lens,
                       size_t n)
{
    free(w->key_off);
    sl_buf_reset(&w->keys);
    w->key_off = sl_xmalloc((n + 1) * sizeof *w->key_off);
    w->ncols = n;
    for (size_t i = 0; i < n; i++) {
        w->key_off[i] = w->keys.len;
        sl_buf_json_str(&w->keys, names[i], lens ? lens[i] : strlen(names[i]));
        sl_buf_addc(&w->keys, ':');
    }
    w->key_off[n] = w->keys.len;
    if (w->csv) {
        for (size_t i = 0; i < n; i++) {
            if (i) sl_buf_addc(&w->out, ',');
            csv_field(&w->out, names[i], lens ? lens[i] : strlen(names[i]));
        }
        writer_row_done(w);
    }
}

void sl_writer_cells(struct sl_writer *w, const struct sl_cell *const *cells, size_t n)
{
    struct sl_buf *b = &w->out;
    int first = 1;

    if (w->csv) {
        for (size_t i = 0; i < n; i++) {
            const struct sl_cell *c = cells[i];
            if (i) sl_buf_addc(b, ',');
            if (!c || c->kind == SL_CELL_NULL) continue;
            if (c->kind == SL_CELL_TRUE)
                sl_buf_adds(b, "true");
            else if (c->kind == SL_CELL_FALSE)
                sl_buf_adds(b, "false");
            else
                csv_field(b, c->p, c->len); /* text, a number as written, nested JSON text */
        }
        writer_row_done(w);
        return;
    }
    sl_buf_addc(b, '{');
    for (size_t i = 0; i < n; i++) {
        const struct sl_cell *c = cells[i];
        if (!c) continue; /* the record had no such key */
        if (!first) sl_buf_addc(b, ',');
        first = 0;
        ndjson_key(w, i);
        switch (c->kind) {
        case SL_CELL_STRING: sl_buf_json_str(b, c->p, c->len); break;
        case SL_CELL_NULL: sl_buf_adds(b, "null"); break;
        case SL_CELL_TRUE: sl_buf_adds(b, "true"); break;
        case SL_CELL_FALSE: sl_buf_adds(b, "false"); break;
        default: /* a number as written, or nested JSON: already JSON text */
            if (c->len)
                sl_buf_add(b, c->p, c->len);
            else
                sl_buf_adds(b, "null");
            break;
        }
    }
    sl_buf_addc(b, '}');
    writer_row_done(w);
}

static void value_text(struct sl_writer *w, const struct sl_value *v, int json_kind)
{
    struct sl_buf *b = &w->out;
    int nested = json_kind == SL_JSON_OBJECT || json_kind == SL_JSON_ARRAY;

    switch (v->type) {
    case SL_V_INT: add_int(b, v->u.i); break;
    case SL_V_REAL:
        if (!isfinite(v->u.d)) {
            if (!w->csv) sl_buf_adds(b, "null");
        } else {
            sl_buf_json_double(b, v->u.d);
        }
        break;
    case SL_V_BOOL: sl_buf_adds(b, v->u.i ? "true" : "false"); break;
    case SL_V_TEXT:
        if (w->csv)
            csv_field(b, v->u.s, v->len);
        else if (nested && v->len)
            sl_buf_add(b, v->u.s, v->len);
        else
            sl_buf_json_str(b, v->u.s, v->len);
        break;
    default:
        if (!w->csv) sl_buf_adds(b, "null");
        break;
    }
}

void sl_writer_values(struct sl_writer *w, const struct sl_value *v, const int *json_kinds,
                      size_t n)
{
    if (!w->csv) sl_buf_addc(&w->out, '{');
    for (size_t i = 0; i < n; i++) {
        if (i) sl_buf_addc(&w->out, ',');
        if (!w->csv) ndjson_key(w, i);
        value_text(w, &v[i], json_kinds ? json_kinds[i] : -1);
    }
    if (!w->csv) sl_buf_addc(&w->out, '}');
    writer_row_done(w);
}

int sl_writer_failed(const struct sl_writer *w)
{
    return w->failed;
}

int sl_writer_close(struct sl_writer *w)
{
    int rc = 0;

    if (!w) return 0;
    writer_flush(w);
    if (fflush(w->f) != 0) {
        w->failed = 1;
        if (errno == EPIPE) w->gone = 1;
    }
    if (ferror(w->f) || w->failed) rc = w->gone ? 1 : SL_EIO;
    sl_buf_free(&w->out);
    sl_buf_free(&w->keys);
    free(w->key_off);
    free(w);
    return rc;
}
