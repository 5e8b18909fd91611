/*
 * sluice diff: the silver states after two versions, compared. Each state is computed from
 * bronze (the replay set of "the active loads before V, and V"), not read from silver, so any
 * two versions compare, whatever is active now.
 *
 * A row is kept as its values in canonical JSON joined by \x1f (JSON never has a raw control
 * character), keyed by its primary key's values the same way; unkeyed rows are a multiset
 * counted by content. Both states are held in memory.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define SEP '\x1f'

struct state {
    const struct sl_schema *s;
    struct sl__table t;
    struct sl_buf key, row;
};

static int collect(void *ctx, const struct sl_load_info *load, struct sl_batch *b,
                   struct sl_error *err)
{
    struct state *st = ctx;
    (void)load, (void)err;
    for (size_t r = 0; r < b->nrows; r++) {
        const struct sl_row *row = &b->rows[r];
        struct sl__entry *e;
        sl_buf_reset(&st->row);
        for (size_t i = 0; i < st->s->nfields; i++) {
            if (i) sl_buf_addc(&st->row, SEP);
            sl__value_json(&st->row, &row->values[i]);
        }
        if (!st->s->npk) {
            e = sl__table_find(&st->t, sl_buf_str(&st->row), 1);
            if (!e->key) e->key = sl_xstrdup(sl_buf_str(&st->row));
            e->count++;
            continue;
        }
        sl__row_key(&st->key, st->s, row);
        e = sl__table_find(&st->t, sl_buf_str(&st->key), 1);
        if (!e->key) e->key = sl_xstrdup(sl_buf_str(&st->key));
        free(e->row);
        e->row = sl_xstrdup(sl_buf_str(&st->row)); /* upsert: the latest row wins */
        e->count = 1;
    }
    return 0;
}

static int state_after(struct sl_db *db, const char *source, const struct sl_schema *s,
                       const struct sl_load_info *loads, size_t n, int64_t v, struct state *st,
                       struct sl_error *err)
{
    int *active = sl_xcalloc(n + 1, sizeof *active);
    int64_t *ids = sl_xcalloc(n + 1, sizeof *ids);
    size_t k;
    int rc, found = 0;

    for (size_t i = 0; i < n; i++) {
        active[i] = (loads[i].active && loads[i].id < v) || loads[i].id == v;
        found |= loads[i].id == v && !strcmp(loads[i].status, "committed");
    }
    if (!found) {
        rc = sl_error_set(err, SL_EINVAL, "%s: load %lld is not a committed load of %s", source,
                          (long long)v, source);
    } else {
        k = sl_replay_set(loads, n, active, v, s, ids);
        st->s = s;
        rc = sl_replay(db, source, s, loads, n, ids, k, collect, st, err);
    }
    free(active);
    free(ids);
    return rc;
}

/* The n-th \x1f-separated part of a row. */
static const char *part(const char *row, size_t n, size_t *len)
{
    for (; n; n--) {
        row = strchr(row, SEP);
        if (!row) return *len = 0, "";
        row++;
    }
    const char *end = strchr(row, SEP);
    *len = end ? (size_t)(end - row) : strlen(row);
    return row;
}

static void row_object(struct sl_buf *b, const struct sl_schema *s, const char *row)
{
    sl_buf_addc(b, '{');
    for (size_t i = 0; i < s->nfields; i++) {
        size_t len;
        const char *p = part(row, i, &len);
        if (i) sl_buf_addc(b, ',');
        sl_buf_json_cstr(b, s->fields[i].name);
        sl_buf_addc(b, ':');
        sl_buf_add(b, p, len);
    }
    sl_buf_addc(b, '}');
}

static void key_object(struct sl_buf *b, const struct sl_schema *s, const char *key)
{
    sl_buf_addc(b, '{');
    for (size_t k = 0; k < s->npk; k++) {
        size_t len;
        const char *p = part(key, k, &len);
        if (k) sl_buf_addc(b, ',');
        sl_buf_json_cstr(b, s->fields[s->pk[k]].name);
        sl_buf_addc(b, ':');
        sl_buf_add(b, p, len);
    }
    sl_buf_addc(b, '}');
}

static void key_text(struct sl_buf *b, const struct sl_schema *s, const char *key)
{
    for (size_t k = 0; k < s->npk; k++) {
        size_t len;
        const char *p = part(key, k, &len);
        sl_buf_addf(b, "%s%s=%.*s", k ? " " : "", s->fields[s->pk[k]].name, (int)len, p);
    }
}

/* One difference, in the order of the sample. */
struct change {
    const char *key;
    const char *from, *to; /* rows (keyed) */
    int op;                /* '+', '-', '~' */
    int64_t count;         /* unkeyed: how many copies */
};

static int cmp_change(const void *a, const void *b)
{
    const struct change *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : x->op - y->op;
}

int sl_version_diff(struct sl_db *db, const char *source, int64_t v1, int64_t v2,
                    const struct sl_diff_opts *o, struct sl_buf *json, struct sl_buf *text,
                    struct sl_error *err)
{
    struct sl_source_state ss;
    struct sl_load_info *loads = NULL;
    struct state a, b;
    struct change *ch = NULL;
    size_t nloads = 0, nch = 0, cap = 0, sample = o && o->sample ? o->sample : 10;
    int64_t added = 0, removed = 0, changed = 0, *per_field = NULL;
    int rc;

    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    if ((rc = db->store->source_state(db, source, &ss, err))) return rc;
    if (!ss.exists) {
        rc = sl_error_set(err, SL_EINVAL, "no source '%s' in %s", source, db->url);
        goto out;
    }
    if ((rc = db->store->list_loads(db, source, &loads, &nloads, err))) goto out;
    if ((rc = state_after(db, source, ss.schema, loads, nloads, v1, &a, err))) goto out;
    if ((rc = state_after(db, source, ss.schema, loads, nloads, v2, &b, err))) goto out;

    per_field = sl_xcalloc(ss.schema->nfields + 1, sizeof *per_field);
    for (int pass = 0; pass < 2; pass++) {
        struct sl__table *t = pass ? &b.t : &a.t, *other = pass ? &a.t : &b.t;
        for (size_t i = 0; i < t->cap; i++) {
            struct sl__entry *e = &t->v[i], *f;
            struct change c = {0};
            if (!e->key) continue;
            f = sl__table_find(other, e->key, 0);
            if (ss.schema->npk) {
                if (f && pass) continue; /* seen from a */
                if (!f) {
                    c.op = pass ? '+' : '-';
                    pass ? added++ : removed++;
                    (pass ? &c.to : &c.from)[0] = e->row;
                } else if (strcmp(e->row, f->row)) {
                    c.op = '~';
                    changed++;
                    c.from = e->row;
                    c.to = f->row;
                    for (size_t k = 0; k < ss.schema->nfields; k++) {
                        size_t l1, l2;
                        const char *p1 = part(e->row, k, &l1), *p2 = part(f->row, k, &l2);
                        if (l1 != l2 || memcmp(p1, p2, l1)) per_field[k]++;
                    }
                } else {
                    continue;
                }
            } else {
                int64_t d = e->count - (f ? f->count : 0);
                if (d <= 0) continue;
                c.op = pass ? '+' : '-';
                c.count = d;
                pass ? (added += d) : (removed += d);
            }
            c.key = e->key;
            if (nch == cap) {
                cap = cap ? cap * 2 : 64;
                ch = sl_xrealloc(ch, cap * sizeof *ch);
            }
            ch[nch++] = c;
        }
    }
    if (nch) qsort(ch, nch, sizeof *ch, cmp_change);

    if (json) {
        int first = 1;
        sl_buf_adds(json, "{\"source\":");
        sl_buf_json_cstr(json, source);
        sl_buf_addf(json,
                    ",\"from\":%lld,\"to\":%lld,\"keyed\":%s,\"added\":%lld,\"removed\":%lld,"
                    "\"changed\":%lld,\"fields\":{",
                    (long long)v1, (long long)v2, ss.schema->npk ? "true" : "false",
                    (long long)added, (long long)removed, (long long)changed);
        for (size_t k = 0; k < ss.schema->nfields; k++) {
            if (!per_field[k]) continue;
            if (!first) sl_buf_addc(json, ',');
            first = 0;
            sl_buf_json_cstr(json, ss.schema->fields[k].name);
            sl_buf_addf(json, ":%lld", (long long)per_field[k]);
        }
        sl_buf_adds(json, "},\"sample\":[");
        for (size_t i = 0; i < nch && i < sample; i++) {
            const struct change *c = &ch[i];
            sl_buf_addf(json, "%s{\"op\":\"%s\"", i ? "," : "",
                        c->op == '+'   ? "added"
                        : c->op == '-' ? "removed"
                                       : "changed");
            if (ss.schema->npk) {
                sl_buf_adds(json, ",\"key\":");
                key_object(json, ss.schema, c->key);
                if (c->op == '~') {
                    sl_buf_adds(json, ",\"fields\":{");
                    first = 1;
                    for (size_t k = 0; k < ss.schema->nfields; k++) {
                        size_t l1, l2;
                        const char *p1 = part(c->from, k, &l1), *p2 = part(c->to, k, &l2);
                        if (l1 == l2 && !memcmp(p1, p2, l1)) continue;
                        if (!first) sl_buf_addc(json, ',');
                        first = 0;
                        sl_buf_json_cstr(json, ss.schema->fields[k].name);
                        sl_buf_adds(json, ":{\"from\":");
                        sl_buf_add(json, p1, l1);
                        sl_buf_adds(json, ",\"to\":");
                        sl_buf_add(json, p2, l2);
                        sl_buf_addc(json, '}');
                    }
                    sl_buf_addc(json, '}');
                } else {
                    sl_buf_adds(json, ",\"row\":");
                    row_object(json, ss.schema, c->op == '+' ? c->to : c->from);
                }
            } else {
                sl_buf_addf(json, ",\"count\":%lld,\"row\":", (long long)c->count);
                row_object(json, ss.schema, c->key);
            }
            sl_buf_addc(json, '}');
        }
        sl_buf_adds(json, "]}\n");
    }
    if (text) {
        int first = 1;
        sl_buf_addf(text, "%s: from load %lld to load %lld: %lld %s added, %lld removed", source,
                    (long long)v1, (long long)v2, (long long)added,
                    ss.schema->npk ? "keys" : "rows", (long long)removed);
        if (ss.schema->npk) sl_buf_addf(text, ", %lld changed", (long long)changed);
        sl_buf_addc(text, '\n');
        for (size_t k = 0; k < ss.schema->nfields; k++) {
            if (!per_field[k]) continue;
            sl_buf_addf(text, "%s%s %lld", first ? "changed fields: " : ", ",
                        ss.schema->fields[k].name, (long long)per_field[k]);
            first = 0;
        }
        if (!first) sl_buf_addc(text, '\n');
        for (size_t i = 0; i < nch && i < sample; i++) {
            const struct change *c = &ch[i];
            sl_buf_addf(text, "  %c ", c->op);
            if (!ss.schema->npk) {
                row_object(text, ss.schema, c->key);
                if (c->count > 1) sl_buf_addf(text, " (x%lld)", (long long)c->count);
            } else if (c->op == '~') {
                key_text(text, ss.schema, c->key);
                sl_buf_adds(text, ":");
                for (size_t k = 0; k < ss.schema->nfields; k++) {
                    size_t l1, l2;
                    const char *p1 = part(c->from, k, &l1), *p2 = part(c->to, k, &l2);
                    if (l1 == l2 && !memcmp(p1, p2, l1)) continue;
                    sl_buf_addf(text, " %s %.*s -> %.*s", ss.schema->fields[k].name, (int)l1, p1,
                                (int)l2, p2);
                }
            } else {
                key_text(text, ss.schema, c->key);
                sl_buf_adds(text, " ");
                row_object(text, ss.schema, c->op == '+' ? c->to : c->from);
            }
            sl_buf_addc(text, '\n');
        }
        if (nch > sample)
            sl_buf_addf(text, "  ... %zu more (--sample N shows more)\n", nch - sample);
    }
out:
    free(ch);
    free(per_field);
    sl__table_free(&a.t);
    sl__table_free(&b.t);
    sl_buf_free(&a.key);
    sl_buf_free(&a.row);
    sl_buf_free(&b.key);
    sl_buf_free(&b.row);
    sl_load_infos_free(loads, nloads);
    sl_source_state_free(&ss);
    return rc;
}
