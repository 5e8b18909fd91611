/*
 * Transforms: per-source steps that clean cells between the reader and the schema cast
 * (docs/transforms.md). A source declares them in sluice.yaml; every load records them,
 * resolved (statistics of outlier steps, the load time of metadata columns), so a rebuild
 * from bronze applies exactly what the load applied.
 *
 *   reader cells ─► sl_tf_run_batch (in order: trim, unit, timestamp, ...) ─► sl_cast_batch
 *
 * A run renumbers the cells of a batch into its own column space (sl_tf_run_labels): renames
 * and added columns (defaults, metadata) live there, the reader's labels stay as read (they
 * are what bronze records are decoded with).
 */
#ifndef SLUICE_TRANSFORM_H
#define SLUICE_TRANSFORM_H

#include <stddef.h>
#include <stdint.h>

#include "sluice/batch.h"
#include "sluice/core.h"
#include "sluice/json.h"
#include "sluice/schema.h"
#include "sluice/time.h" /* struct sl_tz: the timestamp step's zones */

/* Parsed steps of a source (immutable, shared by loads). */
struct sl_transforms;

/* Parses a `transforms:` list. recorded: the resolved form a load stored (accepts the keys
 * only a load writes: bounds, loaded_at, input). Errors name "path:line: what[i].key". */
int sl_transforms_parse(const struct sl_doc *d, const struct sl_node *list, const char *what,
                        int recorded, struct sl_transforms **out, struct sl_error *err);
/* Parses what sl_tf_run_json wrote ({"steps":[...],...}). */
int sl_transforms_from_json(const char *json, struct sl_transforms **out, struct sl_error *err);
void sl_transforms_free(struct sl_transforms *t);
/* A copy (NULL for NULL); the caller frees it with sl_transforms_free. */
struct sl_transforms *sl_transforms_copy(const struct sl_transforms *t);
size_t sl_transforms_count(const struct sl_transforms *t);

/* The state of the transforms of one load (or one rebuilt load). Not thread-safe: one
 * thread at a time (the pipeline's reader thread). */
struct sl_tf_run;

/* loaded_at: the load's start time (value of _loaded_at); input: the input's name (_input).
 * Opens the time zones timestamp steps name (errors name the zone). */
int sl_tf_run_new(const struct sl_transforms *t, double loaded_at, const char *input,
                  struct sl_tf_run **out, struct sl_error *err);
void sl_tf_run_free(struct sl_tf_run *r);
/* The run takes t and frees it with itself (a run made from a load's record). */
void sl_tf_run_adopt(struct sl_tf_run *r, struct sl_transforms *t);

/* Does a step need statistics of the whole input (z-score, IQR) that it does not have yet?
 * Then the input is read once with the run in statistics mode before it is loaded. */
int sl_tf_run_needs_stats(const struct sl_tf_run *r);
/* Statistics mode (the first pass): outlier steps collect values instead of acting, counts
 * are not kept. sl_tf_run_end_stats computes their bounds and leaves statistics mode. */
void sl_tf_run_begin_stats(struct sl_tf_run *r);
int sl_tf_run_end_stats(struct sl_tf_run *r, struct sl_error *err);

/*
 * Applies every step to the rows of b that the reader could read, in order: cells are
 * renumbered into sl_tf_run_labels' columns, changed values are allocated in b's arena,
 * problems become issues on the row. in: the reader's labels. Fails (with err) only on a
 * configuration that cannot work with this input (a rename onto an existing column).
 */
int sl_tf_run_batch(struct sl_tf_run *r, const struct sl_labels *in, struct sl_batch *b,
                    struct sl_error *err);
/* The column names after the transforms (valid until the next sl_tf_run_batch). */
const struct sl_labels *sl_tf_run_labels(const struct sl_tf_run *r);

/* Makes schema s fit the transforms: types of cast steps (inferred schemas only: an explicit
 * schema has the last word) and fields for metadata columns (_loaded_at, ...). */
void sl_tf_run_schema(const struct sl_tf_run *r, struct sl_schema *s, int inferred);

/* {"steps":[resolved steps],"changed":{"trim(name)":120,...}} (counts only if with_counts). */
void sl_tf_run_json(const struct sl_tf_run *r, int with_counts, struct sl_buf *b);
/* Values changed per step and field, in step order: name i ("trim(name)") and its count.
 * Returns how many there are. */
/* Forgets the counts (a second pass over the same input counts again). */
void sl_tf_run_reset_counts(struct sl_tf_run *r);
size_t sl_tf_run_counts(const struct sl_tf_run *r, size_t i, const char **name, int64_t *n);
/* Steps whose field the input does not have: "trim(nmae), unit(wieght)" into b (empty if
 * none). */
void sl_tf_run_unresolved(const struct sl_tf_run *r, struct sl_buf *b);

/* ---- the pieces, exposed for tests ----------------------------------------------------- */

/* Units. A unit belongs to a dimension (mass, length, ...); value_in_base = (v + offset) *
 * factor (temperatures: base °C). sl_unit_find knows names and aliases ("lbs", "pound", "°F",
 * "degF", "F"), case-insensitively where that is unambiguous. */
struct sl_unit {
    const char *name; /* canonical: "kg", "degC", "bpm" */
    const char *dimension;
    double factor, offset;
};
const struct sl_unit *sl_unit_find(const char *p, size_t n);
/* Converts v from one unit to another of the same dimension (0), -1 if they differ. */
int sl_unit_convert(double v, const struct sl_unit *from, const struct sl_unit *to, double *out);
/* The decimal places a converted value keeps (negative: tens, hundreds, ...): the resolution
 * of the input text p[0..n) (its last digit) in the target unit, plus one digit, so that
 * converting back and rounding to the input's last digit gives the input again; at most 15
 * significant digits of out. docs/transforms.md#unit. */
int sl_unit_decimals(const char *p, size_t n, const struct sl_unit *from, const struct sl_unit *to,
                     double out);

/* HTML to text: tags dropped (script/style with their content), block tags become a space,
 * entities decoded (named common set, &#N; and &#xH;). Writes to out (cleared first). */
void sl_html_strip(const char *p, size_t n, struct sl_buf *out);

/* Parses text with a strptime-like format (%Y %m %d %H %M %S %f %z %b %y %p %I %j %e %T %F
 * %%) or one of iso8601, epoch, epoch_ms. Fills *t (seconds; local unless *has_offset),
 * the fraction digits (frac, nfrac) and the offset. 0 ok, -1 no match. */
struct sl_ts {
    int64_t t;      /* seconds since the epoch of the wall time (local or UTC) */
    char frac[10];  /* fraction digits as written (NUL-terminated), "" if none */
    int has_offset; /* the text said its offset (Z, +02:00, epoch) */
    int32_t offset; /* seconds east of UTC */
};
int sl_ts_parse(const char *fmt, const char *p, size_t n, struct sl_ts *out);
/* "YYYY-MM-DDTHH:MM:SS[.frac]Z" of UTC instant t; buf >= 40. -1 if outside years 0..9999. */
int sl_ts_format(int64_t t, const char *frac, char *buf, size_t cap);

/* Exact quantiles in bounded memory: values beyond an in-memory block spill to a temporary
 * file; a quantile is found by radix selection over them (no sort, 512 KiB of counters). */
struct sl_quantiles;
struct sl_quantiles *sl_quantiles_new(size_t mem_values);
void sl_quantiles_free(struct sl_quantiles *q);
int sl_quantiles_add(struct sl_quantiles *q, double v, struct sl_error *err);
int64_t sl_quantiles_n(const struct sl_quantiles *q);
/* p in [0,1], linear interpolation between order statistics (numpy's default, "type 7"). */
int sl_quantiles_get(struct sl_quantiles *q, double p, double *out, struct sl_error *err);

#endif
