/*
 * Rollback, activate, deactivate and rebuild: active flags change and silver follows, in one
 * transaction of the store (begin_change ... end_change), so a crash leaves either the old
 * flags and the old silver or the new ones.
 *
 * Silver must end up exactly as a from-scratch rebuild of the new replay set would make it.
 * Where that can be had with less work, it is:
 * - the replay set does not change (a load before the last snapshot, or a failed one): flags
 *   only;
 * - the new set is the old one plus newer loads: only those are replayed (upsert and append
 *   write the same rows a load would have);
 * - every load involved is append mode: the rows of deactivated loads are deleted (by _load)
 *   and the rows of activated ones appended — work proportional to the rows touched;
 * - a keyed source loses some loads after the first of its set (upserts): their rows are
 *   deleted by _load and only the keys they wrote are written again from the remaining loads
 *   (bronze has no index by key, so the remaining loads are read, but not rewritten).
 * Otherwise silver is emptied and refilled from the new replay set.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sluice/version.h"

#include "internal.h"

const char *sl_version_who(void)
{
    const char *u = getenv("USER");
    if (u && *u) return u;
    u = getlogin();
    return u && *u ? u : NULL;
}

static int index_of(const struct sl_load_info *loads, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (loads[i].id == id) return (int)i;
    return -1;
}

static int contains(const int64_t *v, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == id) return 1;
    return 0;
}

/* ---- keyed deactivations: only the keys the deactivated loads wrote are recomputed ---------- */

struct keyset {
    const struct sl_schema *s;
    struct sl__table t;
    struct sl_buf key;
};

static int collect_keys(void *ctx, const struct sl_load_info *load, struct sl_batch *b,
                        struct sl_error *err)
{
    struct keyset *ks = ctx;
    (void)load, (void)err;
    for (size_t r = 0; r < b->nrows; r++) {
        sl__row_key(&ks->key, ks->s, &b->rows[r]);
        struct sl__entry *e = sl__table_find(&ks->t, sl_buf_str(&ks->key), 1);
        if (!e->key) e->key = sl_xstrdup(sl_buf_str(&ks->key));
    }
    return 0;
}

struct rewrite {
    struct sl_db *db;
    struct sl_load *change;
    struct keyset *ks;
    int64_t rows;
};

/* Writes the rows of b whose key is in the set (the others are marked invalid: write_silver
 * skips them), in load order, so the latest remaining load wins per key. */
static int rewrite_keys(void *ctx, const struct sl_load_info *from, struct sl_batch *b,
                        struct sl_error *err)
{
    struct rewrite *w = ctx;
    size_t keep = 0;
    int rc;
    for (size_t r = 0; r < b->nrows; r++) {
        sl__row_key(&w->ks->key, w->ks->s, &b->rows[r]);
        if (sl__table_find(&w->ks->t, sl_buf_str(&w->ks->key), 0))
            keep++;
        else
            b->rows[r].status = SL_ROW_INVALID;
    }
    if (!keep) return 0;
    int64_t id = w->change->id;
    w->change->id = from->id;
    rc = w->db->store->write_silver(w->db, w->change, b, err);
    w->change->id = id;
    w->rows += (int64_t)keep;
    return rc;
}

/*
 * The new set is the old one less some loads D, from the same first load, upserts after it.
 * A key whose silver row came from a load in D loses it (delete by _load); every key D wrote
 * is then written again from the remaining loads in order, so the latest remaining row wins
 * and keys no remaining load has stay deleted. Keys D never wrote are not touched. Bronze of
 * the remaining loads is read (it has no index by key), but silver is written only for D's keys.
 */
static int keyed_deactivation(struct sl_db *db, struct sl_load *change, const struct sl_schema *s,
                              const struct sl_load_info *loads, size_t nloads,
                              const int64_t *old_set, size_t nold, const int64_t *new_set,
                              size_t nnew, struct sl_change_result *res, struct sl_error *err)
{
    struct keyset ks;
    struct rewrite w = {db, change, &ks, 0};
    int64_t *gone = sl_xcalloc(nold + 1, sizeof *gone);
    size_t ngone = 0;
    int rc = 0;

    memset(&ks, 0, sizeof ks);
    ks.s = s;
    for (size_t i = 0; i < nold && !rc; i++) {
        int64_t deleted = 0;
        if (contains(new_set, nnew, old_set[i])) continue;
        gone[ngone++] = old_set[i];
        rc = db->store->delete_silver_load(db, change, old_set[i], &deleted, err);
        res->rows_deleted += deleted;
    }
    if (!rc)
        rc = sl_replay(db, change->source, s, loads, nloads, gone, ngone, collect_keys, &ks, err);
    if (!rc)
        rc = sl_replay(db, change->source, s, loads, nloads, new_set, nnew, rewrite_keys, &w, err);
    res->replayed = (int64_t)(ngone + nnew);
    res->rows_written = w.rows;
    sl__table_free(&ks.t);
    sl_buf_free(&ks.key);
    free(gone);
    return rc;
}

int sl_version_change(struct sl_db *db, const char *source, const char *command,
                      const struct sl_flag_change *ch, size_t n, const char *reason,
                      struct sl_change_result *res, struct sl_error *err)
{
    struct sl_source_state st;
    struct sl_load_info *loads = NULL;
    struct sl_load change;
    size_t nloads = 0, nold = 0, nnew = 0, nadd = 0;
    int64_t *old_set = NULL, *new_set = NULL, *add = NULL;
    int *old_active = NULL, *new_active = NULL;
    int rc, open = 0, all_append = 1, suffix = 1, keyed_subset = 0;
    int64_t old_max = 0;

    memset(res, 0, sizeof *res);
    memset(&change, 0, sizeof change);
    if ((rc = db->store->source_state(db, source, &st, err))) return rc;
    if (!st.exists) {
        rc = sl_error_set(err, SL_EINVAL, "no source '%s' in %s", source, db->url);
        goto out;
    }
    if ((rc = db->store->list_loads(db, source, &loads, &nloads, err))) goto out;
    old_active = sl_xcalloc(nloads + 1, sizeof *old_active);
    new_active = sl_xcalloc(nloads + 1, sizeof *new_active);
    for (size_t i = 0; i < nloads; i++)
        old_active[i] = new_active[i] = loads[i].active && !strcmp(loads[i].status, "committed");
    for (size_t k = 0; k < n; k++) {
        int i = index_of(loads, nloads, ch[k].load);
        if (i < 0 || strcmp(loads[i].status, "committed")) {
            rc = sl_error_set(err, SL_EINVAL, "%s: load %lld is not a committed load of %s", source,
                              (long long)ch[k].load, source);
            goto out;
        }
        new_active[i] = ch[k].active != 0;
    }

    old_set = sl_xcalloc(nloads + 1, sizeof *old_set);
    new_set = sl_xcalloc(nloads + 1, sizeof *new_set);
    add = sl_xcalloc(nloads + 1, sizeof *add);
    nold = sl_replay_set(loads, nloads, old_active, 0, st.schema, old_set);
    nnew = sl_replay_set(loads, nloads, new_active, 0, st.schema, new_set);
    for (size_t i = 0; i < nold; i++) old_max = old_set[i] > old_max ? old_set[i] : old_max;
    for (size_t i = 0; i < nloads; i++)
        if ((old_active[i] || new_active[i]) &&
            strcmp(sl_load_mode(&loads[i], st.schema), "append"))
            all_append = 0;
    /* is the new set the old one followed by newer loads? */
    for (size_t i = 0; i < nold && suffix; i++) suffix = i < nnew && new_set[i] == old_set[i];
    for (size_t i = nold; i < nnew && suffix; i++) suffix = new_set[i] > old_max;
    /* keyed, only deactivations: the new set is the old one less some loads, same start, and
     * every load after the start is upsert */
    if (st.schema->npk && !suffix && nnew && new_set[0] == old_set[0]) {
        keyed_subset = 1;
        for (size_t i = 0; i < nnew && keyed_subset; i++)
            keyed_subset = contains(old_set, nold, new_set[i]);
        for (size_t i = 1; i < nold && keyed_subset; i++)
            keyed_subset = !strcmp(
                sl_load_mode(&loads[index_of(loads, nloads, old_set[i])], st.schema), "upsert");
    }

    change.source = source;
    change.schema = st.schema;
    res->full = n == 0 || !(suffix || all_append || keyed_subset);
    if ((rc = db->store->begin_change(db, &change, res->full, err))) goto out;
    open = 1;

    for (size_t k = 0; k < n; k++) {
        int i = index_of(loads, nloads, ch[k].load);
        struct sl_version_event ev;
        if (old_active[i] == new_active[i]) continue;
        /* a load listed twice counts once */
        old_active[i] = new_active[i];
        memset(&ev, 0, sizeof ev);
        ev.command = (char *)command;
        ev.who = (char *)sl_version_who();
        ev.reason = (char *)reason;
        if ((rc = db->store->set_active(db, &change, ch[k].load, new_active[i], &ev, err)))
            goto out;
        res->changed++;
    }

    if (res->full) {
        nadd = nnew;
        memcpy(add, new_set, nnew * sizeof *add);
    } else if (suffix) {
        for (size_t i = nold; i < nnew; i++) add[nadd++] = new_set[i];
    } else if (keyed_subset) {
        rc = keyed_deactivation(db, &change, st.schema, loads, nloads, old_set, nold, new_set, nnew,
                                res, err);
        goto commit;
    } else {
        /* every load is append mode: delete what left, append what came */
        for (size_t i = 0; i < nold; i++) {
            int64_t deleted = 0;
            if (contains(new_set, nnew, old_set[i])) continue;
            if ((rc = db->store->delete_silver_load(db, &change, old_set[i], &deleted, err)))
                goto out;
            res->rows_deleted += deleted;
        }
        for (size_t i = 0; i < nnew; i++)
            if (!contains(old_set, nold, new_set[i])) add[nadd++] = new_set[i];
    }
    res->replayed = (int64_t)nadd;
    if ((rc = sl__replay_into_silver(db, &change, st.schema, loads, nloads, add, nadd,
                                     &res->rows_written, err)))
        goto out;
commit:
    if (rc) goto out;
    open = 0;
    rc = db->store->end_change(db, &change, 1, err);
out:
    if (open) {
        struct sl_error e2;
        db->store->end_change(db, &change, 0, &e2);
    }
    free(old_set);
    free(new_set);
    free(add);
    free(old_active);
    free(new_active);
    sl_load_infos_free(loads, nloads);
    sl_source_state_free(&st);
    return rc;
}

int sl_version_rollback(struct sl_db *db, const char *source, int64_t v, const char *reason,
                        struct sl_change_result *res, struct sl_error *err)
{
    struct sl_load_info *loads = NULL;
    struct sl_flag_change *ch = NULL;
    size_t n = 0, k = 0;
    int rc, found = 0;

    memset(res, 0, sizeof *res);
    if ((rc = db->store->list_loads(db, source, &loads, &n, err))) return rc;
    if (!n) {
        sl_load_infos_free(loads, n);
        return sl_error_set(err, SL_EINVAL, "no source '%s' in %s", source, db->url);
    }
    ch = sl_xcalloc(n + 1, sizeof *ch);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(loads[i].status, "committed")) continue;
        if (loads[i].id == v) {
            found = 1;
            ch[k++] = (struct sl_flag_change){v, 1};
        } else if (loads[i].id > v && loads[i].active) {
            ch[k++] = (struct sl_flag_change){loads[i].id, 0};
        }
    }
    if (!found)
        rc = sl_error_set(err, SL_EINVAL, "%s: load %lld is not a committed load of %s", source,
                          (long long)v, source);
    else
        rc = sl_version_change(db, source, "rollback", ch, k, reason, res, err);
    free(ch);
    sl_load_infos_free(loads, n);
    return rc;
}
