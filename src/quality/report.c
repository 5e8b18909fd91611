/*
 * Quality reports of a stored load (`sluice quality`): a terminal table, the JSON object of
 * CLI.md with the load's id and source, and a self-contained HTML page whose charts are inline
 * SVG (no script, no stylesheet or font from the network). Everything that comes from data
 * (source, field names, inputs, messages) is escaped.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/json.h"
#include "sluice/quality.h"

/* The parsed quality JSON of a load. */
struct parsed {
    struct sl_doc doc;
    const struct sl_node *root;
};

static int parse(const char *json, const char *what, struct parsed *p, struct sl_error *err)
{
    memset(p, 0, sizeof *p);
    if (!json) return sl_error_set(err, SL_EINVAL, "%s has no quality figures", what);
    int rc = sl_doc_parse_json(&p->doc, what, json, strlen(json), err);
    if (rc == 0 && (!p->doc.root || p->doc.root->type != SL_NODE_MAP))
        rc = sl_error_set(err, SL_EFORMAT, "%s: the stored quality is not a JSON object", what);
    p->root = p->doc.root;
    return rc;
}

static double figure(const struct sl_node *map, const char *key)
{
    const struct sl_node *n = sl_node_get(map, key);
    if (!n || n->type != SL_NODE_SCALAR || !n->text) return NAN;
    char *end;
    double v = strtod(n->text, &end);
    return end != n->text ? v : NAN;
}

static const char *text_of(const struct sl_node *map, const char *key)
{
    const struct sl_node *n = sl_node_get(map, key);
    return n && n->type == SL_NODE_SCALAR ? n->text : NULL;
}

/* Earlier committed loads (what anomalies were computed against). */
static size_t earlier_committed(const struct sl_quality_report *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nhistory; i++)
        if (r->history[i].load < r->load && r->history[i].status &&
            !strcmp(r->history[i].status, "committed"))
            n++;
    return n > SL_ANOMALY_MAX_HISTORY ? SL_ANOMALY_MAX_HISTORY : n;
}

static const char *const metric_keys[] = {"score",       "completeness", "validity", "uniqueness",
                                          "consistency", "timeliness",   "accuracy"};
#define NMETRICS 7

/* ---- text --------------------------------------------------------------------------------- */

static void bar(struct sl_buf *b, double v, int width)
{
    int n = isfinite(v) ? (int)floor(v * width + 1e-9) : 0;
    if (n < 0) n = 0;
    if (n > width) n = width;
    for (int i = 0; i < width; i++) sl_buf_addc(b, i < n ? '#' : '.');
}

static void share_txt(struct sl_buf *b, double v)
{
    if (isfinite(v))
        sl_buf_addf(b, "%6.4f", floor(v * 10000.0 + 1e-9) / 10000.0);
    else
        sl_buf_adds(b, "   n/a"); /* not measured: nothing to measure */
}

int sl_quality_report_text(const struct sl_quality_report *r, struct sl_buf *b,
                           struct sl_error *err)
{
    struct parsed p;
    int rc = parse(r->quality_json, r->source, &p, err);
    if (rc) goto out;

    /* names, messages and recommendations quote inputs and values: escaped (sl_buf_add_shown) */
    sl_buf_addf(b, "%s: load %lld, %s, from ", r->source, (long long)r->load, r->status);
    sl_buf_add_shown(b, r->input ? r->input : "?");
    sl_buf_addc(b, '\n');
    sl_buf_addf(b, "  %lld rows: %lld valid, %lld with warnings, %lld invalid", (long long)r->rows,
                (long long)r->valid, (long long)r->warning, (long long)r->invalid);
    if (r->finished) sl_buf_addf(b, "; finished %s", r->finished);
    sl_buf_addc(b, '\n');
    if (r->message) {
        sl_buf_adds(b, "  note: ");
        sl_buf_add_shown(b, r->message);
        sl_buf_addc(b, '\n');
    }
    sl_buf_adds(b, "\n  metric        value\n");
    for (int m = 0; m < NMETRICS; m++) {
        double v = figure(p.root, metric_keys[m]);
        sl_buf_addf(b, "  %-12s  ", metric_keys[m]);
        share_txt(b, v);
        if (isfinite(v)) {
            sl_buf_adds(b, "  ");
            bar(b, v, 20);
        } else if (m) {
            sl_buf_adds(b, "  not measured");
        }
        if (m == 0)
            sl_buf_addf(b, "  %s", text_of(p.root, "grade") ? text_of(p.root, "grade") : "");
        sl_buf_addc(b, '\n');
    }
    const struct sl_node *fields = sl_node_get(p.root, "fields");
    if (fields && fields->type == SL_NODE_MAP && fields->n) {
        size_t w = 5;
        for (size_t i = 0; i < fields->n; i++)
            if (fields->keys[i]->len > w) w = fields->keys[i]->len;
        if (w > 40) w = 40;
        sl_buf_addf(b, "\n  %-*s  completeness  validity\n", (int)w, "field");
        for (size_t i = 0; i < fields->n; i++) {
            struct sl_buf name = SL_BUF_INIT;
            sl_buf_add_shown(&name, fields->keys[i]->text);
            sl_buf_addf(b, "  %-*.*s  ", (int)w, (int)w, sl_buf_str(&name));
            sl_buf_free(&name);
            sl_buf_adds(b, "      ");
            share_txt(b, figure(fields->items[i], "completeness"));
            sl_buf_adds(b, "    ");
            share_txt(b, figure(fields->items[i], "validity"));
            sl_buf_addc(b, '\n');
        }
    }
    const struct sl_node *fr = sl_node_get(p.root, "freshness");
    if (fr && fr->type == SL_NODE_MAP) {
        const char *newest = text_of(fr, "newest");
        sl_buf_addf(b, "\n  freshness %s: %.0f of %.0f records within it; newest %s\n",
                    text_of(fr, "declared") ? text_of(fr, "declared") : "?", figure(fr, "within"),
                    figure(fr, "with_timestamp"), newest ? newest : "none");
    }
    size_t hist = earlier_committed(r);
    const struct sl_node *an = sl_node_get(p.root, "anomalies");
    if (an && an->type == SL_NODE_SEQ && an->n) {
        sl_buf_addf(b, "\n  anomalies (against %zu earlier loads, |robust z| > %.1f):\n", hist,
                    SL_ANOMALY_Z);
        for (size_t i = 0; i < an->n; i++) {
            const char *m = text_of(an->items[i], "message");
            sl_buf_adds(b, "    ! ");
            sl_buf_add_shown(b, m ? m : "?");
            sl_buf_addc(b, '\n');
        }
    } else if (hist < SL_ANOMALY_MIN_HISTORY) {
        sl_buf_addf(b, "\n  anomalies: not checked (%zu earlier load%s; %d needed)\n", hist,
                    hist == 1 ? "" : "s", SL_ANOMALY_MIN_HISTORY);
    } else {
        sl_buf_addf(b, "\n  anomalies: none (against %zu earlier loads)\n", hist);
    }
    const struct sl_node *recs = sl_node_get(p.root, "recommendations");
    if (recs && recs->type == SL_NODE_SEQ && recs->n) {
        sl_buf_adds(b, "\n  recommendations:\n");
        for (size_t i = 0; i < recs->n; i++) {
            sl_buf_addf(b, "    %zu. ", i + 1);
            sl_buf_add_shown(b, recs->items[i]->text);
            sl_buf_addc(b, '\n');
        }
    } else {
        sl_buf_adds(b, "\n  recommendations: none\n");
    }
out:
    sl_doc_free(&p.doc);
    return rc;
}

/* ---- JSON --------------------------------------------------------------------------------- */

int sl_quality_report_json(const struct sl_quality_report *r, struct sl_buf *b,
                           struct sl_error *err)
{
    struct parsed p;
    int rc = parse(r->quality_json, r->source, &p, err);
    sl_doc_free(&p.doc);
    if (rc) return rc;
    /* the stored object with the load's identity first */
    const char *q = r->quality_json;
    while (*q && *q != '{') q++;
    sl_buf_adds(b, "{\"source\":");
    sl_buf_json_cstr(b, r->source);
    sl_buf_addf(b, ",\"load\":%lld,\"status\":", (long long)r->load);
    sl_buf_json_cstr(b, r->status);
    sl_buf_adds(b, ",\"input\":");
    sl_buf_json_cstr(b, r->input);
    sl_buf_addf(b, ",\"rows\":%lld,\"valid\":%lld,\"warning\":%lld,\"invalid\":%lld,",
                (long long)r->rows, (long long)r->valid, (long long)r->warning,
                (long long)r->invalid);
    sl_buf_adds(b, q + 1);
    sl_buf_addc(b, '\n');
    return 0;
}

/* ---- HTML --------------------------------------------------------------------------------- */

static void esc(struct sl_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': sl_buf_adds(b, "&amp;"); break;
        case '<': sl_buf_adds(b, "&lt;"); break;
        case '>': sl_buf_adds(b, "&gt;"); break;
        case '"': sl_buf_adds(b, "&quot;"); break;
        case '\'': sl_buf_adds(b, "&#39;"); break;
        default: sl_buf_addc(b, *s);
        }
    }
}

static const char *const colors[NMETRICS] = {"#111111", "#1f77b4", "#2ca02c", "#9467bd",
                                             "#ff7f0e", "#8c564b", "#d62728"};

/* Line chart of the figures across the source's loads (y from 0 to 1). */
static void line_chart(struct sl_buf *b, const struct sl_quality_report *r)
{
    const int W = 760, H = 280, L = 48, R = 150, T = 16, B = 40;
    const int pw = W - L - R, ph = H - T - B;
    size_t n = r->nhistory;
    struct parsed *ps = sl_xcalloc(n ? n : 1, sizeof *ps);
    double lo = 1.0;

    for (size_t i = 0; i < n; i++) {
        struct sl_error e;
        if (parse(r->history[i].quality_json, "history", &ps[i], &e)) ps[i].root = NULL;
        for (int m = 0; m < NMETRICS && ps[i].root; m++) {
            double v = figure(ps[i].root, metric_keys[m]);
            if (isfinite(v) && v < lo) lo = v;
        }
    }
    /* the y axis starts at a round figure below the lowest value, so small drops show */
    lo = floor(lo * 10.0) / 10.0;
    if (lo > 0.8) lo = 0.8;
    if (lo < 0) lo = 0;
    sl_buf_addf(b,
                "<svg width=\"%d\" height=\"%d\" "
                "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"figures across loads\">\n",
                W, H, W, H);
    for (int g = 0; g <= 4; g++) {
        double v = lo + (1.0 - lo) * g / 4.0;
        double y = T + ph - ph * (v - lo) / (1.0 - lo);
        sl_buf_addf(b,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.2f</text>\n",
                    L, y, L + pw, y, L - 6, y + 4, v);
    }
    double step = n > 1 ? (double)pw / (double)(n - 1) : 0;
    size_t every = n > 20 ? (n + 19) / 20 : 1;
    for (size_t i = 0; i < n; i++) {
        double x = n > 1 ? L + step * (double)i : L + pw / 2.0;
        int failed = r->history[i].status && strcmp(r->history[i].status, "committed");
        if (r->history[i].load == r->load)
            sl_buf_addf(b,
                        "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\" "
                        "stroke-dasharray=\"4 3\"/>\n",
                        x, T, x, T + ph);
        if (i % every == 0 || r->history[i].load == r->load)
            sl_buf_addf(b,
                        "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\"%s>"
                        "%lld</text>\n",
                        x, T + ph + 16, failed ? " fill=\"#d62728\"" : "",
                        (long long)r->history[i].load);
    }
    sl_buf_addf(b,
                "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">load "
                "(red: failed a threshold)</text>\n",
                L + pw / 2, H - 6);
    for (int m = NMETRICS - 1; m >= 0; m--) {
        struct sl_buf pts = SL_BUF_INIT;
        for (size_t i = 0; i < n; i++) {
            double v = ps[i].root ? figure(ps[i].root, metric_keys[m]) : NAN;
            if (!isfinite(v)) continue;
            double x = n > 1 ? L + step * (double)i : L + pw / 2.0;
            double y = T + ph - ph * (v - lo) / (1.0 - lo);
            sl_buf_addf(&pts, "%s%.1f,%.1f", pts.len ? " " : "", x, y);
            sl_buf_addf(b,
                        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\"><title>load %lld "
                        "%s %.4f</title></circle>\n",
                        x, y, m == 0 ? 4 : 3, colors[m], (long long)r->history[i].load,
                        metric_keys[m], v);
        }
        if (pts.len)
            sl_buf_addf(
                b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%d\" points=\"%s\"/>\n",
                colors[m], m == 0 ? 3 : 1, pts.p);
        sl_buf_free(&pts);
        sl_buf_addf(b,
                    "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>\n",
                    L + pw + 16, T + 18 * m, colors[m], L + pw + 34, T + 18 * m + 11,
                    metric_keys[m]);
    }
    sl_buf_adds(b, "</svg>\n");
    for (size_t i = 0; i < n; i++) sl_doc_free(&ps[i].doc);
    free(ps);
}

/* Bars of rows per load. */
static void rows_chart(struct sl_buf *b, const struct sl_quality_report *r)
{
    const int W = 760, H = 140, L = 48, T = 10, B = 24;
    const int pw = W - L - 150, ph = H - T - B;
    int64_t max = 1;
    size_t n = r->nhistory;

    for (size_t i = 0; i < n; i++)
        if (r->history[i].rows > max) max = r->history[i].rows;
    sl_buf_addf(b,
                "<svg width=\"%d\" height=\"%d\" "
                "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"rows per load\">\n",
                W, H, W, H);
    sl_buf_addf(b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%lld</text>\n",
                L - 6, T + 10, (long long)max);
    double slot = n ? (double)pw / (double)n : pw;
    for (size_t i = 0; i < n; i++) {
        double h = ph * (double)r->history[i].rows / (double)max;
        int failed = r->history[i].status && strcmp(r->history[i].status, "committed");
        sl_buf_addf(b,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                    "<title>load %lld: %lld rows</title></rect>\n",
                    L + slot * (double)i + slot * 0.15, T + ph - h, slot * 0.7, h,
                    r->history[i].load == r->load ? "#1f77b4"
                    : failed                      ? "#d62728"
                                                  : "#9ecae1",
                    (long long)r->history[i].load, (long long)r->history[i].rows);
    }
    sl_buf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>\n", L, T + ph,
                L + pw, T + ph);
    sl_buf_adds(b, "</svg>\n");
}

/* Per field: completeness and validity bars. */
static void field_chart(struct sl_buf *b, const struct sl_node *fields)
{
    const int L = 200, BW = 400, RH = 34;
    size_t n = fields->n;
    int H = (int)n * RH + 30;

    sl_buf_addf(b,
                "<svg width=\"%d\" height=\"%d\" "
                "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"per-field figures\">\n",
                L + BW + 80, H, L + BW + 80, H);
    sl_buf_addf(b,
                "<rect x=\"%d\" y=\"4\" width=\"12\" height=\"10\" fill=\"#1f77b4\"/>"
                "<text x=\"%d\" y=\"13\" font-size=\"11\">completeness</text>"
                "<rect x=\"%d\" y=\"4\" width=\"12\" height=\"10\" fill=\"#2ca02c\"/>"
                "<text x=\"%d\" y=\"13\" font-size=\"11\">validity</text>\n",
                L, L + 16, L + 120, L + 136);
    for (size_t i = 0; i < n; i++) {
        int y = 24 + (int)i * RH;
        double c = figure(fields->items[i], "completeness"),
               v = figure(fields->items[i], "validity");
        sl_buf_addf(b, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">", L - 8,
                    y + 17);
        struct sl_buf name = SL_BUF_INIT;
        sl_buf_add(&name, fields->keys[i]->text,
                   fields->keys[i]->len > 30 ? 30 : fields->keys[i]->len);
        esc(b, sl_buf_str(&name));
        sl_buf_free(&name);
        sl_buf_adds(b, "</text>\n");
        if (!isfinite(c)) c = 0;
        if (!isfinite(v)) v = 0;
        sl_buf_addf(b,
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"12\" fill=\"#eee\"/>"
                    "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"#1f77b4\">"
                    "<title>completeness %.4f</title></rect>"
                    "<text x=\"%d\" y=\"%d\" font-size=\"11\">%.4f</text>\n",
                    L, y + 2, BW, L, y + 2, BW * c, c, L + BW + 6, y + 12, c);
        sl_buf_addf(b,
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"12\" fill=\"#eee\"/>"
                    "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"#2ca02c\">"
                    "<title>validity %.4f</title></rect>"
                    "<text x=\"%d\" y=\"%d\" font-size=\"11\">%.4f</text>\n",
                    L, y + 16, BW, L, y + 16, BW * v, v, L + BW + 6, y + 26, v);
    }
    sl_buf_adds(b, "</svg>\n");
}

static void num_cell(struct sl_buf *b, double v)
{
    if (isfinite(v))
        sl_buf_addf(b, "<td class=\"n\">%.10g</td>", v);
    else
        sl_buf_adds(b, "<td class=\"n\">n/a</td>");
}

int sl_quality_report_html(const struct sl_quality_report *r, struct sl_buf *b,
                           struct sl_error *err)
{
    struct parsed p;
    int rc = parse(r->quality_json, r->source, &p, err);
    if (rc) goto out;
    const char *grade = text_of(p.root, "grade");

    sl_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                   "<title>Quality of ");
    esc(b, r->source);
    sl_buf_addf(b, ", load %lld</title>\n", (long long)r->load);
    sl_buf_adds(b,
                "<style>\n"
                "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:60em}\n"
                "table{border-collapse:collapse;margin:0.5em 0 1.5em}\n"
                "td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left}\n"
                "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
                ".grade{font-size:1.4em;font-weight:bold;padding:2px 10px;border-radius:4px}\n"
                ".excellent{background:#c7e9c0}.good{background:#e5f5e0}.fair{background:#fee6ce}"
                ".poor{background:#fdd0a2}.unusable{background:#fcbba1}\n"
                ".anomaly{color:#a50f15}\n"
                "</style>\n</head>\n<body>\n<h1>Quality of ");
    esc(b, r->source);
    sl_buf_addf(b, ", load %lld</h1>\n<p>Status <b>", (long long)r->load);
    esc(b, r->status);
    sl_buf_adds(b, "</b>, input <code>");
    esc(b, r->input);
    sl_buf_addf(b, "</code>: %lld rows, %lld valid, %lld with warnings, %lld invalid",
                (long long)r->rows, (long long)r->valid, (long long)r->warning,
                (long long)r->invalid);
    if (r->finished) {
        sl_buf_adds(b, "; finished ");
        esc(b, r->finished);
    }
    sl_buf_adds(b, ".</p>\n");
    if (r->message) {
        sl_buf_adds(b, "<p>Note: ");
        esc(b, r->message);
        sl_buf_adds(b, "</p>\n");
    }
    double score = figure(p.root, "score");
    if (isfinite(score))
        sl_buf_addf(b, "<p>Score <b>%.4f</b> <span class=\"grade ", score);
    else
        sl_buf_adds(b, "<p>Score <b>n/a</b> <span class=\"grade ");
    esc(b, grade ? grade : "");
    sl_buf_adds(b, "\">");
    esc(b, grade ? grade : "?");
    sl_buf_adds(b, "</span></p>\n");

    sl_buf_adds(b, "<h2>Figures</h2>\n<table>\n<tr><th>metric</th><th>value</th></tr>\n");
    for (int m = 0; m < NMETRICS; m++) {
        sl_buf_addf(b, "<tr><td>%s</td>", metric_keys[m]);
        num_cell(b, figure(p.root, metric_keys[m]));
        sl_buf_adds(b, "</tr>\n");
    }
    sl_buf_adds(b, "</table>\n");

    sl_buf_addf(b,
                "<h2>Across loads</h2>\n<p>Every load of the source with quality figures "
                "(%zu); the dashed line is this load.</p>\n",
                r->nhistory);
    line_chart(b, r);
    sl_buf_adds(b, "<h3>Rows per load</h3>\n");
    rows_chart(b, r);

    const struct sl_node *fields = sl_node_get(p.root, "fields");
    if (fields && fields->type == SL_NODE_MAP && fields->n) {
        sl_buf_adds(b, "<h2>Fields</h2>\n");
        field_chart(b, fields);
        sl_buf_adds(b, "<table>\n<tr><th>field</th><th>completeness</th><th>validity</th></tr>\n");
        for (size_t i = 0; i < fields->n; i++) {
            sl_buf_adds(b, "<tr><td>");
            esc(b, fields->keys[i]->text);
            sl_buf_adds(b, "</td>");
            num_cell(b, figure(fields->items[i], "completeness"));
            num_cell(b, figure(fields->items[i], "validity"));
            sl_buf_adds(b, "</tr>\n");
        }
        sl_buf_adds(b, "</table>\n");
    }

    sl_buf_adds(b, "<h2>Anomalies</h2>\n");
    const struct sl_node *an = sl_node_get(p.root, "anomalies");
    size_t hist = earlier_committed(r);
    if (an && an->type == SL_NODE_SEQ && an->n) {
        sl_buf_addf(b,
                    "<p>Against %zu earlier loads; flagged when |robust z| &gt; %.1f.</p>\n"
                    "<table>\n<tr><th>metric</th><th>value</th><th>median</th><th>MAD</th>"
                    "<th>z</th><th>message</th></tr>\n",
                    hist, SL_ANOMALY_Z);
        for (size_t i = 0; i < an->n; i++) {
            const struct sl_node *a = an->items[i];
            sl_buf_adds(b, "<tr class=\"anomaly\"><td>");
            esc(b, text_of(a, "metric"));
            sl_buf_adds(b, "</td>");
            num_cell(b, figure(a, "value"));
            num_cell(b, figure(a, "median"));
            num_cell(b, figure(a, "mad"));
            num_cell(b, figure(a, "z"));
            sl_buf_adds(b, "<td>");
            esc(b, text_of(a, "message"));
            sl_buf_adds(b, "</td></tr>\n");
        }
        sl_buf_adds(b, "</table>\n");
    } else if (hist < SL_ANOMALY_MIN_HISTORY) {
        sl_buf_addf(b, "<p>Not checked: %zu earlier committed loads, %d needed.</p>\n", hist,
                    SL_ANOMALY_MIN_HISTORY);
    } else {
        sl_buf_addf(b, "<p>None against %zu earlier loads.</p>\n", hist);
    }

    sl_buf_adds(b, "<h2>Recommendations</h2>\n");
    const struct sl_node *recs = sl_node_get(p.root, "recommendations");
    if (recs && recs->type == SL_NODE_SEQ && recs->n) {
        sl_buf_adds(b, "<ol>\n");
        for (size_t i = 0; i < recs->n; i++) {
            sl_buf_adds(b, "<li>");
            esc(b, recs->items[i]->text);
            sl_buf_adds(b, "</li>\n");
        }
        sl_buf_adds(b, "</ol>\n");
    } else {
        sl_buf_adds(b, "<p>None.</p>\n");
    }
    sl_buf_adds(b, "</body>\n</html>\n");
out:
    sl_doc_free(&p.doc);
    return rc;
}
