# SPDX-License-Identifier: Apache-2.0
# The board the integration tests build: its resources name the devices the
# tests create inside their network namespaces. Built for every ARCH.
ARCH := x86_64
BOARD_CXXFLAGS :=
BOARD_LDFLAGS := -Wl,-z,max-page-size=4096
