#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A keepalived pair booted under qemu-system (x86_64 only: the host's own
# keepalived and the libraries ldd names, as one more cpio), with the example
# keepalived.conf: gw-a boots first and is elected, its notify_master has
# ipres restore ip-gw; gw-b boots and stays BACKUP; the client reaches the
# address at gw-a's MAC; gw-a powered off, gw-b takes over and the client's
# entry follows; gw-b powered off, nobody answers. The nodes boot one after
# the other: with nopreempt, a gw-b that is master first (it booted faster)
# keeps the address when gw-a's higher priority arrives, as it should.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/boot/lib.sh

arch=${IPRES_ARCH:-x86_64}
if [ "$arch" != x86_64 ]; then
  skip "keepalived pair: x86_64 only (the build machine's keepalived and its libraries)"
  summary "keepalived boot ($arch)"
  exit $?
fi
boot_inputs "$arch" || exit 1
ka="$kernel/keepalived.cpio.gz"

# keepalived, every library ldd names (at the same paths) and
# tests/boot/keepalived/ (its init script).
if [ ! -s "$ka" ] ||
  [ -n "$(find /usr/sbin/keepalived tests/boot/keepalived -newer "$ka" 2>/dev/null)" ]; then
  stage="$kernel/keepalived-root"
  rm -rf "$stage"
  for f in /usr/sbin/keepalived $(ldd /usr/sbin/keepalived | awk '/=>/ { print $3 } /^\t\// { print $1 }'); do
    mkdir -p "$stage$(dirname "$f")"
    cp -L "$f" "$stage$f"
  done
  cp -a tests/boot/keepalived/. "$stage/"
  (cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
    cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -9n >"$ka.tmp" && mv "$ka.tmp" "$ka"
fi
echo "keepalived cpio: $(stat -c %s "$ka") bytes"

holds_gw='ip -4 -o addr show dev eth0 | grep -q " 192.0.2.1/"'

boot_init || exit 1
vm_start "ka-client" "$arch" "$client_mac" "bt.ip=192.0.2.10/24 bt.ip6=2001:db8::10/64 bt.name=client" \
  "$image" "$kernel/modules.cpio.gz" "$BOOT_OUT/client.cpio.gz"
check "the client boots" vm_boot "ka-client" 120
vm_start "ka-a" "$arch" "$a_mac" "bt.ip=192.0.2.2/24 bt.ip6=2001:db8::2/64 bt.name=gw-a" \
  "$image" "$kernel/modules.cpio.gz" "$ka"
check "gw-a boots" vm_boot "ka-a" 120
out=$(vm_until ka-a "$holds_gw" 30)
check_text "gw-a, alone, is elected and holds 192.0.2.1" '^took ' "$out"
echo "gw-a's last init script -> it holds 192.0.2.1 (guest clock): $(took "$out")"
check_out "gw-a's keepalived entered MASTER" 'Keepalived_vrrp.*ip_gw.*Entering MASTER STATE' vm_run ka-a "logread"
check_out "gw-a's notify_master ran ipres restore ip-gw" 'ipres\[[0-9]+\]: ip-gw: restore: add 192\.0\.2\.1/24 on eth0: done' \
  vm_run ka-a "logread"
vm_start "ka-b" "$arch" "$b_mac" "bt.ip=192.0.2.3/24 bt.ip6=2001:db8::3/64 bt.name=gw-b" \
  "$image" "$kernel/modules.cpio.gz" "$ka"
check "gw-b boots" vm_boot "ka-b" 120
echo "boot time (keepalived images): gw-a $(vm_boot_time ka-a), gw-b $(vm_boot_time ka-b)"
out=$(vm_until ka-b "logread | grep -q 'Keepalived_vrrp.*ip_gw.*Entering BACKUP STATE'" 20)
check_text "gw-b's keepalived is BACKUP" '^took ' "$out"
sleep 5
check_no_out "gw-b does not take it" ' 192\.0\.2\.1/' vm_run ka-b "ip -4 -o addr show dev eth0"
check_no_out "gw-b's keepalived never was MASTER" 'Entering MASTER STATE' vm_run ka-b "logread"
check "the client pings 192.0.2.1" vm_run ka-client "ping -c 2 -W 2 192.0.2.1" 30
check_out "the client's entry for 192.0.2.1 is gw-a's MAC" "lladdr $a_mac" \
  vm_run ka-client "ip neigh show 192.0.2.1"

# gw-a powered off: its keepalived stops (notify_stop: ipres remove), gw-b
# is elected and restores the address.
vm_ping_start ka-client 192.0.2.1
vm_send ka-a poweroff
out=$(vm_until ka-b "$holds_gw" 30)
check_text "gw-b took 192.0.2.1 over" '^took ' "$out"
echo "poweroff typed on gw-a -> gw-b holds 192.0.2.1 (guest clock of gw-b): $(took "$out")"
check "gw-a powered off" vm_gone ka-a 60
out=$(vm_until ka-client "ping -c 1 -W 1 192.0.2.1 >/dev/null" 20)
check_text "the client reaches 192.0.2.1 again" '^took ' "$out"
check_out "the client's entry followed to gw-b's MAC" "lladdr $b_mac" \
  vm_run ka-client "ip neigh show 192.0.2.1"
echo "the client's pings every 0.1 s across the takeover: $(vm_ping_gap ka-client)"

check "gw-b powers off" vm_poweroff ka-b 60
check_exit "the client no longer gets a reply from 192.0.2.1" 1 \
  vm_run ka-client "ping -c 2 -W 1 192.0.2.1" 30
check "the client powers off" vm_poweroff ka-client 60
summary "keepalived boot ($arch)"
