#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make test on a fresh Debian 12, as near as a chroot gets: debootstrap's
# minbase with git, make, ca-certificates and iproute2; the repository's
# committed HEAD cloned into /root/ipres (under root's home, mode 0700) with
# nothing beside it; then CI's own command, .ci/run, inside. It shows that
# the clone stands alone, that toolchain/setup.sh installs everything make
# test uses before it is used, and that no test needs a world-readable
# checkout. The Buildroot test then downloads its release or, offline, is
# skipped, saying why; BUILDROOT_TARBALL=FILE in this script's environment
# copies FILE into the chroot (/var/tmp, not beside the clone) and passes it.
#
# Run by hand, as root. Not part of make test: it runs a whole make test
# (and installs its packages first): about 13 minutes on two cores.
#
#   sh tests/fresh_machine.sh [DIR [REPO]]
#
# DIR   the chroot (default /var/tmp/ipres-fresh), made anew from nothing on
#       every run and left there, unmounted, afterwards for a look. The
#       debootstrap download is kept in DIR.debootstrap.tgz, so a rerun does
#       not fetch it again (delete that file to refresh it).
# REPO  the git repository to clone (default: the one this script is in);
#       its committed HEAD is tested, not the working tree.
#
# FRESH_COMMAND=make-test in the environment runs `make test` alone instead
# of .ci/run (which adds boot-test-more, kernel-test and the Buildroot builds
# of the other CPUs): what a clone with nothing beside it is first asked.
#
# Packages come from the Debian mirror of the host's apt sources; those
# sources and apt's Acquire settings (proxy, validity checks) are copied into
# the chroot. Exit status: .ci/run's; 125 when it could not be run (no
# chroot, bad arguments).
set -eu

[ "$(id -u)" = 0 ] || { echo "fresh_machine: run it as root" >&2; exit 125; }

DIR=${1:-/var/tmp/ipres-fresh}
here=$(cd "$(dirname "$0")" && pwd)
REPO=${2:-$(git -C "$here" rev-parse --show-toplevel)}
TARBALL=$DIR.debootstrap.tgz
INCLUDE=git,make,ca-certificates,iproute2
SUITE=bookworm

while :; do
  case $DIR in
    */) DIR=${DIR%/} ;;
    *) break ;;
  esac
done
case $DIR in
  /*/* | /*) ;;
  *) echo "fresh_machine: DIR must be an absolute path other than /: '$DIR'" >&2; exit 125 ;;
esac
case $DIR in
  *[[:space:]]* | */. | */.. | */./* | */../*)
    echo "fresh_machine: refusing DIR '$DIR'" >&2
    exit 125
    ;;
esac
# Only a directory this script made is ever removed: it carries this file.
MARK=.ipres-fresh-machine

say() { echo "fresh_machine: $*" >&2; }
die() {
  say "$*"
  exit 125
}

# mounts_below: every mount point at or under DIR, deepest first.
mounts_below() {
  awk -v d="$DIR" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

# teardown: ends what still runs inside the chroot, then unmounts everything
# at or under DIR (the /run/netns mounts of the tests included), lazily.
teardown() {
  for sig in TERM KILL; do
    found=""
    for p in /proc/[0-9]*; do
      [ "$(readlink "$p/root" 2>/dev/null)" = "$DIR" ] || continue
      kill -s "$sig" "${p#/proc/}" 2>/dev/null && found=1
    done
    if [ -n "$found" ] && [ "$sig" = TERM ]; then sleep 2; fi
  done
  i=0
  while [ -n "$(mounts_below)" ] && [ $i -lt 5 ]; do
    for m in $(mounts_below); do umount -l "$m" 2>/dev/null || true; done
    i=$((i + 1))
  done
  [ -z "$(mounts_below)" ] || say "still mounted under $DIR: $(mounts_below | tr '\n' ' ')"
}
trap 'teardown' EXIT
trap 'teardown; trap - EXIT; exit 130' INT TERM HUP

case ${FRESH_COMMAND:-ci} in
  ci) run_cmd='CI=true bash .ci/run' ;;
  make-test) run_cmd='make test' ;;
  *) die "FRESH_COMMAND must be ci or make-test, not '$FRESH_COMMAND'" ;;
esac

# --- what the chroot is made from ---------------------------------------------
if [ -d "$REPO" ]; then
  head=$(git -C "$REPO" rev-parse HEAD) || die "$REPO is not a git repository"
else
  head="" # a URL: its default branch
fi
if [ -n "${BUILDROOT_TARBALL:-}" ]; then
  [ -f "$BUILDROOT_TARBALL" ] || die "BUILDROOT_TARBALL=$BUILDROOT_TARBALL: no such file"
  chroot_tarball=/var/tmp/buildroot-release.tar.xz
else
  chroot_tarball=""
fi

command -v debootstrap >/dev/null 2>&1 || {
  say "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap >/dev/null ||
    die "could not install debootstrap"
}

# The first mirror of the host's apt sources that carries SUITE (one-line
# .list entries and deb822 .sources stanzas).
mirror=$(
  {
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      awk -v s="$SUITE" '$1 == "deb" {
        i = 2; if ($2 ~ /^\[/) while (i <= NF && $i !~ /\]$/) i++; if ($2 ~ /^\[/) i++
        if ($(i + 1) == s) print $i }'
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] || continue
      awk -v s="$SUITE" '
        function flush() { if (deb && suite) for (k = 1; k <= nu; k++) print u[k]; deb = suite = nu = 0 }
        /^[ \t]*$/ { flush(); next }
        /^#/ { next }
        tolower($1) == "types:" { for (k = 2; k <= NF; k++) if ($k == "deb") deb = 1 }
        tolower($1) == "uris:" { for (k = 2; k <= NF; k++) u[++nu] = $k }
        tolower($1) == "suites:" { for (k = 2; k <= NF; k++) if ($k == s) suite = 1 }
        tolower($1) == "enabled:" && tolower($2) == "no" { deb = 0 }
        END { flush() }' "$f"
    done
  } | head -n 1
)
[ -n "$mirror" ] || die "no Debian mirror for $SUITE in the host's apt sources"
say "mirror $mirror; repository $REPO${head:+ at $head}; chroot $DIR"

# --- a pristine chroot ----------------------------------------------------------
[ -z "$(mounts_below)" ] || teardown
[ -z "$(mounts_below)" ] || die "$DIR still has mounts"
if [ -n "$(ls -A "$DIR" 2>/dev/null)" ] && [ ! -e "$DIR/$MARK" ]; then
  die "$DIR is not empty and not a chroot this script made: not removing it"
fi
rm -rf --one-file-system "$DIR" "$DIR.make-tarball"
mkdir -p "$DIR"
: >"$DIR/$MARK"

if [ ! -s "$TARBALL" ]; then
  say "fetching the base system into $TARBALL (once)"
  debootstrap --variant=minbase --include="$INCLUDE" --make-tarball="$TARBALL.part" \
    "$SUITE" "$DIR.make-tarball" "$mirror" >"$DIR.debootstrap.log" 2>&1 ||
    { tail -n 20 "$DIR.debootstrap.log" >&2; die "debootstrap --make-tarball failed ($DIR.debootstrap.log)"; }
  mv "$TARBALL.part" "$TARBALL"
  rm -rf --one-file-system "$DIR.make-tarball"
fi
say "debootstrap $SUITE into $DIR"
started=$(date +%s)
debootstrap --variant=minbase --include="$INCLUDE" --unpack-tarball="$TARBALL" \
  "$SUITE" "$DIR" "$mirror" >"$DIR.debootstrap.log" 2>&1 ||
  { tail -n 20 "$DIR.debootstrap.log" >&2; die "debootstrap failed ($DIR.debootstrap.log)"; }

# Package scripts start no services in the chroot.
printf '#!/bin/sh\nexit 101\n' >"$DIR/usr/sbin/policy-rc.d"
chmod 0755 "$DIR/usr/sbin/policy-rc.d"

# apt as the host has it: its sources, and its Acquire settings (a proxy, the
# mirror's validity checks), nothing else of its configuration.
rm -f "$DIR/etc/apt/sources.list" "$DIR"/etc/apt/sources.list.d/*
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  if [ -f "$f" ]; then cp "$f" "$DIR$f"; fi
done
for f in /etc/apt/apt.conf /etc/apt/apt.conf.d/*; do
  if [ -f "$f" ] && grep -qi 'acquire' "$f"; then cp "$f" "$DIR$f"; fi
done
cp /etc/resolv.conf "$DIR/etc/resolv.conf"
cp /etc/hosts "$DIR/etc/hosts"

say "cloning $REPO into $DIR/root/ipres"
git clone -q "$REPO" "$DIR/root/ipres" || die "git clone $REPO failed"
if [ -n "$head" ]; then
  git -C "$DIR/root/ipres" checkout -q --detach "$head" || die "cannot check out $head"
fi
if [ -n "$chroot_tarball" ]; then
  cp "$BUILDROOT_TARBALL" "$DIR$chroot_tarball"
  say "BUILDROOT_TARBALL=$chroot_tarball in the chroot"
else
  say "no BUILDROOT_TARBALL: the Buildroot test downloads the release or is skipped"
fi
chmod 0700 "$DIR/root"

# ip netns exec needs / to be a mount point; the rest as on a booted machine.
mnt() { mount "$@" || die "mount $* failed"; }
mnt --bind "$DIR" "$DIR"
mnt --make-private "$DIR"
mnt -t proc proc "$DIR/proc"
mnt -t sysfs sysfs "$DIR/sys"
mnt --rbind /dev "$DIR/dev"
mnt --make-rslave "$DIR/dev"
mnt -t tmpfs -o mode=0755,nosuid,nodev tmpfs "$DIR/run"
mkdir -m 1777 "$DIR/run/lock"

# --- CI's run ------------------------------------------------------------------
say "chroot $DIR: cd /root/ipres && $run_cmd"
ci_start=$(date +%s)
umask 022
set +e
env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  ${chroot_tarball:+BUILDROOT_TARBALL=$chroot_tarball} \
  chroot "$DIR" sh -c "cd /root/ipres && $run_cmd"
rc=$?
set -e
end=$(date +%s)
say "$run_cmd exited $rc after $((end - ci_start)) s ($((end - started)) s with debootstrap)"
exit $rc
