# SPDX-License-Identifier: Apache-2.0
# A generic aarch64 appliance (storage head class).
ARCH := aarch64
BOARD_CXXFLAGS :=
# The linker pads to 64 KiB pages by default; these boards run 4 KiB pages.
BOARD_LDFLAGS := -Wl,-z,max-page-size=4096
