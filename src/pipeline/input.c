/* Opening inputs, the inference pass, and small things every command needs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static char *join_path(const char *dir, const char *path)
{
    if (!dir || !*dir || path[0] == '/' || !strcmp(path, "-")) return sl_xstrdup(path);
    return sl_xasprintf("%s/%s", dir, path);
}

int sl__input_open(struct sl__input *in, const struct sl_source *src, const char *path,
                   int want_raw, int spool, int no_sha256, struct sl_error *err)
{
    struct sl_stream_opts so = src->sopts;
    const char *head = NULL;
    ssize_t nhead;
    int rc;

    memset(in, 0, sizeof *in);
    in->src = src;
    in->label = path;
    in->path = sl_xstrdup(path); /* paths come expanded against base_dir already */
    so.spool = spool;            /* the stream spools only what cannot be read twice otherwise */
    so.no_sha256 = no_sha256;
    if ((rc = sl_stream_open(in->path, &so, &in->stream, err))) goto out;
    in->fopts = src->fopts;
    in->fopts.want_raw = want_raw != 0;
    in->fopts.any_value = want_raw == SL__WANT_RAW_ANY;
    in->fopts.records = src->records;
    /* an archive or a binary file is refused whatever the format: read as text it would be
     * rows of garbage (a tar's licence text, a column named ././@PaxHeader) */
    nhead = sl_stream_peek(in->stream, 64 << 10, &head, err);
    if (nhead < 0) {
        rc = (int)nhead;
        goto out;
    }
    char why[160];
    const char *todo;
    if (sl_binary_check(head, (size_t)nhead, why, sizeof why, &todo)) {
        const char *z = sl_stream_compression(in->stream);
        int packed = strcmp(z, "none") != 0;
        rc = sl_error_set(err, SL_EUNSUPPORTED, "%s: %s%s%s%s, not CSV or JSON data%s%s",
                          sl_stream_label(in->stream), why, packed ? " (" : "", packed ? z : "",
                          packed ? "-compressed)" : "", todo ? "; " : "", todo ? todo : "");
        goto out;
    }
    if (src->format) {
        in->format = sl_format_find(src->format);
        if (!in->format) {
            rc = sl_error_set(err, SL_ECONFIG, "unknown format '%s' (known: %s)", src->format,
                              sl_format_names());
            goto out;
        }
    } else if (src->records) {
        in->format = &sl_format_json; /* a pointer into a document: JSON, whatever it looks like */
    } else {
        in->format = sl_format_detect(path, head, (size_t)nhead);
    }
    if (src->records && in->format != &sl_format_json) {
        rc = sl_error_set(err, SL_ECONFIG,
                          "records: %s: a records pointer is for JSON documents, not format %s",
                          src->records, in->format->name);
        goto out;
    }
    rc = in->format->open(in->stream, &in->fopts, &in->reader, err);
out:
    if (rc) {
        sl__input_close(in);
        if (!strstr(err->msg, path)) sl_error_prefix(err, "%s", path);
    }
    return rc;
}

int sl__input_reopen(struct sl__input *in, int want_raw, struct sl_error *err)
{
    int rc;
    struct sl_dialect d = in->reader->dialect;

    in->format->close(in->reader);
    in->reader = NULL;
    if ((rc = sl_stream_rewind(in->stream, err))) return rc;
    /* the second pass must read exactly like the first: no sniffing again */
    in->fopts.want_raw = want_raw != 0;
    in->fopts.any_value = want_raw == SL__WANT_RAW_ANY;
    if (!in->fopts.delimiter) in->fopts.delimiter = d.delimiter;
    if (in->fopts.quote < 0) in->fopts.quote = d.quote;
    if (in->fopts.header < 0) in->fopts.header = d.header;
    return in->format->open(in->stream, &in->fopts, &in->reader, err);
}

void sl__input_close(struct sl__input *in)
{
    if (in->reader) in->format->close(in->reader);
    if (in->stream) sl_stream_close(in->stream);
    free(in->path);
    memset(in, 0, sizeof *in);
}

char *sl__input_hint(const struct sl__input *in)
{
    const struct sl_reader *r = in->reader;
    struct sl_buf h = SL_BUF_INIT, q = SL_BUF_INIT;
    if (!r || !r->records_hint || r->records != 1 || in->fopts.records) return NULL;
    /* the pointer as a shell word: quoted when it holds more than letters, digits and /_.~- */
    const char *p = r->records_hint;
    int plain = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_.~-") ==
                strlen(p);
    sl_buf_add_printable(&h, p, strlen(p));
    if (plain) {
        sl_buf_adds(&q, h.p);
    } else {
        sl_buf_addc(&q, '\'');
        for (const char *c = h.p; *c; c++) sl_buf_adds(&q, *c == '\'' ? "'\\''" : (char[2]){*c, 0});
        sl_buf_addc(&q, '\'');
    }
    char *msg = sl_xasprintf("%s is one JSON object, read as one record; %s holds an array of "
                             "objects: --records %s reads them as the records (records: %s in "
                             "sluice.yaml)",
                             in->label, h.p, q.p, h.p);
    sl_buf_free(&h);
    sl_buf_free(&q);
    return msg;
}

void sl__input_hint_warn(const struct sl__input *in)
{
    char *h = sl__input_hint(in);
    if (h) sl_log(SL_LOG_WARN, "%s", h);
    free(h);
}

int sl__input_next(struct sl__input *in, struct sl_tf_run *tf, struct sl_batch *b,
                   const struct sl_labels **labels, struct sl_error *err)
{
    int rc;

    if (sl_interrupted) return sl_error_set(err, SL_EINTR, "interrupted");
    sl_batch_reset(b);
    if ((rc = in->format->next(in->reader, b, err)) <= 0) return rc;
    if (labels) *labels = &in->reader->labels;
    if (tf) {
        int t = sl_tf_run_batch(tf, &in->reader->labels, b, err);
        if (t < 0) return t;
        if (labels) *labels = sl_tf_run_labels(tf);
    }
    return 1;
}

int sl__input_is_json(const struct sl__input *in)
{
    return in->format == &sl_format_ndjson || in->format == &sl_format_json;
}

void sl__input_say_hint(const struct sl__input *in)
{
    if (in->reader && in->reader->hint[0])
        sl_log(SL_LOG_WARN, "%s: %s", in->label, in->reader->hint);
}

int sl__infer_pass(struct sl__input *in, int progress, struct sl__inferred *out,
                   struct sl_error *err)
{
    struct sl_infer *inf = sl_infer_new(sl__input_is_json(in));
    struct sl_batch b;
    struct sl__progress pr;
    int rc = 0;

    memset(out, 0, sizeof *out);
    sl_batch_init(&b);
    sl__progress_start(&pr, progress, sl_stream_size(in->stream), "reading types");
    while ((rc = sl__input_next(in, in->tf, &b, NULL, err)) > 0) {
        sl_infer_batch(inf, &b);
        out->rows += (int64_t)b.nrows;
        sl__progress_update(&pr, b.in_bytes, out->rows);
    }
    if (rc < 0) goto out;
    sl_stream_sha256(in->stream, out->sha256);
    sl_stream_content_sha256(in->stream, out->content_sha256);
    /* Encoding over the whole input: invalid UTF-8 and no valid multi-byte sequence at all
     * means a single-byte encoding; Windows-1252 is what such files almost always are. */
    if (in->fopts.encoding == SL_ENC_AUTO) {
        const struct sl_reader *r = in->reader;
        if (r->dialect.encoding == SL_ENC_UTF8 && r->utf8_invalid > 0 && r->utf8_multibyte == 0)
            in->fopts.encoding = SL_ENC_CP1252;
        else
            in->fopts.encoding = r->dialect.encoding;
    }
    if (in->tf) {
        /* types of the columns as transformed (renamed, converted, added) */
        const struct sl_labels *l = &in->reader->labels;
        sl_names_free(sl_names_normalize((const char *const *)l->v, l->lens, l->n, &out->renames),
                      l->n);
        out->schema = sl_infer_schema(inf, sl_tf_run_labels(in->tf), NULL);
    } else {
        out->schema = sl_infer_schema(inf, &in->reader->labels, &out->renames);
    }
out:
    sl__progress_end(&pr);
    sl_batch_free(&b);
    sl_infer_free(inf);
    return rc;
}

void sl__inferred_free(struct sl__inferred *inf)
{
    sl_schema_free(inf->schema);
    sl_renames_free(&inf->renames);
    memset(inf, 0, sizeof *inf);
}

int sl__source_schema(const struct sl_source *src, struct sl_schema **out, struct sl_error *err)
{
    *out = NULL;
    if (!src->schema_path) return 0;
    char *path = join_path(src->base_dir, src->schema_path);
    int rc = sl__jsonschema_table_load(path, out, err);
    if (rc > 0) rc = sl_schema_load(path, out, err); /* not a JSON Schema: a Table Schema */
    free(path);
    return rc;
}

int sl__apply_primary_key(const struct sl_source *src, struct sl_schema *s, struct sl_error *err)
{
    if (!src->npk) return 0;
    int rc = sl_schema_set_pk(s, (const char *const *)src->primary_key, src->npk, err);
    if (rc) {
        struct sl_buf names = SL_BUF_INIT;
        for (size_t i = 0; i < s->nfields; i++)
            sl_buf_addf(&names, "%s%s", i ? ", " : "", s->fields[i].name);
        sl_error_prefix(err, "--primary-key");
        size_t n = strlen(err->msg);
        snprintf(err->msg + n, sizeof err->msg - n, " (fields: %s)", sl_buf_str(&names));
        sl_buf_free(&names);
    }
    return rc;
}

int sl__ts_init(struct sl__ts *ts, const struct sl_source *src, const struct sl_schema *s,
                int explicit, const char *what, struct sl_error *err)
{
    memset(ts, 0, sizeof *ts);
    ts->field = -1;
    if (!src->timestamp) return 0;
    int i = sl_schema_find(s, src->timestamp);
    if (i < 0)
        return sl_error_set(err, SL_ECONFIG, "timestamp field '%s' is not a field of %s",
                            src->timestamp, what);
    ts->type = s->fields[i].type;
    ts->name = s->fields[i].name;
    ts->why = explicit ? "as the schema declares it" : "inferred from the data";
    if (ts->type == SL_TYPE_STRING && !explicit) {
        ts->count = 1;
    } else if (ts->type != SL_TYPE_DATE && ts->type != SL_TYPE_DATETIME) {
        return sl_error_set(err, SL_ECONFIG,
                            "timestamp field '%s' is of type %s (%s), not date or datetime: a "
                            "timestamp field must hold dates or datetimes (--timestamp, "
                            "timestamp:)",
                            ts->name, sl_type_name(ts->type), ts->why);
    }
    ts->field = i;
    return 0;
}

void sl__ts_batch(struct sl__ts *ts, const struct sl_batch *b)
{
    if (ts->field < 0) return;
    for (size_t r = 0; r < b->nrows; r++) {
        const struct sl_row *row = &b->rows[r];
        if (!row->values || row->status == SL_ROW_INVALID) continue;
        const struct sl_value *v = &row->values[ts->field];
        if (v->type != SL_V_TEXT || !v->len) continue;
        ts->values++;
        if (ts->count) {
            struct sl_cell c = {.p = v->u.s, .len = (uint32_t)v->len, .kind = SL_CELL_STRING};
            int t = sl_infer_cell(&c);
            if (t != SL_TYPE_DATE && t != SL_TYPE_DATETIME) continue;
        }
        ts->dates++;
        if (v->len >= sizeof ts->min) continue;
        char t[40];
        memcpy(t, v->u.s, v->len);
        t[v->len] = 0;
        if (!ts->min[0] || strcmp(t, ts->min) < 0) memcpy(ts->min, t, v->len + 1);
        if (!ts->max[0] || strcmp(t, ts->max) > 0) memcpy(ts->max, t, v->len + 1);
    }
}

int sl__ts_verdict(const struct sl__ts *ts, struct sl_error *err)
{
    if (ts->field < 0 || !ts->count || ts->dates * 2 >= ts->values) return 0;
    return sl_error_set(err, SL_ECONFIG,
                        "timestamp field '%s' is of type %s (%s) and only %lld of its %lld "
                        "values are dates or datetimes: a timestamp field must hold dates or "
                        "datetimes (--timestamp, timestamp:)",
                        ts->name, sl_type_name(ts->type), ts->why, (long long)ts->dates,
                        (long long)ts->values);
}

char *sl__columns_json(const struct sl_labels *labels)
{
    struct sl_buf b = SL_BUF_INIT;
    char **names =
        sl_names_normalize((const char *const *)labels->v, labels->lens, labels->n, NULL);
    sl_buf_addc(&b, '[');
    for (size_t i = 0; i < labels->n; i++) {
        sl_buf_adds(&b, i ? ",[" : "[");
        sl_buf_json_str(&b, labels->v[i], labels->lens[i]);
        sl_buf_addc(&b, ',');
        sl_buf_json_cstr(&b, names[i]);
        sl_buf_addc(&b, ']');
    }
    sl_buf_addc(&b, ']');
    sl_names_free(names, labels->n);
    return sl_buf_detach(&b);
}

char *sl__columns_json_mapped(const struct sl_labels *labels, const struct sl_mapping *m,
                              const struct sl_schema *s)
{
    struct sl_buf b = SL_BUF_INIT;
    sl_buf_addc(&b, '[');
    for (size_t i = 0; i < labels->n; i++) {
        int f = i < m->n ? m->field[i] : -1;
        sl_buf_adds(&b, i ? ",[" : "[");
        sl_buf_json_str(&b, labels->v[i], labels->lens[i]);
        sl_buf_addc(&b, ',');
        sl_buf_json_cstr(&b, f >= 0 ? s->fields[f].name : labels->v[i]);
        sl_buf_addc(&b, ']');
    }
    sl_buf_addc(&b, ']');
    return sl_buf_detach(&b);
}

char *sl__dialect_json(const struct sl__input *in)
{
    struct sl_buf b = SL_BUF_INIT;
    const struct sl_dialect *d = &in->reader->dialect;
    char c[2] = {0, 0};

    sl_buf_adds(&b, "{\"format\":");
    sl_buf_json_cstr(&b, in->format->name);
    sl_buf_adds(&b, ",\"compression\":");
    sl_buf_json_cstr(&b, sl_stream_compression(in->stream));
    if (!sl__input_is_json(in)) {
        c[0] = d->delimiter;
        sl_buf_adds(&b, ",\"delimiter\":");
        sl_buf_json_cstr(&b, c);
        c[0] = d->quote;
        sl_buf_adds(&b, ",\"quote\":");
        sl_buf_json_cstr(&b, d->quote ? c : NULL);
        sl_buf_addf(&b, ",\"header\":%s,\"bom\":%s", d->header ? "true" : "false",
                    d->bom ? "true" : "false");
        if (d->header_split) sl_buf_addf(&b, ",\"header_split\":\"%s\"", d->header_split);
        sl_buf_adds(&b, ",\"newline\":");
        sl_buf_json_cstr(&b, !strcmp(d->newline, "\r\n") ? "crlf"
                             : !strcmp(d->newline, "\r") ? "cr"
                                                         : "lf");
    }
    if (in->fopts.records) {
        sl_buf_adds(&b, ",\"records\":");
        sl_buf_json_cstr(&b, in->fopts.records);
    }
    sl_buf_adds(&b, ",\"encoding\":");
    const char *tc = sl_stream_transcoding(in->stream);
    sl_buf_json_cstr(
        &b, tc ? tc : sl_encoding_name(in->fopts.encoding ? in->fopts.encoding : d->encoding));
    sl_buf_addc(&b, '}');
    return sl_buf_detach(&b);
}

/* ---- progress --------------------------------------------------------------------------- */

void sl__progress_start(struct sl__progress *p, int on, int64_t total, const char *what)
{
    p->on = on;
    p->start = p->last = sl_mono();
    p->total = total;
    p->what = what;
}

void sl__progress_update(struct sl__progress *p, int64_t bytes, int64_t rows)
{
    char done[32], all[32], line[200];
    double now;

    if (!p->on) return;
    now = sl_mono();
    if (now - p->last < 0.2) return;
    p->last = now;
    double secs = now - p->start, rate = secs > 0 ? rows / secs : 0;
    int n = snprintf(line, sizeof line, "\r%s: %s", p->what,
                     sl_human_bytes((double)bytes, done, sizeof done));
    if (p->total > 0)
        n += snprintf(line + n, sizeof line - (size_t)n, " of %s (%.0f%%)",
                      sl_human_bytes((double)p->total, all, sizeof all),
                      100.0 * (double)bytes / (double)p->total);
    n += snprintf(line + n, sizeof line - (size_t)n, ", %lld rows, %.0f rows/s", (long long)rows,
                  rate);
    if (p->total > 0 && bytes > 0 && secs > 0.5)
        n += snprintf(line + n, sizeof line - (size_t)n, ", ETA %.0f s",
                      secs * (double)(p->total - bytes) / (double)bytes);
    snprintf(line + n, sizeof line - (size_t)n, "\033[K");
    fputs(line, stderr);
}

void sl__progress_end(struct sl__progress *p)
{
    if (p->on && sl_mono() - p->start >= 0.2) fputs("\r\033[K", stderr);
    p->on = 0;
}
