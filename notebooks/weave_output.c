/* weave_output.c — the lines a chapter's program printed for one step.
 *
 * The programs print their output like the notes: a header per section,
 *
 *     == 2.3 Estudio del error y del aprendizaje ==
 *     -- 2.2.1 Forward pass --
 *
 * and make keeps what they printed in out/NN-name/salida.txt. A block is
 * what follows a header up to the next header of the same or a higher level.
 * Header texts may hold this run's settings ("== 4.3 Entrenamiento: 5
 * épocas ... =="), so a page names a header by the start of its text. */
#include "weave.h"

#include <stdio.h>
#include <string.h>

/* 2 for "== text ==", 1 for "-- text --", 0 for any other line; *text and
 * *len give the text between the marks. */
static int header_level(const char *line, size_t n, const char **text, size_t *len)
{
    static const char *const marks[] = {"-- ", "== "};
    for (int level = 2; level >= 1; level--) {
        const char *m = marks[level - 1];
        if (n >= 6 && strncmp(line, m, 3) == 0 && line[n - 2] == m[0] && line[n - 1] == m[0]
            && line[n - 3] == ' ') {
            *text = line + 3;
            *len = n - 6;
            return level;
        }
    }
    return 0;
}

static size_t line_length(const char *p)
{
    const char *nl = strchr(p, '\n');
    return nl ? (size_t)(nl - p) : strlen(p);
}

static const char *next_line(const char *p)
{
    const char *nl = strchr(p, '\n');
    return nl ? nl + 1 : p + strlen(p);
}

static int line_contains(const char *p, size_t n, const char *what)
{
    size_t w = strlen(what);
    for (size_t i = 0; i + w <= n; i++)
        if (memcmp(p + i, what, w) == 0)
            return 1;
    return 0;
}

static int is_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return 0;
    return 1;
}

int output_block(const char *output, const char *header, const char *from, const char *to,
                 Text *block, char err[WEAVE_ERR])
{
    const char *p = output, *start = NULL;
    int level = 0;
    for (; *p; p = next_line(p)) {
        const char *text;
        size_t len, n = line_length(p);
        int l = header_level(p, n, &text, &len);
        if (l && len >= strlen(header) && strncmp(text, header, strlen(header)) == 0) {
            level = l;
            start = next_line(p);
            break;
        }
    }
    if (!start) {
        snprintf(err, WEAVE_ERR, "the program printed no header starting \"%s\"", header);
        return -1;
    }
    /* the block: up to the next header of the same or a higher level */
    const char *end = start;
    for (; *end; end = next_line(end)) {
        const char *text;
        size_t len;
        if (header_level(end, line_length(end), &text, &len) >= level)
            break;
    }
    const char *first = start, *stop = end;
    if (from) {
        for (first = start; first < end && !line_contains(first, line_length(first), from);
             first = next_line(first))
            ;
        if (first >= end) {
            snprintf(err, WEAVE_ERR, "no line containing \"%s\" under \"%s\"", from, header);
            return -1;
        }
    }
    if (to) {
        for (stop = first; stop < end && !line_contains(stop, line_length(stop), to);
             stop = next_line(stop))
            ;
        if (stop >= end) {
            snprintf(err, WEAVE_ERR, "no line containing \"%s\" under \"%s\"", to, header);
            return -1;
        }
        stop = next_line(stop);
    }
    /* blank lines at either end say nothing */
    while (first < stop && is_blank(first, line_length(first)))
        first = next_line(first);
    const char *last_kept = NULL;
    for (const char *q = first; q < stop; q = next_line(q))
        if (!is_blank(q, line_length(q)))
            last_kept = q;
    if (!last_kept) {
        snprintf(err, WEAVE_ERR, "the block under \"%s\" is empty", header);
        return -1;
    }
    const char *tail = next_line(last_kept);
    text_add(block, first, (size_t)(tail - first));
    if (tail[-1] != '\n')
        text_puts(block, "\n");
    return 0;
}
