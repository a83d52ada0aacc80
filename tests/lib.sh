# Shared helpers for the shell tests: checks that count, and a closing line
# "NAME: N passed, N failed" that CI reads.
# shellcheck shell=sh

passed=0
failed=0
skipped=0

ok() {
  passed=$((passed + 1))
  printf 'ok   %s\n' "$*"
}

not_ok() {
  failed=$((failed + 1))
  printf 'FAIL %s\n' "$*"
}

# skip DESCRIPTION: a check that cannot run here, reported as such (never
# counted as passed).
skip() {
  skipped=$((skipped + 1))
  printf 'SKIP %s\n' "$*"
}

# check DESCRIPTION COMMAND...: passes when the command exits 0.
check() {
  desc=$1
  shift
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" = 0 ]; then
    ok "$desc"
  else
    not_ok "$desc (exit $rc): $(printf '%s' "$out" | tail -c 600)"
  fi
}

# check_exit DESCRIPTION EXPECTED_STATUS COMMAND...
check_exit() {
  desc=$1
  want=$2
  shift 2
  "$@" >/dev/null 2>&1
  got=$?
  if [ "$got" = "$want" ]; then ok "$desc (exit $got)"; else not_ok "$desc: exit $got, expected $want"; fi
}

# summary NAME: prints the closing line and returns non-zero on any failure.
summary() {
  if [ "$skipped" -gt 0 ]; then
    printf '%s: %d passed, %d failed, %d skipped\n' "$1" "$passed" "$failed" "$skipped"
  else
    printf '%s: %d passed, %d failed\n' "$1" "$passed" "$failed"
  fi
  [ "$failed" = 0 ] && [ "$passed" -gt 0 ]
}

# check_out DESCRIPTION PATTERN COMMAND...: passes when the command exits 0
# and its output has a line matching the extended regex PATTERN.
check_out() {
  desc=$1
  pat=$2
  shift 2
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" = 0 ] && printf '%s\n' "$out" | grep -qE -- "$pat"; then
    ok "$desc"
  else
    not_ok "$desc: exit $rc, output: $(printf '%s' "$out" | head -c 400)"
  fi
}

# check_no_out DESCRIPTION PATTERN COMMAND...: passes when the command exits 0
# and no line of its output matches PATTERN.
check_no_out() {
  desc=$1
  pat=$2
  shift 2
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" = 0 ] && ! printf '%s\n' "$out" | grep -qE -- "$pat"; then
    ok "$desc"
  else
    not_ok "$desc: exit $rc, output: $(printf '%s' "$out" | head -c 400)"
  fi
}

# check_text DESCRIPTION PATTERN TEXT: passes when TEXT has a line matching
# the extended regex PATTERN (for output captured earlier).
check_text() {
  if printf '%s\n' "$3" | grep -qE -- "$2"; then
    ok "$1"
  else
    not_ok "$1: got: $(printf '%s' "$3" | head -c 400)"
  fi
}
