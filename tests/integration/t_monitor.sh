#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# ipres monitor against the real kernel: an address deleted by hand comes
# back, a carrier drop is seen and recovered once the carrier returns, the
# gratuitous ARPs are repeated, and SIGTERM ends it within a second. The
# figures (delete -> recovery start, delete -> address back) are printed.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh

lan_hosts a client || exit 1
monitor_pid=""
# shellcheck disable=SC2016 # the exit trap expands them
ns_tmp_with 'kill_all $monitor_pid'

now() { date +%s.%N; }
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1000 }'; }

check "restore vip" ipres_in a restore vip
(ipres_exec a monitor vip >"$tmp/monitor.log" 2>&1) &
monitor_pid=$!
check "the monitor logs what it watches" \
  wait_for 10 grep -q 'vip: monitor: watching 192.0.2.100 on eth0' "$tmp/monitor.log"
wait_for 10 grep -q 'vip: monitor: quickCheck: passed' "$tmp/monitor.log"

# Deleted by hand: the first packet of the recovery (the duplicate check's
# ARP probe) is captured on the client, the address is watched for.
in_ns client tcpdump -i eth0 -n -tt -l 'arp and arp[14:4] = 0 and arp[24:4] = 0xc0000264' \
  >"$tmp/probe.txt" 2>/dev/null &
dump_pid=$!
sleep 1
deleted=$(now)
ip -n "$(ns a)" addr del 192.0.2.100/24 dev eth0
check "the monitor brings the deleted address back" wait_for 10 holds a 192.0.2.100
back=$(now)
sleep 0.3
kill "$dump_pid" 2>/dev/null
wait "$dump_pid" 2>/dev/null
probe=$(awk 'NR == 1 { print $1 }' "$tmp/probe.txt")
check "the recovery's ARP probe was on the wire" test -n "$probe"
check_text "the monitor logged the event and the recovery" 'vip: monitor: 192.0.2.100 left eth0' \
  "$(cat "$tmp/monitor.log")"
start_ms=$(ms_between "$deleted" "${probe:-$deleted}")
back_ms=$(ms_between "$deleted" "$back")
echo "measured ($IPRES_ARCH): delete -> recovery on the wire ${start_ms} ms; delete -> address back ${back_ms} ms (IP_PINGTIMEOUT 0.5 s included)"

# The announcements are repeated GARP_REPEAT_DELAY (1 s) after the address
# came up: the client sees the restore's four, then four more.
in_ns client tcpdump -i eth0 -n -l 'arp and arp[14:4] = 0xc0000264 and ether src '"$(mac_of a)" \
  >"$tmp/garp.txt" 2>/dev/null &
dump_pid=$!
sleep 1
ip -n "$(ns a)" addr del 192.0.2.100/24 dev eth0
wait_for 10 holds a 192.0.2.100
sleep 2.5
kill "$dump_pid" 2>/dev/null
wait "$dump_pid" 2>/dev/null
garps=$(grep -c 'ARP, \(Request who-has 192.0.2.100\|Reply 192.0.2.100\|Request who-has 192.0.2.255\|Reply 192.0.2.255\)' "$tmp/garp.txt")
check "eight gratuitous ARPs: the restore's four and the repeat's four (saw $garps)" test "$garps" -ge 8
check_text "the monitor logged the repeat" 'gratuitous ARPs again in 1 s' "$(cat "$tmp/monitor.log")"

# Carrier drop: the monitor sees it, its recover fails and backs off; once
# the carrier returns it recovers.
ip -n "$(ns br)" link set p-a down
check "carrier loss is noticed" wait_for 10 grep -q 'eth0 is down or lost carrier' "$tmp/monitor.log"
check "its recover fails and backs off" wait_for 15 grep -q 'recover failed (1 in a row)' "$tmp/monitor.log"
ip -n "$(ns br)" link set p-a up
check "carrier back: the address is in service again" wait_for 20 sh -c \
  "ip -n $(ns a) -4 -o addr show dev eth0 | grep -q ' 192.0.2.100/' && ip netns exec $(ns client) ping -c1 -W1 192.0.2.100"
check "the monitor is still running" kill -0 "$monitor_pid"

# SIGTERM: gone within a second.
start=$(now)
kill -TERM "$monitor_pid"
wait "$monitor_pid"
status=$?
stopped_ms=$(ms_between "$start" "$(now)")
monitor_pid=""
check "SIGTERM: the monitor exits 0 (got $status)" test "$status" = 0
check "SIGTERM: within 1 s (took ${stopped_ms} ms)" test "$stopped_ms" -lt 1000

# An engine-driven resource (vip-ka, AUTOSTART=0) is looked after only where
# the engine's last word was restore.
(ipres_exec a monitor vip-ka >"$tmp/monitor-ka.log" 2>&1) &
monitor_pid=$!
wait_for 10 grep -q 'vip-ka: monitor: watching' "$tmp/monitor-ka.log"
ip -n "$(ns a)" addr add 192.0.2.110/24 dev eth0
ip -n "$(ns a)" addr del 192.0.2.110/24 dev eth0
sleep 1.5
check "never restored here: a deleted vip-ka is left alone" sh -c "! ip -n $(ns a) -4 -o addr show | grep -q ' 192.0.2.110/'"
check "the engine restores vip-ka" ipres_in a restore vip-ka
ip -n "$(ns a)" addr del 192.0.2.110/24 dev eth0
check "restored here: the monitor puts a deleted vip-ka back" wait_for 10 holds a 192.0.2.110
check "the engine removes vip-ka" ipres_in a remove vip-ka
sleep 1.5
check "removed here: the monitor leaves vip-ka absent" sh -c "! ip -n $(ns a) -4 -o addr show | grep -q ' 192.0.2.110/'"
kill -TERM "$monitor_pid"
wait "$monitor_pid"
monitor_pid=""

# A restore holding the tag's lock puts the address back while the monitor's
# recover waits for that lock (the mdev hook's restore after a NIC is bound
# again): once back in service it is never taken down again. vip-flap's
# restore holds the lock for 3 s (its duplicate check) before its add; the
# address added and deleted by hand meanwhile makes the monitor check, fail
# and start its recover. Every address change is watched with ip monitor.
# flap_round: starts that restore and, 0.5 s into its window, the monitor's
# recover; leaves the restore's pid in $restore_pid.
flap_round() {
  : >"$tmp/restore-flap.out"
  (ipres_exec a restore vip-flap >"$tmp/restore-flap.out" 2>&1) &
  restore_pid=$!
  wait_for 10 grep -q 'vip-flap: restore: link check: eth0 up' "$tmp/restore-flap.out"
  sleep 0.5
  ip -n "$(ns a)" addr add 192.0.2.115/24 dev eth0
  ip -n "$(ns a)" addr del 192.0.2.115/24 dev eth0
}
(ipres_exec a monitor vip-flap >"$tmp/monitor-flap.log" 2>&1) &
monitor_pid=$!
wait_for 10 grep -q 'vip-flap: monitor: watching' "$tmp/monitor-flap.log"
ip -n "$(ns a)" -o monitor address >"$tmp/addr-events.txt" 2>&1 &
events_pid=$!
sleep 0.3
flap_round
wait_for 5 grep -q 'vip-flap: monitor: quickCheck failed: recovering' "$tmp/monitor-flap.log"
check "contended: the monitor's recover started while the restore held the lock" sh -c \
  "grep -q 'vip-flap: monitor: quickCheck failed: recovering' '$tmp/monitor-flap.log' && kill -0 $restore_pid"
wait "$restore_pid"
status=$?
check "contended: the restore puts the address back (exit $status)" test "$status" = 0
wait_for 10 grep -qE 'vip-flap: (recover: .*leaving it|monitor: recover)' "$tmp/monitor-flap.log"
sleep 0.5
deletes=$(grep -c 'Deleted.* 192\.0\.2\.115/' "$tmp/addr-events.txt")
check "contended: once back, 192.0.2.115 is never deleted again (deleted $deletes times, by hand once)" \
  test "$deletes" = 1
check "contended: the address is in service" holds a 192.0.2.115
check_text "contended: the monitor's recover says it left it" \
  '^vip-flap: recover: 192\.0\.2\.115 put back in service by another operation meanwhile: leaving it' \
  "$(cat "$tmp/monitor-flap.log")"
check_no_out "contended: the monitor's recover removed nothing" 'vip-flap: recover: (delete|remove)' \
  cat "$tmp/monitor-flap.log"

# The same, but the restore is stopped (SIGTERM) before its add. Contract
# "Cluster engines": a restore ended by SIGTERM leaves the address absent.
# The stopped restore withdraws its word, so the monitor's recover, which
# gets the lock next, finds no restore word and leaves the address absent.
check "the engine removes vip-flap" ipres_in a remove vip-flap
logged=$(wc -l <"$tmp/monitor-flap.log")
flap_round
wait_for 5 grep -q 'vip-flap: monitor: quickCheck failed: recovering' "$tmp/monitor-flap.log"
kill -TERM "$restore_pid"
wait "$restore_pid"
status=$?
check "contended, restore stopped: it exits 1 (got $status)" test "$status" = 1
check_text "contended, restore stopped: it withdrew its word" \
  '^vip-flap: restore: stopped by signal: withdrew its word' "$(cat "$tmp/restore-flap.out")"
check "contended, restore stopped: the monitor's recover leaves it" wait_for 15 sh -c \
  "tail -n +$((logged + 1)) '$tmp/monitor-flap.log' | grep -q 'vip-flap: recover: the last word on vip-flap is not a restore: leaving it'"
check "contended, restore stopped: the address stays absent (3 s)" stays 3 lacks a 192.0.2.115
check "the engine removes vip-flap again" ipres_in a remove vip-flap
kill -TERM "$monitor_pid"
wait "$monitor_pid"
monitor_pid=""

check_exit "monitor with an unknown tag: usage error" 2 ipres_in a monitor nosuch
summary "monitor ($IPRES_ARCH)"
