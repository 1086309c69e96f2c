/* test_ch4.c — chapter 4's claims, in the float build the chapter runs:
 * the worked examples of notes §4.1 and 002 §3 (Fig 4's 0 and 765, the 1-D
 * convolution, Sobel's axes, pooling sizes), the shapes 28→26→13→11→5 and
 * the 225 034 parameters, the fast layers against the plain loops, the
 * network's pool-then-bias-and-ReLU order against PyTorch's order, the
 * safetensors round trip and its refusals, and the program end to end. */
#include "testutil.h"
#include "../chapters/04-cnn/cnn.h"
#include "conv.h"
#include "nn.h"
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
    int arg[16];
    PoolGeom g = pool_geom(1, 4, 4, 2, 2, 0);
    maxpool_forward(y, arg, x, &g);
    ck_assert_int_eq(g.ho, 2);
    const real max_want[4] = {6, 4, 8, 9};
    assert_close(y, max_want, 4, 0, "max pool 2x2");
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
    /* the rule rounds down: notes §4.2's 11 → 5, and 7 with k 2 s 2 → 3 */
    ck_assert_int_eq(conv_out_size(11, 2, 2, 0), 5);
    ck_assert_int_eq(conv_out_size(7, 3, 2, 1), 4);
}
END_TEST

/* --- notes §4.2: the stops and the size ----------------------------------- */
START_TEST(test_shapes_and_parameters)
{
    int s1 = conv_out_size(28, 3, 1, 0), q1 = conv_out_size(s1, 2, 2, 0);
    int s2 = conv_out_size(q1, 3, 1, 0), q2 = conv_out_size(s2, 2, 2, 0);
    ck_assert_int_eq(s1, 26);
    ck_assert_int_eq(q1, 13);
    ck_assert_int_eq(s2, 11);
    ck_assert_int_eq(q2, 5);
    ck_assert_int_eq(64 * q2 * q2, CH4_FLAT); /* 1600, the notes' "5564" (errata) */
    Rng rng;
    rng_seed(&rng, 1);
    Ch4Net net;
    ch4_net_init(&net, &rng);
    ck_assert_int_eq((int)net.p.n, 225034);
    /* PyTorch's init: every conv1 weight within ±1/3 (fan_in 9), fc1 within ±1/40 */
    for (int i = 0; i < 288; i++)
        ck_assert(fabs(net.conv1_w[i]) <= 1.0 / 3);
    for (int i = 0; i < 204800; i++)
        ck_assert(fabs(net.fc1_w[i]) <= 1.0 / 40);
    ch4_net_free(&net);
}
END_TEST

/* --- fast layers against the plain loops ---------------------------------- */
static void compare_conv(int B, int cin, int h, int w, int cout, int k, int s, int p)
{
    Rng rng;
    rng_seed(&rng, (uint64_t)(B * 1000 + cin * 100 + k * 10 + s + p));
    ConvGeom g = conv_geom(B, cin, h, w, cout, k, s, p);
    size_t nx = (size_t)B * cin * h * w, nw = (size_t)cout * cin * k * k,
           ny = (size_t)B * cout * g.ho * g.wo, nc = (size_t)conv_cols_size(&g);
    real *x = malloc(nx * sizeof(real)), *xc = malloc(nx * sizeof(real));
    real *W = malloc(nw * sizeof(real)), *b = malloc((size_t)cout * sizeof(real));
    real *y = malloc(ny * sizeof(real)), *yc = malloc(ny * sizeof(real)), *yn = malloc(ny * sizeof(real));
    real *dy = malloc(ny * sizeof(real)), *dyc = malloc(ny * sizeof(real));
    real *cols = malloc(nc * sizeof(real)), *dcols = malloc(nc * sizeof(real));
    real *dx = calloc(nx, sizeof(real)), *dxc = calloc(nx, sizeof(real)), *dxn = malloc(nx * sizeof(real));
    real *dW = calloc(nw, sizeof(real)), *dWf = calloc(nw, sizeof(real));
    real *db = calloc((size_t)cout, sizeof(real)), *dbf = calloc((size_t)cout, sizeof(real));
    fill_random(x, nx, &rng);
    fill_random(W, nw, &rng);
    fill_random(b, (size_t)cout, &rng);
    fill_random(dy, ny, &rng);
    /* plain, NCHW */
    conv2d_forward_plain(y, x, W, b, &g);
    conv2d_backward_plain(dx, dW, db, dy, x, W, &g);
    /* fast, CBHW: convert in, compute, convert back */
    nchw_to_cbhw(xc, x, B, cin, h * w);
    nchw_to_cbhw(dyc, dy, B, cout, g.ho * g.wo);
    conv2d_forward(yc, cols, xc, W, b, &g);
    conv2d_backward(dxc, dWf, dbf, dyc, cols, dcols, W, &g);
    cbhw_to_nchw(yn, yc, B, cout, g.ho * g.wo);
    cbhw_to_nchw(dxn, dxc, B, cin, h * w);
    assert_close(yn, y, ny, 1e-5, "conv forward");
    assert_close(dxn, dx, nx, 1e-5, "conv dx");
    assert_close(dWf, dW, nw, 1e-4, "conv dW");
    assert_close(dbf, db, (size_t)cout, 1e-4, "conv db");
    free(x); free(xc); free(W); free(b); free(y); free(yc); free(yn); free(dy); free(dyc);
    free(cols); free(dcols); free(dx); free(dxc); free(dxn); free(dW); free(dWf); free(db); free(dbf);
}

START_TEST(test_fast_conv_matches_plain)
{
    compare_conv(3, 1, 28, 28, 32, 3, 1, 0);  /* conv1 */
    compare_conv(3, 32, 13, 13, 64, 3, 1, 0); /* conv2 */
    compare_conv(2, 3, 9, 8, 4, 3, 2, 1);
    compare_conv(2, 2, 7, 7, 3, 2, 3, 0);
    compare_conv(1, 2, 6, 5, 2, 5, 1, 2);
}
END_TEST

START_TEST(test_fast_maxpool_matches_plain)
{
    Rng rng;
    rng_seed(&rng, 9);
    /* 26, 11 and 10 (conv2's cropped maps) are the network's; 5 and 3 give
     * rows of 2 and 1 windows (the vector tail on rows shorter than 8) */
    const int sets[7][5] = {{26, 2, 2, 0, 8}, {11, 2, 2, 0, 8}, {10, 2, 2, 0, 64},
                            {5, 2, 2, 0, 40}, {3, 2, 2, 0, 5}, {9, 3, 2, 1, 3},
                            {6, 2, 1, 1, 2}};
    for (int t = 0; t < 7; t++) {
        int n = sets[t][0], k = sets[t][1], s = sets[t][2], p = sets[t][3], planes = sets[t][4];
        PoolGeom g = pool_geom(planes, n, n, k, s, p);
        size_t nx = (size_t)planes * n * n, ny = (size_t)planes * g.ho * g.wo;
        real *x = malloc(nx * sizeof(real)), *y1 = malloc(ny * sizeof(real)),
             *y2 = malloc(ny * sizeof(real)), *dy = malloc(ny * sizeof(real));
        real *dx1 = calloc(nx, sizeof(real)), *dx2 = calloc(nx, sizeof(real)),
             *dx3 = malloc(nx * sizeof(real));
        int *arg = malloc(ny * sizeof(int));
        fill_random(x, nx, &rng);
        for (size_t i = 0; i < nx; i += 7)
            x[i] = x[i + 1 < nx ? i + 1 : i]; /* a few ties: both take the first */
        fill_random(dy, ny, &rng);
        maxpool_forward_plain(y1, x, &g);
        maxpool_forward(y2, arg, x, &g);
        real *y3 = malloc(ny * sizeof(real));
        maxpool_forward(y3, NULL, x, &g); /* the vector path without argmax */
        assert_close(y3, y1, ny, 0, "max pool forward (no argmax)");
        free(y3);
        maxpool_backward_plain(dx1, dy, x, &g);
        maxpool_backward(dx2, dy, arg, &g);
        maxpool_backward_set(dx3, dy, x, y2, &g);
        assert_close(y2, y1, ny, 0, "max pool forward");
        assert_close(dx2, dx1, nx, 0, "max pool backward");
        assert_close(dx3, dx1, nx, 0, "max pool backward (set)");
        free(x); free(y1); free(y2); free(dy); free(dx1); free(dx2); free(dx3); free(arg);
    }
}
END_TEST

/* The network adds conv biases and applies ReLU after pooling; PyTorch's
 * order (conv + bias, ReLU, pool) with the plain loops must give the same
 * logits. */
START_TEST(test_network_matches_pytorch_order)
{
    Rng rng;
    rng_seed(&rng, 21);
    Ch4Net net;
    ch4_net_init(&net, &rng);
    enum { B = 2 };
    Ch4Work w;
    ch4_work_init(&w, B, 0);
    for (int i = 0; i < B * 784; i++)
        w.x[i] = (real)(rng_uniform(&rng) < 0.3 ? rng_uniform(&rng) : 0);
    real *x = malloc(sizeof(real) * B * 784);
    memcpy(x, w.x, sizeof(real) * B * 784);
    ch4_forward(&net, &w, B, NULL);

    ConvGeom c1 = conv_geom(B, 1, 28, 28, 32, 3, 1, 0), c2 = conv_geom(B, 32, 13, 13, 64, 3, 1, 0);
    PoolGeom q1 = pool_geom(B * 32, 26, 26, 2, 2, 0), q2 = pool_geom(B * 64, 11, 11, 2, 2, 0);
    real *a1 = malloc(sizeof(real) * B * 32 * 676), *p1 = malloc(sizeof(real) * B * 32 * 169);
    real *a2 = malloc(sizeof(real) * B * 64 * 121), *p2 = malloc(sizeof(real) * B * 1600);
    real h[B * 128], logits[B * 10];
    conv2d_forward_plain(a1, x, net.conv1_w, net.conv1_b, &c1);
    relu_forward(a1, a1, (size_t)B * 32 * 676);
    maxpool_forward_plain(p1, a1, &q1);
    conv2d_forward_plain(a2, p1, net.conv2_w, net.conv2_b, &c2);
    relu_forward(a2, a2, (size_t)B * 64 * 121);
    maxpool_forward_plain(p2, a2, &q2); /* NCHW: already PyTorch's flatten order */
    dense_forward_plain(h, p2, net.fc1_w, net.fc1_b, B, 1600, 128);
    relu_forward(h, h, B * 128);
    dense_forward_plain(logits, h, net.fc2_w, net.fc2_b, B, 128, 10);
    assert_close(w.logits, logits, B * 10, 1e-4, "logits");
    free(x); free(a1); free(p1); free(a2); free(p2);
    ch4_work_free(&w);
    ch4_net_free(&net);
}
END_TEST

/* Two threads sharing a batch compute the same loss and gradient as one. */
START_TEST(test_team_step_matches_serial)
{
    Rng rng;
    rng_seed(&rng, 31);
    Ch4Net net;
    ch4_net_init(&net, &rng);
    enum { N = 21 }; /* odd: the slices differ in size */
    static unsigned char px[N * 784];
    unsigned char labels[N];
    int idx[N];
    for (int i = 0; i < N * 784; i++)
        px[i] = rng_uniform(&rng) < 0.25 ? (unsigned char)rng_below(&rng, 256) : 0;
    for (int i = 0; i < N; i++) {
        labels[i] = (unsigned char)(i % 10);
        idx[i] = N - 1 - i; /* a shuffled order */
    }
    real mask[N * 128];
    dropout_make_mask(mask, N * 128, 0.3f, &rng);
    Ch4Work w;
    ch4_work_init(&w, N, 1);
    ch4_load_batch(&w, px, idx, N);
    double loss1 = ch4_train_step(&net, &w, N, labels, mask);
    real *g1 = malloc(sizeof(real) * net.p.n);
    memcpy(g1, net.p.grads, sizeof(real) * net.p.n);
    Ch4Team team;
    ch4_team_init(&team, &net, 2, N, 1);
    double loss2 = ch4_team_step(&team, &net, px, idx, labels, N, mask);
    ck_assert_double_eq_tol(loss2, loss1, 1e-5);
    double largest = 0;
    for (size_t i = 0; i < net.p.n; i++)
        largest = fabs(g1[i]) > largest ? fabs(g1[i]) : largest;
    ck_assert(largest > 0);
    assert_close(net.p.grads, g1, net.p.n, 1e-5 * largest, "team gradient");
    /* and the team's predictions are the single workspace's */
    unsigned char p1[N], p2[N];
    ch4_predict(&net, &w, px, N, p1);
    ch4_team_predict(&team, px, N, p2);
    ck_assert(memcmp(p1, p2, N) == 0);
    /* the step with Adam on the threads: exactly ch4_team_step + adam_step,
     * for a few steps (m and v carry over), on 2 and on 3 threads */
    for (int threads = 2; threads <= 3; threads++) {
        Ch4Net a, b;
        Rng r1, r2;
        rng_seed(&r1, 5);
        rng_seed(&r2, 5);
        ch4_net_init(&a, &r1);
        ch4_net_init(&b, &r2);
        Ch4Team ta, tb;
        ch4_team_init(&ta, &a, threads, N, 1);
        ch4_team_init(&tb, &b, threads, N, 1);
        Adam oa, ob;
        adam_init(&oa, a.p.n, 1e-3);
        adam_init(&ob, b.p.n, 1e-3);
        for (int step = 0; step < 3; step++) {
            double la = ch4_team_step(&ta, &a, px, idx, labels, N, mask);
            adam_step(&oa, a.p.values, a.p.grads);
            double lb = ch4_team_step_adam(&tb, &b, px, idx, labels, N, mask, &ob);
            ck_assert(la == lb);
        }
        ck_assert_int_eq(oa.t, ob.t);
        ck_assert(memcmp(a.p.values, b.p.values, sizeof(real) * a.p.n) == 0);
        ck_assert(memcmp(oa.m, ob.m, sizeof(real) * a.p.n) == 0);
        ck_assert(memcmp(oa.v, ob.v, sizeof(real) * a.p.n) == 0);
        adam_free(&oa);
        adam_free(&ob);
        ch4_team_free(&ta);
        ch4_team_free(&tb);
        ch4_net_free(&a);
        ch4_net_free(&b);
    }
    ch4_team_free(&team);
    ch4_work_free(&w);
    free(g1);
    ch4_net_free(&net);
}
END_TEST

/* --- safetensors ------------------------------------------------------------ */
static void random_images(unsigned char *px, int n, Rng *rng)
{
    for (int i = 0; i < n * 784; i++)
        px[i] = rng_uniform(rng) < 0.25 ? (unsigned char)rng_below(rng, 256) : 0;
}

START_TEST(test_safetensors_round_trip)
{
    char *dir = test_tmpdir();
    char path[1024];
    snprintf(path, sizeof path, "%s/model.safetensors", dir);
    Rng rng;
    rng_seed(&rng, 4);
    Ch4Net a, b;
    ch4_net_init(&a, &rng);
    ch4_net_init(&b, &rng); /* different weights until loaded */
    ch4_save(&a, path);
    char err[512];
    ck_assert_msg(ch4_load(&b, path, err, sizeof err) == 0, "%s", err);
    ck_assert(memcmp(a.p.values, b.p.values, sizeof(real) * a.p.n) == 0);
    enum { N = 50 };
    unsigned char px[N * 784], pa[N], pb[N];
    random_images(px, N, &rng);
    Ch4Work w;
    ch4_work_init(&w, 16, 0);
    ch4_predict(&a, &w, px, N, pa);
    ch4_predict(&b, &w, px, N, pb);
    ck_assert(memcmp(pa, pb, N) == 0);
    /* the file is what the format says: u64 length, JSON, 225 034 floats */
    FILE *f = fopen(path, "rb");
    unsigned char len8[8];
    ck_assert(fread(len8, 1, 8, f) == 8);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    unsigned long long hlen = 0;
    for (int i = 7; i >= 0; i--)
        hlen = hlen << 8 | len8[i];
    ck_assert_int_eq(size, (long)(8 + hlen + 4 * 225034));
    ck_assert_int_eq((8 + hlen) % 8, 0);
    ch4_work_free(&w);
    ch4_net_free(&a);
    ch4_net_free(&b);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* Writes `data` with the byte at `at` replaced, or cut to `len`. */
static void write_bytes(const char *path, const unsigned char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert(f != NULL);
    ck_assert(fwrite(data, 1, len, f) == len);
    fclose(f);
}

static void expect_refused(Ch4Net *net, const char *path, const char *words)
{
    char err[512];
    ck_assert_msg(ch4_load(net, path, err, sizeof err) == -1, "%s was accepted", words);
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
    Ch4Net net;
    ch4_net_init(&net, &rng);
    ch4_save(&net, good);
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
    expect_refused(&net, bad, "bad header length");
    /* broken JSON */
    memcpy(buf, orig, size);
    replace_once(buf, size, "\"shape\":[", "\"shape\"([");
    write_bytes(bad, buf, size);
    expect_refused(&net, bad, "bad JSON header");
    /* a name that is not in the network */
    memcpy(buf, orig, size);
    replace_once(buf, size, "fc1.weight", "fc9.weight");
    write_bytes(bad, buf, size);
    expect_refused(&net, bad, "unexpected tensor 'fc9.weight'");
    /* a wrong shape (same number of digits, so only the shape is wrong) */
    memcpy(buf, orig, size);
    replace_once(buf, size, "[128,1600]", "[128,1700]");
    write_bytes(bad, buf, size);
    expect_refused(&net, bad, "has shape [128, 1700], expected [128, 1600]");
    /* a wrong dtype */
    memcpy(buf, orig, size);
    replace_once(buf, size, "F32", "F16");
    write_bytes(bad, buf, size);
    expect_refused(&net, bad, "dtype F16");
    /* truncated */
    write_bytes(bad, orig, size - 100);
    expect_refused(&net, bad, "truncated");
    /* too short for the length itself */
    write_bytes(bad, orig, 5);
    expect_refused(&net, bad, "too short");
    /* a missing file */
    snprintf(bad, sizeof bad, "%s/none.safetensors", dir);
    expect_refused(&net, bad, "cannot open");
    /* the good file still loads */
    char err[512];
    ck_assert_msg(ch4_load(&net, good, err, sizeof err) == 0, "%s", err);
    free(orig);
    free(buf);
    ch4_net_free(&net);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* --- the program ------------------------------------------------------------ */
START_TEST(test_program_refuses_bad_flags)
{
    char out[4096], cmd[1024];
    snprintf(cmd, sizeof cmd, "%s --dropout 1", test_bin("ch4"));
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 2);
    ck_assert_msg(strstr(out, "--dropout") != NULL, "%s", out);
    snprintf(cmd, sizeof cmd, "%s --bogus", test_bin("ch4"));
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 2);
    snprintf(cmd, sizeof cmd, "%s --out /proc/no/such/dir", test_bin("ch4"));
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 1);
    snprintf(cmd, sizeof cmd, "%s --data /nonexistent --out %s", test_bin("ch4"), "/tmp");
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 1);
    ck_assert_msg(strstr(out, "make data") != NULL, "%s", out);
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

/* A small run CI can afford: 4 000 training images, 2 epochs, the first 1 000
 * test images. It must learn (≥ 90 %), write every CSV, save a model that
 * --load reads back to the same accuracy, and refuse a damaged model. */
START_TEST(test_end_to_end_small)
{
    if (!test_have_mnist("test_end_to_end_small"))
        return;
    char *dir = test_tmpdir();
    static char out[1 << 16];
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "%s --epochs 2 --train-limit 4000 --test-limit 1000 --seed 3 --out %s --data %s",
             test_bin("ch4"), dir, getenv("MNIST_DATA") ? getenv("MNIST_DATA") : "datasets/mnist");
    int rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "ch4 exited %d:\n%s", rc, out);
    ck_assert(strstr(out, "Época 1 - Error medio:") != NULL);
    ck_assert(strstr(out, "[64 x 5 x 5]") != NULL);
    ck_assert(strstr(out, "225034 parámetros") != NULL);
    const char *files[] = {"summary.json", "model.safetensors", "perdida_epocas.csv",
                           "fig4_parches.csv", "conv1d_salida.csv", "sobel_gx.csv",
                           "pool_media_p1.csv", "filtros_conv1.csv", "mapas_conv1.csv",
                           "mapas_pool2.csv", "saliencia.csv", "gradcam.csv", "confusion.csv",
                           "mal_clasificados.csv"};
    char path[1200];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        FILE *f = fopen(path, "r");
        ck_assert_msg(f != NULL, "%s was not written", files[i]);
        fclose(f);
    }
    ck_assert(!test_dir_has_tmp(dir));
    snprintf(path, sizeof path, "%s/summary.json", dir);
    char *json = test_read_file(path);
    double acc = json_number(json, "test_accuracy");
    ck_assert_msg(acc >= 0.90, "test accuracy %.4f after 2 epochs on 4000 images (92.2 %% when written)", acc);
    ck_assert_int_eq((int)json_number(json, "parameters"), 225034);
    free(json);

    /* the same seed gives the same bytes (no timings in the CSVs) */
    char *dir3 = test_tmpdir();
    snprintf(cmd, sizeof cmd,
             "%s --epochs 1 --train-limit 1000 --test-limit 300 --seed 3 --out %s --data %s >/dev/null "
             "&& %s --epochs 1 --train-limit 1000 --test-limit 300 --seed 3 --out %s/again --data %s",
             test_bin("ch4"), dir3, getenv("MNIST_DATA") ? getenv("MNIST_DATA") : "datasets/mnist",
             test_bin("ch4"), dir3, getenv("MNIST_DATA") ? getenv("MNIST_DATA") : "datasets/mnist");
    rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "%s", out);
    const char *same[] = {"perdida_epocas.csv", "filtros_conv1.csv", "predicciones.csv",
                          "saliencia.csv", "gradcam.csv", "model.safetensors"};
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
             test_bin("ch4"), dir, dir2, getenv("MNIST_DATA") ? getenv("MNIST_DATA") : "datasets/mnist");
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
    ck_assert_msg(strstr(out, "truncated") != NULL, "%s", out);
    test_rmdir(dir2);
    free(dir2);
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
    tcase_add_test(tc, test_network_matches_pytorch_order);
    tcase_add_test(tc, test_team_step_matches_serial);
    tcase_add_test(tc, test_safetensors_round_trip);
    tcase_add_test(tc, test_safetensors_refuses_damage);
    tcase_add_test(tc, test_program_refuses_bad_flags);
    tcase_add_test(tc, test_end_to_end_small);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
