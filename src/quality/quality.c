/*
 * Data quality of a load, with the definitions of CLI.md. Counting happens per batch after the
 * schema step (on the reader thread); the figures are computed once at the end.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/quality.h"

void sl_quality_init(struct sl_quality *q, const struct sl_schema *s)
{
    memset(q, 0, sizeof *q);
    q->nfields = s->nfields;
    q->fields = sl_xcalloc(s->nfields ? s->nfields : 1, sizeof *q->fields);
    q->keyed = s->npk > 0;
}

void sl_quality_free(struct sl_quality *q)
{
    free(q->fields);
    q->fields = NULL;
}

void sl_quality_batch(struct sl_quality *q, const struct sl_schema *s, const struct sl_batch *b)
{
    (void)s;
    for (size_t r = 0; r < b->nrows; r++) {
        const struct sl_row *row = &b->rows[r];
        q->rows++;
        if (row->status == SL_ROW_INVALID) q->invalid_rows++;
        if (row->status == SL_ROW_WARNING) q->warning_rows++;
        if (!row->values) {
            /* the reader could not read the record: none of its cells counts as present */
            for (size_t i = 0; i < q->nfields; i++) q->fields[i].missing++;
            continue;
        }
        /* the schema step marks a value that failed its cast with len 1 (see cast.c) */
        for (size_t i = 0; i < q->nfields; i++) {
            if (row->values[i].type != SL_V_NULL) continue;
            if (row->values[i].len)
                q->fields[i].invalid++;
            else
                q->fields[i].missing++;
        }
    }
}

const char *sl_quality_grade(double score)
{
    if (score >= 0.95) return "excellent";
    if (score >= 0.85) return "good";
    if (score >= 0.70) return "fair";
    if (score >= 0.50) return "poor";
    return "unusable";
}

static double share(int64_t part, int64_t whole)
{
    return whole > 0 ? (double)part / (double)whole : 1.0;
}

void sl_quality_compute(const struct sl_quality *q, struct sl_quality_score *o)
{
    int64_t missing = 0;
    for (size_t i = 0; i < q->nfields; i++) missing += q->fields[i].missing;
    int64_t cells = q->rows * (int64_t)q->nfields;
    o->completeness = share(cells - missing, cells);
    o->validity = share(q->rows - q->invalid_rows, q->rows);
    o->uniqueness = q->keyed && q->rows ? 1.0 - share(q->repeats, q->rows) : 1.0;
    o->consistency = 1.0; /* no row rules yet */
    o->timeliness = 1.0;  /* no freshness declared */
    o->accuracy = 1.0;    /* no ranges, enums or reference sets declared */
    o->score = (o->completeness + o->validity + o->uniqueness + o->consistency + o->timeliness +
                o->accuracy) /
               6.0;
    o->grade = sl_quality_grade(o->score);
}

/* Shares are printed with at most 4 decimals, cut rather than rounded so that a printed score
 * never reads as the next grade up (0.94996 is "good", printed 0.9499, not 0.95). */
static void fig(struct sl_buf *b, const char *name, double v)
{
    sl_buf_addf(b, "\"%s\":%.10g", name, floor(v * 10000.0) / 10000.0);
}

void sl_quality_json(const struct sl_quality *q, const struct sl_schema *s, struct sl_buf *b)
{
    struct sl_quality_score sc;
    int first = 1;

    sl_quality_compute(q, &sc);
    sl_buf_addc(b, '{');
    fig(b, "score", sc.score);
    sl_buf_addf(b, ",\"grade\":\"%s\",", sc.grade);
    fig(b, "completeness", sc.completeness), sl_buf_addc(b, ',');
    fig(b, "validity", sc.validity), sl_buf_addc(b, ',');
    fig(b, "uniqueness", sc.uniqueness), sl_buf_addc(b, ',');
    fig(b, "consistency", sc.consistency), sl_buf_addc(b, ',');
    fig(b, "timeliness", sc.timeliness), sl_buf_addc(b, ',');
    fig(b, "accuracy", sc.accuracy);
    sl_buf_adds(b, ",\"fields\":{");
    for (size_t i = 0; i < q->nfields; i++) {
        const struct sl_quality_field *f = &q->fields[i];
        if (i) sl_buf_addc(b, ',');
        sl_buf_json_cstr(b, s->fields[i].name);
        sl_buf_addc(b, ':');
        sl_buf_addc(b, '{');
        fig(b, "completeness", share(q->rows - f->missing, q->rows));
        sl_buf_addc(b, ',');
        fig(b, "validity", share(q->rows - f->missing - f->invalid, q->rows - f->missing));
        sl_buf_addc(b, '}');
    }
    sl_buf_adds(b, "},\"anomalies\":[],\"recommendations\":[");
    if (q->invalid_rows) {
        struct sl_buf m = SL_BUF_INIT;
        sl_buf_addf(&m,
                    "%lld of %lld rows (%.1f%%) were rejected; they are kept in bronze with "
                    "status 'invalid' and their errors",
                    (long long)q->invalid_rows, (long long)q->rows,
                    100.0 * share(q->invalid_rows, q->rows));
        sl_buf_json_str(b, m.p, m.len);
        sl_buf_free(&m);
        first = 0;
    }
    for (size_t i = 0; i < q->nfields; i++) {
        const struct sl_quality_field *f = &q->fields[i];
        struct sl_buf m = SL_BUF_INIT;
        double miss = 1.0 - share(q->rows - f->missing, q->rows);
        if (f->invalid)
            sl_buf_addf(&m,
                        "%s: %lld of %lld values (%.2g%%) are not of type %s; fix them at the "
                        "source, or declare the field with a wider type",
                        s->fields[i].name, (long long)f->invalid, (long long)(q->rows - f->missing),
                        100.0 * share(f->invalid, q->rows - f->missing),
                        sl_type_name(s->fields[i].type));
        else if (miss >= 0.05 && q->rows)
            sl_buf_addf(&m,
                        "%s: %.1f%% of the values are missing; if that is expected, the field "
                        "is optional, else check the extract",
                        s->fields[i].name, 100.0 * miss);
        if (m.len) {
            if (!first) sl_buf_addc(b, ',');
            sl_buf_json_str(b, m.p, m.len);
            first = 0;
        }
        sl_buf_free(&m);
    }
    if (q->keyed && q->repeats) {
        struct sl_buf m = SL_BUF_INIT;
        sl_buf_addf(&m,
                    "%lld rows (%.1f%%) repeat a primary key already loaded; the latest value "
                    "wins",
                    (long long)q->repeats, 100.0 * share(q->repeats, q->rows));
        if (!first) sl_buf_addc(b, ',');
        sl_buf_json_str(b, m.p, m.len);
        sl_buf_free(&m);
    }
    sl_buf_adds(b, "]}");
}
