#!/bin/sh
# Local state and the process's own hygiene (contract.md, "Crashes and local
# state"):
# - started with stdin, stdout and stderr closed, ipres opens /dev/null in
#   their place first: nothing but ARP and IPv4 leaves the device.
#
# $IPRES_QEMU is empty or qemu-user's binary, and single-quoted scripts are
# the inner shell's to expand.
# shellcheck disable=SC2016,SC2086
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/integration/nslib.sh

lan_up
host_up a 192.0.2.2/24
host_up client 192.0.2.10/24

tmp=$(mktemp -d)
trap 'ns_cleanup; rm -rf "$tmp"' EXIT
count_addr() { ip -n "$(ns a)" -4 -o addr show dev eth0 | grep -c " $1/"; }
holds() { [ "$(count_addr "$1")" = 1 ]; }
lacks() { [ "$(count_addr "$1")" = 0 ]; }

# --- closed stdin, stdout and stderr ----------------------------------------------------------
closed() { # CMD...: in node a with fds 0, 1 and 2 closed
  in_ns a sh -c 'exec "$@" 0<&- 1>&- 2>&-' sh "$@"
}
(exec ip netns exec "$(ns a)" tcpdump -i eth0 -Q out --immediate-mode -U -w "$tmp/out.pcap" \
  >/dev/null 2>"$tmp/tcpdump.err") &
capture=$!
wait_for 5 grep -q 'listening' "$tmp/tcpdump.err"
closed $IPRES_QEMU "$IPRES_BIN" restore vip
got=$?
check "restore with stdin, stdout and stderr closed succeeds (exit $got)" test "$got" = 0
check "... and adds the address" holds 192.0.2.100
closed $IPRES_QEMU "$(dirname "$IPRES_BIN")/lkping" -c 1 -W 1 192.0.2.10
got=$?
check "lkping with them closed gets its reply (exit $got)" test "$got" = 0
# The four gratuitous ARPs and lkping's echo at least, before the capture ends.
wait_for 5 sh -c "[ \$(tcpdump -r '$tmp/out.pcap' 2>/dev/null | wc -l) -ge 5 ]"
sleep 0.2
kill -INT "$capture"
wait "$capture"
frames=$(tcpdump -r "$tmp/out.pcap" -n 2>/dev/null | wc -l)
others=$(tcpdump -r "$tmp/out.pcap" -n 'not arp and not ip' 2>/dev/null | wc -l)
check "... nothing but ARP and IPv4 left eth0 ($frames frames, $others others)" \
  test "$others" = 0 -a "$frames" -ge 4
check "... and no log text on the wire" sh -c "! grep -aq 'restore' '$tmp/out.pcap'"
ipres_in a remove vip >/dev/null 2>&1
(in_ns a sh -c 'exec "$@" 0<&- 1>&- 2>&-' sh $IPRES_QEMU "$IPRES_BIN" restore vip-slow) &
slow=$!
wait_for 10 holds 192.0.2.108
p=$(ip netns pids "$(ns a)" | while read -r q; do
  grep -q 'vip-slow' "/proc/$q/cmdline" 2>/dev/null && echo "$q"
done | head -n 1)
stdio=$(for fd in 0 1 2; do readlink "/proc/$p/fd/$fd"; done | tr '\n' ' ')
check "a running restore started so has /dev/null as fds 0-2 (got: $stdio)" \
  test "$stdio" = "/dev/null /dev/null /dev/null "
ipres_in a remove vip-slow >/dev/null 2>&1
wait "$slow"
# /dev/null that cannot be opened (read-only): exit 1, saying so on the
# stderr that is open, before anything is touched.
: >"$tmp/null"
in_ns a unshare -m sh -c 'mount --bind "$0" /dev/null && mount -o remount,bind,ro /dev/null &&
  exec "$@" 0<&-' "$tmp/null" $IPRES_QEMU "$IPRES_BIN" restore vip 2>"$tmp/err"
got=$?
check "with /dev/null unopenable and stdin closed: exit 1 (got $got)" test "$got" = 1
check_text "... saying why" 'ipres: open /dev/null in place of closed fd 0: Read-only file system' \
  "$(cat "$tmp/err")"
check "... and nothing added" lacks 192.0.2.100

summary "state ($IPRES_ARCH)"
