/* libFuzzer target: the Frictionless Table Schema loader, from YAML or JSON (first byte), and
 * the catalog's JSON form written and read back. */
#include "fuzz.h"
#include "sluice/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sl_error err = {0};
    struct sl_doc d;
    struct sl_schema *s = NULL, *back = NULL;
    int rc;

    if (size < 1) return 0;
    int json = data[0] & 1;
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = 0;
    if (json)
        rc = sl_doc_parse_json(&d, "fuzz.schema.json", text, size - 1, &err);
    else
        rc = sl_doc_parse_yaml(&d, "fuzz.schema.yaml", text, size - 1, &err);
    if (rc == 0) rc = sl_schema_from_node(&d, d.root, &s, &err);
    if (rc < 0) FUZZ_CHECK(err.msg[0]);
    if (s) {
        struct sl_buf j = SL_BUF_INIT, y = SL_BUF_INIT;
        sl_schema_to_json(s, &j);
        sl_schema_to_yaml(s, &y);
        if (sl_schema_from_json(sl_buf_str(&j), &back, &err)) {
            fprintf(stderr, "schema JSON not readable back: %s\n%s\n", err.msg, j.p);
            abort();
        }
        FUZZ_CHECK(back->nfields == s->nfields && back->npk == s->npk);
        struct sl_schema *copy = sl_schema_copy(s);
        sl_schema_free(copy);
        sl_schema_free(back);
        sl_buf_free(&j);
        sl_buf_free(&y);
        sl_schema_free(s);
    }
    sl_doc_free(&d);
    free(text);
    return 0;
}
