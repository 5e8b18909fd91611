/*
 * The HTTP client (include/sluice/http.h, docs/http.md) on libcurl's easy interface: one handle
 * per request (its connection reused by the retries), a write callback that collects or streams
 * the body of the final response only, a header callback that keeps the last response's head,
 * a progress callback that checks the cancel flag, and the retry loop around them.
 */
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "sluice/core.h"
#include "sluice/http.h"
#include "sluice/time.h"

#define HEAD_MAX   (256 << 10) /* bytes of response head kept */
#define SNIPPET    200         /* bytes of an error response's body shown in the message */
#define SLICE_NSEC 50000000L   /* a wait sleeps in slices of 50 ms, checking the cancel flag */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static CURLcode init_rc;

static void global_init(void)
{
    init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

void sl_http_opts_init(struct sl_http_opts *o)
{
    memset(o, 0, sizeof *o);
    o->connect_timeout_ms = SL_HTTP_CONNECT_TIMEOUT_MS;
    o->timeout_ms = SL_HTTP_TIMEOUT_MS;
    o->retries = SL_HTTP_RETRIES;
    o->backoff_ms = SL_HTTP_BACKOFF_MS;
    o->backoff_max_ms = SL_HTTP_BACKOFF_MAX_MS;
    o->retry_time_ms = SL_HTTP_RETRY_TIME_MS;
    o->max_response = SL_HTTP_MAX_RESPONSE;
}

void sl_http_response_free(struct sl_http_response *r)
{
    if (!r) return;
    sl_buf_free(&r->body);
    sl_buf_free(&r->head);
}

const char *sl_http_header(const struct sl_http_response *r, const char *name, char *buf,
                           size_t cap)
{
    size_t nl = strlen(name);
    const char *found = NULL, *p = r->head.p;
    size_t flen = 0;

    if (!p || !cap) return NULL;
    while (*p) {
        const char *e = strchr(p, '\n');
        if (!e) e = p + strlen(p);
        if ((size_t)(e - p) > nl && p[nl] == ':' && !strncasecmp(p, name, nl)) {
            const char *v = p + nl + 1, *ve = e;
            while (v < ve && (*v == ' ' || *v == '\t')) v++;
            while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t' || ve[-1] == '\r')) ve--;
            found = v;
            flen = (size_t)(ve - v);
        }
        p = *e ? e + 1 : e;
    }
    if (!found) return NULL;
    if (flen >= cap) flen = cap - 1;
    memcpy(buf, found, flen);
    buf[flen] = 0;
    return buf;
}

double sl_http_retry_after(const char *v, size_t n)
{
    size_t i = 0;
    double secs = 0;
    int64_t t;

    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t')) n--;
    while (i < n && (v[i] == ' ' || v[i] == '\t')) i++;
    if (i == n) return -1;
    if (isdigit((unsigned char)v[i])) {
        for (; i < n; i++) {
            if (!isdigit((unsigned char)v[i])) return -1;
            if (secs < 1e9) secs = secs * 10 + (v[i] - '0');
        }
        return secs;
    }
    if (sl_time_parse_http_date(v + i, n - i, &t)) return -1;
    struct timespec now; /* the real clock: SLUICE_NOW freezes sl_now, not the server */
    clock_gettime(CLOCK_REALTIME, &now);
    secs = (double)t - ((double)now.tv_sec + now.tv_nsec / 1e9);
    return secs > 0 ? secs : 0;
}

/* ---- one transfer ------------------------------------------------------------------------ */

enum { UNDECIDED, DELIVER, DISCARD };

struct xfer {
    CURL *h;
    const struct sl_http_request *req;
    const struct sl_http_opts *o;
    struct sl_http_response *resp;
    struct sl_error *err;
    const volatile sig_atomic_t *cancel;
    int mode;       /* what the write callback does with this response's body */
    int retry_left; /* another attempt is allowed (count and time) */
    int will_retry; /* this response is retried after wait seconds */
    double wait;
    int beyond;         /* not retried: the server's Retry-After is beyond the retry time */
    double t0;          /* sl_mono() at the first attempt */
    int streamed;       /* some body reached on_body: no retry any more */
    int limit_hit;      /* max_response exceeded */
    int cb_rc;          /* on_body's error */
    int cut;            /* an undelivered body was cut after its snippet (not an error) */
    int64_t max;        /* max_response in effect (collecting has a limit) */
    struct sl_buf snip; /* the start of a body that is not delivered (for the message) */
};

static int retryable_status(long s)
{
    return s == 408 || s == 429 || (s >= 500 && s <= 599 && s != 501 && s != 505);
}

static double next_wait(const struct sl_http_opts *o, const struct sl_http_response *r, int retry,
                        int *from_server);

/* At the first byte of a response body (or its end when it has none), with its head complete:
 * will it be retried (after how long), and is its body delivered? */
static void decide(struct xfer *x)
{
    long st = 0;
    if (x->mode != UNDECIDED) return;
    curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &st);
    x->resp->status = st;
    x->will_retry = x->beyond = 0;
    if (retryable_status(st) && x->retry_left) {
        int from_server;
        x->wait = next_wait(x->o, x->resp, x->resp->attempts, &from_server);
        if (sl_mono() - x->t0 + x->wait <= x->o->retry_time_ms / 1000.0)
            x->will_retry = 1;
        else
            x->beyond = from_server;
    }
    if (x->will_retry)
        x->mode = DISCARD;
    else if ((st >= 200 && st <= 299) || x->o->any_status)
        x->mode = DELIVER;
    else
        x->mode = DISCARD;
}

static size_t on_write(char *p, size_t size, size_t nmemb, void *ud)
{
    struct xfer *x = ud;
    size_t n = size * nmemb;
    int64_t max = x->max;

    decide(x);
    if (x->mode == DISCARD) { /* keep the start for the message, read no more than that */
        size_t k = SNIPPET - x->snip.len < n ? SNIPPET - x->snip.len : n;
        sl_buf_add(&x->snip, p, k);
        if (x->snip.len < SNIPPET) return n;
        x->cut = 1;
        return 0;
    }
    if (max >= 0 && x->resp->body_bytes + (int64_t)n > max) {
        x->limit_hit = 1;
        return 0;
    }
    x->resp->body_bytes += (int64_t)n;
    if (x->req->on_body) {
        x->streamed = 1;
        int rc = x->req->on_body(x->req->ctx, p, n, x->err);
        if (rc) {
            x->cb_rc = rc < 0 ? rc : SL_EIO;
            return 0;
        }
    } else {
        sl_buf_add(&x->resp->body, p, n);
    }
    return n;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
    struct xfer *x = ud;
    size_t n = size * nmemb, len = n;
    struct sl_http_response *r = x->resp;

    while (len && (p[len - 1] == '\n' || p[len - 1] == '\r')) len--;
    if (len >= 5 && !memcmp(p, "HTTP/", 5)) { /* a new response (1xx, redirect, final) */
        sl_buf_reset(&r->head);
        r->reason[0] = 0;
        x->mode = UNDECIDED;
        const char *sp = memchr(p, ' ', len),
                   *sp2 = sp ? memchr(sp + 1, ' ', len - (size_t)(sp + 1 - p)) : NULL;
        if (sp2) {
            struct sl_buf b = SL_BUF_INIT;
            sl_buf_add_printable(&b, sp2 + 1, len - (size_t)(sp2 + 1 - p));
            snprintf(r->reason, sizeof r->reason, "%s", sl_buf_str(&b));
            sl_buf_free(&b);
        }
    } else if (len && r->head.len + len < HEAD_MAX) {
        sl_buf_add(&r->head, p, len);
        sl_buf_addc(&r->head, '\n');
    }
    return n;
}

static int on_progress(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    struct xfer *x = ud;
    (void)dt, (void)dn, (void)ut, (void)un;
    return *x->cancel ? 1 : 0;
}

/* ---- checks ------------------------------------------------------------------------------ */

static int is_http_url(const char *u)
{
    return !strncasecmp(u, "http://", 7) || !strncasecmp(u, "https://", 8);
}

/* "Name: value": a token name, no CR, LF or NUL anywhere (no header injection). */
static int header_ok(const char *h)
{
    size_t i = 0;
    while (h[i] && h[i] != ':' && (isalnum((unsigned char)h[i]) || strchr("!#$%&'*+-.^_`|~", h[i])))
        i++;
    if (!i || h[i] != ':') return 0;
    return !strpbrk(h, "\r\n");
}

static int has_header(const char *const *hs, const char *name)
{
    size_t n = strlen(name);
    for (; hs && *hs; hs++)
        if (!strncasecmp(*hs, name, n) && (*hs)[n] == ':') return 1;
    return 0;
}

/* ---- the request ------------------------------------------------------------------------- */

/* Sleeps secs unless cancelled: 0 slept, -1 cancelled. */
static int wait_for(double secs, const volatile sig_atomic_t *cancel)
{
    double end = sl_mono() + secs;
    for (;;) {
        if (*cancel) return -1;
        double left = end - sl_mono();
        if (left <= 0) return 0;
        struct timespec ts = {0, left < SLICE_NSEC / 1e9 ? (long)(left * 1e9) : SLICE_NSEC};
        nanosleep(&ts, NULL);
    }
}

/* The next wait: Retry-After when the response has one, else the backoff with full jitter. */
static double next_wait(const struct sl_http_opts *o, const struct sl_http_response *r, int retry,
                        int *from_server)
{
    char v[128];
    double ra = -1;

    *from_server = 0;
    if (r->status && sl_http_header(r, "Retry-After", v, sizeof v))
        ra = sl_http_retry_after(v, strlen(v));
    if (ra >= 0) {
        *from_server = 1;
        return ra;
    }
    double cap = (double)o->backoff_ms;
    for (int i = 1; i < retry && cap < (double)o->backoff_max_ms; i++) cap *= 2;
    if (cap > (double)o->backoff_max_ms) cap = (double)o->backoff_max_ms;
    if (cap > 86400000) cap = 86400000; /* a day: arc4random_uniform takes 32 bits */
    if (cap < 1) return 0;
    return arc4random_uniform((uint32_t)cap + 1) / 1000.0;
}

static int is_tls_error(CURLcode c)
{
    return c == CURLE_PEER_FAILED_VERIFICATION || c == CURLE_SSL_CONNECT_ERROR ||
           c == CURLE_SSL_CERTPROBLEM || c == CURLE_SSL_CIPHER || c == CURLE_SSL_CACERT_BADFILE ||
           c == CURLE_SSL_ISSUER_ERROR || c == CURLE_SSL_PINNEDPUBKEYNOTMATCH ||
           c == CURLE_SSL_INVALIDCERTSTATUS || c == CURLE_SSL_ENGINE_INITFAILED ||
           c == CURLE_SSL_CRL_BADFILE || c == CURLE_SSL_SHUTDOWN_FAILED;
}

static int transient(CURLcode c)
{
    return c == CURLE_COULDNT_CONNECT || c == CURLE_OPERATION_TIMEDOUT || c == CURLE_SEND_ERROR ||
           c == CURLE_RECV_ERROR || c == CURLE_GOT_NOTHING || c == CURLE_PARTIAL_FILE ||
           c == CURLE_HTTP2 || c == CURLE_HTTP2_STREAM;
}

/* What went wrong in one attempt, as words, into m (without the URL). */
static void describe(struct xfer *x, CURLcode c, const char *ebuf, struct sl_buf *m)
{
    const char *detail = ebuf[0] ? ebuf : curl_easy_strerror(c);
    const char *what;

    if (c == CURLE_OK) {
        sl_buf_addf(m, "HTTP %ld", x->resp->status);
        if (x->resp->reason[0]) sl_buf_addf(m, " %s", x->resp->reason);
        if (x->snip.len) {
            sl_buf_adds(m, ": ");
            sl_buf_add_printable(m, x->snip.p, x->snip.len < SNIPPET ? x->snip.len : SNIPPET);
            if (x->snip.len >= SNIPPET) sl_buf_adds(m, "...");
        }
        return;
    }
    if (is_tls_error(c)) { /* never retried: it will not get better */
        sl_buf_addf(m, "TLS: %s (verified against ", detail);
        if (x->o->ca_file) {
            sl_buf_adds(m, "ca_file ");
            sl_buf_add_printable(m, x->o->ca_file, strlen(x->o->ca_file));
            sl_buf_addc(m, ')');
        } else {
            sl_buf_adds(m, "the system's CAs; name a private CA with ca_file)");
        }
        return;
    }
    switch (c) {
    case CURLE_COULDNT_RESOLVE_HOST: what = "cannot resolve the host"; break;
    case CURLE_COULDNT_RESOLVE_PROXY: what = "cannot resolve the proxy"; break;
    case CURLE_COULDNT_CONNECT: what = "cannot connect"; break;
    case CURLE_OPERATION_TIMEDOUT: what = "timed out"; break;
    case CURLE_TOO_MANY_REDIRECTS: what = "too many redirects"; break;
    case CURLE_UNSUPPORTED_PROTOCOL: what = "refused (only http:// and https://)"; break;
    case CURLE_URL_MALFORMAT: what = "not a valid URL"; break;
    default: what = transient(c) ? "the connection broke" : "failed"; break;
    }
    long oserr = 0;
    curl_easy_getinfo(x->h, CURLINFO_OS_ERRNO, &oserr);
    if (oserr && (c == CURLE_COULDNT_CONNECT || transient(c)))
        sl_buf_addf(m, "%s (%s): %s", what, strerror((int)oserr), detail);
    else
        sl_buf_addf(m, "%s: %s", what, detail);
}

static void add_attempts(struct sl_buf *m, const struct sl_http_response *r)
{
    if (r->attempts > 1) sl_buf_addf(m, " (%d attempts in %.1f s)", r->attempts, r->seconds);
}

int sl_http_request(const struct sl_http_request *req, const struct sl_http_opts *opts,
                    struct sl_http_response *resp, struct sl_error *err)
{
    struct sl_http_opts defaults;
    struct curl_slist *hl = NULL;
    struct xfer x;
    struct sl_buf msg = SL_BUF_INIT;
    char ebuf[CURL_ERROR_SIZE];
    char *url = NULL;
    const char *method;
    int rc = 0;

    memset(resp, 0, sizeof *resp);
    memset(&x, 0, sizeof x);
    if (!opts) {
        sl_http_opts_init(&defaults);
        opts = &defaults;
    }
    if (!req->url || !*req->url) return sl_error_set(err, SL_EINVAL, "HTTP request without a URL");
    { /* the URL as messages show it: secrets masked, control bytes escaped */
        char *red = sl_url_redact(req->url);
        sl_buf_add_printable(&msg, red, strlen(red));
        free(red);
        url = sl_buf_detach(&msg);
    }
    if (!is_http_url(req->url)) {
        rc = sl_error_set(err, SL_EINVAL, "%s: only http:// and https:// URLs are supported", url);
        goto out;
    }
    method = req->method ? req->method : req->body ? "POST" : "GET";
    if (!*method || strlen(method) > 16 ||
        strspn(method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(method)) {
        rc = sl_error_set(err, SL_EINVAL, "%s: bad HTTP method", url);
        goto out;
    }
    for (const char *const *h = req->headers; h && *h; h++) {
        if (!header_ok(*h)) { /* the value may be a secret: show the name only */
            sl_buf_add_printable(&msg, *h, strcspn(*h, ":\r\n"));
            rc = sl_error_set(err, SL_EINVAL,
                              "%s: bad request header '%s' (Name: value, no line breaks)", url,
                              sl_buf_str(&msg));
            goto out;
        }
        hl = curl_slist_append(hl, *h);
    }
    if (req->body && !has_header(req->headers, "Content-Type"))
        hl = curl_slist_append(hl, "Content-Type: application/octet-stream");
    hl = curl_slist_append(hl, "Expect:"); /* no 100-continue round trip */
    if (opts->ca_file && access(opts->ca_file, R_OK)) {
        sl_buf_add_printable(&msg, opts->ca_file, strlen(opts->ca_file));
        rc = sl_error_set(err, SL_ECONFIG, "ca_file %s: %s", sl_buf_str(&msg), strerror(errno));
        goto out;
    }

    pthread_once(&init_once, global_init);
    if (init_rc != CURLE_OK) {
        rc =
            sl_error_set(err, SL_EIO, "cannot initialize libcurl: %s", curl_easy_strerror(init_rc));
        goto out;
    }
    if (!(x.h = curl_easy_init())) {
        rc = sl_error_set(err, SL_EIO, "cannot initialize libcurl");
        goto out;
    }
    x.req = req;
    x.o = opts;
    x.resp = resp;
    x.err = err;
    x.cancel = opts->cancel ? opts->cancel : &sl_interrupted;

    CURL *h = x.h;
    curl_easy_setopt(h, CURLOPT_URL, req->url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    if (opts->follow_redirects > 0) {
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(h, CURLOPT_MAXREDIRS, (long)opts->follow_redirects);
    }
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms
                                                  : SL_HTTP_CONNECT_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, opts->timeout_ms > 0 ? opts->timeout_ms : 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    if (opts->ca_file) {
        curl_easy_setopt(h, CURLOPT_CAINFO, opts->ca_file);
        curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
    }
    if (!has_header(req->headers, "User-Agent"))
        curl_easy_setopt(h, CURLOPT_USERAGENT, "sluice/" SL_VERSION);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    if (!strcmp(method, "HEAD")) {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (req->body || !strcmp(method, "POST")) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)(req->body ? req->body_len : 0));
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? req->body : "");
        if (strcmp(method, "POST")) curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    } else if (strcmp(method, "GET")) {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    }
    /* no limit only for a stream: a collected body always has one */
    x.max = opts->max_response < 0 && !req->on_body ? SL_HTTP_MAX_RESPONSE : opts->max_response;
    if (x.max >= 0) curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x.max);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &x);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);

    x.t0 = sl_mono();
    for (;;) {
        CURLcode c;
        int retry = 0;
        double wait = 0, budget = opts->retry_time_ms / 1000.0;

        if (*x.cancel) {
            rc = sl_error_set(err, SL_EINTR, "%s: interrupted", url);
            goto out;
        }
        ebuf[0] = 0;
        resp->status = 0;
        resp->reason[0] = 0;
        sl_buf_reset(&resp->head);
        sl_buf_reset(&resp->body);
        resp->body_bytes = 0;
        sl_buf_reset(&x.snip);
        x.mode = UNDECIDED;
        x.cut = 0;
        x.retry_left = resp->attempts < opts->retries && sl_mono() - x.t0 < budget;
        resp->attempts++;
        c = curl_easy_perform(h);
        resp->seconds = sl_mono() - x.t0;
        if (c == CURLE_WRITE_ERROR && x.cut) c = CURLE_OK; /* the answer came; its body cut */
        if (c == CURLE_OK) decide(&x);                     /* a response without a body */

        if (c == CURLE_ABORTED_BY_CALLBACK || (c != CURLE_OK && *x.cancel)) {
            rc = sl_error_set(err, SL_EINTR, "%s: interrupted", url);
            goto out;
        }
        if (x.cb_rc) {
            sl_error_prefix(err, "%s", url);
            rc = x.cb_rc;
            goto out;
        }
        if (x.limit_hit || c == CURLE_FILESIZE_EXCEEDED) {
            char hb[32];
            rc = sl_error_set(err, SL_ELIMIT,
                              "%s: the response is larger than %s (max response size)", url,
                              sl_human_bytes((double)opts->max_response, hb, sizeof hb));
            goto out;
        }
        if (c == CURLE_OK && x.mode == DELIVER) goto out; /* the answer */
        sl_buf_reset(&msg);
        describe(&x, c, ebuf, &msg);
        if (c == CURLE_OK) {
            retry = x.will_retry;
            wait = x.wait;
            if (x.beyond)
                sl_buf_addf(
                    &msg,
                    "; not retried: the server asks to wait %.0f s, beyond the retry time (%.0f s)",
                    x.wait, budget);
        } else if (transient(c) && !x.streamed && x.retry_left) {
            int from_server;
            wait = next_wait(opts, resp, resp->attempts, &from_server);
            retry = resp->seconds + wait <= budget;
        }
        if (!retry) {
            if (c == CURLE_OK && opts->any_status) goto out; /* the caller reads the status */
            add_attempts(&msg, resp);
            rc = sl_error_set(err, c == CURLE_URL_MALFORMAT ? SL_EINVAL : SL_EIO, "%s: %s", url,
                              sl_buf_str(&msg));
            goto out;
        }
        sl_log(SL_LOG_WARN, "%s: %s; retrying in %.1f s (attempt %d of %d)", url, sl_buf_str(&msg),
               wait, resp->attempts + 1, opts->retries + 1);
        if (wait_for(wait, x.cancel)) {
            rc = sl_error_set(err, SL_EINTR, "%s: interrupted", url);
            goto out;
        }
    }
out:
    if (x.h) {
        resp->seconds = sl_mono() - x.t0;
        curl_easy_cleanup(x.h);
    }
    curl_slist_free_all(hl);
    sl_buf_free(&x.snip);
    sl_buf_free(&msg);
    free(url);
    return rc;
}
