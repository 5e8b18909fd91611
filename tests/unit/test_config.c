/* Unit tests: document trees, YAML, .env, ${VAR} interpolation, sluice.yaml. */
#include <stdlib.h>
#include <unistd.h>

#include "sluice/sluice.h"
#include "unit.h"

/* A fresh temporary directory for one test (removed by rm_dir). */
static char *tmp_dir(void)
{
    char *t = sl_xstrdup("/tmp/sluice-config-XXXXXX");
    if (!mkdtemp(t)) {
        free(t);
        return NULL;
    }
    return t;
}

static char *write_file(const char *dir, const char *name, const char *text)
{
    char *path = sl_xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

static void rm_dir(char *dir)
{
    char *cmd = sl_xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "  cannot remove %s\n", dir);
    free(cmd);
    free(dir);
}

static int parse(struct sl_doc *d, const char *text, struct sl_error *err)
{
    return sl_doc_parse_yaml(d, "t.yaml", text, strlen(text), err);
}

/* ---- YAML and the getters ------------------------------------------------------------ */

TEST(yaml_tree_and_positions)
{
    struct sl_doc d;
    struct sl_error err = {0};
    const char *text = "a: 1\n"
                       "b:\n"
                       "  - x\n"
                       "  - 'y'\n"
                       "c: {k: \"v\"}\n"
                       "d:\n"
                       "e: ~\n";
    CHECK_INT(parse(&d, text, &err), 0);
    CHECK(d.root && d.root->type == SL_NODE_MAP);
    CHECK_INT(d.root->n, 5);
    struct sl_node *a = sl_node_get(d.root, "a"), *b = sl_node_get(d.root, "b");
    CHECK(a && a->type == SL_NODE_SCALAR && !a->quoted && a->json_type == -1);
    CHECK_INT(a->line, 1);
    CHECK_INT(a->col, 4);
    CHECK(b && b->type == SL_NODE_SEQ && b->n == 2);
    CHECK_STR(b->items[1]->text, "y");
    CHECK_INT(b->items[1]->quoted, 1);
    CHECK_INT(b->items[1]->line, 4);
    CHECK_STR(sl_node_str(sl_node_get(sl_node_get(d.root, "c"), "k")), "v");
    CHECK_INT(sl_node_get(d.root, "d")->type, SL_NODE_NULL);
    CHECK_INT(sl_node_get(d.root, "e")->type, SL_NODE_NULL);
    CHECK(sl_node_get(d.root, "zz") == NULL);
    sl_doc_free(&d);
}

TEST(yaml_empty_document_is_null)
{
    struct sl_doc d;
    struct sl_error err = {0};
    CHECK_INT(parse(&d, "# nothing here\n", &err), 0);
    CHECK(d.root && d.root->type == SL_NODE_NULL);
    sl_doc_free(&d);
}

TEST(yaml_anchors_aliases_and_merge)
{
    struct sl_doc d;
    struct sl_error err = {0};
    const char *text = "base: &opts\n"
                       "  delimiter: ';'\n"
                       "  header: true\n"
                       "list: &l [a, b]\n"
                       "one:\n"
                       "  options: *opts\n"
                       "  input: *l\n"
                       "two:\n"
                       "  <<: *opts\n"
                       "  header: false\n";
    CHECK_INT(parse(&d, text, &err), 0);
    struct sl_node *one = sl_node_get(d.root, "one"), *two = sl_node_get(d.root, "two");
    CHECK(sl_node_get(one, "options") == sl_node_get(d.root, "base"));
    CHECK(sl_node_get(one, "input") && sl_node_get(one, "input")->n == 2);
    CHECK_INT(two->n, 2); /* header (its own) + delimiter (merged) */
    CHECK_STR(sl_node_str(sl_node_get(two, "delimiter")), ";");
    CHECK_STR(sl_node_str(sl_node_get(two, "header")), "false");
    sl_doc_free(&d);

    CHECK(parse(&d, "a: *nope\n", &err) == SL_ECONFIG);
    CHECK(strstr(err.msg, "t.yaml:1:4: unknown alias '*nope'") != NULL);
    sl_doc_free(&d);
}

/* Aliases may add at most 1,000,000 nodes to the document as expanded, and nest it no deeper
 * than 256 levels: a billion laughs is refused while it is parsed. */
TEST(yaml_alias_expansion_bounded)
{
    struct sl_doc d;
    struct sl_error err = {0};
    struct sl_buf b = SL_BUF_INIT;

    /* a list of 1,000 scalars (1,001 nodes) aliased 999 times: 999,999 nodes, allowed */
    sl_buf_adds(&b, "l: &l [");
    for (int i = 0; i < 1000; i++) sl_buf_adds(&b, i ? ",x" : "x");
    sl_buf_adds(&b, "]\nuses: [");
    for (int i = 0; i < 999; i++) sl_buf_adds(&b, i ? ",*l" : "*l");
    sl_buf_adds(&b, "]\n");
    CHECK_INT(parse(&d, sl_buf_str(&b), &err), 0);
    sl_doc_free(&d);
    /* once more: 1,000,999 */
    b.len -= 2;
    sl_buf_adds(&b, ",*l]\n");
    CHECK_INT(parse(&d, sl_buf_str(&b), &err), SL_ECONFIG);
    CHECK(strstr(err.msg, "t.yaml:2:") && strstr(err.msg, "aliases expand to more than 1000000 "
                                                          "nodes at '*l' (a YAML alias bomb?)"));
    sl_doc_free(&d);

    /* a chain of aliases, each one level deeper: 256 levels pass, 257 do not */
    sl_buf_reset(&b);
    sl_buf_adds(&b, "a0: &a0 [x]\n");
    for (int i = 1; i <= 254; i++) sl_buf_addf(&b, "a%d: &a%d [*a%d]\n", i, i, i - 1);
    CHECK_INT(parse(&d, sl_buf_str(&b), &err), 0);
    sl_doc_free(&d);
    sl_buf_adds(&b, "a255: [*a254]\n");
    CHECK_INT(parse(&d, sl_buf_str(&b), &err), SL_ECONFIG);
    CHECK(strstr(err.msg, "t.yaml:256:") &&
          strstr(err.msg, "alias '*a254' nests the document deeper than 256 levels"));
    sl_doc_free(&d);
    sl_buf_free(&b);
}

TEST(yaml_duplicate_key)
{
    struct sl_doc d;
    struct sl_error err = {0};
    CHECK_INT(parse(&d, "a: 1\nb: 2\na: 3\n", &err), SL_ECONFIG);
    CHECK_STR(err.msg, "t.yaml:3:1: duplicate key 'a' (first at line 1)");
    sl_doc_free(&d);
}

TEST(yaml_syntax_error_has_line_and_col)
{
    struct sl_doc d;
    struct sl_error err = {0};
    CHECK_INT(parse(&d, "a: 1\nb: [1, 2\nc: 3\n", &err), SL_ECONFIG);
    CHECK(!strncmp(err.msg, "t.yaml:", 7));
    CHECK(strstr(err.msg, "flow sequence") != NULL);
    sl_doc_free(&d);

    CHECK_INT(parse(&d, "a: 1\n  b: 2\n", &err), SL_ECONFIG);
    CHECK(!strncmp(err.msg, "t.yaml:2:4: mapping values are not allowed", 41));
    sl_doc_free(&d);

    CHECK_INT(parse(&d, "a: 1\n---\nb: 2\n", &err), SL_ECONFIG);
    CHECK_STR(err.msg, "t.yaml:2:1: more than one document (only one is read)");
    sl_doc_free(&d);

    CHECK_INT(parse(&d, "a: \"x\xff\"\n", &err), SL_ECONFIG);
    CHECK(!strncmp(err.msg, "t.yaml:1:6: invalid", 19));
    sl_doc_free(&d);
}

TEST(doc_getters)
{
    struct sl_doc d;
    struct sl_error err = {0};
    const char *text = "s: hello\n"
                       "q: \"true\"\n"
                       "t: Yes\n"
                       "f: OFF\n"
                       "i: -42\n"
                       "big: 99999999999999999999\n"
                       "l: [a, b]\n"
                       "m: {x: 1}\n";
    const char *s, **v;
    int b;
    int64_t i;
    size_t n;

    CHECK_INT(parse(&d, text, &err), 0);
    CHECK_INT(sl_node_want_str(&d, sl_node_get(d.root, "s"), "s", &s, &err), 0);
    CHECK_STR(s, "hello");
    CHECK_INT(sl_node_want_str(&d, sl_node_get(d.root, "m"), "m", &s, &err), SL_ECONFIG);
    CHECK_STR(err.msg, "t.yaml:8: m: expected a string");
    CHECK_INT(sl_node_want_bool(&d, sl_node_get(d.root, "t"), "t", &b, &err), 0);
    CHECK_INT(b, 1);
    CHECK_INT(sl_node_want_bool(&d, sl_node_get(d.root, "f"), "f", &b, &err), 0);
    CHECK_INT(b, 0);
    CHECK_INT(sl_node_want_bool(&d, sl_node_get(d.root, "q"), "x.q", &b, &err), SL_ECONFIG);
    CHECK_STR(err.msg, "t.yaml:2: x.q: expected a boolean");
    CHECK_INT(sl_node_want_int(&d, sl_node_get(d.root, "i"), "i", &i, &err), 0);
    CHECK_INT(i, -42);
    CHECK_INT(sl_node_want_int(&d, sl_node_get(d.root, "big"), "big", &i, &err), SL_ECONFIG);
    CHECK_STR(err.msg, "t.yaml:6: big: expected an integer");
    CHECK_INT(sl_node_want_int(&d, sl_node_get(d.root, "s"), "s", &i, &err), SL_ECONFIG);
    CHECK_INT(sl_node_want_strs(&d, sl_node_get(d.root, "l"), "l", &v, &n, &err), 0);
    CHECK_INT(n, 2);
    CHECK_STR(v[1], "b");
    CHECK_INT(sl_node_want_strs(&d, sl_node_get(d.root, "s"), "s", &v, &n, &err), 0);
    CHECK_INT(n, 1);
    CHECK_STR(v[0], "hello");
    CHECK_INT(sl_node_want_strs(&d, sl_node_get(d.root, "m"), "m", &v, &n, &err), SL_ECONFIG);
    CHECK_STR(err.msg, "t.yaml:8: m: expected a list of strings");
    CHECK_INT(sl_node_want_str(&d, NULL, "gone", &s, &err), SL_ECONFIG);
    sl_doc_free(&d);
}

TEST(doc_check_keys_suggests)
{
    struct sl_doc d;
    struct sl_error err = {0};
    static const char *const allowed[] = {"input", "format", "schema", NULL};

    CHECK_INT(parse(&d, "input: x\nfromat: csv\n", &err), 0);
    CHECK_INT(sl_node_check_keys(&d, d.root, "sources.a", allowed, &err), SL_ECONFIG);
    CHECK_STR(err.msg, "t.yaml:2: sources.a.fromat: unknown key (did you mean 'format'?)");
    sl_doc_free(&d);

    CHECK_INT(parse(&d, "input: x\ncolour: red\n", &err), 0);
    CHECK_INT(sl_node_check_keys(&d, d.root, "", allowed, &err), SL_ECONFIG);
    CHECK_STR(err.msg, "t.yaml:2: colour: unknown key (expected one of: input, format, schema)");
    sl_doc_free(&d);
}

TEST(doc_load_files)
{
    char *dir = tmp_dir();
    struct sl_doc d;
    struct sl_error err = {0};
    CHECK(dir != NULL);
    if (!dir) return;
    char *y = write_file(dir, "a.yaml", "k: v\n");
    char *j = write_file(dir, "b.json", "{\"k\": [1, true]}");
    char *missing = sl_xasprintf("%s/nope.yaml", dir);

    CHECK_INT(sl_doc_load(&d, y, &err), 0);
    CHECK_STR(sl_node_str(sl_node_get(d.root, "k")), "v");
    sl_doc_free(&d);
    CHECK_INT(sl_doc_load(&d, j, &err), 0);
    struct sl_node *k = sl_node_get(d.root, "k");
    CHECK(k && k->type == SL_NODE_SEQ && k->n == 2);
    if (k && k->n == 2) {
        int b = 0;
        CHECK_INT(sl_node_want_bool(&d, k->items[1], "k[1]", &b, &err), 0);
        CHECK_INT(b, 1);
    }
    sl_doc_free(&d);
    CHECK_INT(sl_doc_load(&d, missing, &err), SL_ECONFIG);
    char *want = sl_xasprintf("%s: No such file or directory", missing);
    CHECK_STR(err.msg, want);
    sl_doc_free(&d);
    free(want);
    free(y);
    free(j);
    free(missing);
    rm_dir(dir);
}

/* ---- .env and ${VAR} ----------------------------------------------------------------- */

TEST(env_dotenv_load)
{
    char *dir = tmp_dir();
    struct sl_error err = {0};
    CHECK(dir != NULL);
    if (!dir) return;
    setenv("SLT_ENV_SET", "from-env", 1);
    unsetenv("SLT_ENV_A");
    unsetenv("SLT_ENV_B");
    unsetenv("SLT_ENV_C");
    unsetenv("SLT_ENV_D");
    unsetenv("SLT_ENV_E");
    unsetenv("SLT_ENV_F");
    char *p = write_file(dir, ".env",
                         "# a comment\n"
                         "\n"
                         "SLT_ENV_A=plain value   # trailing comment\n"
                         "export SLT_ENV_B='single $x \\n'\n"
                         "SLT_ENV_C=\"double \\\"q\\\" \\\\ \\n end\" # c\n"
                         "  SLT_ENV_D = a#b\r\n"
                         "SLT_ENV_SET=from-file\n"
                         "SLT_ENV_E=\"two\n"
                         "lines\"\n"
                         "SLT_ENV_F=\n");
    CHECK_INT(sl_dotenv_load(p, &err), 0);
    CHECK_STR(getenv("SLT_ENV_A"), "plain value");
    CHECK_STR(getenv("SLT_ENV_B"), "single $x \\n");
    CHECK_STR(getenv("SLT_ENV_C"), "double \"q\" \\ \n end");
    CHECK_STR(getenv("SLT_ENV_D"), "a#b");
    CHECK_STR(getenv("SLT_ENV_SET"), "from-env");
    CHECK_STR(getenv("SLT_ENV_E"), "two\nlines");
    CHECK_STR(getenv("SLT_ENV_F"), "");
    free(p);

    p = write_file(dir, "bad.env", "SLT_ENV_G=1\n\nthis is not an assignment\n");
    CHECK_INT(sl_dotenv_load(p, &err), SL_ECONFIG);
    char *want = sl_xasprintf("%s:3: expected KEY=VALUE", p);
    CHECK_STR(err.msg, want);
    free(want);
    free(p);

    p = write_file(dir, "bad2.env", "SLT_ENV_H='secret-value\n");
    CHECK_INT(sl_dotenv_load(p, &err), SL_ECONFIG);
    CHECK(strstr(err.msg, "secret-value") == NULL);
    free(p);

    p = sl_xasprintf("%s/missing.env", dir);
    CHECK_INT(sl_dotenv_load(p, &err), 0);
    free(p);
    rm_dir(dir);
}

TEST(env_interpolate)
{
    struct sl_error err = {0};
    char *out = NULL;

    setenv("SLT_INT_X", "abc", 1);
    setenv("SLT_INT_EMPTY", "", 1);
    unsetenv("SLT_INT_UNSET");
    CHECK_INT(sl_interpolate("a ${SLT_INT_X} b", &out, &err), 0);
    CHECK_STR(out, "a abc b");
    free(out);
    CHECK_INT(
        sl_interpolate("${SLT_INT_UNSET:-dflt}/${SLT_INT_EMPTY:-e}/${SLT_INT_EMPTY}|", &out, &err),
        0);
    CHECK_STR(out, "dflt/e/|");
    free(out);
    CHECK_INT(sl_interpolate("$$ $5 $SLT_INT_X ${SLT_INT_UNSET:-${SLT_INT_X}} $", &out, &err), 0);
    CHECK_STR(out, "$ $5 $SLT_INT_X abc $");
    free(out);
    CHECK_INT(sl_interpolate("x${SLT_INT_UNSET}", &out, &err), SL_ECONFIG);
    CHECK_STR(err.msg, "environment variable SLT_INT_UNSET is not set");
    CHECK(out == NULL);
    CHECK_INT(sl_interpolate("${SLT_INT_X", &out, &err), SL_ECONFIG);
    CHECK_INT(sl_interpolate("${1X}", &out, &err), SL_ECONFIG);
}

/* ---- sluice.yaml --------------------------------------------------------------------- */

static int load_config(const char *dir, const char *text, struct sl_config **cfg,
                       struct sl_error *err)
{
    char *p = write_file(dir, "sluice.yaml", text);
    int rc = sl_config_load(p, cfg, err);
    free(p);
    return rc;
}

TEST(config_full_round_trip)
{
    char *dir = tmp_dir();
    struct sl_config *cfg = NULL;
    struct sl_error err = {0};
    CHECK(dir != NULL);
    if (!dir) return;
    unsetenv("SLT_CFG_DB");
    free(write_file(dir, ".env", "SLT_CFG_DB=wearable.db\n"));
    const char *text = "store: sqlite:${SLT_CFG_DB}\n"
                       "sources:\n"
                       "  heart_rate:\n"
                       "    input: data/heart_rate/*.csv\n"
                       "    schema: schemas/heart_rate.yaml\n"
                       "    primary_key: [device_id, ts]\n"
                       "    timestamp: ts\n"
                       "  devices:\n"
                       "    input: [data/devices.csv, data/more.csv]\n"
                       "    format: csv\n"
                       "    options:\n"
                       "      delimiter: \";\"\n"
                       "      quote: none\n"
                       "      header: yes\n"
                       "      encoding: latin1\n"
                       "      max_record_size: 1MiB\n"
                       "      max_input_size: 1000\n"
                       "  tabbed:\n"
                       "    input: t.tsv\n"
                       "    options: {delimiter: tab, quote: \"'\", header: false}\n";
    CHECK_INT(load_config(dir, text, &cfg, &err), 0);
    if (!cfg) {
        fprintf(stderr, "  %s\n", err.msg);
        rm_dir(dir);
        return;
    }
    char *want_path = sl_xasprintf("%s/sluice.yaml", dir);
    CHECK_STR(cfg->path, want_path);
    CHECK_STR(cfg->dir, dir);
    free(want_path);
    CHECK_STR(cfg->store, "sqlite:wearable.db");
    CHECK_INT(cfg->nsources, 3);

    const struct sl_source *hr = sl_config_source(cfg, "heart_rate");
    CHECK(hr == &cfg->sources[0]);
    CHECK_STR(hr->name, "heart_rate");
    CHECK_INT(hr->line, 3);
    CHECK_INT(hr->ninputs, 1);
    CHECK_STR(hr->inputs[0], "data/heart_rate/*.csv");
    CHECK_STR(hr->schema_path, "schemas/heart_rate.yaml");
    CHECK_INT(hr->npk, 2);
    CHECK_STR(hr->primary_key[1], "ts");
    CHECK_STR(hr->timestamp, "ts");
    CHECK_STR(hr->base_dir, dir);
    CHECK(hr->format == NULL);
    CHECK_INT(hr->fopts.delimiter, 0);
    CHECK_INT(hr->fopts.quote, -1);
    CHECK_INT(hr->fopts.header, -1);
    CHECK_INT(hr->fopts.encoding, SL_ENC_AUTO);

    const struct sl_source *dev = sl_config_source(cfg, "devices");
    CHECK(dev == &cfg->sources[1]);
    CHECK_INT(dev->ninputs, 2);
    CHECK_STR(dev->inputs[1], "data/more.csv");
    CHECK_STR(dev->format, "csv");
    CHECK_INT(dev->fopts.delimiter, ';');
    CHECK_INT(dev->fopts.quote, 0);
    CHECK_INT(dev->fopts.header, 1);
    CHECK_INT(dev->fopts.encoding, SL_ENC_LATIN1);
    CHECK_INT(dev->fopts.max_record, 1 << 20);
    CHECK_INT(dev->sopts.max_bytes, 1000);
    CHECK(dev->schema_path == NULL && dev->npk == 0);

    const struct sl_source *tab = sl_config_source(cfg, "tabbed");
    CHECK(tab == &cfg->sources[2]);
    CHECK_INT(tab->fopts.delimiter, '\t');
    CHECK_INT(tab->fopts.quote, '\'');
    CHECK_INT(tab->fopts.header, 0);
    CHECK(sl_config_source(cfg, "nope") == NULL);
    sl_config_free(cfg);
    rm_dir(dir);
}

/* Loads text as sluice.yaml and checks that it fails with "sluice.yaml:" + suffix. */
static void expect_config_error(const char *text, const char *want)
{
    char *dir = tmp_dir();
    struct sl_config *cfg = NULL;
    struct sl_error err = {0};
    CHECK(dir != NULL);
    if (!dir) return;
    CHECK_INT(load_config(dir, text, &cfg, &err), SL_ECONFIG);
    CHECK(cfg == NULL);
    char *full = sl_xasprintf("%s/sluice.yaml%s", dir, want);
    CHECK_STR(err.msg, full);
    free(full);
    sl_config_free(cfg);
    rm_dir(dir);
}

TEST(config_errors_name_file_line_key)
{
    expect_config_error("sources:\n"
                        "  heart_rate:\n"
                        "    input: x.csv\n"
                        "    options:\n"
                        "      delimter: ';'\n",
                        ":5: sources.heart_rate.options.delimter: unknown key (did you mean "
                        "'delimiter'?)");
    expect_config_error("stor: x\n", ":1: stor: unknown key (did you mean 'store'?)");
    expect_config_error("sources:\n"
                        "  a:\n"
                        "    input: x.csv\n"
                        "    options:\n"
                        "      header: maybe\n",
                        ":5: sources.a.options.header: expected a boolean");
    expect_config_error("sources:\n"
                        "  a:\n"
                        "    schema: s.yaml\n",
                        ":3: sources.a.input: missing (a path, a glob or a list of them)");
    expect_config_error("sources:\n"
                        "  a:\n"
                        "    input: x\n"
                        "    format: xml\n",
                        ":4: sources.a.format: unknown format 'xml' (known: csv, tsv, ndjson, "
                        "json)");
    expect_config_error("sources:\n"
                        "  a:\n"
                        "    input: x\n"
                        "    options: {delimiter: ';;'}\n",
                        ":4: sources.a.options.delimiter: expected one character (or \"\\t\" / "
                        "tab)");
    expect_config_error("sources:\n"
                        "  a:\n"
                        "    input: x\n"
                        "    options: {max_record_size: lots}\n",
                        ":4: sources.a.options.max_record_size: expected a size (a byte count "
                        "or e.g. 64MiB)");
    expect_config_error("sources:\n"
                        "  bronze_x:\n"
                        "    input: x\n",
                        ":2: sources.bronze_x: invalid source name \"bronze_x\": a source name is "
                        "1 to 63 letters, digits or _, and does not start with sluice_, bronze_ "
                        "or sqlite_");
    expect_config_error("sources:\n"
                        "  a:\n"
                        "    input: [x, \"${SLT_CFG_UNSET_VAR}\"]\n",
                        ":3: sources.a.input: environment variable SLT_CFG_UNSET_VAR is not set");
    expect_config_error("sources:\n"
                        "  a: {input: x}\n"
                        "  a: {input: y}\n",
                        ":3:3: duplicate key 'a' (first at line 2)");
    expect_config_error("sources: [a, b]\n",
                        ":1: sources: expected a mapping of source names to sources");
}

TEST(config_env_defaults_and_anchors)
{
    char *dir = tmp_dir();
    struct sl_config *cfg = NULL;
    struct sl_error err = {0};
    CHECK(dir != NULL);
    if (!dir) return;
    unsetenv("SLT_CFG_UNSET_DIR");
    setenv("SLT_CFG_HEADER", "false", 1);
    const char *text = "x-csv: &csv\n"
                       "  delimiter: ';'\n"
                       "  header: ${SLT_CFG_HEADER}\n";
    /* x- keys are not allowed at the top level: anchors live inside sources instead */
    CHECK_INT(load_config(dir, text, &cfg, &err), SL_ECONFIG);
    text = "sources:\n"
           "  a:\n"
           "    input: ${SLT_CFG_UNSET_DIR:-data}/a.csv\n"
           "    options: &csv\n"
           "      delimiter: ';'\n"
           "      header: ${SLT_CFG_HEADER}\n"
           "  b:\n"
           "    input: b.csv\n"
           "    options: *csv\n"
           "  c:\n"
           "    input: c.csv\n"
           "    options:\n"
           "      <<: *csv\n"
           "      delimiter: '|'\n";
    CHECK_INT(load_config(dir, text, &cfg, &err), 0);
    if (!cfg) {
        fprintf(stderr, "  %s\n", err.msg);
        rm_dir(dir);
        return;
    }
    CHECK_STR(cfg->sources[0].inputs[0], "data/a.csv");
    CHECK_INT(cfg->sources[1].fopts.delimiter, ';');
    CHECK_INT(cfg->sources[1].fopts.header, 0);
    CHECK_INT(cfg->sources[2].fopts.delimiter, '|');
    CHECK_INT(cfg->sources[2].fopts.header, 0);
    CHECK(cfg->store == NULL);
    sl_config_free(cfg);
    rm_dir(dir);
}
