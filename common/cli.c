/* cli.c — see cli.h.
 *
 * Every parser is written once, as a cli_* function that returns -1 and the
 * message instead of stopping; the parse_* functions the chapters call are
 * thin wrappers that stop through usage_error() with that message. The split
 * is for the fuzzer (tests/fuzz/fuzz_cli.c): libFuzzer counts any exit() as a
 * crash, and a non-exiting core lets it try millions of texts in one process
 * on the very code the chapters run — simpler and closer to the truth than
 * intercepting usage_error with --wrap and longjmp out of it. */
#include "cli.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *err, size_t errlen, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* The message into err, and -1: every refusal is `return fail(...)`. */
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int parse_number(const char *flag, const char *text, double *out, char *err, size_t errlen)
{
    char *end;
    if (!text || !*text)
        return fail(err, errlen, "%s: falta el valor", flag);
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0')
        return fail(err, errlen, "%s: '%s' no es un número", flag, text);
    if (errno == ERANGE || !isfinite(v))
        return fail(err, errlen, "%s: '%s' está fuera de rango", flag, text);
    *out = v;
    return 0;
}

int cli_positive_double(const char *flag, const char *text, double *out, char *err, size_t errlen)
{
    if (parse_number(flag, text, out, err, errlen) < 0)
        return -1;
    if (*out <= 0)
        return fail(err, errlen, "%s: debe ser mayor que 0, no '%s'", flag, text);
    return 0;
}

int cli_nonnegative_double(const char *flag, const char *text, double *out, char *err,
                           size_t errlen)
{
    if (parse_number(flag, text, out, err, errlen) < 0)
        return -1;
    if (*out < 0)
        return fail(err, errlen, "%s: no puede ser negativo, no '%s'", flag, text);
    return 0;
}

int cli_fraction(const char *flag, const char *text, double *out, char *err, size_t errlen)
{
    if (parse_number(flag, text, out, err, errlen) < 0)
        return -1;
    if (*out < 0 || *out >= 1)
        return fail(err, errlen, "%s: debe estar entre 0 (incluido) y 1 (excluido), no '%s'", flag,
                    text);
    return 0;
}

int cli_positive_int(const char *flag, const char *text, int *out, char *err, size_t errlen)
{
    char *end;
    if (!text || !*text)
        return fail(err, errlen, "%s: falta el valor", flag);
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end != '\0')
        return fail(err, errlen, "%s: '%s' no es un número entero", flag, text);
    if (v <= 0)
        return fail(err, errlen, "%s: debe ser al menos 1, no '%s'", flag, text);
    if (errno == ERANGE || v > 1000000000L)
        return fail(err, errlen, "%s: '%s' es demasiado grande", flag, text);
    *out = (int)v;
    return 0;
}

int cli_seed(const char *flag, const char *text, uint64_t *out, char *err, size_t errlen)
{
    char *end;
    if (!text || !*text)
        return fail(err, errlen, "%s: falta el valor", flag);
    if (text[0] == '-')
        return fail(err, errlen, "%s: no puede ser negativo, no '%s'", flag, text);
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (end == text || *end != '\0')
        return fail(err, errlen, "%s: '%s' no es un número entero", flag, text);
    if (errno == ERANGE)
        return fail(err, errlen, "%s: '%s' es demasiado grande", flag, text);
    *out = (uint64_t)v;
    return 0;
}

/* What is handed to the function called on each piece of a list. */
typedef struct {
    const char *flag;
    char *err;
    size_t errlen;
    void *ctx;
} Piece;

/* Splits `text` at commas and calls `each` on every piece (its index i).
 * Returns the count of pieces, or -1 with the message of the first bad one. */
static int split_list(const char *flag, const char *text, int max,
                      int (*each)(const Piece *p, const char *piece, int i), void *ctx,
                      char *err, size_t errlen)
{
    if (!text || !*text)
        return fail(err, errlen, "%s: falta el valor", flag);
    Piece p = {flag, err, errlen, ctx};
    char *copy = xstrdup(text);
    int n = 0, rc = 0;
    /* Not strtok: "0.1,,1" has an empty piece, which is a mistake to say,
     * not a comma to skip. */
    for (char *piece = copy;;) {
        char *comma = strchr(piece, ',');
        if (comma)
            *comma = 0;
        if (!*piece)
            rc = fail(err, errlen, "%s: hay un valor vacío en '%s'", flag, text);
        else if (n == max)
            rc = fail(err, errlen, "%s: como mucho %d valores", flag, max);
        else
            rc = each(&p, piece, n++);
        if (rc < 0 || !comma)
            break;
        piece = comma + 1;
    }
    free(copy);
    return rc < 0 ? -1 : n;
}

static int each_double(const Piece *p, const char *piece, int i)
{
    return cli_positive_double(p->flag, piece, (double *)p->ctx + i, p->err, p->errlen);
}

int cli_positive_double_list(const char *flag, const char *text, double *out, int max,
                             char *err, size_t errlen)
{
    return split_list(flag, text, max, each_double, out, err, errlen);
}

typedef struct {
    const char *const *allowed;
    const char **out;
} Words;

static int each_word(const Piece *p, const char *piece, int i)
{
    const Words *w = p->ctx;
    for (int k = 0; w->allowed[k]; k++)
        if (strcmp(piece, w->allowed[k]) == 0) {
            w->out[i] = w->allowed[k];
            return 0;
        }
    return fail(p->err, p->errlen, "%s: valor desconocido '%s'", p->flag, piece);
}

int cli_word_list(const char *flag, const char *text, const char *const *allowed,
                  const char **out, int max, char *err, size_t errlen)
{
    Words w = {allowed, out};
    return split_list(flag, text, max, each_word, &w, err, errlen);
}

typedef struct {
    uint64_t *out;
    int max, n;
} Seeds;

/* One piece of a seed list: "7" or "1-100" (a range may add many seeds). */
static int each_seed(const Piece *p, const char *piece, int i)
{
    (void)i;
    Seeds *s = p->ctx;
    const char *dash = strchr(piece, '-');
    uint64_t first, last;
    if (dash && dash != piece) {
        char head[32];
        size_t len = (size_t)(dash - piece);
        if (len >= sizeof head)
            return fail(p->err, p->errlen, "%s: '%s' no es una semilla ni un rango", p->flag, piece);
        memcpy(head, piece, len);
        head[len] = 0;
        if (cli_seed(p->flag, head, &first, p->err, p->errlen) < 0 ||
            cli_seed(p->flag, dash + 1, &last, p->err, p->errlen) < 0)
            return -1;
        if (last < first)
            return fail(p->err, p->errlen, "%s: el rango '%s' va hacia atrás", p->flag, piece);
    } else {
        if (cli_seed(p->flag, piece, &first, p->err, p->errlen) < 0)
            return -1;
        last = first;
    }
    for (uint64_t v = first;; v++) {
        if (s->n == s->max)
            return fail(p->err, p->errlen, "%s: como mucho %d semillas", p->flag, s->max);
        s->out[s->n++] = v;
        if (v == last)
            return 0;
    }
}

int cli_seed_list(const char *flag, const char *text, uint64_t *out, int max, char *err,
                  size_t errlen)
{
    Seeds s = {out, max, 0};
    /* split_list's own count limits the pieces; the seeds are counted here. */
    if (split_list(flag, text, max, each_seed, &s, err, errlen) < 0)
        return -1;
    return s.n;
}

/* --- the wrappers the chapters call: stop on a bad value --------------- */

/* Room for a message that quotes a long value in full. */
#define CLI_ERR 1024

double parse_positive_double(const char *flag, const char *text)
{
    double v = 0;
    char err[CLI_ERR];
    if (cli_positive_double(flag, text, &v, err, sizeof err) < 0)
        usage_error("%s", err);
    return v;
}

double parse_nonnegative_double(const char *flag, const char *text)
{
    double v = 0;
    char err[CLI_ERR];
    if (cli_nonnegative_double(flag, text, &v, err, sizeof err) < 0)
        usage_error("%s", err);
    return v;
}

double parse_fraction(const char *flag, const char *text)
{
    double v = 0;
    char err[CLI_ERR];
    if (cli_fraction(flag, text, &v, err, sizeof err) < 0)
        usage_error("%s", err);
    return v;
}

int parse_positive_int(const char *flag, const char *text)
{
    int v = 0;
    char err[CLI_ERR];
    if (cli_positive_int(flag, text, &v, err, sizeof err) < 0)
        usage_error("%s", err);
    return v;
}

uint64_t parse_seed(const char *flag, const char *text)
{
    uint64_t v = 0;
    char err[CLI_ERR];
    if (cli_seed(flag, text, &v, err, sizeof err) < 0)
        usage_error("%s", err);
    return v;
}

int parse_positive_double_list(const char *flag, const char *text, double *out, int max)
{
    char err[CLI_ERR];
    int n = cli_positive_double_list(flag, text, out, max, err, sizeof err);
    if (n < 0)
        usage_error("%s", err);
    return n;
}

int parse_word_list(const char *flag, const char *text, const char *const *allowed,
                    const char **out, int max)
{
    char err[CLI_ERR];
    int n = cli_word_list(flag, text, allowed, out, max, err, sizeof err);
    if (n < 0)
        usage_error("%s", err);
    return n;
}

int parse_seed_list(const char *flag, const char *text, uint64_t *out, int max)
{
    char err[CLI_ERR];
    int n = cli_seed_list(flag, text, out, max, err, sizeof err);
    if (n < 0)
        usage_error("%s", err);
    return n;
}

void cli_unknown_option(const char *arg)
{
    usage_error("opción desconocida o incompleta '%s'", arg ? arg : "?");
}
