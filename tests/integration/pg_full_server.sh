#!/usr/bin/env bash
# A server with no connection left for a load's second connection (its bronze writer): the load
# writes everything on its own connection, and asks the server for the second one once, not
# with the retries and backoff of a connection it needs (the server's log counts the refusals).
#
# env: SLUICE (binary under test); starts its own server (tests/pg/server) with 3 connections.
set -euo pipefail
bin=${SLUICE:?}
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
chmod 755 "$tmp"
sleepers=()
cleanup() {
    for p in "${sleepers[@]}"; do kill "$p" 2>/dev/null || true; done
    "$root/tests/pg/server" stop "$tmp/pg"
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
eval "$(PG_SERVER_OPTIONS="-c max_connections=3 -c superuser_reserved_connections=0" \
    "$root/tests/pg/server" start "$tmp/pg")"
psql -XqAt -d postgres -c "CREATE DATABASE full_$$"
cd "$tmp"
{
    echo 'id,at,n'
    for i in $(seq 1 500); do
        if ((i % 5)); then echo "$i,2025-0$((i % 3 + 1))-1$((i % 9))T10:00:00Z,$i"; else echo "$i,,$i"; fi
    done
} >ev.csv

# two of the three connections taken: the load gets the last one, its worker none
for i in 1 2; do
    psql -XqAt -d postgres -c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
    sleepers+=($!)
done
for _ in $(seq 1 100); do
    [ "$(psql -XqAt -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'" 2>/dev/null)" = 2 ] && break
    sleep 0.1
done
refused_before=$(grep -c "too many clients" pg/server.log || true)
"$bin" load ev.csv --source ev --timestamp at --db "postgresql:///full_$$" --quiet ||
    fail "the load failed on a server with no second connection"
refused=$(($(grep -c "too many clients" pg/server.log || true) - refused_before))
[ "$refused" = 1 ] || fail "the server refused $refused connections of the load, expected 1 (the worker's, asked once)"
got=$(psql -XqAt -d "full_$$" -c "SELECT count(*) FROM bronze.ev")
[ "$got" = 500 ] || fail "bronze.ev has $got rows, expected 500"
got=$(psql -XqAt -d "full_$$" -c "SELECT count(*) FROM ev")
[ "$got" = 500 ] || fail "silver has $got rows, expected 500"
parts=$(psql -XqAt -d "full_$$" -c "SELECT count(*) FROM pg_inherits WHERE inhparent = 'bronze.ev'::regclass")
[ "$parts" = 4 ] || fail "bronze.ev has $parts partitions, expected 3 months and the default"
echo "ok: a server out of connections: one refusal, the load written on one connection"
