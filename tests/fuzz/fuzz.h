/* fuzz.h — the fuzzers' entry points (tests/fuzz/README.md).
 *
 * Each target's body is a plain function of the input's bytes, so that two
 * programs call the same code: the libFuzzer binary (built by fuzz.mk with
 * -DFUZZING, where LLVMFuzzerTestOneInput calls it) and tests/test_fuzz.c,
 * which feeds it every file of the seed corpus and of the regressions in
 * `make test`. A function returns 1 when the code under test accepted the
 * input and 0 when it refused it (test_fuzz.c holds the seeds to what their
 * names say: "near-*" refused, the others accepted); a broken promise of the
 * code under test (an accepted input with impossible values, an error that is
 * not one line naming its file) abort()s, which both count as a failure. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

int fuzz_idx_one(const uint8_t *data, size_t size);
int fuzz_cli_one(const uint8_t *data, size_t size);
int fuzz_demo_request_one(const uint8_t *data, size_t size);
int fuzz_safetensors_one(const uint8_t *data, size_t size);

/* abort()s with a message on stderr when `ok` is false: the fuzzer's way of
 * saying "the code broke a promise" (libFuzzer keeps the input). */
#define FUZZ_CHECK(ok, ...)                                                   \
    do {                                                                      \
        if (!(ok)) {                                                          \
            fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, #ok);          \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
            abort();                                                          \
        }                                                                     \
    } while (0)

#endif
