#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# toolchain/buildroot-offline.sh WORK ARCH: an offline Buildroot in WORK for
# ARCH (aarch64, x86_64, armv7 or mipsel), for tests/buildroot/run.sh; kept
# between runs and shared by the CPUs (one release, one set of sources, a
# toolchain for each).
#
#   WORK/buildroot     the Buildroot release (the one thing not from Debian)
#   WORK/tc/ARCH       its external toolchain: toolchain/sdk.sh's
#   WORK/mirror, src, local.mk
#                      its downloads, from Debian's sources
#                      (toolchain/buildroot-sources.sh)
#   WORK/ARCH.config   the defconfig lines for all of that: append a
#                      package's own and run make BR2_DEFCONFIG=... defconfig
#
# The release comes from BUILDROOT_TARBALL (a path the caller gives) or, when
# that is unset, from Buildroot's site into WORK; either way it must have the
# sha256 pinned below. Exit status 2, with the reason on stderr, when neither
# can be had: the caller then skips its test rather than failing it. Needs
# root (the deb-src index of toolchain/buildroot-sources.sh is apt's).
set -eu
work=${1:?usage: toolchain/buildroot-offline.sh WORK ARCH}
arch=${2:?usage: toolchain/buildroot-offline.sh WORK ARCH}
mkdir -p "$work"
work=$(cd "$work" && pwd)
cd "$(dirname "$0")/.."
# The CPU's lines, as toolchain/ARCH.mk builds for it, and the prefix of
# toolchain/sdk.sh's tools for it. ARMv7-A: Buildroot names a core, not an
# architecture; the Cortex-A9 is plain ARMv7-A with an optional FPU, here
# VFPv3-D16 without NEON (armv7.mk's -march=armv7-a -mfpu=vfpv3-d16),
# hard-float EABI and Thumb-2 (-mfloat-abi=hard -mthumb). mipsel: MIPS32r2
# (-march=mips32r2), hard-float (Debian's musl: o32, FPXX, legacy NaN, as
# Buildroot's defaults for it), not Buildroot's default soft-float.
case $arch in
  aarch64 | x86_64)
    prefix=$arch-linux-musl
    cpu_lines="BR2_$arch=y"
    ;;
  armv7)
    prefix=arm-linux-musleabihf
    cpu_lines="BR2_arm=y
BR2_cortex_a9=y
BR2_ARM_ENABLE_VFP=y
# BR2_ARM_ENABLE_NEON is not set
BR2_ARM_FPU_VFPV3D16=y
BR2_ARM_EABIHF=y
BR2_ARM_INSTRUCTIONS_THUMB2=y"
    ;;
  mipsel)
    prefix=mipsel-linux-musl
    cpu_lines="BR2_mipsel=y
BR2_mips_32r2=y
# BR2_MIPS_SOFT_FLOAT is not set
BR2_MIPS_FP32_MODE_XX=y"
    ;;
  *) echo "buildroot-offline.sh: ARCH must be aarch64, x86_64, armv7 or mipsel, not '$arch'" >&2; exit 1 ;;
esac

release=buildroot-2026.05.1
sha256=b54bad1fe4018d88d23a7ed2e4f9bddf74320a8d0fa109783404e8302467338d
url=https://buildroot.org/downloads/$release.tar.xz

# ---- the release tarball ----------------------------------------------------------
# checked FILE: FILE has the pinned sha256.
checked() {
  _got=$(sha256sum "$1" | cut -d' ' -f1)
  [ "$_got" = "$sha256" ] ||
    { echo "buildroot-offline.sh: $1 has sha256 $_got, not $release's $sha256" >&2; return 1; }
}
if [ -n "${BUILDROOT_TARBALL:-}" ]; then
  tarball=$BUILDROOT_TARBALL
  [ -f "$tarball" ] || { echo "buildroot-offline.sh: BUILDROOT_TARBALL=$tarball: no such file" >&2; exit 1; }
  checked "$tarball"
else
  tarball=$work/$release.tar.xz
  if [ ! -f "$tarball" ]; then
    # One try, given up after a minute without progress: offline, what wget
    # said is the reason to skip.
    if ! LC_ALL=C wget -nv -T 60 -t 1 -O "$tarball.part" "$url" 2>"$work/wget.log"; then
      rm -f "$tarball.part"
      echo "no BUILDROOT_TARBALL given and $url could not be downloaded: $(tail -n 1 "$work/wget.log")" >&2
      exit 2
    fi
    checked "$tarball.part" || { rm -f "$tarball.part"; exit 1; }
    mv "$tarball.part" "$tarball"
  fi
fi
if [ "$(cat "$work/buildroot/.release" 2>/dev/null)" != "$release" ]; then
  rm -rf "$work/buildroot" "$work/local.mk"
  mkdir -p "$work/buildroot"
  tar -xJf "$tarball" -C "$work/buildroot" --strip-components=1
  echo "$release" >"$work/buildroot/.release"
fi

# ---- the toolchain and the sources, made again when their scripts change ---------
# stamp FILE: the hash of the scripts FILE was made by.
stamp() { cat toolchain/sdk.sh toolchain/deb.sh toolchain/buildroot-sources.sh | sha256sum | cut -d' ' -f1; }
if [ "$(cat "$work/tc/.$arch.made" 2>/dev/null)" != "$(stamp)" ]; then
  sh toolchain/sdk.sh "$arch" "$work/tc/$arch" >/dev/null
  stamp >"$work/tc/.$arch.made"
fi
if [ "$(cat "$work/.sources.made" 2>/dev/null)" != "$(stamp)" ] || [ ! -f "$work/local.mk" ]; then
  sh toolchain/buildroot-sources.sh "$work" >/dev/null
  stamp >"$work/.sources.made"
fi

# ---- the defconfig lines --------------------------------------------------------
# Debian's gcc 12 and 6.1 kernel headers; static, as ipres is; rootfs.cpio
# for the boot. Downloads only from the file:// mirror, into WORK/dl.
cat >"$work/$arch.config" <<EOF
$cpu_lines
BR2_DL_DIR="$work/dl"
BR2_PRIMARY_SITE="file://$work/mirror"
BR2_PRIMARY_SITE_ONLY=y
BR2_STATIC_LIBS=y
BR2_PACKAGE_OVERRIDE_FILE="$work/local.mk"
BR2_TOOLCHAIN_EXTERNAL=y
BR2_TOOLCHAIN_EXTERNAL_CUSTOM=y
BR2_TOOLCHAIN_EXTERNAL_PATH="$work/tc/$arch"
BR2_TOOLCHAIN_EXTERNAL_CUSTOM_PREFIX="$prefix"
BR2_TOOLCHAIN_EXTERNAL_GCC_12=y
BR2_TOOLCHAIN_EXTERNAL_HEADERS_6_1=y
BR2_TOOLCHAIN_EXTERNAL_CUSTOM_MUSL=y
BR2_TOOLCHAIN_EXTERNAL_CXX=y
BR2_TARGET_ROOTFS_CPIO=y
EOF
echo "buildroot-offline.sh: $work ready for $arch ($release, sha256 checked)"
