#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# ARP on the wire, judged by real tools: the gratuitous ARPs ipres sends
# (net/arp via tests/tools/arptool) are captured with tcpdump next to the ones
# iputils arping sends for the same arguments, and compared field by field
# against the spec in src/net/arp.h; the RFC 5227 probe must find a host that
# drops ICMP, find nothing when no one holds the address, and notice another
# host probing for it at the same time.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh

ARPTOOL=build/nstest-$IPRES_ARCH/tools/arptool
[ -x "$ARPTOOL" ] || {
  echo "t_arp: $ARPTOOL missing: make BOARD=nstest ARCH=$IPRES_ARCH all tools" >&2
  exit 1
}

ns_tmp

VIP=192.0.2.100
VIP_HEX=c0000264
BCAST=192.0.2.255
BCAST_HEX=c00002ff
OTHER=192.0.2.101

# arptool_in NAME ARGS...: the arptool built for the CPU under test.
arptool_in() {
  n=$1
  shift
  # shellcheck disable=SC2086
  ip netns exec "$(ns "$n")" $IPRES_QEMU "$ARPTOOL" "$@"
}

# Every capture (nslib.sh's capture_start, capture_stop) is of the ARP
# frames on b's eth0.

# field HEX OFFSET LENGTH: bytes of a frame as hex.
field() { printf '%s' "$1" | cut -c $(($2 * 2 + 1))-$((($2 + $3) * 2)); }

# line N FILE
line() { sed -n "${1}p" "$2"; }

lan_hosts a b c || exit 1
MAC_A=$(mac_of a | tr -d :)
MAC_C=$(mac_of c)

# ---- gratuitous ARP: arping -U / -A and ipres, to the address and the
# subnet broadcast, in the order of restore.
FORMS="U:$VIP A:$VIP U:$BCAST A:$BCAST"

in_ns a ip addr add "$VIP/24" dev eth0  # arping -s binds to a local address
capture_start "$tmp/arping" b arp
for form in $FORMS; do
  kind=${form%%:*}
  target=${form#*:}
  check "arping -$kind -c1 -s $VIP -I eth0 $target" in_ns a arping "-$kind" -q -c1 -s "$VIP" -I eth0 "$target"
done
capture_stop "$tmp/arping" 4
in_ns a ip addr del "$VIP/24" dev eth0

# ipres needs no address on the device to announce one.
capture_start "$tmp/ipres" b arp
for form in $FORMS; do
  kind=${form%%:*}
  target=${form#*:}
  check "arptool garp eth0 $kind $VIP $target" arptool_in a garp eth0 "$kind" "$VIP" "$target"
done
capture_stop "$tmp/ipres" 4

check "captured 4 arping frames" test "$(wc -l <"$tmp/arping.hex")" = 4
check "captured 4 ipres frames" test "$(wc -l <"$tmp/ipres.hex")" = 4

i=0
for form in $FORMS; do
  i=$((i + 1))
  kind=${form%%:*}
  target=${form#*:}
  theirs=$(line $i "$tmp/arping.hex")
  ours=$(line $i "$tmp/ipres.hex")
  if [ "$kind" = U ]; then op=0001 tha=ffffffffffff; else op=0002 tha=$MAC_A; fi
  if [ "$target" = "$VIP" ]; then tpa=$VIP_HEX; else tpa=$BCAST_HEX; fi
  # name:offset:length:the value src/net/arp.h specifies
  for spec in dst:0:6:ffffffffffff src:6:6:$MAC_A type:12:2:0806 htype:14:2:0001 \
    ptype:16:2:0800 hlen:18:1:06 plen:19:1:04 op:20:2:$op sha:22:6:$MAC_A \
    spa:28:4:$VIP_HEX tha:32:6:$tha tpa:38:4:$tpa; do
    IFS=: read -r name off len want <<EOF
$spec
EOF
    a=$(field "$theirs" "$off" "$len")
    o=$(field "$ours" "$off" "$len")
    if [ "$a" != "$want" ]; then
      echo "note: arping -$kind to $target sends $name=$a, the spec says $want"
      check "-$kind to $target: $name $o is the spec's $want" test "$o" = "$want"
    else
      check "-$kind to $target: $name $o as arping and the spec" test "$o" = "$a"
    fi
  done
done

# ---- RFC 5227 probe.
# No one holds the address: no conflict, and the probe is on the wire as
# RFC 5227 shapes it.
capture_start "$tmp/probe" b arp
check_exit "probe for a free $VIP finds nothing" 0 arptool_in a probe eth0 "$VIP" 500
capture_stop "$tmp/probe" 1
probe=$(line 1 "$tmp/probe.hex")
check "probe: Ethernet to broadcast from eth0" test "$(field "$probe" 0 14)" = "ffffffffffff${MAC_A}0806"
check "probe: IPv4 over Ethernet REQUEST" test "$(field "$probe" 14 8)" = 0001080006040001
check "probe: sender $MAC_A 0.0.0.0" test "$(field "$probe" 22 10)" = "${MAC_A}00000000"
check "probe: target 00:00:00:00:00:00 $VIP" test "$(field "$probe" 32 10)" = "000000000000$VIP_HEX"

# A holder that drops every ICMP echo still answers ARP.
in_ns c sysctl -qw net.ipv4.icmp_echo_ignore_all=1
in_ns c ip addr add "$VIP/24" dev eth0
check_exit "ping cannot see the holder (ICMP dropped)" 1 in_ns a ping -n -c1 -W1 "$VIP"
check_exit "arping -D sees the holder" 1 in_ns a arping -D -q -c1 -w1 -I eth0 "$VIP"
out=$(arptool_in a probe eth0 "$VIP" 1000)
rc=$?
check "probe finds the holder that drops ICMP (exit $rc)" test $rc = 1
check "probe names the holder's MAC $MAC_C ($out)" test "$out" = "conflict: $MAC_C"
check_exit "probe for $OTHER beside it finds nothing" 0 arptool_in a probe eth0 "$OTHER" 500

# A holder that answers no ARP request at all (arp_ignore=8) but announces
# itself during the window: a REQUEST whose sender is the address.
in_ns c sysctl -qw net.ipv4.conf.all.arp_ignore=8
check_exit "arping -D no longer sees the silent holder" 0 in_ns a arping -D -q -c1 -w1 -I eth0 "$VIP"

# probe_while WINDOW_MS NAME CMD...: starts a probe for VIP from a, runs CMD
# in namespace NAME once the probe is on the wire (so a's socket is
# listening), and leaves the probe's exit status in $probe_rc and its output
# in $tmp/out. A probe that hears a conflict ends there: where one is
# expected, the window is only a generous timeout (CMD may start late on a
# busy machine); where none is, the probe listens through all of it.
probe_while() {
  window=$1
  n=$2
  shift 2
  capture_start "$tmp/window" b arp
  arptool_in a probe eth0 "$VIP" "$window" >"$tmp/out" 2>&1 &
  probe_pid=$!
  capture_stop "$tmp/window" 1
  in_ns "$n" "$@" >/dev/null 2>&1
  wait "$probe_pid"
  probe_rc=$?
}

probe_while 10000 c arping -U -q -c1 -s "$VIP" -I eth0 "$VIP"
check "probe hears the silent holder's gratuitous ARP request (exit $probe_rc)" test $probe_rc = 1
check "and names its MAC ($(cat "$tmp/out"))" test "$(cat "$tmp/out")" = "conflict: $MAC_C"
in_ns c ip addr del "$VIP/24" dev eth0
in_ns c sysctl -qw net.ipv4.conf.all.arp_ignore=0

# Another host probing for the same address in the same window.
probe_while 10000 c arping -D -q -c1 -w1 -I eth0 "$VIP"
check "probe hears another host's probe for $VIP (exit $probe_rc)" test $probe_rc = 1
check "and names its MAC ($(cat "$tmp/out"))" test "$(cat "$tmp/out")" = "conflict: $MAC_C"

# ... but not one for another address, nor a host merely asking for it.
probe_while 3000 c arping -D -q -c1 -w1 -I eth0 "$OTHER"
check "another host's probe for $OTHER is no conflict (exit $probe_rc)" test $probe_rc = 0
probe_while 3000 c arping -q -c1 -w1 -I eth0 "$VIP"
check "a host asking who has $VIP is no conflict (exit $probe_rc)" test $probe_rc = 0

check_exit "probe on a missing device is an error" 2 arptool_in a probe nosuch0 "$VIP" 100
check_exit "garp on a missing device is an error" 2 arptool_in a garp nosuch0 U "$VIP" "$VIP"

summary "t_arp ($IPRES_ARCH)"
