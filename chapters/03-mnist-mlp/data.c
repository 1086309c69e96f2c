/* data.c — notes §3: the MNIST files, and batches cut from them.
 *
 * The images stay bytes (0..255) in memory; a batch is gathered as floats
 * x = pixel / 255 only when it is used. That is the notes' normalisation to
 * [0, 1], done 64 images at a time instead of 60 000 at once. */
#include "mlp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idx.h"
#include "util.h"

int ch3_data_read(const char *dir, const char *split, Ch3Data *d, char *err, size_t errlen)
{
    memset(d, 0, sizeof *d);
    MnistBytes raw;
    if (mnist_read_bytes(dir, split, &raw, err, errlen) < 0)
        return -1;
    if (raw.rows * raw.cols != CH3_PIXELS) {
        snprintf(err, errlen, "%s/%s: images of %d×%d, this chapter needs 28×28", dir, split,
                 raw.rows, raw.cols);
        mnist_bytes_free(&raw);
        return -1;
    }
    d->n = raw.n;
    d->rows = raw.rows;
    d->cols = raw.cols;
    d->pixels = raw.pixels;   /* handed over */
    d->labels = raw.labels;
    return 0;
}

void ch3_data_load(const char *dir, const char *split, Ch3Data *d)
{
    char err[8192];
    if (ch3_data_read(dir, split, d, err, sizeof err) < 0)
        die("%s", err);
}

void ch3_data_free(Ch3Data *d)
{
    free(d->pixels);
    free(d->labels);
    memset(d, 0, sizeof *d);
}

void ch3_data_limit(Ch3Data *d, int n)
{
    if (n > 0 && n < d->n)
        d->n = n;   /* the bytes past n stay allocated; nothing reads them */
}

void ch3_gather(real *x, unsigned char *y, const Ch3Data *d, const int *idx, int B)
{
    for (int i = 0; i < B; i++) {
        const unsigned char *px = d->pixels + (size_t)idx[i] * CH3_PIXELS;
        real *row = x + (size_t)i * CH3_PIXELS;
        for (int k = 0; k < CH3_PIXELS; k++)
            row[k] = (real)px[k] / (real)255;
        y[i] = d->labels[idx[i]];
    }
}
