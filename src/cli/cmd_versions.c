/* sluice versions SOURCE: every load of a source, newest last. */
#include <string.h>

#include "cli.h"

static void json_versions(const struct sl_load_info *v, size_t n)
{
    struct sl_buf b = SL_BUF_INIT;
    sl_buf_addc(&b, '[');
    for (size_t i = 0; i < n; i++) {
        const struct sl_load_info *l = &v[i];
        sl_buf_addf(&b, "%s{\"load\":%lld,\"status\":", i ? "," : "", (long long)l->id);
        sl_buf_json_cstr(&b, l->status);
        sl_buf_addf(&b, ",\"active\":%s,\"mode\":", l->active ? "true" : "false");
        sl_buf_json_cstr(&b, l->mode);
        sl_buf_adds(&b, ",\"input\":");
        sl_buf_json_cstr(&b, l->input);
        sl_buf_adds(&b, ",\"sha256\":");
        sl_buf_json_cstr(&b, l->sha256);
        if (l->content_sha256 && (!l->sha256 || strcmp(l->content_sha256, l->sha256))) {
            sl_buf_adds(&b, ",\"content_sha256\":");
            sl_buf_json_cstr(&b, l->content_sha256);
        }
        sl_buf_addf(&b, ",\"rows\":%lld,\"valid\":%lld,\"warning\":%lld,\"invalid\":%lld",
                    (long long)l->rows, (long long)l->valid, (long long)l->warning,
                    (long long)l->invalid);
        sl_buf_adds(&b, ",\"started\":");
        sl_buf_json_cstr(&b, l->started);
        sl_buf_adds(&b, ",\"finished\":");
        sl_buf_json_cstr(&b, l->finished);
        sl_buf_adds(&b, ",\"quality\":");
        sl_buf_adds(&b, l->quality_json ? l->quality_json : "null");
        if (l->duplicate_of) sl_buf_addf(&b, ",\"duplicate_of\":%lld", (long long)l->duplicate_of);
        sl_buf_adds(&b, ",\"message\":");
        sl_buf_json_cstr(&b, l->message);
        sl_buf_adds(&b, ",\"sluice_version\":");
        sl_buf_json_cstr(&b, l->sluice_version);
        sl_buf_addc(&b, '}');
    }
    sl_buf_adds(&b, "]\n");
    fputs(b.p, stdout);
    sl_buf_free(&b);
}

/* The grade inside a load's quality JSON ("" when there is none). */
static void grade_of(const char *quality_json, char *out, size_t cap)
{
    const char *p = quality_json ? strstr(quality_json, "\"grade\":\"") : NULL;
    size_t n = 0;
    if (p)
        for (p += 9; p[n] && p[n] != '"' && n + 1 < cap; n++) out[n] = p[n];
    out[n] = 0;
}

static void text_versions(const struct sl_load_info *v, size_t n)
{
    printf("%-5s %-9s %-6s %-8s %9s %9s %8s %8s %-9s  %-24s %s\n", "load", "status", "active",
           "mode", "rows", "valid", "warning", "invalid", "grade", "finished", "input");
    for (size_t i = 0; i < n; i++) {
        const struct sl_load_info *l = &v[i];
        char grade[16];
        grade_of(l->quality_json, grade, sizeof grade);
        printf("%-5lld %-9s %-6s %-8s %9lld %9lld %8lld %8lld %-9s  %-24s %s", (long long)l->id,
               cli_shown(l->status), l->active ? "yes" : "no", l->mode ? cli_shown(l->mode) : "-",
               (long long)l->rows, (long long)l->valid, (long long)l->warning,
               (long long)l->invalid, grade[0] ? grade : "-", cli_shown(l->finished),
               cli_shown(l->input));
        if (l->duplicate_of)
            printf("  (same input as load %lld)", (long long)l->duplicate_of);
        else if (!strcmp(l->status, "failed") && l->message)
            printf("  (%s)", cli_shown(l->message));
        printf("\n");
    }
}

/* A skipped attempt (the same input again) is history, not a version: re-running a project
 * every day would bury the versions under them. Drops them from v; returns how many. */
static size_t drop_skipped(struct sl_load_info *v, size_t *n)
{
    size_t k = 0, dropped = 0;
    for (size_t i = 0; i < *n; i++) {
        if (!strcmp(v[i].status, "skipped")) {
            sl_load_info_clear(&v[i]);
            dropped++;
            continue;
        }
        v[k++] = v[i];
    }
    *n = k;
    return dropped;
}

const struct option versions_options[] = {GLOBAL_OPTIONS,
                                          {"output", required_argument, NULL, 'o'},
                                          {"all", no_argument, NULL, 'a'},
                                          {NULL, 0, NULL, 0}};
const char versions_shortopts[] = "qhao:";

int cmd_versions(struct cli *c, int argc, char **argv)
{
    struct sl_error err = {0, ""};
    struct sl_load_info *v = NULL;
    struct sl_db *db;
    size_t n = 0, hidden = 0;
    int opt, out = OUT_TEXT, h, rc = EXIT_OK, all = 0;

    while ((opt = getopt_long(argc, argv, versions_shortopts, versions_options, NULL)) != -1) {
        if (opt == 'h') return print_help("versions");
        if ((h = global_option(c, opt, optarg))) {
            if (h < 0) return EXIT_USAGE;
            continue;
        }
        if (opt == 'a') {
            all = 1;
            continue;
        }
        if (opt == 'o') {
            if (parse_output("versions", optarg, 1u << OUT_TEXT | 1u << OUT_JSON, &out))
                return EXIT_USAGE;
            continue;
        }
        return bad_option("versions", argc, argv);
    }
    if (optind != argc - 1) return usage_error("versions", "expected one source name");
    c->must_exist = 1; /* listing must not leave an empty database behind */
    c->read_only = 1;  /* a read command never writes (not even a catalog) */
    if (!(db = cli_open_db(c, &rc))) return rc;
    if (db->store->list_loads(db, argv[optind], &v, &n, &err)) {
        fprintf(stderr, "sluice: %s\n", err.msg);
        rc = EXIT_RUNTIME;
        goto out;
    }
    if (!all) hidden = drop_skipped(v, &n);
    if (!n && !hidden && out == OUT_TEXT) {
        /* through sl_error_set: the store's URL is shown with its password masked */
        sl_error_set(&err, SL_ENOTFOUND, "no loads of source '%s' in %s", argv[optind], db->url);
        fprintf(stderr, "sluice: %s\n", err.msg);
        rc = EXIT_USAGE;
    } else if (out == OUT_JSON) {
        json_versions(v, n);
    } else {
        text_versions(v, n);
        if (hidden)
            printf("(%zu skipped attempt%s with an input loaded before: --all shows %s)\n", hidden,
                   hidden == 1 ? "" : "s", hidden == 1 ? "it" : "them");
    }
out:
    sl_load_infos_free(v, n);
    sl_store_close(db);
    return rc;
}
