#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Local state and the process's own hygiene (contract.md, "Crashes and local
# state"):
# - a /run/ipres that is a link, not a directory, someone else's or writable
#   by group or others is refused with exit 1 and nothing touched; links,
#   FIFOs, directories and garbage inside it are refused naming the path, or
#   handled, and never written through; what ipres makes is 0755 (the
#   directory), 0644 (records) and 0600 (lock files);
# - failing to record the engine's last word (a full /run/ipres, or one out
#   of inodes) fails restore before it changes anything, while remove, which
#   deletes its word instead, still works; a wanted record ipres did not
#   write is named by the monitor, which leaves the resource alone;
# - with room for one record only, restore fails at the lock holder's record
#   (without it a remove would wait instead of making the restore abandon);
# - a remove's abandon request reaches only the operation it names, which
#   confirms it: a request that arrives late never stops a monitor, nor lets
#   the remove claim that a restore abandoned; a remove killed right after
#   asking leaves the tag not wanted;
# - state is named by the network namespace's cookie (under qemu-user, which
#   cannot pass SO_NETNS_COOKIE, by its inode);
# - started with stdin, stdout and stderr closed, ipres opens /dev/null in
#   their place first: nothing but ARP and IPv4 leaves the device.
#
# The machine's /run/ipres is shared by every test run here: every hostile
# /run is a tmpfs in a mount namespace of its own (unshare -m), never the
# real one.
#
# $IPRES_QEMU is empty or qemu-user's binary, and single-quoted scripts are
# the inner shell's to expand.
# shellcheck disable=SC2016,SC2086
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh

lan_hosts a client || exit 1
in_ns client sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
ns_tmp

# What must never be written through a link: a file and a directory.
mkdir "$tmp/elsewhere"
printf 'precious\n' >"$tmp/precious"
untouched() {
  [ "$(cat "$tmp/precious")" = precious ] && [ -f "$tmp/precious" ] && [ ! -L "$tmp/precious" ] &&
    [ -z "$(ls -A "$tmp/elsewhere")" ] && [ ! -e "$tmp/nowhere" ]
}

# private SETUP POST CMD...: CMD in node a with a /run of its own, after the
# shell commands SETUP ran there; then POST runs there. CMD's output goes to
# $tmp/err, its status to $tmp/rc, POST's output to $tmp/post. SETUP and
# POST see $IPRES (the binary under test, with qemu) and $TMPD; STATE_NAMES
# TAG sets $base to TAG's state name prefix ("vip@cookie12") by running a
# remove there first.
IPRES="$IPRES_QEMU $IPRES_BIN"
export IPRES TMPD="$tmp"
private() {
  SETUP=$1 POST=$2
  export SETUP POST
  shift 2
  : >"$tmp/err"
  : >"$tmp/post"
    in_ns a unshare -m sh -c '
    state_names() {
      $IPRES remove "$1" >/dev/null 2>&1
      base=$(ls /run/ipres | sed -n "s/^\($1@[a-z]*[0-9]*\)\.lock$/\1/p")
      [ -n "$base" ]
    }
    mount -t tmpfs -o size=1m,mode=0755 ipres-test-run /run || exit 99
    eval "$SETUP" || { echo "setup failed: $SETUP" >"$TMPD/err"; echo 98 >"$TMPD/rc"; exit; }
    "$@" >"$TMPD/err" 2>&1
    echo $? >"$TMPD/rc"
    eval "$POST" >"$TMPD/post" 2>&1
  ' sh "$@"
}
rc() { cat "$tmp/rc"; }

# refused DESCRIPTION SETUP PATTERN: restore vip there exits 1 with an error
# matching PATTERN (extended regex), adds nothing and writes nothing through
# a link.
refused() {
  private "$2" "" $IPRES restore vip
  if [ "$(rc)" = 1 ] && grep -qE -- "$3" "$tmp/err" && lacks a 192.0.2.100 && untouched; then
    ok "$1: refused, naming it"
  else
    not_ok "$1: exit $(rc), address count $(count_addr a 192.0.2.100 eth0), precious '$(cat "$tmp/precious")', elsewhere '$(ls -A "$tmp/elsewhere")'; $(tail -n 3 "$tmp/err")"
  fi
  ipres_in a remove vip >/dev/null 2>&1
}

# handled DESCRIPTION SETUP POST POST_PATTERN: restore vip there succeeds,
# writes nothing through a link, and POST's output matches POST_PATTERN.
handled() {
  private "$2" "$3" $IPRES restore vip
  if [ "$(rc)" = 0 ] && holds a 192.0.2.100 && untouched && grep -qE -- "$4" "$tmp/post"; then
    ok "$1: handled"
  else
    not_ok "$1: exit $(rc), address count $(count_addr a 192.0.2.100 eth0), precious '$(cat "$tmp/precious")'; post: $(head -c 300 "$tmp/post"); $(tail -n 3 "$tmp/err")"
  fi
  ipres_in a remove vip >/dev/null 2>&1
}

S='/run/ipres/vip@(cookie|inode)[0-9]+'

# --- the directory ------------------------------------------------------------------
refused "/run/ipres a link to a directory" 'ln -s "$TMPD/elsewhere" /run/ipres' \
  'record that vip is wanted here: failed: refuse /run/ipres: a symbolic link'
refused "/run/ipres a dangling link" 'ln -s "$TMPD/nowhere" /run/ipres' \
  'refuse /run/ipres: a symbolic link'
refused "/run/ipres a file" 'echo x >/run/ipres' 'refuse /run/ipres: Not a directory'
refused "/run/ipres owned by nobody" 'mkdir -m 0700 /run/ipres && chown 65534:65534 /run/ipres' \
  'refuse /run/ipres: owned by uid 65534, not 0'
refused "/run/ipres mode 0777" 'mkdir /run/ipres && chmod 0777 /run/ipres' \
  'refuse /run/ipres: mode 0777 lets group or others write'
refused "/run/ipres mode 0770" 'mkdir /run/ipres && chmod 0770 /run/ipres' 'mode 0770 lets group'
refused "/run/ipres mode 1777 (sticky, as /tmp)" 'mkdir /run/ipres && chmod 1777 /run/ipres' \
  'mode 1777 lets group'
# ready and quickCheck refuse it too, before any step (they used to warn
# and pass). vip is held (restored with run.sh's /run), so quickCheck's
# steps would pass.
ipres_in a restore vip >/dev/null 2>&1
for op in ready quickCheck; do
  for how in 'ln -s "$TMPD/elsewhere" /run/ipres' 'mkdir /run/ipres && chmod 0777 /run/ipres'; do
    private "$how" "" $IPRES $op vip
    check_text "$op with a refused /run/ipres ($how): exit 1, naming it" \
      '^1 vip: '"$op"': .*refuse /run/ipres' "$(rc) $(grep refuse "$tmp/err")"
  done
done
ipres_in a remove vip >/dev/null 2>&1
# What ipres makes has its exact mode whatever the umask, and is usable by
# the next process (which keeps no capability to read past the owner's
# bits): the directory and a lock file the owner's alone (contract
# "Crashes and local state"), a record readable by everyone.
private 'umask 0777' \
  '$IPRES ready vip >/dev/null 2>&1; made=$(stat -c "%a %u" /run/ipres /run/ipres/*.lock /run/ipres/*.check-lock /run/ipres/*.check)
   $IPRES remove vip >/dev/null 2>&1; echo "remove $?" $made' \
  $IPRES restore vip
check "/run/ipres missing, umask 0777: restore makes it (exit $(rc))" test "$(rc)" = 0
check_text "... 0700 root, its lock files 0600, a check record 0644, and the next process can use them" \
  '^remove 0 700 0 600 0 600 0 644 0$' "$(cat "$tmp/post")"
handled "/run/ipres mode 0755 (readable only; made by hand): used, left so" \
  'mkdir -m 0755 /run/ipres' 'stat -c "%a" /run/ipres' '^755$'

# --- what is inside -------------------------------------------------------------------
refused "a link at the lock file" \
  'state_names vip && rm /run/ipres/$base.lock && ln -s "$TMPD/precious" /run/ipres/$base.lock' \
  "lock vip: failed: refuse $S\.lock: a symbolic link"
refused "a dangling link at the lock file" \
  'state_names vip && rm /run/ipres/$base.lock && ln -s "$TMPD/nowhere" /run/ipres/$base.lock' \
  "refuse $S\.lock: a symbolic link"
refused "a directory at the lock file" \
  'state_names vip && rm /run/ipres/$base.lock && mkdir /run/ipres/$base.lock' \
  "refuse $S\.lock: not a regular file: Is a directory"
refused "a FIFO at the lock file" \
  'state_names vip && rm /run/ipres/$base.lock && mkfifo /run/ipres/$base.lock' \
  "refuse $S\.lock: not a regular file"
refused "a directory at the wanted record" \
  'state_names vip && rm /run/ipres/$base.wanted && mkdir /run/ipres/$base.wanted' \
  "record that vip is wanted here: failed: rename $S\.wanted\.tmp to $S\.wanted: Is a directory"
handled "a link at the wanted record: replaced, not followed" \
  'state_names vip && ln -sf "$TMPD/precious" /run/ipres/$base.wanted' \
  'cd /run/ipres && for f in *.wanted; do [ -L "$f" ] && echo link; cat "$f"; done' \
  '^restore [0-9a-f]{16} [1-9][0-9]* [1-9][0-9]*$'
handled "links at both temporaries: removed, not followed" \
  'state_names vip && ln -s "$TMPD/precious" /run/ipres/$base.wanted.tmp &&
   ln -s "$TMPD/precious" /run/ipres/$base.holder.tmp' \
  'ls /run/ipres | grep -c tmp' '^0$'
handled "a link at the holder record: replaced, not followed" \
  'state_names vip && ln -s "$TMPD/precious" /run/ipres/$base.holder' \
  'ls /run/ipres' '.'
handled "garbage in the holder record" \
  'state_names vip && head -c 300 /dev/urandom >/run/ipres/$base.holder' 'ls /run/ipres' '.'
handled "a lock file holding what earlier versions wrote" \
  'state_names vip && echo "123 up" >/run/ipres/$base.lock' 'cat /run/ipres/*.lock' '^123 up$'

# A wanted record ipres did not write is no word from the engine: the
# monitor says so, naming it, and leaves the resource alone.
private 'state_names vip-bcast && echo garbage >/run/ipres/$base.wanted' 'ls /run/ipres' \
  timeout -s TERM 2 $IPRES monitor vip-bcast
check_text "monitor: a garbage wanted record is named and the resource left alone" \
  "vip-bcast: monitor: refuse /run/ipres/vip-bcast@(cookie|inode)[0-9]+\.wanted: not a record ipres wrote: .*not looking after it" \
  "$(cat "$tmp/err")"
check "... and nothing was added" lacks a 192.0.2.101

# --- no room ---------------------------------------------------------------------------
# A tmpfs of its own on /run/ipres (16 KiB: four pages), the lock file made
# first by a remove (its word deleted again, so it takes no page), then
# filled up.
full='mkdir -m 0700 /run/ipres && mount -t tmpfs -o size=16k,mode=0700 full /run/ipres &&
  state_names vip && rm /run/ipres/$base.wanted &&
  { dd if=/dev/zero of=/run/ipres/fill bs=4k count=$PAGES 2>/dev/null; true; }'
PAGES=4
export PAGES
refused "/run/ipres full" "$full" \
  "record that vip is wanted here: failed: write $S\.wanted\.tmp: No space left on device"
PAGES=3
private "$full" 'ls -A /run/ipres' $IPRES restore vip
check_text "/run/ipres with room for one record: restore fails at the lock holder's record" \
  "record the lock holder of vip: failed: write $S\.holder\.tmp: No space left on device" \
  "$(cat "$tmp/err")"
check "... exit 1 (got $(rc)), nothing added" test "$(rc)" = 1 -a "$(count_addr a 192.0.2.100 eth0)" = 0
check_no_out "... no temporary left" 'tmp' cat "$tmp/post"
PAGES=4
private "$full" '' $IPRES remove vip
check "remove needs no room: passes on a full /run/ipres (exit $(rc))" test "$(rc)" = 0
check_text "... deleting its word instead, with a warning" \
  'vip: remove: no room to record that vip is not wanted here: deleted its word' "$(cat "$tmp/err")"
noinodes='mkdir -m 0700 /run/ipres && mount -t tmpfs -o nr_inodes=3,mode=0700 full /run/ipres &&
  state_names vip && rm /run/ipres/$base.wanted && touch /run/ipres/fill'
refused "/run/ipres out of inodes" "$noinodes" \
  "record that vip is wanted here: failed: create $S\.wanted\.tmp: No space left on device"
refused "/run/ipres out of inodes before the lock file" \
  'mkdir -m 0700 /run/ipres && mount -t tmpfs -o nr_inodes=1,mode=0700 full /run/ipres' \
  "record that vip is wanted here: failed: create $S\.wanted\.tmp: No space left on device"

# --- the namespace's key ------------------------------------------------------------------
# Three namespaces one after the other: the kernel often gives a later one
# the inode an earlier one had (once that one is cleaned up); a cookie is
# never given twice.
unshare -m sh -c '
  mount -t tmpfs -o size=1m,mode=0755 ipres-test-run /run || exit 1
  for i in 1 2 3; do
    unshare -n sh -c "stat -L -c %i /proc/self/ns/net; exec $IPRES remove vip" 2>/dev/null
    sleep 0.5
  done
  ls /run/ipres' >"$tmp/keys" 2>&1
inodes=$(sed -n '1,3p' "$tmp/keys" | sort -u | wc -l)
names=$(grep -c '^vip@.*\.lock$' "$tmp/keys")
if grep -q '^vip@cookie[0-9]*\.lock$' "$tmp/keys"; then
  check "state named by the namespace cookie: three namespaces in turn, three lock files ($inodes distinct inodes among them)" \
    test "$names" = 3
elif [ -n "$IPRES_QEMU" ] && grep -q '^vip@inode[0-9]*\.lock$' "$tmp/keys"; then
  ok "under qemu-user (SO_NETNS_COOKIE answers EINVAL there) state falls back to the namespace inode"
  if [ "$inodes" -lt 3 ]; then
    check "... three namespaces in turn under qemu-user: one lock file per inode ($inodes)" \
      test "$names" = "$inodes"
    skip "three namespaces in turn under qemu-user: the kernel reused an inode, so two of them shared state (the fallback's limit)"
  else
    check "... three namespaces in turn under qemu-user: three lock files" test "$names" = 3
  fi
else
  not_ok "state names: $(cat "$tmp/keys")"
fi

# --- the abandon request ------------------------------------------------------------------
# A remove's request reaches the restore it names, and the remove says it
# abandoned: the restore confirmed it.
(ipres_exec a restore vip-slow >"$tmp/restore.err" 2>&1) &
restore=$!
check "the slow restore adds its address" wait_for 10 holds a 192.0.2.108
ipres_in a remove vip-slow >"$tmp/remove.err" 2>&1
removed=$?
wait "$restore"
restored=$?
check "a remove then makes it abandon (remove exit $removed, restore exit $restored)" \
  test "$removed" = 0 -a "$restored" = 1
check_text "... and says it did" 'remove: lock: a restore was running; it abandoned' \
  "$(cat "$tmp/remove.err")"
check "... the address ends absent" lacks a 192.0.2.108

# A remove killed right after it asked a restore to abandon (before it could
# take the lock) leaves the tag not wanted: it recorded its word first.
in_ns a unshare -m sh -c '
  mount -t tmpfs -o size=1m,mode=0755 ipres-test-run /run || exit 1
  $IPRES restore vip-slow >"$TMPD/restore.err" 2>&1 &
  restore=$!
  i=0
  until ip -4 -o addr show dev eth0 | grep -q " 192.0.2.108/"; do
    i=$((i + 1)); [ $i -gt 200 ] && break; sleep 0.05
  done
  sleep 0.2
  # The fourth flock is the blocking wait after the request (the first two
  # are the turn for writing its word, the third the try that found the
  # restore there).
  strace -f -qq -o /dev/null -e trace=flock -e inject=flock:signal=SIGKILL:when=4 \
    $IPRES remove vip-slow >"$TMPD/remove.err" 2>&1
  echo "remove $?"
  wait $restore
  echo "restore $?"
  ls /run/ipres
  cat /run/ipres/vip-slow@*.wanted' >"$tmp/killed" 2>&1
check_text "a remove killed after asking: it was killed" '^remove 137$' "$(cat "$tmp/killed")"
check_text "... the restore abandoned" '^restore 1$' "$(cat "$tmp/killed")"
check "... the address ends absent" lacks a 192.0.2.108
check_text "... and the tag is not wanted: its last word is the remove's" '^remove [0-9a-f]{16} [1-9][0-9]* [1-9][0-9]*$' \
  "$(cat "$tmp/killed")"

# A late request: a remove whose request (delayed 3 s by strace) arrives
# after the monitor's recover has finished. The monitor goes on, and the
# remove does not claim that a restore abandoned.
ipres_in a restore vip-fallback >/dev/null 2>&1 || not_ok "restore vip-fallback failed"
(ipres_exec a monitor vip-fallback >"$tmp/monitor.err" 2>&1) &
monitor=$!
wait_for 10 grep -q 'vip-fallback: monitor: quickCheck: passed' "$tmp/monitor.err"
kill -USR1 "$monitor"
sleep 0.5
check "a plain SIGUSR1 does not stop the monitor" kill -0 "$monitor"
ip -n "$(ns a)" addr del 192.0.2.106/24 dev eth0
wait_for 10 grep -q 'vip-fallback: recover: link check' "$tmp/monitor.err"
# (LeakSanitizer cannot run under ptrace: the sanitizer build checks leaks
# everywhere else.)
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
  in_ns a strace -f -qq -o "$tmp/strace" -e trace=kill,rt_sigqueueinfo \
  -e inject=kill,rt_sigqueueinfo:delay_enter=3000000 \
  $IPRES_QEMU "$IPRES_BIN" remove vip-fallback >"$tmp/remove.err" 2>&1
removed=$?
check "the remove with a late request succeeds (exit $removed)" test "$removed" = 0 ||
  cat "$tmp/remove.err"
check "... it did ask (its request traced)" grep -qE 'rt_sigqueueinfo|kill\(' "$tmp/strace"
check_text "... the recover had finished first" 'vip-fallback: monitor: recovered' \
  "$(cat "$tmp/monitor.err")"
sleep 0.3
check "... the monitor is still running" kill -0 "$monitor"
check_no_out "... and never stopped on request" 'stopping on request' cat "$tmp/monitor.err"
check_no_out "... the remove does not claim a restore abandoned" 'abandoned' cat "$tmp/remove.err"
check "... the address ends absent" lacks a 192.0.2.106
sleep 1
check "... and the monitor leaves it so (not wanted)" lacks a 192.0.2.106
kill -TERM "$monitor"
wait "$monitor"
ended=$?
check "the monitor ends on SIGTERM (exit $ended)" test "$ended" = 0

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
check "... and adds the address" holds a 192.0.2.100
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
wait_for 10 holds a 192.0.2.108
p=$(ip netns pids "$(ns a)" | while read -r q; do
  grep -q 'vip-slow' "/proc/$q/cmdline" 2>/dev/null && echo "$q"
done | head -n 1)
# The null device by its numbers (1:3), not by its path: inside a chroot the
# kernel names the file as the outside sees it.
stdio=$(for fd in 0 1 2; do stat -L -c '%t:%T' "/proc/$p/fd/$fd"; done | tr '\n' ' ')
names=$(for fd in 0 1 2; do readlink "/proc/$p/fd/$fd"; done | tr '\n' ' ')
check "a running restore started so has /dev/null as fds 0-2 (got: $names= $stdio)" \
  test "$stdio" = "1:3 1:3 1:3 "
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
check "... and nothing added" lacks a 192.0.2.100

summary "state ($IPRES_ARCH)"
