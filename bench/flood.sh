#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench/flood.sh OUT: what `ipres monitor` costs while its LAN is busy. For
# BENCH_FLOOD_SECONDS (default 60) another namespace sends ARP requests for
# other addresses at BENCH_FLOOD_RATE frames a second (default 1000; frame
# k: who-has 192.0.2.(200 + k % 50) tell 192.0.2.(150 + k % 50), from
# tests/tools/arptool flood) to one of the monitor node's two devices:
#
#   watched  eth0, which holds the monitor's address (bench, 192.0.2.100/24):
#            the claim watch's packet socket, where there is one, is there
#   other    eth1, which holds no watched address: the same frames reach the
#            node, none reaches a socket of the monitor
#
# Each arrangement gets a monitor of its own (`ipres monitor bench`, the same
# binary and board), started 2 s before the flood so its first quickCheck is
# over (LKCHECKINTERVAL is 120 s: no other falls in the window). Over the
# flood: the monitor's CPU time (schedstat: ns on a CPU; and utime+stime in
# clock ticks from /proc/PID/stat), its context switches (a wake-up each),
# the frames the sender sent and its CPU, and the frames the node's device
# received. One line per arrangement to OUT; exit 1 when a step fails.
#
# Topology (TEST-NET only, every link inside the bench's namespaces): node
# eth0 192.0.2.2/24 <-> flood f0 192.0.2.10/24 (the PingList), node eth1
# 198.51.100.2/24 <-> flood f1 198.51.100.10/24, two veth pairs.
set -u
cd "$(dirname "$0")/.." || exit 1
[ $# = 1 ] || { echo "usage: sh bench/flood.sh OUT" >&2; exit 2; }
OUT=$1
FLOOD_SECONDS=${BENCH_FLOOD_SECONDS:-60}
RATE=${BENCH_FLOOD_RATE:-1000}
for v in "BENCH_FLOOD_SECONDS $FLOOD_SECONDS 5 600" "BENCH_FLOOD_RATE $RATE 1 20000"; do
  # shellcheck disable=SC2086
  set -- $v
  case $2 in
    '' | *[!0-9]*) echo "bench: $1 must be $3..$4" >&2; exit 2 ;;
  esac
  if [ "$2" -lt "$3" ] || [ "$2" -gt "$4" ]; then echo "bench: $1 must be $3..$4" >&2; exit 2; fi
done
IPRES=$PWD/build/bench-x86_64/ipres
ARPTOOL=$PWD/build/bench-x86_64/tools/arptool
RUNSTAT=$PWD/build/bench-tools/runstat
for f in "$IPRES" "$ARPTOOL" "$RUNSTAT"; do
  [ -x "$f" ] || { echo "bench: missing $f (run it as make bench)" >&2; exit 1; }
done

# shellcheck disable=SC2034 # read by nslib.sh
NS_PREFIX="ipf$$-"
. tests/integration/nslib.sh
ftmp=$(mktemp -d)
mon=""
stop_monitor() {
  [ -n "$mon" ] || return 0
  kill -TERM "$mon" 2>/dev/null
  n=0
  while kill -0 "$mon" 2>/dev/null && [ $n -lt 50 ]; do
    sleep 0.1
    n=$((n + 1))
  done
  kill -9 "$mon" 2>/dev/null
  wait "$mon" 2>/dev/null
  mon=""
}
trap 'stop_monitor; ns_cleanup; rm -rf "$ftmp"' EXIT
trap 'stop_monitor; ns_cleanup; rm -rf "$ftmp"; exit 130' INT TERM

ns_add node || exit 1
ns_add flood || exit 1
ip -n "$(ns node)" link add eth0 type veth peer name f0 netns "$(ns flood)" || exit 1
ip -n "$(ns node)" link add eth1 type veth peer name f1 netns "$(ns flood)" || exit 1
for d in eth0 eth1; do ip -n "$(ns node)" link set "$d" up; done
for d in f0 f1; do ip -n "$(ns flood)" link set "$d" up; done
ip -n "$(ns node)" addr add 192.0.2.2/24 dev eth0 || exit 1
ip -n "$(ns flood)" addr add 192.0.2.10/24 dev f0 || exit 1
ip -n "$(ns node)" addr add 198.51.100.2/24 dev eth1 || exit 1
ip -n "$(ns flood)" addr add 198.51.100.10/24 dev f1 || exit 1
wait_for 5 in_ns node ping -c1 -W1 192.0.2.10 || { echo "bench: flood: no PingList" >&2; exit 1; }
wait_for 5 in_ns node ping -c1 -W1 198.51.100.10 || { echo "bench: flood: eth1 dead" >&2; exit 1; }
in_ns node "$IPRES" restore bench >"$ftmp/log" 2>&1 || { echo "bench: flood: restore failed" >&2; exit 1; }

# sample: the monitor's CPU ns (schedstat), utime+stime ticks, context
# switches, and the node's rx_packets on eth0 and eth1.
sample() {
  read -r ns_cpu _ </proc/"$mon"/schedstat
  # Fields after "(ipres) ": state is the 1st, utime the 12th, stime the 13th.
  stat=$(cat /proc/"$mon"/stat)
  # shellcheck disable=SC2086
  set -- ${stat##*) }
  ticks=$((${12} + ${13}))
  csw=$(awk '/^(non)?voluntary_ctxt_switches:/ { n += $2 } END { print n }' /proc/"$mon"/status)
  rx0=$(in_ns node cat /sys/class/net/eth0/statistics/rx_packets)
  rx1=$(in_ns node cat /sys/class/net/eth1/statistics/rx_packets)
  echo "$ns_cpu $ticks $csw $rx0 $rx1"
}

# packet_sockets: the monitor's AF_PACKET sockets, as "IFACE-INDEX ..." (its
# fds' socket inodes found in its namespace's /proc/net/packet).
packet_sockets() {
  inodes=$(for fd in /proc/"$mon"/fd/*; do readlink "$fd"; done 2>/dev/null |
    sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p' | tr '\n' ' ')
  awk -v list=" $inodes" 'NR > 1 && index(list, " " $9 " ") { printf "%s%s", sep, $5; sep = "," }' \
    /proc/"$mon"/net/packet
}

failures=0
: >"$OUT"
for arr in watched other; do
  case $arr in
    watched) dev=f0 ;;
    other) dev=f1 ;;
  esac
  (exec ip netns exec "$(ns node)" "$IPRES" monitor bench) >"$ftmp/monitor.$arr" 2>&1 &
  mon=$!
  if ! wait_for 10 grep -q 'bench: monitor: watching 192.0.2.100' "$ftmp/monitor.$arr"; then
    echo "bench: flood: the monitor did not start" >&2
    failures=$((failures + 1))
    stop_monitor
    continue
  fi
  sleep 2
  socks=$(packet_sockets)
  # shellcheck disable=SC2046
  set -- $(sample)
  s0_cpu=$1 s0_ticks=$2 s0_csw=$3 s0_rx0=$4 s0_rx1=$5
  in_ns flood "$RUNSTAT" -o "$ftmp/sender.$arr" -l "$arr" "$ARPTOOL" flood "$dev" "$RATE" "$FLOOD_SECONDS" \
    >"$ftmp/flood.$arr" 2>&1 || failures=$((failures + 1))
  # shellcheck disable=SC2046
  set -- $(sample)
  kill -0 "$mon" 2>/dev/null || { echo "bench: flood: the monitor ended" >&2; failures=$((failures + 1)); }
  if grep -q 'quickCheck failed' "$ftmp/monitor.$arr"; then
    echo "bench: flood: the monitor's quickCheck failed ($arr)" >&2
    failures=$((failures + 1))
  fi
  cat "$ftmp/monitor.$arr" >>"$ftmp/log"
  stop_monitor
  sender_cpu=$(sed -n 's/.* cpu_us=\([0-9]*\).*/\1/p' "$ftmp/sender.$arr")
  echo "flood $arr device=$dev seconds=$FLOOD_SECONDS rate=$RATE $(cat "$ftmp/flood.$arr")" \
    "cpu_ns=$(($1 - s0_cpu)) ticks=$(($2 - s0_ticks)) csw=$(($3 - s0_csw))" \
    "rx_eth0=$(($4 - s0_rx0)) rx_eth1=$(($5 - s0_rx1)) sender_cpu_us=${sender_cpu:-0}" \
    "packet_sockets=${socks:-none}" >>"$OUT"
  printf '.' >&2
done
in_ns node "$IPRES" remove bench >>"$ftmp/log" 2>&1 || failures=$((failures + 1))
echo >&2
if [ "$failures" != 0 ]; then
  echo "bench: flood: $failures step(s) failed; log:" >&2
  tail -n 20 "$ftmp/log" >&2
  exit 1
fi
exit 0
