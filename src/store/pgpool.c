/* The PostgreSQL connection pool (include/sluice/pgpool.h). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "sluice/pgpool.h"

struct sl_pg_pool {
    char *conninfo;
    struct sl_pg_pool_opts o;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    PGconn **idle;
    size_t nidle;
    struct sl_pg_pool_stats st;
    unsigned seed;
};

struct sl_pg_pool *sl_pg_pool_new(const char *conninfo, const struct sl_pg_pool_opts *o)
{
    struct sl_pg_pool *p = sl_xcalloc(1, sizeof *p);
    p->conninfo = sl_xstrdup(conninfo);
    if (o) p->o = *o;
    if (p->o.size <= 0) p->o.size = 4;
    if (p->o.connect_retries < 0) p->o.connect_retries = 0;
    if (p->o.backoff_ms <= 0) p->o.backoff_ms = 200;
    if (p->o.backoff_max_ms <= 0) p->o.backoff_max_ms = 5000;
    if (p->o.acquire_timeout_ms <= 0) p->o.acquire_timeout_ms = 30000;
    p->idle = sl_xcalloc((size_t)p->o.size, sizeof *p->idle);
    p->st.size = p->o.size;
    p->seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    return p;
}

void sl_pg_pool_free(struct sl_pg_pool *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->nidle; i++) PQfinish(p->idle[i]);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p->idle);
    free(p->conninfo);
    free(p);
}

/* The first line of libpq's message (its messages end with a newline). */
static void first_line(const char *msg, char *out, size_t n)
{
    size_t k = 0;
    while (msg && msg[k] && msg[k] != '\n' && k + 1 < n) {
        out[k] = msg[k];
        k++;
    }
    out[k] = 0;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) && errno == EINTR && !sl_interrupted) {
    }
}

static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* Worth another attempt: the server cannot be reached, or is starting, stopping or full. A
 * server's refusal (no such database, authentication) will not change by waiting. */
static int retryable(const char *why)
{
    static const char *const transient[] = {"starting up", "shutting down", "too many clients",
                                            "in recovery", "not yet accepting"};
    /* libpq's own refusal of a setting ("invalid port number", "invalid sslmode value") */
    if (!strncmp(why, "invalid ", 8) || strstr(why, ": invalid ")) return 0;
    if (!strstr(why, "FATAL:")) return 1;
    for (size_t i = 0; i < sizeof transient / sizeof transient[0]; i++)
        if (strstr(why, transient[i])) return 1;
    return 0;
}

/* One connection, with up to retries more attempts: backoff doubles from backoff_ms up to
 * backoff_max_ms, each wait a random 50-100% of it (jitter, so that many clients do not retry in
 * step). */
static PGconn *connect_retrying(struct sl_pg_pool *p, int retries, struct sl_error *err)
{
    int wait = p->o.backoff_ms;
    char why[512] = "";

    int tries = 0;

    for (int attempt = 0;; attempt++) {
        tries++;
        PGconn *c = PQconnectdb(p->conninfo);
        if (c && PQstatus(c) == CONNECTION_OK) {
            PGresult *r;
            /* the server's notices and warnings ("terminating connection ...") are not ours
             * to print; errors come back with the statement that failed */
            PQsetNoticeProcessor(c, quiet_notices, NULL);
            char sql[160];
            snprintf(sql, sizeof sql,
                     "SET TIME ZONE 'UTC'; SET statement_timeout = %d; "
                     "SET client_min_messages = warning",
                     p->o.statement_timeout_ms);
            r = PQexec(c, sql);
            if (PQresultStatus(r) == PGRES_COMMAND_OK) {
                PQclear(r);
                pthread_mutex_lock(&p->mu);
                p->st.connects++;
                pthread_mutex_unlock(&p->mu);
                return c;
            }
            first_line(PQerrorMessage(c), why, sizeof why);
            PQclear(r);
        } else {
            first_line(c ? PQerrorMessage(c) : "out of memory", why, sizeof why);
        }
        PQfinish(c);
        if (attempt >= retries || sl_interrupted || !retryable(why)) break;
        pthread_mutex_lock(&p->mu);
        p->st.retries++;
        int jittered = wait / 2 + (int)(rand_r(&p->seed) % (unsigned)(wait / 2 + 1));
        pthread_mutex_unlock(&p->mu);
        sleep_ms(jittered);
        wait = wait * 2 > p->o.backoff_max_ms ? p->o.backoff_max_ms : wait * 2;
    }
    pthread_mutex_lock(&p->mu);
    p->st.failures++;
    pthread_mutex_unlock(&p->mu);
    if (!strncmp(why, "invalid ", 8)) /* a setting of the URL: the user's to correct */
        sl_error_set(err, SL_ECONFIG, "not a valid PostgreSQL URL: %s", why);
    else if (tries > 1)
        sl_error_set(err, SL_EDB, "cannot connect to PostgreSQL after %d attempts: %s", tries,
                     why[0] ? why : "unknown error");
    else
        sl_error_set(err, SL_EDB, "cannot connect to PostgreSQL: %s",
                     why[0] ? why : "unknown error");
    return NULL;
}

/* A connection: an idle one, else a new one while the pool is below its size; may wait for a
 * free one (up to acquire_timeout_ms) and retry connecting (connect_retries) unless only_try. */
static PGconn *acquire(struct sl_pg_pool *p, int only_try, struct sl_error *err)
{
    PGconn *c = NULL;
    struct timespec until;
    int waited = 0;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += p->o.acquire_timeout_ms / 1000;
    until.tv_nsec += (long)(p->o.acquire_timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&p->mu);
    while (!p->nidle && p->st.open >= p->o.size) {
        if (only_try) {
            pthread_mutex_unlock(&p->mu);
            sl_error_set(err, SL_EDB, "no free PostgreSQL connection (pool size %d)", p->o.size);
            return NULL;
        }
        if (!waited) p->st.waits++;
        waited = 1;
        if (pthread_cond_timedwait(&p->cv, &p->mu, &until) == ETIMEDOUT) {
            pthread_mutex_unlock(&p->mu);
            sl_error_set(err, SL_EDB, "no free PostgreSQL connection after %d ms (pool size %d)",
                         p->o.acquire_timeout_ms, p->o.size);
            return NULL;
        }
    }
    if (p->nidle) {
        c = p->idle[--p->nidle];
        p->st.in_use++;
        pthread_mutex_unlock(&p->mu);
        if (PQstatus(c) == CONNECTION_OK) return c;
        /* lost while idle: replace it */
        PQfinish(c);
        pthread_mutex_lock(&p->mu);
        p->st.in_use--;
        p->st.open--;
        p->st.failures++;
    }
    p->st.open++; /* reserved while connecting */
    pthread_mutex_unlock(&p->mu);
    c = connect_retrying(p, only_try ? 0 : p->o.connect_retries, err);
    pthread_mutex_lock(&p->mu);
    if (c)
        p->st.in_use++;
    else
        p->st.open--;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return c;
}

PGconn *sl_pg_pool_acquire(struct sl_pg_pool *p, struct sl_error *err)
{
    return acquire(p, 0, err);
}

PGconn *sl_pg_pool_try_acquire(struct sl_pg_pool *p, struct sl_error *err)
{
    return acquire(p, 1, err);
}

void sl_pg_pool_release(struct sl_pg_pool *p, PGconn *c, int broken)
{
    if (!c) return;
    if (!broken && PQstatus(c) == CONNECTION_OK && PQtransactionStatus(c) != PQTRANS_IDLE) {
        /* a transaction left open is rolled back before anyone else gets the connection */
        PGresult *r = PQexec(c, "ROLLBACK");
        broken = PQresultStatus(r) != PGRES_COMMAND_OK;
        PQclear(r);
    }
    broken = broken || PQstatus(c) != CONNECTION_OK;
    pthread_mutex_lock(&p->mu);
    p->st.in_use--;
    if (broken || p->nidle >= (size_t)p->o.size) {
        p->st.open--;
        if (broken) p->st.failures++;
        pthread_mutex_unlock(&p->mu);
        PQfinish(c);
        pthread_mutex_lock(&p->mu);
    } else {
        p->idle[p->nidle++] = c;
    }
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void sl_pg_pool_stats(struct sl_pg_pool *p, struct sl_pg_pool_stats *out)
{
    pthread_mutex_lock(&p->mu);
    *out = p->st;
    pthread_mutex_unlock(&p->mu);
}
