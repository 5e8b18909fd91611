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
    int severity;
    char *code, *field, *value, *message;
    char *constraint; /* as sl_issue.constraint, or NULL */
};

struct sl_load_result {
    char *source, *input;
    const char *status; /* "committed", "skipped", "failed" */
    int64_t load;       /* this load's id; for skipped, the earlier load with the same input */
    char sha256[65];
    int64_t rows, valid, warning, invalid;
    double seconds;
    char *message; /* why skipped or failed */
    int exit_code; /* 0 ok, 1 rows rejected, 3 failed */
    struct sl_renames renames;
    struct sl_issue_rec *issues; /* the first keep_errors issues */
    size_t nissues;
    int64_t issues_total;
    char *quality_json;
    struct sl_quality_score quality; /* committed loads: the figures quality_json holds */
    char *recommendation;            /* the first of the quality recommendations, or NULL */
    char *format, *encoding;
    /* values each transform changed, per transform and field ("trim(name)"), in step order */
    char **transform_names;
    int64_t *transform_counts;
    size_t ntransforms;
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
