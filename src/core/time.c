/* Clocks, ISO-8601 times, human sizes. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sluice/core.h"
#include "sluice/time.h"

static double frozen_time(void)
{
    const char *s = getenv("SLUICE_NOW");
    struct tm tm;
    char *end;

    if (!s || !*s) return -1;
    double t = strtod(s, &end);
    if (*end == 0) return t;
    memset(&tm, 0, sizeof tm);
    if (sscanf(s, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) >= 3) {
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        return (double)timegm(&tm);
    }
    return -1;
}

double sl_now(void)
{
    struct timespec ts;
    double f = frozen_time();
    if (f >= 0) return f;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

double sl_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int64_t sl_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void sl_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

char *sl_time_iso(double t, char *buf, size_t n)
{
    time_t secs = (time_t)t;
    struct tm tm;
    int ms = (int)((t - (double)secs) * 1000);
    gmtime_r(&secs, &tm);
    snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms < 0 ? 0 : ms);
    return buf;
}

char *sl_human_bytes(double n, char *buf, size_t cap)
{
    static const char *units[] = {"B", "kB", "MB", "GB", "TB"};
    int u = 0;
    while (n >= 1000 && u < 4) n /= 1000, u++;
    if (u == 0)
        snprintf(buf, cap, "%.0f %s", n, units[u]);
    else
        snprintf(buf, cap, n < 10 ? "%.1f %s" : "%.0f %s", n, units[u]);
    return buf;
}

int64_t sl_parse_size(const char *s)
{
    char *end;
    double v;

    while (isspace((unsigned char)*s)) s++;
    if (!isdigit((unsigned char)*s)) return -1;
    v = strtod(s, &end);
    while (isspace((unsigned char)*end)) end++;
    /* "1e999999" or "9e18 TiB": not a size int64 holds (the cast would be undefined) */
    if (!(v >= 0 && v < 9.2e18)) return -1;
    if (!*end || !strcasecmp(end, "b")) return (int64_t)v;
    static const struct {
        const char *name;
        double mult;
    } units[] = {{"k", 1e3},  {"kb", 1e3},  {"kib", 1024.0},
                 {"m", 1e6},  {"mb", 1e6},  {"mib", 1048576.0},
                 {"g", 1e9},  {"gb", 1e9},  {"gib", 1073741824.0},
                 {"t", 1e12}, {"tb", 1e12}, {"tib", 1099511627776.0}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (!strcasecmp(end, units[i].name))
            return v * units[i].mult < 9.2e18 ? (int64_t)(v * units[i].mult) : -1;
    return -1;
}

/* ---- ISO 8601 / RFC 3339 (include/sluice/time.h) ------------------------------------------ */

static int num2(const char *p, size_t n, size_t at, int k, int *out)
{
    int v = 0;
    if (at + (size_t)k > n) return -1;
    for (int i = 0; i < k; i++) {
        if (p[at + i] < '0' || p[at + i] > '9') return -1;
        v = v * 10 + (p[at + i] - '0');
    }
    *out = v;
    return 0;
}

static int leap_year(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
    static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap_year(y) ? 29 : md[m - 1];
}

/* hh:mm[:ss[.f+]] at p[*i]; seconds required unless allow_short. */
static int iso_clock(const char *p, size_t n, size_t *i, int allow_short, struct sl_datetime *d)
{
    size_t at = *i;
    if (num2(p, n, at, 2, &d->hour) || at + 2 >= n || p[at + 2] != ':' ||
        num2(p, n, at + 3, 2, &d->minute))
        return -1;
    if (d->hour > 23 || d->minute > 59) return -1;
    at += 5;
    if (at < n && p[at] == ':') {
        if (num2(p, n, at + 1, 2, &d->second) || d->second > 60) return -1;
        at += 3;
        d->has_seconds = 1;
        if (at < n && p[at] == '.') {
            at++;
            size_t k = 0;
            while (at < n && p[at] >= '0' && p[at] <= '9') {
                if (k < sizeof d->frac - 1) d->frac[k] = p[at];
                k++, at++;
            }
            if (!k) return -1;
            d->frac[k < sizeof d->frac - 1 ? k : sizeof d->frac - 1] = 0;
            d->nfrac = k > 1000000 ? 1000000 : (int)k;
        }
    } else if (!allow_short) {
        return -1;
    }
    d->has_time = 1;
    *i = at;
    return 0;
}

/* Z, ±hh, ±hhmm, ±hh:mm within ±14:00. */
static int iso_offset(const char *p, size_t n, size_t *i, struct sl_datetime *d)
{
    size_t at = *i;
    int hh, mm = 0;
    if (at < n && p[at] == 'Z') {
        d->has_offset = 1;
        d->offset = 0;
        *i = at + 1;
        return 0;
    }
    if (at >= n || (p[at] != '+' && p[at] != '-')) return -1;
    int sign = p[at] == '-' ? -1 : 1;
    if (num2(p, n, at + 1, 2, &hh)) return -1;
    at += 3;
    if (at < n && p[at] == ':') {
        if (num2(p, n, at + 1, 2, &mm)) return -1;
        at += 3;
    } else if (at < n && p[at] >= '0' && p[at] <= '9') {
        if (num2(p, n, at, 2, &mm)) return -1;
        at += 2;
    }
    if (mm > 59 || hh * 60 + mm > 14 * 60) return -1;
    d->has_offset = 1;
    d->offset = sign * (hh * 3600 + mm * 60);
    *i = at;
    return 0;
}

int sl_time_parse(const char *p, size_t n, unsigned flags, struct sl_datetime *d)
{
    size_t i = 0;

    memset(d, 0, sizeof *d);
    if (n >= 10 && (flags & (SL_ISO_DATE | SL_ISO_DATETIME)) && p[4] == '-') {
        if (num2(p, n, 0, 4, &d->year) || p[4] != '-' || num2(p, n, 5, 2, &d->month) ||
            p[7] != '-' || num2(p, n, 8, 2, &d->day))
            return -1;
        if (d->month < 1 || d->month > 12 || d->day < 1 ||
            d->day > days_in_month(d->year, d->month))
            return -1;
        d->has_date = 1;
        i = 10;
        if (i == n) return (flags & SL_ISO_DATE) || (flags & SL_ISO_DATE_ONLY_OK) ? 0 : -1;
        if (!(flags & SL_ISO_DATETIME) || (p[i] != 'T' && p[i] != ' ')) return -1;
        i++;
        if (iso_clock(p, n, &i, (flags & SL_ISO_SHORT_TIME) != 0, d)) return -1;
        if (i < n && (flags & SL_ISO_OFFSET) && iso_offset(p, n, &i, d)) return -1;
        return i == n ? 0 : -1;
    }
    if (!(flags & SL_ISO_TIME)) return -1;
    if (iso_clock(p, n, &i, (flags & SL_ISO_SHORT_TIME) != 0, d)) return -1;
    if (i < n && (flags & SL_ISO_OFFSET) && p[i] == 'Z') i++, d->has_offset = 1;
    return i == n ? 0 : -1;
}

int64_t sl_time_epoch(const struct sl_datetime *d, int *usec)
{
    int64_t t = d->has_date ? sl_days_from_civil(d->year, d->month, d->day) * 86400 : 0;
    t += d->hour * 3600 + d->minute * 60 + d->second - d->offset;
    if (usec) {
        int u = 0;
        for (int i = 0; i < 6; i++)
            u = u * 10 + (i < d->nfrac && d->frac[i] ? d->frac[i] - '0' : 0);
        *usec = u;
    }
    return t;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

void sl_time_civil(int64_t t, struct sl_civil *c)
{
    int64_t days = floor_div(t, 86400), secs = t - days * 86400;
    memset(c, 0, sizeof *c);
    sl_civil_from_days(days, &c->year, &c->month, &c->day);
    c->hour = (int)(secs / 3600);
    c->minute = (int)(secs / 60 % 60);
    c->second = (int)(secs % 60);
    c->wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
    c->yday = (int)(days - sl_days_from_civil(c->year, 1, 1));
}

int sl_time_format_utc(int64_t t, const char *frac, char *buf, size_t cap)
{
    struct sl_civil c;
    sl_time_civil(t, &c);
    if (c.year < 0 || c.year > 9999) return -1;
    /* by hand: snprintf was the largest cost of a timestamp step */
    size_t nf = frac ? strlen(frac) : 0;
    if (cap < 22 + nf) return -1;
    unsigned v[6] = {(unsigned)c.year, (unsigned)c.month,  (unsigned)c.day,
                     (unsigned)c.hour, (unsigned)c.minute, (unsigned)c.second};
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

int sl_time_format_offset(int64_t t, int32_t offset, char *buf, size_t cap)
{
    struct sl_civil c;
    sl_time_civil(t + offset, &c);
    if (c.year < 0 || c.year > 9999 || cap < 26) return -1;
    int n = snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d", (int)c.year, c.month, c.day, c.hour,
                     c.minute, c.second);
    if (offset == 0) {
        snprintf(buf + n, cap - (size_t)n, "Z");
    } else {
        int32_t a = offset < 0 ? -offset : offset;
        snprintf(buf + n, cap - (size_t)n, "%c%02d:%02d", offset < 0 ? '-' : '+', a / 3600,
                 a / 60 % 60);
    }
    return 0;
}

int sl_time_parse_duration(const char *p, size_t n, struct sl_duration *d)
{
    static const char units[] = "YMDHMS";
    size_t i = 1;
    int in_time = 0, any = 0, next = 0; /* next: index in units of the smallest unit allowed */

    memset(d, 0, sizeof *d);
    if (n < 3 || p[0] != 'P') return -1;
    while (i < n) {
        if (p[i] == 'T') {
            if (in_time || i + 1 == n) return -1;
            in_time = 1;
            next = 3;
            i++;
            continue;
        }
        int64_t v = 0;
        size_t k = 0, nfrac = 0;
        double frac = 0, scale = 0.1;
        while (i < n && p[i] >= '0' && p[i] <= '9') {
            if (v > (INT64_MAX - 9) / 10) return -1;
            v = v * 10 + (p[i++] - '0'), k++;
        }
        if (i < n && (p[i] == '.' || p[i] == ',')) {
            i++;
            while (i < n && p[i] >= '0' && p[i] <= '9')
                frac += (p[i++] - '0') * scale, scale /= 10, nfrac++;
            if (!nfrac) return -1;
        }
        if (!k || i >= n) return -1;
        if (p[i] == 'W') { /* PnW stands alone */
            if (any || in_time || nfrac || i + 1 != n) return -1;
            d->weeks = v;
            return 0;
        }
        const char *u = memchr(units + next, p[i], (size_t)(in_time ? 6 : 3) - (size_t)next);
        if (!u) return -1;
        if (nfrac && i + 1 != n) return -1; /* only the smallest unit has a fraction */
        int64_t *slot[] = {&d->years, &d->months, &d->days, &d->hours, &d->minutes, NULL};
        int at = (int)(u - units);
        if (at == 5)
            d->seconds = (double)v + frac;
        else
            *slot[at] = v, d->frac = frac;
        next = at + 1;
        i++;
        any = 1;
    }
    return any ? 0 : -1;
}

int sl_time_duration_seconds(const struct sl_duration *d, double *out)
{
    if (d->years || d->months) return -1;
    double s = (double)d->weeks * 604800 + (double)d->days * 86400 + (double)d->hours * 3600 +
               (double)d->minutes * 60 + d->seconds;
    if (d->frac) s += d->frac * (d->minutes ? 60 : d->hours ? 3600 : 86400);
    *out = s;
    return 0;
}

int sl_time_format_duration(int64_t secs, char *buf, size_t cap)
{
    if (secs < 0) return -1;
    int64_t d = secs / 86400, h = secs / 3600 % 24, m = secs / 60 % 60, s = secs % 60;
    size_t k = (size_t)snprintf(buf, cap, "P");
    if (d) k += (size_t)snprintf(buf + k, k < cap ? cap - k : 0, "%lldD", (long long)d);
    if (h || m || s || !d) {
        k += (size_t)snprintf(buf + k, k < cap ? cap - k : 0, "T");
        if (h) k += (size_t)snprintf(buf + k, k < cap ? cap - k : 0, "%lldH", (long long)h);
        if (m) k += (size_t)snprintf(buf + k, k < cap ? cap - k : 0, "%lldM", (long long)m);
        if (s || (!h && !m))
            k += (size_t)snprintf(buf + k, k < cap ? cap - k : 0, "%lldS", (long long)s);
    }
    return k < cap ? 0 : -1;
}

/* ---- HTTP dates (RFC 9110 §5.6.7) ---------------------------------------------------------- */

static int http_month(const char *p)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int m = 0; m < 12; m++)
        if (!memcmp(p, months + 3 * m, 3)) return m + 1;
    return 0;
}

/* n digits at p[*i] (exactly n), into *out. */
static int http_digits(const char *p, size_t len, size_t *i, int n, int *out)
{
    int v = 0;
    if (*i + (size_t)n > len) return -1;
    for (int k = 0; k < n; k++) {
        if (!isdigit((unsigned char)p[*i + (size_t)k])) return -1;
        v = v * 10 + (p[*i + (size_t)k] - '0');
    }
    *i += (size_t)n;
    *out = v;
    return 0;
}

static int http_lit(const char *p, size_t len, size_t *i, const char *s)
{
    size_t n = strlen(s);
    if (*i + n > len || memcmp(p + *i, s, n)) return -1;
    *i += n;
    return 0;
}

/* "hh:mm:ss" */
static int http_clock(const char *p, size_t len, size_t *i, struct sl_datetime *d)
{
    if (http_digits(p, len, i, 2, &d->hour) || http_lit(p, len, i, ":") ||
        http_digits(p, len, i, 2, &d->minute) || http_lit(p, len, i, ":") ||
        http_digits(p, len, i, 2, &d->second))
        return -1;
    return d->hour > 23 || d->minute > 59 || d->second > 60 ? -1 : 0;
}

int sl_time_parse_http_date(const char *p, size_t n, int64_t *t)
{
    static const char *const days[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                       "Thursday", "Friday", "Saturday"};
    struct sl_datetime d;
    size_t i = 0, w = 0;
    int yy;

    memset(&d, 0, sizeof d);
    while (w < n && isalpha((unsigned char)p[w])) w++;
    if (w < 3) return -1;
    if (w == 3 && w < n && p[w] == ',') { /* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
        i = 4;
        if (http_lit(p, n, &i, " ") || http_digits(p, n, &i, 2, &d.day) ||
            http_lit(p, n, &i, " ") || i + 3 > n || !(d.month = http_month(p + i)))
            return -1;
        i += 3;
        if (http_lit(p, n, &i, " ") || http_digits(p, n, &i, 4, &d.year) ||
            http_lit(p, n, &i, " ") || http_clock(p, n, &i, &d) || http_lit(p, n, &i, " GMT"))
            return -1;
    } else if (w == 3) { /* asctime: Sun Nov  6 08:49:37 1994 */
        i = 3;
        if (http_lit(p, n, &i, " ") || i + 3 > n || !(d.month = http_month(p + i))) return -1;
        i += 3;
        if (http_lit(p, n, &i, " ")) return -1;
        if (i < n && p[i] == ' ') {
            i++;
            if (http_digits(p, n, &i, 1, &d.day)) return -1;
        } else if (http_digits(p, n, &i, 2, &d.day)) {
            return -1;
        }
        if (http_lit(p, n, &i, " ") || http_clock(p, n, &i, &d) || http_lit(p, n, &i, " ") ||
            http_digits(p, n, &i, 4, &d.year))
            return -1;
    } else { /* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
        int known = 0;
        for (int k = 0; k < 7; k++) known |= strlen(days[k]) == w && !memcmp(p, days[k], w);
        i = w;
        if (!known || http_lit(p, n, &i, ", ") || http_digits(p, n, &i, 2, &d.day) ||
            http_lit(p, n, &i, "-") || i + 3 > n || !(d.month = http_month(p + i)))
            return -1;
        i += 3;
        if (http_lit(p, n, &i, "-") || http_digits(p, n, &i, 2, &yy) || http_lit(p, n, &i, " ") ||
            http_clock(p, n, &i, &d) || http_lit(p, n, &i, " GMT"))
            return -1;
        /* a two-digit year more than 50 years in the future is in the past (RFC 9110) */
        int64_t now_y;
        int m0, d0;
        sl_civil_from_days((int64_t)time(NULL) / 86400, &now_y, &m0, &d0);
        d.year = (int)(now_y - now_y % 100) + yy;
        if (d.year > now_y + 50) d.year -= 100;
    }
    if (i != n || d.day < 1 || d.day > days_in_month(d.year, d.month)) return -1;
    d.has_date = d.has_time = d.has_seconds = 1;
    *t = sl_time_epoch(&d, NULL);
    return 0;
}
