/* mnist.h — MNIST as the chapters use it (notes §3): a split ("train" or
 * "t10k") read from its two IDX files (idx.h), kept as the files' bytes, and
 * batches cut from it as pixels / 255.
 *
 * The images stay bytes in memory: 60 000 of them cost 47 MB as bytes and
 * 188 MB as floats. A batch becomes numbers only when it is used:
 *
 *     Mnist train;
 *     mnist_load("datasets/mnist", "train", &train);      // dies with one line if it can't
 *     mnist_gather(&train, order + k * 64, 64, x, y);      // x (64, 784), y (64)
 *
 * Chapters 1, 3 and 4 all read MNIST this way (and Fashion-MNIST, which has
 * the same files). */
#ifndef MNIST_H
#define MNIST_H

#include <stddef.h>
#include "real.h"

typedef struct {
    int n, rows, cols;         /* 60000, 28, 28 */
    unsigned char *pixels;     /* (n, rows·cols): 0..255, image after image, row after row */
    unsigned char *labels;     /* (n): 0..9 */
} Mnist;

/* "<dir>/<split>-images-idx3-ubyte" and "<dir>/<split>-labels-idx1-ubyte"
 * (or the same names with .gz): both read and checked, and their counts
 * compared. 0, or -1 with one line in err ("<file>: <what is wrong>"; a
 * missing file says "ejecuta 'make data'", a damaged one that 'make data'
 * replaces it). */
int mnist_read(const char *dir, const char *split, Mnist *m, char *err, size_t errlen);
/* mnist_read(), stopping the program with its line on failure. */
void mnist_load(const char *dir, const char *split, Mnist *m);
void mnist_free(Mnist *m);

/* Keeps the first n images only (--train-limit and the like); n <= 0 or
 * n >= m->n keeps them all. */
void mnist_limit(Mnist *m, int n);

/* The batch of the images idx[0..B-1] (idx NULL: images 0..B-1):
 *   x (B, rows·cols) = pixel / 255, each image flattened row by row (notes §3)
 *   y (B)            = its label (y may be NULL)
 * The division is done in float and the result then stored as `real`, so a
 * double build sees exactly the numbers a float build trains on. */
void mnist_gather(const Mnist *m, const int *idx, int B, real *x, unsigned char *y);

/* A copy of `src` with every image moved dx pixels right and dy pixels
 * down (negative: left, up); what moves out is lost and what comes in is
 * background (0). Labels are copied. Free dst with mnist_free(). Notes §4:
 * "if we moved an 8 a little to the right, the network got confused". */
void mnist_shifted(const Mnist *src, int dx, int dy, Mnist *dst);

/* The path of one MNIST file in `dir`: kind = "images" or "labels" gives
 * "<dir>/<split>-<kind>-idx{3,1}-ubyte", or that name + ".gz" when only the
 * gzip'd file is there (Fashion-MNIST's Debian package ships them so).
 * Returns 1 when a file was found; 0 leaves the plain name in `path`. */
int mnist_path(const char *dir, const char *split, const char *kind, char *path, size_t pathlen);

#endif
