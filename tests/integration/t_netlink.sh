#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Each rtnetlink operation of src/net/ against the real kernel in a
# namespace (through tests/tools/nettool, built for the CPU under test), the
# result read back with iproute2.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh

NETTOOL="build/nstest-$IPRES_ARCH/tools/nettool"
nt() {
  n=$1
  shift
  # shellcheck disable=SC2086
  in_ns "$n" $IPRES_QEMU "$NETTOOL" "$@"
}
addr_of() { ip -n "$(ns "$1")" -4 -o addr show dev "${2:-eth0}"; }

lan_up
host_up a 192.0.2.2/24
host_up peer 192.0.2.10/24

# link
check_out "link: up with carrier" 'up=1 carrier=1' nt a link eth0
check_out "link: MAC as ip shows it" "mac=$(mac_of a)" nt a link eth0
check_exit "link: unknown device fails" 1 nt a link nosuch0
out=$(nt a link nosuch0 2>&1)
check_text "link: error names the device and errno text" 'device nosuch0: No such device' "$out"

ip -n "$(ns br)" link set p-a down
check_out "link: peer down reads as no carrier" 'up=1 carrier=0' nt a link eth0
check_out "link: iproute2 agrees (NO-CARRIER)" NO-CARRIER ip -n "$(ns a)" link show eth0
(sleep 0.4; ip -n "$(ns br)" link set p-a up) &
out=$(nt a wait-carrier eth0 5000)
check_text "wait-carrier: returns when carrier comes ($out)" '^carrier' "$out"
ms=$(echo "$out" | sed -n 's/^carrier after \([0-9]*\) ms$/\1/p')
check "wait-carrier: event-driven, not a poll tick (${ms} ms for a 400 ms outage)" \
  test "${ms:-9999}" -lt 1500
wait
ip -n "$(ns br)" link set p-a down
check_exit "wait-carrier: times out without carrier" 1 nt a wait-carrier eth0 300
ip -n "$(ns br)" link set p-a up

check "set down" nt a set eth0 down
check_no_out "ip shows it down" '<.*UP' ip -n "$(ns a)" link show eth0
check "set up" nt a set eth0 up
check_out "ip shows it up" '<.*,UP' ip -n "$(ns a)" link show eth0
wait_for 5 sh -c "ip -n $(ns a) link show eth0 | grep -q LOWER_UP"

# address
check "add 192.0.2.100/24" nt a add eth0 192.0.2.100/24
check_out "ip shows it, secondary, with broadcast and label" \
  'inet 192.0.2.100/24 brd 192.0.2.255 scope global secondary eth0' addr_of a
check_exit "add again: EEXIST" 1 nt a add eth0 192.0.2.100/24
out=$(nt a add eth0 192.0.2.100/24 2>&1)
check_text "add again names address, device and errno text" \
  'add 192.0.2.100/24 on eth0.*File exists' "$out"
check_out "list device addresses" '192.0.2.100/24 secondary' nt a addrs eth0
check_out "list node addresses includes loopback" '127.0.0.1/8 primary' nt a addrs
check "delete 192.0.2.100/24" nt a del eth0 192.0.2.100/24
check_no_out "ip no longer shows it" 192.0.2.100 addr_of a
check_out "the physical address stayed" 192.0.2.2/24 addr_of a
check_exit "delete again: EADDRNOTAVAIL" 1 nt a del eth0 192.0.2.100/24
# Same IP, other prefix: the delete must not match it.
ip -n "$(ns a)" addr add 192.0.2.101/25 dev eth0
check_exit "delete with the wrong prefix fails" 1 nt a del eth0 192.0.2.101/24
check_out "and leaves the address" 192.0.2.101/25 addr_of a
ip -n "$(ns a)" addr del 192.0.2.101/25 dev eth0
# A primary with secondaries: deleting it must not take them along.
in_ns a sysctl -qw net.ipv4.conf.eth0.promote_secondaries=0
ip -n "$(ns a)" addr add 198.51.100.5/24 dev eth0
ip -n "$(ns a)" addr add 198.51.100.6/24 dev eth0
ip -n "$(ns a)" addr add 198.51.100.7/24 dev eth0
if [ "$IPRES_ARCH" = mips ]; then
  # qemu-user swaps none of the IFLA_* payloads a big-endian guest sends
  # (it logs "Unknown target QEMU_IFLA type: 32794" for IFLA_AF_SPEC), so
  # the kernel never sees the promote_secondaries the delete sets first.
  skip "deleting a primary with secondaries under $IPRES_QEMU (qemu-user passes a" \
    "big-endian guest's IFLA_AF_SPEC to the kernel unswapped)"
else
  check "delete a primary with secondaries" nt a del eth0 198.51.100.5/24
  check_out "sibling .6 survived" 198.51.100.6/24 addr_of a
  check_out "sibling .7 survived" 198.51.100.7/24 addr_of a
  check "promote_secondaries put back to 0" \
    test "$(in_ns a sysctl -n net.ipv4.conf.eth0.promote_secondaries)" = 0
fi
ip -n "$(ns a)" addr flush dev eth0 to 198.51.100.0/24

# route
ip -n "$(ns a)" addr add 192.0.2.100/24 dev eth0
route() { ip -n "$(ns a)" -4 route show 192.0.2.0/24 dev eth0; }
check "route source to the VIP" nt a route-src eth0 192.0.2.0/24 192.0.2.100
check_out "ip route shows src 192.0.2.100, proto kernel scope link kept" \
  'proto kernel scope link src 192.0.2.100' route
check "still one subnet route" test "$(route | wc -l)" = 1
check "route source back to the physical address" nt a route-src eth0 192.0.2.0/24 192.0.2.2
check_out "ip route shows src 192.0.2.2" 'src 192.0.2.2 *$' route
ip -n "$(ns a)" route add 198.51.100.0/24 dev eth0 metric 77 proto static
check "a route with a metric keeps it" nt a route-src eth0 198.51.100.0/24 192.0.2.100
check_out "ip route: metric 77 proto static src kept" \
  'proto static scope link src 192.0.2.100 metric 77' ip -n "$(ns a)" route show 198.51.100.0/24
check "route source none" nt a route-src eth0 198.51.100.0/24 none
check_no_out "ip route: no src" src ip -n "$(ns a)" route show 198.51.100.0/24
ip -n "$(ns a)" addr add 192.0.2.103/24 dev eth0
check "route source to a second address" nt a route-src eth0 192.0.2.0/24 192.0.2.103
ip -n "$(ns a)" addr del 192.0.2.103/24 dev eth0
check_no_out "the kernel drops the subnet route with its source address" . \
  ip -n "$(ns a)" -4 route show 192.0.2.0/24
check "route source when the route is gone" nt a route-src eth0 192.0.2.0/24 192.0.2.2
check_out "the connected route is back, as the kernel makes it" \
  '^192.0.2.0/24 proto kernel scope link src 192.0.2.2 *$' route
ip -n "$(ns a)" route add 192.0.2.100/32 dev eth0
check "delete host route while the address is held" nt a del-host-route eth0 192.0.2.100
check_no_out "main-table /32 gone" . ip -n "$(ns a)" route show 192.0.2.100/32
check_out "local route kept while the address is held" 'local 192.0.2.100 ' \
  ip -n "$(ns a)" route show table local
check "delete host route when nothing is left" nt a del-host-route eth0 192.0.2.100

# neighbour
ip -n "$(ns a)" neigh replace 192.0.2.50 lladdr 02:00:00:00:00:50 dev eth0 nud reachable
ip -n "$(ns a)" neigh replace 192.0.2.51 lladdr 02:00:00:00:00:51 dev eth0 nud stale
ip -n "$(ns a)" neigh replace 192.0.2.52 lladdr 02:00:00:00:00:52 dev eth0 nud permanent
if [ -n "$IPRES_QEMU" ]; then
  # qemu-user translates only the link, address and route netlink families;
  # it answers RTM_GETNEIGH with EOPNOTSUPP before the kernel sees it.
  out=$(nt a flush-neigh eth0 2>&1)
  check_text "under qemu-user the flush fails with qemu's EOPNOTSUPP, clearly" \
    'flush neighbours of eth0: netlink send: Not supported' "$out"
  skip "neighbour flush results under $IPRES_QEMU (qemu-user has no RTM_*NEIGH translation)"
else
  check "flush neighbours" nt a flush-neigh eth0
  check_no_out "reachable entry gone" 192.0.2.50 ip -n "$(ns a)" neigh show dev eth0
  check_no_out "stale entry gone" 192.0.2.51 ip -n "$(ns a)" neigh show dev eth0
  check_out "permanent entry kept (as ip neigh flush)" '192.0.2.52 .*PERMANENT' \
    ip -n "$(ns a)" neigh show dev eth0
fi

summary "netlink ($IPRES_ARCH)"
