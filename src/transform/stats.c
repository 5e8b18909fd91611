/*
 * Exact quantiles in bounded memory for the IQR outlier method.
 *
 * Values go to an in-memory block; when it is full it is appended to a temporary file (8 bytes
 * a value, deleted on close). A quantile needs one or two order statistics; each is found by
 * radix selection on the values' order-preserving 64-bit keys, 16 bits per pass: a histogram
 * of 65,536 counters tells which bucket holds rank k, the next pass looks only inside it. Four
 * passes over the values at most, and memory that does not depend on how many there are.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/transform.h"

struct sl_quantiles {
    double *mem;
    size_t nmem, cap;
    FILE *spill;
    int64_t nspilled;
    uint64_t *hist; /* 65,536 counters, allocated when a quantile is asked for */
};

struct sl_quantiles *sl_quantiles_new(size_t mem_values)
{
    struct sl_quantiles *q = sl_xcalloc(1, sizeof *q);
    q->cap = mem_values ? mem_values : 1;
    q->mem = sl_xmalloc(q->cap * sizeof *q->mem);
    return q;
}

void sl_quantiles_free(struct sl_quantiles *q)
{
    if (!q) return;
    if (q->spill) fclose(q->spill);
    free(q->mem);
    free(q->hist);
    free(q);
}

int64_t sl_quantiles_n(const struct sl_quantiles *q)
{
    return q->nspilled + (int64_t)q->nmem;
}

int sl_quantiles_add(struct sl_quantiles *q, double v, struct sl_error *err)
{
    if (q->nmem == q->cap) {
        if (!q->spill && !(q->spill = tmpfile()))
            return sl_error_set(err, SL_EIO, "outlier statistics: cannot create a temporary file");
        if (fwrite(q->mem, sizeof *q->mem, q->nmem, q->spill) != q->nmem)
            return sl_error_set(err, SL_EIO, "outlier statistics: cannot write the temporary file");
        q->nspilled += (int64_t)q->nmem;
        q->nmem = 0;
    }
    q->mem[q->nmem++] = v;
    return 0;
}

static uint64_t key(double d)
{
    uint64_t u;
    if (d == 0) d = 0; /* -0.0 and 0.0 are the same value */
    memcpy(&u, &d, sizeof u);
    return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

static double unkey(uint64_t k)
{
    uint64_t u = k >> 63 ? k & ~(UINT64_C(1) << 63) : ~k;
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* One pass: histogram of the 16 bits at shift of the keys whose bits above shift are prefix. */
static int pass(struct sl_quantiles *q, int shift, uint64_t prefix, struct sl_error *err)
{
    uint64_t high = shift == 48 ? 0 : ~UINT64_C(0) << (shift + 16);
    double buf[4096];

    memset(q->hist, 0, 65536 * sizeof *q->hist);
    if (q->spill) {
        rewind(q->spill);
        for (int64_t left = q->nspilled; left > 0;) {
            size_t k = left > 4096 ? 4096 : (size_t)left;
            if (fread(buf, sizeof *buf, k, q->spill) != k)
                return sl_error_set(err, SL_EIO,
                                    "outlier statistics: cannot read the temporary file");
            for (size_t i = 0; i < k; i++) {
                uint64_t u = key(buf[i]);
                if ((u & high) == prefix) q->hist[(u >> shift) & 0xFFFF]++;
            }
            left -= (int64_t)k;
        }
    }
    for (size_t i = 0; i < q->nmem; i++) {
        uint64_t u = key(q->mem[i]);
        if ((u & high) == prefix) q->hist[(u >> shift) & 0xFFFF]++;
    }
    return 0;
}

/* The value of rank k (0-based) in sorted order. */
static int select_rank(struct sl_quantiles *q, uint64_t k, double *out, struct sl_error *err)
{
    uint64_t prefix = 0;
    int rc;
    for (int shift = 48; shift >= 0; shift -= 16) {
        if ((rc = pass(q, shift, prefix, err))) return rc;
        uint64_t b = 0;
        while (b < 65535 && k >= q->hist[b]) k -= q->hist[b++];
        prefix |= b << shift;
    }
    *out = unkey(prefix);
    return 0;
}

int sl_quantiles_get(struct sl_quantiles *q, double p, double *out, struct sl_error *err)
{
    int64_t n = sl_quantiles_n(q);
    double lo, hi;
    int rc;

    if (n <= 0 || p < 0 || p > 1) return sl_error_set(err, SL_EINVAL, "no values for a quantile");
    if (!q->hist) q->hist = sl_xmalloc(65536 * sizeof *q->hist);
    double h = (double)(n - 1) * p;
    uint64_t k = (uint64_t)floor(h);
    if ((rc = select_rank(q, k, &lo, err))) return rc;
    if (h == (double)k || k + 1 >= (uint64_t)n) {
        *out = lo;
        return 0;
    }
    if ((rc = select_rank(q, k + 1, &hi, err))) return rc;
    *out = lo + (h - (double)k) * (hi - lo);
    return 0;
}
