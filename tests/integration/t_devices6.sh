#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The device kinds this kernel can make, IPv6 (devices_lib.sh): on the
# bridge br-lan, keepalived's VMAC vrrp.51 and the macvlan mv0, restore,
# the unsolicited neighbour advertisements (tcpdump -e in the client: from
# the bridge's, the VMAC's, the macvlan's own MAC), quickCheck, status,
# ready (on the VMAC from the base device's 2001:db8::2), remove; the
# duplicate check by neighbour discovery alone (a holder that drops ICMPv6
# echo) and by ICMPv6 echo alone (a holder that never answers a
# solicitation for it); the monitor across a cable pull longer than its
# back-off, one monitor per kind, the time from the carrier's return to
# each address back printed. Under qemu-user no IPv6 restore can run
# (needs_ndp_socket): one skip.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh
needs_ndp_socket "devices, IPv6 ($IPRES_ARCH)"
. tests/integration/devices_lib.sh

devices_up ipv6
KINDS="dev-br6,br-lan,2001:db8::160 dev-vmac6,vrrp.51,2001:db8::161 dev-mv6,mv0,2001:db8::162"

kind dev-br6 br-lan 2001:db8::160 "$(mac_of a br-lan)"
kind dev-vmac6 vrrp.51 2001:db8::161 "$VMAC"
kind dev-mv6 mv0 2001:db8::162 "$(mac_of a mv0)"
ready_from dev-vmac6 vrrp.51 2001:db8::2
ready_from dev-mv6 mv0 2001:db8::2

# --- the duplicate check ------------------------------------------------------
# Holder h on the LAN, its IPv6 on without DAD (ns_ipv6).
host_up h
ns_ipv6 h
H=$(ns h)
MAC_H=$(mac_of h)
for r in $KINDS; do
  split_res "$r"
  # By neighbour discovery alone: h holds ADDR on eth0 and ignores echo.
  ip -n "$H" -6 addr add "$addr/64" dev eth0 nodad
  in_ns h sysctl -qw net.ipv6.icmp.echo_ignore_all=1
  check_exit "$dev: h ignores ICMPv6 echo (the client's ping of $addr fails)" 1 \
    in_ns client ping -6 -c1 -W1 "$addr"
  dup_refused "$tag" "$dev" "$addr" "neighbour discovery"
  ip -n "$H" -6 addr del "$addr/64" dev eth0
  in_ns h sysctl -qw net.ipv6.icmp.echo_ignore_all=0
  # By ICMPv6 echo alone: h holds ADDR on lo, so it never answers a
  # solicitation for it on eth0, and answers echo through static neighbour
  # entries both ways (node a's for ADDR on DEV, h's for 2001:db8::2). Only
  # on br-lan: on a macvlan without an IPv6 address of its own the kernel
  # has no route through it before the add and refuses the echo
  # (ENETUNREACH), and the probe decides alone, by design
  # (net/duplicate_probe.cc): there ICMPv6 has nothing to find.
  if [ "$dev" != br-lan ]; then
    skip "$dev: the duplicate check by ICMPv6 echo alone: the kernel routes no echo through" \
      "a macvlan without an IPv6 address of its own (ENETUNREACH); neighbour discovery decides"
    continue
  fi
  ip -n "$H" -6 addr add "$addr/128" dev lo
  ip -n "$H" -6 route add 2001:db8::/64 dev eth0
  ip -n "$H" -6 neigh replace 2001:db8::2 lladdr "$(mac_of a "$dev")" dev eth0 nud permanent
  ip -n "$A" -6 neigh replace "$addr" lladdr "$MAC_H" dev "$dev" nud permanent
  dump_start "icmp6 and ip6[40] == 136 and ether src $MAC_H"
  dup_refused "$tag" "$dev" "$addr" "ICMPv6 echo"
  dump_stop
  check_no_out "$dev: h sent no advertisement for $addr" "tgt is $addr" cat "$tmp/dump.txt"
  ip -n "$A" -6 neigh del "$addr" dev "$dev"
  ip -n "$H" -6 neigh del 2001:db8::2 dev eth0
  ip -n "$H" -6 route del 2001:db8::/64 dev eth0
  ip -n "$H" -6 addr del "$addr/128" dev lo
  ipres_in a remove "$tag" >/dev/null 2>&1
done

# --- the monitor across a cable pull longer than its back-off ------------------
# shellcheck disable=SC2086 # a list of resources
monitors_across_pull $KINDS

summary "devices, IPv6 ($IPRES_ARCH)"
