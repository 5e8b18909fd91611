/*
 * The PostgreSQL store: the catalog in schema sluice, bronze in schema bronze (one table per
 * source, range-partitioned by month of the source timestamp), silver as a typed table per
 * source in a configurable schema (public by default). docs/storage.md describes the layout.
 *
 * A load is one transaction on one connection from the pool. Rows go in with COPY ... FROM
 * STDIN, one COPY per table per batch; keyed sources COPY into a temporary staging table and
 * upsert from it with INSERT ... ON CONFLICT. The bronze partitions a load creates are written
 * by a second connection meanwhile and attached in the load's transaction (struct part). Loads of
 * one source are serialized with a session advisory lock taken when the load looks at the source's
 * state (so that a second process waits, then finds the input loaded) and released when the load
 * ends.
 *
 * Identifiers are always double-quoted; values always travel as parameters or COPY data.
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "sluice/pgpool.h"
#include "sluice/stream.h"
#include "sluice/store.h"
#include "sluice/time.h"
#include "catalog.h"
#include "migrations.h"
#include "pgworker.h"

/* pg_advisory_lock(LOCK_CLASS, hashtext(lower(source))): "slce" */
#define LOCK_CLASS   1936483173
#define LOCK_MIGRATE 1

#define PG_EPOCH_DAYS 10957 /* 2000-01-01, PostgreSQL's epoch, in days since 1970-01-01 */

struct pg_db {
    struct sl_db base;
    struct sl_pg_pool *pool;
    PGconn *c;
    char *where;   /* the URL without password and parameters, for messages */
    char *silver;  /* schema of silver tables */
    char *locked;  /* the source whose advisory lock this session holds, or NULL */
    int gin;       /* new bronze tables get a GIN index on raw_data (bronze_gin, default on) */
    int parallel;  /* a second connection writes a load's new bronze partitions (default on) */
    int read_only; /* SL_STORE_OPEN_READ_ONLY: a read-only session, nothing created */
    struct pg_load *open_load;
    /* silver_lookup: column types of looked-up tables (reset when a load or change starts or
     * ends) and the statements used meanwhile (each made its index once) */
    struct lookup_table {
        char *source;
        int exists;
        int n;
        char **names, **types;
    } ltables[4];
    unsigned nltables;
    struct {
        char *sql; /* statements used since the load began (each made its index once) */
    } lstmts[8];
    unsigned nlstmts;
    /* lookups in other sources than the open load's: prepared statements, per connection */
    struct {
        char *sql;
        char name[24];
    } pstmts[8];
    unsigned npstmts;
    PGconn *pconn;
    /* answers of lookups in other sources than the open load's (their silver does not change
     * while it is open): statement and parameters → found, bounded, emptied when full */
    struct lookup_memo {
        uint64_t hash;
        char *key; /* NULL: a free slot */
        size_t len;
        uint8_t found;
    } * memo;
    size_t nmemo;
};

#define MEMO_SLOTS 131072 /* a power of 2; at most half of it used */

/* A load's state while its transaction is open (sl_load.priv). */
/* A bronze partition a load writes to. One that this load creates is a standalone table until
 * the load commits: its rows go in without indexes, which are built once at the end (sorted
 * builds), and it is then attached to bronze.NAME, its CHECK constraint sparing the scan.
 * Measured on 1M rows: COPY with identity and both B-trees maintained 17.9 s, plain 7.0 s; on
 * 3M rows a GIN index took 6.1 s more as a pending list filled during COPY, 3.8 s built after.
 *
 * New partitions are written by a second connection (the worker, pgworker.h) while this one
 * writes silver, so that the server parses bronze's JSONB and stores silver at the same time.
 * The worker commits its tables before the load commits; the load makes them part of bronze
 * (ATTACH) in its own transaction, so bronze.NAME shows them with the load or not at all. A
 * load that fails after the worker committed leaves standalone tables behind: it drops them,
 * and so does the next load of the source if it could not (orphans, begin). */
struct part {
    char key[8]; /* "2026-01", or "" for the default partition */
    int is_new;
    int on_worker;      /* created and written by the worker */
    struct sl_buf copy; /* this batch's rows for it */
};

struct pg_load {
    int ts_field; /* schema field of the source timestamp, -1 if none */
    int keyed;
    struct part *parts; /* bronze partitions this load writes to */
    size_t nparts, capparts;
    int bronze_new;         /* bronze.NAME is created by this load (the worker cannot see it) */
    struct sl__pgw *worker; /* writes the new partitions, or NULL */
    int no_worker;          /* connecting one failed: this load writes all on its connection */
    int worker_committed;   /* the worker's tables are committed, standalone */
    int64_t replaced;       /* silver values with U+FFFD for what PostgreSQL cannot hold */
    struct sl_buf fix;      /* such a value */
    const char *source;
    struct sl_buf copy_bronze, copy_silver, sql_silver, sql_silver_bin, sql_upsert, err;
    size_t nfields;
    int *types; /* silver column types (enum sl_type) */
};

static void lookup_tables_reset(struct pg_db *d);
static void lookup_stmts_reset(struct pg_db *d);

/* ---- helpers -------------------------------------------------------------------------- */

static void bronze_ident(struct sl_buf *b, const char *source)
{
    sl_buf_adds(b, "bronze.");
    sql_ident(b, source);
}

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

/* SOURCE followed by suffix ("@2026-01", "_detail") as one name of at most 63 bytes, which is
 * all PostgreSQL keeps of a name: a longer one keeps the first bytes of the source and adds
 * "~" and 8 hex digits of a hash of the whole source, so that no two names become one (nor a
 * partition its table's name) when the server cuts them. */
static char *sub_name(const char *source, const char *suffix)
{
    size_t ns = strlen(source), nx = strlen(suffix);
    if (ns + nx <= 63) return sl_xasprintf("%s%s", source, suffix);
    return sl_xasprintf("%.*s~%08x%s", (int)(63 - 9 - nx), source,
                        (unsigned)(fnv1a(source, ns) & 0xffffffffu), suffix);
}

/* bronze."source@key": partitions, which cannot collide with a source name (no @ in those) */
static void bronze_sub_ident(struct sl_buf *b, const char *source, const char *key)
{
    char *at = sl_xasprintf("@%s", key), *name = sub_name(source, at);
    sl_buf_adds(b, "bronze.");
    sql_ident(b, name);
    free(name);
    free(at);
}

static void silver_ident(struct pg_db *d, struct sl_buf *b, const char *source)
{
    sql_ident(b, d->silver);
    sl_buf_addc(b, '.');
    sql_ident(b, source);
}

static int pg_error(struct pg_db *d, PGresult *r, const char *doing, struct sl_error *err)
{
    return sl__pg_error(d->c, d->where, r, doing, err);
}

/* Runs sql with text parameters; *out gets the result when rows are wanted. */
static int q(struct pg_db *d, const char *sql, int n, const char *const *params, PGresult **out,
             const char *doing, struct sl_error *err)
{
    PGresult *r = n ? PQexecParams(d->c, sql, n, NULL, params, NULL, NULL, 0) : PQexec(d->c, sql);
    ExecStatusType s = PQresultStatus(r);
    int rc = 0;

    if (out) *out = NULL;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
        rc = pg_error(d, r, doing, err);
        PQclear(r);
        return rc;
    }
    if (out)
        *out = r;
    else
        PQclear(r);
    return 0;
}

static int exec(struct pg_db *d, const char *sql, const char *doing, struct sl_error *err)
{
    return q(d, sql, 0, NULL, NULL, doing, err);
}

static char *get_str(PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : sl_xstrdup(PQgetvalue(r, row, col));
}

static int64_t get_i64(PGresult *r, int row, int col, int64_t null)
{
    return PQgetisnull(r, row, col) ? null : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

/* COPY sql FROM STDIN with data. */
static int copy_in(struct pg_db *d, const char *sql, const char *data, size_t len,
                   const char *doing, struct sl_error *err)
{
    PGresult *r = PQexec(d->c, sql);
    int rc = 0;

    if (PQresultStatus(r) != PGRES_COPY_IN) {
        rc = pg_error(d, r, doing, err);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    /* libpq sends large buffers in pieces itself */
    if ((len && PQputCopyData(d->c, data, (int)len) != 1) || PQputCopyEnd(d->c, NULL) != 1)
        rc = pg_error(d, NULL, doing, err);
    while ((r = PQgetResult(d->c))) {
        if (!rc && PQresultStatus(r) != PGRES_COMMAND_OK) rc = pg_error(d, r, doing, err);
        PQclear(r);
    }
    return rc;
}

/* ---- the catalog's dialect (catalog.h) ------------------------------------------------------ */

static int cat_run(struct sl_db *db, const char *sql, const struct sl__param *p, int n,
                   sl__row_fn row, void *ctx, int64_t *changes, const char *doing,
                   struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    char num[32][32];
    const char *v[32];
    PGresult *r;
    int rc;

    if (n > 32)
        return sl_error_set(err, SL_EINVAL, "%s: %s: more than 32 parameters", d->where, doing);
    for (int i = 0; i < n; i++) {
        v[i] = num[i];
        switch (p[i].type) {
        case SL__P_TEXT: v[i] = p[i].s; break;
        case SL__P_INT: snprintf(num[i], sizeof num[i], "%lld", (long long)p[i].i); break;
        case SL__P_REAL: snprintf(num[i], sizeof num[i], "%.17g", p[i].f); break;
        default: v[i] = NULL;
        }
    }
    if ((rc = q(d, sql, n, v, &r, doing, err))) return rc;
    for (int i = 0; row && rc == 0 && i < PQntuples(r); i++) {
        struct sl__row one = {r, i};
        rc = row(ctx, &one, err);
    }
    if (rc == 0 && changes) *changes = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return rc;
}

static const char *cat_text(const struct sl__row *r, int col)
{
    return PQgetisnull(r->res, r->i, col) ? NULL : PQgetvalue(r->res, r->i, col);
}

static int64_t cat_i64(const struct sl__row *r, int col, int64_t null)
{
    return get_i64(r->res, r->i, col, null);
}

static double cat_f64(const struct sl__row *r, int col)
{
    return PQgetisnull(r->res, r->i, col) ? 0 : strtod(PQgetvalue(r->res, r->i, col), NULL);
}

static const char *cat_where(struct sl_db *db)
{
    return ((struct pg_db *)db)->where;
}

/* ---- COPY text format ---------------------------------------------------------------------- */

static void copy_text(struct sl_buf *b, const char *p, size_t n)
{
    size_t start = 0;
    sl_buf_grow(b, n + 8);
    for (size_t i = 0; i < n; i++) {
        char e;
        switch (p[i]) {
        case '\\': e = '\\'; break;
        case '\t': e = 't'; break;
        case '\n': e = 'n'; break;
        case '\r': e = 'r'; break;
        default: continue;
        }
        sl_buf_add(b, p + start, i - start);
        sl_buf_addc(b, '\\');
        sl_buf_addc(b, e);
        start = i + 1;
    }
    sl_buf_add(b, p + start, n - start);
}

static int unhex(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10;
}

/* The 4 hex digits of a \u escape (of JSON that parsed: they are hex digits). */
static unsigned hex4(const char *p)
{
    return (unsigned)(unhex(p[0]) << 12 | unhex(p[1]) << 8 | unhex(p[2]) << 4 | unhex(p[3]));
}

/* The escapes in JSON text p that PostgreSQL's jsonb cannot hold: \u0000 and a UTF-16
 * surrogate without its other half (a pair is fine). Counts them; out (if not NULL) gets the
 * text with \ufffd in their place. */
static int64_t jsonb_unsafe(const char *p, size_t n, struct sl_buf *out)
{
    int64_t bad = 0;
    size_t i = 0, from = 0;

    while (i < n) {
        const char *e = memchr(p + i, '\\', n - i);
        if (!e || (size_t)(e - p) + 1 >= n) break;
        i = (size_t)(e - p);
        size_t len = 2; /* the escape */
        int ok = 1;
        unsigned u = 0x10000; /* not a \u escape */
        if (p[i + 1] == 'u' && i + 6 <= n) {
            u = hex4(p + i + 2);
            len = 6;
            ok = u != 0;
        }
        if (u >= 0xD800 && u <= 0xDBFF) {
            unsigned lo = i + 12 <= n && p[i + 6] == '\\' && p[i + 7] == 'u' ? hex4(p + i + 8) : 0;
            ok = lo >= 0xDC00 && lo <= 0xDFFF;
            len = ok ? 12 : 6;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            ok = 0;
        }
        if (!ok) {
            bad++;
            if (out) {
                sl_buf_add(out, p + from, i - from);
                sl_buf_adds(out, "\\ufffd");
                from = i + len;
            }
        }
        i += len;
    }
    if (out && bad) sl_buf_add(out, p + from, n - from);
    return bad;
}

/* Can PostgreSQL's jsonb hold this JSON text? */
static int jsonb_safe(const char *p, size_t n)
{
    return jsonb_unsafe(p, n, NULL) == 0;
}

/*
 * PostgreSQL's limits for one value: a varlena (text, bytea) is at most 1 GB less its 4-byte
 * header (MaxAllocSize, 2^30 - 1, less a few bytes COPY's buffer needs), and jsonb's offsets
 * and lengths have 28 bits (JENTRY_OFFLENMASK: "total size of jsonb array elements exceeds the
 * maximum of 268435455 bytes", "string too long to represent as jsonb string").
 */
#define PG_VALUE_MAX ((int64_t)(1 << 30) - 16)
#define PG_JSONB_MAX ((int64_t)0x0FFFFFFF)

/* floor(k / 4) for any sign of k: the base-10000 digit that holds decimal position k */
static int64_t group_of(int64_t k)
{
    return k >= 0 ? k / 4 : -((-k + 3) / 4);
}

/* The size of the numeric PostgreSQL makes of JSON number p[0..n) (numeric_in): a 6-byte
 * header (8 when the scale or weight is large), 2 bytes a base-10000 digit between the first
 * and the last that is not zero. -1 when numeric cannot hold it (more than 131072 digits
 * before the point, or 16383 after: "value overflows numeric format"). */
static int64_t numeric_size(const char *p, size_t n)
{
    size_t i = 0, nd = 0, int_digits = 0;
    int64_t exp = 0, first = -1, last = -1; /* first, last: indexes of non-zero digits */
    int64_t frac_digits = 0;
    int eneg = 0;

    if (i < n && p[i] == '-') i++;
    for (; i < n && p[i] >= '0' && p[i] <= '9'; i++, nd++, int_digits++)
        if (p[i] != '0') last = (int64_t)nd, first = first < 0 ? (int64_t)nd : first;
    if (i < n && p[i] == '.')
        for (i++; i < n && p[i] >= '0' && p[i] <= '9'; i++, nd++, frac_digits++)
            if (p[i] != '0') last = (int64_t)nd, first = first < 0 ? (int64_t)nd : first;
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < n && (p[i] == '+' || p[i] == '-')) eneg = p[i++] == '-';
        for (; i < n && p[i] >= '0' && p[i] <= '9'; i++)
            if (exp < 100000000) exp = exp * 10 + (p[i] - '0');
        if (eneg) exp = -exp;
    }
    int64_t dscale = frac_digits - exp; /* digits after the point numeric keeps */
    if (dscale < 0) dscale = 0;
    if (dscale > 16383) return -1;
    if (first < 0) return dscale <= 63 ? 6 : 8; /* zero */
    /* decimal position (10^k) of the first and last non-zero digits */
    int64_t hi = (int64_t)int_digits - 1 - first + exp, lo = (int64_t)int_digits - 1 - last + exp;
    if (hi >= 131072) return -1;
    int64_t weight = group_of(hi);
    int64_t digits = weight - group_of(lo) + 1;
    int shrt = dscale <= 63 && weight >= -64 && weight <= 63;
    return (shrt ? 6 : 8) + 2 * digits;
}

/*
 * jsonb's size of valid JSON text p[0..n) (PostgreSQL's convertToJsonb), at least the real one:
 * every value and key takes a 4-byte JEntry and its data (a string its decoded bytes, a number
 * its numeric, a container a 4-byte header), and numbers and containers start on a multiple of
 * 4. Inside an array the padding is followed exactly; inside an object (jsonb sorts its keys,
 * so the order of the values is not the text's) each number or container counts 3 bytes of it.
 * A key repeated in an object counts each time (jsonb keeps the last). -1 when jsonb cannot
 * hold a number of it.
 */
static int64_t jsonb_size(const char *p, size_t n)
{
    enum { DEPTH = 512 };
    unsigned char in_object[DEPTH]; /* per open container; deeper ones count as objects */
    int depth = 0, known = 1;       /* known: the offset mod 4 (off) is known */
    int64_t size = 4 + 4;           /* a root scalar is wrapped in an array of one */
    unsigned off = 0;
    size_t i = 0;

#define ALIGN()                                                                           \
    do {                                                                                  \
        size += known ? (4 - off % 4) % 4 : 3;                                            \
        off = 0;                                                                          \
        known = !(depth > 0 && depth <= DEPTH && in_object[depth - 1]) && depth <= DEPTH; \
    } while (0)

    while (i < n) {
        unsigned char c = (unsigned char)p[i];
        if (c == '"') {
            int64_t len = 0;
            for (i++; i < n && p[i] != '"'; i++, len++) {
                if (p[i] != '\\') continue;
                i++;
                if (i < n && p[i] == 'u' && i + 4 < n) {
                    unsigned u = hex4(p + i + 1);
                    i += 4;
                    /* as UTF-8: 1 to 3 bytes; a surrogate pair 4 (2 + 2 counted here) */
                    len += u < 0x80 ? 0 : u < 0x800 ? 1 : 2;
                    if (u >= 0xD800 && u <= 0xDFFF) len -= 1;
                }
            }
            i++;
            size += 4 + len;
            off += (unsigned)(len % 4);
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t j = i;
            while (j < n && (p[j] == '-' || p[j] == '+' || p[j] == '.' || p[j] == 'e' ||
                             p[j] == 'E' || (p[j] >= '0' && p[j] <= '9')))
                j++;
            int64_t m = numeric_size(p + i, j - i);
            if (m < 0) return -1;
            size += 4;
            ALIGN();
            size += m;
            off = (unsigned)(m % 4);
            i = j;
        } else if (c == '{' || c == '[') {
            size += 4;
            ALIGN();
            size += 4; /* the header; its JEntries are counted with its values */
            if (depth < DEPTH) in_object[depth] = c == '{';
            depth++;
            known = !(c == '{' || depth > DEPTH);
            off = 0;
            i++;
        } else if (c == '}' || c == ']') {
            depth--;
            known = 0; /* the parent's offset after a container is not followed */
            i++;
        } else if (c == 't' || c == 'n') {
            size += 4;
            i += 4;
        } else if (c == 'f') {
            size += 4;
            i += 5;
        } else {
            i++; /* , : and white space */
        }
    }
#undef ALIGN
    return size;
}

/* Can jsonb hold JSON text p[0..n) within its size limit? Text of up to a tenth of the limit
 * always fits (see jsonb_size), so small records are not measured. */
static int jsonb_fits(const char *p, size_t n)
{
    if ((int64_t)n * 10 + 4096 <= PG_JSONB_MAX) return 1;
    int64_t size = jsonb_size(p, n);
    return size >= 0 && size <= PG_JSONB_MAX;
}

/*
 * PostgreSQL's text and jsonb cannot hold U+0000, nor jsonb a lone surrogate: a silver value of
 * a column of type col with one gets U+FFFD in its place, counted in *replaced (the load then
 * says so; bronze keeps the record as received, in raw_bytes). The value to store: p itself,
 * or fix's contents.
 */
static const char *pg_storable(int col, const char *p, size_t *n, struct sl_buf *fix,
                               int64_t *replaced)
{
    int64_t k = 0;

    sl_buf_reset(fix);
    if (col == SL_TYPE_OBJECT || col == SL_TYPE_ARRAY) {
        k = jsonb_unsafe(p, *n, fix);
    } else if (memchr(p, 0, *n)) {
        for (size_t i = 0; i < *n; i++)
            if (p[i]) {
                sl_buf_addc(fix, p[i]);
            } else {
                sl_buf_add(fix, "\xef\xbf\xbd", 3);
                k++;
            }
    }
    if (!k) return p;
    *replaced += k;
    *n = fix->len;
    return fix->p;
}

/* ---- source timestamps ----------------------------------------------------------------------- */

/*
 * An ISO 8601 date or date-time (the one parser, sl_time_parse: what the schema accepts) as the
 * UTC instant in seconds and microseconds (truncated). Anything else: -1 (the row goes to the
 * default partition). Computing the instant here, not in the server, makes the month of the
 * partition and the value that is routed to it agree.
 */
static int ts_parse(const char *p, size_t n, int64_t *secs, int *usec)
{
    struct sl_datetime d;
    if (sl_time_parse(
            p, n, SL_ISO_DATETIME | SL_ISO_DATE_ONLY_OK | SL_ISO_SHORT_TIME | SL_ISO_OFFSET, &d))
        return -1;
    *secs = sl_time_epoch(&d, usec);
    return 0;
}

/* A source timestamp as PostgreSQL's timestamptz (microseconds since 2000-01-01 UTC) and the
 * UTC month "YYYY-MM" of its partition; -1 when it is not one (years 1 to 9999). */
static int ts_utc(const char *p, size_t n, int64_t *pg_usec, char month[8])
{
    int64_t t, days, yy;
    int usec, m2, d2;

    if (ts_parse(p, n, &t, &usec)) return -1;
    days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    sl_civil_from_days(days, &yy, &m2, &d2);
    if (yy < 1 || yy > 9999) return -1;
    *pg_usec = (t - (int64_t)PG_EPOCH_DAYS * 86400) * 1000000 + usec;
    snprintf(month, 8, "%04lld-%02d", (long long)yy, m2);
    return 0;
}

/* ---- COPY binary format (silver) ---------------------------------------------------------- */

/*
 * Both layers travel in COPY's binary format: measured on 1M rows of 6 typed columns, the
 * server takes ~35% less time for silver in binary than in text (no number or date parsing);
 * for bronze's 3M flights rows 6.0 s against 6.8 s (jsonb parses its JSON text either way, but
 * the numbers and the escaping of the raw record go).
 */

/* Room for n more bytes (and the NUL): the writers below run a few times per value, so they
 * fill the buffer in place rather than call sl_buf_add (measured: an eighth of the client's
 * time went to sl_buf_add's calls for 4 bytes each). */
static inline char *room(struct sl_buf *b, size_t n)
{
    if (b->len + n + 1 > b->cap) sl_buf_grow(b, n);
    char *o = b->p + b->len;
    b->len += n;
    b->p[b->len] = 0;
    return o;
}

static inline void put32(char *o, uint32_t v)
{
    o[0] = (char)(v >> 24);
    o[1] = (char)(v >> 16);
    o[2] = (char)(v >> 8);
    o[3] = (char)v;
}

static void be16(struct sl_buf *b, uint16_t v)
{
    char *o = room(b, 2);
    o[0] = (char)(v >> 8);
    o[1] = (char)v;
}

static void be32(struct sl_buf *b, uint32_t v)
{
    put32(room(b, 4), v);
}

static void be64(struct sl_buf *b, uint64_t v)
{
    char *o = room(b, 8);
    put32(o, (uint32_t)(v >> 32));
    put32(o + 4, (uint32_t)v);
}

static void bin_i64(struct sl_buf *b, int64_t v)
{
    char *o = room(b, 12);
    put32(o, 8);
    put32(o + 4, (uint32_t)((uint64_t)v >> 32));
    put32(o + 8, (uint32_t)v);
}

static void bin_f64(struct sl_buf *b, double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    be32(b, 8);
    be64(b, u);
}

static void bin_text(struct sl_buf *b, const char *p, size_t n)
{
    char *o = room(b, 4 + n);
    put32(o, (uint32_t)n);
    memcpy(o + 4, p, n);
}

static void bin_null(struct sl_buf *b)
{
    be32(b, 0xffffffffu);
}

/* jsonb in binary: a version byte, then the JSON text */
static void bin_jsonb(struct sl_buf *b, const char *p, size_t n)
{
    char *o = room(b, 5 + n);
    put32(o, (uint32_t)n + 1);
    o[4] = 1;
    memcpy(o + 5, p, n);
}

static void copy_bin_header(struct sl_buf *b)
{
    sl_buf_add(b, "PGCOPY\n\377\r\n\0", 11);
    be32(b, 0); /* flags */
    be32(b, 0); /* header extension */
}

/* hh:mm[:ss[.ffffff]] as microseconds since midnight, or -1 */
static int64_t time_usec(const char *p, size_t n)
{
    struct sl_datetime d;
    int us;
    if (sl_time_parse(p, n, SL_ISO_TIME | SL_ISO_SHORT_TIME, &d)) return -1;
    return sl_time_epoch(&d, &us) * 1000000 + us;
}

/* One value for a column of PostgreSQL type col (enum sl_type of the silver field); -1 when
 * this value cannot be said in binary (the batch then goes as text, which the server parses). */
static int bin_value(struct sl_buf *b, int col, const struct sl_value *v, struct pg_load *L,
                     int64_t *replaced)
{
    char t[40];
    int64_t secs;
    int usec;

    if (!v || v->type == SL_V_NULL) {
        bin_null(b);
        return 0;
    }
    switch (col) {
    case SL_TYPE_INTEGER:
    case SL_TYPE_YEAR:
        if (v->type != SL_V_INT) return -1;
        bin_i64(b, v->u.i);
        return 0;
    case SL_TYPE_NUMBER:
        if (v->type == SL_V_INT) {
            bin_f64(b, (double)v->u.i);
            return 0;
        }
        if (v->type != SL_V_REAL) return -1; /* NaN and infinities arrive as text */
        bin_f64(b, v->u.d);
        return 0;
    case SL_TYPE_BOOLEAN:
        if (v->type != SL_V_BOOL && v->type != SL_V_INT) return -1;
        be32(b, 1);
        sl_buf_addc(b, v->u.i ? 1 : 0);
        return 0;
    case SL_TYPE_DATE: {
        struct sl_datetime d;
        if (v->type != SL_V_TEXT || sl_time_parse(v->u.s, v->len, SL_ISO_DATE, &d)) return -1;
        be32(b, 4);
        be32(b, (uint32_t)(int32_t)(sl_days_from_civil(d.year, d.month, d.day) - PG_EPOCH_DAYS));
        return 0;
    }
    case SL_TYPE_DATETIME:
        if (v->type != SL_V_TEXT || ts_parse(v->u.s, v->len, &secs, &usec)) return -1;
        bin_i64(b, (secs - (int64_t)PG_EPOCH_DAYS * 86400) * 1000000 + usec);
        return 0;
    case SL_TYPE_TIME: {
        int64_t us;
        if (v->type != SL_V_TEXT || (us = time_usec(v->u.s, v->len)) < 0) return -1;
        bin_i64(b, us);
        return 0;
    }
    case SL_TYPE_OBJECT:
    case SL_TYPE_ARRAY: {
        size_t n = v->len;
        const char *p;
        if (v->type != SL_V_TEXT) return -1;
        p = pg_storable(col, v->u.s, &n, &L->fix, replaced);
        bin_jsonb(b, p, n);
        return 0;
    }
    default: /* TEXT */
        switch (v->type) {
        case SL_V_TEXT: {
            size_t n = v->len;
            const char *p = pg_storable(col, v->u.s, &n, &L->fix, replaced);
            bin_text(b, p, n);
            return 0;
        }
        case SL_V_INT: {
            int k = snprintf(t, sizeof t, "%lld", (long long)v->u.i);
            bin_text(b, t, (size_t)k);
            return 0;
        }
        case SL_V_BOOL: bin_text(b, v->u.i ? "true" : "false", v->u.i ? 4 : 5); return 0;
        case SL_V_REAL: {
            struct sl_buf n = SL_BUF_INIT;
            sl_buf_json_double(&n, v->u.d);
            bin_text(b, n.p, n.len);
            sl_buf_free(&n);
            return 0;
        }
        default: return -1;
        }
    }
}

/* ---- open / close ------------------------------------------------------------------------ */

static void pg_close(struct sl_db *db)
{
    struct pg_db *d = (struct pg_db *)db;
    if (!d) return;
    lookup_tables_reset(d);
    for (unsigned i = 0; i < 8; i++) free(d->pstmts[i].sql);
    if (d->c) sl_pg_pool_release(d->pool, d->c, 0);
    sl_pg_pool_free(d->pool);
    free(d->where);
    free(d->silver);
    free(d->locked);
    free(d->base.url);
    free(d);
}

static int int_param(const char *url, const char *key, const char *v, int *out,
                     struct sl_error *err)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < 0 || n > 100000000)
        return sl_error_set(err, SL_ECONFIG, "%s: %s=%s: expected a number", url, key, v);
    *out = (int)n;
    return 0;
}

static int bool_param(const char *where, const char *key, const char *v, int *out,
                      struct sl_error *err)
{
    if (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "1"))
        *out = 1;
    else if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "0"))
        *out = 0;
    else
        return sl_error_set(err, SL_ECONFIG, "%s: %s=%s: expected on or off", where, key, v);
    return 0;
}

/* A query value with its %XX escapes decoded (as libpq decodes the values it reads); -1 when
 * one decodes to a NUL byte, which no name can hold. */
static int pct_decode(const char *v, char **out)
{
    struct sl_buf b = SL_BUF_INIT;
    for (; *v; v++) {
        if (*v == '%' && isxdigit((unsigned char)v[1]) && isxdigit((unsigned char)v[2])) {
            char hex[3] = {v[1], v[2], 0};
            char c = (char)strtol(hex, NULL, 16);
            if (!c) {
                sl_buf_free(&b);
                *out = NULL;
                return -1;
            }
            sl_buf_addc(&b, c);
            v += 2;
        } else {
            sl_buf_addc(&b, *v);
        }
    }
    *out = b.p ? sl_buf_detach(&b) : sl_xstrdup("");
    return 0;
}

/* silver_schema may not be a schema of the catalog (sluice, bronze) nor of the server
 * (pg_*, information_schema): silver tables there would be dropped and replaced by rebuild
 * and rollback. Compared without case, so that no spelling of these names is taken. */
static int silver_schema_check(const char *where, const char *v, struct sl_error *err)
{
    struct sl_buf shown = SL_BUF_INIT;
    int rc = 0;

    sl_buf_add_printable(&shown, v, strlen(v));
    if (!*v || strlen(v) > 63)
        rc = sl_error_set(err, SL_ECONFIG, "%s: silver_schema: 1 to 63 bytes (got %zu)", where,
                          strlen(v));
    else if (!strcasecmp(v, "sluice") || !strcasecmp(v, "bronze") || !strncasecmp(v, "pg_", 3) ||
             !strcasecmp(v, "information_schema"))
        rc = sl_error_set(err, SL_ECONFIG,
                          "%s: silver_schema=%s is reserved: sluice keeps its catalog in schemas "
                          "sluice and bronze, and PostgreSQL its own in pg_* and "
                          "information_schema; choose another schema (default public)",
                          where, shown.p);
    sl_buf_free(&shown);
    return rc;
}

/*
 * Splits the URL's query parameters: sluice's own (silver_schema, bronze_gin, parallel,
 * pool_size, statement_timeout, connect_retries, retry_backoff) set d and o; the others stay
 * for libpq.
 */
static int parse_url(struct pg_db *d, const char *url, struct sl_pg_pool_opts *o, char **conninfo,
                     struct sl_error *err)
{
    const char *qm = strchr(url, '?');
    struct sl_buf ci = SL_BUF_INIT;
    char *params = qm ? sl_xstrdup(qm + 1) : NULL, *save = NULL;
    int rc = 0, has_timeout = 0, nparams = 0;

    sl_buf_add(&ci, url, qm ? (size_t)(qm - url) : strlen(url));
    /* postgres:// is libpq's too; "where" hides the password (which may hold a '?': masked
     * first, then cut at the query) */
    {
        char *shown = sl_url_redact(url);
        shown[strcspn(shown, "?")] = 0;
        d->where = shown;
    }
    for (char *kv = params ? strtok_r(params, "&", &save) : NULL; kv && !rc;
         kv = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(kv, '=');
        const char *v = eq ? eq + 1 : "";
        if (eq) *eq = 0;
        if (!strcmp(kv, "silver_schema")) {
            char *dec = NULL;
            if (pct_decode(v, &dec) < 0)
                rc = sl_error_set(err, SL_ECONFIG, "%s: silver_schema: %%00 is not allowed",
                                  d->where);
            else
                rc = silver_schema_check(d->where, dec, err);
            free(d->silver);
            d->silver = dec ? dec : sl_xstrdup("public");
        } else if (!strcmp(kv, "bronze_gin")) {
            rc = bool_param(d->where, kv, v, &d->gin, err);
        } else if (!strcmp(kv, "parallel")) {
            rc = bool_param(d->where, kv, v, &d->parallel, err);
        } else if (!strcmp(kv, "pool_size")) {
            rc = int_param(d->where, kv, v, &o->size, err);
        } else if (!strcmp(kv, "statement_timeout")) {
            rc = int_param(d->where, kv, v, &o->statement_timeout_ms, err);
        } else if (!strcmp(kv, "connect_retries")) {
            rc = int_param(d->where, kv, v, &o->connect_retries, err);
        } else if (!strcmp(kv, "retry_backoff")) {
            rc = int_param(d->where, kv, v, &o->backoff_ms, err);
        } else {
            if (!strcmp(kv, "connect_timeout")) has_timeout = 1;
            sl_buf_addf(&ci, "%c%s=%s", nparams++ ? '&' : '?', kv, v);
        }
    }
    if (!has_timeout) sl_buf_addf(&ci, "%cconnect_timeout=10", nparams++ ? '&' : '?');
    sl_buf_adds(&ci, "&client_encoding=UTF8&application_name=sluice");
    free(params);
    *conninfo = sl_buf_detach(&ci);
    if (rc == 0) {
        /* a URL libpq cannot read fails now, with libpq's reason, instead of after the
         * connection retries (its message may echo the URL: sl_error_set masks secrets) */
        char *why = NULL;
        PQconninfoOption *opts = PQconninfoParse(*conninfo, &why);
        if (!opts) {
            size_t n = why ? strcspn(why, "\n") : 0;
            rc = sl_error_set(err, SL_ECONFIG, "%s: not a valid PostgreSQL URL: %.*s", d->where,
                              (int)n, why ? why : "out of memory");
        }
        PQconninfoFree(opts);
        PQfreemem(why);
    }
    return rc;
}

/* Reads the applied migrations; checks checksums and versions. */
static int pg_migrate(struct pg_db *d, struct sl_error *err)
{
    PGresult *r = NULL;
    size_t n = sl__migrations_count();
    int rc, latest = sl__migrations_latest();

    rc = exec(d,
              "BEGIN; SELECT pg_advisory_xact_lock(1936483173, 1); "
              "CREATE SCHEMA IF NOT EXISTS sluice; CREATE SCHEMA IF NOT EXISTS bronze; "
              "CREATE TABLE IF NOT EXISTS sluice.migrations(version INTEGER PRIMARY KEY, "
              "name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)",
              "preparing the catalog", err);
    if (rc < 0) goto out;
    rc = q(d, "SELECT version, name, checksum FROM sluice.migrations ORDER BY version", 0, NULL, &r,
           "reading sluice.migrations", err);
    if (rc < 0) goto out;
    for (int k = 0; rc == 0 && k < PQntuples(r); k++)
        if (atoi(PQgetvalue(r, k, 0)) > latest)
            rc = sl_error_set(err, SL_EDB,
                              "%s: this database was written by a newer sluice (schema version "
                              "%s; this sluice knows up to %d)",
                              d->where, PQgetvalue(r, k, 0), latest);
    for (size_t i = 0; i < n && rc == 0; i++) {
        int version, found = 0;
        const char *name, *sql;
        char sum[65], vs[16], now[40];
        sl__migration_get(i, SL__DIALECT_PG, &version, &name, &sql);
        sl_sha256_hex(sql, strlen(sql), sum);
        for (int k = 0; k < PQntuples(r) && !found; k++) {
            if (atoi(PQgetvalue(r, k, 0)) != version) continue;
            found = 1;
            if (strcmp(PQgetvalue(r, k, 2), sum))
                rc = sl_error_set(err, SL_EDB,
                                  "%s: migration %d (%s) was changed after it was applied",
                                  d->where, version, name);
        }
        if (found || rc) continue;
        rc = exec(d, sql, "applying a catalog migration", err);
        if (rc < 0) {
            sl_error_prefix(err, "migration %d (%s)", version, name);
            break;
        }
        snprintf(vs, sizeof vs, "%d", version);
        sl_time_iso(sl_now(), now, sizeof now);
        const char *p[] = {vs, name, sum, now};
        rc = q(d,
               "INSERT INTO sluice.migrations(version, name, checksum, applied_at) "
               "VALUES($1, $2, $3, $4)",
               4, p, NULL, "recording a migration", err);
    }
    if (rc == 0) {
        struct sl_buf sql = SL_BUF_INIT;
        sl_buf_adds(&sql, "CREATE SCHEMA IF NOT EXISTS ");
        sql_ident(&sql, d->silver);
        /* a schema that exists but we may not create in: fine as long as tables can be made */
        if (strcmp(d->silver, "public")) rc = exec(d, sql.p, "creating the silver schema", err);
        sl_buf_free(&sql);
    }
    if (rc == 0) rc = exec(d, "COMMIT", "committing the catalog migration", err);
out:
    PQclear(r);
    if (rc < 0 && PQtransactionStatus(d->c) != PQTRANS_IDLE) PQclear(PQexec(d->c, "ROLLBACK"));
    return rc;
}

/* A read command's open: the session is made read-only, and the catalog is checked without
 * creating anything (sluice.h's SL_STORE_OPEN_READ_ONLY). */
static int pg_check_catalog(struct pg_db *d, struct sl_error *err)
{
    PGresult *r = NULL;
    int rc, latest = sl__migrations_latest();
    size_t missing = 0;

    rc = exec(d, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", "opening read-only", err);
    if (rc == 0)
        rc = q(d, "SELECT to_regclass('sluice.migrations') IS NOT NULL", 0, NULL, &r,
               "reading the catalog", err);
    if (rc < 0) goto out;
    if (strcmp(PQgetvalue(r, 0, 0), "t")) {
        rc = sl_error_set(err, SL_ENOTFOUND,
                          "%s is not a sluice store (the database has no sluice catalog); "
                          "it was left as it is",
                          d->where);
        goto out;
    }
    PQclear(r);
    r = NULL;
    rc = q(d, "SELECT version, checksum FROM sluice.migrations ORDER BY version", 0, NULL, &r,
           "reading sluice.migrations", err);
    if (rc < 0) goto out;
    for (int k = 0; rc == 0 && k < PQntuples(r); k++)
        if (atoi(PQgetvalue(r, k, 0)) > latest)
            rc = sl_error_set(err, SL_EDB,
                              "%s: this database was written by a newer sluice (schema version "
                              "%s; this sluice knows up to %d)",
                              d->where, PQgetvalue(r, k, 0), latest);
    for (size_t i = 0; i < sl__migrations_count() && rc == 0; i++) {
        int version, found = 0;
        const char *name, *sql;
        char sum[65];
        sl__migration_get(i, SL__DIALECT_PG, &version, &name, &sql);
        sl_sha256_hex(sql, strlen(sql), sum);
        for (int k = 0; k < PQntuples(r) && !found; k++) {
            if (atoi(PQgetvalue(r, k, 0)) != version) continue;
            found = 1;
            if (strcmp(PQgetvalue(r, k, 1), sum))
                rc = sl_error_set(err, SL_EDB,
                                  "%s: migration %d (%s) was changed after it was applied",
                                  d->where, version, name);
        }
        missing += !found;
    }
    if (rc == 0 && missing)
        rc = sl_error_set(err, SL_EINVAL,
                          "%s: the catalog was written by an older sluice (%zu migration%s to "
                          "apply); `sluice migrate up` (or a load) brings it up to date",
                          d->where, missing, missing == 1 ? "" : "s");
out:
    PQclear(r);
    return rc;
}

static int pg_open(const char *url, struct sl_db **out, struct sl_error *err)
{
    struct pg_db *d = sl_xcalloc(1, sizeof *d);
    struct sl_pg_pool_opts o = {.size = 4, .connect_retries = 5, .backoff_ms = 200};
    char *conninfo = NULL;
    int rc;

    *out = NULL;
    d->base.store = &sl_store_postgres;
    d->base.url = sl_xstrdup(url);
    d->silver = sl_xstrdup("public");
    d->gin = 1;
    d->parallel = 1;
    rc = parse_url(d, url, &o, &conninfo, err);
    if (rc < 0) goto out;
    d->pool = sl_pg_pool_new(conninfo, &o);
    d->c = sl_pg_pool_acquire(d->pool, err);
    if (!d->c) {
        sl_error_prefix(err, "%s", d->where);
        rc = err->code == SL_ECONFIG ? SL_ECONFIG : SL_EDB;
        goto out;
    }
    d->read_only = (sl__open_flags & SL_STORE_OPEN_READ_ONLY) != 0;
    if (!d->read_only && (sl__open_flags & SL_STORE_OPEN_EXISTING)) {
        PGresult *r = NULL;
        rc = q(d, "SELECT to_regclass('sluice.migrations') IS NOT NULL", 0, NULL, &r,
               "reading the catalog", err);
        if (rc == 0 && strcmp(PQgetvalue(r, 0, 0), "t"))
            rc = sl_error_set(err, SL_ENOTFOUND,
                              "%s is not a sluice store (the database has no sluice catalog); "
                              "it was left as it is",
                              d->where);
        PQclear(r);
        if (rc < 0) goto out;
    }
    if (d->read_only)
        rc = pg_check_catalog(d, err);
    else if (!(sl__open_flags & SL_STORE_OPEN_NO_MIGRATE))
        rc = pg_migrate(d, err);
out:
    free(conninfo);
    if (rc < 0)
        pg_close(&d->base);
    else
        *out = &d->base;
    return rc;
}

/* Between loads a lost connection is replaced (the pool retries with backoff); inside a
 * load's transaction it is not: that load fails. */
static int ensure_conn(struct pg_db *d, struct sl_error *err)
{
    if (d->c && PQstatus(d->c) == CONNECTION_OK) return 0;
    if (d->open_load)
        return sl_error_set(err, SL_EDB, "%s: the connection to the server was lost", d->where);
    if (d->c) sl_pg_pool_release(d->pool, d->c, 1);
    free(d->locked); /* a session lock dies with its session */
    d->locked = NULL;
    d->c = sl_pg_pool_acquire(d->pool, err);
    if (!d->c) {
        sl_error_prefix(err, "%s", d->where);
        return SL_EDB;
    }
    return 0;
}

static int cat_ready(struct sl_db *db, struct sl_error *err)
{
    return ensure_conn((struct pg_db *)db, err);
}

static const struct sl__dialect pg_dialect = {
    .tables = "sluice.",
    .param = '$',
    .casts = 1,
    .bytewise = " COLLATE \"C\"",
    /* sequences are not rolled back: a load recorded again after its transaction was rolled
     * back keeps its id, as in SQLite */
    .load_id = "coalesce($32::bigint, nextval(pg_get_serial_sequence('@loads', 'load')))",
    .run = cat_run,
    .text = cat_text,
    .i64 = cat_i64,
    .f64 = cat_f64,
    .where = cat_where,
    .ready = cat_ready,
};

/* ---- the per-source lock ------------------------------------------------------------------- */

static void unlock_source(struct pg_db *d)
{
    if (!d->locked) return;
    if (PQstatus(d->c) == CONNECTION_OK) {
        const char *p[] = {d->locked};
        PQclear(PQexecParams(d->c, "SELECT pg_advisory_unlock(1936483173, hashtext(lower($1)))", 1,
                             NULL, p, NULL, NULL, 0));
    }
    free(d->locked);
    d->locked = NULL;
}

static int lock_source(struct pg_db *d, const char *source, struct sl_error *err)
{
    const char *p[] = {source};
    PGresult *r = NULL;
    int rc;

    if (d->locked && !strcmp(d->locked, source)) return 0;
    unlock_source(d);
    /* lower(): names that differ only by case are one source to wait for (see begin_load) */
    rc = q(d, "SELECT pg_try_advisory_lock(1936483173, hashtext(lower($1)))", 1, p, &r,
           "locking the source", err);
    if (rc < 0) return rc;
    if (strcmp(PQgetvalue(r, 0, 0), "t")) {
        sl_log(SL_LOG_INFO, "%s: waiting for another load of this source to finish", source);
        PQclear(r);
        r = NULL;
        rc = q(d, "SELECT pg_advisory_lock(1936483173, hashtext(lower($1)))", 1, p, NULL,
               "waiting for the source's lock", err);
        if (rc < 0) return rc;
    }
    PQclear(r);
    d->locked = sl_xstrdup(source);
    return 0;
}

/* ---- catalog queries -------------------------------------------------------------------- */

static int pg_source_state(struct sl_db *db, const char *source, struct sl_source_state *out,
                           struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = ensure_conn(d, err))) return rc;
    /* Loads of one source take turns from here to their end: the second one waits, then sees
     * what the first one committed. */
    if ((rc = lock_source(d, source, err))) return rc;
    return sl__cat_source_state(db, source, out, err);
}

static int pg_silver_rows(struct sl_db *db, const char *source, int64_t *n, struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct sl_buf sql = SL_BUF_INIT;
    PGresult *r;
    int rc;

    *n = 0;
    if ((rc = ensure_conn(d, err))) return rc;
    sl_buf_adds(&sql, "SELECT count(*) FROM ");
    silver_ident(d, &sql, source);
    rc = q(d, sql.p, 0, NULL, &r, "counting silver rows", err);
    sl_buf_free(&sql);
    if (rc < 0) return rc;
    *n = get_i64(r, 0, 0, 0);
    PQclear(r);
    return 0;
}

/* ---- loads: tables ------------------------------------------------------------------------ */

static const char *pg_type(int type)
{
    switch (type) {
    case SL_TYPE_BOOLEAN: return "BOOLEAN";
    case SL_TYPE_INTEGER:
    case SL_TYPE_YEAR: return "BIGINT";
    case SL_TYPE_NUMBER: return "DOUBLE PRECISION";
    case SL_TYPE_DATE: return "DATE";
    case SL_TYPE_DATETIME: return "TIMESTAMPTZ";
    case SL_TYPE_TIME: return "TIME";
    case SL_TYPE_OBJECT:
    case SL_TYPE_ARRAY: return "JSONB";
    default: return "TEXT";
    }
}

static int relation_exists(struct pg_db *d, const char *qualified, struct sl_error *err)
{
    const char *p[] = {qualified};
    PGresult *r;
    int rc = q(d, "SELECT to_regclass($1) IS NOT NULL", 1, p, &r, "reading the tables", err);
    if (rc < 0) return rc;
    rc = !strcmp(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
    return rc;
}

/* The columns of a bronze table, in parentheses. A partition made by the worker for a bronze
 * table this load creates cannot copy it (LIKE): both come from here, the CHECK's name too, as
 * ATTACH wants the partition to have the parent's constraints by name. */
static void bronze_columns(struct sl_buf *b, const char *extra)
{
    /* raw_id: load_id * 2^32 + row_num, unique without a sequence (a sequence's nextval per
     * row cost ~40% of a plain COPY) */
    sl_buf_adds(b, "(raw_id BIGINT NOT NULL, load_id BIGINT NOT NULL, "
                   "row_num BIGINT NOT NULL, line BIGINT, byte_offset BIGINT, "
                   "source_timestamp TIMESTAMPTZ, validation_status TEXT NOT NULL, errors JSONB, "
                   "raw_data JSONB, raw_bytes BYTEA, "
                   "ingested_at TIMESTAMPTZ NOT NULL DEFAULT now(), "
                   "CONSTRAINT sluice_validation_status "
                   "CHECK (validation_status IN ('valid','warning','invalid'))");
    if (extra) {
        sl_buf_adds(b, ", ");
        sl_buf_adds(b, extra);
    }
    sl_buf_addc(b, ')');
}

/* The GIN index of a bronze table: jsonb_path_ops answers containment (@>) with a smaller
 * index. Rows of later loads go to its pending list (a cheap append; autovacuum merges it):
 * measured on 1M rows, COPY took 46 s with a GIN index merged as rows arrive, 13 s with the
 * large pending list, 8 s without the index. */
static void bronze_gin(struct sl_buf *b, const char *table, const char *iname)
{
    sl_buf_adds(b, "CREATE INDEX ");
    if (iname) sql_ident(b, iname);
    sl_buf_adds(b, " ON ");
    sl_buf_adds(b, table);
    sl_buf_adds(b, " USING gin (raw_data jsonb_path_ops) WITH (fastupdate = on, "
                   "gin_pending_list_limit = 2097151); ");
}

/* The B-tree on a bronze table's timestamps (partial: the default partition's stays empty). */
static void ts_index(struct sl_buf *b, const char *table, const char *iname)
{
    sl_buf_adds(b, "CREATE INDEX ");
    if (iname) sql_ident(b, iname);
    sl_buf_addf(b, " ON %s (source_timestamp) WHERE source_timestamp IS NOT NULL; ", table);
}

/*
 * Can source have bronze.SOURCE and its view bronze.SOURCE_detail? 1 when its table exists, 0
 * when both names are free, SL_EINVAL when another source has one of them: sources X and
 * X_detail cannot both be in a PostgreSQL store (X's view is named like X_detail's table).
 */
static int bronze_names_free(struct pg_db *d, const char *source, struct sl_error *err)
{
    char *view = sub_name(source, "_detail");
    const char *p[] = {source, view};
    PGresult *r = NULL;
    char kind = 0, view_kind = 0;
    const char *owner = "";
    int rc = q(d,
               "SELECT c.relname = $1, c.relkind, coalesce((SELECT t.relname FROM pg_index i "
               "JOIN pg_class t ON t.oid = i.indrelid WHERE i.indexrelid = c.oid), '') "
               "FROM pg_class c JOIN pg_namespace n ON "
               "n.oid = c.relnamespace WHERE n.nspname = 'bronze' AND c.relname IN ($1, $2)",
               2, p, &r, "reading the tables", err);
    if (rc < 0) goto out;
    for (int i = 0; i < PQntuples(r); i++) {
        if (!strcmp(PQgetvalue(r, i, 0), "t")) {
            kind = PQgetvalue(r, i, 1)[0];
            owner = PQgetvalue(r, i, 2);
        } else {
            view_kind = PQgetvalue(r, i, 1)[0];
        }
    }
    if (kind && kind != 'v' && kind != 'p' && kind != 'r') {
        /* a store made before indexes were named SOURCE@...: PostgreSQL named one like this */
        rc = sl_error_set(err, SL_EINVAL,
                          "source '%s': bronze.%s is the name of %s%s in the store; a PostgreSQL "
                          "store cannot also have a source of that name: load under another "
                          "name (--source)",
                          source, source, *owner ? "an index of table bronze." : "another object",
                          owner);
    } else if (kind == 'v') {
        size_t n = strlen(source), k = strlen("_detail");
        n = n > k && !strcmp(source + n - k, "_detail") ? n - k : n;
        rc = sl_error_set(err, SL_EINVAL,
                          "source '%s': bronze.%s is the view of source '%.*s' (its bronze rows "
                          "with their loads); sources X and X_detail cannot both be in a "
                          "PostgreSQL store: load under another name (--source)",
                          source, source, (int)n, source);
    } else if (kind) {
        rc = 1;
    } else if (view_kind && view_kind != 'v') {
        rc = sl_error_set(err, SL_EINVAL,
                          "source '%s': its view bronze.%s would take the name of source '%s''s "
                          "bronze table; sources X and X_detail cannot both be in a PostgreSQL "
                          "store: load under another name (--source)",
                          source, view, view);
    }
out:
    PQclear(r);
    free(view);
    return rc;
}

/* bronze.SOURCE, unless it exists (*created = 0). */
static int create_bronze(struct pg_db *d, const char *source, int *created, struct sl_error *err)
{
    struct sl_buf sql = SL_BUF_INIT, name = SL_BUF_INIT;
    char *gin = NULL, *ts = NULL, *ld = NULL;
    int rc;

    *created = 0;
    bronze_ident(&name, source);
    rc = bronze_names_free(d, source, err);
    if (rc != 0) goto out; /* exists (1), taken (< 0), or an error */
    *created = 1;
    sl_buf_adds(&sql, "CREATE TABLE ");
    sl_buf_adds(&sql, name.p);
    bronze_columns(&sql, NULL);
    sl_buf_adds(&sql, " PARTITION BY RANGE (source_timestamp); ");
    /* the table's indexes are named SOURCE@...: a name PostgreSQL would choose
     * (SOURCE_raw_data_idx) could be another source's name (partitions' indexes have an @ in their
     * names anyway) */
    gin = sub_name(source, "@gin");
    ts = sub_name(source, "@ts");
    ld = sub_name(source, "@load");
    if (d->gin) bronze_gin(&sql, name.p, gin);
    ts_index(&sql, name.p, ts);
    sl_buf_adds(&sql, "CREATE INDEX ");
    sql_ident(&sql, ld);
    sl_buf_adds(&sql, " ON ");
    sl_buf_adds(&sql, name.p);
    sl_buf_adds(&sql, " (load_id, row_num); CREATE VIEW ");
    {
        char *v = sub_name(source, "_detail");
        sl_buf_adds(&sql, "bronze.");
        sql_ident(&sql, v);
        free(v);
    }
    sl_buf_adds(&sql, " AS SELECT b.*, l.source, l.run, l.input, l.input_size, l.sha256, "
                      "l.format, l.compression, l.encoding, l.started AS load_started, "
                      "l.finished AS load_finished, l.seconds AS load_seconds, "
                      "l.sluice_version FROM ");
    sl_buf_adds(&sql, name.p);
    sl_buf_adds(&sql, " b JOIN sluice.loads l ON l.load = b.load_id");
    rc = exec(d, sql.p, "creating the bronze table", err);
out:
    free(gin);
    free(ts);
    free(ld);
    sl_buf_free(&sql);
    sl_buf_free(&name);
    return rc < 0 ? rc : 0;
}

/* The first instant of month key ("YYYY-MM") or, next, of the month after it, as SQL. */
static void month_start(struct sl_buf *b, const char *key, int next)
{
    int y = atoi(key), m = atoi(key + 5);
    if (next) {
        y += m == 12;
        m = m == 12 ? 1 : m + 1;
    }
    sl_buf_addf(b, "'%04d-%02d-01 00:00:00+00'", y, m);
}

/* The worker of the load: started with its first new partition, on a second connection of the
 * pool when one is free (otherwise this connection does all). */
static struct sl__pgw *load_worker(struct pg_db *d, struct pg_load *L)
{
    struct sl_pg_pool_stats st;
    struct sl_error e = {0, ""};
    PGconn *c;

    if (L->worker || L->no_worker || !d->parallel) return L->worker;
    sl_pg_pool_stats(d->pool, &st);
    if (st.in_use >= st.size) return NULL; /* the next partition may find one free */
    if (!(c = sl_pg_pool_try_acquire(d->pool, &e))) {
        sl_log(SL_LOG_DEBUG, "%s: no second connection (%s): one writes all", d->where, e.msg);
        L->no_worker = 1; /* not again for every partition */
        return NULL;
    }
    L->worker = sl__pgw_start(c, d->where);
    if (!L->worker) {
        sl_pg_pool_release(d->pool, c, 0);
        return NULL;
    }
    /* an error shows at the worker's next statement */
    (void)sl__pgw_exec(L->worker, "BEGIN", "starting the bronze writer", &e);
    return L->worker;
}

/* The partition for key ("YYYY-MM" or "" for rows without a timestamp): its index in L->parts.
 * One that does not exist yet is created standalone (attached at commit, attach_parts), by the
 * worker when there is one. */
static long ensure_part(struct pg_db *d, struct pg_load *L, const char *key, struct sl_error *err)
{
    struct sl_buf sql = SL_BUF_INIT, name = SL_BUF_INIT, check = SL_BUF_INIT;
    struct sl__pgw *w = NULL;
    struct part *pt;
    int rc;

    for (size_t i = 0; i < L->nparts; i++)
        if (!strcmp(L->parts[i].key, key)) return (long)i;
    bronze_sub_ident(&name, L->source, key[0] ? key : "default");
    rc = relation_exists(d, name.p, err);
    if (rc < 0) goto out;
    if (rc == 0) {
        sl_buf_adds(&check, "CHECK (");
        if (key[0]) {
            sl_buf_adds(&check, "source_timestamp IS NOT NULL AND source_timestamp >= ");
            month_start(&check, key, 0);
            sl_buf_adds(&check, " AND source_timestamp < ");
            month_start(&check, key, 1);
        } else {
            /* only rows without a timestamp: adding a month need not scan it either */
            sl_buf_adds(&check, "source_timestamp IS NULL");
        }
        sl_buf_addc(&check, ')');
        sl_buf_adds(&sql, "CREATE TABLE ");
        sl_buf_adds(&sql, name.p);
        w = load_worker(d, L);
        if (w && L->bronze_new) {
            bronze_columns(&sql, check.p); /* the worker cannot see the new bronze.NAME */
        } else {
            sl_buf_adds(&sql, " (LIKE ");
            bronze_ident(&sql, L->source);
            sl_buf_adds(&sql, " INCLUDING DEFAULTS INCLUDING CONSTRAINTS, ");
            sl_buf_adds(&sql, check.p);
            sl_buf_addc(&sql, ')');
        }
        if (!key[0]) {
            /* its timestamps' index stays empty: made now, it costs the COPY nothing, made
             * later a scan of every row */
            sl_buf_adds(&sql, "; ");
            ts_index(&sql, name.p, NULL);
        }
        rc = w ? sl__pgw_exec(w, sql.p, "creating a bronze partition", err)
               : exec(d, sql.p, "creating a bronze partition", err);
        if (rc < 0) goto out;
    }
    if (L->nparts == L->capparts) {
        L->capparts = L->capparts ? 2 * L->capparts : 8;
        L->parts = sl_xrealloc(L->parts, L->capparts * sizeof *L->parts);
    }
    pt = &L->parts[L->nparts];
    memset(pt, 0, sizeof *pt);
    snprintf(pt->key, sizeof pt->key, "%s", key);
    pt->is_new = rc == 0;
    pt->on_worker = w != NULL;
    pt->copy = (struct sl_buf)SL_BUF_INIT;
    rc = (int)L->nparts++;
out:
    sl_buf_free(&sql);
    sl_buf_free(&name);
    sl_buf_free(&check);
    return rc;
}

/* At commit: the indexes of the partitions this load created, then ATTACH. The worker's tables
 * are committed first; it builds their GIN indexes while this connection builds the B-trees
 * (both take SHARE locks), then this load attaches them. */
static int attach_parts(struct pg_db *d, struct pg_load *L, struct sl_error *err)
{
    struct sl_buf sql = SL_BUF_INIT, name = SL_BUF_INIT;
    int rc = 0;

    if (L->worker) {
        rc = sl__pgw_exec(L->worker, "COMMIT", "committing the new bronze partitions", err);
        if (rc == 0) rc = sl__pgw_wait(L->worker, err);
        if (rc == 0) L->worker_committed = 1;
    }
    /* indexes: the worker builds the GIN indexes of its partitions, or their timestamps'
     * B-trees when there is no GIN index, this connection the rest; then ATTACH once the worker
     * is done. The default partition's timestamp index (always empty) was made with it. */
    for (int pass = 0; pass < 3 && rc == 0; pass++) {
        if (pass == 2 && L->worker && (rc = sl__pgw_wait(L->worker, err))) break;
        for (size_t i = 0; i < L->nparts && rc == 0; i++) {
            const struct part *pt = &L->parts[i];
            if (!pt->is_new) continue;
            sl_buf_reset(&sql);
            sl_buf_reset(&name);
            bronze_sub_ident(&name, L->source, pt->key[0] ? pt->key : "default");
            int gin_there = pt->on_worker && d->gin, ts_there = pt->on_worker && !d->gin;
            if (pass == 0) {
                if (gin_there) bronze_gin(&sql, name.p, NULL);
                if (ts_there && pt->key[0]) ts_index(&sql, name.p, NULL);
                if (sql.len)
                    rc = sl__pgw_exec(L->worker, sql.p, "indexing a bronze partition", err);
            } else if (pass == 1) {
                if (d->gin && !gin_there) bronze_gin(&sql, name.p, NULL);
                if (!ts_there && pt->key[0]) ts_index(&sql, name.p, NULL);
                sl_buf_addf(&sql, "CREATE INDEX ON %s (load_id, row_num)", name.p);
                rc = exec(d, sql.p, "indexing a bronze partition", err);
            } else {
                sl_buf_adds(&sql, "ALTER TABLE ");
                bronze_ident(&sql, L->source);
                sl_buf_addf(&sql, " ATTACH PARTITION %s", name.p);
                if (pt->key[0]) {
                    sl_buf_adds(&sql, " FOR VALUES FROM (");
                    month_start(&sql, pt->key, 0);
                    sl_buf_adds(&sql, ") TO (");
                    month_start(&sql, pt->key, 1);
                    sl_buf_addc(&sql, ')');
                } else {
                    sl_buf_adds(&sql, " DEFAULT");
                }
                rc = exec(d, sql.p, "attaching a bronze partition", err);
            }
        }
    }
    sl_buf_free(&sql);
    sl_buf_free(&name);
    return rc;
}

static void silver_columns(struct sl_buf *b, const struct sl_schema *s)
{
    for (size_t i = 0; i < s->nfields; i++) {
        sql_ident(b, s->fields[i].name);
        sl_buf_adds(b, ", ");
    }
    sl_buf_adds(b, "\"_load\", \"_row\"");
}

static void pk_columns(struct sl_buf *b, const struct sl_schema *s)
{
    for (size_t i = 0; i < s->npk; i++) {
        if (i) sl_buf_adds(b, ", ");
        sql_ident(b, s->fields[s->pk[i]].name);
    }
}

/* 0 when the silver schema has no relation named source but its table: in a store made before
 * primary keys were named SOURCE@pkey, the index of source X's key is X_pkey. */
static int silver_name_free(struct pg_db *d, const char *source, struct sl_error *err)
{
    const char *p[] = {d->silver, source};
    PGresult *r = NULL;
    int rc = q(d,
               "SELECT c.relkind, coalesce((SELECT t.relname FROM pg_index i JOIN pg_class t ON "
               "t.oid = i.indrelid WHERE i.indexrelid = c.oid), '') FROM pg_class c JOIN "
               "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2",
               2, p, &r, "reading the tables", err);
    if (rc < 0) return rc;
    rc = 0;
    if (PQntuples(r) == 1 && !strchr("rp", PQgetvalue(r, 0, 0)[0])) {
        const char *owner = PQgetvalue(r, 0, 1);
        rc = sl_error_set(err, SL_EINVAL,
                          "source '%s': %s.%s is the name of %s%s%s%s in the store; a PostgreSQL "
                          "store cannot also have a source of that name: load under another "
                          "name (--source)",
                          source, d->silver, source,
                          *owner ? "an index of table " : "another object", *owner ? d->silver : "",
                          *owner ? "." : "", owner);
    }
    PQclear(r);
    return rc;
}

static int create_silver(struct pg_db *d, struct sl_load *load, struct sl_error *err)
{
    const struct sl_schema *s = load->schema;
    struct sl_buf sql = SL_BUF_INIT;
    int rc = silver_name_free(d, load->source, err);

    if (rc) return rc;
    if (load->silver_change == 2) {
        sl_buf_adds(&sql, "DROP TABLE IF EXISTS ");
        silver_ident(d, &sql, load->source);
        sl_buf_adds(&sql, "; ");
    }
    sl_buf_adds(&sql, "CREATE TABLE IF NOT EXISTS ");
    silver_ident(d, &sql, load->source);
    sl_buf_addc(&sql, '(');
    for (size_t i = 0; i < s->nfields; i++) {
        sql_ident(&sql, s->fields[i].name);
        sl_buf_addf(&sql, " %s, ", pg_type(s->fields[i].type));
    }
    sl_buf_adds(&sql, "\"_load\" BIGINT NOT NULL, \"_row\" BIGINT NOT NULL");
    if (s->npk) {
        /* named SOURCE@pkey, not SOURCE_pkey, which could be another source's table */
        char *pk = sub_name(load->source, "@pkey");
        sl_buf_adds(&sql, ", CONSTRAINT ");
        sql_ident(&sql, pk);
        free(pk);
        sl_buf_adds(&sql, " PRIMARY KEY(");
        pk_columns(&sql, s);
        sl_buf_addc(&sql, ')');
    }
    sl_buf_addc(&sql, ')');
    if (load->silver_change == 1) {
        for (size_t i = 0; i < s->nfields; i++) {
            sl_buf_adds(&sql, "; ALTER TABLE ");
            silver_ident(d, &sql, load->source);
            sl_buf_adds(&sql, " ADD COLUMN IF NOT EXISTS ");
            sql_ident(&sql, s->fields[i].name);
            sl_buf_addf(&sql, " %s", pg_type(s->fields[i].type));
        }
    }
    rc = exec(d, sql.p, "creating the silver table", err);
    sl_buf_free(&sql);
    return rc;
}

/* Statements of the load: COPY into silver (or the staging table) and the upsert. */
static int prepare_load(struct pg_db *d, struct sl_load *load, struct pg_load *L,
                        struct sl_error *err)
{
    const struct sl_schema *s = load->schema;
    struct sl_buf sql = SL_BUF_INIT;
    int rc = 0;

    L->nfields = s->nfields;
    L->keyed = s->npk > 0;
    L->ts_field = load->timestamp ? sl_schema_find(s, load->timestamp) : -1;
    L->source = load->source;
    if (load->bronze_only) return 0; /* a failed load: silver is not touched */
    sl_buf_reset(&L->sql_silver);
    sl_buf_adds(&L->sql_silver, "COPY ");
    if (L->keyed) {
        /* staging: a temporary table (no WAL), dropped with the transaction */
        sl_buf_adds(&sql, "CREATE TEMPORARY TABLE sluice_stage (LIKE ");
        silver_ident(d, &sql, load->source);
        sl_buf_adds(&sql, ") ON COMMIT DROP");
        rc = exec(d, sql.p, "creating the staging table", err);
        sl_buf_adds(&L->sql_silver, "sluice_stage");
    } else {
        silver_ident(d, &L->sql_silver, load->source);
    }
    sl_buf_addc(&L->sql_silver, '(');
    silver_columns(&L->sql_silver, s);
    sl_buf_adds(&L->sql_silver, ") FROM STDIN");
    sl_buf_reset(&L->sql_silver_bin);
    sl_buf_adds(&L->sql_silver_bin, L->sql_silver.p);
    sl_buf_adds(&L->sql_silver_bin, " WITH (FORMAT binary)");
    free(L->types);
    L->types = sl_xcalloc(s->nfields ? s->nfields : 1, sizeof *L->types);
    for (size_t i = 0; i < s->nfields; i++) L->types[i] = s->fields[i].type;

    if (L->keyed) {
        struct sl_buf *u = &L->sql_upsert;
        sl_buf_reset(u);
        sl_buf_adds(u, "WITH up AS (INSERT INTO ");
        silver_ident(d, u, load->source);
        sl_buf_addc(u, '(');
        silver_columns(u, s);
        sl_buf_adds(u, ") SELECT DISTINCT ON (");
        pk_columns(u, s);
        sl_buf_addc(u, ')');
        silver_columns(u, s);
        sl_buf_adds(u, " FROM sluice_stage ORDER BY ");
        pk_columns(u, s);
        sl_buf_adds(u, ", \"_load\" DESC, \"_row\" DESC ON CONFLICT (");
        pk_columns(u, s);
        sl_buf_adds(u, ") DO UPDATE SET ");
        for (size_t i = 0; i < s->nfields; i++) {
            int pk = 0;
            for (size_t k = 0; k < s->npk; k++) pk |= (size_t)s->pk[k] == i;
            if (pk) continue;
            sql_ident(u, s->fields[i].name);
            sl_buf_adds(u, " = excluded.");
            sql_ident(u, s->fields[i].name);
            sl_buf_adds(u, ", ");
        }
        sl_buf_adds(u, "\"_load\" = excluded.\"_load\", \"_row\" = excluded.\"_row\" "
                       "RETURNING (xmax = 0) AS inserted) "
                       "SELECT count(*) FILTER (WHERE inserted) FROM up");
    }
    sl_buf_free(&sql);
    return rc;
}

/* Values of the load that PostgreSQL could not hold as they were (pg_storable): a warning now,
 * and the same note added to msg (after "; " when msg has something already). */
static void replaced_note(const struct pg_load *L, const char *source, struct sl_buf *msg)
{
    size_t at;
    if (!L || !L->replaced) return;
    if (msg->len) sl_buf_adds(msg, "; ");
    at = msg->len;
    sl_buf_addf(msg,
                "%lld silver value(s) held U+0000 or a lone UTF-16 surrogate, which PostgreSQL "
                "cannot store: U+FFFD stands in their place (bronze keeps the records as received)",
                (long long)L->replaced);
    sl_log(SL_LOG_WARN, "%s: %s", source, msg->p + at);
}

/* Ends the load's worker and gives its connection back; failed: what it runs is cancelled. */
static void stop_worker(struct pg_db *d, struct pg_load *L, int failed)
{
    if (!L->worker) return;
    sl_pg_pool_release(d->pool, sl__pgw_stop(L->worker, failed), 0);
    L->worker = NULL;
}

/* After a failed load's transaction: the tables its worker committed. */
static void drop_worker_tables(struct pg_db *d, struct pg_load *L)
{
    struct sl_buf sql = SL_BUF_INIT;

    if (!L->worker_committed || PQstatus(d->c) != CONNECTION_OK) return;
    for (size_t i = 0; i < L->nparts; i++) {
        if (!L->parts[i].on_worker) continue;
        sl_buf_adds(&sql, "DROP TABLE IF EXISTS ");
        bronze_sub_ident(&sql, L->source, L->parts[i].key[0] ? L->parts[i].key : "default");
        sl_buf_adds(&sql, "; ");
    }
    /* best effort: the next load of the source drops what is left (drop_orphans) */
    if (sql.len) PQclear(PQexec(d->c, sql.p));
    sl_buf_free(&sql);
}

/* Standalone tables bronze."SOURCE@..." that a failed load's worker committed and nobody
 * dropped (the process was killed, the connection lost): called under the source's lock,
 * outside a transaction. */
static int drop_orphans(struct pg_db *d, const char *source, struct sl_error *err)
{
    struct sl_buf sql = SL_BUF_INIT, mine = SL_BUF_INIT, rel = SL_BUF_INIT;
    PGresult *r;
    int rc, n = 0;

    rc = q(d,
           "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE n.nspname = 'bronze' AND c.relkind = 'r' AND NOT c.relispartition AND "
           "strpos(c.relname, '@') > 0",
           0, NULL, &r, "looking for tables of failed loads", err);
    if (rc < 0) return rc;
    for (int i = 0; i < PQntuples(r); i++) {
        /* this source's if it is the name this source gives the key after the last @ (long
         * names carry a hash of the source) */
        const char *name = PQgetvalue(r, i, 0);
        sl_buf_reset(&mine);
        sl_buf_reset(&rel);
        bronze_sub_ident(&mine, source, strrchr(name, '@') + 1);
        sl_buf_adds(&rel, "bronze.");
        sql_ident(&rel, name);
        if (strcmp(mine.p, rel.p)) continue;
        sl_buf_addf(&sql, "DROP TABLE %s; ", rel.p);
        n++;
    }
    PQclear(r);
    if (n) {
        sl_log(SL_LOG_INFO, "%s: dropping %d bronze table(s) a failed load left behind", source, n);
        rc = exec(d, sql.p, "dropping tables of failed loads", err);
    }
    sl_buf_free(&sql);
    sl_buf_free(&mine);
    sl_buf_free(&rel);
    return rc;
}

static void free_load_state(struct pg_db *d, struct sl_load *load)
{
    struct pg_load *L = load->priv;
    if (!L) return;
    stop_worker(d, L, 1);
    for (size_t i = 0; i < L->nparts; i++) sl_buf_free(&L->parts[i].copy);
    free(L->parts);
    sl_buf_free(&L->copy_bronze);
    sl_buf_free(&L->copy_silver);
    sl_buf_free(&L->sql_silver);
    sl_buf_free(&L->sql_silver_bin);
    sl_buf_free(&L->sql_upsert);
    free(L->types);
    sl_buf_free(&L->err);
    sl_buf_free(&L->fix);
    free(L);
    load->priv = NULL;
    if (d->open_load == L) d->open_load = NULL;
}

static int pg_begin_load(struct sl_db *db, struct sl_load *load, struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct pg_load *L;
    struct sl_buf schema = SL_BUF_INIT, bronze = SL_BUF_INIT;
    char now[40];
    int rc;

    if (d->open_load)
        return sl_error_set(err, SL_EINVAL, "%s: a load is already open on this connection",
                            d->where);
    if ((rc = sl_source_name_check(load->source, err))) return rc;
    if (!load->schema)
        return sl_error_set(err, SL_EINVAL, "%s: load of %s has no schema", d->where, load->source);
    if ((rc = ensure_conn(d, err))) return rc;
    if ((rc = lock_source(d, load->source, err))) return rc;
    /* before the load's transaction: its worker must be able to make the same tables */
    if ((rc = drop_orphans(d, load->source, err))) return rc;
    if ((rc = exec(d, "BEGIN", "starting the load", err))) return rc;
    /* under the source's lock, which is the same for names that differ only by case */
    if ((rc = sl__cat_case_conflict(db, load->source, err)) < 0) {
        if (PQstatus(d->c) == CONNECTION_OK) PQclear(PQexec(d->c, "ROLLBACK"));
        return rc;
    }

    lookup_tables_reset(d);
    L = sl_xcalloc(1, sizeof *L);
    load->priv = L;
    d->open_load = L;
    load->repeats = 0;
    sl_schema_to_json(load->schema, &schema);
    sl_time_iso(sl_now(), now, sizeof now);
    bronze_ident(&bronze, load->source);
    if (load->bronze_only) {
        /* a load that failed its quality thresholds: bronze and its catalog row only; the
         * source's schema and silver stay as they were */
        rc = create_bronze(d, load->source, &L->bronze_new, err);
        if (rc == 0) rc = sl__cat_insert_load(db, load, "failed", 0, sl_buf_str(&schema), err);
        if (rc == 0) rc = prepare_load(d, load, L, err);
        goto out;
    }
    rc = sl__cat_upsert_source(db, load, bronze.p, sl_buf_str(&schema), now, err);
    if (rc == 0) rc = create_bronze(d, load->source, &L->bronze_new, err);
    if (rc == 0) rc = create_silver(d, load, err);
    if (rc == 0) rc = sl__cat_insert_load(db, load, "committed", 1, sl_buf_str(&schema), err);
    if (rc == 0) rc = prepare_load(d, load, L, err);
out:
    sl_buf_free(&schema);
    sl_buf_free(&bronze);
    if (rc < 0) {
        free_load_state(d, load);
        if (PQstatus(d->c) == CONNECTION_OK) PQclear(PQexec(d->c, "ROLLBACK"));
    }
    return rc;
}

/* ---- loads: rows (the hot path) ------------------------------------------------------------ */

static const char *const row_status[] = {"valid", "warning", "invalid"};

/* The partition key of a row: "YYYY-MM" of its source timestamp (*ts gets it as timestamptz),
 * or "" when it has none. */
static void row_part(const struct pg_load *L, const struct sl_row *r, int64_t *ts, char key[8])
{
    key[0] = 0;
    if (L->ts_field >= 0 && r->values && r->values[L->ts_field].type == SL_V_TEXT &&
        ts_utc(r->values[L->ts_field].u.s, r->values[L->ts_field].len, ts, key) != 0)
        key[0] = 0;
}

#define BRONZE_COLUMNS                                                                            \
    "(raw_id, load_id, row_num, line, byte_offset, source_timestamp, validation_status, errors, " \
    "raw_data, raw_bytes)"

/* One bronze row in COPY's binary format, BRONZE_COLUMNS; the key of its partition is not "" when
 * it has the timestamp ts. */
static void bronze_row(struct pg_load *L, struct sl_buf *b, int64_t load_id, const struct sl_row *r,
                       const char *key, int64_t ts)
{
    int status = r->status <= SL_ROW_INVALID ? r->status : SL_ROW_INVALID;

    be16(b, 10);
    bin_i64(b, load_id * 4294967296LL + r->num);
    bin_i64(b, load_id);
    bin_i64(b, r->num);
    if (r->line > 0)
        bin_i64(b, r->line);
    else
        bin_null(b);
    bin_i64(b, r->offset);
    if (key[0])
        bin_i64(b, ts);
    else
        bin_null(b);
    bin_text(b, row_status[status], strlen(row_status[status]));
    if (r->issues) {
        issues_json(&L->err, r->issues);
        bin_jsonb(b, L->err.p, L->err.len);
    } else {
        bin_null(b);
    }
    /* raw_data: JSON records and text that could not be parsed (as a JSON string);
     * raw_bytes: what jsonb cannot hold as received (bytes that are not UTF-8, \u0000, a
     * record over jsonb's size limit: bytea holds up to 1 GB) */
    if (!r->raw) {
        bin_null(b);
        bin_null(b);
    } else if (r->raw_kind == SL_RAW_JSON && jsonb_safe(r->raw, r->raw_len) &&
               jsonb_fits(r->raw, r->raw_len)) {
        bin_jsonb(b, r->raw, r->raw_len);
        bin_null(b);
    } else if (r->raw_kind == SL_RAW_TEXT && !memchr(r->raw, 0, r->raw_len) &&
               (int64_t)r->raw_len + 64 <= PG_JSONB_MAX) {
        sl_buf_reset(&L->err);
        sl_buf_json_str(&L->err, r->raw, r->raw_len);
        bin_jsonb(b, L->err.p, L->err.len);
        bin_null(b);
    } else {
        bin_null(b);
        bin_text(b, r->raw, r->raw_len); /* bytea in binary: the bytes */
    }
}

static void silver_line(struct pg_load *L, struct sl_buf *b, const struct sl_row *r,
                        int64_t load_id, int64_t *replaced)
{
    for (size_t i = 0; i < L->nfields; i++) {
        const struct sl_value *v = r->values ? &r->values[i] : NULL;
        if (!v) {
            sl_buf_add(b, "\\N\t", 3);
            continue;
        }
        switch (v->type) {
        case SL_V_INT: sl_buf_add_i64(b, v->u.i); break;
        /* the same text as in binary: "true" also reads as a boolean, and the shortest
         * exact form of a double reads back as the same double */
        case SL_V_BOOL: sl_buf_adds(b, v->u.i ? "true" : "false"); break;
        case SL_V_REAL: sl_buf_json_double(b, v->u.d); break;
        case SL_V_TEXT: {
            size_t n = v->len;
            const char *p = pg_storable(L->types[i], v->u.s, &n, &L->fix, replaced);
            copy_text(b, p, n);
            break;
        }
        default: sl_buf_add(b, "\\N", 2); break;
        }
        sl_buf_addc(b, '\t');
    }
    sl_buf_add_i64(b, load_id);
    sl_buf_addc(b, '\t');
    sl_buf_add_i64(b, r->num);
    sl_buf_addc(b, '\n');
}

static int not_open(struct pg_db *d, struct sl_error *err)
{
    return sl_error_set(err, SL_EINVAL, "%s: no load is open", d->where);
}

/* Silver for the rows of b that are not invalid; keyed: through the staging table. */
static int write_silver_rows(struct pg_db *d, struct pg_load *L, const char *source,
                             int64_t load_id, const struct sl_batch *b, int64_t *repeats,
                             struct sl_error *err)
{
    int64_t staged = 0, replaced = 0;
    PGresult *r;
    int rc;

    const char *sql = L->sql_silver_bin.p;
    struct sl_buf *c = &L->copy_silver;
    int bin = 1;

    (void)source;
    sl_buf_reset(c);
    copy_bin_header(c);
    for (size_t i = 0; i < b->nrows && bin; i++) {
        const struct sl_row *row = &b->rows[i];
        if (row->status == SL_ROW_INVALID) continue;
        be16(c, (uint16_t)(L->nfields + 2));
        for (size_t k = 0; k < L->nfields && bin; k++)
            bin =
                bin_value(c, L->types[k], row->values ? &row->values[k] : NULL, L, &replaced) == 0;
        bin_i64(c, load_id);
        bin_i64(c, row->num);
        staged++;
    }
    if (bin) {
        be16(c, 0xffff);
    } else {
        /* a value binary cannot say: this batch goes as text */
        sql = L->sql_silver.p;
        staged = replaced = 0;
        sl_buf_reset(c);
        for (size_t i = 0; i < b->nrows; i++) {
            if (b->rows[i].status == SL_ROW_INVALID) continue;
            silver_line(L, c, &b->rows[i], load_id, &replaced);
            staged++;
        }
    }
    L->replaced += replaced;
    if (!staged) return 0;
    rc = copy_in(d, sql, c->p, c->len, "writing silver", err);
    if (rc < 0 || !L->keyed) return rc;
    rc = q(d, L->sql_upsert.p, 0, NULL, &r, "upserting silver", err);
    if (rc < 0) return rc;
    /* rows that did not insert a new key replaced a row: repeats, as in SQLite */
    *repeats += staged - get_i64(r, 0, 0, 0);
    PQclear(r);
    return exec(d, "TRUNCATE sluice_stage", "emptying the staging table", err);
}

static int pg_write(struct sl_db *db, struct sl_load *load, const struct sl_batch *b,
                    struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct pg_load *L = load->priv;
    struct sl_buf sql = SL_BUF_INIT;
    int rc = 0;

    if (!L) return not_open(d, err);
    for (size_t i = 0; i < L->nparts; i++) sl_buf_reset(&L->parts[i].copy);
    for (size_t i = 0; i < b->nrows && rc == 0; i++) {
        char key[8];
        int64_t ts = 0;
        long k;
        if (b->rows[i].num > UINT32_MAX) { /* raw_id = load_id * 2^32 + row_num stays unique */
            rc = sl_error_set(err, SL_EINVAL,
                              "%s: a load holds at most 4294967295 rows on PostgreSQL; split "
                              "the input",
                              load->source);
            break;
        }
        row_part(L, &b->rows[i], &ts, key);
        if ((k = ensure_part(d, L, key, err)) < 0) {
            rc = (int)k;
            break;
        }
        if (!L->parts[k].copy.len) copy_bin_header(&L->parts[k].copy);
        bronze_row(L, &L->parts[k].copy, load->id, &b->rows[i], key, ts);
    }
    /* straight into each partition: no routing, and new ones have no indexes yet; the
     * worker's while this connection goes on */
    for (size_t i = 0; i < L->nparts && rc == 0; i++) {
        struct part *pt = &L->parts[i];
        if (!pt->copy.len) continue;
        be16(&pt->copy, 0xffff);
        sl_buf_reset(&sql);
        sl_buf_adds(&sql, "COPY ");
        bronze_sub_ident(&sql, load->source, pt->key[0] ? pt->key : "default");
        /* a table made in this transaction takes its rows frozen: the index builds and later
         * readers need not set hint bits on every page */
        sl_buf_adds(&sql, BRONZE_COLUMNS " FROM STDIN WITH (FORMAT binary");
        sl_buf_adds(&sql, pt->is_new ? ", FREEZE)" : ")");
        rc = pt->on_worker ? sl__pgw_copy(L->worker, sql.p, &pt->copy, "writing bronze", err)
                           : copy_in(d, sql.p, pt->copy.p, pt->copy.len, "writing bronze", err);
    }
    if (rc == 0 && !load->bronze_only)
        rc = write_silver_rows(d, L, load->source, load->id, b, &load->repeats, err);
    sl_buf_free(&sql);
    return rc;
}

static int pg_write_silver(struct sl_db *db, struct sl_load *load, const struct sl_batch *b,
                           struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct pg_load *L = load->priv ? load->priv : d->open_load;
    int64_t repeats = 0;

    if (!L) return not_open(d, err);
    return write_silver_rows(d, L, load->source, load->id, b, &repeats, err);
}

/* ---- loads: end ---------------------------------------------------------------------------- */

static int pg_commit_load(struct sl_db *db, struct sl_load *load, struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct pg_load *L = load->priv;
    struct sl_buf msg = SL_BUF_INIT;
    int rc;

    if (!L) return not_open(d, err);
    if (load->finished <= 0) load->finished = sl_now(); /* before the indexes are built */
    if (load->message) sl_buf_adds(&msg, load->message);
    replaced_note(L, load->source, &msg); /* the load's message says it too */
    rc = attach_parts(d, L, err);
    if (rc == 0) rc = sl__cat_finish_load(db, load, msg.p, 0, 0, err);
    /* a signal while the indexes were built (seconds): roll back, as sluice then says */
    if (rc == 0 && sl_interrupted) rc = sl_error_set(err, SL_EINTR, "interrupted");
    if (rc == 0) rc = exec(d, "COMMIT", "committing the load", err);
    if (rc < 0 && PQstatus(d->c) == CONNECTION_OK && PQtransactionStatus(d->c) != PQTRANS_IDLE)
        PQclear(PQexec(d->c, "ROLLBACK"));
    stop_worker(d, L, rc < 0);
    if (rc < 0) drop_worker_tables(d, L);
    free_load_state(d, load);
    lookup_tables_reset(d);
    unlock_source(d);
    sl_buf_free(&msg);
    return rc;
}

static int pg_abort_load(struct sl_db *db, struct sl_load *load, struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct pg_load *L = load->priv;
    int rc = 0;

    if (L) stop_worker(d, L, 1);
    if (PQstatus(d->c) == CONNECTION_OK && PQtransactionStatus(d->c) != PQTRANS_IDLE)
        rc = exec(d, "ROLLBACK", "rolling back the load", err);
    if (L) drop_worker_tables(d, L);
    free_load_state(d, load);
    lookup_tables_reset(d);
    unlock_source(d);
    return rc;
}

static int pg_record_load(struct sl_db *db, struct sl_load *load, struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct sl_buf schema = SL_BUF_INIT;
    int rc;

    if ((rc = ensure_conn(d, err))) return rc;
    if (load->schema) sl_schema_to_json(load->schema, &schema);
    rc = sl__cat_insert_load(db, load, load->status ? load->status : "failed", 0, schema.p, err);
    sl_buf_free(&schema);
    unlock_source(d);
    return rc;
}

/* ---- listing and reading back -------------------------------------------------------------- */

/* Bronze rows of a load, in input order, through a cursor (bounded memory; the callback may
 * use the connection between fetches). raw is what the rebuild decodes: the JSON record. */
static int pg_bronze_scan(struct sl_db *db, const char *source, int64_t load, sl_bronze_cb cb,
                          void *ctx, struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct sl_buf sql = SL_BUF_INIT, raw = SL_BUF_INIT;
    char id[24];
    const char *p[] = {id};
    PGresult *r = NULL;
    int rc, own_tx = 0;

    if ((rc = ensure_conn(d, err))) return rc;
    snprintf(id, sizeof id, "%lld", (long long)load);
    if (PQtransactionStatus(d->c) == PQTRANS_IDLE) {
        if ((rc = exec(d, "BEGIN", "reading bronze", err))) return rc;
        own_tx = 1;
    }
    sl_buf_adds(&sql, "DECLARE sluice_scan NO SCROLL CURSOR FOR SELECT row_num, line, "
                      "byte_offset, raw_data::text, raw_bytes, validation_status FROM ");
    bronze_ident(&sql, source);
    sl_buf_adds(&sql, " WHERE load_id = $1 AND validation_status <> 'invalid' ORDER BY row_num");
    rc = q(d, sql.p, 1, p, NULL, "reading bronze", err);
    while (rc == 0) {
        int nr;
        rc = q(d, "FETCH 10000 FROM sluice_scan", 0, NULL, &r, "reading bronze", err);
        if (rc < 0) break;
        nr = PQntuples(r);
        if (nr == 0) break;
        for (int i = 0; i < nr && rc == 0; i++) {
            struct sl_bronze_row br;
            br.load = load;
            br.num = get_i64(r, i, 0, 0);
            br.line = get_i64(r, i, 1, 0);
            br.offset = get_i64(r, i, 2, 0);
            br.status = PQgetvalue(r, i, 5);
            if (!PQgetisnull(r, i, 3)) {
                br.raw = PQgetvalue(r, i, 3);
                br.raw_len = (size_t)PQgetlength(r, i, 3);
            } else {
                const char *h = PQgetvalue(r, i, 4);
                size_t hl = (size_t)PQgetlength(r, i, 4);
                sl_buf_reset(&raw);
                for (size_t k = 2; k + 1 < hl; k += 2)
                    sl_buf_addc(&raw, (char)(unhex(h[k]) << 4 | unhex(h[k + 1])));
                br.raw = sl_buf_str(&raw);
                br.raw_len = raw.len;
            }
            rc = cb(ctx, &br, err);
        }
        PQclear(r);
        r = NULL;
    }
    PQclear(r);
    if (rc == 0) rc = exec(d, "CLOSE sluice_scan", "reading bronze", err);
    if (own_tx && PQstatus(d->c) == CONNECTION_OK)
        PQclear(PQexec(d->c, rc ? "ROLLBACK" : "COMMIT"));
    sl_buf_free(&sql);
    sl_buf_free(&raw);
    return rc;
}

/* ---- lookups in silver (unique against earlier loads, foreign keys) ------------------------- */

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

static void lookup_tables_reset(struct pg_db *d)
{
    memo_reset(d);
    lookup_stmts_reset(d);
    for (unsigned i = 0; i < 4; i++) {
        struct lookup_table *t = &d->ltables[i];
        for (int k = 0; k < t->n; k++) {
            free(t->names[k]);
            free(t->types[k]);
        }
        free(t->names);
        free(t->types);
        free(t->source);
        memset(t, 0, sizeof *t);
    }
}

static void lookup_stmts_reset(struct pg_db *d)
{
    for (unsigned i = 0; i < 8; i++) {
        free(d->lstmts[i].sql);
        d->lstmts[i].sql = NULL;
    }
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
    silver_ident(d, &name, source);
    {
        const char *p[] = {name.p};
        rc = q(d,
               "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = "
               "a.atttypid WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT "
               "a.attisdropped ORDER BY a.attnum",
               1, p, &r, "looking up keys in silver", err);
    }
    sl_buf_free(&name);
    if (rc < 0) return rc;
    t = &d->ltables[d->nltables++ % 4];
    for (int k = 0; k < t->n; k++) {
        free(t->names[k]);
        free(t->types[k]);
    }
    free(t->names);
    free(t->types);
    free(t->source);
    t->source = sl_xstrdup(source);
    t->n = PQntuples(r);
    t->exists = t->n > 0;
    t->names = sl_xcalloc(t->n ? (size_t)t->n : 1, sizeof *t->names);
    t->types = sl_xcalloc(t->n ? (size_t)t->n : 1, sizeof *t->types);
    for (int k = 0; k < t->n; k++) {
        t->names[k] = get_str(r, k, 0);
        t->types[k] = get_str(r, k, 1);
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
        if (v->type != SL_V_TEXT || ts_utc(v->u.s, v->len, &us, m)) return 0;
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
        if (v->type != SL_V_TEXT || (us = time_usec(v->u.s, v->len)) < 0 || us > 86400LL * 1000000)
            return 0;
        sl_buf_add(out, v->u.s, v->len);
        return 1;
    }
    if (!strcmp(type, "jsonb")) {
        *cast = "::jsonb";
        if (v->type != SL_V_TEXT || !jsonb_safe(v->u.s, v->len) || !v->len ||
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

static int pg_silver_lookup(struct sl_db *db, const char *source, const char *const *cols, size_t n,
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
    if ((rc = ensure_conn(d, err))) return rc;
    if ((rc = lookup_table(d, source, &t, err))) return rc;
    if (!t->exists) return 0; /* nothing loaded yet */
    pv = sl_xcalloc(total ? total : 1, sizeof *pv);
    params = sl_xcalloc(total ? total : 1, sizeof *params);
    sl_buf_adds(&sql, "SELECT 1 FROM ");
    silver_ident(d, &sql, source);
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
        silver_ident(d, &sql, source);
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
            silver_ident(d, &ix, source);
            sl_buf_addc(&ix, '(');
            sql_ident(&ix, cols[0]);
            sl_buf_addc(&ix, ')');
            free(iname);
            rc = exec(d, ix.p, "indexing a unique column", err);
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
                if ((rc = exec(d, dealloc, "looking up keys in silver", err))) goto out;
            }
            /* names never repeat on a connection: a statement outlives a rolled-back load */
            snprintf(d->pstmts[k].name, sizeof d->pstmts[k].name, "sluice_lookup_%u", d->npstmts++);
            r = PQprepare(d->c, d->pstmts[k].name, sql.p, (int)np, NULL);
            if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                rc = pg_error(d, r, "looking up keys in silver", err);
                goto out;
            }
            PQclear(r);
            d->pstmts[k].sql = sl_xstrdup(sql.p);
            name = d->pstmts[k].name;
        }
        r = PQexecPrepared(d->c, name, (int)np, params, NULL, NULL, 0);
    }
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = pg_error(d, r, "looking up keys in silver", err);
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

/* ---- changes: active flags and rebuilds ------------------------------------------------- */

static int pg_begin_change(struct sl_db *db, struct sl_load *change, int empty_silver,
                           struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct pg_load *L;
    struct sl_load tmp;
    int rc;

    if (d->open_load)
        return sl_error_set(err, SL_EINVAL, "%s: a load is already open on this connection",
                            d->where);
    if ((rc = sl_source_name_check(change->source, err))) return rc;
    if (!change->schema)
        return sl_error_set(err, SL_EINVAL, "%s: change of %s has no schema", d->where,
                            change->source);
    if ((rc = ensure_conn(d, err))) return rc;
    if ((rc = lock_source(d, change->source, err))) return rc;
    if ((rc = exec(d, "BEGIN", "starting the change", err))) return rc;
    lookup_tables_reset(d);
    L = sl_xcalloc(1, sizeof *L);
    change->priv = L;
    d->open_load = L;
    tmp = *change;
    tmp.silver_change = empty_silver ? 2 : 0;
    tmp.bronze_only = 0;
    int created;
    rc = create_bronze(d, change->source, &created, err);
    if (rc == 0) rc = create_silver(d, &tmp, err);
    if (rc == 0) rc = prepare_load(d, &tmp, L, err);
    return rc;
}

static int pg_delete_silver_load(struct sl_db *db, struct sl_load *change, int64_t load,
                                 int64_t *deleted, struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct sl_buf sql = SL_BUF_INIT;
    char id[24];
    const char *p[] = {id};
    PGresult *r;
    int rc;

    if (!change->priv) return not_open(d, err);
    snprintf(id, sizeof id, "%lld", (long long)load);
    sl_buf_adds(&sql, "DELETE FROM ");
    silver_ident(d, &sql, change->source);
    sl_buf_adds(&sql, " WHERE \"_load\" = $1");
    rc = q(d, sql.p, 1, p, &r, "deleting silver rows", err);
    sl_buf_free(&sql);
    if (rc < 0) return rc;
    if (deleted) *deleted = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return 0;
}

static int pg_end_change(struct sl_db *db, struct sl_load *change, int commit, struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct sl_buf note = SL_BUF_INIT;
    int rc = 0, open = change->priv != NULL;

    if (commit) replaced_note(change->priv, change->source, &note);
    sl_buf_free(&note);
    free_load_state(d, change);
    lookup_tables_reset(d);
    if (!d->c || PQstatus(d->c) != CONNECTION_OK || PQtransactionStatus(d->c) == PQTRANS_IDLE) {
        unlock_source(d);
        if (!commit) return 0;
        if (open && d->c && PQstatus(d->c) != CONNECTION_OK)
            return sl_error_set(err, SL_EDB, "%s: the connection to the server was lost", d->where);
        return not_open(d, err);
    }
    if (commit) rc = exec(d, "COMMIT", "committing the change", err);
    if ((!commit || rc < 0) && PQstatus(d->c) == CONNECTION_OK &&
        PQtransactionStatus(d->c) != PQTRANS_IDLE)
        PQclear(PQexec(d->c, "ROLLBACK"));
    unlock_source(d);
    return rc;
}

/* ---- sluice migrate ------------------------------------------------------------------------ */

static int pg_migrations(struct sl_db *db, struct sl_migration_info **out, size_t *n,
                         struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    size_t known = sl__migrations_count(), len = known;
    struct sl_migration_info *v = sl_xcalloc(known + 1, sizeof *v);
    PGresult *r = NULL;
    int rc;

    *out = NULL;
    *n = 0;
    for (size_t i = 0; i < known; i++) {
        const char *name, *sql;
        sl__migration_get(i, SL__DIALECT_PG, &v[i].version, &name, &sql);
        v[i].name = sl_xstrdup(name);
        v[i].known = 1;
    }
    rc = relation_exists(d, "sluice.migrations", err);
    if (rc > 0)
        rc = q(d,
               "SELECT version, name, checksum, applied_at FROM sluice.migrations "
               "ORDER BY version",
               0, NULL, &r, "reading sluice.migrations", err);
    for (int k = 0; rc == 0 && r && k < PQntuples(r); k++) {
        int version = atoi(PQgetvalue(r, k, 0)), found = 0;
        struct sl_migration_info *mi = NULL;
        for (size_t i = 0; i < known && !found; i++) {
            const char *name, *sql;
            char sum[65];
            if (v[i].version != version) continue;
            found = 1;
            mi = &v[i];
            sl__migration_get(i, SL__DIALECT_PG, &version, &name, &sql);
            sl_sha256_hex(sql, strlen(sql), sum);
            mi->changed = strcmp(sum, PQgetvalue(r, k, 2)) != 0;
        }
        if (!found) {
            v = sl_xrealloc(v, (len + 1) * sizeof *v);
            mi = &v[len++];
            memset(mi, 0, sizeof *mi);
            mi->version = version;
            mi->name = get_str(r, k, 1);
        }
        mi->applied = 1;
        mi->applied_at = get_str(r, k, 3);
    }
    PQclear(r);
    if (rc < 0) {
        sl_migration_infos_free(v, len);
        return rc;
    }
    *out = v;
    *n = len;
    return 0;
}

static int pg_migrate_to(struct sl_db *db, int target, struct sl_error *err)
{
    struct pg_db *d = (struct pg_db *)db;
    struct sl_migration_info *v = NULL;
    size_t n = 0;
    int rc;

    if (target < 0) return pg_migrate(d, err);
    rc = exec(d, "BEGIN; SELECT pg_advisory_xact_lock(1936483173, 1)", "starting the migration",
              err);
    if (rc == 0) rc = pg_migrations(db, &v, &n, err);
    for (size_t k = n; rc == 0 && k-- > 0;) {
        char vs[16];
        const char *p[] = {vs}, *down = NULL;
        if (!v[k].applied || v[k].version <= target) continue;
        for (size_t i = 0; i < sl__migrations_count() && v[k].known; i++) {
            int version;
            const char *name, *sql;
            sl__migration_get(i, SL__DIALECT_PG, &version, &name, &sql);
            if (version == v[k].version) down = sl__migration_down(i, SL__DIALECT_PG);
        }
        if (!down) {
            rc = sl_error_set(err, SL_EDB,
                              "%s: migration %d is unknown to this sluice: cannot "
                              "undo it",
                              d->where, v[k].version);
            break;
        }
        rc = exec(d, down, "undoing a migration", err);
        snprintf(vs, sizeof vs, "%d", v[k].version);
        if (rc == 0)
            rc = q(d, "DELETE FROM sluice.migrations WHERE version = $1", 1, p, NULL,
                   "recording the migration", err);
    }
    sl_migration_infos_free(v, n);
    if (rc == 0) rc = exec(d, "COMMIT", "committing the migration", err);
    if (rc < 0 && PQstatus(d->c) == CONNECTION_OK && PQtransactionStatus(d->c) != PQTRANS_IDLE)
        PQclear(PQexec(d->c, "ROLLBACK"));
    return rc;
}

int sl_store_pg_pool_stats(struct sl_db *db, struct sl_pg_pool_stats *out)
{
    if (!db || db->store != &sl_store_postgres) return -1;
    sl_pg_pool_stats(((struct pg_db *)db)->pool, out);
    return 0;
}

/* A record is kept whole in bronze up to a bytea's size (raw_bytes when jsonb cannot hold
 * it); silver's values are text (1 GB) or jsonb. Rows have no limit of their own (TOAST). */
static void pg_limits(struct sl_db *db, struct sl_store_limits *out)
{
    (void)db;
    memset(out, 0, sizeof *out);
    out->record = out->value = PG_VALUE_MAX;
    out->json = PG_JSONB_MAX;
    out->json_size = jsonb_size;
    out->value_what = "PostgreSQL's limit for a value";
    out->json_what = "PostgreSQL's jsonb";
}

/* System column names (a column may not have one: "column name "ctid" conflicts with a system
 * column name"; oid too before PostgreSQL 12), and NAMEDATALEN - 1 bytes of an identifier. */
static const char *const pg_system_columns[] = {"ctid", "xmin", "xmax",     "cmin",
                                                "cmax", "oid",  "tableoid", NULL};
static const struct sl_name_rules pg_name_rules = {pg_system_columns, 63, "PostgreSQL"};

const struct sl_store sl_store_postgres = {
    .scheme = "postgresql",
    .name = "PostgreSQL",
    .name_rules = &pg_name_rules,
    .max_columns = 1600, /* MaxHeapAttributeNumber */
    .bronze_table = "bronze.%s",
    .catalog = &pg_dialect,
    .open = pg_open,
    .close = pg_close,
    .source_state = pg_source_state,
    .find_input = sl__cat_find_input,
    .has_input_size = sl__cat_has_input_size,
    .begin_run = sl__cat_begin_run,
    .end_run = sl__cat_end_run,
    .begin_load = pg_begin_load,
    .write = pg_write,
    .write_silver = pg_write_silver,
    .commit_load = pg_commit_load,
    .abort_load = pg_abort_load,
    .record_load = pg_record_load,
    .list_loads = sl__cat_list_loads,
    .list_sources = sl__cat_list_sources,
    .bronze_scan = pg_bronze_scan,
    .begin_change = pg_begin_change,
    .set_active = sl__cat_set_active,
    .delete_silver_load = pg_delete_silver_load,
    .end_change = pg_end_change,
    .list_events = sl__cat_list_events,
    .silver_lookup = pg_silver_lookup,
    .silver_rows = pg_silver_rows,
    .migrations = pg_migrations,
    .migrate = pg_migrate_to,
    .limits = pg_limits,
};
