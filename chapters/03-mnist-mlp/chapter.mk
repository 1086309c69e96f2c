# chapters/03-mnist-mlp/chapter.mk — how the top Makefile builds, runs, draws
# and tests chapter 3 (the pattern of chapters/01-perceptron/chapter.mk).
#
#   make chapter3                          the notebook: default net + studies
#   make chapter3 LR=0.001,0.003,0.01      compare learning rates (one figure)
#   make chapter3 OPT=sgd,adam             compare optimisers (one figure)
#   make chapter3 DATASET=fashion          Fashion-MNIST instead (datasets.mk)
#   also EPOCHS=, SEED=, BATCH=, HIDDEN=128,64, DROPOUT=0.2, L2=1e-4

CHAPTERS    += chapter3
CH3_DIR     := chapters/03-mnist-mlp
CH3_SRCS    := $(CH3_DIR)/mlp.c $(CH3_DIR)/data.c $(CH3_DIR)/net.c $(CH3_DIR)/studies.c \
               $(CH3_DIR)/pictures.c $(CH3_DIR)/team.c
CH3_OUT     := out/03-mnist-mlp
CH3_PLOTS    = $(sort $(wildcard plots/ch3_*.gp))
BIN_chapter3 := build/rel/bin/ch3
# The data folder comes from datasets/datasets.mk (DATA_DIR, DATA_DEPS).
CH3_DATA     = $(if $(DATA_DIR),$(DATA_DIR),datasets/mnist)
CH3_FLAGS   += --data $(CH3_DATA) $(if $(OPT),--opt $(OPT)) $(if $(BATCH),--batch $(BATCH)) \
               $(if $(HIDDEN),--hidden $(HIDDEN)) $(if $(DROPOUT),--dropout $(DROPOUT)) \
               $(if $(L2),--l2 $(L2))

# build/rel/bin/ch3 and build/asan/bin/ch3 ('%' is the variant).
build/%/bin/ch3: $(call objs,%,$(CH3_SRCS) $(COMMON_SRCS))
	$(call link,$*)

.PHONY: chapter3 figures-chapter3
chapter3: check-deps $(BIN_chapter3) $(SUMMARY_FILES) | $(DATA_DEPS)
	$(BIN_chapter3) --out $(CH3_OUT) $(RUN_FLAGS) $(CH3_FLAGS)
	$(call draw,$(CH3_OUT),$(CH3_PLOTS))

# Redraw from the CSVs there; run the chapter only when they are missing.
figures-chapter3: $(CH3_OUT)/summary.json $(SUMMARY_FILES)
	$(call draw,$(CH3_OUT),$(CH3_PLOTS))
	$(call keep_figures,$(CH3_OUT),$(CH3_DIR))
$(CH3_OUT)/summary.json: | $(BIN_chapter3) $(DATA_DEPS)
	$(BIN_chapter3) --out $(CH3_OUT) $(CH3_FLAGS)

# Tests: the layers in double precision (gradient checks), the chapter's own
# functions (-DNO_MAIN) and its program end to end.
TESTS += test_ch3_layers test_ch3
CH3_LAYER_SRCS := common/nn.c common/gemm.c common/metrics.c
build/%/tests/test_ch3_layers: $(call objs,%,tests/testutil.c $(filter-out $(CH3_LAYER_SRCS),$(COMMON_SRCS))) $(call f64_objs,%,tests/test_ch3_layers.c $(CH3_LAYER_SRCS) $(filter-out $(CH3_DIR)/mlp.c,$(CH3_SRCS)))
	$(call link,$*,$(CHECK_LIBS))
build/%/tests/test_ch3: $(call objs,%,tests/test_ch3.c tests/testutil.c $(COMMON_SRCS)) $(call nomain_objs,%,$(CH3_SRCS))
	$(call link,$*,$(CHECK_LIBS))

# common/nn.c without math errno, so Adam's loop (sqrt per weight) vectorises:
# it is 40 % of an epoch otherwise. Only errno changes — no -ffast-math.
build/%/obj/common/nn.o build/%/nomain/common/nn.o build/%/f64/common/nn.o: EXTRA_CFLAGS += -fno-math-errno
