/*
 * Records in memory: cells, rows, batches.
 *
 * A batch owns a buffer of input bytes and an arena. A reader fills the buffer and makes cells
 * that are views (p, len) into it, or into the arena when a value had to be decoded (escaped
 * quotes, JSON escapes, Latin-1). Everything a batch points to lives until sl_batch_reset.
 */
#ifndef SLUICE_BATCH_H
#define SLUICE_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "sluice/core.h"

/* What a cell holds. CSV cells are always SL_CELL_STRING (an empty field has len 0). */
enum sl_cell_kind {
    SL_CELL_STRING = 0, /* text (decoded JSON string, or a CSV field) */
    SL_CELL_NULL,       /* JSON null */
    SL_CELL_NUMBER,     /* JSON number: p is its text as written */
    SL_CELL_TRUE,
    SL_CELL_FALSE,
    SL_CELL_OBJECT, /* nested JSON: p is its raw JSON text */
    SL_CELL_ARRAY
};

enum {
    SL_CELL_QUOTED = 1, /* CSV: the field was quoted */
    SL_CELL_JSON = 2,   /* a member of a JSON record: "" is a value, missing only when a
                         * schema declares missingValues (docs/schema.md) */
};

struct sl_cell {
    const char *p;
    uint32_t len;
    uint8_t kind;  /* enum sl_cell_kind */
    uint8_t flags; /* SL_CELL_QUOTED ... */
    uint16_t pad;
    uint32_t col; /* input column: position in a CSV row, key id of a JSON record */
};

/* A typed value after the schema step; what the store binds. */
enum sl_value_type { SL_V_NULL = 0, SL_V_INT, SL_V_REAL, SL_V_TEXT, SL_V_BOOL };
struct sl_value {
    uint8_t type;
    uint32_t len; /* SL_V_TEXT */
    union {
        int64_t i; /* SL_V_INT, SL_V_BOOL (0/1) */
        double d;
        const char *s; /* SL_V_TEXT: not NUL-terminated */
    } u;
};

/* Buffers above 4x this size are freed when a batch is reset. */
#define SL_BATCH_KEEP (1u << 20)

enum sl_row_status { SL_ROW_VALID = 0, SL_ROW_WARNING = 1, SL_ROW_INVALID = 2 };

/* What bronze keeps for a row (sl_row.raw). */
enum sl_raw_kind {
    SL_RAW_JSON = 0, /* a JSON text: the record as received (object, or array of CSV cells) */
    SL_RAW_TEXT,     /* the record's text, which could not be parsed (valid UTF-8) */
    SL_RAW_BYTES     /* the record's bytes, not valid UTF-8 (stored as a BLOB) */
};

/* One problem of one row: an error (the row is invalid) or a warning (the row lands). */
struct sl_issue {
    struct sl_issue *next;
    const char *code;    /* Frictionless code: "type-error", "missing-cell", ... (static) */
    const char *message; /* for people */
    const char *field;   /* field (column) name, NULL for a row-level problem */
    const char *value;   /* the value as received, NULL if none */
    uint32_t value_len;
    uint8_t severity;       /* SL_ROW_WARNING or SL_ROW_INVALID */
    const char *constraint; /* constraint-error: "minimum", "enum", ...; row-constraint: the
                             * rule's name; NULL otherwise (static or arena string). Quality's
                             * accuracy counts the range, enum and reference-set ones. */
    const char *keyword;    /* code "json-schema": the failing JSON Schema keyword, else NULL */
};

struct sl_row {
    struct sl_cell *cells;
    uint32_t ncells;
    uint8_t status;   /* enum sl_row_status: the worst severity of its issues */
    uint8_t raw_kind; /* enum sl_raw_kind */
    int64_t num;      /* 1-based record number in the input (a CSV header is not a record) */
    int64_t line;     /* 1-based physical line where the record starts */
    int64_t offset;   /* byte offset (of the decompressed input) where it starts */
    const char *raw;  /* what bronze keeps; see enum sl_raw_kind */
    size_t raw_len;
    struct sl_issue *issues, *issues_tail;
    uint32_t nissues; /* issues in the list, the "too-many-issues" one included */
    uint32_t unkept;  /* issues not kept (SL_ROW_MAX_ISSUES), counted in the list's last one */
    struct sl_value *values; /* one per schema field after the schema step, else NULL */
};

struct sl_batch {
    struct sl_arena arena;
    struct sl_issue unkept; /* what sl_row_issue returns for an issue it does not keep */
    char *buf;              /* input bytes the cells point into */
    size_t len, cap;
    struct sl_row *rows;
    size_t nrows, rows_cap;
    int64_t in_bytes;  /* raw input bytes consumed when this batch was complete (progress) */
    int64_t out_bytes; /* decompressed bytes consumed (where the next batch starts) */
};

void sl_batch_init(struct sl_batch *b);
/* Forgets rows and arena contents; keeps buffers for reuse (shrinks oversized ones). */
void sl_batch_reset(struct sl_batch *b);
void sl_batch_free(struct sl_batch *b);
/* Makes sure buf has room for n bytes in total (keeps its content). */
void sl_batch_reserve(struct sl_batch *b, size_t n);
/* Appends a zeroed row; the pointer is valid until the next sl_batch_add_row. */
struct sl_row *sl_batch_add_row(struct sl_batch *b);

/* At most this many issues are kept a record (a hostile record can repeat one problem millions
 * of times: 10 million duplicate keys in a 60 MB line). Past it, the list ends with one issue
 * "too-many-issues" that counts the others ("and N more issues of this record were not kept")
 * and carries the worst of their severities; the row's status is raised as usual. */
#define SL_ROW_MAX_ISSUES 1000

/* Adds an issue to a row and raises its status. value may be NULL. The message is formatted
 * into the batch arena; code and field must outlive the batch (static or arena strings).
 * Returns the issue, for a caller to set its constraint, keyword, ...: the one added to the
 * row, or, past SL_ROW_MAX_ISSUES, the batch's scratch issue (written to, never read). */
struct sl_issue *sl_row_issue(struct sl_batch *b, struct sl_row *r, int severity, const char *code,
                              const char *field, const char *value, size_t value_len,
                              const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/* The issues a row had: those in its list and those not kept (the "too-many-issues" issue
 * itself is not one). */
int64_t sl_row_issue_count(const struct sl_row *r);

/* Appends an issue's JSON members (no braces): "code":…,"field":…,"value":…,"message":…,
 * "severity":"error"|"warning", then "constraint":… (constraint-error) or "rule":…
 * (row-constraint) when known. Bronze's errors column and `check --output json` use it. */
void sl_issue_json_members(struct sl_buf *b, const struct sl_issue *i);

/*
 * Input column labels: a CSV header (or field_1..N without one) or the keys of JSON records
 * in the order first seen. Owns its strings. Lookup by name is a hash probe.
 */
struct sl_labels {
    char **v;
    uint32_t *lens;
    size_t n, cap;
    uint32_t *slots; /* open addressing: index+1, 0 = empty */
    size_t nslots;
};
void sl_labels_init(struct sl_labels *l);
void sl_labels_free(struct sl_labels *l);
/* Index of label p[0..n), adding it when new. */
uint32_t sl_labels_intern(struct sl_labels *l, const char *p, size_t n);
/* Forgets the labels from index n on (the last ones added first). */
void sl_labels_truncate(struct sl_labels *l, size_t n);
/* Index or -1. */
long sl_labels_find(const struct sl_labels *l, const char *p, size_t n);
/* Appends a label even if it repeats (CSV headers may repeat names). */
uint32_t sl_labels_push(struct sl_labels *l, const char *p, size_t n);

#endif
