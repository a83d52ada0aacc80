# SPDX-License-Identifier: Apache-2.0
# The helpers of the device-kind boot tests (t_devices.sh, t_devices2.sh):
# the VMs' boot with the devices' modules, the wire as the peer's NICs
# carried it, and the checks each kind gets. The test sets node and peer
# before calling them (dev_inputs sets arch, kernel and image).
# shellcheck shell=sh
# shellcheck disable=SC2016 # single-quoted commands are the guest's to expand
# shellcheck disable=SC2154,SC2034 # node, peer, arch, kernel, image, pull_set: the test's; vm_nics: vm_start's

# dev_inputs TEST SUMMARY: arch (IPRES_ARCH, default x86_64) and what the
# device tests need (on x86_64 only: VLANs and bonding are the kernel's own
# code, the same on every CPU; elsewhere the test says it skips and ends here).
dev_inputs() {
  arch=${IPRES_ARCH:-x86_64}
  if [ "$arch" != x86_64 ]; then
    skip "device kinds: x86_64 only (VLAN and bonding are the kernel's own code, the same on every CPU)"
    summary "$2 ($arch)"
    exit $?
  fi
  boot_inputs "$arch" || exit 1
  [ -f "$kernel/devmods.cpio.gz" ] || { echo "$kernel/devmods.cpio.gz missing (tests/boot/kernel.sh makes it)" >&2; exit 1; }
  command -v tcpdump >/dev/null || { echo "$1: needs tcpdump on the host" >&2; exit 1; }
}

# dev_lans NAME: the run's namespace (boot_init), the sockets of its two
# LANs, lan_a and lan_b, and the peer's captures of them, pcap_a and pcap_b
# ($BOOT_OUT/logs/NAME-lan-a.pcap, -b), made anew by the peer's boot.
dev_lans() {
  boot_init || return 1
  lan_a="230.0.0.1:$bt_port"
  lan_b="230.0.0.2:$((bt_port + 1))"
  pcap_a="$BOOT_OUT/logs/$1-lan-a.pcap"
  pcap_b="$BOOT_OUT/logs/$1-lan-b.pcap"
  rm -f "$pcap_a" "$pcap_b"
}

# dev_boot PEER_NICS NODE_NICS: both VMs booted (the node with its own init
# script, tests/boot/devices/), each NIC list as vm_start's vm_nics; 8021q
# and bonding loaded in both (bonding without a bond of its own).
dev_boot() {
  devnode="$kernel/devnode.cpio.gz"
  (cd tests/boot/devices && find . -mindepth 1 | LC_ALL=C sort |
    cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -9n >"$devnode" || return 1
  vm_nics=$1
  vm_start "$peer" "$arch" - "bt.name=peer" \
    "$image" "$kernel/modules.cpio.gz" "$kernel/devmods.cpio.gz" "$BOOT_OUT/client.cpio.gz"
  # The node's NICs report a speed and duplex: bonding's balance-alb (tlb,
  # 802.3ad) takes a slave whose link returns for down until it can read
  # them ("failed to get link speed/duplex"), and virtio-net has none of
  # its own.
  vm_nics=$2 vm_nic_opts=",speed=1000,duplex=full"
  vm_start "$node" "$arch" - "bt.name=node" \
    "$image" "$kernel/modules.cpio.gz" "$kernel/devmods.cpio.gz" "$devnode"
  check "the peer boots" vm_boot "$peer" 120
  check "the node boots" vm_boot "$node" 120
  echo "boot time ($arch, kernel $(cat "$kernel/release")): node $(vm_boot_time "$node"), peer $(vm_boot_time "$peer")"
  # The init script's monitor watches every tag, these too once a restore
  # speaks for them: it is ended, so that what each step below does (and each
  # monitor below times) is that step's alone.
  check "node: the init script's monitor ended" vm_run "$node" \
    'p=$(cat /var/run/ipres-monitor.pid) && kill $p && n=0 &&
     while kill -0 $p 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done; ! kill -0 $p'
  _load='while read -r m; do case $m in */bonding.ko) insmod $m max_bonds=0 ;; *) insmod $m ;; esac || exit 1; done </etc/boot-test/devmods'
  check "node: 8021q and bonding loaded (insmod)" vm_run "$node" "( $_load ) && grep -q '^8021q ' /proc/modules && grep -q '^bonding ' /proc/modules"
  check "peer: 8021q and bonding loaded" vm_run "$peer" "( $_load ) && grep -q '^8021q ' /proc/modules"
}

# passed_after TAG SECONDS: a guest command, true once TAG's monitor passed a
# check after SECONDS (the guest's date +%s). A pass after a pass logs
# nothing (quiet periodic checks): it is read from the tag's check record,
# "last monitor ok TIME".
passed_after() {
  echo "[ \"\$(sed -n 's/^last monitor ok //p' /run/ipres/$1@*.check)\" -gt $2 ] 2>/dev/null"
}

# --- the wire ------------------------------------------------------------------
# wire PCAP: every frame in PCAP so far, as tcpdump -e -n prints it.
wire() { tcpdump -r "$1" -e -n 2>/dev/null; }
# wire_near T SECONDS: of the frames on stdin (tcpdump -tt, host clock), those
# from T - 1 to T + SECONDS, indented, 80 at most: what a failure prints.
wire_near() { awk -v t="$1" -v s="$2" '$1 >= t - 1 && $1 <= t + s { print "  " $0 }' | head -n 80; }
# announced PCAP ADDRESS MACS VLAN: ADDRESS's announcements on the wire
# (broadcast gratuitous ARPs with ADDRESS as sender, requests with the
# broadcast MAC as target MAC, or unsolicited neighbour advertisements to all
# nodes with ADDRESS as target; not the duplicate check's probes, nor the
# kernel's own requests from ADDRESS): four at least, every one from one of
# MACS (an extended regex: a balance-alb bond sends from its slaves' MACs),
# and every one tagged with VLAN: "N" an 802.1Q tag of id N, "adN" an
# 802.1ad one (ethertype 0x88a8), "-" none. Prints what it saw.
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
  if _bad=$(printf '%s\n' "$_frames" | grep -vE "^[0-9:.]* ($3) > "); then
    echo "failed: not from $3: $(printf '%s' "$_bad" | head -n 2)"
    return 1
  fi
  _from=$(printf '%s\n' "$_frames" | awk '{ print $2 }' | sort -u | tr '\n' ' ')
  case $4 in
    -) _tag="" _says=untagged ;;
    ad*) _tag="ethertype [^,]*\(0x88a8\), length [0-9]*: vlan ${4#ad}, " _says="tagged 802.1ad VLAN ${4#ad}" ;;
    *) _tag="ethertype 802\.1Q \(0x8100\), length [0-9]*: vlan $4, " _says="tagged VLAN $4" ;;
  esac
  if [ -z "$_tag" ]; then
    if _bad=$(printf '%s\n' "$_frames" | grep '802\.1Q'); then
      echo "failed: tagged: $(printf '%s' "$_bad" | head -n 2)"
      return 1
    fi
  elif _bad=$(printf '%s\n' "$_frames" | grep -vE "$_tag"); then
    echo "failed: not $_says: $(printf '%s' "$_bad" | head -n 2)"
    return 1
  fi
  echo "$_n, from ${_from% }, $_says"
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
  check_out "$2: the peer's neighbour entry for $3 is $4" "lladdr ($4)" vm_run "$peer" "ip -$_v neigh show $3"
  check "$2: quickCheck $1" vm_run "$node" "ipres quickCheck $1"
  check "$2: status $1 (0: in service)" vm_run "$node" "ipres status $1"
  check "$2: ready $1" vm_run "$node" "ipres ready $1"
  check "$2: remove $1" vm_run "$node" "ipres remove $1"
  check_no_out "$2: $3 gone" " $3/" vm_run "$node" "ip -$_v -o addr show dev $2"
  check_exit "$2: status $1 after the remove" 3 vm_run "$node" "ipres status $1"
}

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

# A group of resources watched together across one cable pull: a list of
# "TAG,DEV,ADDRESS,WHAT" entries, one a line (WHAT names the kind in the
# measured line), in the variable pull_set.
# pull_each FUNCTION: FUNCTION TAG DEV ADDRESS WHAT for each entry.
pull_each() {
  _fn=$1 _ifs=$IFS
  IFS='
'
  for _e in $pull_set; do
    IFS=$_ifs
    _t=${_e%%,*} _r=${_e#*,}
    _d=${_r%%,*} _r=${_r#*,}
    "$_fn" "$_t" "$_d" "${_r%%,*}" "${_r#*,}"
  done
  IFS=$_ifs
}
# pull_start: each one restored, its monitor started, the address deleted
# by hand and put back by its monitor.
pull_start() { pull_each pull_start_one; }
pull_start_one() { mon_start "$1" && mon_recovered "$1" "$2" "$3"; }
# pull_down: after the cable pull, each monitor sees its device lose
# carrier, then its recovers fail and back off (three in a row).
pull_down() { pull_each pull_down_one; }
pull_down_one() {
  _dre=$(printf '%s' "$2" | sed 's/\./\\./g')
  mon_wait "$1" 10 "$_dre is down or lost carrier" "the monitor sees $2 lose carrier"
  mon_wait "$1" 40 'recover failed \(3 in a row\)' "its recovers fail and back off"
}
# pull_back NIC: the node's NIC (qemu's netdev id) plugged back; each
# address back, the time from its device's carrier measured (within 1 s),
# its monitor checked at once, no recover failed after the carrier.
pull_back() {
  pull_each pull_mark_one
  vm_monitor "$node" "set_link $1 on"
  _all=$(pull_each pull_cond_one | tr '\n' ' ')
  out=$(vm_until "$node" "${_all% && }" 30)
  check_text "$1 plugged back: every address back" '^took ' "$out"
  pull_each pull_back_one
}
pull_mark_one() { mon_mark "$1" >"$bt_tmp/mark-$1"; back_start "$1" "$2" "$3"; }
pull_cond_one() { echo "grep -q '^back' /tmp/back-$1 &&"; }
pull_back_one() {
  _mark=$(cat "$bt_tmp/mark-$1")
  measured "$1" "$4"
  _dre=$(printf '%s' "$2" | sed 's/\./\\./g')
  # At once: on the carrier's event, or in a recover under way when it came
  # (its link check's bounce then finds the carrier back).
  check_out "$1: the monitor checked at once when $2's carrier returned" \
    "$_dre has carrier again: checking now|$_dre up after taking it down and up" mon_since "$1" "$_mark"
  check_no_out "$1: no recover failed after the carrier returned" 'recover failed|Network is down|backing off' \
    mon_since "$1" "$_mark"
}
# peer_reaches TAG DEV ADDRESS: the peer's ping of ADDRESS is answered.
peer_reaches() {
  case $3 in *:*) _v=6 ;; *) _v=4 ;; esac
  check "$1: the peer reaches $3" vm_run "$peer" "ping -$_v -c 1 -W 2 $3" 30
}
# pull_cycle NICS BACK: the resources of pull_set watched, the node's NICS
# (qemu's netdev ids) pulled until every monitor backs off, BACK plugged
# back (pull_back), the peer reaching each address, the other NICS plugged
# back, the monitors stopped.
pull_cycle() {
  pull_start
  for _nic in $1; do vm_monitor "$node" "set_link $_nic off"; done
  pull_down
  pull_back "$2"
  pull_each peer_reaches
  for _nic in $1; do [ "$_nic" = "$2" ] || vm_monitor "$node" "set_link $_nic on"; done
  pull_stop
}
# pull_stop: each monitor stopped, each resource removed.
pull_stop() { pull_each pull_stop_one; }
pull_stop_one() { mon_stop "$1"; }

# vm_lines NAME TEXT: each line of TEXT run in the VM's console shell (one
# vm_run a line: BusyBox ash reads no line longer than 1024 characters);
# stops at the first that fails, saying which.
vm_lines() {
  _ifs=$IFS
  IFS='
'
  for _line in $2; do
    IFS=$_ifs
    vm_run "$1" "$_line" || { echo "failed: $_line"; return 1; }
  done
  IFS=$_ifs
}
