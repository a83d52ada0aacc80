# SPDX-License-Identifier: Apache-2.0
# Shared helpers for the shell tests: checks that count, and a closing line
# "NAME: N passed, N failed" that CI reads.
# shellcheck shell=sh

# The CPUs every build is checked on (the Makefile's ALL_ARCHES).
# shellcheck disable=SC2034 # read by the scripts that source this
IPRES_ALL_ARCHES="x86_64 aarch64 armv7 mipsel mips s390x"

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
  _lib_desc=$1
  shift
  _lib_out=$("$@" 2>&1)
  _lib_rc=$?
  if [ "$_lib_rc" = 0 ]; then
    ok "$_lib_desc"
  else
    not_ok "$_lib_desc (exit $_lib_rc): $(printf "%s" "$_lib_out" | grep -iE "fail|error|denied|not " | tail -n 5)"
  fi
}

# check_exit DESCRIPTION EXPECTED_STATUS COMMAND...
check_exit() {
  _lib_desc=$1
  _lib_want=$2
  shift 2
  "$@" >/dev/null 2>&1
  _lib_got=$?
  if [ "$_lib_got" = "$_lib_want" ]; then ok "$_lib_desc (exit $_lib_got)"; else not_ok "$_lib_desc: exit $_lib_got, expected $_lib_want"; fi
}

# summary NAME: prints the closing line and returns non-zero on any failure.
summary() {
  if [ "$skipped" -gt 0 ]; then
    printf '%s: %d passed, %d failed, %d skipped\n' "$1" "$passed" "$failed" "$skipped"
  else
    printf '%s: %d passed, %d failed\n' "$1" "$passed" "$failed"
  fi
  # Nothing failed, and something ran or was openly skipped.
  [ "$failed" = 0 ] && [ $((passed + skipped)) -gt 0 ]
}

# check_out DESCRIPTION PATTERN COMMAND...: passes when the command exits 0
# and its output has a line matching the extended regex PATTERN.
check_out() {
  _lib_desc=$1
  _lib_pat=$2
  shift 2
  _lib_out=$("$@" 2>&1)
  _lib_rc=$?
  if [ "$_lib_rc" = 0 ] && printf '%s\n' "$_lib_out" | grep -qE -- "$_lib_pat"; then
    ok "$_lib_desc"
  else
    not_ok "$_lib_desc: exit $_lib_rc, output: $(printf '%s' "$_lib_out" | head -c 400)"
  fi
}

# check_no_out DESCRIPTION PATTERN COMMAND...: passes when the command exits 0
# and no line of its output matches PATTERN.
check_no_out() {
  _lib_desc=$1
  _lib_pat=$2
  shift 2
  _lib_out=$("$@" 2>&1)
  _lib_rc=$?
  if [ "$_lib_rc" = 0 ] && ! printf '%s\n' "$_lib_out" | grep -qE -- "$_lib_pat"; then
    ok "$_lib_desc"
  else
    not_ok "$_lib_desc: exit $_lib_rc; lines matching: $(printf '%s\n' "$_lib_out" | grep -E -- "$_lib_pat" | head -c 600); output: $(printf '%s' "$_lib_out" | head -c 400)"
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

# check_static_binary LABEL BIN: the promises every shipped binary keeps
# (tests/build_checks.sh, tests/firmware_checks.sh).
check_static_binary() {
  check "$1: $2 is statically linked" sh -c "file '$2' | grep -q 'statically linked'"
  check "$1: $2 is stripped" sh -c "file '$2' | grep -q ', stripped'"
  check "$1: no GLIBC symbol versions" sh -c "! strings '$2' | grep -q GLIBC"
  check "$1: no libstdc++ runtime" sh -c "! strings '$2' | grep -qE 'GLIBCXX|__gxx_personality|_Unwind_Resume'"
}
