/* libFuzzer target: the parsers of the transforms. The first byte picks one:
 *   0  timestamp formats: "FORMAT\0TEXT" through sl_ts_parse, and sl_ts_format of the result
 *   1  HTML to text (sl_html_strip)
 *   2  unit names: "FROM\0TO" found and converted
 *   3  a `transforms:` list in YAML (sl_transforms_parse), then its JSON form read back
 *   4  a TZif file (the system's time zone format), read by sl_tz_open from a private TZDIR */
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "sluice/json.h"
#include "sluice/transform.h"

static void split(const uint8_t *d, size_t n, const char **a, size_t *na, const char **b,
                  size_t *nb)
{
    const uint8_t *nul = memchr(d, 0, n);
    *a = (const char *)d;
    *na = nul ? (size_t)(nul - d) : n;
    *b = nul ? (const char *)nul + 1 : "";
    *nb = nul ? n - *na - 1 : 0;
}

static void fuzz_timestamp(const uint8_t *d, size_t n)
{
    const char *f, *t;
    size_t nf, nt;
    struct sl_ts ts;
    char buf[48];
    split(d, n, &f, &nf, &t, &nt);
    char *fmt = strndup(f, nf);
    if (sl_ts_parse(fmt, t, nt, &ts) == 0) {
        FUZZ_CHECK(strlen(ts.frac) < sizeof ts.frac);
        if (sl_ts_format(ts.t - (ts.has_offset ? ts.offset : 0), ts.frac, buf, sizeof buf) == 0)
            FUZZ_CHECK(strlen(buf) >= 20 && buf[strlen(buf) - 1] == 'Z');
    }
    free(fmt);
}

static void fuzz_html(const uint8_t *d, size_t n)
{
    struct sl_buf out = SL_BUF_INIT;
    sl_html_strip((const char *)d, n, &out);
    FUZZ_CHECK(out.len <= 4 * n + 4);
    fuzz_touch(out.p, out.len);
    sl_buf_free(&out);
}

static void fuzz_units(const uint8_t *d, size_t n)
{
    const char *a, *b;
    size_t na, nb;
    double v;
    split(d, n, &a, &na, &b, &nb);
    const struct sl_unit *from = sl_unit_find(a, na), *to = sl_unit_find(b, nb);
    if (from && to && sl_unit_convert(72.5, from, to, &v) == 0)
        FUZZ_CHECK(!strcmp(from->dimension, to->dimension));
}

static void fuzz_config(const uint8_t *d, size_t n)
{
    struct sl_error err = {0};
    struct sl_doc doc;
    struct sl_transforms *t = NULL, *back = NULL;
    char *text = strndup((const char *)d, n);
    if (sl_doc_parse_yaml(&doc, "fuzz.yaml", text, strlen(text), &err) == 0 &&
        sl_transforms_parse(&doc, doc.root, "transforms", 0, &t, &err) == 0) {
        struct sl_tf_run *run = NULL;
        if (sl_tf_run_new(t, 0, "fuzz.csv", &run, &err) == 0) {
            struct sl_buf j = SL_BUF_INIT;
            sl_tf_run_json(run, 1, &j);
            if (sl_transforms_from_json(sl_buf_str(&j), &back, &err)) {
                fprintf(stderr, "recorded transforms not readable back: %s\n%s\n", err.msg, j.p);
                abort();
            }
            sl_transforms_free(back);
            sl_buf_free(&j);
            sl_tf_run_free(run);
        }
        sl_transforms_free(t);
    } else {
        FUZZ_CHECK(err.msg[0]);
    }
    sl_doc_free(&doc);
    free(text);
}

static char tzdir[64];

/* the time zone directory goes when the fuzzer ends */
static void tz_cleanup(void)
{
    char path[96];
    snprintf(path, sizeof path, "%s/Fuzz", tzdir);
    unlink(path);
    rmdir(tzdir);
}

static void fuzz_tzif(const uint8_t *d, size_t n)
{
    char *dir = tzdir, path[96];
    struct sl_error err = {0};
    struct sl_tz *z = NULL;
    int64_t early, late;
    if (!dir[0]) {
        snprintf(tzdir, sizeof tzdir, "/tmp/sluice-fuzz-tz-%d", (int)getpid());
        mkdir(dir, 0700);
        setenv("TZDIR", dir, 1);
        atexit(tz_cleanup);
    }
    snprintf(path, sizeof path, "%s/Fuzz", dir);
    FILE *f = fopen(path, "wb");
    if (!f) return;
    fwrite(d, 1, n, f);
    fclose(f);
    if (sl_tz_open("Fuzz", &z, &err) == 0) {
        static const int64_t at[] = {-5000000000LL, 0, 1711846800LL, 2200000000LL, 9e10};
        for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
            int32_t off = sl_tz_offset(z, at[i]);
            FUZZ_CHECK(off > -100000 && off < 100000);
            sl_tz_local_to_utc(z, at[i], &early, &late);
        }
        sl_tz_free(z);
    } else {
        FUZZ_CHECK(err.msg[0]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    switch (data[0] % 5) {
    case 0: fuzz_timestamp(data + 1, size - 1); break;
    case 1: fuzz_html(data + 1, size - 1); break;
    case 2: fuzz_units(data + 1, size - 1); break;
    case 3: fuzz_config(data + 1, size - 1); break;
    default: fuzz_tzif(data + 1, size - 1); break;
    }
    return 0;
}
