#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# keepalived elects, ipres moves the address (contract.md, "Cluster engines").
# Two appliance namespaces (a, b) and a client on one bridge; Debian's
# keepalived runs in each node namespace with a configuration made from
# rootfs-overlay/etc/keepalived/keepalived.conf (paths, tags and router ids
# replaced), and its scripts run the ipres under test. What happened is read
# with iproute2 and tcpdump, never with ipres itself.
#
# Resources (board/nstest/ipres.conf, AUTOSTART=0): vip-ka (nopreempt),
# vip-kp (preempt: the same file without its nopreempt and
# higher_prio_send_advert lines), vip-kslow (a restore that runs 8 s, for an
# engine stopped in the middle of it), and the IPv6 v6ha-ka (nopreempt) from
# the example's dual-stack block, in a sync group with vip-ka: VRRP stays
# IPv4, ipres moves the IPv6 address. vip-kauto has AUTOSTART=1, with an
# `ipres monitor` for every tag beside each keepalived: the backup's never
# restores what keepalived removed there (the last word wins).
#
# A split brain is made on the bridge: a's and b's ports are isolated from
# each other (each still reaches the client), so neither hears the other's
# VRRP nor its ARP, and both become master and hold the addresses. Healed,
# b gives way and a's notify_master_rx_lower_pri restores (announces) again.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh

EXAMPLE=rootfs-overlay/etc/keepalived/keepalived.conf
KA=192.0.2.110 # vip-ka
KP=192.0.2.111 # vip-kp
KSLOW=192.0.2.112 # vip-kslow
KA6=2001:db8::110 # v6ha-ka

if ! command -v keepalived >/dev/null 2>&1; then
  skip "keepalived is not installed (toolchain/setup.sh installs it)"
  summary "keepalived ($IPRES_ARCH)"
  exit 1
fi

ka_pids=""
# ka_stop: SIGTERM to every keepalived started, SIGKILL to one still running
# 4 s later.
# shellcheck disable=SC2317 # called by the exit trap
ka_stop() {
  for p in $ka_pids; do kill -TERM "$p" 2>/dev/null; done
  for p in $ka_pids; do
    i=0
    while kill -0 "$p" 2>/dev/null && [ "$i" -lt 40 ]; do sleep 0.1; i=$((i + 1)); done
    kill -KILL "$p" 2>/dev/null
  done
}
ns_tmp_with ka_stop
# keepalived's script security: no directory on the scripts' path may be
# writable by another user.
chmod 0755 "$tmp"

lan_hosts a b client || exit 1
ns_ipv6 a
ns_ipv6 b
ns_ipv6 client
ip -n "$(ns a)" addr add 2001:db8::2/64 dev eth0 nodad
ip -n "$(ns b)" addr add 2001:db8::3/64 dev eth0 nodad
ip -n "$(ns client)" addr add 2001:db8::10/64 dev eth0 nodad

# --- the ipres that keepalived's scripts run --------------------------------
# One wrapper per node: it notes when each call starts, then becomes ipres
# (exec, so keepalived's SIGTERM reaches ipres itself, through qemu-user for
# the other CPUs). restore/remove log to NODE.ops, ready to NODE.ready.
# notify_master_rx_lower_pri calls NODE's second wrapper, ipres-NODE-rx,
# which notes that it was that script.
bin=$(readlink -f "$IPRES_BIN")
for n in a b; do
  for via in "" " (notify_master_rx_lower_pri)"; do
    w=$tmp/ipres-$n
    [ -z "$via" ] || w=$w-rx
    cat >"$w" <<EOF
#!/bin/sh
case \$1 in
  ready) log=$tmp/$n.ready ;;
  *) log=$tmp/$n.ops ;;
esac
echo "\$(date +%s.%N) $n$via: ipres \$*" >>"\$log"
exec $IPRES_QEMU $bin "\$@" 2>>"\$log"
EOF
    chmod 0755 "$w"
  done
  : >"$tmp/$n.ops"
done

# instance TAG NAME VRID NODE [preempt]: the example's vrrp_script and
# vrrp_instance for one resource.
instance() {
  awk '/^vrrp_script/ { on = 1 } on { print } /^vrrp_instance/ { inst = 1 } inst && /^}/ { exit }' \
    "$EXAMPLE" | sed \
    -e "s|^\( *notify_master_rx_lower_pri \"\)/usr/sbin/ipres|\1$tmp/ipres-$4-rx|" \
    -e "s|/usr/sbin/ipres|$tmp/ipres-$4|g" -e "s|ip-gw|$1|g" -e "s|ip_gw|$2|g" \
    -e "s|virtual_router_id 51|virtual_router_id $3|" \
    -e 's|^\( *interval\) 2$|\1 1|' -e 's|@gw-a |@a |' -e 's|@gw-b |@b |' |
    if [ "${5:-}" = preempt ]; then sed -e '/^ *nopreempt$/d' -e '/^ *higher_prio_send_advert$/d'; else cat; fi
}
# dual_stack NODE: the example's commented dual-stack block (from its
# "#vrrp_script" on, each line's "#" taken off) for v6ha-ka, in a sync group
# with vip-ka's instance, as instance() makes them.
dual_stack() {
  sed -n '/^#vrrp_script/,$s/^#//p' "$EXAMPLE" | sed \
    -e "/^ *notify_master_rx_lower_pri /s|/usr/sbin/ipres|$tmp/ipres-$1-rx|g" \
    -e "s|/usr/sbin/ipres|$tmp/ipres-$1|g" -e 's|ip-gw6|v6ha-ka|g' -e 's|ip-gw|vip-ka|g' \
    -e 's|ip_gw6|v6ha_ka|g' \
    -e 's|ip_gw$|vip_ka|' -e 's|virtual_router_id 52|virtual_router_id 54|' \
    -e 's|^\( *interval\) 2$|\1 1|' -e 's|@gw-a |@a |' -e 's|@gw-b |@b |'
}
# dual_stack_conf NODE: NODE's keepalived.conf (vip-ka's instance in it) gets
# the dual-stack block, and vip-ka's instance the block's
# notify_master_rx_lower_pri line, as the example says.
dual_stack_conf() {
  dual_stack "$1" >"$tmp/$1.dual"
  grep '^ *notify_master_rx_lower_pri ' "$tmp/$1.dual" >"$tmp/$1.rx"
  awk -v rxf="$tmp/$1.rx" '
    /^vrrp_instance vip_ka / { inst = 1 }
    inst && /^ *notify_master_rx_lower_pri / { getline line <rxf; print line; next }
    inst && /^}/ { inst = 0 }
    { print }' "$tmp/$1.conf" >"$tmp/$1.conf.new"
  cat "$tmp/$1.dual" >>"$tmp/$1.conf.new"
  mv "$tmp/$1.conf.new" "$tmp/$1.conf"
}
# conf NODE INSTANCES...: keepalived.conf for NODE; each instance is TAG:VRID[:preempt].
conf() {
  node=$1
  shift
  f=$tmp/$node.conf
  sed -n '1,/^}/p' "$EXAMPLE" >"$f"
  for spec in "$@"; do
    IFS=: read -r tag vrid mode <<EOF
$spec
EOF
    instance "$tag" "$(echo "$tag" | tr - _)" "$vrid" "$node" "$mode" >>"$f"
  done
}

# ka_start NODE [monitor]: keepalived in NODE's namespace, in the foreground
# (-n) as a child of this script, logging to NODE.log, with its own pid
# files. ipres's lock files live in /run/ipres: each node gets a private one
# (a tmpfs in the mount namespace ip netns exec makes), as two appliances
# have. With "monitor", `ipres monitor` (every tag, as the init script starts
# it) runs beside keepalived in that namespace, logging to NODE.ops, its pid
# in NODE.monitor.pid.
mkdir -p /run/ipres
ka_start() {
  (
    # shellcheck disable=SC2016 # $1..$4 are the inner shell's arguments
    exec ip netns exec "$(ns "$1")" sh -c '
      mount -t tmpfs -o size=64k,mode=0755 ipres-locks /run/ipres || exit 1
      if [ -n "$4" ]; then
        "$4" monitor &
        echo $! >"$3.monitor.pid"
      fi
      exec keepalived -n -l -D -G -P -f "$1" -i "$2" \
        -p "$3.pid" -r "$3.vrrp.pid" -c "$3.checkers.pid"' \
      sh "$tmp/$1.conf" "$1" "$tmp/$1" "${2:+$tmp/ipres-$1}"
  ) >>"$tmp/$1.log" 2>&1 &
  eval "ka_$1=\$!"
  ka_pids="$ka_pids $!"
}
# ka_stop NODE...: SIGTERM to each node's keepalived at once; waits (10 s at
# most) for each to exit.
ka_stop() {
  for n in "$@"; do eval "kill -TERM \$ka_$n"; done
  for n in "$@"; do
    eval "p=\$ka_$n"
    wait_for 10 sh -c "! kill -0 $p" || not_ok "keepalived on $n did not stop in 10 s"
    wait "$p" 2>/dev/null
  done
}
ka_running() { eval "kill -0 \$ka_$1" 2>/dev/null; }

holds() { ip -n "$(ns "$1")" "$(family "$2")" -o addr show dev eth0 | grep -q " $2/"; }
lacks() { ! holds "$1" "$2"; }
holders() { # ADDR: the nodes holding it, e.g. "a" or "a b" or ""
  h=""
  for n in a b; do holds "$n" "$1" && h="$h $n"; done
  echo "${h# }"
}
only() { [ "$(holders "$2")" = "$1" ]; } # only NODE ADDR
nobody() { [ -z "$(holders "$1")" ]; }
neigh_is() { ip -n "$(ns client)" neigh show "$1" | grep -q "lladdr $2"; }
neigh6_is() { ip -n "$(ns client)" -6 neigh show "$1" | grep -q "lladdr $2"; }
# reaches ADDR: one echo from the client answered (either family)
reaches() { in_ns client ping -c1 -W1 "$1" >/dev/null 2>&1; }

mac_a=$(mac_of a)
mac_b=$(mac_of b)

# --- takeover timing ----------------------------------------------------------
# watch_start ADDR: the client pings ADDR every 10 ms while tcpdump notes
# every echo reply with its source MAC and the kernel's time stamp.
watch_start() {
  in_ns client tcpdump -i eth0 -n -e -tt -l 'icmp[icmptype] == icmp-echoreply' \
    >"$tmp/dump" 2>"$tmp/dump.err" &
  dump_pid=$!
  wait_for 5 grep -q 'listening on' "$tmp/dump.err"
  in_ns client ping -i 0.01 -W 0.01 "$1" >/dev/null 2>&1 &
  ping_pid=$!
}
watch_stop() {
  sleep 0.2
  kill "$ping_pid" "$dump_pid" 2>/dev/null
  wait "$ping_pid" "$dump_pid" 2>/dev/null
}
# watch6_start ADDR: the same for an IPv6 ADDR, tcpdump noting the echo
# replies and every Neighbor Advertisement, verbose (hop limit, flags, the
# link-layer address option on a line of its own, joined to its packet's).
watch6_start() {
  (exec ip netns exec "$(ns client)" tcpdump -i eth0 -n -e -tt -l -v \
    'icmp6 and (ip6[40] == 129 or ip6[40] == 136)') >"$tmp/dump6.raw" 2>"$tmp/dump6.err" &
  dump6_pid=$!
  wait_for 5 grep -q 'listening on' "$tmp/dump6.err"
  (exec ip netns exec "$(ns client)" ping -6 -i 0.01 -W 0.01 "$1") >/dev/null 2>&1 &
  ping6_pid=$!
}
watch6_stop() {
  sleep 0.2
  kill "$ping6_pid" "$dump6_pid" 2>/dev/null
  wait "$ping6_pid" "$dump6_pid" 2>/dev/null
  awk '/^[ \t]/ { line = line " " $0; next } { if (line != "") print line; line = $0 }
    END { if (line != "") print line }' "$tmp/dump6.raw" >"$tmp/dump6"
}
# first_reply6_from MAC SINCE: time stamp of the first IPv6 echo reply from
# MAC at or after SINCE
first_reply6_from() {
  grep -F 'echo reply' "$tmp/dump6" |
    awk -v mac="$1" -v t0="$2" '$2 == mac && $1 + 0 >= t0 + 0 { print $1; exit }'
}
# announced6 MAC SINCE: the client saw, at or after SINCE, an unsolicited
# Neighbor Advertisement for v6ha-ka from MAC to ff02::1 as RFC 4861 7.2.6
# has it: hop limit 255, Override alone (not solicited, not a router), MAC as
# the target link-layer address.
announced6() {
  awk -v t0="$2" '$1 + 0 >= t0 + 0' "$tmp/dump6" | grep -F "$1 > 33:33:00:00:00:01," |
    grep -F 'hlim 255,' | grep -F '> ff02::1: ' | grep -F "tgt is $KA6, Flags [override]" |
    grep -qF "destination link-address option (2), length 8 (1): $1"
}
# first_reply_from MAC SINCE: time stamp of the first echo reply from MAC at
# or after SINCE (seconds.fraction), or nothing
first_reply_from() {
  awk -v mac="$1" -v t0="$2" '$2 == mac && $1 + 0 >= t0 + 0 { print $1; exit }' "$tmp/dump"
}
# first_op NODE WORDS SINCE: time stamp of the first "ipres WORDS" call at or after SINCE
first_op() {
  awk -v w="ipres $2" -v t0="$3" 'index($0, w) && $1 + 0 >= t0 + 0 { print $1; exit }' "$tmp/$1.ops"
}
# ran_since NODE WORDS SINCE: NODE's keepalived ran "ipres WORDS" at or after SINCE
ran_since() { [ -n "$(first_op "$@")" ]; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1000 }'; }
now() { date +%s.%N; }
# report_takeover WHAT T0 NODE MAC: prints the client's view and the part of it
# that ipres took, and checks that the client got there.
report_takeover() {
  reached=$(first_reply_from "$4" "$2")
  restore=$(first_op "$3" "restore vip-ka" "$2")
  if [ -n "$reached" ] && [ -n "$restore" ]; then
    ok "$1: the client reaches $KA on $3 $(ms "$2" "$reached") ms after it" \
      "(keepalived ran restore after $(ms "$2" "$restore") ms; ipres took $(ms "$restore" "$reached") ms more)"
    echo "TIMING $1 (advert_int 1): $(ms "$2" "$reached") ms in all," \
      "VRRP $(ms "$2" "$restore") ms, ipres $(ms "$restore" "$reached") ms"
  else
    not_ok "$1: no echo reply from $3's MAC after it (restore at '${restore}')"
  fi
}

# report_takeover6 WHAT T0 NODE MAC: the same for v6ha-ka, whose client entry
# only moves when NODE's Neighbor Advertisement reaches it.
report_takeover6() {
  reached=$(first_reply6_from "$4" "$2")
  restore=$(first_op "$3" "restore v6ha-ka" "$2")
  if [ -n "$reached" ] && [ -n "$restore" ]; then
    ok "$1: the client reaches $KA6 on $3 $(ms "$2" "$reached") ms after it" \
      "(keepalived ran restore after $(ms "$2" "$restore") ms; ipres took $(ms "$restore" "$reached") ms more)"
    echo "TIMING $1, IPv6 (advert_int 1): $(ms "$2" "$reached") ms in all," \
      "VRRP $(ms "$2" "$restore") ms, ipres $(ms "$restore" "$reached") ms"
  else
    not_ok "$1: no IPv6 echo reply from $3's MAC after it (restore at '${restore}')"
  fi
}

# --- the configurations --------------------------------------------------------
for n in a b; do
  conf "$n" vip-ka:51 vip-kp:52:preempt
  dual_stack_conf "$n"
done
check "the example's global_defs came along" grep -q 'enable_script_security' "$tmp/a.conf"
check "the three instances' five scripts run the ipres under test" \
  test "$(grep -c "\"$tmp/ipres-a " "$tmp/a.conf")" = 15
check "the dual-stack block's scripts drive v6ha-ka" \
  test "$(grep -c "\"$tmp/ipres-a [a-z]* v6ha-ka\"" "$tmp/a.conf")" = 5
check "... its instance and vip-ka's make a sync group" \
  sh -c "sed -n '/^vrrp_sync_group/,/^}/p' '$tmp/a.conf' | tr -s ' \n' ' ' | grep -q 'group { vip_ka v6ha_ka }'"
check "vip-kp's instance has no nopreempt, vip-ka's and v6ha-ka's have" \
  test "$(grep -c '^ *nopreempt$' "$tmp/a.conf")" = 2
# rx_lower_pri_lines: vip-kp's notify_master_rx_lower_pri restores vip-kp,
# the sync group's members' restore both members (through the -rx wrapper).
rx_lower_pri_lines() {
  grep '^ *notify_master_rx_lower_pri ' "$tmp/a.conf" | sed 's/^ *//' >"$tmp/rx.got"
  {
    echo "notify_master_rx_lower_pri \"$tmp/ipres-a-rx restore vip-kp\""
    for i in 1 2; do
      echo "notify_master_rx_lower_pri \"/bin/sh -c '$tmp/ipres-a-rx restore vip-ka & $tmp/ipres-a-rx restore v6ha-ka & wait'\""
    done
  } | sort >"$tmp/rx.want"
  sort "$tmp/rx.got" | cmp -s - "$tmp/rx.want"
}
check "notify_master_rx_lower_pri: vip-kp's restores it, the sync group's restore both members" \
  rx_lower_pri_lines
# hpsa_in INSTANCE: INSTANCE's block has higher_prio_send_advert.
hpsa_in() { sed -n "/^vrrp_instance $1 /,/^}/p" "$tmp/a.conf" | grep -q '^ *higher_prio_send_advert$'; }
hpsa_nopreempt_only() { hpsa_in vip_ka && hpsa_in v6ha_ka && ! hpsa_in vip_kp; }
check "vip-ka's and v6ha-ka's instances have higher_prio_send_advert, vip-kp's has not" \
  hpsa_nopreempt_only
check "keepalived -t accepts the configuration but for the missing VIP" \
  sh -c "keepalived -t -f '$tmp/a.conf' -i a 2>&1 | grep -v 'No VIP specified; at least one is sensible' |
    { ! grep .; }"
# No IPv6 resource can be restored under qemu-user: there the pair runs the
# IPv4 instances alone, and every IPv6 check (check6) is left out.
v6=""
if ndp_socket_or_skip; then
  v6=1
else
  for n in a b; do conf "$n" vip-ka:51 vip-kp:52:preempt; done
fi
check6() { [ -z "$v6" ] || check "$@"; }
# v6_alone NODE: NODE alone holds v6ha-ka (always true where v6ha-ka does not run).
v6_alone() { [ -z "$v6" ] || only "$1" "$KA6"; }

# --- start: exactly one holder -------------------------------------------------
# a first, b once a is master: with nopreempt, whichever node's engine is
# master first keeps the address, and a start at the same moment under a
# loaded emulator (qemu-mips) let b's timer run out first (CI: 5 failed).
ka_start a
check "a (priority 150) holds vip-ka" wait_for 15 only a "$KA"
ka_start b
check "a holds vip-kp" wait_for 15 only a "$KP"
check6 "a holds v6ha-ka" wait_for 15 only a "$KA6"
start_settled() {
  [ "$(ip -n "$(ns b)" -4 -o addr show dev eth0 | grep -c ' 192.0.2.11[01]/')" = 0 ] &&
    [ "$(ip -n "$(ns a)" -4 -o addr show dev eth0 | grep -c ' 192.0.2.11[01]/')" = 2 ] &&
    v6_alone a
}
check "after settling still a alone, for every address" stays 2 start_settled
check "b ran remove for its BACKUP state" grep -q 'b: ipres remove vip-ka' "$tmp/b.ops"
check "the client reaches vip-ka" reaches "$KA"
check "the client's neighbour entry holds a's MAC" neigh_is "$KA" "$mac_a"
check6 "the client reaches v6ha-ka" reaches "$KA6"
check6 "the client's IPv6 neighbour entry holds a's MAC" neigh6_is "$KA6" "$mac_a"
check "keepalived ran ready as the track script on both nodes" \
  sh -c "grep -q 'ipres ready vip-ka' '$tmp/a.ready' && grep -q 'ipres ready vip-ka' '$tmp/b.ready'"

# --- a split brain, healed --------------------------------------------------------
# The bridge isolates a's and b's ports from each other; the client's port
# still reaches both. b hears no advert from a and becomes master too; its
# duplicate check cannot reach a either, so its restores succeed and its
# gratuitous ARPs and NAs move the client's entries to b's MAC: both nodes
# hold every address. Healed, b (priority 100) hears a and gives way
# (notify_backup: remove); a hears b's lower-priority advert (b sends one as
# it gives way, higher_prio_send_advert, even when a's reaches b first) and
# its notify_master_rx_lower_pri runs restore: a restore of an address
# present announces it again, and the client's entries come back to a's MAC.
# Nothing else would move them within seconds: a sends nothing from the
# address, and b's remove sends nothing.
# rx_since NODE TAG SINCE: NODE's notify_master_rx_lower_pri ran "ipres
# restore TAG" at or after SINCE.
rx_since() {
  awk -v w="(notify_master_rx_lower_pri): ipres restore $2" -v t0="$3" \
    'index($0, w) && $1 + 0 >= t0 + 0 { found = 1 } END { exit !found }' "$tmp/$1.ops"
}
# garp_from MAC SINCE: the client saw, at or after SINCE, a gratuitous ARP
# for vip-ka from MAC (request or reply, sender and target the address).
garp_from() {
  awk -v t0="$2" '$1 + 0 >= t0 + 0' "$tmp/arpdump" | grep -F "$1 > ff:ff:ff:ff:ff:ff," |
    grep -qE "(Request who-has $KA tell $KA|Reply $KA is-at $1),"
}
t_split=$(now)
bridge -n "$(ns br)" link set dev p-a isolated on
bridge -n "$(ns br)" link set dev p-b isolated on
check "split: b becomes master too and holds vip-ka beside a" wait_for 15 sh -c \
  "ip -n $(ns b) -4 -o addr show dev eth0 | grep -q ' $KA/' && ip -n $(ns a) -4 -o addr show dev eth0 | grep -q ' $KA/'"
check "split: b's notify_master ran restore vip-ka" ran_since b "restore vip-ka" "$t_split"
check "split: b's gratuitous ARP moved the client's entry to b's MAC" wait_for 5 neigh_is "$KA" "$mac_b"
check "split: b holds vip-kp beside a" wait_for 15 sh -c \
  "ip -n $(ns b) -4 -o addr show dev eth0 | grep -q ' $KP/' && ip -n $(ns a) -4 -o addr show dev eth0 | grep -q ' $KP/'"
check6 "split: b holds v6ha-ka beside a" wait_for 15 sh -c \
  "ip -n $(ns b) -6 -o addr show dev eth0 | grep -q ' $KA6/' && ip -n $(ns a) -6 -o addr show dev eth0 | grep -q ' $KA6/'"
check6 "split: b's NA moved the client's IPv6 entry to b's MAC" wait_for 5 neigh6_is "$KA6" "$mac_b"
# b's restores have ended (they would otherwise complete after the heal).
check "split: b's restores have ended" wait_for 15 sh -c \
  "! ip netns pids $(ns b) | xargs -r ps -o args= -p | grep -q 'restore'"
in_ns client tcpdump -i eth0 -n -e -tt -l arp >"$tmp/arpdump" 2>"$tmp/arpdump.err" &
arpdump_pid=$!
wait_for 5 grep -q 'listening on' "$tmp/arpdump.err"
t_heal=$(now)
bridge -n "$(ns br)" link set dev p-a isolated off
bridge -n "$(ns br)" link set dev p-b isolated off
# Within 5 s of the heal: one advert interval for the nodes to hear each
# other, then a's restore.
if wait_for 5 neigh_is "$KA" "$mac_a"; then
  ok "healed: the client's entry for vip-ka is a's MAC again, $(ms "$t_heal" "$(now)") ms after the heal"
else
  not_ok "healed: the client's entry for vip-ka is still not a's MAC 5 s after the heal: $(ip -n "$(ns client)" neigh show "$KA")"
fi
check6 "healed: the client's IPv6 entry for v6ha-ka is a's MAC again" wait_for 5 neigh6_is "$KA6" "$mac_a"
check "healed: a's notify_master_rx_lower_pri ran restore vip-ka" wait_for 5 rx_since a vip-ka "$t_heal"
check6 "healed: ... and restore v6ha-ka" wait_for 5 rx_since a v6ha-ka "$t_heal"
check "healed: b gave way, its notify_backup ran remove vip-ka" wait_for 5 ran_since b "remove vip-ka" "$t_heal"
check "healed: vip-ka ends on a alone" wait_for 10 only a "$KA"
check "healed: vip-kp ends on a alone" wait_for 10 only a "$KP"
check6 "healed: v6ha-ka ends on a alone" wait_for 10 only a "$KA6"
check "after settling still a alone, for every address" stays 2 start_settled
kill "$arpdump_pid" 2>/dev/null
wait "$arpdump_pid" 2>/dev/null
check "healed: a's gratuitous ARP for vip-ka reached the client (tcpdump)" garp_from "$mac_a" "$t_heal"
check "a ran no remove of vip-ka since the split began (ipres gave nothing up)" \
  sh -c "! awk -v t0=$t_split '\$1 + 0 >= t0 + 0' '$tmp/a.ops' | grep -q 'a: ipres remove vip-ka'"
check "the client reaches vip-ka" reaches "$KA"
# The first of each since the heal (concurrent wrappers may log out of order).
rx=$(awk -v w="(notify_master_rx_lower_pri): ipres restore vip-ka" -v t0="$t_heal" \
  'index($0, w) && $1 + 0 >= t0 + 0 && (m == "" || $1 + 0 < m + 0) { m = $1 } END { print m }' "$tmp/a.ops")
garp=$(awk -v t0="$t_heal" -v mac="$mac_a" \
  '$1 + 0 >= t0 + 0 && $2 == mac && /'"$KA"'/ { print $1; exit }' "$tmp/arpdump")
[ -z "$rx" ] || [ -z "$garp" ] ||
  echo "TIMING split brain healed (advert_int 1): a's rx_lower_pri restore $(ms "$t_heal" "$rx") ms" \
    "after the heal, its first gratuitous ARP $(ms "$t_heal" "$garp") ms after it"

# --- the master's cable pulled ---------------------------------------------------
watch_start "$KA"
[ -z "$v6" ] || watch6_start "$KA6"
check "the client's pings reach a before the pull" wait_for 5 grep -q "$mac_a" "$tmp/dump"
t0=$(now)
ip -n "$(ns br)" link set p-a down
check "cable pulled: b holds vip-ka" wait_for 15 only b "$KA"
check "cable pulled: b holds vip-kp" wait_for 15 only b "$KP"
check6 "cable pulled: b holds v6ha-ka" wait_for 15 only b "$KA6"
check "the client reaches vip-ka" wait_for 5 reaches "$KA"
check6 "the client's IPv6 neighbour entry moved to b's MAC" wait_for 5 neigh6_is "$KA6" "$mac_b"
check6 "the client reaches v6ha-ka" wait_for 5 reaches "$KA6"
watch_stop
[ -z "$v6" ] || watch6_stop
check "the client's neighbour entry moved to b's MAC" neigh_is "$KA" "$mac_b"
report_takeover "cable pulled" "$t0" b "$mac_b"
check6 "b announced v6ha-ka: unsolicited NA, Override, its MAC (tcpdump)" announced6 "$mac_b" "$t0"
[ -z "$v6" ] || report_takeover6 "cable pulled" "$t0" b "$mac_b"
check "a ran remove vip-ka (FAULT)" ran_since a "remove vip-ka" "$t0"
check6 "a ran remove v6ha-ka (FAULT)" ran_since a "remove v6ha-ka" "$t0"

# --- the cable back: nopreempt stays, preempt moves back ---------------------------
ip -n "$(ns br)" link set p-a up
check "cable back, preempt: vip-kp moves back to a" wait_for 15 only a "$KP"
check "cable back, nopreempt: vip-ka stays on b" only b "$KA"
check6 "cable back, nopreempt: v6ha-ka stays on b" only b "$KA6"
check "after settling: vip-kp on a alone, vip-ka on b alone" stays 3 sh -c \
  "ip -n $(ns a) -4 -o addr show dev eth0 | grep -q ' $KP/' &&
   ! ip -n $(ns b) -4 -o addr show dev eth0 | grep -q ' $KP/' &&
   ip -n $(ns b) -4 -o addr show dev eth0 | grep -q ' $KA/' &&
   ! ip -n $(ns a) -4 -o addr show dev eth0 | grep -q ' $KA/'"
check6 "... and v6ha-ka on b alone" only b "$KA6"
check "the client reaches vip-kp on a" sh -c \
  "ip netns exec $(ns client) ping -c1 -W1 $KP >/dev/null && ip -n $(ns client) neigh show $KP | grep -q 'lladdr $mac_a'"

# --- the master loses its PingList -----------------------------------------------
# The client stops answering a's physical address: a's `ready` fails, b's passes.
t0=$(now)
ip -n "$(ns client)" route add prohibit 192.0.2.2/32
check_exit "ready vip-kp fails on a" 1 ipres_in a ready vip-kp
check_exit "ready vip-kp passes on b" 0 ipres_in b ready vip-kp
check "PingList lost: b takes vip-kp" wait_for 15 only b "$KP"
check "vip-ka stays on b" only b "$KA"
check6 "v6ha-ka stays on b" only b "$KA6"
check "a ran remove vip-kp (FAULT)" ran_since a "remove vip-kp" "$t0"
check "the client reaches vip-kp on b" sh -c \
  "ip netns exec $(ns client) ping -c1 -W1 $KP >/dev/null && ip -n $(ns client) neigh show $KP | grep -q 'lladdr $mac_b'"
ip -n "$(ns client)" route del prohibit 192.0.2.2/32
check "PingList back: vip-kp returns to a (preempt)" wait_for 15 only a "$KP"

# --- the master's keepalived stopped cleanly ----------------------------------------
# a is master of vip-kp; for vip-ka make a the master again first: stop b, so
# a takes vip-ka, then start b again (nopreempt keeps it on a).
t0=$(now)
ka_stop b
check "b's engine stopped: a takes vip-ka" wait_for 15 only a "$KA"
check6 "... and v6ha-ka" wait_for 15 only a "$KA6"
check "b's notify_stop ran remove vip-ka" ran_since b "remove vip-ka" "$t0"
ka_start b
b_back_settled() {
  ip -n "$(ns a)" -4 -o addr show dev eth0 | grep -c ' 192.0.2.11[01]/' | grep -qx 2 &&
    ! ip -n "$(ns b)" -4 -o addr show dev eth0 | grep -q ' 192.0.2.11[01]/' &&
    v6_alone a
}
check "b back (nopreempt, preempt): a keeps every address" stays 5 b_back_settled
check6 "the client's IPv6 neighbour entry is a's MAC again" \
  sh -c "ip netns exec $(ns client) ping -c1 -W1 $KA6 >/dev/null && ip -n $(ns client) -6 neigh show $KA6 | grep -q 'lladdr $mac_a'"
watch_start "$KA"
[ -z "$v6" ] || watch6_start "$KA6"
check "the client's pings reach a before the stop" wait_for 5 grep -q "$mac_a" "$tmp/dump"
t0=$(now)
ka_stop a
check "a's engine stopped cleanly: b holds vip-ka" wait_for 15 only b "$KA"
check "... and vip-kp" wait_for 15 only b "$KP"
check6 "... and v6ha-ka" wait_for 15 only b "$KA6"
check "the client reaches vip-ka" wait_for 5 reaches "$KA"
check6 "the client's IPv6 neighbour entry moved to b's MAC" wait_for 5 neigh6_is "$KA6" "$mac_b"
check6 "the client reaches v6ha-ka" wait_for 5 reaches "$KA6"
watch_stop
[ -z "$v6" ] || watch6_stop
check "the client's neighbour entry moved to b's MAC" neigh_is "$KA" "$mac_b"
report_takeover "clean stop" "$t0" b "$mac_b"
check6 "b announced v6ha-ka: unsolicited NA, Override, its MAC (tcpdump)" announced6 "$mac_b" "$t0"
[ -z "$v6" ] || report_takeover6 "clean stop" "$t0" b "$mac_b"
check "a's notify_stop ran remove vip-ka" ran_since a "remove vip-ka" "$t0"
check "... and remove vip-kp" ran_since a "remove vip-kp" "$t0"
check6 "... and remove v6ha-ka" ran_since a "remove v6ha-ka" "$t0"
check "a holds neither" sh -c "! ip -n $(ns a) -4 -o addr show | grep -q ' 192.0.2.11[01]/'"
check6 "... nor v6ha-ka" sh -c "! ip -n $(ns a) -6 -o addr show | grep -q ' $KA6/'"

# --- both engines stopped -----------------------------------------------------------
ka_start a
check "a back: vip-kp returns to a (preempt)" wait_for 15 only a "$KP"
check "vip-ka stays on b (nopreempt)" only b "$KA"
check6 "v6ha-ka stays on b (nopreempt)" only b "$KA6"
sleep 1
ka_stop a b
check "both engines stopped: nobody holds vip-ka" stays 2 nobody "$KA"
check "both engines stopped: nobody holds vip-kp" nobody "$KP"
check6 "both engines stopped: nobody holds v6ha-ka" nobody "$KA6"
check "no ipres left running on a or b" sh -c \
  "! ip netns pids $(ns a) | grep -q . && ! ip netns pids $(ns b) | grep -q ."

# Both at once again, this time in the middle of a hand-over: a (priority
# 150) starts while b is master, takes vip-kp back, and both engines stop
# while that runs.
ka_start b
check "b alone holds both" wait_for 15 sh -c "[ \"\$(ip -n $(ns b) -4 -o addr show dev eth0 | grep -c ' 192.0.2.11[01]/')\" = 2 ]"
check6 "... and v6ha-ka" wait_for 15 only b "$KA6"
t0=$(now)
ka_start a
check "a (priority 150) starts restore vip-kp while b holds it" \
  wait_for 15 ran_since a "restore vip-kp" "$t0"
ka_stop a b
check "stopped during a hand-over: nobody holds vip-kp" stays 2 nobody "$KP"
check "... nor vip-ka" nobody "$KA"
check6 "... nor v6ha-ka" nobody "$KA6"

# --- AUTOSTART=1 under keepalived, both monitors running ----------------------------
# The init script restores AUTOSTART=1 resources at boot and its monitor
# watches every tag; keepalived's notify_backup removes the address on the
# backup. The last word wins: the backup's monitor never puts it back.
KAUTO=192.0.2.116 # vip-kauto
for n in a b; do conf "$n" vip-kauto:55; done
rm -f "$tmp/a.monitor.pid" "$tmp/b.monitor.pid"
ka_start a monitor
check "AUTOSTART=1 vip-kauto: a (priority 150) holds it" wait_for 15 only a "$KAUTO"
ka_start b monitor
check "... b's notify_backup removed it there" wait_for 15 grep -q 'b: ipres remove vip-kauto' "$tmp/b.ops"
check "... both monitors run" sh -c "kill -0 \$(cat $tmp/a.monitor.pid) && kill -0 \$(cat $tmp/b.monitor.pid)"
check "... and a alone holds it for 5 s" stays 5 only a "$KAUTO"
check_no_out "... b's monitor never added it there (b's last word: remove)" \
  'vip-kauto: recover: add 192\.0\.2\.116' cat "$tmp/b.ops"
a_lines=$(wc -l <"$tmp/a.ops")
ka_stop a
check "a's keepalived stopped: b takes vip-kauto over" wait_for 15 only b "$KAUTO"
check "... and a's monitor leaves it with b (5 s)" stays 5 only b "$KAUTO"
check_no_out "... a's monitor never added it back after its engine's remove" \
  'vip-kauto: recover: add 192\.0\.2\.116' tail -n "+$((a_lines + 1))" "$tmp/a.ops"
ka_stop b
for n in a b; do
  kill "$(cat "$tmp/$n.monitor.pid")" 2>/dev/null
  wait_for 5 sh -c "! kill -0 $(cat "$tmp/$n.monitor.pid")"
done

# --- an engine stopped while its restore is still running ---------------------------
# vip-kslow's connectivity check runs 8 s when the client does not answer the
# address itself; `ready` (from 192.0.2.2) still passes.
conf a vip-kslow:53
ip -n "$(ns client)" route add prohibit "$KSLOW/32"
ka_start a
check "the slow restore runs and has added the address" wait_for 15 only a "$KSLOW"
check "it is still running" sh -c "ip netns pids $(ns a) | xargs -r ps -o args= -p | grep -q 'restore vip-kslow'"
ka_stop a
check "engine stopped during its restore: nobody holds vip-kslow" stays 2 nobody "$KSLOW"
check "no ipres left running on a" sh -c "! ip netns pids $(ns a) | grep -q ."
check "the restore says it was stopped" grep -qE 'vip-kslow: restore.*(stopped|signal)' "$tmp/a.ops"

for n in a b; do
  if grep -qiE 'segfault|assert|SECURITY VIOLATION|permanent error' "$tmp/$n.log"; then
    not_ok "keepalived on $n complained: $(grep -iE 'segfault|assert|SECURITY VIOLATION|permanent error' "$tmp/$n.log" | head -3)"
  else
    ok "keepalived on $n ran the scripts without a complaint"
  fi
done
[ -n "${KEEP_LOGS:-}" ] && cp -r "$tmp" "$KEEP_LOGS"
summary "keepalived ($IPRES_ARCH)"
