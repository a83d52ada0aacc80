#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The four operations for IPv6 resources against the real kernel, every
# branch t_ops.sh runs for IPv4: two appliance nodes (a, b), a client and an
# intruder on one bridge, IPv6 on (nslib.sh's ns_ipv6), the kernel's DAD on
# for the nodes' eth0 so that an address ipres adds without IFA_F_NODAD would
# show as tentative; and the node's own source while a resource is held (ip
# -6 route get: the physical address with SOURCE_ADDRESS=0, whose address is
# deprecated; the resource's with SOURCE_ADDRESS=1). What happened is read
# with iproute2 and iputils (ping -6), never with ipres itself. The LAN is
# 2001:db8::/64: a 2001:db8::2, b 2001:db8::3, the client 2001:db8::10, the
# intruder 2001:db8::66; the resources are board/nstest/ipres.conf's v6-*.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh

ns_tmp
needs_ndp_socket "ipv6 operations ($IPRES_ARCH)"
lan_hosts6 a+dad b+dad client intruder || exit 1
wait_for 10 in_ns client ping -6 -c1 -W1 2001:db8::2
wait_for 10 in_ns client ping -6 -c1 -W1 2001:db8::3

ipa() { ip -n "$(ns a)" "$@"; }
log_of() { cat "$tmp/err"; }
# route6 NODE: NODE's route to the LAN's prefix.
route6() { ip -n "$(ns "$1")" -6 route show 2001:db8::/64; }
check_not_text() {
  if printf '%s\n' "$3" | grep -qE -- "$2"; then
    not_ok "$1: got: $(printf '%s' "$3" | grep -E -- "$2" | head -c 400)"
  else
    ok "$1"
  fi
}

# --- restore, quickCheck, status, ready, remove ------------------------------
expect "restore v6-vip on a" 0 a restore v6-vip
flags=$(flags6 a 2001:db8::100)
check "a holds 2001:db8::100 on eth0, in service" holds6 a 2001:db8::100
check "... added without DAD: iproute2 shows nodad, not tentative (flags: $flags)" \
  sh -c "printf '%s' '$flags' | grep -qw nodad && ! printf '%s' '$flags' | grep -qE 'tentative|dadfailed'"
check_out "... with the board's prefix /64" ' 2001:db8::100/64 ' ipa -6 -o addr show dev eth0
check_out "the client reaches it (iputils ping -6)" ' 0% packet loss' \
  in_ns client ping -6 -c1 -W1 2001:db8::100
check_out "the client's neighbour entry holds a's MAC" "2001:db8::100 .*lladdr $(mac_of a)" \
  ip -n "$(ns client)" -6 neigh show 2001:db8::100
check_text "restore logged its steps with the tag" '^v6-vip: restore' "$(log_of)"
check_text "... and its add of 2001:db8::100/64" 'add 2001:db8::100/64 on eth0: done' "$(log_of)"
# SOURCE_ADDRESS=0: the node's own connections keep its physical address as
# their source. Added preferred, the newest address of the prefix, the
# kernel would pick 2001:db8::100 for them.
check_out "ip -6 addr: 2001:db8::100 deprecated, preferred_lft 0, valid_lft forever" \
  ' 2001:db8::100/64 .*deprecated.*valid_lft forever preferred_lft 0sec' ipa -6 -o addr show dev eth0
check_out "ip -6 route get 2001:db8::10: the node's own source stays the physical 2001:db8::2" \
  ' src 2001:db8::2 ' ipa -6 route get 2001:db8::10
expect "quickCheck passes (the address deprecated)" 0 a quickCheck v6-vip
expect "status: held" 0 a status v6-vip
expect "ready: the PingList answers the physical address" 0 a ready v6-vip
expect "second restore passes through pre-confirmation" 0 a restore v6-vip
check "still exactly one 2001:db8::100" holds6 a 2001:db8::100
check_not_text "... and added nothing" 'add 2001:db8::100/64 on eth0: done' "$(log_of)"
expect "remove" 0 a remove v6-vip
check "the address is gone" lacks6 a 2001:db8::100
check "the physical 2001:db8::2 stayed" holds6 a 2001:db8::2
expect "second remove finds nothing to do" 0 a remove v6-vip
expect "status: not held" 3 a status v6-vip
expect "quickCheck without the address fails" 1 a quickCheck v6-vip

# The kernel puts an IPv6 address in service a moment after the add's ACK:
# a PINGLIST echo sent before that found its answer dropped (Ip6InAddrErrors)
# and waited IP_PINGTIME. restore waits for the address's local route, so the
# first window answers every time.
late=0
for i in 1 2 3 4 5 6; do
  ipres_in a restore v6-vip >/dev/null 2>"$tmp/err" || late=$((late + 100))
  grep -q 'attempt 1 of [0-9]*: PINGLIST answered' "$tmp/err" || late=$((late + 1))
  ipres_in a remove v6-vip 2>/dev/null
done
check "6 restores in a row: each PINGLIST answered at once (late/failed: $late)" [ "$late" = 0 ]

# --- the address by hand with another prefix -----------------------------------
ipa -6 addr add 2001:db8::100/128 dev eth0 nodad
expect "status with a /128 on eth0: held" 0 a status v6-vip
expect "remove of the /128" 0 a remove v6-vip
check "2001:db8::100 is really gone" lacks6 a 2001:db8::100
ipa -6 addr del 2001:db8::100/128 dev eth0 2>/dev/null
ipa -6 addr add 2001:db8::100/80 dev eth0 nodad
expect "restore with a /80 present passes pre-confirmation" 0 a restore v6-vip
check "one 2001:db8::100 on eth0, still the /80 (no /64 beside it)" sh -c \
  "[ \$(ip -n $(ns a) -6 -o addr show | grep -c ' 2001:db8::100/') = 1 ] && ip -n $(ns a) -6 -o addr show dev eth0 | grep -q ' 2001:db8::100/80 '"
expect "remove of the /80" 0 a remove v6-vip
check "2001:db8::100 is gone" lacks6 a 2001:db8::100
ipa -6 addr del 2001:db8::100/80 dev eth0 2>/dev/null

# --- found preferred: made deprecated --------------------------------------------
# Added by hand (or by an ipres before it added them deprecated), preferred:
# the node's own new connections leave from it. restore makes it as its add
# would have, keeping the prefix route.
ipa -6 addr add 2001:db8::100/64 dev eth0 nodad
check_out "control: added by hand, preferred, it is the node's own source" \
  ' src 2001:db8::100 ' ipa -6 route get 2001:db8::10
expect "restore with it present" 0 a restore v6-vip
check_text "... makes it deprecated and says so" 'make 2001:db8::100/64 on eth0 deprecated: done' \
  "$(log_of)"
check_out "ip -6 addr: 2001:db8::100 deprecated, valid_lft forever" \
  ' 2001:db8::100/64 .*deprecated.*valid_lft forever preferred_lft 0sec' ipa -6 -o addr show dev eth0
check_out "ip -6 route get 2001:db8::10: the physical 2001:db8::2 again" \
  ' src 2001:db8::2 ' ipa -6 route get 2001:db8::10
check_out "the prefix route is kept" '^2001:db8::/64 dev eth0 proto kernel metric 256' route6 a
expect "restore again" 0 a restore v6-vip
check_not_text "... changes nothing more" 'make 2001:db8::100' "$(log_of)"
expect "quickCheck passes" 0 a quickCheck v6-vip
expect "remove" 0 a remove v6-vip
check "the address is gone" lacks6 a 2001:db8::100

# --- physical and Disable ---------------------------------------------------------
expect "restore of a physical address: success, nothing done" 0 a restore v6-phys
expect "remove of a physical address: success, nothing done" 0 a remove v6-phys
check "the physical address is untouched" holds6 a 2001:db8::2
expect "recover of a physical address fails" 1 a recover v6-phys
expect "restore with Restore and Recover disabled: success" 0 a restore v6-off
check "... and nothing added" lacks6 a 2001:db8::104
expect "quickCheck with Restore and Recover disabled: success" 0 a quickCheck v6-off

# --- quickCheck of a tentative or dadfailed address -------------------------------
# v6-nocheck has no link or connectivity check: the address state alone decides.
ipa -6 addr add 2001:db8::103/64 dev eth0 nodad
expect "control: quickCheck v6-nocheck with 2001:db8::103 in service" 0 a quickCheck v6-nocheck
ipa -6 addr del 2001:db8::103/64 dev eth0
# 60 DAD probes a second apart: tentative for a minute.
in_ns a sysctl -qw net.ipv6.conf.eth0.dad_transmits=60
ipa -6 addr add 2001:db8::103/64 dev eth0
check "control: added by hand with DAD, the kernel shows it tentative ($(flags6 a 2001:db8::103))" \
  sh -c "ip -n $(ns a) -6 -o addr show dev eth0 | grep ' 2001:db8::103/' | grep -q tentative"
expect "quickCheck of a tentative address fails" 1 a quickCheck v6-nocheck
check_text "... and says so" 'tentative' "$(log_of)"
ipa -6 addr del 2001:db8::103/64 dev eth0
in_ns a sysctl -qw net.ipv6.conf.eth0.dad_transmits=1
ip -n "$(ns intruder)" -6 addr add 2001:db8::103/64 dev eth0 nodad
ipa -6 addr add 2001:db8::103/64 dev eth0
check "control: the intruder holds it, a's DAD fails: dadfailed" wait_for 5 sh -c \
  "ip -n $(ns a) -6 -o addr show dev eth0 | grep ' 2001:db8::103/' | grep -q dadfailed"
expect "quickCheck of a dadfailed address fails" 1 a quickCheck v6-nocheck
check_text "... and says so" 'dadfailed|duplicate' "$(log_of)"
expect "remove deletes the dadfailed address" 0 a remove v6-nocheck
check "2001:db8::103 is gone from a" lacks6 a 2001:db8::103
ip -n "$(ns intruder)" -6 addr del 2001:db8::103/64 dev eth0

# --- duplicate check ------------------------------------------------------------------
ip -n "$(ns intruder)" -6 addr add 2001:db8::100/64 dev eth0 nodad
expect "restore while the intruder holds the address fails" 1 a restore v6-vip
check "a did not add it" lacks6 a 2001:db8::100
check_text "the error says the address is in use" 'in use|duplicate|already' "$(log_of)"
in_ns intruder sysctl -qw net.ipv6.icmp.echo_ignore_all=1
check_exit "control: iputils ping -6 cannot see the holder (echo dropped)" 1 \
  in_ns a ping -6 -n -c1 -W1 2001:db8::100
expect "an intruder that drops ICMPv6 echo is still found (NDP)" 1 a restore v6-vip
check "a did not add it" lacks6 a 2001:db8::100
in_ns intruder sysctl -qw net.ipv6.icmp.echo_ignore_all=0
ip -n "$(ns intruder)" -6 addr del 2001:db8::100/64 dev eth0
ip -n "$(ns intruder)" -6 addr add 2001:db8::103/64 dev eth0 nodad
expect "NOIPUNIQUE=1 skips the check (the intruder holds 2001:db8::103)" 0 a restore v6-nocheck
expect "remove it" 0 a remove v6-nocheck
ip -n "$(ns intruder)" -6 addr del 2001:db8::103/64 dev eth0
# Without an IPv6 address of its own there is no route to the subnet and
# the echo cannot leave: the probe, sent from ::, decides alone.
ipa -6 addr del 2001:db8::2/64 dev eth0
check_exit "control: no route, iputils ping -6 cannot send" 2 \
  in_ns a ping -6 -n -c1 -W1 2001:db8::100
ip -n "$(ns intruder)" -6 addr add 2001:db8::100/64 dev eth0 nodad
in_ns intruder sysctl -qw net.ipv6.icmp.echo_ignore_all=1
expect "no route to the subnet: the probe alone finds the holder" 1 a restore v6-vip
check_text "... by neighbour discovery" 'answered neighbour discovery' "$(log_of)"
in_ns intruder sysctl -qw net.ipv6.icmp.echo_ignore_all=0
ip -n "$(ns intruder)" -6 addr del 2001:db8::100/64 dev eth0
expect "no route to the subnet, nobody holds it: restore passes" 0 a restore v6-vip
check "a holds 2001:db8::100" holds6 a 2001:db8::100
expect "remove" 0 a remove v6-vip
ipa -6 addr add 2001:db8::2/64 dev eth0 nodad

# --- link ---------------------------------------------------------------------------
ip -n "$(ns br)" link set p-a down
expect "restore without carrier fails after one bounce" 1 a restore v6-vip
check "no address added" lacks6 a 2001:db8::100
check_text "the error names the device" 'eth0' "$(log_of)"
(sleep 0.8; ip -n "$(ns br)" link set p-a up) &
expect "restore succeeds when carrier returns within IP_MAX_LINKCHK" 0 a restore v6-vip
wait
check "a holds it, in service" holds6 a 2001:db8::100
ip -n "$(ns br)" link set p-a down
expect "quickCheck without carrier fails" 1 a quickCheck v6-vip
ip -n "$(ns br)" link set p-a up
wait_for 5 sh -c "ip -n $(ns a) link show eth0 | grep -q LOWER_UP"
expect "remove" 0 a remove v6-vip
ipa link set eth0 down
expect "restore brings an administratively down device up" 0 a restore v6-vip
check_out "eth0 is up again" '<.*,UP' ipa link show eth0
check "a holds it, in service" holds6 a 2001:db8::100
check "the physical 2001:db8::2 is still there" holds6 a 2001:db8::2
expect "remove" 0 a remove v6-vip

# --- connectivity check ---------------------------------------------------------
expect "dead PingList, NOBCASTPING=1: restore fails" 1 a restore v6-deadping
check "... and leaves no address" lacks6 a 2001:db8::105
# a itself answers echoes to ff02::1 (echo_ignore_multicast=0): its own reply
# must never count.
for n in b client intruder; do in_ns "$n" sysctl -qw net.ipv6.icmp.echo_ignore_multicast=1; done
expect "peers ignore all-nodes echo: all-nodes-only restore fails (a's own reply excluded)" \
  1 a restore v6-bcast
check "... and leaves no address" lacks6 a 2001:db8::101
expect "dead PingList, all-nodes fallback ignored: fails" 1 a restore v6-fallback
check "... and leaves no address" lacks6 a 2001:db8::106
in_ns client sysctl -qw net.ipv6.icmp.echo_ignore_multicast=0
in_ns client tcpdump --immediate-mode -i eth0 -n -l -p 'icmp6 and ip6[40] == 128' >"$tmp/mc.txt" 2>"$tmp/mc.err" &
dump_pid=$!
wait_for 10 grep -q 'listening on' "$tmp/mc.err"
expect "a peer answers all-nodes echo: all-nodes-only restore passes" 0 a restore v6-bcast
sleep 0.3
kill "$dump_pid" 2>/dev/null
wait "$dump_pid" 2>/dev/null
check "a holds 2001:db8::101" holds6 a 2001:db8::101
check "the echo went to ff02::1 from 2001:db8::101 (tcpdump on the client)" \
  grep -q '2001:db8::101 > ff02::1: ICMP6, echo request' "$tmp/mc.txt"
expect "dead PingList, all-nodes answered: passes" 0 a restore v6-fallback
check "a holds 2001:db8::106" holds6 a 2001:db8::106
expect "remove v6-bcast" 0 a remove v6-bcast
expect "remove v6-fallback" 0 a remove v6-fallback
for n in b intruder; do in_ns "$n" sysctl -qw net.ipv6.icmp.echo_ignore_multicast=0; done
expect "no PingList and NOBCASTPING=1: no check, passes" 0 a restore v6-nocheck
expect "remove v6-nocheck" 0 a remove v6-nocheck

# --- address deleted behind ipres' back, recover ------------------------------------
expect "restore v6-vip" 0 a restore v6-vip
ipa -6 addr del 2001:db8::100/64 dev eth0
expect "quickCheck notices the deleted address" 1 a quickCheck v6-vip
expect "recover brings it back" 0 a recover v6-vip
check "a holds it again, in service" holds6 a 2001:db8::100
expect "remove" 0 a remove v6-vip

# --- Source Address Setting -------------------------------------------------------
check_no_out "control: the kernel's prefix route has no src" ' src ' route6 a
expect "restore v6-src" 0 a restore v6-src
check_out "ip -6 route: the prefix route's src is the address" \
  '^2001:db8::/64 .*src 2001:db8::102( |$)' route6 a
check_out "ip -6 route get 2001:db8::10: the source is the address" \
  ' src 2001:db8::102 ' ipa -6 route get 2001:db8::10
check_not_text "... added preferred, not deprecated ($(flags6 a 2001:db8::102))" deprecated \
  "$(flags6 a 2001:db8::102)"
expect "quickCheck v6-src" 0 a quickCheck v6-src
ipa -6 route change 2001:db8::/64 dev eth0 proto kernel metric 256
check_no_out "control: src dropped by hand" ' src ' route6 a
expect "quickCheck fails when the route's src is not the address" 1 a quickCheck v6-src
expect "restore of the present address completes Source Address Setting" 0 a restore v6-src
check_out "... src is the address again" 'src 2001:db8::102( |$)' route6 a
expect "remove v6-src" 0 a remove v6-src
check "the address is gone" lacks6 a 2001:db8::102
check_no_out "ip -6 route: the prefix route's src is no longer 2001:db8::102" 'src 2001:db8::102' route6 a
# The kernel's prefix route has no src; the contract's "back to a physical
# address of that subnet" allows 2001:db8::2.
route=$(route6 a)
src=$(printf '%s\n' "$route" | sed -n 's/.* src \([^ ]*\).*/\1/p')
check_text "... the prefix route is there: $route" '^2001:db8::/64 dev eth0 ' "$route"
check "... without src or with the physical 2001:db8::2 (src: ${src:-none})" \
  test -z "$src" -o "$src" = 2001:db8::2
check_out "a reaches the client from its physical address" ' 0% packet loss' \
  in_ns a ping -6 -c1 -W1 -I 2001:db8::2 2001:db8::10
expect "restore v6-src again" 0 a restore v6-src
ipa -6 addr del 2001:db8::102/64 dev eth0 # the kernel clears the route's src with it
check_no_out "control: deleting the address cleared the route's src" 'src 2001:db8::102' route6 a
expect "recover after the address was deleted by hand" 0 a recover v6-src
check_out "ip -6 route: src 2001:db8::102 again" 'src 2001:db8::102( |$)' route6 a
expect "remove v6-src" 0 a remove v6-src
ipa -6 addr add 2001:db8::102/64 dev eth0 nodad preferred_lft 0
expect "restore v6-src with it present, deprecated by hand" 0 a restore v6-src
check_not_text "... makes it preferred ($(flags6 a 2001:db8::102))" deprecated \
  "$(flags6 a 2001:db8::102)"
check_out "... and the source: ip -6 route get 2001:db8::10" ' src 2001:db8::102 ' \
  ipa -6 route get 2001:db8::10
expect "remove v6-src" 0 a remove v6-src

# --- concurrency ----------------------------------------------------------------------
restores_at_once a v6-vip 6
check "6 concurrent restores all succeed ($waited ended within 60 s, $fails failed; exit statuses:$codes)" \
  test "$waited" = 6 -a "$fails" = 0
check "exactly one of them added the address" \
  test "$(cat "$tmp"/c* | grep -c 'add 2001:db8::100/64 on eth0: done')" = 1
check "exactly one address after 6 concurrent restores" holds6 a 2001:db8::100
expect "remove" 0 a remove v6-vip

# --- failover a -> b --------------------------------------------------------------
expect "restore on a" 0 a restore v6-vip
check_out "client pings the address on a" ' 0% packet loss' in_ns client ping -6 -c1 -W1 2001:db8::100
check_out "client's entry holds a's MAC" "lladdr $(mac_of a)" ip -n "$(ns client)" -6 neigh show 2001:db8::100
expect "remove on a" 0 a remove v6-vip
expect "restore on b" 0 b restore v6-vip
check_out "right after b's restore the client's entry holds b's MAC (the NA's Override)" \
  "lladdr $(mac_of b)" ip -n "$(ns client)" -6 neigh show 2001:db8::100
check_out "client pings the address on b" ' 0% packet loss' in_ns client ping -6 -c1 -W1 2001:db8::100
check "b holds it, in service" holds6 b 2001:db8::100
check "a does not" lacks6 a 2001:db8::100
expect "remove on b" 0 b remove v6-vip

summary "ipv6 operations ($IPRES_ARCH)"
