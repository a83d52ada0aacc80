#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The build's promises: one static musl binary per CPU with identical
# compiled-in resources, clean command-line behaviour, and a malformed board
# config that stops the build at FILE:LINE.
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

run_bin() {  # ARCH BIN ARGS...: runs BIN, a binary built for ARCH
  arch=$1
  shift
  case $arch in
    x86_64) "$@" ;;
    aarch64) qemu-aarch64-static "$@" ;;
    armv7) qemu-arm-static "$@" ;;
    mipsel) qemu-mipsel-static "$@" ;;
    mips) qemu-mips-static "$@" ;;
    s390x) qemu-s390x-static "$@" ;;
  esac
}
run_arch() {  # ARCH ARGS...: runs the nstest binary built for ARCH
  arch=$1
  shift
  run_bin "$arch" "build/nstest-$arch/ipres" "$@"
}

for arch in $IPRES_ALL_ARCHES; do
  bin=build/nstest-$arch/ipres
  check_static_binary "$arch" "$bin"
  run_arch "$arch" list >"$tmp/list.$arch" 2>"$tmp/err.$arch"
  check "$arch: ipres list exits 0" test $? = 0
  check "$arch: ipres list prints every resource" \
    sh -c "[ \$(grep -c '^\[' '$tmp/list.$arch') = \$(grep -c '^\[' board/nstest/ipres.conf) ]"
done
for arch in aarch64 armv7 mipsel mips s390x; do
  check "x86_64 and $arch list the same" cmp -s "$tmp/list.x86_64" "$tmp/list.$arch"
done
check "list shows effective values" grep -qx 'IP_PINGTIME=0.5' "$tmp/list.x86_64"

# Everything compiled for a cross CPU waits for its toolchain's headers
# (build/sysroot/ARCH): a test's object too, or a clean make -j2 compiles
# it before they exist (mips: "cannot read spec file ... musl-gcc.specs").
for arch in aarch64 armv7 mipsel mips s390x; do
  for obj in obj/cli/main.o alloc/canary.o alloc/trap.o; do
    prereqs=$(make --no-print-directory -pq ARCH="$arch" BOARD=nstest "build/nstest-$arch/$obj" 2>/dev/null |
      grep -E "^build/nstest-$arch/$obj:")
    check_text "$arch: $obj waits for the toolchain's headers" " build/sysroot/$arch/include/\.done( |\$)" "$prereqs"
  done
done

# Each CPU's example board (board/ARCH), as a user builds it.
for arch in $IPRES_ALL_ARCHES; do
  make --no-print-directory -j2 BOARD="$arch" >"$tmp/board.$arch" 2>&1
  check "board $arch builds" test $? = 0
  check_static_binary "board $arch" "build/$arch/ipres"
  run_bin "$arch" "build/$arch/ipres" list >"$tmp/board-list.$arch" 2>&1
  check "board $arch: ipres list prints every resource of its ipres.conf" \
    test "$(grep -c '^\[' "$tmp/board-list.$arch")" = "$(grep -c '^\[' "board/$arch/ipres.conf")"
  check_out "board $arch: --version names the board and its CPU" "board $arch, $arch\\)" \
    run_bin "$arch" "build/$arch/ipres" --version
done

bin=build/nstest-x86_64/ipres
check_exit "--help" 0 "$bin" --help
check_exit "--version" 0 "$bin" --version
check "--version names the board" sh -c "'$bin' --version | grep -q 'board nstest'"
check_exit "no command" 2 "$bin"
check_exit "unknown command" 2 "$bin" frobnicate vip
check_exit "unknown tag" 2 "$bin" restore no-such-tag
check_exit "missing tag" 2 "$bin" remove
check_exit "extra argument" 2 "$bin" status vip extra
check_exit "list with an argument" 2 "$bin" list vip
check_exit "monitor with an unknown tag" 2 "$bin" monitor vip no-such-tag
"$bin" restore no-such-tag 2>"$tmp/usage" >/dev/null
check "a usage error is one line" test "$(wc -l <"$tmp/usage")" = 1
# An unknown tag is answered with the board's tags, in the file's order.
known=$(sed -n 's/^\[\(.*\)\]$/\1/p' board/nstest/ipres.conf | paste -sd, - | sed 's/,/, /g')
check "an unknown tag lists the known ones" \
  grep -qxF "ipres: unknown tag 'no-such-tag' (known: $known)" "$tmp/usage"
"$bin" monitor vip no-such-tag 2>"$tmp/usage" >/dev/null
check "monitor with an unknown tag lists them too" \
  grep -qxF "ipres: unknown tag 'no-such-tag' (known: $known)" "$tmp/usage"
check_exit "lkping --help" 0 "$(dirname "$bin")/lkping" --help
check_out "lkping --help prints the usage" '^usage: lkping ' "$(dirname "$bin")/lkping" --help

# A malformed config fails the build and names FILE:LINE.
bad=$tmp/badboard
mkdir -p "$bad"
cp board/nstest/board.mk "$bad/"
printf 'IP_PINGTIME=1\n\n[ok]\nADDRESS=192.0.2.7/24\nDEVICE=eth0\nIP_PINGTRIES=zero\n' >"$bad/ipres.conf"
make --no-print-directory BOARD=badboard BOARD_DIR="$bad" >"$tmp/make.out" 2>&1
check "malformed config fails the build" test $? -ne 0
check "the build error names FILE:LINE and the reason" \
  grep -q "^$bad/ipres.conf:6: bad IP_PINGTRIES 'zero'" "$tmp/make.out"
check "no binary is left for the bad board" test ! -e build/badboard/ipres
rm -rf build/badboard

# A file without a resource (comments and tunables only) fails the build too.
printf '# [gw]\n# ADDRESS=192.0.2.7/24\nIP_PINGTIME=1\n' >"$bad/ipres.conf"
# (Its build step alone: generating the table, which runs the parser.)
make --no-print-directory BOARD=badboard BOARD_DIR="$bad" build/badboard/gen/config_table.cc \
  >"$tmp/make.out" 2>&1
check "a config without a resource fails the build" test $? -ne 0
check "... naming FILE:LINE: $(grep -m1 'ipres.conf:' "$tmp/make.out")" \
  grep -q "^$bad/ipres.conf:3: no resource" "$tmp/make.out"
check "no table is left for it" test ! -e build/badboard/gen/config_table.cc
rm -rf build/badboard

# A device name may hold any byte the kernel allows, quotes and backslashes
# too: the generated table must carry it as it is.
odd=$tmp/oddboard
mkdir -p "$odd"
cp board/nstest/board.mk "$odd/"
printf '[odd]\nADDRESS=192.0.2.8/24\nDEVICE=a"b\\c\n' >"$odd/ipres.conf"
make --no-print-directory BOARD=oddboard BOARD_DIR="$odd" >"$tmp/odd.out" 2>&1
check "a device name with a quote and a backslash builds" test $? -eq 0
check "ipres list shows that device name as written" \
  sh -c "build/oddboard/ipres list | grep -qxF 'DEVICE=a\"b\\c'"
rm -rf build/oddboard

# A UTF-8 byte order mark before the first line (as some editors save) is
# no part of the text: the board builds.
bom=$tmp/bomboard
mkdir -p "$bom"
cp board/nstest/board.mk "$bom/"
printf '\357\273\277# saved by an editor that marks UTF-8\r\n[bom]\r\nADDRESS=192.0.2.9/24\r\nDEVICE=eth0\r\n' \
  >"$bom/ipres.conf"
# The nstest objects, same sources and flags: only its table is compiled.
mkdir -p build/bomboard
cp -a build/nstest-x86_64/obj build/bomboard/ && rm -rf build/bomboard/obj/gen build/bomboard/obj/tools
make --no-print-directory BOARD=bomboard BOARD_DIR="$bom" >"$tmp/bom.out" 2>&1
[ -x build/bomboard/ipres ] || tail -n 3 "$tmp/bom.out"
check "a config starting with a UTF-8 byte order mark builds" test -x build/bomboard/ipres
check "its resource is there" sh -c "build/bomboard/ipres list | grep -qx '\[bom\]'"
rm -rf build/bomboard

summary "build checks"
