# chapters/02-xor-mlp/chapter.mk — chapter 2 for the top Makefile (the
# pattern of chapters/01-perceptron/chapter.mk).
#
#   make chapter2                      the notes' settings
#   make chapter2 LR=0.1,0.5,2,10 SEED=2445 EPOCHS=5000
#   make chapter2 HIDDEN=3             the 2-3-1 network (also INIT=glorot, AVERAGE=1)
#   make chapter2 SEEDS=1-100          the seed study's seeds (the default; a list: SEEDS=1,5,9-12)

CH2_DIR   := chapters/02-xor-mlp
CH2_OUT   := out/02-xor-mlp
CH2_REAL  := f64
CH2_FLAGS  = $(if $(HIDDEN),--hidden $(HIDDEN)) $(if $(INIT),--init $(INIT)) \
             $(if $(AVERAGE),--average)
CH2_TESTS_F64 := test_ch2 test_ch2_extras
$(eval $(call chapter_rules,2))
