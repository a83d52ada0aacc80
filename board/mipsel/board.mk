# SPDX-License-Identifier: Apache-2.0
# A MediaTek MT7621-class router (MIPS 1004Kc, little-endian).
ARCH := mipsel
BOARD_CXXFLAGS :=
# MIPS links align segments to 64 KiB without padding the file, so the
# binary runs on 4, 16 and 64 KiB page kernels alike.
BOARD_LDFLAGS :=
