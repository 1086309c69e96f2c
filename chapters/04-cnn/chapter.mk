# chapters/04-cnn/chapter.mk — chapter 4 for the top Makefile (the pattern of
# chapters/01-perceptron/chapter.mk).
#
#   make chapter4                    the notebook: examples, training, what it learned
#   make chapter4 EPOCHS=10          more epochs (also SEED=…, LR=…, DROPOUT=0.25)
#   make chapter4 PLAIN=1            the readable network (cnn.c) only: plain loops, one thread (slow)
#   make chapter4 THREADS=1          the fast path on one thread (default: every core, or OMP_NUM_THREADS)
#   make figures-chapter4            redraw from the CSVs (and refresh the PNGs the README shows)
#   make stages-chapter4             time the fast path stage by stage, and each of its tricks
#   make chapter4 SEEDS=1,2,3,4,5    one network per seed: each test accuracy, mean ± sd
#   make chapter4 LR=0.0003,0.001,0.003   (or OPT=sgd,adam) the loss curves in one figure
#   make chapter4 RESUME=1           go on from out/04-cnn/checkpoint.safetensors (written after
#                                    every epoch and on Ctrl-C) with the same settings: the
#                                    same bytes as a run never stopped
#   make chapter4 CHECKPOINT_EVERY=200   a checkpoint every 200 batches too
#   make beyond-chapter4             "hasta dónde llega esta red": the same CNN with random
#                                    shifts, dropout and a decaying rate, 3 seeds (a few minutes)

CH4_DIR   := chapters/04-cnn
CH4_OUT   := out/04-cnn
CH4_REAL  := f32
CH4_DATA  := yes
CH4_FLAGS  = $(if $(PLAIN),--plain) --mlp $(CH3_BASE_OUT)
# A SEEDS= run goes to out/04-cnn-semillas/: the notebook's seed-42 run stays.
CH4_SEEDS_APART := yes
# chapter 4 compares its CNN with chapter 3's MLP: its run waits for chapter 3's.
CH4_NEEDS := 3
# test_ch4_grad: layers and network in double (gradient checks, fast against
# readable); test_ch4: worked examples, shapes, fast against readable in
# float, model files, end to end; test_ch4_compare: chapter 3's MLP against
# the CNN (ROC, AUC, McNemar, shifted digits; compare.c, common/roc.c);
# test_ch4_resume: checkpoints, --resume to the byte, Ctrl-C and SIGTERM,
# divergence, damaged checkpoints (resume.c, issue 11).
CH4_TESTS_F64 := test_ch4_grad
CH4_TESTS_F32 := test_ch4 test_ch4_compare test_ch4_resume
# The comparison figure and its animation only after a run with LR=… or
# OPT=… lists; the filters' animation only after a run that trained (not
# --load): the program removes each CSV otherwise. Recursive: read when drawing.
CH4_PLOTS = $(filter-out \
  $(if $(wildcard $(CH4_OUT)/comparacion_perdidas.csv),,plots/ch4_comparacion_perdidas.gp \
    plots/ch4_comparacion_perdidas_animacion.gp) \
  $(if $(wildcard $(CH4_OUT)/filtros_conv1_lotes.csv),,plots/ch4_filtros_conv1_animacion.gp),\
  $(sort $(wildcard plots/ch4_*.gp)))
# RESUME=1, CHECKPOINT_EVERY=N: the Makefile's CHECKPOINT_FLAGS (kept out of .ajustes)
CH4_CHECKPOINTS := yes
$(eval $(call chapter_rules,4))

# bench/cnn_stages.c: a second program (it lives outside the chapter's folder,
# whose every .c is part of ch4), linked with the chapter's network.
CH4_STAGES := $(BUILD)/rel/bin/cnn_stages
$(CH4_STAGES): $(call objs,rel,f32,bench/cnn_stages.c $(CH4_LIB) $(COMMON_SRCS))
	$(call link,rel)

.PHONY: stages-chapter4
stages-chapter4: check-deps $(CH4_STAGES) | $(if $(filter yes,$(CH4_DATA)),$(DATA_DEPS))
	$(CH4_STAGES) --data $(or $(DATA_DIR),datasets/mnist)

# Beyond the notes (notebook.md, "how far this network goes"): the same network,
# trained 10 epochs with each image moved up to 2 pixels at random every
# epoch, dropout 0.25 on fc1 and the rate decaying ×0.7 per epoch, 3 seeds.
# Settings chosen before the run (the notebook says why); only on request.
CH4_BEYOND_OUT   := $(CH4_OUT)/mas-alla
CH4_BEYOND_FLAGS := --epochs 10 --augment-shift 2 --dropout 0.25 --lr-decay 0.7 --seeds 1,2,3
.PHONY: beyond-chapter4
beyond-chapter4: check-deps $(BIN_chapter4) | $(DATA_DEPS)
	$(BIN_chapter4) --bench --out $(CH4_BEYOND_OUT) --data $(DATA_DIR) $(CH4_BEYOND_FLAGS) \
	  $(if $(THREADS),--threads $(THREADS))
