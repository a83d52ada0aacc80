#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make demo: a pair of appliances sharing one service address, in network
# namespaces on this machine (TEST-NET addresses only, nothing leaves them).
# keepalived (VRRP) decides which node holds the address and calls ipres, as
# rootfs-overlay/etc/keepalived/keepalived.conf shows; `ipres monitor` looks
# after it where it is held. This script only breaks things - pulls a cable,
# deletes the address, stops an engine, claims the address from a rogue box -
# and shows what the engine and ipres did about it. It never restores or removes the address itself.
set -u
cd "$(dirname "$0")/.." || exit 1
[ "$(id -u)" = 0 ] || { echo "make demo needs root (network namespaces)" >&2; exit 1; }
command -v keepalived >/dev/null || { echo "keepalived is missing: run it as 'make demo'" >&2; exit 1; }

# shellcheck disable=SC2034 # read by nslib.sh
NS_PREFIX="ipres-demo-"
IPRES_BIN=build/nstest/ipres
. tests/integration/nslib.sh
TAG=vip-ka
VIP=192.0.2.110
EXAMPLE=rootfs-overlay/etc/keepalived/keepalived.conf
work=$(mktemp -d)
chmod 0755 "$work" # keepalived's script security: no writable directory on the path
pids=""
finish() {
  for p in $pids; do kill -TERM "$p" 2>/dev/null; done
  sleep 0.3
  for p in $pids; do kill -KILL "$p" 2>/dev/null; done
  ns_cleanup
  rm -rf "$work"
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
die() {
  printf '\nDEMO FAILED: %s\n' "$*" >&2
  exit 1
}
show() { # COMMAND...: the command, then its output indented
  printf '   $ %s\n' "$*"
  "$@" 2>&1 | sed 's/^/     /'
}
[ -x "$IPRES_BIN" ] || die "$IPRES_BIN is missing: run it as 'make demo'"
holds() { ip -n "$(ns "$1")" -4 -o addr show dev eth0 | grep -q " $VIP/"; }
holders() {
  h=""
  for n in a b; do holds "$n" && h="$h $n"; done
  echo "${h# }"
}
# calls NODE SINCE_LINE: what keepalived had ipres do on NODE since then
calls() { tail -n "+$2" "$work/$1.calls" | sed 's/^/     /'; }
mark() { wc -l <"$work/$1.calls"; }
neigh() { ip -n "$(ns client)" neigh show "$VIP" | awk '{ print $5 }'; }
now() { date +%s.%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1000 }'; }

say "Two appliance nodes a (192.0.2.2) and b (192.0.2.3), a client (192.0.2.10), one bridge"
lan_up
host_up a 192.0.2.2/24
host_up b 192.0.2.3/24
host_up client 192.0.2.10/24
mac_a=$(mac_of a)
mac_b=$(mac_of b)
echo "   a's MAC $mac_a, b's MAC $mac_b; the service address is $VIP/24 (resource $TAG, AUTOSTART=0)"

# keepalived's scripts call ipres through a wrapper that notes each call.
bin=$(readlink -f "$IPRES_BIN")
for n in a b; do
  cat >"$work/ipres-$n" <<WRAP
#!/bin/sh
[ "\$1" = ready ] || echo "\$(date +%T.%N | cut -c1-12) keepalived ran: ipres \$*" >>"$work/$n.calls"
exec $bin "\$@" 2>>"$work/$n.ipres.log"
WRAP
  chmod 0755 "$work/ipres-$n"
  : >"$work/$n.calls"
  # The example, for this resource and node: a has priority 150, b 100; nopreempt.
  sed -e "s|/usr/sbin/ipres|$work/ipres-$n|g" -e "s|ip-gw|$TAG|g" -e "s|ip_gw|vip_ka|g" \
    -e 's|@gw-a |@a |' -e 's|@gw-b |@b |' -e 's|^\( *interval\) 2$|\1 1|' "$EXAMPLE" >"$work/$n.conf"
done

say "keepalived starts on both nodes, and 'ipres monitor $TAG' beside it"
for n in a b; do
  (exec ip netns exec "$(ns "$n")" keepalived -n -l -D -f "$work/$n.conf" -i "$n" \
    -p "$work/$n.pid" -r "$work/$n.vrrp.pid" -c "$work/$n.checkers.pid" >"$work/$n.ka.log" 2>&1) &
  pids="$pids $!"
  (ipres_exec "$n" monitor "$TAG" >"$work/$n.monitor.log" 2>&1) &
  pids="$pids $!"
done
wait_for 15 holds a || die "keepalived did not make a the master"
echo "   both start as BACKUP (notify_backup: remove, nothing to do), then a (priority 150) wins; on a:"
calls a 1
show ip -n "$(ns a)" -4 addr show dev eth0
[ "$(holders)" = a ] || die "expected a alone to hold $VIP, got '$(holders)'"

say "The client reaches the service address, at a's MAC; quickCheck on a passes"
show in_ns client ping -c3 -i0.2 "$VIP"
[ "$(neigh)" = "$mac_a" ] || die "the client's neighbour entry is '$(neigh)', not a's MAC"
echo "   client's neighbour entry for $VIP: $(neigh) (a)"
ipres_in a quickCheck "$TAG" >/dev/null 2>&1 || die "quickCheck failed on a"
echo "   ipres quickCheck $TAG on a: exit 0"

say "Break 1: a's cable is pulled (the client keeps pinging every 50 ms)"
(exec ip netns exec "$(ns client)" ping -D -i 0.05 "$VIP" >"$work/ping" 2>&1) &
ping_pid=$!
pids="$pids $ping_pid"
sleep 1
ma=$(mark a) mb=$(mark b)
pulled=$(now)
ip -n "$(ns br)" link set p-a down
wait_for 15 holds b || die "b did not take the address over"
took=$(ms "$pulled" "$(now)")
wait_for 10 sh -c "! ip -n $(ns a) -4 -o addr show dev eth0 | grep -q ' $VIP/'"
sleep 1
kill "$ping_pid" 2>/dev/null
echo "   b's keepalived missed a's adverts and became master; on b:"
calls b $((mb + 1))
echo "   a's keepalived: its 'ipres ready' failed (no carrier), FAULT; on a:"
calls a $((ma + 1))
echo "   holders of $VIP: $(holders)  (b had it ${took} ms after the pull; VRRP's master-down interval is ~3 s)"
[ "$(neigh)" = "$mac_b" ] || die "the client's neighbour entry is '$(neigh)', not b's MAC"
echo "   client's neighbour entry for $VIP: $(neigh) (b)"
lost=$(awk '/bytes from/ { seq = $0; sub(/.*icmp_seq=/, "", seq); sub(/ .*/, "", seq); seq += 0
  if (last != "" && seq > last + 1) { gaps++; lost += seq - last - 1 } last = seq }
  END { print lost + 0, gaps + 0 }' "$work/ping")
echo "   client's pings: $(grep -c 'bytes from' "$work/ping") answered; lost (pings, gaps): $lost - one gap, the switch-over"
[ "${lost#* }" = 1 ] || die "pings were lost outside the switch-over"

say "Break 2: someone deletes the address on b by hand"
show ip -n "$(ns b)" addr del "$VIP/24" dev eth0
wait_for 10 holds b || die "b's monitor did not bring the address back"
echo "   b's monitor (the address is b's to hold: keepalived's last word there was restore):"
grep -E 'monitor:|recover: add' "$work/b.monitor.log" | tail -n 3 | sed 's/^/     /'
echo "   a's monitor left it alone (keepalived's last word on a was remove)"
echo "   holders of $VIP: $(holders)"

say "a's cable is plugged back: nopreempt, so the address stays on b"
ip -n "$(ns br)" link set p-a up
sleep 4
echo "   holders of $VIP: $(holders)"
[ "$(holders)" = b ] || die "expected b alone to hold $VIP, got '$(holders)'"

say "Break 3: b's keepalived is stopped cleanly (notify_stop runs remove; a takes over)"
ma=$(mark a) mb=$(mark b)
stopped=$(now)
kill -TERM "$(cat "$work/b.pid")"
wait_for 15 holds a || die "a did not take the address over"
took=$(ms "$stopped" "$(now)")
wait_for 10 sh -c "! ip -n $(ns b) -4 -o addr show dev eth0 | grep -q ' $VIP/'" || die "b kept the address"
echo "   on b:"
calls b $((mb + 1))
echo "   on a:"
calls a $((ma + 1))
echo "   holders of $VIP: $(holders)  (${took} ms after the stop)"
show in_ns client ping -c2 -i0.2 "$VIP"
[ "$(neigh)" = "$mac_a" ] || die "the client's neighbour entry is '$(neigh)', not a's MAC"
echo "   client's neighbour entry for $VIP: $(neigh) (a)"

say "Break 4: a rogue box claims the address (gratuitous ARPs, every 0.5 s, three times)"
host_up rogue 192.0.2.66/24
in_ns rogue sysctl -qw net.ipv4.ip_nonlocal_bind=1
mac_r=$(mac_of rogue)
ma_log=$(wc -l <"$work/a.monitor.log")
for i in 1 2 3; do
  in_ns rogue arping -U -c1 -w1 -s "$VIP" -I eth0 "$VIP" >/dev/null 2>&1 &
  sleep 0.5
done
wait_for 5 grep -q "conflict: $VIP on eth0 claimed by $mac_r" "$work/a.monitor.log" ||
  die "a's monitor did not log the claim"
echo "   a's monitor (rogue's MAC $mac_r):"
tail -n "+$((ma_log + 1))" "$work/a.monitor.log" | grep 'conflict' | sed 's/^/     /'
show ipres_in a quickCheck "$TAG"
echo "   client's neighbour entry for $VIP now: $(neigh); a defends at most once per 10 s (RFC 5227),"
echo "   and once more when those 10 s end after a claim it did not answer:"
wait_for 12 grep -q "conflict: $VIP on eth0: announcing again" "$work/a.monitor.log" ||
  die "a's monitor did not announce again when the 10 s ended"
wait_for 3 sh -c "[ \"\$(ip -n $(ns client) neigh show $VIP | awk '{ print \$5 }')\" = $mac_a ]" ||
  die "the client's entry did not come back to a's MAC"
grep "conflict: $VIP on eth0: announcing again" "$work/a.monitor.log" | tail -n 1 | sed 's/^/     /'
echo "   client's neighbour entry for $VIP: $(neigh) (a again)"
echo "   (the engine hears it: quickCheck fails while the conflict stands, for 10 s after the last claim;"
echo "    ipres never gives the address up itself) holders of $VIP: $(holders)"
[ "$(holders)" = a ] || die "expected a alone to hold $VIP, got '$(holders)'"

say "Done: stopping keepalived and the monitors, removing the namespaces"
