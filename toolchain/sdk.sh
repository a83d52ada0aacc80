#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# toolchain/sdk.sh ARCH DEST: a toolchain shaped like a firmware SDK's, made
# of Debian 12's packages, for the firmware checks (build/sdk/ARCH) and as
# Buildroot's external toolchain (toolchain/buildroot-offline.sh).
#
# DEST/bin/TUPLE-{gcc,g++,c++,cpp,ld,ar,...} and DEST/sysroot: musl,
# the kernel headers and libstdc++'s headers. The compilers are Debian's gcc
# 12 for ARCH run with a specs file that drops every glibc path and names the
# sysroot only relative to --sysroot (%R and '='), so that Buildroot's
# wrapper, which passes --sysroot=STAGING_DIR later, takes the copy it makes.
# No compiler is built and no libstdc++ runtime exists for musl: C++ is
# header-only, as ipres needs.
#
# Needs toolchain/setup.sh's packages and the Makefile's SDK_PACKAGES
# (binutils, libstdc++ headers); the kernel headers come from their .deb
# (exactly that package's files; kept in IPRES_DEB_CACHE, default build/debs).
# ARCH and its TUPLE (musl's name for it in Debian): x86_64 and aarch64
# (ARCH-linux-musl), armv7 (arm-linux-musleabihf: hard-float EABI, as
# Debian's armhf) and mipsel (mipsel-linux-musl: o32 hard-float).
set -eu
arch=${1:?usage: toolchain/sdk.sh ARCH DEST}
dest=${2:?usage: toolchain/sdk.sh ARCH DEST}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
cd "$(dirname "$0")/.."
. toolchain/deb.sh
cache=${IPRES_DEB_CACHE:-build/debs}
tuple='' loader='' headers_dir='' cxx_dir='' cxx_target_dir=''
case $arch in
  aarch64)
    gnu=aarch64-linux-gnu
    headers_deb=linux-libc-dev-arm64-cross:all
    ;;
  x86_64)
    gnu=x86_64-linux-gnu
    headers_deb=linux-libc-dev:amd64
    headers_dir=usr/include
    cxx_dir=/usr/include/c++/12
    cxx_target_dir=/usr/include/$gnu/c++/12
    ;;
  armv7)
    gnu=arm-linux-gnueabihf
    tuple=arm-linux-musleabihf
    loader=ld-musl-armhf.so.1
    headers_deb=linux-libc-dev-armhf-cross:all
    ;;
  mipsel)
    gnu=mipsel-linux-gnu
    headers_deb=linux-libc-dev-mipsel-cross:all
    ;;
  *) echo "sdk.sh: ARCH must be x86_64, aarch64, armv7 or mipsel, not '$arch'" >&2; exit 1 ;;
esac
# The cross packages' layout (all but x86_64's: Debian's own CPU).
headers_dir=${headers_dir:-usr/$gnu/include}
cxx_dir=${cxx_dir:-/usr/$gnu/include/c++/12}
cxx_target_dir=${cxx_target_dir:-$cxx_dir/$gnu}
tuple=${tuple:-$arch-linux-musl}
loader=${loader:-ld-musl-$arch.so.1}
musl_lib=/usr/lib/$tuple
[ -f "$musl_lib/libc.a" ] || { echo "sdk.sh: no $musl_lib/libc.a (musl-dev:$(deb_arch "$arch"))" >&2; exit 1; }
command -v "$gnu-gcc" "$gnu-g++" "$gnu-ld" >/dev/null ||
  { echo "sdk.sh: Debian's $gnu gcc, g++ or binutils missing" >&2; exit 1; }
# libgcc.a, crtbegin*.o and gcc's own headers (stddef.h, ...).
gcc_dir=$(dirname "$("$gnu-gcc" -print-libgcc-file-name)")

rm -rf "$dest"
mkdir -p "$dest/bin" "$dest/lib" "$dest/sysroot/lib" "$dest/sysroot/usr/lib" "$dest/sysroot/usr/include/c++"
root=$dest/sysroot

# ---- the C library: musl's headers, start files and libc (not its specs) ----
cp -a "/usr/include/$tuple/." "$root/usr/include/"
find "$musl_lib" -mindepth 1 -maxdepth 1 ! -name '*.specs' -exec cp -a {} "$root/usr/lib/" \;
# musl's dynamic loader is its libc.so (for a dynamic link's PT_INTERP).
ln -s ../usr/lib/libc.so "$root/lib/$loader"

# ---- the kernel headers: the package's files, x86_64's asm/ moved to asm/ ----
deb=$(deb_fetch "${headers_deb%:*}" "${headers_deb#*:}" "$cache")
tree=$cache/${headers_deb%:*}-${headers_deb#*:}
deb_unpack "$deb" "$tree"
cp -a "$tree/$headers_dir/." "$root/usr/include/"
if [ -d "$root/usr/include/$gnu" ]; then
  mv "$root/usr/include/$gnu/asm" "$root/usr/include/asm"
  rmdir "$root/usr/include/$gnu"
fi

# ---- libstdc++'s headers, made to build on musl -------------------------------
# Debian configured them for glibc: its version test __GLIBC_PREREQ is
# undefined on musl (so: "not glibc"), and the locale type is glibc's
# internal __locale_t, POSIX's locale_t on musl. ipres's own builds pass the
# same two as -D flags; an SDK's compiler needs none.
cp -a "$cxx_dir" "$root/usr/include/c++/12"
[ -d "$root/usr/include/c++/12/$gnu" ] || cp -a "$cxx_target_dir" "$root/usr/include/c++/12/$gnu"
bits=$root/usr/include/c++/12/$gnu/bits
sed -i '/^#include <features.h>$/a #ifndef __GLIBC_PREREQ /* musl */\n#define __GLIBC_PREREQ(maj, min) 0\n#endif' \
  "$bits/os_defines.h"
sed -i 's/typedef __locale_t\([[:space:]]*\)__c_locale;/typedef locale_t\1__c_locale; \/* musl *\//' \
  "$bits/c++locale.h"
if ! grep -q 'define __GLIBC_PREREQ(maj, min) 0' "$bits/os_defines.h" ||
  ! grep -q 'typedef locale_t' "$bits/c++locale.h"; then
  echo "sdk.sh: libstdc++'s headers changed shape: the musl fix did not apply" >&2
  exit 1
fi
# An empty libstdc++.a: a C++ link that needs the runtime fails at once
# instead of taking Debian's glibc-built one, and Buildroot finds no gcc
# support library to import.
"$gnu-ar" rc "$root/usr/lib/libstdc++.a"

# ---- specs: musl only, paths relative to the sysroot ----------------------------
# write_specs FILE INCLUDES: cc1 sees INCLUDES alone (-nostdinc); the link
# takes musl's start files and libgcc, always static (libgcc_s is glibc's).
write_specs() {
  cat >"$1" <<EOF
*cc1:
%(cc1_cpu) -nostdinc $2 -isystem =/usr/include -isystem $gcc_dir/include

*link_libgcc:
-L=/usr/lib -L=/lib -L$gcc_dir

*startfile:
%{static-pie:%R/usr/lib/rcrt1.o;shared:;static|no-pie:%R/usr/lib/crt1.o;:%R/usr/lib/Scrt1.o} %R/usr/lib/crti.o %{static:$gcc_dir/crtbeginT.o;shared|static-pie|!no-pie:$gcc_dir/crtbeginS.o;:$gcc_dir/crtbegin.o}

*endfile:
%{static:$gcc_dir/crtend.o;shared|static-pie|!no-pie:$gcc_dir/crtendS.o;:$gcc_dir/crtend.o} %R/usr/lib/crtn.o

*libgcc:
-lgcc -lgcc_eh

EOF
}
write_specs "$dest/lib/musl.specs" ""
write_specs "$dest/lib/musl-c++.specs" \
  "-isystem =/usr/include/c++/12 -isystem =/usr/include/c++/12/$gnu -isystem =/usr/include/c++/12/backward"

# ---- the drivers ----------------------------------------------------------------
# driver NAME DEBIAN_DRIVER SPECS: bin/TUPLE-NAME runs Debian's driver on the
# sysroot beside it. -mmusl names musl's loader; -B makes -print-file-name
# (Buildroot's probe for libc.a) find musl's files first. Debian's gcc says
# --with-sysroot=/ in -v, which Buildroot refuses as a distribution's
# compiler: -v alone reports the sysroot the specs really use.
driver() {
  cat >"$dest/bin/$tuple-$1" <<EOF
#!/bin/sh
# $tuple-$1: Debian's $2 on the musl sysroot beside this script (toolchain/sdk.sh).
sdk=\$(dirname "\$(dirname "\$(readlink -f "\$0")")")
if [ "\$*" = -v ]; then
  $2 -v 2>&1 | sed "s| --with-sysroot=/ | --with-sysroot=\$sdk/sysroot |"
  exit 0
fi
exec $2 -mmusl -specs="\$sdk/lib/$3" -B"\$sdk/sysroot/usr/lib/" --sysroot="\$sdk/sysroot" "\$@"
EOF
  chmod 755 "$dest/bin/$tuple-$1"
}
driver gcc "$gnu-gcc" musl.specs
driver cpp "$gnu-cpp" musl.specs
driver g++ "$gnu-g++" musl-c++.specs
driver c++ "$gnu-g++" musl-c++.specs
# binutils, and gcc's ar/nm/ranlib (Buildroot's TARGET_AR is gcc-ar).
for tool in addr2line ar as c++filt elfedit gprof ld ld.bfd nm objcopy objdump ranlib readelf \
  size strings strip gcc-ar gcc-nm gcc-ranlib; do
  [ -x "/usr/bin/$gnu-$tool" ] || { echo "sdk.sh: no /usr/bin/$gnu-$tool" >&2; exit 1; }
  ln -s "/usr/bin/$gnu-$tool" "$dest/bin/$tuple-$tool"
done
echo "sdk.sh: $dest ($tuple-, gcc $("$gnu-gcc" -dumpversion), musl $(dpkg-query -W -f='${Version}' "musl-dev:$(deb_arch "$arch")"))"
