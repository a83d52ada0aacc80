#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# musl for a CPU Debian ships no musl-dev for (big-endian mips): built from
# Debian's own musl source package (toolchain/apt_source.sh), the version
# of the musl-dev the other CPUs use, with Debian's cross compiler.
# Installed into PREFIX with a musl-gcc.specs like Debian's; a rerun with
# that version in place does nothing.
#
#   sh toolchain/musl-source.sh TRIPLE PREFIX
#
# IPRES_SOURCE_TIME_LIMIT (s, default 1200) ends a download or build that
# hangs.
set -eu
cd "$(dirname "$0")/.." || exit 1
. toolchain/apt_source.sh
[ $# = 2 ] || { echo "usage: sh toolchain/musl-source.sh TRIPLE PREFIX" >&2; exit 2; }
triple=$1
prefix=$2
case $prefix in /*) ;; *) prefix=$PWD/$prefix ;; esac
limit=${IPRES_SOURCE_TIME_LIMIT:-1200}
# shellcheck disable=SC2016 # ${source:Version} is dpkg-query's field
version=$(dpkg-query -W -f='${source:Version}' "musl-dev:$(dpkg --print-architecture)")
[ "$(cat "$prefix/.version" 2>/dev/null)" = "$version" ] && exit 0
command -v "$triple-gcc" >/dev/null || { echo "musl-source.sh: no $triple-gcc (toolchain/setup.sh installs it)" >&2; exit 1; }

echo "musl-source.sh: musl $version for $triple from Debian's source package" >&2
work=$PWD/build/musl-src/$triple
apt_source musl "$version" "$work" "$limit"
# Static only (no dynamic loader is installed anywhere); the wrapper's specs
# file is what the Makefile's MUSL_SPECS names.
cd "$work/musl-src"
{
  ./configure --prefix="$prefix" --target="$triple" CROSS_COMPILE="$triple-" \
    --disable-shared --enable-wrapper=gcc &&
    timeout "$limit" make -j2 &&
    make install
} >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; exit 1; }
echo "$version" >"$prefix/.version"
echo "musl-source.sh: installed in $prefix" >&2
