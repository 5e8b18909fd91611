/* sluice check FILE: validate without loading. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct check_out {
    int json;
    int64_t max, listed;
    struct sl_buf errors;          /* JSON array items */
    struct sl_issue_groups groups; /* every issue, grouped (text, and error_groups in JSON) */
};

static void on_issue(void *ctx, const struct sl_row *r, const struct sl_issue *i)
{
    struct check_out *o = ctx;
    sl_issue_groups_add(&o->groups, r, i);
    if (!o->json || (o->max >= 0 && o->listed >= o->max)) return;
    o->listed++;
    struct sl_buf *b = &o->errors;
    sl_buf_addf(b, "%s{\"row\":%lld,\"line\":%lld,\"offset\":%lld,", b->len ? "," : "",
                (long long)r->num, (long long)r->line, (long long)r->offset);
    sl_issue_json_members(b, i);
    sl_buf_addc(b, '}');
}

/* Is there a store to check against? --db, SLUICE_DB, the config's store, or ./sluice.db;
 * check never creates one. */
static int check_has_db(struct cli *c)
{
    const struct sl_config *cfg = NULL;
    if (c->db_url || (getenv("SLUICE_DB") && *getenv("SLUICE_DB"))) return 1;
    if (cli_config(c, &cfg) == 0 && cfg && cfg->store) return 1;
    return access("sluice.db", F_OK) == 0;
}

const struct option check_options[] = {GLOBAL_OPTIONS,
                                       READ_OPTIONS,
                                       SCHEMA_OPTION,
                                       PRIMARY_KEY_OPTION,
                                       TIMESTAMP_OPTION,
                                       {"source", required_argument, NULL, 's'},
                                       {"max-errors", required_argument, NULL, 'm'},
                                       {"output", required_argument, NULL, 'o'},
                                       {"rejects", required_argument, NULL, 3001},
                                       {"rejects-format", required_argument, NULL, 3002},
                                       {NULL, 0, NULL, 0}};
const char check_shortopts[] = "qho:m:s:";

int cmd_check(struct cli *c, int argc, char **argv)
{
    const char *rejects = NULL, *rejects_format = NULL;
    struct sl_rejects *rj = NULL;
    struct sl_db *db = NULL;
    struct sl_source src;
    struct sl_error err = {0, ""};
    struct sl_check_result res;
    struct check_out o = {0, -1, 0, SL_BUF_INIT, {NULL, 0, 0, 0}};
    int opt, rc = 0, out = OUT_TEXT, h;

    if ((rc = source_prescan(c, argc, argv, check_shortopts, check_options, 0, &src))) goto out;
    while ((opt = getopt_long(argc, argv, check_shortopts, check_options, NULL)) != -1) {
        if (opt == 'h') {
            rc = print_help("check");
            goto out;
        }
        if ((h = global_option(c, opt, optarg)) ||
            (h = source_option("check", &src, opt, optarg))) {
            if (h < 0) {
                rc = EXIT_USAGE;
                goto out;
            }
            continue;
        }
        switch (opt) {
        case 's': break; /* --source: read by source_prescan */
        case 'm': o.max = atoll(optarg); break;
        case 3001: rejects = optarg; break;
        case 3002: rejects_format = optarg; break;
        case 'o':
            if (parse_output("check", optarg, 1u << OUT_TEXT | 1u << OUT_JSON, &out)) {
                rc = EXIT_USAGE;
                goto out;
            }
            break;
        default: rc = bad_option("check", argc, argv); goto out;
        }
    }
    if (optind != argc - 1) {
        rc = usage_error("check", "expected one input file");
        goto out;
    }
    if (!src.name) src.name = sl_xstrdup("check");
    o.json = out == OUT_JSON;
    if ((rc = cli_protect(c, (const char *const *)argv + optind, 1, NULL, &src))) goto out;
    if (rejects && sl_rejects_open(rejects, rejects_format, &rj, &err)) {
        rc = usage_error("check", "%s", err.msg);
        goto out;
    }
    /* the store, when there is one: unique against silver, foreign keys to other sources */
    if (check_has_db(c)) {
        c->must_exist = 1;
        c->read_only = 1; /* a read command never writes (not even a catalog) */
        /* a store where nothing was loaded (no catalog) has nothing to check against */
        c->no_catalog_ok = 1;
        if (!(db = cli_open_db(c, &rc)) && rc) goto out;
    }
    if (sl_check_file_with(db, rj, &src, argv[optind], on_issue, &o, &res, &err)) {
        fprintf(stderr, "sluice: %s\n", err.msg);
        rc = sl_exit_code(err.code);
        goto out;
    }
    if (o.json) {
        struct sl_buf g = SL_BUF_INIT;
        sl_issue_groups_json(&o.groups, res.rows, &g);
        printf("{\"valid\":%s,\"rows\":%lld,\"valid_rows\":%lld,\"warning_rows\":%lld,"
               "\"invalid_rows\":%lld,\"errors\":[%s],\"error_groups\":%s,\"quality\":%s}\n",
               res.invalid ? "false" : "true", (long long)res.rows,
               (long long)(res.valid + res.warning), (long long)res.warning, (long long)res.invalid,
               sl_buf_str(&o.errors), g.p, res.quality_json);
        sl_buf_free(&g);
    } else {
        /* the same problem on many rows is one line; --max-errors caps the lines */
        struct sl_buf t = SL_BUF_INIT;
        sl_issue_groups_text(&o.groups, res.rows, res.format && !strcmp(res.format, "json"), "",
                             o.max >= 0 ? (size_t)o.max : SIZE_MAX, &t);
        fputs(sl_buf_str(&t), stdout);
        sl_buf_free(&t);
    }
    if (!o.json && !c->quiet) {
        printf("%s: %lld rows, %lld valid, %lld with warnings, %lld invalid\n",
               cli_shown(argv[optind]), (long long)res.rows, (long long)res.valid,
               (long long)res.warning, (long long)res.invalid);
    }
    rc = res.invalid ? EXIT_DATA : EXIT_OK;
    free(res.quality_json);
out:
    if (rj && sl_rejects_close(rj, &err)) {
        fprintf(stderr, "sluice: %s\n", err.msg);
        rc = exit_code_merge(rc, EXIT_RUNTIME);
    }
    if (db) sl_store_close(db);
    sl_buf_free(&o.errors);
    sl_issue_groups_free(&o.groups);
    sl_source_free(&src);
    return rc;
}
