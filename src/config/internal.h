/* Pieces of the config loader shared between its files. Internal. */
#ifndef SLUICE_CONFIG_INTERNAL_H
#define SLUICE_CONFIG_INTERNAL_H

#include "sluice/config.h"
#include "sluice/json.h"

/* `quality:` (a mapping) into q: only the keys present change q. */
int sl__read_quality(const struct sl_doc *d, const struct sl_node *map, const char *what,
                     struct sl_quality_config *q, struct sl_error *err);
/* `freshness:` (a duration) into q. */
int sl__read_freshness(const struct sl_doc *d, const struct sl_node *n, const char *what,
                       struct sl_quality_config *q, struct sl_error *err);
/* A deep copy (dst's old content is not freed). */
void sl__quality_config_copy(struct sl_quality_config *dst, const struct sl_quality_config *src);

#endif
