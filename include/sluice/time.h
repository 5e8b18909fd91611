/*
 * Dates, times and time zones, in one place (docs/time.md).
 *
 * ISO 8601 / RFC 3339 dates, times, date-times, offsets and durations are parsed by
 * sl_time_parse alone: the schema's casts, the PostgreSQL partition router, quality's
 * timeliness and the timestamp transform all call it, so a value valid in silver is the same
 * instant everywhere. Time zones are the system's TZif files, read without setenv("TZ"),
 * tzset or localtime (process-wide state): every function here is thread-safe.
 */
#ifndef SLUICE_TIME_H
#define SLUICE_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "sluice/core.h"

/* ---- ISO 8601 / RFC 3339 ------------------------------------------------------------------ */

/* What sl_time_parse accepts (flags, or-ed). */
enum {
    SL_ISO_DATE = 1,          /* YYYY-MM-DD alone */
    SL_ISO_TIME = 2,          /* hh:mm:ss[.f+] alone (optionally Z with SL_ISO_OFFSET) */
    SL_ISO_DATETIME = 4,      /* date [T or space] time [offset] */
    SL_ISO_SHORT_TIME = 8,    /* hh:mm without seconds (in a date-time, or alone) */
    SL_ISO_OFFSET = 16,       /* an offset may follow a time: Z, ±hh, ±hhmm, ±hh:mm */
    SL_ISO_DATE_ONLY_OK = 32, /* SL_ISO_DATETIME: a plain date is midnight */
};

/*
 * The grammar (the schema's since sluice began; the other three parsers now follow it):
 *   date    YYYY-MM-DD: four-digit year 0000..9999 (years < 1000 with leading zeros), the
 *           day checked against its month (no April 31; Feb 29 only in leap years).
 *   time    hh:mm[:ss[.f+]]: hh 00..23 (24:00 is refused: RFC 3339 has no 24), mm 00..59,
 *           ss 00..60 (60 is a leap second, kept as written), a fraction of any number of
 *           digits after '.', kept as written (frac keeps the first 18).
 *   sep     'T' or ' ' between date and time.
 *   offset  'Z' or ±hh[[:]mm] from -14:00 to +14:00 (beyond: refused), minutes 00..59.
 * Not accepted: week dates (2026-W05-3), ordinal dates (2026-035), basic format (20260105),
 * lower-case 't'/'z', ',' as the decimal sign.
 */
struct sl_datetime {
    int year, month, day; /* 0 when no date */
    int hour, minute, second;
    char frac[19]; /* fraction digits as written (the first 18), "" if none */
    int nfrac;     /* how many digits were written (may exceed 18) */
    int has_date, has_time, has_seconds;
    int has_offset; /* Z or ±hh:mm was written */
    int32_t offset; /* seconds east of UTC */
};

/* Parses all of p[0..n) (no trailing text). 0 ok (*out filled), -1 not that form. */
int sl_time_parse(const char *p, size_t n, unsigned flags, struct sl_datetime *out);

/* The instant of d (seconds since 1970-01-01T00:00:00Z; a date alone is its midnight, no offset
 * is UTC) and its fraction in microseconds (truncated). A leap second :60 is the next minute's
 * :00, as PostgreSQL takes it. */
int64_t sl_time_epoch(const struct sl_datetime *d, int *usec);

/* Civil UTC of an instant. */
struct sl_civil {
    int64_t year;
    int month, day, hour, minute, second;
    int wday;       /* 0 Sunday .. 6 Saturday */
    int yday;       /* 0 .. 365 */
    int32_t offset; /* seconds east of UTC of the zone it was computed in (0 for UTC) */
};
void sl_time_civil(int64_t t, struct sl_civil *out);

/* "YYYY-MM-DDTHH:MM:SS[.frac]Z" of UTC instant t (frac: digits or NULL). buf >= 22 + digits.
 * -1 if the year is outside 0..9999 or buf is too small. */
int sl_time_format_utc(int64_t t, const char *frac, char *buf, size_t cap);
/* "YYYY-MM-DDTHH:MM:SS±hh:mm" of t as seen at offset (seconds east); "Z" for 0. buf >= 32. */
int sl_time_format_offset(int64_t t, int32_t offset, char *buf, size_t cap);

/* ISO 8601 durations: PnYnMnDTnHnMnS (the smallest unit given may have a '.' or ',' fraction)
 * or PnW. Calendar units stay separate (a month is not a number of seconds). */
struct sl_duration {
    int64_t years, months, weeks, days, hours, minutes;
    double seconds; /* with the fraction of the smallest unit folded in when it is S */
    double frac;    /* the fraction of the smallest unit when it is not S, else 0 */
};
int sl_time_parse_duration(const char *p, size_t n, struct sl_duration *out);
/* The duration in seconds when it has no calendar units (Y, M): -1 otherwise (D is 86400 s). */
int sl_time_duration_seconds(const struct sl_duration *d, double *out);
/* "PT1H2M3S"-style text of a whole number of seconds (>= 0; "PT0S" for 0). */
int sl_time_format_duration(int64_t secs, char *buf, size_t cap);

/* ---- time zones ------------------------------------------------------------------------- */

/* A zone read from the system's TZif files (RFC 8536, v1..v4) under TZDIR or
 * /usr/share/zoneinfo, with its POSIX TZ footer for instants after the last transition.
 * Names with "..", absolute paths, or over 200 bytes are refused. "UTC", "Z" and "Etc/UTC"
 * need no file. Free with sl_tz_free. */
struct sl_tz;
int sl_tz_open(const char *name, struct sl_tz **out, struct sl_error *err);
void sl_tz_free(struct sl_tz *z);

/* UTC offset (seconds east) at UTC instant t. */
int32_t sl_tz_offset(const struct sl_tz *z, int64_t t);
/* Civil local time of UTC instant t in zone z (offset filled in). */
void sl_tz_civil(const struct sl_tz *z, int64_t t, struct sl_civil *out);

/* Local wall time (seconds, as if it were UTC) → UTC instant. Returns 0 unique, 1 ambiguous
 * (fall back: *early and *late are both valid), 2 nonexistent (spring forward: *early = *late =
 * the instant with the offset before the gap, i.e. shifted forward by the gap). */
int sl_tz_local_to_utc(const struct sl_tz *z, int64_t local, int64_t *early, int64_t *late);

/* What a local time that a clock change skips (gap) or repeats (overlap) becomes. */
enum sl_tz_pick {
    SL_TZ_EARLIER, /* overlap: the first occurrence; gap: the offset after the gap applies
                      (02:30 in a 02:00→03:00 gap is 01:30 with the old offset) */
    SL_TZ_LATER,   /* overlap: the second occurrence; gap: the offset before the gap applies
                      (02:30 becomes 03:30 with the new offset: the wall clock moved on) */
    SL_TZ_REJECT,  /* either: -1 */
};
/* Local wall time → UTC instant *t with the choice above. 0 ok; -1 rejected (SL_TZ_REJECT in a
 * gap or overlap). *kind (may be NULL) gets 0 unique, 1 overlap, 2 gap. */
int sl_tz_to_utc(const struct sl_tz *z, int64_t local, enum sl_tz_pick pick, int64_t *t, int *kind);

/* The first instant > t at which the offset changes: 0 and *next (and *offset_after, may be
 * NULL); -1 when it never changes again. */
int sl_tz_next_transition(const struct sl_tz *z, int64_t t, int64_t *next, int32_t *offset_after);

/* The first instant > t whose local wall time is a multiple of unit seconds (60: the next local
 * minute, 3600: hour, 86400: midnight). A boundary that a gap skips is the instant the clock
 * jumps over it (its SL_TZ_LATER); in an overlap the first occurrence counts. unit in 1..86400. */
int64_t sl_tz_next_local(const struct sl_tz *z, int64_t t, int unit);

/* ---- HTTP dates ------------------------------------------------------------------------- */

/* An HTTP-date (RFC 9110 5.6.7: Date, Retry-After, Last-Modified) → UTC instant *t. All three
 * forms are accepted, case-sensitively as the RFC writes them: IMF-fixdate
 * "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT" (a two-digit year
 * more than 50 years ahead is the previous century) and asctime "Sun Nov  6 08:49:37 1994".
 * The weekday is not checked against the date. 0 ok, -1 not an HTTP-date. */
int sl_time_parse_http_date(const char *p, size_t n, int64_t *t);

#endif
