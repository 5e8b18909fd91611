#!/usr/bin/env bash
# Disk full during a load: under a file-size limit (ulimit -f: the write fails with EFBIG, and
# sluice ignores SIGXFSZ so it is not killed mid-write) and, as root, on a 4 MiB tmpfs (ENOSPC).
# Each time: exit 3, a message naming the database and the cause, the database intact
# (integrity_check), no committed load for the input, the earlier load untouched, and a later
# load into the same database succeeds.
#
# env: SLUICE (ASan binary). Only outcomes are asserted.
set -euo pipefail

bin=${SLUICE:?SLUICE must name the sluice binary}
tmp=$(mktemp -d)
mounted=
cleanup() {
    if [ -n "$mounted" ]; then umount "$mounted" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

awk 'BEGIN { print "id,name,note"; for (i = 1; i <= 200000; i++) printf "%d,name_%d,some text to take room %d\n", i, i, i }' >big.csv
printf 'a,b\n1,2\n' >small.csv
printf 'a,b\n3,4\n' >later.csv

# full DB LIMIT_CMD...: a load of big.csv that runs out of room; then the checks
full() {
    local db=$1 cause=$2
    shift 2
    "$bin" --db "sqlite:$db" --quiet load small.csv >/dev/null || fail "the first load failed"
    local st=0
    ("$@" "$bin" --db "sqlite:$db" load big.csv >out 2>err) || st=$?
    [ "$st" = 3 ] || fail "$cause: exit $st, not 3: $(cat out err)"
    grep -qE "big: load failed: .*$db: .*$cause" err || fail "$cause: the message: $(cat err)"
    [ "$(sqlite3 "$db" 'pragma integrity_check')" = ok ] || fail "$cause: integrity_check"
    [ "$(sqlite3 "$db" "select count(*) from sluice_loads where source='big' and status='committed'")" = 0 ] ||
        fail "$cause: a committed load of big.csv"
    if [ "$(sqlite3 "$db" "select count(*) from sqlite_master where name='big'")" = 1 ]; then
        [ "$(sqlite3 "$db" 'select count(*) from big')" = 0 ] || fail "$cause: rows of big.csv in silver"
    fi
    [ "$(sqlite3 "$db" 'select count(*) from small')" = 1 ] || fail "$cause: the earlier load changed"
    echo "$cause: exit 3, '$(tail -n 1 err)', integrity ok, nothing of big.csv committed"
}

# bash's ulimit -f counts KiB: room for the database as it is and a little more
limited() { (ulimit -f $(($(stat -c %s "$db" 2>/dev/null || echo 0) / 1024 + 600)) && exec "$@"); }
db=limit.db
"$bin" --db "sqlite:$db" --quiet load small.csv >/dev/null
full "$db" 'File too large' limited
"$bin" --db "sqlite:$db" --quiet load later.csv >/dev/null || fail "a later load after EFBIG failed"
[ "$(sqlite3 "$db" 'select count(*) from later')" = 1 ] || fail "the later load has no row"
# and with the room back, the big file loads
"$bin" --db "sqlite:$db" --quiet load big.csv >/dev/null || fail "big.csv with room failed"
[ "$(sqlite3 "$db" 'select count(*) from big')" = 200000 ] || fail "big.csv with room: wrong count"
echo "after EFBIG: a later load and then big.csv itself load"

if [ "$(id -u)" = 0 ] && mkdir -p mnt && mount -t tmpfs -o size=4m tmpfs mnt 2>/dev/null; then
    mounted=$tmp/mnt
    none() { "$@"; }
    full mnt/t.db 'disk is full' none
    "$bin" --db sqlite:mnt/t.db --quiet load later.csv >/dev/null || fail "a later load after ENOSPC failed"
    [ "$(sqlite3 mnt/t.db 'select count(*) from later')" = 1 ] || fail "the later load on tmpfs has no row"
    echo "after ENOSPC: a later load succeeds"
else
    echo "tmpfs: skipped (needs root and mount)"
fi
echo "disk_full: ok"
