/* nn.c — the MNIST layers (see nn.h for shapes and conventions). */
#include "nn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gemm.h"
#include "util.h"

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

/* --- helpers -------------------------------------------------------------- */

int argmax_real(const real *v, int n)
{
    int best = 0;
    for (int i = 1; i < n; i++)
        if (v[i] > v[best])
            best = i;
    return best;
}
