#!/usr/bin/env bash
# OpenLineage over HTTP: with lineage.openlineage.url, each load's START and COMPLETE events are
# POSTed to the endpoint (a libmicrohttpd server built from http_sink.c and started here). An
# endpoint that answers 500 is retried (3 retries, backoff with jitter), then a warning: the
# load still commits. A URL that is not http:// or https:// is refused when sluice.yaml is read.
#
# env: SLUICE (binary).
set -euo pipefail

bin=${SLUICE:?SLUICE must name the sluice binary}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
# shellcheck disable=SC2046
cc -O1 -Wall -Werror -o sink "$here/http_sink.c" $(pkg-config --cflags --libs libmicrohttpd) ||
    fail "cannot build the test server"

serve() { # STATUS: starts the server, waits for its port
    if [ -n "$pid" ]; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
    rm -f port got
    ./sink port got "$1" &
    pid=$!
    for _ in $(seq 100); do [ -s port ] && break; sleep 0.05; done
    [ -s port ] || fail "the test server did not start"
}

printf 'id,v\n1,a\n2,b\n' >in.csv
serve 200
printf 'store: sqlite:t.db\nlineage:\n  openlineage:\n    url: http://127.0.0.1:%s/api/v1/lineage\n' \
    "$(cat port)" >sluice.yaml
"$bin" load in.csv --source s --primary-key id >out 2>&1 || fail "load: $(cat out)"
[ "$(wc -l <got)" = 2 ] || fail "expected 2 requests, got: $(cat got)"
grep -q '^POST /api/v1/lineage	{"eventType":"START",' got || fail "no START: $(cat got)"
grep -q '^POST /api/v1/lineage	{"eventType":"COMPLETE",.*"load":1,"status":"committed"' got ||
    fail "no COMPLETE: $(cat got)"
[ "$(grep -o '"runId":"[^"]*"' got | uniq | wc -l)" = 1 ] || fail "START and COMPLETE differ in runId"
grep -q warning out && fail "a warning with a working endpoint: $(cat out)"

serve 500
sed -i "s|127.0.0.1:[0-9]*|127.0.0.1:$(cat port)|" sluice.yaml
printf 'id,v\n3,c\n' >in2.csv
"$bin" load in2.csv --source s --primary-key id >out 2>&1 || fail "load with a failing endpoint: $(cat out)"
[ "$(grep -c '"eventType":"START"' got)" = 4 ] || fail "START not tried 4 times: $(cat got)"
[ "$(grep -c '"eventType":"COMPLETE"' got)" = 4 ] || fail "COMPLETE not tried 4 times: $(cat got)"
grep -q "warning: openlineage: http://127.0.0.1:[0-9]*/api/v1/lineage: HTTP 500 Internal Server Error: ok (4 attempts in [0-9.]* s)" out ||
    fail "no warning: $(cat out)"
grep -q "load 2 committed" out || fail "the load did not commit: $(cat out)"

printf 'store: sqlite:t.db\nlineage:\n  openlineage:\n    url: file:///etc/passwd\n' >sluice.yaml
rc=0
"$bin" load in2.csv --source s >out 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "a file:// URL: exit $rc, expected 2: $(cat out)"
grep -q "sluice.yaml:4: lineage.openlineage.url: expected an http:// or https:// URL" out ||
    fail "a file:// URL: $(cat out)"
echo ok
