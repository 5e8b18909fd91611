/* Clocks, ISO-8601 times, human sizes. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sluice/core.h"

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
