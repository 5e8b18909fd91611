#!/usr/bin/env bash
# The PostgreSQL server goes away in the middle of a load (pg_ctl stop -m immediate: a crash,
# for the client): the load ends failed with a clear message and exit 3, and leaves nothing
# behind; once the server is back, `sluice run` loads the input exactly once, and again skips it.
# Also: connection refused at start is retried with backoff, then exit 3 with the cause.
#
# Runs its own private server (it is killed), not the shared test server.
# env: SLUICE_RELEASE.
set -euo pipefail
bin=${SLUICE_RELEASE:?}
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
chmod 755 "$tmp"
pid=
cleanup() {
    if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
    "$here/tests/pg/server" stop "$tmp/pg"
    rm -rf "$tmp"
}
trap cleanup EXIT
eval "$("$here/tests/pg/server" start "$tmp/pg")"
cd "$tmp"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
q() { psql -XqAt -d postgres -c "$1"; }
export SLUICE_DB="postgresql:///postgres?connect_retries=3&retry_backoff=50"

n=1000000
awk -v n=$n 'BEGIN { print "id,name,amount,day"; for (i = 1; i <= n; i++) printf "%d,name_%d_xyz,%d.%02d,2024-%02d-%02d\n", i, i, i % 100000, i % 100, i % 12 + 1, i % 28 + 1 }' >big.csv
printf 'sources:\n  big:\n    input: big.csv\n    timestamp: day\n' >sluice.yaml

"$bin" run >run1.out 2>&1 &
pid=$!
# wait until rows are being copied, then kill the server
for _ in $(seq 1 600); do
    [ "$(q "select count(*) from pg_stat_activity where application_name = 'sluice' and query like 'COPY%'")" != 0 ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.05
done
"$here/tests/pg/server" stop "$tmp/pg"
st=0
wait $pid || st=$?
pid=
cat run1.out
[ $st = 3 ] || fail "the load whose server died exited $st, not 3"
grep -q 'big: load failed: .*connection to the server was lost' run1.out ||
    fail "no clear message about the lost server"

# connection refused at start: retried, then exit 3 with the cause
st=0
"$bin" run >run2.out 2>&1 || st=$?
cat run2.out
[ $st = 3 ] || fail "connection refused: exit $st, not 3"
grep -q 'cannot connect to PostgreSQL after 4 attempts: .*No such file or directory' run2.out ||
    fail "connection refused: no cause in the message"

"$here/tests/pg/server" restart "$tmp/pg"
[ "$(q "select count(*) from sluice.loads where status = 'committed'" 2>/dev/null || echo 0)" = 0 ] ||
    fail "a committed load survived the crash"
if [ "$(q "select to_regclass('bronze.big') is not null")" = t ]; then
    [ "$(q 'select count(*) from bronze.big')" = 0 ] || fail "bronze rows of the failed load survived"
fi
"$bin" run >run3.out 2>&1 || fail "run after the restart: $(cat run3.out)"
cat run3.out
grep -q "big: load [0-9]* committed: $n rows" run3.out || fail "the input was not loaded"
"$bin" run >run4.out 2>&1 || fail "run again: $(cat run4.out)"
cat run4.out
grep -q 'skipped: same input already loaded' run4.out || fail "the input was not skipped"
[ "$(q "select count(*) from sluice.loads where status = 'committed'")" = 1 ] || fail "not exactly one committed load"
[ "$(q 'select count(*) from big')" = $n ] || fail "silver rows: $(q 'select count(*) from big')"
[ "$(q 'select count(*) from bronze.big')" = $n ] || fail "bronze rows: $(q 'select count(*) from bronze.big')"
echo "pg_killed: ok"
