/* cnn.c — chapter 4's network (notes §4), the part of the program the tests
 * link (main.c is the notebook that runs it).
 *
 * What it is: the notes' NetCNN (conv 1→32 3×3, ReLU, max-pool 2×2, conv
 * 32→64 3×3, ReLU, max-pool 2×2, flatten 1600, dense 128, ReLU, dense 10,
 * log-softmax): its parameters, its forward pass, its backward pass, one
 * training step (on one thread, or the batch shared by several), saving and
 * loading as safetensors with PyTorch's state_dict names, the saliency and
 * Grad-CAM maps of thesis 002 §4, and the small worked examples of notes
 * §4.1 and 002 §3.
 *
 * What it is not: an autodiff framework. Each layer is a forward/backward
 * pair from conv.h and nn.h, called in order and then in reverse, by hand.
 *
 * Speed: convolutions are im2col + one cblas_sgemm per layer per batch
 * (conv.h), with the pooling moved before the bias and the ReLU (same
 * numbers, see bias_relu) and each batch shared by two threads (Ch4Team). */
#include "cnn.h"
#include "safetensors.h"
#include "util.h"

#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Shapes of the stops (notes §4.2). */
#define S1 26 /* conv1 out */
#define Q1 13 /* pool1 out */
#define S2 11 /* conv2 out */
#define Q2 5  /* pool2 out */
#define U2 10 /* the part of conv2's 11×11 that pool2 reads (see geom_conv2) */

/* ========================================================================= */
/* The network: parameters (notes §4, NetCNN.__init__)                        */
/* ========================================================================= */
void ch4_net_init(Ch4Net *net, Rng *rng)
{
    memset(net, 0, sizeof *net);
    size_t n = 32 * 9 + 32 + 64 * 288 + 64 + 128 * 1600 + 128 + 10 * 128 + 10;
    params_init(&net->p, n);
    net->conv1_w = params_take(&net->p, 32 * 9, &net->g_conv1_w);
    net->conv1_b = params_take(&net->p, 32, &net->g_conv1_b);
    net->conv2_w = params_take(&net->p, 64 * 288, &net->g_conv2_w);
    net->conv2_b = params_take(&net->p, 64, &net->g_conv2_b);
    net->fc1_w = params_take(&net->p, 128 * 1600, &net->g_fc1_w);
    net->fc1_b = params_take(&net->p, 128, &net->g_fc1_b);
    net->fc2_w = params_take(&net->p, 10 * 128, &net->g_fc2_w);
    net->fc2_b = params_take(&net->p, 10, &net->g_fc2_b);
    /* PyTorch's default for Conv2d and Linear: U(−1/√fan_in, 1/√fan_in) for
     * weights and biases (kaiming_uniform_ with a = √5). The notes run
     * PyTorch with its defaults, so this is the initialisation their losses
     * come from. */
    init_pytorch_linear(net->conv1_w, 32 * 9, 9, rng);
    init_pytorch_linear(net->conv1_b, 32, 9, rng);
    init_pytorch_linear(net->conv2_w, 64 * 288, 288, rng);
    init_pytorch_linear(net->conv2_b, 64, 288, rng);
    init_pytorch_linear(net->fc1_w, 128 * 1600, 1600, rng);
    init_pytorch_linear(net->fc1_b, 128, 1600, rng);
    init_pytorch_linear(net->fc2_w, 10 * 128, 128, rng);
    init_pytorch_linear(net->fc2_b, 10, 128, rng);
}

void ch4_net_free(Ch4Net *net)
{
    params_free(&net->p);
}

static real *alloc_reals(size_t n)
{
    return xcalloc(n, sizeof(real));
}

void ch4_work_init(Ch4Work *w, int max_b, int with_grads)
{
    memset(w, 0, sizeof *w);
    size_t B = (size_t)max_b;
    w->max_b = max_b;
    w->with_grads = with_grads;
    size_t cols = 288 * B * S2 * S2; /* conv2's (288, B·121) is the larger */
    if (9 * B * S1 * S1 > cols)
        cols = 9 * B * S1 * S1;
    w->x = alloc_reals(B * CH4_PIXELS);
    w->cols = alloc_reals(cols);
    w->cols1 = alloc_reals(9 * B * S1 * S1);
    w->y1 = alloc_reals(32 * B * S1 * S1);
    w->m1 = alloc_reals(32 * B * Q1 * Q1);
    w->p1 = alloc_reals(32 * B * Q1 * Q1);
    w->y2 = alloc_reals(64 * B * S2 * S2);
    w->m2 = alloc_reals(64 * B * Q2 * Q2);
    w->p2 = alloc_reals(64 * B * Q2 * Q2);
    w->flat = alloc_reals(B * CH4_FLAT);
    w->z3 = alloc_reals(B * 128);
    w->h3 = alloc_reals(B * 128);
    w->h3_relu = alloc_reals(B * 128);
    w->logits = alloc_reals(B * 10);
    w->probs = alloc_reals(B * 10);
    if (!with_grads)
        return;
    w->dlogits = alloc_reals(B * 10);
    w->dh3 = alloc_reals(B * 128);
    w->dh3_relu = alloc_reals(B * 128);
    w->dz3 = alloc_reals(B * 128);
    w->dflat = alloc_reals(B * CH4_FLAT);
    w->dp2 = alloc_reals(64 * B * Q2 * Q2);
    w->dy2 = alloc_reals(64 * B * S2 * S2);
    w->dp1 = alloc_reals(32 * B * Q1 * Q1);
    w->dy1 = alloc_reals(32 * B * S1 * S1);
    w->dcols = alloc_reals(cols);
}

void ch4_work_free(Ch4Work *w)
{
    real *all[] = {w->x, w->cols, w->cols1, w->y1, w->m1, w->p1, w->y2, w->m2, w->p2, w->flat, w->z3,
                   w->h3, w->h3_relu, w->logits, w->probs, w->dlogits, w->dh3, w->dh3_relu,
                   w->dz3, w->dflat, w->dp2, w->dy2, w->dp1, w->dy1, w->dcols};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(all[i]);
    memset(w, 0, sizeof *w);
}

/* ========================================================================= */
/* Forward (notes §4, NetCNN.forward; the stops of notes §4.2)                */
/* ========================================================================= */
static ConvGeom geom_conv1(int B) { return conv_geom(B, 1, 28, 28, 32, 3, 1, 0); }
/* conv2 gives 11×11 maps, but a 2×2 pooling with stride 2 reads only their
 * first 10 rows and 10 columns (11 / 2 rounds down to 5: row and column 10
 * never reach the output). Training and prediction therefore compute only
 * that 10×10 corner: every number that reaches the loss is the same, and the
 * three matrix products of conv2 (forward, ∂W, ∂cols) get 100/121 of the
 * columns — 17 % less work in the layer that costs most. The whole 11×11 is
 * computed only when someone looks at the maps (w->full_maps). Cropping is
 * just a smaller ho, wo: im2col and col2im read each window from the 13×13
 * input as before. */
static int conv2_side(const Ch4Work *w) { return w->full_maps ? S2 : U2; }
static ConvGeom geom_conv2(int B, int side)
{
    ConvGeom g = conv_geom(B, 32, Q1, Q1, 64, 3, 1, 0);
    g.ho = g.wo = side;
    return g;
}
static PoolGeom geom_pool1(int B) { return pool_geom(32 * B, S1, S1, 2, 2, 0); }
static PoolGeom geom_pool2(int B, int side) { return pool_geom(64 * B, side, side, 2, 2, 0); }

/* Where the bias and the ReLU go.
 *
 * PyTorch computes pool(relu(conv(x) + b)). Both the bias (one number per
 * channel) and ReLU commute with a max:
 *     max(y + b) = max(y) + b        and        max(relu(y)) = relu(max(y)),
 * so pool first and then add the bias and apply ReLU gives the very same
 * numbers — on a map 4 times smaller (13×13 instead of 26×26). The big
 * 26×26×32 maps are then written once (by the matrix product) and read once
 * (by the pooling), which is most of the speed of this chapter's loop.
 *
 * p (C, n) = relu(m + b[c]) for each channel c of n values. */
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
/* Its backward: d ← d · ReLU'(·) from the output p (p > 0 exactly where the
 * input was > 0), and db[c] += Σ d over the channel. */
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

void ch4_forward(const Ch4Net *net, Ch4Work *w, int B, const real *dropout_mask)
{
    if (B < 1 || B > w->max_b)
        die("ch4_forward: batch of %d images, workspace holds %d", B, w->max_b);
    ConvGeom c1 = geom_conv1(B), c2 = geom_conv2(B, conv2_side(w));
    PoolGeom q1 = geom_pool1(B), q2 = geom_pool2(B, conv2_side(w));
    /* x = self.pool(F.relu(self.conv1(x)))      (1,28,28) → (32,26,26) → (32,13,13) */
    conv2d_forward(w->y1, w->cols1, w->x, net->conv1_w, NULL, &c1);
    maxpool_forward(w->m1, NULL, w->y1, &q1);
    bias_relu(w->p1, w->m1, net->conv1_b, 32, (size_t)B * Q1 * Q1);
    /* x = self.pool(F.relu(self.conv2(x)))      → (64,11,11) → (64,5,5) */
    conv2d_forward(w->y2, w->cols, w->p1, net->conv2_w, NULL, &c2);
    maxpool_forward(w->m2, NULL, w->y2, &q2);
    bias_relu(w->p2, w->m2, net->conv2_b, 64, (size_t)B * Q2 * Q2);
    /* x = x.view(-1, 5 * 5 * 64): image by image, channel after channel */
    cbhw_to_nchw(w->flat, w->p2, B, 64, Q2 * Q2);
    /* x = F.relu(self.fc1(x)), then dropout when training with it (§4.3) */
    dense_forward(w->z3, w->flat, net->fc1_w, net->fc1_b, B, CH4_FLAT, 128);
    relu_forward(w->h3_relu, w->z3, (size_t)B * 128);
    if (dropout_mask)
        dropout_forward(w->h3, w->h3_relu, dropout_mask, (size_t)B * 128);
    else
        memcpy(w->h3, w->h3_relu, sizeof(real) * (size_t)B * 128);
    /* x = self.fc2(x): the 10 class scores */
    dense_forward(w->logits, w->h3, net->fc2_w, net->fc2_b, B, 128, 10);
}

double ch4_loss(Ch4Work *w, int B, const unsigned char *labels)
{
    /* F.log_softmax + nn.NLLLoss: −(z_y − log Σ e^z), averaged over the batch —
     * the same number nn.h's softmax cross-entropy computes. */
    return softmax_cross_entropy_forward(w->probs, w->logits, labels, B, 10);
}

void ch4_log_softmax(real *out, const real *logits, int n)
{
    double mx = logits[0], s = 0;
    for (int i = 1; i < n; i++)
        mx = logits[i] > mx ? logits[i] : mx;
    for (int i = 0; i < n; i++)
        s += exp(logits[i] - mx);
    double lse = mx + log(s);
    for (int i = 0; i < n; i++)
        out[i] = (real)(logits[i] - lse);
}

/* ========================================================================= */
/* Backward: the same stops in reverse (the chain rule of notes §2.2, §3.3)   */
/* ========================================================================= */
static void zero(real *a, size_t n)
{
    memset(a, 0, sizeof(real) * n);
}

void ch4_backward(Ch4Net *net, Ch4Work *w, int B, const real *dropout_mask, real *dx,
                  real *dA2)
{
    if (!w->with_grads)
        die("ch4_backward: the workspace was made without gradients");
    if (dA2 && !w->full_maps)
        die("ch4_backward: dA2 needs the whole 11x11 maps (w->full_maps)");
    ConvGeom c1 = geom_conv1(B), c2 = geom_conv2(B, conv2_side(w));
    PoolGeom q1 = geom_pool1(B), q2 = geom_pool2(B, conv2_side(w));
    size_t n3 = (size_t)B * 128;
    /* fc2: dW2 += dlogitsᵀ·h, dh = dlogits·W2 */
    zero(w->dh3, n3);
    dense_backward(w->dh3, net->g_fc2_w, net->g_fc2_b, w->dlogits, w->h3, net->fc2_w, B,
                   128, 10);
    /* dropout, then ReLU of fc1 */
    if (dropout_mask) {
        zero(w->dh3_relu, n3);
        dropout_backward(w->dh3_relu, w->dh3, dropout_mask, n3);
    } else {
        memcpy(w->dh3_relu, w->dh3, sizeof(real) * n3);
    }
    zero(w->dz3, n3);
    relu_backward(w->dz3, w->z3, w->dh3_relu, n3);
    /* fc1: dW1 += dzᵀ·flat, dflat = dz·W1 */
    zero(w->dflat, (size_t)B * CH4_FLAT);
    dense_backward(w->dflat, net->g_fc1_w, net->g_fc1_b, w->dz3, w->flat, net->fc1_w, B,
                   CH4_FLAT, 128);
    /* un-flatten to the channel-major layout of the convolutional part */
    nchw_to_cbhw(w->dp2, w->dflat, B, 64, Q2 * Q2);
    /* pool2 (and, for Grad-CAM, ∂S/∂A at conv2's ReLU output, 64 × 11 × 11:
     * each pooled gradient sits on its window's winner) */
    if (dA2)
        maxpool_backward_set(dA2, w->dp2, w->y2, w->m2, &q2);
    bias_relu_backward(w->dp2, net->g_conv2_b, w->p2, 64, (size_t)B * Q2 * Q2);
    maxpool_backward_set(w->dy2, w->dp2, w->y2, w->m2, &q2);
    /* conv2: dW += dy·colsᵀ, dp1 += col2im(Wᵀ·dy) */
    zero(w->dp1, (size_t)32 * B * Q1 * Q1);
    conv2d_backward(w->dp1, net->g_conv2_w, NULL, w->dy2, w->cols, w->dcols, net->conv2_w,
                    &c2);
    /* ReLU and bias of conv1, pool1 */
    bias_relu_backward(w->dp1, net->g_conv1_b, w->p1, 32, (size_t)B * Q1 * Q1);
    maxpool_backward_set(w->dy1, w->dp1, w->y1, w->m1, &q1);
    /* conv1: the image needs no gradient when training (dx NULL) */
    conv2d_backward(dx, net->g_conv1_w, NULL, w->dy1, w->cols1, w->dcols, net->conv1_w, &c1);
}

double ch4_train_step(Ch4Net *net, Ch4Work *w, int B, const unsigned char *labels,
                      const real *dropout_mask)
{
    ch4_forward(net, w, B, dropout_mask);
    double loss = ch4_loss(w, B, labels);
    /* ∂loss/∂logits = (softmax − one-hot) / B (notes §3.2) */
    zero(w->dlogits, (size_t)B * 10);
    softmax_cross_entropy_backward(w->dlogits, w->probs, labels, B, 10);
    params_zero_grads(&net->p);
    ch4_backward(net, w, B, dropout_mask, NULL, NULL);
    return loss;
}

void ch4_load_batch(Ch4Work *w, const unsigned char *pixels, const int *idx, int B)
{
    for (int b = 0; b < B; b++) {
        const unsigned char *src = pixels + (size_t)(idx ? idx[b] : b) * CH4_PIXELS;
        real *dst = w->x + (size_t)b * CH4_PIXELS;
        for (int i = 0; i < CH4_PIXELS; i++)
            dst[i] = (real)src[i] / (real)255; /* notes §3: pixels / 255 */
    }
}

void ch4_predict(const Ch4Net *net, Ch4Work *w, const unsigned char *pixels, int n,
                 unsigned char *pred)
{
    for (int start = 0; start < n; start += w->max_b) {
        int B = n - start < w->max_b ? n - start : w->max_b;
        ch4_load_batch(w, pixels + (size_t)start * CH4_PIXELS, NULL, B);
        ch4_forward(net, w, B, NULL);
        for (int b = 0; b < B; b++)
            pred[start + b] = (unsigned char)argmax_real(w->logits + b * 10, 10);
    }
}

/* ========================================================================= */
/* Two cores: slices of the batch in parallel (see cnn.h)                     */
/* ========================================================================= */
void ch4_team_init(Ch4Team *t, Ch4Net *net, int threads, int max_b, int with_grads)
{
    if (threads < 1 || threads > CH4_MAX_THREADS)
        die("ch4_team_init: %d threads (1..%d)", threads, CH4_MAX_THREADS);
    memset(t, 0, sizeof *t);
    t->threads = threads;
    int slice = (max_b + threads - 1) / threads;
    for (int k = 0; k < threads; k++) {
        /* a view: the same parameter values, and (for k > 0) its own
         * gradient store, so the threads never write to the same place */
        Ch4Net *v = &t->view[k];
        *v = *net;
        if (k > 0 && with_grads) {
            v->p.grads = alloc_reals(net->p.n);
            ptrdiff_t shift = v->p.grads - net->p.grads;
            v->g_conv1_w += shift; v->g_conv1_b += shift;
            v->g_conv2_w += shift; v->g_conv2_b += shift;
            v->g_fc1_w += shift;   v->g_fc1_b += shift;
            v->g_fc2_w += shift;   v->g_fc2_b += shift;
        }
        ch4_work_init(&t->work[k], slice, with_grads);
    }
    atomic_init(&t->round, 0);
    atomic_init(&t->done, 0);
    atomic_init(&t->stop, 0);
    atomic_init(&t->sleepers, 0);
    if (pthread_mutex_init(&t->lock, NULL) != 0 || pthread_cond_init(&t->wake, NULL) != 0)
        die("cannot make a lock for the threads");
    /* one thread per slice already: OpenBLAS must not start more of its own */
    t->blas_threads = openblas_get_num_threads();
    if (threads > 1)
        openblas_set_num_threads(1);

}

void ch4_team_free(Ch4Team *t)
{

    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->wake);
    if (t->threads > 1)
        openblas_set_num_threads(t->blas_threads);
    for (int k = 0; k < t->threads; k++) {
        if (k > 0 && t->work[k].with_grads)
            free(t->view[k].p.grads);
        ch4_work_free(&t->work[k]);
    }
    memset(t, 0, sizeof *t);
}

typedef struct {
    Ch4Net *net;
    Ch4Work *w;
    const unsigned char *pixels, *labels;
    const int *idx;
    int b, B;             /* this slice's size, the whole batch's */
    const real *mask;
    double loss;          /* this slice's share of the batch mean */
    unsigned char *pred;  /* for prediction */
} Slice;

static void *slice_step(void *arg)
{
    Slice *s = arg;
    if (s->b == 0)
        return NULL;
    ch4_load_batch(s->w, s->pixels, s->idx, s->b);
    ch4_forward(s->net, s->w, s->b, s->mask);
    double mean = ch4_loss(s->w, s->b, s->labels);
    zero(s->w->dlogits, (size_t)s->b * 10);
    softmax_cross_entropy_backward(s->w->dlogits, s->w->probs, s->labels, s->b, 10);
    /* that gradient is (ŷ − y)/b; the batch's mean needs (ŷ − y)/B */
    real share = (real)s->b / (real)s->B;
    for (int i = 0; i < s->b * 10; i++)
        s->w->dlogits[i] *= share;
    params_zero_grads(&s->net->p);
    ch4_backward(s->net, s->w, s->b, s->mask, NULL, NULL);
    s->loss = mean * share;
    return NULL;
}

/* Runs t->fn on every job (t->job, t->job_size apart): jobs 1.. on the
 * team's threads, job 0 on this one, and waits for all of them. */
static void run_round(Ch4Team *t)
{
#pragma omp parallel num_threads(t->threads)
    {
        int k = omp_get_thread_num();
        t->fn((char *)t->job + (size_t)k * t->job_size);
    }
}

static void run_slices(Ch4Team *t, Slice *sl, void *(*fn)(void *))
{
    t->fn = fn;
    t->job = sl;
    t->job_size = sizeof *sl;
    run_round(t);
}

/* One part of the parameters, [lo, hi), for one thread: the slices'
 * gradients added into net's, and (when asked) Adam on that part. */
typedef struct {
    Ch4Team *team;
    Ch4Net *net;
    Adam *adam;
    size_t lo, hi;
} Part;

static void *part_update(void *arg)
{
    Part *q = arg;
    Ch4Team *t = q->team;
    real *grads = q->net->p.grads;
    for (int k = 1; k < t->threads; k++) {
        if (!t->view[k].p.grads)
            continue;
        const real *g = t->view[k].p.grads;
        for (size_t i = q->lo; i < q->hi; i++)
            grads[i] += g[i];
    }
    if (q->adam && q->hi > q->lo) {
        /* Adam is element by element: each part is an Adam of its own over
         * its share of m and v, at the same step t */
        Adam part = *q->adam;
        part.m += q->lo;
        part.v += q->lo;
        part.n = q->hi - q->lo;
        adam_step(&part, q->net->p.values + q->lo, grads + q->lo);
    }
    return NULL;
}

static double team_step(Ch4Team *t, Ch4Net *net, const unsigned char *pixels, const int *idx,
                        const unsigned char *labels, int B, const real *dropout_mask,
                        Adam *adam)
{
    Slice sl[CH4_MAX_THREADS];
    int start = 0;
    for (int k = 0; k < t->threads; k++) {
        /* slice 0 is never the smaller one: it also zeroes net's gradients */
        int b = B / t->threads + (k < B % t->threads);
        if (b > t->work[k].max_b)
            die("ch4_team_step: a batch of %d is more than the team was made for", B);
        sl[k] = (Slice){&t->view[k], &t->work[k], pixels, labels + start, idx + start, b, B,
                        dropout_mask ? dropout_mask + (size_t)start * 128 : NULL, 0, NULL};
        start += b;
    }
    run_slices(t, sl, slice_step);
    double loss = 0;
    for (int k = 0; k < t->threads; k++)
        loss += sl[k].loss;
    /* The batch's gradient: the sum of the slices' (view 0 wrote into net's;
     * an empty slice has a zero gradient: left out), then Adam — both shared
     * out among the threads by ranges of parameters, in the order a single
     * thread would add them (the same numbers). */
    real *hold[CH4_MAX_THREADS];
    for (int k = 1; k < t->threads; k++) {
        hold[k] = t->view[k].p.grads;
        if (sl[k].b == 0)
            t->view[k].p.grads = NULL;
    }
    Part parts[CH4_MAX_THREADS];
    size_t n = net->p.n, per = (n / t->threads + 15) / 16 * 16; /* 64-byte pieces */
    for (int k = 0; k < t->threads; k++) {
        size_t lo = (size_t)k * per < n ? (size_t)k * per : n;
        size_t hi = lo + per < n ? lo + per : n;
        parts[k] = (Part){t, net, adam, lo, hi};
    }
    t->fn = part_update;
    t->job = parts;
    t->job_size = sizeof parts[0];
    run_round(t);
    for (int k = 1; k < t->threads; k++)
        t->view[k].p.grads = hold[k];
    if (adam)
        adam->t++; /* each part stepped its own copy from t to t + 1 */
    return loss;
}

double ch4_team_step(Ch4Team *t, Ch4Net *net, const unsigned char *pixels, const int *idx,
                     const unsigned char *labels, int B, const real *dropout_mask)
{
    return team_step(t, net, pixels, idx, labels, B, dropout_mask, NULL);
}

double ch4_team_step_adam(Ch4Team *t, Ch4Net *net, const unsigned char *pixels,
                          const int *idx, const unsigned char *labels, int B,
                          const real *dropout_mask, Adam *adam)
{
    if (adam->n != net->p.n)
        die("ch4_team_step_adam: Adam made for %zu parameters, the net has %zu", adam->n,
            net->p.n);
    return team_step(t, net, pixels, idx, labels, B, dropout_mask, adam);
}

static void *slice_predict(void *arg)
{
    Slice *s = arg;
    if (s->b == 0)
        return NULL;
    ch4_predict(s->net, s->w, s->pixels, s->b, s->pred);
    return NULL;
}

void ch4_team_predict(Ch4Team *t, const unsigned char *pixels, int n, unsigned char *pred)
{
    Slice sl[CH4_MAX_THREADS];
    int start = 0;
    for (int k = 0; k < t->threads; k++) {
        int b = n / t->threads + (k < n % t->threads);
        sl[k] = (Slice){&t->view[k], &t->work[k], pixels + (size_t)start * CH4_PIXELS, NULL, NULL,
                        b, n, NULL, 0, pred + start};
        start += b;
    }
    run_slices(t, sl, slice_predict);
}

/* ========================================================================= */
/* Saving and loading: safetensors, PyTorch's names (notes §4.4's web page,   */
/* and torch.load_state_dict, can read it)                                     */
/* ========================================================================= */
static void tensor_specs(StTensor t[8], const Ch4Net *net)
{
    StTensor specs[8] = {
        {"conv1.weight", 4, {32, 1, 3, 3}, net->conv1_w},
        {"conv1.bias", 1, {32}, net->conv1_b},
        {"conv2.weight", 4, {64, 32, 3, 3}, net->conv2_w},
        {"conv2.bias", 1, {64}, net->conv2_b},
        {"fc1.weight", 2, {128, 1600}, net->fc1_w},
        {"fc1.bias", 1, {128}, net->fc1_b},
        {"fc2.weight", 2, {10, 128}, net->fc2_w},
        {"fc2.bias", 1, {10}, net->fc2_b},
    };
    memcpy(t, specs, sizeof specs);
}

void ch4_save(const Ch4Net *net, const char *path)
{
    StTensor t[8];
    tensor_specs(t, net);
    st_save(path, t, 8);
}

int ch4_load(Ch4Net *net, const char *path, char *err, size_t errlen)
{
    StTensor t[8];
    tensor_specs(t, net);
    return st_load(path, t, 8, err, errlen);
}

/* ========================================================================= */
/* What the network looks at: saliency and Grad-CAM (thesis 002 §4.2)         */
/* ========================================================================= */
void ch4_saliency(Ch4Net *net, Ch4Work *w, int c, real *sal, real *grad)
{
    ch4_forward(net, w, 1, NULL);
    /* S_c is the score of class c, so ∂S_c/∂logits is the one-hot e_c */
    zero(w->dlogits, 10);
    w->dlogits[c] = 1;
    params_zero_grads(&net->p);
    real *dx = alloc_reals(CH4_PIXELS);
    ch4_backward(net, w, 1, NULL, dx, NULL);
    for (int i = 0; i < CH4_PIXELS; i++) {
        sal[i] = (real)fabs((double)dx[i]); /* M = |∂S_c/∂I| (002 eq. 4.1) */
        if (grad)
            grad[i] = dx[i];
    }
    free(dx);
}

void ch4_gradcam(Ch4Net *net, Ch4Work *w, int c, real *cam11, real *cam28)
{
    zero(w->dlogits, 10);
    w->dlogits[c] = 1;
    params_zero_grads(&net->p);
    real *dA = alloc_reals(64 * S2 * S2);
    int full = w->full_maps;
    w->full_maps = 1; /* Grad-CAM looks at all 11×11 of A (see geom_conv2) */
    ch4_forward(net, w, 1, NULL);
    ch4_backward(net, w, 1, NULL, NULL, dA);
    w->full_maps = full;
    /* α_k: how much feature map k matters for class c, on average */
    for (int i = 0; i < S2 * S2; i++)
        cam11[i] = 0;
    for (int k = 0; k < 64; k++) {
        double alpha = 0;
        for (int i = 0; i < S2 * S2; i++)
            alpha += dA[k * S2 * S2 + i];
        alpha /= S2 * S2;
        for (int i = 0; i < S2 * S2; i++)
        {
            /* A_k = relu(conv2 + b): y2 holds conv2 without its bias (see bias_relu) */
            real a = w->y2[k * S2 * S2 + i] + net->conv2_b[k];
            cam11[i] += (real)(alpha * (a > 0 ? a : 0));
        }
    }
    for (int i = 0; i < S2 * S2; i++)
        cam11[i] = cam11[i] > 0 ? cam11[i] : 0; /* only what speaks FOR class c */
    /* Stretch to the image: conv2's output q sits over input pixel 2q + 3.5. */
    for (int r = 0; r < 28; r++)
        for (int col = 0; col < 28; col++) {
            double qy = (r - 3.5) / 2, qx = (col - 3.5) / 2;
            qy = qy < 0 ? 0 : qy > S2 - 1 ? S2 - 1 : qy;
            qx = qx < 0 ? 0 : qx > S2 - 1 ? S2 - 1 : qx;
            int y0 = (int)qy, x0 = (int)qx;
            int y1 = y0 + 1 < S2 ? y0 + 1 : y0, x1 = x0 + 1 < S2 ? x0 + 1 : x0;
            double fy = qy - y0, fx = qx - x0;
            cam28[r * 28 + col] =
                (real)((1 - fy) * ((1 - fx) * cam11[y0 * S2 + x0] + fx * cam11[y0 * S2 + x1]) +
                       fy * ((1 - fx) * cam11[y1 * S2 + x0] + fx * cam11[y1 * S2 + x1]));
        }
    free(dA);
}

/* ========================================================================= */
/* The worked examples (notes §4.1, 002 §3)                                    */
/* ========================================================================= */
int ch4_conv1d(double *out, const double *f, int nf, const double *g, int ng, int flip)
{
    int n = nf - ng + 1;
    for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < ng; j++)
            s += f[i + j] * g[flip ? ng - 1 - j : j];
        out[i] = s;
    }
    return n;
}

const double CH4_SOBEL_X[9] = {-1, 0, 1, -2, 0, 2, -1, 0, 1};
const double CH4_SOBEL_Y[9] = {-1, -2, -1, 0, 0, 0, 1, 2, 1};

void ch4_filter3x3(double *out, const double *img, int h, int w, const double *filter)
{
    /* The same plain convolution the network's layers are checked against,
     * with one input channel, one filter, padding 1 so the size stays. */
    ConvGeom g = conv_geom(1, 1, h, w, 1, 3, 1, 1);
    real *x = alloc_reals((size_t)h * w), *y = alloc_reals((size_t)h * w), W[9], b[1] = {0};
    for (int i = 0; i < h * w; i++)
        x[i] = (real)img[i];
    for (int i = 0; i < 9; i++)
        W[i] = (real)filter[i];
    conv2d_forward_plain(y, x, W, b, &g);
    for (int i = 0; i < h * w; i++)
        out[i] = y[i];
    free(x);
    free(y);
}

double ch4_fig4_response(const double patch[9], const double filter[9])
{
    /* One 3×3 window, one filter, no padding: a 1×1 feature map (§4.1 steps 1–4). */
    ConvGeom g = conv_geom(1, 1, 3, 3, 1, 3, 1, 0);
    real x[9], W[9], b[1] = {0}, y[1];
    for (int i = 0; i < 9; i++) {
        x[i] = (real)patch[i];
        W[i] = (real)filter[i];
    }
    conv2d_forward_plain(y, x, W, b, &g);
    return y[0];
}
