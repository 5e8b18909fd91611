/*
 * Shared by the libFuzzer targets (tests/fuzz/fuzz_*.c): runs a format reader over a buffer the
 * way a load does — a first pass that infers the types, a rewind, a second pass with the dialect
 * the first one found that casts every batch and decodes every row's raw text back (what a
 * rebuild from bronze does). Every byte of every cell is read, so ASan sees a view that points
 * outside its buffer. Invariants a reader promises are checked with abort().
 */
#ifndef SLUICE_FUZZ_H
#define SLUICE_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/format.h"
#include "sluice/schema.h"
#include "sluice/stream.h"

#define FUZZ_CHECK(cond)                                                                 \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                     \
        }                                                                                \
    } while (0)

static volatile unsigned fuzz_sink __attribute__((unused));

static inline void fuzz_touch(const char *p, size_t n)
{
    unsigned h = 0;
    for (size_t i = 0; i < n; i++) h = h * 31 + (unsigned char)p[i];
    fuzz_sink += h;
}

static inline void fuzz_touch_batch(const struct sl_batch *b, int want_raw)
{
    for (size_t i = 0; i < b->nrows; i++) {
        const struct sl_row *r = &b->rows[i];
        FUZZ_CHECK(r->status <= SL_ROW_INVALID);
        for (uint32_t c = 0; c < r->ncells; c++) fuzz_touch(r->cells[c].p, r->cells[c].len);
        if (want_raw) FUZZ_CHECK(r->raw != NULL || r->raw_len == 0);
        if (r->raw) fuzz_touch(r->raw, r->raw_len);
        for (const struct sl_issue *is = r->issues; is; is = is->next) {
            FUZZ_CHECK(is->code && is->message);
            fuzz_touch(is->message, strlen(is->message));
            if (is->value) fuzz_touch(is->value, is->value_len);
        }
        /* an invalid row is kept: it must carry a reason */
        if (r->status == SL_ROW_INVALID) FUZZ_CHECK(r->issues != NULL);
    }
}

/* Decodes each JSON raw of b back into a row (the rebuild path) and casts it. */
static inline void fuzz_raw_roundtrip(const struct sl_batch *b, const struct sl_schema *s)
{
    struct sl_raw_decoder *dec = sl_raw_decoder_new();
    struct sl_batch out;
    struct sl_labels labels;
    struct sl_mapping map;
    struct sl_error err = {0};

    sl_batch_init(&out);
    sl_labels_init(&labels);
    sl_mapping_init(&map);
    for (size_t i = 0; i < b->nrows; i++) {
        const struct sl_row *r = &b->rows[i];
        if (r->raw_kind != SL_RAW_JSON || !r->raw || r->status == SL_ROW_INVALID) continue;
        struct sl_row *row = sl_batch_add_row(&out);
        row->num = r->num;
        /* what a reader accepted as a record, bronze must be able to give back */
        int rc = sl_raw_decode(dec, &out, r->raw, r->raw_len, &labels, row, &err);
        if (rc) {
            fprintf(stderr, "raw of row %lld not decodable: %s\n", (long long)r->num, err.msg);
            abort();
        }
    }
    if (s) {
        sl_mapping_update(&map, s, &labels);
        sl_cast_batch(s, &map, &labels, &out);
    }
    fuzz_touch_batch(&out, 0);
    sl_mapping_free(&map);
    sl_labels_free(&labels);
    sl_batch_free(&out);
    sl_raw_decoder_free(dec);
}

/* The two passes of a load over data[0..n). */
static inline void fuzz_format(const struct sl_format *fmt, const uint8_t *data, size_t n,
                               struct sl_format_opts *o)
{
    struct sl_error err = {0};
    struct sl_stream_opts so = {0};
    struct sl_stream *in = NULL;
    struct sl_reader *r = NULL;
    struct sl_infer *inf = NULL;
    struct sl_schema *schema = NULL;
    struct sl_mapping map;
    struct sl_batch b;
    int json = fmt == &sl_format_ndjson || fmt == &sl_format_json;

    sl_batch_init(&b);
    sl_mapping_init(&map);
    so.max_bytes = 64 << 20;
    so.label = "fuzz";
    if (sl_stream_open_mem(data, n, &so, &in, &err)) goto out;
    o->want_raw = 0;
    if (fmt->open(in, o, &r, &err)) goto out;
    inf = sl_infer_new(json);
    for (;;) {
        sl_batch_reset(&b);
        int rc = fmt->next(r, &b, &err);
        if (rc < 0) {
            FUZZ_CHECK(err.msg[0]);
            goto out;
        }
        if (rc == 0) break;
        FUZZ_CHECK(b.nrows > 0);
        fuzz_touch_batch(&b, 0);
        sl_infer_batch(inf, &b);
    }
    schema = sl_infer_schema(inf, &r->labels, NULL);
    {
        struct sl_buf j = SL_BUF_INIT;
        struct sl_schema *back = NULL;
        sl_schema_to_json(schema, &j);
        /* the catalog keeps the schema this way and must read it back */
        if (sl_schema_from_json(sl_buf_str(&j), &back, &err)) {
            fprintf(stderr, "inferred schema not readable back: %s\n%s\n", err.msg, j.p);
            abort();
        }
        FUZZ_CHECK(back->nfields == schema->nfields);
        sl_schema_free(back);
        sl_buf_free(&j);
    }

    /* second pass: the dialect of the first, raw kept, cast */
    struct sl_dialect d = r->dialect;
    fmt->close(r);
    r = NULL;
    if (sl_stream_rewind(in, &err)) goto out;
    o->want_raw = 1;
    if (!o->delimiter) o->delimiter = d.delimiter;
    if (o->quote < 0) o->quote = d.quote;
    if (o->header < 0) o->header = d.header;
    if (o->encoding == SL_ENC_AUTO) o->encoding = d.encoding;
    if (fmt->open(in, o, &r, &err)) goto out;
    for (;;) {
        sl_batch_reset(&b);
        int rc = fmt->next(r, &b, &err);
        if (rc < 0) break;
        if (rc == 0) break;
        sl_mapping_update(&map, schema, &r->labels);
        sl_cast_batch(schema, &map, &r->labels, &b);
        fuzz_touch_batch(&b, 1);
        for (size_t i = 0; i < b.nrows; i++)
            FUZZ_CHECK(b.rows[i].values || b.rows[i].status == SL_ROW_INVALID);
        fuzz_raw_roundtrip(&b, schema);
    }
out:
    if (r) fmt->close(r);
    sl_stream_close(in);
    sl_infer_free(inf);
    sl_schema_free(schema);
    sl_mapping_free(&map);
    sl_batch_free(&b);
}

/* Small chunks and record limits make the readers cross their buffer boundaries often. */
static inline void fuzz_small_limits(struct sl_format_opts *o, uint8_t knob)
{
    static const size_t chunks[] = {0, 1, 7, 64, 4096};
    static const size_t maxrec[] = {0, 16, 300, 4096};
    o->chunk = chunks[knob % 5];
    o->max_record = maxrec[(knob / 5) % 4];
}

#endif
