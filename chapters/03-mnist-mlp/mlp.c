/* mlp.c — THE network of notes §3.3–3.4, as the notes write it, and the loop
 * that trains it. This is the code a student steps through: `ch3 --plain`
 * runs exactly this, on one thread, with the matrix products as plain loops
 * (gemm_plain). The default run takes the same step on several threads
 * (mlp_fast.c, one line in ch3_train_epoch); tests/test_ch3_layers.c holds
 * the two together.
 *
 * The notes' model (§3.4) and its training loop:
 *
 *     model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(),
 *                           nn.Linear(128, 64), nn.ReLU(),
 *                           nn.Linear(64, 10), nn.LogSoftmax(dim=1))
 *     criterion = nn.NLLLoss()
 *     optimizer = optim.Adam(model.parameters(), lr=0.003)
 *     for images, labels in trainloader:
 *         optimizer.zero_grad(); outputs = model(images)
 *         loss = criterion(outputs, labels); loss.backward(); optimizer.step()
 *         running_loss += loss.item()
 *
 * and its formulas (§3.3), for a batch X of B images:
 *     Z1 = X·W1 + b1    A1 = ReLU(Z1)       X (B, 784)   Z1, A1 (B, 128)
 *     Z2 = A1·W2 + b2   A2 = ReLU(Z2)       Z2, A2 (B, 64)
 *     Z3 = A2·W3 + b3   A3 = softmax(Z3)    Z3, A3 = ŷ (B, 10)
 *     δ3 = A3 − y       δ1 = ((A3 − y)·W3ᵀ ⊙ ReLU'(Z2))·W2ᵀ ⊙ ReLU'(Z1)
 * Our W is stored (out, in), as nn.Linear stores it (fc1.weight is
 * (128, 784)); the notes' W (in, out) is its transpose, so their X·W1 is our
 * X·W1ᵀ. Same numbers. In the arrays, layer l = 0, 1, 2 holds W[l] = W_{l+1},
 * z[l] = Z_{l+1}, a[l] = A_{l+1}.
 *
 * The loop over layers is there because the chapter trains several depths
 * (784–128–10, 784–128–64–10, 784–128–64–32–10, six hidden layers in §3.1,
 * seed 003's 784–20–20–10); each line says what it is for the default net. */
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

void ch3_pass_init(Ch3Pass *w, const Ch3Net *n, int rows, real *grads)
{
    memset(w, 0, sizeof *w);
    w->rows = rows;
    /* Four (rows, size) arrays per layer — Z, A, δ, ∂L/∂A — and the batch X,
     * in one allocation. */
    size_t acts = 0;
    for (int l = 0; l < n->nlayers; l++)
        acts += (size_t)n->sizes[l + 1];
    w->arena = xcalloc(4 * acts * (size_t)rows + (size_t)rows * CH3_PIXELS, sizeof(real));
    real *at = w->arena;
    real **slots[4] = {w->z, w->a, w->dz, w->da};
    for (int s = 0; s < 4; s++)
        for (int l = 0; l < n->nlayers; l++) {
            slots[s][l] = at;
            at += (size_t)rows * n->sizes[l + 1];
        }
    w->x = at;
    w->y = xcalloc((size_t)rows, 1);
    for (int l = 0; l < n->nlayers; l++)
        w->mask[l] = n->mask[l];
    /* The gradients: the network's own (W.grad), or a thread's buffer laid
     * out the same way. */
    if (!grads)
        grads = w->own_grads = xcalloc(n->p.n ? n->p.n : 1, sizeof(real));
    w->grads = grads;
    for (int l = 0; l < n->nlayers; l++) {
        w->dW[l] = grads + (n->dW[l] - n->p.grads);
        w->db[l] = grads + (n->db[l] - n->p.grads);
    }
}

void ch3_pass_free(Ch3Pass *w)
{
    free(w->arena);
    free(w->y);
    free(w->own_grads);
    memset(w, 0, sizeof *w);
}

void ch3_net_init(Ch3Net *n, int nlayers, const int *sizes, const Activation *act,
                  Ch3Head head, Ch3Init init, int bmax, Rng *rng)
{
    if (nlayers < 1 || nlayers > CH3_MAX_LAYERS)
        die("a network of %d layers (1 to %d are possible)", nlayers, CH3_MAX_LAYERS);
    if (!act || !act->trainable)
        die("the activation '%s' cannot be trained (its derivative is 0)", act ? act->name : "?");
    memset(n, 0, sizeof *n);
    n->nlayers = nlayers;
    memcpy(n->sizes, sizes, (size_t)(nlayers + 1) * sizeof(int));
    n->act = act;
    n->head = head;
    n->bmax = bmax;

    /* All weights and biases in one array (and their gradients in another):
     * the optimiser is then a single loop over p.n values. */
    size_t count = 0, hidden = 0;
    for (int l = 0; l < nlayers; l++)
        count += (size_t)sizes[l] * sizes[l + 1] + sizes[l + 1];
    params_init(&n->p, count);
    for (int l = 0; l < nlayers; l++) {
        n->W[l] = params_take(&n->p, (size_t)sizes[l] * sizes[l + 1], &n->dW[l]);
        n->b[l] = params_take(&n->p, (size_t)sizes[l + 1], &n->db[l]);
    }
    for (int l = 0; l + 1 < nlayers; l++)
        hidden += (size_t)sizes[l + 1];
    real *masks = xcalloc(hidden * (size_t)bmax + 1, sizeof(real));
    n->mask[0] = masks;   /* (the allocation; ch3_net_free frees it) */
    for (int l = 0; l + 1 < nlayers; l++) {
        n->mask[l] = masks;
        masks += (size_t)bmax * sizes[l + 1];
    }
    ch3_pass_init(&n->pass, n, bmax, n->p.grads);
    for (int l = 0; l < nlayers; l++)
        init_layer(n, l, init, rng);
}

void ch3_net_free(Ch3Net *n)
{
    ch3_fast_free(n);
    ch3_pass_free(&n->pass);
    params_free(&n->p);
    free(n->mask[0]);
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

const char *ch3_act_label(const Activation *act)
{
    if (strcmp(act->name, "relu") == 0)
        return "ReLU";
    if (strcmp(act->name, "sigmoid") == 0)
        return "sigmoide";
    return act->name;
}

/* --- dropout (notes §3.3) ------------------------------------------------------------ */

/* Switch off a fraction p of the hidden neurons, a fresh choice every batch:
 * mask = 0 with probability p, else 1/(1 − p) (which keeps the expected
 * activation unchanged, so evaluation needs no rescaling). Drawn for the
 * whole batch before the forward pass, layer after layer, so that the
 * readable step and the fast one use the same masks. */
void ch3_draw_dropout_masks(Ch3Net *n, int B, Rng *rng)
{
    for (int l = 0; l + 1 < n->nlayers; l++)
        dropout_make_mask(n->mask[l], (size_t)B * n->sizes[l + 1], n->dropout, rng);
}

/* --- forward: outputs = model(images) (notes §3.3) ----------------------------------- */

void ch3_forward(const Ch3Net *n, Ch3Pass *w, int B, int train)
{
    int L = n->nlayers;
    const real *input = w->x;                             /* X (B, 784) */
    for (int l = 0; l < L; l++) {
        int in = n->sizes[l], out = n->sizes[l + 1];
        size_t count = (size_t)B * out;
        /* nn.Linear(784, 128), nn.Linear(128, 64), nn.Linear(64, 10):
         *   Z1 = X·W1ᵀ + b1 (B,128)   Z2 = A1·W2ᵀ + b2 (B,64)   Z3 = A2·W3ᵀ + b3 (B,10) */
        dense_forward(w->z[l], input, n->W[l], n->b[l], B, in, out);
        if (l == L - 1)
            break;   /* Z3 are the logits; the output's activation is the criterion's */
        /* nn.ReLU() (--act: any row of the activation table):
         *   A1 = ReLU(Z1) (B,128)     A2 = ReLU(Z2) (B,64) */
        activation_forward(n->act, w->a[l], w->z[l], count);
        /* nn.Dropout(p) while training (§3.3): A1 ⊙ mask (B,128), A2 ⊙ mask (B,64) */
        if (train && n->dropout > 0)
            dropout_forward(w->a[l], w->a[l], w->mask[l], count);
        input = w->a[l];
    }
}

/* --- the loss: loss = criterion(outputs, labels) (notes §3.2) ------------------------- */

double ch3_loss(const Ch3Net *n, Ch3Pass *w, int B)
{
    int L = n->nlayers, C = n->sizes[L];
    const real *logits = w->z[L - 1];                     /* Z3 (B, 10) */
    real *yhat = w->a[L - 1];                             /* A3 = ŷ (B, 10) */
    if (n->head == CH3_SOFTMAX_CE)
        /* nn.LogSoftmax(dim=1) + nn.NLLLoss(): ŷ = softmax(Z3) (B,10) and the
         * mean over the batch of L = −ln ŷ[label], taken in the log-softmax
         * form (it never sees ln 0). */
        return softmax_cross_entropy_forward(yhat, logits, w->y, B, C);
    /* seed 003: a = σ(Z3) (B,10) and C = Σ_c (a − y)², without the ½ —
     * twice squared_error_forward's ½ Σ (a − y)². */
    activation_forward(activation_find("sigmoid"), yhat, logits, (size_t)B * C);
    return 2 * squared_error_forward(yhat, w->y, B, C);
}

double ch3_l2_loss(const Ch3Net *n)
{
    double s = 0;
    for (int l = 0; l < n->nlayers; l++)
        s += l2_penalty(n->W[l], (size_t)n->sizes[l] * n->sizes[l + 1], n->l2);
    return s;
}

/* --- backward: loss.backward() (notes §3.2–3.3) --------------------------------------- */

/* The output delta δ3 = ∂L/∂Z3 (B, 10) for B rows of a batch of `batch`. */
static void output_delta(const Ch3Net *n, Ch3Pass *w, int B, int batch)
{
    int L = n->nlayers, C = n->sizes[L];
    real *delta = w->dz[L - 1];
    const real *yhat = w->a[L - 1];
    if (n->head == CH3_SOFTMAX_CE) {
        /* Softmax + cross-entropy (§3.2): ∂L/∂Z3 = ŷ − y, the "simplificación
         * mágica", divided by the batch size because the loss is the batch's
         * mean (y is one-hot: 1 at the label). */
        real inv_batch = (real)1 / batch;
        for (int i = 0; i < B; i++)
            for (int c = 0; c < C; c++) {
                real y = (c == w->y[i]) ? 1 : 0;
                delta[(size_t)i * C + c] += (yhat[(size_t)i * C + c] - y) * inv_batch;
            }
        return;
    }
    /* Seed 003: C = Σ(a − y)², so ∂C/∂a = 2(a − y), averaged over the batch
     * (÷ batch) or summed as 003 did; then through the output's sigmoid,
     * δ3 = ∂C/∂a ⊙ σ'(Z3). */
    real scale = n->sum_over_batch ? 2 : (real)2 / batch;
    squared_error_backward(w->da[L - 1], yhat, w->y, B, C, scale);
    activation_backward(activation_find("sigmoid"), delta, w->z[L - 1], w->da[L - 1],
                        (size_t)B * C);
}

void ch3_backward(const Ch3Net *n, Ch3Pass *w, int B, int batch, int with_l2)
{
    int L = n->nlayers;
    for (int l = 0; l < L; l++) {   /* the deltas accumulate with +=: start them at 0 */
        memset(w->dz[l], 0, (size_t)B * n->sizes[l + 1] * sizeof(real));
        memset(w->da[l], 0, (size_t)B * n->sizes[l + 1] * sizeof(real));
    }
    output_delta(n, w, B, batch);                         /* δ3 (B, 10) */

    /* Down the layers, from the output to the first. With δ = ∂L/∂Z of a
     * layer in hand (B, out):
     *   ∂L/∂W = δᵀ·A_prev        (out, in)   e.g. ∂L/∂W3 = δ3ᵀ·A2 (10, 64)
     *   ∂L/∂b = Σ_batch δ        (out)
     *   ∂L/∂A_prev = δ·W         (B, in)     "el salto al pasado": back through W
     *   δ_prev = ∂L/∂A_prev ⊙ f'(Z_prev)     ReLU'(Z) = 1 where Z > 0, else 0
     * which for the default net unrolls to the notes' formula (§3.3)
     *   δ1 = ((A3 − y)·W3ᵀ ⊙ ReLU'(Z2))·W2ᵀ ⊙ ReLU'(Z1)
     * (with their W (in, out); in our (out, in) storage "·Wᵀ" is "·W").
     * The notes' underbrace calls (A3 − y)·W3ᵀ "δ3"; it is ∂L/∂A2 (w->da[1],
     * B × 64), and only after ⊙ ReLU'(Z2) a delta, δ2 (notebook.md, errata).
     * The first layer needs no ∂L/∂X: dx = NULL saves a third of its work. */
    for (int l = L - 1; l >= 0; l--) {
        int in = n->sizes[l], out = n->sizes[l + 1];
        const real *input = l > 0 ? w->a[l - 1] : w->x;  /* A2 (B,64), A1 (B,128), X (B,784) */
        real *d_input = l > 0 ? w->da[l - 1] : NULL;     /* ∂L/∂A2 (B,64), ∂L/∂A1 (B,128) */
        /* ∂L/∂W3 (10,64) ∂L/∂b3 (10), ∂L/∂W2 (64,128) ∂L/∂b2 (64), ∂L/∂W1 (128,784) ∂L/∂b1 (128) */
        dense_backward(d_input, w->dW[l], w->db[l], w->dz[l], input, n->W[l], B, in, out);
        if (n->l2 > 0 && with_l2)   /* L2 (§3.3): (λ/2) Σ W² adds λW, on weights only */
            l2_backward(w->dW[l], n->W[l], (size_t)in * out, n->l2);
        if (l == 0)
            break;
        size_t count = (size_t)B * in;
        /* Dropout's backward: a switched-off neuron passes no gradient, the
         * others pass it × 1/(1 − p) — the mask again. */
        if (n->dropout > 0)
            for (size_t i = 0; i < count; i++)
                d_input[i] *= w->mask[l - 1][i];
        /* δ2 = ∂L/∂A2 ⊙ ReLU'(Z2) (B,64), δ1 = ∂L/∂A1 ⊙ ReLU'(Z1) (B,128) */
        activation_backward(n->act, w->dz[l - 1], w->z[l - 1], d_input, count);
    }
}

/* --- one batch: the notes' loop body (§3.4) ------------------------------------------- */

double ch3_step(Ch3Net *n, Optimizer *o, const Mnist *d, const int *idx, int B)
{
    Ch3Pass *w = &n->pass;
    mnist_gather(d, idx, B, w->x, w->y);           /* images (B, 784), labels (B) */
    params_zero_grads(&n->p);                      /* optimizer.zero_grad() */
    ch3_forward(n, w, B, 1);                       /* outputs = model(images) */
    double loss = ch3_loss(n, w, B);               /* loss = criterion(outputs, labels) */
    if (!isfinite(loss))
        return loss;                               /* diverged: no step */
    ch3_backward(n, w, B, B, 1);                   /* loss.backward() */
    optim_step(o, n->p.values, n->p.grads);        /* optimizer.step() */
    return loss;
}

/* --- one epoch (notes §3.4) ----------------------------------------------------------- */

double ch3_image_work(int nlayers, const int *sizes)
{
    static const double notes_net = 784.0 * 128 + 128.0 * 64 + 64.0 * 10;   /* multiply-adds */
    double madds = 0;
    for (int l = 0; l < nlayers; l++)
        madds += (double)sizes[l] * sizes[l + 1];
    return madds / notes_net;
}

double ch3_epoch_work(int nlayers, const int *sizes, int count, int batch)
{
    long nbatches = (count + batch - 1) / batch;
    return (double)nbatches * batch * ch3_image_work(nlayers, sizes);
}

double ch3_train_epoch(Ch3Net *n, Optimizer *o, const Mnist *d, const int *order, int count,
                       int batch, Rng *rng, Ch3Epoch *at, float *batch_loss)
{
    if (batch > n->bmax)
        die("batch of %d is larger than the network's buffers (%d)", batch, n->bmax);
    int nbatches = (count + batch - 1) / batch;
    int fast = ch3_fast_pays(batch);   /* several threads: mlp_fast.c takes the step */
    double running_loss = at->running_loss;        /* 0, or the batches taken before a resume */
    Progress bar;
    char label[32];
    snprintf(label, sizeof label, "Época %d/%d", at->epoch, at->epochs);
    /* a batch is worth `batch` images through this network's step (mlp.h) */
    progress_begin(&bar, label, nbatches, batch * ch3_image_work(n->nlayers, n->sizes));
    for (int k = at->batch; k < nbatches; k++) {   /* for images, labels in trainloader: */
        int B = (k == nbatches - 1) ? count - k * batch : batch;
        const int *idx = order + (size_t)k * batch;
        if (n->dropout > 0)
            ch3_draw_dropout_masks(n, B, rng);
        double loss = fast ? ch3_fast_step(n, o, d, idx, B) : ch3_step(n, o, d, idx, B);
        if (!isfinite(loss)) {
            progress_end(&bar);
            return NAN;
        }
        running_loss += loss;                      /* running_loss += loss.item() */
        if (batch_loss)
            batch_loss[k] = (float)loss;
        progress_update(&bar, k + 1, "pérdida %.4f", running_loss / (k + 1));
        ch3_after_batch(at, k + 1, running_loss);  /* Ctrl-C, checkpoints (resume.c) */
    }
    progress_end(&bar);
    return running_loss / nbatches;                /* running_loss / len(trainloader) */
}

static void print_epoch(const char *indent, int e, double loss)
{
    printf("%sÉpoca %d - Error: %.4f\n", indent, e, loss);
    fflush(stdout);
}

/* What a checkpoint of the run holds, for resume.c (its net, optimiser,
 * generator, order of the images and losses so far). */
static void hold_run_state(Ch3Run *run, Ch3Net *n, Optimizer *opt, Rng *rng, int *order,
                           int count, int batch, Ch3Training *t)
{
    run->net = n;
    run->opt = opt;
    run->rng = rng;
    run->order = order;
    run->count = count;
    run->batch = batch;
    run->per_epoch = batch ? (count + batch - 1) / batch : 0;
    run->t = t;
}

void ch3_train(Ch3Net *n, const char *opt_name, double lr, const Mnist *d, int epochs,
               int batch, int shuffle, Rng *rng, const char *indent, Ch3Run *run,
               Ch3Training *t)
{
    memset(t, 0, sizeof *t);
    if (epochs > CH3_MAX_EPOCHS)
        die("%d epochs: this chapter records at most %d", epochs, CH3_MAX_EPOCHS);
    Optimizer opt;                                 /* optim.Adam(model.parameters(), lr) */
    optim_init(&opt, opt_name, lr, n->p.n);
    int per_epoch = (d->n + batch - 1) / batch;
    t->batch_loss = xmalloc((size_t)epochs * per_epoch * sizeof(float) + 1);
    int *order = xmalloc((size_t)(d->n > 0 ? d->n : 1) * sizeof(int));
    for (int i = 0; i < d->n; i++)
        order[i] = i;
    Ch3Run unnamed = {.what = "el entrenamiento"};
    if (!run)
        run = &unnamed;
    hold_run_state(run, n, &opt, rng, order, d->n, batch, t);
    Ch3Epoch at = {.epoch = 1, .epochs = epochs, .run = run};
    ch3_resume_run(run, &at);                      /* --resume: where the checkpoint stopped */
    for (int e = 1; e <= t->epochs; e++)           /* (the epochs it had finished) */
        print_epoch(indent, e, t->epoch_loss[e - 1]);
    for (int e = at.epoch; e <= epochs; e++) {     /* for epoch in range(epochs): */
        at.epoch = e;
        float *bl = t->batch_loss + (size_t)(e - 1) * per_epoch;
        if (at.batch == 0) {                       /* a new epoch, not one resumed halfway */
            if (shuffle)
                rng_shuffle(rng, order, d->n);     /* DataLoader(shuffle=True) */
            for (int k = 0; k < per_epoch; k++)
                bl[k] = NAN;                       /* a batch not reached stays NaN */
        }
        double t0 = now_seconds();
        double loss = ch3_train_epoch(n, &opt, d, order, d->n, batch, rng, &at, bl);
        t->train_seconds += now_seconds() - t0;
        if (!isfinite(loss)) {
            t->diverged = 1;
            t->diverged_epoch = e;
            int k = 0;                             /* keep the batches before the NaN */
            while (k < per_epoch && isfinite(bl[k]))
                k++;
            t->diverged_batch = k + 1;
            t->nbatch_loss += k;
            break;
        }
        t->nbatch_loss += per_epoch;
        t->epoch_loss[e - 1] = loss;
        t->epochs = e;
        print_epoch(indent, e, loss);
        ch3_end_of_epoch(&at);                     /* the main run's checkpoint (resume.c) */
        at.batch = 0;
        at.running_loss = 0;
    }
    hold_run_state(run, NULL, NULL, NULL, NULL, 0, 0, NULL);   /* opt and order end here */
    optim_free(&opt);
    free(order);
}

/* --- inference ------------------------------------------------------------------------ */

double ch3_guess_rows(const Ch3Net *n, Ch3Pass *w, const Mnist *d, const int *idx, int B,
                      unsigned char *pred, long *correct, int with_loss)
{
    int L = n->nlayers, C = n->sizes[L];
    mnist_gather(d, idx, B, w->x, w->y);
    ch3_forward(n, w, B, 0);
    /* The guess is the largest output. Softmax and sigmoid keep the order of
     * the logits, so without a loss to report the logits are enough (what a
     * PyTorch model(x) returns too): no exp per class. */
    const real *scores = w->z[L - 1];
    double loss = 0;
    if (with_loss) {
        loss = ch3_loss(n, w, B) * B;
        scores = w->a[L - 1];
    }
    for (int i = 0; i < B; i++) {
        int guess = argmax_real(scores + (size_t)i * C, C);
        *correct += guess == w->y[i];
        if (pred)
            pred[i] = (unsigned char)guess;
    }
    return loss;
}

double ch3_evaluate_batches(Ch3Net *n, const Mnist *d, const int *order, int count, int batch,
                            unsigned char *pred, double *mean_loss)
{
    if (batch > n->bmax)
        die("evaluation batch of %d is larger than the network's buffers (%d)", batch, n->bmax);
    int *idx = xmalloc((size_t)(count > 0 ? count : 1) * sizeof(int));
    for (int i = 0; i < count; i++)
        idx[i] = order ? order[i] : i;
    int with_loss = mean_loss != NULL;
    int fast = ch3_fast_pays(count < batch ? count : batch);
    long correct = 0;
    double loss = 0;
    for (int start = 0; start < count; start += batch) {
        int B = count - start < batch ? count - start : batch;
        unsigned char *p = pred ? pred + start : NULL;
        loss += fast ? ch3_fast_guess(n, d, idx + start, B, p, &correct, with_loss)
                     : ch3_guess_rows(n, &n->pass, d, idx + start, B, p, &correct, with_loss);
    }
    free(idx);
    if (mean_loss)
        *mean_loss = count ? loss / count : 0;
    return count ? (double)correct / count : 0;
}

double ch3_evaluate(Ch3Net *n, const Mnist *d, const int *order, int count,
                    unsigned char *pred, double *mean_loss)
{
    return ch3_evaluate_batches(n, d, order, count, n->bmax, pred, mean_loss);
}
