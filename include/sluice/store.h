/*
 * Stores: a database that holds bronze, silver and the catalog. A store is one file in
 * src/store/ plus one line in the registry (src/store/registry.c). Nothing outside src/store/
 * writes SQL.
 *
 * A load is atomic: begin_load opens the load's transaction, write adds batches, commit_load
 * makes the load (and its version) exist. abort_load, a crash or a kill leave no trace of it.
 */
#ifndef SLUICE_STORE_H
#define SLUICE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "sluice/batch.h"
#include "sluice/core.h"
#include "sluice/schema.h"

struct sl_db {
    const struct sl_store *store; /* every store's db struct starts with this */
    char *url;
};

/* What the catalog knows of a source. */
struct sl_source_state {
    int exists;
    struct sl_schema *schema; /* current silver schema (with its primary key), owned */
    char *timestamp;          /* owned, may be NULL */
};
void sl_source_state_free(struct sl_source_state *s);

/* One load, filled by the pipeline; id, counts of the store (repeats) filled by the store. */
struct sl_load {
    int64_t id;
    int64_t run;
    const char *source;
    const char *input; /* as given on the command line or found by the glob; "stdin" for - */
    int64_t input_size;
    char sha256[65];         /* of the input's bytes as stored (what sha256sum prints) */
    char content_sha256[65]; /* of its content as read, decompressed: the input's identity */
    const char *format;
    const char *compression;
    const char *encoding;
    const char *dialect_json; /* {"delimiter":",","quote":"\"","header":true,...} */
    const char *columns_json; /* input columns → silver columns: ["a","b"] or {"key":"col"} */
    const struct sl_schema *schema; /* the silver schema this load writes with */
    const char *timestamp;          /* the source's timestamp field, NULL if none */
    int64_t rows, valid, warning, invalid;
    int64_t repeats; /* rows whose primary key was already in silver or earlier in the load */
    char ts_min[40], ts_max[40]; /* range of the timestamp field ("" if none) */
    const char *status;          /* "committed", "skipped", "failed" */
    int64_t duplicate_of;        /* skipped: the load that has the same input */
    const char *message;
    const char *quality_json;
    const char *transforms_json; /* {"steps":[...],"changed":{...}}, NULL without transforms */
    double started, finished;
    int silver_change; /* from sl_schema_merge: 0 none, 1 add columns, 2 rebuild */
    /* Bronze only: a load that failed its quality thresholds is written again with this set;
     * begin_load records it as "failed" and not active, write skips silver, the source's
     * schema is not changed; commit_load commits its bronze rows and catalog row. */
    int bronze_only;
    const char *mode; /* "append", "upsert" or "snapshot" (src/version/): recorded per load */
    void *priv;       /* the store's state while the load is open */
};

/* A load as listed by `versions`. Strings owned by the array (sl_load_infos_free). */
struct sl_load_info {
    int64_t id, run;
    char *status;
    int active;
    char *input, *sha256, *format;
    char *content_sha256; /* NULL for loads recorded before it was kept */
    int64_t input_size, rows, valid, warning, invalid, duplicate_of;
    char *started, *finished;
    double seconds;
    char *message;
    char *quality_json;
    char *columns_json;
    char *schema_json;
    char *sluice_version;
    char *transforms_json; /* NULL: the load had no transforms */
    char *mode;            /* NULL for loads recorded before modes existed */
};
void sl_load_infos_free(struct sl_load_info *v, size_t n);
void sl_load_info_clear(struct sl_load_info *l); /* frees one entry's strings */

/* A bronze row read back for a rebuild. raw is valid during the callback only. */
struct sl_bronze_row {
    int64_t load, num, line, offset;
    const char *raw;
    size_t raw_len;
    const char *status;
};
typedef int (*sl_bronze_cb)(void *ctx, const struct sl_bronze_row *r, struct sl_error *err);

/* One recorded change of a load's active flag, for `sluice history`. Strings
 * owned by the array (sl_version_events_free). */
struct sl_version_event {
    int64_t id, load;
    char *source;
    char *action;  /* "activate" or "deactivate" */
    char *command; /* the command that did it: "rollback", "activate", "deactivate", "rebuild" */
    char *who;     /* $USER or getlogin(); may be NULL */
    char *at;      /* ISO 8601 UTC */
    char *reason;  /* --reason; may be NULL */
};
void sl_version_events_free(struct sl_version_event *v, size_t n);
/* A catalog migration as `sluice migrate status` shows it. */
struct sl_migration_info {
    int version;
    char *name;
    int known;        /* this sluice has it */
    int applied;      /* the database has it */
    int changed;      /* applied, but its checksum differs from this sluice's */
    char *applied_at; /* NULL if not applied */
};
void sl_migration_infos_free(struct sl_migration_info *v, size_t n);

/*
 * How large a value a store can hold, so that the pipeline can reject a record that does not fit
 * (an invalid row with its reason, bronze keeping what it can) before writing it, instead of
 * failing the load or storing NULL. Sizes in bytes; 0: no limit of that kind.
 */
struct sl_store_limits {
    int64_t record; /* the largest record bronze keeps whole: the ceiling of max_record_size */
    int64_t value;  /* one text or BLOB value */
    int64_t row;    /* one row, its values together (SQLite's length limit covers a whole row) */
    int64_t json;   /* one JSON value in the store's own form (PostgreSQL's jsonb) */
    /* that form's size of valid JSON text p[0..n) (at least the real one), or -1 when the
     * form cannot hold it at all; NULL when json is 0 */
    int64_t (*json_size)(const char *p, size_t n);
    /* for messages: "SQLite's length limit", "PostgreSQL's limit for a text value", ... */
    const char *value_what, *json_what;
};
struct sl__dialect; /* src/store/catalog.h */

struct sl_store {
    const char *scheme;       /* "sqlite", "postgresql" */
    const char *bronze_table; /* printf format of a source's bronze table: "bronze_%s" */
    const char *name;         /* for messages: "SQLite", "PostgreSQL" */
    int max_columns;          /* columns a table may have (silver adds _load and _row) */
    /* column names it cannot take (sl_name_rules), NULL: none; sl_store_open installs them */
    const struct sl_name_rules *name_rules;
    /* The store's SQL for the catalog statements that src/store/catalog.c writes once for
     * every store; methods that need nothing else of the store are catalog.c's sl__cat_*. */
    const struct sl__dialect *catalog;
    /* Opens (creating if needed) and brings the catalog up to date (migrations). */
    int (*open)(const char *url, struct sl_db **out, struct sl_error *err);
    void (*close)(struct sl_db *db);

    int (*source_state)(struct sl_db *db, const char *source, struct sl_source_state *out,
                        struct sl_error *err);
    /* A committed load of source with the same input: the same bytes (sha256, the file's
     * checksum) or the same content (content_sha256, decompressed; NULL when not known yet).
     * Its id in *load, else 0. Loads recorded before content_sha256 was kept match on sha256,
     * which was their content's checksum when they were not compressed. */
    int (*find_input)(struct sl_db *db, const char *source, const char *sha256,
                      const char *content_sha256, int64_t *load, struct sl_error *err);
    /* Does any committed load of source have an input of this size? (1/0, < 0 error) */
    int (*has_input_size)(struct sl_db *db, const char *source, int64_t size, struct sl_error *err);

    int (*begin_run)(struct sl_db *db, const char *command, int64_t *run, struct sl_error *err);
    int (*end_run)(struct sl_db *db, int64_t run, const char *status, int64_t loads,
                   struct sl_error *err);

    /* Starts the load's transaction; creates or alters the source's tables. When
     * load->silver_change == 2 silver is emptied and re-created: the caller refills it from
     * bronze with write_silver before writing the new load. */
    int (*begin_load)(struct sl_db *db, struct sl_load *load, struct sl_error *err);
    /* Bronze for every row, silver for rows that are not invalid. */
    int (*write)(struct sl_db *db, struct sl_load *load, const struct sl_batch *b,
                 struct sl_error *err);
    /* Silver only (rebuild from bronze), while a load is open: load is the earlier load the
     * rows came from (its id becomes _load; it may be a struct with just id set, then the open
     * load's statements are used). Repeats are not counted. */
    int (*write_silver)(struct sl_db *db, struct sl_load *load, const struct sl_batch *b,
                        struct sl_error *err);
    int (*commit_load)(struct sl_db *db, struct sl_load *load, struct sl_error *err);
    int (*abort_load)(struct sl_db *db, struct sl_load *load, struct sl_error *err);
    /* Records a load that wrote nothing (skipped, or failed before or during writing; abort
     * an open load first). Sets load->id. */
    int (*record_load)(struct sl_db *db, struct sl_load *load, struct sl_error *err);

    /* source NULL: every source. A NULL input_size is -1. */
    int (*list_loads)(struct sl_db *db, const char *source, struct sl_load_info **out, size_t *n,
                      struct sl_error *err);
    /* Sorted; the caller frees each name and the array with free(). */
    int (*list_sources)(struct sl_db *db, char ***names, size_t *n, struct sl_error *err);
    /* Is there a row in source's silver table whose columns cols equal vals (n of them) and,
     * when nexcl > 0, whose columns excl are not all equal to exvals (another row than the
     * one with this key)? *found = 1/0. No such table: 0. index: create an index on cols
     * first (for repeated lookups in a table without one). Works inside an open load (sees
     * its rows). May be NULL in a store: then nothing is found. */
    int (*silver_lookup)(struct sl_db *db, const char *source, const char *const *cols, size_t n,
                         const struct sl_value *const *vals, const char *const *excl,
                         const struct sl_value *const *exvals, size_t nexcl, int index,
                         uint8_t *found, struct sl_error *err);
    /* How many rows source's silver table holds now (0 when it has none). May be NULL in a
     * store: then the count is not reported. */
    int (*silver_rows)(struct sl_db *db, const char *source, int64_t *n, struct sl_error *err);
    /* Calls cb for each bronze row of load (in input order) that is not invalid. */
    int (*bronze_scan)(struct sl_db *db, const char *source, int64_t load, sl_bronze_cb cb,
                       void *ctx, struct sl_error *err);

    /*
     * Maintenance of a source outside a load (rollback, activate, deactivate, rebuild): one
     * write transaction in which active flags change and silver is refilled from bronze.
     *
     * begin_change opens it for change->source. change->schema is the source's current silver
     * schema; change->id is 0. With empty_silver, silver is dropped and re-created (empty) with
     * that schema; otherwise it is left as it is. The silver statements are prepared so that
     * write_silver(db, change, ...) works, with change->id set to the load the rows came from
     * (their _load) before each call. Only one load or change is open per connection.
     *
     * set_active sets the active flag of committed load `load` of change->source and records
     * the event (ev->action, command, who, reason; `at` is set by the store, ev->load and
     * ev->source are ignored). Fails with SL_ENOTFOUND when load is not a committed load of
     * the source. Only while a change is open.
     *
     * delete_silver_load removes the silver rows whose _load is `load`; *deleted (may be NULL) gets
     * how many (rollbacks: work proportional to the rows removed). Only while a change is open.
     *
     * end_change commits (commit != 0) or rolls back the change and frees its state; after a
     * failure of any method above, end_change(db, change, 0, ...) must still be called.
     */
    int (*begin_change)(struct sl_db *db, struct sl_load *change, int empty_silver,
                        struct sl_error *err);
    int (*set_active)(struct sl_db *db, struct sl_load *change, int64_t load, int active,
                      const struct sl_version_event *ev, struct sl_error *err);
    int (*delete_silver_load)(struct sl_db *db, struct sl_load *change, int64_t load,
                              int64_t *deleted, struct sl_error *err);
    int (*end_change)(struct sl_db *db, struct sl_load *change, int commit, struct sl_error *err);
    /* Every recorded event of source (NULL: all sources), oldest first. */
    int (*list_events)(struct sl_db *db, const char *source, struct sl_version_event **out,
                       size_t *n, struct sl_error *err);
    /* Catalog migrations (`sluice migrate`): the known and the applied ones, by version. */
    int (*migrations)(struct sl_db *db, struct sl_migration_info **out, size_t *n,
                      struct sl_error *err);
    /* target < 0: apply every missing migration; else undo the applied ones above target. */
    int (*migrate)(struct sl_db *db, int target, struct sl_error *err);
    /* What one value and one row may hold in this database (sl_store_limits). */
    void (*limits)(struct sl_db *db, struct sl_store_limits *out);
};

extern const struct sl_store sl_store_sqlite;
extern const struct sl_store sl_store_postgres;

/* "sqlite:PATH", a plain path, or "postgresql://..." → the store that serves it. */
int sl_store_open(const char *url, struct sl_db **out, struct sl_error *err);
/* SL_STORE_OPEN_NO_MIGRATE: open without bringing the catalog up to date (sluice migrate).
 * SL_STORE_OPEN_READ_ONLY: for commands that only read (versions, quality, lineage, diff...):
 * nothing is created or migrated (SQLite opens the file read-only, PostgreSQL's session is
 * read-only); a database without sluice's catalog is refused (SL_ENOTFOUND, "not a sluice
 * store"), and so is a catalog that needs migrations (SL_EINVAL: `sluice migrate up` first). */
/* SL_STORE_OPEN_EXISTING: for commands that change an existing source (rollback, activate,
 * rebuild...): a database without sluice's catalog is refused as for READ_ONLY, and left as it
 * is (no catalog created); an existing catalog is migrated as usual. */
enum { SL_STORE_OPEN_NO_MIGRATE = 1, SL_STORE_OPEN_READ_ONLY = 2, SL_STORE_OPEN_EXISTING = 4 };
int sl_store_open_flags(const char *url, int flags, struct sl_db **out, struct sl_error *err);
void sl_store_close(struct sl_db *db);
/* How long SQLite stores wait for another writer before failing with "the database is locked"
 * (seconds; < 0: the default). A message on stderr says so after a second of waiting. */
#define SL_STORE_BUSY_TIMEOUT_DEFAULT 600.0
void sl_store_set_busy_timeout(double seconds);
/* The file of a SQLite store URL (as sl_store_open reads it), or NULL for another store. */
const char *sl_store_sqlite_path(const char *url);

/* Source names become table names: letters, digits and _ (1..63 bytes), not starting with
 * sluice_ or bronze_. sl_source_name_from_path maps a file stem to such a name. */
int sl_source_name_check(const char *name, struct sl_error *err);
/* Source names are unique ignoring case in every store (SQLite's table names ignore case, and
 * a store's sources can move to another store): SL_EINVAL naming the existing source when db
 * has one whose name differs from name only by case, else 0. sl_source_case_error sets that
 * error (the stores check again inside a load's transaction). */
int sl_source_case_conflict(struct sl_db *db, const char *name, struct sl_error *err);
int sl_source_case_error(const char *name, const char *existing, struct sl_error *err);
char *sl_source_name_from_path(const char *path); /* malloc'ed */

#endif
