/* cnn.h — the functions of chapter 4's program (cnn.c) that the tests link
 * (tests/test_ch4*.c, built with -DNO_MAIN, and with -DREAL_F64 for the
 * gradient checks).
 *
 * The network of notes §4, exactly as its PyTorch NetCNN:
 *
 *   x (B, 1, 28, 28)
 *   conv1 1→32, 3×3      (B, 32, 26, 26)    28 − 3 + 1 = 26
 *   ReLU, max-pool 2×2   (B, 32, 13, 13)    26 / 2 = 13
 *   conv2 32→64, 3×3     (B, 64, 11, 11)    13 − 3 + 1 = 11
 *   ReLU, max-pool 2×2   (B, 64, 5, 5)      11 / 2 = 5.5 → 5 (rounded down)
 *   flatten              (B, 1600)          64·5·5, channel after channel (C×H×W)
 *   fc1 1600→128, ReLU   (B, 128)           [dropout here when asked]
 *   fc2 128→10           (B, 10)            log-softmax, NLL loss
 *
 * Inside, the convolutional part keeps its activations channel-major
 * (C, B, H, W) so each convolution is ONE matrix product for the whole batch
 * (see conv.h); the flatten step turns them back into PyTorch's order. */
#ifndef CH4_CNN_H
#define CH4_CNN_H

#include "conv.h"
#include "nn.h"
#include "real.h"
#include "rng.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#define CH4_SIDE 28
#define CH4_PIXELS 784
#define CH4_C1 32
#define CH4_C2 64
#define CH4_HIDDEN 128
#define CH4_CLASSES 10
#define CH4_FLAT 1600 /* 64 · 5 · 5 (the notes' "5564", errata) */

/* All parameters in one Params store (nn.h), named as PyTorch's state_dict. */
typedef struct {
    Params p;
    real *conv1_w, *conv1_b;  /* (32, 1, 3, 3), (32) */
    real *conv2_w, *conv2_b;  /* (64, 32, 3, 3), (64) */
    real *fc1_w, *fc1_b;      /* (128, 1600), (128) */
    real *fc2_w, *fc2_b;      /* (10, 128), (10) */
    real *g_conv1_w, *g_conv1_b, *g_conv2_w, *g_conv2_b;
    real *g_fc1_w, *g_fc1_b, *g_fc2_w, *g_fc2_b;
} Ch4Net;

/* Allocates the store (225 034 values) and draws PyTorch's default
 * initialisation: every weight and bias of a layer U(−1/√fan_in, 1/√fan_in),
 * fan_in = 9, 288, 1600, 128 (Kaiming-uniform with a = √5). */
void ch4_net_init(Ch4Net *net, Rng *rng);
void ch4_net_free(Ch4Net *net);

/* Activations and workspace for batches of up to max_b images. */
typedef struct {
    int max_b, with_grads;
    int full_maps;      /* 0 (ch4_work_init's default): y2 (64, B, 10, 10), only the
                           part pool2 reads; 1: y2 (64, B, 11, 11), the whole maps
                           (to look at them; Grad-CAM sets it itself) */
    real *x;            /* (B, 784) = (1, B, 28, 28): one channel, so CBHW = NCHW */
    real *cols;         /* im2col workspace, big enough for conv1 and conv2 */
    real *cols1;        /* conv1's im2col (9, B·676), kept for its backward */
    real *y1;           /* (32, B, 26, 26) conv1 WITHOUT its bias (see cnn.c, bias_relu) */
    real *m1;           /* (32, B, 13, 13) max-pooled */
    real *p1;           /* (32, B, 13, 13) relu(m1 + bias): PyTorch's pool(relu(conv1)) */
    real *y2;           /* (64, B, 10, 10) or (64, B, 11, 11) conv2 without its bias */
    real *m2;           /* (64, B, 5, 5) max-pooled */
    real *p2;           /* (64, B, 5, 5) relu(m2 + bias) */
    real *flat;         /* (B, 1600) PyTorch's flatten order */
    real *z3, *h3;      /* (B, 128) fc1 before / after ReLU (and dropout) */
    real *h3_relu;      /* (B, 128) after ReLU, before dropout */
    real *mask;         /* (B, 128) dropout mask (NULL pointer in use = no dropout) */
    real *logits;       /* (B, 10) */
    real *probs;        /* (B, 10) softmax, for the loss's gradient */
    /* gradients (with_grads) */
    real *dlogits, *dh3, *dh3_relu, *dz3, *dflat, *dp2, *dy2, *dp1, *dy1, *dcols;
} Ch4Work;

void ch4_work_init(Ch4Work *w, int max_b, int with_grads);
void ch4_work_free(Ch4Work *w);

/* Forward pass of B images already in w->x. `dropout_mask` (B, 128) or NULL.
 * Leaves logits in w->logits and every intermediate in w. */
void ch4_forward(const Ch4Net *net, Ch4Work *w, int B, const real *dropout_mask);

/* Mean NLL of log-softmax(logits) for the labels (fills w->probs). */
double ch4_loss(Ch4Work *w, int B, const unsigned char *labels);

/* Backward pass from dlogits (B, 10) already in w->dlogits. Gradients of the
 * parameters are ADDED to net->g_* (zero them first). When dx is not NULL,
 * dx (B, 784) += ∂/∂image (for saliency); when dA2 is not NULL it receives
 * (=, not +=) the gradient at conv2's ReLU output (64, B, 11, 11), for
 * Grad-CAM. `dropout_mask` must be the forward's. */
void ch4_backward(Ch4Net *net, Ch4Work *w, int B, const real *dropout_mask, real *dx,
                  real *dA2);

/* One training step on B images in w->x: forward, loss, backward; returns the
 * batch's mean loss. The caller runs the optimiser on net->p. */
double ch4_train_step(Ch4Net *net, Ch4Work *w, int B, const unsigned char *labels,
                      const real *dropout_mask);

/* --- two cores, one batch ------------------------------------------------ */
/* Data parallelism: the batch is cut into `threads` slices, each thread runs
 * the forward and backward passes of its slice with its own workspace and
 * its own gradient array (OpenBLAS then runs single-threaded inside each),
 * and the gradients are added up. Each slice scales its loss gradient by
 * slice/B, so the sum is exactly the gradient of the whole batch's mean loss.
 * Everything, not only the matrix products, then runs on both cores. */
#define CH4_MAX_THREADS 8
typedef struct Ch4Team Ch4Team;
typedef struct {
    Ch4Team *team;
    int k;
} Ch4Worker;
struct Ch4Team {
    int threads;
    Ch4Net view[CH4_MAX_THREADS];  /* the net's values; view[0] also its gradients */
    Ch4Work work[CH4_MAX_THREADS];
    /* Threads 1.. live as long as the team. Between rounds they wait
     * spinning for up to 2 ms (a training step lasts ~5 ms, and starting a
     * thread, or waking a sleeping one, each step cost ~0.5 s per epoch
     * here), then sleep on `wake` so an idle team leaves the cores alone. */
    pthread_t tid[CH4_MAX_THREADS];
    Ch4Worker arg[CH4_MAX_THREADS];
    void *(*fn)(void *);           /* this round's work, on job[k] for thread k */
    void *job;
    size_t job_size;
    atomic_int round, done, stop, sleepers;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int blas_threads;              /* OpenBLAS's own thread count, given back at the end */
};

/* max_b: the largest batch the team will be given (each slice gets a part). */
void ch4_team_init(Ch4Team *t, Ch4Net *net, int threads, int max_b, int with_grads);
void ch4_team_free(Ch4Team *t);
/* One training step on the images idx[0..B-1] of `pixels` with `labels`
 * (B of them, in batch order). Leaves the batch's gradient in net->p.grads
 * and returns its mean loss. */
double ch4_team_step(Ch4Team *t, Ch4Net *net, const unsigned char *pixels, const int *idx,
                     const unsigned char *labels, int B, const real *dropout_mask);
/* ch4_team_step followed by adam_step (nn.h) on net's parameters, with the
 * gradient sum and the Adam update also shared out among the threads (each
 * takes a range of the parameters): the same numbers, and the second core
 * no longer waits while one thread updates 225 034 values. */
double ch4_team_step_adam(Ch4Team *t, Ch4Net *net, const unsigned char *pixels,
                          const int *idx, const unsigned char *labels, int B,
                          const real *dropout_mask, Adam *adam);
/* Predictions for n images, the images shared out among the threads. */
void ch4_team_predict(Ch4Team *t, const unsigned char *pixels, int n, unsigned char *pred);

/* log-softmax of one row of n logits (log-probabilities, for printing). */
void ch4_log_softmax(real *out, const real *logits, int n);

/* Predicted classes of n images (u8 pixels, 784 each), in chunks of
 * w->max_b. */
void ch4_predict(const Ch4Net *net, Ch4Work *w, const unsigned char *pixels, int n,
                 unsigned char *pred);

/* Pixels / 255 into w->x for the images idx[0..B-1] (idx NULL: the first B). */
void ch4_load_batch(Ch4Work *w, const unsigned char *pixels, const int *idx, int B);

/* safetensors with PyTorch's names and shapes (conv1.weight (32, 1, 3, 3), …). */
void ch4_save(const Ch4Net *net, const char *path);
int ch4_load(Ch4Net *net, const char *path, char *err, size_t errlen);

/* Saliency |∂S_c/∂I| (Simonyan et al., 002 §4.2) of one image (784 values in
 * w->x[0..783]) for class c, S_c the class score (the logit, before the
 * softmax). Writes 784 values into sal. Uses w (max_b ≥ 1, with grads) and
 * clobbers net's gradients. Also returns the signed gradient in grad when
 * not NULL. */
void ch4_saliency(Ch4Net *net, Ch4Work *w, int c, real *sal, real *grad);

/* Grad-CAM (Selvaraju et al., 002 §4.2) of the image in w->x for class c:
 * α_k = mean over the 11×11 map of ∂S_c/∂A_k (A = conv2's ReLU output),
 * cam = ReLU(Σ_k α_k A_k) (11 × 11), then stretched to 28 × 28 (bilinear,
 * each conv2 output sitting at the centre of its receptive field, input
 * pixel 2q + 3.5). Writes cam11 (121) and cam28 (784). */
void ch4_gradcam(Ch4Net *net, Ch4Work *w, int c, real *cam11, real *cam28);

/* 1-D examples of 002 Fig 3.3: out[i] = Σ_j f[i + j]·g[j] (cross-correlation,
 * what CNN layers compute) or, with flip, Σ_j f[i + j]·g[ng − 1 − j] (true
 * convolution: the filter reversed). "Valid": nf − ng + 1 outputs. */
int ch4_conv1d(double *out, const double *f, int nf, const double *g, int ng, int flip);

/* Sobel filters (002 Fig 3.4). SOBEL_X differentiates along x (left to
 * right), so it lights up where brightness changes from column to column:
 * VERTICAL edges. SOBEL_Y differentiates along y: horizontal edges. */
extern const double CH4_SOBEL_X[9], CH4_SOBEL_Y[9];
/* One 3×3 filter over an h × w image with padding 1 (same size out). */
void ch4_filter3x3(double *out, const double *img, int h, int w, const double *filter);

/* Notes Fig 4: the response of one 3×3 filter on one 3×3 patch. */
double ch4_fig4_response(const double patch[9], const double filter[9]);

#endif
