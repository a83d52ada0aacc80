# SPDX-License-Identifier: Apache-2.0
# x86_64, musl, static.
TRIPLE      := x86_64-linux-gnu
CXX_TARGET  := g++
CC_TARGET   := gcc
MUSL_SPECS  := /usr/lib/x86_64-linux-musl/musl-gcc.specs
CXX_HEADERS := /usr/include/c++/12 /usr/include/x86_64-linux-gnu/c++/12
KERNEL_ASM  := /usr/include/x86_64-linux-gnu/asm
QEMU        :=
ARCH_CPU_FLAGS :=
ARCH_ABI_FLAGS :=
