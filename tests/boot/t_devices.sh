#!/bin/sh
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

arch=${IPRES_ARCH:-x86_64}
if [ "$arch" != x86_64 ]; then
  skip "device kinds: x86_64 only (VLAN and bonding are the kernel's own code, the same on every CPU)"
  summary "devices boot ($arch)"
  exit $?
fi
boot_inputs "$arch" || exit 1
[ -f "$kernel/devmods.cpio.gz" ] || { echo "$kernel/devmods.cpio.gz missing (tests/boot/kernel.sh makes it)" >&2; exit 1; }
command -v tcpdump >/dev/null || { echo "t_devices: needs tcpdump on the host" >&2; exit 1; }

# The node's own init script and mdev hook, replaced (tests/boot/devices/).
devnode="$kernel/devnode.cpio.gz"
(cd tests/boot/devices && find . -mindepth 1 | LC_ALL=C sort |
  cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -9n >"$devnode" || exit 1

node=dev-node
peer=dev-peer
node_mac0=52:54:00:12:01:02 node_mac1=52:54:00:12:01:03 node_mac2=52:54:00:12:01:04
peer_mac0=52:54:00:12:01:0a peer_mac1=52:54:00:12:01:0b
pcap_a="$BOOT_OUT/logs/devices-lan-a.pcap"
pcap_b="$BOOT_OUT/logs/devices-lan-b.pcap"

boot_init || exit 1
lan_a="230.0.0.1:$bt_port"
lan_b="230.0.0.2:$((bt_port + 1))"
rm -f "$pcap_a" "$pcap_b"
# shellcheck disable=SC2034 # vm_start reads it
vm_nics="p0,$lan_a,$peer_mac0,$pcap_a p1,$lan_b,$peer_mac1,$pcap_b"
vm_start "$peer" "$arch" "$peer_mac0" "bt.name=peer" \
  "$image" "$kernel/modules.cpio.gz" "$kernel/devmods.cpio.gz" "$BOOT_OUT/client.cpio.gz"
# shellcheck disable=SC2034
vm_nics="n0,$lan_a,$node_mac0 n1,$lan_b,$node_mac1 n2,$lan_b,$node_mac2"
vm_start "$node" "$arch" "$node_mac0" "bt.name=node" \
  "$image" "$kernel/modules.cpio.gz" "$kernel/devmods.cpio.gz" "$devnode"
check "the peer boots" vm_boot "$peer" 120
check "the node boots" vm_boot "$node" 120
# The init script's monitor watches every tag, these too once a restore
# speaks for them: it is ended, so that what each step below does (and each
# monitor below times) is that step's alone.
check "node: the init script's monitor ended" vm_run "$node" \
  'p=$(cat /var/run/ipres-monitor.pid) && kill $p && n=0 &&
   while kill -0 $p 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done; ! kill -0 $p'
echo "boot time ($arch, kernel $(cat "$kernel/release")): node $(vm_boot_time "$node"), peer $(vm_boot_time "$peer")"

# --- the devices ---------------------------------------------------------------
# 8021q (and what it needs), then bonding without a bond of its own.
load='while read -r m; do case $m in */bonding.ko) insmod $m max_bonds=0 ;; *) insmod $m ;; esac || exit 1; done </etc/boot-test/devmods'
check "node: 8021q and bonding loaded (insmod)" vm_run "$node" "( $load ) && grep -q '^8021q ' /proc/modules && grep -q '^bonding ' /proc/modules"
check "peer: 8021q loaded" vm_run "$peer" "( $load ) && grep -q '^8021q ' /proc/modules"
check_out "node: its NICs in qemu's order (eth0 LAN A, eth1 and eth2 LAN B)" "^$node_mac0 $node_mac1 $node_mac2\$" \
  vm_run "$node" 'echo $(cat /sys/class/net/eth0/address /sys/class/net/eth1/address /sys/class/net/eth2/address)'
setup_node="echo 0 >/proc/sys/net/ipv6/conf/default/accept_dad && echo 1 >/proc/sys/net/ipv6/conf/all/keep_addr_on_down"
setup_node="$setup_node && ip link add link eth0 name eth0.100 type vlan id 100"
setup_node="$setup_node && ip link add link eth0 name eth0.101 type vlan id 101 reorder_hdr off"
setup_node="$setup_node && ip addr add 198.51.100.2/25 dev eth0.100 && ip addr add 198.51.100.130/25 dev eth0.101"
setup_node="$setup_node && ip -6 addr add 2001:db8:101::2/64 dev eth0.101 && ip link set eth0.100 up && ip link set eth0.101 up"
setup_node="$setup_node && echo +bond0 >/sys/class/net/bonding_masters && echo active-backup >/sys/class/net/bond0/bonding/mode"
setup_node="$setup_node && echo 100 >/sys/class/net/bond0/bonding/miimon && ip link set eth1 down && ip link set eth2 down"
setup_node="$setup_node && echo +eth1 >/sys/class/net/bond0/bonding/slaves && echo +eth2 >/sys/class/net/bond0/bonding/slaves"
setup_node="$setup_node && ip link set bond0 up && ip addr add 192.0.2.2/24 dev bond0 && ip -6 addr add 2001:db8::2/64 dev bond0"
setup_node="$setup_node && ip link add link bond0 name bond0.200 type vlan id 200 && ip addr add 203.0.113.2/24 dev bond0.200"
setup_node="$setup_node && ip link set bond0.200 up"
check "node: eth0.100, eth0.101 (reorder_hdr off), bond0 (eth1, eth2), bond0.200" vm_run "$node" "$setup_node"
setup_peer="echo 0 >/proc/sys/net/ipv6/conf/default/accept_dad && echo 0 >/proc/sys/net/ipv6/conf/eth1/accept_dad"
setup_peer="$setup_peer && ip link add link eth0 name eth0.100 type vlan id 100 && ip link add link eth0 name eth0.101 type vlan id 101"
setup_peer="$setup_peer && ip addr add 198.51.100.10/25 dev eth0.100 && ip addr add 198.51.100.138/25 dev eth0.101"
setup_peer="$setup_peer && ip -6 addr add 2001:db8:101::10/64 dev eth0.101 && ip link set eth0.100 up && ip link set eth0.101 up"
setup_peer="$setup_peer && ip link set eth1 up && ip addr add 192.0.2.10/24 dev eth1 && ip -6 addr add 2001:db8::10/64 dev eth1"
setup_peer="$setup_peer && ip link add link eth1 name eth1.200 type vlan id 200 && ip addr add 203.0.113.10/24 dev eth1.200"
setup_peer="$setup_peer && ip link set eth1.200 up"
check "peer: eth0.100, eth0.101, eth1, eth1.200" vm_run "$peer" "$setup_peer"
check_out "node: eth0.100 reorders its header (REORDER_HDR 1)" 'REORDER_HDR: 1' vm_run "$node" "cat /proc/net/vlan/eth0.100"
check_out "node: eth0.101 does not (REORDER_HDR 0: its frames keep the tag)" 'REORDER_HDR: 0' \
  vm_run "$node" "cat /proc/net/vlan/eth0.101"
check_out "node: bond0 is active-backup over eth1 and eth2, eth1 active" '^active-backup 1 eth1 eth2 eth1$' \
  vm_run "$node" 'echo $(cat /sys/class/net/bond0/bonding/mode /sys/class/net/bond0/bonding/slaves /sys/class/net/bond0/bonding/active_slave)'
bond_mac=$(vm_run "$node" "cat /sys/class/net/bond0/address")
check_text "node: bond0's MAC is its first slave's ($node_mac1)" "^$node_mac1\$" "$bond_mac"
bond_mac=$node_mac1
check "the peer reaches the node on VLAN 100, VLAN 101 (IPv4, IPv6), bond0 (IPv4, IPv6), bond0.200" vm_run "$peer" \
  "ping -c 1 -W 3 198.51.100.2 && ping -c 1 -W 3 198.51.100.130 && ping -6 -c 1 -W 3 2001:db8:101::2 && ping -c 1 -W 3 192.0.2.2 && ping -6 -c 1 -W 3 2001:db8::2 && ping -c 1 -W 3 203.0.113.2" 60

# --- the wire ------------------------------------------------------------------
# wire PCAP: every frame in PCAP so far, as tcpdump -e -n prints it.
wire() { tcpdump -r "$1" -e -n 2>/dev/null; }
# announced PCAP ADDRESS MAC VLAN: ADDRESS's announcements on the wire
# (broadcast gratuitous ARPs with ADDRESS as sender, requests with the
# broadcast MAC as target MAC, or unsolicited neighbour advertisements to all
# nodes with ADDRESS as target; not the duplicate check's probes, nor the
# kernel's own requests from ADDRESS): four at least, every one from MAC, and every one
# tagged with VLAN id VLAN, or untagged for VLAN "-". Prints what it saw.
announced() {
  _re=$(printf '%s' "$2" | sed 's/\./\\./g')
  case $2 in
    *:*) _frames=$(wire "$1" | grep -E " > 33:33:00:00:00:01, .*: ICMP6, neighbor advertisement, tgt is $_re,") ;;
    *) _frames=$(wire "$1" | grep -E " > ff:ff:ff:ff:ff:ff, .*(Request who-has [^ ]+ \(ff:ff:ff:ff:ff:ff\) tell $_re,|Reply $_re is-at)") ;;
  esac
  _n=$(printf '%s\n' "$_frames" | grep -c .)
  if [ "$_n" -lt 4 ]; then
    echo "failed: $_n announcements of $2 on the wire, not 4"
    return 1
  fi
  if _bad=$(printf '%s\n' "$_frames" | grep -v "^[0-9:.]* $3 > "); then
    echo "failed: not from $3: $(printf '%s' "$_bad" | head -n 2)"
    return 1
  fi
  if [ "$4" = - ]; then
    if _bad=$(printf '%s\n' "$_frames" | grep '802\.1Q'); then
      echo "failed: tagged: $(printf '%s' "$_bad" | head -n 2)"
      return 1
    fi
    echo "$_n, from $3, untagged"
  else
    if _bad=$(printf '%s\n' "$_frames" | grep -v "ethertype 802\.1Q (0x8100), length [0-9]*: vlan $4, "); then
      echo "failed: not tagged with VLAN $4: $(printf '%s' "$_bad" | head -n 2)"
      return 1
    fi
    echo "$_n, from $3, tagged VLAN $4"
  fi
}

# --- each kind: restore, the announcements, quickCheck, status, ready, remove ---
# kind TAG DEV ADDRESS MAC VLAN PCAP
kind() {
  case $3 in *:*) _v=6 ;; *) _v=4 ;; esac
  out=$(vm_run "$node" "ipres restore $1 2>&1; echo \"exit \$?\"")
  check_text "$2: restore $1" '^exit 0$' "$out"
  check_out "$2: $3 on $2" " $3/" vm_run "$node" "ip -$_v -o addr show dev $2"
  sleep 0.5
  if res=$(announced "$6" "$3" "$4" "$5"); then
    ok "$2: the announcements on the wire (tcpdump -e): $res"
  else
    not_ok "$2: the announcements on the wire (tcpdump -e): $res"
  fi
  check "$2: the peer reaches $3" vm_run "$peer" "ping -$_v -c 2 -W 2 $3" 30
  check_out "$2: the peer's neighbour entry for $3 is $4" "lladdr $4" vm_run "$peer" "ip -$_v neigh show $3"
  check "$2: quickCheck $1" vm_run "$node" "ipres quickCheck $1"
  check "$2: status $1 (0: in service)" vm_run "$node" "ipres status $1"
  check "$2: ready $1" vm_run "$node" "ipres ready $1"
  check "$2: remove $1" vm_run "$node" "ipres remove $1"
  check_no_out "$2: $3 gone" " $3/" vm_run "$node" "ip -$_v -o addr show dev $2"
  check_exit "$2: status $1 after the remove" 3 vm_run "$node" "ipres status $1"
}
kind dev-vlan eth0.100 198.51.100.100 "$node_mac0" 100 "$pcap_a"
kind dev-vlanr eth0.101 198.51.100.200 "$node_mac0" 101 "$pcap_a"
kind dev-vlanr6 eth0.101 2001:db8:101::100 "$node_mac0" 101 "$pcap_a"
kind dev-bond bond0 192.0.2.170 "$bond_mac" - "$pcap_b"
kind dev-bond6 bond0 2001:db8::170 "$bond_mac" - "$pcap_b"
kind dev-bvlan bond0.200 203.0.113.100 "$bond_mac" 200 "$pcap_b"

# --- the duplicate check -------------------------------------------------------
# dup TAG DEV ADDRESS PREFIX PEER_DEV: the peer holds ADDRESS on PEER_DEV:
# restore fails (in use); then the peer drops ICMP echo (the node's own ping
# shows it does) and restore still fails, by ARP (neighbour discovery) alone.
dup() {
  case $3 in
    *:*) _v=6 _ignore=/proc/sys/net/ipv6/icmp/echo_ignore_all _by="neighbour discovery" ;;
    *) _v=4 _ignore=/proc/sys/net/ipv4/icmp_echo_ignore_all _by=ARP ;;
  esac
  _re=$(printf '%s' "$3" | sed 's/\./\\./g')
  check "$2: the peer holds $3" vm_run "$peer" "ip -$_v addr add $3/$4 dev $5"
  out=$(vm_run "$node" "ipres restore $1 2>&1; echo \"exit \$?\"" 60)
  check_text "$2: restore $1 fails while the peer holds it (exit 1)" '^exit 1$' "$out"
  how=$(printf '%s\n' "$out" | sed -n "s/.*duplicate check: $_re in use on the network (it answered \([^)]*\)).*/\1/p" | head -n 1)
  check_text "$2: restore says it is in use on the network (it answered ${how:-?})" '.' "$how"
  check_no_out "$2: $3 not added" " $3/" vm_run "$node" "ip -$_v -o addr show dev $2"
  check "$2: the peer drops ICMP echo" vm_run "$peer" "echo 1 >$_ignore"
  check_exit "$2: the node's own ping of $3 gets no reply" 1 vm_run "$node" "ping -$_v -c 2 -W 1 $3" 30
  out=$(vm_run "$node" "ipres restore $1 2>&1; echo \"exit \$?\"" 60)
  check_text "$2: restore $1 fails by $_by alone (exit 1)" '^exit 1$' "$out"
  check_text "$2: restore says it is in use (it answered $_by)" \
    "duplicate check: $_re in use on the network \\(it answered $_by\\)" "$out"
  check_no_out "$2: restore never added $3" "restore: add $_re/" printf '%s\n' "$out"
  check_no_out "$2: $3 not added" " $3/" vm_run "$node" "ip -$_v -o addr show dev $2"
  vm_run "$peer" "echo 0 >$_ignore; ip -$_v addr del $3/$4 dev $5" >/dev/null
  vm_run "$node" "ipres remove $1" >/dev/null
}
dup dev-vlan eth0.100 198.51.100.100 25 eth0.100
dup dev-vlanr eth0.101 198.51.100.200 25 eth0.101
dup dev-vlanr6 eth0.101 2001:db8:101::100 64 eth0.101
dup dev-bond bond0 192.0.2.170 24 eth1
dup dev-bvlan bond0.200 203.0.113.100 24 eth1.200

# --- the monitor across cable pulls --------------------------------------------
# mon_start TAG: restored, then `ipres monitor TAG` in the node's background
# (one monitor per resource, so each one's time is its own), its output in
# /tmp/mon-TAG.log; returns once its first quickCheck passed.
mon_start() {
  check "$1: restore for the monitor" vm_run "$node" "ipres restore $1"
  vm_run "$node" "{ ipres monitor $1 >/tmp/mon-$1.log 2>&1 & echo \$! >/tmp/mon-$1.pid; }" >/dev/null
  out=$(vm_until "$node" "grep -q '$1: monitor: quickCheck: passed' /tmp/mon-$1.log" 20)
  check_text "$1: the monitor runs and its quickCheck passes" '^took ' "$out"
}
# mon_recovered TAG DEV ADDRESS: ADDRESS deleted by hand; the monitor puts it
# back. Before a cable pull, so that the monitor's packet sockets are open,
# as in a long run, when the device goes down.
mon_recovered() {
  case $3 in *:*) _v=6 ;; *) _v=4 ;; esac
  _m=$(mon_mark "$1")
  vm_run "$node" "ip -$_v addr del \$(ip -$_v -o addr show dev $2 | sed -n 's|.* \\($3/[0-9]*\\) .*|\\1|p') dev $2" >/dev/null
  out=$(vm_until "$node" "tail -n +$((_m + 1)) /tmp/mon-$1.log | grep -q '$1: monitor: recovered'" 20)
  check_text "$1: deleted by hand, $3 is put back by the monitor" '^took ' "$out"
}
# mon_stop TAG: SIGTERM, the monitor gone within 5 s; the resource removed.
mon_stop() {
  check "$1: the monitor ends on SIGTERM" vm_run "$node" \
    "p=\$(cat /tmp/mon-$1.pid); kill \$p; n=0; while kill -0 \$p 2>/dev/null && [ \$n -lt 50 ]; do sleep 0.1; n=\$((n + 1)); done; ! kill -0 \$p 2>/dev/null"
  vm_run "$node" "ipres remove $1" >/dev/null
}
# mon_wait TAG SECONDS PATTERN DESCRIPTION: its log gets a line matching PATTERN.
mon_wait() {
  out=$(vm_until "$node" "grep -qE '$3' /tmp/mon-$1.log" "$2")
  check_text "$1: $4" '^took ' "$out"
}
# mon_mark TAG: the number of lines its log has now (for mon_since).
mon_mark() { vm_run "$node" "wc -l </tmp/mon-$1.log" | tr -d ' '; }
# mon_since TAG MARK: its log's lines after MARK.
mon_since() { vm_run "$node" "tail -n +$(($2 + 1)) /tmp/mon-$1.log"; }
# back_start TAG DEV ADDRESS: the node's bt-back in the background, before a
# cable comes back. back_ms TAG: its carrier -> address time in ms.
back_start() { vm_run "$node" "{ bt-back 30 $2 $3 >/tmp/back-$1 2>&1 & }" >/dev/null; }
back_ms() {
  vm_run "$node" "cat /tmp/back-$1" | awk '$1 == "carrier" { c = $2 } $1 == "back" { b = $2 }
    END { if (c != "" && b != "") printf "%d", (b - c) * 1000; else print "none" }'
}
# measured TAG KIND: the time from the carrier's return to the address back
# in the guest, printed and checked (within 1 s).
measured() {
  ms=$(back_ms "$1")
  echo "measured ($arch, $2): carrier back -> address back ${ms} ms (guest clock, looked at every 0.02 s)"
  check "$1: the address is back within 1 s of the carrier (${ms} ms)" within_1s "$ms"
}
within_1s() { [ "$1" != none ] && [ "$1" -le 1000 ]; }

# eth0 pulled: both VLANs lose their carrier, the monitors' recovers fail and
# back off; plugged back: each address (IPv6 too on eth0.101) is back at once.
mon_start dev-vlan
mon_start dev-vlanr
mon_start dev-vlanr6
mon_recovered dev-vlan eth0.100 198.51.100.100
mon_recovered dev-vlanr eth0.101 198.51.100.200
mon_recovered dev-vlanr6 eth0.101 2001:db8:101::100
vm_monitor "$node" "set_link n0 off"
mon_wait dev-vlan 10 'eth0\.100 is down or lost carrier' "eth0 pulled: the monitor sees eth0.100 lose carrier"
mon_wait dev-vlanr 10 'eth0\.101 is down or lost carrier' "eth0 pulled: the monitor sees eth0.101 lose carrier"
mon_wait dev-vlanr6 10 'eth0\.101 is down or lost carrier' "eth0 pulled: the monitor sees eth0.101 lose carrier"
mon_wait dev-vlan 40 'recover failed \(3 in a row\)' "its recovers fail and back off"
mon_wait dev-vlanr 40 'recover failed \(3 in a row\)' "its recovers fail and back off"
mon_wait dev-vlanr6 40 'recover failed \(3 in a row\)' "its recovers fail and back off"
mark_vlan=$(mon_mark dev-vlan)
mark_vlanr=$(mon_mark dev-vlanr)
mark_vlanr6=$(mon_mark dev-vlanr6)
back_start dev-vlan eth0.100 198.51.100.100
back_start dev-vlanr eth0.101 198.51.100.200
back_start dev-vlanr6 eth0.101 2001:db8:101::100
vm_monitor "$node" "set_link n0 on"
out=$(vm_until "$node" "grep -q '^back' /tmp/back-dev-vlan && grep -q '^back' /tmp/back-dev-vlanr && grep -q '^back' /tmp/back-dev-vlanr6" 30)
check_text "eth0 plugged back: the three addresses back" '^took ' "$out"
measured dev-vlan "VLAN eth0.100, reorder_hdr on"
measured dev-vlanr "VLAN eth0.101, reorder_hdr off"
measured dev-vlanr6 "VLAN eth0.101, reorder_hdr off, IPv6"
check_out "dev-vlan: the monitor checked at once when eth0.100's carrier returned" 'eth0\.100 has carrier again: checking now' \
  mon_since dev-vlan "$mark_vlan"
check_out "dev-vlanr: the same for eth0.101" 'eth0\.101 has carrier again: checking now' mon_since dev-vlanr "$mark_vlanr"
check_out "dev-vlanr6: the same" 'eth0\.101 has carrier again: checking now' mon_since dev-vlanr6 "$mark_vlanr6"
check_no_out "dev-vlan: no recover failed after the carrier returned" 'recover failed|Network is down|backing off' \
  mon_since dev-vlan "$mark_vlan"
check_no_out "dev-vlanr: no recover failed after the carrier returned" 'recover failed|Network is down|backing off' \
  mon_since dev-vlanr "$mark_vlanr"
check_no_out "dev-vlanr6: no recover failed after the carrier returned" 'recover failed|Network is down|backing off' \
  mon_since dev-vlanr6 "$mark_vlanr6"
check "the peer reaches the three again" vm_run "$peer" \
  "ping -c 1 -W 2 198.51.100.100 && ping -c 1 -W 2 198.51.100.200 && ping -6 -c 1 -W 2 2001:db8:101::100" 30
mon_stop dev-vlan
mon_stop dev-vlanr
mon_stop dev-vlanr6

# bond0: its active slave eth1 pulled: bond0 fails over to eth2 and keeps its
# carrier; the monitors neither see a link failure nor recover.
mon_start dev-bond
mon_start dev-bvlan
mon_recovered dev-bond bond0 192.0.2.170
mon_recovered dev-bvlan bond0.200 203.0.113.100
mark_bond=$(mon_mark dev-bond)
mark_bvlan=$(mon_mark dev-bvlan)
# A passing check logs nothing when the last one passed too (quiet
# periodic checks): the monitors' passes are read from each tag's check
# record, "last monitor ok TIME" (wall-clock seconds), from here on.
pull_s=$(vm_run "$node" "date +%s" | tr -d ' \r')
passed_since_pull() {
  echo "[ \"\$(sed -n 's/^last monitor ok //p' /run/ipres/$1@*.check)\" -gt $pull_s ] 2>/dev/null"
}
# The kernel's messages from here on.
kmark=$(vm_run "$node" "dmesg | wc -l" | tr -d ' ')
kernel_says() { vm_run "$node" "dmesg | tail -n +$((kmark + 1))"; }
vm_monitor "$node" "set_link n1 off"
out=$(vm_until "$node" "grep -qx eth2 /sys/class/net/bond0/bonding/active_slave" 10)
check_text "eth1 pulled: bond0 fails over to eth2" '^took ' "$out"
check_out "the kernel says so" 'bond0: \(slave eth2\): making interface the new active one' kernel_says
# Each monitor's next quickCheck (every LKCHECKINTERVAL, 5 s) passes.
out=$(vm_until "$node" "$(passed_since_pull dev-bond) && $(passed_since_pull dev-bvlan)" 15)
check_text "both monitors' next quickCheck passes after the failover" '^took ' "$out"
check_out "bond0 kept its carrier" '^1$' vm_run "$node" "cat /sys/class/net/bond0/carrier"
check_no_out "the kernel never had bond0 without an active slave" 'bond0: now running without any active interface' \
  kernel_says
check_no_out "dev-bond: no bounce, no recover" 'lost carrier|taking it down|recover' mon_since dev-bond "$mark_bond"
check_no_out "dev-bvlan: no bounce, no recover" 'lost carrier|taking it down|recover' mon_since dev-bvlan "$mark_bvlan"
check "dev-bond: quickCheck by hand passes" vm_run "$node" "ipres quickCheck dev-bond"
check "the peer reaches both addresses through eth2" vm_run "$peer" "ping -c 1 -W 2 192.0.2.170 && ping -c 1 -W 2 203.0.113.100" 30
check_out "the peer's entry for 192.0.2.170 is still bond0's MAC" "lladdr $bond_mac" vm_run "$peer" "ip neigh show 192.0.2.170"

# Both slaves pulled: bond0 has no carrier; the monitors' recovers fail
# cleanly and back off; so do a restore, quickCheck and ready by hand.
vm_monitor "$node" "set_link n2 off"
out=$(vm_until "$node" "dmesg | tail -n +$((kmark + 1)) | grep -q 'bond0: now running without any active interface'" 10)
check_text "eth2 pulled too: bond0 has no active slave" '^took ' "$out"
mon_wait dev-bond 10 'bond0 is down or lost carrier' "the monitor sees bond0 lose carrier"
mon_wait dev-bvlan 10 'bond0\.200 is down or lost carrier' "the monitor sees bond0.200 lose carrier"
out=$(vm_run "$node" "ipres restore dev-bond6 2>&1; echo \"exit \$?\"" 60)
check_text "all slaves down: restore dev-bond6 fails (exit 1)" '^exit 1$' "$out"
check_text "all slaves down: it says the link check failed on bond0" 'dev-bond6: restore: link check: .*bond0' "$out"
check_no_out "all slaves down: 2001:db8::170 not added" ' 2001:db8::170/' vm_run "$node" "ip -6 -o addr show dev bond0"
check_exit "all slaves down: quickCheck dev-bond fails" 1 vm_run "$node" "ipres quickCheck dev-bond"
check_exit "all slaves down: ready dev-bond says no" 1 vm_run "$node" "ipres ready dev-bond"
vm_run "$node" "ipres remove dev-bond6" >/dev/null
mon_wait dev-bond 40 'recover failed \(3 in a row\)' "its recovers fail and back off"
mon_wait dev-bvlan 40 'recover failed \(3 in a row\)' "its recovers fail and back off"
check "both monitors still run" vm_run "$node" "kill -0 \$(cat /tmp/mon-dev-bond.pid) && kill -0 \$(cat /tmp/mon-dev-bvlan.pid)"
check_out "bond0 keeps both slaves" '^eth1 eth2$' vm_run "$node" "cat /sys/class/net/bond0/bonding/slaves"
mark_bond=$(mon_mark dev-bond)
mark_bvlan=$(mon_mark dev-bvlan)
back_start dev-bond bond0 192.0.2.170
back_start dev-bvlan bond0.200 203.0.113.100
vm_monitor "$node" "set_link n1 on"
out=$(vm_until "$node" "grep -q '^back' /tmp/back-dev-bond && grep -q '^back' /tmp/back-dev-bvlan" 30)
check_text "eth1 plugged back: both addresses back" '^took ' "$out"
measured dev-bond "bond0, active-backup, one slave back"
measured dev-bvlan "VLAN bond0.200 on the bond"
check_out "dev-bond: the monitor checked at once when bond0's carrier returned" 'bond0 has carrier again: checking now' \
  mon_since dev-bond "$mark_bond"
check_out "dev-bvlan: the same for bond0.200" 'bond0\.200 has carrier again: checking now' mon_since dev-bvlan "$mark_bvlan"
check_no_out "dev-bond: no recover failed after the carrier returned" 'recover failed|Network is down|backing off' \
  mon_since dev-bond "$mark_bond"
check_no_out "dev-bvlan: no recover failed after the carrier returned" 'recover failed|Network is down|backing off' \
  mon_since dev-bvlan "$mark_bvlan"
check "the peer reaches both again" vm_run "$peer" "ping -c 1 -W 2 192.0.2.170 && ping -c 1 -W 2 203.0.113.100" 30
check_out "the peer's entry for 192.0.2.170 is bond0's MAC" "lladdr $bond_mac" vm_run "$peer" "ip neigh show 192.0.2.170"
vm_monitor "$node" "set_link n2 on"
mon_stop dev-bond
mon_stop dev-bvlan

check "the node powers off" vm_poweroff "$node" 60
check "the peer powers off" vm_poweroff "$peer" 60
summary "devices boot ($arch)"
