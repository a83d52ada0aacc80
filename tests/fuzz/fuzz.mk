# libFuzzer targets (tests/fuzz/fuzz_NAME.cc, first line "// sources: ...")
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
fuzz_sources = $(shell sed -n '1s|^// sources: ||p' $(1))

.PHONY: fuzzers fuzz fuzz-replay

fuzzers: $(FUZZERS)

$(HOST)/fuzz/%: tests/fuzz/%.cc $$(call fuzz_sources,tests/fuzz/%.cc) $(wildcard src/*/*.h) | setup
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
