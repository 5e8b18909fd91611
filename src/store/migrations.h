/*
 * sluice's own tables in a SQLite store (the catalog), brought up to date by an ordered list of
 * migrations. Internal to src/store/.
 */
#ifndef SLUICE_STORE_MIGRATIONS_H
#define SLUICE_STORE_MIGRATIONS_H

#include <sqlite3.h>

#include "sluice/core.h"
#include "sluice/store.h"

/* One ordered list of migrations serves every store: each has its SQL per dialect. */
enum { SL__DIALECT_SQLITE = 0, SL__DIALECT_PG = 1 };
size_t sl__migrations_count(void);
/* The i-th migration (0-based) in the given dialect; -1 past the end. */
int sl__migration_get(size_t i, int dialect, int *version, const char **name, const char **sql);

/* What undoes the i-th migration, in the dialect. */
const char *sl__migration_down(size_t i, int dialect);
/* SL_STORE_OPEN_* flags of the open in progress (sl_store_open_flags sets them). */
extern _Thread_local int sl__open_flags;

/* The highest schema version this sluice knows. */
int sl__migrations_latest(void);

/*
 * Creates sluice_migrations if missing and applies the migrations not applied yet, all in one
 * transaction. Refuses (SL_EDB) a database whose applied migrations were changed afterwards
 * (checksum) or that a newer sluice wrote. path names the database in messages. Takes the
 * write lock only when something is missing, so opening an up-to-date database to read it does
 * not wait for a load that is running.
 */
int sl__migrate(sqlite3 *h, const char *path, struct sl_error *err);

/* For a read-only open: checks, without writing, that the database has sluice's catalog, up to
 * date and unchanged. SL_EINVAL when it is not a sluice store or needs migrations. */
int sl__migrate_check(sqlite3 *h, const char *path, struct sl_error *err);

/* SQLite: the known migrations and what the database applied; undoing down to target. */
int sl__migrations_list(sqlite3 *h, const char *path, struct sl_migration_info **out, size_t *n,
                        struct sl_error *err);
int sl__migrate_down(sqlite3 *h, const char *path, int target, struct sl_error *err);

#endif
