/*
 * Data quality of one load (or one `check`), with exactly the definitions of CLI.md:
 * completeness, validity, uniqueness, consistency, timeliness, accuracy, score and grade.
 */
#ifndef SLUICE_QUALITY_H
#define SLUICE_QUALITY_H

#include <stddef.h>
#include <stdint.h>

#include "sluice/batch.h"
#include "sluice/core.h"
#include "sluice/schema.h"

struct sl_quality_field {
    int64_t missing; /* missing cells of this field */
    int64_t invalid; /* non-missing cells with an error */
};

struct sl_quality {
    size_t nfields;
    struct sl_quality_field *fields;
    int64_t rows, invalid_rows, warning_rows;
    int64_t repeats; /* rows whose primary key repeats an earlier row or a silver row */
    int keyed;
};

void sl_quality_init(struct sl_quality *q, const struct sl_schema *s);
void sl_quality_free(struct sl_quality *q);
/* Counts a batch after the schema step. */
void sl_quality_batch(struct sl_quality *q, const struct sl_schema *s, const struct sl_batch *b);

struct sl_quality_score {
    double completeness, validity, uniqueness, consistency, timeliness, accuracy, score;
    const char *grade; /* excellent, good, fair, poor, unusable */
};
void sl_quality_compute(const struct sl_quality *q, struct sl_quality_score *out);
const char *sl_quality_grade(double score);
/* The JSON object of CLI.md ("score", "grade", the six figures, "fields", "anomalies",
 * "recommendations"). */
void sl_quality_json(const struct sl_quality *q, const struct sl_schema *s, struct sl_buf *b);

#endif
