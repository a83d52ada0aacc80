#!/bin/sh
# Installs what the build, the tests and the demo need from Debian's packages.
# Idempotent: silent and quick when everything is already there.
# Arguments name further packages (make bench passes its own list).
set -eu

packages="
build-essential make file binutils
musl-dev musl-tools musl-dev:arm64 musl-dev:armhf
g++-aarch64-linux-gnu gcc-aarch64-linux-gnu
g++-arm-linux-gnueabihf gcc-arm-linux-gnueabihf
musl-dev:mipsel g++-mipsel-linux-gnu gcc-mipsel-linux-gnu
g++-mips-linux-gnu gcc-mips-linux-gnu dpkg-dev
qemu-user-static libcmocka-dev busybox-static
iproute2 iputils-ping iputils-arping tcpdump python3 python3-scapy
libmnl-dev procps util-linux clang-format
keepalived resource-agents libxml2-utils shellcheck strace clang-14 libclang-rt-14-dev
$*"

missing=""
for p in $packages; do
  # ${Status} is dpkg-query's field, not a shell variable.
  # shellcheck disable=SC2016
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$st" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "toolchain/setup.sh: missing packages:$missing (run as root to install them)" >&2
  exit 1
fi

echo "toolchain/setup.sh: installing$missing" >&2
for a in arm64 armhf mipsel; do
  dpkg --print-foreign-architectures | grep -qx "$a" || dpkg --add-architecture "$a"
done
# One armhf security index is known to fail to download; the rest is usable.
apt-get update -q >/dev/null 2>&1 || echo "toolchain/setup.sh: apt-get update reported errors; going on" >&2
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null
echo "toolchain/setup.sh: done" >&2
