/* Exact decimal numbers for JSON Schema (src/schema/jsdecimal.c), internal to src/schema. */
#ifndef SLUICE_SCHEMA_JSDECIMAL_H
#define SLUICE_SCHEMA_JSDECIMAL_H

#include <stddef.h>

struct sl__js_dec {
    int neg;
    char *d;  /* significant digits, no leading or trailing zeros ("" = zero) */
    size_t n; /* digits */
    long e;   /* value = d × 10^e */
};

/* The number text s (JSON's syntax, an optional '+') as a decimal; -1 when s holds another
 * character. x owns memory either way: sl__js_dec_free. */
int sl__js_dec_parse(const char *s, struct sl__js_dec *x);
void sl__js_dec_free(struct sl__js_dec *x);
/* Compares two number texts exactly: <0, 0, >0. */
int sl__js_num_cmp(const char *a, const char *b);
/* 1 when the number text s is an integer (1.0 and 1e2 are). */
int sl__js_num_is_integer(const char *s);
/* 1 when a is an integer multiple of b (b > 0). */
int sl__js_num_multiple(const char *a, const char *b);

#endif
