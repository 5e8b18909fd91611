/* What the commands share: config, store, printing a load's outcome. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "sluice/outfile.h"

const char *cli_shown(const char *s)
{
    static struct sl_buf ring[16];
    static unsigned next;
    struct sl_buf *b = &ring[next++ % 16];

    sl_buf_reset(b);
    if (s) sl_buf_add_printable(b, s, strlen(s));
    return sl_buf_str(b);
}

int cli_config(struct cli *c, const struct sl_config **out)
{
    struct sl_error err = {0, ""};
    const char *path = c->config_path;

    *out = c->config;
    if (c->config) return 0;
    if (!path) {
        if (access("sluice.yaml", F_OK)) {
            /* no config: a .env in the working directory still counts */
            if (sl_dotenv_load(".env", &err)) {
                fprintf(stderr, "sluice: %s\n", err.msg);
                return EXIT_USAGE;
            }
            return 0;
        }
        path = "sluice.yaml";
    }
    if (sl_config_load(path, &c->config, &err)) {
        fprintf(stderr, "sluice: %s\n", err.msg);
        return EXIT_USAGE;
    }
    *out = c->config;
    /* the endpoint's credentials are masked in every message (src/core/redact.c) */
    if (c->config) sl_redact_register_url(c->config->openlineage_url);
    return 0;
}

/* The store's URL: --db, SLUICE_DB, the config's store or sqlite:sluice.db (NULL: a bad config,
 * *exit_code says why). */
static const char *db_url(struct cli *c, int *exit_code)
{
    const struct sl_config *cfg;
    const char *url = c->db_url;

    /* the config first: it loads .env, which may set SLUICE_DB */
    if ((*exit_code = cli_config(c, &cfg))) return NULL;
    if (!url && getenv("SLUICE_DB") && *getenv("SLUICE_DB")) url = getenv("SLUICE_DB");
    if (!url && c->db_owned) url = c->db_owned;
    if (!url) {
        if (cfg && cfg->store) {
            /* a relative SQLite path in sluice.yaml is relative to the file */
            const char *s = cfg->store;
            const char *p = !strncmp(s, "sqlite:", 7) ? s + 7 : s;
            if (!strstr(s, "://") && p[0] != '/' && cfg->dir && strcmp(cfg->dir, "."))
                url = c->db_owned = sl_xasprintf("sqlite:%s/%s", cfg->dir, p);
            else
                url = s;
        }
    }
    return url ? url : "sqlite:sluice.db";
}

/* A path from sluice.yaml, relative to its folder; NULL for NULL. */
static char *config_path(const struct sl_config *cfg, const char *p)
{
    if (!p) return NULL;
    return p[0] == '/' || !cfg->dir || !strcmp(cfg->dir, ".") ? sl_xstrdup(p)
                                                              : sl_xasprintf("%s/%s", cfg->dir, p);
}

int cli_protect(struct cli *c, const char *const *inputs, size_t n, const char *base_dir,
                const struct sl_source *src)
{
    int rc;
    const char *url = db_url(c, &rc), *path;
    struct sl_paths paths = {0};
    struct sl_error err = {0, ""};
    char *p;

    if (!url) return rc;
    if ((path = sl_store_sqlite_path(url))) sl_outguard_protect_store(path);
    /* the files the run reads besides its inputs: sluice.yaml, its .env, the schema */
    if (c->config) {
        sl_outguard_protect(c->config->path, "the configuration file");
        p = config_path(c->config, ".env");
        sl_outguard_protect(p, "the configuration's .env file");
        free(p);
    } else {
        sl_outguard_protect(".env", "the .env file");
    }
    if (src && src->schema_path) {
        const char *sp = src->schema_path, *dir = src->base_dir;
        p = sp[0] == '/' || !dir || !*dir ? sl_xstrdup(sp) : sl_xasprintf("%s/%s", dir, sp);
        sl_outguard_protect(p, "the schema of this run");
        free(p);
    }
    for (size_t i = 0; i < n; i++)
        if (!strcmp(inputs[i], "-"))
            sl_outguard_protect_fd(0, "standard input, an input of this run");
    /* a missing or unreadable input fails its own load later; here it has nothing to protect */
    if (n && sl_paths_expand(inputs, n, base_dir, &paths, &err) == 0)
        for (size_t i = 0; i < paths.n; i++)
            sl_outguard_protect(paths.v[i], "an input of this run");
    sl_paths_free(&paths);
    return 0;
}

void cli_warn_skipped(const struct sl_paths *paths)
{
    for (size_t i = 0; i < paths->nskipped; i++)
        sl_log(SL_LOG_WARN,
               "%s: not loaded: a symbolic link out of its directory (name it to load it)",
               paths->skipped[i]);
}

struct sl_db *cli_open_db(struct cli *c, int *exit_code)
{
    struct sl_error err = {0, ""};
    struct sl_db *db = NULL;
    const char *url = db_url(c, exit_code);

    if (!url) return NULL;
    sl_store_set_busy_timeout(c->busy_timeout >= 0 ? c->busy_timeout
                              : c->config          ? c->config->busy_timeout
                                                   : -1);
    if (c->must_exist && !strstr(url, "://")) {
        const char *path = !strncmp(url, "sqlite:", 7) ? url + 7 : url;
        if (access(path, F_OK)) {
            fprintf(stderr, "sluice: no database at %s (nothing was loaded there yet)\n",
                    cli_shown(path));
            *exit_code = EXIT_USAGE;
            return NULL;
        }
    }
    if (sl_store_open_flags(url,
                            (c->no_migrate ? SL_STORE_OPEN_NO_MIGRATE : 0) |
                                (c->read_only ? SL_STORE_OPEN_READ_ONLY : 0) |
                                (c->existing ? SL_STORE_OPEN_EXISTING : 0),
                            &db, &err)) {
        /* a read command on a database without sluice's catalog: "not a sluice store" */
        int notstore = (c->read_only || c->existing) && err.code == SL_ENOTFOUND;
        *exit_code = notstore ? EXIT_USAGE : sl_exit_code(err.code);
        if (notstore && c->no_catalog_ok) {
            *exit_code = 0; /* nothing loaded there: nothing to check against */
            return NULL;
        }
        fprintf(stderr, "sluice: %s\n", err.msg);
        return NULL;
    }
    return db;
}

int exit_code_merge(int a, int b)
{
    /* the worst wins: runtime failure, then usage/config, then data problems */
    if (a == EXIT_RUNTIME || b == EXIT_RUNTIME) return EXIT_RUNTIME;
    if (a == EXIT_USAGE || b == EXIT_USAGE) return EXIT_USAGE;
    return a > b ? a : b;
}

/* The OpenLineage events file (relative to sluice.yaml), or NULL. */
static char *events_path(const struct sl_config *cfg)
{
    return cfg ? config_path(cfg, cfg->openlineage_file) : NULL;
}

int cli_check_events_file(struct cli *c)
{
    struct sl_error err = {0, ""};
    char *file = events_path(c->config);
    int rc = 0;

    if (file && sl_outfile_check(file, "lineage.openlineage.file", &err)) {
        fprintf(stderr, "sluice: %s\n", err.msg);
        rc = EXIT_USAGE;
    }
    free(file);
    return rc;
}

/* Sends one OpenLineage event; a failure is a warning, never the load's failure. */
static void openlineage(struct cli *c, struct sl_db *db, const char *type, const char *run_id,
                        const struct sl_source *src, const char *path,
                        const struct sl_load_result *r)
{
    const struct sl_config *cfg = c->config;
    struct sl_openlineage ol = {NULL, NULL, NULL};
    struct sl_source_state st;
    struct sl_error err = {0, ""};
    struct sl_buf ev = SL_BUF_INIT;
    char *file = NULL, *ca = NULL;

    if (!cfg || (!cfg->openlineage_file && !cfg->openlineage_url)) return;
    ol.file = file = events_path(cfg);
    ol.url = cfg->openlineage_url;
    ol.ca_file = ca = config_path(cfg, cfg->openlineage_ca_file);
    memset(&st, 0, sizeof st);
    if (r) db->store->source_state(db, src->name, &st, &err);
    sl_openlineage_event(&ev, type, run_id, db->url, src->name, strcmp(path, "-") ? path : "stdin",
                         st.schema, r);
    if (sl_openlineage_send(&ol, ev.p, &err))
        fprintf(stderr, "sluice: warning: openlineage: %s\n", err.msg);
    sl_source_state_free(&st);
    sl_buf_free(&ev);
    free(file);
    free(ca);
}

void cli_load_paths(struct cli *c, struct sl_db *db, const struct sl_source *src,
                    const struct sl_paths *paths, const struct sl_load_opts *lo, int json, int *rc,
                    int64_t *nloads)
{
    for (size_t i = 0; i < paths->n && !sl_interrupted; i++) {
        struct sl_load_result res;
        char run_id[37];
        sl_openlineage_run_id(run_id);
        openlineage(c, db, "START", run_id, src, paths->v[i], NULL);
        sl_load_file(db, src, paths->v[i], lo, &res);
        openlineage(c, db, strcmp(res.status, "failed") ? "COMPLETE" : "FAIL", run_id, src,
                    paths->v[i], &res);
        print_load_result(&res, json, c->quiet, db->store->bronze_table);
        *rc = exit_code_merge(*rc, res.exit_code);
        (*nloads)++;
        sl_load_result_free(&res);
    }
}

int cli_end_run(struct sl_db *db, int64_t run, int exit_code, int64_t loads)
{
    struct sl_error err = {0, ""};

    fflush(stdout);
    if (sl_interrupted) exit_code = EXIT_RUNTIME;
    const char *status = exit_code == EXIT_OK     ? "ok"
                         : exit_code == EXIT_DATA ? "data-problems"
                                                  : "failed";
    if (db->store->end_run(db, run, status, loads, &err)) fprintf(stderr, "sluice: %s\n", err.msg);
    if (sl_interrupted)
        fprintf(stderr, "sluice: interrupted; the load in progress was rolled back\n");
    return exit_code;
}

int parse_output(const char *cmd, const char *arg, unsigned allowed, int *out)
{
    static const char *const names[OUT_COUNT] = {"text", "json", "yaml", "html"};
    for (int i = 0; i < OUT_COUNT; i++)
        if ((allowed & (1u << i)) && !strcmp(arg, names[i])) {
            *out = i;
            return 0;
        }
    struct sl_buf b = SL_BUF_INIT;
    for (int i = 0; i < OUT_COUNT; i++)
        if (allowed & (1u << i)) sl_buf_addf(&b, "%s%s", b.len ? ", " : "", names[i]);
    usage_error(cmd, "--output must be one of: %s", b.p);
    sl_buf_free(&b);
    return -1;
}

static void json_load_result(const struct sl_load_result *r)
{
    struct sl_buf b = SL_BUF_INIT;

    sl_buf_adds(&b, "{\"source\":");
    sl_buf_json_cstr(&b, r->source);
    sl_buf_addf(&b, ",\"load\":%lld,\"status\":\"%s\",\"input\":", (long long)r->load, r->status);
    sl_buf_json_cstr(&b, r->input);
    sl_buf_adds(&b, ",\"sha256\":");
    sl_buf_json_cstr(&b, r->sha256[0] ? r->sha256 : NULL);
    /* a compressed input's content checksum, when it differs from the file's */
    if (r->content_sha256[0] && strcmp(r->content_sha256, r->sha256)) {
        sl_buf_adds(&b, ",\"content_sha256\":");
        sl_buf_json_cstr(&b, r->content_sha256);
    }
    sl_buf_addf(&b, ",\"rows\":%lld,\"valid\":%lld,\"warning\":%lld,\"invalid\":%lld",
                (long long)r->rows, (long long)r->valid, (long long)r->warning,
                (long long)r->invalid);
    sl_buf_adds(&b, ",\"quality\":");
    sl_buf_adds(&b, r->quality_json ? r->quality_json : "null");
    sl_buf_addf(&b, ",\"seconds\":%.3f", r->seconds);
    if (r->format) {
        sl_buf_adds(&b, ",\"format\":");
        sl_buf_json_cstr(&b, r->format);
    }
    if (r->encoding && *r->encoding) {
        sl_buf_adds(&b, ",\"encoding\":");
        sl_buf_json_cstr(&b, r->encoding);
    }
    if (r->renames.n) {
        sl_buf_adds(&b, ",\"renamed\":[");
        for (size_t i = 0; i < r->renames.n; i++) {
            sl_buf_adds(&b, i ? ",{\"from\":" : "{\"from\":");
            sl_buf_json_str(&b, r->renames.v[i].from, r->renames.v[i].from_len);
            sl_buf_adds(&b, ",\"to\":");
            sl_buf_json_cstr(&b, r->renames.v[i].to);
            sl_buf_addc(&b, '}');
        }
        sl_buf_addc(&b, ']');
    }
    if (r->ntype_changes) {
        sl_buf_adds(&b, ",\"type_changes\":[");
        for (size_t i = 0; i < r->ntype_changes; i++) {
            const struct sl_type_change *tc = &r->type_changes[i];
            sl_buf_adds(&b, i ? ",{\"column\":" : "{\"column\":");
            sl_buf_json_cstr(&b, tc->column);
            sl_buf_addf(&b, ",\"from\":\"%s\",\"to\":\"%s\",\"values\":", tc->from, tc->to);
            if (tc->values < 0)
                sl_buf_adds(&b, "null");
            else
                sl_buf_addf(&b, "%lld", (long long)tc->values);
            sl_buf_adds(&b, ",\"first\":[");
            for (size_t k = 0; k < tc->nfirst; k++) {
                if (k) sl_buf_addc(&b, ',');
                sl_buf_json_str(&b, tc->first[k], tc->first_len[k]);
            }
            sl_buf_addf(&b, "],\"action\":\"%s\"}", tc->action);
        }
        sl_buf_addc(&b, ']');
    }
    if (r->ntransforms) {
        sl_buf_adds(&b, ",\"transforms\":{");
        for (size_t i = 0; i < r->ntransforms; i++) {
            if (i) sl_buf_addc(&b, ',');
            sl_buf_json_cstr(&b, r->transform_names[i]);
            sl_buf_addf(&b, ":%lld", (long long)r->transform_counts[i]);
        }
        sl_buf_addc(&b, '}');
    }
    if (r->nissues) {
        sl_buf_addf(&b, ",\"errors_total\":%lld,\"errors\":[", (long long)r->issues_total);
        for (size_t i = 0; i < r->nissues; i++) {
            const struct sl_issue_rec *e = &r->issues[i];
            sl_buf_addf(&b,
                        "%s{\"row\":%lld,\"line\":%lld,\"offset\":%lld,\"field\":", i ? "," : "",
                        (long long)e->row, (long long)e->line, (long long)e->offset);
            sl_buf_json_cstr(&b, e->field);
            sl_buf_adds(&b, ",\"code\":");
            sl_buf_json_cstr(&b, e->code);
            sl_buf_adds(&b, ",\"value\":");
            sl_buf_json_cstr(&b, e->value);
            sl_buf_adds(&b, ",\"message\":");
            sl_buf_json_cstr(&b, e->message);
            sl_buf_addf(&b, ",\"severity\":\"%s\"",
                        e->severity == SL_ROW_WARNING ? "warning" : "error");
            if (e->constraint) {
                sl_buf_adds(&b,
                            strcmp(e->code, "row-constraint") ? ",\"constraint\":" : ",\"rule\":");
                sl_buf_json_cstr(&b, e->constraint);
            }
            sl_buf_addc(&b, '}');
        }
        sl_buf_addc(&b, ']');
        sl_buf_adds(&b, ",\"error_groups\":");
        sl_issue_groups_json(&r->groups, r->rows, &b);
    }
    if (r->existing) {
        sl_buf_adds(&b, ",\"existing_source\":{\"mode\":");
        sl_buf_json_cstr(&b, r->mode);
        sl_buf_adds(&b, ",\"rows\":");
        if (r->silver_rows >= 0)
            sl_buf_addf(&b, "%lld", (long long)r->silver_rows);
        else
            sl_buf_adds(&b, "null");
        sl_buf_adds(&b, ",\"columns_added\":[");
        for (size_t i = 0; i < r->ncolumns_added; i++) {
            if (i) sl_buf_addc(&b, ',');
            sl_buf_json_cstr(&b, r->columns_added[i]);
        }
        sl_buf_adds(&b, "],\"columns_not_in_input\":[");
        for (size_t i = 0; i < r->ncolumns_lacking; i++) {
            if (i) sl_buf_addc(&b, ',');
            sl_buf_json_cstr(&b, r->columns_lacking[i]);
        }
        sl_buf_adds(&b, "]}");
    }
    if (r->message) {
        sl_buf_adds(&b, ",\"message\":");
        sl_buf_json_cstr(&b, r->message);
    }
    sl_buf_adds(&b, "}\n");
    fputs(b.p, stdout);
    sl_buf_free(&b);
}

/* "0.97 excellent", "0.97 good (grade capped: 12 of 100 rows rejected)", "n/a" */
static const char *quality_text(const struct sl_load_result *r)
{
    static char t[160];
    const struct sl_quality_score *q = &r->quality;
    if (!isfinite(q->score))
        snprintf(t, sizeof t, "n/a (nothing measured)");
    else if (q->capped)
        snprintf(t, sizeof t, "%.2f %s (grade capped: %lld of %lld rows rejected)", q->score,
                 q->grade, (long long)r->invalid, (long long)r->rows);
    else
        snprintf(t, sizeof t, "%.2f %s", q->score, q->grade);
    return t;
}

static void add_names(struct sl_buf *b, char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sl_buf_adds(b, i ? ", " : "");
        sl_buf_add_printable(b, v[i], strlen(v[i]));
    }
}

/* "  appended to existing source x (now 5 rows); columns added: age" */
static void print_existing(const struct sl_load_result *r)
{
    struct sl_buf b = SL_BUF_INIT;
    if (!strcmp(r->mode, "upsert"))
        sl_buf_adds(&b, "  upserted into existing source ");
    else if (!strcmp(r->mode, "snapshot"))
        sl_buf_adds(&b, "  replaced the rows of existing source ");
    else
        sl_buf_adds(&b, "  appended to existing source ");
    sl_buf_adds(&b, r->source);
    if (r->silver_rows >= 0)
        sl_buf_addf(&b, " (now %lld row%s)", (long long)r->silver_rows,
                    r->silver_rows == 1 ? "" : "s");
    if (r->ncolumns_added) {
        sl_buf_addf(&b, "; column%s added: ", r->ncolumns_added == 1 ? "" : "s");
        add_names(&b, r->columns_added, r->ncolumns_added);
    }
    if (r->ncolumns_lacking) {
        sl_buf_addf(&b, "; column%s not in this input (empty in its rows): ",
                    r->ncolumns_lacking == 1 ? "" : "s");
        add_names(&b, r->columns_lacking, r->ncolumns_lacking);
    }
    printf("%s\n", b.p);
    sl_buf_free(&b);
}

void print_load_result(const struct sl_load_result *r, int json, int quiet,
                       const char *bronze_table)
{
    if (json) {
        json_load_result(r);
        return;
    }
    if (!strcmp(r->status, "failed")) {
        fprintf(stderr, "sluice: error: %s: load failed: %s\n", cli_shown(r->source),
                cli_shown(r->message));
        if (r->quality_json)
            fprintf(stderr, "  quality %s%s%s\n", quality_text(r),
                    r->recommendation ? "; top recommendation: " : "",
                    cli_shown(r->recommendation));
        return;
    }
    if (quiet) return;
    if (!strcmp(r->status, "skipped")) {
        printf("%s: skipped: %s (%s)\n", cli_shown(r->source), cli_shown(r->message),
               cli_shown(r->input));
        return;
    }
    /* names and values from the input, the config or the command line: escaped (cli_shown) */
    printf("%s: load %lld committed: %lld rows (%lld valid", cli_shown(r->source),
           (long long)r->load, (long long)r->rows, (long long)r->valid);
    if (r->warning) printf(", %lld with warnings", (long long)r->warning);
    if (r->invalid) printf(", %lld rejected", (long long)r->invalid);
    printf(") from %s in %.1f s", cli_shown(r->input), r->seconds);
    if (r->quality_json) printf(", quality %s", quality_text(r));
    printf("\n");
    if (r->existing) print_existing(r);
    for (size_t i = 0; i < r->renames.n; i++) {
        /* the label quoted, its control characters (NUL included) escaped */
        struct sl_buf from = SL_BUF_INIT;
        sl_buf_addc(&from, '"');
        sl_buf_add_printable(&from, r->renames.v[i].from, r->renames.v[i].from_len);
        sl_buf_addc(&from, '"');
        printf("  column %zu renamed: %s -> %s\n", r->renames.v[i].col + 1, sl_buf_str(&from),
               cli_shown(r->renames.v[i].to));
        sl_buf_free(&from);
    }
    for (size_t i = 0; i < r->ntype_changes; i++) {
        const struct sl_type_change *tc = &r->type_changes[i];
        struct sl_buf first = SL_BUF_INIT;
        for (size_t k = 0; k < tc->nfirst; k++) {
            sl_buf_adds(&first, k ? ", " : "");
            sl_buf_json_str(&first, tc->first[k], tc->first_len[k]);
        }
        if (tc->values > (int64_t)tc->nfirst) sl_buf_adds(&first, ", ...");
        if (tc->values < 0)
            printf("  column %s: type widened from %s to %s by the schema\n", cli_shown(tc->column),
                   tc->from, tc->to);
        else if (!strcmp(tc->action, "quarantined"))
            printf("  column %s: type kept %s (on_type_change: quarantine): %lld value%s would "
                   "widen it to %s (%s), their rows rejected\n",
                   cli_shown(tc->column), tc->from, (long long)tc->values,
                   tc->values == 1 ? "" : "s", tc->to, sl_buf_str(&first));
        else
            printf("  column %s: type widened from %s to %s by %lld value%s (%s); silver rebuilt, "
                   "new schema version\n",
                   cli_shown(tc->column), tc->from, tc->to, (long long)tc->values,
                   tc->values == 1 ? "" : "s", sl_buf_str(&first));
        sl_buf_free(&first);
    }
    if (r->ntransforms) {
        printf("  values changed by transforms:");
        for (size_t i = 0; i < r->ntransforms; i++)
            printf("%s %s %lld", i ? "," : "", cli_shown(r->transform_names[i]),
                   (long long)r->transform_counts[i]);
        printf("\n");
    }
    if (r->issues_total) {
        /* the same problem on many rows is one line (sluice/pipeline.h) */
        struct sl_buf b = SL_BUF_INIT;
        sl_issue_groups_text(&r->groups, r->rows, r->format && !strcmp(r->format, "json"), "  ", 20,
                             &b);
        fputs(b.p, stdout);
        sl_buf_free(&b);
    }
    if (r->invalid) {
        printf("  rejected rows are kept in ");
        printf(bronze_table ? bronze_table : "bronze_%s", cli_shown(r->source));
        printf(" with status 'invalid'\n");
    }
    if (r->message) printf("  note: %s\n", cli_shown(r->message));
    if (r->recommendation) printf("  recommendation: %s\n", cli_shown(r->recommendation));
}

static char **split_list(const char *s, size_t *n)
{
    char **v = NULL;
    *n = 0;
    while (*s) {
        size_t k = strcspn(s, ",");
        v = sl_xrealloc(v, (*n + 1) * sizeof *v);
        v[(*n)++] = sl_xstrndup(s, k);
        s += k;
        if (*s == ',') s++;
    }
    return v;
}

int source_option(const char *cmd, struct sl_source *src, int opt, const char *arg)
{
    int64_t n;
    switch (opt) {
    case 2001:
        if (!sl_format_find(arg)) {
            usage_error(cmd, "unknown format '%s' (known: %s)", arg, sl_format_names());
            return -1;
        }
        free(src->format);
        src->format = sl_xstrdup(arg);
        return 1;
    case 2002:
        free(src->schema_path);
        src->schema_path = sl_xstrdup(arg);
        free(src->base_dir);
        src->base_dir = NULL; /* a schema on the command line is relative to the cwd */
        return 1;
    case 2003:
        if (!strcmp(arg, "tab") || !strcmp(arg, "\\t")) arg = "\t";
        if (strlen(arg) != 1) {
            usage_error(cmd, "--delimiter must be one character (or 'tab')");
            return -1;
        }
        src->fopts.delimiter = arg[0];
        return 1;
    case 2004: src->fopts.header = 1; return 1;
    case 2005: src->fopts.header = 0; return 1;
    case 2006:
        if (sl_encoding_parse(arg) < 0) {
            usage_error(cmd, "unknown encoding '%s' (utf-8, latin1, windows-1252)", arg);
            return -1;
        }
        src->fopts.encoding = sl_encoding_parse(arg);
        return 1;
    case 2007:
        for (size_t i = 0; i < src->npk; i++) free(src->primary_key[i]);
        free(src->primary_key);
        src->primary_key = split_list(arg, &src->npk);
        return 1;
    case 2013: {
        char **tok;
        size_t ntok;
        struct sl_error e = {0, ""};
        if (sl_json_pointer_parse(arg, &tok, &ntok, &e)) {
            usage_error(cmd, "--records: %s", e.msg);
            return -1;
        }
        sl_json_pointer_free(tok, ntok);
        free(src->records);
        src->records = sl_xstrdup(arg);
        return 1;
    }
    case 2008:
        free(src->timestamp);
        src->timestamp = sl_xstrdup(arg);
        return 1;
    case 2011:
        if (sl_mode_check(arg, &(struct sl_error){0, ""})) {
            usage_error(cmd, "--mode must be append, upsert or snapshot");
            return -1;
        }
        free(src->mode);
        src->mode = sl_xstrdup(arg);
        return 1;
    case 2014:
        if (sl_type_change_policy_parse(arg) < 0) {
            usage_error(cmd, "--on-type-change must be widen, reject or quarantine");
            return -1;
        }
        src->on_type_change = sl_type_change_policy_parse(arg);
        return 1;
    case 2012: {
        char *end;
        unsigned long long v;
        errno = 0;
        v = strtoull(arg, &end, 10);
        if (!*arg || *arg == '-' || *end || errno || !v || v > UINT32_MAX) {
            usage_error(cmd, "--max-columns must be a number of columns from 1 to %u", UINT32_MAX);
            return -1;
        }
        src->fopts.max_columns = (size_t)v;
        return 1;
    }
    case 2009:
    case 2010:
        n = sl_parse_size(arg);
        if (n <= 0) {
            usage_error(cmd, "'%s' is not a size (e.g. 64MiB)", arg);
            return -1;
        }
        if (opt == 2009)
            src->fopts.max_record = (size_t)n;
        else
            src->sopts.max_bytes = n;
        return 1;
    }
    return 0;
}

static char **copy_strs(char *const *v, size_t n)
{
    char **c = sl_xcalloc(n ? n : 1, sizeof *c);
    for (size_t i = 0; i < n; i++) c[i] = sl_xstrdup(v[i]);
    return c;
}

int source_prescan(struct cli *c, int argc, char **argv, const char *shortopts,
                   const struct option *opts, int with_config, struct sl_source *src)
{
    const struct sl_config *cfg = NULL;
    const char *name = NULL;
    int opt, rc = 0;

    /* on a copy: getopt permutes what it scans, and an option missing its value at the end
     * (`load x.csv --schema`) would then take the file as its value in the real scan */
    char **copy = sl_xcalloc((size_t)argc + 1, sizeof *copy);
    memcpy(copy, argv, (size_t)argc * sizeof *copy);
    opterr = 0;
    optind = 0;
    while ((opt = getopt_long(argc, copy, shortopts, opts, NULL)) != -1) {
        if (opt == 's') name = optarg;
        if (opt == 1002) c->config_path = optarg;
    }
    free(copy);
    optind = 0; /* opterr stays 0: bad_option names a bad option, escaped */
    if ((with_config || name) && (rc = cli_config(c, &cfg))) {
        sl_source_init(src);
        return rc;
    }
    source_from_config(src, cfg, name);
    /* load may name a new source; the tools only read a configured one */
    if (!with_config && name && !(cfg && sl_config_source(cfg, name))) {
        if (cfg)
            fprintf(stderr, "sluice: %s has no source '%s'\n", cli_shown(cfg->path),
                    cli_shown(name));
        else
            fprintf(stderr, "sluice: --source %s: there is no sluice.yaml here (use --config)\n",
                    cli_shown(name));
        return EXIT_USAGE;
    }
    return 0;
}

/* A source's rejects: file, relative to its sluice.yaml (NULL: none). */
static char *source_rejects_path(const struct sl_source *src)
{
    if (!src->rejects) return NULL;
    return src->rejects[0] != '/' && src->base_dir && strcmp(src->base_dir, ".")
               ? sl_xasprintf("%s/%s", src->base_dir, src->rejects)
               : sl_xstrdup(src->rejects);
}

int source_rejects_check(const struct sl_source *src)
{
    struct sl_error err = {0, ""};
    char *path = source_rejects_path(src);
    int rc = 0;

    if (path && sl_outfile_check(path, "--rejects", &err)) {
        fprintf(stderr, "sluice: %s: %s\n", src->name, err.msg);
        rc = EXIT_USAGE;
    }
    free(path);
    return rc;
}

int source_rejects_open(const struct sl_source *src, struct sl_rejects **out)
{
    struct sl_error err = {0, ""};
    char *path = source_rejects_path(src);
    int rc = 0;

    *out = NULL;
    if (!path) return 0;
    if (sl_rejects_open(path, NULL, out, &err)) {
        fprintf(stderr, "sluice: %s: %s\n", src->name, err.msg);
        rc = sl_exit_code(err.code);
    }
    free(path);
    return rc;
}

void source_from_config(struct sl_source *src, const struct sl_config *cfg, const char *name)
{
    const struct sl_source *s = cfg && name ? sl_config_source(cfg, name) : NULL;
    sl_source_init(src);
    if (name) src->name = sl_xstrdup(name);
    if (!s) {
        /* an ad-hoc source still gets the file's quality defaults (weights, thresholds) */
        if (cfg) src->quality = cfg->quality;
        return;
    }
    src->base_dir = s->base_dir ? sl_xstrdup(s->base_dir) : NULL;
    src->format = s->format ? sl_xstrdup(s->format) : NULL;
    src->schema_path = s->schema_path ? sl_xstrdup(s->schema_path) : NULL;
    src->timestamp = s->timestamp ? sl_xstrdup(s->timestamp) : NULL;
    src->mode = s->mode ? sl_xstrdup(s->mode) : NULL;
    src->on_type_change = s->on_type_change;
    src->rejects = s->rejects ? sl_xstrdup(s->rejects) : NULL;
    src->records = s->records ? sl_xstrdup(s->records) : NULL;
    src->primary_key = copy_strs(s->primary_key, s->npk);
    src->npk = s->npk;
    src->fopts = s->fopts;
    src->sopts = s->sopts;
    src->quality = s->quality;
    src->quality.freshness_text =
        s->quality.freshness_text ? sl_xstrdup(s->quality.freshness_text) : NULL;
    src->transforms = sl_transforms_copy(s->transforms);
}
