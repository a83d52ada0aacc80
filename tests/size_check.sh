#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Sizes a reader can hold in their head: no file under src/ of 300 lines or
# more, no function of more than 60. Reads clang-formatted C++ as it is laid
# out: a statement that starts a line and ends in "{" opens a body, closed by
# the "}" at that statement's own indent. At namespace or class level, such a
# statement whose head ends in ")" (then const, override, noexcept or a
# constructor's initializers) is a function; class, struct, union, enum,
# namespace and extern "C" bodies are looked into for more; initializers and
# lambdas are not functions, and nothing inside a function is counted
# apart from it. A function's size is its lines from the head to the "}".
#
#   sh tests/size_check.sh [FILE...]    default: every .cc and .h under src/
#   MAX_FUNCTION_LINES=0 sh tests/size_check.sh FILE    lists every function found
set -u
cd "$(dirname "$0")/.." || exit 1
MAX_FILE_LINES=300
: "${MAX_FUNCTION_LINES:=60}" # 0 lists every function found

if [ $# -eq 0 ]; then
  # shellcheck disable=SC2046 # names under src/ have no blanks
  set -- $(find src -name '*.cc' -o -name '*.h' | sort)
fi

status=0
for f in "$@"; do
  n=$(wc -l <"$f")
  if [ "$n" -ge "$MAX_FILE_LINES" ]; then
    echo "size: $f: $n lines (a file has fewer than $MAX_FILE_LINES)"
    status=1
  fi
done

awk -v max="$MAX_FUNCTION_LINES" '
function indent_of(s) { match(s, /^ */); return RLENGTH }
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
# A line without what its strings and a trailing comment hold.
function code_of(s) {
  gsub(/"([^"\\]|\\.)*"/, "\"\"", s)
  gsub(/'\''([^'\''\\]|\\.)*'\''/, "0", s)
  sub(/\/\/.*$/, "", s)
  return trim(s)
}
# A head without its template<...> prefix and its "{".
function clean(s) {
  if (s ~ /^template[ \t]*</) sub(/^template[ \t]*<[^{]*>[ \t]*/, "", s)
  sub(/[ \t]*\{$/, "", s)
  return s
}
# "=" outside parentheses, not part of ==, !=, <=, >= or operator=.
function assigns(s,   i, c, depth, prev, next_c) {
  gsub(/operator[ \t]*[^ \t(]*[ \t]*\(/, "operator(", s)
  depth = 0
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1)
    if (c == "(") depth++
    else if (c == ")") depth--
    else if (c == "=" && depth == 0) {
      prev = substr(s, i - 1, 1)
      next_c = substr(s, i + 1, 1)
      if (next_c != "=" && prev !~ /[=!<>]/) return 1
    }
  }
  return 0
}
# Name of the function a head declares: the word before its first "(".
function name_of(s) {
  sub(/\(.*/, "", s)
  sub(/.*[ \t*&]/, "", s)
  return s
}
function kind_of(s) {
  if (s ~ /^(namespace|class|struct|union|enum)([ \t{]|$)/) return "container"
  if (s ~ /^extern[ \t]+""$/) return "container"
  if (s ~ /^(typedef|using)[ \t]/) return "other"
  if (s ~ /(^|[^A-Za-z0-9_])(class|struct|union|enum)[ \t]+[A-Za-z_][A-Za-z0-9_:]*[ \t]*(final)?[ \t]*(:[^:].*)?$/ && s !~ /\(/) return "container"
  if (assigns(s)) return "other"
  if (s ~ /\][ \t]*(\(|\{|mutable|->|$)/) return "other"
  if (s ~ /^(if|for|while|switch|do|else|try|catch|case|default)([ \t(:{]|$)/) return "other"
  if (s ~ /\)[ \t]*((const|override|final|noexcept|volatile|&|&&)[ \t]*)*(->[^{]*)?$/) return "function"
  if (s ~ /\)[ \t]*:[^:]/ || s ~ /^[A-Za-z_][A-Za-z0-9_:~]*\(.*\)[ \t]*:/) return "function"
  return "other"
}
FNR == 1 { depth = 0; head = "" }
{
  line = $0
  code = code_of(line)
  if (depth > 0 && stack_kind[depth] != "container") {
    # Inside a function or an initializer: only its own "}" matters.
    if (code ~ /^\}/ && indent_of(line) == stack_indent[depth]) {
      if (stack_kind[depth] == "function") {
        len = FNR - stack_line[depth] + 1
        if (len > max) {
          printf "size: %s:%d: %s() %d lines (a function has at most %d)\n", \
            FILENAME, stack_line[depth], stack_name[depth], len, max
          bad = 1
        }
      }
      depth--
    }
    next
  }
  if (code == "" || code ~ /^(\/\*|\*|#)/) next
  if (depth > 0 && code ~ /^\}/ && indent_of(line) == stack_indent[depth]) {
    depth--
    head = ""
    next
  }
  if (code ~ /^(public|private|protected):$/) next
  if (head == "") {
    head_line = FNR
    head_indent = indent_of(line)
    head = code
  } else {
    head = head " " code
  }
  if (code ~ /\{$/) {
    s = clean(head)
    depth++
    stack_kind[depth] = kind_of(s)
    stack_indent[depth] = head_indent
    stack_line[depth] = head_line
    stack_name[depth] = name_of(s)
    head = ""
  } else if (code ~ /[;}]$/) {
    head = ""
  }
}
END { exit bad }
' "$@" || status=1
exit $status
