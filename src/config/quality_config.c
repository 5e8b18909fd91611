/*
 * The quality settings of sluice.yaml: `quality:` (weights and thresholds) at the top of the file
 * (defaults for every source) and per source, and a source's `freshness:` duration.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const metric_keys[SL_M_COUNT] = {"completeness", "validity",   "uniqueness",
                                                    "consistency",  "timeliness", "accuracy"};

void sl_quality_config_init(struct sl_quality_config *q)
{
    memset(q, 0, sizeof *q);
    for (int i = 0; i < SL_M_COUNT; i++) {
        q->weights[i] = 1.0;
        q->min[i] = -1.0;
    }
    q->min_score = -1.0;
    q->max_invalid_ratio = -1.0;
}

int sl_quality_config_has_thresholds(const struct sl_quality_config *q)
{
    if (q->min_score >= 0 || q->max_invalid_ratio >= 0) return 1;
    for (int i = 0; i < SL_M_COUNT; i++)
        if (q->min[i] >= 0) return 1;
    return 0;
}

void sl__quality_config_copy(struct sl_quality_config *dst, const struct sl_quality_config *src)
{
    *dst = *src;
    dst->freshness_text = src->freshness_text ? sl_xstrdup(src->freshness_text) : NULL;
}

/* ISO-8601 duration: P[nY][nM][nW][nD][T[nH][nM][nS]] (a year is 365 days, a month 30). */
static double iso_duration(const char *s)
{
    double total = 0;
    int in_time = 0, any = 0;

    if (*s != 'P' && *s != 'p') return -1;
    s++;
    while (*s) {
        if (*s == 'T' || *s == 't') {
            if (in_time) return -1;
            in_time = 1;
            s++;
            continue;
        }
        char *end;
        if (!isdigit((unsigned char)*s)) return -1;
        double n = strtod(s, &end);
        if (end == s) return -1;
        switch (*end) {
        case 'Y':
        case 'y':
            if (in_time) return -1;
            total += n * 365 * 86400;
            break;
        case 'M':
        case 'm': total += in_time ? n * 60 : n * 30 * 86400; break;
        case 'W':
        case 'w':
            if (in_time) return -1;
            total += n * 7 * 86400;
            break;
        case 'D':
        case 'd':
            if (in_time) return -1;
            total += n * 86400;
            break;
        case 'H':
        case 'h':
            if (!in_time) return -1;
            total += n * 3600;
            break;
        case 'S':
        case 's':
            if (!in_time) return -1;
            total += n;
            break;
        default: return -1;
        }
        any = 1;
        s = end + 1;
    }
    return any ? total : -1;
}

double sl_parse_duration(const char *s)
{
    char *end;
    double n, unit;

    if (!s) return -1;
    while (isspace((unsigned char)*s)) s++;
    if (*s == 'P' || *s == 'p') return iso_duration(s);
    if (!isdigit((unsigned char)*s)) return -1;
    n = strtod(s, &end);
    while (isspace((unsigned char)*end)) end++;
    if (!*end || !strcmp(end, "s"))
        unit = 1;
    else if (!strcmp(end, "m") || !strcmp(end, "min"))
        unit = 60;
    else if (!strcmp(end, "h"))
        unit = 3600;
    else if (!strcmp(end, "d"))
        unit = 86400;
    else if (!strcmp(end, "w"))
        unit = 7 * 86400;
    else
        return -1;
    if (!isfinite(n) || n <= 0) return -1;
    return n * unit;
}

static int bad(const struct sl_doc *d, const struct sl_node *n, const char *what, const char *why,
               struct sl_error *err)
{
    return sl_error_set(err, SL_ECONFIG, "%s:%d: %s: %s", d->path, n ? n->line : 0, what, why);
}

/* A number in [lo, hi]. */
static int want_num(const struct sl_doc *d, const struct sl_node *n, const char *what, double lo,
                    double hi, double *out, struct sl_error *err)
{
    const char *s = n && n->type == SL_NODE_SCALAR && !n->quoted ? n->text : NULL;
    char *end = NULL, why[120];
    double v = s ? strtod(s, &end) : NAN;

    if (!s || end == s || *end || !isfinite(v) || v < lo || v > hi) {
        snprintf(why, sizeof why, "expected a number from %g to %g", lo, hi);
        return bad(d, n, what, why, err);
    }
    *out = v;
    return 0;
}

int sl__read_quality(const struct sl_doc *d, const struct sl_node *map, const char *what,
                     struct sl_quality_config *q, struct sl_error *err)
{
    static const char *const keys[] = {"weights",           "min_score",
                                       "max_invalid_ratio", "min_completeness",
                                       "min_validity",      "min_uniqueness",
                                       "min_consistency",   "min_timeliness",
                                       "min_accuracy",      NULL};
    char sub[300];
    int rc;

    if (!map || map->type == SL_NODE_NULL) return 0;
    if (map->type != SL_NODE_MAP)
        return bad(d, map, what, "expected a mapping (weights, min_score, ...)", err);
    if ((rc = sl_node_check_keys(d, map, what, keys, err)) < 0) return rc;
    for (size_t i = 0; i < map->n; i++) {
        const char *k = map->keys[i]->text;
        const struct sl_node *v = map->items[i];
        snprintf(sub, sizeof sub, "%s.%s", what, k);
        if (!strcmp(k, "weights")) {
            double sum = 0;
            if (v->type != SL_NODE_MAP)
                return bad(d, v, sub, "expected a mapping of metric names to weights", err);
            if ((rc = sl_node_check_keys(d, v, sub,
                                         (const char *const[]){"completeness", "validity",
                                                               "uniqueness", "consistency",
                                                               "timeliness", "accuracy", NULL},
                                         err)) < 0)
                return rc;
            for (size_t j = 0; j < v->n; j++) {
                char wsub[400];
                snprintf(wsub, sizeof wsub, "%s.%s", sub, v->keys[j]->text);
                for (int m = 0; m < SL_M_COUNT; m++)
                    if (!strcmp(v->keys[j]->text, metric_keys[m]) &&
                        (rc = want_num(d, v->items[j], wsub, 0, 1e6, &q->weights[m], err)) < 0)
                        return rc;
            }
            for (int m = 0; m < SL_M_COUNT; m++) sum += q->weights[m];
            if (sum <= 0) return bad(d, v, sub, "at least one weight must be above 0", err);
        } else if (!strcmp(k, "min_score")) {
            if ((rc = want_num(d, v, sub, 0, 1, &q->min_score, err)) < 0) return rc;
        } else if (!strcmp(k, "max_invalid_ratio")) {
            if ((rc = want_num(d, v, sub, 0, 1, &q->max_invalid_ratio, err)) < 0) return rc;
        } else {
            for (int m = 0; m < SL_M_COUNT; m++)
                if (!strcmp(k + 4, metric_keys[m]) &&
                    (rc = want_num(d, v, sub, 0, 1, &q->min[m], err)) < 0)
                    return rc;
        }
    }
    return 0;
}

int sl__read_freshness(const struct sl_doc *d, const struct sl_node *n, const char *what,
                       struct sl_quality_config *q, struct sl_error *err)
{
    const char *s = sl_node_str(n);
    double secs = s ? sl_parse_duration(s) : -1;
    if (secs <= 0) return bad(d, n, what, "expected a duration such as 24h, 7d, 90m or P1D", err);
    q->freshness = secs;
    free(q->freshness_text);
    q->freshness_text = sl_xstrdup(s);
    return 0;
}
