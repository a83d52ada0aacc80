#!/bin/sh
# make boot-test: for every CPU (BOOT_ARCHES, default all three) the
# boottest board's image (make image), the kernel and its network modules
# (kernel.sh), then every tests/boot/t_*.sh. Prints each test's time.
set -u
cd "$(dirname "$0")/../.." || exit 1
[ "$(id -u)" = 0 ] || { echo "boot-test: needs root (a network namespace for the LAN)" >&2; exit 1; }
BOOT_OUT=${BOOT_OUT:-build/boot}
status=0

mkdir -p "$BOOT_OUT/client-root"
cp -a tests/boot/client/. "$BOOT_OUT/client-root/"
(cd "$BOOT_OUT/client-root" && find . -mindepth 1 | LC_ALL=C sort |
  cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -9n >"$BOOT_OUT/client.cpio.gz" || exit 1

for arch in ${BOOT_ARCHES:-x86_64 aarch64 armv7}; do
  make --no-print-directory image BOARD=boottest ARCH="$arch" >/dev/null || { status=1; continue; }
  sh tests/boot/kernel.sh "$arch" "$BOOT_OUT/$arch" || { status=1; continue; }
  for t in tests/boot/t_*.sh; do
    echo "== $t ($arch)"
    t0=$(date +%s)
    IPRES_ARCH=$arch sh "$t" || status=1
    echo "== $t ($arch): $(($(date +%s) - t0)) s"
  done
done
exit $status
