/* losses.h — the loss functions of the notes, in double precision, for the
 * worked examples and the small networks. (The MNIST chapters have their own
 * batched float versions beside their layers.) */
#ifndef LOSSES_H
#define LOSSES_H

/* Mean squared error: (1/n) Σ (y − ŷ)². */
double mse(const double *y, const double *y_hat, int n);

/* Softmax in place, shifted by the maximum so exp never overflows. */
void softmax(double *z, int n);

/* Cross-entropy of a probability vector ŷ against the class `label`:
 * L = −ln ŷ[label] (notes §3.2). A probability of exactly 0 would give
 * +inf; it is clamped to 1e-12 and the result stays finite. */
double cross_entropy(const double *y_hat, int n, int label);

/* Gradient of softmax + cross-entropy with respect to the logits:
 * ∂L/∂z = ŷ − y, with y the one-hot vector of `label` (notes §3.2). */
void cross_entropy_softmax_grad(double *grad, const double *y_hat, int n, int label);

#endif
