/* conv_fast.h — the layers of conv.h, made fast. Same numbers (up to the
 * order in which sums are rounded); tests/test_ch4.c and test_ch4_grad.c
 * hold every function here to the plain loops of conv.c.
 *
 * Two ideas:
 *
 *   - One matrix product per layer per BATCH (im2col). Every window of every
 *     image becomes one column of a matrix `cols`; the whole layer is then
 *         y (cout, B·ho·wo) = W (cout, cin·k·k) · cols (cin·k·k, B·ho·wo)
 *     one call to gemm() (cblas_sgemm), which runs near the processor's peak.
 *     For the product's answer to be the next layer's input as it stands,
 *     activations are kept channel-major, (C, B, H, W) — "CBHW" — instead
 *     of conv.h's (B, C, H, W). For one image, or one channel, the two
 *     orders are the same bytes; nchw_to_cbhw / cbhw_to_nchw convert.
 *   - The 2×2, stride-2 max pooling (the network's) without jumps: the
 *     maximum of four as max instructions, and the backward pass 8 (or 4)
 *     windows at a time with vector compares. The vector code uses GCC and
 *     clang's vector extensions (vector_size, __builtin_shufflevector): it
 *     compiles on any x86-64 — two SSE halves where there is no AVX, as in
 *     the sanitizer build — and in double precision too, so the tests run
 *     exactly this code under -fsanitize=address,undefined.
 *
 * Conventions as conv.h: backward passes ACCUMULATE into dW and db (and dx,
 * except where a comment says "overwrites"); NULL dx, db or b means "not
 * needed". Values are `real`. */
#ifndef CONV_FAST_H
#define CONV_FAST_H

#include "conv.h"
#include "real.h"

/* --- im2col + one product ---------------------------------------------------- */
/* Reals of workspace that cols (and dcols) need: cin·k·k · B·ho·wo. */
long conv_cols_size(const ConvGeom *g);

/* x (cin, B, h, w) -> cols (cin·k·k, B·ho·wo). Row (c, ky, kx), column
 * (n, i, j) holds x[c, n, i·s − p + ky, j·s − p + kx] (0 outside). */
void im2col(real *cols, const real *x, const ConvGeom *g);
/* The adjoint: dx (cin, B, h, w) += every entry of dcols, put back where
 * im2col took it from (pixels covered by several windows add up). */
void col2im(real *dx, const real *dcols, const ConvGeom *g);

/* CBHW. x (cin, B, h, w), W (cout, cin, k, k) — the same array as conv.h's —
 * y (cout, B, ho, wo). `cols` is workspace of conv_cols_size() reals; the
 * forward pass leaves im2col(x) in it and the backward pass reads it from
 * there, so call them in pairs with the same cols. b = NULL leaves the bias
 * out (a network that pools next can add it after the pooling instead:
 * max(y + b) = max(y) + b). A geometry with a smaller ho, wo than
 * conv_out_size() computes only that top-left corner of the maps. */
void conv_fast_forward(real *y, real *cols, const real *x, const real *W, const real *b,
                       const ConvGeom *g);
/* dW (cout, cin·k·k) += dy · colsᵀ and db[o] += Σ dy[o, ...] (db may be NULL). */
void conv_fast_backward_weights(real *dW, real *db, const real *dy, const real *cols,
                                const ConvGeom *g);
/* dx += col2im(Wᵀ · dy), with dcols (same size as cols) as workspace. */
void conv_fast_backward_input(real *dx, real *dcols, const real *dy, const real *W,
                              const ConvGeom *g);
/* Both of the above (the second only when dx is not NULL). */
void conv_fast_backward(real *dx, real *dW, real *db, const real *dy, const real *cols,
                        real *dcols, const real *W, const ConvGeom *g);

/* --- 2×2 max pooling, stride 2 ------------------------------------------------- */
/* Only the network's pooling: k = 2, stride 2, no padding (dies otherwise).
 * Plane by plane, so any layout that keeps planes whole will do. */
void maxpool_fast_forward(real *y, const real *x, const PoolGeom *g);
/* dx OVERWRITTEN (not accumulated): each window's gradient dy goes to its
 * winner — the first of its four values, in reading order, equal to the
 * window's maximum y (the forward's output), the one conv.h's loops pick —
 * and 0 everywhere else, the odd last row and column included. One pass
 * over dx instead of zeroing it and then scattering into it. */
void maxpool_fast_backward(real *dx, const real *dy, const real *x, const real *y,
                           const PoolGeom *g);

/* --- layout ------------------------------------------------------------------ */
/* (B, C, n) <-> (C, B, n): out[c][b][:] = in[b][c][:] and back. */
void nchw_to_cbhw(real *out, const real *in, int B, int C, int n);
void cbhw_to_nchw(real *out, const real *in, int B, int C, int n);

#endif
