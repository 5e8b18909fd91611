/*
 * Byte streams: what a format reads from. A stream is a file, stdin ("-") or memory, with
 * transparent gzip and zstd decompression (detected by magic bytes), UTF-16 to UTF-8
 * transcoding (detected by BOM), a SHA-256 of the raw bytes computed while reading, and limits.
 */
#ifndef SLUICE_STREAM_H
#define SLUICE_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sluice/core.h"

/* max_bytes of a spooled input when none is given: what the temporary file may take */
#define SL_DEFAULT_MAX_SPOOLED ((int64_t)1 << 30)

struct sl_stream_opts {
    int64_t max_bytes; /* decompressed bytes allowed, 0 = no limit */
    double max_ratio;  /* decompressed/compressed allowed once past 64 MiB; 0 = 1000 */
    int spool;         /* not a regular file (stdin, FIFO, device): keep a copy in an unlinked
                        * temp file so sl_stream_rewind works; max_bytes 0 then means
                        * SL_DEFAULT_MAX_SPOOLED */
    const char *label; /* name for messages (defaults to the path; "stdin" for "-") */
    int no_sha256;     /* nobody asks for the SHA-256 (check, infer, cat): do not compute it;
                        * sl_stream_sha256 and sl_stream_content_sha256 then give "" */
};

struct sl_stream;

/* Opens path ("-" = stdin). Fails with a one-line message naming the path and the cause:
 * missing, unreadable, a directory, an unsupported compression (bzip2, xz, zip). */
int sl_stream_open(const char *path, const struct sl_stream_opts *o, struct sl_stream **out,
                   struct sl_error *err);
/* A stream over memory (not copied: must outlive the stream). For tests and HTTP bodies. */
int sl_stream_open_mem(const void *p, size_t n, const struct sl_stream_opts *o,
                       struct sl_stream **out, struct sl_error *err);

/* Reads up to n decompressed bytes; returns the count, 0 at the end, or a negative SL_E* code
 * (truncated gzip/zstd, limit exceeded, I/O error) with err set. */
ssize_t sl_stream_read(struct sl_stream *s, void *buf, size_t n, struct sl_error *err);
/* Reads the first up to n decompressed bytes without consuming them (for sniffing). Returns
 * how many are available in *head (valid until the next call on s). */
ssize_t sl_stream_peek(struct sl_stream *s, size_t n, const char **head, struct sl_error *err);
/* Back to the start (regular files, memory, spooled stdin); the SHA-256 starts again. */
int sl_stream_rewind(struct sl_stream *s, struct sl_error *err);
void sl_stream_close(struct sl_stream *s);

const char *sl_stream_label(const struct sl_stream *s);
const char *sl_stream_compression(const struct sl_stream *s); /* "none", "gzip", "zstd" */
const char *sl_stream_transcoding(const struct sl_stream *s); /* NULL, "utf-16le", "utf-16be" */
int64_t sl_stream_size(const struct sl_stream *s);      /* raw size if known (stat), else -1 */
int64_t sl_stream_raw_bytes(const struct sl_stream *s); /* raw bytes read so far */
int64_t sl_stream_bytes(const struct sl_stream *s);     /* decompressed bytes delivered so far */
/* SHA-256 (lowercase hex) of all raw bytes read so far; of the whole input once at its end;
 * "" when the stream was opened with no_sha256. */
void sl_stream_sha256(struct sl_stream *s, char hex[65]);
/* SHA-256 of the decompressed bytes read so far (before any UTF-16 transcoding): the content,
 * the same for a.csv and a.csv.gz. The raw bytes' SHA-256 when the input is not compressed. */
void sl_stream_content_sha256(struct sl_stream *s, char hex[65]);

/* 1 when the first block of an input (decompressed) is not data text: an archive, a document,
 * an image, an executable, a database, UTF-16 without a BOM, or bytes with many control codes;
 * why then says what it is, *todo what to do instead (or NULL). 0 for text (a few NULs are bad
 * records, not this). */
int sl_binary_check(const char *head, size_t n, char *why, size_t whylen, const char **todo);

/* SHA-256 of a whole file without keeping it (for the early duplicate check). */
int sl_sha256_file(const char *path, char hex[65], struct sl_error *err);
void sl_sha256_hex(const void *p, size_t n, char hex[65]);

/*
 * Input discovery: expands paths and globs into a list of files. Relative patterns are joined
 * to base_dir (when non-NULL). A glob's matches are sorted (byte order), directories skipped; a
 * glob that matches nothing adds nothing (the caller warns). A directory yields the regular
 * files directly in it (sorted, no dotfiles). A symbolic link found in a directory or by a glob
 * is followed only when its target lies inside the link's own directory; the others are not
 * loaded but listed in skipped (the caller warns). A plain path (or "-") passes through even if
 * it does not exist or is a link: the load reports it. Later repeats of a path are dropped.
 * out->v and its strings are owned by out: free with sl_paths_free. Fails only when a
 * directory cannot be read.
 */
struct sl_paths {
    char **v;
    size_t n;
    char **skipped; /* symbolic links leading out of their directory, not loaded */
    size_t nskipped;
};
int sl_paths_expand(const char *const *patterns, size_t npatterns, const char *base_dir,
                    struct sl_paths *out, struct sl_error *err);
void sl_paths_free(struct sl_paths *p);

#endif
