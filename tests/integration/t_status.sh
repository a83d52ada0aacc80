#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The periodic checks' quiet and the operator's view (contract "Binary";
# issue 25, points 7 and 8):
# - `ipres ready vip` every 0.2 s for 10 s logs nothing while all is well
#   and was well (stderr and syslog lines counted); with the PINGLIST host
#   gone every failure logs; when it is back, exactly one line says so. The
#   same for quickCheck; `status vip` answers on stderr only, 10 times in
#   2 s with no syslog line; a monitor checking every 3 s logs its first pass
#   and then nothing for 10 s, while the check record shows its checks ran;
# - `ipres status` and `status --json` as root: a line per compiled-in
#   resource, the JSON parsed by python3 and checked against the machine
#   (held as `ip addr` says, wanted after restore, the last check and the
#   last failure with its reason); as uid 65534 with no capability, which
#   may not read root's 0700 /run/ipres: exit 0, held as `ip addr` says,
#   the rest unknown (JSON null, "state_readable":false); `status TAG`
#   answers 0/3 there too;
# - the /run/ipres ipres makes on a fresh /run is root's, 0700, its records
#   0644; with no /run/ipres and a read-only /run a passing check logs
#   nothing.
#
# Syslog is a busybox syslogd of the test's own on a /dev/log in a mount
# namespace of its own (quiet_run), never the machine's.
#
# $IPRES_QEMU is empty or qemu-user's binary, and single-quoted scripts are
# the inner shell's to expand.
# shellcheck disable=SC2016,SC2086
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh

lan_hosts a client || exit 1
ns_tmp

# The nobody of `setpriv`: uid and gid 65534, no groups, no capability in
# any set.
NOBODY='setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all --'

# quiet_run NAME COUNT ARGS...: `ipres ARGS` in node a COUNT times, 0.2 s
# apart, then once `ipres ready vip-deadping` (whose PINGLIST never
# answers: a failure that must reach both logs, so the capture is shown to
# work). Into $tmp/NAME.err its stderr, $tmp/NAME.rc the exit statuses,
# $tmp/NAME.syslog what syslogd got. /dev is a tmpfs of its own there,
# with the few devices a shell and qemu use bound from the real one.
quiet_run() {
  _q_name=$1 _q_count=$2
  shift 2
  : >"$tmp/$_q_name.err"
  : >"$tmp/$_q_name.rc"
  : >"$tmp/$_q_name.syslog"
  Q_NS=$(ns a) Q_OUT="$tmp/$_q_name" Q_COUNT=$_q_count Q_IPRES="$IPRES_QEMU $IPRES_BIN" \
    unshare -m --propagation private sh -c '
    mkdir -p "$Q_OUT.dev" && mount --rbind /dev "$Q_OUT.dev" &&
      mount -t tmpfs -o mode=0755 status-dev /dev || exit 97
    for d in null zero full random urandom; do
      : >"/dev/$d" && mount --bind "$Q_OUT.dev/$d" "/dev/$d" || exit 97
    done
    busybox syslogd -n -O "$Q_OUT.syslog" &
    syslogd=$!
    i=0
    while [ ! -S /dev/log ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    [ -S /dev/log ] || { kill $syslogd; exit 96; }
    i=0
    while [ $i -lt "$Q_COUNT" ]; do
      ip netns exec "$Q_NS" $Q_IPRES "$@" >>"$Q_OUT.err" 2>&1
      echo $? >>"$Q_OUT.rc"
      sleep 0.2
      i=$((i + 1))
    done
    ip netns exec "$Q_NS" $Q_IPRES ready vip-deadping >>"$Q_OUT.control" 2>&1
    sleep 0.5  # syslogd writes what it has received
    kill $syslogd
    { wait $syslogd; } 2>/dev/null  # its "Terminated"
    exit 0
  ' sh "$@"
  _q_rc=$?
  [ "$_q_rc" = 0 ] || not_ok "quiet_run $_q_name: its private /dev and syslogd (exit $_q_rc)"
}

# lines NAME TAG: how many lines about TAG reached stderr (the first number)
# and syslog (the second).
lines() {
  echo "$(grep -c "^$2: " "$tmp/$1.err") $(grep -c "ipres\[[0-9]*\]: $2: " "$tmp/$1.syslog")"
}
# exits NAME: the exit statuses, counted: "50x0", "3x1".
exits() { sort "$tmp/$1.rc" | uniq -c | awk '{printf "%s%dx%s", (NR > 1 ? " " : ""), $1, $2}'; }

# quiet_checks CMD: CMD (ready or quickCheck) of vip, 0.2 s apart: 10 s
# while healthy, then failing while the client is away, then back.
quiet_checks() {
  quiet_run "$1-well" 50 "$1" vip
  check_text "$1: 50 runs while all is well pass" '^50x0$' "$(exits "$1-well")"
  check_text "$1: ... and log nothing (stderr, syslog)" '^0 0$' "$(lines "$1-well" vip)"
  check_text "... while syslog got the control failure" ': vip-deadping: ready: .*no reply' \
    "$(cat "$tmp/$1-well.syslog")"

  in_ns client ip link set eth0 down
  quiet_run "$1-away" 3 "$1" vip
  check_text "$1: without the PINGLIST host, 3 runs fail" '^3x1$' "$(exits "$1-away")"
  check_text "$1: ... and each logs its failing step (stderr, syslog)" '^3 3$' \
    "$(grep "connectivity check: no reply" "$tmp/$1-away.err" | grep -c "^vip: $1: ") $(grep -c \
      "ipres\[[0-9]*\]: vip: $1: connectivity check: no reply" "$tmp/$1-away.syslog")"

  in_ns client ip link set eth0 up
  wait_for 10 in_ns a ping -c 1 -W 1 192.0.2.10 || not_ok "the client answers again"
  quiet_run "$1-back" 25 "$1" vip
  check_text "$1: with it back, 25 runs pass" '^25x0$' "$(exits "$1-back")"
  check_text "$1: ... and exactly one line says so (stderr, syslog)" '^1 1$' \
    "$(lines "$1-back" vip)"
  check_text "$1: ... what it was and since when" \
    "^vip: $1: (yes|passed) \(failing since 20[0-9-]*T[0-9:]*Z: $1: connectivity check: no reply" \
    "$(cat "$tmp/$1-back.err")"
}

# The first check of the tag has no earlier result: one line.
expect "ready, the first: passes" 0 a ready vip
check_text "... with one line, as there is no earlier result" \
  '^vip: ready: yes \(no earlier check recorded\)$' "$(cat "$tmp/err")"
quiet_checks ready
expect "restore vip" 0 a restore vip
quiet_checks quickCheck

# `status TAG`, which the OCF agent's monitor asks at every interval:
# its answer goes to stderr, never to syslog.
quiet_run status-held 10 status vip
check_text "status vip: 10 runs answer 0 (held)" '^10x0$' "$(exits status-held)"
check_text "... each to stderr, none to syslog" '^10 0$' "$(lines status-held vip)"

# json_check PYTHON_CONDITION...: each is true of $tmp/out's JSON lines
# (`r` maps a tag to its object).
json_check() {
  python3 - "$tmp/out" "$@" <<'EOF'
import json, sys
r = {}
for line in open(sys.argv[1]):
    o = json.loads(line)
    r[o["tag"]] = o
for cond in sys.argv[2:]:
    if not eval(cond):
        print("not so:", cond, "in", {k: r[k] for k in ("vip", "vip-bcast") if k in r})
        sys.exit(1)
EOF
}

# --- the monitor's own checks ---------------------------------------------------

# vip-claim: a quickCheck every 3 s. The first passing one is logged (where
# the resource stood when the monitor began), the ones after it are not,
# while the record shows they ran.
expect "restore vip-claim" 0 a restore vip-claim
(ipres_exec a monitor vip-claim >"$tmp/monitor.log" 2>&1) &
mon=$!
check "monitor: its first check's pass is logged" \
  wait_for 15 grep -qE '^vip-claim: monitor: quickCheck: passed( |$)' "$tmp/monitor.log"
ipres_in a status --json >"$tmp/out"
first=$(python3 -c 'import json, sys
print([o for o in map(json.loads, open(sys.argv[1])) if o["tag"] == "vip-claim"][0]["last_check_time"])' \
  "$tmp/out")
sleep 10
ipres_in a status --json >"$tmp/out"
check "monitor: 10 s later its checks had run: the last check the monitor's, later, ok" json_check \
  'r["vip-claim"]["last_check"] == "monitor"' 'r["vip-claim"]["last_check_ok"] is True' \
  "r[\"vip-claim\"][\"last_check_time\"] > \"$first\""
# Lines after the first pass ("none" when there was none).
check_text "monitor: ... and logged nothing after the first pass" '^0$' \
  "$(awk 'seen { n++ } /^vip-claim: monitor: quickCheck: passed/ { seen = 1 }
    END { print seen ? n + 0 : "none" }' "$tmp/monitor.log")"
stop_pid "$mon" || not_ok "the monitor did not end on SIGTERM"
ipres_in a remove vip-claim >/dev/null 2>&1

# --- status, unprivileged ----------------------------------------------------

# nobody_ipres ARGS...: ipres ARGS in node a as nobody, stdout to $tmp/out.
nobody_ipres() { in_ns a $NOBODY $IPRES_QEMU "$IPRES_BIN" "$@" >"$tmp/out" 2>"$tmp/err"; }
check_text "setpriv leaves nobody no capability" '^uid 65534 caps 0000000000000000 $' \
  "$(in_ns a $NOBODY sed -n 's/^Uid:\t\([0-9]*\).*/uid \1/p; s/^CapEff:\t/caps /p' /proc/self/status |
    tr '\n' ' ')"
nobody_ipres restore vip-bcast
check_text "nobody's restore fails for want of a capability" 'missing capability' "$(cat "$tmp/err")"
resources=$(ipres_in a list | grep -c '^\[')

ipres_in a status --json >"$tmp/out"
check_text "status --json: exit 0" '^0$' "$?"
check_text "... one line per resource" "^$resources$" "$(wc -l <"$tmp/out")"
check "... each a JSON object; vip held, wanted, last checked by quickCheck, ok" json_check \
  'len(r) == '"$resources" 'r["vip"]["held"] is True' 'r["vip"]["wanted"] is True' \
  'r["vip"]["last_check"] == "quickCheck"' 'r["vip"]["last_check_ok"] is True' \
  'r["vip"]["address"] == "192.0.2.100" and r["vip"]["prefix"] == 24' \
  'r["vip"]["device"] == "eth0"' 'r["vip"]["failing_since"] is None' \
  'r["vip"]["conflict_claimant"] is None'
check "... its last failure: quickCheck's, with the reason" json_check \
  'r["vip"]["last_failure"] == "quickCheck"' \
  '"connectivity check: no reply" in r["vip"]["last_failure_reason"]' \
  'r["vip"]["last_failure_time"].endswith("Z")'
check "... vip-bcast: not held, no word yet (null), never checked" json_check \
  'r["vip-bcast"]["held"] is False' 'r["vip-bcast"]["wanted"] is None' \
  'r["vip-bcast"]["last_check"] is None' 'r["vip-bcast"]["last_failure"] is None'

# The machine changes; status follows it.
in_ns a ip addr del 192.0.2.100/24 dev eth0
expect "ready vip-deadping fails" 1 a ready vip-deadping
ipres_in a status --json >"$tmp/out"
# vip-deadping has failed since quiet_run's first control run.
check "status --json: vip no longer held (still wanted); vip-deadping failing" json_check \
  'r["vip"]["held"] is False' 'r["vip"]["wanted"] is True' \
  'r["vip-deadping"]["last_check"] == "ready"' 'r["vip-deadping"]["last_check_ok"] is False' \
  'r["vip-deadping"]["failing_since"] <= r["vip-deadping"]["last_failure_time"]' \
  '"no reply" in r["vip-deadping"]["last_failure_reason"]'
ipres_in a status >"$tmp/out"
check_text "status: exit 0" '^0$' "$?"
check_text "... one line per resource" "^$resources$" "$(wc -l <"$tmp/out")"
check_text "... vip's line" \
  '^vip: 192.0.2.100/24 on eth0: held no, wanted yes, last check quickCheck ok at .*Z, no conflict, last failure quickCheck at .*Z: connectivity check: no reply' \
  "$(grep '^vip: ' "$tmp/out")"

nobody_ipres status vip
check_text "status vip as nobody: 3, not held" '^3$' "$?"
ipres_in a restore vip >/dev/null 2>&1
nobody_ipres status vip
check_text "status vip as nobody after restore: 0" '^0$' "$?"

# nobody may not read root's 0700 /run/ipres: held from netlink, the rest
# unknown, and no error.
check_text "the test's /run/ipres is root's, 0700, as ipres makes it" '^700 root$' "$(in_ns a stat -c '%a %U' /run/ipres)"
nobody_ipres status --json
check_text "status --json as nobody: exit 0" '^0$' "$?"
check_text "... one line per resource" "^$resources$" "$(wc -l <"$tmp/out")"
unknown='all(r[t][k] is None for t in r for k in ("wanted", "last_check", "last_check_ok",
  "last_check_time", "failing_since", "last_failure", "last_failure_time",
  "last_failure_reason", "conflict_claimant", "conflict_seconds_left"))'
check "... held from netlink, the records unknown (null), state_readable false" json_check \
  'len(r) == '"$resources" 'r["vip"]["held"] is True' 'r["vip-bcast"]["held"] is False' \
  'all(r[t]["state_readable"] is False for t in r)' "$unknown"
check_text "... and it logs nothing" '^$' "$(cat "$tmp/err")"
nobody_ipres status
check_text "status as nobody: exit 0" '^0$' "$?"
check_text "... one line per resource" "^$resources$" "$(wc -l <"$tmp/out")"
check_text "... vip's line: held, the rest unknown" \
  '^vip: 192.0.2.100/24 on eth0: held yes, wanted unknown, last check unknown, conflict unknown, last failure unknown$' \
  "$(grep '^vip: ' "$tmp/out")"
check_text "... vip-bcast's: held no" '^vip-bcast: .* held no, wanted unknown' \
  "$(grep '^vip-bcast: ' "$tmp/out")"
check_text "... and it logs nothing" '^$' "$(cat "$tmp/err")"

# --- what a fresh /run gets -----------------------------------------------------

in_ns a unshare -m sh -c '
  mount -t tmpfs -o size=1m,mode=0755 status-run /run || exit 99
  '"$IPRES_QEMU $IPRES_BIN"' ready vip >/dev/null 2>&1
  stat -c "%a %U" /run/ipres /run/ipres/vip@*.check /run/ipres/vip@*.check-lock | tr "\n" " "
  '"$IPRES_QEMU $IPRES_BIN"' status --json | grep -c "\"last_check\":\"ready\""
' >"$tmp/fresh" 2>&1
check_text "on a fresh /run: /run/ipres 0700, the record 0644, its lock 0600, all root's;" \
  '^700 root 644 root 600 root 1$' "$(cat "$tmp/fresh")"

# No /run/ipres and no way to make one: nothing to compare a pass with,
# nothing to say; a failure still says why.
in_ns a unshare -m sh -c '
  mount -t tmpfs -o ro,size=1m status-ro /run || exit 99
  '"$IPRES_QEMU $IPRES_BIN"' ready vip 2>&1; echo "exit $?"
  '"$IPRES_QEMU $IPRES_BIN"' ready vip-deadping 2>&1 | grep -c "connectivity check: no reply"
' >"$tmp/ro" 2>&1
check_text "on a read-only /run: a passing ready logs nothing, a failing one its failure" \
  '^exit 0 1$' "$(tr '\n' ' ' <"$tmp/ro" | sed 's/ $//')"

summary t_status
