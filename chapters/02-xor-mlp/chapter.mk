# chapters/02-xor-mlp/chapter.mk — how the top Makefile builds, runs, draws
# and tests chapter 2 (the pattern of chapters/01-perceptron/chapter.mk).
#
#   make chapter2                      the notes' settings
#   make chapter2 LR=0.1,0.5,2,10 SEED=2445 EPOCHS=5000
#   make chapter2 HIDDEN=3             the 2-3-1 network (also INIT=glorot, AVERAGE=1)

CHAPTERS    += chapter2
CH2_DIR     := chapters/02-xor-mlp
# Every .c in the folder: the XOR network and main() (xor_net.c, xor_mlp.c)
# and the side sections (activations, descent, chain rule, quadratic net).
CH2_SRCS    := $(wildcard $(CH2_DIR)/*.c)
CH2_OUT     := out/02-xor-mlp
CH2_PLOTS    = $(sort $(wildcard plots/ch2_*.gp))
BIN_chapter2 := build/rel/bin/ch2
CH2_FLAGS    = $(if $(HIDDEN),--hidden $(HIDDEN)) $(if $(INIT),--init $(INIT)) \
               $(if $(AVERAGE),--average) $(if $(SEEDS),--seeds $(SEEDS))

# build/rel/bin/ch2 and build/asan/bin/ch2 ('%' is the variant).
build/%/bin/ch2: $(call objs,%,$(CH2_SRCS) $(COMMON_SRCS))
	$(call link,$*)

.PHONY: chapter2 figures-chapter2
chapter2: check-deps $(BIN_chapter2) $(SUMMARY_FILES)
	$(BIN_chapter2) --out $(CH2_OUT) $(RUN_FLAGS) $(CH2_FLAGS)
	$(call draw,$(CH2_OUT),$(CH2_PLOTS))

# Redraw from the CSVs there; run the chapter only when they are missing.
figures-chapter2: $(CH2_OUT)/summary.json $(SUMMARY_FILES)
	$(call draw,$(CH2_OUT),$(CH2_PLOTS))
	$(call keep_figures,$(CH2_OUT),$(CH2_DIR))
$(CH2_OUT)/summary.json: | $(BIN_chapter2)
	$(BIN_chapter2) --out $(CH2_OUT)

# Tests: the chapter's own functions (linked with -DNO_MAIN) and its program.
TESTS += test_ch2
build/%/tests/test_ch2: $(call objs,%,tests/test_ch2.c tests/testutil.c $(COMMON_SRCS)) $(call nomain_objs,%,$(CH2_SRCS))
	$(call link,$*,$(CHECK_LIBS))

# The side sections' tests (tests/test_ch2_extras.c), once that file exists.
ifneq ($(wildcard tests/test_ch2_extras.c),)
TESTS += test_ch2_extras
build/%/tests/test_ch2_extras: $(call objs,%,tests/test_ch2_extras.c tests/testutil.c $(COMMON_SRCS)) $(call nomain_objs,%,$(CH2_SRCS))
	$(call link,$*,$(CHECK_LIBS))
endif
