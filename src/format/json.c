/*
 * JSON: a top-level array of objects (one record per element), or one top-level object (one
 * record). The array is read as a stream, element by element, with the same buffer and carry
 * mechanics as NDJSON: a 2 GB array is never held whole, only the element being read.
 *
 * A broken element becomes an invalid row; the reader then looks for where that element ends
 * (the next ',' or the closing ']' at the array's level, outside strings) and goes on from
 * there. When it cannot find one, the rest of the input becomes one invalid row.
 *
 * With a records pointer (RFC 6901, e.g. "/features" of GeoJSON) the reader first walks the
 * document to the array it names, streaming past everything before it (keys are compared,
 * other values skipped by following strings and brackets: never held whole, not validated),
 * then reads the array's elements as records, then skims the rest of the document (its
 * brackets must close). A pointer that names nothing, or a value that is not an array, is a
 * configuration error (exit 2), said before any record is read.
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
    J_SEEK,   /* walking the document to the records pointer's array */
    J_TAIL,   /* after the pointer's array: the rest of the document, to its end */
    J_DONE
};

/* Where the walk to the records array is (J_SEEK). */
enum seek_state {
    S_VALUE,    /* a value: the one tokens[0..depth) name */
    S_KEY,      /* in an object: a key, or '}' */
    S_COLON,    /* after a key: ':' */
    S_KEY_NEXT, /* after a member skipped: ',' or '}' */
    S_ELEM,     /* in an array: an element, or ']' */
    S_ELEM_NEXT /* after an element skipped: ',' or ']' */
};

/* Skips one JSON value as it streams by (strings and brackets followed, nothing validated). */
struct vskip {
    int depth, in_str, esc, started;
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
    /* records pointer: its tokens, how many the walk has matched, and the walk's state */
    char **ptok;
    size_t nptok, pdepth;
    enum seek_state seek;
    int key_match, skipping;
    int64_t idx, want_idx;
    struct vskip vs;
    struct resync tail;
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

/* Index just past the value being skipped, or -1 when p[from..n) ends first (state kept). */
static long vskip_scan(struct vskip *s, const char *p, size_t from, size_t n)
{
    for (size_t i = from; i < n; i++) {
        char c = p[i];
        if (s->in_str) {
            if (s->esc)
                s->esc = 0;
            else if (c == '\\')
                s->esc = 1;
            else if (c == '"') {
                s->in_str = 0;
                if (!s->depth) return (long)i + 1;
            }
            continue;
        }
        if (!s->started) {
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
            s->started = 1;
        }
        switch (c) {
        case '"': s->in_str = 1; break;
        case '[':
        case '{': s->depth++; break;
        case ']':
        case '}':
            if (!s->depth) return (long)i; /* the enclosing container ends: a bare value did */
            if (!--s->depth) return (long)i + 1;
            break;
        case ',':
        case ' ':
        case '\n':
        case '\r':
        case '\t':
            if (!s->depth) return (long)i;
            break;
        default: break;
        }
    }
    return -1;
}

static const char *json_kind_at(char c)
{
    switch (c) {
    case '{': return "an object";
    case '[': return "an array";
    case '"': return "a string";
    case 't':
    case 'f': return "a boolean";
    case 'n': return "null";
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9': return "a number";
    default: return "text that is not JSON";
    }
}

/* The pointer's first k tokens, escaped again, for messages ("" for the whole document). */
static void pointer_prefix(const struct json_reader *r, size_t k, struct sl_buf *b)
{
    for (size_t i = 0; i < k && i < r->nptok; i++) {
        sl_buf_addc(b, '/');
        sl_buf_json_pointer_token(b, r->ptok[i], strlen(r->ptok[i]));
    }
}

/* records: points at nothing usable: a configuration error naming the pointer. */
static int seek_fail(struct json_reader *r, struct sl_error *err, const char *fmt, const char *a,
                     const char *b2)
{
    struct sl_buf ptr = SL_BUF_INIT, at = SL_BUF_INIT, why = SL_BUF_INIT;
    pointer_prefix(r, r->nptok, &ptr);
    pointer_prefix(r, r->pdepth, &at);
    sl_buf_addf(&why, fmt, at.len ? at.p : "the document", a ? a : "", b2 ? b2 : "");
    int rc = sl_error_set(err, SL_ECONFIG, "records: %s: %s", ptr.len ? ptr.p : "\"\"", why.p);
    sl_buf_free(&ptr);
    sl_buf_free(&at);
    sl_buf_free(&why);
    return rc;
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
    if (r->base.opts.records) {
        int rc = sl_json_pointer_parse(r->base.opts.records, &r->ptok, &r->nptok, err);
        if (rc) {
            free(r);
            return rc;
        }
        r->state = J_SEEK;
        r->seek = S_VALUE;
    }
    *out = &r->base;
    return 0;
}

/* The records array ended: the document around it must end too. */
static void after_array(struct json_reader *r)
{
    if (!r->nptok) {
        r->state = J_AFTER;
        return;
    }
    memset(&r->tail, 0, sizeof r->tail);
    r->tail.depth = (int)r->nptok; /* one container per token is open */
    r->state = J_TAIL;
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
    if (b->buf[end] == ',')
        r->state = J_VALUE;
    else
        after_array(r);
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
            /* a document too large to be one record may hold the records under a key */
            r->base.records_hint = sl__json_records_hint(p, avail);
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
        if (single && tok.type == SL_JSON_OBJECT)
            r->base.records_hint = sl__json_records_hint(p, (size_t)got);
        sl_row_issue(b, row, SL_ROW_INVALID, "format-error", NULL, NULL, 0,
                     "record is larger than the max_record_size limit of %zu bytes", r->max_record);
        sl__jrec_raw_head(b, row, p, (size_t)got);
    } else if (tok.type == SL_JSON_OBJECT) {
        sl__jrec_emit(&r->jr, &r->base.labels, b, row);
        if (single) r->base.records_hint = sl__json_records_hint(p, (size_t)got);
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

/* The document is broken before the records array: nothing after pos can be read. */
static int seek_broken(struct json_reader *r, struct jbuf *jb, size_t *ppos, size_t at,
                       const char *msg, struct sl_error *err)
{
    char what[512];
    int64_t line = line_at(jb, at);
    snprintf(what, sizeof what, "invalid JSON at line %lld column %d: %s", (long long)line,
             col_at(r, jb, at), msg);
    int rc = rest_of_input(r, jb, *ppos, what, 1, err);
    *ppos = jb->b->len;
    return rc < 0 ? rc : 0;
}

/* One array index token: "0" or digits without a leading zero (RFC 6901); -1 otherwise. */
static int64_t pointer_index(const char *t)
{
    int64_t v = 0;
    if (!*t || (t[0] == '0' && t[1])) return -1;
    for (; *t; t++) {
        if (*t < '0' || *t > '9' || v > (INT64_MAX - 9) / 10) return -1;
        v = v * 10 + (*t - '0');
    }
    return v;
}

/* Walks toward the records array (J_SEEK) over what b holds from *ppos on: 0 = the state
 * moved on (J_FIRST: the array is reached; J_DONE: the document is broken), 1 = more input
 * needed, < 0 = error (a pointer that names nothing usable: SL_ECONFIG). */
static int json_seek(struct json_reader *r, struct jbuf *jb, size_t *ppos, size_t limit,
                     struct sl_error *err)
{
    struct sl_batch *b = jb->b;
    size_t pos = *ppos;
    char n1[32], n2[32];

    for (;;) {
        if (r->skipping) {
            long end = vskip_scan(&r->vs, b->buf, pos, b->len);
            if (end < 0) {
                *ppos = b->len;
                return 1;
            }
            pos = (size_t)end;
            r->skipping = 0;
        }
        pos = (size_t)(sl_json_skip_ws(b->buf + pos, b->buf + b->len) - b->buf);
        if (pos >= b->len) {
            *ppos = pos;
            return 1;
        }
        char c = b->buf[pos];
        const char *tok = r->pdepth < r->nptok ? r->ptok[r->pdepth] : "";
        switch (r->seek) {
        case S_VALUE:
            if (r->pdepth == r->nptok) {
                if (c == '[') {
                    r->state = J_FIRST;
                    *ppos = pos + 1;
                    return 0;
                }
                return seek_fail(r, err, "%s is %s, not an array of records", json_kind_at(c),
                                 NULL);
            }
            if (c == '{') {
                r->seek = S_KEY;
                pos++;
                continue;
            }
            if (c == '[') {
                if ((r->want_idx = pointer_index(tok)) < 0)
                    return seek_fail(r, err,
                                     "%s is an array, and \"%s\" is not an index (0, 1, ...)", tok,
                                     NULL);
                r->idx = 0;
                r->seek = S_ELEM;
                pos++;
                continue;
            }
            return seek_fail(r, err, "%s is %s, not an object or array", json_kind_at(c), NULL);
        case S_KEY: {
            struct sl_json_tok key;
            struct sl_json_err je = {0, NULL};
            if (c == '}') return seek_fail(r, err, "%s has no member \"%s\"", tok, NULL);
            if (c != '"') {
                *ppos = pos;
                return seek_broken(r, jb, ppos, pos, "expected a key (a string) or '}'", err);
            }
            long got = sl_json_scan(b->buf + pos, b->len - pos, r->eof, &key, &je);
            if (got == 0 && b->len - pos < limit) {
                *ppos = pos;
                return 1;
            }
            if (got <= 0) {
                *ppos = pos;
                return seek_broken(r, jb, ppos, pos + je.offset,
                                   je.msg ? je.msg : "a key longer than max_record_size", err);
            }
            if (key.escaped) {
                char *k = sl_xmalloc(key.len + 1);
                size_t kl = sl_json_unescape(key.p, key.len, k);
                r->key_match = kl == strlen(tok) && !memcmp(k, tok, kl);
                free(k);
            } else {
                r->key_match = key.len == strlen(tok) && !memcmp(key.p, tok, key.len);
            }
            r->seek = S_COLON;
            pos += (size_t)got;
            continue;
        }
        case S_COLON:
            if (c != ':') {
                *ppos = pos;
                return seek_broken(r, jb, ppos, pos, "expected ':'", err);
            }
            pos++;
            if (r->key_match) {
                r->pdepth++;
                r->seek = S_VALUE;
            } else {
                memset(&r->vs, 0, sizeof r->vs);
                r->skipping = 1;
                r->seek = S_KEY_NEXT;
            }
            continue;
        case S_KEY_NEXT:
            if (c == ',') {
                r->seek = S_KEY;
                pos++;
                continue;
            }
            if (c == '}') return seek_fail(r, err, "%s has no member \"%s\"", tok, NULL);
            *ppos = pos;
            return seek_broken(r, jb, ppos, pos, "expected ',' or '}'", err);
        case S_ELEM:
            if (c == ']')
                return seek_fail(r, err, "%s is an empty array: no element %s", tok, NULL);
            if (r->idx == r->want_idx) {
                r->pdepth++;
                r->seek = S_VALUE;
                continue;
            }
            memset(&r->vs, 0, sizeof r->vs);
            r->skipping = 1;
            r->seek = S_ELEM_NEXT;
            continue;
        case S_ELEM_NEXT:
            if (c == ',') {
                r->idx++;
                r->seek = S_ELEM;
                pos++;
                continue;
            }
            if (c == ']') {
                snprintf(n1, sizeof n1, "%lld", (long long)r->idx + 1);
                snprintf(n2, sizeof n2, "%s", tok);
                return seek_fail(r, err, "%s has %s element(s): no element %s", n1, n2);
            }
            *ppos = pos;
            return seek_broken(r, jb, ppos, pos, "expected ',' or ']'", err);
        }
    }
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
            if (b->buf[end] == ',')
                r->state = J_VALUE;
            else
                after_array(r);
            pos = (size_t)end + 1;
            continue;
        }
        if (r->state == J_TAIL) {
            long end = resync_scan(&r->tail, b->buf, pos, b->len);
            if (end < 0) {
                pos = b->len;
                break;
            }
            if (b->buf[end] == ',') { /* members after the array, at its parent's level */
                pos = (size_t)end + 1;
                continue;
            }
            r->state = J_AFTER;
            r->top_object = 1;
            pos = (size_t)end + 1;
            continue;
        }
        if (r->state == J_SEEK) {
            rc = json_seek(r, jb, &pos, limit, err);
            if (rc < 0) goto out;
            if (rc == 1) {
                rc = 0;
                break;
            }
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
                after_array(r);
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
                after_array(r);
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
                if (r->state == J_SEEK)
                    sl_row_issue(b, row, SL_ROW_INVALID, "format-error", NULL, NULL, 0,
                                 "unexpected end of input: the document ends before the array "
                                 "of records at %s",
                                 r->base.opts.records);
                else
                    sl_row_issue(b, row, SL_ROW_INVALID, "format-error", NULL, NULL, 0,
                                 "unexpected end of input: the JSON %s is not closed",
                                 r->state == J_TAIL ? "document" : "array");
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
    sl_json_pointer_free(r->ptok, r->nptok);
    free(r->base.records_hint);
    free(r);
}

const struct sl_format sl_format_json = {
    .name = "json",
    .sniff = json_sniff,
    .open = json_open,
    .next = json_next,
    .close = json_close,
};
