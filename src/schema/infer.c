/*
 * Type inference over a whole input: per column, the narrowest type that holds every value.
 * Not a sample: one odd value in row 2,999,999 widens its column instead of being lost.
 */
#include <stdlib.h>
#include <string.h>

#include "value.h"
#include "sluice/schema.h"

struct sl_infer {
    int *types;
    size_t n, cap;
    int json;
};

struct sl_infer *sl_infer_new(int from_json)
{
    struct sl_infer *inf = sl_xcalloc(1, sizeof *inf);
    inf->json = from_json;
    return inf;
}

void sl_infer_free(struct sl_infer *inf)
{
    if (!inf) return;
    free(inf->types);
    free(inf);
}

int sl_type_merge(int a, int b)
{
    if (a == b) return a;
    if (a == SL_TYPE_NULL) return b;
    if (b == SL_TYPE_NULL) return a;
    if (a > b) {
        int t = a;
        a = b;
        b = t;
    }
    /* now a < b in enum order */
    if (a == SL_TYPE_INTEGER && b == SL_TYPE_NUMBER) return SL_TYPE_NUMBER;
    if (a == SL_TYPE_INTEGER && b == SL_TYPE_YEAR) return SL_TYPE_INTEGER;
    if (a == SL_TYPE_DATE && b == SL_TYPE_DATETIME) return SL_TYPE_DATETIME;
    /* nested JSON mixed with anything else keeps every value as it is: any */
    if (b == SL_TYPE_OBJECT || b == SL_TYPE_ARRAY || b == SL_TYPE_ANY || a == SL_TYPE_OBJECT ||
        a == SL_TYPE_ARRAY)
        return SL_TYPE_ANY;
    return SL_TYPE_STRING;
}

static int classify_text(const char *p, size_t n, int json_string)
{
    int64_t i;
    double d;
    int b;

    if (n == 0) return SL_TYPE_NULL;
    if (!json_string) {
        unsigned char c = (unsigned char)p[0];
        if ((c >= '0' && c <= '9') || c == '-') {
            if (!sl__parse_int(p, n, 1, &i)) return SL_TYPE_INTEGER;
            if (!sl_parse_number(p, n, 1, &d)) return SL_TYPE_NUMBER;
        }
        if (!sl__parse_bool(p, n, 1, &b)) return SL_TYPE_BOOLEAN;
    }
    if (n == 10 && !sl__parse_date(p, n)) return SL_TYPE_DATE;
    if (n >= 16 && !sl__parse_datetime(p, n)) return SL_TYPE_DATETIME;
    if (n >= 8 && !sl__parse_time(p, n)) return SL_TYPE_TIME;
    return SL_TYPE_STRING;
}

static int classify(const struct sl_cell *c, int json)
{
    int64_t i;
    double d;

    switch (c->kind) {
    case SL_CELL_NULL: return SL_TYPE_NULL;
    case SL_CELL_TRUE:
    case SL_CELL_FALSE: return SL_TYPE_BOOLEAN;
    case SL_CELL_OBJECT: return SL_TYPE_OBJECT;
    case SL_CELL_ARRAY: return SL_TYPE_ARRAY;
    case SL_CELL_NUMBER:
        if (!sl__parse_int(c->p, c->len, 1, &i)) return SL_TYPE_INTEGER;
        if (!sl_parse_number(c->p, c->len, 1, &d)) return SL_TYPE_NUMBER;
        return SL_TYPE_STRING; /* 1e999, or more digits than a double keeps: text, exactly */
    default:
        if (json && c->len == 0) return SL_TYPE_STRING; /* "" in JSON is a value, not missing */
        return classify_text(c->p, c->len, json);
    }
}

int sl_infer_cell(const struct sl_cell *c)
{
    return classify(c, 0);
}

int sl_infer_cell_from(const struct sl_cell *c, int from_json)
{
    return classify(c, from_json);
}

void sl_infer_batch(struct sl_infer *inf, const struct sl_batch *b)
{
    for (size_t r = 0; r < b->nrows; r++) {
        const struct sl_row *row = &b->rows[r];
        if (row->status == SL_ROW_INVALID) continue; /* unparseable or ragged: no evidence */
        for (uint32_t k = 0; k < row->ncells; k++) {
            const struct sl_cell *c = &row->cells[k];
            if (c->col >= inf->n) {
                size_t n = c->col + 1;
                if (n > inf->cap) { /* doubling: a wide header is not n reallocations */
                    inf->cap = n > 2 * inf->cap ? n : 2 * inf->cap;
                    inf->types = sl_xrealloc(inf->types, inf->cap * sizeof *inf->types);
                }
                memset(inf->types + inf->n, 0, (n - inf->n) * sizeof *inf->types);
                inf->n = n;
            }
            int cur = inf->types[c->col];
            if (cur == SL_TYPE_ANY || (cur == SL_TYPE_STRING && c->kind == SL_CELL_STRING))
                continue;
            int t = classify(c, inf->json);
            if (t != cur) inf->types[c->col] = sl_type_merge(cur, t);
        }
    }
}

struct sl_schema *sl_infer_schema(const struct sl_infer *inf, const struct sl_labels *labels,
                                  struct sl_renames *renames)
{
    struct sl_schema *s = sl_schema_new();
    char **names =
        sl_names_normalize((const char *const *)labels->v, labels->lens, labels->n, renames);

    for (size_t i = 0; i < labels->n; i++) {
        int t = i < inf->n ? inf->types[i] : SL_TYPE_NULL;
        /* a column with no value at all: string is the type that takes anything later */
        sl_schema_add(s, names[i], labels->v[i], t == SL_TYPE_NULL ? SL_TYPE_STRING : t);
    }
    sl_names_free(names, labels->n);
    return s;
}
