# bench/bench.mk — `make bench`: our chapter-3 and chapter-4 training against
# the arithmetic bound (this machine's measured cblas_sgemm peak) and against
# PyTorch at its fastest thread setting, in one run on one machine.
#
#   make bench                     everything (installs `time`, and python3-torch
#                                  with apt-get when it is missing and we are root)
#   make bench BENCH_TORCH=no      our figures only, no PyTorch
#   make bench BENCH_NETS=mlp      only one network (mlp, cnn or "mlp cnn")
#
# Results: a table on stdout, out/bench/bench.json and out/bench/bench.csv
# (written to a temporary name, then renamed). The runs themselves go to
# out/bench/<run>/ with their logs. See bench/README.md.
#
# Nothing here fails because a chapter is unfinished: a chapter program that
# does not build, or data that cannot be fetched, is reported with one line and
# its part of the table is skipped.

BENCH_OUT   := out/bench
SGEMM_PEAK  := $(BUILD)/rel/bin/sgemm_peak
BENCH_TORCH ?= yes
BENCH_NETS  ?= mlp cnn
# The Python that has Debian's python3-torch (not a virtualenv's python3).
BENCH_PYTHON ?= /usr/bin/python3

$(SGEMM_PEAK): $(call objs,rel,f32,bench/sgemm_peak.c common/util.c)
	$(call link,rel)

.PHONY: bench bench-tools
bench: check-deps $(SGEMM_PEAK) bench-tools
	@# The chapter programs and the data: each may be unfinished, so a failure
	@# here is reported, not fatal. (BIN_chapterN, DATA_DIR and DATA_DEPS come
	@# from the chapters' chapter.mk and datasets/datasets.mk; DATASET=fashion
	@# there switches both programs to Fashion-MNIST.)
	@for bin in $(BIN_chapter3) $(BIN_chapter4); do \
	  $(MAKE) --no-print-directory $$bin >$(BENCH_OUT)/build-$$(basename $$bin).log 2>&1 \
	    || echo "bench: could not build $$bin (see $(BENCH_OUT)/build-$$(basename $$bin).log) — its part is skipped"; \
	done
	@$(if $(DATA_DEPS),\
	  $(MAKE) -s --no-print-directory $(DATA_DEPS) || echo "bench: could not fetch the data into $(DATA_DIR) — the training runs are skipped",\
	  echo "bench: no datasets/datasets.mk yet — using the files already in $(or $(DATA_DIR),datasets/mnist)")
	@BENCH_OUT='$(BENCH_OUT)' SGEMM_PEAK='$(SGEMM_PEAK)' \
	  CH3_BIN='$(BIN_chapter3)' CH4_BIN='$(BIN_chapter4)' \
	  DATA_DIR='$(or $(DATA_DIR),datasets/mnist)' \
	  BENCH_TORCH='$(BENCH_TORCH)' BENCH_NETS='$(BENCH_NETS)' BENCH_PYTHON='$(BENCH_PYTHON)' \
	  TORCH_ENV_UNSET='$(if $(filter file,$(origin GOMP_SPINCOUNT)),-u GOMP_SPINCOUNT -u KMP_BLOCKTIME)' \
	  bash bench/run-bench.sh

# /usr/bin/time (Debian package `time`) measures peak memory; python3-torch is
# the reference. Both are installed with apt-get when missing and we may
# (root, or sudo without a password); otherwise the bench says what it skips.
bench-tools:
	@mkdir -p $(BENCH_OUT)
	@if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo -n"; fi; \
	if [ ! -x /usr/bin/time ] && command -v apt-get >/dev/null; then \
	  echo "bench: installing the Debian package 'time' (for peak memory)"; \
	  { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq time >/dev/null; } \
	    || echo "bench: could not install 'time' — peak memory will be missing"; \
	fi; \
	if [ "$(BENCH_TORCH)" = yes ] && ! $(BENCH_PYTHON) -c 'import torch, numpy' >/dev/null 2>&1 \
	   && command -v apt-get >/dev/null; then \
	  echo "bench: installing Debian's python3-torch (the PyTorch reference)"; \
	  { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq python3-torch python3-numpy >/dev/null; } \
	    || echo "bench: could not install python3-torch — PyTorch will be skipped"; \
	fi
