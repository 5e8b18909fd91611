/* Input labels → column names that work in SQL, with every change reported. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sluice/schema.h"

/* Columns sluice adds to every silver table. */
static const char *const reserved[] = {"_load", "_row", NULL};

static const struct sl_name_rules *rules;

void sl_names_set_rules(const struct sl_name_rules *r)
{
    rules = r;
}

/* How many bytes of name the store tells apart: all, or max_bytes cut at a character. */
static size_t key_len(const char *name)
{
    size_t n = strlen(name);
    if (!rules || !rules->max_bytes || n <= rules->max_bytes) return n;
    n = rules->max_bytes;
    while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80) n--; /* not inside a character */
    return n;
}

static int same_key(const char *a, const char *b)
{
    size_t na = key_len(a), nb = key_len(b);
    return na == nb && !strncasecmp(a, b, na);
}

static int store_reserved(const char *name)
{
    if (!rules || !rules->reserved) return 0;
    for (size_t i = 0; rules->reserved[i]; i++)
        if (!strcasecmp(rules->reserved[i], name)) return 1;
    return 0;
}

/* The names given so far, hashed case-insensitively (as SQL compares them): a header of
 * 100 000 columns must not take n² comparisons. */
struct nameset {
    uint32_t *slots; /* index+1 into names, 0 = empty */
    size_t mask;
};

static size_t name_hash(const char *s)
{
    size_t h = 1469598103934665603u, n = key_len(s);
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)tolower((unsigned char)s[i])) * 1099511628211u;
    return h;
}

static int taken(const struct nameset *set, char **names, const char *name)
{
    for (size_t i = name_hash(name) & set->mask; set->slots[i]; i = (i + 1) & set->mask)
        if (same_key(names[set->slots[i] - 1], name)) return 1;
    for (int i = 0; reserved[i]; i++)
        if (!strcasecmp(reserved[i], name)) return 1;
    return store_reserved(name);
}

static void nameset_add(struct nameset *set, char **names, size_t idx)
{
    size_t i = name_hash(names[idx]) & set->mask;
    while (set->slots[i]) i = (i + 1) & set->mask;
    set->slots[i] = (uint32_t)idx + 1;
}

/* The next suffix to try for each name that repeats, hashed as nameset: the k-th repeat of a
 * name starts where the one before it stopped (name_k), so 100 000 equal names cost 100 000
 * probes, not n²/2. Each name owns its base string. */
struct suffixes {
    char **base;
    int *next;
    size_t n;
    uint32_t *slots; /* index+1 into base, 0 = empty */
    size_t mask;
};

static int *suffix_next(struct suffixes *x, const char *name)
{
    size_t i = name_hash(name) & x->mask;
    for (; x->slots[i]; i = (i + 1) & x->mask)
        if (same_key(x->base[x->slots[i] - 1], name)) return &x->next[x->slots[i] - 1];
    /* at most one entry per input name: the table was sized for them all */
    x->base[x->n] = sl_xstrdup(name);
    x->next[x->n] = 2;
    x->slots[i] = (uint32_t)++x->n;
    return &x->next[x->n - 1];
}

/* Trims, turns runs of control characters (C0, DEL, C1; NUL included: a label is n bytes, not
 * a C string) into one space, and invalid UTF-8 into U+FFFD: a column name is text whatever
 * bytes the header held. */
static char *clean(const char *label, size_t n)
{
    char *s = sl_xmalloc(3 * n + 1), *o = s;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)label[i];
        if (c < 0x20 || c == 0x7f ||
            (c == 0xc2 && i + 1 < n && (unsigned char)label[i + 1] >= 0x80 &&
             (unsigned char)label[i + 1] < 0xa0)) {
            /* C0 and DEL; C1 (U+0080..U+009F, the 8-bit CSI among them) as well */
            if (o > s && o[-1] != ' ') *o++ = ' ';
            i += c == 0xc2 ? 2 : 1;
            continue;
        }
        if (c < 0x80) {
            *o++ = (char)c;
            i++;
            continue;
        }
        size_t ok = sl_utf8_valid_prefix(label + i, n - i), k = 1;
        if (ok == 0) {
            memcpy(o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
            continue;
        }
        while (k < ok && ((unsigned char)label[i + k] & 0xc0) == 0x80) k++;
        memcpy(o, label + i, k);
        o += k;
        i += k;
    }
    *o = 0;
    char *start = s;
    while (*start == ' ') start++;
    while (o > start && o[-1] == ' ') *--o = 0;
    if (start != s) memmove(s, start, strlen(start) + 1);
    return s;
}

/* name_k, with name cut (at a character) so that the whole fits the store's max_bytes. */
static char *suffixed(const char *name, int k)
{
    char sfx[16];
    size_t n = strlen(name), s = (size_t)snprintf(sfx, sizeof sfx, "_%d", k);
    if (rules && rules->max_bytes && n + s > rules->max_bytes) {
        n = rules->max_bytes > s ? rules->max_bytes - s : 0;
        while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80) n--;
    }
    return sl_xasprintf("%.*s%s", (int)n, name, sfx);
}

int sl_names_check_rules(const struct sl_schema *s, struct sl_error *err)
{
    struct sl_buf a = SL_BUF_INIT, b = SL_BUF_INIT;
    int rc = 0;

    if (!rules) return 0;
    for (size_t i = 0; i < s->nfields && !rc; i++) {
        const char *name = s->fields[i].name;
        sl_buf_reset(&a);
        sl_buf_add_printable(&a, name, strlen(name));
        if (store_reserved(name)) {
            rc = sl_error_set(err, SL_ECONFIG,
                              "field '%s': %s reserves this name (a system column); rename the "
                              "field in the schema",
                              sl_buf_str(&a), rules->store);
            break;
        }
        if (!rules->max_bytes || strlen(name) <= rules->max_bytes) continue;
        for (size_t j = 0; j < i && !rc; j++)
            if (same_key(s->fields[j].name, name)) {
                sl_buf_reset(&b);
                sl_buf_add_printable(&b, s->fields[j].name, strlen(s->fields[j].name));
                rc = sl_error_set(err, SL_ECONFIG,
                                  "fields '%s' and '%s': %s tells names apart by their first "
                                  "%zu bytes only; rename one in the schema",
                                  sl_buf_str(&b), sl_buf_str(&a), rules->store, rules->max_bytes);
            }
    }
    sl_buf_free(&a);
    sl_buf_free(&b);
    return rc;
}

char **sl_names_normalize(const char *const *labels, const uint32_t *lens, size_t n,
                          struct sl_renames *r)
{
    char **names = sl_xcalloc(n ? n : 1, sizeof *names);
    struct nameset set;
    struct suffixes sfx;
    size_t nslots = 16;

    while (nslots < 2 * n) nslots *= 2;
    set.slots = sl_xcalloc(nslots, sizeof *set.slots);
    set.mask = nslots - 1;
    sfx.base = sl_xcalloc(n ? n : 1, sizeof *sfx.base);
    sfx.next = sl_xcalloc(n ? n : 1, sizeof *sfx.next);
    sfx.n = 0;
    sfx.slots = sl_xcalloc(nslots, sizeof *sfx.slots);
    sfx.mask = nslots - 1;
    for (size_t i = 0; i < n; i++) {
        size_t len = lens ? lens[i] : strlen(labels[i]);
        char *name = clean(labels[i], len);
        if (!*name) {
            free(name);
            name = sl_xasprintf("field_%zu", i + 1);
        }
        if (taken(&set, names, name)) {
            int *k = suffix_next(&sfx, name);
            for (;; (*k)++) {
                char *alt = suffixed(name, *k);
                if (!taken(&set, names, alt)) {
                    free(name);
                    name = alt;
                    (*k)++;
                    break;
                }
                free(alt);
            }
        }
        names[i] = name;
        nameset_add(&set, names, i);
        if (r && (strlen(name) != len || memcmp(name, labels[i], len))) {
            /* capacity: n rounded up to a power of two (100 000 renames, not n² bytes moved) */
            if ((r->n & (r->n - 1)) == 0)
                r->v = sl_xrealloc(r->v, (r->n ? 2 * r->n : 1) * sizeof *r->v);
            r->v[r->n].col = i;
            r->v[r->n].from = sl_xmalloc(len + 1);
            memcpy(r->v[r->n].from, labels[i], len);
            r->v[r->n].from[len] = 0;
            r->v[r->n].from_len = len;
            r->v[r->n].to = sl_xstrdup(name);
            r->n++;
        }
    }
    free(set.slots);
    for (size_t i = 0; i < sfx.n; i++) free(sfx.base[i]);
    free(sfx.base);
    free(sfx.next);
    free(sfx.slots);
    return names;
}

void sl_names_free(char **names, size_t n)
{
    if (!names) return;
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
}

void sl_renames_free(struct sl_renames *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].from);
        free(r->v[i].to);
    }
    free(r->v);
    r->v = NULL;
    r->n = 0;
}
