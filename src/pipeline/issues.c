/*
 * Issues grouped for people (sluice/pipeline.h): the same problem on many rows is one line
 * ("30 rows, lines 2-31: 5 cells where the header has 1 ... is the header separated
 * differently?"), not one line per cell. Memory is bounded: at most SL_ISSUE_GROUPS_MAX groups
 * of SL_ISSUE_GROUP_KEEP kept issues each, whatever the input's size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int same(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* extra-cell / missing-cell messages start "the row has N cells, the header M: ..." (csv.c) */
static char *cell_shape(const struct sl_issue *i, long *ncells, long *nheader)
{
    const char *colon;
    if (strcmp(i->code, "extra-cell") && strcmp(i->code, "missing-cell")) return NULL;
    if (sscanf(i->message, "the row has %ld cells, the header %ld", ncells, nheader) != 2)
        return NULL;
    colon = strchr(i->message, ':');
    return colon ? sl_xstrndup(i->message, (size_t)(colon - i->message)) : NULL;
}

void sl_issue_groups_add(struct sl_issue_groups *g, const struct sl_row *row,
                         const struct sl_issue *i)
{
    struct sl_issue_group *gr = NULL;
    long ncells = 0, nheader = 0;
    char *shape = cell_shape(i, &ncells, &nheader);
    /* a cell-count group is about the row's shape, not about one column */
    const char *field = shape ? NULL : i->field;

    g->issues++;
    for (size_t k = 0; k < g->n && !gr; k++) {
        struct sl_issue_group *c = &g->v[g->n - 1 - k]; /* the latest group is the likeliest */
        if (!strcmp(c->code, i->code) && same(c->field, field) && same(c->shape, shape) &&
            c->severity == i->severity)
            gr = c;
    }
    if (!gr) {
        if (g->n >= SL_ISSUE_GROUPS_MAX) {
            g->other++;
            free(shape);
            return;
        }
        g->v = sl_xrealloc(g->v, (g->n + 1) * sizeof *g->v);
        gr = &g->v[g->n++];
        memset(gr, 0, sizeof *gr);
        gr->code = sl_xstrdup(i->code);
        gr->field = field ? sl_xstrdup(field) : NULL;
        gr->shape = shape;
        shape = NULL;
        gr->severity = i->severity;
        gr->ncells = ncells;
        gr->nheader = nheader;
        gr->first_line = row->line;
        gr->first_row = row->num;
        gr->first_seq = g->issues;
        gr->kept = sl_xcalloc(SL_ISSUE_GROUP_KEEP, sizeof *gr->kept);
    }
    free(shape);
    gr->issues++;
    if (!gr->rows || gr->last_row != row->num) gr->rows++;
    gr->last_line = row->line;
    gr->last_row = row->num;
    if (gr->nkept < SL_ISSUE_GROUP_KEEP) {
        struct sl_issue_rec *o = &gr->kept[gr->nkept++];
        o->row = row->num;
        o->line = row->line;
        o->offset = row->offset;
        o->seq = g->issues;
        o->severity = i->severity;
        o->code = sl_xstrdup(i->code);
        o->field = i->field ? sl_xstrdup(i->field) : NULL;
        o->value = i->value ? sl_xstrndup(i->value, i->value_len) : NULL;
        o->message = sl_xstrdup(i->message);
        o->constraint = i->constraint ? sl_xstrdup(i->constraint) : NULL;
    }
}

void sl_issue_groups_free(struct sl_issue_groups *g)
{
    for (size_t k = 0; k < g->n; k++) {
        struct sl_issue_group *gr = &g->v[k];
        for (size_t j = 0; j < gr->nkept; j++) {
            free(gr->kept[j].code);
            free(gr->kept[j].field);
            free(gr->kept[j].value);
            free(gr->kept[j].message);
            free(gr->kept[j].constraint);
        }
        free(gr->kept);
        free(gr->code);
        free(gr->field);
        free(gr->shape);
    }
    free(g->v);
    memset(g, 0, sizeof *g);
}

const char *sl_issue_group_hint(const struct sl_issue_group *gr, int64_t rows)
{
    if (!gr->shape) return NULL;
    /* every row has the same wrong count, or the header is one name: the header and the rows
     * are not split the same way (spaces in the header, tabs in the rows) */
    if ((gr->rows == rows && gr->rows > 1) || (gr->nheader == 1 && gr->ncells > 1))
        return "is the header separated differently?";
    return NULL;
}

void sl_issue_where(int64_t row, int64_t line, int64_t offset, int json_input, struct sl_buf *b)
{
    if (json_input)
        sl_buf_addf(b, "record %lld (line %lld, byte %lld)", (long long)row, (long long)line,
                    (long long)offset);
    else
        sl_buf_addf(b, "line %lld (record %lld)", (long long)line, (long long)row);
}

static void one_issue(const struct sl_issue_rec *e, int json_input, const char *prefix,
                      struct sl_buf *b)
{
    sl_buf_adds(b, prefix);
    sl_issue_where(e->row, e->line, e->offset, json_input, b);
    /* codes and messages quote the input's values: control characters escaped */
    sl_buf_addf(b, ": %s", e->severity == SL_ROW_WARNING ? "warning: " : "");
    sl_buf_add_printable(b, e->code, strlen(e->code));
    sl_buf_adds(b, ": ");
    sl_buf_add_printable(b, e->message, strlen(e->message));
    sl_buf_addc(b, '\n');
}

/* "30 rows, lines 2-31: 5 cells where the header has 1 (extra-cell, 120 cells) — is the
 * header separated differently?" */
static void group_line(const struct sl_issue_group *gr, int64_t rows, int json_input,
                       const char *prefix, struct sl_buf *b)
{
    const char *hint = sl_issue_group_hint(gr, rows);
    sl_buf_addf(b, "%s%lld %s, ", prefix, (long long)gr->rows, gr->rows == 1 ? "row" : "rows");
    /* one row with many issues (3 million duplicate keys) is "1 row, line 1" */
    int64_t first = json_input ? gr->first_row : gr->first_line;
    int64_t last = json_input ? gr->last_row : gr->last_line;
    if (first == last)
        sl_buf_addf(b, "%s %lld", json_input ? "record" : "line", (long long)first);
    else
        sl_buf_addf(b, "%s %lld-%lld", json_input ? "records" : "lines", (long long)first,
                    (long long)last);
    sl_buf_addf(b, ": %s", gr->severity == SL_ROW_WARNING ? "warning: " : "");
    if (gr->shape) {
        sl_buf_addf(b, "%ld cells where the header has %ld (", gr->ncells, gr->nheader);
        sl_buf_add_printable(b, gr->code, strlen(gr->code));
        sl_buf_addf(b, ", %lld cells)", (long long)gr->issues);
    } else {
        sl_buf_add_printable(b, gr->code, strlen(gr->code));
        if (gr->field) {
            sl_buf_adds(b, " in ");
            sl_buf_add_printable(b, gr->field, strlen(gr->field));
        }
        if (gr->issues != gr->rows) sl_buf_addf(b, " (%lld issues)", (long long)gr->issues);
        sl_buf_adds(b, "; the first: ");
        sl_buf_add_printable(b, gr->kept[0].message, strlen(gr->kept[0].message));
    }
    if (hint) sl_buf_addf(b, " — %s", hint);
    sl_buf_addc(b, '\n');
}

/* A line of the text: one issue of a small group, or a whole large group, in input order. */
struct item {
    int64_t seq;
    const struct sl_issue_group *gr;
    const struct sl_issue_rec *one; /* NULL: the group's line */
};

static int by_seq(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

void sl_issue_groups_text(const struct sl_issue_groups *g, int64_t rows, int json_input,
                          const char *prefix, size_t max, struct sl_buf *b)
{
    struct item *items = sl_xcalloc(g->n * SL_ISSUE_GROUP_KEEP + 1, sizeof *items);
    size_t n = 0, lines = 0;
    int64_t shown = 0;
    for (size_t k = 0; k < g->n; k++) {
        const struct sl_issue_group *gr = &g->v[k];
        if (gr->issues <= SL_ISSUE_GROUP_KEEP)
            for (size_t j = 0; j < gr->nkept; j++)
                items[n++] = (struct item){gr->kept[j].seq, gr, &gr->kept[j]};
        else
            items[n++] = (struct item){gr->first_seq, gr, NULL};
    }
    qsort(items, n, sizeof *items, by_seq);
    for (size_t k = 0; k < n && lines < max; k++, lines++) {
        if (items[k].one) {
            one_issue(items[k].one, json_input, prefix, b);
            shown++;
        } else {
            group_line(items[k].gr, rows, json_input, prefix, b);
            shown += items[k].gr->issues;
        }
    }
    free(items);
    if (g->issues > shown)
        sl_buf_addf(b, "%s... and %lld more\n", prefix, (long long)(g->issues - shown));
}

void sl_issue_groups_json(const struct sl_issue_groups *g, int64_t rows, struct sl_buf *b)
{
    sl_buf_addc(b, '[');
    for (size_t k = 0; k < g->n; k++) {
        const struct sl_issue_group *gr = &g->v[k];
        const char *hint = sl_issue_group_hint(gr, rows);
        sl_buf_adds(b, k ? ",{\"code\":" : "{\"code\":");
        sl_buf_json_cstr(b, gr->code);
        sl_buf_adds(b, ",\"field\":");
        sl_buf_json_cstr(b, gr->field);
        sl_buf_addf(b,
                    ",\"severity\":\"%s\",\"rows\":%lld,\"issues\":%lld,\"first_row\":%lld,"
                    "\"first_line\":%lld,\"last_row\":%lld,\"last_line\":%lld",
                    gr->severity == SL_ROW_WARNING ? "warning" : "error", (long long)gr->rows,
                    (long long)gr->issues, (long long)gr->first_row, (long long)gr->first_line,
                    (long long)gr->last_row, (long long)gr->last_line);
        if (gr->shape)
            sl_buf_addf(b, ",\"cells\":%ld,\"header_cells\":%ld", gr->ncells, gr->nheader);
        sl_buf_adds(b, ",\"message\":");
        sl_buf_json_cstr(b, gr->shape ? gr->shape : gr->kept[0].message);
        if (hint) {
            sl_buf_adds(b, ",\"hint\":");
            sl_buf_json_cstr(b, hint);
        }
        sl_buf_addc(b, '}');
    }
    sl_buf_addc(b, ']');
}
