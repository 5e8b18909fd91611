/* sluice load FILE...: ad-hoc loads, like sqlite3's .import with versions and checks. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const struct option load_options[] = {GLOBAL_OPTIONS,
                                      READ_OPTIONS,
                                      SCHEMA_OPTION,
                                      PRIMARY_KEY_OPTION,
                                      TIMESTAMP_OPTION,
                                      MODE_OPTION,
                                      ON_TYPE_CHANGE_OPTION,
                                      {"source", required_argument, NULL, 's'},
                                      {"force", no_argument, NULL, 'f'},
                                      {"allow-breaking", no_argument, NULL, 3001},
                                      {"output", required_argument, NULL, 'o'},
                                      {"min-score", required_argument, NULL, 3002},
                                      {"rejects", required_argument, NULL, 3011},
                                      {"rejects-format", required_argument, NULL, 3012},
                                      {NULL, 0, NULL, 0}};
const char load_shortopts[] = "qho:fs:";

int cmd_load(struct cli *c, int argc, char **argv)
{
    const char *rejects = NULL, *rejects_format = NULL;
    struct sl_rejects *rj = NULL;
    struct sl_source src;
    struct sl_error err = {0, ""};
    struct sl_load_opts lo;
    struct sl_db *db = NULL;
    int opt, rc = 0, out = OUT_TEXT, force = 0, h, allow_breaking = 0;

    if ((rc = source_prescan(c, argc, argv, load_shortopts, load_options, 1, &src))) goto out;
    while ((opt = getopt_long(argc, argv, load_shortopts, load_options, NULL)) != -1) {
        if (opt == 'h') {
            rc = print_help("load");
            goto out;
        }
        if ((h = global_option(c, opt, optarg)) || (h = source_option("load", &src, opt, optarg))) {
            if (h < 0) {
                rc = EXIT_USAGE;
                goto out;
            }
            continue;
        }
        switch (opt) {
        case 's': break;
        case 'f': force = 1; break;
        case 3002: {
            char *end;
            double v = strtod(optarg, &end);
            if (end == optarg || *end || !(v >= 0 && v <= 1)) {
                rc = usage_error("load", "--min-score expects a number from 0 to 1");
                goto out;
            }
            src.quality.min_score = v;
            break;
        }
        case 3001: allow_breaking = 1; break;
        case 3011: rejects = optarg; break;
        case 3012: rejects_format = optarg; break;
        case 'o':
            if (parse_output("load", optarg, 1u << OUT_TEXT | 1u << OUT_JSON, &out)) {
                rc = EXIT_USAGE;
                goto out;
            }
            break;
        default: rc = bad_option("load", argc, argv); goto out;
        }
    }
    if (optind >= argc) {
        rc = usage_error("load", "no input file");
        goto out;
    }
    if (!src.name) {
        if (!strcmp(argv[optind], "-")) {
            rc = usage_error("load", "reading stdin needs --source NAME");
            goto out;
        }
        src.name = sl_source_name_from_path(argv[optind]);
    }
    if (sl_source_name_check(src.name, &err)) {
        rc = usage_error("load", "%s", err.msg);
        goto out;
    }
    /* before any file is opened for writing: the inputs and the store are never overwritten */
    if ((rc = cli_protect(c, (const char *const *)argv + optind, (size_t)(argc - optind), NULL,
                          &src)))
        goto out;
    if ((rc = cli_check_events_file(c))) goto out;
    if (rejects && sl_rejects_open(rejects, rejects_format, &rj, &err)) {
        rc = usage_error("load", "%s", err.msg);
        goto out;
    }
    if (!rejects && (rc = source_rejects_open(&src, &rj))) goto out; /* rejects: of --source */
    if (!(db = cli_open_db(c, &rc))) goto out;
    memset(&lo, 0, sizeof lo);
    lo.rejects = rj;
    lo.force = force;
    lo.allow_breaking = allow_breaking;
    lo.progress = c->progress;
    if (db->store->begin_run(db, "load", &lo.run, &err)) {
        fprintf(stderr, "sluice: %s\n", err.msg);
        rc = EXIT_RUNTIME;
        goto out;
    }
    int64_t nloads = 0;
    for (int i = optind; i < argc && !sl_interrupted; i++) {
        /* a quoted glob is expanded here (sorted); a plain path is loaded as given, so a
         * directory or a missing file fails its load with a message naming it */
        struct sl_paths paths = {0};
        const char *pattern = argv[i];
        if (strpbrk(pattern, "*?[") && strcmp(pattern, "-")) {
            if (sl_paths_expand(&pattern, 1, NULL, &paths, &err)) {
                fprintf(stderr, "sluice: error: %s\n", err.msg);
                rc = exit_code_merge(rc, EXIT_RUNTIME);
                continue;
            }
            cli_warn_skipped(&paths);
            if (!paths.n) {
                fprintf(stderr, "sluice: error: no file matches %s\n", cli_shown(pattern));
                rc = exit_code_merge(rc, EXIT_RUNTIME);
            }
        } else {
            paths.v = sl_xmalloc(sizeof *paths.v);
            paths.v[0] = sl_xstrdup(pattern);
            paths.n = 1;
        }
        cli_load_paths(c, db, &src, &paths, &lo, out == OUT_JSON, &rc, &nloads);
        sl_paths_free(&paths);
    }
    rc = cli_end_run(db, lo.run, rc, nloads);
out:
    if (rj && sl_rejects_close(rj, &err)) {
        fprintf(stderr, "sluice: %s\n", err.msg);
        rc = exit_code_merge(rc, EXIT_RUNTIME);
    }
    sl_source_free(&src);
    if (db) sl_store_close(db);
    return rc;
}
