# SPDX-License-Identifier: Apache-2.0
# MIPS 24Kc big-endian (Atheros/QCA ath79 class), o32 hard-float, musl,
# static. Debian has no musl for big-endian mips: toolchain/musl-source.sh
# builds it from Debian's musl source package into build/musl/mips.
TRIPLE      := mips-linux-gnu
CXX_TARGET  := mips-linux-gnu-g++
CC_TARGET   := mips-linux-gnu-gcc
MUSL_PREFIX := $(CURDIR)/build/musl/mips
MUSL_SPECS  := $(MUSL_PREFIX)/lib/musl-gcc.specs
CXX_HEADERS := /usr/mips-linux-gnu/include/c++/12 /usr/mips-linux-gnu/include/c++/12/mips-linux-gnu
KERNEL_ASM  := /usr/mips-linux-gnu/include/asm
QEMU        := qemu-mips-static
ARCH_CPU_FLAGS := -march=24kc
ARCH_ABI_FLAGS := -mno-shared
