/* sluice lineage [SOURCE] [--row KEY]: the graph input → load → bronze → silver, or where one
 * row came from. sluice schema SOURCE [--history]: the schema registry. */
#include <string.h>

#include "cli.h"

const struct option lineage_options[] = {GLOBAL_OPTIONS,
                                         {"output", required_argument, NULL, 'o'},
                                         {"row", required_argument, NULL, 'r'},
                                         {NULL, 0, NULL, 0}};
const char lineage_shortopts[] = "qho:";

int cmd_lineage(struct cli *c, int argc, char **argv)
{
    static const char *const formats[] = {"text", "json", "dot", "mermaid"};
    struct sl_error err = {0, ""};
    struct sl_buf out = SL_BUF_INIT;
    struct sl_db *db;
    const char *row = NULL, *source = NULL;
    int opt, format = -1, h, rc = EXIT_OK;

    while ((opt = getopt_long(argc, argv, lineage_shortopts, lineage_options, NULL)) != -1) {
        if (opt == 'h') return print_help("lineage");
        if ((h = global_option(c, opt, optarg))) {
            if (h < 0) return EXIT_USAGE;
            continue;
        }
        if (opt == 'o') {
            for (int i = 0; i < 4; i++)
                if (!strcmp(optarg, formats[i])) format = i;
            if (format < 0)
                return usage_error("lineage", "--output must be text, json, dot or mermaid");
            continue;
        }
        if (opt == 'r') {
            row = optarg;
            continue;
        }
        return bad_option("lineage", argc, argv);
    }
    if (format < 0) format = SL_LINEAGE_TEXT;
    if (argc - optind > 1) return usage_error("lineage", "expected at most one source name");
    if (optind < argc) source = argv[optind];
    if (row && !source) return usage_error("lineage", "--row needs a source");
    if (row && format != SL_LINEAGE_TEXT && format != SL_LINEAGE_JSON)
        return usage_error("lineage", "--row is shown as text or json");
    c->must_exist = 1;
    c->read_only = 1; /* a read command never writes (not even a catalog) */
    if (!(db = cli_open_db(c, &rc))) return rc;
    if (row)
        rc = sl_lineage_row(db, source, row, format == SL_LINEAGE_JSON, &out, &err);
    else
        rc = sl_lineage_graph(db, source, format, &out, &err);
    if (rc) {
        fprintf(stderr, "sluice: lineage: %s\n", err.msg);
        rc = rc == SL_ENOTFOUND ? EXIT_DATA : sl_exit_code(rc);
    } else {
        fputs(sl_buf_str(&out), stdout);
    }
    sl_buf_free(&out);
    sl_store_close(db);
    return rc;
}

const struct option schema_options[] = {GLOBAL_OPTIONS,
                                        {"output", required_argument, NULL, 'o'},
                                        {"history", no_argument, NULL, 'H'},
                                        {NULL, 0, NULL, 0}};

int cmd_schema(struct cli *c, int argc, char **argv)
{
    struct sl_error err = {0, ""};
    struct sl_buf out = SL_BUF_INIT;
    struct sl_db *db;
    int opt, format = OUT_TEXT, h, rc = EXIT_OK, history = 0;

    while ((opt = getopt_long(argc, argv, lineage_shortopts, schema_options, NULL)) != -1) {
        if (opt == 'h') return print_help("schema");
        if ((h = global_option(c, opt, optarg))) {
            if (h < 0) return EXIT_USAGE;
            continue;
        }
        if (opt == 'o') {
            if (parse_output("schema", optarg, 1u << OUT_TEXT | 1u << OUT_JSON | 1u << OUT_YAML,
                             &format))
                return EXIT_USAGE;
            continue;
        }
        if (opt == 'H') {
            history = 1;
            continue;
        }
        return bad_option("schema", argc, argv);
    }
    if (argc - optind != 1) return usage_error("schema", "expected one source name");
    c->must_exist = 1;
    c->read_only = 1; /* a read command never writes (not even a catalog) */
    if (!(db = cli_open_db(c, &rc))) return rc;
    /* OUT_TEXT 0, OUT_JSON 1, OUT_YAML 2: the registry's numbering */
    if ((rc = sl_schema_registry(db, argv[optind], history, format, &out, &err))) {
        fprintf(stderr, "sluice: schema: %s\n", err.msg);
        rc = sl_exit_code(rc);
    } else {
        fputs(sl_buf_str(&out), stdout);
    }
    sl_buf_free(&out);
    sl_store_close(db);
    return rc;
}
