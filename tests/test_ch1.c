/* test_ch1.c — what chapter 1 claims, checked: the step fires only for z > 0,
 * one update of the rule matches numbers worked by hand, the perceptron
 * learns AND and OR and never XOR (for the default seed and many others),
 * XOR's boundary ends in a cycle, the program writes the same bytes for the
 * same seed, refuses bad input cleanly, the image grids and the confusion
 * matrix hold what the figures need, and (when MNIST is there) ten
 * one-vs-rest perceptrons reach the accuracy the notebook reports.
 *
 * Linked with chapter 1's objects, all but main.c (the program). */
#include "plotdata.h"
#include "testutil.h"

#include "../chapters/01-perceptron/figures_data.h"
#include "../chapters/01-perceptron/perceptron.h"
#include "activations.h"
#include "out.h"
#include "rng.h"
#include "util.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_SEED 42
#define CH1_CSVS {"puntos.csv", "fronteras.csv", "xor_epocas.csv", "xor_pasos.csv", "errores.csv", \
                  "puertas_animacion.csv"}

/* --- the step function (notes §1.2: 1 if z > 0 else 0) ------------------ */

START_TEST(test_step_is_z_greater_than_zero)
{
    ck_assert(step(0.0) == 0.0);
    ck_assert(step(-0.0) == 0.0);
    ck_assert(step(1e-300) == 1.0);
    ck_assert(step(-1e-300) == 0.0);
    ck_assert(step(3.0) == 1.0);
    /* The same through a perceptron whose z is exactly 0. */
    double w[2] = {0.5, -0.5};
    Ch1Perceptron p = {.n_inputs = 2, .weights = w, .bias = 0.0, .lr = 0.1};
    const double x[2] = {1, 1};
    ck_assert(ch1_z(&p, x) == 0.0);
    ck_assert_int_eq(ch1_predict(&p, x), 0);
}
END_TEST

/* --- one update by hand (notes §1.1) ------------------------------------ */

START_TEST(test_single_update_by_hand)
{
    /* w = (0.5, −0.3), b = 0, η = 0.1.
     * x = (1, 0), y = 0: z = 0.5 > 0, ŷ = 1, error = −1
     *   → w = (0.5 − 0.1, −0.3) = (0.4, −0.3), b = −0.1.
     * x = (0, 1), y = 1: z = −0.3 − 0.1 = −0.4, ŷ = 0, error = +1
     *   → w = (0.4, −0.3 + 0.1) = (0.4, −0.2), b = −0.1 + 0.1 = 0.
     * x = (1, 1), y = 1: z = 0.4 − 0.2 + 0 = 0.2 > 0, ŷ = 1, error = 0 → no change. */
    double w[2] = {0.5, -0.3};
    Ch1Perceptron p = {.n_inputs = 2, .weights = w, .bias = 0.0, .lr = 0.1};

    ck_assert_int_eq(ch1_train_step(&p, (const double[]){1, 0}, 0), -1);
    ck_assert_double_eq_tol(w[0], 0.4, 1e-12);
    ck_assert_double_eq_tol(w[1], -0.3, 1e-12);
    ck_assert_double_eq_tol(p.bias, -0.1, 1e-12);

    ck_assert_int_eq(ch1_train_step(&p, (const double[]){0, 1}, 1), 1);
    ck_assert_double_eq_tol(w[0], 0.4, 1e-12);
    ck_assert_double_eq_tol(w[1], -0.2, 1e-12);
    ck_assert_double_eq_tol(p.bias, 0.0, 1e-12);

    ck_assert_int_eq(ch1_train_step(&p, (const double[]){1, 1}, 1), 0);
    ck_assert_double_eq_tol(w[0], 0.4, 1e-12);
    ck_assert_double_eq_tol(w[1], -0.2, 1e-12);
    ck_assert_double_eq_tol(p.bias, 0.0, 1e-12);
}
END_TEST

/* --- AND and OR learned, XOR never (notes §1.2) -------------------------- */

static void check_gates_for_seed(uint64_t seed)
{
    Rng rng;
    double w0[2];
    ch1_initial_weights(&rng, seed, w0);
    Ch1GateRun runs[CH1_N_GATES];
    for (int g = 0; g < CH1_N_GATES; g++)
        ch1_train_gate(w0, 0.1, 100, ch1_gates[g].y, &runs[g]);

    for (int g = CH1_AND; g <= CH1_OR; g++) {
        ck_assert_msg(runs[g].learned, "seed %llu: %s not learned", (unsigned long long)seed,
                      ch1_gates[g].name);
        for (int i = 0; i < CH1_N_POINTS; i++)
            ck_assert_int_eq(runs[g].predictions[i], ch1_gates[g].y[i]);
        /* Learned means: a last error, then 0 errors in every epoch after it. */
        ck_assert_int_lt(runs[g].last_error_epoch, 100);
        for (int e = runs[g].last_error_epoch; e < 100; e++)
            ck_assert_int_eq(runs[g].errors[e], 0);
    }
    /* XOR: at least one error in every one of the 100 epochs. */
    ck_assert_msg(!runs[CH1_XOR].learned, "seed %llu: XOR learned?!", (unsigned long long)seed);
    for (int e = 0; e < 100; e++)
        ck_assert_msg(runs[CH1_XOR].errors[e] > 0, "seed %llu: XOR had 0 errors in epoch %d",
                      (unsigned long long)seed, e + 1);
    ck_assert_int_eq(runs[CH1_XOR].last_error_epoch, 100);
    /* The totals the program reports are those of the per-epoch counts. */
    for (int g = 0; g < CH1_N_GATES; g++) {
        int total = 0, fewest = runs[g].errors[0];
        for (int e = 0; e < 100; e++) {
            total += runs[g].errors[e];
            fewest = runs[g].errors[e] < fewest ? runs[g].errors[e] : fewest;
        }
        ck_assert_int_eq(runs[g].total_errors, total);
        ck_assert_int_eq(runs[g].fewest_errors, fewest);
        ch1_gate_run_free(&runs[g]);
    }
}

START_TEST(test_gates_default_seed) { check_gates_for_seed(DEFAULT_SEED); }
END_TEST

START_TEST(test_gates_many_seeds)
{
    for (uint64_t seed = 1; seed <= 60; seed++)
        check_gates_for_seed(seed);
    check_gates_for_seed(123456789);
    check_gates_for_seed(UINT64_MAX);
}
END_TEST

/* XOR's boundary ends in a cycle (notes §2: "se quedará oscilando"), and the
 * cycle finder does not invent one on a run that has settled (AND). */
START_TEST(test_xor_oscillates)
{
    Rng rng;
    double w0[2];
    ch1_initial_weights(&rng, DEFAULT_SEED, w0);
    Ch1GateRun xr, ar;
    ch1_train_gate(w0, 0.1, 100, ch1_gates[CH1_XOR].y, &xr);
    ch1_train_gate(w0, 0.1, 100, ch1_gates[CH1_AND].y, &ar);
    int start, period;
    ck_assert(ch1_find_cycle(xr.path, 4 * 100 + 1, &start, &period));
    ck_assert_int_ge(period, 2); /* a boundary that moves, not one that stands still */
    /* Inside the cycle the line really moves: two of its states differ. */
    int moved = 0;
    for (int r = start + 1; r < start + period; r++)
        moved |= fabs(xr.path[3 * r + 2] - xr.path[3 * start + 2]) > 1e-9 ||
                 fabs(xr.path[3 * r] - xr.path[3 * start]) > 1e-9;
    ck_assert(moved);
    /* AND stops moving: its end is "periodic" only with period 1, a fixed point. */
    ck_assert(ch1_find_cycle(ar.path, 4 * 100 + 1, &start, &period));
    ck_assert_int_eq(period, 1);
    /* What the program prints and the notebook shows for seed 42: from epoch
     * 31 on, one epoch (4 examples) per turn, 4 different lines. */
    Ch1Cycle cy = ch1_gate_cycle(&xr);
    ck_assert(cy.found);
    ck_assert_int_eq(cy.from_epoch, 31);
    ck_assert_int_eq(cy.period, 4);
    ck_assert_int_eq(cy.distinct, 4);
    ch1_gate_run_free(&xr);
    ch1_gate_run_free(&ar);
}
END_TEST

/* Errata (slides 004 vs notes §1.2): the slides fire at z ≥ 0 with outputs
 * ±1, the notes at z > 0 with 0/1. They differ exactly at z = 0, which is
 * not rare: for the input (0,0) z is the bias, which starts at 0. With the
 * default seed, OR ends with b = 0 exactly; the notes' step answers 0 for
 * (0,0) — right — while the slides' f(0) = +1 would answer "true". */
START_TEST(test_errata_step_convention_at_zero)
{
    Rng rng;
    double w0[2];
    ch1_initial_weights(&rng, DEFAULT_SEED, w0);
    Ch1GateRun r;
    ch1_train_gate(w0, 0.1, 100, ch1_gates[CH1_OR].y, &r);
    ck_assert(r.learned);
    ck_assert(r.b == 0.0);
    Ch1Perceptron p = {.n_inputs = 2, .weights = r.w, .bias = r.b, .lr = 0.1};
    double z00 = ch1_z(&p, ch1_X[0]);
    ck_assert(z00 == 0.0);
    ck_assert_int_eq(ch1_predict(&p, ch1_X[0]), 0);      /* notes: 0, OR(0,0) = 0 */
    int slides_output = z00 >= 0 ? +1 : -1;              /* slides 004 */
    ck_assert_int_eq(slides_output, +1);                 /* the "true" class */
    ch1_gate_run_free(&r);
}
END_TEST

/* Errata (notes §1.1): the rule there is written for the weights only,
 * w_i = w_i + x_i·Error·η, with no line for the bias (§1.2's code has one:
 * "Recalculamos el sesgo"). With the bias frozen at 0, the line
 * w1·x1 + w2·x2 = 0 must pass through (0,0), and AND is out of reach: it
 * needs w1 ≤ 0 and w2 ≤ 0 (for (1,0) and (0,1)) yet w1 + w2 > 0 (for (1,1)).
 * The full rule learns it from the same start (test_gates_*). */
START_TEST(test_errata_bias_must_learn_too)
{
    for (uint64_t seed = 1; seed <= 20; seed++) {
        Rng rng;
        double w[2];
        ch1_initial_weights(&rng, seed, w);
        Ch1Perceptron p = {.n_inputs = 2, .weights = w, .bias = 0.0, .lr = 0.1};
        const int *y = ch1_gates[CH1_AND].y;
        int errors_last_epoch = 0;
        for (int e = 0; e < 100; e++) {
            errors_last_epoch = 0;
            for (int i = 0; i < CH1_N_POINTS; i++) {
                int error = y[i] - ch1_predict(&p, ch1_X[i]);
                for (int j = 0; j < 2; j++) /* §1.1: the weights, and nothing else */
                    w[j] += p.lr * error * ch1_X[i][j];
                errors_last_epoch += (error != 0);
            }
        }
        ck_assert_double_eq(p.bias, 0.0);
        ck_assert_msg(errors_last_epoch > 0, "seed %llu: AND learned without a bias?!",
                      (unsigned long long)seed);
    }
}
END_TEST

/* The notes' train() loop, one epoch: the same as four single steps in the
 * order of X, and the path holds the line after each of them. */
START_TEST(test_train_epoch_is_four_steps)
{
    double wa[2] = {0.3, -0.7}, wb[2] = {0.3, -0.7};
    Ch1Perceptron a = {.n_inputs = 2, .weights = wa, .bias = 0.0, .lr = 0.1};
    Ch1Perceptron b = {.n_inputs = 2, .weights = wb, .bias = 0.0, .lr = 0.1};
    const int *y = ch1_gates[CH1_XOR].y;
    double path[4 * 3];
    int wrong = ch1_train_epoch(&a, y, path);
    int expect = 0;
    for (int i = 0; i < CH1_N_POINTS; i++) {
        expect += ch1_train_step(&b, ch1_X[i], y[i]) != 0;
        ck_assert(path[3 * i] == wb[0] && path[3 * i + 1] == wb[1] && path[3 * i + 2] == b.bias);
    }
    ck_assert_int_eq(wrong, expect);
    ck_assert_int_gt(wrong, 0);
    ck_assert(wa[0] == wb[0] && wa[1] == wb[1] && a.bias == b.bias);
}
END_TEST

/* --- divergence: only when the arithmetic overflows (perceptron.c) ----- */

/* No rate short of overflow makes a gate diverge: seeds 1-200, the three
 * gates, η from 1e-3 to 1e307. At η = 1e308 the default seed's AND
 * overflows in its third epoch, after its fourth example: the run stops
 * there with its two whole epochs, has learned nothing, has no cycle, and
 * its lines after that are NaN, never a state it did not reach. */
START_TEST(test_gate_divergence_only_by_overflow)
{
    static const double rates[] = {1e-3, 0.1, 10, 1e17, 1e100, 1e300, 1e307};
    for (uint64_t seed = 1; seed <= 200; seed++) {
        Rng rng;
        double w0[2];
        ch1_initial_weights(&rng, seed, w0);
        for (size_t k = 0; k < sizeof rates / sizeof *rates; k++)
            for (int g = 0; g < CH1_N_GATES; g++) {
                Ch1GateRun run;
                ch1_train_gate(w0, rates[k], 100, ch1_gates[g].y, &run);
                ck_assert_msg(run.diverged_epoch == 0 && run.epochs_done == 100,
                              "seed %llu, %s, η = %g diverged", (unsigned long long)seed,
                              ch1_gates[g].name, rates[k]);
                ch1_gate_run_free(&run);
            }
    }

    Rng rng;
    double w0[2];
    ch1_initial_weights(&rng, DEFAULT_SEED, w0);
    Ch1GateRun run;
    ch1_train_gate(w0, 1e308, 100, ch1_gates[CH1_AND].y, &run);
    ck_assert_int_eq(run.diverged_epoch, 3);
    ck_assert_int_eq(run.diverged_example, 4);
    ck_assert_int_eq(run.epochs_done, 2);
    ck_assert_int_eq(run.learned, 0);
    ck_assert_int_eq(run.total_errors, run.errors[0] + run.errors[1]);
    ck_assert_int_eq(ch1_gate_cycle(&run).found, 0);
    for (int t = 0; t <= 100 * CH1_N_POINTS; t++)   /* the states after each example */
        for (int c = 0; c < 3; c++)
            ck_assert_msg(t <= 2 * CH1_N_POINTS ? isfinite(run.path[3 * t + c])
                                                : isnan(run.path[3 * t + c]),
                          "path row %d", t);
    for (int e = 0; e <= 100; e++)
        ck_assert(e <= 2 ? isfinite(run.line[3 * e]) : isnan(run.line[3 * e]));
    ch1_gate_run_free(&run);

    /* ch1_finite: the weights and the bias. */
    double w[2] = {1, 2};
    Ch1Perceptron p = {.n_inputs = 2, .weights = w, .bias = 0, .lr = 0.1};
    ck_assert(ch1_finite(&p));
    p.bias = INFINITY;
    ck_assert(!ch1_finite(&p));
    p.bias = 0;
    w[1] = NAN;
    ck_assert(!ch1_finite(&p));
}
END_TEST

/* The ten perceptrons' guard: a weight that is not finite makes every z it
 * touches NaN (inf·0) — the scores say so (−1), a training step learns
 * nothing from it (−1), a pass stops at that image, and the evaluation is
 * NaN, not a number of right answers. An update that overflows is caught
 * on the image that made it. */
START_TEST(test_one_vs_rest_guard)
{
    Rng rng;
    rng_seed(&rng, 3);
    Mnist d = test_fake_mnist(20, &rng);
    int n_in = d.rows * d.cols;
    Ch1OneVsRest m;
    ch1_ovr_init(&m, n_in, 0.1, &rng);
    double *x = malloc(sizeof(double) * n_in), z[CH1_CLASSES];
    unsigned char label, pred[20];
    int order[20];
    for (int i = 0; i < 20; i++)
        order[i] = i;
    mnist_gather(&d, &order[0], 1, x, &label);
    ck_assert_int_ge(ch1_ovr_scores(&m, x, z), 0);
    double acc = ch1_ovr_evaluate(&m, &d, 20, pred);
    ck_assert(acc >= 0 && acc <= 1);

    m.W[7 * n_in + 5] = INFINITY;   /* perceptron 7, a pixel: inf·0 is NaN */
    ck_assert_int_eq(ch1_ovr_scores(&m, x, z), -1);
    ck_assert_int_eq(ch1_ovr_train_step(&m, x, label), -1);
    ck_assert(isnan(ch1_ovr_evaluate(&m, &d, 20, pred)));
    int at = -1;
    ch1_ovr_train_epoch(&m, &d, order, 20, &at);
    ck_assert_int_eq(at, 1);
    ch1_ovr_free(&m);

    /* From a finite start at the largest rate: the first update already
     * gives ±1.8e308, the sum of z overflows, and the pass stops early. */
    ch1_ovr_init(&m, n_in, DBL_MAX, &rng);
    int wrong = ch1_ovr_train_epoch(&m, &d, order, 20, &at);
    ck_assert_msg(at >= 1 && at <= 20, "stopped at %d", at);
    ck_assert_int_le(wrong, at - 1);
    /* An update that overflows is caught on its own image: z₃ = 0 for this
     * x, so perceptron 3 fires 0, is wrong and adds η·x = 1.8e308 to a
     * weight of 1.8e308. */
    ch1_ovr_free(&m);
    ch1_ovr_init(&m, n_in, DBL_MAX, &rng);
    for (int i = 0; i < CH1_CLASSES * n_in; i++)
        m.W[i] = 0;
    for (int i = 0; i < n_in; i++)
        x[i] = i == 0;
    m.W[3 * n_in] = DBL_MAX;
    m.p[3].bias = -DBL_MAX;
    ck_assert_int_eq(ch1_ovr_scores(&m, x, z), 0);   /* every z is 0: the first wins */
    ck_assert_int_eq(ch1_ovr_train_step(&m, x, 3), -1);
    ck_assert(isinf(m.W[3 * n_in]));
    /* and a finite rate: the whole pass, no stop */
    ch1_ovr_free(&m);
    ch1_ovr_init(&m, n_in, 0.1, &rng);
    ch1_ovr_train_epoch(&m, &d, order, 20, &at);
    ck_assert_int_eq(at, 0);
    ch1_ovr_free(&m);
    free(x);
    mnist_free(&d);
}
END_TEST

START_TEST(test_clip_line)
{
    double seg[4];
    /* x1 + x2 − 1 = 0 across [−0.5, 1.5]²: from (−0.5, 1.5) to (1.5, −0.5). */
    ck_assert(clip_line(1, 1, -1, -0.5, 1.5, seg));
    double len = hypot(seg[2] - seg[0], seg[3] - seg[1]);
    ck_assert_double_eq_tol(len, hypot(2, 2), 1e-12);
    ck_assert_double_eq_tol(seg[0] + seg[1], 1, 1e-12);
    ck_assert_double_eq_tol(seg[2] + seg[3], 1, 1e-12);
    /* A vertical line x1 = 0.25. */
    ck_assert(clip_line(4, 0, -1, -0.5, 1.5, seg));
    ck_assert_double_eq_tol(seg[0], 0.25, 1e-12);
    ck_assert_double_eq_tol(seg[2], 0.25, 1e-12);
    /* A line that misses the square, and no line at all. */
    ck_assert(!clip_line(1, 1, 10, -0.5, 1.5, seg));
    ck_assert(!clip_line(0, 0, 1, -0.5, 1.5, seg));
}
END_TEST

/* --- the CSVs of the MNIST figures ---------------------------------------- */

/* A long-form grid (x,y,value,inside) read back: width × height cells. */
typedef struct {
    int width, height;
    double *value;
    int *inside;
} Grid;

static Grid read_grid(const char *path)
{
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char line[256];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    ck_assert_str_eq(line, "x,y,value,inside\n");
    int cap = 1 << 16, n = 0;
    double *rows = xmalloc((size_t)cap * 4 * sizeof *rows);
    Grid g = {0, 0, NULL, NULL};
    while (fgets(line, sizeof line, f)) {
        if (n == cap)
            rows = xrealloc(rows, (size_t)(cap *= 2) * 4 * sizeof *rows);
        double *r = rows + 4 * n++;
        ck_assert_int_eq(sscanf(line, "%lf,%lf,%lf,%lf", &r[0], &r[1], &r[2], &r[3]), 4);
        g.width = r[0] + 1 > g.width ? (int)r[0] + 1 : g.width;
        g.height = r[1] + 1 > g.height ? (int)r[1] + 1 : g.height;
    }
    fclose(f);
    ck_assert_int_eq(n, g.width * g.height);   /* every cell, once */
    g.value = xcalloc((size_t)n, sizeof *g.value);
    g.inside = xcalloc((size_t)n, sizeof *g.inside);
    for (int i = 0; i < n; i++) {
        const double *r = rows + 4 * i;
        size_t at = (size_t)r[1] * g.width + (size_t)r[0];
        g.value[at] = r[2];
        g.inside[at] = (int)r[3];
    }
    free(rows);
    return g;
}

static void grid_done(Grid *g)
{
    free(g->value);
    free(g->inside);
}

/* Reads the first `cols` numbers of every data row of a CSV into v (rows ×
 * cols); returns the number of rows. */
static int read_rows(const char *path, int cols, double *v, int cap)
{
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char line[256];
    int n = 0;
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f) && n < cap) {
        char *p = line;
        for (int c = 0; c < cols; c++) {
            v[n * cols + c] = strtod(p, &p);
            if (*p == ',')
                p++;
        }
        n++;
    }
    fclose(f);
    return n;
}

/* Three made-up 4×3 "digits" (pixel = 10·image + position, label 7, 8, 9):
 * the grid has a tile per image with its pixels / 255 in reading order, the
 * frame around them outside every tile, and each caption centred on the band
 * above its tile with the image's index, label and prediction. */
START_TEST(test_digit_grid_csvs)
{
    unsigned char pixels[3 * 12], labels[3] = {7, 8, 9};
    for (int i = 0; i < 3 * 12; i++)
        pixels[i] = (unsigned char)(10 * (i / 12) + i % 12);
    Mnist d = {.n = 3, .rows = 3, .cols = 4, .pixels = pixels, .labels = labels};
    const int idx[2] = {2, 0};
    const unsigned char pred[2] = {1, 2};
    char *dir = test_tmpdir();
    write_digit_grid(dir, "g.csv", "g_etiquetas.csv", &d, idx, pred, 2, 2);

    char path[1024];
    snprintf(path, sizeof path, "%s/g.csv", dir);
    Grid g = read_grid(path);
    /* 2 tiles of 4 wide in a row, 2 apart: 2 + 4 + 2 + 4 + 2; one row of
     * 3 high under a caption band of 8: 2 + 8 + 3 + 2. */
    ck_assert_int_eq(g.width, 14);
    ck_assert_int_eq(g.height, 15);
    int inside = 0;
    for (int i = 0; i < g.width * g.height; i++) {
        inside += g.inside[i];
        if (!g.inside[i])
            ck_assert(g.value[i] == 0);
    }
    ck_assert_int_eq(inside, 2 * 12);
    for (int t = 0; t < 2; t++)
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++) {
                size_t at = (size_t)(10 + r) * g.width + 2 + 6 * t + c;
                ck_assert(g.inside[at]);
                /* pixel / 255 in float (mnist_gather), written with %.9g:
                 * read back as a float, the same number */
                float expect = (float)pixels[12 * idx[t] + 4 * r + c] / 255.0f;
                ck_assert_float_eq((float)g.value[at], expect);
            }
    grid_done(&g);

    double cap[2 * 5];
    snprintf(path, sizeof path, "%s/g_etiquetas.csv", dir);
    ck_assert_int_eq(read_rows(path, 5, cap, 2), 2);
    for (int t = 0; t < 2; t++) {
        const double *r = cap + 5 * t;
        ck_assert_double_eq(r[0], 2 + 6 * t + 1.5);   /* the middle of the tile's 4 columns */
        ck_assert(r[1] >= 2 && r[1] <= 9);           /* inside the caption band, rows 2..9 */
        ck_assert_double_eq(r[2], idx[t]);
        ck_assert_double_eq(r[3], labels[idx[t]]);
        ck_assert_double_eq(r[4], pred[t]);
    }
    ck_assert(!test_dir_has_tmp(dir));
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* The weights figure: ten tiles of w − w_start, each scaled so that its
 * largest change is ±1 (a tile that did not change is all 0), white gaps,
 * and a caption per digit with the largest |Δw| its tile was divided by. */
START_TEST(test_weight_grid_csvs)
{
    Rng rng;
    rng_seed(&rng, 3);
    Ch1OneVsRest m;
    ch1_ovr_init(&m, 6, 0.1, &rng);   /* tiles of 2 × 3 */
    double *w_start = xmalloc(sizeof(double) * 60);
    memcpy(w_start, m.W, sizeof(double) * 60);
    for (int k = 1; k < CH1_CLASSES; k++)   /* digit 0 learns nothing */
        for (int j = 0; j < 6; j++)
            m.W[6 * k + j] += 0.1 * k * (j - 2.5);
    char *dir = test_tmpdir();
    write_weight_grid(dir, &m, w_start, 2, 3);

    char path[1024];
    snprintf(path, sizeof path, "%s/mnist_pesos.csv", dir);
    Grid g = read_grid(path);
    ck_assert_int_eq(g.width, 5 * (3 + 2) + 2);
    ck_assert_int_eq(g.height, 2 * (2 + 8 + 2) + 2);
    double biggest[CH1_CLASSES] = {0};
    int tiles = 0;
    for (int y = 0; y < g.height; y++)
        for (int x = 0; x < g.width; x++) {
            size_t at = (size_t)y * g.width + x;
            if (!g.inside[at]) {
                ck_assert(g.value[at] == 0);
                continue;
            }
            int k = (y / 12) * 5 + (x - 2) / 5;   /* which tile */
            biggest[k] = fmax(biggest[k], fabs(g.value[at]));
            tiles++;
        }
    ck_assert_int_eq(tiles, 60);
    ck_assert_double_eq(biggest[0], 0);
    for (int k = 1; k < CH1_CLASSES; k++)
        ck_assert_double_eq_tol(biggest[k], 1, 1e-12);
    grid_done(&g);

    /* Each caption says what its tile was divided by: digit k changed by
     * 0.1·k·(j − 2.5), largest |Δw| 0.25·k (0 for digit 0). */
    double cap[CH1_CLASSES * 4];
    snprintf(path, sizeof path, "%s/mnist_pesos_etiquetas.csv", dir);
    ck_assert_int_eq(read_rows(path, 4, cap, CH1_CLASSES), CH1_CLASSES);
    for (int k = 0; k < CH1_CLASSES; k++) {
        ck_assert_double_eq(cap[4 * k + 2], k);
        ck_assert_double_eq_tol(cap[4 * k + 3], 0.25 * k, 1e-9);
    }
    test_rmdir(dir);
    free(dir);
    free(w_start);
    ch1_ovr_free(&m);
}
END_TEST

/* --- the program -------------------------------------------------------- */

static char g_out[1 << 16];

static int run_ch1(const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %s", test_bin("ch1"), args);
    return test_run(cmd, g_out, sizeof g_out);
}

START_TEST(test_same_seed_same_bytes)
{
    char *a = test_tmpdir(), *b = test_tmpdir(), *c = test_tmpdir();
    char args[1024];
    snprintf(args, sizeof args, "--no-mnist --out %s", a);
    ck_assert_int_eq(run_ch1(args), 0);
    snprintf(args, sizeof args, "--no-mnist --out %s", b);
    ck_assert_int_eq(run_ch1(args), 0);
    snprintf(args, sizeof args, "--no-mnist --seed 7 --out %s", c);
    ck_assert_int_eq(run_ch1(args), 0);
    const char *names[] = CH1_CSVS;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char pa[2048], pb[2048];
        snprintf(pa, sizeof pa, "%s/%s", a, names[i]);
        snprintf(pb, sizeof pb, "%s/%s", b, names[i]);
        ck_assert_msg(test_files_identical(pa, pb), "%s differs between two runs", names[i]);
    }
    /* ...and the seed is really used: another seed starts elsewhere. */
    char pa[2048], pc[2048];
    snprintf(pa, sizeof pa, "%s/xor_pasos.csv", a);
    snprintf(pc, sizeof pc, "%s/xor_pasos.csv", c);
    ck_assert(!test_files_identical(pa, pc));
    test_rmdir(a);
    test_rmdir(b);
    test_rmdir(c);
    free(a);
    free(b);
    free(c);
}
END_TEST

/* The value of "learned" inside the object of one gate in summary.json. */
static const char *gate_learned(const char *json, const char *gate)
{
    char key[64];
    snprintf(key, sizeof key, "\"%s\": {", gate);
    const char *at = strstr(json, key);
    ck_assert_msg(at != NULL, "summary.json has no %s", gate);
    const char *learned = strstr(at, "\"learned\": ");
    ck_assert_ptr_nonnull(learned);
    return strncmp(learned + 11, "true", 4) == 0 ? "true"
           : strncmp(learned + 11, "false", 5) == 0 ? "false" : "?";
}

START_TEST(test_summary_gates)
{
    char *dir = test_tmpdir();
    char args[1024], path[1024];
    snprintf(args, sizeof args, "--no-mnist --out %s", dir);
    ck_assert_int_eq(run_ch1(args), 0);
    /* The notes' console lines are there. */
    ck_assert_ptr_nonnull(strstr(g_out, "Entrada: [1 1] -> Prediccion: 1"));
    snprintf(path, sizeof path, "%s/summary.json", dir);
    char *json = test_read_file(path);
    ck_assert_ptr_nonnull(json);
    ck_assert_str_eq(gate_learned(json, "AND"), "true");
    ck_assert_str_eq(gate_learned(json, "OR"), "true");
    ck_assert_str_eq(gate_learned(json, "XOR"), "false");
    const char *xor = strstr(json, "\"XOR\": {");
    ck_assert_ptr_nonnull(strstr(xor, "\"last_error_epoch\": 100"));
    ck_assert_ptr_nonnull(strstr(json, "\"mnist\": null"));
    /* "files" is the last key (the Makefile's summary-files relies on it). */
    const char *files = strstr(json, "\n  \"files\": [");
    ck_assert_ptr_nonnull(files);
    ck_assert_ptr_null(strstr(files + 1, "\n  \""));
    free(json);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* Bad input: non-zero exit, one line naming the problem, nothing written.
 * `args_fmt` has one %s for the output folder, a fresh temporary one. */
static void check_one_line_refusal(const char *args, const char *must_mention)
{
    int rc = run_ch1(args);
    ck_assert_msg(rc > 0, "'%s' exited with %d (want a clean non-zero exit)", args, rc);
    size_t len = strlen(g_out);
    ck_assert_msg(len > 0 && g_out[len - 1] == '\n' && strchr(g_out, '\n') == g_out + len - 1,
                  "'%s' should print exactly one line, printed: %s", args, g_out);
    ck_assert_msg(strstr(g_out, must_mention) != NULL, "'%s': message does not mention '%s': %s",
                  args, must_mention, g_out);
}

static void check_refusal(const char *args_fmt, const char *must_mention)
{
    char *dir = test_tmpdir();
    char args[2048];
    snprintf(args, sizeof args, args_fmt, dir);
    check_one_line_refusal(args, must_mention);
    ck_assert_msg(test_count_files(dir) == 0 && !test_dir_has_tmp(dir),
                  "'%s' left files behind in %s", args, dir);
    test_rmdir(dir);
    free(dir);
}

START_TEST(test_bad_input)
{
    check_refusal("--no-mnist --out %s --bogus", "--bogus");
    check_refusal("--no-mnist --out %s --lr abc", "--lr");
    check_refusal("--no-mnist --out %s --lr -1", "--lr");
    check_refusal("--no-mnist --out %s --lr 0", "--lr");
    check_refusal("--no-mnist --out %s --epochs 0", "--epochs");
    check_refusal("--no-mnist --out %s --epochs -5", "--epochs");
    check_refusal("--no-mnist --out %s --epochs 2x", "--epochs");
    check_refusal("--no-mnist --out %s --seed -3", "--seed");
    check_refusal("--no-mnist --out %s --epochs", "--epochs");
    check_refusal("--no-mnist --out %s stray", "stray");
    /* Missing MNIST files: one line that says how to get them. */
    check_refusal("--out %s --data /nonexistent/mnist", "make data");
}
END_TEST

START_TEST(test_unwritable_out)
{
    check_one_line_refusal("--no-mnist --out /proc/nn-test-x", "/proc/nn-test-x");
    /* A folder under a regular file. */
    char *dir = test_tmpdir();
    char path[1024], args[2048];
    snprintf(path, sizeof path, "%s/plain-file", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("x\n", f);
    fclose(f);
    snprintf(args, sizeof args, "--no-mnist --out %s/sub", path);
    int rc = run_ch1(args);
    ck_assert_int_gt(rc, 0);
    ck_assert_ptr_nonnull(strstr(g_out, "plain-file"));
    ck_assert_ptr_eq(strchr(g_out, '\n'), g_out + strlen(g_out) - 1);
    ck_assert_int_eq(test_count_files(dir), 1); /* only the file we made */
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* --- the shared flags (the Makefile's LR, SEEDS, OPT, ...) -------------- */

/* The flags a perceptron has no use for: exit 2, one line that names the
 * flag and says why, nothing written. --threads is accepted, with one line. */
START_TEST(test_shared_flags_refused)
{
    const char *why[][2] = {
        {"--opt adam", "optimizador"},
        {"--opt sgd,adam", "optimizador"},
        {"--batch 64", "lotes"},
        {"--batch 1", "lotes"},
        {"--dropout 0.2", "dropout"},
    };
    for (size_t i = 0; i < sizeof why / sizeof *why; i++) {
        char *dir = test_tmpdir();
        char args[2048];
        snprintf(args, sizeof args, "--no-mnist --out %s %s", dir, why[i][0]);
        int rc = run_ch1(args);
        ck_assert_msg(rc == 2, "'%s' exited with %d, want 2", args, rc);
        size_t len = strlen(g_out);
        ck_assert_msg(len > 0 && strchr(g_out, '\n') == g_out + len - 1,
                      "'%s' should print exactly one line, printed: %s", args, g_out);
        char flag[32];
        sscanf(why[i][0], "%31s", flag);
        ck_assert_msg(strstr(g_out, flag) && strstr(g_out, why[i][1]),
                      "'%s': the line should name %s and say '%s': %s", args, flag, why[i][1], g_out);
        ck_assert_int_eq(test_count_files(dir), 0);
        test_rmdir(dir);
        free(dir);
    }
    check_refusal("--no-mnist --out %s --threads 0", "--threads");
    check_refusal("--no-mnist --out %s --seeds 5-1", "--seeds");
    check_refusal("--no-mnist --out %s --seeds x", "--seeds");

    /* --threads N runs, and says once that chapter 1 uses one thread. */
    char *dir = test_tmpdir();
    char args[2048];
    snprintf(args, sizeof args, "--no-mnist --threads 2 --out %s", dir);
    ck_assert_msg(run_ch1(args) == 0, "%s", g_out);
    const char *line = strstr(g_out, "--threads 2");
    ck_assert_msg(line && strstr(line, "un solo hilo") < strchr(line, '\n'),
                  "no line about the one thread: %s", g_out);
    ck_assert_ptr_null(strstr(line + 1, "--threads 2"));
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* Column `col` (0-based) of every data row of a CSV, into v; returns the rows. */
static int read_column(const char *path, int col, double *v, int cap)
{
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char line[1024];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    int n = 0;
    while (n < cap && fgets(line, sizeof line, f)) {
        char *p = line;
        for (int c = 0; c < col; c++) {
            p = strchr(p, ',');
            ck_assert_msg(p != NULL, "%s: row %d has no column %d", path, n + 1, col);
            p++;
        }
        v[n++] = (*p == ',' || *p == '\n') ? NAN : strtod(p, NULL);
    }
    fclose(f);
    return n;
}

/* The first line of a file (its CSV header), without the newline. */
static void read_header(const char *path, char *out, size_t cap)
{
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert_ptr_nonnull(fgets(out, (int)cap, f));
    fclose(f);
    out[strcspn(out, "\n")] = 0;
}

/* `make chapter1 LR=0.01,0.1,1`: one run writes every rate's curves, and
 * each is the curve a run with that rate alone gives (the same start). */
START_TEST(test_rate_comparison)
{
    static const double rates[3] = {0.01, 0.1, 1};
    char *cmp = test_tmpdir();
    char args[2048], path[1024];
    snprintf(args, sizeof args, "--no-mnist --lr 0.01,0.1,1 --out %s", cmp);
    ck_assert_msg(run_ch1(args) == 0, "%s", g_out);
    /* It says how to draw the comparison. */
    ck_assert_ptr_nonnull(strstr(g_out, "make draw-chapter1"));
    ck_assert_ptr_nonnull(strstr(g_out, "plots/ch1_errores_tasas.gp"));

    snprintf(path, sizeof path, "%s/errores_tasas.csv", cmp);
    char header[512];
    read_header(path, header, sizeof header);
    ck_assert_str_eq(header, "epoch,and_eta=0.01,and_eta=0.1,and_eta=1,or_eta=0.01,or_eta=0.1,"
                             "or_eta=1,xor_eta=0.01,xor_eta=0.1,xor_eta=1");
    int differ = 0;
    for (int k = 0; k < 3; k++) {
        char *one = test_tmpdir();
        snprintf(args, sizeof args, "--no-mnist --lr %g --out %s", rates[k], one);
        ck_assert_msg(run_ch1(args) == 0, "%s", g_out);
        char single[1024];
        snprintf(single, sizeof single, "%s/errores.csv", one);
        for (int g = 0; g < 3; g++) {
            double want[100], got[100];
            ck_assert_int_eq(read_column(single, 1 + g, want, 100), 100);
            ck_assert_int_eq(read_column(path, 1 + 3 * g + k, got, 100), 100);
            for (int e = 0; e < 100; e++)
                ck_assert_msg(got[e] == want[e], "η = %g, gate %d, epoch %d: %g, alone %g",
                              rates[k], g, e + 1, got[e], want[e]);
            if (k > 0) {   /* the rates really differ somewhere */
                double first[100];
                read_column(path, 1 + 3 * g, first, 100);
                differ += memcmp(first, got, sizeof got) != 0;
            }
        }
        /* A single rate writes no comparison, and removes an earlier one. */
        snprintf(single, sizeof single, "%s/errores_tasas.csv", one);
        ck_assert_int_ne(access(single, F_OK), 0);
        test_rmdir(one);
        free(one);
    }
    ck_assert_int_gt(differ, 0);
    /* The chapter's own run (errores.csv) is the notes' η = 0.1 one. */
    snprintf(args, sizeof args, "--no-mnist --out %s", cmp);
    ck_assert_msg(run_ch1(args) == 0, "%s", g_out);
    ck_assert_int_ne(access(path, F_OK), 0);
    test_rmdir(cmp);
    free(cmp);
}
END_TEST

/* The value after "key": in json, from `from` on (NaN if absent). */
static double json_number_after(const char *from, const char *key)
{
    char pat[96];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *at = strstr(from, pat);
    return at ? strtod(at + strlen(pat), NULL) : NAN;
}

/* `make chapter1 SEEDS=1-5`: one row per seed, each what `--seed s` gives,
 * and the mean in summary.json is the mean of the rows. */
START_TEST(test_seed_study)
{
    char *dir = test_tmpdir();
    char args[2048], path[1024];
    snprintf(args, sizeof args, "--no-mnist --seeds 1-5,42 --out %s", dir);
    ck_assert_msg(run_ch1(args) == 0, "%s", g_out);
    ck_assert_ptr_nonnull(strstr(g_out, "media ± desviación típica"));
    snprintf(path, sizeof path, "%s/semillas.csv", dir);
    char header[512];
    read_header(path, header, sizeof header);
    ck_assert_str_eq(header, "semilla,eta,and_aprendida,and_ultima_epoca_error,or_aprendida,"
                             "or_ultima_epoca_error,xor_aprendida,xor_ciclo_ejemplos,"
                             "exactitud_prueba,diverge");
    double seed[16], and_last[16], xor_learned[16];
    ck_assert_int_eq(read_column(path, 0, seed, 16), 6);
    ck_assert_int_eq(read_column(path, 3, and_last, 16), 6);
    ck_assert_int_eq(read_column(path, 6, xor_learned, 16), 6);
    const double want_seeds[6] = {1, 2, 3, 4, 5, 42};
    double sum = 0;
    for (int i = 0; i < 6; i++) {
        ck_assert_double_eq(seed[i], want_seeds[i]);
        ck_assert_double_eq(xor_learned[i], 0);
        sum += and_last[i];
    }
    /* Seed 42's row is the chapter's own run: AND's last error in epoch 25. */
    ck_assert_double_eq(and_last[5], 25);
    char *json = test_read_file(out_path(dir, "summary.json"));
    ck_assert_ptr_nonnull(json);
    const char *study = strstr(json, "\"seed_study\"");
    ck_assert_ptr_nonnull(study);
    const char *and_obj = strstr(study, "\"AND\"");
    ck_assert_ptr_nonnull(and_obj);
    ck_assert_double_eq_tol(json_number_after(and_obj, "mean"), sum / 6, 1e-9);
    ck_assert_double_eq(json_number_after(and_obj, "n"), 6);
    free(json);

    /* Each row is what `--seed s` alone computes. */
    for (int i = 0; i < 5; i += 2) {
        char *one = test_tmpdir();
        snprintf(args, sizeof args, "--no-mnist --seed %d --out %s", (int)want_seeds[i], one);
        ck_assert_msg(run_ch1(args) == 0, "%s", g_out);
        char *j1 = test_read_file(out_path(one, "summary.json"));
        ck_assert_ptr_nonnull(j1);
        const char *and1 = strstr(j1, "\"AND\": {");
        ck_assert_ptr_nonnull(and1);
        ck_assert_double_eq(json_number_after(and1, "last_error_epoch"), and_last[i]);
        free(j1);
        test_rmdir(one);
        free(one);
    }
    /* Without --seeds, no semillas.csv stays behind. */
    snprintf(args, sizeof args, "--no-mnist --out %s", dir);
    ck_assert_msg(run_ch1(args) == 0, "%s", g_out);
    ck_assert_int_ne(access(path, F_OK), 0);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* The same on MNIST (a few images): the exercise's accuracy per seed is
 * the `--seed s` run's, the mean is the rows' mean, and with two rates the
 * per-rate accuracy curves are those of each rate alone. */
START_TEST(test_seed_study_and_rates_mnist)
{
    if (!test_have_mnist("test_seed_study_and_rates_mnist"))
        return;
    const char *data = getenv("MNIST_DATA");
    if (!data || !*data)
        data = "datasets/mnist";
    const char *small = "--train-limit 2000 --test-limit 500 --mnist-epochs 2";
    char *dir = test_tmpdir();
    char args[2048], path[1024];
    snprintf(args, sizeof args, "--data %s %s --lr 0.1,1 --seeds 41-43 --out %s", data, small, dir);
    ck_assert_msg(run_ch1(args) == 0, "%s", g_out);
    ck_assert_ptr_nonnull(strstr(g_out, "plots/ch1_mnist_tasas.gp"));

    /* semillas.csv: rate by rate, seed by seed. */
    snprintf(path, sizeof path, "%s/semillas.csv", dir);
    double seed[8], eta[8], acc[8];
    ck_assert_int_eq(read_column(path, 0, seed, 8), 6);
    ck_assert_int_eq(read_column(path, 1, eta, 8), 6);
    ck_assert_int_eq(read_column(path, 8, acc, 8), 6);
    char *json = test_read_file(out_path(dir, "summary.json"));
    ck_assert_ptr_nonnull(json);
    const char *by_lr = strstr(json, "\"by_lr\"");
    ck_assert_ptr_nonnull(by_lr);
    for (int k = 0; k < 2; k++) {
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            ck_assert_double_eq(seed[3 * k + i], 41 + i);
            ck_assert_double_eq(eta[3 * k + i], k ? 1 : 0.1);
            ck_assert(acc[3 * k + i] > 0.5 && acc[3 * k + i] < 1);
            sum += acc[3 * k + i];
        }
        const char *mn = strstr(by_lr, "\"mnist_test_accuracy\"");
        ck_assert_ptr_nonnull(mn);
        ck_assert_double_eq_tol(json_number_after(mn, "mean"), sum / 3, 1e-9);
        by_lr = mn + 1;
    }

    /* Seed 42 with η = 0.1 alone: the same accuracy as its row. */
    char *one = test_tmpdir();
    snprintf(args, sizeof args, "--data %s %s --seed 42 --out %s", data, small, one);
    ck_assert_msg(run_ch1(args) == 0, "%s", g_out);
    char *j1 = test_read_file(out_path(one, "summary.json"));
    ck_assert_ptr_nonnull(j1);
    const char *mn1 = strstr(j1, "\"mnist\": {");
    ck_assert_ptr_nonnull(mn1);
    ck_assert_double_eq(json_number_after(mn1, "test_accuracy"), acc[1]);
    free(j1);

    /* mnist_tasas.csv: η = 1's curve is the one `--lr 1` alone draws. */
    snprintf(args, sizeof args, "--data %s %s --lr 1 --out %s", data, small, one);
    ck_assert_msg(run_ch1(args) == 0, "%s", g_out);
    snprintf(path, sizeof path, "%s/mnist_tasas.csv", dir);
    char header[256];
    read_header(path, header, sizeof header);
    ck_assert_str_eq(header, "epoch,eta=0.1,eta=1");
    double got[4], want[4];
    ck_assert_int_eq(read_column(path, 2, got, 4), 2);
    ck_assert_int_eq(read_column(out_path(one, "mnist_epocas.csv"), 3, want, 4), 2);
    ck_assert_double_eq(got[0], want[0]);
    ck_assert_double_eq(got[1], want[1]);
    ck_assert_int_ne(access(out_path(one, "mnist_tasas.csv"), F_OK), 0);
    test_rmdir(one);
    free(one);
    free(json);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* The last line of what the program said (g_out), without its newline. */
static const char *last_line(char *buf, size_t cap)
{
    size_t len = strlen(g_out);
    ck_assert_msg(len > 0 && g_out[len - 1] == '\n', "no whole last line in: %s", g_out);
    const char *start = g_out + len - 1;
    while (start > g_out && start[-1] != '\n')
        start--;
    snprintf(buf, cap, "%.*s", (int)(g_out + len - 1 - start), start);
    return buf;
}

/* How many lines of g_out contain `text`. */
static int lines_with(const char *text)
{
    int n = 0;
    for (const char *p = g_out; (p = strstr(p, text)); p++)
        n++;
    return n;
}

/* `make chapter1 LR=0.1,1e308`: η = 1e308 overflows the gates' weights
 * (perceptron.c, "Divergence"). A comparison where a rate diverges is not an
 * error: exit 0, one line per diverged run (the gate, η, the epoch, the
 * example), summary.json records it, the other rate's curves are whole,
 * the diverged curves stop where errores_tasas_fin.csv says they ended,
 * and the figure draws without a warning. The chapter's own run diverging
 * (η = 1e308 alone, or first in a list without 0.1) is: exit 1 with that
 * one line. */
START_TEST(test_gates_divergence)
{
    char *dir = test_tmpdir();
    char args[2048], path[1024], line[1024];
    snprintf(args, sizeof args, "--no-mnist --lr 0.1,1e308 --out %s", dir);
    ck_assert_msg(run_ch1(args) == 0, "%.2000s", g_out);
    const char *and_line = "  AND con η = 1e+308: diverge en la época 3, ejemplo 4 de 4: un peso "
                           "o el sesgo dejó de ser un número finito (la aritmética se desbordó)\n";
    const char *xor_line = "  XOR con η = 1e+308: diverge en la época 3, ejemplo 3 de 4: un peso "
                           "o el sesgo dejó de ser un número finito (la aritmética se desbordó)\n";
    ck_assert_msg(strstr(g_out, and_line) && strstr(g_out, xor_line), "%.2000s", g_out);
    ck_assert_int_eq(lines_with(": diverge en la época"), 2);

    char *json = test_read_file(out_path(dir, "summary.json"));
    ck_assert_ptr_nonnull(json);
    const char *cmp = strstr(json, "\"lr_comparison\"");
    ck_assert_ptr_nonnull(cmp);
    const char *second = strstr(cmp, "\"lr\": 1e+308,\n");
    ck_assert_ptr_nonnull(second);
    ck_assert(strstr(cmp, "\"diverged\": true") > second);   /* η = 0.1's runs did not */
    const char *and_obj = strstr(second, "\"AND\": {"), *or_obj = strstr(second, "\"OR\": {");
    ck_assert_ptr_nonnull(strstr(and_obj, "\"diverged\": true,"));
    ck_assert(strstr(and_obj, "\"diverged\": true,") < or_obj);
    ck_assert_double_eq(json_number_after(and_obj, "diverged_epoch"), 3);
    ck_assert_double_eq(json_number_after(and_obj, "diverged_example"), 4);
    ck_assert(strstr(or_obj, "\"diverged\": false,") < strstr(or_obj, "\"XOR\": {"));
    ck_assert_ptr_nonnull(strstr(second, "\"xor_cycle_period_examples\": 0,\n"
                                         "        \"diverged\": true\n"));
    free(json);

    /* errores_tasas.csv: epoch, and 0.1, and 1e308, or ..., xor ... */
    double rows[100 * 7], ends[8 * 5];
    snprintf(path, sizeof path, "%s/errores_tasas.csv", dir);
    ck_assert_int_eq(test_read_number_csv(path, "epoch,and_eta=0.1,and_eta=1e+308,", 7, rows, 100),
                     100);
    snprintf(path, sizeof path, "%s/errores_tasas_fin.csv", dir);
    int n_ends = test_read_number_csv(path, "gate,rate,eta,epoch,errors_so_far\n", 5, ends, 8);
    ck_assert_int_eq(n_ends, 2);
    for (int g = 0; g < CH1_N_GATES; g++) {
        int done = 0;
        double total = 0;
        for (int e = 0; e < 100; e++) {
            ck_assert_msg(isfinite(rows[7 * e + 1 + 2 * g]), "η = 0.1, gate %d, epoch %d", g,
                          e + 1);
            if (isfinite(rows[7 * e + 2 + 2 * g])) {
                ck_assert_int_eq(done, e);   /* finite cells, then only empty ones */
                done++;
                total += rows[7 * e + 2 + 2 * g];
            }
        }
        const double *end = NULL;
        for (int r = 0; r < n_ends; r++)
            if (ends[5 * r] == g + 1)
                end = ends + 5 * r;
        if (g == CH1_OR) {
            ck_assert_msg(done == 100 && end == NULL, "OR with 1e308 is whole");
            continue;
        }
        ck_assert_ptr_nonnull(end);
        ck_assert_int_eq(done, 2);
        ck_assert(end[1] == 2 && end[2] == 1e308 && end[3] == done && end[4] == total);
    }
    test_check_ends_marked("plots/ch1_errores_tasas.gp", dir, "ch1_errores_tasas",
                           "errores_tasas_fin.csv", "rgb(213,94,0)", 2);   /* AND's and XOR's */

    /* The same folder, no rate diverging: no ends, and the figure as before. */
    snprintf(args, sizeof args, "--no-mnist --lr 0.1,1 --out %s", dir);
    ck_assert_msg(run_ch1(args) == 0, "%.2000s", g_out);
    ck_assert_int_eq(lines_with("diverge"), 0);
    ck_assert_int_ne(access(path, F_OK), 0);
    test_check_figure_draws("plots/ch1_errores_tasas.gp", dir, "ch1_errores_tasas.png");
    test_rmdir(dir);

    /* The chapter's own run diverges: one line, exit 1, no summary. */
    const char *fatal = "ch1: AND con η = 1e+308: diverge en la época 3, ejemplo 4 de 4: un peso o "
                        "el sesgo dejó de ser un número finito (la aritmética se desbordó); es la η "
                        "de la ejecución del capítulo (0.1 si está en --lr, si no la primera): "
                        "pruebe una menor";
    static const char *const lists[2] = {"1e308", "1e308,1"};
    for (int i = 0; i < 2; i++) {
        snprintf(args, sizeof args, "--no-mnist --lr %s --out %s", lists[i], dir);
        ck_assert_int_eq(run_ch1(args), 1);
        ck_assert_str_eq(last_line(line, sizeof line), fatal);
        ck_assert_int_eq(lines_with("diverge"), 1);
        ck_assert_int_ne(access(out_path(dir, "summary.json"), F_OK), 0);
        ck_assert(!test_dir_has_tmp(dir));
    }
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* The same on MNIST (a few images): η = 1e306 overflows a z in the first
 * pass. Beside η = 0.1 it is a result (exit 0): its one line names the
 * image; summary.json, mnist_tasas.csv (an empty column) and
 * mnist_tasas_fin.csv (epoch 0: its untrained start) say where it ended;
 * the seed study counts it per seed; the figure draws without a warning.
 * Alone it is the chapter's run: exit 1, the same line. */
START_TEST(test_mnist_divergence)
{
    if (!test_have_mnist("test_mnist_divergence"))
        return;
    const char *data = getenv("MNIST_DATA");
    if (!data || !*data)
        data = "datasets/mnist";
    const char *small = "--train-limit 2000 --test-limit 500 --mnist-epochs 2";
    char *dir = test_tmpdir();
    char args[2048], path[1024], line[1024];
    snprintf(args, sizeof args, "--data %s %s --lr 0.1,1e306 --seeds 41-42 --out %s", data, small,
             dir);
    ck_assert_msg(run_ch1(args) == 0, "%.2000s", g_out);
    const char *said = strstr(g_out, "\n  MNIST con η = 1e+306: diverge en la época 1, imagen ");
    ck_assert_msg(said != NULL, "%.2000s", g_out);
    int image = atoi(said + strlen("\n  MNIST con η = 1e+306: diverge en la época 1, imagen "));
    char want[512];
    snprintf(want, sizeof want, "imagen %d de 2000: una z o un peso dejó de ser un número finito "
             "(la aritmética se desbordó)\n", image);
    ck_assert_msg(image >= 1 && strncmp(strstr(said, "imagen "), want, strlen(want)) == 0, "%s",
                  said);
    ck_assert_int_eq(lines_with("MNIST con η = 1e+306: diverge en la época 1, imagen"), 3);
    ck_assert_int_eq(lines_with("    semilla 41, MNIST con η = 1e+306: diverge en la época 1"), 1);
    ck_assert_int_eq(lines_with("    semilla 42, MNIST con η = 1e+306: diverge en la época 1"), 1);

    char *json = test_read_file(out_path(dir, "summary.json"));
    ck_assert_ptr_nonnull(json);
    const char *second = strstr(strstr(json, "\"lr_comparison\""), "\"lr\": 1e+306,\n");
    ck_assert_ptr_nonnull(second);
    ck_assert_ptr_nonnull(strstr(second, "\"mnist_test_accuracy_per_epoch\": [\n          null,\n"
                                         "          null\n        ],\n"
                                         "        \"mnist_diverged\": true,\n"));
    ck_assert_double_eq(json_number_after(second, "mnist_diverged_epoch"), 1);
    ck_assert_double_eq(json_number_after(second, "mnist_diverged_image"), image);
    const char *by_lr = strstr(json, "\"by_lr\"");
    ck_assert_ptr_nonnull(by_lr);
    ck_assert_double_eq(json_number_after(by_lr, "seeds_with_a_diverged_run"), 0);
    const char *by_lr2 = strstr(by_lr, "\"lr\": 1e+306");
    ck_assert_ptr_nonnull(by_lr2);
    ck_assert_double_eq(json_number_after(by_lr2, "seeds_with_a_diverged_run"), 2);
    ck_assert_double_eq(json_number_after(strstr(by_lr2, "\"mnist_test_accuracy\""), "n"), 0);
    free(json);

    double rows[4 * 3], end[4 * 4], seeds[8 * 10];
    snprintf(path, sizeof path, "%s/mnist_tasas.csv", dir);
    ck_assert_int_eq(test_read_number_csv(path, "epoch,eta=0.1,eta=1e+306\n", 3, rows, 4), 2);
    for (int e = 0; e < 2; e++)
        ck_assert(isfinite(rows[3 * e + 1]) && isnan(rows[3 * e + 2]));
    snprintf(path, sizeof path, "%s/mnist_tasas_fin.csv", dir);
    ck_assert_int_eq(test_read_number_csv(path, "rate,eta,epoch,test_accuracy\n", 4, end, 4), 1);
    ck_assert(end[0] == 2 && end[1] == 1e306 && end[2] == 0);
    ck_assert_msg(end[3] > 0 && end[3] < 0.3, "the untrained start's accuracy: %g", end[3]);
    snprintf(path, sizeof path, "%s/semillas.csv", dir);
    ck_assert_int_eq(test_read_number_csv(path, "semilla,eta,", 10, seeds, 8), 4);
    for (int r = 0; r < 4; r++) {
        int diverged = r >= 2;   /* rate by rate: 0.1's two seeds, then 1e306's */
        ck_assert_int_eq((int)seeds[10 * r + 9], diverged);
        ck_assert(diverged ? isnan(seeds[10 * r + 8]) : seeds[10 * r + 8] > 0.5);
    }
    test_check_ends_marked("plots/ch1_mnist_tasas.gp", dir, "ch1_mnist_tasas",
                           "mnist_tasas_fin.csv", "rgb(213,94,0)", 1);
    test_check_figure_draws("plots/ch1_errores_tasas.gp", dir, "ch1_errores_tasas.png");
    test_rmdir(dir);

    snprintf(args, sizeof args, "--data %s %s --lr 1e306 --out %s", data, small, dir);
    ck_assert_int_eq(run_ch1(args), 1);
    snprintf(want, sizeof want, "ch1: MNIST con η = 1e+306: diverge en la época 1, imagen %d de "
             "2000: una z o un peso dejó de ser un número finito (la aritmética se desbordó); es "
             "la η de la ejecución del capítulo (0.1 si está en --lr, si no la primera): pruebe "
             "una menor", image);
    ck_assert_str_eq(last_line(line, sizeof line), want);
    ck_assert_int_ne(access(out_path(dir, "summary.json"), F_OK), 0);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* --- the slides' exercise on MNIST -------------------------------------- */

/* After one pass over the first 10 000 training images, the ten perceptrons
 * get at least 80 % of the first 1 000 test images right (the notebook's
 * claim; a full run of 5 epochs on 60 000 is at 86–89 %). */
START_TEST(test_mnist_one_vs_rest)
{
    if (!test_have_mnist("test_mnist_one_vs_rest"))
        return;
    const char *data = getenv("MNIST_DATA");
    if (!data || !*data)
        data = "datasets/mnist";
    char *dir = test_tmpdir();
    char args[2048], path[1024];
    snprintf(args, sizeof args,
             "--data %s --train-limit 10000 --test-limit 1000 --mnist-epochs 1 --out %s", data, dir);
    ck_assert_msg(run_ch1(args) == 0, "ch1 failed: %s", g_out);

    snprintf(path, sizeof path, "%s/summary.json", dir);
    char *json = test_read_file(path);
    ck_assert_ptr_nonnull(json);
    const char *acc = strstr(json, "\"test_accuracy\": ");
    ck_assert_ptr_nonnull(acc);
    double accuracy = strtod(acc + 17, NULL);
    printf("ch1 MNIST one-vs-rest, 10000 train / 1000 test, 1 epoch: %.2f %%\n", 100 * accuracy);
    ck_assert_msg(accuracy >= 0.80, "test accuracy %.4f below 0.80", accuracy);
    ck_assert_msg(accuracy <= 0.99, "test accuracy %.4f: too good for a linear model?", accuracy);

    /* Every image in the misclassified grid really is misclassified. */
    snprintf(path, sizeof path, "%s/mnist_mal_clasificadas_etiquetas.csv", dir);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char line[256];
    int rows = 0;
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f)); /* header */
    while (fgets(line, sizeof line, f)) {
        double x, y, index, label, pred;
        ck_assert_int_eq(sscanf(line, "%lf,%lf,%lf,%lf,%lf", &x, &y, &index, &label, &pred), 5);
        ck_assert(label != pred);
        ck_assert(label >= 0 && label <= 9 && pred >= 0 && pred <= 9);
        rows++;
    }
    fclose(f);
    ck_assert_int_gt(rows, 0);

    /* The confusion matrix (true,predicted,count,fraction): every one of
     * the 1000 test images once, the diagonal is the accuracy above, the
     * rest the misclassified images, and each true digit's fractions sum to 1. */
    snprintf(path, sizeof path, "%s/mnist_confusion.csv", dir);
    double cells[100 * 4];
    ck_assert_int_eq(read_rows(path, 4, cells, 100), 100);
    double total = 0, diagonal = 0, row_fraction[10] = {0};
    for (int i = 0; i < 100; i++) {
        const double *c = cells + 4 * i;
        ck_assert_double_eq(c[0], i / 10);
        ck_assert_double_eq(c[1], i % 10);
        total += c[2];
        diagonal += c[0] == c[1] ? c[2] : 0;
        row_fraction[i / 10] += c[3];
    }
    ck_assert_double_eq(total, 1000);
    ck_assert_double_eq_tol(diagonal / 1000, accuracy, 1e-9);
    const char *wrong = strstr(json, "\"misclassified\": ");
    ck_assert_ptr_nonnull(wrong);
    ck_assert_double_eq(strtod(wrong + 17, NULL), total - diagonal);
    for (int k = 0; k < 10; k++)
        ck_assert_double_eq_tol(row_fraction[k], 1, 1e-6);
    free(json);

    /* The grids: 20 samples and the 24 first misclassified, 784 pixels each. */
    const char *grids[] = {"mnist_muestras.csv", "mnist_mal_clasificadas.csv", "mnist_pesos.csv"};
    const int tiles[] = {20, 24, 10};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, grids[i]);
        Grid g = read_grid(path);
        int inside = 0;
        for (int k = 0; k < g.width * g.height; k++)
            inside += g.inside[k];
        ck_assert_msg(inside == tiles[i] * 784, "%s: %d pixels in tiles", grids[i], inside);
        grid_done(&g);
    }

    /* The same flags again: the same bytes in every MNIST CSV. */
    const char *mnist_files[] = {"mnist_muestras.csv", "mnist_muestras_etiquetas.csv",
                                 "mnist_epocas.csv", "mnist_confusion.csv", "mnist_pesos.csv",
                                 "mnist_pesos_etiquetas.csv", "mnist_mal_clasificadas.csv",
                                 "mnist_mal_clasificadas_etiquetas.csv"};
    const size_t n_files = sizeof mnist_files / sizeof *mnist_files;
    char *again = test_tmpdir();
    snprintf(args, sizeof args,
             "--data %s --train-limit 10000 --test-limit 1000 --mnist-epochs 1 --out %s", data, again);
    ck_assert_msg(run_ch1(args) == 0, "ch1 failed: %s", g_out);
    for (size_t i = 0; i < n_files; i++) {
        char other[1024];
        snprintf(path, sizeof path, "%s/%s", dir, mnist_files[i]);
        snprintf(other, sizeof other, "%s/%s", again, mnist_files[i]);
        ck_assert_msg(test_files_identical(path, other), "%s differs between two runs",
                      mnist_files[i]);
    }
    test_rmdir(again);
    free(again);

    /* A run without the exercise into the same folder leaves no MNIST file
     * behind as if it had written it. */
    snprintf(args, sizeof args, "--no-mnist --out %s", dir);
    ck_assert_int_eq(run_ch1(args), 0);
    for (size_t i = 0; i < n_files; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, mnist_files[i]);
        ck_assert_msg(access(path, F_OK) != 0, "%s is still there", mnist_files[i]);
    }
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* --- learning in motion: puertas_animacion.csv and its GIF ---------------- */

#define ANIM_COLS (6 + 2 * 9)

/* The frames are the runs' own: frame 0 the start w0 (bias 0) for both
 * gates; every row's (w1, w2, b) is row `step` of that gate's path from
 * ch1_train_gate; a frame per example in the first and last epochs, one at
 * the end of each epoch in between; at each epoch's end the errors so far
 * are that epoch's errors (errores.csv's); the last frame is the state
 * after epoch 40, which for XOR (a one-epoch cycle with seed 42) is the
 * final line fronteras.csv reports. Then the GIF. */
START_TEST(test_animation_frames)
{
    char *dir = test_tmpdir();
    char args[1024], path[1200];
    snprintf(args, sizeof args, "--no-mnist --out %s", dir);
    ck_assert_msg(run_ch1(args) == 0, "%s", g_out);

    enum { MAX_ROWS = 1000 };
    double *rows = xmalloc(sizeof(double) * MAX_ROWS * ANIM_COLS);
    snprintf(path, sizeof path, "%s/puertas_animacion.csv", dir);
    int n = test_read_number_csv(path, "frame,step,epoch,example,x1,x2,and_error,", ANIM_COLS, rows,
                            MAX_ROWS);
    int detail = CH1_ANIM_EPOCHS_DETAIL;
    int want = 1 + 4 * detail + (CH1_ANIM_EPOCHS - 2 * detail - 4) + 4 * (detail + 4);
    ck_assert_int_eq(n, want);
    ck_assert_int_eq(n, 101);

    double w0[2];
    Rng rng;
    ch1_initial_weights(&rng, DEFAULT_SEED, w0);
    Ch1GateRun run[2];
    const int gate[2] = {CH1_AND, CH1_XOR};
    for (int k = 0; k < 2; k++)
        ch1_train_gate(w0, 0.1, 100, ch1_gates[gate[k]].y, &run[k]);

    int last_step = -1;
    for (int r = 0; r < n; r++) {
        const double *row = rows + (size_t)r * ANIM_COLS;
        int step = (int)row[1], epoch = (int)row[2];
        ck_assert_int_eq((int)row[0], r);
        ck_assert_int_gt(step, last_step);
        ck_assert_int_eq(epoch, step ? (step - 1) / 4 + 1 : 0);
        int in_detail = epoch <= detail || epoch > CH1_ANIM_EPOCHS - (detail + 4);
        ck_assert_msg(step == 0 || in_detail ? step - last_step == 1 || r == 0
                                             : step % 4 == 0,
                      "frame %d: step %d after %d", r, step, last_step);
        last_step = step;
        for (int k = 0; k < 2; k++) {
            const double *cell = row + 6 + 9 * k, *wb = run[k].path + 3 * step;
            for (int j = 0; j < 3; j++)
                ck_assert_msg(fabs(cell[2 + j] - wb[j]) < 1e-8, "frame %d gate %d: %g vs %g", r,
                              k, cell[2 + j], wb[j]);
            if (step && step % 4 == 0)
                ck_assert_int_eq((int)cell[1], run[k].errors[epoch - 1]);
        }
    }
    const double *first = rows, *last = rows + (size_t)(n - 1) * ANIM_COLS;
    ck_assert(first[1] == 0 && isnan(first[3]));
    ck_assert(fabs(first[8] - w0[0]) < 1e-8 && fabs(first[9] - w0[1]) < 1e-8 && first[10] == 0);
    ck_assert_int_eq((int)last[1], 4 * CH1_ANIM_EPOCHS);
    /* XOR's last frame is its final line (the cycle is one epoch long). */
    ck_assert(fabs(last[6 + 9 + 2] - run[1].w[0]) < 1e-8);
    ck_assert(fabs(last[6 + 9 + 3] - run[1].w[1]) < 1e-8);
    ck_assert(fabs(last[6 + 9 + 4] - run[1].b) < 1e-8);
    /* AND's: learned by epoch 25, so it is its final line too. */
    ck_assert(fabs(last[6 + 2] - run[0].w[0]) < 1e-8 && fabs(last[6 + 4] - run[0].b) < 1e-8);

    test_check_animation("plots/ch1_puertas_animacion.gp", dir, "ch1_puertas_animacion.gif", n);

    for (int k = 0; k < 2; k++)
        ch1_gate_run_free(&run[k]);
    free(rows);
    test_rmdir(dir);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ch1");
    TCase *core = tcase_create("perceptron");
    tcase_add_test(core, test_step_is_z_greater_than_zero);
    tcase_add_test(core, test_single_update_by_hand);
    tcase_add_test(core, test_gates_default_seed);
    tcase_add_test(core, test_gates_many_seeds);
    tcase_add_test(core, test_xor_oscillates);
    tcase_add_test(core, test_errata_step_convention_at_zero);
    tcase_add_test(core, test_errata_bias_must_learn_too);
    tcase_add_test(core, test_train_epoch_is_four_steps);
    tcase_add_test(core, test_gate_divergence_only_by_overflow);
    tcase_add_test(core, test_one_vs_rest_guard);
    tcase_add_test(core, test_clip_line);
    suite_add_tcase(s, core);

    TCase *files = tcase_create("figures_data");
    tcase_add_test(files, test_digit_grid_csvs);
    tcase_add_test(files, test_weight_grid_csvs);
    suite_add_tcase(s, files);

    TCase *prog = tcase_create("program");
    /* The program runs ~40 times, some on MNIST: minutes under the sanitizers. */
    tcase_set_timeout(prog, 600);
    tcase_add_test(prog, test_same_seed_same_bytes);
    tcase_add_test(prog, test_summary_gates);
    tcase_add_test(prog, test_bad_input);
    tcase_add_test(prog, test_unwritable_out);
    tcase_add_test(prog, test_shared_flags_refused);
    tcase_add_test(prog, test_rate_comparison);
    tcase_add_test(prog, test_seed_study);
    tcase_add_test(prog, test_mnist_one_vs_rest);
    tcase_add_test(prog, test_seed_study_and_rates_mnist);
    tcase_add_test(prog, test_animation_frames);
    tcase_add_test(prog, test_gates_divergence);
    tcase_add_test(prog, test_mnist_divergence);
    suite_add_tcase(s, prog);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
