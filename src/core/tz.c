/*
 * Time zones (include/sluice/time.h): the scheduler, the timestamp transform and whatever else
 * needs local time use these.
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

#include "sluice/time.h"

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

void sl_tz_civil(const struct sl_tz *z, int64_t t, struct sl_civil *out)
{
    int32_t off = sl_tz_offset(z, t);
    sl_time_civil(t + off, out);
    out->offset = off;
}

int sl_tz_to_utc(const struct sl_tz *z, int64_t local, enum sl_tz_pick pick, int64_t *t, int *kind)
{
    int64_t early, late;
    int k = sl_tz_local_to_utc(z, local, &early, &late);
    if (kind) *kind = k;
    if (k && pick == SL_TZ_REJECT) return -1;
    if (k == 2) {
        /* early = local - (offset before the gap): the wall clock moved on (LATER); EARLIER
         * reads it with the offset after the gap, an instant before the jump */
        int32_t after = sl_tz_offset(z, early);
        *t = pick == SL_TZ_LATER ? early : local - after;
        return 0;
    }
    *t = pick == SL_TZ_LATER ? late : early;
    return 0;
}

/* The footer's next offset change after t (t >= the last transition), or -1. */
static int footer_next(const struct sl_tz *z, int64_t t, int64_t *next)
{
    if (!z->has_dst || z->std_off == z->dst_off) return -1;
    struct sl_civil c;
    sl_time_civil(t + z->std_off, &c);
    int64_t best = INT64_MAX;
    for (int64_t y = c.year - 1; y <= c.year + 1; y++) {
        int64_t s = rule_local(&z->start, y) - z->std_off, e = rule_local(&z->end, y) - z->dst_off;
        if (s > t && s < best) best = s;
        if (e > t && e < best) best = e;
    }
    if (best == INT64_MAX) return -1;
    *next = best;
    return 0;
}

int sl_tz_next_transition(const struct sl_tz *z, int64_t t, int64_t *next, int32_t *offset_after)
{
    int32_t cur = sl_tz_offset(z, t);
    size_t lo = 0, hi = z->ntrans; /* first transition > t */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (z->trans[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < z->ntrans; i++) {
        /* a transition that changes only the abbreviation or isdst is no change of offset */
        if (sl_tz_offset(z, z->trans[i]) != cur) {
            *next = z->trans[i];
            if (offset_after) *offset_after = sl_tz_offset(z, *next);
            return 0;
        }
    }
    if (!z->has_footer) return -1;
    int64_t at = z->ntrans && z->trans[z->ntrans - 1] > t ? z->trans[z->ntrans - 1] : t;
    for (int guard = 0; guard < 8; guard++) {
        int64_t n;
        if (footer_next(z, at, &n)) return -1;
        if (sl_tz_offset(z, n) != cur) {
            *next = n;
            if (offset_after) *offset_after = sl_tz_offset(z, n);
            return 0;
        }
        at = n;
    }
    return -1;
}

int64_t sl_tz_next_local(const struct sl_tz *z, int64_t t, int unit)
{
    if (unit < 1) unit = 1;
    if (unit > 86400) unit = 86400;
    int64_t local = t + sl_tz_offset(z, t);
    int64_t cand = (local / unit - (local % unit < 0)) * unit;
    for (int guard = 0; guard < 1000; guard++) {
        cand += unit;
        int64_t u;
        int kind;
        sl_tz_to_utc(z, cand, SL_TZ_EARLIER, &u, &kind);
        if (kind == 2) sl_tz_to_utc(z, cand, SL_TZ_LATER, &u, NULL);
        if (u > t) return u;
    }
    return t + unit;
}
