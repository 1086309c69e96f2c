/* test_common.c — the math core and the plumbing every chapter stands on:
 * the random generator, small matrices, the activation table (every row's
 * derivative against central differences), the optimisers, the split of
 * work between threads, softmax, the matrix product's --plain switch, image
 * grids and clipped lines, atomic output files, CSV, JSON, and the flag
 * parsers' refusals. Built with real = double. */
#include "activations.h"
#include "checkpoint.h"
#include "cli.h"
#include "gemm.h"
#include "interrupt.h"
#include "json.h"
#include "mat.h"
#include "mnist.h"
#include "nn.h"
#include "optim.h"
#include "out.h"
#include "parallel.h"
#include "plotdata.h"
#include "progress.h"
#include "rng.h"
#include "safetensors.h"
#include "stats.h"
#include "testutil.h"
#include "util.h"

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* --- rng ----------------------------------------------------------------- */

START_TEST(rng_same_seed_same_sequence)
{
    Rng a, b;
    rng_seed(&a, 42);
    rng_seed(&b, 42);
    for (int i = 0; i < 1000; i++)
        ck_assert_uint_eq(rng_next(&a), rng_next(&b));
    rng_seed(&b, 43);
    ck_assert_uint_ne(rng_next(&a), rng_next(&b));
}
END_TEST

START_TEST(rng_normal_has_mean_0_and_variance_1)
{
    Rng r;
    rng_seed(&r, 7);
    const int n = 200000;
    double sum = 0, sum_sq = 0;
    for (int i = 0; i < n; i++) {
        double x = rng_normal(&r);
        sum += x;
        sum_sq += x * x;
    }
    double mean = sum / n, var = sum_sq / n - mean * mean;
    /* Standard error of the mean is 1/sqrt(n) ≈ 0.0022; allow 5 of them. */
    ck_assert_double_lt(fabs(mean), 0.012);
    ck_assert_double_lt(fabs(var - 1.0), 0.02);
}
END_TEST

START_TEST(rng_uniform_and_below_stay_in_range)
{
    Rng r;
    rng_seed(&r, 1);
    int seen[7] = {0};
    for (int i = 0; i < 7000; i++) {
        double u = rng_uniform(&r);
        ck_assert(u >= 0.0 && u < 1.0);
        uint32_t k = rng_below(&r, 7);
        ck_assert_uint_lt(k, 7);
        seen[k]++;
    }
    for (int k = 0; k < 7; k++)
        ck_assert_int_gt(seen[k], 800); /* ~1000 each */
}
END_TEST

START_TEST(rng_shuffle_is_a_permutation)
{
    Rng r;
    rng_seed(&r, 3);
    int idx[100], count[100] = {0};
    for (int i = 0; i < 100; i++)
        idx[i] = i;
    rng_shuffle(&r, idx, 100);
    int moved = 0;
    for (int i = 0; i < 100; i++) {
        count[idx[i]]++;
        moved += idx[i] != i;
    }
    for (int i = 0; i < 100; i++)
        ck_assert_int_eq(count[i], 1);
    ck_assert_int_gt(moved, 50);
}
END_TEST

/* --- mat ----------------------------------------------------------------- */

START_TEST(mat_products_match_hand_computed)
{
    /* a (2,3), b (3,2): a·b = [[58, 64], [139, 154]] */
    Mat a = mat_from(2, 3, (double[]){1, 2, 3, 4, 5, 6});
    Mat b = mat_from(3, 2, (double[]){7, 8, 9, 10, 11, 12});
    Mat ab = mat_new(2, 2);
    mat_matmul(ab, a, b);
    ck_assert_double_eq(MAT_AT(ab, 0, 0), 58);
    ck_assert_double_eq(MAT_AT(ab, 0, 1), 64);
    ck_assert_double_eq(MAT_AT(ab, 1, 0), 139);
    ck_assert_double_eq(MAT_AT(ab, 1, 1), 154);

    /* aᵀ·a (3,3): entry (0,0) = 1·1 + 4·4 = 17, (2,1) = 3·2 + 6·5 = 36 */
    Mat ata = mat_new(3, 3);
    mat_matmul_tn(ata, a, a);
    ck_assert_double_eq(MAT_AT(ata, 0, 0), 17);
    ck_assert_double_eq(MAT_AT(ata, 2, 1), 36);

    /* a·aᵀ (2,2): (0,1) = 1·4 + 2·5 + 3·6 = 32 */
    Mat aat = mat_new(2, 2);
    mat_matmul_nt(aat, a, a);
    ck_assert_double_eq(MAT_AT(aat, 0, 1), 32);

    Mat sums = mat_new(1, 3);
    mat_col_sums(sums, a);
    ck_assert_double_eq(sums.data[2], 9);

    mat_add_row(a, sums);
    ck_assert_double_eq(MAT_AT(a, 1, 2), 15);

    mat_free(&a);
    mat_free(&b);
    mat_free(&ab);
    mat_free(&ata);
    mat_free(&aat);
    mat_free(&sums);
}
END_TEST

/* A shape mismatch stops the program with a clear line (exit 1). */
START_TEST(mat_shape_mismatch_dies)
{
    /* static: still reachable when it dies, so LeakSanitizer stays quiet
     * (clang may keep locals only in registers) */
    static Mat a, b, out;
    a = mat_new(2, 3), b = mat_new(2, 3), out = mat_new(2, 3);
    mat_matmul(out, a, b);
}
END_TEST

/* --- the activation table --------------------------------------------------- */

/* Points away from every row's kink at 0 (ReLU's, leaky ReLU's, the step's). */
static const double ACT_POINTS[] = {-3.1, -1.3, -0.45, -0.02, 0.03, 0.4, 1.7, 3.3};
#define N_ACT_POINTS (int)(sizeof ACT_POINTS / sizeof ACT_POINTS[0])

/* Every row's scalar derivative against the central difference of its
 * function: a wrong df in a new row fails here. */
START_TEST(every_activation_derivative_matches_differences)
{
    int rows = 0;
    for (const Activation *a = ACTIVATIONS; a->name; a++, rows++)
        for (int i = 0; i < N_ACT_POINTS; i++) {
            double z = ACT_POINTS[i], h = 1e-6;
            double numeric = (a->f(z + h) - a->f(z - h)) / (2 * h);
            ck_assert_msg(fabs(a->df(z) - numeric) <= 1e-7,
                          "%s'(%g) = %.10g, differences say %.10g", a->name, z, a->df(z), numeric);
        }
    ck_assert_int_ge(rows, 5);
}
END_TEST

/* The batched forward and backward that the networks call, through the
 * gradient check of testutil: L = Σ c_i · f(z_i) with random weights c, so
 * ∂L/∂z_i = c_i · f'(z_i) must come out of activation_backward(da = c). The
 * step has no gradient to check (its derivative is 0 wherever it exists) and
 * is marked as not trainable instead. */
typedef struct {
    const Activation *act;
    double z[N_ACT_POINTS], c[N_ACT_POINTS];
} ActLoss;

static double act_loss(void *ctx)
{
    ActLoss *l = ctx;
    double a[N_ACT_POINTS], sum = 0;
    activation_forward(l->act, a, l->z, N_ACT_POINTS);
    for (int i = 0; i < N_ACT_POINTS; i++)
        sum += l->c[i] * a[i];
    return sum;
}

START_TEST(every_trainable_activation_passes_the_gradient_check)
{
    Rng r;
    rng_seed(&r, 3);
    for (const Activation *a = ACTIVATIONS; a->name; a++) {
        ActLoss l = {a, {0}, {0}};
        for (int i = 0; i < N_ACT_POINTS; i++) {
            l.z[i] = ACT_POINTS[i];
            l.c[i] = rng_uniform_range(&r, -1, 1);
        }
        double dz[N_ACT_POINTS] = {0};
        activation_backward(a, dz, l.z, l.c, N_ACT_POINTS);
        if (!a->trainable) {
            for (int i = 0; i < N_ACT_POINTS; i++)
                ck_assert_msg(dz[i] == 0, "%s passes a gradient but is marked not trainable", a->name);
            continue;
        }
        double worst = test_gradcheck(N_ACT_POINTS, l.z, dz, act_loss, &l, 1e-6);
        ck_assert_msg(worst < 1e-7, "%s: worst relative error %g", a->name, worst);
    }
}
END_TEST

/* A row's batched loops (ReLU's) give exactly what f and df give. */
START_TEST(batched_loops_equal_the_scalar_functions)
{
    for (const Activation *a = ACTIVATIONS; a->name; a++) {
        double out[N_ACT_POINTS], dz[N_ACT_POINTS] = {0}, ones[N_ACT_POINTS];
        for (int i = 0; i < N_ACT_POINTS; i++)
            ones[i] = 1;
        activation_forward(a, out, ACT_POINTS, N_ACT_POINTS);
        activation_backward(a, dz, ACT_POINTS, ones, N_ACT_POINTS);
        for (int i = 0; i < N_ACT_POINTS; i++) {
            ck_assert_double_eq(out[i], a->f(ACT_POINTS[i]));
            ck_assert_double_eq(dz[i], a->df(ACT_POINTS[i]));
        }
    }
}
END_TEST

/* The erratum of notes §3.1: ReLU' is 0 for z <= 0 (z = 0 included) and 1
 * above; and the names the flags take. */
START_TEST(activation_lookup_and_relu_at_zero)
{
    const Activation *relu_row = activation_find("relu");
    ck_assert_ptr_nonnull(relu_row);
    ck_assert_double_eq(relu_row->df(0), 0);
    ck_assert_double_eq(relu_row->df(-1e-9), 0);
    ck_assert_double_eq(relu_row->df(1e-9), 1);
    ck_assert_double_eq(activation_find("sigmoid")->df(0), 0.25);
    ck_assert_ptr_null(activation_find("softplus-that-is-not-there"));
    ck_assert(!activation_find("step")->trainable);
    const char *names = activation_names();
    for (const Activation *a = ACTIVATIONS; a->name; a++)
        ck_assert_msg((strstr(names, a->name) != NULL) == a->trainable, "%s in '%s'", a->name, names);
}
END_TEST

/* --- optimisers ---------------------------------------------------------------- */

/* Adam's two first steps on two parameters, written out with the formulas
 * of optim.h: m, v, the bias corrections, the update. */
START_TEST(adam_two_steps_by_hand)
{
    double theta[2] = {1.0, -2.0}, g[2] = {0.5, -0.1};
    Optimizer o;
    optim_init(&o, "adam", 0.01, 2);
    double m[2] = {0, 0}, v[2] = {0, 0}, want[2] = {1.0, -2.0};
    for (int t = 1; t <= 2; t++) {
        for (int i = 0; i < 2; i++) {
            m[i] = 0.9 * m[i] + 0.1 * g[i];
            v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
            double m_hat = m[i] / (1 - pow(0.9, t)), v_hat = v[i] / (1 - pow(0.999, t));
            want[i] -= 0.01 * m_hat / (sqrt(v_hat) + 1e-8);
        }
        optim_step(&o, theta, g);
    }
    ck_assert_int_eq(o.t, 2);
    for (int i = 0; i < 2; i++)
        ck_assert_double_eq_tol(theta[i], want[i], 1e-15);
    optim_free(&o);
}
END_TEST

START_TEST(sgd_step_is_theta_minus_lr_g)
{
    double theta[3] = {1, 2, 3}, g[3] = {0.5, -1, 0};
    Optimizer o;
    optim_init(&o, "sgd", 0.1, 3);
    optim_step(&o, theta, g);
    ck_assert_double_eq_tol(theta[0], 0.95, 1e-15);
    ck_assert_double_eq_tol(theta[1], 2.1, 1e-15);
    ck_assert_double_eq(theta[2], 3);
    optim_free(&o);
}
END_TEST

/* A step shared out in ranges (as the threads of chapters 3-4 share it) is
 * the same bytes as one step over everything, for every optimiser. */
START_TEST(a_step_in_ranges_is_the_same_bytes_as_one_step)
{
    enum { N = 1003 };
    Rng r;
    rng_seed(&r, 11);
    for (const char *const *name = OPTIMIZER_NAMES; *name; name++) {
        double *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b), *g = malloc(N * sizeof *g);
        for (int i = 0; i < N; i++)
            a[i] = b[i] = rng_uniform_range(&r, -1, 1);
        Optimizer whole, parts;
        optim_init(&whole, *name, 0.003, N);
        optim_init(&parts, *name, 0.003, N);
        for (int step = 0; step < 3; step++) {
            for (int i = 0; i < N; i++)
                g[i] = rng_uniform_range(&r, -1, 1);
            optim_step(&whole, a, g);
            optim_begin_step(&parts);
            for (int k = 2; k >= 0; k--) {   /* in any order */
                size_t lo, hi;
                par_range(N, 3, k, 16, &lo, &hi);
                optim_update(&parts, b, g, lo, hi);
            }
        }
        ck_assert_mem_eq(a, b, N * sizeof *a);
        optim_free(&whole);
        optim_free(&parts);
        free(a);
        free(b);
        free(g);
    }
}
END_TEST

START_TEST(unknown_optimiser_dies) { Optimizer o; optim_init(&o, "rmsprop", 0.1, 4); }
END_TEST

/* --- splitting work between threads ------------------------------------------ */

/* The parts cover [0, n) in order, without gaps or overlaps; every inner
 * boundary is a multiple of align; no part is larger than the first. */
START_TEST(par_range_cuts_a_range_in_parts)
{
    const size_t sizes[] = {0, 1, 5, 44, 64, 65, 1000, 109386};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (int parts = 1; parts <= 4; parts++)
            for (size_t align = 1; align <= 16; align += 15) {
                size_t n = sizes[s], next = 0, first = 0;
                for (int k = 0; k < parts; k++) {
                    size_t lo, hi;
                    par_range(n, parts, k, align, &lo, &hi);
                    ck_assert_uint_eq(lo, next);
                    ck_assert_uint_le(lo, hi);
                    if (k == 0)
                        first = hi - lo;
                    ck_assert_uint_le(hi - lo, first);
                    if (hi < n)
                        ck_assert_uint_eq(hi % align, 0);
                    next = hi;
                }
                ck_assert_uint_eq(next, n);
            }
    /* the batches of the chapters: 64 in 32 + 32, the last 44 in 22 + 22, 33 in 17 + 16 */
    size_t lo, hi;
    par_range(33, 2, 0, 1, &lo, &hi);
    ck_assert_uint_eq(hi, 17);
}
END_TEST

START_TEST(par_sum_into_adds_every_source_in_order)
{
    double dst[5] = {1, 1, 1, 1, 1}, s1[5] = {1, 2, 3, 4, 5}, s2[5] = {10, 20, 30, 40, 50};
    double *src[2] = {s1, s2};
    par_sum_into(dst, src, 2, 1, 4);   /* only [1, 4) */
    const double want[5] = {1, 23, 34, 45, 1};
    ck_assert_mem_eq(dst, want, sizeof want);
    par_set_threads(2);
    ck_assert_int_eq(par_threads(), 2);
    par_set_threads(1);
    ck_assert_int_eq(par_threads(), 1);
}
END_TEST

/* --- softmax ------------------------------------------------------------------ */

START_TEST(softmax_and_log_softmax_agree_and_stay_finite)
{
    double z[2][4] = {{1, 2, 3, 4}, {1000, -1000, 0, 999}}, p[2][4], lp[2][4];
    softmax_rows(&p[0][0], &z[0][0], 2, 4);
    log_softmax_rows(&lp[0][0], &z[0][0], 2, 4);
    for (int i = 0; i < 2; i++) {
        double sum = 0;
        for (int c = 0; c < 4; c++) {
            sum += p[i][c];
            ck_assert(isfinite(lp[i][c]));
            if (p[i][c] > 1e-300)
                ck_assert_double_eq_tol(lp[i][c], log(p[i][c]), 1e-12);
        }
        ck_assert_double_eq_tol(sum, 1, 1e-15);
    }
    ck_assert_double_eq_tol(lp[1][1], -2000 - log(1 + exp(-1.0)), 1e-9);
    /* notes §3.2: −ln 0.70 for the "3" */
    const double yhat[10] = {0.01, 0.02, 0.05, 0.70, 0.02, 0.10, 0, 0, 0.10, 0};
    ck_assert_double_eq_tol(cross_entropy(yhat, 3), 0.3567, 5e-5);
}
END_TEST

/* --- the product's --plain switch ----------------------------------------------- */

START_TEST(gemm_plain_switch)
{
    Rng r;
    rng_seed(&r, 5);
    enum { M = 7, N = 5, K = 9 };
    double A[M * K], B[K * N], C1[M * N], C2[M * N], C3[M * N];
    for (int i = 0; i < M * K; i++)
        A[i] = rng_uniform_range(&r, -1, 1);
    for (int i = 0; i < K * N; i++)
        B[i] = rng_uniform_range(&r, -1, 1);
    gemm_plain(0, 0, M, N, K, 1, A, K, B, N, 0, C1, N);
    ck_assert(!gemm_uses_plain_loops());
    gemm(0, 0, M, N, K, 1, A, K, B, N, 0, C2, N);         /* OpenBLAS */
    gemm_use_plain_loops(1);
    gemm(0, 0, M, N, K, 1, A, K, B, N, 0, C3, N);         /* the triple loop */
    gemm_use_plain_loops(0);
    ck_assert_mem_eq(C1, C3, sizeof C1);
    for (int i = 0; i < M * N; i++)
        ck_assert_double_eq_tol(C1[i], C2[i], 1e-12);
}
END_TEST

/* --- image grids and clipped lines -------------------------------------------- */

/* Three 2×2 tiles, two to a row, 1 pixel apart, 2 caption rows above each:
 * 7 pixels wide (1 + 2 + 1 + 2 + 1), 11 high (2 × (2 + 2 + 1) + 1). */
START_TEST(grid_places_tiles_gaps_and_captions)
{
    char *dir = test_tmpdir();
    ImageGrid g;
    grid_init(&g, 3, 2, 2, 2, 1, 2);
    ck_assert_int_eq(g.width, 7);
    ck_assert_int_eq(g.height, 11);
    const double tile[4] = {1, 2, 3, 4};
    for (int t = 0; t < 3; t++)
        grid_put(&g, t, tile, t + 1);
    double x, y;
    grid_caption_xy(&g, 1, &x, &y);
    ck_assert_double_eq(x, 4.5);   /* tile 1 spans columns 4-5 */
    ck_assert_double_eq(y, 1.5);   /* its band is rows 1-2, the tile rows 3-4 */
    grid_write(&g, out_path(dir, "grid.csv"));
    ck_assert_ptr_null(g.value);
    char *text = test_read_file(out_path(dir, "grid.csv"));
    ck_assert_ptr_nonnull(strstr(text, "x,y,value,inside\n0,0,0,0\n"));
    ck_assert_ptr_nonnull(strstr(text, "\n1,3,1,1\n"));    /* tile 0, top-left, ×1 */
    ck_assert_ptr_nonnull(strstr(text, "\n5,4,8,1\n"));    /* tile 1, bottom-right 4, ×2 */
    ck_assert_ptr_nonnull(strstr(text, "\n1,8,3,1\n"));    /* tile 2, top-left, ×3 */
    ck_assert_ptr_nonnull(strstr(text, "\n4,8,0,0\n"));    /* where a 4th tile would be */
    free(text);
    test_rmdir(dir);
    free(dir);
}
END_TEST

START_TEST(clip_line_cuts_lines_to_the_square)
{
    double seg[4];
    /* x + y − 1 = 0 crosses [0, 1]² from (0, 1) to (1, 0) */
    ck_assert(clip_line(1, 1, -1, 0, 1, seg));
    ck_assert(fabs(seg[0] - seg[2]) == 1 && fabs(seg[1] - seg[3]) == 1);
    /* x = 0.25 (b = 0) is vertical */
    ck_assert(clip_line(4, 0, -1, 0, 1, seg));
    ck_assert_double_eq(seg[0], 0.25);
    ck_assert_double_eq(seg[2], 0.25);
    /* misses the square; a line through one corner only; no line at all */
    ck_assert(!clip_line(1, 1, 10, 0, 1, seg));
    ck_assert(!clip_line(1, 1, 0, 0, 1, seg));
    ck_assert(!clip_line(0, 0, 1, 0, 1, seg));
}
END_TEST

/* --- atomic files, CSV, JSON ---------------------------------------------- */

START_TEST(csv_is_written_whole_and_renamed)
{
    char *dir = test_tmpdir();
    const char *path = out_path(dir, "curve.csv");
    Csv c;
    csv_open(&c, path, "epoch,mse");
    ck_assert(access(path, F_OK) != 0); /* nothing under the final name yet */
    ck_assert(test_dir_has_tmp(dir));
    csv_row(&c, 2, (double[]){1, 0.25});
    csv_row(&c, 2, (double[]){2, 1.0 / 3.0});
    csv_close(&c);
    ck_assert(!test_dir_has_tmp(dir));
    char *text = test_read_file(path);
    ck_assert_str_eq(text, "epoch,mse\n1,0.25\n2,0.333333333\n");
    ck_assert_int_eq(out_file_count(), 1);
    ck_assert_str_eq(out_file(0), path);
    free(text);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* die() in the middle of writing removes the temporary file on the way out.
 * Runs in a child process, since die() exits. */
START_TEST(die_leaves_no_partial_file)
{
    char *dir = test_tmpdir();
    pid_t pid = fork();
    if (pid == 0) {
        Csv c;
        csv_open(&c, out_path(dir, "half.csv"), "a");
        csv_row(&c, 1, (double[]){1});
        die("simulated failure");
    }
    int status;
    waitpid(pid, &status, 0);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    ck_assert_int_eq(test_count_files(dir), 0);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* --- safetensors: metadata, dtypes, finite values --------------------------- */

/* A file with one tensor of each dtype and two metadata entries. */
static void save_three_tensors(const char *path, real *w, double *d, int32_t *k, StMeta *meta)
{
    StTensor t[3] = {{"w", 2, {2, 3}, w, NULL, NULL},
                     {"losses", 1, {4}, NULL, d, NULL},
                     {"order", 1, {5}, NULL, NULL, k}};
    st_save_meta(path, t, 3, meta, "control");
}

START_TEST(safetensors_keeps_metadata_and_three_dtypes)
{
    char *dir = test_tmpdir();
    const char *path = out_path(dir, "c.safetensors");
    real w[6] = {0.25, -1.5, 3, 0, 1e-3f, -2};   /* the last but one is not exact in float */
    double d[4] = {1.0 / 3, -0.1, 1e300, 0};
    int32_t k[5] = {4, -7, 0, 2147483647, -2147483647 - 1};
    StMeta meta = {0};
    st_meta_set(&meta, "epoch", "3");
    st_meta_set(&meta, "note", "comillas \" y barra \\");
    save_three_tensors(path, w, d, k, &meta);

    real w2[6];
    double d2[4];
    int32_t k2[5];
    StTensor t[3] = {{"w", 2, {2, 3}, w2, NULL, NULL},
                     {"losses", 1, {4}, NULL, d2, NULL},
                     {"order", 1, {5}, NULL, NULL, k2}};
    size_t size;
    char err[512];
    unsigned char *file = st_read_file(path, &size, err, sizeof err);
    ck_assert_msg(file, "%s", err);
    StMeta got;
    ck_assert_msg(st_parse(file, size, path, t, 3, &got, err, sizeof err) == 0, "%s", err);
    ck_assert_str_eq(st_meta_get(&got, "format"), "pt");
    ck_assert_str_eq(st_meta_get(&got, "epoch"), "3");
    ck_assert_str_eq(st_meta_get(&got, "note"), "comillas \" y barra \\");
    ck_assert_ptr_null(st_meta_get(&got, "missing"));
    for (int i = 0; i < 6; i++)
        ck_assert(w2[i] == (real)(float)w[i]);   /* F32 on disk */
    ck_assert(memcmp(d, d2, sizeof d) == 0);       /* F64: every bit */
    ck_assert(memcmp(k, k2, sizeof k) == 0);
    free(file);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* A weight that is NaN or infinite: a run that diverged, not a model. The
 * line names the file, the tensor and the value. */
START_TEST(safetensors_refuses_nan_and_infinite_values)
{
    char *dir = test_tmpdir();
    const char *path = out_path(dir, "bad.safetensors");
    const real bad[3] = {NAN, INFINITY, -INFINITY};
    for (int b = 0; b < 3; b++) {
        real w[6] = {1, 2, 3, 4, 5, 6};
        double d[4] = {0, 0, 0, 0};
        int32_t k[5] = {0};
        w[4] = bad[b];
        save_three_tensors(path, w, d, k, NULL);
        StTensor t[3] = {{"w", 2, {2, 3}, w, NULL, NULL},
                         {"losses", 1, {4}, NULL, d, NULL},
                         {"order", 1, {5}, NULL, NULL, k}};
        char err[512];
        ck_assert_int_eq(st_load(path, t, 3, err, sizeof err), -1);
        ck_assert_msg(strstr(err, path) && strstr(err, "'w'") && strstr(err, "valor 4") &&
                      strstr(err, b == 0 ? "NaN" : "infinito"), "%s", err);
    }
    /* and in a float64 tensor */
    real w[6] = {0};
    double d[4] = {0, 0, NAN, 0};
    int32_t k[5] = {0};
    save_three_tensors(path, w, d, k, NULL);
    StTensor t[3] = {{"w", 2, {2, 3}, w, NULL, NULL},
                     {"losses", 1, {4}, NULL, d, NULL},
                     {"order", 1, {5}, NULL, NULL, k}};
    char err[512];
    ck_assert_int_eq(st_load(path, t, 3, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "'losses'") && strstr(err, "NaN"), "%s", err);
    test_rmdir(dir);
    free(dir);
}
END_TEST

START_TEST(safetensors_refuses_another_dtype)
{
    char *dir = test_tmpdir();
    const char *path = out_path(dir, "f64.safetensors");
    double d[4] = {1, 2, 3, 4};
    StTensor saved = {"x", 1, {4}, NULL, d, NULL};
    st_save(path, &saved, 1);
    real r[4];
    StTensor want = {"x", 1, {4}, r, NULL, NULL};
    char err[512];
    ck_assert_int_eq(st_load(path, &want, 1, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "dtype F64; se esperaba F32"), "%s", err);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* --- checkpoints --------------------------------------------------------------- */

/* Everything a run needs to go on comes back bit for bit: the generator
 * (with a Box–Muller spare waiting), an exact double, Adam's m, v and step. */
START_TEST(checkpoint_round_trip_is_exact)
{
    char *dir = test_tmpdir();
    const char *path = out_path(dir, "checkpoint.safetensors");
    Rng rng;
    rng_seed(&rng, 7);
    rng_normal(&rng);   /* leaves a spare */
    ck_assert(rng.has_spare);
    Optimizer opt;
    optim_init(&opt, "adam", 0.003, 4);
    real theta[4] = {0.5, -0.25, 1, 2}, g[4] = {0.125, -1, 0.5, 0.25};
    for (int s = 0; s < 3; s++)
        optim_step(&opt, theta, g);
    /* real is double here; F32 on disk keeps values that are exact in float */
    for (int i = 0; i < 4; i++) {
        theta[i] = (real)(float)theta[i];
        opt.state[0][i] = (real)(float)opt.state[0][i];
        opt.state[1][i] = (real)(float)opt.state[1][i];
    }
    int32_t order[3] = {2, 0, 1};
    Checkpoint c;
    ckpt_begin(&c, "test");
    ckpt_put_int(&c, "epoch", 2);
    ckpt_put_double(&c, "loss", 0.1);
    ckpt_put_rng(&c, "rng", &rng);
    ckpt_add_real(&c, "theta", 1, (int[]){4}, theta);
    ckpt_add_i32(&c, "order", 3, order);
    ckpt_add_optimizer(&c, &opt);
    ckpt_save(&c, path);
    ck_assert(!test_dir_has_tmp(dir));

    Rng back;
    Optimizer opt2;
    optim_init(&opt2, "adam", 0.003, 4);
    real theta2[4];
    int32_t order2[3];
    ckpt_open(&c, path, "test");
    ck_assert_int_eq(ckpt_get_int(&c, "epoch", 0, 10), 2);
    ck_assert(ckpt_get_double(&c, "loss") == 0.1);
    ckpt_get_rng(&c, "rng", &back);
    ckpt_add_real(&c, "theta", 1, (int[]){4}, theta2);
    ckpt_add_i32(&c, "order", 3, order2);
    ckpt_add_optimizer(&c, &opt2);
    ckpt_read(&c);
    ck_assert_int_eq(opt2.t, 3);
    ck_assert(memcmp(theta, theta2, sizeof theta) == 0);
    ck_assert(memcmp(order, order2, sizeof order) == 0);
    ck_assert(memcmp(opt.state[0], opt2.state[0], 4 * sizeof(real)) == 0);
    ck_assert(memcmp(opt.state[1], opt2.state[1], 4 * sizeof(real)) == 0);
    for (int i = 0; i < 5; i++)
        ck_assert(rng_normal(&rng) == rng_normal(&back));
    ck_assert(rng_next(&rng) == rng_next(&back));
    optim_free(&opt);
    optim_free(&opt2);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* The refusals die with one line (exit 1): a model is not a checkpoint,
 * another chapter's checkpoint, other settings, a missing key. */
static const char *saved_checkpoint(const char *kind)
{
    static char path[256];
    char *dir = test_tmpdir();
    snprintf(path, sizeof path, "%s/c.safetensors", dir);
    free(dir);
    real w[2] = {1, 2};
    Checkpoint c;
    ckpt_begin(&c, kind);
    ckpt_put_str(&c, "opt", "sgd");
    ckpt_add_real(&c, "w", 1, (int[]){2}, w);
    ckpt_save(&c, path);
    return path;
}
START_TEST(checkpoint_refuses_a_model)
{
    char *dir = test_tmpdir();
    const char *path = out_path(dir, "model.safetensors");
    real w[2] = {1, 2};
    st_save(path, &(StTensor){"w", 1, {2}, w, NULL, NULL}, 1);
    free(dir);   /* path is out_path's copy */
    static Checkpoint c;   /* reachable when ckpt_open dies (LeakSanitizer) */
    ckpt_open(&c, path, "ch4-cnn");
}
END_TEST
START_TEST(checkpoint_refuses_another_kind)
{
    Checkpoint c;
    ckpt_open(&c, saved_checkpoint("ch3-mlp"), "ch4-cnn");
}
END_TEST
START_TEST(checkpoint_refuses_other_settings)
{
    Checkpoint c;
    ckpt_open(&c, saved_checkpoint("x"), "x");
    ckpt_expect(&c, "opt", "adam", "--opt");
}
END_TEST
START_TEST(checkpoint_refuses_a_missing_key)
{
    Checkpoint c;
    ckpt_open(&c, saved_checkpoint("x"), "x");
    ckpt_get_int(&c, "epoch", 0, 5);
}
END_TEST
START_TEST(checkpoint_refuses_a_wrong_shape)
{
    Checkpoint c;
    ckpt_open(&c, saved_checkpoint("x"), "x");
    real w[3];
    ckpt_add_real(&c, "w", 1, (int[]){3}, w);
    ckpt_read(&c);
}
END_TEST

START_TEST(checkpoint_accepts_a_permutation)
{
    Checkpoint c;
    ckpt_open(&c, saved_checkpoint("x"), "x");
    ckpt_check_permutation(&c, "order", (const int32_t[]){2, 0, 1}, 3);
    free(c.file);
}
END_TEST
START_TEST(checkpoint_refuses_an_order_that_repeats)
{
    static Checkpoint c;
    ckpt_open(&c, saved_checkpoint("x"), "x");
    ckpt_check_permutation(&c, "order", (const int32_t[]){2, 0, 2}, 3);
}
END_TEST
START_TEST(checkpoint_refuses_an_order_out_of_range)
{
    static Checkpoint c;
    ckpt_open(&c, saved_checkpoint("x"), "x");
    ckpt_check_permutation(&c, "order", (const int32_t[]){0, 3, 1}, 3);
}
END_TEST

/* --- Ctrl-C ------------------------------------------------------------------ */

/* The first signal only asks; NN_INTERRUPT_AT_BATCH sends one after batch K. */
START_TEST(first_signal_asks_the_loop_to_stop)
{
    setenv("NN_INTERRUPT_AT_BATCH", "3", 1);
    setenv("NN_INTERRUPT_SIGNAL", "TERM", 1);
    interrupt_install();
    ck_assert_int_eq(interrupt_after_batch(), 0);
    ck_assert_int_eq(interrupt_after_batch(), 0);
    ck_assert_int_eq(interrupt_after_batch(), SIGTERM);
    ck_assert_int_eq(interrupt_signal(), SIGTERM);
    ck_assert_str_eq(interrupt_signal_name(), "SIGTERM");
    interrupt_exit("parado");   /* 128 + 15 */
}
END_TEST

/* The second stops at once (exit 130), removing the file being written. */
START_TEST(second_signal_stops_at_once_leaving_no_partial_file)
{
    char *dir = test_tmpdir();
    pid_t pid = fork();
    if (pid == 0) {
        unsetenv("NN_INTERRUPT_AT_BATCH");
        interrupt_install();
        Csv c;
        csv_open(&c, out_path(dir, "half.csv"), "a");
        csv_row(&c, 1, (double[]){1});
        fflush(c.af.f);
        raise(SIGINT);
        if (interrupt_signal() != SIGINT)
            _exit(3);
        raise(SIGINT);
        _exit(4);   /* not reached */
    }
    int status;
    waitpid(pid, &status, 0);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 130, "status %d", status);
    ck_assert_int_eq(test_count_files(dir), 0);
    test_rmdir(dir);
    free(dir);
}
END_TEST

START_TEST(json_writes_nested_values_and_files_last)
{
    char *dir = test_tmpdir();
    const char *path = out_path(dir, "summary.json");
    Json j;
    json_open(&j, path);
    json_str(&j, "chapter", "x\"y");
    json_begin_array(&j, "runs");
    json_begin_object(&j, NULL);
    json_num(&j, "lr", 0.5);
    json_null(&j, "converged_epoch");
    json_num(&j, "nan", NAN);
    json_end_object(&j);
    json_end_array(&j);
    json_bool(&j, "ok", 1);
    json_files(&j);
    json_close(&j);
    char *text = test_read_file(path);
    ck_assert_ptr_nonnull(strstr(text, "\"chapter\": \"x\\\"y\""));
    ck_assert_ptr_nonnull(strstr(text, "\"lr\": 0.5"));
    ck_assert_ptr_nonnull(strstr(text, "\"converged_epoch\": null"));
    ck_assert_ptr_nonnull(strstr(text, "\"nan\": null"));
    ck_assert_ptr_nonnull(strstr(text, "\"ok\": true"));
    char *files = strstr(text, "\n  \"files\": [");
    ck_assert_ptr_nonnull(files);
    ck_assert_ptr_nonnull(strstr(files, "summary.json\"\n  ]\n}\n"));
    free(text);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* summary-files replaces the list with what is on disk, figures included. */
START_TEST(summary_files_lists_what_is_on_disk)
{
    char *dir = test_tmpdir();
    char cmd[1024], out[4096];
    Json j;
    json_open(&j, out_path(dir, "summary.json"));
    json_int(&j, "epochs", 3);
    json_files(&j);
    json_close(&j);
    snprintf(cmd, sizeof cmd, "mkdir -p %s/fig && touch %s/fig/a.png %s/b.csv && "
             "%s/rel/bin/summary-files %s", dir, dir, dir,
             getenv("NN_BUILD") && *getenv("NN_BUILD") ? getenv("NN_BUILD") : "build", dir);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    char *text = test_read_file(out_path(dir, "summary.json"));
    ck_assert_ptr_nonnull(strstr(text, "\"epochs\": 3"));
    snprintf(cmd, sizeof cmd, "\"%s/fig/a.png\"", dir);
    ck_assert_ptr_nonnull(strstr(text, cmd));
    snprintf(cmd, sizeof cmd, "\"%s/b.csv\"", dir);
    ck_assert_ptr_nonnull(strstr(text, cmd));
    free(text);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* --- flag parsers ---------------------------------------------------------- */

START_TEST(parsers_accept_good_values)
{
    double lrs[4];
    ck_assert_int_eq(parse_positive_double_list("--lr", "0.1,0.5,10", lrs, 4), 3);
    ck_assert_double_eq(lrs[2], 10);
    ck_assert_int_eq(parse_positive_int("--epochs", "5000"), 5000);
    ck_assert_uint_eq(parse_seed("--seed", "18446744073709551615"), UINT64_MAX);
    ck_assert_double_eq(parse_fraction("--dropout", "0.2"), 0.2);
    const char *allowed[] = {"sgd", "adam", NULL}, *opts[2];
    ck_assert_int_eq(parse_word_list("--opt", "adam,sgd", allowed, opts, 2), 2);
    ck_assert_str_eq(opts[0], "adam");
}
END_TEST

START_TEST(seed_lists_take_lists_and_ranges)
{
    uint64_t s[200];
    ck_assert_int_eq(parse_seed_list("--seeds", "1,2,3,4,5", s, 200), 5);
    ck_assert_uint_eq(s[4], 5);
    ck_assert_int_eq(parse_seed_list("--seeds", "1-100", s, 200), 100);
    ck_assert_uint_eq(s[0], 1);
    ck_assert_uint_eq(s[99], 100);
    ck_assert_int_eq(parse_seed_list("--seeds", "7-7,42", s, 200), 2);
    ck_assert_uint_eq(s[0], 7);
    ck_assert_uint_eq(s[1], 42);
}
END_TEST

/* Each refusal exits with status 2 (checked by tcase_add_exit_test). */
START_TEST(refuses_non_numeric_lr) { double v[2]; parse_positive_double_list("--lr", "abc", v, 2); }
END_TEST
START_TEST(refuses_negative_lr) { double v[2]; parse_positive_double_list("--lr", "0.1,-1", v, 2); }
END_TEST
START_TEST(refuses_zero_epochs) { parse_positive_int("--epochs", "0"); }
END_TEST
START_TEST(refuses_fractional_epochs) { parse_positive_int("--epochs", "2.5"); }
END_TEST
START_TEST(refuses_negative_seed) { parse_seed("--seed", "-3"); }
END_TEST
START_TEST(refuses_unknown_word) { const char *allowed[] = {"sgd", NULL}, *o[1]; parse_word_list("--opt", "rmsprop", allowed, o, 1); }
END_TEST
START_TEST(refuses_unwritable_out_dir) { out_prepare_dir("/proc/no-such-place/out"); }
END_TEST

START_TEST(refuses_empty_list_piece) { double v[4]; parse_positive_double_list("--lr", "0.1,,1", v, 4); }
END_TEST
START_TEST(refuses_trailing_comma) { double v[4]; parse_positive_double_list("--lr", "0.1,", v, 4); }
END_TEST
START_TEST(refuses_backward_seed_range) { uint64_t s[10]; parse_seed_list("--seeds", "5-1", s, 10); }
END_TEST
START_TEST(refuses_too_many_seeds) { uint64_t s[10]; parse_seed_list("--seeds", "1-11", s, 10); }
END_TEST

/* --- statistics -------------------------------------------------------------- */

START_TEST(mean_and_sample_sd_by_hand)
{
    /* 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squares 32, sample variance 32/7. */
    double x[] = {2, 4, 4, 4, 5, 5, 7, 9}, m, sd;
    mean_sd(x, 8, &m, &sd);
    ck_assert_double_eq_tol(m, 5, 1e-15);
    ck_assert_double_eq_tol(sd, sqrt(32.0 / 7), 1e-15);
    mean_sd(x, 1, &m, &sd);
    ck_assert_double_eq(sd, 0);
}
END_TEST

/* Exact binomial sums checked against small cases worked by hand and the
 * textbook McNemar example (b = 1, c = 9: p = 2·11/1024 = 0.021484375). */
START_TEST(mcnemar_exact_by_hand)
{
    ck_assert_double_eq_tol(binomial_half_cdf(0, 3), 1.0 / 8, 1e-15);
    ck_assert_double_eq_tol(binomial_half_cdf(1, 3), 4.0 / 8, 1e-15);
    ck_assert_double_eq_tol(binomial_half_cdf(2, 4), 11.0 / 16, 1e-14);
    ck_assert_double_eq_tol(mcnemar_exact_p(1, 9), 22.0 / 1024, 1e-14);
    ck_assert_double_eq_tol(mcnemar_exact_p(9, 1), 22.0 / 1024, 1e-14);
    ck_assert_double_eq(mcnemar_exact_p(5, 5), 1);
    ck_assert_double_eq(mcnemar_exact_p(0, 0), 1);
    /* Large counts stay finite and tiny, not 0/0. */
    double p = mcnemar_exact_p(60, 200);
    ck_assert(p > 0 && p < 1e-12);
}
END_TEST

/* --- images moved ----------------------------------------------------------- */

START_TEST(shifted_images_move_and_fill_with_background)
{
    unsigned char px[2 * 9] = {1, 2, 3, 4, 5, 6, 7, 8, 9,  10, 20, 30, 40, 50, 60, 70, 80, 90};
    unsigned char lab[2] = {3, 8};
    Mnist m = {.n = 2, .rows = 3, .cols = 3, .pixels = px, .labels = lab}, s;
    mnist_shifted(&m, 1, 0, &s);               /* one pixel right */
    unsigned char right[9] = {0, 1, 2, 0, 4, 5, 0, 7, 8};
    ck_assert_mem_eq(s.pixels, right, 9);
    ck_assert_int_eq(s.labels[1], 8);
    mnist_free(&s);
    mnist_shifted(&m, -1, -2, &s);             /* one left, two up */
    unsigned char up_left[9] = {80, 90, 0, 0, 0, 0, 0, 0, 0};
    ck_assert_mem_eq(s.pixels + 9, up_left, 9);
    mnist_free(&s);
    mnist_shifted(&m, 0, 0, &s);
    ck_assert_mem_eq(s.pixels, px, sizeof px);
    mnist_free(&s);
}
END_TEST

/* The run's clock on the progress line: minutes and seconds, hours when due. */
START_TEST(progress_clock_reads_like_a_clock)
{
    char b[32];
    ck_assert_str_eq(progress_clock(0, b, sizeof b), "0:00");
    ck_assert_str_eq(progress_clock(65.4, b, sizeof b), "1:05");
    ck_assert_str_eq(progress_clock(3725, b, sizeof b), "1:02:05");
    ck_assert_str_eq(progress_clock(-3, b, sizeof b), "0:00");
    ck_assert_str_eq(progress_clock(1e12, b, sizeof b), "999:59:59");
}
END_TEST

int main(void)
{
    set_progname("test_common");
    Suite *s = suite_create("common");

    TCase *tc = tcase_create("rng");
    tcase_add_test(tc, rng_same_seed_same_sequence);
    tcase_add_test(tc, rng_normal_has_mean_0_and_variance_1);
    tcase_add_test(tc, rng_uniform_and_below_stay_in_range);
    tcase_add_test(tc, rng_shuffle_is_a_permutation);
    suite_add_tcase(s, tc);

    tc = tcase_create("mat");
    tcase_add_test(tc, mat_products_match_hand_computed);
    tcase_add_exit_test(tc, mat_shape_mismatch_dies, 1);
    suite_add_tcase(s, tc);

    tc = tcase_create("activations");
    tcase_add_test(tc, every_activation_derivative_matches_differences);
    tcase_add_test(tc, every_trainable_activation_passes_the_gradient_check);
    tcase_add_test(tc, batched_loops_equal_the_scalar_functions);
    tcase_add_test(tc, activation_lookup_and_relu_at_zero);
    tcase_add_test(tc, softmax_and_log_softmax_agree_and_stay_finite);
    tcase_add_test(tc, gemm_plain_switch);
    suite_add_tcase(s, tc);

    tc = tcase_create("optimisers and threads");
    tcase_add_test(tc, adam_two_steps_by_hand);
    tcase_add_test(tc, sgd_step_is_theta_minus_lr_g);
    tcase_add_test(tc, a_step_in_ranges_is_the_same_bytes_as_one_step);
    tcase_add_exit_test(tc, unknown_optimiser_dies, 1);
    tcase_add_test(tc, par_range_cuts_a_range_in_parts);
    tcase_add_test(tc, par_sum_into_adds_every_source_in_order);
    suite_add_tcase(s, tc);

    tc = tcase_create("output");
    tcase_add_test(tc, grid_places_tiles_gaps_and_captions);
    tcase_add_test(tc, clip_line_cuts_lines_to_the_square);
    tcase_add_test(tc, csv_is_written_whole_and_renamed);
    tcase_add_test(tc, die_leaves_no_partial_file);
    tcase_add_test(tc, json_writes_nested_values_and_files_last);
    tcase_add_test(tc, summary_files_lists_what_is_on_disk);
    suite_add_tcase(s, tc);

    tc = tcase_create("safetensors and checkpoints");
    tcase_add_test(tc, safetensors_keeps_metadata_and_three_dtypes);
    tcase_add_test(tc, safetensors_refuses_nan_and_infinite_values);
    tcase_add_test(tc, safetensors_refuses_another_dtype);
    tcase_add_test(tc, checkpoint_round_trip_is_exact);
    tcase_add_exit_test(tc, checkpoint_refuses_a_model, 1);
    tcase_add_exit_test(tc, checkpoint_refuses_another_kind, 1);
    tcase_add_exit_test(tc, checkpoint_refuses_other_settings, 1);
    tcase_add_exit_test(tc, checkpoint_refuses_a_missing_key, 1);
    tcase_add_exit_test(tc, checkpoint_refuses_a_wrong_shape, 1);
    tcase_add_test(tc, checkpoint_accepts_a_permutation);
    tcase_add_exit_test(tc, checkpoint_refuses_an_order_that_repeats, 1);
    tcase_add_exit_test(tc, checkpoint_refuses_an_order_out_of_range, 1);
    tcase_add_exit_test(tc, first_signal_asks_the_loop_to_stop, 143);
    tcase_add_test(tc, second_signal_stops_at_once_leaving_no_partial_file);
    suite_add_tcase(s, tc);

    tc = tcase_create("flags");
    tcase_add_test(tc, parsers_accept_good_values);
    tcase_add_exit_test(tc, refuses_non_numeric_lr, 2);
    tcase_add_exit_test(tc, refuses_negative_lr, 2);
    tcase_add_exit_test(tc, refuses_zero_epochs, 2);
    tcase_add_exit_test(tc, refuses_fractional_epochs, 2);
    tcase_add_exit_test(tc, refuses_negative_seed, 2);
    tcase_add_exit_test(tc, refuses_unknown_word, 2);
    tcase_add_exit_test(tc, refuses_unwritable_out_dir, 1);
    tcase_add_test(tc, seed_lists_take_lists_and_ranges);
    tcase_add_exit_test(tc, refuses_backward_seed_range, 2);
    tcase_add_exit_test(tc, refuses_empty_list_piece, 2);
    tcase_add_exit_test(tc, refuses_trailing_comma, 2);
    tcase_add_exit_test(tc, refuses_too_many_seeds, 2);
    suite_add_tcase(s, tc);

    tc = tcase_create("statistics and images");
    tcase_add_test(tc, mean_and_sample_sd_by_hand);
    tcase_add_test(tc, mcnemar_exact_by_hand);
    tcase_add_test(tc, shifted_images_move_and_fill_with_background);
    tcase_add_test(tc, progress_clock_reads_like_a_clock);
    suite_add_tcase(s, tc);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
