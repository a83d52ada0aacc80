# SPDX-License-Identifier: Apache-2.0
# ipres: one static musl binary per board.
#
#   make                    the default board (BOARD=x86_64)
#   make BOARD=NAME         board/NAME, for the ARCH its board.mk names
#   make BOARD=NAME ARCH=A  the same resources for another CPU (tests do this)
#   make install DESTDIR=DIR [PREFIX=/usr]   stage it into a root file system
#   make CROSS_COMPILE=PREFIX-   a compiler from outside (an SDK's), with its
#                           own sysroot; CXX CC CXXFLAGS CPPFLAGS LDFLAGS too
#   make OUT=DIR            build there instead of build/BOARD[-ARCH]
#   make boards | size | test | demo | bench | format | check-size | check-steps | check-spdx
#   make check-includes
#   make docs-test | clean

VERSION := 0.1.0
Q ?= @  # make Q= shows the full commands
BOARD ?= x86_64
# Every CPU with a toolchain/ARCH.mk; the tests build and check each
# (tests/lib.sh's IPRES_ALL_ARCHES). mips and s390x are big-endian.
ALL_ARCHES := x86_64 aarch64 armv7 mipsel mips s390x
BOARDS := $(notdir $(patsubst %/,%,$(dir $(wildcard board/*/board.mk))))

# Tests point BOARD_DIR at a board outside the tree.
BOARD_DIR ?= board/$(BOARD)
ifeq ($(wildcard $(BOARD_DIR)/board.mk),)
$(error no board '$(BOARD)': expected $(BOARD_DIR)/board.mk (boards: $(BOARDS)))
endif
# ARCH on the command line builds the board's resources for another CPU: the
# board's ARCH is read first (so its CPU flags are kept to it), then ARCH
# given takes its place.
ARCH_GIVEN := $(if $(filter command line,$(origin ARCH)),$(ARCH))
ifneq ($(ARCH_GIVEN),)
override undefine ARCH
endif
include $(BOARD_DIR)/board.mk
BOARD_ARCH := $(ARCH)
ifneq ($(ARCH_GIVEN),)
override ARCH := $(ARCH_GIVEN)
endif
ifeq ($(wildcard toolchain/$(ARCH).mk),)
$(error unknown ARCH '$(ARCH)': expected one of $(ALL_ARCHES))
endif
include toolchain/$(ARCH).mk
# The board's BOARD_CPU_FLAGS (-mcpu=cortex-a7, say), only in a build for the
# board's own ARCH: they take the place of toolchain/ARCH.mk's ARCH_CPU_FLAGS.
CPU_FLAGS := $(if $(filter $(BOARD_ARCH),$(ARCH)),$(BOARD_CPU_FLAGS))

ifneq ($(ARCH_GIVEN),)
OUT := build/$(BOARD)-$(ARCH)
else
OUT := build/$(BOARD)
endif
SYSROOT := build/sysroot/$(ARCH)
HOST := build/host

# ---- the compiler: Debian's, or one from outside -----------------------------
# By default toolchain/ARCH.mk's: Debian's gcc with musl's specs file, the
# libstdc++ headers and a folder of links to the kernel headers (set up by
# toolchain/setup.sh). A firmware build system passes its own instead:
# CROSS_COMPILE=PREFIX- (PREFIX-g++ and PREFIX-gcc), or CXX and CC (from the
# command line or the environment; one of them alone is refused). Such a
# compiler brings its own sysroot, C library, C++ and kernel headers, and its
# own CPU tuning: none of the Debian toolchain's paths, specs or ARCH CPU and
# ABI flags are added (a board's BOARD_CPU_FLAGS are), and toolchain/setup.sh
# is not run. Which CPU it builds for is read
# from it (-dumpmachine): ARCH on the command line, or else the board's ARCH,
# must be that CPU. It must use musl: a compiler with glibc's headers is refused.
TOOLCHAIN := debian
ifneq ($(strip $(CROSS_COMPILE) $(filter-out default undefined,$(origin CXX) $(origin CC))),)
TOOLCHAIN := outside
ifneq ($(filter default undefined,$(origin CXX)),)
ifeq ($(CROSS_COMPILE),)
$(error CC=$(CC) without CXX: give both, or CROSS_COMPILE=PREFIX-)
endif
CXX := $(CROSS_COMPILE)g++
endif
ifneq ($(filter default undefined,$(origin CC)),)
ifeq ($(CROSS_COMPILE),)
$(error CXX=$(CXX) without CC: give both, or CROSS_COMPILE=PREFIX-)
endif
CC := $(CROSS_COMPILE)gcc
endif
# objcopy (only the zero-allocation check uses it): PREFIX-objcopy, or the
# one beside a CC named ...gcc.
OBJCOPY ?= $(if $(CROSS_COMPILE),$(CROSS_COMPILE)objcopy,$(patsubst %gcc,%objcopy,$(CC)))

TARGET_MACHINE := $(shell $(CXX) $(CPPFLAGS) $(CXXFLAGS) -dumpmachine 2>/dev/null)
machine_cpu := $(firstword $(subst -, ,$(TARGET_MACHINE)))
COMPILER_ARCH := $(strip $(if $(filter x86_64,$(machine_cpu)),x86_64) \
  $(if $(filter aarch64,$(machine_cpu)),aarch64) $(if $(filter arm armv7%,$(machine_cpu)),armv7) \
  $(if $(filter mipsel mips s390x,$(machine_cpu)),$(machine_cpu)))
ifeq ($(TARGET_MACHINE),)
$(error $(CXX) does not run: '$(CXX) -dumpmachine' printed nothing)
endif
ifeq ($(COMPILER_ARCH),)
$(error $(CXX) builds for $(TARGET_MACHINE) (-dumpmachine): not a CPU of ipres ($(ALL_ARCHES)))
endif
ifneq ($(COMPILER_ARCH),$(ARCH))
ifneq ($(ARCH_GIVEN),)
$(error ARCH=$(ARCH), but $(CXX) builds for $(COMPILER_ARCH) ($(TARGET_MACHINE), -dumpmachine))
else
$(error board $(BOARD) is for $(ARCH), but $(CXX) builds for $(COMPILER_ARCH) ($(TARGET_MACHINE), \
  -dumpmachine): use the board's compiler, or ARCH=$(COMPILER_ARCH) to build its resources for $(COMPILER_ARCH))
endif
endif
ifneq ($(shell $(CXX) $(CPPFLAGS) $(CXXFLAGS) -x c++ -dM -E -include limits.h /dev/null 2>/dev/null | \
  grep -cw __GLIBC__),0)
$(error $(CXX) uses glibc's headers (__GLIBC__ is defined): ipres is built against musl)
endif

CXX_TARGET := $(CXX)
CC_TARGET := $(CC)
TOOLCHAIN_SPECS :=
TOOLCHAIN_CXXFLAGS :=
TOOLCHAIN_DEPS :=
ARCH_FLAGS := $(CPU_FLAGS)
SETUP :=
else
ARCH_FLAGS := $(or $(CPU_FLAGS),$(ARCH_CPU_FLAGS)) $(ARCH_ABI_FLAGS)
OBJCOPY := $(TRIPLE)-objcopy
TOOLCHAIN_SPECS := -specs $(MUSL_SPECS)
TOOLCHAIN_CXXFLAGS := $(TOOLCHAIN_SPECS) $(addprefix -isystem ,$(CXX_HEADERS)) \
  -isystem $(SYSROOT)/include '-D__GLIBC_PREREQ(maj,min)=0' -D__locale_t=locale_t
TOOLCHAIN_DEPS := $(SYSROOT)/include/.done
SETUP := setup
endif

# ---- target build (static musl) ------------------------------------------
# ipres's flags first, then the caller's CPPFLAGS and CXXFLAGS (LDFLAGS at the
# link), which therefore win where they disagree (-O2 over -Os, say). The
# link is the C driver's, so no libstdc++ is linked; it gets CXXFLAGS too,
# as make's own C++ link rule does (-flto, say, needs them there).
TARGET_CXXFLAGS := -std=c++17 -Os -fno-exceptions -fno-rtti -fno-threadsafe-statics \
  -fno-asynchronous-unwind-tables -fno-unwind-tables -fno-stack-protector \
  -ffunction-sections -fdata-sections -Wall -Wextra -Werror \
  $(TOOLCHAIN_CXXFLAGS) \
  -DIPRES_VERSION='"$(VERSION)"' -DIPRES_ARCH='"$(ARCH)"' \
  -Isrc $(ARCH_FLAGS) $(BOARD_CXXFLAGS) $(CPPFLAGS) $(CXXFLAGS)
TARGET_LDFLAGS := $(TOOLCHAIN_SPECS) -static -Wl,--gc-sections -Wl,-z,norelro -s \
  $(ARCH_FLAGS) $(BOARD_LDFLAGS) $(CXXFLAGS) $(LDFLAGS)

# Everything in src/ except the build-machine generator.
APP_SRCS := $(filter-out src/config/confgen.cc src/config/parser.cc src/config/values.cc, \
  $(wildcard src/*/*.cc src/*.cc))
APP_OBJS := $(patsubst src/%.cc,$(OUT)/obj/%.o,$(APP_SRCS)) $(OUT)/obj/gen/config_table.o

.PHONY: all install tools boards size test unit-test unit-test-be cross-test integration-test demo \
  format check-format check-size check-includes clean setup test-setup install-test alloc alloc-test bench bench-setup \
  sdk-setup sdk-toolchains firmware-test docs-test check-spdx check-steps

all: $(OUT)/ipres $(OUT)/keepalived.conf

# Debian's packages (toolchain/setup.sh installs the missing ones, as root).
# A build needs make, the build machine's g++ (the config generator) and the
# ARCH's compiler and musl; the tests need the rest, every CPU's toolchain too.
BUILD_PACKAGES.x86_64 := musl-dev
BUILD_PACKAGES.aarch64 := g++-aarch64-linux-gnu musl-dev:arm64
BUILD_PACKAGES.armv7 := g++-arm-linux-gnueabihf musl-dev:armhf
BUILD_PACKAGES.mipsel := g++-mipsel-linux-gnu musl-dev:mipsel
# Big-endian mips: Debian has no musl for it; toolchain/musl-source.sh builds
# it from the source package (dpkg-dev unpacks that).
BUILD_PACKAGES.mips := g++-mips-linux-gnu dpkg-dev
BUILD_PACKAGES.s390x := g++-s390x-linux-gnu musl-dev:s390x
TEST_PACKAGES := $(foreach a,$(ALL_ARCHES),$(BUILD_PACKAGES.$(a))) \
  build-essential file binutils musl-tools qemu-user-static libcmocka-dev libmnl-dev busybox-static \
  iproute2 iputils-ping iputils-arping tcpdump python3 python3-scapy procps util-linux \
  clang-format keepalived resource-agents libxml2-utils shellcheck strace clang-14 libclang-rt-14-dev
# The unit tests' objects need cmocka's headers (with the Debian toolchain).
TEST_SETUP := $(if $(SETUP),test-setup)

setup:
	@sh toolchain/setup.sh make g++ $(BUILD_PACKAGES.$(ARCH))

test-setup:
	@sh toolchain/setup.sh make g++ $(TEST_PACKAGES)

$(SYSROOT)/include/.done: | setup
	@mkdir -p $(SYSROOT)/include
	@ln -sfn /usr/include/linux $(SYSROOT)/include/linux
	@ln -sfn $(KERNEL_ASM) $(SYSROOT)/include/asm
	@ln -sfn /usr/include/asm-generic $(SYSROOT)/include/asm-generic
	@touch $@

# A CPU Debian has no musl-dev for (mips.mk sets MUSL_PREFIX): musl built
# from Debian's musl source package, once (toolchain/musl-source.sh).
ifneq ($(MUSL_PREFIX),)
$(SYSROOT)/include/.done: $(MUSL_PREFIX)/.version
$(MUSL_PREFIX)/.version: | setup
	@sh toolchain/musl-source.sh $(TRIPLE) $(MUSL_PREFIX)
endif

# What the compiler and the link were run with, rewritten only when that
# changes (another CROSS_COMPILE, CXXFLAGS or board): the objects and links
# depend on it, so they are rebuilt then and never mixed from two toolchains.
.PHONY: FORCE
# (The temporary file is the process's own: two makes may share a build folder.)
record_flags = t=$@.$$$$.tmp; printf '%s\n' '$(subst ','\'',$(1))' >$$t; \
  if cmp -s $$t $@; then rm -f $$t; else mv -f $$t $@; fi
$(OUT)/compile.flags: FORCE
	@mkdir -p $(dir $@)
	@$(call record_flags,$(CXX_TARGET) $(TARGET_CXXFLAGS) | $(CC_TARGET) $(ALLOC_CFLAGS))
$(OUT)/link.flags: FORCE
	@mkdir -p $(dir $@)
	@$(call record_flags,$(CC_TARGET) $(TARGET_LDFLAGS))

$(OUT)/obj/%.o: src/%.cc $(TOOLCHAIN_DEPS) $(OUT)/compile.flags
	@mkdir -p $(dir $@)
	@echo "  CXX     $@"
	$(Q)$(CXX_TARGET) $(TARGET_CXXFLAGS) -MMD -MP -c $< -o $@

$(OUT)/gen/config_table.cc: $(BOARD_DIR)/ipres.conf $(HOST)/confgen
	@mkdir -p $(dir $@)
	@$(HOST)/confgen $(BOARD) $< $@.tmp || { rm -f $@.tmp; exit 1; }
	@mv $@.tmp $@

$(OUT)/obj/gen/config_table.o: $(OUT)/gen/config_table.cc $(TOOLCHAIN_DEPS) $(OUT)/compile.flags
	@mkdir -p $(dir $@)
	@echo "  CXX     $@"
	$(Q)$(CXX_TARGET) $(TARGET_CXXFLAGS) -MMD -MP -c $< -o $@

# The example keepalived.conf for the board's resources (make install puts it
# in /usr/share/ipres/examples), after the config generator has taken them.
KEEPALIVED_TEMPLATE := rootfs-overlay/etc/keepalived/keepalived.conf
$(OUT)/keepalived.conf: $(OUT)/gen/config_table.cc $(KEEPALIVED_TEMPLATE) toolchain/keepalived-conf.sh
	$(Q)sh toolchain/keepalived-conf.sh $(BOARD) $(BOARD_DIR)/ipres.conf $(KEEPALIVED_TEMPLATE) >$@.tmp || \
	  { rm -f $@.tmp; exit 1; }
	@mv $@.tmp $@

$(OUT)/ipres: $(APP_OBJS) $(OUT)/link.flags
	@echo "  LD      $@"
	$(Q)$(CC_TARGET) $(APP_OBJS) $(TARGET_LDFLAGS) -o $@
	@ln -sfn ipres $(OUT)/lkping

# ---- make install DESTDIR=DIR: what a firmware build system stages ----------
# toolchain/install.sh: ipres, lkping, rootfs-overlay/ and the man pages at
# their places under DIR, the examples in $(PREFIX)/share/ipres/examples;
# DIR/etc's existing files are kept (mdev.conf gets ipres's rule once).
# It compiles nothing: it installs what `make` built for this BOARD (and
# ARCH, OUT) or stops, naming the make command to run first. A compiler named
# here (CROSS_COMPILE, CXX and CC) must be the one the build recorded.
PREFIX ?= /usr
install_named_cxx := $(if $(filter outside,$(TOOLCHAIN)),$(CXX_TARGET))
install_rebuild := make BOARD=$(BOARD)$(if $(filter command line,$(origin BOARD_DIR)), BOARD_DIR=$(BOARD_DIR)) \
  $(if $(ARCH_GIVEN),ARCH=$(ARCH) )$(if $(filter command line,$(origin OUT)),OUT=$(OUT) )$(strip \
  $(if $(CROSS_COMPILE),CROSS_COMPILE=$(CROSS_COMPILE),$(if $(install_named_cxx),CXX=$(CXX) CC=$(CC))))

install:
	$(Q)sh toolchain/install.sh '$(OUT)' '$(DESTDIR)' '$(PREFIX)' '$(BOARD_DIR)' \
	  '$(install_named_cxx)' '$(strip $(install_rebuild))'

# Test tools: small static programs over the same objects, run inside the
# namespaces (and under qemu) by the integration tests.
TOOL_NAMES := $(patsubst tests/tools/%.cc,%,$(wildcard tests/tools/*.cc))
LIB_OBJS := $(filter-out $(OUT)/obj/cli/main.o,$(APP_OBJS))
TOOLS := $(addprefix $(OUT)/tools/,$(TOOL_NAMES))

tools: $(TOOLS)

$(OUT)/obj/tools/%.o: tests/tools/%.cc $(TOOLCHAIN_DEPS) $(OUT)/compile.flags
	@mkdir -p $(dir $@)
	@echo "  CXX     $@"
	$(Q)$(CXX_TARGET) $(TARGET_CXXFLAGS) -MMD -MP -c $< -o $@

$(OUT)/tools/%: $(OUT)/obj/tools/%.o $(LIB_OBJS) $(OUT)/link.flags
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC_TARGET) $(filter %.o,$^) $(TARGET_LDFLAGS) -o $@

boards:
	@for b in $(BOARDS); do $(MAKE) --no-print-directory BOARD=$$b || exit 1; done

size: boards
	@for b in $(BOARDS); do printf '%-10s %8s bytes\n' $$b $$(stat -c %s build/$$b/ipres); done

# ---- host build: the generator and the unit tests -------------------------
# The build machine's compiler and archiver: HOST_CXX and HOST_AR, else
# HOSTCXX and HOSTAR (Buildroot's names, which it exports to every package's
# make), from the command line or the environment; else g++ and ar.
HOST_CXX ?= $(if $(HOSTCXX),$(HOSTCXX),g++)
HOST_AR ?= $(if $(HOSTAR),$(HOSTAR),ar)
HOST_CXXFLAGS := -std=c++17 -O1 -g -Wall -Wextra -Werror -Isrc -Itests/unit \
  -DIPRES_VERSION='"$(VERSION)"' -DIPRES_ARCH='"host"'

# Each src/ folder is a layer and, on the host, one static archive of every
# .cc in it, so a file moved, renamed or added inside a folder needs no edit
# here (the folder is a prerequisite: its time changes when an entry does).
# A program links its own objects, then archives callers first: the linker
# searches each archive once, so a call up the layers fails to link. An
# archive a program does not call costs nothing: only members defining a
# symbol still missing are taken.
HOST_LAYERS := cli ops host config net netlink base
# Not archived: the two mains (cli/main.cc, config/confgen.cc), which are
# programs, not library code; and base/cxa_runtime.cc, the musl build's
# stand-in for libstdc++'s __cxa_pure_virtual: every abstract class's vtable
# names that symbol, so libbase.a would put it ahead of the host's libstdc++.
HOST_LIB_SRCS := $(filter-out src/cli/main.cc src/config/confgen.cc src/base/cxa_runtime.cc, \
  $(wildcard src/*/*.cc))
# (src/man holds the manual pages, no code.)
$(foreach d,$(filter-out man,$(notdir $(wildcard src/*))),$(if $(filter $(d),$(HOST_LAYERS)),, \
  $(error src/$(d) is no layer: add it to HOST_LAYERS in the Makefile)))

# layer_objs DIR LAYER: the objects of DIR/lib/libLAYER.a.
layer_objs = $(patsubst src/%.cc,$(1)/obj/%.o,$(filter src/$(2)/%,$(HOST_LIB_SRCS)))
# layers_from LAYER LAYERS: LAYER and the layers after it.
layers_from = $(if $(2),$(if $(filter $(1),$(firstword $(2))),$(2), \
  $(call layers_from,$(1),$(wordlist 2,99,$(2)))))

# Each unit test, listed under the layer it tests: it links that layer's
# archive and those below. The ops tests run the operations on the fake Host
# of tests/unit/mock_host.cc; linked as an object, ahead of the archives, it
# is always taken, and libhost.a only supplies what ops calls besides Host.
UNIT_TESTS.base := test_base
UNIT_TESTS.netlink := test_netlink_reply
UNIT_TESTS.net := test_arp test_icmp test_icmp6 test_netlink test_duplicate_probe test_net_event test_ndp \
  test_claim
UNIT_TESTS.config := test_config
UNIT_TESTS.host := test_state_dir test_check_record test_unfinished_record test_proc_locks test_tag_state
UNIT_TESTS.ops := test_conflict_watch test_periodic_check test_ipv6_ops test_faults test_monitor test_quick_check test_recover test_remove \
  test_restore test_status_ready
UNIT_TESTS.cli := test_lkping_options test_status_view test_cli
UNIT_OBJS.ops := mock_host

UNIT_NAMES := $(patsubst tests/unit/%.cc,%,$(wildcard tests/unit/test_*.cc))
unit_layer = $(strip $(foreach l,$(HOST_LAYERS),$(if $(filter $(1),$(UNIT_TESTS.$(l))),$(l))))
$(foreach t,$(UNIT_NAMES),$(if $(call unit_layer,$(t)),, \
  $(error tests/unit/$(t).cc: list it under its layer, UNIT_TESTS.LAYER in the Makefile)))
# unit_inputs DIR TEST: what DIR/unit/TEST links, in order.
unit_inputs = $(addprefix $(1)/unit-obj/,$(addsuffix .o,$(2) $(UNIT_OBJS.$(call unit_layer,$(2))))) \
  $(foreach l,$(call layers_from,$(call unit_layer,$(2)),$(HOST_LAYERS)),$(1)/lib/lib$(l).a)
# UNIT_EXCLUDE: tests a build leaves out (unit-test-be: test_netlink).
UNIT_TESTS := $(addprefix $(HOST)/unit/,$(filter-out $(UNIT_EXCLUDE),$(UNIT_NAMES)))
# Libraries beyond cmocka: libmnl is test_netlink's oracle.
UNIT_LIBS.test_netlink := -lmnl

# host_build DIR FLAGS: the objects, archives and unit tests built under DIR
# with the host compiler and the flags variable FLAGS (plain, or sanitized).
define host_build
$(1)/obj/%.o: src/%.cc | $(SETUP)
	@mkdir -p $$(dir $$@)
	@echo "  HOSTCXX $$@"
	$$(Q)$$(HOST_CXX) $$($(2)) -MMD -MP -c $$< -o $$@

$(1)/unit-obj/%.o: tests/unit/%.cc | $(TEST_SETUP)
	@mkdir -p $$(dir $$@)
	@echo "  HOSTCXX $$@"
	$$(Q)$$(HOST_CXX) $$($(2)) -MMD -MP -c $$< -o $$@

$(1)/lib/lib%.a: $$$$(call layer_objs,$(1),$$$$*) src/$$$$*
	@mkdir -p $$(dir $$@)
	@echo "  AR      $$@"
	$$(Q)rm -f $$@ && $$(HOST_AR) rcs $$@ $$(filter %.o,$$^)

$(1)/unit/%: $$$$(call unit_inputs,$(1),$$$$*)
	@mkdir -p $$(dir $$@)
	@echo "  HOSTLD  $$@"
	$$(Q)$$(HOST_CXX) $$($(2)) $$^ -lcmocka $$(UNIT_LIBS.$$*) -o $$@

# Kept between runs, not deleted as the intermediates of a unit test.
.SECONDARY: $(patsubst src/%.cc,$(1)/obj/%.o,$(HOST_LIB_SRCS)) \
  $(addprefix $(1)/unit-obj/,$(addsuffix .o,$(UNIT_NAMES) mock_host)) \
  $(foreach l,$(HOST_LAYERS),$(1)/lib/lib$(l).a)
-include $$(wildcard $(1)/obj/*/*.d $(1)/unit-obj/*.d)
endef

.SECONDEXPANSION:
$(eval $(call host_build,$(HOST),HOST_CXXFLAGS))

$(HOST)/confgen: $(HOST)/obj/config/confgen.o $(HOST)/lib/libconfig.a $(HOST)/lib/libbase.a
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CXX) $(HOST_CXXFLAGS) $^ -o $@

# UNIT_RUN: what runs each test (unit-test-be: qemu-mips-static).
unit-test: $(UNIT_TESTS)
	@set -e; for t in $(UNIT_TESTS); do echo "== $$t"; $(UNIT_RUN) $$t; done

# The unit tests on big-endian mips, under qemu-user: the frame, packet and
# config code on the other byte order. Built with Debian's mips cross g++
# and its static glibc, and cmocka from Debian's source package
# (toolchain/cmocka-source.sh). test_netlink is left out: its oracle,
# libmnl, has no big-endian build here (its Debian source is not served).
CMOCKA_MIPS := build/cmocka/mips
unit-test-be: | test-setup
	@sh toolchain/cmocka-source.sh mips-linux-gnu $(CMOCKA_MIPS)
	@$(MAKE) --no-print-directory HOST=build/host-mips HOST_AR=mips-linux-gnu-ar \
	  HOST_CXX='mips-linux-gnu-g++ -static -isystem $(CMOCKA_MIPS)/include -L$(CMOCKA_MIPS)/lib' \
	  UNIT_EXCLUDE=test_netlink UNIT_RUN=qemu-mips-static unit-test

# The same resources built for every CPU must list identically.
cross-test: | test-setup
	@set -e; for a in $(ALL_ARCHES); do \
	  $(MAKE) --no-print-directory BOARD=nstest ARCH=$$a all tools >/dev/null; done
	@sh tests/build_checks.sh
	@$(MAKE) --no-print-directory firmware-test

# make install and a board's build as a firmware engineer meets them
# (tests/install_checks.sh: 1 to 3 minutes here; its limit, 15, ends only a hang).
install-test: sdk-toolchains | test-setup
	@mkdir -p build
	@. tests/timelimit.sh && run_limited 900 'ipresinstall%s' build/install-test.pid sh tests/install_checks.sh

# The namespace tests, IPRES_JOBS at a time (tests/integration/run.sh; default
# 6, IPRES_JOBS=1 one after another), each test's output printed whole.
# Big-endian mips runs under a qemu-mips of its own: Debian's, built from
# its source package with one fix to its rtnetlink byte swapping
# (toolchain/qemu-source.sh says why), once.
QEMU_MIPS := build/qemu
QEMU_PACKAGES := meson ninja-build pkg-config libglib2.0-dev
$(QEMU_MIPS)/.version: | test-setup
	@sh toolchain/setup.sh $(QEMU_PACKAGES)
	@sh toolchain/qemu-source.sh $(QEMU_MIPS)

integration-test: $(QEMU_MIPS)/.version | test-setup
	@sh tests/integration/run.sh

test: check-format check-includes check-size check-steps check-spdx docs-test unit-test unit-test-be fuzz-replay cross-test install-test alloc-test integration-test boot-test sanitize-test \
  buildroot-test

# ---- zero heap allocation (tests/alloc_check.sh) ---------------------------
# $(ALLOC)/ipres.full: the shipped binary's link, not stripped, with ld
# tracing every allocator symbol: who references it, who defines it.
# $(ALLOC)/ipres.trap: the same objects with tests/alloc/trap.c, an allocator
# that aborts. The *-canary twins add tests/alloc/canary.c (one malloc): the
# checks must fail on them, or they could not fail at all.
ALLOC := $(OUT)/alloc
ALLOC_SYMS := malloc calloc realloc free reallocarray aligned_alloc posix_memalign \
  memalign valloc pvalloc malloc_usable_size __libc_malloc __libc_malloc_impl \
  __libc_calloc __libc_realloc __libc_free __simple_malloc __malloc_donate __expand_heap \
  _Znwm _Znam _Znwj _Znaj _ZdlPv _ZdaPv _ZdlPvm _ZdlPvj _ZdaPvm _ZdaPvj
ALLOC_TRACE := $(foreach s,$(ALLOC_SYMS),-Wl,--trace-symbol=$(s))
ALLOC_CFLAGS := $(TOOLCHAIN_SPECS) -Os -fno-builtin -Wall -Wextra -Werror $(ARCH_FLAGS) \
  $(CPPFLAGS) $(CFLAGS)
ALLOC_LDFLAGS := $(filter-out -s,$(TARGET_LDFLAGS))

$(ALLOC)/%.o: tests/alloc/%.c $(TOOLCHAIN_DEPS) $(OUT)/compile.flags
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC_TARGET) $(ALLOC_CFLAGS) -c $< -o $@

$(ALLOC)/ipres.full: $(APP_OBJS) $(OUT)/ipres $(OUT)/link.flags
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC_TARGET) $(APP_OBJS) $(ALLOC_LDFLAGS) $(ALLOC_TRACE) -o $@ >$(ALLOC)/ipres.trace 2>&1 || \
	  { cat $(ALLOC)/ipres.trace; rm -f $@; exit 1; }
	$(Q)$(OBJCOPY) -O binary -j .text $@ $(ALLOC)/text.full
	$(Q)$(OBJCOPY) -O binary -j .text $(OUT)/ipres $(ALLOC)/text.shipped

$(ALLOC)/ipres-canary.full: $(APP_OBJS) $(ALLOC)/canary.o $(OUT)/link.flags
	@echo "  LD      $@"
	$(Q)$(CC_TARGET) $(filter %.o,$^) $(ALLOC_LDFLAGS) $(ALLOC_TRACE) -o $@ >$(ALLOC)/ipres-canary.trace 2>&1 || \
	  { cat $(ALLOC)/ipres-canary.trace; rm -f $@; exit 1; }

$(ALLOC)/ipres.trap: $(APP_OBJS) $(ALLOC)/trap.o $(OUT)/link.flags
	@echo "  LD      $@"
	$(Q)$(CC_TARGET) $(filter %.o,$^) $(TARGET_LDFLAGS) -o $@

$(ALLOC)/ipres-canary.trap: $(APP_OBJS) $(ALLOC)/trap.o $(ALLOC)/canary.o $(OUT)/link.flags
	@echo "  LD      $@"
	$(Q)$(CC_TARGET) $(filter %.o,$^) $(TARGET_LDFLAGS) -o $@

alloc: $(ALLOC)/ipres.full $(ALLOC)/ipres-canary.full $(ALLOC)/ipres.trap \
  $(ALLOC)/ipres-canary.trap

# Static proof on every CPU, the trap build run in namespaces on x86_64.
alloc-test: | test-setup
	@set -e; for a in $(ALL_ARCHES); do \
	  $(MAKE) --no-print-directory BOARD=nstest ARCH=$$a all alloc >/dev/null; done
	@sh tests/alloc_check.sh

# ---- a firmware build system's view (tests/firmware_checks.sh) --------------
# Toolchains shaped like an SDK's (bin/ARCH-linux-musl-g++ with its own
# sysroot), assembled from Debian's packages by toolchain/sdk.sh and kept in
# build/sdk/ARCH until the script changes. Then the checks: the binaries
# they build, the caller's flags, make install.
SDK_ARCHES := aarch64 x86_64
# What toolchain/sdk.sh copies from or runs, beyond toolchain/setup.sh's list.
SDK_PACKAGES := binutils-aarch64-linux-gnu binutils-x86-64-linux-gnu \
  libstdc++-12-dev libstdc++-12-dev-arm64-cross

sdk-setup: test-setup
	@sh toolchain/setup.sh $(SDK_PACKAGES)

build/sdk/%/.done: toolchain/sdk.sh toolchain/deb.sh | sdk-setup
	@echo "  SDK     build/sdk/$*"
	$(Q)sh toolchain/sdk.sh $* build/sdk/$* >/dev/null
	@touch $@

sdk-toolchains: $(SDK_ARCHES:%=build/sdk/%/.done)

# After cross-test's builds (make cross-test runs it).
firmware-test: sdk-toolchains
	@sh tests/firmware_checks.sh

# ---- bench (bench/run.sh) ---------------------------------------------------
BENCH_PACKAGES := resource-agents strace iproute2 iputils-ping iputils-arping \
  musl-tools python3 procps

bench-setup: test-setup
	@sh toolchain/setup.sh $(BENCH_PACKAGES)

build/bench-tools/runstat: bench/runstat.c | bench-setup
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)musl-gcc -static -Os -s -Wall -Wextra -Werror $< -o $@

# The per-CPU part (bench/cpus.sh) runs s390x under a qemu-s390x with the
# same rtnetlink fix as mips's (toolchain/qemu-source.sh), built for it alone.
build/qemu-s390x/.version: | bench-setup
	@sh toolchain/setup.sh $(QEMU_PACKAGES)
	@sh toolchain/qemu-source.sh build/qemu-s390x s390x

bench: bench-setup build/bench-tools/runstat $(QEMU_MIPS)/.version build/qemu-s390x/.version
	@set -e; for a in $(ALL_ARCHES); do \
	  $(MAKE) --no-print-directory BOARD=bench ARCH=$$a all alloc >/dev/null; done
	@$(MAKE) --no-print-directory BOARD=bench ARCH=x86_64 tools >/dev/null
	@sh bench/run.sh

demo: test-setup
	@$(MAKE) --no-print-directory BOARD=nstest >/dev/null
	@sh tests/demo.sh

format: | test-setup
	clang-format -i $(shell git ls-files '*.cc' '*.h')

check-format: | test-setup
	@clang-format --dry-run -Werror $(shell git ls-files '*.cc' '*.h')

# Every source file's first line (after #!) names its license
# (tests/spdx_check.sh; --add puts the line where it is missing).
check-spdx:
	@sh tests/spdx_check.sh

# The man pages lint-clean and holding every config key; one version
# everywhere, the binary's included (tests/docs_checks.sh).
DOCS_PACKAGES := mandoc man-db

docs-test: | test-setup
	@sh toolchain/setup.sh $(DOCS_PACKAGES)
	@$(MAKE) --no-print-directory BOARD=nstest ARCH=x86_64 all >/dev/null
	@sh tests/docs_checks.sh build/nstest-x86_64/ipres

# No #include up the layers (HOST_LAYERS, the one list of them), none of
# net/ from ops/ (tests/include_check.sh).
check-includes:
	@sh tests/include_check.sh $(HOST_LAYERS)

# Files under src/ below 300 lines, functions of at most 60 (tests/size_check.sh).
check-size:
	@sh tests/size_check.sh

# Each spec step (tests/spec_steps.txt) marked once under src/ by a
# `// spec: OPERATION N` line above its function; SPEC_FILE=PATH also checks
# the list against the spec's text (tests/spec_steps.sh).
check-steps:
	@sh tests/spec_steps.sh

clean:
	rm -rf build

include tests/fuzz/fuzz.mk
include tests/sanitize.mk

-include $(APP_OBJS:.o=.d) $(TOOL_NAMES:%=$(OUT)/obj/tools/%.d)

# ---- firmware image and boot tests (toolchain/image.sh, tests/boot/) -------
# make image BOARD=NAME [ARCH=A]: $(OUT)/rootfs.cpio.gz, an initramfs with
# BusyBox init, ipres and rootfs-overlay/. boot-test (part of test) boots images of
# board/boottest under qemu-system for x86_64, aarch64 and armv7;
# boot-test-more for mipsel and s390x.
IMAGE_PACKAGES := cpio
BOOT_PACKAGES := $(IMAGE_PACKAGES) kmod qemu-system-x86 qemu-system-arm

.PHONY: image boot-test boot-test-more

image: $(OUT)/ipres
	@sh toolchain/setup.sh $(IMAGE_PACKAGES)
	@sh toolchain/image.sh $(ARCH) $(OUT)/ipres $(OUT)

boot-test: | test-setup
	@sh toolchain/setup.sh $(BOOT_PACKAGES)
	@sh tests/boot/run.sh

# boot-test-more (.ci/run, after test): the same boot tests for mipsel on
# qemu-system-mipsel's malta and big-endian s390x on qemu-system-s390x,
# each with its Debian 12 kernel. Apart from test, whose 30 minutes they
# would pass: about 3 min for both here (155-188 s; t_boot 65-113 s).
BOOT_MORE_ARCHES := mipsel s390x
BOOT_MORE_PACKAGES := $(BOOT_PACKAGES) qemu-system-mips qemu-system-misc

boot-test-more: | test-setup
	@sh toolchain/setup.sh $(BOOT_MORE_PACKAGES)
	@BOOT_ARCHES='$(BOOT_MORE_ARCHES)' sh tests/boot/run.sh

# make kernel-test (.ci/run, after test): t_boot on x86_64, aarch64 and armv7
# with the kernels of Debian 11 (bullseye, Linux 5.10) and 13 (trixie, 6.12),
# fetched through apt with a private configuration (toolchain/apt_suite.sh);
# their bzImage and modules come compressed (xz, zstd).
KERNEL_TEST_RELEASES := bullseye trixie
KERNEL_TEST_ARCHES := x86_64 aarch64 armv7
KERNEL_TEST_FILES := tests/boot/t_boot.sh
.PHONY: kernel-test
kernel-test: | test-setup
	@sh toolchain/setup.sh $(BOOT_PACKAGES) debian-archive-keyring xz-utils zstd
	@status=0; for release in $(KERNEL_TEST_RELEASES); do \
	  IPRES_KERNEL=$$release BOOT_ARCHES="$(KERNEL_TEST_ARCHES)" BOOT_TESTS="$(KERNEL_TEST_FILES)" \
	    sh tests/boot/run.sh || status=1; \
	done; exit $$status

# ---- Buildroot (toolchain/buildroot/, tests/buildroot/run.sh) ---------------
# ipres as a BR2_EXTERNAL package, built by an offline Buildroot (made by
# toolchain/buildroot-offline.sh in build/buildroot-offline) for aarch64, its
# rootfs.cpio booted once under qemu-system-aarch64. The Buildroot release
# is BUILDROOT_TARBALL, or downloaded and checked; without either the test
# is skipped, saying so.
.PHONY: buildroot-test buildroot-test-more
# What Buildroot's host builds and toolchain/buildroot-offline.sh use.
BUILDROOT_PACKAGES := $(BOOT_PACKAGES) $(SDK_PACKAGES) rsync patch gzip bzip2 xz-utils perl tar \
  unzip bc wget findutils diffutils debianutils sed git fakeroot libc6-dev debian-archive-keyring
# Each ARCH's run has a time limit, a hang's end (tests/timelimit.sh): a
# clean build and boot takes about 4 minutes here.
BUILDROOT_TIME_LIMIT := 1800
buildroot-test: | test-setup
	@sh toolchain/setup.sh $(BUILDROOT_PACKAGES)
	@mkdir -p build
	@. tests/timelimit.sh && run_limited $(BUILDROOT_TIME_LIMIT) 'ipresboot%s' build/buildroot-test.pid \
	  sh tests/buildroot/run.sh aarch64

# buildroot-test-more (.ci/run, after kernel-test): the same for x86_64,
# armv7 and mipsel (each its own build/buildroot-ARCH, one offline work
# folder), booted on the boot tests' machines (pc, virt, malta). Apart from
# test, whose 30 minutes a clean build of each (README, Buildroot) would pass.
BUILDROOT_MORE_ARCHES := x86_64 armv7 mipsel
buildroot-test-more: | test-setup
	@sh toolchain/setup.sh $(BUILDROOT_PACKAGES) qemu-system-mips
	@mkdir -p build
	@. tests/timelimit.sh && status=0; for a in $(BUILDROOT_MORE_ARCHES); do \
	  run_limited $(BUILDROOT_TIME_LIMIT) 'ipresboot%s' build/buildroot-test.pid \
	    sh tests/buildroot/run.sh $$a || status=1; done; exit $$status
