/* conv_fast.c — im2col + one product per layer, and the vector 2×2
 * max-pool (see conv_fast.h). */
#include "conv_fast.h"
#include "gemm.h"
#include "util.h"

#include <string.h>

/* --- im2col + GEMM -------------------------------------------------------- */
long conv_cols_size(const ConvGeom *g)
{
    return (long)g->cin * g->k * g->k * g->B * g->ho * g->wo;
}

/* One row of cols: filter tap (c, ky, kx) over every window of the batch;
 * xc is channel c of the batch (B, h, w). */
static void im2col_row(real *row, const real *xc, int ky, int kx, const ConvGeom *g)
{
    const long plane = (long)g->h * g->w, out_plane = (long)g->ho * g->wo;
    for (int n = 0; n < g->B; n++) {
        const real *img = xc + n * plane;
        real *dst = row + n * out_plane;
        if (g->stride == 1 && g->pad == 0) {
            /* The network's case: each output row of the tap is a run of wo
             * consecutive input pixels. */
            const real *src = img + (long)ky * g->w + kx;
            for (int i = 0; i < g->ho; i++, dst += g->wo, src += g->w) {
                real *restrict d = dst;
                const real *restrict s = src;
                for (int j = 0; j < g->wo; j++)
                    d[j] = s[j];
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
                            /* the network's case: a run of wo, vectorised */
                            real *restrict d = dst + kx;
                            const real *restrict s = src;
                            for (int j = 0; j < g->wo; j++)
                                d[j] += s[j];
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

/* y (cout, N) = W (cout, K) · cols (K, N) [+ b], K = cin·k·k, N = B·ho·wo. */
void conv_fast_forward(real *y, real *cols, const real *x, const real *W, const real *b,
                       const ConvGeom *g)
{
    const int K = g->cin * g->k * g->k;
    const int N = g->B * g->ho * g->wo;
    im2col(cols, x, g);
    gemm(0, 0, g->cout, N, K, 1, W, K, cols, N, 0, y, N);
    if (!b)
        return; /* the caller adds the bias later (see conv_fast.h) */
    for (int o = 0; o < g->cout; o++) {
        real *row = y + (long)o * N, bias = b[o];
        for (int j = 0; j < N; j++)
            row[j] += bias;
    }
}

void conv_fast_backward_weights(real *dW, real *db, const real *dy, const real *cols,
                                const ConvGeom *g)
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
}

void conv_fast_backward_input(real *dx, real *dcols, const real *dy, const real *W,
                              const ConvGeom *g)
{
    const int K = g->cin * g->k * g->k;
    const int N = g->B * g->ho * g->wo;
    /* dcols (K, N) = Wᵀ (K, cout) · dy (cout, N), then back to the pixels */
    gemm(1, 0, K, N, g->cout, 1, W, K, dy, N, 0, dcols, N);
    col2im(dx, dcols, g);
}

void conv_fast_backward(real *dx, real *dW, real *db, const real *dy, const real *cols,
                        real *dcols, const real *W, const ConvGeom *g)
{
    conv_fast_backward_weights(dW, db, dy, cols, g);
    if (dx)
        conv_fast_backward_input(dx, dcols, dy, W, g);
}

/* --- 2×2 max pooling, stride 2 --------------------------------------------- */
static void require_2x2(const PoolGeom *g, const char *who)
{
    if (g->k != 2 || g->stride != 2 || g->pad != 0)
        die("%s: only 2x2 windows with stride 2 and no padding (got k %d, stride %d, pad %d)",
            who, g->k, g->stride, g->pad);
}

void maxpool_fast_forward(real *y, const real *x, const PoolGeom *g)
{
    require_2x2(g, "maxpool_fast_forward");
    const long in_plane = (long)g->h * g->w, out_plane = (long)g->ho * g->wo;
    /* A plain max of four, no index bookkeeping: the compiler turns the
     * inner loop into vector max instructions. */
    for (long p = 0; p < g->planes; p++)
        for (int i = 0; i < g->ho; i++) {
            const real *restrict r0 = x + p * in_plane + 2L * i * g->w;
            const real *restrict r1 = r0 + g->w;
            real *restrict yr = y + p * out_plane + (long)i * g->wo;
            for (int j = 0; j < g->wo; j++) {
                real top = r0[2 * j + 1] > r0[2 * j] ? r0[2 * j + 1] : r0[2 * j];
                real bottom = r1[2 * j + 1] > r1[2 * j] ? r1[2 * j + 1] : r1[2 * j];
                yr[j] = bottom > top ? bottom : top;
            }
        }
}

/* The backward pass, one row of windows at a time. Row i of windows reads
 * the input rows r0 = 2i and r1 = 2i + 1 and writes the same rows of dx,
 * d0 and d1; yr and gr are the row's maxima and their gradients.
 *
 * Which of a window's four values (a b / c d) won is a coin toss the
 * processor cannot predict, so there are no jumps: with `left` the gradient
 * not handed out yet,
 *     ga = a == max ? left : 0;   left -= ga;     (all of it, or nothing)
 *     gb = b == max ? left : 0;   left -= gb;     (0 if a took it)
 *     ... c, d the same way
 * the first value equal to the maximum takes the whole gradient, the others
 * 0. Vector compares give all bits set where they hold, so "left & hit" is
 * the select. */
#ifdef REAL_F64
typedef long long real_bits; /* an integer as wide as a real, for the masks */
#else
typedef int real_bits;
#endif
typedef real v8r __attribute__((vector_size(8 * sizeof(real))));
typedef real_bits v8b __attribute__((vector_size(8 * sizeof(real))));
typedef real v4r __attribute__((vector_size(4 * sizeof(real))));
typedef real_bits v4b __attribute__((vector_size(4 * sizeof(real))));

/* g = hit ? left : 0, then left -= g (vr, vb: the vector types). */
#define TAKE(g, left, hit, vr, vb)             \
    do {                                       \
        (g) = (vr)((vb)(left) & (vb)(hit));    \
        (left) -= (g);                         \
    } while (0)

/* Eight windows: inputs r0[0..15], r1[0..15], yr[0..7], gr[0..7]. */
static inline void backward_8(real *restrict d0, real *restrict d1, const real *restrict r0,
                              const real *restrict r1, const real *restrict yr,
                              const real *restrict gr)
{
    v8r t0, t1, b0, b1, m, left, ga, gb, gc, gd, out;
    memcpy(&t0, r0, sizeof t0);
    memcpy(&t1, r0 + 8, sizeof t1);
    memcpy(&b0, r1, sizeof b0);
    memcpy(&b1, r1 + 8, sizeof b1);
    memcpy(&m, yr, sizeof m);
    memcpy(&left, gr, sizeof left);
    /* the four values of each window: even and odd columns of both rows */
    v8r a = __builtin_shufflevector(t0, t1, 0, 2, 4, 6, 8, 10, 12, 14);
    v8r b = __builtin_shufflevector(t0, t1, 1, 3, 5, 7, 9, 11, 13, 15);
    v8r c = __builtin_shufflevector(b0, b1, 0, 2, 4, 6, 8, 10, 12, 14);
    v8r d = __builtin_shufflevector(b0, b1, 1, 3, 5, 7, 9, 11, 13, 15);
    TAKE(ga, left, a == m, v8r, v8b);
    TAKE(gb, left, b == m, v8r, v8b);
    TAKE(gc, left, c == m, v8r, v8b);
    TAKE(gd, left, d == m, v8r, v8b);
    /* interleaved back into rows: ga gb ga gb ... and gc gd gc gd ... */
    out = __builtin_shufflevector(ga, gb, 0, 8, 1, 9, 2, 10, 3, 11);
    memcpy(d0, &out, sizeof out);
    out = __builtin_shufflevector(ga, gb, 4, 12, 5, 13, 6, 14, 7, 15);
    memcpy(d0 + 8, &out, sizeof out);
    out = __builtin_shufflevector(gc, gd, 0, 8, 1, 9, 2, 10, 3, 11);
    memcpy(d1, &out, sizeof out);
    out = __builtin_shufflevector(gc, gd, 4, 12, 5, 13, 6, 14, 7, 15);
    memcpy(d1 + 8, &out, sizeof out);
}

/* Four windows: inputs r0[0..7], r1[0..7], yr[0..3], gr[0..3]. */
static inline void backward_4(real *restrict d0, real *restrict d1, const real *restrict r0,
                              const real *restrict r1, const real *restrict yr,
                              const real *restrict gr)
{
    v4r t0, t1, b0, b1, m, left, ga, gb, gc, gd, out;
    memcpy(&t0, r0, sizeof t0);
    memcpy(&t1, r0 + 4, sizeof t1);
    memcpy(&b0, r1, sizeof b0);
    memcpy(&b1, r1 + 4, sizeof b1);
    memcpy(&m, yr, sizeof m);
    memcpy(&left, gr, sizeof left);
    v4r a = __builtin_shufflevector(t0, t1, 0, 2, 4, 6);
    v4r b = __builtin_shufflevector(t0, t1, 1, 3, 5, 7);
    v4r c = __builtin_shufflevector(b0, b1, 0, 2, 4, 6);
    v4r d = __builtin_shufflevector(b0, b1, 1, 3, 5, 7);
    TAKE(ga, left, a == m, v4r, v4b);
    TAKE(gb, left, b == m, v4r, v4b);
    TAKE(gc, left, c == m, v4r, v4b);
    TAKE(gd, left, d == m, v4r, v4b);
    out = __builtin_shufflevector(ga, gb, 0, 4, 1, 5);
    memcpy(d0, &out, sizeof out);
    out = __builtin_shufflevector(ga, gb, 2, 6, 3, 7);
    memcpy(d0 + 4, &out, sizeof out);
    out = __builtin_shufflevector(gc, gd, 0, 4, 1, 5);
    memcpy(d1, &out, sizeof out);
    out = __builtin_shufflevector(gc, gd, 2, 6, 3, 7);
    memcpy(d1 + 4, &out, sizeof out);
}

/* The same, one window at a time (rows of fewer than 4 windows; selects
 * the compiler makes without jumps). */
static void backward_1(real *d0, real *d1, const real *r0, const real *r1, real m, real left)
{
    real ga = r0[0] == m ? left : 0;
    left -= ga;
    real gb = r0[1] == m ? left : 0;
    left -= gb;
    real gc = r1[0] == m ? left : 0;
    left -= gc;
    real gd = r1[1] == m ? left : 0;
    d0[0] = ga;
    d0[1] = gb;
    d1[0] = gc;
    d1[1] = gd;
}

/* Windows [j, j + n) of the row, n = 8 or 4, through the vector code. */
#define BLOCK(n, j) backward_##n(d0 + 2 * (j), d1 + 2 * (j), r0 + 2 * (j), r1 + 2 * (j), \
                                 yr + (j), gr + (j))

static void backward_row(real *restrict d0, real *restrict d1, const real *restrict r0,
                         const real *restrict r1, const real *restrict yr,
                         const real *restrict gr, int wo)
{
    /* Blocks of 8 windows, and when the row does not divide by 8, one more
     * block over its LAST 8 windows. That block overlaps the one before it;
     * the windows it does twice get the same values written twice (dx is
     * only written, from inputs nobody changes), and nothing is read or
     * written outside the row. Rows of 5 to 7 windows (pool2's 5) the same
     * way with blocks of 4. */
    if (wo >= 8) {
        int j = 0;
        for (; j + 8 <= wo; j += 8)
            BLOCK(8, j);
        if (j < wo)
            BLOCK(8, wo - 8);
    } else if (wo >= 4) {
        BLOCK(4, 0);
        if (wo > 4)
            BLOCK(4, wo - 4);
    } else {
        for (int j = 0; j < wo; j++)
            backward_1(d0 + 2 * j, d1 + 2 * j, r0 + 2 * j, r1 + 2 * j, yr[j], gr[j]);
    }
}

void maxpool_fast_backward(real *dx, const real *dy, const real *x, const real *y,
                           const PoolGeom *g)
{
    require_2x2(g, "maxpool_fast_backward");
    const long in_plane = (long)g->h * g->w, out_plane = (long)g->ho * g->wo;
    for (long p = 0; p < g->planes; p++) {
        real *dxp = dx + p * in_plane;
        const real *xp = x + p * in_plane, *yp = y + p * out_plane, *dyp = dy + p * out_plane;
        for (int i = 0; i < g->ho; i++) {
            real *d0 = dxp + 2L * i * g->w;
            const real *r0 = xp + 2L * i * g->w;
            backward_row(d0, d0 + g->w, r0, r0 + g->w, yp + (long)i * g->wo,
                         dyp + (long)i * g->wo, g->wo);
            if (2 * g->wo < g->w) { /* an odd width: the last column saw no window */
                d0[g->w - 1] = 0;
                d0[2 * g->w - 1] = 0;
            }
        }
        for (int r = 2 * g->ho; r < g->h; r++) /* an odd height: the last row */
            memset(dxp + (long)r * g->w, 0, sizeof(real) * (size_t)g->w);
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
