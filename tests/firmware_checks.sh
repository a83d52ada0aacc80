#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The build as a firmware build system uses it (make firmware-test runs this,
# after cross-test's builds):
# - a toolchain from outside, shaped like an SDK's (build/sdk/ARCH, made by
#   toolchain/sdk.sh), through CROSS_COMPILE=: the binary keeps the build
#   checks' promises (static, stripped, no glibc or libstdc++ runtime, the
#   same `ipres list`) and the zero-allocation link check; none of the
#   Debian toolchain's paths is used; a compiler for another CPU, or with
#   glibc, is refused;
# - the caller's CPPFLAGS, CXXFLAGS and LDFLAGS reach the commands, after
#   ipres's own, which stay;
# - make install DESTDIR=DIR: exactly the contract's files and modes, the
#   relative lkping link, nothing outside DIR.
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
jobs=$(nproc 2>/dev/null || echo 2)
ref=build/nstest-x86_64/ipres
"$ref" list >"$tmp/list.ref" || { not_ok "no reference build $ref (make cross-test builds it)"; summary firmware; exit 1; }
sdk() { echo "$PWD/build/sdk/$1/bin/$1-linux-musl-"; }

# ---- the SDK's compiler ------------------------------------------------------
# aarch64 gets the flags Buildroot passes every package (TARGET_CPPFLAGS,
# TARGET_CXXFLAGS), x86_64 none.
br_cppflags='-D_LARGEFILE_SOURCE -D_LARGEFILE64_SOURCE -D_FILE_OFFSET_BITS=64'
# sdk_make ARCH ARGS...: make with ARCH's SDK, nstest, in build/sdk-nstest-ARCH.
sdk_make() {
  a=$1
  shift
  if [ "$a" = aarch64 ]; then
    set -- CPPFLAGS="$br_cppflags" CXXFLAGS="$br_cppflags -Os -g0" "$@"
  fi
  make --no-print-directory CROSS_COMPILE="$(sdk "$a")" BOARD=nstest ARCH="$a" \
    OUT="build/sdk-nstest-$a" "$@"
}
for arch in aarch64 x86_64; do
  out=build/sdk-nstest-$arch
  sdk_make $arch -j"$jobs" all alloc >"$tmp/make.$arch" 2>&1
  rc=$?
  check "$arch SDK: make CROSS_COMPILE=build/sdk/$arch/bin/$arch-linux-musl- builds" test $rc = 0
  [ $rc = 0 ] || tail -n 20 "$tmp/make.$arch"
  check_static_binary "$arch SDK" "$out/ipres"
  check "$arch SDK: compiled by the SDK's g++ and linked by its gcc" \
    sh -c "grep -q '^$(sdk $arch)g++ ' $out/compile.flags && grep -q '^$(sdk $arch)gcc ' $out/link.flags"
  check_no_out "$arch SDK: no Debian musl specs, multiarch headers or kernel-header links" \
    'musl-gcc\.specs|/usr/include/c\+\+|/usr/[a-z0-9_]+-linux-gnu[a-z]*/include|build/sysroot|-march|-mfloat-abi' \
    cat "$out/compile.flags" "$out/link.flags"
  case $arch in
    aarch64) run=qemu-aarch64-static ;;
    *) run= ;;
  esac
  $run "$out/ipres" list >"$tmp/list.$arch" 2>&1
  check "$arch SDK: ipres list is the default build's" cmp -s "$tmp/list.ref" "$tmp/list.$arch"
  check_out "$arch SDK: --version names $arch" "board nstest, $arch\\)" $run "$out/ipres" --version
  check "$arch SDK: the zero-allocation link check (and its canary)" \
    sh tests/alloc_check.sh static $arch nstest $out
done
check "aarch64 SDK: Buildroot's CPPFLAGS and CXXFLAGS were passed" \
  grep -q -- "-Isrc .*$br_cppflags $br_cppflags -Os -g0" build/sdk-nstest-aarch64/compile.flags
printf 'sizes: default x86_64 %s, SDK x86_64 %s; default aarch64 %s, SDK aarch64 %s bytes\n' \
  "$(stat -c %s $ref)" "$(stat -c %s build/sdk-nstest-x86_64/ipres)" \
  "$(stat -c %s build/nstest-aarch64/ipres 2>/dev/null)" "$(stat -c %s build/sdk-nstest-aarch64/ipres)"

# Refused before anything is built, naming why.
# fails_with DESC PATTERN MAKE-ARGS...: make -n fails and says PATTERN.
fails_with() {
  desc=$1
  pat=$2
  shift 2
  if out=$(make --no-print-directory -n "$@" all 2>&1); then
    not_ok "$desc: make -n succeeded"
  elif printf '%s\n' "$out" | grep -qE -- "$pat"; then ok "$desc"; else
    not_ok "$desc: $(printf '%s' "$out" | tail -n 2)"
  fi
}
fails_with "an aarch64 compiler for a board of x86_64 is refused" \
  'board nstest is for x86_64, but .* builds for aarch64' CROSS_COMPILE="$(sdk aarch64)" BOARD=nstest
fails_with "ARCH=x86_64 with an aarch64 compiler is refused" \
  'ARCH=x86_64, but .* builds for aarch64' CROSS_COMPILE="$(sdk aarch64)" BOARD=nstest ARCH=x86_64
fails_with "a compiler with glibc is refused" "uses glibc's headers" CXX=g++ CC=gcc BOARD=nstest
fails_with "CXX without CC is refused" 'without CC' CXX="$(sdk x86_64)g++" BOARD=nstest
check "an aarch64 compiler for the aarch64 board is taken" \
  make --no-print-directory -n CROSS_COMPILE="$(sdk aarch64)" BOARD=aarch64 all

# ---- the caller's flags --------------------------------------------------------
# compile_line ARGS...: make -n's command for src/cli/main.cc (every object
# is listed: -n counts the flags record as changed).
compile_line() {
  make --no-print-directory -n BOARD=nstest ARCH=x86_64 "$@" all 2>&1 | grep -- '-c src/cli/main.cc '
}
own='-std=c\+\+17 -Os -fno-exceptions -fno-rtti .* -Werror -specs [^ ]*musl-gcc.specs .* -Isrc'
check_text "make CXXFLAGS=-DFOO=1: -DFOO=1 after ipres's own flags" "$own .*-DFOO=1 " \
  "$(compile_line CXXFLAGS=-DFOO=1)"
check_text "CXXFLAGS=-DFOO=1 from the environment: the same" "$own .*-DFOO=1 " \
  "$(CXXFLAGS=-DFOO=1 compile_line)"
check_text "make CXXFLAGS=-O2: -O2 after -Os, so it wins" "-Os .*-O2 " "$(compile_line CXXFLAGS=-O2)"
check_text "make CPPFLAGS=-DBAR=2 CXXFLAGS=-DFOO=1: both, in that order" "$own .*-DBAR=2 -DFOO=1 " \
  "$(compile_line CPPFLAGS=-DBAR=2 CXXFLAGS=-DFOO=1)"
# LDFLAGS for real: a link map appears, and the binary relinked without it is
# the one before (the flags record makes both links happen).
x86=build/sdk-nstest-x86_64
cp "$x86/ipres" "$tmp/ipres.before"
sdk_make x86_64 LDFLAGS="-Wl,-Map,$tmp/ipres.map" all >/dev/null 2>&1
check "make LDFLAGS=-Wl,-Map,FILE relinks with it (a link map)" grep -q '^Linker script and memory map' "$tmp/ipres.map"
sdk_make x86_64 all >/dev/null 2>&1
check "relinked without it: the binary before, byte for byte" cmp "$tmp/ipres.before" "$x86/ipres"

# ---- make install --------------------------------------------------------------
# expected_tree PREFIX: "TYPE MODE PATH [TARGET]" for every entry under DIR.
expected_tree() {
  {
    printf 'f 755 %s/sbin/ipres\n' "${1#/}"
    printf 'l 777 %s/bin/lkping ../sbin/ipres\n' "${1#/}"
    # The overlay but its example keepalived.conf (installed as an example
    # only); etc/mdev.conf is made, DIR having none.
    git ls-files -s rootfs-overlay | grep -v 'etc/keepalived/' | while read -r mode _ _ path; do
      case $mode in 100755) m=755 ;; *) m=644 ;; esac
      printf 'f %s %s\n' "$m" "${path#rootfs-overlay/}"
    done
    printf 'f 644 %s/share/ipres/examples/%s\n' "${1#/}" keepalived.conf "${1#/}" mdev.conf
    git ls-files 'src/man/*.[1-8]' | while read -r page; do
      printf 'f 644 %s/share/man/man%s/%s\n' "${1#/}" "${page##*.}" "${page##*/}"
    done
  } >"$tmp/files"
  # Every folder above a file, 0755.
  cut -d' ' -f3 "$tmp/files" | while read -r p; do
    while [ "${p%/*}" != "$p" ]; do
      p=${p%/*}
      printf 'd 755 %s\n' "$p"
    done
  done | sort -u | cat - "$tmp/files" | LC_ALL=C sort -k3
}
actual_tree() { (cd "$1" && find . -mindepth 1 -printf '%y %m %P %l\n' | sed 's/ $//' | LC_ALL=C sort -k3); }
# What this machine has at the paths an install without DESTDIR would write.
host_state() {
  for p in /usr/sbin/ipres /usr/bin/lkping /usr/local/sbin/ipres /usr/local/bin/lkping \
    /usr/share/ipres /usr/local/share/ipres /usr/share/man/man8/ipres.8 /usr/local/share/man/man8/ipres.8 \
    $(git ls-files rootfs-overlay | sed 's|^rootfs-overlay||'); do
    ls -ld --time-style=+%s.%N "$p" 2>/dev/null || echo "absent $p"
  done
}
host_state >"$tmp/host.before"
git status --porcelain >"$tmp/tree.before"

# A fresh DESTDIR under a folder of its own, a strict umask: only DESTDIR
# appears beside nothing, with the contract's modes.
mkdir "$tmp/a"
(umask 077 && make --no-print-directory BOARD=nstest ARCH=x86_64 DESTDIR="$tmp/a/root" install) \
  >"$tmp/install.out" 2>&1
check "make install DESTDIR=DIR (umask 077)" test $? = 0
{ echo "d 755 root"; expected_tree /usr | sed 's|^\([a-z] [0-9]* \)|\1root/|'; } |
  LC_ALL=C sort -k3 >"$tmp/want"
actual_tree "$tmp/a" >"$tmp/got"
check "exactly the contract's files, folders and modes under DIR, nothing beside it" \
  sh -c "diff '$tmp/want' '$tmp/got'"
[ "$(wc -l <"$tmp/want")" -gt 8 ] || not_ok "the expected list is too short: $(cat "$tmp/want")"
root=$tmp/a/root
check "usr/sbin/ipres is the build's binary" cmp "$ref" "$root/usr/sbin/ipres"
check "usr/bin/lkping is the link ../sbin/ipres" test "$(readlink "$root/usr/bin/lkping")" = ../sbin/ipres
check "lkping runs through the link" "$root/usr/bin/lkping" -h
check "every overlay file is its source's copy" sh -c \
  "git ls-files rootfs-overlay | grep -v etc/keepalived/ | while read -r f; do cmp \"\$f\" '$root'/\"\${f#rootfs-overlay/}\" || exit 1; done"
check "every file installed is named in make's output" \
  test "$(grep -c '^  \(INSTALL\|LN\) ' "$tmp/install.out")" = "$(grep -c '^[fl] ' "$tmp/want")"
make --no-print-directory BOARD=nstest ARCH=x86_64 DESTDIR="$tmp/a/root" install >/dev/null 2>&1
actual_tree "$tmp/a" >"$tmp/got.again"
check "installing again over it: the same tree" diff "$tmp/want" "$tmp/got.again"
check "the example keepalived.conf is the board's" \
  cmp build/nstest-x86_64/keepalived.conf "$root/usr/share/ipres/examples/keepalived.conf"

# PREFIX, and the SDK build installed as Buildroot's generic-package does.
make --no-print-directory BOARD=nstest ARCH=x86_64 PREFIX=/usr/local DESTDIR="$tmp/b" install \
  >/dev/null 2>&1
expected_tree /usr/local >"$tmp/want.local"
actual_tree "$tmp/b" >"$tmp/got.local"
check "PREFIX=/usr/local: ipres, lkping and usr/share's files under usr/local, the overlay as ever" \
  diff "$tmp/want.local" "$tmp/got.local"
sdk_make aarch64 DESTDIR="$tmp/c" install >"$tmp/install.c" 2>&1
check "the aarch64 SDK build: make install rebuilds nothing" sh -c "! grep -q '  CXX ' '$tmp/install.c'"
check "the aarch64 SDK build installs its own binary" \
  cmp build/sdk-nstest-aarch64/ipres "$tmp/c/usr/sbin/ipres"

host_state >"$tmp/host.after"
check "nothing changed on this machine at the install paths" diff "$tmp/host.before" "$tmp/host.after"
git status --porcelain >"$tmp/tree.after"
check "nothing changed in the source tree" diff "$tmp/tree.before" "$tmp/tree.after"

summary "firmware checks"
