/*
 * URIs for JSON Schema's references (jsuri.h): RFC 3986 reference resolution (5.2, with its
 * dot-segment removal), fragments and percent-decoding. Internal to src/schema.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/core.h"
#include "jsuri.h"

struct uri {
    const char *scheme, *auth, *path, *query, *frag;
    size_t scheme_n, auth_n, path_n, query_n, frag_n;
    int has_scheme, has_auth, has_query, has_frag;
};

static void uri_parse(const char *s, struct uri *u)
{
    const char *p = s;
    memset(u, 0, sizeof *u);
    if (isalpha((unsigned char)*p)) {
        const char *q = p;
        while (isalnum((unsigned char)*q) || *q == '+' || *q == '-' || *q == '.') q++;
        if (*q == ':') {
            u->has_scheme = 1, u->scheme = p, u->scheme_n = (size_t)(q - p);
            p = q + 1;
        }
    }
    if (p[0] == '/' && p[1] == '/') {
        p += 2;
        u->has_auth = 1, u->auth = p;
        while (*p && *p != '/' && *p != '?' && *p != '#') p++;
        u->auth_n = (size_t)(p - u->auth);
    }
    u->path = p;
    while (*p && *p != '?' && *p != '#') p++;
    u->path_n = (size_t)(p - u->path);
    if (*p == '?') {
        u->has_query = 1, u->query = ++p;
        while (*p && *p != '#') p++;
        u->query_n = (size_t)(p - u->query);
    }
    if (*p == '#') {
        u->has_frag = 1, u->frag = p + 1;
        u->frag_n = strlen(p + 1);
    }
}

/* RFC 3986 5.2.4 */
static void remove_dots(const char *in, size_t n, struct sl_buf *out)
{
    char *buf = sl_xstrndup(in, n), *p = buf;
    size_t start = out->len;
    while (*p) {
        if (!strncmp(p, "../", 3))
            p += 3;
        else if (!strncmp(p, "./", 2))
            p += 2;
        else if (!strncmp(p, "/./", 3))
            p += 2;
        else if (!strcmp(p, "/."))
            p[1] = 0;
        else if (!strncmp(p, "/../", 4) || !strcmp(p, "/..")) {
            if (p[3])
                p += 3;
            else
                p[2] = '/', p += 2;
            while (out->len > start && out->p[out->len - 1] != '/') out->len--;
            if (out->len > start) out->len--;
        } else if (!strcmp(p, ".") || !strcmp(p, "..")) {
            break;
        } else {
            size_t k = 1;
            while (p[k] && p[k] != '/') k++;
            if (*p != '/') k = strcspn(p, "/");
            sl_buf_add(out, p, k);
            p += k;
        }
    }
    free(buf);
}

/* base + ref → absolute URI (malloc'ed). */
char *sl__js_uri_resolve(const char *base, const char *ref)
{
    struct uri b, r;
    struct sl_buf o = SL_BUF_INIT;

    uri_parse(ref, &r);
    uri_parse(base ? base : "", &b);
    if (r.has_scheme) {
        sl_buf_add(&o, r.scheme, r.scheme_n + 1);
        if (r.has_auth) sl_buf_adds(&o, "//"), sl_buf_add(&o, r.auth, r.auth_n);
        remove_dots(r.path, r.path_n, &o);
        if (r.has_query) sl_buf_addc(&o, '?'), sl_buf_add(&o, r.query, r.query_n);
    } else {
        if (b.has_scheme) sl_buf_add(&o, b.scheme, b.scheme_n + 1);
        if (r.has_auth) {
            sl_buf_adds(&o, "//"), sl_buf_add(&o, r.auth, r.auth_n);
            remove_dots(r.path, r.path_n, &o);
            if (r.has_query) sl_buf_addc(&o, '?'), sl_buf_add(&o, r.query, r.query_n);
        } else {
            if (b.has_auth) sl_buf_adds(&o, "//"), sl_buf_add(&o, b.auth, b.auth_n);
            if (!r.path_n) {
                sl_buf_add(&o, b.path, b.path_n);
                if (r.has_query)
                    sl_buf_addc(&o, '?'), sl_buf_add(&o, r.query, r.query_n);
                else if (b.has_query)
                    sl_buf_addc(&o, '?'), sl_buf_add(&o, b.query, b.query_n);
            } else {
                if (r.path[0] == '/') {
                    remove_dots(r.path, r.path_n, &o);
                } else {
                    struct sl_buf merged = SL_BUF_INIT;
                    if (b.has_auth && !b.path_n) {
                        sl_buf_addc(&merged, '/');
                    } else {
                        size_t k = b.path_n;
                        while (k && b.path[k - 1] != '/') k--;
                        sl_buf_add(&merged, b.path, k);
                    }
                    sl_buf_add(&merged, r.path, r.path_n);
                    if (b.has_scheme && !b.has_auth && merged.len && merged.p[0] != '/')
                        sl_buf_add(&o, merged.p, merged.len); /* urn:...: no dot segments */
                    else
                        remove_dots(merged.p, merged.len, &o);
                    sl_buf_free(&merged);
                }
                if (r.has_query) sl_buf_addc(&o, '?'), sl_buf_add(&o, r.query, r.query_n);
            }
        }
    }
    if (r.has_frag) sl_buf_addc(&o, '#'), sl_buf_add(&o, r.frag, r.frag_n);
    if (!o.len) sl_buf_adds(&o, "");
    return sl_buf_detach(&o);
}

/* Cuts the fragment off uri in place; returns it (without '#') or NULL. */
char *sl__js_uri_cut_frag(char *uri)
{
    char *h = strchr(uri, '#');
    if (!h) return NULL;
    *h = 0;
    return h + 1;
}

void sl__js_pct_decode(const char *s, struct sl_buf *out)
{
    for (; *s; s++) {
        if (*s == '%' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])) {
            char hex[3] = {s[1], s[2], 0};
            sl_buf_addc(out, (char)strtol(hex, NULL, 16));
            s += 2;
        } else {
            sl_buf_addc(out, *s);
        }
    }
}
