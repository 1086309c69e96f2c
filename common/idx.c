/* idx.c — the MNIST files in LeCun's IDX format, read with every check a
 * damaged or foreign file needs (see idx.h for the format).
 *
 * The files are read through zlib's gzopen()/gzread(), which read a gzip'd
 * file and a plain one alike, so "train-images-idx3-ubyte" and
 * "train-images-idx3-ubyte.gz" go through the same code.
 *
 * What is checked, and why:
 *   - the magic number (2051 images, 2049 labels): a label file passed as
 *     images, or a file that is not IDX at all, must not be read as pixels;
 *   - the dimensions: nonzero and sane (rows, cols <= 1024; count <= 10
 *     million), so a corrupt header cannot ask for terabytes;
 *   - the length: exactly the bytes the header promises — fewer means a
 *     truncated download, more means the file is not what it claims;
 *   - labels 0..9 (and, in mnist.c, as many labels as images).
 * Every problem is one line "<file>: <what is wrong>". */
#include "idx.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

enum {
    IDX_MAGIC_IMAGES = 2051,      /* 0x00000803: unsigned bytes, 3 dimensions */
    IDX_MAGIC_LABELS = 2049,      /* 0x00000801: unsigned bytes, 1 dimension */
    IDX_MAX_SIDE = 1024,          /* rows, cols */
    IDX_MAX_COUNT = 10000000,     /* images or labels in one file */
};

/* A reasonable ceiling for one file's payload: the sizes above allow 10 TB,
 * but the series indexes pixels with int. */
#define IDX_MAX_BYTES ((uint64_t)INT32_MAX)

static int fail(char *err, size_t errlen, const char *path, const char *fmt, ...)
    PRINTF_LIKE(4, 5);

/* Writes "<path>: <message>" into err and returns -1, so that every error
 * path is `return fail(...)`. */
static int fail(char *err, size_t errlen, const char *path, const char *fmt, ...)
{
    if (err && errlen) {
        int n = snprintf(err, errlen, "%s: ", path);
        if (n >= 0 && (size_t)n < errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

/* Reads up to n bytes; returns how many were read (short only at the end of
 * the data), or -1 when zlib reports damaged compressed data. */
static long long read_fully(gzFile f, unsigned char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        size_t want = n - got;
        if (want > (1u << 30))
            want = 1u << 30;      /* gzread takes an unsigned int */
        int r = gzread(f, buf + got, (unsigned)want);
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    int zerr;
    gzerror(f, &zerr);
    /* A gzip stream cut short returns its bytes and then Z_BUF_ERROR. */
    if (zerr != Z_OK && zerr != Z_BUF_ERROR)
        return -1;
    return (long long)got;
}

/* Counts the bytes left until the end of the file (the trailing garbage). */
static long long count_rest(gzFile f)
{
    unsigned char chunk[65536];
    long long total = 0;
    for (;;) {
        int r = gzread(f, chunk, sizeof chunk);
        if (r <= 0)
            return total;
        total += r;
    }
}

/* zlib's own message, without the "<path>: " it puts in front. */
static const char *gz_message(gzFile f, const char *path)
{
    int zerr;
    const char *msg = gzerror(f, &zerr);
    size_t len = strlen(path);
    if (strncmp(msg, path, len) == 0 && strncmp(msg + len, ": ", 2) == 0)
        msg += len + 2;
    return msg;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static const char *magic_name(uint32_t magic)
{
    if (magic == IDX_MAGIC_IMAGES)
        return " (an image file)";
    if (magic == IDX_MAGIC_LABELS)
        return " (a label file)";
    if (magic == 0x03080000u || magic == 0x01080000u)
        return " (byte-swapped: written little-endian?)";
    return " (not an IDX file)";
}

/* Opens `path` and reads its header: the magic number, then `ndims`
 * big-endian dimensions into dims[]. Each dimension is checked against
 * 1..max_dim[i]. On success *out is the open file positioned at the data. */
static int open_idx(const char *path, uint32_t want_magic, int ndims,
                    const uint32_t *max_dim, const char *const *dim_name,
                    uint32_t *dims, gzFile *out, char *err, size_t errlen)
{
    *out = NULL;
    if (access(path, R_OK) != 0)
        return fail(err, errlen, path, "cannot open: %s", strerror(errno));
    gzFile f = gzopen(path, "rb");
    if (!f)
        return fail(err, errlen, path, "cannot open: %s",
                    errno ? strerror(errno) : "out of memory");
    gzbuffer(f, 1u << 17);

    unsigned char head[4 + 4 * 3];
    size_t head_len = 4 + 4 * (size_t)ndims;
    long long got = read_fully(f, head, head_len);
    if (got < 0) {
        fail(err, errlen, path, "damaged gzip data: %s", gz_message(f, path));
        gzclose(f);                /* frees gzerror's message: format it first */
        return -1;
    }
    if ((size_t)got < head_len) {
        gzclose(f);
        return fail(err, errlen, path, "truncated: the header needs %zu bytes, file has %lld",
                    head_len, got);
    }
    uint32_t magic = be32(head);
    if (magic != want_magic) {
        gzclose(f);
        return fail(err, errlen, path, "wrong magic number %u%s, expected %u (%s)",
                    magic, magic_name(magic), want_magic,
                    want_magic == IDX_MAGIC_IMAGES ? "images" : "labels");
    }
    for (int i = 0; i < ndims; i++) {
        dims[i] = be32(head + 4 + 4 * i);
        if (dims[i] == 0 || dims[i] > max_dim[i]) {
            gzclose(f);
            return fail(err, errlen, path, "bad header: %s = %u (must be 1..%u)",
                        dim_name[i], dims[i], max_dim[i]);
        }
    }
    *out = f;
    return 0;
}

/* Reads exactly `n` payload bytes (the header's promise) into a new buffer,
 * and checks nothing follows them. The buffer grows as the bytes arrive, so a
 * header promising much more than the file holds costs no huge allocation.
 * `what` names the bytes in messages ("pixel", "label"). */
static int read_payload(gzFile f, const char *path, uint64_t n, const char *what,
                        unsigned char **out, char *err, size_t errlen)
{
    *out = NULL;
    if (n > IDX_MAX_BYTES)
        return fail(err, errlen, path, "bad header: promises %llu %s bytes, more than the %llu this reader accepts",
                    (unsigned long long)n, what, (unsigned long long)IDX_MAX_BYTES);
    size_t cap = n < (1u << 24) ? (size_t)n : (1u << 24);
    unsigned char *buf = xmalloc(cap);
    size_t got = 0;
    while (got < n) {
        if (got == cap) {
            cap = (uint64_t)cap * 2 > n ? (size_t)n : cap * 2;
            buf = xrealloc(buf, cap);
        }
        size_t want = cap - got;
        long long r = read_fully(f, buf + got, want);
        if (r < 0) {
            fail(err, errlen, path, "damaged gzip data: %s", gz_message(f, path));
            free(buf);
            return -1;
        }
        got += (size_t)r;
        if ((size_t)r < want)
            break;                /* end of file before the promised bytes */
    }
    if (got < n) {
        free(buf);
        return fail(err, errlen, path, "truncated: header promises %llu %s bytes, file has %zu",
                    (unsigned long long)n, what, got);
    }
    long long extra = count_rest(f);
    if (extra > 0) {
        free(buf);
        return fail(err, errlen, path, "%lld unexpected bytes after the %llu %s bytes the header promises",
                    extra, (unsigned long long)n, what);
    }
    *out = buf;
    return 0;
}

int idx_read_images(const char *path, IdxImages *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    static const uint32_t max_dim[3] = {IDX_MAX_COUNT, IDX_MAX_SIDE, IDX_MAX_SIDE};
    static const char *const dim_name[3] = {"image count", "rows", "cols"};
    uint32_t dims[3];
    gzFile f;
    if (open_idx(path, IDX_MAGIC_IMAGES, 3, max_dim, dim_name, dims, &f, err, errlen) < 0)
        return -1;
    uint64_t n = (uint64_t)dims[0] * dims[1] * dims[2];
    unsigned char *pixels;
    int rc = read_payload(f, path, n, "pixel", &pixels, err, errlen);
    gzclose(f);
    if (rc < 0)
        return -1;
    out->count = (int)dims[0];
    out->rows = (int)dims[1];
    out->cols = (int)dims[2];
    out->pixels = pixels;
    return 0;
}

int idx_read_labels(const char *path, IdxLabels *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    static const uint32_t max_dim[1] = {IDX_MAX_COUNT};
    static const char *const dim_name[1] = {"label count"};
    uint32_t dims[1];
    gzFile f;
    if (open_idx(path, IDX_MAGIC_LABELS, 1, max_dim, dim_name, dims, &f, err, errlen) < 0)
        return -1;
    unsigned char *labels;
    int rc = read_payload(f, path, dims[0], "label", &labels, err, errlen);
    gzclose(f);
    if (rc < 0)
        return -1;
    /* MNIST and Fashion-MNIST both have ten classes, 0..9. */
    for (uint32_t i = 0; i < dims[0]; i++)
        if (labels[i] > 9) {
            fail(err, errlen, path, "label %u at position %u is outside 0..9", labels[i], i);
            free(labels);
            return -1;
        }
    out->count = (int)dims[0];
    out->labels = labels;
    return 0;
}

void idx_free_images(IdxImages *im)
{
    free(im->pixels);
    memset(im, 0, sizeof *im);
}

void idx_free_labels(IdxLabels *lb)
{
    free(lb->labels);
    memset(lb, 0, sizeof *lb);
}
