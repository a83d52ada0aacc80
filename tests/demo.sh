#!/bin/sh
# make demo: a two-node failover of one service address, in network
# namespaces on this machine (TEST-NET addresses only, nothing leaves them).
# Every step says what it does and shows the evidence.
set -u
cd "$(dirname "$0")/.." || exit 1
[ "$(id -u)" = 0 ] || { echo "make demo needs root (network namespaces)" >&2; exit 1; }

# shellcheck disable=SC2034 # read by nslib.sh
NS_PREFIX="ipres-demo-"
IPRES_BIN=build/nstest/ipres
. tests/integration/nslib.sh
log=$(mktemp -d)
pids=""
finish() {
  for p in $pids; do kill "$p" 2>/dev/null; done
  ns_cleanup
  rm -rf "$log"
}
trap finish EXIT
trap 'echo; echo "interrupted: cleaning up"; finish; exit 130' INT TERM

bold=$(printf '\033[1m') plain=$(printf '\033[0m')
[ -t 1 ] || { bold=""; plain=""; }
step=0
say() {
  step=$((step + 1))
  printf '\n%s%d. %s%s\n' "$bold" "$step" "$*" "$plain"
}
show() {  # COMMAND...: prints the command, then its output indented
  printf '   $ %s\n' "$*"
  "$@" 2>&1 | sed 's/^/     /'
}
die() {
  printf '\nDEMO FAILED: %s\n' "$*" >&2
  exit 1
}
[ -x "$IPRES_BIN" ] || die "$IPRES_BIN is missing: run it as 'make demo'"
vip_on() { ip -n "$(ns "$1")" -4 -o addr show dev eth0 | awk '{ print $4 }' | tr '\n' ' '; }

say "Setting up: appliance nodes a (192.0.2.2) and b (192.0.2.3), a client (192.0.2.10), one bridge"
lan_up
host_up a 192.0.2.2/24
host_up b 192.0.2.3/24
host_up client 192.0.2.10/24
echo "   a's MAC $(mac_of a), b's MAC $(mac_of b); the service address is 192.0.2.100/24 (resource 'vip')"

say "Node a restores the service address: link check, duplicate check, add, gratuitous ARPs, connectivity check"
show ipres_in a restore vip
show ip -n "$(ns a)" -4 addr show dev eth0
vip_on a | grep -q 192.0.2.100/24 || die "a does not hold the address"

say "The client pings the service address"
show in_ns client ping -c3 -i0.2 192.0.2.100
show ip -n "$(ns client)" neigh show 192.0.2.100
ip -n "$(ns client)" neigh show 192.0.2.100 | grep -q "$(mac_of a)" || die "the client does not see a's MAC"
echo "   -> the client reaches 192.0.2.100 at a's MAC $(mac_of a)"

say "quickCheck on a passes (exit 0)"
printf '   $ ipres_in a quickCheck vip\n'
ipres_in a quickCheck vip 2>&1 | sed 's/^/     /'
ipres_in a quickCheck vip >/dev/null 2>&1 || die "quickCheck failed on a"
echo "     exit status 0"

say "a starts 'ipres monitor vip'; the client keeps pinging every 100 ms"
(ipres_exec a monitor vip >"$log/monitor-a" 2>&1) &
pids="$pids $!"
(exec ip netns exec "$(ns client)" ping -D -i 0.1 192.0.2.100 >"$log/ping" 2>&1) &
ping_pid=$!
pids="$pids $ping_pid"
sleep 1.5

say "a's link fails: its cable to the bridge is pulled"
pulled=$(date +%s.%N)
ip -n "$(ns br)" link set p-a down
wait_for 10 grep -q 'lost carrier' "$log/monitor-a" || die "a's monitor did not notice"
echo "   a's monitor log:"
sed 's/^/     /' "$log/monitor-a" | grep -E 'monitor:|failed' | tail -n 3

say "b takes the address over (here the operator plays the cluster engine: ipres restore vip on b)"
show ipres_in b restore vip
restored=$(date +%s.%N)
show ip -n "$(ns b)" -4 addr show dev eth0
vip_on b | grep -q 192.0.2.100/24 || die "b did not take the address over"

say "The client's neighbour entry now holds b's MAC"
show ip -n "$(ns client)" neigh show 192.0.2.100
echo "   b's MAC is $(mac_of b)"
ip -n "$(ns client)" neigh show 192.0.2.100 | grep -q "$(mac_of b)" || die "the client still has the old MAC"
sleep 1
kill "$ping_pid" 2>/dev/null
wait "$ping_pid" 2>/dev/null
# A lost ping is a gap in the answered sequence numbers; it belongs to the
# switch-over when the answers around it bracket the cable pull.
# shellcheck disable=SC2046 # three numbers, split on purpose
set -- $(awk -v from="$pulled" -v to="$restored" '
  /bytes from/ { t = substr($1, 2, length($1) - 2) + 0; seq = $0
                 sub(/.*icmp_seq=/, "", seq); sub(/ .*/, "", seq); seq += 0
                 if (last != "" && seq > last + 1) {
                   if (last_t <= from + 0.1 && t >= from) during += seq - last - 1
                   else outside += seq - last - 1
                 }
                 last = seq; last_t = t; answered++ }
  END { print answered + 0, during + 0, outside + 0 }' "$log/ping")
switch_ms=$(awk -v a="$pulled" -v b="$restored" 'BEGIN { printf "%d", (b - a) * 1000 }')
echo "   client's pings: $1 answered; $2 lost in the switch-over (cable pull to b's restore: ${switch_ms} ms); $3 lost outside it"
[ "$3" = 0 ] || die "pings were lost outside the switch-over"

say "b starts its monitor; someone deletes the address on b by hand"
(ipres_exec b monitor vip >"$log/monitor-b" 2>&1) &
pids="$pids $!"
wait_for 10 grep -q 'connectivity check' "$log/monitor-b" || die "b's monitor did not start"
show ip -n "$(ns b)" addr del 192.0.2.100/24 dev eth0
echo "   b holds: $(vip_on b)"
wait_for 10 sh -c "ip -n $(ns b) -4 -o addr show dev eth0 | grep -q ' 192.0.2.100/'" ||
  die "b's monitor did not bring the address back"
echo "   b's monitor log:"
sed 's/^/     /' "$log/monitor-b" | grep -E 'monitor:|add ' | tail -n 4
echo "   b holds: $(vip_on b)"
show in_ns client ping -c2 -i0.2 192.0.2.100

say "Done: cleaning up the namespaces"
