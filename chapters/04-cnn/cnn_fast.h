/* cnn_fast.h — the network of cnn.h, made fast: the same parameters, the same
 * layers in the same order, the same numbers up to the order in which float
 * sums are rounded. tests/test_ch4_grad.c (double) and tests/test_ch4.c
 * (float) hold its logits, loss and every gradient to cnn.c's, on 1, 2 and
 * 3 threads; a short run with and without --plain gives the same losses.
 *
 * The tricks, why the numbers do not change, and what each saves — measured
 * by bench/cnn_stages.c (`make stages-chapter4`: one slice of 32 images on
 * one thread, each trick against what it replaces; bench/README.md's "Chapter 4: the same
 * network, made fast" has the table). The figures: two runs of it on
 * 2026-11-29 (AMD EPYC, 2 cores), both ends given where they differ; "per
 * epoch" is a thread's 937.5 slices of 32:
 *
 * 1. One matrix product per layer per batch (im2col, common/conv_fast.h).
 *    Every 3×3 window of every image of a slice becomes a column; conv2 is
 *    then W (64, 288) · cols (288, B·100), one cblas_sgemm. The
 *    convolutional part keeps its activations channel-major, (C, B, H, W),
 *    so each product's answer is the next layer's input as it stands; the
 *    flatten turns them into PyTorch's (B, 1600). Same sums of the same
 *    products, in another order. Saves: a step of 32 images takes
 *    4.75–4.98 ms against cnn.c's 183.8–184.0 ms with plain loops and
 *    171.6–173.4 ms with OpenBLAS for its dense layers (make
 *    stages-chapter4, "a step, 32 images").
 * 2. Pool first, then bias and ReLU. PyTorch computes pool(relu(conv + b)).
 *    A maximum commutes with anything that never decreases — adding the
 *    channel's bias, ReLU, even rounding to float:
 *        max(y + b) = max(y) + b,      max(relu(y)) = relu(max(y)),
 *    so pooling the bare convolution and adding the bias and ReLU on the
 *    pooled map gives the same values, on a map 4 times smaller: the big
 *    26×26 maps are written once (by the product) and read once (by the
 *    pooling). (Where two values of a window round to the same y + b, the
 *    gradient may go to the other one of the two: both are valid.) Saves
 *    50.7–52.4 % of pool1 with its bias and ReLU, forward and backward
 *    (0.557–0.568 → 0.265–0.280 ms), 46.7–46.9 % of pool2's (0.195–0.199 →
 *    0.104–0.106 ms): 0.27 s + 0.09 s per epoch (make stages-chapter4,
 *    "pool1/pool2 + bias + ReLU").
 * 3. conv2 computes only what pool2 reads. 11 / 2 rounds down to 5: row and
 *    column 10 of conv2's 11×11 maps never reach the output. The convolution
 *    is asked for the 10×10 corner (a smaller ho, wo; every window is still
 *    read from the 13×13 input), so its three products — forward, ∂W and
 *    ∂input, most of the arithmetic of a step — get 100 of every 121
 *    columns. Every number that reaches the loss is the same. (Whoever
 *    wants the whole 11×11 maps — feature maps, saliency, Grad-CAM — uses
 *    cnn.c on one image.) Saves 16.0–16.4 % of the forward product,
 *    16.9 % of ∂W and 18.3–19.0 % of ∂input: 0.67–0.70 s per epoch
 *    (make stages-chapter4, "conv2 forward / dW / d input").
 * 4. The 2×2 max-pool backward without jumps, 8 (or 4) windows at a time
 *    with vector compares (conv_fast.h): the winner is the first of the four
 *    values equal to the maximum, the very one conv.c's loop picks. Saves
 *    97.2 % of pool1's backward (2.918–2.950 → 0.081 ms) and 95.1–95.2 % of
 *    pool2's (0.912–0.925 → 0.044 ms) against conv.c's loops: 2.66–2.69 s
 *    + 0.81–0.83 s per epoch (make stages-chapter4, "pool1/pool2
 *    backward").
 * 5. Threads. A batch is cut into one slice per thread (OpenMP, the pattern
 *    of common/parallel.h); each thread runs the forward and backward pass
 *    of its slice with its own workspace and its own gradient array, its
 *    matrix products on its own core; each slice scales its ∂loss by
 *    slice / B, so the sum of the slices' gradients is the batch's. The
 *    gradients are then summed in a fixed order and Adam's step taken, the
 *    225 034 parameters shared out by ranges among the threads: the same
 *    bytes as optim_step on one thread. The same seed and thread count give
 *    the same bytes; another thread count cuts the batch elsewhere and
 *    rounds differently (by ~1e-7). A training step of 64 images takes
 *    5.47–5.59 ms on 2 threads against 10.79–10.94 ms on 1, 1.96–1.97 times
 *    as fast; Adam shared by 2 threads 0.025–0.027 ms against 0.042–0.043 ms
 *    on one, 37.2–39.8 % saved (make stages-chapter4, "training step, 64
 *    images" and "Adam").
 *
 * Prediction runs the forward stages in chunks of CNN_FAST_CHUNK images per
 * thread: a small workspace stays in the caches (chunks of 250 were slower
 * and took 5 times the memory).
 *
 * The stages of a slice are listed in CNN_FAST_FORWARD and
 * CNN_FAST_BACKWARD, in the order a training step runs them;
 * bench/cnn_stages.c times them one by one. */
#ifndef CH4_CNN_FAST_H
#define CH4_CNN_FAST_H

#include "cnn.h"
#include "mnist.h"
#include "optim.h"
#include "real.h"

#define CNN_FAST_CHUNK 32 /* images per thread and forward pass when predicting */

/* One thread's workspace for up to max_b images. The convolutional part is
 * CBHW: (channels, images, rows, columns). */
typedef struct {
    int max_b, with_grads;
    int *idx;               /* (max_b) the images of a prediction chunk */
    unsigned char *labels;  /* (max_b) */
    real *x;                /* (1, B, 28, 28): one channel, so CBHW = NCHW */
    real *cols1;            /* (9, B·676)   conv1's im2col, kept for its backward */
    real *y1;               /* (32, B, 26, 26) conv1 WITHOUT its bias (trick 2) */
    real *m1;               /* (32, B, 13, 13) max-pooled */
    real *p1;               /* (32, B, 13, 13) relu(m1 + b): PyTorch's pool(relu(conv1)) */
    real *cols2;            /* (288, B·100) conv2's im2col */
    real *y2;               /* (64, B, 10, 10) conv2 without its bias, the corner pool2 reads (trick 3) */
    real *m2, *p2;          /* (64, B, 5, 5) max-pooled, relu(m2 + b) */
    real *flat;             /* (B, 1600) PyTorch's flatten order */
    real *z3, *a3, *h3;     /* (B, 128) fc1, ReLU, dropout */
    real *logits, *probs;   /* (B, 10) */
    /* gradients (with_grads) */
    real *d_logits, *d_h3, *d_a3, *d_z3, *d_flat, *d_p2, *d_y2, *d_p1, *d_y1, *d_cols2;
} CnnFastWork;

typedef struct {
    int threads;
    CnnFastWork *work;  /* (threads) */
    real **grads;       /* (threads) each thread's gradient array; [0] unused: thread 0 writes into the net's own */
    real **others;      /* the arrays of the slices that have images, but the first */
    double *loss;       /* (threads) each slice's share of the batch's mean loss */
} CnnFast;

/* For `threads` threads sharing batches of up to max_images images (each
 * workspace holds ceil(max_images / threads)); with_grads for training. */
void cnn_fast_init(CnnFast *f, const CnnNet *net, int threads, int max_images, int with_grads);
void cnn_fast_free(CnnFast *f);

/* One training step on the images idx[0..B-1] of m (labels from m): forward,
 * loss, backward on the threads, the batch's gradient left in net->p.grads,
 * then opt's step on net's parameters (opt NULL: gradients only). Returns
 * the batch's mean loss. dropout_mask (B, 128) or NULL. */
double cnn_fast_step(CnnFast *f, CnnNet *net, const Mnist *m, const int *idx, int B,
                     const real *dropout_mask, Optimizer *opt);

/* The logits (n, 10) of the images first .. first + n − 1 of m, or their
 * predicted classes: the images shared out among the threads, in chunks of
 * each workspace's size. */
void cnn_fast_logits(CnnFast *f, const CnnNet *net, const Mnist *m, int first, int n,
                     real *logits);
void cnn_fast_predict(CnnFast *f, const CnnNet *net, const Mnist *m, int first, int n,
                      unsigned char *pred);

/* --- the stages of one slice (for bench/cnn_stages.c) ---------------------- */
typedef struct {
    const CnnNet *net;  /* the parameter values */
    CnnTensors grad;    /* where this slice's gradients go */
    CnnFastWork *w;
    int b;              /* images in the slice */
    real share;         /* b / B: the slice's part of the batch's mean */
    const real *mask;   /* dropout (b, 128), or NULL */
    double loss;        /* the slice's share of the batch's loss (after the loss stage) */
} CnnFastSlice;

typedef struct {
    const char *name;
    void (*run)(CnnFastSlice *s);
} CnnFastStage;

/* In order; each list ends with {NULL, NULL}. Prediction runs the forward
 * list; training the forward list, then the backward list (which starts
 * with the loss). */
extern const CnnFastStage CNN_FAST_FORWARD[];
extern const CnnFastStage CNN_FAST_BACKWARD[];

/* Slice k of a batch of B: the images idx[0..b-1] of m gathered into
 * thread k's workspace, its gradient array zeroed. */
CnnFastSlice cnn_fast_slice(CnnFast *f, int k, const CnnNet *net, const Mnist *m,
                            const int *idx, int b, int B, const real *dropout_mask);

#endif
