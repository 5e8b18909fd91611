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
    char *rejects;   /* rejects: file for rejected rows (relative to base_dir), NULL = none */
    struct sl_format_opts fopts;
    struct sl_stream_opts sopts;
    int line; /* where it is declared in the config, 0 = command line */
};
void sl_source_init(struct sl_source *s);
void sl_source_free(struct sl_source *s);

struct sl_config {
    char *path;  /* the file */
    char *dir;   /* its directory */
    char *store; /* store URL, NULL if not set */
    struct sl_source *sources;
    size_t nsources;
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
