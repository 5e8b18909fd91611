/* sluice cat FILE: records as NDJSON or CSV, a converter between the formats. */
#include <string.h>

#include "cli.h"

const struct option cat_options[] = {GLOBAL_OPTIONS,
                                     READ_OPTIONS,
                                     SCHEMA_OPTION,
                                     {"source", required_argument, NULL, 's'},
                                     {"to", required_argument, NULL, 't'},
                                     {NULL, 0, NULL, 0}};
const char cat_shortopts[] = "qht:s:";

int cmd_cat(struct cli *c, int argc, char **argv)
{
    struct sl_source src;
    struct sl_error err = {0, ""};
    const char *to = "ndjson";
    int64_t bad = 0;
    int opt, rc = 0, h;

    if ((rc = source_prescan(c, argc, argv, cat_shortopts, cat_options, 0, &src))) goto out;
    while ((opt = getopt_long(argc, argv, cat_shortopts, cat_options, NULL)) != -1) {
        if (opt == 'h') {
            rc = print_help("cat");
            goto out;
        }
        if ((h = global_option(c, opt, optarg)) || (h = source_option("cat", &src, opt, optarg))) {
            if (h < 0) {
                rc = EXIT_USAGE;
                goto out;
            }
            continue;
        }
        if (opt == 's') continue; /* --source: read by source_prescan */
        if (opt == 't' && (!strcmp(optarg, "ndjson") || !strcmp(optarg, "csv"))) {
            to = optarg;
            continue;
        }
        rc = opt == 't' ? usage_error("cat", "--to must be ndjson or csv")
                        : bad_option("cat", argc, argv);
        goto out;
    }
    if (optind != argc - 1) {
        rc = usage_error("cat", "expected one input file");
        goto out;
    }
    if (!src.name) src.name = sl_xstrdup("cat");
    if (sl_cat_file(&src, argv[optind], to, stdout, &bad, &err)) {
        fprintf(stderr, "sluice: %s\n", err.msg);
        rc = sl_exit_code(err.code);
        goto out;
    }
    if (bad) {
        sl_log(SL_LOG_WARN, "%s: %lld record(s) rejected", argv[optind], (long long)bad);
        rc = EXIT_DATA;
    }
out:
    sl_source_free(&src);
    return rc;
}
