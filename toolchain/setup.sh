#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# setup.sh PACKAGE...: installs the named Debian packages that are missing
# (the Makefile names them: a build's few with make setup, the tests' with
# make test-setup, a target's own beside). Idempotent: silent and quick when
# everything is already there. PACKAGE:ARCH (musl-dev:arm64) adds Debian's
# ARCH to dpkg's foreign architectures first.
set -eu
[ $# -gt 0 ] || { echo "usage: $0 PACKAGE..." >&2; exit 2; }
packages=$*

missing=""
for p in $packages; do
  # ${Status} is dpkg-query's field, not a shell variable.
  # shellcheck disable=SC2016
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$st" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "toolchain/setup.sh: missing packages:$missing (run as root to install them)" >&2
  exit 1
fi

echo "toolchain/setup.sh: installing$missing" >&2
for p in $missing; do
  case $p in
    *:*) a=${p#*:}
      [ "$a" = "$(dpkg --print-architecture)" ] || dpkg --print-foreign-architectures | grep -qx "$a" ||
        dpkg --add-architecture "$a" ;;
  esac
done
# One armhf security index is known to fail to download; the rest is usable.
apt-get update -q >/dev/null 2>&1 || echo "toolchain/setup.sh: apt-get update reported errors; going on" >&2
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null
echo "toolchain/setup.sh: done" >&2
