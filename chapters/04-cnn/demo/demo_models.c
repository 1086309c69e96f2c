/* demo_models.c — the two networks loaded once and run on one image per request
 * (see demo_models.h): chapter 3's MLP and chapter 4's CNN, with the CNN's first
 * feature maps and a saliency map for its guess.
 *
 * Many requests at once. The weights are loaded once and only ever read. What a
 * request writes — its activations, and for the saliency the backward pass's
 * gradients — is its own, allocated for it and freed after it: cnn_backward
 * ADDS every parameter's gradient into net->grad, so the saliency runs it on a
 * copy of the network's handle whose gradient pointers lead into an array of
 * the request's own (900 KB). A mutex around the backward pass would have done
 * too, but it would make every request wait for the one before it on a machine
 * with cores to spare; the copy costs one allocation, and nothing shared is
 * written at all. */
#include "demo_models.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../03-mnist-mlp/mlp.h"
#include "../cnn.h"
#include "activations.h"
#include "gemm.h"
#include "nn.h"
#include "rng.h"
#include "safetensors.h"
#include "util.h"

struct DemoModels {
    Ch3Net mlp;         /* chapter 3: fc1 (128, 784), fc2 (64, 128), fc3 (10, 64), ReLU */
    CnnNet cnn;         /* chapter 4: conv1, conv2, fc1, fc2 (cnn.h) */
};

/* --- loading ------------------------------------------------------------------------ */

/* 1 when every value of the store is a finite number: a model file whose
 * training diverged loads fine and would answer NaN to every drawing. */
static int all_finite(const Params *p)
{
    for (size_t i = 0; i < p->n; i++)
        if (!isfinite(p->values[i]))
            return 0;
    return 1;
}

/* Chapter 3's file, as its main.c (save_model) writes it: fc1.weight (128, 784),
 * fc1.bias (128), fc2.weight (64, 128), ..., fc3.bias (10) — nn.Linear's names
 * and layout, the layout Ch3Net keeps too. */
static int load_mlp(Ch3Net *n, const char *path, char *err, size_t errlen)
{
    static const int sizes[4] = {784, 128, 64, 10};
    Rng rng;
    rng_seed(&rng, 1);   /* the starting weights are overwritten at once */
    ch3_net_init(n, 3, sizes, activation_find("relu"), CH3_SOFTMAX_CE, CH3_INIT_PYTORCH, 1,
                 &rng);
    StTensor t[6] = {
        {.name = "fc1.weight", .ndim = 2, .shape = {128, 784}, .data = n->W[0]},
        {.name = "fc1.bias", .ndim = 1, .shape = {128}, .data = n->b[0]},
        {.name = "fc2.weight", .ndim = 2, .shape = {64, 128}, .data = n->W[1]},
        {.name = "fc2.bias", .ndim = 1, .shape = {64}, .data = n->b[1]},
        {.name = "fc3.weight", .ndim = 2, .shape = {10, 64}, .data = n->W[2]},
        {.name = "fc3.bias", .ndim = 1, .shape = {10}, .data = n->b[2]},
    };
    char why[512];
    if (st_load(path, t, 6, why, sizeof why) != 0) {
        snprintf(err, errlen, "no se pudo cargar el MLP del capítulo 3 (784–128–64–10): %s "
                 "(lo crea 'make chapter3')", why);
        return -1;
    }
    if (!all_finite(&n->p)) {
        snprintf(err, errlen, "%s: el MLP tiene pesos que no son números finitos "
                 "(un entrenamiento que divergió); vuelva a entrenarlo con 'make chapter3'", path);
        return -1;
    }
    return 0;
}

static int load_cnn(CnnNet *net, const char *path, char *err, size_t errlen)
{
    Rng rng;
    rng_seed(&rng, 1);
    cnn_init(net, &rng);
    char why[512];
    if (cnn_load(net, path, why, sizeof why) != 0) {
        snprintf(err, errlen, "no se pudo cargar la CNN del capítulo 4: %s (la crea 'make chapter4')",
                 why);
        return -1;
    }
    if (!all_finite(&net->p)) {
        snprintf(err, errlen, "%s: la CNN tiene pesos que no son números finitos "
                 "(un entrenamiento que divergió); vuelva a entrenarla con 'make chapter4'", path);
        return -1;
    }
    return 0;
}

DemoModels *demo_models_load(const char *mlp_path, const char *cnn_path, char *err, size_t errlen)
{
    DemoModels *m = xcalloc(1, sizeof *m);
    if (load_mlp(&m->mlp, mlp_path, err, errlen) != 0 ||
        load_cnn(&m->cnn, cnn_path, err, errlen) != 0) {
        demo_models_free(m);
        return NULL;
    }
    /* The readable code down to the last multiplication, as `ch4 --plain` runs
     * it: the dense layers' products in gemm_plain's loops rather than
     * OpenBLAS. For one image OpenBLAS buys next to nothing (the convolutions,
     * the bulk of the work, are conv.h's loops either way), and this keeps
     * OpenBLAS's own threads out of a server whose threads are its requests. */
    gemm_use_plain_loops(1);
    return m;
}

void demo_models_free(DemoModels *m)
{
    if (!m)
        return;
    if (m->mlp.p.values)
        ch3_net_free(&m->mlp);
    if (m->cnn.p.values)
        cnn_free(&m->cnn);
    free(m);
}

/* --- running them --------------------------------------------------------------------- */

static void guess_from_logits(const real *logits, DemoGuess *g)
{
    softmax_rows(g->probabilities, logits, 1, DEMO_CLASSES);
    g->guess = argmax_real(logits, DEMO_CLASSES);
}

void demo_mlp_run(const DemoModels *m, const real *x, DemoGuess *out)
{
    /* A pass of the request's own (one row), gradients included: nothing of the
     * shared network is written. */
    Ch3Pass w;
    ch3_pass_init(&w, &m->mlp, 1, NULL);
    memcpy(w.x, x, sizeof(real) * CH3_PIXELS);
    ch3_forward(&m->mlp, &w, 1, 0);                          /* outputs = model(images) */
    guess_from_logits(w.z[m->mlp.nlayers - 1], out);         /* Z3 (1, 10) */
    ch3_pass_free(&w);
}

/* Saliency: how much each pixel moves the log-probability of the guess g,
 * |∂ log p_g / ∂ x|, by the chain rule through the whole network — the
 * training's backward pass with another gradient at the top. There the loss
 * was −log p_label, here it is +log p_g: its gradient at the logits is
 * ∂ log p_g / ∂ z_k = [k = g] − p_k (softmax's, notes §3.2, with the sign
 * turned). */
static void saliency(const DemoModels *m, CnnActs *a, DemoCnnResult *out)
{
    const DemoGuess *g = &out->guess;
    for (int k = 0; k < DEMO_CLASSES; k++)
        a->d_logits[k] = (real)(k == g->guess) - g->probabilities[k];

    /* The same weights, the request's own gradients (see the top of the file). */
    CnnNet mine = m->cnn;
    real *grads = xcalloc(m->cnn.p.n, sizeof(real));
    mine.p.grads = grads;
    mine.grad = cnn_tensors_in(&m->cnn, grads);
    real dx[784] = {0};                                      /* cnn_backward adds into it */
    cnn_backward(&mine, a, 1, NULL, dx);
    free(grads);

    double largest = 0;
    for (int i = 0; i < 784; i++)
        largest = fmax(largest, fabs((double)dx[i]));
    out->saliency_scale = largest;
    for (int i = 0; i < 784; i++)
        out->saliency[i] = largest > 0 ? (real)(fabs((double)dx[i]) / largest) : 0;
}

void demo_cnn_run(const DemoModels *m, const real *x, DemoCnnResult *out)
{
    CnnActs a;                                               /* the request's own stops */
    cnn_acts_init(&a, 1);
    memcpy(a.x, x, sizeof(real) * CNN_PIXELS);
    cnn_forward(&m->cnn, &a, 1, NULL);                       /* (1,1,28,28) → (1,10) */
    guess_from_logits(a.logits, &out->guess);
    memcpy(out->maps, a.a1, sizeof(real) * DEMO_MAP_VALUES); /* F.relu(self.conv1(x)) */
    saliency(m, &a, out);
    cnn_acts_free(&a);
}
