/*
 * Lineage: the graph input → load → bronze → silver of a source, and the history of one row.
 * Both come from the catalog (loads with their inputs, modes, schemas) and bronze; nothing
 * extra is written at load time.
 */
#include <stdlib.h>
#include <string.h>

#include "sluice/lineage.h"
#include "sluice/stream.h"
#include "sluice/version.h"

/* ---- the graph --------------------------------------------------------------------------- */

static char *bronze_name(const struct sl_db *db, const char *source)
{
    if (!strcmp(db->store->scheme, "sqlite")) return sl_xasprintf("bronze_%s", source);
    return sl_xasprintf("bronze.%s", source);
}

/* Schema version of each load (0: none): a new version when the recorded schema changes. */
static int *schema_versions(const struct sl_load_info *loads, size_t n)
{
    int *ver = sl_xcalloc(n + 1, sizeof *ver), cur = 0;
    char last[65] = "", hash[65];
    for (size_t i = 0; i < n; i++) {
        if (strcmp(loads[i].status, "committed") || !loads[i].schema_json) continue;
        sl_sha256_hex(loads[i].schema_json, strlen(loads[i].schema_json), hash);
        if (strcmp(hash, last)) {
            cur++;
            memcpy(last, hash, sizeof last);
        }
        ver[i] = cur;
    }
    return ver;
}

/* A DOT / Mermaid node id: letters, digits and _ only. */
static void node_id(struct sl_buf *b, const char *kind, const char *name, int64_t n)
{
    sl_buf_adds(b, kind);
    sl_buf_addc(b, '_');
    if (name)
        for (const char *p = name; *p; p++) {
            char c = *p;
            int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (ok)
                sl_buf_addc(b, c);
            else
                sl_buf_addf(b, "_%02x", (unsigned char)c);
        }
    else
        sl_buf_add_i64(b, n);
}

/* A label inside double quotes: DOT escapes " and \; Mermaid takes #quot;. Control
 * characters (a file name may hold them) are shown as \xNN, never written raw. */
static void label(struct sl_buf *b, const char *s, int mermaid)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (*s == '"')
            sl_buf_adds(b, mermaid ? "#quot;" : "\\\"");
        else if (*s == '\\' && !mermaid)
            sl_buf_adds(b, "\\\\");
        else if (c < 0x20 || c == 0x7f)
            sl_buf_addf(b, mermaid ? "\\x%02x" : "\\\\x%02x", c);
        else
            sl_buf_addc(b, *s);
    }
}

static int graph_source(struct sl_db *db, const char *source, int format, struct sl_buf *out,
                        int first_source, struct sl_error *err)
{
    struct sl_load_info *loads = NULL;
    size_t n = 0;
    int *ver = NULL, rc;
    char *bronze = bronze_name(db, source);
    struct sl_buf id = SL_BUF_INIT, id2 = SL_BUF_INIT, lab = SL_BUF_INIT;
    int mermaid = format == SL_LINEAGE_MERMAID;

    if ((rc = db->store->list_loads(db, source, &loads, &n, err))) goto out;
    ver = schema_versions(loads, n);
    if (format == SL_LINEAGE_JSON) {
        int first = 1;
        sl_buf_adds(out, first_source ? "{\"source\":" : ",{\"source\":");
        sl_buf_json_cstr(out, source);
        sl_buf_adds(out, ",\"silver\":");
        sl_buf_json_cstr(out, source);
        sl_buf_adds(out, ",\"bronze\":");
        sl_buf_json_cstr(out, bronze);
        sl_buf_adds(out, ",\"loads\":[");
        for (size_t i = 0; i < n; i++) {
            const struct sl_load_info *l = &loads[i];
            if (strcmp(l->status, "committed")) continue;
            sl_buf_addf(out, "%s{\"load\":%lld,\"active\":%s,\"input\":", first ? "" : ",",
                        (long long)l->id, l->active ? "true" : "false");
            first = 0;
            sl_buf_json_cstr(out, l->input);
            sl_buf_adds(out, ",\"sha256\":");
            sl_buf_json_cstr(out, l->sha256);
            sl_buf_adds(out, ",\"format\":");
            sl_buf_json_cstr(out, l->format);
            sl_buf_adds(out, ",\"mode\":");
            sl_buf_json_cstr(out, sl_load_mode(l, NULL));
            sl_buf_addf(out, ",\"schema_version\":%d,\"rows\":%lld,\"valid\":%lld,\"invalid\":%lld",
                        ver[i], (long long)l->rows, (long long)(l->valid + l->warning),
                        (long long)l->invalid);
            /* the transform steps as the load resolved them, and the values each changed */
            sl_buf_adds(out, ",\"transforms\":");
            sl_buf_adds(out, l->transforms_json ? l->transforms_json : "null");
            sl_buf_adds(out, "}");
        }
        sl_buf_adds(out, "]}");
        goto out;
    }
    if (format == SL_LINEAGE_TEXT) {
        sl_buf_addf(out, "%s (silver)\n  <- %s (bronze)\n", source, bronze);
        for (size_t i = 0; i < n; i++) {
            const struct sl_load_info *l = &loads[i];
            if (strcmp(l->status, "committed")) continue;
            /* the input's name as chosen by whoever named the file: escaped */
            sl_buf_addf(out, "     <- load %lld [%s, %s, schema v%d, %lld rows] <- ",
                        (long long)l->id, l->active ? "active" : "inactive",
                        l->mode ? l->mode : "-", ver[i], (long long)l->rows);
            sl_buf_add_shown(out, l->input);
            sl_buf_addf(out, " (%.12s)\n", l->sha256 ? l->sha256 : "");
            if (l->transforms_json)
                sl_buf_addf(out, "        transforms: %s\n", l->transforms_json);
        }
        goto out;
    }
    /* DOT and Mermaid: one node per input, load, bronze and silver table */
    sl_buf_reset(&id2);
    node_id(&id2, "silver", source, 0);
    sl_buf_reset(&id);
    node_id(&id, "bronze", source, 0);
    if (mermaid) {
        sl_buf_addf(out, "  %s[(\"", id2.p);
        label(out, source, 1);
        sl_buf_addf(out, " (silver)\")]\n  %s[(\"", id.p);
        label(out, bronze, 1);
        sl_buf_addf(out, " (bronze)\")]\n  %s --> %s\n", id.p, id2.p);
    } else {
        sl_buf_addf(out, "  %s [shape=cylinder, label=\"", id2.p);
        label(out, source, 0);
        sl_buf_addf(out, "\\n(silver)\"];\n  %s [shape=cylinder, label=\"", id.p);
        label(out, bronze, 0);
        sl_buf_addf(out, "\\n(bronze)\"];\n  %s -> %s;\n", id.p, id2.p);
    }
    for (size_t i = 0; i < n; i++) {
        const struct sl_load_info *l = &loads[i];
        struct sl_buf in = SL_BUF_INIT, ld = SL_BUF_INIT;
        if (strcmp(l->status, "committed")) continue;
        node_id(&in, "input", l->input, 0);
        node_id(&ld, "load", NULL, l->id);
        sl_buf_reset(&lab);
        sl_buf_addf(&lab, "load %lld (%s, %s, schema v%d)", (long long)l->id,
                    l->active ? "active" : "inactive", l->mode ? l->mode : "-", ver[i]);
        if (mermaid) {
            sl_buf_addf(out, "  %s[/\"", in.p);
            label(out, l->input, 1);
            sl_buf_addf(out, "\"/]\n  %s[\"", ld.p);
            label(out, lab.p, 1);
            sl_buf_addf(out, "\"]\n  %s --> %s\n  %s %s %s\n", in.p, ld.p, ld.p,
                        l->active ? "-->" : "-.->", id.p);
        } else {
            sl_buf_addf(out, "  %s [shape=note, label=\"", in.p);
            label(out, l->input, 0);
            sl_buf_addf(out, "\"];\n  %s [shape=box, label=\"", ld.p);
            label(out, lab.p, 0);
            sl_buf_addf(out, "\"%s];\n  %s -> %s;\n  %s -> %s%s;\n",
                        l->active ? "" : ", style=dashed", in.p, ld.p, ld.p, id.p,
                        l->active ? "" : " [style=dashed]");
        }
        sl_buf_free(&in);
        sl_buf_free(&ld);
    }
out:
    free(ver);
    free(bronze);
    sl_buf_free(&id);
    sl_buf_free(&id2);
    sl_buf_free(&lab);
    sl_load_infos_free(loads, n);
    return rc;
}

int sl_lineage_graph(struct sl_db *db, const char *source, int format, struct sl_buf *out,
                     struct sl_error *err)
{
    char **names = NULL;
    size_t n = 0;
    int rc = 0;

    if (source) {
        struct sl_source_state st;
        if ((rc = db->store->source_state(db, source, &st, err))) return rc;
        int exists = st.exists;
        sl_source_state_free(&st);
        if (!exists) return sl_error_set(err, SL_EINVAL, "no source '%s' in %s", source, db->url);
        names = sl_xcalloc(1, sizeof *names);
        names[0] = sl_xstrdup(source);
        n = 1;
    } else if ((rc = db->store->list_sources(db, &names, &n, err))) {
        return rc;
    }
    if (format == SL_LINEAGE_JSON) sl_buf_adds(out, "{\"sources\":[");
    if (format == SL_LINEAGE_DOT) sl_buf_adds(out, "digraph lineage {\n  rankdir=LR;\n");
    if (format == SL_LINEAGE_MERMAID) sl_buf_adds(out, "flowchart LR\n");
    for (size_t i = 0; i < n && !rc; i++) rc = graph_source(db, names[i], format, out, i == 0, err);
    if (format == SL_LINEAGE_JSON) sl_buf_adds(out, "]}\n");
    if (format == SL_LINEAGE_DOT) sl_buf_adds(out, "}\n");
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}

/* ---- one row ------------------------------------------------------------------------------ */

struct hit {
    int64_t load, row, line, offset;
};

struct row_search {
    const struct sl_schema *s;
    char **want; /* the key's values as text, in key order */
    struct hit *hits;
    size_t nhits, cap;
    struct sl_buf tmp;
};

static void value_text(struct sl_buf *b, const struct sl_value *v)
{
    switch (v->type) {
    case SL_V_INT: sl_buf_add_i64(b, v->u.i); break;
    case SL_V_REAL: sl_buf_json_double(b, v->u.d); break;
    case SL_V_TEXT: sl_buf_add(b, v->u.s, v->len); break;
    case SL_V_BOOL: sl_buf_adds(b, v->u.i ? "true" : "false"); break;
    default: break;
    }
}

static int search(void *ctx, const struct sl_load_info *load, struct sl_batch *b,
                  struct sl_error *err)
{
    struct row_search *rs = ctx;
    (void)err;
    for (size_t r = 0; r < b->nrows; r++) {
        const struct sl_row *row = &b->rows[r];
        int match = 1;
        for (size_t k = 0; k < rs->s->npk && match; k++) {
            sl_buf_reset(&rs->tmp);
            value_text(&rs->tmp, &row->values[rs->s->pk[k]]);
            match = !strcmp(sl_buf_str(&rs->tmp), rs->want[k]);
        }
        if (!match) continue;
        /* the same key twice in one load: the later row is the one that counts */
        if (rs->nhits && rs->hits[rs->nhits - 1].load == load->id) rs->nhits--;
        if (rs->nhits == rs->cap) {
            rs->cap = rs->cap ? rs->cap * 2 : 8;
            rs->hits = sl_xrealloc(rs->hits, rs->cap * sizeof *rs->hits);
        }
        rs->hits[rs->nhits++] = (struct hit){load->id, row->num, row->line, row->offset};
    }
    return 0;
}

static const struct sl_load_info *info_of(const struct sl_load_info *loads, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (loads[i].id == id) return &loads[i];
    return NULL;
}

int sl_lineage_row(struct sl_db *db, const char *source, const char *key, int json,
                   struct sl_buf *out, struct sl_error *err)
{
    struct sl_source_state st;
    struct sl_load_info *loads = NULL;
    struct row_search rs;
    size_t n = 0, nset = 0, nall = 0, nwant = 0;
    int64_t *set = NULL, *all = NULL;
    int *active = NULL, rc;
    const struct hit *origin = NULL;
    char *copy = NULL;

    memset(&rs, 0, sizeof rs);
    if ((rc = db->store->source_state(db, source, &st, err))) return rc;
    if (!st.exists) {
        rc = sl_error_set(err, SL_EINVAL, "no source '%s' in %s", source, db->url);
        goto out;
    }
    if (!st.schema->npk) {
        rc = sl_error_set(err, SL_EINVAL,
                          "source '%s' has no primary key: --row needs a keyed source", source);
        goto out;
    }
    /* KEY: comma-separated values in key order */
    copy = sl_xstrdup(key);
    rs.want = sl_xcalloc(st.schema->npk + 1, sizeof *rs.want);
    for (char *p = copy, *c; p && nwant <= st.schema->npk; p = c ? c + 1 : NULL) {
        c = st.schema->npk - nwant > 1 ? strchr(p, ',') : NULL;
        if (c) *c = 0;
        if (nwant < st.schema->npk) rs.want[nwant] = p;
        nwant++;
    }
    if (nwant != st.schema->npk) {
        rc = sl_error_set(err, SL_EINVAL, "source '%s' has a key of %zu field%s; '%s' has %zu",
                          source, st.schema->npk, st.schema->npk == 1 ? "" : "s", key, nwant);
        goto out;
    }
    rs.s = st.schema;
    if ((rc = db->store->list_loads(db, source, &loads, &n, err))) goto out;
    active = sl_xcalloc(n + 1, sizeof *active);
    all = sl_xcalloc(n + 1, sizeof *all);
    set = sl_xcalloc(n + 1, sizeof *set);
    for (size_t i = 0; i < n; i++) {
        active[i] = loads[i].active;
        if (!strcmp(loads[i].status, "committed")) all[nall++] = loads[i].id;
    }
    nset = sl_replay_set(loads, n, active, 0, st.schema, set);
    if ((rc = sl_replay(db, source, st.schema, loads, n, all, nall, search, &rs, err))) goto out;
    if (!rs.nhits) {
        rc = sl_error_set(err, SL_ENOTFOUND, "no load of '%s' wrote the key %s", source, key);
        goto out;
    }
    /* silver's row is the last write among the loads silver is made of */
    for (size_t i = rs.nhits; i-- > 0 && !origin;)
        for (size_t k = 0; k < nset; k++)
            if (set[k] == rs.hits[i].load) origin = &rs.hits[i];

    if (json) {
        sl_buf_adds(out, "{\"source\":");
        sl_buf_json_cstr(out, source);
        sl_buf_adds(out, ",\"key\":");
        sl_buf_json_cstr(out, key);
        if (origin) {
            const struct sl_load_info *l = info_of(loads, n, origin->load);
            sl_buf_addf(out, ",\"load\":%lld,\"input\":", (long long)origin->load);
            sl_buf_json_cstr(out, l->input);
            sl_buf_addf(out, ",\"row\":%lld,\"line\":%lld,\"offset\":%lld", (long long)origin->row,
                        (long long)origin->line, (long long)origin->offset);
        } else {
            sl_buf_adds(out, ",\"load\":null,\"input\":null,\"row\":null,\"line\":null,"
                             "\"offset\":null");
        }
        sl_buf_adds(out, ",\"loads\":[");
        for (size_t i = 0; i < rs.nhits; i++)
            sl_buf_addf(out, "%s%lld", i ? "," : "", (long long)rs.hits[i].load);
        sl_buf_adds(out, "],\"writes\":[");
        for (size_t i = 0; i < rs.nhits; i++) {
            const struct sl_load_info *l = info_of(loads, n, rs.hits[i].load);
            sl_buf_addf(out, "%s{\"load\":%lld,\"active\":%s,\"input\":", i ? "," : "",
                        (long long)rs.hits[i].load, l->active ? "true" : "false");
            sl_buf_json_cstr(out, l->input);
            sl_buf_addf(out, ",\"row\":%lld,\"line\":%lld,\"offset\":%lld}",
                        (long long)rs.hits[i].row, (long long)rs.hits[i].line,
                        (long long)rs.hits[i].offset);
        }
        sl_buf_adds(out, "]}\n");
    } else {
        if (origin) {
            const struct sl_load_info *l = info_of(loads, n, origin->load);
            /* the key (a value of the data) and the input's name: escaped */
            sl_buf_addf(out, "%s ", source);
            sl_buf_add_shown(out, key);
            sl_buf_addf(out, ": from load %lld, ", (long long)origin->load);
            sl_buf_add_shown(out, l->input);
            sl_buf_addf(out, " line %lld (byte %lld, record %lld)\n", (long long)origin->line,
                        (long long)origin->offset, (long long)origin->row);
        } else {
            sl_buf_addf(out, "%s ", source);
            sl_buf_add_shown(out, key);
            sl_buf_adds(out, ": not in silver (no active load has it)\n");
        }
        sl_buf_adds(out, "written by:\n");
        for (size_t i = 0; i < rs.nhits; i++) {
            const struct sl_load_info *l = info_of(loads, n, rs.hits[i].load);
            sl_buf_addf(out, "  load %-4lld %-8s ", (long long)rs.hits[i].load,
                        l->active ? "active" : "inactive");
            sl_buf_add_shown(out, l->input);
            sl_buf_addf(out, " line %lld (byte %lld)\n", (long long)rs.hits[i].line,
                        (long long)rs.hits[i].offset);
        }
    }
out:
    free(copy);
    free(rs.want);
    free(rs.hits);
    sl_buf_free(&rs.tmp);
    free(active);
    free(all);
    free(set);
    sl_load_infos_free(loads, n);
    sl_source_state_free(&st);
    return rc;
}
