/* testutil.c — see testutil.h. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *test_bin(const char *name)
{
    static char buf[4][512];
    static int next;
    const char *variant = getenv("NN_VARIANT"), *build = getenv("NN_BUILD");
    if (!variant || !*variant)
        variant = "rel";
    if (!build || !*build)
        build = "build";
    char *out = buf[next];
    next = (next + 1) % 4;
    snprintf(out, sizeof buf[0], "%s/%s/bin/%s", build, variant, name);
    return out;
}

int test_run(const char *cmd, char *out, size_t cap)
{
    char full[8192];
    snprintf(full, sizeof full, "( %s ) 2>&1", cmd);
    FILE *p = popen(full, "r");
    ck_assert_msg(p != NULL, "cannot run: %s", cmd);
    size_t used = 0;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, p)) > 0) {
        if (out && used + 1 < cap) {
            size_t take = got < cap - 1 - used ? got : cap - 1 - used;
            memcpy(out + used, chunk, take);
            used += take;
        }
    }
    if (out && cap)
        out[used] = '\0';
    int status = pclose(p);
    if (WIFEXITED(status)) {
        int code = WEXITSTATUS(status);
        /* The shell reports a child killed by signal N as 128 + N. */
        return code > 128 && code < 160 ? -1 : code;
    }
    return -1;
}

char *test_tmpdir(void)
{
    char *tmpl = strdup("/tmp/nntest.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    return tmpl;
}

void test_rmdir(const char *dir)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "warning: could not remove %s\n", dir);
}

char *test_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *text = malloc((size_t)n + 1);
    size_t got = fread(text, 1, (size_t)n, f);
    text[got] = '\0';
    fclose(f);
    return text;
}

int test_files_identical(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        int ca = fgetc(fa), cb = fgetc(fb);
        if (ca != cb)
            same = 0;
        if (ca == EOF || cb == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

int test_dir_has_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int found = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strstr(e->d_name, ".tmp"))
            found = 1;
    closedir(d);
    return found;
}

int test_count_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            n++;
    }
    closedir(d);
    return n;
}

/* The error measure is relative where the gradients are large and absolute
 * where they are small, so a true gradient of 1e-9 does not fail on noise:
 *     err = |analytic − numeric| / max(1, |analytic| + |numeric|). */
double test_gradcheck(int n, double *params, const double *analytic,
                      double (*loss)(void *ctx), void *ctx, double eps)
{
    double worst = 0, largest = 0;
    for (int i = 0; i < n; i++) {
        double saved = params[i];
        params[i] = saved + eps;
        double plus = loss(ctx);
        params[i] = saved - eps;
        double minus = loss(ctx);
        params[i] = saved;
        double numeric = (plus - minus) / (2 * eps);
        double scale = fabs(analytic[i]) + fabs(numeric);
        double err = fabs(analytic[i] - numeric) / (scale > 1 ? scale : 1);
        if (err > worst)
            worst = err;
        if (fabs(analytic[i]) > largest)
            largest = fabs(analytic[i]);
    }
    ck_assert_msg(largest > 0, "every analytic gradient is zero: the backward pass wrote nothing");
    return worst;
}

Mnist test_fake_mnist(int n, Rng *rng)
{
    Mnist m = {n, 28, 28, malloc((size_t)n * 784 + 1), malloc((size_t)n + 1)};
    for (size_t i = 0; i < (size_t)n * 784; i++)
        m.pixels[i] = rng_uniform(rng) < 0.25 ? (unsigned char)(1 + rng_below(rng, 255)) : 0;
    for (int i = 0; i < n; i++)
        m.labels[i] = (unsigned char)rng_below(rng, 10);
    return m;
}

double test_relative_error(const real *got, const real *want, size_t n)
{
    double largest = 0, worst = 0;
    for (size_t i = 0; i < n; i++) {
        double err = fabs((double)got[i] - (double)want[i]);
        largest = fabs((double)want[i]) > largest ? fabs((double)want[i]) : largest;
        worst = err > worst ? err : worst;
    }
    ck_assert_msg(largest > 0, "a tensor is all zeros: nothing was written");
    return worst / largest;
}

int test_have_mnist(const char *test_name)
{
    const char *dir = getenv("MNIST_DATA");
    if (!dir || !*dir)
        dir = "datasets/mnist";
    char path[1024];
    snprintf(path, sizeof path, "%s/train-images-idx3-ubyte", dir);
    if (access(path, R_OK) == 0)
        return 1;
    printf("SKIP: %s: the MNIST files are not in %s (run 'make data')\n", test_name, dir);
    return 0;
}

void test_check_animation(const char *script, const char *dir, const char *gif, int frames)
{
    static char said[4096];
    if (test_run("command -v gnuplot", said, sizeof said) != 0) {
        printf("SKIP: %s: gnuplot is not installed\n", script);
        return;
    }
    char cmd[2048], path[1200], want[64];
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/fig && LC_ALL=C.UTF-8 gnuplot -e \"datadir='%s'; outdir='%s/fig'; "
             "fmt='png'; lang='es'\" %s", dir, dir, dir, script);
    int rc = test_run(cmd, said, sizeof said);
    ck_assert_msg(rc == 0, "%s exited %d:\n%s", script, rc, said);
    snprintf(want, sizeof want, "%d frames in animation sequence", frames);
    ck_assert_msg(strstr(said, want) != NULL, "%s: expected '%s' in:\n%s", script, want, said);
    ck_assert_msg(strstr(said, "arning") == NULL, "%s warned:\n%s", script, said);
    snprintf(path, sizeof path, "%s/fig/%s", dir, gif);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s was not drawn", path);
    char magic[6] = {0};
    size_t got = fread(magic, 1, 6, f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    ck_assert_msg(got == 6 && memcmp(magic, "GIF89a", 6) == 0, "%s is not a GIF89a", path);
    ck_assert_msg(size > 0 && size < 5L * 1024 * 1024, "%s: %ld bytes", path, size);
}

int test_read_number_csv(const char *path, const char *header_start, int ncols, double *rows,
                         int max_rows)
{
    char *text = test_read_file(path);
    ck_assert_msg(text != NULL, "%s was not written", path);
    ck_assert_msg(strncmp(text, header_start, strlen(header_start)) == 0, "%s: header %.60s",
                  path, text);
    char *line = strchr(text, '\n');
    int n = 0;
    while (line && line[1]) {
        line++;
        if (*line == '\n')
            continue;   /* a blank line: gnuplot's grid format (superficie_decision.csv) */
        ck_assert_msg(n < max_rows, "%s: more than %d rows", path, max_rows);
        char *p = line;
        for (int c = 0; c < ncols; c++) {
            char *end = p;
            double v = NAN;
            if (*p != ',' && *p != '\n' && *p != '\0')   /* (strtod would skip a newline) */
                v = strtod(p, &end);
            rows[(size_t)n * ncols + c] = v;
            p = end;
            if (c < ncols - 1) {
                ck_assert_msg(*p == ',', "%s: row %d has %d cells, not %d", path, n + 1, c + 1,
                              ncols);
                p++;
            }
        }
        ck_assert_msg(*p == '\n' || *p == '\0', "%s: row %d has more than %d cells", path, n + 1,
                      ncols);
        n++;
        line = strchr(line, '\n');
    }
    free(text);
    return n;
}

/* --- figures ------------------------------------------------------------- */

/* gnuplot draws `script` from dir's CSVs into dir/fig without a word on
 * stderr or stdout (no "empty plot", no warning); the PNG is there. */
void test_check_figure_draws(const char *script, const char *dir, const char *png)
{
    static char said[8192];
    if (test_run("command -v gnuplot", said, sizeof said) != 0) {
        printf("SKIP: %s: gnuplot is not installed\n", script);
        return;
    }
    char cmd[2048], path[1200];
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/fig && LC_ALL=C.UTF-8 gnuplot -e \"datadir='%s'; outdir='%s/fig'; "
             "fmt='png'; lang='es'\" %s", dir, dir, dir, script);
    int rc = test_run(cmd, said, sizeof said);
    ck_assert_msg(rc == 0 && said[0] == '\0', "%s on %s exited %d saying:\n%.600s", script, dir, rc,
                  said);
    snprintf(path, sizeof path, "%s/fig/%s", dir, png);
    ck_assert_msg(access(path, F_OK) == 0, "%s was not drawn", path);
}

/* The figure marks the ends of the diverged curves: drawn as SVG (text), it
 * holds `n_marks` labels "diverge", each in the diverged curve's colour
 * (`colour`, as gnuplot's SVG writes it: "rgb(213,94,0)" is line type 2);
 * drawn without `fin` (the CSV of those ends), none. The PNG draws without a
 * warning (test_check_figure_draws). */
static int count_marks(const char *svg_path, const char *colour)
{
    char *svg = test_read_file(svg_path);
    ck_assert_msg(svg != NULL, "%s was not drawn", svg_path);
    char last_place[128] = "";
    int marks = 0;
    for (char *at = strstr(svg, ">diverge</tspan>"); at; at = strstr(at + 1, ">diverge</tspan>")) {
        /* The <g ...> the text sits in: its position and its colour. A boxed
         * label is written twice in the same place: one mark. */
        char *g = at;
        while (g > svg && strncmp(g, "<g transform=", 13) != 0)
            g--;
        char group[512];
        snprintf(group, sizeof group, "%.*s", (int)strcspn(g, ">"), g);
        char want[64];
        snprintf(want, sizeof want, "fill=\"%s\"", colour);
        ck_assert_msg(strstr(group, want) != NULL, "%s: a mark not in %s: %s", svg_path, colour,
                      group);
        char place[128];   /* translate(x,y) */
        snprintf(place, sizeof place, "%.*s", (int)strcspn(group + 14, "\""), group + 14);
        if (strcmp(place, last_place) != 0)
            marks++;
        snprintf(last_place, sizeof last_place, "%s", place);
    }
    free(svg);
    return marks;
}

void test_check_ends_marked(const char *script, const char *dir, const char *stem,
                              const char *fin, const char *colour, int n_marks)
{
    char png[256], path[1200], hidden[1300];
    snprintf(png, sizeof png, "%s.png", stem);
    test_check_figure_draws(script, dir, png);
    snprintf(path, sizeof path, "%s/fig/%s", dir, png);
    if (access(path, F_OK) != 0)
        return;   /* no gnuplot: skipped above */
    char cmd[2048], said[4096], svg[1200];
    snprintf(cmd, sizeof cmd, "LC_ALL=C.UTF-8 gnuplot -e \"datadir='%s'; outdir='%s/fig'; "
             "fmt='svg'; lang='es'\" %s", dir, dir, script);
    snprintf(svg, sizeof svg, "%s/fig/%s.svg", dir, stem);
    ck_assert_int_eq(test_run(cmd, said, sizeof said), 0);
    ck_assert_int_eq(count_marks(svg, colour), n_marks);
    snprintf(path, sizeof path, "%s/%s", dir, fin);
    snprintf(hidden, sizeof hidden, "%s.hidden", path);
    ck_assert_int_eq(rename(path, hidden), 0);
    ck_assert_int_eq(test_run(cmd, said, sizeof said), 0);
    ck_assert_int_eq(rename(hidden, path), 0);
    ck_assert_int_eq(count_marks(svg, colour), 0);
    unlink(svg);
}
