#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# SIGKILL at every step (contract.md, "Crashes and local state"): restore,
# remove, recover and `ipres monitor` are killed exactly before the Nth call
# of a syscall (strace -e inject=SYSCALL:signal=SIGKILL:when=N; the kernel
# skips that call), for every N the operation reaches and every syscall a
# step goes through: netlink requests and ARP/ICMP frames (sendto), the waits
# (poll, nanosleep), the state files (open, write, fsync, renameat,
# unlinkat, mkdir: every record is written to a temporary and renamed). The receives (recvfrom) are traced, not
# swept: each follows its poll with nothing changed in between, so a kill
# before it leaves what the kill before that poll leaves. Then the next
# operation runs and what it left is read with iproute2 only: the address
# present once or absent, eth0 administratively up, the subnet route's source
# (vip-kill has SOURCE_ADDRESS=1), and the neighbours told: an observer that
# ipres never talks to (obs) holds a's MAC for the address only if a
# gratuitous ARP reached it after its entry was pointed at b's MAC.
#
# The sweeps, each printed with its kill points:
#   restore, eth0 up / eth0 admin-down first (the link bounce), each killed
#     run followed by a restore (the resource ends fully in service) and, in
#     a separate run, by a remove (it ends fully out of service);
#   remove with the address held, followed by a remove;
#   recover with the address held, followed by a fresh `ipres monitor`;
#   `ipres monitor vip-kill` killed while it recovers an address deleted by
#     hand, followed by a fresh monitor.
# strace under qemu-user would see (and kill) the emulator's syscalls, so the
# sweeps run on x86_64 only; the other CPUs skip, saying so.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh

[ -z "$IPRES_QEMU" ] ||
  skip_test "SIGKILL sweeps on $IPRES_ARCH: strace under qemu-user counts the emulator's syscalls, not ipres's, so a kill point would not be a step of ipres; they run on x86_64" \
    "kill ($IPRES_ARCH)"
if ! command -v strace >/dev/null 2>&1; then
  not_ok "strace is missing (toolchain/setup.sh installs it)"
  summary "kill ($IPRES_ARCH)"
  exit
fi

lan_hosts a b client obs || exit 1
mon=""
# shellcheck disable=SC2016 # the exit trap expands them
ns_tmp_with '[ -n "$mon" ] && kill -KILL "$mon" 2>/dev/null'

TAG=vip-kill
ADDR=192.0.2.114
PHYS=192.0.2.2
MAC_A=$(mac_of a)
MAC_B=$(mac_of b)
# The syscalls swept (any this binary never makes count 0 and are left out)
# and those traced: a kill is injected only into a traced syscall, and the
# trace says what the killed process had done (RTM_NEWLINK, RTM_DELADDR).
: "${KILL_SYSCALLS:=sendto sendmsg poll ppoll nanosleep clock_nanosleep open openat write pwrite64 ftruncate fsync rename renameat renameat2 unlink unlinkat mkdir mkdirat}"
TRACE=$(printf '%s' "$KILL_SYSCALLS recvfrom recvmsg" | tr ' ' ',')
started=$(date +%s)

# --- what iproute2 sees ---------------------------------------------------------
addr_count() { ip -n "$(ns a)" -4 -o addr show dev eth0 | grep -c " $ADDR/"; }
admin_up() { ip -n "$(ns a)" -br link show dev eth0 | grep -qE '<([^>]*,)?UP[,>]'; }
routes() { ip -n "$(ns a)" -4 route show 192.0.2.0/24 dev eth0; }
neigh_of() { ip -n "$(ns "$1")" neigh show "$ADDR" dev eth0; }
# mislead NODE...: the nodes are told the address is at b's MAC. Only a
# gratuitous ARP from a puts a's MAC back in obs's entry (the client's also
# learns it from a's ARP requests). A misled client answers a's pings at b,
# which fails a quickCheck: misled only before a restore.
mislead() {
  for ml_n in "$@"; do
    ip -n "$(ns "$ml_n")" neigh replace "$ADDR" lladdr "$MAC_B" dev eth0 nud stale
  done
}

# problems: the checks below append what they find wrong.
problems=""
wrong() { problems="$problems; $*"; }

# one_route_from SRC: exactly one subnet route on eth0, with source SRC.
one_route_from() {
  r=$(routes)
  if [ "$(printf '%s\n' "$r" | grep -c .)" != 1 ] || ! printf '%s\n' "$r" | grep -q " src $1\( \|$\)"; then
    wrong "subnet route [$r], expected one with src $1"
  fi
}

# in_service TOLD: the address once on eth0, eth0 up, the subnet route's
# source the address; TOLD=1: obs holds a's MAC for it.
in_service() {
  c=$(addr_count)
  [ "$c" = 1 ] || wrong "address on eth0 $c times, expected once"
  admin_up || wrong "eth0 not administratively up"
  one_route_from "$ADDR"
  if [ "$1" = 1 ]; then
    neigh_of obs | grep -q "lladdr $MAC_A" || wrong "obs's neighbour entry [$(neigh_of obs)], expected a's MAC $MAC_A"
  fi
  in_ns client ping -c1 -W1 "$ADDR" >/dev/null 2>&1 || wrong "the client's ping to $ADDR gets no reply"
  neigh_of client | grep -q "lladdr $MAC_A" ||
    wrong "the client's neighbour entry [$(neigh_of client)], expected a's MAC $MAC_A"
}

# out_of_service UP: the address absent; UP=1: eth0 must be administratively
# up (and the subnet route's source the physical address); UP=0: eth0 was
# down before and the killed restore never touched it (either is fine).
out_of_service() {
  c=$(addr_count)
  [ "$c" = 0 ] || wrong "address on eth0 $c times, expected absent"
  if admin_up; then
    one_route_from "$PHYS"
  elif [ "$1" = 1 ]; then
    wrong "eth0 left administratively down"
  fi
}

# --- running ipres ---------------------------------------------------------------
ipres_a() { ipres_in a "$@" >"$tmp/op.out" 2>"$tmp/op.err"; }
# counted SYSCALL: how many calls of SYSCALL the run in $tmp/count made.
counted() { awk -v s="$1" '$NF == s { n = $4 } END { print n + 0 }' "$tmp/count"; }
# killed SYSCALL N OP: `ipres OP vip-kill` in a, SIGKILLed before its Nth
# call of SYSCALL; N=0: not killed, its syscalls counted (strace -c) into
# $tmp/count. The trace goes to $tmp/trace, stderr to $tmp/killed.err.
# Returns 0 when the kill landed (for the monitor: while it recovered).
killed() {
  if [ "$2" = 0 ]; then set -- "$3" -c -o "$tmp/count"; else
    set -- "$3" -o "$tmp/trace" -e inject="$1:signal=SIGKILL:when=$2"
  fi
  kd_op=$1
  shift
  if [ "$kd_op" = monitor ]; then
    killed_monitor "$@"
    return
  fi
  in_ns a strace -f -e trace="$TRACE" "$@" "$IPRES_BIN" "$kd_op" "$TAG" >/dev/null 2>"$tmp/killed.err"
  [ $? = 137 ]
}
# running PID: not ended (a child that ended is a zombie until waited for).
running() { [ -e "/proc/$1" ] && ! grep -q '^State:.*zombie' "/proc/$1/status" 2>/dev/null; }
monitor_idle_or_gone() {
  grep -q 'monitor: quickCheck: passed' "$tmp/killed.err" || ! running "$mon"
}
monitor_recovered_or_gone() { grep -q 'monitor: recovered' "$tmp/killed.err" || ! running "$mon"; }
# killed_monitor STRACE-OPTIONS...: `ipres monitor vip-kill` under strace;
# once its first quickCheck has passed, the address is deleted by hand and
# the monitor recovers it. Returns 0 when the kill landed after the delete
# and before the monitor logged "recovered"; a monitor that gets there is
# ended with SIGTERM.
killed_monitor() {
  : >"$tmp/killed.err"
  (exec ip netns exec "$(ns a)" strace -f -e trace="$TRACE" "$@" "$IPRES_BIN" monitor "$TAG" \
    >/dev/null 2>"$tmp/killed.err") &
  mon=$!
  wait_for 8 monitor_idle_or_gone
  sleep 0.1 # a kill before the call that starts its wait lands now
  if ! running "$mon"; then
    { wait "$mon"; } 2>/dev/null
    mon=""
    return 1
  fi
  ip -n "$(ns a)" addr del "$ADDR/24" dev eth0
  wait_for 8 monitor_recovered_or_gone
  km_landed=1
  if running "$mon"; then
    # strace's child is ipres: SIGTERM ends it (and strace with it).
    kill -TERM "$(cat "/proc/$mon/task/$mon/children")" 2>/dev/null
    km_landed=0
  fi
  { wait "$mon"; } 2>/dev/null
  km_rc=$?
  mon=""
  [ "$km_landed" = 1 ] && [ "$km_rc" = 137 ]
}
# sent TYPE: the killed process's trace shows a netlink request of TYPE that
# was made (the call the kill landed before shows "= ?" and was not).
sent() { [ "$(sent_count "$1")" -gt 0 ]; }
sent_count() { grep -E "^[0-9]+ +sendto\(.*nlmsg_type=$1[,}]" "$tmp/trace" | grep -cv '= ?$'; }
# hard_reset: back to out of service with iproute2 after a failed point, so
# one failure does not spread to the next.
hard_reset() {
  ip -n "$(ns a)" link set eth0 up
  ip -n "$(ns a)" addr del "$ADDR/24" dev eth0 2>/dev/null
  ip -n "$(ns a)" route replace 192.0.2.0/24 dev eth0 proto kernel scope link src "$PHYS"
  ipres_a remove "$TAG"
}

# --- preparing each point ------------------------------------------------------------
prep_out() {
  ipres_a remove "$TAG" || not_ok "prepare: remove failed: $(tail -n 2 "$tmp/op.err")"
  ip -n "$(ns a)" link set eth0 up
}
prep_down() {
  prep_out
  ip -n "$(ns a)" link set eth0 down
}
prep_in() {
  ipres_a restore "$TAG" || not_ok "prepare: restore failed: $(tail -n 2 "$tmp/op.err")"
  mislead obs
}

# --- the operation after the kill, and what it must leave ---------------------------
next_restore() {
  mislead obs client
  ipres_a restore "$TAG" || wrong "the next restore: exit $? ($(tail -n 2 "$tmp/op.err" | tr '\n' '|'))"
  in_service 1
}
next_remove() {
  ipres_a remove "$TAG" || wrong "the next remove: exit $? ($(tail -n 2 "$tmp/op.err" | tr '\n' '|'))"
  out_of_service 1
}
# After a restore that found eth0 down: it must be up when the killed
# restore had sent its RTM_NEWLINK (the bounce's down), else as it was.
next_remove_bounced() {
  touched=0
  sent RTM_NEWLINK && touched=1
  ipres_a remove "$TAG" || wrong "the next remove: exit $? ($(tail -n 2 "$tmp/op.err" | tr '\n' '|'))"
  out_of_service "$touched"
}
# fresh_monitor: `ipres monitor vip-kill` until it has judged the resource
# (a quickCheck that passed, or a recover that ended), then SIGTERM.
fresh_monitor() {
  : >"$tmp/op.err"
  (ipres_exec a monitor "$TAG" >/dev/null 2>"$tmp/op.err") &
  mon=$!
  wait_for 8 grep -qE 'monitor: quickCheck: passed|monitor: recovered|monitor: recover failed' "$tmp/op.err" ||
    wrong "the fresh monitor did not settle within 8 s"
  kill -TERM "$mon" 2>/dev/null
  { wait "$mon"; } 2>/dev/null
  mon=""
  grep -q 'monitor: recover failed' "$tmp/op.err" && wrong "the fresh monitor's recover failed: $(grep -E 'fail|error' "$tmp/op.err" | head -n 3 | tr '\n' '|')"
}
# After a killed recover: in service; obs told when the recover had deleted
# the address (it was added again since, by the recover or the monitor).
next_monitor_after_recover() {
  told=0
  sent RTM_DELADDR && told=1
  fresh_monitor
  in_service "$told"
}

# report NAME POINTS RANGES FAILED NEEDED: NEEDED names the kinds of kill
# point the sweep must have had at least one of (else it could not fail
# where it matters): "add" (the killed run had added the address),
# "delete" (had deleted it), "bounce" (had taken eth0 down, not yet up).
report() {
  rp_kinds="$after_add after the add, $after_delete after a delete, $in_bounce inside the bounce"
  echo "$1: $2 kill points ($3); $rp_kinds"
  rp_missing=""
  for rp_k in $5; do
    case $rp_k in
      add) [ "$after_add" -gt 0 ] || rp_missing="$rp_missing $rp_k" ;;
      delete) [ "$after_delete" -gt 0 ] || rp_missing="$rp_missing $rp_k" ;;
      bounce) [ "$in_bounce" -gt 0 ] || rp_missing="$rp_missing $rp_k" ;;
    esac
  done
  if [ "$2" = 0 ] || [ -n "$rp_missing" ]; then
    not_ok "$1: $2 kill points, none of the kinds:${rp_missing:- any}"
  elif [ "$4" = 0 ]; then
    ok "$1: all $2 kill points left the state the contract promises"
  else
    not_ok "$1: $4 of $2 kill points did not"
  fi
}

# sweep NAME PREPARE NEXT OP NEEDED: counts OP's syscalls once, then for each swept
# syscall and N = 1..count: PREPARE, OP killed before call N, NEXT (runs
# the next operation and checks what it left). The kill points are the N at
# which the kill landed (counts vary by a poll or two from run to run; the
# monitor's count includes its start, before the recover).
sweep() {
  sw_name=$1
  sw_prep=$2
  sw_next=$3
  sw_op=$4
  sw_needed=$5
  after_add=0
  after_delete=0
  in_bounce=0
  $sw_prep
  killed none 0 "$sw_op"
  sw_points=0
  sw_failed=0
  sw_ranges=""
  for sys in $KILL_SYSCALLS; do
    total=$(counted "$sys")
    [ "$total" -gt 0 ] || continue
    n=1
    first=""
    last=""
    landed=0
    while [ "$n" -le "$total" ]; do
      $sw_prep
      if killed "$sys" "$n" "$sw_op"; then
        landed=$((landed + 1))
        first=${first:-$n}
        last=$n
        sent RTM_NEWADDR && after_add=$((after_add + 1))
        sent RTM_DELADDR && after_delete=$((after_delete + 1))
        [ "$(sent_count RTM_NEWLINK)" = 1 ] && in_bounce=$((in_bounce + 1))
        problems=""
        $sw_next
        if [ -n "$problems" ]; then
          sw_failed=$((sw_failed + 1))
          not_ok "$sw_name: SIGKILL before $sys #$n${problems}; the killed run's last lines: $(grep -v '^Killed$' "$tmp/killed.err" | tail -n 2 | tr '\n' '|') the next operation's: $(tail -n 3 "$tmp/op.err" | tr '\n' '|')"
          hard_reset
        fi
      fi
      n=$((n + 1))
    done
    [ "$landed" -gt 0 ] || continue
    sw_points=$((sw_points + landed))
    if [ "$landed" = $((last - first + 1)) ]; then
      sw_ranges="$sw_ranges${sw_ranges:+, }$sys $first..$last"
    else
      sw_ranges="$sw_ranges${sw_ranges:+, }$sys $landed in $first..$last"
    fi
  done
  report "$sw_name" "$sw_points" "$sw_ranges" "$sw_failed" "$sw_needed"
}

# The monitor's kill points: prepared in service (obs misled), the address
# is deleted while it runs (killed_monitor), a fresh monitor must bring it
# back and tell obs.
next_monitor() {
  fresh_monitor
  in_service 1
}

# KILL_SWEEPS picks sweeps by the operation killed (default: all).
for op in ${KILL_SWEEPS:-restore remove recover monitor}; do
  case $op in
    restore)
      sweep "restore, next restore" prep_out next_restore restore add
      sweep "restore, next remove" prep_out next_remove restore add
      sweep "restore with eth0 down first (bounce), next restore" prep_down next_restore restore "bounce add"
      sweep "restore with eth0 down first (bounce), next remove" prep_down next_remove_bounced restore "bounce add"
      ;;
    remove) sweep "remove of a held address, next remove" prep_in next_remove remove delete ;;
    recover)
      sweep "recover of a held address, next monitor" prep_in next_monitor_after_recover recover "delete add"
      ;;
    monitor) sweep "monitor recovering a deleted address, next monitor" prep_in next_monitor monitor add ;;
  esac
done

echo "kill sweeps took $(($(date +%s) - started)) s"
summary "kill ($IPRES_ARCH)"
