/*
 * CSV and TSV reader (RFC 4180 plus what real files do): a dialect sniffer for open(), and a
 * record scanner that makes cells as views into the batch buffer.
 *
 * The scanner never changes the buffer until a record is known to be complete, because the
 * incomplete tail of a buffer is copied into the next batch and scanned again from its start.
 * A byte past the end of the data (b->buf[len], the +1 of sl_batch_reserve) holds a '\n'
 * sentinel so the unquoted-field loop needs no bounds check.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sluice/format.h"

#define HEAD_MAX      (64u << 10) /* bytes of the head the sniffer looks at */
#define SNIFF_RECORDS 100         /* records of the head used to pick the delimiter and header */
#define RAW_PREFIX    1024        /* what bronze keeps of a record over max_record */
#define BATCH_ROWS    16384       /* rows a batch holds at most */

/* ---- the record scanner ----------------------------------------------------------------- */

enum { F_QUOTED = 1, F_ESC = 2 /* has "" */, F_TRAIL = 4 /* text after the closing quote */ };

/* One field of the record being scanned, as offsets into the buffer. For a quoted field
 * [start, end) is between the quotes; trailing text runs from end + 1 to tail. */
struct field {
    size_t start, end, tail;
    unsigned flags;
};

struct fields {
    struct field *v;
    size_t n, cap;
};

struct lexer {
    unsigned char cls[256]; /* 1: ends an unquoted field (delimiter, \n, \r) */
    unsigned char delim, quote;
};

enum { SCAN_OK, SCAN_MORE, SCAN_UNTERMINATED };

struct scan {
    size_t term;    /* where the record's terminator starts (== next at the end of input) */
    size_t next;    /* first byte after the terminator */
    int64_t qlines; /* line breaks inside quoted fields */
};

static void lexer_init(struct lexer *lx, unsigned char delim, unsigned char quote)
{
    memset(lx->cls, 0, sizeof lx->cls);
    lx->cls[delim] = 1;
    lx->cls['\n'] = 1;
    lx->cls['\r'] = 1;
    lx->delim = delim;
    lx->quote = quote;
}

/* Physical line breaks in p[0..n): \r\n, \n and \r each count once. */
static int64_t count_breaks(const unsigned char *p, size_t n)
{
    int64_t k = 0;
    if (!memchr(p, '\n', n) && !memchr(p, '\r', n)) return 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n')
            k++;
        else if (p[i] == '\r' && (i + 1 >= n || p[i + 1] != '\n'))
            k++;
    }
    return k;
}

/*
 * Scans the record that starts at s[pos] (s[len] must be a '\n' sentinel). SCAN_MORE: the data
 * ends before the record does and more input may follow (eof == 0). SCAN_UNTERMINATED: the
 * input ends inside a quoted field. SCAN_OK: the fields are in fs and sc says where it ends.
 */
static int scan_record(const struct lexer *lx, const char *buf, size_t pos, size_t len, int eof,
                       struct fields *fs, struct scan *sc)
{
    const unsigned char *s = (const unsigned char *)buf;
    const unsigned char q = lx->quote;
    int64_t qlines = 0;
    size_t i = pos;

    fs->n = 0;
    for (;;) {
        if (fs->n == fs->cap) {
            fs->cap = fs->cap ? fs->cap * 2 : 64;
            fs->v = sl_xrealloc(fs->v, fs->cap * sizeof *fs->v);
        }
        struct field *f = &fs->v[fs->n++];
        if (q && s[i] == q) {
            size_t start = i + 1, j = start;
            unsigned fl = F_QUOTED;
            for (;;) {
                const unsigned char *e = memchr(s + j, q, len - j);
                if (!e) return eof ? SCAN_UNTERMINATED : SCAN_MORE;
                size_t k = (size_t)(e - s);
                if (k + 1 < len) {
                    if (s[k + 1] == q) {
                        fl |= F_ESC;
                        j = k + 2;
                        continue;
                    }
                } else if (!eof) {
                    return SCAN_MORE; /* a quote at the end: closing, or the first of "" */
                }
                qlines += count_breaks(s + start, k - start);
                f->start = start;
                f->end = k;
                i = k + 1;
                if (!lx->cls[s[i]]) {
                    fl |= F_TRAIL;
                    while (!lx->cls[s[i]]) i++;
                }
                f->tail = i;
                f->flags = fl;
                break;
            }
        } else {
            size_t j = i;
            while (!lx->cls[s[j]]) j++;
            f->start = i;
            f->end = f->tail = j;
            f->flags = 0;
            i = j;
        }
        if (i >= len) {
            if (!eof) return SCAN_MORE;
            sc->term = sc->next = len;
            sc->qlines = qlines;
            return SCAN_OK;
        }
        if (s[i] == lx->delim) {
            i++;
            continue;
        }
        sc->term = i;
        if (s[i] == '\r') {
            if (i + 1 >= len && !eof) return SCAN_MORE; /* \r\n may be split */
            i += (i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
        } else {
            i++;
        }
        sc->next = i;
        sc->qlines = qlines;
        return SCAN_OK;
    }
}

/* Turns a complete field into its value in place ("" -> ", trailing text appended); returns
 * the new length. Only shrinks, so the bytes after the field are untouched. */
static size_t unescape_field(char *s, const struct field *f, unsigned char q)
{
    if (!(f->flags & (F_ESC | F_TRAIL))) return f->end - f->start;
    char *w = s + f->start;
    for (size_t i = f->start; i < f->end; i++) {
        *w++ = s[i];
        if (s[i] == (char)q && (f->flags & F_ESC)) i++;
    }
    if (f->flags & F_TRAIL) {
        size_t n = f->tail - (f->end + 1);
        memmove(w, s + f->end + 1, n);
        w += n;
    }
    return (size_t)(w - (s + f->start));
}

/* ---- the reader ------------------------------------------------------------------------- */

struct csv_reader {
    struct sl_reader base;
    struct lexer lx;
    int enc;      /* SL_ENC_UTF8, SL_ENC_LATIN1 or SL_ENC_CP1252 */
    size_t width; /* cells a record should have (labels.n), 0 = not known */
    size_t chunk, max_record;
    int header_pending; /* the next record is the header: consume it without a row */
    int bom_pending;    /* the 3 BOM bytes are still to be read */
    int eof, skipping;
    int skip_state, skip_cr;
    struct sl_buf carry; /* the incomplete tail of the last batch */
    int64_t carry_off;   /* stream offset of carry's first byte */
    struct fields fields;
    struct sl_buf json; /* raw JSON of rows with escapes */
};

static ssize_t src_read(struct csv_reader *r, void *buf, size_t n, struct sl_error *err)
{
    return sl_stream_read(r->base.in, buf, n, err);
}

/* Reads up to want more bytes at the end of b->buf (less only at the end of the input). */
static int fill(struct csv_reader *r, struct sl_batch *b, size_t want, struct sl_error *err)
{
    sl_batch_reserve(b, b->len + want);
    size_t got = 0;
    while (got < want) {
        ssize_t n = src_read(r, b->buf + b->len, want - got, err);
        if (n < 0) return (int)n;
        if (n == 0) {
            r->eof = 1;
            break;
        }
        b->len += (size_t)n;
        got += (size_t)n;
    }
    return 0;
}

/* The label of column col copied into the batch (issues must not point into the reader,
 * which may be closed before a batch is written), or NULL. */
static const char *label_of(struct csv_reader *r, struct sl_batch *b, size_t col)
{
    if (col >= r->base.labels.n) return NULL;
    return sl_arena_strndup(&b->arena, r->base.labels.v[col], r->base.labels.lens[col]);
}

/* Sets raw to original record bytes that could not be parsed: text if it is UTF-8 (or can be
 * made UTF-8 from Latin-1), else bytes. Copied into the arena: the buffer may change. */
static void raw_original(struct csv_reader *r, struct sl_batch *b, struct sl_row *row,
                         const char *p, size_t n)
{
    if (!r->base.opts.want_raw) return;
    if (!sl_has_high_or_nul(p, n)) {
        row->raw = sl_arena_strndup(&b->arena, p, n);
        row->raw_len = n;
        row->raw_kind = SL_RAW_TEXT;
    } else if (memchr(p, 0, n) || (r->enc == SL_ENC_UTF8 && sl_utf8_valid_prefix(p, n) < n)) {
        char *o = sl_arena_alloc(&b->arena, n ? n : 1);
        memcpy(o, p, n);
        row->raw = o;
        row->raw_len = n;
        row->raw_kind = SL_RAW_BYTES;
    } else if (r->enc == SL_ENC_UTF8) {
        row->raw = sl_arena_strndup(&b->arena, p, n);
        row->raw_len = n;
        row->raw_kind = SL_RAW_TEXT;
    } else {
        char *o = sl_arena_alloc(&b->arena, 3 * n + 1);
        row->raw_len = sl_latin1_to_utf8(p, n, o, r->enc == SL_ENC_CP1252);
        o[row->raw_len] = 0;
        row->raw = o;
        row->raw_kind = SL_RAW_TEXT;
    }
}

static struct sl_row *new_row(struct csv_reader *r, struct sl_batch *b, int64_t line,
                              int64_t offset)
{
    struct sl_row *row = sl_batch_add_row(b);
    row->num = ++r->base.records;
    row->line = line;
    row->offset = offset;
    return row;
}

static void overflow_row(struct csv_reader *r, struct sl_batch *b, struct sl_row *row,
                         const char *p, size_t n)
{
    /* at most max_record bytes, so what is kept does not depend on how the input was read */
    size_t keep = n < RAW_PREFIX ? n : RAW_PREFIX;
    if (keep > r->max_record) keep = r->max_record;
    sl_row_issue(b, row, SL_ROW_INVALID, "format-error", NULL, NULL, 0,
                 "record is larger than the max_record_size limit of %zu bytes", r->max_record);
    raw_original(r, b, row, p, keep);
}

/* A JSON array of the row's cells as strings: what bronze keeps of a good CSV row. */
static void raw_json(struct csv_reader *r, struct sl_batch *b, struct sl_row *row)
{
    size_t need = 2, esc = 0;
    for (uint32_t i = 0; i < row->ncells; i++) {
        need += row->cells[i].len + 3;
        if (!esc && sl_json_needs_escape(row->cells[i].p, row->cells[i].len)) esc = 1;
    }
    row->raw_kind = SL_RAW_JSON;
    if (!esc) {
        char *o = sl_arena_alloc(&b->arena, need + 1), *w = o;
        *w++ = '[';
        for (uint32_t i = 0; i < row->ncells; i++) {
            if (i) *w++ = ',';
            *w++ = '"';
            memcpy(w, row->cells[i].p, row->cells[i].len);
            w += row->cells[i].len;
            *w++ = '"';
        }
        *w++ = ']';
        *w = 0;
        row->raw = o;
        row->raw_len = (size_t)(w - o);
        return;
    }
    sl_buf_reset(&r->json);
    sl_buf_addc(&r->json, '[');
    for (uint32_t i = 0; i < row->ncells; i++) {
        if (i) sl_buf_addc(&r->json, ',');
        sl_buf_json_str(&r->json, row->cells[i].p, row->cells[i].len);
    }
    sl_buf_addc(&r->json, ']');
    row->raw = sl_arena_strndup(&b->arena, r->json.p, r->json.len);
    row->raw_len = r->json.len;
}

/* Turns a scanned, complete record at b->buf[start] into a row (or consumes the header). */
static void emit_record(struct csv_reader *r, struct sl_batch *b, size_t start,
                        const struct scan *sc, int64_t off0)
{
    char *rec = b->buf + start;
    size_t rec_len = sc->term - start, nf = r->fields.n;
    int64_t line = r->base.lines + 1;
    int latin = 0;

    r->base.lines += 1 + sc->qlines;
    if (r->header_pending) {
        r->header_pending = 0;
        return;
    }
    struct sl_row *row = new_row(r, b, line, off0 + (int64_t)start);
    if (rec_len > r->max_record) {
        overflow_row(r, b, row, rec, rec_len);
        return;
    }
    if (sl_has_high_or_nul(rec, rec_len)) {
        if (memchr(rec, 0, rec_len)) {
            sl_row_issue(b, row, SL_ROW_INVALID, "encoding-error", NULL, NULL, 0,
                         "NUL byte in the record");
            raw_original(r, b, row, rec, rec_len);
            return;
        }
        if (r->enc == SL_ENC_UTF8) {
            size_t k = sl_utf8_valid_prefix(rec, rec_len);
            if (k < rec_len) {
                r->base.utf8_invalid++;
                sl_row_issue(b, row, SL_ROW_INVALID, "encoding-error", NULL, NULL, 0,
                             "invalid UTF-8 at byte %zu of the record", k + 1);
                raw_original(r, b, row, rec, rec_len);
                return;
            }
            r->base.utf8_multibyte++;
        } else {
            latin = 1;
        }
    }

    /* a quoted cell is a value even when empty: "" on its own line is a row of one empty
     * string, only unquoted emptiness is a blank row */
    int blank = 1;
    for (size_t i = 0; i < nf && blank; i++)
        if ((r->fields.v[i].flags & F_QUOTED) || r->fields.v[i].tail != r->fields.v[i].start)
            blank = 0;
    int bad_shape = blank || (r->width && nf != r->width);
    if (bad_shape) raw_original(r, b, row, rec, rec_len); /* before unescaping changes it */

    struct sl_cell *cells = sl_arena_alloc(&b->arena, nf * sizeof *cells);
    for (size_t i = 0; i < nf; i++) {
        const struct field *f = &r->fields.v[i];
        struct sl_cell *c = &cells[i];
        size_t n = unescape_field(b->buf, f, r->lx.quote);
        c->p = b->buf + f->start;
        c->kind = SL_CELL_STRING;
        c->flags = (f->flags & F_QUOTED) ? SL_CELL_QUOTED : 0;
        c->pad = 0;
        c->col = (uint32_t)i;
        if (latin && sl_has_high_or_nul(c->p, n)) {
            char *o = sl_arena_alloc(&b->arena, 3 * n);
            n = sl_latin1_to_utf8(c->p, n, o, r->enc == SL_ENC_CP1252);
            c->p = o;
        }
        c->len = (uint32_t)n;
    }
    row->cells = cells;
    row->ncells = (uint32_t)nf;

    if (blank) {
        sl_row_issue(b, row, SL_ROW_INVALID, "blank-row", NULL, NULL, 0, "the row is blank");
    } else if (r->width && nf < r->width) {
        for (size_t i = nf; i < r->width; i++)
            sl_row_issue(b, row, SL_ROW_INVALID, "missing-cell", label_of(r, b, i), NULL, 0,
                         "the row has %zu cells, the header %zu: no cell for column %zu", nf,
                         r->width, i + 1);
    } else if (r->width && nf > r->width) {
        for (size_t i = r->width; i < nf; i++)
            sl_row_issue(b, row, SL_ROW_INVALID, "extra-cell", NULL, cells[i].p, cells[i].len,
                         "the row has %zu cells, the header %zu: extra cell in column %zu", nf,
                         r->width, i + 1);
    }
    for (size_t i = 0; i < nf; i++)
        if (r->fields.v[i].flags & F_TRAIL)
            sl_row_issue(b, row, SL_ROW_WARNING, "format-error", label_of(r, b, i), cells[i].p,
                         cells[i].len, "text after the closing quote");
    if (!bad_shape && r->base.opts.want_raw) raw_json(r, b, row);
}

/* The input ends inside a quoted field that starts at b->buf[start]: the record is invalid,
 * and parsing goes on after its first physical line, so later good rows survive. */
static size_t emit_unterminated(struct csv_reader *r, struct sl_batch *b, size_t start,
                                int64_t off0)
{
    const char *s = b->buf;
    size_t e = start;
    while (e < b->len && s[e] != '\n' && s[e] != '\r') e++;
    size_t next = e;
    if (next < b->len)
        next += (s[next] == '\r' && next + 1 < b->len && s[next + 1] == '\n') ? 2 : 1;
    int64_t line = r->base.lines + 1;
    r->base.lines++;
    if (r->header_pending) {
        r->header_pending = 0;
        return next;
    }
    struct sl_row *row = new_row(r, b, line, off0 + (int64_t)start);
    sl_row_issue(b, row, SL_ROW_INVALID, "format-error", NULL, NULL, 0,
                 "unterminated quoted field starting at line %lld", (long long)line);
    raw_original(r, b, row, s + start, e - start);
    return next;
}

enum { SK_START, SK_UNQUOTED, SK_QUOTED, SK_QUOTE, SK_CR };

/*
 * Skips the rest of a record over max_record, tracking quotes so that a newline inside a quoted
 * field does not end it. Returns 1 with *pos after the record's end, 0 when s[*pos..len) ends
 * first (the state is kept for the next buffer).
 */
static int skip_record(struct csv_reader *r, const char *buf, size_t len, size_t *pos)
{
    const unsigned char *s = (const unsigned char *)buf;
    const unsigned char q = r->lx.quote, d = r->lx.delim;
    int st = r->skip_state;

    for (size_t i = *pos; i < len; i++) {
        unsigned char c = s[i];
        switch (st) {
        case SK_CR:
            r->base.lines++;
            *pos = c == '\n' ? i + 1 : i;
            return 1;
        case SK_START:
        case SK_UNQUOTED:
        case SK_QUOTE:
            if (q && c == q && st != SK_UNQUOTED) {
                st = SK_QUOTED; /* an opening quote, or the second of "" */
            } else if (c == d) {
                st = SK_START;
            } else if (c == '\n') {
                r->base.lines++;
                *pos = i + 1;
                return 1;
            } else if (c == '\r') {
                st = SK_CR;
            } else {
                st = SK_UNQUOTED;
            }
            break;
        case SK_QUOTED:
            if (c == q) {
                st = SK_QUOTE;
            } else if (c == '\n') {
                if (!r->skip_cr) r->base.lines++;
            } else if (c == '\r') {
                r->base.lines++;
            }
            r->skip_cr = c == '\r';
            break;
        }
        r->skip_state = st;
    }
    r->skip_state = st;
    return 0;
}

/* A record at b->buf[start] is over max_record: an invalid row, then skip_record skips it. */
static void start_skip(struct csv_reader *r, struct sl_batch *b, size_t start, int64_t off0)
{
    if (r->header_pending) {
        r->header_pending = 0;
    } else {
        struct sl_row *row = new_row(r, b, r->base.lines + 1, off0 + (int64_t)start);
        overflow_row(r, b, row, b->buf + start, b->len - start);
    }
    r->skipping = 1;
    r->skip_state = SK_START;
    r->skip_cr = 0;
}

/* Parses the complete records in b->buf from *pos; *pos ends at the incomplete tail. */
static void parse_records(struct csv_reader *r, struct sl_batch *b, size_t *pos, int64_t off0)
{
    size_t p = *pos;
    /* rows per batch are bounded too, not only bytes: a million blank lines are a million
     * rows in a few bytes each */
    while (p < b->len && b->nrows < BATCH_ROWS) {
        struct scan sc;
        int st = scan_record(&r->lx, b->buf, p, b->len, r->eof, &r->fields, &sc);
        if (st == SCAN_MORE) break;
        if (st == SCAN_UNTERMINATED && b->len - p > r->max_record) {
            /* what a reader with a smaller chunk sees too: a record over the limit, skipped
             * (with its quotes) to the end of the input */
            start_skip(r, b, p, off0);
            skip_record(r, b->buf, b->len, &p);
            r->skipping = 0;
            r->base.lines++;
            p = b->len;
            continue;
        }
        if (st == SCAN_UNTERMINATED) {
            p = emit_unterminated(r, b, p, off0);
            continue;
        }
        emit_record(r, b, p, &sc, off0);
        p = sc.next;
    }
    *pos = p;
}

static int csv_next(struct sl_reader *base, struct sl_batch *b, struct sl_error *err)
{
    struct csv_reader *r = (struct csv_reader *)base;
    size_t pos = 0, want = r->chunk;
    int64_t off0;
    int rc;

    if (r->bom_pending) {
        char bom[3];
        size_t got = 0;
        while (got < 3) {
            ssize_t n = src_read(r, bom + got, 3 - got, err);
            if (n < 0) return (int)n;
            if (n == 0) break;
            got += (size_t)n;
        }
        r->bom_pending = 0;
        r->carry_off = (int64_t)got;
    }
    off0 = r->carry_off;
    sl_batch_reserve(b, r->carry.len + want);
    if (r->carry.len) memcpy(b->buf, r->carry.p, r->carry.len);
    b->len = r->carry.len;
    r->carry.len = 0;

    for (;;) {
        if (!r->eof) {
            rc = fill(r, b, want, err);
            if (rc < 0) return rc;
        }
        b->buf[b->len] = '\n'; /* the sentinel */
        if (r->skipping) {
            if (!skip_record(r, b->buf, b->len, &pos)) {
                /* nothing in the buffer is kept: the only row's raw is in the arena */
                off0 += (int64_t)b->len;
                b->len = pos = 0;
                want = r->chunk;
                if (r->eof) {
                    r->skipping = 0;
                    r->base.lines++;
                    break;
                }
                continue;
            }
            r->skipping = 0;
        }
        parse_records(r, b, &pos, off0);
        if (b->nrows > 0 || r->eof) break;

        /* No complete record yet: read more, doubling, up to max_record. */
        size_t tail = b->len - pos;
        if (tail > r->max_record && !(tail == r->max_record + 1 && b->buf[b->len - 1] == '\r')) {
            start_skip(r, b, pos, off0);
            want = r->chunk;
            continue;
        }
        want = b->len > r->chunk ? b->len : r->chunk;
        if (want > r->max_record + 1 - tail) want = r->max_record + 1 - tail;
        if (want < r->chunk) want = r->chunk;
    }
    sl_buf_add(&r->carry, b->buf + pos, b->len - pos);
    r->carry_off = off0 + (int64_t)pos;
    b->in_bytes = sl_stream_raw_bytes(r->base.in);
    b->out_bytes = r->carry_off;
    return b->nrows > 0;
}

static void csv_close(struct sl_reader *base)
{
    struct csv_reader *r = (struct csv_reader *)base;
    if (!r) return;
    sl_labels_free(&r->base.labels);
    sl_buf_free(&r->carry);
    sl_buf_free(&r->json);
    free(r->fields.v);
    free(r);
}

/* ---- sniffing --------------------------------------------------------------------------- */

/* A private copy of the head with the sentinel the scanner needs. */
struct head {
    char *s;
    size_t n;
    int complete; /* the whole input is in the head */
};

static void head_init(struct head *h, const char *p, size_t n, int complete)
{
    h->s = sl_xmalloc(n + 1);
    memcpy(h->s, p, n);
    h->s[n] = '\n';
    h->n = n;
    h->complete = complete;
}

static int is_temporal(const char *p, size_t n);
static int is_url_or_path(const char *p, size_t n);

/* How delimiter d splits the head's first records. Blank lines do not vote. */
struct delim_stats {
    double score; /* how consistent the rows' field count is (0..1) */
    size_t mode;  /* the rows' most common field count */
    size_t first; /* field count of the first record (the header, if there is one) */
    int temporal; /* every record it splits is, read whole, a date, a time or a datetime (or,
                     for ':', a URL or a Windows path) */
};

static void delim_score(const struct head *h, unsigned char d, unsigned char q,
                        struct delim_stats *st)
{
    struct lexer lx;
    struct fields fs = {0};
    size_t counts[SNIFF_RECORDS], nrec = 0, pos = 0, split = 0, temporal = 0;

    lexer_init(&lx, d, q);
    while (pos < h->n && nrec < SNIFF_RECORDS) {
        struct scan sc;
        size_t start = pos;
        if (scan_record(&lx, h->s, pos, h->n, h->complete, &fs, &sc) != SCAN_OK) break;
        pos = sc.next;
        if (fs.n == 1 && fs.v[0].tail == fs.v[0].start) continue;
        if (fs.n > 1) {
            split++;
            temporal += is_temporal(h->s + start, sc.term - start) ||
                        (d == ':' && is_url_or_path(h->s + start, sc.term - start));
        }
        counts[nrec++] = fs.n;
    }
    free(fs.v);
    memset(st, 0, sizeof *st);
    if (!nrec) return;
    st->first = counts[0];
    st->temporal = split && temporal == split;
    /* the rows vote, the first record (maybe a header) only when it is alone */
    size_t from = nrec > 1, best = 0;
    for (size_t i = from; i < nrec; i++) {
        size_t k = 0;
        for (size_t j = from; j < nrec; j++) k += counts[j] == counts[i];
        if (k > best || (k == best && counts[i] > st->mode)) {
            best = k;
            st->mode = counts[i];
        }
    }
    st->score = (double)best / (double)(nrec - from);
}

static const unsigned char delim_candidates[] = {',', '\t', ';', '|', ':'};

/*
 * The first line of the head split at runs of blanks (spaces, tabs), or with two_spaces at runs
 * of two or more spaces or any tab (so "Temp C   Humidity %" is two names). Surrounding double
 * quotes are taken off each name. Returns how many names; pushes them to out when not NULL.
 */
static size_t ws_split(const struct head *h, int two_spaces, struct sl_labels *out)
{
    size_t i = 0, n = 0, e = 0;
    while (e < h->n && h->s[e] != '\n' && h->s[e] != '\r') e++;
    for (;;) {
        while (i < e && (h->s[i] == ' ' || h->s[i] == '\t')) i++;
        if (i >= e) break;
        size_t start = i, end = i;
        while (i < e) {
            if (h->s[i] == '\t') break;
            if (h->s[i] == ' ' &&
                (!two_spaces || (i + 1 < e && (h->s[i + 1] == ' ' || h->s[i + 1] == '\t')) ||
                 i + 1 == e))
                break;
            end = ++i;
        }
        if (out) {
            size_t a = start, b = end;
            if (b - a >= 2 && h->s[a] == '"' && h->s[b - 1] == '"') a++, b--;
            sl_labels_push(out, h->s + a, b - a);
        }
        n++;
    }
    return n;
}

/* 1 or 2 (the two_spaces argument of ws_split, plus one) when the head's first line, which d
 * does not split, names as many columns split at blanks as d splits the rows into: a header
 * aligned with spaces over rows separated by tabs, as instrument exports write them. */
static int ws_header(const struct head *h, const struct delim_stats *st)
{
    if (st->first != 1 || st->mode < 2 || st->score < 0.8) return 0;
    if (ws_split(h, 0, NULL) == st->mode) return 1;
    if (ws_split(h, 1, NULL) == st->mode) return 2;
    return 0;
}

/*
 * The delimiter whose field count is the most consistent and above 1; ',' (one column) when
 * none is. A delimiter must split the first record too: a header without it is the header of
 * a single column whose values hold it (timestamps split at ':'). Nor may it split values that
 * are dates or times whole ("10:00:00" in a file without a header). A delimiter whose header
 * has another field count than the rows is taken only when no consistent one exists. Tab is
 * the exception to the first rule: a header aligned with blanks over tab-separated rows is
 * read (see ws_header), and one that cannot be is reported rather than read as one column.
 */
static unsigned char sniff_delimiter(const struct head *h, unsigned char q, double *score)
{
    unsigned char best = ',';
    double best_score = -1;
    int best_consistent = 0;
    for (size_t i = 0; i < sizeof delim_candidates; i++) {
        unsigned char d = delim_candidates[i];
        struct delim_stats st;
        delim_score(h, d, q, &st);
        if (st.mode <= 1 || st.temporal || (st.first <= 1 && d != '\t')) continue;
        int consistent = st.first == st.mode || ws_header(h, &st);
        /* a header split otherwise than the rows: only rows split alike make it a delimiter */
        if (!consistent && st.score < 0.8) continue;
        if (consistent > best_consistent ||
            (consistent == best_consistent && st.score > best_score)) {
            best_score = st.score;
            best = d;
            best_consistent = consistent;
        }
    }
    if (score) *score = best_score;
    return best;
}

/* "'" only when many fields are wrapped in ' and none start with ". */
static unsigned char sniff_quote(const struct head *h, unsigned char d)
{
    struct lexer lx;
    struct fields fs = {0};
    size_t pos = 0, nrec = 0, cells = 0, sq = 0, dq = 0;

    lexer_init(&lx, d, 0);
    while (pos < h->n && nrec < SNIFF_RECORDS) {
        struct scan sc;
        if (scan_record(&lx, h->s, pos, h->n, h->complete, &fs, &sc) != SCAN_OK) break;
        pos = sc.next;
        nrec++;
        for (size_t i = 0; i < fs.n; i++) {
            const char *p = h->s + fs.v[i].start;
            size_t n = fs.v[i].end - fs.v[i].start;
            if (!n) continue;
            cells++;
            if (p[0] == '"') dq++;
            if (n >= 2 && p[0] == '\'' && p[n - 1] == '\'') sq++;
        }
    }
    free(fs.v);
    return (sq >= 2 && sq * 5 >= cells && !dq) ? '\'' : '"';
}

static int sniff_encoding(const unsigned char *s, size_t n, int complete)
{
    size_t mb = 0, bad = 0, c1 = 0, i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c < 0xa0) c1++;
        size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
        if (i + len > n && !complete) break; /* cut by the end of the head */
        if (i + len <= n && sl_utf8_valid_prefix((const char *)s + i, len) == len) {
            mb++;
            i += len;
        } else {
            bad++;
            i++;
        }
    }
    if (!bad || mb) return SL_ENC_UTF8;
    return c1 ? SL_ENC_CP1252 : SL_ENC_LATIN1;
}

enum { T_NONE, T_STR, T_INT, T_NUM, T_DATE, T_BOOL };

static int digits(const char *p, size_t n, size_t *i, size_t min, size_t max)
{
    size_t k = 0;
    while (*i < n && k < max && p[*i] >= '0' && p[*i] <= '9') (*i)++, k++;
    return k >= min;
}

static int is_date(const char *p, size_t n)
{
    size_t i = 0;
    if (n >= 10 && p[4] == '-') { /* 2026-11-01, optionally with a time and zone */
        if (!digits(p, n, &i, 4, 4) || p[i++] != '-' || !digits(p, n, &i, 2, 2) || p[i++] != '-' ||
            !digits(p, n, &i, 2, 2))
            return 0;
        if (i == n) return 1;
        if (p[i] != 'T' && p[i] != ' ') return 0;
        i++;
        if (!digits(p, n, &i, 2, 2) || i >= n || p[i++] != ':' || !digits(p, n, &i, 2, 2)) return 0;
        if (i < n && p[i] == ':') {
            i++;
            if (!digits(p, n, &i, 2, 2)) return 0;
            if (i < n && (p[i] == '.' || p[i] == ',')) {
                i++;
                if (!digits(p, n, &i, 1, 9)) return 0;
            }
        }
        if (i < n && p[i] == 'Z')
            i++;
        else if (i < n && (p[i] == '+' || p[i] == '-')) {
            i++;
            if (!digits(p, n, &i, 2, 2)) return 0;
            if (i < n && p[i] == ':') i++;
            digits(p, n, &i, 0, 2);
        }
        return i == n;
    }
    /* 01/11/2026, 1/11/2026, 2026/11/01 */
    if (!digits(p, n, &i, 1, 4)) return 0;
    size_t first = i;
    if (i >= n || p[i++] != '/' || !digits(p, n, &i, 1, 2) || i >= n || p[i++] != '/') return 0;
    size_t y0 = i;
    if (!digits(p, n, &i, first == 4 ? 1 : 4, first == 4 ? 2 : 4)) return 0;
    return i == n && (first == 4 || i - y0 == 4);
}

/* 9:30, 09:30:15, 09:30:15.250, optionally followed by am/pm. */
static int is_time(const char *p, size_t n)
{
    size_t i = 0;
    if (!digits(p, n, &i, 1, 2) || i >= n || p[i++] != ':' || !digits(p, n, &i, 2, 2)) return 0;
    if (i < n && p[i] == ':') {
        i++;
        if (!digits(p, n, &i, 2, 2)) return 0;
        if (i < n && (p[i] == '.' || p[i] == ',')) {
            i++;
            if (!digits(p, n, &i, 1, 9)) return 0;
        }
    }
    if (i < n && p[i] == ' ') i++;
    if (i + 2 == n && (p[i] == 'a' || p[i] == 'A' || p[i] == 'p' || p[i] == 'P') &&
        (p[i + 1] == 'm' || p[i + 1] == 'M'))
        i += 2;
    return i == n;
}

/* A date, a time or a datetime (01/11/2026 10:00 too), spaces and quotes around it ignored. */
static int is_temporal(const char *p, size_t n)
{
    while (n && (*p == ' ' || *p == '\t' || *p == '"')) p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '"')) n--;
    if (!n) return 0;
    if (is_date(p, n) || is_time(p, n)) return 1;
    const char *sp = memchr(p, ' ', n);
    if (!sp) sp = memchr(p, 'T', n);
    return sp && is_date(p, (size_t)(sp - p)) && is_time(sp + 1, n - (size_t)(sp - p) - 1);
}

/* A URL (scheme://..., ports and all) or a Windows path (C:\dir), with no blank or quote
 * inside: the ':' in a single column of them is part of the values, not a delimiter. */
static int is_url_or_path(const char *p, size_t n)
{
    while (n && (*p == ' ' || *p == '\t' || *p == '"')) p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '"')) n--;
    for (size_t j = 0; j < n; j++)
        if (p[j] == ' ' || p[j] == '\t' || p[j] == '"' || p[j] == ',' || p[j] == ';') return 0;
    if (n >= 3 && isalpha((unsigned char)p[0]) && p[1] == ':' && (p[2] == '\\' || p[2] == '/'))
        return 1;
    size_t i = 0;
    if (!n || !isalpha((unsigned char)p[0])) return 0;
    while (i < n && (isalnum((unsigned char)p[i]) || p[i] == '+' || p[i] == '.' || p[i] == '-'))
        i++;
    return i + 3 < n && p[i] == ':' && p[i + 1] == '/' && p[i + 2] == '/';
}

/* What a cell of the head looks like, for the header decision. */
static int classify(const char *p, size_t n)
{
    while (n && (*p == ' ' || *p == '\t')) p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
    if (!n) return T_NONE;
    if ((n == 4 && !strncasecmp(p, "true", 4)) || (n == 5 && !strncasecmp(p, "false", 5)) ||
        (n == 3 && !strncasecmp(p, "yes", 3)) || (n == 2 && !strncasecmp(p, "no", 2)))
        return T_BOOL;
    size_t i = 0, nd = 0;
    int num = T_INT;
    if (p[i] == '+' || p[i] == '-') i++;
    while (i < n && p[i] >= '0' && p[i] <= '9') i++, nd++;
    if (i < n && p[i] == '.') {
        num = T_NUM;
        i++;
        while (i < n && p[i] >= '0' && p[i] <= '9') i++, nd++;
    }
    if (nd && i < n && (p[i] == 'e' || p[i] == 'E')) {
        size_t e = i + 1;
        if (e < n && (p[e] == '+' || p[e] == '-')) e++;
        size_t e0 = e;
        while (e < n && p[e] >= '0' && p[e] <= '9') e++;
        if (e > e0) i = e, num = T_NUM;
    }
    if (nd && i == n) return num;
    if (is_temporal(p, n)) return T_DATE;
    return T_STR;
}

/* The records of the head with the final dialect, cells unescaped in the head copy. */
struct head_rows {
    struct sl_cell *cells;
    size_t ncells, cap;
    size_t rec_first[SNIFF_RECORDS + 1];
    size_t nrec;
    size_t widest; /* over every complete record of the head, not just the first ones */
};

static void head_rows(struct head *h, const struct lexer *lx, struct head_rows *t)
{
    struct fields fs = {0};
    size_t pos = 0;

    memset(t, 0, sizeof *t);
    while (pos < h->n) {
        struct scan sc;
        if (scan_record(lx, h->s, pos, h->n, h->complete, &fs, &sc) != SCAN_OK) break;
        pos = sc.next;
        if (fs.n > t->widest) t->widest = fs.n;
        if (t->nrec == SNIFF_RECORDS) continue;
        if (t->nrec && fs.n == 1 && fs.v[0].tail == fs.v[0].start) continue; /* blank line */
        t->rec_first[t->nrec++] = t->ncells;
        for (size_t i = 0; i < fs.n; i++) {
            if (t->ncells == t->cap) {
                t->cap = t->cap ? t->cap * 2 : 256;
                t->cells = sl_xrealloc(t->cells, t->cap * sizeof *t->cells);
            }
            struct sl_cell *c = &t->cells[t->ncells++];
            size_t n = unescape_field(h->s, &fs.v[i], lx->quote);
            c->p = h->s + fs.v[i].start;
            c->len = (uint32_t)n;
        }
    }
    t->rec_first[t->nrec] = t->ncells;
    free(fs.v);
}

/* The first row is the header unless some typed column has a first-row cell of its type. */
static int sniff_header(const struct head_rows *t)
{
    if (t->nrec < 2) return 1;
    size_t w = t->rec_first[1] - t->rec_first[0];
    for (size_t col = 0; col < w; col++) {
        int type = T_NONE;
        for (size_t r = 1; r < t->nrec && type != T_STR; r++) {
            if (t->rec_first[r] + col >= t->rec_first[r + 1]) continue;
            const struct sl_cell *c = &t->cells[t->rec_first[r] + col];
            int k = classify(c->p, c->len);
            if (k == T_NONE || k == type) continue;
            if (type == T_NONE)
                type = k;
            else if ((type == T_INT && k == T_NUM) || (type == T_NUM && k == T_INT))
                type = T_NUM;
            else
                type = T_STR;
        }
        if (type == T_NONE || type == T_STR) continue;
        const struct sl_cell *c0 = &t->cells[t->rec_first[0] + col];
        int k0 = classify(c0->p, c0->len);
        if (k0 == type || ((type == T_INT || type == T_NUM) && (k0 == T_INT || k0 == T_NUM)))
            return 0;
    }
    return 1;
}

/* ---- open ------------------------------------------------------------------------------- */

/* Fields of the first line of s[0..n) split at d, quotes q (0 = none) taken into account: a
 * cheap bound that refuses a hostile header before the sniffers and the head parse, which
 * hold every cell of it, ever see it. */
static size_t first_line_fields(const char *s, size_t n, unsigned char d, unsigned char q)
{
    size_t fields = 1;
    int quoted = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (q && c == q)
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == d)
            fields++;
        else if (c == '\n' || c == '\r')
            break;
    }
    return fields;
}

static int too_many_columns(size_t n, size_t max, struct sl_error *err)
{
    return sl_error_set(err, SL_ELIMIT,
                        "%zu columns; at most %zu are read (max_columns, --max-columns)", n, max);
}

/* A header name, made UTF-8 when the input is Latin-1 or Windows-1252. */
static void push_label(struct csv_reader *r, const char *p, size_t n)
{
    if (r->enc != SL_ENC_UTF8 && sl_has_high_or_nul(p, n)) {
        char *tmp = sl_xmalloc(3 * n + 1);
        size_t k = sl_latin1_to_utf8(p, n, tmp, r->enc == SL_ENC_CP1252);
        sl_labels_push(&r->base.labels, tmp, k);
        free(tmp);
    } else {
        sl_labels_push(&r->base.labels, p, n);
    }
}

static int csv_open_as(const struct sl_format *fmt, struct sl_stream *in,
                       const struct sl_format_opts *o, struct sl_reader **out, struct sl_error *err)
{
    struct csv_reader *r = sl_xcalloc(1, sizeof *r);
    struct head h = {0};
    struct head_rows t = {0};
    const char *p = NULL;
    int rc = 0;

    *out = NULL;
    r->base.format = fmt;
    r->base.in = in;
    if (o) {
        r->base.opts = *o;
    } else {
        r->base.opts.quote = -1;
        r->base.opts.header = -1;
    }
    sl_labels_init(&r->base.labels);
    const struct sl_format_opts *opts = &r->base.opts;
    struct sl_dialect *dl = &r->base.dialect;

    /* The head must hold the first line whole (a wide header can be longer than HEAD_MAX):
     * look further, up to max_record, or the header would be read as a record of no columns. */
    size_t window = HEAD_MAX, limit = opts->max_record ? opts->max_record : SL_DEFAULT_MAX_RECORD;
    ssize_t n;
    for (;;) {
        n = sl_stream_peek(in, window, &p, err);
        if (n < 0) {
            rc = (int)n;
            goto out;
        }
        if ((size_t)n < window || window > limit || memchr(p, '\n', (size_t)n) ||
            memchr(p, '\r', (size_t)n))
            break;
        window = window * 4 > limit ? limit + 1 : window * 4;
    }
    size_t skip = 0;
    if (n >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) {
        skip = 3;
        dl->bom = 1;
        r->bom_pending = 1;
    }
    head_init(&h, p + skip, (size_t)n - skip, (size_t)n < window);

    /* newline: the first one seen */
    strcpy(dl->newline, "\n");
    for (size_t i = 0; i < h.n; i++) {
        if (h.s[i] == '\n') break;
        if (h.s[i] == '\r') {
            strcpy(dl->newline, i + 1 < h.n && h.s[i + 1] == '\n' ? "\r\n" : "\r");
            break;
        }
    }

    if (opts->encoding != SL_ENC_AUTO)
        r->enc = opts->encoding;
    else if (dl->bom)
        r->enc = SL_ENC_UTF8;
    else
        r->enc = sniff_encoding((const unsigned char *)h.s, h.n, h.complete);
    dl->encoding = r->enc;

    unsigned char quote = '"', delim;
    int sniff_d = !opts->delimiter && fmt != &sl_format_tsv;
    size_t max_cols = opts->max_columns ? opts->max_columns : SL_DEFAULT_MAX_COLUMNS;
    delim = opts->delimiter ? (unsigned char)opts->delimiter : fmt == &sl_format_tsv ? '\t' : 0;
    if (opts->quote >= 0) quote = (unsigned char)opts->quote;
    for (size_t i = 0; i < (sniff_d ? sizeof delim_candidates : 1); i++) {
        size_t k = first_line_fields(h.s, h.n, sniff_d ? delim_candidates[i] : delim, quote);
        if (k > max_cols) {
            rc = too_many_columns(k, max_cols, err);
            goto out;
        }
    }
    if (sniff_d) delim = sniff_delimiter(&h, quote ? quote : 0, NULL);
    if (opts->quote < 0) {
        quote = sniff_quote(&h, delim);
        if (quote == '\'' && sniff_d) delim = sniff_delimiter(&h, quote, NULL);
    }
    lexer_init(&r->lx, delim, quote);
    dl->delimiter = (char)delim;
    dl->quote = (char)quote;

    head_rows(&h, &r->lx, &t);
    dl->header = opts->header >= 0 ? opts->header != 0 : sniff_header(&t);
    if (dl->header ? t.nrec && t.rec_first[1] - t.rec_first[0] > max_cols : t.widest > max_cols) {
        rc = too_many_columns(dl->header ? t.rec_first[1] - t.rec_first[0] : t.widest, max_cols,
                              err);
        goto out;
    }
    struct delim_stats st;
    delim_score(&h, delim, quote, &st);
    int ws = dl->header && opts->header != 0 && delim == '\t' ? ws_header(&h, &st) : 0;
    if (ws && st.mode > max_cols) {
        rc = too_many_columns(st.mode, max_cols, err);
        goto out;
    }
    if (!ws && dl->header && st.first == 1 && st.mode > 1 && st.score >= 0.8)
        snprintf(r->base.hint, sizeof r->base.hint,
                 "the header has 1 column but the rows have %zu, separated by %s: is the header "
                 "separated differently (spaces?) or missing?",
                 st.mode, delim == '\t' ? "tabs" : "the delimiter");
    if (ws) {
        /* a header aligned with blanks over tab-separated rows: its names split at blanks */
        struct sl_labels names;
        sl_labels_init(&names);
        dl->header_split = ws == 1 ? "blanks" : "two-spaces";
        ws_split(&h, ws == 2, &names);
        for (size_t i = 0; i < names.n; i++) push_label(r, names.v[i], names.lens[i]);
        sl_labels_free(&names);
        r->header_pending = t.nrec > 0;
    } else if (dl->header) {
        size_t n0 = t.nrec ? t.rec_first[1] - t.rec_first[0] : 0;
        for (size_t i = 0; i < n0; i++) push_label(r, t.cells[i].p, t.cells[i].len);
        r->header_pending = t.nrec > 0;
    } else {
        for (size_t i = 0; i < t.widest; i++) {
            char name[32];
            int k = snprintf(name, sizeof name, "field_%zu", i + 1);
            sl_labels_push(&r->base.labels, name, (size_t)k);
        }
    }
    r->width = r->base.labels.n;
    r->chunk = opts->chunk ? opts->chunk : SL_DEFAULT_CHUNK;
    r->max_record = opts->max_record ? opts->max_record : SL_DEFAULT_MAX_RECORD;
    *out = &r->base;
    r = NULL;
out:
    free(t.cells);
    free(h.s);
    if (r) csv_close(&r->base);
    return rc;
}

static int csv_open(struct sl_stream *in, const struct sl_format_opts *o, struct sl_reader **out,
                    struct sl_error *err)
{
    return csv_open_as(&sl_format_csv, in, o, out, err);
}

static int tsv_open(struct sl_stream *in, const struct sl_format_opts *o, struct sl_reader **out,
                    struct sl_error *err)
{
    return csv_open_as(&sl_format_tsv, in, o, out, err);
}

/* How CSV-like the head is: a consistent delimiter other than tab scores high. */
static int sniff_common(const char *p, size_t len, int want_tab)
{
    size_t i = 0;
    if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) i = 3;
    while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) i++;
    if (i == len) return want_tab ? 0 : 10;
    if (p[i] == '{' || p[i] == '[') return want_tab ? 0 : 5;
    struct head h;
    double score;
    head_init(&h, p + i, len - i, len < HEAD_MAX);
    unsigned char d = sniff_delimiter(&h, '"', &score);
    free(h.s);
    if (score < 0) return want_tab ? 0 : 30; /* one column */
    if ((d == '\t') != want_tab) return want_tab ? 0 : 40;
    return 50 + (int)(45 * score);
}

static int csv_sniff(const char *head, size_t len)
{
    return sniff_common(head, len, 0);
}

static int tsv_sniff(const char *head, size_t len)
{
    return sniff_common(head, len, 1);
}

const struct sl_format sl_format_csv = {"csv", csv_sniff, csv_open, csv_next, csv_close};
const struct sl_format sl_format_tsv = {"tsv", tsv_sniff, tsv_open, csv_next, csv_close};
