/* nn.h — the layers of the MNIST networks (chapters 3–4), each a pair of
 * plain functions, forward and backward, in the style of llm.c.
 *
 * What this is: batched float layers (double under -DREAL_F64, for the
 * gradient checks), written so the arithmetic is visible, with the big
 * products going through gemm(). What it is not: an autodiff engine. The
 * chapter program calls the backward functions itself, in reverse order,
 * exactly as the notes write the deltas (notes §3.3).
 *
 * Conventions
 *   - B is the batch size; every activation is row-major (B, features), one
 *     image per row, as the notes write X [batch × 784].
 *   - A dense layer's weight W is stored (out, in), the layout of PyTorch's
 *     nn.Linear (fc1.weight is (128, 784)), so a model saves to safetensors
 *     without transposing. The notes write Z = X·W with W (in, out); our W is
 *     that matrix transposed, so we compute Z = X·Wᵀ + b. Same numbers.
 *   - Backward passes ACCUMULATE with +=, into gradients that the caller
 *     zeroes once per step (params_zero_grads, or memset on activations).
 *     A NULL input gradient means "not needed" (the first layer's dX).
 *   - The one product here, gemm(), is OpenBLAS's sgemm or, under the
 *     chapters' --plain, a triple loop (gemm.h); a test holds them to the
 *     same answer. */
#ifndef NN_H
#define NN_H

#include <stddef.h>
#include "real.h"
#include "rng.h"

/* --- all parameters in one allocation ----------------------------------- */
/* Values in one array, gradients in another of the same length, with named
 * pointers into both; the optimiser is then one flat loop over `n`. */
typedef struct {
    size_t n, used;  /* capacity and how much params_take() handed out */
    real *values;    /* (n) */
    real *grads;     /* (n) */
} Params;

void params_init(Params *p, size_t n);          /* both arrays zeroed */
/* The next `count` values; *grad receives the matching gradient slice. Dies
 * if the store would overflow (a miscounted layer). */
real *params_take(Params *p, size_t count, real **grad);
void params_zero_grads(Params *p);
void params_free(Params *p);

/* --- initialisation (notes §3.4) ---------------------------------------- */
/* Glorot/Xavier uniform: U(−a, a) with a = √(6 / (fan_in + fan_out)); keeps
 * the variance of the activations and of the gradients about the same from
 * layer to layer. W (fan_out, fan_in). */
void init_glorot_uniform(real *W, int fan_in, int fan_out, Rng *rng);
/* PyTorch's nn.Linear default (Kaiming-uniform with a = √5):
 * U(−1/√fan_in, 1/√fan_in), for weights and biases alike. */
void init_pytorch_linear(real *W, size_t count, int fan_in, Rng *rng);

/* --- dense (fully connected) -------------------------------------------- */
/* y (B,out) = x (B,in) · Wᵀ + b;  W (out,in), b (out). */
void dense_forward(real *y, const real *x, const real *W, const real *b,
                   int B, int in, int out);
/* Given dy (B,out):
 *   dW (out,in) += dyᵀ (out,B) · x (B,in)
 *   db (out)    += Σ_batch dy
 *   dx (B,in)   += dy (B,out) · W (out,in)      (skipped when dx is NULL) */
void dense_backward(real *dx, real *dW, real *db, const real *dy, const real *x,
                    const real *W, int B, int in, int out);
/* --- activations ---------------------------------------------------------- */
/* In activations.h: the table (ReLU, sigmoid, ...) with a batched forward
 * and backward for each (activation_forward, activation_backward). */

/* --- softmax, log-softmax, cross-entropy (notes §3.2) ---------------------- */
/* probs (B,C) = softmax(logits (B,C)) row by row: ŷ_c = e^z_c / Σ_k e^z_k. */
void softmax_rows(real *probs, const real *logits, int B, int C);
/* logp (B,C) = ln softmax(logits) row by row (PyTorch's F.log_softmax). */
void log_softmax_rows(real *logp, const real *logits, int B, int C);
/* L = −ln ŷ_label for one row of probabilities (the notes' definition, for
 * the worked example; a probability of 0 is taken as 1e-12: L stays finite). */
double cross_entropy(const real *probs, int label);
/* probs (B,C) = softmax(logits) row by row; returns the MEAN over the batch
 * of −ln probs[label] (what nn.NLLLoss after LogSoftmax gives), taken in
 * the log-softmax form z_label − max − ln Σ e^(z − max), which never sees
 * ln 0. */
double softmax_cross_entropy_forward(real *probs, const real *logits,
                                     const unsigned char *labels, int B, int C);
/* dlogits (B,C) += (ŷ − y) / B: the notes' "prediction − truth", divided by B
 * because the loss is a batch mean. */
void softmax_cross_entropy_backward(real *dlogits, const real *probs,
                                    const unsigned char *labels, int B, int C);

/* --- squared error (seed 003's network) ---------------------------------- */
/* Returns ½ Σ_batch Σ_c (a − y)² / B, y one-hot of the label. */
double squared_error_forward(const real *a, const unsigned char *labels, int B, int C);
/* da (B,C) += scale · (a − y). scale = 1/B for the gradient of the mean
 * above; scale = 1 is the gradient SUMMED over the batch (what 003 did). */
void squared_error_backward(real *da, const real *a, const unsigned char *labels,
                            int B, int C, real scale);

/* --- dropout (notes §3.3), inverted -------------------------------------- */
/* mask[i] = 0 with probability p, otherwise 1/(1 − p), so the expected value
 * of every activation is unchanged and evaluation needs no rescaling. */
void dropout_make_mask(real *mask, size_t n, real p, Rng *rng);
/* y = x ⊙ mask. */
void dropout_forward(real *y, const real *x, const real *mask, size_t n);
/* dx += dy ⊙ mask. */
void dropout_backward(real *dx, const real *dy, const real *mask, size_t n);

/* --- L2 regularisation (notes §3.3) -------------------------------------- */
/* Returns (λ/2) Σ w²; its gradient is λ·w (weight decay). */
double l2_penalty(const real *w, size_t n, real lambda);
/* dw += λ · w. */
void l2_backward(real *dw, const real *w, size_t n, real lambda);

/* --- optimisers ------------------------------------------------------------ */
/* In optim.h: SGD and Adam, by name, each a step over a range of parameters. */

/* --- small helpers -------------------------------------------------------- */
/* Index of the largest of the n values (the first one on ties). */
int argmax_real(const real *v, int n);

#endif
