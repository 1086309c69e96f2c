/* idx.h — reading the MNIST files in their original IDX format (plain or
 * .gz), with every check a damaged or foreign file needs.
 *
 * IDX (LeCun's format): a big-endian header — magic number 2051 for images
 * (0x00000803: unsigned bytes, 3 dimensions) or 2049 for labels (0x00000801,
 * 1 dimension), then the dimensions as big-endian u32 — and then the bytes.
 *
 * The idx_read_* functions read a file (plain or .gz); the idx_parse_*
 * functions check bytes already in memory by the same rules (a whole file's
 * bytes, uncompressed; `name` stands for the file in messages). All return 0
 * on success and otherwise -1 with one line in `err` that names the file and
 * what is wrong with it, in Spanish ("<file>: truncado: ..."); the
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
int idx_parse_images(const unsigned char *bytes, size_t size, const char *name, IdxImages *out,
                     char *err, size_t errlen);
int idx_parse_labels(const unsigned char *bytes, size_t size, const char *name, IdxLabels *out,
                     char *err, size_t errlen);
void idx_free_images(IdxImages *im);
void idx_free_labels(IdxLabels *lb);

/* The dataset the chapters use (Mnist: both files of a split, checked
 * against each other, and the batches cut from them) is in mnist.h. */

#endif
