/*
 * Document trees: loading a config or schema file, and the typed getters that turn a node into
 * a string, boolean, integer or list with messages that name the file, line and key.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "sluice/json.h"

/* Config and schema files are small; anything this big is a mistake (or an attack). */
#define DOC_MAX_BYTES (16u << 20)

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcasecmp(s + n - m, suffix);
}

int sl_doc_load(struct sl_doc *d, const char *path, struct sl_error *err)
{
    struct sl_buf text = SL_BUF_INIT;
    FILE *f = NULL;
    struct stat st;
    char chunk[16384];
    size_t got;
    int rc = 0;

    memset(d, 0, sizeof *d);
    sl_arena_init(&d->arena, 0);
    f = fopen(path, "rb");
    if (!f) {
        rc = sl_error_set(err, SL_ECONFIG, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        rc = sl_error_set(err, SL_ECONFIG, "%s: is a directory", path);
        goto out;
    }
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (text.len + got > DOC_MAX_BYTES) {
            rc = sl_error_set(err, SL_ECONFIG, "%s: file is larger than %u MiB", path,
                              DOC_MAX_BYTES >> 20);
            goto out;
        }
        sl_buf_add(&text, chunk, got);
    }
    if (ferror(f)) {
        rc = sl_error_set(err, SL_ECONFIG, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (has_suffix(path, ".json"))
        rc = sl_doc_parse_json(d, path, sl_buf_str(&text), text.len, err);
    else
        rc = sl_doc_parse_yaml(d, path, sl_buf_str(&text), text.len, err);
out:
    if (f) fclose(f);
    sl_buf_free(&text);
    if (rc < 0 && !d->path) d->path = sl_arena_strndup(&d->arena, path, strlen(path));
    return rc;
}

void sl_doc_free(struct sl_doc *d)
{
    if (!d) return;
    sl_arena_free(&d->arena);
    d->path = NULL;
    d->root = NULL;
}

struct sl_node *sl_node_get(const struct sl_node *map, const char *key)
{
    size_t klen;

    if (!map || map->type != SL_NODE_MAP || !key) return NULL;
    klen = strlen(key);
    for (size_t i = 0; i < map->n; i++) {
        const struct sl_node *k = map->keys[i];
        if (k && k->text && k->len == klen && !memcmp(k->text, key, klen)) return map->items[i];
    }
    return NULL;
}

/* A YAML scalar is text unless a getter reads it otherwise; a JSON value is a string only when
 * it was written as one (numbers are accepted too, as their text). */
const char *sl_node_str(const struct sl_node *n)
{
    if (!n || n->type != SL_NODE_SCALAR || !n->text) return NULL;
    if (n->json_type >= 0 && n->json_type != SL_JSON_STRING && n->json_type != SL_JSON_NUMBER)
        return NULL;
    return n->text;
}

static const char *doc_path(const struct sl_doc *d)
{
    return d && d->path ? d->path : "(config)";
}

static int want_fail(const struct sl_doc *d, const struct sl_node *n, const char *what,
                     const char *expected, struct sl_error *err)
{
    if (!n)
        return sl_error_set(err, SL_ECONFIG, "%s: %s: expected %s", doc_path(d), what, expected);
    return sl_error_set(err, SL_ECONFIG, "%s:%d: %s: expected %s", doc_path(d), n->line, what,
                        expected);
}

int sl_node_want_str(const struct sl_doc *d, const struct sl_node *n, const char *what,
                     const char **out, struct sl_error *err)
{
    const char *s = sl_node_str(n);
    if (!s) return want_fail(d, n, what, "a string", err);
    *out = s;
    return 0;
}

int sl_node_want_bool(const struct sl_doc *d, const struct sl_node *n, const char *what, int *out,
                      struct sl_error *err)
{
    static const char *const yes[] = {"true", "yes", "on"};
    static const char *const no[] = {"false", "no", "off"};

    if (n && n->type == SL_NODE_SCALAR && n->json_type >= 0) {
        if (n->json_type == SL_JSON_TRUE || n->json_type == SL_JSON_FALSE) {
            *out = n->json_type == SL_JSON_TRUE;
            return 0;
        }
    } else if (n && n->type == SL_NODE_SCALAR && !n->quoted && n->text) {
        for (size_t i = 0; i < 3; i++) {
            if (!strcasecmp(n->text, yes[i])) {
                *out = 1;
                return 0;
            }
            if (!strcasecmp(n->text, no[i])) {
                *out = 0;
                return 0;
            }
        }
    }
    return want_fail(d, n, what, "a boolean", err);
}

int sl_node_want_int(const struct sl_doc *d, const struct sl_node *n, const char *what,
                     int64_t *out, struct sl_error *err)
{
    const char *p;
    int neg = 0;
    uint64_t v = 0, limit;

    if (!n || n->type != SL_NODE_SCALAR || n->quoted || !n->text) goto bad;
    if (n->json_type >= 0 && n->json_type != SL_JSON_NUMBER) goto bad;
    p = n->text;
    if (*p == '+' || *p == '-') neg = *p++ == '-';
    if (!*p) goto bad;
    limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; *p; p++) {
        if (*p < '0' || *p > '9') goto bad;
        if (v > (limit - (uint64_t)(*p - '0')) / 10) goto bad;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    if (p - n->text != (long)n->len) goto bad; /* an embedded NUL */
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
bad:
    return want_fail(d, n, what, "an integer", err);
}

int sl_node_want_strs(const struct sl_doc *d, const struct sl_node *n, const char *what,
                      const char ***out, size_t *count, struct sl_error *err)
{
    struct sl_doc *md = (struct sl_doc *)d; /* the arena is ours to allocate from */
    const char **v;

    if (n && n->type == SL_NODE_SCALAR && sl_node_str(n)) {
        v = sl_arena_alloc(&md->arena, sizeof *v);
        v[0] = n->text;
        *out = v;
        *count = 1;
        return 0;
    }
    if (!n || n->type != SL_NODE_SEQ) return want_fail(d, n, what, "a list of strings", err);
    v = sl_arena_alloc(&md->arena, (n->n ? n->n : 1) * sizeof *v);
    for (size_t i = 0; i < n->n; i++) {
        v[i] = sl_node_str(n->items[i]);
        if (!v[i]) return want_fail(d, n->items[i], what, "a list of strings", err);
    }
    *out = v;
    *count = n->n;
    return 0;
}

/* Edit distance, capped: the suggestions only care about distances up to 2. */
static size_t levenshtein(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

    if (la >= 63 || lb >= 63) return 99;
    for (size_t j = 0; j <= lb; j++) prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb];
}

int sl_node_check_keys(const struct sl_doc *d, const struct sl_node *map, const char *what,
                       const char *const *allowed, struct sl_error *err)
{
    const char *dot = what && *what ? "." : "";

    if (!what) what = "";
    if (!map || map->type == SL_NODE_NULL) return 0; /* an empty mapping */
    if (map->type != SL_NODE_MAP)
        return want_fail(d, map, *what ? what : "document", "a mapping", err);
    for (size_t i = 0; i < map->n; i++) {
        const struct sl_node *k = map->keys[i];
        const char *key = k && k->text ? k->text : "";
        const char *best = NULL;
        size_t best_dist = 3;
        int known = 0;

        for (size_t j = 0; allowed[j]; j++) {
            if (!strcmp(key, allowed[j])) {
                known = 1;
                break;
            }
            size_t dist = levenshtein(key, allowed[j]);
            if (dist < best_dist) best_dist = dist, best = allowed[j];
        }
        if (known) continue;
        if (best)
            return sl_error_set(err, SL_ECONFIG, "%s:%d: %s%s%s: unknown key (did you mean '%s'?)",
                                doc_path(d), k ? k->line : 0, what, dot, key, best);
        struct sl_buf list = SL_BUF_INIT;
        for (size_t j = 0; allowed[j]; j++) sl_buf_addf(&list, "%s%s", j ? ", " : "", allowed[j]);
        sl_error_set(err, SL_ECONFIG, "%s:%d: %s%s%s: unknown key (expected one of: %s)",
                     doc_path(d), k ? k->line : 0, what, dot, key, sl_buf_str(&list));
        sl_buf_free(&list);
        return SL_ECONFIG;
    }
    return 0;
}

/* ---- JSON text of a node ------------------------------------------------------------------ */

static int looks_json_number(const char *p)
{
    struct sl_json_tok tok;
    struct sl_json_err e;
    size_t n = strlen(p);
    return n && sl_json_scan(p, n, 1, &tok, &e) == (long)n && tok.type == SL_JSON_NUMBER &&
           (p[0] == '-' || (p[0] >= '0' && p[0] <= '9'));
}

void sl_node_json(struct sl_buf *b, const struct sl_node *n, size_t max)
{
    if (!n || n->type == SL_NODE_NULL) {
        sl_buf_adds(b, "null");
        return;
    }
    if (n->type == SL_NODE_SEQ || n->type == SL_NODE_MAP) {
        int map = n->type == SL_NODE_MAP;
        sl_buf_addc(b, map ? '{' : '[');
        for (size_t i = 0; i < n->n; i++) {
            if (max && b->len > max) {
                sl_buf_adds(b, "...");
                break;
            }
            if (i) sl_buf_addc(b, ',');
            if (map) {
                sl_buf_json_str(b, n->keys[i]->text, n->keys[i]->len);
                sl_buf_addc(b, ':');
            }
            sl_node_json(b, n->items[i], max);
        }
        sl_buf_addc(b, map ? '}' : ']');
        return;
    }
    if (n->json_type >= 0) {
        if (n->json_type == SL_JSON_STRING)
            sl_buf_json_str(b, n->text, n->len);
        else
            sl_buf_add(b, n->text, n->len);
        return;
    }
    if (!n->quoted &&
        (looks_json_number(n->text) || !strcmp(n->text, "true") || !strcmp(n->text, "false")))
        sl_buf_adds(b, n->text);
    else
        sl_buf_json_str(b, n->text, n->len);
}
