/* sluice infer FILE: the Table Schema of a whole input, to edit and give back with --schema. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const struct option infer_options[] = {GLOBAL_OPTIONS,
                                       READ_OPTIONS,
                                       PRIMARY_KEY_OPTION,
                                       {"source", required_argument, NULL, 's'},
                                       {"output", required_argument, NULL, 'o'},
                                       {NULL, 0, NULL, 0}};
const char infer_shortopts[] = "qho:s:";

int cmd_infer(struct cli *c, int argc, char **argv)
{
    struct sl_source src;
    struct sl_error err = {0, ""};
    struct sl_schema *schema = NULL;
    struct sl_renames renames = {0};
    struct sl_buf b = SL_BUF_INIT;
    char *dialect = NULL;
    int opt, rc = 0, out = OUT_YAML, h;

    if ((rc = source_prescan(c, argc, argv, infer_shortopts, infer_options, 0, &src))) goto out;
    while ((opt = getopt_long(argc, argv, infer_shortopts, infer_options, NULL)) != -1) {
        if (opt == 'h') {
            rc = print_help("infer");
            goto out;
        }
        if ((h = global_option(c, opt, optarg)) ||
            (h = source_option("infer", &src, opt, optarg))) {
            if (h < 0) {
                rc = EXIT_USAGE;
                goto out;
            }
            continue;
        }
        if (opt == 's') continue; /* --source: read by source_prescan */
        if (opt == 'o') {
            if (parse_output("infer", optarg, 1u << OUT_YAML | 1u << OUT_JSON, &out)) {
                rc = EXIT_USAGE;
                goto out;
            }
            continue;
        }
        rc = bad_option("infer", argc, argv);
        goto out;
    }
    if (optind != argc - 1) {
        rc = usage_error("infer", "expected one input file");
        goto out;
    }
    if (!src.name) src.name = sl_xstrdup("infer");
    if (sl_infer_file(&src, argv[optind], &schema, &renames, &dialect, &err)) {
        fprintf(stderr, "sluice: %s\n", err.msg);
        rc = sl_exit_code(err.code);
        goto out;
    }
    if (out == OUT_JSON) {
        sl_schema_to_json(schema, &b);
        sl_buf_addc(&b, '\n');
    } else {
        sl_buf_addf(&b, "# Table Schema of %s, inferred from all of it by sluice %s\n",
                    argv[optind], SL_VERSION);
        sl_buf_addf(&b, "# read as: %s\n", dialect);
        for (size_t i = 0; i < renames.n; i++) {
            sl_buf_addf(&b, "# column %zu renamed: ", renames.v[i].col + 1);
            sl_buf_json_str(&b, renames.v[i].from, renames.v[i].from_len);
            sl_buf_addf(&b, " -> %s\n", renames.v[i].to);
        }
        sl_schema_to_yaml(schema, &b);
    }
    fputs(sl_buf_str(&b), stdout);
out:
    sl_buf_free(&b);
    free(dialect);
    sl_schema_free(schema);
    sl_renames_free(&renames);
    sl_source_free(&src);
    return rc;
}
