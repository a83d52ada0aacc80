# SPDX-License-Identifier: Apache-2.0
# IBM Z (s390x), 64-bit big-endian, musl, static. No router has this CPU:
# it is here as the one big-endian CPU Debian ships a kernel for, so the
# boot tests prove ipres's byte order on a real big-endian kernel
# (qemu-system-s390x; README, MIPS). Debian's gcc targets z196 by default.
TRIPLE      := s390x-linux-gnu
CXX_TARGET  := s390x-linux-gnu-g++
CC_TARGET   := s390x-linux-gnu-gcc
MUSL_SPECS  := /usr/lib/s390x-linux-musl/musl-gcc.specs
CXX_HEADERS := /usr/s390x-linux-gnu/include/c++/12 /usr/s390x-linux-gnu/include/c++/12/s390x-linux-gnu
KERNEL_ASM  := /usr/s390x-linux-gnu/include/asm
QEMU        := qemu-s390x-static
ARCH_CPU_FLAGS :=
ARCH_ABI_FLAGS :=
