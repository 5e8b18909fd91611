/*
 * The pipeline: one input of one source, from bytes to a committed load.
 *
 *   stream → format reader → batch ─(bounded queue)→ store
 *   (reader thread: read, parse, cast)               (writer thread: bronze + silver)
 *
 * Without a schema the input is read twice: once to infer the types over all of it (and to
 * compute its SHA-256, so a known input is skipped before anything is written), once to load.
 */
#ifndef SLUICE_PIPELINE_H
#define SLUICE_PIPELINE_H

#include <stdio.h>

#include "sluice/config.h"
#include "sluice/core.h"
#include "sluice/quality.h"
#include "sluice/schema.h"
#include "sluice/store.h"

struct sl_load_opts {
    int force;                  /* load even when the same input was loaded before */
    int progress;               /* draw a progress line on stderr */
    int64_t run;                /* run id to record with the load */
    size_t keep_errors;         /* issues kept in the result for display (0 = 20) */
    int allow_breaking;         /* apply a breaking schema change (rebuilds silver) */
    int on_type_change;         /* enum sl_type_change_policy for every source (0: the source's) */
    struct sl_rejects *rejects; /* --rejects: rejected rows are also written here (or NULL) */
};

/*
 * Rejected rows with their reasons, written as they are found: NDJSON (one object per row:
 * input, row, line, errors, record) or CSV (_input,_row,_line,_errors, then the record's
 * columns). format: "ndjson", "csv" or NULL (by the extension: .ndjson/.jsonl/.json, .csv).
 * One file for every input of a command. "-" is stdout.
 */
struct sl_rejects;
int sl_rejects_open(const char *path, const char *format, struct sl_rejects **out,
                    struct sl_error *err);
int64_t sl_rejects_count(const struct sl_rejects *r);
/* Flushes and frees r (NULL is fine); < 0 when writing failed. */
int sl_rejects_close(struct sl_rejects *r, struct sl_error *err);

/* One issue of one row, as kept for reports. */
struct sl_issue_rec {
    int64_t row, line;
    int64_t offset; /* byte offset where the record starts */
    int64_t seq;    /* grouped issues: the issue's place among all (input order) */
    int severity;
    char *code, *field, *value, *message;
    char *constraint; /* as sl_issue.constraint, or NULL */
};

/* A column of silver whose type a load's values would widen (integer -> string for "00451"). */
struct sl_type_change {
    char *column;
    const char *from, *to; /* type names */
    int64_t values;        /* values that do not fit `from` (-1: not counted, a declared schema) */
    char *first[3];        /* the first of them, as read (NUL-terminated copies) */
    size_t first_len[3], nfirst;
    const char *action; /* "widened", "quarantined", "rejected" (the load failed: on_type_change),
                         * "none (the load failed)" (for another reason) */
};

/*
 * Issues grouped for people: the same problem on many rows (a header separated otherwise than
 * its rows gives every row the same extra cells) is one line, not one per cell. A group is one
 * code and field, and for extra-cell / missing-cell one shape ("the row has 5 cells, the
 * header 1"). At most SL_ISSUE_GROUPS_MAX groups; issues past them are counted in `other`.
 * Each group keeps its first SL_ISSUE_GROUP_KEEP issues, listed one by one when that is all.
 */
#define SL_ISSUE_GROUPS_MAX 64
#define SL_ISSUE_GROUP_KEEP 3
struct sl_issue_rec;
struct sl_issue_group {
    char *code, *field, *shape; /* shape: NULL unless extra-cell / missing-cell */
    int severity;
    int64_t issues, rows; /* issues (cells) and distinct rows */
    int64_t first_line, first_row, last_line, last_row, first_seq;
    long ncells, nheader; /* extra-cell / missing-cell: the row's cells and the header's */
    struct sl_issue_rec *kept;
    size_t nkept;
};
struct sl_issue_groups {
    struct sl_issue_group *v;
    size_t n;
    int64_t other, issues;
};
void sl_issue_groups_add(struct sl_issue_groups *g, const struct sl_row *row,
                         const struct sl_issue *i);
void sl_issue_groups_free(struct sl_issue_groups *g);
/* "is the header separated differently?" when a group of cell-count problems suggests it
 * (every row of rows, or a header of one column), else NULL. Static text. */
const char *sl_issue_group_hint(const struct sl_issue_group *gr, int64_t rows);
/* The text lines of g (each with prefix, ending "\n") into b, at most max lines then "... and
 * N more"; json_input: records are located as "record N (line L, byte B)" (several JSON
 * records may share a line) rather than "line L (record N)". */
void sl_issue_groups_text(const struct sl_issue_groups *g, int64_t rows, int json_input,
                          const char *prefix, size_t max, struct sl_buf *b);
/* The groups as a JSON array into b. */
void sl_issue_groups_json(const struct sl_issue_groups *g, int64_t rows, struct sl_buf *b);
/* One issue's location for people, as sl_issue_groups_text writes it. */
void sl_issue_where(int64_t row, int64_t line, int64_t offset, int json_input, struct sl_buf *b);

struct sl_load_result {
    char *source, *input;
    const char *status;      /* "committed", "skipped", "failed" */
    int64_t load;            /* this load's id; for skipped, the earlier load with the same input */
    char sha256[65];         /* of the input's bytes */
    char content_sha256[65]; /* of its content, decompressed (the input's identity) */
    int64_t rows, valid, warning, invalid;
    double seconds;
    char *message; /* why skipped or failed */
    int exit_code; /* 0 ok, 1 rows rejected, 3 failed */
    struct sl_renames renames;
    struct sl_issue_rec *issues; /* the first keep_errors issues */
    size_t nissues;
    int64_t issues_total;
    struct sl_issue_groups groups; /* every issue, grouped */
    char *quality_json;
    struct sl_quality_score quality; /* committed loads: the figures quality_json holds */
    char *recommendation;            /* the first of the quality recommendations, or NULL */
    char *format, *encoding;
    /* values each transform changed, per transform and field ("trim(name)"), in step order */
    char **transform_names;
    int64_t *transform_counts;
    size_t ntransforms;
    /* silver columns whose type this load's values would widen, and what was done */
    struct sl_type_change *type_changes;
    size_t ntype_changes;
    /* A committed load into a source that existed before it (its rows joined earlier ones):
     * existing is 1, mode says how ("append", "upsert", "snapshot"), silver_rows how many rows
     * silver holds now (-1: the store cannot say), columns_added the columns this load added
     * to silver and columns_lacking silver's earlier columns this input does not fill. */
    int existing;
    char *mode;
    int64_t silver_rows;
    char **columns_added, **columns_lacking;
    size_t ncolumns_added, ncolumns_lacking;
};
void sl_load_result_free(struct sl_load_result *r);

/* Loads one file (or "-") of src into db. Never fails as a function: the outcome, including a
 * failure, is in res (status, message, exit_code). */
void sl_load_file(struct sl_db *db, const struct sl_source *src, const char *path,
                  const struct sl_load_opts *o, struct sl_load_result *res);

/* Reads a whole input as `sluice check` does: every issue goes to on_issue as it is found. */
typedef void (*sl_issue_cb)(void *ctx, const struct sl_row *r, const struct sl_issue *i);
struct sl_check_result {
    int64_t rows, valid, warning, invalid;
    const char *format; /* the format read ("csv", "json", ...; static), NULL if not opened */
    char *quality_json;
};
int sl_check_file(const struct sl_source *src, const char *path, sl_issue_cb on_issue, void *ctx,
                  struct sl_check_result *res, struct sl_error *err);
/* The same with a store (unique against silver, foreign keys to other sources; NULL: none)
 * and a rejects file (NULL: none). */
int sl_check_file_with(struct sl_db *db, struct sl_rejects *rejects, const struct sl_source *src,
                       const char *path, sl_issue_cb on_issue, void *ctx,
                       struct sl_check_result *res, struct sl_error *err);

/* Infers the schema of a whole input; dialect_json describes what the reader detected. */
int sl_infer_file(const struct sl_source *src, const char *path, struct sl_schema **schema,
                  struct sl_renames *renames, char **dialect_json, struct sl_error *err);

/* Prints every record of an input as NDJSON or CSV ("ndjson"/"csv") to out. Unparseable
 * records are reported to stderr; *bad counts them. */
int sl_cat_file(const struct sl_source *src, const char *path, const char *to, FILE *out,
                int64_t *bad, struct sl_error *err);

#endif
