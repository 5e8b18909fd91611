/* Unit tests: the time module (include/sluice/time.h) — ISO 8601 edge cases once, durations,
 * time zones against the system's zdump. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/time.h"
#include "unit.h"

static int iso(const char *s, unsigned flags, struct sl_datetime *d)
{
    return sl_time_parse(s, strlen(s), flags, d);
}

#define DT (SL_ISO_DATETIME | SL_ISO_DATE_ONLY_OK | SL_ISO_SHORT_TIME | SL_ISO_OFFSET)

static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    return sl_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

TEST(time_iso_dates)
{
    struct sl_datetime d;
    CHECK(iso("2026-12-05", SL_ISO_DATE, &d) == 0);
    CHECK_INT(d.year, 2026);
    CHECK_INT(d.month, 12);
    CHECK_INT(d.day, 5);
    /* day 31 of a 30-day month, Feb 29 on non-leap years (1900 and 2100 are not leap) */
    CHECK(iso("2026-04-31", SL_ISO_DATE, &d) == -1);
    CHECK(iso("2026-06-30", SL_ISO_DATE, &d) == 0);
    CHECK(iso("2026-02-29", SL_ISO_DATE, &d) == -1);
    CHECK(iso("2024-02-29", SL_ISO_DATE, &d) == 0);
    CHECK(iso("1900-02-29", SL_ISO_DATE, &d) == -1);
    CHECK(iso("2000-02-29", SL_ISO_DATE, &d) == 0);
    CHECK(iso("2100-02-29", SL_ISO_DATE, &d) == -1);
    CHECK(iso("2026-00-10", SL_ISO_DATE, &d) == -1);
    CHECK(iso("2026-13-10", SL_ISO_DATE, &d) == -1);
    CHECK(iso("2026-01-00", SL_ISO_DATE, &d) == -1);
    /* years < 1000 with their leading zeros; no more or fewer than 4 digits */
    CHECK(iso("0999-03-01", SL_ISO_DATE, &d) == 0);
    CHECK_INT(d.year, 999);
    CHECK(iso("0000-01-01", SL_ISO_DATE, &d) == 0);
    CHECK(iso("999-03-01", SL_ISO_DATE, &d) == -1);
    CHECK(iso("12026-03-01", SL_ISO_DATE, &d) == -1);
    CHECK(iso("2026-1-5", SL_ISO_DATE, &d) == -1);
    /* week, ordinal and basic-format dates are not accepted */
    CHECK(iso("2026-W05-3", SL_ISO_DATE, &d) == -1);
    CHECK(iso("2026-W05", SL_ISO_DATE, &d) == -1);
    CHECK(iso("2026-035", SL_ISO_DATE, &d) == -1);
    CHECK(iso("20260105", SL_ISO_DATE, &d) == -1);
    /* trailing text, a date where only a date-time is asked */
    CHECK(iso("2026-12-05x", SL_ISO_DATE, &d) == -1);
    CHECK(iso("2026-12-05", SL_ISO_DATETIME, &d) == -1);
    CHECK(iso("2026-12-05", DT, &d) == 0);
    CHECK_INT(sl_time_epoch(&d, NULL), utc(2026, 12, 5, 0, 0, 0));
}

TEST(time_iso_times_and_offsets)
{
    struct sl_datetime d;
    int us;
    /* 24:00 is refused (RFC 3339 has no hour 24); 23:59:60 is a leap second */
    CHECK(iso("2026-12-05T24:00:00Z", DT, &d) == -1);
    CHECK(iso("24:00:00", SL_ISO_TIME, &d) == -1);
    CHECK(iso("2016-12-31T23:59:60Z", DT, &d) == 0);
    CHECK_INT(d.second, 60);
    CHECK_INT(sl_time_epoch(&d, NULL), utc(2017, 1, 1, 0, 0, 0)); /* as PostgreSQL takes it */
    CHECK(iso("2016-12-31T23:59:61Z", DT, &d) == -1);
    CHECK(iso("2026-12-05T23:60:00Z", DT, &d) == -1);
    /* seconds optional in a date-time when asked, required in a time */
    CHECK(iso("2026-12-05T10:30", DT, &d) == 0);
    CHECK(iso("2026-12-05 10:30", DT, &d) == 0);
    CHECK(iso("2026-12-05T10:30", SL_ISO_DATETIME, &d) == -1);
    CHECK(iso("10:30", SL_ISO_TIME, &d) == -1);
    CHECK(iso("10:30:05", SL_ISO_TIME, &d) == 0);
    CHECK(iso("2026-12-05t10:30:00Z", DT, &d) == -1);
    CHECK(iso("2026-12-05T10:30:00z", DT, &d) == -1);
    /* offsets: ±hh, ±hhmm, ±hh:mm up to ±14:00; beyond refused */
    CHECK(iso("2026-12-05T10:30:00+14:00", DT, &d) == 0);
    CHECK_INT(d.offset, 14 * 3600);
    CHECK(iso("2026-12-05T10:30:00-14:00", DT, &d) == 0);
    CHECK(iso("2026-12-05T10:30:00+14:01", DT, &d) == -1);
    CHECK(iso("2026-12-05T10:30:00-15:00", DT, &d) == -1);
    CHECK(iso("2026-12-05T10:30:00+23:00", DT, &d) == -1);
    CHECK(iso("2026-12-05T10:30:00+05:60", DT, &d) == -1);
    CHECK(iso("2026-12-05T10:30:00+0530", DT, &d) == 0);
    CHECK_INT(d.offset, 5 * 3600 + 1800);
    CHECK_INT(sl_time_epoch(&d, NULL), utc(2026, 12, 5, 5, 0, 0));
    CHECK(iso("2026-12-05T10:30:00-03", DT, &d) == 0);
    CHECK_INT(sl_time_epoch(&d, NULL), utc(2026, 12, 5, 13, 30, 0));
    CHECK(iso("2026-12-05T10:30:00+5", DT, &d) == -1);
    CHECK(iso("2026-12-05T10:30:00+05:3", DT, &d) == -1);
    /* fractions: any number of digits, kept as written (18), microseconds truncated */
    CHECK(iso("2026-12-05T10:30:00.123456789012Z", DT, &d) == 0);
    CHECK_STR(d.frac, "123456789012");
    CHECK_INT(d.nfrac, 12);
    CHECK_INT(sl_time_epoch(&d, &us), utc(2026, 12, 5, 10, 30, 0));
    CHECK_INT(us, 123456);
    CHECK(iso("2026-12-05T10:30:00.5Z", DT, &d) == 0);
    sl_time_epoch(&d, &us);
    CHECK_INT(us, 500000);
    CHECK(iso("2026-12-05T10:30:00.Z", DT, &d) == -1);
    CHECK(iso("2026-12-05T10:30:00,5Z", DT, &d) == -1);
    CHECK(iso("2026-12-05T10:30.5", DT, &d) == -1);
    /* a time alone may say Z, not an offset */
    CHECK(iso("10:30:05Z", SL_ISO_TIME | SL_ISO_OFFSET, &d) == 0);
    CHECK(iso("10:30:05+01:00", SL_ISO_TIME | SL_ISO_OFFSET, &d) == -1);
}

TEST(time_format_and_civil)
{
    char b[64];
    struct sl_civil c;
    CHECK(sl_time_format_utc(utc(999, 3, 1, 1, 2, 3), "25", b, sizeof b) == 0);
    CHECK_STR(b, "0999-03-01T01:02:03.25Z");
    CHECK(sl_time_format_utc(-1, NULL, b, sizeof b) == 0);
    CHECK_STR(b, "1969-12-31T23:59:59Z");
    CHECK(sl_time_format_utc(utc(10000, 1, 1, 0, 0, 0), NULL, b, sizeof b) == -1);
    CHECK(sl_time_format_offset(utc(2026, 12, 5, 5, 0, 0), 19800, b, sizeof b) == 0);
    CHECK_STR(b, "2026-12-05T10:30:00+05:30");
    CHECK(sl_time_format_offset(utc(2026, 12, 5, 5, 0, 0), -36000, b, sizeof b) == 0);
    CHECK_STR(b, "2026-12-04T19:00:00-10:00");
    sl_time_civil(utc(2026, 12, 5, 3, 4, 5), &c);
    CHECK_INT(c.wday, 6); /* a Saturday */
    CHECK_INT(c.yday, 338);
    sl_time_civil(-86400, &c);
    CHECK_INT(c.wday, 3);
    CHECK_INT(c.year, 1969);
}

TEST(time_durations)
{
    struct sl_duration d;
    double s;
    char b[32];
    CHECK(sl_time_parse_duration("P1Y2M3DT4H5M6.5S", 16, &d) == 0);
    CHECK_INT(d.years, 1);
    CHECK_INT(d.months, 2);
    CHECK_INT(d.days, 3);
    CHECK(sl_time_duration_seconds(&d, &s) == -1); /* months are not seconds */
    CHECK(sl_time_parse_duration("PT1H30M", 7, &d) == 0);
    CHECK(sl_time_duration_seconds(&d, &s) == 0 && s == 5400);
    CHECK(sl_time_parse_duration("PT1.5H", 6, &d) == 0);
    CHECK(sl_time_duration_seconds(&d, &s) == 0 && s == 5400);
    CHECK(sl_time_parse_duration("P2W", 3, &d) == 0);
    CHECK(sl_time_duration_seconds(&d, &s) == 0 && s == 14 * 86400);
    CHECK(sl_time_parse_duration("P", 1, &d) == -1);
    CHECK(sl_time_parse_duration("PT", 2, &d) == -1);
    CHECK(sl_time_parse_duration("P1DT", 4, &d) == -1);
    CHECK(sl_time_parse_duration("P1M1Y", 5, &d) == -1);    /* order */
    CHECK(sl_time_parse_duration("P1.5DT1H", 8, &d) == -1); /* fraction only last */
    CHECK(sl_time_parse_duration("P1Y2W", 5, &d) == -1);
    CHECK(sl_time_parse_duration("PT1D", 4, &d) == -1);
    CHECK(sl_time_parse_duration("P99999999999999999999D", 22, &d) == -1);
    CHECK(sl_time_format_duration(93784, b, sizeof b) == 0);
    CHECK_STR(b, "P1DT2H3M4S");
    CHECK(sl_time_format_duration(0, b, sizeof b) == 0);
    CHECK_STR(b, "PT0S");
    CHECK(sl_time_format_duration(86400, b, sizeof b) == 0);
    CHECK_STR(b, "P1D");
}

/* ---- time zones ------------------------------------------------------------------------ */

static int month_of(const char *m)
{
    static const char *const names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; i++)
        if (!strcmp(m, names[i])) return i + 1;
    return 0;
}

/*
 * Every line of `zdump -v -c 1970,2038 ZONE`: the offset we compute at that instant is zdump's,
 * and the list of offset changes found by walking sl_tz_next_transition from 1970 is exactly
 * zdump's. Returns the number of transitions compared, -1 when zdump or the zone is missing.
 */
static int compare_zdump(const char *zone)
{
    char cmd[256], line[512];
    struct sl_tz *z = NULL;
    struct sl_error err = {0};
    int64_t ours[512], theirs[512];
    int nours = 0, ntheirs = 0, lines = 0;
    int32_t prev_off = 0;
    int have_prev = 0;

    if (sl_tz_open(zone, &z, &err)) {
        fprintf(stderr, "  cannot open %s: %s\n", zone, err.msg);
        return -1;
    }
    snprintf(cmd, sizeof cmd, "zdump -v -c 1970,2038 %s 2>/dev/null", zone);
    FILE *f = popen(cmd, "r");
    if (!f) {
        sl_tz_free(z);
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        char mon[8];
        int day, h, mi, s, isdst, gmtoff;
        long long year;
        const char *p = strchr(line, ' ');
        if (!p || strstr(line, "NULL")) continue;
        if (sscanf(p,
                   " %*s %7s %d %d:%d:%d %lld UT = %*s %*s %*d %*d:%*d:%*d %*d %*s isdst=%d "
                   "gmtoff=%d",
                   mon, &day, &h, &mi, &s, &year, &isdst, &gmtoff) != 8) {
            fprintf(stderr, "  %s: cannot read zdump line: %s", zone, line);
            unit_failures++;
            continue;
        }
        int64_t t = utc((int)year, month_of(mon), day, h, mi, s);
        lines++;
        if (sl_tz_offset(z, t) != gmtoff) {
            fprintf(stderr, "  %s: offset at %s is %d, zdump says %d\n", zone, line,
                    (int)sl_tz_offset(z, t), gmtoff);
            unit_failures++;
        }
        if (have_prev && gmtoff != prev_off && ntheirs < 512) theirs[ntheirs++] = t;
        prev_off = gmtoff;
        have_prev = 1;
    }
    pclose(f);
    int64_t t = utc(1970, 1, 1, 0, 0, 0), end = utc(2038, 1, 1, 0, 0, 0), next;
    while (!sl_tz_next_transition(z, t, &next, NULL) && next < end && nours < 512) {
        ours[nours++] = next;
        t = next;
    }
    CHECK_INT(nours, ntheirs);
    for (int i = 0; i < nours && i < ntheirs; i++)
        if (ours[i] != theirs[i]) {
            fprintf(stderr, "  %s: transition %d at %lld, zdump says %lld\n", zone, i,
                    (long long)ours[i], (long long)theirs[i]);
            unit_failures++;
            break;
        }
    /* every transition read back: local → UTC on both sides, the gap or overlap between */
    for (int i = 0; i < nours; i++) {
        int32_t before = sl_tz_offset(z, ours[i] - 1), after = sl_tz_offset(z, ours[i]);
        int64_t u;
        int kind;
        int64_t lb = ours[i] - 1 + before; /* the last local second before the change */
        CHECK(sl_tz_to_utc(z, lb, SL_TZ_EARLIER, &u, &kind) == 0);
        if (after > before) { /* gap: local times [lb+1, lb+1+gap) do not exist */
            CHECK_INT(u, ours[i] - 1);
            int64_t inside = lb + 1 + (after - before) / 2;
            CHECK(sl_tz_to_utc(z, inside, SL_TZ_REJECT, &u, &kind) == -1);
            CHECK_INT(kind, 2);
            CHECK(sl_tz_to_utc(z, inside, SL_TZ_LATER, &u, NULL) == 0);
            CHECK_INT(u, inside - before);
            CHECK(sl_tz_to_utc(z, inside, SL_TZ_EARLIER, &u, NULL) == 0);
            CHECK_INT(u, inside - after);
        } else { /* overlap: local times [lb+1-(before-after), lb] happen twice */
            CHECK_INT(kind, 1);
            CHECK_INT(u, ours[i] - 1);
            CHECK(sl_tz_to_utc(z, lb, SL_TZ_LATER, &u, NULL) == 0);
            CHECK_INT(u, lb - after);
            CHECK(sl_tz_to_utc(z, lb, SL_TZ_REJECT, &u, NULL) == -1);
        }
    }
    sl_tz_free(z);
    if (lines == 0 && ntheirs == 0 && strcmp(zone, "Asia/Kolkata")) return -1;
    return nours;
}

TEST(time_zones_against_zdump)
{
    /* Paris and New York (northern rules), Lord Howe (30-minute DST shift), Kolkata (+05:30,
     * no change since 1945), Sao Paulo (southern, DST ended in 2019), Apia (skipped
     * 2011-12-30 entirely, southern DST until 2021), Dublin (negative DST in the TZif data),
     * Casablanca (DST suspended each Ramadan) */
    static const char *const zones[] = {"Europe/Paris",  "America/New_York",  "Australia/Lord_Howe",
                                        "Asia/Kolkata",  "America/Sao_Paulo", "Pacific/Apia",
                                        "Europe/Dublin", "Africa/Casablanca"};
    int total = 0;
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
        int n = compare_zdump(zones[i]);
        if (n < 0) {
            fprintf(stderr, "  %s: no zdump output or no zone file\n", zones[i]);
            unit_failures++;
        }
        total += n > 0 ? n : 0;
    }
    CHECK(total > 500); /* Paris and New York alone have ~135 each */
}

TEST(time_zone_rules_and_helpers)
{
    struct sl_tz *z = NULL;
    struct sl_error err = {0};
    struct sl_civil c;
    int64_t next;
    int32_t off;

    CHECK(sl_tz_open("Australia/Lord_Howe", &z, &err) == 0);
    if (z) {
        /* after the table: the POSIX footer <+1030>-10:30<+11>-11,M10.1.0,M4.1.0 */
        CHECK_INT(sl_tz_offset(z, utc(2045, 1, 10, 0, 0, 0)), 11 * 3600);
        CHECK_INT(sl_tz_offset(z, utc(2045, 7, 10, 0, 0, 0)), 10 * 3600 + 1800);
        CHECK(sl_tz_next_transition(z, utc(2045, 7, 10, 0, 0, 0), &next, &off) == 0);
        /* first Sunday of October 2045 is the 1st: 02:00 local +10:30 */
        CHECK_INT(next, utc(2045, 10, 1, 2, 0, 0) - (10 * 3600 + 1800));
        CHECK_INT(off, 11 * 3600);
        sl_tz_civil(z, next, &c);
        CHECK_INT(c.hour, 2);
        CHECK_INT(c.minute, 30);
        sl_tz_free(z);
    }
    CHECK(sl_tz_open("Europe/Paris", &z, &err) == 0);
    if (z) {
        /* the next local midnight / minute */
        int64_t t = utc(2026, 3, 28, 23, 30, 0); /* 00:30 local on the 29th (+01:00) */
        CHECK_INT(sl_tz_next_local(z, t, 86400), utc(2026, 3, 29, 22, 0, 0)); /* +02:00 by then */
        CHECK_INT(sl_tz_next_local(z, t, 60), t + 60);
        CHECK_INT(sl_tz_next_local(z, t + 1, 60), t + 60);
        /* 01:59 → next local hour: 02:00 does not exist, the clock jumps to 03:00 at 01:00 UTC */
        CHECK_INT(sl_tz_next_local(z, utc(2026, 3, 29, 0, 59, 0), 3600), utc(2026, 3, 29, 1, 0, 0));
        sl_tz_free(z);
    }
    CHECK(sl_tz_open("America/Sao_Paulo", &z, &err) == 0);
    if (z) {
        /* 2018-11-04: midnight did not exist (00:00 → 01:00); the day began at 03:00 UTC */
        CHECK_INT(sl_tz_next_local(z, utc(2018, 11, 3, 12, 0, 0), 86400),
                  utc(2018, 11, 4, 3, 0, 0));
        /* no DST since 2019: no transition after 2020 */
        CHECK(sl_tz_next_transition(z, utc(2020, 1, 1, 0, 0, 0), &next, NULL) == -1);
        sl_tz_free(z);
    }
    CHECK(sl_tz_open("UTC", &z, &err) == 0);
    if (z) {
        CHECK(sl_tz_next_transition(z, 0, &next, NULL) == -1);
        CHECK_INT(sl_tz_next_local(z, 59, 60), 60);
        sl_tz_free(z);
    }
    /* names that could leave the zoneinfo directory */
    CHECK(sl_tz_open("../../etc/passwd", &z, &err) == SL_ECONFIG);
    CHECK(sl_tz_open("Europe/../../../etc/passwd", &z, &err) == SL_ECONFIG);
    CHECK(sl_tz_open("/etc/localtime", &z, &err) == SL_ECONFIG);
    CHECK(sl_tz_open("", &z, &err) == SL_ECONFIG);
    CHECK(sl_tz_open("Mars/Olympus", &z, &err) == SL_ECONFIG);
}
