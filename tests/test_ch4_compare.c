/* test_ch4_compare.c — chapter 3's MLP against chapter 4's CNN (thesis 002
 * §5, chapter 4's exercise 2, notes §4's shifted digits): the ROC curve,
 * its area and the average precision on hand-worked cases with ties
 * (common/roc.c), McNemar's table from two prediction vectors, the CNN's
 * probabilities file, the shifts (0 pixels is the plain accuracy), chapter
 * 3's files when they are missing or malformed, and the program end to end
 * with a made-up chapter 3. */
#include "testutil.h"
#include "../chapters/04-cnn/cnn.h"
#include "../chapters/04-cnn/cnn_fast.h"
#include "../chapters/04-cnn/compare.h"
#include "roc.h"
#include "stats.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --- common/roc.c on a case worked by hand ------------------------------- */
/* Six images, three positives; two ties, each between a positive and a
 * negative:
 *     score     0.9  0.8  0.8  0.6  0.6  0.3
 *     positive   1    1    0    1    0    0
 * Lowering the threshold through the four distinct scores:
 *     t = 0.9: TP 1, FP 0   → (fpr, tpr) = (0, 1/3),   precision 1
 *     t = 0.8: TP 2, FP 1   → (1/3, 2/3),              precision 2/3
 *     t = 0.6: TP 3, FP 2   → (2/3, 1),                precision 3/5
 *     t = 0.3: TP 3, FP 3   → (1, 1),                  precision 1/2
 * AUC by trapezoids: 0 + (1/3)(1/3 + 2/3)/2 + (1/3)(2/3 + 1)/2 + (1/3)(1)
 *                  = 1/6 + 5/18 + 1/3 = 7/9;
 * by pairs (Mann–Whitney): 0.9 beats the three negatives (3), 0.8 ties one
 * and beats two (2.5), 0.6 loses one, ties one, beats one (1.5): 7/9.
 * AP = (1/3)·1 + (1/3)·(2/3) + (1/3)·(3/5) + 0·(1/2) = 34/45. */
static const double HAND_SCORE[6] = {0.9, 0.8, 0.8, 0.6, 0.6, 0.3};
static const unsigned char HAND_POS[6] = {1, 1, 0, 1, 0, 0};

static void check_hand_case(const double *score, const unsigned char *pos)
{
    Roc r;
    roc_compute(&r, score, pos, 6);
    const double fpr[5] = {0, 0, 1.0 / 3, 2.0 / 3, 1}, tpr[5] = {0, 1.0 / 3, 2.0 / 3, 1, 1};
    const double prec[5] = {1, 1, 2.0 / 3, 3.0 / 5, 0.5}, thr[5] = {INFINITY, 0.9, 0.8, 0.6, 0.3};
    ck_assert_int_eq(r.points, 5); /* one point per distinct score, plus (0, 0) */
    ck_assert_int_eq(r.positives, 3);
    ck_assert_int_eq(r.negatives, 3);
    for (int k = 0; k < 5; k++) {
        ck_assert_double_eq_tol(r.fpr[k], fpr[k], 1e-15);
        ck_assert_double_eq_tol(r.tpr[k], tpr[k], 1e-15);
        ck_assert_double_eq_tol(r.recall[k], tpr[k], 1e-15);
        ck_assert_double_eq_tol(r.precision[k], prec[k], 1e-15);
        ck_assert(r.threshold[k] == thr[k]);
    }
    ck_assert_double_eq_tol(r.auc, 7.0 / 9, 1e-15);
    ck_assert_double_eq_tol(r.ap, 34.0 / 45, 1e-15);
    roc_free(&r);
}

START_TEST(test_roc_hand_worked_with_ties)
{
    check_hand_case(HAND_SCORE, HAND_POS);
    ck_assert_double_eq_tol(roc_auc_pairs(HAND_SCORE, HAND_POS, 6), 7.0 / 9, 1e-15);
    /* the same images in another order (each tie now negative first): a
     * tie is one point whatever the order, so nothing changes */
    const double score[6] = {0.3, 0.6, 0.8, 0.9, 0.8, 0.6};
    const unsigned char pos[6] = {0, 0, 0, 1, 1, 1};
    check_hand_case(score, pos);
}
END_TEST

/* Many ties (scores 0..4), random labels: trapezoids equal pairs, always. */
START_TEST(test_roc_auc_equals_mann_whitney)
{
    Rng rng;
    rng_seed(&rng, 7);
    enum { N = 300 };
    double score[N];
    unsigned char pos[N];
    for (int trial = 0; trial < 20; trial++) {
        for (int i = 0; i < N; i++) {
            pos[i] = rng_uniform(&rng) < 0.3;
            /* positives score a little higher on average; ties everywhere */
            score[i] = floor(rng_uniform(&rng) * 5 + (pos[i] ? 1.0 : 0.0));
        }
        Roc r;
        roc_compute(&r, score, pos, N);
        double pairs = roc_auc_pairs(score, pos, N);
        ck_assert_msg(fabs(r.auc - pairs) < 1e-12, "trial %d: trapezoids %.15f, pairs %.15f",
                      trial, r.auc, pairs);
        ck_assert(r.points <= 7); /* at most 6 distinct scores + (0, 0) */
        ck_assert_double_eq(r.fpr[r.points - 1], 1);
        ck_assert_double_eq(r.tpr[r.points - 1], 1);
        roc_free(&r);
    }
}
END_TEST

START_TEST(test_roc_extremes)
{
    /* every positive above every negative: AUC 1, AP 1 */
    const double s[4] = {0.1, 0.9, 0.2, 0.8};
    const unsigned char p[4] = {0, 1, 0, 1};
    Roc r;
    roc_compute(&r, s, p, 4);
    ck_assert_double_eq(r.auc, 1);
    ck_assert_double_eq(r.ap, 1);
    roc_free(&r);
    /* every positive below: AUC 0; AP = (1/2)(1/3) + (1/2)(2/4) = 5/12 */
    const unsigned char q[4] = {1, 0, 1, 0};
    roc_compute(&r, s, q, 4);
    ck_assert_double_eq(r.auc, 0);
    ck_assert_double_eq_tol(r.ap, 5.0 / 12, 1e-15);
    roc_free(&r);
    /* one score for all: one diagonal step, AUC 1/2 */
    const double same[4] = {0.5, 0.5, 0.5, 0.5};
    roc_compute(&r, same, p, 4);
    ck_assert_int_eq(r.points, 2);
    ck_assert_double_eq(r.auc, 0.5);
    roc_free(&r);
    /* no positives: no area */
    const unsigned char none[4] = {0, 0, 0, 0};
    roc_compute(&r, s, none, 4);
    ck_assert(isnan(r.auc));
    ck_assert(isnan(r.ap));
    roc_free(&r);
}
END_TEST

/* --- McNemar's table --------------------------------------------------- */
START_TEST(test_mcnemar_table_by_hand)
{
    /*  image       0  1  2  3  4  5  6  7  8  9
     *  label       0  1  2  3  4  5  6  7  8  9
     *  A (MLP)     0  1  2  3  0  0  6  0  0  0    right: 0 1 2 3 6
     *  B (CNN)     0  1  2  0  4  5  0  7  8  0    right: 0 1 2 4 5 7 8
     * both right 0 1 2 (3); only A 3 6 (2); only B 4 5 7 8 (4); both wrong 9 (1) */
    const unsigned char y[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    const unsigned char a[10] = {0, 1, 2, 3, 0, 0, 6, 0, 0, 0};
    const unsigned char b[10] = {0, 1, 2, 0, 4, 5, 0, 7, 8, 0};
    McNemarTable t = mcnemar_table(y, a, b, 10);
    ck_assert_int_eq(t.both_right, 3);
    ck_assert_int_eq(t.only_a, 2);
    ck_assert_int_eq(t.only_b, 4);
    ck_assert_int_eq(t.both_wrong, 1);
    /* b = 2, c = 4 of 6 discordant: p = 2·P(X ≤ 2), X ~ B(6, 1/2) = 2·22/64 */
    ck_assert_double_eq_tol(mcnemar_exact_p(t.only_a, t.only_b), 44.0 / 64, 1e-12);
    /* swapping the models swaps only_a and only_b */
    McNemarTable s = mcnemar_table(y, b, a, 10);
    ck_assert_int_eq(s.only_a, 4);
    ck_assert_int_eq(s.only_b, 2);

    /* the predictions are the most probable class, the first on a tie */
    const double probs[3 * 10] = {0.1, 0.5, 0.4, 0, 0, 0, 0, 0, 0, 0,
                                  0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0.5,
                                  0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    unsigned char pred[3];
    predictions_from_probabilities(probs, 3, pred);
    ck_assert_int_eq(pred[0], 1);
    ck_assert_int_eq(pred[1], 0);
    ck_assert_int_eq(pred[2], 9);
}
END_TEST

/* --- the CNN's probabilities and shifts -------------------------------- */
static void small_net(CnnNet *net, Mnist *m, int n)
{
    Rng rng;
    rng_seed(&rng, 11);
    cnn_init(net, &rng);
    *m = test_fake_mnist(n, &rng);
}

static char *path_in(const char *dir, const char *name)
{
    static char buf[4][1200];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

START_TEST(test_probabilities_file)
{
    CnnNet net;
    Mnist m;
    small_net(&net, &m, 70);
    double *p1 = xmalloc(sizeof(double) * 700), *p2 = xmalloc(sizeof(double) * 700);
    double *back = xmalloc(sizeof(double) * 700);
    cnn_test_probabilities(&net, &m, 1, p1);
    cnn_test_probabilities(&net, &m, 2, p2);

    /* the classes it gives are the fast path's predictions */
    CnnFast f;
    cnn_fast_init(&f, &net, 1, CNN_FAST_CHUNK, 0);
    unsigned char pred[70], from_probs[70];
    cnn_fast_predict(&f, &net, &m, 0, m.n, pred);
    cnn_fast_free(&f);
    predictions_from_probabilities(p1, m.n, from_probs);
    for (int i = 0; i < m.n; i++) {
        double sum = 0;
        for (int k = 0; k < 10; k++) {
            sum += p1[i * 10 + k];
            ck_assert(p1[i * 10 + k] >= 0 && p1[i * 10 + k] <= 1);
            ck_assert_double_eq_tol(p1[i * 10 + k], p2[i * 10 + k], 1e-5); /* 1 or 2 threads */
        }
        ck_assert_msg(fabs(sum - 1) < 1e-5, "image %d: the probabilities sum to %.9f", i, sum);
        ck_assert_int_eq(from_probs[i], pred[i]);
    }

    /* the file: the contract's header, one row per image, read back the same */
    char *dir = test_tmpdir();
    const char *path = path_in(dir, "prueba_probabilidades.csv");
    write_probabilities(path, &m, p1);
    char *text = test_read_file(path);
    const char *header = "indice,etiqueta,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9\n";
    ck_assert(strncmp(text, header, strlen(header)) == 0);
    int lines = 0;
    for (const char *c = text; *c; c++)
        lines += *c == '\n';
    ck_assert_int_eq(lines, 1 + m.n);
    free(text);
    char err[512] = "";
    ck_assert_msg(read_probabilities(path, &m, back, err, sizeof err) == 0, "%s", err);
    for (int i = 0; i < 700; i++)
        ck_assert(back[i] == p1[i]); /* the numbers measured are the file's, exactly */
    test_rmdir(dir);
    free(dir);
    free(p1);
    free(p2);
    free(back);
    mnist_free(&m);
    cnn_free(&net);
}
END_TEST

START_TEST(test_shift_zero_is_plain_accuracy)
{
    CnnNet net;
    Mnist m;
    small_net(&net, &m, 90);
    /* labels the untrained net gets right half the time, so accuracies differ */
    CnnFast f;
    cnn_fast_init(&f, &net, 1, CNN_FAST_CHUNK, 0);
    unsigned char pred[90];
    cnn_fast_predict(&f, &net, &m, 0, m.n, pred);
    for (int i = 0; i < m.n; i += 2)
        m.labels[i] = pred[i];
    double acc[SHIFT_DIRECTIONS][SHIFT_MAX + 1];
    cnn_shift_accuracy(&net, &m, 2, acc);

    /* 0 pixels: the plain accuracy, the same in each direction */
    int right = 0;
    for (int i = 0; i < m.n; i++)
        right += pred[i] == m.labels[i];
    ck_assert_int_ge(right, m.n / 2);
    for (int d = 0; d < SHIFT_DIRECTIONS; d++)
        ck_assert_double_eq_tol(acc[d][0], (double)right / m.n, 1e-12);

    /* 3 pixels up: the accuracy on mnist_shifted(0, −3) */
    Mnist up;
    mnist_shifted(&m, 0, -3, &up);
    cnn_fast_predict(&f, &net, &up, 0, up.n, pred);
    right = 0;
    for (int i = 0; i < up.n; i++)
        right += pred[i] == up.labels[i];
    ck_assert_double_eq_tol(acc[3][3], (double)right / up.n, 1e-12);
    ck_assert(acc[3][3] != acc[3][0]); /* moving the digits changed something */
    ck_assert_str_eq(SHIFT_NAME[3], "arriba");
    mnist_free(&up);
    cnn_fast_free(&f);
    mnist_free(&m);
    cnn_free(&net);
}
END_TEST

/* --- chapter 3's files, missing or malformed ------------------------------ */
static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert(f != NULL);
    fputs(text, f);
    fclose(f);
}

/* A made-up chapter 3: probabilities that favour the true label of every
 * image but those where i % 7 == 0, and a plausible shift table. */
static void fake_chapter3(const char *dir, const Mnist *m)
{
    FILE *f = fopen(path_in(dir, "prueba_probabilidades.csv"), "w");
    ck_assert(f != NULL);
    fprintf(f, "indice,etiqueta,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9\n");
    for (int i = 0; i < m->n; i++) {
        int best = i % 7 == 0 ? (m->labels[i] + 1) % 10 : m->labels[i];
        fprintf(f, "%d,%d", i, m->labels[i]);
        for (int k = 0; k < 10; k++)
            fprintf(f, ",%.6g", k == best ? 0.82 : 0.02);
        fprintf(f, "\n");
    }
    fclose(f);
    f = fopen(path_in(dir, "desplazamientos.csv"), "w");
    ck_assert(f != NULL);
    fprintf(f, "direccion,pixeles,exactitud\n");
    for (int d = 0; d < SHIFT_DIRECTIONS; d++)
        for (int px = 0; px <= SHIFT_MAX; px++)
            fprintf(f, "%s,%d,%.6f\n", SHIFT_NAME[d], px, 0.97 - 0.2 * px);
    fclose(f);
}

/* read_probabilities fails on `text` and its line names the file and `what`. */
static void check_bad_probabilities(const char *dir, const Mnist *m, const char *text,
                                    const char *what)
{
    const char *path = path_in(dir, "prueba_probabilidades.csv");
    write_text(path, text);
    double *p = xmalloc(sizeof(double) * (size_t)m->n * 10);
    char err[512] = "";
    ck_assert_int_eq(read_probabilities(path, m, p, err, sizeof err), -1);
    ck_assert_msg(strstr(err, path) && strstr(err, what), "'%s' does not say '%s'", err, what);
    free(p);
}

START_TEST(test_chapter3_files_missing_or_malformed)
{
    Rng rng;
    rng_seed(&rng, 5);
    Mnist m = test_fake_mnist(3, &rng);
    m.labels[0] = 7, m.labels[1] = 2, m.labels[2] = 1;
    char *dir = test_tmpdir();
    double p[30], acc[SHIFT_DIRECTIONS][SHIFT_MAX + 1];
    char err[512];

    /* missing: what to run */
    ck_assert_int_eq(read_probabilities(path_in(dir, "prueba_probabilidades.csv"), &m, p, err,
                                        sizeof err), -1);
    ck_assert_msg(strstr(err, "falta ") && strstr(err, "ejecuta make chapter3"), "%s", err);
    ck_assert_int_eq(read_shifts(path_in(dir, "desplazamientos.csv"), acc, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "falta ") && strstr(err, "ejecuta make chapter3"), "%s", err);

    /* malformed: each says what is wrong */
#define H "indice,etiqueta,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9\n"
#define R0 "0,7,0,0,0,0,0,0,0,1,0,0\n"
#define R1 "1,2,0,0,1,0,0,0,0,0,0,0\n"
#define R2 "2,1,0,1,0,0,0,0,0,0,0,0\n"
    check_bad_probabilities(dir, &m, "index,truth,p0\n" R0 R1 R2, "cabecera");
    check_bad_probabilities(dir, &m, H R0 R1, "tiene 2 filas");
    check_bad_probabilities(dir, &m, H R0 R1 R2 "3,4,0,0,0,0,1,0,0,0,0,0\n", "más de 3 filas");
    check_bad_probabilities(dir, &m, H R0 "1,3,0,0,1,0,0,0,0,0,0,0\n" R2, "etiqueta 3");
    check_bad_probabilities(dir, &m, H R0 R1 "2,1,0,0.5,0,0,0,0,0,0,0,0\n", "suman 0.5");
    check_bad_probabilities(dir, &m, H R0 R1 "2,1,0,1,0\n", "fila 3");
    check_bad_probabilities(dir, &m, H R0 R2 R1, "índice 2");
    check_bad_probabilities(dir, &m, H R0 R1 "2,1,0,1.5,-0.5,0,0,0,0,0,0,0\n", "fuera de [0, 1]");
    /* and the good one is read */
    write_text(path_in(dir, "prueba_probabilidades.csv"), H R0 R1 R2);
    ck_assert_msg(read_probabilities(path_in(dir, "prueba_probabilidades.csv"), &m, p, err,
                                     sizeof err) == 0, "%s", err);
    ck_assert_double_eq(p[2 * 10 + 1], 1);
#undef H
#undef R0
#undef R1
#undef R2

    const char *sp = path_in(dir, "desplazamientos.csv");
    write_text(sp, "direccion,pixeles,accuracy\n");
    ck_assert_int_eq(read_shifts(sp, acc, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "cabecera"), "%s", err);
    write_text(sp, "direccion,pixeles,exactitud\nderecha,0,0.9\nderecha,1,0.8\n");
    ck_assert_int_eq(read_shifts(sp, acc, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "tiene 2 filas, se esperaban 20"), "%s", err);
    write_text(sp, "direccion,pixeles,exactitud\nizquierda,0,0.9\n");
    ck_assert_int_eq(read_shifts(sp, acc, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "'derecha,0,<exactitud>'"), "%s", err);
    write_text(sp, "direccion,pixeles,exactitud\nderecha,0,97.1\n");
    ck_assert_int_eq(read_shifts(sp, acc, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "fuera de [0, 1]"), "%s", err);
    fake_chapter3(dir, &m);
    ck_assert_msg(read_shifts(sp, acc, err, sizeof err) == 0, "%s", err);
    ck_assert_double_eq_tol(acc[3][4], 0.17, 1e-12);
    test_rmdir(dir);
    free(dir);
    mnist_free(&m);
}
END_TEST

/* --- the program ------------------------------------------------------- */
static const char *mnist_dir(void)
{
    return getenv("MNIST_DATA") ? getenv("MNIST_DATA") : "datasets/mnist";
}

/* A short run against a made-up chapter 3, one without it, one with a
 * malformed file: the comparison runs, or is skipped with its line, and the
 * chapter goes on to the end each time. */
START_TEST(test_program_compares_or_skips)
{
    if (!test_have_mnist("test_program_compares_or_skips"))
        return;
    const int n_test = 400;
    Mnist test;
    mnist_load(mnist_dir(), "t10k", &test);
    mnist_limit(&test, n_test);
    char *dir = test_tmpdir(), *mlp = test_tmpdir();
    fake_chapter3(mlp, &test);
    static char out[1 << 16];
    char cmd[4096];
    const char *run = "--epochs 1 --train-limit 500 --test-limit 400 --seed 3 --threads 2";
    snprintf(cmd, sizeof cmd, "%s %s --out %s --mlp %s --data %s", test_bin("ch4"), run, dir,
             mlp, mnist_dir());
    int rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "ch4 exited %d:\n%s", rc, out);
    const char *files[] = {"prueba_probabilidades.csv", "desplazamientos.csv", "roc_curvas.csv",
                           "pr_curvas.csv", "roc_auc.csv", "mcnemar.csv",
                           "desplazamientos_comparacion.csv", "comparacion.json"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        ck_assert_msg(access(path_in(dir, files[i]), R_OK) == 0, "%s was not written", files[i]);
    ck_assert_msg(strstr(out, "MLP acierta") && strstr(out, "Conclusión:"), "%s", out);
    /* the made-up MLP misses every 7th image: i = 0, 7, ..., 399 → 58 of 400 */
    ck_assert_msg(strstr(out, "MLP 85.50 %"), "%s", out);
    char *json = test_read_file(path_in(dir, "summary.json"));
    ck_assert(strstr(json, "\"comparacion_mlp_cnn\"") && strstr(json, "\"p_exacta\""));
    free(json);
    /* the CNN's shift table: 20 rows, 0 pixels is the accuracy the chapter printed */
    char *shifts = test_read_file(path_in(dir, "desplazamientos.csv"));
    int lines = 0;
    for (const char *c = shifts; *c; c++)
        lines += *c == '\n';
    ck_assert_int_eq(lines, 21);
    json = test_read_file(path_in(dir, "summary.json"));
    double acc = atof(strstr(json, "\"test_accuracy\": ") + 17);
    char row[64];
    snprintf(row, sizeof row, "arriba,0,%.6f\n", acc);
    ck_assert_msg(strstr(shifts, row), "no '%s' in desplazamientos.csv:\n%s", row, shifts);
    free(json);
    free(shifts);

    /* no chapter 3: one line, and the chapter still ends well */
    snprintf(cmd, sizeof cmd, "%s %s --out %s --mlp %s/none --data %s", test_bin("ch4"), run, dir,
             mlp, mnist_dir());
    rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "ch4 exited %d:\n%s", rc, out);
    ck_assert_msg(strstr(out, "/none/prueba_probabilidades.csv: ejecuta make chapter3"), "%s", out);
    ck_assert_msg(strstr(out, "/none/desplazamientos.csv: ejecuta make chapter3"), "%s", out);
    ck_assert(strstr(out, "MLP acierta") == NULL);
    ck_assert(access(path_in(dir, "desplazamientos_comparacion.csv"), R_OK) == 0);
    ck_assert(strstr(out, "json    ") != NULL);

    /* a malformed file: named, with what is wrong */
    write_text(path_in(mlp, "prueba_probabilidades.csv"), "indice,etiqueta\n");
    snprintf(cmd, sizeof cmd, "%s %s --out %s --mlp %s --data %s", test_bin("ch4"), run, dir,
             mlp, mnist_dir());
    rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "ch4 exited %d:\n%s", rc, out);
    ck_assert_msg(strstr(out, "prueba_probabilidades.csv: la cabecera no es"), "%s", out);
    test_rmdir(mlp);
    test_rmdir(dir);
    free(mlp);
    free(dir);
    mnist_free(&test);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ch4_compare");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_roc_hand_worked_with_ties);
    tcase_add_test(tc, test_roc_auc_equals_mann_whitney);
    tcase_add_test(tc, test_roc_extremes);
    tcase_add_test(tc, test_mcnemar_table_by_hand);
    tcase_add_test(tc, test_probabilities_file);
    tcase_add_test(tc, test_shift_zero_is_plain_accuracy);
    tcase_add_test(tc, test_chapter3_files_missing_or_malformed);
    tcase_add_test(tc, test_program_compares_or_skips);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
