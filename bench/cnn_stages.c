/* bench/cnn_stages.c — where chapter 4's training step goes, stage by stage,
 * and what each trick of chapters/04-cnn/cnn_fast.c saves.
 *
 *   make stages-chapter4                 (builds and runs it)
 *   build/rel/bin/cnn_stages [--data DIR] [--reps N]
 *
 * What it measures, each figure the best of N repetitions (the least
 * disturbed by whatever else the machine is doing):
 *
 *   1. One slice of 32 images (a thread's half of a batch of 64) on one
 *      thread, through cnn_fast.c's own stage lists (CNN_FAST_FORWARD and
 *      CNN_FAST_BACKWARD): milliseconds per stage, and that times 937.5 —
 *      a thread's share of an epoch of 60 000 images.
 *   2. The tricks against what they replace, on the same slice:
 *        bias + ReLU on the 26×26 / 11×11 maps and then pooling (PyTorch's
 *        order) against pooling first; conv2 on all 11×11 against the 10×10
 *        corner pool2 reads; the vector max-pool backward against conv.c's
 *        plain loops; im2col's runs copied by a loop of run-time length
 *        against one of compile-time length (a switch on 26/11/10); the
 *        readable network (cnn.c) against the fast one for one step;
 *   3. A whole training step (64 images, Adam) on 1 and on 2 threads, and
 *      Adam alone on one thread against shared by two.
 *
 * The network is untrained (seed 2) and the images the first 64 of the
 * training set (random ones when the MNIST files are missing): the time of
 * each stage does not depend on what the weights have learned. Timings on
 * a shared machine are noisy; run it on a quiet one for numbers to quote. */
#include "../chapters/04-cnn/cnn.h"
#include "../chapters/04-cnn/cnn_fast.h"
#include "conv.h"
#include "conv_fast.h"
#include "gemm.h"
#include "mnist.h"
#include "optim.h"
#include "parallel.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLICE 32
#define BATCH 64
#define SLICES_PER_EPOCH (60000.0 / BATCH) /* each thread's slices in an epoch */

static int g_reps = 20;

/* --- timing ------------------------------------------------------------------ */
typedef void (*Work)(void *ctx);

/* Best of `reps` runs of fn(ctx), in seconds. */
static double best_of(int reps, Work fn, void *ctx)
{
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        double t0 = now_seconds();
        fn(ctx);
        double t = now_seconds() - t0;
        best = t < best ? t : best;
    }
    return best;
}

static void row(const char *what, double seconds)
{
    printf("  %-46s %9.3f ms  %7.2f s/epoch\n", what, 1e3 * seconds,
           seconds * SLICES_PER_EPOCH);
}

static void versus(const char *what, const char *a, double ta, const char *b, double tb)
{
    printf("  %-30s %-24s %8.3f ms   %-24s %8.3f ms   saves %5.1f %%  (%.2f s)\n", what, a,
           1e3 * ta, b, 1e3 * tb, 100 * (ta - tb) / ta, (ta - tb) * SLICES_PER_EPOCH);
}

static real *reals(size_t n)
{
    return xcalloc(n, sizeof(real));
}

static void fill(real *a, size_t n, Rng *rng)
{
    for (size_t i = 0; i < n; i++)
        a[i] = (real)rng_uniform_range(rng, -1, 1);
}

/* --- data ----------------------------------------------------------------------- */
static void load_images(const char *dir, Mnist *m)
{
    char err[512];
    if (mnist_read(dir, "train", m, err, sizeof err) == 0) {
        mnist_limit(m, BATCH);
        printf("images: the first %d training images of %s\n", BATCH, dir);
        return;
    }
    printf("images: %d random ones (%s)\n", BATCH, err);
    Rng rng;
    rng_seed(&rng, 7);
    *m = (Mnist){BATCH, 28, 28, xmalloc(BATCH * 784), xmalloc(BATCH)};
    for (int i = 0; i < BATCH * 784; i++)
        m->pixels[i] = rng_uniform(&rng) < 0.2 ? (unsigned char)rng_below(&rng, 256) : 0;
    for (int i = 0; i < BATCH; i++)
        m->labels[i] = (unsigned char)(i % 10);
}

/* --- 1. the stages of one slice ---------------------------------------------- */
static double time_stages(CnnFast *f, const CnnNet *net, const Mnist *m, const int *idx)
{
    double best[32];
    int nf = 0, nb = 0;
    while (CNN_FAST_FORWARD[nf].run)
        nf++;
    while (CNN_FAST_BACKWARD[nb].run)
        nb++;
    for (int i = 0; i < nf + nb; i++)
        best[i] = 1e30;
    for (int r = 0; r < g_reps; r++) {
        CnnFastSlice s = cnn_fast_slice(f, 0, net, m, idx, SLICE, BATCH, NULL);
        for (int i = 0; i < nf + nb; i++) {
            const CnnFastStage *st = i < nf ? &CNN_FAST_FORWARD[i] : &CNN_FAST_BACKWARD[i - nf];
            double t0 = now_seconds();
            st->run(&s);
            double t = now_seconds() - t0;
            best[i] = t < best[i] ? t : best[i];
        }
    }
    printf("\n1. One slice of %d images on one thread, stage by stage (cnn_fast.c)\n", SLICE);
    printf("  %-46s %12s  %14s\n", "stage", "best", "x 937.5 slices");
    double total = 0;
    for (int i = 0; i < nf + nb; i++) {
        if (i == nf)
            printf("  -- backward\n");
        row(i < nf ? CNN_FAST_FORWARD[i].name : CNN_FAST_BACKWARD[i - nf].name, best[i]);
        total += best[i];
    }
    row("total of the stages", total);
    return total;
}

/* --- 2a. pool first, or PyTorch's order ----------------------------------------- */
typedef struct {
    int C, side;           /* channels; the maps' side before pooling (26, or 10) */
    PoolGeom g;
    const real *y, *b;     /* conv output without bias (C, B, side, side); bias (C) */
    real *t, *dt, *p, *m, *dp, *dy, *db, *dp_in;
} OrderCase;

static void bias_relu(real *out, const real *in, const real *b, int C, size_t n)
{
    for (int c = 0; c < C; c++)
        for (size_t i = 0; i < n; i++) {
            real v = in[(size_t)c * n + i] + b[c];
            out[(size_t)c * n + i] = v > 0 ? v : 0;
        }
}

static void bias_relu_backward(real *d, real *db, const real *out, int C, size_t n)
{
    for (int c = 0; c < C; c++) {
        real s = 0;
        for (size_t i = 0; i < n; i++) {
            real *v = &d[(size_t)c * n + i];
            *v = out[(size_t)c * n + i] > 0 ? *v : 0;
            s += *v;
        }
        db[c] += s;
    }
}

/* PyTorch's order: relu(y + b) on the big maps, then pool; and back. */
static void order_pytorch(void *ctx)
{
    OrderCase *o = ctx;
    size_t big = (size_t)SLICE * o->side * o->side, small = (size_t)SLICE * o->g.ho * o->g.wo;
    bias_relu(o->t, o->y, o->b, o->C, big);
    maxpool_fast_forward(o->p, o->t, &o->g);
    memcpy(o->dp, o->dp_in, sizeof(real) * small * o->C);
    maxpool_fast_backward(o->dt, o->dp, o->t, o->p, &o->g);
    bias_relu_backward(o->dt, o->db, o->t, o->C, big);
}

/* cnn_fast.c's order: pool the bare convolution, then bias and ReLU. */
static void order_pool_first(void *ctx)
{
    OrderCase *o = ctx;
    size_t small = (size_t)SLICE * o->g.ho * o->g.wo;
    maxpool_fast_forward(o->m, o->y, &o->g);
    bias_relu(o->p, o->m, o->b, o->C, small);
    memcpy(o->dp, o->dp_in, sizeof(real) * small * o->C);
    bias_relu_backward(o->dp, o->db, o->p, o->C, small);
    maxpool_fast_backward(o->dy, o->dp, o->y, o->m, &o->g);
}

static void compare_order(const char *what, int C, int side, const real *y, const real *b,
                          Rng *rng)
{
    OrderCase o = {C, side, pool_geom(C * SLICE, side, side, 2, 2, 0), y, b, 0, 0, 0, 0, 0, 0,
                   0, 0};
    size_t big = (size_t)C * SLICE * side * side, small = (size_t)C * SLICE * o.g.ho * o.g.wo;
    o.t = reals(big);
    o.dt = reals(big);
    o.dy = reals(big);
    o.p = reals(small);
    o.m = reals(small);
    o.dp = reals(small);
    o.dp_in = reals(small);
    o.db = reals((size_t)C);
    fill(o.dp_in, small, rng);
    double ta = best_of(g_reps, order_pytorch, &o), tb = best_of(g_reps, order_pool_first, &o);
    versus(what, "relu(y + b), then pool", ta, "pool, then relu(m + b)", tb);
    free(o.t); free(o.dt); free(o.dy); free(o.p); free(o.m); free(o.dp); free(o.dp_in);
    free(o.db);
}

/* --- 2b. conv2: the whole 11×11 or the 10×10 corner ----------------------------- */
typedef struct {
    ConvGeom g;
    const real *x, *W;
    real *y, *cols, *dcols, *dy, *dW, *dx;
} ConvCase;

static void conv_forward_case(void *ctx)
{
    ConvCase *c = ctx;
    conv_fast_forward(c->y, c->cols, c->x, c->W, NULL, &c->g);
}
static void conv_weights_case(void *ctx)
{
    ConvCase *c = ctx;
    conv_fast_backward_weights(c->dW, NULL, c->dy, c->cols, &c->g);
}
static void conv_input_case(void *ctx)
{
    ConvCase *c = ctx;
    memset(c->dx, 0, sizeof(real) * (size_t)c->g.cin * c->g.B * c->g.h * c->g.w);
    conv_fast_backward_input(c->dx, c->dcols, c->dy, c->W, &c->g);
}

static void conv_case(ConvCase *c, int side, const real *x, const real *W, Rng *rng)
{
    c->g = conv_geom(SLICE, 32, 13, 13, 64, 3, 1, 0);
    c->g.ho = c->g.wo = side;
    c->x = x;
    c->W = W;
    size_t ny = (size_t)64 * SLICE * side * side, nc = (size_t)conv_cols_size(&c->g);
    c->y = reals(ny);
    c->dy = reals(ny);
    c->cols = reals(nc);
    c->dcols = reals(nc);
    c->dW = reals(64 * 288);
    c->dx = reals((size_t)32 * SLICE * 169);
    fill(c->dy, ny, rng);
}

static void conv_case_free(ConvCase *c)
{
    free(c->y); free(c->dy); free(c->cols); free(c->dcols); free(c->dW); free(c->dx);
}

static void compare_crop(const real *p1, const real *W, Rng *rng)
{
    ConvCase full, crop;
    conv_case(&full, 11, p1, W, rng);
    conv_case(&crop, 10, p1, W, rng);
    Work parts[3] = {conv_forward_case, conv_weights_case, conv_input_case};
    const char *names[3] = {"conv2 forward", "conv2 dW", "conv2 d input"};
    for (int i = 0; i < 3; i++) {
        conv_forward_case(&full); /* cols filled for the backward parts */
        conv_forward_case(&crop);
        double ta = best_of(g_reps, parts[i], &full), tb = best_of(g_reps, parts[i], &crop);
        versus(names[i], "all 11x11", ta, "the 10x10 corner", tb);
    }
    conv_case_free(&full);
    conv_case_free(&crop);
}

/* --- 2c. max-pool backward: vector or plain loops ------------------------------- */
typedef struct {
    PoolGeom g;
    const real *x, *y, *dy;
    real *dx;
} PoolCase;

static void pool_vector(void *ctx)
{
    PoolCase *c = ctx;
    maxpool_fast_backward(c->dx, c->dy, c->x, c->y, &c->g);
}
static void pool_plain(void *ctx)
{
    PoolCase *c = ctx;
    memset(c->dx, 0, sizeof(real) * (size_t)c->g.planes * c->g.h * c->g.w);
    maxpool_backward(c->dx, c->dy, c->x, &c->g);
}

static void compare_pool_backward(const char *what, int planes, int side, Rng *rng)
{
    PoolCase c = {pool_geom(planes, side, side, 2, 2, 0), 0, 0, 0, 0};
    size_t nx = (size_t)planes * side * side, ny = (size_t)planes * c.g.ho * c.g.wo;
    real *x = reals(nx), *y = reals(ny), *dy = reals(ny);
    fill(x, nx, rng);
    fill(dy, ny, rng);
    maxpool_fast_forward(y, x, &c.g);
    c.x = x;
    c.y = y;
    c.dy = dy;
    c.dx = reals(nx);
    double ta = best_of(g_reps, pool_plain, &c), tb = best_of(g_reps, pool_vector, &c);
    versus(what, "plain loops (conv.c)", ta, "vector (conv_fast.c)", tb);
    free(x); free(y); free(dy); free(c.dx);
}

/* --- 2d. im2col: runs of run-time or compile-time length ------------------------ */
static inline __attribute__((always_inline)) void copy_runs(real *restrict dst,
                                                            const real *restrict src, int ho,
                                                            int wo, int w)
{
    for (int i = 0; i < ho; i++, dst += wo, src += w)
        for (int j = 0; j < wo; j++)
            dst[j] = src[j];
}

/* im2col for stride 1, no padding, with the widths of the network known to
 * the compiler (what conv.c did before this version). */
static void im2col_fixed(real *cols, const real *x, const ConvGeom *g)
{
    const long ncols = (long)g->B * g->ho * g->wo, chan = (long)g->B * g->h * g->w;
    const long plane = (long)g->h * g->w, out_plane = (long)g->ho * g->wo;
    for (int c = 0; c < g->cin; c++)
        for (int ky = 0; ky < g->k; ky++)
            for (int kx = 0; kx < g->k; kx++) {
                real *row = cols + (((long)c * g->k + ky) * g->k + kx) * ncols;
                for (int n = 0; n < g->B; n++) {
                    const real *src = x + c * chan + n * plane + (long)ky * g->w + kx;
                    real *dst = row + n * out_plane;
                    switch (g->wo) {
                    case 26: copy_runs(dst, src, g->ho, 26, g->w); break;
                    case 11: copy_runs(dst, src, g->ho, 11, g->w); break;
                    case 10: copy_runs(dst, src, g->ho, 10, g->w); break;
                    default: copy_runs(dst, src, g->ho, g->wo, g->w); break;
                    }
                }
            }
}

typedef struct {
    ConvGeom g;
    const real *x;
    real *cols;
} ColsCase;

static void cols_generic(void *ctx)
{
    ColsCase *c = ctx;
    im2col(c->cols, c->x, &c->g);
}
static void cols_fixed(void *ctx)
{
    ColsCase *c = ctx;
    im2col_fixed(c->cols, c->x, &c->g);
}

static void compare_im2col(const char *what, ConvGeom g, const real *x)
{
    ColsCase c = {g, x, reals((size_t)conv_cols_size(&g))};
    real *check = reals((size_t)conv_cols_size(&g));
    im2col(c.cols, x, &g);
    im2col_fixed(check, x, &g);
    if (memcmp(c.cols, check, sizeof(real) * (size_t)conv_cols_size(&g)) != 0)
        die("im2col_fixed differs from im2col");
    double ta = best_of(g_reps, cols_generic, &c), tb = best_of(g_reps, cols_fixed, &c);
    versus(what, "loop of run-time length", ta, "switch on 26/11/10", tb);
    free(c.cols);
    free(check);
}

/* --- 2e. the readable network against the fast one --------------------------------- */
typedef struct {
    CnnNet *net;
    CnnActs *acts;
    CnnFast *fast;
    const Mnist *m;
    const int *idx;
    int B;
    unsigned char labels[BATCH];
    Optimizer *opt;
} StepCase;

static void readable_step(void *ctx)
{
    StepCase *c = ctx;
    mnist_gather(c->m, c->idx, c->B, c->acts->x, c->labels);
    cnn_train_step(c->net, c->acts, c->B, c->labels, NULL, c->opt);
}
static void fast_step(void *ctx)
{
    StepCase *c = ctx;
    cnn_fast_step(c->fast, c->net, c->m, c->idx, c->B, NULL, c->opt);
}

/* --- 3. Adam: one thread or shared ----------------------------------------------- */
typedef struct {
    Optimizer *opt;
    real *values, *grads;
    int T;
} AdamCase;

static void adam_one(void *ctx)
{
    AdamCase *c = ctx;
    optim_step(c->opt, c->values, c->grads);
}
static void adam_shared(void *ctx)
{
    AdamCase *c = ctx;
    optim_begin_step(c->opt);
#pragma omp parallel for num_threads(c->T) schedule(static, 1)
    for (int k = 0; k < c->T; k++) {
        size_t lo, hi;
        par_range(c->opt->n, c->T, k, 16, &lo, &hi);
        optim_update(c->opt, c->values, c->grads, lo, hi);
    }
}

/* ----------------------------------------------------------------------------------- */
int main(int argc, char **argv)
{
    set_progname(argv[0]);
    const char *data = "datasets/mnist";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
            data = argv[++i];
        else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            g_reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--help") == 0) {
            printf("Usage: %s [--data DIR] [--reps N]\n"
                   "Chapter 4's fast path stage by stage, and each trick against what it\n"
                   "replaces (best of N runs each, default 20).\n", progname());
            return 0;
        } else
            usage_error("unknown argument '%s'", argv[i]);
    }
    if (g_reps < 1)
        usage_error("--reps: at least 1");
    printf("cnn_stages: chapter 4's fast path, best of %d runs; %s\n", g_reps, par_describe());
    Mnist m;
    load_images(data, &m);
    int idx[BATCH];
    for (int i = 0; i < BATCH; i++)
        idx[i] = i;
    Rng rng;
    rng_seed(&rng, 2);
    CnnNet net;
    cnn_init(&net, &rng);

    /* 1. stages, one thread */
    par_set_threads(1);
    CnnFast one;
    cnn_fast_init(&one, &net, 1, SLICE, 1);
    double total = time_stages(&one, &net, &m, idx);

    /* 2. the tricks, on the maps of that slice */
    CnnFastSlice s = cnn_fast_slice(&one, 0, &net, &m, idx, SLICE, BATCH, NULL);
    for (const CnnFastStage *st = CNN_FAST_FORWARD; st->run; st++)
        st->run(&s);
    printf("\n2. Each trick against what it replaces (one slice of %d, one thread; in brackets\n"
           "   the time saved times 937.5, a thread's slices in an epoch of 60 000 images)\n",
           SLICE);
    compare_order("pool1 + bias + ReLU, fwd+bwd", 32, 26, s.w->y1, net.conv1.bias, &rng);
    compare_order("pool2 + bias + ReLU, fwd+bwd", 64, 10, s.w->y2, net.conv2.bias, &rng);
    compare_crop(s.w->p1, net.conv2.weight, &rng);
    compare_pool_backward("pool1 backward (26x26 maps)", 32 * SLICE, 26, &rng);
    compare_pool_backward("pool2 backward (10x10 maps)", 64 * SLICE, 10, &rng);
    compare_im2col("im2col, conv1 (runs of 26)", conv_geom(SLICE, 1, 28, 28, 32, 3, 1, 0),
                   s.w->x);
    ConvGeom c2 = conv_geom(SLICE, 32, 13, 13, 64, 3, 1, 0);
    c2.ho = c2.wo = 10;
    compare_im2col("im2col, conv2 (runs of 10)", c2, s.w->p1);

    /* the readable network for one step of 32 images, with the plain loops
     * and with OpenBLAS, against the fast one */
    CnnActs acts;
    cnn_acts_init(&acts, SLICE);
    StepCase sc = {&net, &acts, &one, &m, idx, SLICE, {0}, NULL};
    int few = g_reps < 3 ? g_reps : 3;
    gemm_use_plain_loops(1);
    double t_plain = best_of(few, readable_step, &sc);
    gemm_use_plain_loops(0);
    double t_readable = best_of(g_reps, readable_step, &sc);
    double t_fast = best_of(g_reps, fast_step, &sc);
    versus("a step, 32 images", "cnn.c, plain loops", t_plain, "cnn_fast.c", t_fast);
    versus("", "cnn.c, OpenBLAS's gemm", t_readable, "cnn_fast.c", t_fast);
    printf("  (total of the stages in 1.: %.3f ms; the step adds gathering the images and\n"
           "   zeroing the gradients)\n", 1e3 * total);
    cnn_acts_free(&acts);

    /* 3. a whole step of 64 with Adam: 1 and 2 threads; Adam alone */
    printf("\n3. A training step of %d images with Adam, and Adam alone (in brackets: times\n"
           "   937.5 steps, an epoch)\n", BATCH);
    Optimizer opt;
    optim_init(&opt, "adam", 1e-3, net.p.n);
    StepCase whole = {&net, NULL, &one, &m, idx, BATCH, {0}, &opt};
    cnn_fast_free(&one);
    cnn_fast_init(&one, &net, 1, BATCH, 1);
    whole.fast = &one;
    double t1 = best_of(g_reps, fast_step, &whole);
    par_set_threads(2);
    CnnFast two;
    cnn_fast_init(&two, &net, 2, BATCH, 1);
    whole.fast = &two;
    double t2 = best_of(g_reps, fast_step, &whole);
    printf("  %-30s %-24s %8.3f ms   %-24s %8.3f ms   %.2fx  (%.2f s and %.2f s)\n",
           "training step, 64 images", "1 thread", 1e3 * t1, "2 threads", 1e3 * t2, t1 / t2,
           t1 * SLICES_PER_EPOCH, t2 * SLICES_PER_EPOCH);
    AdamCase a1 = {&opt, net.p.values, net.p.grads, 1}, a2 = {&opt, net.p.values, net.p.grads, 2};
    double ta = best_of(g_reps, adam_one, &a1), tb = best_of(g_reps, adam_shared, &a2);
    versus("Adam, 225 034 parameters", "one thread", ta, "shared by 2 threads", tb);
    optim_free(&opt);
    cnn_fast_free(&one);
    cnn_fast_free(&two);
    cnn_free(&net);
    mnist_free(&m);
    return 0;
}
