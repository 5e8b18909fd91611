/* sluice run [SOURCE...]: every input of the configured sources, one load per file. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const struct option run_options[] = {GLOBAL_OPTIONS,
                                     {"force", no_argument, NULL, 'f'},
                                     {"allow-breaking", no_argument, NULL, 3001},
                                     {"output", required_argument, NULL, 'o'},
                                     {"rejects", required_argument, NULL, 3011},
                                     {"rejects-format", required_argument, NULL, 3012},
                                     {"on-type-change", required_argument, NULL, 3013},
                                     {NULL, 0, NULL, 0}};
const char run_shortopts[] = "qho:f";

int cmd_run(struct cli *c, int argc, char **argv)
{
    const char *rejects = NULL, *rejects_format = NULL;
    const struct sl_config *cfg;
    struct sl_error err = {0, ""};
    struct sl_load_opts lo;
    struct sl_db *db = NULL;
    int opt, rc = 0, out = OUT_TEXT, h;
    int64_t nloads = 0;

    memset(&lo, 0, sizeof lo);
    while ((opt = getopt_long(argc, argv, run_shortopts, run_options, NULL)) != -1) {
        if (opt == 'h') return print_help("run");
        if ((h = global_option(c, opt, optarg))) {
            if (h < 0) return EXIT_USAGE;
            continue;
        }
        switch (opt) {
        case 'f': lo.force = 1; break;
        case 3001: lo.allow_breaking = 1; break;
        case 3011: rejects = optarg; break;
        case 3012: rejects_format = optarg; break;
        case 3013:
            if ((lo.on_type_change = sl_type_change_policy_parse(optarg)) < 0)
                return usage_error("run", "--on-type-change must be widen, reject or quarantine");
            break;
        case 'o':
            if (parse_output("run", optarg, 1u << OUT_TEXT | 1u << OUT_JSON, &out))
                return EXIT_USAGE;
            break;
        default: return bad_option("run", argc, argv);
        }
    }
    if ((rc = cli_config(c, &cfg))) return rc;
    if (!cfg)
        return usage_error("run", "no sluice.yaml here (use --config FILE, or `sluice load`)");
    for (int i = optind; i < argc; i++)
        if (!sl_config_source(cfg, argv[i]))
            return usage_error("run", "%s has no source '%s'", cfg->path, argv[i]);
    /* before any file is opened for writing: the inputs and the store are never overwritten */
    for (size_t s = 0; s < cfg->nsources; s++)
        if ((rc = cli_protect(c, (const char *const *)cfg->sources[s].inputs,
                              cfg->sources[s].ninputs, cfg->sources[s].base_dir, &cfg->sources[s])))
            return rc;
    if ((rc = cli_check_events_file(c))) return rc;
    for (size_t s = 0; s < cfg->nsources && !rejects; s++)
        if ((rc = source_rejects_check(&cfg->sources[s]))) return rc;
    if (rejects && sl_rejects_open(rejects, rejects_format, &lo.rejects, &err))
        return usage_error("run", "%s", err.msg);
    if (!(db = cli_open_db(c, &rc))) {
        sl_rejects_close(lo.rejects, &err);
        return rc;
    }
    lo.progress = c->progress;
    if (db->store->begin_run(db, "run", &lo.run, &err)) {
        fprintf(stderr, "sluice: %s\n", err.msg);
        sl_store_close(db);
        sl_rejects_close(lo.rejects, &err);
        return EXIT_RUNTIME;
    }
    for (size_t s = 0; s < cfg->nsources && !sl_interrupted; s++) {
        const struct sl_source *src = &cfg->sources[s];
        struct sl_paths paths = {0};
        int named = optind >= argc;
        for (int i = optind; i < argc; i++) named |= !strcmp(argv[i], src->name);
        if (!named) continue;
        if (sl_paths_expand((const char *const *)src->inputs, src->ninputs, src->base_dir, &paths,
                            &err)) {
            fprintf(stderr, "sluice: error: %s: %s\n", src->name, err.msg);
            rc = exit_code_merge(rc, EXIT_RUNTIME);
            continue;
        }
        cli_warn_skipped(&paths);
        if (!paths.n)
            sl_log(SL_LOG_WARN, "%s: no input file matches %s", src->name, src->inputs[0]);
        /* rejects: of the source, unless --rejects gathers every source's */
        struct sl_rejects *own = NULL, *global = lo.rejects;
        int orc;
        if (!global && (orc = source_rejects_open(src, &own))) {
            rc = exit_code_merge(rc, orc);
            sl_paths_free(&paths);
            continue;
        }
        if (own) lo.rejects = own;
        cli_load_paths(c, db, src, &paths, &lo, out == OUT_JSON, &rc, &nloads);
        lo.rejects = global;
        if (own && sl_rejects_close(own, &err)) {
            fprintf(stderr, "sluice: %s\n", err.msg);
            rc = exit_code_merge(rc, EXIT_RUNTIME);
        }
        sl_paths_free(&paths);
    }
    rc = cli_end_run(db, lo.run, rc, nloads);
    sl_store_close(db);
    if (sl_rejects_close(lo.rejects, &err)) {
        fprintf(stderr, "sluice: %s\n", err.msg);
        rc = exit_code_merge(rc, EXIT_RUNTIME);
    }
    return rc;
}
