# SPDX-License-Identifier: Apache-2.0
# An Atheros/QCA ath79-class access point (MIPS 24Kc, big-endian).
ARCH := mips
BOARD_CXXFLAGS :=
# MIPS links align segments to 64 KiB without padding the file, so the
# binary runs on 4, 16 and 64 KiB page kernels alike.
BOARD_LDFLAGS :=
