/* cnn.c — THE network of notes §4, as the notes write it (see cnn.h).
 *
 * The notes' PyTorch code, whose lines appear above the calls below:
 *
 *     def forward(self, x):
 *         x = self.pool(F.relu(self.conv1(x)))
 *         x = self.pool(F.relu(self.conv2(x)))
 *         x = x.view(-1, 5 * 5 * 64)
 *         x = F.relu(self.fc1(x))
 *         x = self.fc2(x)
 *         return F.log_softmax(x, dim=1)
 *
 * and the training loop of notes §3.4 (criterion = nn.NLLLoss(),
 * optimizer = optim.Adam(...)): zero_grad, forward, loss, backward, step.
 *
 * Every tensor is NCHW, (images, channels, rows, columns), as in PyTorch;
 * each layer is a plain function (conv.h, nn.h, the activation table of
 * activations.h) whose loops a debugger can walk through. */
#include "cnn.h"
#include "activations.h"
#include "conv.h"
#include "safetensors.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* ========================================================================= */
/* The parameters (NetCNN.__init__)                                           */
/* ========================================================================= */
void cnn_init(CnnNet *net, Rng *rng)
{
    memset(net, 0, sizeof *net);
    params_init(&net->p, 32 * 1 * 3 * 3 + 32 + 64 * 32 * 3 * 3 + 64 + 128 * 1600 + 128 +
                             10 * 128 + 10);
    /* self.conv1 = nn.Conv2d(1, 32, kernel_size=3): 32 filters of 1 × 3 × 3 */
    net->conv1.weight = params_take(&net->p, 32 * 1 * 3 * 3, &net->grad.conv1.weight);
    net->conv1.bias = params_take(&net->p, 32, &net->grad.conv1.bias);
    /* self.conv2 = nn.Conv2d(32, 64, kernel_size=3): 64 filters of 32 × 3 × 3 */
    net->conv2.weight = params_take(&net->p, 64 * 32 * 3 * 3, &net->grad.conv2.weight);
    net->conv2.bias = params_take(&net->p, 64, &net->grad.conv2.bias);
    /* self.fc1 = nn.Linear(5 * 5 * 64, 128): weight (128, 1600), PyTorch's layout */
    net->fc1.weight = params_take(&net->p, 128 * 1600, &net->grad.fc1.weight);
    net->fc1.bias = params_take(&net->p, 128, &net->grad.fc1.bias);
    /* self.fc2 = nn.Linear(128, 10) */
    net->fc2.weight = params_take(&net->p, 10 * 128, &net->grad.fc2.weight);
    net->fc2.bias = params_take(&net->p, 10, &net->grad.fc2.bias);
    /* PyTorch's default for Conv2d and Linear: U(−1/√fan_in, 1/√fan_in) for
     * weights and biases alike (kaiming_uniform_ with a = √5); fan_in is what
     * one output sees: 1·3·3, 32·3·3, 1600, 128. The notes ran PyTorch with
     * its defaults, so this is the start their losses come from. */
    init_pytorch_linear(net->conv1.weight, 32 * 9, 9, rng);
    init_pytorch_linear(net->conv1.bias, 32, 9, rng);
    init_pytorch_linear(net->conv2.weight, 64 * 288, 288, rng);
    init_pytorch_linear(net->conv2.bias, 64, 288, rng);
    init_pytorch_linear(net->fc1.weight, 128 * 1600, 1600, rng);
    init_pytorch_linear(net->fc1.bias, 128, 1600, rng);
    init_pytorch_linear(net->fc2.weight, 10 * 128, 128, rng);
    init_pytorch_linear(net->fc2.bias, 10, 128, rng);
}

void cnn_free(CnnNet *net)
{
    params_free(&net->p);
    memset(net, 0, sizeof *net);
}

CnnTensors cnn_tensors_in(const CnnNet *net, real *array)
{
    const real *base = net->p.values;
#define AT(t) (array + (net->t - base))
    CnnTensors t = {{AT(conv1.weight), AT(conv1.bias)}, {AT(conv2.weight), AT(conv2.bias)},
                    {AT(fc1.weight), AT(fc1.bias)}, {AT(fc2.weight), AT(fc2.bias)}};
#undef AT
    return t;
}

static real *reals(size_t n)
{
    return xcalloc(n, sizeof(real));
}

void cnn_acts_init(CnnActs *a, int max_b)
{
    memset(a, 0, sizeof *a);
    size_t B = (size_t)max_b;
    a->max_b = max_b;
    a->x = reals(B * 784);
    real **maps1[] = {&a->z1, &a->a1, &a->d_z1, &a->d_a1};       /* (B, 32, 26, 26) */
    real **maps2[] = {&a->z2, &a->a2, &a->d_z2, &a->d_a2};       /* (B, 64, 11, 11) */
    for (int i = 0; i < 4; i++) {
        *maps1[i] = reals(B * 32 * 26 * 26);
        *maps2[i] = reals(B * 64 * 11 * 11);
    }
    a->p1 = reals(B * 32 * 13 * 13);
    a->d_p1 = reals(B * 32 * 13 * 13);
    a->p2 = reals(B * 1600);
    a->d_p2 = reals(B * 1600);
    real **dense[] = {&a->z3, &a->a3, &a->h3, &a->d_z3, &a->d_a3, &a->d_h3};
    for (int i = 0; i < 6; i++)
        *dense[i] = reals(B * 128);
    real **out[] = {&a->logits, &a->logp, &a->probs, &a->d_logits};
    for (int i = 0; i < 4; i++)
        *out[i] = reals(B * 10);
}

void cnn_acts_free(CnnActs *a)
{
    real *all[] = {a->x,    a->z1,     a->a1,    a->p1,    a->z2,     a->a2,
                   a->p2,   a->z3,     a->a3,    a->h3,    a->logits, a->logp,
                   a->probs, a->d_z1,  a->d_a1,  a->d_p1,  a->d_z2,   a->d_a2,
                   a->d_p2, a->d_z3,   a->d_a3,  a->d_h3,  a->d_logits};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(all[i]);
    memset(a, 0, sizeof *a);
}

/* The geometry of each layer for a batch of B (notes §4.2). */
static ConvGeom conv1_geom(int B) { return conv_geom(B, 1, 28, 28, 32, 3, 1, 0); }
static ConvGeom conv2_geom(int B) { return conv_geom(B, 32, 13, 13, 64, 3, 1, 0); }
static PoolGeom pool1_geom(int B) { return pool_geom(B * 32, 26, 26, 2, 2, 0); }
static PoolGeom pool2_geom(int B) { return pool_geom(B * 64, 11, 11, 2, 2, 0); }

static void zero(real *a, size_t n)
{
    memset(a, 0, sizeof(real) * n);
}

/* ========================================================================= */
/* Forward: NetCNN.forward, the stops of notes §4.2                           */
/* ========================================================================= */
void cnn_forward(const CnnNet *net, CnnActs *a, int B, const real *dropout_mask)
{
    if (B < 1 || B > a->max_b)
        die("cnn_forward: a batch of %d images, the activations hold %d", B, a->max_b);
    const Activation *relu = activation_find("relu");
    ConvGeom conv1 = conv1_geom(B), conv2 = conv2_geom(B);
    PoolGeom pool1 = pool1_geom(B), pool2 = pool2_geom(B);
    const size_t n1 = (size_t)B * 32 * 26 * 26, n2 = (size_t)B * 64 * 11 * 11,
                 n3 = (size_t)B * 128;

    /* x = self.pool(F.relu(self.conv1(x))) */
    conv2d_forward(a->z1, a->x, net->conv1.weight, net->conv1.bias, &conv1); /* (B,1,28,28) → (B,32,26,26) */
    activation_forward(relu, a->a1, a->z1, n1);                              /* (B,32,26,26) */
    maxpool_forward(a->p1, a->a1, &pool1);                                   /* → (B,32,13,13) */

    /* x = self.pool(F.relu(self.conv2(x))) */
    conv2d_forward(a->z2, a->p1, net->conv2.weight, net->conv2.bias, &conv2); /* → (B,64,11,11) */
    activation_forward(relu, a->a2, a->z2, n2);                               /* (B,64,11,11) */
    maxpool_forward(a->p2, a->a2, &pool2);                                    /* → (B,64,5,5): 11/2 rounds down */

    /* x = x.view(-1, 5 * 5 * 64)
     * In NCHW each image's 64 maps of 5 × 5 already lie one after the other,
     * channel after channel, row after row: p2 IS the (B, 1600) matrix, and
     * the view costs nothing. */
    const real *flat = a->p2;                                                 /* (B,1600) */

    /* x = F.relu(self.fc1(x)) */
    dense_forward(a->z3, flat, net->fc1.weight, net->fc1.bias, B, 1600, 128); /* (B,128) */
    activation_forward(relu, a->a3, a->z3, n3);                               /* (B,128) */
    /* (§4.3) dropout while training, when asked: x = F.dropout(x, p) */
    const real *h = a->a3;
    if (dropout_mask) {
        dropout_forward(a->h3, a->a3, dropout_mask, n3);                      /* (B,128) */
        h = a->h3;
    }

    /* x = self.fc2(x) */
    dense_forward(a->logits, h, net->fc2.weight, net->fc2.bias, B, 128, 10);  /* (B,10) */

    /* return F.log_softmax(x, dim=1) */
    log_softmax_rows(a->logp, a->logits, B, 10);                              /* (B,10) */
}

double cnn_loss(const CnnActs *a, int B, const unsigned char *labels)
{
    /* criterion = nn.NLLLoss(): −(1/B) Σ_b logp[b, label_b] */
    double sum = 0;
    for (int b = 0; b < B; b++)
        sum -= a->logp[b * 10 + labels[b]];
    return sum / B;
}

void cnn_loss_backward(CnnActs *a, int B, const unsigned char *labels)
{
    /* ∂ NLL(log_softmax(z)) / ∂z = softmax(z) − one-hot: the notes'
     * "prediction − truth" (§3.2), divided by B because the loss is a mean. */
    softmax_rows(a->probs, a->logits, B, 10);
    zero(a->d_logits, (size_t)B * 10);
    softmax_cross_entropy_backward(a->d_logits, a->probs, labels, B, 10);
}

/* ========================================================================= */
/* Backward: the same stops in reverse (the chain rule, notes §2.2 and §3.3)  */
/* ========================================================================= */
void cnn_backward(CnnNet *net, CnnActs *a, int B, const real *dropout_mask, real *dx)
{
    const Activation *relu = activation_find("relu");
    ConvGeom conv1 = conv1_geom(B), conv2 = conv2_geom(B);
    PoolGeom pool1 = pool1_geom(B), pool2 = pool2_geom(B);
    const size_t n1 = (size_t)B * 32 * 26 * 26, q1 = (size_t)B * 32 * 13 * 13,
                 n2 = (size_t)B * 64 * 11 * 11, n3 = (size_t)B * 128;
    CnnTensors *g = &net->grad;

    /* x = self.fc2(x):  dW += d_logitsᵀ·h,  db += Σ d_logits,  d_h = d_logits·W */
    const real *h = dropout_mask ? a->h3 : a->a3;
    zero(a->d_h3, n3);
    dense_backward(a->d_h3, g->fc2.weight, g->fc2.bias, a->d_logits, h, net->fc2.weight, B,
                   128, 10);                                                  /* (B,10) → (B,128) */
    /* dropout: a unit it switched off passes no gradient back */
    real *d_a3 = a->d_h3;
    if (dropout_mask) {
        zero(a->d_a3, n3);
        dropout_backward(a->d_a3, a->d_h3, dropout_mask, n3);
        d_a3 = a->d_a3;
    }

    /* x = F.relu(self.fc1(x)):  ReLU'(z) = 1 where z > 0, else 0 */
    zero(a->d_z3, n3);
    activation_backward(relu, a->d_z3, a->z3, d_a3, n3);                      /* (B,128) */
    zero(a->d_p2, (size_t)B * 1600);
    dense_backward(a->d_p2, g->fc1.weight, g->fc1.bias, a->d_z3, a->p2, net->fc1.weight, B,
                   1600, 128);                                                /* → (B,1600) */

    /* x = x.view(-1, 5 * 5 * 64): d_p2 is the same bytes as (B,64,5,5) */

    /* x = self.pool(F.relu(self.conv2(x))), backwards: pool, ReLU, conv2 */
    zero(a->d_a2, n2);
    maxpool_backward(a->d_a2, a->d_p2, a->a2, &pool2);       /* (B,64,5,5) → (B,64,11,11), to each winner */
    zero(a->d_z2, n2);
    activation_backward(relu, a->d_z2, a->z2, a->d_a2, n2);                   /* (B,64,11,11) */
    zero(a->d_p1, q1);
    conv2d_backward(a->d_p1, g->conv2.weight, g->conv2.bias, a->d_z2, a->p1,
                    net->conv2.weight, &conv2);                               /* → (B,32,13,13) */

    /* x = self.pool(F.relu(self.conv1(x))), backwards */
    zero(a->d_a1, n1);
    maxpool_backward(a->d_a1, a->d_p1, a->a1, &pool1);                        /* → (B,32,26,26) */
    zero(a->d_z1, n1);
    activation_backward(relu, a->d_z1, a->z1, a->d_a1, n1);                   /* (B,32,26,26) */
    conv2d_backward(dx, g->conv1.weight, g->conv1.bias, a->d_z1, a->x, net->conv1.weight,
                    &conv1);                           /* the image's gradient only when asked */
}

/* ========================================================================= */
/* One step of the training loop (notes §3.4)                                 */
/* ========================================================================= */
double cnn_train_step(CnnNet *net, CnnActs *a, int B, const unsigned char *labels,
                      const real *dropout_mask, Optimizer *opt)
{
    params_zero_grads(&net->p);                  /* optimizer.zero_grad() */
    cnn_forward(net, a, B, dropout_mask);        /* outputs = model(images) */
    double loss = cnn_loss(a, B, labels);        /* loss = criterion(outputs, labels) */
    cnn_loss_backward(a, B, labels);             /* loss.backward() */
    cnn_backward(net, a, B, dropout_mask, NULL);
    if (opt)                                     /* optimizer.step() (NULL: gradients only) */
        optim_step(opt, net->p.values, net->p.grads);
    return loss;
}

void cnn_predict(const CnnNet *net, CnnActs *a, const Mnist *m, int first, int n,
                 unsigned char *pred)
{
    int *idx = xmalloc(sizeof(int) * (size_t)a->max_b);
    for (int start = 0; start < n; start += a->max_b) {
        int B = n - start < a->max_b ? n - start : a->max_b;
        for (int b = 0; b < B; b++)
            idx[b] = first + start + b;
        mnist_gather(m, idx, B, a->x, NULL);
        cnn_forward(net, a, B, NULL);
        for (int b = 0; b < B; b++)
            pred[start + b] = (unsigned char)argmax_real(a->logits + b * 10, 10);
    }
    free(idx);
}

/* ========================================================================= */
/* The model file: safetensors, PyTorch's names (load_state_dict reads it)    */
/* ========================================================================= */
void cnn_model_tensors(const CnnNet *net, StTensor t[CNN_TENSORS])
{
    StTensor specs[CNN_TENSORS] = {
        {.name = "conv1.weight", .ndim = 4, .shape = {32, 1, 3, 3}, .data = net->conv1.weight},
        {.name = "conv1.bias", .ndim = 1, .shape = {32}, .data = net->conv1.bias},
        {.name = "conv2.weight", .ndim = 4, .shape = {64, 32, 3, 3}, .data = net->conv2.weight},
        {.name = "conv2.bias", .ndim = 1, .shape = {64}, .data = net->conv2.bias},
        {.name = "fc1.weight", .ndim = 2, .shape = {128, 1600}, .data = net->fc1.weight},
        {.name = "fc1.bias", .ndim = 1, .shape = {128}, .data = net->fc1.bias},
        {.name = "fc2.weight", .ndim = 2, .shape = {10, 128}, .data = net->fc2.weight},
        {.name = "fc2.bias", .ndim = 1, .shape = {10}, .data = net->fc2.bias},
    };
    memcpy(t, specs, sizeof specs);
}

void cnn_save(const CnnNet *net, const char *path)
{
    StTensor t[CNN_TENSORS];
    cnn_model_tensors(net, t);
    st_save(path, t, CNN_TENSORS);
}

int cnn_load(CnnNet *net, const char *path, char *err, size_t errlen)
{
    StTensor t[CNN_TENSORS];
    cnn_model_tensors(net, t);
    return st_load(path, t, CNN_TENSORS, err, errlen);
}
