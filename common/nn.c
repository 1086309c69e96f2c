/* nn.c — the MNIST layers (see nn.h for shapes and conventions). */
#include "nn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gemm.h"
#include "util.h"

#ifdef REAL_F64
#define real_sqrt sqrt
#else
#define real_sqrt sqrtf
#endif

/* --- parameters ----------------------------------------------------------- */

void params_init(Params *p, size_t n)
{
    p->n = n;
    p->used = 0;
    p->values = xcalloc(n ? n : 1, sizeof(real));
    p->grads = xcalloc(n ? n : 1, sizeof(real));
}

real *params_take(Params *p, size_t count, real **grad)
{
    if (p->used + count > p->n)
        die("params_take: %zu more parameters do not fit (%zu of %zu used)",
            count, p->used, p->n);
    real *v = p->values + p->used;
    if (grad)
        *grad = p->grads + p->used;
    p->used += count;
    return v;
}

void params_zero_grads(Params *p) { memset(p->grads, 0, p->n * sizeof(real)); }

void params_free(Params *p)
{
    free(p->values);
    free(p->grads);
    p->values = p->grads = NULL;
    p->n = p->used = 0;
}

/* --- initialisation ------------------------------------------------------- */

void init_glorot_uniform(real *W, int fan_in, int fan_out, Rng *rng)
{
    double a = sqrt(6.0 / (fan_in + fan_out));
    for (long i = 0; i < (long)fan_in * fan_out; i++)
        W[i] = (real)rng_uniform_range(rng, -a, a);
}

void init_pytorch_linear(real *W, size_t count, int fan_in, Rng *rng)
{
    double a = 1.0 / sqrt((double)fan_in);
    for (size_t i = 0; i < count; i++)
        W[i] = (real)rng_uniform_range(rng, -a, a);
}

/* --- dense ---------------------------------------------------------------- */

void dense_forward(real *y, const real *x, const real *W, const real *b,
                   int B, int in, int out)
{
    /* Put the bias in every row first, then add x·Wᵀ on top (beta = 1):
     * one pass over y instead of two. */
    for (int i = 0; i < B; i++)
        memcpy(y + (long)i * out, b, (size_t)out * sizeof(real));
    gemm(0, 1, B, out, in, 1, x, in, W, in, 1, y, out);
}

void dense_backward(real *dx, real *dW, real *db, const real *dy, const real *x,
                    const real *W, int B, int in, int out)
{
    gemm(1, 0, out, in, B, 1, dy, out, x, in, 1, dW, in);       /* dW += dyᵀ·x */
    for (int i = 0; i < B; i++)                                 /* db += Σ dy */
        for (int o = 0; o < out; o++)
            db[o] += dy[(long)i * out + o];
    if (dx)
        gemm(0, 0, B, in, out, 1, dy, out, W, in, 1, dx, in);  /* dx += dy·W */
}

void dense_forward_plain(real *y, const real *x, const real *W, const real *b,
                         int B, int in, int out)
{
    for (int i = 0; i < B; i++)
        for (int o = 0; o < out; o++) {
            real z = b[o];
            for (int k = 0; k < in; k++)
                z += x[(long)i * in + k] * W[(long)o * in + k];
            y[(long)i * out + o] = z;
        }
}

void dense_backward_plain(real *dx, real *dW, real *db, const real *dy, const real *x,
                          const real *W, int B, int in, int out)
{
    for (int i = 0; i < B; i++)
        for (int o = 0; o < out; o++) {
            real d = dy[(long)i * out + o];      /* ∂L/∂y[i][o] */
            db[o] += d;
            for (int k = 0; k < in; k++) {
                dW[(long)o * in + k] += d * x[(long)i * in + k];
                if (dx)
                    dx[(long)i * in + k] += d * W[(long)o * in + k];
            }
        }
}

/* --- activations ---------------------------------------------------------- */

void relu_forward(real *a, const real *z, size_t n)
{
    for (size_t i = 0; i < n; i++)
        a[i] = z[i] > 0 ? z[i] : 0;
}

void relu_backward(real *dz, const real *z, const real *da, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dz[i] += z[i] > 0 ? da[i] : 0;
}

void sigmoid_forward(real *a, const real *z, size_t n)
{
    for (size_t i = 0; i < n; i++)
        a[i] = (real)(1.0 / (1.0 + exp(-(double)z[i])));
}

void sigmoid_backward(real *dz, const real *a, const real *da, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dz[i] += da[i] * a[i] * (1 - a[i]);
}

/* --- softmax + cross-entropy ---------------------------------------------- */

/* Softmax of one row of C logits into p, shifted by the row's largest logit
 * so that exp never overflows (e^(z − max) <= 1). Returns ln Σ e^(z − max),
 * so that log-softmax and the loss need no log of a probability:
 *     ln ŷ_c = z_c − max − ln Σ e^(z − max)
 * which stays finite even where ŷ_c itself rounds to 0. */
static double softmax_row(real *p, const real *z, int C, real *zmax)
{
    real mx = z[0];
    for (int c = 1; c < C; c++)
        if (z[c] > mx)
            mx = z[c];
    double sum = 0;
    for (int c = 0; c < C; c++) {
        p[c] = (real)exp((double)(z[c] - mx));
        sum += p[c];
    }
    for (int c = 0; c < C; c++)
        p[c] = (real)(p[c] / sum);
    *zmax = mx;
    return log(sum);
}

void softmax_rows(real *probs, const real *logits, int B, int C)
{
    real mx;
    for (int i = 0; i < B; i++)
        softmax_row(probs + (long)i * C, logits + (long)i * C, C, &mx);
}

void log_softmax_rows(real *logp, const real *logits, int B, int C)
{
    real mx;
    for (int i = 0; i < B; i++) {
        const real *z = logits + (long)i * C;
        real *out = logp + (long)i * C;
        double lse = softmax_row(out, z, C, &mx);   /* out holds ŷ for a moment */
        for (int c = 0; c < C; c++)
            out[c] = (real)((double)(z[c] - mx) - lse);
    }
}

double cross_entropy(const real *probs, int label)
{
    double p = probs[label];
    return -log(p > 1e-12 ? p : 1e-12);
}

double softmax_cross_entropy_forward(real *probs, const real *logits,
                                     const unsigned char *labels, int B, int C)
{
    double total = 0;
    real mx;
    for (int i = 0; i < B; i++) {
        const real *z = logits + (long)i * C;
        double lse = softmax_row(probs + (long)i * C, z, C, &mx);
        /* −ln ŷ_label in the log-softmax form (notes §3.4 footnote) */
        total += -((double)(z[labels[i]] - mx) - lse);
    }
    return total / B;
}

void softmax_cross_entropy_backward(real *dlogits, const real *probs,
                                    const unsigned char *labels, int B, int C)
{
    real inv_b = (real)1 / B;
    for (int i = 0; i < B; i++)
        for (int c = 0; c < C; c++) {
            real y = (c == labels[i]) ? 1 : 0;
            dlogits[(long)i * C + c] += (probs[(long)i * C + c] - y) * inv_b;
        }
}

/* --- squared error -------------------------------------------------------- */

double squared_error_forward(const real *a, const unsigned char *labels, int B, int C)
{
    double total = 0;
    for (int i = 0; i < B; i++)
        for (int c = 0; c < C; c++) {
            double d = a[(long)i * C + c] - (c == labels[i] ? 1.0 : 0.0);
            total += 0.5 * d * d;
        }
    return total / B;
}

void squared_error_backward(real *da, const real *a, const unsigned char *labels,
                            int B, int C, real scale)
{
    for (int i = 0; i < B; i++)
        for (int c = 0; c < C; c++) {
            real y = (c == labels[i]) ? 1 : 0;
            da[(long)i * C + c] += scale * (a[(long)i * C + c] - y);
        }
}

/* --- dropout -------------------------------------------------------------- */

void dropout_make_mask(real *mask, size_t n, real p, Rng *rng)
{
    real keep = (real)1 / (1 - p);
    for (size_t i = 0; i < n; i++)
        mask[i] = rng_uniform(rng) < p ? 0 : keep;
}

void dropout_forward(real *y, const real *x, const real *mask, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = x[i] * mask[i];
}

void dropout_backward(real *dx, const real *dy, const real *mask, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dx[i] += dy[i] * mask[i];
}

/* --- L2 ------------------------------------------------------------------- */

double l2_penalty(const real *w, size_t n, real lambda)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (double)w[i] * w[i];
    return 0.5 * lambda * s;
}

void l2_backward(real *dw, const real *w, size_t n, real lambda)
{
    for (size_t i = 0; i < n; i++)
        dw[i] += lambda * w[i];
}

/* --- optimisers ----------------------------------------------------------- */

void sgd_step(real *theta, const real *g, size_t n, real lr)
{
    for (size_t i = 0; i < n; i++)
        theta[i] -= lr * g[i];
}

void adam_init(Adam *a, size_t n, double lr)
{
    a->n = n;
    a->m = xcalloc(n ? n : 1, sizeof(real));
    a->v = xcalloc(n ? n : 1, sizeof(real));
    a->t = 0;
    a->lr = lr;
    a->beta1 = 0.9;
    a->beta2 = 0.999;
    a->eps = 1e-8;
}

/* The loop below is 40 % of a training epoch unless it vectorises. Two
 * things stop GCC: possible aliasing between the four arrays (restrict says
 * they are distinct) and errno — a scalar sqrt must be able to set EDOM for
 * a negative argument, which puts a branch in the loop. v̂ is never negative,
 * so chapters/03-mnist-mlp/chapter.mk compiles this file with
 * -fno-math-errno (not -ffast-math: NaN and rounding stay IEEE). */
void adam_step(Adam *a, real *restrict theta, const real *restrict g)
{
    a->t++;
    /* The two bias corrections are the same for every weight: compute once. */
    double c1 = 1 - pow(a->beta1, (double)a->t);
    double c2 = 1 - pow(a->beta2, (double)a->t);
    real b1 = (real)a->beta1, b2 = (real)a->beta2;
    real step = (real)(a->lr / c1);          /* lr · m / (1 − β1^t) */
    real inv_c2 = (real)(1 / c2);
    real eps = (real)a->eps;
    real *restrict m = a->m, *restrict v = a->v;
    size_t n = a->n;
    for (size_t i = 0; i < n; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        real v_hat = v[i] * inv_c2;
        theta[i] -= step * m[i] / (real_sqrt(v_hat) + eps);
    }
}

void adam_free(Adam *a)
{
    free(a->m);
    free(a->v);
    a->m = a->v = NULL;
}

/* --- helpers -------------------------------------------------------------- */

int argmax_real(const real *v, int n)
{
    int best = 0;
    for (int i = 1; i < n; i++)
        if (v[i] > v[best])
            best = i;
    return best;
}
