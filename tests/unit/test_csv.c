/* Unit tests: the CSV/TSV reader (dialect sniffing, parsing, record-level issues, batching). */
#include <stdlib.h>

#include "sluice/batch.h"
#include "sluice/format.h"
#include "sluice/stream.h"
#include "unit.h"

/* ---- helpers --------------------------------------------------------------------------- */

/* What a whole read produced, with every row written as one line of text:
 *   num:line:offset:status:cell|cell|...  !code(field)=value ...  raw=...
 * so that tests compare rows as strings and chunkings can be compared at once. */
struct result {
    int rc;
    struct sl_buf rows;
    struct sl_buf labels; /* label|label|... */
    struct sl_dialect d;
    int64_t records, lines, utf8_invalid, utf8_multibyte, out_bytes;
    int nbatches;
    int raw_kinds[16]; /* of the first 16 rows */
};

static void opts_default(struct sl_format_opts *o)
{
    sl_format_opts_init(o);
}

static void dump_row(struct sl_buf *out, const struct sl_row *r)
{
    sl_buf_addf(out, "%lld:%lld:%lld:%d:", (long long)r->num, (long long)r->line,
                (long long)r->offset, r->status);
    for (uint32_t i = 0; i < r->ncells; i++) {
        if (i) sl_buf_addc(out, '|');
        if (r->cells[i].flags & SL_CELL_QUOTED) sl_buf_addc(out, '*');
        sl_buf_add(out, r->cells[i].p, r->cells[i].len);
    }
    for (const struct sl_issue *is = r->issues; is; is = is->next) {
        sl_buf_addf(out, " !%s", is->code);
        if (is->field) sl_buf_addf(out, "(%s)", is->field);
        if (is->value) sl_buf_addf(out, "=%.*s", (int)is->value_len, is->value);
    }
    if (r->raw) {
        sl_buf_adds(out, " raw=");
        for (size_t i = 0; i < r->raw_len; i++) /* a NUL shows as \0 */
            r->raw[i] ? sl_buf_addc(out, r->raw[i]) : sl_buf_adds(out, "\\0");
    }
    sl_buf_addc(out, '\n');
}

static void run_fmt(const struct sl_format *fmt, const char *data, size_t n,
                    const struct sl_format_opts *o, struct result *res)
{
    struct sl_error err = {0};
    struct sl_stream *in = NULL;
    struct sl_reader *r = NULL;
    struct sl_batch b;
    size_t nrows = 0;

    memset(res, 0, sizeof *res);
    sl_batch_init(&b);
    res->rc = sl_stream_open_mem(data, n, NULL, &in, &err);
    if (res->rc) goto out;
    res->rc = fmt->open(in, o, &r, &err);
    if (res->rc) goto out;
    res->d = r->dialect;
    for (size_t i = 0; i < r->labels.n; i++) {
        if (i) sl_buf_addc(&res->labels, '|');
        sl_buf_add(&res->labels, r->labels.v[i], r->labels.lens[i]);
    }
    for (;;) {
        sl_batch_reset(&b);
        int rc = fmt->next(r, &b, &err);
        if (rc < 0) {
            res->rc = rc;
            break;
        }
        if (rc == 0) break;
        res->nbatches++;
        CHECK(b.nrows > 0);
        for (size_t i = 0; i < b.nrows; i++, nrows++) {
            dump_row(&res->rows, &b.rows[i]);
            if (nrows < 16) res->raw_kinds[nrows] = b.rows[i].raw_kind;
        }
        res->out_bytes = b.out_bytes;
    }
    res->records = r->records;
    res->lines = r->lines;
    res->utf8_invalid = r->utf8_invalid;
    res->utf8_multibyte = r->utf8_multibyte;
out:
    if (res->rc) fprintf(stderr, "  error: %s\n", err.msg);
    if (r) fmt->close(r);
    sl_stream_close(in);
    sl_batch_free(&b);
}

static void run(const char *data, const struct sl_format_opts *o, struct result *res)
{
    struct sl_format_opts d;
    if (!o) opts_default(&d);
    run_fmt(&sl_format_csv, data, strlen(data), o ? o : &d, res);
}

static void result_free(struct result *res)
{
    sl_buf_free(&res->rows);
    sl_buf_free(&res->labels);
}

#define CHECK_ROWS(res, s)   CHECK_STR(sl_buf_str(&(res).rows), s)
#define CHECK_LABELS(res, s) CHECK_STR(sl_buf_str(&(res).labels), s)

/* ---- sniffing -------------------------------------------------------------------------- */

TEST(csv_sniff_comma_with_header)
{
    struct result res;
    run("a,b,c\n1,2,3\n4,5,6\n", NULL, &res);
    CHECK_INT(res.rc, 0);
    CHECK_INT(res.d.delimiter, ',');
    CHECK_INT(res.d.quote, '"');
    CHECK_INT(res.d.header, 1);
    CHECK_INT(res.d.encoding, SL_ENC_UTF8);
    CHECK_INT(res.d.bom, 0);
    CHECK_STR(res.d.newline, "\n");
    CHECK_LABELS(res, "a|b|c");
    CHECK_ROWS(res, "1:2:6:0:1|2|3\n2:3:12:0:4|5|6\n");
    CHECK_INT(res.records, 2);
    CHECK_INT(res.lines, 3);
    CHECK_INT(res.out_bytes, 18);
    result_free(&res);
}

TEST(csv_sniff_semicolon_with_decimal_commas)
{
    struct result res;
    run("name;price;qty\nfoo;1,5;3\nbar;2,25;4\nbaz;3;5\n", NULL, &res);
    CHECK_INT(res.d.delimiter, ';');
    CHECK_INT(res.d.header, 1);
    CHECK_LABELS(res, "name|price|qty");
    CHECK_ROWS(res, "1:2:15:0:foo|1,5|3\n2:3:25:0:bar|2,25|4\n3:4:36:0:baz|3|5\n");
    result_free(&res);
}

TEST(csv_sniff_tab_and_pipe)
{
    struct result res;
    run("x\ty\n1\t2\n", NULL, &res);
    CHECK_INT(res.d.delimiter, '\t');
    CHECK_LABELS(res, "x|y");
    CHECK_ROWS(res, "1:2:4:0:1|2\n");
    result_free(&res);

    run("x|y|z\n1|a,b|3\n4|c|6\n", NULL, &res);
    CHECK_INT(res.d.delimiter, '|');
    CHECK_ROWS(res, "1:2:6:0:1|a,b|3\n2:3:14:0:4|c|6\n");
    result_free(&res);

    /* one column: ',' */
    run("name\nalpha\nbeta\n", NULL, &res);
    CHECK_INT(res.d.delimiter, ',');
    CHECK_LABELS(res, "name");
    CHECK_ROWS(res, "1:2:5:0:alpha\n2:3:11:0:beta\n");
    result_free(&res);
}

/* One column of timestamps, dates or times: no delimiter splits them (issue 14). */
TEST(csv_sniff_single_column_of_times)
{
    struct result res;
    run("ts\n2026-01-01T10:00:00\n2026-01-01T11:00:00\n2026-01-02 12:30:00\n", NULL, &res);
    CHECK_INT(res.d.delimiter, ',');
    CHECK_INT(res.d.header, 1);
    CHECK_LABELS(res, "ts");
    CHECK_ROWS(res, "1:2:3:0:2026-01-01T10:00:00\n2:3:23:0:2026-01-01T11:00:00\n"
                    "3:4:43:0:2026-01-02 12:30:00\n");
    result_free(&res);

    /* no header: the values themselves are times, so ':' is not a delimiter */
    run("10:00:00\n11:00:00\n12:30:00\n", NULL, &res);
    CHECK_INT(res.d.delimiter, ',');
    CHECK_INT(res.d.header, 0);
    CHECK_LABELS(res, "field_1");
    CHECK_ROWS(res, "1:1:0:0:10:00:00\n2:2:9:0:11:00:00\n3:3:18:0:12:30:00\n");
    result_free(&res);

    run("01/11/2026 10:00\n02/11/2026 9:30 pm\n", NULL, &res);
    CHECK_INT(res.d.delimiter, ',');
    CHECK_LABELS(res, "field_1");
    result_free(&res);

    /* a header without the delimiter is the header of one column */
    run("when\n10:00\n11:15\n", NULL, &res);
    CHECK_INT(res.d.delimiter, ',');
    CHECK_LABELS(res, "when");
    CHECK_ROWS(res, "1:2:5:0:10:00\n2:3:11:0:11:15\n");
    result_free(&res);

    /* but ':' separating a header and its rows is still a delimiter */
    run("user:uid:shell\nroot:0:/bin/sh\nbin:1:/bin/false\n", NULL, &res);
    CHECK_INT(res.d.delimiter, ':');
    CHECK_LABELS(res, "user|uid|shell");
    result_free(&res);

    /* and times under a header of names split the same way are three columns */
    run("h:m:s\n10:00:00\n11:00:00\n", NULL, &res);
    CHECK_INT(res.d.delimiter, ':');
    CHECK_LABELS(res, "h|m|s");
    result_free(&res);

    /* the same class: a column of URLs (ports too) or Windows paths is one column (with
     * nothing typed to tell, its first line is taken as the header, as for any strings) */
    run("http://a.org/x\nhttps://b.org:8443/y\nhttp://c.org/z\n", NULL, &res);
    CHECK_INT(res.d.delimiter, ',');
    CHECK_LABELS(res, "http://a.org/x");
    CHECK_ROWS(res, "1:2:15:0:https://b.org:8443/y\n2:3:36:0:http://c.org/z\n");
    result_free(&res);
    run("C:\\data\\a.csv\nD:/b.csv\nC:\\c.csv\n", NULL, &res);
    CHECK_INT(res.d.delimiter, ',');
    CHECK_LABELS(res, "C:\\data\\a.csv");
    result_free(&res);
    /* but ':' separating names from values that are URLs is a delimiter */
    run("name:url\na:http\nb:https\n", NULL, &res);
    CHECK_INT(res.d.delimiter, ':');
    CHECK_LABELS(res, "name|url");
    result_free(&res);
}

/* A delimiter must split the header like the rows when another one does. */
TEST(csv_sniff_delimiter_consistent_with_header)
{
    struct result res;
    /* ';' splits header and rows alike; ',' only the rows (decimal commas) */
    run("name;price\na;1,5\nb;2,5\nc;3,5\n", NULL, &res);
    CHECK_INT(res.d.delimiter, ';');
    result_free(&res);
    /* a single column of values holding commas, under a one-word header */
    run("label\n\"a, b\"\nc|d\ne|f\n", NULL, &res);
    CHECK_LABELS(res, "label");
    CHECK_ROWS(res, "1:2:6:0:*a, b\n2:3:13:0:c|d\n3:4:17:0:e|f\n");
    result_free(&res);
    /* R's write.csv: the header lacks the row-name column; still ',' */
    run("\"x\",\"y\"\n\"1\",1,2\n\"2\",3,4\n", NULL, &res);
    CHECK_INT(res.d.delimiter, ',');
    result_free(&res);
}

/* Instrument exports: a header aligned with spaces over rows separated by tabs (issue 14). */
TEST(csv_sniff_header_aligned_with_spaces)
{
    struct result res;
    run("time                 temp  hum\n2026-01-01T00:00:00\t21.5\t40\n"
        "2026-01-01T00:10:00\t21.4\t41\n",
        NULL, &res);
    CHECK_INT(res.d.delimiter, '\t');
    CHECK_INT(res.d.header, 1);
    CHECK_STR(res.d.header_split, "blanks");
    CHECK_LABELS(res, "time|temp|hum");
    CHECK_ROWS(res, "1:2:31:0:2026-01-01T00:00:00|21.5|40\n2:3:59:0:2026-01-01T00:10:00|21.4|41\n");
    result_free(&res);

    /* names with one space in them: split at two spaces or more */
    run("Time stamp   Temp C  \"Humidity %\"\n2026-01-01\t21.5\t40\n", NULL, &res);
    CHECK_STR(res.d.header_split, "two-spaces");
    CHECK_LABELS(res, "Time stamp|Temp C|Humidity %");
    CHECK_ROWS(res, "1:2:34:0:2026-01-01|21.5|40\n");
    result_free(&res);

    /* as TSV too (.tsv, --format tsv) */
    struct sl_format_opts o;
    opts_default(&o);
    const char *in = "a b c\n1\t2\t3\n";
    run_fmt(&sl_format_tsv, in, strlen(in), &o, &res);
    CHECK_LABELS(res, "a|b|c");
    CHECK_ROWS(res, "1:2:6:0:1|2|3\n");
    CHECK(res.d.header_split != NULL);
    result_free(&res);

    /* names that cannot be matched to the rows: read as before, with a hint for the user */
    struct sl_error err = {0};
    struct sl_stream *st = NULL;
    struct sl_reader *r = NULL;
    in = "time temp\n1\t2\t3\n4\t5\t6\n";
    CHECK_INT(sl_stream_open_mem(in, strlen(in), NULL, &st, &err), 0);
    CHECK_INT(sl_format_csv.open(st, &o, &r, &err), 0);
    CHECK_INT(r->dialect.delimiter, '\t');
    CHECK(r->dialect.header_split == NULL);
    CHECK_STR(r->hint, "the header has 1 column but the rows have 3, separated by tabs: is the "
                       "header separated differently (spaces?) or missing?");
    sl_format_csv.close(r);
    sl_stream_close(st);

    /* names in Latin-1 are made UTF-8 like any header */
    in = "Temp\xe9rature  Humidit\xe9\n1\t2\n";
    run_fmt(&sl_format_tsv, in, strlen(in), &o, &res);
    CHECK_LABELS(res, "Temp\xc3\xa9rature|Humidit\xc3\xa9");
    result_free(&res);

    /* and their number is bounded like any header's (max_columns) */
    o.max_columns = 2;
    in = "a b c\n1\t2\t3\n";
    run_fmt(&sl_format_tsv, in, strlen(in), &o, &res);
    CHECK_INT(res.rc, SL_ELIMIT);
    result_free(&res);
    o.max_columns = 0;

    /* one column whose values hold a tab now and then: not tab-separated */
    opts_default(&o);
    in = "notes\nfoo\tbar\nbaz\nqux\n";
    run_fmt(&sl_format_csv, in, strlen(in), &o, &res);
    CHECK_INT(res.d.delimiter, ',');
    CHECK_LABELS(res, "notes");
    result_free(&res);

    /* --no-header: no names to split */
    o.header = 0;
    in = "a b c\n1\t2\t3\n";
    run_fmt(&sl_format_tsv, in, strlen(in), &o, &res);
    CHECK_LABELS(res, "field_1|field_2|field_3");
    result_free(&res);
}

TEST(csv_tsv_format)
{
    struct result res;
    struct sl_format_opts o;
    const char *in = "a,b\tc\n1,2\t3\n";
    opts_default(&o);
    run_fmt(&sl_format_tsv, in, strlen(in), &o, &res);
    CHECK_INT(res.d.delimiter, '\t');
    CHECK_LABELS(res, "a,b|c");
    CHECK_ROWS(res, "1:2:6:0:1,2|3\n");
    result_free(&res);

    /* an explicit delimiter wins */
    o.delimiter = ',';
    run_fmt(&sl_format_tsv, in, strlen(in), &o, &res);
    CHECK_INT(res.d.delimiter, ',');
    CHECK_LABELS(res, "a|b\tc");
    result_free(&res);
}

TEST(csv_sniff_single_quote)
{
    struct result res;
    run("'a','b'\n'x,1','2'\n'y','3'\n", NULL, &res);
    CHECK_INT(res.d.quote, '\'');
    CHECK_INT(res.d.delimiter, ',');
    CHECK_LABELS(res, "a|b");
    CHECK_ROWS(res, "1:2:8:0:*x,1|*2\n2:3:18:0:*y|*3\n");
    result_free(&res);

    /* quote 0: quotes are literal */
    struct sl_format_opts o;
    opts_default(&o);
    o.quote = 0;
    run("a,b\n\"x,y\n", &o, &res);
    CHECK_INT(res.d.quote, 0);
    CHECK_ROWS(res, "1:2:4:0:\"x|y\n");
    result_free(&res);
}

TEST(csv_sniff_header_no)
{
    struct result res;
    run("1,2,3\n4,5,6\n", NULL, &res);
    CHECK_INT(res.d.header, 0);
    CHECK_LABELS(res, "field_1|field_2|field_3");
    CHECK_ROWS(res, "1:1:0:0:1|2|3\n2:2:6:0:4|5|6\n");
    result_free(&res);

    run("2026-01-01,LAS,x\n2026-01-02,SFO,y\n", NULL, &res);
    CHECK_INT(res.d.header, 0);
    result_free(&res);

    run("1.5,true\n2,false\n", NULL, &res);
    CHECK_INT(res.d.header, 0);
    result_free(&res);

    /* the widest row of the head names the columns */
    struct sl_format_opts o;
    opts_default(&o);
    o.header = 0;
    run("a,b\nc,d,e\n", &o, &res);
    CHECK_LABELS(res, "field_1|field_2|field_3");
    CHECK_ROWS(res, "1:1:0:2:a|b !missing-cell(field_3)\n2:2:4:0:c|d|e\n");
    result_free(&res);
}

TEST(csv_sniff_header_yes)
{
    struct result res;
    run("id,when,ok\n1,2026-01-01,true\n2,2026-01-02,false\n", NULL, &res);
    CHECK_INT(res.d.header, 1);
    result_free(&res);

    /* undecided (all text): header */
    run("a,b\nc,d\n", NULL, &res);
    CHECK_INT(res.d.header, 1);
    CHECK_ROWS(res, "1:2:4:0:c|d\n");
    result_free(&res);

    /* empty names and repeats are kept as they are */
    run("x,,x\n1,2,3\n", NULL, &res);
    CHECK_INT(res.d.header, 1);
    CHECK_LABELS(res, "x||x");
    result_free(&res);

    /* forced */
    struct sl_format_opts o;
    opts_default(&o);
    o.header = 1;
    run("1,2\n3,4\n", &o, &res);
    CHECK_LABELS(res, "1|2");
    CHECK_ROWS(res, "1:2:4:0:3|4\n");
    result_free(&res);
}

TEST(csv_bom_and_offsets)
{
    struct result res;
    run("\xef\xbb\xbf"
        "a,b\n1,2\n",
        NULL, &res);
    CHECK_INT(res.d.bom, 1);
    CHECK_INT(res.d.encoding, SL_ENC_UTF8);
    CHECK_LABELS(res, "a|b");
    CHECK_ROWS(res, "1:2:7:0:1|2\n");
    CHECK_INT(res.out_bytes, 11);
    result_free(&res);
}

TEST(csv_newlines_crlf_and_cr)
{
    struct result res;
    run("a,b\r\n1,2\r\n3,4\r\n", NULL, &res);
    CHECK_STR(res.d.newline, "\r\n");
    CHECK_ROWS(res, "1:2:5:0:1|2\n2:3:10:0:3|4\n");
    CHECK_INT(res.lines, 3);
    result_free(&res);

    run("a,b\r1,2\r3,4", NULL, &res);
    CHECK_STR(res.d.newline, "\r");
    CHECK_ROWS(res, "1:2:4:0:1|2\n2:3:8:0:3|4\n");
    CHECK_INT(res.lines, 3);
    result_free(&res);
}

TEST(csv_latin1_and_cp1252)
{
    struct result res;
    run("caf\xe9,name\n1,Jos\xe9\n", NULL, &res);
    CHECK_INT(res.d.encoding, SL_ENC_LATIN1);
    CHECK_LABELS(res, "caf\xc3\xa9|name");
    CHECK_ROWS(res, "1:2:10:0:1|Jos\xc3\xa9\n");
    result_free(&res);

    run("item,price\nbook,\x80 5\n", NULL, &res);
    CHECK_INT(res.d.encoding, SL_ENC_CP1252);
    CHECK_ROWS(res, "1:2:11:0:book|\xe2\x82\xac 5\n");
    result_free(&res);

    /* one valid multi-byte sequence: UTF-8, the bad record is an error */
    struct sl_format_opts o;
    opts_default(&o);
    o.want_raw = 1;
    run("a,b\n1,caf\xc3\xa9\n2,\xff\xfe\n3,x\n", &o, &res);
    CHECK_INT(res.d.encoding, SL_ENC_UTF8);
    CHECK_ROWS(res, "1:2:4:0:1|caf\xc3\xa9 raw=[\"1\",\"caf\xc3\xa9\"]\n"
                    "2:3:12:2: !encoding-error raw=2,\xff\xfe\n"
                    "3:4:17:0:3|x raw=[\"3\",\"x\"]\n");
    CHECK_INT(res.raw_kinds[1], SL_RAW_BYTES);
    CHECK_INT(res.utf8_invalid, 1);
    CHECK_INT(res.utf8_multibyte, 1);
    result_free(&res);

    /* encoding given */
    o.want_raw = 0;
    o.encoding = SL_ENC_CP1252;
    run("a\n\x80\n", &o, &res);
    CHECK_ROWS(res, "1:2:2:0:\xe2\x82\xac\n");
    result_free(&res);
}

/* ---- parsing --------------------------------------------------------------------------- */

TEST(csv_quoted_fields)
{
    struct result res;
    run("a,b\n\"x,y\",\"he said \"\"hi\"\"\"\n\"multi\nline\",z\n\"\",\"q\"\n", NULL, &res);
    CHECK_ROWS(res, "1:2:4:0:*x,y|*he said \"hi\"\n"
                    "2:3:27:0:*multi\nline|z\n"
                    "3:5:42:0:*|*q\n");
    CHECK_INT(res.lines, 5);
    result_free(&res);

    /* a quote inside an unquoted field is a literal; text after a closing quote is kept */
    run("a,b\nx\"y,\"ab\"cd\n", NULL, &res);
    CHECK_ROWS(res, "1:2:4:1:x\"y|*abcd !format-error(b)=abcd\n");
    result_free(&res);
}

TEST(csv_line_numbers_across_quoted_newlines)
{
    struct result res;
    run("id,note\n1,\"a\nb\r\nc\rd\"\n2,x\r\n3,\"\n\"\n4,y", NULL, &res);
    CHECK_ROWS(res, "1:2:8:0:1|*a\nb\r\nc\rd\n"
                    "2:6:21:0:2|x\n"
                    "3:7:26:0:3|*\n\n"
                    "4:9:32:0:4|y\n");
    CHECK_INT(res.lines, 9);
    result_free(&res);
}

TEST(csv_ragged_rows)
{
    struct result res;
    struct sl_format_opts o;
    opts_default(&o);
    o.want_raw = 1;
    run("a,b,c\n1,2\n1,2,3,4,\"5\"\"\"\n7,8,9\n", &o, &res);
    CHECK_ROWS(res, "1:2:6:2:1|2 !missing-cell(c) raw=1,2\n"
                    "2:3:10:2:1|2|3|4|*5\" !extra-cell=4 !extra-cell=5\" raw=1,2,3,4,\"5\"\"\"\n"
                    "3:4:24:0:7|8|9 raw=[\"7\",\"8\",\"9\"]\n");
    CHECK_INT(res.raw_kinds[0], SL_RAW_TEXT);
    CHECK_INT(res.raw_kinds[2], SL_RAW_JSON);
    result_free(&res);
}

TEST(csv_blank_rows)
{
    struct result res;
    run("a,b\n1,2\n\n,\n\"\",\n3,4\n", NULL, &res);
    CHECK_ROWS(res, "1:2:4:0:1|2\n"
                    "2:3:8:2: !blank-row\n"
                    "3:4:9:2:| !blank-row\n"
                    "4:5:11:0:*|\n"
                    "5:6:15:0:3|4\n");
    result_free(&res);

    /* a quoted empty cell on its own line is a value (one empty string), not a blank row */
    run("name\n\"\"\nbob\n\n", NULL, &res);
    CHECK_ROWS(res, "1:2:5:0:*\n2:3:8:0:bob\n3:4:12:2: !blank-row\n");
    result_free(&res);

    /* the final newline is not a blank row */
    run("a\n1\n", NULL, &res);
    CHECK_ROWS(res, "1:2:2:0:1\n");
    result_free(&res);
}

TEST(csv_unterminated_quote_recovers)
{
    struct result res;
    struct sl_format_opts o;
    opts_default(&o);
    o.want_raw = 1;
    run("a,b\n1,2\n3,\"oops\n5,6\n7,8\n", &o, &res);
    CHECK_ROWS(res, "1:2:4:0:1|2 raw=[\"1\",\"2\"]\n"
                    "2:3:8:2: !format-error raw=3,\"oops\n"
                    "3:4:16:0:5|6 raw=[\"5\",\"6\"]\n"
                    "4:5:20:0:7|8 raw=[\"7\",\"8\"]\n");
    CHECK_INT(res.raw_kinds[1], SL_RAW_TEXT);
    CHECK_INT(res.lines, 5);
    result_free(&res);
}

TEST(csv_nul_byte)
{
    struct result res;
    struct sl_format_opts o;
    opts_default(&o);
    o.want_raw = 1;
    static const char in[] = "a,b\n1,x\0y\n2,z\n";
    run_fmt(&sl_format_csv, in, sizeof in - 1, &o, &res);
    CHECK_INT(res.raw_kinds[0], SL_RAW_BYTES);
    CHECK_ROWS(res, "1:2:4:2: !encoding-error raw=1,x\\0y\n2:3:10:0:2|z raw=[\"2\",\"z\"]\n");
    result_free(&res);
}

TEST(csv_raw_json)
{
    struct result res;
    struct sl_format_opts o;
    opts_default(&o);
    o.want_raw = 1;
    run("when,n,code\n2001-01-01 00:01:00,33,LAS\n\"say \"\"hi\"\"\",back\\slash,\"t\tab\"\n", &o,
        &res);
    CHECK_ROWS(res, "1:2:12:0:2001-01-01 00:01:00|33|LAS raw=[\"2001-01-01 00:01:00\",\"33\","
                    "\"LAS\"]\n"
                    "2:3:39:0:*say \"hi\"|back\\slash|*t\tab raw=[\"say \\\"hi\\\"\","
                    "\"back\\\\slash\",\"t\\tab\"]\n");
    CHECK_INT(res.raw_kinds[0], SL_RAW_JSON);
    result_free(&res);

    /* without want_raw, no raw */
    run("a\n1\n", NULL, &res);
    CHECK_ROWS(res, "1:2:2:0:1\n");
    result_free(&res);
}

TEST(csv_max_record)
{
    struct result res;
    struct sl_format_opts o;
    opts_default(&o);
    o.want_raw = 1;
    o.max_record = 16;
    const char *in = "a,b\n1,2\n3,\"0123456789\n0123456789\",x\n5,6\n";
    for (size_t chunk = 0; chunk <= 64; chunk += 4) {
        o.chunk = chunk;
        run(in, &o, &res);
        CHECK_ROWS(res, "1:2:4:0:1|2 raw=[\"1\",\"2\"]\n"
                        "2:3:8:2: !format-error raw=3,\"0123456789\n01\n"
                        "3:5:36:0:5|6 raw=[\"5\",\"6\"]\n");
        CHECK_INT(res.lines, 5);
        result_free(&res);
    }
}

/* A stray quote followed by more than max_record bytes: the same rows whatever the chunk. */
TEST(csv_max_record_unterminated)
{
    struct result big, small;
    struct sl_format_opts o;
    const char *in = "a,b\n1,2\n3,\"open\n4,5\n6,7\n8,9\n10,11\n";
    opts_default(&o);
    o.want_raw = 1;
    o.max_record = 16;
    o.chunk = 1 << 20;
    run(in, &o, &big);
    CHECK_ROWS(big, "1:2:4:0:1|2 raw=[\"1\",\"2\"]\n"
                    "2:3:8:2: !format-error raw=3,\"open\n4,5\n6,7\n\n");
    CHECK_INT(big.lines, 8);
    for (size_t chunk = 1; chunk < 20; chunk++) {
        o.chunk = chunk;
        run(in, &o, &small);
        CHECK_STR(sl_buf_str(&small.rows), sl_buf_str(&big.rows));
        CHECK_INT(small.lines, big.lines);
        result_free(&small);
    }
    result_free(&big);

    /* under the limit, parsing resumes after the first line of the broken record */
    o.max_record = 0;
    o.chunk = 3;
    run(in, &o, &big);
    CHECK(strstr(sl_buf_str(&big.rows), "6:7:28:0:10|11") != NULL);
    result_free(&big);
}

/* Any chunk size gives exactly the rows of one big read. */
TEST(csv_chunk_sizes_agree)
{
    static const char in[] = "\xef\xbb\xbfid,\"na\"\"me\",note\r\n"
                             "1,\"a,b\",\"multi\r\nline\"\r\n"
                             "2,plain,x\"y\r\n"
                             "\r\n"
                             "3,\"q\"\"\",\"end\"tail\r\n"
                             "4,short\r\n"
                             "5,a,b,c\n"
                             "6,caf\xc3\xa9,\xe2\x82\xac\r"
                             "7,\"\",\"\"\"\"\n"
                             "8,bad\xff,z\n"
                             ",,\n"
                             "9,\"open\n"
                             "10,last,row";
    struct sl_format_opts o;
    struct result big, small;

    opts_default(&o);
    o.want_raw = 1;
    o.chunk = 1 << 20;
    run_fmt(&sl_format_csv, in, sizeof in - 1, &o, &big);
    CHECK_INT(big.rc, 0);
    CHECK_INT(big.records, 12);
    CHECK_LABELS(big, "id|na\"me|note");
    static const size_t chunks[] = {1, 2, 3, 7, 11, 64};
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
        o.chunk = chunks[i];
        run_fmt(&sl_format_csv, in, sizeof in - 1, &o, &small);
        CHECK_INT(small.rc, 0);
        CHECK_STR(sl_buf_str(&small.rows), sl_buf_str(&big.rows));
        CHECK_INT(small.lines, big.lines);
        CHECK_INT(small.out_bytes, big.out_bytes);
        CHECK_INT(small.utf8_invalid, 1);
        CHECK_INT(small.utf8_multibyte, 1);
        if (chunks[i] < 8) CHECK(small.nbatches > 3);
        result_free(&small);
    }
    result_free(&big);
}

TEST(csv_empty_input)
{
    struct result res;
    run("", NULL, &res);
    CHECK_INT(res.rc, 0);
    CHECK_ROWS(res, "");
    CHECK_LABELS(res, "");
    result_free(&res);

    run("a,b\n", NULL, &res);
    CHECK_LABELS(res, "a|b");
    CHECK_ROWS(res, "");
    CHECK_INT(res.records, 0);
    result_free(&res);
}

TEST(csv_sniff_scores)
{
    const char *csv = "a,b,c\n1,2,3\n";
    const char *tsv = "a\tb\tc\n1\t2\t3\n";
    CHECK(sl_format_csv.sniff(csv, strlen(csv)) > sl_format_tsv.sniff(csv, strlen(csv)));
    CHECK(sl_format_tsv.sniff(tsv, strlen(tsv)) > sl_format_csv.sniff(tsv, strlen(tsv)));
    CHECK(sl_format_csv.sniff("{\"a\":1}\n", 8) < 10);
}

/* ---- the format registry ---------------------------------------------------------------- */

TEST(format_find_and_names)
{
    CHECK(sl_format_find("csv") == &sl_format_csv);
    CHECK(sl_format_find("tsv") == &sl_format_tsv);
    CHECK(sl_format_find("ndjson") == &sl_format_ndjson);
    CHECK(sl_format_find("jsonl") == &sl_format_ndjson);
    CHECK(sl_format_find("json") == &sl_format_json);
    CHECK(sl_format_find("xlsx") == NULL);
    CHECK(sl_format_find(NULL) == NULL);
    CHECK_STR(sl_format_names(), "csv, tsv, ndjson, json");
}

TEST(format_opts_init)
{
    struct sl_format_opts o;
    memset(&o, 0x5a, sizeof o);
    sl_format_opts_init(&o);
    CHECK_INT(o.delimiter, 0);
    CHECK_INT(o.quote, -1);
    CHECK_INT(o.header, -1);
    CHECK_INT(o.encoding, SL_ENC_AUTO);
    CHECK_INT(o.max_record, 0);
    CHECK_INT(o.chunk, 0);
    CHECK_INT(o.want_raw, 0);
}

TEST(format_detect)
{
    const char *csv = "a,b\n1,2\n", *tsv = "a\tb\n1\t2\n";
    const char *nd = "{\"a\":1}\n{\"a\":2}\n", *doc = "[{\"a\":1},\n {\"a\":2}]\n";

    /* the extension first, under compression extensions */
    CHECK(sl_format_detect("x.csv", tsv, strlen(tsv)) == &sl_format_csv);
    CHECK(sl_format_detect("dir.v2/x.CSV.gz", NULL, 0) == &sl_format_csv);
    CHECK(sl_format_detect("x.tsv.zst", NULL, 0) == &sl_format_tsv);
    CHECK(sl_format_detect("x.tab", NULL, 0) == &sl_format_tsv);
    CHECK(sl_format_detect("x.jsonl.zstd", NULL, 0) == &sl_format_ndjson);
    CHECK(sl_format_detect("x.ndjson", NULL, 0) == &sl_format_ndjson);
    /* JSON by its content whatever the extension */
    CHECK(sl_format_detect("x.txt", nd, strlen(nd)) == &sl_format_ndjson);
    CHECK(sl_format_detect("x.log", nd, strlen(nd)) == &sl_format_ndjson);
    CHECK(sl_format_detect("x.csv.gz", nd, strlen(nd)) == &sl_format_ndjson);
    CHECK(sl_format_detect("x.txt", doc, strlen(doc)) == &sl_format_json);
    CHECK(sl_format_detect("x.csv", "{\n  \"a\": [1]\n}\n", 16) == &sl_format_json);
    CHECK(sl_format_detect("x.csv", "{a},{b}\n1,2\n", 12) == &sl_format_csv);
    CHECK(sl_format_detect("x.csv", "[a],[b]\n1,2\n", 12) == &sl_format_csv);
    CHECK(sl_format_detect("x.ndjson", doc, strlen(doc)) == &sl_format_ndjson);
    /* .json: sniffed between JSON and NDJSON */
    CHECK(sl_format_detect("x.json", nd, strlen(nd)) == &sl_format_ndjson);
    CHECK(sl_format_detect("x.json", doc, strlen(doc)) == &sl_format_json);
    /* no known extension: sniffing */
    CHECK(sl_format_detect("data", csv, strlen(csv)) == &sl_format_csv);
    CHECK(sl_format_detect("data.dat", tsv, strlen(tsv)) == &sl_format_tsv);
    CHECK(sl_format_detect("-", nd, strlen(nd)) == &sl_format_ndjson);
    CHECK(sl_format_detect(NULL, doc, strlen(doc)) == &sl_format_json);
    CHECK(sl_format_detect(NULL, "", 0) == &sl_format_csv);
}

TEST(format_encoding_names)
{
    CHECK_STR(sl_encoding_name(SL_ENC_UTF8), "utf-8");
    CHECK_STR(sl_encoding_name(SL_ENC_LATIN1), "latin1");
    CHECK_STR(sl_encoding_name(SL_ENC_CP1252), "windows-1252");
    CHECK_INT(sl_encoding_parse("UTF-8"), SL_ENC_UTF8);
    CHECK_INT(sl_encoding_parse("utf8"), SL_ENC_UTF8);
    CHECK_INT(sl_encoding_parse("latin1"), SL_ENC_LATIN1);
    CHECK_INT(sl_encoding_parse("Latin-1"), SL_ENC_LATIN1);
    CHECK_INT(sl_encoding_parse("iso-8859-1"), SL_ENC_LATIN1);
    CHECK_INT(sl_encoding_parse("windows-1252"), SL_ENC_CP1252);
    CHECK_INT(sl_encoding_parse("cp1252"), SL_ENC_CP1252);
    CHECK_INT(sl_encoding_parse("ebcdic"), -1);
}

/* A header longer than the sniffer's 64 KiB head (30 000 columns): it was read as a record of
 * no columns and every column was dropped; now the head grows until the first line is whole. */
TEST(csv_header_longer_than_the_head)
{
    struct sl_buf in = SL_BUF_INIT;
    struct sl_format_opts o;
    struct result res;
    const size_t ncol = 30000;

    for (size_t i = 0; i < ncol; i++) sl_buf_addf(&in, "%scolumn_%zu", i ? "," : "", i);
    sl_buf_addc(&in, '\n');
    for (size_t i = 0; i < ncol; i++) sl_buf_addf(&in, "%s%zu", i ? "," : "", i);
    sl_buf_addc(&in, '\n');
    CHECK(in.len > 2 * (64u << 10));
    opts_default(&o);
    o.max_columns = ncol; /* over the default limit: this test is about the head */
    run_fmt(&sl_format_csv, in.p, in.len, &o, &res);
    CHECK_INT(res.rc, 0);
    CHECK_INT(res.d.header, 1);
    CHECK_INT(res.d.delimiter, ',');
    CHECK_INT(res.records, 1);
    CHECK(!strncmp(sl_buf_str(&res.labels), "column_0|column_1|", 18));
    CHECK(strstr(sl_buf_str(&res.labels), "|column_29999") != NULL);
    result_free(&res);
    sl_buf_free(&in);
}
