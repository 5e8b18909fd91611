/* libFuzzer target: value casts and parsers — every Table Schema type (with and without a
 * format) over a cell of each JSON kind, the inference of a cell, and the text parsers behind
 * them (integers, numbers, booleans, dates, times, datetimes, years, sizes), and HTTP dates
 * and Retry-After values (src/core/time.c, src/io/http.c). */
#include "fuzz.h"
#include "schema/value.h"
#include "sluice/http.h"
#include "sluice/time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *formats[] = {NULL, "default", "any", "%Y-%m-%d", "%d/%m/%Y %H:%M"};
    struct sl_arena a;
    struct sl_cell c;
    struct sl_value v;
    struct sl_field f;
    const char *why;
    int64_t i64;
    double d;
    int b;

    if (size < 1) return 0;
    uint8_t k = data[0];
    /* a copy of exactly the value's bytes, so a read past the end is caught */
    char *p = malloc(size - 1 ? size - 1 : 1);
    size_t n = size - 1;
    memcpy(p, data + 1, n);

    sl_arena_init(&a, 0);
    memset(&c, 0, sizeof c);
    c.p = p;
    c.len = (uint32_t)n;
    c.kind = k % 7;
    sl_infer_cell(&c);
    for (int t = SL_TYPE_BOOLEAN; t < SL_TYPE_COUNT; t++) {
        memset(&f, 0, sizeof f);
        f.name = f.label = "f";
        f.type = t;
        f.format = (char *)formats[(k >> 3) % 5];
        why = NULL;
        int rc = sl_cast_cell(&f, &c, &a, &v, &why);
        FUZZ_CHECK(rc >= -1 && rc <= 1);
        if (rc >= 0 && v.type == SL_V_TEXT) fuzz_touch(v.u.s, v.len);
        if (why) fuzz_touch(why, strlen(why));
    }
    sl__parse_int(p, n, 0, &i64);
    sl__parse_int(p, n, 1, &i64);
    if (sl_parse_number(p, n, 1, &d) == 0) FUZZ_CHECK(sl__number_exact(p, n, d));
    sl_parse_number(p, n, 0, &d);
    sl__parse_bool(p, n, 0, &b);
    sl__parse_date(p, n);
    sl__parse_time(p, n);
    sl__parse_datetime(p, n);
    sl__parse_year(p, n, &i64);
    sl__parse_yearmonth(p, n);
    {
        int64_t t;
        if (sl_time_parse_http_date(p, n, &t) == 0) /* years 0000..9999 */
            FUZZ_CHECK(t >= -62167219200LL && t < 253402300800LL);
        FUZZ_CHECK(sl_http_retry_after(p, n) >= -1);
    }
    /* sizes in config ("64MiB") are NUL-terminated strings */
    char *s = sl_xstrndup(p, n);
    sl_parse_size(s);
    free(s);
    sl_arena_free(&a);
    free(p);
    return 0;
}
