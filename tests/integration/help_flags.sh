#!/usr/bin/env bash
# Every option a command's parser accepts is named in its help (`sluice help COMMAND`) and in
# the command's section of docs/cli.md; the global ones in `sluice help`. The list comes from
# the parser's own table (`sluice help --flags COMMAND`), so a new flag without help or docs
# fails here.
#
# env: SLUICE (binary under test); run from the repository's top directory.
set -euo pipefail
bin=${SLUICE:?}
docs=docs/cli.md
[ -f "$docs" ] || { echo "FAIL: run from the repository's top directory" >&2; exit 1; }
bad=0
global="--db --config --quiet --log-format --busy-timeout --help -q -h"
overview=$("$bin" help)
for g in $global; do
    grep -q -- "$g\b" <<<"$overview" || grep -q -- "--help" <<<"$g" || {
        echo "FAIL: sluice help does not name the global option $g"
        bad=1
    }
done
commands=$("$bin" help --commands)
[ "$(wc -l <<<"$commands")" -ge 15 ] || { echo "FAIL: help --commands: $commands"; exit 1; }
for c in $commands; do
    help=$("$bin" help "$c")
    # the section of docs/cli.md whose heading names the command
    section=$(awk -v c="$c" '
        /^## / { on = 0; n = split(substr($0, 4), w, /[ ,]+/); for (i = 1; i <= n; i++) if (w[i] == c) on = 1 }
        on' "$docs")
    [ -n "$section" ] || { echo "FAIL: $docs has no section for $c"; bad=1; }
    for f in $("$bin" help --flags "$c"); do
        case " $global " in *" $f "*) continue ;; esac
        # "--header" must not count as "--header-x"; a short option appears as "-o," or "-o "
        grep -qE -- "(^|[^-a-z])$f([^-a-z]|$)" <<<"$help" || {
            echo "FAIL: sluice help $c does not name $f"
            bad=1
        }
        case $f in --*) ;; *) continue ;; esac
        grep -qE -- "(^|[^-a-z])$f([^-a-z]|$)" <<<"$section" || {
            echo "FAIL: $docs (section of $c) does not name $f"
            bad=1
        }
    done
done
# the test itself can fail: a made-up flag is not in any help
"$bin" help load | grep -qE -- "(^|[^-a-z])--no-such-flag([^-a-z]|$)" && bad=1
exit $bad
