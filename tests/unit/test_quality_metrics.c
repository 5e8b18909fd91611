/* Unit tests: consistency, accuracy and their recommendations (unit hints), timeliness,
 * weights, thresholds, robust z-scores and anomalies against history, durations. */
#include <math.h>
#include <stdlib.h>

#include "sluice/sluice.h"
#include "unit.h"

static int near(double a, double b)
{
    return fabs(a - b) < 1e-9;
}

/* A batch of n rows of one REAL field "weight" (or text when vals is NULL). */
static void add_row(struct sl_batch *b, double v)
{
    struct sl_row *r = sl_batch_add_row(b);
    r->values = sl_arena_zalloc(&b->arena, 2 * sizeof *r->values);
    r->values[0].type = SL_V_REAL;
    r->values[0].u.d = v;
    r->values[1].type = SL_V_TEXT;
    r->values[1].u.s = "x";
    r->values[1].len = 1;
}

static void fail_max(struct sl_batch *b, const char *field, const char *constraint)
{
    struct sl_row *r = &b->rows[b->nrows - 1];
    struct sl_issue *i;
    sl_row_issue(b, r, SL_ROW_INVALID, "constraint-error", field, "v", 1, "%s too large", field);
    i = r->issues_tail;
    i->constraint = constraint;
}

TEST(quality_accuracy_and_unit_hint_pounds)
{
    struct sl_schema *s = sl_schema_new();
    struct sl_batch b;
    struct sl_quality q;
    struct sl_quality_score sc;
    struct sl_buf rec = SL_BUF_INIT, js = SL_BUF_INIT;

    sl_schema_add(s, "weight", NULL, SL_TYPE_NUMBER);
    sl_schema_add(s, "name", NULL, SL_TYPE_STRING);
    sl_quality_init(&q, s);
    q.fields[0].rules.covered = 1;
    q.fields[0].rules.has_max = 1;
    q.fields[0].rules.max = 150;
    sl_batch_init(&b);
    /* 8 values in kg around 70, 2 in pounds around 154 (> 150) */
    for (int i = 0; i < 8; i++) add_row(&b, 66 + i);
    add_row(&b, 152);
    fail_max(&b, "weight", "maximum");
    add_row(&b, 156);
    fail_max(&b, "weight", "maximum");
    sl_quality_batch(&q, s, &b);
    CHECK_INT(q.fields[0].above, 2);
    CHECK_INT(q.fields[0].checked, 10);
    CHECK_INT(q.fields[0].invalid, 2);
    sl_quality_compute(&q, &sc);
    CHECK(near(sc.accuracy, 0.8));
    CHECK(near(sc.validity, 0.8));
    sl_quality_recommendations(&q, s, 0, &rec);
    CHECK(strstr(rec.p, "weight: 20% above maximum 150") == rec.p);
    CHECK(strstr(rec.p, "pounds where kilograms are expected") != NULL);
    if (unit_failures) fprintf(stderr, "  %s\n", rec.p);
    sl_quality_json(&q, s, &js);
    CHECK(strstr(js.p, "\"accuracy\":0.8,") != NULL);
    CHECK(strstr(js.p, "\"weight\":{\"completeness\":1,\"validity\":0.8}") != NULL);
    sl_buf_free(&rec);
    sl_buf_free(&js);
    sl_batch_free(&b);
    sl_quality_free(&q);
    sl_schema_free(s);
}

TEST(quality_unit_hints)
{
    /* °F where °C is expected: 98.6 °F = 37 °C */
    struct sl_schema *s = sl_schema_new();
    struct sl_batch b;
    struct sl_quality q;
    struct sl_buf rec = SL_BUF_INIT;

    sl_schema_add(s, "temp", NULL, SL_TYPE_NUMBER);
    sl_schema_add(s, "name", NULL, SL_TYPE_STRING);
    sl_quality_init(&q, s);
    sl_batch_init(&b);
    for (int i = 0; i < 9; i++) add_row(&b, 36.5 + 0.1 * i);
    add_row(&b, 98.6);
    /* no rule in the model: the failure itself makes the field count for accuracy */
    fail_max(&b, "temp", "exclusiveMaximum");
    sl_quality_batch(&q, s, &b);
    sl_quality_recommendations(&q, s, 0, &rec);
    CHECK(strstr(rec.p, "temp: 10% above the declared maximum") == rec.p);
    CHECK(strstr(rec.p, "Fahrenheit where Celsius") != NULL);
    if (unit_failures) fprintf(stderr, "  %s\n", rec.p);
    struct sl_quality_score sc;
    sl_quality_compute(&q, &sc);
    CHECK(near(sc.accuracy, 0.9));
    sl_buf_free(&rec);
    sl_batch_free(&b);
    sl_quality_free(&q);

    /* grams where kilograms are expected: ×1000 */
    sl_quality_init(&q, s);
    sl_batch_init(&b);
    for (int i = 0; i < 5; i++) add_row(&b, 2.0 + 0.1 * i);
    add_row(&b, 2150);
    fail_max(&b, "temp", "maximum");
    sl_quality_batch(&q, s, &b);
    sl_quality_recommendations(&q, s, 0, &rec);
    CHECK(strstr(rec.p, "a unit prefix apart (×1000") != NULL);
    sl_buf_free(&rec);
    sl_batch_free(&b);
    sl_quality_free(&q);

    /* nothing recognizable: entry errors */
    sl_quality_init(&q, s);
    sl_batch_init(&b);
    for (int i = 0; i < 5; i++) add_row(&b, 2.0);
    add_row(&b, 13);
    fail_max(&b, "temp", "maximum");
    sl_quality_batch(&q, s, &b);
    sl_quality_recommendations(&q, s, 0, &rec);
    CHECK(strstr(rec.p, "check for entry errors") != NULL);
    sl_buf_free(&rec);
    sl_batch_free(&b);
    sl_quality_free(&q);
    sl_schema_free(s);
}

TEST(quality_consistency_enum_reference_unique)
{
    struct sl_schema *s = sl_schema_new();
    struct sl_batch b;
    struct sl_quality q;
    struct sl_quality_score sc;
    struct sl_buf rec = SL_BUF_INIT;

    sl_schema_add(s, "weight", NULL, SL_TYPE_NUMBER);
    sl_schema_add(s, "name", NULL, SL_TYPE_STRING);
    sl_quality_init(&q, s);
    sl_batch_init(&b);
    for (int i = 0; i < 10; i++) add_row(&b, i);
    /* row 1: a row rule fails (no field), as a warning: the row lands */
    sl_row_issue(&b, &b.rows[0], SL_ROW_WARNING, "row-constraint", NULL, NULL, 0, "end < start");
    /* row 2: two row rules fail: one row */
    sl_row_issue(&b, &b.rows[1], SL_ROW_INVALID, "row-constraint", NULL, NULL, 0, "a");
    sl_row_issue(&b, &b.rows[1], SL_ROW_INVALID, "row-constraint", NULL, NULL, 0, "b");
    /* row 3: name not in the enum; row 4: no reference; row 5: a unique field repeats */
    sl_row_issue(&b, &b.rows[2], SL_ROW_INVALID, "constraint-error", "name", "x", 1, "enum");
    b.rows[2].issues_tail->constraint = "enum";
    sl_row_issue(&b, &b.rows[3], SL_ROW_INVALID, "foreign-key", "name", "x", 1, "no match");
    sl_row_issue(&b, &b.rows[4], SL_ROW_INVALID, "unique-error", "name", "x", 1, "repeats");
    /* row 6: a pattern failure is validity, not accuracy */
    sl_row_issue(&b, &b.rows[5], SL_ROW_INVALID, "constraint-error", "name", "x", 1, "pattern");
    b.rows[5].issues_tail->constraint = "pattern";
    sl_quality_batch(&q, s, &b);
    sl_quality_compute(&q, &sc);
    CHECK(near(sc.consistency, 0.8));
    CHECK_INT(q.invalid_rows, 5);
    CHECK(near(sc.validity, 0.5));
    CHECK_INT(q.fields[1].invalid, 4);
    CHECK_INT(q.fields[1].acc_fail, 2);
    CHECK(near(sc.accuracy, 0.8)); /* name: 10 cells, 2 outside enum / reference */
    sl_quality_recommendations(&q, s, 1, &rec);
    CHECK(strstr(rec.p, "5 of 10 rows (50.0%) were rejected") == rec.p);
    CHECK(strstr(rec.p, "20% of the rows (2) break a row rule") != NULL);
    CHECK(strstr(rec.p, "name: 10% are not one of the allowed values") != NULL);
    CHECK(strstr(rec.p, "name: 10% have no match in the referenced source") != NULL);
    CHECK(strstr(rec.p, "name: 10% repeat earlier values although the field is unique") != NULL);
    CHECK(strstr(rec.p, "name: 10% break a constraint of the field") != NULL);
    if (unit_failures) fprintf(stderr, "  %s\n", rec.p);
    sl_buf_free(&rec);
    sl_batch_free(&b);
    sl_quality_free(&q);
    sl_schema_free(s);
}

TEST(quality_timeliness_weights_thresholds)
{
    struct sl_schema *s = sl_schema_new();
    struct sl_quality_config cfg;
    struct sl_batch b;
    struct sl_quality q;
    struct sl_quality_score sc;
    struct sl_buf msg = SL_BUF_INIT;
    static const char *const ts[] = {"2026-11-23T10:00:00Z", "2026-11-22T12:00:00+01:00",
                                     "2026-11-20", "2026-11-23 11:30:00", "not a time"};

    sl_schema_add(s, "t", NULL, SL_TYPE_DATETIME);
    sl_quality_config_init(&cfg);
    cfg.freshness = 86400;
    cfg.freshness_text = "24h";
    cfg.weights[SL_M_TIMELINESS] = 3;
    sl_quality_init(&q, s);
    q.now = 1795435200; /* 2026-11-23T12:00:00Z */
    sl_quality_configure(&q, &cfg, 0);
    sl_batch_init(&b);
    for (int i = 0; i < 5; i++) {
        struct sl_row *r = sl_batch_add_row(&b);
        r->values = sl_arena_zalloc(&b.arena, sizeof *r->values);
        r->values[0].type = SL_V_TEXT;
        r->values[0].u.s = ts[i];
        r->values[0].len = (uint32_t)strlen(ts[i]);
    }
    sl_quality_batch(&q, s, &b);
    CHECK_INT(q.ts_rows, 4);
    CHECK_INT(q.ts_fresh, 2); /* 12:00+01:00 on the 22nd is 11:00Z: older than 24h */
    CHECK(near(q.newest, 1795435200 - 1800));
    sl_quality_compute(&q, &sc);
    CHECK(near(sc.timeliness, 0.5));
    /* measured: completeness, validity (weight 1) and timeliness (weight 3) */
    CHECK(near(sc.score, (2 + 3 * 0.5) / 5.0));

    CHECK_INT(sl_quality_thresholds(&q, &cfg, &msg), 0);
    cfg.min_score = 0.9;
    cfg.min[SL_M_TIMELINESS] = 0.75;
    CHECK_INT(sl_quality_thresholds(&q, &cfg, &msg), 1);
    CHECK_STR(msg.p, "quality score 0.7000 is below min_score 0.9 (short by 0.2000); "
                     "timeliness 0.5000 is below min_timeliness 0.75 (short by 0.2500)");
    sl_buf_free(&msg);
    sl_batch_free(&b);
    sl_quality_free(&q);
    sl_schema_free(s);
}

TEST(quality_robust_z)
{
    double v[] = {10, 11, 9, 10, 12, 10}, med, mad;
    double z = sl_robust_z(3, v, 6, &med, &mad);
    CHECK(near(med, 10));
    CHECK(near(mad, 0.5));
    CHECK(near(z, 0.6745 * -7 / 0.5));
    /* MAD 0: the mean absolute deviation stands in */
    double w[] = {5, 5, 5, 5, 9};
    z = sl_robust_z(9, w, 5, &med, &mad);
    CHECK(near(mad, 0));
    CHECK(near(z, 4 / (1.2533 * 0.8)));
    /* no spread at all: undefined */
    double u[] = {1, 1, 1, 1, 1};
    CHECK(isnan(sl_robust_z(0.9, u, 5, &med, &mad)));
    CHECK(near(sl_robust_z(1, u, 5, &med, &mad), 0));
}

TEST(quality_anomalies_need_history)
{
    struct sl_schema *s = sl_schema_new();
    struct sl_quality q;
    struct sl_quality_past past[6];
    const char *ok = "{\"score\":1,\"completeness\":1,\"validity\":0.99}";
    static const int64_t rows[] = {100, 104, 98, 101, 99, 100};
    struct sl_buf js = SL_BUF_INIT;

    sl_schema_add(s, "a", NULL, SL_TYPE_STRING);
    sl_quality_init(&q, s);
    q.rows = 40;
    for (int i = 0; i < 6; i++) {
        past[i].load = i + 1;
        past[i].rows = rows[i];
        past[i].status = "committed";
        past[i].quality_json = i == 2 ? "not json" : ok;
    }
    sl_quality_anomalies(&q, past, 4); /* 4 earlier loads: not enough */
    CHECK_INT(q.nanomalies, 0);
    sl_quality_anomalies(&q, past, 6);
    CHECK_INT(q.history, 6);
    /* rows 40 vs median 100 (MAD 1): flagged; validity 1 vs 0.99 with no spread: within 5% */
    CHECK_INT(q.nanomalies, 1);
    if (q.nanomalies) {
        CHECK_STR(q.anomalies[0].metric, "rows");
        CHECK(near(q.anomalies[0].median, 100));
        CHECK(near(q.anomalies[0].mad, 1));
        CHECK(near(q.anomalies[0].z, 0.6745 * -60));
    }
    sl_quality_json(&q, s, &js);
    CHECK(strstr(js.p, "\"anomalies\":[{\"metric\":\"rows\",\"value\":40,\"median\":100,"
                       "\"mad\":1,\"z\":-40.47,\"message\":\"rows: 40 is far below the usual "
                       "100 of the last 6 loads") != NULL);
    if (unit_failures) fprintf(stderr, "  %s\n", js.p);
    sl_buf_free(&js);
    sl_quality_free(&q);
    sl_schema_free(s);
}

TEST(quality_durations)
{
    CHECK(near(sl_parse_duration("24h"), 86400));
    CHECK(near(sl_parse_duration("7d"), 7 * 86400));
    CHECK(near(sl_parse_duration("90m"), 5400));
    CHECK(near(sl_parse_duration("2w"), 14 * 86400));
    CHECK(near(sl_parse_duration("3600"), 3600));
    CHECK(near(sl_parse_duration("P1D"), 86400));
    CHECK(near(sl_parse_duration("PT12H"), 43200));
    CHECK(near(sl_parse_duration("P1DT6H30M"), 86400 + 6 * 3600 + 1800));
    CHECK(near(sl_parse_duration("PT1M"), 60));
    CHECK(near(sl_parse_duration("P1M"), 30 * 86400));
    CHECK(sl_parse_duration("soon") < 0);
    CHECK(sl_parse_duration("P") < 0);
    CHECK(sl_parse_duration("PT1D") < 0);
    CHECK(sl_parse_duration("-5h") < 0);
    CHECK(sl_parse_duration("5 parsecs") < 0);
}
