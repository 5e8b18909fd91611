/*
 * HTML to text for strip_html: a small tokenizer, not a parser. Text outside tags is kept,
 * tags and comments are dropped, <script> and <style> lose their content too, a block-level
 * tag or <br> separates words with one space, and character references are decoded (the
 * common named ones, &#N; and &#xH;; an unknown name is kept as written).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "sluice/transform.h"

static const struct {
    const char *name;
    unsigned cp;
} entities[] = {
    {"amp", '&'},      {"lt", '<'},       {"gt", '>'},       {"quot", '"'},      {"apos", '\''},
    {"nbsp", ' '},     {"copy", 0xA9},    {"reg", 0xAE},     {"trade", 0x2122},  {"hellip", 0x2026},
    {"mdash", 0x2014}, {"ndash", 0x2013}, {"lsquo", 0x2018}, {"rsquo", 0x2019},  {"ldquo", 0x201C},
    {"rdquo", 0x201D}, {"laquo", 0xAB},   {"raquo", 0xBB},   {"euro", 0x20AC},   {"pound", 0xA3},
    {"yen", 0xA5},     {"cent", 0xA2},    {"sect", 0xA7},    {"deg", 0xB0},      {"plusmn", 0xB1},
    {"times", 0xD7},   {"divide", 0xF7},  {"middot", 0xB7},  {"bull", 0x2022},   {"para", 0xB6},
    {"frac12", 0xBD},  {"frac14", 0xBC},  {"frac34", 0xBE},  {"sup2", 0xB2},     {"sup3", 0xB3},
    {"micro", 0xB5},   {"iexcl", 0xA1},   {"iquest", 0xBF},  {"shy", 0xAD},      {"auml", 0xE4},
    {"ouml", 0xF6},    {"uuml", 0xFC},    {"Auml", 0xC4},    {"Ouml", 0xD6},     {"Uuml", 0xDC},
    {"szlig", 0xDF},   {"eacute", 0xE9},  {"egrave", 0xE8},  {"ecirc", 0xEA},    {"Eacute", 0xC9},
    {"agrave", 0xE0},  {"aacute", 0xE1},  {"acirc", 0xE2},   {"ccedil", 0xE7},   {"ntilde", 0xF1},
    {"oacute", 0xF3},  {"ograve", 0xF2},  {"ocirc", 0xF4},   {"iacute", 0xED},   {"uacute", 0xFA},
    {"aring", 0xE5},   {"oslash", 0xF8},  {"aelig", 0xE6},   {"hearts", 0x2665}, {"rarr", 0x2192},
    {"larr", 0x2190},  {"ensp", 0x2002},  {"emsp", 0x2003},  {"thinsp", 0x2009}, {"zwj", 0x200D},
};

static void put_utf8(struct sl_buf *b, unsigned cp)
{
    char u[4];
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        sl_buf_addc(b, (char)cp);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        sl_buf_add(b, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        sl_buf_add(b, u, 3);
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        sl_buf_add(b, u, 4);
    }
}

/* A character reference at p ('&'): its length (through ';') with *cp set, or 0. */
static size_t entity(const char *p, const char *end, unsigned *cp)
{
    const char *q = p + 1;
    if (q < end && *q == '#') {
        unsigned long v = 0;
        int hex = 0, digits = 0;
        q++;
        if (q < end && (*q == 'x' || *q == 'X')) hex = 1, q++;
        for (; q < end && digits < 8; q++, digits++) {
            int d = hex && isxdigit((unsigned char)*q)
                        ? (isdigit((unsigned char)*q) ? *q - '0'
                                                      : (tolower((unsigned char)*q) - 'a' + 10))
                    : !hex && isdigit((unsigned char)*q) ? *q - '0'
                                                         : -1;
            if (d < 0) break;
            v = v * (hex ? 16 : 10) + (unsigned long)d;
        }
        if (!digits || q >= end || *q != ';') return 0;
        *cp = v > 0x10FFFF ? 0xFFFD : (unsigned)v;
        return (size_t)(q + 1 - p);
    }
    const char *s = q;
    while (q < end && isalnum((unsigned char)*q) && q - s < 10) q++;
    if (q >= end || *q != ';' || q == s) return 0;
    for (size_t i = 0; i < sizeof entities / sizeof entities[0]; i++)
        if (strlen(entities[i].name) == (size_t)(q - s) && !memcmp(entities[i].name, s, q - s)) {
            *cp = entities[i].cp;
            return (size_t)(q + 1 - p);
        }
    return 0;
}

static const char *const blocks[] = {
    "br",    "p",       "div",     "li",     "ul",     "ol", "tr", "td", "th",
    "table", "h1",      "h2",      "h3",     "h4",     "h5", "h6", "hr", "blockquote",
    "pre",   "section", "article", "header", "footer", "dd", "dt", NULL};

static void space(struct sl_buf *out)
{
    if (out->len && out->p[out->len - 1] != ' ') sl_buf_addc(out, ' ');
}

/* Finds the end of a raw-text element's content: "</name" case-insensitively, or end. */
static const char *skip_raw(const char *p, const char *end, const char *name)
{
    size_t n = strlen(name);
    for (; p + 2 + n <= end; p++)
        if (p[0] == '<' && p[1] == '/' && !strncasecmp(p + 2, name, n)) return p;
    return end;
}

void sl_html_strip(const char *p, size_t n, struct sl_buf *out)
{
    const char *end = p + n;
    sl_buf_reset(out);
    while (p < end) {
        if (*p == '&') {
            unsigned cp;
            size_t k = entity(p, end, &cp);
            if (k) {
                put_utf8(out, cp);
                p += k;
            } else {
                sl_buf_addc(out, *p++);
            }
            continue;
        }
        if (*p != '<' || p + 1 >= end ||
            !(isalpha((unsigned char)p[1]) || p[1] == '/' || p[1] == '!' || p[1] == '?')) {
            sl_buf_addc(out, *p++); /* a lone '<' ("a < b") is text */
            continue;
        }
        if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
            const char *c = memmem(p + 4, (size_t)(end - p - 4), "-->", 3);
            p = c ? c + 3 : end;
            continue;
        }
        /* a tag: its name, then through the closing '>' (quoted attribute values may hold '>') */
        const char *q = p + 1, *name;
        int closing = 0;
        char quote = 0;
        if (*q == '/') closing = 1, q++;
        name = q;
        while (q < end && (isalnum((unsigned char)*q) || *q == '-')) q++;
        size_t nlen = (size_t)(q - name);
        for (; q < end; q++) {
            if (quote) {
                if (*q == quote) quote = 0;
            } else if (*q == '"' || *q == '\'') {
                quote = *q;
            } else if (*q == '>') {
                break;
            }
        }
        p = q < end ? q + 1 : end;
        for (int i = 0; blocks[i]; i++)
            if (strlen(blocks[i]) == nlen && !strncasecmp(blocks[i], name, nlen)) space(out);
        if (!closing && ((nlen == 6 && !strncasecmp(name, "script", 6)) ||
                         (nlen == 5 && !strncasecmp(name, "style", 5)))) {
            char tag[7];
            memcpy(tag, name, nlen);
            tag[nlen] = 0;
            p = skip_raw(p, end, tag);
        }
    }
    /* the spaces block tags made at the ends are not text */
    size_t s = 0;
    while (s < out->len && out->p[s] == ' ') s++;
    if (s) {
        memmove(out->p, out->p + s, out->len - s);
        out->len -= s;
    }
    while (out->len && out->p[out->len - 1] == ' ') out->len--;
    if (out->p) out->p[out->len] = 0;
}
