/* External key sets on a private temporary SQLite database (see include/sluice/keyset.h). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/keyset.h"

struct sl_keyset {
    sqlite3 *h;
    sqlite3_stmt *ins, *has;
    int64_t n, pending;
};

static int ks_error(struct sl_keyset *k, const char *what, struct sl_error *err)
{
    return sl_error_set(err, SL_EIO, "key set (temporary database): %s: %s", what,
                        k->h ? sqlite3_errmsg(k->h) : "out of memory");
}

int sl_keyset_open(struct sl_keyset **out, int cache_mb, struct sl_error *err)
{
    struct sl_keyset *k = sl_xcalloc(1, sizeof *k);
    char sql[256];
    int rc = 0;

    *out = NULL;
    /* "" is a private on-disk temporary database, deleted on close; its pages stay in the
     * cache until the cache is full */
    if (sqlite3_open_v2("", &k->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        rc = ks_error(k, "opening", err);
        goto out;
    }
    snprintf(sql, sizeof sql,
             "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-%d; "
             "PRAGMA locking_mode=EXCLUSIVE; PRAGMA page_size=8192; "
             "CREATE TABLE k(s INTEGER, key BLOB, PRIMARY KEY(s, key)) WITHOUT ROWID; BEGIN",
             cache_mb > 0 ? cache_mb * 1024 : 65536);
    if (sqlite3_exec(k->h, sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(k->h, "INSERT OR IGNORE INTO k VALUES(?1, ?2)", -1, &k->ins, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(k->h, "SELECT 1 FROM k WHERE s = ?1 AND key = ?2", -1, &k->has, NULL) !=
            SQLITE_OK) {
        rc = ks_error(k, "creating", err);
        goto out;
    }
out:
    if (rc)
        sl_keyset_close(k);
    else
        *out = k;
    return rc;
}

int sl_keyset_add(struct sl_keyset *k, int space, const void *p, size_t n, struct sl_error *err)
{
    sqlite3_reset(k->ins);
    sqlite3_bind_int(k->ins, 1, space);
    sqlite3_bind_blob(k->ins, 2, p, (int)n, SQLITE_STATIC);
    if (sqlite3_step(k->ins) != SQLITE_DONE) return ks_error(k, "adding a key", err);
    if (!sqlite3_changes(k->h)) return 0;
    k->n++;
    return 1;
}

int sl_keyset_has(struct sl_keyset *k, int space, const void *p, size_t n, struct sl_error *err)
{
    int rc;
    sqlite3_reset(k->has);
    sqlite3_bind_int(k->has, 1, space);
    sqlite3_bind_blob(k->has, 2, p, (int)n, SQLITE_STATIC);
    rc = sqlite3_step(k->has);
    if (rc == SQLITE_ROW) return 1;
    if (rc == SQLITE_DONE) return 0;
    return ks_error(k, "looking up a key", err);
}

int64_t sl_keyset_count(const struct sl_keyset *k)
{
    return k->n;
}

void sl_keyset_close(struct sl_keyset *k)
{
    if (!k) return;
    sqlite3_finalize(k->ins);
    sqlite3_finalize(k->has);
    sqlite3_close(k->h);
    free(k);
}

void sl_key_append(struct sl_buf *b, const struct sl_value *v)
{
    uint32_t len = 0;
    sl_buf_addc(b, (char)v->type);
    switch (v->type) {
    case SL_V_INT:
    case SL_V_BOOL: sl_buf_add(b, &v->u.i, sizeof v->u.i); break;
    case SL_V_REAL: {
        double d = v->u.d == 0 ? 0.0 : v->u.d; /* -0 == 0 */
        sl_buf_add(b, &d, sizeof d);
        break;
    }
    case SL_V_TEXT:
        len = v->len;
        sl_buf_add(b, &len, sizeof len);
        sl_buf_add(b, v->u.s, v->len);
        break;
    }
}
