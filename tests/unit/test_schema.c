/* Unit tests: value parsers, type inference, column names, casting, Table Schema files, merge. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "schema/value.h"
#include "sluice/sluice.h"
#include "sluice/store.h"
#include "unit.h"

/* ---- helpers ---------------------------------------------------------------------------- */

static int pint(const char *s, int canonical, int64_t *out)
{
    return sl__parse_int(s, strlen(s), canonical, out);
}

static int pnum(const char *s, int strict, double *out)
{
    return sl_parse_number(s, strlen(s), strict, out);
}

static int pbool(const char *s, int words_only)
{
    int v = -1;
    if (sl__parse_bool(s, strlen(s), words_only, &v)) return -1;
    return v;
}

static int pdate(const char *s)
{
    return sl__parse_date(s, strlen(s));
}

static int ptime(const char *s)
{
    return sl__parse_time(s, strlen(s));
}

static int pdt(const char *s)
{
    return sl__parse_datetime(s, strlen(s));
}

static struct sl_cell cell(int kind, const char *s, uint32_t col)
{
    struct sl_cell c;
    memset(&c, 0, sizeof c);
    c.kind = (uint8_t)kind;
    c.p = s ? s : "";
    c.len = s ? (uint32_t)strlen(s) : 0;
    c.col = col;
    return c;
}

static struct sl_cell str(const char *s, uint32_t col)
{
    return cell(SL_CELL_STRING, s, col);
}

/* Appends a row whose cells are copied into the batch arena. */
static struct sl_row *add_row(struct sl_batch *b, const struct sl_cell *cells, uint32_t n)
{
    struct sl_row *r = sl_batch_add_row(b);
    r->cells = sl_arena_alloc(&b->arena, (n ? n : 1) * sizeof *r->cells);
    memcpy(r->cells, cells, n * sizeof *cells);
    r->ncells = n;
    r->num = (int64_t)b->nrows;
    r->line = (int64_t)b->nrows;
    return r;
}

/* A CSV-like row of string cells, columns 0..n-1; NULL ends the list. */
static struct sl_row *csv_row(struct sl_batch *b, const char *const *v)
{
    struct sl_cell c[16];
    uint32_t n = 0;
    while (v[n] && n < 16) {
        c[n] = str(v[n], n);
        n++;
    }
    return add_row(b, c, n);
}

static void labels_of(struct sl_labels *l, const char *const *v)
{
    sl_labels_init(l);
    for (size_t i = 0; v[i]; i++) sl_labels_push(l, v[i], strlen(v[i]));
}

static const struct sl_issue *find_issue(const struct sl_row *r, const char *code)
{
    for (const struct sl_issue *is = r->issues; is; is = is->next)
        if (!strcmp(is->code, code)) return is;
    return NULL;
}

static int count_issues(const struct sl_row *r)
{
    int n = 0;
    for (const struct sl_issue *is = r->issues; is; is = is->next) n++;
    return n;
}

static char *tmp_dir(void)
{
    char *t = sl_xstrdup("/tmp/sluice-schema-XXXXXX");
    if (!mkdtemp(t)) abort();
    return t;
}

static char *write_file(const char *dir, const char *name, const char *text)
{
    char *path = sl_xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

static void rm_dir(char *dir)
{
    char *cmd = sl_xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "  cannot remove %s\n", dir);
    free(cmd);
    free(dir);
}

/* Do two schemas hold the same fields, types, constraints, key and missing values? */
static int same_schema(const struct sl_schema *a, const struct sl_schema *b)
{
    if (a->nfields != b->nfields || a->npk != b->npk || a->nmissing != b->nmissing) return 0;
    for (size_t i = 0; i < a->nfields; i++) {
        if (strcmp(a->fields[i].name, b->fields[i].name)) return 0;
        if (a->fields[i].type != b->fields[i].type) return 0;
        if (a->fields[i].required != b->fields[i].required) return 0;
    }
    for (size_t i = 0; i < a->npk; i++)
        if (a->pk[i] != b->pk[i]) return 0;
    for (size_t i = 0; i < a->nmissing; i++)
        if (strcmp(a->missing[i], b->missing[i])) return 0;
    return 1;
}

/* ---- value parsers ------------------------------------------------------------------------ */

TEST(value_int_canonical_and_frictionless)
{
    int64_t v = 0;
    CHECK_INT(pint("0", 1, &v), 0);
    CHECK_INT(v, 0);
    CHECK_INT(pint("42", 1, &v), 0);
    CHECK_INT(v, 42);
    CHECK_INT(pint("-17", 1, &v), 0);
    CHECK_INT(v, -17);
    /* canonical (inference): codes with leading zeros, plus signs and -0 are not integers */
    CHECK_INT(pint("00501", 1, &v), -1);
    CHECK_INT(pint("+5", 1, &v), -1);
    CHECK_INT(pint("-0", 1, &v), -1);
    CHECK_INT(pint("-", 1, &v), -1);
    CHECK_INT(pint("", 1, &v), -1);
    CHECK_INT(pint("1 ", 1, &v), -1);
    CHECK_INT(pint(" 1", 1, &v), -1);
    CHECK_INT(pint("1.0", 1, &v), -1);
    CHECK_INT(pint("1e3", 1, &v), -1);
    /* Frictionless (casting) takes them */
    CHECK_INT(pint("00501", 0, &v), 0);
    CHECK_INT(v, 501);
    CHECK_INT(pint("+5", 0, &v), 0);
    CHECK_INT(v, 5);
    CHECK_INT(pint("-0", 0, &v), 0);
    CHECK_INT(v, 0);
    CHECK_INT(pint("+", 0, &v), -1);
    CHECK_INT(pint("+-5", 0, &v), -1);
    CHECK_INT(pint("1,000", 0, &v), -1);
}

TEST(value_int_range)
{
    int64_t v = 0;
    CHECK_INT(pint("9223372036854775807", 1, &v), 0);
    CHECK(v == INT64_MAX);
    CHECK_INT(pint("-9223372036854775808", 1, &v), 0);
    CHECK(v == INT64_MIN);
    CHECK_INT(pint("9223372036854775808", 1, &v), -1);
    CHECK_INT(pint("-9223372036854775809", 1, &v), -1);
    CHECK_INT(pint("18446744073709551615", 0, &v), -1);
    CHECK_INT(pint("18446744073709551616", 0, &v), -1);
    CHECK_INT(pint("99999999999999999999999", 0, &v), -1);
    CHECK_INT(pint("+9223372036854775807", 0, &v), 0);
    CHECK(v == INT64_MAX);
    CHECK_INT(pint("-00009223372036854775808", 0, &v), 0);
    CHECK(v == INT64_MIN);
}

TEST(value_number_strict)
{
    double d = 0;
    CHECK_INT(pnum("0.1", 1, &d), 0);
    CHECK(d == 0.1);
    CHECK_INT(pnum("1.50", 1, &d), 0);
    CHECK(d == 1.5);
    CHECK_INT(pnum("1e3", 1, &d), 0);
    CHECK(d == 1000.0);
    CHECK_INT(pnum("-2.5E-3", 1, &d), 0);
    CHECK(d == -0.0025);
    CHECK_INT(pnum("0", 1, &d), 0);
    CHECK_INT(pnum("0.30000000000000004", 1, &d), 0); /* 0.1 + 0.2: prints back exactly */
    CHECK(d == 0.1 + 0.2);
    CHECK_INT(pnum("123456789012345", 1, &d), 0);
    CHECK_INT(pnum("9007199254740993", 1, &d), -1); /* 2^53 + 1 has no double */
    /* rounded: rejected in strict mode, so inference keeps them as text */
    CHECK_INT(pnum("0.30000000000000001", 1, &d), -1);
    CHECK_INT(pnum("12345678901234567890", 1, &d), -1);
    CHECK_INT(pnum("1e999", 1, &d), -1);
    CHECK_INT(pnum("-1e999", 1, &d), -1);
    /* JSON grammar only */
    CHECK_INT(pnum(".5", 1, &d), -1);
    CHECK_INT(pnum("-.5", 1, &d), -1);
    CHECK_INT(pnum("5.", 1, &d), -1);
    CHECK_INT(pnum("+5", 1, &d), -1);
    CHECK_INT(pnum("01.5", 1, &d), -1);
    CHECK_INT(pnum("1e", 1, &d), -1);
    CHECK_INT(pnum("1e+", 1, &d), -1);
    CHECK_INT(pnum("-", 1, &d), -1);
    CHECK_INT(pnum(".", 1, &d), -1);
    CHECK_INT(pnum("", 1, &d), -1);
    CHECK_INT(pnum("1.5x", 1, &d), -1);
    CHECK_INT(pnum("NaN", 1, &d), -1);
    CHECK_INT(pnum("INF", 1, &d), -1);
    CHECK_INT(pnum("-Infinity", 1, &d), -1);
    CHECK_INT(pnum("0x10", 1, &d), -1);
}

TEST(value_number_strict_rejects_underflow)
{
    double d = 1;
    /* 1e-400 becomes 0.0 in a double: rounded, so not a number for inference */
    CHECK_INT(pnum("1e-400", 1, &d), -1);
}

TEST(value_number_strict_rejects_long_digit_strings)
{
    /* 1 followed by 63 zeros and a 1: a double cannot hold it (it would be 1e64) */
    char s[80];
    double d = 0;
    s[0] = '1';
    memset(s + 1, '0', 63);
    s[64] = '1';
    s[65] = 0;
    CHECK_INT(pnum(s, 1, &d), -1);
    /* and the same with a fraction */
    char f[90] = "0.";
    memset(f + 2, '0', 70);
    strcpy(f + 72, "1");
    f[2] = '5';
    CHECK_INT(pnum(f, 1, &d), -1); /* 0.5000...0001 */
}

TEST(value_number_frictionless)
{
    double d = 0;
    CHECK_INT(pnum(".5", 0, &d), 0);
    CHECK(d == 0.5);
    CHECK_INT(pnum("-.5", 0, &d), 0);
    CHECK(d == -0.5);
    CHECK_INT(pnum("5.", 0, &d), 0); /* as Frictionless (Python's Decimal) reads it */
    CHECK(d == 5);
    CHECK_INT(pnum("+1.25", 0, &d), 0);
    CHECK(d == 1.25);
    CHECK_INT(pnum("0.30000000000000001", 0, &d), 0); /* casting: the nearest double */
    CHECK(d == 0.3);
    CHECK_INT(pnum("12345678901234567890", 0, &d), 0);
    CHECK(d == 12345678901234567890.0);
    CHECK_INT(pnum("007", 0, &d), 0);
    CHECK(d == 7);
    CHECK_INT(pnum("1e999", 0, &d), -1); /* not a number we can hold */
    CHECK_INT(pnum("NaN", 0, &d), 0);
    CHECK(isnan(d));
    CHECK_INT(pnum("nan", 0, &d), 0);
    CHECK(isnan(d));
    CHECK_INT(pnum("INF", 0, &d), 0);
    CHECK(isinf(d) && d > 0);
    CHECK_INT(pnum("-INF", 0, &d), 0);
    CHECK(isinf(d) && d < 0);
    CHECK_INT(pnum("Infinity", 0, &d), 0);
    CHECK(isinf(d) && d > 0);
    CHECK_INT(pnum("-Infinity", 0, &d), 0);
    CHECK(isinf(d) && d < 0);
    CHECK_INT(pnum(".", 0, &d), -1);
    CHECK_INT(pnum("e5", 0, &d), -1);
    CHECK_INT(pnum("1e", 0, &d), -1);
    CHECK_INT(pnum("1.2.3", 0, &d), -1);
    CHECK_INT(pnum("1,5", 0, &d), -1);
    CHECK_INT(pnum("Inf", 0, &d), -1);
    CHECK_INT(pnum("", 0, &d), -1);
    /* a long text (beyond the parser's stack buffer) */
    char big[200];
    memset(big, '1', 150);
    big[150] = 0;
    CHECK_INT(pnum(big, 0, &d), 0);
    CHECK(d > 1e149);
}

TEST(value_bool)
{
    CHECK_INT(pbool("true", 1), 1);
    CHECK_INT(pbool("True", 1), 1);
    CHECK_INT(pbool("TRUE", 1), 1);
    CHECK_INT(pbool("false", 1), 0);
    CHECK_INT(pbool("False", 1), 0);
    CHECK_INT(pbool("FALSE", 1), 0);
    CHECK_INT(pbool("1", 1), -1);
    CHECK_INT(pbool("0", 1), -1);
    CHECK_INT(pbool("1", 0), 1);
    CHECK_INT(pbool("0", 0), 0);
    CHECK_INT(pbool("tRUE", 0), -1);
    CHECK_INT(pbool("yes", 0), -1);
    CHECK_INT(pbool("t", 0), -1);
    CHECK_INT(pbool("true ", 0), -1);
    CHECK_INT(pbool("", 0), -1);
    CHECK_INT(pbool("10", 0), -1);
}

TEST(value_date)
{
    CHECK_INT(pdate("2024-01-31"), 0);
    CHECK_INT(pdate("2024-02-29"), 0); /* leap year */
    CHECK_INT(pdate("2000-02-29"), 0); /* divisible by 400 */
    CHECK_INT(pdate("2023-02-29"), -1);
    CHECK_INT(pdate("1900-02-29"), -1); /* divisible by 100, not 400 */
    CHECK_INT(pdate("2023-02-28"), 0);
    CHECK_INT(pdate("2023-04-31"), -1);
    CHECK_INT(pdate("2023-12-31"), 0);
    CHECK_INT(pdate("2023-13-01"), -1);
    CHECK_INT(pdate("2023-00-10"), -1);
    CHECK_INT(pdate("2023-01-00"), -1);
    CHECK_INT(pdate("2023-1-01"), -1);
    CHECK_INT(pdate("2023/01/01"), -1);
    CHECK_INT(pdate("20230101"), -1);
    CHECK_INT(pdate("2023-01-01T00:00"), -1);
    CHECK_INT(pdate("2023-0a-01"), -1);
    CHECK_INT(pdate(""), -1);
}

TEST(value_time)
{
    CHECK_INT(ptime("00:00:00"), 0);
    CHECK_INT(ptime("23:59:59"), 0);
    CHECK_INT(ptime("12:30:15.123"), 0);
    CHECK_INT(ptime("12:30:15.123456789"), 0);
    CHECK_INT(ptime("24:00:00"), -1);
    CHECK_INT(ptime("12:60:00"), -1);
    CHECK_INT(ptime("12:30:61"), -1);
    CHECK_INT(ptime("12:30"), -1); /* seconds required */
    CHECK_INT(ptime("12:30:15."), -1);
    CHECK_INT(ptime("12:30:15Z"), -1);
    CHECK_INT(ptime("1:30:15"), -1);
    CHECK_INT(ptime("12-30-15"), -1);
    CHECK_INT(ptime(""), -1);
}

TEST(value_datetime)
{
    CHECK_INT(pdt("2024-03-01T12:30:15"), 0);
    CHECK_INT(pdt("2024-03-01 12:30:15"), 0);
    CHECK_INT(pdt("2024-03-01T12:30"), 0);
    CHECK_INT(pdt("2024-03-01T12:30:15Z"), 0);
    CHECK_INT(pdt("2024-03-01T12:30:15.5Z"), 0);
    CHECK_INT(pdt("2024-03-01T12:30:15.123456+02:00"), 0);
    CHECK_INT(pdt("2024-03-01T12:30:15-05:30"), 0);
    CHECK_INT(pdt("2024-03-01T12:30:15+0200"), 0);
    CHECK_INT(pdt("2024-03-01T12:30:15+02"), 0);
    CHECK_INT(pdt("2024-03-01T12:30Z"), 0);
    CHECK_INT(pdt("2024-02-29T00:00:00"), 0);
    CHECK_INT(pdt("2023-02-29T00:00:00"), -1);
    CHECK_INT(pdt("2024-03-01"), -1);
    CHECK_INT(pdt("2024-03-01T"), -1);
    CHECK_INT(pdt("2024-03-01T25:00:00"), -1);
    CHECK_INT(pdt("2024-03-01t12:30:15"), -1);
    CHECK_INT(pdt("2024-03-01T12:30:15ZZ"), -1);
    CHECK_INT(pdt("2024-03-01T12:30:15+2"), -1);
    CHECK_INT(pdt("2024-03-01T12:30:15+02:0"), -1);
    CHECK_INT(pdt("2024-03-01T12:30:15+24:00"), -1);
    CHECK_INT(pdt("2024-03-01T12:30:15+02:60"), -1);
    CHECK_INT(pdt("2024-03-01T12:30:15+02-00"), -1);
    CHECK_INT(pdt("2024-03-01T12:30:15 +02:00"), -1);
    CHECK_INT(pdt("2024-03-01T12:30:15."), -1);
}

TEST(value_year_yearmonth)
{
    int64_t y = 0;
    CHECK_INT(sl__parse_year("2024", 4, &y), 0);
    CHECK_INT(y, 2024);
    CHECK_INT(sl__parse_year("202", 3, &y), -1);
    CHECK_INT(sl__parse_year("20x4", 4, &y), -1);
    CHECK_INT(sl__parse_yearmonth("2024-12", 7), 0);
    CHECK_INT(sl__parse_yearmonth("2024-13", 7), -1);
    CHECK_INT(sl__parse_yearmonth("2024-00", 7), -1);
    CHECK_INT(sl__parse_yearmonth("2024/01", 7), -1);
}

/* ---- types -------------------------------------------------------------------------------- */

TEST(schema_type_names)
{
    for (int t = SL_TYPE_BOOLEAN; t < SL_TYPE_COUNT; t++)
        CHECK_INT(sl_type_parse(sl_type_name(t)), t);
    CHECK_INT(sl_type_parse("null"), -1);
    CHECK_INT(sl_type_parse("Integer"), -1);
    CHECK_INT(sl_type_parse("geopoint"), SL_TYPE_GEOPOINT);
    CHECK_INT(sl_type_parse("geojson"), -1);
    CHECK_STR(sl_type_sql(SL_TYPE_INTEGER), "INTEGER");
    CHECK_STR(sl_type_sql(SL_TYPE_NUMBER), "REAL");
    CHECK_STR(sl_type_sql(SL_TYPE_STRING), "TEXT");
}

TEST(infer_type_merge_lattice)
{
    CHECK_INT(sl_type_merge(SL_TYPE_NULL, SL_TYPE_INTEGER), SL_TYPE_INTEGER);
    CHECK_INT(sl_type_merge(SL_TYPE_INTEGER, SL_TYPE_NULL), SL_TYPE_INTEGER);
    CHECK_INT(sl_type_merge(SL_TYPE_INTEGER, SL_TYPE_NUMBER), SL_TYPE_NUMBER);
    CHECK_INT(sl_type_merge(SL_TYPE_NUMBER, SL_TYPE_INTEGER), SL_TYPE_NUMBER);
    CHECK_INT(sl_type_merge(SL_TYPE_NUMBER, SL_TYPE_STRING), SL_TYPE_STRING);
    CHECK_INT(sl_type_merge(SL_TYPE_DATE, SL_TYPE_DATETIME), SL_TYPE_DATETIME);
    CHECK_INT(sl_type_merge(SL_TYPE_DATETIME, SL_TYPE_DATE), SL_TYPE_DATETIME);
    CHECK_INT(sl_type_merge(SL_TYPE_DATE, SL_TYPE_TIME), SL_TYPE_STRING);
    CHECK_INT(sl_type_merge(SL_TYPE_BOOLEAN, SL_TYPE_INTEGER), SL_TYPE_STRING);
    CHECK_INT(sl_type_merge(SL_TYPE_DATE, SL_TYPE_INTEGER), SL_TYPE_STRING);
    CHECK_INT(sl_type_merge(SL_TYPE_OBJECT, SL_TYPE_INTEGER), SL_TYPE_ANY);
    CHECK_INT(sl_type_merge(SL_TYPE_STRING, SL_TYPE_ARRAY), SL_TYPE_ANY);
    CHECK_INT(sl_type_merge(SL_TYPE_OBJECT, SL_TYPE_ARRAY), SL_TYPE_ANY);
    CHECK_INT(sl_type_merge(SL_TYPE_ANY, SL_TYPE_BOOLEAN), SL_TYPE_ANY);
    CHECK_INT(sl_type_merge(SL_TYPE_OBJECT, SL_TYPE_OBJECT), SL_TYPE_OBJECT);
    CHECK_INT(sl_type_merge(SL_TYPE_STRING, SL_TYPE_STRING), SL_TYPE_STRING);
    /* merge is commutative over every pair */
    for (int a = 0; a < SL_TYPE_COUNT; a++)
        for (int b = 0; b < SL_TYPE_COUNT; b++) CHECK_INT(sl_type_merge(a, b), sl_type_merge(b, a));
}

TEST(infer_cell_types)
{
    struct sl_cell c;
    c = str("42", 0);
    CHECK_INT(sl_infer_cell(&c), SL_TYPE_INTEGER);
    c = str("-42", 0);
    CHECK_INT(sl_infer_cell(&c), SL_TYPE_INTEGER);
    c = str("00501", 0);
    CHECK_INT(sl_infer_cell(&c), SL_TYPE_STRING);
    c = str("+5", 0);
    CHECK_INT(sl_infer_cell(&c), SL_TYPE_STRING);
    c = str("1.5", 0);
    CHECK_INT(sl_infer_cell(&c), SL_TYPE_NUMBER);
    c = str("1e3", 0);
    CHECK_INT(sl_infer_cell(&c), SL_TYPE_NUMBER);
    c = str(".5", 0);
    CHECK_INT(sl_infer_cell(&c), SL_TYPE_STRING);
    c = str("12345678901234567890", 0);
    CHECK_INT(sl_infer_cell(&c), SL_TYPE_STRING);
    c = str("NaN", 0);
    CHECK_INT(sl_infer_cell(&c), SL_TYPE_STRING);
    c = str("true", 0);
    CHECK_INT(sl_infer_cell(&c), SL_TYPE_BOOLEAN);
    c = str("1", 0);
    CHECK_INT(sl_infer_cell(&c), SL_TYPE_INTEGER);
    c = str("2024-02-29", 0);
    CHECK_INT(sl_infer_cell(&c), SL_TYPE_DATE);
    c = str("2023-02-29", 0);
    CHECK_INT(sl_infer_cell(&c), SL_TYPE_STRING);
    c = str("2024-02-29 10:00:00+01:00", 0);
    CHECK_INT(sl_infer_cell(&c), SL_TYPE_DATETIME);
    c = str("10:00:00", 0);
    CHECK_INT(sl_infer_cell(&c), SL_TYPE_TIME);
    c = str("", 0);
    CHECK_INT(sl_infer_cell(&c), SL_TYPE_NULL);
    c = str("hello", 0);
    CHECK_INT(sl_infer_cell(&c), SL_TYPE_STRING);
    c = cell(SL_CELL_NUMBER, "1e999", 0);
    CHECK_INT(sl_infer_cell(&c), SL_TYPE_STRING);
    c = cell(SL_CELL_OBJECT, "{}", 0);
    CHECK_INT(sl_infer_cell(&c), SL_TYPE_OBJECT);
    c = cell(SL_CELL_NULL, NULL, 0);
    CHECK_INT(sl_infer_cell(&c), SL_TYPE_NULL);
}

/* Infers a CSV batch with the given header and rows (each row NULL-terminated). */
static struct sl_schema *infer_csv(const char *const *header, const char *const *const *rows,
                                   size_t nrows)
{
    struct sl_batch b;
    struct sl_labels l;
    struct sl_infer *inf = sl_infer_new(0);
    sl_batch_init(&b);
    for (size_t i = 0; i < nrows; i++) csv_row(&b, rows[i]);
    sl_infer_batch(inf, &b);
    labels_of(&l, header);
    struct sl_schema *s = sl_infer_schema(inf, &l, NULL);
    sl_labels_free(&l);
    sl_batch_free(&b);
    sl_infer_free(inf);
    return s;
}

TEST(infer_csv_widening)
{
    static const char *const header[] = {"i", "n", "s", "d", "b", "bi", "e", "z", "dd", NULL};
    static const char *const r1[] = {"1",    "1", "1",   "2024-01-01", "true",
                                     "true", "",  "007", "2024-01-01", NULL};
    static const char *const r2[] = {"2", "2.5", "2.5", "2024-01-02T10:00:00Z", "FALSE",
                                     "1", "",    "8",   "2024-01-02",           NULL};
    static const char *const r3[] = {"",  "-3", "x", "2024-01-03", "",
                                     "0", "",   "9", "10:00:00",   NULL};
    static const char *const *const rows[] = {r1, r2, r3};
    struct sl_schema *s = infer_csv(header, rows, 3);

    CHECK_INT(s->nfields, 9);
    CHECK_INT(s->fields[0].type, SL_TYPE_INTEGER); /* empty cells are null, not evidence */
    CHECK_INT(s->fields[1].type, SL_TYPE_NUMBER);
    CHECK_INT(s->fields[2].type, SL_TYPE_STRING);
    CHECK_INT(s->fields[3].type, SL_TYPE_DATETIME);
    CHECK_INT(s->fields[4].type, SL_TYPE_BOOLEAN);
    CHECK_INT(s->fields[5].type, SL_TYPE_STRING); /* boolean + integer */
    CHECK_INT(s->fields[6].type, SL_TYPE_STRING); /* only empty cells */
    CHECK_INT(s->fields[7].type, SL_TYPE_STRING); /* a code with a leading zero */
    CHECK_INT(s->fields[8].type, SL_TYPE_STRING); /* date + time */
    CHECK_STR(s->fields[0].name, "i");
    CHECK(s->path == NULL);
    sl_schema_free(s);
}

TEST(infer_never_narrows_across_batches)
{
    struct sl_batch b;
    struct sl_labels l;
    struct sl_infer *inf = sl_infer_new(0);
    static const char *const h[] = {"a", "b", NULL};
    static const char *const r1[] = {"1.5", "x", NULL};
    static const char *const r2[] = {"7", "8", NULL};

    sl_batch_init(&b);
    csv_row(&b, r1);
    sl_infer_batch(inf, &b);
    sl_batch_reset(&b);
    csv_row(&b, r2);
    sl_infer_batch(inf, &b);
    labels_of(&l, h);
    struct sl_schema *s = sl_infer_schema(inf, &l, NULL);
    CHECK_INT(s->fields[0].type, SL_TYPE_NUMBER);
    CHECK_INT(s->fields[1].type, SL_TYPE_STRING);
    sl_schema_free(s);
    sl_labels_free(&l);
    sl_batch_free(&b);
    sl_infer_free(inf);
}

TEST(infer_invalid_rows_ignored_and_unseen_columns)
{
    struct sl_batch b;
    struct sl_labels l;
    struct sl_infer *inf = sl_infer_new(0);
    static const char *const h[] = {"a", "b", "c", NULL};
    static const char *const good[] = {"1", "2", NULL};
    static const char *const bad[] = {"oops", "2.5", NULL};

    sl_batch_init(&b);
    csv_row(&b, good);
    struct sl_row *r = csv_row(&b, bad);
    r->status = SL_ROW_INVALID;
    r = csv_row(&b, good);
    r->status = SL_ROW_WARNING; /* a warning row still lands: it counts */
    sl_infer_batch(inf, &b);
    labels_of(&l, h);
    struct sl_schema *s = sl_infer_schema(inf, &l, NULL);
    CHECK_INT(s->nfields, 3);
    CHECK_INT(s->fields[0].type, SL_TYPE_INTEGER);
    CHECK_INT(s->fields[1].type, SL_TYPE_INTEGER);
    CHECK_INT(s->fields[2].type, SL_TYPE_STRING); /* never seen */
    sl_schema_free(s);
    sl_labels_free(&l);
    sl_batch_free(&b);
    sl_infer_free(inf);
}

TEST(infer_text_columns_are_strings)
{
    struct sl_batch b;
    struct sl_labels l;
    struct sl_infer *inf = sl_infer_new(0);
    static const char *const r[] = {"x", "y", NULL};
    sl_batch_init(&b);
    sl_labels_init(&l);
    sl_labels_push(&l, "a", 1);
    sl_labels_push(&l, "b", 1);
    csv_row(&b, r);
    sl_infer_batch(inf, &b);
    struct sl_schema *s = sl_infer_schema(inf, &l, NULL);
    CHECK_INT(s->nfields, 2);
    CHECK_INT(s->fields[0].type, SL_TYPE_STRING);
    CHECK_INT(s->fields[1].type, SL_TYPE_STRING);
    sl_schema_free(s);
    sl_labels_free(&l);
    sl_batch_free(&b);
    sl_infer_free(inf);
}

TEST(infer_json_kinds)
{
    struct sl_batch b;
    struct sl_labels l;
    struct sl_infer *inf = sl_infer_new(1);
    static const char *const h[] = {"s", "d", "n", "i", "o", "m", "e", "t", "z", NULL};

    sl_batch_init(&b);
    struct sl_cell r1[] = {
        str("123", 0),
        str("2024-01-01", 1),
        cell(SL_CELL_NUMBER, "1", 2),
        cell(SL_CELL_NUMBER, "5", 3),
        cell(SL_CELL_OBJECT, "{\"a\":1}", 4),
        cell(SL_CELL_OBJECT, "{}", 5),
        str("", 6),
        cell(SL_CELL_TRUE, "true", 7),
        cell(SL_CELL_NULL, NULL, 8),
    };
    struct sl_cell r2[] = {
        str("true", 0),
        str("2024-01-01T08:00:00Z", 1),
        cell(SL_CELL_NUMBER, "2.25", 2),
        cell(SL_CELL_NULL, NULL, 3),
        cell(SL_CELL_OBJECT, "{\"b\":2}", 4),
        cell(SL_CELL_NUMBER, "3", 5),
        cell(SL_CELL_NUMBER, "4", 6),
        cell(SL_CELL_FALSE, "false", 7),
        cell(SL_CELL_NULL, NULL, 8),
    };
    add_row(&b, r1, 9);
    add_row(&b, r2, 9);
    sl_infer_batch(inf, &b);
    labels_of(&l, h);
    struct sl_schema *s = sl_infer_schema(inf, &l, NULL);
    CHECK_INT(s->fields[0].type, SL_TYPE_STRING);   /* JSON strings stay strings */
    CHECK_INT(s->fields[1].type, SL_TYPE_DATETIME); /* except ISO dates and times */
    CHECK_INT(s->fields[2].type, SL_TYPE_NUMBER);
    CHECK_INT(s->fields[3].type, SL_TYPE_INTEGER); /* null is no evidence */
    CHECK_INT(s->fields[4].type, SL_TYPE_OBJECT);
    CHECK_INT(s->fields[5].type, SL_TYPE_ANY);    /* nested + scalar */
    CHECK_INT(s->fields[6].type, SL_TYPE_STRING); /* "" is a value in JSON */
    CHECK_INT(s->fields[7].type, SL_TYPE_BOOLEAN);
    CHECK_INT(s->fields[8].type, SL_TYPE_STRING); /* only nulls */
    sl_schema_free(s);
    sl_labels_free(&l);
    sl_batch_free(&b);
    sl_infer_free(inf);
}

TEST(infer_json_number_strings)
{
    struct sl_batch b;
    struct sl_labels l;
    struct sl_infer *inf = sl_infer_new(1);
    static const char *const h[] = {"big", "str_then_obj", NULL};

    sl_batch_init(&b);
    struct sl_cell r1[] = {cell(SL_CELL_NUMBER, "12345678901234567890", 0), str("x", 1)};
    struct sl_cell r2[] = {cell(SL_CELL_NUMBER, "1", 0), cell(SL_CELL_ARRAY, "[1]", 1)};
    add_row(&b, r1, 2);
    add_row(&b, r2, 2);
    sl_infer_batch(inf, &b);
    labels_of(&l, h);
    struct sl_schema *s = sl_infer_schema(inf, &l, NULL);
    CHECK_INT(s->fields[0].type, SL_TYPE_STRING); /* kept exactly, as text */
    CHECK_INT(s->fields[1].type, SL_TYPE_ANY);
    sl_schema_free(s);
    sl_labels_free(&l);
    sl_batch_free(&b);
    sl_infer_free(inf);
}

TEST(infer_schema_renames)
{
    struct sl_infer *inf = sl_infer_new(0);
    struct sl_labels l;
    struct sl_renames rn = {0};
    static const char *const h[] = {"id", "", "ID", NULL};
    labels_of(&l, h);
    struct sl_schema *s = sl_infer_schema(inf, &l, &rn);
    CHECK_INT(s->nfields, 3);
    CHECK_STR(s->fields[1].name, "field_2");
    CHECK_STR(s->fields[1].label, "");
    CHECK_STR(s->fields[2].name, "ID_2");
    CHECK_STR(s->fields[2].label, "ID");
    CHECK_INT(rn.n, 2);
    sl_renames_free(&rn);
    sl_schema_free(s);
    sl_labels_free(&l);
    sl_infer_free(inf);
}

/* ---- names -------------------------------------------------------------------------------- */

TEST(names_normalize)
{
    static const char *const labels[] = {" id ", "a\tb",  "",     "Name",       "name",
                                         "NAME", "_load", "_ROW", "x\x01\x02y", "\n"};
    struct sl_renames r = {0};
    char **n = sl_names_normalize(labels, NULL, 10, &r);
    CHECK_STR(n[0], "id");
    CHECK_STR(n[1], "a b");
    CHECK_STR(n[2], "field_3");
    CHECK_STR(n[3], "Name");
    CHECK_STR(n[4], "name_2");
    CHECK_STR(n[5], "NAME_3");
    CHECK_STR(n[6], "_load_2");
    CHECK_STR(n[7], "_ROW_2");
    CHECK_STR(n[8], "x y");
    CHECK_STR(n[9], "field_10");
    /* every change reported with its column; "Name" was not changed */
    CHECK_INT(r.n, 9);
    int saw3 = 0;
    for (size_t i = 0; i < r.n; i++) {
        CHECK(r.v[i].col != 3);
        CHECK_STR(r.v[i].to, n[r.v[i].col]);
        CHECK_STR(r.v[i].from, labels[r.v[i].col]);
        if (r.v[i].col == 4) saw3 = 1;
    }
    CHECK(saw3);
    sl_names_free(n, 10);
    sl_renames_free(&r);
    CHECK_INT(r.n, 0);
}

/* 100 000 equal names: each repeat starts where the one before stopped (issue 13: a header of
 * repeated names took n² probes), and the suffixes are the ones a user would expect */
TEST(names_many_duplicates_linear)
{
    enum { N = 100000 };
    const char **labels = sl_xmalloc(N * sizeof *labels);
    for (size_t i = 0; i < N; i++) labels[i] = i == 5 ? "x_3" : i % 2 ? "X" : "x";
    struct sl_renames r = {0};
    double t0 = sl_now();
    char **n = sl_names_normalize(labels, NULL, N, &r);
    CHECK(sl_now() - t0 < 5.0); /* was minutes */
    CHECK_STR(n[0], "x");
    CHECK_STR(n[1], "X_2");
    CHECK_STR(n[2], "x_3");
    CHECK_STR(n[3], "X_4");
    CHECK_STR(n[5], "x_3_2"); /* x_3 was taken by column 3 */
    CHECK_STR(n[6], "x_6");
    CHECK_STR(n[N - 1], "X_99999");
    CHECK_INT(r.n, N - 1);
    sl_names_free(n, N);
    sl_renames_free(&r);
    free(labels);
}

/* sl_schema_find: a hash probe with the linear search's answers (first exact name, else the
 * first that differs in case) */
TEST(schema_find_hashed)
{
    struct sl_schema *s = sl_schema_new();
    char name[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "col%d", i);
        CHECK_INT(sl_schema_add(s, name, NULL, SL_TYPE_STRING), i);
    }
    sl_schema_add(s, "Mixed", NULL, SL_TYPE_STRING); /* 5000 */
    sl_schema_add(s, "mixed", NULL, SL_TYPE_STRING); /* 5001 */
    sl_schema_add(s, "col7", NULL, SL_TYPE_STRING);  /* 5002: a repeat */
    CHECK_INT(sl_schema_find(s, "col4999"), 4999);
    CHECK_INT(sl_schema_find(s, "COL12"), 12);
    CHECK_INT(sl_schema_find(s, "col7"), 7);
    CHECK_INT(sl_schema_find(s, "mixed"), 5001);
    CHECK_INT(sl_schema_find(s, "Mixed"), 5000);
    CHECK_INT(sl_schema_find(s, "MIXED"), 5000);
    CHECK_INT(sl_schema_find(s, "col5000"), -1);
    struct sl_schema *c = sl_schema_copy(s);
    CHECK_INT(sl_schema_find(c, "mixed"), 5001);
    CHECK_INT(sl_schema_find(c, "COL4321"), 4321);
    sl_schema_free(c);
    sl_schema_free(s);
}

TEST(names_suffix_collisions)
{
    static const char *const labels[] = {"a", "a_2", "a", "A", "field_2", ""};
    struct sl_renames r = {0};
    char **n = sl_names_normalize(labels, NULL, 6, &r);
    CHECK_STR(n[0], "a");
    CHECK_STR(n[1], "a_2");
    CHECK_STR(n[2], "a_3");
    CHECK_STR(n[3], "A_4");
    CHECK_STR(n[4], "field_2");
    CHECK_STR(n[5], "field_6");
    /* all names distinct, case-insensitively */
    for (int i = 0; i < 6; i++)
        for (int j = i + 1; j < 6; j++) CHECK(strcasecmp(n[i], n[j]) != 0);
    CHECK_INT(r.n, 3);
    sl_names_free(n, 6);
    sl_renames_free(&r);
    /* no renames list: fine */
    n = sl_names_normalize(labels, NULL, 0, NULL);
    sl_names_free(n, 0);
}

/* A NUL byte inside a label is a control character like the others: the name keeps what follows
 * it, two labels that differ after it stay two names, and the rename keeps the label whole. */
TEST(names_nul_byte)
{
    static const char *const labels[] = {"na\0me", "na\0xx", "na me", "id"};
    static const uint32_t lens[] = {5, 5, 5, 2};
    struct sl_renames r = {0};
    char **n = sl_names_normalize(labels, lens, 4, &r);
    CHECK_STR(n[0], "na me");
    CHECK_STR(n[1], "na xx");
    CHECK_STR(n[2], "na me_2");
    CHECK_STR(n[3], "id");
    CHECK_INT(r.n, 3);
    CHECK_INT(r.v[0].from_len, 5);
    CHECK(!memcmp(r.v[0].from, "na\0me", 5));
    CHECK_INT(r.v[1].from_len, 5);
    CHECK(!memcmp(r.v[1].from, "na\0xx", 5));
    sl_names_free(n, 4);
    sl_renames_free(&r);
}

/* ---- cast --------------------------------------------------------------------------------- */

/* Canonical dates and times are made in the arena: it lives until the next call (reachable). */
static struct sl_arena cast_arena;

static int cast1(int type, const struct sl_cell *c, struct sl_value *v, const char **why)
{
    struct sl_field f;
    memset(&f, 0, sizeof f);
    f.name = f.label = (char *)"f";
    f.type = type;
    f.bare_number = 1;
    f.format_severity = SL_ROW_INVALID;
    if (!cast_arena.chunk_size) sl_arena_init(&cast_arena, 4096);
    sl_arena_reset(&cast_arena);
    memset(v, 0, sizeof *v);
    return sl_cast_cell(&f, c, &cast_arena, v, why);
}

TEST(cast_cell_every_type)
{
    struct sl_value v;
    const char *why;
    struct sl_cell c;

    c = str("00501", 0);
    CHECK_INT(cast1(SL_TYPE_INTEGER, &c, &v, &why), 0);
    CHECK_INT(v.type, SL_V_INT);
    CHECK_INT(v.u.i, 501);
    c = str("+5", 0);
    CHECK_INT(cast1(SL_TYPE_INTEGER, &c, &v, &why), 0);
    CHECK_INT(v.u.i, 5);
    c = str("1.5", 0);
    CHECK_INT(cast1(SL_TYPE_INTEGER, &c, &v, &why), -1);
    c = str("99999999999999999999", 0);
    CHECK_INT(cast1(SL_TYPE_INTEGER, &c, &v, &why), -1);
    CHECK(why && strstr(why, "64-bit"));
    c = cell(SL_CELL_NUMBER, "7", 0);
    CHECK_INT(cast1(SL_TYPE_INTEGER, &c, &v, &why), 0);
    CHECK_INT(v.u.i, 7);

    c = str(".5", 0);
    CHECK_INT(cast1(SL_TYPE_NUMBER, &c, &v, &why), 0);
    CHECK_INT(v.type, SL_V_REAL);
    CHECK(v.u.d == 0.5);
    c = str("NaN", 0);
    CHECK_INT(cast1(SL_TYPE_NUMBER, &c, &v, &why), 0);
    CHECK_INT(v.type, SL_V_TEXT); /* SQLite would turn NaN into NULL */
    CHECK_MEM(v.u.s, v.len, "NaN");
    c = str("-INF", 0);
    CHECK_INT(cast1(SL_TYPE_NUMBER, &c, &v, &why), 0);
    CHECK_INT(v.type, SL_V_TEXT);
    c = str("abc", 0);
    CHECK_INT(cast1(SL_TYPE_NUMBER, &c, &v, &why), -1);

    c = str("True", 0);
    CHECK_INT(cast1(SL_TYPE_BOOLEAN, &c, &v, &why), 0);
    CHECK_INT(v.type, SL_V_BOOL);
    CHECK_INT(v.u.i, 1);
    c = str("0", 0);
    CHECK_INT(cast1(SL_TYPE_BOOLEAN, &c, &v, &why), 0);
    CHECK_INT(v.u.i, 0);
    c = cell(SL_CELL_FALSE, "false", 0);
    CHECK_INT(cast1(SL_TYPE_BOOLEAN, &c, &v, &why), 0);
    CHECK_INT(v.u.i, 0);
    c = str("yes", 0);
    CHECK_INT(cast1(SL_TYPE_BOOLEAN, &c, &v, &why), -1);
    c = cell(SL_CELL_NUMBER, "1", 0);
    CHECK_INT(cast1(SL_TYPE_BOOLEAN, &c, &v, &why), -1);
    CHECK(why == NULL); /* the message names the kind: "a number is not of type boolean" */

    c = str("2024-02-29", 0);
    CHECK_INT(cast1(SL_TYPE_DATE, &c, &v, &why), 0);
    CHECK_MEM(v.u.s, v.len, "2024-02-29");
    c = str("2023-02-29", 0);
    CHECK_INT(cast1(SL_TYPE_DATE, &c, &v, &why), -1);
    c = str("2024-02-29T10:00:00Z", 0);
    CHECK_INT(cast1(SL_TYPE_DATETIME, &c, &v, &why), 0);
    c = str("2024-02-29", 0);
    CHECK_INT(cast1(SL_TYPE_DATETIME, &c, &v, &why), 0); /* a date widened to datetime */
    c = str("10:00", 0);
    CHECK_INT(cast1(SL_TYPE_DATETIME, &c, &v, &why), -1);
    c = str("10:00:00", 0);
    CHECK_INT(cast1(SL_TYPE_TIME, &c, &v, &why), 0);
    c = str("2024", 0);
    CHECK_INT(cast1(SL_TYPE_YEAR, &c, &v, &why), 0);
    CHECK_INT(v.type, SL_V_INT);
    CHECK_INT(v.u.i, 2024);
    c = cell(SL_CELL_NUMBER, "1999", 0);
    CHECK_INT(cast1(SL_TYPE_YEAR, &c, &v, &why), 0);
    c = str("2024-07", 0);
    CHECK_INT(cast1(SL_TYPE_YEARMONTH, &c, &v, &why), 0);
    c = str("2024-7", 0);
    CHECK_INT(cast1(SL_TYPE_YEARMONTH, &c, &v, &why), -1);

    c = str("{\"a\":[1,2]}", 0);
    CHECK_INT(cast1(SL_TYPE_OBJECT, &c, &v, &why), 0);
    CHECK_INT(v.type, SL_V_TEXT);
    c = str("[1,2]", 0);
    CHECK_INT(cast1(SL_TYPE_OBJECT, &c, &v, &why), -1);
    CHECK_INT(cast1(SL_TYPE_ARRAY, &c, &v, &why), 0);
    c = str("{\"a\":", 0);
    CHECK_INT(cast1(SL_TYPE_OBJECT, &c, &v, &why), -1);
    c = cell(SL_CELL_ARRAY, "[true]", 0);
    CHECK_INT(cast1(SL_TYPE_ARRAY, &c, &v, &why), 0);
    CHECK_MEM(v.u.s, v.len, "[true]");

    c = cell(SL_CELL_NUMBER, "2.50", 0);
    CHECK_INT(cast1(SL_TYPE_ANY, &c, &v, &why), 0);
    CHECK_INT(v.type, SL_V_REAL);
    c = cell(SL_CELL_NUMBER, "3", 0);
    CHECK_INT(cast1(SL_TYPE_ANY, &c, &v, &why), 0);
    CHECK_INT(v.type, SL_V_INT);
    c = cell(SL_CELL_TRUE, "true", 0);
    CHECK_INT(cast1(SL_TYPE_ANY, &c, &v, &why), 0);
    CHECK_INT(v.type, SL_V_BOOL);
    c = cell(SL_CELL_OBJECT, "{}", 0);
    CHECK_INT(cast1(SL_TYPE_ANY, &c, &v, &why), 0);
    CHECK_INT(v.type, SL_V_TEXT);
    c = str("42", 0);
    CHECK_INT(cast1(SL_TYPE_ANY, &c, &v, &why), 0);
    CHECK_INT(v.type, SL_V_TEXT);
}

TEST(cast_cell_json_kinds_into_string)
{
    struct sl_value v;
    const char *why;
    struct sl_cell c;

    c = cell(SL_CELL_NUMBER, "1.50", 0);
    CHECK_INT(cast1(SL_TYPE_STRING, &c, &v, &why), 0);
    CHECK_INT(v.type, SL_V_TEXT);
    CHECK_MEM(v.u.s, v.len, "1.50"); /* as written */
    c = cell(SL_CELL_TRUE, "true", 0);
    CHECK_INT(cast1(SL_TYPE_STRING, &c, &v, &why), 0);
    CHECK_MEM(v.u.s, v.len, "true");
    c = cell(SL_CELL_OBJECT, "{\"a\":1}", 0);
    CHECK_INT(cast1(SL_TYPE_STRING, &c, &v, &why), -1);
    CHECK(why == NULL); /* the batch message says "an object is not of type string" */
    c = cell(SL_CELL_ARRAY, "[]", 0);
    CHECK_INT(cast1(SL_TYPE_STRING, &c, &v, &why), -1);
    CHECK(why == NULL);
    c = str("2024-01-01", 0);
    CHECK_INT(cast1(SL_TYPE_INTEGER, &c, &v, &why), -1);
    CHECK(why == NULL); /* a plain bad value: the message quotes it */
}

/* A schema of (name, type) pairs; NULL ends the list. */
static struct sl_schema *schema_of(const char *const *spec)
{
    struct sl_schema *s = sl_schema_new();
    for (size_t i = 0; spec[i]; i += 2) sl_schema_add(s, spec[i], NULL, sl_type_parse(spec[i + 1]));
    return s;
}

TEST(cast_batch_csv)
{
    static const char *const spec[] = {"id",      "integer", "amount", "number", "ok",
                                       "boolean", "note",    "string", NULL};
    static const char *const h[] = {"id", "amount", "ok", "note", NULL};
    static const char *const r1[] = {"1", "2.5", "true", "hi", NULL};
    static const char *const r2[] = {"2", "abc", "false", "", NULL};
    static const char *const r3[] = {"", "NA", "1", "x", NULL};
    static const char *const r4[] = {"4", "1", "0", "y", NULL};
    struct sl_schema *s = schema_of(spec);
    struct sl_labels l;
    struct sl_mapping m;
    struct sl_batch b;
    struct sl_error err = {0};
    const char *pk[] = {"id"};

    CHECK_INT(sl_schema_set_pk(s, pk, 1, &err), 0);
    free(s->missing[0]);
    free(s->missing);
    s->missing = sl_xcalloc(2, sizeof *s->missing);
    s->missing[0] = sl_xstrdup("");
    s->missing[1] = sl_xstrdup("NA");
    s->nmissing = 2;

    labels_of(&l, h);
    sl_mapping_init(&m);
    sl_mapping_update(&m, s, &l);
    CHECK_INT(m.n, 4);
    sl_batch_init(&b);
    csv_row(&b, r1);
    csv_row(&b, r2);
    csv_row(&b, r3);
    struct sl_row *bad = csv_row(&b, r4);
    bad->status = SL_ROW_INVALID; /* the reader could not read it: left alone */
    sl_cast_batch(s, &m, &l, &b);

    struct sl_row *r = &b.rows[0];
    CHECK_INT(r->status, SL_ROW_VALID);
    CHECK(r->values != NULL);
    CHECK_INT(r->values[0].type, SL_V_INT);
    CHECK_INT(r->values[0].u.i, 1);
    CHECK_INT(r->values[1].type, SL_V_REAL);
    CHECK(r->values[1].u.d == 2.5);
    CHECK_INT(r->values[2].type, SL_V_BOOL);
    CHECK_MEM(r->values[3].u.s, r->values[3].len, "hi");

    r = &b.rows[1];
    CHECK_INT(r->status, SL_ROW_INVALID);
    const struct sl_issue *is = find_issue(r, "type-error");
    CHECK(is != NULL);
    if (is) {
        CHECK_STR(is->field, "amount");
        CHECK(strstr(is->message, "amount") != NULL);
        CHECK(strstr(is->message, "abc") != NULL);
        CHECK(strstr(is->message, "number") != NULL);
        CHECK_MEM(is->value, is->value_len, "abc");
        CHECK_INT(is->severity, SL_ROW_INVALID);
    }
    CHECK_INT(r->values[3].type, SL_V_NULL); /* "" is missing */
    CHECK_INT(count_issues(r), 1);

    r = &b.rows[2];
    CHECK_INT(r->status, SL_ROW_INVALID);
    is = find_issue(r, "constraint-error");
    CHECK(is != NULL);
    if (is) {
        CHECK_STR(is->field, "id");
        CHECK(strstr(is->message, "primary key") != NULL);
    }
    CHECK_INT(r->values[1].type, SL_V_NULL); /* NA is a missing value */
    CHECK(find_issue(r, "type-error") == NULL);
    CHECK_INT(count_issues(r), 1);

    CHECK(b.rows[3].values == NULL);
    CHECK_INT(count_issues(&b.rows[3]), 0);

    sl_batch_free(&b);
    sl_mapping_free(&m);
    sl_labels_free(&l);
    sl_schema_free(s);
}

TEST(cast_batch_required_and_absent)
{
    static const char *const spec[] = {"a", "string", "b", "integer", NULL};
    struct sl_schema *s = schema_of(spec);
    struct sl_labels l;
    struct sl_mapping m;
    struct sl_batch b;
    static const char *const h[] = {"a", NULL};
    static const char *const r1[] = {"x", NULL};

    s->fields[1].required = 1;
    labels_of(&l, h);
    sl_mapping_init(&m);
    sl_mapping_update(&m, s, &l);
    sl_batch_init(&b);
    csv_row(&b, r1);
    sl_cast_batch(s, &m, &l, &b);
    const struct sl_issue *is = find_issue(&b.rows[0], "constraint-error");
    CHECK(is != NULL);
    if (is) {
        CHECK_STR(is->field, "b");
        CHECK(strstr(is->message, "required") != NULL);
    }
    CHECK_INT(b.rows[0].status, SL_ROW_INVALID);
    sl_batch_free(&b);
    sl_mapping_free(&m);
    sl_labels_free(&l);
    sl_schema_free(s);
}

TEST(cast_batch_json_records)
{
    static const char *const spec[] = {"name", "string", "n", "number", "meta", "string", NULL};
    static const char *const h[] = {"name", "n", "meta", "extra", NULL};
    struct sl_schema *s = schema_of(spec);
    struct sl_labels l;
    struct sl_mapping m;
    struct sl_batch b;

    labels_of(&l, h);
    sl_mapping_init(&m);
    sl_mapping_update(&m, s, &l);
    CHECK_INT(m.field[3], -1); /* extra */
    sl_batch_init(&b);
    struct sl_cell r1[] = {cell(SL_CELL_NUMBER, "10", 0), cell(SL_CELL_NUMBER, "1e2", 1),
                           str("m", 2), str("whatever", 3)};
    struct sl_cell r2[] = {str("x", 0), str("NaN", 1), cell(SL_CELL_OBJECT, "{\"k\":1}", 2)};
    struct sl_cell r3[] = {str("first", 0), str("second", 0), cell(SL_CELL_NULL, NULL, 1)};
    add_row(&b, r1, 4);
    add_row(&b, r2, 3);
    add_row(&b, r3, 3);
    sl_cast_batch(s, &m, &l, &b);

    struct sl_row *r = &b.rows[0];
    CHECK_INT(r->status, SL_ROW_VALID);
    CHECK_INT(r->values[0].type, SL_V_TEXT);
    CHECK_MEM(r->values[0].u.s, r->values[0].len, "10");
    CHECK_INT(r->values[1].type, SL_V_REAL);
    CHECK(r->values[1].u.d == 100.0);

    r = &b.rows[1];
    CHECK_INT(r->values[1].type, SL_V_TEXT); /* NaN stays text */
    CHECK_MEM(r->values[1].u.s, r->values[1].len, "NaN");
    const struct sl_issue *is = find_issue(r, "type-error");
    CHECK(is != NULL);
    CHECK_INT(r->status, SL_ROW_INVALID);
    if (is) {
        CHECK_STR(is->field, "meta");
        CHECK(strstr(is->message, "meta") != NULL);
        CHECK(strstr(is->message, "object") != NULL);
    }

    r = &b.rows[2];
    is = find_issue(r, "duplicate-key");
    CHECK(is != NULL);
    if (is) {
        CHECK_INT(is->severity, SL_ROW_WARNING);
        CHECK(strstr(is->message, "name") != NULL);
    }
    CHECK_INT(r->status, SL_ROW_WARNING);
    CHECK_MEM(r->values[0].u.s, r->values[0].len, "second"); /* the last value is used */
    CHECK_INT(r->values[1].type, SL_V_NULL);

    sl_batch_free(&b);
    sl_mapping_free(&m);
    sl_labels_free(&l);
    sl_schema_free(s);
}

TEST(cast_type_error_message_not_redundant)
{
    /* "meta: an object is not of type string (an object)" says the kind twice */
    static const char *const spec[] = {"meta", "string", NULL};
    static const char *const h[] = {"meta", NULL};
    struct sl_schema *s = schema_of(spec);
    struct sl_labels l;
    struct sl_mapping m;
    struct sl_batch b;

    labels_of(&l, h);
    sl_mapping_init(&m);
    sl_mapping_update(&m, s, &l);
    sl_batch_init(&b);
    struct sl_cell r1[] = {cell(SL_CELL_OBJECT, "{\"k\":1}", 0)};
    add_row(&b, r1, 1);
    sl_cast_batch(s, &m, &l, &b);
    const struct sl_issue *is = find_issue(&b.rows[0], "type-error");
    CHECK(is != NULL);
    if (is) {
        const char *first = strstr(is->message, "an object");
        CHECK(first != NULL);
        if (first) CHECK(strstr(first + 1, "an object") == NULL);
        if (unit_failures) fprintf(stderr, "  message: %s\n", is->message);
    }
    sl_batch_free(&b);
    sl_mapping_free(&m);
    sl_labels_free(&l);
    sl_schema_free(s);
}

TEST(cast_duplicate_key_null_last_value_checks_pk)
{
    /* {"id":"abc","id":null}: the last value (null) is used, so the key is null */
    static const char *const spec[] = {"id", "string", NULL};
    static const char *const h[] = {"id", NULL};
    struct sl_schema *s = schema_of(spec);
    struct sl_labels l;
    struct sl_mapping m;
    struct sl_batch b;
    struct sl_error err = {0};
    const char *pk[] = {"id"};

    CHECK_INT(sl_schema_set_pk(s, pk, 1, &err), 0);
    labels_of(&l, h);
    sl_mapping_init(&m);
    sl_mapping_update(&m, s, &l);
    sl_batch_init(&b);
    struct sl_cell r1[] = {str("abc", 0), cell(SL_CELL_NULL, NULL, 0)};
    add_row(&b, r1, 2);
    sl_cast_batch(s, &m, &l, &b);
    CHECK_INT(b.rows[0].values[0].type, SL_V_NULL);
    CHECK(find_issue(&b.rows[0], "constraint-error") != NULL);
    CHECK_INT(b.rows[0].status, SL_ROW_INVALID);
    sl_batch_free(&b);
    sl_mapping_free(&m);
    sl_labels_free(&l);
    sl_schema_free(s);
}

TEST(cast_mapping_by_label_and_position)
{
    static const char *const spec[] = {"id",     "integer", "field_2", "string",
                                       "Name_2", "string",  NULL};
    static const char *const h[] = {" id", "", "name", "Name", "zzz", NULL};
    struct sl_schema *s = schema_of(spec);
    struct sl_labels l;
    struct sl_mapping m;

    labels_of(&l, h);
    sl_mapping_init(&m);
    sl_mapping_update(&m, s, &l);
    CHECK_INT(m.n, 5);
    CHECK_INT(m.field[0], 0); /* " id" → id */
    CHECK_INT(m.field[1], 1); /* "" → field_2 */
    CHECK_INT(m.field[2], -1);
    CHECK_INT(m.field[3], 2); /* the second "name" → Name_2 */
    CHECK_INT(m.field[4], -1);
    /* a new key met later: the mapping grows */
    sl_labels_push(&l, "id", 2);
    sl_mapping_update(&m, s, &l);
    CHECK_INT(m.n, 6);
    sl_mapping_free(&m);

    sl_mapping_init(&m);
    m.by_position = 1;
    sl_mapping_update(&m, s, &l);
    CHECK_INT(m.n, 6);
    CHECK_INT(m.field[0], 0);
    CHECK_INT(m.field[1], 1);
    CHECK_INT(m.field[2], 2);
    CHECK_INT(m.field[3], -1);
    CHECK_INT(m.field[5], -1);
    sl_mapping_free(&m);
    sl_labels_free(&l);
    sl_schema_free(s);
}

/* ---- schema model and files ----------------------------------------------------------------- */

TEST(schema_model_basics)
{
    struct sl_schema *s = sl_schema_new();
    struct sl_error err = {0};
    CHECK_INT(s->nmissing, 1);
    CHECK_STR(s->missing[0], "");
    CHECK_INT(sl_schema_add(s, "a", NULL, SL_TYPE_INTEGER), 0);
    CHECK_INT(sl_schema_add(s, "b", "B!", SL_TYPE_STRING), 1);
    CHECK_STR(s->fields[0].label, "a");
    CHECK_STR(s->fields[1].label, "B!");
    CHECK_INT(sl_schema_find(s, "b"), 1);
    CHECK_INT(sl_schema_find(s, "B"), 1); /* SQL names ignore case */
    CHECK_INT(sl_schema_find(s, "c"), -1);
    const char *bad[] = {"a", "nope"};
    CHECK_INT(sl_schema_set_pk(s, bad, 2, &err), SL_ECONFIG);
    CHECK(strstr(err.msg, "nope") != NULL);
    CHECK_INT(s->npk, 0);
    const char *good[] = {"b", "a"};
    CHECK_INT(sl_schema_set_pk(s, good, 2, &err), 0);
    CHECK_INT(s->npk, 2);
    CHECK_INT(s->pk[0], 1);
    struct sl_schema *c = sl_schema_copy(s);
    CHECK(same_schema(s, c));
    CHECK_STR(c->fields[1].label, "B!");
    sl_schema_free(c);
    sl_schema_free(s);
    sl_schema_free(NULL);
}

TEST(schema_load_yaml_and_json)
{
    char *dir = tmp_dir();
    struct sl_schema *s = NULL;
    struct sl_error err = {0};
    char *y = write_file(dir, "s.yaml",
                         "fields:\n"
                         "  - name: id\n"
                         "    type: integer\n"
                         "    constraints:\n"
                         "      required: true\n"
                         "  - name: when\n"
                         "    type: datetime\n"
                         "    format: default\n"
                         "    title: When\n"
                         "  - name: note\n"
                         "primaryKey: id\n"
                         "missingValues: ['', NA, '-']\n");
    CHECK_INT(sl_schema_load(y, &s, &err), 0);
    CHECK(s != NULL);
    if (s) {
        CHECK_INT(s->nfields, 3);
        CHECK_INT(s->fields[0].type, SL_TYPE_INTEGER);
        CHECK_INT(s->fields[0].required, 1);
        CHECK_INT(s->fields[1].type, SL_TYPE_DATETIME);
        CHECK_INT(s->fields[2].type, SL_TYPE_STRING); /* type defaults to string */
        CHECK_INT(s->npk, 1);
        CHECK_INT(s->pk[0], 0);
        CHECK_INT(s->nmissing, 3);
        CHECK_STR(s->missing[1], "NA");
        CHECK_STR(s->path, y);
    }
    sl_schema_free(s);

    char *j =
        write_file(dir, "s.json",
                   "{\"fields\":[{\"name\":\"a\",\"type\":\"string\"},"
                   "{\"name\":\"b\",\"type\":\"number\",\"constraints\":{\"required\":false}}],"
                   "\"primaryKey\":[\"a\",\"b\"]}");
    CHECK_INT(sl_schema_load(j, &s, &err), 0);
    CHECK(s != NULL);
    if (s) {
        CHECK_INT(s->nfields, 2);
        CHECK_INT(s->fields[1].type, SL_TYPE_NUMBER);
        CHECK_INT(s->fields[1].required, 0);
        CHECK_INT(s->npk, 2);
        CHECK_INT(s->pk[1], 1);
        CHECK_INT(s->nmissing, 1);
    }
    sl_schema_free(s);
    free(y);
    free(j);
    rm_dir(dir);
}

/* Loads text as a schema file named name; returns the rc, with the message in err. */
static int load_text(const char *dir, const char *name, const char *text, struct sl_error *err)
{
    struct sl_schema *s = (struct sl_schema *)1;
    char *p = write_file(dir, name, text);
    int rc = sl_schema_load(p, &s, err);
    if (rc) CHECK(s == NULL);
    sl_schema_free(s);
    free(p);
    return rc;
}

TEST(schema_load_errors)
{
    char *dir = tmp_dir();
    struct sl_error err = {0};

    CHECK_INT(load_text(dir, "u.yaml", "fields:\n  - name: a\n    typ: string\n", &err),
              SL_ECONFIG);
    CHECK(strstr(err.msg, "u.yaml:3") != NULL);
    CHECK(strstr(err.msg, "typ") != NULL);

    CHECK_INT(load_text(dir, "k.yaml", "fields: []\nprimarykey: a\n", &err), SL_ECONFIG);
    CHECK(strstr(err.msg, "k.yaml:2") != NULL);
    CHECK(strstr(err.msg, "primarykey") != NULL);

    CHECK_INT(load_text(dir, "t.yaml", "fields:\n  - name: a\n    type: int\n", &err), SL_ECONFIG);
    CHECK(strstr(err.msg, "t.yaml:3") != NULL);
    CHECK(strstr(err.msg, "'int'") != NULL);

    CHECK_INT(load_text(dir, "c.yaml", "fields:\n  - name: a\n    constraints:\n      minimum: 3\n",
                        &err),
              SL_ECONFIG);
    CHECK(strstr(err.msg, "c.yaml:4") != NULL);
    CHECK(strstr(err.msg, "minimum") != NULL);

    CHECK_INT(load_text(dir, "f.yaml",
                        "fields:\n  - name: d\n    type: date\n    format: 'dd/mm/yyyy'\n", &err),
              SL_ECONFIG);
    CHECK(strstr(err.msg, "f.yaml:4") != NULL);
    CHECK(strstr(err.msg, "format") != NULL);
    CHECK_INT(load_text(dir, "f2.yaml",
                        "fields:\n  - name: d\n    type: date\n    format: '%d/%m/%Q'\n", &err),
              SL_ECONFIG);
    CHECK(strstr(err.msg, "directive") != NULL);
    CHECK_INT(load_text(dir, "f4.yaml",
                        "fields:\n  - name: d\n    type: date\n    format: '%d/%m'\n", &err),
              SL_ECONFIG);
    CHECK(strstr(err.msg, "needs a year") != NULL);
    CHECK_INT(load_text(dir, "f5.yaml",
                        "fields:\n  - name: t\n    type: time\n    format: '%I:%M'\n", &err),
              SL_ECONFIG);
    CHECK(strstr(err.msg, "%p") != NULL);
    CHECK_INT(load_text(dir, "f6.yaml",
                        "fields:\n  - name: t\n    type: duration\n    constraints: {maximum: "
                        "P1D}\n",
                        &err),
              SL_ECONFIG);
    CHECK_INT(load_text(dir, "f3.yaml",
                        "fields:\n  - name: d\n    type: integer\n    format: email\n", &err),
              SL_ECONFIG);

    CHECK_INT(load_text(dir, "p.yaml", "fields:\n  - name: a\nprimaryKey: [a, b]\n", &err),
              SL_ECONFIG);
    CHECK(strstr(err.msg, "p.yaml:3") != NULL);
    CHECK(strstr(err.msg, "'b'") != NULL);

    CHECK_INT(load_text(dir, "d.yaml", "fields:\n  - name: a\n  - name: a\n", &err), SL_ECONFIG);
    CHECK(strstr(err.msg, "twice") != NULL);

    CHECK_INT(load_text(dir, "n.yaml", "name: x\n", &err), SL_ECONFIG);
    CHECK(strstr(err.msg, "fields") != NULL);

    CHECK_INT(load_text(dir, "fk.json",
                        "{\"fields\":[{\"name\":\"a\"}],\"foreignKeys\":[{\"fields\":\"b\","
                        "\"reference\":{\"resource\":\"x\",\"fields\":\"id\"}}]}",
                        &err),
              SL_ECONFIG);
    CHECK(strstr(err.msg, "foreignKeys[0].fields") != NULL);
    CHECK(strstr(err.msg, "'b'") != NULL);
    CHECK_INT(
        load_text(dir, "r.yaml", "fields:\n  - name: a\nx-sluice:\n  rules:\n    - a >= \n", &err),
        SL_ECONFIG);
    CHECK(strstr(err.msg, "r.yaml:5") != NULL);
    CHECK_INT(
        load_text(dir, "sv.yaml", "fields:\n  - name: a\n    x-sluice: {severity: fatal}\n", &err),
        SL_ECONFIG);
    CHECK(strstr(err.msg, "error or warning") != NULL);

    CHECK_INT(load_text(dir, "j.json", "{\"fields\":[{\"name\":\"a\",\"type\":\"strin\"}]}", &err),
              SL_ECONFIG);
    CHECK(strstr(err.msg, "j.json:1") != NULL);

    CHECK_INT(load_text(dir, "r.yaml",
                        "fields:\n  - name: a\n    constraints:\n      required: maybe\n", &err),
              SL_ECONFIG);
    rm_dir(dir);
}

/* A file that cannot be read or parsed: an error, and nothing leaks (run under ASan). */
TEST(schema_load_unreadable_no_leak)
{
    char *dir = tmp_dir();
    struct sl_error err = {0};
    struct sl_schema *s = NULL;
    char *missing = sl_xasprintf("%s/none.yaml", dir);
    CHECK(sl_schema_load(missing, &s, &err) < 0);
    CHECK(s == NULL);
    CHECK(strstr(err.msg, "none.yaml") != NULL);
    free(missing);
    CHECK(load_text(dir, "bad.yaml", "fields: [\n", &err) < 0);
    CHECK(strstr(err.msg, "bad.yaml") != NULL);
    rm_dir(dir);
}

TEST(schema_from_json_syntax_error_no_leak)
{
    struct sl_schema *back = NULL;
    struct sl_error err = {0};
    CHECK(sl_schema_from_json("{\"fields\":", &back, &err) < 0);
    CHECK(back == NULL);
}

static struct sl_schema *sample_schema(void)
{
    struct sl_schema *s = sl_schema_new();
    struct sl_error err = {0};
    sl_schema_add(s, "id", NULL, SL_TYPE_INTEGER);
    sl_schema_add(s, "full name", NULL, SL_TYPE_STRING);
    sl_schema_add(s, "true", NULL, SL_TYPE_BOOLEAN);
    sl_schema_add(s, "2024", NULL, SL_TYPE_NUMBER);
    sl_schema_add(s, "quote\"d: x", NULL, SL_TYPE_DATETIME);
    sl_schema_add(s, "-dash", NULL, SL_TYPE_OBJECT);
    sl_schema_add(s, "null", NULL, SL_TYPE_ANY);
    sl_schema_add(s, "empty", NULL, SL_TYPE_NULL); /* written as string */
    s->fields[1].required = 1;
    const char *pk[] = {"id", "true"};
    sl_schema_set_pk(s, pk, 2, &err);
    for (size_t i = 0; i < s->nmissing; i++) free(s->missing[i]);
    free(s->missing);
    s->missing = sl_xcalloc(3, sizeof *s->missing);
    s->missing[0] = sl_xstrdup("");
    s->missing[1] = sl_xstrdup("n/a");
    s->missing[2] = sl_xstrdup("null");
    s->nmissing = 3;
    return s;
}

TEST(schema_json_round_trip)
{
    struct sl_schema *s = sample_schema(), *back = NULL;
    struct sl_buf b = SL_BUF_INIT, b2 = SL_BUF_INIT;
    struct sl_error err = {0};

    sl_schema_to_json(s, &b);
    CHECK_INT(sl_schema_from_json(b.p, &back, &err), 0);
    CHECK(back != NULL);
    if (back) {
        s->fields[7].type = SL_TYPE_STRING;
        CHECK(same_schema(s, back));
        sl_schema_to_json(back, &b2);
        CHECK_STR(b2.p, b.p); /* stable */
    }
    sl_schema_free(back);
    sl_buf_free(&b);
    sl_buf_free(&b2);

    /* defaults are not written */
    struct sl_schema *e = sl_schema_new();
    sl_schema_add(e, "a", NULL, SL_TYPE_STRING);
    sl_schema_to_json(e, &b);
    CHECK_STR(b.p, "{\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");
    sl_buf_free(&b);
    sl_schema_free(e);

    sl_schema_free(s);
}

TEST(schema_yaml_round_trip)
{
    char *dir = tmp_dir();
    struct sl_schema *s = sample_schema(), *back = NULL;
    struct sl_buf b = SL_BUF_INIT;
    struct sl_error err = {0};

    sl_schema_to_yaml(s, &b);
    char *p = write_file(dir, "out.yaml", b.p);
    CHECK_INT(sl_schema_load(p, &back, &err), 0);
    if (err.msg[0]) fprintf(stderr, "  %s\n%s", err.msg, b.p);
    CHECK(back != NULL);
    if (back) {
        s->fields[7].type = SL_TYPE_STRING;
        CHECK(same_schema(s, back));
    }
    sl_schema_free(back);
    sl_buf_free(&b);
    free(p);
    sl_schema_free(s);
    rm_dir(dir);
}

TEST(schema_yaml_round_trip_no_fields)
{
    /* an empty input infers a schema with no fields; `infer` writes it as YAML */
    char *dir = tmp_dir();
    struct sl_schema *s = sl_schema_new(), *back = NULL;
    struct sl_buf b = SL_BUF_INIT;
    struct sl_error err = {0};

    sl_schema_to_yaml(s, &b);
    char *p = write_file(dir, "empty.yaml", b.p);
    CHECK_INT(sl_schema_load(p, &back, &err), 0);
    if (err.msg[0]) fprintf(stderr, "  %s\n", err.msg);
    if (back) CHECK_INT(back->nfields, 0);
    sl_schema_free(back);
    sl_buf_free(&b);
    free(p);
    sl_schema_free(s);
    rm_dir(dir);
}

TEST(schema_merge)
{
    struct sl_schema *silver = sl_schema_new(), *load = sl_schema_new(), *m;
    int changed = -1;

    sl_schema_add(silver, "id", NULL, SL_TYPE_INTEGER);
    sl_schema_add(silver, "name", NULL, SL_TYPE_STRING);
    sl_schema_add(load, "name", NULL, SL_TYPE_STRING);
    sl_schema_add(load, "id", NULL, SL_TYPE_INTEGER);

    m = sl_schema_merge(silver, load, &changed);
    CHECK_INT(changed, 0);
    CHECK(same_schema(m, silver));
    sl_schema_free(m);

    /* a narrower type in the load changes nothing */
    load->fields[0].type = SL_TYPE_INTEGER;
    m = sl_schema_merge(silver, load, &changed);
    CHECK_INT(changed, 0);
    CHECK_INT(m->fields[1].type, SL_TYPE_STRING);
    sl_schema_free(m);

    sl_schema_add(load, "email", NULL, SL_TYPE_STRING);
    m = sl_schema_merge(silver, load, &changed);
    CHECK_INT(changed, 1);
    CHECK_INT(m->nfields, 3);
    CHECK_STR(m->fields[2].name, "email");
    sl_schema_free(m);

    load->fields[1].type = SL_TYPE_NUMBER; /* id: integer → number */
    m = sl_schema_merge(silver, load, &changed);
    CHECK_INT(changed, 2);
    CHECK_INT(m->fields[0].type, SL_TYPE_NUMBER);
    CHECK_INT(m->nfields, 3);
    sl_schema_free(m);

    CHECK_INT(silver->fields[0].type, SL_TYPE_INTEGER); /* inputs untouched */
    sl_schema_free(silver);
    sl_schema_free(load);
}

TEST(schema_merge_names_case_insensitive)
{
    /* SQL sees "Name" and "name" as one column: merging must not add a second one */
    struct sl_schema *silver = sl_schema_new(), *load = sl_schema_new(), *m;
    int changed = -1;
    sl_schema_add(silver, "Name", NULL, SL_TYPE_STRING);
    sl_schema_add(load, "name", NULL, SL_TYPE_STRING);
    m = sl_schema_merge(silver, load, &changed);
    CHECK_INT(m->nfields, 1);
    CHECK_INT(changed, 0);
    sl_schema_free(m);
    sl_schema_free(silver);
    sl_schema_free(load);
}

TEST(cast_integer_reasons)
{
    struct sl_value v;
    const char *why = "x";
    struct sl_cell c;

    /* "nan" is no integer, but it is not out of the 64-bit range either */
    c = str("nan", 0);
    CHECK_INT(cast1(SL_TYPE_INTEGER, &c, &v, &why), -1);
    CHECK(why == NULL);
    c = str("-9223372036854775809", 0);
    CHECK_INT(cast1(SL_TYPE_INTEGER, &c, &v, &why), -1);
    CHECK(why && strstr(why, "64-bit"));
    c = str("1e5", 0);
    CHECK_INT(cast1(SL_TYPE_INTEGER, &c, &v, &why), -1);
    CHECK(why == NULL);
}

TEST(cast_out_of_range_message_shows_value)
{
    static const char *const spec[] = {"n", "integer", NULL};
    static const char *const h[] = {"n", NULL};
    static const char *const r1[] = {"99999999999999999999", NULL};
    struct sl_schema *s = schema_of(spec);
    struct sl_labels l;
    struct sl_mapping m;
    struct sl_batch b;

    labels_of(&l, h);
    sl_mapping_init(&m);
    sl_mapping_update(&m, s, &l);
    sl_batch_init(&b);
    csv_row(&b, r1);
    sl_cast_batch(s, &m, &l, &b);
    const struct sl_issue *is = find_issue(&b.rows[0], "type-error");
    CHECK(is != NULL);
    if (is) {
        CHECK(strstr(is->message, "64-bit") != NULL);
        /* "n: a string is not of type integer (...)" hides which value it was */
        CHECK(strstr(is->message, "99999999999999999999") != NULL);
        if (unit_failures) fprintf(stderr, "  message: %s\n", is->message);
    }
    sl_batch_free(&b);
    sl_mapping_free(&m);
    sl_labels_free(&l);
    sl_schema_free(s);
}

TEST(names_invalid_utf8_becomes_replacement_char)
{
    const char *labels[] = {"ok\xc3\xa9", "bad\xff\xfe", "x\x01y"};
    struct sl_renames r = {0};
    char **names = sl_names_normalize(labels, NULL, 3, &r);
    CHECK_STR(names[0], "ok\xc3\xa9");
    CHECK_STR(names[1], "bad\xef\xbf\xbd\xef\xbf\xbd");
    CHECK_STR(names[2], "x y");
    CHECK_INT(r.n, 2);
    sl_names_free(names, 3);
    sl_renames_free(&r);
}

/* ---- Table Schema: formats, constraints, rules, keys ---------------------------------------- */

#include "schema/checks.h"
#include "sluice/keyset.h"

static int dt(int type, int fmt, const char *pattern, const char *in, char *out)
{
    size_t n;
    return sl__datetime_cast(type, fmt, pattern, in, strlen(in), out, 64, &n);
}

TEST(schema_datetime_canonical)
{
    char o[64];
    CHECK_INT(dt(SL_TYPE_DATETIME, SL_FMT_DEFAULT, NULL, "2026-11-01T09:30:00+01:00", o), 0);
    CHECK_STR(o, "2026-11-01T08:30:00Z");
    CHECK_INT(dt(SL_TYPE_DATETIME, SL_FMT_DEFAULT, NULL, "2026-01-01T00:30:00+0100", o), 0);
    CHECK_STR(o, "2025-12-31T23:30:00Z"); /* across a year */
    CHECK_INT(dt(SL_TYPE_DATETIME, SL_FMT_DEFAULT, NULL, "2024-02-28T23:00:00-02", o), 0);
    CHECK_STR(o, "2024-02-29T01:00:00Z"); /* into a leap day */
    CHECK_INT(dt(SL_TYPE_DATETIME, SL_FMT_DEFAULT, NULL, "2026-11-01 10:00", o), 0);
    CHECK_STR(o, "2026-11-01T10:00:00"); /* naive stays naive */
    CHECK_INT(dt(SL_TYPE_DATETIME, SL_FMT_DEFAULT, NULL, "2026-11-01T10:00:00.123Z", o), 0);
    CHECK_STR(o, "2026-11-01T10:00:00.123Z");
    CHECK(dt(SL_TYPE_DATETIME, SL_FMT_DEFAULT, NULL, "2026-11-01T25:00:00", o) < 0);
    CHECK_INT(dt(SL_TYPE_DATE, SL_FMT_PATTERN, "%d/%m/%Y", "01/02/1990", o), 0);
    CHECK_STR(o, "1990-02-01");
    CHECK(dt(SL_TYPE_DATE, SL_FMT_PATTERN, "%d/%m/%Y", "31/02/1990", o) < 0);
    CHECK(dt(SL_TYPE_DATE, SL_FMT_PATTERN, "%d/%m/%Y", "01/02/1990 ", o) < 0); /* whole value */
    CHECK_INT(dt(SL_TYPE_DATETIME, SL_FMT_PATTERN, "%b %d, %Y %I:%M %p", "Nov 23, 2026 9:15 PM", o),
              0);
    CHECK_STR(o, "2026-11-23T21:15:00");
    CHECK_INT(dt(SL_TYPE_DATE, SL_FMT_ANY, NULL, "23 November 2026", o), 0);
    CHECK_STR(o, "2026-11-23");
    CHECK(dt(SL_TYPE_DATE, SL_FMT_ANY, NULL, "01/02/2026", o) < 0); /* ambiguous: not guessed */
    CHECK_INT(dt(SL_TYPE_TIME, SL_FMT_ANY, NULL, "12:05 AM", o), 0);
    CHECK_STR(o, "00:05:00");
    CHECK_INT(dt(SL_TYPE_DATETIME, SL_FMT_ANY, NULL, "2026/11/23 21:15 +05:30", o), 0);
    CHECK_STR(o, "2026-11-23T15:45:00Z");
}

TEST(schema_durations_and_formats)
{
    const char *why;
    CHECK_INT(sl__parse_duration("P1Y2M3DT4H5M6.5S", 16), 0);
    CHECK_INT(sl__parse_duration("PT30M", 5), 0);
    CHECK_INT(sl__parse_duration("P2W", 3), 0);
    CHECK(sl__parse_duration("P", 1) < 0);
    CHECK(sl__parse_duration("PT", 2) < 0);
    CHECK(sl__parse_duration("P1.5DT1H", 8) < 0); /* a fraction only on the last unit */
    CHECK(sl__parse_duration("P1H", 3) < 0);      /* hours after T */
    CHECK_INT(sl__is_email("a.b+c@ex-ample.co.uk", 20), 0);
    CHECK(sl__is_email("a..b@example.com", 16) < 0);
    CHECK(sl__is_email("a@localhost", 11) < 0);
    CHECK(sl__is_email("a@-x.com", 8) < 0);
    CHECK_INT(sl__is_uri("urn:isbn:0451450523", 19), 0);
    CHECK(sl__is_uri("http://a b", 10) < 0);
    CHECK(sl__is_uri("1http://x", 9) < 0);
    CHECK_INT(sl__is_uuid("123e4567-e89b-12d3-a456-426614174000", 36), 0);
    CHECK(sl__is_uuid("123e4567e89b12d3a456426614174000", 32) < 0);
    CHECK_INT(sl__is_base64("", 0), 0);
    CHECK_INT(sl__is_base64("YQ==", 4), 0);
    CHECK(sl__is_base64("Y===", 4) == 0 || 1); /* shape only */
    CHECK(sl__is_base64("YQ=a", 4) < 0);
    CHECK_INT(sl__is_phone("+4930123456", 11, &why), 0);
    CHECK(sl__is_phone("+49 30 123456", 13, &why) < 0);
    CHECK(strstr(why, "spaces") != NULL);
    CHECK(sl__is_phone("+1234567", 8, &why) < 0); /* 7 digits */
    CHECK(sl__is_phone("+0123456789", 11, &why) < 0);
    CHECK(sl__is_phone("4930123456", 10, &why) < 0);
}

/* A schema from YAML text, or NULL (err filled). */
static struct sl_schema *schema_text(const char *text, struct sl_error *err)
{
    char *dir = tmp_dir();
    char *p = write_file(dir, "s.yaml", text);
    struct sl_schema *s = NULL;
    sl_schema_load(p, &s, err);
    free(p);
    rm_dir(dir);
    return s;
}

/* Casts one CSV row (cells by schema position) and returns the issues as "code/constraint;". */
static char *check_row(const struct sl_schema *s, const char *const *cells, size_t n)
{
    struct sl_batch b;
    struct sl_labels labels;
    struct sl_mapping m;
    struct sl_buf out = SL_BUF_INIT;
    sl_batch_init(&b);
    sl_labels_init(&labels);
    sl_mapping_init(&m);
    for (size_t i = 0; i < s->nfields; i++)
        sl_labels_push(&labels, s->fields[i].name, strlen(s->fields[i].name));
    sl_mapping_update(&m, s, &labels);
    struct sl_row *r = sl_batch_add_row(&b);
    r->cells = sl_arena_zalloc(&b.arena, n * sizeof *r->cells);
    r->ncells = (uint32_t)n;
    for (size_t i = 0; i < n; i++) {
        r->cells[i].p = cells[i];
        r->cells[i].len = (uint32_t)strlen(cells[i]);
        r->cells[i].col = (uint32_t)i;
    }
    sl_cast_batch(s, &m, &labels, &b);
    for (const struct sl_issue *i = b.rows[0].issues; i; i = i->next)
        sl_buf_addf(&out, "%s%s/%s%s", out.len ? ";" : "", i->code,
                    i->constraint ? i->constraint : "-", i->severity == SL_ROW_WARNING ? "!" : "");
    char *res = sl_xstrdup(out.len ? out.p : "");
    sl_buf_free(&out);
    sl_mapping_free(&m);
    sl_labels_free(&labels);
    sl_batch_free(&b);
    return res;
}

#define CHECK_ROW(s, want, ...)                                              \
    do {                                                                     \
        const char *cells_[] = {__VA_ARGS__};                                \
        char *got_ = check_row(s, cells_, sizeof cells_ / sizeof cells_[0]); \
        CHECK_STR(got_, want);                                               \
        free(got_);                                                          \
    } while (0)

TEST(schema_constraints_and_rules)
{
    struct sl_error err = {0};
    struct sl_schema *s = schema_text(
        "fields:\n"
        "  - {name: n, type: integer, constraints: {minimum: 0, maximum: 10}, x-sluice: {severity: "
        "{maximum: warning}}}\n"
        "  - {name: c, type: string, constraints: {pattern: '[a-c]+', minLength: 2, maxLength: "
        "3}}\n"
        "  - {name: e, type: integer, constraints: {enum: [1, 2]}}\n"
        "  - {name: d, type: date, constraints: {minimum: '2020-01-01'}}\n"
        "  - {name: amt, type: number, decimalChar: ',', groupChar: ' ', bareNumber: false}\n"
        "  - {name: ok, type: boolean, trueValues: [oui], falseValues: [non]}\n"
        "  - {name: s, type: string}\n"
        "x-sluice:\n"
        "  rules:\n"
        "    - n + e <= 11\n"
        "    - {name: r, required_if: {field: s, when: \"c == 'ab' and not (e = 2)\"}, severity: "
        "warning}\n",
        &err);
    CHECK(s != NULL);
    if (!s) {
        fprintf(stderr, "  %s\n", err.msg);
        return;
    }
    CHECK_ROW(s, "", "5", "ab", "01", "2020-01-01", "€ 1 234,5", "oui", "x");
    CHECK_ROW(s, "constraint-error/minimum", "-1", "ab", "1", "2021-02-03", "1", "non", "x");
    CHECK_ROW(s, "constraint-error/maximum!;row-constraint/n + e <= 11", "11", "ab", "1",
              "2021-02-03", "1", "non", "x");
    CHECK_ROW(s, "constraint-error/pattern", "1", "abd", "1", "2021-02-03", "1", "non", "x");
    CHECK_ROW(s, "constraint-error/minLength;constraint-error/pattern", "1", "d", "1", "2021-02-03",
              "1", "non", "x");
    CHECK_ROW(s, "constraint-error/enum", "1", "ab", "3", "2021-02-03", "1", "non", "x");
    CHECK_ROW(s, "constraint-error/minimum", "1", "ab", "1", "2019-12-31", "1", "non", "x");
    CHECK_ROW(s, "type-error/-", "1", "ab", "1", "2021-02-03", "1.5", "non", "x"); /* '.' */
    CHECK_ROW(s, "type-error/-", "1", "ab", "1", "2021-02-03", "1", "true", "x");
    CHECK_ROW(s, "row-constraint/r!", "1", "ab", "1", "2021-02-03", "1", "oui", "");
    CHECK_ROW(s, "", "1", "ab", "2", "2021-02-03", "1", "oui", ""); /* when is false */
    CHECK_ROW(s, "", "", "ab", "2", "2021-02-03", "1", "oui", "x"); /* missing: rule unknown */

    /* the JSON form reads back to the same checks */
    struct sl_buf j = SL_BUF_INIT;
    sl_schema_to_json(s, &j);
    struct sl_schema *back = NULL;
    CHECK_INT(sl_schema_from_json(j.p, &back, &err), 0);
    if (back) {
        struct sl_buf j2 = SL_BUF_INIT;
        sl_schema_to_json(back, &j2);
        CHECK_STR(j2.p, j.p);
        CHECK_ROW(back, "constraint-error/maximum!;row-constraint/n + e <= 11", "11", "ab", "1",
                  "2021-02-03", "1", "non", "x");
        struct sl_schema *copy = sl_schema_copy(back);
        struct sl_buf j3 = SL_BUF_INIT;
        sl_schema_to_json(copy, &j3);
        CHECK_STR(j3.p, j.p);
        sl_buf_free(&j3);
        sl_schema_free(copy);
        sl_buf_free(&j2);
        sl_schema_free(back);
    }
    sl_buf_free(&j);
    sl_schema_free(s);
}

TEST(keyset_exact_in_memory_and_on_disk)
{
    struct sl_error err = {0};
    for (int pass = 0; pass < 2; pass++) {
        struct sl_keyset *k = NULL;
        /* pass 1: a tiny budget, so most keys are spilled to disk */
        CHECK_INT(sl_keyset_open(&k, pass ? 1 : 0, &err), 0);
        char key[32];
        int dups = 0;
        for (int i = 0; i < 60000; i++) {
            int n = snprintf(key, sizeof key, "k%d", i % 50000);
            int rc = sl_keyset_add(k, i % 3 == 0 ? 1 : 0, key, (size_t)n, &err);
            CHECK(rc >= 0);
            dups += rc == 0;
        }
        /* i and i + 50000 share a key only when they fall in the same space */
        int want = 0;
        for (int i = 50000; i < 60000; i++) want += (i % 3 == 0) == ((i - 50000) % 3 == 0);
        CHECK_INT(dups, want);
        CHECK_INT(sl_keyset_has(k, 0, "k1", 2, &err), 1);
        CHECK_INT(sl_keyset_has(k, 1, "k2", 2, &err), 0); /* i = 2 and 50002: space 0 only */
        CHECK_INT(sl_keyset_has(k, 0, "k50000", 6, &err), 0);
        if (pass) CHECK(sl_keyset_spilled(k) > 0);
        CHECK_INT(sl_keyset_count(k), 60000 - want);
        sl_keyset_close(k);
    }
}

/* A store's name rules (issue 13, item 13): PostgreSQL's system column names and names equal in
 * their first 63 bytes get suffixes as repeats do; without rules (SQLite) they stay. */
TEST(names_store_rules)
{
    char l70[71], l70b[71];
    memset(l70, 'a', 70);
    l70[70] = 0;
    memcpy(l70b, l70, sizeof l70b);
    l70b[69] = 'b';
    const char *labels[] = {"ctid", "XMIN", l70, l70b, "ctid", "oid_x"};
    struct sl_renames r = {0};
    char **n;

    sl_names_set_rules(sl_store_postgres.name_rules);
    n = sl_names_normalize(labels, NULL, 6, &r);
    CHECK_STR(n[0], "ctid_2");
    CHECK_STR(n[1], "XMIN_2");
    CHECK_STR(n[2], l70); /* only long: kept whole */
    CHECK_INT(strlen(n[3]), 63);
    CHECK(!strncmp(n[3], l70, 61) && !strcmp(n[3] + 61, "_2"));
    CHECK_STR(n[4], "ctid_3");
    CHECK_STR(n[5], "oid_x");
    CHECK_INT(r.n, 4);
    sl_names_free(n, 6);
    sl_renames_free(&r);
    sl_names_set_rules(NULL);
    n = sl_names_normalize(labels, NULL, 6, &r);
    CHECK_STR(n[0], "ctid");
    CHECK_STR(n[1], "XMIN");
    CHECK_STR(n[3], l70b);
    CHECK_STR(n[4], "ctid_2");
    CHECK_INT(r.n, 1);
    sl_names_free(n, 6);
    sl_renames_free(&r);
}
