#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The device kinds of t_devices.sh, second part (contract "Devices", issue
# 24), on Debian's 6.1 kernel, x86_64 only: an 802.1ad VLAN (QinQ's outer
# tag, ethertype 0x88a8), a bond in balance-alb mode (it sends from its
# slaves' own MACs, which count as this node's), the duplicate check by ICMP
# alone (a holder that answers no ARP) on each kind, and the monitor's claim
# watch: a rogue host claims the held address on a VLAN (reorder_hdr on,
# and off, IPv6 too) and on the bond; the monitor across cable pulls on the
# 802.1ad VLAN and the bond; last, bond0 in balance-rr mode (its own frames
# come back by the other slave). The node: eth0 on LAN A carries
# VLANs 100, 101 (reorder_hdr off) and 802.1ad VLAN 300; eth1 and eth2 on
# LAN B are bond0's slaves. The peer: eth0 (LAN A) and eth1 (LAN B) are
# the client, eth2 (LAN A, VLANs 100 and 101) and eth3 (LAN B) the rogue,
# NICs of their own MACs that answer no ARP for the client's addresses
# (arp_ignore 1).
# shellcheck disable=SC2016 # single-quoted commands are the guest's to expand
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/boot/lib.sh
. tests/boot/devices_lib.sh

dev_inputs t_devices2 "devices boot, part 2"
node=dev2-node
peer=dev2-peer
node_mac0=52:54:00:12:02:02 node_mac1=52:54:00:12:02:03 node_mac2=52:54:00:12:02:04
peer_mac0=52:54:00:12:02:0a peer_mac1=52:54:00:12:02:0b rogue_a=52:54:00:12:02:0c rogue_b=52:54:00:12:02:0d
slaves="$node_mac1|$node_mac2"
dev_lans devices2 || exit 1
dev_boot "p0,$lan_a,$peer_mac0,$pcap_a p1,$lan_b,$peer_mac1,$pcap_b p2,$lan_a,$rogue_a p3,$lan_b,$rogue_b" \
  "n0,$lan_a,$node_mac0 n1,$lan_b,$node_mac1 n2,$lan_b,$node_mac2"

# --- the devices ---------------------------------------------------------------
setup_node="echo 0 >/proc/sys/net/ipv6/conf/default/accept_dad && echo 1 >/proc/sys/net/ipv6/conf/all/keep_addr_on_down
ip link add link eth0 name eth0.100 type vlan id 100
ip link add link eth0 name eth0.101 type vlan id 101 reorder_hdr off
ip link add link eth0 name eth0.300 type vlan protocol 802.1ad id 300
ip addr add 198.51.100.2/25 dev eth0.100 && ip addr add 198.51.100.130/25 dev eth0.101
ip -6 addr add 2001:db8:101::2/64 dev eth0.101 && ip addr add 203.0.113.2/24 dev eth0.300
ip link set eth0.100 up && ip link set eth0.101 up && ip link set eth0.300 up
echo +bond0 >/sys/class/net/bonding_masters && echo balance-alb >/sys/class/net/bond0/bonding/mode
echo 100 >/sys/class/net/bond0/bonding/miimon && ip link set eth1 down && ip link set eth2 down
echo +eth1 >/sys/class/net/bond0/bonding/slaves && echo +eth2 >/sys/class/net/bond0/bonding/slaves
ip link set bond0 up && ip addr add 192.0.2.2/24 dev bond0 && ip -6 addr add 2001:db8::2/64 dev bond0"
check "node: eth0.100, eth0.101 (reorder_hdr off), eth0.300 (802.1ad), bond0 (balance-alb: eth1, eth2)" \
  vm_lines "$node" "$setup_node"
setup_peer="echo 0 >/proc/sys/net/ipv6/conf/default/accept_dad && echo 1 >/proc/sys/net/ipv4/conf/default/arp_ignore
echo 0 >/proc/sys/net/ipv6/conf/eth1/accept_dad && echo 0 >/proc/sys/net/ipv6/conf/eth2/accept_dad
echo 0 >/proc/sys/net/ipv6/conf/eth3/accept_dad && echo 1 >/proc/sys/net/ipv4/conf/eth2/arp_ignore
echo 1 >/proc/sys/net/ipv4/conf/eth3/arp_ignore && echo 1 >/proc/sys/net/ipv4/ip_nonlocal_bind
ip link add link eth0 name eth0.100 type vlan id 100 && ip link add link eth0 name eth0.101 type vlan id 101
ip link add link eth0 name eth0.300 type vlan protocol 802.1ad id 300
ip addr add 198.51.100.10/25 dev eth0.100 && ip addr add 198.51.100.138/25 dev eth0.101
ip -6 addr add 2001:db8:101::10/64 dev eth0.101 && ip addr add 203.0.113.10/24 dev eth0.300
ip link set eth0.100 up && ip link set eth0.101 up && ip link set eth0.300 up
ip link set eth1 up && ip addr add 192.0.2.10/24 dev eth1 && ip -6 addr add 2001:db8::10/64 dev eth1
ip link add link eth2 name eth2.100 type vlan id 100 && ip link add link eth2 name eth2.101 type vlan id 101
ip link set eth2 up && ip link set eth2.100 up && ip link set eth2.101 up && ip link set eth3 up
echo 1 >/proc/sys/net/ipv6/conf/eth2.101/ndisc_notify && echo 1 >/proc/sys/net/ipv6/conf/eth3/ndisc_notify"
check "peer: the client's eth0.100, eth0.101, eth0.300 (802.1ad), eth1; the rogue's eth2.100, eth2.101, eth3" \
  vm_lines "$peer" "$setup_peer"
check_out "node: bond0 is balance-alb over eth1 and eth2" '^balance-alb 6 eth1 eth2$' \
  vm_run "$node" 'echo $(cat /sys/class/net/bond0/bonding/mode /sys/class/net/bond0/bonding/slaves)'
check_out "node: eth2 keeps its own MAC in the bond ($node_mac2)" "^$node_mac2\$" vm_run "$node" "cat /sys/class/net/eth2/address"
check "the peer reaches the node on VLAN 100, 101 (IPv4, IPv6), 802.1ad VLAN 300, bond0 (IPv4, IPv6)" vm_run "$peer" \
  "ping -c 1 -W 3 198.51.100.2 && ping -c 1 -W 3 198.51.100.130 && ping -6 -c 1 -W 3 2001:db8:101::2 && ping -c 1 -W 3 203.0.113.2 && ping -c 1 -W 3 192.0.2.2 && ping -6 -c 1 -W 3 2001:db8::2" 60

# --- 802.1ad and balance-alb: each kind's operations, the duplicate check ----
kind dev-qinq eth0.300 203.0.113.150 "$node_mac0" ad300 "$pcap_a"
kind dev-bond bond0 192.0.2.170 "$slaves" - "$pcap_b"
kind dev-bond6 bond0 2001:db8::170 "$slaves" - "$pcap_b"
dup dev-qinq eth0.300 203.0.113.150 24 eth0.300
dup dev-bond bond0 192.0.2.170 24 eth1
dup dev-bond6 bond0 2001:db8::170 64 eth1

# dup_icmp TAG DEV ADDRESS PREFIX PEER_DEV PEER_MAC: the peer holds ADDRESS
# on PEER_DEV but answers no ARP for it (arp_ignore 8); the node reaches it
# through a static neighbour entry (PEER_MAC), so only its ping answers:
# restore fails by ICMP alone.
dup_icmp() {
  _re=$(printf '%s' "$3" | sed 's/\./\\./g')
  check "$2: the peer holds $3, answering no ARP (arp_ignore 8 on $5)" vm_run "$peer" \
    "echo 8 >/proc/sys/net/ipv4/conf/$5/arp_ignore && ip addr add $3/$4 dev $5"
  check "$2: the node's static neighbour entry for $3 ($6)" vm_run "$node" "arp -i $2 -s $3 $6"
  check_exit "$2: the node's arping of $3 gets no answer" 1 vm_run "$node" "arping -c 2 -w 3 -I $2 $3" 30
  check "$2: the node's ping of $3 is answered" vm_run "$node" "ping -c 1 -W 2 $3" 30
  out=$(vm_run "$node" "ipres restore $1 2>&1; echo \"exit \$?\"" 60)
  check_text "$2: restore $1 fails by ICMP alone (exit 1)" '^exit 1$' "$out"
  check_text "$2: restore says it is in use (it answered ICMP echo)" \
    "duplicate check: $_re in use on the network \\(it answered ICMP echo\\)" "$out"
  check_no_out "$2: $3 not added" " $3/" vm_run "$node" "ip -o addr show dev $2"
  vm_run "$node" "arp -i $2 -d $3; ipres remove $1" >/dev/null
  vm_run "$peer" "ip addr del $3/$4 dev $5; echo 0 >/proc/sys/net/ipv4/conf/$5/arp_ignore" >/dev/null
}
dup_icmp dev-vlan eth0.100 198.51.100.100 25 eth0.100 "$peer_mac0"
dup_icmp dev-vlanr eth0.101 198.51.100.200 25 eth0.101 "$peer_mac0"
dup_icmp dev-qinq eth0.300 203.0.113.150 24 eth0.300 "$peer_mac0"
dup_icmp dev-bond bond0 192.0.2.170 24 eth1 "$peer_mac1"

# --- the claim watch -------------------------------------------------------------
# claimed TAG DEV ADDRESS ROGUE_DEV ROGUE_MAC NODE_MACS PCAP: with TAG's monitor
# running and the client's entry for ADDRESS on one of NODE_MACS, the rogue
# claims ADDRESS (IPv4: one gratuitous ARP, arping -U, sent without holding
# the address (ip_nonlocal_bind): held by the client's own kernel, its claim
# would be no gratuitous ARP to the client, which then keeps the rogue's MAC
# for ARP's locktime, 1 s, against the defence; IPv6: its kernel's
# unsolicited NA, Override set, as it adds the address, ndisc_notify 1). The monitor logs the conflict naming ROGUE_MAC and defends: the
# client's entry, moved to ROGUE_MAC, is the node's again. A second claim
# within 10 s (DEFEND_INTERVAL) is logged too and not answered at once:
# quickCheck fails naming ROGUE_MAC; when the 10 s end the monitor announces
# again, and quickCheck passes once they go by with no claim. Every
# conflict line names ROGUE_MAC (none the node's own MACs); no recover.
# On a failure, the monitor's log and the frames naming ADDRESS in PCAP (the
# client's LAN), unfiltered: a BPF "arp" matches no VLAN-tagged frame.
claimed() {
  case $3 in
    *:*) _v=6 _claim="ip -6 addr add $3/128 dev $4 && sleep 0.3; ip -6 addr del $3/128 dev $4" ;;
    *) _v=4 _claim="arping -U -c 1 -s $3 -I $4 $3 >/dev/null" ;;
  esac
  _re=$(printf '%s' "$3" | sed 's/\./\\./g')
  _node_entry="ip -$_v neigh show $3 | grep -qE 'lladdr ($6)'"
  check_out "$1: the client's entry for $3 is the node's" "lladdr ($6)" \
    vm_run "$peer" "ping -$_v -c 1 -W 2 $3 >/dev/null; ip -$_v neigh show $3" 30
  # The node's answer put its entry for the client in DELAY: 5 s later its
  # kernel confirms it with a request to the client from $3, which the
  # client, asked, takes as $3's MAC at once, undoing a claim made just
  # before (t_boot.sh). The claims wait until the node's entries settle.
  out=$(vm_until "$node" "! ip -$_v neigh show dev $2 | grep -qE ' (DELAY|PROBE)\$'" 20)
  check_text "$1: the node's entries on $2 are settled before the claims" '^took ' "$out"
  _m=$(mon_mark "$1")
  _claims_host=$(date +%s)
  _failed_before=$failed
  vm_run "$peer" "rm -f /tmp/claim-$1.pid; { setsid bt-neigh-record $_v $3 60 claim-$1 </dev/null >/dev/null 2>&1 & }" >/dev/null
  out=$(vm_until "$peer" "[ -s /tmp/claim-$1.pid ]" 10)
  check_text "$1: the peer records its entry for $3" '^took ' "$out"
  check "$1: the rogue ($5 on $4) claims $3" vm_run "$peer" "$_claim" 30
  out=$(vm_until "$node" "tail -n +$((_m + 1)) /tmp/mon-$1.log | grep -qE 'conflict: $_re on $2 (claimed|answered) by $5'" 10)
  check_text "$1: the monitor logs the conflict, naming the rogue's MAC" '^took ' "$out"
  out=$(vm_until "$peer" "$_node_entry" 10)
  check_text "$1: defended: the client's entry for $3 is the node's again" '^took ' "$out"
  check "$1: the rogue claims $3 again, within 10 s of the defence" vm_run "$peer" "$_claim" 30
  out=$(vm_until "$node" "tail -n +$((_m + 1)) /tmp/mon-$1.log | grep -qE 'conflict: $_re on $2 (claimed|answered) by $5.*: defended'" 10)
  check_text "$1: the monitor logs it, to be answered when the 10 s end" '^took ' "$out"
  out=$(vm_run "$node" "ipres quickCheck $1 2>&1; echo \"exit \$?\"")
  check_text "$1: quickCheck fails while the conflict stands (exit 1)" '^exit 1$' "$out"
  check_text "$1: quickCheck names the rogue's MAC" "conflict: .* claimed by $5" "$out"
  # IPv6: often sooner, as the node's kernel answers the monitor's own
  # DAD-style probe (every quickCheck) with an NA to all nodes (t_boot.sh).
  out=$(vm_until "$peer" "$_node_entry" 20)
  check_text "$1: the announcement when the 10 s end: the client's entry is the node's again" '^took ' "$out"
  out=$(vm_until "$node" "ipres quickCheck $1 >/dev/null 2>&1" 30)
  check_text "$1: quickCheck passes again once 10 s go by with no claim ($(took "$out") later)" '^took ' "$out"
  _rec=$(vm_run "$peer" "kill \$(cat /tmp/claim-$1.pid) 2>/dev/null; cat /tmp/claim-$1.neigh")
  check_text "$1: the client's entry was the rogue's meanwhile" "lladdr $5" "$_rec"
  echo "$1: the client's entry (guest clock, its MAC, changes only):"
  printf '%s\n' "$_rec" | awk '{ m = "-"; for (i = 2; i < NF; i++) if ($i == "lladdr") m = $(i + 1)
    if (m != last) print "  " $1 " s: " m; last = m }'
  _log=$(mon_since "$1" "$_m")
  # One line per claim: "claimed by", or "answered by" when the claim came
  # while a probe listened (the probe took it as its answer). IPv6 may add
  # probe answers: the rogue holds the address for 0.3 s, and a quickCheck's
  # probe (every 5 s) that falls then is answered; IPv4's rogue holds nothing.
  _claimed=$(printf '%s\n' "$_log" | grep -cE "conflict: $_re on $2 claimed by $5")
  _answered=$(printf '%s\n' "$_log" | grep -cE "conflict: $_re on $2 answered by $5")
  _lines="$_claimed claimed, $_answered answered"
  if [ "$_v" = 4 ]; then
    check "$1: one conflict line naming the rogue for each of its 2 claims ($_lines)" \
      test $((_claimed + _answered)) = 2
  else
    check "$1: one conflict line naming the rogue for each of its 2 claims, besides probes answered ($_lines)" \
      test "$_claimed" -le 2 -a $((_claimed + _answered)) -ge 2
  fi
  echo "$1: the monitor's conflict lines:"
  printf '%s\n' "$_log" | grep -E 'conflict' | sed 's/^/  /'
  _others=$(printf '%s\n' "$_log" | sed -nE "s/.*conflict: $_re on $2 (claimed|answered) by ([0-9a-f:]{17}).*/\\2/p" |
    grep -v "^$5\$" | sort -u | tr '\n' ' ')
  check_text "$1: no conflict line names another MAC (the node's own among them)${_others:+: $_others}" '^$' "$_others"
  _bad=$(printf '%s\n' "$_log" | grep -E 'quickCheck failed: recovering|recover:|taking it down|lost carrier')
  check_text "$1: no recover, no bounce${_bad:+: $_bad}" '^$' "$_bad"
  check_out "$1: the node still holds $3" " $3/" vm_run "$node" "ip -$_v -o addr show dev $2"
  if [ "$failed" != "$_failed_before" ]; then
    echo "$1: the monitor's log since the mark:"
    printf '%s\n' "$_log" | sed 's/^/  /'
    echo "$1: what the client's NIC saw for $3 from the claims on (host clock, from $_claims_host):"
    tcpdump -r "$7" -e -n -tt 2>/dev/null | grep -F "$3" | wire_near "$_claims_host" 40
  fi
}
mon_start dev-vlan
claimed dev-vlan eth0.100 198.51.100.100 eth2.100 "$rogue_a" "$node_mac0" "$pcap_a"
mon_stop dev-vlan
mon_start dev-vlanr
claimed dev-vlanr eth0.101 198.51.100.200 eth2.101 "$rogue_a" "$node_mac0" "$pcap_a"
mon_stop dev-vlanr
mon_start dev-vlanr6
claimed dev-vlanr6 eth0.101 2001:db8:101::100 eth2.101 "$rogue_a" "$node_mac0" "$pcap_a"
mon_stop dev-vlanr6
mon_start dev-bond
mon_start dev-bond6
claimed dev-bond bond0 192.0.2.170 eth3 "$rogue_b" "$slaves" "$pcap_b"
claimed dev-bond6 bond0 2001:db8::170 eth3 "$rogue_b" "$slaves" "$pcap_b"
# What the claim watch on bond0 heard besides: balance-alb sends ARP for the
# address from eth2's own MAC too, and LAN B brings it back to eth1; no
# conflict named it (above): a slave's MAC is this node's.
check_out "balance-alb: ARP for 192.0.2.170 went out from eth2's own MAC ($node_mac2)" \
  "^[0-9:.]* $node_mac2 > .*(tell 192\.0\.2\.170,|Reply 192\.0\.2\.170 is-at)" wire "$pcap_b"

# --- balance-alb: a slave change while bond0 keeps its carrier -----------------
# eth1 pulled (the slave holding bond0's MAC): bond0 moves on to eth2 and
# keeps its carrier; both monitors' next quickCheck passes; no bounce, no
# recover; plugged back, the same.
# Each pull starts from a settled pair: the peer resolves 192.0.2.170 afresh
# and reaches both addresses, and both monitors passed a quickCheck since.
# Why afresh: the rogue's claims above made bond0 drop the peer from its
# receive balancing (balance-alb purges the clients of an address another
# MAC sent ARP for), so a slave change would send it no update, and the
# peer would keep a MAC bond0 just moved to the pulled slave. On a
# failure, what the monitor logged and what crossed LAN B.
for plug in off on; do
  vm_run "$peer" "ip neigh flush to 192.0.2.170" >/dev/null
  check "eth1's cable $plug: before it, the peer reaches both addresses" vm_run "$peer" \
    "ping -c 1 -W 2 192.0.2.170 && ping -6 -c 1 -W 2 2001:db8::170" 30
  echo "eth1's cable $plug: the peer's entry before it: $(vm_run "$peer" "ip neigh show 192.0.2.170" | tr -d '\r')"
  settled_at=$(vm_run "$node" "date +%s" | tr -d ' \r')
  out=$(vm_until "$node" "$(passed_after dev-bond "$settled_at") && $(passed_after dev-bond6 "$settled_at")" 20)
  check_text "eth1's cable $plug: before it, both monitors pass a quickCheck" '^took ' "$out"
  mark_bond=$(mon_mark dev-bond)
  mark_bond6=$(mon_mark dev-bond6)
  pulled_at=$(vm_run "$node" "date +%s" | tr -d ' \r')
  pulled_host=$(date +%s)
  failed_before_pull=$failed
  vm_monitor "$node" "set_link n1 $plug"
  want=0
  [ $plug = on ] && want=1
  out=$(vm_until "$node" "[ \$(cat /sys/class/net/eth1/carrier) = $want ]" 10)
  check_text "eth1's cable $plug: eth1's carrier is $want" '^took ' "$out"
  out=$(vm_until "$node" "$(passed_after dev-bond "$pulled_at") && $(passed_after dev-bond6 "$pulled_at")" 20)
  check_text "eth1's cable $plug: both monitors' next quickCheck passes" '^took ' "$out"
  check_out "eth1's cable $plug: bond0 kept its carrier" '^1$' vm_run "$node" "cat /sys/class/net/bond0/carrier"
  check_no_out "eth1's cable $plug: dev-bond: no bounce, no recover" 'lost carrier|taking it down|recover' \
    mon_since dev-bond "$mark_bond"
  check_no_out "eth1's cable $plug: dev-bond6: no bounce, no recover" 'lost carrier|taking it down|recover' \
    mon_since dev-bond6 "$mark_bond6"
  if [ "$failed" != "$failed_before_pull" ]; then
    echo "eth1's cable $plug: dev-bond's monitor since the pull:"
    mon_since dev-bond "$mark_bond" | sed 's/^/  /'
    echo "eth1's cable $plug: ARP and ICMP on LAN B from the pull on (host clock, pulled at $pulled_host):"
    tcpdump -r "$pcap_b" -e -n -tt 'arp or icmp' 2>/dev/null | wire_near "$pulled_host" 25
  fi
  check "eth1's cable $plug: the peer reaches both addresses" vm_run "$peer" \
    "ping -c 1 -W 2 192.0.2.170 && ping -6 -c 1 -W 2 2001:db8::170" 30
done
mon_stop dev-bond
mon_stop dev-bond6

# The monitor across cable pulls longer than its back-off, the time from the
# carrier's return to the address back measured in the guest: eth0 (the
# 802.1ad VLAN loses carrier), then both of bond0's slaves, one back.
pull_set="dev-qinq,eth0.300,203.0.113.150,802.1ad VLAN eth0.300"
pull_cycle n0 n0
pull_set="dev-bond,bond0,192.0.2.170,bond0, balance-alb, one slave back
dev-bond6,bond0,2001:db8::170,bond0, balance-alb, one slave back, IPv6"
pull_cycle "n1 n2" n1

# --- balance-rr: every frame from bond0's MAC, by either slave ----------------
# bond0 made again in balance-rr mode (a mode change needs the bond down and
# without slaves). LAN B brings each frame one slave sends back to the
# other: the node's own announcements and answers, from its own MAC, which
# the claim watch must not take for claims. A slave change keeps carrier.
rr="ip link set bond0 down && echo -eth1 >/sys/class/net/bond0/bonding/slaves
echo -eth2 >/sys/class/net/bond0/bonding/slaves && echo balance-rr >/sys/class/net/bond0/bonding/mode
ip link set eth1 down && ip link set eth2 down && echo +eth1 >/sys/class/net/bond0/bonding/slaves
echo +eth2 >/sys/class/net/bond0/bonding/slaves && ip link set bond0 up"
check "node: bond0 made again in balance-rr mode" vm_lines "$node" "$rr"
check_out "node: bond0 is balance-rr over eth1 and eth2, eth1's MAC" "^balance-rr 0 eth1 eth2 $node_mac1\$" \
  vm_run "$node" '(cd /sys/class/net/bond0 && echo $(cat bonding/mode bonding/slaves address))'
out=$(vm_until "$node" "grep -qx 1 /sys/class/net/bond0/carrier && ip -o addr show dev bond0 | grep -q ' 192.0.2.2/'" 20)
check_text "node: bond0 up with carrier and its own address" '^took ' "$out"
mon_start dev-bond
rr_mark=$(mon_mark dev-bond)
check_out "balance-rr: the peer's entry for 192.0.2.170 is bond0's MAC" "lladdr $node_mac1" \
  vm_run "$peer" "ping -c 2 -W 2 192.0.2.170 >/dev/null; ip neigh show 192.0.2.170" 30
pulled_at=$(vm_run "$node" "date +%s" | tr -d ' \r')
vm_monitor "$node" "set_link n1 off"
out=$(vm_until "$node" "$(passed_after dev-bond "$pulled_at")" 20)
first_pass=$(vm_run "$node" "sed -n 's/^last monitor ok //p' /run/ipres/dev-bond@*.check" | tr -d ' \r')
out="$out
$(vm_until "$node" "$(passed_after dev-bond "${first_pass:-0}")" 20)"
check_text "balance-rr, eth1's cable off: two more quickChecks pass" '^2$' \
  "$(printf '%s\n' "$out" | grep -c '^took ')"
check_out "balance-rr, eth1's cable off: bond0 kept its carrier" '^1$' vm_run "$node" "cat /sys/class/net/bond0/carrier"
vm_monitor "$node" "set_link n1 on"
_log=$(mon_since dev-bond "$rr_mark")
check_no_out "balance-rr: no conflict (its own frames back from LAN B), no bounce, no recover" \
  'conflict|quickCheck failed|recover:|taking it down|lost carrier' printf '%s\n' "$_log"
check "balance-rr: the peer reaches 192.0.2.170" vm_run "$peer" "ping -c 1 -W 2 192.0.2.170" 30
# One claim: LAN B floods the rogue's broadcast to both slaves, and bond0
# delivers both copies. Still one claim: one conflict line, defended, and
# no conflict stands (a copy is no claim again within the 10 s).
rr_claim_mark=$(mon_mark dev-bond)
rr_failed_before=$failed
check "balance-rr: the rogue ($rogue_b on eth3) claims 192.0.2.170 once" \
  vm_run "$peer" "arping -U -c 1 -s 192.0.2.170 -I eth3 192.0.2.170 >/dev/null" 30
out=$(vm_until "$node" "tail -n +$((rr_claim_mark + 1)) /tmp/mon-dev-bond.log | grep -q 'conflict: 192\.0\.2\.170 on bond0 claimed by $rogue_b'" 10)
check_text "balance-rr: the monitor logs the claim" '^took ' "$out"
sleep 2
_log=$(mon_since dev-bond "$rr_claim_mark")
check_text "balance-rr: one conflict line for the one claim, which both slaves got" '^1$' \
  "$(printf '%s\n' "$_log" | grep -c 'conflict: 192\.0\.2\.170 on bond0')"
out=$(vm_run "$node" "ipres quickCheck dev-bond 2>&1; echo \"exit \$?\"")
check_text "balance-rr: defended, no conflict stands: quickCheck passes" '^exit 0$' "$out"
if [ "$failed" != "$rr_failed_before" ]; then
  echo "balance-rr: the monitor's log since the claim:"
  printf '%s\n' "$_log" | sed 's/^/  /'
fi
mon_stop dev-bond

check "the node powers off" vm_poweroff "$node" 60
check "the peer powers off" vm_poweroff "$peer" 60
summary "devices boot, part 2 ($arch)"
