#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# install.sh OUT DESTDIR PREFIX BOARD_DIR NAMED_CXX REBUILD: what make install
# runs (see the Makefile's install target and README, "make install").
#
# It compiles nothing: it installs OUT/ipres and OUT/keepalived.conf as the
# board's build left them, or stops with one line saying what to run first
# (REBUILD, the make command for this board): when they are missing, when a
# source or the board's files are newer than the binary, or when this make
# install names a compiler (NAMED_CXX: CROSS_COMPILE, or CXX and CC) other
# than the one the build recorded in OUT/compile.flags.
#
# Under DESTDIR: PREFIX/sbin/ipres, PREFIX/bin/lkping -> ../sbin/ipres, every
# file of rootfs-overlay/ at its place, except the two that belong to the
# firmware's own /etc: etc/mdev.conf, whose rule is added once to an
# existing DESTDIR/etc/mdev.conf (a missing one is made), and
# etc/keepalived/keepalived.conf, which goes only to the examples as the
# board's own (OUT/keepalived.conf); both are in PREFIX/share/ipres/examples.
# Any other file under DESTDIR/etc that exists is kept, never overwritten.
# Under a PREFIX other than /usr, the files that call /usr/sbin/ipres call
# PREFIX/sbin/ipres instead.
# The man pages of src/man go to PREFIX/share/man/manN. Modes as git keeps
# them: 0755 for an executable file, 0644 for the rest, 0755 for a folder
# made (one already there keeps its own). Every entry is named as it goes in.
set -eu
[ $# = 6 ] || { echo "usage: $0 OUT DESTDIR PREFIX BOARD_DIR NAMED_CXX REBUILD" >&2; exit 2; }
out=$1 root=$2 prefix=$3 board_dir=$4 named_cxx=$5 rebuild=$6

stop() { echo "make install: $*" >&2; exit 1; }
# PREFIX goes into the scripts as text (below): a plain absolute path.
case $prefix in
  /*) ;;
  *) stop "PREFIX must be an absolute path, not '$prefix'" ;;
esac
case $prefix in
  *[!A-Za-z0-9/._+-]*) stop "PREFIX may hold letters, digits and / . _ + - only, not '$prefix'" ;;
esac
for f in "$out/ipres" "$out/keepalived.conf" "$out/compile.flags"; do
  [ -f "$f" ] || stop "no $f: run '$rebuild' first"
done
# The compiler the build ran: compile.flags starts with it, then ipres's flags.
built_by=$(sed -n '1s/ -std=c++17 .*//p' "$out/compile.flags")
if [ -n "$named_cxx" ] && [ "$named_cxx" != "$built_by" ]; then
  stop "$out/ipres was built by $built_by, not by $named_cxx: run '$rebuild' first, or make install" \
    "without CROSS_COMPILE, CXX and CC to install the binary built"
fi
newer=$(find src "$board_dir/ipres.conf" "$board_dir/board.mk" \( -name '*.cc' -o -name '*.h' -o \
  -name ipres.conf -o -name board.mk \) -newer "$out/ipres" -print | head -n 1)
[ -z "$newer" ] || stop "$out/ipres is older than $newer: run '$rebuild' first (built by $built_by)"

# mkdirs DIR: DIR and the folders above it that are missing, each 0755.
mkdirs() {
  [ -z "$1" ] || [ -d "$1" ] || {
    case $1 in */*) mkdirs "${1%/*}" ;; esac
    install -d -m 0755 "$1"
  }
}
# put SRC DEST MODE [NOTE]
put() {
  mkdirs "${2%/*}"
  echo "  INSTALL $2${4:+ ($4)}"
  install -m "$3" "$1" "$2"
}
mode_of() { if [ -x "$1" ]; then echo 0755; else echo 0644; fi; }
# put_calling SRC DEST MODE: put, for a file that may call ipres by its path
# (functions.sh's IPRES, the OCF agent's binary, keepalived's scripts):
# under another PREFIX, /usr/sbin/ipres in it becomes PREFIX/sbin/ipres.
named=$(mktemp)
trap 'rm -f "$named"' EXIT
put_calling() {
  if [ "$prefix" = /usr ] || ! grep -q /usr/sbin/ipres "$1"; then
    put "$@"
  else
    sed "s|/usr/sbin/ipres|$prefix/sbin/ipres|g" "$1" >"$named"
    put "$named" "$2" "$3" "calling $prefix/sbin/ipres"
  fi
}

put "$out/ipres" "$root$prefix/sbin/ipres" 0755 "built by $built_by"
mkdirs "$root$prefix/bin"
echo "  LN      $root$prefix/bin/lkping -> ../sbin/ipres"
ln -sfn ../sbin/ipres "$root$prefix/bin/lkping"

examples=$root$prefix/share/ipres/examples
put_calling "$out/keepalived.conf" "$examples/keepalived.conf" 0644
put rootfs-overlay/etc/mdev.conf "$examples/mdev.conf" 0644
# ipres's rules: the lines of its mdev.conf that are no comment.
mdev=$root/etc/mdev.conf
if [ -L "$mdev" ] || { [ -e "$mdev" ] && [ ! -f "$mdev" ]; }; then
  # A link may point out of DESTDIR (to the build machine's own /etc).
  echo "  KEEP    $mdev (not a plain file: add the rule of $examples/mdev.conf by hand)"
elif [ -f "$mdev" ]; then
  # A last line without its newline ends before the rule.
  [ -z "$(tail -c 1 "$mdev")" ] || echo >>"$mdev"
  grep -v '^#' rootfs-overlay/etc/mdev.conf | grep . | while IFS= read -r rule; do
    if grep -qxF "$rule" "$mdev"; then
      echo "  KEEP    $mdev (has ipres's rule)"
    else
      echo "  ADD     $mdev: $rule"
      printf '%s\n' "$rule" >>"$mdev"
    fi
  done
else
  put rootfs-overlay/etc/mdev.conf "$mdev" 0644
fi

for f in $(cd rootfs-overlay && find . -type f | sed 's|^\./||' | LC_ALL=C sort); do
  case $f in
    etc/mdev.conf | etc/keepalived/keepalived.conf) ;;
    etc/*)
      if [ -e "$root/$f" ] || [ -L "$root/$f" ]; then
        echo "  KEEP    $root/$f (there already: ipres's own is not installed)"
      else
        put_calling "rootfs-overlay/$f" "$root/$f" "$(mode_of "rootfs-overlay/$f")"
      fi
      ;;
    *) put_calling "rootfs-overlay/$f" "$root/$f" "$(mode_of "rootfs-overlay/$f")" ;;
  esac
done

for page in src/man/*.[1-8]; do
  [ -f "$page" ] || continue
  put "$page" "$root$prefix/share/man/man${page##*.}/${page##*/}" 0644
done
