#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# toolchain/buildroot-sources.sh WORK: what Buildroot would download for
# ipres's test image (BusyBox, the host tools, two small extras), made from
# Debian's source packages instead, so that the build needs no site but the
# machine's Debian mirror. Run by toolchain/buildroot-offline.sh once
# WORK/buildroot holds the extracted release; writes WORK/local.mk last.
#
# - WORK/apt: a private deb-src index of the mirror the machine's apt
#   sources name (the machine's own apt configuration is left alone); apt
#   checks each download against the signed index.
# - WORK/mirror: a file:// primary site for what Debian has in Buildroot's
#   very version (automake): Buildroot checks its sha256 on the way in.
# - WORK/src and WORK/local.mk: *_OVERRIDE_SRCDIR trees for the rest, from
#   Debian's orig tarballs (older upstream versions; Buildroot applies none of
#   its patches to an override tree).
# The downloads stay in WORK/debsrc.
set -eu
work=${1:?usage: toolchain/buildroot-sources.sh WORK}
work=$(cd "$work" && pwd)
br=$work/buildroot
[ -f "$br/Makefile" ] || { echo "buildroot-sources.sh: no Buildroot in $br" >&2; exit 1; }
say() { echo "buildroot-sources.sh: $*" >&2; }

# ---- a private deb-src index of the machine's mirror -------------------------
apt_dir=$work/apt
apt_private() {
  apt-get -o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o Dir::Etc::sourceparts=- \
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" "$@"
}
if [ ! -f "$apt_dir/.updated" ]; then
  codename=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release)
  # shellcheck disable=SC2016 # apt's placeholders, not the shell's
  mirror=$(apt-get indextargets --format '$(REPO_URI) $(CODENAME)' 'Identifier: Packages' |
    awk -v c="$codename" '$2 == c { print $1; exit }')
  [ -n "$mirror" ] || { say "no $codename mirror in the machine's apt sources"; exit 1; }
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $codename main" \
    >"$apt_dir/sources.list"
  apt_private update -q >"$apt_dir/update.log" 2>&1 ||
    { tail -n 5 "$apt_dir/update.log" >&2; say "the deb-src index of $mirror failed"; exit 1; }
  : >"$apt_dir/.updated"
fi

# orig PACKAGE: the path of PACKAGE's upstream tarball, downloaded once.
mkdir -p "$work/debsrc"
# (Not the upstream signature, *.asc, beside some.)
found() { find "$work/debsrc" -maxdepth 1 -name "$1_*.orig.tar.*" ! -name "*.asc" | head -n 1; }
orig() {
  [ -n "$(found "$1")" ] ||
    (cd "$work/debsrc" && apt_private source --download-only -q "$1") >"$work/debsrc/$1.log" 2>&1 ||
    { tail -n 5 "$work/debsrc/$1.log" >&2; say "apt-get source $1 failed"; return 1; }
  [ -n "$(found "$1")" ] || { say "no orig tarball of $1 in $work/debsrc"; return 1; }
  found "$1"
}

# ---- automake: Debian's is Buildroot's version --------------------------------
want=$(sed -n 's/^AUTOMAKE_VERSION = //p' "$br/package/automake/automake.mk")
tarball=$(orig automake-1.16)
case $tarball in
  */automake-1.16_"$want".orig.tar.xz) ;;
  *) say "Debian's automake ($tarball) is not Buildroot's $want"; exit 1 ;;
esac
mkdir -p "$work/mirror/automake"
cp -f "$tarball" "$work/mirror/automake/automake-$want.tar.xz"

# ---- override trees ---------------------------------------------------------------
# tree NAME PACKAGE: WORK/src/NAME holds PACKAGE's orig tarball, unpacked anew.
tree() {
  _tarball=$(orig "$2") || exit 1
  rm -rf "$work/src/$1"
  mkdir -p "$work/src/$1"
  tar -xf "$_tarball" -C "$work/src/$1" --strip-components=1
}
tree busybox busybox
for p in tar m4 libtool autoconf attr acl patchelf; do tree "$p" "$p"; done

# host-fakeroot: Debian's fakeroot, installed, taken as it is (its bookworm
# source is not on every mirror): a tree whose install makes the links.
shim=$work/src/fakeroot-debian
rm -rf "$shim"
mkdir -p "$shim"
cat >"$shim/configure" <<'EOF'
#!/bin/sh
# Not fakeroot's source: its install links Debian's fakeroot into --prefix.
for arg; do case $arg in --prefix=*) echo "prefix = ${arg#--prefix=}" >config.mk ;; esac; done
test -f config.mk || { echo "configure: no --prefix" >&2; exit 1; }
test -x /usr/bin/fakeroot-sysv && test -x /usr/bin/faked-sysv ||
  { echo "configure: Debian's fakeroot is not installed" >&2; exit 1; }
EOF
cat >"$shim/Makefile" <<'EOF'
include config.mk
all:
install:
	mkdir -p $(DESTDIR)$(prefix)/bin
	ln -sf /usr/bin/fakeroot-sysv $(DESTDIR)$(prefix)/bin/fakeroot
	ln -sf /usr/bin/faked-sysv $(DESTDIR)$(prefix)/bin/faked-sysv
EOF
chmod 755 "$shim/configure"
echo "Links to Debian's fakeroot; its license: /usr/share/doc/fakeroot/copyright" >"$shim/COPYING"

# musl-compat-headers: <sys/queue.h>, which Buildroot takes from NetBSD's
# repository, is glibc's here (libc6-dev, BSD-3-Clause); cdefs.h is Buildroot's.
compat=$work/src/musl-compat-headers
rm -rf "$compat"
mkdir -p "$compat"
cp "/usr/include/$(gcc -dumpmachine)/sys/queue.h" "$compat/queue.h"
cp "$br/package/musl-compat-headers/cdefs.h" "$compat/cdefs.h"

# ---- the override file (BR2_PACKAGE_OVERRIDE_FILE), written last ---------------
cat >"$work/local.mk.new" <<EOF
# Written by ipres's toolchain/buildroot-sources.sh: these packages are built
# from trees of Debian's sources instead of Buildroot's downloads.
BUSYBOX_OVERRIDE_SRCDIR = $work/src/busybox
HOST_TAR_OVERRIDE_SRCDIR = $work/src/tar
HOST_M4_OVERRIDE_SRCDIR = $work/src/m4
HOST_LIBTOOL_OVERRIDE_SRCDIR = $work/src/libtool
HOST_AUTOCONF_OVERRIDE_SRCDIR = $work/src/autoconf
HOST_ATTR_OVERRIDE_SRCDIR = $work/src/attr
HOST_ACL_OVERRIDE_SRCDIR = $work/src/acl
HOST_PATCHELF_OVERRIDE_SRCDIR = $work/src/patchelf
# Debian's patchelf tarball is a git snapshot: no ./configure yet.
HOST_PATCHELF_AUTORECONF = YES
HOST_FAKEROOT_OVERRIDE_SRCDIR = $shim
MUSL_COMPAT_HEADERS_OVERRIDE_SRCDIR = $compat
# It has no main tarball, only an extra download: overridden, it would get a
# default tarball name and then fail for want of a site.
MUSL_COMPAT_HEADERS_SOURCE =
EOF
mv "$work/local.mk.new" "$work/local.mk"
echo "buildroot-sources.sh: override trees and the automake mirror ready in $work"
