#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The boot tests' kernel for one CPU: Debian's linux-image-6.1.0-N-FLAVOUR
# (the version the linux-image-FLAVOUR metapackage names), fetched with
# apt-get download and unpacked, never installed; and modules.cpio.gz, the
# test's own second initramfs: the virtio network modules in the order
# modules.dep gives (depmod run on the unpacked tree) and tests/boot/net/
# (S10net loads them and configures eth0). Neither is part of ipres's image.
#
#   sh tests/boot/kernel.sh ARCH OUT_DIR   -> OUT_DIR/kernel, OUT_DIR/modules.cpio.gz,
#                                             OUT_DIR/release, OUT_DIR/modules.txt
#                                             (x86_64: OUT_DIR/devmods.cpio.gz)
#
# On x86_64 also devmods.cpio.gz, for tests/boot/t_devices.sh: 8021q and
# bonding with what they need, their paths in load order in
# /etc/boot-test/devmods. The test loads them itself (S10net does not), so
# the other tests' VMs have neither.
#
# OUT_DIR/kernel is what qemu boots: the package's vmlinuz, except on x86_64,
# where the ELF vmlinux inside the bzImage (its xz stream, unpacked) boots
# through its PVH entry: the BIOS and the decompressor under TCG cost about
# 3 s of every boot. (An arm zImage cannot be swapped so: qemu loads a raw
# Image at the wrong offset.)
set -eu
cd "$(dirname "$0")/../.." || exit 1
. toolchain/deb.sh

[ $# = 2 ] || { echo "usage: sh tests/boot/kernel.sh ARCH OUT_DIR" >&2; exit 2; }
arch=$1
out=$2
cache=${IPRES_DEB_CACHE:-build/debs}
debarch=$(deb_arch "$arch")
case "$arch" in
  x86_64) flavour=amd64 bus=virtio_pci ;;
  aarch64) flavour=arm64 bus=virtio_mmio ;;
  armv7) flavour=armmp bus=virtio_mmio ;;
  # malta's PCI takes a virtio-net-pci like the x86_64 PC.
  mipsel) flavour=4kc-malta bus=virtio_pci ;;
  # virtio_ccw, the channel-subsystem transport, is built in.
  s390x) flavour=s390x bus="" ;;
  *) echo "kernel.sh: no boot-test kernel for ARCH '$arch'" >&2; exit 2 ;;
esac

pkg=$(apt-cache depends "linux-image-$flavour:$debarch" 2>/dev/null |
  sed -n "s/^ *Depends: \(linux-image-6\.1\.0-[0-9]*-$flavour\)\(:$debarch\)\{0,1\}$/\1/p" | head -n 1)
[ -n "$pkg" ] || { echo "kernel.sh: linux-image-$flavour:$debarch names no 6.1.0 kernel" >&2; exit 1; }
deb=$(deb_fetch "$pkg" "$debarch" "$cache")
tree="$cache/$pkg-$debarch"
deb_unpack "$deb" "$tree"
release=$(ls "$tree/lib/modules")
[ -f "$tree/lib/modules/$release/modules.dep" ] || depmod -b "$tree" "$release"

# load_order MODULE...: the .ko paths to insmod, dependencies first. A
# modules.dep line is "M: D1 D2 ... Dn", Dn loaded first (as modprobe does).
dep="$tree/lib/modules/$release/modules.dep"
load_order() {
  for m in "$@"; do
    line=$(grep -E "(^|/)$m\.ko(\.[gx]z|\.zst)?:" "$dep") ||
      { echo "kernel.sh: $m not in $dep" >&2; return 1; }
    deps=""
    for d in ${line#*:}; do deps="$d $deps"; done
    for d in $deps "${line%%:*}"; do echo "$d"; done
  done | awk '!seen[$0]++'
}

# shellcheck disable=SC2086 # no bus module (s390x): no word
mods=$(load_order $bus virtio_net)
mkdir -p "$out"
stage="$out/modules-root"
rm -rf "$stage"
mkdir -p "$stage/lib/modules/$release" "$stage/etc/boot-test"
for m in $mods; do
  mkdir -p "$stage/lib/modules/$release/$(dirname "$m")"
  cp "$tree/lib/modules/$release/$m" "$stage/lib/modules/$release/$m"
  echo "/lib/modules/$release/$m"
done >"$stage/etc/boot-test/modules"
cp -a tests/boot/net/. "$stage/"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
  cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -9n >"$out/modules.cpio.gz"
if [ "$arch" = x86_64 ]; then
  devmods=$(load_order 8021q bonding)
  dstage="$out/devmods-root"
  rm -rf "$dstage"
  mkdir -p "$dstage/etc/boot-test"
  for m in $devmods; do
    mkdir -p "$dstage/lib/modules/$release/$(dirname "$m")"
    cp "$tree/lib/modules/$release/$m" "$dstage/lib/modules/$release/$m"
    echo "/lib/modules/$release/$m"
  done >"$dstage/etc/boot-test/devmods"
  (cd "$dstage" && find . -mindepth 1 | LC_ALL=C sort |
    cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -9n >"$out/devmods.cpio.gz"
fi
if [ "$arch" = x86_64 ]; then
  if [ ! -s "$tree/vmlinux" ]; then
    # The first xz stream in the bzImage that unpacks whole is vmlinux.
    python3 - "$tree/boot/vmlinuz-$release" "$tree/vmlinux.tmp" <<'PY' || exit 1
import lzma, sys
data = open(sys.argv[1], "rb").read()
at = data.find(b"\xfd7zXZ\x00")
while at >= 0:
    try:
        elf = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(data[at:])
    except lzma.LZMAError:
        at = data.find(b"\xfd7zXZ\x00", at + 1)
        continue
    if elf[:4] == b"\x7fELF":
        open(sys.argv[2], "wb").write(elf)
        sys.exit(0)
    at = data.find(b"\xfd7zXZ\x00", at + 1)
sys.exit("kernel.sh: no vmlinux in " + sys.argv[1])
PY
    mv "$tree/vmlinux.tmp" "$tree/vmlinux"
  fi
  cp "$tree/vmlinux" "$out/kernel"
else
  cp "$tree/boot/vmlinuz-$release" "$out/kernel"
fi
rm -f "$out/vmlinuz"
echo "$release" >"$out/release"
cp "$stage/etc/boot-test/modules" "$out/modules.txt"
