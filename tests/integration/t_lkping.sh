#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# lkping side by side with iputils ping in the same namespace, on the same
# targets; hostile replies crafted with scapy from a peer; what crossed the
# wire read with tcpdump on the bridge port, never with ipres itself.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh

ns_tmp

lan_up
host_up a 192.0.2.1/24
host_up b 192.0.2.10/24
host_up c 192.0.2.11/24
host_up evil 192.0.2.20/24
ip -n "$(ns a)" addr add 192.0.2.2/24 dev eth0
# evil's kernel answers no echo: every reply from it is crafted by scapy.
in_ns evil sysctl -qw net.ipv4.icmp_echo_ignore_all=1
wait_for 10 in_ns a ping -c1 -W1 192.0.2.10
wait_for 10 in_ns a ping -c1 -W1 192.0.2.11

PING="ping"
. tests/integration/lkping_lib.sh

# A capture on a's bridge port, one line per packet.
in_ns br tcpdump -i p-a -l -n -vv icmp >"$tmp/dump" 2>"$tmp/dump.err" &
wait_for 10 grep -q listening "$tmp/dump.err" || not_ok "tcpdump did not start"

# ---- reachable, unreachable -------------------------------------------------
both "reachable peer" 0 -c 1 -w 1 192.0.2.10
same_output reachable
check "reachable: reply line" \
  grep -qE '^64 bytes from 192\.0\.2\.10: icmp_seq=1 ttl=64 time=[0-9]+(\.[0-9]+)? ms$' "$tmp/lk"
check "reachable: summary" \
  grep -qE '^1 packets transmitted, 1 received, 0% packet loss, time [0-9]+ms$' "$tmp/lk"
check "reachable: rtt line" \
  grep -qE '^rtt min/avg/max/mdev = [0-9]+\.[0-9]{3}/[0-9]+\.[0-9]{3}/[0-9]+\.[0-9]{3}/[0-9]+\.[0-9]{3} ms$' \
  "$tmp/lk"

lk_exit "ipres lkping dispatch" 0 -c 1 -w 1 192.0.2.10
ipres_in a lkping -c 1 -w 1 192.0.2.10 >"$tmp/lk" 2>&1
check "ipres lkping: exit 0 with a reply line" grep -q '^64 bytes from 192.0.2.10' "$tmp/lk"

both "three echoes at 0.2 s" 0 -c 3 -i 0.2 -w 3 192.0.2.11
check "three echoes: three replies, sequences 1-3" \
  sh -c "grep -c 'bytes from 192.0.2.11: icmp_seq=[123] ' '$tmp/lk' | grep -qx 3"
check "three echoes: 3 transmitted, 3 received" grep -q '^3 packets transmitted, 3 received, 0%' "$tmp/lk"

lk_exit "-q: quiet" 0 -q -c 1 -w 1 192.0.2.10
check "-q: no reply line, summary kept" sh -c "! grep -q 'bytes from' '$tmp/lk' && grep -q '1 received' '$tmp/lk'"

both "unreachable address on the LAN" 1 -c 1 -w 1 192.0.2.99
check "unreachable: no reply line" no_reply_line
check "unreachable: 100% loss" grep -q ' 0 received, 100% packet loss' "$tmp/lk"
start=$(date +%s%N)
both "-W 0.3 without -w: lingers 0.3 s" 1 -c 1 -W 0.3 192.0.2.99
took=$((($(date +%s%N) - start) / 1000000))
check "-W 0.3: ping and lkping together under 2.5 s (${took} ms)" test "$took" -lt 2500

# ---- source address and device ---------------------------------------------
mark
both "-I 192.0.2.2 (a second address of a)" 0 -c 1 -w 1 -I 192.0.2.2 192.0.2.10
check "-I ADDR: the echo left from 192.0.2.2 (tcpdump)" \
  wire '192\.0\.2\.2 > 192\.0\.2\.10: ICMP echo request'
check "-I ADDR: the reply went back to it (tcpdump)" \
  wire '192\.0\.2\.10 > 192\.0\.2\.2: ICMP echo reply'
both "-I eth0" 0 -c 1 -w 1 -I eth0 192.0.2.10
both "-I lo: nothing answers there" 1 -c 1 -w 1 -I lo 192.0.2.10
both "-I nosuch0: no such device" 2 -c 1 -w 1 -I nosuch0 192.0.2.10
both "-I 198.51.100.9: not an address of a" 2 -c 1 -w 1 -I 198.51.100.9 192.0.2.10
both "off-link destination with no route" 2 -c 1 -w 1 198.51.100.7

# ---- broadcast --------------------------------------------------------------
in_ns b sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
in_ns c sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
both "broadcast without -b is refused" 2 -c 1 -w 1 192.0.2.255
check "broadcast without -b: ping's hint" grep -q 'Do you want to ping broadcast? Then -b' "$tmp/lk"
both "limited broadcast without -b is refused" 2 -c 1 -w 1 255.255.255.255
both "-b broadcast with two responders" 0 -b -c 1 -w 1 192.0.2.255
check "-b: reply from a responder" grep -qE '^64 bytes from 192\.0\.2\.1[01]: icmp_seq=1 ' "$tmp/lk"
both "-b -c 2: duplicates" 0 -b -c 2 -i 0.3 -w 2 192.0.2.255
check "-b -c 2: the second responder is a DUP!" grep -q '(DUP!)$' "$tmp/lk"
check "-b -c 2: summary counts duplicates" grep -qE '^2 packets transmitted, 2 received, \+[0-9]+ duplicates' "$tmp/lk"

mark
lk_exit "-b -z one responder: the other counts" 0 -b -c 1 -w 1 -z 192.0.2.10 192.0.2.255
check "-z one: only 192.0.2.11 printed" \
  sh -c "grep -q 'bytes from 192.0.2.11' '$tmp/lk' && ! grep -q 'bytes from 192.0.2.10' '$tmp/lk'"
mark
lk_exit "-b -z both responders: nothing counts" 1 -b -c 1 -w 1 -z 192.0.2.10,192.0.2.11 192.0.2.255
check "-z both: no reply line" no_reply_line
check "-z both: 192.0.2.10's reply did reach a (tcpdump)" wire '192\.0\.2\.10 > 192\.0\.2\.1: ICMP echo reply'
check "-z both: 192.0.2.11's reply did reach a (tcpdump)" wire '192\.0\.2\.11 > 192\.0\.2\.1: ICMP echo reply'
in_ns b sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=1
in_ns c sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=1
lk_exit "-b, responders ignore broadcasts again" 1 -b -c 1 -w 1 192.0.2.255

mark
lk_exit "-z the only unicast responder" 1 -c 1 -w 1 -z 192.0.2.10 192.0.2.10
check "-z unicast: no reply line" no_reply_line
check "-z unicast: the reply did reach a (tcpdump)" wire '192\.0\.2\.10 > 192\.0\.2\.1: ICMP echo reply'

# ---- bad arguments ----------------------------------------------------------
both "unknown option" 2 -Y 192.0.2.10
# iputils 20221126 exits 1 here; the contract says 2 for a usage error.
lk_exit "missing DEST" 2 -c 1
lk_exit "-c 0" 2 -c 0 192.0.2.10
lk_exit "-w abc" 2 -w abc 192.0.2.10
lk_exit "-W 0" 2 -W 0 192.0.2.10
lk_exit "-i -1" 2 -i -1 192.0.2.10
lk_exit "-c without a value" 2 192.0.2.10 -c
lk_exit "bad address" 2 -c 1 192.0.2
lk_exit "host name" 2 -c 1 localhost
lk_exit "two destinations" 2 -c 1 192.0.2.10 192.0.2.11
lk_exit "-z with a bad address" 2 -c 1 -z 192.0.2.1,x 192.0.2.10
lk_exit "-I with a bad device name" 2 -c 1 -I eth0/x 192.0.2.10
lk_exit "-h" 0 -h
check "-h: usage" grep -q '^usage: lkping' "$tmp/lk"

# ---- hostile replies from evil (scapy) --------------------------------------
echo silent >"$tmp/mode"
in_ns evil "$PY" tests/integration/hostile_icmp.py 192.0.2.1 192.0.2.20 "$tmp/mode" \
  "$tmp/ready" >"$tmp/scapy.log" 2>&1 &
if ! wait_for 30 test -s "$tmp/ready"; then
  not_ok "scapy responder did not start: $(head -c 300 "$tmp/scapy.log")"
fi

# hostile MODE DESC WIRE_PATTERN: evil answers in MODE; nothing may count.
hostile() {
  echo "$1" >"$tmp/mode"
  mark
  lk_exit "$2: not counted" 1 -c 1 -w 1 192.0.2.20
  check "$2: no reply line" no_reply_line
  check "$2: the crafted packet reached a (tcpdump)" wire "$3"
}

echo good >"$tmp/mode"
mark
lk_exit "control: evil's correct reply counts" 0 -c 1 -w 1 192.0.2.20
check "control: reply line from 192.0.2.20" grep -q '^64 bytes from 192.0.2.20: icmp_seq=1 ' "$tmp/lk"
check "control: the reply crossed the wire (tcpdump)" \
  wire '192\.0\.2\.20 > 192\.0\.2\.1: ICMP echo reply, id [0-9]+, seq 1, length 64$'
both "control: ping counts it too" 0 -c 1 -w 1 192.0.2.20

echo wrongid >"$tmp/mode"
mark
lk_exit "wrong identifier: not counted" 1 -c 1 -w 1 192.0.2.20
check "wrong identifier: no reply line" no_reply_line
sleep 0.2
req_id=$(tail -n +"$wire_from" "$tmp/dump" |
  sed -nE 's/.*192\.0\.2\.1 > 192\.0\.2\.20: ICMP echo request, id ([0-9]+), seq 1,.*/\1/p' | tail -n1)
rep_id=$(tail -n +"$wire_from" "$tmp/dump" |
  sed -nE 's/.*192\.0\.2\.20 > 192\.0\.2\.1: ICMP echo reply, id ([0-9]+), seq 1,.*/\1/p' | tail -n1)
check "wrong identifier: reply id $rep_id vs request id $req_id on the wire (tcpdump)" \
  sh -c "[ -n '$req_id' ] && [ -n '$rep_id' ] && [ '$req_id' != '$rep_id' ]"

hostile badsum "bad ICMP checksum" '192\.0\.2\.20 > 192\.0\.2\.1: ICMP echo reply, .*wrong icmp cksum'
hostile truncated "truncated reply (6 bytes of ICMP)" 'proto ICMP \(1\), length 26\)'
hostile request "echo request instead of a reply" '192\.0\.2\.20 > 192\.0\.2\.1: ICMP echo request, id [0-9]+, seq 1,'
hostile otherseq "reply to a sequence never sent" '192\.0\.2\.20 > 192\.0\.2\.1: ICMP echo reply, id [0-9]+, seq 101,'

echo good >"$tmp/mode"
mark
lk_exit "excluded source (-z), unicast: not counted" 1 -c 1 -w 1 -z 192.0.2.20 192.0.2.20
check "excluded, unicast: no reply line" no_reply_line
check "excluded, unicast: the valid reply reached a (tcpdump)" \
  wire '192\.0\.2\.20 > 192\.0\.2\.1: ICMP echo reply, id [0-9]+, seq 1, length 64$'
mark
lk_exit "excluded source (-z), broadcast: not counted" 1 -b -c 1 -w 1 -z 192.0.2.20 192.0.2.255
check "excluded, broadcast: no reply line" no_reply_line
check "excluded, broadcast: the valid reply reached a (tcpdump)" \
  wire '192\.0\.2\.20 > 192\.0\.2\.1: ICMP echo reply, id [0-9]+, seq 1, length 64$'
lk_exit "not excluded, broadcast: evil's reply counts" 0 -b -c 1 -w 1 192.0.2.255
check "not excluded, broadcast: reply line from 192.0.2.20" grep -q '^64 bytes from 192.0.2.20' "$tmp/lk"

summary "t_lkping ($IPRES_ARCH)"
