/* safetensors.h — saving and loading a network's weights in the safetensors
 * format, so that PyTorch, the drawing page and other tools can read them.
 *
 * The format (https://huggingface.co/docs/safetensors) is three parts:
 *
 *     8 bytes    N, the length of the header: an unsigned 64-bit integer,
 *                little-endian
 *     N bytes    a JSON object, one entry per tensor:
 *                  "fc1.weight": {"dtype": "F32", "shape": [128, 784],
 *                                 "data_offsets": [BEGIN, END]}
 *                (plus an optional "__metadata__" object of strings),
 *                padded with spaces to a multiple of 8 bytes
 *     the rest   the raw tensors, float32 little-endian, row-major (C order);
 *                tensor i occupies bytes [BEGIN, END) of this part
 *
 * What this is: a writer and a strict reader for the tensors of our own
 * networks and of their checkpoints (common/checkpoint.h): float32 weights,
 * and for a checkpoint's bookkeeping float64 and int32 tensors and string
 * metadata. The reader is told which tensors to expect (names and
 * shapes) and refuses anything else — a header length that does not fit the
 * file, JSON it cannot parse, a missing or unexpected name, a wrong dtype or
 * shape, offsets that overlap or leave holes, a file too short or too long,
 * a value that is NaN or infinite (a network that diverged is not a model) —
 * with ONE line that names the file and the problem. What it is not: a
 * general safetensors library (no F16/BF16/int tensors, no memory mapping).
 *
 * Values are `real` in memory (float, or double in the -DREAL_F64 test
 * builds) and always float32 on disk. Names and shapes follow PyTorch's
 * state_dict, e.g. chapter 4's "conv1.weight" (32, 1, 3, 3). */
#ifndef SAFETENSORS_H
#define SAFETENSORS_H

#include <stddef.h>
#include <stdint.h>
#include "real.h"

#define ST_MAX_DIMS 4
#define ST_MAX_META 64

/* One tensor: its values are in exactly one of data (F32 on disk), f64
 * (F64) or i32 (I32); the other two are NULL. */
typedef struct {
    const char *name;         /* "conv1.weight" */
    int ndim;                 /* 1 .. ST_MAX_DIMS */
    int shape[ST_MAX_DIMS];   /* e.g. {32, 1, 3, 3} */
    real *data;               /* numel values, row-major: F32 on disk */
    double *f64;              /* or these: F64 on disk (a checkpoint's loss history) */
    int32_t *i32;             /* or these: I32 on disk (a checkpoint's shuffled order) */
} StTensor;

/* The header's "__metadata__": string keys and values ("format": "pt" is
 * always written first; a checkpoint adds its epoch, generator state ...). */
typedef struct {
    int n;
    char key[ST_MAX_META][64];
    char value[ST_MAX_META][256];
} StMeta;

/* Number of values: the product of the shape. */
size_t st_numel(const StTensor *t);

/* Writes the n tensors, in the order given, to `path`: under a temporary
 * name, flushed to the disk (fsync), then renamed, so that a crash leaves
 * the previous file whole. Dies with one line if the file cannot be
 * written. Reported in the program's output as a "modelo". */
void st_save(const char *path, const StTensor *tensors, int n);
/* The same with metadata (may be NULL), reported as `kind` (NULL: no line). */
void st_save_meta(const char *path, const StTensor *tensors, int n, const StMeta *meta,
                  const char *kind);

/* Reads `path`, which must hold exactly the n tensors described (name,
 * ndim, shape), and fills each tensors[i].data. Returns 0, or -1 with one
 * line in `err` — "<path>: <what is wrong>" — and the data left untouched
 * only partly (do not use it after a failure). */
int st_load(const char *path, StTensor *tensors, int n, char *err, size_t errlen);

/* st_load(), stopping the program with its line on failure. */
void st_load_or_die(const char *path, StTensor *tensors, int n);

/* st_load() on a file already in memory (`name` is what the messages call
 * it); meta (may be NULL) receives the header's metadata. This is what the
 * fuzzer drives (tests/fuzz/). */
int st_parse(const unsigned char *file, size_t size, const char *name, StTensor *tensors,
             int n, StMeta *meta, char *err, size_t errlen);
/* Only the header: checks that it is well formed and returns its metadata,
 * before the caller knows which tensors to expect (a checkpoint's shapes
 * depend on its metadata). */
int st_parse_meta(const unsigned char *file, size_t size, const char *name, StMeta *meta,
                  char *err, size_t errlen);
/* The whole file into memory (for st_parse_meta then st_parse); NULL and
 * one line in err when it cannot be read. free() it. */
unsigned char *st_read_file(const char *path, size_t *size, char *err, size_t errlen);

/* Metadata: the value of `key`, or NULL; adding one dies when full. */
const char *st_meta_get(const StMeta *meta, const char *key);
void st_meta_set(StMeta *meta, const char *key, const char *value);

#endif
