# SPDX-License-Identifier: Apache-2.0
# Network-namespace helpers for the integration tests, with tests/lib.sh's
# checks. Source from the repository's top folder.
# Every namespace a test makes is named "$NS_PREFIX<name>" and removed on exit,
# whether the test passes, fails or is interrupted. Only TEST-NET addresses
# are used, and every link lives inside these namespaces: the bridge too, so
# nothing reaches the machine's own network.
# shellcheck shell=sh

. tests/lib.sh

: "${NS_PREFIX:=ipt$$-}"
NS_LIST=""

# PY: the system python3, which has scapy; a python3 earlier on PATH (pyenv)
# may not.
# shellcheck disable=SC2034 # read by the tests that craft packets
PY=/usr/bin/python3

# The binary under test: set by run.sh per CPU (qemu-user for all but x86_64).
: "${IPRES_ARCH:=x86_64}"
: "${IPRES_BIN:=build/nstest-$IPRES_ARCH/ipres}"
case $IPRES_ARCH in
  x86_64) IPRES_QEMU="" ;;
  aarch64) IPRES_QEMU="qemu-aarch64-static" ;;
  armv7) IPRES_QEMU="qemu-arm-static" ;;
  mipsel) IPRES_QEMU="qemu-mipsel-static" ;;
  # Debian's qemu-mips with its rtnetlink fix (toolchain/qemu-source.sh).
  mips)
    IPRES_QEMU="$PWD/build/qemu/qemu-mips"
    [ -x "$IPRES_QEMU" ] || { echo "nslib.sh: no $IPRES_QEMU (make integration-test builds it)" >&2; exit 1; }
    ;;
  *) echo "nslib.sh: unknown IPRES_ARCH '$IPRES_ARCH'" >&2; exit 2 ;;
esac

ns_cleanup() {
  for _ns_n in $NS_LIST; do
    ip netns pids "$_ns_n" 2>/dev/null | xargs -r kill -9 2>/dev/null
    ip netns del "$_ns_n" 2>/dev/null
  done
  NS_LIST=""
}
trap 'ns_cleanup' EXIT
trap 'ns_cleanup; exit 130' INT TERM

# ns NAME: the full namespace name.
ns() { printf '%s%s' "$NS_PREFIX" "$1"; }

# in_ns NAME CMD...: runs CMD inside namespace NAME.
in_ns() {
  _ns_n=$1
  shift
  ip netns exec "$(ns "$_ns_n")" "$@"
}

# ipres_in NAME ARGS...: runs the ipres under test inside namespace NAME.
ipres_in() {
  _ns_n=$1
  shift
  # shellcheck disable=SC2086
  ip netns exec "$(ns "$_ns_n")" $IPRES_QEMU "$IPRES_BIN" "$@"
}

# ipres_exec NAME ARGS...: replaces the calling (sub)shell with ipres in
# namespace NAME, so `(ipres_exec a restore x) &` leaves $! = ipres's pid
# (ip netns exec execs too) for tests that signal it.
ipres_exec() {
  _ns_n=$1
  shift
  # shellcheck disable=SC2086
  exec ip netns exec "$(ns "$_ns_n")" $IPRES_QEMU "$IPRES_BIN" "$@"
}

# lkping_in NAME ARGS...: the same binary called as lkping.
lkping_in() {
  _ns_n=$1
  shift
  # shellcheck disable=SC2086
  ip netns exec "$(ns "$_ns_n")" $IPRES_QEMU "$(dirname "$IPRES_BIN")/lkping" "$@"
}

ns_add() {
  _ns_full=$(ns "$1")
  ip netns add "$_ns_full" || return 1
  NS_LIST="$NS_LIST $_ns_full"
  ip -n "$_ns_full" link set lo up
  # No IPv6 chatter (DAD, router solicitations) in captures.
  ip netns exec "$_ns_full" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

# lan_up: a namespace "br" holding bridge br0.
lan_up() {
  ns_add br || return 1
  ip -n "$(ns br)" link add br0 type bridge forward_delay 0 stp_state 0 || return 1
  ip -n "$(ns br)" link set br0 up
}

# host_up NAME [ADDR/PREFIX [DEV]]: a namespace whose DEV (eth0) is a veth on
# the bridge, carrying ADDR when given. The bridge port is named "p-NAME".
host_up() {
  _ns_name=$1
  _ns_addr=${2:-}
  _ns_dev=${3:-eth0}
  ns_add "$_ns_name" || return 1
  ip -n "$(ns "$_ns_name")" link add "$_ns_dev" type veth peer name "p-$_ns_name" netns "$(ns br)" || return 1
  ip -n "$(ns br)" link set "p-$_ns_name" master br0 up
  ip -n "$(ns "$_ns_name")" link set "$_ns_dev" up
  [ -n "$_ns_addr" ] && ip -n "$(ns "$_ns_name")" addr add "$_ns_addr" dev "$_ns_dev"
  return 0
}

# lan_addr NODE: the last number of NODE's usual address on the LAN
# (192.0.2.N/24, 2001:db8::N/64), as the tests' comments and board/nstest's
# resources know them: a 2, b 3, c and d 4, client 10, obs 11, intruder and
# evil 66.
lan_addr() {
  case $1 in
    a) echo 2 ;;
    b) echo 3 ;;
    c | d) echo 4 ;;
    client) echo 10 ;;
    obs) echo 11 ;;
    intruder | evil) echo 66 ;;
    *)
      echo "nslib.sh: no usual LAN address for '$1'" >&2
      return 1
      ;;
  esac
}
# lan_hosts NODE...: the LAN (lan_up) and each NODE on it (host_up) with its
# usual IPv4 address (lan_addr).
lan_hosts() {
  lan_up || return 1
  for _ns_h in "$@"; do
    _ns_a=$(lan_addr "$_ns_h") && host_up "$_ns_h" "192.0.2.$_ns_a/24" || return 1
  done
}
# lan_hosts6 NODE[+dad]...: the LAN and each NODE on it with IPv6 on and its
# usual IPv6 address (host_up6); NODE+dad with the kernel's DAD on its eth0.
lan_hosts6() {
  lan_up || return 1
  for _ns_h in "$@"; do
    _ns_a=$(lan_addr "${_ns_h%+dad}") || return 1
    [ "${_ns_h%+dad}" = "$_ns_h" ] && _ns_d="" || _ns_d=dad
    host_up6 "${_ns_h%+dad}" "2001:db8::$_ns_a/64" "$_ns_d" || return 1
  done
}
# kill_all PID...: SIGTERM to each PID still running (none given: nothing).
kill_all() {
  for _ns_p in "$@"; do kill "$_ns_p" 2>/dev/null; done
}
# ns_tmp: $tmp, a directory of the test's own, removed on exit after the
# namespaces (ns_cleanup); an interrupt (INT, TERM) exits 130 through that.
# ns_tmp_with CLEANUP: the same, with the shell commands CLEANUP (the test's
# own processes to end) run first on exit.
ns_tmp() { ns_tmp_with :; }
ns_tmp_with() {
  tmp=$(mktemp -d) || exit 1
  # shellcheck disable=SC2064 # CLEANUP is the caller's, to run as it is
  trap "$1; ns_cleanup; rm -rf \"\$tmp\"" EXIT
  trap 'exit 130' INT TERM
}

# wait_for SECONDS CMD...: polls CMD every 50 ms until it succeeds.
wait_for() {
  _ns_limit=$1
  shift
  _ns_end=$(($(date +%s) + _ns_limit))
  while ! "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -gt "$_ns_end" ] && return 1
    sleep 0.05
  done
  return 0
}

# mac_of NAME [DEV]: the MAC address of DEV in namespace NAME.
mac_of() { in_ns "$1" cat "/sys/class/net/${2:-eth0}/address"; }

# count_addr NODE ADDR [DEV]: how many times ADDR (any prefix) is on NODE's
# DEV, or on any of NODE's devices.
count_addr() {
  if [ -n "${3:-}" ]; then
    ip -n "$(ns "$1")" -4 -o addr show dev "$3" | grep -c " $2/"
  else
    ip -n "$(ns "$1")" -4 -o addr show | grep -c " $2/"
  fi
}
# holds NODE ADDR: ADDR is on NODE's eth0, once. lacks NODE ADDR: it is on
# none of NODE's devices.
holds() { [ "$(count_addr "$1" "$2" eth0)" = 1 ]; }
lacks() { [ "$(count_addr "$1" "$2")" = 0 ]; }

# expect DESCRIPTION STATUS NODE ARGS...: ipres ARGS in NODE exits with
# STATUS; its output stays in $tmp/out and $tmp/err (the test makes $tmp).
expect() {
  _ns_desc=$1
  _ns_want=$2
  shift 2
  # shellcheck disable=SC2154 # $tmp is the test's
  ipres_in "$@" >"$tmp/out" 2>"$tmp/err"
  _ns_got=$?
  if [ "$_ns_got" = "$_ns_want" ]; then
    ok "$_ns_desc (exit $_ns_got)"
  else
    not_ok "$_ns_desc: exit $_ns_got, expected $_ns_want; stderr: $(expect_stderr)"
  fi
}
# expect_stderr: what a failed expect quotes of $tmp/err; a test whose logs
# end in the reason defines its own.
expect_stderr() { head -c 600 "$tmp/err"; }
# stays SECONDS CMD...: CMD holds at every sample (every 0.1 s) for SECONDS.
stays() {
  end=$(($(date +%s%N) / 1000000 + $1 * 1000))
  shift
  while [ $(($(date +%s%N) / 1000000)) -lt "$end" ]; do
    "$@" || return 1
    sleep 0.1
  done
}

# --- IPv6 -----------------------------------------------------------------------
# ns_ipv6 NAME [dad]: IPv6 on in namespace NAME (ns_add turns it off), for
# every device it has and will have. No router solicitations, no router
# advertisements taken, and no DAD for the link-local addresses the kernel
# makes now, so captures hold only what a test sends. With "dad", every
# address added later on eth0 goes through the kernel's DAD, as on a real
# node (ipres's IFA_F_NODAD must skip it), its probe sent at once instead of
# after a random delay of up to router_solicitation_delay (1 s).
# keep_addr_on_down=1: a device set down keeps its IPv6 addresses, as it
# keeps IPv4 ones (by default the kernel drops them all, the node's own
# address too, when ipres bounces the link).
ns_ipv6() {
  _ns_full=$(ns "$1")
  # /sys/class/net as `ip netns exec` mounts it for the namespace: `ip link
  # show` would complain about veth peers in namespaces other tests delete.
  # The names with slashes: a device's name may hold a dot (vrrp.51).
  for _ns_c in all default $(ip netns exec "$_ns_full" ls /sys/class/net); do
    ip netns exec "$_ns_full" sysctl -qw "net/ipv6/conf/$_ns_c/accept_dad=0" \
      "net/ipv6/conf/$_ns_c/router_solicitations=0" "net/ipv6/conf/$_ns_c/accept_ra=0" \
      "net/ipv6/conf/$_ns_c/keep_addr_on_down=1" \
      "net/ipv6/conf/$_ns_c/router_solicitation_delay=0" || return 1
  done
  ip netns exec "$_ns_full" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
    net.ipv6.conf.default.disable_ipv6=0 || return 1
  [ "${2:-}" != dad ] || ip netns exec "$_ns_full" sysctl -qw net.ipv6.conf.eth0.accept_dad=1
}

# host_up6 NAME ADDR6/PREFIX [dad]: host_up with IPv6 on (ns_ipv6) and
# ADDR6 on eth0, added without DAD (it is the node's own, known unique).
host_up6() {
  host_up "$1" || return 1
  ns_ipv6 "$1" "${3:-}" || return 1
  ip -n "$(ns "$1")" -6 addr add "$2" dev eth0 nodad
}

# count_addr6 NODE ADDR [DEV]: how many times ADDR (any prefix) is on NODE's
# DEV, or on any of NODE's devices; ADDR as iproute2 prints it.
count_addr6() {
  if [ -n "${3:-}" ]; then
    ip -n "$(ns "$1")" -6 -o addr show dev "$3" | grep -c " $2/"
  else
    ip -n "$(ns "$1")" -6 -o addr show | grep -c " $2/"
  fi
}
# holds6 NODE ADDR: ADDR is on NODE's eth0, once, and in service (neither
# tentative nor dadfailed). lacks6 NODE ADDR: it is on none of NODE's devices.
holds6() {
  [ "$(count_addr6 "$1" "$2" eth0)" = 1 ] &&
    ! ip -n "$(ns "$1")" -6 -o addr show dev eth0 | grep " $2/" | grep -qE 'tentative|dadfailed'
}
lacks6() { [ "$(count_addr6 "$1" "$2")" = 0 ]; }
# flags6 NODE ADDR: the flags iproute2 shows for ADDR on NODE's eth0.
flags6() { ip -n "$(ns "$1")" -6 -o addr show dev eth0 | grep " $2/" | sed 's/.* scope [a-z]* //; s/\\.*//'; }

# skip_test WHY SUMMARY: ends the test here, reporting one skip (WHY) and
# the closing line "SUMMARY: 0 passed, 0 failed, 1 skipped".
skip_test() {
  skip "$1"
  summary "$2"
  exit $?
}

# needs_ndp_socket SUMMARY: ends the test, reporting one skip, where the
# binary runs under qemu-user: qemu does not emulate IPV6_HDRINCL (setsockopt
# fails with ENOPROTOOPT), which the IPv6 duplicate-address probe's socket
# needs, so no IPv6 restore can run there. On aarch64 and armv7 the IPv6
# resource runs on the CPU's own kernel in the boot tests (tests/boot); no
# boot test runs the MIPS binaries yet.
needs_ndp_socket() {
  ndp_socket_or_skip && return 0
  summary "$1"
  exit $?
}
# ndp_socket_or_skip: for a test whose IPv6 part alone needs the probe's
# socket: returns 0 where IPv6 restores can run, else reports one skip (as
# needs_ndp_socket) and returns 1.
ndp_socket_or_skip() {
  [ -z "$IPRES_QEMU" ] && return 0
  case $IPRES_ARCH in
    mipsel | mips) _ns_where="no boot test runs the $IPRES_ARCH binary yet" ;;
    *) _ns_where="the $IPRES_ARCH binary's IPv6 resource is booted on its own kernel by tests/boot" ;;
  esac
  skip "IPv6 restore under $IPRES_QEMU: qemu-user does not emulate IPV6_HDRINCL; $_ns_where"
  return 1
}
# family ADDR: iproute2's family option for ADDR, -6 or -4 (an address with
# no family option shows the link lines too).
family() { case $1 in *:*) echo -6 ;; *) echo -4 ;; esac; }

# --- processes and captures -------------------------------------------------------
# pid_alive PID: PID runs (a zombie, ended but not yet waited for, does not).
pid_alive() {
  _ns_stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  _ns_state=${_ns_stat##*) }
  [ "${_ns_state%% *}" != Z ]
}
# stop_pid PID [SECONDS]: SIGTERM to PID, a child of this shell; waits up to
# SECONDS (5) for it to end, then SIGKILL; reaps it. Fails when it took the
# SIGKILL.
stop_pid() {
  kill "$1" 2>/dev/null
  _ns_n=0
  while pid_alive "$1" && [ "$_ns_n" -lt $((${2:-5} * 10)) ]; do
    sleep 0.1
    _ns_n=$((_ns_n + 1))
  done
  _ns_rc=0
  if pid_alive "$1"; then
    kill -9 "$1" 2>/dev/null
    _ns_rc=1
  fi
  wait "$1" 2>/dev/null
  return $_ns_rc
}
# tcpdump_listens PID LOG [SECONDS]: waits until the tcpdump PID runs and
# LOG, its stderr, which the caller made anew for it, says it listens; fails
# when it ended first or SECONDS (10) passed.
tcpdump_listens() {
  _ns_end=$(($(date +%s) + ${3:-10}))
  while ! grep -q 'listening on' "$2" 2>/dev/null; do
    pid_alive "$1" || return 1
    [ "$(date +%s)" -gt "$_ns_end" ] && return 1
    sleep 0.05
  done
  pid_alive "$1"
}

# capture_start FILE NODE FILTER [DEV]: tcpdump of FILTER on NODE's DEV
# (eth0) into FILE.pcap, its messages in FILE.log, both made anew (nothing
# an earlier capture of the same name wrote can pass for this one's); its
# pid in $capture_pid (ip netns exec execs it). Returns once this tcpdump
# runs and says it listens; after 10 s without, the check fails, naming it.
capture_start() {
  rm -f "$1.pcap" "$1.log" "$1.hex" "$1.txt"
  ip netns exec "$(ns "$2")" tcpdump --immediate-mode -i "${4:-eth0}" -n -U -w "$1.pcap" "$3" 2>"$1.log" &
  capture_pid=$!
  tcpdump_listens "$capture_pid" "$1.log" 10 && return 0
  not_ok "capture $(basename "$1") on $2 ${4:-eth0}: tcpdump (pid $capture_pid) not listening within 10 s:" \
    "$(head -c 300 "$1.log" 2>/dev/null)"
  stop_pid "$capture_pid" 2
  return 1
}
# capture_stop FILE [COUNT]: waits until COUNT frames are in FILE.pcap (a
# moment when none given), stops tcpdump (stop_pid: SIGKILL when SIGTERM did
# not end it in 5 s), and writes FILE.hex (one line of hex per frame) and
# FILE.txt (tcpdump -e -vv).
capture_stop() {
  if [ -n "${2:-}" ]; then
    wait_for 5 sh -c "[ \$(tcpdump -r '$1.pcap' 2>/dev/null | wc -l) -ge $2 ]"
  else
    sleep 0.3
  fi
  stop_pid "$capture_pid" 5 ||
    echo "# capture $(basename "$1"): tcpdump (pid $capture_pid) still ran 5 s after SIGTERM; killed"
  tcpdump -r "$1.pcap" -n -xx 2>/dev/null | awk '
    /^[^ \t]/ { if (f != "") print f; f = ""; next }
    { for (i = 2; i <= NF; i++) f = f $i }
    END { if (f != "") print f }' >"$1.hex"
  tcpdump -r "$1.pcap" -n -e -vv 2>/dev/null >"$1.txt"
}

# restores_at_once NODE TAG N: N restores of TAG on NODE started together,
# each one's output in $tmp/cI; all of them given 60 s to end. $waited: how
# many ended within that time, their exit status collected (one still
# running then is killed and not counted); $fails: how many of those exited
# non-zero; $codes: the exit statuses in order ("killed" for one that did
# not end).
restores_at_once() {
  _ns_i=0
  _ns_pids=""
  while [ $_ns_i -lt "$3" ]; do
    (ipres_exec "$1" restore "$2" >"$tmp/c$_ns_i" 2>&1) &
    _ns_pids="$_ns_pids $!"
    _ns_i=$((_ns_i + 1))
  done
  _ns_end=$(($(date +%s) + 60))
  fails=0
  waited=0
  codes=""
  for _ns_p in $_ns_pids; do
    while pid_alive "$_ns_p" && [ "$(date +%s)" -le "$_ns_end" ]; do sleep 0.1; done
    if pid_alive "$_ns_p"; then
      stop_pid "$_ns_p" 2
      codes="$codes killed"
      continue
    fi
    wait "$_ns_p"
    _ns_rc=$?
    waited=$((waited + 1))
    codes="$codes $_ns_rc"
    [ "$_ns_rc" = 0 ] || fails=$((fails + 1))
  done
}
