# SPDX-License-Identifier: Apache-2.0
# Debian source packages through apt with a private configuration: its own
# source list (deb-src entries made from the machine's Debian sources,
# nothing added to them), package lists and cache under build/apt-src.
# apt checks every file against the archive's signed Sources index and
# dpkg-source checks them against the .dsc. Sourced by toolchain/
# musl-source.sh and qemu-source.sh.
# shellcheck shell=sh

# apt_source PACKAGE VERSION DIR LIMIT: DIR/PACKAGE-src holds the unpacked
# source of PACKAGE=VERSION (fresh); downloads end after LIMIT seconds.
apt_source() {
  _apt=$PWD/build/apt-src
  mkdir -p "$_apt/parts" "$_apt/lists/partial" "$_apt/cache/archives/partial"
  rm -f "$_apt/parts/"*
  for _f in /etc/apt/sources.list.d/*.sources; do
    [ -e "$_f" ] && sed 's/^Types:.*/Types: deb-src/' "$_f" >"$_apt/parts/$(basename "$_f")"
  done
  : >"$_apt/parts/machine.list"
  if [ -f /etc/apt/sources.list ]; then
    sed -n 's/^deb \(.*\)/deb-src \1/p' /etc/apt/sources.list >"$_apt/parts/machine.list"
  fi
  set -- "$1" "$2" "$3" "$4" -o Dir::Etc::SourceList="$_apt/parts/machine.list" \
    -o Dir::Etc::SourceParts="$_apt/parts" -o Dir::State::Lists="$_apt/lists" \
    -o Dir::Cache="$_apt/cache" -o APT::Sandbox::User=root -q
  _pkg=$1 _ver=$2 _dir=$3 _limit=$4
  shift 4
  timeout "$_limit" apt-get "$@" update >"$_apt/update.log" 2>&1 ||
    echo "apt_source: apt-get update reported errors (see $_apt/update.log); going on" >&2
  rm -rf "$_dir"
  mkdir -p "$_dir"
  (cd "$_dir" && timeout "$_limit" apt-get "$@" source --download-only "$_pkg=$_ver") \
    >"$_dir/apt-source.log" 2>&1 ||
    { cat "$_dir/apt-source.log" >&2; echo "apt_source: apt-get source $_pkg=$_ver failed" >&2; return 1; }
  (cd "$_dir" && dpkg-source -x ./*.dsc "$_pkg-src") >"$_dir/dpkg-source.log" 2>&1 ||
    { cat "$_dir/dpkg-source.log" >&2; return 1; }
}
