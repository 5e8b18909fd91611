/* Unit tests: byte streams (files, stdin, gzip, zstd, UTF-16, limits, SHA-256) and paths. */
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "sluice/outfile.h"
#include "sluice/sluice.h"
#include "unit.h"

/* ---- helpers --------------------------------------------------------------------------- */

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)st;
    (void)flag;
    (void)f;
    return remove(p);
}

static char *tmp_dir(void)
{
    const char *t = getenv("TMPDIR");
    char *d = sl_xasprintf("%s/sluice-test-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(d)) abort();
    return d;
}

static void tmp_done(char *d)
{
    nftw(d, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(d);
}

/* Writes a file dir/name; returns its path (caller frees). */
static char *put(const char *dir, const char *name, const void *p, size_t n)
{
    char *path = sl_xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (n && fwrite(p, 1, n, f) != n) abort();
    fclose(f);
    return path;
}

/* gzip of p[0..n) as one member (what `gzip` writes). */
static void gz(struct sl_buf *out, const void *p, size_t n)
{
    z_stream z = {0};
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) abort();
    size_t cap = deflateBound(&z, n);
    sl_buf_grow(out, cap);
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out->p + out->len;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END) abort();
    out->len += cap - z.avail_out;
    deflateEnd(&z);
}

static void zst(struct sl_buf *out, const void *p, size_t n)
{
    size_t cap = ZSTD_compressBound(n);
    sl_buf_grow(out, cap);
    size_t k = ZSTD_compress(out->p + out->len, cap, p, n, 3);
    if (ZSTD_isError(k)) abort();
    out->len += k;
}

/* Some CSV-ish text bigger than the stream's internal buffers. */
static void sample(struct sl_buf *b, int rows)
{
    for (int i = 0; i < rows; i++)
        sl_buf_addf(b, "%d,sensor-%d,%d.%02d\n", i, i % 7, i % 97, i % 100);
}

/* Reads the whole stream chunk bytes at a time; returns the last read's result. */
static ssize_t slurp(struct sl_stream *s, struct sl_buf *out, size_t chunk, struct sl_error *err)
{
    char *buf = sl_xmalloc(chunk);
    ssize_t r;
    while ((r = sl_stream_read(s, buf, chunk, err)) > 0) sl_buf_add(out, buf, (size_t)r);
    free(buf);
    return r;
}

static int same(const struct sl_buf *a, const struct sl_buf *b)
{
    return a->len == b->len && (a->len == 0 || !memcmp(a->p, b->p, a->len));
}

/* ---- streams --------------------------------------------------------------------------- */

TEST(stream_sha256_known_values)
{
    char hex[65];
    sl_sha256_hex("abc", 3, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sl_sha256_hex("", 0, hex);
    CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    char *d = tmp_dir(), *p = put(d, "abc.txt", "abc", 3);
    struct sl_error err = {0};
    CHECK_INT(sl_sha256_file(p, hex, &err), 0);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    char *missing = sl_xasprintf("%s/nope", d);
    CHECK_INT(sl_sha256_file(missing, hex, &err), SL_EIO);
    CHECK(strstr(err.msg, "No such file or directory") != NULL);
    free(missing);
    free(p);
    tmp_done(d);
}

TEST(stream_plain_file)
{
    char *d = tmp_dir();
    struct sl_buf data = SL_BUF_INIT, got = SL_BUF_INIT;
    sample(&data, 20000); /* ~400 KB: several reads */
    char *p = put(d, "plain.csv", data.p, data.len);
    struct sl_stream *s = NULL;
    struct sl_error err = {0};
    char hex[65], want[65];

    CHECK_INT(sl_stream_open(p, NULL, &s, &err), 0);
    if (s) {
        CHECK_STR(sl_stream_compression(s), "none");
        CHECK(sl_stream_transcoding(s) == NULL);
        CHECK_STR(sl_stream_label(s), p);
        CHECK_INT(sl_stream_size(s), data.len);
        CHECK_INT(slurp(s, &got, 65536, &err), 0);
        CHECK(same(&got, &data));
        CHECK_INT(sl_stream_raw_bytes(s), data.len);
        CHECK_INT(sl_stream_bytes(s), data.len);
        sl_stream_sha256(s, hex);
        sl_sha256_hex(data.p, data.len, want);
        CHECK_STR(hex, want);
        CHECK_INT(sl_stream_read(s, hex, 10, &err), 0); /* stays at the end */
        sl_stream_close(s);
    }
    sl_buf_free(&data);
    sl_buf_free(&got);
    free(p);
    tmp_done(d);
}

TEST(stream_gzip_file_and_sha_of_raw_bytes)
{
    char *d = tmp_dir();
    struct sl_buf data = SL_BUF_INIT, z = SL_BUF_INIT, got = SL_BUF_INIT;
    sample(&data, 30000);
    gz(&z, data.p, data.len);
    char *p = put(d, "data.csv.gz", z.p, z.len);
    struct sl_stream *s = NULL;
    struct sl_error err = {0};
    char hex[65], want[65];

    CHECK_INT(sl_stream_open(p, NULL, &s, &err), 0);
    if (s) {
        CHECK_STR(sl_stream_compression(s), "gzip");
        CHECK_INT(sl_stream_size(s), z.len);
        CHECK_INT(slurp(s, &got, 1000, &err), 0); /* odd chunk size: many partial inflates */
        CHECK(same(&got, &data));
        CHECK_INT(sl_stream_raw_bytes(s), z.len);
        CHECK_INT(sl_stream_bytes(s), data.len);
        sl_stream_sha256(s, hex);
        sl_sha256_hex(z.p, z.len, want); /* what sha256sum data.csv.gz prints */
        CHECK_STR(hex, want);
        /* the content's checksum is the decompressed bytes', as for the plain file */
        sl_stream_content_sha256(s, hex);
        sl_sha256_hex(data.p, data.len, want);
        CHECK_STR(hex, want);
        /* and after a rewind and a second read, the same again */
        CHECK_INT(sl_stream_rewind(s, &err), 0);
        sl_buf_reset(&got);
        CHECK_INT(slurp(s, &got, 4096, &err), 0);
        sl_stream_content_sha256(s, hex);
        CHECK_STR(hex, want);
        sl_stream_close(s);
    }
    sl_buf_free(&data);
    sl_buf_free(&z);
    sl_buf_free(&got);
    free(p);
    tmp_done(d);
}

/* check, infer and cat open their inputs with no_sha256: the same bytes, no hash (a tenth of
 * check's time), and a caller that asks anyway gets "", never a wrong checksum */
TEST(stream_no_sha256_reads_the_same_bytes)
{
    char *d = tmp_dir();
    struct sl_buf data = SL_BUF_INIT, z = SL_BUF_INIT, got = SL_BUF_INIT;
    sample(&data, 30000);
    gz(&z, data.p, data.len);
    char *p = put(d, "data.csv.gz", z.p, z.len);
    struct sl_stream_opts o = {.no_sha256 = 1};
    struct sl_stream *s = NULL;
    struct sl_error err = {0};
    char hex[65];

    CHECK_INT(sl_stream_open(p, &o, &s, &err), 0);
    if (s) {
        CHECK_STR(sl_stream_compression(s), "gzip");
        CHECK_INT(slurp(s, &got, 1000, &err), 0);
        CHECK(same(&got, &data));
        CHECK_INT(sl_stream_raw_bytes(s), z.len);
        memset(hex, 'x', sizeof hex);
        sl_stream_sha256(s, hex);
        CHECK_STR(hex, "");
        memset(hex, 'x', sizeof hex);
        sl_stream_content_sha256(s, hex);
        CHECK_STR(hex, "");
        CHECK_INT(sl_stream_rewind(s, &err), 0);
        sl_buf_reset(&got);
        CHECK_INT(slurp(s, &got, 4096, &err), 0);
        CHECK(same(&got, &data));
        sl_stream_close(s);
    }
    sl_buf_free(&data);
    sl_buf_free(&z);
    sl_buf_free(&got);
    free(p);
    tmp_done(d);
}

TEST(stream_gzip_by_magic_not_name)
{
    struct sl_buf z = SL_BUF_INIT, got = SL_BUF_INIT;
    gz(&z, "x,y\n1,2\n", 8);
    char *d = tmp_dir(), *p = put(d, "looks-plain.csv", z.p, z.len);
    struct sl_stream *s = NULL;
    struct sl_error err = {0};
    CHECK_INT(sl_stream_open(p, NULL, &s, &err), 0);
    if (s) {
        CHECK_STR(sl_stream_compression(s), "gzip");
        CHECK_INT(slurp(s, &got, 4096, &err), 0);
        CHECK_MEM(got.p, got.len, "x,y\n1,2\n");
        sl_stream_close(s);
    }
    sl_buf_free(&z);
    sl_buf_free(&got);
    free(p);
    tmp_done(d);
}

TEST(stream_gzip_concatenated_members)
{
    struct sl_buf z = SL_BUF_INIT, got = SL_BUF_INIT, data = SL_BUF_INIT;
    gz(&z, "a,b\n", 4);
    gz(&z, "1,2\n", 4);
    sample(&data, 10000);
    gz(&z, data.p, data.len);
    struct sl_stream *s = NULL;
    struct sl_error err = {0};
    CHECK_INT(sl_stream_open_mem(z.p, z.len, NULL, &s, &err), 0);
    if (s) {
        CHECK_INT(slurp(s, &got, 333, &err), 0);
        CHECK_INT(got.len, 8 + data.len);
        CHECK(got.len >= 8 && !memcmp(got.p, "a,b\n1,2\n", 8));
        CHECK(got.len == 8 + data.len && !memcmp(got.p + 8, data.p, data.len));
        CHECK_INT(sl_stream_raw_bytes(s), z.len);
        sl_stream_close(s);
    }
    sl_buf_free(&z);
    sl_buf_free(&got);
    sl_buf_free(&data);
}

TEST(stream_gzip_truncated_and_corrupt)
{
    struct sl_buf data = SL_BUF_INIT, z = SL_BUF_INIT, got = SL_BUF_INIT;
    sample(&data, 20000);
    gz(&z, data.p, data.len);
    char *d = tmp_dir();
    char *p = put(d, "cut.csv.gz", z.p, z.len / 2);
    struct sl_stream *s = NULL;
    struct sl_error err = {0};

    CHECK_INT(sl_stream_open(p, NULL, &s, &err), 0);
    if (s) {
        CHECK_INT(slurp(s, &got, 4096, &err), SL_EFORMAT);
        CHECK(strstr(err.msg, "truncated") != NULL);
        CHECK(strstr(err.msg, p) != NULL);
        /* a failed stream keeps failing */
        char c;
        CHECK_INT(sl_stream_read(s, &c, 1, &err), SL_EFORMAT);
        sl_stream_close(s);
    }
    /* only the 8-byte trailer missing: all data but no end of member */
    s = NULL;
    sl_buf_reset(&got);
    CHECK_INT(sl_stream_open_mem(z.p, z.len - 8, NULL, &s, &err), 0);
    if (s) {
        CHECK_INT(slurp(s, &got, 4096, &err), SL_EFORMAT);
        CHECK(strstr(err.msg, "unexpected end of gzip data (truncated file?)") != NULL);
        sl_stream_close(s);
    }
    /* damaged in the middle */
    for (size_t i = z.len / 3; i < z.len / 3 + 64; i++) z.p[i] ^= 0x5a;
    s = NULL;
    sl_buf_reset(&got);
    memset(&err, 0, sizeof err);
    CHECK_INT(sl_stream_open_mem(z.p, z.len, NULL, &s, &err), 0);
    if (s) {
        CHECK_INT(slurp(s, &got, 4096, &err), SL_EFORMAT);
        CHECK(strstr(err.msg, "memory: gzip data is corrupt: ") == err.msg);
        sl_stream_close(s);
    }
    sl_buf_free(&data);
    sl_buf_free(&z);
    sl_buf_free(&got);
    free(p);
    tmp_done(d);
}

TEST(stream_gzip_trailing_zeros_ignored)
{
    struct sl_buf z = SL_BUF_INIT, got = SL_BUF_INIT;
    gz(&z, "a\n", 2);
    sl_buf_add(&z, "\0\0\0\0\0\0\0\0\0\0", 10);
    struct sl_stream *s = NULL;
    struct sl_error err = {0};
    enum sl_log_level old = sl_log_cfg.level;
    sl_log_cfg.level = SL_LOG_ERROR; /* the warning is expected */
    CHECK_INT(sl_stream_open_mem(z.p, z.len, NULL, &s, &err), 0);
    if (s) {
        CHECK_INT(slurp(s, &got, 64, &err), 0);
        CHECK_MEM(got.p, got.len, "a\n");
        CHECK_INT(sl_stream_raw_bytes(s), z.len); /* the SHA covers the padding too */
        sl_stream_close(s);
    }
    sl_log_cfg.level = old;
    sl_buf_free(&z);
    sl_buf_free(&got);
}

TEST(stream_zstd_frames_and_truncation)
{
    char *d = tmp_dir();
    struct sl_buf data = SL_BUF_INIT, z = SL_BUF_INIT, got = SL_BUF_INIT;
    sample(&data, 30000);
    zst(&z, data.p, data.len / 2);
    zst(&z, data.p + data.len / 2, data.len - data.len / 2); /* two frames, like zstd -T or cat */
    char *p = put(d, "data.csv.zst", z.p, z.len);
    struct sl_stream *s = NULL;
    struct sl_error err = {0};
    char hex[65], want[65];

    CHECK_INT(sl_stream_open(p, NULL, &s, &err), 0);
    if (s) {
        CHECK_STR(sl_stream_compression(s), "zstd");
        CHECK_INT(slurp(s, &got, 777, &err), 0);
        CHECK(same(&got, &data));
        CHECK_INT(sl_stream_bytes(s), data.len);
        sl_stream_sha256(s, hex);
        sl_sha256_hex(z.p, z.len, want);
        CHECK_STR(hex, want);
        sl_stream_close(s);
    }
    s = NULL;
    sl_buf_reset(&got);
    CHECK_INT(sl_stream_open_mem(z.p, z.len - 5, NULL, &s, &err), 0);
    if (s) {
        CHECK_INT(slurp(s, &got, 4096, &err), SL_EFORMAT);
        CHECK(strstr(err.msg, "truncated") != NULL);
        sl_stream_close(s);
    }
    sl_buf_free(&data);
    sl_buf_free(&z);
    sl_buf_free(&got);
    free(p);
    tmp_done(d);
}

TEST(stream_peek_then_read_returns_everything)
{
    struct sl_buf data = SL_BUF_INIT, z = SL_BUF_INIT, got = SL_BUF_INIT;
    sample(&data, 5000);
    gz(&z, data.p, data.len);
    const struct sl_buf *inputs[] = {&data, &z};
    for (int k = 0; k < 2; k++) {
        struct sl_stream *s = NULL;
        struct sl_error err = {0};
        const char *head = NULL;
        CHECK_INT(sl_stream_open_mem(inputs[k]->p, inputs[k]->len, NULL, &s, &err), 0);
        if (!s) continue;
        CHECK_INT(sl_stream_peek(s, 10, &head, &err), 10);
        CHECK_MEM(head, 10, "0,sensor-0");
        CHECK_INT(sl_stream_peek(s, 20000, &head, &err), 20000); /* more than one fill */
        CHECK(!memcmp(head, data.p, 20000));
        CHECK_INT(sl_stream_bytes(s), 0); /* peeking delivers nothing */
        sl_buf_reset(&got);
        CHECK_INT(slurp(s, &got, 3000, &err), 0);
        CHECK(same(&got, &data));
        sl_stream_close(s);
    }
    /* peek past the end of a short input */
    struct sl_stream *s = NULL;
    struct sl_error err = {0};
    const char *head = NULL;
    CHECK_INT(sl_stream_open_mem("ab", 2, NULL, &s, &err), 0);
    if (s) {
        CHECK_INT(sl_stream_peek(s, 100, &head, &err), 2);
        CHECK_MEM(head, 2, "ab");
        char buf[8];
        CHECK_INT(sl_stream_read(s, buf, sizeof buf, &err), 2);
        CHECK_INT(sl_stream_read(s, buf, sizeof buf, &err), 0);
        sl_stream_close(s);
    }
    sl_buf_free(&data);
    sl_buf_free(&z);
    sl_buf_free(&got);
}

TEST(stream_rewind_rereads_identically)
{
    char *d = tmp_dir();
    struct sl_buf data = SL_BUF_INIT, z = SL_BUF_INIT, a = SL_BUF_INIT, b = SL_BUF_INIT;
    sample(&data, 10000);
    zst(&z, data.p, data.len);
    char *plain = put(d, "p.csv", data.p, data.len), *comp = put(d, "p.csv.zst", z.p, z.len);
    const char *paths[] = {plain, comp};
    for (int k = 0; k < 2; k++) {
        struct sl_stream *s = NULL;
        struct sl_error err = {0};
        char h1[65], h2[65];
        CHECK_INT(sl_stream_open(paths[k], NULL, &s, &err), 0);
        if (!s) continue;
        sl_buf_reset(&a);
        sl_buf_reset(&b);
        CHECK_INT(slurp(s, &a, 4096, &err), 0);
        sl_stream_sha256(s, h1);
        CHECK_INT(sl_stream_rewind(s, &err), 0);
        CHECK_INT(sl_stream_raw_bytes(s) <= 128 * 1024, 1); /* counters start again */
        CHECK_INT(sl_stream_bytes(s), 0);
        CHECK_INT(slurp(s, &b, 5000, &err), 0);
        sl_stream_sha256(s, h2);
        CHECK(same(&a, &data));
        CHECK(same(&a, &b));
        CHECK_STR(h1, h2);
        /* rewind in the middle too */
        CHECK_INT(sl_stream_rewind(s, &err), 0);
        char buf[100];
        CHECK_INT(sl_stream_read(s, buf, 10, &err) > 0, 1);
        CHECK_INT(sl_stream_rewind(s, &err), 0);
        sl_buf_reset(&b);
        CHECK_INT(slurp(s, &b, 4096, &err), 0);
        CHECK(same(&a, &b));
        sl_stream_close(s);
    }
    sl_buf_free(&data);
    sl_buf_free(&z);
    sl_buf_free(&a);
    sl_buf_free(&b);
    free(plain);
    free(comp);
    tmp_done(d);
}

static size_t stdin_want; /* decompressed length of what with_stdin feeds */

/* Runs fn with stdin replaced by a pipe holding p[0..n). */
static void with_stdin(const void *p, size_t n, void (*fn)(size_t n))
{
    int fds[2], saved = dup(0);
    if (pipe(fds) < 0) abort();
    if (write(fds[1], p, n) != (ssize_t)n) abort(); /* small: fits in the pipe buffer */
    close(fds[1]);
    dup2(fds[0], 0);
    close(fds[0]);
    fn(n);
    dup2(saved, 0);
    close(saved);
}

static void stdin_spooled(size_t n)
{
    struct sl_stream_opts o = {.spool = 1};
    struct sl_stream *s = NULL;
    struct sl_error err = {0};
    struct sl_buf a = SL_BUF_INIT, b = SL_BUF_INIT;
    char h1[65], h2[65], buf[16];

    CHECK_INT(sl_stream_open("-", &o, &s, &err), 0);
    if (!s) return;
    CHECK_STR(sl_stream_label(s), "stdin");
    CHECK_INT(sl_stream_size(s), -1);
    CHECK_INT(sl_stream_read(s, buf, 5, &err) > 0, 1); /* rewind before the end */
    CHECK_INT(sl_stream_rewind(s, &err), 0);
    CHECK_INT(slurp(s, &a, 100, &err), 0);
    sl_stream_sha256(s, h1);
    CHECK_INT(sl_stream_rewind(s, &err), 0);
    CHECK_INT(sl_stream_size(s), n);
    CHECK_INT(slurp(s, &b, 7, &err), 0);
    sl_stream_sha256(s, h2);
    CHECK_INT(a.len, stdin_want);
    CHECK(same(&a, &b));
    CHECK_STR(h1, h2);
    sl_stream_close(s);
    sl_buf_free(&a);
    sl_buf_free(&b);
}

static void stdin_unspooled(size_t n)
{
    struct sl_stream *s = NULL;
    struct sl_error err = {0};
    struct sl_buf a = SL_BUF_INIT;

    CHECK_INT(sl_stream_open("-", NULL, &s, &err), 0);
    if (!s) return;
    CHECK_INT(slurp(s, &a, 100, &err), 0);
    CHECK_INT(a.len, stdin_want);
    CHECK_INT(n > 0, 1);
    CHECK_INT(sl_stream_rewind(s, &err), SL_EUNSUPPORTED);
    CHECK_STR(err.msg, "stdin: cannot be read twice (not a regular file, and not spooled)");
    sl_stream_close(s);
    sl_buf_free(&a);
}

TEST(stream_stdin_spool_and_rewind)
{
    struct sl_buf data = SL_BUF_INIT, z = SL_BUF_INIT;
    sample(&data, 500);
    stdin_want = data.len;
    with_stdin(data.p, data.len, stdin_spooled);
    gz(&z, data.p, data.len);
    with_stdin(z.p, z.len, stdin_spooled);
    with_stdin(data.p, data.len, stdin_unspooled);
    sl_buf_free(&data);
    sl_buf_free(&z);
}

/* UTF-16 text: "h,é\n" + U+1F600 (a surrogate pair) + a lone low surrogate + "\n". */
static void utf16_sample(struct sl_buf *b, int be)
{
    static const unsigned units[] = {'h', ',', 0xe9, '\n', 0xd83d, 0xde00, 0xdc00, '\n'};
    sl_buf_add(b, be ? "\xfe\xff" : "\xff\xfe", 2);
    for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
        char u[2] = {(char)(units[i] & 0xff), (char)(units[i] >> 8)};
        if (be) {
            char t = u[0];
            u[0] = u[1];
            u[1] = t;
        }
        sl_buf_add(b, u, 2);
    }
}

TEST(stream_utf16_transcoding)
{
    const char *want = "h,\xc3\xa9\n\xf0\x9f\x98\x80\xef\xbf\xbd\n";
    for (int be = 0; be < 2; be++) {
        for (int comp = 0; comp < 2; comp++) {
            struct sl_buf raw = SL_BUF_INIT, in = SL_BUF_INIT, got = SL_BUF_INIT;
            struct sl_stream *s = NULL;
            struct sl_error err = {0};
            const char *head;
            utf16_sample(&raw, be);
            if (comp)
                gz(&in, raw.p, raw.len);
            else
                sl_buf_add(&in, raw.p, raw.len);
            CHECK_INT(sl_stream_open_mem(in.p, in.len, NULL, &s, &err), 0);
            if (s) {
                CHECK_STR(sl_stream_transcoding(s), be ? "utf-16be" : "utf-16le");
                CHECK_INT(sl_stream_peek(s, 3, &head, &err), 3);
                CHECK_MEM(head, 3, "h,\xc3");
                CHECK_INT(slurp(s, &got, 1, &err), 0); /* a byte at a time */
                CHECK_MEM(got.p, got.len, want);
                CHECK_INT(sl_stream_bytes(s), strlen(want));
                CHECK_INT(sl_stream_raw_bytes(s), in.len);
                sl_stream_close(s);
            }
            sl_buf_free(&raw);
            sl_buf_free(&in);
            sl_buf_free(&got);
        }
    }
    /* an odd trailing byte and a dangling high surrogate become U+FFFD */
    struct sl_stream *s = NULL;
    struct sl_error err = {0};
    struct sl_buf got = SL_BUF_INIT;
    CHECK_INT(sl_stream_open_mem("\xff\xfe"
                                 "a\0\x3d\xd8",
                                 6, NULL, &s, &err),
              0);
    if (s) {
        CHECK_INT(slurp(s, &got, 100, &err), 0);
        CHECK_MEM(got.p, got.len, "a\xef\xbf\xbd");
        sl_stream_close(s);
    }
    s = NULL;
    sl_buf_reset(&got);
    CHECK_INT(sl_stream_open_mem("\xff\xfe"
                                 "a\0b",
                                 5, NULL, &s, &err),
              0);
    if (s) {
        CHECK_INT(slurp(s, &got, 100, &err), 0);
        CHECK_MEM(got.p, got.len, "a\xef\xbf\xbd");
        sl_stream_close(s);
    }
    /* a UTF-8 BOM is left for the CSV reader */
    s = NULL;
    sl_buf_reset(&got);
    CHECK_INT(sl_stream_open_mem("\xef\xbb\xbfx", 4, NULL, &s, &err), 0);
    if (s) {
        CHECK(sl_stream_transcoding(s) == NULL);
        CHECK_INT(slurp(s, &got, 100, &err), 0);
        CHECK_MEM(got.p, got.len, "\xef\xbb\xbfx");
        sl_stream_close(s);
    }
    sl_buf_free(&got);
}

TEST(stream_open_errors)
{
    char *d = tmp_dir();
    struct sl_stream *s = NULL;
    struct sl_error err = {0};
    char *want;

    CHECK_INT(sl_stream_open(d, NULL, &s, &err), SL_EIO);
    CHECK(s == NULL);
    want = sl_xasprintf("%s: is a directory", d);
    CHECK_STR(err.msg, want);
    free(want);

    char *missing = sl_xasprintf("%s/missing.csv", d);
    CHECK_INT(sl_stream_open(missing, NULL, &s, &err), SL_EIO);
    want = sl_xasprintf("%s: No such file or directory", missing);
    CHECK_STR(err.msg, want);
    free(want);
    free(missing);

    if (geteuid() != 0) { /* root reads anything */
        char *p = put(d, "secret.csv", "a\n", 2);
        chmod(p, 0);
        CHECK_INT(sl_stream_open(p, NULL, &s, &err), SL_EIO);
        CHECK(strstr(err.msg, "Permission denied") != NULL);
        free(p);
    }

    /* a label replaces the path in messages */
    struct sl_stream_opts o = {.label = "orders"};
    CHECK_INT(sl_stream_open(d, &o, &s, &err), SL_EIO);
    CHECK_STR(err.msg, "orders: is a directory");
    tmp_done(d);
}

TEST(stream_character_device)
{
    struct sl_stream *s = NULL;
    struct sl_error err = {0};
    char buf[8];
    CHECK_INT(sl_stream_open("/dev/null", NULL, &s, &err), 0);
    if (s) {
        CHECK_INT(sl_stream_size(s), -1);
        CHECK_INT(sl_stream_read(s, buf, sizeof buf, &err), 0);
        CHECK_INT(sl_stream_rewind(s, &err), SL_EUNSUPPORTED);
        sl_stream_close(s);
    }
}

TEST(stream_unsupported_compression)
{
    struct {
        const char *bytes;
        size_t n;
        const char *says;
    } cases[] = {
        {"BZh91AY&SY", 10, "memory: bzip2 compression is not supported"},
        {"\xfd"
         "7zXZ\0\0\0",
         8, "memory: xz compression is not supported"},
        {"PK\3\4\x14\0\0\0", 8,
         "memory: a zip archive (or a document made of one: xlsx, docx, ods), not CSV or JSON "
         "data; "
         "extract it first (unzip) and load the files it holds (an xlsx sheet: export it as CSV)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct sl_stream *s = NULL;
        struct sl_error err = {0};
        CHECK_INT(sl_stream_open_mem(cases[i].bytes, cases[i].n, NULL, &s, &err), SL_EUNSUPPORTED);
        CHECK(s == NULL);
        CHECK(strstr(err.msg, cases[i].says) == err.msg);
    }
    /* the same through a file, named in the message */
    char *d = tmp_dir(), *p = put(d, "data.csv.bz2", "BZh91AY&SY", 10);
    struct sl_stream *s = NULL;
    struct sl_error err = {0};
    CHECK_INT(sl_stream_open(p, NULL, &s, &err), SL_EUNSUPPORTED);
    CHECK(strstr(err.msg, p) == err.msg && strstr(err.msg, "bzip2"));
    free(p);
    tmp_done(d);
}

TEST(stream_max_bytes_limit)
{
    struct sl_buf data = SL_BUF_INIT, z = SL_BUF_INIT, got = SL_BUF_INIT;
    sample(&data, 1000);
    gz(&z, data.p, data.len);
    struct sl_stream_opts o = {.max_bytes = 1000};
    const struct sl_buf *inputs[] = {&data, &z};
    for (int k = 0; k < 2; k++) {
        struct sl_stream *s = NULL;
        struct sl_error err = {0};
        sl_buf_reset(&got);
        CHECK_INT(sl_stream_open_mem(inputs[k]->p, inputs[k]->len, &o, &s, &err), 0);
        if (!s) continue;
        CHECK_INT(slurp(s, &got, 300, &err), SL_ELIMIT);
        CHECK_STR(err.msg, "memory: input is larger than the limit of 1000 bytes (max_input_size)");
        CHECK(got.len <= 1000);
        sl_stream_close(s);
    }
    /* exactly at the limit is fine */
    struct sl_stream *s = NULL;
    struct sl_error err = {0};
    o.max_bytes = (int64_t)data.len;
    sl_buf_reset(&got);
    CHECK_INT(sl_stream_open_mem(data.p, data.len, &o, &s, &err), 0);
    if (s) {
        CHECK_INT(slurp(s, &got, 4096, &err), 0);
        CHECK(same(&got, &data));
        sl_stream_close(s);
    }
    sl_buf_free(&data);
    sl_buf_free(&z);
    sl_buf_free(&got);
}

TEST(stream_decompression_bomb)
{
    size_t n = (size_t)80 << 20; /* zeros: compresses about 10000:1 */
    char *zeros = sl_xcalloc(n, 1);
    struct sl_buf z = SL_BUF_INIT;
    zst(&z, zeros, n);
    free(zeros);
    struct sl_stream *s = NULL;
    struct sl_error err = {0};
    CHECK_INT(sl_stream_open_mem(z.p, z.len, NULL, &s, &err), 0);
    if (s) {
        char *buf = sl_xmalloc(1 << 20);
        ssize_t r;
        while ((r = sl_stream_read(s, buf, 1 << 20, &err)) > 0) {
        }
        CHECK_INT(r, SL_ELIMIT);
        CHECK(strstr(err.msg, "more than 1000:1") != NULL);
        CHECK(strstr(err.msg, "decompression bomb") != NULL);
        CHECK(sl_stream_bytes(s) <= ((int64_t)65 << 20));
        free(buf);
        sl_stream_close(s);
    }
    /* a higher ratio allowed: the same input loads */
    struct sl_stream_opts o = {.max_ratio = 1e9};
    s = NULL;
    CHECK_INT(sl_stream_open_mem(z.p, z.len, &o, &s, &err), 0);
    if (s) {
        char *buf = sl_xmalloc(1 << 20);
        ssize_t r;
        while ((r = sl_stream_read(s, buf, 1 << 20, &err)) > 0) {
        }
        CHECK_INT(r, 0);
        CHECK_INT(sl_stream_bytes(s), n);
        free(buf);
        sl_stream_close(s);
    }
    sl_buf_free(&z);
}

TEST(stream_empty_input)
{
    char *d = tmp_dir(), *p = put(d, "empty.csv", "", 0);
    struct sl_stream *s = NULL;
    struct sl_error err = {0};
    const char *head;
    char hex[65], buf[4];
    CHECK_INT(sl_stream_open(p, NULL, &s, &err), 0);
    if (s) {
        CHECK_INT(sl_stream_peek(s, 10, &head, &err), 0);
        CHECK_INT(sl_stream_read(s, buf, sizeof buf, &err), 0);
        sl_stream_sha256(s, hex);
        CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        sl_stream_close(s);
    }
    free(p);
    tmp_done(d);
}

/* ---- paths ----------------------------------------------------------------------------- */

static char *paths_fixture(void)
{
    char *d = tmp_dir();
    const char *files[] = {"b.csv", "a.csv", "c.txt", ".hidden.csv"};
    for (size_t i = 0; i < 4; i++) free(put(d, files[i], "x\n", 2));
    char *sub = sl_xasprintf("%s/sub", d), *dircsv = sl_xasprintf("%s/dir.csv", d);
    mkdir(sub, 0700);
    mkdir(dircsv, 0700); /* a directory that a glob matches */
    free(put(sub, "x.csv", "x\n", 2));
    free(sub);
    free(dircsv);
    return d;
}

/* The paths relative to d, joined with spaces, to compare in one CHECK_STR. */
static char *rel(const struct sl_paths *p, const char *d)
{
    struct sl_buf b = SL_BUF_INIT;
    size_t dl = strlen(d);
    for (size_t i = 0; i < p->n; i++) {
        const char *s = p->v[i];
        if (!strncmp(s, d, dl) && s[dl] == '/') s += dl + 1;
        sl_buf_addf(&b, "%s%s", i ? " " : "", s);
    }
    return b.p ? sl_buf_detach(&b) : sl_xstrdup("");
}

TEST(paths_glob_sorted_skips_directories)
{
    char *d = paths_fixture(), *r;
    struct sl_paths p;
    struct sl_error err = {0};
    const char *pat[] = {"*.csv"};
    CHECK_INT(sl_paths_expand(pat, 1, d, &p, &err), 0);
    CHECK_STR(r = rel(&p, d), "a.csv b.csv");
    free(r);
    sl_paths_free(&p);

    /* absolute patterns ignore base_dir; duplicates across patterns are dropped */
    char *abs = sl_xasprintf("%s/?.*", d);
    const char *pat2[] = {"b.csv", abs, "sub/*.csv"};
    CHECK_INT(sl_paths_expand(pat2, 3, d, &p, &err), 0);
    CHECK_STR(r = rel(&p, d), "b.csv a.csv c.txt sub/x.csv");
    free(r);
    sl_paths_free(&p);
    free(abs);
    tmp_done(d);
}

TEST(paths_directory_no_match_passthrough)
{
    char *d = paths_fixture(), *r;
    struct sl_paths p;
    struct sl_error err = {0};

    const char *dir[] = {"."};
    CHECK_INT(sl_paths_expand(dir, 1, d, &p, &err), 0);
    CHECK_STR(r = rel(&p, d), "./a.csv ./b.csv ./c.txt"); /* no dotfiles, no directories */
    free(r);
    sl_paths_free(&p);

    const char *none[] = {"*.json"};
    CHECK_INT(sl_paths_expand(none, 1, d, &p, &err), 0);
    CHECK_INT(p.n, 0);
    sl_paths_free(&p);

    const char *pass[] = {"missing.csv", "-", "/abs/x.csv"};
    CHECK_INT(sl_paths_expand(pass, 3, d, &p, &err), 0);
    CHECK_STR(r = rel(&p, d), "missing.csv - /abs/x.csv");
    free(r);
    sl_paths_free(&p);

    const char *nobase[] = {"rel/x.csv"};
    CHECK_INT(sl_paths_expand(nobase, 1, NULL, &p, &err), 0);
    CHECK_INT(p.n, 1);
    if (p.n == 1) CHECK_STR(p.v[0], "rel/x.csv");
    sl_paths_free(&p);
    tmp_done(d);
}

/* What is data text and what is not: archives, documents, images, executables and databases by
 * their signatures (also under the first block), binary bytes by their density, and text with a
 * few bad bytes (each record rejected on its own later) or in single-byte encodings passes. */
TEST(stream_binary_check)
{
    char why[160];
    const char *todo;
    static const struct {
        const char *bytes;
        size_t n;
        const char *says;
    } bin[] = {
        {"7z\xbc\xaf\x27\x1c\0\4", 8, "a 7z archive"},
        {"Rar!\x1a\x07\x01\x00", 8, "a RAR archive"},
        {"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", 15, "a PDF document"},
        {"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, "a PNG image"},
        {"\xff\xd8\xff\xe0\0\x10JFIF", 10, "a JPEG image"},
        {"GIF89a\1\0\1\0", 10, "a GIF image"},
        {"\x7f"
         "ELF\2\1\1\0",
         8, "an ELF executable"},
        {"SQLite format 3\0\x10\0", 18, "an SQLite database"},
        {"\x1f\x8b\x08\0\0\0\0\0", 8, "gzip data"},
        {"BZh91AY&SY", 10, "bzip2 data"},
        {"\xfd"
         "7zXZ\0\0\4",
         8, "xz data"},
        {"PK\3\4\x14\0\0\0", 8, "a zip archive"},
        {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, "OLE2"},
        {"RIFF\x10\0\0\0WEBPVP8 ", 16, "a WebP image"},
        {"a\0,\0b\0\n\0001\0,\0002\0\n\0", 16, "UTF-16LE without a byte order mark"},
        {"\0a\0,\0b\0\n\0001\0,\0002\0\n", 16, "UTF-16BE"},
    };
    for (size_t i = 0; i < sizeof bin / sizeof *bin; i++) {
        CHECK_INT(sl_binary_check(bin[i].bytes, bin[i].n, why, sizeof why, &todo), 1);
        CHECK(strstr(why, bin[i].says) != NULL);
    }

    /* tar: ustar magic at 257, and an old v7 header by its checksum */
    char tar[1024];
    memset(tar, 0, sizeof tar);
    strcpy(tar, "licence.txt");
    memcpy(tar + 100, "0000644", 7);
    memcpy(tar + 257,
           "ustar\0"
           "00",
           8);
    CHECK_INT(sl_binary_check(tar, sizeof tar, why, sizeof why, &todo), 1);
    CHECK_STR(why, "a tar archive");
    CHECK(todo && strstr(todo, "tar -xf"));
    memset(tar + 257, 0, 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++) sum += (i >= 148 && i < 156) ? ' ' : (unsigned char)tar[i];
    snprintf(tar + 148, 8, "%06o", sum);
    CHECK_INT(sl_binary_check(tar, sizeof tar, why, sizeof why, &todo), 1);
    CHECK_STR(why, "a tar archive");
    tar[148] = '1'; /* a wrong checksum: not a tar header; its NULs still make it binary */
    CHECK_INT(sl_binary_check(tar, sizeof tar, why, sizeof why, &todo), 1);
    CHECK(strstr(why, "binary content (") == why);

    /* random bytes */
    unsigned char rnd[4096];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof rnd; i++) {
        x = x * 1103515245u + 12345u;
        rnd[i] = (unsigned char)(x >> 16);
    }
    CHECK_INT(sl_binary_check((const char *)rnd, sizeof rnd, why, sizeof why, &todo), 1);

    /* text */
    static const char *const text[] = {
        "id,name\n1,a\0b\n2,ok\n3,\0\n", /* two NULs: bad records, not a binary file */
        "id,name\n1,caf\xc3\xa9\n2,bad\xff\xfe\n",
        "id;name\n1;Jos\xe9\n2;M\xe1laga\n", /* Latin-1 */
        "\xc8\xec\xff;\xc3\xee\xf0\xee\xe4\n\xc8\xe2\xe0\xed;\xcc\xee\xf1\xea\xe2\xe0\n", /* cp1251
                                                                                           */
        "{\"a\":1}\n{\"a\":\"\\u0000\"}\n",
        "a\tb\r\n1\t2\f\r\n\x1b[0m\n",
        "ORCID,PAR1,ID3\n1,2,3\n",
        "",
    };
    for (size_t i = 0; i < sizeof text / sizeof *text; i++) {
        size_t n = i == 0 ? 23 : strlen(text[i]);
        CHECK_INT(sl_binary_check(text[i], n, why, sizeof why, &todo), 0);
    }
    /* "ustar" in text at 257 is not a tar header */
    char t2[600];
    memset(t2, 'x', sizeof t2);
    memcpy(t2 + 257, "ustard", 6);
    CHECK_INT(sl_binary_check(t2, sizeof t2, why, sizeof why, &todo), 0);
}

/* A pipe whose reader went away is told from a pipe still read and from a file (issue 14). */
TEST(stream_out_reader_gone)
{
    int fds[2];
    CHECK_INT(pipe(fds), 0);
    FILE *w = fdopen(fds[1], "w");
    CHECK(w != NULL);
    CHECK_INT(sl_out_reader_gone(w), 0);
    close(fds[0]);
    CHECK_INT(sl_out_reader_gone(w), 1);
    fclose(w);
    FILE *f = tmpfile();
    CHECK_INT(sl_out_reader_gone(f), 0);
    fclose(f);
}
