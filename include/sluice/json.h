/*
 * JSON: a validating scanner for records (no allocation, views into the input), and a small
 * document tree (struct sl_node) that config and schema files are read into, from JSON here
 * or from YAML (src/core/yaml.c).
 */
#ifndef SLUICE_JSON_H
#define SLUICE_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "sluice/core.h"

enum sl_json_type {
    SL_JSON_NULL = 0,
    SL_JSON_FALSE,
    SL_JSON_TRUE,
    SL_JSON_NUMBER,
    SL_JSON_STRING,
    SL_JSON_ARRAY,
    SL_JSON_OBJECT
};

#define SL_JSON_MAX_DEPTH 256

/* The first byte at or after p that is not JSON whitespace (end if none). */
static inline const char *sl_json_skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) p++;
    return p;
}

/* A scanned value. Strings: p/len exclude the quotes and escaped says whether
 * sl_json_unescape is needed. Other types: p/len is the value's text as written. */
struct sl_json_tok {
    const char *p;
    size_t len;
    int type;
    int escaped;
};

struct sl_json_err {
    size_t offset;   /* where the problem is, from the start of the scanned text */
    const char *msg; /* static English text: "expected ',' or '}'", "invalid UTF-8", ... */
};

/*
 * Scans and validates one JSON value in p[0..n) (leading whitespace skipped; UTF-8 and
 * RFC 8259 grammar checked; nesting deeper than SL_JSON_MAX_DEPTH is an error).
 * Returns the bytes consumed up to the end of the value (> 0); 0 when the text ends before
 * the value does and more input could complete it (only when final == 0); -1 on a syntax
 * error, with e filled.
 */
long sl_json_scan(const char *p, size_t n, int final, struct sl_json_tok *tok,
                  struct sl_json_err *e);

/* Decodes a string token (p/len as in sl_json_tok, escaped == 1) into out, which must hold
 * len bytes; returns the decoded length. Lone surrogates become U+FFFD. */
size_t sl_json_unescape(const char *p, size_t len, char *out);

/*
 * The compact canonical text of a JSON value that sl_json_scan accepted (docs/schema.md, "Nested
 * values"): no whitespace between tokens; members in the order written (duplicates too);
 * numbers exactly as written; strings with the fewest escapes (\" \\ \b \f \n \r \t, other
 * control characters \u00xx; every other character as UTF-8, so \u00e9 is é, \/ is /, a
 * surrogate pair is its 4-byte character); a lone surrogate, which UTF-8 cannot hold, stays an
 * escape, in lowercase hex. Never longer than the input. Returns p itself when it is canonical
 * already (*out_len = n), else a copy allocated in a.
 */
const char *sl_json_canonical(const char *p, size_t n, struct sl_arena *a, size_t *out_len);

/* How many lone UTF-16 surrogates (\ud800 without its pair, ...) a string token's text holds:
 * the escapes sl_json_unescape turns into U+FFFD. */
size_t sl_json_lone_surrogates(const char *p, size_t len);

/*
 * JSON Pointers (RFC 6901): "" is the whole document, "/a/0/b~1c" the tokens "a", "0", "b/c".
 * sl_json_pointer_parse splits ptr into malloc'ed tokens (~1 becomes '/', ~0 '~'); SL_ECONFIG
 * with the reason when ptr does not start with '/' (and is not "") or has a '~' that is not
 * ~0 or ~1. sl_json_pointer_free frees the tokens. sl_buf_json_pointer_token appends one
 * token escaped (~ as ~0, / as ~1).
 */
int sl_json_pointer_parse(const char *ptr, char ***tokens, size_t *n, struct sl_error *err);
void sl_json_pointer_free(char **tokens, size_t n);
struct sl_buf;
void sl_buf_json_pointer_token(struct sl_buf *b, const char *tok, size_t len);

/* Walks the members of an array or object token that sl_json_scan accepted. */
struct sl_json_iter {
    const char *p, *end;
    int object;
};
void sl_json_iter_init(struct sl_json_iter *it, const struct sl_json_tok *container);
/* 1 = next member (key is filled for objects and may be NULL for arrays), 0 = no more. */
int sl_json_iter_next(struct sl_json_iter *it, struct sl_json_tok *key, struct sl_json_tok *val);

/* ---- document trees (config files, schemas) ------------------------------------------- */

enum sl_node_type { SL_NODE_NULL = 0, SL_NODE_SCALAR, SL_NODE_SEQ, SL_NODE_MAP };

struct sl_node {
    int type;         /* enum sl_node_type */
    int line, col;    /* 1-based position in the file */
    const char *text; /* scalars: NUL-terminated text (JSON strings decoded) */
    size_t len;
    int quoted;    /* a quoted YAML scalar or a JSON string: a string, never a number/bool */
    int json_type; /* enum sl_json_type for nodes from JSON, -1 for YAML */
    struct sl_node **items; /* SEQ: items; MAP: values */
    struct sl_node **keys;  /* MAP: keys (scalars) */
    size_t n;
};

struct sl_doc {
    struct sl_arena arena; /* every node and string */
    char *path;            /* for messages */
    struct sl_node *root;
};

/* Parse from memory; errors say "path:line:col: message". Both initialize *d (what it held is
 * ignored): d->arena by sl_arena_init, d->path a copy of path in d->arena. Call sl_doc_free
 * afterwards whether they succeeded or not. */
int sl_doc_parse_json(struct sl_doc *d, const char *path, const char *text, size_t len,
                      struct sl_error *err);
int sl_doc_parse_yaml(struct sl_doc *d, const char *path, const char *text, size_t len,
                      struct sl_error *err);
/* Reads a file: .json is JSON, anything else YAML. */
int sl_doc_load(struct sl_doc *d, const char *path, struct sl_error *err);
void sl_doc_free(struct sl_doc *d);

struct sl_node *sl_node_get(const struct sl_node *map, const char *key);
/* The scalar's text if n is a string-ish scalar, else NULL. */
const char *sl_node_str(const struct sl_node *n);

/* A node as compact JSON. A JSON document's scalars keep their type; a YAML plain scalar that
 * reads as a JSON number or true/false is one, everything else is a string. max > 0: stop
 * adding members once b holds more than max bytes and write "..." (for messages). */
void sl_node_json(struct sl_buf *b, const struct sl_node *n, size_t max);

/* Typed getters that fail with "path:line: what: expected a string" style messages. */
int sl_node_want_str(const struct sl_doc *d, const struct sl_node *n, const char *what,
                     const char **out, struct sl_error *err);
int sl_node_want_bool(const struct sl_doc *d, const struct sl_node *n, const char *what, int *out,
                      struct sl_error *err);
int sl_node_want_int(const struct sl_doc *d, const struct sl_node *n, const char *what,
                     int64_t *out, struct sl_error *err);
/* A string or a list of strings → an array (allocated in d's arena), n set. */
int sl_node_want_strs(const struct sl_doc *d, const struct sl_node *n, const char *what,
                      const char ***out, size_t *count, struct sl_error *err);
/* Every key of map must be in allowed (NULL-terminated): else "path:line: what.key: unknown
 * key (did you mean 'x'?)". */
int sl_node_check_keys(const struct sl_doc *d, const struct sl_node *map, const char *what,
                       const char *const *allowed, struct sl_error *err);

#endif
