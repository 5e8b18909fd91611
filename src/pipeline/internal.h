/* Pieces shared by the pipeline's commands (load, check, infer, cat, rebuild). Internal. */
#ifndef SLUICE_PIPELINE_INTERNAL_H
#define SLUICE_PIPELINE_INTERNAL_H

#include "sluice/sluice.h"

/* One opened input: stream, format, reader. */
struct sl__input {
    const struct sl_source *src;
    char *path;        /* as opened (base_dir applied) */
    const char *label; /* as the user named it */
    struct sl_stream *stream;
    const struct sl_format *format;
    struct sl_reader *reader;
    struct sl_format_opts fopts;
    struct sl_tf_run *tf; /* the source's transforms (sl__infer_pass applies them), or NULL */
};

/* Opens path of src: stream (spooled when stdin and spool; hashed, SHA-256, unless no_sha256:
 * check, infer and cat never ask for it), format (src->format or detected), reader. Errors name
 * the input. */
int sl__input_open(struct sl__input *in, const struct sl_source *src, const char *path,
                   int want_raw, int spool, int no_sha256, struct sl_error *err);
/* Back to the start with a fresh reader (same dialect; encoding as in->fopts now says). */
int sl__input_reopen(struct sl__input *in, int want_raw, struct sl_error *err);
void sl__input_close(struct sl__input *in);
int sl__input_is_json(const struct sl__input *in);
/* The next batch of the input into b (reset first), through tf when not NULL: 1 a batch, 0 the
 * end, < 0 an error (SL_EINTR after a signal). *labels (may be NULL) names b's cells. */
int sl__input_next(struct sl__input *in, struct sl_tf_run *tf, struct sl_batch *b,
                   const struct sl_labels **labels, struct sl_error *err);
/* Says the reader's hint (what probably went wrong reading the input) once, as a warning. */
void sl__input_say_hint(const struct sl__input *in);
/* After an input was read: when it was one JSON object (one record) holding an array of
 * objects under a key, a sentence suggesting --records POINTER (malloc'ed), else NULL.
 * sl__input_hint_warn logs it as a warning (check, cat, infer). */
char *sl__input_hint(const struct sl__input *in);
void sl__input_hint_warn(const struct sl__input *in);

/* Reads the whole input once: types of every column, SHA-256, and (CSV) the encoding. */
struct sl__inferred {
    struct sl_schema *schema;
    struct sl_renames renames;
    char sha256[65];
    char content_sha256[65]; /* decompressed */
    int64_t rows;
};
int sl__infer_pass(struct sl__input *in, int progress, struct sl__inferred *out,
                   struct sl_error *err);
void sl__inferred_free(struct sl__inferred *inf);

/* The schema a source's inputs are cast with: src->schema_path (relative to base_dir) or NULL
 * when it is inferred per input. */
int sl__source_schema(const struct sl_source *src, struct sl_schema **out, struct sl_error *err);
/*
 * A whole-record validator (a JSON Schema given as the source's schema), or NULL. With one,
 * sl__source_schema gives the schema's silver table (sl_jsonschema_table), inputs are opened
 * with SL__WANT_RAW_ANY (each record's JSON text kept, any JSON value a record), and
 * sl__recval_batch adds a "json-schema" error per failing keyword after the cast.
 */
struct sl__recval;
/* The silver table of the JSON Schema at path: 0 and *out, 1 when path is not a JSON Schema,
 * < 0 when it cannot be read. */
int sl__jsonschema_table_load(const char *path, struct sl_schema **out, struct sl_error *err);
#define SL__WANT_RAW_ANY 2
int sl__source_recval(const struct sl_source *src, struct sl__recval **out, struct sl_error *err);
/* 0, or < 0 when the schema itself is at fault (a reference that cannot be resolved). */
int sl__recval_batch(struct sl__recval *rv, struct sl_batch *b, struct sl_error *err);
void sl__recval_free(struct sl__recval *rv);
/* Before the cast: a number JSON Schema calls an integer but written 1.0 or 1e2, in an integer
 * column, is given as its plain digits so that the column takes it (the value is the same;
 * bronze keeps the text as received). */
void sl__recval_prepare(const struct sl_schema *s, const struct sl_mapping *m, struct sl_batch *b);
/* A JSON Schema validates JSON records only: an error naming the input when in is not JSON. */
int sl__recval_check_input(const struct sl__recval *rv, const struct sl__input *in,
                           struct sl_error *err);

/* Sets s's primary key from src->primary_key (if any); error names the missing field. */
int sl__apply_primary_key(const struct sl_source *src, struct sl_schema *s, struct sl_error *err);

/*
 * The source's timestamp field: its index in s (-1 when the source has none), and how many of
 * its values were dates or datetimes. A field declared (explicit: by a schema) with another type
 * than date or datetime, or inferred as a number or boolean, is refused at once (SL_ECONFIG,
 * exit 2, the type in the message); an inferred string column may hold dates among stray values
 * ("n/a", a typo), so its values are counted (sl__ts_batch) and judged at the end of the input
 * (sl__ts_verdict): less than half of them dates is refused too. ts_min/ts_max are taken over
 * the values that are dates or datetimes only, never "Afghanistan".
 */
struct sl__ts {
    int field;              /* -1: none */
    int count;              /* the type is string: values are classified one by one */
    int64_t values, dates;  /* non-missing values, and those that are dates or datetimes */
    char min[40], max[40];  /* their range, as text */
    const char *name, *why; /* the field's name and type's origin, for the message */
    int type;
};
int sl__ts_init(struct sl__ts *ts, const struct sl_source *src, const struct sl_schema *s,
                int explicit, const char *what, struct sl_error *err);
void sl__ts_batch(struct sl__ts *ts, const struct sl_batch *b);
int sl__ts_verdict(const struct sl__ts *ts, struct sl_error *err);

/* "[[label,name],...]" of the input columns, as a load records them. */
char *sl__columns_json(const struct sl_labels *labels);
/* The same with the field each column was mapped to (a positional mapping). */
char *sl__columns_json_mapped(const struct sl_labels *labels, const struct sl_mapping *m,
                              const struct sl_schema *s);
/* {"format":"csv","delimiter":",",...} */
char *sl__dialect_json(const struct sl__input *in);

/* Progress line on stderr (a terminal only; the caller decides). */
struct sl__progress {
    int on;
    double start, last;
    int64_t total; /* raw bytes, -1 unknown */
    const char *what;
};
void sl__progress_start(struct sl__progress *p, int on, int64_t total, const char *what);
void sl__progress_update(struct sl__progress *p, int64_t bytes, int64_t rows);
void sl__progress_end(struct sl__progress *p);

/* Checks over more than one row (keys.c): primary key and unique over the whole input in an
 * external key set, unique against silver, foreign keys. db may be NULL (check without a
 * store): then nothing is looked up in silver. */
struct sl__keycheck {
    const struct sl_schema *s;
    struct sl_db *db;
    const char *source;
    struct sl_keyset *ks; /* NULL when the schema has nothing to check */
    struct sl_buf key;
    int64_t repeats; /* rows whose primary key repeats an earlier row of the input */
};
int sl__keycheck_open(struct sl__keycheck *kc, const struct sl_schema *s, struct sl_db *db,
                      const char *source, struct sl_error *err);
/* Adds issues to the rows of b; < 0 on a store or key set error. */
int sl__keycheck_batch(struct sl__keycheck *kc, struct sl_batch *b, struct sl_error *err);
void sl__keycheck_close(struct sl__keycheck *kc);

/* Writes the invalid rows of b to r (rejects.c). labels: the input's labels when they may be
 * read on this thread (NULL otherwise); is_json: the input is JSON (records, not columns). */
int sl__rejects_batch(struct sl_rejects *r, const char *input, const struct sl_labels *labels,
                      int is_json, const struct sl_batch *b, struct sl_error *err);

/*
 * What the store can hold (src/pipeline/fit.c). sl__fit_batch makes invalid, with the reason,
 * every row of b the store could not keep: a record over one value or one row of bronze (its
 * raw record is cut to its first KiB, as one over max_record_size), a silver value over one
 * value or (jsonb) one JSON value, a silver row over one row. cast gives silver's fields, and
 * silver/widened the wider columns (as struct pipe in load.c).
 */
struct sl__fit {
    struct sl_store_limits limits;
    const struct sl_schema *cast, *silver;
    const unsigned char *widened;
};
void sl__fit_batch(const struct sl__fit *f, struct sl_batch *b);
/* SL_ECONFIG when max_record (0: the default) is more than the store can keep of a record. */
int sl__fit_max_record(const struct sl_store_limits *limits, const char *store, size_t max_record,
                       struct sl_error *err);

#endif
