/*
 * Input discovery: turns the paths and globs of a source into the list of files to load.
 * Order is stable (byte order of the names) so two runs over the same files load them in the
 * same order, whatever the locale.
 */
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sluice/stream.h"

struct list {
    char **v;
    size_t n, cap;
};

static void list_add(struct list *l, char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = sl_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = s;
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    if (n && dir[n - 1] == '/') return sl_xasprintf("%s%s", dir, name);
    return sl_xasprintf("%s/%s", dir, name);
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* 1 when path is a symbolic link whose target is not inside the directory holding the link
 * (or has no target): a directory or a glob names the files in a directory, not the files its
 * links point to (/etc/passwd). */
static int link_escapes(const char *path)
{
    struct stat st;
    if (lstat(path, &st) || !S_ISLNK(st.st_mode)) return 0;
    const char *slash = strrchr(path, '/');
    char *dir =
        slash ? sl_xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : sl_xstrdup(".");
    char *rdir = realpath(dir, NULL), *rtarget = realpath(path, NULL);
    size_t n = rdir ? strlen(rdir) : 0;
    int out = !rdir || !rtarget ||
              !(n == 1 ? rtarget[0] == '/' : !strncmp(rtarget, rdir, n) && rtarget[n] == '/');
    free(rtarget);
    free(rdir);
    free(dir);
    return out;
}

/* The regular files directly in dir (symlinks followed when they stay in dir, else listed in
 * skipped; dotfiles skipped), sorted. */
static int list_dir(const char *dir, struct list *out, struct list *skipped, struct sl_error *err)
{
    struct list l = {0};
    DIR *d = opendir(dir);
    struct dirent *e;

    if (!d)
        return sl_error_set(err, SL_EIO, "%s: cannot list the directory: %s", dir, strerror(errno));
    while ((e = readdir(d))) {
        struct stat st;
        if (e->d_name[0] == '.') continue;
        char *p = join(dir, e->d_name);
        if (link_escapes(p))
            list_add(skipped, p);
        else if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
            list_add(&l, p);
        else
            free(p);
    }
    closedir(d);
    if (l.n) qsort(l.v, l.n, sizeof *l.v, by_str);
    for (size_t i = 0; i < l.n; i++) list_add(out, l.v[i]);
    free(l.v);
    return 0;
}

/* 1 when path's real location is not inside the directory whose real path is rbase. */
static int outside(const char *path, const char *rbase)
{
    char *real = realpath(path, NULL);
    size_t n = strlen(rbase);
    int out = !real || !(n == 1 ? real[0] == '/' : !strncmp(real, rbase, n) && real[n] == '/');
    free(real);
    return out;
}

/* The real path of the directory a pattern with a wildcard in a directory component
 * ("drop/x/x.csv") starts from: its components before the first wildcard ("drop"), or "."; NULL
 * when the wildcards are in the last component only (link_escapes covers those). */
static char *glob_base(const char *pattern)
{
    size_t w = strcspn(pattern, "*?["), last = 0;
    const char *slash = strrchr(pattern, '/');
    if (!slash || (size_t)(slash - pattern) < w) return NULL;
    for (size_t i = 0; i < w; i++)
        if (pattern[i] == '/') last = i + 1;
    char *dir = last ? sl_xstrndup(pattern, last == 1 ? 1 : last - 1) : sl_xstrdup(".");
    char *real = realpath(dir, NULL);
    free(dir);
    return real ? real : sl_xstrdup("/nonexistent/");
}

static int expand_glob(const char *pattern, struct list *out, struct list *skipped,
                       struct sl_error *err)
{
    glob_t g;
    int r = glob(pattern, 0, NULL, &g);

    if (r == GLOB_NOMATCH) return 0; /* the caller warns: an empty drop folder is normal */
    if (r != 0) {
        if (r != GLOB_NOSPACE) globfree(&g);
        return sl_error_set(err, SL_EIO, "%s: cannot expand the pattern%s", pattern,
                            r == GLOB_ABORTED ? " (a directory cannot be read)" : "");
    }
    struct list l = {0};
    /* a wildcard directory may be a link too: what it matches stays in the pattern's folder */
    char *base = glob_base(pattern);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        if (link_escapes(g.gl_pathv[i]) || (base && outside(g.gl_pathv[i], base)))
            list_add(skipped, sl_xstrdup(g.gl_pathv[i]));
        else if (!is_dir(g.gl_pathv[i]))
            list_add(&l, sl_xstrdup(g.gl_pathv[i]));
    }
    globfree(&g);
    free(base);
    /* glob(3) sorts with strcoll; byte order does not depend on the locale */
    if (l.n) qsort(l.v, l.n, sizeof *l.v, by_str);
    for (size_t i = 0; i < l.n; i++) list_add(out, l.v[i]);
    free(l.v);
    return 0;
}

/* Drops later repeats of a path (two patterns naming the same file), keeping the order. */
static void dedupe(struct list *l)
{
    if (l->n < 2) return;
    char **sorted = sl_xmalloc(l->n * sizeof *sorted);
    memcpy(sorted, l->v, l->n * sizeof *sorted);
    qsort(sorted, l->n, sizeof *sorted, by_str);
    /* seen[j]: the string whose first copy is sorted[j] was already kept */
    unsigned char *seen = sl_xcalloc(l->n, 1), *drop = sl_xcalloc(l->n, 1);
    for (size_t i = 0; i < l->n; i++) {
        char *key = l->v[i];
        char **hit = bsearch(&key, sorted, l->n, sizeof *sorted, by_str);
        while (hit > sorted && !strcmp(hit[-1], key)) hit--;
        size_t j = (size_t)(hit - sorted);
        drop[i] = seen[j];
        seen[j] = 1;
    }
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (drop[i])
            free(l->v[i]);
        else
            l->v[k++] = l->v[i];
    }
    l->n = k;
    free(drop);
    free(seen);
    free(sorted);
}

int sl_paths_expand(const char *const *patterns, size_t npatterns, const char *base_dir,
                    struct sl_paths *out, struct sl_error *err)
{
    struct list l = {0}, skipped = {0};
    int rc = 0;

    out->v = out->skipped = NULL;
    out->n = out->nskipped = 0;
    for (size_t i = 0; i < npatterns; i++) {
        const char *p = patterns[i];
        if (!strcmp(p, "-")) {
            list_add(&l, sl_xstrdup(p));
            continue;
        }
        /* "." adds nothing but noise to the paths people read in the output */
        int rel = p[0] != '/' && base_dir && *base_dir && strcmp(base_dir, ".");
        char *full = rel ? join(base_dir, p) : sl_xstrdup(p);
        if (strpbrk(p, "*?[")) {
            rc = expand_glob(full, &l, &skipped, err);
            free(full);
        } else if (is_dir(full)) {
            rc = list_dir(full, &l, &skipped, err);
            free(full);
        } else {
            list_add(&l, full); /* missing files pass: the load reports them */
        }
        if (rc < 0) goto out;
    }
    dedupe(&l);
out:
    if (rc < 0) {
        for (size_t i = 0; i < l.n; i++) free(l.v[i]);
        free(l.v);
        for (size_t i = 0; i < skipped.n; i++) free(skipped.v[i]);
        free(skipped.v);
        return rc;
    }
    out->v = l.v;
    out->n = l.n;
    if (skipped.n) qsort(skipped.v, skipped.n, sizeof *skipped.v, by_str);
    out->skipped = skipped.v;
    out->nskipped = skipped.n;
    return 0;
}

void sl_paths_free(struct sl_paths *p)
{
    for (size_t i = 0; i < p->n; i++) free(p->v[i]);
    free(p->v);
    for (size_t i = 0; i < p->nskipped; i++) free(p->skipped[i]);
    free(p->skipped);
    p->v = p->skipped = NULL;
    p->n = p->nskipped = 0;
}
