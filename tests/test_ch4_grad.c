/* test_ch4_grad.c — chapter 4's backward passes against central differences,
 * and the fast network held to the readable one, in double precision (this
 * file, the layers and the chapter are compiled with -DREAL_F64):
 *
 *   - convolution: conv.c's plain loops and conv_fast.c's im2col + product
 *     (several strides and paddings, and the cropped output conv2 uses);
 *   - max pooling, plain and vector (rows of 1 to 17 windows: the scalar,
 *     4-wide and 8-wide paths, overlapping last blocks), average pooling;
 *     dropout with a fixed mask;
 *   - the readable network (cnn.c) on a small batch, with and without
 *     dropout: sampled entries of each of the 8 tensors one by one, and
 *     every parameter through a directional derivative per tensor;
 *   - the saliency map against differences of the class score;
 *   - Grad-CAM: no heat on a conv2 cell where the class score has zero
 *     gradient (row and column 10, the values pool2 drops);
 *   - cnn_fast.c against cnn.c on one batch: logits, loss and every
 *     parameter's gradient, on 1, 2 and 3 threads.
 * test_gradcheck() also fails when every analytic gradient is zero. */
#include "testutil.h"
#include "../chapters/04-cnn/cnn.h"
#include "../chapters/04-cnn/cnn_fast.h"
#include "../chapters/04-cnn/explain.h"
#include "conv.h"
#include "conv_fast.h"
#include "nn.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef REAL_F64
#error "test_ch4_grad.c must be compiled with -DREAL_F64 (CH4_TESTS_F64 in chapter.mk)"
#endif

#define EPS 1e-6
#define TOL 1e-6

static void fill_random(double *a, size_t n, Rng *rng)
{
    for (size_t i = 0; i < n; i++)
        a[i] = rng_uniform_range(rng, -1, 1);
}

/* --- convolution ---------------------------------------------------------- */
/* The loss is L = Σ y ⊙ R for a fixed random R, so ∂L/∂y = R. */
typedef struct {
    ConvGeom g;
    int fast;
    double *x, *W, *b, *R, *y, *cols;
} ConvCase;

static double conv_loss(void *ctx)
{
    ConvCase *c = ctx;
    if (c->fast)
        conv_fast_forward(c->y, c->cols, c->x, c->W, c->b, &c->g);
    else
        conv2d_forward(c->y, c->x, c->W, c->b, &c->g);
    long n = (long)c->g.B * c->g.cout * c->g.ho * c->g.wo;
    double L = 0;
    for (long i = 0; i < n; i++)
        L += c->y[i] * c->R[i];
    return L;
}

/* crop > 0 asks the fast convolution for only the top-left (ho − crop) ×
 * (wo − crop) of its maps, as cnn_fast.c does with conv2. */
static void check_conv(int B, int cin, int h, int w, int cout, int k, int s, int p, int fast,
                       int crop)
{
    Rng rng;
    rng_seed(&rng, 100 + k * 10 + s * 3 + p + fast + crop);
    ConvCase c = {.g = conv_geom(B, cin, h, w, cout, k, s, p), .fast = fast};
    c.g.ho -= crop;
    c.g.wo -= crop;
    size_t nx = (size_t)B * cin * h * w, nw = (size_t)cout * cin * k * k;
    size_t ny = (size_t)B * cout * c.g.ho * c.g.wo;
    c.x = malloc(nx * sizeof(double));
    c.W = malloc(nw * sizeof(double));
    c.b = malloc((size_t)cout * sizeof(double));
    c.R = malloc(ny * sizeof(double));
    c.y = malloc(ny * sizeof(double));
    c.cols = malloc((size_t)conv_cols_size(&c.g) * sizeof(double));
    double *dcols = malloc((size_t)conv_cols_size(&c.g) * sizeof(double));
    fill_random(c.x, nx, &rng);
    fill_random(c.W, nw, &rng);
    fill_random(c.b, (size_t)cout, &rng);
    fill_random(c.R, ny, &rng);
    double *dx = calloc(nx, sizeof(double)), *dW = calloc(nw, sizeof(double)),
           *db = calloc((size_t)cout, sizeof(double));
    conv_loss(&c); /* the fast forward leaves cols for its backward */
    if (fast)
        conv_fast_backward(dx, dW, db, c.R, c.cols, dcols, c.W, &c.g);
    else
        conv2d_backward(dx, dW, db, c.R, c.x, c.W, &c.g);
    double e1 = test_gradcheck((int)nw, c.W, dW, conv_loss, &c, EPS);
    double e2 = test_gradcheck(cout, c.b, db, conv_loss, &c, EPS);
    double e3 = test_gradcheck((int)nx, c.x, dx, conv_loss, &c, EPS);
    ck_assert_msg(e1 < TOL && e2 < TOL && e3 < TOL,
                  "conv %s k%d s%d p%d crop %d: errors dW %g db %g dx %g",
                  fast ? "fast" : "plain", k, s, p, crop, e1, e2, e3);
    free(c.x); free(c.W); free(c.b); free(c.R); free(c.y); free(c.cols); free(dcols);
    free(dx); free(dW); free(db);
}

START_TEST(test_conv_plain_gradients)
{
    check_conv(2, 2, 6, 7, 3, 3, 1, 0, 0, 0); /* valid, the network's kind */
    check_conv(2, 2, 6, 7, 3, 3, 2, 1, 0, 0); /* stride 2, padding 1 */
    check_conv(1, 3, 5, 5, 2, 2, 3, 0, 0, 0); /* windows that skip pixels */
    check_conv(2, 1, 5, 6, 2, 3, 1, 2, 0, 0); /* padding 2: windows mostly outside */
}
END_TEST

START_TEST(test_conv_fast_gradients)
{
    /* CBHW: the gradients refer to the fast path's own layout, whichever it is */
    check_conv(2, 2, 6, 7, 3, 3, 1, 0, 1, 0);
    check_conv(2, 2, 6, 7, 3, 3, 2, 1, 1, 0);
    check_conv(1, 3, 5, 5, 2, 2, 3, 0, 1, 0);
    check_conv(2, 1, 5, 6, 2, 3, 1, 2, 1, 0);
    check_conv(3, 4, 7, 7, 3, 3, 1, 0, 1, 1); /* conv2's crop: 5×5 maps, 4×4 computed */
}
END_TEST

/* --- pooling ------------------------------------------------------------- */
typedef struct {
    PoolGeom g;
    int kind; /* 0 max plain, 1 max fast, 2 average */
    double *x, *R, *y;
} PoolCase;

static double pool_loss(void *ctx)
{
    PoolCase *c = ctx;
    if (c->kind == 0)
        maxpool_forward(c->y, c->x, &c->g);
    else if (c->kind == 1)
        maxpool_fast_forward(c->y, c->x, &c->g);
    else
        avgpool_forward(c->y, c->x, &c->g);
    double L = 0;
    for (long i = 0; i < (long)c->g.planes * c->g.ho * c->g.wo; i++)
        L += c->y[i] * c->R[i];
    return L;
}

static void check_pool(int planes, int h, int w, int k, int s, int p, int kind)
{
    Rng rng;
    rng_seed(&rng, 7 + k + s + p + kind + h * 31 + w);
    PoolCase c = {.g = pool_geom(planes, h, w, k, s, p), .kind = kind};
    size_t nx = (size_t)planes * h * w, ny = (size_t)planes * c.g.ho * c.g.wo;
    c.x = malloc(nx * sizeof(double));
    c.R = malloc(ny * sizeof(double));
    c.y = malloc(ny * sizeof(double));
    /* distinct values, well apart compared with EPS: no ties, so the maximum
     * of a window does not switch under the ±EPS nudges */
    for (size_t i = 0; i < nx; i++)
        c.x[i] = (double)((i * 37) % nx) / nx + 0.001 * rng_uniform(&rng);
    fill_random(c.R, ny, &rng);
    double *dx = calloc(nx, sizeof(double));
    pool_loss(&c);
    if (kind == 0)
        maxpool_backward(dx, c.R, c.x, &c.g);
    else if (kind == 1) {
        for (size_t i = 0; i < nx; i++)
            dx[i] = 123; /* garbage: the fast backward overwrites every entry */
        maxpool_fast_backward(dx, c.R, c.x, c.y, &c.g);
    } else
        avgpool_backward(dx, c.R, &c.g);
    double e = test_gradcheck((int)nx, c.x, dx, pool_loss, &c, EPS);
    ck_assert_msg(e < TOL, "pool kind %d %dx%d k%d s%d p%d: error %g", kind, h, w, k, s, p, e);
    free(c.x); free(c.R); free(c.y); free(dx);
}

START_TEST(test_maxpool_gradients)
{
    check_pool(3, 6, 6, 2, 2, 0, 0); /* the network's */
    check_pool(3, 7, 7, 2, 2, 0, 0); /* odd size: last row/column dropped */
    check_pool(2, 5, 6, 3, 2, 1, 0); /* overlapping windows with padding */
    check_pool(2, 4, 4, 2, 1, 1, 0);
    /* the vector backward: rows of 1..17 windows (scalar, blocks of 4 and of
     * 8, with an overlapping last block), even and odd sizes */
    for (int wo = 1; wo <= 17; wo++)
        check_pool(2, 4 + (wo & 1), 2 * wo + (wo % 3 == 0), 2, 2, 0, 1);
    check_pool(2, 26, 26, 2, 2, 0, 1); /* pool1 */
    check_pool(3, 10, 10, 2, 2, 0, 1); /* pool2 on conv2's cropped maps */
    check_pool(3, 11, 11, 2, 2, 0, 1); /* pool2 on the whole maps */
}
END_TEST

START_TEST(test_avgpool_gradients)
{
    check_pool(2, 4, 4, 2, 1, 0, 2); /* 002 Fig 3.8, stride 1 */
    check_pool(2, 4, 4, 2, 2, 0, 2); /* stride 2 */
    check_pool(2, 4, 4, 3, 1, 1, 2); /* 002 Fig 3.9, padding 1 */
    check_pool(2, 7, 5, 3, 2, 1, 2);
}
END_TEST

/* --- dropout with a fixed mask -------------------------------------------- */
typedef struct {
    double *x, *mask, *R, *y;
    int n;
} DropCase;

static double drop_loss(void *ctx)
{
    DropCase *c = ctx;
    dropout_forward(c->y, c->x, c->mask, (size_t)c->n);
    double L = 0;
    for (int i = 0; i < c->n; i++)
        L += c->y[i] * c->y[i] * c->R[i]; /* not linear, so the check has teeth */
    return L;
}

START_TEST(test_dropout_gradient)
{
    Rng rng;
    rng_seed(&rng, 3);
    enum { N = 40 };
    double x[N], mask[N], R[N], y[N], dy[N], dx[N] = {0};
    fill_random(x, N, &rng);
    fill_random(R, N, &rng);
    dropout_make_mask(mask, N, 0.5, &rng);
    int zeros = 0;
    for (int i = 0; i < N; i++)
        zeros += mask[i] == 0;
    ck_assert_msg(zeros > 5 && zeros < 35, "mask with %d zeros of %d", zeros, N);
    DropCase c = {x, mask, R, y, N};
    drop_loss(&c);
    for (int i = 0; i < N; i++)
        dy[i] = 2 * y[i] * R[i];
    dropout_backward(dx, dy, mask, N);
    ck_assert(test_gradcheck(N, x, dx, drop_loss, &c, EPS) < TOL);
    for (int i = 0; i < N; i++)
        if (mask[i] == 0)
            ck_assert(dx[i] == 0); /* a dropped unit passes no gradient */
}
END_TEST

/* --- the readable network on a small batch -------------------------------- */
enum { NB = 2 }; /* images in the batch */

typedef struct {
    CnnNet *net;
    CnnActs *a;
    unsigned char labels[NB];
    const double *mask;
    double x0[NB * 784];
} NetCase;

static double net_loss(NetCase *c)
{
    memcpy(c->a->x, c->x0, sizeof c->x0);
    cnn_forward(c->net, c->a, NB, c->mask);
    return cnn_loss(c->a, NB, c->labels);
}

/* Checked entries: the loss copies vals[] into the network before each
 * forward pass (test_gradcheck nudges vals[i]). */
typedef struct {
    NetCase *c;
    const size_t *idx;
    double *vals;
    int n;
} Subset;

static double subset_loss(void *ctx)
{
    Subset *s = ctx;
    for (int i = 0; i < s->n; i++)
        s->c->net->p.values[s->idx[i]] = s->vals[i];
    return net_loss(s->c);
}

/* The loss along a direction: L(θ0 + t·v) with v nonzero on one tensor. */
typedef struct {
    NetCase *c;
    const double *theta0, *v;
    size_t lo, hi;  /* the tensor's range in the store */
    double t;
} Line;

static double line_loss(void *ctx)
{
    Line *l = ctx;
    for (size_t i = l->lo; i < l->hi; i++)
        l->c->net->p.values[i] = l->theta0[i] + l->t * l->v[i];
    return net_loss(l->c);
}

static void check_network(double dropout)
{
    Rng rng;
    rng_seed(&rng, 11);
    CnnNet net;
    cnn_init(&net, &rng);
    CnnActs a;
    cnn_acts_init(&a, NB);
    double mask[NB * 128];
    NetCase c = {&net, &a, {3, 7}, dropout > 0 ? mask : NULL, {0}};
    /* noise everywhere: no two pixels alike, so no ties in the max-pooling
     * (where the loss has a kink and a difference quotient straddles it) */
    for (int i = 0; i < NB * 784; i++)
        c.x0[i] = rng_uniform(&rng);
    if (dropout > 0)
        dropout_make_mask(mask, NB * 128, dropout, &rng);
    net_loss(&c);
    params_zero_grads(&net.p);
    cnn_loss_backward(&a, NB, c.labels);
    cnn_backward(&net, &a, NB, c.mask, NULL);

    const real *starts[8] = {net.conv1.weight, net.conv1.bias, net.conv2.weight, net.conv2.bias,
                             net.fc1.weight, net.fc1.bias, net.fc2.weight, net.fc2.bias};
    const size_t sizes[8] = {288, 32, 18432, 64, 204800, 128, 1280, 10};
    const char *names[8] = {"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
                            "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"};
    /* 1. PER entries of each tensor one by one, one in each of PER equal
     *    slices of it (no index twice: a repeat would undo its own nudge) */
    enum { PER = 10 };
    size_t idx[8 * PER];
    double vals[8 * PER], grads[8 * PER];
    int n = 0;
    for (int t = 0; t < 8; t++)
        for (size_t k = 0; k < PER && k < sizes[t]; k++) {
            size_t slice = sizes[t] / (sizes[t] < PER ? sizes[t] : PER);
            size_t at = (size_t)(starts[t] - net.p.values) + k * slice +
                        rng_below(&rng, (uint32_t)slice);
            idx[n] = at;
            vals[n] = net.p.values[at];
            grads[n] = net.p.grads[at];
            n++;
        }
    Subset sub = {&c, idx, vals, n};
    double e = test_gradcheck(n, vals, grads, subset_loss, &sub, EPS);
    ck_assert_msg(e < 1e-6, "network (dropout %g): worst entry error %g", dropout, e);

    /* 2. Every parameter: for each tensor, the derivative along a random
     *    direction v over all of its entries, (L(θ + εv) − L(θ − εv)) / 2ε,
     *    against Σ_i g_i v_i. Each of the 225 034 gradients takes part; a
     *    wrong one moves the sum by its error times v_i. */
    double *theta0 = malloc(sizeof(double) * net.p.n), *v = malloc(sizeof(double) * net.p.n);
    memcpy(theta0, net.p.values, sizeof(double) * net.p.n);
    fill_random(v, net.p.n, &rng);
    for (int t = 0; t < 8; t++) {
        size_t lo = (size_t)(starts[t] - net.p.values), hi = lo + sizes[t];
        double along = 0;
        for (size_t i = lo; i < hi; i++)
            along += net.p.grads[i] * v[i];
        Line l = {&c, theta0, v, lo, hi, 0};
        double err = test_gradcheck(1, &l.t, &along, line_loss, &l, EPS);
        ck_assert_msg(err < 1e-6, "network (dropout %g): %s along a direction: error %g",
                      dropout, names[t], err);
        memcpy(net.p.values, theta0, sizeof(double) * net.p.n);
    }
    free(theta0);
    free(v);
    cnn_acts_free(&a);
    cnn_free(&net);
}

START_TEST(test_network_gradients)
{
    check_network(0);
}
END_TEST

START_TEST(test_network_gradients_dropout)
{
    check_network(0.5);
}
END_TEST

/* --- saliency: ∂S_c/∂I against central differences ------------------------ */
typedef struct {
    CnnNet *net;
    CnnActs *a;
    double *img;
    int c;
} SalCase;

static double score(void *ctx)
{
    SalCase *s = ctx;
    memcpy(s->a->x, s->img, sizeof(double) * 784);
    cnn_forward(s->net, s->a, 1, NULL);
    return s->a->logits[s->c];
}

START_TEST(test_saliency_matches_differences)
{
    Rng rng;
    rng_seed(&rng, 5);
    CnnNet net;
    cnn_init(&net, &rng);
    CnnActs a;
    cnn_acts_init(&a, 1);
    double img[784], sal[784], grad[784];
    for (int i = 0; i < 784; i++) {
        int r = i / 28, col = i % 28; /* a ring, like a 0 */
        double d = sqrt((r - 13.5) * (r - 13.5) + (col - 13.5) * (col - 13.5));
        /* noise everywhere: equal pixels would give equal conv outputs, ties
         * in the max-pooling, where the derivative is one-sided */
        img[i] = (fabs(d - 8) < 2.5 ? 0.8 : 0) + 0.1 * rng_uniform(&rng);
    }
    memcpy(a.x, img, sizeof img);
    cnn_saliency(&net, &a, 4, sal, grad);
    double largest = 0;
    for (int i = 0; i < 784; i++) {
        ck_assert(sal[i] == fabs(grad[i]));
        largest = fabs(grad[i]) > largest ? fabs(grad[i]) : largest;
    }
    ck_assert_msg(largest > 0, "the saliency map is all zeros");
    /* every other pixel, on a checkerboard: 784 forward passes of one image
     * (test_gradcheck's error measure, written out for a subset) */
    SalCase s = {&net, &a, img, 4};
    double worst = 0;
    for (int i = 0; i < 784; i++) {
        if (((i / 28) + (i % 28)) % 2)
            continue;
        double saved = img[i];
        img[i] = saved + EPS;
        double plus = score(&s);
        img[i] = saved - EPS;
        double minus = score(&s);
        img[i] = saved;
        double numeric = (plus - minus) / (2 * EPS);
        double scale = fabs(grad[i]) + fabs(numeric);
        double err = fabs(grad[i] - numeric) / (scale > 1 ? scale : 1);
        worst = err > worst ? err : worst;
    }
    ck_assert_msg(worst < 1e-6, "saliency vs differences: error %g", worst);
    cnn_acts_free(&a);
    cnn_free(&net);
}
END_TEST

/* --- Grad-CAM: no heat where the class score has zero gradient ------------ */
/* Issue 8 item 1: Grad-CAM once put its hottest cell on conv2's row 10, which
 * pool2 never reads. Against the readable network's own backward pass: a
 * conv2 cell whose ∂S_c/∂A_k is zero in all 64 maps must get no heat. Row
 * and column 10 must be such cells. The old formula (every conv2 cell
 * weighted, as the chapter first did) is checked to break the rule in these
 * same cases, so the test is known to catch it. */
START_TEST(test_gradcam_no_heat_without_gradient)
{
    enum { S = CNN_S2, K = CNN_C2 };
    int heated = 0, old_violations = 0, empty = 0;
    for (int seed = 5; seed < 9; seed++) {
        Rng rng;
        rng_seed(&rng, (uint64_t)seed);
        CnnNet net;
        cnn_init(&net, &rng);
        CnnActs a;
        cnn_acts_init(&a, 1);
        double img[784];
        for (int i = 0; i < 784; i++) {
            int r = i / 28, col = i % 28; /* a ring and a bar, with noise */
            double d = sqrt((r - 13.5) * (r - 13.5) + (col - 13.5) * (col - 13.5));
            img[i] = (fabs(d - 8) < 2.5 || (col > 12 && col < 16) ? 0.8 : 0) +
                     0.1 * rng_uniform(&rng);
        }
        for (int c = 0; c < 10; c++) {
            double cam11[S * S], cam28[784];
            memcpy(a.x, img, sizeof img);
            double peak = cnn_gradcam(&net, &a, c, cam11, cam28);
            empty += peak <= 0;
            /* the gradient of S_c at conv2's output, by the readable network */
            memcpy(a.x, img, sizeof img);
            cnn_forward(&net, &a, 1, NULL);
            memset(a.d_logits, 0, sizeof(double) * 10);
            a.d_logits[c] = 1;
            params_zero_grads(&net.p);
            cnn_backward(&net, &a, 1, NULL, NULL);
            double old_alpha[K];
            for (int k = 0; k < K; k++) {
                old_alpha[k] = 0;
                for (int i = 0; i < S * S; i++)
                    old_alpha[k] += a.d_a2[k * S * S + i] / (S * S);
            }
            double hottest = 0;
            for (int i = 0; i < S * S; i++) {
                int zero_gradient = 1;
                double old = 0;
                for (int k = 0; k < K; k++) {
                    zero_gradient &= a.d_a2[k * S * S + i] == 0;
                    old += old_alpha[k] * a.a2[k * S * S + i];
                }
                if (i / S == S - 1 || i % S == S - 1)
                    ck_assert_msg(zero_gradient, "conv2 cell (%d, %d): pool2 never reads it, "
                                  "yet the score has a gradient there", i / S, i % S);
                if (zero_gradient) {
                    ck_assert_msg(cam11[i] == 0, "seed %d class %d: Grad-CAM heat %g on conv2 "
                                  "cell (%d, %d), where the class score has zero gradient",
                                  seed, c, cam11[i], i / S, i % S);
                    old_violations += old > 0;
                }
                ck_assert(cam11[i] >= 0);
                hottest = cam11[i] > hottest ? cam11[i] : hottest;
            }
            heated += hottest > 0;
            ck_assert_msg((peak > 0) == (hottest > 0), "the peak %g and the map disagree", peak);
        }
        cnn_acts_free(&a);
        cnn_free(&net);
    }
    ck_assert_msg(heated > 10, "only %d of 40 maps have any heat: the test checks nothing",
                  heated);
    ck_assert_msg(old_violations > 0, "the old Grad-CAM (all of conv2's 11 x 11) broke no rule "
                  "here: these cases could not catch it");
    (void)empty;
}
END_TEST

/* --- the fast network held to the readable one ---------------------------- */
/* In double both paths compute the same sums of the same products, only in
 * another order (im2col + dgemm against the plain loops, the bias added
 * before or after the pooling): each result differs by a few units of
 * 1e-16, relative to the largest entry of its tensor (2e-15 at most when
 * written). 1e-12 leaves room for other BLAS builds and still catches any
 * real mistake, which would be of the size of the gradient itself. */
#ifndef FAST_TOL_F64
#define FAST_TOL_F64 1e-12
#endif

static void compare_fast(int B, int threads, int dropout)
{
    Rng rng;
    rng_seed(&rng, 40 + (uint64_t)(B * 10 + threads + 100 * dropout));
    Mnist m = test_fake_mnist(B, &rng);
    int *idx = malloc(sizeof(int) * (size_t)B);
    for (int i = 0; i < B; i++)
        idx[i] = B - 1 - i; /* a shuffled order */
    real *mask = malloc(sizeof(real) * (size_t)B * 128);
    dropout_make_mask(mask, (size_t)B * 128, (real)0.3, &rng);
    const real *use_mask = dropout ? mask : NULL;
    CnnNet net;
    cnn_init(&net, &rng);

    /* the readable network: logits without dropout, then a training step's gradient */
    CnnActs a;
    cnn_acts_init(&a, B);
    unsigned char labels[64];
    mnist_gather(&m, idx, B, a.x, labels);
    cnn_forward(&net, &a, B, NULL);
    real *ref_logits = malloc(sizeof(real) * (size_t)B * 10);
    for (int i = 0; i < B; i++) /* in the images' own order, as cnn_fast_logits gives them */
        memcpy(ref_logits + (size_t)idx[i] * 10, a.logits + (size_t)i * 10, sizeof(real) * 10);
    double ref_loss = cnn_train_step(&net, &a, B, labels, use_mask, NULL);
    real *ref_grads = malloc(sizeof(real) * net.p.n);
    memcpy(ref_grads, net.p.grads, sizeof(real) * net.p.n);

    /* the fast one */
    CnnFast f;
    cnn_fast_init(&f, &net, threads, B, 1);
    real *logits = malloc(sizeof(real) * (size_t)B * 10);
    cnn_fast_logits(&f, &net, &m, 0, B, logits);
    double e = test_relative_error(logits, ref_logits, (size_t)B * 10);
    ck_assert_msg(e < FAST_TOL_F64, "B %d, %d threads: logits differ by %g", B, threads, e);
    double loss = cnn_fast_step(&f, &net, &m, idx, B, use_mask, NULL);
    ck_assert_msg(fabs(loss - ref_loss) < FAST_TOL_F64 * ref_loss,
                  "B %d, %d threads: loss %.17g, readable %.17g", B, threads, loss, ref_loss);
    CnnTensors fg = net.grad, rg = cnn_tensors_in(&net, ref_grads);
    const CnnLayer *fl[4] = {&fg.conv1, &fg.conv2, &fg.fc1, &fg.fc2};
    const CnnLayer *rl[4] = {&rg.conv1, &rg.conv2, &rg.fc1, &rg.fc2};
    const size_t nw[4] = {288, 18432, 204800, 1280}, nb[4] = {32, 64, 128, 10};
    for (int l = 0; l < 4; l++) {
        double ew = test_relative_error(fl[l]->weight, rl[l]->weight, nw[l]);
        double eb = test_relative_error(fl[l]->bias, rl[l]->bias, nb[l]);
        ck_assert_msg(ew < FAST_TOL_F64 && eb < FAST_TOL_F64,
                      "B %d, %d threads, dropout %d: layer %d gradients differ by %g (weight), %g (bias)",
                      B, threads, dropout, l, ew, eb);
    }
    cnn_fast_free(&f);
    cnn_acts_free(&a);
    cnn_free(&net);
    free(ref_logits); free(logits); free(ref_grads); free(mask); free(idx);
    mnist_free(&m);
}

START_TEST(test_fast_matches_readable)
{
    /* batches that do not split evenly (7 on 2 and 3 threads), one smaller
     * than the threads (2 images on 3: an empty slice), with and without
     * dropout */
    for (int threads = 1; threads <= 3; threads++) {
        compare_fast(7, threads, 0);
        compare_fast(7, threads, 1);
    }
    compare_fast(2, 3, 0);
    compare_fast(11, 2, 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ch4_grad");
    TCase *tc = tcase_create("gradients");
    tcase_set_timeout(tc, 900);
    tcase_add_test(tc, test_conv_plain_gradients);
    tcase_add_test(tc, test_conv_fast_gradients);
    tcase_add_test(tc, test_maxpool_gradients);
    tcase_add_test(tc, test_avgpool_gradients);
    tcase_add_test(tc, test_dropout_gradient);
    tcase_add_test(tc, test_network_gradients);
    tcase_add_test(tc, test_network_gradients_dropout);
    tcase_add_test(tc, test_saliency_matches_differences);
    tcase_add_test(tc, test_gradcam_no_heat_without_gradient);
    tcase_add_test(tc, test_fast_matches_readable);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
