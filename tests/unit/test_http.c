/*
 * The HTTP client (src/io/http.c) against a real HTTP server on loopback: libmicrohttpd, started
 * by each test on an ephemeral port of 127.0.0.1, one thread per connection. Its routes:
 *   /ok                 200 "hello", X-Test-Header: yes
 *   /echo               200: method, User-Agent, X-Test, Content-Type and the body, one a line
 *   /fail?n=N&s=S&ra=R  the first N requests answer S (default 503) with Retry-After R (a
 *                       number, or "date": an HTTP-date 2 s ahead), then 200 "done"
 *   /drop?n=N           the first N connections are closed without an answer, then 200
 *   /slow?ms=M          answers after M ms
 *   /big?n=N&s=S        N bytes 'a'..'z' repeated, chunked (no Content-Length), status S
 *                       (default 200); /bigcl with a Content-Length
 *   /status?s=S         S with body "nope"
 *   /redirect?to=URL    302 to URL
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sluice/core.h"
#include "sluice/http.h"
#include "sluice/time.h"
#include "unit.h"

struct srv {
    struct MHD_Daemon *d;
    int port;
    atomic_int hits, stopping;
};

struct upload {
    struct sl_buf body;
};

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    struct upload *u = *con_cls;
    (void)cls, (void)c, (void)toe;
    if (u) {
        sl_buf_free(&u->body);
        free(u);
        *con_cls = NULL;
    }
}

static ssize_t big_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    uint64_t n = *(uint64_t *)cls;
    if (pos >= n) return MHD_CONTENT_READER_END_OF_STREAM;
    size_t k = n - pos < max ? (size_t)(n - pos) : max;
    for (size_t i = 0; i < k; i++) buf[i] = (char)('a' + (pos + i) % 26);
    return (ssize_t)k;
}

static enum MHD_Result answer(struct MHD_Connection *c, unsigned status, const char *body,
                              const char *hname, const char *hvalue)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
    if (hname) MHD_add_response_header(r, hname, hvalue);
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static long arg(struct MHD_Connection *c, const char *name, long dflt)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
    return v ? atol(v) : dflt;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *data,
                               size_t *data_size, void **con_cls)
{
    struct srv *s = cls;
    struct upload *u = *con_cls;
    (void)version;

    if (!u) { /* the first call: the head only */
        *con_cls = u = calloc(1, sizeof *u);
        return MHD_YES;
    }
    if (*data_size) {
        sl_buf_add(&u->body, data, *data_size);
        *data_size = 0;
        return MHD_YES;
    }
    int hit = atomic_fetch_add(&s->hits, 1);
    if (!strcmp(url, "/ok")) return answer(c, 200, "hello", "X-Test-Header", "yes");
    if (!strcmp(url, "/echo")) {
        struct sl_buf b = SL_BUF_INIT;
        const char *ua = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "User-Agent");
        const char *xt = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Test");
        const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
        sl_buf_addf(&b, "%s\n%s\n%s\n%s\n", method, ua ? ua : "-", xt ? xt : "-", ct ? ct : "-");
        sl_buf_add(&b, u->body.p ? u->body.p : "", u->body.len);
        struct MHD_Response *r = MHD_create_response_from_buffer(b.len, b.p, MHD_RESPMEM_MUST_COPY);
        enum MHD_Result ret = MHD_queue_response(c, 200, r);
        MHD_destroy_response(r);
        sl_buf_free(&b);
        return ret;
    }
    if (!strcmp(url, "/fail")) {
        if (hit >= arg(c, "n", 1)) return answer(c, 200, "done", NULL, NULL);
        const char *ra = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "ra");
        char date[64];
        if (ra && !strcmp(ra, "date")) {
            time_t t = time(NULL) + 2;
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
            ra = date;
        }
        return answer(c, (unsigned)arg(c, "s", 503), "try later", ra ? "Retry-After" : NULL, ra);
    }
    if (!strcmp(url, "/drop")) {
        if (hit < arg(c, "n", 1)) return MHD_NO; /* closes the connection, no answer */
        return answer(c, 200, "back", NULL, NULL);
    }
    if (!strcmp(url, "/slow")) {
        long ms = arg(c, "ms", 1000);
        for (long i = 0; i < ms / 10 && !atomic_load(&s->stopping); i++) usleep(10000);
        return answer(c, 200, "late", NULL, NULL);
    }
    if (!strcmp(url, "/big") || !strcmp(url, "/bigcl")) {
        uint64_t *n = malloc(sizeof *n);
        *n = (uint64_t)arg(c, "n", 0);
        struct MHD_Response *r = MHD_create_response_from_callback(
            strcmp(url, "/big") ? *n : MHD_SIZE_UNKNOWN, 4096, big_reader, n, free);
        enum MHD_Result ret = MHD_queue_response(c, (unsigned)arg(c, "s", 200), r);
        MHD_destroy_response(r);
        return ret;
    }
    if (!strcmp(url, "/status")) return answer(c, (unsigned)arg(c, "s", 500), "nope", NULL, NULL);
    if (!strcmp(url, "/redirect"))
        return answer(c, 302, "", "Location",
                      MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "to"));
    return answer(c, 404, "no such route", NULL, NULL);
}

static int srv_start(struct srv *s)
{
    struct sockaddr_in a;
    memset(s, 0, sizeof *s);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0,
                            NULL, NULL, handler, s, MHD_OPTION_SOCK_ADDR, &a,
                            MHD_OPTION_NOTIFY_COMPLETED, completed, s, MHD_OPTION_END);
    sl_log_cfg.level = SL_LOG_ERROR; /* no retry warnings in the test output */
    if (!s->d) return -1;
    s->port = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT)->port;
    return 0;
}

static void srv_stop(struct srv *s)
{
    atomic_store(&s->stopping, 1);
    sl_log_cfg.level = SL_LOG_INFO;
    if (s->d) MHD_stop_daemon(s->d);
}

/* Fast retries for tests: 10 ms backoff. */
static void fast(struct sl_http_opts *o)
{
    sl_http_opts_init(o);
    o->backoff_ms = 10;
    o->backoff_max_ms = 50;
    o->retry_time_ms = 10000;
}

static int get(struct srv *s, const char *path, const struct sl_http_opts *o,
               struct sl_http_response *r, struct sl_error *e)
{
    char url[256];
    struct sl_http_request rq = {0};
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", s->port, path);
    rq.url = url;
    return sl_http_request(&rq, o, r, e);
}

TEST(http_get)
{
    struct srv s;
    struct sl_http_response r;
    struct sl_error e = {0, ""};
    char v[32];
    CHECK(!srv_start(&s));
    CHECK_INT(get(&s, "/ok", NULL, &r, &e), 0);
    CHECK_INT(r.status, 200);
    CHECK_STR(r.reason, "OK");
    CHECK_MEM(r.body.p, r.body.len, "hello");
    CHECK_INT(r.body_bytes, 5);
    CHECK_INT(r.attempts, 1);
    CHECK_STR(sl_http_header(&r, "x-test-header", v, sizeof v), "yes");
    CHECK(!sl_http_header(&r, "X-Test", v, sizeof v));
    sl_http_response_free(&r);
    srv_stop(&s);
}

TEST(http_post_headers_body)
{
    struct srv s;
    struct sl_http_response r;
    struct sl_error e = {0, ""};
    char url[128];
    const char *hs[] = {"X-Test: 42", NULL},
               *hs2[] = {"Content-Type: application/json", "User-Agent: other/1", NULL};
    struct sl_http_request rq = {0};
    CHECK(!srv_start(&s));
    snprintf(url, sizeof url, "http://127.0.0.1:%d/echo", s.port);
    rq.url = url;
    rq.headers = hs;
    rq.body = "a\0b";
    rq.body_len = 3;
    CHECK_INT(sl_http_request(&rq, NULL, &r, &e), 0);
    {
        static const char want[] =
            "POST\nsluice/" SL_VERSION "\n42\napplication/octet-stream\na\0b";
        CHECK_INT(r.body.len, sizeof want - 1);
        CHECK(r.body.len == sizeof want - 1 && !memcmp(r.body.p, want, sizeof want - 1));
    }
    sl_http_response_free(&r);
    rq.headers = hs2;
    rq.method = "PUT";
    rq.body = "{}";
    rq.body_len = 2;
    CHECK_INT(sl_http_request(&rq, NULL, &r, &e), 0);
    CHECK_MEM(r.body.p, r.body.len, "PUT\nother/1\n-\napplication/json\n{}");
    sl_http_response_free(&r);
    rq.method = NULL;
    rq.body = NULL;
    rq.headers = NULL;
    CHECK_INT(sl_http_request(&rq, NULL, &r, &e), 0);
    CHECK_MEM(r.body.p, r.body.len, "GET\nsluice/" SL_VERSION "\n-\n-\n");
    sl_http_response_free(&r);
    rq.method = "HEAD";
    CHECK_INT(sl_http_request(&rq, NULL, &r, &e), 0);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.body.len, 0);
    sl_http_response_free(&r);
    srv_stop(&s);
}

/* 503 with Retry-After: 1, backoff 0: only the server's wait can make it take a second. */
TEST(http_retry_503_retry_after)
{
    struct srv s;
    struct sl_http_response r;
    struct sl_http_opts o;
    struct sl_error e = {0, ""};
    CHECK(!srv_start(&s));
    sl_http_opts_init(&o);
    o.backoff_ms = 0;
    CHECK_INT(get(&s, "/fail?n=1&s=503&ra=1", &o, &r, &e), 0);
    CHECK_INT(r.status, 200);
    CHECK_MEM(r.body.p, r.body.len, "done");
    CHECK_INT(r.attempts, 2);
    CHECK_INT(atomic_load(&s.hits), 2);
    CHECK(r.seconds >= 0.95 && r.seconds < 5);
    sl_http_response_free(&r);
    srv_stop(&s);
}

/* 429 with Retry-After as an HTTP-date 2 s ahead (whole seconds: waits 1..2 s). */
TEST(http_retry_429_date)
{
    struct srv s;
    struct sl_http_response r;
    struct sl_http_opts o;
    struct sl_error e = {0, ""};
    CHECK(!srv_start(&s));
    sl_http_opts_init(&o);
    o.backoff_ms = 0;
    CHECK_INT(get(&s, "/fail?n=1&s=429&ra=date", &o, &r, &e), 0);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.attempts, 2);
    CHECK(r.seconds >= 0.9 && r.seconds < 5);
    sl_http_response_free(&r);
    srv_stop(&s);
}

TEST(http_retry_budget)
{
    struct srv s;
    struct sl_http_response r;
    struct sl_http_opts o;
    struct sl_error e = {0, ""};
    CHECK(!srv_start(&s));
    /* a Retry-After beyond the retry time: given up at once, said so */
    fast(&o);
    o.retry_time_ms = 5000;
    CHECK_INT(get(&s, "/fail?n=5&s=503&ra=100", &o, &r, &e), SL_EIO);
    CHECK_INT(r.attempts, 1);
    CHECK_INT(r.status, 503);
    CHECK(strstr(e.msg, "HTTP 503 Service Unavailable: try later; not retried: the server asks "
                        "to wait 100 s, beyond the retry time (5 s)"));
    sl_http_response_free(&r);
    /* 500s, 2 retries with backoff: 3 requests, then the last answer */
    atomic_store(&s.hits, 0);
    o.retries = 2;
    CHECK_INT(get(&s, "/fail?n=10&s=500", &o, &r, &e), SL_EIO);
    CHECK_INT(r.attempts, 3);
    CHECK_INT(atomic_load(&s.hits), 3);
    CHECK(strstr(e.msg, "/fail?n=10&s=500: HTTP 500 Internal Server Error: try later (3 attempts"));
    sl_http_response_free(&r);
    /* retries 0: one request */
    atomic_store(&s.hits, 0);
    o.retries = 0;
    CHECK_INT(get(&s, "/fail?n=10&s=502", &o, &r, &e), SL_EIO);
    CHECK_INT(r.attempts, 1);
    sl_http_response_free(&r);
    /* an endless error body is not read to its end: its start is in the message */
    atomic_store(&s.hits, 0);
    o.retries = 1;
    o.timeout_ms = 0;
    CHECK_INT(get(&s, "/big?n=100000000000&s=503", &o, &r, &e), SL_EIO);
    CHECK_INT(r.attempts, 2);
    CHECK(strstr(e.msg, ": HTTP 503 Service Unavailable: abcdefghijklmnopqrstuvwxyzabcdef"));
    CHECK(strstr(e.msg, "...") && strlen(e.msg) < 400);
    sl_http_response_free(&r);
    o.timeout_ms = SL_HTTP_TIMEOUT_MS;
    /* any_status: the last 503 is the answer, with its body */
    o.retries = 1;
    o.any_status = 1;
    CHECK_INT(get(&s, "/fail?n=10&s=503", &o, &r, &e), 0);
    CHECK_INT(r.status, 503);
    CHECK_INT(r.attempts, 2);
    CHECK_MEM(r.body.p, r.body.len, "try later");
    sl_http_response_free(&r);
    srv_stop(&s);
}

TEST(http_no_retry_4xx)
{
    struct srv s;
    struct sl_http_response r;
    struct sl_http_opts o;
    struct sl_error e = {0, ""};
    CHECK(!srv_start(&s));
    fast(&o);
    CHECK_INT(get(&s, "/status?s=404", &o, &r, &e), SL_EIO);
    CHECK_INT(r.attempts, 1);
    CHECK_INT(r.status, 404);
    CHECK(strstr(e.msg, "/status?s=404: HTTP 404 Not Found: nope"));
    sl_http_response_free(&r);
    CHECK_INT(get(&s, "/status?s=501", &o, &r, &e), SL_EIO); /* not implemented: final */
    CHECK_INT(r.attempts, 1);
    sl_http_response_free(&r);
    o.any_status = 1;
    CHECK_INT(get(&s, "/status?s=404", &o, &r, &e), 0);
    CHECK_INT(r.status, 404);
    CHECK_MEM(r.body.p, r.body.len, "nope");
    sl_http_response_free(&r);
    srv_stop(&s);
}

TEST(http_connection_errors)
{
    struct srv s;
    struct sl_http_response r;
    struct sl_http_opts o;
    struct sl_error e = {0, ""};
    CHECK(!srv_start(&s));
    fast(&o);
    /* the server closes the first connection without answering: retried */
    CHECK_INT(get(&s, "/drop?n=1", &o, &r, &e), 0);
    CHECK_INT(r.attempts, 2);
    CHECK_MEM(r.body.p, r.body.len, "back");
    sl_http_response_free(&r);
    srv_stop(&s);
    /* nobody listens any more: refused, retried, then the reason */
    sl_log_cfg.level = SL_LOG_ERROR;
    o.retries = 2;
    CHECK_INT(get(&s, "/ok", &o, &r, &e), SL_EIO);
    CHECK_INT(r.attempts, 3);
    CHECK_INT(r.status, 0);
    CHECK(strstr(e.msg, "/ok: cannot connect (Connection refused): ") &&
          strstr(e.msg, "(3 attempts in "));
    sl_http_response_free(&r);
    sl_log_cfg.level = SL_LOG_INFO;
}

TEST(http_timeout)
{
    struct srv s;
    struct sl_http_response r;
    struct sl_http_opts o;
    struct sl_error e = {0, ""};
    CHECK(!srv_start(&s));
    fast(&o);
    o.timeout_ms = 300;
    o.retries = 1;
    double t0 = sl_mono();
    CHECK_INT(get(&s, "/slow?ms=3000", &o, &r, &e), SL_EIO);
    CHECK(sl_mono() - t0 < 2.5);
    CHECK_INT(r.attempts, 2);
    CHECK(strstr(e.msg, "/slow?ms=3000: timed out: ") && strstr(e.msg, "(2 attempts"));
    sl_http_response_free(&r);
    srv_stop(&s);
}

TEST(http_max_response)
{
    struct srv s;
    struct sl_http_response r;
    struct sl_http_opts o;
    struct sl_error e = {0, ""};
    CHECK(!srv_start(&s));
    fast(&o);
    o.max_response = 100000;
    CHECK_INT(get(&s, "/big?n=100000", &o, &r, &e), 0); /* exactly the cap */
    CHECK_INT(r.body.len, 100000);
    CHECK(r.body.p && r.body.p[26] == 'a' && r.body.p[99999] == (char)('a' + 99999 % 26));
    sl_http_response_free(&r);
    CHECK_INT(get(&s, "/big?n=100001", &o, &r, &e), SL_ELIMIT); /* chunked: counted */
    CHECK(strstr(e.msg, "the response is larger than 100 kB (max response size)"));
    CHECK(r.body.len <= 100000);
    CHECK_INT(r.attempts, 1);
    sl_http_response_free(&r);
    CHECK_INT(get(&s, "/bigcl?n=100001", &o, &r, &e), SL_ELIMIT); /* Content-Length: at once */
    CHECK_INT(r.body.len, 0);
    sl_http_response_free(&r);
    srv_stop(&s);
}

struct sink {
    int64_t n;
    int calls, bad;
    int64_t stop_at;
};

static int on_body(void *ctx, const char *p, size_t n, struct sl_error *err)
{
    struct sink *k = ctx;
    for (size_t i = 0; i < n; i++)
        if (p[i] != (char)('a' + (k->n + (int64_t)i) % 26)) k->bad++;
    k->n += (int64_t)n;
    k->calls++;
    if (k->stop_at && k->n >= k->stop_at)
        return sl_error_set(err, SL_EFORMAT, "enough after %lld bytes", (long long)k->n);
    return 0;
}

TEST(http_streaming)
{
    struct srv s;
    struct sl_http_response r;
    struct sl_http_opts o;
    struct sl_error e = {0, ""};
    struct sink k = {0, 0, 0, 0};
    char url[128];
    struct sl_http_request rq = {0};
    CHECK(!srv_start(&s));
    fast(&o);
    o.max_response = -1;
    snprintf(url, sizeof url, "http://127.0.0.1:%d/big?n=3000000", s.port);
    rq.url = url;
    rq.on_body = on_body;
    rq.ctx = &k;
    CHECK_INT(sl_http_request(&rq, &o, &r, &e), 0);
    CHECK_INT(k.n, 3000000);
    CHECK_INT(r.body_bytes, 3000000);
    CHECK_INT(k.bad, 0);
    CHECK(k.calls > 10);      /* in pieces, as it came */
    CHECK_INT(r.body.len, 0); /* not collected */
    sl_http_response_free(&r);
    /* the callback stops it: its code and message, after the URL */
    memset(&k, 0, sizeof k);
    k.stop_at = 10000;
    CHECK_INT(sl_http_request(&rq, &o, &r, &e), SL_EFORMAT);
    CHECK(strstr(e.msg, "/big?n=3000000: enough after "));
    CHECK_INT(r.attempts, 1);
    sl_http_response_free(&r);
    /* the cap applies to a stream too */
    memset(&k, 0, sizeof k);
    o.max_response = 50000;
    CHECK_INT(sl_http_request(&rq, &o, &r, &e), SL_ELIMIT);
    CHECK(k.n <= 50000);
    sl_http_response_free(&r);
    /* a retried 503's body never reaches the callback */
    memset(&k, 0, sizeof k);
    o.max_response = -1;
    atomic_store(&s.hits, 0);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/fail?n=1", s.port);
    CHECK_INT(sl_http_request(&rq, &o, &r, &e), 0);
    CHECK_INT(r.attempts, 2);
    CHECK_INT(k.n, 4); /* "done" only: "try later" was not delivered */
    sl_http_response_free(&r);
    srv_stop(&s);
}

struct canceller {
    volatile sig_atomic_t flag;
    int ms;
};

static void *cancel_later(void *p)
{
    struct canceller *c = p;
    usleep((useconds_t)c->ms * 1000);
    c->flag = 1;
    return NULL;
}

static void *interrupt_later(void *p)
{
    (void)p;
    usleep(200000);
    sl_interrupted = 1; /* what the handler does */
    return NULL;
}

TEST(http_cancel)
{
    struct srv s;
    struct sl_http_response r;
    struct sl_http_opts o;
    struct sl_error e = {0, ""};
    struct canceller c = {0, 200};
    pthread_t t;
    CHECK(!srv_start(&s));
    fast(&o);
    o.cancel = &c.flag;
    /* during a transfer */
    pthread_create(&t, NULL, cancel_later, &c);
    double t0 = sl_mono();
    CHECK_INT(get(&s, "/slow?ms=5000", &o, &r, &e), SL_EINTR);
    CHECK(sl_mono() - t0 < 2);
    CHECK(strstr(e.msg, "/slow?ms=5000: interrupted"));
    pthread_join(t, NULL);
    sl_http_response_free(&r);
    /* during a wait for Retry-After */
    c.flag = 0;
    o.retry_time_ms = 60000;
    pthread_create(&t, NULL, cancel_later, &c);
    t0 = sl_mono();
    CHECK_INT(get(&s, "/fail?n=5&ra=30", &o, &r, &e), SL_EINTR);
    CHECK(sl_mono() - t0 < 2);
    CHECK_INT(r.attempts, 1);
    pthread_join(t, NULL);
    sl_http_response_free(&r);
    /* already set: no request at all */
    CHECK_INT(get(&s, "/ok", &o, &r, &e), SL_EINTR);
    CHECK_INT(r.attempts, 0);
    sl_http_response_free(&r);
    /* by default the flag is sl_interrupted, which the CLI's SIGINT/SIGTERM handler sets */
    o.cancel = NULL;
    CHECK(!pthread_create(&t, NULL, interrupt_later, NULL));
    t0 = sl_mono();
    CHECK_INT(get(&s, "/slow?ms=5000", &o, &r, &e), SL_EINTR);
    CHECK(sl_mono() - t0 < 2);
    pthread_join(t, NULL);
    sl_interrupted = 0;
    sl_http_response_free(&r);
    srv_stop(&s);
}

TEST(http_secrets_masked)
{
    struct srv s;
    struct sl_http_response r;
    struct sl_http_opts o;
    struct sl_error e = {0, ""};
    char url[256];
    const char *hs[] = {"Authorization: Bearer s3cr3t-value\r\nX-Evil: 1", NULL};
    struct sl_http_request rq = {0};
    CHECK(!srv_start(&s));
    fast(&o);
    o.retries = 1;
    snprintf(url, sizeof url, "http://ann:hunter2@127.0.0.1:%d/status?s=500&token=abc123&x=1",
             s.port);
    rq.url = url;
    CHECK_INT(sl_http_request(&rq, &o, &r, &e), SL_EIO);
    CHECK(!strstr(e.msg, "hunter2") && !strstr(e.msg, "abc123"));
    CHECK(strstr(e.msg, "http://ann:***@127.0.0.1:"));
    CHECK(strstr(e.msg, "/status?s=500&token=***&x=1: HTTP 500"));
    sl_http_response_free(&r);
    /* a header with a line break is refused before any request, its value not shown */
    rq.headers = hs;
    CHECK_INT(sl_http_request(&rq, &o, &r, &e), SL_EINVAL);
    CHECK(strstr(e.msg, "bad request header 'Authorization'"));
    CHECK(!strstr(e.msg, "s3cr3t") && !strstr(e.msg, "hunter2"));
    CHECK_INT(r.attempts, 0);
    sl_http_response_free(&r);
    /* connection failures too */
    srv_stop(&s);
    sl_log_cfg.level = SL_LOG_ERROR;
    rq.headers = NULL;
    CHECK_INT(sl_http_request(&rq, &o, &r, &e), SL_EIO);
    CHECK(strstr(e.msg, "cannot connect") && !strstr(e.msg, "hunter2") && !strstr(e.msg, "abc123"));
    sl_http_response_free(&r);
    sl_log_cfg.level = SL_LOG_INFO;
}

TEST(http_refused_urls)
{
    struct srv s;
    struct sl_http_response r;
    struct sl_http_opts o;
    struct sl_error e = {0, ""};
    struct sl_http_request rq = {0};
    char path[256];
    const char *bad[] = {"file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://x", "/etc/passwd",
                         "dict://127.0.0.1:11211/stat"};
    fast(&o);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        rq.url = bad[i];
        CHECK_INT(sl_http_request(&rq, &o, &r, &e), SL_EINVAL);
        CHECK(strstr(e.msg, "only http:// and https:// URLs are supported"));
        CHECK_INT(r.attempts, 0);
        sl_http_response_free(&r);
    }
    rq.url = "http://127.0.0.1:1/x";
    rq.method = "GET\r\nX: y";
    CHECK_INT(sl_http_request(&rq, &o, &r, &e), SL_EINVAL);
    sl_http_response_free(&r);
    rq.method = NULL;
    /* a redirect to file:// is not followed; a redirect to http is, when asked for */
    CHECK(!srv_start(&s));
    o.follow_redirects = 3;
    snprintf(path, sizeof path, "/redirect?to=file:///etc/passwd");
    CHECK_INT(get(&s, path, &o, &r, &e), SL_EIO);
    CHECK(strstr(e.msg, "refused") || strstr(e.msg, "not supported"));
    CHECK(!r.body.len || !strstr(r.body.p, "root:"));
    sl_http_response_free(&r);
    snprintf(path, sizeof path, "/redirect?to=http://127.0.0.1:%d/ok", s.port);
    CHECK_INT(get(&s, path, &o, &r, &e), 0);
    CHECK_MEM(r.body.p, r.body.len, "hello");
    sl_http_response_free(&r);
    o.follow_redirects = 0; /* not following: a 302 is not a success */
    CHECK_INT(get(&s, path, &o, &r, &e), SL_EIO);
    CHECK_INT(r.status, 302);
    sl_http_response_free(&r);
    /* a CA file that is not there: said before connecting */
    o.ca_file = "/nonexistent/ca.pem";
    CHECK_INT(get(&s, "/ok", &o, &r, &e), SL_ECONFIG);
    CHECK(strstr(e.msg, "ca_file /nonexistent/ca.pem: No such file"));
    sl_http_response_free(&r);
    srv_stop(&s);
}

static void *many(void *p)
{
    struct srv *s = p;
    long bad = 0;
    for (int i = 0; i < 5; i++) {
        struct sl_http_response r;
        struct sl_error e = {0, ""};
        if (get(s, "/ok", NULL, &r, &e) || r.body.len != 5) bad++;
        sl_http_response_free(&r);
    }
    return (void *)bad;
}

TEST(http_threads)
{
    struct srv s;
    pthread_t t[4];
    CHECK(!srv_start(&s));
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, many, &s);
    for (int i = 0; i < 4; i++) {
        void *bad;
        pthread_join(t[i], &bad);
        CHECK_INT((long)bad, 0);
    }
    CHECK_INT(atomic_load(&s.hits), 20);
    srv_stop(&s);
}

TEST(http_dates)
{
    int64_t t = 0;
    /* RFC 9110's example in its three forms: 1994-11-06T08:49:37Z */
    CHECK_INT(sl_time_parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", 29, &t), 0);
    CHECK_INT(t, 784111777);
    t = 0;
    CHECK_INT(sl_time_parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", 30, &t), 0);
    CHECK_INT(t, 784111777);
    t = 0;
    CHECK_INT(sl_time_parse_http_date("Sun Nov  6 08:49:37 1994", 24, &t), 0);
    CHECK_INT(t, 784111777);
    CHECK_INT(sl_time_parse_http_date("Thu, 29 Feb 2024 23:59:60 GMT", 29, &t), 0);
    CHECK_INT(t, 1709251200); /* a leap second is the next minute's :00 */
    const char *bad[] = {"Sun, 06 Nov 1994 08:49:37 UTC",
                         "Sun, 6 Nov 1994 08:49:37 GMT",
                         "Sun, 31 Nov 1994 08:49:37 GMT",
                         "Sun, 29 Feb 2023 08:49:37 GMT",
                         "Sun, 06 nov 1994 08:49:37 GMT",
                         "Sun, 06 Nov 1994 24:00:00 GMT",
                         "Sun, 06 Nov 1994 08:49:37 GMT ",
                         "Funday, 06-Nov-94 08:49:37 GMT",
                         "Sun Nov 6 08:49:37 1994",
                         "1994-11-06T08:49:37Z",
                         "",
                         "Sun,"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK_INT(sl_time_parse_http_date(bad[i], strlen(bad[i]), &t), -1);
    CHECK(sl_http_retry_after("120", 3) == 120);
    CHECK(sl_http_retry_after(" 5 ", 3) == 5);
    CHECK(sl_http_retry_after("-1", 2) == -1);
    CHECK(sl_http_retry_after("1.5", 3) == -1);
    CHECK(sl_http_retry_after("soon", 4) == -1);
    CHECK(sl_http_retry_after("99999999999999999999", 20) >= 1e9);
    CHECK(sl_http_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 29) == 0); /* past: now */
    double w = sl_http_retry_after("Fri, 01 Jan 2100 00:00:00 GMT", 29);
    CHECK(w > 1e9);
}
