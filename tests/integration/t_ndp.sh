#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Neighbor Discovery on the wire for IPv6 resources, judged by real tools:
# the unsolicited Neighbor Advertisements of a restore, captured with
# tcpdump on a peer, compared field by field with the one the kernel sends
# for the same address (ndisc_notify=1 and a MAC change) and with RFC 4861
# 4.4 / 7.2.6; the duplicate-address probe (RFC 4862 5.4.2) and what it must
# find: a holder that drops echo requests, another host's DAD probe in the
# same window; spoofed and malformed NDP (scapy, spoof_na.py) that must never
# count; and `ipres monitor` repeating the NAs. Node a 2001:db8::2 runs
# ipres; b 2001:db8::3 captures; c 2001:db8::4 holds or probes; the client
# 2001:db8::10 is the PingList; evil 2001:db8::66 sends the crafted messages.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh

bg=""
# shellcheck disable=SC2016 # the exit trap expands them
ns_tmp_with 'kill_all $bg'

VIP=2001:db8::100
VIP_HEX=20010db8000000000000000000000100
ALL_NODES_HEX=ff020000000000000000000000000001

needs_ndp_socket "ndp ($IPRES_ARCH)"
lan_hosts6 a+dad b c client evil || exit 1
wait_for 10 in_ns a ping -6 -c1 -W1 2001:db8::10
MAC_A=$(mac_of a | tr -d :)
MAC_C=$(mac_of c)
MAC_EVIL=$(mac_of evil)

# Captures: nslib.sh's capture_start FILE NODE FILTER and capture_stop FILE
# [COUNT] (FILE.hex, FILE.txt).
# field HEX OFFSET LENGTH: bytes of a frame as hex.
field() { printf '%s' "$1" | cut -c $(($2 * 2 + 1))-$((($2 + $3) * 2)); }
line() { sed -n "${1}p" "$2"; }
# Unsolicited NAs from a: to the all-nodes MAC, ICMPv6 type 136.
UNSOL_NA="ether src $(mac_of a) and ether dst 33:33:00:00:00:01 and icmp6 and ip6[40] == 136"

# ---- the kernel's unsolicited NA for the address, the reference -------------
# kernel_na FILE: captures the kernel's own unsolicited NAs for $VIP on a
# into FILE.* (read FILE.hex after: in a command substitution the capture's
# tcpdump would hold its output open). With ndisc_notify=1 a MAC change makes the
# kernel advertise every address of the device (net/ipv6/ndisc.c,
# ndisc_send_unsol_na): changed away and back, the second round carries a's
# own MAC.
orig_mac=$(mac_of a)
kernel_na() {
  ip -n "$(ns a)" -6 addr add "$VIP/64" dev eth0 nodad
  in_ns a sysctl -qw net.ipv6.conf.eth0.ndisc_notify=1
  ip -n "$(ns a)" link set eth0 address 02:00:00:00:00:aa
  capture_start "$1" b "$UNSOL_NA"
  ip -n "$(ns a)" link set eth0 address "$orig_mac"
  capture_stop "$1" 3
  in_ns a sysctl -qw net.ipv6.conf.eth0.ndisc_notify=0
  ip -n "$(ns a)" -6 addr del "$VIP/64" dev eth0
}
kernel_na "$tmp/kernel"
kernel=$(grep -m1 "^.\{124\}$VIP_HEX" "$tmp/kernel.hex")
check "the kernel advertised $VIP (ndisc_notify, MAC change)" test -n "$kernel"

# ---- the restore's NAs --------------------------------------------------------
capture_start "$tmp/ipres" b "$UNSOL_NA"
expect "restore v6-vip" 0 a restore v6-vip
capture_stop "$tmp/ipres" 4
n=$(grep -c "^.\{124\}$VIP_HEX" "$tmp/ipres.hex")
check "the restore sent 4 unsolicited NAs for $VIP (saw $n; every NA from a: $(wc -l <"$tmp/ipres.hex"))" \
  test "$n" = 4
i=0
grep "^.\{124\}$VIP_HEX" "$tmp/ipres.hex" | head -n 4 >"$tmp/ours.hex"
while read -r ours; do
  i=$((i + 1))
  check "NA $i: $((${#ours} / 2)) bytes, as the kernel's ($((${#kernel} / 2)))" \
    test "${#ours}" = "${#kernel}"
  # name:offset:length:the value RFC 4861 4.4 and 7.2.6 give (S clear,
  # O set, R clear on a host: flags 0x20000000).
  for spec in eth-dst:0:6:333300000001 eth-src:6:6:$MAC_A ethertype:12:2:86dd \
    version-class-flow:14:4:60000000 payload-length:18:2:0020 next-header:20:1:3a \
    hop-limit:21:1:ff src:22:16:$VIP_HEX dst:38:16:$ALL_NODES_HEX type:54:1:88 \
    code:55:1:00 checksum:56:2: flags:58:4:20000000 target:62:16:$VIP_HEX \
    option-tlla:78:2:0201 tlla:80:6:$MAC_A; do
    IFS=: read -r name off len want <<EOF
$spec
EOF
    k=$(field "$kernel" "$off" "$len")
    o=$(field "$ours" "$off" "$len")
    if [ -z "$want" ]; then
      check "NA $i: $name $o as the kernel's" test "$o" = "$k"
    elif [ "$k" != "$want" ]; then
      echo "note: the kernel sends $name=$k, RFC 4861 says $want"
      check "NA $i: $name $o is RFC 4861's $want" test "$o" = "$want"
    else
      check "NA $i: $name $o as the kernel's and RFC 4861's" test "$o" = "$k"
    fi
  done
done <"$tmp/ours.hex"
check "tcpdump finds the NAs' checksums right" sh -c "! grep -q 'bad icmp6 cksum' '$tmp/ipres.txt'"
expect "remove v6-vip" 0 a remove v6-vip

# ---- a router's NAs carry the Router flag, as the kernel's do ----------------------
# RFC 4861 7.2.5: a neighbour that sees the flag clear stops using the sender
# as a router, so a gateway's address must keep it.
in_ns a sysctl -qw net.ipv6.conf.eth0.forwarding=1
kernel_na "$tmp/kernel-router"
kernel_router=$(grep -m1 "^.\{124\}$VIP_HEX" "$tmp/kernel-router.hex")
check "a router's kernel NA: Router and Override (flags $(field "$kernel_router" 58 4))" \
  test "$(field "$kernel_router" 58 4)" = a0000000
capture_start "$tmp/router" b "$UNSOL_NA"
expect "restore v6-vip with forwarding on" 0 a restore v6-vip
capture_stop "$tmp/router" 4
router_na=$(grep -m1 "^.\{124\}$VIP_HEX" "$tmp/router.hex")
check "a router's NA from ipres: the kernel's flags and checksum ($(field "$router_na" 56 6))" \
  test "$(field "$router_na" 56 6)" = "$(field "$kernel_router" 56 6)"
expect "remove v6-vip" 0 a remove v6-vip
in_ns a sysctl -qw net.ipv6.conf.eth0.forwarding=0

# ---- the duplicate-address probe on the wire -------------------------------------
capture_start "$tmp/probe" b "ip6"
expect "restore v6-vip, no one holding it" 0 a restore v6-vip
capture_stop "$tmp/probe"
probe=$(grep -m1 "^.\{44\}0\{32\}.\{32\}87" "$tmp/probe.hex")
check "a Neighbor Solicitation from :: went out" test -n "$probe"
check "probe: to the solicited-node MAC 33:33:ff:00:01:00 from a" \
  test "$(field "$probe" 0 14)" = "3333ff000100${MAC_A}86dd"
check "probe: hop limit 255, ICMPv6" test "$(field "$probe" 20 2)" = 3aff
check "probe: to ff02::1:ff00:100" test "$(field "$probe" 38 16)" = ff0200000000000000000001ff000100
check "probe: type 135 code 0" test "$(field "$probe" 54 2)" = 8700
check "probe: target $VIP" test "$(field "$probe" 62 16)" = "$VIP_HEX"
# RFC 4861 7.2.2 / RFC 4862 5.4.2: from :: no source link-layer address; a
# nonce (RFC 7527, option 14) is allowed.
opts=$(printf '%s' "$probe" | cut -c 157-)
check "probe: no option but a nonce (options: ${opts:-none})" \
  sh -c "[ -z '$opts' ] || [ '$(field "$probe" 78 1)' = 0e ]"
check_out "probe: tcpdump's checksum is right" 'who has 2001:db8::100' \
  grep -v 'bad icmp6 cksum' "$tmp/probe.txt"
# Nobody holds the address, so the kernel resolves it before the echo can
# leave: its solicitation comes from the echo's source, a's physical address.
check "the echo to $VIP is sent from a's physical address (it or its address resolution)" \
  grep -qE '2001:db8::2 > (2001:db8::100: \[icmp6 sum ok\] ICMP6, echo request|ff02::1:ff00:100: \[icmp6 sum ok\] ICMP6, neighbor solicitation, length 32, who has 2001:db8::100)' "$tmp/probe.txt"
expect "remove v6-vip" 0 a remove v6-vip

# ---- a holder that drops echo requests ---------------------------------------------
in_ns c sysctl -qw net.ipv6.icmp.echo_ignore_all=1
ip -n "$(ns c)" -6 addr add "$VIP/64" dev eth0 nodad
check_exit "control: iputils ping -6 gets no echo reply from the holder" 1 \
  in_ns a ping -6 -n -c1 -W1 "$VIP"
capture_start "$tmp/holder" b "icmp6"
expect "restore while c holds $VIP and drops echoes fails" 1 a restore v6-vip
capture_stop "$tmp/holder"
check "a did not add it" lacks6 a "$VIP"
check "c answered the probe with an NA for $VIP to ff02::1 (tcpdump)" \
  grep -qE "$MAC_C > 33:33:00:00:00:01, .* $VIP > ff02::1: .*neighbor advertisement, .*tgt is $VIP" \
  "$tmp/holder.txt"
check "no echo reply crossed the wire" sh -c "! grep -q 'echo reply' '$tmp/holder.txt'"
ip -n "$(ns c)" -6 addr del "$VIP/64" dev eth0
in_ns c sysctl -qw net.ipv6.icmp.echo_ignore_all=0

# ---- another host's DAD probe in the same window ---------------------------------
# c's kernel probes once (dad_transmits=1), at once (router_solicitation_delay
# 0), and holds the address 100 ms later: its probe lands in the first 1 s
# window of v6-probe's check, before which c never answered for it.
in_ns c sysctl -qw net.ipv6.conf.eth0.accept_dad=1 net.ipv6.conf.eth0.dad_transmits=1 \
  net.ipv6.neigh.eth0.retrans_time_ms=100
# race ADDR: restore v6-probe in a; once its probe for 2001:db8::108 is on
# the wire, c adds ADDR with DAD. $race_rc: the restore's exit status.
race() {
  capture_start "$tmp/race" c 'icmp6 and ip6[40] == 135 and ip6 src ::'
  ipres_in a restore v6-probe >"$tmp/out" 2>"$tmp/err" &
  race_pid=$!
  wait_for 10 sh -c "tcpdump -r '$tmp/race.pcap' -n 2>/dev/null | grep -q 'who has 2001:db8::108'"
  ip -n "$(ns c)" -6 addr add "$1/64" dev eth0
  wait "$race_pid"
  race_rc=$?
  capture_stop "$tmp/race"
}
race 2001:db8::108
check "c's own probe for 2001:db8::108 crossed the wire (tcpdump on c)" \
  test "$(grep -c 'who has 2001:db8::108' "$tmp/race.txt")" -ge 2
check "another host probing for 2001:db8::108 in the window: restore fails (exit $race_rc)" \
  test "$race_rc" = 1
check "a did not add it" lacks6 a 2001:db8::108
echo "# c's 2001:db8::108 after the race: $(flags6 c 2001:db8::108)"
ip -n "$(ns c)" -6 addr del 2001:db8::108/64 dev eth0
race 2001:db8::109
check "another host probing for 2001:db8::109 is no conflict (exit $race_rc)" test "$race_rc" = 0
check "a holds 2001:db8::108" holds6 a 2001:db8::108
expect "remove v6-probe" 0 a remove v6-probe
ip -n "$(ns c)" -6 addr del 2001:db8::109/64 dev eth0
in_ns c sysctl -qw net.ipv6.conf.eth0.accept_dad=0

# ---- crafted NDP from evil (scapy) -------------------------------------------------
echo silent >"$tmp/mode"
in_ns evil "$PY" tests/integration/spoof_na.py eth0 "$VIP" "$tmp/mode" "$tmp/ready" \
  >"$tmp/scapy.log" 2>&1 &
bg="$bg $!"
wait_for 30 test -s "$tmp/ready" || not_ok "scapy sender did not start: $(head -c 300 "$tmp/scapy.log")"
in_ns br tcpdump --immediate-mode -i p-a -l -n -e -vv icmp6 >"$tmp/dump" 2>"$tmp/dump.err" &
bg="$bg $!"
wait_for 10 grep -q listening "$tmp/dump.err" || not_ok "tcpdump on p-a did not start"
# crafted MODE WANT DESC: evil sends MODE every 50 ms through a restore of
# v6-vip, which must exit WANT (1: a holds no address, 0: a holds it); the
# frames must have reached a.
crafted() {
  echo "$1" >"$tmp/mode"
  sleep 0.2
  from=$(($(wc -l <"$tmp/dump") + 1))
  expect "$3" "$2" a restore v6-vip
  echo silent >"$tmp/mode"
  if [ "$2" = 1 ]; then
    check "... and a did not add $VIP" lacks6 a "$VIP"
  else
    check "... and a holds $VIP" holds6 a "$VIP"
  fi
  sleep 0.2
  check "... evil's frames reached a (tcpdump on p-a)" \
    sh -c "tail -n +$from '$tmp/dump' | grep -q '^[0-9:.]* $MAC_EVIL > '"
  ipres_in a remove v6-vip >/dev/null 2>&1
  ip -n "$(ns a)" -6 addr del "$VIP/64" dev eth0 2>/dev/null
}
crafted valid 1 "control: a valid NA for $VIP (hop limit 255) means in use"
crafted probe 1 "control: a DAD probe for $VIP from another MAC means in use"
crafted hlim64 0 "an NA with hop limit 64 never counts"
crafted code1 0 "an NA with code 1 never counts"
crafted short 0 "an NA of 20 bytes never counts"
crafted badsum 0 "an NA with a wrong checksum never counts"
crafted solicited-mc 0 "a multicast NA with Solicited set never counts"
crafted other 0 "an NA for 2001:db8::101 is not one for $VIP"
crafted probe-hlim64 0 "a probe with hop limit 64 never counts"
crafted probe-tlla 0 "a probe from :: with a source link-layer option never counts"
crafted hlim64,code1,short,badsum,solicited-mc,other,probe-hlim64,probe-tlla 0 \
  "all of them at once never count"

# ---- ipres monitor repeats the NAs ---------------------------------------------------
# v6-mon: GARP_REPEAT_DELAY=1, GARP_REFRESH=2, LKCHECKINTERVAL=1.
monitor_pid=""
expect "restore v6-mon" 0 a restore v6-mon
(ipres_exec a monitor v6-mon >"$tmp/monitor.log" 2>&1) &
monitor_pid=$!
bg="$bg $monitor_pid"
check "the monitor logs what it watches" \
  wait_for 10 grep -q 'v6-mon: monitor: watching 2001:db8::115 on eth0' "$tmp/monitor.log"
capture_start "$tmp/mon" b "$UNSOL_NA"
ip -n "$(ns a)" -6 addr del 2001:db8::115/64 dev eth0
check "the monitor brings the deleted address back" wait_for 10 holds6 a 2001:db8::115
sleep 4.5
capture_stop "$tmp/mon"
check_text "it saw the address leave (RTNLGRP_IPV6_IFADDR)" 'v6-mon: monitor: 2001:db8::115 left eth0' \
  "$(cat "$tmp/monitor.log")"
nas=$(grep -c "^.\{124\}20010db8000000000000000000000115" "$tmp/mon.hex")
check "NAs for 2001:db8::115 in 4.5 s: the recovery's 4, the repeat's 4 at 1 s, the refresh's 4 at 3 s (saw $nas)" \
  test "$nas" -ge 12
kill -TERM "$monitor_pid"
wait "$monitor_pid"
status=$?
check "SIGTERM: the monitor exits 0 (got $status)" test "$status" = 0
expect "remove v6-mon" 0 a remove v6-mon

summary "ndp ($IPRES_ARCH)"
