#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench/cpus.sh DIR: ipres quickCheck on every CPU the tree builds, for the
# record only (nothing here is a budget or an assertion on time). x86_64 runs
# natively, the others under qemu-user, as the namespace tests run them
# (tests/integration/nslib.sh): Debian's qemu-aarch64-static, qemu-arm-static
# and qemu-mipsel-static; for the two big-endian CPUs, mips and s390x,
# Debian's qemu built with its rtnetlink fix (toolchain/qemu-source.sh;
# Debian's own answers their netlink reads with "Protocol error"). So the
# times are an emulator's on this machine, not a router's.
#
# Each CPU gets a node of its own, where build/bench-ARCH/ipres (board/bench)
# restores bench (untimed); then BENCH_CPU_RUNS (default 11) rounds, each
# timing one `ipres quickCheck bench` per CPU under bench/runstat (wall, and
# user+sys of the process tree: the emulator's own work included), the CPUs
# in turn, so a change in the machine's load falls on all of them alike;
# then each removes it. The address must be held after restore and each
# quickCheck, and gone after remove.
# Writes DIR/cpus_time.txt (runstat lines, labelled ARCH/quickCheck) and
# DIR/cpus.txt ("cpu ARCH size=BYTES runner=WHAT" per CPU, "failed N"); exit
# 1 when a step failed.
#
# Topology per CPU (TEST-NET-1 only, inside the bench's own namespaces):
# node-ARCH eth0 192.0.2.2/24 <-> peer-ARCH eth0 192.0.2.10/24 (the
# PingList), one veth pair. The service address is 192.0.2.100/24 on the
# node's eth0.
set -u
cd "$(dirname "$0")/.." || exit 1
[ $# = 1 ] || { echo "usage: sh bench/cpus.sh DIR" >&2; exit 2; }
DIR=$1
RUNS=${BENCH_CPU_RUNS:-11}
case $RUNS in
  '' | *[!0-9]*) RUNS=0 ;;
esac
if [ "$RUNS" -lt 3 ] || [ "$RUNS" -gt 101 ]; then
  echo "bench: BENCH_CPU_RUNS must be 3..101" >&2
  exit 2
fi
CPUS="x86_64 aarch64 armv7 mipsel mips s390x"
RUNSTAT=$PWD/build/bench-tools/runstat
VIP=192.0.2.100

# runner_of ARCH: what runs ARCH's binary here (empty: natively).
runner_of() {
  case $1 in
    x86_64) echo "" ;;
    aarch64) echo qemu-aarch64-static ;;
    armv7) echo qemu-arm-static ;;
    mipsel) echo qemu-mipsel-static ;;
    mips) echo "$PWD/build/qemu/qemu-mips" ;;
    s390x) echo "$PWD/build/qemu-s390x/qemu-s390x" ;;
  esac
}

for a in $CPUS; do
  r=$(runner_of "$a")
  for f in "build/bench-$a/ipres" "$RUNSTAT"; do
    [ -x "$f" ] || { echo "bench: missing $f for $a (run it as make bench)" >&2; exit 1; }
  done
  [ -z "$r" ] || command -v "$r" >/dev/null || { echo "bench: no $r for $a (run it as make bench)" >&2; exit 1; }
done

# shellcheck disable=SC2034 # read by nslib.sh
NS_PREFIX="ipc$$-"
. tests/integration/nslib.sh
for a in $CPUS; do
  ns_add "node-$a" || exit 1
  ns_add "peer-$a" || exit 1
  ip -n "$(ns "node-$a")" link add eth0 type veth peer name eth0 netns "$(ns "peer-$a")" || exit 1
  ip -n "$(ns "node-$a")" addr add 192.0.2.2/24 dev eth0 || exit 1
  ip -n "$(ns "peer-$a")" addr add 192.0.2.10/24 dev eth0 || exit 1
  ip -n "$(ns "node-$a")" link set eth0 up || exit 1
  ip -n "$(ns "peer-$a")" link set eth0 up || exit 1
done
for a in $CPUS; do
  wait_for 5 in_ns "node-$a" ping -c1 -W1 192.0.2.10 ||
    { echo "bench: cpus: $a's peer does not answer" >&2; exit 1; }
done

# held ARCH: the service address is on ARCH's node's eth0.
held() { ip -n "$(ns "node-$1")" -4 -o addr show dev eth0 | grep -q " $VIP/"; }

: >"$DIR/cpus_time.txt"
: >"$DIR/cpus.txt"
failed=0
# fail ARCH WHAT: one failed step, named.
fail() {
  echo "bench: cpus: $1: $2" >&2
  failed=$((failed + 1))
}
# step ARCH OP: ipres OP bench with ARCH's binary on ARCH's node, untimed.
step() {
  # shellcheck disable=SC2046 # runner_of: the runner's path, or nothing
  in_ns "node-$1" $(runner_of "$1") "$PWD/build/bench-$1/ipres" "$2" bench >>"$DIR/cpus.log" 2>&1
}
for a in $CPUS; do
  r=$(runner_of "$a")
  printf 'cpu %s size=%s runner=%s\n' "$a" "$(stat -c %s "build/bench-$a/ipres")" \
    "$(basename "${r:-native}")" >>"$DIR/cpus.txt"
  step "$a" restore || fail "$a" "restore failed"
  held "$a" || fail "$a" "restore: $VIP not held"
done
i=1
while [ "$i" -le "$RUNS" ]; do
  for a in $CPUS; do
    # shellcheck disable=SC2046
    in_ns "node-$a" "$RUNSTAT" -o "$DIR/cpus_time.txt" -l "$a/quickCheck" $(runner_of "$a") \
      "$PWD/build/bench-$a/ipres" quickCheck bench >>"$DIR/cpus.log" 2>&1 || fail "$a" "quickCheck run $i failed"
    held "$a" || fail "$a" "quickCheck run $i: $VIP not held"
  done
  printf '.' >&2
  i=$((i + 1))
done
echo >&2
for a in $CPUS; do
  step "$a" remove || fail "$a" "remove failed"
  ! held "$a" || fail "$a" "remove: $VIP still held"
done
echo "failed $failed" >>"$DIR/cpus.txt"
[ "$failed" = 0 ] || { tail -n 20 "$DIR/cpus.log" >&2; exit 1; }
exit 0
