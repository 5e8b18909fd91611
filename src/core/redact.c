/*
 * Secrets out of messages: the password of a URL's userinfo, password-like query parameters of
 * a URL, and libpq's `password=` in a conninfo string are replaced by "***". Every error
 * message (sl_error_set, sl_error_prefix) and every log line (sl_log) goes through
 * sl_redact_text, so a URL that reaches a message by any path is masked there, once.
 */
#include <ctype.h>
#include <stdlib.h>
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
    /* compared decoded: libpq reads "pass%77ord" as "password" */
    char dec[32];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k == sizeof dec) return 0; /* longer than any secret name */
        if (name[i] == '%' && i + 2 < n && isxdigit((unsigned char)name[i + 1]) &&
            isxdigit((unsigned char)name[i + 2])) {
            char hex[3] = {name[i + 1], name[i + 2], 0};
            dec[k++] = (char)strtol(hex, NULL, 16);
            i += 2;
        } else {
            dec[k++] = name[i];
        }
    }
    return in_list(dec, k, secret_params, sizeof secret_params / sizeof *secret_params);
}

/* Characters that end a URL inside a message. */
static int url_end(char c)
{
    return c == 0 || isspace((unsigned char)c) || c == '"' || c == '\'' || c == '<' || c == '>' ||
           c == '`' || c == ')' || c == ']' || c == '}';
}

/*
 * The userinfo of the URL s[0..n) whose authority starts at s[auth]: returns the index of the
 * '@' that ends it (0: none) and sets *colon to the ':' before the password (0: no password).
 * The user name ends at the first ':' ('/', '?', '#' first: no userinfo); the password then
 * runs to the LAST '@' of the URL, even past a '/' or '?', which a password typed without
 * percent-encoding may hold: a path holding an '@' after a port ("h:80/a@b") is over-masked,
 * never a password under-masked.
 */
static size_t userinfo(const char *s, size_t auth, size_t n, size_t *colon)
{
    size_t k = auth, at = 0;

    *colon = 0;
    while (k < n && s[k] != ':' && s[k] != '@' && s[k] != '/' && s[k] != '?' && s[k] != '#') k++;
    if (k >= n || s[k] == '/' || s[k] == '?' || s[k] == '#') return 0;
    if (s[k] == '@') { /* a user, no password (the last '@' of the authority ends it) */
        for (size_t j = k; j < n && s[j] != '/' && s[j] != '?' && s[j] != '#'; j++)
            if (s[j] == '@') at = j;
        return at;
    }
    for (size_t j = k + 1; j < n; j++)
        if (s[j] == '@') at = j;
    if (at) *colon = k;
    return at;
}

/* Appends the query or fragment s[i..n) (from its '?'), secret parameter values masked (or,
 * with drop, left out with their names). */
static void add_query(struct sl_buf *b, const char *s, size_t i, size_t n, int drop)
{
    size_t qi = i + 1, kept = 0;

    if (!drop) sl_buf_addc(b, '?');
    while (qi < n) {
        size_t e = qi;
        while (e < n && s[e] != '&' && s[e] != ';' && s[e] != '#') e++;
        const char *eq = memchr(s + qi, '=', e - qi);
        int secret = eq && sl_is_secret_param(s + qi, (size_t)(eq - (s + qi)));
        if (drop) {
            if (!secret && e > qi) {
                sl_buf_addc(b, kept++ ? '&' : '?');
                sl_buf_add(b, s + qi, e - qi);
            }
        } else if (secret) {
            sl_buf_add(b, s + qi, (size_t)(eq - s) + 1 - qi);
            sl_buf_adds(b, MASK);
        } else {
            sl_buf_add(b, s + qi, e - qi);
        }
        if (e < n && s[e] == '#') {
            sl_buf_add(b, s + e, n - e);
            return;
        }
        if (e < n && !drop) sl_buf_addc(b, s[e]);
        qi = e + 1;
    }
}

/* Appends the URL s[0..n) with its secrets masked ("***"), or with drop (a URL to publish)
 * without its userinfo and without its secret query parameters. */
static void add_url(struct sl_buf *b, const char *s, size_t n, int drop)
{
    const char *sep = memmem(s, n, "://", 3);
    size_t i = 0;

    if (sep) {
        size_t auth = (size_t)(sep - s) + 3, colon, at = userinfo(s, auth, n, &colon);
        if (at && colon && !drop) {
            sl_buf_add(b, s, colon + 1);
            sl_buf_adds(b, MASK);
            i = at;
        } else if (at && drop) {
            sl_buf_add(b, s, auth);
            i = at + 1;
        }
    }
    const char *q = memchr(s + i, '?', n - i);
    if (!q) {
        sl_buf_add(b, s + i, n - i);
        return;
    }
    sl_buf_add(b, s + i, (size_t)(q - s) - i);
    add_query(b, s, (size_t)(q - s), n, drop);
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

/*
 * Known secrets: the passwords of the URLs sluice was given (sl_redact_register_url), masked
 * wherever they appear, also outside a URL: libpq quotes a value it cannot read
 * (`invalid percent-encoded token: "..."`) and a password typed without percent-encoding is
 * split by libpq at its '@', ':' or '/' into host, port or parameters that messages name. So
 * each password is kept whole, percent-decoded, and in its pieces between those delimiters
 * (pieces under MIN_SECRET bytes are not: they would mask ordinary words). Registered from
 * the main thread before the store opens; read by any thread.
 */
#define MAX_SECRETS 64
#define MIN_SECRET  4
static char *secrets[MAX_SECRETS]; /* longest first */
static size_t nsecrets;

static void add_secret(const char *p, size_t n)
{
    size_t count = __atomic_load_n(&nsecrets, __ATOMIC_ACQUIRE), k;

    if (n < MIN_SECRET || (n == strlen(MASK) && !memcmp(p, MASK, n)) || count == MAX_SECRETS)
        return;
    for (k = 0; k < count; k++)
        if (strlen(secrets[k]) == n && !memcmp(secrets[k], p, n)) return;
    /* kept sorted, longest first: a password is masked whole before its pieces are */
    for (k = count; k > 0 && strlen(secrets[k - 1]) < n; k--) secrets[k] = secrets[k - 1];
    secrets[k] = sl_xstrndup(p, n);
    __atomic_store_n(&nsecrets, count + 1, __ATOMIC_RELEASE);
}

static void add_decoded_secret(const char *p, size_t n, int pieces);

/* p[0..n) and its pieces between URL delimiters, raw and percent-decoded. */
static void add_secret_pieces(const char *p, size_t n, int decode)
{
    size_t i = 0;

    add_secret(p, n);
    while (i < n) {
        size_t e = i;
        while (e < n && !strchr(":/@?#&=;", p[e])) e++;
        if (e - i < n) add_secret(p + i, e - i);
        i = e + 1;
    }
    if (decode && memchr(p, '%', n)) add_decoded_secret(p, n, 1);
}

static void add_decoded_secret(const char *p, size_t n, int pieces)
{
    struct sl_buf d = SL_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '%' && i + 2 < n && isxdigit((unsigned char)p[i + 1]) &&
            isxdigit((unsigned char)p[i + 2])) {
            char hex[3] = {p[i + 1], p[i + 2], 0};
            sl_buf_addc(&d, (char)strtol(hex, NULL, 16));
            i += 2;
        } else {
            sl_buf_addc(&d, p[i]);
        }
    }
    if (d.len && pieces) add_secret_pieces(d.p, d.len, 0);
    sl_buf_free(&d);
}

void sl_redact_register_url(const char *url)
{
    const char *sep;
    size_t n;

    if (!url) return;
    n = strlen(url);
    if ((sep = strstr(url, "://"))) {
        size_t auth = (size_t)(sep - url) + 3, colon, at = userinfo(url, auth, n, &colon);
        if (at && colon) add_secret_pieces(url + colon + 1, at - colon - 1, 1);
    }
    /* password-like parameters, wherever a '?', '&' or ';' starts one (a raw password may
     * hold a '?': libpq then reads parameters from inside it) */
    for (size_t i = 0; i < n; i++) {
        if (url[i] != '?' && url[i] != '&' && url[i] != ';') continue;
        size_t k = i + 1, e;
        while (k < n && !strchr("=&;#?", url[k])) k++;
        if (k >= n || url[k] != '=' || !sl_is_secret_param(url + i + 1, k - i - 1)) continue;
        for (e = k + 1; e < n && !strchr("&;#", url[e]);) e++;
        add_secret_pieces(url + k + 1, e - k - 1, 1);
    }
}

/* Appends t with every registered secret replaced by the mask. */
static void add_unsecret(struct sl_buf *b, const char *t, size_t len, size_t count)
{
    size_t i = 0, from = 0;

    while (i < len) {
        size_t k;
        for (k = 0; k < count; k++) {
            size_t n = strlen(secrets[k]);
            if (n <= len - i && !memcmp(t + i, secrets[k], n)) break;
        }
        if (k == count) {
            i++;
            continue;
        }
        sl_buf_add(b, t + from, i - from);
        sl_buf_adds(b, MASK);
        i += strlen(secrets[k]);
        from = i;
    }
    sl_buf_add(b, t + from, len - from);
}

static void add_redacted_urls(struct sl_buf *b, const char *t);

void sl_buf_add_redacted(struct sl_buf *b, const char *t)
{
    size_t count = __atomic_load_n(&nsecrets, __ATOMIC_ACQUIRE);
    struct sl_buf tmp = SL_BUF_INIT;

    if (!count) {
        add_redacted_urls(b, t);
        return;
    }
    add_redacted_urls(&tmp, t);
    add_unsecret(b, sl_buf_str(&tmp), tmp.len, count);
    sl_buf_free(&tmp);
}

static void add_redacted_urls(struct sl_buf *b, const char *t)
{
    size_t i = 0;

    while (t[i]) {
        if (i == 0 || !scheme_char(t[i - 1])) {
            size_t k = i;
            while (scheme_char(t[k])) k++;
            if (k > i && !strncmp(t + k, "://", 3)) { /* a URL: to its first delimiter */
                size_t e = k + 3, w = e, colon, at;
                while (!url_end(t[e])) e++;
                /* a password may hold a delimiter (')', a quote): up to the next space */
                while (t[w] && !isspace((unsigned char)t[w])) w++;
                at = userinfo(t + i, k + 3 - i, w - i, &colon);
                if (colon && i + at >= e)
                    for (e = i + at + 1; !url_end(t[e]);) e++;
                /* "URL: reason", "URL, ...": trailing punctuation is the message's (and a
                 * masked "?password=***:" stays itself when masked again) */
                while (e > k + 3 && strchr(":,;.", t[e - 1])) e--;
                add_url(b, t + i, e - i, 0);
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
    struct sl_buf b = SL_BUF_INIT, out = SL_BUF_INIT;
    if (!url) return NULL;
    add_url(&b, url, strlen(url), 0);
    add_unsecret(&out, sl_buf_str(&b), b.len, __atomic_load_n(&nsecrets, __ATOMIC_ACQUIRE));
    sl_buf_free(&b);
    if (!out.p) return sl_xstrdup("");
    return sl_buf_detach(&out);
}

char *sl_url_public(const char *url)
{
    struct sl_buf b = SL_BUF_INIT;
    if (!url) return NULL;
    add_url(&b, url, strlen(url), 1);
    if (!b.p) return sl_xstrdup("");
    return sl_buf_detach(&b);
}

void sl_redact_text(char *msg, size_t cap)
{
    struct sl_buf b = SL_BUF_INIT;

    if (!msg || !cap ||
        (!strstr(msg, "://") && !strcasestr(msg, "pass") && !strcasestr(msg, "secret") &&
         !__atomic_load_n(&nsecrets, __ATOMIC_ACQUIRE)))
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

void sl_buf_add_shown(struct sl_buf *b, const char *s)
{
    if (s) sl_buf_add_printable(b, s, strlen(s));
}

void sl_text_printable(char *msg, size_t cap)
{
    struct sl_buf b = SL_BUF_INIT;
    size_t i, n;

    if (!msg || !cap) return;
    for (i = 0; msg[i]; i++) {
        unsigned char c = (unsigned char)msg[i];
        if (c < 0x20 || c == 0x7f || c >= 0x80) break;
    }
    if (!msg[i]) return; /* plain ASCII text: nothing to escape */
    sl_buf_add_printable(&b, msg, strlen(msg));
    n = b.len < cap - 1 ? b.len : cap - 1;
    /* cut at a character boundary, never inside a UTF-8 sequence */
    while (n > 0 && n < b.len && ((unsigned char)b.p[n] & 0xc0) == 0x80) n--;
    memcpy(msg, b.p, n);
    msg[n] = 0;
    sl_buf_free(&b);
}
