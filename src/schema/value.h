/* Parsing of typed values from text, shared by inference and casting (internal). */
#ifndef SLUICE_SCHEMA_VALUE_H
#define SLUICE_SCHEMA_VALUE_H

#include <stddef.h>
#include <stdint.h>

/* canonical: -?(0|[1-9][0-9]*) only (inference: "00501" and "+5" are not integers);
 * otherwise Frictionless: [+-]?[0-9]+. Fails when out of the int64 range. */
int sl__parse_int(const char *p, size_t n, int canonical, int64_t *out);
/* sl_parse_number: sluice/schema.h (the transforms read numbers the same way). */
/* Frictionless default trueValues/falseValues: true True TRUE 1 / false False FALSE 0.
 * words_only: not "1"/"0" (inference). */
/* Does the double d print back as the decimal p[0..n) (same digits and exponent)? */
int sl__number_exact(const char *p, size_t n, double d);
int sl__parse_bool(const char *p, size_t n, int words_only, int *out);
int sl__parse_date(const char *p, size_t n);     /* YYYY-MM-DD, a real calendar day */
int sl__parse_time(const char *p, size_t n);     /* hh:mm:ss[.fff] */
int sl__parse_datetime(const char *p, size_t n); /* date[T ]hh:mm[:ss[.fff]][Z|±hh[:mm]] */
int sl__parse_year(const char *p, size_t n, int64_t *out);
int sl__parse_yearmonth(const char *p, size_t n);

/* A date, time or datetime (enum sl_type) in format fmt (enum sl_format_kind: default, any,
 * pattern) → canonical text in out: YYYY-MM-DD, hh:mm:ss[.f], YYYY-MM-DDThh:mm:ss[.f][Z]
 * (an offset is converted to UTC and written Z; a value without a zone stays without). */
int sl__datetime_cast(int type, int fmt, const char *pattern, const char *p, size_t n, char *out,
                      size_t cap, size_t *outlen);
int sl__parse_duration(const char *p, size_t n); /* ISO 8601: P1Y2M3DT4H5M6.5S, P2W */

#endif
