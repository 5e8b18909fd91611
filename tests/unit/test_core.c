/* Unit tests: arena, buffers, JSON output, UTF-8, labels. */
#include <stdlib.h>

#include "sluice/sluice.h"
#include "unit.h"

TEST(arena_alloc_and_reset)
{
    struct sl_arena a;
    sl_arena_init(&a, 1024);
    char *s = sl_arena_strndup(&a, "hello", 5);
    CHECK_STR(s, "hello");
    void *big = sl_arena_alloc(&a, 10000); /* bigger than a chunk */
    memset(big, 1, 10000);
    for (int i = 0; i < 1000; i++) CHECK(sl_arena_alloc(&a, 24) != NULL);
    CHECK(((uintptr_t)sl_arena_alloc(&a, 3) & 7) == 0);
    sl_arena_reset(&a);
    CHECK_INT(a.used, 0);
    CHECK_STR(sl_arena_sprintf(&a, "%d-%s", 42, "x"), "42-x");
    sl_arena_free(&a);
}

TEST(buf_json_escapes)
{
    struct sl_buf b = SL_BUF_INIT;
    sl_buf_json_str(&b, "a\"b\\c\n\x01\xc3\xa9", 9);
    CHECK_STR(b.p, "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\"");
    sl_buf_reset(&b);
    sl_buf_json_str(&b,
                    "x\xff"
                    "y",
                    3); /* invalid UTF-8 becomes U+FFFD */
    CHECK_STR(b.p, "\"x\\ufffdy\"");
    sl_buf_reset(&b);
    sl_buf_json_double(&b, 0.1);
    sl_buf_addc(&b, ' ');
    sl_buf_json_double(&b, 1e300);
    CHECK_STR(b.p, "0.1 1e+300");
    sl_buf_free(&b);
}

TEST(utf8_validation)
{
    CHECK_INT(sl_utf8_valid_prefix("abc\xc3\xa9", 5), 5);
    CHECK_INT(sl_utf8_valid_prefix("ab\xc0\xaf", 4), 2);       /* overlong */
    CHECK_INT(sl_utf8_valid_prefix("\xed\xa0\x80", 3), 0);     /* surrogate */
    CHECK_INT(sl_utf8_valid_prefix("0123456789\xe9", 11), 10); /* Latin-1 é */
    CHECK(sl_has_high_or_nul("abcdefghij", 10) == 0);
    CHECK(sl_has_high_or_nul("abcdefgh\0j", 10) == 1);
    char out[16];
    size_t n = sl_latin1_to_utf8("Jos\xe9 \x80", 6, out, 1);
    CHECK_MEM(out, n, "Jos\xc3\xa9 \xe2\x82\xac");
}

TEST(labels_intern_and_duplicates)
{
    struct sl_labels l;
    sl_labels_init(&l);
    for (int i = 0; i < 200; i++) {
        char k[16];
        snprintf(k, sizeof k, "key%d", i);
        CHECK_INT(sl_labels_intern(&l, k, strlen(k)), i);
    }
    CHECK_INT(sl_labels_intern(&l, "key7", 4), 7);
    CHECK_INT(sl_labels_find(&l, "nope", 4), -1);
    CHECK_INT(sl_labels_push(&l, "key7", 4), 200); /* a repeated CSV header */
    CHECK_INT(sl_labels_find(&l, "key7", 4), 7);
    sl_labels_free(&l);
}

/* A header of 100 000 equal names: pushing them must not walk one probe run n times (issue
 * 13); the first of them is the one found. Truncating restores the table exactly. */
TEST(labels_many_duplicates_and_truncate)
{
    struct sl_labels l;
    sl_labels_init(&l);
    double t0 = sl_now();
    for (int i = 0; i < 100000; i++) CHECK_INT(sl_labels_push(&l, "", 0), i);
    CHECK(sl_now() - t0 < 5.0);
    CHECK_INT(sl_labels_find(&l, "", 0), 0);
    size_t n0 = l.n;
    for (int i = 0; i < 1000; i++) {
        char k[16];
        snprintf(k, sizeof k, "k%d", i);
        sl_labels_intern(&l, k, strlen(k));
    }
    CHECK_INT(sl_labels_find(&l, "k999", 4), 100999);
    sl_labels_truncate(&l, n0);
    CHECK_INT(l.n, n0);
    CHECK_INT(sl_labels_find(&l, "k999", 4), -1);
    CHECK_INT(sl_labels_find(&l, "k0", 2), -1);
    CHECK_INT(sl_labels_find(&l, "", 0), 0);
    CHECK_INT(sl_labels_intern(&l, "k5", 2), 100000);
    CHECK_INT(sl_labels_find(&l, "k5", 2), 100000);
    sl_labels_free(&l);
}

TEST(parse_size_units)
{
    CHECK_INT(sl_parse_size("64MiB"), 64 << 20);
    CHECK_INT(sl_parse_size("16 MB"), 16000000);
    CHECK_INT(sl_parse_size("1024"), 1024);
    CHECK_INT(sl_parse_size("lots"), -1);
    /* found by fuzz_cast: out of the int64 range was an undefined cast */
    CHECK_INT(sl_parse_size("1e999999"), -1);
    CHECK_INT(sl_parse_size("9000000 TiB"), -1);
}

static void check_redact(const char *in, const char *want)
{
    struct sl_buf b = SL_BUF_INIT;
    sl_buf_add_redacted(&b, in);
    CHECK_STR(sl_buf_str(&b), want);
    sl_buf_free(&b);
}

TEST(redact_urls_and_conninfo)
{
    char *u = sl_url_redact("postgresql://probe:S3CRET@db.example:5432/x?sslmode=require");
    CHECK_STR(u, "postgresql://probe:***@db.example:5432/x?sslmode=require");
    free(u);
    u = sl_url_redact("postgresql:///db?user=a&password=S3CRET&host=/tmp#frag");
    CHECK_STR(u, "postgresql:///db?user=a&password=***&host=/tmp#frag");
    free(u);
    u = sl_url_redact("https://h/x?API_KEY=abc;token=t2&q=1");
    CHECK_STR(u, "https://h/x?API_KEY=***;token=***&q=1");
    free(u);
    /* a password holding '@' and ':' is masked whole (the last '@' ends the userinfo) */
    u = sl_url_redact("postgres://u:p@ss:w@rd@h/db");
    CHECK_STR(u, "postgres://u:***@h/db");
    free(u);
    u = sl_url_redact("http://user@h/x"); /* no password: nothing to hide */
    CHECK_STR(u, "http://user@h/x");
    free(u);
    check_redact("no loads of source 'X' in postgresql://probe:S3CRET@h/db (see 'docs')",
                 "no loads of source 'X' in postgresql://probe:***@h/db (see 'docs')");
    check_redact("a \"https://u:pw@h/?token=zz\" b", "a \"https://u:***@h/?token=***\" b");
    check_redact("connect: host=h password=S3CRET user=u", "connect: host=h password=*** user=u");
    check_redact("password = 'it\\'s secret' port=1", "password = *** port=1");
    check_redact("my_password=x and primary key=1 passwords",
                 "my_password=x and primary key=1 passwords");
    check_redact("", "");
    check_redact("https://h/x?token=zz: HTTP 500", "https://h/x?token=***: HTTP 500");
    check_redact("http://u:pw@h: refused", "http://u:***@h: refused");
    char msg[40] = "x postgresql://a:b@h/db y";
    sl_redact_text(msg, sizeof msg);
    CHECK_STR(msg, "x postgresql://a:***@h/db y");
    struct sl_error e;
    sl_error_set(&e, SL_EDB, "cannot connect to %s", "postgresql://a:S3CRET@h/db");
    CHECK_STR(e.msg, "cannot connect to postgresql://a:***@h/db");
    sl_error_prefix(&e, "sslpassword=%s", "zz");
    CHECK_STR(e.msg, "sslpassword=*** cannot connect to postgresql://a:***@h/db");
}

TEST(printable_escapes_controls)
{
    struct sl_buf b = SL_BUF_INIT;
    const char in[] = "a\nb\x1b[31mc\t\xc3\xa9\xc2\x85\xff\x00z";
    sl_buf_add_printable(&b, in, sizeof in - 1);
    CHECK_STR(sl_buf_str(&b), "a\\nb\\x1b[31mc\\t\xc3\xa9\\u0085\\xff\\x00z");
    sl_buf_reset(&b);
    sl_buf_add_printable(&b, "\xe2\x82", 2); /* truncated sequence */
    CHECK_STR(sl_buf_str(&b), "\\xe2\\x82");
    sl_buf_free(&b);
}
