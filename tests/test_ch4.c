/* test_ch4.c — chapter 4's claims, in the float build the chapter runs:
 * the worked examples of notes §4.1 and 002 §3 (Fig 4's 0 and 765, the 1-D
 * convolution, Sobel's axes, pooling and the size rule), the shapes
 * 28→26→13→11→5 and the 225 034 parameters; the fast layers against the
 * plain loops; the fast network against the readable one for one batch and
 * for a short run (with and without --plain); Adam shared by threads
 * against optim_step, bit for bit; the safetensors round trip and its
 * refusals; the program's flags and the program end to end. */
#include "testutil.h"
#include "../chapters/04-cnn/cnn.h"
#include "../chapters/04-cnn/cnn_fast.h"
#include "../chapters/04-cnn/examples.h"
#include "../chapters/04-cnn/train.h"
#include "mnist.h"
#include "stats.h"
#include "conv.h"
#include "conv_fast.h"
#include "nn.h"
#include "optim.h"
#include "rng.h"
#include "safetensors.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void fill_random(real *a, size_t n, Rng *rng)
{
    for (size_t i = 0; i < n; i++)
        a[i] = (real)rng_uniform_range(rng, -1, 1);
}

static void assert_close(const real *got, const real *want, size_t n, double tol, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        double err = fabs((double)got[i] - want[i]);
        ck_assert_msg(err <= tol + tol * fabs((double)want[i]), "%s: entry %zu is %g, expected %g",
                      what, i, (double)got[i], (double)want[i]);
    }
}

static const char *mnist_dir(void)
{
    return getenv("MNIST_DATA") ? getenv("MNIST_DATA") : "datasets/mnist";
}

/* Under the sanitizers everything runs 10-20 times slower: the runs that
 * train use fewer images there. */
static int under_asan(void)
{
    const char *v = getenv("NN_VARIANT");
    return v && strcmp(v, "asan") == 0;
}

/* --- notes §4.1, Fig 4 ----------------------------------------------------- */
START_TEST(test_fig4_edge_filter)
{
    const double filter[9] = {-1, 0, 1, -1, 0, 1, -1, 0, 1};
    const double flat[9] = {255, 255, 255, 255, 255, 255, 255, 255, 255};
    const double edge[9] = {0, 255, 255, 0, 255, 255, 0, 255, 255};
    ck_assert_double_eq(ch4_fig4_response(flat, filter), 0);   /* −765 + 0 + 765 */
    ck_assert_double_eq(ch4_fig4_response(edge, filter), 765); /* 0 + 0 + 765 */
}
END_TEST

/* --- 002 Fig 3.3: the 1-D example ----------------------------------------- */
START_TEST(test_conv1d_example)
{
    const double f[6] = {0, 0, 1, 1, 0, 0}, g[3] = {-1, 0, 1};
    double out[4];
    ck_assert_int_eq(ch4_conv1d(out, f, 6, g, 3, 0), 4); /* valid: 6 − 3 + 1 */
    const double corr[4] = {1, 1, -1, -1};
    for (int i = 0; i < 4; i++)
        ck_assert_double_eq(out[i], corr[i]);
    ch4_conv1d(out, f, 6, g, 3, 1); /* the true convolution flips g: the signs swap */
    for (int i = 0; i < 4; i++)
        ck_assert_double_eq(out[i], -corr[i]);
}
END_TEST

/* --- 002 §4.1 erratum: Sobel x marks VERTICAL edges ------------------------ */
START_TEST(test_sobel_axes)
{
    double vertical[64], horizontal[64], gx[64], gy[64];
    for (int r = 0; r < 8; r++)
        for (int c = 0; c < 8; c++) {
            vertical[r * 8 + c] = c >= 4;   /* dark left half, bright right half */
            horizontal[r * 8 + c] = r >= 4; /* dark top, bright bottom */
        }
    /* a vertical edge: Gx answers (4 = 1 + 2 + 1), Gy stays 0 away from the border */
    ch4_filter3x3(gx, vertical, 8, 8, CH4_SOBEL_X);
    ch4_filter3x3(gy, vertical, 8, 8, CH4_SOBEL_Y);
    ck_assert_double_eq(gx[3 * 8 + 3], 4);
    ck_assert_double_eq(gx[3 * 8 + 4], 4);
    for (int r = 1; r < 7; r++)
        for (int c = 0; c < 8; c++)
            ck_assert_double_eq(gy[r * 8 + c], 0);
    /* a horizontal edge: the other way round */
    ch4_filter3x3(gx, horizontal, 8, 8, CH4_SOBEL_X);
    ch4_filter3x3(gy, horizontal, 8, 8, CH4_SOBEL_Y);
    ck_assert_double_eq(gy[3 * 8 + 3], 4);
    for (int r = 0; r < 8; r++)
        for (int c = 1; c < 7; c++)
            ck_assert_double_eq(gx[r * 8 + c], 0);
}
END_TEST

/* --- pooling examples and the size rule ------------------------------------ */
START_TEST(test_pooling_examples)
{
    const real x[16] = {1, 3, 2, 4, 5, 6, 1, 2, 7, 2, 9, 0, 1, 8, 3, 4};
    real y[16];
    PoolGeom g = pool_geom(1, 4, 4, 2, 2, 0);
    ck_assert_int_eq(g.ho, 2);
    const real max_want[4] = {6, 4, 8, 9};
    maxpool_forward(y, x, &g);
    assert_close(y, max_want, 4, 0, "max pool 2x2");
    maxpool_fast_forward(y, x, &g);
    assert_close(y, max_want, 4, 0, "max pool 2x2 (fast)");
    g = pool_geom(1, 4, 4, 2, 1, 0); /* stride 1: floor((4 − 2)/1) + 1 = 3 */
    ck_assert_int_eq(g.ho, 3);
    avgpool_forward(y, x, &g);
    ck_assert_double_eq_tol(y[0], (1 + 3 + 5 + 6) / 4.0, 1e-6);
    g = pool_geom(1, 4, 4, 2, 2, 0); /* stride 2: 2 */
    ck_assert_int_eq(g.ho, 2);
    avgpool_forward(y, x, &g);
    ck_assert_double_eq_tol(y[3], (9 + 0 + 3 + 4) / 4.0, 1e-6);
    g = pool_geom(1, 4, 4, 3, 1, 1); /* padding 1 keeps 4: floor((4 + 2 − 3)/1) + 1 */
    ck_assert_int_eq(g.ho, 4);
    avgpool_forward(y, x, &g);
    ck_assert_double_eq_tol(y[0], (1 + 3 + 5 + 6) / 9.0, 1e-6); /* the padding's zeros count */
    /* the rule rounds down: notes §4.2's 11 → 5, and 7 with k 3 s 2 p 1 → 4 */
    ck_assert_int_eq(conv_out_size(11, 2, 2, 0), 5);
    ck_assert_int_eq(conv_out_size(7, 3, 2, 1), 4);
}
END_TEST

/* --- notes §4.2: the stops and the size ----------------------------------- */
START_TEST(test_shapes_and_parameters)
{
    int s1 = conv_out_size(28, 3, 1, 0), q1 = conv_out_size(s1, 2, 2, 0);
    int s2 = conv_out_size(q1, 3, 1, 0), q2 = conv_out_size(s2, 2, 2, 0);
    ck_assert_int_eq(s1, CNN_S1);
    ck_assert_int_eq(s1, 26);
    ck_assert_int_eq(q1, 13);
    ck_assert_int_eq(s2, 11);
    ck_assert_int_eq(q2, 5);
    ck_assert_int_eq(64 * q2 * q2, CNN_FLAT); /* 1600, the notes' "5564" (errata) */
    ck_assert_int_eq(CNN_FLAT, 1600);
    Rng rng;
    rng_seed(&rng, 1);
    CnnNet net;
    cnn_init(&net, &rng);
    ck_assert_int_eq((int)net.p.n, 225034);
    /* the tensors lie in the store in state_dict order, each where the last ended */
    ck_assert(net.conv1.weight == net.p.values);
    ck_assert(net.conv1.bias == net.conv1.weight + 288);
    ck_assert(net.fc2.bias + 10 == net.p.values + net.p.n);
    /* PyTorch's init: every conv1 weight within ±1/3 (fan_in 9), fc1 within ±1/40 */
    for (int i = 0; i < 288; i++)
        ck_assert(fabs(net.conv1.weight[i]) <= 1.0 / 3);
    for (int i = 0; i < 204800; i++)
        ck_assert(fabs(net.fc1.weight[i]) <= 1.0 / 40);
    cnn_free(&net);
}
END_TEST

/* --- the fast layers against the plain loops ------------------------------ */
/* crop > 0: the fast convolution computes only the top-left corner of the
 * maps (conv2's 10×10 of 11×11), which must equal that corner of the full. */
static void compare_conv(int B, int cin, int h, int w, int cout, int k, int s, int p, int crop)
{
    Rng rng;
    rng_seed(&rng, (uint64_t)(B * 1000 + cin * 100 + k * 10 + s + p));
    ConvGeom g = conv_geom(B, cin, h, w, cout, k, s, p), gc = g;
    gc.ho -= crop;
    gc.wo -= crop;
    size_t nx = (size_t)B * cin * h * w, nw = (size_t)cout * cin * k * k;
    size_t ny = (size_t)B * cout * g.ho * g.wo, nyc = (size_t)B * cout * gc.ho * gc.wo;
    size_t nc = (size_t)conv_cols_size(&gc);
    real *x = malloc(nx * sizeof(real)), *xc = malloc(nx * sizeof(real));
    real *W = malloc(nw * sizeof(real)), *b = malloc((size_t)cout * sizeof(real));
    real *y = malloc(ny * sizeof(real)), *yc = malloc(nyc * sizeof(real)),
         *yn = malloc(nyc * sizeof(real)), *ycorner = malloc(nyc * sizeof(real));
    real *dy = calloc(ny, sizeof(real)), *dyc = malloc(nyc * sizeof(real)),
         *dycn = malloc(nyc * sizeof(real));
    real *cols = malloc(nc * sizeof(real)), *dcols = malloc(nc * sizeof(real));
    real *dx = calloc(nx, sizeof(real)), *dxc = calloc(nx, sizeof(real)),
         *dxn = malloc(nx * sizeof(real));
    real *dW = calloc(nw, sizeof(real)), *dWf = calloc(nw, sizeof(real));
    real *db = calloc((size_t)cout, sizeof(real)), *dbf = calloc((size_t)cout, sizeof(real));
    fill_random(x, nx, &rng);
    fill_random(W, nw, &rng);
    fill_random(b, (size_t)cout, &rng);
    /* a gradient on the corner the fast path computes, 0 on the rest */
    fill_random(dycn, nyc, &rng);
    for (int n = 0; n < B * cout; n++)
        for (int i = 0; i < gc.ho; i++)
            for (int j = 0; j < gc.wo; j++)
                dy[((size_t)n * g.ho + i) * g.wo + j] = dycn[((size_t)n * gc.ho + i) * gc.wo + j];
    /* plain, NCHW, whole maps; then their corner */
    conv2d_forward(y, x, W, b, &g);
    conv2d_backward(dx, dW, db, dy, x, W, &g);
    for (int n = 0; n < B * cout; n++)
        for (int i = 0; i < gc.ho; i++)
            for (int j = 0; j < gc.wo; j++)
                ycorner[((size_t)n * gc.ho + i) * gc.wo + j] = y[((size_t)n * g.ho + i) * g.wo + j];
    /* fast, CBHW: convert in, compute, convert back */
    nchw_to_cbhw(xc, x, B, cin, h * w);
    nchw_to_cbhw(dyc, dycn, B, cout, gc.ho * gc.wo);
    conv_fast_forward(yc, cols, xc, W, b, &gc);
    conv_fast_backward(dxc, dWf, dbf, dyc, cols, dcols, W, &gc);
    cbhw_to_nchw(yn, yc, B, cout, gc.ho * gc.wo);
    cbhw_to_nchw(dxn, dxc, B, cin, h * w);
    /* float sums of up to cin·k·k (forward, dx) or B·ho·wo (dW, db) terms in
     * another order: a few units of 1e-7 relative, times the terms' size */
    assert_close(yn, ycorner, nyc, 1e-5, "conv forward");
    assert_close(dxn, dx, nx, 1e-5, "conv dx");
    assert_close(dWf, dW, nw, 1e-4, "conv dW");
    assert_close(dbf, db, (size_t)cout, 1e-4, "conv db");
    free(x); free(xc); free(W); free(b); free(y); free(yc); free(yn); free(ycorner);
    free(dy); free(dyc); free(dycn); free(cols); free(dcols); free(dx); free(dxc); free(dxn);
    free(dW); free(dWf); free(db); free(dbf);
}

START_TEST(test_fast_conv_matches_plain)
{
    compare_conv(3, 1, 28, 28, 32, 3, 1, 0, 0);  /* conv1 */
    compare_conv(3, 32, 13, 13, 64, 3, 1, 0, 0); /* conv2, whole maps */
    compare_conv(3, 32, 13, 13, 64, 3, 1, 0, 1); /* conv2, the 10×10 corner pool2 reads */
    compare_conv(2, 3, 9, 8, 4, 3, 2, 1, 0);
    compare_conv(2, 2, 7, 7, 3, 2, 3, 0, 0);
    compare_conv(1, 2, 6, 5, 2, 5, 1, 2, 0);
}
END_TEST

START_TEST(test_fast_maxpool_matches_plain)
{
    Rng rng;
    rng_seed(&rng, 9);
    /* sides: 26 (pool1), 10 and 11 (pool2, cropped or not), and rows of 1 to
     * 17 windows — the scalar loop, blocks of 4 and of 8, overlapping last
     * blocks — on even and odd sides */
    int sides[3 + 34], n_sides = 0;
    sides[n_sides++] = 26;
    sides[n_sides++] = 10;
    sides[n_sides++] = 11;
    for (int wo = 1; wo <= 17; wo++) {
        sides[n_sides++] = 2 * wo;
        sides[n_sides++] = 2 * wo + 1;
    }
    for (int t = 0; t < n_sides; t++) {
        int n = sides[t], planes = 5;
        PoolGeom g = pool_geom(planes, n, n, 2, 2, 0);
        size_t nx = (size_t)planes * n * n, ny = (size_t)planes * g.ho * g.wo;
        real *x = malloc(nx * sizeof(real)), *y1 = malloc(ny * sizeof(real)),
             *y2 = malloc(ny * sizeof(real)), *dy = malloc(ny * sizeof(real));
        real *dx1 = calloc(nx, sizeof(real)), *dx2 = malloc(nx * sizeof(real));
        fill_random(x, nx, &rng);
        for (size_t i = 0; i < nx; i += 5)
            x[i] = x[i + 1 < nx ? i + 1 : i]; /* ties: both take the first */
        for (size_t i = 0; i < nx; i += 11)
            x[i] = 0;                         /* and zeros, as ReLU leaves them */
        fill_random(dy, ny, &rng);
        for (size_t i = 0; i < nx; i++)
            dx2[i] = 123; /* garbage the fast backward must overwrite */
        maxpool_forward(y1, x, &g);
        maxpool_fast_forward(y2, x, &g);
        maxpool_backward(dx1, dy, x, &g);
        maxpool_fast_backward(dx2, dy, x, y2, &g);
        ck_assert_msg(memcmp(y1, y2, ny * sizeof(real)) == 0, "max pool forward, side %d", n);
        ck_assert_msg(memcmp(dx1, dx2, nx * sizeof(real)) == 0, "max pool backward, side %d", n);
        free(x); free(y1); free(y2); free(dy); free(dx1); free(dx2);
    }
}
END_TEST

/* In float the two paths round their sums in another order: sgemm's blocked
 * float sums against the plain loops (whose convolution sums in double and
 * rounds once; whose ∂W adds B·ho·wo float products one by one). A sum of n
 * terms moves by about √n · 6e-8 of its terms' size: measured, every logit
 * and every gradient agreed to 1.5e-6 of its tensor's largest entry, the
 * loss to 3.4e-8 (relative). 1e-5 is that with room; a real mistake would
 * be of the size of the gradient itself. */
#define FAST_TOL_F32 1e-5

START_TEST(test_fast_matches_readable)
{
    enum { B = 21 }; /* 11 + 10 on 2 threads, 7 + 7 + 7 on 3 */
    for (int threads = 1; threads <= 3; threads++) {
        Rng rng;
        rng_seed(&rng, 31);
        Mnist m = test_fake_mnist(B, &rng);
        int idx[B];
        for (int i = 0; i < B; i++)
            idx[i] = (i * 8) % B; /* a shuffled order */
        real mask[B * 128];
        dropout_make_mask(mask, B * 128, (real)0.3, &rng);
        CnnNet net;
        cnn_init(&net, &rng);
        CnnActs a;
        cnn_acts_init(&a, B);
        unsigned char labels[B];
        mnist_gather(&m, NULL, B, a.x, NULL);
        cnn_forward(&net, &a, B, NULL);
        real ref_logits[B * 10];
        memcpy(ref_logits, a.logits, sizeof ref_logits);
        mnist_gather(&m, idx, B, a.x, labels);
        double ref_loss = cnn_train_step(&net, &a, B, labels, mask, NULL);
        real *ref_grads = malloc(sizeof(real) * net.p.n);
        memcpy(ref_grads, net.p.grads, sizeof(real) * net.p.n);

        CnnFast f;
        cnn_fast_init(&f, &net, threads, B, 1);
        real logits[B * 10];
        cnn_fast_logits(&f, &net, &m, 0, B, logits);
        double e = test_relative_error(logits, ref_logits, B * 10);
        ck_assert_msg(e < FAST_TOL_F32, "%d threads: logits differ by %g", threads, e);
        double loss = cnn_fast_step(&f, &net, &m, idx, B, mask, NULL);
        ck_assert_msg(fabs(loss - ref_loss) < FAST_TOL_F32 * ref_loss,
                      "%d threads: loss %.9g, readable %.9g", threads, loss, ref_loss);
        CnnTensors rg = cnn_tensors_in(&net, ref_grads);
        const real *fast[8] = {net.grad.conv1.weight, net.grad.conv1.bias, net.grad.conv2.weight,
                               net.grad.conv2.bias, net.grad.fc1.weight, net.grad.fc1.bias,
                               net.grad.fc2.weight, net.grad.fc2.bias};
        const real *ref[8] = {rg.conv1.weight, rg.conv1.bias, rg.conv2.weight, rg.conv2.bias,
                              rg.fc1.weight, rg.fc1.bias, rg.fc2.weight, rg.fc2.bias};
        const size_t sizes[8] = {288, 32, 18432, 64, 204800, 128, 1280, 10};
        for (int t = 0; t < 8; t++) {
            double et = test_relative_error(fast[t], ref[t], sizes[t]);
            ck_assert_msg(et < FAST_TOL_F32, "%d threads: tensor %d's gradient differs by %g",
                          threads, t, et);
        }
        /* and the predictions are the readable network's */
        unsigned char p1[B], p2[B];
        cnn_predict(&net, &a, &m, 0, B, p1);
        cnn_fast_predict(&f, &net, &m, 0, B, p2);
        ck_assert(memcmp(p1, p2, B) == 0);
        cnn_fast_free(&f);
        cnn_acts_free(&a);
        cnn_free(&net);
        free(ref_grads);
        mnist_free(&m);
    }
}
END_TEST

/* Adam's step shared out among the threads (cnn_fast_step with an
 * optimiser) is, bit for bit, optim_step on one thread after the same
 * gradient — for a few steps, so that m and v carry over. */
START_TEST(test_adam_shared_bit_for_bit)
{
    enum { B = 21 };
    Rng rng;
    rng_seed(&rng, 5);
    Mnist m = test_fake_mnist(B, &rng);
    int idx[B];
    for (int i = 0; i < B; i++)
        idx[i] = B - 1 - i;
    for (int threads = 2; threads <= 3; threads++) {
        CnnNet a, b;
        Rng r1, r2;
        rng_seed(&r1, 5);
        rng_seed(&r2, 5);
        cnn_init(&a, &r1);
        cnn_init(&b, &r2);
        CnnFast fa, fb;
        cnn_fast_init(&fa, &a, threads, B, 1);
        cnn_fast_init(&fb, &b, threads, B, 1);
        Optimizer oa, ob;
        optim_init(&oa, "adam", 1e-3, a.p.n);
        optim_init(&ob, "adam", 1e-3, b.p.n);
        for (int step = 0; step < 3; step++) {
            double la = cnn_fast_step(&fa, &a, &m, idx, B, NULL, NULL);
            optim_step(&oa, a.p.values, a.p.grads);
            double lb = cnn_fast_step(&fb, &b, &m, idx, B, NULL, &ob);
            ck_assert(la == lb);
        }
        ck_assert_int_eq(oa.t, ob.t);
        ck_assert(memcmp(a.p.values, b.p.values, sizeof(real) * a.p.n) == 0);
        ck_assert(memcmp(oa.state[0], ob.state[0], sizeof(real) * a.p.n) == 0);
        ck_assert(memcmp(oa.state[1], ob.state[1], sizeof(real) * a.p.n) == 0);
        optim_free(&oa);
        optim_free(&ob);
        cnn_fast_free(&fa);
        cnn_fast_free(&fb);
        cnn_free(&a);
        cnn_free(&b);
    }
    mnist_free(&m);
}
END_TEST

/* --- safetensors ------------------------------------------------------------ */
START_TEST(test_safetensors_round_trip)
{
    char *dir = test_tmpdir();
    char path[1024];
    snprintf(path, sizeof path, "%s/model.safetensors", dir);
    Rng rng;
    rng_seed(&rng, 4);
    CnnNet a, b;
    cnn_init(&a, &rng);
    cnn_init(&b, &rng); /* different weights until loaded */
    cnn_save(&a, path);
    char err[512];
    ck_assert_msg(cnn_load(&b, path, err, sizeof err) == 0, "%s", err);
    ck_assert(memcmp(a.p.values, b.p.values, sizeof(real) * a.p.n) == 0);
    enum { N = 50 };
    Mnist m = test_fake_mnist(N, &rng);
    unsigned char pa[N], pb[N];
    CnnFast f;
    cnn_fast_init(&f, &a, 2, 16, 0);
    cnn_fast_predict(&f, &a, &m, 0, N, pa);
    cnn_fast_predict(&f, &b, &m, 0, N, pb);
    ck_assert(memcmp(pa, pb, N) == 0);
    cnn_fast_free(&f);
    mnist_free(&m);
    /* the file is what the format says: u64 length, JSON, 225 034 floats */
    FILE *file = fopen(path, "rb");
    unsigned char len8[8];
    ck_assert(fread(len8, 1, 8, file) == 8);
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fclose(file);
    unsigned long long hlen = 0;
    for (int i = 7; i >= 0; i--)
        hlen = hlen << 8 | len8[i];
    ck_assert_int_eq(size, (long)(8 + hlen + 4 * 225034));
    ck_assert_int_eq((8 + hlen) % 8, 0);
    cnn_free(&a);
    cnn_free(&b);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* Writes `len` bytes of `data` to path. */
static void write_bytes(const char *path, const unsigned char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert(f != NULL);
    ck_assert(fwrite(data, 1, len, f) == len);
    fclose(f);
}

static void expect_refused(CnnNet *net, const char *path, const char *words)
{
    char err[512];
    ck_assert_msg(cnn_load(net, path, err, sizeof err) == -1, "%s was accepted", words);
    ck_assert_msg(strstr(err, path) != NULL, "message does not name the file: %s", err);
    ck_assert_msg(strstr(err, words) != NULL, "expected '%s' in: %s", words, err);
    ck_assert_msg(strchr(err, '\n') == NULL, "message is not one line: %s", err);
}

static void replace_once(unsigned char *buf, size_t len, const char *from, const char *to)
{
    size_t n = strlen(from);
    ck_assert(strlen(to) == n);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(buf + i, from, n) == 0) {
            memcpy(buf + i, to, n);
            return;
        }
    ck_abort_msg("'%s' not in the file", from);
}

START_TEST(test_safetensors_refuses_damage)
{
    char *dir = test_tmpdir();
    char good[1024], bad[1024];
    snprintf(good, sizeof good, "%s/good.safetensors", dir);
    snprintf(bad, sizeof bad, "%s/bad.safetensors", dir);
    Rng rng;
    rng_seed(&rng, 8);
    CnnNet net;
    cnn_init(&net, &rng);
    cnn_save(&net, good);
    FILE *f = fopen(good, "rb");
    fseek(f, 0, SEEK_END);
    size_t size = (size_t)ftell(f);
    rewind(f);
    unsigned char *orig = malloc(size), *buf = malloc(size);
    ck_assert(fread(orig, 1, size, f) == size);
    fclose(f);

    /* header length larger than the file */
    memcpy(buf, orig, size);
    buf[5] = 0x7f;
    write_bytes(bad, buf, size);
    expect_refused(&net, bad, "longitud de cabecera imposible");
    /* broken JSON */
    memcpy(buf, orig, size);
    replace_once(buf, size, "\"shape\":[", "\"shape\"([");
    write_bytes(bad, buf, size);
    expect_refused(&net, bad, "cabecera JSON mal formada");
    /* a name that is not in the network */
    memcpy(buf, orig, size);
    replace_once(buf, size, "fc1.weight", "fc9.weight");
    write_bytes(bad, buf, size);
    expect_refused(&net, bad, "tensor inesperado 'fc9.weight'");
    /* a wrong shape (same number of digits, so only the shape is wrong) */
    memcpy(buf, orig, size);
    replace_once(buf, size, "[128,1600]", "[128,1700]");
    write_bytes(bad, buf, size);
    expect_refused(&net, bad, "tiene forma [128, 1700]; se esperaba [128, 1600]");
    /* a wrong dtype */
    memcpy(buf, orig, size);
    replace_once(buf, size, "F32", "F16");
    write_bytes(bad, buf, size);
    expect_refused(&net, bad, "dtype F16");
    /* truncated */
    write_bytes(bad, orig, size - 100);
    expect_refused(&net, bad, "truncado");
    /* too short for the length itself */
    write_bytes(bad, orig, 5);
    expect_refused(&net, bad, "demasiado corto");
    /* a missing file */
    snprintf(bad, sizeof bad, "%s/none.safetensors", dir);
    expect_refused(&net, bad, "no se puede abrir");
    /* the good file still loads */
    char err[512];
    ck_assert_msg(cnn_load(&net, good, err, sizeof err) == 0, "%s", err);
    free(orig);
    free(buf);
    cnn_free(&net);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* --- the program ------------------------------------------------------------ */
/* Runs ch4 with `args`; expects exit status `rc` and, when `words` is not
 * NULL, those words in what it says. */
static void expect_exit(const char *args, int rc, const char *words)
{
    char out[4096], cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s", test_bin("ch4"), args);
    int got = test_run(cmd, out, sizeof out);
    ck_assert_msg(got == rc, "ch4 %s: exit %d, expected %d:\n%s", args, got, rc, out);
    if (words)
        ck_assert_msg(strstr(out, words) != NULL, "ch4 %s: expected '%s' in:\n%s", args, words, out);
    if (rc == 2) /* a usage error says so in one line, before anything else */
        ck_assert_msg(strchr(out, '\n') == strrchr(out, '\n'), "ch4 %s: more than one line:\n%s",
                      args, out);
}

START_TEST(test_program_refuses_bad_flags)
{
    expect_exit("--dropout 1", 2, "--dropout");
    expect_exit("--bogus", 2, "--bogus");
    expect_exit("--threads 0", 2, "--threads");
    expect_exit("--threads two", 2, "--threads");
    expect_exit("--threads 100000", 2, "--threads: como mucho");
    expect_exit("--plain --threads 2", 2, "--plain usa un solo hilo");
    expect_exit("--epochs 5000", 2, "--epochs");
    expect_exit("--out /proc/no/such/dir", 1, NULL);
    expect_exit("--data /nonexistent --out /tmp", 1, "make data");
    /* the shared flags of the make interface (issue 8 item 12) */
    expect_exit("--opt rmsprop", 2, "--opt");
    expect_exit("--lr 0.001,abc", 2, "--lr");
    expect_exit("--seeds 5-1", 2, "--seeds");
    expect_exit("--lr 0.001,0.003 --seeds 1,2", 2, "una comparación cada vez");
    expect_exit("--opt sgd,adam --seeds 1-3", 2, "una comparación cada vez");
    expect_exit("--seed 3 --seeds 1,2", 2, "use solo --seeds");
    expect_exit("--load m.safetensors --seeds 1,2", 2, "--load");
    expect_exit("--load m.safetensors --lr 0.1,0.2", 2, "--load");
    expect_exit("--lr-decay 2", 2, "--lr-decay");
    expect_exit("--lr-decay 0", 2, "--lr-decay");
    expect_exit("--augment-shift 9", 2, "--augment-shift");
    expect_exit("--augment-shift -1", 2, "--augment-shift");
    /* checkpoints (issue 11) */
    expect_exit("--checkpoint-every 0", 2, "--checkpoint-every");
    expect_exit("--load m.safetensors --resume", 2, "--resume");
    expect_exit("--load m.safetensors --checkpoint-every 5", 2, "--checkpoint-every");
    /* --help in Spanish, all of it (issue 8 item 3) */
    char out[8192], cmd[1024];
    snprintf(cmd, sizeof cmd, "%s --help", test_bin("ch4"));
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    ck_assert(strstr(out, "Uso:") != NULL && strstr(out, "por defecto") != NULL);
    ck_assert(strstr(out, "--resume") != NULL && strstr(out, "--checkpoint-every") != NULL);
    const char *english[] = {"default", "Usage", "images per", "this text", "train on"};
    for (size_t i = 0; i < sizeof english / sizeof english[0]; i++)
        ck_assert_msg(strstr(out, english[i]) == NULL, "--help says '%s':\n%s", english[i], out);
}
END_TEST

/* Random shifts of the training images (--augment-shift): one image moved
 * as mnist_shifted() moves the whole set, and the random moves within the
 * bound, labels untouched, the same for the same generator. */
START_TEST(test_shifts)
{
    Mnist m = {.n = 3, .rows = 28, .cols = 28};
    m.pixels = malloc(3 * 784);
    m.labels = malloc(3);
    Rng rng;
    rng_seed(&rng, 7);
    for (int i = 0; i < 3 * 784; i++)
        m.pixels[i] = (unsigned char)rng_below(&rng, 256);
    for (int i = 0; i < 3; i++)
        m.labels[i] = (unsigned char)(i + 4);
    int moves[][2] = {{0, 0}, {2, 0}, {-3, 1}, {0, -2}, {4, 4}};
    for (size_t k = 0; k < sizeof moves / sizeof moves[0]; k++) {
        Mnist ref;
        mnist_shifted(&m, moves[k][0], moves[k][1], &ref);
        unsigned char one[784];
        cnn_shift_image(m.pixels + 784, moves[k][0], moves[k][1], one);
        ck_assert_msg(memcmp(one, ref.pixels + 784, 784) == 0, "shift (%d, %d) differs",
                      moves[k][0], moves[k][1]);
        mnist_free(&ref);
    }
    Mnist a = {0}, b = {0};
    Rng r1, r2;
    rng_seed(&r1, 11);
    rng_seed(&r2, 11);
    cnn_random_shifts(&m, 2, &r1, &a);
    cnn_random_shifts(&m, 2, &r2, &b);
    ck_assert(memcmp(a.pixels, b.pixels, 3 * 784) == 0);
    ck_assert(memcmp(a.labels, m.labels, 3) == 0);
    for (int i = 0; i < 3; i++) { /* each is one of the 25 moves within ±2 */
        int found = 0;
        for (int dy = -2; dy <= 2 && !found; dy++)
            for (int dx = -2; dx <= 2 && !found; dx++) {
                unsigned char one[784];
                cnn_shift_image(m.pixels + i * 784, dx, dy, one);
                found = memcmp(one, a.pixels + i * 784, 784) == 0;
            }
        ck_assert_msg(found, "image %d: not a move within 2 pixels", i);
    }
    mnist_free(&a);
    mnist_free(&b);
    mnist_free(&m);
}
END_TEST

static double json_number(const char *json, const char *key)
{
    char pat[128];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *at = strstr(json, pat);
    ck_assert_msg(at != NULL, "no %s in summary.json", key);
    return atof(at + strlen(pat));
}

/* The first number of the array "key": [ ... ] in summary.json. */
static double json_first(const char *json, const char *key)
{
    char pat[128];
    snprintf(pat, sizeof pat, "\"%s\": [", key);
    const char *at = strstr(json, pat);
    ck_assert_msg(at != NULL, "no %s in summary.json", key);
    return atof(at + strlen(pat));
}

/* A short run with and without --plain: the readable network on one thread
 * with the plain loops, and the fast one on two threads, from the same start
 * on the same batches. Their float sums round differently (see
 * FAST_TOL_F32) and Adam carries the difference from step to step: after 16
 * batches the mean losses agreed to 1e-8 (relative) when written, and the
 * accuracies exactly. 1e-5 leaves room for the rounding to grow; any real
 * difference between the two networks would show at the first step. */
#define PLAIN_RUN_TOL 1e-5

START_TEST(test_plain_matches_fast_run)
{
    if (!test_have_mnist("test_plain_matches_fast_run"))
        return;
    /* 1000 images (16 batches) in the release build; 192 (3 batches) under
     * the sanitizers, where the plain loops take 2 minutes for 1000 */
    int train = under_asan() ? 192 : 1000, test = under_asan() ? 100 : 500;
    char *dir = test_tmpdir();
    static char out[1 << 16];
    char cmd[2048], path[1200];
    double loss[2], acc[2];
    const char *modes[2] = {"--plain", "--threads 2"};
    for (int k = 0; k < 2; k++) {
        snprintf(cmd, sizeof cmd,
                 "%s %s --epochs 1 --bench --train-limit %d --test-limit %d --out %s/%d --data %s",
                 test_bin("ch4"), modes[k], train, test, dir, k, mnist_dir());
        int rc = test_run(cmd, out, sizeof out);
        ck_assert_msg(rc == 0, "ch4 %s exited %d:\n%s", modes[k], rc, out);
        snprintf(path, sizeof path, "%s/%d/summary.json", dir, k);
        char *json = test_read_file(path);
        loss[k] = json_first(json, "epoch_loss");
        acc[k] = json_number(json, "test_accuracy");
        ck_assert_int_eq((int)json_number(json, "threads"), k == 0 ? 1 : 2);
        ck_assert(strstr(json, k == 0 ? "\"plain\": true" : "\"plain\": false") != NULL);
        free(json);
    }
    ck_assert_msg(fabs(loss[0] - loss[1]) <= PLAIN_RUN_TOL * loss[1],
                  "loss with --plain %.9g, without %.9g", loss[0], loss[1]);
    ck_assert_msg(fabs(acc[0] - acc[1]) <= 1.0 / test,
                  "accuracy with --plain %.4f, without %.4f", acc[0], acc[1]);
    test_rmdir(dir);
    free(dir);
}
END_TEST

static int csv_column(const char *path, int col, double *v, int max);

/* A small run CI can afford (10 s under the sanitizers): 4 000 training
 * images, 2 epochs, the first 1 000 test images. It must learn (≥ 90 %), write
 * every CSV, give the same bytes for the same seed and thread count, save a
 * model that --load reads back to the same accuracy, and refuse a damaged
 * model. */
START_TEST(test_end_to_end_small)
{
    if (!test_have_mnist("test_end_to_end_small"))
        return;
    const int train = 4000;
    char *dir = test_tmpdir();
    static char out[1 << 16];
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "%s --epochs 2 --train-limit %d --test-limit 1000 --seed 3 --threads 2 --out %s "
             "--data %s", test_bin("ch4"), train, dir, mnist_dir());
    int rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "ch4 exited %d:\n%s", rc, out);
    ck_assert(strstr(out, "Época 1 - Error medio:") != NULL);
    ck_assert(strstr(out, "[64 x 5 x 5]") != NULL);
    ck_assert(strstr(out, "225034 parámetros") != NULL);
    ck_assert(strstr(out, "→ 6 4 8 9\n") != NULL); /* the max-pooling example, on one line */
    const char *files[] = {"summary.json", "model.safetensors", "perdida_epocas.csv",
                           "fig4_parches.csv", "conv1d_salida.csv", "sobel_gx.csv",
                           "pool_media_p1.csv", "filtros_conv1.csv", "mapas_conv1.csv",
                           "mapas_pool2.csv", "saliencia.csv", "gradcam.csv", "confusion.csv",
                           "predicciones.csv", "salidas_muestra.csv", "mal_clasificados.csv",
                           "mal_clasificados_etiquetas.csv", "fig4_columnas.csv",
                           "mapa_kernel.csv", "mapa_kernel_info.csv"};
    char path[1200];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        ck_assert_msg(access(path, R_OK) == 0, "%s was not written", files[i]);
    }
    ck_assert(!test_dir_has_tmp(dir));
    /* Fig 4's products column by column: −765, 0, 765 on white; 0, 0, 765 on the edge */
    double products[8];
    const double want[6] = {-765, 0, 765, 0, 0, 765};
    snprintf(path, sizeof path, "%s/fig4_columnas.csv", dir);
    ck_assert_int_eq(csv_column(path, 2, products, 8), 6);
    for (int i = 0; i < 6; i++)
        ck_assert_double_eq(products[i], want[i]);
    /* 002 Fig 4.1: the image, kernel K2 (9 weights, conv1.weight[18..26]) and two 26×26 maps */
    double panel[2200];
    snprintf(path, sizeof path, "%s/mapa_kernel.csv", dir);
    ck_assert_int_eq(csv_column(path, 0, panel, 2200), 784 + 9 + 2 * 676);
    snprintf(path, sizeof path, "%s/summary.json", dir);
    char *json = test_read_file(path);
    double acc = json_number(json, "test_accuracy");
    ck_assert_msg(acc >= 0.90, "test accuracy %.4f after 2 epochs on %d images (92.2 %% when written)",
                  acc, train);
    ck_assert_int_eq((int)json_number(json, "parameters"), 225034);
    ck_assert_int_eq((int)json_number(json, "threads"), 2);
    free(json);

    /* the same seed and thread count give the same bytes (no timings in the CSVs) */
    char *dir3 = test_tmpdir();
    const char *run = "--epochs 1 --train-limit 1000 --test-limit 300 --seed 3 --threads 2";
    snprintf(cmd, sizeof cmd,
             "%s %s --out %s --data %s >/dev/null && %s %s --out %s/again --data %s",
             test_bin("ch4"), run, dir3, mnist_dir(), test_bin("ch4"), run, dir3, mnist_dir());
    rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "%s", out);
    const char *same[] = {"perdida_epocas.csv", "filtros_conv1.csv", "predicciones.csv",
                          "salidas_muestra.csv", "saliencia.csv", "gradcam.csv",
                          "mapas_conv2.csv", "mal_clasificados.csv", "model.safetensors"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        char a[1200], b[1200];
        snprintf(a, sizeof a, "%s/%s", dir3, same[i]);
        snprintf(b, sizeof b, "%s/again/%s", dir3, same[i]);
        ck_assert_msg(test_files_identical(a, b), "%s differs between two runs with one seed", same[i]);
    }
    test_rmdir(dir3);
    free(dir3);

    /* --load evaluates the saved model to the same accuracy */
    char *dir2 = test_tmpdir();
    snprintf(cmd, sizeof cmd, "%s --load %s/model.safetensors --bench --test-limit 1000 --out %s --data %s",
             test_bin("ch4"), dir, dir2, mnist_dir());
    rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "ch4 --load exited %d:\n%s", rc, out);
    snprintf(path, sizeof path, "%s/summary.json", dir2);
    json = test_read_file(path);
    ck_assert_double_eq_tol(json_number(json, "test_accuracy"), acc, 1e-9);
    free(json);

    /* a damaged model is refused with one line */
    snprintf(path, sizeof path, "%s/model.safetensors", dir);
    ck_assert(truncate(path, 1000) == 0);
    rc = test_run(cmd, out, sizeof out);
    ck_assert_int_eq(rc, 1);
    ck_assert_msg(strstr(out, "fichero truncado") != NULL, "%s", out);
    test_rmdir(dir2);
    free(dir2);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* The numbers of a CSV's column `col` (0-based), after its header. */
static int csv_column(const char *path, int col, double *v, int max)
{
    char *text = test_read_file(path);
    int n = 0;
    char *line = strchr(text, '\n');
    while (line && line[1] && n < max) {
        line++;
        const char *p = line;
        for (int k = 0; k < col && p; k++) {
            p = strchr(p, ',');
            if (p)
                p++;
        }
        ck_assert_msg(p != NULL, "%s: a row with fewer than %d columns", path, col + 1);
        v[n++] = atof(p);
        line = strchr(line, '\n');
    }
    free(text);
    return n;
}

/* --seeds (issue 8 item 9): one network per seed, each as --seed would train
 * it; the mean and sd of semillas.csv in summary.json and in the output. */
START_TEST(test_seed_study)
{
    if (!test_have_mnist("test_seed_study"))
        return;
    char *dir = test_tmpdir();
    static char out[1 << 16];
    char cmd[2048], path[1200];
    const char *run = "--epochs 1 --bench --train-limit 640 --test-limit 300 --threads 2";
    snprintf(cmd, sizeof cmd, "%s %s --seeds 3,8 --out %s/s --data %s", test_bin("ch4"), run, dir,
             mnist_dir());
    int rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "ch4 --seeds exited %d:\n%s", rc, out);
    double seeds[4], acc[4];
    snprintf(path, sizeof path, "%s/s/semillas.csv", dir);
    ck_assert_int_eq(csv_column(path, 0, seeds, 4), 2);
    ck_assert_int_eq(csv_column(path, 2, acc, 4), 2);
    ck_assert(seeds[0] == 3 && seeds[1] == 8);
    double mean, sd;
    mean_sd(acc, 2, &mean, &sd);
    snprintf(path, sizeof path, "%s/s/summary.json", dir);
    char *json = test_read_file(path);
    ck_assert_double_eq_tol(json_number(json, "seeds_test_accuracy_mean"), mean, 1e-9);
    ck_assert_double_eq_tol(json_number(json, "seeds_test_accuracy_sd"), sd, 1e-9);
    ck_assert_double_eq_tol(json_number(json, "test_accuracy"), acc[0], 1e-9); /* the main net */
    ck_assert_int_eq((int)json_number(json, "seed"), 3);
    free(json);
    char line[128];
    snprintf(line, sizeof line, "media %.2f %% ± %.2f %%", 100 * mean, 100 * sd);
    ck_assert_msg(strstr(out, line) != NULL, "expected '%s' in:\n%s", line, out);
    /* the second seed's network is the one --seed 8 trains */
    snprintf(cmd, sizeof cmd, "%s %s --seed 8 --out %s/one --data %s", test_bin("ch4"), run, dir,
             mnist_dir());
    rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "%s", out);
    snprintf(path, sizeof path, "%s/one/summary.json", dir);
    json = test_read_file(path);
    ck_assert_double_eq_tol(json_number(json, "test_accuracy"), acc[1], 1e-9);
    free(json);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* --lr LIST (issue 8 item 12): every rate trained from the same start, one
 * CSV with a column per setting (the main one the run's own curve), the
 * line that says how to draw it; a run without a list removes the CSV. */
START_TEST(test_lr_comparison)
{
    if (!test_have_mnist("test_lr_comparison"))
        return;
    char *dir = test_tmpdir();
    static char out[1 << 16];
    char cmd[2048], path[1200];
    const char *run = "--epochs 1 --bench --train-limit 640 --test-limit 200 --threads 2";
    snprintf(cmd, sizeof cmd, "%s %s --lr 0.003,0.001 --opt adam --out %s --data %s",
             test_bin("ch4"), run, dir, mnist_dir());
    int rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "ch4 --lr list exited %d:\n%s", rc, out);
    ck_assert_msg(strstr(out, "plots/ch4_comparacion_perdidas.gp") != NULL, "%s", out);
    snprintf(path, sizeof path, "%s/comparacion_perdidas.csv", dir);
    char *text = test_read_file(path);
    ck_assert_msg(strncmp(text, "lote,adam lr=0.003,adam lr=0.001\n", 33) == 0, "%s", text);
    free(text);
    double a[8], b[8];
    ck_assert_int_eq(csv_column(path, 1, a, 8), 1); /* 10 batches: one point of 50 */
    ck_assert_int_eq(csv_column(path, 2, b, 8), 1);
    ck_assert(a[0] != b[0]);
    /* the main network is the notes' 0.001: the loss of its only epoch */
    snprintf(path, sizeof path, "%s/summary.json", dir);
    char *json = test_read_file(path);
    ck_assert_double_eq_tol(json_first(json, "epoch_loss"), b[0], 1e-5 * b[0]);
    ck_assert_double_eq_tol(json_number(json, "lr"), 0.001, 1e-12);
    free(json);
    /* no rate diverged: the file of the marks where curves ended has no row */
    snprintf(path, sizeof path, "%s/comparacion_perdidas_divergencias.csv", dir);
    text = test_read_file(path);
    ck_assert_msg(text && strcmp(text, "ajuste,curva,lote,perdida\n") == 0, "%s",
                  text ? text : "(not written)");
    free(text);
    /* its animation: one frame a point (1 here), the last held 10 times */
    test_check_animation("plots/ch4_comparacion_perdidas_animacion.gp", dir,
                    "ch4_comparacion_perdidas_animacion.gif", 1 + 10);
    snprintf(cmd, sizeof cmd, "%s %s --out %s --data %s", test_bin("ch4"), run, dir, mnist_dir());
    rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "%s", out);
    snprintf(path, sizeof path, "%s/comparacion_perdidas.csv", dir);
    ck_assert_msg(access(path, F_OK) != 0, "a run without a list left the old comparison");
    snprintf(path, sizeof path, "%s/comparacion_perdidas_divergencias.csv", dir);
    ck_assert_msg(access(path, F_OK) != 0, "a run without a list left the old marks");
    test_rmdir(dir);
    free(dir);
}
END_TEST


/* --- learning in motion (§4.1): conv1's kernels over epoch 1 ------------------ */
/* The frames are copied out of the network, never written back: training
 * with them gives the same network, bit for bit, as training without. Frame
 * 0 is the start, the frames fall at evenly spaced batches of epoch 1 only,
 * and the last is the network after epoch 1 (what a 1-epoch run ends with). */
START_TEST(test_conv1_frames_read_only)
{
    enum { B = 16, BATCHES = 8 };
    Rng rng;
    rng_seed(&rng, 11);
    Mnist m = test_fake_mnist(B * BATCHES, &rng);
    CnnTrainSettings s = cnn_train_defaults();
    s.batch = B;
    s.epochs = 2;
    s.threads = 2;
    CnnNet with, without, one;
    cnn_train_init_net(&with, 7);
    cnn_train_init_net(&without, 7);
    cnn_train_init_net(&one, 7);
    float start[CNN_C1 * 9];
    for (int i = 0; i < CNN_C1 * 9; i++)
        start[i] = (float)with.conv1.weight[i];
    CnnTrainLog lw, lo, l1;
    s.conv1_frames = 4;
    cnn_train_run(&with, &m, &s, &lw);
    s.conv1_frames = 0;
    cnn_train_run(&without, &m, &s, &lo);
    ck_assert(memcmp(with.p.values, without.p.values, sizeof(real) * with.p.n) == 0);
    ck_assert(lw.epoch_loss[1] == lo.epoch_loss[1]);
    ck_assert_int_eq(lo.nconv1, 0);
    ck_assert_int_eq(lw.nconv1, 5);
    for (int k = 0; k < 5; k++)
        ck_assert_int_eq(lw.conv1_batch[k], 2 * k);   /* 0, 2, 4, 6, 8 of 8 batches */
    ck_assert(memcmp(lw.conv1, start, sizeof start) == 0);
    s.epochs = 1;
    cnn_train_run(&one, &m, &s, &l1);
    const float *last = lw.conv1 + 4 * CNN_C1 * 9;
    int differs_from_end = 0;
    for (int i = 0; i < CNN_C1 * 9; i++) {
        ck_assert_msg(last[i] == (float)one.conv1.weight[i],
                      "last frame, weight %d: %g, after one epoch %g", i, last[i],
                      (double)one.conv1.weight[i]);
        differs_from_end |= last[i] != (float)with.conv1.weight[i];
    }
    ck_assert_msg(differs_from_end, "epoch 2 left conv1 as epoch 1 did: the frames came late");
    /* more frames asked than batches: one frame a batch, none twice */
    cnn_train_log_free(&l1);
    cnn_free(&one);
    cnn_train_init_net(&one, 7);
    s.conv1_frames = 40;
    cnn_train_run(&one, &m, &s, &l1);
    ck_assert_int_eq(l1.nconv1, BATCHES + 1);
    ck_assert_int_eq(l1.conv1_batch[BATCHES], BATCHES);
    cnn_train_log_free(&lw);
    cnn_train_log_free(&lo);
    cnn_train_log_free(&l1);
    cnn_free(&with);
    cnn_free(&without);
    cnn_free(&one);
    mnist_free(&m);
}
END_TEST

/* The program's frame file, filtros_conv1_lotes.csv: 288 rows a frame in
 * filtros_conv1.csv's layout; frame 0 the initial network (seed 3), the last
 * the network after epoch 1 — with --epochs 1, the filtros_conv1.csv the run
 * writes at its end. --bench writes none, and --load removes an earlier
 * run's. The animation drawn from it: a GIF89a under 5 MB. */
START_TEST(test_conv1_frames_file)
{
    if (!test_have_mnist("test_conv1_frames_file"))
        return;
    enum { TRAIN = 640, FRAMES = 10 + 1 };   /* 10 batches: a frame each, and the start */
    char *dir = test_tmpdir();
    static char out[1 << 16];
    char cmd[2048], path[1200];
    snprintf(cmd, sizeof cmd,
             "%s --epochs 1 --train-limit %d --test-limit 200 --seed 3 --threads 2 --out %s "
             "--data %s", test_bin("ch4"), TRAIN, dir, mnist_dir());
    int rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "ch4 exited %d:\n%s", rc, out);
    snprintf(path, sizeof path, "%s/filtros_conv1_lotes.csv", dir);
    char *text = test_read_file(path);
    ck_assert_msg(text != NULL, "filtros_conv1_lotes.csv was not written");
    ck_assert(strncmp(text, "frame,batch,filter,row,col,weight\n", 34) == 0);
    free(text);
    static double frame[FRAMES * 288 + 1], batch[FRAMES * 288 + 1], w[FRAMES * 288 + 1];
    ck_assert_int_eq(csv_column(path, 0, frame, FRAMES * 288 + 1), FRAMES * 288);
    ck_assert_int_eq(csv_column(path, 1, batch, FRAMES * 288 + 1), FRAMES * 288);
    ck_assert_int_eq(csv_column(path, 5, w, FRAMES * 288 + 1), FRAMES * 288);
    for (int k = 0; k < FRAMES; k++) {
        ck_assert(frame[k * 288] == k && frame[k * 288 + 287] == k);
        ck_assert(batch[k * 288] == k);
    }
    CnnNet start;
    cnn_train_init_net(&start, 3);
    /* %.9g gives a float back exactly: compared as floats, they are equal */
    for (int i = 0; i < 288; i++)
        ck_assert_msg((float)w[i] == (float)start.conv1.weight[i],
                      "frame 0, weight %d: %.9g, start %.9g", i, w[i],
                      (double)start.conv1.weight[i]);
    cnn_free(&start);
    static double final[289];
    snprintf(path, sizeof path, "%s/filtros_conv1.csv", dir);
    ck_assert_int_eq(csv_column(path, 3, final, 289), 288);
    for (int i = 0; i < 288; i++)
        ck_assert_msg(w[(FRAMES - 1) * 288 + i] == final[i], "last frame, weight %d: %.9g, run's "
                      "end %.9g", i, w[(FRAMES - 1) * 288 + i], final[i]);
    test_check_animation("plots/ch4_filtros_conv1_animacion.gp", dir, "ch4_filtros_conv1_animacion.gif",
                    FRAMES + 12);  /* and the last frame held 12 times */
    /* --load trains nothing: the earlier run's frames go */
    snprintf(cmd, sizeof cmd, "%s --load %s/model.safetensors --bench --test-limit 100 --out %s "
             "--data %s", test_bin("ch4"), dir, dir, mnist_dir());
    rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "ch4 --load exited %d:\n%s", rc, out);
    snprintf(path, sizeof path, "%s/filtros_conv1_lotes.csv", dir);
    ck_assert_msg(access(path, F_OK) != 0, "--load left an earlier run's frames");
    test_rmdir(dir);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ch4");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 900);
    tcase_add_test(tc, test_fig4_edge_filter);
    tcase_add_test(tc, test_conv1d_example);
    tcase_add_test(tc, test_sobel_axes);
    tcase_add_test(tc, test_pooling_examples);
    tcase_add_test(tc, test_shapes_and_parameters);
    tcase_add_test(tc, test_fast_conv_matches_plain);
    tcase_add_test(tc, test_fast_maxpool_matches_plain);
    tcase_add_test(tc, test_fast_matches_readable);
    tcase_add_test(tc, test_adam_shared_bit_for_bit);
    tcase_add_test(tc, test_safetensors_round_trip);
    tcase_add_test(tc, test_safetensors_refuses_damage);
    tcase_add_test(tc, test_program_refuses_bad_flags);
    tcase_add_test(tc, test_shifts);
    tcase_add_test(tc, test_seed_study);
    tcase_add_test(tc, test_lr_comparison);
    tcase_add_test(tc, test_plain_matches_fast_run);
    tcase_add_test(tc, test_end_to_end_small);
    tcase_add_test(tc, test_conv1_frames_read_only);
    tcase_add_test(tc, test_conv1_frames_file);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
