/* weave.c — the weaver's command line.
 *
 *   weave page   --source chapters/NN-name/notebook.md --lang es|en
 *                --run out/NN-name --figures DIR --figure-link LINK
 *                [--extra KEY,RUNDIR,FIGDIR,FIGLINK ...] [--root-link ../../..] --out PAGE.md
 *   weave readme --source chapters/NN-name/notebook.md --page NN-name --out README.md
 *   weave check  PAGE.html ...
 *
 * `page` writes the Markdown pandoc turns into a notebook page; `readme` the
 * chapter's README; `check` reads rendered pages and prints one line per
 * problem (exit 1 when there was one). Run from the repository's root: the
 * code's paths are from there. */
#include "weave.h"
#include "out.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_usage(void)
{
    printf("Usage:\n"
           "  %s page --source NOTEBOOK.md --lang es|en --run OUTDIR --figures DIR\n"
           "          --figure-link LINK [--extra KEY,RUNDIR,FIGDIR,FIGLINK ...]\n"
           "          [--root-link ../../..] --out PAGE.md\n"
           "  %s readme --source NOTEBOOK.md --page NN-name --out README.md\n"
           "  %s check PAGE.html ...\n"
           "Weaves a chapter's notebook.md (prose in Spanish and English, code by name from\n"
           "the real source, the run's output and figures) into Markdown for pandoc, writes\n"
           "the chapter's README from it, or checks rendered pages. notebooks/README.md has\n"
           "the source's syntax.\n",
           progname(), progname(), progname());
}

static void write_atomically(const char *path, const Text *t)
{
    AtomicFile af;
    atomic_open(&af, path);
    fwrite(t->s, 1, t->len, af.f);
    atomic_commit(&af);
}

typedef struct {
    PageSpec spec;
    const char *out, *page;
} Args;

/* --extra KEY,RUNDIR,FIGDIR,FIGLINK: another run the page names by KEY. */
static void add_extra(PageSpec *spec, char *text)
{
    if (spec->n_extra == WEAVE_MAX_EXTRA)
        usage_error("--extra: at most %d runs", WEAVE_MAX_EXTRA);
    char *field[4];
    for (int i = 0; i < 4; i++) {
        field[i] = text;
        text = i < 3 ? strchr(text, ',') : NULL;
        if (i < 3 && !text)
            usage_error("--extra KEY,RUNDIR,FIGDIR,FIGLINK: four fields, not '%s'", field[0]);
        if (text)
            *text++ = '\0';
    }
    spec->extra[spec->n_extra++] = (ExtraRun){field[0], field[1], field[2], field[3]};
}

static void parse(int argc, char **argv, Args *a)
{
    static const struct option longopts[] = {
        {"source", required_argument, NULL, 's'},      {"lang", required_argument, NULL, 'l'},
        {"run", required_argument, NULL, 'r'},         {"figures", required_argument, NULL, 'f'},
        {"figure-link", required_argument, NULL, 'F'}, {"root-link", required_argument, NULL, 'R'},
        {"out", required_argument, NULL, 'o'},         {"page", required_argument, NULL, 'p'},
        {"extra", required_argument, NULL, 'x'},       {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    a->spec.root_link = "../../..";
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 's': a->spec.source_path = optarg; break;
        case 'l': a->spec.lang = optarg; break;
        case 'r': a->spec.run_dir = optarg; break;
        case 'f': a->spec.fig_dir = optarg; break;
        case 'F': a->spec.fig_link = optarg; break;
        case 'R': a->spec.root_link = optarg; break;
        case 'o': a->out = optarg; break;
        case 'p': a->page = optarg; break;
        case 'x': add_extra(&a->spec, optarg); break;
        case 'h': print_usage(); exit(0);
        default: usage_error("unknown option");
        }
    }
    if (!a->spec.source_path || !a->out)
        usage_error("--source and --out are needed");
}

static int run_page(Args *a)
{
    if (!a->spec.lang || !a->spec.fig_dir || !a->spec.fig_link)
        usage_error("page: --lang, --figures and --figure-link are needed");
    char err[WEAVE_ERR];
    Text md = {0};
    if (weave_page(&a->spec, &md, err))
        die("%s", err);
    write_atomically(a->out, &md);
    text_free(&md);
    return 0;
}

static int run_readme(Args *a)
{
    if (!a->page)
        usage_error("readme: --page NN-name is needed");
    char err[WEAVE_ERR];
    Text md = {0};
    if (weave_readme(a->spec.source_path, a->page, &md, err))
        die("%s", err);
    write_atomically(a->out, &md);
    text_free(&md);
    return 0;
}

static int run_check(int argc, char **argv)
{
    if (argc < 1)
        usage_error("check: name the pages to check");
    int problems = 0;
    for (int i = 0; i < argc; i++)
        problems += check_page(argv[i], stderr);
    if (problems)
        fprintf(stderr, "%s: %d problem%s in %d page%s\n", progname(), problems,
                problems == 1 ? "" : "s", argc, argc == 1 ? "" : "s");
    return problems ? 1 : 0;
}

int main(int argc, char **argv)
{
    set_progname(argv[0]);
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        print_usage();
        return argc < 2 ? 2 : 0;
    }
    const char *command = argv[1];
    if (strcmp(command, "check") == 0)
        return run_check(argc - 2, argv + 2);
    Args a = {0};
    parse(argc - 1, argv + 1, &a);
    if (strcmp(command, "page") == 0)
        return run_page(&a);
    if (strcmp(command, "readme") == 0)
        return run_readme(&a);
    usage_error("'%s': page, readme or check", command);
}
