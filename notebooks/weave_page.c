/* weave_page.c — one chapter's notebook.md woven into Markdown for one
 * language: the prose of that language, the code by name from the real
 * source, the lines the run printed, the figures it drew, the run's numbers.
 *
 * The source's lines (notebooks/README.md has the full syntax):
 *   @es, @en, @readme ... @end      lines for one edition, or for the README only
 *   @code PATH NAME                 a function, type, macro or marked region
 *   @output "HEADER" [from "A"] [to "B"]   what the program printed for a step
 *   @figure NAME | caption es | caption en
 *   {{path|format}}                 a value from the run's summary.json
 * Everything else is Markdown for both editions. */
#include "weave.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- Text ------------------------------------------------------------------ */

void text_add(Text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        if (!t->s) {
            fprintf(stderr, "weave: out of memory\n");
            exit(1);
        }
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

void text_puts(Text *t, const char *s)
{
    text_add(t, s, strlen(s));
}

void text_printf(Text *t, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        text_add(t, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    text_add(t, big, (size_t)n);
    free(big);
}

void text_free(Text *t)
{
    free(t->s);
    *t = (Text){0};
}

char *read_whole_file(const char *path, char err[WEAVE_ERR])
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, WEAVE_ERR, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    Text t = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        text_add(&t, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, WEAVE_ERR, "cannot read %s", path);
        free(t.s);
        return NULL;
    }
    if (!t.s)
        text_add(&t, "", 0);
    return t.s;
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* ---- the words of a directive ---------------------------------------------- */

#define MAX_WORDS 8

/* Splits s (changed in place) into words; a "quoted string" is one word. */
static int split_words(char *s, char *word[MAX_WORDS], char err[WEAVE_ERR])
{
    int n = 0;
    for (char *p = s;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            return n;
        if (n == MAX_WORDS) {
            snprintf(err, WEAVE_ERR, "too many words");
            return -1;
        }
        if (*p == '"') {
            char *close = strchr(p + 1, '"');
            if (!close) {
                snprintf(err, WEAVE_ERR, "a quote is not closed");
                return -1;
            }
            *close = '\0';
            word[n++] = p + 1;
            p = close + 1;
        } else {
            word[n++] = p;
            p += strcspn(p, " \t");
            if (*p)
                *p++ = '\0';
        }
    }
}

static const char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* A fence long enough for text that may itself hold backticks. */
static int fence_length(const char *text)
{
    int longest = 0, run = 0;
    for (const char *p = text; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    return longest < 3 ? 3 : longest + 1;
}

static void put_fence(Text *md, int n, const char *info)
{
    for (int i = 0; i < n; i++)
        text_puts(md, "`");
    text_puts(md, info);
    text_puts(md, "\n");
}

/* ---- the weave ----------------------------------------------------------- */

typedef enum { SHARED, ES, EN, README } Edition;

/* A run the page reads: the chapter's own (key "") or one of spec's extras. */
typedef struct {
    const char *key, *run_dir, *fig_dir, *fig_link;
    char *output;    /* its salida.txt, read when first needed */
    char *summary;   /* its summary.json */
} Run;

typedef struct {
    const PageSpec *spec;
    Run runs[1 + WEAVE_MAX_EXTRA];
    int n_runs;
    int in_fence;
    int titles;      /* "# " headings in this edition */
} Weave;

static void weave_init(Weave *w, const PageSpec *spec)
{
    *w = (Weave){.spec = spec, .n_runs = 1};
    w->runs[0] = (Run){"", spec->run_dir, spec->fig_dir, spec->fig_link, NULL, NULL};
    for (int i = 0; i < spec->n_extra && i < WEAVE_MAX_EXTRA; i++) {
        const ExtraRun *e = &spec->extra[i];
        w->runs[w->n_runs++] = (Run){e->key, e->run_dir, e->fig_dir, e->fig_link, NULL, NULL};
    }
}

static void weave_free(Weave *w)
{
    for (int i = 0; i < w->n_runs; i++) {
        free(w->runs[i].output);
        free(w->runs[i].summary);
    }
}

static const char *say(const Weave *w, const char *es, const char *en)
{
    return strcmp(w->spec->lang, "es") == 0 ? es : en;
}

/* The run called key ("" the chapter's own), or NULL with err. */
static Run *find_run(Weave *w, const char *key, size_t key_len, char err[WEAVE_ERR])
{
    for (int i = 0; i < w->n_runs; i++)
        if (strlen(w->runs[i].key) == key_len && strncmp(w->runs[i].key, key, key_len) == 0) {
            if (!w->runs[i].run_dir)
                break;
            return &w->runs[i];
        }
    if (key_len)
        snprintf(err, WEAVE_ERR, "no run called '%.*s' for this page (notebooks.mk gives each "
                 "chapter's: CHn_NB_RUNS)", (int)key_len, key);
    else
        snprintf(err, WEAVE_ERR, "this page has no run to take it from");
    return NULL;
}

/* "key:rest" — the run a reference names, and the rest after the colon;
 * no colon before any of stop: the chapter's own run. */
static Run *split_key(Weave *w, const char *ref, const char **rest, char err[WEAVE_ERR])
{
    size_t n = strcspn(ref, ": |\"");
    if (ref[n] == ':') {
        *rest = ref + n + 1;
        return find_run(w, ref, n, err);
    }
    *rest = ref;
    return find_run(w, "", 0, err);
}

static char *run_file(const Run *r, const char *name, char err[WEAVE_ERR])
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", r->run_dir, name);
    char *text = read_whole_file(path, err);
    if (!text && strcmp(name, "salida.txt") == 0)
        snprintf(err + strlen(err), WEAVE_ERR - strlen(err),
                 " (the program's output, kept by `make` when it runs the chapter)");
    return text;
}

static int weave_code(Weave *w, char **word, int n, Text *md, char err[WEAVE_ERR])
{
    if (n != 3) {
        snprintf(err, WEAVE_ERR, "@code takes a file and a name: @code PATH NAME");
        return -1;
    }
    const char *path = word[1], *name = word[2];
    char *source = read_whole_file(path, err);
    if (!source)
        return -1;
    CodePiece piece = {0};
    int status = code_extract(source, name, &piece, err);
    free(source);
    if (status) {
        size_t used = strlen(err);
        snprintf(err + used, WEAVE_ERR - used, " in %s", path);
        return -1;
    }
    text_printf(md, "\n::: {.codigo data-file=\"%s\" data-name=\"%s\"}\n", path, name);
    text_printf(md, "<p class=\"fuente\"><a href=\"%s/%s\">%s</a> · <code>%s</code> · %s %d–%d</p>\n\n",
                w->spec->root_link, path, path, name, say(w, "líneas", "lines"), piece.first,
                piece.last);
    int fence = fence_length(piece.code.s);
    char info[64];
    snprintf(info, sizeof info, "{.c .numberLines startFrom=\"%d\"}", piece.first);
    put_fence(md, fence, info);
    text_puts(md, piece.code.s);
    put_fence(md, fence, "");
    text_puts(md, ":::\n\n");
    text_free(&piece.code);
    return 0;
}

static int weave_output(Weave *w, Run *r, char **word, int n, Text *md, char err[WEAVE_ERR])
{
    const char *from = NULL, *to = NULL;
    if (n < 2 || n % 2) {
        snprintf(err, WEAVE_ERR, "@output \"HEADER\" [from \"TEXT\"] [to \"TEXT\"]");
        return -1;
    }
    for (int i = 2; i < n; i += 2) {
        if (strcmp(word[i], "from") == 0)
            from = word[i + 1];
        else if (strcmp(word[i], "to") == 0)
            to = word[i + 1];
        else {
            snprintf(err, WEAVE_ERR, "@output: '%s' is neither from nor to", word[i]);
            return -1;
        }
    }
    if (!r->output && !(r->output = run_file(r, "salida.txt", err)))
        return -1;
    Text block = {0};
    if (output_block(r->output, word[1], from, to, &block, err))
        return -1;
    text_printf(md, "\n<p class=\"fuente\">%s · <a href=\"%s/%s/salida.txt\">%s/salida.txt</a></p>\n\n",
                say(w, "Lo que imprimió el programa", "What the program printed"),
                w->spec->root_link, r->run_dir, r->run_dir);
    int fence = fence_length(block.s);
    put_fence(md, fence, "{.salida}");
    text_puts(md, block.s);
    put_fence(md, fence, "");
    text_puts(md, "\n");
    text_free(&block);
    return 0;
}

static int weave_figure(Weave *w, char *args, Text *md, char err[WEAVE_ERR])
{
    char *part[3] = {args, NULL, NULL};
    for (int i = 1; i < 3; i++) {
        char *bar = part[i - 1] ? strstr(part[i - 1], " | ") : NULL;
        if (!bar)
            break;
        *bar = '\0';
        part[i] = bar + 3;
    }
    if (!part[1] || !part[2]) {
        snprintf(err, WEAVE_ERR, "@figure NAME | caption in Spanish | caption in English");
        return -1;
    }
    const char *name;
    Run *r = split_key(w, trim(part[0]), &name, err);
    if (!r)
        return -1;
    const char *caption = trim(strcmp(w->spec->lang, "es") == 0 ? part[1] : part[2]);
    char path[4096];
    const char *ext = "png";
    snprintf(path, sizeof path, "%s/%s.png", r->fig_dir, name);
    if (!file_exists(path)) {
        ext = "gif";
        snprintf(path, sizeof path, "%s/%s.gif", r->fig_dir, name);
    }
    if (!file_exists(path)) {
        snprintf(err, WEAVE_ERR, "no figure %s/%s.png (or .gif): is there a plots/%s.gp, and "
                 "did it run?", r->fig_dir, name, name);
        return -1;
    }
    if (!*caption) {
        snprintf(err, WEAVE_ERR, "@figure %s: the caption is empty", name);
        return -1;
    }
    text_printf(md, "\n![%s](%s/%s.%s)\n\n", caption, r->fig_link, name, ext);
    return 0;
}

/* {{path|format}} in a line of prose, replaced by the run's value. */
static int weave_values(Weave *w, const char *line, Text *md, char err[WEAVE_ERR])
{
    for (const char *p = line;;) {
        const char *open = strstr(p, "{{");
        if (!open) {
            text_puts(md, p);
            return 0;
        }
        const char *close = strstr(open, "}}");
        if (!close) {
            snprintf(err, WEAVE_ERR, "'{{' without '}}'");
            return -1;
        }
        text_add(md, p, (size_t)(open - p));
        char inside[256];
        snprintf(inside, sizeof inside, "%.*s", (int)(close - open - 2), open + 2);
        char *bar = strchr(inside, '|');
        const char *format = NULL;
        if (bar) {
            *bar = '\0';
            format = trim(bar + 1);
        }
        const char *path;
        Run *r = split_key(w, trim(inside), &path, err);
        if (!r || (!r->summary && !(r->summary = run_file(r, "summary.json", err))))
            return -1;
        if (json_value(r->summary, path, format, md, err))
            return -1;
        p = close + 2;
    }
}

/* The command that made a run, from the stamp make keeps beside it. */
static int put_run_line(Weave *w, const Run *r, Text *md, char err[WEAVE_ERR])
{
    char *cmd = run_file(r, ".ajustes", err);
    if (!cmd)
        return -1;
    text_printf(md, "\n::: {.corrida}\n%s `%s`\n:::\n\n",
                r == &w->runs[0] ? say(w, "Todo lo que sigue es de esta ejecución:",
                                       "Everything below comes from this run:")
                                 : say(w, "Ejecución:", "Run:"),
                trim(cmd));
    free(cmd);
    return 0;
}

/* Inline math $…$ with the punctuation right after it (and an opening
 * bracket right before it) put in one span that does not break: a browser
 * may otherwise wrap a formula away from its comma or closing bracket,
 * leaving a line that starts with ", AND" or ")". Code spans and display
 * math ($$) are left as they are. */
static void keep_math_with_punctuation(const char *line, Text *out)
{
    const char *p = line, *copied = line;
    int in_code = 0;
    for (; *p; p++) {
        if (*p == '`') {
            in_code = !in_code;
            continue;
        }
        if (in_code || *p != '$' || p[1] == '$'
            || (p > line && (p[-1] == '$' || p[-1] == '\\' || p[-1] == '[')))
            continue;   /* not inline math, or a link's text "[$x$](…)" */
        const char *close = strchr(p + 1, '$');
        while (close && close[-1] == '\\')
            close = strchr(close + 1, '$');
        if (!close || close[1] == '$' || p[1] == ' ' || close[-1] == ' ')
            continue;
        const char *before = p;
        if (p > line && p[-1] == '(')
            before = p - 1;
        else if (p - line >= 2 && strncmp(p - 2, "«", 2) == 0)
            before = p - 2;
        const char *after = close + 1;
        for (int k = 0; k < 3; k++) {   /* up to three marks: "$x$)," */
            if (*after && strchr(",.;:)", *after))
                after++;
            else if (strncmp(after, "»", 2) == 0)
                after += 2;
            else
                break;
        }
        if (after == close + 1 && before == p) {
            p = close;
            continue;
        }
        text_add(out, copied, (size_t)(before - copied));
        text_puts(out, "[");
        text_add(out, before, (size_t)(after - before));
        text_puts(out, "]{.nw}");
        copied = after;
        p = after - 1;
    }
    text_puts(out, copied);
}

static int weave_line(Weave *w, char *line, Text *md, char err[WEAVE_ERR])
{
    if (strncmp(line, "```", 3) == 0 || strncmp(line, "~~~", 3) == 0)
        w->in_fence = !w->in_fence;
    if (w->in_fence || strncmp(line, "```", 3) == 0 || strncmp(line, "~~~", 3) == 0) {
        text_puts(md, line);
        text_puts(md, "\n");
        return 0;
    }
    if (line[0] == '#' && line[1] == ' ')
        w->titles++;
    if (strncmp(line, "@code ", 6) == 0) {
        char *word[MAX_WORDS];
        int n = split_words(line, word, err);
        return n < 0 ? -1 : weave_code(w, word, n, md, err);
    }
    if (strncmp(line, "@output ", 8) == 0 || strcmp(line, "@command") == 0
        || strncmp(line, "@command ", 9) == 0) {
        /* @output [KEY] "HEADER" ...: a first word without quotes names a run */
        int command = line[1] == 'c';
        char *rest = line + (command ? 8 : 7);
        while (*rest == ' ')
            rest++;
        size_t key_len = *rest == '"' ? 0 : strcspn(rest, " ");
        Run *r = find_run(w, rest, key_len, err);
        if (!r)
            return -1;
        if (command)
            return put_run_line(w, r, md, err);
        char *word[MAX_WORDS];
        memmove(line + 8, rest + key_len, strlen(rest + key_len) + 1);
        int n = split_words(line, word, err);
        return n < 0 ? -1 : weave_output(w, r, word, n, md, err);
    }
    if (strncmp(line, "@figure ", 8) == 0)
        return weave_figure(w, line + 8, md, err);
    if (line[0] == '@' && isalpha((unsigned char)line[1])) {
        snprintf(err, WEAVE_ERR, "unknown directive %s", line);
        return -1;
    }
    Text kept = {0};
    keep_math_with_punctuation(line, &kept);
    int status = weave_values(w, kept.s ? kept.s : "", md, err);
    text_free(&kept);
    if (status)
        return -1;
    text_puts(md, "\n");
    return 0;
}

/* The edition a line starting with '@' switches to, or -1. */
static int edition_switch(const char *line, Edition *e)
{
    static const struct { const char *word; Edition e; } words[] = {
        {"@es", ES}, {"@en", EN}, {"@readme", README}, {"@end", SHARED}};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcmp(line, words[i].word) == 0) {
            *e = words[i].e;
            return 1;
        }
    return 0;
}

/* Calls take(line) for each line of the source, with its edition. */
typedef int (*LineFn)(void *ctx, Edition e, char *line, char err[WEAVE_ERR]);

static int for_each_line(const char *source_path, LineFn take, void *ctx, char err[WEAVE_ERR])
{
    char *source = read_whole_file(source_path, err);
    if (!source)
        return -1;
    Edition e = SHARED;
    int lineno = 0, status = 0;
    int in_fence = 0;
    for (char *line = source; line && *line && !status;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        size_t n = strlen(line);
        if (n && line[n - 1] == '\r')
            line[n - 1] = '\0';
        if (strncmp(line, "```", 3) == 0 || strncmp(line, "~~~", 3) == 0)
            in_fence = !in_fence;
        if (in_fence || !edition_switch(line, &e))
            status = take(ctx, e, line, err);
        line = nl ? nl + 1 : NULL;
    }
    free(source);
    if (status) {
        char where[WEAVE_ERR];
        snprintf(where, sizeof where, "%s:%d: %s", source_path, lineno, err);
        memcpy(err, where, WEAVE_ERR);
        return -1;
    }
    if (e != SHARED) {
        snprintf(err, WEAVE_ERR, "%s: the last @es/@en/@readme block has no @end", source_path);
        return -1;
    }
    return 0;
}

typedef struct {
    Weave w;
    Edition mine;
    Text *md;
} PageCtx;

static int page_line(void *ctx, Edition e, char *line, char err[WEAVE_ERR])
{
    PageCtx *c = ctx;
    if (e != SHARED && e != c->mine)
        return 0;
    return weave_line(&c->w, line, c->md, err);
}

int weave_page(const PageSpec *spec, Text *md, char err[WEAVE_ERR])
{
    Edition mine = strcmp(spec->lang, "es") == 0 ? ES : strcmp(spec->lang, "en") == 0 ? EN : -1;
    if ((int)mine < 0) {
        snprintf(err, WEAVE_ERR, "language '%s': es or en", spec->lang);
        return -1;
    }
    PageCtx c = {.mine = mine};
    weave_init(&c.w, spec);
    Text body = {0};
    c.md = &body;
    int status = for_each_line(spec->source_path, page_line, &c, err);
    if (!status && c.w.titles != 1) {
        snprintf(err, WEAVE_ERR, "%s: the %s edition needs exactly one '# ' title, not %d",
                 spec->source_path, spec->lang, c.w.titles);
        status = -1;
    }
    if (!status) {
        /* the title goes to pandoc as the page's title (the template puts it
         * above the contents), the run's command right under it */
        const char *title = body.s;
        while (title && strncmp(title, "# ", 2) != 0) {
            title = strchr(title, '\n');
            title = title ? title + 1 : NULL;
        }
        const char *title_end = strchr(title, '\n');
        text_puts(md, "---\ntitle: \"");
        for (const char *q = title + 2; q < title_end; q++) {
            if (*q == '"' || *q == '\\')
                text_puts(md, "\\");
            text_add(md, q, 1);
        }
        text_puts(md, "\"\n---\n\n");
        text_add(md, body.s, (size_t)(title - body.s));
        char no_run[WEAVE_ERR];
        if (spec->run_dir)   /* the index has none */
            put_run_line(&c.w, &c.w.runs[0], md, no_run);
        text_puts(md, title_end + 1);
    }
    text_free(&body);
    weave_free(&c.w);
    return status;
}

/* ---- the README ------------------------------------------------------------ */

typedef struct {
    char dir[4096];  /* the chapter's folder: its figures/ holds the committed copies */
    Text title, block, sections, figures;
} ReadmeCtx;

/* "@figure NAME | es | en": the committed copy in the chapter's figures/,
 * with its English caption, when there is one. */
static void readme_figure(ReadmeCtx *c, char *args)
{
    char *bar1 = strstr(args, " | "), *bar2 = bar1 ? strstr(bar1 + 3, " | ") : NULL;
    if (!bar2)
        return;
    *bar1 = '\0';
    const char *name = trim(args), *caption = trim(bar2 + 3);
    static const char *const exts[] = {"png", "gif"};
    for (int i = 0; i < 2; i++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/figures/%s.%s", c->dir, name, exts[i]);
        if (file_exists(path)) {
            text_printf(&c->figures, "![%s](figures/%s.%s)\n\n", caption, name, exts[i]);
            return;
        }
    }
}

/* A heading's text without pandoc's "{#id}". */
static void put_heading_text(Text *t, const char *s)
{
    const char *attr = strstr(s, " {");
    text_add(t, s, attr ? (size_t)(attr - s) : strlen(s));
}

static int readme_line(void *ctx, Edition e, char *line, char err[WEAVE_ERR])
{
    ReadmeCtx *c = ctx;
    (void)err;
    if (e == README) {
        text_puts(&c->block, line);
        text_puts(&c->block, "\n");
    } else if (e == EN && strncmp(line, "# ", 2) == 0 && !c->title.len) {
        put_heading_text(&c->title, line);
    } else if ((e == EN || e == SHARED) && strncmp(line, "@figure ", 8) == 0) {
        readme_figure(c, line + 8);
    } else if (e == EN && strncmp(line, "## ", 3) == 0) {
        /* "- 2. Title" would open a numbered list inside the item: "2\." */
        const char *title = line + 3;
        size_t digits = strspn(title, "0123456789");
        text_puts(&c->sections, "- ");
        if (digits && title[digits] == '.' && title[digits + 1] == ' ') {
            text_add(&c->sections, title, digits);
            text_puts(&c->sections, "\\");
            title += digits;
        }
        put_heading_text(&c->sections, title);
        text_puts(&c->sections, "\n");
    }
    return 0;
}

int weave_readme(const char *source_path, const char *page, Text *md, char err[WEAVE_ERR])
{
    ReadmeCtx c = {0};
    snprintf(c.dir, sizeof c.dir, "%s", source_path);
    char *slash = strrchr(c.dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(c.dir, sizeof c.dir, ".");
    int status = for_each_line(source_path, readme_line, &c, err);
    if (!status && (!c.title.len || !c.block.len || !c.sections.len)) {
        snprintf(err, WEAVE_ERR, "%s: a README needs the English title, an @readme block and "
                 "'## ' sections", source_path);
        status = -1;
    }
    if (!status) {
        text_printf(md, "<!-- Written by the weaver (notebooks/weave.c) from notebook.md: edit "
                        "notebook.md, then `make readmes`. A test fails when the two differ. -->\n");
        text_printf(md, "%s\n\n%s", c.title.s, c.block.s);
        text_printf(md, "\n## Read it as a notebook\n\n"
                        "The chapter is told in full — prose, the code below taken from these "
                        "files by name, what the program printed and the figures it drew, in "
                        "the order of the notes — on its notebook page. After `make`:\n\n"
                        "```sh\nmake notebooks\n```\n\n"
                        "then open `out/notebooks/es/%s.html` (Spanish, the notes' language) or "
                        "`out/notebooks/en/%s.html` (English). Both are woven from "
                        "[notebook.md](notebook.md), with this run's numbers.\n\n"
                        "## Sections\n\n%s",
                    page, page, c.sections.s);
        if (c.figures.len)
            text_printf(md, "\n## Figures\n\nThe figures of the default run (`make chapter%c`), "
                            "in Spanish as the notes; `make figures-chapter%c` redraws these "
                            "copies.\n\n%s",
                        page[1], page[1], c.figures.s);
    }
    text_free(&c.figures);
    text_free(&c.title);
    text_free(&c.block);
    text_free(&c.sections);
    return status;
}
