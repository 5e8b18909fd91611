/*
 * Checks that need more than one row: primary key and `unique` fields over the whole input
 * (an external key set, so memory does not grow with the input), `unique` against rows of
 * earlier loads in silver, and foreign keys (another source's silver table, or this input and
 * this source's silver for a self-reference). `check` and `load` share it, so they agree:
 * within one input a repeated primary key is a `primary-key` error and the first row wins;
 * a key already in silver from an earlier load is an update (counted in repeats), not an error.
 *
 * Rows that are invalid for other reasons do not claim keys or values.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sluice/keyset.h"

/* Spaces of the key set: 0 primary key, 1 + field index for unique fields, and
 * 1 + nfields + k for the referenced values of self-referencing foreign key k. */

int sl__keycheck_open(struct sl__keycheck *kc, const struct sl_schema *s, struct sl_db *db,
                      const char *source, struct sl_error *err)
{
    int need = s->npk > 0;
    memset(kc, 0, sizeof *kc);
    kc->s = s;
    kc->db = db;
    kc->source = source;
    for (size_t i = 0; i < s->nfields; i++)
        need |= s->fields[i].rules && s->fields[i].rules->unique;
    for (size_t k = 0; k < s->nfkeys; k++) need |= !*s->fkeys[k].resource;
    if (!need) return 0;
    /* SLUICE_KEYSET_MEMORY (bytes, k/M/G suffixes) changes the budget: tests use it to make
     * the disk path run on small inputs */
    const char *env = getenv("SLUICE_KEYSET_MEMORY");
    int64_t limit = env && *env ? sl_parse_size(env) : 0;
    return sl_keyset_open(&kc->ks, limit > 0 ? (size_t)limit : 0, err);
}

void sl__keycheck_close(struct sl__keycheck *kc)
{
    sl_keyset_close(kc->ks);
    sl_buf_free(&kc->key);
    kc->ks = NULL;
}

static int all_present(const struct sl_row *row, const int *idx, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (row->values[idx[i]].type == SL_V_NULL) return 0;
    return 1;
}

static void show_values(struct sl_buf *b, const struct sl_schema *s, const struct sl_row *row,
                        const int *idx, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct sl_value *v = &row->values[idx[i]];
        if (i) sl_buf_adds(b, ", ");
        (void)s;
        switch (v->type) {
        case SL_V_INT: sl_buf_add_i64(b, v->u.i); break;
        case SL_V_BOOL: sl_buf_adds(b, v->u.i ? "true" : "false"); break;
        case SL_V_REAL: sl_buf_json_double(b, v->u.d); break;
        case SL_V_TEXT: sl_buf_add(b, v->u.s, v->len > 80 ? 80 : v->len); break;
        default: sl_buf_adds(b, "null");
        }
    }
}

/* Does silver of source hold a row with these values (cols), other than the row with this
 * key (excl; NULL: any row)? 1/0, < 0 error. */
static int in_silver(struct sl__keycheck *kc, const char *source, const char *const *cols,
                     const struct sl_value *const *vals, size_t n, const char *const *excl,
                     const struct sl_value *const *exvals, size_t nex, int index,
                     struct sl_error *err)
{
    uint8_t found = 0;
    int rc;
    if (!kc->db || !kc->db->store->silver_lookup) return 0;
    rc = kc->db->store->silver_lookup(kc->db, source, cols, n, vals, excl, exvals, nex, index,
                                      &found, err);
    return rc < 0 ? rc : found;
}

int sl__keycheck_batch(struct sl__keycheck *kc, struct sl_batch *b, struct sl_error *err)
{
    const struct sl_schema *s = kc->s;
    int rc;

    for (size_t r = 0; r < b->nrows; r++) {
        struct sl_row *row = &b->rows[r];
        if (!row->values || row->status == SL_ROW_INVALID) continue;
        /* primary key: within the input */
        if (kc->ks && s->npk && all_present(row, s->pk, s->npk)) {
            sl_buf_reset(&kc->key);
            for (size_t i = 0; i < s->npk; i++) sl_key_append(&kc->key, &row->values[s->pk[i]]);
            if ((rc = sl_keyset_add(kc->ks, 0, kc->key.p, kc->key.len, err)) < 0) return rc;
            if (rc == 0) {
                struct sl_buf m = SL_BUF_INIT;
                kc->repeats++;
                show_values(&m, s, row, s->pk, s->npk);
                struct sl_issue *is =
                    sl_row_issue(b, row, s->pk_severity, "primary-key", NULL, NULL, 0,
                                 "the primary key (%s) repeats an earlier row of the input", m.p);
                if (is != &b->unkept) {
                    is->value = sl_arena_strndup(&b->arena, m.p, m.len);
                    is->value_len = (uint32_t)m.len;
                }
                sl_buf_free(&m);
                if (row->status == SL_ROW_INVALID) continue;
            }
        }
        /* unique fields: within the input, then against earlier loads */
        for (size_t i = 0; kc->ks && i < s->nfields; i++) {
            const struct sl_field *f = &s->fields[i];
            const struct sl_value *v = &row->values[i];
            if (!f->rules || !f->rules->unique || v->type == SL_V_NULL) continue;
            sl_buf_reset(&kc->key);
            sl_key_append(&kc->key, v);
            if ((rc = sl_keyset_has(kc->ks, 1 + (int)i, kc->key.p, kc->key.len, err)) < 0)
                return rc;
            const char *where = "repeats an earlier row of the input";
            if (!rc) {
                /* not in the input so far: in a row of an earlier load (not this row's key)? */
                const char *col = f->name;
                const char *ex[64];
                const struct sl_value *exv[64];
                size_t nex = s->npk < 64 ? s->npk : 64;
                for (size_t k = 0; k < nex; k++) {
                    ex[k] = s->fields[s->pk[k]].name;
                    exv[k] = &row->values[s->pk[k]];
                }
                if ((rc = in_silver(kc, kc->source, &col, &v, 1, ex, exv, nex, 1, err)) < 0)
                    return rc;
                where = "is in a row already loaded";
            }
            if (!rc) {
                /* the first row with the value claims it */
                if ((rc = sl_keyset_add(kc->ks, 1 + (int)i, kc->key.p, kc->key.len, err)) < 0)
                    return rc;
                continue;
            }
            struct sl_buf m = SL_BUF_INIT;
            int k = (int)i;
            show_values(&m, s, row, &k, 1);
            sl_row_issue(b, row, f->rules->severity[SL_C_UNIQUE], "unique-error", f->name, m.p,
                         m.len, "%s must be unique: '%s' %s", f->name, m.p, where)
                ->constraint = "unique";
            sl_buf_free(&m);
        }
        /* foreign keys */
        for (size_t k = 0; k < s->nfkeys; k++) {
            const struct sl_fkey *fk = &s->fkeys[k];
            const struct sl_value *vals[64];
            size_t n = fk->n < 64 ? fk->n : 64;
            int self = !*fk->resource, found = 0;
            if (!all_present(row, fk->index, n)) continue; /* a missing value refers to nothing */
            for (size_t i = 0; i < n; i++) vals[i] = &row->values[fk->index[i]];
            if (self) {
                sl_buf_reset(&kc->key);
                for (size_t i = 0; i < n; i++) sl_key_append(&kc->key, vals[i]);
                found = sl_keyset_has(kc->ks, 1 + (int)s->nfields + (int)k, kc->key.p, kc->key.len,
                                      err);
                if (found < 0) return found;
                /* the row may refer to itself */
                if (!found) {
                    found = 1;
                    for (size_t i = 0; i < n && found; i++) {
                        int ri = sl_schema_find(s, fk->ref_fields[i]);
                        const struct sl_value *a = vals[i], *c = &row->values[ri];
                        sl_buf_reset(&kc->key);
                        found = a->type == c->type &&
                                (a->type == SL_V_TEXT
                                     ? a->len == c->len && !memcmp(a->u.s, c->u.s, a->len)
                                     : !memcmp(&a->u, &c->u, sizeof a->u));
                    }
                }
            }
            if (!found) {
                if (!kc->db) {
                    if (!self) continue; /* check without a store: reported once, see below */
                } else {
                    found = in_silver(kc, self ? kc->source : fk->resource,
                                      (const char *const *)fk->ref_fields, vals, n, NULL, NULL, 0,
                                      0, err);
                    if (found < 0) return found;
                }
            }
            if (!found) {
                struct sl_buf m = SL_BUF_INIT, names = SL_BUF_INIT;
                show_values(&m, s, row, fk->index, n);
                for (size_t i = 0; i < n; i++)
                    sl_buf_addf(&names, "%s%s", i ? ", " : "", fk->ref_fields[i]);
                sl_row_issue(b, row, SL_ROW_INVALID, "foreign-key", fk->fields[0], m.p, m.len,
                             "%s '%s' is not in %s (%s)", fk->n > 1 ? "key" : fk->fields[0], m.p,
                             self ? "this source" : fk->resource, names.p)
                    ->constraint = fk->resource[0] ? fk->resource : "self";
                sl_buf_free(&m);
                sl_buf_free(&names);
            }
        }
        /* self-references: what later rows may refer to */
        for (size_t k = 0; kc->ks && row->status != SL_ROW_INVALID && k < s->nfkeys; k++) {
            const struct sl_fkey *fk = &s->fkeys[k];
            if (*fk->resource) continue;
            sl_buf_reset(&kc->key);
            int missing = 0;
            for (size_t i = 0; i < fk->n; i++) {
                int ri = sl_schema_find(s, fk->ref_fields[i]);
                missing |= row->values[ri].type == SL_V_NULL;
                sl_key_append(&kc->key, &row->values[ri]);
            }
            if (!missing && (rc = sl_keyset_add(kc->ks, 1 + (int)s->nfields + (int)k, kc->key.p,
                                                kc->key.len, err)) < 0)
                return rc;
        }
    }
    return 0;
}
