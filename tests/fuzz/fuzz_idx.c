/* fuzz_idx.c — the IDX reader (common/idx.c) on any bytes.
 *
 * Input: one byte of choices, then the file's bytes. The choice byte:
 *   bit 0      0: images (idx_*_images), 1: labels (idx_*_labels);
 *   bits 1-4   0001: also write the bytes to a file and read it back with
 *              idx_read_* — the path the chapters take (gzread, the growing
 *              buffer, the count of trailing bytes). A file costs ~100 times
 *              a read from memory (zlib's buffers, a file), so only one
 *              choice byte in 16 takes that path: most of the fuzzer's time
 *              stays on the rules themselves;
 *   bit 5      1: that file gzip'd (so zlib's side is fuzzed on well-formed
 *              gzip streams of any content; a plain file whose bytes happen
 *              to be gzip is the damaged-gzip case).
 * The bytes always go through idx_parse_images / idx_parse_labels, the rules
 * on bytes in memory. Promises checked on top of "no crash, no leak, no
 * undefined behaviour":
 *   - accepted: the dimensions are positive and account for every byte after
 *     the header, the payload is the file's bytes, labels are 0..9;
 *   - refused: one line, starting with the name given;
 *   - the file gives the same answer as the bytes in memory — the same
 *     values, or the same line — unless its bytes start as gzip does. */
#include "fuzz.h"
#include "idx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* The answer of one read: 1 accepted, 0 refused, with its line or values. */
typedef struct {
    int accepted;
    char err[512];
    int count, rows, cols;
    unsigned char *bytes;      /* pixels or labels, count·rows·cols of them */
} Answer;

static void check_answer(const Answer *a, const char *name, const uint8_t *file, size_t size,
                         int labels)
{
    if (!a->accepted) {
        size_t len = strlen(name);
        FUZZ_CHECK(a->bytes == NULL, "a refused file left its bytes");
        FUZZ_CHECK(strncmp(a->err, name, len) == 0 && strncmp(a->err + len, ": ", 2) == 0 &&
                   a->err[len + 2] != '\0', "the error does not name the file: '%s'", a->err);
        FUZZ_CHECK(strchr(a->err, '\n') == NULL, "the error is not one line: '%s'", a->err);
        return;
    }
    size_t head = labels ? 8 : 16, n = (size_t)a->count * (size_t)a->rows * (size_t)a->cols;
    FUZZ_CHECK(a->count > 0 && a->rows > 0 && a->cols > 0, "%d × %d × %d", a->count, a->rows,
               a->cols);
    FUZZ_CHECK(size == head + n, "%zu bytes accepted for %zu values", size, n);
    FUZZ_CHECK(memcmp(a->bytes, file + head, n) == 0, "the values are not the file's bytes");
    for (size_t i = 0; labels && i < n; i++)
        FUZZ_CHECK(a->bytes[i] <= 9, "label %zu is %d", i, a->bytes[i]);
}

/* From memory (path NULL) or from the file at path. */
static Answer read_one(const uint8_t *file, size_t size, const char *name, const char *path,
                       int labels)
{
    Answer a = {0};
    if (labels) {
        IdxLabels lb;
        a.accepted = (path ? idx_read_labels(path, &lb, a.err, sizeof a.err)
                           : idx_parse_labels(file, size, name, &lb, a.err, sizeof a.err)) == 0;
        a.count = lb.count;
        a.rows = a.cols = 1;
        a.bytes = lb.labels;
    } else {
        IdxImages im;
        a.accepted = (path ? idx_read_images(path, &im, a.err, sizeof a.err)
                           : idx_parse_images(file, size, name, &im, a.err, sizeof a.err)) == 0;
        a.count = im.count;
        a.rows = im.rows;
        a.cols = im.cols;
        a.bytes = im.pixels;
    }
    return a;
}

/* The bytes as a file, plain or gzip'd. */
static void write_file(const char *path, const uint8_t *file, size_t size, int gz)
{
    if (gz) {
        gzFile f = gzopen(path, "wb");
        FUZZ_CHECK(f && (size == 0 || gzwrite(f, file, (unsigned)size) == (int)size) &&
                   gzclose(f) == Z_OK, "cannot write %s", path);
    } else {
        FILE *f = fopen(path, "wb");
        FUZZ_CHECK(f && fwrite(file, 1, size, f) == size && fclose(f) == 0, "cannot write %s",
                   path);
    }
}

int fuzz_idx_one(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int labels = data[0] & 1, via_file = (data[0] & 0x1e) == 0x02, gz = data[0] & 0x20;
    const uint8_t *file = data + 1;
    size--;
    char path[64];
    /* in memory (tmpfs) where there is one: the fuzzer writes it often */
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(path, sizeof path, "%s/fuzz_idx.%ld", dir, (long)getpid());
    Answer mem = read_one(file, size, path, NULL, labels);
    check_answer(&mem, path, file, size, labels);
    if (via_file) {
        write_file(path, file, size, gz);
        Answer disk = read_one(NULL, 0, path, path, labels);
        unlink(path);
        int looks_gzip = size >= 2 && file[0] == 0x1f && file[1] == 0x8b;
        if (gz || !looks_gzip) {
            check_answer(&disk, path, file, size, labels);
            FUZZ_CHECK(disk.accepted == mem.accepted && strcmp(disk.err, mem.err) == 0,
                       "from the file: '%s'; from memory: '%s'", disk.err, mem.err);
        }
        free(disk.bytes);
    }
    free(mem.bytes);
    return mem.accepted;
}

#ifdef FUZZING
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_idx_one(data, size);
    return 0;
}
#endif
