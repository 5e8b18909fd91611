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
    /* odd passwords: percent-encoded or raw '@' ':' '/' '?' ')' and quotes, all masked whole */
    check_redact("x postgresql://probe:P%40ss%3Aw%2Frd@h/db y", "x postgresql://probe:***@h/db y");
    check_redact("x postgresql://probe:P@ss:w/r?d@h/db y", "x postgresql://probe:***@h/db y");
    check_redact("x 'postgresql://probe:pa)ss\"w]d@h/db' y", "x 'postgresql://probe:***@h/db' y");
    check_redact("x postgresql://:S3CRET@h/db", "x postgresql://:***@h/db");
    check_redact("at postgresql://u:S3CRET@[::1]:5432/db.", "at postgresql://u:***@[::1]:5432/db.");
    check_redact("postgresql:///db?pass%77ord=S3CRET&x=1", "postgresql:///db?pass%77ord=***&x=1");
    check_redact("postgresql://h:5432/db: fine", "postgresql://h:5432/db: fine");
    /* punctuation after a URL is the message's: masking twice changes nothing */
    check_redact("http://u:S3@h/x?token=S3: answered, ok",
                 "http://u:***@h/x?token=***: answered, ok");
    check_redact("http://u:***@h/x?token=***: answered", "http://u:***@h/x?token=***: answered");
    u = sl_url_public("postgresql://probe:S3CRET@db:5432/x?sslmode=require&password=S3&x=1#f");
    CHECK_STR(u, "postgresql://db:5432/x?sslmode=require&x=1#f");
    free(u);
    u = sl_url_public("postgres://u:p@ss:w/rd@h/db?PASSWORD=a");
    CHECK_STR(u, "postgres://h/db");
    free(u);
    u = sl_url_public("http://user@h/x?token=t");
    CHECK_STR(u, "http://h/x");
    free(u);
    u = sl_url_public("sqlite:./a.db");
    CHECK_STR(u, "sqlite:./a.db");
    free(u);
    char msg[40] = "x postgresql://a:b@h/db y";
    sl_redact_text(msg, sizeof msg);
    CHECK_STR(msg, "x postgresql://a:***@h/db y");
    struct sl_error e;
    sl_error_set(&e, SL_EDB, "cannot connect to %s", "postgresql://a:S3CRET@h/db");
    CHECK_STR(e.msg, "cannot connect to postgresql://a:***@h/db");
    sl_error_prefix(&e, "sslpassword=%s", "zz");
    CHECK_STR(e.msg, "sslpassword=*** cannot connect to postgresql://a:***@h/db");
}

TEST(redact_registered_passwords)
{
    /* a raw password that libpq splits at its '@' and '?' (host "QzRegB2", parameter
     * "QzRegC3@h/db"), and a parameter's value libpq quotes alone */
    sl_redact_register_url(
        "postgresql://u:QzRegA1@QzRegB2?QzRegC3@h/db?sslmode=x&password=Qz%41Reg%zz");
    check_redact("could not translate host name \"QzRegB2\" to address",
                 "could not translate host name \"***\" to address");
    check_redact("invalid URI query parameter: \"QzRegC3@h/db\"",
                 "invalid URI query parameter: \"***@h/db\"");
    check_redact("bad token: \"Qz%41Reg%zz\", decoded QzAReg%zz",
                 "bad token: \"***\", decoded ***");
    check_redact("QzRegA1@QzRegB2?QzRegC3", "***");
    char *u = sl_url_redact("x://h/QzRegB2");
    CHECK_STR(u, "x://h/***");
    free(u);
    /* short pieces are not registered: they would mask ordinary words */
    sl_redact_register_url("postgresql://u:ab:cd@h/db");
    check_redact("ab cd", "ab cd");
}

TEST(messages_never_carry_controls)
{
    struct sl_error e;
    sl_error_set(&e, SL_EINVAL, "bad name '%s'", "a\nb\x1b[31m\xc2\x9b\xc3\xa9");
    CHECK_STR(e.msg, "bad name 'a\\nb\\x1b[31m\\u009b\xc3\xa9'");
    sl_error_prefix(&e, "in %s", "f\r");
    CHECK_STR(e.msg, "in f\\r: bad name 'a\\nb\\x1b[31m\\u009b\xc3\xa9'");
    /* grown past the capacity: cut, never inside a UTF-8 sequence */
    char m[8] = "\x01\xc3\xa9\xc3\xa9";
    sl_text_printable(m, sizeof m);
    CHECK_STR(m, "\\x01\xc3\xa9");
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

/* A record repeating one problem millions of times keeps SL_ROW_MAX_ISSUES issues and one
 * more that counts the rest (issue 13, item 9); callers may still write to what they got. */
TEST(row_issues_capped)
{
    struct sl_batch b;
    sl_batch_init(&b);
    struct sl_row *r = sl_batch_add_row(&b);
    for (int i = 0; i < SL_ROW_MAX_ISSUES + 2500; i++) {
        struct sl_issue *is =
            sl_row_issue(&b, r, i == SL_ROW_MAX_ISSUES + 7 ? SL_ROW_INVALID : SL_ROW_WARNING,
                         "duplicate-key", "a", "1", 1, "dup %d", i);
        is->constraint = "x";
    }
    CHECK_INT(r->nissues, SL_ROW_MAX_ISSUES + 1);
    CHECK_INT(sl_row_issue_count(r), SL_ROW_MAX_ISSUES + 2500);
    CHECK_INT(r->status, SL_ROW_INVALID);
    CHECK_STR(r->issues_tail->code, "too-many-issues");
    CHECK_INT(r->issues_tail->severity, SL_ROW_INVALID);
    CHECK_STR(r->issues_tail->message,
              "and 2500 more issues of this record were not kept (at most 1000 are kept a record)");
    CHECK(r->issues_tail->constraint == NULL);
    CHECK(r->issues_tail->next == NULL);
    size_t n = 0;
    for (const struct sl_issue *i = r->issues; i; i = i->next) n++;
    CHECK_INT(n, SL_ROW_MAX_ISSUES + 1);
    sl_batch_free(&b);
}
