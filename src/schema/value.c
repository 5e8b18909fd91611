/* Typed values from text. Every parser checks the whole text: no trailing garbage. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schema/value.h"

static int digit(char c)
{
    return c >= '0' && c <= '9';
}

int sl__parse_int(const char *p, size_t n, int canonical, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    uint64_t v = 0;

    if (n == 0) return -1;
    if (p[0] == '-' || (!canonical && p[0] == '+')) neg = p[0] == '-', i++;
    if (i == n) return -1;
    if (canonical && p[i] == '0' && n - i > 1) return -1;
    for (; i < n; i++) {
        if (!digit(p[i])) return -1;
        unsigned d = (unsigned)(p[i] - '0');
        if (v > (UINT64_MAX - d) / 10) return -1;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > (uint64_t)INT64_MAX + 1) return -1;
        if (canonical && v == 0) return -1; /* "-0" is not the integer it looks like */
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    } else {
        if (v > (uint64_t)INT64_MAX) return -1;
        *out = (int64_t)v;
    }
    return 0;
}

/* Does the double d print back as the decimal number p[0..n)? Compares digits and exponent
 * after normalizing both (so 1.50 == 1.5 and 1e3 == 1000, but 0.30000000000000001 != 0.3). */
int sl__number_exact(const char *p, size_t n, double d)
{
    char want[64], got[64], tmp[40];
    int wexp = 0, gexp = 0;
    size_t w = 0, g = 0;
    int seen_point = 0, lead = 1;
    size_t nonzero_end = 0, sig = 0;

    /* digits of the input without sign, leading zeros and trailing zeros; exponent adjusted */
    size_t i = (p[0] == '-' || p[0] == '+');
    int exp10 = 0;
    for (; i < n && p[i] != 'e' && p[i] != 'E'; i++) {
        if (p[i] == '.') {
            seen_point = 1;
            continue;
        }
        if (lead && p[i] == '0') {
            if (seen_point) exp10--;
            continue;
        }
        lead = 0;
        if (w < sizeof want - 1) want[w++] = p[i];
        sig++;
        if (p[i] != '0') nonzero_end = sig;
        if (!seen_point) exp10++;
    }
    /* more than 17 significant digits never print back from a double */
    if (nonzero_end > 17) return 0;
    if (i < n) { /* p is not NUL-terminated: parse the exponent within n, clamped */
        size_t k = i + 1;
        int neg = k < n && p[k] == '-', e = 0;
        if (k < n && (p[k] == '-' || p[k] == '+')) k++;
        for (; k < n && digit(p[k]); k++) e = e < 100000 ? e * 10 + (p[k] - '0') : e;
        exp10 += neg ? -e : e;
    }
    while (w > 0 && want[w - 1] == '0') w--;
    want[w] = 0;
    wexp = exp10;
    if (w == 0) return d == 0;
    if (d == 0) return 0; /* underflow: 1e-400 */
    /* 15 significant digits always survive a normal double (not a subnormal one) */
    if (w <= 15 && fpclassify(d) == FP_NORMAL) return 1;

    /* shortest of %.15e..%.17e that reads back as d */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, fabs(d));
        if (strtod(tmp, NULL) == fabs(d)) break;
    }
    lead = 1;
    for (i = 0; tmp[i] && tmp[i] != 'e'; i++) {
        if (tmp[i] == '.') continue;
        if (g < sizeof got - 1) got[g++] = tmp[i];
    }
    gexp = atoi(strchr(tmp, 'e') + 1) + 1;
    while (g > 0 && got[g - 1] == '0') g--;
    got[g] = 0;
    return wexp == gexp && !strcmp(want, got);
}

int sl__parse_number(const char *p, size_t n, int strict, double *out)
{
    char tmp[64], *buf = tmp, *end;
    size_t i = 0, digits = 0;
    int rc = -1;

    if (n == 0) return -1;
    if (!strict) {
        const char *s = p + (p[0] == '+' || p[0] == '-');
        size_t m = n - (size_t)(s - p);
        if ((m == 3 && !strncasecmp(s, "nan", 3)) || (m == 3 && !strncmp(s, "INF", 3)) ||
            (m == 8 && !strncmp(s, "Infinity", 8))) {
            *out = (m == 3 && (s[0] == 'N' || s[0] == 'n')) ? NAN
                                                            : (p[0] == '-' ? -INFINITY : INFINITY);
            return 0;
        }
    }
    /* grammar */
    if (p[i] == '-' || (!strict && p[i] == '+')) i++;
    if (strict) {
        if (i < n && p[i] == '0' && i + 1 < n && digit(p[i + 1])) return -1;
    }
    while (i < n && digit(p[i])) i++, digits++;
    if (i < n && p[i] == '.') {
        i++;
        size_t frac = 0;
        while (i < n && digit(p[i])) i++, frac++;
        if (strict && frac == 0) return -1;
        digits += frac;
    }
    if (digits == 0) return -1;
    if (strict && (p[0] == '-' ? p[1] == '.' : p[0] == '.')) return -1;
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < n && (p[i] == '+' || p[i] == '-')) i++;
        size_t ed = 0;
        while (i < n && digit(p[i])) i++, ed++;
        if (ed == 0) return -1;
    }
    if (i != n) return -1;
    if (n >= sizeof tmp) buf = malloc(n + 1);
    if (!buf) return -1;
    memcpy(buf, p, n);
    buf[n] = 0;
    double d = strtod(buf, &end);
    if (isinf(d)) goto out; /* 1e999: not a number we can hold */
    if (strict && !sl__number_exact(p, n, d)) goto out;
    *out = d;
    rc = 0;
out:
    if (buf != tmp) free(buf);
    return rc;
}

int sl__parse_bool(const char *p, size_t n, int words_only, int *out)
{
    static const char *const t[] = {"true", "True", "TRUE"}, *const f[] = {"false", "False",
                                                                           "FALSE"};
    for (int i = 0; i < 3; i++) {
        if (n == strlen(t[i]) && !memcmp(p, t[i], n)) return *out = 1, 0;
        if (n == strlen(f[i]) && !memcmp(p, f[i], n)) return *out = 0, 0;
    }
    if (!words_only && n == 1 && (p[0] == '1' || p[0] == '0')) return *out = p[0] == '1', 0;
    return -1;
}

static int num(const char *p, int k)
{
    int v = 0;
    for (int i = 0; i < k; i++) {
        if (!digit(p[i])) return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

int sl__parse_date(const char *p, size_t n)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (n != 10 || p[4] != '-' || p[7] != '-') return -1;
    int y = num(p, 4), m = num(p + 5, 2), d = num(p + 8, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return -1;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return -1;
    return 0;
}

/* hh:mm[:ss[.f+]]; seconds required unless allow_short. Returns chars used or -1. */
static int clock_part(const char *p, size_t n, int allow_short)
{
    if (n < 5 || p[2] != ':') return -1;
    int h = num(p, 2), m = num(p + 3, 2);
    if (h < 0 || h > 23 || m < 0 || m > 59) return -1;
    if (n == 5 || p[5] != ':') return allow_short ? 5 : -1;
    if (n < 8) return -1;
    int s = num(p + 6, 2);
    if (s < 0 || s > 60) return -1;
    size_t i = 8;
    if (i < n && p[i] == '.') {
        i++;
        size_t f = 0;
        while (i < n && digit(p[i])) i++, f++;
        if (f == 0) return -1;
    }
    return (int)i;
}

int sl__parse_time(const char *p, size_t n)
{
    int k = clock_part(p, n, 0);
    return k == (int)n ? 0 : -1;
}

int sl__parse_datetime(const char *p, size_t n)
{
    if (n < 16 || sl__parse_date(p, 10) || (p[10] != 'T' && p[10] != ' ')) return -1;
    int k = clock_part(p + 11, n - 11, 1);
    if (k < 0) return -1;
    size_t i = 11 + (size_t)k;
    if (i == n) return 0;
    if (p[i] == 'Z' && i + 1 == n) return 0;
    if (p[i] != '+' && p[i] != '-') return -1;
    i++;
    /* ±hh, ±hhmm, ±hh:mm */
    if (n - i == 2 || n - i == 4 || n - i == 5) {
        int hh = num(p + i, 2);
        if (hh < 0 || hh > 23) return -1;
        if (n - i == 2) return 0;
        const char *mm = p + i + (n - i == 5 ? 3 : 2);
        if (n - i == 5 && p[i + 2] != ':') return -1;
        int m = num(mm, 2);
        return m >= 0 && m <= 59 ? 0 : -1;
    }
    return -1;
}

int sl__parse_year(const char *p, size_t n, int64_t *out)
{
    if (n != 4 || num(p, 4) < 0) return -1;
    *out = num(p, 4);
    return 0;
}

int sl__parse_yearmonth(const char *p, size_t n)
{
    if (n != 7 || p[4] != '-' || num(p, 4) < 0) return -1;
    int m = num(p + 5, 2);
    return m >= 1 && m <= 12 ? 0 : -1;
}
