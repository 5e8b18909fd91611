/* Pieces shared by src/version/ (internal). */
#ifndef SLUICE_VERSION_INTERNAL_H
#define SLUICE_VERSION_INTERNAL_H

#include "sluice/version.h"

/* A hash table of strings (open addressing): key → row and a count. Keys and rows are owned
 * (malloc'ed) by the table. */
struct sl__entry {
    char *key;
    char *row;
    int64_t count;
};
struct sl__table {
    struct sl__entry *v;
    size_t cap, n;
};
/* The entry of key; with insert, an empty one (key NULL: the caller sets it) when absent;
 * without, NULL when absent. */
struct sl__entry *sl__table_find(struct sl__table *t, const char *key, int insert);
void sl__table_free(struct sl__table *t);

/* Writes the rows of loads ids (cast with s) into silver through the open load or change
 * `load` (each row keeps the _load it came from). *rows (may be NULL): rows written.
 * (replay.c) */
int sl__replay_into_silver(struct sl_db *db, struct sl_load *load, const struct sl_schema *s,
                           const struct sl_load_info *loads, size_t n, const int64_t *ids,
                           size_t nids, int64_t *rows, struct sl_error *err);

/* A value as canonical JSON (what diff compares and shows). */
void sl__value_json(struct sl_buf *b, const struct sl_value *v);
/* The row's primary key values as canonical JSON joined by \x1f. */
void sl__row_key(struct sl_buf *b, const struct sl_schema *s, const struct sl_row *r);

#endif
