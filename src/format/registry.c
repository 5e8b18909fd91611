/* The format registry: formats by name, by file extension, or by sniffing; encodings. */
#include <string.h>
#include <strings.h>

#include "sluice/format.h"
#include "sluice/json.h"

/* Every format, in the order sniffing prefers on a tie. A new format is one line here. */
static const struct sl_format *const formats[] = {
    &sl_format_csv,
    &sl_format_tsv,
    &sl_format_ndjson,
    &sl_format_json,
};
#define NFORMATS (sizeof formats / sizeof *formats)

void sl_format_opts_init(struct sl_format_opts *o)
{
    memset(o, 0, sizeof *o);
    o->delimiter = 0;
    o->quote = -1;
    o->header = -1;
    o->encoding = SL_ENC_AUTO;
}

const struct sl_format *sl_format_find(const char *name)
{
    if (!name) return NULL;
    if (!strcasecmp(name, "jsonl")) return &sl_format_ndjson;
    for (size_t i = 0; i < NFORMATS; i++)
        if (!strcasecmp(name, formats[i]->name)) return formats[i];
    return NULL;
}

const char *sl_format_names(void)
{
    return "csv, tsv, ndjson, json";
}

/* The extension of path[0..n) without its dot ("" when none), or NULL for a directory part. */
static const char *ext_of(const char *path, size_t n, size_t *len)
{
    size_t i = n;
    while (i > 0 && path[i - 1] != '.' && path[i - 1] != '/') i--;
    if (i == 0 || path[i - 1] == '/') {
        *len = 0;
        return path + n;
    }
    *len = n - i;
    return path + i;
}

static int ext_is(const char *e, size_t n, const char *s)
{
    return strlen(s) == n && !strncasecmp(e, s, n);
}

static int sniff(const struct sl_format *f, const char *head, size_t len)
{
    return f->sniff && head ? f->sniff(head, len) : 0;
}

/* Does the head start like a JSON document of records, beyond doubt? "[" then "{", "[" or "]",
 * or "{" then a key and its ":". No CSV header starts so. */
static int json_document_start(const char *head, size_t len)
{
    const char *p = head, *end = head + len;
    if (!head) return 0;
    if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) p += 3;
    p = sl_json_skip_ws(p, end);
    if (p >= end || (*p != '[' && *p != '{')) return 0;
    char open = *p;
    p = sl_json_skip_ws(p + 1, end);
    if (p >= end) return 0;
    if (open == '[') return *p == '{' || *p == '[' || *p == ']';
    if (*p == '}') return 1;
    if (*p != '"') return 0;
    for (p++; p < end && *p != '"'; p++)
        if (*p == '\\') p++;
    if (p >= end) return 0;
    p = sl_json_skip_ws(p + 1, end);
    return p < end && *p == ':';
}

const struct sl_format *sl_format_detect(const char *path, const char *head, size_t len)
{
    size_t el = 0;
    const char *e = "";
    if (path) {
        size_t n = strlen(path);
        e = ext_of(path, n, &el);
        /* compression is the stream's business: look at the extension under it */
        while (el && (ext_is(e, el, "gz") || ext_is(e, el, "zst") || ext_is(e, el, "zstd"))) {
            n -= el + 1;
            e = ext_of(path, n, &el);
        }
    }
    if (ext_is(e, el, "ndjson") || ext_is(e, el, "jsonl")) return &sl_format_ndjson;
    /* JSON is recognized by its content whatever else the name says (NDJSON is often named
     * .json, and NDJSON in a .txt or .log read as CSV would be split at its ':' and ',') */
    if (sniff(&sl_format_ndjson, head, len) > 0) return &sl_format_ndjson;
    if (ext_is(e, el, "json") || json_document_start(head, len)) return &sl_format_json;
    if (ext_is(e, el, "csv") || ext_is(e, el, "txt")) return &sl_format_csv;
    if (ext_is(e, el, "tsv") || ext_is(e, el, "tab")) return &sl_format_tsv;
    const struct sl_format *best = &sl_format_csv;
    int best_score = 0;
    for (size_t i = 0; i < NFORMATS; i++) {
        int s = sniff(formats[i], head, len);
        if (s > best_score) {
            best_score = s;
            best = formats[i];
        }
    }
    return best;
}

const char *sl_encoding_name(int enc)
{
    switch (enc) {
    case SL_ENC_UTF8: return "utf-8";
    case SL_ENC_LATIN1: return "latin1";
    case SL_ENC_CP1252: return "windows-1252";
    default: return "auto";
    }
}

int sl_encoding_parse(const char *s)
{
    if (!s) return -1;
    if (!strcasecmp(s, "auto")) return SL_ENC_AUTO;
    if (!strcasecmp(s, "utf-8") || !strcasecmp(s, "utf8")) return SL_ENC_UTF8;
    if (!strcasecmp(s, "latin1") || !strcasecmp(s, "latin-1") || !strcasecmp(s, "iso-8859-1"))
        return SL_ENC_LATIN1;
    if (!strcasecmp(s, "windows-1252") || !strcasecmp(s, "cp1252")) return SL_ENC_CP1252;
    return -1;
}
