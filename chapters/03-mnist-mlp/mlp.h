/* mlp.h — chapter 3's own pieces, shared by its files (notebook order):
 *
 *     data.c      the MNIST files as bytes, batches as floats     notes §3
 *     net.c       the network, forward and backward by hand        notes §3.3–3.4
 *     main.c      main(): the sections in the order of the notes
 *     studies.c   optimisers, overfitting, vanishing gradient, seed 003
 *     pictures.c  metrics and the image grids
 *
 * Everything here is prefixed ch3_ so it cannot clash with common/. The
 * network is generic (any number of dense layers, ReLU or sigmoid, softmax +
 * cross-entropy or sigmoid + squared error) because the chapter trains six
 * of them; the default is the notes' 784–128–64–10. */
#ifndef CH3_MLP_H
#define CH3_MLP_H

#include <stdint.h>

#include "json.h"
#include "mnist.h"
#include "nn.h"
#include "progress.h"
#include "real.h"
#include "rng.h"

/* --- data (data.c) ----------------------------------------------------------- */

typedef Mnist Ch3Data;   /* common/mnist.h */

#define CH3_PIXELS 784
#define CH3_CLASSES 10

/* Reads "<dir>/<split>-{images,labels}-…" (plain or .gz). -1 and one line in
 * err when a file is missing or bad (a missing one says "run 'make data'"). */
int ch3_data_read(const char *dir, const char *split, Ch3Data *d, char *err, size_t errlen);
void ch3_data_load(const char *dir, const char *split, Ch3Data *d); /* dies instead */
void ch3_data_free(Ch3Data *d);
/* Keeps only the first n images (the --train-limit of the tests). */
void ch3_data_limit(Ch3Data *d, int n);

/* x (B, 784) = pixels / 255 and y (B) for the images idx[0..B-1] (notes §3:
 * each image flattened row after row). */
void ch3_gather(real *x, unsigned char *y, const Ch3Data *d, const int *idx, int B);

/* --- the network (net.c) -------------------------------------------------------- */

#define CH3_MAX_LAYERS 8

typedef enum { CH3_RELU, CH3_SIGMOID } Ch3Act;
typedef enum {
    CH3_SOFTMAX_CE,    /* softmax + cross-entropy, mean over the batch (§3.2) */
    CH3_SIGMOID_SE     /* sigmoid outputs + squared error Σ(a − y)² (seed 003) */
} Ch3Head;
typedef enum {
    CH3_INIT_GLOROT,   /* U(±√(6/(in+out))), biases 0 — our default (§3.4) */
    CH3_INIT_PYTORCH,  /* U(±1/√in) for weights and biases: nn.Linear's default */
    CH3_INIT_HALF      /* U(−0.5, 0.5) for weights and biases: seed 003 */
} Ch3Init;

typedef struct {
    int nlayers;                     /* dense layers (hidden + output) */
    int sizes[CH3_MAX_LAYERS + 1];   /* 784, 128, 64, 10 */
    Ch3Act act;                      /* of the hidden layers */
    Ch3Head head;
    real dropout;                    /* on every hidden activation while training */
    real l2;                         /* λ of the L2 term on the weights (not biases) */
    int sum_over_batch;              /* seed 003: gradient summed, not averaged */
    int bmax;                        /* largest batch the buffers hold */

    Params p;                        /* every W and b in one array, grads in another */
    real *W[CH3_MAX_LAYERS], *b[CH3_MAX_LAYERS];     /* W[l] (out, in), b[l] (out) */
    real *dW[CH3_MAX_LAYERS], *db[CH3_MAX_LAYERS];

    /* Activations, (bmax, sizes[l+1]) each, in one allocation. */
    real *z[CH3_MAX_LAYERS];         /* Z_{l+1} = A_l·W_{l+1}ᵀ + b (pre-activation) */
    real *a[CH3_MAX_LAYERS];         /* A_{l+1} = f(Z_{l+1}); last one = ŷ */
    real *mask[CH3_MAX_LAYERS];      /* dropout masks of the hidden layers */
    real *dz[CH3_MAX_LAYERS], *da[CH3_MAX_LAYERS];
    real *arena;
    real *x;                         /* (bmax, 784) the batch being trained */
    unsigned char *y;                /* (bmax) */

    /* Speed only (team.c): how many threads share each batch — CH3_THREADS
     * from ch3_net_init, 1 for the plain loop — and their state. */
    int threads;
    struct Ch3Team *team;
    int masks_ready;                 /* dropout masks drawn already (team.c) */
} Ch3Net;

#define CH3_THREADS 2

/* sizes has nlayers + 1 entries. */
void ch3_net_init(Ch3Net *n, int nlayers, const int *sizes, Ch3Act act, Ch3Head head,
                  Ch3Init init, int bmax, Rng *rng);
void ch3_net_free(Ch3Net *n);
/* "784–128–64–10" into buf. */
const char *ch3_net_shape(const Ch3Net *n, char *buf, size_t len);

/* Forward pass over x (B, 784). Returns the batch's data loss (mean over the
 * batch; without the L2 term). labels may be NULL (inference: returns 0).
 * train = 1 applies dropout with fresh masks from rng. */
double ch3_forward(Ch3Net *n, const real *x, const unsigned char *labels, int B,
                   int train, Rng *rng);
/* Backward pass after ch3_forward(train = 1): fills n->p.grads (zeroed here
 * first) with ∂loss/∂θ, the L2 term included. */
void ch3_backward(Ch3Net *n, const real *x, const unsigned char *labels, int B);
/* The same for rows that are part of a larger batch: the gradient is of the
 * mean over `mean_over` images (the whole batch), ADDED over these B rows,
 * and the L2 term is added only when with_l2 (by one part of the batch). */
void ch3_backward_rows(Ch3Net *n, const real *x, const unsigned char *labels, int B,
                       int mean_over, int with_l2);
/* (λ/2) Σ W² over every weight matrix. */
double ch3_l2_loss(const Ch3Net *n);

/* The optimiser of a run: Adam or plain SGD on the flat parameter array. */
typedef struct {
    int adam;        /* 1 Adam, 0 SGD */
    double lr;
    Adam state;
} Ch3Opt;

void ch3_opt_init(Ch3Opt *o, const char *name, double lr, const Ch3Net *n);
void ch3_opt_step(Ch3Opt *o, Ch3Net *n);
/* The step on the parameters [p0, p1) only, without counting it (Adam's t);
 * ch3_opt_count_step() counts it once all the ranges are done. */
void ch3_opt_step_range(Ch3Opt *o, Ch3Net *n, size_t p0, size_t p1);
void ch3_opt_count_step(Ch3Opt *o);
void ch3_opt_free(Ch3Opt *o);

/* One epoch over the images order[0..count-1] of d, in batches of `batch`
 * (the last one smaller when count is not a multiple). Returns the mean batch
 * loss ("Época N - Error"), NaN as soon as a batch loss is not finite.
 * batch_loss (may be NULL) gets each batch's loss. */
double ch3_train_epoch(Ch3Net *n, Ch3Opt *o, const Ch3Data *d, const int *order, int count,
                       int batch, Rng *rng, int epoch, int epochs, float *batch_loss);

/* Predictions for the images order[0..count-1] (NULL order: the first count),
 * in batches of up to bmax (1000 for the chapter's nets). pred may be NULL.
 * Returns the accuracy; *mean_loss (may be NULL: then no softmax is taken,
 * the guess is the largest logit) gets the mean data loss. */
double ch3_evaluate(Ch3Net *n, const Ch3Data *d, const int *order, int count,
                    unsigned char *pred, double *mean_loss);

/* The loss (summed; 0 unless with_loss) of the images idx[0..B-1]; adds the
 * number guessed right to *correct and writes the guesses to pred (may be
 * NULL). */
double ch3_evaluate_rows(Ch3Net *n, const Ch3Data *d, const int *idx, int B,
                         unsigned char *pred, long *correct, int with_loss);

/* --- two threads per batch (team.c) ------------------------------------------------- */
/* One epoch as ch3_train_epoch, each batch shared by n->threads = 2 threads.
 * Returns 0 without doing anything when the one-thread loop must run (one
 * thread, tiny batches); otherwise 1, *mean_loss = the epoch's
 * mean batch loss or NaN. */
int ch3_team_train_epoch(Ch3Net *n, Ch3Opt *o, const Ch3Data *d, const int *order,
                         int count, int batch, Rng *rng, float *batch_loss, Progress *bar,
                         double *mean_loss);
/* ch3_evaluate's loop over idx[0..count-1], batches shared by two threads.
 * Returns -1 when it did not run (one thread). */
int ch3_team_evaluate(Ch3Net *n, const Ch3Data *d, const int *idx, int count,
                      unsigned char *pred, int with_loss, long *correct, double *loss);
void ch3_team_free(Ch3Net *n);
/* OpenBLAS on one thread from now on (the teams split the work instead). */
void ch3_blas_one_thread(void);

/* --- the sections (studies.c, pictures.c) ---------------------------------------- */

typedef struct {
    const char *out;
    const char *data;
    uint64_t seed;
    int epochs, batch;
    int quick;                       /* shorter studies, for the tests */
    int overfit_epochs;
    double dropout, l2;
    int nlayers;                     /* the main network: 3 ... */
    int sizes[CH3_MAX_LAYERS + 1];   /* ... 784, 128, 64, 10 */
    int nlr, nopt;
    double lr[8];
    const char *opt[4];
    int main_opt, main_lr;           /* the pair the main network trains with */
} Ch3Config;

/* §3.5 exercise 3 and --lr/--opt: every (optimiser, rate) on the default net,
 * plus the 4-layer net with SGD and with Adam. `first_curve` is the main run's
 * per-batch losses (reused for the first setting, which it is). */
void ch3_study_optimisers(const Ch3Config *c, const Ch3Data *train, const Ch3Data *test,
                          const float *first_curve, int first_len, Json *j);
void ch3_study_overfitting(const Ch3Config *c, const Ch3Data *train, const Ch3Data *test,
                           Json *j);
void ch3_study_vanishing(const Ch3Config *c, const Ch3Data *train, Json *j);
void ch3_study_seed003(const Ch3Config *c, const Ch3Data *train, const Ch3Data *test,
                       Json *j);

/* Metrics of a trained model's predictions on the test set, tables and CSVs. */
void ch3_metrics(const char *out, const Ch3Data *test, const unsigned char *pred, Json *j);
/* The grids: samples, misclassified, first-layer weights, hits on the first 500. */
void ch3_pictures(const char *out, Ch3Net *n, const Ch3Data *train, const Ch3Data *test,
                  const unsigned char *pred, Json *j);

/* Mean of every `every` values of a per-batch curve: the "running_loss" points
 * of the loss-curve figures. Returns how many points it wrote. */
int ch3_smooth(const float *v, int n, int every, double *out);
#define CH3_CURVE_EVERY 50

#endif
