#!/usr/bin/env bash
# The progress line (bytes, rows/s, ETA) is drawn on stderr when it is a terminal, never
# otherwise. `script` gives sluice a pseudo-terminal.
set -euo pipefail
bin=${SLUICE_RELEASE:?}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
command -v script >/dev/null || { echo "FAIL: script(1) is missing (bsdutils)" >&2; exit 1; }
# script(1) forwards its stdin to the terminal it makes: it needs one it can read (CI has none)

# ~1.5M rows: long enough for several redraws (every 0.2 s) and an ETA (after 0.5 s)
awk 'BEGIN { print "id,name,value"; for (i = 1; i <= 1500000; i++) printf "%d,name %d,%d.5\n", i, i % 977, i % 1000 }' >big.csv

script -qec "$bin load big.csv --db sqlite:tty.db" /dev/null </dev/null >tty.out 2>&1 || true
grep -q 'rows/s' tty.out || { echo "FAIL: no progress line on a terminal" >&2; cat -v tty.out | head >&2; exit 1; }
grep -q 'ETA' tty.out || { echo "FAIL: the progress line has no ETA" >&2; exit 1; }
grep -q 'of 3[0-9] MB' tty.out || { echo "FAIL: the progress line does not show the total size" >&2; exit 1; }
grep -q 'load 1 committed: 1500000 rows' tty.out || { echo "FAIL: the load did not commit" >&2; exit 1; }
echo "terminal: progress line with bytes, rows/s and ETA"

"$bin" load big.csv --db sqlite:plain.db >plain.out 2>plain.err
if grep -q 'rows/s' plain.out plain.err; then
    echo "FAIL: progress drawn although stderr is not a terminal" >&2
    exit 1
fi
echo "not a terminal: no progress line"

script -qec "$bin --quiet load big.csv --db sqlite:quiet.db --force" /dev/null </dev/null >quiet.out 2>&1 || true
if grep -q 'rows/s' quiet.out; then
    echo "FAIL: progress drawn with --quiet" >&2
    exit 1
fi
echo "--quiet on a terminal: no progress line"
