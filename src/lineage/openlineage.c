/*
 * OpenLineage run events (https://openlineage.io/spec/2-0-2/OpenLineage.json): one run per
 * load, a START before it and a COMPLETE or FAIL after it, appended as JSON lines to a file
 * and/or POSTed to an HTTP endpoint (http:// or https://, one request per event, like the
 * OpenLineage HTTP transport; src/io/http.c).
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sluice/http.h"
#include "sluice/lineage.h"
#include "sluice/outfile.h"
#include "sluice/pipeline.h"
#include "sluice/stream.h"

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

/* POSTs the event (src/io/http.c); a 2xx answer is success. A few short retries: the load
 * waits for them. */
static int http_post(const struct sl_openlineage *ol, const char *body, size_t len,
                     struct sl_error *err)
{
    static const char *const headers[] = {"Content-Type: application/json", NULL};
    struct sl_http_request rq = {0};
    struct sl_http_response resp;
    struct sl_http_opts o;
    int rc;

    sl_http_opts_init(&o);
    o.connect_timeout_ms = 5000;
    o.timeout_ms = 10000;
    o.retries = 3;
    o.backoff_max_ms = 5000;
    o.retry_time_ms = 30000;
    o.max_response = 1 << 20;
    o.ca_file = ol->ca_file;
    rq.method = "POST";
    rq.url = ol->url;
    rq.headers = headers;
    rq.body = body;
    rq.body_len = len;
    rc = sl_http_request(&rq, &o, &resp, err);
    sl_http_response_free(&resp);
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
    if (ol->url) rc = http_post(ol, event, strlen(event), err);
    return rc;
}
