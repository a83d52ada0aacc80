# SPDX-License-Identifier: Apache-2.0
# lkping beside iputils ping in node a, for t_lkping.sh and t_lkping6.sh:
# set PING to the ping command line ("ping", "ping -6") before sourcing, and
# start a capture into $tmp/dump (one line per packet) for mark and wire.
# shellcheck disable=SC2154 # $tmp is the test's

# lk ARGS...: lkping in a; output in $tmp/lk, status in $lrc.
lk() {
  lkping_in a "$@" >"$tmp/lk" 2>&1
  lrc=$?
}
# pg ARGS...: iputils ping in a; output in $tmp/pg, status in $prc.
pg() {
  # shellcheck disable=SC2086 # PING is a command and its options
  in_ns a $PING "$@" >"$tmp/pg" 2>&1
  prc=$?
}

# both DESC WANT ARGS...: ping and lkping with the same ARGS both exit WANT.
both() {
  desc=$1
  want=$2
  shift 2
  pg "$@"
  lk "$@"
  if [ "$lrc" = "$want" ] && [ "$prc" = "$want" ]; then
    ok "$desc: $PING and lkping exit $want"
  else
    not_ok "$desc: lkping $lrc, $PING $prc, expected $want; lkping said: $(head -c 300 "$tmp/lk")"
  fi
}

# lk_exit DESC WANT ARGS...: lkping alone.
lk_exit() {
  desc=$1
  want=$2
  shift 2
  lk "$@"
  if [ "$lrc" = "$want" ]; then
    ok "$desc (exit $lrc)"
  else
    not_ok "$desc: exit $lrc, expected $want: $(head -c 300 "$tmp/lk")"
  fi
}

no_reply_line() { ! grep -q 'bytes from' "$tmp/lk"; }

# Reply times and durations differ between runs; the rest must not.
normalize() {
  sed -E 's/time=[0-9.]+ ms/time=T ms/; s/time [0-9]+ms/time Tms/; s|= [0-9./]+ ms|= R ms|' "$1"
}

# same_output DESC: lkping's output, and ping's for the same ARGS (both),
# are the same but for the times.
same_output() {
  if [ "$(normalize "$tmp/pg")" = "$(normalize "$tmp/lk")" ]; then
    ok "$1: output as $PING's but for the times"
  else
    not_ok "$1: output differs: ping: $(normalize "$tmp/pg") lkping: $(normalize "$tmp/lk")"
  fi
}

# mark: the capture starts over here, once what came before is written.
mark() {
  sleep 0.2
  wire_from=$(($(wc -l <"$tmp/dump") + 1))
}
# wire PATTERN: the capture since the last mark has a packet matching it.
wire() {
  sleep 0.2  # tcpdump writes each packet as it sees it; give it the moment
  tail -n +"$wire_from" "$tmp/dump" | grep -qE -- "$1"
}
