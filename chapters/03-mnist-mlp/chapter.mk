# chapters/03-mnist-mlp/chapter.mk — chapter 3 for the top Makefile (the
# pattern of chapters/01-perceptron/chapter.mk).
#
#   make chapter3                          the notebook: default net + studies
#   make chapter3 LR=0.001,0.003,0.01      compare learning rates (one figure)
#   make chapter3 OPT=sgd,adam             compare optimisers (one figure)
#   make chapter3 PLAIN=1                  the readable network only: plain loops, one thread
#   make chapter3 THREADS=1                the fast path on one thread (default: every core)
#   make chapter3 DATASET=fashion          Fashion-MNIST instead (datasets.mk)
#   also EPOCHS=, SEED=, BATCH=, HIDDEN=128,64, DROPOUT=0.2, L2=1e-4

CH3_DIR   := chapters/03-mnist-mlp
CH3_OUT   := out/03-mnist-mlp
CH3_REAL  := f32
CH3_DATA  := yes
CH3_FLAGS  = $(if $(PLAIN),--plain) $(if $(THREADS),--threads $(THREADS)) \
             $(if $(OPT),--opt $(OPT)) $(if $(BATCH),--batch $(BATCH)) \
             $(if $(HIDDEN),--hidden $(HIDDEN)) $(if $(DROPOUT),--dropout $(DROPOUT)) \
             $(if $(L2),--l2 $(L2))
# test_ch3_layers: gradient checks in double; test_ch3: the program as it runs, in float.
CH3_TESTS_F64 := test_ch3_layers
CH3_TESTS_F32 := test_ch3
$(eval $(call chapter_rules,3))
