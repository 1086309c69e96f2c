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
 * What this is: a writer and a strict reader for the float32 tensors of our
 * own networks. The reader is told which tensors to expect (names and
 * shapes) and refuses anything else — a header length that does not fit the
 * file, JSON it cannot parse, a missing or unexpected name, a wrong dtype or
 * shape, offsets that overlap or leave holes, a file too short or too long —
 * with ONE line that names the file and the problem. What it is not: a
 * general safetensors library (no F16/BF16/int tensors, no memory mapping).
 *
 * Values are `real` in memory (float, or double in the -DREAL_F64 test
 * builds) and always float32 on disk. Names and shapes follow PyTorch's
 * state_dict, e.g. chapter 4's "conv1.weight" (32, 1, 3, 3). */
#ifndef SAFETENSORS_H
#define SAFETENSORS_H

#include <stddef.h>
#include "real.h"

#define ST_MAX_DIMS 4

typedef struct {
    const char *name;         /* "conv1.weight" */
    int ndim;                 /* 1 .. ST_MAX_DIMS */
    int shape[ST_MAX_DIMS];   /* e.g. {32, 1, 3, 3} */
    real *data;               /* numel values, row-major */
} StTensor;

/* Number of values: the product of the shape. */
size_t st_numel(const StTensor *t);

/* Writes the n tensors, in the order given, to `path` (atomically: a
 * temporary name, then rename). Dies with one line if the file cannot be
 * written. */
void st_save(const char *path, const StTensor *tensors, int n);

/* Reads `path`, which must hold exactly the n tensors described (name,
 * ndim, shape), and fills each tensors[i].data. Returns 0, or -1 with one
 * line in `err` — "<path>: <what is wrong>" — and the data left untouched
 * only partly (do not use it after a failure). */
int st_load(const char *path, StTensor *tensors, int n, char *err, size_t errlen);

/* st_load(), stopping the program with its line on failure. */
void st_load_or_die(const char *path, StTensor *tensors, int n);

#endif
