#!/usr/bin/env bash
# Crash safety on PostgreSQL: kill_midload.sh (SIGKILL at random moments of `load` and `run`,
# then exactly one load of the input, silver equal to a clean load) against a fresh database of
# the test server that tests/run starts.
#
# env: SLUICE_RELEASE, PGHOST/PGUSER (the test server); KILLS (default 8).
set -euo pipefail
: "${PGHOST:?PGHOST must name the test PostgreSQL server}"
db=kill_$$
trap 'psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
psql -XqAt -d postgres -c "CREATE DATABASE $db"
SLUICE_TEST_DB_URL="postgresql:///$db" KILLS=${KILLS:-8} "$(dirname "$0")/kill_midload.sh"
