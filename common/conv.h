/* conv.h — the layers of a convolutional network (chapter 4, notes §4):
 * 2-D convolution and max / average pooling, each a forward/backward pair.
 *
 * What this is: every layer twice.
 *   - The *_plain functions are the nested loops of notes §4.1 — put the
 *     3×3 filter on the image, multiply pixel by weight, add the nine
 *     products and the bias, move on — written so a student can follow them
 *     line by line. Images are (B, C, H, W): image after image, channel after
 *     channel, row after row (PyTorch's NCHW order).
 *   - The fast functions give the same numbers (tests/test_ch4_layers.c holds
 *     them to it) with im2col + one big matrix product per BATCH: every
 *     window of every image of the batch becomes one column of a matrix, and
 *     the whole layer is then W (cout, cin·k·k) · cols (cin·k·k, B·ho·wo),
 *     one call to cblas_sgemm (gemm.h). To make the product's answer already
 *     be the next layer's input, the fast path keeps activations as
 *     (C, B, H, W) — channel-major, "CBHW" — instead of (B, C, H, W).
 *     For one image, or one channel, the two orders are the same bytes.
 * What it is not: general (no dilation, no groups, square kernels only).
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

/* Plain loops, NCHW.  x (B, cin, h, w), W (cout, cin, k, k), b (cout),
 * y (B, cout, ho, wo):
 *   y[b,o,i,j] = b[o] + Σ_c Σ_ky Σ_kx W[o,c,ky,kx] · x[b, c, i·s − p + ky, j·s − p + kx]
 * (pixels outside the image count as 0: that is the padding). This is a
 * cross-correlation — the filter is not flipped — which is what every deep
 * learning library calls "convolution" (notes §4.1). */
void conv2d_forward_plain(real *y, const real *x, const real *W, const real *b,
                          const ConvGeom *g);
/* dW += Σ dy·x, db += Σ dy, dx += Σ dy·W over the same index triples. */
void conv2d_backward_plain(real *dx, real *dW, real *db, const real *dy,
                           const real *x, const real *W, const ConvGeom *g);

/* im2col, CBHW: x (cin, B, h, w) -> cols (cin·k·k, B·ho·wo). Row (c, ky, kx),
 * column (b, i, j) holds x[c, b, i·s − p + ky, j·s − p + kx] (0 outside). */
void im2col(real *cols, const real *x, const ConvGeom *g);
/* The adjoint: dx (cin, B, h, w) += every entry of dcols put back where
 * im2col took it from (pixels covered by several windows add up). */
void col2im(real *dx, const real *dcols, const ConvGeom *g);

/* Floats of workspace the fast functions need for cols (and for dcols). */
long conv_cols_size(const ConvGeom *g);

/* Fast, CBHW.  x (cin, B, h, w), W (cout, cin, k, k) — the same array as the
 * plain version's, y (cout, B, ho, wo). `cols` is workspace of
 * conv_cols_size() reals; forward leaves im2col(x) in it, and backward reads
 * it from there (so call them in pairs, with the same cols).
 * b = NULL (and db = NULL) leaves the bias out: a network that pools right
 * after the convolution can add it to the 4× smaller pooled map instead,
 * since max(y + b) = max(y) + b. */
void conv2d_forward(real *y, real *cols, const real *x, const real *W, const real *b,
                    const ConvGeom *g);
/* `dcols` is a second workspace of the same size (unused when dx is NULL). */
void conv2d_backward(real *dx, real *dW, real *db, const real *dy, const real *cols,
                     real *dcols, const real *W, const ConvGeom *g);

/* --- pooling (002 §3.1, Figs 3.7–3.9) --------------------------------------- */
/* Pooling works plane by plane (one channel of one image), so the same code
 * serves NCHW and CBHW: `planes` = B·C either way. */
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
 * maxpool_forward can remember in argmax (planes·ho·wo ints) where each
 * maximum came from, so that maxpool_backward is one scatter; with argmax
 * NULL it only takes the maxima (the network's 2×2 case is then a few vector
 * instructions). The plain versions look for the winner every time. */
void maxpool_forward_plain(real *y, const real *x, const PoolGeom *g);
void maxpool_backward_plain(real *dx, const real *dy, const real *x, const PoolGeom *g);
void maxpool_forward(real *y, int *argmax, const real *x, const PoolGeom *g);
void maxpool_backward(real *dx, const real *dy, const int *argmax, const PoolGeom *g);
/* Backward without argmax: the winner of each window is found again as the
 * first value of x equal to the window's maximum y (the forward's output).
 * dx is OVERWRITTEN, not accumulated: zeros wherever no maximum came from —
 * one pass over dx, plane by plane, instead of a memset of the whole batch
 * and then a scatter. */
void maxpool_backward_set(real *dx, const real *dy, const real *x, const real *y,
                          const PoolGeom *g);

/* Average pooling: y = the mean of the k·k window, padding counted as zeros
 * in the k·k (PyTorch's default, count_include_pad=True). */
void avgpool_forward(real *y, const real *x, const PoolGeom *g);
void avgpool_backward(real *dx, const real *dy, const PoolGeom *g);

/* --- layout ---------------------------------------------------------------- */
/* (B, C, n) <-> (C, B, n): out[c][b][:] = in[b][c][:] and back. */
void nchw_to_cbhw(real *out, const real *in, int B, int C, int n);
void cbhw_to_nchw(real *out, const real *in, int B, int C, int n);

#endif
