# chapters/04-cnn/chapter.mk — how the top Makefile builds, runs, draws and
# tests chapter 4 (the pattern of chapters/01-perceptron/chapter.mk).
#
#   make chapter4                    the notebook: examples, training, studies
#   make chapter4 EPOCHS=10          more epochs (also SEED=…, LR=…)
#   make chapter4 CH4_FLAGS='--dropout 0.25'
#   make figures-chapter4            redraw from the CSVs (and refresh the README's PNGs)

CHAPTERS    += chapter4
CH4_DIR     := chapters/04-cnn
CH4_SRCS    := $(CH4_DIR)/cnn.c $(CH4_DIR)/main.c
CH4_OUT     := out/04-cnn
CH4_PLOTS    = $(sort $(wildcard plots/ch4_*.gp))
BIN_chapter4 := build/rel/bin/ch4
# The data folder comes from datasets/datasets.mk (DATA_DIR, DATA_DEPS).
CH4_DATA     = $(if $(DATA_DIR),$(DATA_DIR),datasets/mnist)
CH4_FLAGS   += --data $(CH4_DATA)

# build/rel/bin/ch4 and build/asan/bin/ch4 ('%' is the variant).
build/%/bin/ch4: $(call objs,%,$(CH4_SRCS) $(COMMON_SRCS))
	$(call link,$*)

.PHONY: chapter4 figures-chapter4
chapter4: check-deps $(BIN_chapter4) $(SUMMARY_FILES) | $(DATA_DEPS)
	$(BIN_chapter4) --out $(CH4_OUT) $(RUN_FLAGS) $(CH4_FLAGS)
	$(call draw,$(CH4_OUT),$(CH4_PLOTS))

# Redraw from the CSVs there; run the chapter only when they are missing.
figures-chapter4: $(CH4_OUT)/summary.json $(SUMMARY_FILES)
	$(call draw,$(CH4_OUT),$(CH4_PLOTS))
	$(call keep_figures,$(CH4_OUT),$(CH4_DIR))
$(CH4_OUT)/summary.json: | $(BIN_chapter4) $(DATA_DEPS)
	$(BIN_chapter4) --out $(CH4_OUT) $(CH4_FLAGS)

# Tests.
#   test_ch4_grad   layers and network in double precision: gradient checks,
#                   plain vs fast, saliency vs finite differences
#   test_ch4        the worked examples, shapes, safetensors, end to end
TESTS += test_ch4_grad test_ch4
CH4_F64_SRCS := common/conv.c common/nn.c common/gemm.c common/safetensors.c
build/%/tests/test_ch4_grad: $(call objs,%,tests/testutil.c $(filter-out $(CH4_F64_SRCS),$(COMMON_SRCS))) $(call f64_objs,%,tests/test_ch4_grad.c $(CH4_F64_SRCS) $(CH4_SRCS))
	$(call link,$*,$(CHECK_LIBS))
build/%/tests/test_ch4: $(call objs,%,tests/test_ch4.c tests/testutil.c $(COMMON_SRCS)) $(call nomain_objs,%,$(CH4_SRCS))
	$(call link,$*,$(CHECK_LIBS))
