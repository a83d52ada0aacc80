#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Scale (issue 13): a node holding 10,000 IPv4 addresses, a few hundred on
# the resource's device (eth0) and the rest on 20 more (veths), all added
# with `ip -batch`. restore, quickCheck, status, ready, remove, recover,
# Source Address Setting and the broadcast check (a resource with no
# PINGLIST) must all be correct, every other address must stay as it was,
# and `ipres monitor` must still bring back an address deleted by hand. The
# elapsed time of each operation is printed for information only: nothing
# here asserts a duration (the timeouts are generous).
#
# Addresses, TEST-NET only and inside the test's namespaces: the LAN is
# 192.0.2.0/24 (node a 192.0.2.2, the client 192.0.2.10, the resources
# 192.0.2.140-142). On a's eth0 besides: 203.0.113.1-250/32 (TEST-NET-3,
# added before 192.0.2.2, so they come first in eth0's list) and
# 192.0.2.200-249/24 (secondaries in the resource's subnet). TEST-NET-1..3
# hold fewer than 800 addresses, but one address may sit on many devices, so
# the bulk is spread over veths bulk0, bulk1, ... (their peers in namespace
# sink), 508 a device: TEST-NET-2 and -3's hosts, 198.51.100.1-254 and
# 203.0.113.1-254, as /32s (no subnet route; each adds a local route only,
# so the main table routes nothing over a bulk device). No 192.0.2.x is on a
# bulk device: none of them is the client's or a resource's, and a reply
# from any of them is a reply from a itself. The bulk devices are made
# before eth0, so a dump of the node's addresses lists their thousands
# before any of eth0's: the physical address and a's own broadcast replies
# (from 192.0.2.2) are near the end of it.
#
# IPRES_SCALE sets the number of bulk addresses (default 9700 on 20 devices,
# so that the node holds 10,002 with lo's and eth0's: 10,002 addresses on
# its devices, 560 distinct values). Every CPU runs the full count:
# measured on a 2-core VM, the whole test takes about 6-7 s on x86_64 and
# 7-8 s on aarch64 and armv7 under qemu-user (setup, the 20 veths and the
# ip -batch, about 1 s of it).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh

bulk=${IPRES_SCALE:-9700}
case $bulk in '' | *[!0-9]*) echo "t_scale: IPRES_SCALE must be a whole number" >&2; exit 2 ;; esac
per_dev=508
ndev=$(((bulk + per_dev - 1) / per_dev))
monitor_pid=""
# shellcheck disable=SC2016 # the exit trap expands them
ns_tmp_with 'kill_all $monitor_pid'
lan_hosts client || exit 1
ns_add sink
# a as host_up makes it, but the bulk devices first and no address yet.
ns_add a
awk -v n="$ndev" -v sink="$(ns sink)" 'BEGIN { for (d = 0; d < n; d++) {
  printf "link add bulk%d type veth peer name s-bulk%d netns %s\n", d, d, sink
  printf "link set bulk%d up\n", d } }' >"$tmp/links"
ip -n "$(ns a)" -batch "$tmp/links"
awk -v n="$ndev" 'BEGIN { for (d = 0; d < n; d++) printf "link set s-bulk%d up\n", d }' >"$tmp/sink"
ip -n "$(ns sink)" -batch "$tmp/sink"
ip -n "$(ns a)" link add eth0 type veth peer name p-a netns "$(ns br)"
ip -n "$(ns br)" link set p-a master br0 up
ip -n "$(ns a)" link set eth0 up
in_ns a sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=1
in_ns client sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=1

ipa() { ip -n "$(ns a)" "$@"; }
count_addr() { ipa -4 -o addr show | grep -c " $1/"; }
holds() { [ "$(ipa -4 -o addr show dev eth0 | grep -c " $1/")" = 1 ]; }
lacks() { [ "$(count_addr "$1")" = 0 ]; }
snap() { ipa -4 -o addr show | grep -v " $2/" >"$1"; }
ms() { echo $(($(date +%s%N) / 1000000)); }
times=""
# expect DESCRIPTION STATUS ARGS...: ipres in a, its time noted and printed.
expect() {
  desc=$1
  want=$2
  shift 2
  t0=$(ms)
  ipres_in a "$@" >"$tmp/out" 2>"$tmp/err"
  got=$?
  el=$(($(ms) - t0))
  times="$times $1:$2=${el}ms"
  if [ "$got" = "$want" ]; then
    ok "$desc (exit $got, ${el} ms)"
  else
    not_ok "$desc: exit $got, expected $want (${el} ms); stderr: $(tail -c 700 "$tmp/err")"
  fi
}

# --- the node ---------------------------------------------------------------------
: >"$tmp/add"
i=1
while [ "$i" -le 250 ]; do echo "addr add 203.0.113.$i/32 dev eth0" >>"$tmp/add"; i=$((i + 1)); done
echo "addr add 192.0.2.2/24 dev eth0" >>"$tmp/add"
i=200
while [ "$i" -le 249 ]; do echo "addr add 192.0.2.$i/24 dev eth0" >>"$tmp/add"; i=$((i + 1)); done
# bulk address i: device i / 508; 198.51.100.1-254, then 203.0.113.1-254.
awk -v n="$bulk" -v per="$per_dev" 'BEGIN { for (i = 0; i < n; i++) { j = i % per
  printf "addr add %s.%d/32 dev bulk%d\n", j < 254 ? "198.51.100" : "203.0.113", j % 254 + 1, int(i / per) } }' >>"$tmp/add"
t0=$(ms)
check "ip -batch adds $((301 + bulk)) addresses" ipa -batch "$tmp/add"
echo "# setup: ip -batch of $((301 + bulk)) addresses took $(($(ms) - t0)) ms"
snap "$tmp/before" 192.0.2.140
total=$(wc -l <"$tmp/before")
check "a holds $((bulk + 302)) IPv4 addresses (lo, 192.0.2.2, 300 more on eth0, $bulk on $ndev bulk devices): $total" \
  test "$total" = $((bulk + 302))
check "301 of them on eth0" test "$(ipa -4 -o addr show dev eth0 | wc -l)" = 301
check "$bulk on the $ndev bulk devices, all /32s of 198.51.100.0/24 and 203.0.113.0/24" test \
  "$(grep -cE '^[0-9]+: bulk[0-9]+ +inet (198\.51\.100|203\.0\.113)\.[0-9]+/32 ' "$tmp/before")" = "$bulk"
check "no 192.0.2.x anywhere but eth0" test "$(grep ' 192\.0\.2\.' "$tmp/before" | grep -vc ' eth0 ')" = 0
check "the main table routes nothing over a bulk device" \
  test "$(ipa -4 route show table main | grep -c ' dev bulk')" = 0

# --- the operations -----------------------------------------------------------------
expect "restore vip-scale" 0 restore vip-scale
check "a holds 192.0.2.140 once on eth0" holds 192.0.2.140
check_out "the client reaches it" ' 0% packet loss' in_ns client ping -c1 -W2 192.0.2.140
snap "$tmp/during" 192.0.2.140
check "restore left the other $total addresses as they were" cmp -s "$tmp/before" "$tmp/during"
expect "quickCheck vip-scale" 0 quickCheck vip-scale
expect "status vip-scale: held" 0 status vip-scale
expect "ready vip-scale" 0 ready vip-scale
expect "recover vip-scale" 0 recover vip-scale
check "a holds 192.0.2.140 once after recover" holds 192.0.2.140
expect "remove vip-scale" 0 remove vip-scale
check "192.0.2.140 is gone" lacks 192.0.2.140
expect "status vip-scale: not held" 3 status vip-scale
expect "quickCheck without the address fails" 1 quickCheck vip-scale
check_text "... because it is not there" '192\.0\.2\.140' "$(cat "$tmp/err")"
expect "second remove finds nothing to do" 0 remove vip-scale

# Source Address Setting among 10,000 addresses: the route's src goes back to
# 192.0.2.2, eth0's primary in the subnet (the 50 others are secondaries).
expect "restore vip-scale-src" 0 restore vip-scale-src
check_out "the subnet route's src is 192.0.2.142" 'src 192\.0\.2\.142( |$)' \
  ipa -4 route show 192.0.2.0/24 dev eth0
expect "quickCheck vip-scale-src" 0 quickCheck vip-scale-src
expect "remove vip-scale-src" 0 remove vip-scale-src
check_out "the subnet route's src is 192.0.2.2 again" 'src 192\.0\.2\.2( |$)' \
  ipa -4 route show 192.0.2.0/24 dev eth0
check "192.0.2.142 is gone" lacks 192.0.2.142

# The broadcast check alone (no PINGLIST): the client's reply counts; a's
# own replies never do (a answers broadcasts too: from 192.0.2.2, near the
# end of its 10,000 addresses, and over lo).
in_ns client sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
expect "broadcast answered by the client: restore vip-scale-bc" 0 restore vip-scale-bc
check "a holds 192.0.2.141" holds 192.0.2.141
expect "... quickCheck" 0 quickCheck vip-scale-bc
in_ns client sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=1
in_ns a sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
in_ns a tcpdump -i lo -n -l -p icmp >"$tmp/bc.txt" 2>"$tmp/bc.err" &
dump=$!
wait_for 10 grep -q 'listening on' "$tmp/bc.err"
expect "only a itself answers the broadcast: quickCheck fails" 1 quickCheck vip-scale-bc
sleep 0.3
kill "$dump" 2>/dev/null
wait "$dump" 2>/dev/null
check "... though a's own replies were there (tcpdump on lo)" \
  grep -qE '192\.0\.2\.2 > 192\.0\.2\.141: ICMP echo reply' "$tmp/bc.txt"
in_ns a sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=1
expect "remove vip-scale-bc" 0 remove vip-scale-bc
check "192.0.2.141 is gone" lacks 192.0.2.141

# The monitor, with 10,000 addresses' worth of netlink events around it.
expect "restore vip-scale for the monitor" 0 restore vip-scale
(ipres_exec a monitor vip-scale >"$tmp/monitor.log" 2>&1) &
monitor_pid=$!
check "the monitor watches vip-scale" \
  wait_for 60 grep -q 'vip-scale: monitor: watching 192.0.2.140 on eth0' "$tmp/monitor.log"
t0=$(ms)
ipa addr del 192.0.2.140/24 dev eth0 2>/dev/null
check "the monitor brings the deleted 192.0.2.140 back" wait_for 60 holds 192.0.2.140
times="$times monitor:back=$(($(ms) - t0))ms"
check "the monitor is still running" kill -0 "$monitor_pid"
kill -TERM "$monitor_pid"
wait "$monitor_pid"
monitor_pid=""
expect "remove vip-scale" 0 remove vip-scale
check "192.0.2.140 is gone" lacks 192.0.2.140

snap "$tmp/after" 192.0.2.140
check "every other address untouched ($total before, $(wc -l <"$tmp/after") after)" \
  cmp -s "$tmp/before" "$tmp/after"
echo "# times ($IPRES_ARCH, $total addresses):$times"
summary "scale ($IPRES_ARCH, $total addresses)"
