#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The boot tests' kernel for one CPU, from one Debian release: the
# linux-image-VERSION-FLAVOUR that the release's linux-image-FLAVOUR
# metapackage names, fetched with apt-get download and unpacked, never
# installed; and modules.cpio.gz, the test's own second initramfs: the
# virtio network modules in the order modules.dep gives (depmod run on the
# unpacked tree) and tests/boot/net/ (S10net loads them and configures
# eth0). Neither is part of ipres's image.
#
#   sh tests/boot/kernel.sh ARCH OUT_DIR [RELEASE]
#       -> OUT_DIR/kernel, OUT_DIR/modules.cpio.gz, OUT_DIR/release,
#          OUT_DIR/modules.txt (x86_64: OUT_DIR/devmods.cpio.gz)
#
# RELEASE is a Debian codename, the machine's own unless given (Debian 12,
# bookworm: Linux 6.1). Another release's packages (bullseye: 5.10; trixie:
# 6.12) come through apt with a private configuration
# (toolchain/apt_suite.sh), nothing added to the machine's apt sources. The
# .debs are kept in build/debs (IPRES_DEB_CACHE).
#
# What differs between the releases, handled here: 6.12 keeps its modules
# under usr/lib/modules, builds virtio_pci into the kernel (a module in
# modules.builtin is not loaded), and compresses its modules with xz (the
# initramfs gets them unpacked, as .ko, whatever the release) and the x86_64
# bzImage with zstd (see boot_kernel).
#
# On x86_64 also devmods.cpio.gz, for tests/boot/t_devices.sh: 8021q and
# bonding with what they need, their paths in load order in
# /etc/boot-test/devmods. The test loads them itself (S10net does not), so
# the other tests' VMs have neither.
set -eu
cd "$(dirname "$0")/../.." || exit 1
. toolchain/deb.sh

[ $# = 2 ] || [ $# = 3 ] || { echo "usage: sh tests/boot/kernel.sh ARCH OUT_DIR [RELEASE]" >&2; exit 2; }
arch=$1
out=$2
machine_release=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release)
debian_release=${3:-$machine_release}
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

# kernel_package: the package the release's metapackage depends on.
kernel_package() {
  apt-cache depends "linux-image-$flavour:$debarch" 2>/dev/null |
    sed -n "s/^ *Depends: \(linux-image-[0-9][^ :]*-$flavour\)\(:$debarch\)\{0,1\}$/\1/p" | head -n 1 |
    grep . || { echo "kernel.sh: linux-image-$flavour:$debarch ($debian_release) names no kernel" >&2; return 1; }
}

if [ "$debian_release" = "$machine_release" ]; then
  pkg=$(kernel_package) || exit 1
  deb=$(deb_fetch "$pkg" "$debarch" "$cache") || exit 1
else
  . toolchain/apt_suite.sh
  apt_suite "$debian_release" "$debarch" 600 || exit 1
  # A kept package list may name a kernel the mirror has since replaced:
  # then the lists are fetched again and the kernel named anew, once.
  if ! pkg=$(kernel_package) || ! deb=$(deb_fetch "$pkg" "$debarch" "$cache" 2>/dev/null); then
    apt_suite_update || exit 1
    pkg=$(kernel_package) || exit 1
    deb=$(deb_fetch "$pkg" "$debarch" "$cache") || exit 1
  fi
fi
tree="$cache/$pkg-$debarch"
deb_unpack "$deb" "$tree"
# 6.12 (merged /usr) keeps its modules under usr/lib/modules.
modbase=$tree
[ -d "$tree/lib/modules" ] || modbase=$tree/usr
release=$(ls "$modbase/lib/modules")
moddir="$modbase/lib/modules/$release"
[ -f "$moddir/modules.dep" ] || depmod -b "$modbase" "$release"

# load_order MODULE...: the module files to insmod (as modules.dep names
# them), dependencies first; a module built into the kernel (6.12's
# virtio_pci) is left out. A modules.dep line is "M: D1 D2 ... Dn", Dn
# loaded first (as modprobe does).
load_order() {
  for m in "$@"; do
    grep -qE "(^|/)$m\.ko$" "$moddir/modules.builtin" && continue
    line=$(grep -E "(^|/)$m\.ko(\.[gx]z|\.zst)?:" "$moddir/modules.dep") ||
      { echo "kernel.sh: $m neither in $moddir/modules.dep nor built in" >&2; return 1; }
    deps=""
    for d in ${line#*:}; do deps="$d $deps"; done
    for d in $deps "${line%%:*}"; do echo "$d"; done
  done | awk '!seen[$0]++'
}

# stage_modules LIST_NAME FILES: the module FILES (load_order's, in order),
# unpacked (a .ko whatever the release compressed it with: BusyBox's insmod
# then needs no decompressor) into a fresh $out/LIST_NAME-root, their paths
# in the guest listed in its etc/boot-test/LIST_NAME.
stage_modules() {
  _stage="$out/$1-root"
  rm -rf "$_stage"
  mkdir -p "$_stage/etc/boot-test"
  for _m in $2; do
    _ko=${_m%.[gx]z}
    _ko=${_ko%.zst}
    mkdir -p "$_stage/lib/modules/$release/$(dirname "$_m")"
    case "$_m" in
      *.xz) xz -dc "$moddir/$_m" ;;
      *.zst) zstd -dcq "$moddir/$_m" ;;
      *.gz) gzip -dc "$moddir/$_m" ;;
      *) cat "$moddir/$_m" ;;
    esac >"$_stage/lib/modules/$release/$_ko" || return 1
    echo "/lib/modules/$release/$_ko"
  done >"$_stage/etc/boot-test/$1"
}

# pack STAGE CPIO_GZ: STAGE's files as a reproducible initramfs.
pack() {
  (cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
    cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -9n >"$2"
}

# boot_kernel: what qemu boots, in $out/kernel. The package's vmlinuz,
# except on x86_64, where the ELF vmlinux inside the bzImage boots through
# its PVH entry: the BIOS and the decompressor under TCG cost about 3 s of
# every boot. (An arm zImage cannot be swapped so: qemu loads a raw Image at
# the wrong offset.) The bzImage's header says where its compressed payload
# lies (boot protocol 2.08: setup_sects at 0x1f1, payload_offset and
# payload_length at 0x248); the payload ends in 4 bytes of the unpacked size,
# and starts with its compressor's magic: xz (5.10, 6.1) or zstd (6.12).
# u8 FILE OFFSET, u32 FILE OFFSET: the byte, the little-endian word there.
u8() { od -An -tu1 -j "$2" -N 1 "$1" | tr -d ' '; }
u32() { od -An -tu4 --endian=little -j "$2" -N 4 "$1" | tr -d ' '; }

boot_kernel() {
  vmlinuz="$tree/boot/vmlinuz-$release"
  if [ "$arch" != x86_64 ]; then
    cp "$vmlinuz" "$out/kernel"
    return
  fi
  if [ ! -s "$tree/vmlinux" ]; then
    setup_sects=$(u8 "$vmlinuz" 497)
    [ "$setup_sects" != 0 ] || setup_sects=4
    start=$(((setup_sects + 1) * 512 + $(u32 "$vmlinuz" 584)))
    length=$(($(u32 "$vmlinuz" 588) - 4))
    case $(od -An -tx1 -j "$start" -N 4 "$vmlinuz" | tr -d ' ') in
      fd377a58) unpack="xz -dc" ;;
      28b52ffd) unpack="zstd -dcq" ;;
      *) echo "kernel.sh: $vmlinuz: payload neither xz nor zstd" >&2; return 1 ;;
    esac
    tail -c +$((start + 1)) "$vmlinuz" | head -c "$length" | $unpack >"$tree/vmlinux.tmp" ||
      { echo "kernel.sh: $vmlinuz: its payload does not unpack ($unpack)" >&2; return 1; }
    [ "$(head -c 4 "$tree/vmlinux.tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] ||
      { echo "kernel.sh: $vmlinuz: its payload is no ELF vmlinux" >&2; return 1; }
    mv "$tree/vmlinux.tmp" "$tree/vmlinux"
  fi
  cp "$tree/vmlinux" "$out/kernel"
}

mkdir -p "$out"
# shellcheck disable=SC2086 # no bus module (s390x): no word
mods=$(load_order $bus virtio_net)
stage_modules modules "$mods"
cp -a tests/boot/net/. "$out/modules-root/"
pack "$out/modules-root" "$out/modules.cpio.gz"
if [ "$arch" = x86_64 ]; then
  devmods=$(load_order 8021q bonding)
  stage_modules devmods "$devmods"
  pack "$out/devmods-root" "$out/devmods.cpio.gz"
fi
boot_kernel
rm -f "$out/vmlinuz"
echo "$release" >"$out/release"
cp "$out/modules-root/etc/boot-test/modules" "$out/modules.txt"
