# chapters/03-mnist-mlp/chapter.mk — chapter 3 for the top Makefile (the
# pattern of chapters/01-perceptron/chapter.mk).
#
#   make chapter3                          the notebook: default net + studies
#   make chapter3 LR=0.001,0.003,0.01      compare learning rates (one figure)
#   make chapter3 OPT=sgd,adam             compare optimisers (one figure)
#   make chapter3 ACT=tanh                 another hidden activation (any trainable row
#                                          of common/activations.c's table)
#   make chapter3 PLAIN=1                  the readable network only: plain loops, one thread
#   make chapter3 THREADS=1                one thread (default: OMP_NUM_THREADS or every core)
#   make chapter3 DATASET=fashion          Fashion-MNIST instead (datasets.mk)
#   make chapter3 SEEDS=1-5                the main network once per seed: each seed's test
#                                          accuracy, mean ± sd (semillas.csv); nothing else runs,
#                                          in out/03-mnist-mlp-semillas/ (the notebook's run stays)
#   make chapter3 SEEDS=1-5 SEEDS_OVERFIT=1   and §3.3's overfitting study for every seed
#   make chapter3 RESUME=1                 after Ctrl-C (or a crash): the main network goes on from
#                                          out/03-mnist-mlp/checkpoint.safetensors, to the same bytes
#                                          as a run never stopped (give the same variables again)
#   make chapter3 CHECKPOINT_EVERY=100     that checkpoint also every 100 batches (by default at the
#                                          end of every epoch, and at the batch Ctrl-C stops)
#   also EPOCHS=, SEED=, BATCH=, HIDDEN=128,64, DROPOUT=0.2, L2=1e-4
#   make bench-ch3-stages                  time each stage of one batch (bench/mlp_stages.c)

CH3_DIR   := chapters/03-mnist-mlp
CH3_OUT   := out/03-mnist-mlp
CH3_REAL  := f32
CH3_DATA  := yes
CH3_FLAGS  = $(if $(PLAIN),--plain) $(if $(ACT),--act $(ACT)) \
             $(if $(HIDDEN),--hidden $(HIDDEN)) $(if $(L2),--l2 $(L2)) \
             $(if $(SEEDS_OVERFIT),--seeds-overfit)
# A SEEDS= run writes semillas.csv, in a folder of its own, and draws only its
# figure; the notebook's run draws the rest.
CH3_SEEDS_APART := yes
# The notebook page's seed study (notebooks/notebooks.mk): the main network
# for seeds 1-5, the list the README has always used.
CH3_NB_RUNS := semillas
CH3_NB_semillas := --seeds 1-5
CH3_NB_FIGS_semillas := ch3_semillas
CH3_PLOTS  = $(if $(SEEDS),plots/ch3_semillas.gp,$(filter-out plots/ch3_semillas.gp,$(sort $(wildcard plots/ch3_*.gp))))
# test_ch3_layers: gradient checks and fast-vs-readable in double; test_ch3:
# the program as it runs, in float; test_ch3_resume: Ctrl-C, --resume to the
# same bytes, divergence, refused checkpoints.
CH3_TESTS_F64 := test_ch3_layers
CH3_TESTS_F32 := test_ch3 test_ch3_seed_figures test_ch3_resume
# RESUME=1, CHECKPOINT_EVERY=N: the Makefile's CHECKPOINT_FLAGS (kept out of .ajustes)
CH3_CHECKPOINTS := yes
$(eval $(call chapter_rules,3))

# The timing of each stage of one batch, readable against fast (a program of
# its own: every .c in the chapter's folder belongs to ch3 itself).
CH3_STAGES := $(BUILD)/rel/bin/mlp_stages
TOOLS += $(CH3_STAGES)
$(CH3_STAGES): $(call objs,rel,f32,bench/mlp_stages.c $(CH3_LIB) $(COMMON_SRCS))
	$(call link,rel)

.PHONY: bench-ch3-stages
bench-ch3-stages: check-deps $(CH3_STAGES) | $(DATA_DEPS)
	$(CH3_STAGES) --data $(DATA_DIR) $(if $(THREADS),--threads $(THREADS))
