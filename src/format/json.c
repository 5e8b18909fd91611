/*
 * JSON: a top-level array of objects (one record per element), or one top-level object (one
 * record). The array is read as a stream, element by element, with the same buffer and carry
 * mechanics as NDJSON: a 2 GB array is never held whole, only the element being read.
 *
 * A broken element becomes an invalid row; the reader then looks for where that element ends
 * (the next ',' or the closing ']' at the array's level, outside strings) and goes on from
 * there. When it cannot find one, the rest of the input becomes one invalid row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_record.h"
#include "sluice/format.h"

#define BATCH_ROWS 16384 /* rows a batch holds at most (as csv.c) */

enum json_state {
    J_START,  /* before the top-level value */
    J_FIRST,  /* after '[': an element or ']' */
    J_VALUE,  /* after ',': an element */
    J_COMMA,  /* after an element: ',' or ']' */
    J_SINGLE, /* a top-level object */
    J_SKIP,   /* skipping the rest of an element too large to read */
    J_AFTER,  /* after the top-level value: only whitespace may follow */
    J_DONE
};

/* Where a broken element ends: tracks strings and bracket depth (1 = the array's level). */
struct resync {
    int depth, in_str, esc;
};

struct json_reader {
    struct sl_reader base;
    struct sl__jrec jr;
    struct sl_buf carry; /* unread text of the previous batch */
    int64_t off;         /* stream offset of the carry's first byte */
    int64_t line;        /* line of the carry's first byte */
    int col0;            /* column of the carry's first byte */
    size_t chunk, max_record;
    int eof, bom_checked, top_object;
    enum json_state state;
    struct resync skip;
};

/* The batch being filled: its buffer, and a line cursor that only moves forward. */
struct jbuf {
    struct sl_batch *b;
    int64_t off; /* stream offset of b->buf[0] */
    int64_t line;
    size_t counted; /* newlines counted in b->buf[0..counted) */
};

static int64_t line_at(struct jbuf *jb, size_t pos)
{
    const char *s = jb->b->buf + jb->counted, *e = jb->b->buf + pos;
    if (pos <= jb->counted) return jb->line;
    while ((s = memchr(s, '\n', (size_t)(e - s)))) {
        jb->line++;
        s++;
    }
    jb->counted = pos;
    return jb->line;
}

/* Column (in characters) of b->buf[pos]. */
static int col_at(const struct json_reader *r, const struct jbuf *jb, size_t pos)
{
    const char *p = jb->b->buf, *nl = memrchr(p, '\n', pos);
    if (nl) return sl__json_col(nl + 1, (size_t)(p + pos - (nl + 1)));
    return r->col0 + sl__json_col(p, pos) - 1;
}

/* Index of the ',' (depth 1) or ']' (depth 0) that ends the element, or -1 when p[from..n)
 * ends first (the state then says where the scan is). */
static long resync_scan(struct resync *s, const char *p, size_t from, size_t n)
{
    for (size_t i = from; i < n; i++) {
        char c = p[i];
        if (s->in_str) {
            if (s->esc)
                s->esc = 0;
            else if (c == '\\')
                s->esc = 1;
            else if (c == '"')
                s->in_str = 0;
            continue;
        }
        switch (c) {
        case '"': s->in_str = 1; break;
        case '[':
        case '{': s->depth++; break;
        case ']':
        case '}':
            if (--s->depth <= 0) return (long)i;
            break;
        case ',':
            if (s->depth == 1) return (long)i;
            break;
        default: break;
        }
    }
    return -1;
}

static int json_sniff(const char *head, size_t len)
{
    const char *p = head, *end = head + len, *nl;
    long n;

    if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) p += 3;
    p = sl_json_skip_ws(p, end);
    if (p >= end) return 0;
    if (*p == '[') return 90;
    if (*p != '{') return 0;
    /* one object per line is NDJSON; an object spread over lines is a JSON document */
    nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) nl = end;
    n = sl_json_scan(p, (size_t)(nl - p), 1, NULL, NULL);
    if (n > 0 && sl_json_skip_ws(p + n, nl) == nl) return 0;
    return 60;
}

static int json_open(struct sl_stream *in, const struct sl_format_opts *o, struct sl_reader **out,
                     struct sl_error *err)
{
    struct json_reader *r = sl_xcalloc(1, sizeof *r);

    (void)err;
    r->base.format = &sl_format_json;
    r->base.in = in;
    if (o) r->base.opts = *o;
    sl_labels_init(&r->base.labels);
    r->base.dialect.encoding = SL_ENC_UTF8;
    memcpy(r->base.dialect.newline, "\n", 2);
    r->chunk = r->base.opts.chunk ? r->base.opts.chunk : SL_DEFAULT_CHUNK;
    r->max_record = r->base.opts.max_record ? r->base.opts.max_record : SL_DEFAULT_MAX_RECORD;
    r->jr.max_labels = r->base.opts.max_columns ? r->base.opts.max_columns : SL_DEFAULT_MAX_COLUMNS;
    r->line = 1;
    r->col0 = 1;
    r->state = J_START;
    *out = &r->base;
    return 0;
}

static struct sl_row *new_row(struct json_reader *r, struct jbuf *jb, size_t pos)
{
    struct sl_row *row = sl_batch_add_row(jb->b);
    row->num = ++r->base.records;
    row->line = line_at(jb, pos);
    row->offset = jb->off + (int64_t)pos;
    return row;
}

/* The input from pos on cannot be read: one invalid row with its first 1 KiB, and the end.
 * The rest of the stream is read (and counted) but not kept. */
static int rest_of_input(struct json_reader *r, struct jbuf *jb, size_t pos, const char *what,
                         int say_lost, struct sl_error *err)
{
    struct sl_batch *b = jb->b;
    struct sl_row *row = new_row(r, jb, pos);
    size_t have = b->len - pos, nhead = have < 1024 ? have : 1024;
    int64_t lost = (int64_t)have;
    char *head = sl_arena_alloc(&b->arena, 1024), sink[65536];
    ssize_t got;

    /* the head must not depend on how much the buffer happened to hold */
    memcpy(head, b->buf + pos, nhead);
    while (!r->eof) {
        got = sl_stream_read(r->base.in, sink, sizeof sink, err);
        if (got < 0) return (int)got;
        if (got == 0) r->eof = 1;
        if (nhead < 1024) {
            size_t k = (size_t)got < 1024 - nhead ? (size_t)got : 1024 - nhead;
            memcpy(head + nhead, sink, k);
            nhead += k;
        }
        lost += got;
    }
    if (say_lost)
        sl_row_issue(b, row, SL_ROW_INVALID, "format-error", NULL, NULL, 0,
                     "%s; the remaining %lld bytes could not be read", what, (long long)lost);
    else
        sl_row_issue(b, row, SL_ROW_INVALID, "format-error", NULL, NULL, 0, "%s", what);
    sl__jrec_raw_head(b, row, head, nhead);
    r->state = J_DONE;
    return 0;
}

/* A syntax error at b->buf[at] in the element that starts at pos: an invalid row, then on
 * after the element's end. Sets *ppos; 1 = more input needed first, < 0 = stream error. */
static int json_broken(struct json_reader *r, struct jbuf *jb, size_t *ppos, size_t at,
                       const char *msg, size_t limit, struct sl_error *err)
{
    struct sl_batch *b = jb->b;
    struct resync rs = {1, 0, 0};
    struct sl_row *row;
    size_t pos = *ppos;
    char what[512];
    int64_t line;
    long end;
    int col = col_at(r, jb, at), rc;

    if (r->state != J_SINGLE) {
        end = resync_scan(&rs, b->buf, pos, b->len);
        if (end < 0 && !r->eof && b->len - pos < limit) return 1;
    } else {
        end = -1;
    }
    line = line_at(jb, pos);
    for (size_t i = pos; i < at; i++) line += b->buf[i] == '\n';
    snprintf(what, sizeof what, "invalid JSON at line %lld column %d: %s", (long long)line, col,
             msg);
    if (end < 0) {
        if ((rc = rest_of_input(r, jb, pos, what, 1, err)) < 0) return rc;
        *ppos = b->len;
        return 0;
    }
    row = new_row(r, jb, pos);
    sl_row_issue(b, row, SL_ROW_INVALID, "format-error", NULL, NULL, 0, "%s", what);
    {
        const char *s = b->buf + pos, *e = b->buf + end;
        while (e > s && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\r' || e[-1] == '\t')) e--;
        if (e == s) e = s + 1; /* nothing before the ',' or ']': show that byte */
        sl__jrec_raw_text(row, s, (size_t)(e - s));
    }
    r->state = b->buf[end] == ',' ? J_VALUE : J_AFTER;
    *ppos = (size_t)end + 1;
    return 0;
}

/* One element (or the top-level object) at *ppos. Sets *ppos past it; 1 = more input needed
 * first, < 0 = stream error. */
static int json_element(struct json_reader *r, struct jbuf *jb, size_t *ppos, size_t limit,
                        struct sl_error *err)
{
    struct sl_batch *b = jb->b;
    size_t pos = *ppos, avail = b->len - pos;
    const char *p = b->buf + pos;
    struct sl_json_tok tok;
    struct sl_json_err je = {0, NULL};
    struct sl_row *row;
    int single = r->state == J_SINGLE;
    long got = sl__jrec_parse(&r->jr, p, avail, r->eof, &tok, &je);

    if (got < 0)
        return json_broken(r, jb, ppos, pos + je.offset, je.msg ? je.msg : "syntax error", limit,
                           err);
    if (got == 0) {
        if (avail < limit) return 1;
        row = new_row(r, jb, pos);
        sl_row_issue(b, row, SL_ROW_INVALID, "format-error", NULL, NULL, 0,
                     "record is larger than the max_record_size limit of %zu bytes", r->max_record);
        sl__jrec_raw_head(b, row, p, avail);
        if (single) {
            r->state = J_DONE;
            *ppos = b->len;
            return 0;
        }
        /* skip the rest of it as it streams by */
        memset(&r->skip, 0, sizeof r->skip);
        r->skip.depth = 1;
        r->state = J_SKIP;
        return 0;
    }
    row = new_row(r, jb, pos);
    if ((size_t)got > r->max_record) { /* complete, but over the limit all the same */
        sl_row_issue(b, row, SL_ROW_INVALID, "format-error", NULL, NULL, 0,
                     "record is larger than the max_record_size limit of %zu bytes", r->max_record);
        sl__jrec_raw_head(b, row, p, (size_t)got);
    } else if (tok.type == SL_JSON_OBJECT) {
        sl__jrec_emit(&r->jr, &r->base.labels, b, row);
        if (r->base.opts.want_raw) {
            row->raw = tok.p;
            row->raw_len = tok.len;
            row->raw_kind = SL_RAW_JSON;
        }
    } else if (r->base.opts.any_value) {
        row->raw = tok.type == SL_JSON_STRING ? tok.p - 1 : tok.p;
        row->raw_len = tok.type == SL_JSON_STRING ? tok.len + 2 : tok.len;
        row->raw_kind = SL_RAW_JSON;
    } else {
        sl_row_issue(b, row, SL_ROW_INVALID, "format-error", NULL, NULL, 0,
                     "expected a JSON object, found %s", sl__json_type_name(tok.type));
        sl__jrec_raw_text(row, tok.type == SL_JSON_STRING ? tok.p - 1 : tok.p,
                          tok.type == SL_JSON_STRING ? tok.len + 2 : tok.len);
    }
    r->state = single ? J_AFTER : J_COMMA;
    *ppos = pos + (size_t)got;
    return 0;
}

static void keep_carry(struct json_reader *r, struct jbuf *jb, size_t pos)
{
    size_t n = jb->b->len - pos;

    r->col0 = col_at(r, jb, pos);
    r->line = line_at(jb, pos);
    r->off = jb->off + (int64_t)pos;
    sl_buf_reset(&r->carry);
    sl_buf_add(&r->carry, jb->b->buf + pos, n);
}

/* Parses what b holds from *ppos on. 0 = ran out of input, 2 = the batch is full (BATCH_ROWS),
 * < 0 = stream error. */
static int json_parse(struct json_reader *r, struct jbuf *jb, size_t *ppos, size_t limit,
                      struct sl_error *err)
{
    struct sl_batch *b = jb->b;
    size_t pos = *ppos;
    int rc = 0;

    while (r->state != J_DONE) {
        if (b->nrows >= BATCH_ROWS) { /* a full batch: the rest waits for the next one */
            rc = 2;
            break;
        }
        if (r->state == J_SKIP) {
            long end = resync_scan(&r->skip, b->buf, pos, b->len);
            if (end < 0) {
                pos = b->len;
                break;
            }
            r->state = b->buf[end] == ',' ? J_VALUE : J_AFTER;
            pos = (size_t)end + 1;
            continue;
        }
        pos = (size_t)(sl_json_skip_ws(b->buf + pos, b->buf + b->len) - b->buf);
        if (pos >= b->len) break;
        char c = b->buf[pos];
        switch (r->state) {
        case J_START:
            if (c == '[') {
                r->state = J_FIRST;
                pos++;
                continue;
            }
            if (c == '{') {
                r->state = J_SINGLE;
                r->top_object = 1;
                continue;
            }
            rc = rest_of_input(r, jb, pos, "expected a JSON array or object", 1, err);
            if (rc < 0) goto out;
            pos = b->len;
            continue;
        case J_FIRST:
            if (c == ']') {
                r->state = J_AFTER;
                pos++;
                continue;
            }
            break;
        case J_COMMA:
            if (c == ',') {
                r->state = J_VALUE;
                pos++;
                continue;
            }
            if (c == ']') {
                r->state = J_AFTER;
                pos++;
                continue;
            }
            rc = json_broken(r, jb, &pos, pos, "expected ',' or ']'", limit, err);
            goto moved;
        case J_AFTER:
            rc = rest_of_input(r, jb, pos,
                               r->top_object ? "unexpected data after the end of the JSON object"
                                             : "unexpected data after the end of the JSON array",
                               0, err);
            if (rc < 0) goto out;
            pos = b->len;
            continue;
        default: break;
        }
        /* J_FIRST, J_VALUE, J_SINGLE: an element */
        rc = json_element(r, jb, &pos, limit, err);
    moved:
        if (rc < 0) goto out;
        if (rc == 1) { /* needs more input */
            rc = 0;
            break;
        }
    }
out:
    *ppos = pos;
    return rc;
}

static int json_next(struct sl_reader *base, struct sl_batch *b, struct sl_error *err)
{
    struct json_reader *r = (struct json_reader *)base;
    struct jbuf jb = {b, r->off, r->line, 0};
    size_t pos = 0, want, limit;
    int rc;

    if (r->state == J_DONE) return 0;
    limit = r->max_record + 1 > 1024 ? r->max_record + 1 : 1024;
    sl_batch_reserve(b, r->carry.len + r->chunk);
    if (r->carry.len) memcpy(b->buf, r->carry.p, r->carry.len);
    b->len = r->carry.len;
    sl_buf_reset(&r->carry);
    want = b->len + r->chunk;
    if (want < 3) want = 3;
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
                pos = jb.counted = 3;
                r->col0 = 0; /* the BOM is not a character of the first line */
                r->base.dialect.bom = 1;
            }
        }
        if ((rc = json_parse(r, &jb, &pos, limit, err)) < 0) return rc;
        if (rc == 2) {
            keep_carry(r, &jb, pos);
            break;
        }
        if (r->eof || r->state == J_DONE) {
            if (r->eof && r->state != J_DONE && r->state != J_AFTER && r->state != J_START &&
                r->state != J_SKIP) {
                /* the text ended inside the array, between elements */
                struct sl_row *row = new_row(r, &jb, b->len);
                sl_row_issue(b, row, SL_ROW_INVALID, "format-error", NULL, NULL, 0,
                             "unexpected end of input: the JSON array is not closed");
                sl__jrec_raw_text(row, b->buf + b->len, 0);
            }
            pos = b->len;
            r->state = J_DONE;
            break;
        }
        if (b->nrows) {
            keep_carry(r, &jb, pos);
            break;
        }
        /* nothing complete yet: keep the partial element at the start and read more */
        size_t tail = b->len - pos;
        r->col0 = col_at(r, &jb, pos);
        jb.line = line_at(&jb, pos);
        memmove(b->buf, b->buf + pos, tail);
        jb.off += (int64_t)pos;
        jb.counted = 0;
        pos = 0;
        b->len = tail;
        want = tail + (tail > r->chunk ? tail : r->chunk);
        if (want > limit && tail < limit) want = limit;
    }
    b->in_bytes = sl_stream_raw_bytes(r->base.in);
    b->out_bytes = jb.off + (int64_t)pos;
    r->base.lines = line_at(&jb, pos) - 1;
    return b->nrows ? 1 : 0;
}

static void json_close(struct sl_reader *base)
{
    struct json_reader *r = (struct json_reader *)base;

    if (!r) return;
    sl__jrec_free(&r->jr);
    sl_labels_free(&r->base.labels);
    sl_buf_free(&r->carry);
    free(r);
}

const struct sl_format sl_format_json = {
    .name = "json",
    .sniff = json_sniff,
    .open = json_open,
    .next = json_next,
    .close = json_close,
};
