/* Unit tests: what quality needs of a store (SQLite): a bronze-only load for a load that missed
 * a quality threshold, and the history that anomalies read (list_loads). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sluice/sluice.h"
#include "sluice/store.h"
#include "unit.h"

static char *qs(const char *path, const char *sql)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    char *out;
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        out = sl_xasprintf("ERROR %s", sqlite3_errmsg(h));
    else if (sqlite3_step(st) == SQLITE_ROW)
        out = sl_xstrdup(sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0)
                                                    : "NULL");
    else
        out = sl_xstrdup("");
    sqlite3_finalize(st);
    sqlite3_close(h);
    return out;
}

#define CHECK_QS(path, sql, want)   \
    do {                            \
        char *got_ = qs(path, sql); \
        CHECK_STR(got_, want);      \
        free(got_);                 \
    } while (0)

static void rows(struct sl_batch *b, int64_t first, int n, const char *name)
{
    for (int k = 0; k < n; k++) {
        struct sl_row *r = sl_batch_add_row(b);
        r->num = k + 1;
        r->line = k + 2;
        r->raw_kind = SL_RAW_JSON;
        r->raw = sl_arena_sprintf(&b->arena, "[\"%lld\",\"%s\"]", (long long)(first + k), name);
        r->raw_len = strlen(r->raw);
        r->values = sl_arena_zalloc(&b->arena, 2 * sizeof *r->values);
        r->values[0].type = SL_V_INT;
        r->values[0].u.i = first + k;
        r->values[1].type = SL_V_TEXT;
        r->values[1].u.s = name;
        r->values[1].len = (uint32_t)strlen(name);
        if (k == 1) sl_row_issue(b, r, SL_ROW_INVALID, "type-error", "name", "x", 1, "bad");
    }
}

TEST(quality_store_bronze_only_load)
{
    char dir[] = "/tmp/sluice-qstore-XXXXXX";
    struct sl_error err = {0};
    struct sl_db *db = NULL;
    struct sl_schema *s = sl_schema_new(), *wider;
    struct sl_batch b;
    struct sl_load l;
    struct sl_load_info *v = NULL;
    size_t n = 0;
    const char *pk[] = {"id"};

    if (!mkdtemp(dir)) abort();
    char *path = sl_xasprintf("%s/q.db", dir);
    sl_schema_add(s, "id", "id", SL_TYPE_INTEGER);
    sl_schema_add(s, "name", "name", SL_TYPE_STRING);
    sl_schema_set_pk(s, pk, 1, NULL);
    CHECK_INT(sl_store_open(path, &db, &err), 0);
    sl_batch_init(&b);

    /* the first load of a source fails: bronze only, no silver table, no source */
    rows(&b, 1, 3, "a");
    memset(&l, 0, sizeof l);
    l.source = "people";
    l.input = "p.csv";
    l.schema = s;
    l.bronze_only = 1;
    l.quality_json = "{\"score\":0.5}";
    CHECK_INT(db->store->begin_load(db, &l, &err), 0);
    CHECK_INT(db->store->write(db, &l, &b, &err), 0);
    l.rows = 3;
    CHECK_INT(db->store->commit_load(db, &l, &err), 0);
    CHECK_QS(path, "SELECT group_concat(load || row || status, ' ') FROM bronze_people",
             "11valid 12invalid 13valid");
    CHECK_QS(path, "SELECT errors LIKE '%type-error%' FROM bronze_people WHERE row = 2", "1");
    CHECK_QS(path, "SELECT status || active || rows || quality FROM sluice_loads",
             "failed03{\"score\":0.5}");
    CHECK_QS(path, "SELECT count(*) FROM sqlite_master WHERE name = 'people'", "0");
    CHECK_QS(path, "SELECT count(*) FROM sluice_sources", "0");

    /* a committed load, then a failing one that would upsert key 2 and add a column */
    l.bronze_only = 0;
    l.id = 0;
    CHECK_INT(db->store->begin_load(db, &l, &err), 0);
    CHECK_INT(db->store->write(db, &l, &b, &err), 0);
    CHECK_INT(db->store->commit_load(db, &l, &err), 0);
    CHECK_QS(path, "SELECT group_concat(id || name || _load, ' ') FROM people", "1a2 3a2");
    wider = sl_schema_copy(s);
    sl_schema_add(wider, "extra", "extra", SL_TYPE_STRING);
    sl_batch_reset(&b);
    rows(&b, 3, 2, "b");
    l.schema = wider;
    l.silver_change = 1;
    l.bronze_only = 1;
    CHECK_INT(db->store->begin_load(db, &l, &err), 0);
    CHECK_INT(db->store->write(db, &l, &b, &err), 0);
    CHECK_INT(db->store->commit_load(db, &l, &err), 0);
    CHECK_INT(l.repeats, 0);
    CHECK_QS(path, "SELECT group_concat(id || name || _load, ' ') FROM people", "1a2 3a2");
    CHECK_QS(path, "SELECT count(*) FROM pragma_table_info('people')", "4");
    CHECK_QS(path, "SELECT schema NOT LIKE '%extra%' FROM sluice_sources", "1");
    CHECK_QS(path, "SELECT count(*) FROM bronze_people WHERE load = 3", "2");

    /* history as quality reads it */
    CHECK_INT(db->store->list_loads(db, "people", &v, &n, &err), 0);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_STR(v[0].status, "failed");
        CHECK_STR(v[1].status, "committed");
        CHECK_INT(v[1].active, 1);
        CHECK_STR(v[2].status, "failed");
        CHECK_INT(v[2].active, 0);
        CHECK_STR(v[0].quality_json, "{\"score\":0.5}");
    }
    sl_load_infos_free(v, n);
    sl_batch_free(&b);
    sl_schema_free(s);
    sl_schema_free(wider);
    sl_store_close(db);
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char *p = sl_xasprintf("%s%s", path, suffix[i]);
        unlink(p);
        free(p);
    }
    rmdir(dir);
    free(path);
}

TEST(quality_config_defaults_and_overrides)
{
    char dir[] = "/tmp/sluice-qcfg-XXXXXX";
    struct sl_config *cfg = NULL;
    struct sl_error err = {0};

    if (!mkdtemp(dir)) abort();
    char *path = sl_xasprintf("%s/sluice.yaml", dir);
    FILE *f = fopen(path, "w");
    fputs("quality:\n"
          "  weights: {completeness: 2, timeliness: 0}\n"
          "  min_score: 0.8\n"
          "sources:\n"
          "  a:\n"
          "    input: a.csv\n"
          "    freshness: PT12H\n"
          "    quality: {min_score: 0.9, min_accuracy: 0.99, max_invalid_ratio: 0.05}\n"
          "  b:\n"
          "    input: b.csv\n",
          f);
    fclose(f);
    CHECK_INT(sl_config_load(path, &cfg, &err), 0);
    if (cfg) {
        const struct sl_source *a = sl_config_source(cfg, "a"), *b = sl_config_source(cfg, "b");
        CHECK(a->quality.weights[SL_M_COMPLETENESS] == 2);
        CHECK(a->quality.weights[SL_M_TIMELINESS] == 0);
        CHECK(a->quality.weights[SL_M_VALIDITY] == 1);
        CHECK(a->quality.min_score == 0.9);
        CHECK(a->quality.min[SL_M_ACCURACY] == 0.99);
        CHECK(a->quality.min[SL_M_VALIDITY] < 0);
        CHECK(a->quality.max_invalid_ratio == 0.05);
        CHECK(a->quality.freshness == 43200);
        CHECK_STR(a->quality.freshness_text, "PT12H");
        CHECK(b->quality.min_score == 0.8);
        CHECK(b->quality.weights[SL_M_COMPLETENESS] == 2);
        CHECK(b->quality.freshness == 0);
        CHECK(sl_quality_config_has_thresholds(&b->quality));
    } else {
        fprintf(stderr, "  %s\n", err.msg);
    }
    sl_config_free(cfg);

    f = fopen(path, "w");
    fputs("quality:\n  weights: {completeness: 0, validity: 0, uniqueness: 0, consistency: 0,"
          " timeliness: 0, accuracy: 0}\nsources: {}\n",
          f);
    fclose(f);
    cfg = NULL;
    CHECK(sl_config_load(path, &cfg, &err) < 0);
    CHECK(strstr(err.msg, "quality.weights: at least one weight must be above 0") != NULL);
    sl_config_free(cfg);
    unlink(path);
    rmdir(dir);
    free(path);
}
