/* A string hash table and canonical values for diffs and key sets (src/version/internal.h). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void table_grow(struct sl__table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    struct sl__table nt = {sl_xcalloc(cap, sizeof(struct sl__entry)), cap, 0};
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->v[i].key) continue;
        struct sl__entry *e = sl__table_find(&nt, t->v[i].key, 1);
        *e = t->v[i];
    }
    free(t->v);
    *t = nt;
}

struct sl__entry *sl__table_find(struct sl__table *t, const char *key, int insert)
{
    if (insert && (t->n + 1) * 2 > t->cap) table_grow(t);
    if (!t->cap) return NULL;
    for (size_t i = hash_str(key) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        struct sl__entry *e = &t->v[i];
        if (!e->key) {
            if (!insert) return NULL;
            t->n++;
            return e;
        }
        if (!strcmp(e->key, key)) return e;
    }
}

void sl__table_free(struct sl__table *t)
{
    for (size_t i = 0; i < t->cap; i++) {
        free(t->v[i].key);
        free(t->v[i].row);
    }
    free(t->v);
    memset(t, 0, sizeof *t);
}

void sl__value_json(struct sl_buf *b, const struct sl_value *v)
{
    switch (v->type) {
    case SL_V_INT: sl_buf_add_i64(b, v->u.i); break;
    case SL_V_REAL: sl_buf_json_double(b, v->u.d); break;
    case SL_V_TEXT: sl_buf_json_str(b, v->u.s, v->len); break;
    case SL_V_BOOL: sl_buf_adds(b, v->u.i ? "true" : "false"); break;
    default: sl_buf_adds(b, "null");
    }
}

void sl__row_key(struct sl_buf *b, const struct sl_schema *s, const struct sl_row *r)
{
    sl_buf_reset(b);
    for (size_t k = 0; k < s->npk; k++) {
        if (k) sl_buf_addc(b, '\x1f');
        sl__value_json(b, &r->values[s->pk[k]]);
    }
}
