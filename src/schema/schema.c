/* The schema model: fields and types, Table Schema in and out, merging for schema evolution. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks.h"
#include "sluice/json.h"
#include "sluice/schema.h"

static const struct {
    const char *name, *sql;
} types[SL_TYPE_COUNT] = {
    [SL_TYPE_NULL] = {"null", "TEXT"},
    [SL_TYPE_BOOLEAN] = {"boolean", "BOOLEAN"},
    [SL_TYPE_INTEGER] = {"integer", "INTEGER"},
    [SL_TYPE_NUMBER] = {"number", "REAL"},
    [SL_TYPE_DATE] = {"date", "DATE"},
    [SL_TYPE_DATETIME] = {"datetime", "DATETIME"},
    [SL_TYPE_TIME] = {"time", "TIME"},
    [SL_TYPE_YEAR] = {"year", "INTEGER"},
    [SL_TYPE_YEARMONTH] = {"yearmonth", "TEXT"},
    [SL_TYPE_STRING] = {"string", "TEXT"},
    [SL_TYPE_OBJECT] = {"object", "JSON"},
    [SL_TYPE_ARRAY] = {"array", "JSON"},
    [SL_TYPE_ANY] = {"any", ""},
    [SL_TYPE_DURATION] = {"duration", "TEXT"},
    [SL_TYPE_GEOPOINT] = {"geopoint", "TEXT"},
};

const char *sl_type_name(int type)
{
    return type >= 0 && type < SL_TYPE_COUNT ? types[type].name : "?";
}

int sl_type_parse(const char *name)
{
    for (int t = SL_TYPE_BOOLEAN; t < SL_TYPE_COUNT; t++)
        if (!strcmp(types[t].name, name)) return t;
    return -1;
}

const char *sl_type_sql(int type)
{
    return type >= 0 && type < SL_TYPE_COUNT ? types[type].sql : "TEXT";
}

struct sl_schema *sl_schema_new(void)
{
    struct sl_schema *s = sl_xcalloc(1, sizeof *s);
    s->missing = sl_xmalloc(sizeof *s->missing);
    s->missing[0] = sl_xstrdup("");
    s->nmissing = 1;
    s->pk_severity = SL_ROW_INVALID;
    return s;
}

void sl_schema_free(struct sl_schema *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->nfields; i++) sl__field_free(&s->fields[i]);
    sl__rules_free(s->rules, s->nrules);
    sl__fkeys_free(s->fkeys, s->nfkeys);
    for (size_t i = 0; i < s->nmissing; i++) free(s->missing[i]);
    free(s->fields);
    free(s->missing);
    free(s->pk);
    free(s->path);
    free(s->index);
    free(s);
}

static size_t name_hash(const char *s)
{
    size_t h = 1469598103934665603u; /* FNV-1a over the lower-cased name */
    for (; *s; s++) h = (h ^ (unsigned char)tolower((unsigned char)*s)) * 1099511628211u;
    return h;
}

/* Adds field k to the index unless a field of exactly that name is there already. */
static void index_put(struct sl_schema *s, size_t k)
{
    size_t i = name_hash(s->fields[k].name) & s->index_mask;
    for (; s->index[i]; i = (i + 1) & s->index_mask)
        if (!strcmp(s->fields[s->index[i] - 1].name, s->fields[k].name)) return;
    s->index[i] = (uint32_t)k + 1;
}

static void index_grow(struct sl_schema *s)
{
    size_t nslots = s->index ? 2 * (s->index_mask + 1) : 64;
    while (nslots < 2 * (s->nfields + 1)) nslots *= 2;
    free(s->index);
    s->index = sl_xcalloc(nslots, sizeof *s->index);
    s->index_mask = nslots - 1;
    for (size_t k = 0; k < s->nfields; k++) index_put(s, k);
}

int sl_schema_add(struct sl_schema *s, const char *name, const char *label, int type)
{
    /* the capacity is nfields rounded up to a power of two (fields only grow here): adding
     * 100 000 fields one by one must not copy the array 100 000 times */
    if ((s->nfields & (s->nfields - 1)) == 0)
        s->fields = sl_xrealloc(s->fields, (s->nfields ? 2 * s->nfields : 1) * sizeof *s->fields);
    struct sl_field *f = &s->fields[s->nfields];
    memset(f, 0, sizeof *f);
    f->name = sl_xstrdup(name);
    f->label = sl_xstrdup(label ? label : name);
    f->type = type;
    f->bare_number = 1;
    f->format_severity = SL_ROW_INVALID;
    s->nfields++;
    if (!s->index || 2 * s->nfields > s->index_mask + 1)
        index_grow(s);
    else
        index_put(s, s->nfields - 1);
    return (int)s->nfields - 1;
}

struct sl_schema *sl_schema_copy(const struct sl_schema *s)
{
    struct sl_schema *c = sl_schema_new();
    for (size_t i = 0; i < s->nfields; i++) {
        int k = sl_schema_add(c, s->fields[i].name, s->fields[i].label, s->fields[i].type);
        sl_field_copy_rules(&c->fields[k], &s->fields[i]);
    }
    free(c->missing[0]);
    free(c->missing);
    c->missing = sl_xcalloc(s->nmissing ? s->nmissing : 1, sizeof *c->missing);
    for (size_t i = 0; i < s->nmissing; i++) c->missing[i] = sl_xstrdup(s->missing[i]);
    c->nmissing = s->nmissing;
    c->missing_declared = s->missing_declared;
    if (s->npk) {
        c->pk = sl_xmalloc(s->npk * sizeof *c->pk);
        memcpy(c->pk, s->pk, s->npk * sizeof *c->pk);
        c->npk = s->npk;
    }
    c->path = s->path ? sl_xstrdup(s->path) : NULL;
    c->pk_severity = s->pk_severity;
    if (sl_schema_copy_checks(c, s, NULL)) {
        /* cannot happen: s was valid and c has its fields */
    }
    return c;
}

int sl_schema_find(const struct sl_schema *s, const char *name)
{
    if (s->index) {
        long exact = -1, nocase = -1;
        for (size_t i = name_hash(name) & s->index_mask; s->index[i]; i = (i + 1) & s->index_mask) {
            long k = (long)s->index[i] - 1;
            const char *n = s->fields[k].name;
            if (!strcmp(n, name) && (exact < 0 || k < exact)) exact = k;
            if (!strcasecmp(n, name) && (nocase < 0 || k < nocase)) nocase = k;
        }
        return (int)(exact >= 0 ? exact : nocase);
    }
    for (size_t i = 0; i < s->nfields; i++)
        if (!strcmp(s->fields[i].name, name)) return (int)i;
    /* SQL names ignore case: "Name" in one file and "name" in the next are one column */
    for (size_t i = 0; i < s->nfields; i++)
        if (!strcasecmp(s->fields[i].name, name)) return (int)i;
    return -1;
}

int sl_schema_set_pk(struct sl_schema *s, const char *const *names, size_t n, struct sl_error *err)
{
    int *pk = sl_xmalloc((n ? n : 1) * sizeof *pk);
    for (size_t i = 0; i < n; i++) {
        pk[i] = sl_schema_find(s, names[i]);
        if (pk[i] < 0) {
            free(pk);
            return sl_error_set(err, SL_ECONFIG, "primary key field '%s' is not in the schema",
                                names[i]);
        }
    }
    free(s->pk);
    s->pk = pk;
    s->npk = n;
    return 0;
}

/* ---- Table Schema in ------------------------------------------------------------------ */

static int field_from_node(struct sl_schema *s, const struct sl_doc *d, const struct sl_node *n,
                           size_t idx, struct sl_error *err)
{
    static const char *const keys[] = {"name",        "type",        "format",      "title",
                                       "description", "example",     "constraints", "rdfType",
                                       "trueValues",  "falseValues", "decimalChar", "groupChar",
                                       "bareNumber",  "x-sluice",    NULL};
    char what[64];
    const char *name, *type = "string";
    int rc, t;

    snprintf(what, sizeof what, "fields[%zu]", idx);
    if (n->type != SL_NODE_MAP)
        return sl_error_set(err, SL_ECONFIG, "%s:%d: %s: expected a mapping with name and type",
                            d->path, n->line, what);
    if ((rc = sl_node_check_keys(d, n, what, keys, err))) return rc;
    if ((rc = sl_node_want_str(d, sl_node_get(n, "name"), what, &name, err))) return rc;
    if (sl_node_get(n, "type") &&
        (rc = sl_node_want_str(d, sl_node_get(n, "type"), what, &type, err)))
        return rc;
    t = sl_type_parse(type);
    if (t < 0)
        return sl_error_set(err, SL_ECONFIG,
                            "%s:%d: %s.type: unknown type '%s' (string, integer, number, boolean, "
                            "date, datetime, time, year, yearmonth, duration, object, array, "
                            "geopoint, any)",
                            d->path, sl_node_get(n, "type")->line, what, type);
    if (sl_schema_find(s, name) >= 0)
        return sl_error_set(err, SL_ECONFIG, "%s:%d: %s: field '%s' is declared twice", d->path,
                            n->line, what, name);
    int k = sl_schema_add(s, name, name, t);
    return sl__field_options(s, k, d, n, what, err);
}

int sl_schema_from_node(const struct sl_doc *d, const struct sl_node *n, struct sl_schema **out,
                        struct sl_error *err)
{
    static const char *const keys[] = {"fields",   "primaryKey", "missingValues", "foreignKeys",
                                       "$schema",  "name",       "title",         "description",
                                       "x-sluice", NULL};
    struct sl_schema *s = sl_schema_new();
    const struct sl_node *fields;
    const char **strs;
    size_t nstrs;
    int rc = 0;

    if (!n || n->type != SL_NODE_MAP) {
        rc =
            sl_error_set(err, SL_ECONFIG, "%s: a Table Schema is a mapping with 'fields'", d->path);
        goto out;
    }
    if ((rc = sl_node_check_keys(d, n, "schema", keys, err))) goto out;
    fields = sl_node_get(n, "fields");
    if (!fields || fields->type != SL_NODE_SEQ) {
        rc = sl_error_set(err, SL_ECONFIG, "%s:%d: fields: expected a list of fields", d->path,
                          fields ? fields->line : n->line);
        goto out;
    }
    for (size_t i = 0; i < fields->n; i++)
        if ((rc = field_from_node(s, d, fields->items[i], i, err))) goto out;
    if (sl_node_get(n, "missingValues")) {
        if ((rc = sl_node_want_strs(d, sl_node_get(n, "missingValues"), "missingValues", &strs,
                                    &nstrs, err)))
            goto out;
        for (size_t i = 0; i < s->nmissing; i++) free(s->missing[i]);
        free(s->missing);
        s->missing = sl_xcalloc(nstrs ? nstrs : 1, sizeof *s->missing);
        for (size_t i = 0; i < nstrs; i++) s->missing[i] = sl_xstrdup(strs[i]);
        s->nmissing = nstrs;
        s->missing_declared = 1;
    }
    if (sl_node_get(n, "primaryKey")) {
        if ((rc = sl_node_want_strs(d, sl_node_get(n, "primaryKey"), "primaryKey", &strs, &nstrs,
                                    err)))
            goto out;
        if ((rc = sl_schema_set_pk(s, strs, nstrs, err))) {
            sl_error_prefix(err, "%s:%d", d->path, sl_node_get(n, "primaryKey")->line);
            goto out;
        }
    }
    if (sl_node_get(n, "foreignKeys") &&
        (rc = sl__schema_fkeys(s, d, sl_node_get(n, "foreignKeys"), err)))
        goto out;
    if (sl_node_get(n, "x-sluice") &&
        (rc = sl__schema_x_sluice(s, d, sl_node_get(n, "x-sluice"), err)))
        goto out;
    if ((rc = sl__schema_compile(s, err))) goto out;
    s->path = sl_xstrdup(d->path);
out:
    if (rc) {
        sl_schema_free(s);
        s = NULL;
    }
    *out = s;
    return rc;
}

int sl_schema_load(const char *path, struct sl_schema **out, struct sl_error *err)
{
    struct sl_doc d;
    int rc;

    *out = NULL;
    if ((rc = sl_doc_load(&d, path, err))) {
        sl_doc_free(&d);
        return rc;
    }
    rc = sl_schema_from_node(&d, d.root, out, err);
    sl_doc_free(&d);
    return rc;
}

int sl_schema_from_json(const char *json, struct sl_schema **out, struct sl_error *err)
{
    struct sl_doc d;
    int rc;

    *out = NULL;
    if ((rc = sl_doc_parse_json(&d, "catalog schema", json, strlen(json), err))) {
        sl_doc_free(&d);
        return rc;
    }
    rc = sl_schema_from_node(&d, d.root, out, err);
    sl_doc_free(&d);
    return rc;
}

/* ---- Table Schema out ----------------------------------------------------------------- */

void sl_schema_to_json(const struct sl_schema *s, struct sl_buf *b)
{
    sl_buf_adds(b, "{\"fields\":[");
    for (size_t i = 0; i < s->nfields; i++) {
        const struct sl_field *f = &s->fields[i];
        if (i) sl_buf_addc(b, ',');
        sl_buf_adds(b, "{\"name\":");
        sl_buf_json_cstr(b, f->name);
        sl_buf_addf(b, ",\"type\":\"%s\"",
                    sl_type_name(f->type == SL_TYPE_NULL ? SL_TYPE_STRING : f->type));
        sl__field_json(f, b);
        sl_buf_addc(b, '}');
    }
    sl_buf_adds(b, "]");
    if (s->npk) {
        sl_buf_adds(b, ",\"primaryKey\":[");
        for (size_t i = 0; i < s->npk; i++) {
            if (i) sl_buf_addc(b, ',');
            sl_buf_json_cstr(b, s->fields[s->pk[i]].name);
        }
        sl_buf_addc(b, ']');
    }
    if (s->missing_declared || !(s->nmissing == 1 && !s->missing[0][0])) {
        sl_buf_adds(b, ",\"missingValues\":[");
        for (size_t i = 0; i < s->nmissing; i++) {
            if (i) sl_buf_addc(b, ',');
            sl_buf_json_cstr(b, s->missing[i]);
        }
        sl_buf_addc(b, ']');
    }
    sl__schema_checks_json(s, b);
    sl_buf_addc(b, '}');
}

/* YAML plain scalars that need no quotes: letters, digits, _ - . and spaces inside, and not a
 * word YAML would read as something else. Otherwise a JSON string, which YAML reads too. */
static void yaml_str(struct sl_buf *b, const char *s)
{
    static const char *const special[] = {"true", "false", "yes", "no", "on",
                                          "off",  "null",  "~",   NULL};
    int plain = *s && s[0] != ' ' && s[strlen(s) - 1] != ' ' && s[0] != '-';
    for (const char *p = s; *p && plain; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-' || *p == '.' || *p == ' '))
            plain = 0;
    if (plain && s[0] >= '0' && s[0] <= '9') plain = 0;
    for (int i = 0; plain && special[i]; i++)
        if (!strcasecmp(s, special[i])) plain = 0;
    if (plain)
        sl_buf_adds(b, s);
    else
        sl_buf_json_cstr(b, s);
}

void sl_schema_to_yaml(const struct sl_schema *s, struct sl_buf *b)
{
    sl_buf_adds(b, s->nfields ? "fields:\n" : "fields: []\n");
    for (size_t i = 0; i < s->nfields; i++) {
        const struct sl_field *f = &s->fields[i];
        sl_buf_adds(b, "  - name: ");
        yaml_str(b, f->name);
        sl_buf_addf(b, "\n    type: %s\n",
                    sl_type_name(f->type == SL_TYPE_NULL ? SL_TYPE_STRING : f->type));
        if (f->format) {
            sl_buf_adds(b, "    format: ");
            yaml_str(b, f->format);
            sl_buf_addc(b, '\n');
        }
        if (f->required) sl_buf_adds(b, "    constraints:\n      required: true\n");
    }
    if (s->npk) {
        sl_buf_adds(b, "primaryKey: [");
        for (size_t i = 0; i < s->npk; i++) {
            if (i) sl_buf_adds(b, ", ");
            yaml_str(b, s->fields[s->pk[i]].name);
        }
        sl_buf_adds(b, "]\n");
    }
    /* only when declared: a printed default would, read back, apply to JSON strings too */
    if (!s->missing_declared && s->nmissing == 1 && !s->missing[0][0]) return;
    sl_buf_adds(b, "missingValues: [");
    for (size_t i = 0; i < s->nmissing; i++) {
        if (i) sl_buf_adds(b, ", ");
        sl_buf_json_cstr(b, s->missing[i]);
    }
    sl_buf_adds(b, "]\n");
}

/* ---- evolution -------------------------------------------------------------------------- */

struct sl_schema *sl_schema_merge(const struct sl_schema *silver, const struct sl_schema *load,
                                  int *changed)
{
    struct sl_schema *m = sl_schema_copy(silver);

    *changed = 0;
    for (size_t i = 0; i < load->nfields; i++) {
        const struct sl_field *f = &load->fields[i];
        int k = sl_schema_find(m, f->name);
        if (k < 0) {
            sl_schema_add(m, f->name, f->label, f->type);
            if (*changed < 1) *changed = 1;
            continue;
        }
        int t = sl_type_merge(m->fields[k].type, f->type);
        if (t != m->fields[k].type) {
            /* the old checks were written for the old type */
            sl__field_rules_free(m->fields[k].rules);
            m->fields[k].rules = NULL;
            /* a column that held no value yet only needs its declared type changed, which in
             * SQLite also means a new table: rebuild either way */
            m->fields[k].type = t;
            *changed = 2;
        }
    }
    return m;
}
