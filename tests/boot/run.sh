#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make boot-test: for every CPU (BOOT_ARCHES, default x86_64 aarch64
# armv7; make boot-test-more: mipsel s390x) the boottest board's image
# (make image), the kernel and its network modules (kernel.sh), then every
# tests/boot/t_*.sh (BOOT_TESTS, file names, says which). Prints each
# test's time.
#
# IPRES_KERNEL names the Debian release whose kernel boots (kernel.sh): the
# machine's own unless set (bookworm: Linux 6.1), e.g. bullseye (5.10) or
# trixie (6.12) (make kernel-test). Another release's kernels and logs go to
# build/boot-RELEASE (BOOT_OUT), beside the machine's in build/boot.
#
# Every test has a time limit (TIME_LIMIT below; IPRES_TIME_LIMIT=N sets it
# to N s): past it, the test is ended with all its processes, VMs and its
# namespace (tests/timelimit.sh) and fails, its output so far printed with a
# line saying so.
set -u
cd "$(dirname "$0")/../.." || exit 1
[ "$(id -u)" = 0 ] || { echo "boot-test: needs root (a network namespace for the LAN)" >&2; exit 1; }
machine_release=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release)
kernel_release=${IPRES_KERNEL:-$machine_release}
case $kernel_release in
  "" | *[!a-z]*)
    echo "boot-test: IPRES_KERNEL must name a Debian release (bullseye, bookworm, trixie), not '$kernel_release'" >&2
    exit 2
    ;;
esac
if [ "$kernel_release" = "$machine_release" ]; then
  BOOT_OUT=${BOOT_OUT:-build/boot}
else
  BOOT_OUT=${BOOT_OUT:-build/boot-$kernel_release}
fi
export BOOT_OUT
echo "boot-test: Debian $kernel_release's kernels; logs in $BOOT_OUT/logs"
status=0

# The time limit, in seconds: a hang's end, not a timing assertion.
# Measured on two cores under qemu's TCG (no KVM), the whole boot-test in
# 284 s: t_boot 46 s (x86_64), 49 (aarch64), 52 (armv7); t_keepalived 69 s
# (x86_64; it skips the others at once). One limit fits both: 600 s, about
# nine times the slowest. t_devices (x86_64 only, like t_keepalived) took
# 94-100 s, the whole boot-test then 358 s (t_boot 57-65 s): 600 s is still
# six times the slowest. With IPv6 on more of its kinds t_devices takes
# 155-160 s, and t_devices2 (x86_64 only) about 175 s: 600 s is still more
# than three times the slowest. t_boot on mipsel (malta) took 65-113 s, on
# s390x 67-100 s.
TIME_LIMIT=600
if [ -n "${IPRES_TIME_LIMIT:-}" ]; then
  case $IPRES_TIME_LIMIT in
    *[!0-9]* | 0*)
      echo "boot-test: IPRES_TIME_LIMIT must be a number of seconds, 1 or more, not '$IPRES_TIME_LIMIT'" >&2
      exit 2
      ;;
  esac
  TIME_LIMIT=$IPRES_TIME_LIMIT
fi
. tests/timelimit.sh

# The tests lead process groups of their own (run_limited): an interrupt is
# passed on to the running one, which cleans up after itself; the run ends
# once it has.
pidfile=$(mktemp)
interrupted=""
# shellcheck disable=SC2317 # called by the traps
pass_on() {
  interrupted=1
  [ -s "$pidfile" ] && /bin/kill -s "$1" -- "-$(cat "$pidfile")" 2>/dev/null
}
trap 'pass_on INT' INT
trap 'pass_on TERM' TERM
trap 'rm -f "$pidfile" "$pidfile.over"' EXIT

mkdir -p "$BOOT_OUT/client-root"
cp -a tests/boot/client/. "$BOOT_OUT/client-root/"
(cd "$BOOT_OUT/client-root" && find . -mindepth 1 | LC_ALL=C sort |
  cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -9n >"$BOOT_OUT/client.cpio.gz" || exit 1

# stop_if_interrupted: ends the run after an interrupt.
stop_if_interrupted() { [ -z "$interrupted" ] || { echo "boot-test: interrupted"; exit 130; }; }

for arch in ${BOOT_ARCHES:-x86_64 aarch64 armv7}; do
  make --no-print-directory image BOARD=boottest ARCH="$arch" >/dev/null || { stop_if_interrupted; status=1; continue; }
  stop_if_interrupted
  sh tests/boot/kernel.sh "$arch" "$BOOT_OUT/$arch" "$kernel_release" || { stop_if_interrupted; status=1; continue; }
  stop_if_interrupted
  for t in ${BOOT_TESTS:-tests/boot/t_*.sh}; do
    echo "== $t ($arch)"
    t0=$(date +%s)
    : >"$pidfile"
    run_limited "$TIME_LIMIT" 'ipresboot%s' "$pidfile" env --default-signal=INT,QUIT IPRES_ARCH="$arch" sh "$t"
    rc=$?
    : >"$pidfile"
    if [ -e "$pidfile.over" ]; then
      echo "== $t ($arch): $(($(date +%s) - t0)) s, FAILED: killed at its time limit of $TIME_LIMIT s"
      rm -f "$pidfile.over"
      status=1
    else
      [ "$rc" = 0 ] || status=1
      echo "== $t ($arch): $(($(date +%s) - t0)) s"
    fi
    stop_if_interrupted
  done
done
exit $status
