#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make image: the board's initramfs, build/BOARD/rootfs.cpio.gz (cpio newc,
# gzip). /init is BusyBox init (Debian's busybox-static for ARCH, fetched
# with apt-get download and unpacked, never installed) with its applet
# links; toolchain/rootfs/ (inittab, rcS, rcK, passwd, group, hostname);
# ipres and lkping; rootfs-overlay/ with its modes. Staged in
# OUT_DIR/rootfs; nothing outside OUT_DIR and the package cache is written.
#
#   sh toolchain/image.sh ARCH IPRES_BIN OUT_DIR
#
# IPRES_DEB_CACHE: where the .debs are kept (default build/debs).
set -eu
cd "$(dirname "$0")/.." || exit 1
. toolchain/deb.sh

[ $# = 3 ] || { echo "usage: sh toolchain/image.sh ARCH IPRES_BIN OUT_DIR" >&2; exit 2; }
arch=$1
ipres_bin=$2
out=$3
cache=${IPRES_DEB_CACHE:-build/debs}
[ -x "$ipres_bin" ] || { echo "image.sh: no ipres binary at $ipres_bin" >&2; exit 1; }

debarch=$(deb_arch "$arch")
deb=$(deb_fetch busybox-static "$debarch" "$cache")
deb_unpack "$deb" "$cache/busybox-static-$debarch"
busybox="$cache/busybox-static-$debarch/bin/busybox"

# The applet list comes from the target's own busybox (qemu-user for all
# but x86_64), so every link names an applet that build has.
case "$arch" in
  x86_64) run="" ;;
  aarch64) run=qemu-aarch64-static ;;
  armv7) run=qemu-arm-static ;;
  mipsel) run=qemu-mipsel-static ;;
  s390x) run=qemu-s390x-static ;;
esac
applets=$($run "$busybox" --list-full) || { echo "image.sh: cannot run $busybox${run:+ under $run}" >&2; exit 1; }

root="$out/rootfs"
rm -rf "$root"
mkdir -p "$root"
for d in bin sbin usr/bin usr/sbin etc/init.d lib proc sys dev run tmp root var/log; do
  mkdir -p "$root/$d"
done
ln -s ../run "$root/var/run"
chmod 0700 "$root/root"
chmod 1777 "$root/tmp"

install -m 0755 "$busybox" "$root/bin/busybox"
for a in $applets; do
  case "$a" in bin/busybox | linuxrc) continue ;; esac
  [ -e "$root/$a" ] || ln -s /bin/busybox "$root/$a"
done
ln -s /bin/busybox "$root/init"

# The kernel opens /dev/console for init before devtmpfs is mounted; its
# own built-in initramfs has one too, so without root this is left out.
if [ "$(id -u)" = 0 ]; then
  mknod -m 0600 "$root/dev/console" c 5 1
  mknod -m 0666 "$root/dev/null" c 1 3
fi

cp -a toolchain/rootfs/. "$root/"
cp -a rootfs-overlay/. "$root/"
install -m 0755 "$ipres_bin" "$root/usr/sbin/ipres"
ln -sfn ../sbin/ipres "$root/usr/bin/lkping"

img="$out/rootfs.cpio.gz"
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
  cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -9n >"$img.tmp"
mv "$img.tmp" "$img"
echo "  IMAGE   $img ($(stat -c %s "$img") bytes, busybox $(basename "$deb"))"
