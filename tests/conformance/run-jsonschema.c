/*
 * The official JSON-Schema-Test-Suite against sluice's validator (src/schema/jsonschema.c).
 *
 * usage: run-jsonschema [-v] [-m MIN_PERCENT] [-c SLUICE] SUITE_DIR [FILE_FILTER]
 *
 * Runs tests/draft2020-12 and tests/draft7 (required files, then optional/ and
 * optional/format/), with http://localhost:1234/X served from SUITE_DIR/remotes/X. Prints the
 * pass rate per file and per draft; exits 1 when a draft's required rate is below MIN_PERCENT
 * (default 98). The last line is "N passed, M failed" with one test per draft's required rate.
 *
 * With -c SLUICE the same tests go through the command line instead: per test group, the
 * schema is written to a file and each test's data to one line of an NDJSON file, then
 * `SLUICE check --schema S.json D.ndjson --output json` runs and each row's validity (does an
 * error name its row?) is compared with the expected one. Remotes are mapped with
 * SLUICE_SCHEMA_MAP; 2020-12's required tests run with SLUICE_SCHEMA_FORMATS=annotate.
 */
#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/jsonschema.h"

static const char *suite;
static const char *sluice; /* -c: through the command line */
static char tmpdir[] = "/tmp/sluice-jsts-XXXXXX";
static int verbose;

static int write_file(const char *path, const struct sl_buf *b)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    fwrite(b->p ? b->p : "", 1, b->len, f);
    return fclose(f);
}

/* Runs the group through `sluice check`; got[i] = 1 valid, 0 invalid, -1 error. */
static void run_cli(const struct sl_node *schema, const struct sl_node *tests, int draft,
                    int format_assert, int *got)
{
    struct sl_buf s = SL_BUF_INIT, d = SL_BUF_INIT, out = SL_BUF_INIT;
    char *spath = sl_xasprintf("%s/schema.json", tmpdir),
         *dpath = sl_xasprintf("%s/data.ndjson", tmpdir);
    char *cmd = NULL, chunk[4096];
    struct sl_doc res;
    struct sl_error err = {0, ""};
    size_t n;
    int status;

    for (size_t i = 0; i < tests->n; i++) got[i] = -1;
    if (draft == SL_JS_DRAFT7 && schema && schema->type == SL_NODE_MAP &&
        !sl_node_get(schema, "$schema")) { /* say which draft, as a user would */
        sl_node_json(&s, schema, 0);
        struct sl_buf t = SL_BUF_INIT;
        sl_buf_adds(&t, "{\"$schema\":\"http://json-schema.org/draft-07/schema#\"");
        if (s.len > 2) sl_buf_addc(&t, ',');
        sl_buf_add(&t, s.p + 1, s.len - 1);
        sl_buf_free(&s);
        s = t;
    } else {
        sl_node_json(&s, schema, 0);
    }
    for (size_t i = 0; i < tests->n; i++) {
        sl_node_json(&d, sl_node_get(tests->items[i], "data"), 0);
        sl_buf_addc(&d, '\n');
    }
    if (write_file(spath, &s) || write_file(dpath, &d)) goto out;
    cmd = sl_xasprintf("cd %s && SLUICE_SCHEMA_MAP='http://localhost:1234/=%s/remotes/' "
                       "SLUICE_SCHEMA_FORMATS=%s '%s' check --schema schema.json data.ndjson "
                       "--output json 2>&1",
                       tmpdir, suite, format_assert ? "assert" : "annotate", sluice);
    FILE *p = popen(cmd, "r");
    if (!p) goto out;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) sl_buf_add(&out, chunk, n);
    status = pclose(p);
    if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
        if (verbose) printf("    sluice check failed: %s", sl_buf_str(&out));
        goto out;
    }
    if (sl_doc_parse_json(&res, "check output", sl_buf_str(&out), out.len, &err)) {
        if (verbose) printf("    cannot parse sluice's output: %s\n", err.msg);
        sl_doc_free(&res);
        goto out;
    }
    for (size_t i = 0; i < tests->n; i++) got[i] = 1;
    const struct sl_node *errors = sl_node_get(res.root, "errors");
    for (size_t i = 0; errors && i < errors->n; i++) {
        const char *row = sl_node_str(sl_node_get(errors->items[i], "row"));
        long r = row ? atol(row) : 0;
        if (r >= 1 && (size_t)r <= tests->n) got[r - 1] = 0;
    }
    sl_doc_free(&res);
out:
    free(cmd);
    free(spath);
    free(dpath);
    sl_buf_free(&s);
    sl_buf_free(&d);
    sl_buf_free(&out);
}

static int retrieve(void *ctx, const char *uri, struct sl_doc *out, struct sl_error *err)
{
    static const char prefix[] = "http://localhost:1234/";
    (void)ctx;
    if (strncmp(uri, prefix, sizeof prefix - 1)) return 1;
    char *path = sl_xasprintf("%s/remotes/%s", suite, uri + sizeof prefix - 1);
    int rc = sl_doc_load(out, path, err);
    if (rc) sl_doc_free(out);
    free(path);
    return rc ? -1 : 0;
}

struct tally {
    long pass, total;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_file(const char *path, const char *label, int draft, int format_assert,
                     struct tally *t)
{
    struct sl_doc d;
    struct sl_error err = {0, ""};
    struct tally ft = {0, 0};

    if (sl_doc_load(&d, path, &err)) {
        printf("  %-48s cannot read: %s\n", label, err.msg);
        sl_doc_free(&d);
        return;
    }
    for (size_t g = 0; d.root && g < d.root->n; g++) {
        const struct sl_node *grp = d.root->items[g], *schema = sl_node_get(grp, "schema"),
                             *tests = sl_node_get(grp, "tests");
        struct sl_js_options o = {draft, format_assert, retrieve, NULL};
        struct sl_jsonschema *js = NULL;
        int *cli = NULL;
        if (!tests) continue;
        if (sluice) {
            cli = sl_xcalloc(tests->n + 1, sizeof *cli);
            run_cli(schema, tests, draft, format_assert, cli);
            snprintf(err.msg, sizeof err.msg, "see sluice's output");
        } else {
            sl_jsonschema_new(schema, NULL, &o, &js, &err);
        }
        for (size_t i = 0; tests && i < tests->n; i++) {
            const struct sl_node *tc = tests->items[i], *data = sl_node_get(tc, "data"),
                                 *valid = sl_node_get(tc, "valid");
            int want = valid && valid->json_type == SL_JSON_TRUE;
            int got = cli ? cli[i] : sl_jsonschema_validate(js, data, NULL, NULL, &err);
            ft.total++;
            if (got == want) {
                ft.pass++;
            } else if (verbose) {
                printf("    FAIL %s: %s / %s: expected %s, got %s%s%s\n", label,
                       sl_node_str(sl_node_get(grp, "description")),
                       sl_node_str(sl_node_get(tc, "description")), want ? "valid" : "invalid",
                       got < 0 ? "error"
                       : got   ? "valid"
                               : "invalid",
                       got < 0 ? ": " : "", got < 0 ? err.msg : "");
            }
        }
        sl_jsonschema_free(js);
        free(cli);
    }
    printf("  %-48s %4ld/%-4ld\n", label, ft.pass, ft.total);
    t->pass += ft.pass;
    t->total += ft.total;
    sl_doc_free(&d);
}

static void run_dir(const char *draft_dir, const char *sub, int draft, int format_assert,
                    const char *filter, struct tally *t)
{
    char *dir = sl_xasprintf("%s/tests/%s%s", suite, draft_dir, sub);
    DIR *dh = opendir(dir);
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;

    if (!dh) {
        fprintf(stderr, "run-jsonschema: cannot open %s\n", dir);
        free(dir);
        return;
    }
    while ((e = readdir(dh))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json")) continue;
        names = sl_xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = sl_xstrdup(e->d_name);
    }
    closedir(dh);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        char *path = sl_xasprintf("%s/%s", dir, names[i]);
        char *label = sl_xasprintf("%s%s/%s", draft_dir, sub, names[i]);
        if (!filter || strstr(label, filter)) run_file(path, label, draft, format_assert, t);
        free(path);
        free(label);
        free(names[i]);
    }
    free(names);
    free(dir);
}

int main(int argc, char **argv)
{
    static const struct {
        const char *dir;
        int draft;
    } drafts[] = {{"draft2020-12", SL_JS_DRAFT2020}, {"draft7", SL_JS_DRAFT7}};
    double min = 98.0;
    const char *filter = NULL;
    int i = 1, below = 0, passed = 0, failed = 0;

    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else if (!strcmp(argv[i], "-m") && i + 1 < argc)
            min = atof(argv[++i]);
        else if (!strcmp(argv[i], "-c") && i + 1 < argc)
            sluice = argv[++i];
    }
    if (i >= argc) {
        fprintf(stderr, "usage: run-jsonschema [-v] [-m MIN_PERCENT] SUITE_DIR [FILTER]\n");
        return 2;
    }
    suite = argv[i++];
    char *abs_suite = realpath(suite, NULL), *abs_sluice = sluice ? realpath(sluice, NULL) : NULL;
    if (!abs_suite || (sluice && !abs_sluice)) {
        fprintf(stderr, "run-jsonschema: %s: not found\n", abs_suite ? sluice : suite);
        return 2;
    }
    suite = abs_suite;
    sluice = abs_sluice;
    if (sluice && !mkdtemp(tmpdir)) {
        perror("run-jsonschema: mkdtemp");
        return 2;
    }
    printf("JSON-Schema-Test-Suite%s\n", sluice ? " through `sluice check`" : "");
    if (i < argc) filter = argv[i];
    for (size_t k = 0; k < 2; k++) {
        struct tally req = {0, 0}, opt = {0, 0}, fmt = {0, 0};
        printf("== %s\n", drafts[k].dir);
        /* 2020-12 makes format an annotation unless asked; sluice asks for the optional tests */
        run_dir(drafts[k].dir, "", drafts[k].draft, drafts[k].draft == SL_JS_DRAFT7, filter, &req);
        run_dir(drafts[k].dir, "/optional", drafts[k].draft, 1, filter, &opt);
        run_dir(drafts[k].dir, "/optional/format", drafts[k].draft, 1, filter, &fmt);
        double r = req.total ? 100.0 * (double)req.pass / (double)req.total : 100.0;
        printf("%s required: %ld/%ld (%.2f%%)\n", drafts[k].dir, req.pass, req.total, r);
        printf("%s optional: %ld/%ld (%.2f%%)\n", drafts[k].dir, opt.pass, opt.total,
               opt.total ? 100.0 * (double)opt.pass / (double)opt.total : 100.0);
        printf("%s optional/format: %ld/%ld (%.2f%%)\n", drafts[k].dir, fmt.pass, fmt.total,
               fmt.total ? 100.0 * (double)fmt.pass / (double)fmt.total : 100.0);
        if (r < min) {
            printf("%s: required pass rate %.2f%% is below %.2f%%\n", drafts[k].dir, r, min);
            below = 1;
            failed++;
        } else {
            passed++;
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    if (sluice) {
        char *cmd = sl_xasprintf("rm -rf '%s'", tmpdir);
        if (system(cmd)) fprintf(stderr, "run-jsonschema: cannot remove %s\n", tmpdir);
        free(cmd);
    }
    free(abs_suite);
    free(abs_sluice);
    return below;
}
