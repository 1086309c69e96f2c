/* quadratic.c — notes §3.5, proposed exercise 2: a multilayer network that
 * learns to solve second-degree equations a·x² + b·x + c = 0.
 *
 * The network never sees the formula (−b ± √(b² − 4ac)) / 2a; it sees
 * thousands of (a, b, c) with their two roots and fits a function from one
 * to the other. It is a regression, so the output layer is linear and the
 * loss is the mean squared error, and the hidden layers use tanh (smooth,
 * centred on 0; the roots' √ and division are smooth curves to approximate).
 *
 *   input (a, b, c) scaled  (1, 3)
 *   Z1 = x·W1 + b1   (1, h)   A1 = tanh(Z1)
 *   Z2 = A1·W2 + b2  (1, h)   A2 = tanh(Z2)
 *   Ŷ  = A2·W3 + b3  (1, 2)   the roots x1 ≥ x2
 *
 * Training: Adam (the optimiser of notes §3.4, the series' one in
 * common/optim.h) on shuffled mini-batches, Glorot initial weights
 * (common/nn.h), zero biases. Everything in double: this network is small,
 * and the gradient check in the tests wants double anyway. The parameters
 * and their gradients are declared `real` because that is what the
 * optimiser steps; chapter 2 is built with real = double (CH2_REAL := f64 in
 * chapter.mk), so they are doubles, and the code stays type-correct if it
 * ever is not.
 *
 * Files: cuadratica_perdida.csv (epoch,train_mse,test_mse) and
 * cuadratica_raices.csv (the held-out equations: a,b,c, true and predicted
 * roots). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extras.h"
#include "nn.h"
#include "optim.h"
#include "out.h"
#include "progress.h"
#include "rng.h"
#include "util.h"

/* Settings of the chapter's run. */
#define Q_HIDDEN 32
#define Q_EPOCHS 60
#define Q_BATCH 32
#define Q_LR 0.003          /* Adam's rate in notes §3.4 */
#define Q_TRAIN_N 4000
#define Q_TEST_N 1000
#define Q_CLOSE_GAP 0.1     /* "roots that almost meet": x1 − x2 below this */
/* One epoch of this network (4000 equations through 3-32-32-2 and back, plus
 * the test set) takes about as long as 42 000 epochs of the 2-2-1 XOR net
 * (measured: 7 ms against 0.17 µs) — its weight in main()'s progress plan,
 * whose unit is the XOR epoch. */
#define Q_EPOCH_WORK 42000.0

double ch2_quadratic_work(void) { return Q_EPOCHS * Q_EPOCH_WORK; }

/* The coefficients' ranges differ (b reaches ±4, a stays in [0.5, 2]); the
 * first layer sees them divided by these so every input is within [−1, 1]
 * and no tanh starts saturated. A fixed scale, part of the model. */
static const double IN_SCALE[3] = {2.0, 4.0, 2.0};

/* --- the data ---------------------------------------------------------- */

/* Drawing a, b, c at random would give complex roots half the time. So we
 * draw the answer first: two roots in [−1, 1] (sorted, x1 ≥ x2) and a in
 * [0.5, 2], and build the equation from them: a(x − x1)(x − x2) = 0 gives
 * b = −a(x1 + x2), c = a·x1·x2. */
Ch2QData ch2_qdata_make(int n, uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, seed);
    Ch2QData d = {n, xmalloc(sizeof(double) * 3 * n), xmalloc(sizeof(double) * 2 * n)};
    for (int e = 0; e < n; e++) {
        double r1 = rng_uniform_range(&rng, -1, 1), r2 = rng_uniform_range(&rng, -1, 1);
        double a = rng_uniform_range(&rng, 0.5, 2.0);
        double x1 = r1 > r2 ? r1 : r2, x2 = r1 > r2 ? r2 : r1;
        d.in[3 * e + 0] = a;
        d.in[3 * e + 1] = -a * (x1 + x2);
        d.in[3 * e + 2] = a * x1 * x2;
        d.out[2 * e + 0] = x1;
        d.out[2 * e + 1] = x2;
    }
    return d;
}

void ch2_qdata_free(Ch2QData *d)
{
    free(d->in);
    free(d->out);
    d->in = d->out = NULL;
    d->n = 0;
}

/* --- the parameters: one array, named views into it -------------------- */

typedef struct {
    real *W1, *b1;   /* (3, h), (h) */
    real *W2, *b2;   /* (h, h), (h) */
    real *W3, *b3;   /* (h, 2), (2) */
} QView;

int ch2_qnet_nparams(int h) { return 3 * h + h + h * h + h + h * 2 + 2; }

static QView qview(real *p, int h)
{
    QView v;
    v.W1 = p;          v.b1 = v.W1 + 3 * h;
    v.W2 = v.b1 + h;   v.b2 = v.W2 + h * h;
    v.W3 = v.b2 + h;   v.b3 = v.W3 + h * 2;
    return v;
}

/* Glorot/Xavier uniform (init_glorot_uniform, common/nn.h): U(−r, r) with
 * r = √(6 / (fan_in + fan_out)), so the variance of the signal stays about
 * the same from layer to layer. It fills fan_in·fan_out values one after the
 * other, so it does not mind that W is stored (in, out) here and (out, in)
 * in chapters 3–4. */
void ch2_qnet_init(real *p, int h, uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, seed);
    memset(p, 0, sizeof(real) * ch2_qnet_nparams(h));   /* biases 0 */
    QView v = qview(p, h);
    init_glorot_uniform(v.W1, 3, h, &rng);
    init_glorot_uniform(v.W2, h, h, &rng);
    init_glorot_uniform(v.W3, h, 2, &rng);
}

/* --- forward and backward for one equation ------------------------------ */

/* Activations of one example, kept for the backward pass. */
typedef struct {
    double x[3];
    double *a1, *a2;   /* (h) each: tanh outputs */
    double y[2];       /* the predicted roots */
} QCache;

static void forward(const QView *v, int h, const double abc[3], QCache *c)
{
    for (int i = 0; i < 3; i++)
        c->x[i] = abc[i] / IN_SCALE[i];
    for (int j = 0; j < h; j++) {            /* A1 = tanh(x·W1 + b1) */
        double z = v->b1[j];
        for (int i = 0; i < 3; i++)
            z += c->x[i] * v->W1[i * h + j];
        c->a1[j] = tanh(z);
    }
    for (int k = 0; k < h; k++) {            /* A2 = tanh(A1·W2 + b2) */
        double z = v->b2[k];
        for (int j = 0; j < h; j++)
            z += c->a1[j] * v->W2[j * h + k];
        c->a2[k] = tanh(z);
    }
    for (int o = 0; o < 2; o++) {            /* Ŷ = A2·W3 + b3, linear */
        double z = v->b3[o];
        for (int k = 0; k < h; k++)
            z += c->a2[k] * v->W3[k * 2 + o];
        c->y[o] = z;
    }
}

/* Adds this example's share of ∂L/∂θ to g, given dy = ∂L/∂Ŷ (2).
 * tanh'(z) = 1 − tanh²(z) = 1 − a², computed from the stored output.
 * `tmp` holds 2h doubles of scratch. */
static void backward(const QView *v, const QView *g, int h, const QCache *c,
                     const double dy[2], double *tmp)
{
    double *dz2 = tmp, *dz1 = tmp + h;
    for (int o = 0; o < 2; o++) {            /* output layer */
        g->b3[o] += dy[o];
        for (int k = 0; k < h; k++)
            g->W3[k * 2 + o] += c->a2[k] * dy[o];
    }
    for (int k = 0; k < h; k++) {            /* δ2 = (dy·W3ᵀ) ⊙ (1 − A2²) */
        double s = v->W3[k * 2] * dy[0] + v->W3[k * 2 + 1] * dy[1];
        dz2[k] = s * (1.0 - c->a2[k] * c->a2[k]);
        g->b2[k] += dz2[k];
    }
    for (int j = 0; j < h; j++) {            /* ∂W2 = A1ᵀ·δ2; δ1 = (δ2·W2ᵀ) ⊙ (1 − A1²) */
        double s = 0;
        for (int k = 0; k < h; k++) {
            g->W2[j * h + k] += c->a1[j] * dz2[k];
            s += v->W2[j * h + k] * dz2[k];
        }
        dz1[j] = s * (1.0 - c->a1[j] * c->a1[j]);
        g->b1[j] += dz1[j];
    }
    for (int i = 0; i < 3; i++)              /* ∂W1 = xᵀ·δ1 */
        for (int j = 0; j < h; j++)
            g->W1[i * h + j] += c->x[i] * dz1[j];
}

/* Loss L = (1 / 2m) Σ_examples Σ_roots (ŷ − y)² over the m examples listed
 * in idx (the mean over all 2m numbers), and when grad is not NULL its
 * gradient: ∂L/∂ŷ = (ŷ − y) / m. */
static double batch_loss_grad(const real *p, int h, const Ch2QData *d, const int *idx,
                              int m, real *grad)
{
    QView v = qview((real *)p, h), g = {0};
    if (grad) {
        memset(grad, 0, sizeof(real) * ch2_qnet_nparams(h));
        g = qview(grad, h);
    }
    double *buf = xmalloc(sizeof(double) * 4 * h);
    QCache c = {.a1 = buf, .a2 = buf + h};
    double sum = 0;
    for (int t = 0; t < m; t++) {
        int e = idx ? idx[t] : t;
        forward(&v, h, d->in + 3 * e, &c);
        double dy[2];
        for (int o = 0; o < 2; o++) {
            double err = c.y[o] - d->out[2 * e + o];
            sum += err * err;
            dy[o] = err / m;
        }
        if (grad)
            backward(&v, &g, h, &c, dy, buf + 2 * h);
    }
    free(buf);
    return sum / (2.0 * m);
}

double ch2_qnet_loss(const real *p, int h, const Ch2QData *d)
{
    return batch_loss_grad(p, h, d, NULL, d->n, NULL);
}

double ch2_qnet_loss_grad(const real *p, int h, const Ch2QData *d, real *grad)
{
    return batch_loss_grad(p, h, d, NULL, d->n, grad);
}

void ch2_qnet_predict(const real *p, int h, const double abc[3], double roots[2])
{
    QView v = qview((real *)p, h);
    double *buf = xmalloc(sizeof(double) * 2 * h);
    QCache c = {.a1 = buf, .a2 = buf + h};
    forward(&v, h, abc, &c);
    roots[0] = c.y[0];
    roots[1] = c.y[1];
    free(buf);
}

/* --- training: Adam ---------------------------------------------------- */

/* Adam (Kingma & Ba) is common/optim.h's, the one chapters 3 and 4 use: at
 * step t, for every parameter θ with gradient g,
 *   m ← β1·m + (1 − β1)·g          v ← β2·v + (1 − β2)·g²
 *   m̂ = m / (1 − β1^t)             v̂ = v / (1 − β2^t)
 *   θ ← θ − η · m̂ / (√v̂ + ε)
 * m is the momentum (notes §3.4: "acelera"), v the per-parameter scale
 * ("le baja la velocidad individualmente"). */
double ch2_qnet_train(real *p, int h, const Ch2QData *train, const Ch2QData *test,
                      int epochs, int batch, double lr, uint64_t seed,
                      double *train_curve, double *test_curve)
{
    int np = ch2_qnet_nparams(h);
    real *grad = xcalloc(np, sizeof(real));
    Optimizer adam;
    optim_init(&adam, "adam", lr, (size_t)np);
    int *order = xmalloc(sizeof(int) * train->n);
    for (int i = 0; i < train->n; i++)
        order[i] = i;
    Rng rng;
    rng_seed(&rng, seed);

    double epoch_mse = 0;
    Progress bar;
    progress_begin(&bar, "Red cuadrática", epochs, Q_EPOCH_WORK * train->n / Q_TRAIN_N);
    for (int ep = 0; ep < epochs; ep++) {
        rng_shuffle(&rng, order, train->n);
        double sum = 0;
        int batches = 0, n_batches = (train->n + batch - 1) / batch;
        for (int s = 0; s < train->n; s += batch) {
            int mb = train->n - s < batch ? train->n - s : batch;
            double loss = batch_loss_grad(p, h, train, order + s, mb, grad);
            if (!isfinite(loss))   /* a fixed, small rate: should never happen */
                die("red de las ecuaciones de segundo grado: la pérdida se hizo %g en la época "
                    "%d, lote %d de %d (lr %g)", loss, ep + 1, batches + 1, n_batches, lr);
            sum += loss;
            optim_step(&adam, p, grad);   /* optimizer.step() */
            batches++;
        }
        epoch_mse = sum / batches;  /* the mean batch loss, as the notes print it */
        if (train_curve)
            train_curve[ep] = epoch_mse;
        if (test_curve && test)
            test_curve[ep] = ch2_qnet_loss(p, h, test);
        progress_update(&bar, ep + 1, "pérdida %.4f", epoch_mse);
    }
    progress_end(&bar);
    free(grad);
    optim_free(&adam);
    free(order);
    return epoch_mse;
}

/* --- the chapter's section ---------------------------------------------- */

/* What "not learning" scores: always answering the training set's mean
 * roots. The network must beat this by a wide margin to have learned. */
static double baseline_mse(const Ch2QData *train, const Ch2QData *test)
{
    double mean[2] = {0, 0};
    for (int e = 0; e < train->n; e++)
        for (int o = 0; o < 2; o++)
            mean[o] += train->out[2 * e + o] / train->n;
    double sum = 0;
    for (int e = 0; e < test->n; e++)
        for (int o = 0; o < 2; o++) {
            double err = mean[o] - test->out[2 * e + o];
            sum += err * err;
        }
    return sum / (2.0 * test->n);
}

void ch2_quadratic_network(const char *outdir, uint64_t seed, Json *summary)
{
    printf("\n== Práctica 3.5.2: una red multicapa que resuelve a·x² + b·x + c = 0 ==\n");
    printf("  red 3–%d–%d–2 (tanh, tanh, lineal), Adam η = %g, lotes de %d, %d épocas\n",
           Q_HIDDEN, Q_HIDDEN, Q_LR, Q_BATCH, Q_EPOCHS);

    /* Separate streams for the two data sets, the weights and the shuffling,
     * all from the run's seed. */
    Ch2QData train = ch2_qdata_make(Q_TRAIN_N, seed ^ 0x7121ULL);
    Ch2QData test = ch2_qdata_make(Q_TEST_N, seed ^ 0x7E57ULL);
    int np = ch2_qnet_nparams(Q_HIDDEN);
    real *p = xmalloc(sizeof(real) * np);
    ch2_qnet_init(p, Q_HIDDEN, seed ^ 0x1417ULL);
    printf("  %d ecuaciones de entrenamiento, %d de prueba; %d parámetros\n", train.n, test.n, np);

    double base = baseline_mse(&train, &test);
    double train_curve[Q_EPOCHS], test_curve[Q_EPOCHS];
    double t0 = now_seconds();
    double train_mse = ch2_qnet_train(p, Q_HIDDEN, &train, &test, Q_EPOCHS, Q_BATCH, Q_LR,
                                      seed ^ 0x5ABFULL, train_curve, test_curve);
    double seconds = now_seconds() - t0;
    double test_mse = test_curve[Q_EPOCHS - 1];

    for (int ep = 0; ep < Q_EPOCHS; ep++)
        if (ep == 0 || (ep + 1) % 10 == 0)
            printf("  Época %d - Error: %.4f   (prueba %.4f)\n", ep + 1, train_curve[ep],
                   test_curve[ep]);

    Csv c;
    csv_open(&c, out_path(outdir, "cuadratica_perdida.csv"), "epoch,train_mse,test_mse");
    for (int ep = 0; ep < Q_EPOCHS; ep++)
        csv_row(&c, 3, (double[]){ep + 1, train_curve[ep], test_curve[ep]});
    csv_close(&c);

    /* Where the misses are: the equations whose two roots almost meet
     * (x1 − x2 < Q_CLOSE_GAP, where √(b² − 4ac) has its kink) against the rest. */
    double sq_close = 0, sq_rest = 0;
    int n_close = 0;
    csv_open(&c, out_path(outdir, "cuadratica_raices.csv"), "a,b,c,x1,x2,x1_pred,x2_pred");
    for (int e = 0; e < test.n; e++) {
        double pred[2];
        ch2_qnet_predict(p, Q_HIDDEN, test.in + 3 * e, pred);
        csv_row(&c, 7, (double[]){test.in[3 * e], test.in[3 * e + 1], test.in[3 * e + 2],
                                  test.out[2 * e], test.out[2 * e + 1], pred[0], pred[1]});
        double sq = 0;
        for (int o = 0; o < 2; o++)
            sq += (pred[o] - test.out[2 * e + o]) * (pred[o] - test.out[2 * e + o]);
        if (test.out[2 * e] - test.out[2 * e + 1] < Q_CLOSE_GAP) {
            sq_close += sq;
            n_close++;
        } else {
            sq_rest += sq;
        }
    }
    csv_close(&c);
    double mse_close = n_close ? sq_close / (2.0 * n_close) : NAN;
    double mse_rest = n_close < test.n ? sq_rest / (2.0 * (test.n - n_close)) : NAN;

    printf("  MSE de prueba: %.5f (raíz del error medio %.3f); sin aprender (la media): %.4f\n",
           test_mse, sqrt(test_mse), base);
    printf("  raíces casi iguales (x1 − x2 < %g): %d ecuaciones, MSE %.5f; el resto: %.5f\n",
           Q_CLOSE_GAP, n_close, mse_close, mse_rest);
    printf("  entrenamiento: %.2f s\n", seconds);
    printf("  %-34s %-20s %s\n", "ecuación", "raíces", "la red dice");
    for (int e = 0; e < 4; e++) {
        const double *q = test.in + 3 * e;
        double pred[2];
        ch2_qnet_predict(p, Q_HIDDEN, q, pred);
        char eq[64];
        snprintf(eq, sizeof eq, "%.3fx² %+.3fx %+.3f = 0", q[0], q[1], q[2]);
        printf("  %-35s %6.3f, %6.3f      %6.3f, %6.3f\n", eq, test.out[2 * e],
               test.out[2 * e + 1], pred[0], pred[1]);
    }

    if (summary) {
        json_begin_object(summary, "quadratic");
        json_int(summary, "hidden", Q_HIDDEN);
        json_str(summary, "activation", "tanh");
        json_str(summary, "optimizer", "adam");
        json_num(summary, "lr", Q_LR);
        json_int(summary, "batch", Q_BATCH);
        json_int(summary, "epochs", Q_EPOCHS);
        json_int(summary, "train_n", train.n);
        json_int(summary, "test_n", test.n);
        json_num(summary, "baseline_mse", base);
        json_num(summary, "train_mse", train_mse);
        json_num(summary, "test_mse", test_mse);
        json_num(summary, "close_roots_gap", Q_CLOSE_GAP);
        json_int(summary, "close_roots_n", n_close);
        json_num(summary, "close_roots_mse", mse_close);
        json_num(summary, "other_roots_mse", mse_rest);
        json_num(summary, "seconds", seconds);
        json_end_object(summary);
    }
    free(p);
    ch2_qdata_free(&train);
    ch2_qdata_free(&test);
}
