/* idx.h — reading the MNIST files in their original IDX format (plain or
 * .gz), with every check a damaged or foreign file needs.
 *
 * IDX (LeCun's format): a big-endian header — magic number 2051 for images
 * (0x00000803: unsigned bytes, 3 dimensions) or 2049 for labels (0x00000801,
 * 1 dimension), then the dimensions as big-endian u32 — and then the bytes.
 *
 * The idx_read_* functions return 0 on success and otherwise -1 with one
 * line in `err` that names the file and what is wrong with it; the
 * mnist_load() convenience stops the program with that line. */
#ifndef IDX_H
#define IDX_H

#include <stddef.h>

typedef struct {
    int count, rows, cols;     /* e.g. 60000, 28, 28 */
    unsigned char *pixels;     /* count * rows * cols bytes, 0..255, image after image */
} IdxImages;

typedef struct {
    int count;
    unsigned char *labels;     /* count bytes, 0..9 */
} IdxLabels;

int idx_read_images(const char *path, IdxImages *out, char *err, size_t errlen);
int idx_read_labels(const char *path, IdxLabels *out, char *err, size_t errlen);
void idx_free_images(IdxImages *im);
void idx_free_labels(IdxLabels *lb);

/* A split of MNIST as the files store it: bytes 0..255. Chapters 3 and 4
 * keep the bytes and divide by 255 one batch at a time: 60 000 images cost
 * 47 MB as bytes but 188 MB as floats. */
typedef struct {
    int n, rows, cols;         /* e.g. 60000, 28, 28 */
    unsigned char *pixels;     /* (n, rows*cols) */
    unsigned char *labels;     /* (n), 0..9 */
} MnistBytes;

/* Finds and reads both files of a split (plain or .gz), checks them and that
 * their counts agree. -1 with one line in `err` on any problem; a missing
 * file says "run 'make data'". */
int mnist_read_bytes(const char *dir, const char *split, MnistBytes *out, char *err,
                     size_t errlen);
void mnist_load_bytes(const char *dir, const char *split, MnistBytes *out); /* dies instead */
void mnist_bytes_free(MnistBytes *m);

/* A split of MNIST ready for training: pixels / 255 as floats, each image
 * flattened row by row to rows*cols values (notes §3). */
typedef struct {
    int n, rows, cols;         /* n images of rows × cols */
    float *x;                  /* (n, rows*cols) */
    unsigned char *y;          /* (n) labels */
} Dataset;

/* Loads "<dir>/<split>-images-idx3-ubyte" and "<dir>/<split>-labels-idx1-ubyte"
 * (or the same names with .gz), split = "train" or "t10k". Checks that the
 * counts agree and the labels are 0..9. On any problem it stops the program
 * with one line; a missing file says how to get it ("run 'make data'"). */
void mnist_load(const char *dir, const char *split, Dataset *out);
void dataset_free(Dataset *d);

/* The same as mnist_load() but returning -1 with the one-line message in
 * `err` instead of stopping the program (for tests, and for callers that
 * want to try another folder). */
int mnist_read(const char *dir, const char *split, Dataset *out, char *err, size_t errlen);

/* The path of one MNIST file in `dir`: kind = "images" or "labels" gives
 * "<dir>/<split>-<kind>-idx{3,1}-ubyte", or that name + ".gz" when only the
 * gzip'd file is there (Fashion-MNIST's Debian package ships them so).
 * Returns 1 when a file was found; 0 leaves the plain name in `path`. */
int mnist_path(const char *dir, const char *split, const char *kind, char *path, size_t pathlen);

#endif
