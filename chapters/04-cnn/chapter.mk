# chapters/04-cnn/chapter.mk — chapter 4 for the top Makefile (the pattern of
# chapters/01-perceptron/chapter.mk).
#
#   make chapter4                    the notebook: examples, training, what it learned
#   make chapter4 EPOCHS=10          more epochs (also SEED=…, LR=…, DROPOUT=0.25)
#   make chapter4 PLAIN=1            the readable network (cnn.c) only: plain loops, one thread (slow)
#   make chapter4 THREADS=1          the fast path on one thread (default: every core, or OMP_NUM_THREADS)
#   make figures-chapter4            redraw from the CSVs (and refresh the README's PNGs)
#   make stages-chapter4             time the fast path stage by stage, and each of its tricks

CH4_DIR   := chapters/04-cnn
CH4_OUT   := out/04-cnn
CH4_REAL  := f32
CH4_DATA  := yes
CH4_FLAGS  = $(if $(PLAIN),--plain)
# test_ch4_grad: layers and network in double (gradient checks, fast against
# readable); test_ch4: worked examples, shapes, fast against readable in
# float, model files, end to end.
CH4_TESTS_F64 := test_ch4_grad
CH4_TESTS_F32 := test_ch4
$(eval $(call chapter_rules,4))

# bench/cnn_stages.c: a second program (it lives outside the chapter's folder,
# whose every .c is part of ch4), linked with the chapter's network.
CH4_STAGES := $(BUILD)/rel/bin/cnn_stages
$(CH4_STAGES): $(call objs,rel,f32,bench/cnn_stages.c $(CH4_LIB) $(COMMON_SRCS))
	$(call link,rel)

.PHONY: stages-chapter4
stages-chapter4: check-deps $(CH4_STAGES) | $(if $(filter yes,$(CH4_DATA)),$(DATA_DEPS))
	$(CH4_STAGES) --data $(or $(DATA_DIR),datasets/mnist)
