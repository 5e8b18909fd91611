/* Batches, rows, issues, and input column labels. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/batch.h"

void sl_batch_init(struct sl_batch *b)
{
    memset(b, 0, sizeof *b);
    sl_arena_init(&b->arena, 256 << 10);
}

void sl_batch_reset(struct sl_batch *b)
{
    sl_arena_reset(&b->arena);
    b->len = 0;
    b->nrows = 0;
    /* A huge record grew the buffer: give the memory back instead of keeping it per batch. */
    if (b->cap > 4 * (size_t)SL_BATCH_KEEP) {
        free(b->buf);
        b->buf = NULL;
        b->cap = 0;
    }
    if (b->rows_cap > 65536) {
        free(b->rows);
        b->rows = NULL;
        b->rows_cap = 0;
    }
}

void sl_batch_free(struct sl_batch *b)
{
    sl_arena_free(&b->arena);
    free(b->buf);
    free(b->rows);
    memset(b, 0, sizeof *b);
}

void sl_batch_reserve(struct sl_batch *b, size_t n)
{
    if (n <= b->cap) return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < n) cap *= 2;
    b->buf = sl_xrealloc(b->buf, cap + 1); /* +1: room for a NUL a parser may put at the end */
    b->cap = cap;
}

struct sl_row *sl_batch_add_row(struct sl_batch *b)
{
    if (b->nrows == b->rows_cap) {
        b->rows_cap = b->rows_cap ? b->rows_cap * 2 : 1024;
        b->rows = sl_xrealloc(b->rows, b->rows_cap * sizeof *b->rows);
    }
    struct sl_row *r = &b->rows[b->nrows++];
    memset(r, 0, sizeof *r);
    return r;
}

/* The last issue of a row whose other issues were not kept; its message is rewritten in place
 * as the count grows (no memory per issue). */
#define UNKEPT_MSG_CAP 128

static void unkept_message(struct sl_row *r)
{
    snprintf((char *)r->issues_tail->message, UNKEPT_MSG_CAP,
             "and %lu more issue%s of this record were not kept (at most %d are kept a record)",
             (unsigned long)r->unkept, r->unkept == 1 ? "" : "s", SL_ROW_MAX_ISSUES);
}

static void append(struct sl_row *r, struct sl_issue *i)
{
    if (r->issues_tail)
        r->issues_tail->next = i;
    else
        r->issues = i;
    r->issues_tail = i;
    r->nissues++;
}

struct sl_issue *sl_row_issue(struct sl_batch *b, struct sl_row *r, int severity, const char *code,
                              const char *field, const char *value, size_t value_len,
                              const char *fmt, ...)
{
    if (severity > r->status) r->status = (uint8_t)severity;
    if (r->unkept || r->nissues >= SL_ROW_MAX_ISSUES) {
        if (!r->unkept) {
            struct sl_issue *m = sl_arena_zalloc(&b->arena, sizeof *m);
            m->code = "too-many-issues";
            m->message = sl_arena_zalloc(&b->arena, UNKEPT_MSG_CAP);
            m->severity = (uint8_t)severity;
            append(r, m);
        }
        if (r->unkept < UINT32_MAX) r->unkept++;
        if (severity > r->issues_tail->severity) r->issues_tail->severity = (uint8_t)severity;
        unkept_message(r);
        memset(&b->unkept, 0, sizeof b->unkept);
        return &b->unkept;
    }

    struct sl_issue *i = sl_arena_alloc(&b->arena, sizeof *i);
    struct sl_buf msg = SL_BUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    sl_buf_vaddf(&msg, fmt, ap);
    va_end(ap);
    i->next = NULL;
    i->code = code;
    i->message = sl_arena_strndup(&b->arena, sl_buf_str(&msg), msg.len);
    sl_buf_free(&msg);
    i->field = field;
    i->constraint = NULL;
    /* values are kept up to 1 kB in messages and reports; bronze keeps the whole record */
    if (value) {
        if (value_len > 1024) value_len = 1024;
        i->value = sl_arena_strndup(&b->arena, value, value_len);
        i->value_len = (uint32_t)value_len;
    } else {
        i->value = NULL;
        i->value_len = 0;
    }
    i->severity = (uint8_t)severity;
    i->keyword = NULL;
    append(r, i);
    return i;
}

int64_t sl_row_issue_count(const struct sl_row *r)
{
    return r->unkept ? (int64_t)r->nissues - 1 + r->unkept : (int64_t)r->nissues;
}

void sl_issue_json_members(struct sl_buf *b, const struct sl_issue *i)
{
    sl_buf_adds(b, "\"code\":");
    sl_buf_json_cstr(b, i->code);
    if (i->keyword) {
        sl_buf_adds(b, ",\"keyword\":");
        sl_buf_json_cstr(b, i->keyword);
    }
    sl_buf_adds(b, ",\"field\":");
    sl_buf_json_cstr(b, i->field);
    sl_buf_adds(b, ",\"value\":");
    if (i->value)
        sl_buf_json_str(b, i->value, i->value_len);
    else
        sl_buf_adds(b, "null");
    sl_buf_adds(b, ",\"message\":");
    sl_buf_json_cstr(b, i->message);
    sl_buf_adds(b, i->severity == SL_ROW_WARNING ? ",\"severity\":\"warning\""
                                                 : ",\"severity\":\"error\"");
    if (i->constraint) {
        sl_buf_adds(b, strcmp(i->code, "row-constraint") ? ",\"constraint\":" : ",\"rule\":");
        sl_buf_json_cstr(b, i->constraint);
    }
}

/* ---- labels ---------------------------------------------------------------------------- */

static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    return h;
}

void sl_labels_init(struct sl_labels *l)
{
    memset(l, 0, sizeof *l);
}

void sl_labels_free(struct sl_labels *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    free(l->lens);
    free(l->slots);
    memset(l, 0, sizeof *l);
}

static void labels_rehash(struct sl_labels *l)
{
    size_t nslots = l->nslots ? l->nslots * 2 : 64;
    while (nslots < l->n * 2 + 2) nslots *= 2;
    free(l->slots);
    l->slots = sl_xcalloc(nslots, sizeof *l->slots);
    l->nslots = nslots;
    /* a repeated label is not hashed again: sl_labels_find gives its first index, and 10 000
     * equal names in one probe run would make every insertion walk all of them */
    for (size_t i = 0; i < l->n; i++) {
        size_t s = hash_bytes(l->v[i], l->lens[i]) & (nslots - 1);
        int dup = 0;
        for (; l->slots[s]; s = (s + 1) & (nslots - 1)) {
            uint32_t j = l->slots[s] - 1;
            if (l->lens[j] == l->lens[i] && !memcmp(l->v[j], l->v[i], l->lens[i])) {
                dup = 1;
                break;
            }
        }
        if (!dup) l->slots[s] = (uint32_t)i + 1;
    }
}

long sl_labels_find(const struct sl_labels *l, const char *p, size_t n)
{
    if (!l->nslots) return -1;
    size_t s = hash_bytes(p, n) & (l->nslots - 1);
    while (l->slots[s]) {
        uint32_t i = l->slots[s] - 1;
        if (l->lens[i] == n && !memcmp(l->v[i], p, n)) return (long)i;
        s = (s + 1) & (l->nslots - 1);
    }
    return -1;
}

uint32_t sl_labels_push(struct sl_labels *l, const char *p, size_t n)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = sl_xrealloc(l->v, l->cap * sizeof *l->v);
        l->lens = sl_xrealloc(l->lens, l->cap * sizeof *l->lens);
    }
    uint32_t i = (uint32_t)l->n++;
    l->v[i] = sl_xstrndup(p, n);
    l->lens[i] = (uint32_t)n;
    if (l->n * 2 + 2 > l->nslots) {
        labels_rehash(l);
    } else if (sl_labels_find(l, p, n) < 0) {
        size_t s = hash_bytes(p, n) & (l->nslots - 1);
        while (l->slots[s]) s = (s + 1) & (l->nslots - 1);
        l->slots[s] = i + 1;
    }
    return i;
}

void sl_labels_truncate(struct sl_labels *l, size_t n)
{
    /* the table holds labels inserted in index order, so taking the last one out restores it
     * exactly as it was before that one came (linear probing, last in first out) */
    while (l->n > n) {
        uint32_t i = (uint32_t)--l->n;
        size_t s = hash_bytes(l->v[i], l->lens[i]) & (l->nslots - 1);
        for (; l->slots[s]; s = (s + 1) & (l->nslots - 1))
            if (l->slots[s] == i + 1) {
                l->slots[s] = 0;
                break;
            }
        free(l->v[i]);
    }
}

uint32_t sl_labels_intern(struct sl_labels *l, const char *p, size_t n)
{
    long i = sl_labels_find(l, p, n);
    if (i >= 0) return (uint32_t)i;
    return sl_labels_push(l, p, n);
}
