/* mlp.h — chapter 3's own pieces, shared by its files (in the notebook's order):
 *
 *     main.c      main(): the chapter's table of contents, the sections in the notes' order
 *     mlp.c       THE network, as notes §3.3–3.4 write it: forward, loss, backward,
 *                 one batch's step (zero_grad … optimizer.step()), the epoch loop
 *     mlp_fast.c  the same step, made fast: the batch cut in slices over threads
 *     resume.c    between batches: Ctrl-C, the main run's checkpoint, --resume
 *     studies.c   §3.1 vanishing gradient, §3.3 overfitting, §3.5 ex. 3, seed 003
 *     pictures.c  the metrics of thesis 002 §5.2 and the image grids
 *     summary.c   summary.json, written once from the sections' results
 *
 * Everything here is prefixed ch3_ so it cannot clash with common/. The
 * network is generic (any number of dense layers, any trainable activation of
 * common/activations.h, softmax + cross-entropy or sigmoid + squared error)
 * because the chapter trains several of them; the default is the notes'
 * 784–128–64–10 with ReLU. */
#ifndef CH3_MLP_H
#define CH3_MLP_H

#include <stdint.h>

#include "activations.h"
#include "json.h"
#include "metrics.h"
#include "mnist.h"
#include "nn.h"
#include "optim.h"
#include "real.h"
#include "rng.h"

#define CH3_PIXELS 784        /* 28 × 28, flattened row by row (notes §3) */
#define CH3_CLASSES 10
#define CH3_MAX_LAYERS 8      /* dense layers of the deepest network (7 in §3.1) */
#define CH3_MAX_EPOCHS 64     /* epochs a run records */
#define CH3_EVAL_BATCH 1000   /* inference in batches of 1000 */
#define CH3_MAX_THREADS 64    /* --threads */
#define CH3_MAX_SEEDS 100     /* --seeds */
#define CH3_MAX_SHIFT 4       /* desplazamientos.csv: 0..4 pixels each way */

/* --- the network (mlp.c) ------------------------------------------------------------ */

typedef enum {
    CH3_SOFTMAX_CE,    /* softmax + cross-entropy, mean over the batch (§3.2, §3.4) */
    CH3_SIGMOID_SE     /* sigmoid outputs + squared error Σ(a − y)² (seed 003) */
} Ch3Head;

typedef enum {
    CH3_INIT_GLOROT,   /* U(±√(6/(in+out))), biases 0 — our default (§3.4) */
    CH3_INIT_PYTORCH,  /* U(±1/√in) for weights and biases: nn.Linear's default */
    CH3_INIT_HALF      /* U(−0.5, 0.5) for weights and biases: seed 003 */
} Ch3Init;

/* The tensors of one pass over a batch of up to `rows` images: what the
 * forward pass computes and the backward pass needs. Layer l = 0, 1, 2 of
 * the default net holds Z_{l+1}, A_{l+1} and their deltas, e.g. z[0] = Z1
 * (B, 128). The readable step has one pass; each thread of the fast step
 * has its own (mlp_fast.c). */
typedef struct {
    int rows;
    real *x;                          /* X (rows, 784): the batch, pixel / 255 */
    unsigned char *y;                 /* (rows) its labels */
    real *z[CH3_MAX_LAYERS];          /* Z_{l+1} = A_l·W_{l+1}ᵀ + b_{l+1}    (rows, sizes[l+1]) */
    real *a[CH3_MAX_LAYERS];          /* A_{l+1} = f(Z_{l+1}); the last is ŷ */
    real *dz[CH3_MAX_LAYERS];         /* δ_{l+1} = ∂L/∂Z_{l+1} */
    real *da[CH3_MAX_LAYERS];         /* ∂L/∂A_{l+1} */
    const real *mask[CH3_MAX_LAYERS]; /* the rows' dropout masks (into Ch3Net.mask) */
    real *grads;                      /* where the backward pass writes ∂L/∂θ ... */
    real *dW[CH3_MAX_LAYERS], *db[CH3_MAX_LAYERS];   /* ... named per layer */
    real *arena, *own_grads;          /* the allocations (own_grads may be NULL) */
} Ch3Pass;

struct Ch3Fast;   /* mlp_fast.c's per-thread passes */

typedef struct {
    int nlayers;                      /* dense layers (hidden + output): 3 */
    int sizes[CH3_MAX_LAYERS + 1];    /* 784, 128, 64, 10 */
    const Activation *act;            /* of the hidden layers: ReLU (§3.1), or --act */
    Ch3Head head;
    real dropout;                     /* p of every hidden layer while training (§3.3) */
    real l2;                          /* λ of the L2 term on the weights (not the biases) */
    int sum_over_batch;               /* seed 003: the gradient summed, not averaged */
    int bmax;                         /* the largest batch the buffers hold */

    Params p;                         /* every W and b in one array, their gradients in another */
    real *W[CH3_MAX_LAYERS];          /* W_{l+1} (out, in), as nn.Linear stores it */
    real *b[CH3_MAX_LAYERS];          /* b_{l+1} (out) */
    real *dW[CH3_MAX_LAYERS], *db[CH3_MAX_LAYERS];   /* W.grad, b.grad */

    real *mask[CH3_MAX_LAYERS];       /* (bmax, sizes[l+1]): this batch's dropout masks */
    Ch3Pass pass;                     /* the readable step's tensors (bmax rows) */
    struct Ch3Fast *fast;             /* made by mlp_fast.c on first use */
} Ch3Net;

/* sizes has nlayers + 1 entries; act must be trainable. */
void ch3_net_init(Ch3Net *n, int nlayers, const int *sizes, const Activation *act,
                  Ch3Head head, Ch3Init init, int bmax, Rng *rng);
void ch3_net_free(Ch3Net *n);
/* "784–128–64–10" into buf. */
const char *ch3_net_shape(const Ch3Net *n, char *buf, size_t len);

/* A pass of `rows` rows for n whose gradients go to `grads` (n->p.n values),
 * or to a buffer of its own when grads is NULL. */
void ch3_pass_init(Ch3Pass *w, const Ch3Net *n, int rows, real *grads);
void ch3_pass_free(Ch3Pass *w);

/* Dropout's masks for the next batch of B images, every hidden layer, into
 * n->mask (drawn before the forward pass, so both steps use the same). */
void ch3_draw_dropout_masks(Ch3Net *n, int B, Rng *rng);

/* outputs = model(images): the B rows of w->x through every layer, up to the
 * logits Z_L = w->z[L-1] (B, 10). train = 1 applies dropout (n->mask). */
void ch3_forward(const Ch3Net *n, Ch3Pass *w, int B, int train);
/* loss = criterion(outputs, labels): the output layer's activation (softmax
 * or sigmoid) into w->a[L-1] and the mean loss over the B rows, labels w->y
 * (the data loss; the L2 term is ch3_l2_loss). */
double ch3_loss(const Ch3Net *n, Ch3Pass *w, int B);
/* loss.backward(): after ch3_forward(train = 1) and ch3_loss, ADDS to
 * w->grads the gradient of the mean loss over a batch of `batch` images
 * that these B rows are part of (batch = B: the whole batch); the L2 term
 * only when with_l2 (once per batch). */
void ch3_backward(const Ch3Net *n, Ch3Pass *w, int B, int batch, int with_l2);
/* (λ/2) Σ W² over every weight matrix. */
double ch3_l2_loss(const Ch3Net *n);

/* One batch, the images idx[0..B-1], as the notes' loop does it:
 * optimizer.zero_grad(); outputs = model(images); loss = criterion(outputs,
 * labels); loss.backward(); optimizer.step(). Dropout masks drawn before.
 * Returns the loss; a loss that is not finite is returned without a step. */
double ch3_step(Ch3Net *n, Optimizer *o, const Mnist *d, const int *idx, int B);

/* Where a training loop is and what it does between its batches (resume.c):
 * Ctrl-C for every run, and for the main run its checkpoint. */
typedef struct Ch3Run Ch3Run;
typedef struct {
    int epoch, epochs;        /* this epoch (1-based) of how many: "Época 1/2" */
    int batch;                /* its batches taken: 0, or where a resumed run stopped */
    double running_loss;      /* their losses summed */
    Ch3Run *run;              /* the run this epoch belongs to (NULL: a test's loop) */
} Ch3Epoch;

/* One epoch over the images order[0..count-1] of d, in batches of `batch`
 * (the last one smaller when count is not a multiple), from the batch
 * at->batch on (0, or where a resumed run stopped). Returns the mean batch
 * loss ("Época N - Error"), NaN as soon as a batch loss is not finite.
 * batch_loss (may be NULL) gets each batch's loss. After each batch,
 * ch3_after_batch(): Ctrl-C stops the program there (resume.c). */
double ch3_train_epoch(Ch3Net *n, Optimizer *o, const Mnist *d, const int *order, int count,
                       int batch, Rng *rng, Ch3Epoch *at, float *batch_loss);

/* A whole training run: `epochs` epochs (shuffled with rng before each, or
 * in the files' order), each printed as "<indent>Época N - Error: x.xxxx".
 * Stops at a loss that is not finite (diverged = 1). */
typedef struct {
    int epochs;                          /* trained to the end */
    double epoch_loss[CH3_MAX_EPOCHS];
    float *batch_loss;                   /* (epochs × batches) every batch's loss; free() it */
    int nbatch_loss;                     /* recorded: up to the NaN when it diverged */
    int diverged, diverged_epoch;         /* the first epoch ... */
    int diverged_batch;                   /* ... and its batch (1-based) whose loss was not finite */
    double train_seconds;
} Ch3Training;

/* `run` names it for the Ctrl-C line; the main run's also keeps its
 * checkpoint and resumes from it (resume.c). */
void ch3_train(Ch3Net *n, const char *opt_name, double lr, const Mnist *d, int epochs,
               int batch, int shuffle, Rng *rng, const char *indent, Ch3Run *run,
               Ch3Training *t);

/* Predictions for the images order[0..count-1] (NULL order: the first
 * count), in batches of n->bmax (ch3_evaluate_batches: of `batch`). pred
 * may be NULL. Returns the accuracy; *mean_loss (may be NULL: then no
 * softmax is taken, the guess is the largest logit) gets the mean data loss. */
double ch3_evaluate(Ch3Net *n, const Mnist *d, const int *order, int count,
                    unsigned char *pred, double *mean_loss);
double ch3_evaluate_batches(Ch3Net *n, const Mnist *d, const int *order, int count, int batch,
                            unsigned char *pred, double *mean_loss);
/* The guesses for the images idx[0..B-1] on pass w: their number right is
 * added to *correct, the guesses go to pred (may be NULL). Returns the
 * loss summed over the B rows (0 unless with_loss). */
double ch3_guess_rows(const Ch3Net *n, Ch3Pass *w, const Mnist *d, const int *idx, int B,
                      unsigned char *pred, long *correct, int with_loss);

/* Progress (common/progress.h): the run's work is counted in units of one
 * image through a training step of the notes' 784–128–64–10, so that a task's
 * share of the plan follows its time. A network of other sizes is worth its
 * multiply-adds over the default's; an image only evaluated (forward only) a
 * third of a training image (one product of three). */
double ch3_image_work(int nlayers, const int *sizes);
/* What one epoch over `count` images in batches of `batch` adds to the plan
 * (ch3_train_epoch's task: whole batches, the last one counted full). */
double ch3_epoch_work(int nlayers, const int *sizes, int count, int batch);
#define CH3_EVAL_SHARE (1.0 / 3)

/* --- the same step, made fast (mlp_fast.c) --------------------------------------------- */

/* Batches smaller than this are not worth waking a second thread for. */
#define CH3_FAST_MIN_BATCH 16

/* 1 when the fast step is worth taking for batches of `batch`: more than one
 * thread (par_threads()) and batches of at least CH3_FAST_MIN_BATCH. */
int ch3_fast_pays(int batch);
/* ch3_step with the batch cut into par_threads() slices, one per thread;
 * the same masks, the same loss and gradient up to the order of the float
 * additions. n->p.grads holds the batch's gradient afterwards. */
double ch3_fast_step(Ch3Net *n, Optimizer *o, const Mnist *d, const int *idx, int B);
/* ch3_guess_rows for a batch, cut into slices over the threads. */
double ch3_fast_guess(Ch3Net *n, const Mnist *d, const int *idx, int B, unsigned char *pred,
                      long *correct, int with_loss);
void ch3_fast_free(Ch3Net *n);

/* --- the run's settings (main.c) ------------------------------------------------------------- */

typedef struct {
    const char *out, *data;
    uint64_t seed;
    int epochs, batch;
    int quick;                       /* shorter studies, for the tests */
    int bench;                       /* only the default network, its accuracy and timings */
    int overfit_epochs;
    int train_limit, test_limit;     /* 0: every image */
    double dropout, l2;
    const Activation *act;           /* --act: the default network's hidden activation */
    int threads;                     /* --threads (par_set_threads) */
    int plain;                       /* --plain: the readable step, plain loops, one thread */
    int nlayers;                     /* the default network: 3 ... */
    int sizes[CH3_MAX_LAYERS + 1];   /* ... 784, 128, 64, 10 */
    int nlr, nopt;
    double lr[8];
    const char *opt[4];
    int main_opt, main_lr;           /* the pair the default network trains with */
    int nseeds;                      /* --seeds: train the main network once per seed ... */
    uint64_t seeds[CH3_MAX_SEEDS];   /* ... (0: the notebook, one run with --seed) */
    int seeds_overfit;               /* --seeds-overfit: the §3.3 study for every seed too */
    int resume;                      /* --resume: the main run goes on from its checkpoint */
    int checkpoint_every;            /* --checkpoint-every N: also after every N batches (0: no) */
} Ch3Config;

/* "ReLU", "sigmoide", else the table's name: how the headings name it. */
const char *ch3_act_label(const Activation *act);

/* --- Ctrl-C, checkpoints and --resume (resume.c) --------------------------------------------- */

/* A training run, for what happens between its batches. Every run has a
 * name for the Ctrl-C line; the main run (§3.3–3.4) also keeps its
 * checkpoint, <out>/checkpoint.safetensors, and a comparison writes the
 * curves it has when Ctrl-C stops it. */
struct Ch3Run {
    const char *what;                /* "la red principal", "§3.3 sobreajuste (dropout)" */
    const Ch3Config *checkpoint;     /* the main run: the settings its checkpoint records */
    /* Ctrl-C: the CSVs so far, written like the complete ones (NULL: none) */
    void (*write_so_far)(const Ch3Epoch *at, void *ctx);
    void *ctx;
    /* what a checkpoint holds, set by ch3_train */
    Ch3Net *net;
    Optimizer *opt;
    Rng *rng;
    int *order, count, batch, per_epoch;
    Ch3Training *t;
};

/* Once, at the start: where the checkpoint is and how to resume (the
 * command line), for the lines below. */
void ch3_resume_setup(const Ch3Config *c, int argc, char **argv);
/* --resume: reads the checkpoint once before anything trains, so that a
 * damaged one, another chapter's or another run's is refused at once (one
 * line naming the file, exit 1); without one, a line saying so. */
void ch3_check_checkpoint(const Ch3Config *c, const Mnist *train);
/* In ch3_train, before the first epoch: --resume puts back everything the
 * checkpoint holds, and `at` where it stopped. */
void ch3_resume_run(Ch3Run *run, Ch3Epoch *at);
/* After each batch of every training loop: counts it for Ctrl-C; saves the
 * main run's checkpoint every --checkpoint-every batches; and when Ctrl-C or
 * SIGTERM came, stops the program (the checkpoint, the CSVs so far, one
 * line saying how to resume, exit 130 / 143). */
void ch3_after_batch(Ch3Epoch *at, int batch, double running_loss);
/* In ch3_train, at the end of each epoch: the main run's checkpoint. */
void ch3_end_of_epoch(Ch3Epoch *at);
/* The batch losses at->run has recorded up to `at`: every batch of the
 * epochs it finished, and those of the epoch under way. */
int ch3_losses_so_far(const Ch3Epoch *at);
/* Between sections: a Ctrl-C that came while nothing was training stops
 * the program here, before it writes a summary of a run it did not finish. */
void ch3_stop_if_interrupted(const char *what);

/* --- what the sections found (studies.c, pictures.c, main.c) → summary.c ---------------------- */

typedef struct {                     /* §3 opening: 784–128–10 */
    int ran;
    int diverged, diverged_epoch, diverged_batch;   /* then no accuracy */
    double test_accuracy;
    int epochs;
    double epoch_loss[CH3_MAX_EPOCHS];
} Ch3FirstNet;

typedef struct {                     /* §3.2's worked example */
    int ran;
    double loss, grad_at_3;
} Ch3CrossEntropy;

typedef struct {                     /* §3.3–3.4: the default network */
    char shape[128];
    size_t nparams;
    int diverged, diverged_epoch, diverged_batch;   /* then no accuracy, and exit 1 */
    double test_accuracy;
    int epochs;
    double epoch_loss[CH3_MAX_EPOCHS];
    double train_seconds, seconds_per_epoch, train_images_per_second;
    double inference_images_per_second, inference_images_per_second_b64;
} Ch3MainRun;

typedef struct {                     /* §3.1 */
    int ran, hidden_layers, nlayers;
    double sigmoid_norm[CH3_MAX_LAYERS], relu_norm[CH3_MAX_LAYERS];
    double sigmoid_first_over_last, relu_first_over_last;
    double sigmoid_accuracy, relu_accuracy;   /* after 1 epoch of SGD; NaN under --quick */
} Ch3Vanishing;

#define CH3_OVERFIT_VARIANTS 4
typedef struct {                     /* §3.3 */
    int ran, nvariants;
    struct {
        const char *key, *name;             /* "none", "sin regularización", ... */
        double dropout, l2;
        int best_epoch, early_stop_epoch;   /* early stopping keeps best_epoch's weights */
        double best_val_loss, final_val_loss, final_train_loss;
        int min_val_epoch;                  /* the lowest val loss over every epoch ... */
        double min_val_loss;                /* ... after the stop too */
        double test_accuracy_last, test_accuracy_best;
    } v[CH3_OVERFIT_VARIANTS];
} Ch3Overfitting;

#define CH3_EX35_RUNS 4
typedef struct {                     /* --opt × --lr, and §3.5 exercise 3 */
    int ran, ncmp;
    struct {
        const char *opt;
        double lr;
        int diverged, diverged_epoch, diverged_batch, is_main;
        double test_accuracy;
    } cmp[32];
    int nex;
    struct {
        const char *run;
        double final_epoch_loss, test_accuracy;
    } ex[CH3_EX35_RUNS];
} Ch3Optimisers;

#define CH3_SEED003_RUNS 3
typedef struct {                     /* seed 003 */
    int ran, epochs;
    struct {
        const char *key;
        double lr;
        int summed;
        double test_accuracy;
        double epoch_cost[8];
    } run[CH3_SEED003_RUNS];
    int first500_hits, first500_misses;
} Ch3Seed003;

typedef struct {                     /* thesis 002 §5.2 */
    int ran;
    ClassReport report;
    ConfusionPair top[5];
    int ntop;
} Ch3Metrics;

typedef struct {                     /* the image grids */
    int ran;
    int misclassified, dead_first_layer_neurons, first500_hits, first500_misses;
} Ch3Pictures;

typedef struct {                     /* for chapter 4 (comparison.c) */
    int ran;
    double shift_accuracy[4][CH3_MAX_SHIFT + 1];   /* derecha, izquierda, abajo, arriba */
} Ch3Comparison;

typedef struct {
    Ch3FirstNet first;
    Ch3Vanishing vanishing;
    Ch3CrossEntropy cross_entropy;
    Ch3MainRun main;
    Ch3Metrics metrics;
    Ch3Pictures pictures;
    Ch3Overfitting overfitting;
    Ch3Optimisers optimisers;
    Ch3Seed003 seed003;
    Ch3Comparison comparison;
    double peak_rss_mb;
} Ch3Results;

/* --- the studies (studies.c) ---------------------------------------------------------------- */

/* --opt × --lr on the default net, then §3.5 exercise 3. `main_curve` is the
 * default network's per-batch losses (its pair is not trained twice). */
void ch3_study_optimisers(const Ch3Config *c, const Mnist *train, const Mnist *test,
                          const float *main_curve, int main_len, Ch3Optimisers *r);
void ch3_study_overfitting(const Ch3Config *c, const Mnist *train, const Mnist *test,
                           Ch3Overfitting *r);
void ch3_study_vanishing(const Ch3Config *c, const Mnist *train, Ch3Vanishing *r);
void ch3_study_seed003(const Ch3Config *c, const Mnist *train, const Mnist *test,
                       Ch3Seed003 *r);

/* The §3.3 study once for seed `seed` (split and weights drawn from it as the
 * notebook's run draws them from --seed), quietly: one line per variant. */
void ch3_overfitting_for_seed(const Ch3Config *c, uint64_t seed, const Mnist *train,
                              const Mnist *test, Ch3Overfitting *r);
/* What the overfitting study adds to the progress plan. */
double ch3_overfitting_work(const Ch3Config *c, int ntrain, int ntest);
/* §3.3's validation split, the one the overfitting study and thesis 002's Figs 2.3 and 5.2 use: the
 * indices 0..n-1 shuffled with the seed `seed` (the run's --seed + 5), the
 * last n/6 of them validation. perm gets the n indices (training first);
 * returns how many are validation. */
int ch3_validation_split(int n, uint64_t seed, int *perm);


/* --- the spread over seeds (seeds.c): --seeds LIST, make's SEEDS= ----------------------------- */

/* The main network trained once per seed of c->seeds, each seed's test
 * accuracy and their mean ± sd, semillas.csv and summary.json; with
 * c->seeds_overfit the §3.3 study for every seed too (semillas_sobreajuste.csv).
 * Nothing else of the notebook runs. */
void ch3_seed_study(const Ch3Config *c, const Mnist *train, const Mnist *test);

/* --- for chapter 4's comparison (comparison.c) ----------------------------------------------- */

/* From the main trained network: prueba_probabilidades.csv (softmax of every
 * test image) and desplazamientos.csv (test accuracy with the images moved
 * 0..4 pixels right, left, down, up), the table printed. */
void ch3_files_for_chapter4(const char *out, Ch3Net *n, const Mnist *test, Ch3Comparison *r);
double ch3_comparison_work(const Ch3Net *n, int ntest);

/* --- metrics and pictures (pictures.c) ------------------------------------------------------- */

void ch3_metrics(const char *out, const Mnist *test, const unsigned char *pred, Ch3Metrics *r);
/* The grids: samples, misclassified, first-layer weights, hits on the first 500. */
void ch3_pictures(const char *out, Ch3Net *n, const Mnist *train, const Mnist *test,
                  const unsigned char *pred, Ch3Pictures *r);

/* --- summary.json (summary.c) ---------------------------------------------------------------- */

void ch3_write_summary(const Ch3Config *c, const Mnist *train, const Mnist *test,
                       const Ch3Results *r);
/* The main network's settings as summary.json's "settings" object. */
void ch3_json_settings(Json *j, const Ch3Config *c, const char *shape);

#endif
