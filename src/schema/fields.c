/*
 * Table Schema field options: formats, casting options (trueValues, decimalChar, ...),
 * constraints, foreignKeys and sluice's extensions (x-sluice), read from a schema file and
 * written back as JSON (the catalog keeps schemas so, and reads them back with the same parser).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"

static const char *const constraint_names[SL_C_COUNT] = {
    "required", "unique", "minimum", "maximum", "minLength", "maxLength", "pattern", "enum",
};

const char *sl_constraint_name(int c)
{
    return c >= 0 && c < SL_C_COUNT ? constraint_names[c] : "?";
}

static char **strs_dup(const char *const *v, size_t n)
{
    char **o = sl_xcalloc(n ? n : 1, sizeof *o);
    for (size_t i = 0; i < n; i++) o[i] = sl_xstrdup(v[i]);
    return o;
}

static void strs_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) free(v[i]);
    free(v);
}

static void value_free(struct sl_value *v)
{
    if (v->type == SL_V_TEXT) free((char *)v->u.s);
    memset(v, 0, sizeof *v);
}

void sl__field_rules_free(struct sl_field_rules *r)
{
    if (!r) return;
    free(r->min_raw);
    free(r->max_raw);
    value_free(&r->min);
    value_free(&r->max);
    free(r->pattern);
    if (r->re) pcre2_code_free(r->re);
    if (r->md) pcre2_match_data_free(r->md);
    for (size_t i = 0; i < r->nenum; i++) value_free(&r->enum_v[i]);
    strs_free(r->enum_raw, r->nenum);
    free(r->enum_v);
    free(r);
}

void sl__field_free(struct sl_field *f)
{
    free(f->name);
    free(f->label);
    free(f->format);
    free(f->x_format);
    strs_free(f->true_values, f->ntrue);
    strs_free(f->false_values, f->nfalse);
    free(f->decimal_char);
    free(f->group_char);
    sl__field_rules_free(f->rules);
    memset(f, 0, sizeof *f);
}

void sl__rules_free(struct sl_rule *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(r[i].name);
        free(r[i].check);
        free(r[i].req_field);
        free(r[i].when);
        free(r[i].message);
        sl__expr_free(r[i].expr);
        sl__expr_free(r[i].when_expr);
    }
    free(r);
}

void sl__fkeys_free(struct sl_fkey *k, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        strs_free(k[i].fields, k[i].n);
        strs_free(k[i].ref_fields, k[i].n);
        free(k[i].index);
        free(k[i].resource);
    }
    free(k);
}

/* ---- JSON text of a node ------------------------------------------------------------------ */

/* The text a scalar stands for, as a cell would carry it. */
static void node_cell(const struct sl_node *n, struct sl_cell *c)
{
    memset(c, 0, sizeof *c);
    c->p = n->text ? n->text : "";
    c->len = (uint32_t)(n->text ? n->len : 0);
    c->kind = SL_CELL_STRING;
    if (n->json_type == SL_JSON_NUMBER) c->kind = SL_CELL_NUMBER;
    if (n->json_type == SL_JSON_TRUE) c->kind = SL_CELL_TRUE;
    if (n->json_type == SL_JSON_FALSE) c->kind = SL_CELL_FALSE;
}

/* ---- parsing ------------------------------------------------------------------------------ */

static int bad(const struct sl_doc *d, const struct sl_node *n, const char *what, const char *key,
               const char *why, struct sl_error *err)
{
    return sl_error_set(err, SL_ECONFIG, "%s:%d: %s.%s: %s", d->path, n ? n->line : 0, what, key,
                        why);
}

static int parse_severity(const char *s)
{
    if (!strcmp(s, "error")) return SL_ROW_INVALID;
    if (!strcmp(s, "warning")) return SL_ROW_WARNING;
    return -1;
}

static int is_date_type(int t)
{
    return t == SL_TYPE_DATE || t == SL_TYPE_TIME || t == SL_TYPE_DATETIME;
}

static int parse_format(struct sl_field *f, const struct sl_doc *d, const struct sl_node *n,
                        const char *what, struct sl_error *err)
{
    const char *fmt;
    int rc;
    if ((rc = sl_node_want_str(d, n, what, &fmt, err))) return rc;
    if (!strncmp(fmt, "fmt:", 4) && is_date_type(f->type)) fmt += 4; /* Table Schema v0 */
    f->format = sl_xstrdup(fmt);
    if (!strcmp(fmt, "default")) {
        f->fmt = SL_FMT_DEFAULT;
        return 0;
    }
    switch (f->type) {
    case SL_TYPE_STRING:
        if (!strcmp(fmt, "email")) return f->fmt = SL_FMT_EMAIL, 0;
        if (!strcmp(fmt, "uri")) return f->fmt = SL_FMT_URI, 0;
        if (!strcmp(fmt, "uuid")) return f->fmt = SL_FMT_UUID, 0;
        if (!strcmp(fmt, "binary")) return f->fmt = SL_FMT_BINARY, 0;
        return bad(d, n, what, "format",
                   "unknown string format (default, email, uri, uuid, binary)", err);
    case SL_TYPE_DATE:
    case SL_TYPE_TIME:
    case SL_TYPE_DATETIME:
        if (!strcmp(fmt, "any")) return f->fmt = SL_FMT_ANY, 0;
        if (strchr(fmt, '%')) {
            const char *why = sl__pattern_check(fmt, f->type);
            if (why) return bad(d, n, what, "format", why, err);
            return f->fmt = SL_FMT_PATTERN, 0;
        }
        return bad(d, n, what, "format",
                   "expected default, any or a pattern with % directives (%Y-%m-%d)", err);
    case SL_TYPE_GEOPOINT:
        if (!strcmp(fmt, "array")) return f->fmt = SL_FMT_ARRAY, 0;
        if (!strcmp(fmt, "object")) return f->fmt = SL_FMT_OBJECT, 0;
        return bad(d, n, what, "format", "unknown geopoint format (default, array, object)", err);
    }
    return bad(d, n, what, "format", "this type has only the default format", err);
}

static int want_char(const struct sl_doc *d, const struct sl_node *n, const char *what,
                     const char *key, int empty_ok, char **out, struct sl_error *err)
{
    const char *s;
    int rc;
    if ((rc = sl_node_want_str(d, n, what, &s, err))) return rc;
    if ((!empty_ok && !*s) || strlen(s) > 4)
        return bad(d, n, what, key, "expected one character", err);
    free(*out);
    *out = sl_xstrdup(s);
    return 0;
}

static struct sl_field_rules *rules_of(struct sl_field *f)
{
    if (!f->rules) {
        f->rules = sl_xcalloc(1, sizeof *f->rules);
        f->rules->min_len = f->rules->max_len = -1;
        for (int c = 0; c < SL_C_COUNT; c++) f->rules->severity[c] = SL_ROW_INVALID;
    }
    return f->rules;
}

static int parse_constraints(struct sl_field *f, const struct sl_doc *d, const struct sl_node *c,
                             const char *what, struct sl_error *err)
{
    static const char *const keys[] = {"required",  "unique",  "minimum", "maximum", "minLength",
                                       "maxLength", "pattern", "enum",    NULL};
    char cwhat[96];
    int rc, b;
    struct sl_buf j = SL_BUF_INIT;

    snprintf(cwhat, sizeof cwhat, "%s.constraints", what);
    if (c->type != SL_NODE_MAP)
        return sl_error_set(err, SL_ECONFIG, "%s:%d: %s: expected a mapping", d->path, c->line,
                            cwhat);
    if ((rc = sl_node_check_keys(d, c, cwhat, keys, err))) return rc;
    for (size_t i = 0; i < c->n; i++) {
        const char *k = c->keys[i]->text;
        const struct sl_node *v = c->items[i];
        struct sl_field_rules *r;
        if (!strcmp(k, "required")) {
            if ((rc = sl_node_want_bool(d, v, cwhat, &f->required, err))) return rc;
        } else if (!strcmp(k, "unique")) {
            if ((rc = sl_node_want_bool(d, v, cwhat, &b, err))) return rc;
            if (b) rules_of(f)->unique = 1;
        } else if (!strcmp(k, "minimum") || !strcmp(k, "maximum")) {
            int t = f->type;
            if (t != SL_TYPE_INTEGER && t != SL_TYPE_NUMBER && t != SL_TYPE_DATE &&
                t != SL_TYPE_TIME && t != SL_TYPE_DATETIME && t != SL_TYPE_YEAR &&
                t != SL_TYPE_YEARMONTH)
                return bad(d, v, cwhat, k,
                           "applies to integer, number, date, time, datetime, year and yearmonth "
                           "fields (durations of months and days do not compare exactly)",
                           err);
            if (v->type != SL_NODE_SCALAR) return bad(d, v, cwhat, k, "expected a value", err);
            sl_buf_reset(&j);
            sl_node_json(&j, v, 0);
            r = rules_of(f);
            free(k[1] == 'i' ? r->min_raw : r->max_raw);
            if (k[1] == 'i')
                r->min_raw = sl_xstrdup(j.p);
            else
                r->max_raw = sl_xstrdup(j.p);
        } else if (!strcmp(k, "minLength") || !strcmp(k, "maxLength")) {
            int64_t len;
            int t = f->type;
            if (t != SL_TYPE_STRING && t != SL_TYPE_ARRAY && t != SL_TYPE_OBJECT)
                return bad(d, v, cwhat, k, "applies to string, array and object fields", err);
            if ((rc = sl_node_want_int(d, v, cwhat, &len, err))) return rc;
            if (len < 0) return bad(d, v, cwhat, k, "must not be negative", err);
            *(k[1] == 'i' ? &rules_of(f)->min_len : &rules_of(f)->max_len) = len;
        } else if (!strcmp(k, "pattern")) {
            const char *pat;
            if ((rc = sl_node_want_str(d, v, cwhat, &pat, err))) return rc;
            r = rules_of(f);
            free(r->pattern);
            r->pattern = sl_xstrdup(pat);
        } else if (!strcmp(k, "enum")) {
            if (v->type != SL_NODE_SEQ || v->n == 0)
                return bad(d, v, cwhat, k, "expected a non-empty list of values", err);
            r = rules_of(f);
            strs_free(r->enum_raw, r->nenum);
            r->enum_raw = sl_xcalloc(v->n, sizeof *r->enum_raw);
            r->nenum = v->n;
            for (size_t e = 0; e < v->n; e++) {
                if (v->items[e]->type != SL_NODE_SCALAR)
                    return bad(d, v->items[e], cwhat, k, "expected a list of values", err);
                sl_buf_reset(&j);
                sl_node_json(&j, v->items[e], 0);
                r->enum_raw[e] = sl_xstrdup(j.p);
            }
        }
    }
    sl_buf_free(&j);
    return 0;
}

static int parse_x_field(struct sl_field *f, const struct sl_doc *d, const struct sl_node *x,
                         const char *what, struct sl_error *err)
{
    static const char *const keys[] = {"format", "severity", NULL};
    char xwhat[96];
    const struct sl_node *v;
    const char *s;
    int rc;

    snprintf(xwhat, sizeof xwhat, "%s.x-sluice", what);
    if (x->type != SL_NODE_MAP)
        return sl_error_set(err, SL_ECONFIG, "%s:%d: %s: expected a mapping", d->path, x->line,
                            xwhat);
    if ((rc = sl_node_check_keys(d, x, xwhat, keys, err))) return rc;
    if ((v = sl_node_get(x, "format"))) {
        if ((rc = sl_node_want_str(d, v, xwhat, &s, err))) return rc;
        if (strcmp(s, "phone")) return bad(d, v, xwhat, "format", "unknown format (phone)", err);
        if (f->type != SL_TYPE_STRING)
            return bad(d, v, xwhat, "format", "phone applies to string fields", err);
        f->x_format = sl_xstrdup(s);
        f->fmt = SL_FMT_PHONE;
    }
    if ((v = sl_node_get(x, "severity"))) {
        struct sl_field_rules *r = rules_of(f);
        r->severity_set = 1;
        if (v->type == SL_NODE_SCALAR) {
            int sev;
            if ((rc = sl_node_want_str(d, v, xwhat, &s, err))) return rc;
            if ((sev = parse_severity(s)) < 0)
                return bad(d, v, xwhat, "severity", "expected error or warning", err);
            for (int c = 0; c < SL_C_COUNT; c++) r->severity[c] = (uint8_t)sev;
            f->format_severity = sev;
        } else if (v->type == SL_NODE_MAP) {
            for (size_t i = 0; i < v->n; i++) {
                int c, sev;
                for (c = 0; c < SL_C_COUNT && strcmp(constraint_names[c], v->keys[i]->text); c++)
                    ;
                if (!strcmp(v->keys[i]->text, "format")) {
                    if ((rc = sl_node_want_str(d, v->items[i], xwhat, &s, err))) return rc;
                    if ((sev = parse_severity(s)) < 0)
                        return bad(d, v->items[i], xwhat, "severity", "expected error or warning",
                                   err);
                    f->format_severity = sev;
                    continue;
                }
                if (c == SL_C_COUNT)
                    return bad(d, v->keys[i], xwhat, "severity",
                               "unknown constraint (format, required, unique, minimum, maximum, "
                               "minLength, maxLength, pattern, enum)",
                               err);
                if ((rc = sl_node_want_str(d, v->items[i], xwhat, &s, err))) return rc;
                if ((sev = parse_severity(s)) < 0)
                    return bad(d, v->items[i], xwhat, "severity", "expected error or warning", err);
                r->severity[c] = (uint8_t)sev;
            }
        } else {
            return bad(d, v, xwhat, "severity",
                       "expected error, warning or a mapping constraint: severity", err);
        }
    }
    return 0;
}

static int compile_field(struct sl_field *f, struct sl_error *err);

int sl__field_options(struct sl_schema *s, int k, const struct sl_doc *d, const struct sl_node *n,
                      const char *what, struct sl_error *err)
{
    struct sl_field *f = &s->fields[k];
    const struct sl_node *v;
    const char **strs;
    size_t ns;
    int rc, b;

    if ((v = sl_node_get(n, "format")) && (rc = parse_format(f, d, v, what, err))) return rc;
    if ((v = sl_node_get(n, "trueValues")) || (v = sl_node_get(n, "falseValues"))) {
        if (f->type != SL_TYPE_BOOLEAN && f->type != SL_TYPE_ANY)
            return bad(d, v, what, "trueValues", "applies to boolean fields", err);
    }
    if ((v = sl_node_get(n, "trueValues"))) {
        if ((rc = sl_node_want_strs(d, v, what, &strs, &ns, err))) return rc;
        f->true_values = strs_dup(strs, ns);
        f->ntrue = ns;
    }
    if ((v = sl_node_get(n, "falseValues"))) {
        if ((rc = sl_node_want_strs(d, v, what, &strs, &ns, err))) return rc;
        f->false_values = strs_dup(strs, ns);
        f->nfalse = ns;
    }
    for (int i = 0; i < 3; i++) {
        static const char *const numkeys[] = {"decimalChar", "groupChar", "bareNumber"};
        if (!(v = sl_node_get(n, numkeys[i]))) continue;
        if (f->type != SL_TYPE_NUMBER && (i == 0 || f->type != SL_TYPE_INTEGER))
            return bad(d, v, what, numkeys[i],
                       i == 0 ? "applies to number fields" : "applies to number and integer fields",
                       err);
        if (i == 0 && (rc = want_char(d, v, what, numkeys[i], 0, &f->decimal_char, err))) return rc;
        if (i == 1 && (rc = want_char(d, v, what, numkeys[i], 1, &f->group_char, err))) return rc;
        if (i == 2) {
            if ((rc = sl_node_want_bool(d, v, what, &b, err))) return rc;
            f->bare_number = b;
        }
    }
    if ((v = sl_node_get(n, "constraints"))) {
        if ((rc = parse_constraints(f, d, v, what, err))) return rc;
        /* constraint values are cast with the field's own options, parsed above */
        if ((rc = compile_field(f, err))) {
            sl_error_prefix(err, "%s:%d: %s.constraints", d->path, v->line, what);
            return rc;
        }
    }
    if ((v = sl_node_get(n, "x-sluice")) && (rc = parse_x_field(f, d, v, what, err))) return rc;
    return 0;
}

int sl__schema_fkeys(struct sl_schema *s, const struct sl_doc *d, const struct sl_node *n,
                     struct sl_error *err)
{
    static const char *const keys[] = {"fields", "reference", NULL};
    static const char *const rkeys[] = {"resource", "fields", NULL};
    char what[64];
    int rc;

    if (n->type != SL_NODE_SEQ)
        return sl_error_set(err, SL_ECONFIG, "%s:%d: foreignKeys: expected a list", d->path,
                            n->line);
    s->fkeys = sl_xcalloc(n->n ? n->n : 1, sizeof *s->fkeys);
    for (size_t i = 0; i < n->n; i++) {
        const struct sl_node *fk = n->items[i], *ref;
        struct sl_fkey *k = &s->fkeys[s->nfkeys++];
        const char **strs, *res = "";
        size_t ns, nr;
        snprintf(what, sizeof what, "foreignKeys[%zu]", i);
        if (fk->type != SL_NODE_MAP)
            return sl_error_set(err, SL_ECONFIG, "%s:%d: %s: expected a mapping", d->path, fk->line,
                                what);
        if ((rc = sl_node_check_keys(d, fk, what, keys, err))) return rc;
        if ((rc = sl_node_want_strs(d, sl_node_get(fk, "fields"), what, &strs, &ns, err)))
            return rc;
        k->fields = strs_dup(strs, ns);
        k->n = ns;
        k->index = sl_xcalloc(ns ? ns : 1, sizeof *k->index);
        for (size_t f = 0; f < ns; f++)
            if ((k->index[f] = sl_schema_find(s, strs[f])) < 0)
                return sl_error_set(err, SL_ECONFIG, "%s:%d: %s.fields: '%s' is not a field",
                                    d->path, fk->line, what, strs[f]);
        ref = sl_node_get(fk, "reference");
        if (!ref || ref->type != SL_NODE_MAP)
            return sl_error_set(err, SL_ECONFIG,
                                "%s:%d: %s.reference: expected a mapping with resource and fields",
                                d->path, ref ? ref->line : fk->line, what);
        strcat(what, ".reference");
        if ((rc = sl_node_check_keys(d, ref, what, rkeys, err))) return rc;
        if (sl_node_get(ref, "resource") &&
            (rc = sl_node_want_str(d, sl_node_get(ref, "resource"), what, &res, err)))
            return rc;
        k->resource = sl_xstrdup(res);
        if ((rc = sl_node_want_strs(d, sl_node_get(ref, "fields"), what, &strs, &nr, err)))
            return rc;
        if (nr != ns)
            return sl_error_set(err, SL_ECONFIG,
                                "%s:%d: %s.fields: %zu fields refer to %zu; expected as many",
                                d->path, ref->line, what, ns, nr);
        k->ref_fields = strs_dup(strs, nr);
        if (!*res)
            for (size_t f = 0; f < nr; f++)
                if (sl_schema_find(s, strs[f]) < 0)
                    return sl_error_set(err, SL_ECONFIG, "%s:%d: %s.fields: '%s' is not a field",
                                        d->path, ref->line, what, strs[f]);
    }
    return 0;
}

int sl__schema_x_sluice(struct sl_schema *s, const struct sl_doc *d, const struct sl_node *n,
                        struct sl_error *err)
{
    static const char *const keys[] = {"rules", "primaryKey", NULL};
    static const char *const rkeys[] = {"name",     "check",   "required_if",
                                        "severity", "message", NULL};
    static const char *const qkeys[] = {"field", "when", NULL};
    static const char *const pkeys[] = {"severity", NULL};
    const struct sl_node *rules, *pk;
    char what[64];
    const char *str;
    int rc;

    if (n->type != SL_NODE_MAP)
        return sl_error_set(err, SL_ECONFIG, "%s:%d: x-sluice: expected a mapping", d->path,
                            n->line);
    if ((rc = sl_node_check_keys(d, n, "x-sluice", keys, err))) return rc;
    if ((pk = sl_node_get(n, "primaryKey"))) {
        if ((rc = sl_node_check_keys(d, pk, "x-sluice.primaryKey", pkeys, err))) return rc;
        if (pk->type != SL_NODE_MAP)
            return sl_error_set(err, SL_ECONFIG, "%s:%d: x-sluice.primaryKey: expected a mapping",
                                d->path, pk->line);
        if (sl_node_get(pk, "severity")) {
            if ((rc = sl_node_want_str(d, sl_node_get(pk, "severity"), "x-sluice.primaryKey", &str,
                                       err)))
                return rc;
            if ((s->pk_severity = parse_severity(str)) < 0)
                return bad(d, sl_node_get(pk, "severity"), "x-sluice.primaryKey", "severity",
                           "expected error or warning", err);
        }
    }
    if (!(rules = sl_node_get(n, "rules"))) return 0;
    if (rules->type != SL_NODE_SEQ)
        return sl_error_set(err, SL_ECONFIG, "%s:%d: x-sluice.rules: expected a list", d->path,
                            rules->line);
    s->rules = sl_xcalloc(rules->n ? rules->n : 1, sizeof *s->rules);
    for (size_t i = 0; i < rules->n; i++) {
        const struct sl_node *r = rules->items[i], *v;
        struct sl_rule *o = &s->rules[s->nrules++];
        o->severity = SL_ROW_INVALID;
        o->req_index = -1;
        snprintf(what, sizeof what, "x-sluice.rules[%zu]", i);
        if (r->type == SL_NODE_SCALAR) { /* a bare check: "end >= start" */
            char why[320];
            o->check = sl_xstrdup(r->text);
            o->name = sl_xstrdup(r->text);
            if (!(o->expr = sl__expr_parse(s, r->text, why, sizeof why)))
                return sl_error_set(err, SL_ECONFIG, "%s:%d: %s: '%s': %s", d->path, r->line, what,
                                    r->text, why);
            continue;
        }
        if (r->type != SL_NODE_MAP)
            return sl_error_set(err, SL_ECONFIG,
                                "%s:%d: %s: expected a check (\"end >= start\") or a mapping",
                                d->path, r->line, what);
        if ((rc = sl_node_check_keys(d, r, what, rkeys, err))) return rc;
        if ((v = sl_node_get(r, "check"))) {
            char why[320];
            if ((rc = sl_node_want_str(d, v, what, &str, err))) return rc;
            o->check = sl_xstrdup(str);
            if (!(o->expr = sl__expr_parse(s, str, why, sizeof why)))
                return sl_error_set(err, SL_ECONFIG, "%s:%d: %s.check: '%s': %s", d->path, v->line,
                                    what, str, why);
        }
        if ((v = sl_node_get(r, "required_if"))) {
            char qwhat[96];
            snprintf(qwhat, sizeof qwhat, "%s.required_if", what);
            if (v->type != SL_NODE_MAP)
                return sl_error_set(err, SL_ECONFIG, "%s:%d: %s: expected {field, when}", d->path,
                                    v->line, qwhat);
            if ((rc = sl_node_check_keys(d, v, qwhat, qkeys, err))) return rc;
            if ((rc = sl_node_want_str(d, sl_node_get(v, "field"), qwhat, &str, err))) return rc;
            o->req_field = sl_xstrdup(str);
            if ((o->req_index = sl_schema_find(s, str)) < 0)
                return sl_error_set(err, SL_ECONFIG, "%s:%d: %s.field: '%s' is not a field",
                                    d->path, v->line, qwhat, str);
            if ((rc = sl_node_want_str(d, sl_node_get(v, "when"), qwhat, &str, err))) return rc;
            o->when = sl_xstrdup(str);
            char why[320];
            if (!(o->when_expr = sl__expr_parse(s, str, why, sizeof why)))
                return sl_error_set(err, SL_ECONFIG, "%s:%d: %s.when: '%s': %s", d->path,
                                    sl_node_get(v, "when")->line, qwhat, str, why);
        }
        if (!o->check && !o->req_field)
            return sl_error_set(err, SL_ECONFIG, "%s:%d: %s: expected check or required_if",
                                d->path, r->line, what);
        if ((v = sl_node_get(r, "severity"))) {
            if ((rc = sl_node_want_str(d, v, what, &str, err))) return rc;
            if ((o->severity = parse_severity(str)) < 0)
                return bad(d, v, what, "severity", "expected error or warning", err);
        }
        if ((v = sl_node_get(r, "message"))) {
            if ((rc = sl_node_want_str(d, v, what, &str, err))) return rc;
            o->message = sl_xstrdup(str);
        }
        if ((v = sl_node_get(r, "name"))) {
            if ((rc = sl_node_want_str(d, v, what, &str, err))) return rc;
            o->name = sl_xstrdup(str);
        } else {
            o->name = o->check ? sl_xstrdup(o->check)
                               : sl_xasprintf("%s required if %s", o->req_field, o->when);
        }
    }
    return 0;
}

/* ---- compiling ---------------------------------------------------------------------------- */

/* Casts a constraint value (JSON text) with the field's own casting. */
static int cast_raw(const struct sl_field *f, const char *raw, struct sl_value *out,
                    struct sl_error *err, const char *what)
{
    struct sl_doc d;
    struct sl_cell c;
    struct sl_arena a;
    struct sl_field plain = *f;
    const char *why;
    int rc;

    if ((rc = sl_doc_parse_json(&d, "constraint", raw, strlen(raw), err))) {
        sl_doc_free(&d);
        return rc;
    }
    node_cell(d.root, &c);
    plain.rules = NULL;
    sl_arena_init(&a, 256);
    rc = sl_cast_cell(&plain, &c, &a, out, &why);
    if (rc < 0) {
        rc = sl_error_set(err, SL_ECONFIG, "%s %s is not a valid %s", what, raw,
                          sl_type_name(f->type));
    } else {
        rc = 0;
        if (out->type == SL_V_TEXT) out->u.s = sl_xstrndup(out->u.s, out->len);
    }
    sl_arena_free(&a);
    sl_doc_free(&d);
    return rc;
}

static int compile_field(struct sl_field *f, struct sl_error *err)
{
    struct sl_field_rules *r = f->rules;
    int rc;
    if (!r) return 0;
    {
        if (r->min_raw && r->min.type == SL_V_NULL &&
            (rc = cast_raw(f, r->min_raw, &r->min, err, "minimum")))
            goto fail;
        if (r->max_raw && r->max.type == SL_V_NULL &&
            (rc = cast_raw(f, r->max_raw, &r->max, err, "maximum")))
            goto fail;
        if (r->nenum && !r->enum_v) {
            r->enum_v = sl_xcalloc(r->nenum, sizeof *r->enum_v);
            for (size_t e = 0; e < r->nenum; e++)
                if ((rc = cast_raw(f, r->enum_raw[e], &r->enum_v[e], err, "enum value"))) goto fail;
        }
        if (r->pattern && !r->re) {
            int code;
            PCRE2_SIZE off;
            r->re =
                pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED,
                              PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_UTF, &code, &off, NULL);
            if (!r->re) {
                PCRE2_UCHAR msg[256];
                pcre2_get_error_message(code, msg, sizeof msg);
                rc = sl_error_set(err, SL_ECONFIG, "pattern '%s': %s at offset %zu", r->pattern,
                                  (const char *)msg, (size_t)off);
                goto fail;
            }
            pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE);
            r->md = pcre2_match_data_create_from_pattern(r->re, NULL);
        }
    }
    return 0;
fail:
    return rc;
}

/* Nothing is left to compile after parsing (kept for the copy paths). */
int sl__schema_compile(struct sl_schema *s, struct sl_error *err)
{
    int rc;
    for (size_t i = 0; i < s->nfields; i++)
        if ((rc = compile_field(&s->fields[i], err))) return rc;
    return 0;
}

/* ---- JSON out ----------------------------------------------------------------------------- */

static void strs_json(struct sl_buf *b, const char *key, char **v, size_t n)
{
    sl_buf_addf(b, ",\"%s\":[", key);
    for (size_t i = 0; i < n; i++) {
        if (i) sl_buf_addc(b, ',');
        sl_buf_json_cstr(b, v[i]);
    }
    sl_buf_addc(b, ']');
}

void sl__field_json(const struct sl_field *f, struct sl_buf *b)
{
    const struct sl_field_rules *r = f->rules;
    int any = 0;

    if (f->format) {
        sl_buf_adds(b, ",\"format\":");
        sl_buf_json_cstr(b, f->format);
    }
    if (f->true_values) strs_json(b, "trueValues", f->true_values, f->ntrue);
    if (f->false_values) strs_json(b, "falseValues", f->false_values, f->nfalse);
    if (f->decimal_char) {
        sl_buf_adds(b, ",\"decimalChar\":");
        sl_buf_json_cstr(b, f->decimal_char);
    }
    if (f->group_char) {
        sl_buf_adds(b, ",\"groupChar\":");
        sl_buf_json_cstr(b, f->group_char);
    }
    if (!f->bare_number) sl_buf_adds(b, ",\"bareNumber\":false");
    if (f->required || (r && (r->unique || r->min_raw || r->max_raw || r->min_len >= 0 ||
                              r->max_len >= 0 || r->pattern || r->nenum))) {
        sl_buf_adds(b, ",\"constraints\":{");
#define SEP() sl_buf_adds(b, any++ ? "," : "")
        if (f->required) SEP(), sl_buf_adds(b, "\"required\":true");
        if (r && r->unique) SEP(), sl_buf_adds(b, "\"unique\":true");
        if (r && r->min_raw) SEP(), sl_buf_addf(b, "\"minimum\":%s", r->min_raw);
        if (r && r->max_raw) SEP(), sl_buf_addf(b, "\"maximum\":%s", r->max_raw);
        if (r && r->min_len >= 0)
            SEP(), sl_buf_addf(b, "\"minLength\":%lld", (long long)r->min_len);
        if (r && r->max_len >= 0)
            SEP(), sl_buf_addf(b, "\"maxLength\":%lld", (long long)r->max_len);
        if (r && r->pattern) {
            SEP();
            sl_buf_adds(b, "\"pattern\":");
            sl_buf_json_cstr(b, r->pattern);
        }
        if (r && r->nenum) {
            SEP();
            sl_buf_adds(b, "\"enum\":[");
            for (size_t i = 0; i < r->nenum; i++)
                sl_buf_addf(b, "%s%s", i ? "," : "", r->enum_raw[i]);
            sl_buf_addc(b, ']');
        }
#undef SEP
        sl_buf_addc(b, '}');
    }
    if (f->x_format || (r && r->severity_set)) {
        int n = 0;
        sl_buf_adds(b, ",\"x-sluice\":{");
        if (f->x_format) {
            sl_buf_adds(b, "\"format\":");
            sl_buf_json_cstr(b, f->x_format);
            n++;
        }
        if (r && r->severity_set) {
            sl_buf_adds(b, n ? ",\"severity\":{" : "\"severity\":{");
            sl_buf_addf(b, "\"format\":\"%s\"",
                        f->format_severity == SL_ROW_WARNING ? "warning" : "error");
            for (int c = 0; c < SL_C_COUNT; c++)
                sl_buf_addf(b, ",\"%s\":\"%s\"", constraint_names[c],
                            r->severity[c] == SL_ROW_WARNING ? "warning" : "error");
            sl_buf_addc(b, '}');
        }
        sl_buf_addc(b, '}');
    }
}

void sl__schema_checks_json(const struct sl_schema *s, struct sl_buf *b)
{
    if (s->nfkeys) {
        sl_buf_adds(b, ",\"foreignKeys\":[");
        for (size_t i = 0; i < s->nfkeys; i++) {
            const struct sl_fkey *k = &s->fkeys[i];
            sl_buf_adds(b, i ? ",{\"fields\":[" : "{\"fields\":[");
            for (size_t f = 0; f < k->n; f++) {
                if (f) sl_buf_addc(b, ',');
                sl_buf_json_cstr(b, k->fields[f]);
            }
            sl_buf_adds(b, "],\"reference\":{\"resource\":");
            sl_buf_json_cstr(b, k->resource);
            strs_json(b, "fields", k->ref_fields, k->n);
            sl_buf_adds(b, "}}");
        }
        sl_buf_addc(b, ']');
    }
    if (s->nrules || s->pk_severity == SL_ROW_WARNING) {
        sl_buf_adds(b, ",\"x-sluice\":{");
        if (s->pk_severity == SL_ROW_WARNING)
            sl_buf_adds(b, "\"primaryKey\":{\"severity\":\"warning\"}");
        if (s->nrules) {
            sl_buf_adds(b, s->pk_severity == SL_ROW_WARNING ? ",\"rules\":[" : "\"rules\":[");
            for (size_t i = 0; i < s->nrules; i++) {
                const struct sl_rule *r = &s->rules[i];
                sl_buf_adds(b, i ? ",{\"name\":" : "{\"name\":");
                sl_buf_json_cstr(b, r->name);
                if (r->check) {
                    sl_buf_adds(b, ",\"check\":");
                    sl_buf_json_cstr(b, r->check);
                }
                if (r->req_field) {
                    sl_buf_adds(b, ",\"required_if\":{\"field\":");
                    sl_buf_json_cstr(b, r->req_field);
                    sl_buf_adds(b, ",\"when\":");
                    sl_buf_json_cstr(b, r->when);
                    sl_buf_addc(b, '}');
                }
                if (r->message) {
                    sl_buf_adds(b, ",\"message\":");
                    sl_buf_json_cstr(b, r->message);
                }
                sl_buf_addf(b, ",\"severity\":\"%s\"}",
                            r->severity == SL_ROW_WARNING ? "warning" : "error");
            }
            sl_buf_addc(b, ']');
        }
        sl_buf_addc(b, '}');
    }
}

/* ---- copying ------------------------------------------------------------------------------ */

void sl_field_copy_rules(struct sl_field *dst, const struct sl_field *src)
{
    struct sl_buf j = SL_BUF_INIT;
    struct sl_doc d;
    struct sl_error err;
    struct sl_schema tmp;
    char *name = dst->name, *label = dst->label;
    int type = dst->type;

    /* through the JSON form: one parser for files, the catalog and copies */
    sl_buf_adds(&j, "{");
    sl__field_json(src, &j);
    if (j.len > 1) j.p[1] = ' '; /* the leading comma */
    sl_buf_addc(&j, '}');
    dst->name = dst->label = NULL;
    sl__field_free(dst);
    dst->name = name;
    dst->label = label;
    dst->type = src->type;
    dst->bare_number = 1;
    dst->required = 0;
    dst->format_severity = SL_ROW_INVALID;
    memset(&tmp, 0, sizeof tmp);
    tmp.fields = dst;
    tmp.nfields = 1;
    if (!sl_doc_parse_json(&d, "field", j.p, j.len, &err)) {
        if (!sl__field_options(&tmp, 0, &d, d.root, "field", &err)) sl__schema_compile(&tmp, &err);
    }
    sl_doc_free(&d);
    dst->type = type;
    dst->required = src->required;
    sl_buf_free(&j);
}

int sl_schema_copy_checks(struct sl_schema *dst, const struct sl_schema *src, struct sl_error *err)
{
    struct sl_buf j = SL_BUF_INIT;
    struct sl_doc d;
    struct sl_error e2;
    int rc = 0;
    const struct sl_node *v;

    if (!err) err = &e2;
    sl__rules_free(dst->rules, dst->nrules);
    sl__fkeys_free(dst->fkeys, dst->nfkeys);
    dst->rules = NULL;
    dst->fkeys = NULL;
    dst->nrules = dst->nfkeys = 0;
    dst->pk_severity = src->pk_severity;
    if (!src->nrules && !src->nfkeys) return 0;
    sl_buf_adds(&j, "{\"_\":0");
    sl__schema_checks_json(src, &j);
    sl_buf_addc(&j, '}');
    if (!(rc = sl_doc_parse_json(&d, "schema", j.p, j.len, err))) {
        if ((v = sl_node_get(d.root, "foreignKeys"))) rc = sl__schema_fkeys(dst, &d, v, err);
        if (!rc && (v = sl_node_get(d.root, "x-sluice"))) rc = sl__schema_x_sluice(dst, &d, v, err);
        if (!rc) rc = sl__schema_compile(dst, err);
    }
    sl_doc_free(&d);
    sl_buf_free(&j);
    return rc;
}

void sl_schema_strip_checks(struct sl_schema *s)
{
    for (size_t i = 0; i < s->nfields; i++) {
        sl__field_rules_free(s->fields[i].rules);
        s->fields[i].rules = NULL;
        s->fields[i].required = 0;
    }
    sl__rules_free(s->rules, s->nrules);
    sl__fkeys_free(s->fkeys, s->nfkeys);
    s->rules = NULL;
    s->fkeys = NULL;
    s->nrules = s->nfkeys = 0;
}
