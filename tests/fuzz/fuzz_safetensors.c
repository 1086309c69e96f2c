/* fuzz_safetensors.c — the safetensors reader (common/safetensors.c) on any
 * bytes.
 *
 * Input: one byte that chooses which tensors the reader is told to expect
 * (its value modulo 3), then the file's bytes, handed to st_parse_meta (what
 * a checkpoint's reader asks first) and to st_parse (st_load is st_parse on a
 * file's bytes):
 *   0  a small made-up network, "w" (2, 3) and "b" (3), F32 — small enough
 *      that the fuzzer reaches the data part and the checks of the values;
 *   1  chapter 3's MLP, fc1..fc3 weight and bias (784–128–64–10), whose
 *      109 386 values no fuzzed input will hold: the header's checks
 *      against real names and shapes;
 *   2  a checkpoint's kinds of tensor: "w" (2, 3) F32, "loss" (4) F64,
 *      "order" (5) I32.
 * Promises checked: accepted means every expected F32 value is finite (a NaN
 * or infinite weight is refused, issue 11) and the metadata within its
 * bounds, C strings; refused means one line naming the file. */
#include "fuzz.h"
#include "safetensors.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME "fuzz.safetensors"

/* The tensors to expect, their buffers allocated (the dtype is the one
 * pointer set: data F32, f64 F64, i32 I32). */
static int expected_set(int which, StTensor *t)
{
    if (which == 0) {
        t[0] = (StTensor){.name = "w", .ndim = 2, .shape = {2, 3}, .data = calloc(6, sizeof(real))};
        t[1] = (StTensor){.name = "b", .ndim = 1, .shape = {3}, .data = calloc(3, sizeof(real))};
        return 2;
    }
    if (which == 2) {
        t[0] = (StTensor){.name = "w", .ndim = 2, .shape = {2, 3}, .data = calloc(6, sizeof(real))};
        t[1] = (StTensor){.name = "loss", .ndim = 1, .shape = {4}, .f64 = calloc(4, sizeof(double))};
        t[2] = (StTensor){.name = "order", .ndim = 1, .shape = {5}, .i32 = calloc(5, sizeof(int32_t))};
        return 3;
    }
    static const char *const names[6] = {"fc1.weight", "fc1.bias", "fc2.weight",
                                         "fc2.bias", "fc3.weight", "fc3.bias"};
    static const int sizes[4] = {784, 128, 64, 10};
    for (int l = 0; l < 3; l++) {
        t[2 * l] = (StTensor){.name = names[2 * l], .ndim = 2, .shape = {sizes[l + 1], sizes[l]}};
        t[2 * l + 1] = (StTensor){.name = names[2 * l + 1], .ndim = 1, .shape = {sizes[l + 1]}};
    }
    for (int i = 0; i < 6; i++)
        t[i].data = calloc(st_numel(&t[i]), sizeof(real));
    return 6;
}

static void check_refusal(int rc, const char *err)
{
    FUZZ_CHECK(rc == -1, "returned %d", rc);
    FUZZ_CHECK(strncmp(err, NAME ": ", strlen(NAME) + 2) == 0 && err[strlen(NAME) + 2] != '\0',
               "the error does not name the file: '%s'", err);
    FUZZ_CHECK(strchr(err, '\n') == NULL, "the error is not one line: '%s'", err);
}

static void check_meta(const StMeta *meta)
{
    FUZZ_CHECK(meta->n >= 0 && meta->n <= ST_MAX_META, "%d metadata entries", meta->n);
    for (int i = 0; i < meta->n; i++)
        FUZZ_CHECK(memchr(meta->key[i], '\0', sizeof meta->key[i]) &&
                   memchr(meta->value[i], '\0', sizeof meta->value[i]),
                   "metadata entry %d is not a C string", i);
}

int fuzz_safetensors_one(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const unsigned char *file = data + 1;
    size--;
    StMeta *meta = malloc(sizeof *meta);
    char err[1024] = "";
    int rc = st_parse_meta(file, size, NAME, meta, err, sizeof err);
    if (rc == 0)
        check_meta(meta);
    else
        check_refusal(rc, err);

    StTensor t[6];
    int n = expected_set(data[0] % 3, t);
    rc = st_parse(file, size, NAME, t, n, meta, err, sizeof err);
    int accepted = rc == 0;
    if (accepted) {
        for (int i = 0; i < n; i++)
            for (size_t k = 0; t[i].data && k < st_numel(&t[i]); k++)
                FUZZ_CHECK(isfinite(t[i].data[k]), "%s[%zu] = %g accepted", t[i].name, k,
                           (double)t[i].data[k]);
        check_meta(meta);
    } else
        check_refusal(rc, err);
    free(meta);
    for (int i = 0; i < n; i++) {
        free(t[i].data);
        free(t[i].f64);
        free(t[i].i32);
    }
    return accepted;
}

#ifdef FUZZING
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_safetensors_one(data, size);
    return 0;
}
#endif
