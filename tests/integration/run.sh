#!/bin/sh
# Runs every namespace test (tests/integration/t_*.sh); each creates and removes
# its own namespaces. IPRES_ARCHES picks the CPUs whose binaries run (the
# aarch64 and armv7 ones under qemu-user); default: all three. IPRES_TESTS
# names a subset (e.g. "t_ops t_races"); default: every t_*.sh.
set -u
cd "$(dirname "$0")/../.." || exit 1
[ "$(id -u)" = 0 ] || { echo "integration: needs root for network namespaces" >&2; exit 1; }
status=0
found=0
for arch in ${IPRES_ARCHES:-x86_64 aarch64 armv7}; do
  for t in tests/integration/t_*.sh; do
    [ -e "$t" ] || continue
    if [ -n "${IPRES_TESTS:-}" ]; then
      case " $IPRES_TESTS " in *" $(basename "$t" .sh) "*) ;; *) continue ;; esac
    fi
    found=1
    echo "== $t ($arch)"
    IPRES_ARCH=$arch sh "$t" || status=1
  done
done
[ "$found" = 1 ] || echo "integration: no namespace tests yet"
exit $status
