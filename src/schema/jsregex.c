/*
 * ECMA-262 regular expressions (JSON Schema's "pattern", "patternProperties" and the "regex"
 * format) translated for PCRE2 (jsregex.h): \d and \w stay ASCII (no UCP), \s gets the Unicode
 * spaces ECMA adds, \u is JS's, \p{...} takes ECMA's long property names, [] matches nothing
 * and [^] any character. Internal to src/schema.
 */
#include <string.h>

#include "sluice/core.h"
#include "jsregex.h"

/* The Unicode spaces ECMA-262's \s has beyond PCRE2's ASCII ones. */
#define ECMA_SPACES                                                                     \
    "\xc2\xa0\xe1\x9a\x80\xe2\x80\x80-\xe2\x80\x8a\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xaf" \
    "\xe2\x81\x9f\xe3\x80\x80\xef\xbb\xbf"

/* ECMA-262 property names PCRE2 spells otherwise: long General_Category names, gc=, sc=. */
static const char *unicode_property(char *name)
{
    static const char *const gc[][2] = {{"Letter", "L"},
                                        {"Cased_Letter", "L&"},
                                        {"Uppercase_Letter", "Lu"},
                                        {"Lowercase_Letter", "Ll"},
                                        {"Titlecase_Letter", "Lt"},
                                        {"Modifier_Letter", "Lm"},
                                        {"Other_Letter", "Lo"},
                                        {"Mark", "M"},
                                        {"Nonspacing_Mark", "Mn"},
                                        {"Spacing_Mark", "Mc"},
                                        {"Enclosing_Mark", "Me"},
                                        {"Number", "N"},
                                        {"Decimal_Number", "Nd"},
                                        {"digit", "Nd"},
                                        {"Letter_Number", "Nl"},
                                        {"Other_Number", "No"},
                                        {"Punctuation", "P"},
                                        {"punct", "P"},
                                        {"Connector_Punctuation", "Pc"},
                                        {"Dash_Punctuation", "Pd"},
                                        {"Open_Punctuation", "Ps"},
                                        {"Close_Punctuation", "Pe"},
                                        {"Initial_Punctuation", "Pi"},
                                        {"Final_Punctuation", "Pf"},
                                        {"Other_Punctuation", "Po"},
                                        {"Symbol", "S"},
                                        {"Math_Symbol", "Sm"},
                                        {"Currency_Symbol", "Sc"},
                                        {"Modifier_Symbol", "Sk"},
                                        {"Other_Symbol", "So"},
                                        {"Separator", "Z"},
                                        {"Space_Separator", "Zs"},
                                        {"Line_Separator", "Zl"},
                                        {"Paragraph_Separator", "Zp"},
                                        {"Other", "C"},
                                        {"Control", "Cc"},
                                        {"cntrl", "Cc"},
                                        {"Format", "Cf"},
                                        {"Surrogate", "Cs"},
                                        {"Private_Use", "Co"},
                                        {"Unassigned", "Cn"}};
    char *eq = strchr(name, '=');
    if (eq) name = eq + 1; /* General_Category=L, gc=L, Script=Greek, sc=Greek */
    for (size_t i = 0; i < sizeof gc / sizeof gc[0]; i++)
        if (!strcmp(name, gc[i][0])) return gc[i][1];
    return name;
}

pcre2_code *sl__js_regex_compile(const char *pat, size_t len, char *msg, size_t msgsz)
{
    struct sl_buf b = SL_BUF_INIT;
    int in_class = 0, ec;
    PCRE2_SIZE eo;
    pcre2_code *re;

    for (size_t i = 0; i < len; i++) {
        char c = pat[i];
        if (c == '\\' && i + 1 < len) {
            char n = pat[i + 1];
            if (n == 's' && !in_class)
                sl_buf_adds(&b, "[\\s" ECMA_SPACES "]");
            else if (n == 'S' && !in_class)
                sl_buf_adds(&b, "[^\\s" ECMA_SPACES "]");
            else if (n == 's')
                sl_buf_adds(&b, "\\s" ECMA_SPACES);
            else if ((n == 'p' || n == 'P') && i + 2 < len && pat[i + 2] == '{') {
                const char *close = memchr(pat + i + 3, '}', len - i - 3);
                if (!close) {
                    sl_buf_addc(&b, c), sl_buf_addc(&b, n);
                    i++;
                    continue;
                }
                size_t nl = (size_t)(close - (pat + i + 3));
                char name[64] = "";
                if (nl < sizeof name) memcpy(name, pat + i + 3, nl), name[nl] = 0;
                sl_buf_addf(&b, "\\%c{%s}", n, unicode_property(name));
                i = (size_t)(close - pat);
                continue;
            } else
                sl_buf_addc(&b, c), sl_buf_addc(&b, n);
            i++;
            continue;
        }
        if (c == '[' && !in_class && i + 1 < len && pat[i + 1] == ']') { /* ECMA: matches nothing */
            sl_buf_adds(&b, "(?!)");
            i++;
            continue;
        }
        if (c == '[' && !in_class && i + 2 < len && pat[i + 1] == '^' && pat[i + 2] == ']') {
            sl_buf_adds(&b, "[\\s\\S]"); /* ECMA: any character */
            i += 2;
            continue;
        }
        if (c == '[' && !in_class) {
            in_class = 1;
            sl_buf_addc(&b, c);
            if (i + 1 < len && pat[i + 1] == '^') sl_buf_addc(&b, '^'), i++;
            if (i + 1 < len && pat[i + 1] == ']') sl_buf_adds(&b, "\\]"), i++;
            continue;
        }
        if (c == ']' && in_class) in_class = 0;
        sl_buf_addc(&b, c);
    }
    re =
        pcre2_compile((PCRE2_SPTR)sl_buf_str(&b), b.len,
                      PCRE2_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_ALT_BSUX | PCRE2_MATCH_UNSET_BACKREF,
                      &ec, &eo, NULL);
    if (!re && msg) pcre2_get_error_message(ec, (PCRE2_UCHAR *)msg, msgsz);
    sl_buf_free(&b);
    return re;
}

int sl__js_regex_valid(const char *pat, size_t len)
{
    pcre2_code *re = sl__js_regex_compile(pat, len, NULL, 0);
    if (!re) return 0;
    pcre2_code_free(re);
    return 1;
}
