/* sluice quality SOURCE: the quality report of a load (text, JSON or self-contained HTML). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sluice/outfile.h"

#define CHART_LOADS 100

const struct option quality_options[] = {GLOBAL_OPTIONS,
                                         {"load", required_argument, NULL, 'l'},
                                         {"output", required_argument, NULL, 3001},
                                         {"out", required_argument, NULL, 'o'},
                                         {NULL, 0, NULL, 0}};
const char quality_shortopts[] = "qhl:o:";

int cmd_quality(struct cli *c, int argc, char **argv)
{
    struct sl_error err = {0, ""};
    struct sl_load_info *v = NULL;
    struct sl_quality_past *past = NULL;
    struct sl_quality_report rep;
    struct sl_buf b = SL_BUF_INIT;
    struct sl_db *db = NULL;
    const struct sl_load_info *pick = NULL;
    const char *file = NULL;
    size_t n = 0, k = 0;
    int64_t want = 0;
    int opt, out = OUT_TEXT, h, rc = EXIT_OK;

    while ((opt = getopt_long(argc, argv, quality_shortopts, quality_options, NULL)) != -1) {
        if (opt == 'h') return print_help("quality");
        if ((h = global_option(c, opt, optarg))) {
            if (h < 0) return EXIT_USAGE;
            continue;
        }
        switch (opt) {
        case 'l': {
            char *end;
            want = strtoll(optarg, &end, 10);
            if (*end || want <= 0) return usage_error("quality", "--load expects a load number");
            break;
        }
        case 'o': file = optarg; break;
        case 3001:
            if (parse_output("quality", optarg, 1u << OUT_TEXT | 1u << OUT_JSON | 1u << OUT_HTML,
                             &out))
                return EXIT_USAGE;
            break;
        default: return bad_option("quality", argc, argv);
        }
    }
    if (optind != argc - 1) return usage_error("quality", "expected one source name");
    const char *source = argv[optind];
    c->must_exist = 1; /* a report must not leave an empty database behind */
    c->read_only = 1;  /* a read command never writes (not even a catalog) */
    if (file) {
        /* refused before anything is read: the store and its files are never overwritten */
        if ((rc = cli_protect(c, NULL, 0, NULL, NULL))) return rc;
        if (sl_outfile_check(file, "--out", &err)) {
            fprintf(stderr, "sluice: quality: %s\n", err.msg);
            return EXIT_USAGE;
        }
    }
    if (!(db = cli_open_db(c, &rc))) return rc;
    if (db->store->list_loads(db, source, &v, &n, &err)) {
        fprintf(stderr, "sluice: %s\n", err.msg);
        rc = EXIT_RUNTIME;
        goto out;
    }
    /* the history: every load with figures (committed, or failed a threshold), oldest first */
    past = sl_xcalloc(n ? n : 1, sizeof *past);
    for (size_t i = 0; i < n; i++) {
        if (!v[i].quality_json) continue;
        past[k].load = v[i].id;
        past[k].rows = v[i].rows;
        past[k].status = v[i].status;
        past[k].quality_json = v[i].quality_json;
        k++;
        if (!want || v[i].id == want) pick = &v[i];
    }
    if (!pick) {
        /* through sl_error_set: the store's URL is shown with its password masked */
        if (want)
            sl_error_set(&err, SL_ENOTFOUND,
                         "source '%s' has no load %lld with quality figures in %s", source,
                         (long long)want, db->url);
        else
            sl_error_set(&err, SL_ENOTFOUND, "source '%s' has no load with quality figures in %s",
                         source, db->url);
        fprintf(stderr, "sluice: %s\n", err.msg);
        rc = EXIT_USAGE;
        goto out;
    }
    /* the charts show the loads up to the one reported on, the last CHART_LOADS of them */
    size_t end = 0, first;
    while (end < k && past[end].load != pick->id) end++;
    end = end < k ? end + 1 : k;
    first = end > CHART_LOADS ? end - CHART_LOADS : 0;
    memset(&rep, 0, sizeof rep);
    rep.source = source;
    rep.load = pick->id;
    rep.status = pick->status;
    rep.input = pick->input;
    rep.finished = pick->finished;
    rep.message = pick->message;
    rep.rows = pick->rows;
    rep.valid = pick->valid;
    rep.warning = pick->warning;
    rep.invalid = pick->invalid;
    rep.quality_json = pick->quality_json;
    rep.history = past + first;
    rep.nhistory = end - first;
    if (out == OUT_JSON)
        rc = sl_quality_report_json(&rep, &b, &err);
    else if (out == OUT_HTML)
        rc = sl_quality_report_html(&rep, &b, &err);
    else
        rc = sl_quality_report_text(&rep, &b, &err);
    if (rc) {
        fprintf(stderr, "sluice: %s\n", err.msg);
        rc = EXIT_RUNTIME;
        goto out;
    }
    if (file) {
        struct sl_outfile *of = NULL;
        if ((rc = sl_outfile_open(file, "--out", &of, &err))) {
            fprintf(stderr, "sluice: quality: %s\n", err.msg);
            rc = sl_exit_code(rc);
            goto out;
        }
        if (fwrite(b.p, 1, b.len, sl_outfile_stream(of)) != b.len) {
            fprintf(stderr, "sluice: cannot write %s: %s\n", cli_shown(file), strerror(errno));
            sl_outfile_abort(of);
            rc = EXIT_RUNTIME;
            goto out;
        }
        if (sl_outfile_commit(of, &err)) {
            fprintf(stderr, "sluice: quality: %s\n", err.msg);
            rc = EXIT_RUNTIME;
            goto out;
        }
        if (!c->quiet) fprintf(stderr, "sluice: wrote %s\n", cli_shown(file));
    } else {
        fwrite(b.p, 1, b.len, stdout);
    }
out:
    free(past);
    sl_buf_free(&b);
    sl_load_infos_free(v, n);
    sl_store_close(db);
    return rc;
}
