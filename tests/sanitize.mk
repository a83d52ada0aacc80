# SPDX-License-Identifier: Apache-2.0
# A host build (g++, glibc) under AddressSanitizer and UndefinedBehaviorSanitizer:
# the unit tests, and ipres itself with the nstest board's resources, run by
# the namespace tests in place of the static musl binary. Included by the
# Makefile; `make test` runs it.
#
#   make sanitize-test     build/san/unit/* and build/san/ipres, then run both

SAN := build/san
# Instrumented code hides value ranges from GCC's format-truncation check,
# which then warns about snprintf calls it passes in the plain build.
SAN_CXXFLAGS := $(HOST_CXXFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all \
  -fno-omit-frame-pointer -Wno-format-truncation
# Any finding ends the run with an error; the tests then fail on the exit status.
SAN_ENV := ASAN_OPTIONS=abort_on_error=0:halt_on_error=1:detect_leaks=1:exitcode=99 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=99
SAN_UNIT := $(addprefix $(SAN)/unit/,$(UNIT_NAMES))
SAN_OBJS := $(patsubst src/%.cc,$(SAN)/obj/%.o,$(APP_SRCS)) $(SAN)/obj/gen/config_table.o

.PHONY: sanitize-build sanitize-test

# The unit tests as the Makefile's, from archives of sanitized objects.
$(eval $(call host_build,$(SAN),SAN_CXXFLAGS))

$(SAN)/gen/config_table.cc: board/nstest/ipres.conf $(HOST)/confgen
	@mkdir -p $(dir $@)
	@$(HOST)/confgen nstest $< $@.tmp || { rm -f $@.tmp; exit 1; }
	@mv $@.tmp $@

$(SAN)/obj/gen/config_table.o: $(SAN)/gen/config_table.cc
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CXX) $(SAN_CXXFLAGS) -c $< -o $@

$(SAN)/ipres: $(SAN_OBJS)
	@echo "  SANLD   $@"
	$(Q)$(HOST_CXX) $(SAN_CXXFLAGS) $(SAN_OBJS) -o $@
	@ln -sfn ipres $(SAN)/lkping

sanitize-build: $(SAN_UNIT) $(SAN)/ipres

# The namespace tests that run ipres itself. Not: t_netlink and t_arp (they
# drive the static test tools), t_keepalived (covered by t_races and t_ocf,
# and the slowest), t_rootfs (its BusyBox chroot has no glibc for this build).
SAN_TESTS := t_ops t_faults t_races t_monitor t_lkping t_ocf t_nodes t_scale t_state

# The namespace tests also need the nstest board's tools (built for x86_64).
sanitize-test: sanitize-build
	@$(MAKE) --no-print-directory BOARD=nstest ARCH=x86_64 all tools >/dev/null
	@set -e; for t in $(SAN_UNIT); do echo "== $$t"; $(SAN_ENV) $$t; done
	@$(SAN_ENV) IPRES_BIN=$(SAN)/ipres IPRES_ARCHES=x86_64 IPRES_TESTS="$(SAN_TESTS)" \
	  sh tests/integration/run.sh
