/*
 * An HTTP(S) server for tests, on libmicrohttpd: listens on 127.0.0.1 (an ephemeral port,
 * written to PORTFILE once it listens), answers every request with STATUS (default 200) and
 * appends "METHOD PATH\tBODY\n" to OUTFILE (flushed at once). With CERT and KEY (PEM files) it
 * speaks TLS only. Runs until killed.
 *
 *   usage: http_sink PORTFILE OUTFILE [STATUS [CERT KEY]]
 *   build: cc -o http_sink http_sink.c $(pkg-config --cflags --libs libmicrohttpd)
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static FILE *out;
static unsigned status = 200;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

struct req {
    char *body;
    size_t len;
};

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    struct req *r = *con_cls;
    (void)cls, (void)c, (void)toe;
    if (r) {
        free(r->body);
        free(r);
    }
    *con_cls = NULL;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *data,
                               size_t *size, void **con_cls)
{
    struct req *r = *con_cls;
    (void)cls, (void)version;
    if (!r) {
        *con_cls = calloc(1, sizeof *r);
        return *con_cls ? MHD_YES : MHD_NO;
    }
    if (*size) {
        char *p = realloc(r->body, r->len + *size + 1);
        if (!p) return MHD_NO;
        memcpy(p + r->len, data, *size);
        r->body = p;
        r->len += *size;
        p[r->len] = 0;
        *size = 0;
        return MHD_YES;
    }
    pthread_mutex_lock(&lock);
    fprintf(out, "%s %s\t%s\n", method, url, r->body ? r->body : "");
    fflush(out);
    pthread_mutex_unlock(&lock);
    struct MHD_Response *resp = MHD_create_response_from_buffer(2, "ok", MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ret = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *p = NULL;
    long n;
    if (!f) return NULL;
    if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET) &&
        (p = calloc(1, (size_t)n + 1)) && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    return p;
}

int main(int argc, char **argv)
{
    struct sockaddr_in a;
    struct MHD_Daemon *d;
    char *cert = NULL, *key = NULL;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION;

    if (argc != 3 && argc != 4 && argc != 6) {
        fprintf(stderr, "usage: http_sink PORTFILE OUTFILE [STATUS [CERT KEY]]\n");
        return 2;
    }
    if (argc > 3) status = (unsigned)atoi(argv[3]);
    if (argc > 5) {
        if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
            fprintf(stderr, "http_sink: libmicrohttpd has no TLS\n");
            return 3;
        }
        if (!(cert = slurp(argv[4])) || !(key = slurp(argv[5]))) {
            perror("http_sink: reading the certificate or key");
            return 1;
        }
        flags |= MHD_USE_TLS;
    }
    if (!(out = fopen(argv[2], "a"))) {
        perror(argv[2]);
        return 1;
    }
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    d = cert ? MHD_start_daemon(flags, 0, NULL, NULL, handler, NULL, MHD_OPTION_SOCK_ADDR, &a,
                                MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
                                MHD_OPTION_HTTPS_MEM_CERT, cert, MHD_OPTION_HTTPS_MEM_KEY, key,
                                MHD_OPTION_END)
             : MHD_start_daemon(flags, 0, NULL, NULL, handler, NULL, MHD_OPTION_SOCK_ADDR, &a,
                                MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "http_sink: cannot start the server\n");
        return 1;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    FILE *pf = fopen(tmp, "w");
    if (!pf) return 1;
    fprintf(pf, "%u\n", (unsigned)MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port);
    if (fclose(pf) || rename(tmp, argv[1])) return 1; /* whole, or not there */
    for (;;) pause();
}
