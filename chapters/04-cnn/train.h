/* train.h — the notes' training loop (§4.3) and the test accuracy, as the
 * chapter's studies share them: the main run, the learning-rate and
 * optimiser comparison (LR=…, OPT=…), the seed study (SEEDS=…) and "how far
 * this network goes" (random shifts of the training images, a decaying
 * learning rate) all train through cnn_train_run(), with the readable
 * network of cnn.c (--plain) or the fast one of cnn_fast.c.
 *
 *     CnnTrainSettings s = cnn_train_defaults();    // the notes': 5 epochs, 64, Adam 0.001
 *     s.seed = 42;
 *     CnnNet net;
 *     cnn_train_init_net(&net, s.seed);              // PyTorch's initialisation
 *     CnnTrainLog log;
 *     cnn_train_run(&net, &train, &s, &log);         // prints nothing; progress on stderr
 *     if (log.stop != CNN_FINISHED) ...               // diverged, or Ctrl-C
 *     double acc = cnn_test_accuracy(&net, &test, s.plain, s.threads, pred, "Evaluación");
 *     cnn_train_log_free(&log);
 */
#ifndef CH4_TRAIN_H
#define CH4_TRAIN_H

#include <stdint.h>
#include "cnn.h"
#include "mnist.h"

#define CNN_MAX_EPOCHS 1000
/* The loss curve of a comparison: the mean of every CNN_CURVE_EVERY batches
 * (the notes' running_loss, finer than one point per epoch). */
#define CNN_CURVE_EVERY 50

typedef struct {
    int epochs, batch;
    const char *opt;     /* "adam" (the notes') or "sgd" (common/optim.h) */
    double lr;           /* the learning rate of the first epoch */
    double lr_decay;     /* epoch e (0-based) learns at lr · lr_decay^e; 1: constant (the notes') */
    double dropout;      /* on fc1's 128 outputs while training; 0: none (the notes' run) */
    int shift;           /* each epoch, each training image moved by a random (dx, dy),
                            |dx|, |dy| <= shift pixels; 0: the images as they are */
    uint64_t seed;       /* the order of the images, the dropout masks, the shifts */
    int plain;           /* the readable network (cnn.c) on one thread */
    int threads;         /* otherwise: threads sharing each batch */
    const char *label;   /* before "época k/n" in the progress line (NULL: nothing) */
    int conv1_frames;    /* learning in motion (§4.1): > 0, conv1's kernels copied into the
                            log before the first batch and at conv1_frames evenly spaced
                            batches of epoch 1, the last after its last batch; 0: none */
    /* The main run only: its checkpoint (resume.h), written after every
     * epoch, every checkpoint_every batches of the run (0: only then) and on
     * Ctrl-C; with resume, the run goes on from it when it is there. NULL:
     * none (the studies' runs, which start over). */
    const char *checkpoint;
    int checkpoint_every;
    int resume;
} CnnTrainSettings;

/* How a run ended (CnnTrainLog.stop). */
enum { CNN_FINISHED = 0, CNN_DIVERGED, CNN_INTERRUPTED };

typedef struct {
    int epochs;                          /* epochs trained */
    double epoch_loss[CNN_MAX_EPOCHS];   /* the notes' running_loss / len(trainloader) */
    float *curve;                        /* mean loss of each CNN_CURVE_EVERY batches */
    int ncurve;
    double seconds;                      /* training time, wall clock */
    /* conv1's 32 kernels as they were after conv1_batch[i] batches of epoch 1
     * (0: the start), CNN_C1 · 9 values per frame, nconv1 frames. */
    float *conv1;
    int *conv1_batch;
    int nconv1;
    /* CNN_FINISHED: every epoch trained. CNN_DIVERGED: batch stop_batch of
     * epoch stop_epoch (both from 1) gave a NaN or infinite loss, at the
     * rate stop_lr; the curve ends before it, and partial_loss is the mean
     * loss of the batches after its last point (NaN: none). CNN_INTERRUPTED:
     * Ctrl-C or SIGTERM after batch stop_batch of epoch stop_epoch (the
     * checkpoint, if the run has one, is there). */
    int stop;
    int stop_epoch, stop_batch;
    double stop_lr, partial_loss;
    /* --resume: 1 when the run went on from its checkpoint, after
     * resumed_batch batches of epoch resumed_epoch + 1 (resumed_epoch ==
     * epochs: a finished run, nothing left to train); -1 when there was none */
    int resumed, resumed_epoch, resumed_batch;
} CnnTrainLog;

/* The notes' settings: 5 epochs, batches of 64, Adam at 0.001, no dropout,
 * no shifts, seed 42, the fast network on every core (threads 0: set it). */
CnnTrainSettings cnn_train_defaults(void);

/* cnn_init() with the generator seeded by `seed` (the initial weights). */
void cnn_train_init_net(CnnNet *net, uint64_t seed);

/* Trains net for s->epochs on tr, as the notes' loop: every epoch the
 * images in a new random order (DataLoader(shuffle=True)), batches of
 * s->batch, one optimizer step each. Progress on stderr, one task per epoch
 * of tr->n units (the run's plan counts one unit per training image per
 * epoch). Stops early, and says why in log->stop, when a loss is NaN or
 * infinite (the network is then useless) or after the batch during which
 * Ctrl-C or SIGTERM arrived (common/interrupt.h; at an epoch's last batch,
 * after that epoch's checkpoint). */
void cnn_train_run(CnnNet *net, const Mnist *tr, const CnnTrainSettings *s, CnnTrainLog *log);
void cnn_train_log_free(CnnTrainLog *log);

/* Images moved by (dx, dy) pixels, what leaves the 28 × 28 frame lost and
 * what enters it background (0) — mnist_shifted() for one image. */
void cnn_shift_image(const unsigned char *src, int dx, int dy, unsigned char *dst);
/* dst (allocated like src, labels shared by copy): every image of src
 * moved by its own random (dx, dy) in [−shift, shift]², drawn from rng. */
void cnn_random_shifts(const Mnist *src, int shift, Rng *rng, Mnist *dst);

/* The fraction of m's images the network classifies right; pred (m->n),
 * when not NULL, receives every prediction. Progress as a task `label`
 * (CNN_EVAL_WORK units per image; NULL: no task). */
#define CNN_EVAL_WORK (1.0 / 3) /* a forward pass: about a third of a training step */
double cnn_test_accuracy(const CnnNet *net, const Mnist *m, int plain, int threads,
                         unsigned char *pred, const char *label);

#endif
