/* test_ch3.c — chapter 3 in float, as the program runs it: the fast kernels
 * against the plain ones, the chapter program end to end on a subset of
 * MNIST, the same seed giving the same bytes, and the refusals (bad flags,
 * missing data, divergence). Tests that need MNIST skip without it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../chapters/03-mnist-mlp/mlp.h"
#include "gemm.h"
#include "nn.h"
#include "rng.h"
#include "safetensors.h"
#include "testutil.h"

static char out[1 << 16];

/* Where the MNIST files are: $MNIST_DATA, as test_have_mnist() looks. */
static const char *mnist_dir(void)
{
    const char *d = getenv("MNIST_DATA");
    return d && *d ? d : "datasets/mnist";
}

static void fill(real *v, size_t n, Rng *r)
{
    for (size_t i = 0; i < n; i++)
        v[i] = (real)rng_uniform_range(r, -1, 1);
}

/* --- plain kernels against the fast ones, in float ------------------------------------------ */
START_TEST(test_gemm_plain_vs_cblas)
{
    Rng r;
    rng_seed(&r, 1);
    int shapes[][3] = {{64, 128, 784}, {128, 784, 64}, {64, 784, 128}, {3, 5, 7}, {1000, 10, 64}};
    for (int s = 0; s < 5; s++)
        for (int ta = 0; ta < 2; ta++)
            for (int tb = 0; tb < 2; tb++) {
                int M = shapes[s][0], N = shapes[s][1], K = shapes[s][2];
                real *A = malloc(sizeof(real) * M * K), *B = malloc(sizeof(real) * K * N);
                real *C1 = malloc(sizeof(real) * M * N), *C2 = malloc(sizeof(real) * M * N);
                fill(A, (size_t)M * K, &r);
                fill(B, (size_t)K * N, &r);
                fill(C1, (size_t)M * N, &r);
                memcpy(C2, C1, sizeof(real) * M * N);
                real beta = (s % 2) ? 1 : 0;
                gemm_plain(ta, tb, M, N, K, 1, A, ta ? M : K, B, tb ? K : N, beta, C1, N);
                gemm(ta, tb, M, N, K, 1, A, ta ? M : K, B, tb ? K : N, beta, C2, N);
                for (int i = 0; i < M * N; i++)
                    ck_assert_msg(fabs(C1[i] - C2[i]) <= 1e-5 + 1e-5 * fabs(C1[i]),
                                  "gemm %d,%d shape %d: %g vs %g", ta, tb, s, C1[i], C2[i]);
                free(A);
                free(B);
                free(C1);
                free(C2);
            }
}
END_TEST

/* The layer the chapter runs (gemm) and its plain twin: same y, dW, db, dx. */
START_TEST(test_dense_plain_vs_fast)
{
    enum { B = 64, IN = 784, OUT = 128 };
    Rng r;
    rng_seed(&r, 2);
    real *x = malloc(sizeof(real) * B * IN), *W = malloc(sizeof(real) * OUT * IN);
    real *b = malloc(sizeof(real) * OUT), *dy = malloc(sizeof(real) * B * OUT);
    real *y1 = malloc(sizeof(real) * B * OUT), *y2 = malloc(sizeof(real) * B * OUT);
    real *dW1 = calloc(OUT * IN, sizeof(real)), *dW2 = calloc(OUT * IN, sizeof(real));
    real *dx1 = calloc(B * IN, sizeof(real)), *dx2 = calloc(B * IN, sizeof(real));
    real db1[OUT] = {0}, db2[OUT] = {0};
    fill(x, B * IN, &r);
    fill(W, OUT * IN, &r);
    fill(b, OUT, &r);
    fill(dy, B * OUT, &r);
    dense_forward_plain(y1, x, W, b, B, IN, OUT);
    dense_forward(y2, x, W, b, B, IN, OUT);
    dense_backward_plain(dx1, dW1, db1, dy, x, W, B, IN, OUT);
    dense_backward(dx2, dW2, db2, dy, x, W, B, IN, OUT);
    /* float sums of 784 (or 128, 64) terms in different orders: the
     * tolerance of llm.c, scaled by the size of the sum */
    for (int i = 0; i < B * OUT; i++)
        ck_assert(fabs(y1[i] - y2[i]) <= 1e-4 + 1e-5 * fabs(y1[i]));
    for (int i = 0; i < OUT * IN; i++)
        ck_assert(fabs(dW1[i] - dW2[i]) <= 1e-4 + 1e-5 * fabs(dW1[i]));
    for (int i = 0; i < B * IN; i++)
        ck_assert(fabs(dx1[i] - dx2[i]) <= 1e-4 + 1e-5 * fabs(dx1[i]));
    for (int i = 0; i < OUT; i++)
        ck_assert(fabs(db1[i] - db2[i]) <= 1e-4 + 1e-5 * fabs(db1[i]));
    free(x); free(W); free(b); free(dy); free(y1); free(y2);
    free(dW1); free(dW2); free(dx1); free(dx2);
}
END_TEST

/* Erratum §3.3: the input layer has 28·28 = 784 neurons, not 768. */
START_TEST(test_input_is_784)
{
    ck_assert_int_eq(CH3_PIXELS, 28 * 28);
    Ch3Net n;
    Rng r;
    rng_seed(&r, 3);
    ch3_net_init(&n, 3, (int[]){CH3_PIXELS, 128, 64, CH3_CLASSES}, CH3_RELU, CH3_SOFTMAX_CE,
                 CH3_INIT_GLOROT, 64, &r);
    char shape[64];
    ck_assert_str_eq(ch3_net_shape(&n, shape, sizeof shape), "784–128–64–10");
    /* 784·128 + 128 + 128·64 + 64 + 64·10 + 10 parameters; W1 alone 100 352 (§3) */
    ck_assert_int_eq((int)n.p.n, 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10);
    ck_assert_int_eq(n.sizes[0] * n.sizes[1], 100352);
    ch3_net_free(&n);
}
END_TEST

/* --- the program ---------------------------------------------------------------------------- */
/* A number under `key` at the top level of summary.json (indented by two
 * spaces; nested objects repeat some keys, e.g. "test_accuracy"). */
static double json_number(const char *json, const char *key)
{
    char pat[128];
    snprintf(pat, sizeof pat, "\n  \"%s\": ", key);
    const char *p = strstr(json, pat);
    return p ? atof(p + strlen(pat)) : NAN;
}

static int count_lines(const char *path)
{
    char *s = test_read_file(path);
    if (!s)
        return -1;
    int n = 0;
    for (char *p = s; *p; p++)
        n += *p == '\n';
    free(s);
    return n;
}

/* The chapter on 10 000 training images, 2 epochs, short studies: it must
 * print the notes' lines, reach 90 % on the 10 000 test images (seed 42
 * gives 92.6 %; 5 000 images give only 89 % in 2 epochs), and write its
 * CSVs and summary. */
START_TEST(test_end_to_end_subset)
{
    if (!test_have_mnist("ch3 end to end"))
        return;
    char *dir = test_tmpdir();
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s --train-limit 10000 --quick --out %s --data %s",
             test_bin("ch3"), dir, mnist_dir());
    int rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "ch3 exited %d:\n%s", rc, out);
    ck_assert_ptr_nonnull(strstr(out, "Época 1 - Error: "));
    ck_assert_ptr_nonnull(strstr(out, "Época 2 - Error: "));
    ck_assert_ptr_nonnull(strstr(out, "−ln 0.70 = 0.3567"));
    char path[512];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    char *json = test_read_file(path);
    ck_assert_ptr_nonnull(json);
    double acc = json_number(json, "test_accuracy");
    ck_assert_msg(acc >= 0.90, "test accuracy %g < 0.90 on 10000 training images", acc);
    ck_assert_int_eq((int)json_number(json, "epochs"), 2);
    ck_assert_ptr_nonnull(strstr(json, "\"epoch_loss\""));
    ck_assert_ptr_nonnull(strstr(json, "\"seconds_per_epoch\""));
    /* "files" is the last key */
    char *files = strstr(json, "\"files\"");
    ck_assert_ptr_nonnull(files);
    ck_assert_ptr_null(strstr(files, "\"seconds_per_epoch\""));
    /* 003's 453 + 46 = 499: our figure has all 500 images, hits + misses */
    const char *s003 = strstr(json, "\"seed003\"");
    ck_assert_ptr_nonnull(s003);
    const char *h = strstr(s003, "\"first500_hits\": "), *m = strstr(s003, "\"first500_misses\": ");
    ck_assert(h && m);
    double hits = atof(h + strlen("\"first500_hits\": "));
    double misses = atof(m + strlen("\"first500_misses\": "));
    ck_assert_int_eq((int)(hits + misses), 500);
    snprintf(path, sizeof path, "%s/aciertos_500_003.csv", dir);
    ck_assert_int_eq(count_lines(path), 501);
    const char *csvs[] = {"confusion.csv", "metricas_clase.csv", "sobreajuste.csv",
                          "gradiente_capas.csv", "replica_003.csv", "loss_comparacion.csv",
                          "ejercicio_3_5.csv", "muestras.csv", "errores.csv", "pesos_capa1.csv",
                          "aciertos_500.csv", "loss_lotes.csv"};
    for (int i = 0; i < (int)(sizeof csvs / sizeof *csvs); i++) {
        snprintf(path, sizeof path, "%s/%s", dir, csvs[i]);
        ck_assert_msg(count_lines(path) > 1, "%s missing or empty", csvs[i]);
    }
    snprintf(path, sizeof path, "%s/confusion.csv", dir);
    ck_assert_int_eq(count_lines(path), 101);
    /* the model in PyTorch's names and shapes: fcN.weight is (out, in) */
    static real w1[128 * 784], b1[128], w2[64 * 128], b2[64], w3[10 * 64], b3[10];
    StTensor t[6] = {{"fc1.weight", 2, {128, 784}, w1}, {"fc1.bias", 1, {128}, b1},
                     {"fc2.weight", 2, {64, 128}, w2},  {"fc2.bias", 1, {64}, b2},
                     {"fc3.weight", 2, {10, 64}, w3},   {"fc3.bias", 1, {10}, b3}};
    char err[512];
    snprintf(path, sizeof path, "%s/model.safetensors", dir);
    ck_assert_msg(st_load(path, t, 6, err, sizeof err) == 0, "%s", err);
    double wsum = 0;
    for (int i = 0; i < 10 * 64; i++)
        wsum += fabs(w3[i]);
    ck_assert_double_gt(wsum, 0);
    ck_assert(!test_dir_has_tmp(dir));
    free(json);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* Same seed, same bytes: every CSV of two runs is identical (timings live in
 * summary.json and stdout only). */
START_TEST(test_same_seed_same_csvs)
{
    if (!test_have_mnist("ch3 same seed"))
        return;
    char *a = test_tmpdir(), *b = test_tmpdir();
    char cmd[1024];
    for (int k = 0; k < 2; k++) {
        snprintf(cmd, sizeof cmd,
                 "%s --train-limit 1500 --epochs 1 --quick --seed 7 --lr 0.003,0.01 "
                 "--opt adam,sgd --out %s --data %s",
                 test_bin("ch3"), k ? b : a, mnist_dir());
        int rc = test_run(cmd, out, sizeof out);
        ck_assert_msg(rc == 0, "ch3 exited %d:\n%s", rc, out);
    }
    const char *csvs[] = {"loss_lotes.csv", "confusion.csv", "metricas_clase.csv",
                          "sobreajuste.csv", "gradiente_capas.csv", "replica_003.csv",
                          "loss_comparacion.csv", "ejercicio_3_5.csv", "pesos_capa1.csv",
                          "errores_etiquetas.csv", "aciertos_500.csv"};
    char pa[512], pb[512];
    for (int i = 0; i < (int)(sizeof csvs / sizeof *csvs); i++) {
        snprintf(pa, sizeof pa, "%s/%s", a, csvs[i]);
        snprintf(pb, sizeof pb, "%s/%s", b, csvs[i]);
        ck_assert_msg(test_files_identical(pa, pb), "%s differs between two runs", csvs[i]);
    }
    /* --lr/--opt: one column per setting (batch + 4) */
    snprintf(pa, sizeof pa, "%s/loss_comparacion.csv", a);
    char *s = test_read_file(pa);
    ck_assert_ptr_nonnull(strstr(s, "batch,adam lr 0.003,adam lr 0.01,sgd lr 0.003,sgd lr 0.01\n"));
    free(s);
    test_rmdir(a);
    test_rmdir(b);
    free(a);
    free(b);
}
END_TEST

/* Erratum 003: it scales the test images by min–max and the training ones
 * by /255. On MNIST both give the same numbers: the test set's darkest pixel
 * is 0 and its brightest 255. */
START_TEST(test_minmax_equals_div255)
{
    if (!test_have_mnist("ch3 min-max"))
        return;
    Ch3Data d;
    char err[1024];
    ck_assert_int_eq(ch3_data_read(mnist_dir(), "t10k", &d, err, sizeof err), 0);
    int lo = 255, hi = 0;
    for (size_t i = 0; i < (size_t)d.n * CH3_PIXELS; i++) {
        if (d.pixels[i] < lo)
            lo = d.pixels[i];
        if (d.pixels[i] > hi)
            hi = d.pixels[i];
    }
    ck_assert_int_eq(lo, 0);
    ck_assert_int_eq(hi, 255);
    ch3_data_free(&d);
}
END_TEST

START_TEST(test_bad_flags)
{
    const char *bad[] = {"--lr abc", "--lr 0", "--opt rmsprop", "--epochs 0", "--batch -3",
                         "--dropout 1.5", "--hidden 12.5", "--bogus", "--l2 -1", "extra"};
    char cmd[512];
    for (int i = 0; i < (int)(sizeof bad / sizeof *bad); i++) {
        snprintf(cmd, sizeof cmd, "%s %s --out /tmp/ch3-never", test_bin("ch3"), bad[i]);
        int rc = test_run(cmd, out, sizeof out);
        ck_assert_msg(rc == 2, "'%s' exited %d:\n%s", bad[i], rc, out);
        ck_assert_msg(strchr(out, '\n') == out + strlen(out) - 1, "'%s' printed more than one line:\n%s",
                      bad[i], out);
    }
    snprintf(cmd, sizeof cmd, "%s --help", test_bin("ch3"));
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "--opt"));
}
END_TEST

/* No data folder: one line that says how to get the files, exit 1. */
START_TEST(test_missing_data)
{
    char *dir = test_tmpdir();
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s --data %s/none --out %s/o", test_bin("ch3"), dir, dir);
    int rc = test_run(cmd, out, sizeof out);
    ck_assert_int_eq(rc, 1);
    ck_assert_ptr_nonnull(strstr(out, "make data"));
    ck_assert_msg(strchr(out, '\n') == out + strlen(out) - 1, "more than one line:\n%s", out);
    test_rmdir(dir);
    free(dir);
}
END_TEST

START_TEST(test_unwritable_out)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s --out /proc/ch3-cannot-write --data datasets/mnist",
             test_bin("ch3"));
    int rc = test_run(cmd, out, sizeof out);
    ck_assert_int_eq(rc, 1);
    ck_assert_msg(strchr(out, '\n') == out + strlen(out) - 1, "more than one line:\n%s", out);
}
END_TEST

/* A learning rate far too large for plain SGD: one line naming the
 * divergence, exit 1, and no half-written files. */
START_TEST(test_divergence_is_reported)
{
    if (!test_have_mnist("ch3 divergence"))
        return;
    char *dir = test_tmpdir();
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "%s --bench --opt sgd --lr 1000 --train-limit 2000 --out %s --data %s",
             test_bin("ch3"), dir, mnist_dir());
    int rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 1, "exit %d:\n%s", rc, out);
    ck_assert_ptr_nonnull(strstr(out, "diverged"));
    ck_assert(!test_dir_has_tmp(dir));
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* Two threads per batch (team.c) against the plain one-thread loop: the
 * same gradients, steps and predictions up to float rounding. Synthetic
 * images, so it runs without MNIST. 300 images: four batches of 64 and a
 * last one of 44, split 32/32 and 22/22. */
static void fake_data(Ch3Data *d, int n, Rng *r)
{
    d->n = n, d->rows = d->cols = 28;
    d->pixels = malloc((size_t)n * CH3_PIXELS);
    d->labels = malloc((size_t)n);
    for (size_t i = 0; i < (size_t)n * CH3_PIXELS; i++)
        d->pixels[i] = rng_uniform(r) < 0.8 ? 0 : (unsigned char)(rng_uniform(r) * 256);
    for (int i = 0; i < n; i++)
        d->labels[i] = (unsigned char)(rng_uniform(r) * 10);
}

static void check_team_equals_one_thread(const char *opt_name, double dropout)
{
    Rng r;
    rng_seed(&r, 5);
    Ch3Data d;
    fake_data(&d, 300, &r);
    int sizes[] = {CH3_PIXELS, 128, 64, CH3_CLASSES}, order[300];
    for (int i = 0; i < 300; i++)
        order[i] = (i * 7) % 300;
    Ch3Net one, two;
    Rng ra, rb;
    rng_seed(&ra, 11);
    rng_seed(&rb, 11);
    ch3_net_init(&one, 3, sizes, CH3_RELU, CH3_SOFTMAX_CE, CH3_INIT_GLOROT, 100, &ra);
    ch3_net_init(&two, 3, sizes, CH3_RELU, CH3_SOFTMAX_CE, CH3_INIT_GLOROT, 100, &rb);
    one.threads = 1;
    ck_assert_int_eq(two.threads, 2);
    one.dropout = two.dropout = (real)dropout;   /* the same masks: one random stream */
    Ch3Opt oa, ob;
    ch3_opt_init(&oa, opt_name, 0.003, &one);
    ch3_opt_init(&ob, opt_name, 0.003, &two);
    float la[8], lb[8];
    /* One batch: the summed halves' gradient is the batch's. */
    ch3_train_epoch(&one, &oa, &d, order, 64, 64, &ra, 1, 1, la);
    ch3_train_epoch(&two, &ob, &d, order, 64, 64, &rb, 1, 1, lb);
    ck_assert_float_eq_tol(la[0], lb[0], 1e-6 + 1e-6 * fabsf(la[0]));
    for (size_t i = 0; i < one.p.n; i++)
        ck_assert_msg(fabs(one.p.grads[i] - two.p.grads[i]) <= 1e-6 + 1e-4 * fabs(one.p.grads[i]),
                      "gradient %zu: %g one thread, %g two", i, one.p.grads[i], two.p.grads[i]);
    /* A whole epoch: the parameters stay together (a step moves each by up
     * to lr = 0.003; rounding moves them by far less). */
    double ea = ch3_train_epoch(&one, &oa, &d, order, 300, 64, &ra, 1, 1, la);
    double eb = ch3_train_epoch(&two, &ob, &d, order, 300, 64, &rb, 1, 1, lb);
    ck_assert_double_eq_tol(ea, eb, 1e-4);
    ck_assert_int_eq(oa.state.t, ob.state.t);
    for (size_t i = 0; i < one.p.n; i++)
        ck_assert_msg(fabs(one.p.values[i] - two.p.values[i]) <= 1e-4,
                      "parameter %zu: %g one thread, %g two", i, one.p.values[i],
                      two.p.values[i]);
    /* Inference in batches of 100 (50 per thread): the same guesses. */
    unsigned char pa[300], pb[300];
    double ma, mb;
    double acc_a = ch3_evaluate(&one, &d, NULL, 300, pa, &ma);
    double acc_b = ch3_evaluate(&two, &d, NULL, 300, pb, &mb);
    ck_assert_double_eq(acc_a, acc_b);
    ck_assert_mem_eq(pa, pb, 300);
    ck_assert_double_eq_tol(ma, mb, 1e-5);
    /* Without a loss the guesses come from the logits (no softmax): the same. */
    unsigned char pc[300];
    ck_assert_double_eq(ch3_evaluate(&two, &d, NULL, 300, pc, NULL), acc_b);
    ck_assert_mem_eq(pb, pc, 300);
    ck_assert_double_eq(ch3_evaluate(&one, &d, NULL, 300, pc, NULL), acc_a);
    ck_assert_mem_eq(pa, pc, 300);
    ch3_opt_free(&oa);
    ch3_opt_free(&ob);
    ch3_net_free(&one);
    ch3_net_free(&two);
    ch3_data_free(&d);
}

START_TEST(test_team_equals_one_thread_adam) { check_team_equals_one_thread("adam", 0); }
END_TEST
START_TEST(test_team_equals_one_thread_sgd) { check_team_equals_one_thread("sgd", 0); }
END_TEST
START_TEST(test_team_equals_one_thread_dropout) { check_team_equals_one_thread("adam", 0.3); }
END_TEST

int main(void)
{
    Suite *s = suite_create("ch3");
    TCase *tk = tcase_create("kernels");
    tcase_set_timeout(tk, 120);
    tcase_add_test(tk, test_gemm_plain_vs_cblas);
    tcase_add_test(tk, test_dense_plain_vs_fast);
    tcase_add_test(tk, test_input_is_784);
    tcase_add_test(tk, test_team_equals_one_thread_adam);
    tcase_add_test(tk, test_team_equals_one_thread_sgd);
    tcase_add_test(tk, test_team_equals_one_thread_dropout);
    suite_add_tcase(s, tk);
    TCase *tp = tcase_create("program");
    tcase_set_timeout(tp, 600);
    tcase_add_test(tp, test_end_to_end_subset);
    tcase_add_test(tp, test_same_seed_same_csvs);
    tcase_add_test(tp, test_minmax_equals_div255);
    tcase_add_test(tp, test_bad_flags);
    tcase_add_test(tp, test_missing_data);
    tcase_add_test(tp, test_unwritable_out);
    tcase_add_test(tp, test_divergence_is_reported);
    suite_add_tcase(s, tp);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
