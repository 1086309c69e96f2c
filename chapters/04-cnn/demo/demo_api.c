/* demo_api.c — POST /api/predict (see demo_api.h): the body read by a small,
 * strict JSON reader, checked, made into the 28 × 28 image the networks see,
 * run through them, and the answer written as JSON.
 *
 * The reader. It knows the one shape a request has — an object whose members
 * are strings, numbers and one array of numbers — and reads it in one pass,
 * the pixels straight into an array (a 1024 × 1024 canvas is a million numbers:
 * no tree of values is built). It is strict (RFC 8259): no trailing commas, no
 * single quotes, no leading zeros or '+', no NaN or Infinity, strings in UTF-8
 * with their control characters escaped, nothing after the object but white
 * space, and nothing nested deeper than the request needs (an object holding
 * arrays), so that no body can make it recurse. The first problem found is the
 * answer: 400 and one line in Spanish that says what and where.
 *
 * Numbers are read with strtod and written by hand, both in the C locale: a
 * program using this must not set LC_NUMERIC to a locale with a decimal comma
 * (the reader would then refuse every fraction, loudly). */
#include "demo_api.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "demo_models.h"
#include "demo_preprocess.h"
#include "util.h"

#define MAX_DEPTH 2                                   /* {"pixels": [...]}: an object, an array */
#define MAX_PIXELS ((size_t)DEMO_MAX_SIDE * DEMO_MAX_SIDE)
#define NAME_MAX_LEN 32                               /* longer model names are simply unknown */

/* ======================================================================================== */
/* The request                                                                              */
/* ======================================================================================== */

typedef struct {
    char model[NAME_MAX_LEN + 1];    /* "cnn", "mlp", "both" (anything else: refused) */
    int model_too_long;
    int has_model, has_width, has_height, has_pixels;
    long width, height;              /* a raw canvas's size; none for a 28 × 28 image */
    real *pixels;                    /* (height, width) or (28, 28), row by row */
    size_t npixels, cap;
} Request;

/* Where the reader is in the body, and the first problem it found. */
typedef struct {
    const char *start, *p, *end;     /* the body, NUL-terminated at end */
    int status;                      /* 0 while all is well, else the HTTP status */
    char error[320];
} Reader;

static int fail(Reader *r, int status, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* Records the first problem (the later ones follow from it) and returns 0. */
static int fail(Reader *r, int status, const char *fmt, ...)
{
    if (r->status)
        return 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->error, sizeof r->error, fmt, ap);
    va_end(ap);
    r->status = status;
    return 0;
}

static long offset(const Reader *r) { return (long)(r->p - r->start); }

static int malformed(Reader *r, const char *expected)
{
    if (r->p >= r->end)
        return fail(r, 400, "JSON incompleto: el texto termina donde se esperaba %s", expected);
    return fail(r, 400, "JSON mal formado en el byte %ld: se esperaba %s", offset(r), expected);
}

/* The next byte, or −1 at the end of the body. */
static int peek(const Reader *r) { return r->p < r->end ? (unsigned char)*r->p : -1; }

static void skip_space(Reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static int expect(Reader *r, char c, const char *what)
{
    skip_space(r);
    if (peek(r) != (unsigned char)c)
        return malformed(r, what);
    r->p++;
    return 1;
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }

/* What JavaScript's JSON.stringify never writes but a hand-made body might:
 * NaN, Infinity, -Infinity (in any case). */
static int at_nan_or_infinity(const Reader *r)
{
    const char *s = r->p + (peek(r) == '-' || peek(r) == '+');
    return (r->end - s >= 3) && (strncasecmp(s, "nan", 3) == 0 || strncasecmp(s, "inf", 3) == 0);
}

/* --- scalars ------------------------------------------------------------------------------ */

/* A number as RFC 8259 writes it: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
 * (1e999 too: it reads as infinity, and the caller refuses it by name). */
static int read_number(Reader *r, double *v)
{
    const char *s = r->p;
    if (*s == '-')
        s++;
    if (*s == '0')
        s++;
    else if (is_digit(*s))
        while (is_digit(*s))
            s++;
    else
        return malformed(r, "un número");
    if (is_digit(*s))
        return fail(r, 400, "JSON mal formado en el byte %ld: un número no empieza por 0 "
                    "seguido de cifras", offset(r));
    if (*s == '.') {
        if (!is_digit(*++s))
            return fail(r, 400, "JSON mal formado en el byte %ld: falta una cifra tras el punto "
                        "decimal", (long)(s - r->start));
        while (is_digit(*s))
            s++;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!is_digit(*s))
            return fail(r, 400, "JSON mal formado en el byte %ld: falta el exponente",
                        (long)(s - r->start));
        while (is_digit(*s))
            s++;
    }
    /* strtod on the token alone: it would also take what JSON does not
     * (0x1F, inf), and the body need not end where the number does. */
    size_t n = (size_t)(s - r->p);
    char small[64], *token = n < sizeof small ? small : xmalloc(n + 1);
    memcpy(token, r->p, n);
    token[n] = '\0';
    *v = strtod(token, NULL);   /* ±HUGE_VAL beyond a double: the caller says so */
    if (token != small)
        free(token);
    r->p = s;
    return 1;
}

static int hex4(const char *s, unsigned *code)
{
    *code = 0;
    for (int i = 0; i < 4; i++) {
        int c = (unsigned char)s[i], d = is_digit(c) ? c - '0'
                                       : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                                       : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
        if (d < 0)
            return 0;
        *code = *code * 16 + (unsigned)d;
    }
    return 1;
}

/* The length of the UTF-8 sequence at s (at most n bytes there), 0 when it is
 * not one: a stray continuation byte, a sequence cut short, an overlong form,
 * a surrogate or a code point above U+10FFFF. */
static int utf8_length(const unsigned char *s, long n)
{
    int len = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
            : s[0] >= 0xE0 && s[0] <= 0xEF ? 3 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    if (len == 0 || len > n)
        return 0;
    for (int i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
        return 0;
    return len;
}

/* Appends code point u as UTF-8 to out (cap bytes, room for a NUL), counting
 * the bytes in *len even past cap. */
static void put_utf8(char *out, size_t cap, size_t *len, unsigned u)
{
    unsigned char b[4];
    int n = u < 0x80 ? (b[0] = (unsigned char)u, 1)
          : u < 0x800 ? (b[0] = (unsigned char)(0xC0 | u >> 6), 2)
          : u < 0x10000 ? (b[0] = (unsigned char)(0xE0 | u >> 12), 3)
          : (b[0] = (unsigned char)(0xF0 | u >> 18), 4);
    for (int i = 1; i < n; i++)
        b[i] = (unsigned char)(0x80 | ((u >> (6 * (n - 1 - i))) & 0x3F));
    for (int i = 0; i < n; i++, (*len)++)
        if (out && *len + 1 < cap)
            out[*len] = (char)b[i];
}

/* One escape after its backslash (at r->p), into out. */
static int read_escape(Reader *r, char *out, size_t cap, size_t *len)
{
    static const char plain[] = "\"\\/bfnrt", meant[] = "\"\\/\b\f\n\r\t";
    const char *which = *r->p ? strchr(plain, *r->p) : NULL;
    if (which) {
        put_utf8(out, cap, len, (unsigned char)meant[which - plain]);
        r->p++;
        return 1;
    }
    unsigned u, low;
    if (*r->p != 'u' || !hex4(r->p + 1, &u))
        return fail(r, 400, "JSON mal formado en el byte %ld: escape desconocido en un texto",
                    offset(r) - 1);
    r->p += 5;
    if (u >= 0xDC00 && u <= 0xDFFF)
        return fail(r, 400, "JSON mal formado en el byte %ld: \\u%04X suelto (media pareja "
                    "UTF-16)", offset(r) - 6, u);
    if (u >= 0xD800 && u <= 0xDBFF) {   /* a pair of UTF-16 halves: one code point */
        if (r->p[0] != '\\' || r->p[1] != 'u' || !hex4(r->p + 2, &low) || low < 0xDC00 ||
            low > 0xDFFF)
            return fail(r, 400, "JSON mal formado en el byte %ld: \\u%04X sin su pareja UTF-16",
                        offset(r) - 6, u);
        r->p += 6;
        u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
    }
    put_utf8(out, cap, len, u);
    return 1;
}

/* A string (r->p at its opening quote) into out (cap bytes, NUL-terminated,
 * cut short if longer; out may be NULL). *len gets its full decoded length. */
static int read_string(Reader *r, char *out, size_t cap, size_t *len)
{
    size_t n = 0;
    if (peek(r) != '"')
        return malformed(r, "un texto entre comillas");
    r->p++;
    for (;;) {
        int c = peek(r);
        if (c < 0)
            return malformed(r, "las comillas que cierran el texto");
        if (c == '"')
            break;
        if (c < 0x20)
            return fail(r, 400, "JSON mal formado en el byte %ld: carácter de control sin escapar "
                        "en un texto", offset(r));
        if (c == '\\') {
            r->p++;
            if (!read_escape(r, out, cap, &n))
                return 0;
            continue;
        }
        int k = utf8_length((const unsigned char *)r->p, r->end - r->p);
        if (k == 0)
            return fail(r, 400, "el byte %ld no es UTF-8 válido", offset(r));
        for (int i = 0; i < k; i++, n++)
            if (out && n + 1 < cap)
                out[n] = r->p[i];
        r->p += k;
    }
    r->p++;
    if (out && cap)
        out[n < cap ? n : cap - 1] = '\0';
    if (len)
        *len = n;
    return 1;
}

static int read_literal(Reader *r)
{
    static const char *words[] = {"true", "false", "null"};
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(words[i]);
        if ((size_t)(r->end - r->p) >= n && memcmp(r->p, words[i], n) == 0) {
            r->p += n;
            return 1;
        }
    }
    return malformed(r, "un valor (número, texto, lista, objeto, true, false o null)");
}

/* --- any value, read and forgotten (a key the request does not use) ------------------------- */

static int skip_value(Reader *r, int depth);

static int skip_container(Reader *r, int depth)
{
    char open = *r->p, close = open == '{' ? '}' : ']';
    if (depth + 1 > MAX_DEPTH)
        return fail(r, 400, "JSON anidado a más profundidad de la que admite la petición "
                    "(byte %ld)", offset(r));
    r->p++;
    skip_space(r);
    if (peek(r) == close) {
        r->p++;
        return 1;
    }
    for (;;) {
        skip_space(r);
        if (open == '{' && !(read_string(r, NULL, 0, NULL) && expect(r, ':', "':'")))
            return 0;
        if (!skip_value(r, depth + 1))
            return 0;
        skip_space(r);
        if (peek(r) == close) {
            r->p++;
            return 1;
        }
        if (!expect(r, ',', open == '{' ? "',' o '}'" : "',' o ']'"))
            return 0;
    }
}

static int skip_value(Reader *r, int depth)
{
    double ignored;
    skip_space(r);
    int c = peek(r);
    if (at_nan_or_infinity(r))
        return fail(r, 400, "NaN e Infinity no son números de JSON (byte %ld)", offset(r));
    if (c == '{' || c == '[')
        return skip_container(r, depth);
    if (c == '"')
        return read_string(r, NULL, 0, NULL);
    if (c == '-' || is_digit(c))
        return read_number(r, &ignored);
    return read_literal(r);
}

/* --- the members the request knows ---------------------------------------------------------- */

static int read_model(Reader *r, Request *q)
{
    size_t len;
    if (peek(r) != '"')
        return fail(r, 400, "\"model\" debe ser un texto: \"cnn\", \"mlp\" o \"both\"");
    if (!read_string(r, q->model, sizeof q->model, &len))
        return 0;
    /* "cnn\u0000" is not "cnn": a NUL it decoded to shows as '?', and a name
     * longer than any model's stays unknown even cut short */
    for (size_t i = 0; i < len && i < NAME_MAX_LEN; i++)
        if (q->model[i] == '\0')
            q->model[i] = '?';
    q->model_too_long = len > NAME_MAX_LEN;
    return 1;
}

static int read_side(Reader *r, const char *name, long *side)
{
    double v;
    if (at_nan_or_infinity(r))
        return fail(r, 400, "\"%s\": NaN e Infinity no son números de JSON", name);
    if (!(peek(r) == '-' || is_digit(peek(r))))
        return fail(r, 400, "\"%s\" debe ser un número entero entre 1 y %d", name, DEMO_MAX_SIDE);
    if (!read_number(r, &v))
        return 0;
    if (!isfinite(v))
        return fail(r, 400, "\"%s\": el número es demasiado grande", name);
    if (v != floor(v) || v < 1 || v > DEMO_MAX_SIDE)
        return fail(r, 400, "\"%s\" = %g: debe ser un número entero entre 1 y %d", name, v,
                    DEMO_MAX_SIDE);
    *side = (long)v;
    return 1;
}

static int append_pixel(Reader *r, Request *q, real v)
{
    if (q->npixels == MAX_PIXELS)
        return fail(r, 400, "\"pixels\" tiene más de %zu valores (un lienzo es como mucho "
                    "%d × %d)", MAX_PIXELS, DEMO_MAX_SIDE, DEMO_MAX_SIDE);
    if (q->npixels == q->cap) {
        q->cap = q->cap ? 2 * q->cap : 1024;
        q->pixels = xrealloc(q->pixels, sizeof(real) * q->cap);
    }
    q->pixels[q->npixels++] = v;
    return 1;
}

/* One entry of "pixels": a number in [0, 1]. */
static int read_pixel(Reader *r, Request *q)
{
    size_t i = q->npixels;
    int c = peek(r);
    double v;
    if (at_nan_or_infinity(r))
        return fail(r, 400, "pixels[%zu]: NaN e Infinity no son números de JSON", i);
    if (c == '"' || c == 't' || c == 'f' || c == 'n' || c == '[' || c == '{')
        return fail(r, 400, "pixels[%zu] no es un número (byte %ld)", i, offset(r));
    if (!read_number(r, &v))
        return 0;
    if (!isfinite(v))
        return fail(r, 400, "pixels[%zu]: el número es demasiado grande", i);
    if (!(v >= 0 && v <= 1))
        return fail(r, 400, "pixels[%zu] = %g está fuera de [0, 1]", i, v);
    return append_pixel(r, q, (real)v + 0);   /* + 0: −0 becomes 0 */
}

static int read_pixels(Reader *r, Request *q)
{
    if (peek(r) != '[')
        return fail(r, 400, "\"pixels\" debe ser una lista de números entre 0 y 1");
    r->p++;
    skip_space(r);
    if (peek(r) == ']') {
        r->p++;
        return 1;
    }
    for (;;) {
        skip_space(r);
        if (!read_pixel(r, q))
            return 0;
        skip_space(r);
        if (peek(r) == ']') {
            r->p++;
            return 1;
        }
        if (!expect(r, ',', "',' o ']' en \"pixels\""))
            return 0;
    }
}

static int is_key(const char *key, size_t len, const char *name)
{
    return len == strlen(name) && memcmp(key, name, len) == 0;
}

static int once(Reader *r, int *seen, const char *name)
{
    if (*seen)
        return fail(r, 400, "el campo \"%s\" aparece dos veces", name);
    *seen = 1;
    return 1;
}

/* "key": value, r->p at the key. */
static int read_member(Reader *r, Request *q)
{
    char key[NAME_MAX_LEN + 1];
    size_t len;
    if (!read_string(r, key, sizeof key, &len) || !expect(r, ':', "':' tras el nombre del campo"))
        return 0;
    skip_space(r);
    if (is_key(key, len, "model"))
        return once(r, &q->has_model, "model") && read_model(r, q);
    if (is_key(key, len, "width"))
        return once(r, &q->has_width, "width") && read_side(r, "width", &q->width);
    if (is_key(key, len, "height"))
        return once(r, &q->has_height, "height") && read_side(r, "height", &q->height);
    if (is_key(key, len, "pixels"))
        return once(r, &q->has_pixels, "pixels") && read_pixels(r, q);
    return skip_value(r, 1);   /* a key it does not know: read, then ignored */
}

static int read_request(Reader *r, Request *q)
{
    skip_space(r);
    if (peek(r) < 0)
        return fail(r, 400, "el cuerpo está vacío: se esperaba un objeto JSON "
                    "{\"model\": …, \"pixels\": […]}");
    if (peek(r) != '{')
        return fail(r, 400, "se esperaba un objeto JSON {\"model\": …, \"pixels\": […]} "
                    "(byte %ld)", offset(r));
    r->p++;
    skip_space(r);
    if (peek(r) == '}')
        r->p++;
    else
        for (;;) {
            skip_space(r);
            if (!read_member(r, q))
                return 0;
            skip_space(r);
            if (peek(r) == '}') {
                r->p++;
                break;
            }
            if (!expect(r, ',', "',' o '}'"))
                return 0;
        }
    skip_space(r);
    if (r->p < r->end)
        return fail(r, 400, "JSON mal formado en el byte %ld: sobra texto tras el objeto",
                    offset(r));
    return 1;
}

/* --- what the members must say together ------------------------------------------------------- */

/* A model name the user typed, safe inside a message: printable ASCII only. */
static const char *printable(char *s)
{
    for (char *c = s; *c; c++)
        if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7E || *c == '"' || *c == '\\')
            *c = '?';
    return s;
}

static int check_request(Reader *r, Request *q)
{
    if (!q->has_model)
        return fail(r, 400, "falta el campo \"model\": \"cnn\", \"mlp\" o \"both\"");
    if (q->model_too_long || (strcmp(q->model, "cnn") != 0 && strcmp(q->model, "mlp") != 0 &&
                              strcmp(q->model, "both") != 0))
        return fail(r, 400, "modelo desconocido \"%s%s\": use \"cnn\", \"mlp\" o \"both\"",
                    printable(q->model), q->model_too_long ? "…" : "");
    if (!q->has_pixels)
        return fail(r, 400, "falta el campo \"pixels\"");
    if (q->has_width != q->has_height)
        return fail(r, 400, "falta el campo \"%s\": un lienzo lleva width y height",
                    q->has_width ? "height" : "width");
    if (q->has_width && q->npixels != (size_t)(q->width * q->height))
        return fail(r, 400, "\"pixels\" tiene %zu valores; un lienzo de %ld × %ld tiene %ld",
                    q->npixels, q->width, q->height, q->width * q->height);
    if (!q->has_width && q->npixels != DEMO_PIXELS)
        return fail(r, 400, "\"pixels\" tiene %zu valores; una imagen de 28 × 28 tiene %d "
                    "(un lienzo de otro tamaño lleva width y height)", q->npixels, DEMO_PIXELS);
    return 1;
}

/* ======================================================================================== */
/* The answer                                                                               */
/* ======================================================================================== */

typedef struct {
    char *s;
    size_t n, cap;
} Buf;

static void put(Buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        while (b->n + n + 1 > b->cap)
            b->cap = b->cap ? 2 * b->cap : 4096;
        b->s = xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void puts_(Buf *b, const char *s) { put(b, s, strlen(s)); }

static void put_int(Buf *b, long v)
{
    char tmp[24];
    put(b, tmp, (size_t)snprintf(tmp, sizeof tmp, "%ld", v));
}

/* v with at most `decimals` decimals, trailing zeros dropped: 0.5, 0, 1,
 * 0.123. By hand rather than printf("%.3f"): a feature map is 21 632 numbers,
 * and no locale can turn the point into a comma. */
static void put_fixed(Buf *b, double v, int decimals)
{
    if (!isfinite(v) || fabs(v) > 1e12) {            /* never for these networks */
        char tmp[32];
        put(b, tmp, (size_t)(isfinite(v) ? snprintf(tmp, sizeof tmp, "%.17g", v)
                                         : snprintf(tmp, sizeof tmp, "null")));
        return;
    }
    long long scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    long long k = llround(fabs(v) * (double)scale);
    char tmp[48], *t = tmp + sizeof tmp;
    int frac_digits = decimals;
    while (frac_digits > 0 && k % 10 == 0 && k != 0) {   /* trailing zeros go */
        k /= 10;
        frac_digits--;
    }
    if (k == 0) {
        puts_(b, "0");
        return;
    }
    for (int i = 0; i < frac_digits; i++, k /= 10)
        *--t = (char)('0' + k % 10);
    if (frac_digits > 0)
        *--t = '.';
    do
        *--t = (char)('0' + k % 10);
    while ((k /= 10) > 0);
    if (v < 0)
        *--t = '-';
    put(b, t, (size_t)(tmp + sizeof tmp - t));
}

static void put_array(Buf *b, const char *key, const real *v, int n, int decimals)
{
    puts_(b, "\"");
    puts_(b, key);
    puts_(b, "\":[");
    for (int i = 0; i < n; i++) {
        if (i)
            puts_(b, ",");
        put_fixed(b, v[i], decimals);
    }
    puts_(b, "]");
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void put_string(Buf *b, const char *s)
{
    puts_(b, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            put(b, esc, 2);
        } else if (c < 0x20) {
            char esc[8];
            put(b, esc, (size_t)snprintf(esc, sizeof esc, "\\u%04x", c));
        } else
            put(b, (const char *)&c, 1);
    }
    puts_(b, "\"");
}

static int answer_error(char **json, int status, const char *message)
{
    Buf b = {0};
    puts_(&b, "{\"error\":");
    put_string(&b, message);
    puts_(&b, "}");
    *json = b.s;
    return status;
}

static void put_guess(Buf *b, const DemoGuess *g)
{
    put_array(b, "probabilities", g->probabilities, DEMO_CLASSES, 6);
    puts_(b, ",\"guess\":");
    put_int(b, g->guess);
}

static void answer_mlp(Buf *b, const DemoModels *m, const real *input)
{
    DemoGuess g;
    demo_mlp_run(m, input, &g);
    puts_(b, ",\"mlp\":{");
    put_guess(b, &g);
    puts_(b, "}");
}

static void answer_cnn(Buf *b, const DemoModels *m, const real *input)
{
    DemoCnnResult *c = xmalloc(sizeof *c);   /* 90 KB: not on a server thread's stack */
    demo_cnn_run(m, input, c);
    puts_(b, ",\"cnn\":{");
    put_guess(b, &c->guess);
    puts_(b, ",\"feature_maps\":{\"channels\":");
    put_int(b, DEMO_MAPS);
    puts_(b, ",\"size\":");
    put_int(b, DEMO_MAP_SIDE);
    puts_(b, ",");
    put_array(b, "values", c->maps, DEMO_MAP_VALUES, 3);
    puts_(b, "},");
    put_array(b, "saliency", c->saliency, DEMO_PIXELS, 3);
    puts_(b, "}");
    free(c);
}

/* The 28 × 28 the networks see: the pixels as they came, or the canvas
 * preprocessed as MNIST was made. Returns 0 when it has no ink. */
static int network_input(const Request *q, real *input)
{
    if (q->has_width)
        return demo_preprocess(q->pixels, (int)q->width, (int)q->height, input);
    int ink = 0;
    for (int i = 0; i < DEMO_PIXELS; i++) {
        input[i] = q->pixels[i];
        ink |= input[i] > 0;
    }
    return ink;
}

static int answer(const DemoModels *m, const DemoRequest *q, char **json)
{
    Buf b = {0};
    puts_(&b, "{");
    put_array(&b, "input", q->input, DEMO_PIXELS, 3);
    if (!q->ink)
        puts_(&b, ",\"empty\":true");   /* a blank canvas: nothing to guess */
    if (q->ink && strcmp(q->model, "cnn") != 0)
        answer_mlp(&b, m, q->input);
    if (q->ink && strcmp(q->model, "mlp") != 0)
        answer_cnn(&b, m, q->input);
    puts_(&b, "}");
    *json = b.s;
    return 200;
}

_Static_assert(sizeof ((DemoRequest *)0)->input == DEMO_PIXELS * sizeof(real),
               "DemoRequest.input is the 28 × 28 of demo_preprocess.h");

int demo_read_request(const char *body, size_t len, DemoRequest *req, char *err, size_t errlen)
{
    memset(req, 0, sizeof *req);
    if (len > DEMO_MAX_BODY) {
        snprintf(err, errlen, "el cuerpo de la petición tiene %zu bytes; como mucho %d (4 MB)",
                 len, DEMO_MAX_BODY);
        return 413;
    }
    /* A NUL-terminated copy: the reader and strtod may then look one byte past
     * the last without leaving the buffer. */
    if (!body)
        len = 0;                                     /* no body: an empty one */
    char *text = xmalloc(len + 1);
    if (len)
        memcpy(text, body, len);
    text[len] = '\0';
    Reader r = {text, text, text + len, 0, ""};
    Request q = {0};
    int status = 200;
    if (read_request(&r, &q) && check_request(&r, &q)) {
        snprintf(req->model, sizeof req->model, "%.7s", q.model);   /* cnn, mlp or both */
        req->ink = network_input(&q, req->input);
    } else {
        snprintf(err, errlen, "%s", r.error);
        status = r.status;
    }
    free(q.pixels);
    free(text);
    return status;
}

int demo_predict_json(const DemoModels *m, const char *body, size_t len, char **json)
{
    DemoRequest *req = xmalloc(sizeof *req);
    char err[sizeof ((Reader *)0)->error];
    int status = demo_read_request(body, len, req, err, sizeof err);
    status = status == 200 ? answer(m, req, json) : answer_error(json, status, err);
    free(req);
    return status;
}
