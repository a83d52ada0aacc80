#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make install and the board's build as a firmware engineer meets them
# (make install-test runs this, under a time limit):
# - install into a root file system that has its own /etc: its mdev.conf
#   keeps its rules and gets ipres's rule once (also on a second install),
#   its keepalived.conf and init script are kept; a missing mdev.conf is made;
#   the examples go to usr/share/ipres/examples; under PREFIX=/usr/local the
#   binary moves and the files that call it (functions.sh, the OCF agent,
#   the example keepalived.conf) name it there;
# - install never compiles: after a build with an SDK's CROSS_COMPILE, make
#   install without it installs that binary byte for byte; with nothing
#   built, or a build older than the board's config, it stops with one line;
# - the example keepalived.conf of each example board names that board's
#   tags on their devices (read from the board's own binary) and keepalived -t
#   takes it;
# - a board's CPU flags replace the ARCH's default ones, and stay out of a
#   build of its resources for another ARCH.
# Builds go to folders of this test's own (OUT=), never to build/BOARD.
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'rm -rf "$tmp"; exit 130' INT TERM
# keepalived's script security: no folder on a script's path may be writable
# by another user.
chmod 0755 "$tmp"
mk() { make --no-print-directory -j2 "$@"; }
sdk=$PWD/build/sdk/aarch64/bin/aarch64-linux-musl-

# ---- install into a root file system with its own /etc ----------------------
mk BOARD=armv7 OUT="$tmp/armv7" all >"$tmp/build.armv7" 2>&1 || { cat "$tmp/build.armv7"; exit 1; }
root=$tmp/rootfs
mkdir -p "$root/etc/keepalived" "$root/etc/init.d"
# shellcheck disable=SC2016 # mdev's own $MODALIAS, written as it is
printf '# the firmware own rules\n$MODALIAS=.* root:root 660 @modprobe "$MODALIAS"\nnull root:root 666\n' \
  >"$root/etc/mdev.conf"
printf 'global_defs {\n    router_id firmware\n}\n' >"$root/etc/keepalived/keepalived.conf"
printf '#!/bin/sh\n# the firmware own ipres start\n' >"$root/etc/init.d/S41ipres"
cp -a "$root/etc" "$tmp/etc.before"
install_armv7() { mk BOARD=armv7 OUT="$tmp/armv7" DESTDIR="$root" install; }
install_armv7 >"$tmp/install.1" 2>&1
check "make install into a rootfs with its own /etc exits 0" test $? = 0
rule=$(grep -v '^#' rootfs-overlay/etc/mdev.conf | grep .)
check "etc/mdev.conf keeps the firmware's rules, in order, first" \
  sh -c "head -n 3 '$root/etc/mdev.conf' | cmp - '$tmp/etc.before/mdev.conf'"
check "etc/mdev.conf has ipres's rule once" test "$(grep -cxF "$rule" "$root/etc/mdev.conf")" = 1
check "etc/keepalived/keepalived.conf is the firmware's" \
  cmp "$tmp/etc.before/keepalived/keepalived.conf" "$root/etc/keepalived/keepalived.conf"
check "etc/init.d/S41ipres that was there is kept" cmp "$tmp/etc.before/init.d/S41ipres" "$root/etc/init.d/S41ipres"
check_out "make install says what it kept" 'KEEP +.*/etc/init.d/S41ipres' cat "$tmp/install.1"
examples=$root/usr/share/ipres/examples
check "the board's example keepalived.conf is in usr/share/ipres/examples" \
  cmp "$tmp/armv7/keepalived.conf" "$examples/keepalived.conf"
check "the mdev rule is in usr/share/ipres/examples" cmp rootfs-overlay/etc/mdev.conf "$examples/mdev.conf"
check "usr/sbin/ipres is the build's binary" cmp "$tmp/armv7/ipres" "$root/usr/sbin/ipres"
cp "$root/etc/mdev.conf" "$tmp/mdev.after1"
install_armv7 >"$tmp/install.2" 2>&1
check "a second make install exits 0" test $? = 0
check "a second make install adds nothing to etc/mdev.conf" cmp "$tmp/mdev.after1" "$root/etc/mdev.conf"
check "etc/keepalived/keepalived.conf is still the firmware's" \
  cmp "$tmp/etc.before/keepalived/keepalived.conf" "$root/etc/keepalived/keepalived.conf"

fresh=$tmp/fresh
mk BOARD=armv7 OUT="$tmp/armv7" DESTDIR="$fresh" install >/dev/null 2>&1
check "a missing etc/mdev.conf is made: ipres's rule file" cmp rootfs-overlay/etc/mdev.conf "$fresh/etc/mdev.conf"
check "  with mode 0644" test "$(stat -c %a "$fresh/etc/mdev.conf")" = 644
check "no etc/keepalived/keepalived.conf is put in /etc (an example only)" test ! -e "$fresh/etc/keepalived"

# ---- another PREFIX ------------------------------------------------------------
# The binary moves, and what calls it follows: the init script's functions,
# the OCF agent's default binary, the example keepalived.conf's scripts.
local_root=$tmp/local
mk BOARD=armv7 OUT="$tmp/armv7" DESTDIR="$local_root" PREFIX=/usr/local install >"$tmp/install.local" 2>&1
check "make install PREFIX=/usr/local exits 0" test $? = 0
check "usr/local/sbin/ipres is the build's binary" cmp "$tmp/armv7/ipres" "$local_root/usr/local/sbin/ipres"
check "usr/local/bin/lkping -> ../sbin/ipres" test "$(readlink "$local_root/usr/local/bin/lkping")" = ../sbin/ipres
check_out "functions.sh calls /usr/local/sbin/ipres" '^IPRES=\$\{IPRES:-/usr/local/sbin/ipres\}$' \
  cat "$local_root/usr/lib/ipres/functions.sh"
check_out "the OCF agent's binary defaults to /usr/local/sbin/ipres" \
  '<content type="string" default="/usr/local/sbin/ipres"/>' \
  env OCF_ROOT="$local_root/usr/lib/ocf" sh "$local_root/usr/lib/ocf/resource.d/ipres/ipres" meta-data
check_out "the example keepalived.conf's scripts call /usr/local/sbin/ipres" \
  'notify_master "/usr/local/sbin/ipres restore ' cat "$local_root/usr/local/share/ipres/examples/keepalived.conf"
check_no_out "no installed file but the man pages calls /usr/sbin/ipres" '.' \
  sh -c "grep -rl /usr/sbin/ipres '$local_root' | grep -v '/share/man/' || true"
check "the init script is installed with its mode (0755)" test "$(stat -c %a "$local_root/etc/init.d/S41ipres")" = 755
check "functions.sh keeps its mode (0644)" \
  test "$(stat -c %a "$local_root/usr/lib/ipres/functions.sh")" = "$(stat -c %a rootfs-overlay/usr/lib/ipres/functions.sh)"
check_out "make install says which files call it there" 'INSTALL .*functions\.sh \(calling /usr/local/sbin/ipres\)' \
  cat "$tmp/install.local"
check_exit "make install PREFIX=usr (not absolute) stops, installing nothing" 2 \
  mk BOARD=armv7 OUT="$tmp/armv7" DESTDIR="$tmp/rel" PREFIX=usr install
check "  nothing installed" test ! -e "$tmp/rel"
check "a default install leaves the overlay's files as they are" \
  cmp rootfs-overlay/usr/lib/ipres/functions.sh "$fresh/usr/lib/ipres/functions.sh"

# ---- a plain make installs only what a build needs ---------------------------
setup_line=$(make --no-print-directory -n BOARD=x86_64 OUT="$tmp/plain" all | grep 'toolchain/setup.sh')
check_text "a plain make runs setup.sh with the packages it names" 'setup\.sh [a-z]' "$setup_line"
check "  a handful: compiler, musl, make (no keepalived, clang, scapy, qemu)" sh -c \
  "[ $(printf '%s\n' "$setup_line" | wc -w) -le 6 ] && ! printf '%s\n' '$setup_line' | grep -qE 'keepalived|clang|scapy|qemu'"

nonl=$tmp/nonl
mkdir -p "$nonl/etc"
printf 'null root:root 666' >"$nonl/etc/mdev.conf"
mk BOARD=armv7 OUT="$tmp/armv7" DESTDIR="$nonl" install >/dev/null 2>&1
check "an mdev.conf whose last line has no newline: the rule on a line of its own" \
  test "$(sed -n 2p "$nonl/etc/mdev.conf")" = "$rule"

# ---- install never compiles ------------------------------------------------
# The issue's case: built with an SDK's compiler, installed without naming it.
mk CROSS_COMPILE="$sdk" BOARD=aarch64 OUT="$tmp/sdk" all >"$tmp/build.sdk" 2>&1
check "the aarch64 board builds with the SDK's CROSS_COMPILE" test $? = 0
mk BOARD=aarch64 OUT="$tmp/sdk" DESTDIR="$tmp/sdkroot" install >"$tmp/install.sdk" 2>&1
check "make install without CROSS_COMPILE exits 0" test $? = 0
check "  and compiles nothing" sh -c "! grep -qE '^  (CXX|LD|HOSTCXX) ' '$tmp/install.sdk'"
check "  and installs the SDK's binary byte for byte" cmp "$tmp/sdk/ipres" "$tmp/sdkroot/usr/sbin/ipres"
check_out "  and names the compiler that built it" "INSTALL .*usr/sbin/ipres .*${sdk}g\\+\\+" cat "$tmp/install.sdk"

# stops DESC PATTERN MAKE-ARGS...: make install fails with one line matching
# PATTERN, compiles nothing and leaves DESTDIR absent.
stops() {
  desc=$1
  pat=$2
  shift 2
  rm -rf "$tmp/none"
  mk DESTDIR="$tmp/none" "$@" install >"$tmp/stops.out" 2>&1
  rc=$?
  if [ $rc = 0 ]; then not_ok "$desc: make install succeeded"; return; fi
  lines=$(grep -vE '^make(\[[0-9]+\])?: \*\*\*' "$tmp/stops.out")
  if [ "$(printf '%s\n' "$lines" | wc -l)" = 1 ] && printf '%s\n' "$lines" | grep -qE -- "$pat" &&
    ! grep -qE '^  (CXX|LD|HOSTCXX) ' "$tmp/stops.out" && [ ! -e "$tmp/none" ]; then
    ok "$desc"
  else
    not_ok "$desc: $(head -c 400 "$tmp/stops.out")"
  fi
}
stops "nothing built: make install stops with one line saying what to run" \
  "no $tmp/nothing/ipres: run 'make BOARD=armv7 OUT=$tmp/nothing'" BOARD=armv7 OUT="$tmp/nothing"
stops "built by the SDK, installed with another compiler named: stops, naming both" \
  "built by ${sdk}g\\+\\+, not by ${sdk}c\\+\\+" BOARD=aarch64 OUT="$tmp/sdk" CXX="${sdk}c++" CC="${sdk}gcc"
board=$tmp/myboard
mkdir "$board"
cp board/armv7/board.mk board/armv7/ipres.conf "$board/"
mk BOARD=myboard BOARD_DIR="$board" OUT="$tmp/my" all >/dev/null 2>&1
touch "$board/ipres.conf"
stops "a board config changed after the build: stops, saying what to run" \
  "is older than $board/ipres.conf: run 'make BOARD=myboard" BOARD=myboard BOARD_DIR="$board" OUT="$tmp/my"

# ---- the example keepalived.conf of each example board ----------------------
run_board() { # ARCH BIN ARGS...
  case $1 in
    aarch64) q=qemu-aarch64-static ;;
    armv7) q=qemu-arm-static ;;
    *) q= ;;
  esac
  shift
  $q "$@"
}
for b in x86_64 armv7 aarch64; do
  out=$tmp/ex-$b
  arch=$(sed -n 's/^ARCH *:= *//p' "board/$b/board.mk")
  mk BOARD="$b" OUT="$out" all >"$tmp/build.$b" 2>&1 || { not_ok "$b: make failed"; continue; }
  conf=$out/keepalived.conf
  run_board "$arch" "$out/ipres" list >"$tmp/list.$b"
  # Each instance: the tag its scripts name, and its interface.
  awk '/^vrrp_instance/ { inst = 1 } inst && /^ *interface / { dev = $2 }
    inst && /^ *notify_master "/ { tag = $NF; sub(/"$/, "", tag) }
    inst && /^}/ { print tag, dev; inst = 0 }' "$conf" >"$tmp/inst.$b"
  awk '/^\[/ { tag = substr($0, 2, length($0) - 2) } /^DEVICE=/ { print tag, substr($0, 8) }' \
    "$tmp/list.$b" >"$tmp/want.$b"
  check "$b: one vrrp_instance per resource, each on the resource's DEVICE" diff "$tmp/want.$b" "$tmp/inst.$b"
  grep -v '^ *#' "$conf" | grep -o 'ipres [a-z]* [^ "]*' | awk '{ print $3 }' | sort -u >"$tmp/tags.$b"
  check "$b: every tag its scripts (not its comments) name is the board's" sh -c "test -s '$tmp/tags.$b' &&
    while read -r t; do grep -qxF \"[\$t]\" '$tmp/list.$b' || { echo \"unknown tag \$t\"; exit 1; }; done <'$tmp/tags.$b'"
  # keepalived -t in a network namespace holding the board's devices, the
  # scripts pointing at a copy of the board's binary. It warns of the missing
  # virtual_ipaddress (ipres, not keepalived, moves the address: exit 5,
  # "config test warnings"); any other message, or a fatal exit, fails.
  mkdir "$tmp/ka-$b"
  cp "$out/ipres" "$tmp/ka-$b/ipres"
  sed "s|/usr/sbin/ipres|$tmp/ka-$b/ipres|g" "$conf" >"$tmp/ka-$b/keepalived.conf"
  devs=$(awk '{ print $2 }' "$tmp/want.$b" | sort -u | tr '\n' ' ')
  # shellcheck disable=SC2016 # the inner shell expands them
  unshare -n sh -c 'for d in $1; do ip link add "$d" type veth peer name "p$d" || exit 99; done
    exec keepalived -t -l -f "$2"' sh "$devs" "$tmp/ka-$b/keepalived.conf" >"$tmp/ka.$b" 2>&1
  rc=$?
  if [ -s "$conf" ] && { [ $rc = 0 ] || [ $rc = 5 ]; } && ! grep -qv 'No VIP specified; at least one is sensible' "$tmp/ka.$b"; then
    ok "$b: keepalived -t takes the example (exit $rc: only 'No VIP specified')"
  else
    not_ok "$b: keepalived -t: exit $rc: $(head -c 400 "$tmp/ka.$b")"
  fi
done
check "x86_64: the example is rootfs-overlay's keepalived.conf, after its first line" \
  sh -c "tail -n +2 '$tmp/ex-x86_64/keepalived.conf' | cmp - rootfs-overlay/etc/keepalived/keepalived.conf"

# ---- a board's CPU flags ---------------------------------------------------
cpu=$tmp/cpuboard
mkdir "$cpu"
cp board/armv7/ipres.conf "$cpu/"
printf 'ARCH := armv7\nBOARD_CPU_FLAGS := -mcpu=cortex-a7\nBOARD_CXXFLAGS :=\nBOARD_LDFLAGS :=\n' \
  >"$cpu/board.mk"
mk BOARD=cpuboard BOARD_DIR="$cpu" OUT="$tmp/cpu" all >"$tmp/build.cpu" 2>&1
check "BOARD_CPU_FLAGS := -mcpu=cortex-a7 on armv7 builds" test $? = 0
[ -s "$tmp/build.cpu" ] && grep -m 3 'error' "$tmp/build.cpu"
check_out "  compiled with -mcpu=cortex-a7 in place of the armv7 default -march" \
  '-mcpu=cortex-a7' sh -c "grep -v -- '-march=' '$tmp/cpu/compile.flags'"
check_out "  linked with it too" '-mcpu=cortex-a7' cat "$tmp/cpu/link.flags"
check_out "  the binary runs" '^\[ip-lan\]$' qemu-arm-static "$tmp/cpu/ipres" list
mk BOARD=cpuboard BOARD_DIR="$cpu" ARCH=x86_64 OUT="$tmp/cpu-x86" all >"$tmp/build.cpu-x86" 2>&1
check "its resources built with ARCH=x86_64 build" test $? = 0
check_no_out "  without the board's armv7 CPU flags" 'cortex-a7' cat "$tmp/cpu-x86/compile.flags" \
  "$tmp/cpu-x86/link.flags"

summary "install checks"
