# SPDX-License-Identifier: Apache-2.0
# aarch64, musl, static.
TRIPLE      := aarch64-linux-gnu
CXX_TARGET  := aarch64-linux-gnu-g++
CC_TARGET   := aarch64-linux-gnu-gcc
MUSL_SPECS  := /usr/lib/aarch64-linux-musl/musl-gcc.specs
CXX_HEADERS := /usr/aarch64-linux-gnu/include/c++/12 /usr/aarch64-linux-gnu/include/c++/12/aarch64-linux-gnu
KERNEL_ASM  := /usr/aarch64-linux-gnu/include/asm
QEMU        := qemu-aarch64-static
ARCH_CPU_FLAGS :=
ARCH_ABI_FLAGS :=
