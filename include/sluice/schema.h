/*
 * Schemas: the fields of a source's silver table, their types, how input columns map to them,
 * type inference over a whole input, and casting cells to typed values (Frictionless rules).
 */
#ifndef SLUICE_SCHEMA_H
#define SLUICE_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "sluice/batch.h"
#include "sluice/core.h"
#include "sluice/json.h"

/* Frictionless Table Schema field types. The order matters for inference (see infer.c). */
enum sl_type {
    SL_TYPE_NULL = 0, /* inference: no value seen yet */
    SL_TYPE_BOOLEAN,
    SL_TYPE_INTEGER,
    SL_TYPE_NUMBER,
    SL_TYPE_DATE,
    SL_TYPE_DATETIME,
    SL_TYPE_TIME,
    SL_TYPE_YEAR,
    SL_TYPE_YEARMONTH,
    SL_TYPE_STRING,
    SL_TYPE_OBJECT,
    SL_TYPE_ARRAY,
    SL_TYPE_ANY,
    SL_TYPE_DURATION, /* never inferred */
    SL_TYPE_GEOPOINT, /* never inferred */
    SL_TYPE_COUNT
};
const char *sl_type_name(int type);  /* "integer", ... */
int sl_type_parse(const char *name); /* -1 when unknown */
const char *sl_type_sql(int type);   /* declared SQL type: INTEGER, REAL, TEXT, DATE, ... */

/* Field constraints (Frictionless) and sluice's own checks, in the order they are tried. */
enum sl_constraint {
    SL_C_REQUIRED = 0,
    SL_C_UNIQUE,
    SL_C_MINIMUM,
    SL_C_MAXIMUM,
    SL_C_MINLENGTH,
    SL_C_MAXLENGTH,
    SL_C_PATTERN,
    SL_C_ENUM,
    SL_C_COUNT
};
const char *sl_constraint_name(int c); /* "minimum", ... (the Table Schema key) */

/* Formats of a field (Frictionless, plus sluice's phone). */
enum sl_format_kind {
    SL_FMT_DEFAULT = 0,
    SL_FMT_ANY,     /* date/time/datetime: any unambiguous form sluice knows */
    SL_FMT_PATTERN, /* date/time/datetime: a strptime-like pattern (format) */
    SL_FMT_EMAIL,
    SL_FMT_URI,
    SL_FMT_UUID,
    SL_FMT_BINARY,  /* base64 */
    SL_FMT_PHONE,   /* x-sluice: E.164 */
    SL_FMT_ARRAY,   /* geopoint [lon, lat] */
    SL_FMT_OBJECT,  /* geopoint {"lon":…, "lat":…} */
    SL_FMT_TOPOJSON /* geojson: accepted as JSON */
};

/* The checks of one field beyond its type (constraints, x-sluice). Owned by the field. */
struct sl_field_rules {
    int unique;
    char *min_raw, *max_raw;  /* as written in the schema (NULL: none) */
    struct sl_value min, max; /* cast with the field's own rules; text malloc'ed */
    int64_t min_len, max_len; /* -1: none */
    char *pattern;            /* anchored, whole value (PCRE2) */
    void *re, *md;            /* pcre2_code *, pcre2_match_data * */
    char **enum_raw;          /* as written */
    struct sl_value *enum_v;  /* cast; text malloc'ed */
    size_t nenum;
    uint8_t severity[SL_C_COUNT]; /* SL_ROW_INVALID (default) or SL_ROW_WARNING */
    int severity_set;             /* x-sluice.severity was given */
};

struct sl_field {
    char *name;   /* silver column name */
    char *label;  /* the name in the input (header label or JSON key); == name unless renamed */
    int type;     /* enum sl_type */
    char *format; /* Frictionless format ("default", "any", a date pattern, ...) or NULL */
    int required;
    int fmt;        /* enum sl_format_kind, from format / x-sluice.format */
    char *x_format; /* x-sluice.format ("phone") or NULL */
    /* casting options (NULL / 0: Frictionless defaults) */
    char **true_values, **false_values;
    size_t ntrue, nfalse;
    char *decimal_char, *group_char;
    int bare_number;     /* 1 (default): the number is all there is; 0: strip text around it */
    int format_severity; /* x-sluice.severity.format: a value not in the format is an error
                          * (SL_ROW_INVALID, default) or a flagged warning (SL_ROW_WARNING) */
    struct sl_field_rules *rules; /* NULL when there are none */
};

/* A row rule (x-sluice.rules): a comparison between fields and constants, or required_if. */
struct sl_rule_expr;
struct sl_rule {
    char *name;      /* as given, or the text of the check */
    char *check;     /* "end >= start" (NULL for a pure required_if) */
    char *req_field; /* required_if: field that must have a value ... */
    char *when;      /* ... when this holds */
    char *message;   /* optional text for people */
    int severity;    /* SL_ROW_INVALID or SL_ROW_WARNING */
    struct sl_rule_expr *expr, *when_expr;
    int req_index;
};

/* foreignKeys: fields of this schema → fields of another source's silver table (or this one's
 * when resource is ""). */
struct sl_fkey {
    char **fields;
    size_t n;
    int *index; /* field indexes here */
    char *resource;
    char **ref_fields;
};

struct sl_schema {
    struct sl_field *fields;
    size_t nfields;
    char **missing; /* missingValues, default [""] */
    size_t nmissing;
    int missing_declared; /* missingValues came from a schema: it applies to JSON strings too */
    int *pk;              /* primary key: field indexes */
    size_t npk;
    char *path; /* file it was read from, NULL if inferred */
    struct sl_fkey *fkeys;
    size_t nfkeys;
    struct sl_rule *rules; /* x-sluice.rules */
    size_t nrules;
    int pk_severity; /* x-sluice.primaryKey.severity; SL_ROW_INVALID by default */
    /* sl_schema_find's hash of the names, kept by sl_schema_add (case-insensitive, the first
     * field of each exact name): index+1 into fields, 0 = empty. NULL: search linearly. */
    uint32_t *index;
    size_t index_mask;
};
/* Does the schema check anything beyond types and required (constraints, rules, keys)? */
int sl_schema_has_checks(const struct sl_schema *s);
/* Copies field src's casting options and checks onto dst (same name; types may differ). */
void sl_field_copy_rules(struct sl_field *dst, const struct sl_field *src);
/* Copies foreign keys and row rules of src onto dst (indexes resolved against dst). */
int sl_schema_copy_checks(struct sl_schema *dst, const struct sl_schema *src, struct sl_error *err);
/* Drops every check (constraints, required, row rules, foreign keys); casting options stay. */
void sl_schema_strip_checks(struct sl_schema *s);

struct sl_schema *sl_schema_new(void);
void sl_schema_free(struct sl_schema *s);
struct sl_schema *sl_schema_copy(const struct sl_schema *s);
/* Adds a field (copies the strings); returns its index. */
int sl_schema_add(struct sl_schema *s, const char *name, const char *label, int type);
/* Index of the field named name (the first exact match, else the first that differs only in
 * case), or -1. A hash probe: a schema of 16 000 fields does not make lookups quadratic. */
int sl_schema_find(const struct sl_schema *s, const char *name);
/* Sets the primary key by names; fails naming the field that is not in the schema. */
int sl_schema_set_pk(struct sl_schema *s, const char *const *names, size_t n, struct sl_error *err);

/* Frictionless Table Schema (JSON or YAML file, or a parsed node). */
int sl_schema_load(const char *path, struct sl_schema **out, struct sl_error *err);
int sl_schema_from_node(const struct sl_doc *d, const struct sl_node *n, struct sl_schema **out,
                        struct sl_error *err);
/* Writes the schema as Table Schema JSON (compact, stable) or YAML (for people). */
void sl_schema_to_json(const struct sl_schema *s, struct sl_buf *b);
void sl_schema_to_yaml(const struct sl_schema *s, struct sl_buf *b);
/* Parses what sl_schema_to_json wrote (the catalog keeps schemas this way). */
int sl_schema_from_json(const char *json, struct sl_schema **out, struct sl_error *err);

/*
 * Column names. Input labels become silver column names that are usable in SQL: trimmed;
 * empty → field_N (N = 1-based position); a repeat (case-insensitive, as SQL sees it) → name_2,
 * name_3; a name sluice uses itself (_load, _row) gets a suffix too. Every change is reported.
 */
struct sl_rename {
    size_t col; /* 0-based input column */
    char *from, *to;
    size_t from_len; /* from may hold NUL bytes (a header cell, a JSON key "a\u0000b") */
};
struct sl_renames {
    struct sl_rename *v;
    size_t n;
};
/* names[i] (malloc'ed) for labels[i], lens[i] bytes long (lens NULL: C strings); renames
 * appended to r (may be NULL). A NUL byte in a label is a control character like the others. */
char **sl_names_normalize(const char *const *labels, const uint32_t *lens, size_t n,
                          struct sl_renames *r);

/*
 * What the store being written to cannot take as column names, beyond the rules above:
 * names it reserves (PostgreSQL's system columns ctid, xmin, ...) are taken, and names equal in
 * their first max_bytes bytes (PostgreSQL keeps 63 of an identifier) repeat. Either way the
 * name gets a suffix as a repeat does (cut so that it is told apart within max_bytes) and the
 * rename is reported. A name that is only long keeps its whole name. Process-wide: set by
 * sl_store_open for the store it opened (NULL: none, as SQLite), read by sl_names_normalize,
 * so that inference and every later mapping of labels to columns agree.
 */
struct sl_name_rules {
    const char *const *reserved; /* NULL-terminated, compared ignoring case */
    size_t max_bytes;            /* 0: every byte counts */
    const char *store;           /* for messages: "PostgreSQL" */
};
void sl_names_set_rules(const struct sl_name_rules *rules);
/* SL_ECONFIG naming the field when schema s (an explicit one) has a field name the rules do
 * not allow: reserved, or equal to an earlier one in its first max_bytes bytes. */
int sl_names_check_rules(const struct sl_schema *s, struct sl_error *err);
void sl_names_free(char **names, size_t n);
void sl_renames_free(struct sl_renames *r);

/*
 * Type inference over a whole input. Feed it every batch; it keeps, per input column, the
 * narrowest type that holds every value seen. A value that does not fit widens the column
 * (integer → number → string, date → datetime → string, ...), never the other way: nothing is
 * rounded, truncated or dropped. Codes with leading zeros stay strings.
 */
struct sl_infer;
/* from_json: cells come from JSON records, whose strings stay strings (only ISO dates and
 * times in them are recognized); CSV cells are text that may hold any type. */
struct sl_infer *sl_infer_new(int from_json);
void sl_infer_free(struct sl_infer *inf);
void sl_infer_batch(struct sl_infer *inf, const struct sl_batch *b);
/* The schema for the labels (names normalized, renames reported). */
struct sl_schema *sl_infer_schema(const struct sl_infer *inf, const struct sl_labels *labels,
                                  struct sl_renames *renames);
/* The type one cell would get on its own (exposed for tests and the CSV header sniffer). */
int sl_infer_cell(const struct sl_cell *c);
/* The same for a cell of a JSON input (from_json: its strings stay strings), as inference does. */
int sl_infer_cell_from(const struct sl_cell *c, int from_json);

/* Widens: the narrowest type that holds both a and b. */
int sl_type_merge(int a, int b);

/*
 * Merges a load's schema into the source's current silver schema: fields are matched by
 * name, new fields are added, types widen. *changed says whether silver's columns must change
 * (1 = fields added only, 2 = a type widened: silver must be rebuilt from bronze).
 */
struct sl_schema *sl_schema_merge(const struct sl_schema *silver, const struct sl_schema *load,
                                  int *changed);

/*
 * Mapping from input columns (labels) to schema fields, by label; grows as JSON readers meet
 * new keys. A column with no field is "extra" (-1).
 */
struct sl_mapping {
    int32_t *field; /* per input column: field index or -1 */
    size_t n;
    int by_position; /* CSV without header and an explicit schema: column i → field i */
};
void sl_mapping_init(struct sl_mapping *m);
void sl_mapping_free(struct sl_mapping *m);
/* Brings the mapping up to date with labels (call after each batch is read). */
void sl_mapping_update(struct sl_mapping *m, const struct sl_schema *s,
                       const struct sl_labels *labels);

/*
 * The schema step for one batch: casts every cell of every row that the reader did not mark
 * invalid to its field's type (Frictionless casting rules), fills row->values, adds issues
 * (type-error, extra cells as warnings, missing required values, null primary key values) and
 * sets statuses. Values and messages are allocated in the batch arena.
 */
void sl_cast_batch(const struct sl_schema *s, const struct sl_mapping *m,
                   const struct sl_labels *labels, struct sl_batch *b);
/* Casts one cell to type: 0 and v filled; 1, v filled but the value had to change (a number
 * with more digits than a double holds), *why says how; 2, v filled but not in the field's
 * format, which is declared a warning (*why says why); -1, not of that type (*why may give
 * a reason). */
int sl_cast_cell(const struct sl_field *f, const struct sl_cell *c, struct sl_arena *a,
                 struct sl_value *v, const char **why);
/* A number from text, as casts read it. strict (inference): the JSON number grammar, and the
 * double must represent the decimal exactly enough to print back as the same number (nothing
 * rounded). Otherwise Frictionless: [+-]?(digits[.digits]|.digits)[e[+-]digits], NaN, INF,
 * -INF, Infinity. 0 and *out, or -1. */
int sl_parse_number(const char *p, size_t n, int strict, double *out);

#endif
