#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Another host claiming an IPv4 address a node holds (contract.md "Conflicts
# while holding", issue 23): node a 192.0.2.2 holds vip-claim 192.0.2.150
# with `ipres monitor` running; intruder d 192.0.2.4 claims it with iputils
# arping -U (once, then every 0.5 s for 25 s), probes for it (arping -D),
# and holds it silently (added by hand, answering a's probes only); node b
# 192.0.2.3 takes it over after a's remove; the client 192.0.2.10 is the
# PingList and the neighbour whose entry must come back to a. The checks are
# conflict_lib.sh's; what crossed the wire is read with tcpdump on a's
# bridge port, the client's entry with ip monitor neigh.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh
. tests/integration/conflict_lib.sh

TAG=vip-claim
VIP=192.0.2.150
VIP_HEX=0xc0000296
BCAST_HEX=0xc00002ff
FAM=-4
PING=ping
WORDS="gratuitous ARPs"
LKCHECK=3
CAPTURE=arp

lan_hosts a b client d || exit 1
MAC_A=$(mac_of a)
MAC_B=$(mac_of b)
MAC_D=$(mac_of d)
echo "# a $MAC_A, b $MAC_B, d $MAC_D, client $(mac_of client)"

# The gratuitous ARPs a restore and a defence send: from a, to broadcast,
# sender IP the address, target IP the address or the subnet broadcast.
defence_filter() {
  echo "ether src $MAC_A and ether dst ff:ff:ff:ff:ff:ff and arp and arp[14:4] = $VIP_HEX and (arp[24:4] = $VIP_HEX or arp[24:4] = $BCAST_HEX)"
}
claim_filter() { echo "ether src $1 and arp and arp[14:4] = $VIP_HEX"; }
probe_filter() { echo "ether src $1 and arp and arp[14:4] = 0 and arp[24:4] = $VIP_HEX"; }
# a's kernel answering d's probe: an ARP reply from a to d, sender IP the address.
probe_answer_filter() { echo "ether src $MAC_A and ether dst $MAC_D and arp and arp[6:2] = 2 and arp[14:4] = $VIP_HEX"; }

# While it claims loudly d answers no ARP request (arp_ignore=8), so a's
# probes (a quickCheck every 3 s) find nothing and only the claims count.
in_ns d sysctl -qw net.ipv4.conf.all.arp_ignore=8
# d_holds: d has the address (arping -s binds to it).
d_holds() {
  ip -n "$(ns d)" -4 -o addr show dev eth0 | grep -q " $VIP/" ||
    ip -n "$(ns d)" addr add "$VIP/24" dev eth0
}
# claim_once: one gratuitous ARP request from d (arping lingers 1 s after
# it: in the background, so the wait for the log starts at once).
claim_once() {
  d_holds
  in_ns d arping -U -q -c1 -s "$VIP" -I eth0 "$VIP" &
  bg="$bg $!"
}
# claims_start SECONDS: one arping -U every 0.5 s (each lives 1 s: it waits
# an interval after its frame; this arping takes no interval under 1 s).
claims_start() {
  d_holds
  (
    i=0
    while [ "$i" -lt $(($1 * 2)) ]; do
      in_ns d arping -U -q -c1 -s "$VIP" -I eth0 "$VIP" &
      sleep 0.5
      i=$((i + 1))
    done
    wait
  ) &
  claims_pid=$!
  bg="$bg $claims_pid"
}
claims_wait() { wait "$claims_pid"; }
claims_done() { ip -n "$(ns d)" addr del "$VIP/24" dev eth0; }
probe_once() {
  in_ns d arping -D -q -c2 -w3 -I eth0 "$VIP"
  rc=$?
  check "control: arping -D from d finds $VIP in use (exit $rc)" test "$rc" = 1
}
# The silent holder: added by hand with arp_notify off (no gratuitous ARP
# when the link changes) and answering as the kernel does by default; it
# sends nothing of its own.
silent_hold() {
  in_ns d sysctl -qw net.ipv4.conf.all.arp_ignore=0 net.ipv4.conf.eth0.arp_ignore=0 \
    net.ipv4.conf.all.arp_notify=0 net.ipv4.conf.eth0.arp_notify=0
  ip -n "$(ns d)" addr add "$VIP/24" dev eth0
}
silent_drop() { ip -n "$(ns d)" addr del "$VIP/24" dev eth0; }

# A gratuitous ARP for the address from another device of a's (eth1, a
# second port on the same LAN): this node's own MAC, no claim. eth1 then
# goes, and a restore again brings the client's entry back to eth0's MAC.
not_claims() {
  ip -n "$(ns a)" link add eth1 type veth peer name p-a1 netns "$(ns br)"
  ip -n "$(ns br)" link set p-a1 master br0 up
  ip -n "$(ns a)" link set eth1 up
  mac_a1=$(mac_of a eth1)
  m=$(log_mark)
  t=$(now)
  in_ns a arping -U -q -c1 -s "$VIP" -I eth1 "$VIP"
  sleep 1
  n=$(wire_count "$t" "" "$(claim_filter "$mac_a1")")
  check "a's gratuitous ARP from eth1 ($mac_a1) reached eth0 ($n on p-a)" test "$n" -ge 1
  no_conflict_since "a gratuitous ARP from a's own eth1" "$m"
  ip -n "$(ns a)" link del eth1
  expect "restore $TAG again on a: the client's entry back to eth0" 0 a restore "$TAG"
  check "the client's entry for $VIP is eth0's MAC again" wait_for 5 sh -c "[ \"\$(ip -n $(ns client) neigh show $VIP | grep -o 'lladdr [0-9a-f:]*')\" = 'lladdr $MAC_A' ]"
}

# A single gratuitous ARP request from d reaching a while the monitor's
# probe waits for answers (IP_PINGTIMEOUT after it) is still a claim, not an
# answer from a holder that announces nothing (that is an ARP reply to the
# probe): logged as a claim, defended at once (10 s after the last defence),
# and, defended, no standing conflict. (IPv6 cannot tell the two apart: an
# answer to a DAD probe is an unsolicited NA to ff02::1, as a claim is.)
probe_window_checks() {
  left=$(awk -v d="$defence_t" -v n="$(now)" 'BEGIN { l = d + 10.5 - n; print (l > 0 ? l : 0) }')
  sleep "$left"
  m=$(log_mark)
  t=$(now)
  # d sends its claim as soon as it sees a's next probe (one per 3 s).
  in_ns d timeout 10 tcpdump -l -c1 -n -i eth0 "$(probe_filter "$MAC_A")" 2>/dev/null |
    { read -r _ && in_ns d arping -U -q -c1 -s "$VIP" -I eth0 "$VIP"; }
  wait_log "$m" 5 "^$TAG: monitor: conflict: $(re "$VIP") on eth0 (claimed|answered) by $(re "$MAC_D")"
  probe_t=$(wire "$t" "" "$(probe_filter "$MAC_A")" | awk 'NR == 1 { print $1 }')
  claim_t=$(wire "$t" "" "$(claim_filter "$MAC_D")" | awk 'NR == 1 { print $1 }')
  gap=none
  [ -n "$probe_t" ] && [ -n "$claim_t" ] && gap=$(ms_between "$probe_t" "$claim_t")
  check "premise: d's claim crossed p-a ${gap} ms after a's probe (within its 500 ms window)" \
    sh -c "[ '$gap' != none ] && [ '$gap' -ge 0 ] && [ '$gap' -lt 500 ]"
  check "... and it was a gratuitous ARP request (tcpdump: $(wire "$t" "" "$(claim_filter "$MAC_D")" | head -n 1 | cut -d' ' -f2-))" \
    test "$(wire_count "$t" "" "$(claim_filter "$MAC_D") and arp[6:2] = 1 and arp[24:4] = $VIP_HEX")" -ge 1
  line=$(log_since "$m" | grep "^$TAG: monitor: conflict" | head -n 1)
  check_text "a claim within the probe's window is logged as a claim, defended at once" \
    "^$TAG: monitor: conflict: $(re "$VIP") on eth0 claimed by $(re "$MAC_D"): defending with gratuitous ARPs\$" "$line"
  quick
  if [ "$qrc" = 0 ]; then
    ok "... and, defended, is no standing conflict: quickCheck passes"
  else
    not_ok "... and, defended, is no standing conflict: quickCheck exit $qrc: $(grep -i conflict "$tmp/qc" | head -n 1)"
  fi
}

conflict_checks
summary "conflict ($IPRES_ARCH)"
