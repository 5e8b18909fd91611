#!/usr/bin/env bash
# Property test of DESIGN.md's invariant: silver is a pure function of the active bronze loads.
#
# Random steps (fixed seed) on four sources — keyed upsert, unkeyed append, keyed snapshot,
# unkeyed snapshot: new loads (keys repeat within and across loads), reloads with --force,
# rollbacks, activations, deactivations and rebuilds. After every step, the content
# checksum of the silver of the source it acted on (every column quoted with its type, rows
# sorted, so the order rows were written in does not matter; _load and _row included) must
# equal the checksum of a from-scratch `sluice rebuild` on a copy of the database. Every 5th
# step also checks that the diff of the
# state after the newest active load against itself is empty and that `rollback --to` the
# newest active load changes nothing.
#
# env: SLUICE (binary), SLUICE_PROPTEST_ITER (steps, default 80), SLUICE_PROPTEST_SEED (42),
# SLUICE_PROPTEST_PG=1: on PostgreSQL instead of SQLite (the server that PGHOST, PGUSER and
# PGPORT name, as tests/run starts it; databases proptest_PID and proptest_PID_copy, dropped at
# the end; the copy is CREATE DATABASE ... TEMPLATE).
set -uo pipefail

bin=${SLUICE:?SLUICE must name the sluice binary}
iter=${SLUICE_PROPTEST_ITER:-80}
RANDOM=${SLUICE_PROPTEST_SEED:-42}
tmp=$(mktemp -d)
pg=${SLUICE_PROPTEST_PG:-}
if [ -n "$pg" ]; then
    pgdb=proptest_$$
    psql -XqAt -d postgres -c "CREATE DATABASE $pgdb" >/dev/null || exit 1
    export PGOPTIONS="-c client_min_messages=warning"
    trap 'cd /; rm -rf "$tmp"; psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS $pgdb" -c "DROP DATABASE IF EXISTS ${pgdb}_copy" >/dev/null' EXIT
    main=postgresql:///$pgdb copy=postgresql:///${pgdb}_copy
else
    trap 'rm -rf "$tmp"' EXIT
    main=sluice.db copy=copy.db
fi
cd "$tmp"
export USER=proptest

fail() {
    echo "FAIL (seed ${SLUICE_PROPTEST_SEED:-42}, step $step): $*" >&2
    echo "history:" >&2
    cat log >&2
    exit 1
}

# sql DB QUERY: rows as a|b|c lines (DB: the main or the copy database)
sql() {
    if [ -n "$pg" ]; then
        psql -XqAt -d "${1#postgresql:///}" -c "$2"
    else
        sqlite3 "$1" "$2"
    fi
}

# snapshot: the main database copied to the copy database
snapshot() {
    if [ -n "$pg" ]; then
        psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS ${pgdb}_copy" \
            -c "CREATE DATABASE ${pgdb}_copy TEMPLATE $pgdb" >/dev/null
    else
        rm -f copy.db copy.db-wal copy.db-shm
        sqlite3 sluice.db ".backup copy.db"
    fi
}

# checksum DB TABLE: sorted rows, each column as quote(col) in column-name order (PostgreSQL:
# each column's type, then the rows with every column as a quoted literal)
checksum() {
    local cols
    if [ -n "$pg" ]; then
        local d=${1#postgresql:///}
        cols=$(psql -XqAt -d "$d" -c "select string_agg(format('quote_nullable(%I)', column_name),
            ' || '','' || ' order by column_name) from information_schema.columns where
            table_schema = 'public' and table_name = '$2'")
        [ -n "$cols" ] || {
            echo "no-table"
            return
        }
        {
            psql -XqAt -d "$d" -c "select column_name, data_type from information_schema.columns
                where table_schema = 'public' and table_name = '$2' order by column_name"
            psql -XqAt -d "$d" -c "select $cols from public.\"$2\"" | LC_ALL=C sort
        } | sha256sum | cut -c1-64
        return
    fi
    cols=$(sqlite3 "$1" "select group_concat('quote(\"' || name || '\")', ',') from
        (select name from pragma_table_info('$2') order by name)")
    [ -n "$cols" ] || {
        echo "no-table"
        return
    }
    sqlite3 "$1" "select $cols from \"$2\"" | LC_ALL=C sort | sha256sum | cut -c1-64
}

catalog=sluice_loads
[ -n "$pg" ] && catalog=sluice.loads
words=(red green blue cyan plum teal gold rose)
sources=(k u s n)
declare -A opts=([k]="--primary-key id --mode upsert" [u]="--mode append"
    [s]="--primary-key id --mode snapshot" [n]="--mode snapshot")
nfiles=0
files=()
step=0
: >log

# newfile SRC: a CSV of 1..8 rows; keyed sources draw ids from 1..12 (repeats happen)
newfile() {
    local f=f$nfiles.csv rows=$((RANDOM % 8 + 1))
    nfiles=$((nfiles + 1))
    if [ "$1" = k ] || [ "$1" = s ]; then
        echo "id,name,val" >"$f"
        for ((r = 0; r < rows; r++)); do
            echo "$((RANDOM % 12 + 1)),${words[RANDOM % 8]},$((RANDOM % 100))" >>"$f"
        done
    else
        echo "name,val" >"$f"
        for ((r = 0; r < rows; r++)); do echo "${words[RANDOM % 4]},$((RANDOM % 5))" >>"$f"; done
    fi
    files+=("$1:$f")
    newf=$f
}

run() {
    echo "\$ sluice $*" >>log
    "$bin" --db "$main" --quiet "$@" >>log 2>&1
    local rc=$?
    [ $rc -le 1 ] || fail "sluice $* exited $rc"
}

committed() { # SRC: committed load ids, one per line
    sql "$main" "select load from $catalog where source = '$1' and status = 'committed'
        order by load" 2>/dev/null
}

pick() { # picks one line of stdin at random
    local lines
    mapfile -t lines
    [ ${#lines[@]} -gt 0 ] && echo "${lines[RANDOM % ${#lines[@]}]}"
}

# every source exists before the random walk
for src in "${sources[@]}"; do
    newfile "$src"
    f=$newf
    run load "$f" --source "$src" ${opts[$src]}
done

for ((step = 1; step <= iter; step++)); do
    src=${sources[RANDOM % 4]}
    case $((RANDOM % 7)) in
    0 | 1)
        newfile "$src"
    f=$newf
        run load "$f" --source "$src" ${opts[$src]}
        ;;
    2)
        f=$(printf '%s\n' "${files[@]}" | grep "^$src:" | cut -d: -f2 | pick)
        run load "$f" --source "$src" ${opts[$src]} --force
        ;;
    3)
        v=$(committed "$src" | pick)
        run rollback "$src" --to "$v" --reason "step $step"
        ;;
    4)
        v=$(committed "$src" | pick)
        active=$(sql "$main" "select active from $catalog where load = $v")
        if [ "$active" = 1 ]; then run deactivate "$src" "$v"; else run activate "$src" "$v"; fi
        ;;
    5 | 6)
        run rebuild "$src"
        ;;
    esac
    for s in "$src"; do
        snapshot || fail "backup"
        "$bin" --db "$copy" --quiet rebuild "$s" >>log 2>&1 || fail "rebuild of $s on the copy"
        a=$(checksum "$main" "$s")
        b=$(checksum "$copy" "$s")
        [ "$a" = "$b" ] || {
            echo "silver:" >&2
            sql "$main" "select * from \"$s\" order by 1" >&2
            echo "rebuilt:" >&2
            sql "$copy" "select * from \"$s\" order by 1" >&2
            fail "source $s: silver differs from a rebuild of its active loads"
        }
    done
    if [ $((step % 5)) = 0 ]; then
        last=$(sql "$main" "select max(load) from $catalog where source = '$src' and
            status = 'committed' and active = 1")
        if [ -n "$last" ]; then
            out=$("$bin" --db "$main" diff "$src" "$last" "$last" --output json) || fail "diff"
            [[ $out == *'"added":0,"removed":0,"changed":0,'* ]] || fail "diff $last $last: $out"
            before=$(checksum "$main" "$src")
            run rollback "$src" --to "$last"
            [ "$before" = "$(checksum "$main" "$src")" ] ||
                fail "rollback to the newest active load $last changed silver"
        fi
    fi
done
echo "ok: $iter steps"
