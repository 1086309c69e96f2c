/* conv.c — convolution and pooling as plain loops (see conv.h). */
#include "conv.h"
#include "util.h"

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

/* Where things are in the NCHW arrays. */
static long at_x(const ConvGeom *g, int n, int c, int iy, int ix)
{
    return (((long)n * g->cin + c) * g->h + iy) * g->w + ix;
}
static long at_w(const ConvGeom *g, int o, int c, int ky, int kx)
{
    return (((long)o * g->cin + c) * g->k + ky) * g->k + kx;
}
static long at_y(const ConvGeom *g, int n, int o, int i, int j)
{
    return (((long)n * g->cout + o) * g->ho + i) * g->wo + j;
}

/* --- convolution: the four steps of notes §4.1 ----------------------------- */
void conv2d_forward(real *y, const real *x, const real *W, const real *b, const ConvGeom *g)
{
    for (int n = 0; n < g->B; n++)                 /* every image */
        for (int o = 0; o < g->cout; o++)          /* every filter: one feature map each */
            for (int i = 0; i < g->ho; i++)
                for (int j = 0; j < g->wo; j++) {
                    /* 1. the filter sits on the window whose top-left pixel
                     *    is (i·stride − pad, j·stride − pad) */
                    double sum = 0;
                    for (int c = 0; c < g->cin; c++)
                        for (int ky = 0; ky < g->k; ky++)
                            for (int kx = 0; kx < g->k; kx++) {
                                int iy = i * g->stride - g->pad + ky;
                                int ix = j * g->stride - g->pad + kx;
                                if (iy < 0 || iy >= g->h || ix < 0 || ix >= g->w)
                                    continue; /* padding: a zero pixel adds nothing */
                                /* 2. each pixel times its weight, 3. all added up */
                                sum += W[at_w(g, o, c, ky, kx)] * x[at_x(g, n, c, iy, ix)];
                            }
                    /* 3. ... plus the bias; 4. one pixel of the feature map */
                    y[at_y(g, n, o, i, j)] = (real)(sum + b[o]);
                }
}

void conv2d_backward(real *dx, real *dW, real *db, const real *dy, const real *x,
                     const real *W, const ConvGeom *g)
{
    for (int n = 0; n < g->B; n++)
        for (int o = 0; o < g->cout; o++)
            for (int i = 0; i < g->ho; i++)
                for (int j = 0; j < g->wo; j++) {
                    /* The output pixel was bias + Σ weight·pixel: its gradient
                     * reaches the bias as it is and each weight times the
                     * pixel it met (and each pixel times its weight). */
                    real grad = dy[at_y(g, n, o, i, j)];
                    db[o] += grad;
                    for (int c = 0; c < g->cin; c++)
                        for (int ky = 0; ky < g->k; ky++)
                            for (int kx = 0; kx < g->k; kx++) {
                                int iy = i * g->stride - g->pad + ky;
                                int ix = j * g->stride - g->pad + kx;
                                if (iy < 0 || iy >= g->h || ix < 0 || ix >= g->w)
                                    continue;
                                dW[at_w(g, o, c, ky, kx)] += grad * x[at_x(g, n, c, iy, ix)];
                                if (dx)
                                    dx[at_x(g, n, c, iy, ix)] += grad * W[at_w(g, o, c, ky, kx)];
                            }
                }
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

void maxpool_forward(real *y, const real *x, const PoolGeom *g)
{
    const long in_plane = (long)g->h * g->w, out_plane = (long)g->ho * g->wo;
    for (long p = 0; p < g->planes; p++) {
        const real *xp = x + p * in_plane;
        for (int i = 0; i < g->ho; i++)
            for (int j = 0; j < g->wo; j++)
                y[p * out_plane + i * g->wo + j] = xp[window_argmax(xp, i, j, g)];
    }
}

void maxpool_backward(real *dx, const real *dy, const real *x, const PoolGeom *g)
{
    const long in_plane = (long)g->h * g->w, out_plane = (long)g->ho * g->wo;
    for (long p = 0; p < g->planes; p++)
        for (int i = 0; i < g->ho; i++)
            for (int j = 0; j < g->wo; j++) {
                /* only the winner of the window influenced the output */
                int at = window_argmax(x + p * in_plane, i, j, g);
                dx[p * in_plane + at] += dy[p * out_plane + i * g->wo + j];
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
