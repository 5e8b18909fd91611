/*
 * Lookups in the silver tables of the PostgreSQL store (pg_internal.h): is a value (or a
 * combination) already in silver, for unique fields against earlier loads and for foreign keys.
 * The column types of the looked-up tables are read once per load; a value that cannot equal
 * any value of its column is decided here (a failing comparison would end the load's
 * transaction); lookups in other sources than the open load's go through prepared statements and
 * their answers are remembered in a bounded memo.
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/time.h"
#include "catalog.h"
#include "pg_internal.h"
#include "pgworker.h"

#define MEMO_SLOTS 131072 /* a power of 2; at most half of it used */

static void memo_reset(struct pg_db *d)
{
    for (size_t i = 0; d->memo && i < MEMO_SLOTS; i++) free(d->memo[i].key);
    free(d->memo);
    d->memo = NULL;
    d->nmemo = 0;
}

/* The slot of key (found or free). */
static struct lookup_memo *memo_slot(struct pg_db *d, const char *key, size_t len, uint64_t h)
{
    size_t i = (size_t)h & (MEMO_SLOTS - 1);
    if (!d->memo) d->memo = sl_xcalloc(MEMO_SLOTS, sizeof *d->memo);
    for (;; i = (i + 1) & (MEMO_SLOTS - 1)) {
        struct lookup_memo *m = &d->memo[i];
        if (!m->key || (m->hash == h && m->len == len && !memcmp(m->key, key, len))) return m;
    }
}

static void lookup_stmts_reset(struct pg_db *d)
{
    for (unsigned i = 0; i < 8; i++) {
        free(d->lstmts[i].sql);
        d->lstmts[i].sql = NULL;
    }
}

/* Empties a slot of the looked-up tables. */
static void lookup_table_clear(struct lookup_table *t)
{
    for (int k = 0; k < t->n; k++) {
        free(t->names[k]);
        free(t->types[k]);
    }
    free(t->names);
    free(t->types);
    free(t->source);
    memset(t, 0, sizeof *t);
}

void sl__pg_lookup_reset(struct pg_db *d)
{
    memo_reset(d);
    lookup_stmts_reset(d);
    for (unsigned i = 0; i < 4; i++) lookup_table_clear(&d->ltables[i]);
}

/* The silver table of source: its columns and their types (pg_type.typname), cached. */
static int lookup_table(struct pg_db *d, const char *source, struct lookup_table **out,
                        struct sl_error *err)
{
    struct sl_buf name = SL_BUF_INIT;
    struct lookup_table *t;
    PGresult *r;
    int rc;

    for (unsigned i = 0; i < 4; i++)
        if (d->ltables[i].source && !strcmp(d->ltables[i].source, source)) {
            *out = &d->ltables[i];
            return 0;
        }
    sl__pg_silver_ident(d, &name, source);
    {
        const char *p[] = {name.p};
        rc = sl__pg_q(d,
                      "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = "
                      "a.atttypid WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT "
                      "a.attisdropped ORDER BY a.attnum",
                      1, p, &r, "looking up keys in silver", err);
    }
    sl_buf_free(&name);
    if (rc < 0) return rc;
    t = &d->ltables[d->nltables++ % 4];
    lookup_table_clear(t);
    t->source = sl_xstrdup(source);
    t->n = PQntuples(r);
    t->exists = t->n > 0;
    t->names = sl_xcalloc(t->n ? (size_t)t->n : 1, sizeof *t->names);
    t->types = sl_xcalloc(t->n ? (size_t)t->n : 1, sizeof *t->types);
    for (int k = 0; k < t->n; k++) {
        t->names[k] = sl__pg_get_str(r, k, 0);
        t->types[k] = sl__pg_get_str(r, k, 1);
    }
    PQclear(r);
    *out = t;
    return 0;
}

/* A whole integer in text ("-12"), as PostgreSQL's int8 input reads it. */
static int int_text(const char *p, size_t n)
{
    size_t i = p && n && (p[0] == '-' || p[0] == '+');
    if (i >= n || n > 20) return 0;
    for (; i < n; i++)
        if (p[i] < '0' || p[i] > '9') return 0;
    return 1;
}

/*
 * Value v as the text of a parameter compared with a column of PostgreSQL type `type`; *cast
 * gets the cast to put on the parameter. 1: the value can be compared (out, or NULL param for
 * SQL NULL), 0: it cannot equal any value of the column (a comparison would fail in the
 * server and end the open load's transaction, so it is decided here).
 */
static int lookup_param(const char *type, const struct sl_value *v, struct sl_buf *out,
                        const char **cast)
{
    char m[8];
    sl_buf_reset(out);
    *cast = "";
    if (!v || v->type == SL_V_NULL) return 1;
    if (!strcmp(type, "int8") || !strcmp(type, "int4") || !strcmp(type, "int2")) {
        *cast = "::int8";
        if (v->type == SL_V_INT) {
            sl_buf_add_i64(out, v->u.i);
            return 1;
        }
        if (v->type == SL_V_REAL && v->u.d == (double)(int64_t)v->u.d && v->u.d > -9.2e18 &&
            v->u.d < 9.2e18) {
            sl_buf_add_i64(out, (int64_t)v->u.d);
            return 1;
        }
        if (v->type == SL_V_TEXT && int_text(v->u.s, v->len)) {
            char *end;
            char *s = sl_xstrndup(v->u.s, v->len);
            long long k = strtoll(s, &end, 10);
            int ok = !*end && k != LLONG_MAX && k != LLONG_MIN;
            free(s);
            if (!ok) return 0;
            sl_buf_addf(out, "%lld", k);
            return 1;
        }
        return 0;
    }
    if (!strcmp(type, "float8") || !strcmp(type, "float4")) {
        *cast = "::float8";
        if (v->type == SL_V_INT) {
            sl_buf_add_i64(out, v->u.i);
            return 1;
        }
        if (v->type == SL_V_REAL) {
            if (isnan(v->u.d))
                sl_buf_adds(out, "NaN");
            else if (isinf(v->u.d))
                sl_buf_adds(out, v->u.d > 0 ? "Infinity" : "-Infinity");
            else
                sl_buf_json_double(out, v->u.d);
            return 1;
        }
        if (v->type == SL_V_TEXT && v->len && v->len < 64) {
            char *end, *s = sl_xstrndup(v->u.s, v->len);
            double x = strtod(s, &end);
            int ok = !*end && !isspace((unsigned char)s[0]);
            free(s);
            if (!ok) return 0;
            sl_buf_json_double(out, x);
            return isfinite(x);
        }
        return 0;
    }
    if (!strcmp(type, "bool")) {
        *cast = "::bool";
        if ((v->type == SL_V_BOOL || v->type == SL_V_INT) && (v->u.i == 0 || v->u.i == 1)) {
            sl_buf_adds(out, v->u.i ? "true" : "false");
            return 1;
        }
        return 0;
    }
    if (!strcmp(type, "date")) {
        struct sl_datetime d;
        *cast = "::date";
        /* the one parser checks the day of the month (no 2024-02-31); PostgreSQL has no year 0 */
        if (v->type != SL_V_TEXT || sl_time_parse(v->u.s, v->len, SL_ISO_DATE, &d) || d.year < 1)
            return 0;
        sl_buf_add(out, v->u.s, v->len);
        return 1;
    }
    if (!strcmp(type, "timestamptz") || !strcmp(type, "timestamp")) {
        *cast = !strcmp(type, "timestamp") ? "::timestamptz::timestamp" : "::timestamptz";
        int64_t us, secs, days, yy;
        int m2, d2;
        if (v->type != SL_V_TEXT || sl__pg_ts_utc(v->u.s, v->len, &us, m)) return 0;
        secs = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
        us -= secs * 1000000;
        secs += (int64_t)PG_EPOCH_DAYS * 86400;
        days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
        secs -= days * 86400;
        sl_civil_from_days(days, &yy, &m2, &d2);
        sl_buf_addf(out, "%04lld-%02d-%02d %02d:%02d:%02d.%06lld+00", (long long)yy, m2, d2,
                    (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60), (long long)us);
        return 1;
    }
    if (!strcmp(type, "time")) {
        int64_t us;
        *cast = "::time";
        if (v->type != SL_V_TEXT || (us = sl__pg_time_usec(v->u.s, v->len)) < 0 ||
            us > 86400LL * 1000000)
            return 0;
        sl_buf_add(out, v->u.s, v->len);
        return 1;
    }
    if (!strcmp(type, "jsonb")) {
        *cast = "::jsonb";
        if (v->type != SL_V_TEXT || !sl__pg_jsonb_safe(v->u.s, v->len) || !v->len ||
            !strchr("{[", v->u.s[0]))
            return 0;
        sl_buf_add(out, v->u.s, v->len);
        return 1;
    }
    /* text, and any other type: compared as text (the column side is cast when not text) */
    switch (v->type) {
    case SL_V_TEXT:
        if (memchr(v->u.s, 0, v->len)) return 0;
        sl_buf_add(out, v->u.s, v->len);
        return 1;
    case SL_V_INT: sl_buf_add_i64(out, v->u.i); return 1;
    case SL_V_BOOL: sl_buf_adds(out, v->u.i ? "true" : "false"); return 1;
    case SL_V_REAL: sl_buf_json_double(out, v->u.d); return 1;
    default: return 0;
    }
}

static int known_type(const char *type)
{
    static const char *const k[] = {"int8", "int4",        "int2",      "float8", "float4",
                                    "bool", "date",        "timestamp", "time",   "jsonb",
                                    "text", "timestamptz", NULL};
    for (int i = 0; k[i]; i++)
        if (!strcmp(type, k[i])) return 1;
    return 0;
}

int sl__pg_silver_lookup(struct sl_db *db, const char *source, const char *const *cols, size_t n,
                         const struct sl_value *const *vals, const char *const *excl,
                         const struct sl_value *const *exvals, size_t nexcl, int index,
                         uint8_t *found, struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct lookup_table *t;
    struct sl_buf sql = SL_BUF_INIT, *pv = NULL, memo_key = SL_BUF_INIT;
    struct lookup_memo *memo = NULL;
    uint64_t memo_hash = 0;
    const char **params = NULL;
    int seen = 0,
        own = d->open_load && d->open_load->source && !strcmp(d->open_load->source, source);
    size_t np = 0, total = n + nexcl;
    int rc, excluded = nexcl > 0;
    PGresult *r = NULL;

    *found = 0;
    if ((rc = sl__pg_ensure_conn(d, err))) return rc;
    if ((rc = lookup_table(d, source, &t, err))) return rc;
    if (!t->exists) return 0; /* nothing loaded yet */
    pv = sl_xcalloc(total ? total : 1, sizeof *pv);
    params = sl_xcalloc(total ? total : 1, sizeof *params);
    sl_buf_adds(&sql, "SELECT 1 FROM ");
    sl__pg_silver_ident(d, &sql, source);
    sl_buf_adds(&sql, " WHERE ");
    /* first the columns that must equal, then the ones that must not all equal */
    for (size_t i = 0; i < total; i++) {
        const char *col = i < n ? cols[i] : excl[i - n];
        const struct sl_value *v = i < n ? vals[i] : exvals[i - n];
        const char *type = NULL, *cast;
        int ok;
        for (int k = 0; k < t->n && !type; k++)
            if (!strcmp(t->names[k], col)) type = t->types[k];
        if (!type) {
            rc = sl_error_set(err, SL_EDB, "%s: looking up keys in silver: %s has no column %s",
                              d->where, source, col);
            goto out;
        }
        ok = lookup_param(type, v, &pv[np], &cast);
        if (!ok) {
            if (i < n) goto out; /* a value no row can have: not found */
            excluded = 0;        /* cannot be this row's key: no exclusion */
            continue;
        }
        if (i == n)
            sl_buf_adds(&sql, " AND NOT (");
        else if (i > 0)
            sl_buf_adds(&sql, " AND ");
        if (!known_type(type)) sl_buf_adds(&sql, "CAST(");
        sql_ident(&sql, col);
        if (!known_type(type)) sl_buf_adds(&sql, " AS text)");
        params[np] = v && v->type != SL_V_NULL ? sl_buf_str(&pv[np]) : NULL;
        np++;
        sl_buf_addf(&sql, i < n ? " = $%zu%s" : " IS NOT DISTINCT FROM $%zu%s", np,
                    known_type(type) ? cast : "::text");
    }
    if (nexcl && !excluded) {
        /* drop the exclusion: rebuild the statement with the equal columns only */
        sl_buf_reset(&sql);
        sl_buf_adds(&sql, "SELECT 1 FROM ");
        sl__pg_silver_ident(d, &sql, source);
        sl_buf_adds(&sql, " WHERE ");
        np = 0;
        for (size_t i = 0; i < n; i++) {
            const char *type = NULL, *cast;
            for (int k = 0; k < t->n && !type; k++)
                if (!strcmp(t->names[k], cols[i])) type = t->types[k];
            lookup_param(type, vals[i], &pv[np], &cast);
            if (i) sl_buf_adds(&sql, " AND ");
            if (!known_type(type)) sl_buf_adds(&sql, "CAST(");
            sql_ident(&sql, cols[i]);
            if (!known_type(type)) sl_buf_adds(&sql, " AS text)");
            params[np] = vals[i] && vals[i]->type != SL_V_NULL ? sl_buf_str(&pv[np]) : NULL;
            np++;
            sl_buf_addf(&sql, " = $%zu%s", np, known_type(type) ? cast : "::text");
        }
    } else if (nexcl) {
        sl_buf_addc(&sql, ')');
    }
    sl_buf_adds(&sql, " LIMIT 1");
    /* a source other than the open load's: its answers are remembered (foreign keys repeat
     * their values; one round trip per distinct value, not per row) */
    if (!nexcl && !own) {
        sl_buf_reset(&memo_key);
        sl_buf_add(&memo_key, sql.p, sql.len + 1);
        for (size_t i = 0; i < np; i++) {
            size_t len = params[i] ? strlen(params[i]) : 0;
            sl_buf_add(&memo_key, params[i] ? "v" : "n", 1);
            sl_buf_add(&memo_key, &len, sizeof len);
            if (len) sl_buf_add(&memo_key, params[i], len);
        }
        memo_hash = fnv1a(memo_key.p, memo_key.len);
        memo = memo_slot(d, memo_key.p, memo_key.len, memo_hash);
        if (memo->key) {
            *found = memo->found;
            goto out;
        }
    }
    for (unsigned i = 0; i < 8 && !seen; i++)
        seen = d->lstmts[i].sql && !strcmp(d->lstmts[i].sql, sql.p);
    if (!seen) {
        unsigned k = d->nlstmts++ % 8;
        if (index && n == 1 && !d->read_only) {
            /* repeated lookups of one column: an index, made once (IF NOT EXISTS) */
            struct sl_buf ix = SL_BUF_INIT;
            char *iname = sl_xasprintf("sluice_ix_%s_%s", source, cols[0]);
            sl_buf_adds(&ix, "CREATE INDEX IF NOT EXISTS ");
            sql_ident(&ix, iname);
            sl_buf_adds(&ix, " ON ");
            sl__pg_silver_ident(d, &ix, source);
            sl_buf_addc(&ix, '(');
            sql_ident(&ix, cols[0]);
            sl_buf_addc(&ix, ')');
            free(iname);
            rc = sl__pg_exec(d, ix.p, "indexing a unique column", err);
            sl_buf_free(&ix);
            if (rc < 0) goto out;
        }
        free(d->lstmts[k].sql);
        d->lstmts[k].sql = sl_xstrdup(sql.p);
    }
    /* The open load's source: not a prepared statement. Its table has no statistics, and a
     * generic plan made while it was small would scan it for every row (measured: 50,000
     * rows with a unique field took 102 s); a statement planned each time sees its size.
     * Other sources do not change meanwhile: prepared (less time per lookup). */
    if (own)
        r = PQexecParams(d->c, sql.p, (int)np, NULL, params, NULL, NULL, 0);
    else {
        const char *name = NULL;
        if (d->pconn != d->c) {
            for (unsigned i = 0; i < 8; i++) {
                free(d->pstmts[i].sql);
                d->pstmts[i].sql = NULL;
            }
            d->pconn = d->c;
        }
        for (unsigned i = 0; i < 8 && !name; i++)
            if (d->pstmts[i].sql && !strcmp(d->pstmts[i].sql, sql.p)) name = d->pstmts[i].name;
        if (!name) {
            unsigned k = d->npstmts % 8;
            if (d->pstmts[k].sql) {
                char dealloc[48];
                snprintf(dealloc, sizeof dealloc, "DEALLOCATE %s", d->pstmts[k].name);
                free(d->pstmts[k].sql);
                d->pstmts[k].sql = NULL;
                if ((rc = sl__pg_exec(d, dealloc, "looking up keys in silver", err))) goto out;
            }
            /* names never repeat on a connection: a statement outlives a rolled-back load */
            snprintf(d->pstmts[k].name, sizeof d->pstmts[k].name, "sluice_lookup_%u", d->npstmts++);
            r = PQprepare(d->c, d->pstmts[k].name, sql.p, (int)np, NULL);
            if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                rc = sl__pg_error(d->c, d->where, r, "looking up keys in silver", err);
                goto out;
            }
            PQclear(r);
            d->pstmts[k].sql = sl_xstrdup(sql.p);
            name = d->pstmts[k].name;
        }
        r = PQexecPrepared(d->c, name, (int)np, params, NULL, NULL, 0);
    }
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = sl__pg_error(d->c, d->where, r, "looking up keys in silver", err);
        goto out;
    }
    *found = PQntuples(r) > 0;
    if (memo) {
        if (d->nmemo >= MEMO_SLOTS / 2) {
            memo_reset(d);
            memo = memo_slot(d, memo_key.p, memo_key.len, memo_hash);
        }
        memo->hash = memo_hash;
        memo->len = memo_key.len;
        memo->key = sl_buf_detach(&memo_key);
        memo->found = *found;
        d->nmemo++;
    }
out:
    sl_buf_free(&memo_key);
    PQclear(r);
    for (size_t i = 0; i < total; i++) sl_buf_free(&pv[i]);
    free(pv);
    free(params);
    sl_buf_free(&sql);
    return rc;
}

void sl__pg_lookup_free(struct pg_db *d)
{
    sl__pg_lookup_reset(d);
    for (unsigned i = 0; i < 8; i++) free(d->pstmts[i].sql);
}
