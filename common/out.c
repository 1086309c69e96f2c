/* out.c — atomic output files, the list of files a run wrote, and CSV. */
#define _POSIX_C_SOURCE 200809L
#include "out.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Temporary files not yet committed: removed by an atexit handler, so that
 * die() in the middle of writing leaves nothing behind. */
#define MAX_OPEN_TMP 64
/* volatile: a signal handler may read the list while the program changes it
 * (one pointer at a time, so it sees each entry old or new, never torn) */
static char *volatile g_open_tmp[MAX_OPEN_TMP];
static int g_cleanup_registered;

static void remove_open_tmp(void)
{
    for (int i = 0; i < MAX_OPEN_TMP; i++) {
        if (g_open_tmp[i]) {
            unlink(g_open_tmp[i]);
            g_open_tmp[i] = NULL;
        }
    }
}

void out_remove_temps_now(void)
{
    for (int i = 0; i < MAX_OPEN_TMP; i++) {
        char *tmp = g_open_tmp[i];
        if (tmp)
            unlink(tmp);   /* async-signal-safe */
    }
}

static void track_tmp(char *tmp, int add)
{
    if (!g_cleanup_registered) {
        atexit(remove_open_tmp);
        g_cleanup_registered = 1;
    }
    for (int i = 0; i < MAX_OPEN_TMP; i++) {
        if (add && !g_open_tmp[i]) {
            g_open_tmp[i] = tmp;
            return;
        }
        if (!add && g_open_tmp[i] == tmp) {
            g_open_tmp[i] = NULL;
            return;
        }
    }
    if (add)
        die("internal error: more than %d output files open at once", MAX_OPEN_TMP);
}

static char **g_files;
static int g_nfiles;

static void remember_file(const char *path)
{
    for (int i = 0; i < g_nfiles; i++)
        if (strcmp(g_files[i], path) == 0)
            return;
    g_files = xrealloc(g_files, (size_t)(g_nfiles + 1) * sizeof *g_files);
    g_files[g_nfiles++] = xstrdup(path);
}

int out_file_count(void) { return g_nfiles; }
const char *out_file(int i) { return g_files[i]; }

/* The rename is an entry of the folder: fsync the folder so that it, too,
 * is on the disk. A folder that cannot be opened or synced (some file
 * systems refuse) costs only that guarantee, not the file. */
static void sync_folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
    int fd = open(dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

void atomic_open(AtomicFile *af, const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    size_t n = strlen(path) + 32;
    af->path = xstrdup(path);
    af->tmp = xmalloc(n);
    snprintf(af->tmp, n, "%.*s.%s.tmp.%ld", (int)dirlen, path,
             path + dirlen, (long)getpid());
    af->f = fopen(af->tmp, "wb");
    if (!af->f)
        die("cannot write '%s': %s", path, strerror(errno));
    track_tmp(af->tmp, 1);
}

static void commit(AtomicFile *af, int durable)
{
    int failed = ferror(af->f) || fflush(af->f) != 0;
    if (durable && !failed && fsync(fileno(af->f)) != 0)
        failed = 1;
    if (fclose(af->f) != 0)
        failed = 1;
    af->f = NULL;
    if (failed)
        die("error while writing '%s' (disk full?)", af->path);
    if (rename(af->tmp, af->path) != 0)
        die("cannot rename '%s' to '%s': %s", af->tmp, af->path, strerror(errno));
    if (durable)
        sync_folder_of(af->path);
    track_tmp(af->tmp, 0);
    remember_file(af->path);
    free(af->tmp);
    free(af->path);
    af->tmp = af->path = NULL;
}

void atomic_commit(AtomicFile *af) { commit(af, 0); }
void atomic_commit_durable(AtomicFile *af) { commit(af, 1); }

void atomic_abort(AtomicFile *af)
{
    if (af->f)
        fclose(af->f);
    unlink(af->tmp);
    track_tmp(af->tmp, 0);
    free(af->tmp);
    free(af->path);
    af->f = NULL;
    af->tmp = af->path = NULL;
}

void out_prepare_dir(const char *dir)
{
    make_dirs(dir);
    AtomicFile probe;
    atomic_open(&probe, out_path(dir, "write-probe"));
    atomic_abort(&probe);
}

const char *out_path(const char *dir, const char *name)
{
    static char ring[8][4096];
    static int next;
    char *buf = ring[next];
    next = (next + 1) % 8;
    int n = snprintf(buf, sizeof ring[0], "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof ring[0])
        die("output path too long: '%s/%s'", dir, name);
    return buf;
}

/* --- CSV --------------------------------------------------------------- */

void csv_open(Csv *c, const char *path, const char *header)
{
    atomic_open(&c->af, path);
    c->ncols = 1;
    for (const char *p = header; *p; p++)
        c->ncols += (*p == ',');
    fprintf(c->af.f, "%s\n", header);
}

void csv_row(Csv *c, int n, const double *values)
{
    if (n != c->ncols)
        die("internal error: %d values for %d columns in '%s'", n, c->ncols, c->af.path);
    for (int i = 0; i < n; i++)
        fprintf(c->af.f, i ? ",%.9g" : "%.9g", values[i]);
    fputc('\n', c->af.f);
}

void csv_row_gaps(Csv *c, int n, const double *values)
{
    if (n != c->ncols)
        die("internal error: %d values for %d columns in '%s'", n, c->ncols, c->af.path);
    for (int i = 0; i < n; i++) {
        if (i)
            fputc(',', c->af.f);
        if (isfinite(values[i]))
            fprintf(c->af.f, "%.9g", values[i]);
    }
    fputc('\n', c->af.f);
}

void csv_printf(Csv *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(c->af.f, fmt, ap);
    va_end(ap);
}

void out_report(const char *kind, const char *path)
{
    printf("  %-7s %s\n", kind, path);
}

void atomic_commit_and_report(AtomicFile *af, const char *kind)
{
    char *path = xstrdup(af->path);
    atomic_commit(af);
    out_report(kind, path);
    free(path);
}

void csv_close(Csv *c) { atomic_commit_and_report(&c->af, "csv"); }
