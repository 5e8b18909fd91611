/* JSON scanner, document trees, NDJSON and JSON-array readers, output writers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/format.h"
#include "sluice/json.h"
#include "unit.h"

/* ---- scanner ---------------------------------------------------------------------------- */

struct scan_case {
    const char *text;
    int final;
    long want; /* consumed bytes, 0 = incomplete, -1 = error */
};

TEST(json_scan_table)
{
    static const struct scan_case cases[] = {
        {"0", 1, 1},
        {"-0", 1, 2},
        {"12.5e+3", 1, 7},
        {"1E9 ", 1, 3},
        {"-1.0e-2", 1, 7},
        {"01", 1, 1}, /* a value "0", the rest is the caller's business */
        {"-", 1, -1},
        {"1.", 1, -1},
        {"1.e3", 1, -1},
        {".5", 1, -1},
        {"+1", 1, -1},
        {"1e", 1, -1},
        {"1e+", 1, -1},
        {"12", 0, 0}, /* a number at the end could continue */
        {"12 ", 0, 2},
        {"  true", 1, 6},
        {"tru", 0, 0},
        {"tru", 1, -1},
        {"trux", 0, -1},
        {"null", 1, 4},
        {"false", 1, 5},
        {"nul", 0, 0},
        {"\"abc\"", 1, 5},
        {"\"a\\\"b\\\\c\\/\\b\\f\\n\\r\\t\"", 1, 21},
        {"\"\\u00e9\"", 1, 8},
        {"\"\\ud83d\\ude00\"", 1, 14},
        {"\"\\ud83d\"", 1, 8}, /* a lone surrogate is grammatical; unescape makes it U+FFFD */
        {"\"\\u12\"", 1, -1},
        {"\"\\u12", 0, 0},
        {"\"\\x\"", 1, -1},
        {"\"a\tb\"", 1, -1}, /* control characters must be escaped */
        {"\"a\nb\"", 1, -1},
        {"\"h\xc3\xa9llo w\xc3\xb6rld, a longer string\"", 1, 32},
        {"\"\xc3\x28\"", 1, -1},         /* bad continuation */
        {"\"\xc0\xaf\"", 1, -1},         /* overlong */
        {"\"\xed\xa0\x80\"", 1, -1},     /* encoded surrogate */
        {"\"\xf4\x90\x80\x80\"", 1, -1}, /* beyond U+10FFFF */
        {"\"\xff\"", 1, -1},
        {"\"\xe2\x82", 0, 0}, /* cut inside a sequence */
        {"\"\xe2\x82", 1, -1},
        {"\"abc", 0, 0},
        {"\"abc", 1, -1},
        {"[]", 1, 2},
        {"[1,2,[3,{}]]", 1, 12},
        {"[1,]", 1, -1},
        {"[1 2]", 1, -1},
        {"[1,2", 0, 0},
        {"[1,2", 1, -1},
        {"{}", 1, 2},
        {" {\"a\" : [1, {\"b\": null}], \"c\":\"d\"} ", 1, 34},
        {"{\"a\":1,}", 1, -1},
        {"{\"a\" 1}", 1, -1},
        {"{a:1}", 1, -1},
        {"{\"a\":1", 0, 0},
        {"{\"a\":1 x", 0, -1},
        {"", 0, 0},
        {"   ", 1, -1},
        {"]", 1, -1},
        {"x", 0, -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct sl_json_tok tok;
        struct sl_json_err e = {0, NULL};
        long got = sl_json_scan(cases[i].text, strlen(cases[i].text), cases[i].final, &tok, &e);
        if (got != cases[i].want) {
            fprintf(stderr, "  case %zu (%s): got %ld, expected %ld\n", i, cases[i].text, got,
                    cases[i].want);
            unit_failures++;
        }
        if (got < 0 && !e.msg) {
            fprintf(stderr, "  case %zu: no error message\n", i);
            unit_failures++;
        }
    }
}

TEST(json_scan_tokens)
{
    struct sl_json_tok t;
    struct sl_json_err e;

    CHECK_INT(sl_json_scan(" \"a\\nb\" ", 8, 1, &t, &e), 7);
    CHECK_INT(t.type, SL_JSON_STRING);
    CHECK_MEM(t.p, t.len, "a\\nb");
    CHECK_INT(t.escaped, 1);
    CHECK_INT(sl_json_scan("\"plain\"", 7, 1, &t, &e), 7);
    CHECK_INT(t.escaped, 0);
    CHECK_INT(sl_json_scan(" -12.5,", 7, 0, &t, &e), 6);
    CHECK_INT(t.type, SL_JSON_NUMBER);
    CHECK_MEM(t.p, t.len, "-12.5");
    CHECK_INT(sl_json_scan("[1, {\"a\":2}] ", 13, 1, &t, &e), 12);
    CHECK_INT(t.type, SL_JSON_ARRAY);
    CHECK_MEM(t.p, t.len, "[1, {\"a\":2}]");
    CHECK_INT(sl_json_scan("[1, 2 x]", 8, 1, &t, &e), -1);
    CHECK_INT(e.offset, 6);
    CHECK_STR(e.msg, "expected ',' or ']'");
    CHECK_INT(sl_json_scan("\"ab\xff\"", 5, 1, &t, &e), -1);
    CHECK_INT(e.offset, 3);
    CHECK_STR(e.msg, "invalid UTF-8 in string");
}

static char *nested(size_t depth, int close)
{
    char *s = malloc(2 * depth + 1);
    memset(s, '[', depth);
    if (close) memset(s + depth, ']', depth);
    s[close ? 2 * depth : depth] = 0;
    return s;
}

TEST(json_scan_depth)
{
    struct sl_json_tok t;
    struct sl_json_err e;
    char *s;

    s = nested(256, 1);
    CHECK_INT(sl_json_scan(s, strlen(s), 1, &t, &e), 512);
    free(s);
    s = nested(257, 1);
    CHECK_INT(sl_json_scan(s, strlen(s), 1, &t, &e), -1);
    CHECK_STR(e.msg, "nested deeper than 256 levels");
    free(s);
    s = nested(300, 1);
    CHECK_INT(sl_json_scan(s, strlen(s), 1, &t, &e), -1);
    free(s);
    /* no stack overflow: the limit stops the recursion long before */
    s = nested(1000000, 0);
    CHECK_INT(sl_json_scan(s, strlen(s), 0, &t, &e), -1);
    CHECK_INT(e.offset, 256);
    free(s);
}

TEST(json_unescape)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain", "plain"},
        {"a\\\"b\\\\c\\/d", "a\"b\\c/d"},
        {"\\b\\f\\n\\r\\t", "\b\f\n\r\t"},
        {"\\u0041\\u00e9\\u20ac", "A\xc3\xa9\xe2\x82\xac"},
        {"\\ud83d\\ude00!", "\xf0\x9f\x98\x80!"},
        {"x\\ud83dy", "x\xef\xbf\xbdy"}, /* lone high surrogate */
        {"\\ude00", "\xef\xbf\xbd"},     /* lone low surrogate */
        {"\\ud83d\\u0041", "\xef\xbf\xbd"
                           "A"}, /* high + non-low */
        {"\\u0000", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[64];
        size_t n = sl_json_unescape(cases[i].in, strlen(cases[i].in), out);
        if (i == 8) {
            CHECK_INT(n, 1);
            CHECK_INT(out[0], 0);
            continue;
        }
        CHECK_MEM(out, n, cases[i].out);
    }
}

/* Silver's form of nested JSON: whitespace out, escapes fewest, numbers and key order kept. */
TEST(json_canonical)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"{\"a\":1}", "{\"a\":1}"},
        {"{\n  \"a\" : [ 1 , 2.50 ,-0, 1e400 ],\n\t\"b\": {}\r\n}",
         "{\"a\":[1,2.50,-0,1e400],\"b\":{}}"},
        {"[ \"x y\" , \" \" ]", "[\"x y\",\" \"]"},
        {"[\"t\\u00e9\\/\\u0041\"]", "[\"t\xc3\xa9/A\"]"},
        {"[\"\\\"\\\\\\u0022\\u005c\"]", "[\"\\\"\\\\\\\"\\\\\"]"},
        {"[\"\\u0008\\u000a\\u0001\\u001F\\b\"]", "[\"\\b\\n\\u0001\\u001f\\b\"]"},
        {"[\"\\ud83d\\ude00\"]", "[\"\xf0\x9f\x98\x80\"]"},
        {"[\"\\uD800 \\udc00\\ud800\"]", "[\"\\ud800 \\udc00\\ud800\"]"},
        {"[\"\\u0000\"]", "[\"\\u0000\"]"},
        {"{\"k\":1, \"k\":2}", "{\"k\":1,\"k\":2}"},
        {"[12345678901234567890123, 0.1e-5]", "[12345678901234567890123,0.1e-5]"},
    };
    struct sl_arena a;
    sl_arena_init(&a, 0);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n = strlen(cases[i].in), len;
        struct sl_json_tok tok;
        struct sl_json_err e;
        CHECK(sl_json_scan(cases[i].in, n, 1, &tok, &e) == (long)n);
        const char *got = sl_json_canonical(tok.p, tok.len, &a, &len);
        CHECK(len <= tok.len);
        CHECK_INT(len, strlen(cases[i].out));
        CHECK(!memcmp(got, cases[i].out, len));
        /* canonical text is its own canonical text: p itself, no copy */
        size_t len2;
        CHECK(sl_json_canonical(got, len, &a, &len2) == got);
        CHECK_INT(len2, len);
    }
    /* text that is not JSON (the cast's fuzzer gives it any bytes): bad or cut \u escapes and a
     * backslash at the end are kept as they are, never read past the end (fuzz_cast found it) */
    static const struct {
        const char *in, *out;
    } bad[] = {{"u\"\\u\"\\\"\"", "u\"\\u\"\\\"\""},
               {"[\"\\u12\"]", "[\"\\u12\"]"},
               {"[\"\\u00zz\" ]", "[\"\\u00zz\"]"},
               {"[\"a \\", "[\"a \\"}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        size_t n = strlen(bad[i].in), len;
        char *copy = sl_xmalloc(n ? n : 1); /* exactly n bytes: ASan sees a read past them */
        memcpy(copy, bad[i].in, n);
        const char *got = sl_json_canonical(copy, n, &a, &len);
        CHECK(len <= n);
        CHECK_INT(len, strlen(bad[i].out));
        CHECK(!memcmp(got, bad[i].out, len));
        free(copy);
    }
    sl_arena_free(&a);
}

TEST(json_iter)
{
    const char *s = "{ \"a\": 1, \"b\" : [true, null], \"c\": {\"d\": \"e\"} }";
    struct sl_json_tok t, k, v;
    struct sl_json_iter it;
    const char *want_keys[] = {"a", "b", "c"};
    const char *want_vals[] = {"1", "[true, null]", "{\"d\": \"e\"}"};
    int i = 0;

    CHECK(sl_json_scan(s, strlen(s), 1, &t, NULL) > 0);
    sl_json_iter_init(&it, &t);
    while (sl_json_iter_next(&it, &k, &v)) {
        if (i < 3) {
            CHECK_MEM(k.p, k.len, want_keys[i]);
            CHECK_MEM(v.p, v.len, want_vals[i]);
        }
        i++;
    }
    CHECK_INT(i, 3);

    s = "[ 1 , \"x\" ]";
    CHECK(sl_json_scan(s, strlen(s), 1, &t, NULL) > 0);
    sl_json_iter_init(&it, &t);
    i = 0;
    while (sl_json_iter_next(&it, NULL, &v)) {
        if (i == 1) CHECK_INT(v.type, SL_JSON_STRING);
        i++;
    }
    CHECK_INT(i, 2);

    s = "[]";
    CHECK(sl_json_scan(s, 2, 1, &t, NULL) > 0);
    sl_json_iter_init(&it, &t);
    CHECK_INT(sl_json_iter_next(&it, NULL, &v), 0);
}

TEST(json_doc_parse)
{
    const char *s = "{\n  \"name\": \"h\\u00e9llo\",\n  \"n\": 42,\n  \"list\": [true, null],\n"
                    "  \"empty\": {}\n}\n";
    struct sl_doc d;
    struct sl_error err;
    struct sl_node *n;

    CHECK_INT(sl_doc_parse_json(&d, "x.json", s, strlen(s), &err), 0);
    CHECK(d.root && d.root->type == SL_NODE_MAP);
    CHECK_INT(d.root->n, 4);
    CHECK_STR(d.path, "x.json");
    n = sl_node_get(d.root, "name");
    CHECK(n && n->type == SL_NODE_SCALAR && n->quoted);
    CHECK_STR(n->text, "h\xc3\xa9llo");
    CHECK_INT(n->line, 2);
    CHECK_INT(n->col, 11);
    n = sl_node_get(d.root, "n");
    CHECK(n && !n->quoted && n->json_type == SL_JSON_NUMBER);
    CHECK_STR(n->text, "42");
    n = sl_node_get(d.root, "list");
    CHECK(n && n->type == SL_NODE_SEQ && n->n == 2);
    if (n && n->n == 2) {
        CHECK_INT(n->items[0]->json_type, SL_JSON_TRUE);
        CHECK_INT(n->items[1]->type, SL_NODE_NULL);
        CHECK_INT(n->items[1]->line, 4);
        CHECK_INT(n->items[1]->col, 18);
    }
    n = sl_node_get(d.root, "empty");
    CHECK(n && n->type == SL_NODE_MAP && n->n == 0);
    CHECK_INT(d.root->keys[2]->line, 4);
    sl_doc_free(&d);

    s = "{\n  \"a\": 1,\n  \"b\": tru\n}";
    CHECK_INT(sl_doc_parse_json(&d, "bad.json", s, strlen(s), &err), SL_ECONFIG);
    CHECK_STR(err.msg, "bad.json:3:8: invalid literal (expected a value)");
    sl_doc_free(&d);

    s = "[1] 2";
    CHECK_INT(sl_doc_parse_json(&d, "t.json", s, strlen(s), &err), SL_ECONFIG);
    CHECK_STR(err.msg, "t.json:1:5: unexpected data after the JSON value");
    sl_doc_free(&d);
}

/* ---- readers ---------------------------------------------------------------------------- */

/* Reads all of text with fmt and describes every row, one line each:
 * "num:line:offset:status col=kind:value ... raw=... !issue" */
static char *read_all(const struct sl_format *fmt, const char *text, size_t n, size_t chunk,
                      size_t max_record, int *nbatches)
{
    struct sl_format_opts o;
    struct sl_stream *in = NULL;
    struct sl_reader *r = NULL;
    struct sl_error err;
    struct sl_batch b;
    struct sl_buf out = SL_BUF_INIT;
    int rc, batches = 0;

    memset(&o, 0, sizeof o);
    o.chunk = chunk;
    o.max_record = max_record;
    o.want_raw = 1;
    sl_batch_init(&b);
    if (sl_stream_open_mem(text, n, NULL, &in, &err) < 0 || fmt->open(in, &o, &r, &err) < 0) {
        sl_buf_addf(&out, "open failed: %s\n", err.msg);
        goto out;
    }
    for (;;) {
        sl_batch_reset(&b);
        rc = fmt->next(r, &b, &err);
        if (rc < 0) {
            sl_buf_addf(&out, "error: %s\n", err.msg);
            break;
        }
        if (rc == 0) break;
        batches++;
        if (!b.nrows) sl_buf_adds(&out, "EMPTY BATCH\n");
        for (size_t i = 0; i < b.nrows; i++) {
            struct sl_row *row = &b.rows[i];
            sl_buf_addf(&out, "%lld:%lld:%lld:%d", (long long)row->num, (long long)row->line,
                        (long long)row->offset, row->status);
            for (uint32_t c = 0; c < row->ncells; c++) {
                const struct sl_cell *cell = &row->cells[c];
                sl_buf_addf(&out, " %s=%d:%.*s", r->labels.v[cell->col], cell->kind, (int)cell->len,
                            cell->p);
            }
            if (row->raw)
                sl_buf_addf(&out, " raw%d=%.*s", row->raw_kind, (int)row->raw_len, row->raw);
            for (struct sl_issue *is = row->issues; is; is = is->next)
                sl_buf_addf(&out, " !%s: %s", is->code, is->message);
            sl_buf_addc(&out, '\n');
        }
    }
out:
    if (r) fmt->close(r);
    if (in) sl_stream_close(in);
    sl_batch_free(&b);
    if (nbatches) *nbatches = batches;
    return sl_buf_detach(&out);
}

static const char ndjson_text[] =
    "\xef\xbb\xbf{\"id\": 1, \"name\": \"Ann\", \"ok\": true}\n"
    "\n"
    "{\"id\":2,\"name\":\"B\\u00e9a \\\"Q\\\"\",\"tags\":[1,2],\"extra\":{\"a\":null}}\r\n"
    "   \n"
    "not json\n"
    "[1,2]\n"
    "{\"id\":3,\"n\\u0061me\":\"C\",\"id\":4, \"x\": -1.5e3, \"nil\": null, \"f\": false}\n"
    "{\"id\": 5, \"bad\": \"\xff\"}\n"
    "{\"id\":6}";

static const char ndjson_want[] =
    "1:1:3:0 id=2:1 name=0:Ann ok=3:true raw0={\"id\": 1, \"name\": \"Ann\", \"ok\": true}\n"
    "2:3:41:0 id=2:2 name=0:B\xc3\xa9"
    "a \"Q\" tags=6:[1,2] extra=5:{\"a\":null} "
    "raw0={\"id\":2,\"name\":\"B\\u00e9a \\\"Q\\\"\",\"tags\":[1,2],\"extra\":{\"a\":null}}\n"
    "3:5:111:2 raw1=not json !format-error: invalid JSON at column 1: invalid literal (expected a "
    "value)\n"
    "4:6:120:2 raw1=[1,2] !format-error: expected a JSON object, found an array\n"
    "5:7:126:0 id=2:3 name=0:C id=2:4 x=2:-1.5e3 nil=1:null f=4:false "
    "raw0={\"id\":3,\"n\\u0061me\":\"C\",\"id\":4, \"x\": -1.5e3, \"nil\": null, \"f\": false}\n"
    "6:8:196:2 raw2={\"id\": 5, \"bad\": \"\xff\"} !format-error: invalid JSON at column 19: "
    "invalid UTF-8 in string\n"
    "7:9:218:0 id=2:6 raw0={\"id\":6}\n";

TEST(ndjson_read_rows)
{
    size_t n = sizeof ndjson_text - 1;
    char *big = read_all(&sl_format_ndjson, ndjson_text, n, 0, 0, NULL);
    CHECK_STR(big, ndjson_want);
    /* tiny chunks exercise the carry-over: same rows */
    size_t chunks[] = {1, 2, 3, 7, 13, 64};
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
        int nb = 0;
        char *small = read_all(&sl_format_ndjson, ndjson_text, n, chunks[i], 0, &nb);
        CHECK_STR(small, big);
        CHECK(nb > 1);
        free(small);
    }
    free(big);
}

TEST(ndjson_max_record)
{
    char text[4096];
    size_t n = 0;
    n += (size_t)sprintf(text + n, "{\"a\":1}\n{\"long\":\"");
    memset(text + n, 'x', 2000);
    n += 2000;
    n += (size_t)sprintf(text + n, "\"}\n{\"a\":2}\n");
    for (size_t chunk = 7; chunk <= 70007; chunk *= 100) {
        char *got = read_all(&sl_format_ndjson, text, n, chunk, 100, NULL);
        char want[2048];
        snprintf(want, sizeof want,
                 "1:1:0:0 a=2:1 raw0={\"a\":1}\n"
                 "2:2:8:2 raw1={\"long\":\"%.1015s !format-error: record is larger than the "
                 "max_record_size limit of 100 bytes\n"
                 "3:3:2020:0 a=2:2 raw0={\"a\":2}\n",
                 text + 17);
        CHECK_STR(got, want);
        free(got);
    }
}

TEST(ndjson_sniff)
{
    CHECK_INT(sl_format_ndjson.sniff("{\"a\":1}\n{\"a\":2}\n", 16), 90);
    CHECK_INT(sl_format_ndjson.sniff("\xef\xbb\xbf  {\"a\":1}  \r\n{", 17), 90);
    CHECK_INT(sl_format_ndjson.sniff("{\n  \"a\": 1\n}\n", 13), 0);
    CHECK_INT(sl_format_ndjson.sniff("[{\"a\":1}]", 9), 0);
    CHECK_INT(sl_format_ndjson.sniff("a,b\n1,2\n", 8), 0);
    CHECK_INT(sl_format_ndjson.sniff("", 0), 0);
}

static const char json_text[] = "\xef\xbb\xbf[\n"
                                "  {\"id\": 1, \"name\": \"Ann\"},\n"
                                "  {\"id\": 2,\n"
                                "   \"tags\": [1, {\"x\": \"]\"}], \"s\": \"a\\nb\"},\n"
                                "  42,\n"
                                "  {\"id\": 3, \"bad\": tru, \"more\": [1,2]},\n"
                                "  {\"id\": 4} {\"id\": 5},\n"
                                "  {\"id\": 6, \"s\": \"},{\"}\n"
                                "]\n";

static const char json_want[] =
    "1:2:7:0 id=2:1 name=0:Ann raw0={\"id\": 1, \"name\": \"Ann\"}\n"
    "2:3:35:0 id=2:2 tags=6:[1, {\"x\": \"]\"}] s=0:a\nb raw0={\"id\": 2,\n"
    "   \"tags\": [1, {\"x\": \"]\"}], \"s\": \"a\\nb\"}\n"
    "3:5:89:2 raw1=42 !format-error: expected a JSON object, found a number\n"
    "4:6:95:2 raw1={\"id\": 3, \"bad\": tru, \"more\": [1,2]} !format-error: invalid JSON at line "
    "6 "
    "column 20: invalid literal (expected a value)\n"
    "5:7:135:0 id=2:4 raw0={\"id\": 4}\n"
    "6:7:145:2 raw1={\"id\": 5} !format-error: invalid JSON at line 7 column 13: expected ',' or "
    "']'\n"
    "7:8:158:0 id=2:6 s=0:},{ raw0={\"id\": 6, \"s\": \"},{\"}\n";

TEST(json_read_array)
{
    size_t n = sizeof json_text - 1;
    char *big = read_all(&sl_format_json, json_text, n, 0, 0, NULL);
    CHECK_STR(big, json_want);
    size_t chunks[] = {1, 2, 3, 7, 13, 64};
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
        int nb = 0;
        char *small = read_all(&sl_format_json, json_text, n, chunks[i], 0, &nb);
        CHECK_STR(small, big);
        CHECK(nb > 1);
        free(small);
    }
    free(big);
}

TEST(json_read_edges)
{
    struct {
        const char *text, *want;
    } cases[] = {
        {"[]", ""},
        {"  ", ""},
        {"[{\"a\":1}]", "1:1:1:0 a=2:1 raw0={\"a\":1}\n"},
        {"{\n \"a\": [1,\n 2]\n}\n", "1:1:0:0 a=6:[1,\n 2] raw0={\n \"a\": [1,\n 2]\n}\n"},
        {"[{\"a\":1}] x", "1:1:1:0 a=2:1 raw0={\"a\":1}\n2:1:10:2 raw1=x !format-error: "
                          "unexpected data after the end of the JSON array\n"},
        {"[{\"a\":1},]", "1:1:1:0 a=2:1 raw0={\"a\":1}\n2:1:9:2 raw1=] !format-error: invalid "
                         "JSON at line 1 column 10: expected a value\n"},
        {"[{\"a\":1},\n{\"b\":\"unterminated}]",
         "1:1:1:0 a=2:1 raw0={\"a\":1}\n2:2:10:2 raw1={\"b\":\"unterminated}] !format-error: "
         "invalid JSON at line 2 column 21: unexpected end of input; the remaining 20 bytes "
         "could not be read\n"},
        {"[{\"a\":1}", "1:1:1:0 a=2:1 raw0={\"a\":1}\n2:1:8:2 raw1= !format-error: unexpected "
                       "end of input: the JSON array is not closed\n"},
        {"nope", "1:1:0:2 raw1=nope !format-error: expected a JSON array or object; the "
                 "remaining 4 bytes could not be read\n"},
        {"{\"a\":1} {", "1:1:0:0 a=2:1 raw0={\"a\":1}\n2:1:8:2 raw1={ !format-error: unexpected "
                        "data after the end of the JSON object\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        for (size_t chunk = 1; chunk <= 4096; chunk *= 4096) {
            char *got =
                read_all(&sl_format_json, cases[i].text, strlen(cases[i].text), chunk, 0, NULL);
            if (strcmp(got, cases[i].want)) {
                fprintf(stderr, "  case %zu chunk %zu: got\n%s  expected\n%s", i, chunk, got,
                        cases[i].want);
                unit_failures++;
            }
            free(got);
        }
    }
}

TEST(json_read_max_record)
{
    char text[8192];
    size_t n = 0;
    n += (size_t)sprintf(text + n, "[{\"a\":1},\n {\"long\":\"");
    memset(text + n, 'x', 3000);
    n += 3000;
    n += (size_t)sprintf(text + n, "\", \"n\": [\"]\", {}]},\n{\"a\":2}]");
    for (size_t chunk = 7; chunk <= 70007; chunk *= 100) {
        char *got = read_all(&sl_format_json, text, n, chunk, 100, NULL);
        char want[2048];
        snprintf(want, sizeof want,
                 "1:1:1:0 a=2:1 raw0={\"a\":1}\n"
                 "2:2:11:2 raw1={\"long\":\"%.1015s !format-error: record is larger than the "
                 "max_record_size limit of 100 bytes\n"
                 "3:3:3040:0 a=2:2 raw0={\"a\":2}\n",
                 text + 20);
        CHECK_STR(got, want);
        free(got);
    }
}

TEST(json_sniff)
{
    CHECK_INT(sl_format_json.sniff("  [{\"a\":1}]", 11), 90);
    CHECK_INT(sl_format_json.sniff("{\n  \"a\": 1\n}\n", 13), 60);
    CHECK_INT(sl_format_json.sniff("{\"a\":1}\n{\"a\":2}\n", 16), 0);
    CHECK_INT(sl_format_json.sniff("a,b\n", 4), 0);
}

/* ---- writers ---------------------------------------------------------------------------- */

static char *file_text(FILE *f)
{
    long n;
    char *s;
    fflush(f);
    n = ftell(f);
    s = calloc(1, (size_t)n + 1);
    rewind(f);
    if (fread(s, 1, (size_t)n, f) != (size_t)n) s[0] = 0;
    return s;
}

static struct sl_cell mkcell(int kind, const char *p)
{
    struct sl_cell c;
    memset(&c, 0, sizeof c);
    c.kind = (uint8_t)kind;
    c.p = p;
    c.len = (uint32_t)strlen(p);
    return c;
}

TEST(writer_cells)
{
    const char *names[] = {"id", "name", "ok", "tags", "gone"};
    struct sl_cell c0 = mkcell(SL_CELL_NUMBER, "1"), c1 = mkcell(SL_CELL_STRING, "a \"q\", b\n"),
                   c2 = mkcell(SL_CELL_TRUE, "true"), c3 = mkcell(SL_CELL_ARRAY, "[1,\"x\"]"),
                   c4 = mkcell(SL_CELL_NULL, "null"), c5 = mkcell(SL_CELL_STRING, " pad");
    const struct sl_cell *row1[] = {&c0, &c1, &c2, &c3, NULL};
    const struct sl_cell *row2[] = {&c0, &c5, &c4, NULL, &c4};
    struct sl_writer *w;
    struct sl_error err;
    FILE *f;
    char *s;

    f = tmpfile();
    CHECK_INT(sl_writer_open("ndjson", f, &w, &err), 0);
    sl_writer_columns(w, names, NULL, 5);
    sl_writer_cells(w, row1, 5);
    sl_writer_cells(w, row2, 5);
    CHECK_INT(sl_writer_close(w), 0);
    s = file_text(f);
    CHECK_STR(s, "{\"id\":1,\"name\":\"a \\\"q\\\", b\\n\",\"ok\":true,\"tags\":[1,\"x\"]}\n"
                 "{\"id\":1,\"name\":\" pad\",\"ok\":null,\"gone\":null}\n");
    free(s);
    fclose(f);

    f = tmpfile();
    CHECK_INT(sl_writer_open("csv", f, &w, &err), 0);
    sl_writer_columns(w, names, NULL, 5);
    sl_writer_cells(w, row1, 5);
    sl_writer_cells(w, row2, 5);
    CHECK_INT(sl_writer_close(w), 0);
    s = file_text(f);
    CHECK_STR(s, "id,name,ok,tags,gone\n"
                 "1,\"a \"\"q\"\", b\n\",true,\"[1,\"\"x\"\"]\",\n"
                 "1,\" pad\",,,\n");
    free(s);
    fclose(f);

    CHECK_INT(sl_writer_open("xml", stdout, &w, &err), SL_EINVAL);
}

TEST(writer_values)
{
    const char *names[] = {"i", "r", "b", "t", "j", "n"};
    struct sl_value v[6];
    int kinds[6] = {-1, -1, -1, SL_JSON_STRING, SL_JSON_OBJECT, -1};
    struct sl_writer *w;
    struct sl_error err;
    FILE *f;
    char *s;

    memset(v, 0, sizeof v);
    v[0].type = SL_V_INT, v[0].u.i = -9007199254740993LL;
    v[1].type = SL_V_REAL, v[1].u.d = 0.1;
    v[2].type = SL_V_BOOL, v[2].u.i = 1;
    v[3].type = SL_V_TEXT, v[3].u.s = "x,y", v[3].len = 3;
    v[4].type = SL_V_TEXT, v[4].u.s = "{\"a\":1}", v[4].len = 7;
    v[5].type = SL_V_NULL;

    f = tmpfile();
    CHECK_INT(sl_writer_open("ndjson", f, &w, &err), 0);
    sl_writer_columns(w, names, NULL, 6);
    sl_writer_values(w, v, kinds, 6);
    CHECK_INT(sl_writer_close(w), 0);
    s = file_text(f);
    CHECK_STR(s, "{\"i\":-9007199254740993,\"r\":0.1,\"b\":true,\"t\":\"x,y\",\"j\":{\"a\":1},"
                 "\"n\":null}\n");
    free(s);
    fclose(f);

    f = tmpfile();
    CHECK_INT(sl_writer_open("csv", f, &w, &err), 0);
    sl_writer_columns(w, names, NULL, 6);
    sl_writer_values(w, v, kinds, 6);
    CHECK_INT(sl_writer_close(w), 0);
    s = file_text(f);
    CHECK_STR(s, "i,r,b,t,j,n\n-9007199254740993,0.1,true,\"x,y\",\"{\"\"a\"\":1}\",\n");
    free(s);
    fclose(f);
}

TEST(writer_write_error)
{
    FILE *f = fopen("/dev/full", "w");
    const char *names[] = {"a"};
    struct sl_cell c = mkcell(SL_CELL_STRING, "x");
    const struct sl_cell *row[] = {&c};
    struct sl_writer *w;
    struct sl_error err;

    if (!f) return; /* no /dev/full here */
    CHECK_INT(sl_writer_open("ndjson", f, &w, &err), 0);
    sl_writer_columns(w, names, NULL, 1);
    for (int i = 0; i < 1000; i++) sl_writer_cells(w, row, 1);
    CHECK_INT(sl_writer_close(w), SL_EIO);
    fclose(f);
}
