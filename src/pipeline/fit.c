/*
 * Rows the store cannot hold (issue 13, items 4 and 18): a record or value over what one
 * value or one row of the store may take (SQLite's length limit, PostgreSQL's 1 GB for a
 * value and its jsonb limit) becomes an invalid row with its reason before it is written,
 * instead of being stored as NULL (SQLite) or failing the whole load (PostgreSQL).
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* What bronze keeps of a record too large for the store (as of one over max_record_size). */
#define RAW_HEAD 1024

/* Room a bronze row needs besides its raw record and its errors: the load, row, line, offset
 * integers, the status and the record header (SQLite: at most 9 bytes a column). */
#define BRONZE_OVERHEAD 256

/* At least the length of the JSON text sl_issue_json_members writes for the row's issues: every
 * string escaped at worst (\u00XX: 6 bytes a byte), plus the keys and punctuation. */
static int64_t issues_json_bound(const struct sl_row *r)
{
    int64_t n = 2;
    for (const struct sl_issue *i = r->issues; i; i = i->next) {
        int64_t s = (int64_t)strlen(i->code) + (int64_t)strlen(i->message) + i->value_len;
        if (i->field) s += (int64_t)strlen(i->field);
        if (i->constraint) s += (int64_t)strlen(i->constraint);
        if (i->keyword) s += (int64_t)strlen(i->keyword);
        n += 6 * s + 128;
    }
    return n;
}

/* Cuts the row's raw record to its first RAW_HEAD bytes, not in the middle of a UTF-8
 * character: text when that is valid UTF-8, else bytes. */
static void raw_head(struct sl_row *row)
{
    size_t keep = row->raw_len < RAW_HEAD ? row->raw_len : RAW_HEAD;
    size_t valid = sl_utf8_valid_prefix(row->raw, keep);
    if (keep < row->raw_len && keep - valid < 4 &&
        sl_utf8_valid_prefix(row->raw, keep + 3 <= row->raw_len ? keep + 3 : row->raw_len) > valid)
        keep = valid;
    row->raw_len = keep;
    row->raw_kind = sl_utf8_valid_prefix(row->raw, keep) == keep ? SL_RAW_TEXT : SL_RAW_BYTES;
}

/* The type of silver's column for field k (a widened column keeps silver's own type). */
static int column_type(const struct sl__fit *f, size_t k)
{
    if (f->widened && f->widened[k] && f->silver) return f->silver->fields[k].type;
    return f->cast->fields[k].type;
}

static void fit_silver(const struct sl__fit *f, struct sl_batch *b, struct sl_row *row)
{
    const struct sl_store_limits *L = &f->limits;
    int64_t total = 64;

    for (size_t k = 0; k < f->cast->nfields; k++) {
        const struct sl_value *v = &row->values[k];
        const char *name = f->cast->fields[k].name;
        int type = column_type(f, k);
        total += 18; /* the column's header and at most an 8-byte number */
        if (v->type != SL_V_TEXT) continue;
        total += v->len;
        if (L->value && (int64_t)v->len > L->value) {
            sl_row_issue(b, row, SL_ROW_INVALID, "format-error", name, NULL, 0,
                         "%s: the value is %lu bytes, more than %s of %lld bytes", name,
                         (unsigned long)v->len, L->value_what, (long long)L->value);
            return;
        }
        /* jsonb takes at most ~10 bytes a byte of JSON text (a number in an array: "1," is
         * 4 + 3 + 12 bytes): only values that might not fit are measured */
        if (L->json && (type == SL_TYPE_OBJECT || type == SL_TYPE_ARRAY) &&
            (int64_t)v->len * 10 + 4096 > L->json) {
            int64_t n = L->json_size(v->u.s, v->len);
            if (n < 0) {
                sl_row_issue(b, row, SL_ROW_INVALID, "format-error", name, NULL, 0,
                             "%s: the value has a number %s cannot hold (beyond the range of its "
                             "numbers)",
                             name, L->json_what);
                return;
            }
            if (n > L->json) {
                sl_row_issue(b, row, SL_ROW_INVALID, "format-error", name, NULL, 0,
                             "%s: the value would take %lld bytes in %s, more than its limit of "
                             "%lld bytes",
                             name, (long long)n, L->json_what, (long long)L->json);
                return;
            }
        }
    }
    if (L->row && total > L->row)
        sl_row_issue(b, row, SL_ROW_INVALID, "format-error", NULL, NULL, 0,
                     "the row's values take %lld bytes, more than %s of %lld bytes (a row)",
                     (long long)total, L->value_what, (long long)L->row);
}

void sl__fit_batch(const struct sl__fit *f, struct sl_batch *b)
{
    const struct sl_store_limits *L = &f->limits;

    if (!L->value && !L->row && !L->json) return;
    for (size_t r = 0; r < b->nrows; r++) {
        struct sl_row *row = &b->rows[r];
        int64_t raw = row->raw ? (int64_t)row->raw_len : 0, need = raw;
        int too_big = L->value && raw > L->value;
        /* the errors' size (at most ~7 MB: SL_ROW_MAX_ISSUES) is measured only when the record
         * comes near the limit */
        if (!too_big && L->row && raw + BRONZE_OVERHEAD + (8 << 20) > L->row) {
            need = raw + BRONZE_OVERHEAD + issues_json_bound(row);
            too_big = need > L->row;
        }
        if (too_big) {
            int64_t cap = L->value ? L->value : L->row;
            raw_head(row);
            sl_row_issue(b, row, SL_ROW_INVALID, "format-error", NULL, NULL, 0,
                         "the record takes %lld bytes in bronze%s, more than %s of %lld bytes; "
                         "bronze keeps its first %d bytes",
                         (long long)need, need > raw ? " with its other columns" : "",
                         L->value_what, (long long)cap, RAW_HEAD);
            continue;
        }
        if (row->status != SL_ROW_INVALID && row->values && f->cast) fit_silver(f, b, row);
    }
}

int sl__fit_max_record(const struct sl_store_limits *L, const char *store, size_t max_record,
                       struct sl_error *err)
{
    if (!max_record || !L->record || (int64_t)max_record <= L->record) return 0;
    return sl_error_set(err, SL_ECONFIG,
                        "max_record_size (--max-record-size) is %zu bytes, more than %s can keep "
                        "of one record (%s of %lld bytes): set it to at most %lld",
                        max_record, store, L->value_what, (long long)L->record,
                        (long long)L->record);
}
