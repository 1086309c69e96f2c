# chapters/01-perceptron/chapter.mk — chapter 1 for the top Makefile: a few
# variables, then the rules every chapter shares (Makefile: chapter_rules).
#
#   make chapter1                  the gates and the MNIST exercise, with figures
#   make chapter1 MNIST=no         the gates only (no data needed)
#   make chapter1 LR=0.01,0.1,1    compare learning rates (ch1_errores_tasas, ch1_mnist_tasas)
#   make chapter1 SEEDS=1-10       and a seed study: each seed, then mean ± sd (semillas.csv)
#   make chapter1 SEED=7 EPOCHS=50 LR=0.5
#   make chapter1 DATASET=fashion  the exercise on Fashion-MNIST instead
# OPT, BATCH and DROPOUT are refused by the program (one line: why);
# THREADS is accepted, and the chapter says it runs on one thread.

CH1_DIR   := chapters/01-perceptron
CH1_OUT   := out/01-perceptron
CH1_REAL  := f64
# MNIST=no skips both the download and the exercise.
CH1_DATA   = $(if $(filter no,$(MNIST)),no,yes)
CH1_FLAGS  = $(if $(filter no,$(MNIST)),--no-mnist)
# A figure only when the run wrote its CSV: the MNIST figures not after
# --no-mnist, the comparisons only after a list of rates.
ch1_unless = $(if $(wildcard $(CH1_OUT)/$(1)),,$(2))
CH1_PLOTS  = $(sort $(filter-out $(call ch1_unless,mnist_epocas.csv,plots/ch1_mnist_%) \
                                 $(call ch1_unless,errores_tasas.csv,plots/ch1_errores_tasas.gp) \
                                 $(call ch1_unless,mnist_tasas.csv,plots/ch1_mnist_tasas.gp), \
                                 $(wildcard plots/ch1_*.gp)))
# The notebook page's two studies (notebooks/notebooks.mk), run beside the
# default run: three learning rates, and the seeds 1-10 (fixed before any
# result was seen).
CH1_NB_RUNS := tasas semillas
CH1_NB_tasas := --lr 0.01,0.1,1
CH1_NB_FIGS_tasas := ch1_errores_tasas ch1_mnist_tasas
CH1_NB_semillas := --seeds 1-10
CH1_TESTS_F64 := test_ch1
$(eval $(call chapter_rules,1))
