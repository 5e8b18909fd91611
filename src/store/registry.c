/*
 * The registry of stores: a URL's scheme picks the store. A new store is one file in
 * src/store/ and one line in the table below. Also the rules that make source names safe as
 * table names.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sluice/store.h"
#include "migrations.h"

static const struct {
    const char *scheme;
    const struct sl_store *store; /* NULL: known but not built yet */
    const char *missing;          /* why, when store is NULL */
} stores[] = {
    {"sqlite", &sl_store_sqlite, NULL},
    {"postgresql", &sl_store_postgres, NULL},
    {"postgres", &sl_store_postgres, NULL},
};

/* Length of "scheme" in "scheme:rest", or 0 when url has no scheme (a plain path). */
static size_t scheme_len(const char *url)
{
    size_t n = 0;

    if (!isalpha((unsigned char)url[0])) return 0;
    while (isalnum((unsigned char)url[n]) || url[n] == '+' || url[n] == '-' || url[n] == '.') n++;
    /* "C:" and other one-letter prefixes are paths, not schemes */
    return url[n] == ':' && n > 1 ? n : 0;
}

static int open_url(const char *url, struct sl_db **out, struct sl_error *err);

int sl_store_open(const char *url, struct sl_db **out, struct sl_error *err)
{
    int rc = open_url(url, out, err);
    /* the names inference gives columns follow what this store can take (sl_name_rules) */
    if (rc == 0) sl_names_set_rules((*out)->store->name_rules);
    return rc;
}

static int open_url(const char *url, struct sl_db **out, struct sl_error *err)
{
    size_t n;

    *out = NULL;
    if (!url || !*url) return sl_error_set(err, SL_EINVAL, "no store URL given");
    sl_redact_register_url(url); /* its password is masked in every message from now on */
    n = scheme_len(url);
    if (n == 0) return sl_store_sqlite.open(url, out, err); /* a plain path: SQLite */
    for (size_t i = 0; i < sizeof stores / sizeof stores[0]; i++) {
        if (strlen(stores[i].scheme) != n || strncasecmp(url, stores[i].scheme, n)) continue;
        if (!stores[i].store) return sl_error_set(err, SL_ECONFIG, "%s", stores[i].missing);
        return stores[i].store->open(url, out, err);
    }
    /* "a:b.db" is a legal file name; "x://..." is certainly a URL */
    if (!strncmp(url + n, "://", 3))
        return sl_error_set(err, SL_ECONFIG,
                            "%s: unknown store (known: sqlite:PATH, postgresql://...)", url);
    return sl_store_sqlite.open(url, out, err);
}

const char *sl_store_sqlite_path(const char *url)
{
    size_t n = url ? scheme_len(url) : 0;

    if (!url || !*url) return NULL;
    if (n == 6 && !strncasecmp(url, "sqlite", 6)) {
        url += 7;
        if (url[0] == '/' && url[1] == '/') url += 2; /* sqlite:///abs/path */
        return url;
    }
    if (n == 0) return url;
    for (size_t i = 0; i < sizeof stores / sizeof stores[0]; i++)
        if (strlen(stores[i].scheme) == n && !strncasecmp(url, stores[i].scheme, n)) return NULL;
    return strncmp(url + n, "://", 3) ? url : NULL;
}

int sl_store_open_flags(const char *url, int flags, struct sl_db **out, struct sl_error *err)
{
    int rc;
    sl__open_flags = flags;
    rc = sl_store_open(url, out, err);
    sl__open_flags = 0;
    return rc;
}

void sl_store_close(struct sl_db *db)
{
    if (db) db->store->close(db);
}

/* Prefixes of sluice's own tables (and SQLite's, which it refuses to create). */
static const char *const reserved[] = {"sluice_", "bronze_", "sqlite_"};

static int reserved_prefix(const char *name)
{
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (!strncasecmp(name, reserved[i], strlen(reserved[i]))) return 1;
    return 0;
}

static int name_char(int c)
{
    return isalnum(c) || c == '_';
}

int sl_source_name_check(const char *name, struct sl_error *err)
{
    size_t n = name ? strlen(name) : 0;
    int ok = n >= 1 && n <= 63 && !reserved_prefix(name);

    for (size_t i = 0; ok && i < n; i++) ok = name_char((unsigned char)name[i]) && name[i] < 0x7f;
    if (!ok)
        return sl_error_set(err, SL_EINVAL,
                            "invalid source name \"%.80s\": a source name is 1 to 63 letters, "
                            "digits or _, and does not start with sluice_, bronze_ or sqlite_",
                            name ? name : "");
    return 0;
}

int sl_source_case_error(const char *name, const char *existing, struct sl_error *err)
{
    return sl_error_set(err, SL_EINVAL,
                        "source '%s': the store has a source '%s' already; source names may not "
                        "differ only by case (SQLite's table names ignore it): load into it with "
                        "--source %s, or choose another name",
                        name, existing, existing);
}

int sl_source_case_conflict(struct sl_db *db, const char *name, struct sl_error *err)
{
    char **names = NULL;
    size_t n = 0;
    int rc;

    if ((rc = db->store->list_sources(db, &names, &n, err))) return rc;
    for (size_t i = 0; i < n && !rc; i++)
        if (strcmp(names[i], name) && !strcasecmp(names[i], name))
            rc = sl_source_case_error(name, names[i], err);
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}

/* Strips a trailing ".ext" (case-insensitive) when the rest is not empty. */
static int strip_ext(const char *s, size_t *n, const char *ext)
{
    size_t e = strlen(ext);
    if (*n > e + 1 && s[*n - e - 1] == '.' && !strncasecmp(s + *n - e, ext, e)) {
        *n -= e + 1;
        return 1;
    }
    return 0;
}

char *sl_source_name_from_path(const char *path)
{
    const char *base = strrchr(path, '/');
    size_t n, len = 0;
    char *out;

    base = base ? base + 1 : path;
    n = strlen(base);
    if (!strip_ext(base, &n, "gz") && !strip_ext(base, &n, "zst")) strip_ext(base, &n, "zstd");
    /* one format extension: the last ".xyz" of up to 8 letters or digits */
    for (size_t i = n; i > 1 && n - i < 9; i--) {
        if (base[i - 1] == '.') {
            if (i < n) n = i - 1;
            break;
        }
        if (!isalnum((unsigned char)base[i - 1])) break;
    }

    out = sl_xmalloc(n + 5 + 1); /* room for a "src_" prefix */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)base[i];
        if (!(name_char(c) && c < 0x7f)) c = '_';
        if (c == '_' && (len == 0 || out[len - 1] == '_')) continue; /* trim and collapse */
        out[len++] = (char)c;
    }
    while (len > 0 && out[len - 1] == '_') len--;
    out[len] = 0;
    if (len == 0) {
        strcpy(out, "data");
        return out;
    }
    if (reserved_prefix(out)) {
        memmove(out + 4, out, len + 1);
        memcpy(out, "src_", 4);
        len += 4;
    }
    if (len > 63) {
        len = 63;
        while (out[len - 1] == '_') len--;
        out[len] = 0;
    }
    return out;
}

void sl_source_state_free(struct sl_source_state *s)
{
    if (!s) return;
    sl_schema_free(s->schema);
    free(s->timestamp);
    memset(s, 0, sizeof *s);
}

void sl_load_info_clear(struct sl_load_info *l)
{
    free(l->status);
    free(l->input);
    free(l->sha256);
    free(l->content_sha256);
    free(l->format);
    free(l->started);
    free(l->finished);
    free(l->message);
    free(l->quality_json);
    free(l->columns_json);
    free(l->schema_json);
    free(l->sluice_version);
    free(l->transforms_json);
    free(l->mode);
    memset(l, 0, sizeof *l);
}

void sl_load_infos_free(struct sl_load_info *v, size_t n)
{
    if (!v) return;
    for (size_t i = 0; i < n; i++) sl_load_info_clear(&v[i]);
    free(v);
}

void sl_version_events_free(struct sl_version_event *v, size_t n)
{
    if (!v) return;
    for (size_t i = 0; i < n; i++) {
        free(v[i].source);
        free(v[i].action);
        free(v[i].command);
        free(v[i].who);
        free(v[i].at);
        free(v[i].reason);
    }
    free(v);
}
