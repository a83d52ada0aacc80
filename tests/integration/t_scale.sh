#!/bin/sh
# Scale (issue 13): a node holding 10,000 IPv4 addresses, a few hundred on
# the resource's device (eth0) and the rest on a second one (a veth), all
# added with `ip -batch`. restore, quickCheck, status, ready, remove,
# recover, Source Address Setting and the broadcast check (a resource with no
# PINGLIST) must all be correct, every other address must stay as it was,
# and `ipres monitor` must still bring back an address deleted by hand. The
# elapsed time of each operation is printed for information only: nothing
# here asserts a duration (the timeouts are generous).
#
# Addresses: the LAN is 192.0.2.0/24 (node a 192.0.2.2, the client
# 192.0.2.10). On a's eth0 besides: 203.0.113.1-250/32 (TEST-NET-3, added
# before 192.0.2.2, so they come first in eth0's list) and 192.0.2.200-249/24
# (secondaries in the resource's subnet). bulk0 is made before eth0, so a
# dump of the node's addresses lists its thousands before any of eth0's: the
# physical address and a's own broadcast replies (from 192.0.2.2) are near
# the end of it. TEST-NET-1..3 hold
# fewer than 800 addresses, so the bulk on bulk0 comes from 198.18.0.0/15,
# the range RFC 2544 sets aside for benchmarking network devices (never
# routed; here inside the test's namespaces only): 198.18.0.1-198.18.38.48,
# /24s of 254 hosts each.
#
# IPRES_SCALE sets the number of addresses on bulk0 (default 9700, so that
# the node holds 10,002 with lo and eth0's). Every CPU runs the full count:
# measured on a 2-core VM, the whole test takes about 6 s on x86_64 and 8 s
# on aarch64 and armv7 under qemu-user (setup 1.3-1.5 s of it).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/integration/nslib.sh

bulk=${IPRES_SCALE:-9700}
lan_up
host_up client 192.0.2.10/24
ns_add sink
# a as host_up makes it, but bulk0 first and no address yet.
ns_add a
ip -n "$(ns a)" link add bulk0 type veth peer name bulk1 netns "$(ns sink)"
ip -n "$(ns a)" link add eth0 type veth peer name p-a netns "$(ns br)"
ip -n "$(ns br)" link set p-a master br0 up
ip -n "$(ns a)" link set bulk0 up
ip -n "$(ns a)" link set eth0 up
ip -n "$(ns sink)" link set bulk1 up
in_ns a sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=1
in_ns client sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=1

tmp=$(mktemp -d)
monitor_pid=""
trap '[ -n "$monitor_pid" ] && kill "$monitor_pid" 2>/dev/null; ns_cleanup; rm -rf "$tmp"' EXIT

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
awk -v n="$bulk" 'BEGIN { for (i = 0; i < n; i++)
  printf "addr add 198.18.%d.%d/24 dev bulk0\n", int(i / 254), i % 254 + 1 }' >>"$tmp/add"
t0=$(ms)
check "ip -batch adds $((301 + bulk)) addresses" ipa -batch "$tmp/add"
echo "# setup: ip -batch of $((301 + bulk)) addresses took $(($(ms) - t0)) ms"
snap "$tmp/before" 192.0.2.140
total=$(wc -l <"$tmp/before")
check "a holds $((bulk + 302)) IPv4 addresses (lo, 192.0.2.2, 300 more on eth0, $bulk on bulk0): $total" \
  test "$total" = $((bulk + 302))
check "301 of them on eth0" test "$(ipa -4 -o addr show dev eth0 | wc -l)" = 301

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
