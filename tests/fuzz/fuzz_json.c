/* libFuzzer target: the JSON array reader (both passes of a load, casting, bronze round trip),
 * and the JSON scanner and document tree on the same bytes. The first byte picks the chunk and
 * record limits. The reader runs again with a records pointer (/data or /a/0/b~1c). */
#include "fuzz.h"
#include "sluice/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sl_format_opts o;
    struct sl_json_tok tok;
    struct sl_json_err je;
    struct sl_error err = {0};
    struct sl_doc d;

    if (size < 1) return 0;
    sl_format_opts_init(&o);
    uint8_t first = data[0];
    fuzz_small_limits(&o, first);
    data++;
    size--;
    sl_format_json.sniff((const char *)data, size);
    fuzz_format(&sl_format_json, data, size, &o);
    /* the same bytes through a records pointer: the walk to the array, the tail after it */
    o.records = (first >> 7) & 1 ? "/data" : "/a/0/b~1c";
    fuzz_format(&sl_format_json, data, size, &o);
    o.records = NULL;

    long used = sl_json_scan((const char *)data, size, 1, &tok, &je);
    FUZZ_CHECK(used != 0); /* final: complete or an error, never "need more" */
    if (used > 0) {
        FUZZ_CHECK((size_t)used <= size);
        if (tok.type == SL_JSON_STRING && tok.escaped) {
            char *out = malloc(tok.len + 1);
            FUZZ_CHECK(sl_json_unescape(tok.p, tok.len, out) <= tok.len);
            free(out);
        }
    } else {
        FUZZ_CHECK(je.msg && je.offset <= size);
    }
    /* sl_doc_parse_json needs NUL-terminated text */
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    if (sl_doc_parse_json(&d, "fuzz.json", text, size, &err) < 0) FUZZ_CHECK(err.msg[0]);
    sl_doc_free(&d);
    free(text);
    return 0;
}
