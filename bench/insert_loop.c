/*
 * insert_loop -- the "minimal hand-written C loop" anchor for bench/run.
 *
 * Usage: insert_loop DB CSV TABLE
 *
 * Loads a simple CSV (no quoting: cells are split on ',' and rows on '\n',
 * a trailing '\r' is dropped) into TABLE of the SQLite database DB:
 *   - the header row gives the column names; every column is TEXT
 *     (the same as `sqlite3 .import`, so the two anchors are comparable);
 *   - PRAGMA journal_mode=WAL, one BEGIN ... COMMIT around all rows;
 *   - one prepared INSERT, cells bound with sqlite3_bind_text(SQLITE_STATIC)
 *     straight from the read buffer (no copies).
 * The file is streamed with read() through a fixed 4 MiB buffer, so memory
 * does not grow with the input. A row with fewer cells than the header gets
 * NULLs; extra cells are ignored.
 *
 * Build: cc -O2 -Wall -Wextra -Werror insert_loop.c $(pkg-config --cflags --libs sqlite3)
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUF_SIZE (4u << 20)
#define MAX_COLS 1024

static sqlite3 *db;

static void die_sql(const char *what)
{
    fprintf(stderr, "insert_loop: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

static void exec_sql(const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "insert_loop: %s: %s\n", sql, msg ? msg : "?");
        sqlite3_free(msg);
        exit(1);
    }
}

/* Append "name" to s with embedded quotes doubled. */
static char *append_ident(char *s, const char *name, size_t len)
{
    char *q = sqlite3_mprintf("%s\"%.*w\"", s ? s : "", (int)len, name);
    sqlite3_free(s);
    if (!q) {
        fprintf(stderr, "insert_loop: out of memory\n");
        exit(1);
    }
    return q;
}

static char *append_str(char *s, const char *t)
{
    char *q = sqlite3_mprintf("%s%s", s ? s : "", t);
    sqlite3_free(s);
    if (!q) {
        fprintf(stderr, "insert_loop: out of memory\n");
        exit(1);
    }
    return q;
}

/* Split line [p, end) on ',' into cells; returns the number of cells. */
static int split(char *p, char *end, const char **cell, int *len, int max)
{
    int n = 0;
    if (end > p && end[-1] == '\r') end--;
    for (;;) {
        char *c = memchr(p, ',', (size_t)(end - p));
        char *stop = c ? c : end;
        if (n < max) {
            cell[n] = p;
            len[n] = (int)(stop - p);
        }
        n++;
        if (!c) break;
        p = c + 1;
    }
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: insert_loop DB CSV TABLE\n");
        return 2;
    }
    const char *dbpath = argv[1], *csvpath = argv[2], *table = argv[3];

    int fd = open(csvpath, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "insert_loop: %s: %s\n", csvpath, strerror(errno));
        return 1;
    }
    char *buf = malloc(BUF_SIZE);
    if (!buf) {
        fprintf(stderr, "insert_loop: out of memory\n");
        return 1;
    }

    if (sqlite3_open(dbpath, &db) != SQLITE_OK) die_sql("open");
    exec_sql("PRAGMA journal_mode=WAL");

    static const char *cell[MAX_COLS];
    static int len[MAX_COLS];
    sqlite3_stmt *ins = NULL;
    int ncols = 0;
    long long rows = 0;
    size_t have = 0; /* bytes in buf not yet consumed */
    int eof = 0;

    while (!eof || have > 0) {
        if (!eof) {
            if (have == BUF_SIZE) {
                fprintf(stderr, "insert_loop: line longer than %u bytes\n", BUF_SIZE);
                return 1;
            }
            ssize_t got = read(fd, buf + have, BUF_SIZE - have);
            if (got < 0) {
                if (errno == EINTR) continue;
                fprintf(stderr, "insert_loop: read %s: %s\n", csvpath, strerror(errno));
                return 1;
            }
            if (got == 0) eof = 1;
            have += (size_t)got;
        }

        char *p = buf, *end = buf + have;
        for (;;) {
            char *nl = memchr(p, '\n', (size_t)(end - p));
            char *stop;
            if (nl)
                stop = nl;
            else if (eof && p < end)
                stop = end; /* last line without '\n' */
            else
                break;

            if (stop > p && !(stop - p == 1 && *p == '\r')) {
                if (!ins) {
                    /* header: create the table and prepare the INSERT */
                    ncols = split(p, stop, cell, len, MAX_COLS);
                    if (ncols > MAX_COLS) {
                        fprintf(stderr, "insert_loop: more than %d columns\n", MAX_COLS);
                        return 1;
                    }
                    char *create = append_str(NULL, "CREATE TABLE ");
                    create = append_ident(create, table, strlen(table));
                    char *insert = append_str(NULL, "INSERT INTO ");
                    insert = append_ident(insert, table, strlen(table));
                    create = append_str(create, " (");
                    insert = append_str(insert, " VALUES (");
                    for (int i = 0; i < ncols; i++) {
                        create = append_str(create, i ? ", " : "");
                        create = append_ident(create, cell[i], (size_t)len[i]);
                        create = append_str(create, " TEXT");
                        insert = append_str(insert, i ? ", ?" : "?");
                    }
                    create = append_str(create, ")");
                    insert = append_str(insert, ")");
                    exec_sql(create);
                    exec_sql("BEGIN");
                    if (sqlite3_prepare_v2(db, insert, -1, &ins, NULL) != SQLITE_OK)
                        die_sql("prepare INSERT");
                    sqlite3_free(create);
                    sqlite3_free(insert);
                } else {
                    int n = split(p, stop, cell, len, MAX_COLS);
                    for (int i = 0; i < ncols; i++) {
                        int rc = i < n
                                     ? sqlite3_bind_text(ins, i + 1, cell[i], len[i], SQLITE_STATIC)
                                     : sqlite3_bind_null(ins, i + 1);
                        if (rc != SQLITE_OK) die_sql("bind");
                    }
                    if (sqlite3_step(ins) != SQLITE_DONE) die_sql("INSERT");
                    sqlite3_reset(ins);
                    rows++;
                }
            }
            p = nl ? nl + 1 : end;
        }
        /* keep the partial last line for the next read */
        have = (size_t)(end - p);
        memmove(buf, p, have);
        if (eof) have = 0;
    }

    if (!ins) {
        fprintf(stderr, "insert_loop: %s: no header row\n", csvpath);
        return 1;
    }
    sqlite3_finalize(ins);
    exec_sql("COMMIT");
    if (sqlite3_close(db) != SQLITE_OK) die_sql("close");
    close(fd);
    free(buf);
    fprintf(stderr, "insert_loop: %lld rows into %s\n", rows, table);
    return 0;
}
