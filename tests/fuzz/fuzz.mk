# SPDX-License-Identifier: Apache-2.0
# libFuzzer targets (tests/fuzz/fuzz_NAME.cc, linked with FUZZ_SOURCES.fuzz_NAME)
# built by Debian's clang with ASan and UBSan. Included by the Makefile.
#
#   make fuzz [FUZZ_SECONDS=60]   each target for FUZZ_SECONDS, new inputs in
#                                 build/fuzz/NAME, crashes as build/fuzz/NAME-crash-*
#   make fuzz-replay              every committed seed once (part of make test)

FUZZ_CXX := clang++-14
FUZZ_SECONDS ?= 60
FUZZ_CXXFLAGS := -std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=all -Wall -Wextra -Werror -Isrc
FUZZ_NAMES := $(patsubst tests/fuzz/%.cc,%,$(wildcard tests/fuzz/fuzz_*.cc))
FUZZERS := $(addprefix $(HOST)/fuzz/,$(FUZZ_NAMES))
# What each target links: the sources it feeds, built with the fuzzer's
# instrumentation (so no shared archive of the g++ unit-test build).
FUZZ_SOURCES.fuzz_arp := src/net/arp.cc src/net/frame.cc src/base/status.cc
FUZZ_SOURCES.fuzz_claim := src/net/claim.cc src/net/frame.cc src/net/arp.cc src/net/ndp.cc src/net/icmp.cc src/net/icmp6.cc src/base/ipv4.cc src/base/ipv6.cc src/base/ip_address.cc src/base/status.cc src/base/clock.cc src/base/random.cc
FUZZ_SOURCES.fuzz_config := src/config/parser.cc src/config/values.cc src/config/describe.cc src/base/ipv4.cc src/base/ipv6.cc src/base/ip_address.cc src/base/text_fields.cc
FUZZ_SOURCES.fuzz_icmp := src/net/icmp.cc src/net/icmp6.cc src/net/pinger.cc src/base/ipv4.cc src/base/ipv6.cc src/base/ip_address.cc src/base/status.cc src/base/clock.cc src/base/random.cc
FUZZ_SOURCES.fuzz_icmp6 := src/net/icmp6.cc src/base/ipv6.cc src/base/status.cc
FUZZ_SOURCES.fuzz_lkping_options := src/cli/lkping_options.cc src/base/ipv4.cc src/base/ipv6.cc src/base/ip_address.cc src/base/status.cc src/base/text_fields.cc
FUZZ_SOURCES.fuzz_ndp := src/net/ndp.cc src/net/icmp.cc src/net/icmp6.cc src/base/ipv4.cc src/base/ipv6.cc src/base/ip_address.cc src/base/status.cc src/base/clock.cc src/base/random.cc
FUZZ_SOURCES.fuzz_netlink := src/netlink/attr.cc src/netlink/message.cc src/netlink/socket.cc src/net/link.cc src/net/address.cc src/net/route.cc src/base/ipv4.cc src/base/ipv6.cc src/base/ip_address.cc src/base/status.cc src/base/clock.cc
fuzz_sources = $(FUZZ_SOURCES.$(basename $(notdir $(1))))

.PHONY: fuzzers fuzz fuzz-replay

fuzzers: $(FUZZERS)

$(HOST)/fuzz/%: tests/fuzz/%.cc $$(call fuzz_sources,tests/fuzz/%.cc) $(wildcard src/*/*.h) | test-setup
	@mkdir -p $(dir $@)
	@echo "  FUZZCXX $@"
	$(Q)$(FUZZ_CXX) $(FUZZ_CXXFLAGS) $< $(call fuzz_sources,$<) -o $@

fuzz: $(FUZZERS)
	@set -e; for f in $(FUZZ_NAMES); do \
	  echo "== $$f for $(FUZZ_SECONDS) s"; mkdir -p build/fuzz/$$f; \
	  if $(HOST)/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	      -artifact_prefix=build/fuzz/$$f- build/fuzz/$$f tests/fuzz/corpus/$$f \
	      >build/fuzz/$$f.log 2>&1; then \
	    grep -E '^stat::(number_of_executed_units|new_units_added)' build/fuzz/$$f.log; \
	  else tail -n 40 build/fuzz/$$f.log; echo "FAIL fuzz $$f (build/fuzz/$$f.log)"; exit 1; fi; \
	done

fuzz-replay: $(FUZZERS)
	@mkdir -p build/fuzz; set -e; for f in $(FUZZ_NAMES); do \
	  n=$$(ls tests/fuzz/corpus/$$f | wc -l); \
	  $(HOST)/fuzz/$$f -runs=0 tests/fuzz/corpus/$$f >build/fuzz/replay-$$f.log 2>&1 || \
	    { cat build/fuzz/replay-$$f.log; echo "FAIL fuzz replay $$f"; exit 1; }; \
	  echo "ok   fuzz replay $$f ($$n seeds)"; \
	done
