/* UTF-8 validation and Latin-1 / Windows-1252 transcoding. */
#include <string.h>

#include "sluice/core.h"

size_t sl_utf8_valid_prefix(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;

    while (i < n) {
        /* ASCII fast path, 8 bytes at a time */
        while (i + 8 <= n) {
            uint64_t v;
            memcpy(&v, s + i, 8);
            if (v & 0x8080808080808080ull) break;
            i += 8;
        }
        if (i >= n) break;
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        uint32_t cp;
        if (c >= 0xc2 && c <= 0xdf) {
            len = 2, cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3, cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4, cp = c & 0x07;
        } else {
            return i;
        }
        if (i + len > n) return i;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80) return i;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        /* overlong forms, surrogates, beyond U+10FFFF */
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += len;
    }
    return n;
}

int sl_has_high_or_nul(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, s + i, 8);
        uint64_t zero = (v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull;
        if ((v & 0x8080808080808080ull) | zero) return 1;
    }
    for (; i < n; i++)
        if (s[i] >= 0x80 || s[i] == 0) return 1;
    return 0;
}

/* Windows-1252 0x80..0x9f; 0 = undefined there (kept as the Latin-1 C1 control). */
static const uint16_t cp1252[32] = {0x20ac, 0,      0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
                                    0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017d, 0,
                                    0,      0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
                                    0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0,      0x017e, 0x0178};

size_t sl_latin1_to_utf8(const char *p, size_t n, char *out, int win1252)
{
    const unsigned char *s = (const unsigned char *)p;
    unsigned char *o = (unsigned char *)out;

    for (size_t i = 0; i < n; i++) {
        uint32_t cp = s[i];
        if (cp < 0x80) {
            *o++ = (unsigned char)cp;
            continue;
        }
        if (win1252 && cp < 0xa0 && cp1252[cp - 0x80]) cp = cp1252[cp - 0x80];
        if (cp < 0x800) {
            *o++ = (unsigned char)(0xc0 | (cp >> 6));
            *o++ = (unsigned char)(0x80 | (cp & 0x3f));
        } else {
            *o++ = (unsigned char)(0xe0 | (cp >> 12));
            *o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
            *o++ = (unsigned char)(0x80 | (cp & 0x3f));
        }
    }
    return (size_t)(o - (unsigned char *)out);
}
