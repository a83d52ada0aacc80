#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/buildroot/run.sh [ARCH]: ipres as a Buildroot package
# (toolchain/buildroot/), built by a real, offline Buildroot 2026.05.1 for
# ARCH (or BR_ARCH; default aarch64, as make buildroot-test runs it; make
# buildroot-test-more runs x86_64, armv7 and mipsel):
# - toolchain/buildroot-offline.sh makes the offline setup in
#   build/buildroot-offline (kept between runs): the Buildroot release from
#   BUILDROOT_TARBALL or its site, checked against its pinned sha256; with
#   neither, the test is skipped, saying why (exit status 0, never a pass);
#   one work folder for every CPU (the release, Debian's sources, a
#   toolchain each);
# - the defconfig: buildroot-offline.sh's ARCH lines, the example fragment
#   toolchain/buildroot/configs/ipres.fragment and tests/buildroot/test.config
#   (board boottest's resources, given as an ipres.conf of one's own);
# - the image's usr/sbin/ipres is an ELF of ARCH, static, stripped, without
#   glibc symbol versions or libstdc++ runtime, that lists what the default
#   build of the board lists (under toolchain/ARCH.mk's qemu-user, x86_64
#   natively);
#   lkping, the init script, the mdev hook and mdev.conf are in place with
#   their modes, in target/ and in rootfs.cpio;
# - the package build (strace'd) runs no apt-get, dpkg or toolchain/setup.sh
#   and opens none of the Debian toolchain's paths, which the same trace of a
#   default build does (the control; aarch64 only);
# - rootfs.cpio (plus the boot tests' modules archive) boots on the boot
#   tests' ARCH kernel and qemu-system machine (tests/boot/lib.sh: x86_64's
#   pc, aarch64's and armv7's virt, mipsel's malta) beside a client VM:
#   init starts ipres,
#   the AUTOSTART address comes up, the client reaches it at the node's MAC;
#   a poweroff's stop scripts remove it;
# - make ipres-rebuild all, after a change to src/cli/commands.cc (--version)
#   in a scratch copy of the tree (IPRES_OVERRIDE_SRCDIR), ships the changed binary; the
#   change reverted, the next rebuild ships the first binary, byte for byte.
# The control and ipres-rebuild check the package's mechanics, the same on
# every CPU: aarch64 alone runs them (each rebuild costs a minute).
# Buildroot's output (build/buildroot-ARCH) is kept while its defconfig,
# the external tree and the offline tools are unchanged: then only ipres is
# built again (ipres-dirclean); IPRES_BR_CLEAN=1 builds everything.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/boot/lib.sh
[ "$(id -u)" = 0 ] || {
  echo "buildroot-test: needs root (the deb-src index, host-tar, the boot's namespace)" >&2
  exit 1
}

arch=${1:-${BR_ARCH:-aarch64}}
# elf: what file(1) says of an executable of ARCH.
case $arch in
  aarch64) elf='ELF 64-bit LSB .*ARM aarch64' ;;
  x86_64) elf='ELF 64-bit LSB .*x86-64' ;;
  armv7) elf='ELF 32-bit LSB .*ARM, EABI5' ;;
  mipsel) elf='ELF 32-bit LSB .*MIPS, MIPS32 rel2' ;;
  *) echo "buildroot-test: ARCH must be aarch64, x86_64, armv7 or mipsel, not '$arch'" >&2; exit 2 ;;
esac
# toolchain/ARCH.mk's qemu-user (none for x86_64: run as it is).
qemu=$(sed -n 's/^QEMU *:= *//p' "toolchain/$arch.mk")
on_cpu() { if [ -n "$qemu" ]; then "$qemu" "$@"; else "$@"; fi; }
work=$PWD/build/buildroot-offline
out=$PWD/build/buildroot-$arch
tree=$PWD/toolchain/buildroot
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
t_all=$(now)

# br ARGS...: make in Buildroot's output folder (host-tar wants the variable
# as root).
br() { FORCE_UNSAFE_CONFIGURE=1 make -C "$out" "$@"; }
# checked DESCRIPTION STATUS LOG: a check that STATUS is 0, and LOG's last
# 30 lines when it is not (check's own status is not the command's).
checked() {
  check "$1" test "$2" = 0
  [ "$2" = 0 ] || tail -n 30 "$3"
}
# timed NAME COMMAND...: runs it, keeps its time in $tmp/NAME.time.
timed() {
  _n=$1
  shift
  _t0=$(now)
  "$@"
  _rc=$?
  secs_between "$_t0" "$(now)" >"$tmp/$_n.time"
  return $_rc
}
t() { cat "$tmp/$1.time" 2>/dev/null || echo "?"; }

# ---- the offline Buildroot ---------------------------------------------------
timed prepare sh toolchain/buildroot-offline.sh "$work" "$arch" >"$tmp/prepare.log" 2>&1
case $? in
  0) ok "toolchain/buildroot-offline.sh $work $arch" ;;
  2)
    skip "the Buildroot test ($arch): $(tail -n 1 "$tmp/prepare.log")"
    summary "buildroot-$arch"
    exit
    ;;
  *)
    not_ok "toolchain/buildroot-offline.sh $work $arch"
    tail -n 20 "$tmp/prepare.log"
    summary "buildroot-$arch"
    exit 1
    ;;
esac
cat "$work/$arch.config" toolchain/buildroot/configs/ipres.fragment tests/buildroot/test.config \
  >"$tmp/defconfig"
# The external toolchain's prefix: Buildroot's wrappers are host/bin/PREFIX-*.
prefix=$(sed -n 's/^BR2_TOOLCHAIN_EXTERNAL_CUSTOM_PREFIX="\(.*\)"$/\1/p' "$work/$arch.config")
key=$({
  cat "$tmp/defconfig"
  (cd "$tree" && find . -type f | LC_ALL=C sort | xargs cat)
  cat toolchain/buildroot-offline.sh toolchain/buildroot-sources.sh toolchain/sdk.sh toolchain/deb.sh
} | sha256sum | cut -d' ' -f1)

# ---- build: everything (clean) or ipres again (kept) --------------------------
if [ "${IPRES_BR_CLEAN:-0}" = 1 ] || [ "$(cat "$out/.ipres-test-key" 2>/dev/null)" != "$key" ] ||
  [ ! -f "$out/images/rootfs.cpio" ]; then
  mode=clean
  rm -rf "$out"
  mkdir -p "$out"
  cp "$tmp/defconfig" "$out/ipres_test_defconfig"
  make -C "$work/buildroot" BR2_EXTERNAL="$tree" O="$out" \
    BR2_DEFCONFIG="$out/ipres_test_defconfig" defconfig >"$tmp/defconfig.log" 2>&1
  check "defconfig with BR2_EXTERNAL=toolchain/buildroot" test $? = 0
  check "the defconfig's ipres lines are in .config" \
    sh -c "grep -qx 'BR2_PACKAGE_IPRES=y' '$out/.config' &&
      grep -qx 'BR2_PACKAGE_IPRES_BOARD=\"boottest\"' '$out/.config' &&
      grep -qx 'BR2_ROOTFS_DEVICE_CREATION_DYNAMIC_MDEV=y' '$out/.config'"
  # ipres's dependencies first (toolchain, BusyBox), so that the package's
  # own build below is the one traced.
  timed deps br ipres-depends >"$tmp/build.log" 2>&1
  checked "Buildroot builds the toolchain, BusyBox and host tools (make ipres-depends)" $? "$tmp/build.log"
else
  mode=kept
  br ipres-dirclean >"$tmp/build.log" 2>&1
  check "Buildroot's output kept (same defconfig, external tree, toolchain scripts): ipres-dirclean" \
    test $? = 0
fi
timed pkg strace -f --seccomp-bpf -qq -s 300 -e trace=execve,openat -o "$tmp/pkg.strace" \
  env FORCE_UNSAFE_CONFIGURE=1 make -C "$out" ipres >"$tmp/pkg.log" 2>&1
checked "make ipres (the package from this tree, under strace)" $? "$tmp/pkg.log"
timed image br >>"$tmp/build.log" 2>&1
checked "make: the rest and rootfs.cpio" $? "$tmp/build.log"
# Kept for the next run only once everything built.
rm -f "$out/.ipres-test-key"
[ "$failed" = 0 ] && echo "$key" >"$out/.ipres-test-key"
case $mode in
  clean) echo "clean build: $(awk -v a="$(t deps)" -v b="$(t pkg)" -v c="$(t image)" \
    'BEGIN { printf "%.1f", a + b + c }') s (dependencies $(t deps) s, ipres $(t pkg) s under strace, the rest and the image $(t image) s)" ;;
  kept) echo "kept build: ipres again $(t pkg) s under strace, the image $(t image) s" ;;
esac

# ---- the package build: the SDK's compiler, nothing of Debian's toolchain -----
bdir=$out/build/ipres-$(sed -n 's/^IPRES_VERSION = //p' "$tree/package/ipres/ipres.mk")
check "ipres.mk's IPRES_VERSION is the Makefile's VERSION" \
  test "$(sed -n 's/^VERSION := //p' Makefile)" = "$(sed -n 's/^IPRES_VERSION = //p' "$tree/package/ipres/ipres.mk")"
check "rsynced from the tree, without build/" sh -c "test -f '$bdir/src/cli/main.cc' && ! test -d '$bdir/build/buildroot-offline'"
check "compiled by Buildroot's g++ wrapper, linked by its gcc" \
  sh -c "grep -q '^$out/host/bin/$prefix-g++ ' '$bdir/build/buildroot/compile.flags' &&
    grep -q '^$out/host/bin/$prefix-gcc ' '$bdir/build/buildroot/link.flags'"
hostcxx=$(br -s printvars VARS=HOSTCXX 2>/dev/null | sed -n 's/^HOSTCXX=//p' | awk '{ print $NF }')
check "the config generator compiled by Buildroot's HOSTCXX ($hostcxx)" \
  sh -c "grep -F 'execve(\"$hostcxx\", ' '$tmp/pkg.strace' | grep -q 'src/config/confgen\.cc'"
# debian_marks FILE: what a build with ipres's Debian toolchain does and a
# Buildroot build must not: run apt-get, dpkg or toolchain/setup.sh; open
# Debian's musl (its specs, libc.a, headers), the cross C++ and kernel
# headers toolchain/ARCH.mk names, /usr/include/linux or build/sysroot.
# Not counted: what the build machine's own compiler (HOSTCXX and its
# cc1plus, building the config generator) opens, glibc's headers among it.
host_libexec=$(dirname "$($hostcxx -print-prog-name=cc1plus)")
debian_marks() {
  awk -v hostcxx="$hostcxx" -v libexec="$host_libexec/" '
    match($0, /execve\("[^"]*"/) { prog[$1] = substr($0, RSTART + 8, RLENGTH - 9) }
    prog[$1] == hostcxx || index(prog[$1], libexec) == 1 { next }
    /execve\("[^"]*\/(apt-get|apt|dpkg|dpkg-query)"|execve\(.*toolchain\/setup\.sh/ { print; next }
    /openat\([^"]*"(\/usr\/lib\/[a-z0-9_]+-linux-musl[a-z]*\/|\/usr\/include\/[a-z0-9_]+-linux-musl|\/usr\/[a-z0-9_]+-linux-gnu[a-z]*\/include\/|\/usr\/include\/linux\/|\/usr\/include\/asm-generic\/|[^"]*build\/sysroot\/)/ { print }
  ' "$1"
}
marks=$(debian_marks "$tmp/pkg.strace")
check_text "the package build runs no apt-get, dpkg or setup.sh, opens no Debian toolchain path" \
  '^$' "$marks"
check "... and its target compiles read the headers of Buildroot's staging sysroot" \
  grep -qE "openat\([^\"]*\"$out/host/[a-z0-9_]+-buildroot-linux-musl[a-z]*/sysroot/usr/include/(c\+\+/12/)?[a-z]" "$tmp/pkg.strace"
# The control (aarch64 only): the same trace of the default toolchain's
# build of one object.
if [ "$arch" = aarch64 ]; then
  mkdir -p "$tmp/ctl"
  rsync -a --exclude=/build --exclude=/.git ./ "$tmp/ctl/"
  (cd "$tmp/ctl" && strace -f --seccomp-bpf -qq -s 300 -e trace=execve,openat -o "$tmp/ctl.strace" \
    make --no-print-directory BOARD=boottest ARCH="$arch" OUT=build/ctl build/ctl/obj/cli/main.o) \
    >"$tmp/ctl.log" 2>&1
  marks=$(debian_marks "$tmp/ctl.strace")
  check_text "the control: the same trace of the default toolchain's build runs setup.sh" \
    'toolchain/setup\.sh' "$marks"
  check_text "... and opens Debian's musl" '"/usr/lib/aarch64-linux-musl/' "$marks"
fi

# ---- what the image holds --------------------------------------------------------
bin=$out/target/usr/sbin/ipres
check "target: usr/sbin/ipres is an ELF of $arch" sh -c "file -b '$bin' | grep -q '^$elf'"
check_static_binary "target" "$bin"
make --no-print-directory BOARD=boottest ARCH="$arch" all >"$tmp/default.log" 2>&1
check "the default build of boottest for $arch" test $? = 0
# cpu_attrs FILE: the CPU variant its ELF attributes record (armv7: the
# architecture, Thumb-2, the FPU, the float ABI; mipsel: the ISA, the FP
# ABI), which Buildroot's lines must give as toolchain/ARCH.mk does.
cpu_attrs() {
  case $arch in
    armv7) readelf -A "$1" | grep -E 'Tag_(CPU_arch|THUMB_ISA_use|FP_arch|ABI_VFP_args):' ;;
    mipsel) readelf -A "$1" | grep -E '^(ISA|FP ABI):' ;;
  esac
}
case $arch in
  armv7 | mipsel)
    check "its ELF attributes (CPU, FPU, float ABI) are the default build's: $(cpu_attrs "$bin" | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')" \
      sh -c "test -n \"\$1\" && test \"\$1\" = \"\$2\"" - "$(cpu_attrs "$bin")" \
      "$(cpu_attrs "build/boottest-$arch/ipres")"
    ;;
esac
on_cpu "build/boottest-$arch/ipres" list >"$tmp/list.default" 2>&1
on_cpu "$bin" list >"$tmp/list.br" 2>&1
check "ipres list (${qemu:-run natively}) is the default build's" \
  sh -c "test -s '$tmp/list.br' && cmp '$tmp/list.default' '$tmp/list.br'"
check_out "ipres --version: board boottest, $arch" "^ipres $(sed -n 's/^VERSION := //p' Makefile) \(board boottest, $arch\)$" \
  on_cpu "$bin" --version
# mode_of PATH: "TYPE MODE" (and the link's target).
mode_of() { find "$out/target/$1" -maxdepth 0 -printf '%y %m %l\n' | sed 's/ $//'; }
check_text "usr/bin/lkping -> ../sbin/ipres" '^l 777 \.\./sbin/ipres$' "$(mode_of usr/bin/lkping)"
for f in usr/sbin/ipres etc/init.d/S41ipres lib/mdev/ipres-net usr/lib/ocf/resource.d/ipres/ipres; do
  check_text "$f: 0755" '^f 755$' "$(mode_of $f)"
done
for f in usr/lib/ipres/functions.sh etc/mdev.conf; do
  check_text "$f: 0644" '^f 644$' "$(mode_of $f)"
done
check "etc/init.d/S41ipres is the tree's, run by Buildroot's rcS (S??*)" \
  sh -c "cmp rootfs-overlay/etc/init.d/S41ipres '$out/target/etc/init.d/S41ipres' &&
    grep -q 'S??\\*' '$out/target/etc/init.d/rcS'"
rule=$(grep -v '^#' rootfs-overlay/etc/mdev.conf | grep .)
check "etc/mdev.conf: BusyBox's rules, and ipres's rule once" \
  sh -c "grep -q '^\\\$MODALIAS=' '$out/target/etc/mdev.conf' &&
    test \$(grep -cxF '$rule' '$out/target/etc/mdev.conf') = 1"
cpio -itv <"$out/images/rootfs.cpio" >"$tmp/cpio.list" 2>/dev/null
for f in usr/sbin/ipres etc/init.d/S41ipres lib/mdev/ipres-net; do
  check_text "rootfs.cpio: $f, -rwxr-xr-x root" "^-rwxr-xr-x +1 root +root .* $f\$" "$(cat "$tmp/cpio.list")"
done
(cd "$tmp" && cpio -i --quiet --to-stdout usr/sbin/ipres <"$out/images/rootfs.cpio" >ipres.cpio)
check "rootfs.cpio's ipres is target's" cmp "$tmp/ipres.cpio" "$bin"
size=$(stat -c %s "$bin")
echo "ipres in the image: $size bytes (the default build of boottest for $arch: $(stat -c %s "build/boottest-$arch/ipres") bytes)"
cp "$bin" "$tmp/ipres.first"

# ---- boot: rootfs.cpio on ARCH's kernel, beside a client ----------------------
# The node: Buildroot's rootfs.cpio, then the boot tests' modules archive
# (S10net, S99booted), then console.cpio: Buildroot's inittab with a shell
# on the console instead of its getty (the harness types commands there).
# The client: the same plus the boot tests' client/ (an ipres that holds
# nothing).
boot_t0=$(now)
sh tests/boot/kernel.sh "$arch" "$BOOT_OUT/$arch" >"$tmp/kernel.log" 2>&1
check "the boot tests' $arch kernel and modules archive (tests/boot/kernel.sh)" test $? = 0
mkdir -p "$tmp/console/etc" "$tmp/client"
sed 's|^console::respawn:/sbin/getty .*|console::askfirst:-/bin/sh|' "$out/target/etc/inittab" \
  >"$tmp/console/etc/inittab"
check "console.cpio: Buildroot's inittab, its getty line swapped for a shell" \
  sh -c "! cmp -s '$out/target/etc/inittab' '$tmp/console/etc/inittab' && grep -q askfirst '$tmp/console/etc/inittab'"
cp -a tests/boot/client/. "$tmp/client/"
for c in console client; do
  (cd "$tmp/$c" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) \
    | gzip -1n >"$tmp/$c.cpio.gz"
done
a_mac=52:54:00:12:00:02
client_mac=52:54:00:12:00:0a
node=br-$arch-a
client=br-$arch-client
boot_init || exit 1
trap 'boot_cleanup; rm -rf "$tmp"' EXIT
trap 'boot_cleanup; rm -rf "$tmp"; exit 130' INT TERM
vm_start "$client" "$arch" "$client_mac" "bt.ip=192.0.2.10/24 bt.name=client" \
  "$out/images/rootfs.cpio" "$BOOT_OUT/$arch/modules.cpio.gz" "$tmp/client.cpio.gz" "$tmp/console.cpio.gz"
vm_start "$node" "$arch" "$a_mac" "bt.ip=192.0.2.2/24 bt.name=node-a" \
  "$out/images/rootfs.cpio" "$BOOT_OUT/$arch/modules.cpio.gz" "$tmp/console.cpio.gz"
check "the client boots" vm_boot "$client" 180
check "node a (Buildroot's rootfs.cpio) boots" vm_boot "$node" 180
echo "boot time ($arch, kernel $(cat "$BOOT_OUT/$arch/release")): node a $(vm_boot_time "$node"), client $(vm_boot_time "$client")"
check_out "Buildroot's init ran S41ipres: vip restored, 192.0.2.100/24 on eth0" ' 192\.0\.2\.100/24 ' \
  vm_run "$node" "ip -4 -o addr show dev eth0"
check_out "init started ipres monitor" 'ipres monitor' vm_run "$node" "ps"
# shellcheck disable=SC2016 # expanded in the guest
check "the monitor's pid file names a live process" \
  vm_run "$node" 'kill -0 $(cat /var/run/ipres-monitor.pid)'
check "the client pings 192.0.2.100" vm_run "$client" "ping -c 3 -W 2 192.0.2.100" 30
check_out "the client's neighbour entry for 192.0.2.100 is node a's MAC" "lladdr $a_mac" \
  vm_run "$client" "ip neigh show 192.0.2.100"
check "node a powers off" vm_poweroff "$node" 60
check_text "a's stop scripts removed vip" '^vip: remove: .*192\.0\.2\.100.*done' \
  "$(tr -d '\r' <"$(vm_log "$node")")"
boot_cleanup
trap 'rm -rf "$tmp"' EXIT INT TERM
echo "boot: $(secs_between "$boot_t0" "$(now)") s (kernel, both VMs, the checks)"
if [ "$arch" != aarch64 ]; then
  echo "buildroot-offline.sh: $(t prepare) s; the whole test ($mode build): $(secs_between "$t_all" "$(now)") s"
  summary "buildroot-$arch"
  exit
fi

# ---- make ipres-rebuild all picks a source change up (aarch64 only) ---------------
# A scratch copy of the tree, IPRES_OVERRIDE_SRCDIR: --version gains a mark.
site=$tmp/site
mkdir -p "$site"
rsync -a --exclude=/build --exclude=/.git ./ "$site/"
mark="rebuilt-$$"
sed -i "s|printf(\"ipres %s (board %s, %s)\\\\n\"|printf(\"ipres %s (board %s, %s) $mark\\\\n\"|" \
  "$site/src/cli/commands.cc"
check "the scratch copy's src/cli/commands.cc has the change" grep -q "$mark" "$site/src/cli/commands.cc"
timed rebuild br IPRES_OVERRIDE_SRCDIR="$site" ipres-rebuild all >"$tmp/rebuild.log" 2>&1
check "make ipres-rebuild all (IPRES_OVERRIDE_SRCDIR=scratch copy)" test $? = 0 ||
  tail -n 20 "$tmp/rebuild.log"
check "... recompiled src/cli/commands.cc" grep -q 'CXX .*obj/cli/commands\.o' "$tmp/rebuild.log"
check_out "the image's ipres has the change" "\\) $mark\$" on_cpu "$bin" --version
(cd "$tmp" && cpio -i --quiet --to-stdout usr/sbin/ipres <"$out/images/rootfs.cpio" >ipres.cpio2)
check "rootfs.cpio's ipres is the rebuilt one" cmp "$tmp/ipres.cpio2" "$bin"
check "it differs from the first" sh -c "! cmp -s '$tmp/ipres.first' '$bin'"
# Reverted (a newer file, so rsync -u takes it): the first binary again.
sed -i "s| $mark\\\\n|\\\\n|" "$site/src/cli/commands.cc"
touch "$site/src/cli/commands.cc"
timed rebuild2 br IPRES_OVERRIDE_SRCDIR="$site" ipres-rebuild all >"$tmp/rebuild2.log" 2>&1
check "reverted, make ipres-rebuild all: the first binary, byte for byte" cmp "$tmp/ipres.first" "$bin"
echo "make ipres-rebuild all: $(t rebuild) s (reverted: $(t rebuild2) s)"
echo "buildroot-offline.sh: $(t prepare) s; the whole test ($mode build): $(secs_between "$t_all" "$(now)") s"
summary "buildroot-$arch"
