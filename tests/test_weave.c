/* test_weave.c — the weaver (notebooks/) and the woven pages.
 *
 * The parts on small inputs first: code by name, the run's output by
 * header, values from summary.json, a whole page from a little notebook.
 * Then the page checks, each shown to catch what it is for on a page made
 * broken on purpose. Then the real thing: every page `make notebooks`
 * wove passes the checks, each chapter's README is what the weave writes,
 * and every page opens in headless Chromium with no console error. */
#include "testutil.h"
#include "weave.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *tmp;

static void setup(void)
{
    tmp = test_tmpdir();
}

static void teardown(void)
{
    test_rmdir(tmp);
    free(tmp);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static const char *SOURCE =
    "#include <stdio.h>\n"
    "\n"
    "int twice(int x);\n"
    "\n"
    "/* A prototype above, the definition here: the definition is what counts. */\n"
    "typedef struct {\n"
    "    int w, b;\n"
    "} Neuron;\n"
    "\n"
    "#define STEP(z) ((z) > 0 ? 1 : 0)\n"
    "\n"
    "/* twice(x): 2x.\n"
    " * A comment of two lines. */\n"
    "int twice(int x)\n"
    "{\n"
    "    return 2 * x;   /* twice(x) is called like this, too */\n"
    "}\n"
    "\n"
    "static int\n"
    "thrice(int x)\n"
    "{\n"
    "    int y = twice(x);\n"
    "    /* notebook: add-one */\n"
    "    y = y + x;\n"
    "    y = y + 0;\n"
    "    /* end notebook: add-one */\n"
    "    return y;\n"
    "}\n"
    "\n"
    "static long long_name(const Neuron *n,\n"
    "                      int x)\n"
    "{\n"
    "    return n->w * x + n->b;\n"
    "}\n"
    "\n"
    "/* step(z): one line. */\n"
    "double step(double z) { return z > 0 ? 1 : 0; }\n";

/* ---- code by name ----------------------------------------------------------- */

START_TEST(test_code_function_with_its_comment)
{
    CodePiece p = {0};
    char err[WEAVE_ERR];
    ck_assert_int_eq(code_extract(SOURCE, "twice", &p, err), 0);
    ck_assert_int_eq(p.first, 12);
    ck_assert_int_eq(p.last, 17);
    ck_assert_str_eq(p.code.s, "/* twice(x): 2x.\n * A comment of two lines. */\nint twice(int x)\n"
                               "{\n    return 2 * x;   /* twice(x) is called like this, too */\n}\n");
    text_free(&p.code);
}
END_TEST

START_TEST(test_code_type_on_the_line_above)
{
    CodePiece p = {0};
    char err[WEAVE_ERR];
    ck_assert_int_eq(code_extract(SOURCE, "thrice", &p, err), 0);
    ck_assert_int_eq(p.first, 19);
    ck_assert_int_eq(p.last, 28);
    ck_assert_ptr_nonnull(strstr(p.code.s, "static int\nthrice(int x)\n{"));
    text_free(&p.code);
    ck_assert_int_eq(code_extract(SOURCE, "long_name", &p, err), 0);
    ck_assert_int_eq(p.first, 30);
    ck_assert_int_eq(p.last, 34);
    text_free(&p.code);
    /* a definition on one line */
    ck_assert_int_eq(code_extract(SOURCE, "step", &p, err), 0);
    ck_assert_str_eq(p.code.s, "/* step(z): one line. */\ndouble step(double z) { return z > 0 ? 1 : 0; }\n");
    text_free(&p.code);
}
END_TEST

START_TEST(test_code_typedef_define_and_region)
{
    CodePiece p = {0};
    char err[WEAVE_ERR];
    ck_assert_int_eq(code_extract(SOURCE, "Neuron", &p, err), 0);
    ck_assert_str_eq(p.code.s, "/* A prototype above, the definition here: the definition is what "
                               "counts. */\ntypedef struct {\n    int w, b;\n} Neuron;\n");
    text_free(&p.code);
    ck_assert_int_eq(code_extract(SOURCE, "STEP", &p, err), 0);
    ck_assert_str_eq(p.code.s, "#define STEP(z) ((z) > 0 ? 1 : 0)\n");
    text_free(&p.code);
    /* a region: markers left out, its indentation taken off */
    ck_assert_int_eq(code_extract(SOURCE, "add-one", &p, err), 0);
    ck_assert_str_eq(p.code.s, "y = y + x;\ny = y + 0;\n");
    ck_assert_int_eq(p.first, 24);
    text_free(&p.code);
}
END_TEST

START_TEST(test_code_missing_name_fails)
{
    CodePiece p = {0};
    char err[WEAVE_ERR];
    ck_assert_int_eq(code_extract(SOURCE, "twice_more", &p, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "'twice_more'"));
    /* a call or a prototype is not a definition */
    ck_assert_int_eq(code_extract("int f(void);\nint g(void)\n{\n    return f();\n}\n", "f", &p, err), -1);
    /* a region that never ends */
    ck_assert_int_eq(code_extract("/* notebook: r */\nx;\n", "r", &p, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "end notebook: r"));
}
END_TEST

/* ---- the run's output, by header ------------------------------------------- */

static const char *OUTPUT =
    "== 2. Redes multicapa ==\n"
    "XOR\n"
    "\n"
    "== 2.2 Representación matricial ==\n"
    "W1 (2, 2) =\n"
    "-- 2.2.1 Forward pass --\n"
    "Z1 = X·W1\n"
    "A1 = σ(Z1)\n"
    "-- 2.2.2 Backpropagation --\n"
    "error = y − A2\n"
    "\n"
    "== 2.3 Estudio: 5000 épocas ==\n"
    "η = 0.5:\n"
    "Época 1 - Error: 0.2495\n"
    "Época 500 - Error: 0.1714\n"
    "Época 1000 - Error: 0.1359\n"
    "== vacío ==\n"
    "\n"
    "== 3 fin ==\n"
    "x\n";

static char *block_of(const char *header, const char *from, const char *to, int *status)
{
    Text t = {0};
    char err[WEAVE_ERR];
    *status = output_block(OUTPUT, header, from, to, &t, err);
    return *status ? strdup(err) : t.s;
}

START_TEST(test_output_blocks)
{
    int status;
    char *b = block_of("2.2 Repre", NULL, NULL, &status);
    ck_assert_int_eq(status, 0);
    /* an == block holds its -- blocks, and stops at the next == */
    ck_assert_str_eq(b, "W1 (2, 2) =\n-- 2.2.1 Forward pass --\nZ1 = X·W1\nA1 = σ(Z1)\n"
                        "-- 2.2.2 Backpropagation --\nerror = y − A2\n");
    free(b);
    b = block_of("2.2.1", NULL, NULL, &status);
    ck_assert_str_eq(b, "Z1 = X·W1\nA1 = σ(Z1)\n");
    free(b);
    /* a header that holds this run's settings is named by its start */
    b = block_of("2.3 Estudio", "Época 500", "Época 1000", &status);
    ck_assert_int_eq(status, 0);
    ck_assert_str_eq(b, "Época 500 - Error: 0.1714\nÉpoca 1000 - Error: 0.1359\n");
    free(b);
    b = block_of("2.3 Estudio", NULL, "Época 1 ", &status);
    ck_assert_str_eq(b, "η = 0.5:\nÉpoca 1 - Error: 0.2495\n");
    free(b);
}
END_TEST

START_TEST(test_output_missing_or_empty_fails)
{
    int status;
    char *e = block_of("2.4", NULL, NULL, &status);
    ck_assert_int_eq(status, -1);
    ck_assert_ptr_nonnull(strstr(e, "no header starting \"2.4\""));
    free(e);
    e = block_of("vacío", NULL, NULL, &status);
    ck_assert_int_eq(status, -1);
    ck_assert_ptr_nonnull(strstr(e, "empty"));
    free(e);
    e = block_of("2.3", "Época 7", NULL, &status);
    ck_assert_int_eq(status, -1);
    free(e);
}
END_TEST

/* ---- values from summary.json ---------------------------------------------- */

static const char *JSON =
    "{\n  \"chapter\": \"02-xor-mlp\",\n  \"settings\": {\"lr\": [0.1, 0.5, 2], \"epochs\": 5000},\n"
    "  \"test_accuracy\": 0.971234,\n  \"gates\": {\"AND\": {\"learned\": true, \"w\": [0.0867, -1e-3]}},\n"
    "  \"note\": \"a \\\"quoted\\\" word\"\n}\n";

static char *value_of(const char *path, const char *format)
{
    Text t = {0};
    char err[WEAVE_ERR];
    if (json_value(JSON, path, format, &t, err))
        return strdup(err);
    return t.s;
}

START_TEST(test_json_values)
{
    const struct { const char *path, *format, *want; } cases[] = {
        {"chapter", NULL, "02-xor-mlp"},
        {"settings.lr.1", NULL, "0.5"},
        {"settings.epochs", "%.0f", "5000"},
        {"test_accuracy", "pct", "97.12"},
        {"test_accuracy", "pct1", "97.1"},
        {"test_accuracy", "%.3f", "0.971"},
        {"gates.AND.learned", NULL, "true"},
        {"gates.AND.w.1", "%g", "-0.001"},
        {"note", NULL, "a \"quoted\" word"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *v = value_of(cases[i].path, cases[i].format);
        ck_assert_msg(strcmp(v, cases[i].want) == 0, "%s: '%s', not '%s'", cases[i].path, v,
                      cases[i].want);
        free(v);
    }
}
END_TEST

START_TEST(test_json_refusals)
{
    /* a damaged summary.json: an error, never a read past its end */
    const char *damaged[] = {"{\"a\": [1, 2", "{\"a\": {\"b\": \"x", "{\"a\" 1}", "", "[1, {]"};
    for (size_t i = 0; i < sizeof damaged / sizeof *damaged; i++) {
        Text t = {0};
        char err[WEAVE_ERR];
        ck_assert_int_eq(json_value(damaged[i], "a.c", NULL, &t, err), -1);
        ck_assert_int_eq(json_value(damaged[i], "a.5", NULL, &t, err), -1);
        text_free(&t);
    }
    const struct { const char *path, *format, *says; } cases[] = {
        {"settings.momentum", NULL, "no \"settings.momentum\""},
        {"settings.lr.7", NULL, "no \"settings.lr.7\""},
        {"settings", NULL, "not one value"},
        {"chapter", "%.2f", "is text"},
        {"test_accuracy", "%s", "use pct"},
        {"test_accuracy", "%.2f%n", "use pct"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        Text t = {0};
        char err[WEAVE_ERR];
        ck_assert_int_eq(json_value(JSON, cases[i].path, cases[i].format, &t, err), -1);
        ck_assert_msg(strstr(err, cases[i].says), "%s: '%s'", cases[i].path, err);
        text_free(&t);
    }
}
END_TEST

/* ---- a whole page from a little notebook ------------------------------------ */

static const char *NOTEBOOK =
    "@es\n# Capítulo 9 — Prueba\n\nLa red dobla: $y = 2x$, «$z$» y $a$·b, exactitud {{test_accuracy|pct}} %.\n"
    "@end\n@en\n# Chapter 9 — Test\n\nThe network doubles: $y = 2x$, accuracy {{test_accuracy|pct}} %.\n"
    "@end\n\n@code src.c twice\n\n@output \"2.2.1 Forward\"\n\n@figure fig1 | una figura | a figure\n"
    "@readme\nA chapter for tests.\n@end\n@en\n## 9.1 Doubling\n\nProse.\n@end\n@es\n## 9.1 Doblar\n\nProsa.\n@end\n";

/* A chapter folder in tmp: notebook.md (text), src.c, a run and a figure. */
static void make_chapter(const char *notebook)
{
    write_file(tmp, "notebook.md", notebook);
    write_file(tmp, "src.c", SOURCE);
    write_file(tmp, "salida.txt", OUTPUT);
    write_file(tmp, "summary.json", JSON);
    write_file(tmp, ".ajustes", "build/rel/bin/ch9 --out out/09\n");
    write_file(tmp, "fig1.png", "not really a PNG: the weaver only looks for the file\n");
}

static int weave_tmp(const char *lang, Text *md, char err[WEAVE_ERR])
{
    char source[4096];
    snprintf(source, sizeof source, "%s/notebook.md", tmp);
    /* the code's paths are from the working folder: src.c is in tmp */
    char cwd[4096];
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    ck_assert_int_eq(chdir(tmp), 0);
    PageSpec spec = {.source_path = source, .lang = lang, .run_dir = ".", .fig_dir = ".",
                     .fig_link = "figs", .root_link = "../.."};
    int status = weave_page(&spec, md, err);
    ck_assert_int_eq(chdir(cwd), 0);
    return status;
}

START_TEST(test_page_weaves_both_editions)
{
    make_chapter(NOTEBOOK);
    Text es = {0}, en = {0};
    char err[WEAVE_ERR];
    ck_assert_msg(weave_tmp("es", &es, err) == 0, "%s", err);
    ck_assert_msg(weave_tmp("en", &en, err) == 0, "%s", err);
    /* the title becomes pandoc's title, the run's command comes under it */
    ck_assert_ptr_nonnull(strstr(es.s, "title: \"Capítulo 9 — Prueba\""));
    ck_assert_ptr_nonnull(strstr(es.s, "`build/rel/bin/ch9 --out out/09`"));
    ck_assert_ptr_null(strstr(es.s, "Chapter 9"));
    ck_assert_ptr_null(strstr(en.s, "Capítulo"));
    ck_assert_ptr_nonnull(strstr(es.s, "exactitud 97.12 %"));
    /* a formula keeps its comma on its line */
    ck_assert_ptr_nonnull(strstr(es.s, "La red dobla: [$y = 2x$,]{.nw} [«$z$»]{.nw} y $a$·b, exactitud"));
    ck_assert_ptr_nonnull(strstr(en.s, "doubles: [$y = 2x$,]{.nw} accuracy"));
    ck_assert_ptr_nonnull(strstr(en.s, "accuracy 97.12 %"));
    /* the code, with its file, name and lines; the output; the figure */
    ck_assert_ptr_nonnull(strstr(es.s, "data-file=\"src.c\" data-name=\"twice\""));
    ck_assert_ptr_nonnull(strstr(es.s, "líneas 12–17"));
    ck_assert_ptr_nonnull(strstr(en.s, "lines 12–17"));
    ck_assert_ptr_nonnull(strstr(es.s, "return 2 * x;"));
    ck_assert_ptr_nonnull(strstr(es.s, "```{.salida}\nZ1 = X·W1\nA1 = σ(Z1)\n```"));
    ck_assert_ptr_nonnull(strstr(es.s, "![una figura](figs/fig1.png)"));
    ck_assert_ptr_nonnull(strstr(en.s, "![a figure](figs/fig1.png)"));
    /* the README block goes to neither page */
    ck_assert_ptr_null(strstr(es.s, "A chapter for tests"));
    text_free(&es);
    text_free(&en);
}
END_TEST

/* Another run beside the chapter's own (a study the notebook makes): named
 * by its key in values, outputs, figures and its command line. */
START_TEST(test_page_with_another_run)
{
    make_chapter("@es\n# Capítulo 9\n\nPropia {{test_accuracy|pct}}, otra {{otra:test_accuracy|pct}}.\n"
                 "@end\n@en\n# Chapter 9\n\nProse.\n@end\n"
                 "@command otra\n@output otra \"2.2.1 Forward\" to \"Z1\"\n"
                 "@figure otra:fig9 | otra figura | another figure\n");
    char other[4096];
    snprintf(other, sizeof other, "%s/otra", tmp);
    ck_assert_int_eq(mkdir(other, 0755), 0);
    write_file(other, "summary.json", "{\"test_accuracy\": 0.5}");
    write_file(other, "salida.txt", "-- 2.2.1 Forward pass --\nZ1 otra\n");
    write_file(other, ".ajustes", "build/rel/bin/ch9 --seeds 1-3\n");
    write_file(other, "fig9.gif", "GIF89a");
    char source[4096], cwd[4096], err[WEAVE_ERR];
    snprintf(source, sizeof source, "%s/notebook.md", tmp);
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    ck_assert_int_eq(chdir(tmp), 0);
    PageSpec spec = {.source_path = source, .lang = "es", .run_dir = ".", .fig_dir = ".",
                     .fig_link = "figs", .root_link = "../..", .n_extra = 1,
                     .extra = {{"otra", "otra", "otra", "figs-otra"}}};
    Text md = {0};
    int status = weave_page(&spec, &md, err);
    ck_assert_int_eq(chdir(cwd), 0);
    ck_assert_msg(status == 0, "%s", err);
    ck_assert_ptr_nonnull(strstr(md.s, "Propia 97.12, otra 50.00."));
    ck_assert_ptr_nonnull(strstr(md.s, "Ejecución: `build/rel/bin/ch9 --seeds 1-3`"));
    ck_assert_ptr_nonnull(strstr(md.s, "```{.salida}\nZ1 otra\n```"));
    ck_assert_ptr_nonnull(strstr(md.s, "href=\"../../otra/salida.txt\""));
    ck_assert_ptr_nonnull(strstr(md.s, "![otra figura](figs-otra/fig9.gif)"));
    text_free(&md);
    /* a key the page was not given */
    make_chapter("@es\n# C\n\n{{nadie:x}}\n@end\n@en\n# C\n@end\n");
    ck_assert_int_eq(weave_tmp("es", &md, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "no run called 'nadie'"));
    text_free(&md);
}
END_TEST

/* Each way a notebook can go stale or wrong stops the weave with a line
 * that names the file, the line and the problem. */
START_TEST(test_page_refusals)
{
    const struct { const char *from, *to, *says; } cases[] = {
        {"@code src.c twice", "@code src.c twice_renamed", "notebook.md:12: no function"},
        {"@code src.c twice", "@code nosuch.c twice", "cannot read nosuch.c"},
        {"@output \"2.2.1 Forward\"", "@output \"2.9 Otra\"", "no header starting \"2.9 Otra\""},
        {"@figure fig1 |", "@figure fig2 |", "no figure ./fig2.png"},
        {"{{test_accuracy|pct}} %.\n@end\n@en", "{{test_acc|pct}} %.\n@end\n@en", "no \"test_acc\""},
        {"@code src.c twice", "@cod src.c twice", "unknown directive @cod"},
        {"# Capítulo 9 — Prueba\n", "", "exactly one '# ' title"},
        {"Prosa.\n@end\n", "Prosa.\n", "has no @end"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *at = strstr(NOTEBOOK, cases[i].from);
        ck_assert_ptr_nonnull(at);
        char broken[4096];
        snprintf(broken, sizeof broken, "%.*s%s%s", (int)(at - NOTEBOOK), NOTEBOOK, cases[i].to,
                 at + strlen(cases[i].from));
        make_chapter(broken);
        Text md = {0};
        char err[WEAVE_ERR] = "";
        ck_assert_msg(weave_tmp("es", &md, err) == -1, "case %zu wove", i);
        ck_assert_msg(strstr(err, cases[i].says), "case %zu: '%s'", i, err);
        text_free(&md);
    }
}
END_TEST

START_TEST(test_readme_from_the_notebook)
{
    make_chapter(NOTEBOOK);
    char source[4096], err[WEAVE_ERR];
    snprintf(source, sizeof source, "%s/notebook.md", tmp);
    Text md = {0};
    ck_assert_msg(weave_readme(source, "09-test", &md, err) == 0, "%s", err);
    ck_assert_ptr_nonnull(strstr(md.s, "# Chapter 9 — Test\n"));
    ck_assert_ptr_nonnull(strstr(md.s, "A chapter for tests."));
    ck_assert_ptr_nonnull(strstr(md.s, "out/notebooks/es/09-test.html"));
    ck_assert_ptr_nonnull(strstr(md.s, "- 9.1 Doubling\n"));
    ck_assert_ptr_null(strstr(md.s, "Doblar"));
    text_free(&md);
}
END_TEST

/* ---- the checks of a rendered page ------------------------------------------ */

/* A page as pandoc writes one, with one part replaced. */
static const char *GOOD_PAGE =
    "<!DOCTYPE html>\n<html><head><title>t</title><style>pre{}</style></head><body>\n"
    "<h1 class=\"title\">Capítulo</h1>\n<p>Intro with <math display=\"inline\"><mi>x</mi></math>.</p>\n"
    "<h2 id=\"s1\">1.1 Uno</h2>\n<p>Prose, see <a href=\"#s1\">above</a> and <a href=\"other.html#x\">there</a>.</p>\n"
    "<div class=\"codigo\" data-file=\"src.c\" data-name=\"twice\">\n"
    "<pre class=\"sourceCode\"><code><span id=\"cb1-12\"><a href=\"#cb1-12\"></a>/* twice(x): 2x.</span>\n"
    "<span> * A comment of two lines. */</span>\n<span>int twice(int x)</span>\n<span>{</span>\n"
    "<span>    return 2 * x;   /* twice(x) is called like this, too */</span>\n<span>}</span></code></pre></div>\n"
    "<pre class=\"salida\"><code>Época 1 - Error: 0.2495\n</code></pre>\n"
    "<figure><img src=\"fig1.png\" alt=\"a\"><figcaption>a</figcaption></figure>\n"
    "<h3 id=\"s1-1\">1.1.1 Sub</h3>\n<p>More prose.</p>\n"
    "</body></html>\n";

static int problems_in(const char *page, char *report, size_t cap)
{
    write_file(tmp, "src.c", SOURCE);
    write_file(tmp, "fig1.png", "x");
    write_file(tmp, "other.html", "<p id=\"x\">x</p>");
    write_file(tmp, "page.html", page);
    char path[4096];
    snprintf(path, sizeof path, "%s/page.html", tmp);
    char cwd[4096];
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    ck_assert_int_eq(chdir(tmp), 0);
    FILE *f = fmemopen(report, cap, "w");
    int n = check_page("page.html", f);
    fclose(f);
    ck_assert_int_eq(chdir(cwd), 0);
    return n;
}

START_TEST(test_check_good_page)
{
    char report[4096] = "";
    ck_assert_msg(problems_in(GOOD_PAGE, report, sizeof report) == 0, "%s", report);
    /* an anchor into a file that is not a page (Markdown, a source): only the file must be there */
    char page[8192];
    const char *at = strstr(GOOD_PAGE, "href=\"other.html#x\"");
    snprintf(page, sizeof page, "%.*shref=\"src.c#anything\"%s", (int)(at - GOOD_PAGE), GOOD_PAGE,
             at + strlen("href=\"other.html#x\""));
    ck_assert_msg(problems_in(page, report, sizeof report) == 0, "%s", report);
}
END_TEST

START_TEST(test_check_finds_each_problem)
{
    const struct { const char *from, *to, *says; } cases[] = {
        {"src=\"fig1.png\"", "src=\"fig2.png\"", "src=\"fig2.png\": no such file"},
        {"src=\"fig1.png\"", "src=\"https://example.org/f.png\"", "needs the network"},
        {"href=\"#s1\"", "href=\"#s9\"", "no element on the page has that id"},
        {"href=\"other.html#x\"", "href=\"other.html#y\"", "the page has no such id"},
        {"href=\"other.html#x\"", "href=\"gone.html\"", "no such file"},
        {"<code>Época 1 - Error: 0.2495\n</code>", "<code>\n  \n</code>", "empty output block"},
        {"<p>More prose", "<pre>More prose", "\"1.1.1 Sub\" does not open with prose"},
        {"<p>Prose, see", "<pre>x</pre><p>Prose, see", "\"1.1 Uno\" does not open with prose"},
        {"data-name=\"twice\"", "data-name=\"twice_gone\"", "twice_gone is gone from its file"},
        {"return 2 * x;", "return 3 * x;", "differs from src.c now"},
        {"<math display=\"inline\"><mi>x</mi></math>", "<span class=\"math inline\">\\frac{1}{x}</span>",
         "could not turn into MathML"},
        {"<math display=\"inline\"><mi>x</mi></math>", "$x^2$", "TeX left in the text"},
        {"<math display=\"inline\"><mi>x</mi></math>", "\\sigma(z)", "TeX left in the text"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *at = strstr(GOOD_PAGE, cases[i].from);
        ck_assert_ptr_nonnull(at);
        char page[8192], report[4096] = "";
        snprintf(page, sizeof page, "%.*s%s%s", (int)(at - GOOD_PAGE), GOOD_PAGE, cases[i].to,
                 at + strlen(cases[i].from));
        ck_assert_msg(problems_in(page, report, sizeof report) >= 1, "case %zu found nothing", i);
        ck_assert_msg(strstr(report, cases[i].says), "case %zu: '%s'", i, report);
    }
}
END_TEST

/* ---- the real pages -------------------------------------------------------- */

#define NB "out/notebooks"
static const char *const LANGS[] = {"es", "en"};

/* The chapters with a notebook.md: "01-perceptron", ... (sorted). */
static int chapter_pages(char names[][256], int max)
{
    int n = 0;
    DIR *d = opendir("chapters");
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    while ((e = readdir(d)) && n < max) {
        char path[8192];
        struct stat st;
        snprintf(path, sizeof path, "chapters/%s/notebook.md", e->d_name);
        if (e->d_name[0] != '.' && stat(path, &st) == 0)
            snprintf(names[n++], 256, "%s", e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, 256, (int (*)(const void *, const void *))strcmp);
    return n;
}

static int count(const char *text, const char *what)
{
    int n = 0;
    for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

START_TEST(test_every_chapter_has_a_notebook)
{
    char names[16][256];
    int n = chapter_pages(names, 16);
    ck_assert_int_eq(n, 4);
    ck_assert_str_eq(names[0], "01-perceptron");
    ck_assert_str_eq(names[3], "04-cnn");
}
END_TEST

/* Woven by `make notebooks` (which `make test` runs first): every page
 * passes the checks, and each chapter's page has prose, code, output,
 * figures, an animation and mathematics. */
START_TEST(test_woven_pages_pass_the_checks)
{
    char names[16][256];
    int n = chapter_pages(names, 16);
    for (int l = 0; l < 2; l++) {
        char path[8192];
        snprintf(path, sizeof path, NB "/%s/index.html", LANGS[l]);
        ck_assert_msg(access(path, R_OK) == 0, "%s is missing: run `make notebooks`", path);
        ck_assert_int_eq(check_page(path, stderr), 0);
        for (int i = 0; i < n; i++) {
            snprintf(path, sizeof path, NB "/%s/%s.html", LANGS[l], names[i]);
            char *html = test_read_file(path);
            ck_assert_msg(html, "%s is missing: run `make notebooks`", path);
            ck_assert_msg(check_page(path, stderr) == 0, "%s has problems (above)", path);
            ck_assert_msg(count(html, "<h2") >= 3, "%s: fewer than 3 sections", path);
            ck_assert_msg(count(html, "<div class=\"codigo\"") >= 3, "%s: fewer than 3 code blocks", path);
            ck_assert_msg(count(html, "<pre class=\"salida\">") >= 3, "%s: fewer than 3 outputs", path);
            ck_assert_msg(count(html, "<figure>") >= 3, "%s: fewer than 3 figures", path);
            ck_assert_msg(count(html, ".gif\"") >= 1, "%s: no animation", path);
            ck_assert_msg(count(html, "<math") >= 3, "%s: fewer than 3 formulas", path);
            free(html);
        }
    }
}
END_TEST

/* The figures of a page are drawn in its language: gnuplot writes the
 * English titles only into the English folder. */
START_TEST(test_figures_in_the_pages_language)
{
    char names[16][256];
    int n = chapter_pages(names, 16);
    ck_assert_int_ge(n, 1);
    char es[4096], en[4096];
    snprintf(es, sizeof es, NB "/es/%s/ch1_fig1_puntos.png", "01-perceptron");
    snprintf(en, sizeof en, NB "/en/%s/ch1_fig1_puntos.png", "01-perceptron");
    if (access(es, R_OK) != 0) {
        /* the figure names of chapter 1 decide; any other figure will do */
        snprintf(es, sizeof es, NB "/es/02-xor-mlp/ch2_fig3_sigmoide_derivada.png");
        snprintf(en, sizeof en, NB "/en/02-xor-mlp/ch2_fig3_sigmoide_derivada.png");
    }
    ck_assert_msg(access(es, R_OK) == 0 && access(en, R_OK) == 0, "%s or %s missing", es, en);
    ck_assert_msg(!test_files_identical(es, en), "%s and %s are the same picture", es, en);
}
END_TEST

/* Each chapter's README.md is what the weave writes from its notebook.md. */
START_TEST(test_readmes_are_woven)
{
    char names[16][256];
    int n = chapter_pages(names, 16);
    for (int i = 0; i < n; i++) {
        char source[8192], readme[8192], err[WEAVE_ERR];
        snprintf(source, sizeof source, "chapters/%s/notebook.md", names[i]);
        snprintf(readme, sizeof readme, "chapters/%s/README.md", names[i]);
        Text md = {0};
        ck_assert_msg(weave_readme(source, names[i], &md, err) == 0, "%s", err);
        char *committed = test_read_file(readme);
        ck_assert_msg(committed && strcmp(committed, md.s) == 0,
                      "%s differs from what its notebook.md weaves: run `make readmes`", readme);
        free(committed);
        text_free(&md);
    }
}
END_TEST

/* Every page in headless Chromium (tests/browser/pages.mjs, with
 * playwright-core driving Debian's chromium): no console error, no failed
 * request, every image loaded, formulas laid out as MathML, a screenshot. */
START_TEST(test_pages_in_chromium)
{
    static char out[1 << 16];
    int status = test_run("node tests/browser/pages.mjs " NB, out, sizeof out);
    fputs(out, stdout);
    ck_assert_msg(status == 0, "tests/browser/pages.mjs failed (exit %d):\n%s", status, out);
    ck_assert_ptr_nonnull(strstr(out, "pages: 10 opened, 0 with problems"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("weave");

    TCase *parts = tcase_create("parts");
    tcase_add_checked_fixture(parts, setup, teardown);
    tcase_add_test(parts, test_code_function_with_its_comment);
    tcase_add_test(parts, test_code_type_on_the_line_above);
    tcase_add_test(parts, test_code_typedef_define_and_region);
    tcase_add_test(parts, test_code_missing_name_fails);
    tcase_add_test(parts, test_output_blocks);
    tcase_add_test(parts, test_output_missing_or_empty_fails);
    tcase_add_test(parts, test_json_values);
    tcase_add_test(parts, test_json_refusals);
    tcase_add_test(parts, test_page_weaves_both_editions);
    tcase_add_test(parts, test_page_refusals);
    tcase_add_test(parts, test_page_with_another_run);
    tcase_add_test(parts, test_readme_from_the_notebook);
    tcase_add_test(parts, test_check_good_page);
    tcase_add_test(parts, test_check_finds_each_problem);
    suite_add_tcase(s, parts);

    TCase *real = tcase_create("the woven pages");
    tcase_set_timeout(real, 300);
    tcase_add_test(real, test_every_chapter_has_a_notebook);
    tcase_add_test(real, test_woven_pages_pass_the_checks);
    tcase_add_test(real, test_figures_in_the_pages_language);
    tcase_add_test(real, test_readmes_are_woven);
    /* the browser once, from the release build's run of the tests */
    const char *variant = getenv("NN_VARIANT");
    if (!variant || strcmp(variant, "asan") != 0)
        tcase_add_test(real, test_pages_in_chromium);
    suite_add_tcase(s, real);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
