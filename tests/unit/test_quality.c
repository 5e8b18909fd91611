#include <math.h>
/* Unit tests: the quality figures of CLI.md, grades, per-field counts and the JSON object. */
#include <stdlib.h>

#include "sluice/sluice.h"
#include "unit.h"

static int near(double a, double b)
{
    return a - b < 1e-9 && b - a < 1e-9;
}

/* A quality record for a schema of nfields fields (no batch needed). */
static struct sl_quality q_of(struct sl_schema *s, size_t nfields, int keyed)
{
    struct sl_quality q;
    for (size_t i = 0; i < nfields; i++) {
        char name[16];
        snprintf(name, sizeof name, "f%zu", i);
        sl_schema_add(s, name, NULL, SL_TYPE_STRING);
    }
    if (keyed) {
        const char *pk[] = {"f0"};
        struct sl_error err = {0};
        sl_schema_set_pk(s, pk, 1, &err);
    }
    sl_quality_init(&q, s);
    return q;
}

TEST(quality_grade_thresholds)
{
    CHECK_STR(sl_quality_grade(1.0), "excellent");
    CHECK_STR(sl_quality_grade(0.95), "excellent");
    CHECK_STR(sl_quality_grade(0.9499), "good");
    CHECK_STR(sl_quality_grade(0.85), "good");
    CHECK_STR(sl_quality_grade(0.8499), "fair");
    CHECK_STR(sl_quality_grade(0.70), "fair");
    CHECK_STR(sl_quality_grade(0.6999), "poor");
    CHECK_STR(sl_quality_grade(0.50), "poor");
    CHECK_STR(sl_quality_grade(0.4999), "unusable");
    CHECK_STR(sl_quality_grade(0.0), "unusable");
}

TEST(quality_empty_input)
{
    struct sl_schema *s = sl_schema_new();
    struct sl_quality q = q_of(s, 2, 1);
    struct sl_quality_score sc;
    struct sl_buf b = SL_BUF_INIT;

    sl_quality_compute(&q, &sc);
    /* nothing to measure: every figure is not measured (NAN), the grade n/a */
    CHECK(isnan(sc.completeness) && isnan(sc.validity) && isnan(sc.uniqueness));
    CHECK(isnan(sc.consistency) && isnan(sc.timeliness) && isnan(sc.accuracy));
    CHECK(isnan(sc.score));
    CHECK_STR(sc.grade, "n/a");
    sl_quality_json(&q, s, &b);
    CHECK(strstr(b.p, "\"score\":null,") != NULL);
    CHECK(strstr(b.p, "\"f0\":{\"completeness\":null,\"validity\":null}") != NULL);
    CHECK(strstr(b.p, "\"recommendations\":[]") != NULL);
    sl_buf_free(&b);
    sl_quality_free(&q);
    sl_schema_free(s);
}

TEST(quality_figures)
{
    struct sl_schema *s = sl_schema_new();
    struct sl_quality q = q_of(s, 2, 1);
    struct sl_quality_score sc;

    q.rows = 10;
    q.fields[0].missing = 0;
    q.fields[1].missing = 2;
    q.invalid_rows = 3;
    q.repeats = 1;
    sl_quality_compute(&q, &sc);
    CHECK(near(sc.completeness, 18.0 / 20.0));
    CHECK(near(sc.validity, 0.7));
    CHECK(near(sc.uniqueness, 0.9));
    CHECK(isnan(sc.consistency) && isnan(sc.timeliness) && isnan(sc.accuracy));
    CHECK(near(sc.score, (0.9 + 0.7 + 0.9) / 3.0));
    CHECK_STR(sc.grade, "fair");

    /* no key: uniqueness is not measured */
    q.keyed = 0;
    sl_quality_compute(&q, &sc);
    CHECK(isnan(sc.uniqueness));
    sl_quality_free(&q);
    sl_schema_free(s);
}

TEST(quality_grade_boundaries_computed)
{
    struct sl_schema *s = sl_schema_new();
    struct sl_quality q = q_of(s, 1, 1);
    struct sl_quality_score sc;

    q.rows = 10; /* measured: completeness, validity, uniqueness */
    sl_quality_compute(&q, &sc);
    CHECK_STR(sc.grade, "excellent");
    CHECK(!sc.capped);
    q.invalid_rows = 1; /* (1 + 0.9 + 1) / 3 = 0.9667, but validity 0.9 is good: capped */
    sl_quality_compute(&q, &sc);
    CHECK(near(sc.score, 2.9 / 3.0));
    CHECK_STR(sc.grade, "good");
    CHECK(sc.capped);
    q.invalid_rows = 3; /* (1 + 0.7 + 1) / 3 = 0.9, validity 0.7 fair */
    sl_quality_compute(&q, &sc);
    CHECK_STR(sc.grade, "fair");
    q.invalid_rows = 0;
    q.fields[0].missing = 4; /* (0.6 + 1 + 1) / 3 = 0.8667: good, not capped */
    sl_quality_compute(&q, &sc);
    CHECK_STR(sc.grade, "good");
    CHECK(!sc.capped);
    sl_quality_free(&q);
    sl_schema_free(s);
}

/* The schema step over a small CSV batch, then quality. */
TEST(quality_batch_per_field)
{
    struct sl_schema *s = sl_schema_new();
    struct sl_labels l;
    struct sl_mapping m;
    struct sl_batch b;
    struct sl_error err = {0};
    struct sl_quality q;
    struct sl_quality_score sc;
    struct sl_buf out = SL_BUF_INIT;
    static const char *const rows[][3] = {
        {"1", "30", "a"}, {"2", "x", "b"}, {"3", "", "c"}, {"", "40", "d"}, {"5", "50", "e"},
    };
    const char *pk[] = {"id"};

    sl_schema_add(s, "id", NULL, SL_TYPE_INTEGER);
    sl_schema_add(s, "age", NULL, SL_TYPE_INTEGER);
    sl_schema_add(s, "name", NULL, SL_TYPE_STRING);
    CHECK_INT(sl_schema_set_pk(s, pk, 1, &err), 0);
    sl_labels_init(&l);
    sl_labels_push(&l, "id", 2);
    sl_labels_push(&l, "age", 3);
    sl_labels_push(&l, "name", 4);
    sl_mapping_init(&m);
    sl_mapping_update(&m, s, &l);
    sl_batch_init(&b);
    for (int r = 0; r < 5; r++) {
        struct sl_row *row = sl_batch_add_row(&b);
        row->cells = sl_arena_zalloc(&b.arena, 3 * sizeof *row->cells);
        row->ncells = 3;
        row->num = r + 1;
        for (int k = 0; k < 3; k++) {
            row->cells[k].p = rows[r][k];
            row->cells[k].len = (uint32_t)strlen(rows[r][k]);
            row->cells[k].col = (uint32_t)k;
        }
        if (r == 4) row->status = SL_ROW_INVALID; /* the reader could not read it */
    }
    sl_cast_batch(s, &m, &l, &b);

    sl_quality_init(&q, s);
    CHECK_INT(q.keyed, 1);
    sl_quality_batch(&q, s, &b);
    CHECK_INT(q.rows, 5);
    CHECK_INT(q.invalid_rows, 3); /* age "x", null key, unreadable */
    CHECK_INT(q.warning_rows, 0);
    CHECK_INT(q.fields[0].missing, 2);
    CHECK_INT(q.fields[1].missing, 2);
    CHECK_INT(q.fields[2].missing, 1);
    CHECK_INT(q.fields[0].invalid, 0); /* a null key is missing, not invalid */
    CHECK_INT(q.fields[1].invalid, 1);
    CHECK_INT(q.fields[2].invalid, 0);

    sl_quality_compute(&q, &sc);
    CHECK(near(sc.completeness, 10.0 / 15.0));
    CHECK(near(sc.validity, 0.4));
    CHECK(near(sc.uniqueness, 1.0));

    q.repeats = 1;
    sl_quality_json(&q, s, &out);
    struct sl_json_tok tok;
    struct sl_json_err je;
    CHECK_INT(sl_json_scan(out.p, out.len, 1, &tok, &je), (long)out.len);
    CHECK_INT(tok.type, SL_JSON_OBJECT);
    /* figures are cut, not rounded, to 4 decimals: 2/3 prints 0.6666 */
    CHECK(strstr(out.p, "\"age\":{\"completeness\":0.6,\"validity\":0.6666}") != NULL);
    CHECK(strstr(out.p, "\"id\":{\"completeness\":0.6,\"validity\":1}") != NULL);
    CHECK(strstr(out.p, "\"name\":{\"completeness\":0.8,\"validity\":1}") != NULL);
    CHECK(strstr(out.p, "\"uniqueness\":0.8") != NULL);
    CHECK(strstr(out.p, "\"validity\":0.4,") != NULL);
    CHECK(strstr(out.p, "\"anomalies\":[]") != NULL);
    CHECK(strstr(out.p, "\"grade\":\"") != NULL);
    CHECK(strstr(out.p, "\"consistency\":null,") != NULL);
    const char *rec = strstr(out.p, "\"recommendations\":[");
    CHECK(rec != NULL);
    if (rec) {
        CHECK(strstr(rec, "3 of 5 rows") != NULL);
        CHECK(strstr(rec, "age: 1 of 3 values (33%) are not of type integer") != NULL);
        CHECK(strstr(rec, "id: 1 row (20%) repeats a primary key") != NULL);
        CHECK(strstr(rec, "id: 40.0% of the values are missing") != NULL);
    }
    if (unit_failures) fprintf(stderr, "  %s\n", out.p);

    /* a second batch adds up */
    sl_quality_batch(&q, s, &b);
    CHECK_INT(q.rows, 10);
    CHECK_INT(q.fields[1].invalid, 2);

    sl_buf_free(&out);
    sl_quality_free(&q);
    sl_batch_free(&b);
    sl_mapping_free(&m);
    sl_labels_free(&l);
    sl_schema_free(s);
}

TEST(quality_warning_rows_are_valid)
{
    struct sl_schema *s = sl_schema_new();
    struct sl_quality q = q_of(s, 1, 0);
    struct sl_batch b;
    struct sl_quality_score sc;

    sl_batch_init(&b);
    for (int i = 0; i < 4; i++) {
        struct sl_row *r = sl_batch_add_row(&b);
        r->values = sl_arena_zalloc(&b.arena, sizeof *r->values);
        r->values[0].type = SL_V_INT;
        if (i == 0) sl_row_issue(&b, r, SL_ROW_WARNING, "duplicate-key", NULL, NULL, 0, "w");
    }
    sl_quality_batch(&q, s, &b);
    CHECK_INT(q.warning_rows, 1);
    CHECK_INT(q.invalid_rows, 0);
    sl_quality_compute(&q, &sc);
    CHECK(near(sc.validity, 1.0));
    CHECK(near(sc.completeness, 1.0));
    CHECK_STR(sc.grade, "excellent");
    sl_batch_free(&b);
    sl_quality_free(&q);
    sl_schema_free(s);
}

TEST(quality_duplicate_key_errors_count_once)
{
    /* {"age":"x","age":"y"}: one cell of age (the last), so at most one invalid cell */
    struct sl_schema *s = sl_schema_new();
    struct sl_labels l;
    struct sl_mapping m;
    struct sl_batch b;
    struct sl_quality q;
    struct sl_buf out = SL_BUF_INIT;

    sl_schema_add(s, "age", NULL, SL_TYPE_INTEGER);
    sl_labels_init(&l);
    sl_labels_push(&l, "age", 3);
    sl_mapping_init(&m);
    sl_mapping_update(&m, s, &l);
    sl_batch_init(&b);
    struct sl_row *row = sl_batch_add_row(&b);
    row->cells = sl_arena_zalloc(&b.arena, 2 * sizeof *row->cells);
    row->ncells = 2;
    row->cells[0].p = "x";
    row->cells[0].len = 1;
    row->cells[1].p = "y";
    row->cells[1].len = 1;
    sl_cast_batch(s, &m, &l, &b);
    sl_quality_init(&q, s);
    sl_quality_batch(&q, s, &b);
    CHECK_INT(q.fields[0].invalid, 1);
    sl_quality_json(&q, s, &out);
    CHECK(strstr(out.p, "\"age\":{\"completeness\":1,\"validity\":0}") != NULL);
    if (unit_failures) fprintf(stderr, "  %s\n", out.p);
    sl_buf_free(&out);
    sl_quality_free(&q);
    sl_batch_free(&b);
    sl_mapping_free(&m);
    sl_labels_free(&l);
    sl_schema_free(s);
}

TEST(quality_printed_score_matches_grade)
{
    /* validity 0.6999 → score 0.94998: grade good, so the JSON must not print 0.95 */
    struct sl_schema *s = sl_schema_new();
    struct sl_quality q = q_of(s, 1, 0);
    struct sl_buf out = SL_BUF_INIT;

    q.rows = 100000; /* (1 + 0.89999) / 2 = 0.949995 */
    q.invalid_rows = 10001;
    sl_quality_json(&q, s, &out);
    CHECK(strstr(out.p, "\"grade\":\"good\"") != NULL);
    CHECK(strstr(out.p, "\"score\":0.95,") == NULL);
    if (unit_failures) fprintf(stderr, "  %s\n", out.p);
    sl_buf_free(&out);
    sl_quality_free(&q);
    sl_schema_free(s);
}
