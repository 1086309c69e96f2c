/* test_ch2.c — the claims of chapter 2's XOR network (notes §2):
 *   - the backward pass is the negative gradient of E = ½ Σ (y − ŷ)², and
 *     with --average of the MSE, checked against central differences;
 *   - the default seed learns XOR at η = 0.5 (MSE < 0.01, predictions 0 1 1 0)
 *     and tells the notes' story (η = 0.5 collapses between 1000 and 2000);
 *   - what "stuck at 0.25" means: a constant 0.5 answer; zero weights are a
 *     stationary point there; a typical stuck N(0,1) run sits at 0.125;
 *   - averaging instead of summing halves the step (errata);
 *   - a non-finite run is detected and stopped, no finite rate makes one, and
 *     a comparison with a diverged rate writes and draws where it ended;
 *   - the program: same seed ⇒ byte-identical CSVs, bad input ⇒ one line,
 *     non-zero exit and no files, summary.json holds the runs.
 *
 * Linked with chapter 2's objects, all but main.c (the program). */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../chapters/02-xor-mlp/xor_mlp.h"
#include "json.h"
#include "testutil.h"

#include <float.h>

#define DEFAULT_SEED 2445

static void start_net(Ch2Net *net, int hidden, uint64_t seed, Ch2Init init)
{
    Rng rng;
    rng_seed(&rng, seed);
    ch2_net_new(net, hidden);
    ch2_net_init(net, init, &rng);
}

/* --- gradient check ---------------------------------------------------- */

typedef struct {
    Ch2Net *net;
    Mat X, y;
    int mse;   /* 0: E = ½ Σ (y − ŷ)², 1: MSE */
} LossCtx;

static double loss_of(void *p)
{
    LossCtx *c = p;
    return c->mse ? ch2_mse(c->net, c->X, c->y) : ch2_half_sse(c->net, c->X, c->y);
}

/* The analytic gradient the backward pass implies: ∂E/∂θ = −step (the
 * notes' update is θ += η·step), and for the MSE −(2/n)·step. */
static double gradcheck_net(Ch2Net *net, int mse)
{
    Mat X, y;
    ch2_xor_data(&X, &y);
    Ch2Pass p;
    ch2_pass_new(&p, net->hidden);
    ch2_forward(net, X, &p);
    ch2_backward(net, X, y, &p);
    double *analytic = malloc(sizeof(double) * net->n_params);
    double scale = mse ? 2.0 / 4.0 : 1.0;
    for (int i = 0; i < net->n_params; i++)
        analytic[i] = -scale * p.steps[i];
    LossCtx ctx = {net, X, y, mse};
    double worst = test_gradcheck(net->n_params, net->params, analytic, loss_of, &ctx, 1e-6);
    free(analytic);
    ch2_pass_free(&p);
    mat_free(&X);
    mat_free(&y);
    return worst;
}

START_TEST(test_backward_is_gradient_of_half_sse)
{
    for (int hidden = 2; hidden <= 3; hidden++)
        for (uint64_t seed = 1; seed <= 5; seed++) {
            Ch2Net net;
            start_net(&net, hidden, seed, CH2_INIT_NORMAL);
            double worst = gradcheck_net(&net, 0);
            ck_assert_msg(worst < 1e-7, "H=%d seed %d: gradient error %g", hidden, (int)seed,
                          worst);
            ch2_net_free(&net);
        }
}
END_TEST

/* Also on a trained network (large weights, saturated sigmoids). */
START_TEST(test_backward_gradient_after_training)
{
    Mat X, y;
    ch2_xor_data(&X, &y);
    Ch2Net net;
    start_net(&net, 2, DEFAULT_SEED, CH2_INIT_NORMAL);
    ch2_train(&net, X, y, 0.5, 1500, 0, NULL);
    ck_assert(gradcheck_net(&net, 0) < 1e-7);
    ck_assert(gradcheck_net(&net, 1) < 1e-7);
    ch2_net_free(&net);
    mat_free(&X);
    mat_free(&y);
}
END_TEST

/* With --average the step is (2/n)·step = −∂MSE/∂θ. */
START_TEST(test_average_descends_the_mse)
{
    Ch2Net net;
    start_net(&net, 2, 7, CH2_INIT_GLOROT);
    ck_assert(gradcheck_net(&net, 1) < 1e-7);
    ch2_net_free(&net);
}
END_TEST

/* Errata: summing over the 4 examples (the notes) is twice the step of
 * descending the MSE (--average): one averaged epoch at η equals one summed
 * epoch at η/2, number for number. And the step is η·step exactly (002 eq.
 * 2.9 drops the η). */
START_TEST(test_summed_update_is_twice_the_averaged_one)
{
    Mat X, y;
    ch2_xor_data(&X, &y);
    Ch2Net a, b;
    start_net(&a, 2, 3, CH2_INIT_NORMAL);
    ch2_net_copy(&b, &a);
    Ch2Pass p;
    ch2_pass_new(&p, 2);
    ch2_train_epoch(&a, &p, X, y, 0.8, 1);   /* averaged, η = 0.8 */
    ch2_train_epoch(&b, &p, X, y, 0.4, 0);   /* summed,   η = 0.4 */
    for (int i = 0; i < a.n_params; i++)
        ck_assert_double_eq_tol(a.params[i], b.params[i], 1e-15);

    /* θ_new − θ_old = η · step */
    Ch2Net c;
    start_net(&c, 2, 3, CH2_INIT_NORMAL);
    Ch2Net before;
    ch2_net_copy(&before, &c);
    ch2_forward(&c, X, &p);
    ch2_backward(&c, X, y, &p);
    ch2_update(&c, &p, 0.5);
    for (int i = 0; i < c.n_params; i++)
        ck_assert_double_eq_tol(c.params[i] - before.params[i], 0.5 * p.steps[i], 1e-15);
    ch2_pass_free(&p);
    ch2_net_free(&a);
    ch2_net_free(&b);
    ch2_net_free(&c);
    ch2_net_free(&before);
    mat_free(&X);
    mat_free(&y);
}
END_TEST

/* --- learning XOR ------------------------------------------------------- */

START_TEST(test_default_seed_learns_xor_at_half)
{
    Mat X, y;
    ch2_xor_data(&X, &y);
    Ch2Net net;
    start_net(&net, 2, DEFAULT_SEED, CH2_INIT_NORMAL);
    Ch2Result r = ch2_train(&net, X, y, 0.5, 5000, 0, NULL);
    ck_assert_msg(r.final_mse < 0.01, "final MSE %g", r.final_mse);
    ck_assert_int_eq(r.diverged_epoch, 0);
    /* the notes' story: the error collapses "alrededor de las 1500" */
    ck_assert_msg(r.converged_epoch > 1000 && r.converged_epoch < 2000, "converged at %d",
                  r.converged_epoch);
    Ch2Pass p;
    ch2_pass_new(&p, 2);
    ch2_forward(&net, X, &p);
    const int expected[4] = {0, 1, 1, 0};
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq((int)lround(p.predicted_output.data[i]), expected[i]);
    ch2_pass_free(&p);
    ch2_net_free(&net);
    mat_free(&X);
    mat_free(&y);
}
END_TEST

/* The same start, the other default rates: η = 0.1 crawls (not converged in
 * 5000 epochs), η = 10 jumps (its MSE rises on most epochs) and never
 * converges. This is why 2445 is the default seed. */
START_TEST(test_default_seed_tells_the_story)
{
    Mat X, y;
    ch2_xor_data(&X, &y);
    double *curve = malloc(sizeof(double) * 5000);
    Ch2Net net;
    start_net(&net, 2, DEFAULT_SEED, CH2_INIT_NORMAL);
    Ch2Result slow = ch2_train(&net, X, y, 0.1, 5000, 0, curve);
    ck_assert_int_eq(slow.converged_epoch, 0);
    ck_assert(curve[4999] < curve[0]);      /* it is going down, slowly */
    ch2_net_free(&net);

    start_net(&net, 2, DEFAULT_SEED, CH2_INIT_NORMAL);
    Ch2Result fast = ch2_train(&net, X, y, 10, 5000, 0, curve);
    ck_assert_int_eq(fast.converged_epoch, 0);
    int ups = 0;
    for (int e = 1; e < 5000; e++)
        ups += curve[e] > curve[e - 1];
    ck_assert_msg(ups > 2000, "η = 10 rose on only %d epochs", ups);
    ch2_net_free(&net);

    /* ...but that is this start's story, not a law: from seed 2, η = 10
     * learns XOR in under 100 epochs (58 of seeds 1..100 did when the seed
     * was chosen; see the notebook). */
    start_net(&net, 2, 2, CH2_INIT_NORMAL);
    Ch2Result other = ch2_train(&net, X, y, 10, 5000, 0, NULL);
    ck_assert_msg(other.converged_epoch > 0 && other.converged_epoch < 100, "seed 2: %d",
                  other.converged_epoch);
    ch2_net_free(&net);
    free(curve);
    mat_free(&X);
    mat_free(&y);
}
END_TEST

/* notes §2.3's "0.25". Answering 0.5 to every example gives MSE
 * (1/4)·4·0.25 = 0.25. With all weights at 0 every hidden neuron outputs
 * 0.5, the output is 0.5, and every step is exactly 0 (Σ δ_out = 0 because
 * y has as many 1s as 0s, and W2 = 0 sends nothing back): the network stays
 * at 0.25 for ever — a stationary point (a saddle: any random start leaves
 * it). */
START_TEST(test_zero_start_stays_at_quarter)
{
    Mat X, y;
    ch2_xor_data(&X, &y);
    Ch2Net net;
    ch2_net_new(&net, 2);   /* all zeros */
    double *curve = malloc(sizeof(double) * 3000);
    Ch2Result r = ch2_train(&net, X, y, 0.5, 3000, 0, curve);
    ck_assert_double_eq_tol(curve[0], 0.25, 1e-15);
    ck_assert_double_eq_tol(r.final_mse, 0.25, 1e-15);
    ck_assert_int_eq(r.converged_epoch, 0);
    for (int i = 0; i < net.n_params; i++)
        ck_assert_double_eq(net.params[i], 0.0);
    free(curve);
    ch2_net_free(&net);
    mat_free(&X);
    mat_free(&y);
}
END_TEST

/* A run that does not learn from a random N(0,1) start usually ends at
 * 0.125, not 0.25: two examples right, two answered 0.5. Seed 5 is one (see
 * the seed study's table). */
START_TEST(test_stuck_run_sits_at_an_eighth)
{
    Mat X, y;
    ch2_xor_data(&X, &y);
    Ch2Net net;
    start_net(&net, 2, 5, CH2_INIT_NORMAL);
    Ch2Result r = ch2_train(&net, X, y, 0.5, 5000, 0, NULL);
    ck_assert_int_eq(r.converged_epoch, 0);
    ck_assert_msg(fabs(r.final_mse - 0.125) < 0.005, "final MSE %g", r.final_mse);
    Ch2Pass p;
    ch2_pass_new(&p, 2);
    ch2_forward(&net, X, &p);
    int right = 0, half = 0;
    for (int i = 0; i < 4; i++) {
        double e = fabs(y.data[i] - p.predicted_output.data[i]);
        right += e < 0.1;
        half += fabs(e - 0.5) < 0.1;
    }
    ck_assert_int_eq(right, 2);
    ck_assert_int_eq(half, 2);
    ch2_pass_free(&p);
    ch2_net_free(&net);
    mat_free(&X);
    mat_free(&y);
}
END_TEST

/* A rate of +inf makes the weights inf in the first update: the run is
 * recorded as diverged on epoch 1 and stops. Its curve keeps epoch 1's MSE,
 * which is the start's (computed before that update), and is NaN after it
 * (the program writes those as empty cells). */
START_TEST(test_divergence_is_detected)
{
    Mat X, y;
    ch2_xor_data(&X, &y);
    Ch2Net net;
    start_net(&net, 2, 1, CH2_INIT_NORMAL);
    double start_mse = ch2_mse(&net, X, y);
    double curve[10];
    Ch2Result r = ch2_train(&net, X, y, INFINITY, 10, 0, curve);
    ck_assert_int_eq(r.diverged_epoch, 1);
    ck_assert(isnan(r.final_mse));
    ck_assert_int_eq(r.converged_epoch, 0);
    ck_assert_double_eq(curve[0], start_mse);
    for (int e = 1; e < 10; e++)
        ck_assert(isnan(curve[e]));
    ch2_net_free(&net);
    mat_free(&X);
    mat_free(&y);
}
END_TEST

/* No finite rate makes this network diverge: a huge step saturates every
 * sigmoid, σ' becomes exactly 0 and the steps stop (xor_net.c, ch2_train).
 * Rates up to the largest double, summed or averaged (η·2/4 once overflowed
 * to inf there), 1 to 16 hidden neurons, both starts, 20 seeds. */
START_TEST(test_no_finite_rate_diverges)
{
    static const double rates[] = {10, 1e3, 1e10, 1e100, 1e300, 1e307, 1e308, DBL_MAX};
    static const int hidden[] = {1, 2, 3, 8, 16};
    Mat X, y;
    ch2_xor_data(&X, &y);
    int runs = 0;
    for (size_t k = 0; k < sizeof rates / sizeof *rates; k++)
        for (size_t h = 0; h < sizeof hidden / sizeof *hidden; h++)
            for (int init = 0; init < 2; init++)
                for (int average = 0; average < 2; average++)
                    for (uint64_t seed = 1; seed <= 20; seed++) {
                        Ch2Net net;
                        start_net(&net, hidden[h], seed, (Ch2Init)init);
                        Ch2Result r = ch2_train(&net, X, y, rates[k], 100, average, NULL);
                        ck_assert_msg(r.diverged_epoch == 0 && isfinite(r.final_mse),
                                      "η = %g, H = %d, init %d, average %d, seed %llu: diverged "
                                      "in epoch %d", rates[k], hidden[h], init, average,
                                      (unsigned long long)seed, r.diverged_epoch);
                        ch2_net_free(&net);
                        runs++;
                    }
    ck_assert_int_eq(runs, 8 * 5 * 2 * 2 * 20);
    mat_free(&X);
    mat_free(&y);
}
END_TEST

/* A file of dir, read whole (the test fails when it is missing). */
static char *read_in(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = test_read_file(path);
    ck_assert_msg(text != NULL, "%s missing", path);
    return text;
}

/* A number as a CSV holds it (csv_row's %.9g), read back. */
static double as_written(double v)
{
    char text[64];
    snprintf(text, sizeof text, "%.9g", v);
    return strtod(text, NULL);
}

/* Train `n` rates from the seed's start as main.c's train_rates does. */
static void train_rates_like_main(const double *rates, int n, int epochs, Ch2RateRun *runs)
{
    Mat X, y;
    ch2_xor_data(&X, &y);
    Ch2Net start;
    start_net(&start, 2, DEFAULT_SEED, CH2_INIT_NORMAL);
    for (int k = 0; k < n; k++) {
        Ch2Net net;
        ch2_net_copy(&net, &start);
        runs[k] = (Ch2RateRun){.lr = rates[k], .curve = malloc(sizeof(double) * epochs)};
        runs[k].result = ch2_train(&net, X, y, rates[k], epochs, 0, runs[k].curve);
        ch2_net_free(&net);
    }
    ch2_net_free(&start);
    mat_free(&X);
    mat_free(&y);
}

/* A rate comparison with a rate that diverges (an infinite one: no finite
 * rate does, see above). The other rates go on: their columns of
 * errores_tasas.csv are whole and are their own runs' curves; the diverged
 * column stops after its epoch 1; errores_tasas_fin.csv holds exactly that
 * curve's last point; the one line names η, the epoch and the batch; its
 * record in summary.json says diverged; Fig 2 draws without a warning. A
 * comparison with no divergence writes no errores_tasas_fin.csv and
 * removes an earlier one. */
START_TEST(test_rate_comparison_with_a_diverged_rate)
{
    enum { EPOCHS = 300 };
    static const double rates[3] = {0.5, INFINITY, 10};
    Ch2RateRun runs[3];
    train_rates_like_main(rates, 3, EPOCHS, runs);
    ck_assert_int_eq(runs[0].result.diverged_epoch, 0);
    ck_assert_int_eq(runs[1].result.diverged_epoch, 1);
    ck_assert_int_eq(runs[2].result.diverged_epoch, 0);

    char *dir = test_tmpdir();
    ch2_write_rate_curves(dir, runs, 3, EPOCHS);
    double rows[EPOCHS * 4];
    char path[1200];
    snprintf(path, sizeof path, "%s/errores_tasas.csv", dir);
    ck_assert_int_eq(test_read_number_csv(path, "epoch,eta=0.5,eta=inf,eta=10\n", 4, rows, EPOCHS),
                     EPOCHS);
    for (int e = 0; e < EPOCHS; e++) {
        ck_assert(rows[4 * e] == e + 1);
        ck_assert_msg(rows[4 * e + 1] == as_written(runs[0].curve[e]) &&
                      rows[4 * e + 3] == as_written(runs[2].curve[e]),
                      "epoch %d: the other rates' curves are not whole", e + 1);
        ck_assert_msg(e == 0 ? isfinite(rows[4 * e + 2]) : isnan(rows[4 * e + 2]),
                      "epoch %d of η = inf: %g", e + 1, rows[4 * e + 2]);
    }
    char *end = read_in(dir, "errores_tasas_fin.csv");
    char want[128];
    snprintf(want, sizeof want, "rate,eta,epoch,mse\n2,inf,1,%.9g\n", rows[2]);
    ck_assert_str_eq(end, want);
    free(end);

    char line[256];
    ch2_divergence_line(line, sizeof line, &runs[1]);
    ck_assert_str_eq(line, "η = inf: diverge en la época 1, lote 1 de 1 (los 4 ejemplos a la "
                           "vez): el MSE o un peso dejó de ser un número finito");
    ck_assert_ptr_null(strchr(line, '\n'));

    snprintf(path, sizeof path, "%s/summary.json", dir);
    Json j;
    json_open(&j, path);
    json_begin_array(&j, "runs");
    for (int k = 0; k < 3; k++)
        ch2_json_rate_run(&j, &runs[k]);
    json_end_array(&j);
    json_close(&j);
    char *json = read_in(dir, "summary.json");
    char *r0 = strstr(json, "\"lr\": 0.5,"), *r1 = strstr(json, "\"lr\": null,");
    ck_assert_msg(r0 && r1 && r0 < r1, "the runs: %.2000s", json);   /* inf is null in JSON */
    ck_assert_ptr_nonnull(strstr(r0, "\"diverged\": false,\n      \"diverged_epoch\": null"));
    ck_assert_ptr_nonnull(strstr(r1, "\"final_mse\": null"));
    ck_assert_ptr_nonnull(strstr(r1, "\"diverged\": true,\n      \"diverged_epoch\": 1,\n"
                                     "      \"diverged_batch\": 1"));
    free(json);

    test_check_ends_marked("plots/ch2_fig2_error_tasas_aprendizaje.gp", dir,
                           "ch2_fig2_error_tasas_aprendizaje", "errores_tasas_fin.csv",
                           "rgb(213,94,0)", 2);   /* the same end, in both panels */

    /* No rate diverges: no marks to draw, and the earlier file is gone. */
    Ch2RateRun calm[2] = {runs[0], runs[2]};
    ch2_write_rate_curves(dir, calm, 2, EPOCHS);
    snprintf(path, sizeof path, "%s/errores_tasas_fin.csv", dir);
    ck_assert_ptr_null(test_read_file(path));
    test_check_figure_draws("plots/ch2_fig2_error_tasas_aprendizaje.gp", dir,
                            "ch2_fig2_error_tasas_aprendizaje.png");
    for (int k = 0; k < 3; k++)
        free(runs[k].curve);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* The program with the largest rate there is beside the notes' 0.5, with
 * --average (whose η·2/4 once overflowed to inf there; the summed update is
 * tried above, test_no_finite_rate_diverges): nothing diverges, so every
 * rate is recorded as not diverged, the table says no "diverge", and no end
 * marks are written. */
START_TEST(test_program_largest_rate_does_not_diverge)
{
    char *dir = test_tmpdir();
    char cmd[2048], out[1 << 16];
    snprintf(cmd, sizeof cmd, "%s --out %s --lr 0.5,1.7976931348623157e308 --epochs 300 "
             "--seeds 1 --average", test_bin("ch2"), dir);
    ck_assert_msg(test_run(cmd, out, sizeof out) == 0, "%s:\n%.2000s", cmd, out);
    const char *word = strstr(out, "diverge");
    ck_assert_msg(word == NULL, "%s: %.300s", cmd, word);
    char *json = read_in(dir, "summary.json");
    char *runs = strstr(json, "\"runs\": [");
    ck_assert_ptr_nonnull(runs);
    char *second = strstr(runs, "\"lr\": 1.79769313e+308,");
    ck_assert_msg(second != NULL, "%.2000s", runs);
    ck_assert_ptr_nonnull(strstr(second, "\"diverged\": false,"));
    ck_assert(strstr(runs, "\"diverged\": false,") < second);
    ck_assert_ptr_null(strstr(json, "\"diverged\": true"));
    free(json);
    char path[1200];
    snprintf(path, sizeof path, "%s/errores_tasas_fin.csv", dir);
    ck_assert_ptr_null(test_read_file(path));
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* --- the program -------------------------------------------------------- */

static const char *FAST = "--epochs 2000 --seeds 4";

START_TEST(test_same_seed_same_csvs)
{
    char *a = test_tmpdir(), *b = test_tmpdir();
    char cmd[2048], out[1 << 16];
    snprintf(cmd, sizeof cmd, "%s --out %s/r %s --lr 0.5,10 >/dev/null", test_bin("ch2"), a, FAST);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    snprintf(cmd, sizeof cmd, "%s --out %s/r %s --lr 0.5,10 >/dev/null", test_bin("ch2"), b, FAST);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);

    char dir_a[1024];
    snprintf(dir_a, sizeof dir_a, "%s/r", a);
    DIR *d = opendir(dir_a);
    ck_assert_ptr_nonnull(d);
    int csvs = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 4, ".csv") != 0)
            continue;
        char pa[2048], pb[2048];
        snprintf(pa, sizeof pa, "%s/r/%s", a, e->d_name);
        snprintf(pb, sizeof pb, "%s/r/%s", b, e->d_name);
        ck_assert_msg(test_files_identical(pa, pb), "%s differs between two runs", e->d_name);
        csvs++;
    }
    closedir(d);
    ck_assert_msg(csvs >= 10, "only %d CSVs written", csvs);
    ck_assert(!test_dir_has_tmp(dir_a));
    test_rmdir(a);
    test_rmdir(b);
    free(a);
    free(b);
}
END_TEST

/* Each bad input: non-zero exit, one line on the terminal, nothing written. */
static void expect_rejected(const char *args, const char *what)
{
    char *dir = test_tmpdir();
    char cmd[2048], out[4096];
    snprintf(cmd, sizeof cmd, "%s --out %s/r %s", test_bin("ch2"), dir, args);
    int status = test_run(cmd, out, sizeof out);
    ck_assert_msg(status > 0, "%s: exit %d (a crash is -1)", what, status);
    int lines = 0;
    for (char *p = out; *p; p++)
        lines += *p == '\n';
    ck_assert_msg(lines == 1, "%s: %d lines:\n%s", what, lines, out);
    ck_assert_msg(strstr(out, "--help") != NULL, "%s: no usage hint in '%s'", what, out);
    char sub[1024];
    snprintf(sub, sizeof sub, "%s/r", dir);
    ck_assert_msg(test_count_files(sub) == 0, "%s: files left in %s", what, sub);
    test_rmdir(dir);
    free(dir);
}

START_TEST(test_bad_inputs)
{
    expect_rejected("--bogus", "unknown flag");
    expect_rejected("--lr abc", "non-numeric rate");
    expect_rejected("--lr 0.5,abc", "non-numeric rate in a list");
    expect_rejected("--lr -1", "negative rate");
    expect_rejected("--lr 0", "zero rate");
    expect_rejected("--epochs 0", "zero epochs");
    expect_rejected("--epochs -5", "negative epochs");
    expect_rejected("--epochs many", "non-numeric epochs");
    expect_rejected("--hidden 0", "no hidden neurons");
    expect_rejected("--init zeros", "unknown init");
    expect_rejected("--seed -3", "negative seed");
    expect_rejected("extra", "stray argument");
    expect_rejected("--seeds 5-1", "a seed range that runs backwards");
    expect_rejected("--seeds 1,x", "a non-numeric seed");
    expect_rejected("--threads 0", "zero threads");
}
END_TEST

/* The series' shared flags this chapter cannot honour: one line that names
 * the flag and says why, exit 2, nothing written. --batch 4 and --dropout 0
 * describe what the chapter does and are accepted (test_shared_flags_accepted). */
START_TEST(test_refusals)
{
    const char *cases[][2] = {{"--opt adam", "--opt"}, {"--opt sgd", "--opt"},
                              {"--batch 2", "--batch"}, {"--batch 64", "--batch"},
                              {"--dropout 0.2", "--dropout"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        expect_rejected(cases[i][0], cases[i][0]);
        char *dir = test_tmpdir();
        char cmd[2048], out[4096];
        snprintf(cmd, sizeof cmd, "%s --out %s/r %s", test_bin("ch2"), dir, cases[i][0]);
        ck_assert_int_eq(test_run(cmd, out, sizeof out), 2);
        ck_assert_msg(strncmp(strstr(out, ": ") + 2, cases[i][1], strlen(cases[i][1])) == 0,
                      "%s: the line does not start with the flag: %s", cases[i][0], out);
        test_rmdir(dir);
        free(dir);
    }
}
END_TEST

/* --threads N is accepted with one line saying the chapter uses one thread;
 * --batch 4 and --dropout 0 are what it does anyway. */
START_TEST(test_shared_flags_accepted)
{
    char *dir = test_tmpdir();
    char cmd[2048], out[1 << 16];
    snprintf(cmd, sizeof cmd, "%s --out %s --threads 2 --batch 4 --dropout 0 --epochs 50 "
             "--seeds 1 --lr 0.5 2>&1", test_bin("ch2"), dir);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    int lines = 0;
    for (char *p = out; (p = strstr(p, "solo hilo")); p++)
        lines++;
    ck_assert_msg(lines == 1, "%d lines about the thread in:\n%.300s", lines, out);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* --seeds LIST (make's SEEDS=): the study trains exactly the seeds listed,
 * in that order — "3,7,9-10" is 3, 7, 9, 10 — for both starts; its CSVs,
 * summary.json's list and its printed lines say so. */

START_TEST(test_seed_list)
{
    char *dir = test_tmpdir();
    char cmd[2048], out[1 << 16];
    snprintf(cmd, sizeof cmd, "%s --out %s --epochs 300 --lr 0.5 --seeds 3,7,9-10",
             test_bin("ch2"), dir);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "4 semillas (3,7,9,10)"));

    char *runs = read_in(dir, "semillas.csv");
    const char *header = "semilla,inicio,mse_final,epoca_aprende,final,epocas_cerca_025,exactitud\n";
    ck_assert(strncmp(runs, header, strlen(header)) == 0);
    const unsigned want[4] = {3, 7, 9, 10};
    char *p = runs + strlen(header);
    for (int init = 0; init < 2; init++)
        for (int i = 0; i < 4; i++) {
            char *end;
            unsigned long seed = strtoul(p, &end, 10);
            ck_assert_msg(seed == want[i], "row %d: seed %lu, want %u", 4 * init + i, seed, want[i]);
            ck_assert(strncmp(end, init ? ",glorot," : ",normal,", 8) == 0);
            p = strchr(p, '\n');
            ck_assert_ptr_nonnull(p);
            p++;
        }
    ck_assert_int_eq(*p, '\0');   /* nothing else */

    /* and each row is that seed's own run: seed 9's rows are the rows of a
     * study of seed 9 alone (a study that numbered its runs 1, 2, ... or
     * trained one seed for all would differ) */
    char *alone_dir = test_tmpdir();
    snprintf(cmd, sizeof cmd, "%s --out %s --epochs 300 --lr 0.5 --seeds 9", test_bin("ch2"),
             alone_dir);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    char *alone = read_in(alone_dir, "semillas.csv");
    char *row = alone + strlen(header);
    for (int init = 0; init < 2; init++) {
        char *nl = strchr(row, '\n');
        ck_assert_ptr_nonnull(nl);
        *nl = '\0';
        char needle[256];
        snprintf(needle, sizeof needle, "\n%s\n", row);
        ck_assert_msg(strstr(runs, needle) != NULL, "seed 9's row '%s' not in the list's study", row);
        row = nl + 1;
    }
    free(alone);
    test_rmdir(alone_dir);
    free(alone_dir);
    free(runs);

    char *curves = read_in(dir, "semillas_curvas_glorot.csv");
    ck_assert(strncmp(curves, "epoch,s3,s7,s9,s10\n", 19) == 0);
    free(curves);

    char *json = read_in(dir, "summary.json");
    ck_assert_ptr_nonnull(strstr(json, "\"n_seeds\": 4"));
    char *list = strstr(json, "\"seeds\": [");
    ck_assert_ptr_nonnull(list);
    unsigned got[4];
    ck_assert_int_eq(sscanf(list, "\"seeds\": [%u, %u, %u, %u]", &got[0], &got[1], &got[2], &got[3]), 4);
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(got[i], want[i]);
    ck_assert_ptr_nonnull(strstr(json, "\"sd_accuracy\""));
    free(json);
    test_rmdir(dir);

    /* a range alone, and the default study: seeds 1..100 */
    snprintf(cmd, sizeof cmd, "%s --out %s --epochs 20 --lr 0.5 --seeds 5-7", test_bin("ch2"), dir);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    curves = read_in(dir, "semillas_curvas_normal.csv");
    ck_assert(strncmp(curves, "epoch,s5,s6,s7\n", 15) == 0);
    free(curves);
    test_rmdir(dir);
    snprintf(cmd, sizeof cmd, "%s --out %s --epochs 20 --lr 0.5", test_bin("ch2"), dir);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "100 semillas (1-100)"));
    curves = read_in(dir, "semillas_curvas_normal.csv");
    ck_assert(strncmp(curves, "epoch,s1,s2,s3,", 15) == 0);
    ck_assert_ptr_nonnull(strstr(curves, ",s99,s100\n"));
    free(curves);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* An --out that cannot be written: a folder under a regular file. */
START_TEST(test_unwritable_out)
{
    char *dir = test_tmpdir();
    char file[1024], cmd[2048], out[4096];
    snprintf(file, sizeof file, "%s/a-file", dir);
    FILE *f = fopen(file, "w");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s --out %s/sub %s", test_bin("ch2"), file, FAST);
    int status = test_run(cmd, out, sizeof out);
    ck_assert_int_gt(status, 0);
    int lines = 0;
    for (char *p = out; *p; p++)
        lines += *p == '\n';
    ck_assert_msg(lines == 1, "%d lines:\n%s", lines, out);
    ck_assert_int_eq(test_count_files(dir), 1);   /* only a-file */
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* summary.json: settings, one run per rate with lr, final_mse and
 * converged_epoch (a number or null), the seed study, and "files" last. */
START_TEST(test_summary_json)
{
    char *dir = test_tmpdir();
    char cmd[2048], out[1 << 16], path[1024];
    snprintf(cmd, sizeof cmd, "%s --out %s %s --lr 0.5,10 --epochs 3000 >/dev/null",
             test_bin("ch2"), dir, "--seeds 3");
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    snprintf(path, sizeof path, "%s/summary.json", dir);
    char *json = test_read_file(path);
    ck_assert_ptr_nonnull(json);
    ck_assert_ptr_nonnull(strstr(json, "\"settings\""));
    char *runs = strstr(json, "\"runs\": [");
    ck_assert_ptr_nonnull(runs);
    /* the first run: η = 0.5 converges, the second: η = 10 does not */
    char *r1 = strstr(runs, "\"lr\": 0.5,");
    ck_assert_ptr_nonnull(r1);
    char *m1 = strstr(r1, "\"final_mse\": ");
    ck_assert_ptr_nonnull(m1);
    ck_assert(atof(m1 + strlen("\"final_mse\": ")) < 0.01);
    char *c1 = strstr(r1, "\"converged_epoch\": ");
    ck_assert_ptr_nonnull(c1);
    int epoch = atoi(c1 + strlen("\"converged_epoch\": "));
    ck_assert_msg(epoch > 1000 && epoch < 2000, "converged_epoch %d", epoch);
    char *r2 = strstr(c1, "\"lr\": 10,");
    ck_assert_ptr_nonnull(r2);
    ck_assert_ptr_nonnull(strstr(r2, "\"converged_epoch\": null"));
    ck_assert_ptr_nonnull(strstr(json, "\"seed_study\""));
    ck_assert_ptr_nonnull(strstr(json, "\"stuck_near_025\""));
    char *files = strstr(json, "\"files\": [");
    ck_assert_ptr_nonnull(files);
    ck_assert_ptr_null(strstr(files + strlen("\"files\": ["), "\": ")); /* no key after it */
    ck_assert_ptr_nonnull(strstr(files, "errores_tasas.csv"));
    /* the run's CSV keeps diverged or missing cells empty, never "nan" */
    snprintf(path, sizeof path, "%s/errores_tasas.csv", dir);
    char *csv = test_read_file(path);
    ck_assert_ptr_nonnull(csv);
    ck_assert(strncmp(csv, "epoch,eta=0.5,eta=10\n", 21) == 0);
    ck_assert_ptr_null(strstr(csv, "nan"));
    free(csv);
    free(json);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* --- learning in motion: the frames of §2.3 and of gradient descent --------- */

#define FRAME_COLS 28
#define GRID_SIDE 21

/* aprendizaje_fotogramas.csv and aprendizaje_superficie.csv agree with the
 * run (--epochs 2000: a frame every 20 epochs, 101 frames): each frame's MSE
 * is errores_tasas.csv's at that epoch (the MSE the next epoch starts
 * from); frame 0's hidden outputs are capa_oculta.csv's "before", the last
 * frame's its "after"; the last frame's surface is superficie_decision.csv
 * at the same points (every 5th of its 101 per side). Then both GIFs of
 * chapter 2 that come from this run: the XOR one and gradient descent's. */
START_TEST(test_learning_frames)
{
    char *dir = test_tmpdir();
    char cmd[2048], out[1 << 16], path[1200];
    snprintf(cmd, sizeof cmd, "%s --out %s --epochs 2000 --lr 0.5,10 --seeds 4 >/dev/null",
             test_bin("ch2"), dir);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);

    enum { MAX_FRAMES = 200 };
    double *fr = malloc(sizeof(double) * MAX_FRAMES * FRAME_COLS);
    snprintf(path, sizeof path, "%s/aprendizaje_fotogramas.csv", dir);
    int n = test_read_number_csv(path, "frame,epoch,mse,hidden,h1_00,h2_00,yhat_00,", FRAME_COLS, fr,
                            MAX_FRAMES);
    ck_assert_int_eq(n, 101);

    double *curve = malloc(sizeof(double) * 2001 * 3);
    snprintf(path, sizeof path, "%s/errores_tasas.csv", dir);
    ck_assert_int_eq(test_read_number_csv(path, "epoch,eta=0.5,eta=10", 3, curve, 2001), 2000);
    for (int f = 0; f < n; f++) {
        const double *row = fr + (size_t)f * FRAME_COLS;
        ck_assert_int_eq((int)row[0], f);
        ck_assert_int_eq((int)row[1], 20 * f);
        ck_assert_int_eq((int)row[3], 2);
        int e = (int)row[1];
        if (e < 2000)   /* row e of the curve: the MSE epoch e + 1 starts from */
            ck_assert_msg(fabs(row[2] - curve[(size_t)e * 3 + 1]) < 1e-12,
                          "frame %d: MSE %.12g, curve %.12g", f, row[2], curve[(size_t)e * 3 + 1]);
        for (int c = 4; c < 16; c++)
            ck_assert(row[c] > 0 && row[c] < 1);
    }
    ck_assert(fr[2] > 0.2 && fr[(size_t)(n - 1) * FRAME_COLS + 2] < CH2_CONVERGED_MSE);

    /* capa_oculta.csv: x1,x2,y,ini_h1,ini_h2,fin_h1,fin_h2, the examples in X's order */
    double hid[4 * 7];
    snprintf(path, sizeof path, "%s/capa_oculta.csv", dir);
    ck_assert_int_eq(test_read_number_csv(path, "x1,x2,y,ini_h1", 7, hid, 4), 4);
    const double *first = fr, *last = fr + (size_t)(n - 1) * FRAME_COLS;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 2; j++) {
            ck_assert(fabs(first[4 + 3 * i + j] - hid[7 * i + 3 + j]) < 1e-8);
            ck_assert(fabs(last[4 + 3 * i + j] - hid[7 * i + 5 + j]) < 1e-8);
        }

    int g = GRID_SIDE * GRID_SIDE;
    double *surf = malloc(sizeof(double) * (size_t)(n + 1) * g * 4);
    snprintf(path, sizeof path, "%s/aprendizaje_superficie.csv", dir);
    ck_assert_int_eq(test_read_number_csv(path, "frame,x1,x2,y_hat", 4, surf, (n + 1) * g), n * g);
    double *full = malloc(sizeof(double) * 101 * 101 * 3);
    snprintf(path, sizeof path, "%s/superficie_decision.csv", dir);
    ck_assert_int_eq(test_read_number_csv(path, "x1,x2,y_hat", 3, full, 101 * 101), 101 * 101);
    for (int a = 0; a < GRID_SIDE; a++)
        for (int b = 0; b < GRID_SIDE; b++) {
            const double *s = surf + ((size_t)(n - 1) * g + a * GRID_SIDE + b) * 4;
            const double *w = full + ((size_t)(5 * a) * 101 + 5 * b) * 3;
            ck_assert_int_eq((int)s[0], n - 1);
            ck_assert(fabs(s[1] - w[0]) < 1e-9 && fabs(s[2] - w[1]) < 1e-9);
            ck_assert_msg(fabs(s[3] - w[2]) < 1e-12, "(%g, %g): %.12g vs %.12g", s[1], s[2], s[3],
                          w[2]);
        }

    test_check_animation("plots/ch2_xor_animacion.gp", dir, "ch2_xor_animacion.gif", n);
    test_check_animation("plots/ch2_descenso_animacion.gp", dir, "ch2_descenso_animacion.gif", 61);

    free(full);
    free(surf);
    free(curve);
    free(fr);
    test_rmdir(dir);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ch2");
    TCase *net = tcase_create("network");
    tcase_add_test(net, test_backward_is_gradient_of_half_sse);
    tcase_add_test(net, test_backward_gradient_after_training);
    tcase_add_test(net, test_average_descends_the_mse);
    tcase_add_test(net, test_summed_update_is_twice_the_averaged_one);
    tcase_add_test(net, test_default_seed_learns_xor_at_half);
    tcase_add_test(net, test_default_seed_tells_the_story);
    tcase_add_test(net, test_zero_start_stays_at_quarter);
    tcase_add_test(net, test_stuck_run_sits_at_an_eighth);
    tcase_add_test(net, test_divergence_is_detected);
    tcase_add_test(net, test_no_finite_rate_diverges);
    tcase_add_test(net, test_rate_comparison_with_a_diverged_rate);
    suite_add_tcase(s, net);
    TCase *prog = tcase_create("program");
    tcase_set_timeout(prog, 600);
    tcase_add_test(prog, test_same_seed_same_csvs);
    tcase_add_test(prog, test_bad_inputs);
    tcase_add_test(prog, test_unwritable_out);
    tcase_add_test(prog, test_summary_json);
    tcase_add_test(prog, test_refusals);
    tcase_add_test(prog, test_shared_flags_accepted);
    tcase_add_test(prog, test_seed_list);
    tcase_add_test(prog, test_learning_frames);
    tcase_add_test(prog, test_program_largest_rate_does_not_diverge);
    suite_add_tcase(s, prog);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
