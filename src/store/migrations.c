/*
 * Migrations of the catalog tables. A migration is never edited once released: its checksum
 * (SHA-256 of its SQL) is recorded when it is applied and checked on every open, so a changed
 * migration is caught instead of silently leaving databases in two different shapes. A change
 * to the catalog is a new entry at the end of the list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/core.h"
#include "sluice/stream.h"
#include "migrations.h"

struct migration {
    int version;
    const char *name;
    const char *sql;    /* SQLite */
    const char *pg_sql; /* PostgreSQL (the catalog in schema sluice) */
    /* `sluice migrate down`: what undoes it, per dialect (not part of the checksum) */
    const char *down_sql, *pg_down_sql;
};

static const struct migration migrations[] = {
    {1, "catalog",
     "CREATE TABLE sluice_sources(\n"
     "  name TEXT PRIMARY KEY,\n"
     "  silver TEXT NOT NULL,\n"
     "  bronze TEXT NOT NULL,\n"
     "  schema TEXT NOT NULL,\n"
     "  timestamp_field TEXT,\n"
     "  created TEXT NOT NULL,\n"
     "  updated TEXT NOT NULL);\n"
     "CREATE TABLE sluice_runs(\n"
     "  run INTEGER PRIMARY KEY,\n"
     "  command TEXT NOT NULL,\n"
     "  status TEXT NOT NULL,\n"
     "  started TEXT NOT NULL,\n"
     "  finished TEXT,\n"
     "  loads INTEGER NOT NULL DEFAULT 0,\n"
     "  sluice_version TEXT NOT NULL,\n"
     "  host TEXT,\n"
     "  pid INTEGER);\n"
     "CREATE TABLE sluice_loads(\n"
     "  load INTEGER PRIMARY KEY,\n"
     "  source TEXT NOT NULL,\n"
     "  run INTEGER,\n"
     "  status TEXT NOT NULL CHECK(status IN ('committed','skipped','failed')),\n"
     "  active INTEGER NOT NULL DEFAULT 0,\n"
     "  input TEXT NOT NULL,\n"
     "  input_size INTEGER,\n"
     "  sha256 TEXT,\n"
     "  format TEXT,\n"
     "  compression TEXT,\n"
     "  encoding TEXT,\n"
     "  dialect TEXT,\n"
     "  columns TEXT,\n"
     "  schema TEXT,\n"
     "  timestamp_field TEXT,\n"
     "  rows INTEGER NOT NULL DEFAULT 0,\n"
     "  valid INTEGER NOT NULL DEFAULT 0,\n"
     "  warning INTEGER NOT NULL DEFAULT 0,\n"
     "  invalid INTEGER NOT NULL DEFAULT 0,\n"
     "  repeats INTEGER NOT NULL DEFAULT 0,\n"
     "  bronze_first INTEGER,\n"
     "  bronze_last INTEGER,\n"
     "  ts_min TEXT,\n"
     "  ts_max TEXT,\n"
     "  quality TEXT,\n"
     "  duplicate_of INTEGER,\n"
     "  message TEXT,\n"
     "  started TEXT NOT NULL,\n"
     "  finished TEXT,\n"
     "  seconds REAL,\n"
     "  sluice_version TEXT NOT NULL);\n"
     "CREATE INDEX sluice_loads_source_sha256 ON sluice_loads(source, sha256);\n",
     "CREATE TABLE sluice.sources(\n"
     "  name TEXT PRIMARY KEY,\n"
     "  silver TEXT NOT NULL,\n"
     "  bronze TEXT NOT NULL,\n"
     "  schema TEXT NOT NULL,\n"
     "  timestamp_field TEXT,\n"
     "  created TEXT NOT NULL,\n"
     "  updated TEXT NOT NULL);\n"
     "CREATE TABLE sluice.runs(\n"
     "  run BIGSERIAL PRIMARY KEY,\n"
     "  command TEXT NOT NULL,\n"
     "  status TEXT NOT NULL,\n"
     "  started TEXT NOT NULL,\n"
     "  finished TEXT,\n"
     "  loads BIGINT NOT NULL DEFAULT 0,\n"
     "  sluice_version TEXT NOT NULL,\n"
     "  host TEXT,\n"
     "  pid BIGINT);\n"
     "CREATE TABLE sluice.loads(\n"
     "  load BIGSERIAL PRIMARY KEY,\n"
     "  source TEXT NOT NULL,\n"
     "  run BIGINT,\n"
     "  status TEXT NOT NULL CHECK(status IN ('committed','skipped','failed')),\n"
     "  active INTEGER NOT NULL DEFAULT 0,\n"
     "  input TEXT NOT NULL,\n"
     "  input_size BIGINT,\n"
     "  sha256 TEXT,\n"
     "  format TEXT,\n"
     "  compression TEXT,\n"
     "  encoding TEXT,\n"
     "  dialect TEXT,\n"
     "  columns TEXT,\n"
     "  schema TEXT,\n"
     "  timestamp_field TEXT,\n"
     "  rows BIGINT NOT NULL DEFAULT 0,\n"
     "  valid BIGINT NOT NULL DEFAULT 0,\n"
     "  warning BIGINT NOT NULL DEFAULT 0,\n"
     "  invalid BIGINT NOT NULL DEFAULT 0,\n"
     "  repeats BIGINT NOT NULL DEFAULT 0,\n"
     "  bronze_first BIGINT,\n"
     "  bronze_last BIGINT,\n"
     "  ts_min TEXT,\n"
     "  ts_max TEXT,\n"
     "  quality TEXT,\n"
     "  duplicate_of BIGINT,\n"
     "  message TEXT,\n"
     "  started TEXT NOT NULL,\n"
     "  finished TEXT,\n"
     "  seconds DOUBLE PRECISION,\n"
     "  sluice_version TEXT NOT NULL);\n"
     "CREATE INDEX loads_source_sha256 ON sluice.loads(source, sha256);\n",
     "DROP TABLE sluice_loads; DROP TABLE sluice_runs; DROP TABLE sluice_sources;",
     "DROP TABLE sluice.loads; DROP TABLE sluice.runs; DROP TABLE sluice.sources;"},
    {2, "load transforms",
     /* the resolved transform steps of a load and the values each changed (JSON) */
     "ALTER TABLE sluice_loads ADD COLUMN transforms TEXT;\n",
     "ALTER TABLE sluice.loads ADD COLUMN transforms TEXT;\n",
     "ALTER TABLE sluice_loads DROP COLUMN transforms;",
     "ALTER TABLE sluice.loads DROP COLUMN transforms;"},
    {3, "versions",
     /* each load's mode, and who changed which load's active flag, when and why */
     "ALTER TABLE sluice_loads ADD COLUMN mode TEXT;\n"
     "CREATE TABLE sluice_version_events(\n"
     "  event INTEGER PRIMARY KEY,\n"
     "  source TEXT NOT NULL,\n"
     "  load INTEGER NOT NULL,\n"
     "  action TEXT NOT NULL CHECK(action IN ('activate','deactivate')),\n"
     "  command TEXT NOT NULL,\n"
     "  who TEXT,\n"
     "  at TEXT NOT NULL,\n"
     "  reason TEXT);\n"
     "CREATE INDEX sluice_version_events_source ON sluice_version_events(source, event);\n",
     "ALTER TABLE sluice.loads ADD COLUMN mode TEXT;\n"
     "CREATE TABLE sluice.version_events(\n"
     "  event BIGSERIAL PRIMARY KEY,\n"
     "  source TEXT NOT NULL,\n"
     "  load BIGINT NOT NULL,\n"
     "  action TEXT NOT NULL CHECK(action IN ('activate','deactivate')),\n"
     "  command TEXT NOT NULL,\n"
     "  who TEXT,\n"
     "  at TEXT NOT NULL,\n"
     "  reason TEXT);\n"
     "CREATE INDEX version_events_source ON sluice.version_events(source, event);\n",
     "DROP TABLE sluice_version_events; ALTER TABLE sluice_loads DROP COLUMN mode;",
     "DROP TABLE sluice.version_events; ALTER TABLE sluice.loads DROP COLUMN mode;"},
    {4, "content checksum",
     /* the SHA-256 of the input's content as read (decompressed): a.csv and a.csv.gz are the
      * same input; sha256 stays the checksum of the file's bytes */
     "ALTER TABLE sluice_loads ADD COLUMN content_sha256 TEXT;\n"
     "CREATE INDEX sluice_loads_source_content ON sluice_loads(source, content_sha256);\n",
     "ALTER TABLE sluice.loads ADD COLUMN content_sha256 TEXT;\n"
     "CREATE INDEX loads_source_content ON sluice.loads(source, content_sha256);\n",
     "DROP INDEX sluice_loads_source_content; ALTER TABLE sluice_loads DROP COLUMN "
     "content_sha256;",
     "DROP INDEX sluice.loads_source_content; ALTER TABLE sluice.loads DROP COLUMN "
     "content_sha256;"},
};

#define NMIGRATIONS (sizeof migrations / sizeof migrations[0])

int sl__migrations_latest(void)
{
    return migrations[NMIGRATIONS - 1].version;
}

size_t sl__migrations_count(void)
{
    return NMIGRATIONS;
}

const char *sl__migration_down(size_t i, int dialect)
{
    if (i >= NMIGRATIONS) return NULL;
    return dialect == SL__DIALECT_PG ? migrations[i].pg_down_sql : migrations[i].down_sql;
}

_Thread_local int sl__open_flags; /* set by sl_store_open_flags around a store's open */

int sl__migration_get(size_t i, int dialect, int *version, const char **name, const char **sql)
{
    if (i >= NMIGRATIONS) return -1;
    *version = migrations[i].version;
    *name = migrations[i].name;
    *sql = dialect == SL__DIALECT_PG ? migrations[i].pg_sql : migrations[i].sql;
    return 0;
}

static void checksum(const char *sql, char hex[65])
{
    sl_sha256_hex(sql, strlen(sql), hex);
}

static int db_error(sqlite3 *h, const char *path, const char *doing, struct sl_error *err)
{
    return sl_error_set(err, SL_EDB, "%s: %s: %s", path, doing, sqlite3_errmsg(h));
}

static const struct migration *find(int version)
{
    for (size_t i = 0; i < NMIGRATIONS; i++)
        if (migrations[i].version == version) return &migrations[i];
    return NULL;
}

/*
 * Checks what is recorded and marks applied[i] for each migration already applied.
 * *missing is the number of migrations still to apply.
 */
static int verify(sqlite3 *h, const char *path, int *applied, size_t *missing, struct sl_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = 0, s, exists = 0;

    memset(applied, 0, NMIGRATIONS * sizeof *applied);
    *missing = NMIGRATIONS;
    if (sqlite3_prepare_v2(h,
                           "SELECT 1 FROM sqlite_master WHERE type='table' AND "
                           "name='sluice_migrations'",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = db_error(h, path, "reading the catalog", err);
        goto out;
    }
    s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        exists = 1;
    } else if (s != SQLITE_DONE) {
        rc = db_error(h, path, "reading the catalog", err);
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (!exists) goto out;

    if (sqlite3_prepare_v2(h,
                           "SELECT version, name, checksum FROM sluice_migrations ORDER BY version",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = db_error(h, path, "reading sluice_migrations", err);
        goto out;
    }
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int version = sqlite3_column_int(st, 0);
        const char *sum = (const char *)sqlite3_column_text(st, 2);
        const struct migration *m = find(version);
        char want[65];

        if (version > sl__migrations_latest()) {
            rc = sl_error_set(err, SL_EDB,
                              "%s: this database was written by a newer sluice (schema version "
                              "%d; this sluice knows up to %d)",
                              path, version, sl__migrations_latest());
            goto out;
        }
        if (!m) continue; /* a retired version number: nothing to check */
        checksum(m->sql, want);
        if (!sum || strcmp(sum, want)) {
            rc = sl_error_set(err, SL_EDB, "%s: migration %d (%s) was changed after it was applied",
                              path, m->version, m->name);
            goto out;
        }
        applied[m - migrations] = 1;
        (*missing)--;
    }
    if (s != SQLITE_DONE) rc = db_error(h, path, "reading sluice_migrations", err);
out:
    sqlite3_finalize(st);
    return rc;
}

static int apply(sqlite3 *h, const char *path, const struct migration *m, struct sl_error *err)
{
    sqlite3_stmt *st = NULL;
    char *msg = NULL, sum[65], now[40];
    int rc = 0;

    if (sqlite3_exec(h, m->sql, NULL, NULL, &msg) != SQLITE_OK) {
        rc = sl_error_set(err, SL_EDB, "%s: migration %d (%s): %s", path, m->version, m->name,
                          msg ? msg : sqlite3_errmsg(h));
        goto out;
    }
    checksum(m->sql, sum);
    sl_time_iso(sl_now(), now, sizeof now);
    if (sqlite3_prepare_v2(h,
                           "INSERT INTO sluice_migrations(version, name, checksum, applied_at) "
                           "VALUES(?1, ?2, ?3, ?4)",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = db_error(h, path, "recording a migration", err);
        goto out;
    }
    sqlite3_bind_int(st, 1, m->version);
    sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, sum, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) rc = db_error(h, path, "recording a migration", err);
out:
    sqlite3_free(msg);
    sqlite3_finalize(st);
    return rc;
}

int sl__migrate(sqlite3 *h, const char *path, struct sl_error *err)
{
    int applied[NMIGRATIONS];
    size_t missing = 0;
    int rc, in_tx = 0;

    /* Most opens find everything applied: check without taking the write lock. */
    rc = verify(h, path, applied, &missing, err);
    if (rc < 0 || missing == 0) return rc;

    if (sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_error(h, path, "starting the catalog migration", err);
        goto out;
    }
    in_tx = 1;
    if (sqlite3_exec(h,
                     "CREATE TABLE IF NOT EXISTS sluice_migrations(version INTEGER PRIMARY KEY, "
                     "name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)",
                     NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_error(h, path, "creating sluice_migrations", err);
        goto out;
    }
    /* Another process may have migrated between the check and the lock. */
    rc = verify(h, path, applied, &missing, err);
    if (rc < 0) goto out;
    for (size_t i = 0; i < NMIGRATIONS; i++) {
        if (applied[i]) continue;
        rc = apply(h, path, &migrations[i], err);
        if (rc < 0) goto out;
    }
    if (sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_error(h, path, "committing the catalog migration", err);
        goto out;
    }
    in_tx = 0;
out:
    if (in_tx) sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int sl__migrate_check(sqlite3 *h, const char *path, struct sl_error *err)
{
    int applied[NMIGRATIONS];
    size_t missing = 0;
    int rc = verify(h, path, applied, &missing, err);

    if (rc < 0 || missing == 0) return rc;
    if (missing == NMIGRATIONS)
        return sl_error_set(err, SL_ENOTFOUND,
                            "%s is not a sluice store (a SQLite database without sluice's "
                            "catalog); it was left as it is",
                            path);
    return sl_error_set(err, SL_EINVAL,
                        "%s: the catalog was written by an older sluice (%zu migration%s to "
                        "apply); `sluice migrate up` (or a load) brings it up to date",
                        path, missing, missing == 1 ? "" : "s");
}

int sl__migrations_list(sqlite3 *h, const char *path, struct sl_migration_info **out, size_t *n,
                        struct sl_error *err)
{
    sqlite3_stmt *st = NULL;
    struct sl_migration_info *v;
    size_t len = NMIGRATIONS, cap = NMIGRATIONS + 8;
    int rc = 0, s;

    v = sl_xcalloc(cap, sizeof *v);
    for (size_t i = 0; i < NMIGRATIONS; i++) {
        v[i].version = migrations[i].version;
        v[i].name = sl_xstrdup(migrations[i].name);
        v[i].known = 1;
    }
    if (sqlite3_prepare_v2(h,
                           "SELECT version, name, checksum, applied_at FROM sluice_migrations "
                           "ORDER BY version",
                           -1, &st, NULL) != SQLITE_OK) {
        /* no table: nothing applied yet */
        if (strstr(sqlite3_errmsg(h), "no such table")) goto done;
        rc = db_error(h, path, "reading sluice_migrations", err);
        goto done;
    }
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int version = sqlite3_column_int(st, 0);
        const char *sum = (const char *)sqlite3_column_text(st, 2);
        const char *at = (const char *)sqlite3_column_text(st, 3);
        const struct migration *m = find(version);
        struct sl_migration_info *mi;
        if (m) {
            char want[65];
            mi = &v[m - migrations];
            checksum(m->sql, want);
            mi->changed = !sum || strcmp(sum, want);
        } else {
            if (len == cap) v = sl_xrealloc(v, (cap *= 2) * sizeof *v);
            mi = &v[len++];
            memset(mi, 0, sizeof *mi);
            mi->version = version;
            mi->name = sl_xstrdup((const char *)sqlite3_column_text(st, 1));
        }
        mi->applied = 1;
        mi->applied_at = at ? sl_xstrdup(at) : NULL;
    }
    if (s != SQLITE_DONE) rc = db_error(h, path, "reading sluice_migrations", err);
done:
    sqlite3_finalize(st);
    *out = v;
    *n = len;
    return rc;
}

int sl__migrate_down(sqlite3 *h, const char *path, int target, struct sl_error *err)
{
    struct sl_migration_info *v = NULL;
    size_t n = 0;
    int rc;

    if (sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_error(h, path, "starting the migration", err);
    rc = sl__migrations_list(h, path, &v, &n, err);
    for (size_t k = n; rc == 0 && k-- > 0;) {
        const struct migration *m;
        char *msg = NULL, sql[96];
        if (!v[k].applied || v[k].version <= target) continue;
        if (!v[k].known || !(m = find(v[k].version))) {
            rc = sl_error_set(err, SL_EDB,
                              "%s: migration %d is unknown to this sluice: cannot undo it", path,
                              v[k].version);
            break;
        }
        if (sqlite3_exec(h, m->down_sql, NULL, NULL, &msg) != SQLITE_OK) {
            rc = sl_error_set(err, SL_EDB, "%s: undoing migration %d (%s): %s", path, m->version,
                              m->name, msg ? msg : sqlite3_errmsg(h));
            sqlite3_free(msg);
            break;
        }
        snprintf(sql, sizeof sql, "DELETE FROM sluice_migrations WHERE version = %d", m->version);
        if (sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK)
            rc = db_error(h, path, "recording the migration", err);
    }
    sl_migration_infos_free(v, n);
    if (rc == 0 && sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = db_error(h, path, "committing the migration", err);
    if (rc < 0 && !sqlite3_get_autocommit(h)) sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

void sl_migration_infos_free(struct sl_migration_info *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].name);
        free(v[i].applied_at);
    }
    free(v);
}
