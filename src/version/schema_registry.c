/*
 * The schema registry: each committed load records the silver schema it wrote with; a new
 * schema version begins whenever that schema's content (SHA-256 of its JSON) changes. Changes
 * are classified additive, widening or breaking.
 */
#include <stdlib.h>
#include <string.h>

#include "sluice/stream.h"
#include "sluice/version.h"

const char *sl_schema_change_name(int c)
{
    switch (c) {
    case SL_SCHEMA_ADDITIVE: return "additive";
    case SL_SCHEMA_WIDENING: return "widening";
    case SL_SCHEMA_BREAKING: return "breaking";
    }
    return "none";
}

static void why_add(struct sl_buf *why, const char *fmt, const char *a, const char *b,
                    const char *c)
{
    if (!why) return;
    if (why->len) sl_buf_adds(why, "; ");
    sl_buf_addf(why, fmt, a, b, c);
}

static int max(int a, int b)
{
    return a > b ? a : b;
}

int sl_schema_classify(const struct sl_schema *a, const struct sl_schema *b, struct sl_buf *why)
{
    int c = SL_SCHEMA_SAME;
    for (size_t i = 0; i < a->nfields; i++) {
        const struct sl_field *f = &a->fields[i];
        int k = sl_schema_find(b, f->name);
        if (k < 0) {
            c = SL_SCHEMA_BREAKING;
            why_add(why, "field %s removed", f->name, "", "");
            continue;
        }
        const struct sl_field *g = &b->fields[k];
        if (f->type != g->type) {
            int widened = sl_type_merge(f->type, g->type) == g->type;
            c = max(c, widened ? SL_SCHEMA_WIDENING : SL_SCHEMA_BREAKING);
            why_add(why, widened ? "%s widened from %s to %s" : "%s narrowed from %s to %s",
                    f->name, sl_type_name(f->type), sl_type_name(g->type));
        }
        if (!f->required && g->required) {
            c = SL_SCHEMA_BREAKING;
            why_add(why, "%s became required", f->name, "", "");
        }
    }
    for (size_t i = 0; i < b->nfields; i++) {
        const struct sl_field *g = &b->fields[i];
        if (sl_schema_find(a, g->name) >= 0) continue;
        c = max(c, g->required ? SL_SCHEMA_BREAKING : SL_SCHEMA_ADDITIVE);
        why_add(why, g->required ? "required field %s added" : "field %s added", g->name, "", "");
    }
    int same_pk = a->npk == b->npk;
    for (size_t k = 0; same_pk && k < a->npk; k++)
        same_pk = !strcmp(a->fields[a->pk[k]].name, b->fields[b->pk[k]].name);
    if (!same_pk) {
        c = SL_SCHEMA_BREAKING;
        why_add(why, "primary key changed", "", "", "");
    }
    return c;
}

struct version {
    int number;
    char hash[65];
    const char *json;
    int64_t first, last, nloads;
    int change;
    struct sl_buf why;
};

int sl_schema_registry(struct sl_db *db, const char *source, int history, int format,
                       struct sl_buf *out, struct sl_error *err)
{
    struct sl_load_info *loads = NULL;
    struct version *v = NULL;
    size_t n = 0, nv = 0;
    int rc;

    if ((rc = db->store->list_loads(db, source, &loads, &n, err))) return rc;
    v = sl_xcalloc(n + 1, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        char hash[65];
        if (strcmp(loads[i].status, "committed") || !loads[i].schema_json) continue;
        sl_sha256_hex(loads[i].schema_json, strlen(loads[i].schema_json), hash);
        if (nv && !strcmp(v[nv - 1].hash, hash)) {
            v[nv - 1].last = loads[i].id;
            v[nv - 1].nloads++;
            continue;
        }
        struct version *nvp = &v[nv++];
        nvp->number = (int)nv;
        memcpy(nvp->hash, hash, sizeof hash);
        nvp->json = loads[i].schema_json;
        nvp->first = nvp->last = loads[i].id;
        nvp->nloads = 1;
        if (nv > 1) {
            struct sl_schema *a = NULL, *b = NULL;
            if ((rc = sl_schema_from_json(v[nv - 2].json, &a, err)) ||
                (rc = sl_schema_from_json(nvp->json, &b, err))) {
                sl_schema_free(a);
                goto out;
            }
            nvp->change = sl_schema_classify(a, b, &nvp->why);
            sl_schema_free(a);
            sl_schema_free(b);
        }
    }
    if (!nv) {
        rc =
            sl_error_set(err, SL_EINVAL, "no committed load of source '%s' in %s", source, db->url);
        goto out;
    }
    size_t from = history ? 0 : nv - 1;
    if (format == 2) { /* yaml: the schema itself, as `sluice infer` prints it */
        struct sl_schema *s = NULL;
        if (history) {
            rc = sl_error_set(err, SL_EINVAL, "--history is shown as text or json, not yaml");
            goto out;
        }
        if ((rc = sl_schema_from_json(v[nv - 1].json, &s, err))) goto out;
        sl_schema_to_yaml(s, out);
        sl_schema_free(s);
    } else if (format == 1) {
        sl_buf_adds(out, "{\"source\":");
        sl_buf_json_cstr(out, source);
        sl_buf_addf(out, ",\"version\":%d,\"versions\":[", v[nv - 1].number);
        for (size_t i = from; i < nv; i++) {
            sl_buf_addf(out,
                        "%s{\"version\":%d,\"sha256\":\"%s\",\"first_load\":%lld,"
                        "\"last_load\":%lld,\"loads\":%lld,\"change\":",
                        i > from ? "," : "", v[i].number, v[i].hash, (long long)v[i].first,
                        (long long)v[i].last, (long long)v[i].nloads);
            if (i == 0)
                sl_buf_adds(out, "\"initial\"");
            else
                sl_buf_json_cstr(out, sl_schema_change_name(v[i].change));
            sl_buf_adds(out, ",\"why\":");
            sl_buf_json_cstr(out, v[i].why.len ? v[i].why.p : NULL);
            sl_buf_addf(out, ",\"schema\":%s}", v[i].json);
        }
        sl_buf_adds(out, "]}\n");
    } else {
        for (size_t i = from; i < nv; i++) {
            struct sl_schema *s = NULL;
            sl_buf_addf(out, "%s: schema version %d, loads %lld-%lld (%lld load%s), sha256 %.16s\n",
                        source, v[i].number, (long long)v[i].first, (long long)v[i].last,
                        (long long)v[i].nloads, v[i].nloads == 1 ? "" : "s", v[i].hash);
            if (i > 0)
                sl_buf_addf(out, "  change: %s (%s)\n", sl_schema_change_name(v[i].change),
                            v[i].why.len ? v[i].why.p : "constraints or formats");
            if ((rc = sl_schema_from_json(v[i].json, &s, err))) goto out;
            for (size_t f = 0; f < s->nfields; f++) {
                int pk = 0;
                for (size_t k = 0; k < s->npk; k++) pk |= (size_t)s->pk[k] == f;
                struct sl_buf name = SL_BUF_INIT; /* a schema file's name: escaped */
                sl_buf_add_shown(&name, s->fields[f].name);
                sl_buf_addf(out, "  %-20s %s%s%s\n", sl_buf_str(&name),
                            sl_type_name(s->fields[f].type), pk ? ", primary key" : "",
                            s->fields[f].required && !pk ? ", required" : "");
                sl_buf_free(&name);
            }
            sl_schema_free(s);
        }
    }
out:
    for (size_t i = 0; i < nv; i++) sl_buf_free(&v[i].why);
    free(v);
    sl_load_infos_free(loads, n);
    return rc;
}

int sl_schema_gate(const struct sl_schema *silver, const struct sl_schema *load, int allow,
                   struct sl_schema **merged, int *change, struct sl_error *err)
{
    struct sl_schema *next = sl_schema_copy(load);
    struct sl_buf why = SL_BUF_INIT;
    int rc = 0;

    /* a load that names no key keeps silver's */
    if (!next->npk && silver->npk) {
        const char **names = sl_xmalloc(silver->npk * sizeof *names);
        for (size_t k = 0; k < silver->npk; k++) names[k] = silver->fields[silver->pk[k]].name;
        rc = sl_schema_set_pk(next, names, silver->npk, err);
        free(names);
        if (rc) goto out;
    }
    if (sl_schema_classify(silver, next, &why) != SL_SCHEMA_BREAKING) goto out;
    if (!allow) {
        rc = sl_error_set(err, SL_ECONFIG,
                          "breaking schema change (%s): --allow-breaking applies it and rebuilds "
                          "silver from bronze",
                          why.p);
        goto out;
    }
    sl_schema_free(*merged);
    *merged = next;
    next = NULL;
    *change = 2;
out:
    sl_schema_free(next);
    sl_buf_free(&why);
    return rc;
}
