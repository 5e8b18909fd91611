#!/usr/bin/env bash
# The PostgreSQL URL is checked before anything is written: silver_schema may not name a
# schema of the catalog (sluice, bronze) or of the server (pg_*, information_schema), in any
# spelling (percent-encoded, other case), in any command; a URL that libpq cannot read fails at
# once with exit 2 instead of after the connection retries; a percent-encoded silver_schema is
# decoded as libpq decodes its own parameters.
#
# env: SLUICE (binary under test), PGHOST/PGUSER (the test server tests/run starts).
set -euo pipefail
bin=${SLUICE:?}
: "${PGHOST:?PGHOST must name the test PostgreSQL server}"
tmp=$(mktemp -d)
db=pgurl_$$
trap 'rm -rf "$tmp"; psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
cd "$tmp"
psql -XqAt -d postgres -c "CREATE DATABASE $db"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
q() { psql -XqAt -d "$db" -c "$1"; }

printf 'id,v\n1,a\n2,b\n' >t.csv
printf 'sources:\n  t:\n    input: t.csv\n' >sluice.yaml
"$bin" --db "postgresql:///$db" load t.csv --quiet
runs_before=$(q 'select count(*) from sluice.runs')

# every command, every spelling of a reserved schema: exit 2, the reason named, nothing written
for schema in sluice bronze SLUICE %73luice Bronze pg_catalog pg_x information_schema; do
    for cmd in "load t.csv" "versions t" "quality t" "rollback t --to 1" "activate t 1" \
        "deactivate t 1" "rebuild t" "history" "diff t 1 1" "lineage t" "schema t" \
        "migrate status" "run"; do
        # shellcheck disable=SC2086
        if out=$("$bin" --db "postgresql:///$db?silver_schema=$schema" $cmd 2>&1); then
            fail "silver_schema=$schema $cmd: accepted: $out"
        else
            code=$?
        fi
        [ "$code" -eq 2 ] || fail "silver_schema=$schema $cmd: exit $code, expected 2: $out"
        grep -q "is reserved" <<<"$out" || fail "silver_schema=$schema $cmd: no reason: $out"
    done
done
[ "$(q 'select count(*) from sluice.runs')" = "$runs_before" ] || fail "sluice.runs changed"
[ "$(q "select count(*) from information_schema.tables where table_schema = 'sluice' and table_name = 't'")" = 0 ] ||
    fail "a silver table in schema sluice"
echo "reserved silver_schema refused in every command: ok"

# %00 and an empty or too long schema
for bad in 'a%00b' '' "$(printf 'x%.0s' {1..64})"; do
    if out=$("$bin" --db "postgresql:///$db?silver_schema=$bad" versions t 2>&1); then
        fail "silver_schema=$bad accepted"
    else
        code=$?
    fi
    [ "$code" -eq 2 ] || fail "silver_schema=$bad: exit $code: $out"
done

# a percent-encoded schema is decoded: "my silver", not "my%20silver"
"$bin" --db "postgresql:///$db?silver_schema=my%20silver" load t.csv --source spaced --quiet
[ "$(q 'select count(*) from "my silver".spaced')" = 2 ] || fail "no table in schema \"my silver\""
[ "$(q "select count(*) from pg_namespace where nspname = 'my%20silver'")" = 0 ] ||
    fail "schema my%20silver created"
echo "silver_schema percent-decoded: ok"

# a malformed URL fails at once (no retries), exit 2, the password masked
for url in "postgresql://probe:S3CRETPW@[::1/$db" "postgresql://probe:S3CRETPW@/$db?foo=bar" \
    "postgresql://probe:S3CRETPW@localhost:abc/$db" "postgresql://probe:S3CRETPW@/$db?sslmode=bogus"; do
    start=$(date +%s%N)
    if out=$("$bin" --db "$url" versions t 2>&1); then
        fail "$url accepted"
    else
        code=$?
    fi
    ms=$((($(date +%s%N) - start) / 1000000))
    [ "$code" -eq 2 ] || fail "$url: exit $code, expected 2: $out"
    grep -q "not a valid PostgreSQL URL" <<<"$out" || fail "$url: $out"
    grep -q S3CRETPW <<<"$out" && fail "$url: the password in: $out"
    [ "$ms" -lt 1500 ] || fail "$url: took $ms ms (retried?)"
done
echo "malformed URLs fail at once: ok"
