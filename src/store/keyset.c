/*
 * External key sets (see include/sluice/keyset.h).
 *
 * Keys are kept in memory (an open-addressing table over a byte buffer) until they take more
 * than the memory budget; then they are sorted and written to a private temporary SQLite
 * database (a B-tree on disk, sorted inserts are cheap) and memory starts over. A key is
 * looked up in memory first; on disk only if a Bloom filter over the spilled keys says it may
 * be there, so new keys (the common case) rarely touch the disk. Memory is the budget plus the
 * Bloom filter (capped): it does not grow with the number of keys.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/keyset.h"

#define BLOOM_MAX (32u << 20) /* bytes: 10 bits per key up to ~25 M spilled keys */

struct entry {
    uint64_t hash; /* 0: empty slot */
    uint32_t off, len;
    int32_t space;
};

struct sl_keyset {
    size_t limit; /* bytes of keys + table before a spill */
    /* memory */
    struct entry *slots;
    size_t nslots, nmem;
    struct sl_buf bytes;
    /* disk */
    sqlite3 *h;
    sqlite3_stmt **has; /* per run: SELECT 1 FROM rN WHERE s = ? AND key = ? */
    int nruns;
    uint8_t *bloom;
    size_t bloom_bits;
    int64_t spilled;
    int64_t n;
};

static uint64_t key_hash(int space, const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ull ^ (uint64_t)(uint32_t)space;
    for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 1099511628211ull;
    h ^= h >> 33; /* FNV's low bits are weak: mix */
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h ? h : 1;
}

static int ks_error(struct sl_keyset *k, const char *what, struct sl_error *err)
{
    return sl_error_set(err, SL_EIO, "key set (temporary database): %s: %s", what,
                        k->h ? sqlite3_errmsg(k->h) : "cannot open");
}

int sl_keyset_open(struct sl_keyset **out, size_t mem_limit, struct sl_error *err)
{
    struct sl_keyset *k = sl_xcalloc(1, sizeof *k);
    (void)err;
    k->limit = mem_limit ? mem_limit : (32u << 20);
    if (k->limit < (256u << 10)) k->limit = 256u << 10; /* above the empty table's size */
    k->nslots = 1024;
    k->slots = sl_xcalloc(k->nslots, sizeof *k->slots);
    *out = k;
    return 0;
}

/* The disk part, made at the first spill. */
static int disk_open(struct sl_keyset *k, struct sl_error *err)
{
    /* "" is a private on-disk temporary database ($SQLITE_TMPDIR, $TMPDIR or /var/tmp, /tmp),
     * deleted when it is closed */
    if (sqlite3_open_v2("", &k->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
        sqlite3_exec(k->h,
                     "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-8192;"
                     "PRAGMA locking_mode=EXCLUSIVE",
                     NULL, NULL, NULL) != SQLITE_OK)
        return ks_error(k, "creating", err);
    /* one Bloom filter over every spilled key: 10 bits per key the budget holds, times 8
     * spills, capped */
    k->bloom_bits = (k->limit / 16) * 80;
    if (k->bloom_bits / 8 > BLOOM_MAX) k->bloom_bits = (size_t)BLOOM_MAX * 8;
    if (k->bloom_bits < 8192) k->bloom_bits = 8192;
    k->bloom = sl_xcalloc(k->bloom_bits / 8, 1);
    return 0;
}

static void bloom_add(struct sl_keyset *k, uint64_t h)
{
    uint64_t h2 = (h >> 32) | (h << 32);
    for (int i = 0; i < 7; i++) {
        size_t bit = (size_t)((h + (uint64_t)i * h2) % k->bloom_bits);
        k->bloom[bit >> 3] |= (uint8_t)(1u << (bit & 7));
    }
}

static int bloom_maybe(const struct sl_keyset *k, uint64_t h)
{
    uint64_t h2 = (h >> 32) | (h << 32);
    for (int i = 0; i < 7; i++) {
        size_t bit = (size_t)((h + (uint64_t)i * h2) % k->bloom_bits);
        if (!(k->bloom[bit >> 3] & (1u << (bit & 7)))) return 0;
    }
    return 1;
}

static int entry_cmp(const char *bytes, const struct entry *x, const struct entry *y)
{
    if (x->space != y->space) return x->space < y->space ? -1 : 1;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(bytes + x->off, bytes + y->off, n);
    if (c) return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

/* Heapsort, in place: qsort would allocate a copy of the array (the budget's worth). */
static void sift(const char *bytes, struct entry *v, size_t i, size_t n)
{
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n) return;
        if (c + 1 < n && entry_cmp(bytes, &v[c], &v[c + 1]) < 0) c++;
        if (entry_cmp(bytes, &v[i], &v[c]) >= 0) return;
        struct entry t = v[i];
        v[i] = v[c];
        v[c] = t;
        i = c;
    }
}

static void sort_entries(const char *bytes, struct entry *v, size_t n)
{
    for (size_t i = n / 2; i-- > 0;) sift(bytes, v, i, n);
    for (size_t end = n; end-- > 1;) {
        struct entry t = v[0];
        v[0] = v[end];
        v[end] = t;
        sift(bytes, v, 0, end);
    }
}

/* Memory → disk: one new table (a sorted run) per spill, filled in key order, so the inserts
 * only append; lookups probe the runs when the Bloom filter says "maybe". */
static int spill(struct sl_keyset *k, struct sl_error *err)
{
    size_t n = 0;
    int rc = 0;
    char sql[160];
    sqlite3_stmt *ins = NULL;

    if (!k->h && (rc = disk_open(k, err))) return rc;
    for (size_t i = 0; i < k->nslots; i++)
        if (k->slots[i].hash) k->slots[n++] = k->slots[i];
    sort_entries(k->bytes.p, k->slots, n);
    int run = k->nruns;
    snprintf(sql, sizeof sql,
             "CREATE TABLE r%d(s INTEGER, key BLOB, PRIMARY KEY(s, key)) WITHOUT ROWID", run);
    if (sqlite3_exec(k->h, sql, NULL, NULL, NULL) != SQLITE_OK)
        return ks_error(k, "spilling keys", err);
    snprintf(sql, sizeof sql, "INSERT INTO r%d VALUES(?1, ?2)", run);
    if (sqlite3_prepare_v2(k->h, sql, -1, &ins, NULL) != SQLITE_OK ||
        sqlite3_exec(k->h, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_finalize(ins);
        return ks_error(k, "spilling keys", err);
    }
    for (size_t i = 0; i < n; i++) {
        const struct entry *e = &k->slots[i];
        sqlite3_reset(ins);
        sqlite3_bind_int(ins, 1, e->space);
        sqlite3_bind_blob(ins, 2, k->bytes.p + e->off, (int)e->len, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE) {
            rc = ks_error(k, "spilling keys", err);
            break;
        }
        bloom_add(k, e->hash);
    }
    sqlite3_finalize(ins);
    if (sqlite3_exec(k->h, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL) != SQLITE_OK && !rc)
        rc = ks_error(k, "spilling keys", err);
    if (rc) return rc;
    snprintf(sql, sizeof sql, "SELECT 1 FROM r%d WHERE s = ?1 AND key = ?2", run);
    k->has = sl_xrealloc(k->has, (size_t)(run + 1) * sizeof *k->has);
    if (sqlite3_prepare_v2(k->h, sql, -1, &k->has[run], NULL) != SQLITE_OK)
        return ks_error(k, "spilling keys", err);
    k->nruns++;
    k->spilled += (int64_t)n;
    /* start small again: a table as large as the last one would fill the budget by itself */
    free(k->slots);
    k->nslots = 1024;
    k->slots = sl_xcalloc(k->nslots, sizeof *k->slots);
    k->nmem = 0;
    sl_buf_free(&k->bytes); /* its capacity counts against the budget: start small too */
    return rc;
}

static void grow(struct sl_keyset *k)
{
    size_t cap = k->nslots * 2;
    struct entry *s = sl_xcalloc(cap, sizeof *s);
    for (size_t i = 0; i < k->nslots; i++) {
        if (!k->slots[i].hash) continue;
        size_t j = k->slots[i].hash & (cap - 1);
        while (s[j].hash) j = (j + 1) & (cap - 1);
        s[j] = k->slots[i];
    }
    free(k->slots);
    k->slots = s;
    k->nslots = cap;
}

/* The memory slot of the key, or of the empty slot where it would go. */
static struct entry *mem_find(struct sl_keyset *k, uint64_t h, int space, const void *p, size_t n)
{
    size_t j = h & (k->nslots - 1);
    for (;;) {
        struct entry *e = &k->slots[j];
        if (!e->hash) return e;
        if (e->hash == h && e->space == space && e->len == n && !memcmp(k->bytes.p + e->off, p, n))
            return e;
        j = (j + 1) & (k->nslots - 1);
    }
}

static int disk_has(struct sl_keyset *k, uint64_t h, int space, const void *p, size_t n,
                    struct sl_error *err)
{
    if (!k->nruns || !bloom_maybe(k, h)) return 0;
    for (int r = k->nruns - 1; r >= 0; r--) {
        sqlite3_stmt *st = k->has[r];
        sqlite3_reset(st);
        sqlite3_bind_int(st, 1, space);
        sqlite3_bind_blob(st, 2, p, (int)n, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_ROW) return 1;
        if (rc != SQLITE_DONE) return ks_error(k, "looking up a key", err);
    }
    return 0;
}

int sl_keyset_has(struct sl_keyset *k, int space, const void *p, size_t n, struct sl_error *err)
{
    uint64_t h = key_hash(space, p, n);
    if (mem_find(k, h, space, p, n)->hash) return 1;
    return disk_has(k, h, space, p, n, err);
}

int sl_keyset_add(struct sl_keyset *k, int space, const void *p, size_t n, struct sl_error *err)
{
    uint64_t h = key_hash(space, p, n);
    struct entry *e = mem_find(k, h, space, p, n);
    int rc;

    if (e->hash) return 0;
    if ((rc = disk_has(k, h, space, p, n, err))) return rc < 0 ? rc : 0;
    if (n > UINT32_MAX || k->bytes.len + n > UINT32_MAX)
        return sl_error_set(err, SL_EINVAL, "key set: key too large");
    e->hash = h;
    e->space = space;
    e->off = (uint32_t)k->bytes.len;
    e->len = (uint32_t)n;
    sl_buf_add(&k->bytes, p, n);
    k->nmem++;
    k->n++;
    if (k->nmem * 2 >= k->nslots) grow(k);
    if (k->bytes.cap + k->nslots * sizeof *k->slots > k->limit && (rc = spill(k, err))) return rc;
    return 1;
}

int64_t sl_keyset_count(const struct sl_keyset *k)
{
    return k->n;
}

int64_t sl_keyset_spilled(const struct sl_keyset *k)
{
    return k->spilled;
}

void sl_keyset_close(struct sl_keyset *k)
{
    if (!k) return;
    for (int r = 0; r < k->nruns; r++) sqlite3_finalize(k->has[r]);
    free(k->has);
    if (k->h) sqlite3_close(k->h);
    free(k->slots);
    free(k->bloom);
    sl_buf_free(&k->bytes);
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
