#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# lkping for IPv6 beside iputils ping -6 in the same namespace, on the same
# targets (`ping -6` conventions): unicast, -I with an address or a device,
# all-nodes ff02::1 with this node's own replies excluded (-z), what crossed
# the wire read with tcpdump on the bridge port. Node a is 2001:db8::1 (and
# 2001:db8::100), b 2001:db8::10, c 2001:db8::11. Hostile replies are
# t_lkping.sh's (IPv4) and t_ndp.sh's (NDP).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh

ns_tmp

lan_up
host_up6 a 2001:db8::1/64
host_up6 b 2001:db8::10/64
host_up6 c 2001:db8::11/64
# Deprecated (preferred_lft 0): never the kernel's choice of source, so only
# -I 2001:db8::100 sends from it.
ip -n "$(ns a)" -6 addr add 2001:db8::100/64 dev eth0 nodad preferred_lft 0
wait_for 10 in_ns a ping -6 -c1 -W1 2001:db8::10
wait_for 10 in_ns a ping -6 -c1 -W1 2001:db8::11
# link_local NODE: NODE's fe80:: address on eth0.
link_local() {
  ip -n "$(ns "$1")" -6 -o addr show dev eth0 scope link | sed -n 's/.* inet6 \([^/]*\)\/.*/\1/p'
}
LL_A=$(link_local a)
LL_B=$(link_local b)
LL_C=$(link_local c)

PING="ping -6"
. tests/integration/lkping_lib.sh

in_ns br tcpdump --immediate-mode -i p-a -l -n icmp6 >"$tmp/dump" 2>"$tmp/dump.err" &
wait_for 10 grep -q listening "$tmp/dump.err" || not_ok "tcpdump did not start"

# ---- unicast ------------------------------------------------------------------
mark
both "reachable peer 2001:db8::10" 0 -c 1 -w 1 2001:db8::10
same_output reachable
check "reachable: reply line" \
  grep -qE '^64 bytes from 2001:db8::10: icmp_seq=1 ttl=64 time=[0-9]+(\.[0-9]+)? ms$' "$tmp/lk"
check "reachable: summary" \
  grep -qE '^1 packets transmitted, 1 received, 0% packet loss, time [0-9]+ms$' "$tmp/lk"
check "reachable: an ICMPv6 echo request crossed the wire (tcpdump)" \
  wire '2001:db8::1 > 2001:db8::10: ICMP6, echo request'
lkping_in b -c 1 -w 1 2001:db8::1 >"$tmp/lk" 2>&1
check "lkping 2001:db8::1 from b: exit 0 with a reply line" grep -q '^64 bytes from 2001:db8::1: ' "$tmp/lk"
both "three echoes at 0.2 s" 0 -c 3 -i 0.2 -w 3 2001:db8::11
check "three echoes: 3 transmitted, 3 received" grep -q '^3 packets transmitted, 3 received, 0%' "$tmp/lk"
both "unreachable address on the LAN" 1 -c 1 -w 1 2001:db8::99
check "unreachable: no reply line" no_reply_line

# ---- source address and device --------------------------------------------------
mark
both "-I 2001:db8::100 (a second address of a)" 0 -c 1 -w 1 -I 2001:db8::100 2001:db8::10
check "-I ADDR: the echo left from 2001:db8::100 (tcpdump)" \
  wire '2001:db8::100 > 2001:db8::10: ICMP6, echo request'
check "-I ADDR: the reply went back to it (tcpdump)" \
  wire '2001:db8::10 > 2001:db8::100: ICMP6, echo reply'
both "-I eth0" 0 -c 1 -w 1 -I eth0 2001:db8::10
both "-I 2001:db8::99: not an address of a" 2 -c 1 -w 1 -I 2001:db8::99 2001:db8::10
both "off-link destination with no route" 2 -c 1 -w 1 2001:db8:1::7

# ---- all-nodes ff02::1 ------------------------------------------------------------
# a answers its own echo to ff02::1 (multicast loopback), from its link-local
# address as b and c do: -z drops the ones named.
mark
both "-I eth0 ff02::1: the LAN answers" 0 -c 2 -i 0.3 -w 2 -I eth0 ff02::1
check "ff02::1: the echo went out on eth0 (tcpdump)" wire "$LL_A > ff02::1: ICMP6, echo request"
lk_exit "-z a's own address: b and c count" 0 -c 1 -w 1 -I eth0 -z "$LL_A" ff02::1
check "-z own: a reply from b or c printed, none from a" sh -c \
  "grep -qE 'bytes from ($LL_B|$LL_C)' '$tmp/lk' && ! grep -q 'bytes from $LL_A' '$tmp/lk'"
mark
lk_exit "-z every responder: nothing counts" 1 -c 1 -w 1 -I eth0 -z "$LL_A,$LL_B,$LL_C" ff02::1
check "-z all: no reply line" no_reply_line
check "-z all: b's reply did reach a (tcpdump)" wire "$LL_B > $LL_A: ICMP6, echo reply"
in_ns b sysctl -qw net.ipv6.icmp.echo_ignore_multicast=1
in_ns c sysctl -qw net.ipv6.icmp.echo_ignore_multicast=1
lk_exit "b and c ignore multicast echo, a's own excluded: nothing counts" 1 \
  -c 1 -w 1 -I eth0 -z "$LL_A" ff02::1
mark
lk_exit "-z the only unicast responder" 1 -c 1 -w 1 -z 2001:db8::10 2001:db8::10
check "-z unicast: the reply did reach a (tcpdump)" wire '2001:db8::10 > 2001:db8::1: ICMP6, echo reply'

# ---- bad arguments ----------------------------------------------------------
lk_exit "bad address" 2 -c 1 2001:db8:::1
lk_exit "-z with a bad address" 2 -c 1 -z 2001:db8::x 2001:db8::10

summary "t_lkping6 ($IPRES_ARCH)"
