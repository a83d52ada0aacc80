#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The engine's last word (contract.md, "Crashes and local state": the word
# outlives the operation that carries it; "Cluster engines": the last word
# wins, for every resource):
# - a restore SIGKILLed while it waits for the tag's lock (held with
#   flock(1)), and one SIGKILLed right after taking it: the monitor, told by
#   the word itself, puts the address in service within a second;
# - a remove SIGKILLed before it took the address down: the monitor takes it
#   down within a second;
# - a remove and a restore racing, in either order of words and either order
#   of taking the lock: the later word's outcome, and the earlier operation
#   says it was superseded and exits 0;
# - a restore launched before a remove that gets going first (and the other
#   way round): the later-launched operation's outcome;
# - an AUTOSTART=1 resource removed by hand: the monitor leaves it absent,
#   across a carrier loss that makes it check.
# Times are measured and printed; the 1 s bound is the contract's.
#
# $IPRES_QEMU is empty or qemu-user's binary.
# shellcheck disable=SC2086
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh

lan_hosts a client || exit 1
in_ns client sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0 # vip-bcast's check

monitor=""
holder=""
# shellcheck disable=SC2016 # the exit trap expands them
ns_tmp_with 'touch "$tmp/release"; [ -z "$monitor" ] || kill "$monitor"; wait'
now_ms() { echo $(($(date +%s%N) / 1000000)); }
has() { holds a "$1"; }
hasnt() { lacks a "$1"; }
# word TAG: the tag's word record as ipres wrote it ("restore GEN PID LAUNCHED", "remove ...").
word() { cat /run/ipres/"$1"@*.wanted 2>/dev/null; }
word_is() { word "$1" | grep -q "^$2 "; }
# new_word TAG KIND OLD: TAG's word is KIND, and not OLD (another operation's).
new_word() { [ "$(word "$1")" != "$3" ] && word_is "$1" "$2"; }
# killed_by_strace SYSCALL N TAG OP: ipres OP TAG, SIGKILLed as it enters
# its Nth SYSCALL (counted on the host: qemu-user passes them through).
killed_by_strace() {
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    in_ns a strace -f -qq -o /dev/null -e trace="$1" -e inject="$1":signal=SIGKILL:when="$2" \
    $IPRES_QEMU "$IPRES_BIN" "$4" "$3" >"$tmp/killed.err" 2>&1
}
# delayed_by_strace MS TAG OP: ipres OP TAG, whose third flock (the tag's
# lock; the first two are its word's turn) starts MS later.
delayed_by_strace() {
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    in_ns a strace -f -qq -o /dev/null -e trace=flock \
    -e inject=flock:delay_enter=$(($1 * 1000)):when=3 $IPRES_QEMU "$IPRES_BIN" "$3" "$2"
}
# hold_lock TAG: another operation holds TAG's lock (flock(1)) until
# release_lock (or the test's end) makes the release file.
hold_lock() {
  rm -f "$tmp/held" "$tmp/release"
  flock -x /run/ipres/"$1"@*.lock -c "touch '$tmp/held'
    until [ -e '$tmp/release' ]; do sleep 0.02; done" &
  holder=$!
  wait_for 5 test -e "$tmp/held"
}
release_lock() {
  touch "$tmp/release"
  wait "$holder"
  holder=""
}
# within_1s DESCRIPTION START CMD...: CMD holds within a second of START
# (looked at every 50 ms for up to 10 s); the time it took is in the result.
within_1s() {
  _desc=$1 _start=$2
  shift 2
  wait_for 10 "$@"
  _rc=$?
  _took=$(($(now_ms) - _start))
  check "$_desc within 1 s (took $_took ms)" test "$_rc" = 0 -a "$_took" -le 1000
  echo "# $_desc: $_took ms"
}

# The lock file and a first word: the engine's remove.
ipres_in a remove vip-bcast >/dev/null 2>&1 || not_ok "a first remove of vip-bcast failed"
(ipres_exec a monitor vip vip-bcast >"$tmp/monitor.err" 2>&1) &
monitor=$!
check "the monitor watches vip-bcast" wait_for 10 grep -q 'vip-bcast: monitor: watching' \
  "$tmp/monitor.err"
check "... and leaves it alone: the last word is remove" stays 1 hasnt 192.0.2.101

# --- a restore killed while it waits for the lock --------------------------------------
hold_lock vip-bcast
(ipres_exec a restore vip-bcast >"$tmp/restore.err" 2>&1) &
restore=$!
check "a restore waiting for the lock has recorded its word" wait_for 10 word_is vip-bcast restore
sleep 0.3
kill -9 "$restore"
wait "$restore"
check "... SIGKILLed there" test "$?" = 137
check_text "... the monitor heard the word at once (and waits for its restore to end)" \
  'vip-bcast: monitor: new word: restore \(process [0-9]+\): checking once it ends' "$(cat "$tmp/monitor.err")"
check "... and nothing is added while the lock is held" hasnt 192.0.2.101
start=$(now_ms)
release_lock
within_1s "the lock let go: the monitor put 192.0.2.101 in service" "$start" has 192.0.2.101
check "... and it answers the client" in_ns client ping -c1 -W1 192.0.2.101

# --- a restore killed right after taking the lock --------------------------------------
ipres_in a remove vip-bcast >/dev/null 2>&1
check "removed again, and the monitor leaves it so" stays 1 hasnt 192.0.2.101
# Its second rename is the lock holder's record, the first thing it writes
# once it holds the lock (its first, the word).
killed_by_strace renameat,renameat2 2 vip-bcast restore
rc=$?
start=$(now_ms)
check "a restore SIGKILLed right after it took the lock (exit $rc)" test "$rc" = 137
within_1s "... the monitor put 192.0.2.101 in service after it died" "$start" has 192.0.2.101

# --- a remove killed before it took the address down -----------------------------------
# Its third flock is the tag's lock (the first two, its word's turn).
killed_by_strace flock 3 vip-bcast remove
rc=$?
start=$(now_ms)
check "a remove SIGKILLed as it asked for the lock (exit $rc)" test "$rc" = 137
check "... its word is recorded" word_is vip-bcast remove
within_1s "... the monitor took 192.0.2.101 down after it died" "$start" hasnt 192.0.2.101
check_text "... saying why" 'vip-bcast: monitor: the last word is remove and 192.0.2.101 is still on eth0' \
  "$(cat "$tmp/monitor.err")"
check "... and leaves it absent" stays 2 hasnt 192.0.2.101
stop_pid "$monitor"
monitor=""

# --- a remove and a restore racing -----------------------------------------------------
# race FIRST SECOND ORDER: FIRST speaks, then SECOND; ORDER "first-locks-first"
# (FIRST waits for a held lock, SECOND's lock is delayed 1 s) or
# "second-locks-first" (FIRST's lock is delayed 1.5 s). The later word's
# outcome, and FIRST says it was superseded.
race() {
  old=$(word vip-bcast)
  if [ "$3" = first-locks-first ]; then
    hold_lock vip-bcast
    ipres_in a "$1" vip-bcast >"$tmp/first.err" 2>&1 &
    first=$!
    wait_for 10 new_word vip-bcast "$1" "$old"
    old=$(word vip-bcast)
    delayed_by_strace 1000 vip-bcast "$2" >"$tmp/second.err" 2>&1 &
    second=$!
    wait_for 10 new_word vip-bcast "$2" "$old"
    release_lock
  else
    delayed_by_strace 1500 vip-bcast "$1" >"$tmp/first.err" 2>&1 &
    first=$!
    wait_for 10 new_word vip-bcast "$1" "$old"
    ipres_in a "$2" vip-bcast >"$tmp/second.err" 2>&1 &
    second=$!
  fi
  wait "$first"
  first_rc=$?
  wait "$second"
  second_rc=$?
  check "$1 then $2, $3: both exit 0 ($first_rc, $second_rc)" test "$first_rc$second_rc" = 00
  check_text "... the $1 says the $2 superseded it" \
    "vip-bcast: $1: superseded by a later $2: leaving 192\.0\.2\.101 to it" "$(cat "$tmp/first.err")"
}
for order in first-locks-first second-locks-first; do
  ipres_in a remove vip-bcast >/dev/null 2>&1
  race remove restore "$order"
  check "... 192.0.2.101 ends in service" has 192.0.2.101
  race restore remove "$order"
  check "... 192.0.2.101 ends absent" hasnt 192.0.2.101
done

# --- launched in one order, going in the other ------------------------------------------
# An engine that launches a restore and then a remove (keepalived's
# notify_master, then notify_stop) may see the remove get going first. Here
# FIRST's process is launched, then waits until SECOND (launched 0.2 s
# after it) has recorded its word before it becomes ipres (exec keeps its
# pid and start time). The engine's order wins: SECOND's outcome, and FIRST
# says SECOND, launched after it, superseded it.
launched_late() { # launched_late OP OLD_WORD
  in_ns a sh -c "i=0; while [ \"\$(cat /run/ipres/vip-bcast@*.wanted 2>/dev/null)\" = '$2' ] &&
    [ \$i -lt 400 ]; do sleep 0.05; i=\$((i + 1)); done; exec $IPRES_QEMU $IPRES_BIN $1 vip-bcast"
}
for pair in "restore remove" "remove restore"; do
  set -- $pair
  if [ "$1" = restore ]; then ipres_in a remove vip-bcast; else ipres_in a restore vip-bcast; fi >/dev/null 2>&1
  launched_late "$1" "$(word vip-bcast)" >"$tmp/first.err" 2>&1 &
  first=$!
  sleep 0.2
  ipres_in a "$2" vip-bcast >"$tmp/second.err" 2>&1
  second_rc=$?
  wait "$first"
  first_rc=$?
  check "$1 launched, then $2, which gets going first: both exit 0 ($first_rc, $second_rc)" \
    test "$first_rc$second_rc" = 00
  check_text "... the $1 says the $2, launched after it, superseded it" \
    "vip-bcast: $1: superseded by a $2 launched after this $1: leaving 192\.0\.2\.101 to it" \
    "$(cat "$tmp/first.err")"
  check "... its word is the $2's" word_is vip-bcast "$2"
  if [ "$2" = remove ]; then
    check "... 192.0.2.101 ends absent" hasnt 192.0.2.101
  else
    check "... 192.0.2.101 ends in service" has 192.0.2.101
  fi
done

# --- an AUTOSTART=1 resource removed by hand -------------------------------------------
ipres_in a restore vip >/dev/null 2>&1 || not_ok "restore vip failed"
(ipres_exec a monitor vip >"$tmp/monitor.err" 2>&1) &
monitor=$!
wait_for 10 grep -q 'vip: monitor: watching' "$tmp/monitor.err"
ipres_in a remove vip >/dev/null 2>&1
check "AUTOSTART=1 vip removed by hand: the monitor leaves it absent (3 s)" stays 3 hasnt 192.0.2.100
ip -n "$(ns a)" link set eth0 down
ip -n "$(ns a)" link set eth0 up
check "... across a carrier loss that makes it check" wait_for 10 grep -q 'vip: monitor: eth0 is down' \
  "$tmp/monitor.err"
check "... still absent (2 s)" stays 2 hasnt 192.0.2.100
check_no_out "... and never added it back" 'add 192\.0\.2\.100/24' cat "$tmp/monitor.err"
ipres_in a restore vip >/dev/null 2>&1
ip -n "$(ns a)" addr del 192.0.2.100/24 dev eth0
check "restored by hand, deleted behind its back: the monitor puts it back" \
  wait_for 10 has 192.0.2.100
stop_pid "$monitor"
monitor=""

summary "word ($IPRES_ARCH)"
