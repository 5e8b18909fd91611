/*
 * Timestamps for the timestamp transform: strptime-like formats, epoch and iso8601 (the one
 * ISO 8601 parser, sl_time_parse). The zones are src/core/tz.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sluice/time.h"
#include "sluice/transform.h"

static unsigned month_days(int64_t y, unsigned m)
{
    static const unsigned md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : md[m - 1];
}

/* ---- parsing timestamps ------------------------------------------------------------------- */

static const char *const months[] = {"january",   "february", "march",    "april",
                                     "may",       "june",     "july",     "august",
                                     "september", "october",  "november", "december"};

/* Up to max digits (at least min) → *v. */
static int digits(const char **p, const char *end, int min, int max, int64_t *v)
{
    int k = 0;
    *v = 0;
    while (*p < end && k < max && isdigit((unsigned char)**p)) *v = *v * 10 + (*(*p)++ - '0'), k++;
    return k >= min ? 0 : -1;
}

static int parse_offset(const char **p, const char *end, int32_t *off)
{
    const char *q = *p;
    int64_t h, m = 0;
    if (q < end && (*q == 'Z' || *q == 'z')) {
        *off = 0;
        *p = q + 1;
        return 0;
    }
    if (q >= end || (*q != '+' && *q != '-')) return -1;
    int sign = *q++ == '-' ? -1 : 1;
    if (digits(&q, end, 2, 2, &h)) return -1;
    if (q < end && *q == ':') q++;
    if (q < end && isdigit((unsigned char)*q) && digits(&q, end, 2, 2, &m)) return -1;
    if (m > 59 || h * 60 + m > 14 * 60) return -1; /* as sl_time_parse: within ±14:00 */
    *off = sign * (int32_t)(h * 3600 + m * 60);
    *p = q;
    return 0;
}

static int parse_epoch(const char *p, size_t n, int millis, struct sl_ts *o)
{
    const char *q = p, *end = p + n;
    int neg = 0;
    int64_t v;
    if (q < end && *q == '-') neg = 1, q++;
    if (digits(&q, end, 1, 18, &v)) return -1;
    o->has_offset = 1;
    o->offset = 0;
    if (millis) {
        if (q != end) return -1;
        int64_t s = v / 1000, ms = v % 1000;
        if (neg && ms)
            s = -s - 1, ms = 1000 - ms;
        else if (neg)
            s = -s;
        o->t = s;
        snprintf(o->frac, sizeof o->frac, "%03d", (int)ms);
        return 0;
    }
    o->t = neg ? -v : v;
    if (q < end && *q == '.') {
        size_t k = 0;
        q++;
        while (q < end && isdigit((unsigned char)*q) && k < 9) o->frac[k++] = *q++;
        o->frac[k] = 0;
        if (!k) return -1;
        if (neg) return -1; /* negative fractional epochs: not worth the ambiguity */
    }
    return q == end ? 0 : -1;
}

int sl_ts_parse(const char *fmt, const char *p, size_t n, struct sl_ts *o)
{
    const char *end = p + n;
    int64_t Y = 1970, M = 1, D = 1, h = 0, mi = 0, s = 0, v;
    int pm = -1, h12 = 0;

    memset(o, 0, sizeof *o);
    if (!strcmp(fmt, "epoch")) return parse_epoch(p, n, 0, o);
    if (!strcmp(fmt, "epoch_ms")) return parse_epoch(p, n, 1, o);
    if (!strcmp(fmt, "iso8601")) {
        /* the one ISO 8601 parser (src/core/time.c); the fraction must fit sl_ts (ns) */
        struct sl_datetime d;
        if (sl_time_parse(p, n,
                          SL_ISO_DATETIME | SL_ISO_DATE_ONLY_OK | SL_ISO_SHORT_TIME | SL_ISO_OFFSET,
                          &d) ||
            d.nfrac >= (int)sizeof o->frac)
            return -1;
        if (d.second == 60) d.second = 59; /* a leap second lands on the second before it */
        memcpy(o->frac, d.frac, (size_t)d.nfrac);
        o->frac[d.nfrac] = 0;
        o->has_offset = d.has_offset;
        o->offset = d.offset;
        d.offset = 0; /* o->t is the wall time; the caller applies the offset */
        o->t = sl_time_epoch(&d, NULL);
        return 0;
    }
    for (const char *f = fmt; *f; f++) {
        if (*f == ' ') {
            if (p >= end || !isspace((unsigned char)*p)) return -1;
            while (p < end && isspace((unsigned char)*p)) p++;
            continue;
        }
        if (*f != '%') {
            if (p >= end || *p != *f) return -1;
            p++;
            continue;
        }
        switch (*++f) {
        case 'Y':
            if (digits(&p, end, 4, 4, &Y)) return -1;
            break;
        case 'y':
            if (digits(&p, end, 2, 2, &v)) return -1;
            Y = v < 69 ? 2000 + v : 1900 + v; /* POSIX */
            break;
        case 'm':
            if (digits(&p, end, 1, 2, &M)) return -1;
            break;
        case 'e':
            if (p < end && *p == ' ') p++;
            /* fall through */
        case 'd':
            if (digits(&p, end, 1, 2, &D)) return -1;
            break;
        case 'H':
            if (digits(&p, end, 1, 2, &h)) return -1;
            break;
        case 'I':
            if (digits(&p, end, 1, 2, &h)) return -1;
            h12 = 1;
            break;
        case 'M':
            if (digits(&p, end, 1, 2, &mi)) return -1;
            break;
        case 'S':
            if (digits(&p, end, 1, 2, &s)) return -1;
            break;
        case 'f': {
            size_t k = 0;
            while (p < end && isdigit((unsigned char)*p) && k < 9) o->frac[k++] = *p++;
            o->frac[k] = 0;
            if (!k) return -1;
            break;
        }
        case 'z':
            if (parse_offset(&p, end, &o->offset)) return -1;
            o->has_offset = 1;
            break;
        case 'b':
        case 'B': {
            int found = 0;
            for (int i = 0; i < 12 && !found; i++) {
                size_t full = strlen(months[i]);
                if ((size_t)(end - p) >= full && !strncasecmp(p, months[i], full)) {
                    M = i + 1, p += full, found = 1;
                } else if (end - p >= 3 && !strncasecmp(p, months[i], 3)) {
                    M = i + 1, p += 3, found = 1;
                    if (p < end && *p == '.') p++;
                }
            }
            if (!found) return -1;
            break;
        }
        case 'p':
            if (end - p >= 2 && !strncasecmp(p, "AM", 2))
                pm = 0;
            else if (end - p >= 2 && !strncasecmp(p, "PM", 2))
                pm = 1;
            else
                return -1;
            p += 2;
            break;
        case 'T':
            if (digits(&p, end, 1, 2, &h) || p >= end || *p++ != ':' ||
                digits(&p, end, 1, 2, &mi) || p >= end || *p++ != ':' || digits(&p, end, 1, 2, &s))
                return -1;
            break;
        case 'F':
            if (digits(&p, end, 4, 4, &Y) || p >= end || *p++ != '-' || digits(&p, end, 1, 2, &M) ||
                p >= end || *p++ != '-' || digits(&p, end, 1, 2, &D))
                return -1;
            break;
        case '%':
            if (p >= end || *p++ != '%') return -1;
            break;
        default: return -1;
        }
    }
    if (p != end) return -1;
    if (h12) {
        if (pm < 0 || h < 1 || h > 12) return -1;
        h = h % 12 + (pm ? 12 : 0);
    } else if (pm >= 0) {
        return -1;
    }
    if (M < 1 || M > 12 || D < 1 || D > (int64_t)month_days(Y, (unsigned)M) || h > 23 || mi > 59 ||
        s > 60)
        return -1;
    if (s == 60) s = 59; /* a leap second lands on the second before it */
    o->t = sl_days_from_civil(Y, M, D) * 86400 + h * 3600 + mi * 60 + s;
    return 0;
}

int sl_ts_format(int64_t t, const char *frac, char *buf, size_t cap)
{
    return sl_time_format_utc(t, frac, buf, cap);
}
