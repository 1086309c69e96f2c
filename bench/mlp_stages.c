/* bench/mlp_stages.c — what each trick of chapter 3's "same network, made
 * fast" saves, one stage at a time, on one batch of the notes' 784–128–64–10
 * (chapters/03-mnist-mlp/README.md quotes these numbers).
 *
 *     make bench-ch3-stages                  (chapters/03-mnist-mlp/chapter.mk)
 *     build/rel/bin/mlp_stages [--threads N] [--seconds S] [--data DIR]
 *
 * Each row is one call of a chapter function, timed as the best of five
 * rounds of S/5 seconds each after one untimed call (the best, not the mean:
 * on a shared machine other jobs only ever make a round slower). The rows:
 *   - the readable step (mlp.c's ch3_step: gather, forward, loss, backward,
 *     Adam) with --plain's triple loop, with OpenBLAS on one thread, and with
 *     OpenBLAS left to split each product over N threads;
 *   - the fast step (mlp_fast.c: the batch in N slices, one per thread);
 *   - pieces of a step: the gather, Adam on one thread and shared by N;
 *   - inference on 1000 images: with a softmax (a loss to report) and from
 *     the logits alone, on one thread and sliced over N.
 * Nothing is written; the table goes to stdout. Without the MNIST files it
 * times synthetic images (the same arithmetic) and says so. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../chapters/03-mnist-mlp/mlp.h"
#include "cli.h"
#include "gemm.h"
#include "parallel.h"
#include "util.h"

enum { BATCH = 64, EVAL = CH3_EVAL_BATCH };

typedef struct {
    Ch3Net net;
    Optimizer opt;
    Mnist data;
    int idx[EVAL];
    unsigned char pred[EVAL];
} Bench;

typedef void (*Job)(Bench *b);

static void job_gather(Bench *b) { mnist_gather(&b->data, b->idx, BATCH, b->net.pass.x, b->net.pass.y); }
static void job_step(Bench *b) { ch3_step(&b->net, &b->opt, &b->data, b->idx, BATCH); }
static void job_fast_step(Bench *b) { ch3_fast_step(&b->net, &b->opt, &b->data, b->idx, BATCH); }
static void job_adam(Bench *b) { optim_step(&b->opt, b->net.p.values, b->net.p.grads); }

/* Adam shared by the threads, as mlp_fast.c's step does it. */
static void job_adam_shared(Bench *b)
{
    Ch3Net *n = &b->net;
    int T = par_threads();
    optim_begin_step(&b->opt);
#pragma omp parallel for num_threads(T) schedule(static, 1)
    for (int k = 0; k < T; k++) {
        size_t lo, hi;
        par_range(n->p.n, T, k, 16, &lo, &hi);
        optim_update(&b->opt, n->p.values, n->p.grads, lo, hi);
    }
}

static void job_infer_softmax(Bench *b)
{
    long right = 0;
    ch3_guess_rows(&b->net, &b->net.pass, &b->data, b->idx, EVAL, b->pred, &right, 1);
}

static void job_infer_logits(Bench *b)
{
    long right = 0;
    ch3_guess_rows(&b->net, &b->net.pass, &b->data, b->idx, EVAL, b->pred, &right, 0);
}

static void job_infer_sliced(Bench *b)
{
    long right = 0;
    ch3_fast_guess(&b->net, &b->data, b->idx, EVAL, b->pred, &right, 0);
}

/* Microseconds per call: the best of five rounds. */
static double time_us(Job job, Bench *b, double seconds)
{
    job(b);   /* untimed: first touches, thread start-up */
    double best = INFINITY;
    for (int round = 0; round < 5; round++) {
        long calls = 0;
        double t0 = now_seconds(), dt;
        do {
            job(b);
            calls++;
            dt = now_seconds() - t0;
        } while (dt < seconds / 5);
        best = fmin(best, dt / calls);
    }
    return best * 1e6;
}

static void row(const char *what, int threads, int plain, Job job, Bench *b, double seconds,
                double per_images)
{
    par_set_threads(threads);
    gemm_use_plain_loops(plain);
    double us = time_us(job, b, seconds);
    printf("  %-52s %3d %12.1f %14.0f\n", what, threads, us, per_images / (us * 1e-6));
    fflush(stdout);
    gemm_use_plain_loops(0);
}

static void fake_data(Mnist *d, int n)
{
    Rng r;
    rng_seed(&r, 1);
    d->n = n, d->rows = d->cols = 28;
    d->pixels = xmalloc((size_t)n * CH3_PIXELS);
    d->labels = xmalloc((size_t)n);
    for (size_t i = 0; i < (size_t)n * CH3_PIXELS; i++)
        d->pixels[i] = rng_uniform(&r) < 0.8 ? 0 : (unsigned char)(rng_uniform(&r) * 256);
    for (int i = 0; i < n; i++)
        d->labels[i] = (unsigned char)(rng_uniform(&r) * 10);
}

int main(int argc, char **argv)
{
    set_progname(argv[0]);
    int T = par_default_threads();
    double seconds = 1.0;
    const char *data = "datasets/mnist";
    static const struct option longopts[] = {{"threads", required_argument, 0, 't'},
                                             {"seconds", required_argument, 0, 's'},
                                             {"data", required_argument, 0, 'd'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case 't': T = parse_positive_int("--threads", optarg); break;
        case 's': seconds = parse_positive_double("--seconds", optarg); break;
        case 'd': data = optarg; break;
        case 'h':
            printf("Usage: mlp_stages [--threads N] [--seconds S] [--data DIR]\n");
            return 0;
        default: cli_unknown_option(argv[optind - 1]);
        }
    }
    if (T > CH3_MAX_THREADS)
        usage_error("--threads: %d is more than %d", T, CH3_MAX_THREADS);

    static Bench b;
    char err[1024];
    int real_data = mnist_read(data, "train", &b.data, err, sizeof err) == 0;
    if (!real_data)
        fake_data(&b.data, 60000);
    Rng rng;
    rng_seed(&rng, 45);
    for (int i = 0; i < EVAL; i++)
        b.idx[i] = (int)rng_below(&rng, (uint32_t)b.data.n);
    ch3_net_init(&b.net, 3, (int[]){CH3_PIXELS, 128, 64, CH3_CLASSES}, activation_find("relu"),
                 CH3_SOFTMAX_CE, CH3_INIT_GLOROT, EVAL, &rng);
    optim_init(&b.opt, "adam", 0.003, b.net.p.n);

    printf("chapter 3, one batch of %d through 784–128–64–10 (%zu parameters), %s images;\n"
           "best of 5 rounds of %.2g s; %s\n\n", BATCH, b.net.p.n,
           real_data ? "MNIST" : "synthetic", seconds / 5, par_describe());
    printf("  %-52s %3s %12s %14s\n", "stage", "thr", "µs per call", "images/s");
    row("readable step, plain loops (--plain)", 1, 1, job_step, &b, seconds, BATCH);
    row("readable step, OpenBLAS", 1, 0, job_step, &b, seconds, BATCH);
    if (T > 1) {
        row("readable step, OpenBLAS splitting each product", T, 0, job_step, &b, seconds, BATCH);
        row("fast step: the batch in slices, one per thread", T, 0, job_fast_step, &b, seconds,
            BATCH);
    }
    row("  gather 64 images (bytes -> pixel/255)", 1, 0, job_gather, &b, seconds, BATCH);
    row("  Adam over every parameter", 1, 0, job_adam, &b, seconds, BATCH);
    if (T > 1)
        row("  Adam shared by the threads (parameter ranges)", T, 0, job_adam_shared, &b,
            seconds, BATCH);
    row("inference, 1000 images: softmax and loss", 1, 0, job_infer_softmax, &b, seconds, EVAL);
    row("inference, 1000 images: the logits only", 1, 0, job_infer_logits, &b, seconds, EVAL);
    if (T > 1)
        row("inference, 1000 images: logits, sliced over threads", T, 0, job_infer_sliced, &b,
            seconds, EVAL);

    optim_free(&b.opt);
    ch3_net_free(&b.net);
    mnist_free(&b.data);
    return 0;
}
