/* test_ch4_grad.c — chapter 4's backward passes against central differences,
 * in double precision (this file and the layers are compiled with
 * -DREAL_F64): convolution (plain and im2col, several strides and paddings),
 * max and average pooling, dropout with a fixed mask, the whole network on a
 * tiny batch, and the saliency map. test_gradcheck() also fails when every
 * analytic gradient is zero. */
#include "testutil.h"
#include "../chapters/04-cnn/cnn.h"
#include "conv.h"
#include "nn.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef REAL_F64
#error "test_ch4_grad.c must be compiled with -DREAL_F64 (the f64_objs of the Makefile)"
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
        conv2d_forward(c->y, c->cols, c->x, c->W, c->b, &c->g);
    else
        conv2d_forward_plain(c->y, c->x, c->W, c->b, &c->g);
    long n = (long)c->g.B * c->g.cout * c->g.ho * c->g.wo;
    double L = 0;
    for (long i = 0; i < n; i++)
        L += c->y[i] * c->R[i];
    return L;
}

static void check_conv(int B, int cin, int h, int w, int cout, int k, int s, int p, int fast)
{
    Rng rng;
    rng_seed(&rng, 100 + k * 10 + s * 3 + p + fast);
    ConvCase c = {.g = conv_geom(B, cin, h, w, cout, k, s, p), .fast = fast};
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
    conv_loss(&c); /* forward leaves cols for the fast backward */
    if (fast)
        conv2d_backward(dx, dW, db, c.R, c.cols, dcols, c.W, &c.g);
    else
        conv2d_backward_plain(dx, dW, db, c.R, c.x, c.W, &c.g);
    double e1 = test_gradcheck((int)nw, c.W, dW, conv_loss, &c, EPS);
    double e2 = test_gradcheck(cout, c.b, db, conv_loss, &c, EPS);
    double e3 = test_gradcheck((int)nx, c.x, dx, conv_loss, &c, EPS);
    ck_assert_msg(e1 < TOL && e2 < TOL && e3 < TOL,
                  "conv %s k%d s%d p%d: errors dW %g db %g dx %g", fast ? "fast" : "plain", k, s,
                  p, e1, e2, e3);
    free(c.x); free(c.W); free(c.b); free(c.R); free(c.y); free(c.cols); free(dcols);
    free(dx); free(dW); free(db);
}

START_TEST(test_conv_plain_gradients)
{
    check_conv(2, 2, 6, 7, 3, 3, 1, 0, 0); /* valid, the network's kind */
    check_conv(2, 2, 6, 7, 3, 3, 2, 1, 0); /* stride 2, padding 1 */
    check_conv(1, 3, 5, 5, 2, 2, 3, 0, 0); /* windows that skip pixels */
    check_conv(2, 1, 5, 6, 2, 3, 1, 2, 0); /* padding 2: windows mostly outside */
}
END_TEST

START_TEST(test_conv_fast_gradients)
{
    /* With one input channel or one image the CBHW and NCHW orders coincide;
     * the fast path's own layout is what its gradients refer to either way. */
    check_conv(2, 2, 6, 7, 3, 3, 1, 0, 1);
    check_conv(2, 2, 6, 7, 3, 3, 2, 1, 1);
    check_conv(1, 3, 5, 5, 2, 2, 3, 0, 1);
    check_conv(2, 1, 5, 6, 2, 3, 1, 2, 1);
}
END_TEST

/* --- pooling ------------------------------------------------------------- */
typedef struct {
    PoolGeom g;
    int kind; /* 0 max plain, 1 max fast, 2 average */
    double *x, *R, *y;
    int *arg;
} PoolCase;

static double pool_loss(void *ctx)
{
    PoolCase *c = ctx;
    if (c->kind == 0)
        maxpool_forward_plain(c->y, c->x, &c->g);
    else if (c->kind == 1)
        maxpool_forward(c->y, c->arg, c->x, &c->g);
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
    rng_seed(&rng, 7 + k + s + p + kind);
    PoolCase c = {.g = pool_geom(planes, h, w, k, s, p), .kind = kind};
    size_t nx = (size_t)planes * h * w, ny = (size_t)planes * c.g.ho * c.g.wo;
    c.x = malloc(nx * sizeof(double));
    c.R = malloc(ny * sizeof(double));
    c.y = malloc(ny * sizeof(double));
    c.arg = malloc(ny * sizeof(int));
    /* distinct values, well apart compared with EPS: no ties, so the maximum
     * of a window does not switch under the ±EPS nudges */
    for (size_t i = 0; i < nx; i++)
        c.x[i] = (double)((i * 37) % nx) / nx + 0.001 * rng_uniform(&rng);
    fill_random(c.R, ny, &rng);
    double *dx = calloc(nx, sizeof(double));
    pool_loss(&c);
    if (kind == 0)
        maxpool_backward_plain(dx, c.R, c.x, &c.g);
    else if (kind == 1)
        maxpool_backward(dx, c.R, c.arg, &c.g);
    else
        avgpool_backward(dx, c.R, &c.g);
    double e = test_gradcheck((int)nx, c.x, dx, pool_loss, &c, EPS);
    ck_assert_msg(e < TOL, "pool kind %d k%d s%d p%d: error %g", kind, k, s, p, e);
    if (kind == 1) { /* the overwriting variant gives the same dx */
        double *dx2 = malloc(nx * sizeof(double));
        for (size_t i = 0; i < nx; i++)
            dx2[i] = 123; /* garbage it must overwrite */
        pool_loss(&c); /* y again from the un-nudged x */
        maxpool_backward_set(dx2, c.R, c.x, c.y, &c.g);
        for (size_t i = 0; i < nx; i++)
            ck_assert_double_eq_tol(dx2[i], dx[i], 1e-12);
        free(dx2);
    }
    free(c.x); free(c.R); free(c.y); free(c.arg); free(dx);
}

START_TEST(test_maxpool_gradients)
{
    for (int kind = 0; kind < 2; kind++) {
        check_pool(3, 6, 6, 2, 2, 0, kind); /* the network's */
        check_pool(3, 7, 7, 2, 2, 0, kind); /* odd size: last row/column dropped */
        check_pool(2, 5, 6, 3, 2, 1, kind); /* overlapping windows with padding */
        check_pool(2, 4, 4, 2, 1, 1, kind);
    }
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

/* --- the whole network on a tiny batch ------------------------------------ */
typedef struct {
    Ch4Net *net;
    Ch4Work *w;
    int B;
    unsigned char labels[3];
    const double *mask;
    size_t *idx; /* which parameters are checked */
    double *x0;  /* the images */
} NetCase;

static double net_loss(void *ctx)
{
    NetCase *c = ctx;
    memcpy(c->w->x, c->x0, sizeof(double) * (size_t)c->B * 784);
    ch4_forward(c->net, c->w, c->B, c->mask);
    return ch4_loss(c->w, c->B, c->labels);
}

/* The checked parameters live in vals[]; the loss copies them into the
 * network before each forward pass (test_gradcheck nudges vals[i]). */
typedef struct {
    NetCase *c;
    const size_t *idx;
    const double *vals;
    int n;
} Subset;

static double subset_loss(void *ctx)
{
    Subset *s = ctx;
    for (int i = 0; i < s->n; i++)
        s->c->net->p.values[s->idx[i]] = s->vals[i];
    return net_loss(s->c);
}

/* Checks PER random entries of each of the 8 tensors (the whole network has
 * 225 034; every tensor is represented, the forward passes stay few). */
static void check_network(double dropout)
{
    Rng rng;
    rng_seed(&rng, 11);
    Ch4Net net;
    ch4_net_init(&net, &rng);
    Ch4Work w;
    ch4_work_init(&w, 3, 1);
    double x0[3 * 784], mask[3 * 128];
    for (int i = 0; i < 3 * 784; i++)
        x0[i] = rng_uniform(&rng);
    if (dropout > 0)
        dropout_make_mask(mask, 3 * 128, dropout, &rng);
    NetCase c = {&net, &w, 3, {3, 7, 1}, dropout > 0 ? mask : NULL, NULL, x0};
    net_loss(&c);
    params_zero_grads(&net.p);
    memset(w.dlogits, 0, sizeof(double) * 30);
    softmax_cross_entropy_backward(w.dlogits, w.probs, c.labels, 3, 10);
    ch4_backward(&net, &w, 3, c.mask, NULL, NULL);

    real *starts[8] = {net.conv1_w, net.conv1_b, net.conv2_w, net.conv2_b,
                       net.fc1_w, net.fc1_b, net.fc2_w, net.fc2_b};
    size_t sizes[8] = {288, 32, 18432, 64, 204800, 128, 1280, 10};
    enum { PER = 12 };
    size_t idx[8 * PER];
    double vals[8 * PER], grads[8 * PER];
    int n = 0;
    for (int t = 0; t < 8; t++)
        for (size_t k = 0; k < PER && k < sizes[t]; k++) {
            /* one random entry in each of PER equal slices: no index twice
             * (a repeated index would overwrite its own nudge in subset_loss) */
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
    ck_assert_msg(e < 1e-6, "network (dropout %g): worst error %g", dropout, e);
    ch4_work_free(&w);
    ch4_net_free(&net);
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
    Ch4Net *net;
    Ch4Work *w;
    double *img;
    int c;
} SalCase;

static double score(void *ctx)
{
    SalCase *s = ctx;
    memcpy(s->w->x, s->img, sizeof(double) * 784);
    ch4_forward(s->net, s->w, 1, NULL);
    return s->w->logits[s->c];
}

START_TEST(test_saliency_matches_differences)
{
    Rng rng;
    rng_seed(&rng, 5);
    Ch4Net net;
    ch4_net_init(&net, &rng);
    Ch4Work w;
    ch4_work_init(&w, 1, 1);
    double img[784], sal[784], grad[784];
    for (int i = 0; i < 784; i++) {
        int r = i / 28, col = i % 28; /* a ring, like a 0 */
        double d = sqrt((r - 13.5) * (r - 13.5) + (col - 13.5) * (col - 13.5));
        /* noise everywhere: equal pixels would give equal conv outputs, ties
         * in the max-pooling, where the derivative is one-sided */
        img[i] = (fabs(d - 8) < 2.5 ? 0.8 : 0) + 0.1 * rng_uniform(&rng);
    }
    memcpy(w.x, img, sizeof img);
    ch4_saliency(&net, &w, 4, sal, grad);
    for (int i = 0; i < 784; i++)
        ck_assert(sal[i] == fabs(grad[i]));
    SalCase s = {&net, &w, img, 4};
    /* all 784 pixels: 1 568 forward passes of one image, cheap */
    double e = test_gradcheck(784, img, grad, score, &s, EPS);
    ck_assert_msg(e < 1e-6, "saliency vs differences: error %g", e);
    ch4_work_free(&w);
    ch4_net_free(&net);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ch4_grad");
    TCase *tc = tcase_create("gradients");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_conv_plain_gradients);
    tcase_add_test(tc, test_conv_fast_gradients);
    tcase_add_test(tc, test_maxpool_gradients);
    tcase_add_test(tc, test_avgpool_gradients);
    tcase_add_test(tc, test_dropout_gradient);
    tcase_add_test(tc, test_network_gradients);
    tcase_add_test(tc, test_network_gradients_dropout);
    tcase_add_test(tc, test_saliency_matches_differences);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
