#!/bin/sh
# musl for a CPU Debian ships no musl-dev for (big-endian mips): built from
# Debian's own musl source package, the version of the musl-dev the other
# CPUs use, with Debian's cross compiler. Installed into PREFIX with a
# musl-gcc.specs like Debian's; a rerun with that version in place does
# nothing.
#
#   sh toolchain/musl-source.sh TRIPLE PREFIX
#
# The source comes through apt with a private configuration (its own source
# list, package lists and cache under build/musl-src): deb-src entries made
# from the machine's own Debian sources, nothing added to them. apt checks
# every file against the archive's signed Sources index; dpkg-source checks
# them against the .dsc. IPRES_MUSL_TIME_LIMIT (s, default 1200) ends a
# download or build that hangs.
set -eu
cd "$(dirname "$0")/.." || exit 1
[ $# = 2 ] || { echo "usage: sh toolchain/musl-source.sh TRIPLE PREFIX" >&2; exit 2; }
triple=$1
prefix=$2
case $prefix in /*) ;; *) prefix=$PWD/$prefix ;; esac
limit=${IPRES_MUSL_TIME_LIMIT:-1200}
# shellcheck disable=SC2016 # ${source:Version} is dpkg-query's field
version=$(dpkg-query -W -f='${source:Version}' "musl-dev:$(dpkg --print-architecture)")
upstream=${version%-*}
[ "$(cat "$prefix/.version" 2>/dev/null)" = "$version" ] && exit 0
command -v "$triple-gcc" >/dev/null || { echo "musl-source.sh: no $triple-gcc (toolchain/setup.sh installs it)" >&2; exit 1; }

work=$PWD/build/musl-src
apt=$work/apt
mkdir -p "$apt/parts" "$apt/lists/partial" "$apt/cache/archives/partial"
rm -f "$apt/parts/"*
for f in /etc/apt/sources.list.d/*.sources; do
  [ -e "$f" ] && sed 's/^Types:.*/Types: deb-src/' "$f" >"$apt/parts/$(basename "$f")"
done
if [ -f /etc/apt/sources.list ]; then
  sed -n 's/^deb \(.*\)/deb-src \1/p' /etc/apt/sources.list >"$apt/parts/machine.list"
fi
set -- -o Dir::Etc::SourceList="$apt/parts/machine.list" -o Dir::Etc::SourceParts="$apt/parts" \
  -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" -o APT::Sandbox::User=root -q
echo "musl-source.sh: musl $version for $triple from Debian's source package" >&2
timeout "$limit" apt-get "$@" update >"$work/apt-update.log" 2>&1 ||
  echo "musl-source.sh: apt-get update reported errors (see $work/apt-update.log); going on" >&2
src=$work/$triple
rm -rf "$src"
mkdir -p "$src"
(cd "$src" && timeout "$limit" apt-get "$@" source --download-only "musl=$version") >"$work/apt-source.log" 2>&1 ||
  { cat "$work/apt-source.log" >&2; echo "musl-source.sh: apt-get source musl=$version failed" >&2; exit 1; }
dsc=$(ls "$src"/musl_*.dsc)
(cd "$src" && dpkg-source -x "$dsc" "musl-$upstream") >"$work/dpkg-source.log" 2>&1 ||
  { cat "$work/dpkg-source.log" >&2; exit 1; }

# Static only (no dynamic loader is installed anywhere); the wrapper's specs
# file is what the Makefile's MUSL_SPECS names.
cd "$src/musl-$upstream"
{
  ./configure --prefix="$prefix" --target="$triple" CROSS_COMPILE="$triple-" \
    --disable-shared --enable-wrapper=gcc &&
    timeout "$limit" make -j2 &&
    make install
} >"$work/build-$triple.log" 2>&1 || { tail -n 30 "$work/build-$triple.log" >&2; exit 1; }
echo "$version" >"$prefix/.version"
echo "musl-source.sh: installed in $prefix" >&2
