#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Zero heap allocations, proved two ways (make alloc-test builds what this reads):
#
# 1. Static, every CPU: the shipped binary's own link, not stripped, run with
#    ld --trace-symbol on every allocator entry point (malloc, free, musl's
#    internal __libc_malloc/__libc_calloc, operator new/delete...), lists every
#    object file that references one, before --gc-sections. None may: not even
#    an exit handler (musl's atexit can allocate), so the allocator is not in
#    the binary at all. The link's code must be the shipped binary's, byte for
#    byte.
# 2. Dynamic, x86_64: the same objects linked with an allocator that aborts
#    (tests/alloc/trap.c) restore, quickCheck, remove, recover and ping in
#    network namespaces; a run that allocated would die with "alloc trap".
#
# Both must fail on a copy with one malloc in it (tests/alloc/canary.c), or
# this test could not fail; it says so when they do not.
#
#   alloc_check.sh                    everything, on board nstest
#   alloc_check.sh static ARCH BOARD [DIR]  only the static check of one
#                                     binary and its canary, built in DIR
#                                     (make OUT=DIR; default build/BOARD-ARCH)
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh

# static_check TRACE: prints what is wrong, returns 1 if anything.
static_check() {
  trace=$1
  bad=0
  # An empty trace is the goal: nothing references the allocator, so ld does
  # not even pull it in. The canary proves the tracing itself works.
  [ -e "$trace" ] || { echo "no ld trace file $trace"; return 1; }
  # "FILE: reference to SYM" lines; musl's allocator members referencing one
  # another are the only allowed ones.
  refs=$(grep ': reference to ' "$trace" | sed 's|^[^ :]*/ld: ||')
  definers=$(grep ': definition of ' "$trace" | sed 's|^[^ :]*/ld: ||; s|: definition of .*||' | sort -u)
  old_ifs=$IFS
  IFS='
'
  for line in $refs; do
    file=${line%%: reference to *}
    sym=${line##*: reference to }
    case $file in
      *libc.a\(*) printf '%s\n' "$definers" | grep -qxF "$file" && continue ;;
    esac
    echo "$file references $sym"
    bad=1
  done
  IFS=$old_ifs
  return $bad
}

# static ARCH BOARD [DIR]: the check of one built binary, with the same-code
# proof, and the canary's link, which the check must fail (the trace works
# with this toolchain's linker).
static_one() {
  a=$1
  d=${3:-build/$2-$1}/alloc
  out=$(static_check "$d/ipres.trace")
  check_text "$a: no allocator referenced by $2's link (static)" '^$' "$out"
  check "$a: the checked link has the shipped binary's code" cmp -s "$d/text.full" "$d/text.shipped"
  if static_check "$d/ipres-canary.trace" >/dev/null; then
    not_ok "$a: the static check misses the canary's malloc: it cannot fail"
  else
    ok "$a: the static check catches the canary's malloc"
  fi
}

if [ "${1:-}" = static ]; then
  static_one "$2" "$3" "${4:-}"
  summary "alloc static $2"
  exit $?
fi

# The whole run in a mount namespace with a /run/ipres of its own, as the
# namespace tests have (tests/integration/run.sh): the trap build's
# operations below keep their tag records there, not in the machine's.
if [ "$(id -u)" = 0 ] && [ -z "${IPRES_ALLOC_PRIVATE_RUN:-}" ]; then
  IPRES_ALLOC_PRIVATE_RUN=1 exec unshare -m sh -c 'mkdir -p /run/ipres &&
    mount -t tmpfs -o size=1m,mode=0700 ipres-alloc /run/ipres && exec sh "$0"' "$0"
fi

for a in $IPRES_ALL_ARCHES; do
  static_one "$a" nstest
done

# Dynamic: the trap build through every operation, in namespaces.
[ "$(id -u)" = 0 ] || { skip "trap build runs: need root for namespaces"; summary "alloc"; exit $?; }
. tests/integration/nslib.sh
NS_PREFIX="ipa$$-"
tmp=$(mktemp -d)
trap 'ns_cleanup; rm -rf "$tmp"' EXIT
trap 'ns_cleanup; rm -rf "$tmp"; exit 130' INT TERM
trapbin=$PWD/build/nstest-x86_64/alloc/ipres.trap
canary=$PWD/build/nstest-x86_64/alloc/ipres-canary.trap
check "the trap build's tag records go to a /run/ipres of this test's own" mountpoint -q /run/ipres
lan_up
host_up a 192.0.2.2/24
host_up client 192.0.2.10/24
in_ns client sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
# runs NAME STATUS ARGS...: the trap build in namespace a.
runs() {
  desc=$1
  want=$2
  shift 2
  in_ns a "$trapbin" "$@" >"$tmp/out" 2>"$tmp/err"
  got=$?
  if [ "$got" = "$want" ] && ! grep -q 'alloc trap' "$tmp/err"; then
    ok "trap build: $desc (exit $got, no allocation)"
  else
    not_ok "trap build: $desc: exit $got, expected $want: $(head -c 300 "$tmp/err")"
  fi
}
runs "restore vip (link, duplicate and connectivity checks)" 0 restore vip
runs "quickCheck vip" 0 quickCheck vip
runs "status vip" 0 status vip
runs "recover vip" 0 recover vip
runs "remove vip" 0 remove vip
runs "quickCheck without the address" 1 quickCheck vip
runs "restore vip-fallback (broadcast ping)" 0 restore vip-fallback
runs "remove vip-fallback" 0 remove vip-fallback
runs "ready vip" 0 ready vip
runs "list" 0 list
runs "lkping -c 1 192.0.2.10" 0 lkping -c 1 -w 1 192.0.2.10
runs "unknown tag" 2 restore no-such-tag
in_ns a "$canary" list >/dev/null 2>"$tmp/err"
got=$?
if [ "$got" != 0 ] && grep -q 'alloc trap: malloc' "$tmp/err"; then
  ok "the trap build catches the canary's malloc (exit $got)"
else
  not_ok "the trap build misses the canary's malloc (exit $got): it cannot fail"
fi
summary "alloc"
