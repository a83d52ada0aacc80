# Shared helpers for the shell tests: checks that count, and a closing line
# "NAME: N passed, N failed" that CI reads.
# shellcheck shell=sh

passed=0
failed=0

ok() {
  passed=$((passed + 1))
  printf 'ok   %s\n' "$*"
}

not_ok() {
  failed=$((failed + 1))
  printf 'FAIL %s\n' "$*"
}

# check DESCRIPTION COMMAND...: passes when the command exits 0.
check() {
  desc=$1
  shift
  if "$@"; then ok "$desc"; else not_ok "$desc"; fi
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
  printf '%s: %d passed, %d failed\n' "$1" "$passed" "$failed"
  [ "$failed" = 0 ] && [ "$passed" -gt 0 ]
}
