#define _GNU_SOURCE
/* A tiny HTTP server for tests: listens on 127.0.0.1 (an ephemeral port, written to PORTFILE),
 * answers each request with STATUS (default 200) and appends "METHOD PATH\tBODY\n" to OUTFILE
 * ("METHOD PATH\tBODY\tAuthorization: ...\n" when the request has that header).
 * Serves N requests, then exits.  usage: http_sink PORTFILE OUTFILE N [STATUS] */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 4) return 2;
    int n = atoi(argv[3]), status = argc > 4 ? atoi(argv[4]) : 200;
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = {0};
    socklen_t al = sizeof a;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 16)) return 1;
    getsockname(s, (struct sockaddr *)&a, &al);
    FILE *pf = fopen(argv[1], "w");
    fprintf(pf, "%d\n", ntohs(a.sin_port));
    fclose(pf);
    for (int i = 0; i < n; i++) {
        int c = accept(s, NULL, NULL);
        static char buf[1 << 20];
        size_t got = 0;
        long want = -1;
        char *body = NULL;
        while (got < sizeof buf - 1) {
            ssize_t r = read(c, buf + got, sizeof buf - 1 - got);
            if (r <= 0) break;
            got += (size_t)r;
            buf[got] = 0;
            if (!body && (body = strstr(buf, "\r\n\r\n"))) {
                body += 4;
                char *cl = strcasestr(buf, "Content-Length:");
                want = cl ? atol(cl + 15) : 0;
            }
            if (body && (long)(got - (size_t)(body - buf)) >= want) break;
        }
        FILE *of = fopen(argv[2], "a");
        char *sp = strchr(buf, ' '), *sp2 = sp ? strchr(sp + 1, ' ') : NULL;
        char *auth = strcasestr(buf, "\r\nAuthorization:");
        if (body && auth > body) auth = NULL;
        fprintf(of, "%.*s %.*s\t%s", sp ? (int)(sp - buf) : 0, buf, sp2 ? (int)(sp2 - sp - 1) : 0,
                sp ? sp + 1 : "", body ? body : "");
        if (auth) fprintf(of, "\t%.*s", (int)strcspn(auth + 2, "\r"), auth + 2);
        fprintf(of, "\n");
        fclose(of);
        char resp[128];
        int len =
            snprintf(resp, sizeof resp,
                     "HTTP/1.1 %d X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", status);
        if (write(c, resp, (size_t)len) < 0) return 1;
        close(c);
    }
    return 0;
}
