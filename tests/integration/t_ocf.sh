#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The OCF resource agent (rootfs-overlay/usr/lib/ocf/resource.d/ipres/ipres)
# for Pacemaker: Debian's ocf-tester in a namespace, then each exit status
# contract.md names, run by dash and by BusyBox ash, for an IPv4 and an IPv6
# resource. The address is read with iproute2, never with ipres itself.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh

SOURCE=rootfs-overlay/usr/lib/ocf/resource.d/ipres/ipres
VIP=192.0.2.113   # vip-ocf in board/nstest/ipres.conf
VIP6=2001:db8::113 # v6ha-ocf

# ocf-tester runs the agent's meta-data as user nobody, who may not reach the
# checkout (under /root, mode 0700, say): the agent and the binary it runs are
# copied (mode kept) into a directory everyone may enter, and run from there.
ns_tmp
chmod 0755 "$tmp"
AGENT=$tmp/ipres-agent
cp -p "$SOURCE" "$AGENT"

# --- the agent itself ------------------------------------------------------------
check "the agent is executable" test -x "$SOURCE"
# As ocf-tester does it: a shell of nobody's runs it (setpriv itself would
# still look the path up with root's capabilities).
# shellcheck disable=SC2016 # $0 is the inner shell's
check "nobody can run the copy under test" \
  setpriv --reuid=65534 --regid=65534 --clear-groups sh -c '"$0" meta-data' "$AGENT"
if command -v busybox >/dev/null 2>&1; then
  check "BusyBox ash parses it (busybox sh -n)" busybox sh -n "$SOURCE"
else
  skip "busybox is not installed: BusyBox ash not tried"
fi
if command -v shellcheck >/dev/null 2>&1; then
  check_exit "shellcheck -s sh finds nothing" 0 shellcheck -s sh "$SOURCE"
else
  skip "shellcheck is not installed: not linted"
fi
check "no resource-agents shell library" sh -c "! grep -qE 'ocf-shellfuncs|ocf-binaries|ocf-returncodes' '$SOURCE'"

"$AGENT" meta-data >"$tmp/meta.xml"
check_exit "meta-data exits 0" 0 "$AGENT" meta-data
check "meta-data is well-formed XML (xmllint --noout)" xmllint --noout "$tmp/meta.xml"
if [ -f /usr/share/resource-agents/ra-api-1.dtd ]; then
  check "meta-data is valid against resource-agents' ra-api-1.dtd" \
    sh -c "cd /usr/share/resource-agents && xmllint --noout --valid - <'$tmp/meta.xml'"
else
  skip "resource-agents' ra-api-1.dtd is not installed: meta-data not validated"
fi
xp() { xmllint --xpath "$1" "$tmp/meta.xml" 2>/dev/null; }
check "meta-data says OCF 1.1" test "$(xp 'string(/resource-agent/version)')" = 1.1
check "parameter tag is required and unique" \
  test "$(xp 'string(//parameter[@name="tag"]/@required)')$(xp 'string(//parameter[@name="tag"]/@unique)')" = 11
check "parameter binary defaults to /usr/sbin/ipres" \
  test "$(xp 'string(//parameter[@name="binary"]/content/@default)')" = /usr/sbin/ipres
for a in start stop monitor validate-all meta-data; do
  check "meta-data lists the $a action" test "$(xp "count(//action[@name=\"$a\"])")" = 1
done

# --- a node and its PingList -------------------------------------------------------
lan_hosts a client || exit 1
ns_ipv6 a
ns_ipv6 client
ip -n "$(ns a)" addr add 2001:db8::2/64 dev eth0 nodad
ip -n "$(ns client)" addr add 2001:db8::10/64 dev eth0 nodad
# The resources under test: TAG:ADDR, the IPv6 one where it can be restored.
resources="vip-ocf:$VIP"
v6=""
ndp_socket_or_skip && v6=1 && resources="$resources v6ha-ocf:$VIP6"

# The binary the agent runs: a copy of the one under test, through qemu-user for the
# other CPUs (a wrapper, as binary= names one program).
cp -p "$(readlink -f "$IPRES_BIN")" "$tmp/ipres-bin"
bin=$tmp/ipres-bin
if [ -n "$IPRES_QEMU" ]; then
  printf '#!/bin/sh\nexec %s %s "$@"\n' "$IPRES_QEMU" "$bin" >"$tmp/ipres"
  chmod 0755 "$tmp/ipres"
  bin=$tmp/ipres
fi

# holds ADDR: ADDR (either family) is on a's eth0.
holds() { ip -n "$(ns a)" "$(family "$1")" -o addr show dev eth0 | grep -q " $1/"; }
lacks() { ! holds "$1"; }

# --- Debian's ocf-tester ---------------------------------------------------------------
if command -v ocf-tester >/dev/null 2>&1; then
  for pair in $resources; do
    tag=${pair%%:*}
    addr=${pair#*:}
    in_ns a ocf-tester -n ipres-test -o tag="$tag" -o binary="$bin" "$AGENT" >"$tmp/tester" 2>&1
    rc=$?
    sed "s/^/    ocf-tester $tag: /" "$tmp/tester"
    check "ocf-tester passes for $tag (exit $rc)" sh -c "[ $rc = 0 ] && grep -q 'passed all tests' '$tmp/tester'"
    check "ocf-tester left $addr absent" lacks "$addr"
  done
else
  skip "ocf-tester is not installed (resource-agents; toolchain/setup.sh installs it)"
fi

# --- each exit status, under dash (the #! line) and BusyBox ash ------------------------
# agent SHELL ACTION [NAME=VALUE...]: runs the agent in namespace a with tag
# $agent_tag and the binary under test unless overridden, as a recurring
# monitor (interval 10 s) unless OCF_RESKEY_CRM_meta_interval is given.
agent_tag=vip-ocf
agent() {
  sh_=$1
  act=$2
  shift 2
  # shellcheck disable=SC2086
  in_ns a env OCF_RESKEY_tag="$agent_tag" OCF_RESKEY_binary="$bin" \
    OCF_RESKEY_CRM_meta_interval=10000 "$@" $sh_ "$AGENT" "$act"
}
# lifecycle LABEL SHELL TAG ADDR: start, monitor, the PingList lost, stop, for
# the resource TAG whose address is ADDR.
lifecycle() {
  l=$1
  run=$2
  agent_tag=$3
  addr=$4
  check_exit "[$l] monitor, stopped: 7 OCF_NOT_RUNNING" 7 agent "$run" monitor
  check_exit "[$l] stop, stopped: 0" 0 agent "$run" stop
  check_exit "[$l] validate-all: 0" 0 agent "$run" validate-all
  check_exit "[$l] start: 0" 0 agent "$run" start
  check "[$l] ... $addr is on eth0" holds "$addr"
  check "[$l] ... the client reaches it" in_ns client ping -c1 -W1 "$addr"
  check_exit "[$l] monitor, held: 0" 0 agent "$run" monitor
  check_exit "[$l] start, started: 0" 0 agent "$run" start
  # The PingList stops answering: the address is held but fails its check.
  ip -n "$(ns client)" link set eth0 down
  check_exit "[$l] monitor, held but the PingList is lost: 1 OCF_ERR_GENERIC" 1 agent "$run" monitor
  # Pacemaker shows the last "ocf-exit-reason:" line of stderr in crm_mon.
  agent "$run" monitor 2>"$tmp/err" >/dev/null
  check "[$l] ... its exit reason is ipres's last line" sh -c \
    "grep '^ocf-exit-reason:' '$tmp/err' | tail -n 1 | grep -q '^ocf-exit-reason:$agent_tag: quickCheck: ' &&
     [ \"\$(grep -v '^ocf-exit-reason:' '$tmp/err' | tail -n 1)\" = \"\$(grep '^ocf-exit-reason:' '$tmp/err' | sed 's/^ocf-exit-reason://')\" ]"
  ip -n "$(ns client)" link set eth0 up
  check_exit "[$l] stop: 0" 0 agent "$run" stop
  check "[$l] ... $addr is gone" lacks "$addr"
  check_exit "[$l] monitor after stop: 7" 7 agent "$run" monitor
  check_exit "[$l] stop, stopped: 0" 0 agent "$run" stop
  agent_tag=vip-ocf
}
shells="exec"
command -v busybox >/dev/null 2>&1 && shells="$shells busybox"
for s in $shells; do
  case $s in
    exec) run="" ;;
    busybox) run="busybox sh" ;;
  esac
  check_exit "[$s] validate-all, binary missing: 5 OCF_ERR_INSTALLED" 5 \
    agent "$run" validate-all OCF_RESKEY_binary="$tmp/nosuch"
  check_exit "[$s] validate-all, unknown tag: 6 OCF_ERR_CONFIGURED" 6 \
    agent "$run" validate-all OCF_RESKEY_tag=nosuch
  check_out "[$s] ... with the reason as the OCF exit reason" "^ocf-exit-reason:.*does not know tag 'nosuch'" \
    sh -c "env OCF_RESKEY_tag=nosuch OCF_RESKEY_binary='$bin' $run '$AGENT' validate-all 2>&1; true"
  check_exit "[$s] validate-all, no tag: 6 OCF_ERR_CONFIGURED" 6 \
    agent "$run" validate-all OCF_RESKEY_tag=
  check_exit "[$s] start, unknown tag: 6" 6 agent "$run" start OCF_RESKEY_tag=nosuch
  check_exit "[$s] monitor, binary missing: 5" 5 agent "$run" monitor OCF_RESKEY_binary="$tmp/nosuch"
  check_exit "[$s] probe, binary missing: 7" 7 \
    agent "$run" monitor OCF_RESKEY_binary="$tmp/nosuch" OCF_RESKEY_CRM_meta_interval=0
  check_exit "[$s] an action it does not have: 3 OCF_ERR_UNIMPLEMENTED" 3 agent "$run" promote
  lifecycle "$s" "$run" vip-ocf "$VIP"
  [ -n "$v6" ] && lifecycle "$s, IPv6" "$run" v6ha-ocf "$VIP6"
done
# The default binary= is /usr/sbin/ipres: not there on the build machine.
if [ ! -e /usr/sbin/ipres ]; then
  check_exit "validate-all with the default binary (not installed here): 5" 5 \
    in_ns a env OCF_RESKEY_tag=vip-ocf "$AGENT" validate-all
fi

summary "ocf ($IPRES_ARCH)"
