# tests/valgrind.mk — `make valgrind`: a short training run of each chapter
# under valgrind's memcheck, which must report no error and no lost byte.
# Included by the top Makefile.
#
#   make valgrind        one line per run: memcheck's errors, the bytes lost
#                        (definitely, indirectly, possibly) and the time; exit 1
#                        if a run is not clean, with its log and output kept
#
# The programs are a build of their own, $(BUILD)/vg/bin/chN: -O1 -g, without
# the release build's -march=native. On a machine with AVX-512 the release
# build has instructions valgrind cannot run (valgrind 3.19 stops at the first
# one, "Illegal opcode", in rng.c's splitmix64), and -g gives each report its
# file and line. The sanitizer build cannot be used: ASan and valgrind do not
# run together.
#
# Each run is short: small --train-limit/--test-limit, one epoch, the
# chapter's quick settings; the whole target takes a few minutes. Every run is
# on one thread (--threads 1, or --plain for the readable networks) but those
# of chapters 3 and 4 with two OpenMP threads, and then a --resume from their
# checkpoints (the checkpoint reader under memcheck). tests/valgrind.supp
# holds the suppressions, each with its reason: the OpenMP runtimes' own
# records (libgomp's worker threads; with CC=clang, libomp's aligned blocks).
# The outputs go to a temporary folder, removed when every run is clean.
#
# Two settings keep valgrind fast, changing nothing but which variant of a
# library routine runs. Valgrind emulates each fused multiply-add (FMA) with a
# call into its own software code, and with the FMA variants that OpenBLAS
# and glibc's libm choose for a CPU that has it, chapter 3's run below took
# 11 minutes instead of 22 seconds (chapter 4's --bench on 64 images, 55 s
# instead of 4 s). So OpenBLAS is told to use its Sandy Bridge kernels (AVX, no
# FMA; Nehalem's, SSE only, when the CPU has no AVX) and glibc not to pick FMA
# (GLIBC_TUNABLES). Our own code has no FMA: no -march, -ffp-contract=off.

# -gdwarf-4: clang 14 writes DWARF 5 by default, which valgrind 3.19 cannot
# read ("unhandled dwarf2 abbrev form code 0x25 ... Giving up").
CFLAGS_vg  := -O1 -g -gdwarf-4
LDFLAGS_vg := -fopenmp
$(foreach r,f32 f64,$(eval $(call object_rules,vg,$(r))))
VG_BIN   = $(BUILD)/vg/bin/ch$(1)
VG_BINS := $(foreach n,1 2 3 4,$(call VG_BIN,$(n)))

VALGRIND_FLAGS := --tool=memcheck --leak-check=full \
  --errors-for-leak-kinds=definite,indirect,possible \
  --show-leak-kinds=definite,indirect,possible --error-exitcode=99 \
  --suppressions=tests/valgrind.supp

# The runs, each "NAME|PROGRAM ARGUMENTS": @OUT is the run's output folder
# (@TMP/NAME, spaces as _, without the dashes), @TMP the folder of all the
# runs, @DATA the dataset's folder. Chapter 4 compares itself with chapter 3's
# run, which comes first. The two --resume runs read the checkpoint the
# threaded runs before them wrote at the end of their epoch (same settings:
# a finished training, so they load it and go straight to the evaluation).
VG_CH3 := --data @DATA --train-limit 1000 --test-limit 300 --epochs 1
VG_CH4 := --data @DATA --train-limit 500 --test-limit 200 --epochs 1
VG_RUNS := \
  "ch1|$(call VG_BIN,1) --out @OUT --data @DATA --train-limit 1000 --test-limit 300 --mnist-epochs 1" \
  "ch2|$(call VG_BIN,2) --out @OUT --seeds 1-3 --epochs 1000" \
  "ch3|$(call VG_BIN,3) --out @OUT $(VG_CH3) --quick --overfit-epochs 1 --threads 1" \
  "ch3 --plain|$(call VG_BIN,3) --out @OUT $(VG_CH3) --plain --bench" \
  "ch4|$(call VG_BIN,4) --out @OUT $(VG_CH4) --threads 1 --mlp @TMP/ch3" \
  "ch4 --plain|$(call VG_BIN,4) --out @OUT --data @DATA --train-limit 16 --test-limit 8 --batch 8 --epochs 1 --plain --bench" \
  "ch3 --threads 2|$(call VG_BIN,3) --out @OUT $(VG_CH3) --bench --threads 2" \
  "ch4 --threads 2|$(call VG_BIN,4) --out @OUT $(VG_CH4) --bench --threads 2" \
  "ch3 --resume|$(call VG_BIN,3) --out @TMP/ch3_threads_2 $(VG_CH3) --bench --threads 2 --resume" \
  "ch4 --resume|$(call VG_BIN,4) --out @TMP/ch4_threads_2 $(VG_CH4) --bench --threads 2 --resume"

.PHONY: valgrind
valgrind: $(VG_BINS) | $(DATA_DEPS)
	@if ! command -v valgrind >/dev/null; then \
	  echo "make valgrind: valgrind is not installed; install it with: apt-get install valgrind" >&2; \
	  exit 1; fi
	@if [ "$$(uname -m)" = x86_64 ]; then \
	  if grep -qw avx /proc/cpuinfo; then export OPENBLAS_CORETYPE=Sandybridge; \
	  else export OPENBLAS_CORETYPE=Nehalem; fi; \
	  export GLIBC_TUNABLES=glibc.cpu.hwcaps=-FMA; \
	fi; \
	tmp=$$(mktemp -d /tmp/valgrind-runs.XXXXXX); bad=0; runs=0; all_start=$$(date +%s); \
	for run in $(VG_RUNS); do \
	  name=$${run%%|*}; cmd=$${run#*|}; runs=$$((runs + 1)); \
	  dir=$${name// --/_}; dir="$$tmp/$${dir// /_}"; mkdir -p "$$dir"; \
	  cmd=$${cmd//@OUT/$$dir}; cmd=$${cmd//@TMP/$$tmp}; cmd=$${cmd//@DATA/$(DATA_DIR)}; \
	  log="$$dir.valgrind.log"; start=$$(date +%s%N); \
	  valgrind $(VALGRIND_FLAGS) --log-file="$$log" $$cmd >"$$dir.out" 2>&1; status=$$?; \
	  tenths=$$(( ($$(date +%s%N) - start) / 100000000 )); \
	  errors=$$(sed -nE 's/.*ERROR SUMMARY: ([0-9,]+) errors.*/\1/p' "$$log" 2>/dev/null | tail -n 1); \
	  bytes() { n=$$(sed -nE "s/.*$$1: ([0-9,]+) bytes.*/\1/p" "$$log" 2>/dev/null | tail -n 1); \
	            echo "$${n:-0}"; }; \
	  verdict=clean; \
	  if [ "$$status" -ne 0 ] || [ "$${errors:-x}" != 0 ]; then \
	    verdict="NOT CLEAN (exit $$status): see $$log and $$dir.out"; bad=$$((bad + 1)); fi; \
	  printf 'valgrind %-16s %s errors; lost %s B definitely, %s B indirectly, %s B possibly (%s B suppressed); %3d.%d s: %s\n' \
	    "$$name" "$${errors:-?}" "$$(bytes 'definitely lost')" "$$(bytes 'indirectly lost')" \
	    "$$(bytes 'possibly lost')" "$$(bytes suppressed)" \
	    $$((tenths / 10)) $$((tenths % 10)) "$$verdict"; \
	done; \
	secs=$$(( $$(date +%s) - all_start )); \
	if [ "$$bad" -eq 0 ]; then rm -rf "$$tmp"; echo "valgrind: $$runs runs clean in $$secs s"; \
	else echo "valgrind: $$bad of $$runs runs not clean ($$secs s); logs in $$tmp" >&2; exit 1; fi
