/*
 * Anomalies against history: this load's row count and each figure compared with the same
 * figure of the source's earlier committed loads, by a robust z-score (Iglewicz and Hoaglin):
 *
 *     z = 0.6745 (x − median) / MAD,   MAD = median |xᵢ − median|
 *
 * flagged when |z| > SL_ANOMALY_Z (3.5), with at least SL_ANOMALY_MIN_HISTORY (5) earlier loads
 * (the last SL_ANOMALY_MAX_HISTORY are used). The median and MAD are not pulled by the outliers
 * they are meant to find, unlike a mean and a standard deviation.
 *
 * When the MAD is 0 (more than half of the history has the same value) the mean absolute
 * deviation stands in (z = (x − median) / (1.2533 · meanAD)); when that is 0 too the history
 * has no spread at all, z is undefined (null) and a value is flagged when it is more than 5% away
 * from the median (for shares: 0.05).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/json.h"
#include "sluice/quality.h"

static int dcmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median_of(double *v, size_t n)
{
    qsort(v, n, sizeof *v, dcmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

double sl_robust_z(double x, const double *v, size_t n, double *median, double *mad)
{
    double *t, med, m, mean_ad = 0;

    *median = *mad = NAN;
    if (!n) return NAN;
    t = sl_xmalloc(n * sizeof *t);
    memcpy(t, v, n * sizeof *t);
    med = median_of(t, n);
    for (size_t i = 0; i < n; i++) {
        t[i] = fabs(v[i] - med);
        mean_ad += t[i];
    }
    m = median_of(t, n);
    mean_ad /= (double)n;
    free(t);
    *median = med;
    *mad = m;
    if (m > 0) return 0.6745 * (x - med) / m;
    if (mean_ad > 0) return (x - med) / (1.2533 * mean_ad);
    return x == med ? 0 : NAN;
}

/* The figure named metric in a stored quality JSON object; NAN if absent. */
static double stored_figure(const struct sl_node *root, const char *metric)
{
    const struct sl_node *n = sl_node_get(root, metric);
    const char *s = n && n->type == SL_NODE_SCALAR ? n->text : NULL;
    char *end;
    double v = s ? strtod(s, &end) : NAN;
    return s && end != s ? v : NAN;
}

static void flag(struct sl_quality *q, const char *metric, double x, const double *hist, size_t n,
                 int is_count)
{
    double med, mad, z = sl_robust_z(x, hist, n, &med, &mad);
    int hit = isfinite(z) ? fabs(z) > SL_ANOMALY_Z
                          : fabs(x - med) > 0.05 * (fabs(med) > 1 ? fabs(med) : 1.0);
    if (!hit) return;
    q->anomalies = sl_xrealloc(q->anomalies, (q->nanomalies + 1) * sizeof *q->anomalies);
    struct sl_quality_anomaly *a = &q->anomalies[q->nanomalies++];
    memset(a, 0, sizeof *a);
    snprintf(a->metric, sizeof a->metric, "%s", metric);
    a->value = x;
    a->median = med;
    a->mad = mad;
    a->z = z;
    const char *dir = x < med ? "below" : "above";
    char zs[40];
    if (isfinite(z))
        snprintf(zs, sizeof zs, "robust z %.1f", z);
    else
        snprintf(zs, sizeof zs, "the earlier loads all had %.10g", med);
    if (is_count)
        snprintf(a->message, sizeof a->message,
                 "%s: %.0f is far %s the usual %.10g of the last %zu loads (%s)%s", metric, x, dir,
                 med, n, zs,
                 x < med ? ": a partial extract or a filter upstream?"
                         : ": duplicated data or a wider extract?");
    else
        snprintf(a->message, sizeof a->message,
                 "%s: %.4f is far %s the usual %.4f of the last %zu loads (%s)", metric, x, dir,
                 med, n, zs);
}

void sl_quality_anomalies(struct sl_quality *q, const struct sl_quality_past *past, size_t n)
{
    struct sl_quality_score sc;
    double *hist[SL_M_COUNT + 1], *rows;
    size_t k = 0, first = n > SL_ANOMALY_MAX_HISTORY ? n - SL_ANOMALY_MAX_HISTORY : 0;

    free(q->anomalies);
    q->anomalies = NULL;
    q->nanomalies = 0;
    q->history = (int64_t)(n - first);
    if (n - first < SL_ANOMALY_MIN_HISTORY) return;
    rows = sl_xmalloc((n - first) * sizeof *rows);
    for (int m = 0; m <= SL_M_COUNT; m++) hist[m] = sl_xmalloc((n - first) * sizeof *hist[m]);
    for (size_t i = first; i < n; i++) {
        struct sl_doc d;
        struct sl_error err;
        int parsed = past[i].quality_json != NULL, ok = 0;
        if (parsed)
            ok = !sl_doc_parse_json(&d, "quality", past[i].quality_json,
                                    strlen(past[i].quality_json), &err) &&
                 d.root && d.root->type == SL_NODE_MAP;
        rows[k] = (double)past[i].rows;
        for (int m = 0; m < SL_M_COUNT; m++)
            hist[m][k] = ok ? stored_figure(d.root, sl_metric_name(m)) : NAN;
        hist[SL_M_COUNT][k] = ok ? stored_figure(d.root, "score") : NAN;
        if (parsed) sl_doc_free(&d);
        k++;
    }
    sl_quality_compute(q, &sc);
    flag(q, "rows", (double)q->rows, rows, k, 1);
    /* figures as stored (cut to 4 decimals), compared with this load's cut the same way */
    for (int m = 0; m <= SL_M_COUNT; m++) {
        size_t j = 0;
        for (size_t i = 0; i < k; i++)
            if (isfinite(hist[m][i])) hist[m][j++] = hist[m][i];
        if (j < SL_ANOMALY_MIN_HISTORY) continue;
        double x = m < SL_M_COUNT ? sl_quality_metric(&sc, m) : sc.score;
        if (!isfinite(x)) continue; /* not measured in this load */
        flag(q, m < SL_M_COUNT ? sl_metric_name(m) : "score", floor(x * 10000.0 + 1e-9) / 10000.0,
             hist[m], j, 0);
    }
    free(rows);
    for (int m = 0; m <= SL_M_COUNT; m++) free(hist[m]);
}
