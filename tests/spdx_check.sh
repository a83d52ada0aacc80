#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Every source file of the project names its license on its first line (the
# second after a "#!" line): "SPDX-License-Identifier: Apache-2.0" in the
# file's own comment syntax. Lists each file without it and fails.
#
#   sh tests/spdx_check.sh        check (make check-spdx, in make test)
#   sh tests/spdx_check.sh --add  add the line where it is missing (after a
#                                 merge brought new files), then check
#
# The sources: git's files under src/, tests/, toolchain/, rootfs-overlay/,
# board/, bench/, .ci/ and the Makefile, but for data and documents: fuzz
# seeds, Markdown, the image's passwd, group and hostname, Buildroot's
# external.desc (two "key: value" lines Buildroot reads).
set -u
cd "$(dirname "$0")/.." || exit 1
ID='SPDX-License-Identifier: Apache-2.0'

sources() {
  git ls-files -- src tests toolchain rootfs-overlay board bench .ci Makefile |
    grep -vE '^tests/fuzz/corpus/|\.md$|^toolchain/rootfs/etc/(passwd|group|hostname)$' |
    grep -vxF toolchain/buildroot/external.desc
}

# The line for FILE, in its comment syntax.
spdx_line() {
  case $1 in
    *.cc | *.h | *.c) printf '// %s\n' "$ID" ;;
    *.[1-8]) printf '.\\" %s\n' "$ID" ;;
    *) printf '# %s\n' "$ID" ;;
  esac
}

has_spdx() {
  if head -c 2 "$1" | grep -q '^#!'; then
    sed -n 2p "$1" | grep -qF "$ID"
  else
    sed -n 1p "$1" | grep -qF "$ID"
  fi
}

# Inserts the line, keeping the file's mode (an executable stays one).
add_spdx() {
  tmp=$1.spdx.$$
  {
    if head -c 2 "$1" | grep -q '^#!'; then
      sed -n 1p "$1"
      spdx_line "$1"
      sed 1d "$1"
    else
      spdx_line "$1"
      cat "$1"
    fi
  } >"$tmp" && cat "$tmp" >"$1" && rm -f "$tmp"
}

files=$(sources)
[ -n "$files" ] || { echo "spdx: no source files found (not a git checkout?)" >&2; exit 1; }
if [ "${1:-}" = --add ]; then
  for f in $files; do
    has_spdx "$f" || { add_spdx "$f" && echo "spdx: added to $f"; }
  done
fi
missing=0
total=0
for f in $files; do
  total=$((total + 1))
  if ! has_spdx "$f"; then
    echo "spdx: $f: no '$ID' on its first line (after #!, its second)"
    missing=$((missing + 1))
  fi
done
echo "spdx: $((total - missing)) passed, $missing failed"
[ "$missing" = 0 ]
