/* libFuzzer target: the JSON Schema loader and validator. The input is a schema, then optionally
 * a NUL byte and an instance (without one, the schema validates itself). The first byte picks
 * the default draft and whether formats are assertions. */
#include "fuzz.h"
#include "sluice/json.h"
#include "sluice/jsonschema.h"

static void on_error(void *ctx, const struct sl_js_error *e)
{
    (void)ctx;
    FUZZ_CHECK(e->keyword && e->location && e->message);
    fuzz_touch(e->keyword, strlen(e->keyword));
    fuzz_touch(e->location, strlen(e->location));
    fuzz_touch(e->message, strlen(e->message));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sl_error err = {0};
    struct sl_doc schema, inst;
    struct sl_jsonschema *js = NULL;
    struct sl_js_options o = {0};
    int have_inst = 0;

    if (size < 1) return 0;
    o.default_draft = data[0] & 1 ? SL_JS_DRAFT7 : SL_JS_DRAFT2020;
    o.format_assert = (data[0] >> 1) & 1;
    data++, size--;
    const uint8_t *nul = memchr(data, 0, size);
    size_t slen = nul ? (size_t)(nul - data) : size;
    memset(&inst, 0, sizeof inst);
    if (sl_doc_parse_json(&schema, "fuzz.schema.json", (const char *)data, slen, &err)) {
        FUZZ_CHECK(err.msg[0]);
        sl_doc_free(&schema);
        return 0;
    }
    if (nul) {
        const char *ip = (const char *)nul + 1;
        size_t ilen = size - slen - 1;
        if (sl_doc_parse_json(&inst, "fuzz.instance.json", ip, ilen, &err) == 0)
            have_inst = 1;
        else
            sl_doc_free(&inst);
    }
    /* no retriever: every remote reference must fail cleanly when the schema is loaded */
    if (sl_jsonschema_new(schema.root, "file:///fuzz.schema.json", &o, &js, &err) == 0) {
        int rc =
            sl_jsonschema_validate(js, have_inst ? inst.root : schema.root, on_error, NULL, &err);
        FUZZ_CHECK(rc >= 0 || err.msg[0]);
        sl_jsonschema_free(js);
    } else {
        FUZZ_CHECK(err.msg[0]);
    }
    if (have_inst) sl_doc_free(&inst);
    sl_doc_free(&schema);
    return 0;
}
