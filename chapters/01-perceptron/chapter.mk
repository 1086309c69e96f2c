# chapters/01-perceptron/chapter.mk — how the top Makefile builds, runs,
# draws and tests chapter 1. Every chapter's chapter.mk follows this pattern.

CHAPTERS    += chapter1
CH1_DIR     := chapters/01-perceptron
CH1_SRCS    := $(CH1_DIR)/perceptron.c
CH1_OUT     := out/01-perceptron
CH1_PLOTS    = $(sort $(wildcard plots/ch1_*.gp))
BIN_chapter1 := build/rel/bin/ch1

# build/rel/bin/ch1 and build/asan/bin/ch1 ('%' is the variant).
build/%/bin/ch1: $(call objs,%,$(CH1_SRCS) $(COMMON_SRCS))
	$(call link,$*)

.PHONY: chapter1 figures-chapter1
chapter1: check-deps $(BIN_chapter1) $(SUMMARY_FILES)
	$(BIN_chapter1) --out $(CH1_OUT) $(RUN_FLAGS) $(CH1_FLAGS)
	$(call draw,$(CH1_OUT),$(CH1_PLOTS))

# Redraw from the CSVs there; run the chapter only when they are missing.
figures-chapter1: $(CH1_OUT)/summary.json $(SUMMARY_FILES)
	$(call draw,$(CH1_OUT),$(CH1_PLOTS))
	$(call keep_figures,$(CH1_OUT),$(CH1_DIR))
$(CH1_OUT)/summary.json: | $(BIN_chapter1)
	$(BIN_chapter1) --out $(CH1_OUT)

# Tests: the chapter's own functions (linked with -DNO_MAIN) and its program.
TESTS += test_ch1
build/%/tests/test_ch1: $(call objs,%,tests/test_ch1.c tests/testutil.c $(COMMON_SRCS)) $(call nomain_objs,%,$(CH1_SRCS))
	$(call link,$*,$(CHECK_LIBS))
