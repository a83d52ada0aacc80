# IPv6 in the test namespaces (ns_add leaves it disabled). Source after nslib.sh.
# shellcheck shell=sh

# ipv6_up NAME [ADDR/PREFIX [DEV]]: IPv6 on in namespace NAME (DEV, eth0 by
# default), with ADDR when given. The kernel's own duplicate-address
# detection is off on DEV, so its link-local address and ADDR are usable at
# once (nobody else holds them; the resources' checks are ipres's own), and
# DEV keeps its addresses when a test takes it down, as IPv4 does.
ipv6_up() {
  _v6_ns=$(ns "$1")
  _v6_dev=${3:-eth0}
  ip netns exec "$_v6_ns" sysctl -qw "net.ipv6.conf.$_v6_dev.accept_dad=0" \
    "net.ipv6.conf.$_v6_dev.keep_addr_on_down=1" \
    net.ipv6.conf.all.disable_ipv6=0 "net.ipv6.conf.$_v6_dev.disable_ipv6=0" || return 1
  [ -n "${2:-}" ] && ip -n "$_v6_ns" addr add "$2" dev "$_v6_dev" nodad
  return 0
}
