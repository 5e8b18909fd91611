/*
 * .env files and ${VAR} interpolation. Values are credentials: they never appear in a log line
 * or an error message; only file, line and variable names do.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/config.h"

#define DOTENV_MAX_BYTES (1u << 20)

static int is_name_start(int c)
{
    return isalpha(c) || c == '_';
}

static int is_name_char(int c)
{
    return isalnum(c) || c == '_';
}

static int read_small_file(const char *path, struct sl_buf *out, int *missing, struct sl_error *err)
{
    char chunk[8192];
    size_t got;
    FILE *f = fopen(path, "rb");
    int rc = 0;

    *missing = 0;
    if (!f) {
        if (errno == ENOENT) {
            *missing = 1;
            return 0;
        }
        return sl_error_set(err, SL_ECONFIG, "%s: %s", path, strerror(errno));
    }
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (out->len + got > DOTENV_MAX_BYTES) {
            rc = sl_error_set(err, SL_ECONFIG, "%s: file is larger than 1 MiB", path);
            goto out;
        }
        sl_buf_add(out, chunk, got);
    }
    if (ferror(f)) rc = sl_error_set(err, SL_ECONFIG, "%s: %s", path, strerror(errno));
out:
    fclose(f);
    return rc;
}

/* After a value: only blanks and an optional comment may follow on the line. */
static int rest_is_comment(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) p++;
    return p == end || *p == '#';
}

int sl_dotenv_load(const char *path, struct sl_error *err)
{
    struct sl_buf text = SL_BUF_INIT, val = SL_BUF_INIT;
    char *key = NULL;
    int rc, missing, line = 0;
    const char *p, *end;

    rc = read_small_file(path, &text, &missing, err);
    if (rc < 0 || missing) goto out;
    p = sl_buf_str(&text);
    end = p + text.len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *q, *k, *after_eq;
        int start_line = ++line;

        if (!eol) eol = end;
        q = p;
        while (q < eol && (*q == ' ' || *q == '\t')) q++;
        if (q == eol || *q == '#' || (*q == '\r' && q + 1 == eol)) {
            p = eol + 1;
            continue;
        }
        if (eol - q > 7 && !memcmp(q, "export", 6) && (q[6] == ' ' || q[6] == '\t')) {
            q += 7;
            while (q < eol && (*q == ' ' || *q == '\t')) q++;
        }
        k = q;
        if (q == eol || !is_name_start((unsigned char)*q)) goto bad;
        while (q < eol && is_name_char((unsigned char)*q)) q++;
        free(key);
        key = sl_xstrndup(k, (size_t)(q - k));
        while (q < eol && (*q == ' ' || *q == '\t')) q++;
        if (q == eol || *q != '=') goto bad;
        after_eq = ++q;
        while (q < eol && (*q == ' ' || *q == '\t')) q++;
        sl_buf_reset(&val);
        if (q < eol && *q == '\'') {
            const char *close = memchr(q + 1, '\'', (size_t)(eol - q - 1));
            if (!close || !rest_is_comment(close + 1, eol)) goto bad;
            sl_buf_add(&val, q + 1, (size_t)(close - q - 1));
        } else if (q < eol && *q == '"') {
            /* Double quotes may span lines (a PEM key, say). */
            for (q++;; q++) {
                if (q == end) goto bad;
                if (*q == '"') break;
                if (*q == '\n') line++;
                if (*q == '\\' && q + 1 < end) {
                    q++;
                    switch (*q) {
                    case 'n': sl_buf_addc(&val, '\n'); break;
                    case 't': sl_buf_addc(&val, '\t'); break;
                    case 'r': sl_buf_addc(&val, '\r'); break;
                    case '"': sl_buf_addc(&val, '"'); break;
                    case '\\': sl_buf_addc(&val, '\\'); break;
                    case '$': sl_buf_addc(&val, '$'); break;
                    default:
                        sl_buf_addc(&val, '\\');
                        sl_buf_addc(&val, *q);
                        if (*q == '\n') line++;
                    }
                    continue;
                }
                sl_buf_addc(&val, *q);
            }
            eol = memchr(q, '\n', (size_t)(end - q));
            if (!eol) eol = end;
            if (!rest_is_comment(q + 1, eol)) goto bad;
        } else {
            const char *v = q, *e = q;
            /* An unquoted value ends at " #" (a comment) or the end of the line. */
            while (e < eol && !(*e == '#' && e > after_eq && (e[-1] == ' ' || e[-1] == '\t'))) e++;
            while (e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) e--;
            sl_buf_add(&val, v, (size_t)(e - v));
        }
        if (memchr(sl_buf_str(&val), 0, val.len)) goto bad;
        if (setenv(key, sl_buf_str(&val), 0) != 0) {
            rc = sl_error_set(err, SL_ECONFIG, "%s:%d: cannot set %s: %s", path, start_line, key,
                              strerror(errno));
            goto out;
        }
        p = eol + 1;
        continue;
    bad:
        rc = sl_error_set(err, SL_ECONFIG, "%s:%d: expected KEY=VALUE", path, start_line);
        goto out;
    }
out:
    free(key);
    /* The text held secrets: do not leave them in freed memory. */
    if (text.p) memset(text.p, 0, text.len);
    if (val.p) memset(val.p, 0, val.len);
    sl_buf_free(&text);
    sl_buf_free(&val);
    return rc;
}

/* Where the '}' closing the "${" at p[-2] is, counting nested "${"; NULL when none. */
static const char *closing_brace(const char *p)
{
    int depth = 1;
    for (; *p; p++) {
        if (*p == '$' && p[1] == '{') {
            depth++;
            p++;
        } else if (*p == '}' && --depth == 0) {
            return p;
        }
    }
    return NULL;
}

static int interpolate(const char *s, size_t n, struct sl_buf *out, int depth, struct sl_error *err)
{
    const char *p = s, *end = s + n;

    if (depth > 16) return sl_error_set(err, SL_ECONFIG, "${...} nested too deeply");
    while (p < end) {
        const char *dollar = memchr(p, '$', (size_t)(end - p));
        if (!dollar) {
            sl_buf_add(out, p, (size_t)(end - p));
            break;
        }
        sl_buf_add(out, p, (size_t)(dollar - p));
        if (dollar + 1 < end && dollar[1] == '$') {
            sl_buf_addc(out, '$');
            p = dollar + 2;
            continue;
        }
        if (dollar + 1 >= end || dollar[1] != '{') {
            sl_buf_addc(out, '$'); /* a lone $ is just a dollar sign */
            p = dollar + 1;
            continue;
        }
        const char *name = dollar + 2, *q = name, *close = closing_brace(name);
        if (!close || close > end) return sl_error_set(err, SL_ECONFIG, "unterminated ${");
        if (q < close && is_name_start((unsigned char)*q))
            while (q < close && is_name_char((unsigned char)*q)) q++;
        if (q == name || (q != close && !(close - q >= 2 && q[0] == ':' && q[1] == '-')))
            return sl_error_set(err, SL_ECONFIG,
                                "bad variable reference '${%.*s}' (expected ${NAME} or "
                                "${NAME:-default})",
                                (int)(close - name > 100 ? 100 : close - name), name);
        char *var = sl_xstrndup(name, (size_t)(q - name));
        const char *value = getenv(var);
        int rc = 0;
        if (q != close && (!value || !*value)) {
            rc = interpolate(q + 2, (size_t)(close - q - 2), out, depth + 1, err);
        } else if (!value) {
            rc = sl_error_set(err, SL_ECONFIG, "environment variable %s is not set", var);
        } else {
            sl_buf_adds(out, value);
        }
        free(var);
        if (rc < 0) return rc;
        p = close + 1;
    }
    return 0;
}

int sl_interpolate(const char *s, char **out, struct sl_error *err)
{
    struct sl_buf b = SL_BUF_INIT;
    int rc;

    *out = NULL;
    rc = interpolate(s, strlen(s), &b, 0, err);
    if (rc < 0) {
        sl_buf_free(&b);
        return rc;
    }
    *out = b.p ? sl_buf_detach(&b) : sl_xstrdup("");
    return 0;
}
