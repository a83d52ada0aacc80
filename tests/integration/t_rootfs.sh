#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The appliance's own boot path: a BusyBox root filesystem (busybox-static,
# ipres, rootfs-overlay) assembled in a temporary folder and entered with
# chroot inside a network namespace; the init script's start, status, stop
# and restart, and the mdev hotplug hook, with IPv4 resources and an IPv6 one
# (v6ha-boot). Addresses are read with iproute2 from outside the chroot. The
# monitor the init script starts watches every tag, the engine-driven
# (AUTOSTART=0) ones too, also on a board that has only those.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh

# busybox-static is the build machine's own CPU and binfmt_misc is not set
# up here, so a foreign ipres cannot run inside the chroot; the scripts
# under test are the same for every CPU.
[ -z "$IPRES_QEMU" ] ||
  skip_test "init script and hotplug in a chroot: x86_64 only (no binfmt_misc for $IPRES_ARCH)" "rootfs ($IPRES_ARCH)"
file -L "$IPRES_BIN" | grep -q 'statically linked' ||
  skip_test "init script and hotplug in a chroot: $IPRES_BIN is not static (the chroot has no libc)" "rootfs ($IPRES_ARCH)"

root=$(mktemp -d)
engine_board=build/rootfs-engine-$IPRES_ARCH
trap 'ns_cleanup; rm -rf "$root" "$engine_board"' EXIT
trap 'ns_cleanup; rm -rf "$root" "$engine_board"; exit 130' INT TERM
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/proc" "$root/dev" \
  "$root/run" "$root/tmp" "$root/var"
ln -s ../run "$root/var/run"
cp -a rootfs-overlay/. "$root/"
cp /bin/busybox "$root/bin/busybox"
chroot "$root" /bin/busybox --install -s /bin
cp "$IPRES_BIN" "$root/usr/sbin/ipres"
ln -s ../sbin/ipres "$root/usr/bin/lkping"
mknod -m 666 "$root/dev/null" c 1 3

lan_hosts a client || exit 1
ns_ipv6 a
ns_ipv6 client
in_ns client sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0 # vip-bcast's check
ip -n "$(ns a)" addr add 2001:db8::2/64 dev eth0 nodad
ip -n "$(ns client)" addr add 2001:db8::10/64 dev eth0 nodad
V6=2001:db8::120 # v6ha-boot, AUTOSTART=1

# in_root CMD...: CMD inside the chroot, inside namespace a, with /proc.
in_root() {
  in_ns a sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$root" "$@"
}
addrs() { ip -n "$(ns a)" -4 -o addr show dev eth0 && ip -n "$(ns a)" -6 -o addr show dev eth0; }
reaches() { in_ns client ping -c1 -W1 "$1" >/dev/null; }

check "busybox ash accepts the init script" busybox sh -n rootfs-overlay/etc/init.d/S41ipres
check "lkping is installed as a link to ipres" test "$(readlink "$root/usr/bin/lkping")" = ../sbin/ipres
check_out "lkping runs by its name in the chroot" '1 received' in_root /usr/bin/lkping -c1 -w1 192.0.2.10
check_out "... and pings an IPv6 address" '1 received' in_root /usr/bin/lkping -c1 -w1 2001:db8::10

check "start restores every AUTOSTART resource" in_root /etc/init.d/S41ipres start
check_out "vip (AUTOSTART=1) is on eth0" ' 192.0.2.100/24 ' addrs
check_out "vip-src (AUTOSTART=1) is on eth0" ' 192.0.2.102/24 ' addrs
check_out "v6ha-boot (AUTOSTART=1, IPv6) is on eth0" " $V6/64 " addrs
check "the client reaches v6ha-boot" reaches "$V6"
check_no_out "vip-bcast (AUTOSTART=0) is left alone" ' 192.0.2.101/' addrs
check_no_out "vip-off (Restore and Recover disabled) is not added" ' 192.0.2.104/' addrs
monitor_pid=$(cat "$root/run/ipres-monitor.pid" 2>/dev/null)
check "the monitor's pid file names a pid ($monitor_pid)" test -n "$monitor_pid"
check_out "that pid is ipres monitor" 'ipres.monitor' tr '\0' ' ' <"/proc/${monitor_pid:-0}/cmdline"
check_out "... started with no TAG: it watches every tag" 'ipres monitor $' \
  tr '\0' ' ' <"/proc/${monitor_pid:-0}/cmdline"
check "status passes while all are healthy" in_root /etc/init.d/S41ipres status
in_root /etc/init.d/S41ipres status >"$root/status.out" 2>/dev/null
check_text "status names the running monitor" "^monitor: running \(pid $monitor_pid\)\$" \
  "$(cat "$root/status.out")"
check_text "... and reports vip (AUTOSTART=1)" '^vip: held here, quickCheck passed \(AUTOSTART=1\)$' \
  "$(cat "$root/status.out")"
check_text "... and vip-bcast (AUTOSTART=0)" \
  '^vip-bcast: not held here \(AUTOSTART=0: its engine decides\)$' "$(cat "$root/status.out")"
# An engine-driven resource: the engine's restore, then a hand delete: the
# init script's monitor puts it back; after the engine's remove it stays absent.
holds_101() { ip -n "$(ns a)" -4 -o addr show dev eth0 | grep -q ' 192.0.2.101/'; }
lacks_101() { ! holds_101; }
check "an engine restores vip-bcast (AUTOSTART=0)" in_root /usr/sbin/ipres restore vip-bcast
ip -n "$(ns a)" addr del 192.0.2.101/24 dev eth0
check "the init script's monitor brings it back after a hand delete" wait_for 10 holds_101
check "the engine removes it" in_root /usr/sbin/ipres remove vip-bcast
check "... and the monitor leaves it absent (3 s)" stays 3 lacks_101
ip -n "$(ns a)" addr del 192.0.2.102/24 dev eth0
check "the monitor brings back an address deleted by hand" \
  wait_for 10 sh -c "ip -n $(ns a) -4 -o addr show dev eth0 | grep -q ' 192.0.2.102/'"
ip -n "$(ns a)" addr del "$V6/64" dev eth0
check "... and an IPv6 one" wait_for 10 sh -c "ip -n $(ns a) -6 -o addr show dev eth0 | grep -q ' $V6/'"
check "the client reaches it again" wait_for 5 reaches "$V6"
ip -n "$(ns br)" link set p-a down
check_exit "status fails when the link is down" 1 in_root /etc/init.d/S41ipres status
ip -n "$(ns br)" link set p-a up
wait_for 5 sh -c "ip -n $(ns a) link show eth0 | grep -q LOWER_UP"
kill "$monitor_pid"
check "the monitor ends on SIGTERM" wait_for 5 sh -c "! kill -0 $monitor_pid 2>/dev/null"
check_exit "status fails when the monitor is not running" 1 in_root /etc/init.d/S41ipres status
in_root /etc/init.d/S41ipres status >"$root/status.out" 2>/dev/null
check_text "... and says so" '^monitor: not running$' "$(cat "$root/status.out")"
check "restart" in_root /etc/init.d/S41ipres restart
check_out "vip is on eth0 after restart" ' 192.0.2.100/24 ' addrs
check_out "v6ha-boot is on eth0 after restart" " $V6/64 " addrs
new_pid=$(cat "$root/run/ipres-monitor.pid" 2>/dev/null)
check "restart started a new monitor ($monitor_pid -> $new_pid)" \
  sh -c "[ -n '$new_pid' ] && [ '$new_pid' != '$monitor_pid' ] && kill -0 '$new_pid'"
check "stop" in_root /etc/init.d/S41ipres stop
check_no_out "stop removed vip" ' 192.0.2.100/' addrs
check_no_out "stop removed vip-src" ' 192.0.2.102/' addrs
check_no_out "stop removed v6ha-boot" " $V6/" addrs
check "stop removed the pid file" test ! -e "$root/run/ipres-monitor.pid"
check "stop ended the monitor" sh -c "[ -n '$new_pid' ] && ! kill -0 '$new_pid' 2>/dev/null"
check_exit "unknown action: usage" 2 in_root /etc/init.d/S41ipres frobnicate

# One failure does not stop the others, and start says so.
ip -n "$(ns a)" addr add 192.0.2.100/24 dev eth0
ip -n "$(ns client)" addr add 192.0.2.102/24 dev eth0  # vip-src held elsewhere: restore fails
check_exit "start fails when one resource cannot come up" 1 in_root /etc/init.d/S41ipres start
check_out "the others still came up" ' 192.0.2.100/24 ' addrs
check_out "... IPv6 too" " $V6/64 " addrs
check_no_out "the duplicate was not added" ' 192.0.2.102/' addrs
in_root /etc/init.d/S41ipres stop >/dev/null 2>&1
ip -n "$(ns client)" addr del 192.0.2.102/24 dev eth0
# The same with the IPv6 one held elsewhere: its duplicate check fails it.
ip -n "$(ns client)" addr add "$V6/64" dev eth0 nodad
check_exit "start fails when the IPv6 one is held elsewhere" 1 in_root /etc/init.d/S41ipres start
check_out "vip still came up" ' 192.0.2.100/24 ' addrs
check_out "... and vip-src" ' 192.0.2.102/24 ' addrs
check_no_out "the IPv6 duplicate was not added" " $V6/" addrs
in_root /etc/init.d/S41ipres stop >/dev/null 2>&1
ip -n "$(ns client)" addr del "$V6/64" dev eth0

# mdev's hook: a device that appears gets its AUTOSTART resources, but not
# one whose last word is a remove, by an engine or by hand: stop above
# removed them all, so the hook leaves them absent.
check "hotplug after a remove: the hook succeeds" \
  in_root env ACTION=add MDEV=eth0 SUBSYSTEM=net /lib/mdev/ipres-net
check_no_out "hotplug after a remove leaves vip absent" ' 192.0.2.100/' addrs
check_no_out "hotplug after a remove leaves v6ha-boot absent" " $V6/" addrs
# Restored (the last word), then the addresses gone (no monitor running), as
# when the device goes and comes back bare: the hook restores them.
check "vip restored" in_root /usr/sbin/ipres restore vip
check "v6ha-boot restored" in_root /usr/sbin/ipres restore v6ha-boot
ip -n "$(ns a)" addr del 192.0.2.100/24 dev eth0
ip -n "$(ns a)" addr del "$V6/64" dev eth0
check "hotplug: a net device added restores the resources on it" \
  in_root env ACTION=add MDEV=eth0 SUBSYSTEM=net /lib/mdev/ipres-net
check_out "hotplug restored vip" ' 192.0.2.100/24 ' addrs
check_out "hotplug restored v6ha-boot" " $V6/64 " addrs
# vip removed by hand, v6ha-boot's address gone: only v6ha-boot comes back.
check "vip removed by hand" in_root /usr/sbin/ipres remove vip
ip -n "$(ns a)" addr del "$V6/64" dev eth0
check "hotplug after vip's remove" in_root env ACTION=add MDEV=eth0 SUBSYSTEM=net /lib/mdev/ipres-net
check_no_out "hotplug leaves the removed vip absent" ' 192.0.2.100/' addrs
check_out "hotplug restored v6ha-boot, still wanted" " $V6/64 " addrs
check "hotplug: other devices and removals do nothing" \
  in_root env ACTION=add MDEV=eth9 SUBSYSTEM=net /lib/mdev/ipres-net
check "hotplug: removal does nothing" in_root env ACTION=remove MDEV=eth0 /lib/mdev/ipres-net
check_out "mdev.conf calls the hook for net devices" '^SUBSYSTEM=net;\.\* .*@/lib/mdev/ipres-net' \
  cat rootfs-overlay/etc/mdev.conf
in_root /etc/init.d/S41ipres stop >/dev/null 2>&1

# A board whose resources a cluster engine drives, all AUTOSTART=0: start
# restores nothing and still starts the monitor (their recovery lives there).
engine_dir=$root/engine-board
mkdir -p "$engine_dir" "$engine_board"
cp board/nstest/board.mk "$engine_dir/"
printf '%s\n' '[lan4]' 'ADDRESS=192.0.2.180/24' 'DEVICE=eth0' 'PINGLIST=192.0.2.10' \
  'AUTOSTART=0' >"$engine_dir/ipres.conf"
# The nstest build's objects, so only the resource table is compiled.
cp -a "build/nstest-$IPRES_ARCH/obj" "$engine_board/" && rm -rf "$engine_board/obj/gen"
make --no-print-directory BOARD=rootfs-engine BOARD_DIR="$engine_dir" ARCH="$IPRES_ARCH" \
  >"$root/make.engine" 2>&1
if cp "$engine_board/ipres" "$root/usr/sbin/ipres" 2>/dev/null; then
  check "engine-only board: start" in_root /etc/init.d/S41ipres start
  engine_pid=$(cat "$root/run/ipres-monitor.pid" 2>/dev/null)
  check "... started the monitor ($engine_pid)" sh -c "[ -n '$engine_pid' ] && kill -0 '$engine_pid'"
  check_no_out "... and restored nothing" ' 192.0.2.180/' addrs
  in_root /etc/init.d/S41ipres status >"$root/status.out" 2>/dev/null
  rc=$?
  check "... status passes (exit $rc)" test "$rc" = 0
  check_text "... and reports lan4" '^lan4: not held here \(AUTOSTART=0: its engine decides\)$' \
    "$(cat "$root/status.out")"
  check "... the engine's restore" in_root /usr/sbin/ipres restore lan4
  ip -n "$(ns a)" addr del 192.0.2.180/24 dev eth0
  check "... the monitor brings it back after a hand delete" \
    wait_for 10 sh -c "ip -n $(ns a) -4 -o addr show dev eth0 | grep -q ' 192.0.2.180/'"
  in_root /usr/sbin/ipres remove lan4 >/dev/null 2>&1
  in_root /etc/init.d/S41ipres stop >/dev/null 2>&1
  check "... stop ends the monitor" sh -c "! kill -0 '$engine_pid' 2>/dev/null"
else
  not_ok "the engine-only board did not build: $(tail -n 5 "$root/make.engine")"
fi

summary "rootfs ($IPRES_ARCH)"
