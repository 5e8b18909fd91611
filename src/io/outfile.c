/*
 * Output files named by the user: refused when they are a file the run reads or keeps, or a
 * symbolic link; written under a temporary name and renamed at the end (sluice/outfile.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sluice/outfile.h"

struct guard {
    char *name; /* canonical name (see canonical()), or NULL */
    dev_t dev;
    ino_t ino;
    int has_id;
    const char *what;
};

static struct guard *guards;
static size_t nguards, capguards;

/* The directory's real path, then the last component as given: the same file named two ways
 * (./x, a/../x, through a linked directory) gets one name, without following a link at the end.
 * NULL when the directory does not exist. */
static char *canonical(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir =
        slash ? sl_xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : sl_xstrdup(".");
    const char *base = slash ? slash + 1 : path;
    char *real = realpath(dir, NULL), *out = NULL;

    free(dir);
    if (!real) return NULL;
    if (*base && strcmp(base, ".") && strcmp(base, ".."))
        out = sl_xasprintf("%s%s%s", real, strcmp(real, "/") ? "/" : "", base);
    free(real);
    return out;
}

static void add_guard(char *name, const struct stat *st, const char *what)
{
    if (nguards == capguards) {
        capguards = capguards ? capguards * 2 : 16;
        guards = sl_xrealloc(guards, capguards * sizeof *guards);
    }
    struct guard *g = &guards[nguards++];
    memset(g, 0, sizeof *g);
    g->name = name;
    g->what = what;
    if (st) {
        g->dev = st->st_dev;
        g->ino = st->st_ino;
        g->has_id = 1;
    }
}

void sl_outguard_protect(const char *path, const char *what)
{
    struct stat st;
    if (!path || !strcmp(path, "-")) return;
    /* an input given as a link is read through it: its target is what must not be written */
    add_guard(canonical(path), stat(path, &st) == 0 ? &st : NULL, what);
}

void sl_outguard_protect_fd(int fd, const char *what)
{
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) add_guard(NULL, &st, what);
}

void sl_outguard_protect_store(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-journal", "-shm"};
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        char *p = sl_xasprintf("%s%s", path, suffixes[i]);
        sl_outguard_protect(p, i ? "a file of the store" : "the store");
        free(p);
    }
}

void sl_outguard_reset(void)
{
    for (size_t i = 0; i < nguards; i++) free(guards[i].name);
    free(guards);
    guards = NULL;
    nguards = capguards = 0;
}

static const struct guard *guarded(const char *name, const struct stat *st)
{
    for (size_t i = 0; i < nguards; i++) {
        const struct guard *g = &guards[i];
        if (name && g->name && !strcmp(name, g->name)) return g;
        if (st && g->has_id && g->dev == st->st_dev && g->ino == st->st_ino) return g;
    }
    return NULL;
}

/* Checks path; *st_out gets lstat's answer (st_mode 0 when there is no file). */
static int check(const char *path, const char *what, struct stat *st_out, struct sl_error *err)
{
    struct stat st;
    char *name;
    const struct guard *g;

    memset(st_out, 0, sizeof *st_out);
    if (!*path) return sl_error_set(err, SL_EINVAL, "%s: an empty file name", what);
    if (lstat(path, &st) == 0) {
        if (S_ISLNK(st.st_mode))
            return sl_error_set(err, SL_EINVAL,
                                "%s %s: is a symbolic link; sluice does not write through one "
                                "(name the file itself)",
                                what, path);
        if (S_ISDIR(st.st_mode))
            return sl_error_set(err, SL_EINVAL, "%s %s: is a directory", what, path);
        *st_out = st;
    } else if (errno != ENOENT) {
        return sl_error_set(err, SL_EIO, "%s %s: %s", what, path, strerror(errno));
    }
    name = canonical(path);
    g = guarded(name, st_out->st_mode ? st_out : NULL);
    free(name);
    if (g)
        return sl_error_set(err, SL_EINVAL,
                            "%s %s: is %s; sluice will not overwrite it (choose another file)",
                            what, path, g->what);
    return 0;
}

int sl_outfile_check(const char *path, const char *what, struct sl_error *err)
{
    struct stat st;
    if (!strcmp(path, "-")) return 0;
    return check(path, what, &st, err);
}

struct sl_outfile {
    FILE *f;
    char *path, *tmp; /* tmp NULL: written in place (stdout, a device or a pipe) */
    const char *what;
};

int sl_outfile_open(const char *path, const char *what, struct sl_outfile **out,
                    struct sl_error *err)
{
    static unsigned counter;
    struct sl_outfile *o;
    struct stat st;
    int rc, fd = -1;

    *out = NULL;
    o = sl_xcalloc(1, sizeof *o);
    o->path = sl_xstrdup(path);
    o->what = what;
    if (!strcmp(path, "-")) {
        o->f = stdout;
        *out = o;
        return 0;
    }
    if ((rc = check(path, what, &st, err))) goto fail;
    if (st.st_mode && !S_ISREG(st.st_mode)) {
        /* a device or a pipe (/dev/null, a FIFO): nothing to replace, written as it is */
        if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode)) {
            rc = sl_error_set(err, SL_EINVAL, "%s %s: is not a regular file", what, path);
            goto fail;
        }
        fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
    } else {
        const char *slash = strrchr(path, '/');
        int dirlen = slash ? (int)(slash - path + 1) : 0;
        for (int tries = 0; tries < 100; tries++) {
            uint64_t r = (uint64_t)getpid() * 2654435761u ^ (uint64_t)time(NULL) << 20 ^
                         (uint64_t)clock() << 8 ^ ++counter * 0x9e3779b97f4a7c15u;
            free(o->tmp);
            o->tmp = sl_xasprintf("%.*s.%s.sluice-%06llx", dirlen, path, slash ? slash + 1 : path,
                                  (unsigned long long)(r & 0xffffff));
            fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
            if (fd >= 0 || errno != EEXIST) break;
        }
        if (fd < 0) {
            free(o->tmp);
            o->tmp = NULL;
        } else if (st.st_mode) {
            fchmod(fd, st.st_mode & 07777); /* a file replaced keeps its permissions */
        }
    }
    if (fd < 0) {
        rc = sl_error_set(err, SL_EIO, "%s %s: %s", what, path, strerror(errno));
        goto fail;
    }
    if (!(o->f = fdopen(fd, "w"))) {
        rc = sl_error_set(err, SL_EIO, "%s %s: %s", what, path, strerror(errno));
        close(fd);
        goto fail;
    }
    *out = o;
    return 0;
fail:
    if (o->tmp) unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    free(o);
    return rc;
}

FILE *sl_outfile_stream(struct sl_outfile *o)
{
    return o->f;
}

static void outfile_free(struct sl_outfile *o)
{
    free(o->tmp);
    free(o->path);
    free(o);
}

int sl_outfile_commit(struct sl_outfile *o, struct sl_error *err)
{
    struct stat st;
    int rc = 0, e = 0;

    if (!o) return 0;
    if (o->f == stdout) {
        if (fflush(stdout)) rc = sl_error_set(err, SL_EIO, "%s: writing failed", o->what);
        outfile_free(o);
        return rc;
    }
    if (fflush(o->f) || (o->tmp && fsync(fileno(o->f)))) e = errno ? errno : EIO;
    if (fclose(o->f) && !e) e = errno ? errno : EIO;
    o->f = NULL;
    if (e) {
        rc = sl_error_set(err, SL_EIO, "%s %s: writing failed: %s", o->what, o->path, strerror(e));
    } else if (o->tmp) {
        /* checked again: the path may have become a link or a protected file meanwhile */
        if (!(rc = check(o->path, o->what, &st, err)) && rename(o->tmp, o->path))
            rc = sl_error_set(err, SL_EIO, "%s %s: %s", o->what, o->path, strerror(errno));
    }
    if (rc && o->tmp) unlink(o->tmp);
    outfile_free(o);
    return rc;
}

void sl_outfile_abort(struct sl_outfile *o)
{
    if (!o) return;
    if (o->f && o->f != stdout) fclose(o->f);
    if (o->tmp) unlink(o->tmp);
    outfile_free(o);
}

int sl_outfile_append(const char *path, const char *what, FILE **out, struct sl_error *err)
{
    struct stat st;
    int rc, fd;

    *out = NULL;
    if ((rc = check(path, what, &st, err))) return rc;
    fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0666);
    if (fd < 0) {
        if (errno == ELOOP)
            return sl_error_set(err, SL_EINVAL,
                                "%s %s: is a symbolic link; sluice does not write through one",
                                what, path);
        return sl_error_set(err, SL_EIO, "%s %s: %s", what, path, strerror(errno));
    }
    /* what was opened, checked again (the name could have changed since the check) */
    if (fstat(fd, &st) || !S_ISREG(st.st_mode) || guarded(NULL, &st)) {
        close(fd);
        return sl_error_set(err, SL_EINVAL, "%s %s: is not a regular file sluice may write", what,
                            path);
    }
    if (!(*out = fdopen(fd, "a"))) {
        close(fd);
        return sl_error_set(err, SL_EIO, "%s %s: %s", what, path, strerror(errno));
    }
    return 0;
}

int sl_out_reader_gone(FILE *f)
{
    struct stat st;
    int fd = fileno(f);
    if (fd < 0 || fstat(fd, &st) || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) return 0;
    /* the write end of a pipe without a reader polls as an error; a socket's as a hang-up */
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}
