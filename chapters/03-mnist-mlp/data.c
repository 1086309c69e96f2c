/* data.c — notes §3: the MNIST files, and batches cut from them.
 *
 * The images stay bytes (0..255) in memory; a batch is gathered as floats
 * x = pixel / 255 only when it is used. That is the notes' normalisation to
 * [0, 1], done 64 images at a time instead of 60 000 at once. */
#include "mlp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int ch3_data_read(const char *dir, const char *split, Ch3Data *d, char *err, size_t errlen)
{
    if (mnist_read(dir, split, d, err, errlen) < 0)
        return -1;
    if (d->rows * d->cols != CH3_PIXELS) {
        snprintf(err, errlen, "%s/%s: images of %d×%d, this chapter needs 28×28", dir, split,
                 d->rows, d->cols);
        mnist_free(d);
        return -1;
    }
    return 0;
}

void ch3_data_load(const char *dir, const char *split, Ch3Data *d)
{
    char err[8192];
    if (ch3_data_read(dir, split, d, err, sizeof err) < 0)
        die("%s", err);
}

void ch3_data_free(Ch3Data *d) { mnist_free(d); }

void ch3_data_limit(Ch3Data *d, int n) { mnist_limit(d, n); }

void ch3_gather(real *x, unsigned char *y, const Ch3Data *d, const int *idx, int B)
{
    mnist_gather(d, idx, B, x, y);
}
