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
# (and what each chapter's chapter.mk adds). Figures: FORMAT=png|pdf|svg,
# FIG_LANG=es|en.
#
# Layout of what is built:
#   build/<variant>/obj/...     objects          (variant: rel or asan)
#   build/<variant>/nomain/...  objects with -DNO_MAIN, for linking a chapter into a test
#   build/<variant>/f64/...     the same with -DREAL_F64, for double-precision gradient checks
#   build/<variant>/bin/chN     chapter programs; build/<variant>/tests/test_* test programs
#   out/<chapter>/              what a run writes: CSVs, summary.json, fig/

SHELL := /bin/bash
.SECONDARY:
.DELETE_ON_ERROR:
CC := gcc
.DEFAULT_GOAL := all

# ---------------------------------------------------------------------------
# Compiler flags. No -ffast-math anywhere: it lets the compiler assume NaN
# never happens, and the divergence checks depend on isnan().
BASE_CFLAGS := -std=c11 -Wall -Wextra -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Icommon -MMD -MP
CFLAGS_rel  := -O3 -march=native -g
CFLAGS_asan := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDFLAGS_rel  :=
LDFLAGS_asan := -fsanitize=address,undefined
LDLIBS := -lm -lz
VARIANTS := rel asan

# Check (the unit-test framework) through pkg-config, when present.
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)
BASE_CFLAGS += $(CHECK_CFLAGS)

# OpenBLAS (cblas_sgemm) for the fast paths of chapters 3–4.
BLAS_CFLAGS := $(shell pkg-config --cflags openblas 2>/dev/null)
BLAS_LIBS   := $(shell pkg-config --libs openblas 2>/dev/null || echo -lopenblas)
BASE_CFLAGS += $(BLAS_CFLAGS)
LDLIBS += $(BLAS_LIBS)

# ---------------------------------------------------------------------------
# Objects: $(call objs,VARIANT,SOURCES) and friends map sources to objects.
# (addprefix rather than patsubst, so VARIANT may itself be a '%' in a pattern rule.)
objs        = $(addprefix build/$(1)/obj/,$(2:.c=.o))
nomain_objs = $(addprefix build/$(1)/nomain/,$(2:.c=.o))
f64_objs    = $(addprefix build/$(1)/f64/,$(2:.c=.o))

COMMON_SRCS := $(filter-out common/summary_files.c,$(wildcard common/*.c))

define variant_rules
build/$(1)/obj/%.o: %.c
	@mkdir -p $$(@D)
	$$(CC) $$(BASE_CFLAGS) $$(CFLAGS_$(1)) $$(EXTRA_CFLAGS) -c $$< -o $$@
build/$(1)/nomain/%.o: %.c
	@mkdir -p $$(@D)
	$$(CC) $$(BASE_CFLAGS) $$(CFLAGS_$(1)) $$(EXTRA_CFLAGS) -DNO_MAIN -c $$< -o $$@
build/$(1)/f64/%.o: %.c
	@mkdir -p $$(@D)
	$$(CC) $$(BASE_CFLAGS) $$(CFLAGS_$(1)) $$(EXTRA_CFLAGS) -DNO_MAIN -DREAL_F64 -c $$< -o $$@
endef
$(foreach v,$(VARIANTS),$(eval $(call variant_rules,$(v))))

# $(call link,VARIANT,EXTRA_LIBS) — the recipe that links a program.
link = @mkdir -p $(@D) && $(CC) $(LDFLAGS_$(1)) $^ -o $@ $(LDLIBS) $(2)


# Flags shared by the chapters, from make variables.
RUN_FLAGS = $(if $(LR),--lr $(LR)) $(if $(SEED),--seed $(SEED)) $(if $(EPOCHS),--epochs $(EPOCHS))

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
SUMMARY_FILES := build/rel/bin/summary-files
$(SUMMARY_FILES): $(call objs,rel,common/summary_files.c common/out.c common/util.c)
	$(call link,rel)

# The math core's own tests (tests/test_common.c).
TESTS := test_common
build/%/tests/test_common: $(call objs,%,tests/test_common.c tests/testutil.c $(COMMON_SRCS)) | $(SUMMARY_FILES)
	$(call link,$*,$(CHECK_LIBS))

# $(call draw,OUTDIR,SCRIPTS) — run each gnuplot script against OUTDIR's CSVs,
# write the figures to OUTDIR/fig, then refresh summary.json's file list.
define draw
	@mkdir -p $(1)/fig
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
# Chapters. Each chapters/NN-name/chapter.mk adds itself to CHAPTERS and
# TESTS (see chapters/01-perceptron/chapter.mk for the pattern).
# datasets.mk comes first: chapters name $(DATA_DEPS) among their prerequisites.
CHAPTERS :=
-include datasets/datasets.mk
include $(sort $(wildcard chapters/*/chapter.mk))
-include tests/tests.mk
-include bench/bench.mk

# ---------------------------------------------------------------------------
.PHONY: all build chapters figures test test-rel test-asan clean deps check-deps help

# A sub-make after check-deps, so that pkg-config is asked again once the
# packages are there.
all: check-deps
	@$(MAKE) --no-print-directory build chapters

build: $(SUMMARY_FILES) $(foreach c,$(CHAPTERS),$(BIN_$(c)))

chapters: $(CHAPTERS)

figures: check-deps $(SUMMARY_FILES) $(foreach c,$(CHAPTERS),figures-$(c))

help:
	@sed -n '3,12p' Makefile

# ---------------------------------------------------------------------------
# Tests: every test program in both variants, then one closing line that
# adds up Check's counts ("N passed, N failed").
TEST_BINS_rel  := $(foreach t,$(TESTS),build/rel/tests/$(t))
TEST_BINS_asan := $(foreach t,$(TESTS),build/asan/tests/$(t))

test: check-deps
	@$(MAKE) --no-print-directory test-build
	@bash tests/run-tests.sh $(TEST_BINS_rel) -- $(TEST_BINS_asan)

test-build: $(TEST_BINS_rel) $(TEST_BINS_asan) $(foreach c,$(CHAPTERS),$(BIN_$(c)) $(subst /rel/,/asan/,$(BIN_$(c)))) $(SUMMARY_FILES)

test-rel: check-deps
	@$(MAKE) --no-print-directory $(TEST_BINS_rel) $(foreach c,$(CHAPTERS),$(BIN_$(c))) $(SUMMARY_FILES)
	@bash tests/run-tests.sh $(TEST_BINS_rel)

# ---------------------------------------------------------------------------
# Dependencies. check-deps is quiet when everything is there and otherwise
# runs `make deps`, which installs with apt-get (through sudo when not root)
# and says so; elsewhere it names what to install.
DEB_PACKAGES := gcc make pkg-config gnuplot-nox check zlib1g-dev libopenblas-dev

check-deps:
	@missing=""; \
	command -v gnuplot >/dev/null || missing="$$missing gnuplot"; \
	command -v pkg-config >/dev/null || missing="$$missing pkg-config"; \
	pkg-config --exists check 2>/dev/null || missing="$$missing check"; \
	[ -e /usr/include/zlib.h ] || missing="$$missing zlib"; \
	[ -e /usr/include/x86_64-linux-gnu/cblas.h ] || [ -e /usr/include/cblas.h ] || \
	  ls /usr/include/*/cblas*.h >/dev/null 2>&1 || missing="$$missing openblas"; \
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
	  echo "  a C11 compiler, GNU make, pkg-config, gnuplot (with cairo), the Check unit-test" >&2; \
	  echo "  library, zlib and OpenBLAS (with cblas.h) — then run make again." >&2; \
	  exit 1; \
	fi

clean:
	rm -rf build out

-include $(shell find build -name '*.d' 2>/dev/null)
