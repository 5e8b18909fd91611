#!/usr/bin/env bash
# The database password never shows: every command (and its error paths: unknown source or
# load, wrong password, malformed URLs, an OpenLineage endpoint with credentials) is run
# against a private PostgreSQL server whose user "probe" needs a password, with that password
# in the URL's userinfo (percent-encoded, and raw with '@' ':' '/' in it), in ?password= and
# in SLUICE_DB, sluice.yaml and .env; all of stdout, stderr, every file sluice writes and the
# database itself are searched for the password, or any piece of it.
#
# env: SLUICE (binary under test). Starts its own server (tests/pg/server) with a pg_hba.conf
# that asks probe for a password (scram-sha-256).
set -euo pipefail
bin=${SLUICE:?}
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
chmod 755 "$tmp" # the server runs as user postgres when we are root
pg=$tmp/pg
trap '"$root/tests/pg/server" stop "$pg"; rm -rf "$tmp"' EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# every piece of the password is distinctive ("SEKRIT"): a leak of any part of it is found
pw='SEKRITa1:SEKRITb2/SEKRITc3@SEKRITd4?SEKRITe5'
enc='SEKRITa1%3ASEKRITb2%2FSEKRITc3%40SEKRITd4%3FSEKRITe5'
printf 'local all probe scram-sha-256\nlocal all all trust\n' >"$tmp/hba.conf"
chmod 644 "$tmp/hba.conf"
env=$(PG_SERVER_OPTIONS="-c hba_file=$tmp/hba.conf" "$root/tests/pg/server" start "$pg") ||
    fail "cannot start the PostgreSQL test server"
eval "$env"
unset SLUICE_DB PGPASSWORD PGDATABASE
psql -XqAt -d postgres -c "CREATE ROLE probe LOGIN PASSWORD '$pw'"
psql -XqAt -d postgres -c "CREATE DATABASE probedb OWNER probe"
sock=$(printf '%s' "$PGHOST" | sed 's|/|%2F|g')
unset PGHOST PGUSER # only the URL says where and who

good_ui="postgresql://probe:$enc@$sock/probedb"          # userinfo, percent-encoded
good_q="postgresql://probe@$sock/probedb?password=$enc" # query parameter
bad_case="postgresql:///probedb?host=$sock&user=probe&PassWord=$enc&connect_timeout=5" # libpq: no such key
wrong_ui="postgresql://probe:${enc}x@$sock/probedb?connect_retries=0"
wrong_q="postgresql://probe@$sock/probedb?password=${enc}x&connect_retries=0"
# malformed: the raw password (libpq splits it into host and parameters), a bad escape in
# the password, a bad port, a bad host, a bad parameter, a reserved schema
bad=("postgresql://probe:$pw@$sock/probedb"
    "postgresql://probe@$sock/probedb?password=SEKRITz%zz"
    "postgresql://probe:$enc@localhost:badport/probedb"
    "postgresql://probe:$enc@[::1/probedb"
    "postgres://probe:$enc@$sock/probedb?sslmode=bogus"
    "postgresql://probe:$enc@$sock/probedb?password"
    "postgresql://probe:$enc@$sock/probedb?silver_schema=sluice")

mkdir "$tmp/w" "$tmp/out"
cd "$tmp/w"
printf 'id,v\n1,a\n2,b\n' >t.csv
printf 'id,v\n1,a\n3,c\nx,y,z\n' >t2.csv
printf 'sources:\n  t:\n    input: t.csv\n    primary_key: id\n' >sluice.yaml
n=0
run() { # name args...: runs sluice, keeps its stdout and stderr
    n=$((n + 1))
    local name=$1
    shift
    "$bin" "$@" >"$tmp/out/$n.$name.out" 2>"$tmp/out/$n.$name.err" </dev/null || true
}
cmds=("load t.csv --source t --primary-key id" "load t2.csv --source t --primary-key id --rejects rej.csv"
    "load t2.csv --source t --primary-key id --output json"
    "run" "run t --force --output json" "check t.csv" "check t2.csv --source t" "cat t.csv" "infer t.csv"
    "versions t" "versions t --all --output json" "versions nosuch"
    "quality t" "quality t --output json" "quality t --output html -o q.html" "quality t --load 99"
    "quality nosuch"
    "rollback t --to 1" "rollback t --to 99" "rollback nosuch --to 1"
    "activate t 2" "activate t 99" "activate nosuch 1"
    "deactivate t 2" "deactivate nosuch 1" "rebuild t" "rebuild nosuch" "rebuild t --output json"
    "history" "history t --output json" "history nosuch"
    "diff t 1 2" "diff t 1 2 --output json" "diff t 1 99" "diff nosuch 1 2"
    "lineage" "lineage t" "lineage t --output dot" "lineage t --row 1 --output json" "lineage t --row 99"
    "lineage nosuch" "schema t" "schema t --history --output json" "schema nosuch"
    "migrate status" "migrate up" "migrate bogus" "help versions" "version")
# every command with the password in the userinfo, in ?password= and a wrong one; the other
# URLs with a few commands (they fail where every command fails: opening the store)
# shellcheck disable=SC2086
for url in "$good_ui" "$good_q" "$wrong_ui"; do
    for cmd in "${cmds[@]}"; do run "${cmd%% *}" --db "$url" $cmd; done
done
# shellcheck disable=SC2086
for url in "$bad_case" "$wrong_q" "${bad[@]}"; do
    for cmd in "load t.csv --source t" "versions t" "rollback nosuch --to 1" "lineage t --output json"; do
        run "${cmd%% *}" --db "$url" $cmd
        run "${cmd%% *}-json-log" --log-format json --db "$url" $cmd
    done
    SLUICE_DB="$url" run versions-env versions t
done
[ -s "$tmp/out/1.load.out" ] && grep -q "load 1 committed" "$tmp/out/1.load.out" ||
    fail "the first load did not commit: $(cat "$tmp/out/1.load."*)"
grep -q "password authentication failed" "$tmp"/out/*.err || fail "no wrong-password failure seen"
grep -lq "not a valid PostgreSQL URL" "$tmp"/out/*.err || fail "no malformed-URL failure seen"

# the store in sluice.yaml and in .env; an OpenLineage endpoint with credentials (nothing
# listens on port 9: a warning naming the endpoint)
for store in "$good_ui" "$wrong_ui" "${bad[0]}"; do
    printf 'store: "%s"\nlineage:\n  openlineage:\n    file: events.jsonl\n    url: "http://ol:SEKRITol@127.0.0.1:9/api?api_key=SEKRITkey"\nsources:\n  t:\n    input: t.csv\n    primary_key: id\n' \
        "$store" >sluice.yaml
    run run-yaml run --force
    run load-yaml load t2.csv --source t
    run versions-yaml versions t
    run quality-yaml quality nosuch
    printf 'sources:\n  t:\n    input: t.csv\n' >sluice.yaml
    printf 'SLUICE_DB=%s\n' "$store" >.env
    run versions-dotenv versions t
    run rollback-dotenv rollback t --to 99
    rm .env
done
grep -q "warning: openlineage: http://ol:\*\*\*@127.0.0.1:9/api?api_key=\*\*\*: cannot connect" "$tmp"/out/*.err ||
    fail "no OpenLineage warning seen"
[ -s events.jsonl ] || fail "no OpenLineage events written"
grep -q '"namespace":"postgresql://'"$sock"'/probedb"' events.jsonl || fail "namespace: $(head -c 2000 events.jsonl)"

# nothing anywhere holds a piece of the password: outputs, files written (the inputs and
# the configs, which hold it on purpose, are removed first), the database's contents
rm -f sluice.yaml .env
if leaks=$(grep -rl SEKRIT "$tmp/out" .); then
    for f in $leaks; do
        echo "--- $f" >&2
        grep -h SEKRIT "$f" | head -5 >&2
    done
    fail "the password leaked (in $(wc -l <<<"$leaks") files)"
fi
"$PG_BINDIR/pg_dump" -h "$pg" -U "$(if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi)" probedb >"$tmp/dump.sql"
grep -q "bronze" "$tmp/dump.sql" || fail "pg_dump: nothing dumped"
grep -q SEKRIT "$tmp/dump.sql" && fail "the password is stored in the database: $(grep SEKRIT "$tmp/dump.sql" | head -3)"
echo "$n runs, no secret in any output or file: ok"
