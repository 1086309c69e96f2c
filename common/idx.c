/* idx.c — the MNIST files in LeCun's IDX format, read with every check a
 * damaged or foreign file needs (see idx.h for the format).
 *
 * Two layers. idx_parse_images() / idx_parse_labels() check bytes already in
 * memory; they are the whole of the format's rules, and what the fuzzer
 * (tests/fuzz/fuzz_idx.c) feeds. idx_read_images() / idx_read_labels() get
 * a file's bytes to them: through zlib's gzopen()/gzread(), which read a
 * gzip'd file and a plain one alike, so "train-images-idx3-ubyte" and
 * "train-images-idx3-ubyte.gz" go through the same code.
 *
 * What is checked, and why:
 *   - the file: there, readable, a file and not a folder; gzip data that
 *     decompresses;
 *   - the magic number (2051 images, 2049 labels): a label file passed as
 *     images, or a file that is not IDX at all, must not be read as pixels;
 *   - the dimensions: nonzero and sane (rows, cols <= 1024; count <= 10
 *     million), so a corrupt header cannot ask for terabytes;
 *   - the length: exactly the bytes the header promises — fewer means a
 *     truncated download, more means the file is not what it claims;
 *   - labels 0..9 (and, in mnist.c, as many labels as images).
 * Every problem is one line "<file>: <what is wrong>", in Spanish like the
 * rest of what the programs say. */
#include "idx.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

enum {
    IDX_MAGIC_IMAGES = 2051,      /* 0x00000803: unsigned bytes, 3 dimensions */
    IDX_MAGIC_LABELS = 2049,      /* 0x00000801: unsigned bytes, 1 dimension */
    IDX_MAX_SIDE = 1024,          /* rows, cols */
    IDX_MAX_COUNT = 10000000,     /* images or labels in one file */
    IDX_MAX_HEAD = 4 + 4 * 3,     /* magic and up to three dimensions */
};

/* A reasonable ceiling for one file's payload: the sizes above allow 10 TB,
 * but the series indexes pixels with int. */
#define IDX_MAX_BYTES ((uint64_t)INT32_MAX)

/* What tells an image file from a label file. */
typedef struct {
    uint32_t magic;
    int ndims;
    uint32_t max_dim[3];
    const char *dim_name[3];
    const char *bytes_name;       /* "de píxeles": the payload in messages */
    int labels;                   /* 1: every byte must be 0..9 */
} IdxKind;

static const IdxKind IMAGES = {IDX_MAGIC_IMAGES, 3, {IDX_MAX_COUNT, IDX_MAX_SIDE, IDX_MAX_SIDE},
                               {"número de imágenes", "filas", "columnas"}, "de píxeles", 0};
static const IdxKind LABELS = {IDX_MAGIC_LABELS, 1, {IDX_MAX_COUNT, 0, 0},
                               {"número de etiquetas", NULL, NULL}, "de etiquetas", 1};

static size_t head_len(const IdxKind *kind) { return 4 + 4 * (size_t)kind->ndims; }

static int fail(char *err, size_t errlen, const char *name, const char *fmt, ...)
    PRINTF_LIKE(4, 5);

/* Writes "<name>: <message>" into err and returns -1, so that every error
 * path is `return fail(...)`. */
static int fail(char *err, size_t errlen, const char *name, const char *fmt, ...)
{
    if (err && errlen) {
        int n = snprintf(err, errlen, "%s: ", name);
        if (n >= 0 && (size_t)n < errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* What a wrong magic number most likely is, for the message. */
static const char *magic_name(uint32_t magic)
{
    if (magic == IDX_MAGIC_IMAGES)
        return " (un archivo de imágenes)";
    if (magic == IDX_MAGIC_LABELS)
        return " (un archivo de etiquetas)";
    if (magic == 0x03080000u || magic == 0x01080000u)
        return " (con los bytes al revés: ¿escrito en little-endian?)";
    if (magic >> 16 == 0x1f8bu)
        return " (datos gzip: ¿comprimido dos veces?)";
    return " (no es un archivo IDX)";
}

/* --- the format's rules, on bytes in memory --------------------------- */

/* The header at bytes[0 .. size): magic number and dimensions, each
 * dimension 1..max, and the payload they promise (*payload bytes) within
 * what this reader accepts. */
static int check_header(const unsigned char *bytes, size_t size, const char *name,
                        const IdxKind *kind, uint32_t *dims, uint64_t *payload,
                        char *err, size_t errlen)
{
    size_t need = head_len(kind);
    if (size == 0)
        return fail(err, errlen, name, "está vacío (0 bytes)");
    if (size < 4)
        return fail(err, errlen, name, "truncado: la cabecera necesita %zu bytes y el archivo tiene %zu",
                    need, size);
    uint32_t magic = be32(bytes);
    if (magic != kind->magic)
        return fail(err, errlen, name, "número mágico %u%s, se esperaba %u (%s)", magic,
                    magic_name(magic), kind->magic, kind->labels ? "etiquetas" : "imágenes");
    if (size < need)
        return fail(err, errlen, name, "truncado: la cabecera necesita %zu bytes y el archivo tiene %zu",
                    need, size);
    uint64_t n = 1;
    for (int i = 0; i < kind->ndims; i++) {
        dims[i] = be32(bytes + 4 + 4 * i);
        if (dims[i] == 0 || dims[i] > kind->max_dim[i])
            return fail(err, errlen, name, "cabecera incorrecta: %s = %u (debe estar entre 1 y %u)",
                        kind->dim_name[i], dims[i], kind->max_dim[i]);
        n *= dims[i];             /* at most 10^7 · 1024 · 1024: no overflow */
    }
    if (n > IDX_MAX_BYTES)
        return fail(err, errlen, name, "cabecera incorrecta: promete %llu bytes %s, más de los %llu que admite este lector",
                    (unsigned long long)n, kind->bytes_name, (unsigned long long)IDX_MAX_BYTES);
    *payload = n;
    return 0;
}

/* A whole file's bytes: the header, then exactly the payload it promises
 * (`beyond` more bytes followed them in a file too long to keep in memory:
 * idx_read_* counts them without storing them), labels 0..9. */
static int check_idx(const unsigned char *bytes, size_t size, uint64_t beyond, const char *name,
                     const IdxKind *kind, uint32_t *dims, uint64_t *payload,
                     char *err, size_t errlen)
{
    if (check_header(bytes, size, name, kind, dims, payload, err, errlen) < 0)
        return -1;
    uint64_t n = *payload, have = size - head_len(kind);
    if (have < n)
        return fail(err, errlen, name, "truncado: la cabecera promete %llu bytes %s y el archivo tiene %llu",
                    (unsigned long long)n, kind->bytes_name, (unsigned long long)have);
    if (have > n || beyond > 0)
        return fail(err, errlen, name, "sobran %llu bytes tras los %llu bytes %s que promete la cabecera",
                    (unsigned long long)(have - n + beyond), (unsigned long long)n, kind->bytes_name);
    /* MNIST and Fashion-MNIST both have ten classes, 0..9. */
    const unsigned char *data = bytes + head_len(kind);
    for (uint64_t i = 0; kind->labels && i < n; i++)
        if (data[i] > 9)
            return fail(err, errlen, name, "la etiqueta %u en la posición %llu está fuera de 0..9",
                        data[i], (unsigned long long)i);
    return 0;
}

int idx_parse_images(const unsigned char *bytes, size_t size, const char *name, IdxImages *out,
                     char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    uint32_t dims[3];
    uint64_t n;
    if (check_idx(bytes, size, 0, name, &IMAGES, dims, &n, err, errlen) < 0)
        return -1;
    out->pixels = xmalloc((size_t)n);
    memcpy(out->pixels, bytes + head_len(&IMAGES), (size_t)n);
    out->count = (int)dims[0];
    out->rows = (int)dims[1];
    out->cols = (int)dims[2];
    return 0;
}

int idx_parse_labels(const unsigned char *bytes, size_t size, const char *name, IdxLabels *out,
                     char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    uint32_t dims[1];
    uint64_t n;
    if (check_idx(bytes, size, 0, name, &LABELS, dims, &n, err, errlen) < 0)
        return -1;
    out->labels = xmalloc((size_t)n);
    memcpy(out->labels, bytes + head_len(&LABELS), (size_t)n);
    out->count = (int)dims[0];
    return 0;
}

/* --- a file's bytes --------------------------------------------------- */

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

/* Counts the bytes left until the end of the file (the trailing garbage),
 * or -1 when the compressed data there is damaged. */
static long long count_rest(gzFile f)
{
    unsigned char chunk[65536];
    long long total = 0;
    for (;;) {
        long long r = read_fully(f, chunk, sizeof chunk);
        if (r < 0)
            return -1;
        total += r;
        if (r < (long long)sizeof chunk)
            return total;
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

/* The path names something this reader can open: a readable file. */
static int check_file(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return fail(err, errlen, path, "no se puede abrir (%s)", strerror(errno));
    if (S_ISDIR(st.st_mode))
        return fail(err, errlen, path, "es una carpeta, no un archivo");
    if (!S_ISREG(st.st_mode))
        return fail(err, errlen, path, "no es un archivo normal (¿un dispositivo o una tubería?)");
    if (access(path, R_OK) != 0)
        return fail(err, errlen, path, "no se puede leer (%s)", strerror(errno));
    return 0;
}

/* Reads the file (decompressed when gzip'd) into *buf: the header, then at
 * most the payload it promises — the buffer grows as the bytes arrive, so a
 * header promising much more than the file holds costs no huge allocation —
 * and counts what follows in *beyond without keeping it. A header that
 * breaks the rules is refused here already (check_header's line). */
static int read_idx_file(const char *path, const IdxKind *kind, unsigned char **buf,
                         size_t *size, uint64_t *beyond, char *err, size_t errlen)
{
    *buf = NULL;
    if (check_file(path, err, errlen) < 0)
        return -1;
    gzFile f = gzopen(path, "rb");
    if (!f)
        return fail(err, errlen, path, "no se puede abrir (%s)",
                    errno ? strerror(errno) : "sin memoria");
    gzbuffer(f, 1u << 17);

    unsigned char head[IDX_MAX_HEAD];
    long long got = read_fully(f, head, head_len(kind));
    uint32_t dims[3];
    uint64_t payload = 0;
    int rc = got < 0 ? fail(err, errlen, path, "datos gzip dañados: %s", gz_message(f, path))
                     : check_header(head, (size_t)got, path, kind, dims, &payload, err, errlen);
    size_t total = got > 0 ? (size_t)got : 0, want = head_len(kind) + (size_t)payload;
    size_t cap = want < (1u << 16) ? want : (1u << 16);
    unsigned char *bytes = rc < 0 ? NULL : xmalloc(cap);
    if (bytes)
        memcpy(bytes, head, total);
    while (rc == 0 && total < want) {
        if (total == cap) {
            cap = cap * 2 > want ? want : cap * 2;
            bytes = xrealloc(bytes, cap);
        }
        long long r = read_fully(f, bytes + total, cap - total);
        if (r < 0)
            rc = fail(err, errlen, path, "datos gzip dañados: %s", gz_message(f, path));
        else if (r == 0)
            break;                /* the end, before the promised bytes: check_idx says so */
        else
            total += (size_t)r;
    }
    long long rest = rc == 0 ? count_rest(f) : 0;
    if (rest < 0)
        rc = fail(err, errlen, path, "datos gzip dañados: %s", gz_message(f, path));
    gzclose(f);                   /* frees gzerror's message: formatted above */
    if (rc < 0) {
        free(bytes);
        return -1;
    }
    *buf = bytes;
    *size = total;
    *beyond = (uint64_t)rest;
    return 0;
}

/* Reads and checks the file; on success *payload is a buffer of its
 * payload alone (the header's bytes moved out), *dims the header's. */
static int read_idx(const char *path, const IdxKind *kind, uint32_t *dims, unsigned char **payload,
                    char *err, size_t errlen)
{
    unsigned char *bytes;
    size_t size = 0;
    uint64_t beyond = 0, n;
    *payload = NULL;
    if (read_idx_file(path, kind, &bytes, &size, &beyond, err, errlen) < 0)
        return -1;
    if (check_idx(bytes, size, beyond, path, kind, dims, &n, err, errlen) < 0) {
        free(bytes);
        return -1;
    }
    /* The payload moves to the front of the same buffer: a 47 MB file is
     * never held twice. */
    memmove(bytes, bytes + head_len(kind), (size_t)n);
    *payload = xrealloc(bytes, (size_t)n);
    return 0;
}

int idx_read_images(const char *path, IdxImages *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    uint32_t dims[3];
    unsigned char *pixels;
    if (read_idx(path, &IMAGES, dims, &pixels, err, errlen) < 0)
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
    uint32_t dims[1];
    unsigned char *labels;
    if (read_idx(path, &LABELS, dims, &labels, err, errlen) < 0)
        return -1;
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
