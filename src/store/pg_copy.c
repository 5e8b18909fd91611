/*
 * The PostgreSQL store's COPY encoders (pg_internal.h): bronze rows and silver rows in COPY's
 * binary format, silver in COPY's text format when a value cannot be said in binary, what
 * PostgreSQL's text and jsonb can hold (U+0000, lone surrogates, jsonb's size limit), and source
 * timestamps as timestamptz with the month of their partition. Nothing here talks to the server.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/time.h"
#include "catalog.h"
#include "pg_internal.h"

/* ---- COPY text format ---------------------------------------------------------------------- */

static void copy_text(struct sl_buf *b, const char *p, size_t n)
{
    size_t start = 0;
    sl_buf_grow(b, n + 8);
    for (size_t i = 0; i < n; i++) {
        char e;
        switch (p[i]) {
        case '\\': e = '\\'; break;
        case '\t': e = 't'; break;
        case '\n': e = 'n'; break;
        case '\r': e = 'r'; break;
        default: continue;
        }
        sl_buf_add(b, p + start, i - start);
        sl_buf_addc(b, '\\');
        sl_buf_addc(b, e);
        start = i + 1;
    }
    sl_buf_add(b, p + start, n - start);
}

/* The 4 hex digits of a \u escape (of JSON that parsed: they are hex digits). */
static unsigned hex4(const char *p)
{
    return (unsigned)(unhex(p[0]) << 12 | unhex(p[1]) << 8 | unhex(p[2]) << 4 | unhex(p[3]));
}

/* The escapes in JSON text p that PostgreSQL's jsonb cannot hold: \u0000 and a UTF-16
 * surrogate without its other half (a pair is fine). Counts them; out (if not NULL) gets the
 * text with \ufffd in their place. */
static int64_t jsonb_unsafe(const char *p, size_t n, struct sl_buf *out)
{
    int64_t bad = 0;
    size_t i = 0, from = 0;

    while (i < n) {
        const char *e = memchr(p + i, '\\', n - i);
        if (!e || (size_t)(e - p) + 1 >= n) break;
        i = (size_t)(e - p);
        size_t len = 2; /* the escape */
        int ok = 1;
        unsigned u = 0x10000; /* not a \u escape */
        if (p[i + 1] == 'u' && i + 6 <= n) {
            u = hex4(p + i + 2);
            len = 6;
            ok = u != 0;
        }
        if (u >= 0xD800 && u <= 0xDBFF) {
            unsigned lo = i + 12 <= n && p[i + 6] == '\\' && p[i + 7] == 'u' ? hex4(p + i + 8) : 0;
            ok = lo >= 0xDC00 && lo <= 0xDFFF;
            len = ok ? 12 : 6;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            ok = 0;
        }
        if (!ok) {
            bad++;
            if (out) {
                sl_buf_add(out, p + from, i - from);
                sl_buf_adds(out, "\\ufffd");
                from = i + len;
            }
        }
        i += len;
    }
    if (out && bad) sl_buf_add(out, p + from, n - from);
    return bad;
}

/* Can PostgreSQL's jsonb hold this JSON text? */
int sl__pg_jsonb_safe(const char *p, size_t n)
{
    return jsonb_unsafe(p, n, NULL) == 0;
}

/* floor(k / 4) for any sign of k: the base-10000 digit that holds decimal position k */
static int64_t group_of(int64_t k)
{
    return k >= 0 ? k / 4 : -((-k + 3) / 4);
}

/* The size of the numeric PostgreSQL makes of JSON number p[0..n) (numeric_in): a 6-byte
 * header (8 when the scale or weight is large), 2 bytes a base-10000 digit between the first
 * and the last that is not zero. -1 when numeric cannot hold it (more than 131072 digits
 * before the point, or 16383 after: "value overflows numeric format"). */
static int64_t numeric_size(const char *p, size_t n)
{
    size_t i = 0, nd = 0, int_digits = 0;
    int64_t exp = 0, first = -1, last = -1; /* first, last: indexes of non-zero digits */
    int64_t frac_digits = 0;
    int eneg = 0;

    if (i < n && p[i] == '-') i++;
    for (; i < n && p[i] >= '0' && p[i] <= '9'; i++, nd++, int_digits++)
        if (p[i] != '0') last = (int64_t)nd, first = first < 0 ? (int64_t)nd : first;
    if (i < n && p[i] == '.')
        for (i++; i < n && p[i] >= '0' && p[i] <= '9'; i++, nd++, frac_digits++)
            if (p[i] != '0') last = (int64_t)nd, first = first < 0 ? (int64_t)nd : first;
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < n && (p[i] == '+' || p[i] == '-')) eneg = p[i++] == '-';
        for (; i < n && p[i] >= '0' && p[i] <= '9'; i++)
            if (exp < 100000000) exp = exp * 10 + (p[i] - '0');
        if (eneg) exp = -exp;
    }
    int64_t dscale = frac_digits - exp; /* digits after the point numeric keeps */
    if (dscale < 0) dscale = 0;
    if (dscale > 16383) return -1;
    if (first < 0) return dscale <= 63 ? 6 : 8; /* zero */
    /* decimal position (10^k) of the first and last non-zero digits */
    int64_t hi = (int64_t)int_digits - 1 - first + exp, lo = (int64_t)int_digits - 1 - last + exp;
    if (hi >= 131072) return -1;
    int64_t weight = group_of(hi);
    int64_t digits = weight - group_of(lo) + 1;
    int shrt = dscale <= 63 && weight >= -64 && weight <= 63;
    return (shrt ? 6 : 8) + 2 * digits;
}

/*
 * jsonb's size of valid JSON text p[0..n) (PostgreSQL's convertToJsonb), at least the real one:
 * every value and key takes a 4-byte JEntry and its data (a string its decoded bytes, a number
 * its numeric, a container a 4-byte header), and numbers and containers start on a multiple of
 * 4. Inside an array the padding is followed exactly; inside an object (jsonb sorts its keys,
 * so the order of the values is not the text's) each number or container counts 3 bytes of it.
 * A key repeated in an object counts each time (jsonb keeps the last). -1 when jsonb cannot
 * hold a number of it.
 */
int64_t sl__pg_jsonb_size(const char *p, size_t n)
{
    enum { DEPTH = 512 };
    unsigned char in_object[DEPTH]; /* per open container; deeper ones count as objects */
    int depth = 0, known = 1;       /* known: the offset mod 4 (off) is known */
    int64_t size = 4 + 4;           /* a root scalar is wrapped in an array of one */
    unsigned off = 0;
    size_t i = 0;

#define ALIGN()                                                                           \
    do {                                                                                  \
        size += known ? (4 - off % 4) % 4 : 3;                                            \
        off = 0;                                                                          \
        known = !(depth > 0 && depth <= DEPTH && in_object[depth - 1]) && depth <= DEPTH; \
    } while (0)

    while (i < n) {
        unsigned char c = (unsigned char)p[i];
        if (c == '"') {
            int64_t len = 0;
            for (i++; i < n && p[i] != '"'; i++, len++) {
                if (p[i] != '\\') continue;
                i++;
                if (i < n && p[i] == 'u' && i + 4 < n) {
                    unsigned u = hex4(p + i + 1);
                    i += 4;
                    /* as UTF-8: 1 to 3 bytes; a surrogate pair 4 (2 + 2 counted here) */
                    len += u < 0x80 ? 0 : u < 0x800 ? 1 : 2;
                    if (u >= 0xD800 && u <= 0xDFFF) len -= 1;
                }
            }
            i++;
            size += 4 + len;
            off += (unsigned)(len % 4);
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t j = i;
            while (j < n && (p[j] == '-' || p[j] == '+' || p[j] == '.' || p[j] == 'e' ||
                             p[j] == 'E' || (p[j] >= '0' && p[j] <= '9')))
                j++;
            int64_t m = numeric_size(p + i, j - i);
            if (m < 0) return -1;
            size += 4;
            ALIGN();
            size += m;
            off = (unsigned)(m % 4);
            i = j;
        } else if (c == '{' || c == '[') {
            size += 4;
            ALIGN();
            size += 4; /* the header; its JEntries are counted with its values */
            if (depth < DEPTH) in_object[depth] = c == '{';
            depth++;
            known = !(c == '{' || depth > DEPTH);
            off = 0;
            i++;
        } else if (c == '}' || c == ']') {
            depth--;
            known = 0; /* the parent's offset after a container is not followed */
            i++;
        } else if (c == 't' || c == 'n') {
            size += 4;
            i += 4;
        } else if (c == 'f') {
            size += 4;
            i += 5;
        } else {
            i++; /* , : and white space */
        }
    }
#undef ALIGN
    return size;
}

/* Can jsonb hold JSON text p[0..n) within its size limit? Text of up to a tenth of the limit
 * always fits (see jsonb_size), so small records are not measured. */
static int jsonb_fits(const char *p, size_t n)
{
    if ((int64_t)n * 10 + 4096 <= PG_JSONB_MAX) return 1;
    int64_t size = sl__pg_jsonb_size(p, n);
    return size >= 0 && size <= PG_JSONB_MAX;
}

/*
 * PostgreSQL's text and jsonb cannot hold U+0000, nor jsonb a lone surrogate: a silver value of
 * a column of type col with one gets U+FFFD in its place, counted in *replaced (the load then
 * says so; bronze keeps the record as received, in raw_bytes). The value to store: p itself,
 * or fix's contents.
 */
static const char *pg_storable(int col, const char *p, size_t *n, struct sl_buf *fix,
                               int64_t *replaced)
{
    int64_t k = 0;

    sl_buf_reset(fix);
    if (col == SL_TYPE_OBJECT || col == SL_TYPE_ARRAY) {
        k = jsonb_unsafe(p, *n, fix);
    } else if (memchr(p, 0, *n)) {
        for (size_t i = 0; i < *n; i++)
            if (p[i]) {
                sl_buf_addc(fix, p[i]);
            } else {
                sl_buf_add(fix, "\xef\xbf\xbd", 3);
                k++;
            }
    }
    if (!k) return p;
    *replaced += k;
    *n = fix->len;
    return fix->p;
}

/* ---- source timestamps ----------------------------------------------------------------------- */

/*
 * An ISO 8601 date or date-time (the one parser, sl_time_parse: what the schema accepts) as the
 * UTC instant in seconds and microseconds (truncated). Anything else: -1 (the row goes to the
 * default partition). Computing the instant here, not in the server, makes the month of the
 * partition and the value that is routed to it agree.
 */
static int ts_parse(const char *p, size_t n, int64_t *secs, int *usec)
{
    struct sl_datetime d;
    if (sl_time_parse(
            p, n, SL_ISO_DATETIME | SL_ISO_DATE_ONLY_OK | SL_ISO_SHORT_TIME | SL_ISO_OFFSET, &d))
        return -1;
    *secs = sl_time_epoch(&d, usec);
    return 0;
}

/* A source timestamp as PostgreSQL's timestamptz (microseconds since 2000-01-01 UTC) and the
 * UTC month "YYYY-MM" of its partition; -1 when it is not one (years 1 to 9999). */
int sl__pg_ts_utc(const char *p, size_t n, int64_t *pg_usec, char month[8])
{
    int64_t t, days, yy;
    int usec, m2, d2;

    if (ts_parse(p, n, &t, &usec)) return -1;
    days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    sl_civil_from_days(days, &yy, &m2, &d2);
    if (yy < 1 || yy > 9999) return -1;
    *pg_usec = (t - (int64_t)PG_EPOCH_DAYS * 86400) * 1000000 + usec;
    snprintf(month, 8, "%04lld-%02d", (long long)yy, m2);
    return 0;
}

/* ---- COPY binary format (silver) ---------------------------------------------------------- */

/*
 * Both layers travel in COPY's binary format: measured on 1M rows of 6 typed columns, the
 * server takes ~35% less time for silver in binary than in text (no number or date parsing);
 * for bronze's 3M flights rows 6.0 s against 6.8 s (jsonb parses its JSON text either way, but
 * the numbers and the escaping of the raw record go).
 */

/* Room for n more bytes (and the NUL): the writers below run a few times per value, so they
 * fill the buffer in place rather than call sl_buf_add (measured: an eighth of the client's
 * time went to sl_buf_add's calls for 4 bytes each). */
static inline char *room(struct sl_buf *b, size_t n)
{
    if (b->len + n + 1 > b->cap) sl_buf_grow(b, n);
    char *o = b->p + b->len;
    b->len += n;
    b->p[b->len] = 0;
    return o;
}

static inline void put32(char *o, uint32_t v)
{
    o[0] = (char)(v >> 24);
    o[1] = (char)(v >> 16);
    o[2] = (char)(v >> 8);
    o[3] = (char)v;
}

static void be16(struct sl_buf *b, uint16_t v)
{
    char *o = room(b, 2);
    o[0] = (char)(v >> 8);
    o[1] = (char)v;
}

static void be32(struct sl_buf *b, uint32_t v)
{
    put32(room(b, 4), v);
}

static void be64(struct sl_buf *b, uint64_t v)
{
    char *o = room(b, 8);
    put32(o, (uint32_t)(v >> 32));
    put32(o + 4, (uint32_t)v);
}

static void bin_i64(struct sl_buf *b, int64_t v)
{
    char *o = room(b, 12);
    put32(o, 8);
    put32(o + 4, (uint32_t)((uint64_t)v >> 32));
    put32(o + 8, (uint32_t)v);
}

static void bin_f64(struct sl_buf *b, double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    be32(b, 8);
    be64(b, u);
}

static void bin_text(struct sl_buf *b, const char *p, size_t n)
{
    char *o = room(b, 4 + n);
    put32(o, (uint32_t)n);
    memcpy(o + 4, p, n);
}

static void bin_null(struct sl_buf *b)
{
    be32(b, 0xffffffffu);
}

/* jsonb in binary: a version byte, then the JSON text */
static void bin_jsonb(struct sl_buf *b, const char *p, size_t n)
{
    char *o = room(b, 5 + n);
    put32(o, (uint32_t)n + 1);
    o[4] = 1;
    memcpy(o + 5, p, n);
}

void sl__pg_copy_bin_header(struct sl_buf *b)
{
    sl_buf_add(b, "PGCOPY\n\377\r\n\0", 11);
    be32(b, 0); /* flags */
    be32(b, 0); /* header extension */
}

/* hh:mm[:ss[.ffffff]] as microseconds since midnight, or -1 */
int64_t sl__pg_time_usec(const char *p, size_t n)
{
    struct sl_datetime d;
    int us;
    if (sl_time_parse(p, n, SL_ISO_TIME | SL_ISO_SHORT_TIME, &d)) return -1;
    return sl_time_epoch(&d, &us) * 1000000 + us;
}

/* One value for a column of PostgreSQL type col (enum sl_type of the silver field); -1 when
 * this value cannot be said in binary (the batch then goes as text, which the server parses). */
static int bin_value(struct sl_buf *b, int col, const struct sl_value *v, struct pg_load *L,
                     int64_t *replaced)
{
    char t[40];
    int64_t secs;
    int usec;

    if (!v || v->type == SL_V_NULL) {
        bin_null(b);
        return 0;
    }
    switch (col) {
    case SL_TYPE_INTEGER:
    case SL_TYPE_YEAR:
        if (v->type != SL_V_INT) return -1;
        bin_i64(b, v->u.i);
        return 0;
    case SL_TYPE_NUMBER:
        if (v->type == SL_V_INT) {
            bin_f64(b, (double)v->u.i);
            return 0;
        }
        if (v->type != SL_V_REAL) return -1; /* NaN and infinities arrive as text */
        bin_f64(b, v->u.d);
        return 0;
    case SL_TYPE_BOOLEAN:
        if (v->type != SL_V_BOOL && v->type != SL_V_INT) return -1;
        be32(b, 1);
        sl_buf_addc(b, v->u.i ? 1 : 0);
        return 0;
    case SL_TYPE_DATE: {
        struct sl_datetime d;
        if (v->type != SL_V_TEXT || sl_time_parse(v->u.s, v->len, SL_ISO_DATE, &d)) return -1;
        be32(b, 4);
        be32(b, (uint32_t)(int32_t)(sl_days_from_civil(d.year, d.month, d.day) - PG_EPOCH_DAYS));
        return 0;
    }
    case SL_TYPE_DATETIME:
        if (v->type != SL_V_TEXT || ts_parse(v->u.s, v->len, &secs, &usec)) return -1;
        bin_i64(b, (secs - (int64_t)PG_EPOCH_DAYS * 86400) * 1000000 + usec);
        return 0;
    case SL_TYPE_TIME: {
        int64_t us;
        if (v->type != SL_V_TEXT || (us = sl__pg_time_usec(v->u.s, v->len)) < 0) return -1;
        bin_i64(b, us);
        return 0;
    }
    case SL_TYPE_OBJECT:
    case SL_TYPE_ARRAY: {
        size_t n = v->len;
        const char *p;
        if (v->type != SL_V_TEXT) return -1;
        p = pg_storable(col, v->u.s, &n, &L->fix, replaced);
        bin_jsonb(b, p, n);
        return 0;
    }
    default: /* TEXT */
        switch (v->type) {
        case SL_V_TEXT: {
            size_t n = v->len;
            const char *p = pg_storable(col, v->u.s, &n, &L->fix, replaced);
            bin_text(b, p, n);
            return 0;
        }
        case SL_V_INT: {
            int k = snprintf(t, sizeof t, "%lld", (long long)v->u.i);
            bin_text(b, t, (size_t)k);
            return 0;
        }
        case SL_V_BOOL: bin_text(b, v->u.i ? "true" : "false", v->u.i ? 4 : 5); return 0;
        case SL_V_REAL: {
            struct sl_buf n = SL_BUF_INIT;
            sl_buf_json_double(&n, v->u.d);
            bin_text(b, n.p, n.len);
            sl_buf_free(&n);
            return 0;
        }
        default: return -1;
        }
    }
}

static const char *const row_status[] = {"valid", "warning", "invalid"};

/* One bronze row in COPY's binary format, BRONZE_COLUMNS; the key of its partition is not "" when
 * it has the timestamp ts. */
void sl__pg_bronze_row(struct pg_load *L, struct sl_buf *b, int64_t load_id, const struct sl_row *r,
                       const char *key, int64_t ts)
{
    int status = r->status <= SL_ROW_INVALID ? r->status : SL_ROW_INVALID;

    be16(b, 10);
    bin_i64(b, load_id * 4294967296LL + r->num);
    bin_i64(b, load_id);
    bin_i64(b, r->num);
    if (r->line > 0)
        bin_i64(b, r->line);
    else
        bin_null(b);
    bin_i64(b, r->offset);
    if (key[0])
        bin_i64(b, ts);
    else
        bin_null(b);
    bin_text(b, row_status[status], strlen(row_status[status]));
    if (r->issues) {
        issues_json(&L->err, r->issues);
        bin_jsonb(b, L->err.p, L->err.len);
    } else {
        bin_null(b);
    }
    /* raw_data: JSON records and text that could not be parsed (as a JSON string);
     * raw_bytes: what jsonb cannot hold as received (bytes that are not UTF-8, \u0000, a
     * record over jsonb's size limit: bytea holds up to 1 GB) */
    if (!r->raw) {
        bin_null(b);
        bin_null(b);
    } else if (r->raw_kind == SL_RAW_JSON && sl__pg_jsonb_safe(r->raw, r->raw_len) &&
               jsonb_fits(r->raw, r->raw_len)) {
        bin_jsonb(b, r->raw, r->raw_len);
        bin_null(b);
    } else if (r->raw_kind == SL_RAW_TEXT && !memchr(r->raw, 0, r->raw_len) &&
               (int64_t)r->raw_len + 64 <= PG_JSONB_MAX) {
        sl_buf_reset(&L->err);
        sl_buf_json_str(&L->err, r->raw, r->raw_len);
        bin_jsonb(b, L->err.p, L->err.len);
        bin_null(b);
    } else {
        bin_null(b);
        bin_text(b, r->raw, r->raw_len); /* bytea in binary: the bytes */
    }
}

void sl__pg_silver_text_row(struct pg_load *L, struct sl_buf *b, const struct sl_row *r,
                            int64_t load_id, int64_t *replaced)
{
    for (size_t i = 0; i < L->nfields; i++) {
        const struct sl_value *v = r->values ? &r->values[i] : NULL;
        if (!v) {
            sl_buf_add(b, "\\N\t", 3);
            continue;
        }
        switch (v->type) {
        case SL_V_INT: sl_buf_add_i64(b, v->u.i); break;
        /* the same text as in binary: "true" also reads as a boolean, and the shortest
         * exact form of a double reads back as the same double */
        case SL_V_BOOL: sl_buf_adds(b, v->u.i ? "true" : "false"); break;
        case SL_V_REAL: sl_buf_json_double(b, v->u.d); break;
        case SL_V_TEXT: {
            size_t n = v->len;
            const char *p = pg_storable(L->types[i], v->u.s, &n, &L->fix, replaced);
            copy_text(b, p, n);
            break;
        }
        default: sl_buf_add(b, "\\N", 2); break;
        }
        sl_buf_addc(b, '\t');
    }
    sl_buf_add_i64(b, load_id);
    sl_buf_addc(b, '\t');
    sl_buf_add_i64(b, r->num);
    sl_buf_addc(b, '\n');
}

void sl__pg_copy_bin_end(struct sl_buf *b)
{
    be16(b, 0xffff);
}

int sl__pg_silver_bin_row(struct pg_load *L, struct sl_buf *b, const struct sl_row *r,
                          int64_t load_id, int64_t *replaced)
{
    int bin = 1;
    be16(b, (uint16_t)(L->nfields + 2));
    for (size_t k = 0; k < L->nfields && bin; k++)
        bin = bin_value(b, L->types[k], r->values ? &r->values[k] : NULL, L, replaced) == 0;
    bin_i64(b, load_id);
    bin_i64(b, r->num);
    return bin ? 0 : -1;
}
