# SPDX-License-Identifier: Apache-2.0
# An IBM Z guest (s390x, 64-bit big-endian) sharing a service address with
# its twin; the big-endian CPU the boot tests run under a real kernel.
ARCH := s390x
BOARD_CXXFLAGS :=
BOARD_LDFLAGS :=
