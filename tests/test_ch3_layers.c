/* test_ch3_layers.c — the layers of common/nn.c and chapter 3's network,
 * compiled in DOUBLE precision (-DREAL_F64, build/<variant>/f64/...), held to
 * central differences; the plain kernels against the gemm ones; one Adam step
 * against numbers worked out by hand; the metrics on a confusion matrix small
 * enough to count; and the errata of chapter 3 that are about arithmetic. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../chapters/03-mnist-mlp/mlp.h"
#include "gemm.h"
#include "metrics.h"
#include "nn.h"
#include "rng.h"
#include "testutil.h"

#ifndef REAL_F64
#error "test_ch3_layers must be compiled with -DREAL_F64 (the f64 objects)"
#endif

#define GRAD_TOL 1e-6
#define EPS 1e-5

static void fill_uniform(double *v, size_t n, Rng *r, double lo, double hi)
{
    for (size_t i = 0; i < n; i++)
        v[i] = rng_uniform_range(r, lo, hi);
}

/* --- dense ---------------------------------------------------------------------------- */
/* L = Σ R ⊙ y, so ∂L/∂y = R: any backward pass fed dy = R must match the
 * numerical derivative of L with respect to W, b and x. */
enum { DB = 3, DIN = 5, DOUT = 4 };
typedef struct {
    double x[DB * DIN], W[DOUT * DIN], b[DOUT], R[DB * DOUT], y[DB * DOUT];
    int plain;
} DenseCtx;

static double dense_loss(void *p)
{
    DenseCtx *c = p;
    if (c->plain)
        dense_forward_plain(c->y, c->x, c->W, c->b, DB, DIN, DOUT);
    else
        dense_forward(c->y, c->x, c->W, c->b, DB, DIN, DOUT);
    double L = 0;
    for (int i = 0; i < DB * DOUT; i++)
        L += c->R[i] * c->y[i];
    return L;
}

static void check_dense(int plain)
{
    DenseCtx c;
    Rng r;
    rng_seed(&r, 1);
    fill_uniform(c.x, DB * DIN, &r, -1, 1);
    fill_uniform(c.W, DOUT * DIN, &r, -1, 1);
    fill_uniform(c.b, DOUT, &r, -1, 1);
    fill_uniform(c.R, DB * DOUT, &r, -1, 1);
    c.plain = plain;
    double dx[DB * DIN] = {0}, dW[DOUT * DIN] = {0}, db[DOUT] = {0};
    if (plain)
        dense_backward_plain(dx, dW, db, c.R, c.x, c.W, DB, DIN, DOUT);
    else
        dense_backward(dx, dW, db, c.R, c.x, c.W, DB, DIN, DOUT);
    ck_assert_double_le(test_gradcheck(DOUT * DIN, c.W, dW, dense_loss, &c, EPS), GRAD_TOL);
    ck_assert_double_le(test_gradcheck(DOUT, c.b, db, dense_loss, &c, EPS), GRAD_TOL);
    ck_assert_double_le(test_gradcheck(DB * DIN, c.x, dx, dense_loss, &c, EPS), GRAD_TOL);
}

START_TEST(test_dense_gradcheck) { check_dense(0); }
END_TEST
START_TEST(test_dense_plain_gradcheck) { check_dense(1); }
END_TEST

/* Backward passes accumulate: calling twice doubles the gradient. */
START_TEST(test_dense_backward_accumulates)
{
    Rng r;
    rng_seed(&r, 2);
    double x[DB * DIN], W[DOUT * DIN], dy[DB * DOUT];
    fill_uniform(x, DB * DIN, &r, -1, 1);
    fill_uniform(W, DOUT * DIN, &r, -1, 1);
    fill_uniform(dy, DB * DOUT, &r, -1, 1);
    double dW1[DOUT * DIN] = {0}, db1[DOUT] = {0}, dx1[DB * DIN] = {0};
    double dW2[DOUT * DIN] = {0}, db2[DOUT] = {0}, dx2[DB * DIN] = {0};
    dense_backward(dx1, dW1, db1, dy, x, W, DB, DIN, DOUT);
    dense_backward(dx2, dW2, db2, dy, x, W, DB, DIN, DOUT);
    dense_backward(dx2, dW2, db2, dy, x, W, DB, DIN, DOUT);
    for (int i = 0; i < DOUT * DIN; i++)
        ck_assert_double_eq_tol(dW2[i], 2 * dW1[i], 1e-12);
    for (int i = 0; i < DB * DIN; i++)
        ck_assert_double_eq_tol(dx2[i], 2 * dx1[i], 1e-12);
}
END_TEST

/* --- plain kernels against the fast ones (double here; float in test_ch3) ---------------- */
static void check_gemm_shape(int ta, int tb, int M, int N, int K, double beta, Rng *r)
{
    int lda = ta ? M : K, ldb = tb ? K : N;
    double *A = malloc(sizeof(double) * M * K), *B = malloc(sizeof(double) * K * N);
    double *C1 = malloc(sizeof(double) * M * N), *C2 = malloc(sizeof(double) * M * N);
    fill_uniform(A, (size_t)M * K, r, -1, 1);
    fill_uniform(B, (size_t)K * N, r, -1, 1);
    fill_uniform(C1, (size_t)M * N, r, -1, 1);
    memcpy(C2, C1, sizeof(double) * M * N);
    gemm_plain(ta, tb, M, N, K, 0.5, A, lda, B, ldb, beta, C1, N);
    gemm(ta, tb, M, N, K, 0.5, A, lda, B, ldb, beta, C2, N);
    for (int i = 0; i < M * N; i++)
        ck_assert_double_le(fabs(C1[i] - C2[i]), 1e-5 + 1e-5 * fabs(C1[i]));
    free(A);
    free(B);
    free(C1);
    free(C2);
}

START_TEST(test_gemm_plain_vs_fast_f64)
{
    Rng r;
    rng_seed(&r, 3);
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) {
            check_gemm_shape(ta, tb, 7, 5, 13, 0, &r);
            check_gemm_shape(ta, tb, 64, 10, 33, 1, &r);
        }
}
END_TEST

/* --- activations ---------------------------------------------------------------------------- */
enum { AN = 12 };
typedef struct {
    double z[AN], a[AN], R[AN];
    int sigmoid;
} ActCtx;

static double act_loss(void *p)
{
    ActCtx *c = p;
    if (c->sigmoid)
        sigmoid_forward(c->a, c->z, AN);
    else
        relu_forward(c->a, c->z, AN);
    double L = 0;
    for (int i = 0; i < AN; i++)
        L += c->R[i] * c->a[i];
    return L;
}

static void check_activation(int sigmoid)
{
    ActCtx c;
    Rng r;
    rng_seed(&r, 4);
    for (int i = 0; i < AN; i++) {
        /* stay away from ReLU's kink at 0, where no derivative exists */
        double v = rng_uniform_range(&r, 0.1, 2);
        c.z[i] = (i % 2) ? v : -v;
    }
    fill_uniform(c.R, AN, &r, -1, 1);
    c.sigmoid = sigmoid;
    act_loss(&c);
    double dz[AN] = {0};
    if (sigmoid)
        sigmoid_backward(dz, c.a, c.R, AN);
    else
        relu_backward(dz, c.z, c.R, AN);
    ck_assert_double_le(test_gradcheck(AN, c.z, dz, act_loss, &c, EPS), GRAD_TOL);
}

START_TEST(test_relu_gradcheck) { check_activation(0); }
END_TEST
START_TEST(test_sigmoid_gradcheck) { check_activation(1); }
END_TEST

/* Erratum §3.1: the notes call ReLU's derivative "1 for the first case"
 * (x ≤ 0). It is 0 for z ≤ 0 (we take 0 at the kink, like PyTorch) and 1 for
 * z > 0. */
START_TEST(test_relu_derivative_erratum)
{
    double z[4] = {-2, -1e-9, 0, 3}, da[4] = {1, 1, 1, 1}, dz[4] = {0};
    relu_backward(dz, z, da, 4);
    ck_assert_double_eq(dz[0], 0);
    ck_assert_double_eq(dz[1], 0);
    ck_assert_double_eq(dz[2], 0);
    ck_assert_double_eq(dz[3], 1);
}
END_TEST

/* --- softmax + cross-entropy, squared error ------------------------------------------------- */
enum { SB = 4, SC = 10 };
typedef struct {
    double z[SB * SC], p[SB * SC];
    unsigned char y[SB];
    int squared;
} LossCtx;

static double loss_fn(void *p)
{
    LossCtx *c = p;
    if (c->squared)
        return squared_error_forward(c->z, c->y, SB, SC);
    return softmax_cross_entropy_forward(c->p, c->z, c->y, SB, SC);
}

START_TEST(test_softmax_ce_gradcheck)
{
    LossCtx c = {.squared = 0};
    Rng r;
    rng_seed(&r, 5);
    fill_uniform(c.z, SB * SC, &r, -3, 3);
    for (int i = 0; i < SB; i++)
        c.y[i] = (unsigned char)(i * 3 % SC);
    loss_fn(&c);
    double dz[SB * SC] = {0};
    softmax_cross_entropy_backward(dz, c.p, c.y, SB, SC);
    ck_assert_double_le(test_gradcheck(SB * SC, c.z, dz, loss_fn, &c, EPS), GRAD_TOL);
    /* each row of ŷ sums to 1 */
    for (int i = 0; i < SB; i++) {
        double s = 0;
        for (int k = 0; k < SC; k++)
            s += c.p[i * SC + k];
        ck_assert_double_eq_tol(s, 1, 1e-12);
    }
}
END_TEST

/* Notes §3.2: ŷ = 0.70 at the true "3" gives L = −ln 0.70 = 0.3567 and
 * ∂L/∂z = ŷ − y = −0.30 there. Logits ln ŷ reproduce that ŷ (zeros replaced
 * by a tiny 1e-9, renormalised). */
START_TEST(test_cross_entropy_example)
{
    double yhat[10] = {0.01, 0.02, 0.05, 0.70, 0.02, 0.10, 0, 0, 0.10, 0};
    double z[10], p[10], dz[10] = {0};
    for (int k = 0; k < 10; k++)
        z[k] = log(yhat[k] > 0 ? yhat[k] : 1e-12);
    unsigned char y = 3;
    double L = softmax_cross_entropy_forward(p, z, &y, 1, 10);
    ck_assert_double_eq_tol(L, 0.3567, 5e-5);
    softmax_cross_entropy_backward(dz, p, &y, 1, 10);
    ck_assert_double_eq_tol(dz[3], -0.30, 1e-9);
    ck_assert_double_eq_tol(dz[5], 0.10, 1e-9);
}
END_TEST

/* Very confident wrong logits: the log-softmax form keeps the loss finite. */
START_TEST(test_cross_entropy_stays_finite)
{
    double z[3] = {1000, -1000, 0}, p[3];
    unsigned char y = 1;
    double L = softmax_cross_entropy_forward(p, z, &y, 1, 3);
    ck_assert(isfinite(L));
    ck_assert_double_eq_tol(L, 2000, 1e-9);
}
END_TEST

START_TEST(test_squared_error_gradcheck)
{
    LossCtx c = {.squared = 1};
    Rng r;
    rng_seed(&r, 6);
    fill_uniform(c.z, SB * SC, &r, 0, 1);
    for (int i = 0; i < SB; i++)
        c.y[i] = (unsigned char)(i * 7 % SC);
    double dz[SB * SC] = {0};
    squared_error_backward(dz, c.z, c.y, SB, SC, 1.0 / SB);   /* ∂ of the mean */
    ck_assert_double_le(test_gradcheck(SB * SC, c.z, dz, loss_fn, &c, EPS), GRAD_TOL);
}
END_TEST

/* --- dropout with a fixed mask, L2 ------------------------------------------------------------ */
enum { DN = 20 };
typedef struct {
    double x[DN], mask[DN], R[DN], y[DN];
} DropCtx;

static double dropout_loss(void *p)
{
    DropCtx *c = p;
    dropout_forward(c->y, c->x, c->mask, DN);
    double L = 0;
    for (int i = 0; i < DN; i++)
        L += c->R[i] * c->y[i];
    return L;
}

START_TEST(test_dropout_gradcheck)
{
    DropCtx c;
    Rng r;
    rng_seed(&r, 7);
    fill_uniform(c.x, DN, &r, -1, 1);
    fill_uniform(c.R, DN, &r, -1, 1);
    dropout_make_mask(c.mask, DN, 0.2, &r);   /* then fixed for the check */
    double dx[DN] = {0};
    dropout_backward(dx, c.R, c.mask, DN);
    ck_assert_double_le(test_gradcheck(DN, c.x, dx, dropout_loss, &c, EPS), GRAD_TOL);
    for (int i = 0; i < DN; i++)
        if (c.mask[i] == 0)
            ck_assert_double_eq(dx[i], 0);   /* a switched-off neuron passes nothing */
}
END_TEST

/* Inverted dropout: about p of the mask is 0, the rest is 1/(1 − p), so the
 * mean of the mask is about 1 (no rescaling needed at test time). */
START_TEST(test_dropout_mask_statistics)
{
    enum { N = 100000 };
    double *mask = malloc(N * sizeof(double));
    Rng r;
    rng_seed(&r, 8);
    dropout_make_mask(mask, N, 0.2, &r);
    int zeros = 0;
    double sum = 0;
    for (int i = 0; i < N; i++) {
        if (mask[i] == 0)
            zeros++;
        else
            ck_assert_double_eq_tol(mask[i], 1.25, 1e-12);
        sum += mask[i];
    }
    ck_assert_double_eq_tol((double)zeros / N, 0.2, 0.01);
    ck_assert_double_eq_tol(sum / N, 1.0, 0.01);
    free(mask);
}
END_TEST

typedef struct {
    double w[DN];
} L2Ctx;
static double l2_loss(void *p) { return l2_penalty(((L2Ctx *)p)->w, DN, 0.3); }

START_TEST(test_l2_gradcheck)
{
    L2Ctx c;
    Rng r;
    rng_seed(&r, 9);
    fill_uniform(c.w, DN, &r, -2, 2);
    double dw[DN] = {0};
    l2_backward(dw, c.w, DN, 0.3);
    ck_assert_double_le(test_gradcheck(DN, c.w, dw, l2_loss, &c, EPS), GRAD_TOL);
    ck_assert_double_eq_tol(dw[0], 0.3 * c.w[0], 1e-15);
}
END_TEST

/* --- the whole network of chapter 3 ---------------------------------------------------------- */
typedef struct {
    Ch3Net n;
    double x[3 * CH3_PIXELS];
    unsigned char y[3];
    int B;
} NetCtx;

static double net_loss(void *p)
{
    NetCtx *c = p;
    Rng r;
    rng_seed(&r, 99);   /* the same dropout masks on every call */
    return ch3_forward(&c->n, c->x, c->y, c->B, 1, &r) + ch3_l2_loss(&c->n);
}

static void check_net(Ch3Act act, Ch3Head head, double dropout, double l2, int sum)
{
    static NetCtx c;
    Rng r;
    rng_seed(&r, 10);
    int sizes[] = {CH3_PIXELS, 6, 5, CH3_CLASSES};
    ch3_net_init(&c.n, 3, sizes, act, head, CH3_INIT_GLOROT, 8, &r);
    /* Glorot starts biases at 0; move them so their gradients are generic. */
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < sizes[l + 1]; i++)
            c.n.b[l][i] = rng_uniform_range(&r, 0.05, 0.3);
    c.n.dropout = dropout;
    c.n.l2 = l2;
    c.n.sum_over_batch = sum;
    c.B = 3;
    fill_uniform(c.x, 3 * CH3_PIXELS, &r, 0, 1);
    c.y[0] = 3;
    c.y[1] = 7;
    c.y[2] = 0;
    net_loss(&c);
    ch3_backward(&c.n, c.x, c.y, c.B);
    double *analytic = malloc(c.n.p.n * sizeof(double));
    memcpy(analytic, c.n.p.grads, c.n.p.n * sizeof(double));
    if (sum) {
        /* the summed gradient is B times the mean: compare with B · ∂(mean) */
        for (size_t i = 0; i < c.n.p.n; i++)
            analytic[i] /= c.B;
    }
    double err = test_gradcheck((int)c.n.p.n, c.n.p.values, analytic, net_loss, &c, EPS);
    ck_assert_msg(err <= GRAD_TOL, "network gradient error %g", err);
    free(analytic);
    ch3_net_free(&c.n);
}

START_TEST(test_net_relu_ce_gradcheck) { check_net(CH3_RELU, CH3_SOFTMAX_CE, 0, 0, 0); }
END_TEST
START_TEST(test_net_dropout_l2_gradcheck) { check_net(CH3_RELU, CH3_SOFTMAX_CE, 0.3, 0.01, 0); }
END_TEST
START_TEST(test_net_sigmoid_se_gradcheck) { check_net(CH3_SIGMOID, CH3_SIGMOID_SE, 0, 0, 0); }
END_TEST
START_TEST(test_net_sigmoid_se_summed_gradcheck) { check_net(CH3_SIGMOID, CH3_SIGMOID_SE, 0, 0, 1); }
END_TEST
START_TEST(test_net_sigmoid_dropout_gradcheck) { check_net(CH3_SIGMOID, CH3_SOFTMAX_CE, 0.25, 0, 0); }
END_TEST

/* Erratum (§3, the NumPy loop): it neither updates the biases nor divides
 * by the batch size. Ours does both: the bias gradients are not zero, and a
 * batch repeated twice gives the same gradient (a mean), not twice it. */
START_TEST(test_net_biases_and_batch_mean)
{
    static NetCtx c;
    Rng r;
    rng_seed(&r, 11);
    int sizes[] = {CH3_PIXELS, 6, CH3_CLASSES};
    ch3_net_init(&c.n, 2, sizes, CH3_RELU, CH3_SOFTMAX_CE, CH3_INIT_GLOROT, 8, &r);
    fill_uniform(c.x, 3 * CH3_PIXELS, &r, 0, 1);
    unsigned char y[6] = {1, 2, 3, 1, 2, 3};
    double *x2 = malloc(6 * CH3_PIXELS * sizeof(double));
    memcpy(x2, c.x, 3 * CH3_PIXELS * sizeof(double));
    memcpy(x2 + 3 * CH3_PIXELS, c.x, 3 * CH3_PIXELS * sizeof(double));
    ch3_forward(&c.n, c.x, y, 3, 1, &r);
    ch3_backward(&c.n, c.x, y, 3);
    double *g1 = malloc(c.n.p.n * sizeof(double));
    memcpy(g1, c.n.p.grads, c.n.p.n * sizeof(double));
    ch3_forward(&c.n, x2, y, 6, 1, &r);
    ch3_backward(&c.n, x2, y, 6);
    double bias_norm = 0;
    for (int i = 0; i < CH3_CLASSES; i++)
        bias_norm += fabs(c.n.db[1][i]);
    ck_assert_double_gt(bias_norm, 1e-6);
    for (size_t i = 0; i < c.n.p.n; i++)
        ck_assert_double_eq_tol(c.n.p.grads[i], g1[i], 1e-12);
    free(g1);
    free(x2);
    ch3_net_free(&c.n);
}
END_TEST

/* Erratum 003: the gradient summed over a batch of 100 with lr 0.01 is the
 * same step as the mean gradient with lr 1. One SGD step each, from the same
 * start, lands on the same weights. */
START_TEST(test_summed_equals_mean_times_batch)
{
    enum { B = 100 };
    int sizes[] = {CH3_PIXELS, 20, 20, CH3_CLASSES};
    Ch3Net a, b;
    Rng r1, r2, rx;
    rng_seed(&r1, 12);
    rng_seed(&r2, 12);
    ch3_net_init(&a, 3, sizes, CH3_SIGMOID, CH3_SIGMOID_SE, CH3_INIT_HALF, B, &r1);
    ch3_net_init(&b, 3, sizes, CH3_SIGMOID, CH3_SIGMOID_SE, CH3_INIT_HALF, B, &r2);
    a.sum_over_batch = 1;
    double *x = malloc(B * CH3_PIXELS * sizeof(double));
    unsigned char y[B];
    rng_seed(&rx, 13);
    fill_uniform(x, (size_t)B * CH3_PIXELS, &rx, 0, 1);
    for (int i = 0; i < B; i++)
        y[i] = (unsigned char)(i % 10);
    Ch3Opt oa, ob;
    ch3_opt_init(&oa, "sgd", 0.01, &a);
    ch3_opt_init(&ob, "sgd", 1.0, &b);
    ch3_forward(&a, x, y, B, 1, &r1);
    ch3_backward(&a, x, y, B);
    ch3_opt_step(&oa, &a);
    ch3_forward(&b, x, y, B, 1, &r2);
    ch3_backward(&b, x, y, B);
    ch3_opt_step(&ob, &b);
    double moved = 0;
    for (size_t i = 0; i < a.p.n; i++) {
        ck_assert_double_eq_tol(a.p.values[i], b.p.values[i], 1e-12);
        moved += fabs(a.p.grads[i]);
    }
    ck_assert_double_gt(moved, 0);
    free(x);
    ch3_net_free(&a);
    ch3_net_free(&b);
}
END_TEST

/* Erratum §3.4: nn.Linear's default is not Glorot but U(±1/√fan_in). For the
 * first layer (784 → 128) the two bounds are 0.0357 and 0.0811. */
START_TEST(test_init_bounds)
{
    enum { IN = 784, OUT = 128 };
    double *W = malloc(IN * OUT * sizeof(double));
    Rng r;
    rng_seed(&r, 14);
    init_glorot_uniform(W, IN, OUT, &r);
    double gmax = 0;
    for (int i = 0; i < IN * OUT; i++)
        gmax = fmax(gmax, fabs(W[i]));
    init_pytorch_linear(W, IN * OUT, IN, &r);
    double pmax = 0;
    for (int i = 0; i < IN * OUT; i++)
        pmax = fmax(pmax, fabs(W[i]));
    ck_assert_double_le(gmax, sqrt(6.0 / (IN + OUT)));
    ck_assert_double_gt(gmax, 0.99 * sqrt(6.0 / (IN + OUT)));   /* ≈ 0.0811 */
    ck_assert_double_le(pmax, 1 / sqrt(IN));
    ck_assert_double_gt(pmax, 0.99 / sqrt(IN));                 /* ≈ 0.0357 */
    free(W);
}
END_TEST

/* --- optimisers ------------------------------------------------------------------------------ */
/* Two Adam steps on θ = (1, −2), lr 0.1, worked by hand:
 *   step 1, g = (0.5, −0.1):  m = (0.05, −0.01), v = (0.00025, 0.00001),
 *     m̂ = m/0.1 = g, v̂ = v/0.001 = g², so θ −= 0.1·g/(|g| + 1e-8):
 *     θ = (0.900000002, −1.90000001)
 *   step 2, g = (−0.25, 0.2): m = (0.02, 0.011), v = (0.00031225, 0.00004999),
 *     m̂ = m/0.19, v̂ = v/0.001999,
 *     θ = (0.873366298708, −1.93661036039) */
START_TEST(test_adam_two_steps_by_hand)
{
    double theta[2] = {1.0, -2.0};
    Adam a;
    adam_init(&a, 2, 0.1);
    ck_assert_double_eq(a.beta1, 0.9);
    ck_assert_double_eq(a.beta2, 0.999);
    ck_assert_double_eq(a.eps, 1e-8);
    adam_step(&a, theta, (double[]){0.5, -0.1});
    ck_assert_double_eq_tol(a.m[0], 0.05, 1e-15);
    ck_assert_double_eq_tol(a.v[1], 0.00001, 1e-18);
    ck_assert_double_eq_tol(theta[0], 0.900000002, 1e-12);
    ck_assert_double_eq_tol(theta[1], -1.90000001, 1e-12);
    adam_step(&a, theta, (double[]){-0.25, 0.2});
    ck_assert_double_eq_tol(a.m[0], 0.02, 1e-15);
    ck_assert_double_eq_tol(a.m[1], 0.011, 1e-15);
    ck_assert_double_eq_tol(a.v[0], 0.00031225, 1e-15);
    ck_assert_double_eq_tol(a.v[1], 0.00004999, 1e-15);
    ck_assert_double_eq_tol(theta[0], 0.873366298708, 1e-11);
    ck_assert_double_eq_tol(theta[1], -1.93661036039, 1e-11);
    ck_assert_int_eq(a.t, 2);
    adam_free(&a);
}
END_TEST

START_TEST(test_sgd_step)
{
    double theta[3] = {1, 2, 3}, g[3] = {0.5, -1, 0};
    sgd_step(theta, g, 3, 0.1);
    ck_assert_double_eq_tol(theta[0], 0.95, 1e-15);
    ck_assert_double_eq_tol(theta[1], 2.1, 1e-15);
    ck_assert_double_eq(theta[2], 3);
}
END_TEST

/* --- metrics ----------------------------------------------------------------------------------- */
/* Three classes, nine images:
 *              predicted 0  1  2
 *   true 0              2  1  0      recall 2/3
 *   true 1              0  3  1      recall 3/4
 *   true 2              1  0  1      recall 1/2
 *   precision: 0 → 2/3, 1 → 3/4, 2 → 1/2; accuracy 6/9 */
START_TEST(test_metrics_by_hand)
{
    Confusion cm;
    confusion_init(&cm, 3);
    int pairs[][2] = {{0, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 2}, {2, 0}, {2, 2}};
    for (int i = 0; i < 9; i++)
        confusion_add(&cm, pairs[i][0], pairs[i][1]);
    ClassReport r;
    confusion_report(&cm, &r);
    ck_assert_double_eq_tol(r.accuracy, 6.0 / 9, 1e-12);
    ck_assert_double_eq_tol(confusion_accuracy(&cm), 6.0 / 9, 1e-12);
    ck_assert_double_eq_tol(r.recall[0], 2.0 / 3, 1e-12);
    ck_assert_double_eq_tol(r.recall[1], 3.0 / 4, 1e-12);
    ck_assert_double_eq_tol(r.recall[2], 1.0 / 2, 1e-12);
    ck_assert_double_eq_tol(r.precision[0], 2.0 / 3, 1e-12);
    ck_assert_double_eq_tol(r.precision[1], 3.0 / 4, 1e-12);
    ck_assert_double_eq_tol(r.precision[2], 1.0 / 2, 1e-12);
    ck_assert_double_eq_tol(r.f1[1], 0.75, 1e-12);
    ck_assert_double_eq_tol(r.macro_f1, (2.0 / 3 + 0.75 + 0.5) / 3, 1e-12);
    ck_assert_int_eq(r.support[1], 4);
    ConfusionPair top[5];
    int n = confusion_top(&cm, top, 5);
    ck_assert_int_eq(n, 3);   /* three off-diagonal cells of 1, in (true, pred) order */
    ck_assert_int_eq(top[0].truth, 0);
    ck_assert_int_eq(top[0].predicted, 1);
    ck_assert_int_eq(top[2].truth, 2);
    ck_assert_int_eq(top[2].predicted, 0);
}
END_TEST

/* A class never predicted has precision 0 (and F1 0), not NaN. */
START_TEST(test_metrics_class_never_predicted)
{
    Confusion cm;
    confusion_init(&cm, 2);
    confusion_add(&cm, 0, 0);
    confusion_add(&cm, 1, 0);
    confusion_add(&cm, 1, 0);
    ClassReport r;
    confusion_report(&cm, &r);
    ck_assert_double_eq(r.precision[1], 0);
    ck_assert_double_eq(r.f1[1], 0);
    ck_assert_double_eq_tol(r.precision[0], 1.0 / 3, 1e-12);
    ConfusionPair top[1];
    ck_assert_int_eq(confusion_top(&cm, top, 1), 1);
    ck_assert_int_eq(top[0].count, 2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ch3_layers");
    TCase *tc = tcase_create("layers");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_dense_gradcheck);
    tcase_add_test(tc, test_dense_plain_gradcheck);
    tcase_add_test(tc, test_dense_backward_accumulates);
    tcase_add_test(tc, test_gemm_plain_vs_fast_f64);
    tcase_add_test(tc, test_relu_gradcheck);
    tcase_add_test(tc, test_sigmoid_gradcheck);
    tcase_add_test(tc, test_relu_derivative_erratum);
    tcase_add_test(tc, test_softmax_ce_gradcheck);
    tcase_add_test(tc, test_cross_entropy_example);
    tcase_add_test(tc, test_cross_entropy_stays_finite);
    tcase_add_test(tc, test_squared_error_gradcheck);
    tcase_add_test(tc, test_dropout_gradcheck);
    tcase_add_test(tc, test_dropout_mask_statistics);
    tcase_add_test(tc, test_l2_gradcheck);
    suite_add_tcase(s, tc);
    TCase *tn = tcase_create("network");
    tcase_set_timeout(tn, 120);
    tcase_add_test(tn, test_net_relu_ce_gradcheck);
    tcase_add_test(tn, test_net_dropout_l2_gradcheck);
    tcase_add_test(tn, test_net_sigmoid_se_gradcheck);
    tcase_add_test(tn, test_net_sigmoid_se_summed_gradcheck);
    tcase_add_test(tn, test_net_sigmoid_dropout_gradcheck);
    tcase_add_test(tn, test_net_biases_and_batch_mean);
    tcase_add_test(tn, test_summed_equals_mean_times_batch);
    tcase_add_test(tn, test_init_bounds);
    suite_add_tcase(s, tn);
    TCase *to = tcase_create("optimisers_metrics");
    tcase_add_test(to, test_adam_two_steps_by_hand);
    tcase_add_test(to, test_sgd_step);
    tcase_add_test(to, test_metrics_by_hand);
    tcase_add_test(to, test_metrics_class_never_predicted);
    suite_add_tcase(s, to);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
