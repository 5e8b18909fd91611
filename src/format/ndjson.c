/*
 * NDJSON (JSON Lines): one JSON object per line. Also home of the object-to-cells parser the
 * JSON-array reader shares (json_record.h).
 *
 * A batch reads about opts.chunk bytes into its buffer and turns its complete lines into rows;
 * the incomplete last line is copied into a reader-owned carry buffer and from there to the
 * start of the next batch's buffer (a batch is handed to another thread, so nothing may point
 * into an earlier batch).
 */
#include <stdlib.h>
#include <string.h>

#include "json_record.h"
#include "sluice/format.h"

#define BATCH_ROWS 16384 /* rows a batch holds at most (as csv.c) */

/* ---- object records (shared with json.c) --------------------------------------------------- */

static void jrec_push(struct sl__jrec *jr, const struct sl_json_tok *k, const struct sl_json_tok *v)
{
    static const uint8_t kinds[] = {
        [SL_JSON_NULL] = SL_CELL_NULL,     [SL_JSON_FALSE] = SL_CELL_FALSE,
        [SL_JSON_TRUE] = SL_CELL_TRUE,     [SL_JSON_NUMBER] = SL_CELL_NUMBER,
        [SL_JSON_STRING] = SL_CELL_STRING, [SL_JSON_ARRAY] = SL_CELL_ARRAY,
        [SL_JSON_OBJECT] = SL_CELL_OBJECT,
    };
    if (jr->n == jr->cap) {
        jr->cap = jr->cap ? jr->cap * 2 : 32;
        jr->cells = sl_xrealloc(jr->cells, jr->cap * sizeof *jr->cells);
        jr->keys = sl_xrealloc(jr->keys, jr->cap * sizeof *jr->keys);
    }
    struct sl_cell *c = &jr->cells[jr->n];
    c->p = v->p;
    c->len = (uint32_t)v->len;
    c->kind = kinds[v->type];
    c->flags = SL_CELL_JSON;
    c->pad = (uint16_t)v->escaped; /* until sl__jrec_emit decodes it */
    c->col = 0;
    jr->keys[jr->n++] = *k;
}

static long jrec_fail(struct sl_json_err *e, const char *start, const char *at, const char *msg)
{
    e->offset = (size_t)(at - start);
    e->msg = msg;
    return -1;
}

long sl__jrec_parse(struct sl__jrec *jr, const char *p, size_t n, int final,
                    struct sl_json_tok *tok, struct sl_json_err *e)
{
    const char *end = p + n, *q = sl_json_skip_ws(p, end), *open;
    struct sl_json_tok k, v;
    long got;

    jr->n = 0;
    if (q >= end || *q != '{') return sl_json_scan(p, n, final, tok, e);
    open = q;
    q = sl_json_skip_ws(q + 1, end);
    if (q >= end) goto more;
    if (*q != '}') {
        for (;;) {
            if (*q != '"') return jrec_fail(e, p, q, "expected a string key");
            got = sl_json_scan(q, (size_t)(end - q), final, &k, e);
            if (got <= 0) goto sub;
            q = sl_json_skip_ws(q + got, end);
            if (q >= end) goto more;
            if (*q != ':') return jrec_fail(e, p, q, "expected ':'");
            q++;
            got = sl_json_scan(q, (size_t)(end - q), final, &v, e);
            if (got <= 0) goto sub;
            q = sl_json_skip_ws(q + got, end);
            jrec_push(jr, &k, &v);
            if (q >= end) goto more;
            if (*q == '}') break;
            if (*q != ',') return jrec_fail(e, p, q, "expected ',' or '}'");
            q = sl_json_skip_ws(q + 1, end);
            if (q >= end) goto more;
        }
    }
    tok->p = open;
    tok->len = (size_t)(q + 1 - open);
    tok->type = SL_JSON_OBJECT;
    tok->escaped = 0;
    return (long)(q + 1 - p);
sub:
    if (got < 0) e->offset += (size_t)(q - p); /* the error was found in a member */
    return got;
more:
    if (!final) return 0;
    return jrec_fail(e, p, q, "unexpected end of input");
}

void sl__jrec_emit(struct sl__jrec *jr, struct sl_labels *labels, struct sl_batch *b,
                   struct sl_row *row)
{
    struct sl_cell *cells;
    size_t n0 = labels->n;

    row->ncells = (uint32_t)jr->n;
    row->cells = NULL;
    if (!jr->n) return;
    cells = sl_arena_alloc(&b->arena, jr->n * sizeof *cells);
    if (jr->nhint < jr->n) {
        jr->hint = sl_xrealloc(jr->hint, jr->cap * sizeof *jr->hint);
        for (size_t i = jr->nhint; i < jr->cap; i++) jr->hint[i] = UINT32_MAX;
        jr->nhint = jr->cap;
    }
    for (size_t i = 0; i < jr->n; i++) {
        const struct sl_json_tok *k = &jr->keys[i];
        struct sl_cell *c = &cells[i];
        const char *kp = k->p;
        size_t kn = k->len;
        uint32_t h = jr->hint[i];

        *c = jr->cells[i];
        if (k->escaped) {
            if (jr->keycap < kn) {
                jr->keycap = kn * 2;
                jr->keybuf = sl_xrealloc(jr->keybuf, jr->keycap);
            }
            kn = sl_json_unescape(kp, kn, jr->keybuf);
            kp = jr->keybuf;
        }
        /* records mostly repeat their keys in the same order: try last record's column first */
        if (h < labels->n && labels->lens[h] == kn && !memcmp(labels->v[h], kp, kn)) {
            c->col = h;
        } else {
            c->col = sl_labels_intern(labels, kp, kn);
            jr->hint[i] = c->col;
            if (jr->max_labels && labels->n > jr->max_labels) {
                sl_labels_truncate(labels, n0);
                for (size_t j = 0; j <= i; j++) jr->hint[j] = UINT32_MAX;
                row->cells = NULL;
                row->ncells = 0;
                sl_row_issue(b, row, SL_ROW_INVALID, "format-error", NULL, NULL, 0,
                             "the record's keys would make more than %zu columns (max_columns, "
                             "--max-columns)",
                             jr->max_labels);
                return;
            }
        }
        if (c->pad) {
            char *out = sl_arena_alloc(&b->arena, c->len + 1);
            const char *esc = c->p;
            size_t esc_len = c->len, lone;
            c->len = (uint32_t)sl_json_unescape(c->p, c->len, out);
            out[c->len] = 0;
            c->p = out;
            c->pad = 0;
            /* a lone surrogate is no character: UTF-8 (SQLite's and PostgreSQL's text) cannot
             * hold it, so U+FFFD stands in its place, and the row says so */
            if (memmem(out, c->len, "\xef\xbf\xbd", 3) &&
                (lone = sl_json_lone_surrogates(esc, esc_len)))
                sl_row_issue(b, row, SL_ROW_WARNING, "encoding-error", labels->v[c->col], esc,
                             esc_len,
                             "%s: %zu lone UTF-16 surrogate escape(s) (\\ud800-\\udfff without "
                             "its pair): U+FFFD stands in their place in silver (bronze keeps the "
                             "record as received)",
                             labels->v[c->col], lone);
        }
    }
    row->cells = cells;
}

void sl__jrec_free(struct sl__jrec *jr)
{
    free(jr->cells);
    free(jr->keys);
    free(jr->hint);
    free(jr->keybuf);
    memset(jr, 0, sizeof *jr);
}

void sl__jrec_raw_text(struct sl_row *row, const char *p, size_t n)
{
    row->raw = p;
    row->raw_len = n;
    row->raw_kind = sl_utf8_valid_prefix(p, n) == n ? SL_RAW_TEXT : SL_RAW_BYTES;
}

void sl__jrec_raw_head(struct sl_batch *b, struct sl_row *row, const char *p, size_t n)
{
    size_t keep = n < 1024 ? n : 1024, valid = sl_utf8_valid_prefix(p, keep);

    /* don't call the head binary just because the cut split a character */
    if (keep < n && keep - valid < 4 &&
        sl_utf8_valid_prefix(p, keep + 3 <= n ? keep + 3 : n) > valid)
        keep = valid;
    row->raw = sl_arena_strndup(&b->arena, p, keep);
    row->raw_len = keep;
    row->raw_kind = sl_utf8_valid_prefix(p, keep) == keep ? SL_RAW_TEXT : SL_RAW_BYTES;
}

const char *sl__json_type_name(int type)
{
    switch (type) {
    case SL_JSON_NULL: return "null";
    case SL_JSON_FALSE:
    case SL_JSON_TRUE: return "a boolean";
    case SL_JSON_NUMBER: return "a number";
    case SL_JSON_STRING: return "a string";
    case SL_JSON_ARRAY: return "an array";
    default: return "an object";
    }
}

int sl__json_col(const char *p, size_t off)
{
    int col = 1;
    for (size_t i = 0; i < off; i++)
        if (((unsigned char)p[i] & 0xc0) != 0x80) col++;
    return col;
}

/* ---- the NDJSON reader ------------------------------------------------------------------ */

struct ndjson_reader {
    struct sl_reader base;
    struct sl__jrec jr;
    struct sl_buf carry; /* the incomplete last line of the previous batch */
    int64_t off;         /* stream offset of the carry's first byte */
    size_t chunk, max_record;
    int eof, done, bom_checked, skipping, newline_seen;
};

static int ndjson_sniff(const char *head, size_t len)
{
    const char *p = head, *end = head + len, *nl, *q;
    struct sl_json_tok tok;
    long n;

    if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) p += 3;
    p = sl_json_skip_ws(p, end);
    if (p >= end || *p != '{') return 0;
    nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) nl = end;
    n = sl_json_scan(p, (size_t)(nl - p), 1, &tok, NULL);
    if (n <= 0 || tok.type != SL_JSON_OBJECT) return 0;
    q = sl_json_skip_ws(p + n, nl);
    return q == nl ? 90 : 0;
}

static int ndjson_open(struct sl_stream *in, const struct sl_format_opts *o, struct sl_reader **out,
                       struct sl_error *err)
{
    struct ndjson_reader *r = sl_xcalloc(1, sizeof *r);

    (void)err;
    r->base.format = &sl_format_ndjson;
    r->base.in = in;
    if (o) r->base.opts = *o;
    sl_labels_init(&r->base.labels);
    r->base.dialect.encoding = SL_ENC_UTF8;
    memcpy(r->base.dialect.newline, "\n", 2);
    r->chunk = r->base.opts.chunk ? r->base.opts.chunk : SL_DEFAULT_CHUNK;
    r->max_record = r->base.opts.max_record ? r->base.opts.max_record : SL_DEFAULT_MAX_RECORD;
    r->jr.max_labels = r->base.opts.max_columns ? r->base.opts.max_columns : SL_DEFAULT_MAX_COLUMNS;
    *out = &r->base;
    return 0;
}

/* Past one JSON value at p (not validated: strings and brackets are followed), or NULL
 * when the text ends first. */
static const char *hint_skip_value(const char *p, const char *end)
{
    int depth = 0, in_str = 0, esc = 0;
    for (; p < end; p++) {
        char c = *p;
        if (in_str) {
            if (esc)
                esc = 0;
            else if (c == '\\')
                esc = 1;
            else if (c == '"') {
                in_str = 0;
                if (!depth) return p + 1;
            }
            continue;
        }
        if (c == '"')
            in_str = 1;
        else if (c == '{' || c == '[')
            depth++;
        else if (c == '}' || c == ']') {
            if (!depth) return p; /* the end of the enclosing container */
            if (!--depth) return p + 1;
        } else if (!depth && (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t'))
            return p;
    }
    return NULL;
}

/* Members of the object at p (at '{'), levels deep at most: appends the pointer of the first
 * array of objects to path and returns 1, else 0. */
static int hint_object(const char *p, const char *end, int levels, struct sl_buf *path)
{
    size_t base = path->len;
    p = sl_json_skip_ws(p + 1, end);
    while (p < end && *p == '"') {
        struct sl_json_tok key;
        struct sl_json_err je;
        long got = sl_json_scan(p, (size_t)(end - p), 1, &key, &je);
        if (got <= 0 || key.type != SL_JSON_STRING) return 0;
        p = sl_json_skip_ws(p + got, end);
        if (p >= end || *p != ':') return 0;
        p = sl_json_skip_ws(p + 1, end);
        if (p >= end) return 0;
        path->len = base;
        sl_buf_addc(path, '/');
        if (key.escaped) {
            char *k = sl_xmalloc(key.len + 1);
            size_t kl = sl_json_unescape(key.p, key.len, k);
            sl_buf_json_pointer_token(path, k, kl);
            free(k);
        } else {
            sl_buf_json_pointer_token(path, key.p, key.len);
        }
        if (*p == '[') {
            const char *q = sl_json_skip_ws(p + 1, end);
            if (q < end && *q == '{') return 1;
        } else if (*p == '{' && levels > 1 && hint_object(p, end, levels - 1, path)) {
            return 1;
        }
        if (!(p = hint_skip_value(p, end))) return 0;
        p = sl_json_skip_ws(p, end);
        if (p >= end || *p != ',') return 0;
        p = sl_json_skip_ws(p + 1, end);
    }
    return 0;
}

char *sl__json_records_hint(const char *p, size_t n)
{
    struct sl_buf path = SL_BUF_INIT;
    const char *end = p + n;
    p = sl_json_skip_ws(p, end);
    if (p >= end || *p != '{') return NULL;
    /* the shallowest first: the top object's members, then one level down, then two */
    for (int levels = 1; levels <= 3; levels++) {
        sl_buf_reset(&path);
        if (hint_object(p, end, levels, &path)) return sl_buf_detach(&path);
    }
    sl_buf_free(&path);
    return NULL;
}

static void oversize_row(struct ndjson_reader *r, struct sl_batch *b, struct sl_row *row,
                         const char *p, size_t n)
{
    if (row->num == 1) {
        free(r->base.records_hint);
        r->base.records_hint = sl__json_records_hint(p, n < (1u << 20) ? n : (1u << 20));
    }
    sl_row_issue(b, row, SL_ROW_INVALID, "format-error", NULL, NULL, 0,
                 "record is larger than the max_record_size limit of %zu bytes", r->max_record);
    sl__jrec_raw_head(b, row, p, n);
}

/* One physical line p[0..n) (without its '\n') that starts at stream offset off. */
static void ndjson_line(struct ndjson_reader *r, struct sl_batch *b, const char *p, size_t n,
                        int64_t off)
{
    const char *s = p, *e = p + n;
    struct sl_json_tok tok;
    struct sl_json_err je = {0, NULL};
    struct sl_row *row;
    int64_t line = ++r->base.lines;
    long got;

    if (!r->newline_seen && !r->eof) {
        r->newline_seen = 1;
        if (n && p[n - 1] == '\r') memcpy(r->base.dialect.newline, "\r\n", 3);
    }
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\r')) s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) e--;
    if (s == e) return; /* blank lines are not records */
    row = sl_batch_add_row(b);
    row->num = ++r->base.records;
    row->line = line;
    row->offset = off;
    if (n > r->max_record) {
        oversize_row(r, b, row, p, n);
        return;
    }
    got = sl__jrec_parse(&r->jr, s, (size_t)(e - s), 1, &tok, &je);
    if (got > 0 && s + got != e) {
        je.offset = (size_t)(sl_json_skip_ws(s + got, e) - s);
        je.msg = "unexpected data after the JSON value";
        got = -1;
    }
    if (got <= 0) {
        sl_row_issue(b, row, SL_ROW_INVALID, "format-error", NULL, NULL, 0,
                     "invalid JSON at column %d: %s", sl__json_col(p, (size_t)(s - p) + je.offset),
                     je.msg ? je.msg : "unexpected end of input");
        sl__jrec_raw_text(row, s, (size_t)(e - s));
        return;
    }
    if (tok.type != SL_JSON_OBJECT && r->base.opts.any_value) {
        row->raw = s;
        row->raw_len = (size_t)(e - s);
        row->raw_kind = SL_RAW_JSON;
        return;
    }
    if (tok.type != SL_JSON_OBJECT) {
        sl_row_issue(b, row, SL_ROW_INVALID, "format-error", NULL, NULL, 0,
                     "expected a JSON object, found %s", sl__json_type_name(tok.type));
        sl__jrec_raw_text(row, s, (size_t)(e - s));
        return;
    }
    sl__jrec_emit(&r->jr, &r->base.labels, b, row);
    if (row->num == 1) r->base.records_hint = sl__json_records_hint(s, (size_t)(e - s));
    if (r->base.opts.want_raw) {
        row->raw = s;
        row->raw_len = (size_t)(e - s);
        row->raw_kind = SL_RAW_JSON;
    }
}

static int ndjson_next(struct sl_reader *base, struct sl_batch *b, struct sl_error *err)
{
    struct ndjson_reader *r = (struct ndjson_reader *)base;
    size_t pos = 0, scanned = 0, want;
    int64_t buf_off = r->off; /* stream offset of b->buf[0] */
    int full = 0;

    if (r->done) return 0;
    sl_batch_reserve(b, r->carry.len + r->chunk);
    if (r->carry.len) memcpy(b->buf, r->carry.p, r->carry.len);
    b->len = r->carry.len;
    sl_buf_reset(&r->carry);
    want = b->len + r->chunk;
    if (want < 3) want = 3; /* enough to see a BOM */
    for (;;) {
        while (!r->eof && b->len < want) {
            sl_batch_reserve(b, want);
            ssize_t got = sl_stream_read(r->base.in, b->buf + b->len, want - b->len, err);
            if (got < 0) return (int)got;
            if (got == 0)
                r->eof = 1;
            else
                b->len += (size_t)got;
        }
        if (!r->bom_checked) {
            r->bom_checked = 1;
            if (b->len >= 3 && !memcmp(b->buf, "\xef\xbb\xbf", 3)) {
                pos = scanned = 3;
                r->base.dialect.bom = 1;
            }
        }
        for (;;) {
            char *nl;
            if (r->skipping) { /* the rest of a line over max_record */
                nl = memchr(b->buf + pos, '\n', b->len - pos);
                if (!nl) {
                    pos = scanned = b->len;
                    break;
                }
                pos = scanned = (size_t)(nl - b->buf) + 1;
                r->skipping = 0;
                r->base.lines++;
                continue;
            }
            if (b->nrows >= BATCH_ROWS) { /* rows are bounded too: "1\n" a million times */
                full = 1;
                break;
            }
            nl = memchr(b->buf + scanned, '\n', b->len - scanned);
            if (!nl) {
                scanned = b->len;
                break;
            }
            size_t e = (size_t)(nl - b->buf);
            ndjson_line(r, b, b->buf + pos, e - pos, buf_off + (int64_t)pos);
            pos = scanned = e + 1;
        }
        if (full) {
            sl_buf_add(&r->carry, b->buf + pos, b->len - pos);
            break;
        }
        if (r->eof) {
            if (pos < b->len && !r->skipping)
                ndjson_line(r, b, b->buf + pos, b->len - pos, buf_off + (int64_t)pos);
            else if (r->skipping) /* the over-long last line had no '\n' */
                r->base.lines++;
            pos = b->len;
            r->done = 1;
            break;
        }
        if (b->nrows) {
            sl_buf_add(&r->carry, b->buf + pos, b->len - pos);
            break;
        }
        /* a line over max_record becomes an invalid row once its first 1 KiB is here (so the
         * row is the same whatever the chunk size) */
        size_t tail = b->len - pos, limit = r->max_record + 1 > 1024 ? r->max_record + 1 : 1024;
        if (tail >= limit) {
            struct sl_row *row = sl_batch_add_row(b);
            row->num = ++r->base.records;
            row->line = r->base.lines + 1;
            row->offset = buf_off + (int64_t)pos;
            oversize_row(r, b, row, b->buf + pos, tail);
            r->skipping = 1;
            pos = b->len;
            break;
        }
        /* no complete line yet: keep the partial one at the start and read more (doubling, so
         * a long line is not rescanned over and over) */
        memmove(b->buf, b->buf + pos, tail);
        buf_off += (int64_t)pos;
        scanned -= pos;
        pos = 0;
        b->len = tail;
        want = tail + (tail > r->chunk ? tail : r->chunk);
        if (want > limit) want = limit;
    }
    r->off = buf_off + (int64_t)pos;
    b->in_bytes = sl_stream_raw_bytes(r->base.in);
    b->out_bytes = r->off;
    return b->nrows ? 1 : 0;
}

static void ndjson_close(struct sl_reader *base)
{
    struct ndjson_reader *r = (struct ndjson_reader *)base;

    if (!r) return;
    sl__jrec_free(&r->jr);
    sl_labels_free(&r->base.labels);
    sl_buf_free(&r->carry);
    free(r->base.records_hint);
    free(r);
}

const struct sl_format sl_format_ndjson = {
    .name = "ndjson",
    .sniff = ndjson_sniff,
    .open = ndjson_open,
    .next = ndjson_next,
    .close = ndjson_close,
};
