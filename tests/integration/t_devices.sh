#!/bin/sh
# The device kinds this kernel can make (contract "Devices"): a bridge with a
# port (br-lan, whose port eth0 is node a's cable to the LAN), keepalived's
# VMAC (vrrp.51: a macvlan on br-lan with the VRRP MAC and no address of its
# own, the sysctls keepalived sets) and a macvlan with a MAC of its own.
# VLANs and bonds need 8021q and bonding, which this kernel lacks: their
# tagged frames are unit-tested on bytes, and tests/boot/t_devices.sh runs
# them in a VM on Debian's kernel. What crossed the wire is read with
# tcpdump -e in the client. The monitor across a cable pull longer than its
# back-off, and across its device deleted and created again: the time from
# the carrier's (the device's) return to the address back is printed.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/integration/nslib.sh

VMAC=00:00:5e:00:01:33
tmp=$(mktemp -d)
monitor_pid=""
dump_pid=""
trap '[ -n "$monitor_pid" ] && kill "$monitor_pid" 2>/dev/null
  [ -n "$dump_pid" ] && kill "$dump_pid" 2>/dev/null; ns_cleanup; rm -rf "$tmp"' EXIT

lan_up
host_up a
host_up client 192.0.2.10/24
A=$(ns a)
ip -n "$A" link add br-lan type bridge forward_delay 0 stp_state 0
ip -n "$A" link set eth0 master br-lan
ip -n "$A" link set br-lan up
ip -n "$A" addr add 192.0.2.2/24 dev br-lan
# keepalived's use_vmac: the macvlan in private mode with the VRRP MAC; on it
# arp_ignore=1, accept_local=1, rp_filter=0, on its base device arp_ignore=1
# and arp_filter=1 (keepalived's vrrp_if_config.c), so each answers ARP only
# for its own addresses.
ip -n "$A" link add link br-lan name vrrp.51 address "$VMAC" type macvlan mode private
ip -n "$A" link add link br-lan name mv0 type macvlan mode bridge
ip netns exec "$A" sysctl -qw net.ipv4.conf.vrrp.51.arp_ignore=1 \
  net.ipv4.conf.vrrp.51.accept_local=1 net.ipv4.conf.vrrp.51.rp_filter=0 \
  net.ipv4.conf.br-lan.arp_ignore=1 net.ipv4.conf.br-lan.arp_filter=1 \
  net.ipv4.conf.mv0.arp_ignore=1
ip -n "$A" link set vrrp.51 up
ip -n "$A" link set mv0 up

now() { date +%s.%N; }
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1000 }'; }
on() { [ "$(count_addr a "$2" "$1")" = 1 ]; }
client_reaches() { in_ns client ping -c1 -W1 "$1"; }

# dump_start FILTER: tcpdump -e of FILTER in the client, returning once it
# listens. dump_stop: its lines in $tmp/dump.txt.
dump_start() {
  rm -f "$tmp/dump.txt" "$tmp/dump.log" # an earlier capture's "listening" must not pass
  in_ns client tcpdump -i eth0 -e -n -l "$1" >"$tmp/dump.txt" 2>"$tmp/dump.log" &
  dump_pid=$!
  wait_for 5 grep -q 'listening on' "$tmp/dump.log" || not_ok "tcpdump in the client not listening within 5 s"
}
dump_stop() {
  sleep 0.3
  kill "$dump_pid" 2>/dev/null
  wait "$dump_pid" 2>/dev/null
  dump_pid=""
}
# announced_from MAC ADDR: ADDR's gratuitous ARPs (sender and target ADDR,
# or target the subnet's broadcast; broadcast), four at least, every one
# from MAC.
announced_from() {
  grep ' > ff:ff:ff:ff:ff:ff, .*\(who-has \('"$2"'\|192.0.2.255\) (ff:ff:ff:ff:ff:ff) tell '"$2"',\|Reply '"$2"' is-at\)' \
    "$tmp/dump.txt" >"$tmp/garps.txt"
  [ "$(wc -l <"$tmp/garps.txt")" -ge 4 ] && ! grep -v "^[0-9:.]* $1 > " "$tmp/garps.txt"
}

# --- each kind: restore, the announcements, quickCheck, status, ready, remove --
# kind TAG DEV ADDR MAC
kind() {
  dump_start "arp src host $3"
  expect "$2: restore $1" 0 a restore "$1"
  dump_stop
  check "$2: $3 on $2" on "$2" "$3"
  check "$2: the four announcements from $4 (tcpdump -e)" announced_from "$4" "$3"
  check "$2: the client reaches $3" client_reaches "$3"
  expect "$2: quickCheck $1" 0 a quickCheck "$1"
  expect "$2: status $1" 0 a status "$1"
  expect "$2: ready $1" 0 a ready "$1"
  expect "$2: remove $1" 0 a remove "$1"
  check "$2: $3 gone" lacks a "$3"
}
kind dev-br br-lan 192.0.2.160 "$(mac_of a br-lan)"
kind dev-vmac vrrp.51 192.0.2.161 "$VMAC"
kind dev-mv mv0 192.0.2.162 "$(mac_of a mv0)"
# ready on the VMAC pings from the node's own address of the subnet, on its
# base device: the client's echo requests come from 192.0.2.2.
rm -f "$tmp/echo.txt" "$tmp/echo.log"
in_ns client tcpdump -i eth0 -n -l 'icmp[icmptype] = icmp-echo' >"$tmp/echo.txt" 2>"$tmp/echo.log" &
dump_pid=$!
wait_for 5 grep -q 'listening on' "$tmp/echo.log" || not_ok "tcpdump in the client not listening within 5 s"
expect "vrrp.51: ready dev-vmac without the address" 0 a ready dev-vmac
dump_stop
check_text "vrrp.51: ready's echo came from the base device's 192.0.2.2" \
  '192\.0\.2\.2 > 192\.0\.2\.10: ICMP echo request' "$(cat "$tmp/echo.txt")"

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
check "restore dev-br for the monitor" ipres_in a restore dev-br
(ipres_exec a monitor dev-br >"$tmp/monitor.log" 2>&1) &
monitor_pid=$!
wait_for 10 grep -q 'dev-br: monitor: quickCheck: passed' "$tmp/monitor.log"
# A recovery first, so the monitor's ARP socket is open, as in a long run.
ip -n "$A" addr del 192.0.2.160/24 dev br-lan
check "monitor: the deleted address is back" wait_for 10 on br-lan 192.0.2.160
wait_for 10 grep -q 'dev-br: monitor: recovered' "$tmp/monitor.log"
ip -n "$(ns br)" link set p-a down
check "monitor: the cable pull is seen" wait_for 10 grep -q 'br-lan is down or lost carrier' "$tmp/monitor.log"
check "monitor: its recovers fail and back off" \
  wait_for 30 grep -q 'recover failed (3 in a row)' "$tmp/monitor.log"
logged=$(wc -l <"$tmp/monitor.log")
ip -n "$(ns br)" link set p-a up
returned=$(now)
check "monitor: carrier back: 192.0.2.160 on br-lan again" wait_for 20 on br-lan 192.0.2.160
back=$(now)
check "monitor: the client reaches it" wait_for 5 client_reaches 192.0.2.160
back_ms=$(ms_between "$returned" "$back")
echo "measured ($IPRES_ARCH, bridge): carrier back -> address back ${back_ms} ms"
check "monitor: the address is back within 1 s of the carrier (${back_ms} ms)" test "$back_ms" -le 1000
check_no_out "monitor: no recover failed after the carrier returned" \
  'recover failed|Network is down|backing off' tail -n +"$((logged + 1))" "$tmp/monitor.log"
kill -TERM "$monitor_pid"
wait "$monitor_pid"
monitor_pid=""
ipres_in a remove dev-br >/dev/null 2>&1

# --- the monitor across its device deleted and created again -------------------
check "restore dev-mv for the monitor" ipres_in a restore dev-mv
(ipres_exec a monitor dev-mv >"$tmp/monitor-mv.log" 2>&1) &
monitor_pid=$!
wait_for 10 grep -q 'dev-mv: monitor: quickCheck: passed' "$tmp/monitor-mv.log"
ip -n "$A" link del mv0
check "monitor: mv0 deleted: its recovers fail and back off" \
  wait_for 30 grep -q 'recover failed (4 in a row)' "$tmp/monitor-mv.log"
logged=$(wc -l <"$tmp/monitor-mv.log")
ip -n "$A" link add link br-lan name mv0 type macvlan mode bridge
created=$(now)
ip netns exec "$A" sysctl -qw net.ipv4.conf.mv0.arp_ignore=1
check "monitor: mv0 created again: 192.0.2.162 on it again" wait_for 30 on mv0 192.0.2.162
back=$(now)
back_ms=$(ms_between "$created" "$back")
echo "measured ($IPRES_ARCH, macvlan): device created again -> address back ${back_ms} ms"
# The device is created down: the restore's link check bounces it (0.5 s,
# IP_WAIT_LINKDOWN) before the duplicate check's window (0.5 s).
check "monitor: the address is back within 1.5 s of the device (${back_ms} ms)" test "$back_ms" -le 1500
check_no_out "monitor: no back-off once mv0 is back" 'backing off' \
  tail -n +"$((logged + 1))" "$tmp/monitor-mv.log"
kill -TERM "$monitor_pid"
wait "$monitor_pid"
monitor_pid=""
ipres_in a remove dev-mv >/dev/null 2>&1

summary "devices ($IPRES_ARCH)"
