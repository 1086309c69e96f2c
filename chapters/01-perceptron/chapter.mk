# chapters/01-perceptron/chapter.mk — how the top Makefile builds, runs,
# draws and tests chapter 1. Every chapter's chapter.mk follows this pattern.
#
#   make chapter1                  the gates and the MNIST exercise, with figures
#   make chapter1 MNIST=no         the gates only (no data needed)
#   make chapter1 SEED=7 EPOCHS=50 LR=0.5
#   make chapter1 DATASET=fashion  the exercise on Fashion-MNIST instead

CHAPTERS    += chapter1
CH1_DIR     := chapters/01-perceptron
CH1_SRCS    := $(CH1_DIR)/perceptron.c
CH1_OUT     := out/01-perceptron
BIN_chapter1 := build/rel/bin/ch1

# The data: datasets.mk (included before the chapters) gives DATA_DIR and
# DATA_DEPS; MNIST=no skips both the download and the exercise.
CH1_DATA_DEPS = $(if $(filter no,$(MNIST)),,$(DATA_DEPS))
CH1_DATA_FLAGS = $(if $(filter no,$(MNIST)),--no-mnist,$(if $(DATA_DIR),--data $(DATA_DIR)))

# The MNIST figures are drawn only when the run wrote their CSVs (a
# --no-mnist run does not).
CH1_PLOTS = $(sort $(filter-out $(if $(wildcard $(CH1_OUT)/mnist_epocas.csv),,plots/ch1_mnist_%), \
                                $(wildcard plots/ch1_*.gp)))

# build/rel/bin/ch1 and build/asan/bin/ch1 ('%' is the variant).
build/%/bin/ch1: $(call objs,%,$(CH1_SRCS) $(COMMON_SRCS))
	$(call link,$*)

.PHONY: chapter1 figures-chapter1 draw-chapter1
chapter1: check-deps $(BIN_chapter1) $(SUMMARY_FILES) | $(CH1_DATA_DEPS)
	$(BIN_chapter1) --out $(CH1_OUT) $(CH1_DATA_FLAGS) $(RUN_FLAGS) $(CH1_FLAGS)
	@$(MAKE) --no-print-directory draw-chapter1

# Drawing is a sub-make: make expands a whole recipe before running its first
# line, so only a new make sees which CSVs the run above has just written.
draw-chapter1: $(SUMMARY_FILES)
	@[ -e $(CH1_OUT)/mnist_epocas.csv ] || rm -f $(CH1_OUT)/fig/ch1_mnist_*
	$(call draw,$(CH1_OUT),$(CH1_PLOTS))

# Redraw from the CSVs there; run the chapter only when they are missing.
figures-chapter1: $(CH1_OUT)/summary.json $(SUMMARY_FILES)
	@$(MAKE) --no-print-directory draw-chapter1
	$(call keep_figures,$(CH1_OUT),$(CH1_DIR))
$(CH1_OUT)/summary.json: | $(BIN_chapter1) $(CH1_DATA_DEPS)
	$(BIN_chapter1) --out $(CH1_OUT) $(CH1_DATA_FLAGS)

# Tests: the chapter's own functions (linked with -DNO_MAIN) and its program.
TESTS += test_ch1
build/%/tests/test_ch1: $(call objs,%,tests/test_ch1.c tests/testutil.c $(COMMON_SRCS)) $(call nomain_objs,%,$(CH1_SRCS))
	$(call link,$*,$(CHECK_LIBS))
