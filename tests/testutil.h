/* testutil.h — what the Check tests share: running a chapter program and
 * reading what it said, comparing files, temporary folders, and the
 * central-difference gradient check. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <check.h>
#include <stddef.h>

#include "mnist.h"
#include "real.h"
#include "rng.h"

/* "$NN_BUILD/$NN_VARIANT/bin/NAME" (default build/rel/bin/NAME): the
 * sanitizer tests run the sanitizer build of the programs, clang's tests
 * clang's build (build-clang/). */
const char *test_bin(const char *name);

/* Runs a shell command with stdout and stderr captured together into `out`
 * (NUL-terminated, truncated to `cap`). Returns the exit status, or -1 if
 * the command was killed by a signal (a crash). */
int test_run(const char *cmd, char *out, size_t cap);

/* A fresh folder under /tmp, removed by test_rmdir(). */
char *test_tmpdir(void);
void test_rmdir(const char *dir);

/* 1 when the two files exist and hold the same bytes. */
int test_files_identical(const char *a, const char *b);
/* 1 when the folder holds a file whose name contains ".tmp" (a half-written output). */
int test_dir_has_tmp(const char *dir);
/* Number of regular files in the folder (0 if it does not exist). */
int test_count_files(const char *dir);
/* Reads a whole file into a malloc'd string (NULL if it cannot). */
char *test_read_file(const char *path);

/* Central-difference gradient check, in double precision.
 *
 * `loss(ctx)` computes the loss from the parameters in `params` (which it
 * reads through ctx). For each of the n parameters, it nudges params[i] by
 * ±eps, recomputes the loss, and compares (L+ − L−)/2eps with analytic[i].
 * Returns the largest error |a − n| / max(1, |a| + |n|) ... see testutil.c.
 * Fails the current test (ck_assert) if every analytic gradient is zero: a
 * backward pass that forgot to write anything must not pass. */
double test_gradcheck(int n, double *params, const double *analytic,
                      double (*loss)(void *ctx), void *ctx, double eps);

/* n made-up MNIST-like images for the tests that need images but not the
 * files: 28×28, about a quarter of the pixels lit (1..255), the rest 0,
 * labels 0..9; free with mnist_free(). */
Mnist test_fake_mnist(int n, Rng *rng);

/* Largest |got − want| over n values, relative to the largest |want|; fails
 * the test when every `want` is zero (a tensor nobody wrote). */
double test_relative_error(const real *got, const real *want, size_t n);

/* Tests that need the MNIST files call this first: it returns 1 when they are
 * present, and otherwise prints "SKIP: <test>: ..." and returns 0. */
int test_have_mnist(const char *test_name);

/* Learning in motion: `script` (plots/…_animacion.gp) run by gnuplot on dir's
 * CSVs as the Makefile's draw macro runs it. The GIF it writes, dir/fig/gif,
 * must be a GIF89a under 5 MB with `frames` frames (gnuplot says how many),
 * drawn without a warning. Prints a "SKIP:" line without gnuplot. */
void test_check_animation(const char *script, const char *dir, const char *gif, int frames);

/* A CSV of numbers into rows (row-major, ncols a row, at most max_rows), an
 * empty cell as NaN, blank lines skipped (gnuplot's grid files have them);
 * checks that the header starts with header_start and that every row has
 * ncols cells. Returns the rows read. */
int test_read_number_csv(const char *path, const char *header_start, int ncols, double *rows,
                         int max_rows);

/* gnuplot draws `script` on dir's CSVs into dir/fig/png (fmt png, lang es)
 * without a word on its output (a warning fails the test); prints "SKIP:"
 * without gnuplot. */
void test_check_figure_draws(const char *script, const char *dir, const char *png);
/* The figure `stem` marks where diverged curves ended: drawn as SVG, it holds
 * n_marks labels "diverge" in `colour` (as gnuplot's SVG writes it, e.g.
 * "rgb(213,94,0)"), and none once dir/fin (the CSV of those ends) is gone. */
void test_check_ends_marked(const char *script, const char *dir, const char *stem,
                            const char *fin, const char *colour, int n_marks);

#endif
