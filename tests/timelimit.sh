# SPDX-License-Identifier: Apache-2.0
# Time limits for the namespace tests (tests/integration/run.sh) and the boot
# tests (tests/boot/run.sh). A limit is generous, several times the test's
# normal duration: it is no timing assertion, only the end of a hang. A test
# past it is ended with every process it started (see tl_kill) and fails:
# run_limited returns 124 and a "timelimit:" line says so.
# shellcheck shell=sh

# TIMELIMIT_GRACE: seconds between the SIGTERM to a test past its limit (its
# INT/TERM trap then removes its namespaces, VMs and files) and the SIGKILL to
# whatever of it still runs.
: "${TIMELIMIT_GRACE:=30}"

# tl_alive PID: PID runs (a zombie, ended but not yet reaped, does not).
tl_alive() {
  _tl_stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  _tl_state=${_tl_stat##*) }
  [ "${_tl_state%% *}" != Z ]
}

# tl_group PGID: the pids of process group PGID that are no zombies.
tl_group() { ps -e -o pid=,pgid=,stat= | awk -v g="$1" '$2 == g && $3 !~ /^Z/ { print $1 }'; }

# tl_netns PID NETNS_GLOB: the inode numbers of the network namespaces
# that `ip netns` names NETNS_GLOB, as process PID sees its mounts: a
# namespace test runs in a mount namespace of its own, so the runner's
# /run/netns holds only empty files of those names; /proc/PID/root reaches
# the test's own.
tl_netns() {
  for _tl_f in /proc/"$1"/root/run/netns/*; do
    # shellcheck disable=SC2254 # NETNS_GLOB is a pattern
    case ${_tl_f##*/} in
      $2) [ "$(stat -f -L -c %T "$_tl_f" 2>/dev/null)" = nsfs ] && stat -L -c %i "$_tl_f" ;;
    esac
  done
}

# tl_in_netns INODE...: the pids of the processes in those network namespaces.
tl_in_netns() {
  find /proc/[0-9]*/ns/net -maxdepth 0 -printf '%p %l\n' 2>/dev/null |
    awk -v want=" $* " '{ n = $2; gsub(/[^0-9]/, "", n) }
      n != "" && index(want, " " n " ") { split($1, f, "/"); print f[3] }'
}

# tl_kill PGID NETNS_GLOB: ends the test that leads process group PGID:
# SIGTERM to the whole group (the test's shell, and every child of it:
# ip netns exec, tcpdump, qemu-user, qemu-system, sleep), up to
# TIMELIMIT_GRACE s for it to be gone (the test's trap cleans up), then
# SIGKILL to what is left. Then every process still in one of the test's
# network namespaces (NETNS_GLOB, noted before the SIGTERM) is killed,
# whichever group it is in (a daemon may have left it), and the names the
# test left in /run/netns are deleted: a test killed in its cleanup leaves
# nothing behind.
tl_kill() {
  _tl_ns=$(tl_netns "$1" "$2")
  /bin/kill -s TERM -- "-$1" 2>/dev/null
  _tl_n=0
  while [ -n "$(tl_group "$1")" ] && [ "$_tl_n" -lt $((TIMELIMIT_GRACE * 5)) ]; do
    sleep 0.2
    _tl_n=$((_tl_n + 1))
  done
  _tl_left=$(tl_group "$1" | tr '\n' ' ')
  if [ -n "$_tl_left" ]; then
    _tl_ns="$_tl_ns $(tl_netns "$1" "$2")"
    echo "timelimit: still running $TIMELIMIT_GRACE s after SIGTERM, killed (SIGKILL): $_tl_left"
    /bin/kill -s KILL -- "-$1" 2>/dev/null
  fi
  # shellcheck disable=SC2086 # a list of inode numbers
  _tl_pids=$(tl_in_netns $_tl_ns | tr '\n' ' ')
  if [ -n "$_tl_pids" ]; then
    # shellcheck disable=SC2086 # a list of pids
    kill -9 $_tl_pids 2>/dev/null
    echo "timelimit: killed what was left in its network namespaces (SIGKILL): $_tl_pids"
  fi
  # A SIGKILL takes a moment to land: return once all of them have ended
  # (or after 5 s, saying so).
  _tl_n=0
  while :; do
    _tl_left=$(tl_group "$1" | tr '\n' ' ')
    for _tl_p in $_tl_pids; do tl_alive "$_tl_p" && _tl_left="$_tl_left$_tl_p "; done
    [ -z "$_tl_left" ] && break
    if [ "$_tl_n" -ge 25 ]; then
      echo "timelimit: still running 5 s after SIGKILL: $_tl_left"
      break
    fi
    sleep 0.2
    _tl_n=$((_tl_n + 1))
  done
  for _tl_name in $(ip netns list 2>/dev/null | cut -d' ' -f1); do
    # shellcheck disable=SC2254 # NETNS_GLOB is a pattern
    case $_tl_name in
      $2)
        ip netns del "$_tl_name" 2>/dev/null
        echo "timelimit: removed namespace $_tl_name"
        ;;
    esac
  done
}

# run_limited LIMIT NETNS_GLOB PIDFILE CMD...: runs CMD (stdin /dev/null) as
# the leader of a session and process group of its own and waits for it.
# setsid execs CMD (the caller's subshell leads no group), so CMD's pid,
# written to PIDFILE for the caller to signal the group, is the group's id.
# NETNS_GLOB names the network namespaces the test makes, %s standing for
# its pid (nslib.sh's "ipt%s-*"). Returns CMD's exit status; when CMD still
# runs LIMIT seconds after its start, a line says so, tl_kill ends it with
# all its processes, PIDFILE.over is made and the status is 124.
run_limited() {
  _rl_limit=$1
  _rl_glob=$2
  _rl_pidfile=$3
  shift 3
  rm -f "$_rl_pidfile.over"
  setsid "$@" </dev/null &
  _rl_pid=$!
  echo "$_rl_pid" >"$_rl_pidfile"
  # The watchdog: polls once a second; sent SIGTERM once the test has ended
  # (it then kills its own sleep and goes), but deaf to it once it ends the
  # test, which it then sees through.
  (
    _w_end=$(($(date +%s) + _rl_limit))
    _w_s=""
    trap 'kill "$_w_s" 2>/dev/null; exit 0' TERM
    while tl_alive "$_rl_pid"; do
      if [ "$(date +%s)" -ge "$_w_end" ]; then
        trap '' TERM
        : >"$_rl_pidfile.over"
        echo "timelimit: still running after its limit of $_rl_limit s: SIGTERM to its process group $_rl_pid"
        # shellcheck disable=SC2059 # the glob is the format
        tl_kill "$_rl_pid" "$(printf "$_rl_glob" "$_rl_pid")"
        exit 0
      fi
      sleep 1 &
      _w_s=$!
      wait "$_w_s"
    done
  ) &
  _rl_watch=$!
  # A trapped signal (the caller's INT/TERM trap) ends a wait early, with a
  # status above 128 while the test still runs: wait again.
  while :; do
    wait "$_rl_pid"
    _rl_rc=$?
    if [ "$_rl_rc" -le 128 ] || ! tl_alive "$_rl_pid"; then break; fi
  done
  kill "$_rl_watch" 2>/dev/null
  wait "$_rl_watch"
  if [ -e "$_rl_pidfile.over" ]; then
    echo "timelimit: FAILED: hit the time limit after $_rl_limit s; ended with all its processes"
    return 124
  fi
  return "$_rl_rc"
}
