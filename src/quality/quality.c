/*
 * Data quality of a load, with the definitions of CLI.md. Counting happens per batch after the
 * schema step (on the reader thread); the figures are computed once at the end.
 *
 * Everything is counted from what the schema step leaves behind: the typed values (a missing
 * cell is NULL with len 0, a cell that failed its cast NULL with len 1) and each row's issues
 * with their Frictionless codes. How a constraint is checked is the schema's business; quality
 * only needs to know which cells a constraint covers (sl_quality_rules) and which issues say
 * that one failed (code and constraint name).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sluice/quality.h"
#include "sluice/time.h"

static const char *const metric_names[SL_M_COUNT] = {"completeness", "validity",   "uniqueness",
                                                     "consistency",  "timeliness", "accuracy"};

const char *sl_metric_name(int metric)
{
    return metric >= 0 && metric < SL_M_COUNT ? metric_names[metric] : "?";
}

double sl_quality_metric(const struct sl_quality_score *s, int metric)
{
    switch (metric) {
    case SL_M_COMPLETENESS: return s->completeness;
    case SL_M_VALIDITY: return s->validity;
    case SL_M_UNIQUENESS: return s->uniqueness;
    case SL_M_CONSISTENCY: return s->consistency;
    case SL_M_TIMELINESS: return s->timeliness;
    case SL_M_ACCURACY: return s->accuracy;
    }
    return s->score;
}

/*
 * The accuracy constraints a field declares. The schema model of src/schema does not describe
 * ranges, enums or foreign keys yet: until it does no cell is covered up front, and a field
 * counts as covered once an issue says one of its constraints failed (see sl_quality_compute),
 * so failures are never ignored. When struct sl_field gains minimum / maximum / enum / a
 * foreign key, this is the one place to read them.
 */
static int numeric(const struct sl_value *v, double *d)
{
    if (v->type == SL_V_INT)
        *d = (double)v->u.i;
    else if (v->type == SL_V_REAL)
        *d = v->u.d;
    else
        return 0;
    return isfinite(*d);
}

/* What accuracy covers of field i: its range and enum, and the foreign keys it is part of. */
static void field_rules(const struct sl_schema *s, size_t i, struct sl_quality_rules *r)
{
    const struct sl_field *f = &s->fields[i];
    const struct sl_field_rules *fr = f->rules;

    memset(r, 0, sizeof *r);
    if (fr) {
        if (fr->min_raw || fr->max_raw || fr->nenum) r->covered = 1;
        if (fr->min_raw) r->has_min = numeric(&fr->min, &r->min);
        if (fr->max_raw) r->has_max = numeric(&fr->max, &r->max);
    }
    for (size_t k = 0; k < s->nfkeys && !r->covered; k++)
        for (size_t j = 0; j < s->fkeys[k].n; j++)
            if (!strcmp(s->fkeys[k].fields[j], f->name)) r->covered = 1;
}

void sl_quality_init(struct sl_quality *q, const struct sl_schema *s)
{
    memset(q, 0, sizeof *q);
    q->nfields = s->nfields;
    q->fields = sl_xcalloc(s->nfields ? s->nfields : 1, sizeof *q->fields);
    q->stamp = sl_xcalloc(2 * (s->nfields ? s->nfields : 1), sizeof *q->stamp);
    for (size_t i = 0; i < s->nfields; i++) field_rules(s, i, &q->fields[i].rules);
    q->keyed = s->npk > 0;
    q->has_rules = s->nrules > 0;
    q->ts_field = -1;
    q->newest = -1;
    q->now = sl_now();
    for (int m = 0; m < SL_M_COUNT; m++) q->weights[m] = 1.0;
}

void sl_quality_configure(struct sl_quality *q, const struct sl_quality_config *c, int ts_field)
{
    q->ts_field = ts_field;
    if (!c) return;
    q->freshness = c->freshness;
    q->freshness_text = c->freshness_text;
    for (int m = 0; m < SL_M_COUNT; m++) q->weights[m] = c->weights[m];
}

void sl_quality_free(struct sl_quality *q)
{
    free(q->fields);
    free(q->stamp);
    free(q->anomalies);
    q->fields = NULL;
    q->stamp = NULL;
    q->anomalies = NULL;
    q->nanomalies = 0;
}

/* ---- counting ----------------------------------------------------------------------------- */

/* An ISO-8601 date or date-time (the one parser, sl_time_parse: what the schema accepts) → epoch
 * seconds; -1 if not one. A time without zone is taken as UTC (timestamps are normalized to UTC
 * by the transforms). */
static int parse_ts(const char *p, size_t n, double *out)
{
    struct sl_datetime d;
    int usec;
    if (sl_time_parse(
            p, n, SL_ISO_DATETIME | SL_ISO_DATE_ONLY_OK | SL_ISO_SHORT_TIME | SL_ISO_OFFSET, &d))
        return -1;
    *out = (double)sl_time_epoch(&d, &usec) + usec / 1e6;
    return 0;
}

static long field_index(const struct sl_schema *s, const char *name)
{
    if (!name) return -1;
    /* a hash probe (a wide row's issues must not cost fields × issues); the exact name only */
    int k = sl_schema_find(s, name);
    return k >= 0 && !strcmp(s->fields[k].name, name) ? k : -1;
}

static int is_missing(const struct sl_value *v)
{
    return v->type == SL_V_NULL && !v->len;
}

static int is_one_of(const char *s, const char *const *set)
{
    for (; s && *set; set++)
        if (!strcmp(s, *set)) return 1;
    return 0;
}

static const char *const above_names[] = {"maximum", "exclusiveMaximum", NULL};
static const char *const below_names[] = {"minimum", "exclusiveMinimum", NULL};

/* One issue of one row (rowno) on the counters. */
static void count_issue(struct sl_quality *q, const struct sl_schema *s, const struct sl_row *row,
                        const struct sl_issue *i, int *rule, int *pk)
{
    if (!strcmp(i->code, "row-constraint")) *rule = 1;
    if (!strcmp(i->code, "primary-key")) *pk = 1;
    long k = field_index(s, i->field);
    if (k < 0 || (size_t)k >= q->nfields || !row->values) return;
    struct sl_quality_field *f = &q->fields[k];
    const struct sl_value *v = &row->values[k];
    uint64_t *invalid_stamp = &q->stamp[k], *acc_stamp = &q->stamp[q->nfields + (size_t)k];

    /* a missing cell is completeness' business (required, key): not an invalid cell */
    if (is_missing(v)) return;
    if (i->severity == SL_ROW_INVALID && *invalid_stamp != q->rowno) {
        *invalid_stamp = q->rowno;
        f->invalid++;
    }
    if (!strcmp(i->code, "type-error")) {
        f->type_errors++;
        return;
    }
    if (!strcmp(i->code, "unique-error")) {
        f->unique_errors++;
        return;
    }
    int above = 0, below = 0, in_enum = 0, fk = !strcmp(i->code, "foreign-key");
    if (!strcmp(i->code, "constraint-error")) {
        above = is_one_of(i->constraint, above_names);
        below = is_one_of(i->constraint, below_names);
        in_enum = i->constraint && !strcmp(i->constraint, "enum");
        if (!above && !below && !in_enum) {
            if (!i->constraint || strcmp(i->constraint, "required")) f->constraint_errors++;
            return;
        }
    } else if (!fk) {
        return;
    }
    if (*acc_stamp == q->rowno) return; /* one failure per cell */
    *acc_stamp = q->rowno;
    f->acc_fail++;
    double d;
    if (above) {
        f->above++;
        if (numeric(v, &d)) f->sum_above += d, f->n_above++;
    } else if (below) {
        f->below++;
        if (numeric(v, &d)) f->sum_below += d, f->n_below++;
    } else if (in_enum) {
        f->not_enum++;
    } else {
        f->no_reference++;
    }
}

void sl_quality_batch(struct sl_quality *q, const struct sl_schema *s, const struct sl_batch *b)
{
    for (size_t r = 0; r < b->nrows; r++) {
        const struct sl_row *row = &b->rows[r];
        int rule = 0, pk = 0;
        q->rows++;
        q->rowno++;
        if (row->status == SL_ROW_INVALID) q->invalid_rows++;
        if (row->status == SL_ROW_WARNING) q->warning_rows++;
        for (const struct sl_issue *i = row->issues; i; i = i->next)
            count_issue(q, s, row, i, &rule, &pk);
        q->rule_rows += rule;
        q->pk_errors += pk;
        if (!row->values) {
            /* the reader could not read the record: none of its cells counts as present */
            for (size_t i = 0; i < q->nfields; i++) q->fields[i].missing++;
            continue;
        }
        for (size_t i = 0; i < q->nfields; i++) {
            const struct sl_value *v = &row->values[i];
            struct sl_quality_field *f = &q->fields[i];
            double d;
            if (v->type == SL_V_NULL) {
                if (!v->len) f->missing++;
                continue;
            }
            f->checked++;
            if (q->stamp[q->nfields + i] != q->rowno && numeric(v, &d)) {
                f->sum_ok += d;
                f->n_ok++;
            }
        }
        if (q->freshness > 0 && q->ts_field >= 0 && (size_t)q->ts_field < q->nfields) {
            const struct sl_value *v = &row->values[q->ts_field];
            double t;
            if (v->type == SL_V_TEXT && !parse_ts(v->u.s, v->len, &t)) {
                q->ts_rows++;
                if (q->freshness > 0 && t >= q->now - q->freshness) q->ts_fresh++;
                if (t > q->newest) q->newest = t;
            }
        }
    }
}

/* ---- figures ------------------------------------------------------------------------------ */

const char *sl_quality_grade(double score)
{
    if (!isfinite(score)) return "n/a";
    if (score >= 0.95) return "excellent";
    if (score >= 0.85) return "good";
    if (score >= 0.70) return "fair";
    if (score >= 0.50) return "poor";
    return "unusable";
}

static double share(int64_t part, int64_t whole)
{
    return whole > 0 ? (double)part / (double)whole : 1.0;
}

/* Cells that accuracy measures: fields with a declared range / enum / reference set, and
 * fields an accuracy failure was reported on (the schema knows more than the model says). */
static void accuracy_cells(const struct sl_quality *q, int64_t *cells, int64_t *fails)
{
    *cells = *fails = 0;
    for (size_t i = 0; i < q->nfields; i++) {
        const struct sl_quality_field *f = &q->fields[i];
        if (!f->rules.covered && !f->acc_fail) continue;
        *cells += f->checked;
        *fails += f->acc_fail < f->checked ? f->acc_fail : f->checked;
    }
}

/* A figure with nothing to measure is NAN ("not measured": null in JSON, n/a in text) and
 * left out of the score. */
void sl_quality_compute(const struct sl_quality *q, struct sl_quality_score *o)
{
    int64_t missing = 0, acc_cells, acc_fails, repeats = q->repeats + q->pk_errors;
    double wsum = 0, sum = 0;

    for (size_t i = 0; i < q->nfields; i++) missing += q->fields[i].missing;
    int64_t cells = q->rows * (int64_t)q->nfields;
    o->completeness = cells > 0 ? share(cells - missing, cells) : NAN;
    o->validity = q->rows > 0 ? share(q->rows - q->invalid_rows, q->rows) : NAN;
    if (repeats > q->rows) repeats = q->rows;
    o->uniqueness = q->keyed && q->rows > 0 ? 1.0 - share(repeats, q->rows) : NAN;
    o->consistency = (q->has_rules || q->rule_rows) && q->rows > 0
                         ? share(q->rows - q->rule_rows, q->rows)
                         : NAN;
    o->timeliness = q->freshness > 0 && q->ts_rows > 0 ? share(q->ts_fresh, q->ts_rows) : NAN;
    accuracy_cells(q, &acc_cells, &acc_fails);
    o->accuracy = acc_cells > 0 ? share(acc_cells - acc_fails, acc_cells) : NAN;
    for (int m = 0; m < SL_M_COUNT; m++) {
        double v = sl_quality_metric(o, m);
        if (!isfinite(v) || !(q->weights[m] > 0)) continue;
        sum += q->weights[m] * v;
        wsum += q->weights[m];
    }
    o->score = wsum > 0 ? sum / wsum : NAN;
    /* the sum of shares may land a hair off an exact grade boundary */
    if (isfinite(o->score)) o->score = round(o->score * 1e12) / 1e12;
    o->grade = sl_quality_grade(o->score);
    o->capped = 0;
    /* rejected rows cap the grade: never better than the grade of valid rows / rows alone */
    if (isfinite(o->score) && isfinite(o->validity) && o->validity < o->score &&
        strcmp(sl_quality_grade(o->validity), o->grade)) {
        o->grade = sl_quality_grade(o->validity);
        o->capped = 1;
    }
}

/* Shares are printed with at most 4 decimals, cut rather than rounded so that a printed score
 * never reads as the next grade up (0.94996 is "good", printed 0.9499, not 0.95). */
static double cut4(double v)
{
    return floor(v * 10000.0 + 1e-9) / 10000.0;
}

static void fig(struct sl_buf *b, const char *name, double v)
{
    if (isfinite(v))
        sl_buf_addf(b, "\"%s\":%.10g", name, cut4(v));
    else
        sl_buf_addf(b, "\"%s\":null", name);
}

/* ---- recommendations ---------------------------------------------------------------------- */

struct rec {
    double weight; /* ordering: the share of rows or cells it concerns */
    size_t seq;    /* then the order they were found in */
    char *text;
};
struct recs {
    struct rec *v;
    size_t n;
};

static void rec_add(struct recs *r, double weight, struct sl_buf *m)
{
    r->v = sl_xrealloc(r->v, (r->n + 1) * sizeof *r->v);
    r->v[r->n].weight = weight;
    r->v[r->n].seq = r->n;
    r->v[r->n].text = sl_buf_detach(m);
    r->n++;
}

static int rec_cmp(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    if (x->weight != y->weight) return x->weight < y->weight ? 1 : -1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* "12%", "0.5%", "33.3%" */
static void pct(char *out, size_t n, double share_)
{
    double p = 100.0 * share_;
    if (p >= 10 || p == floor(p))
        snprintf(out, n, "%.0f%%", p);
    else
        snprintf(out, n, "%.1f%%", p);
}

/* Values outside a range are often a different unit: compare the mean of the failing values
 * with the mean of the passing ones, and name the conversion that explains it best (within its
 * tolerance). Returns a hint or NULL. */
static const char *unit_hint(double bad, double ok)
{
    static const struct {
        double factor, offset, tol; /* bad ≈ ok · factor + offset */
        const char *hint;
    } units[] = {
        {1.8, 32, 0.05, "degrees Fahrenheit where Celsius is expected (°F = 1.8·°C + 32)"},
        {1 / 1.8, -32 / 1.8, 0.05, "degrees Celsius where Fahrenheit is expected"},
        {2.2046, 0, 0.05, "pounds where kilograms are expected (×2.2)"},
        {1 / 2.2046, 0, 0.05, "kilograms where pounds are expected (÷2.2)"},
        {1000, 0, 0.15, "a unit prefix apart (×1000: g/kg, m/km, ms/s)"},
        {0.001, 0, 0.15, "a unit prefix apart (÷1000: kg/g, km/m, s/ms)"},
        {100, 0, 0.12, "a percentage where a fraction is expected, or cm/m (×100)"},
        {0.01, 0, 0.12, "a fraction where a percentage is expected (÷100)"},
        {60, 0, 0.1, "minutes/seconds or hours/minutes apart (×60)"},
        {2.54, 0, 0.03, "centimetres where inches are expected (×2.54)"},
        {1.609, 0, 0.03, "kilometres where miles are expected (×1.6)"},
        {3.6, 0, 0.03, "km/h where m/s is expected (×3.6)"},
    };
    const char *best = NULL;
    double best_err = INFINITY;

    if (!(ok > 0) || !isfinite(bad)) return NULL;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        double want = ok * units[i].factor + units[i].offset;
        if (!(want > 0)) continue;
        double e = fabs(bad / want - 1.0);
        if (e <= units[i].tol && e < best_err) {
            best_err = e;
            best = units[i].hint;
        }
    }
    return best;
}

static void bound_text(char *out, size_t n, const char *which, int has, double v)
{
    if (has)
        snprintf(out, n, "%s %.10g", which, v);
    else
        snprintf(out, n, "the declared %s", which);
}

/* Values above the maximum (above) or below the minimum: the share, and a unit mix-up when
 * the failing values' mean relates to the passing ones' like two units do. */
static void range_rec(struct recs *out, struct sl_buf *m, const char *name,
                      const struct sl_quality_field *f, int above)
{
    int64_t n = above ? f->above : f->below, nv = above ? f->n_above : f->n_below;
    double sum = above ? f->sum_above : f->sum_below;
    char p[32], bound[64];
    if (!n) return;
    double sh = share(n, f->checked);
    const char *hint =
        nv && f->n_ok ? unit_hint(sum / (double)nv, f->sum_ok / (double)f->n_ok) : NULL;
    pct(p, sizeof p, sh);
    if (above)
        bound_text(bound, sizeof bound, "maximum", f->rules.has_max, f->rules.max);
    else
        bound_text(bound, sizeof bound, "minimum", f->rules.has_min, f->rules.min);
    if (hint)
        sl_buf_addf(m,
                    "%s: %s %s %s — the values look like a different unit: %s; convert them (a "
                    "unit transform) before they are checked",
                    name, p, above ? "above" : "below", bound, hint);
    else if (above)
        sl_buf_addf(m,
                    "%s: %s above %s; check for entry errors, or widen the range if they are real",
                    name, p, bound);
    else
        sl_buf_addf(m,
                    "%s: %s below %s; check for entry errors or placeholder values (0, -1), or "
                    "widen the range if they are real",
                    name, p, bound);
    rec_add(out, sh, m);
}

static void field_recs(const struct sl_quality *q, const struct sl_schema *s, size_t i,
                       struct recs *out)
{
    const struct sl_quality_field *f = &q->fields[i];
    const char *name = s->fields[i].name;
    const char *fmt = s->fields[i].format;
    int64_t present = q->rows - f->missing;
    struct sl_buf m = SL_BUF_INIT;
    char p[32];

    if (f->type_errors) {
        double sh = share(f->type_errors, present);
        if (fmt && !strcmp(fmt, "email")) {
            pct(p, sizeof p, sh);
            sl_buf_addf(&m,
                        "%s: %s are not valid addresses (%lld of %lld); normalize them at "
                        "the source (trim, lower-case) or send the rest back",
                        name, p, (long long)f->type_errors, (long long)present);
        } else if (fmt && (!strcmp(fmt, "uri") || !strcmp(fmt, "uuid") || !strcmp(fmt, "phone"))) {
            pct(p, sizeof p, sh);
            sl_buf_addf(&m, "%s: %s are not valid %s values (%lld of %lld); fix them at the source",
                        name, p, fmt, (long long)f->type_errors, (long long)present);
        } else {
            sl_buf_addf(&m,
                        "%s: %lld of %lld values (%.2g%%) are not of type %s; fix them at the "
                        "source, or declare the field with a wider type",
                        name, (long long)f->type_errors, (long long)present, 100.0 * sh,
                        sl_type_name(s->fields[i].type));
        }
        rec_add(out, sh, &m);
    }
    range_rec(out, &m, name, f, 1);
    range_rec(out, &m, name, f, 0);
    /* the other failures: the share, and what usually fixes them */
    const struct {
        int64_t n;
        const char *what;
    } simple[] = {
        {f->not_enum, "are not one of the allowed values; map variants (case, spelling) with a "
                      "transform, or extend the enum"},
        {f->no_reference, "have no match in the referenced source; load the reference data "
                          "first, or check the key's format"},
        {f->unique_errors, "repeat earlier values although the field is unique; deduplicate at "
                           "the source, or drop the unique constraint"},
        {f->constraint_errors, "break a constraint of the field (pattern, length); see the "
                               "constraint-error issues in bronze"},
    };
    for (size_t k = 0; k < sizeof simple / sizeof simple[0]; k++) {
        if (!simple[k].n) continue;
        double sh = share(simple[k].n, f->checked);
        pct(p, sizeof p, sh);
        sl_buf_addf(&m, "%s: %s %s", name, p, simple[k].what);
        rec_add(out, sh, &m);
    }
    double miss = 1.0 - share(present, q->rows);
    if (miss >= 0.05 && q->rows) {
        sl_buf_addf(&m,
                    "%s: %.1f%% of the values are missing; if that is expected, the field "
                    "is optional, else check the extract",
                    name, 100.0 * miss);
        rec_add(out, miss, &m);
    }
    sl_buf_free(&m);
}

static void human_age(char *out, size_t n, double secs)
{
    if (secs < 0) secs = 0;
    if (secs < 120)
        snprintf(out, n, "%.0f s", secs);
    else if (secs < 7200)
        snprintf(out, n, "%.0f min", secs / 60);
    else if (secs < 172800)
        snprintf(out, n, "%.1f h", secs / 3600);
    else
        snprintf(out, n, "%.1f days", secs / 86400);
}

static void collect_recs(const struct sl_quality *q, const struct sl_schema *s, int summary,
                         struct recs *out)
{
    struct sl_buf m = SL_BUF_INIT;
    char p[32], age[32];

    if (q->invalid_rows && summary) {
        sl_buf_addf(&m,
                    "%lld of %lld rows (%.1f%%) were rejected; they are kept in bronze with "
                    "status 'invalid' and their errors",
                    (long long)q->invalid_rows, (long long)q->rows,
                    100.0 * share(q->invalid_rows, q->rows));
        rec_add(out, 2.0, &m); /* the summary comes first */
    }
    for (size_t i = 0; i < q->nfields; i++) field_recs(q, s, i, out);
    if (q->keyed && (q->pk_errors || q->repeats)) {
        struct sl_buf key = SL_BUF_INIT;
        for (size_t k = 0; k < s->npk; k++)
            sl_buf_addf(&key, "%s%s", k ? "," : "", s->fields[s->pk[k]].name);
        if (q->pk_errors) {
            pct(p, sizeof p, share(q->pk_errors, q->rows));
            sl_buf_addf(&m,
                        "%s: %lld %s (%s) %s the primary key of an earlier row of this input; "
                        "look for duplicates in the extract",
                        sl_buf_str(&key), (long long)q->pk_errors,
                        q->pk_errors == 1 ? "row" : "rows", p,
                        q->pk_errors == 1 ? "repeats" : "repeat");
            rec_add(out, share(q->pk_errors, q->rows), &m);
        }
        if (q->repeats) {
            pct(p, sizeof p, share(q->repeats, q->rows));
            sl_buf_addf(&m,
                        "%s: %lld %s (%s) %s a primary key already in silver; load with --mode "
                        "upsert if this is an update feed, else look for duplicates",
                        sl_buf_str(&key), (long long)q->repeats, q->repeats == 1 ? "row" : "rows",
                        p, q->repeats == 1 ? "repeats" : "repeat");
            rec_add(out, share(q->repeats, q->rows), &m);
        }
        sl_buf_free(&key);
    }
    if (q->rule_rows) {
        pct(p, sizeof p, share(q->rule_rows, q->rows));
        sl_buf_addf(&m,
                    "%s of the rows (%lld) break a row rule; see the row-constraint issues "
                    "in bronze for the fields involved",
                    p, (long long)q->rule_rows);
        rec_add(out, share(q->rule_rows, q->rows), &m);
    }
    if (q->freshness > 0 && q->ts_rows && q->ts_fresh < q->ts_rows) {
        double sh = 1.0 - share(q->ts_fresh, q->ts_rows);
        pct(p, sizeof p, sh);
        human_age(age, sizeof age, q->now - q->newest);
        if (!q->ts_fresh)
            sl_buf_addf(&m,
                        "timeliness: the newest record is %s old, older than the freshness "
                        "of %s: is the feed stalled, or is this a backfill?",
                        age, q->freshness_text ? q->freshness_text : "the source");
        else
            sl_buf_addf(&m,
                        "timeliness: %s of the records are older than %s (the newest is %s "
                        "old); late data or a backfill?",
                        p, q->freshness_text ? q->freshness_text : "the freshness", age);
        rec_add(out, sh, &m);
    }
    sl_buf_free(&m);
    if (out->n > 1) qsort(out->v, out->n, sizeof *out->v, rec_cmp);
}

static void recs_free(struct recs *r)
{
    for (size_t i = 0; i < r->n; i++) free(r->v[i].text);
    free(r->v);
}

void sl_quality_recommendations(const struct sl_quality *q, const struct sl_schema *s, int summary,
                                struct sl_buf *out)
{
    struct recs r = {0};
    collect_recs(q, s, summary, &r);
    for (size_t i = 0; i < r.n; i++) sl_buf_addf(out, "%s%s", i ? "\n" : "", r.v[i].text);
    recs_free(&r);
}

/* ---- JSON --------------------------------------------------------------------------------- */

static void num(struct sl_buf *b, double v)
{
    if (isfinite(v))
        sl_buf_addf(b, "%.10g", v);
    else
        sl_buf_adds(b, "null");
}

void sl_quality_json(const struct sl_quality *q, const struct sl_schema *s, struct sl_buf *b)
{
    struct sl_quality_score sc;
    struct recs r = {0};

    sl_quality_compute(q, &sc);
    sl_buf_addc(b, '{');
    fig(b, "score", sc.score);
    sl_buf_addf(b, ",\"grade\":\"%s\",", sc.grade);
    fig(b, "completeness", sc.completeness), sl_buf_addc(b, ',');
    fig(b, "validity", sc.validity), sl_buf_addc(b, ',');
    fig(b, "uniqueness", sc.uniqueness), sl_buf_addc(b, ',');
    fig(b, "consistency", sc.consistency), sl_buf_addc(b, ',');
    fig(b, "timeliness", sc.timeliness), sl_buf_addc(b, ',');
    fig(b, "accuracy", sc.accuracy);
    sl_buf_adds(b, ",\"fields\":{");
    for (size_t i = 0; i < q->nfields; i++) {
        const struct sl_quality_field *f = &q->fields[i];
        if (i) sl_buf_addc(b, ',');
        sl_buf_json_cstr(b, s->fields[i].name);
        sl_buf_addc(b, ':');
        sl_buf_addc(b, '{');
        fig(b, "completeness", q->rows > 0 ? share(q->rows - f->missing, q->rows) : NAN);
        sl_buf_addc(b, ',');
        fig(b, "validity",
            q->rows > f->missing ? share(q->rows - f->missing - f->invalid, q->rows - f->missing)
                                 : NAN);
        sl_buf_addc(b, '}');
    }
    sl_buf_adds(b, "}");
    if (q->freshness > 0) {
        char newest[40] = "";
        sl_buf_adds(b, ",\"freshness\":{\"declared\":");
        sl_buf_json_cstr(b, q->freshness_text);
        sl_buf_addf(b, ",\"seconds\":%.10g,\"with_timestamp\":%lld,\"within\":%lld,\"newest\":",
                    q->freshness, (long long)q->ts_rows, (long long)q->ts_fresh);
        if (q->newest >= 0) sl_time_iso(q->newest, newest, sizeof newest);
        sl_buf_json_cstr(b, q->newest >= 0 ? newest : NULL);
        sl_buf_adds(b, ",\"age_seconds\":");
        if (q->newest >= 0)
            num(b, round(q->now - q->newest));
        else
            sl_buf_adds(b, "null");
        sl_buf_addc(b, '}');
    }
    sl_buf_adds(b, ",\"anomalies\":[");
    for (size_t i = 0; i < q->nanomalies; i++) {
        const struct sl_quality_anomaly *a = &q->anomalies[i];
        sl_buf_adds(b, i ? ",{\"metric\":" : "{\"metric\":");
        sl_buf_json_cstr(b, a->metric);
        sl_buf_adds(b, ",\"value\":");
        num(b, a->value);
        sl_buf_adds(b, ",\"median\":");
        num(b, a->median);
        sl_buf_adds(b, ",\"mad\":");
        num(b, a->mad);
        sl_buf_adds(b, ",\"z\":");
        num(b, isfinite(a->z) ? round(a->z * 100) / 100 : a->z);
        sl_buf_adds(b, ",\"message\":");
        sl_buf_json_cstr(b, a->message);
        sl_buf_addc(b, '}');
    }
    sl_buf_adds(b, "],\"recommendations\":[");
    collect_recs(q, s, 1, &r);
    for (size_t i = 0; i < r.n; i++) {
        if (i) sl_buf_addc(b, ',');
        sl_buf_json_cstr(b, r.v[i].text);
    }
    recs_free(&r);
    sl_buf_adds(b, "]}");
}

/* ---- thresholds --------------------------------------------------------------------------- */

int sl_quality_thresholds(const struct sl_quality *q, const struct sl_quality_config *c,
                          struct sl_buf *msg)
{
    struct sl_quality_score sc;
    int missed = 0;

    if (!c) return 0;
    sl_quality_compute(q, &sc);
    /* a figure that is not measured (NAN) misses no threshold: the comparisons are false */
    if (c->min_score >= 0 && sc.score < c->min_score) {
        sl_buf_addf(msg, "%squality score %.4f is below min_score %.4g (short by %.4f)",
                    missed++ ? "; " : "", cut4(sc.score), c->min_score, c->min_score - sc.score);
    }
    for (int m = 0; m < SL_M_COUNT; m++) {
        double v = sl_quality_metric(&sc, m);
        if (c->min[m] >= 0 && v < c->min[m])
            sl_buf_addf(msg, "%s%s %.4f is below min_%s %.4g (short by %.4f)", missed++ ? "; " : "",
                        metric_names[m], cut4(v), metric_names[m], c->min[m], c->min[m] - v);
    }
    double ratio = q->rows ? (double)q->invalid_rows / (double)q->rows : 0;
    if (c->max_invalid_ratio >= 0 && ratio > c->max_invalid_ratio)
        sl_buf_addf(msg,
                    "%sinvalid rows %.4f (%lld of %lld) exceed max_invalid_ratio %.4g (over by "
                    "%.4f)",
                    missed++ ? "; " : "", ratio, (long long)q->invalid_rows, (long long)q->rows,
                    c->max_invalid_ratio, ratio - c->max_invalid_ratio);
    return missed ? 1 : 0;
}
