/* conv.c — convolution and pooling, plain loops and fast paths (conv.h). */
#include "conv.h"
#include "gemm.h"
#include "util.h"

#include <float.h>
#include <string.h>

int conv_out_size(int n, int k, int stride, int pad)
{
    int span = n + 2 * pad - k;
    if (span < 0 || stride < 1)
        return 0;
    return span / stride + 1; /* span >= 0, so '/' rounds down */
}

ConvGeom conv_geom(int B, int cin, int h, int w, int cout, int k, int stride, int pad)
{
    ConvGeom g = {B, cin, h, w, cout, k, stride, pad, 0, 0};
    if (B < 1 || cin < 1 || cout < 1 || k < 1 || stride < 1 || pad < 0)
        die("convolution: bad geometry (B %d, cin %d, cout %d, k %d, stride %d, pad %d)",
            B, cin, cout, k, stride, pad);
    g.ho = conv_out_size(h, k, stride, pad);
    g.wo = conv_out_size(w, k, stride, pad);
    if (g.ho < 1 || g.wo < 1)
        die("convolution: a %dx%d kernel does not fit a %dx%d input with padding %d", k, k,
            h, w, pad);
    return g;
}

/* --- plain convolution (notes §4.1, the four steps) ----------------------- */
void conv2d_forward_plain(real *y, const real *x, const real *W, const real *b,
                          const ConvGeom *g)
{
    const int k = g->k;
    for (int n = 0; n < g->B; n++)
        for (int o = 0; o < g->cout; o++)
            for (int i = 0; i < g->ho; i++)
                for (int j = 0; j < g->wo; j++) {
                    /* 1. the filter sits on the window whose corner is (i·s − p, j·s − p) */
                    double sum = b[o]; /* 3. ... plus the bias */
                    for (int c = 0; c < g->cin; c++)
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++) {
                                int iy = i * g->stride - g->pad + ky;
                                int ix = j * g->stride - g->pad + kx;
                                if (iy < 0 || iy >= g->h || ix < 0 || ix >= g->w)
                                    continue; /* padding: a zero pixel adds nothing */
                                /* 2. pixel times weight, 3. summed */
                                sum += W[((o * g->cin + c) * k + ky) * k + kx] *
                                       x[((n * g->cin + c) * g->h + iy) * g->w + ix];
                            }
                    /* 4. one pixel of the feature map */
                    y[((n * g->cout + o) * g->ho + i) * g->wo + j] = (real)sum;
                }
}

void conv2d_backward_plain(real *dx, real *dW, real *db, const real *dy,
                           const real *x, const real *W, const ConvGeom *g)
{
    const int k = g->k;
    for (int n = 0; n < g->B; n++)
        for (int o = 0; o < g->cout; o++)
            for (int i = 0; i < g->ho; i++)
                for (int j = 0; j < g->wo; j++) {
                    /* Every output pixel was a sum of weight·pixel products plus
                     * the bias; its gradient flows back to each factor. */
                    real grad = dy[((n * g->cout + o) * g->ho + i) * g->wo + j];
                    db[o] += grad;
                    for (int c = 0; c < g->cin; c++)
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++) {
                                int iy = i * g->stride - g->pad + ky;
                                int ix = j * g->stride - g->pad + kx;
                                if (iy < 0 || iy >= g->h || ix < 0 || ix >= g->w)
                                    continue;
                                long wi = ((o * g->cin + c) * k + ky) * k + kx;
                                long xi = ((n * g->cin + c) * g->h + iy) * (long)g->w + ix;
                                dW[wi] += grad * x[xi];
                                if (dx)
                                    dx[xi] += grad * W[wi];
                            }
                }
}

/* --- im2col + GEMM -------------------------------------------------------- */
long conv_cols_size(const ConvGeom *g)
{
    return (long)g->cin * g->k * g->k * g->B * g->ho * g->wo;
}

/* Stride 1, no padding — the network's case: each output row of a window
 * block is a run of wo consecutive input pixels. Inlined with wo known at
 * compile time (the switch below), the run becomes a few vector moves
 * instead of a loop or a memcpy call. */
static inline __attribute__((always_inline)) void copy_runs(real *restrict dst,
                                                            const real *restrict src, int ho,
                                                            int wo, int w)
{
    for (int i = 0; i < ho; i++, dst += wo, src += w)
        for (int j = 0; j < wo; j++)
            dst[j] = src[j];
}

/* One row of cols: filter tap (c, ky, kx) over every window of the batch. */
static void im2col_row(real *row, const real *xc, int ky, int kx, const ConvGeom *g)
{
    const long plane = (long)g->h * g->w, out_plane = (long)g->ho * g->wo;
    for (int n = 0; n < g->B; n++) {
        const real *img = xc + n * plane;
        real *dst = row + n * out_plane;
        if (g->stride == 1 && g->pad == 0) {
            const real *src = img + (long)ky * g->w + kx;
            switch (g->wo) { /* the sizes of notes §4: 26 (conv1), 11 (conv2) */
            case 26: copy_runs(dst, src, g->ho, 26, g->w); break;
            case 11: copy_runs(dst, src, g->ho, 11, g->w); break;
            case 10: copy_runs(dst, src, g->ho, 10, g->w); break; /* conv2 cropped */
            default: copy_runs(dst, src, g->ho, g->wo, g->w); break;
            }
            continue;
        }
        for (int i = 0; i < g->ho; i++, dst += g->wo) {
            int iy = i * g->stride - g->pad + ky;
            if (iy < 0 || iy >= g->h) {
                memset(dst, 0, sizeof(real) * (size_t)g->wo);
                continue;
            }
            const real *src = img + (long)iy * g->w;
            for (int j = 0; j < g->wo; j++) {
                int ix = j * g->stride - g->pad + kx;
                dst[j] = (ix >= 0 && ix < g->w) ? src[ix] : 0;
            }
        }
    }
}

void im2col(real *cols, const real *x, const ConvGeom *g)
{
    const long ncols = (long)g->B * g->ho * g->wo;
    const long chan = (long)g->B * g->h * g->w; /* one channel of the batch, CBHW */
    for (int c = 0; c < g->cin; c++)
        for (int ky = 0; ky < g->k; ky++)
            for (int kx = 0; kx < g->k; kx++) {
                long r = ((long)c * g->k + ky) * g->k + kx;
                im2col_row(cols + r * ncols, x + c * chan, ky, kx, g);
            }
}

void col2im(real *dx, const real *dcols, const ConvGeom *g)
{
    const long ncols = (long)g->B * g->ho * g->wo;
    const long chan = (long)g->B * g->h * g->w;
    const long plane = (long)g->h * g->w, out_plane = (long)g->ho * g->wo;
    for (int c = 0; c < g->cin; c++)
        for (int ky = 0; ky < g->k; ky++)
            for (int kx = 0; kx < g->k; kx++) {
                const real *row = dcols + (((long)c * g->k + ky) * g->k + kx) * ncols;
                for (int n = 0; n < g->B; n++) {
                    real *img = dx + c * chan + n * plane;
                    const real *src = row + n * out_plane;
                    for (int i = 0; i < g->ho; i++, src += g->wo) {
                        int iy = i * g->stride - g->pad + ky;
                        if (iy < 0 || iy >= g->h)
                            continue;
                        real *dst = img + (long)iy * g->w;
                        if (g->stride == 1 && g->pad == 0) {
                            /* the common case: a contiguous run, vectorised */
                            real *restrict d = dst + kx;
                            const real *restrict sj = src;
                            for (int j = 0; j < g->wo; j++)
                                d[j] += sj[j];
                            continue;
                        }
                        for (int j = 0; j < g->wo; j++) {
                            int ix = j * g->stride - g->pad + kx;
                            if (ix >= 0 && ix < g->w)
                                dst[ix] += src[j];
                        }
                    }
                }
            }
}

/* y (cout, B·ho·wo) = W (cout, K) · cols (K, B·ho·wo) + b, K = cin·k·k. */
void conv2d_forward(real *y, real *cols, const real *x, const real *W, const real *b,
                    const ConvGeom *g)
{
    const int K = g->cin * g->k * g->k;
    const int N = g->B * g->ho * g->wo;
    im2col(cols, x, g);
    gemm(0, 0, g->cout, N, K, 1, W, K, cols, N, 0, y, N);
    if (!b)
        return; /* the caller adds the bias later (see conv.h) */
    for (int o = 0; o < g->cout; o++) {
        real *row = y + (long)o * N, bias = b[o];
        for (int j = 0; j < N; j++)
            row[j] += bias;
    }
}

void conv2d_backward(real *dx, real *dW, real *db, const real *dy, const real *cols,
                     real *dcols, const real *W, const ConvGeom *g)
{
    const int K = g->cin * g->k * g->k;
    const int N = g->B * g->ho * g->wo;
    /* dW (cout, K) += dy (cout, N) · colsᵀ (N, K) */
    gemm(0, 1, g->cout, K, N, 1, dy, N, cols, N, 1, dW, K);
    /* db[o] += Σ over the batch and the map of dy[o, ...] */
    for (int o = 0; db && o < g->cout; o++) {
        const real *row = dy + (long)o * N;
        real s = 0;
        for (int j = 0; j < N; j++)
            s += row[j];
        db[o] += s;
    }
    if (!dx)
        return;
    /* dcols (K, N) = Wᵀ (K, cout) · dy (cout, N), then back to image positions */
    gemm(1, 0, K, N, g->cout, 1, W, K, dy, N, 0, dcols, N);
    col2im(dx, dcols, g);
}

/* --- pooling --------------------------------------------------------------- */
PoolGeom pool_geom(int planes, int h, int w, int k, int stride, int pad)
{
    PoolGeom g = {planes, h, w, k, stride, pad, 0, 0};
    if (planes < 1 || k < 1 || stride < 1 || pad < 0 || 2 * pad > k)
        die("pooling: bad geometry (k %d, stride %d, pad %d; pad must be at most k/2)", k,
            stride, pad);
    g.ho = conv_out_size(h, k, stride, pad);
    g.wo = conv_out_size(w, k, stride, pad);
    if (g.ho < 1 || g.wo < 1)
        die("pooling: a %dx%d window does not fit a %dx%d input with padding %d", k, k, h, w,
            pad);
    return g;
}

/* Position (within its plane) of the largest value of window (i, j); the
 * first one on ties. */
static int window_argmax(const real *plane, int i, int j, const PoolGeom *g)
{
    int best = -1;
    real best_v = 0;
    for (int ky = 0; ky < g->k; ky++)
        for (int kx = 0; kx < g->k; kx++) {
            int iy = i * g->stride - g->pad + ky, ix = j * g->stride - g->pad + kx;
            if (iy < 0 || iy >= g->h || ix < 0 || ix >= g->w)
                continue; /* padding is −∞: it never wins */
            int at = iy * g->w + ix;
            if (best < 0 || plane[at] > best_v) {
                best = at;
                best_v = plane[at];
            }
        }
    return best;
}

void maxpool_forward_plain(real *y, const real *x, const PoolGeom *g)
{
    const long in_plane = (long)g->h * g->w, out_plane = (long)g->ho * g->wo;
    for (int p = 0; p < g->planes; p++)
        for (int i = 0; i < g->ho; i++)
            for (int j = 0; j < g->wo; j++) {
                const real *xp = x + p * in_plane;
                y[p * out_plane + i * g->wo + j] = xp[window_argmax(xp, i, j, g)];
            }
}

void maxpool_backward_plain(real *dx, const real *dy, const real *x, const PoolGeom *g)
{
    const long in_plane = (long)g->h * g->w, out_plane = (long)g->ho * g->wo;
    for (int p = 0; p < g->planes; p++)
        for (int i = 0; i < g->ho; i++)
            for (int j = 0; j < g->wo; j++) {
                /* only the winner of the window influenced the output */
                int at = window_argmax(x + p * in_plane, i, j, g);
                dx[p * in_plane + at] += dy[p * out_plane + i * g->wo + j];
            }
}

void maxpool_forward(real *y, int *argmax, const real *x, const PoolGeom *g)
{
    const long in_plane = (long)g->h * g->w, out_plane = (long)g->ho * g->wo;
    if (!argmax && g->k == 2 && g->stride == 2 && g->pad == 0) {
        /* The network's 2×2 pooling when nobody asks where the maxima were:
         * a plain max of four, which the compiler turns into vector max
         * instructions (no branches, no index bookkeeping). */
        for (long p = 0; p < g->planes; p++)
            for (int i = 0; i < g->ho; i++) {
                const real *restrict r0 = x + p * in_plane + 2L * i * g->w, *restrict r1 = r0 + g->w;
                real *restrict yr = y + p * out_plane + (long)i * g->wo;
                for (int j = 0; j < g->wo; j++) {
                    real top = r0[2 * j + 1] > r0[2 * j] ? r0[2 * j + 1] : r0[2 * j];
                    real bottom = r1[2 * j + 1] > r1[2 * j] ? r1[2 * j + 1] : r1[2 * j];
                    yr[j] = bottom > top ? bottom : top;
                }
            }
        return;
    }
    for (long p = 0; p < g->planes; p++)
        for (int i = 0; i < g->ho; i++)
            for (int j = 0; j < g->wo; j++) {
                const real *xp = x + p * in_plane;
                int at = window_argmax(xp, i, j, g);
                y[p * out_plane + i * g->wo + j] = xp[at];
                if (argmax)
                    argmax[p * out_plane + i * g->wo + j] = at;
            }
}

void maxpool_backward(real *dx, const real *dy, const int *argmax, const PoolGeom *g)
{
    const long in_plane = (long)g->h * g->w, out_plane = (long)g->ho * g->wo;
    for (long p = 0; p < g->planes; p++) {
        real *dxp = dx + p * in_plane;
        const real *dyp = dy + p * out_plane;
        const int *ap = argmax + p * out_plane;
        for (long o = 0; o < out_plane; o++)
            dxp[ap[o]] += dyp[o];
    }
}

/* One plane of the 2×2, stride-2 case. The winner of a window is the first
 * of its four values (in reading order) equal to the maximum y — the one
 * window_argmax picks. Written with a running "what is left" instead of
 * jumps (which of the four wins is a coin toss the processor cannot
 * predict): the first match takes the gradient and leaves 0 for the others. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__AVX__) && !defined(REAL_F64)
/* Eight windows at once with GCC's vector extensions, when the processor has
 * 256-bit vectors (AVX; the release build's -march=native turns it on) and
 * the layers are in float. The same arithmetic as the scalar loop below: the
 * vector compare gives −1 (all bits set) where x == max, and "g & mask"
 * keeps g there. */
typedef float v8f __attribute__((vector_size(32)));
typedef int v8i __attribute__((vector_size(32)));
#define HAVE_V8F 1
static inline v8f take(v8f *left, v8i hit)
{
    v8f g = (v8f)((v8i)*left & hit);
    *left -= g;
    return g;
}
static int maxpool2_backward_row8(real *d0, real *d1, const real *r0, const real *r1,
                                  const real *yr, const real *gr, int wo)
{
    const v8i even = {0, 2, 4, 6, 8, 10, 12, 14}, odd = {1, 3, 5, 7, 9, 11, 13, 15};
    const v8i lo = {0, 8, 1, 9, 2, 10, 3, 11}, hi = {4, 12, 5, 13, 6, 14, 7, 15};
    int j = 0;
    for (; j + 8 <= wo; j += 8) {
        v8f t0, t1, b0, b1, m, left;
        memcpy(&t0, r0 + 2 * j, 32);
        memcpy(&t1, r0 + 2 * j + 8, 32);
        memcpy(&b0, r1 + 2 * j, 32);
        memcpy(&b1, r1 + 2 * j + 8, 32);
        memcpy(&m, yr + j, 32);
        memcpy(&left, gr + j, 32);
        v8f a = __builtin_shuffle(t0, t1, even), b = __builtin_shuffle(t0, t1, odd);
        v8f c = __builtin_shuffle(b0, b1, even), d = __builtin_shuffle(b0, b1, odd);
        v8f ga = take(&left, a == m), gb = take(&left, b == m);
        v8f gc = take(&left, c == m), gd = take(&left, d == m);
        v8f o;
        o = __builtin_shuffle(ga, gb, lo); memcpy(d0 + 2 * j, &o, 32);
        o = __builtin_shuffle(ga, gb, hi); memcpy(d0 + 2 * j + 8, &o, 32);
        o = __builtin_shuffle(gc, gd, lo); memcpy(d1 + 2 * j, &o, 32);
        o = __builtin_shuffle(gc, gd, hi); memcpy(d1 + 2 * j + 8, &o, 32);
    }
    return j; /* the windows left for the scalar loop */
}
/* The last wo − j (< 8) windows of a row through the same vector code, by
 * way of small zero-padded copies (for the rows at the very end of the
 * arrays, see maxpool2_backward_plane). The padding windows have maximum 0,
 * values 0 and gradient 0: they take 0 and are not copied back. */
static int maxpool2_backward_tail8(real *d0, real *d1, const real *r0, const real *r1,
                                   const real *yr, const real *gr, int j, int wo)
{
    int rem = wo - j;
    real t[16] = {0}, b[16] = {0}, m[8] = {0}, gg[8] = {0}, dt[16], db[16];
    memcpy(t, r0 + 2 * j, sizeof(real) * 2 * (size_t)rem);
    memcpy(b, r1 + 2 * j, sizeof(real) * 2 * (size_t)rem);
    memcpy(m, yr + j, sizeof(real) * (size_t)rem);
    memcpy(gg, gr + j, sizeof(real) * (size_t)rem);
    maxpool2_backward_row8(dt, db, t, b, m, gg, 8);
    memcpy(d0 + 2 * j, dt, sizeof(real) * 2 * (size_t)rem);
    memcpy(d1 + 2 * j, db, sizeof(real) * 2 * (size_t)rem);
    return wo;
}
#endif

/* One plane of the 2×2, stride-2 case. The winner of a window is the first
 * of its four values (in reading order) equal to the maximum y — the one
 * window_argmax picks. Written with a running "what is left" instead of
 * jumps (which of the four wins is a coin toss the processor cannot
 * predict): the first match takes the gradient and leaves 0 for the others. */
static void maxpool2_backward_plane(real *dxp, const real *dyp, const real *xp,
                                    const real *yp, const PoolGeom *g, const real *x_end,
                                    const real *y_end)
{
    for (int i = 0; i < g->ho; i++) {
        const real *restrict r0 = xp + 2L * i * g->w, *restrict r1 = r0 + g->w;
        /* not restrict: the vector tail below may write past d0 into d1 */
        real *d0 = dxp + 2L * i * g->w, *d1 = d0 + g->w;
        const real *restrict yr = yp + (long)i * g->wo, *restrict gr = dyp + (long)i * g->wo;
        int j = 0;
#ifdef HAVE_V8F
        /* The last wo % 8 windows of the row (all 5 of pool2's, 5 of pool1's
         * 13) as one more block of 8, reading and writing past the row's end
         * into the rows that follow — done FIRST, because what it writes
         * past d0 lands in d1 and what it writes past d1 lands in the next
         * row pair (or the next plane), and all of that is written again,
         * correctly, afterwards (the main loop below, the next rows, the odd
         * row or column zeroed at the end). Near the end of the arrays,
         * where there is no "afterwards", small padded copies instead. (The
         * scalar loop, which converts each comparison to a float, is 4 times
         * slower: each conversion waits for the one before.) */
        int full = g->wo - g->wo % 8;
        if (full < g->wo) {
            if (r1 + 2 * full + 16 <= x_end && yr + full + 8 <= y_end)
                maxpool2_backward_row8(d0 + 2 * full, d1 + 2 * full, r0 + 2 * full,
                                       r1 + 2 * full, yr + full, gr + full, 8);
            else
                maxpool2_backward_tail8(d0, d1, r0, r1, yr, gr, full, g->wo);
        }
        maxpool2_backward_row8(d0, d1, r0, r1, yr, gr, full);
        j = g->wo;
#else
        (void)x_end;
        (void)y_end;
#endif
        for (; j < g->wo; j++) {
            /* (real)(a == m) is 1 or 0: a multiplication, not a jump */
            real m = yr[j], left = gr[j];
            real ga = left * (real)(r0[2 * j] == m);
            left -= ga;
            real gb = left * (real)(r0[2 * j + 1] == m);
            left -= gb;
            real gc = left * (real)(r1[2 * j] == m);
            left -= gc;
            real gd = left * (real)(r1[2 * j + 1] == m);
            d0[2 * j] = ga;
            d0[2 * j + 1] = gb;
            d1[2 * j] = gc;
            d1[2 * j + 1] = gd;
        }
        if (2 * g->wo < g->w) { /* an odd width: the last column saw no window */
            d0[g->w - 1] = 0;
            d1[g->w - 1] = 0;
        }
    }
    for (int r = 2 * g->ho; r < g->h; r++) /* an odd height: the last row */
        memset(dxp + (long)r * g->w, 0, sizeof(real) * (size_t)g->w);
}

void maxpool_backward_set(real *dx, const real *dy, const real *x, const real *y,
                          const PoolGeom *g)
{
    const long in_plane = (long)g->h * g->w, out_plane = (long)g->ho * g->wo;
    for (long p = 0; p < g->planes; p++) {
        /* zero one plane and fill it while it is still in cache */
        real *dxp = dx + p * in_plane;
        const real *xp = x + p * in_plane, *yp = y + p * out_plane, *dyp = dy + p * out_plane;
        if (g->k == 2 && g->stride == 2 && g->pad == 0) {
            maxpool2_backward_plane(dxp, dyp, xp, yp, g, x + g->planes * in_plane,
                                    y + g->planes * out_plane);
            continue;
        }
        memset(dxp, 0, sizeof(real) * (size_t)in_plane);
        for (int i = 0; i < g->ho; i++)
            for (int j = 0; j < g->wo; j++)
                dxp[window_argmax(xp, i, j, g)] += dyp[i * g->wo + j];
    }
}

void avgpool_forward(real *y, const real *x, const PoolGeom *g)
{
    const long in_plane = (long)g->h * g->w, out_plane = (long)g->ho * g->wo;
    const real inv = (real)1 / (real)(g->k * g->k);
    for (long p = 0; p < g->planes; p++)
        for (int i = 0; i < g->ho; i++)
            for (int j = 0; j < g->wo; j++) {
                real sum = 0;
                for (int ky = 0; ky < g->k; ky++)
                    for (int kx = 0; kx < g->k; kx++) {
                        int iy = i * g->stride - g->pad + ky, ix = j * g->stride - g->pad + kx;
                        if (iy >= 0 && iy < g->h && ix >= 0 && ix < g->w)
                            sum += x[p * in_plane + iy * g->w + ix];
                    }
                y[p * out_plane + i * g->wo + j] = sum * inv; /* zeros of the padding included */
            }
}

void avgpool_backward(real *dx, const real *dy, const PoolGeom *g)
{
    const long in_plane = (long)g->h * g->w, out_plane = (long)g->ho * g->wo;
    const real inv = (real)1 / (real)(g->k * g->k);
    for (long p = 0; p < g->planes; p++)
        for (int i = 0; i < g->ho; i++)
            for (int j = 0; j < g->wo; j++) {
                real share = dy[p * out_plane + i * g->wo + j] * inv;
                for (int ky = 0; ky < g->k; ky++)
                    for (int kx = 0; kx < g->k; kx++) {
                        int iy = i * g->stride - g->pad + ky, ix = j * g->stride - g->pad + kx;
                        if (iy >= 0 && iy < g->h && ix >= 0 && ix < g->w)
                            dx[p * in_plane + iy * g->w + ix] += share;
                    }
            }
}

/* --- layout ----------------------------------------------------------------- */
void nchw_to_cbhw(real *out, const real *in, int B, int C, int n)
{
    for (int b = 0; b < B; b++)
        for (int c = 0; c < C; c++)
            memcpy(out + ((long)c * B + b) * n, in + ((long)b * C + c) * n,
                   sizeof(real) * (size_t)n);
}

void cbhw_to_nchw(real *out, const real *in, int B, int C, int n)
{
    for (int b = 0; b < B; b++)
        for (int c = 0; c < C; c++)
            memcpy(out + ((long)b * C + c) * n, in + ((long)c * B + b) * n,
                   sizeof(real) * (size_t)n);
}
