/* libFuzzer target: the bronze raw decoder (a raw record read back into a row for a rebuild),
 * over records separated by NUL bytes, into one batch, then cast with a schema of strings and
 * integers. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sl_raw_decoder *dec = sl_raw_decoder_new();
    struct sl_error err = {0};
    struct sl_batch b;
    struct sl_labels labels;
    struct sl_mapping map;
    struct sl_schema *s = sl_schema_new();
    size_t start = 0;

    sl_batch_init(&b);
    sl_labels_init(&labels);
    sl_mapping_init(&map);
    sl_schema_add(s, "a", "a", SL_TYPE_INTEGER);
    sl_schema_add(s, "b", "b", SL_TYPE_STRING);
    sl_schema_add(s, "field_1", "field_1", SL_TYPE_NUMBER);
    for (size_t i = 0; i <= size; i++) {
        if (i < size && data[i]) continue;
        /* exactly the record's bytes, so a read past its end is caught */
        size_t n = i - start;
        char *rec = malloc(n ? n : 1);
        memcpy(rec, data + start, n);
        struct sl_row *row = sl_batch_add_row(&b);
        row->num = (int64_t)b.nrows;
        if (sl_raw_decode(dec, &b, rec, n, &labels, row, &err)) {
            FUZZ_CHECK(err.msg[0]);
            row->status = SL_ROW_INVALID; /* what the rebuild reports */
            sl_row_issue(&b, row, SL_ROW_INVALID, "fuzz", NULL, NULL, 0, "not decodable");
        }
        free(rec);
        start = i + 1;
    }
    sl_mapping_update(&map, s, &labels);
    sl_cast_batch(s, &map, &labels, &b);
    fuzz_touch_batch(&b, 0);
    sl_schema_free(s);
    sl_mapping_free(&map);
    sl_labels_free(&labels);
    sl_batch_free(&b);
    sl_raw_decoder_free(dec);
    return 0;
}
