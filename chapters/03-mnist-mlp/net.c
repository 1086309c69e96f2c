/* net.c — notes §3.3–§3.4: the network for MNIST, its forward pass and its
 * backpropagation written out by hand (no autodiff), and one epoch of
 * training with shuffled mini-batches.
 *
 * Names follow the notes. For the default 784–128–64–10 (L = 3 layers):
 *     Z1 = X·W1ᵀ + b1    A1 = ReLU(Z1)       X (B, 784), W1 (128, 784)
 *     Z2 = A1·W2ᵀ + b2   A2 = ReLU(Z2)       W2 (64, 128)
 *     Z3 = A2·W3ᵀ + b3   A3 = softmax(Z3)    W3 (10, 64), A3 = ŷ (B, 10)
 * (our W is stored (out, in) like PyTorch's nn.Linear; the notes' W (in, out)
 * is its transpose, hence the ᵀ.) In the arrays, layer l = 0, 1, 2 holds
 * W[l] = W_{l+1}, z[l] = Z_{l+1}, a[l] = A_{l+1}. */
#include "mlp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "util.h"

/* --- building the network ------------------------------------------------------ */

static void init_layer(Ch3Net *n, int l, Ch3Init init, Rng *rng)
{
    int in = n->sizes[l], out = n->sizes[l + 1];
    switch (init) {
    case CH3_INIT_GLOROT:
        /* notes §3.4. Glorot: Var(W) = 2/(in + out) keeps the spread of the
         * activations (forward) and of the deltas (backward) about the same
         * in every layer, so neither dies out nor blows up at the start.
         * Biases start at 0, as Glorot & Bengio did. (Erratum: the notes
         * say nn.Linear does this; its default is Kaiming-uniform — see
         * CH3_INIT_PYTORCH.) */
        init_glorot_uniform(n->W[l], in, out, rng);
        memset(n->b[l], 0, (size_t)out * sizeof(real));
        break;
    case CH3_INIT_PYTORCH:
        init_pytorch_linear(n->W[l], (size_t)in * out, in, rng);
        init_pytorch_linear(n->b[l], (size_t)out, in, rng);
        break;
    case CH3_INIT_HALF:
        /* seed 003: np.random.uniform(-0.5, 0.5) for weights and biases. */
        for (long i = 0; i < (long)in * out; i++)
            n->W[l][i] = (real)rng_uniform_range(rng, -0.5, 0.5);
        for (int i = 0; i < out; i++)
            n->b[l][i] = (real)rng_uniform_range(rng, -0.5, 0.5);
        break;
    }
}

void ch3_net_init(Ch3Net *n, int nlayers, const int *sizes, Ch3Act act, Ch3Head head,
                  Ch3Init init, int bmax, Rng *rng)
{
    if (nlayers < 1 || nlayers > CH3_MAX_LAYERS)
        die("a network of %d layers (1 to %d are possible)", nlayers, CH3_MAX_LAYERS);
    memset(n, 0, sizeof *n);
    n->nlayers = nlayers;
    memcpy(n->sizes, sizes, (size_t)(nlayers + 1) * sizeof(int));
    n->act = act;
    n->head = head;
    n->bmax = bmax;

    /* All weights and biases in one array (and their gradients in another):
     * the optimiser is then a single loop over p.n values. */
    size_t count = 0, acts = 0;
    for (int l = 0; l < nlayers; l++) {
        count += (size_t)sizes[l] * sizes[l + 1] + sizes[l + 1];
        acts += (size_t)sizes[l + 1];
    }
    params_init(&n->p, count);
    for (int l = 0; l < nlayers; l++) {
        n->W[l] = params_take(&n->p, (size_t)sizes[l] * sizes[l + 1], &n->dW[l]);
        n->b[l] = params_take(&n->p, (size_t)sizes[l + 1], &n->db[l]);
    }
    /* Activations and their gradients: five (bmax, size) arrays per layer
     * (z, a, mask, dz, da) and the batch itself, in one allocation. */
    n->arena = xcalloc(5 * acts * (size_t)bmax + (size_t)bmax * CH3_PIXELS, sizeof(real));
    real *at = n->arena;
    real **slots[5] = {n->z, n->a, n->mask, n->dz, n->da};
    for (int s = 0; s < 5; s++)
        for (int l = 0; l < nlayers; l++) {
            slots[s][l] = at;
            at += (size_t)bmax * sizes[l + 1];
        }
    n->x = at;
    n->y = xcalloc((size_t)bmax, 1);
    n->threads = CH3_THREADS;
    for (int l = 0; l < nlayers; l++)
        init_layer(n, l, init, rng);
}

void ch3_net_free(Ch3Net *n)
{
    ch3_team_free(n);
    params_free(&n->p);
    free(n->arena);
    free(n->y);
    memset(n, 0, sizeof *n);
}

const char *ch3_net_shape(const Ch3Net *n, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = 0;
    for (int l = 0; l <= n->nlayers && used < len; l++)
        used += (size_t)snprintf(buf + used, len - used, "%s%d", l ? "–" : "", n->sizes[l]);
    return buf;
}

/* --- forward (notes §3.3) ----------------------------------------------------------- */

/* The input of layer l: X for the first, the previous layer's output after. */
static const real *layer_input(const Ch3Net *n, const real *x, int l)
{
    return l == 0 ? x : n->a[l - 1];
}

/* Every layer up to the output's Z_L = logits (n->z[L-1]); no head. */
static void forward_layers(Ch3Net *n, const real *x, int B, int train, Rng *rng)
{
    int L = n->nlayers;
    for (int l = 0; l < L; l++) {
        int out = n->sizes[l + 1];
        size_t count = (size_t)B * out;
        /* Z = A_prev·Wᵀ + b */
        dense_forward(n->z[l], layer_input(n, x, l), n->W[l], n->b[l], B, n->sizes[l], out);
        if (l == L - 1)
            break;
        /* A = f(Z): ReLU (§3.1) or, for the studies, the sigmoid. */
        if (n->act == CH3_RELU)
            relu_forward(n->a[l], n->z[l], count);
        else
            sigmoid_forward(n->a[l], n->z[l], count);
        /* Dropout (§3.3): switch off a fraction of the neurons, a fresh
         * choice every batch, only while training. The mask also holds the
         * 1/(1 − p) that keeps the expected activation unchanged. */
        if (train && n->dropout > 0) {
            if (!n->masks_ready)   /* team.c draws them for the whole batch */
                dropout_make_mask(n->mask[l], count, n->dropout, rng);
            dropout_forward(n->a[l], n->a[l], n->mask[l], count);
        }
    }
}

double ch3_forward(Ch3Net *n, const real *x, const unsigned char *labels, int B,
                   int train, Rng *rng)
{
    int L = n->nlayers;
    forward_layers(n, x, B, train, rng);
    /* The output layer: softmax + cross-entropy (§3.2), or seed 003's
     * sigmoid + squared error. */
    real *logits = n->z[L - 1], *yhat = n->a[L - 1];
    int C = n->sizes[L];
    if (n->head == CH3_SOFTMAX_CE) {
        if (!labels) {
            /* Inference without labels: the probabilities are all we need. */
            softmax_rows(yhat, logits, B, C);
            return 0;
        }
        return softmax_cross_entropy_forward(yhat, logits, labels, B, C);
    }
    sigmoid_forward(yhat, logits, (size_t)B * C);
    /* 003's cost is Σ_c (a − y)², without the ½: twice our squared_error. */
    return labels ? 2 * squared_error_forward(yhat, labels, B, C) : 0;
}

double ch3_l2_loss(const Ch3Net *n)
{
    double s = 0;
    for (int l = 0; l < n->nlayers; l++)
        s += l2_penalty(n->W[l], (size_t)n->sizes[l] * n->sizes[l + 1], n->l2);
    return s;
}

/* --- backward (notes §3.2–§3.3) ------------------------------------------------------- */

void ch3_backward(Ch3Net *n, const real *x, const unsigned char *labels, int B)
{
    ch3_backward_rows(n, x, labels, B, B, 1);
}

/* The output delta (A3 − y)/mean_over for rows of a larger batch. */
static void softmax_ce_delta_rows(real *dz, const real *probs, const unsigned char *labels,
                                  int B, int C, int mean_over)
{
    real inv = (real)1 / mean_over;
    for (int i = 0; i < B; i++)
        for (int c = 0; c < C; c++)
            dz[(size_t)i * C + c] += (probs[(size_t)i * C + c] - (c == labels[i])) * inv;
}

void ch3_backward_rows(Ch3Net *n, const real *x, const unsigned char *labels, int B,
                       int mean_over, int with_l2)
{
    int L = n->nlayers, C = n->sizes[L];
    params_zero_grads(&n->p);
    for (int l = 0; l < L; l++) {
        memset(n->dz[l], 0, (size_t)B * n->sizes[l + 1] * sizeof(real));
        memset(n->da[l], 0, (size_t)B * n->sizes[l + 1] * sizeof(real));
    }

    /* The output delta.
     * Softmax + cross-entropy (§3.2): ∂L/∂Z3 = A3 − y — the "simplificación
     * mágica" — divided by B because the loss is the batch mean.
     * Seed 003: C = Σ(a − y)², so ∂C/∂a = 2(a − y), and through the sigmoid
     * δ = 2(a − y)·a(1 − a); averaged over the batch (÷B) or summed (×1). */
    if (n->head == CH3_SOFTMAX_CE) {
        if (mean_over == B)
            softmax_cross_entropy_backward(n->dz[L - 1], n->a[L - 1], labels, B, C);
        else   /* part of a batch (team.c): the same, divided by the whole batch */
            softmax_ce_delta_rows(n->dz[L - 1], n->a[L - 1], labels, B, C, mean_over);
    } else {
        real scale = n->sum_over_batch ? 2 : (real)2 / mean_over;
        squared_error_backward(n->da[L - 1], n->a[L - 1], labels, B, C, scale);
        sigmoid_backward(n->dz[L - 1], n->a[L - 1], n->da[L - 1], (size_t)B * C);
    }

    /* Down the layers. With δ_{l+1} = ∂L/∂Z_{l+1} (B, out) in hand:
     *   ∂L/∂W_{l+1} = δ_{l+1}ᵀ·A_l        (out, in)
     *   ∂L/∂b_{l+1} = Σ_batch δ_{l+1}
     *   ∂L/∂A_l     = δ_{l+1}·W_{l+1}     "el salto al pasado" through Wᵀ
     *   δ_l         = ∂L/∂A_l ⊙ f'(Z_l)   ReLU'(Z) = 1 where Z > 0, else 0
     * which for the default net unrolls to the notes' formula (§3.3)
     *   δ1 = ((A3 − y)·W3ᵀ ⊙ ReLU'(Z2))·W2ᵀ ⊙ ReLU'(Z1)
     * (with their W (in, out); in our (out, in) storage "·Wᵀ" is "·W").
     * The first layer needs no ∂L/∂X: dx = NULL saves a third of its work. */
    for (int l = L - 1; l >= 0; l--) {
        int in = n->sizes[l], out = n->sizes[l + 1];
        real *dprev = l > 0 ? n->da[l - 1] : NULL;
        dense_backward(dprev, n->dW[l], n->db[l], n->dz[l], layer_input(n, x, l), n->W[l],
                       B, in, out);
        if (n->l2 > 0 && with_l2)   /* L2 (§3.3): + λW, only on weights */
            l2_backward(n->dW[l], n->W[l], (size_t)in * out, n->l2);
        if (l == 0)
            break;
        size_t count = (size_t)B * in;
        real *d_act = n->da[l - 1];
        /* Dropout's backward: the switched-off neurons pass no gradient,
         * the others pass it ×1/(1 − p). */
        if (n->dropout > 0)
            for (size_t i = 0; i < count; i++)
                d_act[i] *= n->mask[l - 1][i];
        if (n->act == CH3_RELU)
            relu_backward(n->dz[l - 1], n->z[l - 1], d_act, count);
        else {
            /* σ' from the output A = σ(Z). With dropout the stored A is
             * already masked, so use σ(Z) afresh. */
            if (n->dropout > 0)
                for (size_t i = 0; i < count; i++) {
                    double s = 1.0 / (1.0 + exp(-(double)n->z[l - 1][i]));
                    n->dz[l - 1][i] += d_act[i] * (real)(s * (1 - s));
                }
            else
                sigmoid_backward(n->dz[l - 1], n->a[l - 1], d_act, count);
        }
    }
}

/* --- optimisers (notes §3.4) --------------------------------------------------------- */

void ch3_opt_init(Ch3Opt *o, const char *name, double lr, const Ch3Net *n)
{
    memset(o, 0, sizeof *o);
    o->adam = strcmp(name, "adam") == 0;
    o->lr = lr;
    if (o->adam)
        adam_init(&o->state, n->p.n, lr);
}

void ch3_opt_step(Ch3Opt *o, Ch3Net *n)
{
    if (o->adam)
        adam_step(&o->state, n->p.values, n->p.grads);
    else
        sgd_step(n->p.values, n->p.grads, n->p.n, (real)o->lr);
}

void ch3_opt_step_range(Ch3Opt *o, Ch3Net *n, size_t p0, size_t p1)
{
    real *theta = n->p.values + p0, *g = n->p.grads + p0;
    if (o->adam) {
        /* Adam on a slice: the same t and constants, the slice's moments.
         * adam_step counts the step in the copy only. */
        Adam slice = o->state;
        slice.n = p1 - p0;
        slice.m += p0;
        slice.v += p0;
        adam_step(&slice, theta, g);
    } else {
        sgd_step(theta, g, p1 - p0, (real)o->lr);
    }
}

void ch3_opt_count_step(Ch3Opt *o)
{
    if (o->adam)
        o->state.t++;
}

void ch3_opt_free(Ch3Opt *o)
{
    if (o->adam)
        adam_free(&o->state);
}

/* --- one epoch (notes §3.4) ----------------------------------------------------------- */

double ch3_train_epoch(Ch3Net *n, Ch3Opt *o, const Ch3Data *d, const int *order, int count,
                       int batch, Rng *rng, int epoch, int epochs, float *batch_loss)
{
    if (batch > n->bmax)
        die("batch of %d is larger than the network's buffers (%d)", batch, n->bmax);
    int nbatches = (count + batch - 1) / batch;
    double running_loss = 0;
    Progress bar;
    progress_begin(&bar, "Época", epoch, epochs, nbatches, batch);
    /* The same loop, each batch shared by two threads (team.c), when it can. */
    double team_loss;
    if (ch3_team_train_epoch(n, o, d, order, count, batch, rng, batch_loss, &bar,
                             &team_loss)) {
        progress_end(&bar);
        return team_loss;
    }
    for (int k = 0; k < nbatches; k++) {
        int B = (k == nbatches - 1) ? count - k * batch : batch;
        ch3_gather(n->x, n->y, d, order + (size_t)k * batch, B);
        /* optimizer.zero_grad(); outputs = model(images); loss = criterion(...) */
        double loss = ch3_forward(n, n->x, n->y, B, 1, rng);
        if (!isfinite(loss)) {
            progress_end(&bar);
            return NAN;
        }
        ch3_backward(n, n->x, n->y, B);   /* loss.backward() */
        ch3_opt_step(o, n);               /* optimizer.step() */
        running_loss += loss;             /* running_loss += loss.item() */
        if (batch_loss)
            batch_loss[k] = (float)loss;
        progress_update(&bar, k + 1, running_loss / (k + 1));
    }
    progress_end(&bar);
    return running_loss / nbatches;
}

double ch3_evaluate_rows(Ch3Net *n, const Ch3Data *d, const int *idx, int B,
                         unsigned char *pred, long *correct, int with_loss)
{
    int C = n->sizes[n->nlayers];
    ch3_gather(n->x, n->y, d, idx, B);
    /* The guess is the largest output; softmax and sigmoid keep the order of
     * the logits, so without a loss to report the logits are enough (what a
     * PyTorch model(x) returns too): no exp per class. */
    double loss = 0;
    const real *scores = n->z[n->nlayers - 1];
    if (with_loss) {
        loss = ch3_forward(n, n->x, n->y, B, 0, NULL) * B;
        scores = n->a[n->nlayers - 1];
    } else {
        forward_layers(n, n->x, B, 0, NULL);
    }
    for (int i = 0; i < B; i++) {
        int guess = argmax_real(scores + (size_t)i * C, C);
        *correct += guess == n->y[i];
        if (pred)
            pred[i] = (unsigned char)guess;
    }
    return loss;
}

double ch3_evaluate(Ch3Net *n, const Ch3Data *d, const int *order, int count,
                    unsigned char *pred, double *mean_loss)
{
    int *idx = xmalloc((size_t)(count > 0 ? count : 1) * sizeof(int));
    for (int i = 0; i < count; i++)
        idx[i] = order ? order[i] : i;
    long correct = 0;
    double loss = 0;
    /* Batches of bmax, each shared by two threads (team.c) or on this one. */
    int with_loss = mean_loss != NULL;
    if (ch3_team_evaluate(n, d, idx, count, pred, with_loss, &correct, &loss) < 0)
        for (int start = 0; start < count; start += n->bmax) {
            int B = count - start < n->bmax ? count - start : n->bmax;
            loss += ch3_evaluate_rows(n, d, idx + start, B, pred ? pred + start : NULL,
                                      &correct, with_loss);
        }
    free(idx);
    if (mean_loss)
        *mean_loss = count ? loss / count : 0;
    return count ? (double)correct / count : 0;
}

int ch3_smooth(const float *v, int n, int every, double *out)
{
    int m = 0;
    for (int start = 0; start < n; start += every) {
        int end = start + every < n ? start + every : n;
        double s = 0;
        for (int i = start; i < end; i++)
            s += v[i];
        out[m++] = s / (end - start);
    }
    return m;
}
