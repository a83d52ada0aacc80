#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Real nodes (issue 13, defects 1-7): a node with hundreds of addresses, the
# address added by hand with another prefix, a PingList that names the node
# itself, pings that cannot be sent, pings that must follow the routing
# table, Source Address Setting without a physical address in the subnet or
# after the address was deleted by hand, and `ipres monitor` with nothing to
# watch. One section per defect; the contract's "Addresses and the PingList"
# says what must happen. What happened is read with iproute2, iputils and
# tcpdump, never with ipres itself.
#
# Addresses: the LAN is 192.0.2.0/24 (node a 192.0.2.2, node b 192.0.2.3, the
# client 192.0.2.10); the other devices and subnets a test gives a node are
# TEST-NET-2 (198.51.100.0/24) and TEST-NET-3 (203.0.113.0/24), inside these
# namespaces only.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh

lan_hosts a b client || exit 1
for n in a b client; do in_ns "$n" sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=1; done

caps=""
# shellcheck disable=SC2016 # the exit trap expands them
ns_tmp_with 'kill_all $caps; rm -rf build/nodes-idle-"$IPRES_ARCH" build/nodes-bad-"$IPRES_ARCH"'

ipa() { ip -n "$(ns a)" "$@"; }
# snap NODE FILE ADDR: every IPv4 address of NODE but ADDR, one per line.
snap() { ip -n "$(ns "$1")" -4 -o addr show | grep -v " $3/" >"$2"; }
# A node's hundreds of addresses come before the reason in the logs.
expect_stderr() { tail -c 700 "$tmp/err"; }
# check_not_text DESCRIPTION PATTERN TEXT: no line of TEXT matches PATTERN.
check_not_text() {
  if printf '%s\n' "$3" | grep -qE -- "$2"; then
    not_ok "$1: got: $(printf '%s' "$3" | grep -E -- "$2" | head -c 400)"
  else
    ok "$1"
  fi
}
# cap_start NAME NODE DEV FILTER: tcpdump on NODE's DEV into $tmp/NAME.txt,
# its messages in $tmp/NAME.err, both made anew; returns once this tcpdump
# (ip netns exec execs it) runs and says it listens (nslib.sh's
# tcpdump_listens). cap_stop: ends every capture (after a moment for the
# last packets), each within 5 s (nslib.sh's stop_pid).
cap_start() {
  rm -f "$tmp/$1.txt" "$tmp/$1.err"
  ip netns exec "$(ns "$2")" tcpdump -i "$3" -n -l -p "$4" >"$tmp/$1.txt" 2>"$tmp/$1.err" &
  caps="$caps $!"
  tcpdump_listens "$!" "$tmp/$1.err" 10 ||
    not_ok "tcpdump on $2 $3 did not start (pid $!): $(head -c 300 "$tmp/$1.err" 2>/dev/null)"
}
cap_stop() {
  sleep 0.3
  for p in $caps; do
    stop_pid "$p" 5 || echo "# tcpdump (pid $p) still ran 5 s after SIGTERM; killed"
  done
  caps=""
}
# wire NAME PATTERN: the capture NAME has a line matching PATTERN.
wire() { grep -qE -- "$2" "$tmp/$1.txt"; }
wire_count() { grep -cE -- "$2" "$tmp/$1.txt"; }
# batch NODE FILE: ip -batch of FILE in NODE.
batch() { ip -n "$(ns "$1")" -batch "$2"; }
log_of() { cat "$tmp/err"; }
# by_hand ADDR: after a restore that failed, ADDR/24 is added by hand so the
# checks that follow still test what they are about.
by_hand() {
  holds a "$1" && return 0
  echo "# restore failed: adding $1/24 by hand for the checks that follow"
  ipa addr add "$1/24" dev eth0
}

# --- (1) more than 64 addresses on the device and on the node ----------------
echo "# (1) 100 /32s on eth0, 254 addresses on a second device"
ipa link add bulk0 type veth peer name bulk1
ipa link set bulk0 up
ipa link set bulk1 up
: >"$tmp/add1"
i=1
while [ "$i" -le 100 ]; do echo "addr add 203.0.113.$i/32 dev eth0" >>"$tmp/add1"; i=$((i + 1)); done
i=1
while [ "$i" -le 254 ]; do echo "addr add 198.51.100.$i/24 dev bulk0" >>"$tmp/add1"; i=$((i + 1)); done
check "ip -batch adds the 354 addresses" batch a "$tmp/add1"
snap a "$tmp/before1" 192.0.2.130
n_before=$(wc -l <"$tmp/before1")
check "a holds 356 IPv4 addresses (lo, 192.0.2.2, 100 on eth0, 254 on bulk0): $n_before" \
  test "$n_before" = 356
check "a holds 101 on eth0" test "$(ipa -4 -o addr show dev eth0 | wc -l)" = 101
expect "restore vip-many" 0 a restore vip-many
check "a holds 192.0.2.130 once on eth0" holds a 192.0.2.130
check_out "the client reaches it" ' 0% packet loss' in_ns client ping -c1 -W1 192.0.2.130
snap a "$tmp/during1" 192.0.2.130
check "restore left the other 356 addresses as they were" cmp -s "$tmp/before1" "$tmp/during1"
expect "quickCheck vip-many" 0 a quickCheck vip-many
expect "status vip-many: held" 0 a status vip-many
expect "ready vip-many" 0 a ready vip-many
expect "recover vip-many" 0 a recover vip-many
check "a holds 192.0.2.130 once after recover" holds a 192.0.2.130
expect "remove vip-many" 0 a remove vip-many
check "192.0.2.130 is gone" lacks a 192.0.2.130
expect "status vip-many: not held" 3 a status vip-many
expect "quickCheck without the address fails" 1 a quickCheck vip-many
check_text "... because the address is not there" '192\.0\.2\.130' "$(log_of)"
snap a "$tmp/after1" 192.0.2.130
check "every other address untouched ($n_before before, $(wc -l <"$tmp/after1") after)" \
  cmp -s "$tmp/before1" "$tmp/after1"
ipa link del bulk0
ipa addr flush dev eth0 to 203.0.113.0/24

# --- (2) the address on the device with another prefix ---------------------------
echo "# (2) 192.0.2.131 added by hand as /32 and /28 (the board says /24)"
ipa addr add 192.0.2.131/32 dev eth0
expect "status with the /32 on eth0: held" 0 a status vip-prefix
expect "remove of the /32" 0 a remove vip-prefix
check "192.0.2.131 is really gone (ip -4 -o addr show)" lacks a 192.0.2.131
check_not_text "remove did not say 'already gone'" 'already gone' "$(log_of)"
expect "status afterwards: not held" 3 a status vip-prefix
ipa addr del 192.0.2.131/32 dev eth0 2>/dev/null
ipa addr add 192.0.2.131/32 dev eth0
expect "restore with the /32 present passes pre-confirmation" 0 a restore vip-prefix
check "one 192.0.2.131 on eth0, still the /32 (no /24 added beside it)" sh -c \
  "[ \$(ip -n $(ns a) -4 -o addr show | grep -c ' 192.0.2.131/') = 1 ] && ip -n $(ns a) -4 -o addr show dev eth0 | grep -q ' 192.0.2.131/32 '"
check_not_text "restore added nothing" 'add 192\.0\.2\.131/24 on eth0: done' "$(log_of)"
expect "quickCheck with the /32" 0 a quickCheck vip-prefix
expect "remove" 0 a remove vip-prefix
check "192.0.2.131 is gone" lacks a 192.0.2.131
ipa addr del 192.0.2.131/32 dev eth0 2>/dev/null
ipa addr add 192.0.2.131/28 dev eth0
expect "status with a /28 on eth0: held" 0 a status vip-prefix
expect "remove of the /28" 0 a remove vip-prefix
check "192.0.2.131 is gone" lacks a 192.0.2.131
ipa addr del 192.0.2.131/28 dev eth0 2>/dev/null
check "the physical 192.0.2.2/24 stayed" sh -c "ip -n $(ns a) -4 -o addr show dev eth0 | grep -q ' 192.0.2.2/24 '"

# --- (3) a PingList that names this node ------------------------------------------
echo "# (3) PINGLIST naming the node itself"
expect "restore vip-self (PINGLIST=192.0.2.2, a's own address) fails" 1 a restore vip-self
check "... and leaves 192.0.2.132 absent" lacks a 192.0.2.132
ipa addr del 192.0.2.132/24 dev eth0 2>/dev/null
ipa addr add 192.0.2.132/24 dev eth0
expect "quickCheck vip-self on a fails" 1 a quickCheck vip-self
ipa addr del 192.0.2.132/24 dev eth0
expect "control: restore vip-self on b (a answers for it) passes" 0 b restore vip-self
expect "control: remove it on b" 0 b remove vip-self
ipa link add side0 type veth peer name side1
ipa link set side0 up
ipa link set side1 up
ipa addr add 198.51.100.1/24 dev side0
ipa addr add 192.0.2.139/24 dev eth0
expect "quickCheck vip-selfdev (PINGLIST=198.51.100.1, a's address on side0) fails" 1 a quickCheck vip-selfdev
ipa addr del 192.0.2.139/24 dev eth0
expect "restore vip-selfdev fails" 1 a restore vip-selfdev
check "... and leaves 192.0.2.139 absent" lacks a 192.0.2.139
ipa addr del 192.0.2.139/24 dev eth0 2>/dev/null
ipa link del side0

# The build: a PINGLIST holding the resource's own ADDRESS is a FILE:LINE
# error (board under $tmp, as tests/build_checks.sh does). The control is
# the same board without it (also the board of section 7).
idle=$tmp/idle
bad=$tmp/bad
mkdir -p "$idle" "$bad"
cp board/nstest/board.mk "$idle/"
cp board/nstest/board.mk "$bad/"
printf '%s\n' 'AUTOSTART=0' '' '[idle-a]' 'ADDRESS=192.0.2.7/24' 'DEVICE=eth0' \
  'PINGLIST=192.0.2.10' '' '[idle-b]' 'ADDRESS=192.0.2.9/24' 'DEVICE=eth0' 'AUTOSTART=0' \
  >"$idle/ipres.conf"
# seed BOARD: BOARD's build starts from the nstest build's objects for this
# CPU, copied with their times: the same sources and flags (board.mk is
# nstest's), so make compiles none of them again, only what the board's
# ipres.conf makes (its resource table), and links or fails there.
seed() {
  mkdir -p "build/$1-$IPRES_ARCH"
  cp -a "build/nstest-$IPRES_ARCH/obj" "build/$1-$IPRES_ARCH/" &&
    rm -rf "build/$1-$IPRES_ARCH/obj/gen" "build/$1-$IPRES_ARCH/obj/tools"
}
seed nodes-idle
make --no-print-directory BOARD=nodes-idle BOARD_DIR="$idle" ARCH="$IPRES_ARCH" >"$tmp/make.idle" 2>&1
if [ -x "build/nodes-idle-$IPRES_ARCH/ipres" ]; then
  ok "control: a board whose PINGLIST is another address builds"
else
  not_ok "control: a board whose PINGLIST is another address builds: $(tail -n 5 "$tmp/make.idle")"
fi
printf '%s\n' 'IP_PINGTIME=1' '' '[selfping]' 'ADDRESS=192.0.2.7/24' 'DEVICE=eth0' \
  'PINGLIST=192.0.2.10,192.0.2.7' >"$bad/ipres.conf"
seed nodes-bad
make --no-print-directory BOARD=nodes-bad BOARD_DIR="$bad" ARCH="$IPRES_ARCH" >"$tmp/make.bad" 2>&1
check "a PINGLIST naming the resource's ADDRESS fails the build" test $? -ne 0
check "the error names FILE:LINE (a line of that resource): $(grep -m1 "ipres.conf:" "$tmp/make.bad")" \
  grep -qE "^$bad/ipres.conf:[3-6]: .*(PINGLIST|ADDRESS|192\.0\.2\.7)" "$tmp/make.bad"
check "no binary is left for it" test ! -e "build/nodes-bad-$IPRES_ARCH/ipres"
rm -rf "build/nodes-bad-$IPRES_ARCH"
printf '%s\n' 'PINGLIST=192.0.2.10 192.0.2.7' '' '[gself]' 'ADDRESS=192.0.2.7/24' 'DEVICE=eth0' \
  >"$bad/ipres.conf"
seed nodes-bad
make --no-print-directory BOARD=nodes-bad BOARD_DIR="$bad" ARCH="$IPRES_ARCH" >"$tmp/make.bad" 2>&1
check "a global PINGLIST naming a resource's ADDRESS fails the build too" test $? -ne 0
check "... with FILE:LINE: $(grep -m1 "ipres.conf:" "$tmp/make.bad")" \
  grep -qE "^$bad/ipres.conf:[0-9]+: " "$tmp/make.bad"
rm -rf "build/nodes-bad-$IPRES_ARCH"

# --- (4) a unicast ping that cannot be sent -----------------------------------------
echo "# (4) the PingList member cannot be reached: the send fails, the check goes on"
in_ns client sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
ipa route add prohibit 198.51.100.77
cap_start w4 a eth0 'icmp or arp'
expect "prohibit route to the member, broadcast answered: restore vip-sendfail" 0 a restore vip-sendfail
check "a holds 192.0.2.133" holds a 192.0.2.133
check_text "... its log names the send error (EACCES)" 'Permission denied|EACCES|prohibit' "$(log_of)"
expect "... quickCheck" 0 a quickCheck vip-sendfail
# A passing check is quiet ("Quiet periodic checks"): the tag's first says
# so in one line; restore, which logs every step, names the send errors.
check_text "... its one line (the tag's first check)" \
  '^vip-sendfail: quickCheck: passed \(no earlier check recorded\)$' "$(log_of)"
cap_stop
check "the broadcast step ran: echo to 192.0.2.255 from 192.0.2.133 (tcpdump)" \
  wire w4 '192\.0\.2\.133 > 192\.0\.2\.255: ICMP echo request'
check "nothing went to 198.51.100.77 on eth0, not even ARP (the route was followed)" \
  sh -c "! grep -E '(> 198\.51\.100\.77: ICMP|who-has 198\.51\.100\.77 )' '$tmp/w4.txt'"
ipa route replace unreachable 198.51.100.77
expect "unreachable route to the member: quickCheck" 0 a quickCheck vip-sendfail
check_text "... quiet: a pass after a pass" '^$' "$(log_of)"
ipres_in a remove vip-sendfail >/dev/null 2>&1
expect "... restore again" 0 a restore vip-sendfail
check_text "... its log names the send error (EHOSTUNREACH)" 'No route to host|EHOSTUNREACH|unreachable' "$(log_of)"
ipa route del unreachable 198.51.100.77
expect "no route at all to the member: quickCheck" 0 a quickCheck vip-sendfail
ipres_in a remove vip-sendfail >/dev/null 2>&1
expect "... restore again" 0 a restore vip-sendfail
check_text "... its log names the send error (ENETUNREACH)" 'Network is unreachable|ENETUNREACH|unreachable' "$(log_of)"
# Nobody answers the broadcast: every IP_PINGTRIES (2) attempt still runs its
# broadcast step, then the check fails.
in_ns client sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=1
ipa route add prohibit 198.51.100.77
cap_start w4b a eth0 'icmp'
expect "prohibit route, broadcast unanswered: quickCheck fails" 1 a quickCheck vip-sendfail
cap_stop
n=$(wire_count w4b '192\.0\.2\.133 > 192\.0\.2\.255: ICMP echo request')
check "... after a broadcast step in each of the 2 tries ($n broadcast echoes on the wire)" test "$n" -ge 2
expect "remove vip-sendfail" 0 a remove vip-sendfail
ipa route del prohibit 198.51.100.77
# A member that is the broadcast address of another subnet of eth0: the
# echo cannot go out as unicast.
in_ns client sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
ipa addr add 203.0.113.1/24 brd + dev eth0
expect "PINGLIST=203.0.113.255 (a broadcast of eth0), broadcast answered: restore vip-bcastdest" 0 a restore vip-bcastdest
check "a holds 192.0.2.134" holds a 192.0.2.134
by_hand 192.0.2.134
expect "... quickCheck" 0 a quickCheck vip-bcastdest
in_ns client sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=1
cap_start w4c a eth0 'icmp'
expect "... broadcast unanswered: quickCheck fails" 1 a quickCheck vip-bcastdest
cap_stop
n=$(wire_count w4c '192\.0\.2\.134 > 192\.0\.2\.255: ICMP echo request')
check "... after a broadcast step in each of the 2 tries ($n broadcast echoes on the wire)" test "$n" -ge 2
ipa addr del 192.0.2.134/24 dev eth0 2>/dev/null
ipa addr del 203.0.113.1/24 dev eth0

# --- (5) unicast pings follow the routing table ---------------------------------------
echo "# (5) blackhole route to an on-link member; a member routed through another device"
ipa addr add 192.0.2.135/24 dev eth0
expect "control: quickCheck vip-blackhole (the client answers on-link)" 0 a quickCheck vip-blackhole
ipa route add blackhole 192.0.2.10
cap_start w5a client eth0 'icmp'
expect "blackhole route to the member: quickCheck fails" 1 a quickCheck vip-blackhole
cap_stop
check "no echo from 192.0.2.135 reached the client (tcpdump)" \
  sh -c "! grep -q '192\.0\.2\.135 > 192\.0\.2\.10: ICMP echo request' '$tmp/w5a.txt'"
ipa addr del 192.0.2.135/24 dev eth0
expect "blackhole route to the member: restore fails" 1 a restore vip-blackhole
check "... and leaves 192.0.2.135 absent" lacks a 192.0.2.135
ipa addr del 192.0.2.135/24 dev eth0 2>/dev/null
ipa route del blackhole 192.0.2.10

# a:eth1 198.51.100.1/24 -- far:eth0 198.51.100.2/24; far holds 203.0.113.7
# on lo and routes back through a; a routes 203.0.113.7 via far on eth1.
ns_add far
ipa link add eth1 type veth peer name eth0 netns "$(ns far)"
ipa addr add 198.51.100.1/24 dev eth1
ipa link set eth1 up
ip -n "$(ns far)" addr add 198.51.100.2/24 dev eth0
ip -n "$(ns far)" link set eth0 up
ip -n "$(ns far)" addr add 203.0.113.7/32 dev lo
ip -n "$(ns far)" route add default via 198.51.100.1
ipa route add 203.0.113.7/32 via 198.51.100.2 dev eth1
check "control: iputils ping from a reaches 203.0.113.7 through eth1" \
  wait_for 5 in_ns a ping -c1 -W1 203.0.113.7
cap_start w5b1 a eth1 'icmp or arp'
cap_start w5b0 a eth0 'icmp or arp'
expect "member routed through eth1: restore vip-routed" 0 a restore vip-routed
check "a holds 192.0.2.136" holds a 192.0.2.136
by_hand 192.0.2.136
expect "... quickCheck" 0 a quickCheck vip-routed
cap_stop
check "the echo 192.0.2.136 > 203.0.113.7 went out on eth1 (tcpdump)" \
  wire w5b1 '192\.0\.2\.136 > 203\.0\.113\.7: ICMP echo request'
check "its reply came back on eth1 (tcpdump)" wire w5b1 '203\.0\.113\.7 > 192\.0\.2\.136: ICMP echo reply'
check "nothing for 203.0.113.7 on eth0, not even ARP" \
  sh -c "! grep -E '(> 203\.0\.113\.7: ICMP|who-has 203\.0\.113\.7 )' '$tmp/w5b0.txt'"
check_out "control: iputils ping -I 192.0.2.136 203.0.113.7 works the same way" ' 0% packet loss' \
  in_ns a ping -c1 -W1 -I 192.0.2.136 203.0.113.7
expect "remove vip-routed" 0 a remove vip-routed
check "192.0.2.136 is gone" lacks a 192.0.2.136
ipa link del eth1

# --- (6) remove with SOURCE_ADDRESS=1 ------------------------------------------------
echo "# (6) Source Address Setting: no physical address in the subnet; the address deleted by hand"
host_up c 198.51.100.20/24
ipc() { ip -n "$(ns c)" "$@"; }
expect "c (198.51.100.20/24 on eth0): restore vip-srcalone" 0 c restore vip-srcalone
if ! holds c 192.0.2.137; then
  # The remove below still needs the state a restore leaves.
  echo "# restore failed: setting up 192.0.2.137 and its route by hand"
  ipc addr add 192.0.2.137/24 dev eth0
fi
check_out "the subnet route's src is 192.0.2.137" 'src 192\.0\.2\.137( |$)' \
  ipc -4 route show 192.0.2.0/24 dev eth0
expect "remove vip-srcalone" 0 c remove vip-srcalone
check "192.0.2.137 is gone" lacks c 192.0.2.137
route=$(ipc -4 route show 192.0.2.0/24 dev eth0)
src=$(printf '%s\n' "$route" | sed -n 's/.* src \([0-9.]*\).*/\1/p')
if [ -z "$route" ]; then
  ok "no 192.0.2.0/24 route left"
elif [ -z "$src" ]; then
  ok "the 192.0.2.0/24 route left has no src: $route"
else
  case $src in
    192.0.2.*) check "the 192.0.2.0/24 route's src is an address c holds in the subnet: $route" \
      test "$(count_addr c "$src")" = 1 ;;
    *) not_ok "the 192.0.2.0/24 route points at $src, outside the subnet: $route" ;;
  esac
fi
check_out "c's own route is untouched" 'proto kernel .*src 198\.51\.100\.20( |$)' \
  ipc -4 route show 198.51.100.0/24 dev eth0
check "c still holds 198.51.100.20" test "$(count_addr c 198.51.100.20)" = 1

expect "a: restore vip-srchand" 0 a restore vip-srchand
check_out "the subnet route's src is 192.0.2.138" 'src 192\.0\.2\.138( |$)' \
  ipa -4 route show 192.0.2.0/24 dev eth0
ipa addr del 192.0.2.138/24 dev eth0
check "deleted by hand: the kernel dropped the subnet route with it" \
  test -z "$(ipa -4 route show 192.0.2.0/24 dev eth0)"
expect "remove vip-srchand after that" 0 a remove vip-srchand
check_out "the subnet route is back for 192.0.2.2 (proto kernel, src 192.0.2.2)" \
  'proto kernel .*src 192\.0\.2\.2( |$)' ipa -4 route show 192.0.2.0/24 dev eth0
check_out "a reaches the client again" ' 0% packet loss' in_ns a ping -c1 -W1 192.0.2.10
ipa route add 192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2 2>/dev/null

# --- (7) ipres monitor on a board of engine-driven resources only ----------------------
# No TAG: every tag is watched, each kept up or left alone as its last word
# says (contract "The last word wins"); no word yet, so nothing is added.
echo "# (7) ipres monitor on a board whose resources are all AUTOSTART=0"
idle_bin=build/nodes-idle-$IPRES_ARCH/ipres
if [ -x "$idle_bin" ]; then
  # shellcheck disable=SC2086
  in_ns a timeout -s TERM 3 $IPRES_QEMU "$idle_bin" monitor >"$tmp/out" 2>"$tmp/err"
  got=$?
  check "monitor with no TAG runs until stopped (exit $got: timeout's SIGTERM): $(head -c 300 "$tmp/err")" \
    test "$got" = 124
  check_text "... watching idle-a" 'idle-a: monitor: watching 192\.0\.2\.7 on eth0' "$(log_of)"
  check_text "... and idle-b" 'idle-b: monitor: watching 192\.0\.2\.9 on eth0' "$(log_of)"
  check "... adding nothing: no word yet" sh -c "! ip -n $(ns a) -4 -o addr show | grep -Eq ' 192\.0\.2\.(7|9)/'"
else
  not_ok "the AUTOSTART=0 board did not build: $(tail -n 5 "$tmp/make.idle")"
fi

summary "nodes ($IPRES_ARCH)"
