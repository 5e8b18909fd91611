/*
 * Exact decimal numbers for JSON Schema (jsdecimal.h): numbers compared from their text (1 ==
 * 1.0 == 1e0; big integers and long fractions keep every digit), integers recognized whatever
 * their spelling, multipleOf decided exactly. Internal to src/schema, but for
 * sl_jsonschema_integer_text (sluice/jsonschema.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/jsonschema.h"
#include "jsdecimal.h"

int sl__js_dec_parse(const char *s, struct sl__js_dec *x)
{
    const char *p = s;
    long frac = 0, exp = 0;
    int in_frac = 0;

    memset(x, 0, sizeof *x);
    x->d = sl_xmalloc(strlen(s) + 1);
    if (*p == '-')
        x->neg = 1, p++;
    else if (*p == '+')
        p++;
    for (; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p == '.') {
            in_frac = 1;
            continue;
        }
        if (*p < '0' || *p > '9') return -1;
        if (!x->n && *p == '0') {
            if (in_frac) frac++;
            continue;
        }
        x->d[x->n++] = *p;
        if (in_frac) frac++;
    }
    if (*p == 'e' || *p == 'E') {
        char *end;
        exp = strtol(p + 1, &end, 10);
        if (exp > 100000000 || exp < -100000000) exp = exp > 0 ? 100000000 : -100000000;
    }
    while (x->n && x->d[x->n - 1] == '0') x->n--, exp++;
    x->d[x->n] = 0;
    x->e = exp - frac;
    if (!x->n) x->neg = 0, x->e = 0;
    return 0;
}

void sl__js_dec_free(struct sl__js_dec *x)
{
    free(x->d);
}

static int dec_cmp_abs(const struct sl__js_dec *a, const struct sl__js_dec *b)
{
    if (!a->n || !b->n) return (a->n > 0) - (b->n > 0);
    long ma = (long)a->n + a->e, mb = (long)b->n + b->e;
    if (ma != mb) return ma < mb ? -1 : 1;
    size_t k = a->n > b->n ? a->n : b->n;
    for (size_t i = 0; i < k; i++) {
        char ca = i < a->n ? a->d[i] : '0', cb = i < b->n ? b->d[i] : '0';
        if (ca != cb) return ca < cb ? -1 : 1;
    }
    return 0;
}

static int dec_cmp(const struct sl__js_dec *a, const struct sl__js_dec *b)
{
    if (a->neg != b->neg) return a->neg ? -1 : 1;
    int c = dec_cmp_abs(a, b);
    return a->neg ? -c : c;
}

/* Compares two number texts exactly. */
int sl__js_num_cmp(const char *a, const char *b)
{
    struct sl__js_dec x, y;
    sl__js_dec_parse(a, &x);
    sl__js_dec_parse(b, &y);
    int c = dec_cmp(&x, &y);
    sl__js_dec_free(&x);
    sl__js_dec_free(&y);
    return c;
}

int sl__js_num_is_integer(const char *s)
{
    struct sl__js_dec x;
    sl__js_dec_parse(s, &x);
    int r = !x.n || x.e >= 0;
    sl__js_dec_free(&x);
    return r;
}

/* 1 when a is an integer multiple of b (b > 0). */
int sl__js_num_multiple(const char *a, const char *b)
{
    struct sl__js_dec x, y;
    int r = -1;
    sl__js_dec_parse(a, &x);
    sl__js_dec_parse(b, &y);
    if (!x.n) {
        r = 1;
    } else if (y.n) {
        long e = x.e < y.e ? x.e : y.e;
        long zx = x.e - e, zy = y.e - e;
        if ((long)y.n + zy <= 18 && zx < 1000000) {
            unsigned long long m = 0;
            for (size_t i = 0; i < y.n; i++) m = m * 10 + (unsigned)(y.d[i] - '0');
            for (long i = 0; i < zy; i++) m *= 10;
            unsigned __int128 rem = 0;
            for (size_t i = 0; i < x.n; i++) rem = (rem * 10 + (unsigned)(x.d[i] - '0')) % m;
            for (long i = 0; i < zx && rem; i++) rem = (rem * 10) % m;
            r = rem == 0;
        }
    }
    if (r < 0) {
        double q = strtod(a, NULL) / strtod(b, NULL);
        r = isfinite(q) && q == floor(q);
    }
    sl__js_dec_free(&x);
    sl__js_dec_free(&y);
    return r;
}

int sl_jsonschema_integer_text(const char *num, size_t n, struct sl_buf *out)
{
    struct sl__js_dec x;
    char *t = sl_xstrndup(num, n);
    int ok = 0;
    sl__js_dec_parse(t, &x);
    if (!x.n) {
        sl_buf_adds(out, "0");
        ok = 1;
    } else if (x.e >= 0 && (long)x.n + x.e <= 18) {
        if (x.neg) sl_buf_addc(out, '-');
        sl_buf_add(out, x.d, x.n);
        for (long i = 0; i < x.e; i++) sl_buf_addc(out, '0');
        ok = 1;
    }
    sl__js_dec_free(&x);
    free(t);
    return ok;
}
