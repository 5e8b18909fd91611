/*
 * Applying transforms to batches: between the reader and the schema cast, in the reader
 * thread. Cells are renumbered into the run's own columns (renames, added columns); a value a
 * step changes is written to the batch arena and counted; a value it cannot handle becomes
 * missing and an issue on its row (the value as received stays in bronze and in the issue).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/schema.h"
#include "sluice/time.h"

#include "internal.h"

struct col {
    char *start; /* its name when it appears: normalized input label, or the added name */
    size_t born; /* the step that added it (0 for input columns: they exist before step 0) */
    int added;   /* a column a step added (default, metadata), not an input column */
    char *final; /* after every rename */
};

struct step_rt {
    int32_t *cols; /* per field: run column or -1 */
    int32_t unit_col;
    size_t *counter; /* per field: index in counts */
    size_t unit_counter;
    struct sl_tz *tz;
    double n, mean, m2; /* z-score statistics (Welford) */
    struct sl_quantiles *q;
};

struct sl_tf_run {
    struct sl_transforms *owned; /* rebuilt from a load's record */
    struct tf_step *steps;       /* copies: resolved state is the run's */
    size_t nsteps;
    struct step_rt *rt;
    int stats;
    char loaded_at[40];
    char *input;

    struct col *cols;
    size_t ncols, in_n;
    int32_t *in2out;
    struct sl_labels out;

    char **count_names;
    int64_t *counts;
    size_t ncounts;

    uint32_t *stamp, now;
    int32_t *slot;
    size_t slot_cap;
    struct sl_buf tmp;
};

/* ---- set up ---------------------------------------------------------------------------- */

static size_t counter(struct sl_tf_run *r, const char *kind, const char *field)
{
    char *name = sl_xasprintf("%s(%s)", kind, field);
    for (size_t i = 0; i < r->ncounts; i++)
        if (!strcmp(r->count_names[i], name)) {
            free(name);
            return i;
        }
    r->count_names = sl_xrealloc(r->count_names, (r->ncounts + 1) * sizeof *r->count_names);
    r->counts = sl_xrealloc(r->counts, (r->ncounts + 1) * sizeof *r->counts);
    r->count_names[r->ncounts] = name;
    r->counts[r->ncounts] = 0;
    return r->ncounts++;
}

int sl_tf_run_new(const struct sl_transforms *t, double loaded_at, const char *input,
                  struct sl_tf_run **out, struct sl_error *err)
{
    struct sl_tf_run *r = sl_xcalloc(1, sizeof *r);
    int rc = 0;

    *out = NULL;
    sl_labels_init(&r->out);
    r->nsteps = t->n;
    r->steps = sl_xcalloc(t->n ? t->n : 1, sizeof *r->steps);
    r->rt = sl_xcalloc(t->n ? t->n : 1, sizeof *r->rt);
    memcpy(r->steps, t->v, t->n * sizeof *r->steps);
    r->input = sl_xstrdup(input ? input : "");
    sl_time_iso(loaded_at, r->loaded_at, sizeof r->loaded_at);
    for (size_t s = 0; s < r->nsteps; s++) {
        struct tf_step *st = &r->steps[s];
        struct step_rt *rt = &r->rt[s];
        rt->cols = sl_xcalloc(st->nfields, sizeof *rt->cols);
        rt->counter = sl_xcalloc(st->nfields, sizeof *rt->counter);
        rt->unit_col = -1;
        for (size_t j = 0; j < st->nfields; j++) {
            rt->cols[j] = -1;
            if (st->kind != TF_RENAME)
                rt->counter[j] = counter(r, sl__tf_names[st->kind], st->fields[j]);
        }
        if (st->kind == TF_UNIT && st->unit_field)
            rt->unit_counter = counter(r, "unit", st->unit_field);
        if (st->kind == TF_TIMESTAMP && st->zone && (rc = sl_tz_open(st->zone, &rt->tz, err)))
            goto out;
        if (st->kind == TF_OUTLIERS && st->method == OUT_IQR && !st->resolved)
            rt->q = sl_quantiles_new(1 << 20);
        if (st->kind == TF_METADATA) {
            /* a rebuilt load has its own time and input; a new load takes this run's */
            if (st->loaded_at)
                snprintf(r->loaded_at, sizeof r->loaded_at, "%s", st->loaded_at);
            else
                st->loaded_at = r->loaded_at;
            if (st->input) {
                free(r->input);
                r->input = sl_xstrdup(st->input);
            }
            st->input = r->input;
        }
    }
out:
    if (rc) {
        sl_tf_run_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

void sl_tf_run_free(struct sl_tf_run *r)
{
    if (!r) return;
    for (size_t s = 0; s < r->nsteps; s++) {
        free(r->rt[s].cols);
        free(r->rt[s].counter);
        sl_tz_free(r->rt[s].tz);
        sl_quantiles_free(r->rt[s].q);
    }
    for (size_t i = 0; i < r->ncols; i++) {
        free(r->cols[i].start);
        free(r->cols[i].final);
    }
    for (size_t i = 0; i < r->ncounts; i++) free(r->count_names[i]);
    free(r->count_names);
    free(r->counts);
    free(r->cols);
    free(r->in2out);
    free(r->rt);
    free(r->steps);
    free(r->input);
    free(r->stamp);
    free(r->slot);
    sl_labels_free(&r->out);
    sl_buf_free(&r->tmp);
    sl_transforms_free(r->owned);
    free(r);
}

void sl_tf_run_adopt(struct sl_tf_run *r, struct sl_transforms *t)
{
    r->owned = t;
}

int sl_tf_run_needs_stats(const struct sl_tf_run *r)
{
    for (size_t s = 0; s < r->nsteps; s++)
        if (r->steps[s].kind == TF_OUTLIERS && !r->steps[s].resolved) return 1;
    return 0;
}

void sl_tf_run_begin_stats(struct sl_tf_run *r)
{
    r->stats = 1;
}

int sl_tf_run_end_stats(struct sl_tf_run *r, struct sl_error *err)
{
    int rc;
    r->stats = 0;
    for (size_t s = 0; s < r->nsteps; s++) {
        struct tf_step *st = &r->steps[s];
        struct step_rt *rt = &r->rt[s];
        if (st->kind != TF_OUTLIERS || st->resolved) continue;
        st->resolved = 1;
        st->nstats = (int64_t)rt->n;
        if (rt->n <= 0) continue; /* no values: no bounds */
        if (st->method == OUT_ZSCORE) {
            st->mean = rt->mean;
            st->sd = sqrt(rt->m2 / rt->n); /* population standard deviation */
            st->lo = st->mean - st->threshold * st->sd;
            st->hi = st->mean + st->threshold * st->sd;
        } else {
            if ((rc = sl_quantiles_get(rt->q, 0.25, &st->q1, err)) ||
                (rc = sl_quantiles_get(rt->q, 0.75, &st->q3, err)))
                return rc;
            st->lo = st->q1 - st->threshold * (st->q3 - st->q1);
            st->hi = st->q3 + st->threshold * (st->q3 - st->q1);
        }
        st->has_lo = st->has_hi = 1;
    }
    return 0;
}

/* ---- columns ------------------------------------------------------------------------------ */

/* The name column c has when step s runs ("" if it does not exist yet). */
static const char *name_at(const struct sl_tf_run *r, const struct col *c, size_t s)
{
    const char *name = c->start;
    if (c->added && s <= c->born) return "";
    for (size_t k = c->added ? c->born + 1 : 0; k < s; k++) {
        const struct tf_step *st = &r->steps[k];
        if (st->kind == TF_RENAME && !strcmp(name, st->fields[0])) name = st->to;
    }
    return name;
}

static int32_t find_at(const struct sl_tf_run *r, const char *name, size_t s)
{
    for (size_t i = 0; i < r->ncols; i++)
        if (!strcmp(name_at(r, &r->cols[i], s), name)) return (int32_t)i;
    return -1;
}

static int32_t add_col(struct sl_tf_run *r, const char *start, size_t born, int added)
{
    r->cols = sl_xrealloc(r->cols, (r->ncols + 1) * sizeof *r->cols);
    struct col *c = &r->cols[r->ncols];
    memset(c, 0, sizeof *c);
    c->start = sl_xstrdup(start);
    c->born = born;
    c->added = added;
    c->final = sl_xstrdup(name_at(r, c, r->nsteps));
    return (int32_t)r->ncols++;
}

/* Brings the run's columns up to date with the reader's labels (which only grow). */
static int compile(struct sl_tf_run *r, const struct sl_labels *in, struct sl_error *err)
{
    int first = r->ncols == 0 && r->in_n == 0;
    if (!first && in->n == r->in_n) return 0;
    char **names = sl_names_normalize((const char *const *)in->v, in->lens, in->n, NULL);
    int rc = 0;

    r->in2out = sl_xrealloc(r->in2out, (in->n ? in->n : 1) * sizeof *r->in2out);
    for (size_t i = r->in_n; i < in->n; i++) {
        struct col tmp = {names[i], 0, 0, NULL};
        const char *final = name_at(r, &tmp, r->nsteps);
        int32_t same = -1;
        for (size_t k = 0; k < r->ncols; k++)
            if (!strcasecmp(r->cols[k].final, final)) same = (int32_t)k;
        if (same >= 0 && !r->cols[same].added) {
            rc = sl_error_set(err, SL_ECONFIG,
                              "transforms: input columns '%s' and '%s' would both be named "
                              "'%s' (a rename onto a column the input has)",
                              r->cols[same].start, names[i], final);
            goto out;
        }
        /* a key of a JSON input fills the column a default or metadata step added */
        r->in2out[i] = same >= 0 ? same : add_col(r, names[i], 0, 0);
    }
    r->in_n = in->n;
    if (first)
        for (size_t s = 0; s < r->nsteps; s++) {
            const struct tf_step *st = &r->steps[s];
            if (st->kind != TF_DEFAULT && st->kind != TF_METADATA) continue;
            for (size_t j = 0; j < st->nfields; j++) {
                if (find_at(r, st->fields[j], s) >= 0) continue;
                /* from the step on the column exists in every row (the step fills it) */
                struct col tmp = {st->fields[j], s, 1, NULL};
                const char *final = name_at(r, &tmp, r->nsteps);
                int32_t same = -1;
                for (size_t k = 0; k < r->ncols; k++)
                    if (!strcasecmp(r->cols[k].final, final)) same = (int32_t)k;
                if (same < 0) add_col(r, st->fields[j], s, 1);
            }
        }
    for (size_t s = 0; s < r->nsteps; s++) {
        const struct tf_step *st = &r->steps[s];
        for (size_t j = 0; j < st->nfields; j++)
            r->rt[s].cols[j] = find_at(
                r, st->fields[j], st->kind == TF_DEFAULT || st->kind == TF_METADATA ? s + 1 : s);
        if (st->unit_field) r->rt[s].unit_col = find_at(r, st->unit_field, s);
    }
    sl_labels_free(&r->out);
    sl_labels_init(&r->out);
    for (size_t k = 0; k < r->ncols; k++)
        sl_labels_push(&r->out, r->cols[k].final, strlen(r->cols[k].final));
    if (r->slot_cap < r->ncols) {
        r->slot_cap = r->ncols;
        r->slot = sl_xrealloc(r->slot, r->slot_cap * sizeof *r->slot);
        r->stamp = sl_xrealloc(r->stamp, r->slot_cap * sizeof *r->stamp);
        memset(r->stamp, 0, r->slot_cap * sizeof *r->stamp);
        r->now = 0;
    }
out:
    sl_names_free(names, in->n);
    return rc;
}

const struct sl_labels *sl_tf_run_labels(const struct sl_tf_run *r)
{
    return &r->out;
}

/* ---- one row ------------------------------------------------------------------------------- */

struct rowctx {
    struct sl_tf_run *r;
    struct sl_batch *b;
    struct sl_row *row;
    uint32_t cap;
};

static struct sl_cell *cell(struct rowctx *x, int32_t col)
{
    if (col < 0 || x->r->stamp[col] != x->r->now) return NULL;
    return &x->row->cells[x->r->slot[col]];
}

static struct sl_cell *add_cell(struct rowctx *x, int32_t col)
{
    struct sl_row *row = x->row;
    if (row->ncells == x->cap) {
        x->cap = x->cap * 2 + 4;
        struct sl_cell *c = sl_arena_alloc(&x->b->arena, x->cap * sizeof *c);
        memcpy(c, row->cells, row->ncells * sizeof *c);
        row->cells = c;
    }
    struct sl_cell *c = &row->cells[row->ncells];
    memset(c, 0, sizeof *c);
    c->p = "";
    c->kind = SL_CELL_NULL;
    c->col = (uint32_t)col;
    x->r->slot[col] = (int32_t)row->ncells++;
    x->r->stamp[col] = x->r->now;
    return c;
}

static int missing(const struct sl_cell *c)
{
    return !c || c->kind == SL_CELL_NULL || (c->kind == SL_CELL_STRING && c->len == 0);
}

static void set_text(struct rowctx *x, struct sl_cell *c, const char *p, size_t n, int kind)
{
    c->p = sl_arena_strndup(&x->b->arena, p, n);
    c->len = (uint32_t)n;
    c->kind = (uint8_t)kind;
    c->flags &= SL_CELL_JSON; /* a JSON member's new text is still a JSON value */
}

void sl_tf_run_reset_counts(struct sl_tf_run *r)
{
    for (size_t i = 0; i < r->ncounts; i++) r->counts[i] = 0;
}

static void count(struct rowctx *x, size_t counter)
{
    if (!x->r->stats) x->r->counts[counter]++;
}

/* A value the step cannot handle: an issue with the value it saw, then the value is missing. */
static void fail(struct rowctx *x, const struct tf_step *st, size_t counter, const char *field,
                 struct sl_cell *c, const char *code, int severity, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
static void fail(struct rowctx *x, const struct tf_step *st, size_t counter, const char *field,
                 struct sl_cell *c, const char *code, int severity, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    (void)st;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!x->r->stats)
        sl_row_issue(x->b, x->row, severity, code, field, c ? c->p : NULL, c ? c->len : 0, "%s",
                     msg);
    if (c && !missing(c)) {
        c->kind = SL_CELL_NULL;
        c->p = "";
        c->len = 0;
        count(x, counter);
    }
}

static int is_ws(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* ASCII and Latin-1 letters (U+00C0..U+00DE ↔ U+00E0..U+00FE, not × and ÷). */
static size_t recase(const char *p, size_t n, char *out, int upper)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)p[i];
        if (upper && ch >= 'a' && ch <= 'z')
            ch = (unsigned char)(ch - 32);
        else if (!upper && ch >= 'A' && ch <= 'Z')
            ch = (unsigned char)(ch + 32);
        else if (ch == 0xC3 && i + 1 < n) {
            unsigned char c2 = (unsigned char)p[i + 1];
            out[i++] = (char)ch;
            if (upper && c2 >= 0xA0 && c2 <= 0xBE && c2 != 0xB7)
                c2 = (unsigned char)(c2 - 0x20);
            else if (!upper && c2 >= 0x80 && c2 <= 0x9E && c2 != 0x97)
                c2 = (unsigned char)(c2 + 0x20);
            ch = c2;
        }
        out[i] = (char)ch;
    }
    return n;
}

static int parse_num(const struct sl_cell *c, double *d)
{
    if (c->kind != SL_CELL_STRING && c->kind != SL_CELL_NUMBER) return -1;
    if (sl_parse_number(c->p, c->len, 0, d) || !isfinite(*d)) return -1;
    return 0;
}

static int is_int_text(const struct sl_cell *c)
{
    return c->len && !memchr(c->p, '.', c->len) && !memchr(c->p, 'e', c->len) &&
           !memchr(c->p, 'E', c->len);
}

/* v with `decimals` places, or (decimals < 0) 12 significant digits without trailing zeros
 * (no 36.99999999999999 from 98.6 °F). By hand in the usual range: snprintf's exact decimal
 * conversion was the largest cost of a unit step. */
static int fmt_num(char *buf, size_t cap, double v, int decimals)
{
    static const double p10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    int dec = decimals;
    double a = fabs(v);
    if (dec < 0) {
        if (a == 0) {
            snprintf(buf, cap, "0");
            return 1;
        }
        if (a >= 1e11 || a < 1e-3) goto slow;
        dec = 11 - (int)floor(log10(a));
    }
    if (dec > 15 || a * p10[dec] >= 4e15) goto slow;
    unsigned long long q = (unsigned long long)llround(a * p10[dec]);
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%llu", q);
    char *o = buf;
    if (q && v < 0) *o++ = '-';
    if (n <= dec) { /* 0.00ddd */
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < dec - n; i++) *o++ = '0';
        memcpy(o, digits, (size_t)n);
        o += n;
    } else {
        memcpy(o, digits, (size_t)(n - dec));
        o += n - dec;
        if (dec) {
            *o++ = '.';
            memcpy(o, digits + n - dec, (size_t)dec);
            o += dec;
        }
    }
    if (decimals < 0 && dec > 0) {
        while (o[-1] == '0') o--;
        if (o[-1] == '.') o--;
    }
    *o = 0;
    return (int)(o - buf);
slow:
    if (decimals >= 0)
        snprintf(buf, cap, "%.*f", decimals, v);
    else
        snprintf(buf, cap, "%.12g", v);
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));
    return (int)strlen(buf);
}

/* v rounded to dec places (dec < 0: to tens, hundreds, ...). Trailing zeros stay: they say the
 * precision, which a conversion back needs (1.00000 atm, not 1). */
static void fmt_rounded(char *buf, size_t cap, double v, int dec)
{
    if (dec < 0) {
        double unit = pow(10, -dec);
        v = round(v / unit) * unit;
        dec = 0;
    }
    fmt_num(buf, cap, v, dec);
    if (!strcmp(buf, "-0")) strcpy(buf, "0");
}

static void set_num(struct rowctx *x, struct sl_cell *c, const char *buf, size_t counter)
{
    if (c->len == strlen(buf) && !memcmp(c->p, buf, c->len)) {
        c->kind = SL_CELL_NUMBER; /* "120" of a JSON string: the same number, now a number */
        return;
    }
    set_text(x, c, buf, strlen(buf), SL_CELL_NUMBER);
    count(x, counter);
}

static void do_text(struct rowctx *x, const struct tf_step *st, struct sl_cell *c, size_t ctr)
{
    struct sl_buf *t = &x->r->tmp;
    const char *p = c->p;
    size_t n = c->len;

    if (c->kind != SL_CELL_STRING || !n) return;
    switch (st->kind) {
    case TF_TRIM:
        while (n && is_ws(*p)) p++, n--;
        while (n && is_ws(p[n - 1])) n--;
        if (n == c->len) return;
        c->p = p; /* a narrower view: no copy */
        c->len = (uint32_t)n;
        count(x, ctr);
        return;
    case TF_LOWER:
    case TF_UPPER: {
        sl_buf_reset(t);
        sl_buf_grow(t, n + 1);
        recase(p, n, t->p, st->kind == TF_UPPER);
        if (!memcmp(t->p, p, n)) return;
        set_text(x, c, t->p, n, SL_CELL_STRING);
        count(x, ctr);
        return;
    }
    case TF_COLLAPSE: {
        sl_buf_reset(t);
        for (size_t i = 0; i < n; i++) {
            if (!is_ws(p[i])) {
                sl_buf_addc(t, p[i]);
                continue;
            }
            while (i + 1 < n && is_ws(p[i + 1])) i++;
            if (t->len && i + 1 < n) sl_buf_addc(t, ' ');
        }
        if (t->len == n && !memcmp(t->p, p, n)) return;
        set_text(x, c, t->len ? t->p : "", t->len, SL_CELL_STRING);
        count(x, ctr);
        return;
    }
    case TF_HTML:
        if (!memchr(p, '<', n) && !memchr(p, '&', n)) return;
        sl_html_strip(p, n, t);
        if (t->len == n && !memcmp(t->p, p, n)) return;
        set_text(x, c, t->len ? t->p : "", t->len, SL_CELL_STRING);
        count(x, ctr);
        return;
    }
}

static void do_email(struct rowctx *x, const struct tf_step *st, const char *field,
                     struct sl_cell *c, size_t ctr)
{
    struct sl_buf *t = &x->r->tmp;
    const char *p = c->p, *at;
    size_t n = c->len;

    if (c->kind != SL_CELL_STRING) {
        fail(x, st, ctr, field, c, "type-error", st->severity, "%s: not an email address", field);
        return;
    }
    while (n && is_ws(*p)) p++, n--;
    while (n && is_ws(p[n - 1])) n--;
    at = n ? memrchr(p, '@', n) : NULL;
    int bad = !at || at == p || at == p + n - 1 || memchr(p, ' ', n) || memchr(p, '\t', n);
    if (bad) {
        fail(x, st, ctr, field, c, "type-error", st->severity,
             "%s: '%.*s' is not an email address (local@domain)", field,
             (int)(c->len > 80 ? 80 : c->len), c->p);
        return;
    }
    size_t local = (size_t)(at - p);
    sl_buf_reset(t);
    sl_buf_grow(t, n + 1);
    if (st->lower_local)
        recase(p, local, t->p, 0);
    else
        memcpy(t->p, p, local);
    t->p[local] = '@';
    recase(at + 1, n - local - 1, t->p + local + 1, 0);
    if (n == c->len && !memcmp(t->p, c->p, n)) return;
    set_text(x, c, t->p, n, SL_CELL_STRING);
    count(x, ctr);
}

static void do_cast(struct rowctx *x, const struct tf_step *st, const char *field,
                    struct sl_cell *c, size_t ctr)
{
    struct sl_field f;
    memset(&f, 0, sizeof f);
    f.name = f.label = (char *)field;
    f.type = st->type;
    f.bare_number = 1; /* the Frictionless defaults, as sl_schema_add sets them */
    f.format_severity = SL_ROW_INVALID;
    struct sl_value v;
    const char *why;
    char buf[48];
    double d;
    int r = sl_cast_cell(&f, c, &x->b->arena, &v, &why);

    if (r < 0 && st->type == SL_TYPE_INTEGER && !parse_num(c, &d) && d == floor(d) &&
        fabs(d) < 9007199254740992.0) {
        v.type = SL_V_INT; /* 72.0 → 72: the value is an integer, written as a number */
        v.u.i = (int64_t)d;
        r = 0;
    }
    if (r < 0) {
        fail(x, st, ctr, field, c, "type-error", st->severity, "%s: '%.*s' is not of type %s%s%s",
             field, (int)(c->len > 80 ? 80 : c->len), c->p, sl_type_name(st->type), why ? ": " : "",
             why ? why : "");
        return;
    }
    if (v.type == SL_V_INT) {
        snprintf(buf, sizeof buf, "%lld", (long long)v.u.i);
        set_num(x, c, buf, ctr);
    } else if (v.type == SL_V_BOOL) {
        const char *s = v.u.i ? "true" : "false";
        if (c->kind == (v.u.i ? SL_CELL_TRUE : SL_CELL_FALSE) ||
            (c->len == strlen(s) && !memcmp(c->p, s, c->len)))
            return;
        set_text(x, c, s, strlen(s), v.u.i ? SL_CELL_TRUE : SL_CELL_FALSE);
        count(x, ctr);
    } else if (v.type == SL_V_TEXT &&
               (c->kind == SL_CELL_NUMBER || c->kind == SL_CELL_TRUE || c->kind == SL_CELL_FALSE)) {
        c->kind = SL_CELL_STRING; /* a JSON number or boolean as text: same characters */
    }
}

static void do_unit(struct rowctx *x, const struct tf_step *st, const struct step_rt *rt,
                    const char *field, struct sl_cell *c)
{
    struct sl_cell *uc = cell(x, rt->unit_col);
    const struct sl_unit *u = NULL;
    size_t ctr = rt->counter[0];
    double v, out;
    char buf[64];

    if (!missing(uc)) {
        if (uc->kind != SL_CELL_STRING || !(u = sl_unit_find(uc->p, uc->len))) {
            fail(x, st, ctr, field, c, "unit-error", st->severity,
                 "%s: unknown unit '%.*s' in %s (the value is not converted to %s)", field,
                 (int)(uc->len > 40 ? 40 : uc->len), uc->p, st->unit_field, st->to_unit->name);
            return;
        }
    } else if (st->from_unit) {
        u = st->from_unit;
    } else {
        fail(x, st, ctr, field, c, "unit-error", st->severity, "%s: %s gives no unit", field,
             st->unit_field);
        return;
    }
    if (strcmp(u->dimension, st->to_unit->dimension)) {
        fail(x, st, ctr, field, c, "unit-error", st->severity,
             "%s: '%s' is a unit of %s, not of %s", field, u->name, u->dimension,
             st->to_unit->dimension);
        return;
    }
    if (parse_num(c, &v)) {
        fail(x, st, ctr, field, c, "type-error", st->severity, "%s: '%.*s' is not a number", field,
             (int)(c->len > 80 ? 80 : c->len), c->p);
        return;
    }
    if (u != st->to_unit) {
        sl_unit_convert(v, u, st->to_unit, &out);
        if (st->decimals >= 0)
            fmt_num(buf, sizeof buf, out, st->decimals);
        else
            fmt_rounded(buf, sizeof buf, out, sl_unit_decimals(c->p, c->len, u, st->to_unit, out));
        set_num(x, c, buf, ctr);
    }
    if (uc && !missing(uc) &&
        (uc->len != strlen(st->to_unit->name) || memcmp(uc->p, st->to_unit->name, uc->len))) {
        set_text(x, uc, st->to_unit->name, strlen(st->to_unit->name), SL_CELL_STRING);
        count(x, rt->unit_counter);
    }
}

static void do_timestamp(struct rowctx *x, const struct tf_step *st, const struct step_rt *rt,
                         const char *field, struct sl_cell *c, size_t ctr)
{
    struct sl_ts ts;
    char buf[48];
    int64_t t;
    size_t i = 0;

    if (c->kind == SL_CELL_STRING || c->kind == SL_CELL_NUMBER)
        for (i = 0; i < st->nformats; i++)
            if (!sl_ts_parse(st->formats[i], c->p, c->len, &ts)) break;
    if ((c->kind != SL_CELL_STRING && c->kind != SL_CELL_NUMBER) || i == st->nformats) {
        struct sl_buf *l = &x->r->tmp;
        sl_buf_reset(l);
        for (i = 0; i < st->nformats; i++) sl_buf_addf(l, "%s%s", i ? ", " : "", st->formats[i]);
        fail(x, st, ctr, field, c, "type-error", st->severity,
             "%s: '%.*s' matches none of the timestamp formats (%s)", field,
             (int)(c->len > 80 ? 80 : c->len), c->p, l->p);
        return;
    }
    if (ts.has_offset || !rt->tz) {
        t = ts.t - ts.offset;
    } else {
        int k; /* 0 unique (t set), 1 overlap, 2 gap: then t is what the step's options pick */
        sl_tz_to_utc(rt->tz, ts.t, SL_TZ_REJECT, &t, &k);
        if (k == 1) {
            int sev = st->ambiguous == 2 ? st->severity : SL_ROW_WARNING;
            if (st->ambiguous == 2) {
                fail(x, st, ctr, field, c, "ambiguous-time", sev,
                     "%s: '%.*s' happens twice in %s (clocks go back)", field, (int)c->len, c->p,
                     st->zone);
                return;
            }
            sl_tz_to_utc(rt->tz, ts.t, st->ambiguous == 1 ? SL_TZ_LATER : SL_TZ_EARLIER, &t, NULL);
            if (!x->r->stats)
                sl_row_issue(x->b, x->row, SL_ROW_WARNING, "ambiguous-time", field, c->p, c->len,
                             "%s: '%.*s' happens twice in %s (clocks go back); the %s was taken",
                             field, (int)c->len, c->p, st->zone,
                             st->ambiguous == 1 ? "later" : "earlier");
        } else if (k == 2) {
            if (st->nonexistent == 1) {
                fail(x, st, ctr, field, c, "nonexistent-time", st->severity,
                     "%s: '%.*s' does not exist in %s (clocks go forward)", field, (int)c->len,
                     c->p, st->zone);
                return;
            }
            sl_tz_to_utc(rt->tz, ts.t, SL_TZ_LATER, &t, NULL); /* the wall clock moved on */
            if (!x->r->stats)
                sl_row_issue(x->b, x->row, SL_ROW_WARNING, "nonexistent-time", field, c->p, c->len,
                             "%s: '%.*s' does not exist in %s (clocks go forward); shifted "
                             "forward by the gap",
                             field, (int)c->len, c->p, st->zone);
        }
    }
    if (sl_ts_format(t, ts.frac, buf, sizeof buf)) {
        fail(x, st, ctr, field, c, "type-error", st->severity, "%s: '%.*s' is out of range", field,
             (int)c->len, c->p);
        return;
    }
    if (c->len == strlen(buf) && !memcmp(c->p, buf, c->len)) return;
    set_text(x, c, buf, strlen(buf), SL_CELL_STRING);
    count(x, ctr);
}

static void do_outliers(struct rowctx *x, struct tf_step *st, struct step_rt *rt, const char *field,
                        struct sl_cell *c, size_t ctr, struct sl_error *err, int *rc)
{
    static const char *const methods[] = {"range", "z-score", "IQR"};
    double v;
    char buf[64], bound[64];

    if (parse_num(c, &v)) {
        fail(x, st, ctr, field, c, "type-error", st->severity, "%s: '%.*s' is not a number", field,
             (int)(c->len > 80 ? 80 : c->len), c->p);
        return;
    }
    if (x->r->stats && st->method != OUT_RANGE) {
        rt->n += 1;
        double delta = v - rt->mean;
        rt->mean += delta / rt->n;
        rt->m2 += delta * (v - rt->mean);
        if (rt->q && !*rc) *rc = sl_quantiles_add(rt->q, v, err);
        return;
    }
    int below = st->has_lo && v < st->lo, above = st->has_hi && v > st->hi;
    if (!below && !above) return;
    double b = below ? st->lo : st->hi;
    if (st->action == ACT_CLIP && is_int_text(c)) b = below ? ceil(b) : floor(b);
    fmt_num(bound, sizeof bound, b, -1);
    if (x->r->stats) {
        if (st->action == ACT_CLIP) set_text(x, c, bound, strlen(bound), SL_CELL_NUMBER);
        return;
    }
    count(x, ctr);
    snprintf(buf, sizeof buf, "%.*s", (int)(c->len > 40 ? 40 : c->len), c->p);
    if (st->action == ACT_CLIP) {
        sl_row_issue(x->b, x->row, SL_ROW_WARNING, "outlier", field, c->p, c->len,
                     "%s: %s is %s the %s bound %s; clipped to it", field, buf,
                     below ? "below" : "above", methods[st->method], bound);
        set_text(x, c, bound, strlen(bound), SL_CELL_NUMBER);
    } else {
        sl_row_issue(x->b, x->row, st->action == ACT_FLAG ? SL_ROW_WARNING : SL_ROW_INVALID,
                     "outlier", field, c->p, c->len, "%s: %s is %s the %s bound %s", field, buf,
                     below ? "below" : "above", methods[st->method], bound);
    }
}

static void do_metadata(struct rowctx *x, const struct tf_step *st, const char *field,
                        struct sl_cell *c, size_t ctr)
{
    char buf[32];
    if (!strcmp(field, "_loaded_at")) {
        set_text(x, c, st->loaded_at, strlen(st->loaded_at), SL_CELL_STRING);
    } else if (!strcmp(field, "_input")) {
        set_text(x, c, st->input, strlen(st->input), SL_CELL_STRING);
    } else {
        snprintf(buf, sizeof buf, "%lld", (long long)x->row->line);
        set_text(x, c, buf, strlen(buf), SL_CELL_NUMBER);
    }
    count(x, ctr);
}

int sl_tf_run_batch(struct sl_tf_run *r, const struct sl_labels *in, struct sl_batch *b,
                    struct sl_error *err)
{
    int rc = compile(r, in, err);
    if (rc) return rc;
    for (size_t ri = 0; ri < b->nrows && !rc; ri++) {
        struct sl_row *row = &b->rows[ri];
        struct rowctx x = {r, b, row, row->ncells};

        if (row->status == SL_ROW_INVALID) continue; /* the reader could not read it */
        if (++r->now == 0) {
            memset(r->stamp, 0, r->slot_cap * sizeof *r->stamp);
            r->now = 1;
        }
        for (uint32_t k = 0; k < row->ncells; k++) {
            struct sl_cell *c = &row->cells[k];
            c->col = (uint32_t)r->in2out[c->col];
            r->slot[c->col] = (int32_t)k;
            r->stamp[c->col] = r->now;
        }
        for (size_t s = 0; s < r->nsteps; s++) {
            struct tf_step *st = &r->steps[s];
            struct step_rt *rt = &r->rt[s];
            for (size_t j = 0; j < st->nfields; j++) {
                int32_t col = rt->cols[j];
                struct sl_cell *c = cell(&x, col);
                const char *field = st->fields[j];
                size_t ctr = rt->counter[j];
                if (col < 0) continue; /* not in this input: said once per load */
                switch (st->kind) {
                case TF_RENAME: break; /* the column's name, not its values */
                case TF_DEFAULT:
                    if (!missing(c)) break;
                    if (!c) c = add_cell(&x, col);
                    set_text(&x, c, st->value, strlen(st->value), st->value_kind);
                    count(&x, ctr);
                    break;
                case TF_METADATA:
                    if (!c) c = add_cell(&x, col);
                    do_metadata(&x, st, field, c, ctr);
                    break;
                default:
                    if (missing(c)) break; /* missing stays missing: the schema decides */
                    switch (st->kind) {
                    case TF_EMAIL: do_email(&x, st, field, c, ctr); break;
                    case TF_CAST: do_cast(&x, st, field, c, ctr); break;
                    case TF_UNIT: do_unit(&x, st, rt, field, c); break;
                    case TF_TIMESTAMP: do_timestamp(&x, st, rt, field, c, ctr); break;
                    case TF_OUTLIERS: do_outliers(&x, st, rt, field, c, ctr, err, &rc); break;
                    default: do_text(&x, st, c, ctr);
                    }
                }
            }
        }
    }
    return rc;
}

/* ---- schema, record, report --------------------------------------------------------------- */

void sl_tf_run_schema(const struct sl_tf_run *r, struct sl_schema *s, int inferred)
{
    for (size_t k = 0; k < r->nsteps; k++) {
        const struct tf_step *st = &r->steps[k];
        for (size_t j = 0; j < st->nfields; j++) {
            int32_t col = r->rt[k].cols[j];
            const char *final = col >= 0 ? r->cols[col].final : NULL;
            int fi = final ? sl_schema_find(s, final) : -1;
            if (st->kind == TF_CAST && inferred && fi >= 0) s->fields[fi].type = st->type;
            if (st->kind == TF_METADATA && fi < 0 && final)
                sl_schema_add(s, final, final,
                              !strcmp(st->fields[j], "_loaded_at") ? SL_TYPE_DATETIME
                              : !strcmp(st->fields[j], "_line")    ? SL_TYPE_INTEGER
                                                                   : SL_TYPE_STRING);
        }
    }
}

void sl_tf_run_json(const struct sl_tf_run *r, int with_counts, struct sl_buf *b)
{
    sl_buf_adds(b, "{\"steps\":[");
    for (size_t s = 0; s < r->nsteps; s++) {
        if (s) sl_buf_addc(b, ',');
        sl__tf_step_json(&r->steps[s], b);
    }
    sl_buf_addc(b, ']');
    if (with_counts) {
        sl_buf_adds(b, ",\"changed\":{");
        for (size_t i = 0; i < r->ncounts; i++) {
            if (i) sl_buf_addc(b, ',');
            sl_buf_json_cstr(b, r->count_names[i]);
            sl_buf_addf(b, ":%lld", (long long)r->counts[i]);
        }
        sl_buf_addc(b, '}');
    }
    sl_buf_addc(b, '}');
}

size_t sl_tf_run_counts(const struct sl_tf_run *r, size_t i, const char **name, int64_t *n)
{
    if (i < r->ncounts) {
        *name = r->count_names[i];
        *n = r->counts[i];
    }
    return r->ncounts;
}

void sl_tf_run_unresolved(const struct sl_tf_run *r, struct sl_buf *b)
{
    for (size_t s = 0; s < r->nsteps; s++) {
        const struct tf_step *st = &r->steps[s];
        for (size_t j = 0; j < st->nfields; j++)
            if (r->rt[s].cols[j] < 0)
                sl_buf_addf(b, "%s%s(%s)", b->len ? ", " : "", sl__tf_names[st->kind],
                            st->fields[j]);
        if (st->unit_field && r->rt[s].unit_col < 0 && !st->from_unit)
            sl_buf_addf(b, "%sunit(%s: unit_field %s)", b->len ? ", " : "", st->fields[0],
                        st->unit_field);
    }
}
