# SPDX-License-Identifier: Apache-2.0
# MIPS32r2 little-endian (MediaTek MT7621's 1004Kc class), o32 hard-float as
# Debian's mipsel musl (an FPU-less core runs musl's few FP instructions
# through the kernel's emulator; README, MIPS), musl, static.
TRIPLE      := mipsel-linux-gnu
CXX_TARGET  := mipsel-linux-gnu-g++
CC_TARGET   := mipsel-linux-gnu-gcc
MUSL_SPECS  := /usr/lib/mipsel-linux-musl/musl-gcc.specs
CXX_HEADERS := /usr/mipsel-linux-gnu/include/c++/12 /usr/mipsel-linux-gnu/include/c++/12/mipsel-linux-gnu
KERNEL_ASM  := /usr/mipsel-linux-gnu/include/asm
QEMU        := qemu-mipsel-static
ARCH_CPU_FLAGS := -march=mips32r2
ARCH_ABI_FLAGS := -mno-shared
