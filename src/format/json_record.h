/*
 * Shared by the NDJSON and JSON-array readers (src/format/ndjson.c, src/format/json.c): a JSON
 * object record turned into cells in one pass over its text. Internal to src/format.
 */
#ifndef SLUICE_FORMAT_JSON_RECORD_H
#define SLUICE_FORMAT_JSON_RECORD_H

#include "sluice/batch.h"
#include "sluice/json.h"

/* Scratch space a reader keeps between records (no allocation per record once warm). */
struct sl__jrec {
    struct sl_cell *cells; /* members of the last parsed object (views, strings still escaped) */
    struct sl_json_tok *keys;
    size_t n, cap;
    uint32_t *hint; /* column id of the i-th member of the previous record: usually the same */
    size_t nhint;
    char *keybuf; /* decoded escaped keys */
    size_t keycap;
    size_t max_labels; /* a record that would make labels longer is rejected; 0 = no limit */
};

/*
 * Scans one JSON value at p[0..n) like sl_json_scan (same return values and tok), and when it
 * is an object also collects its members into jr. Member values are scanned once: this is the
 * whole parse of a record.
 */
long sl__jrec_parse(struct sl__jrec *jr, const char *p, size_t n, int final,
                    struct sl_json_tok *tok, struct sl_json_err *e);
/* Gives row the cells of the object jr parsed last: keys interned into labels, escaped strings
 * decoded into b's arena, the rest views into the text that was parsed. A record whose new keys
 * would pass jr->max_labels gets no cells and an error instead (labels stay as they were). */
void sl__jrec_emit(struct sl__jrec *jr, struct sl_labels *labels, struct sl_batch *b,
                   struct sl_row *row);
void sl__jrec_free(struct sl__jrec *jr);

/* Makes row invalid-record raw: p[0..n) as SL_RAW_TEXT when valid UTF-8, else SL_RAW_BYTES. */
void sl__jrec_raw_text(struct sl_row *row, const char *p, size_t n);
/* The first 1 KiB of p[0..n), copied into b's arena (for records too large or unreadable). */
void sl__jrec_raw_head(struct sl_batch *b, struct sl_row *row, const char *p, size_t n);
/*
 * The JSON pointer of the first array of objects a record p[0..n) (an object's text, possibly
 * cut short) holds under a key: members of the top object first, then of the objects they
 * hold ({"data": [{...}]} → "/data", {"response": {"items": [{...}]}} → "/response/items").
 * Malloc'ed, or NULL when there is none. For suggesting records: when a document was read as
 * one record.
 */
char *sl__json_records_hint(const char *p, size_t n);
/* "an array", "a string", ... for messages. */
const char *sl__json_type_name(int type);
/* 1-based column (in characters) of byte off of p. */
int sl__json_col(const char *p, size_t off);

#endif
