/*
 * sluice.yaml: the store and the sources. Paths in it are relative to the file's directory.
 * A .env next to it is loaded first (variables already in the environment win), and ${VAR} /
 * ${VAR:-default} in any value is replaced. Unknown keys and wrong types are errors that name
 * the file, line and key.
 */
#ifndef SLUICE_CONFIG_H
#define SLUICE_CONFIG_H

#include <stddef.h>

#include "sluice/core.h"
#include "sluice/format.h"
#include "sluice/stream.h"

/*
 * Quality settings (`quality:` of a source, or of the whole file as defaults for every source,
 * and `freshness:` of a source). A threshold < 0 is not set. Weights default to 1 each.
 */
enum sl_metric {
    SL_M_COMPLETENESS = 0,
    SL_M_VALIDITY,
    SL_M_UNIQUENESS,
    SL_M_CONSISTENCY,
    SL_M_TIMELINESS,
    SL_M_ACCURACY,
    SL_M_COUNT
};
struct sl_quality_config {
    double weights[SL_M_COUNT];
    double min_score;
    double min[SL_M_COUNT]; /* min_completeness, min_validity, ... */
    double max_invalid_ratio;
    double freshness;     /* seconds; 0 = none declared */
    char *freshness_text; /* as written ("24h", "P1D"), owned */
};
void sl_quality_config_init(struct sl_quality_config *q);
/* Does q set any threshold? */
int sl_quality_config_has_thresholds(const struct sl_quality_config *q);
/* A duration: "90s", "15m", "24h", "7d", "2w", a plain number of seconds, or ISO-8601
 * ("P1D", "PT12H", "P1DT6H30M"). Seconds, or -1 when it is none of these. */
double sl_parse_duration(const char *s);
struct sl_transforms;

/* How one source is read. Also built from command-line flags for ad-hoc `sluice load`. */
struct sl_source {
    char *name;
    char **inputs; /* paths or globs */
    size_t ninputs;
    char *base_dir;    /* inputs and schema are relative to it (NULL = cwd) */
    char *format;      /* NULL = detect */
    char *schema_path; /* NULL = infer the types */
    char **primary_key;
    size_t npk;
    char *timestamp; /* the field that holds the record's own time */
    char *mode;      /* "append", "upsert", "snapshot"; NULL = as before, or by the key */
    char *rejects;   /* rejects: file for rejected rows (relative to base_dir), NULL = none */
    struct sl_format_opts fopts;
    struct sl_stream_opts sopts;
    struct sl_transforms *transforms; /* owned, NULL if none (sluice/transform.h) */
    int line;                         /* where it is declared in the config, 0 = command line */
    struct sl_quality_config quality;
};
void sl_source_init(struct sl_source *s);
void sl_source_free(struct sl_source *s);

struct sl_config {
    char *path;  /* the file */
    char *dir;   /* its directory */
    char *store; /* store URL, NULL if not set */
    double
        busy_timeout; /* busy_timeout: seconds a SQLite store waits for another writer; -1 unset */

    /* lineage.openlineage: run events are appended to file (relative to dir) and/or POSTed
     * to url (http:// or https://, checked when read); ca_file (relative to dir): the CA
     * bundle that verifies an https:// url instead of the system's. NULL when not set */
    char *openlineage_file;
    char *openlineage_url;
    char *openlineage_ca_file;

    struct sl_source *sources;
    size_t nsources;
    struct sl_quality_config quality; /* the top-level quality: (defaults; no freshness) */
};

int sl_config_load(const char *path, struct sl_config **out, struct sl_error *err);
void sl_config_free(struct sl_config *c);
const struct sl_source *sl_config_source(const struct sl_config *c, const char *name);

/* Loads KEY=VALUE lines (optional `export`, quotes, # comments) into the environment without
 * overriding variables that are already set. A missing file is not an error. */
int sl_dotenv_load(const char *path, struct sl_error *err);
/* Replaces ${VAR}, ${VAR:-default} and $$ in s; an unset VAR without default is an error
 * (the message names VAR). *out is malloc'ed. */
int sl_interpolate(const char *s, char **out, struct sl_error *err);

#endif
