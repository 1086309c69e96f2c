/* test_ch3_layers.c — chapter 3's network and the layers it is made of,
 * compiled in DOUBLE precision (-DREAL_F64, build/<variant>/f64/...):
 *   - the layers of common/nn.c and the whole network of mlp.c held to
 *     central differences, the network once for EVERY trainable activation
 *     of the table (a row added to ACTIVATIONS[] adds its checks), with both
 *     heads, dropout and L2;
 *   - the fast step of mlp_fast.c held to mlp.c's readable step on one
 *     batch, for 1, 2 and 3 threads;
 *   - the errata of chapter 3 that are about arithmetic, and the metrics on
 *     a confusion matrix small enough to count.
 * (The activation table's own derivatives, the optimisers' rules and
 * par_range/par_sum_into are checked in tests/test_common.c.) */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../chapters/03-mnist-mlp/mlp.h"
#include "gemm.h"
#include "metrics.h"
#include "nn.h"
#include "parallel.h"
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
} DenseCtx;

static double dense_loss(void *p)
{
    DenseCtx *c = p;
    dense_forward(c->y, c->x, c->W, c->b, DB, DIN, DOUT);
    double L = 0;
    for (int i = 0; i < DB * DOUT; i++)
        L += c->R[i] * c->y[i];
    return L;
}

/* plain = 1: every product through gemm_plain's triple loop (what --plain runs). */
static void check_dense(int plain)
{
    gemm_use_plain_loops(plain);
    DenseCtx c;
    Rng r;
    rng_seed(&r, 1);
    fill_uniform(c.x, DB * DIN, &r, -1, 1);
    fill_uniform(c.W, DOUT * DIN, &r, -1, 1);
    fill_uniform(c.b, DOUT, &r, -1, 1);
    fill_uniform(c.R, DB * DOUT, &r, -1, 1);
    double dx[DB * DIN] = {0}, dW[DOUT * DIN] = {0}, db[DOUT] = {0};
    dense_backward(dx, dW, db, c.R, c.x, c.W, DB, DIN, DOUT);
    ck_assert_double_le(test_gradcheck(DOUT * DIN, c.W, dW, dense_loss, &c, EPS), GRAD_TOL);
    ck_assert_double_le(test_gradcheck(DOUT, c.b, db, dense_loss, &c, EPS), GRAD_TOL);
    ck_assert_double_le(test_gradcheck(DB * DIN, c.x, dx, dense_loss, &c, EPS), GRAD_TOL);
    gemm_use_plain_loops(0);
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
    for (int i = 0; i < DOUT; i++)
        ck_assert_double_eq_tol(db2[i], 2 * db1[i], 1e-12);
}
END_TEST

/* The plain triple loop against cblas_dgemm, all four transpose cases (in
 * float: tests/test_ch3.c). */
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
        ck_assert_double_le(fabs(C1[i] - C2[i]), 1e-12 + 1e-12 * fabs(C1[i]));
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

/* Erratum §3.1: the notes call ReLU's derivative "1 for the first case"
 * (x ≤ 0). It is 0 for z ≤ 0 (we take 0 at the kink, like PyTorch) and 1 for
 * z > 0 — in the table row the network uses, batched loop included. */
START_TEST(test_relu_derivative_erratum)
{
    const Activation *relu_row = activation_find("relu");
    ck_assert_ptr_nonnull(relu_row);
    double z[4] = {-2, -1e-9, 0, 3}, da[4] = {1, 1, 1, 1}, dz[4] = {0};
    activation_backward(relu_row, dz, z, da, 4);
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
    for (int i = 0; i < SB; i++) {   /* each row of ŷ sums to 1 */
        double s = 0;
        for (int k = 0; k < SC; k++)
            s += c.p[i * SC + k];
        ck_assert_double_eq_tol(s, 1, 1e-12);
    }
}
END_TEST

/* Notes §3.2: ŷ = 0.70 at the true "3" gives L = −ln 0.70 = 0.3567 and
 * ∂L/∂z = ŷ − y = −0.30 there. Logits ln ŷ reproduce that ŷ (zeros replaced
 * by a tiny 1e-12, which does not move the 4th decimal). */
START_TEST(test_cross_entropy_example)
{
    double yhat[10] = {0.01, 0.02, 0.05, 0.70, 0.02, 0.10, 0, 0, 0.10, 0};
    double z[10], p[10], dz[10] = {0};
    for (int k = 0; k < 10; k++)
        z[k] = log(yhat[k] > 0 ? yhat[k] : 1e-12);
    unsigned char y = 3;
    double L = softmax_cross_entropy_forward(p, z, &y, 1, 10);
    ck_assert_double_eq_tol(L, 0.3567, 5e-5);
    ck_assert_double_eq_tol(cross_entropy(yhat, 3), 0.3567, 5e-5);
    softmax_cross_entropy_backward(dz, p, &y, 1, 10);
    ck_assert_double_eq_tol(dz[3], -0.30, 1e-9);
    ck_assert_double_eq_tol(dz[5], 0.10, 1e-9);
}
END_TEST

/* Erratum (§3.2): the notes write L = −Σ_{i=0}^{9} y_i ln ŷ_i = −ln ŷ_4 for the
 * "3". With their own 0-based sum the "3" is ŷ_3, the FOURTH entry (0.70):
 * L = 0.3567. ŷ_4, the fifth entry, is the "4" (0.02), and −ln 0.02 = 3.912
 * would be the loss of an image labelled 4. */
START_TEST(test_cross_entropy_index_erratum)
{
    double yhat[10] = {0.01, 0.02, 0.05, 0.70, 0.02, 0.10, 0, 0, 0.10, 0};
    double z[10], p[10];
    for (int k = 0; k < 10; k++)
        z[k] = log(yhat[k] > 0 ? yhat[k] : 1e-12);
    unsigned char three = 3, four = 4;
    double L3 = softmax_cross_entropy_forward(p, z, &three, 1, 10);
    ck_assert_double_eq_tol(L3, -log(yhat[3]), 1e-9);      /* −ln ŷ_3 = −ln 0.70 */
    ck_assert_double_eq_tol(L3, 0.3567, 5e-5);
    ck_assert_double_gt(fabs(L3 - (-log(yhat[4]))), 3.0);  /* −ln ŷ_4 = 3.912: not it */
    double L4 = softmax_cross_entropy_forward(p, z, &four, 1, 10);
    ck_assert_double_eq_tol(L4, 3.912, 5e-4);              /* ... it is a "4"'s loss */
}
END_TEST

/* Erratum (§3.3): the notes' underbrace labels (A₃ − y)·W₃ᵀ as δ₃, the line
 * before having said δ₃ = A₃ − y. The product is δ₃·W₃ᵀ = ∂L/∂A₂: the error
 * carried back to layer 2's OUTPUTS, before the ReLU′(Z₂) factor, with one
 * column per neuron of layer 2 (64), where δ₃ has one per class (10); δ₂ =
 * (δ₃·W₃ᵀ) ⊙ ReLU′(Z₂) is what W₂'s gradient needs. On a 784–6–5–4 net: mlp.c's
 * w->dz[2] is δ₃ = (A₃ − y)/B, w->da[1] is δ₃·W₃ᵀ (our W₃ is stored (out, in),
 * so the notes' ·W₃ᵀ is our ·W₃), and W₂'s gradient is δ₂ᵀ·A₁ — taking the
 * underbraced product itself for δ₂ gives a wrong gradient wherever Z₂ ≤ 0. */
START_TEST(test_delta3_underbrace_erratum)
{
    enum { B = 4, H1 = 6, H2 = 5, K = 4 };
    Ch3Net n;
    Rng r;
    rng_seed(&r, 21);
    ch3_net_init(&n, 3, (int[]){CH3_PIXELS, H1, H2, K}, activation_find("relu"), CH3_SOFTMAX_CE,
                 CH3_INIT_GLOROT, B, &r);
    for (int i = 0; i < H2; i++)   /* some of Z₂ below 0, some above */
        n.b[1][i] = (i % 2) ? 0.5 : -0.5;
    Ch3Pass *w = &n.pass;
    fill_uniform(w->x, B * CH3_PIXELS, &r, 0, 1);
    for (int i = 0; i < B; i++)
        w->y[i] = (unsigned char)(i % K);
    ch3_forward(&n, w, B, 1);
    ch3_loss(&n, w, B);
    params_zero_grads(&n.p);
    ch3_backward(&n, w, B, B, 1);

    /* δ₃ = (A₃ − y)/B: (B, 4) */
    for (int i = 0; i < B; i++)
        for (int k = 0; k < K; k++)
            ck_assert_double_eq_tol(w->dz[2][i * K + k],
                                    (w->a[2][i * K + k] - (w->y[i] == k)) / B, 1e-15);
    /* (A₃ − y)·W₃ᵀ (÷B): (B, 5) — another shape than δ₃'s (B, 4) */
    int relu_cuts = 0;
    for (int i = 0; i < B; i++)
        for (int j = 0; j < H2; j++) {
            double back = 0;
            for (int k = 0; k < K; k++)
                back += w->dz[2][i * K + k] * n.W[2][k * H2 + j];
            ck_assert_double_eq_tol(w->da[1][i * H2 + j], back, 1e-15);
            /* δ₂ = that ⊙ ReLU′(Z₂): equal where Z₂ > 0, zero where Z₂ ≤ 0 */
            double relu_prime = w->z[1][i * H2 + j] > 0;
            ck_assert_double_eq_tol(w->dz[1][i * H2 + j], back * relu_prime, 1e-15);
            relu_cuts += relu_prime == 0 && fabs(back) > 1e-6;
        }
    ck_assert_int_gt(relu_cuts, 0);   /* the case where the two differ does happen */
    /* W₂'s gradient: δ₂ᵀ·A₁ (what mlp.c computes) and the underbrace's version */
    double wrong_err = 0;
    for (int j = 0; j < H2; j++)
        for (int h = 0; h < H1; h++) {
            double right = 0, wrong = 0;
            for (int i = 0; i < B; i++) {
                right += w->dz[1][i * H2 + j] * w->a[0][i * H1 + h];
                wrong += w->da[1][i * H2 + j] * w->a[0][i * H1 + h];
            }
            ck_assert_double_eq_tol(n.dW[1][j * H1 + h], right, 1e-14);
            wrong_err = fmax(wrong_err, fabs(wrong - right));
        }
    ck_assert_double_gt(wrong_err, 1e-6);
    ch3_net_free(&n);
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

/* --- the whole network of mlp.c, for every trainable activation ------------------------------- */
/* A 784–6–5–10 network on 3 images: the loss as the notes' loop computes it
 * (forward, criterion, + the L2 term), the gradient from mlp.c's backward. */
typedef struct {
    Ch3Net n;
    int B;
} NetCtx;

static double net_loss(void *p)
{
    NetCtx *c = p;
    Rng r;
    rng_seed(&r, 99);   /* the same dropout masks on every call */
    if (c->n.dropout > 0)
        ch3_draw_dropout_masks(&c->n, c->B, &r);
    ch3_forward(&c->n, &c->n.pass, c->B, 1);
    return ch3_loss(&c->n, &c->n.pass, c->B) + ch3_l2_loss(&c->n);
}

typedef struct {
    Ch3Head head;
    double dropout, l2;
    int sum;
} NetCase;

static void check_net(const Activation *act, NetCase k)
{
    static NetCtx c;
    Rng r;
    rng_seed(&r, 10);
    int sizes[] = {CH3_PIXELS, 6, 5, CH3_CLASSES};
    ch3_net_init(&c.n, 3, sizes, act, k.head, CH3_INIT_GLOROT, 8, &r);
    /* Glorot starts biases at 0; move them so their gradients are generic. */
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < sizes[l + 1]; i++)
            c.n.b[l][i] = rng_uniform_range(&r, 0.05, 0.3);
    c.n.dropout = k.dropout;
    c.n.l2 = k.l2;
    c.n.sum_over_batch = k.sum;
    c.B = 3;
    fill_uniform(c.n.pass.x, 3 * CH3_PIXELS, &r, 0, 1);
    c.n.pass.y[0] = 3;
    c.n.pass.y[1] = 7;
    c.n.pass.y[2] = 0;
    net_loss(&c);
    params_zero_grads(&c.n.p);
    ch3_backward(&c.n, &c.n.pass, c.B, c.B, 1);
    double *analytic = malloc(c.n.p.n * sizeof(double));
    memcpy(analytic, c.n.p.grads, c.n.p.n * sizeof(double));
    if (k.sum)   /* the summed gradient is B times the mean's: compare B · ∂(mean) */
        for (size_t i = 0; i < c.n.p.n; i++)
            analytic[i] /= c.B;
    double err = test_gradcheck((int)c.n.p.n, c.n.p.values, analytic, net_loss, &c, EPS);
    ck_assert_msg(err <= GRAD_TOL, "%s network, head %d, dropout %g, L2 %g, summed %d: "
                  "gradient error %g", act->name, k.head, k.dropout, k.l2, k.sum, err);
    free(analytic);
    ch3_net_free(&c.n);
}

/* Loop tests: iteration i is row i of ACTIVATIONS[] (rows that cannot be
 * trained, the step, are skipped here and refused by test_step_is_refused). */
static int activation_rows(void)
{
    int n = 0;
    while (ACTIVATIONS[n].name)
        n++;
    return n;
}

static void check_net_row(int row, NetCase k)
{
    if (!ACTIVATIONS[row].trainable)
        return;
    check_net(&ACTIVATIONS[row], k);
}

START_TEST(test_net_softmax_ce_gradcheck) { check_net_row(_i, (NetCase){CH3_SOFTMAX_CE, 0, 0, 0}); }
END_TEST
START_TEST(test_net_dropout_l2_gradcheck)
{
    check_net_row(_i, (NetCase){CH3_SOFTMAX_CE, 0.3, 0.01, 0});
}
END_TEST
START_TEST(test_net_squared_error_gradcheck) { check_net_row(_i, (NetCase){CH3_SIGMOID_SE, 0, 0, 0}); }
END_TEST
START_TEST(test_net_squared_error_summed_gradcheck)
{
    check_net_row(_i, (NetCase){CH3_SIGMOID_SE, 0.25, 0, 1});
}
END_TEST

/* The step of the activation table cannot be trained: the network refuses it. */
START_TEST(test_step_is_refused)
{
    Ch3Net n;
    Rng r;
    rng_seed(&r, 1);
    ch3_net_init(&n, 2, (int[]){CH3_PIXELS, 4, CH3_CLASSES}, activation_find("step"),
                 CH3_SOFTMAX_CE, CH3_INIT_GLOROT, 4, &r);
}
END_TEST

/* Erratum (§3, the NumPy loop): it neither updates the biases nor divides
 * by the batch size. Ours does both: the bias gradients are not zero, and a
 * batch repeated twice gives the same gradient (a mean), not twice it. */
START_TEST(test_net_biases_and_batch_mean)
{
    Ch3Net n;
    Rng r;
    rng_seed(&r, 11);
    ch3_net_init(&n, 2, (int[]){CH3_PIXELS, 6, CH3_CLASSES}, activation_find("relu"),
                 CH3_SOFTMAX_CE, CH3_INIT_GLOROT, 8, &r);
    Ch3Pass *w = &n.pass;
    fill_uniform(w->x, 3 * CH3_PIXELS, &r, 0, 1);
    memcpy(w->x + 3 * CH3_PIXELS, w->x, 3 * CH3_PIXELS * sizeof(double));
    unsigned char y[6] = {1, 2, 3, 1, 2, 3};
    memcpy(w->y, y, 6);
    double *g1 = malloc(n.p.n * sizeof(double));
    for (int B = 3; B <= 6; B += 3) {   /* the 3 images, then the same 3 twice */
        params_zero_grads(&n.p);
        ch3_forward(&n, w, B, 1);
        ch3_loss(&n, w, B);
        ch3_backward(&n, w, B, B, 1);
        if (B == 3)
            memcpy(g1, n.p.grads, n.p.n * sizeof(double));
    }
    double bias_norm = 0;
    for (int i = 0; i < CH3_CLASSES; i++)
        bias_norm += fabs(n.db[1][i]);
    ck_assert_double_gt(bias_norm, 1e-6);
    for (size_t i = 0; i < n.p.n; i++)
        ck_assert_double_eq_tol(n.p.grads[i], g1[i], 1e-12);
    free(g1);
    ch3_net_free(&n);
}
END_TEST

/* --- fake MNIST, for the tests that need images but not the files -------------------------------- */
/* Erratum 003: the gradient summed over a batch of 100 with lr 0.01 is the
 * same step as the mean gradient with lr 1. One SGD step each, from the same
 * start, lands on the same weights. */
START_TEST(test_summed_equals_mean_times_batch)
{
    enum { B = 100 };
    Rng r1, r2, rx;
    rng_seed(&rx, 13);
    Mnist d = test_fake_mnist(B, &rx);
    int idx[B];
    for (int i = 0; i < B; i++)
        idx[i] = i;
    int sizes[] = {CH3_PIXELS, 20, 20, CH3_CLASSES};
    const Activation *sig = activation_find("sigmoid");
    Ch3Net a, b;
    rng_seed(&r1, 12);
    rng_seed(&r2, 12);
    ch3_net_init(&a, 3, sizes, sig, CH3_SIGMOID_SE, CH3_INIT_HALF, B, &r1);
    ch3_net_init(&b, 3, sizes, sig, CH3_SIGMOID_SE, CH3_INIT_HALF, B, &r2);
    a.sum_over_batch = 1;
    Optimizer oa, ob;
    optim_init(&oa, "sgd", 0.01, a.p.n);
    optim_init(&ob, "sgd", 1.0, b.p.n);
    ch3_step(&a, &oa, &d, idx, B);
    ch3_step(&b, &ob, &d, idx, B);
    double moved = 0;
    for (size_t i = 0; i < a.p.n; i++) {
        ck_assert_double_eq_tol(a.p.values[i], b.p.values[i], 1e-12);
        moved += fabs(a.p.grads[i]);
    }
    ck_assert_double_gt(moved, 0);
    optim_free(&oa);
    optim_free(&ob);
    ch3_net_free(&a);
    ch3_net_free(&b);
    mnist_free(&d);
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

/* --- the fast step (mlp_fast.c) against the readable one (mlp.c) ------------------------------ */
/* One batch of 61 images — it splits 31/30 over 2 threads and 21/21/19 over
 * 3 — from the same weights and the same dropout masks: the loss, every
 * parameter's gradient, and the parameters after one Adam step.
 *
 * Tolerance, double: the slices compute the same products on fewer rows,
 * so each gradient is the same sum of 61 terms, grouped in T partial sums
 * and then added. Regrouping a sum of n terms in double moves it by at most
 * ~n·2⁻⁵³ of the sum of the terms' sizes: ≈ 7e-15 of the gradients' scale
 * here (measured: at most 6e-16 of the largest gradient). We allow 1e-12
 * of the largest gradient. After the step, a parameter may differ only by
 * what its gradient's difference δ explains: Adam's first step moves it by
 * lr·g/(|g| + ε), whose slope in g is at most lr/ε, so by at most lr·δ/ε
 * (SGD's lr·g by lr·δ, less), plus 1e-15 for rounding the update itself.
 * The loss, a mean of 61 numbers summed in slices: 1e-14 relative. With ONE
 * thread the fast step runs the very same arithmetic on one slice: its
 * gradients must be identical, bit for bit. */
typedef struct {
    const char *act;
    Ch3Head head;
    double dropout, l2;
    int sum;
    const char *opt;
} FastCase;

static const FastCase FAST_CASES[] = {
    {"relu", CH3_SOFTMAX_CE, 0, 0, 0, "adam"},          /* the notes' network */
    {"relu", CH3_SOFTMAX_CE, 0.3, 0.01, 0, "adam"},     /* §3.3's dropout and L2 */
    {"sigmoid", CH3_SIGMOID_SE, 0, 0, 1, "sgd"},        /* seed 003's */
    {"tanh", CH3_SOFTMAX_CE, 0, 0, 0, "sgd"},
};

static void fresh_net(Ch3Net *n, const FastCase *k)
{
    Rng r;
    rng_seed(&r, 21);
    ch3_net_init(n, 3, (int[]){CH3_PIXELS, 32, 16, CH3_CLASSES}, activation_find(k->act),
                 k->head, k->head == CH3_SIGMOID_SE ? CH3_INIT_HALF : CH3_INIT_GLOROT, 100, &r);
    n->dropout = k->dropout;
    n->l2 = k->l2;
    n->sum_over_batch = k->sum;
    if (k->dropout > 0) {
        Rng masks;
        rng_seed(&masks, 22);
        ch3_draw_dropout_masks(n, 61, &masks);
    }
}

static void check_fast_equals_readable(const FastCase *k)
{
    enum { B = 61 };
    Rng r;
    rng_seed(&r, 20);
    Mnist d = test_fake_mnist(200, &r);
    int idx[B];
    for (int i = 0; i < B; i++)
        idx[i] = (i * 7) % 200;

    /* The readable step, on one thread (what --plain and --threads 1 run). */
    par_set_threads(1);
    Ch3Net ref;
    fresh_net(&ref, k);
    Optimizer oref;
    optim_init(&oref, k->opt, 0.003, ref.p.n);
    double loss_ref = ch3_step(&ref, &oref, &d, idx, B);
    double gmax = 0;
    for (size_t i = 0; i < ref.p.n; i++)
        gmax = fmax(gmax, fabs(ref.p.grads[i]));
    ck_assert_double_gt(gmax, 0);

    for (int T = 1; T <= 3; T++) {
        par_set_threads(T);
        Ch3Net n;
        fresh_net(&n, k);
        Optimizer o;
        optim_init(&o, k->opt, 0.003, n.p.n);
        double loss = ch3_fast_step(&n, &o, &d, idx, B);
        ck_assert_double_eq_tol(loss, loss_ref, 1e-14 * fabs(loss_ref));
        ck_assert_int_eq(o.t, oref.t);
        for (size_t i = 0; i < n.p.n; i++) {
            if (T == 1)
                ck_assert_msg(n.p.grads[i] == ref.p.grads[i], "%s, 1 thread: gradient %zu "
                              "%.17g, readable %.17g", k->act, i, n.p.grads[i], ref.p.grads[i]);
            ck_assert_msg(fabs(n.p.grads[i] - ref.p.grads[i]) <= 1e-12 * gmax,
                          "%s, %d threads: gradient %zu %.17g, readable %.17g", k->act, T, i,
                          n.p.grads[i], ref.p.grads[i]);
            double dg = fabs(n.p.grads[i] - ref.p.grads[i]);
            ck_assert_msg(fabs(n.p.values[i] - ref.p.values[i]) <= 0.003 * dg / 1e-8 + 1e-15,
                          "%s, %d threads: parameter %zu %.17g after the step, readable %.17g",
                          k->act, T, i, n.p.values[i], ref.p.values[i]);
        }
        /* Evaluation cut the same way: the same guesses and the same loss. */
        unsigned char pf[B], pr[B];
        long cf = 0, cr = 0;
        double lf = ch3_fast_guess(&n, &d, idx, B, pf, &cf, 1);
        double lr = ch3_guess_rows(&n, &n.pass, &d, idx, B, pr, &cr, 1);
        ck_assert_mem_eq(pf, pr, B);
        ck_assert_int_eq(cf, cr);
        ck_assert_double_eq_tol(lf, lr, 1e-12 * fabs(lr));
        optim_free(&o);
        ch3_net_free(&n);
    }
    optim_free(&oref);
    ch3_net_free(&ref);
    mnist_free(&d);
}

START_TEST(test_fast_step_equals_readable)
{
    check_fast_equals_readable(&FAST_CASES[_i]);
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
    tcase_add_test(tc, test_relu_derivative_erratum);
    tcase_add_test(tc, test_softmax_ce_gradcheck);
    tcase_add_test(tc, test_cross_entropy_example);
    tcase_add_test(tc, test_cross_entropy_index_erratum);
    tcase_add_test(tc, test_delta3_underbrace_erratum);
    tcase_add_test(tc, test_cross_entropy_stays_finite);
    tcase_add_test(tc, test_squared_error_gradcheck);
    tcase_add_test(tc, test_dropout_gradcheck);
    tcase_add_test(tc, test_dropout_mask_statistics);
    tcase_add_test(tc, test_l2_gradcheck);
    suite_add_tcase(s, tc);
    TCase *tn = tcase_create("network");
    tcase_set_timeout(tn, 300);
    int rows = activation_rows();
    tcase_add_loop_test(tn, test_net_softmax_ce_gradcheck, 0, rows);
    tcase_add_loop_test(tn, test_net_dropout_l2_gradcheck, 0, rows);
    tcase_add_loop_test(tn, test_net_squared_error_gradcheck, 0, rows);
    tcase_add_loop_test(tn, test_net_squared_error_summed_gradcheck, 0, rows);
    tcase_add_exit_test(tn, test_step_is_refused, 1);
    tcase_add_test(tn, test_net_biases_and_batch_mean);
    tcase_add_test(tn, test_summed_equals_mean_times_batch);
    tcase_add_test(tn, test_init_bounds);
    suite_add_tcase(s, tn);
    TCase *tf = tcase_create("fast_step");
    tcase_set_timeout(tf, 120);
    tcase_add_loop_test(tf, test_fast_step_equals_readable, 0,
                        (int)(sizeof FAST_CASES / sizeof FAST_CASES[0]));
    suite_add_tcase(s, tf);
    TCase *tm = tcase_create("metrics");
    tcase_add_test(tm, test_metrics_by_hand);
    tcase_add_test(tm, test_metrics_class_never_predicted);
    suite_add_tcase(s, tm);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
