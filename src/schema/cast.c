/*
 * The schema step: input cells → typed values, by the Frictionless casting rules, with one
 * issue per problem. Values are views into the batch where possible (text needs no copy).
 */
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "value.h"
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
        char **names =
            sl_names_normalize((const char *const *)labels->v, labels->lens, labels->n, NULL);
        for (size_t i = 0; i < labels->n; i++) m->field[i] = sl_schema_find(s, names[i]);
        sl_names_free(names, labels->n);
    }
    m->n = labels->n;
}

static int is_missing(const struct sl_schema *s, const struct sl_cell *c)
{
    if (c->kind == SL_CELL_NULL) return 1;
    if (c->kind != SL_CELL_STRING) return 0;
    /* a JSON string is a value ("" included) unless the schema says which strings mean none */
    if ((c->flags & SL_CELL_JSON) && !s->missing_declared) return 0;
    for (size_t i = 0; i < s->nmissing; i++) {
        const char *m = s->missing[i];
        /* "" is the usual (and default) missing value: no strlen call per cell for it */
        if (!*m ? c->len == 0 : strlen(m) == c->len && !memcmp(m, c->p, c->len)) return 1;
    }
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

/* A nested JSON value as silver holds it: its compact canonical text (sl_json_canonical), so
 * that a pretty-printed input and a compact one give the same silver value; bronze keeps the
 * record as received. */
static void json_text(struct sl_value *v, const char *p, size_t n, struct sl_arena *a)
{
    size_t len;
    const char *s = sl_json_canonical(p, n, a, &len);
    text(v, s, len);
}

/* The text of a number with the field's groupChar and decimalChar taken out and, without
 * bareNumber, what surrounds the digits ("€ 95", "95%"). NULL when nothing changes. */
static const char *plain_number(const struct sl_field *f, const char *p, size_t *n,
                                struct sl_arena *a)
{
    const char *dc = f->decimal_char, *gc = f->group_char;
    if (!dc && !gc && f->bare_number) return NULL;
    size_t len = *n, dl = dc ? strlen(dc) : 0, gl = gc ? strlen(gc) : 0;
    if (!f->bare_number) {
        /* from the first digit (or a sign or decimal char before it) to the last digit */
        size_t i = 0, j = len;
        while (i < len && !(p[i] >= '0' && p[i] <= '9')) i++;
        while (j > i && !(p[j - 1] >= '0' && p[j - 1] <= '9')) j--;
        if (i == len) return NULL;
        if (dl && i >= dl && !memcmp(p + i - dl, dc, dl))
            i -= dl;
        else if (!dl && i >= 1 && p[i - 1] == '.')
            i--;
        if (i >= 1 && (p[i - 1] == '-' || p[i - 1] == '+')) i--;
        p += i;
        len = j - i;
    }
    char *o = sl_arena_alloc(a, len + 1);
    size_t k = 0;
    for (size_t i = 0; i < len;) {
        if (gl && i + gl <= len && !memcmp(p + i, gc, gl)) {
            i += gl;
            continue;
        }
        if (dl && i + dl <= len && !memcmp(p + i, dc, dl)) {
            o[k++] = '.';
            i += dl;
            continue;
        }
        if (dl && p[i] == '.') {
            o[k++] = '#'; /* a point is not the decimal char here: not a number */
            i++;
            continue;
        }
        o[k++] = p[i++];
    }
    o[k] = 0;
    *n = k;
    return o;
}

static int in_list(char **v, size_t n, const char *p, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(v[i]) == len && !memcmp(v[i], p, len)) return 1;
    return 0;
}

/* lon, lat within range → "lon,lat" */
static int geopoint(const struct sl_field *f, const struct sl_cell *c, struct sl_arena *a,
                    struct sl_value *v)
{
    double lon, lat;
    const char *p = c->p;
    size_t n = c->len;
    struct sl_json_tok tok, k, val;
    struct sl_json_err je;
    struct sl_json_iter it;
    int got = 0;

    if (f->fmt == SL_FMT_DEFAULT) {
        if (c->kind != SL_CELL_STRING) return -1;
        const char *comma = memchr(p, ',', n);
        if (!comma) return -1;
        size_t l1 = (size_t)(comma - p), o2 = l1 + 1;
        while (o2 < n && p[o2] == ' ') o2++;
        if (sl_parse_number(p, l1, 0, &lon) || sl_parse_number(p + o2, n - o2, 0, &lat)) return -1;
    } else {
        if (sl_json_scan(p, n, 1, &tok, &je) != (long)n) return -1;
        if (tok.type != (f->fmt == SL_FMT_ARRAY ? SL_JSON_ARRAY : SL_JSON_OBJECT)) return -1;
        sl_json_iter_init(&it, &tok);
        while (sl_json_iter_next(&it, &k, &val)) {
            double d;
            if (val.type != SL_JSON_NUMBER || sl_parse_number(val.p, val.len, 0, &d)) return -1;
            if (f->fmt == SL_FMT_ARRAY) {
                if (got == 0)
                    lon = d;
                else if (got == 1)
                    lat = d;
                got++;
            } else if (k.len == 3 && !memcmp(k.p, "lon", 3)) {
                lon = d, got |= 1;
            } else if (k.len == 3 && !memcmp(k.p, "lat", 3)) {
                lat = d, got |= 2;
            } else {
                return -1;
            }
        }
        if ((f->fmt == SL_FMT_ARRAY && got != 2) || (f->fmt == SL_FMT_OBJECT && got != 3))
            return -1;
    }
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) return -1;
    struct sl_buf b = SL_BUF_INIT;
    sl_buf_json_double(&b, lon);
    sl_buf_addc(&b, ',');
    sl_buf_json_double(&b, lat);
    text(v, sl_arena_strndup(a, b.p, b.len), b.len);
    sl_buf_free(&b);
    return 0;
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

    *why = NULL;
    switch (f->type) {
    case SL_TYPE_STRING:
        if (kind == SL_CELL_OBJECT || kind == SL_CELL_ARRAY) break;
        text(v, p, n); /* numbers and booleans of JSON as they were written */
        switch (f->fmt) {
        case SL_FMT_EMAIL:
            if (sl__is_email(p, n)) *why = "not an email address";
            break;
        case SL_FMT_URI:
            if (sl__is_uri(p, n)) *why = "not a URI (scheme:...)";
            break;
        case SL_FMT_UUID:
            if (sl__is_uuid(p, n)) *why = "not a UUID";
            break;
        case SL_FMT_BINARY:
            if (sl__is_base64(p, n)) *why = "not base64";
            break;
        case SL_FMT_PHONE:
            if (sl__is_phone(p, n, why)) *why += 3; /* "is not ..." reads after the value */
            break;
        }
        /* a format declared a warning: the text lands, flagged (SL_CAST_FORMAT_WARNING) */
        if (*why) return f->format_severity == SL_ROW_WARNING ? 2 : -1;
        return 0;
    case SL_TYPE_DURATION:
        if (kind != SL_CELL_STRING || sl__parse_duration(p, n)) break;
        text(v, p, n);
        return 0;
    case SL_TYPE_GEOPOINT:
        if (geopoint(f, c, a, v)) break;
        return 0;
    case SL_TYPE_ANY:
        if (kind == SL_CELL_TRUE || kind == SL_CELL_FALSE) {
            v->type = SL_V_BOOL;
            v->u.i = kind == SL_CELL_TRUE;
        } else if (kind == SL_CELL_NUMBER && !sl__parse_int(p, n, 1, &i)) {
            v->type = SL_V_INT;
            v->u.i = i;
        } else if (kind == SL_CELL_NUMBER && !sl_parse_number(p, n, 1, &d)) {
            v->type = SL_V_REAL;
            v->u.d = d;
        } else if (kind == SL_CELL_OBJECT || kind == SL_CELL_ARRAY) {
            json_text(v, p, n, a);
        } else {
            text(v, p, n);
        }
        return 0;
    case SL_TYPE_INTEGER:
        if (kind != SL_CELL_STRING && kind != SL_CELL_NUMBER) break;
        if (kind == SL_CELL_STRING) {
            const char *q = plain_number(f, p, &n, a);
            if (q) p = q;
        }
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
        if (kind == SL_CELL_STRING) {
            const char *q = plain_number(f, p, &n, a);
            if (q) p = q;
        }
        if (sl_parse_number(p, n, 0, &d)) return -1;
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
        if (kind != SL_CELL_STRING) break;
        if (f->true_values || f->false_values) {
            /* declared values replace the defaults */
            if (f->true_values ? in_list(f->true_values, f->ntrue, p, n)
                               : !sl__parse_bool(p, n, 0, &b) && b)
                b = 1;
            else if (f->false_values ? in_list(f->false_values, f->nfalse, p, n)
                                     : !sl__parse_bool(p, n, 0, &b) && !b)
                b = 0;
            else
                break;
        } else if (sl__parse_bool(p, n, 0, &b)) {
            break;
        }
        v->type = SL_V_BOOL;
        v->u.i = b;
        return 0;
    case SL_TYPE_DATE:
    case SL_TYPE_DATETIME:
    case SL_TYPE_TIME: {
        char out[64];
        size_t len;
        if (kind != SL_CELL_STRING) break;
        /* already canonical (the common case): no formatting, no copy */
        if (f->fmt == SL_FMT_DEFAULT &&
            ((f->type == SL_TYPE_DATE && !sl__parse_date(p, n)) ||
             (f->type == SL_TYPE_TIME && n == 8 && !sl__parse_time(p, n)) ||
             (f->type == SL_TYPE_DATETIME && (n == 19 || (n == 20 && p[19] == 'Z')) &&
              p[10] == 'T' && !sl__parse_datetime(p, n)))) {
            text(v, p, n);
            return 0;
        }
        if (sl__datetime_cast(f->type, f->fmt, f->format, p, n, out, sizeof out, &len)) {
            if (f->fmt == SL_FMT_PATTERN)
                *why = f->type == SL_TYPE_DATE   ? "not a date in the declared format"
                       : f->type == SL_TYPE_TIME ? "not a time in the declared format"
                                                 : "not a datetime in the declared format";
            return -1;
        }
        if (len == n && !memcmp(out, p, n))
            text(v, p, n); /* already canonical: no copy */
        else
            text(v, sl_arena_strndup(a, out, len), len);
        return 0;
    }
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
            json_text(v, p, n, a);
            return 0;
        }
        /* text holding JSON (a CSV cell) */
        if (kind != SL_CELL_STRING || sl_json_scan(p, n, 1, &tok, &je) != (long)n ||
            tok.type != (f->type == SL_TYPE_OBJECT ? SL_JSON_OBJECT : SL_JSON_ARRAY))
            break;
        /* the scan skips leading and trailing whitespace: the value is tok's text */
        json_text(v, tok.p, tok.len, a);
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
            if (cast >= 0 && f->rules) sl__check_cell(f, c, &row->values[fi], b, row);
            if (cast == 2) {
                sl_row_issue(b, row, SL_ROW_WARNING, "type-error", f->name, c->p, c->len,
                             "%s: '%.*s' is %s", f->name, (int)(c->len > 80 ? 80 : c->len), c->p,
                             why)
                    ->constraint = "format";
            } else if (cast > 0) {
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
            struct sl_issue *is;
            int is_pk = 0;
            if (v->type != SL_V_NULL || v->len) continue;
            for (size_t k = 0; k < s->npk; k++) is_pk |= s->pk[k] == (int)i;
            if (is_pk)
                is = sl_row_issue(b, row, SL_ROW_INVALID, "constraint-error", f->name, NULL, 0,
                                  "%s is part of the primary key and must not be empty", f->name);
            else if (f->required)
                is = sl_row_issue(b, row,
                                  f->rules ? f->rules->severity[SL_C_REQUIRED] : SL_ROW_INVALID,
                                  "constraint-error", f->name, NULL, 0, "%s is required", f->name);
            else
                continue;
            is->constraint = "required";
        }
        if (s->nrules) sl__check_rules(s, b, row);
    }
}
