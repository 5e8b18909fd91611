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
    sqlite3_stmt **has; /* per run: SELECT 1 FROM rN WHERE h = ? AND s = ? AND key = ? */
    unsigned *run_bits; /* per run: the table size (log2) its order was taken from */
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
    size_t want = (k->limit / 16) * 80;
    if (want / 8 > BLOOM_MAX) want = (size_t)BLOOM_MAX * 8;
    k->bloom_bits = 8192; /* a power of two: bits are picked with a mask */
    while (k->bloom_bits < want) k->bloom_bits *= 2;
    k->bloom = sl_xcalloc(k->bloom_bits / 8, 1);
    return 0;
}

/* A blocked Bloom filter: the 7 bits of a key lie in one 64-byte block (one cache miss per
 * key instead of seven; a little more false positives, well under 1% at 10 bits per key). */
static uint8_t *bloom_block(const struct sl_keyset *k, uint64_t h)
{
    size_t nblocks = k->bloom_bits / 512;
    return k->bloom + (size_t)(h & (nblocks - 1)) * 64;
}

static void bloom_add(struct sl_keyset *k, uint64_t h)
{
    uint8_t *blk = bloom_block(k, h);
    uint64_t h2 = h * 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 7; i++) {
        unsigned bit = (unsigned)(h2 >> (64 - 9 * (i + 1))) & 511;
        blk[bit >> 3] |= (uint8_t)(1u << (bit & 7));
    }
}

static int bloom_maybe(const struct sl_keyset *k, uint64_t h)
{
    const uint8_t *blk = bloom_block(k, h);
    uint64_t h2 = h * 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 7; i++) {
        unsigned bit = (unsigned)(h2 >> (64 - 9 * (i + 1))) & 511;
        if (!(blk[bit >> 3] & (1u << (bit & 7)))) return 0;
    }
    return 1;
}

/* A run's table is ordered by h = the hash rotated so that the bits that chose the memory
 * slot come first (and the top bit flipped: SQLite's INTEGER is signed). Walking the table
 * from an empty slot then gives the keys nearly in that order: an insertion sort finishes it
 * in about linear time, and the inserts into the run only append. */
static uint64_t run_key(uint64_t hash, unsigned bits)
{
    uint64_t r = bits ? (hash >> bits) | (hash << (64 - bits)) : hash;
    return r;
}

static sqlite3_int64 run_h(uint64_t hash, unsigned bits)
{
    return (sqlite3_int64)(run_key(hash, bits) ^ (1ull << 63));
}

static int entry_cmp(const char *bytes, unsigned bits, const struct entry *x, const struct entry *y)
{
    uint64_t a = run_key(x->hash, bits), b = run_key(y->hash, bits);
    if (a != b) return a < b ? -1 : 1;
    if (x->space != y->space) return x->space < y->space ? -1 : 1;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(bytes + x->off, bytes + y->off, n);
    if (c) return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

static void sort_entries(const char *bytes, unsigned bits, struct entry *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct entry t = v[i];
        size_t j = i;
        while (j > 0 && entry_cmp(bytes, bits, &v[j - 1], &t) > 0) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = t;
    }
}

/* Memory → disk: one new table (a sorted run) per spill, filled in its key order (hash first),
 * so the inserts only append; lookups probe the runs when the Bloom filter says "maybe". */
static int spill(struct sl_keyset *k, struct sl_error *err)
{
    size_t n = 0;
    int rc = 0, run = k->nruns;
    char sql[160];
    sqlite3_stmt *ins = NULL;
    struct sl_buf bytes;

    if (!k->h && (rc = disk_open(k, err))) return rc;
    /* compact, starting after an empty slot so that no cluster of the table is split; memory
     * starts over (a table as large as the last one would fill the budget by itself) */
    unsigned bits = 0;
    while ((1ull << bits) < k->nslots) bits++;
    size_t start = 0;
    while (k->slots[start].hash) start++; /* the table is at most half full */
    struct entry *v = sl_xmalloc((k->nmem ? k->nmem : 1) * sizeof *v);
    for (size_t i = 0; i < k->nslots; i++) {
        const struct entry *e = &k->slots[(start + i) & (k->nslots - 1)];
        if (e->hash) v[n++] = *e;
    }
    /* memory starts over, in the same buffers: freeing and growing them again each time
     * leaves the allocator's heap fragmented and the process larger than the budget */
    memset(k->slots, 0, k->nslots * sizeof *k->slots);
    k->nmem = 0;
    bytes = k->bytes;
    sort_entries(bytes.p, bits, v, n);

    snprintf(sql, sizeof sql,
             "CREATE TABLE r%d(h INTEGER, s INTEGER, key BLOB, PRIMARY KEY(h, s, key)) "
             "WITHOUT ROWID",
             run);
    if (sqlite3_exec(k->h, sql, NULL, NULL, NULL) != SQLITE_OK) {
        rc = ks_error(k, "spilling keys", err);
        goto out;
    }
    snprintf(sql, sizeof sql, "INSERT INTO r%d VALUES(?1, ?2, ?3)", run);
    if (sqlite3_prepare_v2(k->h, sql, -1, &ins, NULL) != SQLITE_OK ||
        sqlite3_exec(k->h, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        rc = ks_error(k, "spilling keys", err);
        goto out;
    }
    for (size_t i = 0; i < n && !rc; i++) {
        const struct entry *e = &v[i];
        sqlite3_reset(ins);
        sqlite3_bind_int64(ins, 1, run_h(e->hash, bits));
        sqlite3_bind_int(ins, 2, e->space);
        sqlite3_bind_blob(ins, 3, bytes.p + e->off, (int)e->len, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE)
            rc = ks_error(k, "spilling keys", err);
        else
            bloom_add(k, e->hash);
    }
    sqlite3_finalize(ins);
    ins = NULL;
    if (sqlite3_exec(k->h, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL) != SQLITE_OK && !rc)
        rc = ks_error(k, "spilling keys", err);
    if (rc) goto out;
    snprintf(sql, sizeof sql, "SELECT 1 FROM r%d WHERE h = ?1 AND s = ?2 AND key = ?3", run);
    k->has = sl_xrealloc(k->has, (size_t)(run + 1) * sizeof *k->has);
    k->run_bits = sl_xrealloc(k->run_bits, (size_t)(run + 1) * sizeof *k->run_bits);
    k->run_bits[run] = bits;
    if (sqlite3_prepare_v2(k->h, sql, -1, &k->has[run], NULL) != SQLITE_OK) {
        rc = ks_error(k, "spilling keys", err);
        goto out;
    }
    k->nruns++;
    k->spilled += (int64_t)n;
out:
    sqlite3_finalize(ins);
    free(v);
    sl_buf_reset(&k->bytes);
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
        sqlite3_bind_int64(st, 1, run_h(h, k->run_bits[r]));
        sqlite3_bind_int(st, 2, space);
        sqlite3_bind_blob(st, 3, p, (int)n, SQLITE_STATIC);
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
    /* used bytes and table entries (at most half the slots are used, and the buffer at most
     * doubles): what is allocated stays within the budget */
    if ((k->bytes.len + k->nmem * 2 * sizeof *k->slots) * 2 > k->limit && (rc = spill(k, err)))
        return rc;
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
    free(k->run_bits);
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
