#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The device kinds this machine's kernel cannot make (contract "Devices"),
# on Debian's 6.1 kernel with its 8021q and bonding modules, x86_64 only (the
# kernel's VLAN and bonding code is the same on every CPU): a VLAN (802.1Q,
# reorder_hdr on, and off: its frames reach a packet socket with the tag
# inside), a bond in active-backup mode and a VLAN on that bond. The node
# has three NICs: eth0 on LAN A carries VLANs 100 and 101, eth1 and eth2 on
# LAN B are bond0's slaves; the peer (the client image) has one NIC on each
# LAN, answers on the same VLANs, and holds an address for the duplicate
# check (also while dropping ICMP echo). Each kind: restore, the
# announcements seen on the wire (qemu's filter-dump of the peer's NICs, read
# with tcpdump -e on the host: the tag, the MAC), quickCheck, status, ready,
# remove, the duplicate check by ICMP and by ARP (neighbour discovery)
# alone; IPv6 on the VLAN with reorder_hdr off and on the bond. The monitor
# across cable pulls (qemu's set_link) longer than its back-off: eth0 (both
# VLANs), then one of bond0's slaves (a failover: no bounce, no recover),
# then both (a clean failure) and one back; the time from the watched
# device's carrier to the address back is measured in the guest.
# shellcheck disable=SC2016 # single-quoted commands are the guest's to expand
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/boot/lib.sh
. tests/boot/devices_lib.sh

dev_inputs t_devices "devices boot"
node=dev-node
peer=dev-peer
node_mac0=52:54:00:12:01:02 node_mac1=52:54:00:12:01:03 node_mac2=52:54:00:12:01:04
peer_mac0=52:54:00:12:01:0a peer_mac1=52:54:00:12:01:0b
dev_lans devices || exit 1
dev_boot "p0,$lan_a,$peer_mac0,$pcap_a p1,$lan_b,$peer_mac1,$pcap_b" \
  "n0,$lan_a,$node_mac0 n1,$lan_b,$node_mac1 n2,$lan_b,$node_mac2"

# --- the devices ---------------------------------------------------------------
check_out "node: its NICs in qemu's order (eth0 LAN A, eth1 and eth2 LAN B)" "^$node_mac0 $node_mac1 $node_mac2\$" \
  vm_run "$node" 'echo $(cat /sys/class/net/eth0/address /sys/class/net/eth1/address /sys/class/net/eth2/address)'
setup_node="echo 0 >/proc/sys/net/ipv6/conf/default/accept_dad && echo 1 >/proc/sys/net/ipv6/conf/all/keep_addr_on_down
ip link add link eth0 name eth0.100 type vlan id 100
ip link add link eth0 name eth0.101 type vlan id 101 reorder_hdr off
ip addr add 198.51.100.2/25 dev eth0.100 && ip addr add 198.51.100.130/25 dev eth0.101
ip -6 addr add 2001:db8:100::2/64 dev eth0.100 && ip -6 addr add 2001:db8:101::2/64 dev eth0.101 && ip link set eth0.100 up && ip link set eth0.101 up
echo +bond0 >/sys/class/net/bonding_masters && echo active-backup >/sys/class/net/bond0/bonding/mode
echo 100 >/sys/class/net/bond0/bonding/miimon && ip link set eth1 down && ip link set eth2 down
echo +eth1 >/sys/class/net/bond0/bonding/slaves && echo +eth2 >/sys/class/net/bond0/bonding/slaves
ip link set bond0 up && ip addr add 192.0.2.2/24 dev bond0 && ip -6 addr add 2001:db8::2/64 dev bond0
ip link add link bond0 name bond0.200 type vlan id 200 && ip addr add 203.0.113.2/24 dev bond0.200
ip link set bond0.200 up"
check "node: eth0.100, eth0.101 (reorder_hdr off), bond0 (eth1, eth2), bond0.200" vm_lines "$node" "$setup_node"
setup_peer="echo 0 >/proc/sys/net/ipv6/conf/default/accept_dad && echo 0 >/proc/sys/net/ipv6/conf/eth1/accept_dad
ip link add link eth0 name eth0.100 type vlan id 100 && ip link add link eth0 name eth0.101 type vlan id 101
ip addr add 198.51.100.10/25 dev eth0.100 && ip addr add 198.51.100.138/25 dev eth0.101
ip -6 addr add 2001:db8:100::10/64 dev eth0.100 && ip -6 addr add 2001:db8:101::10/64 dev eth0.101 && ip link set eth0.100 up && ip link set eth0.101 up
ip link set eth1 up && ip addr add 192.0.2.10/24 dev eth1 && ip -6 addr add 2001:db8::10/64 dev eth1
ip link add link eth1 name eth1.200 type vlan id 200 && ip addr add 203.0.113.10/24 dev eth1.200
ip link set eth1.200 up"
check "peer: eth0.100, eth0.101, eth1, eth1.200" vm_lines "$peer" "$setup_peer"
check_out "node: eth0.100 reorders its header (REORDER_HDR 1)" 'REORDER_HDR: 1' vm_run "$node" "cat /proc/net/vlan/eth0.100"
check_out "node: eth0.101 does not (REORDER_HDR 0: its frames keep the tag)" 'REORDER_HDR: 0' \
  vm_run "$node" "cat /proc/net/vlan/eth0.101"
check_out "node: bond0 is active-backup over eth1 and eth2, eth1 active" '^active-backup 1 eth1 eth2 eth1$' \
  vm_run "$node" 'echo $(cat /sys/class/net/bond0/bonding/mode /sys/class/net/bond0/bonding/slaves /sys/class/net/bond0/bonding/active_slave)'
bond_mac=$(vm_run "$node" "cat /sys/class/net/bond0/address")
check_text "node: bond0's MAC is its first slave's ($node_mac1)" "^$node_mac1\$" "$bond_mac"
bond_mac=$node_mac1
check "the peer reaches the node on VLAN 100 (IPv4, IPv6), VLAN 101 (IPv4, IPv6), bond0 (IPv4, IPv6), bond0.200" vm_run "$peer" \
  "ping -c 1 -W 3 198.51.100.2 && ping -6 -c 1 -W 3 2001:db8:100::2 && ping -c 1 -W 3 198.51.100.130 && ping -6 -c 1 -W 3 2001:db8:101::2 && ping -c 1 -W 3 192.0.2.2 && ping -6 -c 1 -W 3 2001:db8::2 && ping -c 1 -W 3 203.0.113.2" 60

kind dev-vlan eth0.100 198.51.100.100 "$node_mac0" 100 "$pcap_a"
kind dev-vlan6 eth0.100 2001:db8:100::100 "$node_mac0" 100 "$pcap_a"
kind dev-vlanr eth0.101 198.51.100.200 "$node_mac0" 101 "$pcap_a"
kind dev-vlanr6 eth0.101 2001:db8:101::100 "$node_mac0" 101 "$pcap_a"
kind dev-bond bond0 192.0.2.170 "$bond_mac" - "$pcap_b"
kind dev-bond6 bond0 2001:db8::170 "$bond_mac" - "$pcap_b"
kind dev-bvlan bond0.200 203.0.113.100 "$bond_mac" 200 "$pcap_b"

dup dev-vlan eth0.100 198.51.100.100 25 eth0.100
dup dev-vlan6 eth0.100 2001:db8:100::100 64 eth0.100
dup dev-vlanr eth0.101 198.51.100.200 25 eth0.101
dup dev-vlanr6 eth0.101 2001:db8:101::100 64 eth0.101
dup dev-bond bond0 192.0.2.170 24 eth1
dup dev-bond6 bond0 2001:db8::170 64 eth1
dup dev-bvlan bond0.200 203.0.113.100 24 eth1.200

# eth0 pulled: both VLANs lose their carrier, the monitors' recovers fail and
# back off; plugged back: each address is back at once. Twice, two monitors
# each time, one on each VLAN: the guest has one CPU under TCG, and four
# recovers at the same moment took 0.9-1.3 s (loaded) where two take 0.5.
for pull_set in "dev-vlan,eth0.100,198.51.100.100,VLAN eth0.100, reorder_hdr on
dev-vlanr6,eth0.101,2001:db8:101::100,VLAN eth0.101, reorder_hdr off, IPv6" \
  "dev-vlan6,eth0.100,2001:db8:100::100,VLAN eth0.100, reorder_hdr on, IPv6
dev-vlanr,eth0.101,198.51.100.200,VLAN eth0.101, reorder_hdr off"; do
  pull_cycle n0 n0
done

# bond0: its active slave eth1 pulled: bond0 fails over to eth2 and keeps its
# carrier; the monitors neither see a link failure nor recover.
pull_set="dev-bond,bond0,192.0.2.170,bond0, active-backup, one slave back
dev-bvlan,bond0.200,203.0.113.100,VLAN bond0.200 on the bond"
pull_start
mark_passes() { mon_mark "$1" >"$bt_tmp/mark-$1"; vm_run "$node" "date +%s" | tr -d ' \r' >"$bt_tmp/passed-$1"; }
pull_each mark_passes
# The kernel's messages from here on.
kmark=$(vm_run "$node" "dmesg | wc -l" | tr -d ' ')
kernel_says() { vm_run "$node" "dmesg | tail -n +$((kmark + 1))"; }
vm_monitor "$node" "set_link n1 off"
out=$(vm_until "$node" "grep -qx eth2 /sys/class/net/bond0/bonding/active_slave" 10)
check_text "eth1 pulled: bond0 fails over to eth2" '^took ' "$out"
check_out "the kernel says so" 'bond0: \(slave eth2\): making interface the new active one' kernel_says
# Each monitor's next quickCheck (every LKCHECKINTERVAL, 5 s) passes, with
# no bounce and no recover.
failover_checked() {
  out=$(vm_until "$node" "$(passed_after "$1" "$(cat "$bt_tmp/passed-$1")")" 15)
  check_text "$1: the monitor's next quickCheck passes after the failover" '^took ' "$out"
  check_no_out "$1: no bounce, no recover" 'lost carrier|taking it down|recover' mon_since "$1" "$(cat "$bt_tmp/mark-$1")"
}
pull_each failover_checked
check_out "bond0 kept its carrier" '^1$' vm_run "$node" "cat /sys/class/net/bond0/carrier"
check_no_out "the kernel never had bond0 without an active slave" 'bond0: now running without any active interface' \
  kernel_says
check "dev-bond: quickCheck by hand passes" vm_run "$node" "ipres quickCheck dev-bond"
check "the peer reaches both addresses through eth2" vm_run "$peer" \
  "ping -c 1 -W 2 192.0.2.170 && ping -c 1 -W 2 203.0.113.100" 30
check_out "the peer's entry for 192.0.2.170 is still bond0's MAC" "lladdr $bond_mac" vm_run "$peer" "ip neigh show 192.0.2.170"

# Both slaves pulled: bond0 has no carrier; the monitors' recovers fail
# cleanly and back off; so do a restore, quickCheck and ready by hand.
vm_monitor "$node" "set_link n2 off"
out=$(vm_until "$node" "dmesg | tail -n +$((kmark + 1)) | grep -q 'bond0: now running without any active interface'" 10)
check_text "eth2 pulled too: bond0 has no active slave" '^took ' "$out"
out=$(vm_run "$node" "ipres restore dev-bond2 2>&1; echo \"exit \$?\"" 60)
check_text "all slaves down: restore dev-bond2 fails (exit 1)" '^exit 1$' "$out"
check_text "all slaves down: it says the link check failed on bond0" 'dev-bond2: restore: link check: .*bond0' "$out"
check_no_out "all slaves down: 192.0.2.171 not added" ' 192\.0\.2\.171/' vm_run "$node" "ip -o addr show dev bond0"
check_exit "all slaves down: quickCheck dev-bond fails" 1 vm_run "$node" "ipres quickCheck dev-bond"
check_exit "all slaves down: ready dev-bond says no" 1 vm_run "$node" "ipres ready dev-bond"
vm_run "$node" "ipres remove dev-bond2" >/dev/null
pull_down
check_out "bond0 keeps both slaves" '^eth1 eth2$' vm_run "$node" "cat /sys/class/net/bond0/bonding/slaves"
pull_back n1
check "the peer reaches both again" vm_run "$peer" "ping -c 1 -W 2 192.0.2.170 && ping -c 1 -W 2 203.0.113.100" 30
check_out "the peer's entry for 192.0.2.170 is bond0's MAC" "lladdr $bond_mac" vm_run "$peer" "ip neigh show 192.0.2.170"
vm_monitor "$node" "set_link n2 on"
pull_stop

# bond0's IPv6 resource across the same: its active slave pulled (no
# bounce, no recover), then the other (its recovers fail), one back.
pull_set="dev-bond6,bond0,2001:db8::170,bond0, active-backup, one slave back, IPv6"
pull_start
mark_passes dev-bond6
vm_monitor "$node" "set_link n1 off"
out=$(vm_until "$node" "grep -qx eth2 /sys/class/net/bond0/bonding/active_slave" 10)
check_text "eth1 pulled again: bond0 fails over to eth2" '^took ' "$out"
failover_checked dev-bond6
vm_monitor "$node" "set_link n2 off"
pull_down
pull_back n1
check "the peer reaches 2001:db8::170 again" vm_run "$peer" "ping -6 -c 1 -W 2 2001:db8::170" 30
vm_monitor "$node" "set_link n2 on"
pull_stop

check "the node powers off" vm_poweroff "$node" 60
check "the peer powers off" vm_poweroff "$peer" 60
summary "devices boot ($arch)"
