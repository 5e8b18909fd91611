/* Unit tests: transforms — units, HTML, time zones and timestamps, quantiles, steps. */
#include <math.h>
#include <stdlib.h>

#include "sluice/sluice.h"
#include "unit.h"

/* ---- units ------------------------------------------------------------------------------ */

TEST(unit_exact_factors)
{
    /* the definitions, exactly (NIST SP 811) */
    CHECK(sl_unit_find("lb", 2)->factor == 0.45359237);
    CHECK(sl_unit_find("oz", 2)->factor == 0.028349523125);
    CHECK(sl_unit_find("st", 2)->factor == 6.35029318);
    CHECK(sl_unit_find("in", 2)->factor == 0.0254);
    CHECK(sl_unit_find("ft", 2)->factor == 0.3048);
    CHECK(sl_unit_find("mi", 2)->factor == 1609.344);
    CHECK(sl_unit_find("nmi", 3)->factor == 1852);
    CHECK(sl_unit_find("mph", 3)->factor == 0.44704);
    CHECK(sl_unit_find("cal", 3)->factor == 4.184);
    CHECK(sl_unit_find("kWh", 3)->factor == 3.6e6);
    CHECK(sl_unit_find("BTU", 3)->factor == 1055.05585262);
    CHECK(sl_unit_find("atm", 3)->factor == 101325);
    CHECK(fabs(sl_unit_find("psi", 3)->factor - 6894.757293168361) < 1e-9);
    CHECK(sl_unit_find("gal", 3)->factor == 3.785411784e-3);
    CHECK(sl_unit_find("h", 1)->factor == 3600);
    CHECK(sl_unit_find("degF", 4)->offset == -32); /* temperatures: base °C */
    CHECK(sl_unit_find("degC", 4)->offset == 0);
}

TEST(unit_aliases)
{
    CHECK_STR(sl_unit_find("lbs", 3)->name, "lb");
    CHECK_STR(sl_unit_find("Pounds", 6)->name, "lb");
    CHECK_STR(sl_unit_find("°F", strlen("°F"))->name, "degF");
    CHECK_STR(sl_unit_find("F", 1)->name, "degF");
    CHECK_STR(sl_unit_find(" degf ", 6)->name, "degF");
    CHECK_STR(sl_unit_find("beats_per_minute", 16)->name, "bpm");
    CHECK_STR(sl_unit_find("Cal", 3)->name, "kcal"); /* food calories */
    CHECK_STR(sl_unit_find("cal", 3)->name, "cal");
    CHECK_STR(sl_unit_find("km/h", 4)->name, "km/h");
    CHECK(sl_unit_find("furlong", 7) == NULL);
    CHECK(sl_unit_find("", 0) == NULL);
}

static double conv(const char *from, const char *to, double v)
{
    double out = NAN;
    if (sl_unit_convert(v, sl_unit_find(from, strlen(from)), sl_unit_find(to, strlen(to)), &out))
        return NAN;
    return out;
}

TEST(unit_conversions)
{
    CHECK(fabs(conv("lb", "kg", 150) - 68.0388555) < 1e-9);
    CHECK(fabs(conv("degF", "degC", 98.6) - 37) < 1e-9);
    CHECK(fabs(conv("degF", "degC", -40) - -40) < 1e-9);
    CHECK(fabs(conv("degC", "degF", 100) - 212) < 1e-9);
    CHECK(fabs(conv("K", "degC", 0) - -273.15) < 1e-9);
    CHECK(fabs(conv("Hz", "bpm", 1.2) - 72) < 1e-9);
    CHECK(fabs(conv("mi", "km", 1) - 1.609344) < 1e-12);
    CHECK(fabs(conv("km/h", "m/s", 36) - 10) < 1e-12);
    CHECK(fabs(conv("kcal", "kJ", 1) - 4.184) < 1e-12);
    CHECK(fabs(conv("psi", "kPa", 1) - 6.894757293168361) < 1e-12);
    CHECK(fabs(conv("gal", "L", 1) - 3.785411784) < 1e-12);
    CHECK(fabs(conv("h", "min", 1.5) - 90) < 1e-12);
    CHECK(isnan(conv("kg", "m", 1))); /* different dimensions */
}

/* ---- HTML ------------------------------------------------------------------------------ */

static const char *strip(struct sl_buf *b, const char *html)
{
    sl_html_strip(html, strlen(html), b);
    return sl_buf_str(b);
}

TEST(html_strip)
{
    struct sl_buf b = SL_BUF_INIT;
    CHECK_STR(strip(&b, "<p>Feeling <b>good</b> &amp; rested</p>"), "Feeling good & rested");
    CHECK_STR(strip(&b, "a<br>b<br/>c"), "a b c");
    CHECK_STR(strip(&b, "x<script>alert('<b>')</script>y"), "xy");
    CHECK_STR(strip(&b, "x<STYLE type=\"text/css\">p{}</style>y"), "xy");
    CHECK_STR(strip(&b, "<!-- note -->text"), "text");
    CHECK_STR(strip(&b, "<a href=\"x>y\">link</a>"), "link");
    CHECK_STR(strip(&b, "5 &lt; 6 &gt; 4"), "5 < 6 > 4");
    CHECK_STR(strip(&b, "a < b"), "a < b");
    CHECK_STR(strip(&b, "&#233;t&#xE9; &euro;5 &copy;"), "été €5 ©");
    CHECK_STR(strip(&b, "&#x1F600;"), "\xF0\x9F\x98\x80");
    CHECK_STR(strip(&b, "&#0; &#xD800;"), "\xEF\xBF\xBD \xEF\xBF\xBD");
    CHECK_STR(strip(&b, "&unknown; &amp"), "&unknown; &amp");
    CHECK_STR(strip(&b, "5&nbsp;km"), "5 km");
    CHECK_STR(strip(&b, "<div>one</div><div>two</div>"), "one two");
    CHECK_STR(strip(&b, "<b>unclosed"), "unclosed");
    CHECK_STR(strip(&b, "<"), "<");
    sl_buf_free(&b);
}

/* ---- time zones and timestamps --------------------------------------------------------- */

static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    struct sl_ts ts;
    char buf[40];
    snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, s);
    if (sl_ts_parse("iso8601", buf, strlen(buf), &ts)) return -1;
    return ts.t;
}

TEST(tz_berlin_offsets_and_dst)
{
    struct sl_tz *z;
    struct sl_error err;
    int64_t e, l;
    if (sl_tz_open("Europe/Berlin", &z, &err)) {
        fprintf(stderr, "  %s\n", err.msg);
        CHECK(0);
        return;
    }
    CHECK_INT(sl_tz_offset(z, utc(2026, 1, 15, 12, 0, 0)), 3600);
    CHECK_INT(sl_tz_offset(z, utc(2026, 7, 15, 12, 0, 0)), 7200);
    /* spring forward 2026-03-29 01:00Z: 02:00..03:00 local does not exist */
    CHECK_INT(sl_tz_offset(z, utc(2026, 3, 29, 0, 59, 59)), 3600);
    CHECK_INT(sl_tz_offset(z, utc(2026, 3, 29, 1, 0, 0)), 7200);
    CHECK_INT(sl_tz_local_to_utc(z, utc(2026, 3, 29, 1, 59, 0), &e, &l), 0);
    CHECK_INT(e, utc(2026, 3, 29, 0, 59, 0));
    CHECK_INT(sl_tz_local_to_utc(z, utc(2026, 3, 29, 2, 30, 0), &e, &l), 2);
    CHECK_INT(e, utc(2026, 3, 29, 1, 30, 0)); /* = 03:30 CEST */
    CHECK_INT(sl_tz_local_to_utc(z, utc(2026, 3, 29, 3, 0, 0), &e, &l), 0);
    CHECK_INT(e, utc(2026, 3, 29, 1, 0, 0));
    /* fall back 2026-10-25 01:00Z: 02:00..03:00 local happens twice */
    CHECK_INT(sl_tz_local_to_utc(z, utc(2026, 10, 25, 2, 30, 0), &e, &l), 1);
    CHECK_INT(e, utc(2026, 10, 25, 0, 30, 0)); /* CEST */
    CHECK_INT(l, utc(2026, 10, 25, 1, 30, 0)); /* CET */
    CHECK_INT(sl_tz_local_to_utc(z, utc(2026, 10, 25, 3, 0, 0), &e, &l), 0);
    CHECK_INT(e, utc(2026, 10, 25, 2, 0, 0));
    CHECK_INT(sl_tz_local_to_utc(z, utc(2026, 10, 25, 1, 59, 59), &e, &l), 0);
    CHECK_INT(e, utc(2026, 10, 24, 23, 59, 59));
    /* past the file's transitions (2037): the POSIX footer rule, last Sunday of March */
    CHECK_INT(sl_tz_offset(z, utc(2040, 3, 25, 0, 59, 59)), 3600);
    CHECK_INT(sl_tz_offset(z, utc(2040, 3, 25, 1, 0, 0)), 7200);
    CHECK_INT(sl_tz_offset(z, utc(2040, 10, 28, 0, 59, 59)), 7200);
    CHECK_INT(sl_tz_offset(z, utc(2040, 10, 28, 1, 0, 0)), 3600);
    /* before standard time: local mean time of Berlin (+0:53:28) */
    CHECK_INT(sl_tz_offset(z, utc(1850, 1, 1, 0, 0, 0)), 3208);
    sl_tz_free(z);
}

TEST(tz_other_zones)
{
    struct sl_tz *z;
    struct sl_error err;
    int64_t e, l;
    /* southern hemisphere: DST across the new year */
    if (sl_tz_open("Australia/Sydney", &z, &err) == 0) {
        CHECK_INT(sl_tz_offset(z, utc(2026, 1, 10, 0, 0, 0)), 11 * 3600);
        CHECK_INT(sl_tz_offset(z, utc(2026, 7, 10, 0, 0, 0)), 10 * 3600);
        CHECK_INT(sl_tz_offset(z, utc(2045, 1, 10, 0, 0, 0)), 11 * 3600);
        CHECK_INT(sl_tz_offset(z, utc(2045, 7, 10, 0, 0, 0)), 10 * 3600);
        sl_tz_free(z);
    } else {
        CHECK(0);
    }
    if (sl_tz_open("America/New_York", &z, &err) == 0) {
        /* 2026-03-08 02:30 does not exist; 2026-11-01 01:30 happens twice */
        CHECK_INT(sl_tz_local_to_utc(z, utc(2026, 3, 8, 2, 30, 0), &e, &l), 2);
        CHECK_INT(e, utc(2026, 3, 8, 7, 30, 0));
        CHECK_INT(sl_tz_local_to_utc(z, utc(2026, 11, 1, 1, 30, 0), &e, &l), 1);
        CHECK_INT(e, utc(2026, 11, 1, 5, 30, 0));
        CHECK_INT(l, utc(2026, 11, 1, 6, 30, 0));
        sl_tz_free(z);
    } else {
        CHECK(0);
    }
    CHECK(sl_tz_open("UTC", &z, &err) == 0);
    CHECK_INT(sl_tz_offset(z, utc(2026, 7, 1, 0, 0, 0)), 0);
    sl_tz_free(z);
    CHECK(sl_tz_open("Mars/Olympus", &z, &err) == SL_ECONFIG);
    CHECK(strstr(err.msg, "unknown time zone 'Mars/Olympus'") != NULL);
    CHECK(sl_tz_open("../../etc/passwd", &z, &err) == SL_ECONFIG);
}

static const char *norm(const char *fmt, const char *text, char *buf)
{
    struct sl_ts ts;
    if (sl_ts_parse(fmt, text, strlen(text), &ts)) return "no match";
    if (sl_ts_format(ts.t - ts.offset, ts.frac, buf, 48)) return "out of range";
    return buf;
}

TEST(timestamp_formats)
{
    char b[48];
    CHECK_STR(norm("%d.%m.%Y %H:%M", "23.11.2026 08:05", b), "2026-11-23T08:05:00Z");
    CHECK_STR(norm("%m/%d/%Y %I:%M %p", "11/23/2026 1:05 PM", b), "2026-11-23T13:05:00Z");
    CHECK_STR(norm("%m/%d/%Y %I:%M %p", "11/23/2026 12:05 AM", b), "2026-11-23T00:05:00Z");
    CHECK_STR(norm("%d %b %Y %T", "3 Nov 2026 07:08:09", b), "2026-11-03T07:08:09Z");
    CHECK_STR(norm("%d %B %Y", "3 November 2026", b), "2026-11-03T00:00:00Z");
    CHECK_STR(norm("%Y-%m-%dT%H:%M:%S.%f%z", "2026-11-23T08:05:00.250+02:00", b),
              "2026-11-23T06:05:00.250Z");
    CHECK_STR(norm("iso8601", "2026-11-23T08:05:00Z", b), "2026-11-23T08:05:00Z");
    CHECK_STR(norm("iso8601", "2026-11-23 08:05", b), "2026-11-23T08:05:00Z");
    CHECK_STR(norm("iso8601", "2026-11-23T08:05:00.5-0130", b), "2026-11-23T09:35:00.5Z");
    CHECK_STR(norm("epoch", "1700000000", b), "2023-11-14T22:13:20Z");
    CHECK_STR(norm("epoch", "1700000000.25", b), "2023-11-14T22:13:20.25Z");
    CHECK_STR(norm("epoch_ms", "1700000000123", b), "2023-11-14T22:13:20.123Z");
    CHECK_STR(norm("epoch_ms", "-1", b), "1969-12-31T23:59:59.999Z");
    CHECK_STR(norm("%y%m%d", "991231", b), "1999-12-31T00:00:00Z");
    CHECK_STR(norm("%y%m%d", "681231", b), "2068-12-31T00:00:00Z");
    CHECK_STR(norm("%F", "2024-02-29", b), "2024-02-29T00:00:00Z");
    CHECK_STR(norm("%F", "2023-02-29", b), "no match");
    CHECK_STR(norm("%d.%m.%Y", "31.04.2026", b), "no match");
    CHECK_STR(norm("%H:%M", "24:00", b), "no match");
    CHECK_STR(norm("%d.%m.%Y", "23.11.2026 x", b), "no match");
    CHECK_STR(norm("epoch", "12abc", b), "no match");
    CHECK_STR(norm("%Y%%", "2026%", b), "2026-01-01T00:00:00Z");
}

/* ---- quantiles --------------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

TEST(quantiles_exact_with_spill)
{
    struct sl_error err;
    enum { N = 10007 };
    double *v = malloc(N * sizeof *v), got, want;
    /* 100 values in memory: the rest spills to the temporary file */
    struct sl_quantiles *q = sl_quantiles_new(100);
    uint64_t s = 42;
    for (int i = 0; i < N; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        v[i] = (double)(int64_t)(s >> 40) / 1000.0 - 5000.0; /* negatives too */
        if (i % 97 == 0) v[i] = v[0];                        /* repeats */
        CHECK(sl_quantiles_add(q, v[i], &err) == 0);
    }
    CHECK_INT(sl_quantiles_n(q), N);
    qsort(v, N, sizeof *v, cmp_double);
    double ps[] = {0, 0.25, 0.5, 0.75, 0.9, 1};
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        double h = (N - 1) * ps[i];
        size_t k = (size_t)floor(h);
        want = k + 1 < N ? v[k] + (h - k) * (v[k + 1] - v[k]) : v[k];
        CHECK(sl_quantiles_get(q, ps[i], &got, &err) == 0);
        CHECK(got == want);
    }
    sl_quantiles_free(q);
    free(v);

    /* numpy: np.percentile([1,2,3,4], [25, 75]) == [1.75, 3.25] */
    q = sl_quantiles_new(1 << 10);
    for (int i = 1; i <= 4; i++) sl_quantiles_add(q, i, &err);
    CHECK(sl_quantiles_get(q, 0.25, &got, &err) == 0 && got == 1.75);
    CHECK(sl_quantiles_get(q, 0.75, &got, &err) == 0 && got == 3.25);
    sl_quantiles_free(q);
    q = sl_quantiles_new(4);
    CHECK(sl_quantiles_get(q, 0.5, &got, &err) < 0); /* no values */
    sl_quantiles_free(q);
}

/* ---- steps on a batch -------------------------------------------------------------------- */

static struct sl_transforms *parse_tf(const char *yaml, struct sl_error *err)
{
    struct sl_doc d;
    struct sl_transforms *t = NULL;
    if (sl_doc_parse_yaml(&d, "t.yaml", yaml, strlen(yaml), err) == 0)
        sl_transforms_parse(&d, d.root, "transforms", 0, &t, err);
    sl_doc_free(&d);
    return t;
}

static void add_row(struct sl_batch *b, const char *const *cells, size_t n)
{
    struct sl_row *r = sl_batch_add_row(b);
    r->num = r->line = (int64_t)b->nrows;
    r->cells = sl_arena_zalloc(&b->arena, n * sizeof *r->cells);
    r->ncells = (uint32_t)n;
    for (size_t i = 0; i < n; i++) {
        r->cells[i].p = cells[i];
        r->cells[i].len = (uint32_t)strlen(cells[i]);
        r->cells[i].col = (uint32_t)i;
    }
}

static const char *cell_text(const struct sl_row *r, const struct sl_labels *l, const char *name,
                             char *buf)
{
    long col = sl_labels_find(l, name, strlen(name));
    for (uint32_t k = 0; k < r->ncells; k++)
        if ((long)r->cells[k].col == col) {
            if (r->cells[k].kind == SL_CELL_NULL) return "(null)";
            snprintf(buf, 200, "%.*s", (int)r->cells[k].len, r->cells[k].p);
            return buf;
        }
    return "(absent)";
}

/* The text a unit step writes for value v (text) in unit from, converted to unit to. */
static const char *unit_text(const char *v, const char *from, const char *to, char *buf)
{
    char yaml[200];
    struct sl_error err = {0};
    snprintf(yaml, sizeof yaml, "- unit: v\n  unit_field: u\n  to: %s\n", to);
    struct sl_transforms *t = parse_tf(yaml, &err);
    struct sl_tf_run *run = NULL;
    struct sl_labels in;
    struct sl_batch b;
    const char *cells[] = {v, from};

    snprintf(buf, 200, "(error)");
    if (!t || sl_tf_run_new(t, 0, "x.csv", &run, &err)) {
        sl_transforms_free(t);
        return buf;
    }
    sl_labels_init(&in);
    sl_labels_push(&in, "v", 1);
    sl_labels_push(&in, "u", 1);
    sl_batch_init(&b);
    add_row(&b, cells, 2);
    if (!sl_tf_run_batch(run, &in, &b, &err))
        cell_text(&b.rows[0], sl_tf_run_labels(run), "v", buf);
    sl_batch_free(&b);
    sl_labels_free(&in);
    sl_tf_run_free(run);
    sl_transforms_free(t);
    return buf;
}

TEST(unit_conversion_text)
{
    char buf[200], back[200];
    /* direct formulas: no float noise */
    CHECK_STR(unit_text("32", "degF", "degC", buf), "0.00");
    CHECK_STR(unit_text("212", "degF", "degC", buf), "100.00");
    CHECK_STR(unit_text("98.6", "degF", "degC", buf), "37.000");
    CHECK_STR(unit_text("-40", "degF", "degC", buf), "-40.00");
    CHECK_STR(unit_text("0", "degC", "degF", buf), "32.0");
    CHECK_STR(unit_text("37", "degC", "degF", buf), "98.6");
    CHECK_STR(unit_text("0", "K", "degC", buf), "-273.2");
    CHECK_STR(unit_text("273.15", "K", "degC", buf), "0.000");
    CHECK_STR(unit_text("32", "degF", "K", buf), "273.15");
    /* precision from the input: one unit of its last digit in the target unit, one digit more */
    CHECK_STR(unit_text("150", "lb", "kg", buf), "68.04");
    CHECK_STR(unit_text("150.0", "lb", "kg", buf), "68.039");
    CHECK_STR(unit_text("1", "mi", "km", buf), "1.6");
    CHECK_STR(unit_text("1.000000", "mi", "km", buf), "1.6093440");
    CHECK_STR(unit_text("1500", "mi", "m", buf), "2414000");
    CHECK_STR(unit_text("1.5e3", "m", "km", buf), "1.50");
    CHECK_STR(unit_text("36", "km/h", "m/s", buf), "10.00");
    CHECK_STR(unit_text("1", "psi", "kPa", buf), "6.9");
    CHECK_STR(unit_text("0.001", "mg", "t", buf), "0.0000000000010");
    CHECK_STR(unit_text("-0.0001", "degC", "degF", buf), "31.99982");
    /* round trips: back to the input's unit and last digit, the input again */
    static const char *const trips[][3] = {
        {"150", "lb", "kg"},      {"98.6", "degF", "degC"}, {"32", "degF", "degC"},
        {"-459.67", "degF", "K"}, {"1", "mi", "km"},        {"72.5", "bpm", "Hz"},
        {"7", "oz", "g"},         {"29.92", "inHg", "hPa"}, {"0.3", "gal", "L"},
        {"12345.678", "ft", "m"}, {"1", "BTU", "kWh"},      {"101325", "Pa", "atm"},
    };
    for (size_t i = 0; i < sizeof trips / sizeof trips[0]; i++) {
        unit_text(unit_text(trips[i][0], trips[i][1], trips[i][2], buf), trips[i][2], trips[i][1],
                  back);
        double in = strtod(trips[i][0], NULL), got = strtod(back, NULL);
        const char *dot = strchr(trips[i][0], '.');
        double res = dot ? pow(10, -(double)strlen(dot + 1)) : 1;
        if (!(fabs(got - in) < res / 2))
            fprintf(stderr, "  %s %s -> %s %s -> %s %s\n", trips[i][0], trips[i][1], buf,
                    trips[i][2], back, trips[i][1]);
        CHECK(fabs(got - in) < res / 2);
    }
}

TEST(transform_steps_on_a_batch)
{
    struct sl_error err = {0};
    struct sl_transforms *t = parse_tf("- trim: [name, mail]\n"
                                       "- collapse_whitespace: name\n"
                                       "- upper: name\n"
                                       "- normalize_email: mail\n"
                                       "- rename: mail\n"
                                       "  to: email\n"
                                       "- default: email\n"
                                       "  value: none@example.com\n"
                                       "- unit: w\n"
                                       "  unit_field: wu\n"
                                       "  to: kg\n"
                                       "- outliers: w\n"
                                       "  method: iqr\n"
                                       "  action: clip\n"
                                       "- metadata: _loaded_at\n",
                                       &err);
    struct sl_tf_run *run = NULL;
    struct sl_labels in;
    struct sl_batch b;
    char buf[200];

    CHECK(t != NULL);
    if (!t) {
        fprintf(stderr, "  %s\n", err.msg);
        return;
    }
    CHECK(sl_tf_run_new(t, 1795435200, "x.csv", &run, &err) == 0);
    CHECK(sl_tf_run_needs_stats(run));
    sl_labels_init(&in);
    const char *labels[] = {"name", "mail", "w", "wu"};
    for (int i = 0; i < 4; i++) sl_labels_push(&in, labels[i], strlen(labels[i]));
    sl_batch_init(&b);
    const char *r1[] = {"  ann   lee ", " Ann@Example.COM ", "150", "lbs"};
    const char *r2[] = {"Bob", "", "70", "kg"};
    const char *r3[] = {"Cy", "x@y.z", "10", "furlongs"};
    const char *r4[] = {"Di", "d@e.f", "1000", "kg"};
    const char *r5[] = {"Ed", "e@e.f", "72", "kg"};
    /* first pass: statistics only */
    sl_tf_run_begin_stats(run);
    add_row(&b, r1, 4), add_row(&b, r2, 4), add_row(&b, r3, 4), add_row(&b, r4, 4);
    add_row(&b, r5, 4);
    CHECK(sl_tf_run_batch(run, &in, &b, &err) == 0);
    CHECK(b.rows[0].issues == NULL); /* no issues in statistics mode */
    CHECK(sl_tf_run_end_stats(run, &err) == 0);
    sl_batch_reset(&b);
    /* second pass: values 68.0388555, 70, 72, 1000 → q1 69.52..., q3 304 */
    add_row(&b, r1, 4), add_row(&b, r2, 4), add_row(&b, r3, 4), add_row(&b, r4, 4);
    add_row(&b, r5, 4);
    CHECK(sl_tf_run_batch(run, &in, &b, &err) == 0);
    const struct sl_labels *out = sl_tf_run_labels(run);
    CHECK_INT(out->n, 5);
    CHECK_STR(out->v[1], "email");
    CHECK_STR(out->v[4], "_loaded_at");
    CHECK_STR(cell_text(&b.rows[0], out, "name", buf), "ANN LEE");
    CHECK_STR(cell_text(&b.rows[0], out, "email", buf), "Ann@example.com");
    CHECK_STR(cell_text(&b.rows[0], out, "w", buf), "68.04"); /* 150 lb: 1 lb → 0.01 kg */
    CHECK_STR(cell_text(&b.rows[0], out, "wu", buf), "kg");
    CHECK_STR(cell_text(&b.rows[0], out, "_loaded_at", buf), "2026-11-23T12:00:00.000Z");
    CHECK_STR(cell_text(&b.rows[1], out, "email", buf), "none@example.com");
    CHECK_STR(cell_text(&b.rows[2], out, "w", buf), "(null)");
    CHECK(b.rows[2].status == SL_ROW_INVALID);
    CHECK_STR(b.rows[2].issues->code, "unit-error");
    CHECK_STR(cell_text(&b.rows[3], out, "w", buf), "655"); /* q3 304 + 1.5 × IQR, inward */
    CHECK(b.rows[3].status == SL_ROW_WARNING);
    CHECK_STR(b.rows[3].issues->code, "outlier");
    CHECK(b.rows[4].status == SL_ROW_VALID);

    const char *name;
    int64_t n;
    size_t nc = sl_tf_run_counts(run, SIZE_MAX, &name, &n);
    struct sl_buf j = SL_BUF_INIT;
    sl_tf_run_json(run, 1, &j);
    CHECK(strstr(j.p,
                 "\"changed\":{\"trim(name)\":1,\"trim(mail)\":1,\"collapse_whitespace(name)\""
                 ":1,\"upper(name)\":5,\"normalize_email(mail)\":1,\"default(email)\":1,"
                 "\"unit(w)\":2,\"unit(wu)\":1,\"outliers(w)\":1,\"metadata(_loaded_at)\":5}") !=
          NULL);
    CHECK_INT(nc, 10);
    /* the record reads back and applies the same way, without statistics */
    struct sl_transforms *t2 = NULL;
    struct sl_tf_run *run2 = NULL;
    if (sl_transforms_from_json(j.p, &t2, &err)) fprintf(stderr, "  %s\n  %s\n", err.msg, j.p);
    CHECK(t2 && sl_tf_run_new(t2, 0, "other", &run2, &err) == 0);
    if (run2) {
        CHECK(!sl_tf_run_needs_stats(run2));
        sl_batch_reset(&b);
        add_row(&b, r4, 4);
        CHECK(sl_tf_run_batch(run2, &in, &b, &err) == 0);
        char b2[200];
        CHECK_STR(cell_text(&b.rows[0], sl_tf_run_labels(run2), "w", b2), buf);
        CHECK_STR(cell_text(&b.rows[0], sl_tf_run_labels(run2), "_loaded_at", b2),
                  "2026-11-23T12:00:00.000Z");
        sl_tf_run_free(run2);
    }
    sl_transforms_free(t2);
    sl_buf_free(&j);
    sl_batch_free(&b);
    sl_labels_free(&in);
    sl_tf_run_free(run);
    sl_transforms_free(t);
}

TEST(transform_config_errors)
{
    struct sl_error err = {0};
    struct sl_transforms *t;
    t = parse_tf("- trm: name\n", &err);
    CHECK(!t && strstr(err.msg, "t.yaml:1: transforms[0].trm: unknown key (did you mean 'trim'?)"));
    t = parse_tf("- trim: name\n  to: x\n", &err);
    CHECK(!t && strstr(err.msg, "t.yaml:2: transforms[0].to: unknown key"));
    t = parse_tf("- unit: w\n  to: parsecs\n", &err);
    CHECK(!t && strstr(err.msg, "transforms[0].to: unknown unit 'parsecs'"));
    t = parse_tf("- unit: w\n  to: kg\n", &err);
    CHECK(!t && strstr(err.msg, "needs unit_field"));
    t = parse_tf("- unit: w\n  from: m\n  to: kg\n", &err);
    CHECK(!t && strstr(err.msg, "'m' is not a unit of mass"));
    t = parse_tf("- timestamp: t\n  timezone: Europe/Nowhere\n", &err);
    CHECK(!t && strstr(err.msg, "transforms[0].timezone: unknown time zone 'Europe/Nowhere'"));
    t = parse_tf("- timestamp: t\n  formats: ['%d.%m.%Q']\n", &err);
    CHECK(!t && strstr(err.msg, "unknown directive %Q"));
    t = parse_tf("- outliers: x\n  method: zscore\n  action: clip\n  min: 3\n", &err);
    CHECK(!t && strstr(err.msg, "transforms[0].min: only with method: range"));
    t = parse_tf("- outliers: x\n  method: median\n  action: clip\n", &err);
    CHECK(!t && strstr(err.msg, "transforms[0].method: expected one of: range, zscore, iqr"));
    t = parse_tf("- metadata: _loaded\n", &err);
    CHECK(!t && strstr(err.msg, "unknown metadata column '_loaded'"));
    t = parse_tf("- rename: a\n  to: _load\n", &err);
    CHECK(!t && strstr(err.msg, "is a column sluice keeps itself"));
    t = parse_tf("- trim: a\n  lower: b\n", &err);
    CHECK(!t && strstr(err.msg, "two transforms in one item"));
    t = parse_tf("- cast: a\n  type: integr\n", &err);
    CHECK(!t && strstr(err.msg, "expected a Table Schema type"));
    t = parse_tf("- default: [a, b]\n  value: 1\n", &err);
    CHECK(!t && strstr(err.msg, "takes one field"));
}
