/* test_common.c — the math core and the plumbing every chapter stands on:
 * the random generator, small matrices, atomic output files, CSV, JSON, and
 * the flag parsers' refusals. */
#include "cli.h"
#include "json.h"
#include "mat.h"
#include "out.h"
#include "rng.h"
#include "testutil.h"
#include "util.h"

#include <math.h>
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
    Mat a = mat_new(2, 3), b = mat_new(2, 3), out = mat_new(2, 3);
    mat_matmul(out, a, b);
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
             "build/rel/bin/summary-files %s", dir, dir, dir, dir);
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

    tc = tcase_create("output");
    tcase_add_test(tc, csv_is_written_whole_and_renamed);
    tcase_add_test(tc, die_leaves_no_partial_file);
    tcase_add_test(tc, json_writes_nested_values_and_files_last);
    tcase_add_test(tc, summary_files_lists_what_is_on_disk);
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
    suite_add_tcase(s, tc);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
