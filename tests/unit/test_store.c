/* Unit tests: the store registry, source names, and the SQLite store on real database files. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "sluice/pgpool.h"
#include "sluice/sluice.h"
#include "sluice/store.h"
#include "pipeline/internal.h"
#include "store/catalog.h"
#include "store/migrations.h"
#include "unit.h"

/* ---- helpers ------------------------------------------------------------------------------ */

/* A fresh database path in a new temporary directory (malloc'ed). */
static char *temp_db(void)
{
    char dir[] = "/tmp/sluice-store-XXXXXX";
    if (!mkdtemp(dir)) abort();
    return sl_xasprintf("%s/sluice.db", dir);
}

static void remove_db(char *path)
{
    char *p;
    const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        p = sl_xasprintf("%s%s", path, suffixes[i]);
        unlink(p);
        free(p);
    }
    *strrchr(path, '/') = 0;
    rmdir(path);
    free(path);
}

/* The first column of the first row of sql, as text ("" for no row, "NULL" for null). */
static char *q(const char *path, const char *sql)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    char *out;

    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
        out = sl_xasprintf("ERROR %s", sqlite3_errmsg(h));
    } else if (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        out = sl_xstrdup(t ? (const char *)t : "NULL");
    } else {
        out = sl_xstrdup("");
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return out;
}

#define CHECK_Q(path, sql, want)   \
    do {                           \
        char *got_ = q(path, sql); \
        CHECK_STR(got_, want);     \
        free(got_);                \
    } while (0)

static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *h = NULL;
    if (sqlite3_open(path, &h) != SQLITE_OK || sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK)
        fprintf(stderr, "  exec_sql: %s\n", sqlite3_errmsg(h));
    sqlite3_close(h);
}

/* A row with an int id, a text name and a real score; raw is its JSON. */
static struct sl_row *add_row(struct sl_batch *b, int64_t num, int64_t id, const char *name,
                              double score)
{
    struct sl_row *r = sl_batch_add_row(b);
    r->num = num;
    r->line = num + 1;
    r->offset = num * 10;
    r->raw_kind = SL_RAW_JSON;
    r->raw = sl_arena_sprintf(&b->arena, "[\"%lld\",\"%s\",\"%g\"]", (long long)id,
                              name ? name : "", score);
    r->raw_len = strlen(r->raw);
    r->values = sl_arena_zalloc(&b->arena, 3 * sizeof *r->values);
    r->values[0].type = SL_V_INT;
    r->values[0].u.i = id;
    if (name) {
        r->values[1].type = SL_V_TEXT;
        r->values[1].u.s = name;
        r->values[1].len = (uint32_t)strlen(name);
    }
    r->values[2].type = SL_V_REAL;
    r->values[2].u.d = score;
    return r;
}

static struct sl_schema *people_schema(int keyed)
{
    struct sl_schema *s = sl_schema_new();
    const char *pk[] = {"id"};
    sl_schema_add(s, "id", "id", SL_TYPE_INTEGER);
    sl_schema_add(s, "name", "name", SL_TYPE_STRING);
    sl_schema_add(s, "score", "score", SL_TYPE_NUMBER);
    if (keyed) sl_schema_set_pk(s, pk, 1, NULL);
    return s;
}

static void init_load(struct sl_load *l, const char *source, const struct sl_schema *s)
{
    memset(l, 0, sizeof *l);
    l->source = source;
    l->input = "people.csv";
    l->input_size = 123;
    l->format = "csv";
    l->schema = s;
}

/* Writes one load of the given batch and commits it; returns the load id (0 on failure). */
static int64_t load_batch(struct sl_db *db, struct sl_load *l, struct sl_batch *b)
{
    struct sl_error err = {0};
    if (db->store->begin_load(db, l, &err) < 0 || db->store->write(db, l, b, &err) < 0 ||
        db->store->commit_load(db, l, &err) < 0) {
        fprintf(stderr, "  load failed: %s\n", err.msg);
        return 0;
    }
    return l->id;
}

/* ---- registry and names --------------------------------------------------------------------- */

TEST(store_source_name_check)
{
    struct sl_error err = {0};
    CHECK_INT(sl_source_name_check("heart_rate", &err), 0);
    CHECK_INT(sl_source_name_check("A1_b", &err), 0);
    CHECK_INT(sl_source_name_check("", &err), SL_EINVAL);
    CHECK_INT(sl_source_name_check("sluice_loads", &err), SL_EINVAL);
    CHECK_INT(sl_source_name_check("Bronze_x", &err), SL_EINVAL);
    CHECK_INT(sl_source_name_check("a-b", &err), SL_EINVAL);
    CHECK_INT(sl_source_name_check("x\"; DROP TABLE y; --", &err), SL_EINVAL);
    CHECK(strstr(err.msg, "1 to 63 letters, digits or _") != NULL);
    char long_name[65];
    memset(long_name, 'a', 64);
    long_name[64] = 0;
    CHECK_INT(sl_source_name_check(long_name, &err), SL_EINVAL);
    long_name[63] = 0;
    CHECK_INT(sl_source_name_check(long_name, &err), 0);
}

TEST(store_source_name_from_path)
{
    struct {
        const char *path, *want;
    } cases[] = {
        {"data/heart_rate/2026-11-01.csv", "2026_11_01"},
        {"/x/y/heart_rate.csv.gz", "heart_rate"},
        {"steps.ndjson.zst", "steps"},
        {"Sleep Log (v2).JSON", "Sleep_Log_v2"},
        {"--.csv", "data"},
        {"sluice_runs.csv", "src_sluice_runs"},
        {"bronze_x.tsv.zstd", "src_bronze_x"},
        {"noext", "noext"},
        {"a.b.c", "a_b"},
        {"caf\xc3\xa9.csv", "caf"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = sl_source_name_from_path(cases[i].path);
        CHECK_STR(s, cases[i].want);
        CHECK_INT(sl_source_name_check(s, NULL), 0);
        free(s);
    }
    char long_path[200];
    memset(long_path, 'x', 150);
    strcpy(long_path + 150, ".csv");
    char *s = sl_source_name_from_path(long_path);
    CHECK_INT(strlen(s), 63);
    free(s);
}

TEST(store_open_by_url)
{
    struct sl_error err = {0};
    struct sl_db *db = NULL;
    char *path = temp_db();
    char *url = sl_xasprintf("sqlite:%s", path);

    /* nothing listens on port 1: refused, and no retries asked for */
    CHECK_INT(sl_store_open("postgresql://127.0.0.1:1/x?connect_retries=0", &db, &err), SL_EDB);
    CHECK_STR(err.msg, "postgresql://127.0.0.1:1/x: cannot connect to PostgreSQL: connection to "
                       "server at \"127.0.0.1\", port 1 failed: Connection refused");
    CHECK(db == NULL);
    CHECK_INT(sl_store_open("postgresql://u:secret@127.0.0.1:1/x?connect_retries=1&retry_backoff=1",
                            &db, &err),
              SL_EDB);
    CHECK(strstr(err.msg, "postgresql://u:***@127.0.0.1:1/x: cannot connect to PostgreSQL after 2 "
                          "attempts") == err.msg);
    CHECK(!strstr(err.msg, "secret"));
    CHECK_INT(sl_store_open("postgresql://127.0.0.1:1/x?pool_size=many", &db, &err), SL_ECONFIG);
    CHECK_STR(err.msg, "postgresql://127.0.0.1:1/x: pool_size=many: expected a number");
    CHECK_INT(sl_store_open("kafka://x", &db, &err), SL_ECONFIG);
    CHECK_INT(sl_store_open(url, &db, &err), 0);
    CHECK(db && db->store == &sl_store_sqlite);
    CHECK_STR(db->url, url);
    sl_store_close(db);
    CHECK_INT(sl_store_open(path, &db, &err), 0); /* a plain path */
    sl_store_close(db);
    CHECK_INT(sl_store_open("/nonexistent-dir/x/sluice.db", &db, &err), SL_EDB);
    CHECK_STR(err.msg, "/nonexistent-dir/x/sluice.db: unable to open database file");
    free(url);
    remove_db(path);
}

/* ---- migrations ---------------------------------------------------------------------------- */

TEST(sqlite_migrations_applied_once)
{
    struct sl_error err = {0};
    struct sl_db *db = NULL;
    char *path = temp_db();

    setenv("SLUICE_NOW", "2026-11-23T13:05:00Z", 1);
    CHECK_INT(sl_store_open(path, &db, &err), 0);
    sl_store_close(db);
    CHECK_INT(sl_store_open(path, &db, &err), 0);
    sl_store_close(db);
    unsetenv("SLUICE_NOW");
    char latest[16];
    snprintf(latest, sizeof latest, "%d", sl__migrations_latest());
    CHECK_Q(path, "SELECT count(*) FROM sluice_migrations", latest);
    CHECK_Q(path,
            "SELECT version || ' ' || name || ' ' || applied_at FROM sluice_migrations "
            "WHERE version = 1",
            "1 catalog 2026-11-23T13:05:00.000Z");
    CHECK_Q(path, "SELECT name FROM sluice_migrations WHERE version = 2", "load transforms");
    /* the checksum is the SHA-256 of the migration's SQL: 64 hex digits */
    char *sum = q(path, "SELECT checksum FROM sluice_migrations WHERE version = 1");
    CHECK_INT(strlen(sum), 64);
    CHECK(strspn(sum, "0123456789abcdef") == 64);
    free(sum);
    CHECK_Q(path, "PRAGMA journal_mode", "wal");
    CHECK_Q(path,
            "SELECT count(*) FROM sqlite_master WHERE name IN ('sluice_sources', "
            "'sluice_runs', 'sluice_loads', 'sluice_loads_source_sha256')",
            "4");
    CHECK(sl__migrations_latest() >= 2);
    remove_db(path);
}

TEST(sqlite_migration_tampered_is_refused)
{
    struct sl_error err = {0};
    struct sl_db *db = NULL;
    char *path = temp_db();

    CHECK_INT(sl_store_open(path, &db, &err), 0);
    sl_store_close(db);
    exec_sql(path, "UPDATE sluice_migrations SET checksum = 'x' WHERE version = 1");
    db = NULL;
    CHECK_INT(sl_store_open(path, &db, &err), SL_EDB);
    CHECK(db == NULL);
    CHECK(strstr(err.msg, "migration 1 (catalog) was changed after it was applied") != NULL);
    CHECK(strstr(err.msg, path) == err.msg);
    remove_db(path);
}

TEST(sqlite_newer_database_is_refused)
{
    struct sl_error err = {0};
    struct sl_db *db = NULL;
    char *path = temp_db();

    CHECK_INT(sl_store_open(path, &db, &err), 0);
    sl_store_close(db);
    exec_sql(path, "INSERT INTO sluice_migrations VALUES(7, 'future', 'abc', 'now')");
    CHECK_INT(sl_store_open(path, &db, &err), SL_EDB);
    char want[120];
    snprintf(want, sizeof want,
             "this database was written by a newer sluice (schema version 7; this sluice knows "
             "up to %d)",
             sl__migrations_latest());
    CHECK(strstr(err.msg, want) != NULL);
    remove_db(path);
}

/* ---- loads --------------------------------------------------------------------------------- */

TEST(sqlite_load_writes_bronze_silver_catalog)
{
    struct sl_error err = {0};
    struct sl_db *db = NULL;
    struct sl_schema *s = people_schema(0);
    struct sl_batch b;
    struct sl_load l;
    char *path = temp_db();
    int64_t run = 0;

    CHECK_INT(sl_store_open(path, &db, &err), 0);
    CHECK_INT(db->store->begin_run(db, "load", &run, &err), 0);
    CHECK(run > 0);
    sl_batch_init(&b);
    add_row(&b, 1, 10, "ann", 1.5);
    struct sl_row *r = add_row(&b, 2, 11, NULL, 2.5);
    sl_row_issue(&b, r, SL_ROW_WARNING, "extra-cell", NULL, "zz", 2, "an extra cell");
    r = add_row(&b, 3, 12, "bad", 0);
    sl_row_issue(&b, r, SL_ROW_INVALID, "type-error", "score", "x\"y", 3,
                 "\"x\"y\" is not a number");
    r = add_row(&b, 4, 13, "bytes", 4);
    r->raw_kind = SL_RAW_BYTES;
    r->raw = "\xff\x00\x01";
    r->raw_len = 3;

    init_load(&l, "people", s);
    l.run = run;
    l.rows = 4;
    l.valid = 2;
    l.warning = 1;
    l.invalid = 1;
    l.started = 1000;
    l.finished = 1002.5;
    l.quality_json = "{\"score\":0.75}";
    strcpy(l.ts_max, "2026-11-01T00:00:00Z");
    strcpy(l.sha256, "abc123");
    CHECK_INT(load_batch(db, &l, &b), 1);
    CHECK_INT(l.repeats, 0);
    CHECK_INT(db->store->end_run(db, run, "ok", 1, &err), 0);

    CHECK_Q(path,
            "SELECT group_concat(id || ':' || ifnull(name, '-') || ':' || score || ':' || "
            "_load || ':' || _row, ' ') FROM people",
            "10:ann:1.5:1:1 11:-:2.5:1:2 13:bytes:4.0:1:4");
    CHECK_Q(path,
            "SELECT group_concat(row || ':' || line || ':' || byte_offset || ':' || status, ' ') "
            "FROM bronze_people",
            "1:2:10:valid 2:3:20:warning 3:4:30:invalid 4:5:40:valid");
    CHECK_Q(path, "SELECT raw FROM bronze_people WHERE row = 1", "[\"10\",\"ann\",\"1.5\"]");
    CHECK_Q(path, "SELECT typeof(raw) || ' ' || hex(raw) FROM bronze_people WHERE row = 4",
            "blob FF0001");
    CHECK_Q(path, "SELECT ifnull(errors, 'NULL') FROM bronze_people WHERE row = 1", "NULL");
    CHECK_Q(path, "SELECT errors FROM bronze_people WHERE row = 2",
            "[{\"code\":\"extra-cell\",\"field\":null,\"value\":\"zz\",\"message\":\"an extra "
            "cell\",\"severity\":\"warning\"}]");
    CHECK_Q(path,
            "SELECT json_extract(errors, '$[0].value') || '|' || "
            "json_extract(errors, '$[0].severity') FROM bronze_people WHERE row = 3",
            "x\"y|error");
    CHECK_Q(path,
            "SELECT status || active || ' ' || rows || valid || warning || invalid || "
            "repeats || ' ' || bronze_first || '-' || bronze_last || ' ' || seconds || ' ' "
            "|| started || ' ' || ifnull(ts_min, 'null') || ' ' || ts_max || ' ' || sha256 "
            "|| ' ' || quality || ' ' || run || ' ' || input_size FROM sluice_loads",
            "committed1 42110 1-4 2.5 1970-01-01T00:16:40.000Z null 2026-11-01T00:00:00Z "
            "abc123 {\"score\":0.75} 1 123");
    CHECK_Q(path,
            "SELECT name || ' ' || silver || ' ' || bronze || ' ' || schema FROM "
            "sluice_sources",
            "people people bronze_people {\"fields\":[{\"name\":\"id\",\"type\":\"integer\"},"
            "{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"score\",\"type\":\"number\"}]}");
    CHECK_Q(path,
            "SELECT status || ' ' || loads || ' ' || command || ' ' || (pid > 0) FROM "
            "sluice_runs",
            "ok 1 load 1");

    /* the catalog answers what the pipeline asks */
    int64_t found = -1;
    CHECK_INT(db->store->find_input(db, "people", "abc123", NULL, &found, &err), 0);
    CHECK_INT(found, 1);
    CHECK_INT(db->store->find_input(db, "people", "other", NULL, &found, &err), 0);
    CHECK_INT(found, 0);
    /* a load recorded without a content checksum: its sha256 was its content's */
    CHECK_INT(db->store->find_input(db, "people", "other.gz", "abc123", &found, &err), 0);
    CHECK_INT(found, 1);
    CHECK_INT(db->store->find_input(db, "people", "other.gz", "other", &found, &err), 0);
    CHECK_INT(found, 0);
    CHECK_INT(db->store->has_input_size(db, "people", 123, &err), 1);
    CHECK_INT(db->store->has_input_size(db, "people", 124, &err), 0);
    struct sl_source_state st;
    CHECK_INT(db->store->source_state(db, "people", &st, &err), 0);
    CHECK_INT(st.exists, 1);
    CHECK(st.schema && st.schema->nfields == 3);
    CHECK(st.timestamp == NULL);
    sl_source_state_free(&st);
    CHECK_INT(db->store->source_state(db, "nobody", &st, &err), 0);
    CHECK_INT(st.exists, 0);

    sl_batch_free(&b);
    sl_schema_free(s);
    sl_store_close(db);
    remove_db(path);
}

TEST(sqlite_abort_leaves_no_trace)
{
    struct sl_error err = {0};
    struct sl_db *db = NULL;
    struct sl_schema *s = people_schema(0);
    struct sl_batch b;
    struct sl_load l;
    char *path = temp_db();

    CHECK_INT(sl_store_open(path, &db, &err), 0);
    sl_batch_init(&b);
    add_row(&b, 1, 10, "ann", 1.5);
    init_load(&l, "people", s);
    CHECK_INT(db->store->begin_load(db, &l, &err), 0);
    CHECK_INT(db->store->write(db, &l, &b, &err), 0);
    CHECK_INT(db->store->abort_load(db, &l, &err), 0);
    CHECK(l.priv == NULL);
    CHECK_Q(path, "SELECT count(*) FROM sluice_loads", "0");
    CHECK_Q(path, "SELECT count(*) FROM sluice_sources", "0");
    CHECK_Q(path, "SELECT count(*) FROM sqlite_master WHERE name LIKE '%people'", "0");
    /* the connection is usable again */
    CHECK_INT(load_batch(db, &l, &b), 1);
    CHECK_Q(path, "SELECT count(*) FROM people", "1");
    sl_batch_free(&b);
    sl_schema_free(s);
    sl_store_close(db);
    remove_db(path);
}

TEST(sqlite_keyed_upsert_counts_repeats)
{
    struct sl_error err = {0};
    struct sl_db *db = NULL;
    struct sl_schema *s = people_schema(1);
    struct sl_batch b;
    struct sl_load l;
    char *path = temp_db();

    CHECK_INT(sl_store_open(path, &db, &err), 0);
    sl_batch_init(&b);
    add_row(&b, 1, 10, "ann", 1);
    add_row(&b, 2, 11, "bob", 2);
    add_row(&b, 3, 10, "ann2", 3); /* repeats a key of this load */
    init_load(&l, "people", s);
    CHECK_INT(load_batch(db, &l, &b), 1);
    CHECK_INT(l.repeats, 1);
    CHECK_Q(path,
            "SELECT group_concat(id || name || score || _load || _row, ' ') FROM "
            "(SELECT * FROM people ORDER BY id)",
            "10ann23.013 11bob2.012");

    sl_batch_reset(&b);
    add_row(&b, 1, 11, "bobby", 5);
    add_row(&b, 2, 12, "cy", 6);
    init_load(&l, "people", s);
    CHECK_INT(load_batch(db, &l, &b), 2);
    CHECK_INT(l.repeats, 1);
    CHECK_Q(path,
            "SELECT group_concat(id || name || score || _load || _row, ' ') FROM "
            "(SELECT * FROM people ORDER BY id)",
            "10ann23.013 11bobby5.021 12cy6.022");
    CHECK_Q(path, "SELECT group_concat(repeats, ' ') FROM sluice_loads", "1 1");
    CHECK_Q(path,
            "SELECT sql LIKE '%PRIMARY KEY(\"id\")%' FROM sqlite_master WHERE name = "
            "'people'",
            "1");
    sl_batch_free(&b);
    sl_schema_free(s);
    sl_store_close(db);
    remove_db(path);
}

TEST(sqlite_silver_change_adds_and_rebuilds)
{
    struct sl_error err = {0};
    struct sl_db *db = NULL;
    struct sl_schema *s = people_schema(0);
    struct sl_batch b;
    struct sl_load l;
    char *path = temp_db();

    CHECK_INT(sl_store_open(path, &db, &err), 0);
    sl_batch_init(&b);
    add_row(&b, 1, 10, "ann", 1);
    init_load(&l, "people", s);
    CHECK_INT(load_batch(db, &l, &b), 1);

    /* 1: a new field becomes a new column; old rows have NULL in it */
    struct sl_schema *s2 = people_schema(0);
    sl_schema_add(s2, "city", "city", SL_TYPE_STRING);
    sl_batch_reset(&b);
    struct sl_row *r = add_row(&b, 1, 20, "dee", 2);
    struct sl_value *v = sl_arena_zalloc(&b.arena, 4 * sizeof *v);
    memcpy(v, r->values, 3 * sizeof *v);
    v[3].type = SL_V_TEXT;
    v[3].u.s = "Oslo";
    v[3].len = 4;
    r->values = v;
    init_load(&l, "people", s2);
    l.silver_change = 1;
    CHECK_INT(load_batch(db, &l, &b), 2);
    CHECK_Q(path, "SELECT group_concat(id || ':' || ifnull(city, '-'), ' ') FROM people",
            "10:- 20:Oslo");
    CHECK_Q(path, "SELECT group_concat(name, ',') FROM pragma_table_info('people')",
            "id,name,score,_load,_row,city");

    /* 2: silver is dropped and made anew (the caller refills it from bronze) */
    struct sl_schema *s3 = sl_schema_new();
    sl_schema_add(s3, "id", "id", SL_TYPE_STRING);
    sl_batch_reset(&b);
    r = sl_batch_add_row(&b);
    r->num = 1;
    r->raw = "[\"x1\"]";
    r->raw_len = 6;
    r->values = sl_arena_zalloc(&b.arena, sizeof *r->values);
    r->values[0].type = SL_V_TEXT;
    r->values[0].u.s = "x1";
    r->values[0].len = 2;
    init_load(&l, "people", s3);
    l.silver_change = 2;
    CHECK_INT(db->store->begin_load(db, &l, &err), 0);
    /* others see the old table until the load commits */
    CHECK_Q(path, "SELECT group_concat(name, ',') FROM pragma_table_info('people')",
            "id,name,score,_load,_row,city");
    /* a rebuild row of an earlier load keeps that load's id */
    struct sl_load old;
    init_load(&old, "people", s3);
    old.id = 1;
    struct sl_batch rb;
    sl_batch_init(&rb);
    r = sl_batch_add_row(&rb);
    r->num = 1;
    r->values = sl_arena_zalloc(&rb.arena, sizeof *r->values);
    r->values[0].type = SL_V_TEXT;
    r->values[0].u.s = "10";
    r->values[0].len = 2;
    CHECK_INT(db->store->write_silver(db, &old, &rb, &err), 0);
    CHECK_INT(db->store->write(db, &l, &b, &err), 0);
    CHECK_INT(db->store->commit_load(db, &l, &err), 0);
    CHECK_Q(path, "SELECT group_concat(name || ' ' || type, ',') FROM pragma_table_info('people')",
            "id TEXT,_load INTEGER,_row INTEGER");
    CHECK_Q(path, "SELECT group_concat(id || ':' || _load, ' ') FROM people", "10:1 x1:3");
    CHECK_Q(path, "SELECT count(*) FROM bronze_people", "3");

    sl_batch_free(&rb);
    sl_batch_free(&b);
    sl_schema_free(s);
    sl_schema_free(s2);
    sl_schema_free(s3);
    sl_store_close(db);
    remove_db(path);
}

TEST(sqlite_record_and_list_loads)
{
    struct sl_error err = {0};
    struct sl_db *db = NULL;
    struct sl_schema *s = people_schema(0);
    struct sl_batch b;
    struct sl_load l;
    struct sl_load_info *v = NULL;
    size_t n = 0;
    char **names = NULL;
    char *path = temp_db();

    CHECK_INT(sl_store_open(path, &db, &err), 0);
    sl_batch_init(&b);
    add_row(&b, 1, 10, "ann", 1);
    init_load(&l, "people", s);
    strcpy(l.sha256, "aaaa");
    CHECK_INT(load_batch(db, &l, &b), 1);

    init_load(&l, "people", s);
    strcpy(l.sha256, "aaaa");
    l.status = "skipped";
    l.duplicate_of = 1;
    l.message = "the same input was loaded as load 1";
    CHECK_INT(db->store->record_load(db, &l, &err), 0);
    CHECK_INT(l.id, 2);

    init_load(&l, "other", NULL);
    l.input_size = -1;
    l.status = "failed";
    l.message = "cannot parse";
    CHECK_INT(db->store->record_load(db, &l, &err), 0);

    CHECK_INT(db->store->list_loads(db, "people", &v, &n, &err), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_INT(v[0].id, 1);
        CHECK_STR(v[0].status, "committed");
        CHECK_INT(v[0].active, 1);
        CHECK_INT(v[0].rows, 0);
        CHECK_STR(v[0].sha256, "aaaa");
        CHECK_STR(v[0].format, "csv");
        CHECK_STR(v[0].sluice_version, SL_VERSION);
        CHECK(v[0].finished != NULL && v[0].schema_json != NULL);
        CHECK_INT(v[1].id, 2);
        CHECK_STR(v[1].status, "skipped");
        CHECK_INT(v[1].active, 0);
        CHECK_INT(v[1].duplicate_of, 1);
        CHECK_STR(v[1].message, "the same input was loaded as load 1");
        CHECK(v[1].quality_json == NULL);
    }
    sl_load_infos_free(v, n);
    CHECK_INT(db->store->list_loads(db, NULL, &v, &n, &err), 0);
    CHECK_INT(n, 3);
    if (n == 3) CHECK_INT(v[2].input_size, -1);
    sl_load_infos_free(v, n);

    CHECK_INT(db->store->list_sources(db, &names, &n, &err), 0);
    CHECK_INT(n, 1); /* a failed load does not make a source */
    if (n == 1) CHECK_STR(names[0], "people");
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);

    sl_batch_free(&b);
    sl_schema_free(s);
    sl_store_close(db);
    remove_db(path);
}

struct scan {
    struct sl_buf out;
};

static int scan_cb(void *ctx, const struct sl_bronze_row *r, struct sl_error *err)
{
    struct scan *sc = ctx;
    (void)err;
    sl_buf_addf(&sc->out, "%lld/%lld/%lld/%lld/%s/%zu ", (long long)r->load, (long long)r->num,
                (long long)r->line, (long long)r->offset, r->status, r->raw_len);
    return 0;
}

TEST(sqlite_bronze_scan)
{
    struct sl_error err = {0};
    struct sl_db *db = NULL;
    struct sl_schema *s = people_schema(0);
    struct sl_batch b;
    struct sl_load l;
    struct scan sc = {SL_BUF_INIT};
    char *path = temp_db();

    CHECK_INT(sl_store_open(path, &db, &err), 0);
    sl_batch_init(&b);
    add_row(&b, 1, 10, "a", 1);
    init_load(&l, "people", s);
    CHECK_INT(load_batch(db, &l, &b), 1);
    sl_batch_reset(&b);
    add_row(&b, 1, 20, "b", 1);
    struct sl_row *r = add_row(&b, 2, 21, "c", 1);
    sl_row_issue(&b, r, SL_ROW_INVALID, "type-error", "id", NULL, 0, "bad");
    r = add_row(&b, 3, 22, "d", 1);
    r->raw_kind = SL_RAW_BYTES;
    r->raw = "\xff";
    r->raw_len = 1;
    init_load(&l, "people", s);
    CHECK_INT(load_batch(db, &l, &b), 2);

    CHECK_INT(db->store->bronze_scan(db, "people", 2, scan_cb, &sc, &err), 0);
    CHECK_STR(sl_buf_str(&sc.out), "2/1/2/10/valid/14 2/3/4/30/valid/1 ");
    sl_buf_reset(&sc.out);
    CHECK_INT(db->store->bronze_scan(db, "people", 1, scan_cb, &sc, &err), 0);
    CHECK_STR(sl_buf_str(&sc.out), "1/1/2/10/valid/14 ");
    CHECK_INT(db->store->bronze_scan(db, "people", 9, scan_cb, &sc, &err), SL_ENOTFOUND);

    sl_buf_free(&sc.out);
    sl_batch_free(&b);
    sl_schema_free(s);
    sl_store_close(db);
    remove_db(path);
}

TEST(sqlite_hostile_names_are_quoted)
{
    struct sl_error err = {0};
    struct sl_db *db = NULL;
    struct sl_schema *s = sl_schema_new();
    const char *evil = "x\"; DROP TABLE y; --";
    const char *pk[] = {"x\"; DROP TABLE y; --"};
    struct sl_batch b;
    struct sl_load l;
    char *path = temp_db();

    sl_schema_add(s, evil, evil, SL_TYPE_STRING);
    sl_schema_add(s, "n", "n", SL_TYPE_INTEGER);
    CHECK_INT(sl_schema_set_pk(s, pk, 1, &err), 0);
    CHECK_INT(sl_store_open(path, &db, &err), 0);
    exec_sql(path, "CREATE TABLE y(a)");
    sl_batch_init(&b);
    for (int i = 1; i <= 2; i++) {
        struct sl_row *r = sl_batch_add_row(&b);
        r->num = i;
        r->raw = "{}";
        r->raw_len = 2;
        r->values = sl_arena_zalloc(&b.arena, 2 * sizeof *r->values);
        r->values[0].type = SL_V_TEXT;
        r->values[0].u.s = "k";
        r->values[0].len = 1;
        r->values[1].type = SL_V_INT;
        r->values[1].u.i = i;
    }
    init_load(&l, "t", s);
    CHECK_INT(load_batch(db, &l, &b), 1);
    CHECK_INT(l.repeats, 1);
    CHECK_Q(path, "SELECT \"x\"\"; DROP TABLE y; --\" || n FROM t", "k2");
    CHECK_Q(path, "SELECT count(*) FROM sqlite_master WHERE name = 'y'", "1");

    /* as a source name it is refused before any SQL runs */
    init_load(&l, evil, s);
    CHECK_INT(db->store->begin_load(db, &l, &err), SL_EINVAL);
    CHECK_Q(path, "SELECT count(*) FROM sqlite_master WHERE name = 'y'", "1");
    sl_batch_free(&b);
    sl_schema_free(s);
    sl_store_close(db);
    remove_db(path);
}

/* Source names are unique ignoring case: the store refuses "People" next to "people" inside
 * the load's transaction (the pipeline checks before, this holds against a concurrent load). */
TEST(sqlite_source_names_ignore_case)
{
    struct sl_error err = {0};
    struct sl_db *db = NULL;
    struct sl_schema *s = people_schema(0);
    struct sl_batch b;
    struct sl_load l;
    char *path = temp_db();

    CHECK_INT(sl_store_open(path, &db, &err), 0);
    sl_batch_init(&b);
    add_row(&b, 1, 10, "ann", 1);
    init_load(&l, "people", s);
    CHECK_INT(load_batch(db, &l, &b), 1);
    init_load(&l, "People", s);
    CHECK_INT(db->store->begin_load(db, &l, &err), SL_EINVAL);
    CHECK(strstr(err.msg, "source 'People': the store has a source 'people' already") != NULL);
    CHECK_INT(sl_source_case_conflict(db, "PEOPLE", &err), SL_EINVAL);
    CHECK_INT(sl_source_case_conflict(db, "people", &err), 0);
    CHECK_INT(sl_source_case_conflict(db, "people2", &err), 0);
    CHECK_Q(path, "SELECT group_concat(name) FROM sluice_sources", "people");
    /* the connection is not left inside a transaction */
    init_load(&l, "other", s);
    CHECK_INT(load_batch(db, &l, &b), 2);
    sl_batch_free(&b);
    sl_schema_free(s);
    sl_store_close(db);
    remove_db(path);
}

/* A COMMIT that fails (a deferred foreign key is still violated) rolls the load back. */
TEST(sqlite_failed_commit_rolls_back)
{
    struct sl_error err = {0};
    struct sl_db *db = NULL;
    struct sl_schema *s = people_schema(0);
    struct sl_batch b;
    struct sl_load l;
    char *path = temp_db();

    CHECK_INT(sl_store_open(path, &db, &err), 0);
    exec_sql(path, "CREATE TABLE parent(id INTEGER PRIMARY KEY); CREATE TABLE people(id INTEGER, "
                   "name TEXT, score REAL, _load INTEGER NOT NULL, _row INTEGER NOT NULL, "
                   "FOREIGN KEY(id) REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
    sl_batch_init(&b);
    add_row(&b, 1, 10, "ann", 1);
    init_load(&l, "people", s);
    CHECK_INT(db->store->begin_load(db, &l, &err), 0);
    CHECK_INT(db->store->write(db, &l, &b, &err), 0);
    CHECK_INT(db->store->commit_load(db, &l, &err), SL_EDB);
    CHECK(strstr(err.msg, "committing the load: FOREIGN KEY constraint failed") != NULL);
    CHECK(l.priv == NULL);
    CHECK_Q(path, "SELECT count(*) FROM sluice_loads", "0");
    CHECK_Q(path, "SELECT count(*) FROM people", "0");
    /* the connection is not left inside a transaction */
    init_load(&l, "other", s);
    CHECK_INT(load_batch(db, &l, &b), 1);
    sl_batch_free(&b);
    sl_schema_free(s);
    sl_store_close(db);
    remove_db(path);
}

/* ---- changes: the store methods rollback, activate, deactivate and rebuild use ------------ */

TEST(sqlite_change_flags_events_and_silver)
{
    struct sl_error err = {0};
    struct sl_db *db = NULL;
    struct sl_schema *s = people_schema(1);
    struct sl_batch b;
    struct sl_load l, ch;
    struct sl_version_event ev = {0}, *evs = NULL;
    struct sl_load_info *loads = NULL;
    size_t n = 0;
    char *path = temp_db();

    CHECK_INT(sl_store_open(path, &db, &err), 0);
    sl_batch_init(&b);
    add_row(&b, 1, 10, "ann", 1);
    add_row(&b, 2, 11, "bob", 2);
    init_load(&l, "people", s);
    l.mode = "upsert";
    CHECK_INT(load_batch(db, &l, &b), 1);
    sl_batch_reset(&b);
    add_row(&b, 1, 11, "bobby", 5);
    init_load(&l, "people", s);
    l.mode = "upsert";
    CHECK_INT(load_batch(db, &l, &b), 2);
    CHECK_INT(db->store->list_loads(db, "people", &loads, &n, &err), 0);
    CHECK_INT(n, 2);
    CHECK_STR(loads[1].mode, "upsert");
    sl_load_infos_free(loads, n);

    /* a change that is rolled back leaves flags, events and silver as they were */
    memset(&ch, 0, sizeof ch);
    ch.source = "people";
    ch.schema = s;
    ev.command = "deactivate";
    ev.who = "ana";
    ev.reason = "why not";
    CHECK_INT(db->store->begin_change(db, &ch, 0, &err), 0);
    CHECK_INT(db->store->set_active(db, &ch, 2, 0, &ev, &err), 0);
    CHECK_INT(db->store->set_active(db, &ch, 99, 0, &ev, &err), SL_ENOTFOUND);
    int64_t deleted = 0;
    CHECK_INT(db->store->delete_silver_load(db, &ch, 2, &deleted, &err), 0);
    CHECK_INT(deleted, 1);
    CHECK_INT(db->store->end_change(db, &ch, 0, &err), 0);
    CHECK_Q(path, "SELECT group_concat(active, ' ') FROM sluice_loads", "1 1");
    CHECK_Q(path, "SELECT count(*) FROM sluice_version_events", "0");
    CHECK_Q(path, "SELECT group_concat(id || name || _load, ' ') FROM people", "10ann1 11bobby2");

    /* emptied silver refilled through write_silver (rows keep the load they came from) */
    CHECK_INT(db->store->begin_change(db, &ch, 1, &err), 0);
    CHECK_Q(path, "SELECT count(*) FROM people", "2"); /* not visible before the commit */
    CHECK_INT(db->store->set_active(db, &ch, 2, 0, &ev, &err), 0);
    sl_batch_reset(&b);
    add_row(&b, 1, 10, "ann", 1);
    add_row(&b, 2, 11, "bob", 2);
    ch.id = 1;
    CHECK_INT(db->store->write_silver(db, &ch, &b, &err), 0);
    CHECK_INT(db->store->end_change(db, &ch, 1, &err), 0);
    CHECK_Q(path, "SELECT group_concat(active, ' ') FROM sluice_loads", "1 0");
    CHECK_Q(path, "SELECT group_concat(id || name || _load || _row, ' ') FROM people",
            "10ann11 11bob12");
    CHECK_INT(db->store->list_events(db, "people", &evs, &n, &err), 0);
    CHECK_INT(n, 1);
    CHECK_INT(evs[0].load, 2);
    CHECK_STR(evs[0].action, "deactivate");
    CHECK_STR(evs[0].command, "deactivate");
    CHECK_STR(evs[0].who, "ana");
    CHECK_STR(evs[0].reason, "why not");
    CHECK(evs[0].at && strlen(evs[0].at) == 24);
    sl_version_events_free(evs, n);
    CHECK_INT(db->store->list_events(db, "other", &evs, &n, &err), 0);
    CHECK_INT(n, 0);
    sl_version_events_free(evs, n);

    sl_batch_free(&b);
    sl_schema_free(s);
    sl_store_close(db);
    remove_db(path);
}

/* The PostgreSQL store on the test server (tests/run exports SLUICE_PG_URL): the pool's
 * counters as a server would read them. */
TEST(pg_pool_stats)
{
    struct sl_error err = {0};
    struct sl_db *db = NULL;
    struct sl_pg_pool_stats st;
    const char *url = getenv("SLUICE_PG_URL");

    if (!url || !*url) {
        CHECK(!"SLUICE_PG_URL is not set: run the unit tests through tests/run (make test), "
               "which starts a PostgreSQL server");
        return;
    }
    CHECK_INT(sl_store_open(url, &db, &err), 0);
    if (!db) return;
    CHECK(db->store == &sl_store_postgres);
    CHECK_INT(sl_store_pg_pool_stats(db, &st), 0);
    CHECK_INT(st.size, 4);
    CHECK_INT(st.open, 1);
    CHECK_INT(st.in_use, 1); /* the store's connection */
    CHECK_INT(st.connects, 1);
    CHECK_INT(st.failures, 0);
    sl_store_close(db);
    CHECK_INT(sl_store_open("sluice.db.notpg", &db, &err), 0);
    CHECK_INT(sl_store_pg_pool_stats(db, &st), -1);
    sl_store_close(db);
    unlink("sluice.db.notpg");
    unlink("sluice.db.notpg-wal");
    unlink("sluice.db.notpg-shm");
}

/* A pool with options o on the test server (tests/run exports PGHOST), or NULL. */
static struct sl_pg_pool *test_server_pool(const struct sl_pg_pool_opts *o)
{
    const char *host = getenv("PGHOST");
    struct sl_pg_pool *p;
    char *ci;

    if (!host || !*host) {
        CHECK(!"PGHOST is not set: run the unit tests through tests/run (make test)");
        return NULL;
    }
    ci = sl_xasprintf("host=%s dbname=postgres", host);
    p = sl_pg_pool_new(ci, o);
    free(ci);
    return p;
}

/* The pool on its own: the bound, waiting for a free connection, retries counted. */
TEST(pg_pool_bound_and_retries)
{
    struct sl_error err = {0};
    struct sl_pg_pool_opts o = {.size = 1,
                                .acquire_timeout_ms = 50,
                                .connect_retries = 2,
                                .backoff_ms = 1,
                                .backoff_max_ms = 2};
    struct sl_pg_pool_stats st;
    struct sl_pg_pool *p = test_server_pool(&o);
    struct pg_conn *a, *b;

    if (!p) return;
    a = sl_pg_pool_acquire(p, &err);
    CHECK(a != NULL);
    b = sl_pg_pool_acquire(p, &err); /* the only connection is taken */
    CHECK(b == NULL);
    CHECK_STR(err.msg, "no free PostgreSQL connection after 50 ms (pool size 1)");
    sl_pg_pool_release(p, a, 0);
    b = sl_pg_pool_acquire(p, &err); /* the idle one again */
    CHECK(b == a);
    sl_pg_pool_stats(p, &st);
    CHECK_INT(st.waits, 1);
    CHECK_INT(st.connects, 1);
    CHECK_INT(st.in_use, 1);
    sl_pg_pool_release(p, b, 1); /* broken: closed */
    sl_pg_pool_stats(p, &st);
    CHECK_INT(st.open, 0);
    CHECK_INT(st.failures, 1);
    sl_pg_pool_free(p);

    p = sl_pg_pool_new("host=127.0.0.1 port=1 dbname=x", &o);
    CHECK(sl_pg_pool_acquire(p, &err) == NULL);
    sl_pg_pool_stats(p, &st);
    CHECK_INT(st.retries, 2);
    CHECK_INT(st.failures, 1);
    CHECK(strstr(err.msg, "cannot connect to PostgreSQL after 3 attempts: ") == err.msg);
    sl_pg_pool_free(p);
}

/* A connection that helps but is not needed (a load's bronze writer): no wait for a free one,
 * one attempt to connect. */
TEST(pg_pool_try_acquire)
{
    struct sl_error err = {0};
    struct sl_pg_pool_opts o = {.size = 1,
                                .acquire_timeout_ms = 60000,
                                .connect_retries = 3,
                                .backoff_ms = 1000,
                                .backoff_max_ms = 1000};
    struct sl_pg_pool_stats st;
    struct sl_pg_pool *p = test_server_pool(&o);
    struct pg_conn *a;

    if (!p) return;
    a = sl_pg_pool_try_acquire(p, &err);
    CHECK(a != NULL);
    CHECK(sl_pg_pool_try_acquire(p, &err) == NULL); /* full: no 60 s wait */
    CHECK_STR(err.msg, "no free PostgreSQL connection (pool size 1)");
    sl_pg_pool_stats(p, &st);
    CHECK_INT(st.waits, 0);
    CHECK_INT(st.in_use, 1);
    CHECK_INT(st.open, 1);
    sl_pg_pool_release(p, a, 0);
    CHECK(sl_pg_pool_try_acquire(p, &err) == a); /* the idle one */
    sl_pg_pool_release(p, a, 0);
    sl_pg_pool_free(p);

    p = sl_pg_pool_new("host=127.0.0.1 port=1 dbname=x", &o);
    CHECK(sl_pg_pool_try_acquire(p, &err) == NULL); /* refused: not asked again */
    sl_pg_pool_stats(p, &st);
    CHECK_INT(st.retries, 0);
    CHECK_INT(st.failures, 1);
    CHECK_INT(st.open, 0);
    CHECK(strstr(err.msg, "cannot connect to PostgreSQL: ") == err.msg);
    sl_pg_pool_free(p);
}

/* ---- the PostgreSQL store's change methods, lookups and bronze-only loads ------------------- */

/* The first column of the first row of sql on database db of the test server ("" for no row,
 * "NULL" for null). */
static char *pgq(const char *db, const char *sql)
{
    char *ci = sl_xasprintf("dbname=%s options='-c client_min_messages=warning'", db), *out;
    PGconn *c = PQconnectdb(ci);
    PGresult *r = PQexec(c, sql);

    if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
        out = sl_xasprintf("ERROR %s", PQerrorMessage(c));
    else if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0)
        out = sl_xstrdup(PQgetisnull(r, 0, 0) ? "NULL" : PQgetvalue(r, 0, 0));
    else
        out = sl_xstrdup("");
    PQclear(r);
    PQfinish(c);
    free(ci);
    return out;
}

#define CHECK_PGQ(db, sql, want)   \
    do {                           \
        char *got_ = pgq(db, sql); \
        CHECK_STR(got_, want);     \
        free(got_);                \
    } while (0)

/* A new, empty database dbname on the test server: its URL (malloc'ed), or NULL. */
static char *fresh_pg_db(const char *dbname)
{
    char *sql;

    if (!getenv("PGHOST") || !*getenv("PGHOST")) {
        CHECK(!"PGHOST is not set: run the unit tests through tests/run (make test)");
        return NULL;
    }
    sql = sl_xasprintf("DROP DATABASE IF EXISTS %s", dbname);
    free(pgq("postgres", sql));
    free(sql);
    sql = sl_xasprintf("CREATE DATABASE %s", dbname);
    CHECK_PGQ("postgres", sql, "");
    free(sql);
    return sl_xasprintf("postgresql:///%s", dbname);
}

static int lookup1(struct sl_db *db, const char *source, const char *col, const struct sl_value *v,
                   const char *excl, const struct sl_value *exv)
{
    struct sl_error err = {0};
    uint8_t found = 2;
    const char *cols[] = {col}, *ex[] = {excl};
    const struct sl_value *vals[] = {v}, *exvals[] = {exv};
    int rc = db->store->silver_lookup(db, source, cols, 1, vals, ex, exvals, excl ? 1 : 0, 1,
                                      &found, &err);
    if (rc < 0) {
        fprintf(stderr, "  silver_lookup: %s\n", err.msg);
        return rc;
    }
    return found;
}

TEST(pg_change_flags_events_lookups_and_bronze_only)
{
    struct sl_error err = {0};
    struct sl_db *db = NULL;
    struct sl_schema *s = people_schema(1);
    struct sl_batch b;
    struct sl_load l, ch;
    struct sl_version_event ev = {0}, *evs = NULL;
    struct sl_load_info *loads = NULL;
    struct sl_migration_info *mig = NULL;
    struct sl_value v10 = {.type = SL_V_INT, .u.i = 10}, v11 = {.type = SL_V_INT, .u.i = 11},
                    v99 = {.type = SL_V_INT, .u.i = 99};
    struct sl_value ann = {.type = SL_V_TEXT, .u.s = "ann", .len = 3},
                    abc = {.type = SL_V_TEXT, .u.s = "abc", .len = 3},
                    t11 = {.type = SL_V_TEXT, .u.s = "11", .len = 2};
    size_t n = 0;
    char dbname[64], *url, *sql;
    int64_t id;

    snprintf(dbname, sizeof dbname, "unit_change_%d", (int)getpid());
    if (!(url = fresh_pg_db(dbname))) {
        sl_schema_free(s);
        return;
    }
    CHECK_INT(sl_store_open(url, &db, &err), 0);
    if (!db) goto out;

    CHECK_INT(db->store->migrations(db, &mig, &n, &err), 0);
    CHECK_INT(n, (size_t)sl__migrations_latest());
    CHECK(n > 0 && mig[n - 1].applied && !mig[n - 1].changed);
    sl_migration_infos_free(mig, n);

    /* nothing loaded yet: nothing found */
    CHECK_INT(lookup1(db, "people", "id", &v10, NULL, NULL), 0);

    sl_batch_init(&b);
    add_row(&b, 1, 10, "ann", 1);
    add_row(&b, 2, 11, "bob", 2);
    init_load(&l, "people", s);
    l.mode = "upsert";
    l.transforms_json = "{\"steps\":[\"trim(name)\"],\"changed\":{}}";
    CHECK_INT(load_batch(db, &l, &b), 1);
    sl_batch_reset(&b);
    add_row(&b, 1, 11, "bobby", 5);
    init_load(&l, "people", s);
    l.mode = "upsert";
    CHECK_INT(load_batch(db, &l, &b), 2);
    CHECK_INT(db->store->list_loads(db, "people", &loads, &n, &err), 0);
    CHECK_INT(n, 2);
    CHECK_STR(loads[0].mode, "upsert");
    CHECK_STR(loads[0].transforms_json, "{\"steps\":[\"trim(name)\"],\"changed\":{}}");
    CHECK(loads[1].transforms_json == NULL);
    sl_load_infos_free(loads, n);

    /* lookups: equal values, the exclusion of the row's own key, values of another type */
    CHECK_INT(lookup1(db, "people", "id", &v10, NULL, NULL), 1);
    CHECK_INT(lookup1(db, "people", "id", &v99, NULL, NULL), 0);
    CHECK_INT(lookup1(db, "people", "id", &t11, NULL, NULL), 1);
    CHECK_INT(lookup1(db, "people", "name", &ann, "id", &v10), 0);
    CHECK_INT(lookup1(db, "people", "name", &ann, "id", &v11), 1);
    CHECK_INT(lookup1(db, "people", "name", &ann, "id", &abc), 1);
    CHECK_INT(lookup1(db, "nosuch", "id", &v10, NULL, NULL), 0);

    /* inside an open load: a value that no bigint can equal does not end its transaction,
     * and the load's own rows are seen */
    sl_batch_reset(&b);
    add_row(&b, 1, 12, "cy", 3);
    init_load(&l, "people", s);
    CHECK_INT(db->store->begin_load(db, &l, &err), 0);
    CHECK_INT(db->store->write(db, &l, &b, &err), 0);
    CHECK_INT(lookup1(db, "people", "id", &abc, NULL, NULL), 0);
    struct sl_value v12 = {.type = SL_V_INT, .u.i = 12};
    CHECK_INT(lookup1(db, "people", "id", &v12, NULL, NULL), 1);
    CHECK_INT(db->store->abort_load(db, &l, &err), 0);
    CHECK_INT(lookup1(db, "people", "id", &v12, NULL, NULL), 0);

    /* the aborted load written again as bronze only keeps its id: failed, not active, its
     * bronze rows committed, silver and the source's schema untouched */
    id = l.id;
    CHECK(id == 3);
    l.bronze_only = 1;
    l.mode = "append";
    l.transforms_json = "{\"steps\":[],\"changed\":{}}";
    CHECK_INT(db->store->begin_load(db, &l, &err), 0);
    CHECK_INT(db->store->write(db, &l, &b, &err), 0);
    CHECK_INT(db->store->commit_load(db, &l, &err), 0);
    CHECK(l.id == id);
    CHECK_PGQ(dbname, "SELECT status || active || mode FROM sluice.loads WHERE load = 3",
              "failed0append");
    CHECK_PGQ(dbname, "SELECT count(*) FROM bronze.people WHERE load_id = 3", "1");
    CHECK_PGQ(dbname, "SELECT count(*) FROM people WHERE _load = 3", "0");

    /* a source whose name differs from "people" only by case is refused inside the load's
     * transaction, which is not left open */
    init_load(&l, "People", s);
    CHECK_INT(db->store->begin_load(db, &l, &err), SL_EINVAL);
    CHECK(strstr(err.msg, "a source 'people' already") != NULL);
    CHECK_PGQ(dbname, "SELECT count(*) FROM sluice.sources", "1");

    /* a change that is rolled back leaves flags, events and silver as they were */
    memset(&ch, 0, sizeof ch);
    ch.source = "people";
    ch.schema = s;
    ev.command = "deactivate";
    ev.who = "ana";
    ev.reason = "why not";
    CHECK_INT(db->store->begin_change(db, &ch, 0, &err), 0);
    CHECK_INT(db->store->set_active(db, &ch, 2, 0, &ev, &err), 0);
    CHECK_INT(db->store->set_active(db, &ch, 99, 0, &ev, &err), SL_ENOTFOUND);
    CHECK_INT(db->store->set_active(db, &ch, 3, 1, &ev, &err), SL_ENOTFOUND); /* failed */
    CHECK_INT(db->store->end_change(db, &ch, 0, &err), 0);
    CHECK_INT(db->store->begin_change(db, &ch, 0, &err), 0);
    int64_t deleted = 0;
    CHECK_INT(db->store->delete_silver_load(db, &ch, 2, &deleted, &err), 0);
    CHECK_INT(deleted, 1);
    CHECK_INT(db->store->end_change(db, &ch, 0, &err), 0);
    CHECK_PGQ(dbname, "SELECT string_agg(active::text, ' ' ORDER BY load) FROM sluice.loads",
              "1 1 0");
    CHECK_PGQ(dbname, "SELECT count(*) FROM sluice.version_events", "0");
    CHECK_PGQ(dbname, "SELECT string_agg(id || name || _load, ' ' ORDER BY id) FROM people",
              "10ann1 11bobby2");

    /* emptied silver refilled through write_silver (rows keep the load they came from) */
    CHECK_INT(db->store->begin_change(db, &ch, 1, &err), 0);
    CHECK_INT(db->store->set_active(db, &ch, 2, 0, &ev, &err), 0);
    sl_batch_reset(&b);
    add_row(&b, 1, 10, "ann", 1);
    add_row(&b, 2, 11, "bob", 2);
    ch.id = 1;
    CHECK_INT(db->store->write_silver(db, &ch, &b, &err), 0);
    CHECK_INT(db->store->end_change(db, &ch, 1, &err), 0);
    CHECK_PGQ(dbname, "SELECT string_agg(active::text, ' ' ORDER BY load) FROM sluice.loads",
              "1 0 0");
    CHECK_PGQ(dbname, "SELECT string_agg(id || name || _load || _row, ' ' ORDER BY id) FROM people",
              "10ann11 11bob12");
    CHECK_INT(db->store->list_events(db, "people", &evs, &n, &err), 0);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_INT(evs[0].load, 2);
        CHECK_STR(evs[0].source, "people");
        CHECK_STR(evs[0].action, "deactivate");
        CHECK_STR(evs[0].command, "deactivate");
        CHECK_STR(evs[0].who, "ana");
        CHECK_STR(evs[0].reason, "why not");
        CHECK(evs[0].at && strlen(evs[0].at) == 24);
    }
    sl_version_events_free(evs, n);
    CHECK_INT(db->store->list_events(db, "other", &evs, &n, &err), 0);
    CHECK_INT(n, 0);
    sl_version_events_free(evs, n);
    /* no change open: committing one is an error, rolling back is not */
    CHECK(db->store->end_change(db, &ch, 1, &err) < 0);
    CHECK_INT(db->store->end_change(db, &ch, 0, &err), 0);
    sl_batch_free(&b);
    sl_store_close(db);
out:
    sql = sl_xasprintf("DROP DATABASE IF EXISTS %s", dbname);
    free(pgq("postgres", sql));
    free(sql);
    free(url);
    sl_schema_free(s);
}

/* The PostgreSQL store checks what sluice.migrations records, on a read-write open (which
 * would migrate) and on a read-only one alike: a version newer than this sluice knows and a
 * migration changed after it was applied are refused; a missing one is said by a read-only
 * open (a read-write open would apply it). */
TEST(pg_migration_ledger_checked)
{
    struct sl_error err = {0};
    struct sl_db *db = NULL;
    char dbname[64], *url, *sql, want[160];

    snprintf(dbname, sizeof dbname, "unit_ledger_%d", (int)getpid());
    if (!(url = fresh_pg_db(dbname))) return;
    CHECK_INT(sl_store_open(url, &db, &err), 0);
    sl_store_close(db);
    db = NULL;

    CHECK_PGQ(dbname, "INSERT INTO sluice.migrations VALUES(99, 'future', 'abc', 'now')", "");
    snprintf(want, sizeof want,
             "this database was written by a newer sluice (schema version 99; this sluice "
             "knows up to %d)",
             sl__migrations_latest());
    CHECK_INT(sl_store_open(url, &db, &err), SL_EDB);
    CHECK(db == NULL);
    CHECK(strstr(err.msg, want) != NULL);
    err.msg[0] = 0;
    CHECK_INT(sl_store_open_flags(url, SL_STORE_OPEN_READ_ONLY, &db, &err), SL_EDB);
    CHECK(db == NULL);
    CHECK(strstr(err.msg, want) != NULL);
    CHECK_PGQ(dbname, "DELETE FROM sluice.migrations WHERE version = 99", "");

    CHECK_PGQ(dbname, "UPDATE sluice.migrations SET checksum = 'x' WHERE version = 1", "");
    CHECK_INT(sl_store_open(url, &db, &err), SL_EDB);
    CHECK(db == NULL);
    CHECK(strstr(err.msg, "migration 1 (catalog) was changed after it was applied") != NULL);
    err.msg[0] = 0;
    CHECK_INT(sl_store_open_flags(url, SL_STORE_OPEN_READ_ONLY, &db, &err), SL_EDB);
    CHECK(db == NULL);
    CHECK(strstr(err.msg, "migration 1 (catalog) was changed after it was applied") != NULL);

    /* migration 1 not recorded at all */
    CHECK_PGQ(dbname, "DELETE FROM sluice.migrations WHERE version = 1", "");
    CHECK_INT(sl_store_open_flags(url, SL_STORE_OPEN_READ_ONLY, &db, &err), SL_EINVAL);
    CHECK(db == NULL);
    CHECK(strstr(err.msg, "the catalog was written by an older sluice (1 migration to apply)") !=
          NULL);

    sql = sl_xasprintf("DROP DATABASE IF EXISTS %s", dbname);
    free(pgq("postgres", sql));
    free(sql);
    free(url);
}

/* PostgreSQL's jsonb size as sluice measures it before COPY (issue 13, item 18): never less
 * than the server's (pg_column_size(x::jsonb) - 4 on PostgreSQL 15, measured), at most a few
 * bytes a value more; -1 for a number numeric cannot hold. */
TEST(pg_jsonb_size_estimate)
{
    static const struct {
        const char *json;
        int64_t real; /* -1: PostgreSQL refuses it */
    } cases[] = {
        {"[1,1,1]", 40},
        {"[12345,1,2]", 44},
        {"{\"a\":1,\"bb\":\"xyz\",\"c\":[1,2.5,{\"d\":null}]}", 92},
        {"\"abc\"", 11},
        {"123.456e-3", 18},
        {"[1e1000, 0.000001, -0, 0.0]", 54},
        {"{\"k\":\"\\u00e9\\ud83d\\ude00\\n\"}", 20},
        {"[[],[[]],{}]", 36},
        {"[1e131071]", 18},
        {"[1e-16383]", 18},
        {"[true,false,null,\"x\"]", 21},
        {"[1e-16384]", -1},
        {"{\"a\":1e131072}", -1},
    };
    struct sl_store_limits L;
    sl_store_postgres.limits(NULL, &L);
    CHECK_INT(L.json, 268435455);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t got = L.json_size(cases[i].json, strlen(cases[i].json));
        if (cases[i].real < 0) {
            CHECK_INT(got, -1);
            continue;
        }
        if (got < cases[i].real || got > cases[i].real + 24)
            fprintf(stderr, "  %s: estimated %lld, real %lld\n", cases[i].json, (long long)got,
                    (long long)cases[i].real);
        CHECK(got >= cases[i].real && got <= cases[i].real + 24);
    }
    /* 1000 values: exact padding in arrays, at most 3 bytes a number in an object */
    struct sl_buf j = SL_BUF_INIT;
    for (int k = 0; k < 3; k++) {
        static const int64_t real[] = {12004, 16002, 19900};
        sl_buf_reset(&j);
        sl_buf_adds(&j, k == 2 ? "{" : "[");
        for (int v = 1; v <= 1000; v++) {
            if (v > 1) sl_buf_addc(&j, ',');
            if (k == 0) sl_buf_adds(&j, "1");
            if (k == 1) sl_buf_adds(&j, "12345");
            if (k == 2) sl_buf_addf(&j, "\"k%d\":%d", v, v);
        }
        sl_buf_adds(&j, k == 2 ? "}" : "]");
        int64_t got = L.json_size(j.p, j.len);
        if (got < real[k] || got > real[k] + (k == 2 ? 3024 : 24))
            fprintf(stderr, "  case %d: estimated %lld, real %lld\n", k, (long long)got,
                    (long long)real[k]);
        CHECK(got >= real[k] && got <= real[k] + (k == 2 ? 3024 : 24));
    }
    sl_buf_free(&j);
}

/* Rows the store cannot hold become invalid before they are written (issue 13, items 4, 18):
 * with SQLite's limits of the store as it is, lowered to 100 kB by SLUICE_SQLITE_MAX_LENGTH. */
TEST(fit_rows_to_store_limits)
{
    struct sl_error err = {0};
    struct sl_db *db = NULL;
    char *path = temp_db();
    struct sl__fit f;
    struct sl_batch b;
    struct sl_schema *s = sl_schema_new();
    static char big[70000];

    memset(big, 'x', sizeof big);
    setenv("SLUICE_SQLITE_MAX_LENGTH", "100kB", 1);
    CHECK_INT(sl_store_open(path, &db, &err), 0);
    unsetenv("SLUICE_SQLITE_MAX_LENGTH");
    memset(&f, 0, sizeof f);
    db->store->limits(db, &f.limits);
    CHECK_INT(f.limits.value, 100000);
    CHECK_INT(f.limits.row, 100000);
    CHECK_INT(sl__fit_max_record(&f.limits, "SQLite", 100000, &err), 0);
    CHECK_INT(sl__fit_max_record(&f.limits, "SQLite", 100001, &err), SL_ECONFIG);
    sl_schema_add(s, "a", "a", SL_TYPE_STRING);
    sl_schema_add(s, "b", "b", SL_TYPE_STRING);
    f.cast = s;
    sl_batch_init(&b);
    for (int k = 0; k < 3; k++) {
        struct sl_row *r = sl_batch_add_row(&b);
        r->raw = "[\"x\"]";
        r->raw_len = 5;
        r->values = sl_arena_zalloc(&b.arena, 2 * sizeof *r->values);
        for (int i = 0; i < 2; i++) {
            r->values[i].type = SL_V_TEXT;
            r->values[i].u.s = big;
            r->values[i].len = k == 0 ? 10 : k == 1 ? 49000 : 50000;
        }
    }
    sl__fit_batch(&f, &b);
    CHECK_INT(b.rows[0].status, SL_ROW_VALID);
    CHECK_INT(b.rows[1].status, SL_ROW_VALID);
    CHECK_INT(b.rows[2].status, SL_ROW_INVALID); /* 100,000 bytes of values and the columns */
    CHECK(b.rows[2].issues && strstr(b.rows[2].issues->message,
                                     "the row's values take 100100 bytes, more than SQLite's "
                                     "length limit of 100000 bytes (a row)"));
    CHECK_INT(b.rows[2].raw_len, 5); /* bronze keeps the record: it fits */
    sl_batch_free(&b);
    sl_schema_free(s);
    sl_store_close(db);
    remove_db(path);
}

/* ---- the catalog, written once (src/store/catalog.c) ------------------------------------- */

static char *cat_sql(const struct sl_store *st, const char *sql)
{
    struct sl_buf b = SL_BUF_INIT;
    sl__cat_sql(st->catalog, sql, &b);
    return sl_buf_detach(&b);
}

#define CHECK_CAT_SQL(st, sql, want)   \
    do {                               \
        char *got_ = cat_sql(st, sql); \
        CHECK_STR(got_, want);         \
        free(got_);                    \
    } while (0)

/* One notation, each store's SQL: tables, parameters, casts, byte order. */
TEST(catalog_sql_dialects)
{
    const char *list = "SELECT load FROM @loads WHERE $1::text IS NULL OR source = $1 "
                       "ORDER BY name@bytewise, $12";
    CHECK_CAT_SQL(&sl_store_sqlite, list,
                  "SELECT load FROM sluice_loads WHERE ?1 IS NULL OR source = ?1 "
                  "ORDER BY name, ?12");
    CHECK_CAT_SQL(&sl_store_postgres, list,
                  "SELECT load FROM sluice.loads WHERE $1::text IS NULL OR source = $1 "
                  "ORDER BY name COLLATE \"C\", $12");
    /* a $ without a digit and a : without a second are SQL */
    CHECK_CAT_SQL(&sl_store_sqlite, "INSERT INTO @version_events(at) VALUES('x $ y: z')",
                  "INSERT INTO sluice_version_events(at) VALUES('x $ y: z')");
    CHECK_CAT_SQL(&sl_store_postgres, sl_store_postgres.catalog->load_id,
                  "coalesce($32::bigint, nextval(pg_get_serial_sequence('sluice.loads', "
                  "'load')))");
    CHECK(sl_store_sqlite.catalog->load_id == NULL);
}

/* A store's catalog rows for two recorded loads (one with every field, one with none) and a
 * run, as list_loads reads them back. */
static void catalog_round_trip(struct sl_db *db, struct sl_load_info **out, size_t *n)
{
    struct sl_error err = {0};
    struct sl_load l;
    int64_t run = 0, first;

    *out = NULL;
    *n = 0;
    CHECK_INT(db->store->begin_run(db, "load", &run, &err), 0);
    CHECK(run > 0);
    memset(&l, 0, sizeof l);
    l.source = "people";
    l.run = run;
    l.input = "people.csv";
    l.input_size = 123;
    strcpy(l.sha256, "ab12");
    l.format = "csv";
    l.compression = "gzip";
    l.encoding = "utf-8";
    l.dialect_json = "{\"delimiter\":\",\"}";
    l.columns_json = "[\"id\"]";
    l.rows = 7;
    l.valid = 4;
    l.warning = 2;
    l.invalid = 1;
    l.status = "skipped";
    l.duplicate_of = 3;
    l.message = "the same input as load 3";
    l.quality_json = "{\"grade\":\"A\"}";
    l.transforms_json = "{\"steps\":[]}";
    l.mode = "append";
    l.started = 1e9;
    l.finished = 1e9 + 2.5;
    CHECK_INT(db->store->record_load(db, &l, &err), 0);
    first = l.id;
    CHECK(first > 0);
    memset(&l, 0, sizeof l);
    l.source = "people";
    l.input_size = -1;
    CHECK_INT(db->store->record_load(db, &l, &err), 0);
    CHECK_INT(l.id, first + 1);
    CHECK_INT(db->store->end_run(db, run, "done", 2, &err), 0);
    CHECK_INT(db->store->find_input(db, "people", "ab12", NULL, &first, &err), 0);
    CHECK_INT(first, 0); /* skipped, not committed */
    CHECK_INT(db->store->list_loads(db, NULL, out, n, &err), 0);
    if (err.msg[0]) fprintf(stderr, "  %s\n", err.msg);
}

TEST(catalog_rows_same_in_both_stores)
{
    struct sl_error err = {0};
    struct sl_db *lite = NULL, *pg = NULL;
    struct sl_load_info *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    char *path = temp_db(), dbname[64], *url = NULL, *sql;

    CHECK_INT(sl_store_open(path, &lite, &err), 0);
    if (lite) catalog_round_trip(lite, &a, &na);
    CHECK_INT(na, 2);
    if (na == 2) {
        CHECK_INT(a[0].run, 1);
        CHECK_STR(a[0].status, "skipped");
        CHECK_INT(a[0].active, 0);
        CHECK_STR(a[0].input, "people.csv");
        CHECK_STR(a[0].sha256, "ab12");
        CHECK_STR(a[0].format, "csv");
        CHECK_INT(a[0].input_size, 123);
        CHECK_INT(a[0].rows, 7);
        CHECK_INT(a[0].valid, 4);
        CHECK_INT(a[0].warning, 2);
        CHECK_INT(a[0].invalid, 1);
        CHECK_INT(a[0].duplicate_of, 3);
        CHECK_STR(a[0].started, "2001-09-09T01:46:40.000Z");
        CHECK_STR(a[0].finished, "2001-09-09T01:46:42.500Z");
        CHECK(a[0].seconds == 2.5);
        CHECK_STR(a[0].message, "the same input as load 3");
        CHECK_STR(a[0].quality_json, "{\"grade\":\"A\"}");
        CHECK_STR(a[0].columns_json, "[\"id\"]");
        CHECK(a[0].schema_json == NULL);
        CHECK_STR(a[0].sluice_version, SL_VERSION);
        CHECK_STR(a[0].transforms_json, "{\"steps\":[]}");
        CHECK_STR(a[0].mode, "append");
        CHECK_STR(a[1].status, "failed"); /* record_load's default */
        CHECK_STR(a[1].input, "");
        CHECK_INT(a[1].input_size, -1);
        CHECK_INT(a[1].run, 0);
        CHECK_INT(a[1].duplicate_of, 0);
        CHECK(!a[1].sha256 && !a[1].format && !a[1].message && !a[1].mode);
    }
    sl_store_close(lite);
    remove_db(path);

    snprintf(dbname, sizeof dbname, "unit_catalog_%d", (int)getpid());
    if (!(url = fresh_pg_db(dbname))) goto out;
    CHECK_INT(sl_store_open(url, &pg, &err), 0);
    if (pg) catalog_round_trip(pg, &b, &nb);
    sl_store_close(pg);
    CHECK_INT(nb, na);
    for (size_t i = 0; i < na && i < nb; i++) { /* field by field, as the same rows */
        struct sl_load_info *x = &a[i], *y = &b[i];
        CHECK_INT(x->id - a[0].id, y->id - b[0].id);
        CHECK_INT(x->run, y->run);
        CHECK_INT(x->active, y->active);
        CHECK_INT(x->input_size, y->input_size);
        CHECK_INT(x->rows + x->valid + x->warning + x->invalid,
                  y->rows + y->valid + y->warning + y->invalid);
        CHECK_INT(x->duplicate_of, y->duplicate_of);
#define SAME(f) CHECK(x->f == y->f || (x->f && y->f && !strcmp(x->f, y->f)))
        SAME(status);
        SAME(input);
        SAME(sha256);
        SAME(format);
        if (i == 0) { /* the second load's times are when it was recorded */
            SAME(started);
            SAME(finished);
            CHECK(x->seconds == y->seconds);
        }
        SAME(message);
        SAME(quality_json);
        SAME(columns_json);
        SAME(schema_json);
        SAME(sluice_version);
        SAME(transforms_json);
        SAME(mode);
#undef SAME
    }
    sql = sl_xasprintf("DROP DATABASE IF EXISTS %s", dbname);
    free(pgq("postgres", sql));
    free(sql);
out:
    sl_load_infos_free(a, na);
    sl_load_infos_free(b, nb);
    free(url);
}
