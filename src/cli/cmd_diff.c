/* sluice diff SOURCE V1 V2: what changed in silver between the states after two loads. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int parse_id(const char *s, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v <= 0) return usage_error("diff", "'%s' is not a load number", s);
    *out = v;
    return 0;
}

const struct option diff_options[] = {GLOBAL_OPTIONS,
                                      {"output", required_argument, NULL, 'o'},
                                      {"sample", required_argument, NULL, 's'},
                                      {NULL, 0, NULL, 0}};
const char diff_shortopts[] = "qho:";

int cmd_diff(struct cli *c, int argc, char **argv)
{
    struct sl_error err = {0, ""};
    struct sl_diff_opts o = {0};
    struct sl_buf out_buf = SL_BUF_INIT;
    struct sl_db *db;
    int64_t v1, v2;
    int opt, out = OUT_TEXT, h, rc = EXIT_OK;

    while ((opt = getopt_long(argc, argv, diff_shortopts, diff_options, NULL)) != -1) {
        if (opt == 'h') return print_help("diff");
        if ((h = global_option(c, opt, optarg))) {
            if (h < 0) return EXIT_USAGE;
            continue;
        }
        if (opt == 'o') {
            if (parse_output("diff", optarg, 1u << OUT_TEXT | 1u << OUT_JSON, &out))
                return EXIT_USAGE;
            continue;
        }
        if (opt == 's') {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (!*optarg || *end || n <= 0)
                return usage_error("diff", "--sample must be a positive number");
            o.sample = (size_t)n;
            continue;
        }
        return bad_option("diff", argc, argv);
    }
    if (argc - optind != 3) return usage_error("diff", "expected a source and two load numbers");
    if (parse_id(argv[optind + 1], &v1) || parse_id(argv[optind + 2], &v2)) return EXIT_USAGE;
    c->must_exist = 1;
    c->read_only = 1; /* a read command never writes (not even a catalog) */
    if (!(db = cli_open_db(c, &rc))) return rc;
    if ((rc = sl_version_diff(db, argv[optind], v1, v2, &o, out == OUT_JSON ? &out_buf : NULL,
                              out == OUT_JSON ? NULL : &out_buf, &err))) {
        fprintf(stderr, "sluice: diff: %s\n", err.msg);
        rc = sl_exit_code(rc);
    } else {
        fputs(sl_buf_str(&out_buf), stdout);
    }
    sl_buf_free(&out_buf);
    sl_store_close(db);
    return rc;
}
