# SPDX-License-Identifier: Apache-2.0
# Debian packages for another CPU, fetched and unpacked without installing
# them (apt-get download + dpkg-deb -x). Sourced by toolchain/image.sh and
# tests/boot/.
# shellcheck shell=sh

# deb_arch ARCH: Debian's name for an ipres ARCH (x86_64, aarch64, armv7,
# mipsel, s390x). Big-endian mips has none: Debian left it after Debian 10.
deb_arch() {
  case "$1" in
    x86_64) echo amd64 ;;
    aarch64) echo arm64 ;;
    armv7) echo armhf ;;
    mipsel) echo mipsel ;;
    s390x) echo s390x ;;
    mips) echo "deb.sh: Debian 11 and later build no big-endian mips packages (no busybox-static:mips)" >&2; return 1 ;;
    *) echo "deb.sh: unknown ARCH '$1'" >&2; return 1 ;;
  esac
}

# deb_fetch PACKAGE DEBARCH CACHE: the path of PACKAGE's .deb for DEBARCH in
# the folder CACHE, downloaded once (the candidate version apt knows). A
# stale package list is refreshed once when the download fails.
deb_fetch() {
  _deb_ver=$(apt-cache policy "$1:$2" 2>/dev/null | sed -n 's/^ *Candidate: //p')
  if [ -z "$_deb_ver" ] || [ "$_deb_ver" = "(none)" ]; then
    echo "deb.sh: no candidate for $1:$2 (is the architecture added? see toolchain/setup.sh)" >&2
    return 1
  fi
  # apt-get download names the file with the version's colon as %3a.
  _deb_file="$3/$1_$(printf '%s' "$_deb_ver" | sed 's/:/%3a/')_$2.deb"
  if [ ! -s "$_deb_file" ]; then
    mkdir -p "$3"
    if ! (cd "$3" && apt-get download -q "$1:$2=$_deb_ver" >/dev/null 2>&1); then
      apt-get update -q >/dev/null 2>&1 || true
      _deb_ver=$(apt-cache policy "$1:$2" | sed -n 's/^ *Candidate: //p')
      _deb_file="$3/$1_$(printf '%s' "$_deb_ver" | sed 's/:/%3a/')_$2.deb"
      (cd "$3" && apt-get download -q "$1:$2=$_deb_ver" >/dev/null 2>&1) || {
        echo "deb.sh: apt-get download $1:$2 failed" >&2
        return 1
      }
    fi
  fi
  [ -s "$_deb_file" ] || { echo "deb.sh: $_deb_file missing after download" >&2; return 1; }
  echo "$_deb_file"
}

# deb_unpack DEB DIR: DIR holds DEB's files (fresh, once per .deb).
deb_unpack() {
  if [ ! -f "$2/.unpacked" ] || [ "$(cat "$2/.unpacked")" != "$(basename "$1")" ]; then
    rm -rf "$2"
    mkdir -p "$2"
    dpkg-deb -x "$1" "$2" || return 1
    basename "$1" >"$2/.unpacked"
  fi
}
