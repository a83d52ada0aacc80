# SPDX-License-Identifier: Apache-2.0
# A generic ARMv7 hard-float appliance (small router class).
ARCH := armv7
BOARD_CXXFLAGS :=
BOARD_LDFLAGS :=
