/* cli.c — see cli.h. */
#include "cli.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double parse_number(const char *flag, const char *text)
{
    char *end;
    if (!text || !*text)
        usage_error("%s: falta el valor", flag);
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0')
        usage_error("%s: '%s' no es un número", flag, text);
    if (errno == ERANGE || !isfinite(v))
        usage_error("%s: '%s' está fuera de rango", flag, text);
    return v;
}

double parse_positive_double(const char *flag, const char *text)
{
    double v = parse_number(flag, text);
    if (v <= 0)
        usage_error("%s: debe ser mayor que 0, no '%s'", flag, text);
    return v;
}

double parse_nonnegative_double(const char *flag, const char *text)
{
    double v = parse_number(flag, text);
    if (v < 0)
        usage_error("%s: no puede ser negativo, no '%s'", flag, text);
    return v;
}

double parse_fraction(const char *flag, const char *text)
{
    double v = parse_number(flag, text);
    if (v < 0 || v >= 1)
        usage_error("%s: debe estar entre 0 (incluido) y 1 (excluido), no '%s'", flag, text);
    return v;
}

int parse_positive_int(const char *flag, const char *text)
{
    char *end;
    if (!text || !*text)
        usage_error("%s: falta el valor", flag);
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end != '\0')
        usage_error("%s: '%s' no es un número entero", flag, text);
    if (v <= 0)
        usage_error("%s: debe ser al menos 1, no '%s'", flag, text);
    if (errno == ERANGE || v > 1000000000L)
        usage_error("%s: '%s' es demasiado grande", flag, text);
    return (int)v;
}

uint64_t parse_seed(const char *flag, const char *text)
{
    char *end;
    if (!text || !*text)
        usage_error("%s: falta el valor", flag);
    if (text[0] == '-')
        usage_error("%s: no puede ser negativo, no '%s'", flag, text);
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (end == text || *end != '\0')
        usage_error("%s: '%s' no es un número entero", flag, text);
    if (errno == ERANGE)
        usage_error("%s: '%s' es demasiado grande", flag, text);
    return (uint64_t)v;
}

/* Splits `text` at commas and calls `each` on every piece. */
static int split_list(const char *flag, const char *text, int max,
                      void (*each)(const char *flag, const char *piece, int i, void *ctx),
                      void *ctx)
{
    if (!text || !*text)
        usage_error("%s: falta el valor", flag);
    char *copy = xstrdup(text);
    int n = 0;
    /* Not strtok: "0.1,,1" has an empty piece, which is a mistake to say,
     * not a comma to skip. */
    for (char *piece = copy;;) {
        char *comma = strchr(piece, ',');
        if (comma)
            *comma = 0;
        if (!*piece)
            usage_error("%s: hay un valor vacío en '%s'", flag, text);
        if (n == max)
            usage_error("%s: como mucho %d valores", flag, max);
        each(flag, piece, n++, ctx);
        if (!comma)
            break;
        piece = comma + 1;
    }
    free(copy);
    return n;
}

static void each_double(const char *flag, const char *piece, int i, void *ctx)
{
    ((double *)ctx)[i] = parse_positive_double(flag, piece);
}

int parse_positive_double_list(const char *flag, const char *text, double *out, int max)
{
    return split_list(flag, text, max, each_double, out);
}

struct word_ctx {
    const char *const *allowed;
    const char **out;
};

static void each_word(const char *flag, const char *piece, int i, void *ctx)
{
    struct word_ctx *w = ctx;
    for (int k = 0; w->allowed[k]; k++)
        if (strcmp(piece, w->allowed[k]) == 0) {
            w->out[i] = w->allowed[k];
            return;
        }
    usage_error("%s: valor desconocido '%s'", flag, piece);
}

int parse_word_list(const char *flag, const char *text, const char *const *allowed,
                    const char **out, int max)
{
    struct word_ctx w = {allowed, out};
    return split_list(flag, text, max, each_word, &w);
}

struct seed_ctx {
    uint64_t *out;
    int max, n;
};

/* One piece of a seed list: "7" or "1-100" (a range may add many seeds). */
static void each_seed(const char *flag, const char *piece, int i, void *ctx)
{
    (void)i;
    struct seed_ctx *s = ctx;
    const char *dash = strchr(piece, '-');
    uint64_t first, last;
    if (dash && dash != piece) {
        char head[32];
        size_t len = (size_t)(dash - piece);
        if (len >= sizeof head)
            usage_error("%s: '%s' no es una semilla ni un rango", flag, piece);
        memcpy(head, piece, len);
        head[len] = 0;
        first = parse_seed(flag, head);
        last = parse_seed(flag, dash + 1);
        if (last < first)
            usage_error("%s: el rango '%s' va hacia atrás", flag, piece);
    } else {
        first = last = parse_seed(flag, piece);
    }
    for (uint64_t v = first;; v++) {
        if (s->n == s->max)
            usage_error("%s: como mucho %d semillas", flag, s->max);
        s->out[s->n++] = v;
        if (v == last)
            break;
    }
}

int parse_seed_list(const char *flag, const char *text, uint64_t *out, int max)
{
    struct seed_ctx s = {out, max, 0};
    /* split_list's own count limits the pieces; the seeds are counted here. */
    split_list(flag, text, max, each_seed, &s);
    return s.n;
}

void cli_unknown_option(const char *arg)
{
    usage_error("opción desconocida o incompleta '%s'", arg ? arg : "?");
}
