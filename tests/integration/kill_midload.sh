#!/usr/bin/env bash
# Crash safety: `sluice load` and `sluice run` of a ~17 MB CSV are killed with SIGKILL at random
# moments (fixed seed) over the whole length of a load — while types are inferred, while rows
# are written, around the commit. After each kill: the store opens and is intact, the load is
# either committed whole (every row in silver and bronze) or not at all (nothing in silver or
# bronze, no committed load in the catalog). Then the same input loads to completion exactly
# once, a repeat is skipped, and silver's content equals a clean load's.
#
# env: SLUICE_RELEASE (release binary); SLUICE_TEST_DB_URL (the store, default a SQLite file in
# the test's directory; a postgresql:// URL runs the same checks through psql); KILLS (how many
# kills, default 12); SEED (default 20261123). Only outcomes are asserted; the delays only vary
# where the kill lands.
set -euo pipefail

bin=${SLUICE_RELEASE:?SLUICE_RELEASE must name the release sluice binary}
tmp=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

url=${SLUICE_TEST_DB_URL:-sqlite:$tmp/kill.db}
kills=${KILLS:-12}
seed=${SEED:-20261123}
# Every run uses its own sources (kill_<pid>_<gen>, kill_<pid>_clean), so a shared PostgreSQL
# database can be used again.
tag=kill_$$

# ---- the store: queries and table names per scheme --------------------------------------
case $url in
sqlite:*)
    db=${url#sqlite:}
    q() { sqlite3 "$db" "$1"; }
    silver_t() { echo "\"$1\""; }
    bronze_t() { echo "\"bronze_$1\""; }
    loads_t=sluice_loads
    has_table() { [ "$(q "select count(*) from sqlite_master where type='table' and name='$1'")" = 1 ]; }
    intact() { [ ! -e "$db" ] || [ "$(q 'pragma integrity_check')" = ok ]; }
    row_text="quote(id) || '|' || quote(name) || '|' || quote(amount) || '|' || quote(day)"
    ;;
postgres://* | postgresql://*)
    q() { psql "$url" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
    silver_t() { echo "public.\"$1\""; }
    bronze_t() { echo "bronze.\"$1\""; }
    loads_t=sluice.loads
    has_table() { # silver in public, bronze_X is X in schema bronze, sluice_loads in sluice
        local schema=public name=$1
        case $1 in bronze_*) schema=bronze name=${1#bronze_} ;; loads) schema=sluice ;; esac
        [ "$(q "select count(*) from pg_tables where schemaname='$schema' and tablename='$name'")" != 0 ]
    }
    intact() { q 'select 1' >/dev/null; }
    row_text="concat_ws('|', quote_nullable(id), quote_nullable(name), quote_nullable(amount),
                        quote_nullable(day))"
    ;;
*) fail "SLUICE_TEST_DB_URL: unknown scheme in $url" ;;
esac
count() { # rows of a table, 0 when it does not exist (yet)
    local t=$1 name=$2
    if has_table "$name"; then q "select count(*) from $t"; else echo 0; fi
}
loads() { # status:count of a source's loads, e.g. "committed:1 failed:2"
    has_table "${loads_t#sluice.}" || return 0
    q "select status || ':' || count(*) from $loads_t where source = '$1' group by status order by status" | tr '\n' ' '
}

n=400000
awk -v n=$n 'BEGIN {
    print "id,name,amount,day"
    for (i = 1; i <= n; i++)
        printf "%d,name_%d_xyz,%d.%02d,2024-%02d-%02d\n", i, i, i % 100000, i % 100, i % 12 + 1, i % 28 + 1
}' >big.csv
echo "generated big.csv: $n rows, $(wc -c <big.csv) bytes; store $url"

# a config with one source per generation, for `sluice run`
{
    echo "store: $url"
    echo "sources:"
    for g in $(seq 0 $((kills + 1))); do
        printf '  %s_%d:\n    input: big.csv\n' "$tag" "$g"
    done
} >sluice.yaml

# silver's content, _load aside (a clean load has other load ids)
content() {
    q "select $row_text || '|' || _row from $(silver_t "$1") order by _row" | sha256sum |
        cut -c1-64
}

# The clean reference, timed: the kills are spread over this duration.
t0=$(date +%s.%N)
"$bin" --db "$url" load big.csv --source "${tag}_clean" --quiet >/dev/null 2>clean.err ||
    fail "the clean load failed: $(cat clean.err)"
t1=$(date +%s.%N)
clean_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
clean=$(content "${tag}_clean")
echo "clean load: ${clean_secs}s, silver content $clean"

# The state of source s after a kill: intact, the load all there or not there at all.
# Prints "committed" or "none".
check_state() {
    local s=$1 committed silver bronze rows valid
    intact || fail "the store is not intact after the kill"
    committed=0
    if has_table "${loads_t#sluice.}"; then
        committed=$(q "select count(*) from $loads_t where source='$s' and status='committed'")
    fi
    silver=$(count "$(silver_t "$s")" "$s")
    bronze=$(count "$(bronze_t "$s")" "bronze_$s")
    case $committed in
    0)
        [ "$silver" = 0 ] || fail "$s: no committed load, but silver has $silver rows"
        [ "$bronze" = 0 ] || fail "$s: no committed load, but bronze has $bronze rows"
        echo none
        ;;
    1)
        IFS='|' read -r rows valid < <(q "select rows, valid from $loads_t
                                          where source='$s' and status='committed'")
        { [ "$rows" = $n ] && [ "$valid" = $n ]; } ||
            fail "$s: a committed load with rows=$rows valid=$valid, the file has $n"
        [ "$silver" = $n ] || fail "$s: committed load, but silver has $silver rows, not $n"
        [ "$bronze" = $n ] || fail "$s: committed load, but bronze has $bronze rows, not $n"
        echo committed
        ;;
    *) fail "$s: $committed committed loads of one input" ;;
    esac
}

# Kill moments: uniform over the clean load's duration (the last ones land around the commit),
# from a fixed seed.
mapfile -t delays < <(awk -v k="$kills" -v d="$clean_secs" -v seed="$seed" \
    'BEGIN { srand(seed); for (i = 0; i < k; i++) printf "%.3f\n", 0.02 + rand() * d }')

gen=0
i=0
for d in "${delays[@]}"; do
    src=${tag}_$gen
    if [ $((i % 2)) = 0 ]; then
        cmd=(load big.csv --source "$src")
    else
        cmd=(run "$src")
    fi
    i=$((i + 1))
    "$bin" --db "$url" "${cmd[@]}" >cmd.out 2>cmd.err &
    pid=$!
    sleep "$d"
    kill -9 "$pid" 2>/dev/null || true
    st=0
    { wait "$pid"; } 2>/dev/null || st=$?
    pid=
    state=$(check_state "$src")
    echo "kill -9 of '${cmd[0]}' after ${d}s: exit status $st; store intact; load $state;" \
        "catalog [$(loads "$src")]"
    if [ "$st" = 0 ] && [ "$state" != committed ]; then
        fail "the ${cmd[0]} exited 0 but nothing is committed: $(cat cmd.out cmd.err)"
    fi
    if [ "$state" = committed ]; then
        [ "$(content "$src")" = "$clean" ] || fail "$src: committed before the kill, but silver differs from the clean load"
        gen=$((gen + 1)) # go on crashing loads of a new source
    fi
done

# Now to completion: the source that saw the last kills loads the input exactly once.
src=${tag}_$gen
st=0
"$bin" --db "$url" run "$src" --output json >full.json 2>full.err || st=$?
[ $st = 0 ] || fail "the full run exited $st: $(cat full.err)"
grep -q '"status":"committed"' full.json || fail "the full run did not commit: $(cat full.json)"
[ "$(check_state "$src")" = committed ] || fail "after the full run nothing is committed"
echo "full run of $src: committed once, catalog [$(loads "$src")]"

st=0
"$bin" --db "$url" load big.csv --source "$src" --output json >again.json 2>again.err || st=$?
[ $st = 0 ] || fail "loading the same file again exited $st: $(cat again.err)"
grep -q '"status":"skipped"' again.json || fail "the same file again was not skipped: $(cat again.json)"
[ "$(check_state "$src")" = committed ] || fail "the repeat changed what is committed"
echo "the same file again: skipped, silver unchanged"

a=$(content "$src")
[ "$a" = "$clean" ] || fail "silver after the kills ($a) differs from a clean load ($clean)"
echo "silver content after the kills = clean load: $a"
if [ "${url#sqlite:}" != "$url" ]; then
    [ "$(q 'pragma integrity_check')" = ok ] || fail "integrity_check at the end"
fi
echo "kill_midload: ok"
