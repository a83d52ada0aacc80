#!/bin/sh
# Runs every namespace test (tests/integration/t_*.sh) with the binaries of
# every CPU; each test creates and removes its own namespaces.
set -u
cd "$(dirname "$0")/../.." || exit 1
status=0
found=0
for t in tests/integration/t_*.sh; do
  [ -e "$t" ] || continue
  found=1
  echo "== $t"
  sh "$t" || status=1
done
[ "$found" = 1 ] || echo "integration: no namespace tests yet"
exit $status
