#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Another host claiming an IPv6 address a node holds (contract.md "Conflicts
# while holding" and the last point of "IPv6 resources", issue 23): node a
# 2001:db8::2 holds v6-claim 2001:db8::150 with `ipres monitor` running;
# intruder d 2001:db8::4 claims it with unsolicited Neighbor Advertisements
# (scapy, claim6.py: once, then every 0.5 s for 25 s), probes for it (a DAD
# Neighbor Solicitation from ::), and holds it silently (added nodad,
# answering a's probes only); node b 2001:db8::3 takes it over after a's
# remove; the client 2001:db8::10 is the PingList and the neighbour whose
# entry must come back to a. The checks are conflict_lib.sh's, and a's own
# connections keep its physical source while it holds the address.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh
. tests/integration/conflict_lib.sh

TAG=v6-claim
VIP=2001:db8::150
FAM=-6
PING="ping -6"
WORDS="neighbour advertisements"
LKCHECK=3
CAPTURE=icmp6

needs_ndp_socket "conflict6 ($IPRES_ARCH)"
lan_hosts6 a+dad b+dad client d || exit 1
wait_for 10 in_ns client ping -6 -c1 -W1 2001:db8::2
wait_for 10 in_ns client ping -6 -c1 -W1 2001:db8::3
MAC_A=$(mac_of a)
MAC_B=$(mac_of b)
MAC_D=$(mac_of d)
echo "# a $MAC_A, b $MAC_B, d $MAC_D, client $(mac_of client)"

# d's scapy, loaded once, sends a frame per command written to the FIFO.
mkfifo "$tmp/d.fifo"
in_ns d "$PY" tests/integration/claim6.py eth0 "$VIP" "$tmp/d.fifo" "$tmp/d.ready" >"$tmp/scapy.log" 2>&1 &
bg="$bg $!"
wait_for 30 test -s "$tmp/d.ready" || not_ok "scapy in d did not start: $(head -c 300 "$tmp/scapy.log")"
# d_sends COMMAND: bounded, should scapy have died (a FIFO with no reader
# blocks its writer).
# shellcheck disable=SC2016 # $0 and $1 are the inner shell's
d_sends() { timeout 5 sh -c 'echo "$1" >"$0"' "$tmp/d.fifo" "$1"; }

# The target of an NDP message (IPv6 header 40 bytes, ICMPv6 header 8).
TGT="ip6[48:4] = 0x20010db8 and ip6[52:4] = 0 and ip6[56:4] = 0 and ip6[60:4] = 0x150"
# The unsolicited NAs a restore and a defence send: from a to ff02::1.
defence_filter() { echo "ether src $MAC_A and ether dst 33:33:00:00:00:01 and icmp6 and ip6[40] = 136 and $TGT"; }
claim_filter() { echo "ether src $1 and icmp6 and ip6[40] = 136 and $TGT"; }
probe_filter() {
  echo "ether src $1 and icmp6 and ip6[40] = 135 and ip6[8:4] = 0 and ip6[12:4] = 0 and ip6[16:4] = 0 and ip6[20:4] = 0 and $TGT"
}
# a's kernel answering d's DAD probe: an NA for the address from a.
probe_answer_filter() { echo "ether src $MAC_A and icmp6 and ip6[40] = 136 and $TGT"; }

claim_once() { d_sends na; }
claims_start() {
  (
    i=0
    while [ "$i" -lt $(($1 * 2)) ]; do
      d_sends na
      sleep 0.5
      i=$((i + 1))
    done
  ) &
  claims_pid=$!
  bg="$bg $claims_pid"
}
claims_wait() { wait "$claims_pid"; }
claims_done() { :; } # d never held it
probe_once() { d_sends dad; }
# The silent holder: added without DAD (no probe), and the kernel sends no
# unsolicited NA for it (ndisc_notify off); it answers probes as any host.
silent_hold() {
  in_ns d sysctl -qw net.ipv6.conf.all.ndisc_notify=0 net.ipv6.conf.eth0.ndisc_notify=0
  ip -n "$(ns d)" -6 addr add "$VIP/64" dev eth0 nodad
}
silent_drop() { ip -n "$(ns d)" -6 addr del "$VIP/64" dev eth0; }

# NAs that RFC 4861 7.1.2 says to drop, and one for another address, each
# sent three times from d (spoof_na.py's frames): none is a claim.
not_claims() {
  m=$(log_mark)
  t=$(now)
  for mode in hlim64 code1 short badsum solicited-mc other; do
    for _ in 1 2 3; do d_sends "$mode"; done
  done
  sleep 1.5
  n=$(wire_count "$t" "" "ether src $MAC_D and icmp6")
  check "d's 18 crafted NAs reached a ($n on p-a)" test "$n" -ge 18
  no_conflict_since "NAs with hop limit 64, code 1, 20 bytes, a bad checksum, Solicited to multicast, or for 2001:db8::151" "$m"
}

# 8. While a holds the address (SOURCE_ADDRESS=0, added deprecated), its own
# connections to the subnet keep its physical source.
held_checks() {
  check_out "a's route to 2001:db8::10 keeps the physical source 2001:db8::2 (ip -6 route get)" \
    ' src 2001:db8::2 ' ip -n "$(ns a)" -6 route get 2001:db8::10
  echo "# ip -6 route get 2001:db8::10 in a: $(ip -n "$(ns a)" -6 route get 2001:db8::10 | head -n 1)"
  echo "# a's $VIP: $(flags6 a "$VIP")"
}

conflict_checks
d_sends quit
summary "conflict6 ($IPRES_ARCH)"
