/* Transforms: what spec.c (parsing) and run.c (applying) share. Internal. */
#ifndef SLUICE_TRANSFORM_INTERNAL_H
#define SLUICE_TRANSFORM_INTERNAL_H

#include "sluice/transform.h"

enum {
    TF_TRIM,
    TF_LOWER,
    TF_UPPER,
    TF_COLLAPSE,
    TF_EMAIL,
    TF_HTML,
    TF_DEFAULT,
    TF_RENAME,
    TF_CAST,
    TF_UNIT,
    TF_TIMESTAMP,
    TF_OUTLIERS,
    TF_METADATA
};
enum { OUT_RANGE, OUT_ZSCORE, OUT_IQR };
enum { ACT_FLAG, ACT_CLIP, ACT_QUARANTINE };

extern const char *const sl__tf_names[];

struct tf_step {
    int kind;
    char **fields;
    size_t nfields;
    int severity;     /* of a value the step cannot handle: SL_ROW_INVALID or SL_ROW_WARNING */
    int lower_local;  /* normalize_email */
    char *value;      /* default */
    int value_kind;   /* default: enum sl_cell_kind */
    char *to;         /* rename */
    int type;         /* cast */
    char *unit_field; /* unit */
    const struct sl_unit *from_unit, *to_unit;
    int decimals;   /* unit: -1 = 12 significant digits */
    char **formats; /* timestamp */
    size_t nformats;
    char *zone;
    int ambiguous;      /* 0 earlier, 1 later, 2 error */
    int nonexistent;    /* 0 shift, 1 error */
    int method, action; /* outliers */
    double threshold;
    int has_lo, has_hi, resolved;
    double lo, hi, mean, sd, q1, q3;
    int64_t nstats;
    char *loaded_at, *input; /* metadata, recorded */
};

struct sl_transforms {
    struct tf_step *v;
    size_t n;
};

void sl__tf_step_json(const struct tf_step *st, struct sl_buf *b);

#endif
