/*
 * sluice rollback SOURCE --to V · activate SOURCE V · deactivate SOURCE V · rebuild SOURCE ·
 * history [SOURCE]: active flags change, silver follows (sluice/version.h), every change is
 * recorded with who, when and why.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int parse_load_id(const char *cmd, const char *s, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v <= 0) return usage_error(cmd, "'%s' is not a load number", s);
    *out = v;
    return 0;
}

static void print_result(const char *cmd, const char *source, int64_t v,
                         const struct sl_change_result *r, int json, int quiet)
{
    if (json) {
        struct sl_buf b = SL_BUF_INIT;
        sl_buf_adds(&b, "{\"source\":");
        sl_buf_json_cstr(&b, source);
        sl_buf_adds(&b, ",\"command\":");
        sl_buf_json_cstr(&b, cmd);
        if (v) sl_buf_addf(&b, ",\"load\":%lld", (long long)v);
        sl_buf_addf(&b,
                    ",\"changed\":%lld,\"rebuilt\":%s,\"replayed\":%lld,\"rows_written\":%lld,"
                    "\"rows_deleted\":%lld}\n",
                    (long long)r->changed, r->full ? "true" : "false", (long long)r->replayed,
                    (long long)r->rows_written, (long long)r->rows_deleted);
        fputs(b.p, stdout);
        sl_buf_free(&b);
        return;
    }
    if (quiet) return;
    if (!strcmp(cmd, "rebuild"))
        printf("%s: silver rebuilt from %lld load%s (%lld rows written)\n", cli_shown(source),
               (long long)r->replayed, r->replayed == 1 ? "" : "s", (long long)r->rows_written);
    else {
        if (!strcmp(cmd, "rollback"))
            printf("%s: rolled back to load %lld: %lld load%s changed", cli_shown(source),
                   (long long)v, (long long)r->changed, r->changed == 1 ? "" : "s");
        else
            printf("%s: load %lld %sd: %lld load%s changed", cli_shown(source), (long long)v, cmd,
                   (long long)r->changed, r->changed == 1 ? "" : "s");
        if (r->full)
            printf("; silver rebuilt from %lld load%s (%lld rows written)\n",
                   (long long)r->replayed, r->replayed == 1 ? "" : "s", (long long)r->rows_written);
        else
            printf("; silver updated: %lld rows written, %lld removed\n",
                   (long long)r->rows_written, (long long)r->rows_deleted);
    }
}

/* rollback, activate, deactivate and rebuild share their parser; each has its own options. */
const struct option rollback_options[] = {GLOBAL_OPTIONS,
                                          {"to", required_argument, NULL, 't'},
                                          {"reason", required_argument, NULL, 'r'},
                                          {"output", required_argument, NULL, 'o'},
                                          {NULL, 0, NULL, 0}};
const struct option activate_options[] = {GLOBAL_OPTIONS,
                                          {"reason", required_argument, NULL, 'r'},
                                          {"output", required_argument, NULL, 'o'},
                                          {NULL, 0, NULL, 0}};
const struct option rebuild_options[] = {
    GLOBAL_OPTIONS, {"output", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0}};
const struct option history_options[] = {
    GLOBAL_OPTIONS, {"output", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0}};
const char change_shortopts[] = "qho:";
static int change_command(const char *cmd, struct cli *c, int argc, char **argv)
{
    const struct option *opts = !strcmp(cmd, "rollback")  ? rollback_options
                                : !strcmp(cmd, "rebuild") ? rebuild_options
                                                          : activate_options;
    struct sl_error err = {0, ""};
    struct sl_change_result res;
    struct sl_db *db;
    const char *reason = NULL, *to = NULL, *source;
    int64_t v = 0;
    int opt, out = OUT_TEXT, h, rc = EXIT_OK, want_args;

    while ((opt = getopt_long(argc, argv, change_shortopts, opts, NULL)) != -1) {
        if (opt == 'h') return print_help(cmd);
        if ((h = global_option(c, opt, optarg))) {
            if (h < 0) return EXIT_USAGE;
            continue;
        }
        if (opt == 't' && !strcmp(cmd, "rollback")) {
            to = optarg;
            continue;
        }
        if (opt == 'r' && strcmp(cmd, "rebuild")) {
            reason = optarg;
            continue;
        }
        if (opt == 'o') {
            if (parse_output(cmd, optarg, 1u << OUT_TEXT | 1u << OUT_JSON, &out)) return EXIT_USAGE;
            continue;
        }
        return bad_option(cmd, argc, argv);
    }
    want_args = !strcmp(cmd, "activate") || !strcmp(cmd, "deactivate") ? 2 : 1;
    if (argc - optind != want_args)
        return usage_error(cmd, want_args == 2 ? "expected a source name and a load number"
                                               : "expected one source name");
    source = argv[optind];
    if (!strcmp(cmd, "rollback")) {
        if (!to) return usage_error(cmd, "--to V is required");
        if (parse_load_id(cmd, to, &v)) return EXIT_USAGE;
    } else if (want_args == 2 && parse_load_id(cmd, argv[optind + 1], &v)) {
        return EXIT_USAGE;
    }
    c->must_exist = 1;
    c->existing = 1; /* no catalog is created in another application's database */
    if (!(db = cli_open_db(c, &rc))) return rc;
    if (!strcmp(cmd, "rollback")) {
        rc = sl_version_rollback(db, source, v, reason, &res, &err);
    } else if (!strcmp(cmd, "rebuild")) {
        rc = sl_version_change(db, source, cmd, NULL, 0, NULL, &res, &err);
    } else {
        struct sl_flag_change ch = {v, !strcmp(cmd, "activate")};
        rc = sl_version_change(db, source, cmd, &ch, 1, reason, &res, &err);
    }
    if (rc) {
        fprintf(stderr, "sluice: %s: %s\n", cmd, err.msg);
        rc = sl_exit_code(rc);
    } else {
        print_result(cmd, source, v, &res, out == OUT_JSON, c->quiet);
    }
    sl_store_close(db);
    return rc;
}

int cmd_rollback(struct cli *c, int argc, char **argv)
{
    return change_command("rollback", c, argc, argv);
}

int cmd_activate(struct cli *c, int argc, char **argv)
{
    return change_command("activate", c, argc, argv);
}

int cmd_deactivate(struct cli *c, int argc, char **argv)
{
    return change_command("deactivate", c, argc, argv);
}

int cmd_rebuild(struct cli *c, int argc, char **argv)
{
    return change_command("rebuild", c, argc, argv);
}

int cmd_history(struct cli *c, int argc, char **argv)
{
    struct sl_error err = {0, ""};
    struct sl_version_event *v = NULL;
    struct sl_db *db;
    size_t n = 0;
    int opt, out = OUT_TEXT, h, rc = EXIT_OK;

    while ((opt = getopt_long(argc, argv, change_shortopts, history_options, NULL)) != -1) {
        if (opt == 'h') return print_help("history");
        if ((h = global_option(c, opt, optarg))) {
            if (h < 0) return EXIT_USAGE;
            continue;
        }
        if (opt == 'o') {
            if (parse_output("history", optarg, 1u << OUT_TEXT | 1u << OUT_JSON, &out))
                return EXIT_USAGE;
            continue;
        }
        return bad_option("history", argc, argv);
    }
    if (argc - optind > 1) return usage_error("history", "expected at most one source name");
    c->must_exist = 1;
    c->read_only = 1; /* a read command never writes (not even a catalog) */
    if (!(db = cli_open_db(c, &rc))) return rc;
    if (db->store->list_events(db, optind < argc ? argv[optind] : NULL, &v, &n, &err)) {
        fprintf(stderr, "sluice: %s\n", err.msg);
        rc = EXIT_RUNTIME;
        goto out;
    }
    if (out == OUT_JSON) {
        struct sl_buf b = SL_BUF_INIT;
        sl_buf_addc(&b, '[');
        for (size_t i = 0; i < n; i++) {
            sl_buf_addf(&b, "%s{\"event\":%lld,\"source\":", i ? "," : "", (long long)v[i].id);
            sl_buf_json_cstr(&b, v[i].source);
            sl_buf_addf(&b, ",\"load\":%lld,\"action\":", (long long)v[i].load);
            sl_buf_json_cstr(&b, v[i].action);
            sl_buf_adds(&b, ",\"command\":");
            sl_buf_json_cstr(&b, v[i].command);
            sl_buf_adds(&b, ",\"who\":");
            sl_buf_json_cstr(&b, v[i].who);
            sl_buf_adds(&b, ",\"at\":");
            sl_buf_json_cstr(&b, v[i].at);
            sl_buf_adds(&b, ",\"reason\":");
            sl_buf_json_cstr(&b, v[i].reason);
            sl_buf_addc(&b, '}');
        }
        sl_buf_adds(&b, "]\n");
        fputs(b.p, stdout);
        sl_buf_free(&b);
    } else {
        printf("%-5s %-16s %-5s %-10s %-10s %-12s %-24s %s\n", "event", "source", "load", "action",
               "command", "who", "at", "reason");
        for (size_t i = 0; i < n; i++) {
            /* the reason and who are free text from the command line and the environment */
            printf("%-5lld %-16s %-5lld %-10s %-10s %-12s %s", (long long)v[i].id,
                   cli_shown(v[i].source), (long long)v[i].load, cli_shown(v[i].action),
                   cli_shown(v[i].command), v[i].who ? cli_shown(v[i].who) : "-",
                   cli_shown(v[i].at));
            if (v[i].reason) printf(" %s", cli_shown(v[i].reason));
            printf("\n");
        }
    }
out:
    sl_version_events_free(v, n);
    sl_store_close(db);
    return rc;
}
