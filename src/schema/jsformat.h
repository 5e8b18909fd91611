/* JSON Schema "format" assertions (src/schema/jsformat.c), internal to src/schema. */
#ifndef SLUICE_SCHEMA_JSFORMAT_H
#define SLUICE_SCHEMA_JSFORMAT_H

#include <stddef.h>

/* 1 valid, 0 invalid (*why may name the reason), -1 a format sluice does not check (valid). */
int sl__js_format_check(const char *format, const char *s, size_t n, const char **why);

#endif
