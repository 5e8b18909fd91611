#!/usr/bin/env bash
# The versions property test (silver = a rebuild of the active loads, after every random
# step) on PostgreSQL: versions_proptest.sh with SLUICE_PROPTEST_PG=1, fewer steps (each step
# copies the database with CREATE DATABASE ... TEMPLATE).
#
# env: SLUICE (binary under test), PGHOST/PGUSER (the test server tests/run starts).
set -euo pipefail
: "${SLUICE:?}"
: "${PGHOST:?PGHOST must name the test PostgreSQL server}"
SLUICE_PROPTEST_PG=1 SLUICE_PROPTEST_ITER=${SLUICE_PROPTEST_ITER:-40} \
    exec bash "$(dirname "$0")/versions_proptest.sh"
