/* cnn.h — THE network of notes §4, the notes' PyTorch NetCNN, in C.
 *
 *     class NetCNN(nn.Module):
 *         conv1 = nn.Conv2d(1, 32, kernel_size=3)       x (B, 1, 28, 28)
 *         conv2 = nn.Conv2d(32, 64, kernel_size=3)      conv1 → (B, 32, 26, 26)   28 − 3 + 1
 *         pool  = nn.MaxPool2d(2, 2)                    pool  → (B, 32, 13, 13)   26 / 2
 *         fc1   = nn.Linear(5 * 5 * 64, 128)            conv2 → (B, 64, 11, 11)   13 − 3 + 1
 *         fc2   = nn.Linear(128, 10)                    pool  → (B, 64, 5, 5)     11 / 2 = 5.5 → 5
 *                                                       view  → (B, 1600)         64·5·5
 *                                                       fc1   → (B, 128), fc2 → (B, 10)
 *
 * What this is: the network as the notes write it — NCHW tensors, the
 * layers called in the order of the notes' forward(), each with the notes'
 * line above it and the tensor's shape beside it, and the backward pass as
 * the same stops in reverse; the layers are the plain loops of conv.h, the
 * activation table's ReLU, the dense layers of nn.h. This is the code a
 * student steps through, and what `ch4 --plain` trains and evaluates with
 * (with gemm_use_plain_loops(1), down to the last multiplication).
 * What it is not: fast. cnn_fast.h is the same network made fast, and the
 * tests hold it to this one.
 *
 * All parameters live in one Params store (nn.h) with PyTorch's names, so
 * net->conv1.weight is the state_dict's "conv1.weight", and the model file
 * (safetensors) loads into PyTorch as it is. */
#ifndef CH4_CNN_H
#define CH4_CNN_H

#include <stddef.h>

#include "mnist.h"
#include "nn.h"
#include "optim.h"
#include "real.h"
#include "rng.h"
#include "safetensors.h"

/* The stops of notes §4.2. */
#define CNN_SIDE 28                  /* input 28 × 28, one channel */
#define CNN_PIXELS (CNN_SIDE * CNN_SIDE)
#define CNN_C1 32                    /* conv1's filters */
#define CNN_S1 26                    /* conv1's maps: 28 − 3 + 1 */
#define CNN_Q1 13                    /* after pool1: 26 / 2 */
#define CNN_C2 64                    /* conv2's filters */
#define CNN_S2 11                    /* conv2's maps: 13 − 3 + 1 */
#define CNN_Q2 5                     /* after pool2: 11 / 2 rounded down */
#define CNN_FLAT (CNN_C2 * CNN_Q2 * CNN_Q2) /* 1600 (the notes' "5564", errata) */
#define CNN_HIDDEN 128
#define CNN_CLASSES 10

/* One layer's tensors, as PyTorch names them. */
typedef struct {
    real *weight, *bias;
} CnnLayer;

/* The four layers, pointing into an array laid out like the Params store:
 *   conv1.weight (32, 1, 3, 3)   conv1.bias (32)
 *   conv2.weight (64, 32, 3, 3)  conv2.bias (64)
 *   fc1.weight (128, 1600)       fc1.bias (128)
 *   fc2.weight (10, 128)         fc2.bias (10)                225 034 values */
typedef struct {
    CnnLayer conv1, conv2, fc1, fc2;
} CnnTensors;

typedef struct {
    Params p;                          /* every value, and its gradient, in one store */
    CnnLayer conv1, conv2, fc1, fc2;   /* the values: net->conv1.weight, ... */
    CnnTensors grad;                   /* their gradients: net->grad.conv1.weight, ... */
} CnnNet;

/* Allocates the store and draws PyTorch's default initialisation: every
 * weight and bias of a layer from U(−1/√fan_in, 1/√fan_in), fan_in = 9,
 * 288, 1600, 128 (Kaiming-uniform with a = √5), layer after layer. */
void cnn_init(CnnNet *net, Rng *rng);
void cnn_free(CnnNet *net);

/* The same layout in another array of p.n values (a thread's own gradients). */
CnnTensors cnn_tensors_in(const CnnNet *net, real *array);

/* Every stop of the forward pass for batches of up to max_b images, and the
 * gradient at each (d_ = ∂loss/∂ that tensor). */
typedef struct {
    int max_b;
    real *x;            /* (B, 1, 28, 28)  the images, pixels / 255 */
    real *z1, *a1;      /* (B, 32, 26, 26) conv1(x), F.relu of it */
    real *p1;           /* (B, 32, 13, 13) self.pool */
    real *z2, *a2;      /* (B, 64, 11, 11) conv2, F.relu */
    real *p2;           /* (B, 64, 5, 5)   self.pool — and x.view(-1, 1600): the same bytes */
    real *z3, *a3;      /* (B, 128)        fc1, F.relu */
    real *h3;           /* (B, 128)        after dropout (a3 itself when there is none) */
    real *logits;       /* (B, 10)         fc2 */
    real *logp;         /* (B, 10)         F.log_softmax(x, dim=1): what forward() returns */
    real *probs;        /* (B, 10)         softmax, for the loss's gradient */
    real *d_z1, *d_a1, *d_p1, *d_z2, *d_a2, *d_p2, *d_z3, *d_a3, *d_h3, *d_logits;
} CnnActs;

void cnn_acts_init(CnnActs *a, int max_b);
void cnn_acts_free(CnnActs *a);

/* model(images): the B images in a->x, through the network. dropout_mask
 * (B, 128) from dropout_make_mask() while training with dropout, else NULL.
 * Leaves every stop in a (logits, logp, ...). */
void cnn_forward(const CnnNet *net, CnnActs *a, int B, const real *dropout_mask);

/* criterion(output, labels): nn.NLLLoss of the log-probabilities, the mean
 * over the batch of −logp[label]. */
double cnn_loss(const CnnActs *a, int B, const unsigned char *labels);
/* Its gradient at the logits: d_logits = (softmax − one-hot) / B. */
void cnn_loss_backward(CnnActs *a, int B, const unsigned char *labels);

/* loss.backward() from a->d_logits: every parameter's gradient ADDED to
 * net->grad (zero them first), the gradient of every stop left in a.
 * dx (B, 784), when not NULL, receives (+=) the gradient at the image
 * (training does not need it; the saliency maps do). dropout_mask must be
 * the forward's. */
void cnn_backward(CnnNet *net, CnnActs *a, int B, const real *dropout_mask, real *dx);

/* One step of the notes' training loop on the B images in a->x:
 * optimizer.zero_grad(), outputs = model(images), loss = criterion(...),
 * loss.backward(), optimizer.step(). Returns the loss (the batch mean). */
double cnn_train_step(CnnNet *net, CnnActs *a, int B, const unsigned char *labels,
                      const real *dropout_mask, Optimizer *opt);

/* The predicted class (the largest of the 10 scores) of the n images
 * first .. first + n − 1 of m, a->max_b at a time. */
void cnn_predict(const CnnNet *net, CnnActs *a, const Mnist *m, int first, int n,
                 unsigned char *pred);

/* safetensors with PyTorch's names and shapes (conv1.weight (32, 1, 3, 3), …):
 * bench/torch_load_ch4.py loads it into the notes' NetCNN. */
void cnn_save(const CnnNet *net, const char *path);
/* The same eight tensors, pointing into net, for a file of one's own (the
 * checkpoint, resume.h). */
#define CNN_TENSORS 8
void cnn_model_tensors(const CnnNet *net, StTensor t[CNN_TENSORS]);
int cnn_load(CnnNet *net, const char *path, char *err, size_t errlen);

#endif
