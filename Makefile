# Redes neuronales en C — the series' Makefile.
#
#   make                 build, fetch what is missing, run every chapter, draw every figure
#   make test            unit and end-to-end tests (release build and sanitizer build)
#   make chapterN        run one chapter and draw its figures (N = 1, 2, ...)
#   make figures         redraw every figure from the CSVs already there
#   make bench           speed against the reference implementations
#   make deps            install the Debian packages the series needs
#
# Variables passed on to the chapters: LR=0.1,0.5,10  SEED=42  EPOCHS=5000
# (and what each chapter's chapter.mk adds, e.g. PLAIN=1 THREADS=2 for
# chapters 3-4). Figures: FORMAT=png|pdf|svg, FIG_LANG=es|en. Another
# compiler: CC=clang (its objects go to build-clang/ unless BUILD= says).
#
# Layout of what is built ($(BUILD) is build/, or build-clang/ with clang):
#   $(BUILD)/<variant>/f32/...   objects with real = float   (chapters 3-4)
#   $(BUILD)/<variant>/f64/...   objects with real = double  (chapters 1-2, gradient checks)
#   $(BUILD)/<variant>/bin/chN   chapter programs; $(BUILD)/<variant>/tests/test_* tests
#     (variant: rel, optimised; asan, under -fsanitize=address,undefined)
#   out/<chapter>/               what a run writes: CSVs, summary.json, fig/
#
# A chapter's chapter.mk sets a few variables and calls the rules below
# ($(eval $(call chapter_rules,N))); see chapters/01-perceptron/chapter.mk.

SHELL := /bin/bash
.SECONDARY:
.DELETE_ON_ERROR:
CC ?= cc
.DEFAULT_GOAL := all
comma := ,

# Objects of different compilers never mix: clang's go to build-clang/.
BUILD ?= $(if $(findstring clang,$(CC)),build-clang,build)

# ---------------------------------------------------------------------------
# Compiler flags. No -ffast-math anywhere: it lets the compiler assume NaN
# never happens, and the divergence checks depend on isnan().
# OpenMP (-fopenmp) is the series' one way to use several cores
# (common/parallel.h). -ffp-contract=off: no a·b + c fused into one rounding
# behind the code's back — gcc's default in ISO C, said for clang, so both
# compilers give the same numbers.
BASE_CFLAGS := -std=c11 -Wall -Wextra -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
               -Icommon -MMD -MP -fopenmp -ffp-contract=off
CFLAGS_rel  := -O3 -march=native -g
CFLAGS_asan := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
CFLAGS_f32  :=
CFLAGS_f64  := -DREAL_F64
LDFLAGS_rel  := -fopenmp
LDFLAGS_asan := -fopenmp -fsanitize=address,undefined
LDLIBS := -lm -lz
VARIANTS := rel asan

# Per-file flags, here and nowhere else.
# Adam's loop (common/optim.c) vectorises only without math errno (a scalar
# sqrt must otherwise be able to set EDOM): -fno-math-errno, which changes
# errno and nothing else — NaN and rounding stay IEEE.
$(BUILD)/%/common/optim.o: EXTRA_CFLAGS += -fno-math-errno

# Check (the unit-test framework) through pkg-config, when present.
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)
BASE_CFLAGS += $(CHECK_CFLAGS)

# OpenBLAS (cblas_sgemm) for the fast paths of chapters 3-4 — its OpenMP
# build (Debian: libopenblas-openmp-dev), so that it shares our OpenMP
# threads: inside a parallel region each product runs on the calling thread,
# outside one it uses them all, and no second pool of threads spins beside
# ours. Found through that build's own pkg-config folder (and an rpath, since
# Debian's default libopenblas.so.0 is the pthreads build); without it, the
# default OpenBLAS (common/parallel.c then keeps it on one thread).
MULTIARCH      := $(shell gcc -print-multiarch 2>/dev/null)
OPENBLAS_OMP   := /usr/lib/$(MULTIARCH)/openblas-openmp
BLAS_PKG_PATH  := $(if $(wildcard $(OPENBLAS_OMP)/pkgconfig/openblas.pc),$(OPENBLAS_OMP)/pkgconfig)
blas_pkg        = $(shell PKG_CONFIG_PATH=$(BLAS_PKG_PATH) pkg-config $(1) openblas 2>/dev/null)
BLAS_CFLAGS    := $(call blas_pkg,--cflags)
BLAS_LIBDIRS   := $(call blas_pkg,--libs-only-L)
BLAS_LIBS      := $(or $(call blas_pkg,--libs),-lopenblas) \
                  $(patsubst -L%,-Wl$(comma)-rpath$(comma)%,$(BLAS_LIBDIRS))
BASE_CFLAGS += $(BLAS_CFLAGS)
LDLIBS += $(BLAS_LIBS)

# How long OpenMP's waiting threads spin before they sleep, for everything
# make runs (chapters, tests, bench): ~0.1 ms instead of libgomp's ~10 ms, so
# that a busy machine does not make every meeting point of a batch cost a
# time slice (common/parallel.h). A value in the environment wins.
export GOMP_SPINCOUNT ?= 3000
export KMP_BLOCKTIME ?= 0

# ---------------------------------------------------------------------------
# Objects: $(call objs,VARIANT,REAL,SOURCES) maps sources to objects
# (REAL is f32 or f64). addprefix rather than patsubst, so VARIANT may
# itself be a '%' in a pattern rule.
objs = $(addprefix $(BUILD)/$(1)/$(2)/,$(3:.c=.o))

COMMON_SRCS := $(filter-out common/summary_files.c,$(wildcard common/*.c))

define object_rules
$(BUILD)/$(1)/$(2)/%.o: %.c
	@mkdir -p $$(@D)
	$$(CC) $$(BASE_CFLAGS) $$(CFLAGS_$(1)) $$(CFLAGS_$(2)) $$(EXTRA_CFLAGS) -c $$< -o $$@
endef
$(foreach v,$(VARIANTS),$(foreach r,f32 f64,$(eval $(call object_rules,$(v),$(r)))))

# $(call link,VARIANT,EXTRA_LIBS) — the recipe that links a program.
link = @mkdir -p $(@D) && $(CC) $(LDFLAGS_$(1)) $^ -o $@ $(LDLIBS) $(2)

# The variables that mean the same in every chapter, passed on as the same
# flags to every chapter program (a program refuses, in one line, a flag its
# chapter cannot take — chapter 1's perceptron has no --opt):
#   LR=0.1 or LR=0.01,0.1,1 (a list compares them in one figure)   --lr
#   OPT=adam or OPT=sgd,adam                                        --opt
#   EPOCHS=  SEED=  BATCH=  DROPOUT=  THREADS=                      --epochs ...
#   SEEDS=1,2,3 or SEEDS=1-100 (train once per seed: mean ± sd)     --seeds
#   DATASET=mnist|fashion (datasets.mk)                             --data DIR
SHARED_VARS := LR OPT EPOCHS SEED SEEDS BATCH DROPOUT THREADS
flag_of = --$(shell echo $(1) | tr A-Z a-z)
RUN_FLAGS = $(foreach v,$(SHARED_VARS),$(if $($(v)),$(call flag_of,$(v)) $($(v))))

FORMAT ?= png
FIG_LANG ?= es
ifeq ($(filter $(FORMAT),png pdf svg),)
$(error FORMAT=$(FORMAT): use png, pdf or svg)
endif
ifeq ($(filter $(FIG_LANG),es en),)
$(error FIG_LANG=$(FIG_LANG): use es or en)
endif

# ---------------------------------------------------------------------------
# Tools.
SUMMARY_FILES := $(BUILD)/rel/bin/summary-files
$(SUMMARY_FILES): $(call objs,rel,f32,common/summary_files.c common/out.c common/util.c)
	$(call link,rel)

# The math core's own tests (tests/test_common.c), in double precision.
TESTS := test_common
$(BUILD)/%/tests/test_common: $(call objs,%,f64,tests/test_common.c tests/testutil.c $(COMMON_SRCS)) | $(SUMMARY_FILES)
	$(call link,$*,$(CHECK_LIBS))

# $(call draw,OUTDIR,SCRIPTS) — run each gnuplot script against OUTDIR's CSVs,
# write the figures to OUTDIR/fig, then refresh summary.json's file list.
# A figure in OUTDIR/fig whose script is not drawn this time (say, the MNIST
# figures after `make chapter1 MNIST=no`) is removed, so that no figure of
# an earlier run stays beside this run's.
define draw
	@mkdir -p $(1)/fig
	@for f in $(1)/fig/*.$(FORMAT); do \
	  [ -e "$$f" ] || continue; \
	  case " $(2) " in *" plots/$$(basename $$f .$(FORMAT)).gp "*) ;; *) rm -f "$$f";; esac; \
	done
	@set -e; for s in $(2); do \
	  gnuplot -e "datadir='$(1)'; outdir='$(1)/fig'; fmt='$(FORMAT)'; lang='$(FIG_LANG)'" $$s \
	    || { echo "figure script $$s failed" >&2; exit 1; }; \
	  echo "  figure  $(1)/fig/$$(basename $$s .gp).$(FORMAT)"; \
	done
	@$(SUMMARY_FILES) $(1)
endef

# $(call keep_figures,OUTDIR,CHAPTER_DIR) — the README copies: when the figures
# are the default PNGs in Spanish, copy them next to the chapter's README.
define keep_figures
	@if [ "$(FORMAT)" = png ] && [ "$(FIG_LANG)" = es ]; then \
	  mkdir -p $(2)/figures && cp $(1)/fig/*.png $(2)/figures/ && \
	  echo "  copied  $(1)/fig/*.png -> $(2)/figures/"; fi
endef

# ---------------------------------------------------------------------------
# $(eval $(call chapter_rules,N)) — everything a chapter needs, from the
# variables its chapter.mk sets before the call:
#
#   CHN_DIR      its folder, chapters/NN-name
#   CHN_OUT      where a run writes, out/NN-name
#   CHN_REAL     f32 or f64: the precision of `real` in its program
#   CHN_FLAGS    flags from make variables (recursive: LR=... is read at run time)
#   CHN_DATA     yes when it reads MNIST (the data is fetched first, --data given)
#   CHN_PLOTS    its gnuplot scripts (default: plots/chN_*.gp)
#   CHN_TESTS_F32, CHN_TESTS_F64   its test programs (tests/<name>.c), linked with
#                every source of the chapter but main.c and built in that precision
#
# and it gets: $(BUILD)/<variant>/bin/chN; `make chapterN` (run, then draw);
# `make figures-chapterN` (draw from the CSVs there, running the chapter only
# when they are missing, and refresh the README's copies); the test programs.
define chapter_rules
CHAPTERS += chapter$(1)
CH$(1)_SRCS  := $$(wildcard $$(CH$(1)_DIR)/*.c)
CH$(1)_LIB   := $$(filter-out $$(CH$(1)_DIR)/main.c,$$(CH$(1)_SRCS))
CH$(1)_PLOTS ?= $$(sort $$(wildcard plots/ch$(1)_*.gp))
CH$(1)_RUN    = $$(BIN_chapter$(1)) --out $$(CH$(1)_OUT) \
                $$(if $$(filter yes,$$(CH$(1)_DATA)),--data $$(DATA_DIR))
BIN_chapter$(1) := $$(BUILD)/rel/bin/ch$(1)

$$(BUILD)/%/bin/ch$(1): $$(call objs,%,$$(CH$(1)_REAL),$$(CH$(1)_SRCS) $$(COMMON_SRCS))
	$$(call link,$$*)

.PHONY: chapter$(1) draw-chapter$(1) figures-chapter$(1)
chapter$(1): check-deps $$(BIN_chapter$(1)) $$(SUMMARY_FILES) | $$(if $$(filter yes,$$(CH$(1)_DATA)),$$(DATA_DEPS))
	$$(CH$(1)_RUN) $$(RUN_FLAGS) $$(CH$(1)_FLAGS)
	@$$(MAKE) --no-print-directory draw-chapter$(1)

# Drawing is a sub-make: make expands a whole recipe before running its
# first line, so only a new make sees which CSVs the run has just written.
draw-chapter$(1): $$(SUMMARY_FILES)
	$$(call draw,$$(CH$(1)_OUT),$$(CH$(1)_PLOTS))

figures-chapter$(1): $$(CH$(1)_OUT)/summary.json $$(SUMMARY_FILES)
	@$$(MAKE) --no-print-directory draw-chapter$(1)
	$$(call keep_figures,$$(CH$(1)_OUT),$$(CH$(1)_DIR))
$$(CH$(1)_OUT)/summary.json: | $$(BIN_chapter$(1)) $$(if $$(filter yes,$$(CH$(1)_DATA)),$$(DATA_DEPS))
	$$(CH$(1)_RUN) $$(CH$(1)_FLAGS)

TESTS += $$(CH$(1)_TESTS_F32) $$(CH$(1)_TESTS_F64)
$$(foreach t,$$(CH$(1)_TESTS_F32),$$(eval $$(call test_rule,$$(t),f32,$$(CH$(1)_LIB))))
$$(foreach t,$$(CH$(1)_TESTS_F64),$$(eval $$(call test_rule,$$(t),f64,$$(CH$(1)_LIB))))
endef

# $(call test_rule,NAME,REAL,SOURCES) — a test program: tests/NAME.c, the
# shared test helpers, SOURCES and common/, all in one precision.
define test_rule
$$(BUILD)/%/tests/$(1): $$(call objs,%,$(2),tests/$(1).c tests/testutil.c $(3) $$(COMMON_SRCS))
	$$(call link,$$*,$$(CHECK_LIBS))
endef

# ---------------------------------------------------------------------------
# Chapters. Each chapters/NN-name/chapter.mk adds itself to CHAPTERS and
# TESTS through chapter_rules. datasets.mk comes first: chapters name
# $(DATA_DEPS) among their prerequisites.
CHAPTERS :=
# Other programs a chapter.mk builds (its timing tools): `make test` compiles them too.
TOOLS :=
-include datasets/datasets.mk
include $(sort $(wildcard chapters/*/chapter.mk))
-include tests/tests.mk
-include bench/bench.mk

# ---------------------------------------------------------------------------
.PHONY: all build chapters figures test test-build test-rel clean deps check-deps help

# A sub-make after check-deps, so that pkg-config is asked again once the
# packages are there.
all: check-deps
	@$(MAKE) --no-print-directory build chapters

build: $(SUMMARY_FILES) $(foreach c,$(CHAPTERS),$(BIN_$(c)))

chapters: $(CHAPTERS)

figures: check-deps $(SUMMARY_FILES) $(foreach c,$(CHAPTERS),figures-$(c))

help:
	@sed -n '3,13p' Makefile

# ---------------------------------------------------------------------------
# Tests: every test program in both variants, then one closing line that
# adds up Check's counts ("N passed, N failed").
TEST_BINS_rel  := $(foreach t,$(TESTS),$(BUILD)/rel/tests/$(t))
TEST_BINS_asan := $(foreach t,$(TESTS),$(BUILD)/asan/tests/$(t))
ALL_BINS = $(foreach c,$(CHAPTERS),$(BIN_$(c)) $(subst /rel/,/asan/,$(BIN_$(c))))

test: check-deps
	@$(MAKE) --no-print-directory test-build
	@NN_BUILD=$(BUILD) bash tests/run-tests.sh $(TEST_BINS_rel) -- $(TEST_BINS_asan)

test-build: $(TEST_BINS_rel) $(TEST_BINS_asan) $(ALL_BINS) $(SUMMARY_FILES) $(TOOLS)

test-rel: check-deps
	@$(MAKE) --no-print-directory $(TEST_BINS_rel) $(foreach c,$(CHAPTERS),$(BIN_$(c))) $(SUMMARY_FILES)
	@NN_BUILD=$(BUILD) bash tests/run-tests.sh $(TEST_BINS_rel)

# ---------------------------------------------------------------------------
# Dependencies. check-deps is quiet when everything is there and otherwise
# runs `make deps`, which installs with apt-get (through sudo when not root)
# and says so; elsewhere it names what to install.
DEB_PACKAGES := gcc make pkg-config gnuplot-nox check zlib1g-dev libopenblas-openmp-dev \
                $(if $(findstring clang,$(CC)),clang libomp-dev)

check-deps:
	@missing=""; \
	command -v $(firstword $(CC)) >/dev/null || missing="$$missing $(CC)"; \
	command -v gnuplot >/dev/null || missing="$$missing gnuplot"; \
	command -v pkg-config >/dev/null || missing="$$missing pkg-config"; \
	pkg-config --exists check 2>/dev/null || missing="$$missing check"; \
	[ -e /usr/include/zlib.h ] || missing="$$missing zlib"; \
	if command -v apt-get >/dev/null; then \
	  [ -e $(OPENBLAS_OMP)/pkgconfig/openblas.pc ] || missing="$$missing openblas-openmp"; \
	else \
	  ls /usr/include/cblas.h /usr/include/*/cblas.h /usr/include/*/*/cblas.h >/dev/null 2>&1 \
	    || missing="$$missing openblas"; \
	fi; \
	case "$(CC)" in *clang*) [ -n "$$(ls /usr/lib/llvm-*/lib/libomp.so 2>/dev/null)" ] \
	  || missing="$$missing libomp";; esac; \
	if [ -n "$$missing" ]; then \
	  echo "missing:$$missing — running 'make deps'"; \
	  $(MAKE) --no-print-directory deps; \
	fi

deps:
	@if command -v apt-get >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  echo "Installing Debian packages: $(DEB_PACKAGES)"; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEB_PACKAGES) >/dev/null \
	    || { echo "apt-get install failed; install by hand: $(DEB_PACKAGES)" >&2; exit 1; }; \
	  echo "Installed: $(DEB_PACKAGES)"; \
	else \
	  echo "This is not a Debian/Ubuntu system. Install these (or your system's equivalents):" >&2; \
	  echo "  a C11 compiler with OpenMP, GNU make, pkg-config, gnuplot (with cairo), the" >&2; \
	  echo "  Check unit-test library, zlib and OpenBLAS (with cblas.h; its OpenMP build" >&2; \
	  echo "  if there is one) — then run make again." >&2; \
	  exit 1; \
	fi

clean:
	rm -rf build build-clang out

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
