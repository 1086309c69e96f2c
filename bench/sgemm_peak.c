/* sgemm_peak.c — how many floating-point operations per second this machine's
 * OpenBLAS cblas_sgemm really delivers, at the shapes the chapters multiply
 * and at one large square shape.
 *
 * It is the yardstick of `make bench`: a training epoch needs a known number
 * of operations (counted from the layer sizes), and this peak turns that
 * count into the fastest an epoch could possibly run on this machine.
 *
 * What it is not: a BLAS test. The matrices hold small pseudo-random values
 * and no result is checked beyond being finite.
 *
 *     sgemm_peak [--threads N] [--seconds S]
 *
 * Prints one table row per shape and, last, a line a script can read:
 *     peak_gflops 187.3
 * GFLOP/s = 2·M·N·K / seconds / 1e9 (one multiply and one add per term). */
#include <cblas.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

typedef struct {
    const char *what;      /* where this product appears */
    int m, n, k;           /* C (m, n) = A (m, k) · B (k, n) */
    int transa, transb;    /* 1 = that operand is stored transposed */
} Shape;

/* The products of chapters 3 and 4 (batch 64 unless stated), then the large
 * square one that shows the machine's plain peak. */
static const Shape SHAPES[] = {
    {"mlp fc1 forward  X(64,784)*W(784,128)", 64, 128, 784, 0, 0},
    {"mlp fc1 dW  X^T(784,64)*d(64,128)", 784, 128, 64, 1, 0},
    {"mlp fc1 inference X(1000,784)*W", 1000, 128, 784, 0, 0},
    {"mlp fc2 forward  (64,128)*(128,64)", 64, 64, 128, 0, 0},
    {"cnn conv1 im2col (64*676,9)*(9,32)", 64 * 676, 32, 9, 0, 0},
    {"cnn conv2 im2col (64*121,288)*(288,64)", 64 * 121, 64, 288, 0, 0},
    {"cnn conv2 dW (288,64*121)*(64*121,64)", 288, 64, 64 * 121, 1, 0},
    {"cnn fc1 forward (64,1600)*(1600,128)", 64, 128, 1600, 0, 0},
    {"square 1024", 1024, 1024, 1024, 0, 0},
    {"square 2048", 2048, 2048, 2048, 0, 0},
};

static float *random_matrix(size_t count, unsigned *state)
{
    float *a = xmalloc(count * sizeof *a);
    for (size_t i = 0; i < count; i++) {
        *state = *state * 1664525u + 1013904223u;          /* LCG: enough for filler */
        a[i] = (float)((*state >> 8) & 0xffff) / 65536.0f - 0.5f;
    }
    return a;
}

static void run_sgemm(const Shape *s, const float *a, const float *b, float *c)
{
    /* Row-major; the leading dimension is the stored row length. */
    int lda = s->transa ? s->m : s->k;
    int ldb = s->transb ? s->k : s->n;
    cblas_sgemm(CblasRowMajor, s->transa ? CblasTrans : CblasNoTrans,
                s->transb ? CblasTrans : CblasNoTrans, s->m, s->n, s->k,
                1.0f, a, lda, b, ldb, 0.0f, c, s->n);
}

/* Best GFLOP/s over a few timed rounds, each repeating the product until it
 * has run for at least `seconds` / 3 (so a short product is not lost in the
 * clock's resolution). The best round, not the mean: the 2 cores are shared,
 * and the fastest round is the one least disturbed. */
static double measure(const Shape *s, double seconds, unsigned *state)
{
    float *a = random_matrix((size_t)s->m * s->k, state);
    float *b = random_matrix((size_t)s->k * s->n, state);
    float *c = xmalloc((size_t)s->m * s->n * sizeof *c);
    double flops = 2.0 * s->m * s->n * s->k;
    double best = 0.0;

    run_sgemm(s, a, b, c);                                   /* warm up: threads, caches */
    for (int round = 0; round < 3; round++) {
        long reps = 0;
        double t0 = now_seconds(), elapsed;
        do {
            run_sgemm(s, a, b, c);
            reps++;
            elapsed = now_seconds() - t0;
        } while (elapsed < seconds / 3.0);
        double gflops = flops * (double)reps / elapsed / 1e9;
        if (gflops > best)
            best = gflops;
    }
    if (!isfinite(c[0]))
        die("the product of '%s' is not finite", s->what);
    free(a);
    free(b);
    free(c);
    return best;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: sgemm_peak [--threads N] [--seconds S]\n"
               "  --threads N   OpenBLAS threads for the peak (default 2); every shape is\n"
               "                also timed with 1 thread, for comparison\n"
               "  --seconds S   time spent on each shape and thread count (default 0.4)\n");
}

int main(int argc, char **argv)
{
    set_progname(argv[0]);
    int threads = 2;
    double seconds = 0.4;
    static const struct option options[] = {
        {"threads", required_argument, NULL, 't'},
        {"seconds", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    opterr = 0; /* usage_error() says what is wrong, in one line */
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        char *end;
        switch (opt) {
        case 't':
            threads = (int)strtol(optarg, &end, 10);
            if (*end || threads < 1 || threads > 256)
                usage_error("--threads wants a whole number from 1 to 256, not '%s'", optarg);
            break;
        case 's':
            seconds = strtod(optarg, &end);
            if (*end || !(seconds > 0.0 && seconds < 60.0))
                usage_error("--seconds wants a number between 0 and 60, not '%s'", optarg);
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        usage_error("unexpected argument '%s'", argv[optind]);

    printf("cblas_sgemm (%s)\n", openblas_get_config());
    char many_head[32];
    snprintf(many_head, sizeof many_head, "%d thr", threads);
    printf("  %-42s %6s %6s %6s %9s %9s\n", "product (GFLOP/s)", "M", "N", "K", "1 thr", many_head);

    unsigned state = 12345u;
    double peak = 0.0, peak_one = 0.0;
    for (size_t i = 0; i < sizeof SHAPES / sizeof SHAPES[0]; i++) {
        const Shape *s = &SHAPES[i];
        openblas_set_num_threads(1);
        double one = measure(s, seconds, &state);
        openblas_set_num_threads(threads);
        double many = measure(s, seconds, &state);
        printf("  %-42s %6d %6d %6d %9.1f %9.1f\n", s->what, s->m, s->n, s->k, one, many);
        if (many > peak)
            peak = many;
        if (one > peak_one)
            peak_one = one;
    }
    /* The lines a script reads: the peak with `threads` threads, and with 1. */
    printf("peak_gflops %.1f threads %d\n", peak, threads);
    printf("peak_gflops_1thread %.1f\n", peak_one);
    return 0;
}
