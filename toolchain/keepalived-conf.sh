#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# keepalived-conf.sh BOARD IPRES_CONF TEMPLATE: prints the example
# keepalived.conf for BOARD's resources (make writes it to
# build/BOARD/keepalived.conf, make install to
# /usr/share/ipres/examples/keepalived.conf).
#
# TEMPLATE is rootfs-overlay/etc/keepalived/keepalived.conf, written for the
# x86_64 board's one resource, ip-gw on eth0. Its parts: the head (comments
# and global_defs, up to global_defs' closing brace), one resource's block
# (the comment before its vrrp_script, the vrrp_script and the vrrp_instance)
# and the tail (the commented dual-stack block). The output is the head, the
# block once per resource of IPRES_CONF in its order (tag, device and
# virtual_router_id 51, 52, ... put in), and the tail for the first resource;
# for the x86_64 board it is TEMPLATE itself, after a first line naming the
# board. IPRES_CONF has passed the config generator already (make runs this
# after it), so only its sections, DEVICE and AUTOSTART are read here, the
# way src/config/parser.cc reads them: '#' starts a comment anywhere, blanks
# around keys and values do not count, a value may be quoted.
set -eu
[ $# = 3 ] || { echo "usage: $0 BOARD IPRES_CONF TEMPLATE" >&2; exit 2; }

awk -v board="$1" -v template="$3" '
function trim(s) { sub(/^[ \t\r]+/, "", s); sub(/[ \t\r]+$/, "", s); return s }
# replace_all(S, FROM, TO): S with every FROM replaced by TO, as plain text.
function replace_all(s, from, to,    out, i) {
  out = ""
  while ((i = index(s, from)) > 0) {
    out = out substr(s, 1, i - 1) to
    s = substr(s, i + length(from))
  }
  return out s
}
# fill(TEXT, N): TEXT (the template names ip-gw on eth0) for resource N.
function fill(text, n,    name) {
  name = tag[n]
  gsub(/-/, "_", name)
  text = replace_all(text, "ip-gw", tag[n])
  text = replace_all(text, "ip_gw", name)
  text = replace_all(text, "interface eth0\n", "interface " dev[n] "\n")
  return text
}
# The board: its resources in order, each one with its DEVICE and AUTOSTART.
{
  line = $0
  sub(/#.*/, "", line)
  line = trim(line)
  if (line == "") next
  if (line ~ /^\[/) {
    count++
    tag[count] = trim(substr(line, 2, length(line) - 2))
    autostart[count] = default_autostart
    next
  }
  eq = index(line, "=")
  key = trim(substr(line, 1, eq - 1))
  value = trim(substr(line, eq + 1))
  if (value ~ /^".*"$/ && length(value) >= 2) value = trim(substr(value, 2, length(value) - 2))
  if (key == "DEVICE" && count) dev[count] = value
  if (key == "AUTOSTART") { if (count) autostart[count] = value; else default_autostart = value }
}
BEGIN { default_autostart = "1" }
END {
  # The template in its three parts.
  part = "head"
  while ((getline t < template) > 0) {
    if (part == "head") head = head t "\n"
    else if (part == "block") block = block t "\n"
    else tail = tail t "\n"
    if (part == "head" && t ~ /^}/) part = "block"
    else if (part == "block" && t ~ /^vrrp_instance /) inst = 1
    else if (part == "block" && inst && t ~ /^}/) part = "tail"
  }
  close(template)
  if (block == "" || tail == "") { print "keepalived-conf.sh: " template " lost its shape" > "/dev/stderr"; exit 1 }
  if (!count) {
    printf "# Board %s has no resource (%s): no example for keepalived.\n", board, FILENAME
    exit 0
  }
  tags = "`" tag[1] "`"
  for (n = 2; n <= count; n++) tags = tags ", `" tag[n] "`"
  printf "# The example for board %s (make generates it from %s).\n", board, template
  printf "%s", replace_all(head, "the board'"'"'s `ip-gw`", "the board'"'"'s " tags)
  for (n = 1; n <= count; n++) {
    text = fill(block, n)
    text = replace_all(text, "virtual_router_id 51\n", "virtual_router_id " (50 + n) "\n")
    if (autostart[n] != "0") {
      text = "\n# " tag[n] " has AUTOSTART=" autostart[n] " in the board'"'"'s ipres.conf: set AUTOSTART=0\n" \
        "# there, so that keepalived alone decides where the address is.\n" substr(text, 1 + (substr(text, 1, 1) == "\n"))
    }
    printf "%s", text
  }
  printf "%s", replace_all(fill(tail, 1), "virtual_router_id 52", "virtual_router_id " (51 + count))
}' "$2"
