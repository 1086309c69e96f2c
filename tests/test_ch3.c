/* test_ch3.c — chapter 3 in float, as the program runs it: the plain
 * kernels against OpenBLAS, the fast step (mlp_fast.c) against the readable
 * one (mlp.c) for one batch and for a whole epoch, the chapter program end
 * to end on a subset of MNIST, --plain against the default run, every
 * trainable activation through --act, the same seed and thread count giving
 * the same bytes, and the refusals (bad flags, missing data, unwritable
 * output, divergence). Tests that need MNIST skip without it.
 *
 * Under the sanitizers (NN_VARIANT=asan) the runs are kept small: the same
 * checks on fewer images. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../chapters/03-mnist-mlp/mlp.h"
#include "gemm.h"
#include "nn.h"
#include "parallel.h"
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

/* 1 under the sanitizer build, whose programs run ~10 times slower. */
static int under_asan(void)
{
    const char *v = getenv("NN_VARIANT");
    return v && strcmp(v, "asan") == 0;
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
                /* float sums of up to 784 terms of size ≤ 1 in another order */
                for (int i = 0; i < M * N; i++)
                    ck_assert_msg(fabs(C1[i] - C2[i]) <= 1e-4 + 1e-5 * fabs(C1[i]),
                                  "gemm %d,%d shape %d: %g vs %g", ta, tb, s, C1[i], C2[i]);
                free(A);
                free(B);
                free(C1);
                free(C2);
            }
}
END_TEST

/* The layer the chapter runs, through OpenBLAS and through --plain's triple
 * loop: the same y, dW, db, dx. */
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
    gemm_use_plain_loops(1);
    dense_forward(y1, x, W, b, B, IN, OUT);
    dense_backward(dx1, dW1, db1, dy, x, W, B, IN, OUT);
    gemm_use_plain_loops(0);
    dense_forward(y2, x, W, b, B, IN, OUT);
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
    ch3_net_init(&n, 3, (int[]){CH3_PIXELS, 128, 64, CH3_CLASSES}, activation_find("relu"),
                 CH3_SOFTMAX_CE, CH3_INIT_GLOROT, 64, &r);
    char shape[64];
    ck_assert_str_eq(ch3_net_shape(&n, shape, sizeof shape), "784–128–64–10");
    /* 784·128 + 128 + 128·64 + 64 + 64·10 + 10 parameters; W1 alone 100 352 (§3) */
    ck_assert_int_eq((int)n.p.n, 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10);
    ck_assert_int_eq(n.sizes[0] * n.sizes[1], 100352);
    ch3_net_free(&n);
}
END_TEST

/* --- the fast step against the readable one, in float ----------------------------------------- */
/* Synthetic images, so these run without MNIST. */
static void default_net(Ch3Net *n, double dropout)
{
    Rng r;
    rng_seed(&r, 11);
    ch3_net_init(n, 3, (int[]){CH3_PIXELS, 128, 64, CH3_CLASSES}, activation_find("relu"),
                 CH3_SOFTMAX_CE, CH3_INIT_GLOROT, 100, &r);
    n->dropout = (real)dropout;
}

/* One batch of 61 (split 31/30 and 21/21/19) through the notes' default
 * network, from the same weights and masks: the fast step with 1, 2 and 3
 * threads against the readable step.
 *
 * Tolerance, float: each gradient is the same sum of 61 products, grouped
 * in slices and blocked differently by sgemm; regrouping a float sum of n
 * terms moves it by up to ~n·2⁻²⁴ ≈ 4e-6 of the terms' sizes. We allow
 * 1e-5 of the largest gradient. After the step a parameter may differ only
 * by what its gradient's difference δ explains — Adam moves it by
 * lr·g/(|g| + ε), whose slope is at most lr/ε, so by lr·δ/ε — plus a float
 * rounding of the weight itself (1e-7: the weights are below 1). The loss:
 * 1e-6 relative. (Measured: gradients within 3e-7 of the largest, weights
 * within 0.4 of their bound, the loss within 1e-8.) With one thread the fast
 * step is the readable step's arithmetic on one slice: identical bits. */
static void check_one_batch(const char *opt_name, double dropout)
{
    enum { B = 61 };
    Rng r;
    rng_seed(&r, 5);
    Mnist d = test_fake_mnist(300, &r);
    int idx[B];
    for (int i = 0; i < B; i++)
        idx[i] = (i * 7) % 300;
    par_set_threads(1);
    Ch3Net ref;
    default_net(&ref, dropout);
    Rng masks;
    rng_seed(&masks, 6);
    if (dropout > 0)
        ch3_draw_dropout_masks(&ref, B, &masks);
    Optimizer oref;
    optim_init(&oref, opt_name, 0.003, ref.p.n);
    double loss_ref = ch3_step(&ref, &oref, &d, idx, B);
    double gmax = 0;
    for (size_t i = 0; i < ref.p.n; i++)
        gmax = fmax(gmax, fabs(ref.p.grads[i]));
    ck_assert_double_gt(gmax, 0);
    for (int T = 1; T <= 3; T++) {
        par_set_threads(T);
        Ch3Net n;
        default_net(&n, dropout);
        rng_seed(&masks, 6);
        if (dropout > 0)
            ch3_draw_dropout_masks(&n, B, &masks);
        Optimizer o;
        optim_init(&o, opt_name, 0.003, n.p.n);
        double loss = ch3_fast_step(&n, &o, &d, idx, B);
        ck_assert_double_eq_tol(loss, loss_ref, 1e-6 * fabs(loss_ref));
        for (size_t i = 0; i < n.p.n; i++) {
            double dg = fabs(n.p.grads[i] - ref.p.grads[i]);
            if (T == 1)   /* one slice: the very same arithmetic, bit for bit */
                ck_assert_msg(dg == 0, "1 thread: gradient %zu %g, readable %g", i,
                              n.p.grads[i], ref.p.grads[i]);
            ck_assert_msg(dg <= 1e-5 * gmax, "%d threads: gradient %zu %g, readable %g", T, i,
                          n.p.grads[i], ref.p.grads[i]);
            ck_assert_msg(fabs(n.p.values[i] - ref.p.values[i]) <= 0.003 * dg / 1e-8 + 1e-7,
                          "%d threads: parameter %zu %g after the step, readable %g", T, i,
                          n.p.values[i], ref.p.values[i]);
        }
        optim_free(&o);
        ch3_net_free(&n);
    }
    optim_free(&oref);
    ch3_net_free(&ref);
    mnist_free(&d);
    par_set_threads(par_default_threads());
}

START_TEST(test_fast_step_equals_readable_adam) { check_one_batch("adam", 0); }
END_TEST
START_TEST(test_fast_step_equals_readable_dropout) { check_one_batch("adam", 0.3); }
END_TEST

/* A whole epoch of 300 images — four batches of 64 and a last one of 44 —
 * with ch3_train_epoch: on one thread it takes the readable step, on two the
 * fast one (the one line in mlp.c). The weights stay together (a step moves
 * each by up to lr = 0.003; the rounding moves them far less), and
 * inference — batches of 100, sliced over two threads, from the logits —
 * gives the same guesses. */
static void check_epoch(const char *opt_name, double dropout)
{
    Rng r;
    rng_seed(&r, 5);
    Mnist d = test_fake_mnist(300, &r);
    int order[300];
    for (int i = 0; i < 300; i++)
        order[i] = (i * 7) % 300;
    Ch3Net one, two;
    default_net(&one, dropout);
    default_net(&two, dropout);
    Rng ra, rb;   /* the same masks: one random stream each, the same seed */
    rng_seed(&ra, 12);
    rng_seed(&rb, 12);
    Optimizer oa, ob;
    optim_init(&oa, opt_name, 0.003, one.p.n);
    optim_init(&ob, opt_name, 0.003, two.p.n);
    float la[8], lb[8];
    par_set_threads(1);
    ck_assert(!ch3_fast_pays(64));
    Ch3Epoch first = {.epoch = 1, .epochs = 1}, second = first;
    double ea = ch3_train_epoch(&one, &oa, &d, order, 300, 64, &ra, &first, la);
    par_set_threads(2);
    ck_assert(ch3_fast_pays(64));
    double eb = ch3_train_epoch(&two, &ob, &d, order, 300, 64, &rb, &second, lb);
    ck_assert_double_eq_tol(ea, eb, 1e-4);
    ck_assert_int_eq(oa.t, ob.t);
    for (size_t i = 0; i < one.p.n; i++)
        ck_assert_msg(fabs(one.p.values[i] - two.p.values[i]) <= 1e-4,
                      "parameter %zu: %g readable, %g fast", i, one.p.values[i], two.p.values[i]);
    unsigned char pa[300], pb[300], pc[300];
    double ma, mb;
    par_set_threads(1);
    double acc_a = ch3_evaluate(&one, &d, NULL, 300, pa, &ma);
    par_set_threads(2);
    double acc_b = ch3_evaluate(&one, &d, NULL, 300, pb, &mb);
    ck_assert_double_eq(acc_a, acc_b);
    ck_assert_mem_eq(pa, pb, 300);
    ck_assert_double_eq_tol(ma, mb, 1e-5);
    /* Without a loss the guesses come from the logits (no softmax): the same. */
    ck_assert_double_eq(ch3_evaluate(&one, &d, NULL, 300, pc, NULL), acc_a);
    ck_assert_mem_eq(pa, pc, 300);
    optim_free(&oa);
    optim_free(&ob);
    ch3_net_free(&one);
    ch3_net_free(&two);
    mnist_free(&d);
    par_set_threads(par_default_threads());
}

START_TEST(test_epoch_fast_equals_readable_adam) { check_epoch("adam", 0); }
END_TEST
START_TEST(test_epoch_fast_equals_readable_sgd) { check_epoch("sgd", 0); }
END_TEST
START_TEST(test_epoch_fast_equals_readable_dropout) { check_epoch("adam", 0.3); }
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

/* The first number of the top-level array `key` ("epoch_loss": [0.93, ...]). */
static double json_first_of(const char *json, const char *key)
{
    char pat[128];
    snprintf(pat, sizeof pat, "\n  \"%s\": [", key);
    const char *p = strstr(json, pat);
    if (!p)
        return NAN;
    p += strlen(pat);
    while (*p == ' ' || *p == '\n')
        p++;
    return atof(p);
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

static char *read_summary(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    char *json = test_read_file(path);
    ck_assert_msg(json != NULL, "no %s", path);
    return json;
}

/* The two files chapter 4 reads (ch3-contract): prueba_probabilidades.csv,
 * one row per test image in file order with its label and ten
 * probabilities summing to 1 within 1e-5; desplazamientos.csv, 20 rows in
 * the order derecha, izquierda, abajo, arriba × 0..4 pixels, accuracies in
 * [0, 1], pixels 0 equal to the headline accuracy in every direction. */
static void check_files_for_chapter4(const char *dir, const char *data, int ntest,
                                     double headline)
{
    char path[512];
    Mnist test;
    mnist_load(data, "t10k", &test);
    mnist_limit(&test, ntest);
    snprintf(path, sizeof path, "%s/prueba_probabilidades.csv", dir);
    char *s = test_read_file(path);
    ck_assert_ptr_nonnull(s);
    const char *header = "indice,etiqueta,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9\n";
    ck_assert_msg(strncmp(s, header, strlen(header)) == 0, "header of %s", path);
    char *line = s + strlen(header);
    int rows = 0, right = 0;
    while (*line) {
        char *end = strchr(line, '\n');
        ck_assert_ptr_nonnull(end);
        *end = 0;
        int index, label;
        double p[10], sum = 0;
        int got = sscanf(line, "%d,%d,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf", &index, &label,
                         &p[0], &p[1], &p[2], &p[3], &p[4], &p[5], &p[6], &p[7], &p[8], &p[9]);
        ck_assert_msg(got == 12, "row %d of %s: '%s'", rows, path, line);
        ck_assert_int_eq(index, rows);
        ck_assert_int_eq(label, test.labels[rows]);
        int guess = 0;
        for (int k = 0; k < 10; k++) {
            ck_assert(p[k] >= 0 && p[k] <= 1);
            sum += p[k];
            guess = p[k] > p[guess] ? k : guess;
        }
        ck_assert_msg(fabs(sum - 1) <= 1e-5, "row %d sums to %.9f", rows, sum);
        right += guess == label;
        rows++;
        line = end + 1;
    }
    ck_assert_int_eq(rows, test.n);
    /* the most probable class is the network's answer: the headline again
     * (to a tie or two that "%.6g" rounding may break the other way) */
    ck_assert_double_eq_tol((double)right / rows, headline, 2.0 / rows);
    free(s);

    snprintf(path, sizeof path, "%s/desplazamientos.csv", dir);
    s = test_read_file(path);
    ck_assert_ptr_nonnull(s);
    const char *h2 = "direccion,pixeles,exactitud\n";
    ck_assert(strncmp(s, h2, strlen(h2)) == 0);
    const char *dirs[4] = {"derecha", "izquierda", "abajo", "arriba"};
    line = s + strlen(h2);
    for (int d = 0; d < 4; d++)
        for (int k = 0; k <= 4; k++) {
            char name[32];
            int px;
            double acc;
            ck_assert_msg(sscanf(line, "%31[^,],%d,%lf", name, &px, &acc) == 3, "'%s'", line);
            ck_assert_str_eq(name, dirs[d]);
            ck_assert_int_eq(px, k);
            ck_assert(acc >= 0 && acc <= 1);
            if (k == 0)   /* moved by 0 pixels: the plain test set's accuracy */
                ck_assert_double_eq_tol(acc, headline, 1e-6);
            line = strchr(line, '\n');
            ck_assert_ptr_nonnull(line);
            line++;
        }
    ck_assert_int_eq(*line, 0);   /* 20 rows, no more */
    free(s);
    mnist_free(&test);
}

/* The chapter on 10 000 training images, 2 epochs, short studies: it must
 * print the notes' lines, reach 90 % on the 10 000 test images (seed 42
 * gives 92.6 %; 5 000 images give only 89 % in 2 epochs), and write its
 * CSVs and summary. */
/* Learning in motion: plots/ch3_loss_comparacion_animacion.gp run by gnuplot
 * on dir's CSVs as the Makefile's draw does. The GIF is a GIF89a under 5 MB
 * with one frame per point of loss_comparacion.csv (at most 80 drawn) and
 * the last held 10 times more (gnuplot says how many). Skips with a "SKIP:"
 * line without gnuplot. */
static void check_comparison_animation(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/loss_comparacion.csv", dir);
    int rows = count_lines(path) - 1;
    ck_assert_int_gt(rows, 0);
    int step = (rows + 79) / 80;
    test_check_animation("plots/ch3_loss_comparacion_animacion.gp", dir,
                         "ch3_loss_comparacion_animacion.gif", (rows + step - 1) / step + 10);
}

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
    char *json = read_summary(dir);
    double acc = json_number(json, "test_accuracy");
    ck_assert_msg(acc >= 0.90, "test accuracy %g < 0.90 on 10000 training images", acc);
    ck_assert_int_eq((int)json_number(json, "epochs"), 2);
    check_files_for_chapter4(dir, mnist_dir(), 0, acc);
    ck_assert_ptr_nonnull(strstr(out, "derecha"));   /* the shift table, printed */
    ck_assert_ptr_nonnull(strstr(json, "\"epoch_loss\""));
    ck_assert_ptr_nonnull(strstr(json, "\"seconds_per_epoch\""));
    ck_assert_ptr_nonnull(strstr(json, "\"activation\": \"relu\""));
    ck_assert_ptr_nonnull(strstr(json, "\"plain\": false"));
    ck_assert_ptr_nonnull(strstr(json, "\"threads\": "));
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
    char path[512];
    snprintf(path, sizeof path, "%s/aciertos_500_003.csv", dir);
    ck_assert_int_eq(count_lines(path), 501);
    const char *csvs[] = {"confusion.csv", "metricas_clase.csv", "sobreajuste.csv",
                          "gradiente_capas.csv", "replica_003.csv", "loss_comparacion.csv",
                          "ejercicio_3_5.csv", "muestras.csv", "errores.csv", "pesos_capa1.csv",
                          "aciertos_500.csv", "loss_lotes.csv", "sobreajuste_parada.csv",
                          "pesos_capa1_neuronas.csv"};
    for (int i = 0; i < (int)(sizeof csvs / sizeof *csvs); i++) {
        snprintf(path, sizeof path, "%s/%s", dir, csvs[i]);
        ck_assert_msg(count_lines(path) > 1, "%s missing or empty", csvs[i]);
    }
    snprintf(path, sizeof path, "%s/confusion.csv", dir);
    ck_assert_int_eq(count_lines(path), 101);
    /* the image grids in common/plotdata.h's form */
    snprintf(path, sizeof path, "%s/muestras.csv", dir);
    char *grid = test_read_file(path);
    ck_assert_ptr_nonnull(grid);
    ck_assert(strncmp(grid, "x,y,value,inside\n", 17) == 0);
    free(grid);
    /* the model in PyTorch's names and shapes: fcN.weight is (out, in) */
    static real w1[128 * 784], b1[128], w2[64 * 128], b2[64], w3[10 * 64], b3[10];
    StTensor t[6] = {{.name = "fc1.weight", .ndim = 2, .shape = {128, 784}, .data = w1},
                     {.name = "fc1.bias", .ndim = 1, .shape = {128}, .data = b1},
                     {.name = "fc2.weight", .ndim = 2, .shape = {64, 128}, .data = w2},
                     {.name = "fc2.bias", .ndim = 1, .shape = {64}, .data = b2},
                     {.name = "fc3.weight", .ndim = 2, .shape = {10, 64}, .data = w3},
                     {.name = "fc3.bias", .ndim = 1, .shape = {10}, .data = b3}};
    char err[512];
    snprintf(path, sizeof path, "%s/model.safetensors", dir);
    ck_assert_msg(st_load(path, t, 6, err, sizeof err) == 0, "%s", err);
    double wsum = 0;
    for (int i = 0; i < 10 * 64; i++)
        wsum += fabs(w3[i]);
    ck_assert_double_gt(wsum, 0);
    ck_assert(!test_dir_has_tmp(dir));
    /* no rate diverged: the figure's list of diverged curves is its header alone */
    snprintf(path, sizeof path, "%s/loss_comparacion_divergencias.csv", dir);
    char *ends = test_read_file(path);
    ck_assert_ptr_nonnull(ends);
    ck_assert_str_eq(ends, "curve,run,batch,loss\n");
    free(ends);
    /* the main network's checkpoint, after its last epoch (resume.c) */
    snprintf(path, sizeof path, "%s/checkpoint.safetensors", dir);
    ck_assert_int_gt(count_lines(path), -1);
    /* the comparison drawn epoch by epoch, from the CSV the run wrote */
    check_comparison_animation(dir);
    free(json);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* Same seed and thread count, same bytes: every CSV of two runs is
 * identical (timings live in summary.json and stdout only), whatever the
 * threads' timing. */
START_TEST(test_same_seed_same_csvs)
{
    if (!test_have_mnist("ch3 same seed"))
        return;
    char *a = test_tmpdir(), *b = test_tmpdir();
    char cmd[1024];
    for (int k = 0; k < 2; k++) {
        snprintf(cmd, sizeof cmd,
                 "%s --train-limit 1500 --epochs 1 --quick --seed 7 --threads 2 "
                 "--lr 0.003,0.01 --opt adam,sgd --out %s --data %s",
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

/* --plain (mlp.c's readable step, the triple loop, one thread) against the
 * default run (OpenBLAS, each batch sliced over the threads), one epoch:
 * the same epoch loss and test accuracy.
 *
 * Tolerance: the triple loop sums in double, sgemm in float and in another
 * order, so every product differs by ~1e-6 relative; over the epoch's
 * Adam steps this moves the epoch loss by far less than 1e-4 relative (we
 * measured 1e-8 on 2000 images). An image whose two largest logits are
 * that close can change its guess, so the accuracy may move by a few
 * images: we allow 0.5 points (we measured no change). */
START_TEST(test_plain_matches_default)
{
    if (!test_have_mnist("ch3 --plain"))
        return;
    /* --plain's products are slow loops, and ~10 times slower again under
     * the sanitizers: fewer images there. */
    int train_n = under_asan() ? 500 : 2000, test_n = under_asan() ? 500 : 2000;
    char *dir[2] = {test_tmpdir(), test_tmpdir()};
    double loss[2], acc[2];
    for (int k = 0; k < 2; k++) {
        char cmd[1024];
        snprintf(cmd, sizeof cmd,
                 "%s %s --train-limit %d --test-limit %d --epochs 1 --bench --out %s --data %s",
                 test_bin("ch3"), k ? "--plain" : "--threads 2", train_n, test_n, dir[k],
                 mnist_dir());
        int rc = test_run(cmd, out, sizeof out);
        ck_assert_msg(rc == 0, "ch3 exited %d:\n%s", rc, out);
        ck_assert_ptr_nonnull(strstr(out, k ? "bucles simples" : "OpenBLAS"));
        char *json = read_summary(dir[k]);
        loss[k] = json_first_of(json, "epoch_loss");
        acc[k] = json_number(json, "test_accuracy");
        ck_assert_ptr_nonnull(strstr(json, k ? "\"plain\": true" : "\"plain\": false"));
        ck_assert_ptr_nonnull(strstr(json, k ? "\"threads\": 1" : "\"threads\": 2"));
        free(json);
        test_rmdir(dir[k]);
        free(dir[k]);
    }
    ck_assert_msg(isfinite(loss[0]) && fabs(loss[0] - loss[1]) <= 1e-4 * loss[0],
                  "epoch loss %.9g default, %.9g --plain", loss[0], loss[1]);
    ck_assert_msg(fabs(acc[0] - acc[1]) <= 0.005, "test accuracy %g default, %g --plain",
                  acc[0], acc[1]);
}
END_TEST

/* Every trainable row of the activation table trains through --act (a row
 * added to ACTIVATIONS[] is usable with no other change) and is named in
 * summary.json. */
START_TEST(test_every_activation_trains)
{
    if (!test_have_mnist("ch3 --act"))
        return;
    for (const Activation *a = ACTIVATIONS; a->name; a++) {
        if (!a->trainable)
            continue;
        char *dir = test_tmpdir(), cmd[1024], want[128];
        snprintf(cmd, sizeof cmd,
                 "%s --act %s --train-limit 1000 --test-limit 1000 --epochs 1 --bench "
                 "--out %s --data %s", test_bin("ch3"), a->name, dir, mnist_dir());
        int rc = test_run(cmd, out, sizeof out);
        ck_assert_msg(rc == 0, "--act %s exited %d:\n%s", a->name, rc, out);
        char *json = read_summary(dir);
        snprintf(want, sizeof want, "\"activation\": \"%s\"", a->name);
        ck_assert_msg(strstr(json, want) != NULL, "--act %s: summary.json lacks %s", a->name,
                      want);
        /* it learned something: well above chance (10 %) after 16 batches
         * (seed 42: sigmoid 47 %, ReLU 74 %, leaky ReLU 75 %, tanh 75 %) */
        double acc = json_number(json, "test_accuracy");
        ck_assert_msg(acc > 0.3, "--act %s: test accuracy %g", a->name, acc);
        free(json);
        test_rmdir(dir);
        free(dir);
    }
}
END_TEST

/* Erratum 003: it scales the test images by min–max and the training ones
 * by /255. On MNIST both give the same numbers: the test set's darkest pixel
 * is 0 and its brightest 255. */
START_TEST(test_minmax_equals_div255)
{
    if (!test_have_mnist("ch3 min-max"))
        return;
    Mnist d;
    char err[1024];
    ck_assert_int_eq(mnist_read(mnist_dir(), "t10k", &d, err, sizeof err), 0);
    int lo = 255, hi = 0;
    for (size_t i = 0; i < (size_t)d.n * CH3_PIXELS; i++) {
        if (d.pixels[i] < lo)
            lo = d.pixels[i];
        if (d.pixels[i] > hi)
            hi = d.pixels[i];
    }
    ck_assert_int_eq(lo, 0);
    ck_assert_int_eq(hi, 255);
    mnist_free(&d);
}
END_TEST

START_TEST(test_bad_flags)
{
    const char *bad[] = {"--lr abc", "--lr 0", "--opt rmsprop", "--epochs 0", "--batch -3",
                         "--dropout 1.5", "--hidden 12.5", "--bogus", "--l2 -1", "extra",
                         "--threads 0", "--threads two", "--threads 1000", "--act step",
                         "--act nope", "--plain --threads 2", "--test-limit 0",
                         "--seeds 5-1", "--seeds abc", "--seeds-overfit", "--seeds 1,2 --bench",
                         "--seeds 1-101", "--checkpoint-every 0", "--checkpoint-every x",
                         "--seeds 1,2 --resume", "--seeds 1,2 --checkpoint-every 5"};
    char cmd[512];
    for (int i = 0; i < (int)(sizeof bad / sizeof *bad); i++) {
        snprintf(cmd, sizeof cmd, "%s %s --out /tmp/ch3-never", test_bin("ch3"), bad[i]);
        int rc = test_run(cmd, out, sizeof out);
        ck_assert_msg(rc == 2, "'%s' exited %d:\n%s", bad[i], rc, out);
        ck_assert_msg(strchr(out, '\n') == out + strlen(out) - 1, "'%s' printed more than one line:\n%s",
                      bad[i], out);
    }
    /* the refusals of --act name what is possible */
    snprintf(cmd, sizeof cmd, "%s --act step", test_bin("ch3"));
    test_run(cmd, out, sizeof out);
    ck_assert_ptr_nonnull(strstr(out, "relu"));
    snprintf(cmd, sizeof cmd, "OMP_NUM_THREADS=500 %s --out /tmp/ch3-never", test_bin("ch3"));
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 2);
    ck_assert_ptr_nonnull(strstr(out, "OMP_NUM_THREADS"));
    snprintf(cmd, sizeof cmd, "%s --help", test_bin("ch3"));
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "--opt"));
    ck_assert_ptr_nonnull(strstr(out, "--plain"));
    ck_assert_ptr_nonnull(strstr(out, "--threads"));
    ck_assert_ptr_nonnull(strstr(out, "--act"));
    ck_assert_ptr_nonnull(strstr(out, "--seeds"));
    ck_assert_ptr_nonnull(strstr(out, "--resume"));
    ck_assert_ptr_nonnull(strstr(out, "--checkpoint-every"));
    ck_assert_ptr_nonnull(strstr(out, "RESUME=1"));
    /* --help in Spanish, all of it (issue 8, item 3) */
    const char *english[] = {"default", "learning rate", "the ", "threads sharing", "only"};
    for (int i = 0; i < (int)(sizeof english / sizeof *english); i++)
        ck_assert_msg(strstr(out, english[i]) == NULL, "--help says '%s':\n%s", english[i], out);
    ck_assert_ptr_nonnull(strstr(out, "por defecto"));
}
END_TEST

/* --seeds: the main network once per seed, each row of semillas.csv its
 * test accuracy, and summary.json's mean and sd those of the rows. Seed 42
 * in the list is the notebook's default run (--bench, the same limits and
 * threads) to the last digit. */
START_TEST(test_seeds)
{
    if (!test_have_mnist("ch3 seeds"))
        return;
    char *dir = test_tmpdir();
    char cmd[1024];
    const char *limits = under_asan() ? "--train-limit 500 --test-limit 200"
                                      : "--train-limit 2000 --test-limit 500";
    snprintf(cmd, sizeof cmd, "%s --seeds 7,42 --epochs 1 --threads 2 %s --out %s/s --data %s",
             test_bin("ch3"), limits, dir, mnist_dir());
    int rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "exit %d:\n%s", rc, out);
    ck_assert_ptr_nonnull(strstr(out, "±"));
    ck_assert_ptr_null(strstr(out, "== 3.1"));   /* the studies do not run */
    char path[512];
    snprintf(path, sizeof path, "%s/s/semillas.csv", dir);
    char *csv = test_read_file(path);
    ck_assert_ptr_nonnull(csv);
    unsigned long long seed[2];
    double loss[2], acc[2];
    ck_assert_int_eq(sscanf(csv, "semilla,error_final,exactitud\n%llu,%lf,%lf\n%llu,%lf,%lf\n",
                            &seed[0], &loss[0], &acc[0], &seed[1], &loss[1], &acc[1]), 6);
    ck_assert(seed[0] == 7 && seed[1] == 42);
    ck_assert_int_eq(count_lines(path), 3);
    char sub[256];
    snprintf(sub, sizeof sub, "%s/s", dir);
    char *json = read_summary(sub);
    ck_assert_double_eq_tol(json_number(json, "test_accuracy_mean"), (acc[0] + acc[1]) / 2, 1e-6);
    ck_assert_double_eq_tol(json_number(json, "test_accuracy_sd"),
                            fabs(acc[0] - acc[1]) / sqrt(2.0), 1e-6);
    ck_assert_ptr_nonnull(strstr(json, "\"seeds\": ["));
    free(json);
    /* seed 42 = the default run */
    snprintf(cmd, sizeof cmd, "%s --bench --epochs 1 --threads 2 %s --out %s/b --data %s",
             test_bin("ch3"), limits, dir, mnist_dir());
    rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "exit %d:\n%s", rc, out);
    snprintf(sub, sizeof sub, "%s/b", dir);
    json = read_summary(sub);
    ck_assert_double_eq_tol(json_number(json, "test_accuracy"), acc[1], 1e-6);
    free(json);
    /* --seeds-overfit: §3.3's study for each seed too, one row per seed and variant */
    snprintf(cmd, sizeof cmd, "%s --seeds 7,42 --seeds-overfit --quick --epochs 1 --threads 2 %s "
             "--out %s/o --data %s", test_bin("ch3"), limits, dir, mnist_dir());
    rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "exit %d:\n%s", rc, out);
    snprintf(path, sizeof path, "%s/o/semillas_sobreajuste.csv", dir);
    ck_assert_int_eq(count_lines(path), 1 + 2 * CH3_OVERFIT_VARIANTS);
    snprintf(sub, sizeof sub, "%s/o", dir);
    json = read_summary(sub);
    ck_assert_ptr_nonnull(strstr(json, "\"overfitting_over_seeds\""));
    free(json);
    free(csv);
    test_rmdir(dir);
    free(dir);
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
 * divergence, exit 1, and no half-written files — on the fast step and on
 * --plain's readable one. */
START_TEST(test_divergence_is_reported)
{
    if (!test_have_mnist("ch3 divergence"))
        return;
    for (int plain = 0; plain < 2; plain++) {
        char *dir = test_tmpdir();
        char cmd[1024];
        snprintf(cmd, sizeof cmd,
                 "%s --bench --opt sgd --lr 1000 --train-limit 2000 --test-limit 100 %s "
                 "--out %s --data %s", test_bin("ch3"), plain ? "--plain" : "--threads 2", dir,
                 mnist_dir());
        int rc = test_run(cmd, out, sizeof out);
        ck_assert_msg(rc == 1, "exit %d:\n%s", rc, out);
        ck_assert_ptr_nonnull(strstr(out, "divergió"));
        ck_assert(!test_dir_has_tmp(dir));
        test_rmdir(dir);
        free(dir);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ch3");
    TCase *tk = tcase_create("kernels");
    tcase_set_timeout(tk, 120);
    tcase_add_test(tk, test_gemm_plain_vs_cblas);
    tcase_add_test(tk, test_dense_plain_vs_fast);
    tcase_add_test(tk, test_input_is_784);
    tcase_add_test(tk, test_fast_step_equals_readable_adam);
    tcase_add_test(tk, test_fast_step_equals_readable_dropout);
    tcase_add_test(tk, test_epoch_fast_equals_readable_adam);
    tcase_add_test(tk, test_epoch_fast_equals_readable_sgd);
    tcase_add_test(tk, test_epoch_fast_equals_readable_dropout);
    suite_add_tcase(s, tk);
    TCase *tp = tcase_create("program");
    tcase_set_timeout(tp, 600);
    tcase_add_test(tp, test_end_to_end_subset);
    tcase_add_test(tp, test_same_seed_same_csvs);
    tcase_add_test(tp, test_plain_matches_default);
    tcase_add_test(tp, test_every_activation_trains);
    tcase_add_test(tp, test_minmax_equals_div255);
    tcase_add_test(tp, test_bad_flags);
    tcase_add_test(tp, test_seeds);
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
