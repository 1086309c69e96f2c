/* checkpoint.h — a training run saved so that it can go on later, to the
 * byte.
 *
 * A checkpoint is a safetensors file (safetensors.h), the models' format:
 * the tensors are the weights, the optimiser's state (Adam's m and v) and
 * whatever bookkeeping the run needs to continue exactly where it stopped
 * (the shuffled order of the images, the losses recorded so far); the
 * header's metadata holds the rest as text — the epoch and the batch it
 * stopped after, the random generators' states, Adam's step count, and the
 * settings the run was started with, so that a resume with other settings
 * is refused instead of silently mixing two runs. Written under a temporary
 * name, fsync'ed, then renamed (out.h): a crash while writing leaves the
 * previous checkpoint whole.
 *
 * Saving:                                    Resuming:
 *     Checkpoint c;                              Checkpoint c;
 *     ckpt_begin(&c, "ch4-cnn");                 ckpt_open(&c, path, "ch4-cnn");
 *     ckpt_put_int(&c, "epoch", e);              int e = ckpt_get_int(&c, "epoch", 0, epochs);
 *     ckpt_put_rng(&c, "rng", &rng);             ckpt_get_rng(&c, "rng", &rng);
 *     ckpt_add_real(&c, "conv1.weight", ...);    ckpt_add_real(&c, "conv1.weight", ...);
 *     ckpt_add_optimizer(&c, &opt);              ckpt_add_optimizer(&c, &opt);
 *     ckpt_save(&c, path);                       ckpt_read(&c);   // fills every array added
 *
 * Every failure to read is one line naming the file and the problem (a
 * missing key, a value out of range, a tensor of the wrong shape, a NaN
 * weight, a checkpoint of another chapter or other settings), then exit 1. */
#ifndef CHECKPOINT_H
#define CHECKPOINT_H

#include <stdint.h>

#include "optim.h"
#include "rng.h"
#include "safetensors.h"

#define CKPT_MAX_TENSORS 64

typedef struct {
    StTensor t[CKPT_MAX_TENSORS];
    int n;
    StMeta meta;
    char names[CKPT_MAX_TENSORS][64];   /* the tensors' names, kept here */
    const char *path;         /* reading: the file ... */
    unsigned char *file;      /* ... and its bytes */
    size_t size;
} Checkpoint;

/* --- saving ------------------------------------------------------------- */
/* An empty checkpoint of a run of `kind` ("ch3-mlp", "ch4-cnn"). */
void ckpt_begin(Checkpoint *c, const char *kind);
void ckpt_put_str(Checkpoint *c, const char *key, const char *value);
void ckpt_put_int(Checkpoint *c, const char *key, long value);
void ckpt_put_u64(Checkpoint *c, const char *key, uint64_t value);
/* Exactly: the value comes back bit for bit (hexadecimal floating point). */
void ckpt_put_double(Checkpoint *c, const char *key, double value);
/* The generator's whole state, under key.s0 .. key.s3, key.spare. */
void ckpt_put_rng(Checkpoint *c, const char *key, const Rng *r);
/* Writes it (durably, see above), without a line in the program's output:
 * a run saves one every epoch or every few batches, and says once where it
 * is. The arrays stay the caller's. */
void ckpt_save(Checkpoint *c, const char *path);

/* --- the run's settings: the same calls to save and to resume ------------ */
/* Saving (after ckpt_begin): key = value. Resuming (after ckpt_open): dies
 * with ckpt_expect*'s line, naming `flag`, when the checkpoint's key is not
 * value. So one function lists a run's settings for both directions. */
void ckpt_setting(Checkpoint *c, const char *key, const char *value, const char *flag);
void ckpt_setting_int(Checkpoint *c, const char *key, long value, const char *flag);
void ckpt_setting_double(Checkpoint *c, const char *key, double value, const char *flag);
/* 1 after ckpt_open (resuming), 0 after ckpt_begin (saving). */
int ckpt_resuming(const Checkpoint *c);

/* --- the tensors: the same calls to save and to resume ------------------- */
/* Saving: the values are taken from `data` when saved. Resuming: ckpt_read()
 * writes them into `data`, after checking the name, dtype and shape. */
void ckpt_add_real(Checkpoint *c, const char *name, int ndim, const int *shape, real *data);
void ckpt_add_f64(Checkpoint *c, const char *name, int n, double *data);
void ckpt_add_i32(Checkpoint *c, const char *name, int n, int32_t *data);
/* The optimiser: its state arrays (Adam: "optimizer.m", "optimizer.v"), and
 * in the metadata its rule, learning rate and step count. On resume the
 * rule must be the same (else one line), and the step count is restored. */
void ckpt_add_optimizer(Checkpoint *c, Optimizer *o);

/* --- resuming ----------------------------------------------------------- */
/* 1 if there is a file at path. */
int ckpt_exists(const char *path);
/* Reads path's header; dies with one line when it is not a checkpoint of
 * `kind` (damaged, foreign, another chapter's). */
void ckpt_open(Checkpoint *c, const char *path, const char *kind);
/* The metadata; each dies with one line naming the file and the key when it
 * is missing or is not what it must be. */
const char *ckpt_get_str(const Checkpoint *c, const char *key);
long ckpt_get_int(const Checkpoint *c, const char *key, long lo, long hi);
uint64_t ckpt_get_u64(const Checkpoint *c, const char *key);
double ckpt_get_double(const Checkpoint *c, const char *key);
void ckpt_get_rng(const Checkpoint *c, const char *key, Rng *r);
/* Dies, naming the setting, when the checkpoint's `key` is not `value`: a
 * resume must continue the same run ("--opt sgd" in the checkpoint, "adam"
 * asked now). */
void ckpt_expect(const Checkpoint *c, const char *key, const char *value, const char *flag);
void ckpt_expect_int(const Checkpoint *c, const char *key, long value, const char *flag);
void ckpt_expect_double(const Checkpoint *c, const char *key, double value, const char *flag);
/* After ckpt_read: dies with one line unless order[0..n-1] (the tensor
 * `name`) is a permutation of 0..n-1 — a damaged order would read images
 * that are not there. */
void ckpt_check_permutation(const Checkpoint *c, const char *name, const int32_t *order,
                            int n);
/* Fills every array added since ckpt_open (and the optimiser's step count),
 * then frees the file: the checkpoint is done. */
void ckpt_read(Checkpoint *c);

#endif
