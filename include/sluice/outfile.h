/*
 * Files sluice writes on a user's say-so (--rejects, a source's rejects:, quality --out, the
 * OpenLineage events file). Every one goes through here:
 *   - a path that is a file the run reads or keeps is refused (SL_EINVAL): the run's inputs
 *     (by device and inode, so a hard link or stdin's file counts), the store and its
 *     -wal/-journal/-shm (by name too, since they may not exist yet);
 *   - a path whose last component is a symbolic link is refused: sluice never writes through one;
 *   - a new file is written under a temporary name in the same directory (created with O_EXCL,
 *     mode 0666 less the umask, like any new file) and renamed onto the path by
 *     sl_outfile_commit; sl_outfile_abort removes it. The path is never truncated first.
 * "-" is standard output (nothing to protect or rename).
 */
#ifndef SLUICE_OUTFILE_H
#define SLUICE_OUTFILE_H

#include <stdio.h>

#include "sluice/core.h"

/* Files that must not be written: path by its name and, when it exists, its device and inode.
 * what names it in messages ("an input of this run", "the store"). */
void sl_outguard_protect(const char *path, const char *what);
/* An open file (standard input) by its device and inode. */
void sl_outguard_protect_fd(int fd, const char *what);
/* A SQLite store's file and the -wal, -journal and -shm files beside it. */
void sl_outguard_protect_store(const char *path);
/* Forgets every protected file (tests). */
void sl_outguard_reset(void);

/* 0 when path may be written as option `what` (e.g. "--rejects"); else SL_EINVAL with the
 * reason in err. */
int sl_outfile_check(const char *path, const char *what, struct sl_error *err);

struct sl_outfile;
/* Checks path (sl_outfile_check) and opens its temporary file. */
int sl_outfile_open(const char *path, const char *what, struct sl_outfile **out,
                    struct sl_error *err);
FILE *sl_outfile_stream(struct sl_outfile *o);
/* Flushes and closes the file and renames it onto its path (checked again). Frees o. */
int sl_outfile_commit(struct sl_outfile *o, struct sl_error *err);
/* Closes and removes the temporary file; the path is left as it was. Frees o (NULL: nothing). */
void sl_outfile_abort(struct sl_outfile *o);

/* A file appended to (a log of events): checked like sl_outfile_check, opened without following
 * a symbolic link, and refused unless it is a regular file (or a new one). */
int sl_outfile_append(const char *path, const char *what, FILE **out, struct sl_error *err);

/* 1 when f writes to a pipe or socket whose reading end is closed (`sluice cat x | head -1`
 * once head has exited): a reader that stopped reading, which is a normal way to end, not a
 * write error. 0 otherwise (a file, a terminal, a pipe still read). SIGPIPE is ignored, so such
 * a write fails with EPIPE instead of killing the process. */
int sl_out_reader_gone(FILE *f);

#endif
