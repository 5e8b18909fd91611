/*
 * OpenLineage run events (https://openlineage.io/spec/2-0-2/OpenLineage.json): one run per
 * load, a START before it and a COMPLETE or FAIL after it, appended as JSON lines to a file
 * and/or POSTed to an HTTP endpoint (plain http://, one request per event, like the
 * OpenLineage HTTP transport).
 *
 * Job: namespace "sluice", name "load.<source>". Input dataset: the input file (namespace
 * "file"). Output dataset: the silver table (namespace: the store URL without its userinfo and
 * password-like query parameters: events are published), with the schema facet,
 * the output statistics facet and, on the input, the data quality metrics facet. A "sluice"
 * run facet carries the load id, status, SHA-256 and quality score.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "sluice/outfile.h"
#include "sluice/pipeline.h"
#include "sluice/stream.h"
#include "sluice/version.h"

#define PRODUCER    "https://github.com/sluice-data/sluice/tree/v" SL_VERSION
#define SPEC        "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"
#define FACET(name) "https://openlineage.io/spec/facets/1-0-0/" name ".json#/$defs/" name

void sl_openlineage_run_id(char out[37])
{
    unsigned char r[16];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC), ok = 0;
    if (fd >= 0) {
        ok = read(fd, r, sizeof r) == (ssize_t)sizeof r;
        close(fd);
    }
    if (!ok) { /* no /dev/urandom: time and pid, hashed */
        char seed[64], hex[65];
        snprintf(seed, sizeof seed, "%.6f/%d", sl_now(), (int)getpid());
        sl_sha256_hex(seed, strlen(seed), hex);
        for (int i = 0; i < 16; i++)
            r[i] = (unsigned char)strtol((char[]){hex[2 * i], hex[2 * i + 1], 0}, NULL, 16);
    }
    r[6] = (r[6] & 0x0f) | 0x40; /* version 4 */
    r[8] = (r[8] & 0x3f) | 0x80; /* RFC 4122 variant */
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", r[0],
             r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13],
             r[14], r[15]);
}

static void facet_head(struct sl_buf *b, const char *name)
{
    sl_buf_adds(b, "{\"_producer\":\"" PRODUCER "\",\"_schemaURL\":\"");
    sl_buf_adds(b, name);
    sl_buf_addc(b, '"');
}

void sl_openlineage_event(struct sl_buf *b, const char *type, const char *run_id,
                          const char *store_url, const char *source, const char *input,
                          const struct sl_schema *schema, const struct sl_load_result *r)
{
    char now[40];
    sl_time_iso(sl_now(), now, sizeof now);
    sl_buf_adds(b, "{\"eventType\":");
    sl_buf_json_cstr(b, type);
    sl_buf_adds(b, ",\"eventTime\":");
    sl_buf_json_cstr(b, now);
    sl_buf_adds(b, ",\"producer\":\"" PRODUCER "\",\"schemaURL\":\"" SPEC "\"");
    sl_buf_adds(b, ",\"run\":{\"runId\":");
    sl_buf_json_cstr(b, run_id);
    if (r) {
        sl_buf_adds(b, ",\"facets\":{");
        if (r->status && !strcmp(r->status, "failed")) {
            sl_buf_adds(b, "\"errorMessage\":");
            facet_head(b, FACET("ErrorMessageRunFacet"));
            sl_buf_adds(b, ",\"message\":");
            sl_buf_json_cstr(b, r->message ? r->message : "failed");
            sl_buf_adds(b, ",\"programmingLanguage\":\"C\"},");
        }
        sl_buf_adds(b, "\"sluice\":");
        facet_head(b, "https://github.com/sluice-data/sluice/blob/main/docs/versions.md");
        sl_buf_addf(b, ",\"load\":%lld,\"status\":", (long long)r->load);
        sl_buf_json_cstr(b, r->status);
        sl_buf_adds(b, ",\"sha256\":");
        sl_buf_json_cstr(b, r->sha256[0] ? r->sha256 : NULL);
        sl_buf_addf(b, ",\"rows\":%lld,\"valid\":%lld,\"warning\":%lld,\"invalid\":%lld",
                    (long long)r->rows, (long long)r->valid, (long long)r->warning,
                    (long long)r->invalid);
        if (r->quality.grade) {
            sl_buf_adds(b, ",\"quality\":{\"score\":");
            sl_buf_json_double(b, r->quality.score);
            sl_buf_adds(b, ",\"grade\":");
            sl_buf_json_cstr(b, r->quality.grade);
            sl_buf_addc(b, '}');
        }
        sl_buf_adds(b, "}}");
    }
    sl_buf_adds(b, "},\"job\":{\"namespace\":\"sluice\",\"name\":");
    {
        char *name = sl_xasprintf("load.%s", source);
        sl_buf_json_cstr(b, name);
        free(name);
    }
    sl_buf_adds(b, "},\"inputs\":[{\"namespace\":\"file\",\"name\":");
    sl_buf_json_cstr(b, input);
    if (r && r->status && !strcmp(r->status, "committed")) {
        sl_buf_adds(b, ",\"inputFacets\":{\"dataQualityMetrics\":");
        facet_head(b, FACET("DataQualityMetricsInputDatasetFacet"));
        sl_buf_addf(b, ",\"rowCount\":%lld,\"columnMetrics\":{}}}", (long long)r->rows);
    }
    sl_buf_adds(b, "}],\"outputs\":[{\"namespace\":");
    {
        /* the store without its credentials: events are published */
        char *ns = sl_url_public(store_url);
        sl_buf_json_cstr(b, ns);
        free(ns);
    }
    sl_buf_adds(b, ",\"name\":");
    sl_buf_json_cstr(b, source);
    if (schema) {
        sl_buf_adds(b, ",\"facets\":{\"schema\":");
        facet_head(b, FACET("SchemaDatasetFacet"));
        sl_buf_adds(b, ",\"fields\":[");
        for (size_t i = 0; i < schema->nfields; i++) {
            sl_buf_adds(b, i ? ",{\"name\":" : "{\"name\":");
            sl_buf_json_cstr(b, schema->fields[i].name);
            sl_buf_adds(b, ",\"type\":");
            sl_buf_json_cstr(b, sl_type_name(schema->fields[i].type));
            sl_buf_addc(b, '}');
        }
        sl_buf_adds(b, "]}}");
    }
    if (r && r->status && !strcmp(r->status, "committed")) {
        sl_buf_adds(b, ",\"outputFacets\":{\"outputStatistics\":");
        facet_head(b, FACET("OutputStatisticsOutputDatasetFacet"));
        sl_buf_addf(b, ",\"rowCount\":%lld}}", (long long)(r->valid + r->warning));
    }
    sl_buf_adds(b, "}]}");
}

/* Appends the base64 (RFC 4648) of p[0..n). */
static void add_base64(struct sl_buf *b, const unsigned char *p, size_t n)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        sl_buf_addc(b, t[v >> 18 & 63]);
        sl_buf_addc(b, t[v >> 12 & 63]);
        sl_buf_addc(b, i + 1 < n ? t[v >> 6 & 63] : '=');
        sl_buf_addc(b, i + 2 < n ? t[v & 63] : '=');
    }
}

/* Appends the percent-decoded s[0..n). */
static void add_decoded(struct sl_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
            isxdigit((unsigned char)s[i + 2])) {
            char hex[3] = {s[i + 1], s[i + 2], 0};
            sl_buf_addc(b, (char)strtol(hex, NULL, 16));
            i += 2;
        } else {
            sl_buf_addc(b, s[i]);
        }
    }
}

/* POSTs body to an http:// URL; a 2xx answer is success. A userinfo ("http://user:pw@host/")
 * is sent as HTTP basic authentication. Messages name the URL with its secrets masked. */
static int http_post(const char *url_in, const char *body, size_t len, struct sl_error *err)
{
    char host[256], port[16] = "80", path[1024] = "/", status[64];
    const char *p, *h, *at;
    struct addrinfo hints, *res = NULL, *ai;
    struct sl_buf req = SL_BUF_INIT, auth = SL_BUF_INIT;
    int fd = -1, rc = 0;
    size_t hl;
    char *url;

    sl_redact_register_url(url_in);
    url = sl_url_redact(url_in); /* for messages */

    if (strncmp(url_in, "http://", 7)) {
        rc = sl_error_set(err, SL_ECONFIG, "%s: only http:// endpoints are supported", url);
        goto out;
    }
    h = url_in + 7;
    /* the userinfo ends at the last '@' before the path */
    at = NULL;
    for (p = h; *p && *p != '/' && *p != '?' && *p != '#'; p++)
        if (*p == '@') at = p;
    if (at) {
        struct sl_buf cred = SL_BUF_INIT;
        add_decoded(&cred, h, (size_t)(at - h));
        sl_buf_adds(&auth, "Authorization: Basic ");
        add_base64(&auth, (const unsigned char *)cred.p, cred.len);
        sl_buf_adds(&auth, "\r\n");
        sl_buf_free(&cred);
        h = at + 1;
    }
    hl = strcspn(h, ":/?#");
    if (!hl || hl >= sizeof host) {
        rc = sl_error_set(err, SL_ECONFIG, "%s: no host", url);
        goto out;
    }
    memcpy(host, h, hl);
    host[hl] = 0;
    p = h + hl;
    if (*p == ':') {
        size_t pl = strcspn(p + 1, "/?#");
        if (!pl || pl >= sizeof port) {
            rc = sl_error_set(err, SL_ECONFIG, "%s: bad port", url);
            goto out;
        }
        memcpy(port, p + 1, pl);
        port[pl] = 0;
        p += 1 + pl;
    }
    if (*p) snprintf(path, sizeof path, "%s%s", *p == '/' ? "" : "/", p);
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &res)) {
        rc = sl_error_set(err, SL_EIO, "%s: cannot resolve %s", url, host);
        goto out;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) continue;
        struct timeval tv = {10, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (!connect(fd, ai->ai_addr, ai->ai_addrlen)) break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        rc = sl_error_set(err, SL_EIO, "%s: cannot connect: %s", url, strerror(errno));
        goto out;
    }
    sl_buf_addf(&req,
                "POST %s HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: application/json\r\n"
                "Content-Length: %zu\r\nConnection: close\r\nUser-Agent: sluice/" SL_VERSION
                "\r\n%s\r\n",
                path, host, port, len, sl_buf_str(&auth));
    sl_buf_add(&req, body, len);
    for (size_t off = 0; off < req.len;) {
        ssize_t w = send(fd, req.p + off, req.len - off, MSG_NOSIGNAL);
        if (w <= 0) {
            rc = sl_error_set(err, SL_EIO, "%s: sending the event: %s", url, strerror(errno));
            goto out;
        }
        off += (size_t)w;
    }
    {
        size_t got = 0;
        ssize_t n;
        while (got + 1 < sizeof status &&
               (n = recv(fd, status + got, sizeof status - 1 - got, 0)) > 0)
            got += (size_t)n;
        status[got] = 0;
        /* "HTTP/1.1 200 OK" */
        const char *sp = strchr(status, ' ');
        if (strncmp(status, "HTTP/", 5) || !sp || sp[1] != '2') {
            struct sl_buf shown = SL_BUF_INIT; /* the server's bytes, escaped */
            sl_buf_add_printable(&shown, status, strcspn(status, "\r\n"));
            rc = sl_error_set(err, SL_EIO, "%s: the endpoint answered '%s'", url,
                              got ? sl_buf_str(&shown) : "nothing");
            sl_buf_free(&shown);
        }
    }
out:
    if (fd >= 0) close(fd);
    sl_buf_free(&req);
    sl_buf_free(&auth);
    free(url);
    return rc;
}

int sl_openlineage_send(const struct sl_openlineage *ol, const char *event, struct sl_error *err)
{
    int rc = 0;
    if (ol->file) {
        FILE *f;
        if ((rc = sl_outfile_append(ol->file, "openlineage file", &f, err))) return rc;
        fputs(event, f);
        fputc('\n', f);
        if (fclose(f)) return sl_error_set(err, SL_EIO, "%s: %s", ol->file, strerror(errno));
    }
    if (ol->url) rc = http_post(ol->url, event, strlen(event), err);
    return rc;
}
