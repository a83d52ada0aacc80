# SPDX-License-Identifier: Apache-2.0
# The board the boot tests build (tests/boot): its resources name the
# virtio NIC of the qemu-system nodes. Built for every ARCH.
ARCH := x86_64
BOARD_CXXFLAGS :=
BOARD_LDFLAGS := -Wl,-z,max-page-size=4096
