/*
 * Time zones and timestamps for the timestamp transform.
 *
 * Zones are read from the system's TZif files (RFC 8536) into memory and evaluated by hand:
 * localtime_r/mktime depend on TZ and tzset, which are process-wide and not safe to change
 * while the reader thread runs. Times after the file's last transition follow its POSIX TZ
 * footer ("CET-1CEST,M3.5.0,M10.5.0/3"), so a "slim" zoneinfo works as well as a fat one.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sluice/transform.h"

struct rule {
    int kind; /* 'M' month.week.day, 'J' Julian 1..365 without Feb 29, 'D' zero-based day */
    int m, w, d, n;
    int32_t time; /* seconds after local midnight (may be negative or > 24 h) */
};

struct sl_tz {
    int64_t *trans; /* UTC instants of transitions, ascending */
    uint8_t *idx;   /* type after each transition */
    size_t ntrans;
    int32_t *utoff; /* per type */
    size_t ntypes;
    int32_t type0; /* offset before the first transition */
    int has_footer, has_dst;
    int32_t std_off, dst_off;
    struct rule start, end;
};

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(int64_t y, unsigned m)
{
    static const unsigned md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : md[m - 1];
}

/* ---- the POSIX TZ footer ------------------------------------------------------------------ */

static const char *tz_name(const char *p)
{
    if (*p == '<') {
        const char *q = strchr(p, '>');
        return q ? q + 1 : NULL;
    }
    const char *s = p;
    while (isalpha((unsigned char)*p)) p++;
    return p - s >= 3 ? p : NULL;
}

/* [+-]hh[:mm[:ss]] → seconds; hours up to 167 (rule times). */
static const char *tz_secs(const char *p, int32_t *out)
{
    int sign = 1, h = 0, m = 0, s = 0;
    if (*p == '+' || *p == '-') sign = *p++ == '-' ? -1 : 1;
    if (!isdigit((unsigned char)*p)) return NULL;
    while (isdigit((unsigned char)*p)) h = h * 10 + (*p++ - '0');
    if (*p == ':') {
        p++;
        while (isdigit((unsigned char)*p)) m = m * 10 + (*p++ - '0');
        if (*p == ':') {
            p++;
            while (isdigit((unsigned char)*p)) s = s * 10 + (*p++ - '0');
        }
    }
    if (h > 167 || m > 59 || s > 59) return NULL;
    *out = sign * (h * 3600 + m * 60 + s);
    return p;
}

static const char *tz_rule(const char *p, struct rule *r)
{
    memset(r, 0, sizeof *r);
    r->time = 7200;
    if (*p == 'M') {
        r->kind = 'M';
        if (sscanf(p + 1, "%d.%d.%d", &r->m, &r->w, &r->d) != 3) return NULL;
        if (r->m < 1 || r->m > 12 || r->w < 1 || r->w > 5 || r->d < 0 || r->d > 6) return NULL;
        p++;
        while (isdigit((unsigned char)*p) || *p == '.') p++;
    } else {
        r->kind = *p == 'J' ? 'J' : 'D';
        if (*p == 'J') p++;
        if (!isdigit((unsigned char)*p)) return NULL;
        while (isdigit((unsigned char)*p)) r->n = r->n * 10 + (*p++ - '0');
    }
    if (*p == '/') p = tz_secs(p + 1, &r->time);
    return p;
}

static int parse_footer(struct sl_tz *z, const char *s)
{
    const char *p = tz_name(s);
    int32_t off;
    if (!p || !(p = tz_secs(p, &off)) || off < -89999 || off > 89999) return -1;
    z->std_off = -off; /* POSIX offsets are west of UTC, at most 24:59:59 */
    z->has_footer = 1;
    if (!*p) return 0;
    if (!(p = tz_name(p))) return -1;
    z->has_dst = 1;
    z->dst_off = z->std_off + 3600;
    if (*p && *p != ',') {
        if (!(p = tz_secs(p, &off)) || off < -89999 || off > 89999) return -1;
        z->dst_off = -off;
    }
    if (*p != ',' || !(p = tz_rule(p + 1, &z->start))) return -1;
    if (*p != ',' || !(p = tz_rule(p + 1, &z->end))) return -1;
    return *p ? -1 : 0;
}

/* Local midnight day number of a rule in year y, plus its time: local seconds. */
static int64_t rule_local(const struct rule *r, int64_t y)
{
    int64_t day;
    if (r->kind == 'M') {
        int64_t first = sl_days_from_civil(y, r->m, 1);
        int wd = (int)((first + 4) % 7); /* 1970-01-01 was a Thursday (4) */
        if (wd < 0) wd += 7;
        int64_t d = first + (r->d - wd + 7) % 7 + (int64_t)(r->w - 1) * 7;
        int64_t last = first + month_days(y, (unsigned)r->m) - 1;
        while (d > last) d -= 7;
        day = d;
    } else if (r->kind == 'J') {
        day = sl_days_from_civil(y, 1, 1) + r->n - 1 + (is_leap(y) && r->n >= 60);
    } else {
        day = sl_days_from_civil(y, 1, 1) + r->n;
    }
    return day * 86400 + r->time;
}

static int32_t footer_offset(const struct sl_tz *z, int64_t t)
{
    if (!z->has_dst) return z->std_off;
    int64_t y;
    int m, d;
    sl_civil_from_days((t + z->std_off) / 86400 - ((t + z->std_off) % 86400 < 0), &y, &m, &d);
    /* start is given in standard local time, end in daylight local time */
    int64_t start = rule_local(&z->start, y) - z->std_off;
    int64_t end = rule_local(&z->end, y) - z->dst_off;
    if (start < end) return t >= start && t < end ? z->dst_off : z->std_off;
    return t >= end && t < start ? z->std_off : z->dst_off; /* southern hemisphere */
}

/* ---- TZif -------------------------------------------------------------------------------- */

static int64_t be(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v = v << 8 | p[i];
    if (n == 4) return (int32_t)(uint32_t)v;
    return (int64_t)v;
}

static int parse_tzif(struct sl_tz *z, const unsigned char *p, size_t n)
{
    const unsigned char *end = p + n;
    int version, tsize = 4;
    for (int pass = 0; pass < 2; pass++) {
        if (end - p < 44 || memcmp(p, "TZif", 4)) return -1;
        version = p[4];
        int64_t isutcnt = be(p + 20, 4), isstdcnt = be(p + 24, 4), leapcnt = be(p + 28, 4),
                timecnt = be(p + 32, 4), typecnt = be(p + 36, 4), charcnt = be(p + 40, 4);
        if (timecnt < 0 || typecnt <= 0 || typecnt > 256 || charcnt < 0 || leapcnt < 0 ||
            isutcnt < 0 || isstdcnt < 0 || timecnt > 100000)
            return -1;
        size_t body = (size_t)(timecnt * tsize + timecnt + typecnt * 6 + charcnt +
                               leapcnt * (tsize + 4) + isstdcnt + isutcnt);
        p += 44;
        if ((size_t)(end - p) < body) return -1;
        if (pass == 0 && version >= '2') {
            p += body; /* skip the 32-bit block: the 64-bit one follows */
            tsize = 8;
            continue;
        }
        z->ntrans = (size_t)timecnt;
        z->trans = sl_xcalloc(z->ntrans ? z->ntrans : 1, sizeof *z->trans);
        z->idx = sl_xcalloc(z->ntrans ? z->ntrans : 1, 1);
        for (size_t i = 0; i < z->ntrans; i++) z->trans[i] = be(p + i * tsize, tsize);
        p += timecnt * tsize;
        for (size_t i = 0; i < z->ntrans; i++) {
            z->idx[i] = p[i];
            if (p[i] >= typecnt) return -1;
        }
        p += timecnt;
        z->ntypes = (size_t)typecnt;
        z->utoff = sl_xcalloc(z->ntypes, sizeof *z->utoff);
        for (size_t i = 0; i < z->ntypes; i++) {
            z->utoff[i] = (int32_t)be(p + i * 6, 4);
            /* RFC 8536: UT offsets lie in [-89999, 93599] (under 25/26 hours) */
            if (z->utoff[i] < -89999 || z->utoff[i] > 93599) return -1;
        }
        z->type0 = z->utoff[0];
        p += body - (size_t)(timecnt * tsize + timecnt);
        if (tsize == 8 && end - p > 2 && *p == '\n') {
            const unsigned char *nl = memchr(p + 1, '\n', (size_t)(end - p - 1));
            if (nl && nl > p + 1) {
                char foot[128];
                size_t k = (size_t)(nl - p - 1);
                if (k >= sizeof foot) return -1;
                memcpy(foot, p + 1, k);
                foot[k] = 0;
                if (parse_footer(z, foot)) return -1;
            }
        }
        return 0;
    }
    return -1;
}

int sl_tz_open(const char *name, struct sl_tz **out, struct sl_error *err)
{
    const char *dir = getenv("TZDIR");
    struct sl_tz *z = sl_xcalloc(1, sizeof *z);
    unsigned char *data = NULL;
    size_t len = 0;
    char *path = NULL;
    FILE *f = NULL;
    int rc = 0;

    *out = NULL;
    if (!strcasecmp(name, "UTC") || !strcmp(name, "Z") || !strcasecmp(name, "Etc/UTC")) {
        z->has_footer = 1; /* no transitions, offset 0 */
        *out = z;
        return 0;
    }
    if (!*name || name[0] == '/' || strstr(name, "..") || strlen(name) > 200) {
        rc = sl_error_set(err, SL_ECONFIG, "'%s' is not a time zone name (e.g. Europe/Berlin)",
                          name);
        goto out;
    }
    path = sl_xasprintf("%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
    if (!(f = fopen(path, "rb"))) {
        rc = sl_error_set(err, SL_ECONFIG, "unknown time zone '%s' (no %s)", name, path);
        goto out;
    }
    data = sl_xmalloc(1 << 20);
    len = fread(data, 1, 1 << 20, f);
    if (parse_tzif(z, data, len)) {
        rc = sl_error_set(err, SL_ECONFIG, "time zone '%s': %s is not a TZif file", name, path);
        goto out;
    }
    *out = z;
    z = NULL;
out:
    if (f) fclose(f);
    free(data);
    free(path);
    sl_tz_free(z);
    return rc;
}

void sl_tz_free(struct sl_tz *z)
{
    if (!z) return;
    free(z->trans);
    free(z->idx);
    free(z->utoff);
    free(z);
}

int32_t sl_tz_offset(const struct sl_tz *z, int64_t t)
{
    if (!z->ntrans || t < z->trans[0]) {
        if (!z->ntrans && z->has_footer) return footer_offset(z, t);
        return z->ntypes ? z->type0 : 0;
    }
    if (t >= z->trans[z->ntrans - 1] && z->has_footer) return footer_offset(z, t);
    size_t lo = 0, hi = z->ntrans; /* last transition <= t */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (z->trans[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return z->utoff[z->idx[lo]];
}

int sl_tz_local_to_utc(const struct sl_tz *z, int64_t local, int64_t *early, int64_t *late)
{
    /* zones change offset at most once within a day around any instant */
    int32_t a = sl_tz_offset(z, local - 86400), b = sl_tz_offset(z, local + 86400);
    int va = sl_tz_offset(z, local - a) == a, vb = sl_tz_offset(z, local - b) == b;
    if (va && vb && a != b) {
        int64_t x = local - a, y = local - b;
        *early = x < y ? x : y;
        *late = x < y ? y : x;
        return 1;
    }
    if (va || vb) {
        *early = *late = local - (va ? a : b);
        return 0;
    }
    *early = *late = local - a; /* in the gap: the offset before it, i.e. shifted forward */
    return 2;
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
    if (h > 23 || m > 59) return -1;
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
        /* date, optional [T ]time with optional fraction, optional offset */
        static const char *const iso[] = {
            "%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S%z",
            "%Y-%m-%dT%H:%M:%S",      "%Y-%m-%dT%H:%M%z",     "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M:%S.%f%z", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S%z",
            "%Y-%m-%d %H:%M:%S",      "%Y-%m-%d %H:%M",       "%Y-%m-%d"};
        for (size_t i = 0; i < sizeof iso / sizeof iso[0]; i++)
            if (!sl_ts_parse(iso[i], p, n, o)) return 0;
        return -1;
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
    int64_t days = t / 86400, secs = t % 86400, y;
    int m, d;
    if (secs < 0) secs += 86400, days--;
    sl_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) return -1;
    /* by hand: snprintf was the largest cost of a timestamp step */
    size_t nf = frac ? strlen(frac) : 0;
    if (cap < 22 + nf) return -1;
    unsigned v[6] = {(unsigned)y,
                     (unsigned)m,
                     (unsigned)d,
                     (unsigned)(secs / 3600),
                     (unsigned)(secs / 60 % 60),
                     (unsigned)(secs % 60)};
    char *p = buf;
    *p++ = (char)('0' + v[0] / 1000), *p++ = (char)('0' + v[0] / 100 % 10);
    *p++ = (char)('0' + v[0] / 10 % 10), *p++ = (char)('0' + v[0] % 10);
    for (int i = 1; i < 6; i++) {
        *p++ = i == 1 || i == 2 ? '-' : i == 3 ? 'T' : ':';
        *p++ = (char)('0' + v[i] / 10), *p++ = (char)('0' + v[i] % 10);
    }
    if (nf) {
        *p++ = '.';
        memcpy(p, frac, nf);
        p += nf;
    }
    *p++ = 'Z';
    *p = 0;
    return 0;
}
