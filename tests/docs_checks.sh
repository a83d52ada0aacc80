#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The documents hold what the code does: the man pages are lint-clean and
# document every key the config parser knows (and no other), and every
# place that states the version states the Makefile's VERSION, the one
# place it is set: CHANGELOG.md's first version heading, both man pages'
# headers, the Buildroot package, and what `ipres --version` and
# `lkping -V` of a build print.
#
#   sh tests/docs_checks.sh [BIN]   BIN: a built ipres (default
#                                   build/nstest-x86_64/ipres, with lkping beside it)
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh

bin=${1:-build/nstest-x86_64/ipres}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# silent DESCRIPTION COMMAND...: passes when the command exits 0 and prints
# nothing, on stdout or stderr; else shows what it printed.
silent() {
  _desc=$1
  shift
  _out=$("$@" 2>&1)
  _rc=$?
  if [ "$_rc" = 0 ] && [ -z "$_out" ]; then
    ok "$_desc"
  else
    not_ok "$_desc: exit $_rc: $(printf '%s' "$_out" | head -c 600)"
  fi
}

# --- the man pages: lint-clean -------------------------------------------
for page in src/man/ipres.8 src/man/ipres.conf.5; do
  silent "$page: mandoc -T lint -W all is clean" mandoc -T lint -W all "$page"
  silent "$page: man --warnings is clean" sh -c "man --warnings -E UTF-8 -l '$page' >/dev/null"
done

# --- ipres.conf(5) documents exactly the keys the parser knows -----------
# The parser's table: lines `{"KEY", Kind::...` in src/config/parser.cc.
sed -n 's/^ *{"\([A-Z_]*\)", Kind::.*/\1/p' src/config/parser.cc | LC_ALL=C sort >"$tmp/parser.keys"
# The page's KEYS section: each key is a `.B KEY` line right after `.TP`.
awk '/^\.SH /{keys = ($0 == ".SH KEYS")} keys && prev == ".TP" && /^\.B [A-Z_]+$/ {print $2}
  {prev = $0}' src/man/ipres.conf.5 | LC_ALL=C sort >"$tmp/man.keys"
check "the parser's table has keys ($(wc -l <"$tmp/parser.keys") read)" test -s "$tmp/parser.keys"
check_text "ipres.conf(5) documents every key the parser knows" '^$' \
  "$(comm -23 "$tmp/parser.keys" "$tmp/man.keys" | sed 's/^/undocumented: /')"
check_text "ipres.conf(5) documents no key the parser does not know" '^$' \
  "$(comm -13 "$tmp/parser.keys" "$tmp/man.keys" | sed 's/^/unknown to the parser: /')"
# ... and so does the README's table of keys (rows "| KEY | meaning | default |").
sed -n 's/^| \([A-Z_][A-Z_]*\) | [^|]* | [^|]* |$/\1/p' README.md | LC_ALL=C sort -u >"$tmp/readme.keys"
check "README's ipres.conf table has the same keys" cmp "$tmp/parser.keys" "$tmp/readme.keys"

# --- one version -----------------------------------------------------------
version=$(sed -n 's/^VERSION := \([0-9][0-9.]*\)$/\1/p' Makefile)
check "the Makefile sets VERSION ('$version')" test -n "$version"
changelog=$(sed -n 's/^## \[\([0-9][0-9.]*\)\] - [0-9-]*$/\1/p' CHANGELOG.md | head -n 1)
check "CHANGELOG.md's first version is $version (it says '$changelog')" test "$changelog" = "$version"
for page in src/man/ipres.8 src/man/ipres.conf.5; do
  check_text "$page's header names ipres $version" "^\\.TH [A-Z.]+ [0-9] [0-9-]+ \"ipres $version\"" \
    "$(grep -m 1 "^\.TH " "$page")"
done
check_text "the Buildroot package's IPRES_VERSION is $version" "^IPRES_VERSION = $version\$" \
  "$(cat toolchain/buildroot/package/ipres/ipres.mk)"
check_out "ipres --version prints $version" "^ipres $version \\(board " "$bin" --version
check_out "lkping -V prints $version" "^lkping from ipres $version\$" "$(dirname "$bin")/lkping" -V
check_out "lkping --version prints $version" "^lkping from ipres $version\$" \
  "$(dirname "$bin")/lkping" --version

summary "docs checks"
