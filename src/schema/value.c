/* Typed values from text. Every parser checks the whole text: no trailing garbage. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "value.h"
#include "sluice/time.h"
#include "sluice/schema.h"

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

int sl_parse_number(const char *p, size_t n, int strict, double *out)
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

/* Dates and times: the one ISO 8601 parser (src/core/time.c, include/sluice/time.h). */
int sl__parse_date(const char *p, size_t n)
{
    struct sl_datetime d;
    return sl_time_parse(p, n, SL_ISO_DATE, &d);
}

int sl__parse_time(const char *p, size_t n)
{
    struct sl_datetime d;
    return sl_time_parse(p, n, SL_ISO_TIME, &d);
}

int sl__parse_datetime(const char *p, size_t n)
{
    struct sl_datetime d;
    return sl_time_parse(p, n, SL_ISO_DATETIME | SL_ISO_SHORT_TIME | SL_ISO_OFFSET, &d);
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

/* ---- dates and times with formats --------------------------------------------------------- */

struct tmx {
    int y, mo, d, h, mi, s;
    int pm;         /* -1 none, 0 am, 1 pm (with %I) */
    char frac[16];  /* fraction digits of the second, as written */
    int has_tz, tz; /* offset in minutes east of UTC */
    int has_date, has_time;
};

static const char *const months[] = {"january",   "february", "march",    "april",
                                     "may",       "june",     "july",     "august",
                                     "september", "october",  "november", "december"};
static const char *const wdays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                    "friday", "saturday", "sunday"};

/* Reads 1..max digits (exactly max when fixed). */
static int read_num(const char *p, size_t n, size_t *i, int min, int max, int *out)
{
    int v = 0, k = 0;
    while (*i < n && k < max && digit(p[*i])) v = v * 10 + (p[(*i)++] - '0'), k++;
    if (k < min) return -1;
    *out = v;
    return 0;
}

static int read_name(const char *p, size_t n, size_t *i, const char *const *names, int count,
                     int *out)
{
    for (int k = 0; k < count; k++) {
        size_t full = strlen(names[k]);
        if (*i + full <= n && !strncasecmp(p + *i, names[k], full)) {
            *i += full;
            *out = k;
            return 0;
        }
        if (*i + 3 <= n && !strncasecmp(p + *i, names[k], 3)) {
            *i += 3;
            *out = k;
            return 0;
        }
    }
    return -1;
}

/* Z, ±hh, ±hhmm, ±hh:mm (a pattern's %z) */
static int read_tz(const char *p, size_t n, size_t *i, struct tmx *t)
{
    if (*i < n && p[*i] == 'Z') {
        (*i)++;
        t->has_tz = 1;
        t->tz = 0;
        return 0;
    }
    if (*i >= n || (p[*i] != '+' && p[*i] != '-')) return -1;
    int sign = p[*i] == '-' ? -1 : 1, hh, mm = 0;
    (*i)++;
    if (*i + 2 > n || read_num(p, n, i, 2, 2, &hh) || hh > 23) return -1;
    if (*i < n && p[*i] == ':') {
        (*i)++;
        if (read_num(p, n, i, 2, 2, &mm)) return -1;
    } else if (*i + 2 <= n && digit(p[*i])) {
        if (read_num(p, n, i, 2, 2, &mm)) return -1;
    }
    if (mm > 59 || hh * 60 + mm > 14 * 60) return -1; /* as sl_time_parse: within ±14:00 */
    t->has_tz = 1;
    t->tz = sign * (hh * 60 + mm);
    return 0;
}

static int read_frac(const char *p, size_t n, size_t *i, struct tmx *t)
{
    size_t k = 0;
    while (*i < n && digit(p[*i])) {
        if (k < sizeof t->frac - 1) t->frac[k++] = p[*i];
        (*i)++;
    }
    t->frac[k] = 0;
    return k ? 0 : -1;
}

const char *sl__pattern_check(const char *fmt, int type)
{
    int year = 0, month = 0, day = 0, hour = 0, h12 = 0, ampm = 0;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') continue;
        f++;
        switch (*f) {
        case 'Y':
        case 'y': year = 1; break;
        case 'm':
        case 'b':
        case 'B':
        case 'h': month = 1; break;
        case 'd':
        case 'e': day = 1; break;
        case 'F': year = month = day = 1; break;
        case 'H':
        case 'T':
        case 'R': hour = 1; break;
        case 'I': hour = h12 = 1; break;
        case 'p': ampm = 1; break;
        case 'a':
        case 'A':
        case 'M':
        case 'S':
        case 'f':
        case 'z':
        case 'Z':
        case '%': break;
        default:
            return "unsupported directive in the pattern (known: %Y %y %m %d %e %b %B %a "
                   "%A %H %I %M %S %f %p %z %Z %F %T %R %%)";
        }
    }
    if (type != SL_TYPE_TIME && !(year && month && day))
        return "the pattern needs a year, a month and a day (%Y, %m or %b, %d)";
    if (type != SL_TYPE_DATE && !hour) return "the pattern needs an hour (%H, or %I with %p)";
    if (h12 != ampm) return "%I (12-hour clock) and %p (AM/PM) go together";
    return NULL;
}

/* Matches the whole of p against a strptime-like pattern. */
static int match_pattern(const char *fmt, const char *p, size_t n, struct tmx *t)
{
    size_t i = 0;
    int v;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            if (*f == ' ') { /* a space matches any run of spaces, as strptime does */
                if (i >= n || p[i] != ' ') return -1;
                while (i < n && p[i] == ' ') i++;
                continue;
            }
            if (i >= n || p[i] != *f) return -1;
            i++;
            continue;
        }
        f++;
        switch (*f) {
        case 'Y':
            if (read_num(p, n, &i, 4, 4, &t->y)) return -1;
            t->has_date = 1;
            break;
        case 'y':
            if (read_num(p, n, &i, 2, 2, &v)) return -1;
            t->y = v < 69 ? 2000 + v : 1900 + v; /* POSIX strptime's pivot */
            t->has_date = 1;
            break;
        case 'm':
            if (read_num(p, n, &i, 1, 2, &t->mo)) return -1;
            break;
        case 'd':
        case 'e':
            if (*f == 'e' && i < n && p[i] == ' ') i++;
            if (read_num(p, n, &i, 1, 2, &t->d)) return -1;
            break;
        case 'b':
        case 'B':
        case 'h':
            if (read_name(p, n, &i, months, 12, &v)) return -1;
            t->mo = v + 1;
            break;
        case 'a':
        case 'A':
            if (read_name(p, n, &i, wdays, 7, &v)) return -1;
            break;
        case 'H':
        case 'I':
            if (read_num(p, n, &i, 1, 2, &t->h)) return -1;
            t->has_time = 1;
            break;
        case 'M':
            if (read_num(p, n, &i, 1, 2, &t->mi)) return -1;
            break;
        case 'S':
            if (read_num(p, n, &i, 1, 2, &t->s)) return -1;
            break;
        case 'f':
            if (read_frac(p, n, &i, t)) return -1;
            break;
        case 'p':
            if (i + 2 > n) return -1;
            if (!strncasecmp(p + i, "am", 2))
                t->pm = 0;
            else if (!strncasecmp(p + i, "pm", 2))
                t->pm = 1;
            else
                return -1;
            i += 2;
            break;
        case 'z':
        case 'Z':
            if (read_tz(p, n, &i, t)) return -1;
            break;
        case 'F':
            if (match_pattern("%Y-%m-%d", p + i, 10 <= n - i ? 10 : n - i, t)) return -1;
            i += 10;
            break;
        case 'T':
        case 'R': {
            size_t k = *f == 'T' ? 8 : 5;
            if (k > n - i || match_pattern(*f == 'T' ? "%H:%M:%S" : "%H:%M", p + i, k, t))
                return -1;
            i += k;
            break;
        }
        case '%':
            if (i >= n || p[i] != '%') return -1;
            i++;
            break;
        default: return -1;
        }
    }
    if (i != n) return -1;
    if (t->pm >= 0) {
        if (t->h < 1 || t->h > 12) return -1;
        t->h = t->h % 12 + (t->pm ? 12 : 0);
    }
    return 0;
}

static int valid_tmx(const struct tmx *t, int type)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (type != SL_TYPE_TIME) {
        if (t->y < 0 || t->y > 9999 || t->mo < 1 || t->mo > 12 || t->d < 1 ||
            t->d > mdays[t->mo - 1])
            return -1;
        if (t->mo == 2 && t->d == 29 && !((t->y % 4 == 0 && t->y % 100 != 0) || t->y % 400 == 0))
            return -1;
    }
    if (t->h > 23 || t->mi > 59 || t->s > 60) return -1;
    return 0;
}

/* ISO forms: date, time, datetime as the default format accepts them (sl_time_parse). */
static int parse_iso(int type, const char *p, size_t n, struct tmx *t)
{
    static const unsigned flags[] = {
        [SL_TYPE_DATE] = SL_ISO_DATE,
        [SL_TYPE_TIME] = SL_ISO_TIME | SL_ISO_OFFSET,
        [SL_TYPE_DATETIME] =
            SL_ISO_DATETIME | SL_ISO_DATE_ONLY_OK | SL_ISO_SHORT_TIME | SL_ISO_OFFSET,
    };
    struct sl_datetime d;
    if (type < 0 || (size_t)type >= sizeof flags / sizeof flags[0] || !flags[type] ||
        sl_time_parse(p, n, flags[type], &d))
        return -1;
    t->y = d.year, t->mo = d.has_date ? d.month : 1, t->d = d.has_date ? d.day : 1;
    t->h = d.hour, t->mi = d.minute, t->s = d.second;
    /* most values have no fraction: no strlen call per cell then (a profile's 3%) */
    size_t k = d.frac[0] ? strnlen(d.frac, sizeof t->frac - 1) : 0;
    memcpy(t->frac, d.frac, k);
    t->frac[k] = 0;
    t->has_tz = d.has_offset;
    t->tz = d.offset / 60;
    t->has_date = d.has_date;
    t->has_time = d.has_time;
    return 0;
}

static const char *const any_dates[] = {"%Y-%m-%d",     "%Y/%m/%d",  "%Y%m%d",
                                        "%d %b %Y",     "%b %d, %Y", "%b %d %Y",
                                        "%a, %d %b %Y", "%d.%m.%Y",  NULL};
static const char *const any_times[] = {"%H:%M:%S",    "%H:%M:%S.%f", "%H:%M", "%I:%M %p",
                                        "%I:%M:%S %p", "%I %p",       NULL};

static int parse_any(int type, const char *p, size_t n, struct tmx *t)
{
    struct tmx z = *t;
    if (!parse_iso(type, p, n, t)) return 0;
    if (type == SL_TYPE_DATE || type == SL_TYPE_TIME) {
        const char *const *list = type == SL_TYPE_DATE ? any_dates : any_times;
        for (int i = 0; list[i]; i++) {
            *t = z;
            if (!match_pattern(list[i], p, n, t)) return 0;
        }
        return -1;
    }
    /* datetime: a date form, a separator, a time form, an optional zone */
    char pat[64];
    for (int i = 0; any_dates[i]; i++)
        for (int k = 0; any_times[k]; k++)
            for (int z2 = 0; z2 < 3; z2++) {
                static const char *const zones[] = {"", " %z", "%z"};
                for (int sep = 0; sep < 2; sep++) {
                    snprintf(pat, sizeof pat, "%s%s%s%s", any_dates[i], sep ? "T" : " ",
                             any_times[k], zones[z2]);
                    *t = z;
                    if (!match_pattern(pat, p, n, t)) return 0;
                }
            }
    *t = z;
    return -1;
}

/* v in exactly width decimal digits (0 <= v < 10^width) */
static char *put_digits(char *o, int v, int width)
{
    for (int i = width - 1; i >= 0; i--, v /= 10) o[i] = (char)('0' + v % 10);
    return o + width;
}

int sl__datetime_cast(int type, int fmt, const char *pattern, const char *p, size_t n, char *out,
                      size_t cap, size_t *outlen)
{
    struct tmx t;
    int rc;

    memset(&t, 0, sizeof t);
    t.pm = -1;
    t.mo = t.d = 1;
    if (fmt == 2 /* SL_FMT_PATTERN */)
        rc = match_pattern(pattern, p, n, &t);
    else if (fmt == 1 /* SL_FMT_ANY */)
        rc = parse_any(type, p, n, &t);
    else
        rc = parse_iso(type, p, n, &t);
    if (rc || valid_tmx(&t, type)) return -1;
    if (t.has_tz && type == SL_TYPE_DATETIME && t.tz) {
        /* to UTC */
        int64_t days = sl_days_from_civil(t.y, t.mo, t.d);
        int64_t mins = days * 1440 + t.h * 60 + t.mi - t.tz;
        int64_t dd = mins >= 0 ? mins / 1440 : -((-mins + 1439) / 1440);
        int64_t rem = mins - dd * 1440;
        int64_t yy;
        sl_civil_from_days(dd, &yy, &t.mo, &t.d);
        t.y = (int)yy;
        t.h = (int)(rem / 60);
        t.mi = (int)(rem % 60);
        if (t.y < 0 || t.y > 9999) return -1;
    }
    /* written by hand: snprintf was a fifth of a load's CPU time on a file with a datetime */
    char tmp[64], *o = tmp;
    size_t nf = t.frac[0] ? strnlen(t.frac, sizeof t.frac) : 0;
    if (type != SL_TYPE_TIME) {
        o = put_digits(o, t.y, 4);
        *o++ = '-';
        o = put_digits(o, t.mo, 2);
        *o++ = '-';
        o = put_digits(o, t.d, 2);
    }
    if (type != SL_TYPE_DATE) {
        if (type != SL_TYPE_TIME) *o++ = 'T';
        o = put_digits(o, t.h, 2);
        *o++ = ':';
        o = put_digits(o, t.mi, 2);
        *o++ = ':';
        o = put_digits(o, t.s, 2);
        if (nf) {
            if (nf > 18) nf = 18;
            *o++ = '.';
            memcpy(o, t.frac, nf);
            o += nf;
        }
        if (type != SL_TYPE_TIME && t.has_tz) *o++ = 'Z';
    }
    *outlen = (size_t)(o - tmp);
    if (*outlen >= cap) return -1;
    memcpy(out, tmp, *outlen);
    out[*outlen] = 0;
    return *outlen < cap ? 0 : -1;
}

/* ISO 8601 duration: PnYnMnDTnHnMnS (the last unit may have a fraction) or PnW. */
int sl__parse_duration(const char *p, size_t n)
{
    struct sl_duration d;
    return sl_time_parse_duration(p, n, &d);
}
