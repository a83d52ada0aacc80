#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# qemu-user for a big-endian CPU with one fix, built from Debian's own qemu
# source package (toolchain/apt_source.sh), the version of the installed
# qemu-user-static. CPU: mips (the default; the namespace tests) or s390x
# (make bench's per-CPU part only). Installed as PREFIX/qemu-CPU; a rerun
# with that version in place does nothing.
#
#   sh toolchain/qemu-source.sh PREFIX [CPU]
#
# Why: qemu-user byte-swaps the rtnetlink messages the kernel sends a guest
# of the other byte order, attribute by attribute, but its loops stop while
# more than an attribute header is left (`len > sizeof(struct rtattr)`), so
# a message's last attribute is left in the host's order when it is a bare
# header. Linux ends every RTM_NEWLINK with such empty nests
# (IFLA_PROP_LIST, IFLA_PROTO_DOWN_REASON): a big-endian guest reads a
# length beyond the message and, rightly, refuses it. The fix makes both
# loops take a bare header too (`>=`, as the loop for the other direction
# already does). Little-endian guests on this machine are not swapped, so
# Debian's qemu-mipsel-static serves mipsel as it is; s390x, big-endian, is
# swapped as mips is (Debian's qemu-s390x-static: "Protocol error").
#
# IPRES_SOURCE_TIME_LIMIT (s, default 1800) ends a download or build that
# hangs.
set -eu
cd "$(dirname "$0")/.." || exit 1
. toolchain/apt_source.sh
[ $# = 1 ] || [ $# = 2 ] || { echo "usage: sh toolchain/qemu-source.sh PREFIX [CPU]" >&2; exit 2; }
prefix=$1
cpu=${2:-mips}
case $cpu in
  mips | s390x) ;;
  *) echo "qemu-source.sh: CPU must be mips or s390x, not '$cpu'" >&2; exit 2 ;;
esac
case $prefix in /*) ;; *) prefix=$PWD/$prefix ;; esac
limit=${IPRES_SOURCE_TIME_LIMIT:-1800}
# shellcheck disable=SC2016 # ${source:Version} is dpkg-query's field
version=$(dpkg-query -W -f='${source:Version}' qemu-user-static)
[ "$(cat "$prefix/.version" 2>/dev/null)" = "$version" ] && exit 0

echo "qemu-source.sh: qemu-$cpu $version from Debian's source package (a few minutes, once)" >&2
work=$PWD/build/qemu-src
[ "$cpu" = mips ] || work=$PWD/build/qemu-src-$cpu
apt_source qemu "$version" "$work" "$limit"
trans=$work/qemu-src/linux-user/fd-trans.c
sed -i 's/while (len > sizeof(struct \(rtattr\|nlattr\))) {/while (len >= sizeof(struct \1)) {/' "$trans"
fixed=$(grep -c 'while (len >= sizeof(struct \(rtattr\|nlattr\))) {' "$trans" || true)
[ "$fixed" = 3 ] || { echo "qemu-source.sh: expected 3 attribute loops taking a bare header in $trans, found $fixed" >&2; exit 1; }
mkdir -p "$work/build"
cd "$work/build"
{
  ../qemu-src/configure --target-list="$cpu-linux-user" --disable-system --disable-tools \
    --disable-docs --disable-werror --disable-capstone --disable-slirp --disable-fdt \
    --disable-plugins --disable-debug-info &&
    timeout "$limit" ninja -j2 "qemu-$cpu"
} >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; exit 1; }
mkdir -p "$prefix"
cp "qemu-$cpu" "$prefix/qemu-$cpu"
echo "$version" >"$prefix/.version"
echo "qemu-source.sh: installed $prefix/qemu-$cpu" >&2
