# SPDX-License-Identifier: Apache-2.0
# ARMv7-A hard-float (EABI), musl, static.
TRIPLE      := arm-linux-gnueabihf
CXX_TARGET  := arm-linux-gnueabihf-g++
CC_TARGET   := arm-linux-gnueabihf-gcc
MUSL_SPECS  := /usr/lib/arm-linux-musleabihf/musl-gcc.specs
CXX_HEADERS := /usr/arm-linux-gnueabihf/include/c++/12 /usr/arm-linux-gnueabihf/include/c++/12/arm-linux-gnueabihf
KERNEL_ASM  := /usr/arm-linux-gnueabihf/include/asm
QEMU        := qemu-arm-static
# The CPU (a board's BOARD_CPU_FLAGS replace these), then the ABI musl's armhf
# build is made for and the instruction set, which stay.
ARCH_CPU_FLAGS := -march=armv7-a -mfpu=vfpv3-d16
ARCH_ABI_FLAGS := -mfloat-abi=hard -mthumb
