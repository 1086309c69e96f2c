/* weave_code.c — the code of one name, taken from the file that is compiled,
 * so that a page can never show code that is not the code that runs.
 *
 * The series' C is written one way (STYLE.md): a definition starts at the
 * left margin with its return type on the same line (or the line above), its
 * body opens with "{" and closes with "}" at the left margin, and the comment
 * that explains it sits right above it. That is all this file relies on. */
#include "weave.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The file as lines: line[i] points into a copy whose '\n's became NULs. */
typedef struct {
    char *text;
    char **line;
    int n;
} Lines;

static void lines_split(const char *source, Lines *l)
{
    size_t len = strlen(source);
    l->text = malloc(len + 1);
    memcpy(l->text, source, len + 1);
    int cap = 16;
    l->line = malloc(cap * sizeof *l->line);
    l->n = 0;
    for (char *p = l->text; *p;) {
        if (l->n == cap)
            l->line = realloc(l->line, (cap *= 2) * sizeof *l->line);
        l->line[l->n++] = p;
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
}

static void lines_free(Lines *l)
{
    free(l->text);
    free(l->line);
}

static int is_ident_char(int c)
{
    return isalnum(c) || c == '_';
}

/* Where name occurs in s as a whole identifier followed by '(' (spaces
 * allowed), or NULL. */
static const char *find_call_like(const char *s, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(s, name); p; p = strstr(p + 1, name)) {
        if (p > s && is_ident_char((unsigned char)p[-1]))
            continue;
        const char *q = p + n;
        while (*q == ' ')
            q++;
        if (*q == '(')
            return p;
    }
    return NULL;
}

static int starts_code_at_margin(const char *line)
{
    return line[0] && !isspace((unsigned char)line[0]) && line[0] != '#' && line[0] != '/'
           && line[0] != '*' && line[0] != '{' && line[0] != '}';
}

/* The first line of the comment that ends right above line i (no blank line
 * between), or i when there is none. */
static int comment_above(const Lines *l, int i)
{
    int j = i - 1;
    if (j < 0)
        return i;
    const char *s = l->line[j];
    size_t len = strlen(s);
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (len >= 2 && s[len - 2] == '*' && s[len - 1] == '/') {
        while (j >= 0 && !strstr(l->line[j], "/*"))
            j--;
        return j >= 0 ? j : i;
    }
    int k = j;
    while (k >= 0 && strncmp(l->line[k], "//", 2) == 0)
        k--;
    return k < j ? k + 1 : i;
}

/* A function definition: the name at the left margin (or after a return
 * type that starts there), then a parameter list, then "{" before any ";". */
static int find_function(const Lines *l, const char *name, int *first, int *last)
{
    for (int i = 0; i < l->n; i++) {
        const char *at = find_call_like(l->line[i], name);
        if (!at)
            continue;
        int head = i;
        if (at == l->line[i]) {
            /* "name(" at the margin: the return type is on the line above */
            if (i == 0 || !starts_code_at_margin(l->line[i - 1]))
                continue;
            head = i - 1;
        } else if (!starts_code_at_margin(l->line[i])) {
            continue;
        } else {
            /* only a type may come before the name: no '(', '=' or return */
            const char *s = l->line[i];
            size_t before = (size_t)(at - s);
            if (memchr(s, '(', before) || memchr(s, '=', before) || strstr(s, "return ") == s)
                continue;
        }
        int j = i, opened = 0;
        for (; j < l->n && j < i + 40; j++) {
            const char *s = l->line[j];
            const char *brace = strchr(s, '{'), *semi = strchr(s, ';');
            if (brace && (!semi || brace < semi)) {
                opened = 1;
                break;
            }
            if (semi)
                break;  /* a prototype or a declaration */
        }
        if (!opened)
            continue;
        /* the body ends at a '}' at the margin, or on the line it opened
         * ("double step(double z) { return z > 0; }") */
        int k = j;
        const char *close = strrchr(l->line[j], '}');
        if (!(close && close > strchr(l->line[j], '{')))
            for (k = j + 1; k < l->n && l->line[k][0] != '}'; k++)
                ;
        if (k >= l->n)
            continue;
        *first = comment_above(l, head);
        *last = k;
        return 0;
    }
    return -1;
}

/* "} Name;" closing a typedef, back to its "typedef", or a one-line typedef. */
static int find_typedef(const Lines *l, const char *name, int *first, int *last)
{
    size_t n = strlen(name);
    for (int i = 0; i < l->n; i++) {
        const char *s = l->line[i];
        const char *at = NULL;
        if (s[0] == '}') {
            at = s + 1;
            while (*at == ' ')
                at++;
        } else if (strncmp(s, "typedef ", 8) == 0 && strchr(s, ';')) {
            const char *semi = strrchr(s, ';');
            at = (size_t)(semi - s) >= n ? semi - n : NULL;
            if (at && at > s && is_ident_char((unsigned char)at[-1]))
                at = NULL;
        }
        if (!at || strncmp(at, name, n) != 0 || at[n] != ';')
            continue;
        int j = i;
        while (j >= 0 && strncmp(l->line[j], "typedef", 7) != 0)
            j--;
        if (j < 0)
            continue;
        *first = comment_above(l, j);
        *last = i;
        return 0;
    }
    return -1;
}

static int find_define(const Lines *l, const char *name, int *first, int *last)
{
    size_t n = strlen(name);
    for (int i = 0; i < l->n; i++) {
        const char *s = l->line[i];
        if (strncmp(s, "#define ", 8) != 0 || strncmp(s + 8, name, n) != 0
            || is_ident_char((unsigned char)s[8 + n]))
            continue;
        int k = i;
        while (k + 1 < l->n && strlen(l->line[k]) && l->line[k][strlen(l->line[k]) - 1] == '\\')
            k++;
        *first = comment_above(l, i);
        *last = k;
        return 0;
    }
    return -1;
}

/* The marker comment "notebook: NAME" (or "end notebook: NAME") on line s,
 * NAME whole. */
static int has_marker(const char *s, const char *word, const char *name)
{
    const char *p = strstr(s, word);
    if (!p || (strcmp(word, "notebook: ") == 0 && p >= s + 4 && strncmp(p - 4, "end ", 4) == 0))
        return 0;
    p += strlen(word);
    size_t n = strlen(name);
    return strncmp(p, name, n) == 0 && !is_ident_char((unsigned char)p[n]) && p[n] != '-';
}

static int find_region(const Lines *l, const char *name, int *first, int *last, char *err)
{
    int begin = -1;
    for (int i = 0; i < l->n; i++) {
        if (begin < 0 && has_marker(l->line[i], "notebook: ", name) && strstr(l->line[i], "/*")) {
            begin = i;
        } else if (begin >= 0 && has_marker(l->line[i], "end notebook: ", name)) {
            if (i == begin + 1) {
                snprintf(err, WEAVE_ERR, "the region '%s' is empty", name);
                return -2;
            }
            *first = begin + 1;
            *last = i - 1;
            return 0;
        }
    }
    if (begin >= 0) {
        snprintf(err, WEAVE_ERR, "the region '%s' (line %d) has no 'end notebook: %s'", name,
                 begin + 1, name);
        return -2;
    }
    return -1;
}

/* The smallest indentation of the non-blank lines first..last. */
static size_t common_indent(const Lines *l, int first, int last)
{
    size_t least = (size_t)-1;
    for (int i = first; i <= last; i++) {
        const char *s = l->line[i];
        size_t k = strspn(s, " ");
        if (s[k] && k < least)
            least = k;
    }
    return least == (size_t)-1 ? 0 : least;
}

int code_extract(const char *source, const char *name, CodePiece *piece, char err[WEAVE_ERR])
{
    Lines l;
    lines_split(source, &l);
    int first = -1, last = -1, region = 0;
    int found = find_region(&l, name, &first, &last, err);
    if (found == -2) {
        lines_free(&l);
        return -1;
    }
    region = found == 0;
    if (found != 0)
        found = find_function(&l, name, &first, &last);
    if (found != 0)
        found = find_typedef(&l, name, &first, &last);
    if (found != 0)
        found = find_define(&l, name, &first, &last);
    if (found != 0) {
        snprintf(err, WEAVE_ERR, "no function, type, macro or marked region named '%s'", name);
        lines_free(&l);
        return -1;
    }
    size_t indent = region ? common_indent(&l, first, last) : 0;
    *piece = (CodePiece){.first = first + 1, .last = last + 1};
    for (int i = first; i <= last; i++) {
        const char *s = l.line[i];
        s += strlen(s) >= indent ? indent : strlen(s);
        text_puts(&piece->code, s);
        text_puts(&piece->code, "\n");
    }
    lines_free(&l);
    return 0;
}
