/*
 * sluice: load, check and version data. `sluice help` lists the commands; each one lives in
 * its own file (cmd_*.c) and is found through the table below, the way git.c dispatches.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "sluice/outfile.h"

int cmd_load(struct cli *c, int argc, char **argv);
int cmd_run(struct cli *c, int argc, char **argv);
int cmd_check(struct cli *c, int argc, char **argv);
int cmd_cat(struct cli *c, int argc, char **argv);
int cmd_infer(struct cli *c, int argc, char **argv);
int cmd_versions(struct cli *c, int argc, char **argv);
int cmd_quality(struct cli *c, int argc, char **argv);
int cmd_rollback(struct cli *c, int argc, char **argv);
int cmd_activate(struct cli *c, int argc, char **argv);
int cmd_deactivate(struct cli *c, int argc, char **argv);
int cmd_rebuild(struct cli *c, int argc, char **argv);
int cmd_history(struct cli *c, int argc, char **argv);
int cmd_diff(struct cli *c, int argc, char **argv);
int cmd_lineage(struct cli *c, int argc, char **argv);
int cmd_schema(struct cli *c, int argc, char **argv);
int cmd_migrate(struct cli *c, int argc, char **argv);
static int cmd_help(struct cli *c, int argc, char **argv);
static int cmd_version(struct cli *c, int argc, char **argv);

const struct command commands[] = {
    {"load", cmd_load,
     "sluice load FILE... [--source NAME] [--schema FILE] [--format F] [--primary-key A,B] "
     "[--timestamp FIELD] [--force] [--min-score S] [--rejects FILE] [--output text|json]",
     "load files into the store (bronze, silver and a new version each)",
     "  Loads each FILE (- for stdin; .gz and .zst are read transparently) as one load of\n"
     "  the source NAME (default: the first file's name without extensions). Without\n"
     "  --schema the types are inferred from the whole input. The same input twice is\n"
     "  loaded once (recognized by SHA-256) unless --force.\n"
     "\n"
     "  -s, --source NAME    the source (silver table NAME, bronze table bronze_NAME)\n"
     "  --schema FILE        a Frictionless Table Schema (YAML or JSON)\n"
     "  --format F           csv, tsv, ndjson or json (default: detected)\n"
     "  --delimiter C        CSV delimiter (default: detected among , ; tab |)\n"
     "  --header / --no-header   whether the first CSV row is a header (default: detected)\n"
     "  --encoding E         utf-8, latin1 or windows-1252 (default: detected)\n"
     "  --primary-key A,B    key fields: later loads update rows with the same key\n"
     "  --timestamp FIELD    the field holding each record's own time\n"
     "  --max-record-size N  largest record kept in memory (default 64MiB)\n"
     "  --max-input-size N   refuse inputs larger than this once decompressed\n"
     "  --max-columns N      most input columns read (default 16384; see docs/robustness.md)\n"
     "  --records POINTER    JSON: the array of records inside the document, as a JSON\n"
     "                       pointer (/features, /data/items; see docs/formats.md)\n"
     "  -f, --force          load even if this input was loaded before\n"
     "  --min-score S        fail the load (kept in bronze only) when its quality score is\n"
     "                       below S (0..1); see docs/quality.md for the other thresholds\n"
     "  --allow-breaking     apply a breaking schema change (silver is rebuilt)\n"
     "  --on-type-change P   values that need a wider type than a silver column has:\n"
     "                       reject (default: the load fails), widen (the column widens)\n"
     "                       or quarantine (their rows are rejected, the type stays)\n"
     "  --mode M             append, upsert or snapshot (see docs/versions.md)\n"
     "  --rejects FILE       also write rejected rows with their reasons (.ndjson or .csv)\n"
     "  --rejects-format F   ndjson or csv, whatever the name of FILE\n"
     "  -o, --output text|json   one JSON object per load with --output json\n",
     load_options, load_shortopts},
    {"run", cmd_run, "sluice run [SOURCE...] [--force] [--rejects FILE] [--output text|json]",
     "load the sources of sluice.yaml (all, or the ones named)",
     "  Expands each source's input paths and globs and loads every file it finds as one\n"
     "  load; files loaded before are skipped. Other inputs go on when one fails.\n"
     "\n"
     "  -f, --force          load files even if they were loaded before\n"
     "  --allow-breaking     apply a breaking schema change (silver is rebuilt)\n"
     "  --on-type-change P   reject, widen or quarantine, for every source (default: each\n"
     "                       source's on_type_change, else reject; see sluice load --help)\n"
     "  --rejects FILE       also write rejected rows with their reasons (.ndjson or .csv)\n"
     "  --rejects-format F   ndjson or csv, whatever the name of FILE\n"
     "  -o, --output text|json   one JSON object per load with --output json\n",
     run_options, run_shortopts},
    {"check", cmd_check,
     "sluice check FILE [--source NAME] [--schema FILE] [--format F] [--max-errors N] "
     "[--rejects FILE] [--output text|json]",
     "validate a file without loading it (exit 1 if some records are not valid)",
     "  Reads FILE as a load would and reports every problem: records that cannot be\n"
     "  read, cells that do not fit their type, missing key values.\n"
     "\n"
     "  -s, --source NAME    read the file as source NAME of sluice.yaml does (schema, key,\n"
     "                       options); the flags below refine it\n"
     "  --schema FILE        a Frictionless Table Schema (default: types are inferred)\n"
     "  --format F           csv, tsv, ndjson or json (default: detected)\n"
     "  --delimiter C        CSV delimiter (default: detected among , ; tab |)\n"
     "  --header / --no-header   whether the first CSV row is a header (default: detected)\n"
     "  --encoding E         utf-8, latin1 or windows-1252 (default: detected)\n"
     "  --primary-key A,B    check that keys are unique and present\n"
     "  --timestamp FIELD    the field holding each record's own time (timeliness)\n"
     "  --max-record-size N  largest record kept in memory (default 64MiB)\n"
     "  --max-input-size N   refuse inputs larger than this once decompressed\n"
     "  --max-columns N      most input columns read (default 16384)\n"
     "  --records POINTER    JSON: the array of records inside the document, as a JSON\n"
     "                       pointer (/features, /data/items; see docs/formats.md)\n"
     "  -m, --max-errors N   list at most N errors (the counts stay exact)\n"
     "  --rejects FILE       also write rejected rows with their reasons (.ndjson or .csv)\n"
     "  --rejects-format F   ndjson or csv, whatever the name of FILE\n"
     "  -o, --output text|json\n",
     check_options, check_shortopts},
    {"cat", cmd_cat, "sluice cat FILE [--format F] [--to ndjson|csv] [--schema FILE]",
     "print the records of a file as NDJSON or CSV",
     "  Without --schema the values are the strings as parsed (JSON values as they are);\n"
     "  with --schema they are typed. Records that cannot be read are reported on stderr\n"
     "  and make the exit code 1.\n"
     "\n"
     "  -t, --to ndjson|csv  output format (default ndjson)\n"
     "  -s, --source NAME    read it as source NAME of sluice.yaml does\n"
     "  --format F           input format (default: detected)\n"
     "  --schema FILE        cast the values with this Table Schema\n"
     "  --delimiter C        CSV delimiter (default: detected among , ; tab |)\n"
     "  --header / --no-header   whether the first CSV row is a header (default: detected)\n"
     "  --encoding E         utf-8, latin1 or windows-1252 (default: detected)\n"
     "  --max-record-size N  largest record kept in memory (default 64MiB)\n"
     "  --max-input-size N   refuse inputs larger than this once decompressed\n"
     "  --max-columns N      most input columns read (default 16384)\n"
     "  --records POINTER    JSON: the array of records inside the document, as a JSON\n"
     "                       pointer (/features, /data/items; see docs/formats.md)\n",
     cat_options, cat_shortopts},
    {"infer", cmd_infer, "sluice infer FILE [--format F] [--output yaml|json]",
     "print the Frictionless Table Schema of a file, inferred from all of it",
     "  Reads the whole file (not a sample) and prints the narrowest type of every column.\n"
     "  The result can be edited and given back with --schema.\n"
     "\n"
     "  --format F           input format (default: detected)\n"
     "  -s, --source NAME    read it as source NAME of sluice.yaml does (options, key)\n"
     "  --delimiter C        CSV delimiter (default: detected among , ; tab |)\n"
     "  --header / --no-header   whether the first CSV row is a header (default: detected)\n"
     "  --encoding E         utf-8, latin1 or windows-1252 (default: detected)\n"
     "  --primary-key A,B    add a primary key to the schema\n"
     "  --max-record-size N  largest record kept in memory (default 64MiB)\n"
     "  --max-input-size N   refuse inputs larger than this once decompressed\n"
     "  --max-columns N      most input columns read (default 16384)\n"
     "  --records POINTER    JSON: the array of records inside the document, as a JSON\n"
     "                       pointer (/features, /data/items; see docs/formats.md)\n"
     "  -o, --output yaml|json   default yaml\n",
     infer_options, infer_shortopts},
    {"versions", cmd_versions, "sluice versions SOURCE [--all] [--output text|json]",
     "list the loads (versions) of a source",
     "  Every load of the source, oldest first: status, active flag, counts, time, input.\n"
     "  Attempts skipped because the same input was loaded before are left out.\n"
     "\n"
     "  -a, --all            also list the skipped attempts\n"
     "  -o, --output text|json\n",
     versions_options, versions_shortopts},
    {"quality", cmd_quality, "sluice quality SOURCE [--load V] [--output text|json|html] [-o FILE]",
     "show the quality report of a load (the latest by default)",
     "  The figures of a load as stored in the catalog (completeness, validity, uniqueness,\n"
     "  consistency, timeliness, accuracy, score and grade), per field, the anomalies\n"
     "  against earlier loads and the recommendations. See docs/quality.md.\n"
     "\n"
     "  -l, --load V         the load to report on (default: the latest with figures)\n"
     "  --output text|json|html   html is one self-contained file with SVG charts\n"
     "  -o, --out FILE       write the report to FILE instead of stdout\n",
     quality_options, quality_shortopts},
    {"rollback", cmd_rollback, "sluice rollback SOURCE --to V [--reason TEXT] [--output text|json]",
     "make silver exactly the state after load V (later loads are deactivated)",
     "  Deactivates every committed load after V (and activates V if it was not active),\n"
     "  then brings silver to exactly what a rebuild from the active loads gives, in one\n"
     "  transaction. Every flag change is recorded (`sluice history`).\n"
     "\n"
     "  --to V               the load (version) to go back to\n"
     "  --reason TEXT        why, kept with the change\n"
     "  -o, --output text|json\n",
     rollback_options, change_shortopts},
    {"activate", cmd_activate, "sluice activate SOURCE V [--reason TEXT] [--output text|json]",
     "make load V count in silver again",
     "  Sets load V active and brings silver to the rebuild of the active loads.\n"
     "\n"
     "  --reason TEXT        why, kept with the change\n"
     "  -o, --output text|json\n",
     activate_options, change_shortopts},
    {"deactivate", cmd_deactivate,
     "sluice deactivate SOURCE V [--reason TEXT] [--output text|json]",
     "take load V out of silver (bronze keeps it)",
     "  Sets load V inactive and brings silver to the rebuild of the active loads.\n"
     "\n"
     "  --reason TEXT        why, kept with the change\n"
     "  -o, --output text|json\n",
     activate_options, change_shortopts},
    {"rebuild", cmd_rebuild, "sluice rebuild SOURCE [--output text|json]",
     "recompute silver from the active bronze loads",
     "  Empties silver and casts the bronze rows of the active loads again, in load order\n"
     "  (from the last active snapshot-mode load on).\n"
     "\n"
     "  -o, --output text|json\n",
     rebuild_options, change_shortopts},
    {"history", cmd_history, "sluice history [SOURCE] [--output text|json]",
     "list the recorded activations and deactivations",
     "  Who changed which load's active flag, when, with which command and why.\n"
     "\n"
     "  -o, --output text|json\n",
     history_options, change_shortopts},
    {"diff", cmd_diff, "sluice diff SOURCE V1 V2 [--sample N] [--output text|json]",
     "what changed in silver between the states after V1 and after V2",
     "  The state after V is what silver holds after `rollback --to V`: the active loads\n"
     "  before V, and V. Keyed sources: keys added, removed and changed (per field);\n"
     "  unkeyed sources: rows added and removed, by content.\n"
     "\n"
     "  --sample N           list at most N changes (default 10)\n"
     "  -o, --output text|json\n",
     diff_options, diff_shortopts},
    {"lineage", cmd_lineage, "sluice lineage [SOURCE] [--row KEY] [--output text|json|dot|mermaid]",
     "where data came from: inputs, loads, bronze, silver; or one row's history",
     "  Without --row: the graph input -> load -> bronze -> silver of a source (or of all),\n"
     "  with schema versions and modes. With --row KEY: the load, input, line and byte\n"
     "  offset the silver row with that key came from, and every load that wrote the key.\n"
     "\n"
     "  --row KEY            a key; a composite key as comma-separated values in key order\n"
     "  -o, --output F       text, json, dot or mermaid (--row: text or json)\n",
     lineage_options, lineage_shortopts},
    {"schema", cmd_schema, "sluice schema SOURCE [--history] [--output text|json|yaml]",
     "the source's schema and its versions",
     "  The schema silver has now; with --history every schema version (a new one whenever\n"
     "  the schema changed) with its change classified: additive, widening or breaking.\n"
     "\n"
     "  --history            every version\n"
     "  -o, --output text|json|yaml\n",
     schema_options, lineage_shortopts},
    {"migrate", cmd_migrate, "sluice migrate status|up|down N",
     "show or change the version of sluice's own tables (the catalog)",
     "  Every command brings the catalog up to date when it opens the store; migrate is for\n"
     "  operators. status lists the migrations this sluice knows and the ones the database\n"
     "  has applied; up applies the missing ones; down N undoes the applied ones above\n"
     "  version N (down 0 removes the catalog; bronze and silver tables stay).\n",
     migrate_options, migrate_shortopts},
    {"help", cmd_help, "sluice help [COMMAND] [--flags COMMAND] [--commands]",
     "show help for sluice or a command",
     "  --flags COMMAND      the long options COMMAND accepts, one a line, global ones\n"
     "                       included (for shell completion)\n"
     "  --commands           the command names, one a line\n",
     NULL, NULL},
    {"version", cmd_version, "sluice version", "print the version", "", NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL}};

const struct command *find_command(const char *name)
{
    for (const struct command *cmd = commands; cmd->name; cmd++)
        if (!strcmp(cmd->name, name)) return cmd;
    return NULL;
}

static void print_overview(FILE *f)
{
    fprintf(f, "usage: sluice [--db URL] [--config FILE] [--quiet] [--log-format text|json] "
               "[--busy-timeout T] COMMAND [ARGS]\n\n"
               "sluice loads files into SQLite or PostgreSQL with versions, checks and a record\n"
               "of every row.\n\n"
               "commands:\n");
    for (const struct command *cmd = commands; cmd->name; cmd++)
        fprintf(f, "  %-10s %s\n", cmd->name, cmd->summary);
    fprintf(f, "\nglobal options:\n"
               "  --db URL             the store: sqlite:PATH or a path (SQLite), or\n"
               "                       postgresql://USER@HOST:PORT/DB (PostgreSQL); default:\n"
               "                       $SLUICE_DB, else the store: of sluice.yaml, else\n"
               "                       sqlite:sluice.db\n"
               "  --config FILE        default ./sluice.yaml when it exists\n"
               "  -q, --quiet          print errors only\n"
               "  --log-format F       text or json (log lines on stderr)\n"
               "  --busy-timeout T     how long to wait for another load writing the SQLite\n"
               "                       store (default 10m; also busy_timeout: in sluice.yaml)\n"
               "  -h, --help           this help; after a command, the command's help\n\n"
               "exit codes: 0 ok, 1 data problems, 2 usage or config error, 3 runtime failure\n"
               "`sluice help COMMAND` tells more.\n");
}

/* Levenshtein distance of a and b, both short (command names); large when too long. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[33];
    if (la > 32 || lb > 32) return SIZE_MAX;
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* An unknown command: exit 2, with the commands within 2 edits of it (or that it starts)
 * as suggestions, like git's "did you mean". */
static int unknown_command(const char *name)
{
    struct sl_buf b = SL_BUF_INIT, shown = SL_BUF_INIT;
    size_t n = 0;
    for (const struct command *cmd = commands; cmd->name; cmd++) {
        size_t d = edit_distance(name, cmd->name);
        size_t len = strlen(name);
        if (d <= (strlen(cmd->name) > 4 ? 2u : 1u) ||
            (len >= 3 && !strncmp(cmd->name, name, len))) {
            sl_buf_addf(&b, "%s%s", n ? ", " : "", cmd->name);
            n++;
        }
    }
    sl_buf_add_printable(&shown, name, strlen(name));
    fprintf(stderr, "sluice: unknown command '%s'\n", shown.p);
    if (n)
        fprintf(stderr, "did you mean %s%s?\n", n > 1 ? "one of " : "", b.p);
    else
        fprintf(stderr, "try `sluice help`\n");
    sl_buf_free(&b);
    sl_buf_free(&shown);
    return EXIT_USAGE;
}

int print_help(const char *name)
{
    const struct command *cmd = find_command(name);
    if (!cmd) return unknown_command(name);
    printf("usage: %s\n\n%s.\n\n%s", cmd->usage, cmd->summary, cmd->help);
    if (cmd->options)
        printf("\n  Global options (--db, --config, --quiet, --log-format, --busy-timeout) go\n"
               "  before or after the command; `sluice help` describes them.\n");
    return EXIT_OK;
}

/* `sluice help --flags COMMAND`: what the command's parser accepts, one a line. */
static int print_flags(const char *name)
{
    const struct command *cmd = find_command(name);
    if (!cmd) return unknown_command(name);
    for (const struct option *o = cmd->options; o && o->name; o++) printf("--%s\n", o->name);
    for (const char *p = cmd->shortopts; p && *p; p++)
        if (*p != ':') printf("-%c\n", *p);
    return EXIT_OK;
}

int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    struct sl_buf msg = SL_BUF_INIT, red = SL_BUF_INIT;
    va_start(ap, fmt);
    sl_buf_vaddf(&msg, fmt, ap);
    va_end(ap);
    sl_buf_add_redacted(&red, sl_buf_str(&msg)); /* like every message: no secret, */
    fprintf(stderr, "sluice: ");
    if (cmd) fprintf(stderr, "%s: ", cmd);
    fprintf(stderr, "%s\n", cli_shown(sl_buf_str(&red))); /* no control character */
    sl_buf_free(&msg);
    sl_buf_free(&red);
    if (cmd && find_command(cmd))
        fprintf(stderr, "usage: %s\n", find_command(cmd)->usage);
    else
        fprintf(stderr, "try `sluice help`\n");
    return EXIT_USAGE;
}

int bad_option(const char *cmd, int argc, char **argv)
{
    const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
    return usage_error(cmd, "unknown or incomplete option '%s'", arg);
}

static int cmd_help(struct cli *c, int argc, char **argv)
{
    (void)c;
    if (argc > 1 && !strcmp(argv[1], "--flags")) {
        if (argc != 3) return usage_error("help", "--flags needs one command name");
        return print_flags(argv[2]);
    }
    if (argc > 1 && !strcmp(argv[1], "--commands")) {
        for (const struct command *cmd = commands; cmd->name; cmd++) printf("%s\n", cmd->name);
        return EXIT_OK;
    }
    if (argc > 1) return print_help(argv[1]);
    print_overview(stdout);
    return EXIT_OK;
}

static int cmd_version(struct cli *c, int argc, char **argv)
{
    (void)c, (void)argc, (void)argv;
    printf("sluice %s (SQLite and PostgreSQL stores)\n", SL_VERSION);
    return EXIT_OK;
}

int global_option(struct cli *c, int opt, const char *arg)
{
    switch (opt) {
    case 1001: c->db_url = arg; return 1;
    case 1002: c->config_path = arg; return 1;
    case 'q':
        c->quiet = 1;
        c->progress = 0;
        sl_log_cfg.level = SL_LOG_ERROR;
        return 1;
    case 1004: {
        double t = sl_parse_duration(arg);
        if (t < 0) {
            usage_error(NULL, "--busy-timeout expects a duration (e.g. 30s, 10m, 1h), not '%s'",
                        arg);
            return -2;
        }
        c->busy_timeout = t;
        return 1;
    }
    case 1003:
        if (!strcmp(arg, "json"))
            sl_log_cfg.json = 1;
        else if (!strcmp(arg, "text"))
            sl_log_cfg.json = 0;
        else
            return -1;
        return 1;
    }
    return 0;
}

static void on_signal(int sig)
{
    /* the first signal asks the load to roll back and stop; a second one ends sluice now */
    if (sl_interrupted) {
        signal(sig, SIG_DFL);
        raise(sig);
    }
    sl_interrupted = 1;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        GLOBAL_OPTIONS, {"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0}};
    struct cli c;
    int opt, rc;

    memset(&c, 0, sizeof c);
    c.busy_timeout = -1;
    /* no SA_RESTART: a read blocked on an idle stdin must return EINTR and stop */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* over a file-size limit (ulimit -f) a write fails with EFBIG and the load rolls back with a
     * message, instead of the process being killed mid-write */
    signal(SIGXFSZ, SIG_IGN);
    /* global options up to the command; getopt must not permute past it */
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "+qh", opts, NULL)) != -1) {
        if (opt == 'h') {
            print_overview(stdout);
            return EXIT_OK;
        }
        if (opt == 'V') return cmd_version(&c, 0, NULL);
        if (opt == '?' || opt == ':')
            return usage_error(NULL, "unknown or incomplete option '%s'", argv[optind - 1]);
        int g = global_option(&c, opt, optarg);
        if (g == -2) return EXIT_USAGE; /* said already */
        if (g < 0) return usage_error(NULL, "--log-format must be text or json");
    }
    if (optind >= argc) {
        print_overview(stderr);
        return EXIT_USAGE;
    }
    const struct command *cmd = find_command(argv[optind]);
    if (!cmd) return unknown_command(argv[optind]);
    c.progress = !c.quiet && isatty(2);
    argc -= optind;
    argv += optind;
    optind = 0; /* reinitialize getopt for the command */
    rc = cmd->fn(&c, argc, argv);
    if (c.config) sl_config_free(c.config);
    free(c.db_owned);
    errno = 0;
    int flushed = fflush(stdout) == 0, epipe = errno == EPIPE;
    if (ferror(stdout) && !(!flushed && epipe) && !sl_out_reader_gone(stdout)) {
        fprintf(stderr, "sluice: error writing to standard output\n");
        if (rc == 0) rc = EXIT_RUNTIME;
    }
    /* A reader that closed the pipe (sluice cat x | head -1) is a normal way to stop: no
     * message, and the command's own exit code (0 for cat), unlike cat's death by SIGPIPE,
     * which fails scripts under `set -o pipefail`. */
    return rc;
}
