/*
 * JSON Schema formats as assertions: date, time, date-time (RFC 3339), duration (ISO 8601 as
 * RFC 3339 appendix A), email (RFC 5321 mailbox), hostname (RFC 1123), ipv4, ipv6, uri,
 * uri-reference, uuid, json-pointer, relative-json-pointer, regex. Anything else is not checked.
 * Only ASCII digits count as digits.
 */
#include <stdlib.h>
#include <string.h>

#include "jsformat.h"
#include "jsregex.h"

static int digit(char c)
{
    return c >= '0' && c <= '9';
}

static int hexd(char c)
{
    return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* n digits at s as a number, or -1 */
static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!digit(s[i])) return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int check_date(const char *s, size_t n)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (n != 10 || s[4] != '-' || s[7] != '-') return 0;
    int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 0;
    return 1;
}

static int check_time(const char *s, size_t n)
{
    size_t i = 8;
    if (n < 9 || s[2] != ':' || s[5] != ':') return 0;
    int h = num(s, 2), mi = num(s + 3, 2), se = num(s + 6, 2), oh = 0, om = 0, sign = 0;
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60) return 0;
    if (s[i] == '.') {
        size_t j = ++i;
        while (i < n && digit(s[i])) i++;
        if (i == j) return 0;
    }
    if (i >= n) return 0;
    if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == n) {
    } else if ((s[i] == '+' || s[i] == '-') && n - i == 6 && s[i + 3] == ':') {
        sign = s[i] == '+' ? 1 : -1;
        oh = num(s + i + 1, 2), om = num(s + i + 4, 2);
        if (oh < 0 || oh > 23 || om < 0 || om > 59) return 0;
    } else {
        return 0;
    }
    if (se == 60) { /* a leap second is 23:59:60 UTC only */
        int utc = ((h * 60 + mi - sign * (oh * 60 + om)) % 1440 + 1440) % 1440;
        if (utc != 23 * 60 + 59) return 0;
    }
    return 1;
}

static int check_datetime(const char *s, size_t n)
{
    if (n < 11 || (s[10] != 'T' && s[10] != 't')) return 0;
    return check_date(s, 10) && check_time(s + 11, n - 11);
}

static int check_duration(const char *s, size_t n)
{
    size_t i = 1;
    int in_time = 0, any = 0, last = -1, weeks = 0;
    static const char date_units[] = "YMD", time_units[] = "HMS";
    if (n < 2 || s[0] != 'P') return 0;
    while (i < n) {
        if (s[i] == 'T') {
            if (in_time) return 0;
            in_time = 1, last = -1, i++;
            if (i == n) return 0;
            continue;
        }
        size_t j = i;
        while (i < n && digit(s[i])) i++;
        if (i == j || i == n) return 0;
        char u = s[i++];
        if (u == 'W' && !in_time) {
            weeks = 1;
        } else {
            const char *units = in_time ? time_units : date_units, *p = strchr(units, u);
            /* Y [M [D]], M [D], D; H [M [S]], M [S], S: units follow one another */
            if (!p || !u || (last >= 0 && (int)(p - units) != last + 1)) return 0;
            last = (int)(p - units);
        }
        any++;
    }
    if (!any || (weeks && any > 1)) return 0;
    return 1;
}

static int check_ipv4(const char *s, size_t n)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        size_t j = i;
        while (i < n && digit(s[i])) i++;
        if (i == j || i - j > 3 || (s[j] == '0' && i - j > 1)) return 0;
        if (num(s + j, i - j) > 255) return 0;
        if (part < 3) {
            if (i >= n || s[i] != '.') return 0;
            i++;
        }
    }
    return i == n;
}

static int check_ipv6(const char *s, size_t n)
{
    int groups = 0, dbl = 0;
    size_t i = 0;
    if (n >= 2 && s[0] == ':' && s[1] == ':')
        dbl = 1, i = 2;
    else if (n && s[0] == ':')
        return 0;
    while (i < n) {
        size_t j = i;
        while (i < n && hexd(s[i])) i++;
        if (i < n && s[i] == '.') { /* a trailing IPv4 */
            if (!check_ipv4(s + j, n - j)) return 0;
            groups += 2;
            i = n;
            break;
        }
        if (i == j || i - j > 4) return 0;
        groups++;
        if (i == n) break;
        if (s[i] != ':') return 0;
        i++;
        if (i < n && s[i] == ':') {
            if (dbl) return 0;
            dbl = 1, i++;
        } else if (i == n) {
            return 0;
        }
    }
    return dbl ? groups < 8 : groups == 8;
}

static int check_hostname(const char *s, size_t n)
{
    size_t i = 0;
    if (!n || n > 253) return 0;
    while (i < n) {
        size_t j = i;
        while (i < n && s[i] != '.') {
            if (!alpha(s[i]) && !digit(s[i]) && s[i] != '-') return 0;
            i++;
        }
        if (i == j || i - j > 63 || s[j] == '-' || s[i - 1] == '-') return 0;
        if (i - j >= 4 && s[j + 2] == '-' && s[j + 3] == '-' &&
            !((s[j] == 'x' || s[j] == 'X') && (s[j + 1] == 'n' || s[j + 1] == 'N')))
            return 0;
        if (i < n) {
            i++;
            if (i == n) return 0; /* a trailing dot */
        }
    }
    return 1;
}

static int check_email(const char *s, size_t n)
{
    const char *at = NULL;
    size_t i = 0;
    static const char atext[] = "!#$%&'*+-/=?^_`{|}~";
    if (n && s[0] == '"') {
        for (i = 1; i < n && s[i] != '"'; i++)
            if (s[i] == '\\') i++;
        if (i >= n || i + 1 >= n || s[i + 1] != '@') return 0;
        at = s + i + 1;
    } else {
        for (i = 0; i < n && s[i] != '@'; i++) {
            if (s[i] == '.') {
                if (i == 0 || s[i - 1] == '.' || i + 1 >= n || s[i + 1] == '@') return 0;
            } else if (!alpha(s[i]) && !digit(s[i]) && !strchr(atext, s[i])) {
                return 0;
            }
        }
        if (i == 0 || i >= n) return 0;
        at = s + i;
    }
    const char *d = at + 1;
    size_t dn = n - (size_t)(d - s);
    if (dn >= 2 && d[0] == '[' && d[dn - 1] == ']') {
        if (dn > 7 && !strncmp(d + 1, "IPv6:", 5)) return check_ipv6(d + 6, dn - 7);
        return check_ipv4(d + 1, dn - 2);
    }
    return check_hostname(d, dn) && d[dn - 1] != '.';
}

static int check_uuid(const char *s, size_t n)
{
    if (n != 36) return 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') return 0;
        } else if (!hexd(s[i])) {
            return 0;
        }
    }
    return 1;
}

static int check_json_pointer(const char *s, size_t n)
{
    if (n && s[0] != '/') return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '~' && (i + 1 >= n || (s[i + 1] != '0' && s[i + 1] != '1'))) return 0;
    return 1;
}

static int check_rel_json_pointer(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && digit(s[i])) i++;
    if (i == 0 || (s[0] == '0' && i > 1)) return 0;
    if (i < n && s[i] == '#') return i + 1 == n;
    if (i < n && (s[i] == '+' || s[i] == '-')) return 0;
    return check_json_pointer(s + i, n - i);
}

/* RFC 3986 characters: unreserved, reserved, and valid %XX escapes. */
static int uri_chars(const char *s, size_t n, int allow_hash_once)
{
    static const char ok[] = "-._~:/?#[]@!$&'()*+,;=";
    int hashes = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            if (i + 2 >= n + 0 || !hexd(s[i + 1]) || !hexd(s[i + 2])) return 0;
            i += 2;
            continue;
        }
        if (c == '#' && ++hashes > allow_hash_once) return 0;
        if (c >= 0x80 || !(alpha((char)c) || digit((char)c) || strchr(ok, c)) || !c) return 0;
    }
    return 1;
}

/* authority s[a..e): [userinfo@]host[:port]; host an IP literal in brackets or reg-name */
static int check_authority(const char *s, size_t a, size_t e)
{
    const char *at = memchr(s + a, '@', e - a);
    if (at) {
        if (memchr(at + 1, '@', (size_t)(s + e - at - 1))) return 0; /* one userinfo only */
        for (const char *p = s + a; p < at; p++)
            if (*p == '[' || *p == ']') return 0;
        a = (size_t)(at - s) + 1;
    }
    if (a < e && s[a] == '[') {
        const char *rb = memchr(s + a, ']', e - a);
        if (!rb || !check_ipv6(s + a + 1, (size_t)(rb - s) - a - 1)) return 0;
        a = (size_t)(rb - s) + 1;
        if (a < e && s[a] != ':') return 0;
    }
    for (size_t i = a; i < e; i++)
        if (s[i] == '[' || s[i] == ']') return 0;
    const char *colon = a < e ? memchr(s + a, ':', e - a) : NULL;
    if (colon)
        for (const char *p = colon + 1; p < s + e; p++)
            if (!digit(*p)) return 0;
    return 1;
}

/* the authority after "//" at s[i], if any */
static int check_hier(const char *s, size_t n, size_t i)
{
    if (i + 1 < n && s[i] == '/' && s[i + 1] == '/') {
        size_t a = i + 2, e = a;
        while (e < n && s[e] != '/' && s[e] != '?' && s[e] != '#') e++;
        return check_authority(s, a, e);
    }
    return 1;
}

static int check_uri_ref(const char *s, size_t n)
{
    size_t i = 0;
    if (!uri_chars(s, n, 1)) return 0;
    while (i < n && (alpha(s[i]) || digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) i++;
    if (i < n && s[i] == ':' && i > 0 && alpha(s[0])) return check_hier(s, n, i + 1); /* a URI */
    /* a relative reference: no ':' in the first path segment */
    size_t seg = 0;
    while (seg < n && s[seg] != '/' && s[seg] != '?' && s[seg] != '#') {
        if (s[seg] == ':') return 0;
        seg++;
    }
    return check_hier(s, n, 0);
}

static int check_uri(const char *s, size_t n)
{
    size_t i = 0;
    if (!n || !alpha(s[0])) return 0;
    while (i < n && (alpha(s[i]) || digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) i++;
    if (i >= n || s[i] != ':') return 0;
    return check_uri_ref(s, n);
}

/* ECMA-262 regular expression: what PCRE2 compiles, less its own syntax ECMA does not have. */
static int check_regex(const char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] == '\\') {
            if (s[i + 1] == 'a') return 0; /* not an ECMA control escape */
            i++;
            continue;
        }
        if (s[i] == '(' && s[i + 1] == '?' && i + 2 < n) {
            char c = s[i + 2];
            if (c == 'P' || c == '#') return 0;   /* Python named groups, comments */
            if (strchr("imsxUJn^-", c)) return 0; /* inline flags */
        }
    }
    return sl__js_regex_valid(s, n);
}

int sl__js_format_check(const char *format, const char *s, size_t n, const char **why)
{
    (void)why;
    if (!strcmp(format, "date")) return check_date(s, n);
    if (!strcmp(format, "time")) return check_time(s, n);
    if (!strcmp(format, "date-time")) return check_datetime(s, n);
    if (!strcmp(format, "duration")) return check_duration(s, n);
    if (!strcmp(format, "email")) return check_email(s, n);
    if (!strcmp(format, "hostname")) return check_hostname(s, n);
    if (!strcmp(format, "ipv4")) return check_ipv4(s, n);
    if (!strcmp(format, "ipv6")) return check_ipv6(s, n);
    if (!strcmp(format, "uri")) return check_uri(s, n);
    if (!strcmp(format, "uri-reference")) return check_uri_ref(s, n);
    if (!strcmp(format, "uuid")) return check_uuid(s, n);
    if (!strcmp(format, "json-pointer")) return check_json_pointer(s, n);
    if (!strcmp(format, "relative-json-pointer")) return check_rel_json_pointer(s, n);
    if (!strcmp(format, "regex")) return check_regex(s, n);
    return -1;
}
