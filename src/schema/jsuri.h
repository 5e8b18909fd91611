/* URIs for JSON Schema's references (src/schema/jsuri.c), internal to src/schema. */
#ifndef SLUICE_SCHEMA_JSURI_H
#define SLUICE_SCHEMA_JSURI_H

#include "sluice/core.h"

/* base + ref → absolute URI (malloc'ed), RFC 3986 5.2. base may be NULL. */
char *sl__js_uri_resolve(const char *base, const char *ref);
/* Cuts the fragment off uri in place; returns it (without '#') or NULL. */
char *sl__js_uri_cut_frag(char *uri);
/* Appends s to out with its %XX escapes decoded. */
void sl__js_pct_decode(const char *s, struct sl_buf *out);

#endif
