/* cnn_fast.c — the network of cnn.c, made fast (the tricks are listed in
 * cnn_fast.h). The stages of one slice come first, then the threads. */
#include "cnn_fast.h"
#include "activations.h"
#include "conv.h"
#include "conv_fast.h"
#include "parallel.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static real *reals(size_t n)
{
    return xcalloc(n ? n : 1, sizeof(real));
}

static void zero(real *a, size_t n)
{
    memset(a, 0, sizeof(real) * n);
}

static void work_init(CnnFastWork *w, int max_b, int with_grads)
{
    memset(w, 0, sizeof *w);
    size_t B = (size_t)max_b;
    w->max_b = max_b;
    w->with_grads = with_grads;
    w->idx = xcalloc(B, sizeof(int));
    w->labels = xcalloc(B, 1);
    w->x = reals(B * 784);
    w->cols1 = reals(9 * B * 676);
    w->y1 = reals(32 * B * 676);
    w->m1 = reals(32 * B * 169);
    w->p1 = reals(32 * B * 169);
    w->cols2 = reals(288 * B * 100);
    w->y2 = reals(64 * B * 100);
    w->m2 = reals(64 * B * 25);
    w->p2 = reals(64 * B * 25);
    w->flat = reals(B * 1600);
    w->z3 = reals(B * 128);
    w->a3 = reals(B * 128);
    w->h3 = reals(B * 128);
    w->logits = reals(B * 10);
    w->probs = reals(B * 10);
    if (!with_grads)
        return;
    w->d_logits = reals(B * 10);
    w->d_h3 = reals(B * 128);
    w->d_a3 = reals(B * 128);
    w->d_z3 = reals(B * 128);
    w->d_flat = reals(B * 1600);
    w->d_p2 = reals(64 * B * 25);
    w->d_y2 = reals(64 * B * 100);
    w->d_p1 = reals(32 * B * 169);
    w->d_y1 = reals(32 * B * 676);
    w->d_cols2 = reals(288 * B * 100);
}

static void work_free(CnnFastWork *w)
{
    real *all[] = {w->x,       w->cols1,  w->y1,    w->m1,   w->p1,     w->cols2,
                   w->y2,      w->m2,     w->p2,    w->flat, w->z3,     w->a3,
                   w->h3,      w->logits, w->probs, w->d_logits, w->d_h3, w->d_a3,
                   w->d_z3,    w->d_flat, w->d_p2,  w->d_y2, w->d_p1,   w->d_y1,
                   w->d_cols2};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(all[i]);
    free(w->idx);
    free(w->labels);
    memset(w, 0, sizeof *w);
}

/* ========================================================================= */
/* Geometry (notes §4.2), with conv2 cropped to what pool2 reads (trick 3)    */
/* ========================================================================= */
static ConvGeom conv1_geom(int b) { return conv_geom(b, 1, 28, 28, 32, 3, 1, 0); }
static ConvGeom conv2_geom(int b)
{
    ConvGeom g = conv_geom(b, 32, 13, 13, 64, 3, 1, 0); /* 11 × 11 maps ... */
    g.ho = g.wo = 10;                                   /* ... of which pool2 reads 10 × 10 */
    return g;
}
static PoolGeom pool1_geom(int b) { return pool_geom(32 * b, 26, 26, 2, 2, 0); }
static PoolGeom pool2_geom(int b) { return pool_geom(64 * b, 10, 10, 2, 2, 0); }

/* Bias and ReLU after the pooling (trick 2): p (C, n) = relu(m + b[c]) for
 * each channel c of n values. */
static void bias_relu(real *p, const real *m, const real *b, int C, size_t n)
{
    for (int c = 0; c < C; c++) {
        real *out = p + (size_t)c * n, bias = b[c];
        const real *in = m + (size_t)c * n;
        for (size_t i = 0; i < n; i++) {
            real v = in[i] + bias;
            out[i] = v > 0 ? v : 0;
        }
    }
}
/* Its backward: d ← d · ReLU'(·), read from the output p (p > 0 exactly
 * where its input was), and db[c] += Σ d over the channel. */
static void bias_relu_backward(real *d, real *db, const real *p, int C, size_t n)
{
    for (int c = 0; c < C; c++) {
        real *row = d + (size_t)c * n, s = 0;
        const real *out = p + (size_t)c * n;
        for (size_t i = 0; i < n; i++) {
            row[i] = out[i] > 0 ? row[i] : 0;
            s += row[i];
        }
        db[c] += s;
    }
}

/* ========================================================================= */
/* The forward stages: x = pool(relu(conv1(x))), pool(relu(conv2(x))), view, */
/* relu(fc1(x)), fc2(x)                                                       */
/* ========================================================================= */
static void conv1_forward(CnnFastSlice *s)
{
    ConvGeom g = conv1_geom(s->b);
    conv_fast_forward(s->w->y1, s->w->cols1, s->w->x, s->net->conv1.weight, NULL, &g);
}

static void pool1_bias_relu(CnnFastSlice *s)
{
    PoolGeom g = pool1_geom(s->b);
    maxpool_fast_forward(s->w->m1, s->w->y1, &g);
    bias_relu(s->w->p1, s->w->m1, s->net->conv1.bias, 32, (size_t)s->b * 169);
}

static void conv2_forward(CnnFastSlice *s)
{
    ConvGeom g = conv2_geom(s->b);
    conv_fast_forward(s->w->y2, s->w->cols2, s->w->p1, s->net->conv2.weight, NULL, &g);
}

static void pool2_bias_relu(CnnFastSlice *s)
{
    PoolGeom g = pool2_geom(s->b);
    maxpool_fast_forward(s->w->m2, s->w->y2, &g);
    bias_relu(s->w->p2, s->w->m2, s->net->conv2.bias, 64, (size_t)s->b * 25);
}

static void flatten(CnnFastSlice *s)
{
    /* x.view(-1, 5 * 5 * 64): image by image, channel after channel */
    cbhw_to_nchw(s->w->flat, s->w->p2, s->b, 64, 25);
}

/* fc2's input: fc1's ReLU output, or its dropped-out copy. */
static const real *fc1_output(const CnnFastSlice *s)
{
    return s->mask ? s->w->h3 : s->w->a3;
}

static void fc1_forward(CnnFastSlice *s)
{
    CnnFastWork *w = s->w;
    const size_t n = (size_t)s->b * 128;
    dense_forward(w->z3, w->flat, s->net->fc1.weight, s->net->fc1.bias, s->b, 1600, 128);
    activation_forward(activation_find("relu"), w->a3, w->z3, n);
    if (s->mask)
        dropout_forward(w->h3, w->a3, s->mask, n);
}

static void fc2_forward(CnnFastSlice *s)
{
    dense_forward(s->w->logits, fc1_output(s), s->net->fc2.weight, s->net->fc2.bias, s->b,
                  128, 10);
}

const CnnFastStage CNN_FAST_FORWARD[] = {
    {"conv1: im2col + sgemm", conv1_forward},
    {"pool1, then bias + ReLU", pool1_bias_relu},
    {"conv2: im2col + sgemm (10x10 corner)", conv2_forward},
    {"pool2, then bias + ReLU", pool2_bias_relu},
    {"flatten (CBHW -> NCHW)", flatten},
    {"fc1 + ReLU (+ dropout)", fc1_forward},
    {"fc2", fc2_forward},
    {NULL, NULL},
};

/* ========================================================================= */
/* The loss and the backward stages, the same stops in reverse                */
/* ========================================================================= */
static void loss_and_dlogits(CnnFastSlice *s)
{
    CnnFastWork *w = s->w;
    /* log-softmax + NLL over the slice, and ∂/∂logits = (softmax − one-hot)/b */
    double mean = softmax_cross_entropy_forward(w->probs, w->logits, w->labels, s->b, 10);
    zero(w->d_logits, (size_t)s->b * 10);
    softmax_cross_entropy_backward(w->d_logits, w->probs, w->labels, s->b, 10);
    /* the batch's mean loss needs (ŷ − y)/B: scale by b/B (trick 5) */
    for (int i = 0; i < s->b * 10; i++)
        w->d_logits[i] *= s->share;
    s->loss = mean * s->share;
}

static void fc2_backward(CnnFastSlice *s)
{
    CnnFastWork *w = s->w;
    zero(w->d_h3, (size_t)s->b * 128);
    dense_backward(w->d_h3, s->grad.fc2.weight, s->grad.fc2.bias, w->d_logits, fc1_output(s),
                   s->net->fc2.weight, s->b, 128, 10);
}

static void fc1_backward(CnnFastSlice *s)
{
    CnnFastWork *w = s->w;
    const size_t n = (size_t)s->b * 128;
    real *d_a3 = w->d_h3;
    if (s->mask) {
        zero(w->d_a3, n);
        dropout_backward(w->d_a3, w->d_h3, s->mask, n);
        d_a3 = w->d_a3;
    }
    zero(w->d_z3, n);
    activation_backward(activation_find("relu"), w->d_z3, w->z3, d_a3, n);
    zero(w->d_flat, (size_t)s->b * 1600);
    dense_backward(w->d_flat, s->grad.fc1.weight, s->grad.fc1.bias, w->d_z3, w->flat,
                   s->net->fc1.weight, s->b, 1600, 128);
}

static void unflatten(CnnFastSlice *s)
{
    nchw_to_cbhw(s->w->d_p2, s->w->d_flat, s->b, 64, 25);
}

static void pool2_backward(CnnFastSlice *s)
{
    PoolGeom g = pool2_geom(s->b);
    bias_relu_backward(s->w->d_p2, s->grad.conv2.bias, s->w->p2, 64, (size_t)s->b * 25);
    maxpool_fast_backward(s->w->d_y2, s->w->d_p2, s->w->y2, s->w->m2, &g);
}

static void conv2_backward_weights(CnnFastSlice *s)
{
    ConvGeom g = conv2_geom(s->b);
    conv_fast_backward_weights(s->grad.conv2.weight, NULL, s->w->d_y2, s->w->cols2, &g);
}

static void conv2_backward_input(CnnFastSlice *s)
{
    ConvGeom g = conv2_geom(s->b);
    zero(s->w->d_p1, (size_t)32 * s->b * 169);
    conv_fast_backward_input(s->w->d_p1, s->w->d_cols2, s->w->d_y2, s->net->conv2.weight, &g);
}

static void pool1_backward(CnnFastSlice *s)
{
    PoolGeom g = pool1_geom(s->b);
    bias_relu_backward(s->w->d_p1, s->grad.conv1.bias, s->w->p1, 32, (size_t)s->b * 169);
    maxpool_fast_backward(s->w->d_y1, s->w->d_p1, s->w->y1, s->w->m1, &g);
}

static void conv1_backward_weights(CnnFastSlice *s)
{
    /* the image needs no gradient: conv1's ∂W only */
    ConvGeom g = conv1_geom(s->b);
    conv_fast_backward_weights(s->grad.conv1.weight, NULL, s->w->d_y1, s->w->cols1, &g);
}

const CnnFastStage CNN_FAST_BACKWARD[] = {
    {"loss: log-softmax, NLL, d logits", loss_and_dlogits},
    {"fc2 backward", fc2_backward},
    {"fc1 backward (ReLU, dropout)", fc1_backward},
    {"unflatten (NCHW -> CBHW)", unflatten},
    {"pool2 backward, its bias + ReLU", pool2_backward},
    {"conv2 dW: sgemm", conv2_backward_weights},
    {"conv2 d input: sgemm + col2im", conv2_backward_input},
    {"pool1 backward, its bias + ReLU", pool1_backward},
    {"conv1 dW: sgemm", conv1_backward_weights},
    {NULL, NULL},
};

static void run_stages(const CnnFastStage *stages, CnnFastSlice *s)
{
    for (const CnnFastStage *st = stages; st->run; st++)
        st->run(s);
}

/* ========================================================================= */
/* Threads (the pattern of common/parallel.h)                                 */
/* ========================================================================= */
void cnn_fast_init(CnnFast *f, const CnnNet *net, int threads, int max_images, int with_grads)
{
    if (threads < 1 || max_images < 1)
        die("cnn_fast_init: %d threads, batches of %d", threads, max_images);
    memset(f, 0, sizeof *f);
    f->threads = threads;
    f->work = xcalloc((size_t)threads, sizeof *f->work);
    f->grads = xcalloc((size_t)threads, sizeof *f->grads);
    f->others = xcalloc((size_t)threads, sizeof *f->others);
    f->loss = xcalloc((size_t)threads, sizeof *f->loss);
    int slice = (max_images + threads - 1) / threads;
    for (int k = 0; k < threads; k++) {
        work_init(&f->work[k], slice, with_grads);
        if (k > 0 && with_grads) /* (thread 0 uses the net's own) */
            f->grads[k] = reals(net->p.n);
    }
}

void cnn_fast_free(CnnFast *f)
{
    for (int k = 0; k < f->threads; k++) {
        work_free(&f->work[k]);
        if (k > 0)
            free(f->grads[k]);
    }
    free(f->work);
    free(f->grads);
    free(f->others);
    free(f->loss);
    memset(f, 0, sizeof *f);
}

CnnFastSlice cnn_fast_slice(CnnFast *f, int k, const CnnNet *net, const Mnist *m,
                            const int *idx, int b, int B, const real *dropout_mask)
{
    CnnFastWork *w = &f->work[k];
    if (b < 1 || b > w->max_b)
        die("cnn_fast: a slice of %d images, the workspace holds %d", b, w->max_b);
    CnnFastSlice s = {.net = net, .w = w, .b = b, .share = (real)b / (real)B,
                     .mask = dropout_mask};
    mnist_gather(m, idx, b, w->x, w->labels);
    if (w->with_grads) {
        /* slice 0 writes into the net's own gradients, the others into their own */
        real *grads = k == 0 ? net->p.grads : f->grads[k];
        s.grad = cnn_tensors_in(net, grads);
        zero(grads, net->p.n);
    }
    return s;
}

double cnn_fast_step(CnnFast *f, CnnNet *net, const Mnist *m, const int *idx, int B,
                     const real *dropout_mask, Optimizer *opt)
{
    const int T = f->threads;
    if (!f->work[0].with_grads)
        die("cnn_fast_step: the workspaces were made without gradients");
    if (B < 1 || (B + T - 1) / T > f->work[0].max_b)
        die("cnn_fast_step: a batch of %d images is more than %d threads were made for", B, T);
    /* The slices with images, but the first, add their gradients into it. */
    int nothers = 0;
    for (int k = 1; k < T; k++) {
        size_t lo, hi;
        par_range((size_t)B, T, k, 1, &lo, &hi);
        if (hi > lo)
            f->others[nothers++] = f->grads[k];
    }
    if (opt)
        optim_begin_step(opt);
#pragma omp parallel num_threads(T)
    {
        /* each thread: forward and backward of its slice of the batch */
#pragma omp for schedule(static, 1)
        for (int k = 0; k < T; k++) {
            size_t lo, hi;
            par_range((size_t)B, T, k, 1, &lo, &hi);
            f->loss[k] = 0;
            if (hi == lo)
                continue;
            CnnFastSlice s = cnn_fast_slice(f, k, net, m, idx + lo, (int)(hi - lo), B,
                                            dropout_mask ? dropout_mask + lo * 128 : NULL);
            run_stages(CNN_FAST_FORWARD, &s);
            run_stages(CNN_FAST_BACKWARD, &s);
            f->loss[k] = s.loss;
        }
        /* each thread: a range of the parameters, the slices' gradients
         * added up (in slice order) and the optimiser's step on it */
#pragma omp for schedule(static, 1)
        for (int k = 0; k < T; k++) {
            size_t lo, hi;
            par_range(net->p.n, T, k, 16, &lo, &hi);
            par_sum_into(net->p.grads, f->others, nothers, lo, hi);
            if (opt)
                optim_update(opt, net->p.values, net->p.grads, lo, hi);
        }
    }
    double loss = 0;
    for (int k = 0; k < T; k++)
        loss += f->loss[k];
    return loss;
}

/* The forward stages over the images first .. first + n − 1, each thread
 * its share in chunks of its workspace; logits (n, 10) and/or pred (n). */
static void forward_images(CnnFast *f, const CnnNet *net, const Mnist *m, int first, int n,
                           real *logits, unsigned char *pred)
{
    const int T = f->threads;
#pragma omp parallel for num_threads(T) schedule(static, 1)
    for (int k = 0; k < T; k++) {
        size_t lo, hi;
        par_range((size_t)n, T, k, 1, &lo, &hi);
        CnnFastWork *w = &f->work[k];
        for (size_t start = lo; start < hi; start += (size_t)w->max_b) {
            int b = hi - start < (size_t)w->max_b ? (int)(hi - start) : w->max_b;
            for (int i = 0; i < b; i++)
                w->idx[i] = first + (int)start + i;
            CnnFastSlice s = {.net = net, .w = w, .b = b, .share = 1};
            mnist_gather(m, w->idx, b, w->x, NULL);
            run_stages(CNN_FAST_FORWARD, &s);
            if (logits)
                memcpy(logits + start * 10, w->logits, sizeof(real) * (size_t)b * 10);
            for (int i = 0; pred && i < b; i++)
                pred[start + i] = (unsigned char)argmax_real(w->logits + i * 10, 10);
        }
    }
}

void cnn_fast_logits(CnnFast *f, const CnnNet *net, const Mnist *m, int first, int n,
                     real *logits)
{
    forward_images(f, net, m, first, n, logits, NULL);
}

void cnn_fast_predict(CnnFast *f, const CnnNet *net, const Mnist *m, int first, int n,
                      unsigned char *pred)
{
    forward_images(f, net, m, first, n, NULL, pred);
}
