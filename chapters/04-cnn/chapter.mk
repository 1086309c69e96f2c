# chapters/04-cnn/chapter.mk — chapter 4 for the top Makefile (the pattern of
# chapters/01-perceptron/chapter.mk).
#
#   make chapter4                    the notebook: examples, training, what it learned
#   make chapter4 EPOCHS=10          more epochs (also SEED=…, LR=…, DROPOUT=0.25)
#   make chapter4 PLAIN=1            the readable network only: plain loops, one thread (slow)
#   make chapter4 THREADS=1          the fast path on one thread (default: every core)
#   make figures-chapter4            redraw from the CSVs (and refresh the README's PNGs)

CH4_DIR   := chapters/04-cnn
CH4_OUT   := out/04-cnn
CH4_REAL  := f32
CH4_DATA  := yes
CH4_FLAGS  = $(if $(PLAIN),--plain) $(if $(THREADS),--threads $(THREADS)) \
             $(if $(DROPOUT),--dropout $(DROPOUT))
# test_ch4_grad: layers and network in double (gradient checks, fast against
# readable); test_ch4: worked examples, shapes, model files, end to end.
CH4_TESTS_F64 := test_ch4_grad
CH4_TESTS_F32 := test_ch4
$(eval $(call chapter_rules,4))
