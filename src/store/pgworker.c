/* A connection that works in its own thread (src/store/pgworker.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pgworker.h"

#define QUEUE 4 /* jobs queued at most: memory stays at a few batches */

struct job {
    char *sql;
    const char *doing;
    int copy;
    struct sl_buf data;
};

struct sl__pgw {
    PGconn *c;
    PGcancel *cancel; /* made before the thread starts: it uses c from then on */
    char *where;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct job q[QUEUE];
    size_t head, n; /* the queue: n jobs from head */
    int busy;       /* the thread runs a job taken from the queue */
    int stop;
    struct sl_error err;            /* the first failure; code 0 while there is none */
    struct sl_buf spare[QUEUE + 1]; /* COPY buffers to hand back, with their memory */
    size_t nspare;
};

static char *msg_line(const char *m)
{
    size_t n = 0;
    if (!m) m = "";
    if (!strncmp(m, "ERROR:  ", 8)) m += 8;
    while (m[n] && m[n] != '\n') n++;
    return sl_xstrndup(m, n);
}

int sl__pg_error(PGconn *c, const char *where, PGresult *r, const char *doing, struct sl_error *err)
{
    const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *text = primary ? primary : PQerrorMessage(c);
    char *m;
    int rc;

    /* libpq may notice the lost connection only at the next read: its own message (no
     * SQLSTATE) or the server's shutdown (57P0x) says it first */
    if (PQstatus(c) == CONNECTION_BAD || (state && !strncmp(state, "57P0", 4)) ||
        (!state && text &&
         (strstr(text, "server closed the connection") ||
          strstr(text, "no connection to the server")))) {
        char *why = msg_line(text);
        m = sl_xasprintf("the connection to the server was lost (%s)", why);
        free(why);
    } else
        m = msg_line(text);
    for (char *p = m; *p; p++)
        if (*p == '\n') *p = ' ';
    for (size_t n = strlen(m); n && m[n - 1] == ' ';) m[--n] = 0;
    rc = sl_error_set(err, SL_EDB, "%s: %s: %s", where, doing, m);
    free(m);
    return rc;
}

static int run_job(struct sl__pgw *w, struct job *j, struct sl_error *err)
{
    PGresult *r = PQexec(w->c, j->sql);
    ExecStatusType want = j->copy ? PGRES_COPY_IN : PGRES_COMMAND_OK;
    int rc = 0;

    if (PQresultStatus(r) != want) {
        rc = sl__pg_error(w->c, w->where, r, j->doing, err);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    if (!j->copy) return 0;
    /* libpq sends large buffers in pieces itself */
    if ((j->data.len && PQputCopyData(w->c, j->data.p, (int)j->data.len) != 1) ||
        PQputCopyEnd(w->c, NULL) != 1)
        rc = sl__pg_error(w->c, w->where, NULL, j->doing, err);
    while ((r = PQgetResult(w->c))) {
        if (!rc && PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = sl__pg_error(w->c, w->where, r, j->doing, err);
        PQclear(r);
    }
    return rc;
}

static void job_done(struct sl__pgw *w, struct job *j)
{
    free(j->sql);
    j->sql = NULL;
    if (j->copy && w->nspare < QUEUE + 1) {
        sl_buf_reset(&j->data);
        w->spare[w->nspare++] = j->data;
    } else {
        sl_buf_free(&j->data);
    }
    j->data = (struct sl_buf)SL_BUF_INIT;
}

static void *worker_main(void *arg)
{
    struct sl__pgw *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->n && !w->stop) pthread_cond_wait(&w->cv, &w->mu);
        if (w->stop) break;
        struct job j = w->q[w->head];
        w->head = (w->head + 1) % QUEUE;
        w->n--;
        w->busy = 1;
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);

        struct sl_error e = {0, ""};
        int rc = w->err.code ? 0 : run_job(w, &j, &e);

        pthread_mutex_lock(&w->mu);
        if (rc && !w->err.code) w->err = e;
        job_done(w, &j);
        w->busy = 0;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

struct sl__pgw *sl__pgw_start(PGconn *c, const char *where)
{
    struct sl__pgw *w = sl_xcalloc(1, sizeof *w);
    w->c = c;
    w->cancel = PQgetCancel(c);
    w->where = sl_xstrdup(where);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->th, NULL, worker_main, w)) {
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        if (w->cancel) PQfreeCancel(w->cancel);
        free(w->where);
        free(w);
        return NULL;
    }
    return w;
}

/* Under w->mu: the first error, copied to err. */
static int failed(struct sl__pgw *w, struct sl_error *err)
{
    if (!w->err.code) return 0;
    if (err) *err = w->err;
    return w->err.code;
}

static int enqueue(struct sl__pgw *w, const char *sql, const char *doing, struct sl_buf *data,
                   struct sl_error *err)
{
    int rc;
    pthread_mutex_lock(&w->mu);
    while (w->n == QUEUE && !w->err.code) pthread_cond_wait(&w->cv, &w->mu);
    if ((rc = failed(w, err))) {
        pthread_mutex_unlock(&w->mu);
        return rc;
    }
    struct job *j = &w->q[(w->head + w->n) % QUEUE];
    j->sql = sl_xstrdup(sql);
    j->doing = doing;
    j->copy = data != NULL;
    j->data = (struct sl_buf)SL_BUF_INIT;
    if (data) {
        j->data = *data;
        *data = w->nspare ? w->spare[--w->nspare] : (struct sl_buf)SL_BUF_INIT;
    }
    w->n++;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    return 0;
}

int sl__pgw_exec(struct sl__pgw *w, const char *sql, const char *doing, struct sl_error *err)
{
    return enqueue(w, sql, doing, NULL, err);
}

int sl__pgw_copy(struct sl__pgw *w, const char *sql, struct sl_buf *data, const char *doing,
                 struct sl_error *err)
{
    return enqueue(w, sql, doing, data, err);
}

int sl__pgw_wait(struct sl__pgw *w, struct sl_error *err)
{
    int rc;
    pthread_mutex_lock(&w->mu);
    while ((w->n || w->busy) && !w->err.code) pthread_cond_wait(&w->cv, &w->mu);
    rc = failed(w, err);
    pthread_mutex_unlock(&w->mu);
    return rc;
}

PGconn *sl__pgw_stop(struct sl__pgw *w, int cancel)
{
    PGconn *c;
    if (!w) return NULL;
    pthread_mutex_lock(&w->mu);
    if (cancel && w->busy && w->cancel) {
        /* what runs now is not wanted: ask the server to stop it */
        char why[256];
        PQcancel(w->cancel, why, sizeof why);
    }
    w->stop = 1;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    for (size_t i = 0; i < w->n; i++) job_done(w, &w->q[(w->head + i) % QUEUE]);
    for (size_t i = 0; i < w->nspare; i++) sl_buf_free(&w->spare[i]);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    if (w->cancel) PQfreeCancel(w->cancel);
    c = w->c;
    free(w->where);
    free(w);
    return c;
}
