/* weave.h — the weaver: pulls a chapter's prose, its real code, what its
 * run printed and the figures it drew into one Markdown page per language,
 * which pandoc turns into HTML (notebooks/README.md has the whole picture).
 *
 * The parts a test can call one by one. Each returns 0 on success and -1 on
 * failure with one line in err (WEAVE_ERR bytes) that says what is missing,
 * so that the program stops with that line and a test can read it. */
#ifndef WEAVE_H
#define WEAVE_H

#include <stddef.h>
#include <stdio.h>

#define WEAVE_ERR 512

/* A growing string. */
typedef struct {
    char *s;
    size_t len, cap;
} Text;

void text_add(Text *t, const char *s, size_t n);
void text_puts(Text *t, const char *s);
void text_printf(Text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void text_free(Text *t);

/* The whole file, NUL-terminated; NULL (and err) when it cannot be read. */
char *read_whole_file(const char *path, char err[WEAVE_ERR]);

/* ---- code, by name (weave_code.c) ---------------------------------------- */

/* Lines first..last (1-based, inclusive) of a source file are the code of
 * one name: a function's definition with the comment right above it, a
 * typedef'd struct or enum, a #define, or the lines between the markers
 * "notebook: NAME" and "end notebook: NAME" (markers left out, indentation
 * taken off). */
typedef struct {
    int first, last;  /* 1-based line numbers in the file */
    Text code;        /* the lines, each ending in '\n' */
} CodePiece;

int code_extract(const char *source, const char *name, CodePiece *piece, char err[WEAVE_ERR]);

/* ---- what the run printed (weave_output.c) -------------------------------- */

/* The block of the program's output under the header whose text starts with
 * header ("== 2.3 Estudio ... ==" or "-- 2.2.1 Forward pass --"), up to the
 * next header of the same or a higher level; from/to (NULL: not given) cut
 * it to the first line containing from, through the first line after it
 * containing to. An empty block is an error, like a missing header. */
int output_block(const char *output, const char *header, const char *from, const char *to,
                 Text *block, char err[WEAVE_ERR]);

/* ---- numbers from summary.json (weave_json.c) ----------------------------- */

/* The value at a dotted path ("gates.AND.w.0") written as format says:
 * NULL or "" the JSON text itself (strings unquoted), "pct" ×100 with two
 * decimals, "pct1" with one, or a printf conversion for a double ("%.4f"). */
int json_value(const char *json, const char *path, const char *format, Text *value,
               char err[WEAVE_ERR]);

/* ---- the page (weave_page.c) ---------------------------------------------- */

/* Another run a page shows beside the chapter's own (a study with other
 * flags, made for the notebook): the page names it by key, as in
 * {{semillas:seeds_mean|pct}}, @output semillas "HEADER", @figure semillas:NAME. */
typedef struct {
    const char *key;
    const char *run_dir, *fig_dir, *fig_link;  /* as the chapter's own, below */
} ExtraRun;

#define WEAVE_MAX_EXTRA 8

typedef struct {
    const char *source_path;  /* chapters/NN-name/notebook.md */
    const char *lang;         /* "es" or "en" */
    const char *run_dir;      /* out/NN-name: salida.txt, summary.json (NULL: none) */
    const char *fig_dir;      /* where the page's figures are (checked to exist) */
    const char *fig_link;     /* how the page links to fig_dir ("01-perceptron") */
    const char *root_link;    /* how the page links to the repository root ("../../..") */
    ExtraRun extra[WEAVE_MAX_EXTRA];
    int n_extra;
} PageSpec;

/* Weaves spec's source into Markdown for pandoc. */
int weave_page(const PageSpec *spec, Text *markdown, char err[WEAVE_ERR]);

/* The README of a chapter: its title and @readme block in English, a pointer
 * to the notebook pages and the list of its sections. */
int weave_readme(const char *source_path, const char *page_name, Text *markdown,
                 char err[WEAVE_ERR]);

/* ---- checks of a rendered page (weave_check.c) ---------------------------- */

/* Checks one HTML page written by pandoc from a woven page: every image and
 * link points at something that is there, no output block is empty, every
 * section has prose, every code block still names code its file has, and
 * every formula became MathML. Each problem is one line on report; returns
 * how many there were. */
int check_page(const char *html_path, FILE *report);

#endif
