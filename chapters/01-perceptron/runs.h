/* runs.h — what chapter 1's program is asked to do (the flags, Ch1Config)
 * and one run of the slides' exercise with its progress line (runs.c).
 * main.c runs the chapter once; studies.c repeats the same runs for other
 * learning rates (--lr 0.01,0.1,1) and other seeds (--seeds 1-10). */
#ifndef CH1_RUNS_H
#define CH1_RUNS_H

#include <stddef.h>
#include <stdint.h>

#include "mnist.h"
#include "perceptron.h"
#include "progress.h"
#include "rng.h"

#define CH1_MAX_RATES 8
#define CH1_MAX_SEEDS 1000

typedef struct {
    double lr[CH1_MAX_RATES];  /* --lr: one rate, or several to compare */
    int n_lr;
    int main_lr;               /* the rate of the chapter's own run: 0.1 if listed, else the first */
    int epochs;                /* the gates' epochs */
    uint64_t seed;
    uint64_t seeds[CH1_MAX_SEEDS];  /* --seeds: the seed study (n_seeds 0: none) */
    int n_seeds;
    const char *out;
    const char *data;
    int mnist;                 /* run the slides' exercise */
    int mnist_epochs;
    int train_limit;           /* 0: every training image */
    int test_limit;            /* 0: every test image */
} Ch1Config;

static inline double ch1_main_lr(const Ch1Config *c) { return c->lr[c->main_lr]; }

/* One run of the exercise: its numbers per epoch. */
typedef struct {
    int n_train, n_test, epochs;
    double *test_accuracy;   /* (epochs): after each pass, on the first n_test test images */
    int *train_wrong;        /* (epochs): images the largest z got wrong during the pass */
    double train_seconds;    /* the passes alone, without the evaluations */
    /* A run whose z or weights stopped being finite numbers (perceptron.c,
     * "Divergence") stops there: the epoch, and the image's 1-based place in
     * that pass (0: in the evaluation after the pass); 0 when it never did.
     * Only the first epochs_done epochs have numbers: after them the test
     * accuracy is NaN and the errors 0. */
    int diverged_epoch, diverged_image;
    int epochs_done;
} Ch1MnistRun;

/* How many training and test images a run uses (--train-limit, --test-limit). */
int ch1_train_count(const Ch1Config *c, const Mnist *train);
int ch1_test_count(const Ch1Config *c, const Mnist *test);

/* Trains m (already ch1_ovr_init'ed) for c->mnist_epochs passes over the
 * first n_train training images, in an order shuffled from rng each pass;
 * after each pass predicts the first n_test test images into pred (n_test).
 *
 * The progress line (stderr): with task NULL the run is a task of its own
 * called `label`; otherwise it is part of `task` (a study's several runs:
 * one task, long enough for the plain line of a log), whose steps from
 * base on are this run's images, and `label` says which run it is. */
void ch1_mnist_train(const Ch1Config *c, Ch1OneVsRest *m, const Mnist *train, const Mnist *test,
                     Rng *rng, Progress *task, long base, const char *label,
                     unsigned char *pred, Ch1MnistRun *res);
/* The one line that says a run diverged (perceptron.c, "Divergence"),
 * without the newline, into buf:
 *   "<who> con η = <lr>: diverge en la época E, ejemplo I de 4: ..."   a gate
 *   "<who> con η = <lr>: diverge en la época E, imagen I de N: ..."    the exercise
 * (image 0: in the evaluation after pass E). */
void ch1_gate_divergence(char *buf, size_t len, const char *who, double lr, int epoch,
                         int example);
void ch1_mnist_divergence(char *buf, size_t len, const char *who, double lr, int epoch,
                          int image, int n_train);
/* A run's steps in that task: mnist_epochs × (n_train + n_test). */
long ch1_mnist_steps(const Ch1Config *c, const Mnist *train, const Mnist *test);
void ch1_mnist_run_free(Ch1MnistRun *res);

/* The whole run's work for the progress line, in images through the ten
 * perceptrons (a training image costs about what a test image does): one
 * exercise is mnist_epochs × (n_train + n_test). 0 without the exercise. */
double ch1_mnist_work(const Ch1Config *c, const Mnist *train, const Mnist *test);

#endif
