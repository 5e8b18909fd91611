/*
 * JSON Schema validation (draft 2020-12 and draft-07), interpreted straight from the schema's
 * document tree.
 *
 * Every schema object the validator may evaluate gets an entry in a table (node → base URI,
 * draft, whether it starts a resource), filled by walking the known subschema keywords of each
 * document: that walk also registers resources ($id) and anchors. References are resolved the
 * first time they are met and cached on the $ref node. Annotations for unevaluatedProperties /
 * unevaluatedItems are a per-member bitmap of the instance, merged up from the in-place
 * applicators that succeeded.
 *
 * Numbers are compared as exact decimals from their text (1 == 1.0 == 1e0, big integers and
 * long fractions keep every digit); multipleOf is exact too (jsdecimal.c). Patterns are ECMA-262
 * translated for PCRE2 (jsregex.c); references are resolved as RFC 3986 says (jsuri.c).
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsdecimal.h"
#include "jsformat.h"
#include "jsregex.h"
#include "jsuri.h"
#include "sluice/jsonschema.h"
#include "sluice/schema.h"

#define JS_MAX_DEPTH  300
#define JS_MAX_ERRORS 100

/* ---- hash maps: pointer or string keys ------------------------------------------------------ */

struct hent {
    const void *key; /* NULL = empty slot */
    uint64_t hash;
    void *val;
};
struct hmap {
    struct hent *v;
    size_t cap, n;
    int strings; /* keys are NUL-terminated strings the map owns */
};

static uint64_t hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 1099511628211ull;
    return h | 1;
}

static uint64_t hmap_hash(const struct hmap *m, const void *key)
{
    return m->strings ? hash_bytes(key, strlen(key)) : hash_bytes(&key, sizeof key);
}

static int hmap_eq(const struct hmap *m, const void *a, const void *b)
{
    return m->strings ? !strcmp(a, b) : a == b;
}

static struct hent *hmap_slot(struct hmap *m, const void *key, uint64_t h)
{
    size_t i = h & (m->cap - 1);
    while (m->v[i].key && !(m->v[i].hash == h && hmap_eq(m, m->v[i].key, key)))
        i = (i + 1) & (m->cap - 1);
    return &m->v[i];
}

static void *hmap_get(struct hmap *m, const void *key)
{
    if (!m->cap) return NULL;
    struct hent *e = hmap_slot(m, key, hmap_hash(m, key));
    return e->key ? e->val : NULL;
}

/* Inserts or replaces; string keys are copied. */
static void hmap_put(struct hmap *m, const void *key, void *val)
{
    if ((m->n + 1) * 2 > m->cap) {
        struct hmap old = *m;
        m->cap = m->cap ? m->cap * 2 : 64;
        m->v = sl_xcalloc(m->cap, sizeof *m->v);
        for (size_t i = 0; i < old.cap; i++)
            if (old.v[i].key) *hmap_slot(m, old.v[i].key, old.v[i].hash) = old.v[i];
        free(old.v);
    }
    uint64_t h = hmap_hash(m, key);
    struct hent *e = hmap_slot(m, key, h);
    if (!e->key) {
        e->key = m->strings ? sl_xstrdup(key) : key;
        e->hash = h;
        m->n++;
    }
    e->val = val;
}

static void hmap_free(struct hmap *m, void (*free_val)(void *))
{
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->v[i].key) continue;
        if (m->strings) free((void *)m->v[i].key);
        if (free_val) free_val(m->v[i].val);
    }
    free(m->v);
    memset(m, 0, sizeof *m);
}

/* ---- the validator --------------------------------------------------------------------------- */

/* Keywords the evaluator reads, found once per schema object (js_info.kw). */
enum {
    K_D_dynamicRef,
    K_D_ref,
    K_additionalItems,
    K_additionalProperties,
    K_allOf,
    K_anyOf,
    K_const,
    K_contains,
    K_dependencies,
    K_dependentRequired,
    K_dependentSchemas,
    K_enum,
    K_exclusiveMaximum,
    K_exclusiveMinimum,
    K_format,
    K_if,
    K_items,
    K_maxContains,
    K_maxItems,
    K_maxLength,
    K_maxProperties,
    K_maximum,
    K_minContains,
    K_minItems,
    K_minLength,
    K_minProperties,
    K_minimum,
    K_multipleOf,
    K_not,
    K_oneOf,
    K_pattern,
    K_patternProperties,
    K_prefixItems,
    K_properties,
    K_propertyNames,
    K_required,
    K_type,
    K_unevaluatedItems,
    K_unevaluatedProperties,
    K_uniqueItems,
    K_contentEncoding,
    K_contentMediaType,
    K_COUNT
};
static const char *const kw_names[K_COUNT] = {
    [K_contentEncoding] = "contentEncoding",
    [K_contentMediaType] = "contentMediaType",
    [K_D_dynamicRef] = "$dynamicRef",
    [K_D_ref] = "$ref",
    [K_additionalItems] = "additionalItems",
    [K_additionalProperties] = "additionalProperties",
    [K_allOf] = "allOf",
    [K_anyOf] = "anyOf",
    [K_const] = "const",
    [K_contains] = "contains",
    [K_dependencies] = "dependencies",
    [K_dependentRequired] = "dependentRequired",
    [K_dependentSchemas] = "dependentSchemas",
    [K_enum] = "enum",
    [K_exclusiveMaximum] = "exclusiveMaximum",
    [K_exclusiveMinimum] = "exclusiveMinimum",
    [K_format] = "format",
    [K_if] = "if",
    [K_items] = "items",
    [K_maxContains] = "maxContains",
    [K_maxItems] = "maxItems",
    [K_maxLength] = "maxLength",
    [K_maxProperties] = "maxProperties",
    [K_maximum] = "maximum",
    [K_minContains] = "minContains",
    [K_minItems] = "minItems",
    [K_minLength] = "minLength",
    [K_minProperties] = "minProperties",
    [K_minimum] = "minimum",
    [K_multipleOf] = "multipleOf",
    [K_not] = "not",
    [K_oneOf] = "oneOf",
    [K_pattern] = "pattern",
    [K_patternProperties] = "patternProperties",
    [K_prefixItems] = "prefixItems",
    [K_properties] = "properties",
    [K_propertyNames] = "propertyNames",
    [K_required] = "required",
    [K_type] = "type",
    [K_unevaluatedItems] = "unevaluatedItems",
    [K_unevaluatedProperties] = "unevaluatedProperties",
    [K_uniqueItems] = "uniqueItems",
};

struct js_info {
    const char *base; /* owned by the validator's string pool */
    int draft;
    int resource; /* the node starts a resource (has an $id, or is a document root) */
    const struct sl_node *ref_target, *dref_target; /* cached resolutions */
    const char *ref_err;
    const struct sl_node *kw[K_COUNT]; /* the schema object's keywords, NULL when absent */
};

struct sl_jsonschema {
    struct sl_js_options opt;
    const struct sl_node *root;
    struct hmap info;      /* node → struct js_info */
    struct hmap resources; /* absolute URI → node */
    struct hmap anchors;   /* URI#name → node */
    struct hmap danchors;  /* URI#name → node ($dynamicAnchor) */
    struct hmap regex;     /* pattern node → pcre2_code */
    struct hmap docs;      /* retrieved URI → struct sl_doc * (owned) */
    int no_validation;     /* the metaschema leaves out the validation vocabulary */
    struct ctx *ctx;       /* evaluation state, reused by each sl_jsonschema_validate */
    struct sl_arena pool;  /* base URI strings, infos */
    pcre2_match_data *md;
};

static const char *pool_str(struct sl_jsonschema *js, const char *s)
{
    return sl_arena_strndup(&js->pool, s, strlen(s));
}

static int draft_of_uri(const char *s, int dflt)
{
    if (!s) return dflt;
    if (strstr(s, "draft/2020-12") || strstr(s, "draft/2019-09")) return SL_JS_DRAFT2020;
    if (strstr(s, "draft-07") || strstr(s, "draft-06") || strstr(s, "draft-04"))
        return SL_JS_DRAFT7;
    return dflt;
}

static int is_bool_node(const struct sl_node *n)
{
    return n && n->type == SL_NODE_SCALAR &&
           (n->json_type == SL_JSON_TRUE || n->json_type == SL_JSON_FALSE);
}

static const char *str_of(const struct sl_node *n)
{
    return n && n->type == SL_NODE_SCALAR && n->json_type == SL_JSON_STRING ? n->text : NULL;
}

static void index_schema(struct sl_jsonschema *js, const struct sl_node *s, const char *base,
                         int draft, int is_root);

static void index_children(struct sl_jsonschema *js, const struct sl_node *v, const char *base,
                           int draft, int kind)
{
    /* kind 0: a schema; 1: a map of schemas; 2: an array of schemas; 3: schema or array */
    if (!v) return;
    if (kind == 0 || (kind == 3 && v->type != SL_NODE_SEQ)) {
        index_schema(js, v, base, draft, 0);
    } else if (kind == 1 && v->type == SL_NODE_MAP) {
        for (size_t i = 0; i < v->n; i++) index_schema(js, v->items[i], base, draft, 0);
    } else if ((kind == 2 || kind == 3) && v->type == SL_NODE_SEQ) {
        for (size_t i = 0; i < v->n; i++) index_schema(js, v->items[i], base, draft, 0);
    }
}

/* Registers s and everything under it: base URIs, resources, anchors. */
static void index_schema(struct sl_jsonschema *js, const struct sl_node *s, const char *base,
                         int draft, int is_root)
{
    struct js_info *in;

    if (!s || (s->type != SL_NODE_MAP && !is_bool_node(s))) return;
    if ((in = hmap_get(&js->info, s))) return; /* already known */
    in = sl_arena_zalloc(&js->pool, sizeof *in);
    in->draft = draft;
    in->resource = is_root;
    if (s->type == SL_NODE_MAP) {
        const char *sch = str_of(sl_node_get(s, "$schema"));
        if (sch) in->draft = draft = draft_of_uri(sch, draft);
        const char *id = str_of(sl_node_get(s, "$id"));
        if (draft == SL_JS_DRAFT7 && sl_node_get(s, "$ref")) id = NULL;
        if (id) {
            char *abs = sl__js_uri_resolve(base, id), *frag = sl__js_uri_cut_frag(abs);
            if (draft == SL_JS_DRAFT7 && frag && *frag) {
                if (*abs) base = pool_str(js, abs);
                char *a = sl_xasprintf("%s#%s", base, frag);
                hmap_put(&js->anchors, a, (void *)s);
                free(a);
                if (id[0] != '#') {
                    in->resource = 1;
                    if (!hmap_get(&js->resources, base)) hmap_put(&js->resources, base, (void *)s);
                }
            } else if (!frag || !*frag) {
                base = pool_str(js, abs);
                in->resource = 1;
                hmap_put(&js->resources, base, (void *)s);
            }
            free(abs);
        }
        if (is_root && !hmap_get(&js->resources, base)) hmap_put(&js->resources, base, (void *)s);
        if (draft == SL_JS_DRAFT2020) {
            const char *a = str_of(sl_node_get(s, "$anchor"));
            const char *d = str_of(sl_node_get(s, "$dynamicAnchor"));
            if (a) {
                char *k = sl_xasprintf("%s#%s", base, a);
                hmap_put(&js->anchors, k, (void *)s);
                free(k);
            }
            if (d) {
                char *k = sl_xasprintf("%s#%s", base, d);
                if (!hmap_get(&js->anchors, k)) hmap_put(&js->anchors, k, (void *)s);
                hmap_put(&js->danchors, k, (void *)s);
                free(k);
            }
        }
    }
    in->base = base;
    hmap_put(&js->info, s, in);
    for (size_t i = 0; s->type == SL_NODE_MAP && i < s->n; i++)
        for (int k = 0; k < K_COUNT; k++)
            if (!in->kw[k] && s->keys[i]->text && !strcmp(s->keys[i]->text, kw_names[k])) {
                in->kw[k] = s->items[i];
                break;
            }
    if (s->type != SL_NODE_MAP) return;

    static const struct {
        const char *kw;
        int kind;
    } kws[] = {{"$defs", 1},
               {"definitions", 1},
               {"properties", 1},
               {"patternProperties", 1},
               {"dependentSchemas", 1},
               {"additionalProperties", 0},
               {"unevaluatedProperties", 0},
               {"unevaluatedItems", 0},
               {"propertyNames", 0},
               {"contains", 0},
               {"if", 0},
               {"then", 0},
               {"else", 0},
               {"not", 0},
               {"additionalItems", 0},
               {"items", 3},
               {"prefixItems", 2},
               {"allOf", 2},
               {"anyOf", 2},
               {"oneOf", 2}};
    for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++)
        index_children(js, sl_node_get(s, kws[i].kw), base, draft, kws[i].kind);
    const struct sl_node *dep = sl_node_get(s, "dependencies");
    if (dep && dep->type == SL_NODE_MAP)
        for (size_t i = 0; i < dep->n; i++)
            if (dep->items[i]->type != SL_NODE_SEQ) index_schema(js, dep->items[i], base, draft, 0);
}

static const char *resolve_ref(struct sl_jsonschema *js, const char *base, int draft,
                               const char *ref, const struct sl_node **target);

int sl_jsonschema_new(const struct sl_node *root, const char *base_uri,
                      const struct sl_js_options *o, struct sl_jsonschema **out,
                      struct sl_error *err)
{
    struct sl_jsonschema *js = sl_xcalloc(1, sizeof *js);
    (void)err;
    if (o) js->opt = *o;
    if (!js->opt.default_draft) js->opt.default_draft = SL_JS_DRAFT2020;
    js->root = root;
    js->resources.strings = js->anchors.strings = js->danchors.strings = js->docs.strings = 1;
    sl_arena_init(&js->pool, 0);
    js->md = pcre2_match_data_create(32, NULL);
    index_schema(js, root, pool_str(js, base_uri ? base_uri : "urn:sluice:root"),
                 js->opt.default_draft, 1);
    *out = js;
    /* A custom metaschema: its $vocabulary says which keywords apply. */
    const char *sch =
        root && root->type == SL_NODE_MAP ? str_of(sl_node_get(root, "$schema")) : NULL;
    if (sch && draft_of_uri(sch, 0) == 0) {
        const struct sl_node *meta = NULL, *voc;
        const char *why = resolve_ref(js, "", js->opt.default_draft, sch, &meta);
        if (!why && meta && (voc = sl_node_get(meta, "$vocabulary")) && voc->type == SL_NODE_MAP) {
            int validation = 0, fmt = 0;
            for (size_t i = 0; i < voc->n; i++) {
                const char *v = voc->keys[i]->text;
                if (strstr(v, "/vocab/validation")) validation = 1;
                if (strstr(v, "/vocab/format-assertion")) fmt = 1;
            }
            js->no_validation = !validation;
            if (fmt) js->opt.format_assert = 1;
        }
    }
    return 0;
}

static void free_doc(void *p)
{
    sl_doc_free(p);
    free(p);
}

static void free_code(void *p)
{
    pcre2_code_free(p);
}

void sl_jsonschema_free(struct sl_jsonschema *js)
{
    if (!js) return;
    hmap_free(&js->info, NULL);
    hmap_free(&js->resources, NULL);
    hmap_free(&js->anchors, NULL);
    hmap_free(&js->danchors, NULL);
    hmap_free(&js->regex, free_code);
    hmap_free(&js->docs, free_doc);
    pcre2_match_data_free(js->md);
    free(js->ctx);
    sl_arena_free(&js->pool);
    free(js);
}

int sl_jsonschema_draft(const struct sl_jsonschema *js)
{
    struct js_info *in = hmap_get((struct hmap *)&js->info, js->root);
    return in ? in->draft : js->opt.default_draft;
}

/* Finds (or fetches) the resource at uri (no fragment). */
static const struct sl_node *get_resource(struct sl_jsonschema *js, const char *uri, int draft,
                                          const char **why)
{
    const struct sl_node *n = hmap_get(&js->resources, uri);
    struct sl_error err = {0, ""};
    struct sl_doc *d;
    char *text;
    int rc;

    if (n) return n;
    if (hmap_get(&js->docs, uri)) return NULL; /* fetched before and it did not define uri */
    d = sl_xcalloc(1, sizeof *d);
    if ((text = sl_jsonschema_builtin(uri))) {
        rc = sl_doc_parse_json(d, uri, text, strlen(text), &err);
        free(text);
    } else if (js->opt.retrieve) {
        rc = js->opt.retrieve(js->opt.retrieve_ctx, uri, d, &err);
    } else {
        rc = 1;
    }
    if (rc) {
        if (rc < 0) *why = pool_str(js, err.msg);
        if (rc != 1) sl_doc_free(d);
        free(d);
        return NULL;
    }
    hmap_put(&js->docs, uri, d);
    index_schema(js, d->root, pool_str(js, uri), draft, 1);
    if (!hmap_get(&js->resources, uri)) hmap_put(&js->resources, uri, (void *)d->root);
    return hmap_get(&js->resources, uri);
}

/* Resolves ref against base; fills *target or returns a reason. */
static const char *resolve_ref(struct sl_jsonschema *js, const char *base, int draft,
                               const char *ref, const struct sl_node **target)
{
    char *abs = sl__js_uri_resolve(base, ref), *frag = sl__js_uri_cut_frag(abs);
    const char *why = NULL;
    const struct sl_node *n = NULL;
    struct sl_buf dec = SL_BUF_INIT;

    *target = NULL;
    if (frag && *frag && frag[0] != '/') { /* an anchor */
        char *k = sl_xasprintf("%s#%s", abs, frag);
        n = hmap_get(&js->anchors, k);
        if (!n && get_resource(js, abs, draft, &why)) n = hmap_get(&js->anchors, k);
        free(k);
        if (!n && !why) why = "no such anchor";
        goto out;
    }
    n = get_resource(js, abs, draft, &why);
    if (!n) {
        if (!why) why = "no schema has this URI";
        goto out;
    }
    if (frag && *frag) {
        struct js_info *in = hmap_get(&js->info, n);
        const char *b = in ? in->base : abs;
        int d = in ? in->draft : draft;
        sl__js_pct_decode(frag, &dec);
        const char *p = sl_buf_str(&dec);
        while (n && *p == '/') {
            struct sl_buf tok = SL_BUF_INIT;
            p++;
            while (*p && *p != '/') {
                if (p[0] == '~' && p[1] == '0')
                    sl_buf_addc(&tok, '~'), p += 2;
                else if (p[0] == '~' && p[1] == '1')
                    sl_buf_addc(&tok, '/'), p += 2;
                else
                    sl_buf_addc(&tok, *p++);
            }
            const char *t = sl_buf_str(&tok);
            if (n->type == SL_NODE_MAP) {
                n = sl_node_get(n, t);
            } else if (n->type == SL_NODE_SEQ) {
                char *e;
                unsigned long i = strtoul(t, &e, 10);
                n = (*t && !*e && i < n->n) ? n->items[i] : NULL;
            } else {
                n = NULL;
            }
            sl_buf_free(&tok);
            if (n && (in = hmap_get(&js->info, n))) b = in->base, d = in->draft;
        }
        if (!n) {
            why = "the JSON pointer leads nowhere";
            goto out;
        }
        index_schema(js, n, b, d, 0);
    }
out:
    sl_buf_free(&dec);
    free(abs);
    *target = n;
    return why;
}

/* ---- JSON equality ----------------------------------------------------------------------------
 */

static int jtype(const struct sl_node *n)
{
    if (!n || n->type == SL_NODE_NULL) return SL_JSON_NULL;
    if (n->json_type >= 0) return n->json_type;
    return n->type == SL_NODE_MAP   ? SL_JSON_OBJECT
           : n->type == SL_NODE_SEQ ? SL_JSON_ARRAY
                                    : SL_JSON_STRING;
}

static int json_equal(const struct sl_node *a, const struct sl_node *b)
{
    int ta = jtype(a), tb = jtype(b);
    if (ta != tb) return 0;
    switch (ta) {
    case SL_JSON_NULL:
    case SL_JSON_TRUE:
    case SL_JSON_FALSE: return 1;
    case SL_JSON_NUMBER: return sl__js_num_cmp(a->text, b->text) == 0;
    case SL_JSON_STRING: return a->len == b->len && !memcmp(a->text, b->text, a->len);
    case SL_JSON_ARRAY:
        if (a->n != b->n) return 0;
        for (size_t i = 0; i < a->n; i++)
            if (!json_equal(a->items[i], b->items[i])) return 0;
        return 1;
    default:
        if (a->n != b->n) return 0;
        for (size_t i = 0; i < a->n; i++) {
            const struct sl_node *k = a->keys[i], *v = NULL;
            for (size_t j = 0; j < b->n; j++)
                if (b->keys[j]->len == k->len && !memcmp(b->keys[j]->text, k->text, k->len)) {
                    v = b->items[j];
                    break;
                }
            if (!v || !json_equal(a->items[i], v)) return 0;
        }
        return 1;
    }
}

static size_t utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xc0) != 0x80;
    return c;
}

/* ---- evaluation ------------------------------------------------------------------------------ */

struct seg {
    const char *key; /* NULL: an array index */
    size_t klen, idx;
};

struct ctx {
    struct sl_jsonschema *js;
    sl_js_error_fn on_error;
    void *on_error_ctx;
    int quiet; /* > 0: failures are part of a bigger decision (anyOf, not, ...) */
    int depth, nerrors;
    const char *fatal; /* the schema is at fault */
    struct seg path[JS_MAX_DEPTH + 2];
    int npath;
    const char *scope[JS_MAX_DEPTH + 2]; /* dynamic scope: base URIs of entered resources */
    int nscope;
};

/* Evaluated members of the instance (object members or array items, by position). */
struct ann {
    unsigned char *ev;
    size_t n;
};

static int ann_init(struct ann *a, const struct sl_node *inst)
{
    a->n = inst && (inst->type == SL_NODE_MAP || inst->type == SL_NODE_SEQ) ? inst->n : 0;
    a->ev = sl_xcalloc(a->n ? a->n : 1, 1);
    return 1;
}

static void ann_merge(struct ann *into, const struct ann *from)
{
    if (!into || !from || !from->ev) return;
    for (size_t i = 0; i < into->n && i < from->n; i++) into->ev[i] |= from->ev[i];
}

static void path_json_pointer(const struct ctx *c, struct sl_buf *b)
{
    for (int i = 0; i < c->npath; i++) {
        sl_buf_addc(b, '/');
        if (!c->path[i].key) {
            sl_buf_addf(b, "%zu", c->path[i].idx);
            continue;
        }
        for (size_t k = 0; k < c->path[i].klen; k++) {
            char ch = c->path[i].key[k];
            if (ch == '~')
                sl_buf_adds(b, "~0");
            else if (ch == '/')
                sl_buf_adds(b, "~1");
            else
                sl_buf_addc(b, ch);
        }
    }
}

static int fail(struct ctx *c, const char *kw, const struct sl_node *inst, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(struct ctx *c, const char *kw, const struct sl_node *inst, const char *fmt, ...)
{
    if (c->quiet || !c->on_error || c->nerrors >= JS_MAX_ERRORS) return 0;
    struct sl_buf loc = SL_BUF_INIT, msg = SL_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sl_buf_vaddf(&msg, fmt, ap);
    va_end(ap);
    path_json_pointer(c, &loc);
    struct sl_js_error e = {kw, sl_buf_str(&loc), sl_buf_str(&msg), inst};
    c->on_error(c->on_error_ctx, &e);
    c->nerrors++;
    sl_buf_free(&loc);
    sl_buf_free(&msg);
    return 0;
}

static int ev(struct ctx *c, const struct sl_node *s, const struct sl_node *inst, struct ann *out);

static int ev_member(struct ctx *c, const struct sl_node *s, const struct sl_node *inst,
                     const struct sl_node *key, size_t idx)
{
    if (c->npath >= JS_MAX_DEPTH) {
        c->fatal = "the instance is nested too deeply";
        return 0;
    }
    c->path[c->npath].key = key ? key->text : NULL;
    c->path[c->npath].klen = key ? key->len : 0;
    c->path[c->npath].idx = idx;
    c->npath++;
    int ok = ev(c, s, inst, NULL);
    c->npath--;
    return ok;
}

/* A member under a keyword whose subschema may be `false` (additionalProperties: false, ...):
 * then the keyword itself is the failure, said once, at the member's location. */
static int ev_member_kw(struct ctx *c, const struct sl_node *s, const struct sl_node *inst,
                        const struct sl_node *key, size_t idx, const char *kw)
{
    if (!is_bool_node(s) || s->json_type == SL_JSON_TRUE) return ev_member(c, s, inst, key, idx);
    if (c->npath >= JS_MAX_DEPTH) return ev_member(c, s, inst, key, idx);
    c->path[c->npath].key = key ? key->text : NULL;
    c->path[c->npath].klen = key ? key->len : 0;
    c->path[c->npath].idx = idx;
    c->npath++;
    if (key)
        fail(c, kw, inst, "property '%s' is not allowed (%s is false)", key->text, kw);
    else
        fail(c, kw, inst, "item %zu is not allowed (%s is false)", idx, kw);
    c->npath--;
    return 0;
}

static int ev_quiet(struct ctx *c, const struct sl_node *s, const struct sl_node *inst,
                    struct ann *out)
{
    c->quiet++;
    int ok = ev(c, s, inst, out);
    c->quiet--;
    return ok;
}

static const char *type_name(int t)
{
    switch (t) {
    case SL_JSON_NULL: return "null";
    case SL_JSON_TRUE:
    case SL_JSON_FALSE: return "boolean";
    case SL_JSON_NUMBER: return "number";
    case SL_JSON_STRING: return "string";
    case SL_JSON_ARRAY: return "array";
    default: return "object";
    }
}

static int type_matches(const char *want, const struct sl_node *inst)
{
    int t = jtype(inst);
    if (!strcmp(want, "integer")) return t == SL_JSON_NUMBER && sl__js_num_is_integer(inst->text);
    return !strcmp(want, type_name(t));
}

/* a number keyword's value as text, or NULL when it is not a number */
static const char *num_kw(const struct sl_node *n)
{
    return n && jtype(n) == SL_JSON_NUMBER ? n->text : NULL;
}

static int size_kw(const struct sl_node *n, unsigned long long *out)
{
    const char *t = num_kw(n);
    if (!t) return 0;
    double d = strtod(t, NULL);
    if (d < 0) d = 0;
    *out = d > 1e18 ? (unsigned long long)1e18 : (unsigned long long)d;
    return 1;
}

static pcre2_code *get_regex(struct ctx *c, const struct sl_node *pat)
{
    pcre2_code *re = hmap_get(&c->js->regex, pat);
    char msg[256];
    if (re) return re;
    re = sl__js_regex_compile(pat->text, pat->len, msg, sizeof msg);
    if (!re) {
        c->fatal =
            sl_arena_sprintf(&c->js->pool, "pattern /%s/ does not compile: %s", pat->text, msg);
        return NULL;
    }
    hmap_put(&c->js->regex, pat, re);
    return re;
}

/* 1 match, 0 no match, -1 bad pattern */
static int regex_search(struct ctx *c, const struct sl_node *pat, const char *s, size_t n)
{
    pcre2_code *re = get_regex(c, pat);
    if (!re) return -1;
    int rc = pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, c->js->md, NULL);
    return rc >= 0;
}

static int key_equals(const struct sl_node *k, const char *s)
{
    return k->len == strlen(s) && !memcmp(k->text, s, k->len);
}

static int ev_ref(struct ctx *c, struct js_info *in, const struct sl_node *s, const char *kw,
                  const struct sl_node *inst, struct ann *la)
{
    const char *ref = str_of(sl_node_get(s, kw));
    const struct sl_node *t = in->ref_target;
    if (!ref) return 1;
    if (!t) {
        const char *why = resolve_ref(c->js, in->base, in->draft, ref, &t);
        if (!t) {
            c->fatal = sl_arena_sprintf(&c->js->pool, "%s %s cannot be resolved: %s", kw, ref, why);
            return 0;
        }
        in->ref_target = t;
    }
    return ev(c, t, inst, la);
}

static int ev_dynref(struct ctx *c, struct js_info *in, const struct sl_node *s,
                     const struct sl_node *inst, struct ann *la)
{
    const char *ref = str_of(in->kw[K_D_dynamicRef]);
    (void)s;
    const struct sl_node *t = in->dref_target;
    if (!ref) return 1;
    if (!t) {
        const char *why = resolve_ref(c->js, in->base, in->draft, ref, &t);
        if (!t) {
            c->fatal =
                sl_arena_sprintf(&c->js->pool, "$dynamicRef %s cannot be resolved: %s", ref, why);
            return 0;
        }
        in->dref_target = t;
    }
    const char *frag = strchr(ref, '#');
    if (frag && frag[1] && frag[1] != '/' && t->type == SL_NODE_MAP) {
        const char *da = str_of(sl_node_get(t, "$dynamicAnchor"));
        if (da && !strcmp(da, frag + 1)) {
            for (int i = 0; i < c->nscope; i++) {
                char *k = sl_xasprintf("%s#%s", c->scope[i], frag + 1);
                const struct sl_node *d = hmap_get(&c->js->danchors, k);
                free(k);
                if (d) {
                    t = d;
                    break;
                }
            }
        }
    }
    return ev(c, t, inst, la);
}

/* base64 (RFC 4648, padding optional) into out (>= n bytes); -1 when not base64 */
static long base64_decode(const char *s, size_t n, char *out)
{
    unsigned v = 0;
    int bits = 0;
    long o = 0;
    size_t i = 0;
    for (; i < n && s[i] != '='; i++) {
        const char *p =
            strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", s[i]);
        if (!p || !s[i]) return -1;
        v = (v << 6) | (unsigned)(p - "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                      "0123456789+/");
        bits += 6;
        if (bits >= 8) bits -= 8, out[o++] = (char)((v >> bits) & 0xff);
    }
    for (; i < n; i++)
        if (s[i] != '=') return -1;
    return o;
}

static int content_ok(const struct sl_node *const *kws, const struct sl_node *inst)
{
    const char *enc = str_of(kws[K_contentEncoding]), *mt = str_of(kws[K_contentMediaType]);
    const char *p = inst->text;
    size_t n = inst->len;
    char *buf = NULL;
    int ok = 1;
    if (enc && !strcmp(enc, "base64")) {
        buf = sl_xmalloc(n + 1);
        long got = base64_decode(inst->text, inst->len, buf);
        if (got < 0) ok = 0;
        p = buf, n = got < 0 ? 0 : (size_t)got;
    }
    if (ok && mt && !strcmp(mt, "application/json")) {
        struct sl_json_tok tok;
        struct sl_json_err e;
        long got = sl_json_scan(p, n, 1, &tok, &e);
        ok = got > 0 && sl_json_skip_ws(p + got, p + n) == p + n;
    }
    free(buf);
    return ok;
}

#define BAIL()                                                    \
    do {                                                          \
        ok = 0;                                                   \
        if ((c->quiet || !c->on_error) && !keep_going) goto done; \
        if (c->fatal) goto done;                                  \
    } while (0)

static int ev_object(struct ctx *c, const struct sl_node *const *kws, int draft,
                     const struct sl_node *inst, struct ann *la, int keep_going);
static int ev_array(struct ctx *c, const struct sl_node *const *kws, int draft,
                    const struct sl_node *inst, struct ann *la, int keep_going);

static int ev(struct ctx *c, const struct sl_node *s, const struct sl_node *inst, struct ann *out)
{
    struct js_info *in;
    struct ann la = {NULL, 0};
    const struct sl_node *k;
    int ok = 1, draft, pushed = 0, t = jtype(inst), keep_going;

    if (c->fatal) return 0;
    if (is_bool_node(s)) {
        if (s->json_type == SL_JSON_TRUE) return 1;
        return fail(c, "false", inst, "no value is allowed here (the schema is false)");
    }
    if (!s || s->type != SL_NODE_MAP) return 1;
    if (!(in = hmap_get(&c->js->info, s))) {
        index_schema(c->js, s, c->nscope ? c->scope[c->nscope - 1] : "urn:sluice:root",
                     c->js->opt.default_draft, 0);
        in = hmap_get(&c->js->info, s);
    }
    if (c->depth >= JS_MAX_DEPTH) {
        c->fatal = "the schema recurses without end (or nests too deeply)";
        return 0;
    }
    c->depth++;
    draft = in->draft;
    const struct sl_node *const *kws = in->kw;
    /* the dynamic scope: every resource evaluation passes through, also when a $ref lands
     * inside it rather than at its root */
    if (!c->nscope || strcmp(c->scope[c->nscope - 1], in->base))
        c->scope[c->nscope++] = in->base, pushed = 1;
    int uneval =
        draft == SL_JS_DRAFT2020 && (kws[K_unevaluatedProperties] || kws[K_unevaluatedItems]);
    keep_going = uneval || out;
    if (keep_going) ann_init(&la, inst);
    struct ann *lap = keep_going ? &la : NULL;

    if (kws[K_D_ref]) {
        if (!ev_ref(c, in, s, "$ref", inst, lap)) BAIL();
        if (draft == SL_JS_DRAFT7) goto done;
    }
    if (draft == SL_JS_DRAFT2020 && kws[K_D_dynamicRef]) {
        if (!ev_dynref(c, in, s, inst, lap)) BAIL();
    }

    if (c->js->no_validation) goto applicators;
    /* type, enum, const */
    if ((k = kws[K_type])) {
        int m = 0;
        if (k->type == SL_NODE_SEQ) {
            for (size_t i = 0; i < k->n && !m; i++)
                if (str_of(k->items[i])) m = type_matches(k->items[i]->text, inst);
        } else if (str_of(k)) {
            m = type_matches(k->text, inst);
        } else {
            m = 1;
        }
        if (!m) {
            fail(c, "type", inst, "expected %s, got %s",
                 str_of(k) ? k->text : "one of the listed types", type_name(t));
            BAIL();
        }
    }
    if ((k = kws[K_enum]) && k->type == SL_NODE_SEQ) {
        int m = 0;
        for (size_t i = 0; i < k->n && !m; i++) m = json_equal(k->items[i], inst);
        if (!m) {
            struct sl_buf list = SL_BUF_INIT;
            for (size_t i = 0; i < k->n && list.len < 200; i++) {
                if (i) sl_buf_adds(&list, ", ");
                sl_node_json(&list, k->items[i], 300);
            }
            if (list.len >= 200) sl_buf_adds(&list, ", ...");
            fail(c, "enum", inst, "value is not one of: %s", sl_buf_str(&list));
            sl_buf_free(&list);
            BAIL();
        }
    }
    if ((k = kws[K_const])) {
        if (!json_equal(k, inst)) {
            struct sl_buf v = SL_BUF_INIT;
            sl_node_json(&v, k, 300);
            fail(c, "const", inst, "value must be %s", sl_buf_str(&v));
            sl_buf_free(&v);
            BAIL();
        }
    }

    /* numbers */
    if (t == SL_JSON_NUMBER) {
        const char *v = inst->text, *b;
        if ((b = num_kw(kws[K_minimum])) && sl__js_num_cmp(v, b) < 0) {
            fail(c, "minimum", inst, "%s is less than the minimum %s", v, b);
            BAIL();
        }
        if ((b = num_kw(kws[K_maximum])) && sl__js_num_cmp(v, b) > 0) {
            fail(c, "maximum", inst, "%s is greater than the maximum %s", v, b);
            BAIL();
        }
        if ((b = num_kw(kws[K_exclusiveMinimum])) && sl__js_num_cmp(v, b) <= 0) {
            fail(c, "exclusiveMinimum", inst, "%s is not greater than %s", v, b);
            BAIL();
        }
        if ((b = num_kw(kws[K_exclusiveMaximum])) && sl__js_num_cmp(v, b) >= 0) {
            fail(c, "exclusiveMaximum", inst, "%s is not less than %s", v, b);
            BAIL();
        }
        if ((b = num_kw(kws[K_multipleOf])) && !sl__js_num_multiple(v, b)) {
            fail(c, "multipleOf", inst, "%s is not a multiple of %s", v, b);
            BAIL();
        }
    }

    /* strings */
    if (t == SL_JSON_STRING) {
        unsigned long long lim;
        size_t len = utf8_chars(inst->text, inst->len);
        if (size_kw(kws[K_minLength], &lim) && len < lim) {
            fail(c, "minLength", inst, "string is %zu characters, shorter than %llu", len, lim);
            BAIL();
        }
        if (size_kw(kws[K_maxLength], &lim) && len > lim) {
            fail(c, "maxLength", inst, "string is %zu characters, longer than %llu", len, lim);
            BAIL();
        }
        if ((k = kws[K_pattern]) && str_of(k)) {
            int m = regex_search(c, k, inst->text, inst->len);
            if (m < 0) goto done;
            if (!m) {
                fail(c, "pattern", inst, "string does not match the pattern /%s/", k->text);
                BAIL();
            }
        }
    }

applicators:
    /* draft-07 lets content be asserted: base64 that decodes, JSON that parses */
    if (t == SL_JSON_STRING && draft == SL_JS_DRAFT7 &&
        (kws[K_contentEncoding] || kws[K_contentMediaType]) && !content_ok(kws, inst)) {
        fail(c, kws[K_contentMediaType] ? "contentMediaType" : "contentEncoding", inst,
             "content does not decode as declared");
        BAIL();
    }
    if (t == SL_JSON_STRING) { /* the format vocabulary, not the validation one */
        if ((k = kws[K_format]) && str_of(k) && c->js->opt.format_assert) {
            const char *why = NULL;
            if (sl__js_format_check(k->text, inst->text, inst->len, &why) == 0) {
                fail(c, "format", inst, "not a valid %s%s%s", k->text, why ? ": " : "",
                     why ? why : "");
                BAIL();
            }
        }
    }
    if (t == SL_JSON_OBJECT && !ev_object(c, in->kw, draft, inst, lap, keep_going)) BAIL();
    if (t == SL_JSON_ARRAY && !ev_array(c, in->kw, draft, inst, lap, keep_going)) BAIL();

    /* combinators */
    if ((k = kws[K_allOf]) && k->type == SL_NODE_SEQ) {
        for (size_t i = 0; i < k->n; i++)
            if (!ev(c, k->items[i], inst, lap)) BAIL();
    }
    if ((k = kws[K_anyOf]) && k->type == SL_NODE_SEQ) {
        int any = 0;
        for (size_t i = 0; i < k->n; i++) {
            struct ann sub;
            if (lap) ann_init(&sub, inst);
            if (ev_quiet(c, k->items[i], inst, lap ? &sub : NULL)) {
                any = 1;
                ann_merge(lap, &sub);
            }
            if (lap) free(sub.ev);
            if (any && !lap) break;
        }
        if (c->fatal) goto done;
        if (!any) {
            fail(c, "anyOf", inst, "value matches none of the %zu anyOf schemas", k->n);
            BAIL();
        }
    }
    if ((k = kws[K_oneOf]) && k->type == SL_NODE_SEQ) {
        size_t n = 0;
        for (size_t i = 0; i < k->n; i++) {
            struct ann sub;
            if (lap) ann_init(&sub, inst);
            if (ev_quiet(c, k->items[i], inst, lap ? &sub : NULL)) {
                n++;
                ann_merge(lap, &sub);
            }
            if (lap) free(sub.ev);
            if (n > 1) break;
        }
        if (c->fatal) goto done;
        if (n != 1) {
            fail(c, "oneOf", inst, "value matches %s of the oneOf schemas",
                 n ? "more than one" : "none");
            BAIL();
        }
    }
    if ((k = kws[K_not])) {
        int m = ev_quiet(c, k, inst, NULL);
        if (c->fatal) goto done;
        if (m) {
            fail(c, "not", inst, "value matches the schema under not");
            BAIL();
        }
    }
    if ((k = kws[K_if])) {
        struct ann sub;
        if (lap) ann_init(&sub, inst);
        int m = ev_quiet(c, k, inst, lap ? &sub : NULL);
        if (c->fatal) goto done;
        if (m) ann_merge(lap, &sub);
        if (lap) free(sub.ev);
        const struct sl_node *branch = sl_node_get(s, m ? "then" : "else");
        if (branch && !ev(c, branch, inst, lap)) {
            fail(c, m ? "then" : "else", inst, "value fails the %s schema (if %s)",
                 m ? "then" : "else", m ? "matched" : "did not match");
            BAIL();
        }
    }

    /* last: what the others did not evaluate */
    if (uneval && t == SL_JSON_OBJECT && (k = kws[K_unevaluatedProperties])) {
        for (size_t i = 0; i < inst->n; i++) {
            if (la.ev[i]) continue;
            if (!ev_member_kw(c, k, inst->items[i], inst->keys[i], 0, "unevaluatedProperties"))
                BAIL();
            la.ev[i] = 1;
        }
    }
    if (uneval && t == SL_JSON_ARRAY && (k = kws[K_unevaluatedItems])) {
        for (size_t i = 0; i < inst->n; i++) {
            if (la.ev[i]) continue;
            if (!ev_member_kw(c, k, inst->items[i], NULL, i, "unevaluatedItems")) BAIL();
            la.ev[i] = 1;
        }
    }
done:
    if (c->fatal) ok = 0;
    if (ok && out) ann_merge(out, &la);
    free(la.ev);
    if (pushed) c->nscope--;
    c->depth--;
    return ok;
}

static int ev_object(struct ctx *c, const struct sl_node *const *kws, int draft,
                     const struct sl_node *inst, struct ann *la, int keep_going)
{
    const struct sl_node *k, *props = kws[K_properties], *pprops = kws[K_patternProperties],
                             *addl = kws[K_additionalProperties];
    unsigned long long lim;
    int ok = 1;

    if (size_kw(kws[K_minProperties], &lim) && inst->n < lim) {
        fail(c, "minProperties", inst, "object has %zu properties, fewer than %llu", inst->n, lim);
        BAIL();
    }
    if (size_kw(kws[K_maxProperties], &lim) && inst->n > lim) {
        fail(c, "maxProperties", inst, "object has %zu properties, more than %llu", inst->n, lim);
        BAIL();
    }
    if ((k = kws[K_required]) && k->type == SL_NODE_SEQ) {
        for (size_t i = 0; i < k->n; i++) {
            if (!str_of(k->items[i]) || sl_node_get(inst, k->items[i]->text)) continue;
            fail(c, "required", inst, "required property '%s' is missing", k->items[i]->text);
            BAIL();
        }
    }
    for (size_t i = 0; i < inst->n; i++) {
        const struct sl_node *key = inst->keys[i], *v = inst->items[i], *ps;
        int matched = 0;
        if (props && props->type == SL_NODE_MAP && (ps = sl_node_get(props, key->text))) {
            matched = 1;
            if (!ev_member(c, ps, v, key, 0)) BAIL();
        }
        if (pprops && pprops->type == SL_NODE_MAP) {
            for (size_t j = 0; j < pprops->n; j++) {
                int m = regex_search(c, pprops->keys[j], key->text, key->len);
                if (m < 0) goto done;
                if (!m) continue;
                matched = 1;
                if (!ev_member(c, pprops->items[j], v, key, 0)) BAIL();
            }
        }
        if (!matched && addl) {
            matched = 1;
            if (!ev_member_kw(c, addl, v, key, 0, "additionalProperties")) BAIL();
        }
        if (matched && la) la->ev[i] = 1;
    }
    if ((k = kws[K_propertyNames])) {
        for (size_t i = 0; i < inst->n; i++) {
            struct sl_node name = *inst->keys[i];
            name.json_type = SL_JSON_STRING;
            name.type = SL_NODE_SCALAR;
            if (!ev_member(c, k, &name, inst->keys[i], 0)) {
                fail(c, "propertyNames", inst, "property name '%s' is not allowed",
                     inst->keys[i]->text);
                BAIL();
            }
        }
    }
    const struct sl_node *dreq = kws[K_dependentRequired], *dsch = kws[K_dependentSchemas],
                         *deps = kws[K_dependencies];
    if (draft != SL_JS_DRAFT2020) dreq = dsch = NULL; /* 2020-12 still honours "dependencies" */
    for (int pass = 0; pass < 3; pass++) {
        const struct sl_node *m = pass == 0 ? dreq : pass == 1 ? dsch : deps;
        if (!m || m->type != SL_NODE_MAP) continue;
        for (size_t i = 0; i < m->n; i++) {
            const struct sl_node *d = m->items[i];
            if (!sl_node_get(inst, m->keys[i]->text)) continue;
            if (d->type == SL_NODE_SEQ) {
                for (size_t j = 0; j < d->n; j++) {
                    if (!str_of(d->items[j]) || sl_node_get(inst, d->items[j]->text)) continue;
                    fail(c, pass == 0 ? "dependentRequired" : "dependencies", inst,
                         "property '%s' requires property '%s'", m->keys[i]->text,
                         d->items[j]->text);
                    BAIL();
                }
            } else if (!ev(c, d, inst, la)) {
                BAIL();
            }
        }
    }
done:
    (void)key_equals;
    return ok;
}

static int ev_array(struct ctx *c, const struct sl_node *const *kws, int draft,
                    const struct sl_node *inst, struct ann *la, int keep_going)
{
    const struct sl_node *k, *items = kws[K_items], *prefix = NULL, *rest = NULL;
    unsigned long long lim;
    int ok = 1;

    if (size_kw(kws[K_minItems], &lim) && inst->n < lim) {
        fail(c, "minItems", inst, "array has %zu items, fewer than %llu", inst->n, lim);
        BAIL();
    }
    if (size_kw(kws[K_maxItems], &lim) && inst->n > lim) {
        fail(c, "maxItems", inst, "array has %zu items, more than %llu", inst->n, lim);
        BAIL();
    }
    if ((k = kws[K_uniqueItems]) && k->json_type == SL_JSON_TRUE) {
        for (size_t i = 0; i < inst->n; i++)
            for (size_t j = i + 1; j < inst->n; j++)
                if (json_equal(inst->items[i], inst->items[j])) {
                    fail(c, "uniqueItems", inst, "items %zu and %zu are equal", i, j);
                    BAIL();
                    i = j = inst->n;
                }
    }
    if (draft == SL_JS_DRAFT2020) {
        prefix = kws[K_prefixItems];
        rest = items;
    } else if (items && items->type == SL_NODE_SEQ) {
        prefix = items;
        rest = kws[K_additionalItems];
    } else {
        rest = items;
    }
    size_t np = prefix && prefix->type == SL_NODE_SEQ ? prefix->n : 0;
    for (size_t i = 0; i < inst->n; i++) {
        const struct sl_node *is = i < np ? prefix->items[i] : rest;
        if (!is) continue;
        const char *kw = i < np ? (draft == SL_JS_DRAFT7 ? "items" : "prefixItems")
                         : draft == SL_JS_DRAFT7 && np ? "additionalItems"
                                                       : "items";
        if (!ev_member_kw(c, is, inst->items[i], NULL, i, kw)) BAIL();
        if (la) la->ev[i] = 1;
    }
    if ((k = kws[K_contains])) {
        size_t n = 0;
        unsigned long long mn = 1, mx = ULLONG_MAX;
        if (draft == SL_JS_DRAFT2020) {
            size_kw(kws[K_minContains], &mn);
            size_kw(kws[K_maxContains], &mx);
        }
        for (size_t i = 0; i < inst->n; i++) {
            c->quiet++;
            int m = ev_member(c, k, inst->items[i], NULL, i);
            c->quiet--;
            if (c->fatal) goto done;
            if (m) {
                n++;
                if (la) la->ev[i] = 1;
            }
        }
        if (n < mn) {
            fail(c, n ? "minContains" : "contains", inst,
                 "array has %zu items matching contains, fewer than %llu", n, mn);
            BAIL();
        }
        if (n > mx) {
            fail(c, "maxContains", inst, "array has %zu items matching contains, more than %llu", n,
                 mx);
            BAIL();
        }
    }
done:
    return ok;
}

int sl_jsonschema_validate(struct sl_jsonschema *js, const struct sl_node *instance,
                           sl_js_error_fn on_error, void *ctx, struct sl_error *err)
{
    struct ctx *c = js->ctx; /* kept between instances: it is big (paths and scopes) */
    int ok;

    if (!c) c = js->ctx = sl_xmalloc(sizeof *c);
    c->js = js;
    c->on_error = on_error;
    c->on_error_ctx = ctx;
    c->quiet = c->depth = c->nerrors = c->npath = c->nscope = 0;
    c->fatal = NULL;
    ok = ev(c, js->root, instance, NULL);
    if (c->fatal) {
        sl_error_set(err, SL_ECONFIG, "JSON Schema: %s", c->fatal);
        ok = -1;
    }
    return ok;
}

int sl_jsonschema_detect(const struct sl_node *root)
{
    /* A Table Schema always has "fields"; anything else that is a schema is a JSON Schema. */
    if (!root) return 0;
    if (is_bool_node(root)) return 1;
    if (root->type != SL_NODE_MAP) return 0;
    if (sl_node_get(root, "$schema")) return 1;
    return sl_node_get(root, "fields") == NULL;
}

/* ---- sluice's reference policy: built-in metaschemas, local files, no network ---------------- */

/* SLUICE_SCHEMA_MAP="PREFIX=DIR ...": references under PREFIX are read from DIR (an offline
 * mirror of a schema registry). */
static int retrieve_mapped(const char *uri, struct sl_doc *out, struct sl_error *err)
{
    const char *map = getenv("SLUICE_SCHEMA_MAP");
    char *copy, *save = NULL;
    int rc = 1;

    if (!map || !*map) return 1;
    copy = sl_xstrdup(map);
    for (char *e = strtok_r(copy, " \t\n", &save); e; e = strtok_r(NULL, " \t\n", &save)) {
        char *eq = strchr(e, '=');
        if (!eq || eq == e) continue;
        *eq = 0;
        if (strncmp(uri, e, strlen(e))) continue;
        char *path = sl_xasprintf("%s%s", eq + 1, uri + strlen(e));
        rc = sl_doc_load(out, path, err) ? -1 : 0;
        free(path);
        break;
    }
    free(copy);
    return rc;
}

/* The directory of the root schema's $id and the directory of its file: a schema published at
 * https://example.com/s/order.json finds https://example.com/s/address.json next to it. */
struct file_ctx {
    char *id_dir, *file_dir;
};

static int retrieve_file(void *ctx, const char *uri, struct sl_doc *out, struct sl_error *err)
{
    struct file_ctx *fc = ctx;
    struct sl_buf path = SL_BUF_INIT;
    int rc;
    if ((rc = retrieve_mapped(uri, out, err)) <= 0) return rc;
    if (fc && fc->id_dir && !strncmp(uri, fc->id_dir, strlen(fc->id_dir)) &&
        !strstr(uri + strlen(fc->id_dir), "..")) {
        char *p = sl_xasprintf("%s%s", fc->file_dir, uri + strlen(fc->id_dir));
        rc = sl_doc_load(out, p, err);
        free(p);
        return rc ? -1 : 0;
    }
    if (!strncmp(uri, "http://", 7) || !strncmp(uri, "https://", 8))
        return sl_error_set(err, SL_ECONFIG,
                            "sluice does not fetch schemas over the network (save it as a file "
                            "next to the schema and refer to it by a relative path, or map its "
                            "URL to a directory with SLUICE_SCHEMA_MAP)");
    if (strncmp(uri, "file://", 7)) return 1;
    sl__js_pct_decode(uri + 7, &path);
    rc = sl_doc_load(out, sl_buf_str(&path), err);
    sl_buf_free(&path);
    return rc ? -1 : 0;
}

/* Resolves every $ref and $dynamicRef of the schema and of what they bring in, so that a
 * reference that cannot be resolved fails before any data is read. */
static int resolve_all(struct sl_jsonschema *js, const char *path, struct sl_error *err)
{
    struct hmap done = {0};
    int rc = 0, more = 1;

    while (more && !rc) {
        const struct sl_node **todo = NULL;
        size_t n = 0;
        more = 0;
        for (size_t i = 0; i < js->info.cap; i++) {
            const struct sl_node *s = js->info.v[i].key;
            if (!s || s->type != SL_NODE_MAP || hmap_get(&done, s)) continue;
            todo = sl_xrealloc(todo, (n + 1) * sizeof *todo);
            todo[n++] = s;
        }
        for (size_t i = 0; i < n && !rc; i++) {
            struct js_info *in = hmap_get(&js->info, todo[i]);
            hmap_put(&done, todo[i], (void *)1);
            more = 1;
            for (int k = 0; k < 2 && !rc; k++) {
                const char *kw = k ? "$dynamicRef" : "$ref";
                const char *ref = str_of(sl_node_get(todo[i], kw));
                const struct sl_node *t = NULL;
                if (!ref || (k && in->draft != SL_JS_DRAFT2020)) continue;
                const char *why = resolve_ref(js, in->base, in->draft, ref, &t);
                if (!t)
                    rc = sl_error_set(err, SL_ECONFIG, "%s:%d: %s %s cannot be resolved: %s", path,
                                      todo[i]->line, kw, ref, why);
                else if (!k)
                    in->ref_target = t;
            }
        }
        free(todo);
    }
    hmap_free(&done, NULL);
    return rc;
}

/* A YAML schema's scalars carry no JSON type: give them the one YAML's core schema implies
 * (quoted: a string; true/false, null/~, numbers; anything else a string). */
static void yaml_as_json(struct sl_node *n)
{
    if (!n) return;
    if (n->type == SL_NODE_MAP || n->type == SL_NODE_SEQ) {
        n->json_type = n->type == SL_NODE_MAP ? SL_JSON_OBJECT : SL_JSON_ARRAY;
        for (size_t i = 0; i < n->n; i++) {
            yaml_as_json(n->items[i]);
            if (n->keys && n->keys[i]) n->keys[i]->json_type = SL_JSON_STRING;
        }
        return;
    }
    if (n->json_type >= 0) return;
    const char *t = n->text ? n->text : "";
    struct sl__js_dec d;
    if (n->type == SL_NODE_NULL) {
        n->json_type = SL_JSON_NULL;
    } else if (n->quoted) {
        n->json_type = SL_JSON_STRING;
    } else if (!strcmp(t, "true") || !strcmp(t, "false")) {
        n->json_type = t[0] == 't' ? SL_JSON_TRUE : SL_JSON_FALSE;
    } else if (!strcmp(t, "null") || !strcmp(t, "~") || !*t) {
        n->type = SL_NODE_NULL;
        n->json_type = SL_JSON_NULL;
    } else {
        struct sl_json_tok tok;
        struct sl_json_err e;
        n->json_type = SL_JSON_STRING;
        if (sl_json_scan(t, n->len, 1, &tok, &e) == (long)n->len && tok.type == SL_JSON_NUMBER &&
            !sl__js_dec_parse(t, &d))
            n->json_type = SL_JSON_NUMBER;
        if (n->json_type == SL_JSON_NUMBER) sl__js_dec_free(&d);
    }
}

int sl_jsonschema_load(const char *path, struct sl_doc *doc_out, struct sl_jsonschema **out,
                       struct sl_error *err)
{
    struct sl_js_options o = {SL_JS_DRAFT2020, 1, retrieve_file, NULL};
    struct sl_buf uri = SL_BUF_INIT;
    const char *formats = getenv("SLUICE_SCHEMA_FORMATS");
    char *abs = NULL;
    int rc;

    if (formats && !strcmp(formats, "annotate")) o.format_assert = 0;

    *out = NULL;
    if ((rc = sl_doc_load(doc_out, path, err))) return rc;
    if (doc_out->root && doc_out->root->json_type < 0) yaml_as_json(doc_out->root);
    abs = realpath(path, NULL);
    sl_buf_adds(&uri, "file://");
    for (const char *p = abs ? abs : path; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (isalnum(ch) || strchr("/-._~", ch))
            sl_buf_addc(&uri, (char)ch);
        else
            sl_buf_addf(&uri, "%%%02X", ch);
    }
    free(abs);
    /* relative references under the root's own http(s) $id are files next to the schema */
    const char *id = doc_out->root && doc_out->root->type == SL_NODE_MAP
                         ? str_of(sl_node_get(doc_out->root, "$id"))
                         : NULL;
    const char *file = sl_buf_str(&uri) + 7, *slash = strrchr(file, '/');
    struct file_ctx *fc = sl_arena_zalloc(&doc_out->arena, sizeof *fc);
    if (id && (!strncmp(id, "http://", 7) || !strncmp(id, "https://", 8)) && strrchr(id, '/') &&
        slash) {
        struct sl_buf dir = SL_BUF_INIT;
        fc->id_dir = sl_arena_strndup(&doc_out->arena, id, (size_t)(strrchr(id, '/') - id) + 1);
        sl__js_pct_decode(sl_arena_strndup(&doc_out->arena, file, (size_t)(slash - file) + 1),
                          &dir);
        fc->file_dir = sl_arena_strndup(&doc_out->arena, sl_buf_str(&dir), dir.len);
        sl_buf_free(&dir);
    }
    o.retrieve_ctx = fc;
    rc = sl_jsonschema_new(doc_out->root, sl_buf_str(&uri), &o, out, err);
    sl_buf_free(&uri);
    if (!rc && (rc = resolve_all(*out, path, err))) {
        sl_jsonschema_free(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- the silver table of a JSON Schema ------------------------------------------------------ */

static int table_type(const struct sl_node *prop)
{
    const struct sl_node *t = prop && prop->type == SL_NODE_MAP ? sl_node_get(prop, "type") : NULL;
    const char *name = sl_node_str(t); /* JSON or YAML */
    if (t && t->type == SL_NODE_SEQ) { /* ["string", "null"]: a nullable string */
        for (size_t i = 0; i < t->n; i++) {
            const char *n = sl_node_str(t->items[i]);
            if (!n || !strcmp(n, "null")) continue;
            if (name) return SL_TYPE_ANY;
            name = n;
        }
    }
    if (!name) return SL_TYPE_ANY;
    if (!strcmp(name, "integer")) return SL_TYPE_INTEGER;
    if (!strcmp(name, "number")) return SL_TYPE_NUMBER;
    if (!strcmp(name, "string")) return SL_TYPE_STRING;
    if (!strcmp(name, "boolean")) return SL_TYPE_BOOLEAN;
    if (!strcmp(name, "object")) return SL_TYPE_OBJECT;
    if (!strcmp(name, "array")) return SL_TYPE_ARRAY;
    return SL_TYPE_ANY;
}

struct sl_schema *sl_jsonschema_table(const struct sl_node *root)
{
    struct sl_schema *s = sl_schema_new();
    const struct sl_node *props =
        root && root->type == SL_NODE_MAP ? sl_node_get(root, "properties") : NULL;
    if (!props || props->type != SL_NODE_MAP || !props->n) return s;
    const char **labels = sl_xmalloc(props->n * sizeof *labels);
    for (size_t i = 0; i < props->n; i++) labels[i] = props->keys[i]->text;
    char **names = sl_names_normalize(labels, NULL, props->n, NULL);
    for (size_t i = 0; i < props->n; i++)
        sl_schema_add(s, names[i], labels[i], table_type(props->items[i]));
    sl_names_free(names, props->n);
    free(labels);
    return s;
}
