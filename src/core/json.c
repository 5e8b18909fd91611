/*
 * JSON: a validating recursive-descent scanner that allocates nothing (tokens are views into
 * the input), string unescaping, iteration over scanned containers, and the document tree
 * that config and schema files written in JSON are read into.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/json.h"

/* ---- scanner ---------------------------------------------------------------------------- */

enum { SCAN_OK = 0, SCAN_MORE = 1, SCAN_ERR = -1 };

struct scanner {
    const char *start, *end;
    int final;
    struct sl_json_err *e;
};

static int scan_fail(struct scanner *sc, const char *at, const char *msg)
{
    sc->e->offset = (size_t)(at - sc->start);
    sc->e->msg = msg;
    return SCAN_ERR;
}

/* The text ended inside a value: more input may complete it, unless this is all there is. */
static int scan_eoi(struct scanner *sc, const char *at)
{
    if (!sc->final) return SCAN_MORE;
    return scan_fail(sc, at, "unexpected end of input");
}

static inline int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static inline int hex_val(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Any byte in v that is '"', '\\', a control byte or >= 0x80? (exact, see "haszero") */
static inline int swar_special(uint64_t v)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t q = v ^ (ones * '"'), b = v ^ (ones * '\\');
    uint64_t r = ((q - ones) & ~q) | ((b - ones) & ~b) | ((v - ones * 0x20) & ~v) | v;
    return (r & high) != 0;
}

/* One UTF-8 sequence starting at the high byte *p; advances *pp past it. */
static int scan_utf8(struct scanner *sc, const char **pp)
{
    const unsigned char *s = (const unsigned char *)*pp;
    const unsigned char *end = (const unsigned char *)sc->end;
    unsigned char c = s[0], lo = 0x80, hi = 0xbf;
    int len;

    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0) lo = 0xa0; /* overlong */
        if (c == 0xed) hi = 0x9f; /* surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0) lo = 0x90; /* overlong */
        if (c == 0xf4) hi = 0x8f; /* beyond U+10FFFF */
    } else {
        return scan_fail(sc, *pp, "invalid UTF-8 in string");
    }
    for (int k = 1; k < len; k++) {
        if (s + k >= end) return scan_eoi(sc, sc->end);
        if (s[k] < lo || s[k] > hi) return scan_fail(sc, *pp, "invalid UTF-8 in string");
        lo = 0x80, hi = 0xbf;
    }
    *pp += len;
    return SCAN_OK;
}

/* *pp is at the opening quote. */
static int scan_string(struct scanner *sc, const char **pp, struct sl_json_tok *tok)
{
    const char *q = *pp + 1, *end = sc->end;
    int escaped = 0, rc;

    for (;;) {
        /* plain runs are the common case: 8 bytes at a time, then byte by byte */
        while (end - q >= 8) {
            uint64_t v;
            memcpy(&v, q, 8);
            if (swar_special(v)) break;
            q += 8;
        }
        while (q < end) {
            unsigned char c = (unsigned char)*q;
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
            q++;
        }
        if (q >= end) return scan_eoi(sc, end);
        unsigned char c = (unsigned char)*q;
        if (c == '"') break;
        if (c == '\\') {
            escaped = 1;
            if (q + 1 >= end) return scan_eoi(sc, end);
            switch (q[1]) {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't': q += 2; break;
            case 'u':
                for (int k = 2; k < 6; k++) {
                    if (q + k >= end) return scan_eoi(sc, end);
                    if (hex_val(q[k]) < 0) return scan_fail(sc, q, "invalid \\u escape");
                }
                q += 6;
                break;
            default: return scan_fail(sc, q, "invalid escape in string");
            }
        } else if (c < 0x20) {
            return scan_fail(sc, q, "control character in string (must be escaped)");
        } else {
            rc = scan_utf8(sc, &q);
            if (rc) return rc;
        }
    }
    if (tok) {
        tok->p = *pp + 1;
        tok->len = (size_t)(q - (*pp + 1));
        tok->type = SL_JSON_STRING;
        tok->escaped = escaped;
    }
    *pp = q + 1;
    return SCAN_OK;
}

static int scan_number(struct scanner *sc, const char **pp)
{
    const char *q = *pp, *end = sc->end;

    if (*q == '-') q++;
    if (q >= end) return scan_eoi(sc, q);
    if (*q == '0') {
        q++;
    } else if (*q >= '1' && *q <= '9') {
        while (q < end && is_digit(*q)) q++;
    } else {
        return scan_fail(sc, q, "invalid number");
    }
    if (q < end && *q == '.') {
        q++;
        if (q >= end) return scan_eoi(sc, q);
        if (!is_digit(*q)) return scan_fail(sc, q, "invalid number: expected a digit after '.'");
        while (q < end && is_digit(*q)) q++;
    }
    if (q < end && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < end && (*q == '+' || *q == '-')) q++;
        if (q >= end) return scan_eoi(sc, q);
        if (!is_digit(*q)) return scan_fail(sc, q, "invalid number: expected a digit in exponent");
        while (q < end && is_digit(*q)) q++;
    }
    /* "12" at the very end may be the start of "123" */
    if (q >= end && !sc->final) return SCAN_MORE;
    *pp = q;
    return SCAN_OK;
}

static int scan_literal(struct scanner *sc, const char **pp, const char *lit, size_t n)
{
    const char *q = *pp;
    for (size_t i = 0; i < n; i++) {
        if (q + i >= sc->end) return scan_eoi(sc, sc->end);
        if (q[i] != lit[i]) return scan_fail(sc, q, "invalid literal (expected a value)");
    }
    *pp = q + n;
    return SCAN_OK;
}

static int scan_value(struct scanner *sc, const char **pp, int depth, struct sl_json_tok *tok);

static int scan_array(struct scanner *sc, const char **pp, int depth)
{
    const char *q = *pp + 1, *end = sc->end;
    int rc;

    if (depth >= SL_JSON_MAX_DEPTH) return scan_fail(sc, *pp, "nested deeper than 256 levels");
    q = sl_json_skip_ws(q, end);
    if (q >= end) return scan_eoi(sc, q);
    if (*q != ']') {
        for (;;) {
            rc = scan_value(sc, &q, depth + 1, NULL);
            if (rc) return rc;
            q = sl_json_skip_ws(q, end);
            if (q >= end) return scan_eoi(sc, q);
            if (*q == ']') break;
            if (*q != ',') return scan_fail(sc, q, "expected ',' or ']'");
            q++;
        }
    }
    *pp = q + 1;
    return SCAN_OK;
}

static int scan_object(struct scanner *sc, const char **pp, int depth)
{
    const char *q = *pp + 1, *end = sc->end;
    int rc;

    if (depth >= SL_JSON_MAX_DEPTH) return scan_fail(sc, *pp, "nested deeper than 256 levels");
    q = sl_json_skip_ws(q, end);
    if (q >= end) return scan_eoi(sc, q);
    if (*q != '}') {
        for (;;) {
            if (*q != '"') return scan_fail(sc, q, "expected a string key");
            rc = scan_string(sc, &q, NULL);
            if (rc) return rc;
            q = sl_json_skip_ws(q, end);
            if (q >= end) return scan_eoi(sc, q);
            if (*q != ':') return scan_fail(sc, q, "expected ':'");
            q++;
            rc = scan_value(sc, &q, depth + 1, NULL);
            if (rc) return rc;
            q = sl_json_skip_ws(q, end);
            if (q >= end) return scan_eoi(sc, q);
            if (*q == '}') break;
            if (*q != ',') return scan_fail(sc, q, "expected ',' or '}'");
            q = sl_json_skip_ws(q + 1, end);
            if (q >= end) return scan_eoi(sc, q);
        }
    }
    *pp = q + 1;
    return SCAN_OK;
}

/* depth = containers around the value; the depth limit keeps the recursion bounded. */
static int scan_value(struct scanner *sc, const char **pp, int depth, struct sl_json_tok *tok)
{
    const char *q = sl_json_skip_ws(*pp, sc->end), *start;
    int rc, type;

    if (q >= sc->end) return scan_eoi(sc, q);
    start = q;
    switch (*q) {
    case '"':
        rc = scan_string(sc, &q, tok);
        if (!rc) *pp = q;
        return rc;
    case '{': rc = scan_object(sc, &q, depth), type = SL_JSON_OBJECT; break;
    case '[': rc = scan_array(sc, &q, depth), type = SL_JSON_ARRAY; break;
    case 't': rc = scan_literal(sc, &q, "true", 4), type = SL_JSON_TRUE; break;
    case 'f': rc = scan_literal(sc, &q, "false", 5), type = SL_JSON_FALSE; break;
    case 'n': rc = scan_literal(sc, &q, "null", 4), type = SL_JSON_NULL; break;
    default:
        if (*q == '-' || is_digit(*q)) {
            rc = scan_number(sc, &q), type = SL_JSON_NUMBER;
            break;
        }
        return scan_fail(sc, q, "expected a value");
    }
    if (rc) return rc;
    if (tok) {
        tok->p = start;
        tok->len = (size_t)(q - start);
        tok->type = type;
        tok->escaped = 0;
    }
    *pp = q;
    return SCAN_OK;
}

long sl_json_scan(const char *p, size_t n, int final, struct sl_json_tok *tok,
                  struct sl_json_err *e)
{
    struct sl_json_err dummy_err;
    struct sl_json_tok dummy_tok;
    struct scanner sc = {p, p + n, final, e ? e : &dummy_err};
    const char *q = p;
    int rc;

    rc = scan_value(&sc, &q, 0, tok ? tok : &dummy_tok);
    if (rc == SCAN_MORE) return 0;
    if (rc == SCAN_ERR) return -1;
    return (long)(q - p);
}

/* ---- unescape and iteration --------------------------------------------------------------- */

static size_t put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

#define NOT_HEX4 0x110000u /* above every code point */

/* The code point of 4 hex digits, or NOT_HEX4 when one is not a hex digit (text that was not
 * checked as JSON: the fuzzers give the cast any bytes as an object or array cell). */
static uint32_t hex4(const char *p)
{
    uint32_t cp = 0;
    for (int j = 0; j < 4; j++) {
        int h = hex_val(p[j]);
        if (h < 0) return NOT_HEX4;
        cp = cp << 4 | (uint32_t)h;
    }
    return cp;
}

/* Every escape is at least as long as what it decodes to (\uXXXX = 6 bytes -> at most 3, a
 * pair = 12 bytes -> 4), so out never needs more than len bytes. */
const char *sl_json_canonical(const char *p, size_t n, struct sl_arena *a, size_t *out_len)
{
    static const char hex[] = "0123456789abcdef";
    size_t i = 0, k = 0;
    int in_str = 0;
    char *o;

    /* already canonical (the common case): nothing to take out, no escape to rewrite */
    for (i = 0; i < n; i++) {
        char c = p[i];
        if (c == '\\' || (!in_str && (c == ' ' || c == '\n' || c == '\r' || c == '\t'))) break;
        if (c == '"') in_str = !in_str;
    }
    if (i == n) {
        *out_len = n;
        return p;
    }
    o = sl_arena_alloc(a, n);
    memcpy(o, p, i);
    k = i;
    while (i < n) {
        char c = p[i];
        if (!in_str) {
            i++;
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
            if (c == '"') in_str = 1;
            o[k++] = c;
            continue;
        }
        if (c != '\\') {
            if (c == '"') in_str = 0;
            o[k++] = c;
            i++;
            continue;
        }
        if (i + 1 >= n) { /* not JSON: a backslash at the end, kept */
            o[k++] = c;
            i++;
            continue;
        }
        char e = p[i + 1];
        i += 2;
        if (e != 'u') {
            if (e != '/') o[k++] = '\\';
            o[k++] = e; /* " \ b f n r t as they are; \/ is / */
            continue;
        }
        uint32_t cp = i + 4 <= n ? hex4(p + i) : NOT_HEX4;
        if (cp == NOT_HEX4) { /* not JSON: "\u" kept as it is, the rest read on */
            o[k++] = '\\';
            o[k++] = 'u';
            continue;
        }
        i += 4;
        if (cp >= 0xd800 && cp <= 0xdbff && i + 6 <= n && p[i] == '\\' && p[i + 1] == 'u') {
            uint32_t lo = hex4(p + i + 2);
            if (lo >= 0xdc00 && lo <= 0xdfff) {
                k += put_utf8(o + k, 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00));
                i += 6;
                continue;
            }
        }
        if (cp == '"' || cp == '\\') {
            o[k++] = '\\';
            o[k++] = (char)cp;
        } else if (cp < 0x20 || (cp >= 0xd800 && cp <= 0xdfff)) {
            const char *short_esc = cp == '\b'   ? "b"
                                    : cp == '\f' ? "f"
                                    : cp == '\n' ? "n"
                                    : cp == '\r' ? "r"
                                    : cp == '\t' ? "t"
                                                 : NULL;
            o[k++] = '\\';
            if (short_esc) {
                o[k++] = *short_esc;
            } else {
                o[k++] = 'u';
                for (int sh = 12; sh >= 0; sh -= 4) o[k++] = hex[(cp >> sh) & 15];
            }
        } else {
            k += put_utf8(o + k, cp);
        }
    }
    if (k == n && !memcmp(o, p, n)) {
        *out_len = n;
        return p;
    }
    *out_len = k;
    return o;
}

size_t sl_json_unescape(const char *p, size_t len, char *out)
{
    size_t i = 0, o = 0;

    while (i < len) {
        const char *bs = memchr(p + i, '\\', len - i);
        size_t run = bs ? (size_t)(bs - (p + i)) : len - i;
        memcpy(out + o, p + i, run);
        o += run, i += run;
        if (i >= len || i + 1 >= len) break;
        char c = p[i + 1];
        i += 2;
        switch (c) {
        case 'b': out[o++] = '\b'; break;
        case 'f': out[o++] = '\f'; break;
        case 'n': out[o++] = '\n'; break;
        case 'r': out[o++] = '\r'; break;
        case 't': out[o++] = '\t'; break;
        case 'u': {
            if (i + 4 > len) return o;
            uint32_t cp = hex4(p + i);
            i += 4;
            if (cp >= 0xd800 && cp <= 0xdbff) {
                if (i + 6 <= len && p[i] == '\\' && p[i + 1] == 'u') {
                    uint32_t lo = hex4(p + i + 2);
                    if (lo >= 0xdc00 && lo <= 0xdfff) {
                        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                        i += 6;
                    } else {
                        cp = 0xfffd;
                    }
                } else {
                    cp = 0xfffd;
                }
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                cp = 0xfffd;
            }
            o += put_utf8(out + o, cp);
            break;
        }
        default: out[o++] = c; break; /* " \ / */
        }
    }
    return o;
}

size_t sl_json_lone_surrogates(const char *p, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i + 6 <= len;) {
        const char *bs = memchr(p + i, '\\', len - i);
        if (!bs) break;
        i = (size_t)(bs - p);
        if (i + 1 < len && p[i + 1] != 'u') {
            i += 2; /* \\ is one escape: the next backslash starts another */
            continue;
        }
        if (i + 6 > len) break;
        uint32_t cp = hex4(p + i + 2);
        i += 6;
        if (cp >= 0xd800 && cp <= 0xdbff && i + 6 <= len && p[i] == '\\' && p[i + 1] == 'u') {
            uint32_t lo = hex4(p + i + 2);
            if (lo >= 0xdc00 && lo <= 0xdfff) {
                i += 6;
                continue;
            }
        }
        if (cp >= 0xd800 && cp <= 0xdfff) n++;
    }
    return n;
}

int sl_json_pointer_parse(const char *ptr, char ***tokens, size_t *n, struct sl_error *err)
{
    char **v = NULL;
    size_t k = 0;

    *tokens = NULL;
    *n = 0;
    if (!*ptr) return 0;
    if (*ptr != '/')
        return sl_error_set(err, SL_ECONFIG,
                            "'%s' is not a JSON pointer: it starts with '/' (e.g. /data), or is "
                            "empty for the whole document",
                            ptr);
    for (const char *p = ptr; *p == '/';) {
        const char *start = ++p;
        size_t len = strcspn(start, "/");
        char *t = sl_xmalloc(len + 1), *o = t;
        for (p = start; p < start + len; p++) {
            if (*p != '~') {
                *o++ = *p;
                continue;
            }
            if (p[1] != '0' && p[1] != '1') {
                free(t);
                sl_json_pointer_free(v, k);
                return sl_error_set(err, SL_ECONFIG,
                                    "'%s' is not a JSON pointer: '~' must be followed by 0 (for "
                                    "~) or 1 (for /)",
                                    ptr);
            }
            *o++ = p[1] == '0' ? '~' : '/';
            p++;
        }
        *o = 0;
        v = sl_xrealloc(v, (k + 1) * sizeof *v);
        v[k++] = t;
    }
    *tokens = v;
    *n = k;
    return 0;
}

void sl_json_pointer_free(char **tokens, size_t n)
{
    for (size_t i = 0; i < n; i++) free(tokens[i]);
    free(tokens);
}

void sl_buf_json_pointer_token(struct sl_buf *b, const char *tok, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (tok[i] == '~')
            sl_buf_adds(b, "~0");
        else if (tok[i] == '/')
            sl_buf_adds(b, "~1");
        else
            sl_buf_addc(b, tok[i]);
    }
}

void sl_json_iter_init(struct sl_json_iter *it, const struct sl_json_tok *container)
{
    it->object = container->type == SL_JSON_OBJECT;
    if (container->type == SL_JSON_OBJECT || container->type == SL_JSON_ARRAY) {
        it->p = container->p + 1;
        it->end = container->p + container->len - 1; /* the closing bracket */
    } else {
        it->p = it->end = container->p;
    }
}

int sl_json_iter_next(struct sl_json_iter *it, struct sl_json_tok *key, struct sl_json_tok *val)
{
    const char *q = sl_json_skip_ws(it->p, it->end);
    long n;

    if (q < it->end && *q == ',') q = sl_json_skip_ws(q + 1, it->end);
    if (q >= it->end) {
        it->p = it->end;
        return 0;
    }
    if (it->object) {
        n = sl_json_scan(q, (size_t)(it->end - q), 1, key, NULL);
        if (n <= 0) goto broken;
        q = sl_json_skip_ws(q + n, it->end);
        if (q >= it->end || *q != ':') goto broken;
        q++;
    } else if (key) {
        memset(key, 0, sizeof *key);
    }
    n = sl_json_scan(q, (size_t)(it->end - q), 1, val, NULL);
    if (n <= 0) goto broken;
    it->p = q + n;
    return 1;
broken:
    /* only reached for a container sl_json_scan did not accept */
    it->p = it->end;
    return 0;
}

/* ---- document trees --------------------------------------------------------------------- */

struct docb {
    struct sl_doc *d;
    const char *text;
    /* a cursor that only moves forward: nodes are built in document order */
    size_t off, line_start;
    int line;
    size_t col_off; /* the column at col_off is col: counted on from there, not from line start */
    int col;
};

static void docb_pos(struct docb *db, const char *at, int *line, int *col)
{
    size_t off = (size_t)(at - db->text), i;
    int c;

    if (off < db->off) { /* never expected; start over to stay correct */
        db->off = 0, db->line_start = 0, db->line = 1;
        db->col_off = 0, db->col = 1;
    }
    for (i = db->off; i < off; i++)
        if (db->text[i] == '\n') db->line++, db->line_start = i + 1;
    db->off = off;
    if (db->col_off < db->line_start || db->col < 1) db->col_off = db->line_start, db->col = 1;
    c = db->col;
    for (i = db->col_off; i < off; i++) /* columns count characters, not bytes */
        if (((unsigned char)db->text[i] & 0xc0) != 0x80) c++;
    db->col_off = off, db->col = c;
    *line = db->line;
    *col = c;
}

static struct sl_node *docb_scalar(struct docb *db, const struct sl_json_tok *t)
{
    struct sl_node *n = sl_arena_zalloc(&db->d->arena, sizeof *n);
    char *s;

    docb_pos(db, t->type == SL_JSON_STRING ? t->p - 1 : t->p, &n->line, &n->col);
    n->json_type = t->type;
    if (t->type == SL_JSON_STRING) {
        s = sl_arena_alloc(&db->d->arena, t->len + 1);
        n->len = t->escaped ? sl_json_unescape(t->p, t->len, s) : t->len;
        if (!t->escaped) memcpy(s, t->p, t->len);
        s[n->len] = 0;
        n->text = s;
        n->quoted = 1;
        n->type = SL_NODE_SCALAR;
    } else {
        n->text = sl_arena_strndup(&db->d->arena, t->p, t->len);
        n->len = t->len;
        n->type = t->type == SL_JSON_NULL ? SL_NODE_NULL : SL_NODE_SCALAR;
    }
    return n;
}

static struct sl_node *docb_value(struct docb *db, const struct sl_json_tok *t)
{
    struct sl_json_iter it;
    struct sl_json_tok k, v;
    struct sl_node *n;
    size_t count = 0, i = 0;

    if (t->type != SL_JSON_OBJECT && t->type != SL_JSON_ARRAY) return docb_scalar(db, t);
    n = sl_arena_zalloc(&db->d->arena, sizeof *n);
    docb_pos(db, t->p, &n->line, &n->col);
    n->json_type = t->type;
    n->type = t->type == SL_JSON_OBJECT ? SL_NODE_MAP : SL_NODE_SEQ;
    sl_json_iter_init(&it, t);
    while (sl_json_iter_next(&it, &k, &v)) count++;
    n->items = sl_arena_zalloc(&db->d->arena, (count ? count : 1) * sizeof *n->items);
    if (n->type == SL_NODE_MAP)
        n->keys = sl_arena_zalloc(&db->d->arena, (count ? count : 1) * sizeof *n->keys);
    sl_json_iter_init(&it, t);
    while (i < count && sl_json_iter_next(&it, &k, &v)) {
        if (n->type == SL_NODE_MAP) n->keys[i] = docb_scalar(db, &k);
        n->items[i++] = docb_value(db, &v);
    }
    n->n = i;
    return n;
}

int sl_doc_parse_json(struct sl_doc *d, const char *path, const char *text, size_t len,
                      struct sl_error *err)
{
    struct docb db = {d, text, 0, 0, 1, 0, 1};
    struct sl_json_tok tok;
    struct sl_json_err e = {0, NULL};
    const char *p = text, *end = text + len;
    int line, col;
    long n;

    memset(d, 0, sizeof *d);
    sl_arena_init(&d->arena, 0);
    d->path = sl_arena_strndup(&d->arena, path, strlen(path));
    if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) p += 3;
    n = sl_json_scan(p, (size_t)(end - p), 1, &tok, &e);
    if (n < 0) {
        e.offset += (size_t)(p - text);
        goto fail;
    }
    {
        const char *q = sl_json_skip_ws(p + n, end);
        if (q < end) {
            e.offset = (size_t)(q - text);
            e.msg = "unexpected data after the JSON value";
            goto fail;
        }
    }
    d->root = docb_value(&db, &tok);
    return 0;
fail:
    db.off = 0, db.line_start = 0, db.line = 1, db.col_off = 0, db.col = 1;
    docb_pos(&db, text + e.offset, &line, &col);
    return sl_error_set(err, SL_ECONFIG, "%s:%d:%d: %s", path, line, col, e.msg);
}
