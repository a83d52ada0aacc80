# SPDX-License-Identifier: Apache-2.0
# Binary packages of another Debian release (bullseye, trixie, ...) through
# apt with a private configuration: its own source list (the machine's
# Debian mirror, the other suite, main only), package lists and cache under
# build/apt-suite/SUITE; nothing is added to the machine's apt sources. apt
# checks the suite's Release file against Debian's archive keyring and every
# .deb against it. Sourced by tests/boot/kernel.sh.
# shellcheck shell=sh

# apt_suite_mirror: the URI of the machine's Debian mirror, the first
# source (deb822 or one-line) that serves the machine's own release.
apt_suite_mirror() {
  _codename=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release)
  for _f in /etc/apt/sources.list.d/*.sources; do
    [ -e "$_f" ] || continue
    awk -v suite="$_codename" '
      function flush() { if (deb && hit && uri != "") { print uri; found = 1; exit } deb = hit = 0; uri = "" }
      /^[ \t]*$/ { flush(); next }
      /^Types:/ { deb = (" " $0 " ") ~ / deb / }
      /^URIs:/ { uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) hit = 1 }
      END { if (!found) flush() }' "$_f"
  done
  [ -f /etc/apt/sources.list ] &&
    sed -n "s/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) $_codename .*/\2/p" /etc/apt/sources.list
}

# apt_suite SUITE DEBARCHES LIMIT: exports APT_CONFIG, a private
# configuration for Debian's SUITE and the architectures DEBARCHES (a
# space-separated list), so that apt-cache and apt-get (and toolchain/deb.sh)
# see that release alone. Its package lists are downloaded once (again with
# apt_suite_update); downloads end after LIMIT seconds.
apt_suite() {
  _dir=$PWD/build/apt-suite/$1-$(echo "$2" | tr " " +)
  _mirror=$(apt_suite_mirror | head -n 1)
  [ -n "$_mirror" ] || { echo "apt_suite: no Debian mirror in the machine's apt sources" >&2; return 1; }
  mkdir -p "$_dir/parts" "$_dir/lists/partial" "$_dir/cache/archives/partial"
  printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' "$_mirror" "$1" \
    /usr/share/keyrings/debian-archive-keyring.gpg >"$_dir/parts/$1.sources"
  : >"$_dir/sources.list"
  {
    echo "Dir::Etc::SourceList \"$_dir/sources.list\";"
    echo "Dir::Etc::SourceParts \"$_dir/parts\";"
    echo "Dir::State::Lists \"$_dir/lists\";"
    echo "Dir::Cache \"$_dir/cache\";"
    echo "APT::Sandbox::User \"root\";"
    echo "Acquire::Languages \"none\";"
    printf 'APT::Architectures {'
    for _a in $2; do printf ' "%s";' "$_a"; done
    echo ' };'
  } >"$_dir/apt.conf"
  APT_CONFIG=$_dir/apt.conf
  export APT_CONFIG
  apt_suite_limit=$3
  ls "$_dir/lists/"*_InRelease >/dev/null 2>&1 || apt_suite_update
}

# apt_suite_update: the private configuration's package lists downloaded
# afresh (a cached list can name a kernel the mirror no longer has).
apt_suite_update() {
  _log=$(dirname "$APT_CONFIG")/update.log
  if ! timeout "$apt_suite_limit" apt-get -q update >"$_log" 2>&1 || grep -q '^[WE]:' "$_log"; then
    cat "$_log" >&2
    echo "apt_suite: apt-get update failed ($APT_CONFIG)" >&2
    return 1
  fi
}
