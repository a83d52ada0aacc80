#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Faults against the real kernel, and least privilege. Carrier lost, the
# address deleted, the device deleted in the middle of an operation; another
# process adding the address between the duplicate check and the add; a peer
# that answers ARP but drops ICMP; /run read-only; SIGTERM at every point of a
# restore; ipres without its capabilities. What happened is read with
# iproute2 and /proc, never with ipres itself.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh

lan_hosts a client d || exit 1
# vip-fallback's PINGLIST (192.0.2.99) never answers; the client answers its
# broadcast: a restore that spends IP_PINGTIME with the address added.
in_ns client sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0

ns_tmp

# start NODE ARGS...: ipres in the background as a direct child, so $! is
# its pid (ip netns exec execs it in place); stderr in $tmp/bg.err.
start() {
  on=$1
  shift
  : >"$tmp/bg.err" # a signal may beat the child's own redirection
  # shellcheck disable=SC2086
  ip netns exec "$(ns "$on")" $IPRES_QEMU "$IPRES_BIN" "$@" >/dev/null 2>"$tmp/bg.err" &
  bg=$!
}
finish() { wait "$bg"; }
# execed: the background child is ipres now (or has already ended).
execed() {
  e=$(readlink "/proc/$bg/exe" 2>/dev/null) || return 0
  case ${e##*/} in dash | sh | bash | ip) return 1 ;; esac
  return 0
}
# in_window: returns once the background operation has passed its link check
# and entered the window that follows (duplicate check or first ping: 0.5 s).
in_window() {
  wait_for 10 grep -q 'link check: eth0 up' "$tmp/bg.err"
  sleep 0.1
}
# in_ping_window: returns once the background quickCheck has its ICMP
# socket open: its connectivity check's first window (a passing check logs
# no step line to wait for; it is quiet).
in_ping_window() {
  wait_for 10 sh -c "ss -N '$(ns a)' -wap | grep -q 'pid=$bg,'" ||
    not_ok "the background quickCheck opened no ICMP socket within 10 s"
  sleep 0.1
}
carrier_back() {
  ip -n "$(ns br)" link set p-a up
  wait_for 5 sh -c "ip -n $(ns a) link show eth0 | grep -q LOWER_UP"
}
ms() { echo $(($(date +%s%N) / 1000000)); }
sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }

# --- least privilege ---------------------------------------------------------------
# Root's capabilities after exec are its bounding set: setpriv takes one away.
without() { # CAP ARGS...: ipres in a without CAP
  cap=$1
  shift
  # shellcheck disable=SC2086
  in_ns a setpriv --bounding-set="-$cap" $IPRES_QEMU "$IPRES_BIN" "$@" >"$tmp/out" 2>"$tmp/err"
}
as_nobody() {
  # shellcheck disable=SC2086
  in_ns a setpriv --reuid=65534 --regid=65534 --clear-groups $IPRES_QEMU "$@" >"$tmp/out" 2>"$tmp/err"
}
check_exit "restore without CAP_NET_ADMIN fails" 1 without net_admin restore vip
check_text "... naming CAP_NET_ADMIN" 'vip: restore: missing capability CAP_NET_ADMIN' "$(cat "$tmp/err")"
check "... and adds nothing" lacks a 192.0.2.100
check_exit "restore without CAP_NET_RAW fails" 1 without net_raw restore vip
check_text "... naming CAP_NET_RAW" 'missing capability CAP_NET_RAW' "$(cat "$tmp/err")"
check_exit "quickCheck without CAP_NET_RAW fails" 1 without net_raw quickCheck vip
check_exit "status as nobody needs no privilege: not held" 3 as_nobody "$IPRES_BIN" status vip
check_exit "ready as nobody fails" 1 as_nobody "$IPRES_BIN" ready vip
check_text "... naming both" 'missing capability CAP_NET_ADMIN and CAP_NET_RAW' "$(cat "$tmp/err")"
check_exit "--help needs no capability" 0 as_nobody "$IPRES_BIN" --help
check_exit "--version needs none" 0 as_nobody "$IPRES_BIN" --version
check_exit "list needs none" 0 as_nobody "$IPRES_BIN" list
check_exit "an unknown tag is still a usage error" 2 as_nobody "$IPRES_BIN" restore nosuch
check_exit "lkping without CAP_NET_RAW: exit 2" 2 without net_raw lkping -c1 -W1 192.0.2.10
check_text "... naming CAP_NET_RAW" 'lkping: missing capability CAP_NET_RAW' "$(cat "$tmp/err")"
check_exit "lkping needs no CAP_NET_ADMIN" 0 without net_admin lkping -c1 -W1 192.0.2.10
check_exit "lkping -h as nobody" 0 as_nobody "$(dirname "$IPRES_BIN")/lkping" -h
# Before touching anything: not even the lock directory.
in_ns a unshare -m sh -c 'mount -t tmpfs none /run && shift && "$@"; echo "rc=$?"; ls -A /run' \
  sh x setpriv --bounding-set=-net_raw $IPRES_QEMU "$IPRES_BIN" restore vip >"$tmp/out" 2>&1
check_text "without a capability /run stays empty" '^rc=1$' "$(cat "$tmp/out")"
check "... (nothing listed after the exit status)" test "$(tail -n 1 "$tmp/out")" = "rc=1"
in_ns a unshare -m sh -c 'mount -t tmpfs none /run && shift && "$@"; echo "rc=$?"; ls -A /run' \
  sh x $IPRES_QEMU "$IPRES_BIN" remove vip >"$tmp/out" 2>&1
check_text "with them, the same run makes /run/ipres (the check above can fail)" '^ipres$' \
  "$(cat "$tmp/out")"
# While an operation runs: exactly the two capabilities, and no_new_privs.
ip -n "$(ns a)" link set eth0 down
start a restore vip
status=""
end=$(($(ms) + 5000))
while [ -z "$status" ] && [ "$(ms)" -lt "$end" ]; do
  for p in $(ip netns pids "$(ns a)"); do
    grep -q '^NoNewPrivs:.*1' "/proc/$p/status" 2>/dev/null && status=$(cat "/proc/$p/status")
  done
  sleep 0.02
done
finish
check_text "a running restore has CAP_NET_ADMIN and CAP_NET_RAW in effect, nothing else" \
  '^CapEff:[[:space:]]+0000000000003000$' "$status"
check_text "... permitted the same" '^CapPrm:[[:space:]]+0000000000003000$' "$status"
check_text "... nothing inheritable" '^CapInh:[[:space:]]+0000000000000000$' "$status"
check_text "... nothing ambient" '^CapAmb:[[:space:]]+0000000000000000$' "$status"
check_text "... and no_new_privs" '^NoNewPrivs:[[:space:]]+1$' "$status"
expect "remove" 0 a remove vip

# --- /run not writable ----------------------------------------------------------------
ro_run() { # ARGS...: ipres in a with a read-only /run
  # shellcheck disable=SC2086
  in_ns a unshare -m sh -c 'mount -t tmpfs -o ro none /run && shift && exec "$@"' \
    sh x $IPRES_QEMU "$IPRES_BIN" "$@" >"$tmp/out" 2>"$tmp/err"
}
check_exit "restore with /run read-only fails" 1 ro_run restore vip
check_text "... saying why, with the path (its word comes first)" \
  'record that vip is wanted here: failed: create /run/ipres: Read-only file system' "$(cat "$tmp/err")"
check "... and adds nothing" lacks a 192.0.2.100
expect "restore" 0 a restore vip
check_exit "quickCheck takes no lock: passes with /run read-only" 0 ro_run quickCheck vip
check_exit "remove with /run read-only fails" 1 ro_run remove vip
check "... and leaves the address as it was" holds a 192.0.2.100
expect "remove" 0 a remove vip

# --- carrier lost in the middle of restore ------------------------------------------
start a restore vip-fallback
wait_for 5 holds a 192.0.2.106
ip -n "$(ns br)" link set p-a down
finish
got=$?
check "carrier lost after the add: restore fails (exit $got)" test "$got" = 1
check_text "... at the connectivity check" 'connectivity check' "$(cat "$tmp/bg.err")"
check "... and takes the address away" lacks a 192.0.2.106
carrier_back

# --- a peer that answers ARP but drops ICMP ------------------------------------------
in_ns client sysctl -qw net.ipv4.icmp_echo_ignore_all=1
ip -n "$(ns a)" neigh flush dev eth0
expect "PINGLIST peer drops ICMP: restore fails" 1 a restore vip
check "... and leaves no address" lacks a 192.0.2.100
check_out "... though the peer answered ARP" "192.0.2.10 .*lladdr $(mac_of client)" \
  ip -n "$(ns a)" neigh show 192.0.2.10
in_ns client sysctl -qw net.ipv4.icmp_echo_ignore_all=0

# --- the address deleted during quickCheck --------------------------------------------
expect "restore vip-fallback" 0 a restore vip-fallback
start a quickCheck vip-fallback
in_ping_window # the first, unanswered one
ip -n "$(ns a)" addr del 192.0.2.106/24 dev eth0
finish
got=$?
check "address deleted during quickCheck: it fails (exit $got)" test "$got" = 1
check "... and puts nothing back" lacks a 192.0.2.106

# --- another process adds the address between the check and the add ------------------
start a restore vip
in_window
ip -n "$(ns a)" addr add 192.0.2.100/24 dev eth0
finish
got=$?
check "address added during the duplicate check: restore goes on (exit $got)" test "$got" = 0
check_text "... and says so" 'already there \(added meanwhile\)' "$(cat "$tmp/bg.err")"
check "... exactly one address" holds a 192.0.2.100
expect "remove" 0 a remove vip

# --- the device deleted mid-operation --------------------------------------------------
start d restore vip
in_window
ip -n "$(ns d)" link del eth0
finish
got=$?
check "device deleted during restore: it fails (exit $got)" test "$got" = 1
check_text "... naming the device" 'eth0' "$(cat "$tmp/bg.err")"
check "... and nothing is left" lacks d 192.0.2.100
expect "remove with the device gone: nothing to do" 0 d remove vip
expect "quickCheck with the device gone fails" 1 d quickCheck vip
expect "status with the device gone: not held" 3 d status vip
ip -n "$(ns d)" link add eth0 type veth peer name p-d2 netns "$(ns br)"
ip -n "$(ns br)" link set p-d2 master br0 up
ip -n "$(ns d)" link set eth0 up
ip -n "$(ns d)" addr add 192.0.2.4/24 dev eth0
start d restore vip-fallback
wait_for 5 holds d 192.0.2.106
ip -n "$(ns d)" link del eth0
finish
got=$?
check "device deleted after the add: restore fails (exit $got)" test "$got" = 1
check_text "... and its rollback finds the address gone with it" 'already gone \(no such device\)' \
  "$(cat "$tmp/bg.err")"

# --- SIGTERM at every point of a restore --------------------------------------------
# A restore ended by SIGTERM leaves the address absent (contract.md). The
# sweep sends it after N ms for N across a whole restore: link check,
# duplicate check, add, announcements, connectivity check (or, with eth0
# down first, the bounce). A signal before main() has installed its handler
# kills the process outright: allowed only when nothing had been logged yet.
sweep() { # RESOURCE ADDRESS STEPS [down]
  res=$1
  addr=$2
  steps=$3
  ipres_in a remove "$res" >/dev/null 2>&1
  [ "${4:-}" = down ] && ip -n "$(ns a)" link set eth0 down
  t0=$(ms)
  ipres_in a restore "$res" >/dev/null 2>&1 || not_ok "sweep $res: the unsignalled restore failed"
  span=$(($(ms) - t0))
  ipres_in a remove "$res" >/dev/null 2>&1
  stopped=0
  after_add=0
  finished=0
  i=0
  while [ "$i" -le "$steps" ]; do
    n=$((span * i / steps))
    [ "${4:-}" = down ] && ip -n "$(ns a)" link set eth0 down
    start a restore "$res"
    # Until the exec, the child is still this shell, whose TERM trap
    # would swallow the signal; N counts from ipres's start.
    while ! execed; do :; done
    sleep_ms "$n"
    kill -TERM "$bg" 2>/dev/null
    finish
    rc=$?
    if [ "$rc" = 0 ] && holds a "$addr" && grep -q 'answered' "$tmp/bg.err"; then
      # The restore had passed its last step when the signal came (or
      # had ended): not ended by it, the address is in service.
      finished=$((finished + 1))
      ipres_in a remove "$res" >/dev/null 2>&1
    elif [ "$rc" = 1 ] && lacks a "$addr"; then
      stopped=$((stopped + 1))
      grep -q "add $addr/24 on eth0: done" "$tmp/bg.err" && after_add=$((after_add + 1))
    elif [ "$rc" = 143 ] && [ ! -s "$tmp/bg.err" ] && lacks a "$addr"; then
      stopped=$((stopped + 1))
    else
      not_ok "SIGTERM after $n ms of $res: exit $rc, address count $(count_addr a "$addr"); $(tail -n 3 "$tmp/bg.err")"
      ipres_in a remove "$res" >/dev/null 2>&1
    fi
    # A device the restore took down is up again, whenever the signal came.
    if grep -q 'taking it down and up once' "$tmp/bg.err" &&
      ! ip -n "$(ns a)" link show eth0 | grep -q '<.*,UP'; then
      not_ok "SIGTERM after $n ms of $res left eth0 down"
    fi
    i=$((i + 1))
  done
  check "SIGTERM across $res ($span ms${4:+, eth0 down first}): $stopped stopped with the address absent, $after_add of them after the add, $finished past the last step first" \
    test "$stopped" -ge $((steps / 2)) -a "$after_add" -ge 1
}
sweep vip-fallback 192.0.2.106 12
sweep vip-fallback 192.0.2.106 6 down

summary "faults ($IPRES_ARCH)"
