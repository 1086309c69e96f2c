/* weave_check.c — what a reader would trip over on a rendered page, found
 * before a reader does: a broken image or link, an empty output block, a
 * section with no prose, a code block whose code the source no longer has
 * (or has changed since the page was woven), a formula left as TeX.
 *
 * The pages are pandoc's HTML of our own Markdown, so a few string searches
 * read them well enough; this is not an HTML parser. */
#include "weave.h"

#include <ctype.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    const char *path;   /* the page */
    const char *html;
    char dir[4096];     /* the page's folder, for relative links */
    FILE *report;
    int problems;
} Page;

static void problem(Page *p, const char *fmt, const char *a, const char *b)
{
    fprintf(p->report, "%s: ", p->path);
    fprintf(p->report, fmt, a, b);
    fputc('\n', p->report);
    p->problems++;
}

static int path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* %XX escapes of a link undone. */
static void percent_decode(char *s)
{
    char *out = s;
    for (char *p = s; *p; p++) {
        if (*p == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
            char hex[3] = {p[1], p[2], 0};
            *out++ = (char)strtol(hex, NULL, 16);
            p += 2;
        } else {
            *out++ = *p;
        }
    }
    *out = '\0';
}

static int has_id(const char *html, const char *id)
{
    char needle[2100];
    snprintf(needle, sizeof needle, "id=\"%s\"", id);
    return strstr(html, needle) != NULL;
}

static void check_target(Page *p, const char *attr, const char *value)
{
    if (!*value) {
        problem(p, "an empty %s=\"%s\"", attr, value);
        return;
    }
    if (strncmp(value, "http://", 7) == 0 || strncmp(value, "https://", 8) == 0
        || strncmp(value, "//", 2) == 0) {
        if (strcmp(attr, "src") == 0)
            problem(p, "%s=\"%s\" needs the network: the pages must work from disk", attr, value);
        return;
    }
    if (strncmp(value, "mailto:", 7) == 0 || strncmp(value, "data:", 5) == 0)
        return;
    if (value[0] == '#') {
        if (!has_id(p->html, value + 1))
            problem(p, "%s=\"%s\": no element on the page has that id", attr, value);
        return;
    }
    char file[8192];
    snprintf(file, sizeof file, "%s/%s", p->dir, value);
    char *frag = strchr(file, '#');
    if (frag)
        *frag++ = '\0';
    char *query = strchr(file, '?');
    if (query)
        *query = '\0';
    percent_decode(file);
    if (!path_exists(file)) {
        problem(p, "%s=\"%s\": no such file", attr, value);
        return;
    }
    size_t len = strlen(file);
    int html = len > 5 && strcmp(file + len - 5, ".html") == 0;
    if (frag && *frag && html) {   /* a Markdown file's anchors are GitHub's to make */
        char err[WEAVE_ERR];
        char *target = read_whole_file(file, err);
        if (target && !has_id(target, frag))
            problem(p, "%s=\"%s\": the page has no such id", attr, value);
        free(target);
    }
}

static void check_links(Page *p)
{
    static const char *const attrs[] = {"src", "href"};
    for (int a = 0; a < 2; a++) {
        char needle[16];
        snprintf(needle, sizeof needle, "%s=\"", attrs[a]);
        for (const char *s = strstr(p->html, needle); s; s = strstr(s + 1, needle)) {
            if (s == p->html || !isspace((unsigned char)s[-1]))
                continue;  /* data-src=, or the word in a text */
            const char *v = s + strlen(needle), *end = strchr(v, '"');
            if (!end)
                break;
            char value[2048];
            snprintf(value, sizeof value, "%.*s", (int)(end - v), v);
            check_target(p, attrs[a], value);
        }
    }
}

/* The text of html[from, to) without its tags, entities decoded. */
static void plain_text(const char *from, const char *to, Text *out)
{
    static const struct { const char *entity; char c; } entities[] = {
        {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&#39;", '\''}};
    for (const char *s = from; s < to;) {
        if (*s == '<') {
            const char *close = strchr(s, '>');
            s = close && close < to ? close + 1 : to;
            continue;
        }
        size_t i = 0, n = sizeof entities / sizeof *entities;
        for (; i < n; i++)
            if (strncmp(s, entities[i].entity, strlen(entities[i].entity)) == 0)
                break;
        if (i < n) {
            text_add(out, &entities[i].c, 1);
            s += strlen(entities[i].entity);
        } else {
            text_add(out, s++, 1);
        }
    }
}

static int is_blank_text(const char *s)
{
    for (; s && *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

static void check_outputs(Page *p)
{
    const char *needle = "<pre class=\"salida\">";
    for (const char *s = strstr(p->html, needle); s; s = strstr(s + 1, needle)) {
        const char *end = strstr(s, "</pre>");
        Text t = {0};
        plain_text(s + strlen(needle), end ? end : s + strlen(s), &t);
        if (is_blank_text(t.s))
            problem(p, "an empty output block%s%s", "", "");
        text_free(&t);
    }
}

/* Heading level 1..6 if s starts a heading tag, else 0. */
static int heading_at(const char *s)
{
    return s[0] == '<' && s[1] == 'h' && s[2] >= '1' && s[2] <= '6'
                   && (s[3] == '>' || s[3] == ' ')
               ? s[2] - '0'
               : 0;
}

static void check_sections(Page *p)
{
    for (const char *s = strchr(p->html, '<'); s; s = strchr(s + 1, '<')) {
        int level = heading_at(s);
        if (level < 2 || level > 3)
            continue;
        const char *next = strchr(s + 1, '<');
        while (next && !heading_at(next) && strncmp(next, "</body>", 7) != 0)
            next = strchr(next + 1, '<');
        const char *end = next ? next : s + strlen(s);
        /* the first thing under the heading: a paragraph (or a list) */
        const char *close = strstr(s, "</h");
        const char *first = close ? strchr(close + 1, '<') : NULL;
        while (first && first < end && strncmp(first, "</", 2) == 0)
            first = strchr(first + 1, '<');
        int prose = first && first < end
                    && (strncmp(first, "<p>", 3) == 0 || strncmp(first, "<ul>", 4) == 0
                        || strncmp(first, "<ol>", 4) == 0 || strncmp(first, "<ol ", 4) == 0);
        if (!prose) {
            Text title = {0};
            plain_text(s, close ? close : end, &title);
            problem(p, "the section \"%s\" does not open with prose%s", title.s ? title.s : "",
                    "");
            text_free(&title);
        }
    }
}

/* The value of attribute name in the tag starting at tag (up to '>'). */
static int attribute(const char *tag, const char *name, char *value, size_t size)
{
    const char *close = strchr(tag, '>');
    char needle[64];
    snprintf(needle, sizeof needle, "%s=\"", name);
    const char *a = strstr(tag, needle);
    while (a && !isspace((unsigned char)a[-1]))
        a = strstr(a + 1, needle);
    if (!a || (close && a > close))
        return 0;
    a += strlen(needle);
    const char *end = strchr(a, '"');
    if (!end)
        return 0;
    snprintf(value, size, "%.*s", (int)(end - a), a);
    return 1;
}

/* Each code block still shows its file's code: the name is there and the
 * lines are the ones the page shows. */
static void check_code(Page *p)
{
    const char *needle = "<div class=\"codigo\"";
    for (const char *s = strstr(p->html, needle); s; s = strstr(s + 1, needle)) {
        char file[1024], name[256], err[WEAVE_ERR];
        if (!attribute(s, "data-file", file, sizeof file)
            || !attribute(s, "data-name", name, sizeof name)) {
            problem(p, "a code block without data-file and data-name%s%s", "", "");
            continue;
        }
        char *source = read_whole_file(file, err);
        CodePiece piece = {0};
        if (!source || code_extract(source, name, &piece, err)) {
            problem(p, "the code block %s is gone from its file: %s", name, err);
            free(source);
            continue;
        }
        free(source);
        const char *pre = strstr(s, "<pre"), *end = pre ? strstr(pre, "</pre>") : NULL;
        Text shown = {0};
        if (pre && end)
            plain_text(strchr(pre, '>') + 1, end, &shown);
        if (!shown.s || strcmp(shown.s, piece.code.s) != 0) {
            size_t n = piece.code.len;
            if (!(shown.s && shown.len + 1 == n && strncmp(shown.s, piece.code.s, shown.len) == 0))
                problem(p, "the code block %s differs from %s now: weave the page again", name,
                        file);
        }
        text_free(&shown);
        text_free(&piece.code);
    }
}

/* TeX left in the text (outside code, pre and math) means a formula that
 * did not become MathML. */
static void check_math(Page *p)
{
    if (strstr(p->html, "class=\"math"))
        problem(p, "a formula pandoc could not turn into MathML (class=\"math\")%s%s", "", "");
    if (strstr(p->html, "<merror"))
        problem(p, "a formula with an error in its MathML (<merror>)%s%s", "", "");
    static const char *const skipped[] = {"pre", "code", "math", "script", "style", "head"};
    const char *body = strstr(p->html, "<body");
    for (const char *s = body ? body : p->html; *s;) {
        if (*s == '<') {
            const char *tag = s + 1;
            int skip = -1;
            for (int i = 0; i < 6 && skip < 0; i++) {
                size_t n = strlen(skipped[i]);
                if (strncmp(tag, skipped[i], n) == 0 && (tag[n] == '>' || tag[n] == ' '))
                    skip = i;
            }
            if (skip >= 0) {
                char close[16];
                snprintf(close, sizeof close, "</%s>", skipped[skip]);
                const char *end = strstr(s, close);
                s = end ? end + strlen(close) : s + strlen(s);
            } else {
                const char *end = strchr(s, '>');
                s = end ? end + 1 : s + strlen(s);
            }
            continue;
        }
        if (*s == '$' || (*s == '\\' && isalpha((unsigned char)s[1]))) {
            char context[48];
            snprintf(context, sizeof context, "%.40s", s);
            for (char *c = context; *c; c++)
                if (*c == '\n')
                    *c = ' ';
            problem(p, "TeX left in the text, a formula that did not render: \"%s\"%s", context,
                    "");
        }
        s++;
    }
}

int check_page(const char *html_path, FILE *report)
{
    char err[WEAVE_ERR];
    Page p = {.path = html_path, .report = report};
    char *html = read_whole_file(html_path, err);
    if (!html) {
        fprintf(report, "%s\n", err);
        return 1;
    }
    p.html = html;
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", html_path);
    snprintf(p.dir, sizeof p.dir, "%s", dirname(copy));
    check_links(&p);
    check_outputs(&p);
    check_sections(&p);
    check_code(&p);
    check_math(&p);
    free(html);
    return p.problems;
}
