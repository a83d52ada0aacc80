#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs every namespace test (tests/integration/t_*.sh); each creates and removes
# its own namespaces. IPRES_ARCHES picks the CPUs whose binaries run (all
# but x86_64 under qemu-user); default: all five (x86_64 aarch64 armv7 mipsel
# mips; mips is big-endian). IPRES_TESTS
# names a subset (e.g. "t_ops t_races"); default: every t_*.sh.
#
# IPRES_JOBS tests run at once (default 6, for two cores: most of a test's
# time goes on waiting for timers and peers, not on a CPU). Each one's output
# is kept in a log of its own and printed whole once it and every test listed
# before it have ended, so the output reads as the tests run one after another;
# IPRES_JOBS=1 runs them so, printing as they go. The slowest tests
# (SLOW_FIRST) start first, for every CPU. Any test failing fails the run.
#
# Every test has a time limit (TIME_LIMIT below; IPRES_TIME_LIMIT=N sets all
# to N s): past it, the test is ended with all its processes and namespaces
# (tests/timelimit.sh) and fails, its output so far printed with a line
# saying so.
#
# Each test runs in a mount namespace of its own, with a tmpfs on /run/ipres
# (ipres's state directory, a fixed path): no test sees the lock files and
# records of another running beside it, nor those that earlier runs left.
set -u
cd "$(dirname "$0")/../.." || exit 1
[ "$(id -u)" = 0 ] || { echo "integration: needs root for network namespaces" >&2; exit 1; }
jobs=${IPRES_JOBS:-6}
case $jobs in
  '' | *[!0-9]* | 0)
    echo "integration: IPRES_JOBS must be a number of tests, 1 or more, not '$jobs'" >&2
    exit 2
    ;;
esac
SLOW_FIRST="t_kill t_keepalived t_nodes t_pacemaker t_conflict t_conflict6"

# Time limits, in seconds: a hang's end, not a timing assertion. Measured
# with this script's defaults on two cores (54 tests, 3 CPUs, in 202 s; the
# two MIPS CPUs' 42 tests alone take 146 s; t_nodes, their slowest, 73-108 s):
# most tests take 0-32 s, t_nodes 46-57, t_keepalived 60-62, t_pacemaker 66
# (its apt-get install of pacemaker and corosync included), t_kill 159
# (x86_64 only). TIME_LIMIT, the default, is five times the slowest of the
# ones without a limit of their own; t_kill gets about four times its own;
# t_pacemaker 15 minutes, for apt-get on a slow mirror on a fresh machine.
TIME_LIMIT=300
TIME_LIMITS="t_kill:600 t_pacemaker:900"
if [ -n "${IPRES_TIME_LIMIT:-}" ]; then
  case $IPRES_TIME_LIMIT in
    *[!0-9]* | 0*)
      echo "integration: IPRES_TIME_LIMIT must be a number of seconds, 1 or more, not '$IPRES_TIME_LIMIT'" >&2
      exit 2
      ;;
  esac
fi
# limit_of TEST: TEST's time limit in seconds.
limit_of() {
  if [ -n "${IPRES_TIME_LIMIT:-}" ]; then
    echo "$IPRES_TIME_LIMIT"
    return
  fi
  for _l in $TIME_LIMITS; do
    [ "${_l%%:*}" = "$1" ] && { echo "${_l#*:}"; return; }
  done
  echo "$TIME_LIMIT"
}
. tests/timelimit.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The tests in the order they are printed: "ARCH TEST" per line.
n=0
for arch in ${IPRES_ARCHES:-x86_64 aarch64 armv7 mipsel mips}; do
  for t in tests/integration/t_*.sh; do
    [ -e "$t" ] || continue
    if [ -n "${IPRES_TESTS:-}" ]; then
      case " $IPRES_TESTS " in *" $(basename "$t" .sh) "*) ;; *) continue ;; esac
    fi
    n=$((n + 1))
    echo "$arch $t" >"$work/$n.job"
  done
done
[ "$n" -gt 0 ] || { echo "integration: no namespace tests yet"; exit 0; }

# PRIVATE: sh -c's script running test $0 in a mount namespace with a
# /run/ipres of its own (unshare execs it).
# shellcheck disable=SC2016 # $0 is the inner shell's
PRIVATE='mkdir -p /run/ipres &&
  mount -t tmpfs -o size=16m,mode=0700 ipres-test /run/ipres && exec sh "$0"'
now() { date +%s; }

# Tests signal processes they started by pid (a restore stopped mid-step,
# a daemon powered off). With 32768 pids (the kernel's default where no
# systemd raises it) and several tests forking beside each other, a pid can
# come round again within seconds, so a late signal could hit another
# test's process; 2^22 pids, systemd's default on 64-bit, make that
# practically impossible within a run.
pid_max=$(cat /proc/sys/kernel/pid_max)
if [ "$jobs" -gt 1 ] && [ "$pid_max" -lt 4194304 ]; then
  if echo 4194304 >/proc/sys/kernel/pid_max 2>/dev/null; then
    echo "integration: kernel.pid_max raised from $pid_max to 4194304 (tests run $jobs at a time)"
  else
    echo "integration: kernel.pid_max is $pid_max and cannot be raised; a pid may be reused within a run" >&2
  fi
fi

status=0
failed=""
t_all=$(now)
# The order they start in: SLOW_FIRST's tests, then the rest as listed.
order=""
for s in $SLOW_FIRST; do
  i=1
  while [ "$i" -le "$n" ]; do
    read -r arch t <"$work/$i.job"
    [ "$(basename "$t" .sh)" = "$s" ] && order="$order $i"
    i=$((i + 1))
  done
done
i=1
while [ "$i" -le "$n" ]; do
  case " $order " in *" $i "*) ;; *) order="$order $i" ;; esac
  i=$((i + 1))
done

# start I: test I in the background under its time limit (run_limited), its
# output to I.log (with IPRES_JOBS=1, as it comes); I.rc, written when it has
# ended, holds its exit status and how long it ran, and I.pid.over is there
# when it hit its limit. The test leads a process group of its own (setsid
# execs), with SIGINT and SIGQUIT as a test run in the foreground has them (a
# background job's are ignored); nslib.sh names its namespaces after its pid.
start() {
  read -r arch t <"$work/$1.job"
  [ "$jobs" = 1 ] && echo "== $t ($arch)"
  (
    j=$1
    t0=$(now)
    limit=$(limit_of "$(basename "$t" .sh)")
    set -- "$limit" 'ipt%s-*' "$work/$j.pid" env --default-signal=INT,QUIT IPRES_ARCH="$arch" \
      unshare -m sh -c "$PRIVATE" "$t"
    if [ "$jobs" = 1 ]; then
      run_limited "$@"
    else
      run_limited "$@" >"$work/$j.log" 2>&1
    fi
    rc=$?
    echo "$rc $(($(now) - t0)) $limit" >"$work/$j.rc.tmp"
    mv "$work/$j.rc.tmp" "$work/$j.rc"
  ) &
}
# show_ended: prints the tests that have ended and are next in the list:
# their output (as it came, with IPRES_JOBS=1) and how they ended.
show_ended() {
  while [ "$shown" -le "$n" ] && [ -e "$work/$shown.rc" ]; do
    read -r arch t <"$work/$shown.job"
    read -r rc took limit <"$work/$shown.rc"
    if [ "$jobs" != 1 ]; then
      echo "== $t ($arch)"
      cat "$work/$shown.log"
    fi
    if [ -e "$work/$shown.pid.over" ]; then
      echo "-- $t ($arch): $took s, FAILED: killed at its time limit of $limit s"
      status=1
      failed="$failed $(basename "$t" .sh)($arch)"
    elif [ "$rc" = 0 ]; then
      echo "-- $t ($arch): $took s"
    else
      # 130 and above: ended by a signal (the test's trap, or 128+N).
      echo "-- $t ($arch): $took s, exit $rc"
      status=1
      failed="$failed $(basename "$t" .sh)($arch)"
    fi
    shown=$((shown + 1))
  done
}
# Interrupted: each running test's process group gets SIGINT, as from the
# terminal, and the test cleans up after itself (procps's kill: dash's
# takes no process group); a test that does not end still meets its limit.
# shellcheck disable=SC2317 # called by the trap
stop() {
  for i in $running; do
    [ -s "$work/$i.pid" ] && /bin/kill -s INT -- "-$(cat "$work/$i.pid")" 2>/dev/null
  done
  wait
  show_ended
  echo "integration: interrupted"
  exit 130
}
trap 'stop' INT TERM

running=""
shown=1
while [ "$shown" -le "$n" ]; do
  still=""
  for i in $running; do [ -e "$work/$i.rc" ] || still="$still $i"; done
  running=$still
  show_ended
  # shellcheck disable=SC2086 # word lists of numbers
  set -- $running
  busy=$#
  # shellcheck disable=SC2086
  set -- $order
  while [ "$busy" -lt "$jobs" ] && [ $# -gt 0 ]; do
    start "$1"
    running="$running $1"
    busy=$((busy + 1))
    shift
  done
  order="$*"
  show_ended
  [ "$shown" -le "$n" ] && sleep 0.2
done
trap - INT TERM
echo "integration: $n tests in $(($(now) - t_all)) s, $jobs at a time; failed:${failed:- none}"
exit $status
