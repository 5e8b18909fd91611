/*
 * The official JSON-Schema-Test-Suite against sluice's validator (src/schema/jsonschema.c).
 *
 * usage: run-jsonschema [-v] [-m MIN_PERCENT] SUITE_DIR [FILE_FILTER]
 *
 * Runs tests/draft2020-12 and tests/draft7 (required files, then optional/ and
 * optional/format/), with http://localhost:1234/X served from SUITE_DIR/remotes/X. Prints the
 * pass rate per file and per draft; exits 1 when a draft's required rate is below MIN_PERCENT
 * (default 98). The last line is "N passed, M failed" with one test per draft's required rate.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/jsonschema.h"

static const char *suite;
static int verbose;

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
        sl_jsonschema_new(schema, NULL, &o, &js, &err);
        for (size_t i = 0; tests && i < tests->n; i++) {
            const struct sl_node *tc = tests->items[i], *data = sl_node_get(tc, "data"),
                                 *valid = sl_node_get(tc, "valid");
            int want = valid && valid->json_type == SL_JSON_TRUE;
            int got = sl_jsonschema_validate(js, data, NULL, NULL, &err);
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
    }
    if (i >= argc) {
        fprintf(stderr, "usage: run-jsonschema [-v] [-m MIN_PERCENT] SUITE_DIR [FILTER]\n");
        return 2;
    }
    suite = argv[i++];
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
    return below;
}
