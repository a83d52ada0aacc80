#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The four operations against the real kernel: two appliance nodes (a, b), a
# client and an intruder on one bridge, every branch the kernel can produce.
# What happened is read with iproute2 and iputils, never with ipres itself.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh

lan_hosts a b client intruder || exit 1
ns_tmp

# --- restore, quickCheck, status, remove ------------------------------------
expect "restore vip on a" 0 a restore vip
check "a holds 192.0.2.100/24 on eth0" holds a 192.0.2.100
check_out "the client reaches it (iputils ping)" ' 0% packet loss' \
  in_ns client ping -c1 -W1 192.0.2.100
check_out "the client's neighbour entry holds a's MAC" "192.0.2.100 .*lladdr $(mac_of a)" \
  ip -n "$(ns client)" neigh show 192.0.2.100
check_text "restore logged its steps with the tag" '^vip: restore' "$(cat "$tmp/err")"
expect "quickCheck passes" 0 a quickCheck vip
expect "quickcheck (lower case) passes" 0 a quickcheck vip
expect "status: held" 0 a status vip
expect "second restore passes through pre-confirmation" 0 a restore vip
check "still exactly one address" holds a 192.0.2.100
expect "remove" 0 a remove vip
check "the address is gone" lacks a 192.0.2.100
check "the physical address stayed" holds a 192.0.2.2
expect "second remove finds nothing to do" 0 a remove vip
expect "status: not held" 3 a status vip
expect "quickCheck without the address fails" 1 a quickCheck vip

# --- unknown input ------------------------------------------------------------
expect "unknown tag" 2 a restore nosuch
expect "unknown operation" 2 a frobnicate vip

# --- physical and Disable ---------------------------------------------------------
expect "restore of a physical address: success, nothing done" 0 a restore phys
expect "remove of a physical address: success, nothing done" 0 a remove phys
check "the physical address is untouched" holds a 192.0.2.2
expect "recover of a physical address fails" 1 a recover phys
expect "restore with Restore and Recover disabled: success" 0 a restore vip-off
check "... and nothing added" lacks a 192.0.2.104
expect "quickCheck with Restore and Recover disabled: success" 0 a quickCheck vip-off

# --- duplicate check ------------------------------------------------------------------
ip -n "$(ns intruder)" addr add 192.0.2.100/24 dev eth0
expect "restore while the intruder holds the address fails" 1 a restore vip
check "a did not add it" lacks a 192.0.2.100
check_text "the error says the address is in use" 'in use|duplicate|already' "$(cat "$tmp/err")"
in_ns intruder sysctl -qw net.ipv4.icmp_echo_ignore_all=1
expect "an intruder that drops ICMP is still found (ARP)" 1 a restore vip
check "a did not add it" lacks a 192.0.2.100
in_ns intruder sysctl -qw net.ipv4.icmp_echo_ignore_all=0
ip -n "$(ns intruder)" addr del 192.0.2.100/24 dev eth0
expect "NOIPUNIQUE=1 skips the check" 0 a restore vip-nocheck
expect "remove it" 0 a remove vip-nocheck

# --- link ---------------------------------------------------------------------------
ip -n "$(ns br)" link set p-a down
expect "restore without carrier fails after one bounce" 1 a restore vip
check "no address added" lacks a 192.0.2.100
check_text "the error names the device" 'eth0' "$(cat "$tmp/err")"
(sleep 0.8; ip -n "$(ns br)" link set p-a up) &
expect "restore succeeds when carrier returns within IP_MAX_LINKCHK" 0 a restore vip
wait
check "a holds it" holds a 192.0.2.100
ip -n "$(ns br)" link set p-a down
expect "quickCheck without carrier fails" 1 a quickCheck vip
ip -n "$(ns br)" link set p-a up
wait_for 5 sh -c "ip -n $(ns a) link show eth0 | grep -q LOWER_UP"
expect "remove" 0 a remove vip
ip -n "$(ns a)" link set eth0 down
expect "restore brings an administratively down device up" 0 a restore vip
check_out "eth0 is up again" '<.*,UP' ip -n "$(ns a)" link show eth0
check "a holds it" holds a 192.0.2.100
expect "remove" 0 a remove vip

# --- connectivity check ---------------------------------------------------------
expect "dead PingList, NOBCASTPING=1: restore fails" 1 a restore vip-deadping
check "... and leaves no address" lacks a 192.0.2.105
for n in b client intruder; do in_ns "$n" sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=1; done
expect "peers ignore broadcast ping: broadcast-only restore fails" 1 a restore vip-bcast
check "... and leaves no address" lacks a 192.0.2.101
expect "dead PingList, broadcast fallback ignored: fails" 1 a restore vip-fallback
in_ns client sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
expect "a peer answers broadcast: broadcast-only restore passes" 0 a restore vip-bcast
check "a holds 192.0.2.101" holds a 192.0.2.101
expect "dead PingList, broadcast answered: passes" 0 a restore vip-fallback
expect "remove vip-bcast" 0 a remove vip-bcast
expect "remove vip-fallback" 0 a remove vip-fallback
expect "no PingList and NOBCASTPING=1: no check, passes" 0 a restore vip-nocheck
expect "remove vip-nocheck" 0 a remove vip-nocheck

# --- quickCheck's own timeout -------------------------------------------------------
ip -n "$(ns a)" addr add 192.0.2.107/24 dev eth0
start=$(date +%s%N)
expect "quickCheck running out of IP_QUICKCHECK_TIMEOUT fails" 1 a quickCheck vip-slowcheck
elapsed=$((($(date +%s%N) - start) / 1000000))
check_text "... and says it timed out" 'time' "$(cat "$tmp/err")"
check "... well before its ping tries would end (${elapsed} ms; tries take 5 s)" \
  test "$elapsed" -lt 4000
ip -n "$(ns a)" addr del 192.0.2.107/24 dev eth0

# --- address deleted behind ipres' back, recover ------------------------------------
expect "restore vip" 0 a restore vip
ip -n "$(ns a)" addr del 192.0.2.100/24 dev eth0
expect "quickCheck notices the deleted address" 1 a quickCheck vip
expect "recover brings it back" 0 a recover vip
check "a holds it again" holds a 192.0.2.100
expect "remove" 0 a remove vip

# --- Source Address Setting -------------------------------------------------------
expect "restore vip-src" 0 a restore vip-src
check_out "ip route: the subnet route's src is the address" \
  '192.0.2.0/24 .*src 192.0.2.102' ip -n "$(ns a)" -4 route show 192.0.2.0/24
expect "remove vip-src" 0 a remove vip-src
check_out "ip route: src back to the physical address" \
  '192.0.2.0/24 .*src 192.0.2.2( |$)' ip -n "$(ns a)" -4 route show 192.0.2.0/24
check "the address is gone" lacks a 192.0.2.102
expect "restore vip-src again" 0 a restore vip-src
ip -n "$(ns a)" addr del 192.0.2.102/24 dev eth0  # the kernel drops the subnet route with it
expect "recover after the address and its route were deleted by hand" 0 a recover vip-src
check_out "ip route: the subnet route is back with src 192.0.2.102" \
  '192.0.2.0/24 .*src 192.0.2.102' ip -n "$(ns a)" -4 route show 192.0.2.0/24
expect "remove vip-src" 0 a remove vip-src

# --- concurrency ----------------------------------------------------------------------
restores_at_once a vip 8
check "8 concurrent restores all succeed ($waited ended within 60 s, $fails failed; exit statuses:$codes)" \
  test "$waited" = 8 -a "$fails" = 0
check "exactly one of them added the address" \
  test "$(cat "$tmp"/c* | grep -c 'add 192.0.2.100/24 on eth0: done')" = 1
check "exactly one address after 8 concurrent restores" holds a 192.0.2.100
expect "remove" 0 a remove vip

# --- failover a -> b --------------------------------------------------------------
expect "restore on a" 0 a restore vip
check_out "client pings the address on a" ' 0% packet loss' in_ns client ping -c1 -W1 192.0.2.100
check_out "client's entry holds a's MAC" "lladdr $(mac_of a)" ip -n "$(ns client)" neigh show 192.0.2.100
expect "remove on a" 0 a remove vip
expect "restore on b" 0 b restore vip
check_out "right after b's restore the client's entry holds b's MAC" "lladdr $(mac_of b)" \
  ip -n "$(ns client)" neigh show 192.0.2.100
check_out "client pings the address on b" ' 0% packet loss' in_ns client ping -c1 -W1 192.0.2.100
check "only b holds it" sh -c "[ \$(ip -n $(ns a) -4 -o addr show | grep -c ' 192.0.2.100/') = 0 ]"
expect "remove on b" 0 b remove vip

summary "operations ($IPRES_ARCH)"
