# tests/fuzz/fuzz.mk — `make fuzz`: the parsers that read what a user or a
# file hands the programs, under libFuzzer (tests/fuzz/README.md). Included by
# the top Makefile.
#
#   make fuzz                    each target for FUZZ_SECONDS (default 60), one
#                                after another; one line each: executions,
#                                corpus size, crashes. Exit 1 if any crashed.
#   make fuzz FUZZ_SECONDS=5     a quick look
#   make fuzz FUZZ_TARGETS=fuzz_idx    one target
#   make fuzz-build              only build them
#
# Built with Debian's clang (FUZZ_CC), -fsanitize=fuzzer,address,undefined,
# into $(BUILD)-fuzz/ (build-fuzz/). Each target runs on a working corpus,
# out/fuzz/<target>/, which starts as a copy of the seed corpus kept in git
# (tests/fuzz/corpus/<target>/) and of the inputs that once crashed
# (tests/fuzz/regressions/<target>/), and keeps what the fuzzer adds from one
# `make fuzz` to the next; nothing is written into tests/. An input that
# crashes goes to out/fuzz/crashes/<target>/, the fuzzer's output to
# out/fuzz/<target>.log. tests/test_fuzz.c (in `make test`) runs every seed
# and regression through the same functions, built with the normal compiler.

FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_BUILD   := $(BUILD)-fuzz
FUZZ_OUT     ?= out/fuzz
FUZZ_TARGETS ?= fuzz_idx fuzz_cli fuzz_demo_request fuzz_safetensors
FUZZ_FLAGS   := -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=all -DFUZZING
# Per target, the longest input the fuzzer makes: a flag's value is short, a
# 28 × 28 request ~2-4 KB of JSON (a canvas more); 4096 bytes otherwise.
# Each target's tokens are in its dictionary, tests/fuzz/<target>.dict.
fuzz_max_len = case $$1 in fuzz_cli) echo 256;; fuzz_demo_request) echo 16384;; *) echo 4096;; esac

# Everything the targets may call, as one archive: the linker takes from it
# only the objects a target needs. The drawing page's request reader comes
# without its networks (demo_networks_stub.c says why).
FUZZ_DEMO_SRCS := chapters/04-cnn/demo/demo_api.c chapters/04-cnn/demo/demo_preprocess.c \
                  tests/fuzz/demo_networks_stub.c
FUZZ_LIB_SRCS := $(sort $(COMMON_SRCS) $(FUZZ_DEMO_SRCS))
FUZZ_LIB      := $(FUZZ_BUILD)/libnn.a
fuzz_obj       = $(addprefix $(FUZZ_BUILD)/,$(1:.c=.o))

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_FLAGS) -c $< -o $@

$(FUZZ_LIB): $(call fuzz_obj,$(FUZZ_LIB_SRCS))
	@rm -f $@
	ar rcs $@ $^

# Linked without OpenMP and OpenBLAS: no parser needs them (the library
# objects that do are never pulled in), and libomp would leave a file in
# /dev/shm behind every crash.
$(FUZZ_BUILD)/bin/%: $(FUZZ_BUILD)/tests/fuzz/%.o $(FUZZ_LIB)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) $^ -o $@ -lm -lz

.PHONY: fuzz fuzz-build fuzz-binaries fuzz-check-clang
# clang, and its libFuzzer, are there (Debian: clang with libclang-rt-dev).
fuzz-check-clang:
	@command -v $(FUZZ_CC) >/dev/null || { echo "make fuzz needs clang ($(FUZZ_CC) is not installed): run 'make deps CC=clang' or 'apt-get install clang libclang-rt-dev libomp-dev'" >&2; exit 1; }
	@t=$$(mktemp -d) && trap 'rm -rf "$$t"' EXIT; \
	printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return d && n && 0; }\n' \
	  | $(FUZZ_CC) -x c - -fsanitize=fuzzer,address -o "$$t/a.out" >/dev/null 2>&1 \
	  || { echo "make fuzz: $(FUZZ_CC) cannot link libFuzzer (-fsanitize=fuzzer): run 'apt-get install libclang-rt-dev'" >&2; exit 1; }

# (a sub-make: nothing is compiled before clang is known to be there)
fuzz-build: fuzz-check-clang
	@$(MAKE) --no-print-directory fuzz-binaries
fuzz-binaries: $(addprefix $(FUZZ_BUILD)/bin/,$(FUZZ_TARGETS))
	@:

# One target after another (the machine's cores go to each in turn; libFuzzer's
# -workers is not needed). -print_final_stats gives the executions; the
# corpus is what is in its folder at the end; a crash is a file in crashes/.
fuzz: fuzz-build
	@failed=0; start=$$(date +%s); max_len() { $(fuzz_max_len); }; \
	for t in $(FUZZ_TARGETS); do \
	  work=$(FUZZ_OUT)/$$t; crashes=$(FUZZ_OUT)/crashes/$$t; log=$(FUZZ_OUT)/$$t.log; \
	  mkdir -p $$work $$crashes; \
	  for d in tests/fuzz/corpus/$$t tests/fuzz/regressions/$$t; do \
	    [ -d $$d ] && cp -n $$d/* $$work/ 2>/dev/null; done; \
	  before=$$(ls $$crashes | wc -l); \
	  dict=tests/fuzz/$$t.dict; \
	  $(FUZZ_BUILD)/bin/$$t $$work -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -timeout=10 -rss_limit_mb=2048 -max_len=$$(max_len $$t) \
	    -artifact_prefix=$$crashes/ $$( [ -f $$dict ] && echo -dict=$$dict) > $$log 2>&1; \
	  rc=$$?; \
	  execs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log | tail -n1); \
	  found=$$(( $$(ls $$crashes | wc -l) - before )); \
	  [ $$rc -ne 0 ] && [ $$found -eq 0 ] && found=1; \
	  printf '%-20s %10s executions in %s s, corpus %s inputs, %s crashes\n' $$t "$${execs:-?}" \
	    $(FUZZ_SECONDS) $$(ls $$work | wc -l) $$found; \
	  if [ $$found -ne 0 ]; then failed=1; \
	    { grep -m1 '^tests/fuzz/.*: ' $$log || grep -m1 -E '^SUMMARY: [A-Za-z]+Sanitizer' $$log \
	      || grep -m1 -E '^==[0-9]+== ERROR' $$log; } | sed 's/^/    /'; \
	    echo "    inputs in $$crashes/, the whole report in $$log; replay one: $(FUZZ_BUILD)/bin/$$t <input>"; \
	  fi; \
	done; \
	echo "make fuzz: $(words $(FUZZ_TARGETS)) targets, $$(( $$(date +%s) - start )) s"; \
	exit $$failed

-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
