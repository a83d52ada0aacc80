#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Pacemaker elects, ipres moves the address (contract.md, "Cluster engines"):
# a real two-node cluster of Debian's corosync (knet, no crypto, two_node) and
# pacemaker drives vip-pcmk through the OCF agent
# (rootfs-overlay/usr/lib/ocf/resource.d/ipres/ipres) on this one machine.
#
# Each node (a, b) is a network namespace on the bridge plus a mount and UTS
# namespace of its own, kept by a holder process (`unshare --mount --uts
# --propagation private`); every daemon and CLI call enters it with nsenter.
# Entering a mount namespace (setns) puts the caller's root at that
# namespace's root, the real / of the machine: in a chroot (as
# tests/fresh_machine.sh runs make test) the daemons would run on the host's
# /etc/corosync, /run and /dev/shm, outside the node's mounts, which the holder
# made at the chroot's paths. So every nsenter also takes the holder's root
# (--root) and starts at its / (--wd=/).
# In it /run and /dev/shm (libqb's IPC) are private tmpfs, and
# /etc/corosync, /var/lib/{corosync,pacemaker}, /var/log/{pacemaker,corosync}
# and /usr/lib/ocf/resource.d are bind mounts of the node's directories under
# $tmp, so the host's /usr and /etc are untouched. What crossed the wire is
# read from the client's namespace (ip neigh, arping, ping, tcpdump) and the
# address from iproute2, never from ipres itself.
#
# x86_64 only: the engine is the build machine's (x86 Debian's); the agent
# running the aarch64 and armv7 binaries under qemu-user is t_ocf's.
# shellcheck disable=SC2034,SC2154 # holder_N, corosync_N, pacemakerd_N, mac_N: set and read through eval
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh

VIP=192.0.2.120 # vip-pcmk in board/nstest/ipres.conf
TAG=vip-pcmk
AGENT_SRC=rootfs-overlay/usr/lib/ocf/resource.d/ipres/ipres
PACKAGES="pacemaker corosync pacemaker-cli-utils"

if [ "$IPRES_ARCH" != x86_64 ]; then
  skip "Pacemaker is not run for $IPRES_ARCH: the engine is x86 Debian's (this machine's);" \
    "the OCF agent with the $IPRES_ARCH binary under qemu-user is covered by t_ocf"
  summary "pacemaker ($IPRES_ARCH)"
  exit $?
fi

# --- Debian's packages, without host-wide daemons ----------------------------------
# Installing corosync and pacemaker would start both on the host (and enable
# them for the next boot): invoke-rc.d and deb-systemd-invoke ask policy-rc.d
# first, and 101 forbids the start. One is put in place for the install when
# the machine has none; where systemd or sysvinit is PID 1 the units are
# disabled too.
installed() {
  for p in $PACKAGES; do
    # shellcheck disable=SC2016 # ${Status} is dpkg-query's
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || return 1
  done
}
install_packages() {
  [ "$(id -u)" = 0 ] || return 1
  own_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# t_pacemaker.sh: no service starts during its install\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    own_policy=1
  fi
  echo "t_pacemaker: installing $PACKAGES" >&2
  apt-get update -q >/dev/null 2>&1 || echo "t_pacemaker: apt-get update reported errors; going on" >&2
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $PACKAGES >/dev/null
  rc=$?
  [ -n "$own_policy" ] && rm -f /usr/sbin/policy-rc.d
  case $(cat /proc/1/comm 2>/dev/null) in
    systemd) systemctl disable --now corosync.service pacemaker.service >/dev/null 2>&1 ;;
    init) for s in pacemaker corosync; do update-rc.d "$s" disable >/dev/null 2>&1; done ;;
  esac
  return $rc
}
if ! installed; then
  install_packages
  if ! installed; then
    skip "pacemaker, corosync and pacemaker-cli-utils are not installed and could not be (as root, apt-get)"
    summary "pacemaker ($IPRES_ARCH)"
    exit 1
  fi
fi
# host_daemon NAME: a process NAME runs in the host's network namespace.
host_daemon() {
  for p in $(pgrep -x "$1"); do
    [ "$(readlink "/proc/$p/ns/net")" = "$(readlink /proc/1/ns/net)" ] && return 0
  done
  return 1
}
if host_daemon corosync || host_daemon pacemakerd; then
  not_ok "a corosync or pacemakerd runs on the host itself (pids: $(pgrep -x corosync) $(pgrep -x pacemakerd))"
else
  ok "no host-wide corosync or pacemakerd runs"
fi

t_start=$(date +%s.%N)
tmp=$(mktemp -d)
# As in t_ocf.sh: the agent and the binary it runs are copies (mode kept)
# in a directory everyone may enter.
chmod 0755 "$tmp"
# KEEP_LOGS=DIR: the nodes' directories (corosync's and pacemaker's logs,
# their CIB, the daemons' output) are copied to DIR at the end, also when the
# test fails or is interrupted.
teardown() {
  ns_cleanup
  if [ -n "${KEEP_LOGS:-}" ] && [ -d "$tmp" ]; then cp -a "$tmp" "$KEEP_LOGS"; fi
  rm -rf "$tmp"
}
trap 'teardown' EXIT
trap 'teardown; exit 130' INT TERM

lan_hosts a b client || exit 1
mac_a=$(mac_of a)
mac_b=$(mac_of b)

# --- what the nodes run ----------------------------------------------------------------
# The binary the agent runs (binary=, the same path on both nodes): a wrapper
# that notes each call with its time in the node's /var/log/pacemaker/ipres.calls,
# then becomes a copy of the binary under test (its stderr stays the agent's,
# which pacemaker-execd logs).
cp -p "$(readlink -f "$IPRES_BIN")" "$tmp/ipres-bin"
cat >"$tmp/ipres" <<EOF
#!/bin/sh
echo "\$(date +%s.%N) \$(hostname): ipres \$*" >>/var/log/pacemaker/ipres.calls
exec $tmp/ipres-bin "\$@"
EOF
chmod 0755 "$tmp/ipres"

# The node's directories: the host's /etc/corosync (uidgid.d) with this
# cluster's corosync.conf, empty state and log directories owned as the
# packages make them, an OCF root holding only ocf:ipres:ipres, and the seeded
# CIB (dc-deadtime=2s: both nodes online in seconds, not after the default 20 s;
# no fencing; resource-stickiness so that a node coming back leaves the
# address where it is). corosync's token is 1 s (3 s by default).
for n in a b; do
  d=$tmp/$n
  mkdir -p "$d/etc-corosync" "$d/var-lib-corosync" "$d/var-log-corosync" \
    "$d/var-lib-pacemaker/cib" "$d/var-lib-pacemaker/pengine" "$d/var-lib-pacemaker/blackbox" \
    "$d/var-lib-pacemaker/cores" "$d/var-log-pacemaker" "$d/usr-lib-ocf-resource.d/ipres"
  cp -a /etc/corosync/. "$d/etc-corosync/"
  cat >"$d/etc-corosync/corosync.conf" <<EOF
totem {
  version: 2
  cluster_name: ipres-test
  transport: knet
  crypto_cipher: none
  crypto_hash: none
  token: 1000
}
nodelist {
  node {
    name: a
    nodeid: 1
    ring0_addr: 192.0.2.2
  }
  node {
    name: b
    nodeid: 2
    ring0_addr: 192.0.2.3
  }
}
quorum {
  provider: corosync_votequorum
  two_node: 1
}
logging {
  to_stderr: no
  to_syslog: no
  to_logfile: yes
  logfile: /var/log/corosync/corosync.log
  timestamp: hires
}
EOF
  cat >"$d/var-lib-pacemaker/cib/cib.xml" <<EOF
<cib validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="cib-bootstrap-options-stonith-enabled" name="stonith-enabled" value="false"/>
        <nvpair id="cib-bootstrap-options-dc-deadtime" name="dc-deadtime" value="2s"/>
      </cluster_property_set>
    </crm_config>
    <nodes/>
    <resources/>
    <constraints/>
    <rsc_defaults>
      <meta_attributes id="rsc-options">
        <nvpair id="rsc-options-resource-stickiness" name="resource-stickiness" value="100"/>
      </meta_attributes>
    </rsc_defaults>
  </configuration>
  <status/>
</cib>
EOF
  chown -R hacluster:haclient "$d/var-lib-pacemaker" "$d/var-log-pacemaker"
  chmod 0750 "$d/var-lib-pacemaker"/*
  chmod 0600 "$d/var-lib-pacemaker/cib/cib.xml"
  chmod 0770 "$d/var-log-pacemaker"
  cp -p "$AGENT_SRC" "$d/usr-lib-ocf-resource.d/ipres/ipres"
done

# node_boot NODE: NODE's holder, with its mounts and host name; then corosync
# and pacemakerd in it, as children of this script (pids in corosync_NODE,
# pacemakerd_NODE). A node booting holds no address: a power-off forgot it.
node_boot() {
  n=$1
  d=$tmp/$n
  ip -n "$(ns "$n")" addr del "$VIP/24" dev eth0 2>/dev/null
  ip -n "$(ns br)" link set "p-$n" up
  rm -f "$d/up"
  (
    # shellcheck disable=SC2016 # $1 and $2 are the inner shell's
    exec ip netns exec "$(ns "$n")" unshare --mount --uts --propagation private sh -c '
      set -e
      mount -t tmpfs -o mode=0755,size=16m "run-$1" /run
      mount -t tmpfs -o mode=1777,size=64m "shm-$1" /dev/shm
      for m in /etc/corosync /var/lib/corosync /var/lib/pacemaker /var/log/corosync \
        /var/log/pacemaker /usr/lib/ocf/resource.d; do
        mount --bind "$2/$(echo "${m#/}" | tr / -)" "$m"
      done
      hostname "$1"
      : >"$2/up"
      exec sleep 100000' sh "$n" "$d"
  ) >>"$d/holder.log" 2>&1 &
  eval "holder_$n=\$!"
  wait_for 5 test -e "$d/up" || { not_ok "$n's holder did not come up: $(cat "$d/holder.log")"; return 1; }
  daemon_start "$n" corosync corosync -f
  pacemakerd_start "$n"
}
# on NODE CMD...: CMD in NODE's namespaces, under the holder's root.
on() {
  eval "_h=\$holder_$1"
  shift
  nsenter -t "$_h" -n -m -u --root --wd=/ -- "$@"
}
# daemon_start NODE NAME CMD...: CMD in NODE's namespaces in the background
# (nsenter execs it: the pid is the daemon's), its output in NODE/NAME.out.
daemon_start() {
  _n=$1
  _name=$2
  shift 2
  eval "_h=\$holder_$_n"
  (exec nsenter -t "$_h" -n -m -u --root --wd=/ -- "$@") >>"$tmp/$_n/$_name.out" 2>&1 &
  eval "${_name}_$_n=\$!"
}
pacemakerd_start() {
  daemon_start "$1" pacemakerd env PCMK_logfacility=none PCMK_logfile=/var/log/pacemaker/pacemaker.log pacemakerd
}
# node_poweroff NODE: its cable out and every process of it killed at once
# (the holder too: its mounts go with it). The address stays configured in
# the dead namespace but nothing of it reaches the LAN.
node_poweroff() {
  ip -n "$(ns br)" link set "p-$1" down
  ip netns pids "$(ns "$1")" | xargs -r kill -KILL
  wait_for 5 sh -c "! ip netns pids $(ns "$1") | grep -q ." || not_ok "$1's processes did not all die"
}

crm_xml() { on "$1" crm_mon -1 --output-as=xml 2>/dev/null; }
# online VIEWER NODE: VIEWER's pacemaker sees NODE online.
online() { crm_xml "$1" | grep -qE "<node name=\"$2\" [^>]*online=\"true\""; }
offline() { crm_xml "$1" | grep -qE "<node name=\"$2\" [^>]*online=\"false\""; }
both_online() { online a a && online a b && online b a && online b b; }
# failed_op VIEWER OPKEY NODE: VIEWER's crm_mon lists OPKEY on NODE as a failed action.
failed_op() { crm_xml "$1" | grep -qE "<failure op_key=\"$2\" node=\"$3\""; }
locate() { on "$1" crm_resource --locate -r vip 2>/dev/null; }

addrs() { ip -n "$(ns "$1")" -4 -o addr show dev eth0; }
holds() { addrs "$1" | grep -q " $VIP/"; }
lacks() { ! holds "$1"; }
holders() { # the nodes holding VIP: "a", "b", "a b" or ""
  h=""
  for n in a b; do holds "$n" && h="$h $n"; done
  echo "${h# }"
}
only() { [ "$(holders)" = "$1" ]; }
other() { if [ "$1" = a ]; then echo b; else echo a; fi; }
mac() { eval "echo \$mac_$1"; }
neigh_is() { ip -n "$(ns client)" neigh show "$VIP" | grep -q "lladdr $1"; }
reaches() { in_ns client ping -c1 -W1 "$VIP" >/dev/null 2>&1; }
# arping_macs: the distinct MACs answering the client's ARP requests for VIP
# (iputils arping, 2 requests 1 s apart, both broadcast: after a first reply arping
# would ask that MAC alone), lower case, one a line.
arping_macs() {
  in_ns client arping -b -c 2 -w 2 -I eth0 "$VIP" 2>/dev/null |
    sed -n 's/.*reply from [0-9.]* \[\([0-9A-Fa-f:]*\)\].*/\1/p' | tr 'A-F' 'a-f' | sort -u
}

# --- timing: the client's view -----------------------------------------------------------
# watch_start: the client pings VIP every 10 ms while tcpdump notes every echo
# reply and every ARP packet with its source MAC and the kernel's time stamp.
watch_start() {
  # exec: $! is tcpdump's (and ping's) pid, so watch_stop ends them.
  (exec ip netns exec "$(ns client)" tcpdump -i eth0 -n -e -tt -l \
    "icmp[icmptype] == icmp-echoreply or arp") >"$tmp/dump" 2>"$tmp/dump.err" &
  dump_pid=$!
  wait_for 5 grep -q 'listening on' "$tmp/dump.err"
  (exec ip netns exec "$(ns client)" ping -i 0.01 -W 0.01 "$VIP") >/dev/null 2>&1 &
  ping_pid=$!
}
watch_stop() {
  sleep 0.2
  kill "$ping_pid" "$dump_pid" 2>/dev/null
  wait "$ping_pid" "$dump_pid" 2>/dev/null
}
# vip_replies: the echo replies VIP sent the client (not the client's own
# replies to the holder's connectivity check, which pings from VIP).
vip_replies() { grep "ICMP echo reply" "$tmp/dump" | grep -F " $VIP > 192.0.2.10: "; }
# first_reply_from MAC SINCE: time stamp of VIP's first echo reply from MAC at or after SINCE
first_reply_from() {
  vip_replies | awk -v mac="$1" -v t0="$2" '$2 == mac && $1 + 0 >= t0 + 0 { print $1; exit }'
}
# first_call NODE WORDS SINCE: time stamp of NODE's first "ipres WORDS" at or after SINCE
first_call() {
  awk -v w="ipres $2" -v t0="$3" 'index($0, w) && $1 + 0 >= t0 + 0 { print $1; exit }' \
    "$tmp/$1/var-log-pacemaker/ipres.calls" 2>/dev/null
}
# claims NODE: the client saw an ARP from NODE's MAC that claims VIP (a
# gratuitous request, "who-has VIP tell VIP", or a reply "VIP is-at").
claims() {
  grep ARP "$tmp/dump" | grep -F "$(mac "$1") > " | grep -qF -e "tell $VIP," -e "Reply $VIP is-at"
}
not() { ! "$@"; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1000 }'; }
now() { date +%s.%N; }
# report WHAT T0 NODE: the client's echo reaches VIP on NODE again; the time
# from T0 to the first reply from NODE's MAC after NODE's restore began, of
# which the engine's part (T0 to the start's restore on NODE) and ipres's.
report() {
  start=$(first_call "$3" "restore $TAG" "$2")
  reached=""
  [ -n "$start" ] && reached=$(first_reply_from "$(mac "$3")" "$start")
  if [ -n "$reached" ] && [ -n "$start" ]; then
    ok "$1: the client reaches $VIP on $3 $(ms "$2" "$reached") ms after it" \
      "(pacemaker ran start after $(ms "$2" "$start") ms; ipres took $(ms "$start" "$reached") ms more)"
    echo "TIMING $1: $(ms "$2" "$reached") ms in all, pacemaker $(ms "$2" "$start") ms, ipres $(ms "$start" "$reached") ms"
  else
    not_ok "$1: no echo reply from $3's MAC after it (start at '$start', reply at '$reached')"
  fi
}

# --- both nodes up ---------------------------------------------------------------------
t0=$(now)
node_boot a
node_boot b
if check "both nodes see both online (dc-deadtime=2s)" wait_for 30 both_online; then
  echo "TIMING both nodes online: $(ms "$t0" "$(now)") ms after corosync and pacemakerd started"
fi
check "corosync's quorum: two_node, quorate" sh -c \
  "nsenter -t $holder_a -n -m -u --root --wd=/ -- corosync-quorumtool -s | grep -q 'Quorate: *Yes' &&
   nsenter -t $holder_a -n -m -u --root --wd=/ -- corosync-quorumtool -s | grep -q '2Node'"
check "corosync runs knet" sh -c "nsenter -t $holder_a -n -m -u --root --wd=/ -- corosync-cmapctl totem.transport | grep -q knet"
# The same directory (device and inode) as this test's /; readlink would
# not do: it names a root in another mount namespace from that one's top.
# shellcheck disable=SC2016 # $p is the inner shell's
check "corosync and pacemakerd run under this test's root (a chroot's, if any)" sh -c \
  'for p in "$@"; do [ "/proc/$p/root" -ef / ] || exit 1; done' \
  sh "$corosync_a" "$corosync_b" "$pacemakerd_a" "$pacemakerd_b"
check "corosync logs into the node's own /var/log/corosync" \
  grep -q "Corosync Cluster Engine" "$tmp/a/var-log-corosync/corosync.log" "$tmp/b/var-log-corosync/corosync.log"
check "each node has its own host name" sh -c \
  "[ \"\$(nsenter -t $holder_a -u hostname)\" = a ] && [ \"\$(nsenter -t $holder_b -u hostname)\" = b ]"
check "libqb's IPC files are in the node's own /dev/shm" sh -c \
  "nsenter -t $holder_a -m --root --wd=/ -- find /dev/shm -name '*cib_rw*' | grep -q . &&
   ! find /dev/shm -name '*cib_rw*' | grep -q ."
check "the nodes' mounts are not in the host's mount table" sh -c \
  "! grep -qE 'tmpfs (run|shm)-[ab] ' /proc/self/mountinfo && ! grep -q '$tmp' /proc/self/mountinfo"

# --- the resource starts on one node -----------------------------------------------------
t0=$(now)
check "cibadmin adds ocf:ipres:ipres" on a cibadmin --create -o resources --xml-text \
  "<primitive id=\"vip\" class=\"ocf\" provider=\"ipres\" type=\"ipres\">
     <instance_attributes id=\"vip-params\">
       <nvpair id=\"vip-tag\" name=\"tag\" value=\"$TAG\"/>
       <nvpair id=\"vip-binary\" name=\"binary\" value=\"$tmp/ipres\"/>
     </instance_attributes>
     <operations>
       <op id=\"vip-monitor-2s\" name=\"monitor\" interval=\"2s\" timeout=\"20s\"/>
       <op id=\"vip-start\" name=\"start\" interval=\"0s\" timeout=\"40s\"/>
       <op id=\"vip-stop\" name=\"stop\" interval=\"0s\" timeout=\"20s\"/>
     </operations>
   </primitive>"
check "one node holds $VIP" wait_for 15 sh -c "[ -n \"\$(ip -n $(ns a) -4 -o addr show dev eth0 | grep ' $VIP/')\" ] ||
  [ -n \"\$(ip -n $(ns b) -4 -o addr show dev eth0 | grep ' $VIP/')\" ]"
echo "TIMING resource started: $(ms "$t0" "$(now)") ms after cibadmin"
H=$(holders)
case $H in
  a | b) ok "exactly one node holds $VIP: $H" ;;
  *) not_ok "holders of $VIP: '$H'"; H=a ;;
esac
O=$(other "$H")
check "... and only $H, for 1 s" stays 1 only "$H"
check "crm_resource --locate says $H" sh -c "nsenter -t $holder_a -n -m -u --root --wd=/ -- crm_resource --locate -r vip | grep -q 'running on: $H\$'"
check "the client reaches $VIP" reaches
check "the client's neighbour entry is $H's MAC" neigh_is "$(mac "$H")"
check "arping from the client: $H's MAC alone answers" test "$(arping_macs)" = "$(mac "$H")"

# --- crm_resource --move and --ban ---------------------------------------------------------
watch_start
t0=$(now)
check "crm_resource --move to $O" on a crm_resource --move -r vip -N "$O"
check "moved: $O alone holds $VIP" wait_for 15 only "$O"
check "the client reaches $VIP" wait_for 5 reaches
watch_stop
check "the client's neighbour entry moved to $O's MAC" neigh_is "$(mac "$O")"
report "crm_resource --move" "$t0" "$O"
check "the client saw $O's gratuitous ARP for $VIP (tcpdump)" claims "$O"
check "$H ran stop (ipres remove)" test -n "$(first_call "$H" "remove $TAG" "$t0")"
check "crm_resource --clear" on a crm_resource --clear -r vip
check "cleared: it stays on $O (stickiness)" stays 2 only "$O"

watch_start
t0=$(now)
check "crm_resource --ban from $O" on b crm_resource --ban -r vip -N "$O"
check "banned: $H alone holds $VIP" wait_for 15 only "$H"
check "the client reaches $VIP" wait_for 5 reaches
watch_stop
check "the client's neighbour entry moved back to $H's MAC" neigh_is "$(mac "$H")"
report "crm_resource --ban" "$t0" "$H"
check "the ban is a -INFINITY location constraint" sh -c \
  "nsenter -t $holder_a -n -m -u --root --wd=/ -- cibadmin -Q -o constraints | grep -q 'cli-ban-vip-on-$O'"
check "crm_resource --clear" on a crm_resource --clear -r vip
check "cleared: it stays on $H" stays 2 only "$H"

# --- a deleted address: the monitor operation catches it ------------------------------------
watch_start
t0=$(now)
ip -n "$(ns "$H")" addr del "$VIP/24" dev eth0
check "the address back on $H" wait_for 15 holds "$H"
check "the client reaches $VIP" wait_for 5 reaches
watch_stop
report "address deleted on the holder" "$t0" "$H"
check "... on $H alone" stays 1 only "$H"
check "crm_mon lists the failed monitor on $H" wait_for 5 failed_op a vip_monitor_2000 "$H"
check "crm_failcount: 1 on $H" sh -c \
  "nsenter -t $holder_a -n -m -u --root --wd=/ -- crm_failcount --query -r vip -N $H | grep -q 'value=1'"
check "crm_resource --cleanup" on a crm_resource --cleanup -r vip
# The cleanup forgets vip's history and probes it again on both nodes: until
# the probes are in, the scheduler believes it runs nowhere (and a node shut
# down then would leave without stopping it). Wait for the cluster to settle.
check "the cluster settles (crm_resource --wait)" on a crm_resource --wait --timeout=20s
check "the failure is gone from crm_mon" sh -c "! nsenter -t $holder_a -n -m -u --root --wd=/ -- crm_mon -1 --output-as=xml | grep -q '<failure '"
check "the probe finds it on $H: crm_resource --locate says $H" sh -c \
  "nsenter -t $holder_a -n -m -u --root --wd=/ -- crm_resource --locate -r vip | grep -q 'running on: $H\$'"
check "it stays on $H" stays 1 only "$H"

# --- the holder's pacemakerd stopped: the peer takes over --------------------------------------
watch_start
t0=$(now)
eval "p=\$pacemakerd_$H"
kill -TERM "$p"
check "pacemakerd stopped: $O alone holds $VIP" wait_for 30 only "$O"
check "the client reaches $VIP" wait_for 5 reaches
watch_stop
check "the client's neighbour entry moved to $O's MAC" neigh_is "$(mac "$O")"
report "the holder's pacemakerd stopped" "$t0" "$O"
check "$H's pacemakerd exited" wait_for 30 sh -c "! kill -0 $p"
wait "$p" 2>/dev/null
check "$H ran stop (ipres remove) before leaving" test -n "$(first_call "$H" "remove $TAG" "$t0")"
check "$O sees $H offline, corosync still up there" sh -c \
  "nsenter -t $(eval "echo \$holder_$O") -n -m -u --root --wd=/ -- crm_mon -1 --output-as=xml | grep -qE '<node name=\"$H\" [^>]*online=\"false\"' &&
   kill -0 $(eval "echo \$corosync_$H")"

# --- the node rejoins: the address stays where it is -----------------------------------------
pacemakerd_start "$H"
check "$H rejoins: both online" wait_for 30 both_online
check "the cluster settles (its probe of vip on $H done)" on "$O" crm_resource --wait --timeout=20s
check "... and the address stays on $O" stays 1 only "$O"
check "the client's neighbour entry is still $O's MAC" neigh_is "$(mac "$O")"

# --- the holder powered off: the peer takes over -----------------------------------------------
# Now O holds it; H is the survivor.
watch_start
t0=$(now)
node_poweroff "$O"
check "$O powered off: $H holds $VIP" wait_for 30 holds "$H"
check "the client reaches $VIP" wait_for 5 reaches
watch_stop
check "the client's neighbour entry moved to $H's MAC" neigh_is "$(mac "$H")"
report "the holder powered off" "$t0" "$H"
check "$H sees $O offline" offline "$H" "$O"
check "arping from the client: $H's MAC alone answers" test "$(arping_macs)" = "$(mac "$H")"

node_boot "$O"
check "$O boots again: both online" wait_for 30 both_online
check "the cluster settles (its probe of vip on $O done)" on "$H" crm_resource --wait --timeout=20s
check "... and the address stays on $H" stays 1 only "$H"

# --- corosync alone dies on the holder: no fencing, no second holder ----------------------------
# H keeps its address and answers on the LAN; O loses H from the membership,
# keeps quorum (two_node) and, with nothing to fence it, starts vip-pcmk:
# ipres's duplicate check finds H answering and the start fails.
watch_start
t0=$(now)
eval "p=\$corosync_$H"
kill -KILL "$p"
check "$O's start of vip fails, in $O's crm_mon" wait_for 30 failed_op "$O" vip_start_0 "$O"
t_fail=$(now)
check "meanwhile, and for 2 s more, $H alone held $VIP" stays 2 only "$H"
watch_stop
check "... with ipres's reason as its exit reason" sh -c \
  "nsenter -t $(eval "echo \$holder_$O") -n -m -u --root --wd=/ -- crm_mon -1 --output-as=xml |
   grep '<failure op_key=\"vip_start_0\" node=\"$O\"' | grep -qF 'exitreason=\"$TAG: restore: duplicate check: $VIP in use on the network'"
on "$O" crm_mon -1 2>&1 | sed -n '/Failed Resource Actions/,$p' | sed "s/^/    crm_mon on $O: /"
check "$O ran start (ipres restore)" test -n "$(first_call "$O" "restore $TAG" "$t0")"
echo "TIMING corosync killed on the holder: $O's start failed $(ms "$t0" "$t_fail") ms after it" \
  "(restore called after $(ms "$t0" "$(first_call "$O" "restore $TAG" "$t0")") ms)"
check "$O's pacemaker.log has ipres's reason" \
  grep -q "$TAG: restore: duplicate check: $VIP in use on the network" "$tmp/$O/var-log-pacemaker/pacemaker.log"
check "the client's neighbour entry is $H's MAC" neigh_is "$(mac "$H")"
check "arping from the client: $H's MAC alone answers" test "$(arping_macs)" = "$(mac "$H")"
check "the client reaches $VIP" reaches
check "the client saw $O's duplicate check (ARP probe: who-has $VIP tell 0.0.0.0)" sh -c \
  "grep ARP '$tmp/dump' | grep -F '$(mac "$O") > ' | grep -qF 'who-has $VIP tell 0.0.0.0,'"
check "... and no ARP from $O claiming $VIP (gratuitous ARP or reply)" not claims "$O"
vip_replies | awk '{ print $2 }' | sort -u >"$tmp/reply-macs"
check "$VIP's echo replies came from $H's MAC, and from no other (tcpdump)" \
  test "$(cat "$tmp/reply-macs")" = "$(mac "$H")"

echo "TIMING whole scenario: $(ms "$t_start" "$(now)") ms"

# --- nothing left behind -------------------------------------------------------------
pids="$holder_a $holder_b $corosync_a $corosync_b $pacemakerd_a $pacemakerd_b"
ns_cleanup
for p in $pids; do wait "$p" 2>/dev/null; done
none_alive() {
  for p in "$@"; do kill -0 "$p" 2>/dev/null && return 1; done
  return 0
}
# shellcheck disable=SC2086 # one pid a word
check "every daemon and holder of the nodes is gone" wait_for 5 none_alive $pids
check "no namespace of this test is left" sh -c "! ip netns list | grep -q '^$NS_PREFIX'"
check "no mount of the nodes is left" sh -c "! grep -qE 'tmpfs (run|shm)-[ab] ' /proc/self/mountinfo"
summary "pacemaker ($IPRES_ARCH)"
