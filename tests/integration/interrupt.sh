#!/usr/bin/env bash
# SIGINT and SIGTERM during a load: exit code 3, "interrupted ... rolled back" on stderr, no
# committed load, silver empty; the next load of the same file then commits normally. Also: a
# signal while sluice waits for input on stdin must end it without more input arriving.
#
# env: SLUICE_RELEASE (release binary). Only outcomes are asserted.
set -euo pipefail

bin=${SLUICE_RELEASE:?SLUICE_RELEASE must name the release sluice binary}
tmp=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
    exec 3>&- 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
q() { sqlite3 "$1" "$2"; }
has_table() { [ "$(q "$1" "select count(*) from sqlite_master where type='table' and name='$2'")" = 1 ]; }
# running (not ended, not a zombie waiting to be reaped)
alive() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

# ~130 MB: several seconds of loading, so a signal after well under a second lands mid-load
n=3000000
awk -v n=$n 'BEGIN {
    print "id,name,amount,day"
    for (i = 1; i <= n; i++)
        printf "%d,name_%d_xyz,%d.%02d,2024-%02d-%02d\n", i, i, i % 100000, i % 100, i % 12 + 1, i % 28 + 1
}' >big.csv
echo "generated big.csv: $n rows, $(wc -c <big.csv) bytes"

# interrupt SIG DELAY: signal a load of big.csv into a fresh database DELAY s after it started
interrupt() {
    local sig=$1 delay=$2 db="db_${1}_$2" st
    "$bin" load big.csv --db "sqlite:$db" >out 2>err &
    pid=$!
    sleep "$delay"
    kill -s "$sig" "$pid" 2>/dev/null || true
    st=0
    wait "$pid" || st=$?
    pid=
    [ "$st" != 0 ] || fail "SIG$sig after ${delay}s: the load finished first (exit 0); too fast a machine?"
    [ "$st" = 3 ] || fail "SIG$sig after ${delay}s: exit $st, not 3; stderr: $(cat err)"
    grep -q interrupted err || fail "SIG$sig: stderr does not say 'interrupted': $(cat err)"
    grep -q 'rolled back' err || fail "SIG$sig: stderr does not say 'rolled back': $(cat err)"
    [ "$(q "$db" 'pragma integrity_check')" = ok ] || fail "SIG$sig: integrity_check failed"
    local committed=0 silver=0 statuses=
    if has_table "$db" sluice_loads; then
        committed=$(q "$db" "select count(*) from sluice_loads where status='committed'")
        statuses=$(q "$db" "select group_concat(status, ',') from sluice_loads")
    fi
    [ "$committed" = 0 ] || fail "SIG$sig: $committed committed loads after the interrupt"
    if has_table "$db" big; then silver=$(q "$db" 'select count(*) from big'); fi
    [ "$silver" = 0 ] || fail "SIG$sig: silver big has $silver rows after the interrupt"
    echo "SIG$sig after ${delay}s: exit 3, '$(tail -n 1 err)', catalog [$statuses], silver 0 rows"
}

interrupt INT 0.5
interrupt TERM 0.5
interrupt INT 0.15
interrupt TERM 0.15

# `sluice run` too: SIGTERM mid-run rolls the load back, exit 3
printf 'sources:\n  big:\n    input: big.csv\n' >sluice.yaml
"$bin" --db sqlite:db_run run big >out 2>err &
pid=$!
sleep 0.5
kill -s TERM "$pid" 2>/dev/null || true
st=0
wait "$pid" || st=$?
pid=
[ "$st" = 3 ] || fail "SIGTERM of run: exit $st, not 3; stderr: $(cat err)"
grep -q 'rolled back' err || fail "SIGTERM of run: stderr does not say 'rolled back': $(cat err)"
[ "$(q db_run 'pragma integrity_check')" = ok ] || fail "SIGTERM of run: integrity_check failed"
if has_table db_run big; then
    [ "$(q db_run 'select count(*) from big')" = 0 ] || fail "SIGTERM of run: rows in silver"
fi
[ "$(q db_run "select count(*) from sluice_loads where status='committed'")" = 0 ] ||
    fail "SIGTERM of run: a committed load"
echo "SIGTERM of run after 0.5s: exit 3, '$(tail -n 1 err)'"
rm sluice.yaml

# after an interrupted load, the same file loads normally (a failed load is not "already loaded")
db=db_INT_0.5
st=0
"$bin" load big.csv --db "sqlite:$db" --output json >again.json 2>again.err || st=$?
[ "$st" = 0 ] || fail "loading again after the interrupt exited $st: $(cat again.err)"
grep -q '"status":"committed"' again.json || fail "the load after the interrupt: $(cat again.json)"
[ "$(q "$db" 'select count(*) from big')" = $n ] || fail "silver after the reload is not $n rows"
echo "reload after the interrupt: committed, $n rows"

# a signal while sluice waits on stdin: it must end (rolled back) without more input arriving
mkfifo fifo
"$bin" load - --source piped --db sqlite:db_pipe <fifo >out 2>err &
pid=$!
exec 3>fifo
head -n 1000 big.csv >&3 || fail "sluice stopped reading stdin: $(cat err)"
sleep 0.5
kill -s INT "$pid"
for _ in $(seq 1 50); do
    alive "$pid" || break
    sleep 0.2
done
if alive "$pid"; then
    exec 3>&-
    wait "$pid" || true
    pid=
    fail "SIGINT while reading an idle stdin: sluice still running 10 s later (it only ends once more input or EOF arrives)"
fi
st=0
wait "$pid" || st=$?
pid=
exec 3>&-
[ "$st" = 3 ] || fail "SIGINT while reading stdin: exit $st, not 3; stderr: $(cat err)"
grep -q 'rolled back' err || fail "SIGINT while reading stdin: stderr: $(cat err)"
echo "SIGINT while waiting on stdin: exit 3, rolled back"
echo "interrupt: ok"
