/*
 * Secrets out of messages: the password of a URL's userinfo, password-like query parameters of
 * a URL, and libpq's `password=` in a conninfo string are replaced by "***". Every error
 * message (sl_error_set, sl_error_prefix) and every log line (sl_log) goes through
 * sl_redact_text, so a URL that reaches a message by any path is masked there, once.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "sluice/core.h"

#define MASK "***"

/* Query parameters that carry secrets in store and endpoint URLs. */
static const char *const secret_params[] = {
    "password",    "passwd",        "pwd",           "pass",      "secret",    "client_secret",
    "token",       "access_token",  "refresh_token", "id_token",  "api_key",   "apikey",
    "api-key",     "key",           "sig",           "signature", "auth",      "authorization",
    "sslpassword", "private_token", "session",       "sessionid", "x-api-key",
};

/* Keys masked in free text too (libpq conninfo "host=x password=y"). */
static const char *const secret_words[] = {"password", "passwd", "sslpassword", "client_secret"};

static int in_list(const char *k, size_t n, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(list[i]) == n && !strncasecmp(k, list[i], n)) return 1;
    return 0;
}

int sl_is_secret_param(const char *name, size_t n)
{
    return in_list(name, n, secret_params, sizeof secret_params / sizeof *secret_params);
}

/* Characters that end a URL inside a message. */
static int url_end(char c)
{
    return c == 0 || isspace((unsigned char)c) || c == '"' || c == '\'' || c == '<' || c == '>' ||
           c == '`' || c == ')' || c == ']' || c == '}';
}

/* Appends the URL s[0..n) with its secrets masked. */
static void add_url(struct sl_buf *b, const char *s, size_t n)
{
    const char *sep = memmem(s, n, "://", 3);
    size_t i = 0;

    if (sep) {
        size_t auth = (size_t)(sep - s) + 3, end = auth, at = 0, colon = 0;
        while (end < n && s[end] != '/' && s[end] != '?' && s[end] != '#') end++;
        for (size_t k = auth; k < end; k++)
            if (s[k] == '@') at = k; /* the last '@': a password may contain one */
        for (size_t k = auth; at && k < at; k++)
            if (s[k] == ':') {
                colon = k;
                break;
            }
        if (at && colon) {
            sl_buf_add(b, s, colon + 1);
            sl_buf_adds(b, MASK);
            i = at;
        }
    }
    const char *q = memchr(s + i, '?', n - i);
    if (!q) {
        sl_buf_add(b, s + i, n - i);
        return;
    }
    size_t qi = (size_t)(q - s) + 1;
    sl_buf_add(b, s + i, qi - i);
    while (qi < n) {
        size_t e = qi;
        while (e < n && s[e] != '&' && s[e] != ';' && s[e] != '#') e++;
        const char *eq = memchr(s + qi, '=', e - qi);
        if (eq && sl_is_secret_param(s + qi, (size_t)(eq - (s + qi)))) {
            sl_buf_add(b, s + qi, (size_t)(eq - s) + 1 - qi);
            sl_buf_adds(b, MASK);
        } else {
            sl_buf_add(b, s + qi, e - qi);
        }
        if (e < n && s[e] == '#') {
            sl_buf_add(b, s + e, n - e);
            return;
        }
        if (e < n) sl_buf_addc(b, s[e]);
        qi = e + 1;
    }
}

/* At text[i], a secret word followed by '=' (at a word start)? Returns the value's start. */
static size_t secret_word_at(const char *t, size_t i)
{
    if (i > 0 && (isalnum((unsigned char)t[i - 1]) || t[i - 1] == '_')) return 0;
    for (size_t w = 0; w < sizeof secret_words / sizeof *secret_words; w++) {
        size_t n = strlen(secret_words[w]), j;
        if (strncasecmp(t + i, secret_words[w], n)) continue;
        j = i + n;
        while (t[j] == ' ') j++;
        if (t[j] != '=') continue;
        j++;
        while (t[j] == ' ') j++;
        return j;
    }
    return 0;
}

static int scheme_char(char c)
{
    return isalnum((unsigned char)c) || c == '+' || c == '-' || c == '.';
}

/* Skips a conninfo value at t[v]: 'quoted' (libpq: \' escapes) or up to a space. */
static size_t skip_value(const char *t, size_t v)
{
    if (t[v] == '\'') {
        for (v++; t[v] && t[v] != '\''; v++)
            if (t[v] == '\\' && t[v + 1]) v++;
        return t[v] ? v + 1 : v;
    }
    while (t[v] && !isspace((unsigned char)t[v]) && t[v] != '&') v++;
    return v;
}

void sl_buf_add_redacted(struct sl_buf *b, const char *t)
{
    size_t i = 0;

    while (t[i]) {
        if (i == 0 || !scheme_char(t[i - 1])) {
            size_t k = i;
            while (scheme_char(t[k])) k++;
            if (k > i && !strncmp(t + k, "://", 3)) { /* a URL: to its first delimiter */
                size_t e = k + 3;
                while (!url_end(t[e])) e++;
                /* "URL: reason": that ':' ends the URL, it is not part of a masked value */
                if (e > k + 3 && t[e - 1] == ':' && (t[e] == ' ' || !t[e])) e--;
                add_url(b, t + i, e - i);
                i = e;
                continue;
            }
            size_t v = secret_word_at(t, i);
            if (v) {
                sl_buf_add(b, t + i, v - i);
                sl_buf_adds(b, MASK);
                i = skip_value(t, v);
                continue;
            }
        }
        sl_buf_addc(b, t[i++]);
    }
}

char *sl_url_redact(const char *url)
{
    struct sl_buf b = SL_BUF_INIT;
    if (!url) return NULL;
    add_url(&b, url, strlen(url));
    if (!b.p) return sl_xstrdup("");
    return sl_buf_detach(&b);
}

void sl_redact_text(char *msg, size_t cap)
{
    struct sl_buf b = SL_BUF_INIT;

    if (!msg || !cap ||
        (!strstr(msg, "://") && !strcasestr(msg, "pass") && !strcasestr(msg, "secret")))
        return;
    sl_buf_add_redacted(&b, msg);
    if (b.p) {
        size_t n = b.len < cap - 1 ? b.len : cap - 1;
        memcpy(msg, b.p, n);
        msg[n] = 0;
    }
    sl_buf_free(&b);
}

void sl_buf_add_printable(struct sl_buf *b, const char *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i = 0;

    while (i < n) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x20 && c < 0x7f) {
            size_t k = i + 1;
            while (k < n && (unsigned char)p[k] >= 0x20 && (unsigned char)p[k] < 0x7f) k++;
            sl_buf_add(b, p + i, k - i);
            i = k;
            continue;
        }
        if (c >= 0x80) {
            size_t v = sl_utf8_valid_prefix(p + i, n - i < 4 ? n - i : 4), len = 0;
            len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
            /* a valid sequence that is not a C1 control (U+0080..U+009F = C2 80..C2 9F) */
            if (v >= len && !(c == 0xc2 && (unsigned char)p[i + 1] < 0xa0)) {
                sl_buf_add(b, p + i, len);
                i += len;
                continue;
            }
            if (v >= len) { /* C1 control */
                sl_buf_addf(b, "\\u%04x", (unsigned char)p[i + 1]);
                i += len;
                continue;
            }
        }
        sl_buf_addc(b, '\\');
        switch (c) {
        case '\n': sl_buf_addc(b, 'n'); break;
        case '\r': sl_buf_addc(b, 'r'); break;
        case '\t': sl_buf_addc(b, 't'); break;
        default:
            sl_buf_addc(b, 'x');
            sl_buf_addc(b, hex[c >> 4]);
            sl_buf_addc(b, hex[c & 15]);
        }
        i++;
    }
}
