#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The spec as the table of contents: every step of tests/spec_steps.txt has
# exactly one marker line `// spec: OPERATION N` in the .cc and .h files under
# src/, right above the function that does the step (the next line is code),
# and no marker names a step that is not in the list. Each missing, doubled,
# misplaced or unknown marker is a FAIL line naming the step and the files.
#
# With SPEC_FILE=PATH (the spec's text, ip-recovery-kit-operations.txt; the
# project's clone does not hold it, so .ci/run passes ../shared's when it is
# there), the list is also checked against the spec: under each operation's
# heading ("... (restore)", "(remove)", "(quickCheck)", "(recover)"), its
# "- " lines up to the next heading (another operation's, or a line of
# letters and spaces only, such as "Connectivity check") are its steps 1, 2,
# ...; any difference fails, shown as a diff. Without SPEC_FILE that part is
# a "# skip:" line, never a pass.
#
#   sh tests/spec_steps.sh                 (make check-steps, in make test)
#   SPEC_FILE=../shared/spec/ip-recovery-kit-operations.txt sh tests/spec_steps.sh
set -u
cd "$(dirname "$0")/.." || exit 1
LIST=tests/spec_steps.txt
[ -r "$LIST" ] || { echo "spec steps: no $LIST" >&2; exit 1; }

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() {
  echo "FAIL spec steps: $*"
  failed=$((failed + 1))
}

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# The list's steps as "OPERATION N", and the markers as "OPERATION N<TAB>FILE:LINE<TAB>NEXT LINE".
grep -v '^#' "$LIST" | grep -v '^$' >"$tmp/list"
cut -d' ' -f1-2 "$tmp/list" >"$tmp/steps"
[ -s "$tmp/steps" ] || { echo "spec steps: $LIST lists no step" >&2; exit 1; }
find src -name '*.cc' -o -name '*.h' | sort | while read -r f; do
  awk -v f="$f" '
    marker != "" { print marker "\t" f ":" line "\t" $0; marker = "" }
    /^[ \t]*\/\/ spec: / { marker = $0; sub(/^[ \t]*\/\/ spec: /, "", marker); line = FNR }
    END { if (marker != "") print marker "\t" f ":" line "\t" }
  ' "$f"
done >"$tmp/markers"

while read -r op n; do
  where=$(awk -F'\t' -v s="$op $n" '$1 == s { printf " %s", $2 }' "$tmp/markers")
  count=$(awk -F'\t' -v s="$op $n" '$1 == s' "$tmp/markers" | wc -l)
  if [ "$count" -eq 0 ]; then
    fail "$op $n: no \"// spec: $op $n\" marker under src/"
  elif [ "$count" -gt 1 ]; then
    fail "$op $n: $count markers:$where"
  else
    pass
  fi
done <"$tmp/steps"

# Markers that name no listed step, and markers not right above code.
while IFS="$(printf '\t')" read -r step at next; do
  if ! grep -qxF "$step" "$tmp/steps"; then
    fail "\"// spec: $step\" at $at: no such step in $LIST"
  fi
  case $(printf '%s' "$next" | sed 's/^[ \t]*//') in
    '' | '//'* | '}'*)
      fail "\"// spec: $step\" at $at: not right above a function (next line: '$next')"
      ;;
  esac
done <"$tmp/markers"

if [ -z "${SPEC_FILE:-}" ]; then
  echo "# skip: $LIST against the spec's text: SPEC_FILE not set (the spec is not in this tree)"
elif [ ! -r "$SPEC_FILE" ]; then
  fail "SPEC_FILE=$SPEC_FILE: cannot read it"
else
  tr -d '\r' <"$SPEC_FILE" | awk '
    /\((restore|remove|quickCheck|recover)\)$/ {
      op = $0; sub(/.*\(/, "", op); sub(/\)$/, "", op); n = 0; next
    }
    /^[A-Z][A-Za-z ]*$/ { op = "" }
    op != "" && /^- / { print op " " ++n " " substr($0, 3) }
  ' >"$tmp/spec"
  if [ ! -s "$tmp/spec" ]; then
    fail "$SPEC_FILE: no operation heading with \"- \" steps found"
  elif diff -u "$tmp/spec" "$tmp/list" >"$tmp/diff"; then
    pass
    echo "ok   $LIST matches the spec's $(wc -l <"$tmp/spec") steps ($SPEC_FILE)"
  else
    fail "$LIST differs from the spec's steps ($SPEC_FILE; - spec, + list):"
    sed 1,2d "$tmp/diff"
  fi
fi

echo "spec steps: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
