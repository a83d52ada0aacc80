# SPDX-License-Identifier: Apache-2.0
# A generic x86_64 appliance (gateway class).
ARCH := x86_64
BOARD_CXXFLAGS :=
BOARD_LDFLAGS :=
