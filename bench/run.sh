#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make bench: ipres against ClusterLabs' IPaddr2 and the spec's own shell
# commands, side by side, in network namespaces of its own; the same for an
# IPv6 resource (ipres and IPaddr2: the spec's commands are IPv4's); then
# the footprint per CPU, and quickCheck on every CPU the tree builds, under
# qemu-user but x86_64, for the record only (bench/cpus.sh). Prints the
# tables and writes bench/RESULTS.md.
#
#   BENCH_RUNS     timed runs per contender (default 21)
#   BENCH_STRACE   strace -c -f runs per contender (default 5)
#   BENCH_SCALE_RUNS  timed runs of ipres quickCheck and remove per address
#                  count of the scale table (default 11)
#   BENCH_FLOOD_SECONDS, BENCH_FLOOD_RATE  the ARP flood of bench/flood.sh
#                  (default 60 s of 1000 frames/s, for each of its two runs)
#   BENCH_CPU_RUNS timed quickChecks per CPU of bench/cpus.sh (default 11)
#
# Topology (TEST-NET-1 only, every link inside the bench's namespaces, the
# bridge too): node 192.0.2.2/24 on eth0, the PingList host 192.0.2.10/24,
# both on bridge br0. The service address is 192.0.2.100/24 on the node's eth0.
# IPv6 (2001:db8::/32 only): the node 2001:db8::2/64, the PingList host
# 2001:db8::10/64, the service address 2001:db8::100/64 (resource bench6).
# For the scale table the node also gets 100 /32s of TEST-NET-3 on eth0 and
# thousands more on 20 veths (bulk0..bulk19, their peers in namespace sink):
# TEST-NET-1..3 hold fewer than 800 addresses, but one address may sit on
# many devices, so each bulk device holds up to 508, TEST-NET-2 and -3's
# hosts 198.51.100.1-254 and 203.0.113.1-254 as /32s (local routes only, no
# subnet route). No 192.0.2.x is on a bulk device.
set -u
cd "$(dirname "$0")/.." || exit 1
[ "$(id -u)" = 0 ] || { echo "bench: needs root for network namespaces" >&2; exit 1; }
# The whole bench in a mount namespace with a /run/ipres of its own, as the
# namespace tests have: ipres's tag records go there, not to the machine's.
if [ -z "${BENCH_PRIVATE_RUN:-}" ]; then
  # shellcheck disable=SC2016 # $0 is the inner shell's
  BENCH_PRIVATE_RUN=1 exec unshare -m sh -c 'mkdir -p /run/ipres &&
    mount -t tmpfs -o size=16m,mode=0700 ipres-bench /run/ipres && exec sh "$0"' "$PWD/bench/run.sh"
fi
mountpoint -q /run/ipres || { echo "bench: /run/ipres is not the bench's own mount" >&2; exit 1; }

RUNS=${BENCH_RUNS:-21}
STRACE_RUNS=${BENCH_STRACE:-5}
# Bounded: no more than 101 timed and 21 traced runs, whatever is asked.
# bounded NAME VALUE LO HI: VALUE is a whole number in LO..HI, or the bench
# stops (exit 2).
bounded() {
  case $2 in
    '' | *[!0-9]*) ;;
    *) [ "$2" -ge "$3" ] && [ "$2" -le "$4" ] && return 0 ;;
  esac
  echo "bench: $1 must be $3..$4" >&2
  exit 2
}
bounded BENCH_RUNS "$RUNS" 3 101
bounded BENCH_STRACE "$STRACE_RUNS" 1 21
SCALE_RUNS=${BENCH_SCALE_RUNS:-11}
bounded BENCH_SCALE_RUNS "$SCALE_RUNS" 3 101

RUNSTAT=$PWD/build/bench-tools/runstat
IPRES=$PWD/build/bench-x86_64/ipres
SPEC=$PWD/bench/spec_ops.sh
IPADDR2=/usr/lib/ocf/resource.d/heartbeat/IPaddr2
CIDR=192.0.2.100/24
VIP=192.0.2.100
DEV=eth0
PINGIP=192.0.2.10
VIP6=2001:db8::100
PINGIP6=2001:db8::10
for f in "$RUNSTAT" "$IPRES" "$IPADDR2"; do
  [ -x "$f" ] || { echo "bench: missing $f (run it as make bench)" >&2; exit 1; }
done

. tests/integration/nslib.sh
NS_PREFIX="ipb$$-"
tmp=$(mktemp -d)
trap 'ns_cleanup; rm -rf "$tmp"' EXIT
trap 'ns_cleanup; rm -rf "$tmp"; exit 130' INT TERM

# IPaddr2 with the same address, prefix and device. Its configured waits are
# set to their least: arp_count=1 (it rejects 0), arp_interval=2 ms (send_arp
# arms a timer of half the interval before its only packet; with 1 it
# arms none and pauses for ever), arp_bg=false so the sender is waited for
# and counted in the process tree rather than left running after start.
export OCF_ROOT=/usr/lib/ocf OCF_RESKEY_ip=$VIP OCF_RESKEY_cidr_netmask=24 \
  OCF_RESKEY_nic=$DEV OCF_RESKEY_arp_count=1 OCF_RESKEY_arp_interval=2 \
  OCF_RESKEY_arp_bg=false OCF_RESOURCE_INSTANCE=bench-vip

# IPaddr2 on the IPv6 address: the same, and nodad=true, as ipres adds its
# address with IFA_F_NODAD (and, NOIPUNIQUE=1, sends no probe first).
ipaddr2_v6() {
  (
    export OCF_RESKEY_ip=$VIP6 OCF_RESKEY_cidr_netmask=64 OCF_RESKEY_nodad=true \
      OCF_RESOURCE_INSTANCE=bench-vip6
    "$@"
  )
}

lan_up || exit 1
host_up node 192.0.2.2/24 || exit 1
host_up peer 192.0.2.10/24 || exit 1
# nslib turns IPv6 off everywhere; on for the two hosts' eth0 alone, their
# own addresses usable at once (no DAD) and no router solicitations.
for h in node peer; do
  in_ns "$h" sysctl -qw net.ipv6.conf.eth0.accept_dad=0 net.ipv6.conf.eth0.router_solicitations=0 \
    net.ipv6.conf.eth0.disable_ipv6=0 || exit 1
done
ip -n "$(ns node)" addr add 2001:db8::2/64 dev eth0 || exit 1
ip -n "$(ns peer)" addr add "$PINGIP6/64" dev eth0 || exit 1
wait_for 5 in_ns node ping -c1 -W1 "$PINGIP" || { echo "bench: the peer does not answer" >&2; exit 1; }
wait_for 5 in_ns node ping -6 -c1 -W1 "$PINGIP6" ||
  { echo "bench: the peer does not answer on IPv6" >&2; exit 1; }

# step CONTENDER STEP: the command line for one step of one contender.
cmd_of() {
  case $1/$2 in
    ipres/restore) echo "$IPRES restore bench" ;;
    ipres/quickCheck) echo "$IPRES quickCheck bench" ;;
    ipres/remove) echo "$IPRES remove bench" ;;
    IPaddr2/restore) echo "$IPADDR2 start" ;;
    IPaddr2/quickCheck) echo "$IPADDR2 monitor" ;;
    IPaddr2/remove) echo "$IPADDR2 stop" ;;
    shell/restore) echo "sh $SPEC restore $CIDR $DEV $PINGIP" ;;
    shell/quickCheck) echo "sh $SPEC quickCheck $CIDR $DEV $PINGIP" ;;
    shell/remove) echo "sh $SPEC remove $CIDR $DEV $PINGIP" ;;
    ipres6/restore) echo "$IPRES restore bench6" ;;
    ipres6/quickCheck) echo "$IPRES quickCheck bench6" ;;
    ipres6/remove) echo "$IPRES remove bench6" ;;
    IPaddr2v6/*) cmd_of IPaddr2 "$2" ;;
  esac
}

# in_ns_as CONTENDER CMD...: in_ns node with the contender's environment.
in_ns_as() {
  _c=$1
  shift
  case $_c in
    IPaddr2v6) ipaddr2_v6 in_ns node "$@" ;;
    *) in_ns node "$@" ;;
  esac
}

# held CONTENDER: its service address is on the node's eth0.
held() {
  case $1 in
    *6) ip -n "$(ns node)" -6 -o addr show dev "$DEV" | grep -q " $VIP6/" ;;
    *) ip -n "$(ns node)" -4 -o addr show dev "$DEV" | grep -q " $VIP/" ;;
  esac
}

failures=0
# one_cycle CONTENDER MODE RUN: restore, quickCheck, remove. MODE time runs
# each step under runstat; MODE strace under strace -c -f.
one_cycle() {
  c=$1
  mode=$2
  r=$3
  for s in restore quickCheck remove; do
    # shellcheck disable=SC2046
    if [ "$mode" = time ]; then
      in_ns_as "$c" "$RUNSTAT" -o "$tmp/time.txt" -l "$c/$s" $(cmd_of "$c" "$s") >>"$tmp/log" 2>&1
    else
      in_ns_as "$c" strace -f -c -o "$tmp/strace.$c.$s.$r" $(cmd_of "$c" "$s") >>"$tmp/log" 2>&1
    fi
    rc=$?
    if [ "$rc" != 0 ]; then
      echo "bench: $c $s ($mode run $r) exited $rc" >&2
      failures=$((failures + 1))
    fi
    case $s in
      restore | quickCheck) held "$c" || { echo "bench: $c $s: not held" >&2; failures=$((failures + 1)); } ;;
      remove) ! held "$c" || { echo "bench: $c remove: still held" >&2; failures=$((failures + 1)); } ;;
    esac
  done
}

# Interleaved run by run; the order rotates so no contender always goes first.
# The IPv6 pair, after the IPv4 three, takes turns going first.
rotate() {
  case $(($1 % 3)) in
    0) printf 'ipres IPaddr2 shell' ;;
    1) printf 'IPaddr2 shell ipres' ;;
    2) printf 'shell ipres IPaddr2' ;;
  esac
  case $(($1 % 2)) in
    0) echo " ipres6 IPaddr2v6" ;;
    1) echo " IPaddr2v6 ipres6" ;;
  esac
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# Anything else busy on the machine is named in RESULTS.md.
busy=$(ps -eo pcpu=,comm= --sort=-pcpu | awk '$1 >= 10 { printf "%s%s %s%%", sep, $2, $1; sep = ", " }')
echo "bench: $RUNS timed runs per contender (restore, quickCheck, remove), interleaved" >&2
r=1
while [ "$r" -le "$RUNS" ]; do
  for c in $(rotate "$r"); do one_cycle "$c" time "$r"; done
  printf '.' >&2
  r=$((r + 1))
done
echo >&2
echo "bench: $STRACE_RUNS strace -c -f runs per contender" >&2
r=1
while [ "$r" -le "$STRACE_RUNS" ]; do
  for c in $(rotate "$r"); do one_cycle "$c" strace "$r"; done
  printf '.' >&2
  r=$((r + 1))
done
echo >&2
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# Footprint: peak RSS of quickCheck (x86_64, natively; see runstat.c for how).
in_ns node "$IPRES" restore bench >>"$tmp/log" 2>&1
i=1
while [ "$i" -le 5 ]; do
  in_ns node "$RUNSTAT" -o "$tmp/rss.txt" -l "x86_64/quickCheck" -x "$IPRES" quickCheck bench >>"$tmp/log" 2>&1 ||
    failures=$((failures + 1))
  i=$((i + 1))
done
in_ns node "$IPRES" remove bench >>"$tmp/log" 2>&1
"$RUNSTAT" -o "$tmp/rss.txt" -l "floor" -x "$RUNSTAT" true 2>/dev/null

# Scale: ipres quickCheck and remove with 2, 1,000 and 10,000 IPv4 addresses
# on the node (lo's and 192.0.2.2 among them, the service address not).
# Each run: quickCheck timed, remove timed, restore (untimed) for the next;
# then 3 runs of each under runstat -x for the peak RSS. The other addresses
# are compared before and after: ipres must leave them as they were.
failures_before_scale=$failures
echo "bench: scale, $SCALE_RUNS timed runs of quickCheck and remove at 2, 1000, 10000 addresses" >&2
# Bulk address i: device bulk(i / 508); 198.51.100.1-254, then 203.0.113.1-254.
# The devices, enough for the largest count, exist for every count: only
# the addresses change from one count to the next.
per_dev=508
ndev=$(((10000 - 2 - 100 + per_dev - 1) / per_dev))
ns_add sink || exit 1
awk -v n="$ndev" -v sink="$(ns sink)" 'BEGIN { for (d = 0; d < n; d++) {
  printf "link add bulk%d type veth peer name s-bulk%d netns %s\n", d, d, sink
  printf "link set bulk%d up\n", d } }' >"$tmp/scale.links"
ip -n "$(ns node)" -batch "$tmp/scale.links" || exit 1
awk -v n="$ndev" 'BEGIN { for (d = 0; d < n; d++) printf "link set s-bulk%d up\n", d }' >"$tmp/scale.sink"
ip -n "$(ns sink)" -batch "$tmp/scale.sink" || exit 1
others() { ip -n "$(ns node)" -4 -o addr show | grep -v " $VIP/"; }
: >"$tmp/scale_time.txt"
: >"$tmp/scale_rss.txt"
for n in 2 1000 10000; do
  extra=$((n - 2))
  on_eth0=0
  [ "$extra" -ge 100 ] && on_eth0=100
  awk -v e="$on_eth0" -v b="$((extra - on_eth0))" -v per="$per_dev" 'BEGIN {
    for (i = 1; i <= e; i++) printf "addr add 203.0.113.%d/32 dev eth0\n", i
    for (i = 0; i < b; i++) { j = i % per
      printf "addr add %s.%d/32 dev bulk%d\n", j < 254 ? "198.51.100" : "203.0.113", j % 254 + 1, int(i / per) } }' \
    >"$tmp/scale.add"
  [ "$extra" = 0 ] || ip -n "$(ns node)" -batch "$tmp/scale.add" || failures=$((failures + 1))
  others >"$tmp/scale.before"
  have=$(wc -l <"$tmp/scale.before")
  echo "scale_have $n $have" >>"$tmp/scale_meta.txt"
  [ "$have" = "$n" ] || { echo "bench: scale: $have addresses on the node, expected $n" >&2; failures=$((failures + 1)); }
  in_ns node "$IPRES" restore bench >>"$tmp/log" 2>&1 || failures=$((failures + 1))
  r=1
  while [ "$r" -le $((SCALE_RUNS + 3)) ]; do
    x=""
    [ "$r" -gt "$SCALE_RUNS" ] && x=-x
    out=$tmp/scale_time.txt
    [ -n "$x" ] && out=$tmp/scale_rss.txt
    for s in quickCheck remove; do
      # shellcheck disable=SC2086
      in_ns node "$RUNSTAT" -o "$out" -l "$n/$s" $x "$IPRES" "$s" bench >>"$tmp/log" 2>&1 || {
        echo "bench: scale $n: $s failed" >&2
        failures=$((failures + 1))
      }
    done
    ! held ipres || { echo "bench: scale $n: remove left $VIP" >&2; failures=$((failures + 1)); }
    in_ns node "$IPRES" restore bench >>"$tmp/log" 2>&1 || failures=$((failures + 1))
    r=$((r + 1))
  done
  in_ns node "$IPRES" remove bench >>"$tmp/log" 2>&1 || failures=$((failures + 1))
  others >"$tmp/scale.after"
  cmp -s "$tmp/scale.before" "$tmp/scale.after" ||
    { echo "bench: scale $n: the other addresses changed" >&2; failures=$((failures + 1)); }
  d=0
  while [ "$d" -lt "$ndev" ]; do
    ip -n "$(ns node)" addr flush dev "bulk$d"
    d=$((d + 1))
  done
  ip -n "$(ns node)" addr flush dev eth0 to 203.0.113.0/24
  printf '.' >&2
done
echo >&2
d=0
while [ "$d" -lt "$ndev" ]; do
  ip -n "$(ns node)" link del "bulk$d"
  d=$((d + 1))
done
scale_failures=$((failures - failures_before_scale))

# The monitor under an ARP flood: namespaces of its own (bench/flood.sh).
echo "bench: the monitor under ${BENCH_FLOOD_RATE:-1000} ARP frames/s, ${BENCH_FLOOD_SECONDS:-60} s on its watched device, then on another" >&2
sh bench/flood.sh "$tmp/flood.txt" || failures=$((failures + 1))
echo "bench: quickCheck per CPU, ${BENCH_CPU_RUNS:-11} runs each (qemu-user but x86_64; for the record)" >&2
sh bench/cpus.sh "$tmp" || failures=$((failures + 1))
: >"$tmp/foot.txt"
for a in x86_64 aarch64 armv7; do
  printf 'size %s %s\n' "$a" "$(stat -c %s "build/bench-$a/ipres")" >>"$tmp/foot.txt"
  if sh tests/alloc_check.sh static "$a" bench >"$tmp/alloc.$a" 2>&1; then
    printf 'alloc %s ok\n' "$a" >>"$tmp/foot.txt"
  else
    printf 'alloc %s FAIL\n' "$a" >>"$tmp/foot.txt"
    failures=$((failures + 1))
  fi
done

{
  echo "date $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "load_before $load_before"
  echo "load_after $load_after"
  echo "runs $RUNS"
  echo "strace_runs $STRACE_RUNS"
  echo "failures $failures"
  echo "resource_agents $(dpkg-query -W -f='${Version}' resource-agents 2>/dev/null)"
  echo "iproute2 $(dpkg-query -W -f='${Version}' iproute2 2>/dev/null)"
  echo "iputils $(dpkg-query -W -f='${Version}' iputils-ping 2>/dev/null)"
  echo "musl $(dpkg-query -W -f='${Version}\n' musl-dev 2>/dev/null | head -n1)"
  echo "busy ${busy:-nothing}"
  echo "strace $(dpkg-query -W -f='${Version}' strace 2>/dev/null)"
  echo "ipres $(git describe --always --dirty 2>/dev/null)"
  echo "scale_runs $SCALE_RUNS"
  echo "scale_failures $scale_failures"
  cat "$tmp/scale_meta.txt"
} >"$tmp/meta.txt"

/usr/bin/python3 bench/report.py "$tmp" bench/RESULTS.md
status=$?
if [ "$failures" != 0 ]; then
  echo "bench: $failures step(s) failed; log:" >&2
  tail -n 40 "$tmp/log" >&2
  exit 1
fi
exit $status
