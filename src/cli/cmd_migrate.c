/* sluice migrate status|up|down N: the catalog's migrations, for operators. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int status(struct sl_db *db)
{
    struct sl_error err = {0, ""};
    struct sl_migration_info *v = NULL;
    size_t n = 0;
    int applied = 0, known = 0, rc = EXIT_OK;

    if (db->store->migrations(db, &v, &n, &err)) {
        fprintf(stderr, "sluice: %s\n", err.msg);
        return EXIT_RUNTIME;
    }
    printf("%-8s %-20s %-8s %s\n", "version", "name", "state", "applied");
    for (size_t i = 0; i < n; i++) {
        const char *state = !v[i].applied  ? "pending"
                            : !v[i].known  ? "unknown"
                            : v[i].changed ? "changed"
                                           : "applied";
        if (v[i].applied_at)
            printf("%-8d %-20s %-8s %s\n", v[i].version, cli_shown(v[i].name), state,
                   cli_shown(v[i].applied_at));
        else
            printf("%-8d %-20s %s\n", v[i].version, cli_shown(v[i].name), state);
        if (v[i].applied && v[i].version > applied) applied = v[i].version;
        if (v[i].known && v[i].version > known) known = v[i].version;
        if (!v[i].known || v[i].changed) rc = EXIT_RUNTIME;
    }
    printf("database at version %d; this sluice knows up to %d\n", applied, known);
    if (rc)
        fprintf(stderr, "sluice: the database has migrations this sluice does not know or "
                        "that were changed: use the sluice that wrote it\n");
    sl_migration_infos_free(v, n);
    return rc;
}

const struct option migrate_options[] = {GLOBAL_OPTIONS, {NULL, 0, NULL, 0}};
const char migrate_shortopts[] = "qh";

int cmd_migrate(struct cli *c, int argc, char **argv)
{
    struct sl_error err = {0, ""};
    struct sl_db *db;
    const char *what;
    int opt, h, rc = EXIT_OK, target = -1;

    while ((opt = getopt_long(argc, argv, migrate_shortopts, migrate_options, NULL)) != -1) {
        if (opt == 'h') return print_help("migrate");
        if ((h = global_option(c, opt, optarg))) {
            if (h < 0) return EXIT_USAGE;
            continue;
        }
        return bad_option("migrate", argc, argv);
    }
    if (optind >= argc) return usage_error("migrate", "expected status, up or down N");
    what = argv[optind];
    if (!strcmp(what, "status") || !strcmp(what, "up")) {
        if (optind + 1 != argc) return usage_error("migrate", "too many arguments");
    } else if (!strcmp(what, "down")) {
        char *end;
        long v;
        if (optind + 2 != argc) return usage_error("migrate", "down needs a version: down N");
        v = strtol(argv[optind + 1], &end, 10);
        if (*end || end == argv[optind + 1] || v < 0 || v > 1000000)
            return usage_error("migrate", "down N: N is a version number (0 or more)");
        target = (int)v;
    } else {
        return usage_error("migrate", "expected status, up or down N");
    }
    c->no_migrate = 1;
    if (!(db = cli_open_db(c, &rc))) return rc;
    if (!strcmp(what, "status")) {
        rc = status(db);
    } else if (db->store->migrate(db, target, &err)) {
        fprintf(stderr, "sluice: %s\n", err.msg);
        rc = EXIT_RUNTIME;
    } else {
        rc = status(db);
    }
    sl_store_close(db);
    return rc;
}
