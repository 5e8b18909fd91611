/*
 * Versions: load modes, rebuilds, rollbacks, diffs and the schema history of a source. Everything
 * here is store-independent: it works through the store's methods (list_loads, bronze_scan,
 * begin_change, set_active, delete_silver_load, write_silver, end_change, list_events) and keeps
 * DESIGN.md's invariant: silver is a pure function of the active bronze loads.
 *
 * Which loads silver is a function of (the "replay set"): the committed, active loads of the
 * source in load order, from the last active snapshot-mode load on (a snapshot load is the
 * complete state, so what came before it no longer matters).
 */
#ifndef SLUICE_VERSION_H
#define SLUICE_VERSION_H

#include <stddef.h>
#include <stdint.h>

#include "sluice/config.h"
#include "sluice/core.h"
#include "sluice/schema.h"
#include "sluice/store.h"

/* ---- modes ------------------------------------------------------------------------------ */

/* "append", "upsert" or "snapshot": 0, else SL_ECONFIG naming the value. */
int sl_mode_check(const char *mode, struct sl_error *err);
/* The mode a new load of source uses: explicit (config or --mode) if given, else the mode of
 * the source's latest committed load, else upsert when s has a primary key and append when not.
 * append needs a source without a key, upsert one with a key (SL_ECONFIG otherwise). *out is a
 * static string. */
int sl_mode_for_load(struct sl_db *db, const char *source, const char *explicit_mode,
                     const struct sl_schema *s, const char **out, struct sl_error *err);
/* A load recorded before modes existed: upsert when keyed, else append. */
const char *sl_load_mode(const struct sl_load_info *l, const struct sl_schema *s);

/* ---- replay: silver from bronze ---------------------------------------------------------- */

/* The replay set (see above) when loads[i] is active iff active[i], counting only loads with
 * id <= upto (upto <= 0: all). ids has room for n; returns how many were written. */
size_t sl_replay_set(const struct sl_load_info *loads, size_t n, const int *active, int64_t upto,
                     const struct sl_schema *s, int64_t *ids);

/* Rows of load `load` cast with the silver schema, in input order; b's rows are never
 * invalid. */
typedef int (*sl_replay_cb)(void *ctx, const struct sl_load_info *load, struct sl_batch *b,
                            struct sl_error *err);
/* Reads the bronze rows (not invalid) of each load in ids (in that order) and casts them with
 * s, as a load would have, in batches. A row that no longer fits s is an error. */
int sl_replay(struct sl_db *db, const char *source, const struct sl_schema *s,
              const struct sl_load_info *loads, size_t nloads, const int64_t *ids, size_t nids,
              sl_replay_cb cb, void *ctx, struct sl_error *err);
/* Refills silver from the replay set of the source's active committed loads, inside the open
 * load's transaction, after begin_load emptied silver (a load that rebuilds silver). */
int sl_rebuild_silver(struct sl_db *db, struct sl_load *load, const struct sl_schema *s,
                      struct sl_error *err);

/* ---- changes: rollback, activate, deactivate, rebuild ------------------------------------ */

struct sl_flag_change {
    int64_t load;
    int active;
};

struct sl_change_result {
    int64_t changed;      /* loads whose flag changed */
    int64_t replayed;     /* loads whose bronze was read again */
    int64_t rows_written; /* silver rows written from bronze */
    int64_t rows_deleted; /* silver rows of deactivated loads removed by _load */
    int full;             /* silver was rebuilt from scratch */
};

/* Sets the active flags (each change recorded with command, who and reason; a flag that is
 * already as asked is not recorded) and brings silver to exactly the rebuild of the new replay
 * set, in one transaction. n == 0 is a plain rebuild. Work is proportional to the rows of the
 * changed loads when every load of the source is append mode or when upsert loads newer than
 * every active one are activated; a keyed source that only loses loads rewrites only the keys
 * they wrote; otherwise silver is rebuilt from its replay set (see src/version/change.c). */
int sl_version_change(struct sl_db *db, const char *source, const char *command,
                      const struct sl_flag_change *ch, size_t n, const char *reason,
                      struct sl_change_result *res, struct sl_error *err);
/* Deactivates every committed load after v, activates v: silver becomes the state after v. */
int sl_version_rollback(struct sl_db *db, const char *source, int64_t v, const char *reason,
                        struct sl_change_result *res, struct sl_error *err);
/* $USER, else getlogin(), else NULL. Static storage. */
const char *sl_version_who(void);

/* ---- diff --------------------------------------------------------------------------------- */

/* The state after v: the replay set of {active loads before v} + {v}. */
struct sl_diff_opts {
    size_t sample; /* changes listed (default 10) */
};
/* Writes the diff of the states after v1 and after v2 as JSON (CLI.md) into json, and as text
 * into text (either may be NULL). Holds both states in memory (key → row). */
int sl_version_diff(struct sl_db *db, const char *source, int64_t v1, int64_t v2,
                    const struct sl_diff_opts *o, struct sl_buf *json, struct sl_buf *text,
                    struct sl_error *err);

/* ---- schema registry ---------------------------------------------------------------------- */

enum sl_schema_change {
    SL_SCHEMA_SAME = 0,
    SL_SCHEMA_ADDITIVE, /* new optional fields */
    SL_SCHEMA_WIDENING, /* a type widened (and maybe fields added) */
    SL_SCHEMA_BREAKING  /* a field removed, a type narrowed, a constraint tightened */
};
const char *sl_schema_change_name(int c);
/* Classifies the change from a to b; why (may be NULL) gets one clause per difference. */
int sl_schema_classify(const struct sl_schema *a, const struct sl_schema *b, struct sl_buf *why);
/* The source's schema versions (a new version whenever the recorded schema's content changes,
 * in load order), as text, JSON or YAML (format: 0 text, 1 json, 2 yaml). history: all of them,
 * else only the current one. */
int sl_schema_registry(struct sl_db *db, const char *source, int history, int format,
                       struct sl_buf *out, struct sl_error *err);
/* A load with an explicit schema: the change from silver's schema to it is classified. A
 * breaking one without allow is SL_ECONFIG naming what breaks; with allow, *merged (owned)
 * becomes a copy of load (with silver's key when load names none) and *change 2 (silver is
 * rebuilt from bronze with it). Other changes leave *merged and *change alone. */
int sl_schema_gate(const struct sl_schema *silver, const struct sl_schema *load, int allow,
                   struct sl_schema **merged, int *change, struct sl_error *err);

#endif
