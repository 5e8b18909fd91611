/*
 * YAML documents into sl_node trees, with libyaml's event parser. Every node and string lives
 * in the document's arena. Aliases share the anchored node (no copy); merge keys (<<: *base)
 * are expanded into the mapping, its own keys winning.
 *
 * Aliases are bounded all the same ("billion laughs"): whoever walks the tree (interpolation,
 * transforms, schemas) meets each shared node once per alias, so the tree as expanded may hold
 * at most SL_YAML_MAX_ALIAS_NODES nodes more than the file's own, and nest no deeper than
 * SL_JSON_MAX_DEPTH levels. Every node's expanded size and depth are counted as it is built.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "sluice/json.h"

/* Nodes that aliases may add to the document as expanded (docs/robustness.md). */
#define SL_YAML_MAX_ALIAS_NODES 1000000

/* A container being built: its children grow in malloc'ed arrays, copied into the arena when
 * the container ends. */
struct frame {
    struct sl_node *node;
    const char *anchor;
    struct sl_node **items, **keys;
    size_t n, cap;
    struct sl_node *key;     /* MAP: the key waiting for its value */
    struct sl_node **merges; /* MAP: values of << keys, in order */
    size_t nmerges;
    size_t weight, height; /* the children as expanded: nodes (+1), levels of containers */
};

struct anchor {
    const char *name;
    struct sl_node *node;
    size_t weight, height; /* the node as expanded: nodes, levels of containers */
    struct anchor *next;
};

struct ydoc {
    struct sl_doc *d;
    const char *text;
    size_t len;
    struct frame stack[SL_JSON_MAX_DEPTH];
    size_t depth;
    struct anchor *anchors;
    struct sl_node *root;
    int have_root;
    size_t alias_nodes; /* nodes the aliases added, as expanded */
    struct sl_error *err;
};

static int yfail(struct ydoc *y, int line, int col, const char *fmt, const char *arg)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, arg);
    return sl_error_set(y->err, SL_ECONFIG, "%s:%d:%d: %s", y->d->path, line, col, msg);
}

static struct sl_node *new_node(struct ydoc *y, int type, const yaml_mark_t *m)
{
    struct sl_node *n = sl_arena_zalloc(&y->d->arena, sizeof *n);
    n->type = type;
    n->line = (int)m->line + 1;
    n->col = (int)m->column + 1;
    n->json_type = -1;
    return n;
}

static void remember_anchor(struct ydoc *y, const char *name, struct sl_node *n, size_t weight,
                            size_t height)
{
    struct anchor *a;
    if (!name) return;
    a = sl_arena_alloc(&y->d->arena, sizeof *a);
    a->name = name;
    a->node = n;
    a->weight = weight;
    a->height = height;
    a->next = y->anchors; /* a redefined anchor shadows the older one */
    y->anchors = a;
}

static const char *arena_str(struct ydoc *y, const yaml_char_t *s)
{
    return s ? sl_arena_strndup(&y->d->arena, (const char *)s, strlen((const char *)s)) : NULL;
}

static void frame_push_child(struct frame *f, struct sl_node *key, struct sl_node *val)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? 2 * f->cap : 8;
        f->items = sl_xrealloc(f->items, f->cap * sizeof *f->items);
        if (f->node->type == SL_NODE_MAP) f->keys = sl_xrealloc(f->keys, f->cap * sizeof *f->keys);
    }
    if (f->node->type == SL_NODE_MAP) f->keys[f->n] = key;
    f->items[f->n++] = val;
}

static int key_eq(const struct sl_node *a, const struct sl_node *b)
{
    return a->len == b->len && !memcmp(a->text, b->text, a->len);
}

static int is_merge_key(const struct sl_node *k)
{
    return k->type == SL_NODE_SCALAR && !k->quoted && k->len == 2 && !memcmp(k->text, "<<", 2);
}

/* A finished node goes to its parent (or becomes the root); weight and height: the node as
 * expanded, its nodes and its levels of containers (1 and 0 for a scalar). */
static int add_node(struct ydoc *y, struct sl_node *n, size_t weight, size_t height)
{
    struct frame *f;

    if (!y->depth) {
        y->root = n;
        y->have_root = 1;
        return 0;
    }
    f = &y->stack[y->depth - 1];
    f->weight += weight; /* bounded: SL_YAML_MAX_ALIAS_NODES plus the file's own nodes */
    if (height > f->height) f->height = height;
    if (f->node->type == SL_NODE_SEQ) {
        frame_push_child(f, NULL, n);
        return 0;
    }
    if (!f->key) {
        if (n->type != SL_NODE_SCALAR && n->type != SL_NODE_NULL)
            return yfail(y, n->line, n->col, "%s", "a mapping key must be a scalar");
        if (!is_merge_key(n)) {
            for (size_t i = 0; i < f->n; i++) {
                if (key_eq(f->keys[i], n)) {
                    char msg[400];
                    snprintf(msg, sizeof msg, "duplicate key '%.200s' (first at line %d)", n->text,
                             f->keys[i]->line);
                    return yfail(y, n->line, n->col, "%s", msg);
                }
            }
        }
        f->key = n;
        return 0;
    }
    if (is_merge_key(f->key)) {
        size_t count = n->type == SL_NODE_SEQ ? n->n : 1;
        for (size_t i = 0; i < count; i++) {
            struct sl_node *m = n->type == SL_NODE_SEQ ? n->items[i] : n;
            if (m->type != SL_NODE_MAP)
                return yfail(y, m->line, m->col, "%s",
                             "a merge key (<<) needs a mapping or a list of mappings");
            f->merges = sl_xrealloc(f->merges, (f->nmerges + 1) * sizeof *f->merges);
            f->merges[f->nmerges++] = m;
        }
    } else {
        frame_push_child(f, f->key, n);
    }
    f->key = NULL;
    return 0;
}

static int push_frame(struct ydoc *y, int type, const yaml_event_t *ev, const yaml_char_t *anchor)
{
    struct frame *f;

    if (y->depth == SL_JSON_MAX_DEPTH)
        return yfail(y, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1, "%s",
                     "nested too deeply");
    f = &y->stack[y->depth++];
    memset(f, 0, sizeof *f);
    f->weight = 1;
    f->node = new_node(y, type, &ev->start_mark);
    f->anchor = arena_str(y, anchor);
    return 0;
}

static void frame_free(struct frame *f)
{
    free(f->items);
    free(f->keys);
    free(f->merges);
    f->items = f->keys = f->merges = NULL;
}

static int pop_frame(struct ydoc *y)
{
    struct frame *f = &y->stack[y->depth - 1];
    struct sl_node *n = f->node;

    /* Merged keys come after the mapping's own and never replace them; among the merged
     * mappings, the first one listed wins. */
    for (size_t m = 0; m < f->nmerges; m++) {
        const struct sl_node *src = f->merges[m];
        for (size_t i = 0; i < src->n; i++) {
            size_t j = 0;
            while (j < f->n && !key_eq(f->keys[j], src->keys[i])) j++;
            if (j == f->n) frame_push_child(f, src->keys[i], src->items[i]);
        }
    }
    n->n = f->n;
    if (f->n) {
        n->items = sl_arena_alloc(&y->d->arena, f->n * sizeof *n->items);
        memcpy(n->items, f->items, f->n * sizeof *n->items);
        if (n->type == SL_NODE_MAP) {
            n->keys = sl_arena_alloc(&y->d->arena, f->n * sizeof *n->keys);
            memcpy(n->keys, f->keys, f->n * sizeof *n->keys);
        }
    }
    size_t weight = f->weight, height = f->height + 1;
    remember_anchor(y, f->anchor, n, weight, height);
    frame_free(f);
    y->depth--;
    return add_node(y, n, weight, height);
}

static int on_scalar(struct ydoc *y, const yaml_event_t *ev)
{
    const char *text = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    yaml_scalar_style_t style = ev->data.scalar.style;
    const char *tag = (const char *)ev->data.scalar.tag;
    int is_str_tag = tag && !strcmp(tag, YAML_STR_TAG);
    int plain = style == YAML_PLAIN_SCALAR_STYLE || style == YAML_ANY_SCALAR_STYLE;
    struct sl_node *n;
    int type = SL_NODE_SCALAR;

    if (plain && !is_str_tag &&
        (len == 0 || (len == 1 && text[0] == '~') ||
         (len == 4 &&
          (!memcmp(text, "null", 4) || !memcmp(text, "Null", 4) || !memcmp(text, "NULL", 4)))))
        type = SL_NODE_NULL;
    n = new_node(y, type, &ev->start_mark);
    n->text = sl_arena_strndup(&y->d->arena, text, len);
    n->len = len;
    /* Block scalars (| and >) and !!str are strings in YAML's core schema too, never a
     * boolean or a number. */
    n->quoted = !plain || is_str_tag;
    remember_anchor(y, arena_str(y, ev->data.scalar.anchor), n, 1, 0);
    return add_node(y, n, 1, 0);
}

static int on_alias(struct ydoc *y, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    int line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;
    char msg[400];

    for (struct anchor *a = y->anchors; a; a = a->next) {
        if (strcmp(a->name, name)) continue;
        if (a->weight > SL_YAML_MAX_ALIAS_NODES - y->alias_nodes) {
            snprintf(msg, sizeof msg,
                     "aliases expand to more than %d nodes at '*%.200s' (a YAML alias bomb?); "
                     "sluice reads at most that many nodes added by aliases",
                     SL_YAML_MAX_ALIAS_NODES, name);
            return yfail(y, line, col, "%s", msg);
        }
        if (y->depth + a->height > SL_JSON_MAX_DEPTH) {
            snprintf(msg, sizeof msg,
                     "alias '*%.200s' nests the document deeper than %d levels (a YAML alias "
                     "bomb?)",
                     name, SL_JSON_MAX_DEPTH);
            return yfail(y, line, col, "%s", msg);
        }
        y->alias_nodes += a->weight;
        return add_node(y, a->node, a->weight, a->height);
    }
    return yfail(y, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
                 "unknown alias '*%.200s' (an anchor must be defined before it is used)", name);
}

static int parser_error(struct ydoc *y, const yaml_parser_t *p)
{
    size_t line = p->problem_mark.line, col = p->problem_mark.column;
    char msg[512];

    if (p->error == YAML_READER_ERROR) {
        /* The reader reports a byte offset, not a position. */
        line = col = 0;
        for (size_t i = 0; i < p->problem_offset && i < y->len; i++) {
            if (y->text[i] == '\n')
                line++, col = 0;
            else
                col++;
        }
    }
    if (p->context && p->context_mark.line != p->problem_mark.line)
        snprintf(msg, sizeof msg, "%s %s (which started at line %zu)",
                 p->problem ? p->problem : "syntax error", p->context, p->context_mark.line + 1);
    else if (p->context)
        snprintf(msg, sizeof msg, "%s %s", p->problem ? p->problem : "syntax error", p->context);
    else
        snprintf(msg, sizeof msg, "%s", p->problem ? p->problem : "syntax error");
    return yfail(y, (int)line + 1, (int)col + 1, "%s", msg);
}

int sl_doc_parse_yaml(struct sl_doc *d, const char *path, const char *text, size_t len,
                      struct sl_error *err)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    struct ydoc *y;
    int rc = 0, ndocs = 0, done = 0;

    memset(d, 0, sizeof *d);
    sl_arena_init(&d->arena, 0);
    d->path = sl_arena_strndup(&d->arena, path, strlen(path));
    y = sl_xcalloc(1, sizeof *y);
    y->d = d;
    y->text = text;
    y->len = len;
    y->err = err;
    if (!yaml_parser_initialize(&parser)) {
        free(y);
        return sl_error_set(err, SL_ECONFIG, "%s: cannot start the YAML parser", path);
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    while (!done) {
        if (!yaml_parser_parse(&parser, &ev)) {
            rc = parser_error(y, &parser);
            goto out;
        }
        switch (ev.type) {
        case YAML_DOCUMENT_START_EVENT:
            if (ndocs++)
                rc = yfail(y, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1, "%s",
                           "more than one document (only one is read)");
            break;
        case YAML_SCALAR_EVENT: rc = on_scalar(y, &ev); break;
        case YAML_ALIAS_EVENT: rc = on_alias(y, &ev); break;
        case YAML_SEQUENCE_START_EVENT:
            rc = push_frame(y, SL_NODE_SEQ, &ev, ev.data.sequence_start.anchor);
            break;
        case YAML_MAPPING_START_EVENT:
            rc = push_frame(y, SL_NODE_MAP, &ev, ev.data.mapping_start.anchor);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: rc = pop_frame(y); break;
        case YAML_STREAM_END_EVENT: done = 1; break;
        default: break;
        }
        yaml_event_delete(&ev);
        if (rc < 0) goto out;
    }
    if (!y->have_root) {
        yaml_mark_t start = {0, 0, 0};
        y->root = new_node(y, SL_NODE_NULL, &start);
        y->root->text = "";
    }
    d->root = y->root;
out:
    while (y->depth) frame_free(&y->stack[--y->depth]);
    yaml_parser_delete(&parser);
    free(y);
    return rc;
}
