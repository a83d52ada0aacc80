# SPDX-License-Identifier: Apache-2.0
# The device kinds this kernel can make (contract "Devices"), shared by
# t_devices.sh (IPv4), t_devices6.sh (IPv6) and t_devices_dup.sh (the
# duplicate check, a bridge without carrier): node a's cable eth0 is the one
# port of its bridge br-lan (its own address 192.0.2.2, 2001:db8::2 with
# devices_up ipv6); on br-lan sit keepalived's VMAC vrrp.51 (a macvlan with
# the VRRP MAC and no address of its own, with the sysctls keepalived sets)
# and mv0, a macvlan with a MAC of its own. The client is 192.0.2.10 and
# 2001:db8::10. What crossed the wire is read with tcpdump -e in the client.
# VLANs and bonds need 8021q and bonding, which this kernel lacks: their
# tagged frames are unit-tested on bytes, and tests/boot/t_devices.sh runs
# them in a VM on Debian's kernel.
# shellcheck shell=sh
# shellcheck disable=SC2154 # $tmp: nslib.sh's ns_tmp_with makes it

VMAC=00:00:5e:00:01:33
monitor_pids=""
dump_pid=""
# shellcheck disable=SC2016 # the exit trap expands them
ns_tmp_with 'kill_all $monitor_pids $dump_pid'

# devices_up ipv4|ipv6: the LAN, the client and node a with its devices.
devices_up() {
  lan_up
  host_up a
  host_up client 192.0.2.10/24
  A=$(ns a)
  ip -n "$A" link add br-lan type bridge forward_delay 0 stp_state 0
  ip -n "$A" link set eth0 master br-lan
  ip -n "$A" link set br-lan up
  ip -n "$A" addr add 192.0.2.2/24 dev br-lan
  # keepalived's use_vmac: the macvlan in private mode with the VRRP MAC; on
  # it arp_ignore=1, accept_local=1, rp_filter=0, on its base device
  # arp_ignore=1 and arp_filter=1 (keepalived's vrrp_if_config.c), so each
  # answers ARP only for its own addresses.
  ip -n "$A" link add link br-lan name vrrp.51 address "$VMAC" type macvlan mode private
  ip -n "$A" link add link br-lan name mv0 type macvlan mode bridge
  # (The names with slashes: with dots, procps's sysctl would read vrrp.51 as
  # two levels and set nothing.)
  ip netns exec "$A" sysctl -qw net/ipv4/conf/vrrp.51/arp_ignore=1 \
    net/ipv4/conf/vrrp.51/accept_local=1 net/ipv4/conf/vrrp.51/rp_filter=0 \
    net/ipv4/conf/br-lan/arp_ignore=1 net/ipv4/conf/br-lan/arp_filter=1 \
    net/ipv4/conf/mv0/arp_ignore=1 || return 1
  ip -n "$A" link set vrrp.51 up
  ip -n "$A" link set mv0 up
  [ "${1:-}" = ipv6 ] || return 0
  ns_ipv6 a
  ns_ipv6 client
  ip -n "$A" -6 addr add 2001:db8::2/64 dev br-lan nodad
  in_ns client ip -6 addr add 2001:db8::10/64 dev eth0 nodad
}

now() { date +%s.%N; }
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1000 }'; }
# on DEV ADDR: ADDR is on a's DEV, once. gone ADDR: on none of a's devices.
on() {
  case $2 in
    *:*) [ "$(count_addr6 a "$2" "$1")" = 1 ] ;;
    *) [ "$(count_addr a "$2" "$1")" = 1 ] ;;
  esac
}
gone() {
  case $1 in
    *:*) lacks6 a "$1" ;;
    *) lacks a "$1" ;;
  esac
}
client_reaches() {
  case $1 in
    *:*) in_ns client ping -6 -c1 -W1 "$1" ;;
    *) in_ns client ping -c1 -W1 "$1" ;;
  esac
}

# dump_start FILTER: tcpdump -e of FILTER in the client, returning once it
# listens. dump_stop: its lines in $tmp/dump.txt.
dump_start() {
  rm -f "$tmp/dump.txt" "$tmp/dump.log" # an earlier capture's "listening" must not pass
  in_ns client tcpdump -i eth0 -e -n -l "$1" >"$tmp/dump.txt" 2>"$tmp/dump.log" &
  dump_pid=$!
  tcpdump_listens "$dump_pid" "$tmp/dump.log" 5 || not_ok "tcpdump in the client not listening within 5 s"
}
dump_stop() {
  sleep 0.3
  kill "$dump_pid" 2>/dev/null
  wait "$dump_pid" 2>/dev/null
  dump_pid=""
}
# announced_from MAC ADDR: ADDR's announcements, four at least, every one
# from MAC: gratuitous ARPs (sender and target ADDR, or target the subnet's
# broadcast; broadcast), or unsolicited neighbour advertisements to all nodes.
announced_from() {
  case $2 in
    *:*) grep " > 33:33:00:00:00:01, .*: ICMP6, neighbor advertisement, tgt is $2," \
      "$tmp/dump.txt" >"$tmp/garps.txt" ;;
    *) grep ' > ff:ff:ff:ff:ff:ff, .*\(who-has \('"$2"'\|192.0.2.255\) (ff:ff:ff:ff:ff:ff) tell '"$2"',\|Reply '"$2"' is-at\)' \
      "$tmp/dump.txt" >"$tmp/garps.txt" ;;
  esac
  [ "$(wc -l <"$tmp/garps.txt")" -ge 4 ] && ! grep -v "^[0-9:.]* $1 > " "$tmp/garps.txt"
}

# kind TAG DEV ADDR MAC: restore, the announcements, quickCheck, status,
# ready, remove.
kind() {
  case $3 in
    *:*) dump_start "icmp6 and ip6[40] == 136" ;;
    *) dump_start "arp src host $3" ;;
  esac
  expect "$2: restore $1" 0 a restore "$1"
  dump_stop
  check "$2: $3 on $2" on "$2" "$3"
  check "$2: the four announcements from $4 (tcpdump -e)" announced_from "$4" "$3"
  check "$2: the client reaches $3" client_reaches "$3"
  expect "$2: quickCheck $1" 0 a quickCheck "$1"
  expect "$2: status $1" 0 a status "$1"
  expect "$2: ready $1" 0 a ready "$1"
  expect "$2: remove $1" 0 a remove "$1"
  check "$2: $3 gone" gone "$3"
}

# ready_from TAG DEV SOURCE: `ready TAG` without the address pings from
# SOURCE, the node's own address of the subnet (on a VMAC: its base
# device's), as the client's capture shows.
ready_from() {
  case $3 in
    *:*) dump_start "icmp6 and ip6[40] == 128" ;;
    *) dump_start "icmp[icmptype] = icmp-echo" ;;
  esac
  expect "$2: ready $1 without the address" 0 a ready "$1"
  dump_stop
  check_text "$2: ready's echo came from $3" " $3 > [0-9a-f:.]*: ICMP6?,? echo request" "$(cat "$tmp/dump.txt")"
}

# dup_refused TAG DEV ADDR BY: while holder h holds ADDR, restore fails,
# in use (it answered BY), and never adds ADDR.
dup_refused() {
  expect "$2: restore $1 while h holds $3 fails" 1 a restore "$1"
  check_text "$2: restore says $3 is in use (it answered $4)" \
    "duplicate check: $3 in use on the network \\(it answered $4\\)" "$(cat "$tmp/err")"
  check_no_out "$2: restore never added $3" "restore: add $3/" cat "$tmp/err"
  check "$2: $3 not on node a" gone "$3"
}

# monitor_start TAG: `ipres monitor TAG` in a, its output in
# $tmp/mon-TAG.log, once its first quickCheck ran.
monitor_start() {
  (ipres_exec a monitor "$1" >"$tmp/mon-$1.log" 2>&1) &
  echo $! >"$tmp/mon-$1.pid"
  monitor_pids="$monitor_pids $!"
  wait_for 20 grep -q "$1: monitor: quickCheck: passed" "$tmp/mon-$1.log"
}
# monitor_stop TAG: SIGTERM to its monitor, reaped.
monitor_stop() {
  stop_pid "$(cat "$tmp/mon-$1.pid")" 10
}
# backs_after SINCE WHAT TAG,DEV,ADDR...: each ADDR on its DEV again within
# 20 s, every one looked at every 50 ms; prints and checks each one's time
# from SINCE (now's), 1 s at most. Sets tag, dev and addr (split_res).
backs_after() {
  _d_since=$1
  _d_what=$2
  shift 2
  _d_left="$*"
  _d_end=$(($(date +%s) + 20))
  while [ -n "$_d_left" ] && [ "$(date +%s)" -le "$_d_end" ]; do
    _d_still=""
    for _d_r in $_d_left; do
      split_res "$_d_r"
      if on "$dev" "$addr"; then
        _d_ms=$(ms_between "$_d_since" "$(now)")
        echo "measured ($IPRES_ARCH, $dev, $tag): $_d_what -> address back ${_d_ms} ms"
        check "monitor $tag: $addr back on $dev within 1 s of $_d_what (${_d_ms} ms)" \
          test "$_d_ms" -le 1000
      else
        _d_still="$_d_still $_d_r"
      fi
    done
    _d_left=$_d_still
    sleep 0.05
  done
  for _d_r in $_d_left; do not_ok "monitor: $_d_r not back within 20 s of $_d_what"; done
}

# split_res TAG,DEV,ADDR: sets tag, dev and addr.
split_res() {
  IFS=, read -r tag dev addr <<EOF_R
$1
EOF_R
}

# monitors_across_pull TAG,DEV,ADDR...: one monitor per resource, each
# having recovered once (so its packet sockets are open, as in a long run);
# node a's cable pulled (its bridge port p-a down) until each one's recovers
# failed three times and backed off, then plugged back: each address back
# within 1 s of the carrier (backs_after), the client reaches it, and no
# recover failed after the carrier returned.
monitors_across_pull() {
  for _d_r in "$@"; do
    split_res "$_d_r"
    check "$tag: restore for the monitor" ipres_in a restore "$tag"
    monitor_start "$tag"
    ip -n "$A" addr del "$addr/$(case $addr in *:*) echo 64 ;; *) echo 24 ;; esac)" dev "$dev"
    check "monitor $tag: the deleted address is back" wait_for 10 on "$dev" "$addr"
    wait_for 10 grep -q "$tag: monitor: recovered" "$tmp/mon-$tag.log"
  done
  ip -n "$(ns br)" link set p-a down
  for _d_r in "$@"; do
    split_res "$_d_r"
    check "monitor $tag: the cable pull is seen" \
      wait_for 10 grep -q 'is down or lost carrier' "$tmp/mon-$tag.log"
  done
  for _d_r in "$@"; do
    split_res "$_d_r"
    check "monitor $tag: its recovers fail and back off" \
      wait_for 30 grep -q 'recover failed (3 in a row)' "$tmp/mon-$tag.log"
    wc -l <"$tmp/mon-$tag.log" >"$tmp/mark-$tag"
  done
  ip -n "$(ns br)" link set p-a up
  backs_after "$(now)" "the carrier back" "$@"
  for _d_r in "$@"; do
    split_res "$_d_r"
    check "monitor $tag: the client reaches $addr again" wait_for 5 client_reaches "$addr"
    check_no_out "monitor $tag: no recover failed after the carrier returned" \
      'recover failed|Network is down|backing off' tail -n +"$(($(cat "$tmp/mark-$tag") + 1))" "$tmp/mon-$tag.log"
    check "monitor $tag: stops on SIGTERM" monitor_stop "$tag"
    ipres_in a remove "$tag" >/dev/null 2>&1
  done
}
