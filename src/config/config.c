/*
 * sluice.yaml: the store URL and the sources. Every value is interpolated (${VAR}) before it is
 * read, and every error names the file, the line and the key path.
 */
#include <errno.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "sluice/config.h"
#include "sluice/json.h"
#include "sluice/store.h"
#include "sluice/transform.h"
#include "sluice/version.h"

void sl_source_init(struct sl_source *s)
{
    memset(s, 0, sizeof *s);
    sl_format_opts_init(&s->fopts);
    sl_quality_config_init(&s->quality);
}

static void free_strs(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

void sl_source_free(struct sl_source *s)
{
    if (!s) return;
    free(s->name);
    free_strs(s->inputs, s->ninputs);
    free(s->base_dir);
    free(s->format);
    free(s->schema_path);
    free(s->rejects);
    free(s->records);
    free_strs(s->primary_key, s->npk);
    free(s->timestamp);
    free(s->quality.freshness_text);
    sl_transforms_free(s->transforms);
    free(s->mode);
    sl_source_init(s);
}

void sl_config_free(struct sl_config *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->nsources; i++) sl_source_free(&c->sources[i]);
    free(c->sources);
    free(c->path);
    free(c->dir);
    free(c->store);
    free(c->openlineage_file);
    free(c->openlineage_url);
    free(c->openlineage_ca_file);
    free(c);
}

const struct sl_source *sl_config_source(const struct sl_config *c, const char *name)
{
    if (!c || !name) return NULL;
    for (size_t i = 0; i < c->nsources; i++)
        if (!strcmp(c->sources[i].name, name)) return &c->sources[i];
    return NULL;
}

/* ---- reading values -------------------------------------------------------------------- */

struct cfgload {
    struct sl_doc doc;
    struct sl_error *err;
};

/*
 * The node with ${VAR} replaced in its text (a scalar) or in its items' text (a list): a copy in
 * the document's arena, so the tree itself is never changed (an alias may share a node).
 */
static int interp(struct cfgload *c, const struct sl_node *n, const char *what,
                  const struct sl_node **out)
{
    struct sl_node *copy;
    char *s = NULL;

    *out = n;
    if (!n) return 0;
    if (n->type == SL_NODE_SEQ) {
        copy = sl_arena_alloc(&c->doc.arena, sizeof *copy);
        *copy = *n;
        copy->items = sl_arena_alloc(&c->doc.arena, (n->n ? n->n : 1) * sizeof *copy->items);
        for (size_t i = 0; i < n->n; i++) {
            const struct sl_node *item;
            int rc = interp(c, n->items[i], what, &item);
            if (rc < 0) return rc;
            copy->items[i] = (struct sl_node *)item;
        }
        *out = copy;
        return 0;
    }
    if (n->type != SL_NODE_SCALAR || !n->text || !memchr(n->text, '$', n->len)) return 0;
    if (sl_interpolate(n->text, &s, c->err) < 0) {
        sl_error_prefix(c->err, "%s:%d: %s", c->doc.path, n->line, what);
        c->err->code = SL_ECONFIG;
        return SL_ECONFIG;
    }
    copy = sl_arena_alloc(&c->doc.arena, sizeof *copy);
    *copy = *n;
    copy->len = strlen(s);
    copy->text = sl_arena_strndup(&c->doc.arena, s, copy->len);
    free(s);
    *out = copy;
    return 0;
}

/* interp over a whole tree (transforms nest mappings in lists). */
static int interp_tree(struct cfgload *c, const struct sl_node *n, const char *what,
                       const struct sl_node **out)
{
    if (!n || (n->type != SL_NODE_MAP && n->type != SL_NODE_SEQ)) return interp(c, n, what, out);
    struct sl_node *copy = sl_arena_alloc(&c->doc.arena, sizeof *copy);
    *copy = *n;
    copy->items = sl_arena_alloc(&c->doc.arena, (n->n ? n->n : 1) * sizeof *copy->items);
    for (size_t i = 0; i < n->n; i++) {
        const struct sl_node *item;
        int rc = interp_tree(c, n->items[i], what, &item);
        if (rc < 0) return rc;
        copy->items[i] = (struct sl_node *)item;
    }
    *out = copy;
    return 0;
}

static int get_str(struct cfgload *c, const struct sl_node *n, const char *what, char **out)
{
    const char *s;
    int rc = interp(c, n, what, &n);
    if (rc == 0) rc = sl_node_want_str(&c->doc, n, what, &s, c->err);
    if (rc == 0) *out = sl_xstrdup(s);
    return rc;
}

static int get_strs(struct cfgload *c, const struct sl_node *n, const char *what, char ***out,
                    size_t *count)
{
    const char **v;
    size_t k;
    int rc = interp(c, n, what, &n);
    if (rc == 0) rc = sl_node_want_strs(&c->doc, n, what, &v, &k, c->err);
    if (rc < 0) return rc;
    *out = sl_xcalloc(k ? k : 1, sizeof **out);
    for (size_t i = 0; i < k; i++) (*out)[i] = sl_xstrdup(v[i]);
    *count = k;
    return 0;
}

static int bad_value(struct cfgload *c, const struct sl_node *n, const char *what, const char *why)
{
    return sl_error_set(c->err, SL_ECONFIG, "%s:%d: %s: %s", c->doc.path, n ? n->line : 0, what,
                        why);
}

/* ---- sources --------------------------------------------------------------------------- */

static const char *const source_keys[] = {
    "input",   "format",     "schema", "primary_key", "timestamp",      "options", "freshness",
    "quality", "transforms", "mode",   "rejects",     "on_type_change", "records", NULL};
static const char *const option_keys[] = {
    "delimiter",       "quote",          "header",      "encoding",
    "max_record_size", "max_input_size", "max_columns", NULL};

static int get_size(struct cfgload *c, const struct sl_node *n, const char *what, int64_t *out)
{
    const char *s;
    int rc = interp(c, n, what, &n);

    if (rc < 0) return rc;
    s = sl_node_str(n);
    *out = s ? sl_parse_size(s) : -1;
    if (*out <= 0) return bad_value(c, n, what, "expected a size (a byte count or e.g. 64MiB)");
    return 0;
}

static int read_options(struct cfgload *c, const struct sl_node *map, const char *what,
                        struct sl_source *src)
{
    char key[300];
    int rc;

    rc = sl_node_check_keys(&c->doc, map, what, option_keys, c->err);
    if (rc < 0 || !map || map->type != SL_NODE_MAP) return rc;
    for (size_t i = 0; i < map->n; i++) {
        const char *k = map->keys[i]->text;
        const struct sl_node *v = map->items[i];
        const char *s;

        snprintf(key, sizeof key, "%s.%s", what, k);
        if ((rc = interp(c, v, key, &v)) < 0) return rc;
        if (!strcmp(k, "delimiter")) {
            if ((rc = sl_node_want_str(&c->doc, v, key, &s, c->err)) < 0) return rc;
            if (!strcmp(s, "\\t") || !strcasecmp(s, "tab")) s = "\t";
            if (strlen(s) != 1 || s[0] == '\n' || s[0] == '\r' || (unsigned char)s[0] >= 0x80)
                return bad_value(c, v, key, "expected one character (or \"\\t\" / tab)");
            src->fopts.delimiter = s[0];
        } else if (!strcmp(k, "quote")) {
            if (v->type == SL_NODE_NULL) {
                src->fopts.quote = 0;
                continue;
            }
            if ((rc = sl_node_want_str(&c->doc, v, key, &s, c->err)) < 0) return rc;
            if (!*s || !strcasecmp(s, "none"))
                src->fopts.quote = 0;
            else if (strlen(s) == 1 && s[0] != '\n' && s[0] != '\r' && (unsigned char)s[0] < 0x80)
                src->fopts.quote = s[0];
            else
                return bad_value(c, v, key, "expected one character, or none");
        } else if (!strcmp(k, "header")) {
            int b;
            if ((rc = sl_node_want_bool(&c->doc, v, key, &b, c->err)) < 0) return rc;
            src->fopts.header = b;
        } else if (!strcmp(k, "encoding")) {
            int enc;
            if ((rc = sl_node_want_str(&c->doc, v, key, &s, c->err)) < 0) return rc;
            if ((enc = sl_encoding_parse(s)) < 0)
                return bad_value(c, v, key,
                                 "unknown encoding (expected utf-8, latin1 or windows-1252)");
            src->fopts.encoding = enc;
        } else if (!strcmp(k, "max_record_size")) {
            int64_t size;
            if ((rc = get_size(c, v, key, &size)) < 0) return rc;
            src->fopts.max_record = (size_t)size;
        } else if (!strcmp(k, "max_columns")) {
            const char *t = sl_node_str(v);
            char *end;
            unsigned long long m;
            errno = 0;
            m = t && *t && *t != '-' ? strtoull(t, &end, 10) : 0;
            if (!m || *end || errno || m > UINT32_MAX)
                return bad_value(c, v, key, "expected a number of columns (1 to 4294967295)");
            src->fopts.max_columns = (size_t)m;
        } else if (!strcmp(k, "max_input_size")) {
            if ((rc = get_size(c, v, key, &src->sopts.max_bytes)) < 0) return rc;
        }
    }
    return 0;
}

static int by_name_nocase(const void *a, const void *b)
{
    const struct sl_source *x = *(const struct sl_source *const *)a,
                           *y = *(const struct sl_source *const *)b;
    int d = strcasecmp(x->name, y->name);
    return d ? d : (x->line > y->line) - (x->line < y->line);
}

/* Source names are unique ignoring case (sl_source_case_conflict): sorted, so that a file of
 * many sources is not checked pair by pair. */
static int case_duplicates(struct cfgload *c, const struct sl_config *cfg)
{
    const struct sl_source **v;
    int rc = 0;

    if (cfg->nsources < 2) return 0;
    v = sl_xmalloc(cfg->nsources * sizeof *v);
    for (size_t i = 0; i < cfg->nsources; i++) v[i] = &cfg->sources[i];
    qsort(v, cfg->nsources, sizeof *v, by_name_nocase);
    for (size_t i = 1; i < cfg->nsources && !rc; i++)
        if (!strcasecmp(v[i - 1]->name, v[i]->name)) {
            rc = sl_error_set(c->err, SL_ECONFIG,
                              "%s:%d: sources.%s: source names may not differ only by case "
                              "(sources.%s is on line %d)",
                              c->doc.path, v[i]->line, v[i]->name, v[i - 1]->name, v[i - 1]->line);
        }
    free(v);
    return rc;
}

static int read_source(struct cfgload *c, const struct sl_node *key, const struct sl_node *map,
                       const char *dir, const struct sl_quality_config *quality,
                       struct sl_source *src)
{
    char what[200], sub[300];
    const struct sl_node *v;
    int rc;

    snprintf(what, sizeof what, "sources.%s", key->text);
    src->name = sl_xstrdup(key->text);
    src->line = key->line;
    src->base_dir = sl_xstrdup(dir);
    sl__quality_config_copy(&src->quality, quality);
    if (sl_source_name_check(key->text, c->err) < 0) {
        sl_error_prefix(c->err, "%s:%d: %s", c->doc.path, key->line, what);
        c->err->code = SL_ECONFIG;
        return SL_ECONFIG;
    }
    if (!map || map->type != SL_NODE_MAP)
        return bad_value(c, map ? map : key, what, "expected a mapping with at least 'input'");
    if ((rc = sl_node_check_keys(&c->doc, map, what, source_keys, c->err)) < 0) return rc;

    snprintf(sub, sizeof sub, "%s.input", what);
    v = sl_node_get(map, "input");
    if (!v || v->type == SL_NODE_NULL)
        return bad_value(c, v ? v : map, sub, "missing (a path, a glob or a list of them)");
    if ((rc = get_strs(c, v, sub, &src->inputs, &src->ninputs)) < 0) return rc;
    if (!src->ninputs) return bad_value(c, v, sub, "empty (a path, a glob or a list of them)");

    if ((v = sl_node_get(map, "format"))) {
        snprintf(sub, sizeof sub, "%s.format", what);
        if ((rc = get_str(c, v, sub, &src->format)) < 0) return rc;
        if (!sl_format_find(src->format)) {
            char why[300];
            snprintf(why, sizeof why, "unknown format '%.100s' (known: %s)", src->format,
                     sl_format_names());
            return bad_value(c, v, sub, why);
        }
    }
    if ((v = sl_node_get(map, "schema"))) {
        snprintf(sub, sizeof sub, "%s.schema", what);
        if ((rc = get_str(c, v, sub, &src->schema_path)) < 0) return rc;
    }
    if ((v = sl_node_get(map, "rejects"))) {
        const char *dot;
        snprintf(sub, sizeof sub, "%s.rejects", what);
        if ((rc = get_str(c, v, sub, &src->rejects)) < 0) return rc;
        dot = strrchr(src->rejects, '.');
        if (!dot || (strcmp(dot, ".ndjson") && strcmp(dot, ".jsonl") && strcmp(dot, ".json") &&
                     strcmp(dot, ".csv")))
            return bad_value(c, v, sub, "name the file .ndjson, .jsonl or .csv");
    }
    if ((v = sl_node_get(map, "records"))) {
        char **tok;
        size_t n;
        snprintf(sub, sizeof sub, "%s.records", what);
        if ((rc = get_str(c, v, sub, &src->records)) < 0) return rc;
        if (sl_json_pointer_parse(src->records, &tok, &n, c->err)) {
            char why[300];
            snprintf(why, sizeof why, "%s", c->err->msg);
            return bad_value(c, v, sub, why);
        }
        sl_json_pointer_free(tok, n);
    }
    if ((v = sl_node_get(map, "primary_key"))) {
        snprintf(sub, sizeof sub, "%s.primary_key", what);
        if ((rc = get_strs(c, v, sub, &src->primary_key, &src->npk)) < 0) return rc;
    }
    if ((v = sl_node_get(map, "timestamp"))) {
        snprintf(sub, sizeof sub, "%s.timestamp", what);
        if ((rc = get_str(c, v, sub, &src->timestamp)) < 0) return rc;
    }
    if ((v = sl_node_get(map, "mode"))) {
        snprintf(sub, sizeof sub, "%s.mode", what);
        if ((rc = get_str(c, v, sub, &src->mode)) < 0) return rc;
        if (sl_mode_check(src->mode, &(struct sl_error){0, ""}))
            return bad_value(c, v, sub, "expected append, upsert or snapshot");
    }
    if ((v = sl_node_get(map, "on_type_change"))) {
        char *s = NULL;
        snprintf(sub, sizeof sub, "%s.on_type_change", what);
        if ((rc = get_str(c, v, sub, &s)) < 0) return rc;
        src->on_type_change = sl_type_change_policy_parse(s);
        free(s);
        if (src->on_type_change < 0)
            return bad_value(c, v, sub, "expected widen, reject or quarantine");
    }
    if ((v = sl_node_get(map, "options"))) {
        snprintf(sub, sizeof sub, "%s.options", what);
        if ((rc = read_options(c, v, sub, src)) < 0) return rc;
    }
    if ((v = sl_node_get(map, "freshness"))) {
        snprintf(sub, sizeof sub, "%s.freshness", what);
        if ((rc = sl__read_freshness(&c->doc, v, sub, &src->quality, c->err)) < 0) return rc;
    }
    if ((v = sl_node_get(map, "quality"))) {
        snprintf(sub, sizeof sub, "%s.quality", what);
        if ((rc = sl__read_quality(&c->doc, v, sub, &src->quality, c->err)) < 0) return rc;
    }
    if ((v = sl_node_get(map, "transforms"))) {
        snprintf(sub, sizeof sub, "%s.transforms", what);
        if ((rc = interp_tree(c, v, sub, &v)) < 0) return rc;
        if ((rc = sl_transforms_parse(&c->doc, v, sub, 0, &src->transforms, c->err)) < 0) return rc;
    }
    return 0;
}

/* ---- the file -------------------------------------------------------------------------- */

static const char *const top_keys[] = {"store",   "busy_timeout", "sources",
                                       "quality", "lineage",      NULL};
static const char *const lineage_keys[] = {"openlineage", NULL};
static const char *const openlineage_keys[] = {"file", "url", "ca_file", NULL};

int sl_config_load(const char *path, struct sl_config **out, struct sl_error *err)
{
    struct cfgload c;
    struct sl_quality_config quality;
    struct sl_config *cfg = sl_xcalloc(1, sizeof *cfg);
    const struct sl_node *root, *v;
    char *tmp, *envpath = NULL;
    int rc = 0;

    *out = NULL;
    memset(&c, 0, sizeof c);
    sl_quality_config_init(&quality);
    c.err = err;
    cfg->path = sl_xstrdup(path);
    tmp = sl_xstrdup(path);
    cfg->dir = sl_xstrdup(dirname(tmp));
    free(tmp);

    envpath = sl_xasprintf("%s/.env", cfg->dir);
    if ((rc = sl_dotenv_load(envpath, err)) < 0) goto out;
    if ((rc = sl_doc_load(&c.doc, path, err)) < 0) goto out;

    root = c.doc.root;
    if (root && root->type == SL_NODE_NULL) root = NULL; /* an empty file: no sources */
    if ((rc = sl_node_check_keys(&c.doc, root, "", top_keys, err)) < 0) goto out;
    if ((v = sl_node_get(root, "store")) && (rc = get_str(&c, v, "store", &cfg->store)) < 0)
        goto out;
    cfg->busy_timeout = -1;
    if ((v = sl_node_get(root, "busy_timeout"))) {
        char *text = NULL;
        if ((rc = get_str(&c, v, "busy_timeout", &text)) < 0) goto out;
        cfg->busy_timeout = sl_parse_duration(text);
        free(text);
        if (cfg->busy_timeout < 0) {
            rc = bad_value(&c, v, "busy_timeout", "expected a duration (e.g. 30s, 10m, 1h)");
            goto out;
        }
    }
    /* quality: defaults for every source, read before them */
    if ((v = sl_node_get(root, "quality")) &&
        (rc = sl__read_quality(&c.doc, v, "quality", &quality, err)) < 0)
        goto out;
    if ((v = sl_node_get(root, "lineage"))) {
        const struct sl_node *ol;
        if ((rc = sl_node_check_keys(&c.doc, v, "lineage", lineage_keys, err)) < 0) goto out;
        if ((ol = sl_node_get(v, "openlineage"))) {
            const struct sl_node *f;
            rc = sl_node_check_keys(&c.doc, ol, "lineage.openlineage", openlineage_keys, err);
            if (rc < 0) goto out;
            if ((f = sl_node_get(ol, "file")) &&
                (rc = get_str(&c, f, "lineage.openlineage.file", &cfg->openlineage_file)) < 0)
                goto out;
            if ((f = sl_node_get(ol, "url")) &&
                (rc = get_str(&c, f, "lineage.openlineage.url", &cfg->openlineage_url)) < 0)
                goto out;
            if (cfg->openlineage_url && strncasecmp(cfg->openlineage_url, "http://", 7) &&
                strncasecmp(cfg->openlineage_url, "https://", 8)) {
                rc = bad_value(&c, f, "lineage.openlineage.url",
                               "expected an http:// or https:// URL");
                goto out;
            }
            if ((f = sl_node_get(ol, "ca_file")) &&
                (rc = get_str(&c, f, "lineage.openlineage.ca_file", &cfg->openlineage_ca_file)) < 0)
                goto out;
        }
    }
    v = sl_node_get(root, "sources");
    if (v && v->type != SL_NODE_NULL) {
        if (v->type != SL_NODE_MAP) {
            rc = bad_value(&c, v, "sources", "expected a mapping of source names to sources");
            goto out;
        }
        cfg->sources = sl_xcalloc(v->n ? v->n : 1, sizeof *cfg->sources);
        for (size_t i = 0; i < v->n; i++) {
            struct sl_source *src = &cfg->sources[cfg->nsources++];
            sl_source_init(src);
            if ((rc = read_source(&c, v->keys[i], v->items[i], cfg->dir, &quality, src)) < 0)
                goto out;
        }
        if ((rc = case_duplicates(&c, cfg)) < 0) goto out;
    }
    cfg->quality = quality;
out:
    free(envpath);
    sl_doc_free(&c.doc);
    if (rc < 0) {
        sl_config_free(cfg);
        return rc;
    }
    *out = cfg;
    return 0;
}

int sl_type_change_policy_parse(const char *s)
{
    if (!s) return -1;
    if (!strcmp(s, "reject")) return SL_TC_REJECT;
    if (!strcmp(s, "widen")) return SL_TC_WIDEN;
    if (!strcmp(s, "quarantine")) return SL_TC_QUARANTINE;
    return -1;
}

const char *sl_type_change_policy_name(int policy)
{
    switch (policy) {
    case SL_TC_WIDEN: return "widen";
    case SL_TC_QUARANTINE: return "quarantine";
    default: return "reject";
    }
}
