/*
 * A set of keys that may not fit in memory: uniqueness of primary keys and `unique` fields over
 * a whole input of any size. Keys stay in memory up to a budget; beyond it they are spilled,
 * sorted, to a private temporary SQLite database (in $SQLITE_TMPDIR or $TMPDIR; deleted when
 * closed), with a Bloom filter in front of it. Keys live in numbered spaces (one per
 * constraint). One thread at a time.
 */
#ifndef SLUICE_KEYSET_H
#define SLUICE_KEYSET_H

#include <stddef.h>
#include <stdint.h>

#include "sluice/batch.h"
#include "sluice/core.h"

struct sl_keyset;

/* mem_limit: bytes of keys kept in memory before a spill (0: 64 MB). */
int sl_keyset_open(struct sl_keyset **out, size_t mem_limit, struct sl_error *err);
/* Adds key p[0..n) to space: 1 when it was new, 0 when it was there already, < 0 on error. */
int sl_keyset_add(struct sl_keyset *k, int space, const void *p, size_t n, struct sl_error *err);
/* Is it there? 1 / 0, < 0 on error. */
int sl_keyset_has(struct sl_keyset *k, int space, const void *p, size_t n, struct sl_error *err);
int64_t sl_keyset_count(const struct sl_keyset *k);
int64_t sl_keyset_spilled(const struct sl_keyset *k); /* keys written to disk so far */
void sl_keyset_close(struct sl_keyset *k);

/* Appends the key form of typed values (type-tagged, length-prefixed: no two different value
 * lists share one). */
void sl_key_append(struct sl_buf *b, const struct sl_value *v);

#endif
