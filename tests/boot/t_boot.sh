#!/bin/sh
# First boot of a node image under qemu-system with its CPU's own Debian
# kernel, beside a client VM on the multicast LAN: init (rcS, S41ipres)
# restores the AUTOSTART resource and starts `ipres monitor` (ps, syslog),
# the client reaches the address at the node's MAC, and a clean poweroff
# runs the stop scripts (the address is removed, the client gets no reply).
# Prints the boot times (qemu start to the last init script).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/boot/lib.sh

arch=${IPRES_ARCH:-x86_64}
image="build/boottest-$arch/rootfs.cpio.gz"
kernel="$BOOT_OUT/$arch"
for f in "$image" "$kernel/kernel" "$kernel/modules.cpio.gz" "$BOOT_OUT/client.cpio.gz"; do
  [ -f "$f" ] || { echo "t_boot: $f missing (tests/boot/run.sh makes it)" >&2; exit 1; }
done
node_mac=52:54:00:12:00:02
client_mac=52:54:00:12:00:0a

boot_init || exit 1
vm_start "$arch-client" "$arch" "$client_mac" "bt.ip=192.0.2.10/24 bt.name=client" \
  "$image" "$kernel/modules.cpio.gz" "$BOOT_OUT/client.cpio.gz"
check "the client boots" vm_boot "$arch-client" 120

vm_start "$arch-a" "$arch" "$node_mac" "bt.ip=192.0.2.2/24 bt.name=node-a" \
  "$image" "$kernel/modules.cpio.gz"
check "node a boots" vm_boot "$arch-a" 120
echo "boot time ($arch, kernel $(cat "$kernel/release")): node a $(vm_boot_time "$arch-a")," \
  "client $(vm_boot_time "$arch-client")"

# Init did its part.
check_out "init restored vip: 192.0.2.100/24 on eth0" ' 192\.0\.2\.100/24 ' \
  vm_run "$arch-a" "ip -4 -o addr show dev eth0"
check_out "init started ipres monitor" 'ipres monitor' vm_run "$arch-a" "ps"
check "the monitor's pid file names a live process" \
  vm_run "$arch-a" 'kill -0 $(cat /var/run/ipres-monitor.pid)'
check_out "syslog has the restore" 'ipres.*vip: restore: .*done' vm_run "$arch-a" "logread"
check_out "syslog has the monitor watching vip" 'ipres.*vip: monitor: watching 192\.0\.2\.100 on eth0' \
  vm_run "$arch-a" "logread"

# The client reaches it, at node a's MAC.
check "the client pings 192.0.2.100" vm_run "$arch-client" "ping -c 3 -W 2 192.0.2.100" 30
check_out "the client's neighbour entry for 192.0.2.100 is node a's MAC" "lladdr $node_mac" \
  vm_run "$arch-client" "ip neigh show 192.0.2.100"

# A clean poweroff runs S41ipres stop: the monitor ends, vip is removed.
check "node a powers off" vm_poweroff "$arch-a" 60
log=$(tr -d '\r' <"$(vm_log "$arch-a")")
check_text "the stop scripts removed vip" '^vip: remove: .*192\.0\.2\.100.*done' "$log"
check_exit "the client no longer gets a reply from 192.0.2.100" 1 \
  vm_run "$arch-client" "ping -c 2 -W 1 192.0.2.100" 30
check "the client powers off" vm_poweroff "$arch-client" 60
summary "boot ($arch)"
