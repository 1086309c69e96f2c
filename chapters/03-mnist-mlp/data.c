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
    char ipath[4096], lpath[4096];
    if (!mnist_path(dir, split, "images", ipath, sizeof ipath)) {
        snprintf(err, errlen, "%s: not found — run 'make data' (or pass --data DIR)", ipath);
        return -1;
    }
    if (!mnist_path(dir, split, "labels", lpath, sizeof lpath)) {
        snprintf(err, errlen, "%s: not found — run 'make data' (or pass --data DIR)", lpath);
        return -1;
    }
    IdxImages im;
    IdxLabels lb;
    if (idx_read_images(ipath, &im, err, errlen) < 0)
        return -1;
    if (idx_read_labels(lpath, &lb, err, errlen) < 0) {
        idx_free_images(&im);
        return -1;
    }
    if (im.count != lb.count || im.rows * im.cols != CH3_PIXELS) {
        if (im.count != lb.count)
            snprintf(err, errlen, "%.2000s: %d labels for %d images in %.2000s", lpath, lb.count,
                     im.count, ipath);
        else
            snprintf(err, errlen, "%s: images of %d×%d, this chapter needs 28×28", ipath,
                     im.rows, im.cols);
        idx_free_images(&im);
        idx_free_labels(&lb);
        return -1;
    }
    d->n = im.count;
    d->rows = im.rows;
    d->cols = im.cols;
    d->pixels = im.pixels;   /* handed over */
    d->labels = lb.labels;
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
