#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# cmocka for a CPU Debian ships no libcmocka-dev for (big-endian mips, for
# make unit-test-be): Debian's own cmocka source package
# (toolchain/apt_source.sh), the version of the installed libcmocka-dev,
# compiled with TRIPLE-gcc into PREFIX/lib/libcmocka.a and
# PREFIX/include/cmocka.h; a rerun with that version in place does nothing.
#
#   sh toolchain/cmocka-source.sh TRIPLE PREFIX
set -eu
cd "$(dirname "$0")/.." || exit 1
. toolchain/apt_source.sh
[ $# = 2 ] || { echo "usage: sh toolchain/cmocka-source.sh TRIPLE PREFIX" >&2; exit 2; }
triple=$1
prefix=$2
# shellcheck disable=SC2016 # ${source:Version} is dpkg-query's field
version=$(dpkg-query -W -f='${source:Version}' "libcmocka-dev:$(dpkg --print-architecture)")
[ "$(cat "$prefix/.version" 2>/dev/null)" = "$version" ] && exit 0

echo "cmocka-source.sh: cmocka $version for $triple from Debian's source package" >&2
work=$PWD/build/cmocka-src/$triple
apt_source cmocka "$version" "$work" "${IPRES_SOURCE_TIME_LIMIT:-600}"
src=$work/cmocka-src
mkdir -p "$prefix/lib" "$prefix/include"
# What cmake's checks find in any C library cmocka is built against here.
"$triple-gcc" -c -O1 -DHAVE_SIGNAL_H -DHAVE_STRINGS_H -DHAVE_INTTYPES_H -DHAVE_MALLOC_H \
  -DHAVE_SETJMP_H -DHAVE_STDARG_H -DHAVE_STDDEF_H -DHAVE_STDINT_H -DHAVE_STDLIB_H \
  -DHAVE_STRING_H -DHAVE_CLOCK_GETTIME=1 -DHAVE_STRSIGNAL=1 -I"$src/include" \
  -o "$work/cmocka.o" "$src/src/cmocka.c"
rm -f "$prefix/lib/libcmocka.a"
"$triple-ar" rcs "$prefix/lib/libcmocka.a" "$work/cmocka.o"
cp "$src/include/cmocka.h" "$prefix/include/"
echo "$version" >"$prefix/.version"
