/*
 * Data quality of one load (or one `check`), with exactly the definitions of CLI.md:
 * completeness, validity, uniqueness, consistency, timeliness, accuracy, score and grade,
 * anomalies against the source's earlier loads, recommendations, and reports (text, JSON,
 * self-contained HTML). See docs/quality.md.
 *
 * Counting is per batch after the schema step, from the typed values and the rows' issues
 * (their Frictionless codes): nothing here knows how a constraint is checked, only which cells
 * a constraint covers and which issues say that one failed.
 */
#ifndef SLUICE_QUALITY_H
#define SLUICE_QUALITY_H

#include <stddef.h>
#include <stdint.h>

#include "sluice/batch.h"
#include "sluice/config.h"
#include "sluice/core.h"
#include "sluice/schema.h"

/* What accuracy knows of a field's declared constraints (filled by sl_quality_init from the
 * schema; a test may set it). */
struct sl_quality_rules {
    int covered; /* a range, enum or reference set is declared: cells count for accuracy */
    int has_min, has_max;
    double min, max; /* the bounds when numeric */
};

struct sl_quality_field {
    int64_t missing;           /* missing cells of this field */
    int64_t invalid;           /* non-missing cells with an error */
    int64_t type_errors;       /* cells that are not of the field's type (or format) */
    int64_t constraint_errors; /* other constraint errors (pattern, length, ...) */
    int64_t unique_errors;     /* unique-error issues */
    int64_t checked;           /* non-missing cells of the right type */
    int64_t acc_fail;          /* accuracy failures: above, below, enum, reference */
    int64_t above, below, not_enum, no_reference;
    /* numeric values that passed, that were above the maximum, below the minimum: their sums
     * give the means a unit hint compares */
    double sum_ok, sum_above, sum_below;
    int64_t n_ok, n_above, n_below;
    struct sl_quality_rules rules;
};

struct sl_quality_anomaly {
    char metric[32];
    double value, median, mad, z; /* z is NAN when the history has no spread */
    char message[200];
};

struct sl_quality {
    size_t nfields;
    struct sl_quality_field *fields;
    int64_t rows, invalid_rows, warning_rows;
    /* rows whose primary key is already in silver: set by the pipeline for append sources only
     * (an upsert or snapshot replacing keys is not a uniqueness problem) */
    int64_t repeats;
    int64_t pk_errors; /* rows with a primary-key issue (not written, so not counted above) */
    int64_t rule_rows; /* rows with a row-constraint issue */
    int keyed;
    int has_rules; /* the schema declares row rules: consistency is measured */
    /* timeliness */
    int ts_field;     /* -1 if none */
    double freshness; /* seconds, 0 = none declared */
    const char *freshness_text;
    double now;                /* the load's time */
    int64_t ts_rows, ts_fresh; /* rows with a timestamp, of which within freshness */
    double newest;             /* epoch seconds of the newest timestamp, -1 if none */
    double weights[SL_M_COUNT];
    struct sl_quality_anomaly *anomalies;
    size_t nanomalies;
    int64_t history; /* earlier loads the anomalies were computed against (0 = not computed) */
    uint64_t *stamp; /* per field: the row that last counted an invalid cell */
    uint64_t rowno;
};

void sl_quality_init(struct sl_quality *q, const struct sl_schema *s);
void sl_quality_free(struct sl_quality *q);
/* Weights, freshness (and the timestamp field ts_field, an index of s or -1). */
void sl_quality_configure(struct sl_quality *q, const struct sl_quality_config *c, int ts_field);
/* Counts a batch after the schema step. */
void sl_quality_batch(struct sl_quality *q, const struct sl_schema *s, const struct sl_batch *b);

struct sl_quality_score {
    /* each NAN when not measured (nothing to measure); score NAN when none is */
    double completeness, validity, uniqueness, consistency, timeliness, accuracy, score;
    const char *grade; /* excellent, good, fair, poor, unusable; "n/a" when nothing measured */
    int capped;        /* the grade is validity's (rejected rows), lower than the score's */
};
void sl_quality_compute(const struct sl_quality *q, struct sl_quality_score *out);
const char *sl_quality_grade(double score);
/* "completeness", ... */
const char *sl_metric_name(int metric);
double sl_quality_metric(const struct sl_quality_score *s, int metric);

/* The JSON object of CLI.md ("score", "grade", the six figures, "fields", "anomalies",
 * "recommendations"), plus "freshness" when one is declared. */
void sl_quality_json(const struct sl_quality *q, const struct sl_schema *s, struct sl_buf *b);
/* The recommendations, most important first, each a line without newline, separated by '\n'.
 * summary: include the "N of M rows were rejected" line (first when there is one). */
void sl_quality_recommendations(const struct sl_quality *q, const struct sl_schema *s, int summary,
                                struct sl_buf *out);

/* Thresholds: 0 when every threshold of c holds, else 1 with msg saying which missed and by how
 * much ("quality score 0.82 is below min_score 0.90 (by 0.08)"). */
int sl_quality_thresholds(const struct sl_quality *q, const struct sl_quality_config *c,
                          struct sl_buf *msg);

/* Anomalies against history: the quality JSON (as stored) and rows of earlier committed loads,
 * oldest first. Needs SL_ANOMALY_MIN_HISTORY of them; flags |robust z| > SL_ANOMALY_Z. */
#define SL_ANOMALY_MIN_HISTORY 5
#define SL_ANOMALY_MAX_HISTORY 30
#define SL_ANOMALY_Z           3.5
struct sl_quality_past {
    int64_t load, rows;
    const char *status; /* "committed" or "failed" (a missed threshold) */
    const char *quality_json;
};
void sl_quality_anomalies(struct sl_quality *q, const struct sl_quality_past *past, size_t n);
/* Robust z-score of x against v[0..n): 0.6745 (x − median) / MAD; median and MAD out. */
double sl_robust_z(double x, const double *v, size_t n, double *median, double *mad);

/*
 * Reports of a stored load (`sluice quality`): the load's catalog entry and its quality JSON,
 * and the source's loads (oldest first) for the charts.
 */
struct sl_quality_report {
    const char *source;
    int64_t load;
    const char *status, *input, *finished, *message;
    int64_t rows, valid, warning, invalid;
    const char *quality_json;
    const struct sl_quality_past *history; /* every load with a quality, oldest first */
    size_t nhistory;
};
int sl_quality_report_text(const struct sl_quality_report *r, struct sl_buf *out,
                           struct sl_error *err);
int sl_quality_report_json(const struct sl_quality_report *r, struct sl_buf *out,
                           struct sl_error *err);
int sl_quality_report_html(const struct sl_quality_report *r, struct sl_buf *out,
                           struct sl_error *err);

#endif
