/*
 * The schema step: input cells → typed values, by the Frictionless casting rules, with one
 * issue per problem. Values are views into the batch where possible (text needs no copy).
 */
#include <stdlib.h>
#include <string.h>

#include "schema/value.h"
#include "sluice/json.h"
#include "sluice/schema.h"

void sl_mapping_init(struct sl_mapping *m)
{
    memset(m, 0, sizeof *m);
}

void sl_mapping_free(struct sl_mapping *m)
{
    free(m->field);
    memset(m, 0, sizeof *m);
}

void sl_mapping_update(struct sl_mapping *m, const struct sl_schema *s,
                       const struct sl_labels *labels)
{
    if (labels->n == m->n && m->field) return;
    m->field = sl_xrealloc(m->field, (labels->n ? labels->n : 1) * sizeof *m->field);
    if (m->by_position) {
        for (size_t i = 0; i < labels->n; i++) m->field[i] = i < s->nfields ? (int32_t)i : -1;
    } else {
        /* Labels go through the same normalization as inference, so an inferred schema (and
         * one edited from `sluice infer`) maps back onto the input: "" → field_3, etc. */
        char **names = sl_names_normalize((const char *const *)labels->v, labels->n, NULL);
        for (size_t i = 0; i < labels->n; i++) m->field[i] = sl_schema_find(s, names[i]);
        sl_names_free(names, labels->n);
    }
    m->n = labels->n;
}

static int is_missing(const struct sl_schema *s, const struct sl_cell *c)
{
    if (c->kind == SL_CELL_NULL) return 1;
    if (c->kind != SL_CELL_STRING) return 0;
    for (size_t i = 0; i < s->nmissing; i++)
        if (strlen(s->missing[i]) == c->len && !memcmp(s->missing[i], c->p, c->len)) return 1;
    return 0;
}

static const char *kind_name(int kind)
{
    switch (kind) {
    case SL_CELL_NUMBER: return "a number";
    case SL_CELL_TRUE:
    case SL_CELL_FALSE: return "a boolean";
    case SL_CELL_OBJECT: return "an object";
    case SL_CELL_ARRAY: return "an array";
    case SL_CELL_NULL: return "null";
    }
    return "a string";
}

static void text(struct sl_value *v, const char *p, size_t n)
{
    v->type = SL_V_TEXT;
    v->u.s = p;
    v->len = (uint32_t)n;
}

int sl_cast_cell(const struct sl_field *f, const struct sl_cell *c, struct sl_arena *a,
                 struct sl_value *v, const char **why)
{
    const char *p = c->p;
    size_t n = c->len;
    int kind = c->kind, b;
    int64_t i;
    double d;
    struct sl_json_tok tok;
    struct sl_json_err je;

    (void)a;
    *why = NULL;
    switch (f->type) {
    case SL_TYPE_STRING:
        if (kind == SL_CELL_OBJECT || kind == SL_CELL_ARRAY) break;
        text(v, p, n); /* numbers and booleans of JSON as they were written */
        return 0;
    case SL_TYPE_ANY:
        if (kind == SL_CELL_TRUE || kind == SL_CELL_FALSE) {
            v->type = SL_V_BOOL;
            v->u.i = kind == SL_CELL_TRUE;
        } else if (kind == SL_CELL_NUMBER && !sl__parse_int(p, n, 1, &i)) {
            v->type = SL_V_INT;
            v->u.i = i;
        } else if (kind == SL_CELL_NUMBER && !sl__parse_number(p, n, 1, &d)) {
            v->type = SL_V_REAL;
            v->u.d = d;
        } else {
            text(v, p, n);
        }
        return 0;
    case SL_TYPE_INTEGER:
        if (kind != SL_CELL_STRING && kind != SL_CELL_NUMBER) break;
        if (sl__parse_int(p, n, 0, &i)) {
            /* all digits, yet no int64: say so rather than "not an integer" */
            size_t k = (n && (p[0] == '-' || p[0] == '+'));
            int digits = k < n;
            for (; k < n; k++) digits &= p[k] >= '0' && p[k] <= '9';
            if (digits) *why = "out of the 64-bit integer range";
            return -1;
        }
        v->type = SL_V_INT;
        v->u.i = i;
        return 0;
    case SL_TYPE_NUMBER:
        if (kind != SL_CELL_STRING && kind != SL_CELL_NUMBER) break;
        if (sl__parse_number(p, n, 0, &d)) return -1;
        if (d != d || d - d != 0) {
            text(v, p, n); /* NaN and infinities: SQLite would turn NaN into NULL */
            return 0;
        }
        v->type = SL_V_REAL;
        v->u.d = d;
        if (!sl__number_exact(p, n, d)) {
            *why = "has more digits than a double keeps: silver holds it rounded, bronze as "
                   "written";
            return 1;
        }
        return 0;
    case SL_TYPE_BOOLEAN:
        if (kind == SL_CELL_TRUE || kind == SL_CELL_FALSE) {
            v->type = SL_V_BOOL;
            v->u.i = kind == SL_CELL_TRUE;
            return 0;
        }
        if (kind != SL_CELL_STRING || sl__parse_bool(p, n, 0, &b)) break;
        v->type = SL_V_BOOL;
        v->u.i = b;
        return 0;
    case SL_TYPE_DATE:
        if (kind != SL_CELL_STRING || sl__parse_date(p, n)) break;
        text(v, p, n);
        return 0;
    case SL_TYPE_DATETIME:
        if (kind != SL_CELL_STRING || (sl__parse_datetime(p, n) && sl__parse_date(p, n))) break;
        text(v, p, n);
        return 0;
    case SL_TYPE_TIME:
        if (kind != SL_CELL_STRING || sl__parse_time(p, n)) break;
        text(v, p, n);
        return 0;
    case SL_TYPE_YEAR:
        if ((kind != SL_CELL_STRING && kind != SL_CELL_NUMBER) || sl__parse_year(p, n, &i)) break;
        v->type = SL_V_INT;
        v->u.i = i;
        return 0;
    case SL_TYPE_YEARMONTH:
        if (kind != SL_CELL_STRING || sl__parse_yearmonth(p, n)) break;
        text(v, p, n);
        return 0;
    case SL_TYPE_OBJECT:
    case SL_TYPE_ARRAY: {
        int want = f->type == SL_TYPE_OBJECT ? SL_CELL_OBJECT : SL_CELL_ARRAY;
        if (kind == want) {
            text(v, p, n);
            return 0;
        }
        /* text holding JSON (a CSV cell) */
        if (kind != SL_CELL_STRING || sl_json_scan(p, n, 1, &tok, &je) != (long)n ||
            tok.type != (f->type == SL_TYPE_OBJECT ? SL_JSON_OBJECT : SL_JSON_ARRAY))
            break;
        text(v, p, n);
        return 0;
    }
    }
    return -1;
}

void sl_cast_batch(const struct sl_schema *s, const struct sl_mapping *m,
                   const struct sl_labels *labels, struct sl_batch *b)
{
    uint32_t *seen = sl_arena_zalloc(&b->arena, (s->nfields ? s->nfields : 1) * sizeof *seen);

    for (size_t r = 0; r < b->nrows; r++) {
        struct sl_row *row = &b->rows[r];
        uint32_t stamp = (uint32_t)r + 1;

        if (row->status == SL_ROW_INVALID) continue; /* the reader could not read it */
        row->values =
            sl_arena_zalloc(&b->arena, (s->nfields ? s->nfields : 1) * sizeof *row->values);
        for (uint32_t k = 0; k < row->ncells; k++) {
            const struct sl_cell *c = &row->cells[k];
            int32_t fi = c->col < m->n ? m->field[c->col] : -1;
            const char *why;

            if (fi < 0) continue; /* a column the schema does not have: reported per load */
            const struct sl_field *f = &s->fields[fi];
            if (seen[fi] == stamp)
                sl_row_issue(b, row, SL_ROW_WARNING, "duplicate-key", f->name, c->p, c->len,
                             "'%s' appears twice in the record; the last value is used",
                             c->col < labels->n ? labels->v[c->col] : f->name);
            seen[fi] = stamp;
            if (is_missing(s, c)) {
                row->values[fi].type = SL_V_NULL;
                row->values[fi].len = 0;
                continue;
            }
            int cast = sl_cast_cell(f, c, &b->arena, &row->values[fi], &why);
            if (cast > 0) {
                sl_row_issue(b, row, SL_ROW_WARNING, "rounded-value", f->name, c->p, c->len,
                             "%s: '%.*s' %s", f->name, (int)(c->len > 80 ? 80 : c->len), c->p, why);
            } else if (cast < 0) {
                row->values[fi].type = SL_V_NULL;
                row->values[fi].len = 1; /* marks "not castable" as opposed to missing */
                if (why)
                    sl_row_issue(b, row, SL_ROW_INVALID, "type-error", f->name, c->p, c->len,
                                 "%s: '%.*s' is %s", f->name, (int)(c->len > 80 ? 80 : c->len),
                                 c->p, why);
                else if (c->kind != SL_CELL_STRING)
                    sl_row_issue(b, row, SL_ROW_INVALID, "type-error", f->name, c->p, c->len,
                                 "%s: %s is not of type %s", f->name, kind_name(c->kind),
                                 sl_type_name(f->type));
                else
                    sl_row_issue(b, row, SL_ROW_INVALID, "type-error", f->name, c->p, c->len,
                                 "%s: '%.*s' is not of type %s", f->name,
                                 (int)(c->len > 80 ? 80 : c->len), c->p, sl_type_name(f->type));
            }
        }
        /* missing values where the schema needs one (a failed cast was reported above) */
        for (size_t i = 0; i < s->nfields; i++) {
            const struct sl_field *f = &s->fields[i];
            const struct sl_value *v = &row->values[i];
            int is_pk = 0;
            if (v->type != SL_V_NULL || v->len) continue;
            for (size_t k = 0; k < s->npk; k++) is_pk |= s->pk[k] == (int)i;
            if (is_pk)
                sl_row_issue(b, row, SL_ROW_INVALID, "constraint-error", f->name, NULL, 0,
                             "%s is part of the primary key and must not be empty", f->name);
            else if (f->required)
                sl_row_issue(b, row, SL_ROW_INVALID, "constraint-error", f->name, NULL, 0,
                             "%s is required", f->name);
        }
    }
}
