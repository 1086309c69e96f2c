/* conv.h — the layers of a convolutional network (chapter 4, notes §4) as
 * plain loops: 2-D convolution, max pooling and average pooling, each a
 * forward/backward pair.
 *
 * What this is: the reference. Every layer is the nested loops of notes
 * §4.1 — put the 3×3 filter on the image, multiply pixel by weight, add the
 * nine products and the bias, move on — written so that a student can follow
 * it line by line in a debugger. Images are (B, C, H, W): image after image,
 * channel after channel, row after row (PyTorch's NCHW order).
 * What it is not: fast. The same layers made fast (im2col + one matrix
 * product per layer, vector code) are in conv_fast.h, and the tests hold
 * them to these loops (tests/test_ch4.c, tests/test_ch4_grad.c).
 * Not general either: no dilation, no groups, square kernels only.
 *
 * Sizes (002 §3.2): a window of k with stride s and padding p over n pixels
 * gives floor((n + 2p − k) / s) + 1 outputs — rounding DOWN, as PyTorch does
 * (notes §4.2: 11 → 5 after a 2×2 pooling).
 *
 * Backward passes ACCUMULATE (+=) into dx, dW, db, like nn.h; a NULL dx means
 * the input gradient is not needed (the first layer's input is the image).
 * Values are `real` (float; double in the -DREAL_F64 gradient-check builds). */
#ifndef CONV_H
#define CONV_H

#include "real.h"

/* floor((n + 2·pad − k) / stride) + 1; 0 when the window does not fit. */
int conv_out_size(int n, int k, int stride, int pad);

/* --- convolution ----------------------------------------------------------- */
typedef struct {
    int B, cin, h, w;        /* input: B images of cin channels, h × w */
    int cout, k, stride, pad;/* cout filters of cin × k × k */
    int ho, wo;              /* output size (conv_out_size) */
} ConvGeom;

/* Fills a ConvGeom; dies with one line if the kernel does not fit. */
ConvGeom conv_geom(int B, int cin, int h, int w, int cout, int k, int stride, int pad);

/* x (B, cin, h, w), W (cout, cin, k, k), b (cout) -> y (B, cout, ho, wo):
 *   y[n,o,i,j] = b[o] + Σ_c Σ_ky Σ_kx W[o,c,ky,kx] · x[n, c, i·s − p + ky, j·s − p + kx]
 * (pixels outside the image count as 0: that is the padding). This is a
 * cross-correlation — the filter is not flipped — which is what every deep
 * learning library calls "convolution" (notes §4.1). */
void conv2d_forward(real *y, const real *x, const real *W, const real *b, const ConvGeom *g);
/* dW += Σ dy·x, db += Σ dy, dx += Σ dy·W (dx may be NULL), over the same
 * index triples as the forward pass. */
void conv2d_backward(real *dx, real *dW, real *db, const real *dy, const real *x,
                     const real *W, const ConvGeom *g);

/* --- pooling (002 §3.1, Figs 3.7–3.9) --------------------------------------- */
/* Pooling works plane by plane (one channel of one image), so the same loops
 * serve any layout that keeps each plane whole: `planes` = B·C. */
typedef struct {
    int planes, h, w;        /* planes of h × w */
    int k, stride, pad;      /* k × k windows */
    int ho, wo;
} PoolGeom;

/* Dies with one line if the window does not fit or pad > k/2 (PyTorch's rule:
 * a window must always see at least one real pixel). */
PoolGeom pool_geom(int planes, int h, int w, int k, int stride, int pad);

/* Max pooling: y = the largest value in each window; padding counts as −∞
 * (it never wins). On ties the first (in reading order) wins, as in PyTorch.
 * The backward pass looks for each window's winner again and hands it the
 * window's gradient: dx += dy at the winner, nothing elsewhere. */
void maxpool_forward(real *y, const real *x, const PoolGeom *g);
void maxpool_backward(real *dx, const real *dy, const real *x, const PoolGeom *g);

/* Average pooling: y = the mean of the k·k window, padding counted as zeros
 * in the k·k (PyTorch's default, count_include_pad=True). */
void avgpool_forward(real *y, const real *x, const PoolGeom *g);
void avgpool_backward(real *dx, const real *dy, const PoolGeom *g);

#endif
