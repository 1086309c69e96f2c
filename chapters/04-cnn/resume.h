/* resume.h — the main run's checkpoint: a training run stopped after any
 * batch (Ctrl-C, a closed laptop, a crash) goes on later to the very bytes
 * of a run never stopped.
 *
 * cnn_train_run() (train.c) keeps what its loop carries from batch to batch
 * in a CnnLoop; a checkpoint (common/checkpoint.h, <out>/checkpoint.safetensors)
 * is that, the network, the optimiser and the log so far:
 *
 *   tensors    the weights with PyTorch's names (as model.safetensors),
 *              Adam's m and v, this epoch's order of the images ("order"),
 *              the epoch losses, the comparison curve and conv1's frames
 *              (float64: the log's floats and doubles come back exactly)
 *   metadata   where the loop is (epochs_done, batches_done: the next batch
 *              is batch batches_done of epoch epochs_done, from 0), both
 *              random generators (rng: the shuffles and the dropout masks;
 *              shift_rng: the random shifts, as they were at the start of
 *              that epoch, so that a resume redraws the same shifted
 *              images), the running sums of the epoch and of the curve's
 *              point under way, the training seconds so far, and the
 *              settings that define the run (seed, opt, lr, lr_decay, batch,
 *              epochs, dropout, augment_shift, conv1_frames, train_images,
 *              a fingerprint of the training images, the network, float or
 *              double) — a resume with other settings is refused with one
 *              line. The thread count and --plain change only how sums are
 *              rounded: a resume on another one goes on with a warning (the
 *              result is then not byte-identical to an uninterrupted run). */
#ifndef CH4_RESUME_H
#define CH4_RESUME_H

#include <stdint.h>

#include "cnn.h"
#include "mnist.h"
#include "optim.h"
#include "rng.h"
#include "train.h"

/* What cnn_train_run's loop carries from one batch to the next. */
typedef struct {
    int images;             /* the run's shape: training images, */
    int batches, max_curve, frames; /* batches an epoch, curve points, conv1's frames */
    int epoch, batch;       /* the next batch: `batch` of `epoch` (both from 0) */
    Rng rng;                /* the shuffles and the dropout masks */
    Rng shift_rng;          /* the random shifts: a stream of their own, so that
                               shift 0 trains as it always did */
    Rng shift_rng_epoch;    /* shift_rng before this epoch's shifts were drawn */
    int *order;             /* the images' order in this epoch (tr->n) */
    double running_loss;    /* this epoch's batch losses, summed */
    double chunk;           /* the same for the curve's point under way ... */
    int in_chunk;           /* ... and how many batches it holds */
    int next_frame;         /* conv1's next frame (epoch 1) */
    uint64_t fingerprint;   /* of the training images (checkpointed runs only) */
} CnnLoop;

/* Writes s->checkpoint: the run as it is now, the loop at L->epoch, L->batch. */
void cnn_checkpoint_save(const CnnTrainSettings *s, const CnnNet *net, Optimizer *opt,
                         const CnnLoop *L, CnnTrainLog *log, double seconds);

/* Reads s->checkpoint back into net, opt, L and log, after checking that it
 * is a checkpoint of this very run (one line and exit 1 otherwise). Returns
 * 0 when there is no file there; otherwise 1, and the training seconds it
 * had recorded in *seconds. */
int cnn_checkpoint_restore(const CnnTrainSettings *s, CnnNet *net, Optimizer *opt, CnnLoop *L,
                           CnnTrainLog *log, double *seconds);

/* FNV-1a over the labels and the pixels: which training images these are. */
uint64_t cnn_images_fingerprint(const Mnist *m);

#endif
