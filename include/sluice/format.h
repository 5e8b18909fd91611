/*
 * Formats: readers turn a byte stream into batches of records. A format is one file in
 * src/format/ plus one line in the registry (src/format/registry.c), like SQLite's VFS.
 */
#ifndef SLUICE_FORMAT_H
#define SLUICE_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "sluice/batch.h"
#include "sluice/core.h"
#include "sluice/stream.h"

enum sl_encoding { SL_ENC_AUTO = 0, SL_ENC_UTF8, SL_ENC_LATIN1, SL_ENC_CP1252 };
const char *sl_encoding_name(int enc); /* "utf-8", "latin1", "windows-1252" */
int sl_encoding_parse(const char *s);  /* -1 when unknown */

#define SL_DEFAULT_MAX_RECORD  (64u << 20)  /* bytes one record may take */
#define SL_DEFAULT_CHUNK       (512u << 10) /* bytes read per batch */
#define SL_DEFAULT_MAX_COLUMNS 16384u       /* input columns (CSV header cells, JSON keys) */

struct sl_format_opts {
    char delimiter;    /* CSV: 0 = sniff among , ; \t | */
    int quote;         /* CSV: -1 = sniff ('"' unless the data says otherwise), 0 = none */
    int header;        /* CSV: -1 = sniff, 0 = no header row, 1 = header row */
    int encoding;      /* enum sl_encoding; AUTO = BOM, else UTF-8 unless invalid in the head */
    size_t max_record; /* 0 = SL_DEFAULT_MAX_RECORD */
    /* Input columns: a CSV header (or first rows) wider than this fails the input; a JSON
     * record whose new keys would pass it is rejected. 0 = SL_DEFAULT_MAX_COLUMNS. */
    size_t max_columns;
    size_t chunk;  /* 0 = SL_DEFAULT_CHUNK */
    int want_raw;  /* fill sl_row.raw (bronze); off for type inference */
    int any_value; /* JSON: a record may be any JSON value, not only an object (JSON
                    * Schema validates it whole); non-objects get no cells, raw is set */
    /* JSON: a JSON Pointer (RFC 6901) to the array whose elements are the records, inside
     * the document ({"data": [...]} → "/data"); NULL = the top-level value. Not owned. The
     * document around the array is streamed past, never held: only an element is in memory. */
    const char *records;
};
void sl_format_opts_init(struct sl_format_opts *o);

/* What a reader found out about its input; shown by `infer` and stored with each load. */
struct sl_dialect {
    char delimiter;
    char quote;      /* 0 = none */
    int header;      /* 1 if the first row was taken as the header */
    int encoding;    /* enum sl_encoding as used */
    int bom;         /* a UTF-8 BOM was skipped */
    char newline[3]; /* "\n", "\r\n" or "\r": the first one seen */
    /* CSV: how the header was split when not at the delimiter: NULL, or "blanks" / "two-spaces"
     * (a header aligned with spaces over tab-separated rows) */
    const char *header_split;
};

/* The part every reader shares; a format's reader struct starts with it. */
struct sl_reader {
    const struct sl_format *format;
    struct sl_stream *in;
    struct sl_format_opts opts;
    struct sl_dialect dialect;
    struct sl_labels labels; /* input columns (CSV header, JSON keys as first seen) */
    int64_t records;         /* records produced so far */
    int64_t lines;           /* physical lines consumed so far */
    /* Encoding facts over what was read so far (CSV): records with invalid UTF-8, and records
     * with valid multi-byte UTF-8 sequences. Type inference uses them to pick the encoding. */
    int64_t utf8_invalid, utf8_multibyte;
    /* What probably went wrong reading this input, said once by the commands ("the header has
     * 1 column but the rows have 4 ..."); empty when nothing. */
    char hint[200];
    /* JSON, NDJSON: when the first record holds an array of objects under a key (a document
     * such as {"data": [{...}, ...]} or GeoJSON read as one record), the JSON pointer to it
     * ("/data"), to suggest records:; owned by the reader. Meaningful when records == 1. */
    char *records_hint;
};

struct sl_format {
    const char *name; /* "csv", "tsv", "ndjson", "json" */
    /* How sure (0..100) that head (the first bytes, decompressed) is in this format. */
    int (*sniff)(const char *head, size_t len);
    /* Reads enough to know the dialect and the labels (CSV header) before returning. */
    int (*open)(struct sl_stream *in, const struct sl_format_opts *o, struct sl_reader **out,
                struct sl_error *err);
    /* Fills b (already reset by the caller) with complete records: 1 = a batch (>= 1 row),
     * 0 = end of input, < 0 = the input cannot be read further (err set). Records that cannot
     * be parsed are rows with status SL_ROW_INVALID, their raw text and an issue. */
    int (*next)(struct sl_reader *r, struct sl_batch *b, struct sl_error *err);
    void (*close)(struct sl_reader *r);
};

extern const struct sl_format sl_format_csv, sl_format_tsv, sl_format_ndjson, sl_format_json;

/* By name ("csv", "tsv", "ndjson"/"jsonl", "json"); NULL when unknown. */
const struct sl_format *sl_format_find(const char *name);
/* By the path's extension (compression extensions skipped), else by sniffing head. */
const struct sl_format *sl_format_detect(const char *path, const char *head, size_t len);
/* "csv, tsv, ndjson, json" for messages. */
const char *sl_format_names(void);

/*
 * Bronze read back: a raw record (a JSON object as received, or the JSON array of a CSV row's
 * cells) turned into a row of b again, cells and columns as its reader made them; new JSON keys
 * are added to labels. A decoder keeps scratch space between records; one per thread.
 */
struct sl_raw_decoder;
struct sl_raw_decoder *sl_raw_decoder_new(void);
int sl_raw_decode(struct sl_raw_decoder *d, struct sl_batch *b, const char *raw, size_t len,
                  struct sl_labels *labels, struct sl_row *row, struct sl_error *err);
void sl_raw_decoder_free(struct sl_raw_decoder *d);

/*
 * Writers for `sluice cat`: NDJSON and CSV to a FILE. Columns are given once; each row is a
 * list of cells (kind tells JSON type) or typed values.
 */
struct sl_writer;
int sl_writer_open(const char *format, void *file /* FILE* */, struct sl_writer **out,
                   struct sl_error *err);
/* Column names: names[i] is lens[i] bytes long, NUL bytes included (lens NULL: C strings). */
void sl_writer_columns(struct sl_writer *w, const char *const *names, const uint32_t *lens,
                       size_t n);
/* cells[i] is column i; kind NULL or a missing column (NULL pointer) → null / empty. */
void sl_writer_cells(struct sl_writer *w, const struct sl_cell *const *cells, size_t n);
void sl_writer_values(struct sl_writer *w, const struct sl_value *v, const int *json_kinds,
                      size_t n);
/* 1 once a write failed: the caller may stop producing rows (they would be dropped). */
int sl_writer_failed(const struct sl_writer *w);
/* Flushes and frees w: 0, 1 when the output's reader went away (a pipe closed: EPIPE, a normal
 * stop for `sluice cat x | head`), or < 0 (SL_EIO) on another write error. */
int sl_writer_close(struct sl_writer *w);

#endif
