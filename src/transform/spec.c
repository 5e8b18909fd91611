/*
 * The transforms of a source: parsed from sluice.yaml, or from the resolved JSON a load
 * recorded, by one parser over document nodes (so both are checked the same way), and
 * written back as that JSON.
 *
 *   transforms:
 *     - trim: [name, email]
 *     - unit: weight
 *       unit_field: weight_unit
 *       to: kg
 *
 * Each item is a mapping: one key names the transform and holds its field(s); the other keys
 * are its options.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/time.h"
#include <strings.h>

#include "internal.h"

const char *const sl__tf_names[] = {
    "trim",   "lower", "upper", "collapse_whitespace", "normalize_email", "strip_html", "default",
    "rename", "cast",  "unit",  "timestamp",           "outliers",        "metadata",   NULL};

static const char *const opts_none[] = {NULL};
static const char *const opts_email[] = {"lowercase_local", "severity", NULL};
static const char *const opts_default[] = {"value", NULL};
static const char *const opts_rename[] = {"to", NULL};
static const char *const opts_cast[] = {"type", "severity", NULL};
static const char *const opts_unit[] = {"unit_field", "from", "to", "decimals", "severity", NULL};
static const char *const opts_ts[] = {"formats",     "timezone", "ambiguous",
                                      "nonexistent", "severity", NULL};
static const char *const opts_outliers[] = {"method", "min",    "max",      "threshold",
                                            "k",      "action", "severity", NULL};
static const char *const rec_outliers[] = {"low", "high", "n", "mean", "stddev", "q1", "q3", NULL};
static const char *const rec_metadata[] = {"loaded_at", "input", NULL};

static const char *const *kind_opts(int kind)
{
    switch (kind) {
    case TF_EMAIL: return opts_email;
    case TF_DEFAULT: return opts_default;
    case TF_RENAME: return opts_rename;
    case TF_CAST: return opts_cast;
    case TF_UNIT: return opts_unit;
    case TF_TIMESTAMP: return opts_ts;
    case TF_OUTLIERS: return opts_outliers;
    }
    return opts_none;
}

static const char *const metadata_names[] = {"_loaded_at", "_input", "_line", NULL};

struct parser {
    const struct sl_doc *d;
    struct sl_error *err;
    char what[200];
};

static int bad(struct parser *ps, const struct sl_node *n, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int bad(struct parser *ps, const struct sl_node *n, const char *key, const char *fmt, ...)
{
    char why[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return sl_error_set(ps->err, SL_ECONFIG, "%s:%d: %s%s%s: %s", ps->d->path, n ? n->line : 0,
                        ps->what, key ? "." : "", key ? key : "", why);
}

static int get_str(struct parser *ps, const struct sl_node *item, const char *key, char **out)
{
    const struct sl_node *n = sl_node_get(item, key);
    const char *s = sl_node_str(n);
    if (!n) return 0;
    if (!s || n->type != SL_NODE_SCALAR) return bad(ps, n, key, "expected a string");
    *out = sl_xstrdup(s);
    return 1;
}

static int get_num(struct parser *ps, const struct sl_node *item, const char *key, double *out)
{
    const struct sl_node *n = sl_node_get(item, key);
    const char *s = sl_node_str(n);
    char *end;
    if (!n) return 0;
    if (!s || !*s) return bad(ps, n, key, "expected a number");
    *out = strtod(s, &end);
    if (*end || !isfinite(*out)) return bad(ps, n, key, "expected a number, not '%s'", s);
    return 1;
}

static int get_choice(struct parser *ps, const struct sl_node *item, const char *key,
                      const char *const *choices, int *out)
{
    const struct sl_node *n = sl_node_get(item, key);
    const char *s = sl_node_str(n);
    if (!n) return 0;
    for (int i = 0; s && choices[i]; i++)
        if (!strcmp(s, choices[i])) {
            *out = i;
            return 1;
        }
    struct sl_buf l = SL_BUF_INIT;
    for (int i = 0; choices[i]; i++) sl_buf_addf(&l, "%s%s", i ? ", " : "", choices[i]);
    bad(ps, n, key, "expected one of: %s", l.p);
    sl_buf_free(&l);
    return SL_ECONFIG;
}

static const char *const severities[] = {"error", "warning", NULL};

static int read_step(struct parser *ps, const struct sl_node *item, int recorded,
                     struct tf_step *st)
{
    const char *const *opts;
    const char *allowed[32];
    size_t na = 0;
    const char **fields;
    int rc, kind = -1, sev;
    const struct sl_node *fnode = NULL;

    if (!item || item->type != SL_NODE_MAP)
        return bad(ps, item, NULL, "expected a mapping like {trim: name}");
    for (size_t i = 0; i < item->n; i++)
        for (int k = 0; sl__tf_names[k]; k++)
            if (!strcmp(item->keys[i]->text, sl__tf_names[k])) {
                if (kind >= 0)
                    return bad(ps, item->keys[i], NULL,
                               "two transforms in one item ('%s' and '%s'): one item each",
                               sl__tf_names[kind], sl__tf_names[k]);
                kind = k;
                fnode = item->items[i];
            }
    if (kind < 0) {
        /* says which key is unknown and which transform it may have meant */
        if ((rc = sl_node_check_keys(ps->d, item, ps->what, sl__tf_names, ps->err)) < 0) return rc;
        return bad(ps, item, NULL, "no transform named");
    }
    st->kind = kind;
    st->severity = SL_ROW_INVALID;
    allowed[na++] = sl__tf_names[kind];
    opts = kind_opts(kind);
    for (size_t i = 0; opts[i]; i++) allowed[na++] = opts[i];
    if (recorded && kind == TF_OUTLIERS)
        for (size_t i = 0; rec_outliers[i]; i++) allowed[na++] = rec_outliers[i];
    if (recorded && kind == TF_METADATA)
        for (size_t i = 0; rec_metadata[i]; i++) allowed[na++] = rec_metadata[i];
    allowed[na] = NULL;
    if ((rc = sl_node_check_keys(ps->d, item, ps->what, allowed, ps->err)) < 0) return rc;

    size_t nf = 0;
    if (!fnode || fnode->type == SL_NODE_NULL ||
        sl_node_want_strs(ps->d, fnode, ps->what, &fields, &nf, ps->err) < 0 || !nf)
        return bad(ps, fnode ? fnode : item, sl__tf_names[kind],
                   "expected the field (a name, or a list of names)");
    st->fields = sl_xcalloc(nf, sizeof *st->fields);
    st->nfields = nf; /* set first: a step given up half-way is freed whole */
    for (size_t i = 0; i < nf; i++) {
        if (!*fields[i]) return bad(ps, fnode, sl__tf_names[kind], "empty field name");
        st->fields[i] = sl_xstrdup(fields[i]);
    }
    if (nf > 1 &&
        (kind == TF_DEFAULT || kind == TF_RENAME || kind == TF_UNIT || kind == TF_OUTLIERS))
        return bad(ps, fnode, sl__tf_names[kind], "takes one field (one item per field)");
    if ((rc = get_choice(ps, item, "severity", severities, &sev)) < 0) return rc;
    if (rc)
        st->severity = sev ? SL_ROW_WARNING : SL_ROW_INVALID;
    else if (kind == TF_EMAIL)
        st->severity = SL_ROW_WARNING;

    switch (kind) {
    case TF_EMAIL: {
        const struct sl_node *n = sl_node_get(item, "lowercase_local");
        if (n && sl_node_want_bool(ps->d, n, ps->what, &st->lower_local, ps->err) < 0)
            return SL_ECONFIG;
        break;
    }
    case TF_DEFAULT: {
        const struct sl_node *n = sl_node_get(item, "value");
        if (!n || n->type != SL_NODE_SCALAR)
            return bad(ps, n ? n : item, "value", "expected the default value (a scalar)");
        st->value = sl_xstrdup(n->text);
        st->value_kind = SL_CELL_STRING;
        if (!n->quoted && n->json_type != SL_JSON_STRING) {
            struct sl_json_tok tok;
            struct sl_json_err je;
            if (!strcmp(n->text, "true"))
                st->value_kind = SL_CELL_TRUE;
            else if (!strcmp(n->text, "false"))
                st->value_kind = SL_CELL_FALSE;
            else if (n->len && sl_json_scan(n->text, n->len, 1, &tok, &je) == (long)n->len &&
                     tok.type == SL_JSON_NUMBER)
                st->value_kind = SL_CELL_NUMBER;
        }
        break;
    }
    case TF_RENAME:
        if ((rc = get_str(ps, item, "to", &st->to)) < 0) return rc;
        if (!rc || !*st->to) return bad(ps, item, "to", "missing: the new column name");
        if (!strcmp(st->to, "_load") || !strcmp(st->to, "_row"))
            return bad(ps, item, "to", "'%s' is a column sluice keeps itself", st->to);
        break;
    case TF_CAST: {
        char *t = NULL;
        if ((rc = get_str(ps, item, "type", &t)) < 0) return rc;
        st->type = t ? sl_type_parse(t) : -1;
        if (!t || st->type <= SL_TYPE_NULL) {
            rc = bad(ps, sl_node_get(item, "type") ? sl_node_get(item, "type") : item, "type",
                     "expected a Table Schema type (integer, number, boolean, date, datetime, "
                     "string, ...)%s",
                     t ? "" : " (missing)");
            free(t);
            return rc;
        }
        free(t);
        break;
    }
    case TF_UNIT: {
        char *s = NULL;
        if ((rc = get_str(ps, item, "unit_field", &st->unit_field)) < 0) return rc;
        if ((rc = get_str(ps, item, "to", &s)) < 0) return rc;
        if (!s) return bad(ps, item, "to", "missing: the unit to convert to (e.g. kg)");
        st->to_unit = sl_unit_find(s, strlen(s));
        if (!st->to_unit) {
            rc = bad(ps, sl_node_get(item, "to"), "to", "unknown unit '%s'", s);
            free(s);
            return rc;
        }
        free(s);
        s = NULL;
        if ((rc = get_str(ps, item, "from", &s)) < 0) return rc;
        if (s) {
            st->from_unit = sl_unit_find(s, strlen(s));
            if (!st->from_unit || strcmp(st->from_unit->dimension, st->to_unit->dimension)) {
                rc = bad(ps, sl_node_get(item, "from"), "from",
                         st->from_unit ? "'%s' is not a unit of %s" : "unknown unit '%s'", s,
                         st->to_unit->dimension);
                free(s);
                return rc;
            }
            free(s);
        }
        if (!st->unit_field && !st->from_unit)
            return bad(ps, item, NULL,
                       "a unit transform needs unit_field (the column with each row's unit) "
                       "or from (the unit of every value)");
        double dec;
        st->decimals = -1;
        if ((rc = get_num(ps, item, "decimals", &dec)) < 0) return rc;
        if (rc) {
            if (dec < 0 || dec > 15 || dec != floor(dec))
                return bad(ps, sl_node_get(item, "decimals"), "decimals", "expected 0..15");
            st->decimals = (int)dec;
        }
        break;
    }
    case TF_TIMESTAMP: {
        const struct sl_node *n = sl_node_get(item, "formats");
        const char **f;
        size_t k;
        static const char *const amb[] = {"earlier", "later", "error", NULL};
        static const char *const nonex[] = {"shift", "error", NULL};
        if (!n) {
            st->formats = sl_xcalloc(1, sizeof *st->formats);
            st->formats[0] = sl_xstrdup("iso8601");
            st->nformats = 1;
        } else {
            if (sl_node_want_strs(ps->d, n, ps->what, &f, &k, ps->err) < 0 || !k)
                return bad(ps, n, "formats", "expected a format or a list of them");
            st->formats = sl_xcalloc(k, sizeof *st->formats);
            for (size_t i = 0; i < k; i++) st->formats[i] = sl_xstrdup(f[i]);
            st->nformats = k;
            /* a format that cannot match anything is a mistake worth saying now */
            for (size_t i = 0; i < k; i++) {
                const char *p = f[i];
                if (!strcmp(p, "iso8601") || !strcmp(p, "epoch") || !strcmp(p, "epoch_ms"))
                    continue;
                for (; *p; p++)
                    if (*p == '%' && !strchr("YmdHMSfzbByepITF%", p[1] ? *++p : '?'))
                        return bad(ps, n, "formats", "'%s': unknown directive %%%c", f[i],
                                   *p ? *p : ' ');
            }
        }
        if ((rc = get_str(ps, item, "timezone", &st->zone)) < 0) return rc;
        if ((rc = get_choice(ps, item, "ambiguous", amb, &st->ambiguous)) < 0) return rc;
        if ((rc = get_choice(ps, item, "nonexistent", nonex, &st->nonexistent)) < 0) return rc;
        if (st->zone) {
            struct sl_tz *z;
            struct sl_error e2;
            if (sl_tz_open(st->zone, &z, &e2))
                return bad(ps, sl_node_get(item, "timezone"), "timezone", "%s", e2.msg);
            sl_tz_free(z);
        }
        break;
    }
    case TF_OUTLIERS: {
        static const char *const methods[] = {"range", "zscore", "iqr", NULL};
        static const char *const actions[] = {"flag", "clip", "quarantine", NULL};
        double v;
        st->method = -1;
        if ((rc = get_choice(ps, item, "method", methods, &st->method)) < 0) return rc;
        if (!rc) return bad(ps, item, "method", "missing: range, zscore or iqr");
        st->action = -1;
        if ((rc = get_choice(ps, item, "action", actions, &st->action)) < 0) return rc;
        if (!rc) return bad(ps, item, "action", "missing: flag, clip or quarantine");
        if ((rc = get_num(ps, item, "min", &st->lo)) < 0) return rc;
        st->has_lo = rc;
        if ((rc = get_num(ps, item, "max", &st->hi)) < 0) return rc;
        st->has_hi = rc;
        if (st->method == OUT_RANGE) {
            if (!st->has_lo && !st->has_hi)
                return bad(ps, item, NULL, "method range needs min, max or both");
            if (st->has_lo && st->has_hi && st->lo > st->hi)
                return bad(ps, item, "min", "is above max");
            st->resolved = 1;
        } else if (st->has_lo || st->has_hi) {
            return bad(ps, item, st->has_lo ? "min" : "max", "only with method: range");
        }
        st->threshold = st->method == OUT_ZSCORE ? 3 : 1.5;
        if (st->method != OUT_ZSCORE && sl_node_get(item, "threshold"))
            return bad(ps, sl_node_get(item, "threshold"), "threshold", "only with method: zscore");
        if (st->method != OUT_IQR && sl_node_get(item, "k"))
            return bad(ps, sl_node_get(item, "k"), "k", "only with method: iqr");
        if ((rc = get_num(ps, item, st->method == OUT_IQR ? "k" : "threshold", &v)) < 0) return rc;
        if (rc) {
            if (v <= 0) return bad(ps, item, NULL, "the threshold must be above 0");
            st->threshold = v;
        }
        if (recorded && st->method != OUT_RANGE && sl_node_get(item, "n")) {
            double n = 0;
            st->resolved = 1;
            if (get_num(ps, item, "n", &n) < 0) return SL_ECONFIG;
            st->nstats = (int64_t)n;
            if ((rc = get_num(ps, item, "low", &st->lo)) < 0) return rc;
            st->has_lo = rc;
            if ((rc = get_num(ps, item, "high", &st->hi)) < 0) return rc;
            st->has_hi = rc;
            if (get_num(ps, item, "mean", &st->mean) < 0 ||
                get_num(ps, item, "stddev", &st->sd) < 0 || get_num(ps, item, "q1", &st->q1) < 0 ||
                get_num(ps, item, "q3", &st->q3) < 0)
                return SL_ECONFIG;
        }
        break;
    }
    case TF_METADATA:
        for (size_t i = 0; i < st->nfields; i++) {
            int ok = 0;
            for (int k = 0; metadata_names[k]; k++) ok |= !strcmp(st->fields[i], metadata_names[k]);
            if (!ok)
                return bad(ps, fnode, "metadata",
                           "unknown metadata column '%s' (known: _loaded_at, _input, _line; "
                           "_load is always there)",
                           st->fields[i]);
        }
        if (recorded) {
            if ((rc = get_str(ps, item, "loaded_at", &st->loaded_at)) < 0) return rc;
            if ((rc = get_str(ps, item, "input", &st->input)) < 0) return rc;
        }
        break;
    }
    return 0;
}

static void step_free(struct tf_step *st)
{
    for (size_t i = 0; i < st->nfields; i++) free(st->fields[i]);
    free(st->fields);
    for (size_t i = 0; i < st->nformats; i++) free(st->formats[i]);
    free(st->formats);
    free(st->value);
    free(st->to);
    free(st->unit_field);
    free(st->zone);
    free(st->loaded_at);
    free(st->input);
}

void sl_transforms_free(struct sl_transforms *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->n; i++) step_free(&t->v[i]);
    free(t->v);
    free(t);
}

size_t sl_transforms_count(const struct sl_transforms *t)
{
    return t ? t->n : 0;
}

int sl_transforms_parse(const struct sl_doc *d, const struct sl_node *list, const char *what,
                        int recorded, struct sl_transforms **out, struct sl_error *err)
{
    struct parser ps = {d, err, ""};
    struct sl_transforms *t = sl_xcalloc(1, sizeof *t);
    int rc = 0;

    *out = NULL;
    if (list && list->type == SL_NODE_NULL) list = NULL;
    if (list && list->type != SL_NODE_SEQ) {
        snprintf(ps.what, sizeof ps.what, "%s", what);
        rc = bad(&ps, list, NULL, "expected a list of transforms (- trim: name)");
        goto out;
    }
    t->v = sl_xcalloc(list && list->n ? list->n : 1, sizeof *t->v);
    for (size_t i = 0; list && i < list->n; i++) {
        snprintf(ps.what, sizeof ps.what, "%s[%zu]", what, i);
        t->n++;
        if ((rc = read_step(&ps, list->items[i], recorded, &t->v[i])) < 0) goto out;
    }
out:
    if (rc < 0) {
        sl_transforms_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

int sl_transforms_from_json(const char *json, struct sl_transforms **out, struct sl_error *err)
{
    struct sl_doc d;
    int rc = sl_doc_parse_json(&d, "recorded transforms", json, strlen(json), err);
    if (rc == 0) rc = sl_transforms_parse(&d, sl_node_get(d.root, "steps"), "steps", 1, out, err);
    sl_doc_free(&d);
    return rc;
}

struct sl_transforms *sl_transforms_copy(const struct sl_transforms *t)
{
    struct sl_buf b = SL_BUF_INIT;
    struct sl_transforms *c = NULL;
    struct sl_error err;

    if (!t) return NULL;
    /* through the recorded form: one way to build steps, so a copy cannot miss a field */
    sl_buf_adds(&b, "{\"steps\":[");
    for (size_t i = 0; i < t->n; i++) {
        if (i) sl_buf_addc(&b, ',');
        sl__tf_step_json(&t->v[i], &b);
    }
    sl_buf_adds(&b, "]}");
    if (sl_transforms_from_json(b.p, &c, &err)) {
        sl_log(SL_LOG_ERROR, "copying transforms: %s", err.msg);
        abort(); /* what the parser wrote it must read back */
    }
    sl_buf_free(&b);
    return c;
}

/* ---- writing the resolved steps ---------------------------------------------------------- */

static void add_key_num(struct sl_buf *b, const char *key, double v)
{
    sl_buf_addf(b, ",\"%s\":", key);
    sl_buf_json_double(b, v);
}

static void add_key_str(struct sl_buf *b, const char *key, const char *v)
{
    if (!v) return;
    sl_buf_addf(b, ",\"%s\":", key);
    sl_buf_json_cstr(b, v);
}

void sl__tf_step_json(const struct tf_step *st, struct sl_buf *b)
{
    static const char *const methods[] = {"range", "zscore", "iqr"};
    static const char *const actions[] = {"flag", "clip", "quarantine"};
    static const char *const amb[] = {"earlier", "later", "error"};
    static const char *const nonex[] = {"shift", "error"};

    sl_buf_addf(b, "{\"%s\":", sl__tf_names[st->kind]);
    if (st->nfields == 1) {
        sl_buf_json_cstr(b, st->fields[0]);
    } else {
        sl_buf_addc(b, '[');
        for (size_t i = 0; i < st->nfields; i++) {
            if (i) sl_buf_addc(b, ',');
            sl_buf_json_cstr(b, st->fields[i]);
        }
        sl_buf_addc(b, ']');
    }
    int fallible = st->kind == TF_EMAIL || st->kind == TF_CAST || st->kind == TF_UNIT ||
                   st->kind == TF_TIMESTAMP || st->kind == TF_OUTLIERS;
    switch (st->kind) {
    case TF_EMAIL:
        if (st->lower_local) sl_buf_adds(b, ",\"lowercase_local\":true");
        break;
    case TF_DEFAULT:
        sl_buf_adds(b, ",\"value\":");
        if (st->value_kind == SL_CELL_STRING)
            sl_buf_json_cstr(b, st->value);
        else
            sl_buf_adds(b, st->value);
        break;
    case TF_RENAME: add_key_str(b, "to", st->to); break;
    case TF_CAST: add_key_str(b, "type", sl_type_name(st->type)); break;
    case TF_UNIT:
        add_key_str(b, "unit_field", st->unit_field);
        add_key_str(b, "from", st->from_unit ? st->from_unit->name : NULL);
        add_key_str(b, "to", st->to_unit->name);
        if (st->decimals >= 0) sl_buf_addf(b, ",\"decimals\":%d", st->decimals);
        break;
    case TF_TIMESTAMP:
        sl_buf_adds(b, ",\"formats\":[");
        for (size_t i = 0; i < st->nformats; i++) {
            if (i) sl_buf_addc(b, ',');
            sl_buf_json_cstr(b, st->formats[i]);
        }
        sl_buf_addc(b, ']');
        add_key_str(b, "timezone", st->zone);
        add_key_str(b, "ambiguous", amb[st->ambiguous]);
        add_key_str(b, "nonexistent", nonex[st->nonexistent]);
        break;
    case TF_OUTLIERS:
        add_key_str(b, "method", methods[st->method]);
        add_key_str(b, "action", actions[st->action]);
        if (st->method == OUT_RANGE) {
            if (st->has_lo) add_key_num(b, "min", st->lo);
            if (st->has_hi) add_key_num(b, "max", st->hi);
            break;
        }
        add_key_num(b, st->method == OUT_IQR ? "k" : "threshold", st->threshold);
        if (!st->resolved) break;
        sl_buf_addf(b, ",\"n\":%lld", (long long)st->nstats);
        if (st->method == OUT_ZSCORE) {
            add_key_num(b, "mean", st->mean);
            add_key_num(b, "stddev", st->sd);
        } else {
            add_key_num(b, "q1", st->q1);
            add_key_num(b, "q3", st->q3);
        }
        if (st->has_lo) add_key_num(b, "low", st->lo);
        if (st->has_hi) add_key_num(b, "high", st->hi);
        break;
    case TF_METADATA:
        add_key_str(b, "loaded_at", st->loaded_at);
        add_key_str(b, "input", st->input);
        break;
    }
    if (fallible) add_key_str(b, "severity", st->severity == SL_ROW_WARNING ? "warning" : "error");
    sl_buf_addc(b, '}');
}
