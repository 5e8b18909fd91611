/*
 * One HTTP client (src/io/http.c, on libcurl; docs/http.md): for OpenLineage now, webhooks,
 * HTTP sources and the server's tests later.
 *
 * One call is one request: method, URL, headers, a body in memory, and the response body either
 * collected (capped) or streamed to a callback. Connection failures, 408, 429 and 5xx (but 501
 * and 505) are retried with exponential backoff and full jitter, honouring Retry-After (seconds
 * or an HTTP-date), within a retry budget. TLS certificates and host names are always verified
 * (ca_file replaces the system's CAs). Only http:// and https:// URLs, redirects included. A
 * signal (sl_interrupted, or the caller's flag) stops a transfer or a wait within a second.
 * Every message masks the URL's secrets (src/core/redact.c) and never shows a header value.
 * Thread-safe: libcurl is initialized once; each call has its own handle.
 */
#ifndef SLUICE_HTTP_H
#define SLUICE_HTTP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "sluice/core.h"

/* Defaults (sl_http_opts_init). */
#define SL_HTTP_CONNECT_TIMEOUT_MS 10000
#define SL_HTTP_TIMEOUT_MS         60000
#define SL_HTTP_RETRIES            3
#define SL_HTTP_BACKOFF_MS         500
#define SL_HTTP_BACKOFF_MAX_MS     30000
#define SL_HTTP_RETRY_TIME_MS      120000
#define SL_HTTP_MAX_RESPONSE       (64 << 20)

struct sl_http_opts {
    long connect_timeout_ms; /* TCP + TLS handshake of one attempt (> 0) */
    long timeout_ms;         /* the whole of one attempt; 0: none (long streams) */
    int retries;             /* further attempts after the first; 0: none */
    long backoff_ms;         /* the first retry waits up to this (full jitter), then 2x, 4x... */
    long backoff_max_ms;     /* ... never more than this */
    long retry_time_ms;      /* no retry starts (or waits) past this since the first attempt */
    int64_t max_response;    /* bytes of response body; < 0: no limit when streaming (a
                                collected body keeps the default) */
    const char *ca_file;     /* PEM CA bundle instead of the system's; NULL: system */
    int follow_redirects;    /* up to this many (http/https only); 0: a 3xx is the answer */
    int any_status;          /* 1: any final status is a success (the caller reads it);
                                0: a status other than 2xx is an error (SL_EIO) */
    /* stops the request (SL_EINTR) when it becomes non-zero; NULL: sl_interrupted */
    const volatile sig_atomic_t *cancel;
};

/* The defaults above; any_status 0, no CA file, no redirects. */
void sl_http_opts_init(struct sl_http_opts *o);

struct sl_http_request {
    const char *method; /* "GET", "POST", "PUT", "DELETE", "HEAD", ...; NULL: GET, or POST
                           when there is a body */
    const char *url;    /* http:// or https:// */
    /* "Name: value" lines, NULL-terminated (may be NULL). No CR or LF inside. Content-Type
     * defaults to application/octet-stream when there is a body; User-Agent to sluice/VERSION. */
    const char *const *headers;
    const void *body; /* sent as is; may be NULL */
    size_t body_len;
    /* Streaming: called with each piece of the final response's body as it arrives (never
     * with a body that will be retried, nor with an error response unless any_status). Returns
     * 0 to go on, or a negative SL_E* with err set: the request stops with that code. A request
     * whose body has started to reach the callback is not retried. NULL: the body is collected
     * in the response. */
    int (*on_body)(void *ctx, const char *p, size_t n, struct sl_error *err);
    void *ctx;
};

struct sl_http_response {
    long status;        /* the final response's status; 0 when none came */
    char reason[64];    /* its reason phrase (HTTP/1.x), printable; "" if none */
    struct sl_buf body; /* the body when there is no on_body (up to max_response) */
    struct sl_buf head; /* the final response's header lines, "Name: value\n" each */
    int64_t body_bytes; /* bytes of body received (collected or streamed) */
    int attempts;       /* requests made */
    double seconds;     /* from the first attempt to the end, waits included */
};

/*
 * Makes the request. 0: a response came (2xx, or any status with any_status), its status, head
 * and body in *resp. Otherwise a negative code, err says why (masked), *resp holds what is known:
 *   SL_EINVAL  bad URL (not http/https), method or header
 *   SL_EIO     cannot connect, TLS failure, timeout, broken transfer, a non-2xx answer (after
 *              the retries that apply)
 *   SL_ELIMIT  the response is larger than max_response
 *   SL_EINTR   cancelled by a signal (or opts.cancel)
 *   or the code on_body returned.
 * resp must be freed with sl_http_response_free (also after a failure). opts NULL: defaults.
 */
int sl_http_request(const struct sl_http_request *req, const struct sl_http_opts *opts,
                    struct sl_http_response *resp, struct sl_error *err);
void sl_http_response_free(struct sl_http_response *resp);

/* The value of header name (case-insensitive) in the response, NUL-terminated copy into buf
 * (truncated to cap - 1); NULL when absent. The last one wins when it is repeated. */
const char *sl_http_header(const struct sl_http_response *resp, const char *name, char *buf,
                           size_t cap);

/* The wait a Retry-After value asks for, in seconds from now (its date minus the real clock for
 * an HTTP-date; 0 for a date in the past); -1 when it is neither a number nor an HTTP-date. */
double sl_http_retry_after(const char *value, size_t n);

#endif
