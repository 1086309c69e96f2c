/* summary_files.c — brings the "files" list of a run's summary.json up to
 * date after gnuplot has drawn the figures.
 *
 *     summary-files out/02-xor-mlp
 *
 * The chapter program writes summary.json with "files" as its last key
 * (json_files() in json.c); this tool replaces that list with every file now
 * under the run's folder, sorted, so the list includes the figures. Paths are
 * written as they are reached from the folder given (relative to the
 * repository root when run from there, as the Makefile does). */
#define _POSIX_C_SOURCE 200809L
#include "out.h"
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char **g_paths;
static int g_npaths;

static void collect(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        die("cannot read folder '%s'", dir);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue; /* ".", "..", and temporary files still being written */
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            collect(path);
        } else {
            g_paths = xrealloc(g_paths, (size_t)(g_npaths + 1) * sizeof *g_paths);
            g_paths[g_npaths++] = xstrdup(path);
        }
    }
    closedir(d);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot read '%s' (run the chapter first)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *text = xmalloc((size_t)n + 1);
    if (fread(text, 1, (size_t)n, f) != (size_t)n)
        die("cannot read '%s'", path);
    text[n] = '\0';
    fclose(f);
    return text;
}

int main(int argc, char **argv)
{
    set_progname(argv[0]);
    if (argc != 2)
        usage_error("usage: summary-files RUN_FOLDER");
    const char *dir = argv[1];
    const char *summary = out_path(dir, "summary.json");
    char *text = read_all(summary);

    /* "files" is the last key: keep everything before it. */
    char *files = strstr(text, "\n  \"files\": [");
    if (!files)
        die("'%s' has no \"files\" list as its last key", summary);

    collect(dir);
    qsort(g_paths, (size_t)g_npaths, sizeof *g_paths, by_name);

    AtomicFile af;
    atomic_open(&af, summary);
    fwrite(text, 1, (size_t)(files - text), af.f);
    fputs("\n  \"files\": [", af.f);
    for (int i = 0; i < g_npaths; i++)
        fprintf(af.f, "%s\n    \"%s\"", i ? "," : "", g_paths[i]);
    fputs("\n  ]\n}\n", af.f);
    atomic_commit(&af);
    return 0;
}
