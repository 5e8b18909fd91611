#!/usr/bin/env bash
# Plain `make` installs nothing: with a library missing (a pkg-config that does not find libpq)
# or no C compiler it says what is missing and how to install it, builds nothing and fails;
# apt-get, sudo and dpkg are never called (fakes on PATH record any call). With everything
# there, `make check-deps` passes, still without installing anything.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
mkdir "$tmp/bin"
for t in apt-get apt sudo dpkg-query dpkg; do
    printf '#!/bin/sh\necho "%s $*" >>"%s/installer-called"\nexit 0\n' "$t" "$tmp" >"$tmp/bin/$t"
done
real_pc=$(command -v pkg-config)
cat >"$tmp/bin/pkg-config" <<PC
#!/bin/sh
for a in "\$@"; do [ "\$a" = libpq ] && exit 1; done
exec "$real_pc" "\$@"
PC
chmod +x "$tmp/bin"/*

# 1. a library missing
if PATH="$tmp/bin:$PATH" make -C "$root" --no-print-directory BUILD="$tmp/build" >"$tmp/out" 2>&1; then
    cat "$tmp/out"
    fail "make succeeded without libpq"
fi
grep -q 'libpq-dev (pkg-config module libpq)' "$tmp/out" || { cat "$tmp/out"; fail "make did not name libpq-dev"; }
grep -q 'scripts/install-deps' "$tmp/out" || { cat "$tmp/out"; fail "make did not say how to install"; }
[ ! -e "$tmp/build/sluice" ] || fail "make built sluice anyway"
[ ! -e "$tmp/build/obj" ] || fail "make started compiling anyway"

# 2. no C compiler
if PATH="$tmp/bin:$PATH" make -C "$root" --no-print-directory BUILD="$tmp/build" CC="$tmp/no-such-cc" all >"$tmp/out" 2>&1; then
    fail "make succeeded without a compiler"
fi
grep -q "no C compiler" "$tmp/out" || { cat "$tmp/out"; fail "make did not name the compiler"; }

# 3. everything there: the check passes (the real pkg-config), and it installed nothing
rm "$tmp/bin/pkg-config"
PATH="$tmp/bin:$PATH" make -C "$root" --no-print-directory BUILD="$tmp/build" check-deps >"$tmp/out" 2>&1 ||
    { cat "$tmp/out"; fail "make check-deps failed with every library there"; }
# and `make -n` (what plain make would run) calls the check, never the installer
make -C "$root" -n --no-print-directory BUILD="$tmp/build" all >"$tmp/dry" 2>&1 || true
grep -q 'install-deps --check' "$tmp/dry" || { cat "$tmp/dry"; fail "plain make does not run the check"; }
if grep -E 'install-deps *$' "$tmp/dry"; then
    fail "plain make runs the installer"
fi
[ ! -e "$tmp/installer-called" ] || { cat "$tmp/installer-called"; fail "an installer was called"; }
echo "ok"
