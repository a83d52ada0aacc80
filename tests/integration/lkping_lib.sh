# lkping beside iputils ping in node a, for t_lkping.sh and t_lkping6.sh:
# set PING to the ping command line ("ping", "ping -6") before sourcing.

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
