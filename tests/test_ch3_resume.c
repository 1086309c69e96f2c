/* test_ch3_resume.c — chapter 3's training survives interruption (issue 11):
 * a run stopped by Ctrl-C (NN_INTERRUPT_AT_BATCH, common/interrupt.h) and
 * resumed with --resume ends with the very bytes of a run never stopped —
 * loss_lotes.csv, model.safetensors, summary.json but for its timings — on
 * the fast multi-threaded step and on --plain's readable one, from the
 * middle of an epoch and from an epoch's end, from the checkpoint Ctrl-C
 * writes and from a --checkpoint-every one after a SIGKILL; SIGTERM exits
 * 143; a real Ctrl-C from outside; a diverging learning rate stops the main
 * run (exit 1, summary.json "diverged") and only its own run in a
 * comparison (whose figure marks where it ended); a checkpoint that is
 * damaged, foreign or of another run is refused with one line.
 *
 * The runs are small (--bench: only the main network; 1024 training images,
 * 16 batches an epoch; 512 under the sanitizers). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint.h"
#include "testutil.h"

static char out[1 << 16];

static const char *mnist_dir(void)
{
    const char *d = getenv("MNIST_DATA");
    return d && *d ? d : "datasets/mnist";
}

static int under_asan(void)
{
    const char *v = getenv("NN_VARIANT");
    return v && strcmp(v, "asan") == 0;
}

/* Training images of the --bench runs, and their batches of 64 an epoch. */
static int train_images(void) { return under_asan() ? 512 : 1024; }
static int per_epoch(void) { return train_images() / 64; }

/* Runs `cmd` (through sh, which execs the program: its status is the
 * program's own) with stdout and stderr into `out`. Returns its exit code,
 * or -N when signal N killed it (test_run cannot tell 130 from a crash). */
static int run(const char *cmd)
{
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(fd[1], 1);
        dup2(fd[1], 2);
        close(fd[0]);
        close(fd[1]);
        char full[8192];
        snprintf(full, sizeof full, "exec %s", cmd);
        execl("/bin/sh", "sh", "-c", full, (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    size_t used = 0;
    ssize_t got;
    char chunk[4096];
    while ((got = read(fd[0], chunk, sizeof chunk)) > 0) {
        size_t take = (size_t)got < sizeof out - 1 - used ? (size_t)got : sizeof out - 1 - used;
        memcpy(out + used, chunk, take);
        used += take;
    }
    out[used] = 0;
    close(fd[0]);
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

/* The line the program wrote last: where its one-line messages go. */
static const char *last_line(void)
{
    size_t n = strlen(out);
    while (n > 0 && out[n - 1] == '\n')
        n--;
    out[n] = 0;
    const char *p = strrchr(out, '\n');
    return p ? p + 1 : out;
}

/* The lines of stderr-like text "ch3: ..." in out: a refusal or a stop is
 * one of them, and nothing after it. */
static int count_program_lines(void)
{
    int n = 0;
    for (const char *p = out; (p = strstr(p, "ch3: ")); p++)
        n += p == out || p[-1] == '\n';
    return n;
}

/* "exec env NN_...=K ch3 --bench --train-limit N ..." into cmd. */
static void bench_cmd(char *cmd, size_t len, const char *env, const char *flags, const char *dir)
{
    snprintf(cmd, len, "env %s %s --bench --train-limit %d --test-limit 100 --epochs 2 %s "
             "--out %s --data %s", env ? env : "", test_bin("ch3"), train_images(), flags, dir,
             mnist_dir());
}

static const char *in(const char *dir, const char *name)
{
    static char buf[4][1024];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", dir, name);
    return p;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Two summary.json files say the same but for timings (and the folder in
 * the list of files). */
static void check_same_summary(const char *a_dir, const char *b_dir)
{
    char *a = test_read_file(in(a_dir, "summary.json"));
    char *b = test_read_file(in(b_dir, "summary.json"));
    ck_assert(a && b);
    static const char *timing[] = {"seconds", "per_second", "peak_rss_mb"};
    char *sa, *sb;
    char *la = strtok_r(a, "\n", &sa), *lb = strtok_r(b, "\n", &sb);
    int line = 1;
    for (; la && lb; la = strtok_r(NULL, "\n", &sa), lb = strtok_r(NULL, "\n", &sb), line++) {
        int skip = 0;
        for (int i = 0; i < 3; i++)
            skip |= strstr(la, timing[i]) != NULL;
        const char *ra = strstr(la, a_dir), *rb = strstr(lb, b_dir);
        if (skip)
            ck_assert_msg(strncmp(la, lb, (size_t)(strchr(la, ':') - la)) == 0,
                          "summary line %d: '%s' / '%s'", line, la, lb);
        else if (ra && rb)   /* "<dir>/x.csv": the same file name */
            ck_assert_msg(strcmp(ra + strlen(a_dir), rb + strlen(b_dir)) == 0,
                          "summary line %d: '%s' / '%s'", line, la, lb);
        else
            ck_assert_msg(strcmp(la, lb) == 0, "summary line %d: '%s' / '%s'", line, la, lb);
    }
    ck_assert_msg(!la && !lb, "summary.json files of different lengths");
    free(a);
    free(b);
}

/* --- (a) interrupted, then resumed: the same bytes -------------------------------------- */

/* A run stopped after batch K: exit 130, its one line, the checkpoint, no
 * temporary file, no summary.json, and loss_lotes.csv holding the K losses
 * so far — the first K rows of the run never stopped, to the byte. */
static void check_stopped(const char *dir, const char *ref, int K, const char *flags)
{
    char cmd[4096], env[64];
    snprintf(env, sizeof env, "NN_INTERRUPT_AT_BATCH=%d", K);
    bench_cmd(cmd, sizeof cmd, env, flags, dir);
    int rc = run(cmd);
    ck_assert_msg(rc == 130, "%s: exit %d:\n%s", cmd, rc, out);
    int e = (K - 1) / per_epoch() + 1, b = K - (e - 1) * per_epoch();
    char where[128];
    snprintf(where, sizeof where, "la red principal (§3.3–3.4), época %d de 2, lote %d;", e, b);
    const char *line = last_line();
    ck_assert_msg(strstr(line, "interrumpido (Ctrl-C)") && strstr(line, where) &&
                  strstr(line, in(dir, "checkpoint.safetensors")) && strstr(line, "--resume"),
                  "the line: %s", line);
    ck_assert_int_eq(count_program_lines(), 1);
    ck_assert(exists(in(dir, "checkpoint.safetensors")));
    ck_assert(!exists(in(dir, "summary.json")));
    ck_assert(!test_dir_has_tmp(dir));
    double rows[64 * 2];
    ck_assert_int_eq(test_read_number_csv(in(dir, "loss_lotes.csv"), "batch,loss\n", 2, rows, 64),
                     K);
    char *part = test_read_file(in(dir, "loss_lotes.csv"));
    char *whole = test_read_file(in(ref, "loss_lotes.csv"));
    ck_assert_msg(strncmp(part, whole, strlen(part)) == 0,
                  "loss_lotes.csv so far is not the start of the run never stopped");
    free(part);
    free(whole);
}

static void check_resumed(const char *dir, const char *ref, const char *flags)
{
    char cmd[4096], more[512];
    snprintf(more, sizeof more, "%s --resume", flags);
    bench_cmd(cmd, sizeof cmd, NULL, more, dir);
    int rc = run(cmd);
    ck_assert_msg(rc == 0, "%s: exit %d:\n%s", cmd, rc, out);
    ck_assert_ptr_nonnull(strstr(out, "se reanuda desde"));
    ck_assert_ptr_nonnull(strstr(out, "Época 1 - Error"));   /* its lines, all of them */
    ck_assert_ptr_nonnull(strstr(out, "Época 2 - Error"));
    ck_assert_msg(test_files_identical(in(dir, "loss_lotes.csv"), in(ref, "loss_lotes.csv")),
                  "%s: loss_lotes.csv differs from the run never stopped", flags);
    ck_assert_msg(test_files_identical(in(dir, "model.safetensors"), in(ref, "model.safetensors")),
                  "%s: model.safetensors differs from the run never stopped", flags);
    check_same_summary(dir, ref);
    ck_assert(!test_dir_has_tmp(dir));
}

/* For each step (the fast one on two threads, --plain's readable one):
 * stopped in the middle of epoch 2 with --checkpoint-every, and at the end
 * of epoch 1 with only the epochs' checkpoints; each resumed; then resumed
 * again from the finished run's checkpoint, which trains nothing. */
START_TEST(test_resume_gives_the_same_bytes)
{
    if (!test_have_mnist("ch3 resume"))
        return;
    const char *steps[] = {"--threads 2", "--plain"};
    for (int s = 0; s < 2; s++) {
        char *ref = test_tmpdir(), cmd[4096];
        bench_cmd(cmd, sizeof cmd, NULL, steps[s], ref);
        int rc = run(cmd);
        ck_assert_msg(rc == 0, "%s: exit %d:\n%s", cmd, rc, out);
        struct { const char *every; int K; } cases[] = {
            {"--checkpoint-every 3", per_epoch() + per_epoch() / 4 + 1},   /* mid epoch 2 */
            {"", per_epoch()},                                             /* epoch 1's last */
        };
        for (int k = 0; k < 2; k++) {
            char *dir = test_tmpdir(), flags[256];
            snprintf(flags, sizeof flags, "%s %s", steps[s], cases[k].every);
            check_stopped(dir, ref, cases[k].K, flags);
            check_resumed(dir, ref, flags);
            /* the finished run's checkpoint: nothing left to train, the same files */
            char more[512];
            snprintf(more, sizeof more, "%s --resume", flags);
            bench_cmd(cmd, sizeof cmd, NULL, more, dir);
            rc = run(cmd);
            ck_assert_msg(rc == 0, "%s: exit %d:\n%s", cmd, rc, out);
            ck_assert_ptr_nonnull(strstr(out, "ya estaban terminadas"));
            ck_assert(test_files_identical(in(dir, "model.safetensors"),
                                           in(ref, "model.safetensors")));
            check_same_summary(dir, ref);
            test_rmdir(dir);
            free(dir);
        }
        test_rmdir(ref);
        free(ref);
    }
}
END_TEST

/* Starts `cmd` in the background (its output into `log`); returns its pid. */
static pid_t start(const char *cmd, const char *log)
{
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        char full[8192];
        snprintf(full, sizeof full, "exec %s > '%s' 2>&1", cmd, log);
        execl("/bin/sh", "sh", "-c", full, (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Waits (up to two minutes) until `path` exists while pid still runs. */
static void wait_for_file(pid_t pid, const char *path)
{
    for (int i = 0; i < 12000 && !exists(path); i++) {
        int status;
        ck_assert_msg(waitpid(pid, &status, WNOHANG) == 0, "the run ended before %s appeared",
                      path);
        nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
    }
    ck_assert_msg(exists(path), "%s did not appear", path);
}

/* A run killed outright (SIGKILL: nothing of the program runs) once
 * --checkpoint-every has written a checkpoint: the last one is whole and
 * sits at a multiple of N batches, and --resume from it gives the bytes of
 * the run never stopped. On --plain's step, whose batches take long enough
 * for the kill to land in the middle of the run. */
START_TEST(test_resume_after_kill)
{
    if (!test_have_mnist("ch3 resume after kill"))
        return;
    char *ref = test_tmpdir(), *dir = test_tmpdir(), cmd[4096], log[1024];
    int images = under_asan() ? 1024 : 2048, every = 7;
    const char *fmt = "%s --bench --train-limit %d --test-limit 100 --epochs 2 --plain "
                      "--checkpoint-every %d --out %s --data %s%s";
    snprintf(cmd, sizeof cmd, fmt, test_bin("ch3"), images, every, ref, mnist_dir(), "");
    int rc = run(cmd);
    ck_assert_msg(rc == 0, "exit %d:\n%s", rc, out);
    snprintf(cmd, sizeof cmd, fmt, test_bin("ch3"), images, every, dir, mnist_dir(), "");
    snprintf(log, sizeof log, "%s.log", dir);
    pid_t pid = start(cmd, log);
    wait_for_file(pid, in(dir, "checkpoint.safetensors"));
    kill(pid, SIGKILL);
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFSIGNALED(status), "the run finished before the kill");
    /* where the checkpoint stopped: after a multiple of `every` batches */
    Checkpoint ck;
    ckpt_open(&ck, in(dir, "checkpoint.safetensors"), "ch3-mlp");
    long e = ckpt_get_int(&ck, "epoch", 1, 2), b = ckpt_get_int(&ck, "batch", 1, 1000);
    free(ck.file);
    long per = images / 64;   /* (32 or 16: no epoch ends at a multiple of 7) */
    ck_assert_msg(((e - 1) * per + b) % every == 0, "the checkpoint is at epoch %ld, batch %ld, "
                  "not after a multiple of %d batches", e, b, every);
    snprintf(cmd, sizeof cmd, fmt, test_bin("ch3"), images, every, dir, mnist_dir(), " --resume");
    rc = run(cmd);
    ck_assert_msg(rc == 0, "exit %d:\n%s", rc, out);
    ck_assert(test_files_identical(in(dir, "loss_lotes.csv"), in(ref, "loss_lotes.csv")));
    ck_assert(test_files_identical(in(dir, "model.safetensors"), in(ref, "model.safetensors")));
    check_same_summary(dir, ref);
    remove(log);
    test_rmdir(ref);
    test_rmdir(dir);
    free(ref);
    free(dir);
}
END_TEST

/* --- (b) SIGTERM, (e) a real Ctrl-C ------------------------------------------------------- */

START_TEST(test_sigterm_exits_143)
{
    if (!test_have_mnist("ch3 SIGTERM"))
        return;
    char *dir = test_tmpdir(), cmd[4096];
    bench_cmd(cmd, sizeof cmd, "NN_INTERRUPT_AT_BATCH=3 NN_INTERRUPT_SIGNAL=TERM", "--threads 2",
              dir);
    int rc = run(cmd);
    ck_assert_msg(rc == 143, "exit %d:\n%s", rc, out);
    ck_assert_ptr_nonnull(strstr(last_line(), "interrumpido (SIGTERM)"));
    ck_assert_ptr_nonnull(strstr(last_line(), "época 1 de 2, lote 3;"));
    ck_assert(exists(in(dir, "checkpoint.safetensors")));
    ck_assert(!test_dir_has_tmp(dir));
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* The program started in the background, SIGINT sent from outside once its
 * first epoch is done (its checkpoint appears): exit 130 and a checkpoint
 * that a --resume loads and finishes from. On --plain's step, whose two
 * epochs left take long enough for the signal to land in the middle. */
START_TEST(test_real_ctrl_c)
{
    if (!test_have_mnist("ch3 Ctrl-C"))
        return;
    char *dir = test_tmpdir(), cmd[4096], log[1024];
    int images = under_asan() ? 1024 : 2048;
    const char *fmt = "%s --bench --train-limit %d --test-limit 100 --epochs 3 --plain "
                      "--out %s --data %s%s";
    snprintf(cmd, sizeof cmd, fmt, test_bin("ch3"), images, dir, mnist_dir(), "");
    snprintf(log, sizeof log, "%s.log", dir);
    pid_t pid = start(cmd, log);
    wait_for_file(pid, in(dir, "checkpoint.safetensors"));   /* epoch 1 is over */
    kill(pid, SIGINT);
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    char *said = test_read_file(log);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 130, "status %d:\n%s", status,
                  said);
    ck_assert_ptr_nonnull(strstr(said, "interrumpido (Ctrl-C) en la red principal"));
    free(said);
    ck_assert(!test_dir_has_tmp(dir));
    snprintf(cmd, sizeof cmd, fmt, test_bin("ch3"), images, dir, mnist_dir(), " --resume");
    int rc = run(cmd);
    ck_assert_msg(rc == 0, "exit %d:\n%s", rc, out);
    ck_assert_ptr_nonnull(strstr(out, "se reanuda desde"));
    ck_assert_int_eq(test_count_files(dir), 4);   /* checkpoint, losses, model, summary */
    remove(log);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* --- (c) divergence ------------------------------------------------------------------------ */

/* The main network with a rate far too large (SGD at 10⁵: the loss is
 * infinite within a few batches): one line with the epoch,
 * batch, optimiser and rate; summary.json says where and claims no
 * accuracy; the losses before it are written; no model; exit 1. */
START_TEST(test_main_run_divergence)
{
    if (!test_have_mnist("ch3 main divergence"))
        return;
    char *dir = test_tmpdir(), cmd[4096];
    bench_cmd(cmd, sizeof cmd, NULL, "--opt sgd --lr 100000 --threads 2", dir);
    int rc = run(cmd);
    ck_assert_msg(rc == 1, "exit %d:\n%s", rc, out);
    int epoch = 0, batch = 0;
    const char *line = last_line(), *at = strstr(line, "en la época ");
    ck_assert_msg(strstr(line, "la red principal divergió") && at &&
                  sscanf(at, "en la época %d, lote %d", &epoch, &batch) == 2 &&
                  strstr(line, "(sgd, lr 100000)"), "the line: %s", line);
    ck_assert_int_eq(count_program_lines(), 1);
    char *json = test_read_file(in(dir, "summary.json"));
    ck_assert_ptr_nonnull(json);
    char want[256];
    snprintf(want, sizeof want, "\"diverged\": {\n    \"epoch\": %d,\n    \"batch\": %d,\n"
             "    \"lr\": 100000,\n    \"opt\": \"sgd\"\n  }", epoch, batch);
    ck_assert_msg(strstr(json, want) != NULL, "summary.json lacks %s:\n%s", want, json);
    ck_assert_ptr_null(strstr(json, "accuracy"));
    free(json);
    double rows[64 * 2];
    int n = test_read_number_csv(in(dir, "loss_lotes.csv"), "batch,loss\n", 2, rows, 64);
    ck_assert_int_eq(n, (epoch - 1) * per_epoch() + batch - 1);
    for (int i = 0; i < n; i++)
        ck_assert(isfinite(rows[2 * i + 1]));
    ck_assert(!exists(in(dir, "model.safetensors")));
    ck_assert(!test_dir_has_tmp(dir));
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* The notebook's sections on a few images, SGD at 0.003 (the main pair) and
 * another rate in the comparison, batches of 16 (two points a curve). */
static void notebook_cmd(char *cmd, size_t len, const char *env, const char *lrs, const char *dir,
                         const char *more)
{
    snprintf(cmd, len, "env %s %s --quick --train-limit 1000 --test-limit 200 --epochs 1 "
             "--batch 16 --opt sgd --lr %s --threads 2 --out %s --data %s %s", env ? env : "",
             test_bin("ch3"), lrs, dir, mnist_dir(), more ? more : "");
}

/* gnuplot draws `script` on dir's CSVs without a word on stderr. */
static void check_draws_quietly(const char *script, const char *dir)
{
    if (test_run("command -v gnuplot", NULL, 0) != 0) {
        printf("SKIP: %s: no gnuplot\n", script);
        return;
    }
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "LC_ALL=C.UTF-8 gnuplot -e \"datadir='%s'; outdir='%s'; "
             "fmt='png'; lang='en'\" %s 2>&1 | grep -v 'frames in animation'", dir, dir, script);
    test_run(cmd, out, sizeof out);
    ck_assert_msg(out[0] == 0, "%s said:\n%s", script, out);
}

/* A comparison where one rate diverges: that run stops (one line: epoch,
 * batch, optimiser, rate), the others and the program go on (exit 0); the
 * summary records where; the CSV leaves its cells empty after its end; the
 * small CSV of ends gives its last point, which the figures mark. */
static void check_comparison_divergence(const char *dir)
{
    const char *said = strstr(out, "  sgd lr 100000\n");
    ck_assert_ptr_nonnull(said);
    int epoch = 0, batch = 0;
    const char *at = strstr(said, "divergió: la pérdida se hizo NaN o infinita en la época ");
    ck_assert_msg(at && sscanf(at, "divergió: la pérdida se hizo NaN o infinita en la época %d, "
                               "lote %d (sgd, lr 100000)", &epoch, &batch) == 2,
                  "no line for the divergence");
    char *json = test_read_file(in(dir, "summary.json"));
    char want[256];
    snprintf(want, sizeof want, "\"lr\": 100000,\n      \"diverged\": {\n        \"epoch\": %d,\n"
             "        \"batch\": %d\n      }\n    }", epoch, batch);
    ck_assert_msg(strstr(json, want) != NULL, "summary.json lacks %s", want);
    ck_assert_ptr_nonnull(strstr(json, "\"lr\": 0.003,\n      \"diverged\": false"));
    ck_assert_ptr_nonnull(strstr(json, "\"test_accuracy\": "));   /* the main run's */
    free(json);
    /* 63 batches: points at 50 and 63; the diverged curve only the first */
    double rows[8 * 3];
    int n = test_read_number_csv(in(dir, "loss_comparacion.csv"),
                                 "batch,sgd lr 0.003,sgd lr 100000\n", 3, rows, 8);
    ck_assert_int_eq(n, 2);
    ck_assert(isfinite(rows[1]) && isfinite(rows[4]) && isfinite(rows[2]));
    ck_assert_msg(isnan(rows[5]), "the diverged curve goes on: %g", rows[5]);
    char *ends = test_read_file(in(dir, "loss_comparacion_divergencias.csv"));
    double x, y;
    ck_assert_msg(ends && sscanf(ends, "curve,run,batch,loss\n2,sgd lr 100000,%lf,%lf\n", &x,
                                 &y) == 2, "loss_comparacion_divergencias.csv:\n%s", ends);
    ck_assert_double_eq(x, rows[0]);
    ck_assert_double_eq_tol(y, rows[2], 1e-6 * fabs(rows[2]));
    free(ends);
    check_draws_quietly("plots/ch3_loss_comparacion.gp", dir);
    check_draws_quietly("plots/ch3_loss_comparacion_animacion.gp", dir);
}

/* The notebook's sections (a comparison where SGD at 10⁵ diverges): run
 * whole, it goes on past the divergence. Stopped by Ctrl-C before the main
 * run, there is no checkpoint yet; stopped in the comparison after it, the
 * curves so far are written; --resume then skips the main network's
 * training and ends with the files of the run never stopped. */
START_TEST(test_notebook_divergence_and_ctrl_c)
{
    if (!test_have_mnist("ch3 notebook"))
        return;
    char *ref = test_tmpdir(), *dir = test_tmpdir(), cmd[4096];
    notebook_cmd(cmd, sizeof cmd, NULL, "0.003,100000", ref, NULL);
    int rc = run(cmd);
    ck_assert_msg(rc == 0, "exit %d:\n%s", rc, out);
    check_comparison_divergence(ref);

    /* an earlier run's summary, which must not outlive the stop */
    FILE *f = fopen(in(dir, "summary.json"), "w");
    ck_assert_ptr_nonnull(f);
    fputs("{}\n", f);
    fclose(f);
    notebook_cmd(cmd, sizeof cmd, "NN_INTERRUPT_AT_BATCH=10", "0.003,100000", dir, NULL);
    rc = run(cmd);
    ck_assert_msg(rc == 130, "exit %d:\n%s", rc, out);
    ck_assert_msg(strstr(last_line(), "interrumpido (Ctrl-C) en la primera red (784–128–10), "
                                      "época 1 de 1, lote 10; aún no hay punto de control"),
                  "%s", last_line());
    ck_assert(!exists(in(dir, "summary.json")));
    ck_assert(!exists(in(dir, "checkpoint.safetensors")));
    /* 63 batches of 16 for the first network, 63 for the main one, 168 for
     * §3.3's study (4 variants × 3 epochs × 14 batches of 64 on 834
     * images), then 2 of sgd lr 100000 (which diverges at its third) */
    notebook_cmd(cmd, sizeof cmd, "NN_INTERRUPT_AT_BATCH=296", "0.003,100000", dir, NULL);
    rc = run(cmd);
    ck_assert_msg(rc == 130, "exit %d:\n%s", rc, out);
    ck_assert_msg(strstr(last_line(), "en la comparación (sgd lr 100000), época 1 de 1, lote 2; "
                                      "punto de control: "), "%s", last_line());
    double rows[8 * 3];
    int n = test_read_number_csv(in(dir, "loss_comparacion.csv"),
                                 "batch,sgd lr 0.003,sgd lr 100000\n", 3, rows, 8);
    ck_assert_int_eq(n, 2);   /* points at 50 and 63; the run stopped at 2, only the first */
    ck_assert(isfinite(rows[2]) && isnan(rows[5]));
    ck_assert(!exists(in(dir, "summary.json")));
    ck_assert(!test_dir_has_tmp(dir));
    if (!under_asan()) {   /* (a whole run more: slow under the sanitizers) */
        notebook_cmd(cmd, sizeof cmd, NULL, "0.003,100000", dir, "--resume");
        rc = run(cmd);
        ck_assert_msg(rc == 0, "exit %d:\n%s", rc, out);
        ck_assert_ptr_nonnull(strstr(out, "ya estaban terminadas"));
        const char *same[] = {"loss_lotes.csv", "model.safetensors", "loss_comparacion.csv",
                              "loss_comparacion_divergencias.csv", "ejercicio_3_5.csv",
                              "sobreajuste.csv"};
        for (int i = 0; i < 6; i++)
            ck_assert_msg(test_files_identical(in(dir, same[i]), in(ref, same[i])),
                          "%s differs from the run never stopped", same[i]);
        check_same_summary(dir, ref);
    }
    test_rmdir(dir);
    test_rmdir(ref);
    free(dir);
    free(ref);
}
END_TEST

/* --- (d) checkpoints that are not this run's ----------------------------------------------- */

/* The byte offset in `path` of tensor `name`'s data (its header parsed by
 * hand: "name": {... "data_offsets": [begin, end]}). */
static long tensor_offset(const char *path, const char *name)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    unsigned char len8[8];
    ck_assert_int_eq(fread(len8, 1, 8, f), 8);
    unsigned long long hlen = 0;
    for (int i = 7; i >= 0; i--)
        hlen = hlen << 8 | len8[i];
    char *header = calloc(hlen + 1, 1);
    ck_assert_int_eq(fread(header, 1, hlen, f), hlen);
    fclose(f);
    char key[64];
    snprintf(key, sizeof key, "\"%s\"", name);
    const char *p = strstr(header, key);
    ck_assert_ptr_nonnull(p);
    p = strstr(p, "\"data_offsets\"");
    long begin = -1;
    ck_assert(p && sscanf(strchr(p, '[') + 1, "%ld", &begin) == 1);
    free(header);
    return 8 + (long)hlen + begin;
}

static void overwrite(const char *path, long at, const void *bytes, size_t n)
{
    FILE *f = fopen(path, "r+b");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fseek(f, at, SEEK_SET), 0);
    ck_assert_int_eq(fwrite(bytes, 1, n, f), n);
    fclose(f);
}

static void copy_file(const char *from, const char *to, long bytes)
{
    char *cmd = malloc(4096);
    if (bytes >= 0)
        snprintf(cmd, 4096, "head -c %ld '%s' > '%s'", bytes, from, to);
    else
        snprintf(cmd, 4096, "cp '%s' '%s'", from, to);
    ck_assert_int_eq(run(cmd), 0);
    free(cmd);
}

/* --resume on dir: refused before anything trains, one line naming the
 * checkpoint and containing `why`, exit 1. */
static void check_refused(const char *dir, const char *flags, const char *why)
{
    char cmd[4096], more[512];
    snprintf(more, sizeof more, "%s --resume", flags);
    bench_cmd(cmd, sizeof cmd, NULL, more, dir);
    int rc = run(cmd);
    ck_assert_msg(rc == 1, "%s (%s): exit %d:\n%s", flags, why, rc, out);
    const char *line = last_line();
    ck_assert_msg(strstr(line, in(dir, "checkpoint.safetensors")) && strstr(line, why),
                  "%s: the line '%s' lacks '%s'", flags, line, why);
    ck_assert_int_eq(count_program_lines(), 1);
    ck_assert_msg(strstr(out, "Época") == NULL, "%s: it trained before refusing:\n%s", flags, out);
}

START_TEST(test_checkpoint_refusals)
{
    if (!test_have_mnist("ch3 checkpoint refusals"))
        return;
    char *good = test_tmpdir(), *dir = test_tmpdir(), cmd[4096];
    bench_cmd(cmd, sizeof cmd, NULL, "--threads 2", good);
    int rc = run(cmd);
    ck_assert_msg(rc == 0, "exit %d:\n%s", rc, out);
    char saved_ckpt[1024], saved_mine[1024];   /* (in()'s buffers are only lent) */
    snprintf(saved_ckpt, sizeof saved_ckpt, "%s", in(good, "checkpoint.safetensors"));
    snprintf(saved_mine, sizeof saved_mine, "%s", in(dir, "checkpoint.safetensors"));

    /* another run's settings: each flag named */
    static const struct { const char *flags, *why; } other[] = {
        {"--threads 1", "--threads 2, y esta pide 1"},
        {"--plain", "sin --plain, y esta lo pide"},
        {"--threads 2 --epochs 3", "--epochs 2, y esta pide 3"},
        {"--threads 2 --lr 0.01", "--lr 0.003, y esta pide 0.01"},
        {"--threads 2 --opt sgd --lr 0.003", "--opt adam, y esta pide sgd"},
        {"--threads 2 --seed 7", "--seed 42, y esta pide 7"},
        {"--threads 2 --hidden 100", "--hidden 784-128-64-10"},
        {"--threads 2 --dropout 0.2", "--dropout 0, y esta pide 0.2"},
        {"--threads 2 --batch 32", "--batch 64, y esta pide 32"},
    };
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
        copy_file(saved_ckpt, saved_mine, -1);
        check_refused(dir, other[i].flags, other[i].why);
    }
    /* in the notebook's run too, before the first network trains */
    copy_file(saved_ckpt, saved_mine, -1);
    notebook_cmd(cmd, sizeof cmd, NULL, "0.003", dir, "--resume");
    rc = run(cmd);
    ck_assert_msg(rc == 1 && strstr(last_line(), "--batch 64, y esta pide 16"), "exit %d:\n%s",
                  rc, out);
    ck_assert_msg(strstr(out, "Época") == NULL, "it trained before refusing:\n%s", out);
    /* damaged: truncated; a NaN weight; an order of the images that is no permutation */
    copy_file(saved_ckpt, saved_mine, 100000);
    check_refused(dir, "--threads 2", "truncado");
    copy_file(saved_ckpt, saved_mine, -1);
    overwrite(saved_mine, tensor_offset(saved_mine, "fc2.weight") + 40,
              (float[]){NAN}, sizeof(float));
    check_refused(dir, "--threads 2", "NaN");
    copy_file(saved_ckpt, saved_mine, -1);
    int32_t twice[2] = {7, 7};
    overwrite(saved_mine, tensor_offset(saved_mine, "order"), twice, sizeof twice);
    check_refused(dir, "--threads 2", "permutación");
    /* a model, not a checkpoint */
    copy_file(in(good, "model.safetensors"), saved_mine, -1);
    check_refused(dir, "--threads 2", "no es un punto de control");
    /* another chapter's */
    Checkpoint c;
    ckpt_begin(&c, "ch4-cnn");
    ckpt_put_int(&c, "epoch", 1);
    real w[4] = {1, 2, 3, 4};
    ckpt_add_real(&c, "conv1.weight", 1, (int[]){4}, w);
    ckpt_save(&c, saved_mine);
    check_refused(dir, "--threads 2", "es un punto de control de 'ch4-cnn'");
    /* none at all: a line saying so, then a run from zero */
    remove(saved_mine);
    bench_cmd(cmd, sizeof cmd, NULL, "--threads 2 --resume", dir);
    rc = run(cmd);
    ck_assert_msg(rc == 0, "exit %d:\n%s", rc, out);
    ck_assert_ptr_nonnull(strstr(out, "no hay punto de control"));
    ck_assert(test_files_identical(in(dir, "model.safetensors"), in(good, "model.safetensors")));
    test_rmdir(good);
    test_rmdir(dir);
    free(good);
    free(dir);
}
END_TEST

/* One case per test, so that CK_RUN_CASE=<name> runs one alone. */
static void add(Suite *s, const char *name, const TTest *test)
{
    TCase *tc = tcase_create(name);
    tcase_set_timeout(tc, 1200);
    tcase_add_test(tc, test);
    suite_add_tcase(s, tc);
}

int main(void)
{
    Suite *s = suite_create("ch3_resume");
    add(s, "same_bytes", test_resume_gives_the_same_bytes);
    add(s, "kill", test_resume_after_kill);
    add(s, "sigterm", test_sigterm_exits_143);
    add(s, "ctrl_c", test_real_ctrl_c);
    add(s, "main_divergence", test_main_run_divergence);
    add(s, "notebook", test_notebook_divergence_and_ctrl_c);
    add(s, "refusals", test_checkpoint_refusals);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
