/* test_fuzz.c — every input kept for the fuzzers, run through the same
 * functions the fuzzers call (tests/fuzz/fuzz.h), in `make test`'s release
 * and sanitizer builds — no clang or libFuzzer needed:
 *
 *   tests/fuzz/corpus/<target>/       the seed corpus: a name starting with
 *                                     "near-" must be refused, any other
 *                                     accepted (so the seeds show, and keep
 *                                     showing, what each reader takes);
 *   tests/fuzz/regressions/<target>/  inputs that once crashed a target: each
 *                                     must now run to its end.
 *
 * Each input runs in a child process, so that a crash or a broken promise
 * (an abort in the target) names the input; the child exits through exit(),
 * so that LeakSanitizer looks for leaks in the sanitizer build. */
#include "testutil.h"
#include "fuzz/fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef int (*FuzzOne)(const uint8_t *data, size_t size);

/* The bytes of a file (malloc'd, at least 1 byte long), or NULL. */
static uint8_t *read_bytes(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    for (size_t r; (r = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += r;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    *size = n;
    return buf;
}

/* Runs one input in a child: its exit status is 10 + what `one` returned
 * (1 accepted, 0 refused); anything else is a crash. */
static int run_one(FuzzOne one, const char *path)
{
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        size_t size;
        uint8_t *data = read_bytes(path, &size);
        if (!data)
            exit(2);
        int accepted = one(data, size);
        free(data);
        exit(10 + (accepted != 0));
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status))
        return -WTERMSIG(status);
    return WEXITSTATUS(status);
}

/* Every file in `dir`; `seeds` = 1 holds each to its name. Returns how many
 * files there were. */
static int run_folder(FuzzOne one, const char *dir, int seeds)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int count = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        int rc = run_one(one, path);
        ck_assert_msg(rc == 10 || rc == 11, "%s: the target crashed (%s %d; see its stderr above)",
                      path, rc < 0 ? "signal" : "exit status", rc < 0 ? -rc : rc);
        if (seeds) {
            int near = strncmp(e->d_name, "near-", 5) == 0;
            ck_assert_msg(rc == (near ? 10 : 11), "%s: %s, but its name says it should be %s",
                          path, rc == 11 ? "accepted" : "refused", near ? "refused" : "accepted");
        }
        count++;
    }
    closedir(d);
    return count;
}

static void run_target(const char *target, FuzzOne one)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "tests/fuzz/corpus/%s", target);
    int seeds = run_folder(one, dir, 1);
    ck_assert_msg(seeds >= 3, "%s: %d seeds (is the test run from the top folder?)", dir, seeds);
    snprintf(dir, sizeof dir, "tests/fuzz/regressions/%s", target);
    run_folder(one, dir, 0);
}

START_TEST(test_fuzz_idx) { run_target("fuzz_idx", fuzz_idx_one); }
END_TEST
START_TEST(test_fuzz_cli) { run_target("fuzz_cli", fuzz_cli_one); }
END_TEST
START_TEST(test_fuzz_demo_request) { run_target("fuzz_demo_request", fuzz_demo_request_one); }
END_TEST
START_TEST(test_fuzz_safetensors) { run_target("fuzz_safetensors", fuzz_safetensors_one); }
END_TEST

/* The promises the targets check are real checks: an input that breaks one
 * (here, by hand: labels with an empty error line is impossible to make from
 * outside, so a direct call with a seed known to be refused, then one known
 * to be accepted) comes back as such. */
START_TEST(test_fuzz_functions_answer)
{
    static const uint8_t refused[] = {1, 0, 0, 8, 1, 0, 0, 0, 1, 10};   /* label 10 */
    static const uint8_t accepted[] = {1, 0, 0, 8, 1, 0, 0, 0, 1, 7};   /* label 7 */
    ck_assert_int_eq(fuzz_idx_one(refused, sizeof refused), 0);
    ck_assert_int_eq(fuzz_idx_one(accepted, sizeof accepted), 1);
    ck_assert_int_eq(fuzz_cli_one((const uint8_t *)"\x03\x00" "12", 4), 1);
    ck_assert_int_eq(fuzz_cli_one((const uint8_t *)"\x03\x00" "0", 3), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fuzz");
    TCase *tc = tcase_create("corpus and regressions");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_fuzz_functions_answer);
    tcase_add_test(tc, test_fuzz_idx);
    tcase_add_test(tc, test_fuzz_cli);
    tcase_add_test(tc, test_fuzz_demo_request);
    tcase_add_test(tc, test_fuzz_safetensors);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
