/* ECMA-262 regular expressions on PCRE2 (src/schema/jsregex.c), internal to src/schema. */
#ifndef SLUICE_SCHEMA_JSREGEX_H
#define SLUICE_SCHEMA_JSREGEX_H

#include <stddef.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Pattern pat[0..len) (ECMA-262) compiled by PCRE2, or NULL with PCRE2's reason in msg (when
 * msg is not NULL). */
pcre2_code *sl__js_regex_compile(const char *pat, size_t len, char *msg, size_t msgsz);
/* 1 when pat compiles as a pattern. */
int sl__js_regex_valid(const char *pat, size_t len);

#endif
