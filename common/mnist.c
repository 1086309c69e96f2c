/* mnist.c — see mnist.h. */
#include "mnist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idx.h"
#include "util.h"

int mnist_path(const char *dir, const char *split, const char *kind, char *path, size_t pathlen)
{
    /* kind "images" → "<split>-images-idx3-ubyte", "labels" → "...-idx1-ubyte" */
    const char *dims = strcmp(kind, "images") == 0 ? "3" : "1";
    snprintf(path, pathlen, "%s/%s-%s-idx%s-ubyte", dir, split, kind, dims);
    if (access(path, F_OK) == 0)
        return 1;
    size_t len = strlen(path);
    snprintf(path + len, pathlen - len, ".gz");
    if (access(path, F_OK) == 0)
        return 1;
    path[len] = '\0';             /* name the plain file in messages */
    return 0;
}

/* After a damaged or foreign file's line: how to get a good one. */
static void add_hint(char *err, size_t errlen)
{
    size_t len = strlen(err);
    if (len < errlen)
        snprintf(err + len, errlen - len, " — 'make data' comprueba MNIST y reemplaza un archivo dañado");
}

int mnist_read(const char *dir, const char *split, Mnist *m, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    char ipath[4096], lpath[4096];
    if (!mnist_path(dir, split, "images", ipath, sizeof ipath)) {
        snprintf(err, errlen, "%s: no está — ejecuta 'make data' (o indica la carpeta con MNIST_DIR)", ipath);
        return -1;
    }
    if (!mnist_path(dir, split, "labels", lpath, sizeof lpath)) {
        snprintf(err, errlen, "%s: no está — ejecuta 'make data' (o indica la carpeta con MNIST_DIR)", lpath);
        return -1;
    }
    IdxImages im;
    IdxLabels lb;
    if (idx_read_images(ipath, &im, err, errlen) < 0) {
        add_hint(err, errlen);
        return -1;
    }
    if (idx_read_labels(lpath, &lb, err, errlen) < 0) {
        add_hint(err, errlen);
        idx_free_images(&im);
        return -1;
    }
    if (im.count != lb.count) {
        snprintf(err, errlen, "%s: tiene %d etiquetas pero %s tiene %d imágenes", lpath, lb.count,
                 ipath, im.count);
        add_hint(err, errlen);
        idx_free_images(&im);
        idx_free_labels(&lb);
        return -1;
    }
    m->n = im.count;
    m->rows = im.rows;
    m->cols = im.cols;
    m->pixels = im.pixels;        /* handed over, not copied */
    m->labels = lb.labels;
    return 0;
}

void mnist_load(const char *dir, const char *split, Mnist *m)
{
    char err[8192];
    if (mnist_read(dir, split, m, err, sizeof err) < 0)
        die("%s", err);
}

void mnist_free(Mnist *m)
{
    free(m->pixels);
    free(m->labels);
    memset(m, 0, sizeof *m);
}

void mnist_limit(Mnist *m, int n)
{
    if (n > 0 && n < m->n)
        m->n = n;   /* the bytes past n stay allocated; nothing reads them */
}

void mnist_gather(const Mnist *m, const int *idx, int B, real *x, unsigned char *y)
{
    size_t side = (size_t)m->rows * m->cols;
    for (int i = 0; i < B; i++) {
        int k = idx ? idx[i] : i;
        if (k < 0 || k >= m->n)
            die("mnist_gather: image %d of %d", k, m->n);
        const unsigned char *px = m->pixels + (size_t)k * side;
        real *row = x + (size_t)i * side;
        for (size_t j = 0; j < side; j++)
            row[j] = (real)((float)px[j] / 255.0f);
        if (y)
            y[i] = m->labels[k];
    }
}

void mnist_shifted(const Mnist *src, int dx, int dy, Mnist *dst)
{
    int rows = src->rows, cols = src->cols;
    size_t size = (size_t)rows * cols;
    dst->n = src->n;
    dst->rows = rows;
    dst->cols = cols;
    dst->pixels = xcalloc((size_t)src->n * size, 1);
    dst->labels = xmalloc((size_t)src->n > 0 ? (size_t)src->n : 1);
    memcpy(dst->labels, src->labels, (size_t)src->n);
    for (int i = 0; i < src->n; i++) {
        const unsigned char *in = src->pixels + (size_t)i * size;
        unsigned char *out = dst->pixels + (size_t)i * size;
        for (int r = 0; r < rows; r++) {
            int from_r = r - dy;
            if (from_r < 0 || from_r >= rows)
                continue;
            for (int c = 0; c < cols; c++) {
                int from_c = c - dx;
                if (from_c >= 0 && from_c < cols)
                    out[(size_t)r * cols + c] = in[(size_t)from_r * cols + from_c];
            }
        }
    }
}
