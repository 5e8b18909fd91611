/*
 * Whole-record validation with a JSON Schema: the source's schema file is a JSON Schema
 * (sl_jsonschema_detect), each record's JSON text is parsed and validated, and every failing
 * keyword becomes one "json-schema" error of the row (field = the instance location as a JSON
 * pointer, NULL for the whole record).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sluice/jsonschema.h"

struct sl__recval {
    struct sl_doc doc;
    struct sl_jsonschema *js;
};

static char *schema_path(const struct sl_source *src)
{
    const char *dir = src->base_dir, *p = src->schema_path;
    if (!dir || !*dir || p[0] == '/') return sl_xstrdup(p);
    return sl_xasprintf("%s/%s", dir, p);
}

int sl__jsonschema_table_load(const char *path, struct sl_schema **out, struct sl_error *err)
{
    struct sl_doc d;
    int rc = sl_doc_load(&d, path, err);
    if (!rc) {
        if (sl_jsonschema_detect(d.root)) {
            *out = sl_jsonschema_table(d.root);
            (*out)->path = sl_xstrdup(path);
        } else {
            rc = 1;
        }
    }
    sl_doc_free(&d);
    return rc;
}

int sl__source_recval(const struct sl_source *src, struct sl__recval **out, struct sl_error *err)
{
    struct sl__recval *rv;
    char *path;
    int rc;

    *out = NULL;
    if (!src->schema_path) return 0;
    path = schema_path(src);
    rv = sl_xcalloc(1, sizeof *rv);
    rc = sl_jsonschema_load(path, &rv->doc, &rv->js, err);
    if (!rc && !sl_jsonschema_detect(rv->doc.root)) { /* a Table Schema */
        sl__recval_free(rv);
        rv = NULL;
    } else if (rc) {
        sl__recval_free(rv);
        rv = NULL;
    }
    free(path);
    *out = rv;
    return rc;
}

int sl__recval_check_input(const struct sl__recval *rv, const struct sl__input *in,
                           struct sl_error *err)
{
    if (!rv || sl__input_is_json(in)) return 0;
    return sl_error_set(err, SL_ECONFIG,
                        "%s: a JSON Schema validates JSON records (NDJSON or JSON), and this input "
                        "is %s; use a Table Schema for it",
                        in->label, in->format->name);
}

void sl__recval_prepare(const struct sl_schema *s, const struct sl_mapping *m, struct sl_batch *b)
{
    struct sl_buf t = SL_BUF_INIT;
    for (size_t r = 0; r < b->nrows; r++) {
        struct sl_row *row = &b->rows[r];
        for (uint32_t k = 0; k < row->ncells; k++) {
            struct sl_cell *c = &row->cells[k];
            if (c->kind != SL_CELL_NUMBER || c->col >= m->n || m->field[c->col] < 0) continue;
            if (s->fields[m->field[c->col]].type != SL_TYPE_INTEGER) continue;
            if (!memchr(c->p, '.', c->len) && !memchr(c->p, 'e', c->len) &&
                !memchr(c->p, 'E', c->len))
                continue;
            sl_buf_reset(&t);
            if (!sl_jsonschema_integer_text(c->p, c->len, &t)) continue;
            c->p = sl_arena_strndup(&b->arena, t.p, t.len);
            c->len = (uint32_t)t.len;
        }
    }
    sl_buf_free(&t);
}

void sl__recval_free(struct sl__recval *rv)
{
    if (!rv) return;
    sl_jsonschema_free(rv->js);
    sl_doc_free(&rv->doc);
    free(rv);
}

/* A value as compact JSON text (strings: their text, as other errors give values). */
static void node_text(const struct sl_node *n, int top, struct sl_buf *b)
{
    if (!n || n->type == SL_NODE_NULL) {
        sl_buf_adds(b, "null");
    } else if (n->type == SL_NODE_SCALAR) {
        if (n->json_type == SL_JSON_STRING && !top)
            sl_buf_json_str(b, n->text, n->len);
        else
            sl_buf_add(b, n->text, n->len);
    } else {
        int map = n->type == SL_NODE_MAP;
        sl_buf_addc(b, map ? '{' : '[');
        for (size_t i = 0; i < n->n && b->len < 1100; i++) {
            if (i) sl_buf_addc(b, ',');
            if (map) sl_buf_json_str(b, n->keys[i]->text, n->keys[i]->len), sl_buf_addc(b, ':');
            node_text(n->items[i], 0, b);
        }
        sl_buf_addc(b, map ? '}' : ']');
    }
}

struct row_ctx {
    struct sl_batch *b;
    struct sl_row *row;
    int errors;
};

static void on_error(void *ctx, const struct sl_js_error *e)
{
    struct row_ctx *rc = ctx;
    struct sl_buf v = SL_BUF_INIT;
    rc->errors++;
    const char *field =
        *e->location ? sl_arena_strndup(&rc->b->arena, e->location, strlen(e->location)) : NULL;
    node_text(e->value, 1, &v);
    /* the message names where, as the Table Schema's name their field */
    struct sl_issue *is =
        sl_row_issue(rc->b, rc->row, SL_ROW_INVALID, "json-schema", field, v.p ? v.p : "", v.len,
                     "%s%s%s", field ? field : "", field ? ": " : "", e->message);
    if (is != &rc->b->unkept)
        is->keyword = sl_arena_strndup(&rc->b->arena, e->keyword, strlen(e->keyword));
    sl_buf_free(&v);
}

/* The cast's type-errors of a row JSON Schema rejected say again, less precisely, what a
 * json-schema error says (the silver column types come from the schema's "type"s). */
static void drop_type_errors(struct sl_row *row)
{
    struct sl_issue **pp = &row->issues, *last = NULL;
    while (*pp) {
        if (!strcmp((*pp)->code, "type-error")) {
            *pp = (*pp)->next;
            row->nissues--;
            continue;
        }
        last = *pp;
        pp = &(*pp)->next;
    }
    row->issues_tail = last;
}

int sl__recval_batch(struct sl__recval *rv, struct sl_batch *b, struct sl_error *err)
{
    for (size_t r = 0; r < b->nrows; r++) {
        struct sl_row *row = &b->rows[r];
        struct sl_doc d;
        struct sl_error perr = {0, ""};
        if (row->raw_kind != SL_RAW_JSON || !row->raw) continue; /* unreadable: already invalid */
        if (sl_doc_parse_json(&d, "record", row->raw, row->raw_len, &perr)) {
            sl_doc_free(&d);
            continue; /* the reader accepted it, so this does not happen */
        }
        struct row_ctx ctx = {b, row, 0};
        int ok = sl_jsonschema_validate(rv->js, d.root, on_error, &ctx, err);
        sl_doc_free(&d);
        if (ctx.errors) drop_type_errors(row);
        if (ok == 0 && !ctx.errors) /* every failure was listed, but be sure the row says so */
            sl_row_issue(b, row, SL_ROW_INVALID, "json-schema", NULL, NULL, 0,
                         "the record does not match the JSON Schema");
        if (ok < 0) {
            sl_error_prefix(err, "record %lld", (long long)row->num);
            return SL_ECONFIG;
        }
    }
    return 0;
}
