#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The spec's own commands (ip-recovery-kit-operations.txt) for one resource,
# with iproute2 and iputils: the third contender of make bench.
#   spec_ops.sh restore|quickCheck|remove ADDRESS/PREFIX DEVICE PINGIP
# The resource is the bench board's: not physical, Restore and Recover
# enabled, NOIPUNIQUE=1 (no duplicate check), NOBCASTPING=0, one PingList
# address, IP_PINGTIME=1, no Source Address Setting, no NetworkManager.
# lkping -b -c 1 -w T is iputils ping with the same options.
set -u
op=$1
cidr=$2
dev=$3
pingip=$4
vip=${cidr%/*}
prefix=${cidr#*/}
pingtime=1

# broadcast address of the subnet (for arping and the broadcast ping)
bcast() {
  # shellcheck disable=SC2046
  set -- $(echo "$vip" | tr . ' ')
  n=$((($1 << 24) | ($2 << 16) | ($3 << 8) | $4))
  host=$(((1 << (32 - prefix)) - 1))
  b=$((n | host))
  echo "$(((b >> 24) & 255)).$(((b >> 16) & 255)).$(((b >> 8) & 255)).$((b & 255))"
}

assigned() { ip -4 -o addr show dev "$dev" | grep -q " $vip/"; }
link_up() { ! ip -o link show "$dev" | grep -q NO-CARRIER; }

# Connectivity check: unicast ping to the PingList, then a broadcast ping.
connectivity() {
  ping -b -c 1 -w "$pingtime" -I "$vip" "$pingip" >/dev/null 2>&1 && return 0
  # iputils ping has no -z (drop replies from this node's own addresses):
  # any broadcast reply is taken.
  ping -b -c 1 -w "$pingtime" -I "$vip" "$(bcast)" >/dev/null 2>&1
}

case $op in
  restore)
    link_up || exit 1
    if assigned; then
      link_up && connectivity
      exit $?
    fi
    ip -4 addr add "$cidr" dev "$dev" || exit 1
    ip neigh flush dev "$dev"
    b=$(bcast)
    arping -Uq -c1 -s "$vip" -I "$dev" "$vip"
    arping -Aq -c1 -s "$vip" -I "$dev" "$vip"
    arping -Uq -c1 -s "$vip" -I "$dev" "$b"
    arping -Aq -c1 -s "$vip" -I "$dev" "$b"
    connectivity
    ;;
  quickCheck)
    assigned || exit 1
    link_up || exit 1
    connectivity
    ;;
  remove)
    assigned || exit 0
    ip -4 addr delete "$cidr" dev "$dev"
    rc=$?
    ip -4 route delete "$cidr" dev "$dev" 2>/dev/null
    echo 0 >/proc/sys/net/ipv4/route/flush 2>/dev/null
    exit $rc
    ;;
  *)
    echo "usage: spec_ops.sh restore|quickCheck|remove ADDRESS/PREFIX DEVICE PINGIP" >&2
    exit 2
    ;;
esac
