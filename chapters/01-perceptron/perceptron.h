/* perceptron.h — chapter 1's perceptron (perceptron.c): what main.c's
 * sections call and what tests/test_ch1.c checks. Everything is prefixed
 * ch1_ so it cannot clash with common/ or with another chapter. */
#ifndef CH1_PERCEPTRON_H
#define CH1_PERCEPTRON_H

#include "mnist.h"
#include "rng.h"

/* --- notes §1: one perceptron, y = f(Σ w_i x_i + b), f the step ----------- */
typedef struct {
    int n_inputs;
    double *weights;   /* (n_inputs) — may point into a larger matrix (MNIST) */
    double bias;
    double lr;         /* η, the learning rate */
} Ch1Perceptron;

/* z = Σ w_i x_i + b (notes §1). */
double ch1_z(const Ch1Perceptron *p, const double *x);
/* The notes' predict(): 1 if z > 0 else 0 — step(0) is 0. */
int ch1_predict(const Ch1Perceptron *p, const double *x);
/* The notes' rule for one example, given its error = y − prediction:
 * w += η·error·x, b += η·error. Nothing moves when the error is 0. */
void ch1_learn(Ch1Perceptron *p, const double *x, int error);
/* predict, error = y − prediction, learn. Returns the error (−1, 0 or 1). */
int ch1_train_step(Ch1Perceptron *p, const double *x, int target);
/* 1 when every weight and the bias are finite numbers. A rate so large that
 * w + η·error·x overflows makes one of them ±inf, and from then on z is inf
 * or NaN (inf·0) and the step answers nonsense without a word: the runs
 * check this after every update and stop there (perceptron.c, "Divergence"). */
int ch1_finite(const Ch1Perceptron *p);

/* --- notes §1.2: the logic gates ------------------------------------------ */
#define CH1_N_POINTS 4

/* X (4, 2): the four inputs in the notes' order (0,0), (0,1), (1,0), (1,1). */
extern const double ch1_X[CH1_N_POINTS][2];

typedef struct {
    const char *name;         /* "AND" */
    int y[CH1_N_POINTS];      /* targets for the rows of ch1_X */
} Ch1Gate;

enum { CH1_AND, CH1_OR, CH1_XOR, CH1_N_GATES };
extern const Ch1Gate ch1_gates[CH1_N_GATES];

/* The notes' train(), one epoch: the four examples in order, each a
 * ch1_train_step. Returns how many were wrong. When `path` is not NULL it
 * receives (w1, w2, b) after each example: 4 rows of 3. */
int ch1_train_epoch(Ch1Perceptron *p, const int y[CH1_N_POINTS], double *path);

/* What training one gate produced. */
typedef struct {
    int epochs;
    int *errors;          /* (epochs): examples wrong during epoch e+1 */
    double *line;         /* (epochs + 1, 3): w1, w2, b at the start (row 0) and after each epoch */
    double *path;         /* (4·epochs + 1, 3): w1, w2, b at the start and after each example */
    int predictions[CH1_N_POINTS];
    double w[2], b;       /* final weights and bias */
    int learned;          /* all four final predictions right */
    int last_error_epoch; /* 1-based epoch of the last error; 0 when there was none */
    int total_errors;     /* over all epochs */
    int fewest_errors;    /* in any one epoch */
    /* A run whose weights stopped being finite numbers (ch1_finite) stops
     * there: the epoch and the example (1..4) whose update did it, 0 when it
     * never happened. Only the epochs before it count (epochs_done); the rows
     * of line and path after it are NaN, and it has learned nothing. */
    int diverged_epoch, diverged_example;
    int epochs_done;      /* epochs, or diverged_epoch − 1 */
} Ch1GateRun;

/* Seeds rng and draws the starting weights w0 ~ N(0,1) the program uses. */
void ch1_initial_weights(Rng *rng, uint64_t seed, double w0[2]);

/* Trains a fresh perceptron from the weights w0 (bias 0) on one gate,
 * visiting the four examples in the notes' order every epoch, and stops
 * early only if the weights stop being finite (run->diverged_epoch). */
void ch1_train_gate(const double w0[2], double lr, int epochs, const int y[CH1_N_POINTS],
                    Ch1GateRun *run);
void ch1_gate_run_free(Ch1GateRun *run);

/* --- notes §2's opening: XOR oscillates for ever --------------------------- */

/* 1 when two (w1, w2, b) states are the same within 1e-9. */
int ch1_same_state(const double *a, const double *b);
/* The oscillation of a run that never settles. states (n, 3) is a sequence
 * of (w1, w2, b), e.g. run->path: from row `start` on, every row equals the
 * one `period` rows earlier (within 1e-9), and the last row repeats at
 * least two turns back. Returns 0 when there is no such cycle. */
int ch1_find_cycle(const double *states, int n, int *start, int *period);

/* The cycle a gate's run ends in, as the program reports it. */
typedef struct {
    int found;
    int from_epoch;   /* 1-based epoch in which the first turn of the cycle starts */
    int period;       /* examples per turn */
    int distinct;     /* different lines the boundary visits in one turn */
} Ch1Cycle;

Ch1Cycle ch1_gate_cycle(const Ch1GateRun *run);

/* --- slides 004, "PRACTICA": one-vs-rest on MNIST --------------------------- */
#define CH1_CLASSES 10

typedef struct {
    int n_inputs;                      /* 784 */
    double *W;                         /* W (10, 784): row k is perceptron k's weights */
    Ch1Perceptron p[CH1_CLASSES];      /* views into W, each with its own bias */
} Ch1OneVsRest;

/* Ten perceptrons with weights ~ N(0,1), bias 0, learning rate lr. */
void ch1_ovr_init(Ch1OneVsRest *m, int n_inputs, double lr, Rng *rng);
void ch1_ovr_free(Ch1OneVsRest *m);
/* z (10): every perceptron's z for the image x (784). Returns argmax z, or
 * −1 when some z is not a finite number (a sum of 785 terms can overflow
 * even when every weight is finite). */
int ch1_ovr_scores(const Ch1OneVsRest *m, const double *x, double *z);
/* One image: perceptron k learns "is it a k?" with the same rule. Returns 1
 * when the largest z (before the update) named the right digit, 0 when it
 * did not, and −1 when a z or, after the update, a weight was not a finite
 * number (the run has diverged: see ch1_finite). */
int ch1_ovr_train_step(Ch1OneVsRest *m, const double *x, int label);
/* One pass over the first n images of d, in the order `order` (n indices).
 * Returns how many images the largest z got wrong during the pass. If an
 * image's step returns −1 the pass stops there and *diverged_at is that
 * image's 1-based position in `order`; otherwise *diverged_at is 0. */
int ch1_ovr_train_epoch(Ch1OneVsRest *m, const Mnist *d, const int *order, int n,
                        int *diverged_at);
/* Predictions (largest z) for the first n images of d into pred (n);
 * returns the fraction right, or NaN when some z was not a finite number. */
double ch1_ovr_evaluate(const Ch1OneVsRest *m, const Mnist *d, int n, unsigned char *pred);

#endif
