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
 *   and the rows of activated ones appended — work proportional to the rows touched.
 * Otherwise silver is emptied and refilled from the new replay set.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipeline/internal.h"
#include "sluice/version.h"

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
    int rc, open = 0, all_append = 1, suffix = 1;
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

    change.source = source;
    change.schema = st.schema;
    res->full = n == 0 || !(suffix || all_append);
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
    } else {
        /* every load is append mode: delete what left, append what came */
        for (size_t i = 0; i < nold; i++) {
            if (contains(new_set, nnew, old_set[i])) continue;
            const struct sl_load_info *l = &loads[index_of(loads, nloads, old_set[i])];
            if ((rc = db->store->delete_silver_load(db, &change, old_set[i], err))) goto out;
            res->rows_deleted += l->valid + l->warning;
        }
        for (size_t i = 0; i < nnew; i++)
            if (!contains(old_set, nold, new_set[i])) add[nadd++] = new_set[i];
    }
    res->replayed = (int64_t)nadd;
    if ((rc = sl__replay_into_silver(db, &change, st.schema, loads, nloads, add, nadd,
                                     &res->rows_written, err)))
        goto out;
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
