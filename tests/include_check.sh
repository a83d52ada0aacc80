#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Each folder of src/ is a layer and sees only the layers below it: no
# #include "LAYER/..." of a layer above the including file's own, and none
# of net/ from ops/ (the operations see the machine only through host/'s
# seams). The linker fails a call up the layers (the Makefile's archive
# order); this fails the include, which compiles and links fine as long as
# it only brings types and inline code.
#
#   sh tests/include_check.sh LAYER...   the layers, highest first: the
#                                        Makefile's HOST_LAYERS (make check-includes)
set -u
cd "$(dirname "$0")/.." || exit 1
if [ $# -eq 0 ]; then
  echo "usage: sh tests/include_check.sh LAYER... (highest first; make check-includes)" >&2
  exit 2
fi

# shellcheck disable=SC2046 # names under src/ have no blanks
awk -v layers="$*" '
BEGIN {
  n = split(layers, order, " ")
  for (i = 1; i <= n; i++) rank[order[i]] = i
  # Besides the order: what a layer must not see although it is below.
  forbidden["ops", "net"] = "ops/ sees the machine only through host/"
}
FNR == 1 {
  files++
  split(FILENAME, part, "/")
  layer = part[2]
  if (!(layer in rank)) {
    printf "include: %s: src/%s is no layer (%s)\n", FILENAME, layer, layers
    bad++
  }
}
/^[ \t]*#[ \t]*include[ \t]*"/ {
  target = $0
  sub(/^[^"]*"/, "", target)
  sub(/".*/, "", target)
  if (index(target, "/") == 0) next
  to = substr(target, 1, index(target, "/") - 1)
  if (!(to in rank) || !(layer in rank)) next
  checked++
  if (rank[to] < rank[layer]) {
    printf "include: %s:%d: %s: %s/ is a layer above %s/\n", FILENAME, FNR, target, to, layer
    bad++
  } else if ((layer, to) in forbidden) {
    printf "include: %s:%d: %s: %s\n", FILENAME, FNR, target, forbidden[layer, to]
    bad++
  }
}
END {
  printf "include: %d files, %d layered includes, %d going up or across\n", files, checked, bad
  exit bad > 0
}' $(find src -name '*.cc' -o -name '*.h' | sort)
