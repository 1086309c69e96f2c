/* xor_mlp.h — the pieces of chapter 2's XOR network that main() strings
 * together and the tests reach into (tests/test_ch2.c).
 *
 * Shapes are (rows, cols) as in the notes §2.2: the 4 examples are the rows,
 * H is the number of hidden neurons (2 in the notes, 3 with --hidden 3). */
#ifndef CH2_XOR_MLP_H
#define CH2_XOR_MLP_H

#include <stddef.h>
#include <stdint.h>
#include "json.h"
#include "mat.h"
#include "rng.h"

#define CH2_MAX_HIDDEN 16
#define CH2_CONVERGED_MSE 0.01   /* "converged" = MSE below this (CHAPTERS.md) */

typedef enum { CH2_INIT_NORMAL, CH2_INIT_GLOROT } Ch2Init;

/* The parameters, all in one allocation (`params`, n_params doubles) so that a
 * gradient check or a copy is one loop; W1, b1, W2, b2 are views into it. */
typedef struct {
    int hidden;        /* H */
    int n_params;      /* 2H + H + H + 1 */
    double *params;
    Mat W1;            /* (2, H)  column j holds the two weights into hidden neuron j */
    Mat b1;            /* (1, H) */
    Mat W2;            /* (H, 1) */
    Mat b2;            /* (1, 1) */
} Ch2Net;

/* Everything one pass of the notes' loop computes, under the notes' names. */
typedef struct {
    /* forward pass, notes §2.2.1 */
    Mat hidden_layer_input;   /* Z1 (4, H) = X·W1 + b1 */
    Mat hidden_layer_output;  /* A1 (4, H) = σ(Z1) */
    Mat output_layer_input;   /* Z2 (4, 1) = A1·W2 + b2 */
    Mat predicted_output;     /* A2 = ŷ (4, 1) = σ(Z2) */
    /* backpropagation, notes §2.2.2 */
    Mat error;                /* (4, 1) y − A2 */
    Mat d_predicted_output;   /* δ_out (4, 1) = (y − A2) ⊙ σ'(Z2) */
    Mat error_hidden_layer;   /* E_hidden (4, H) = δ_out · W2ᵀ */
    Mat d_hidden_layer;       /* δ_hidden (4, H) = E_hidden ⊙ σ'(Z1) */
    /* the directions the update moves in, notes §2.2.3 (ΔW = η · step):
     * one allocation, laid out exactly like Ch2Net.params */
    double *steps;
    Mat step_W1;              /* (2, H) Xᵀ · δ_hidden */
    Mat step_b1;              /* (1, H) column sums of δ_hidden */
    Mat step_W2;              /* (H, 1) A1ᵀ · δ_out */
    Mat step_b2;              /* (1, 1) column sum of δ_out */
    Mat scratch;              /* (4, H) room for σ'(·) */
} Ch2Pass;

/* What one training run ended with. */
typedef struct {
    double final_mse;      /* MSE of the trained net (NaN if it diverged) */
    int converged_epoch;   /* first epoch with MSE < 0.01, or 0 if none */
    int diverged_epoch;    /* first epoch whose MSE or weights were not finite, or 0;
                              an epoch is one batch, the 4 examples at once */
} Ch2Result;

/* notes §2.2: X (4, 2) and y (4, 1) of XOR. */
void ch2_xor_data(Mat *X, Mat *y);

void ch2_net_new(Ch2Net *net, int hidden);
void ch2_net_free(Ch2Net *net);
void ch2_net_copy(Ch2Net *dst, const Ch2Net *src);
/* N(0,1) weights (the notes) or Glorot-uniform weights; biases 0. */
void ch2_net_init(Ch2Net *net, Ch2Init init, Rng *rng);

void ch2_pass_new(Ch2Pass *p, int hidden);
void ch2_pass_free(Ch2Pass *p);

void ch2_forward(const Ch2Net *net, Mat X, Ch2Pass *p);
/* Needs p filled by ch2_forward. Writes the deltas and the four steps:
 * step = −∂E/∂θ with E = ½ Σ (y − ŷ)² over the 4 examples. */
void ch2_backward(const Ch2Net *net, Mat X, Mat y, Ch2Pass *p);
/* θ += rate · step for every parameter. */
void ch2_update(Ch2Net *net, const Ch2Pass *p, double rate);

/* The loss the notes' update descends: ½ Σ (y − ŷ)² (= 2·MSE for 4 examples). */
double ch2_half_sse(const Ch2Net *net, Mat X, Mat y);
/* The loss the notes print: MSE = mean (y − ŷ)². */
double ch2_mse(const Ch2Net *net, Mat X, Mat y);

/* One epoch: forward, backward, update. Returns the MSE of the forward pass
 * (the net as it was at the start of the epoch). `average` scales the step by
 * 2/n so that it descends the MSE itself instead of ½ Σ (y − ŷ)². */
double ch2_train_epoch(Ch2Net *net, Ch2Pass *p, Mat X, Mat y, double learning_rate,
                       int average);

/* `epochs` epochs; the MSE of each into curve[0..epochs-1] when not NULL (NaN
 * after the epoch a run diverges on, and on it if its MSE was not finite). */
Ch2Result ch2_train(Ch2Net *net, Mat X, Mat y, double learning_rate, int epochs,
                    int average, double *curve);

/* --- notes §2.3: the learning-rate comparison as files (rates.c) ---------- */

/* One learning rate's run. */
typedef struct {
    double lr;
    Ch2Result result;
    int mse_increases;   /* epochs whose MSE went up: how much the curve "jumps" */
    double *curve;       /* MSE per epoch (epochs), NaN after a divergence */
} Ch2RateRun;

/* errores_tasas.csv (epoch, then eta=<η> per rate: Fig 2's curves, empty
 * cells after a divergence), and, when some rate diverged,
 * errores_tasas_fin.csv (rate 1..n — the curve's colour —, eta, epoch, mse):
 * the last finite point of each diverged curve, which the figure marks;
 * otherwise no such file (an earlier run's is removed). */
void ch2_write_rate_curves(const char *dir, const Ch2RateRun *runs, int n_rates, int epochs);
/* The one line that says a rate diverged, without the newline: its η, its
 * epoch and its batch (one a epoch: the 4 examples at once). */
void ch2_divergence_line(char *buf, size_t len, const Ch2RateRun *r);
/* A rate's object in summary.json's "runs". */
void ch2_json_rate_run(Json *j, const Ch2RateRun *r);

#endif
