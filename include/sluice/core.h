/*
 * sluice core: errors, arenas, growable buffers, logging, clock.
 *
 * Conventions (see ../shared/STYLE.md): library functions return 0 or a negative SL_E* code
 * and fill a caller-owned struct sl_error. Out of memory is not an error code: like git and
 * Redis, sluice prints a message and exits (sl_xmalloc and friends never return NULL).
 */
#ifndef SLUICE_CORE_H
#define SLUICE_CORE_H

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define SL_VERSION "0.1.0"

/* ---- errors ---------------------------------------------------------------------------- */

enum {
    SL_OK = 0,
    SL_EINVAL = -1,       /* bad argument or usage */
    SL_EIO = -2,          /* reading or writing failed */
    SL_EFORMAT = -3,      /* the input as a whole cannot be parsed */
    SL_ELIMIT = -4,       /* a size limit was exceeded */
    SL_ECONFIG = -5,      /* config, schema or .env file problem */
    SL_EDB = -6,          /* database error */
    SL_ENOTFOUND = -7,    /* no such source, load, file */
    SL_EINTR = -8,        /* interrupted by a signal */
    SL_ECHANGED = -9,     /* the input changed while it was read */
    SL_EUNSUPPORTED = -10 /* an input in a form sluice cannot read (bzip2, zip, ...) */
};

struct sl_error {
    int code;
    char msg[1024];
};

/* Sets code and a printf-style message. Returns code, so `return sl_error_set(...)` works. */
int sl_error_set(struct sl_error *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Puts "prefix: " in front of the message already in e. */
void sl_error_prefix(struct sl_error *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const char *sl_strerror(int code);
/* The exit code (CLI.md) for a failure with this code: 2 usage or configuration, 3 runtime. */
int sl_exit_code(int code);

/* Set by the program's SIGINT/SIGTERM handler: loads stop, roll back and report SL_EINTR, and
 * a blocked read (an idle stdin) gives up instead of waiting for more input. */
extern volatile sig_atomic_t sl_interrupted;

/* ---- memory ---------------------------------------------------------------------------- */

void *sl_xmalloc(size_t n);
void *sl_xcalloc(size_t n, size_t size);
void *sl_xrealloc(void *p, size_t n);
char *sl_xstrdup(const char *s);
char *sl_xstrndup(const char *s, size_t n);
char *sl_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * An arena hands out memory that lives until sl_arena_reset or sl_arena_free: one per batch,
 * so a batch's cells, values and messages are freed at once (git's mem-pool).
 */
struct sl_arena_chunk;
struct sl_arena {
    struct sl_arena_chunk *head;
    size_t chunk_size; /* default size of a new chunk */
    size_t used;       /* bytes handed out since the last reset */
};

void sl_arena_init(struct sl_arena *a, size_t chunk_size);
void *sl_arena_alloc(struct sl_arena *a, size_t n); /* 8-byte aligned, not zeroed */
void *sl_arena_zalloc(struct sl_arena *a, size_t n);
char *sl_arena_strndup(struct sl_arena *a, const char *p, size_t n); /* NUL-terminated copy */
char *sl_arena_sprintf(struct sl_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Frees everything but the first chunk, which is kept for reuse. */
void sl_arena_reset(struct sl_arena *a);
void sl_arena_free(struct sl_arena *a);

/*
 * A growable byte buffer (curl's dynbuf, git's strbuf). p is always NUL-terminated when
 * non-NULL. Initialize with SL_BUF_INIT; free with sl_buf_free or take p with sl_buf_detach.
 */
struct sl_buf {
    char *p;
    size_t len, cap;
};
#define SL_BUF_INIT \
    {               \
        NULL, 0, 0  \
    }

void sl_buf_grow(struct sl_buf *b, size_t extra);
void sl_buf_add(struct sl_buf *b, const void *p, size_t n);
void sl_buf_adds(struct sl_buf *b, const char *s);
void sl_buf_addc(struct sl_buf *b, char c);
void sl_buf_add_i64(struct sl_buf *b, int64_t v); /* decimal, as "%lld" without printf's cost */
void sl_buf_addf(struct sl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sl_buf_vaddf(struct sl_buf *b, const char *fmt, va_list ap);
void sl_buf_reset(struct sl_buf *b); /* len = 0, keeps the memory */
void sl_buf_free(struct sl_buf *b);
char *sl_buf_detach(struct sl_buf *b);    /* caller frees with free(); b is empty again */
const char *sl_buf_str(struct sl_buf *b); /* "" when empty */

/* JSON output helpers. Strings must be UTF-8; invalid bytes are written as U+FFFD. */
void sl_buf_json_str(struct sl_buf *b, const char *p, size_t n); /* "..." with escapes */
void sl_buf_json_cstr(struct sl_buf *b, const char *s);          /* NULL -> null */
void sl_buf_json_double(struct sl_buf *b, double d);             /* shortest exact form */
/* Does p[0..n) need escaping inside a JSON string (", \, control bytes)? */
int sl_json_needs_escape(const char *p, size_t n);

/* ---- secrets in messages (src/core/redact.c) --------------------------------------------- */

/*
 * A URL (store, endpoint) as it may be shown: the userinfo password and the values of
 * password-like query parameters (password, token, api_key, secret, ...) become "***".
 * Caller frees with free().
 */
char *sl_url_redact(const char *url);
/* A URL to publish (an OpenLineage namespace): without its userinfo (user and password) and
 * without its password-like query parameters. Caller frees. */
char *sl_url_public(const char *url);
/* Appends text with every URL in it masked as above, and libpq conninfo `password=...`. */
void sl_buf_add_redacted(struct sl_buf *b, const char *text);
/* The same in place on a NUL-terminated message of capacity cap (truncated if it grows).
 * sl_error_set, sl_error_prefix and sl_log call it: every error and log line is masked. */
void sl_redact_text(char *msg, size_t cap);
/* Appends p[0..n) safe for a terminal or a log line: control bytes as \n \r \t \xNN, C1
 * controls as \u0080..\u009f, invalid UTF-8 bytes as \xNN; valid UTF-8 text unchanged. For
 * every name or value from an input that goes into a message. */
void sl_buf_add_printable(struct sl_buf *b, const char *p, size_t n);
/* Remembers the passwords of url (userinfo, password-like parameters): from then on every
 * message masks them wherever they appear, whole or in pieces, raw or percent-decoded (libpq
 * quotes values it cannot read outside the URL). Called for every store and endpoint URL. */
void sl_redact_register_url(const char *url);
/* sl_buf_add_printable of a C string (NULL: nothing). */
void sl_buf_add_shown(struct sl_buf *b, const char *s);
/* A NUL-terminated message of capacity cap made printable in place, as sl_buf_add_printable
 * (truncated if it grows). sl_error_set, sl_error_prefix and sl_log call it: no message
 * carries a control character, whatever name or value it quotes. */
void sl_text_printable(char *msg, size_t cap);
/* Is name[0..n) a query parameter that carries a secret (case-insensitive)? */
int sl_is_secret_param(const char *name, size_t n);

/* ---- text ------------------------------------------------------------------------------- */

/* Length of the valid UTF-8 prefix of p[0..n); == n when all of it is valid. */
size_t sl_utf8_valid_prefix(const char *p, size_t n);
/* Any byte >= 0x80 or == 0 in p[0..n)? (fast, 8 bytes at a time) */
int sl_has_high_or_nul(const char *p, size_t n);
/* Latin-1 (ISO-8859-1) or Windows-1252 to UTF-8 into a (out needs 3*n bytes). */
size_t sl_latin1_to_utf8(const char *p, size_t n, char *out, int cp1252);

/* ---- logging ---------------------------------------------------------------------------- */

enum sl_log_level { SL_LOG_ERROR, SL_LOG_WARN, SL_LOG_INFO, SL_LOG_DEBUG };
struct sl_log_config {
    enum sl_log_level level; /* messages above it are dropped */
    int json;                /* one JSON object per line instead of text */
};
extern struct sl_log_config sl_log_cfg;
/* To stderr: "sluice: warning: ..." or {"level":"warning","msg":"..."}. Thread-safe. */
void sl_log(enum sl_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- time ------------------------------------------------------------------------------- */

/* Wall clock, seconds since the epoch. SLUICE_NOW (epoch seconds or ISO-8601 UTC) freezes it:
 * golden tests use it to get reproducible times and durations (then every duration is 0). */
double sl_now(void);
/* ISO-8601 UTC with milliseconds: 2026-11-23T13:05:00.123Z (buf >= 32). */
char *sl_time_iso(double t, char *buf, size_t n);
/* Proleptic Gregorian calendar: days since 1970-01-01 of a date (m 1..12, d 1..31), and back.
 * Exact for any year an int64_t day count holds (H. Hinnant's algorithms). */
int64_t sl_days_from_civil(int64_t y, int m, int d);
void sl_civil_from_days(int64_t days, int64_t *y, int *m, int *d);
/* Monotonic seconds for rates and ETAs (not frozen by SLUICE_NOW). */
double sl_mono(void);

/* Human sizes: 1.5 MB, 106 MB (decimal units). */
char *sl_human_bytes(double n, char *buf, size_t cap);
/* Parses "64MiB", "16 MB", "1048576" → bytes; -1 on error. */
int64_t sl_parse_size(const char *s);

#endif
