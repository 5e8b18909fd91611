/* The command line: one file per command, dispatched from the table in main.c. */
#ifndef SLUICE_CLI_H
#define SLUICE_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "sluice/sluice.h"

/* Exit codes (CLI.md). */
enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2, EXIT_RUNTIME = 3 };

struct cli {
    const char *db_url;       /* --db, SLUICE_DB, the config's store, or sqlite:sluice.db */
    const char *config_path;  /* --config, or ./sluice.yaml if it exists */
    struct sl_config *config; /* loaded lazily by cli_config() */
    int quiet;
    int progress;        /* stderr is a terminal and not --quiet */
    int must_exist;      /* cli_open_db: a SQLite file that does not exist is an error */
    int no_migrate;      /* cli_open_db: leave the catalog as it is (sluice migrate) */
    int read_only;       /* cli_open_db: the command only reads (SL_STORE_OPEN_READ_ONLY) */
    int no_catalog_ok;   /* cli_open_db: a store without sluice's catalog is no store (NULL, 0) */
    int existing;        /* cli_open_db: the store must have sluice's catalog (none is created) */
    double busy_timeout; /* --busy-timeout in seconds, -1 when not given */
    char *db_owned;
};

struct command {
    const char *name;
    int (*fn)(struct cli *c, int argc, char **argv);
    const char *usage;   /* one line */
    const char *summary; /* one line */
    const char *help;    /* options, in detail */
    /* what its parser accepts (the global options included): `sluice help --flags COMMAND`
     * lists them, and tests/integration/help_flags.sh checks that the help names each one */
    const struct option *options;
    const char *shortopts;
};

extern const struct command commands[];
/* Each command's options (cmd_*.c). */
extern const struct option load_options[], run_options[], check_options[], cat_options[],
    infer_options[], versions_options[], quality_options[], rollback_options[], activate_options[],
    rebuild_options[], history_options[], diff_options[], lineage_options[], schema_options[],
    migrate_options[];
extern const char load_shortopts[], run_shortopts[], check_shortopts[], cat_shortopts[],
    infer_shortopts[], versions_shortopts[], quality_shortopts[], change_shortopts[],
    diff_shortopts[], lineage_shortopts[], migrate_shortopts[];
const struct command *find_command(const char *name);

/* Options every command accepts besides its own (--db, --config, --quiet, --log-format, --help).
 * Returns 1 when opt was one of them (handled), 0 when not, -1 on a bad value. */
int global_option(struct cli *c, int opt, const char *arg);
#define GLOBAL_OPTIONS                                                                    \
    {"db", required_argument, NULL, 1001}, {"config", required_argument, NULL, 1002},     \
        {"quiet", no_argument, NULL, 'q'}, {"log-format", required_argument, NULL, 1003}, \
        {"busy-timeout", required_argument, NULL, 1004},                                  \
    {                                                                                     \
        "help", no_argument, NULL, 'h'                                                    \
    }

int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* getopt_long found an option it does not know or one without its value: usage_error naming
 * it (escaped; getopt's own messages are off, they would print it raw). */
int bad_option(const char *cmd, int argc, char **argv);
/* s as it may be printed in a message or a text table: control characters escaped
 * (sl_buf_add_printable; NULL is ""). For every name or value a user, a config or an input
 * chose (file names, header cells, values, reasons). The result lives until 16 more calls. */
const char *cli_shown(const char *s);
int print_help(const char *cmd);

/* The config file, loaded once (NULL when there is none; exits 2 on a bad one). */
int cli_config(struct cli *c, const struct sl_config **out);
/* Opens the store; prints the error, sets *exit_code and returns NULL on failure. */
struct sl_db *cli_open_db(struct cli *c, int *exit_code);
/* Before a command opens a file to write (--rejects, --out...): registers the files it must
 * not overwrite (sluice/outfile.h): the store's, sluice.yaml and its .env, src's schema (src
 * may be NULL) and the inputs (paths, globs and directories, relative to base_dir; "-" is standard
 * input). Returns 0, or an exit code for a bad config. */
int cli_protect(struct cli *c, const char *const *inputs, size_t n, const char *base_dir,
                const struct sl_source *src);
/* After cli_protect: exit code 2 (message printed) when the config's OpenLineage events file
 * may not be written, else 0. */
int cli_check_events_file(struct cli *c);
/* Warns about the symbolic links an expansion did not follow (struct sl_paths's skipped). */
void cli_warn_skipped(const struct sl_paths *paths);

/* Output of one load: text (people) or one JSON object per line. */
void print_load_result(const struct sl_load_result *r, int json, int quiet,
                       const char *bronze_table);
int exit_code_merge(int a, int b);
/* Loads every path of paths as src, prints each outcome, merges exit codes into *rc and counts
 * loads into *nloads. Stops early on SIGINT/SIGTERM. */
void cli_load_paths(struct cli *c, struct sl_db *db, const struct sl_source *src,
                    const struct sl_paths *paths, const struct sl_load_opts *lo, int json, int *rc,
                    int64_t *nloads);
/* Ends a run of loads: flushes the output, records the run with a status that follows the exit
 * code, and says so when a signal stopped it. Returns the run's exit code. */
int cli_end_run(struct sl_db *db, int64_t run, int exit_code, int64_t loads);

/* --output */
enum output { OUT_TEXT, OUT_JSON, OUT_YAML, OUT_HTML, OUT_COUNT };
int parse_output(const char *cmd, const char *arg, unsigned allowed, int *out);

/* Options that describe how to read an input (load, check, cat, infer). */
#define READ_OPTIONS                                                                         \
    {"format", required_argument, NULL, 2001}, {"delimiter", required_argument, NULL, 2003}, \
        {"header", no_argument, NULL, 2004}, {"no-header", no_argument, NULL, 2005},         \
        {"encoding", required_argument, NULL, 2006},                                         \
        {"max-record-size", required_argument, NULL, 2009},                                  \
        {"max-columns", required_argument, NULL, 2012},                                      \
        {"max-input-size", required_argument, NULL, 2010},                                   \
    {                                                                                        \
        "records", required_argument, NULL, 2013                                             \
    }
#define SCHEMA_OPTION                           \
    {                                           \
        "schema", required_argument, NULL, 2002 \
    }
#define PRIMARY_KEY_OPTION                           \
    {                                                \
        "primary-key", required_argument, NULL, 2007 \
    }
#define TIMESTAMP_OPTION                           \
    {                                              \
        "timestamp", required_argument, NULL, 2008 \
    }
#define MODE_OPTION                           \
    {                                         \
        "mode", required_argument, NULL, 2011 \
    }
#define ON_TYPE_CHANGE_OPTION                           \
    {                                                   \
        "on-type-change", required_argument, NULL, 2014 \
    }
/* 1 handled, 0 not a source option, -1 bad value (message printed). */
int source_option(const char *cmd, struct sl_source *src, int opt, const char *arg);
/* Starts src as a copy of the configured source `name` (if there is one) or empty. */
void source_from_config(struct sl_source *src, const struct sl_config *cfg, const char *name);
/* Opens the source's rejects: file (NULL when it has none); prints the error, returns the exit
 * code. */
int source_rejects_open(const struct sl_source *src, struct sl_rejects **out);
/* Before the store is opened: exit code 2 (message printed) when the source's rejects: file may
 * not be written (sluice/outfile.h), else 0. */
int source_rejects_check(const struct sl_source *src);
/* Options are read twice: this first pass looks only at --source (short 's') and --config,
 * which pick the configured source the other options then refine; then the caller parses
 * all of argv (optind is reset). The config is read when with_config or --source is given.
 * src is always initialized; returns 0 or an exit code. */
int source_prescan(struct cli *c, int argc, char **argv, const char *shortopts,
                   const struct option *opts, int with_config, struct sl_source *src);
#endif
