/* Growable buffers and JSON output helpers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/core.h"

void sl_buf_grow(struct sl_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap *= 2;
    b->p = sl_xrealloc(b->p, cap);
    b->cap = cap;
}

void sl_buf_add(struct sl_buf *b, const void *p, size_t n)
{
    sl_buf_grow(b, n);
    if (n) memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = 0;
}

void sl_buf_adds(struct sl_buf *b, const char *s)
{
    sl_buf_add(b, s, strlen(s));
}

void sl_buf_addc(struct sl_buf *b, char c)
{
    sl_buf_grow(b, 1);
    b->p[b->len++] = c;
    b->p[b->len] = 0;
}

void sl_buf_add_i64(struct sl_buf *b, int64_t v)
{
    char t[24], *e = t + sizeof t, *p = e;
    /* the magnitude as unsigned: -INT64_MIN overflows int64_t */
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    sl_buf_add(b, p, (size_t)(e - p));
}

void sl_buf_vaddf(struct sl_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;

    sl_buf_grow(b, 64);
    va_copy(ap2, ap);
    n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap2);
    va_end(ap2);
    if (n < 0) return;
    if ((size_t)n >= b->cap - b->len) {
        sl_buf_grow(b, (size_t)n);
        vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    }
    b->len += (size_t)n;
}

void sl_buf_addf(struct sl_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sl_buf_vaddf(b, fmt, ap);
    va_end(ap);
}

void sl_buf_reset(struct sl_buf *b)
{
    b->len = 0;
    if (b->p) b->p[0] = 0;
}

void sl_buf_free(struct sl_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

char *sl_buf_detach(struct sl_buf *b)
{
    char *p = b->p ? b->p : sl_xstrdup("");
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

const char *sl_buf_str(struct sl_buf *b)
{
    return b->p ? b->p : "";
}

/* 1 for bytes that cannot stand as they are inside a JSON string. */
static const unsigned char json_esc[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,         1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1 /* " */, ['\\'] = 1,
};

int sl_json_needs_escape(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    for (size_t i = 0; i < n; i++)
        if (json_esc[s[i]]) return 1;
    return 0;
}

void sl_buf_json_str(struct sl_buf *b, const char *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;

    sl_buf_grow(b, n + 2);
    b->p[b->len++] = '"';
    while (i < n) {
        size_t run = i;
        while (run < n && !json_esc[s[run]] && s[run] < 0x80) run++;
        if (run > i) {
            sl_buf_add(b, s + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = s[i];
        if (c >= 0x80) {
            size_t ok = sl_utf8_valid_prefix((const char *)s + i, n - i);
            if (ok == 0) {
                sl_buf_adds(b, "\\ufffd");
                i++;
                continue;
            }
            /* copy the valid multi-byte run up to the next ASCII byte */
            size_t k = 0;
            while (k < ok && s[i + k] >= 0x80) k++;
            if (k == 0) k = ok;
            sl_buf_add(b, s + i, k);
            i += k;
            continue;
        }
        char e[7];
        switch (c) {
        case '"': sl_buf_adds(b, "\\\""); break;
        case '\\': sl_buf_adds(b, "\\\\"); break;
        case '\n': sl_buf_adds(b, "\\n"); break;
        case '\r': sl_buf_adds(b, "\\r"); break;
        case '\t': sl_buf_adds(b, "\\t"); break;
        case '\b': sl_buf_adds(b, "\\b"); break;
        case '\f': sl_buf_adds(b, "\\f"); break;
        default:
            e[0] = '\\', e[1] = 'u', e[2] = '0', e[3] = '0', e[4] = hex[c >> 4], e[5] = hex[c & 15];
            sl_buf_add(b, e, 6);
        }
        i++;
    }
    sl_buf_addc(b, '"');
}

void sl_buf_json_cstr(struct sl_buf *b, const char *s)
{
    if (!s)
        sl_buf_adds(b, "null");
    else
        sl_buf_json_str(b, s, strlen(s));
}

void sl_buf_json_double(struct sl_buf *b, double d)
{
    char tmp[40];
    if (!isfinite(d)) {
        sl_buf_adds(b, "null");
        return;
    }
    /* the shortest representation that reads back as the same double */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, d);
        if (strtod(tmp, NULL) == d) break;
    }
    sl_buf_adds(b, tmp);
}
