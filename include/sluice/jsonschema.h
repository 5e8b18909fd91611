/*
 * JSON Schema (draft 2020-12 and draft-07) validation of JSON values held in sl_node trees.
 *
 * A validator is built from a schema document that it does not own (keep the sl_doc alive
 * while the validator lives). References are resolved lazily, the first time validation
 * reaches them: within the schema (JSON pointers, $id, $anchor, $dynamicAnchor), against the
 * metaschemas sluice carries (2020-12 and draft-07, offline), and through a retriever callback
 * for anything else. Validation of one instance is thread-compatible, not thread-safe: one
 * validator per thread.
 */
#ifndef SLUICE_JSONSCHEMA_H
#define SLUICE_JSONSCHEMA_H

#include <stddef.h>

#include "sluice/core.h"
#include "sluice/json.h"

enum { SL_JS_DRAFT7 = 7, SL_JS_DRAFT2020 = 2020 };

/*
 * Fetches the document at an absolute URI (no fragment): 0 with *out parsed (the validator
 * owns it and frees it with sl_doc_free), 1 when the retriever does not serve that URI, < 0
 * with err set when it should but failed.
 */
typedef int (*sl_js_retrieve_fn)(void *ctx, const char *uri, struct sl_doc *out,
                                 struct sl_error *err);

struct sl_js_options {
    int default_draft; /* when the root has no $schema; 0 = SL_JS_DRAFT2020 */
    int format_assert; /* 1: "format" is an assertion (sluice's default), 0: an annotation */
    sl_js_retrieve_fn retrieve;
    void *retrieve_ctx;
};

struct sl_js_error {
    const char *keyword;         /* the failing keyword: "type", "required", "$ref" ... */
    const char *location;        /* instance location as a JSON pointer ("" = the whole value) */
    const char *message;         /* English, names the constraint */
    const struct sl_node *value; /* the failing instance value */
};
typedef void (*sl_js_error_fn)(void *ctx, const struct sl_js_error *e);

struct sl_jsonschema;

/* Builds a validator for root (a node of doc) whose base URI is base_uri (may be NULL: a
 * made-up one). Fails only on an unusable option; schema mistakes show during validation. */
int sl_jsonschema_new(const struct sl_node *root, const char *base_uri,
                      const struct sl_js_options *o, struct sl_jsonschema **out,
                      struct sl_error *err);
void sl_jsonschema_free(struct sl_jsonschema *js);

/*
 * Validates one instance: 1 valid, 0 invalid (each failure reported through on_error if it is
 * not NULL; strings in e live only during the call), < 0 when the schema itself is at fault
 * (a reference that cannot be resolved, a pattern that does not compile): err says why.
 */
int sl_jsonschema_validate(struct sl_jsonschema *js, const struct sl_node *instance,
                           sl_js_error_fn on_error, void *ctx, struct sl_error *err);

/* The draft the root schema is read as. */
int sl_jsonschema_draft(const struct sl_jsonschema *js);

/* 1 when a schema document is a JSON Schema rather than a Frictionless Table Schema: true or
 * false, or an object with "$schema" or without "fields" (which every Table Schema has). */
int sl_jsonschema_detect(const struct sl_node *root);

/*
 * Loads a JSON Schema file (JSON or YAML) with sluice's reference policy: the metaschemas are
 * built in, file: references (relative ones resolve against the schema file) are read from
 * disk, http(s) references are refused unless allow_network (sluice has no fetcher for schemas
 * yet, so they are refused either way with a message). *doc_out receives the document; the
 * caller frees it after the validator.
 */
int sl_jsonschema_load(const char *path, struct sl_doc *doc_out, struct sl_jsonschema **out,
                       struct sl_error *err);

/*
 * The silver table of a JSON Schema: one field per top-level property, typed from its "type"
 * (integer, number, string, boolean; object and array are JSON text; anything else, or several
 * types, is "any"). Property names become column names as input labels do. Caller frees.
 */
struct sl_schema *sl_jsonschema_table(const struct sl_node *root);

/* JSON Schema counts 1.0 and 1e2 as integers: when the number text num[0..n) is one and fits
 * 64 bits, writes its plain digits ("1", "100") to out and returns 1; else 0. */
int sl_jsonschema_integer_text(const char *num, size_t n, struct sl_buf *out);

/* The built-in metaschema for a URI (no fragment) as JSON text (malloc'ed, the caller frees),
 * or NULL. */
char *sl_jsonschema_builtin(const char *uri);

#endif
