/*
 * Byte streams: a file, stdin or memory, decompressed (gzip, zstd) by magic bytes, transcoded
 * from UTF-16 by BOM, hashed (SHA-256 of the raw bytes) while reading, and bounded by limits.
 *
 * Three layers, each pulling from the one below:
 *   raw      read(2) or memcpy; feeds the SHA-256 and the stdin spool
 *   decoder  a method table (none, gzip, zstd) giving decompressed bytes
 *   stream   UTF-16 transcoding, the peek buffer, counters and limits
 * Uncompressed, untranscoded input goes from read(2) straight into the caller's buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "sluice/stream.h"

#define IN_CAP     (128 * 1024) /* raw input buffer of the decoders */
#define U16_CHUNK  (64 * 1024)  /* UTF-16 bytes transcoded at a time */
#define BOMB_FLOOR ((int64_t)64 << 20)

struct decoder;

struct sl_stream {
    char *label;
    int fd;          /* -1 for memory */
    int own_fd;      /* close fd in sl_stream_close */
    int is_stdin;    /* "-" */
    int seekable;    /* regular file: rewind with lseek */
    off_t start_off; /* where a seekable fd started (stdin redirected from a file) */
    int64_t size;

    const uint8_t *mem; /* memory stream */
    size_t mem_n, mem_pos;

    int spool_fd;   /* stdin copy for rewind, -1 when none */
    int from_spool; /* reads now come from spool_fd (after a rewind) */
    int64_t max_bytes;
    int max_spooled_default; /* max_bytes is SL_DEFAULT_MAX_SPOOLED, not the user's */
    double max_ratio;

    const struct decoder *dec;
    z_stream z;
    int z_live;
    int z_member_done; /* the last inflate returned Z_STREAM_END */
    ZSTD_DStream *zs;
    int zs_frame_done; /* the last ZSTD_decompressStream returned 0 */
    int dec_eof;       /* the decoder has delivered everything */

    uint8_t *in; /* raw bytes read but not yet decoded */
    size_t in_len, in_pos;
    int raw_eof;

    int utf16;       /* 0, 1 = little endian, 2 = big endian */
    uint8_t u16_odd; /* a byte left over from the previous chunk */
    int u16_has_odd;
    unsigned u16_hi; /* a high surrogate waiting for its low half, 0 = none */
    uint8_t *u16_buf;

    char *pend; /* decoded (and transcoded) bytes not yet delivered: peek, UTF-16 */
    size_t pend_len, pend_pos, pend_cap;
    int eof; /* nothing more after pend */

    int64_t raw_bytes, out_bytes;
    EVP_MD_CTX *sha;        /* of the raw bytes */
    EVP_MD_CTX *csha;       /* of the decompressed bytes (when there is a decoder) */
    int hash;               /* 0: opened with no_sha256, sha and csha are not fed */
    struct sl_error failed; /* sticky: once a read failed, it keeps failing the same way */
};

/* ---- raw layer ------------------------------------------------------------------------- */

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads up to n raw bytes: 0 at the end. Every raw byte passes here once, so this is where
 * the SHA-256 and the stdin spool see it. */
static ssize_t raw_read(struct sl_stream *s, void *buf, size_t n, struct sl_error *err)
{
    ssize_t r;

    if (s->raw_eof || n == 0) return 0;
    if (s->mem) {
        size_t left = s->mem_n - s->mem_pos;
        r = (ssize_t)(n < left ? n : left);
        memcpy(buf, s->mem + s->mem_pos, (size_t)r);
        s->mem_pos += (size_t)r;
    } else {
        int fd = s->from_spool ? s->spool_fd : s->fd;
        for (;;) {
            r = read(fd, buf, n);
            if (r >= 0) break;
            if (errno == EINTR && sl_interrupted)
                return sl_error_set(err, SL_EINTR, "%s: interrupted", s->label);
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                /* stdin may have been left non-blocking by whoever started us */
                struct pollfd pfd = {.fd = fd, .events = POLLIN};
                (void)poll(&pfd, 1, -1);
                continue;
            }
            return sl_error_set(err, SL_EIO, "%s: read error: %s", s->label, strerror(errno));
        }
        if (r > 0 && s->spool_fd >= 0 && !s->from_spool &&
            write_all(s->spool_fd, buf, (size_t)r) < 0)
            return sl_error_set(err, SL_EIO, "%s: cannot write the spool file: %s", s->label,
                                strerror(errno));
    }
    if (r == 0) {
        s->raw_eof = 1;
        return 0;
    }
    if (s->hash) EVP_DigestUpdate(s->sha, buf, (size_t)r);
    s->raw_bytes += r;
    return r;
}

/* Reads more raw bytes into s->in (keeping what is not decoded yet). 0 at the end. */
static ssize_t in_fill(struct sl_stream *s, struct sl_error *err)
{
    if (s->in_pos == s->in_len) {
        s->in_pos = s->in_len = 0;
    } else if (s->in_pos > 0 && s->in_len == IN_CAP) {
        memmove(s->in, s->in + s->in_pos, s->in_len - s->in_pos);
        s->in_len -= s->in_pos;
        s->in_pos = 0;
    }
    ssize_t r = raw_read(s, s->in + s->in_len, IN_CAP - s->in_len, err);
    if (r > 0) s->in_len += (size_t)r;
    return r;
}

/* Makes at least want undecoded bytes available, unless the input ends first. */
static int in_want(struct sl_stream *s, size_t want, struct sl_error *err)
{
    while (s->in_len - s->in_pos < want) {
        ssize_t r = in_fill(s, err);
        if (r < 0) return (int)r;
        if (r == 0) break;
    }
    return 0;
}

/* ---- decoders -------------------------------------------------------------------------- */

struct decoder {
    const char *name;
    int (*init)(struct sl_stream *s, struct sl_error *err);
    /* up to n decompressed bytes; 0 only at the end */
    ssize_t (*read)(struct sl_stream *s, void *buf, size_t n, struct sl_error *err);
    void (*end)(struct sl_stream *s);
};

static int none_init(struct sl_stream *s, struct sl_error *err)
{
    (void)s;
    (void)err;
    return 0;
}

static ssize_t none_read(struct sl_stream *s, void *buf, size_t n, struct sl_error *err)
{
    size_t left = s->in_len - s->in_pos;
    if (left) { /* the bytes read to look at the magic come first */
        size_t k = n < left ? n : left;
        memcpy(buf, s->in + s->in_pos, k);
        s->in_pos += k;
        return (ssize_t)k;
    }
    return raw_read(s, buf, n, err);
}

static void none_end(struct sl_stream *s)
{
    (void)s;
}

static int gzip_init(struct sl_stream *s, struct sl_error *err)
{
    memset(&s->z, 0, sizeof s->z);
    /* 15 + 32: a full window and automatic gzip/zlib header detection */
    if (inflateInit2(&s->z, 15 + 32) != Z_OK)
        return sl_error_set(err, SL_EIO, "%s: cannot start gzip decompression", s->label);
    s->z_live = 1;
    s->z_member_done = 0;
    return 0;
}

/* Skips what follows the last gzip member when it is not another member (tar-like zero
 * padding, junk), as gzip(1) does, but still reads it so the SHA-256 covers the whole file. */
static int gzip_trailing(struct sl_stream *s, struct sl_error *err)
{
    int64_t junk = (int64_t)(s->in_len - s->in_pos);
    s->in_pos = s->in_len;
    for (;;) {
        ssize_t r = in_fill(s, err);
        if (r < 0) return (int)r;
        if (r == 0) break;
        junk += r;
        s->in_pos = s->in_len;
    }
    sl_log(SL_LOG_WARN, "%s: ignoring %lld bytes of trailing garbage after the gzip data", s->label,
           (long long)junk);
    return 0;
}

static ssize_t gzip_read(struct sl_stream *s, void *buf, size_t n, struct sl_error *err)
{
    int rc;

    if (s->dec_eof) return 0;
    for (;;) {
        if (s->z_member_done) {
            /* concatenated members (cat a.gz b.gz, pigz, bgzip) are one stream */
            if ((rc = in_want(s, 2, err)) < 0) return rc;
            size_t left = s->in_len - s->in_pos;
            if (left == 0) {
                s->dec_eof = 1;
                return 0;
            }
            if (left < 2 || s->in[s->in_pos] != 0x1f || s->in[s->in_pos + 1] != 0x8b) {
                if ((rc = gzip_trailing(s, err)) < 0) return rc;
                s->dec_eof = 1;
                return 0;
            }
            inflateReset(&s->z);
            s->z_member_done = 0;
        }
        s->z.next_in = s->in + s->in_pos;
        s->z.avail_in = (uInt)(s->in_len - s->in_pos);
        s->z.next_out = buf;
        s->z.avail_out = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
        uInt avail_out = s->z.avail_out;
        size_t in_before = s->in_pos;
        int zr = inflate(&s->z, Z_NO_FLUSH);
        s->in_pos = s->in_len - s->z.avail_in;
        size_t got = avail_out - s->z.avail_out;
        if (zr == Z_STREAM_END) {
            s->z_member_done = 1;
        } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
            return sl_error_set(err, SL_EFORMAT, "%s: gzip data is corrupt: %s", s->label,
                                s->z.msg ? s->z.msg : zError(zr));
        }
        if (got) return (ssize_t)got;
        if (s->z_member_done) continue;
        if (s->in_pos == in_before && s->in_pos < s->in_len) /* no progress: never loop */
            return sl_error_set(err, SL_EFORMAT, "%s: gzip data is corrupt: %s", s->label,
                                s->z.msg ? s->z.msg : zError(zr));
        if (s->in_pos == s->in_len) {
            ssize_t r = in_fill(s, err);
            if (r < 0) return r;
            if (r == 0)
                return sl_error_set(err, SL_EFORMAT,
                                    "%s: unexpected end of gzip data (truncated file?)", s->label);
        }
    }
}

static void gzip_end(struct sl_stream *s)
{
    if (s->z_live) inflateEnd(&s->z);
    s->z_live = 0;
}

static int zstd_init(struct sl_stream *s, struct sl_error *err)
{
    s->zs = ZSTD_createDStream();
    if (!s->zs || ZSTD_isError(ZSTD_initDStream(s->zs)))
        return sl_error_set(err, SL_EIO, "%s: cannot start zstd decompression", s->label);
    s->zs_frame_done = 0;
    return 0;
}

static ssize_t zstd_read(struct sl_stream *s, void *buf, size_t n, struct sl_error *err)
{
    if (s->dec_eof) return 0;
    for (;;) {
        ZSTD_inBuffer ib = {s->in, s->in_len, s->in_pos};
        ZSTD_outBuffer ob = {buf, n, 0};
        size_t in_before = s->in_pos;
        size_t zr = ZSTD_decompressStream(s->zs, &ob, &ib);
        s->in_pos = ib.pos;
        if (ZSTD_isError(zr)) {
            if (ZSTD_getErrorCode(zr) == ZSTD_error_frameParameter_windowTooLarge)
                return sl_error_set(err, SL_EUNSUPPORTED,
                                    "%s: zstd window is too large (compressed with --long?)",
                                    s->label);
            return sl_error_set(err, SL_EFORMAT, "%s: zstd data is corrupt: %s", s->label,
                                ZSTD_getErrorName(zr));
        }
        /* 0 = a frame is complete; a following frame starts by itself on the next call. A call
         * that moved nothing answers for the next frame's header, so it does not count. */
        if (ob.pos || s->in_pos != in_before) s->zs_frame_done = zr == 0;
        if (ob.pos) return (ssize_t)ob.pos;
        if (s->in_pos == in_before && s->in_pos < s->in_len) /* no progress: never loop */
            return sl_error_set(err, SL_EFORMAT, "%s: zstd data is corrupt", s->label);
        if (s->in_pos == s->in_len) {
            ssize_t r = in_fill(s, err);
            if (r < 0) return r;
            if (r == 0) {
                if (s->zs_frame_done) {
                    s->dec_eof = 1;
                    return 0;
                }
                return sl_error_set(err, SL_EFORMAT,
                                    "%s: unexpected end of zstd data (truncated file?)", s->label);
            }
        }
    }
}

static void zstd_end(struct sl_stream *s)
{
    ZSTD_freeDStream(s->zs);
    s->zs = NULL;
}

static const struct decoder dec_none = {"none", none_init, none_read, none_end};
static const struct decoder dec_gzip = {"gzip", gzip_init, gzip_read, gzip_end};
static const struct decoder dec_zstd = {"zstd", zstd_init, zstd_read, zstd_end};

/* Every decompressed byte passes here once, so this is where the content's SHA-256 sees it.
 * Without compression the content is the raw bytes, hashed once by raw_read. */
static ssize_t dec_read(struct sl_stream *s, void *buf, size_t n, struct sl_error *err)
{
    ssize_t r = s->dec->read(s, buf, n, err);
    if (r > 0 && s->hash && s->dec != &dec_none) EVP_DigestUpdate(s->csha, buf, (size_t)r);
    return r;
}

/* ---- UTF-16 ---------------------------------------------------------------------------- */

static void pend_reserve(struct sl_stream *s, size_t extra)
{
    if (s->pend_pos && s->pend_pos == s->pend_len) s->pend_pos = s->pend_len = 0;
    if (s->pend_len + extra <= s->pend_cap) return;
    if (s->pend_pos) { /* compact before growing */
        memmove(s->pend, s->pend + s->pend_pos, s->pend_len - s->pend_pos);
        s->pend_len -= s->pend_pos;
        s->pend_pos = 0;
        if (s->pend_len + extra <= s->pend_cap) return;
    }
    size_t cap = s->pend_cap ? s->pend_cap : 4096;
    while (cap < s->pend_len + extra) cap *= 2;
    s->pend = sl_xrealloc(s->pend, cap);
    s->pend_cap = cap;
}

static char *utf8_put(char *o, unsigned cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xc0 | cp >> 6);
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xe0 | cp >> 12);
        *o++ = (char)(0x80 | (cp >> 6 & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else {
        *o++ = (char)(0xf0 | cp >> 18);
        *o++ = (char)(0x80 | (cp >> 12 & 0x3f));
        *o++ = (char)(0x80 | (cp >> 6 & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    }
    return o;
}

/* Transcodes UTF-16 bytes to UTF-8 at the end of pend. Lone surrogates and a dangling odd byte
 * at the end become U+FFFD; state carries across chunk boundaries. */
static void u16_transcode(struct sl_stream *s, const uint8_t *p, size_t n, int at_end)
{
    /* each 2-byte unit gives at most 3 bytes; a pair 4; plus replacements at the end */
    pend_reserve(s, (n + 2) / 2 * 3 + 8);
    char *o = s->pend + s->pend_len;
    size_t i = 0;
    uint8_t pair[2];

    while (i < n) {
        unsigned u;
        if (s->u16_has_odd) {
            pair[0] = s->u16_odd;
            pair[1] = p[i++];
            s->u16_has_odd = 0;
        } else if (n - i >= 2) {
            pair[0] = p[i];
            pair[1] = p[i + 1];
            i += 2;
        } else {
            s->u16_odd = p[i++];
            s->u16_has_odd = 1;
            break;
        }
        u = s->utf16 == 1 ? (unsigned)(pair[0] | pair[1] << 8) : (unsigned)(pair[0] << 8 | pair[1]);
        if (s->u16_hi) {
            if (u >= 0xdc00 && u <= 0xdfff) {
                o = utf8_put(o, 0x10000 + ((s->u16_hi - 0xd800) << 10) + (u - 0xdc00));
                s->u16_hi = 0;
                continue;
            }
            o = utf8_put(o, 0xfffd);
            s->u16_hi = 0;
        }
        if (u >= 0xd800 && u <= 0xdbff)
            s->u16_hi = u;
        else if (u >= 0xdc00 && u <= 0xdfff)
            o = utf8_put(o, 0xfffd);
        else
            o = utf8_put(o, u);
    }
    if (at_end) {
        if (s->u16_hi) o = utf8_put(o, 0xfffd);
        if (s->u16_has_odd) o = utf8_put(o, 0xfffd);
        s->u16_hi = 0;
        s->u16_has_odd = 0;
    }
    s->pend_len = (size_t)(o - s->pend);
}

/* ---- stream layer ---------------------------------------------------------------------- */

/* Adds decoded (and transcoded) bytes to pend: > 0 added, 0 at the end, < 0 error. */
static ssize_t pend_fill(struct sl_stream *s, size_t want, struct sl_error *err)
{
    if (s->eof) return 0;
    if (!s->utf16) {
        if (want < 4096) want = 4096;
        pend_reserve(s, want);
        ssize_t r = dec_read(s, s->pend + s->pend_len, want, err);
        if (r > 0) s->pend_len += (size_t)r;
        if (r == 0) s->eof = 1;
        return r;
    }
    size_t before = s->pend_len - s->pend_pos;
    for (;;) { /* one odd byte may transcode to nothing: go on until something comes out */
        ssize_t r = dec_read(s, s->u16_buf, U16_CHUNK, err);
        if (r < 0) return r;
        u16_transcode(s, s->u16_buf, (size_t)r, r == 0);
        if (r == 0) s->eof = 1;
        size_t added = s->pend_len - s->pend_pos - before;
        if (added || s->eof) return (ssize_t)added;
    }
}

/* Looks at the magic bytes, sets up the decoder, then looks for a UTF-16 BOM. */
static int stream_start(struct sl_stream *s, struct sl_error *err)
{
    int rc;

    if ((rc = in_want(s, 6, err)) < 0) return rc;
    const uint8_t *m = s->in;
    size_t k = s->in_len;
    if (k >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
        s->dec = &dec_gzip;
    } else if (k >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd) {
        s->dec = &dec_zstd;
    } else if (k >= 3 && !memcmp(m, "BZh", 3)) {
        return sl_error_set(err, SL_EUNSUPPORTED,
                            "%s: bzip2 compression is not supported (decompress it first)",
                            s->label);
    } else if (k >= 6 && !memcmp(m, "\xfd\x37\x7a\x58\x5a\x00", 6)) {
        return sl_error_set(err, SL_EUNSUPPORTED,
                            "%s: xz compression is not supported (decompress it first)", s->label);
    } else if (k >= 4 && !memcmp(m, "PK\3\4", 4)) {
        return sl_error_set(err, SL_EUNSUPPORTED,
                            "%s: a zip archive (or a document made of one: xlsx, docx, ods), not "
                            "CSV or JSON data; extract it first (unzip) and load the files it "
                            "holds (an xlsx sheet: export it as CSV)",
                            s->label);
    } else {
        s->dec = &dec_none;
    }
    if ((rc = s->dec->init(s, err)) < 0) return rc;

    /* the BOM is in the decompressed data: read exactly two bytes to see it */
    char bom[2];
    size_t got = 0;
    while (got < 2) {
        ssize_t r = dec_read(s, bom + got, 2 - got, err);
        if (r < 0) return (int)r;
        if (r == 0) break;
        got += (size_t)r;
    }
    if (got == 2 && (uint8_t)bom[0] == 0xff && (uint8_t)bom[1] == 0xfe) {
        s->utf16 = 1;
    } else if (got == 2 && (uint8_t)bom[0] == 0xfe && (uint8_t)bom[1] == 0xff) {
        s->utf16 = 2;
    } else if (got) {
        pend_reserve(s, got);
        memcpy(s->pend + s->pend_len, bom, got);
        s->pend_len += got;
    }
    if (got == 0) s->eof = 1;
    if (s->utf16 && !s->u16_buf) s->u16_buf = sl_xmalloc(U16_CHUNK);
    return 0;
}

static void sha_start(struct sl_stream *s)
{
    if (!s->sha) s->sha = EVP_MD_CTX_new();
    if (!s->csha) s->csha = EVP_MD_CTX_new();
    if (!s->sha || !s->csha) {
        fprintf(stderr, "sluice: out of memory\n");
        exit(3);
    }
    EVP_DigestInit_ex(s->sha, EVP_sha256(), NULL);
    EVP_DigestInit_ex(s->csha, EVP_sha256(), NULL);
}

static struct sl_stream *stream_new(const char *label, const struct sl_stream_opts *o)
{
    struct sl_stream *s = sl_xcalloc(1, sizeof *s);
    s->fd = -1;
    s->spool_fd = -1;
    s->size = -1;
    s->label = sl_xstrdup(label);
    s->max_bytes = o ? o->max_bytes : 0;
    s->max_ratio = o && o->max_ratio > 0 ? o->max_ratio : 1000;
    s->hash = !(o && o->no_sha256);
    s->in = sl_xmalloc(IN_CAP);
    s->dec = &dec_none;
    sha_start(s);
    return s;
}

static int spool_create(struct sl_stream *s, struct sl_error *err)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    char *tmpl = sl_xasprintf("%s/sluice-stdin-XXXXXX", dir);
    int rc = 0;

    s->spool_fd = mkstemp(tmpl);
    if (s->spool_fd < 0) {
        rc = sl_error_set(err, SL_EIO, "%s: cannot create a spool file in %s: %s", s->label, dir,
                          strerror(errno));
        goto out;
    }
    unlink(tmpl); /* gone from the directory; lives while the fd is open */
out:
    free(tmpl);
    return rc;
}

int sl_stream_open(const char *path, const struct sl_stream_opts *o, struct sl_stream **out,
                   struct sl_error *err)
{
    int is_stdin = !strcmp(path, "-");
    const char *label = o && o->label ? o->label : is_stdin ? "stdin" : path;
    struct sl_stream *s = stream_new(label, o);
    struct stat st;
    int rc = 0;

    *out = NULL;
    s->is_stdin = is_stdin;
    if (is_stdin) {
        s->fd = STDIN_FILENO;
    } else {
        s->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (s->fd < 0) {
            rc = sl_error_set(err, SL_EIO, "%s: %s", label, strerror(errno));
            goto out;
        }
        s->own_fd = 1;
    }
    if (fstat(s->fd, &st) < 0) {
        rc = sl_error_set(err, SL_EIO, "%s: %s", label, strerror(errno));
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = sl_error_set(err, SL_EIO, "%s: is a directory", label);
        goto out;
    }
    if (S_ISREG(st.st_mode)) {
        s->start_off = is_stdin ? lseek(s->fd, 0, SEEK_CUR) : 0;
        if (s->start_off < 0) s->start_off = 0;
        s->seekable = 1;
        s->size = (int64_t)st.st_size - (int64_t)s->start_off;
    } else if (o && o->spool) {
        /* stdin, a FIFO, a device: what is read is kept so the input can be read again */
        if ((rc = spool_create(s, err)) < 0) goto out;
        /* an endless source (/dev/zero, a stuck producer) must not fill the disk */
        if (s->max_bytes <= 0) {
            s->max_bytes = SL_DEFAULT_MAX_SPOOLED;
            s->max_spooled_default = 1;
        }
    }
    rc = stream_start(s, err);
out:
    if (rc < 0) {
        sl_stream_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

int sl_stream_open_mem(const void *p, size_t n, const struct sl_stream_opts *o,
                       struct sl_stream **out, struct sl_error *err)
{
    struct sl_stream *s = stream_new(o && o->label ? o->label : "memory", o);
    int rc;

    *out = NULL;
    /* a non-NULL pointer marks a memory stream even when n == 0 */
    s->mem = p ? p : (const uint8_t *)"";
    s->mem_n = n;
    s->size = (int64_t)n;
    if ((rc = stream_start(s, err)) < 0) {
        sl_stream_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

static ssize_t fail(struct sl_stream *s, ssize_t rc, struct sl_error *err)
{
    if (err)
        s->failed = *err;
    else
        s->failed.code = (int)rc;
    return rc;
}

/* Counts delivered bytes and enforces the limits. */
static ssize_t deliver(struct sl_stream *s, ssize_t got, struct sl_error *err)
{
    s->out_bytes += got;
    if (s->max_bytes > 0 && s->out_bytes > s->max_bytes && s->max_spooled_default)
        return fail(s,
                    sl_error_set(err, SL_ELIMIT,
                                 "%s: input is larger than %lld bytes, the default limit for an "
                                 "input that is not a regular file (it is kept in a temporary "
                                 "file to be read twice); set max_input_size (--max-input-size) "
                                 "to allow more",
                                 s->label, (long long)s->max_bytes),
                    err);
    if (s->max_bytes > 0 && s->out_bytes > s->max_bytes)
        return fail(s,
                    sl_error_set(err, SL_ELIMIT,
                                 "%s: input is larger than the limit of %lld bytes "
                                 "(max_input_size)",
                                 s->label, (long long)s->max_bytes),
                    err);
    if (s->out_bytes > BOMB_FLOOR && s->raw_bytes > 0 &&
        (double)s->out_bytes / (double)s->raw_bytes > s->max_ratio)
        return fail(s,
                    sl_error_set(err, SL_ELIMIT,
                                 "%s: decompresses more than %g:1 — refusing a likely "
                                 "decompression bomb",
                                 s->label, s->max_ratio),
                    err);
    return got;
}

ssize_t sl_stream_read(struct sl_stream *s, void *buf, size_t n, struct sl_error *err)
{
    ssize_t r;

    if (s->failed.code) {
        if (err) *err = s->failed;
        return s->failed.code;
    }
    if (n == 0) return 0;
    if (s->pend_pos == s->pend_len && s->utf16) {
        r = pend_fill(s, n, err);
        if (r < 0) return fail(s, r, err);
    }
    if (s->pend_pos < s->pend_len) {
        size_t left = s->pend_len - s->pend_pos;
        size_t k = n < left ? n : left;
        memcpy(buf, s->pend + s->pend_pos, k);
        s->pend_pos += k;
        return deliver(s, (ssize_t)k, err);
    }
    if (s->eof) return 0;
    r = dec_read(s, buf, n, err);
    if (r < 0) return fail(s, r, err);
    if (r == 0) {
        s->eof = 1;
        return 0;
    }
    return deliver(s, r, err);
}

ssize_t sl_stream_peek(struct sl_stream *s, size_t n, const char **head, struct sl_error *err)
{
    *head = "";
    if (s->failed.code) {
        if (err) *err = s->failed;
        return s->failed.code;
    }
    while (s->pend_len - s->pend_pos < n && !s->eof) {
        ssize_t r = pend_fill(s, n - (s->pend_len - s->pend_pos), err);
        if (r < 0) return fail(s, r, err);
    }
    size_t have = s->pend_len - s->pend_pos;
    if (have) *head = s->pend + s->pend_pos;
    return (ssize_t)(have < n ? have : n);
}

/* Reads what is left of stdin into the spool, so a rewind can replay all of it. */
static int spool_drain(struct sl_stream *s, struct sl_error *err)
{
    for (;;) {
        s->in_pos = s->in_len = 0;
        ssize_t r = in_fill(s, err);
        if (r < 0) return (int)r;
        if (r == 0) return 0;
    }
}

int sl_stream_rewind(struct sl_stream *s, struct sl_error *err)
{
    int rc;

    if (s->mem) {
        s->mem_pos = 0;
    } else if (s->seekable) {
        if (lseek(s->fd, s->start_off, SEEK_SET) < 0)
            return sl_error_set(err, SL_EIO, "%s: cannot rewind: %s", s->label, strerror(errno));
    } else if (s->spool_fd >= 0) {
        if (!s->from_spool && (rc = spool_drain(s, err)) < 0) return rc;
        s->from_spool = 1;
        if (lseek(s->spool_fd, 0, SEEK_SET) < 0)
            return sl_error_set(err, SL_EIO, "%s: cannot rewind the spool file: %s", s->label,
                                strerror(errno));
        s->size = s->raw_bytes;
    } else {
        return sl_error_set(err, SL_EUNSUPPORTED,
                            "%s: cannot be read twice (not a regular file, and not spooled)",
                            s->label);
    }
    s->dec->end(s);
    s->dec = &dec_none;
    s->dec_eof = s->raw_eof = s->eof = 0;
    s->in_len = s->in_pos = 0;
    s->pend_len = s->pend_pos = 0;
    s->utf16 = 0;
    s->u16_has_odd = 0;
    s->u16_hi = 0;
    s->raw_bytes = s->out_bytes = 0;
    memset(&s->failed, 0, sizeof s->failed);
    sha_start(s);
    return stream_start(s, err);
}

void sl_stream_close(struct sl_stream *s)
{
    if (!s) return;
    s->dec->end(s);
    if (s->own_fd && s->fd >= 0) close(s->fd);
    if (s->spool_fd >= 0) close(s->spool_fd);
    EVP_MD_CTX_free(s->sha);
    EVP_MD_CTX_free(s->csha);
    free(s->in);
    free(s->pend);
    free(s->u16_buf);
    free(s->label);
    free(s);
}

const char *sl_stream_label(const struct sl_stream *s)
{
    return s->label;
}

const char *sl_stream_compression(const struct sl_stream *s)
{
    return s->dec->name;
}

const char *sl_stream_transcoding(const struct sl_stream *s)
{
    return s->utf16 == 1 ? "utf-16le" : s->utf16 == 2 ? "utf-16be" : NULL;
}

int64_t sl_stream_size(const struct sl_stream *s)
{
    return s->size;
}

int64_t sl_stream_raw_bytes(const struct sl_stream *s)
{
    return s->raw_bytes;
}

int64_t sl_stream_bytes(const struct sl_stream *s)
{
    return s->out_bytes;
}

static void hex_of(const unsigned char *d, unsigned n, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[2 * n] = '\0';
}

static void sha_hex(EVP_MD_CTX *ctx, char hex[65])
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    EVP_MD_CTX *c = EVP_MD_CTX_new();

    /* finish a copy, so the stream's hash can go on */
    if (!c || !EVP_MD_CTX_copy_ex(c, ctx) || !EVP_DigestFinal_ex(c, d, &n)) n = 0;
    EVP_MD_CTX_free(c);
    if (n != 32) {
        hex[0] = '\0';
        return;
    }
    hex_of(d, n, hex);
}

void sl_stream_sha256(struct sl_stream *s, char hex[65])
{
    if (!s->hash) {
        hex[0] = '\0';
        return;
    }
    sha_hex(s->sha, hex);
}

void sl_stream_content_sha256(struct sl_stream *s, char hex[65])
{
    if (!s->hash) {
        hex[0] = '\0';
        return;
    }
    sha_hex(s->dec == &dec_none ? s->sha : s->csha, hex);
}

void sl_sha256_hex(const void *p, size_t n, char hex[65])
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned len = 0;

    if (!EVP_Digest(p, n, d, &len, EVP_sha256(), NULL) || len != 32) {
        hex[0] = '\0';
        return;
    }
    hex_of(d, len, hex);
}

int sl_sha256_file(const char *path, char hex[65], struct sl_error *err)
{
    struct sl_stream *s = stream_new(path, NULL);
    struct stat st;
    size_t cap = 1 << 20;
    char *buf = sl_xmalloc(cap);
    int rc = 0;

    hex[0] = '\0';
    s->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (s->fd < 0) {
        rc = sl_error_set(err, SL_EIO, "%s: %s", path, strerror(errno));
        goto out;
    }
    s->own_fd = 1;
    if (fstat(s->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        rc = sl_error_set(err, SL_EIO, "%s: is a directory", path);
        goto out;
    }
    /* raw bytes only: no decoder, so this is what sha256sum prints */
    for (;;) {
        ssize_t r = raw_read(s, buf, cap, err);
        if (r < 0) {
            rc = (int)r;
            goto out;
        }
        if (r == 0) break;
    }
    sl_stream_sha256(s, hex);
out:
    free(buf);
    sl_stream_close(s);
    return rc;
}
