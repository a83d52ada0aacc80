#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The device kinds this kernel can make, IPv4 (devices_lib.sh): the
# duplicate check on the bridge br-lan, keepalived's VMAC vrrp.51 and the
# macvlan mv0, against holder h, by ARP alone (h drops ICMP echo) and by
# ICMP echo alone (h never answers ARP for the address); on br-lan in
# promiscuous mode, another host's ARP replies for the address unicast to a
# third MAC are no answer (they reach a's packet socket as
# PACKET_OTHERHOST). A bridge without carrier, its one port's peer down or
# with no port: restore, quickCheck and ready fail cleanly at the link
# check; the monitor brings the address back once a port gives the bridge
# carrier again (the time printed).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh
. tests/integration/devices_lib.sh

devices_up ipv4
host_up h
H=$(ns h)
MAC_H=$(mac_of h)
KINDS="dev-br,br-lan,192.0.2.160 dev-vmac,vrrp.51,192.0.2.161 dev-mv,mv0,192.0.2.162"

for r in $KINDS; do
  split_res "$r"
  # By ARP alone: h holds ADDR on eth0 and ignores echo.
  ip -n "$H" addr add "$addr/24" dev eth0
  in_ns h sysctl -qw net.ipv4.icmp_echo_ignore_all=1
  check_exit "$dev: h ignores ICMP echo (the client's ping of $addr fails)" 1 \
    in_ns client ping -c1 -W1 "$addr"
  dup_refused "$tag" "$dev" "$addr" ARP
  ip -n "$H" addr del "$addr/24" dev eth0
  in_ns h sysctl -qw net.ipv4.icmp_echo_ignore_all=0
  # By ICMP echo alone: h holds ADDR on lo and answers ARP only for its
  # eth0's addresses (arp_ignore=1: none), so never for ADDR; echo goes
  # through static neighbour entries both ways (node a's for ADDR on DEV,
  # h's for 192.0.2.2 at DEV's MAC, where the echo request came from).
  ip -n "$H" addr add "$addr/32" dev lo
  in_ns h sysctl -qw net.ipv4.conf.eth0.arp_ignore=1
  ip -n "$H" route add 192.0.2.0/24 dev eth0
  ip -n "$H" neigh replace 192.0.2.2 lladdr "$(mac_of a "$dev")" dev eth0 nud permanent
  ip -n "$A" neigh replace "$addr" lladdr "$MAC_H" dev "$dev" nud permanent
  dump_start "arp and ether src $MAC_H"
  dup_refused "$tag" "$dev" "$addr" "ICMP echo"
  dump_stop
  check "$dev: h's ARP: none on the wire (tcpdump -e in the client)" test ! -s "$tmp/dump.txt"
  ip -n "$A" neigh del "$addr" dev "$dev"
  ip -n "$H" neigh del 192.0.2.2 dev eth0
  ip -n "$H" route del 192.0.2.0/24 dev eth0
  in_ns h sysctl -qw net.ipv4.conf.eth0.arp_ignore=0
  ip -n "$H" addr del "$addr/32" dev lo
done

# --- frames not for this node ---------------------------------------------------
# br-lan promiscuous (as a capture on it makes it): h's ARP replies giving
# 192.0.2.160 as its own, every 50 ms, unicast to 02:00:00:00:00:99, which
# no one has: both bridges flood them, br-lan hands them up as
# PACKET_OTHERHOST. Not an answer to a's probe, as the kernel's own ARP
# ignores them too: the address is free.
OTHER=02:00:00:00:00:99
ip -n "$A" link set br-lan promisc on
rm -f "$tmp/other.txt" "$tmp/other.log"
in_ns a tcpdump -i br-lan -e -n -l "arp and ether dst $OTHER" >"$tmp/other.txt" 2>"$tmp/other.log" &
other_dump=$!
tcpdump_listens "$other_dump" "$tmp/other.log" 5 || not_ok "tcpdump on br-lan not listening within 5 s"
in_ns h "$PY" -c "
from scapy.all import ARP, Ether, sendp
frame = Ether(src='$MAC_H', dst='$OTHER') / ARP(op=2, hwsrc='$MAC_H', psrc='192.0.2.160', hwdst='$OTHER', pdst='192.0.2.10')
sendp(frame, iface='eth0', count=400, inter=0.05, verbose=False)" >"$tmp/scapy.log" 2>&1 &
sender=$!
check "br-lan: h's replies to $OTHER reach br-lan" wait_for 30 grep -q "Reply 192.0.2.160 is-at $MAC_H" "$tmp/other.txt"
expect "br-lan: restore dev-br while h's replies to $OTHER arrive: the address is free" 0 a restore dev-br
check_text "br-lan: restore says 192.0.2.160 is free" 'duplicate check: 192\.0\.2\.160 free' "$(cat "$tmp/err")"
check "br-lan: h's replies still arrived after the restore" pid_alive "$sender"
stop_pid "$sender" 2
stop_pid "$other_dump" 2
check "br-lan: 192.0.2.160 on br-lan" on br-lan 192.0.2.160
expect "br-lan: remove dev-br" 0 a remove dev-br
ip -n "$A" link set br-lan promisc off

# --- a bridge without carrier -----------------------------------------------------
# Its one port's peer down (the cable pulled), then with no port at all.
check "br-lan: restore dev-br" ipres_in a restore dev-br
ip -n "$(ns br)" link set p-a down
check "br-lan: no carrier with its port's peer down" wait_for 5 sh -c \
  "! ip -n '$A' link show br-lan | grep -q LOWER_UP"
expect "br-lan without carrier: quickCheck dev-br fails" 1 a quickCheck dev-br
check_text "br-lan without carrier: quickCheck says the link check failed" \
  'dev-br: quickCheck: link check: .*br-lan' "$(cat "$tmp/err")"
expect "br-lan without carrier: remove dev-br" 0 a remove dev-br
expect "br-lan without carrier: restore dev-br fails" 1 a restore dev-br
check_text "br-lan without carrier: restore says the link check failed" \
  'dev-br: restore: link check: .*br-lan' "$(cat "$tmp/err")"
check_no_out "br-lan without carrier: restore never added 192.0.2.160" 'restore: add ' cat "$tmp/err"
check "br-lan without carrier: 192.0.2.160 not on node a" gone 192.0.2.160
ip -n "$(ns br)" link set p-a up
ip -n "$A" link set eth0 nomaster
check "br-lan: no carrier without a port" wait_for 5 sh -c \
  "! ip -n '$A' link show br-lan | grep -q LOWER_UP"
expect "br-lan without a port: restore dev-br fails" 1 a restore dev-br
check_text "br-lan without a port: restore says the link check failed" \
  'dev-br: restore: link check: .*br-lan' "$(cat "$tmp/err")"
check "br-lan without a port: 192.0.2.160 not on node a" gone 192.0.2.160
expect "br-lan without a port: quickCheck dev-br fails" 1 a quickCheck dev-br
expect "br-lan without a port: ready dev-br fails" 1 a ready dev-br
check_text "br-lan without a port: ready says the link check failed" \
  'dev-br: ready: link check: .*br-lan' "$(cat "$tmp/err")"
monitor_start dev-br
check "monitor dev-br: br-lan without a port: its recovers fail and back off" \
  wait_for 30 grep -q 'recover failed (3 in a row)' "$tmp/mon-dev-br.log"
mark=$(wc -l <"$tmp/mon-dev-br.log")
ip -n "$A" link set eth0 master br-lan
backs_after "$(now)" "a port back on br-lan" dev-br,br-lan,192.0.2.160
check "monitor dev-br: the client reaches 192.0.2.160" wait_for 5 client_reaches 192.0.2.160
check_no_out "monitor dev-br: no recover failed once the port was back" \
  'recover failed|Network is down|backing off' tail -n +"$((mark + 1))" "$tmp/mon-dev-br.log"
check "monitor dev-br: stops on SIGTERM" monitor_stop dev-br
ipres_in a remove dev-br >/dev/null 2>&1

summary "devices, duplicate check ($IPRES_ARCH)"
