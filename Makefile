# ipres: one static musl binary per board.
#
#   make                    the default board (BOARD=x86_64)
#   make BOARD=NAME         board/NAME, for the ARCH its board.mk names
#   make BOARD=NAME ARCH=A  the same resources for another CPU (tests do this)
#   make boards | size | test | demo | bench | format | clean

VERSION := 0.1.0
Q ?= @  # make Q= shows the full commands
BOARD ?= x86_64
BOARDS := $(notdir $(patsubst %/,%,$(dir $(wildcard board/*/board.mk))))

# Tests point BOARD_DIR at a board outside the tree.
BOARD_DIR ?= board/$(BOARD)
ifeq ($(wildcard $(BOARD_DIR)/board.mk),)
$(error no board '$(BOARD)': expected $(BOARD_DIR)/board.mk (boards: $(BOARDS)))
endif
include $(BOARD_DIR)/board.mk
ifeq ($(wildcard toolchain/$(ARCH).mk),)
$(error unknown ARCH '$(ARCH)': expected one of x86_64 aarch64 armv7)
endif
include toolchain/$(ARCH).mk

ifeq ($(origin ARCH),command line)
OUT := build/$(BOARD)-$(ARCH)
else
OUT := build/$(BOARD)
endif
SYSROOT := build/sysroot/$(ARCH)
HOST := build/host

# ---- target build (static musl) ------------------------------------------
TARGET_CXXFLAGS := -std=c++17 -Os -fno-exceptions -fno-rtti -fno-threadsafe-statics \
  -fno-asynchronous-unwind-tables -fno-unwind-tables -fno-stack-protector \
  -ffunction-sections -fdata-sections -Wall -Wextra -Werror \
  -specs $(MUSL_SPECS) $(addprefix -isystem ,$(CXX_HEADERS)) -isystem $(SYSROOT)/include \
  '-D__GLIBC_PREREQ(maj,min)=0' -D__locale_t=locale_t \
  -DIPRES_VERSION='"$(VERSION)"' -DIPRES_ARCH='"$(ARCH)"' \
  -Isrc $(ARCH_FLAGS) $(BOARD_CXXFLAGS)
TARGET_LDFLAGS := -specs $(MUSL_SPECS) -static -Wl,--gc-sections -Wl,-z,norelro -s \
  $(ARCH_FLAGS) $(BOARD_LDFLAGS)

# Everything in src/ except the build-machine generator.
APP_SRCS := $(filter-out src/config/confgen.cc src/config/parser.cc, \
  $(wildcard src/*/*.cc src/*.cc))
APP_OBJS := $(patsubst src/%.cc,$(OUT)/obj/%.o,$(APP_SRCS)) $(OUT)/obj/gen/config_table.o

.PHONY: all tools boards size test unit-test cross-test integration-test demo format \
  check-format clean setup alloc alloc-test bench bench-setup

all: $(OUT)/ipres

setup:
	@sh toolchain/setup.sh

$(SYSROOT)/include/.done: | setup
	@mkdir -p $(SYSROOT)/include
	@ln -sfn /usr/include/linux $(SYSROOT)/include/linux
	@ln -sfn $(KERNEL_ASM) $(SYSROOT)/include/asm
	@ln -sfn /usr/include/asm-generic $(SYSROOT)/include/asm-generic
	@touch $@

$(OUT)/obj/%.o: src/%.cc $(SYSROOT)/include/.done
	@mkdir -p $(dir $@)
	@echo "  CXX     $@"
	$(Q)$(CXX_TARGET) $(TARGET_CXXFLAGS) -MMD -MP -c $< -o $@

$(OUT)/gen/config_table.cc: $(BOARD_DIR)/ipres.conf $(HOST)/confgen
	@mkdir -p $(dir $@)
	@$(HOST)/confgen $(BOARD) $< $@.tmp || { rm -f $@.tmp; exit 1; }
	@mv $@.tmp $@

$(OUT)/obj/gen/config_table.o: $(OUT)/gen/config_table.cc $(SYSROOT)/include/.done
	@mkdir -p $(dir $@)
	@echo "  CXX     $@"
	$(Q)$(CXX_TARGET) $(TARGET_CXXFLAGS) -MMD -MP -c $< -o $@

$(OUT)/ipres: $(APP_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC_TARGET) $(APP_OBJS) $(TARGET_LDFLAGS) -o $@
	@ln -sfn ipres $(OUT)/lkping

# Test tools: small static programs over the same objects, run inside the
# namespaces (and under qemu) by the integration tests.
TOOL_NAMES := $(patsubst tests/tools/%.cc,%,$(wildcard tests/tools/*.cc))
LIB_OBJS := $(filter-out $(OUT)/obj/cli/main.o,$(APP_OBJS))
TOOLS := $(addprefix $(OUT)/tools/,$(TOOL_NAMES))

tools: $(TOOLS)

$(OUT)/obj/tools/%.o: tests/tools/%.cc $(SYSROOT)/include/.done
	@mkdir -p $(dir $@)
	@echo "  CXX     $@"
	$(Q)$(CXX_TARGET) $(TARGET_CXXFLAGS) -MMD -MP -c $< -o $@

$(OUT)/tools/%: $(OUT)/obj/tools/%.o $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC_TARGET) $^ $(TARGET_LDFLAGS) -o $@

boards:
	@for b in $(BOARDS); do $(MAKE) --no-print-directory BOARD=$$b || exit 1; done

size: boards
	@for b in $(BOARDS); do printf '%-10s %8s bytes\n' $$b $$(stat -c %s build/$$b/ipres); done

# ---- host build: the generator and the unit tests -------------------------
HOST_CXX := g++
HOST_CXXFLAGS := -std=c++17 -O1 -g -Wall -Wextra -Werror -Isrc -Itests/unit \
  -DIPRES_VERSION='"$(VERSION)"' -DIPRES_ARCH='"host"'

$(HOST)/confgen: src/config/confgen.cc src/config/parser.cc src/base/ipv4.cc \
  $(wildcard src/config/*.h src/base/*.h) | setup
	@mkdir -p $(dir $@)
	@echo "  HOSTCXX $@"
	$(Q)$(HOST_CXX) $(HOST_CXXFLAGS) $(filter %.cc,$^) -o $@

# Each tests/unit/test_NAME.cc links with the sources its first-line
# comment "// sources: ..." names.
UNIT_TESTS := $(patsubst tests/unit/%.cc,$(HOST)/unit/%,$(wildcard tests/unit/test_*.cc))
unit_sources = $(shell sed -n '1s|^// sources: ||p' $(1))

.SECONDEXPANSION:
$(HOST)/unit/%: tests/unit/%.cc $$(call unit_sources,tests/unit/%.cc) \
  $(wildcard src/*/*.h tests/unit/*.h) | setup
	@mkdir -p $(dir $@)
	@echo "  HOSTCXX $@"
	$(Q)$(HOST_CXX) $(HOST_CXXFLAGS) $< $(call unit_sources,$<) -lcmocka -lmnl -o $@

unit-test: $(UNIT_TESTS)
	@set -e; for t in $(UNIT_TESTS); do echo "== $$t"; $$t; done

# The same resources built for every CPU must list identically.
cross-test: | setup
	@set -e; for a in x86_64 aarch64 armv7; do \
	  $(MAKE) --no-print-directory BOARD=nstest ARCH=$$a all tools >/dev/null; done
	@sh tests/build_checks.sh

integration-test: | setup
	@sh tests/integration/run.sh

test: check-format unit-test fuzz-replay cross-test alloc-test integration-test sanitize-test

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
ALLOC_CFLAGS := -specs $(MUSL_SPECS) -Os -fno-builtin -Wall -Wextra -Werror $(ARCH_FLAGS)
ALLOC_LDFLAGS := $(filter-out -s,$(TARGET_LDFLAGS))

$(ALLOC)/%.o: tests/alloc/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC_TARGET) $(ALLOC_CFLAGS) -c $< -o $@

$(ALLOC)/ipres.full: $(APP_OBJS) $(OUT)/ipres
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC_TARGET) $(APP_OBJS) $(ALLOC_LDFLAGS) $(ALLOC_TRACE) -o $@ >$(ALLOC)/ipres.trace 2>&1 || \
	  { cat $(ALLOC)/ipres.trace; rm -f $@; exit 1; }
	$(Q)$(TRIPLE)-objcopy -O binary -j .text $@ $(ALLOC)/text.full
	$(Q)$(TRIPLE)-objcopy -O binary -j .text $(OUT)/ipres $(ALLOC)/text.shipped

$(ALLOC)/ipres-canary.full: $(APP_OBJS) $(ALLOC)/canary.o
	@echo "  LD      $@"
	$(Q)$(CC_TARGET) $^ $(ALLOC_LDFLAGS) $(ALLOC_TRACE) -o $@ >$(ALLOC)/ipres-canary.trace 2>&1 || \
	  { cat $(ALLOC)/ipres-canary.trace; rm -f $@; exit 1; }

$(ALLOC)/ipres.trap: $(APP_OBJS) $(ALLOC)/trap.o
	@echo "  LD      $@"
	$(Q)$(CC_TARGET) $^ $(TARGET_LDFLAGS) -o $@

$(ALLOC)/ipres-canary.trap: $(APP_OBJS) $(ALLOC)/trap.o $(ALLOC)/canary.o
	@echo "  LD      $@"
	$(Q)$(CC_TARGET) $^ $(TARGET_LDFLAGS) -o $@

alloc: $(ALLOC)/ipres.full $(ALLOC)/ipres-canary.full $(ALLOC)/ipres.trap \
  $(ALLOC)/ipres-canary.trap

# Static proof on every CPU, the trap build run in namespaces on x86_64.
alloc-test: | setup
	@set -e; for a in x86_64 aarch64 armv7; do \
	  $(MAKE) --no-print-directory BOARD=nstest ARCH=$$a all alloc >/dev/null; done
	@sh tests/alloc_check.sh

# ---- bench (bench/run.sh) ---------------------------------------------------
BENCH_PACKAGES := resource-agents strace iproute2 iputils-ping iputils-arping \
  musl-tools python3 procps

bench-setup: setup
	@sh toolchain/setup.sh $(BENCH_PACKAGES)

build/bench-tools/runstat: bench/runstat.c | bench-setup
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)musl-gcc -static -Os -s -Wall -Wextra -Werror $< -o $@

bench: bench-setup build/bench-tools/runstat
	@set -e; for a in x86_64 aarch64 armv7; do \
	  $(MAKE) --no-print-directory BOARD=bench ARCH=$$a all alloc >/dev/null; done
	@sh bench/run.sh

demo: setup
	@$(MAKE) --no-print-directory BOARD=nstest >/dev/null
	@sh tests/demo.sh

format: | setup
	clang-format -i $(shell git ls-files '*.cc' '*.h')

check-format: | setup
	@clang-format --dry-run -Werror $(shell git ls-files '*.cc' '*.h')

clean:
	rm -rf build

include tests/fuzz/fuzz.mk
include tests/sanitize.mk

-include $(APP_OBJS:.o=.d) $(TOOL_NAMES:%=$(OUT)/obj/tools/%.d)

# ---- firmware image and boot tests (toolchain/image.sh, tests/boot/) -------
# make image BOARD=NAME [ARCH=A]: $(OUT)/rootfs.cpio.gz, an initramfs with
# BusyBox init, ipres and rootfs-overlay/. boot-test boots images of
# board/boottest under qemu-system for every CPU (not yet part of test).
IMAGE_PACKAGES := cpio
BOOT_PACKAGES := $(IMAGE_PACKAGES) kmod qemu-system-x86 qemu-system-arm

.PHONY: image boot-test

image: $(OUT)/ipres
	@sh toolchain/setup.sh $(IMAGE_PACKAGES)
	@sh toolchain/image.sh $(ARCH) $(OUT)/ipres $(OUT)

boot-test: | setup
	@sh toolchain/setup.sh $(BOOT_PACKAGES)
	@sh tests/boot/run.sh
