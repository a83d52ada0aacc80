# SPDX-License-Identifier: Apache-2.0
# The board `make bench` builds: one resource that restores with no
# configured wait (NOIPUNIQUE=1) and a reachable PingList, and its IPv6
# twin, on the device the bench creates inside its own network namespace.
# Built for every ARCH.
ARCH := x86_64
BOARD_CXXFLAGS :=
BOARD_LDFLAGS := -Wl,-z,max-page-size=4096
