/*
 * Bronze read back: a raw record turned into a row again, the way its reader made it, so silver
 * can be rebuilt from bronze. JSON objects go through the same record parser as the NDJSON and
 * JSON readers; a CSV row's raw is the JSON array of its cells.
 */
#include <stdlib.h>
#include <string.h>

#include "json_record.h"
#include "sluice/format.h"

struct sl_raw_decoder {
    struct sl__jrec jr;
};

struct sl_raw_decoder *sl_raw_decoder_new(void)
{
    return sl_xcalloc(1, sizeof(struct sl_raw_decoder));
}

void sl_raw_decoder_free(struct sl_raw_decoder *d)
{
    if (!d) return;
    sl__jrec_free(&d->jr);
    free(d);
}

int sl_raw_decode(struct sl_raw_decoder *d, struct sl_batch *b, const char *raw, size_t len,
                  struct sl_labels *labels, struct sl_row *row, struct sl_error *err)
{
    struct sl_json_tok tok, val;
    struct sl_json_err je;
    struct sl_json_iter it;
    size_t n = 0;

    /* copied: the cells are views, and the store's buffer lives only during its callback */
    char *text = sl_arena_strndup(&b->arena, raw, len);
    if (sl__jrec_parse(&d->jr, text, len, 1, &tok, &je) <= 0 ||
        (tok.type != SL_JSON_OBJECT && tok.type != SL_JSON_ARRAY))
        return sl_error_set(err, SL_EFORMAT, "bronze row %lld holds no JSON record",
                            (long long)row->num);
    if (tok.type == SL_JSON_OBJECT) {
        sl__jrec_emit(&d->jr, labels, b, row);
        return 0;
    }
    sl_json_iter_init(&it, &tok);
    while (sl_json_iter_next(&it, NULL, &val)) n++;
    row->cells = sl_arena_zalloc(&b->arena, (n ? n : 1) * sizeof *row->cells);
    row->ncells = (uint32_t)n;
    sl_json_iter_init(&it, &tok);
    for (size_t i = 0; sl_json_iter_next(&it, NULL, &val); i++) {
        struct sl_cell *c = &row->cells[i];
        c->kind = SL_CELL_STRING; /* a CSV cell is text, whatever it looks like */
        c->col = (uint32_t)i;
        c->p = val.p;
        c->len = (uint32_t)val.len;
        if (val.type == SL_JSON_STRING && val.escaped) {
            char *o = sl_arena_alloc(&b->arena, val.len + 1);
            c->len = (uint32_t)sl_json_unescape(val.p, val.len, o);
            c->p = o;
        }
    }
    return 0;
}
