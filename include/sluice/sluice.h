/* libsluice: everything the CLI (and later the server) uses. */
#ifndef SLUICE_H
#define SLUICE_H

#include "sluice/batch.h"
#include "sluice/config.h"
#include "sluice/core.h"
#include "sluice/format.h"
#include "sluice/json.h"
#include "sluice/lineage.h"
#include "sluice/pipeline.h"
#include "sluice/quality.h"
#include "sluice/schema.h"
#include "sluice/store.h"
#include "sluice/stream.h"
#include "sluice/time.h"
#include "sluice/transform.h"
#include "sluice/version.h"

#endif
