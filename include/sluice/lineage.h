/*
 * Lineage (src/lineage/): where silver's rows came from, read back from the catalog and bronze
 * (the graph input → load → bronze → silver of a source, the history of one row, as text, JSON,
 * DOT or Mermaid), and OpenLineage run events about each load, appended to a file and/or POSTed
 * through the HTTP client (sluice/http.h). The row history replays the loads through
 * sluice/version.h; the events describe a load's outcome (struct sl_load_result,
 * sluice/pipeline.h): this module sits above both.
 */
#ifndef SLUICE_LINEAGE_H
#define SLUICE_LINEAGE_H

#include "sluice/core.h"
#include "sluice/schema.h"
#include "sluice/store.h"

/* ---- lineage ------------------------------------------------------------------------------ */

enum sl_lineage_format { SL_LINEAGE_TEXT, SL_LINEAGE_JSON, SL_LINEAGE_DOT, SL_LINEAGE_MERMAID };
/* The graph input → load → bronze → silver of source (NULL: every source). */
int sl_lineage_graph(struct sl_db *db, const char *source, int format, struct sl_buf *out,
                     struct sl_error *err);
/* Where the silver row with this key came from, and every load that wrote the key (oldest
 * first). key: the key's values comma-separated in key order. json != 0: CLI.md's shape.
 * SL_ENOTFOUND when no load wrote the key. */
int sl_lineage_row(struct sl_db *db, const char *source, const char *key, int json,
                   struct sl_buf *out, struct sl_error *err);

/* ---- OpenLineage ------------------------------------------------------------------------ */

/* Where run events go (sluice.yaml lineage.openlineage); NULL members: nowhere. */
struct sl_openlineage {
    const char *file;    /* one JSON event per line, appended */
    const char *url;     /* http:// or https:// endpoint: each event POSTed (2xx expected) */
    const char *ca_file; /* CA bundle verifying an https:// url; NULL: the system's */
};
struct sl_load_result;
/* A fresh random (version 4) UUID for a run. */
void sl_openlineage_run_id(char out[37]);
/* Appends one run event to b: type START (r NULL), COMPLETE or FAIL (r: the load's outcome).
 * schema (may be NULL) is the silver schema for the schema facet. */
void sl_openlineage_event(struct sl_buf *b, const char *type, const char *run_id,
                          const char *store_url, const char *source, const char *input,
                          const struct sl_schema *schema, const struct sl_load_result *r);
/* Writes the event to the file and/or POSTs it; SL_EIO with the reason on failure. */
int sl_openlineage_send(const struct sl_openlineage *ol, const char *event, struct sl_error *err);

#endif
