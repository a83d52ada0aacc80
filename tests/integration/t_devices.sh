#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The device kinds this kernel can make, IPv4 (devices_lib.sh): restore, the
# announcements, quickCheck, status, ready and remove on a bridge with a
# port, keepalived's VMAC and a macvlan with a MAC of its own; this node's
# own answers; a failed bring-up. The monitor across a cable pull longer
# than its back-off (one monitor per kind), and across its device deleted
# and created again: the time from the carrier's (the device's) return to
# the address back is printed. t_devices6.sh: IPv6; t_devices_dup.sh: the
# duplicate check and a bridge without carrier.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh
. tests/integration/devices_lib.sh

devices_up ipv4
kind dev-br br-lan 192.0.2.160 "$(mac_of a br-lan)"
kind dev-vmac vrrp.51 192.0.2.161 "$VMAC"
kind dev-mv mv0 192.0.2.162 "$(mac_of a mv0)"
# ready on the VMAC pings from the node's own address of the subnet, on its
# base device: the client's echo requests come from 192.0.2.2.
ready_from dev-vmac vrrp.51 192.0.2.2
ready_from dev-mv mv0 192.0.2.2

# A repeated restore checks the link once (step 2), not again as quickCheck.
ipres_in a restore dev-br >/dev/null 2>&1
ipres_in a restore dev-br >"$tmp/again.out" 2>&1
links=$(grep -c 'link check' "$tmp/again.out")
check "repeated restore: one link check logged (saw $links)" test "$links" = 1
ipres_in a remove dev-br >/dev/null 2>&1

# --- this node's own answers -------------------------------------------------
# Node a's second cable eth1 (arp_ignore 0, the default) holds 192.0.2.164
# and answers the duplicate check's ARP probe from its own MAC: no holder.
ip -n "$A" link add eth1 type veth peer name p-a1 netns "$(ns br)"
ip -n "$(ns br)" link set p-a1 master br0 up
ip -n "$A" link set eth1 up
ip -n "$A" addr add 192.0.2.164/32 dev eth1
# Its answer is unicast to br-lan: captured on eth1's bridge port.
rm -f "$tmp/dump.txt" "$tmp/dump.log" # not the earlier capture's "listening"
in_ns br tcpdump -i p-a1 -e -n -l 'arp src host 192.0.2.164' >"$tmp/dump.txt" 2>"$tmp/dump.log" &
dump_pid=$!
wait_for 5 grep -q 'listening on' "$tmp/dump.log" || not_ok "tcpdump on p-a1 not listening within 5 s"
expect "eth1: restore dev-own with 192.0.2.164 on this node's eth1" 0 a restore dev-own
dump_stop
check_text "eth1: its ARP answer was on the wire" "$(mac_of a eth1) > .*Reply 192.0.2.164 is-at" \
  "$(cat "$tmp/dump.txt")"
expect "eth1: remove dev-own" 0 a remove dev-own
ip -n "$A" link del eth1

# --- a failed bring-up is no killed operation ----------------------------------
# mvdown0 cannot come up: its lower device low0 (down, so mvdown0 has no
# carrier and restore bounces it) took mvdown0's MAC, which macvlan refuses
# (EADDRINUSE), as a VLAN refuses while its lower device is down (ENETDOWN).
ip -n "$A" link add low0 type veth peer name low0p
ip -n "$A" link add link low0 name mvdown0 type macvlan mode bridge
ip -n "$A" link set mvdown0 up
ip -n "$A" link set low0 address "$(mac_of a mvdown0)"
expect "mvdown0: restore fails: it cannot come up" 1 a restore dev-down
check_text "mvdown0: restore says it left it down" 'bring mvdown0 up \(left down\)' "$(cat "$tmp/err")"
expect "mvdown0: remove" 0 a remove dev-down
check_no_out "mvdown0: remove does not blame a killed operation" 'killed' cat "$tmp/err"

# --- the monitor across a cable pull longer than its back-off ------------------
# One monitor per kind: br-lan's port pulled, the macvlans on it lose their
# carrier with it.
monitors_across_pull dev-br,br-lan,192.0.2.160 dev-vmac,vrrp.51,192.0.2.161 \
  dev-mv,mv0,192.0.2.162

# --- the monitor across its device deleted and created again -------------------
check "restore dev-mv for the monitor" ipres_in a restore dev-mv
monitor_start dev-mv
ip -n "$A" link del mv0
check "monitor: mv0 deleted: its recovers fail and back off" \
  wait_for 30 grep -q 'recover failed (4 in a row)' "$tmp/mon-dev-mv.log"
logged=$(wc -l <"$tmp/mon-dev-mv.log")
ip -n "$A" link add link br-lan name mv0 type macvlan mode bridge
created=$(now)
ip netns exec "$A" sysctl -qw net.ipv4.conf.mv0.arp_ignore=1
check "monitor: mv0 created again: 192.0.2.162 on it again" wait_for 30 on mv0 192.0.2.162
back_ms=$(ms_between "$created" "$(now)")
echo "measured ($IPRES_ARCH, macvlan): device created again -> address back ${back_ms} ms"
# The device is created down: the restore's link check bounces it (0.5 s,
# IP_WAIT_LINKDOWN) before the duplicate check's window (0.5 s).
check "monitor: the address is back within 1.5 s of the device (${back_ms} ms)" test "$back_ms" -le 1500
check_no_out "monitor: no back-off once mv0 is back" 'backing off' \
  tail -n +"$((logged + 1))" "$tmp/mon-dev-mv.log"
check "monitor dev-mv: stops on SIGTERM" monitor_stop dev-mv
ipres_in a remove dev-mv >/dev/null 2>&1

summary "devices ($IPRES_ARCH)"
