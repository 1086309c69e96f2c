# chapters/01-perceptron/chapter.mk — chapter 1 for the top Makefile: a few
# variables, then the rules every chapter shares (Makefile: chapter_rules).
#
#   make chapter1                  the gates and the MNIST exercise, with figures
#   make chapter1 MNIST=no         the gates only (no data needed)
#   make chapter1 SEED=7 EPOCHS=50 LR=0.5
#   make chapter1 DATASET=fashion  the exercise on Fashion-MNIST instead

CH1_DIR   := chapters/01-perceptron
CH1_OUT   := out/01-perceptron
CH1_REAL  := f64
# MNIST=no skips both the download and the exercise.
CH1_DATA   = $(if $(filter no,$(MNIST)),no,yes)
CH1_FLAGS  = $(if $(filter no,$(MNIST)),--no-mnist)
# The MNIST figures only when the run wrote their CSVs (a --no-mnist run does not).
CH1_PLOTS  = $(sort $(filter-out $(if $(wildcard $(CH1_OUT)/mnist_epocas.csv),,plots/ch1_mnist_%), \
                                 $(wildcard plots/ch1_*.gp)))
CH1_TESTS_F64 := test_ch1
$(eval $(call chapter_rules,1))
