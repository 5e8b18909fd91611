/* Unit tests: load modes, the replay set and schema change classification (src/version/). */
#include <stdlib.h>
#include <string.h>

#include "sluice/sluice.h"
#include "unit.h"

TEST(version_mode_check)
{
    struct sl_error err = {0};
    CHECK_INT(sl_mode_check("append", &err), 0);
    CHECK_INT(sl_mode_check("upsert", &err), 0);
    CHECK_INT(sl_mode_check("snapshot", &err), 0);
    CHECK_INT(sl_mode_check("merge", &err), SL_ECONFIG);
    CHECK(strstr(err.msg, "unknown mode 'merge'") != NULL);
}

/* The replay set: active committed loads, from the last active snapshot on, up to a load. */
TEST(version_replay_set)
{
    struct sl_load_info l[6];
    int active[6] = {1, 1, 1, 0, 1, 1};
    int64_t ids[6];
    const char *modes[6] = {"upsert", "upsert", "snapshot", "snapshot", "upsert", "upsert"};
    const char *status[6] = {"committed", "failed",    "committed",
                             "committed", "committed", "committed"};
    memset(l, 0, sizeof l);
    for (int i = 0; i < 6; i++) {
        l[i].id = i + 1;
        l[i].mode = (char *)modes[i];
        l[i].status = (char *)status[i];
    }
    size_t n = sl_replay_set(l, 6, active, 0, NULL, ids);
    CHECK_INT(n, 3);
    CHECK_INT(ids[0], 3);
    CHECK_INT(ids[1], 5);
    CHECK_INT(ids[2], 6);
    /* up to load 2: load 1 only (2 failed) */
    n = sl_replay_set(l, 6, active, 2, NULL, ids);
    CHECK_INT(n, 1);
    CHECK_INT(ids[0], 1);
    /* the snapshot deactivated: everything active counts again */
    active[2] = 0;
    n = sl_replay_set(l, 6, active, 0, NULL, ids);
    CHECK_INT(n, 3);
    CHECK_INT(ids[0], 1);
    CHECK_INT(ids[1], 5);
}

static struct sl_schema *schema(const char *spec)
{
    /* "name:type[!]" separated by spaces; ! = required */
    struct sl_schema *s = sl_schema_new();
    char *copy = sl_xstrdup(spec), *save = NULL;
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        char *colon = strchr(t, ':');
        size_t len = strlen(colon + 1);
        int req = colon[len] == '!';
        if (req) colon[len] = 0;
        *colon = 0;
        sl_schema_add(s, t, t, sl_type_parse(colon + 1));
        s->fields[s->nfields - 1].required = req;
    }
    free(copy);
    return s;
}

static int classify(const char *a, const char *b, const char *why_want)
{
    struct sl_schema *x = schema(a), *y = schema(b);
    struct sl_buf why = SL_BUF_INIT;
    int c = sl_schema_classify(x, y, &why);
    if (why_want && strcmp(sl_buf_str(&why), why_want)) {
        fprintf(stderr, "  why: '%s', expected '%s'\n", sl_buf_str(&why), why_want);
        c = -1;
    }
    sl_buf_free(&why);
    sl_schema_free(x);
    sl_schema_free(y);
    return c;
}

TEST(version_schema_classify)
{
    CHECK_INT(classify("a:integer b:string", "a:integer b:string", ""), SL_SCHEMA_SAME);
    CHECK_INT(classify("a:integer", "a:integer b:string", "field b added"), SL_SCHEMA_ADDITIVE);
    CHECK_INT(classify("a:integer", "a:number", "a widened from integer to number"),
              SL_SCHEMA_WIDENING);
    CHECK_INT(classify("a:integer", "a:number b:string", NULL), SL_SCHEMA_WIDENING);
    CHECK_INT(classify("a:string", "a:integer", "a narrowed from string to integer"),
              SL_SCHEMA_BREAKING);
    CHECK_INT(classify("a:integer b:string", "a:integer", "field b removed"), SL_SCHEMA_BREAKING);
    CHECK_INT(classify("a:integer", "a:integer!", "a became required"), SL_SCHEMA_BREAKING);
    CHECK_INT(classify("a:integer", "a:integer b:string!", "required field b added"),
              SL_SCHEMA_BREAKING);
    CHECK_STR(sl_schema_change_name(SL_SCHEMA_WIDENING), "widening");
}
