/* test_demo.c — the drawing page's C side (chapters/04-cnn/demo): the request
 * reader and every refusal of the API contract (each with its status and an
 * {"error": …} answer); MNIST's preprocessing on inputs whose answer is known
 * (a centred square, an off-centre stroke whose centre of mass must land at
 * (14, 14), aspect ratios, anti-aliasing, a blank canvas, grey levels in
 * [0, 1]); both trained models on MNIST's first 100 test images asked through
 * demo_predict_json as the page asks — as 28 × 28 images and as big canvases —
 * at least as right as the chapters report, and giving the chapters' own
 * guesses; the saliency against a central difference; and many threads at
 * once giving the answers one thread gives.
 *
 * The trained models are read from out/03-mnist-mlp/model.safetensors and
 * out/04-cnn/model.safetensors (NN_OUT=DIR: from DIR/...); without them the
 * model tests fail and say how to make them. */
#include "testutil.h"
#include "../chapters/03-mnist-mlp/mlp.h"
#include "../chapters/04-cnn/cnn.h"
#include "../chapters/04-cnn/demo/demo_api.h"
#include "../chapters/04-cnn/demo/demo_models.h"
#include "../chapters/04-cnn/demo/demo_preprocess.h"
#include "mnist.h"
#include "nn.h"
#include "rng.h"
#include "safetensors.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ========================================================================= */
/* Helpers                                                                    */
/* ========================================================================= */

static int under_asan(void)
{
    const char *v = getenv("NN_VARIANT");
    return v && strcmp(v, "asan") == 0;
}

static const char *mnist_dir(void)
{
    return getenv("MNIST_DATA") && *getenv("MNIST_DATA") ? getenv("MNIST_DATA") : "datasets/mnist";
}

static const char *model_path(const char *chapter)
{
    static char path[2][1024];
    const char *out = getenv("NN_OUT") && *getenv("NN_OUT") ? getenv("NN_OUT") : "out";
    int k = strcmp(chapter, "03-mnist-mlp") == 0 ? 0 : 1;
    snprintf(path[k], sizeof path[k], "%s/%s/model.safetensors", out, chapter);
    return path[k];
}

/* Both trained models, or a failed test that says how to make them. */
static DemoModels *load_models(void)
{
    char err[1024];
    DemoModels *m = demo_models_load(model_path("03-mnist-mlp"), model_path("04-cnn"), err,
                                     sizeof err);
    ck_assert_msg(m != NULL, "the trained models are needed: %s (or set NN_OUT to an out/ "
                  "folder that has them)", err);
    return m;
}

static void load_mnist_test(Mnist *test)
{
    char err[1024];
    ck_assert_msg(mnist_read(mnist_dir(), "t10k", test, err, sizeof err) == 0,
                  "the MNIST test files are needed: %s", err);
}

/* A growing string. */
typedef struct {
    char *s;
    size_t n, cap;
} Str;

static void str_add(Str *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void str_add(Str *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int need = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (b->s && b->n + (size_t)need < b->cap) {
            b->n += (size_t)need;
            return;
        }
        b->cap = (b->cap + (size_t)need + 1) * 2;
        b->s = realloc(b->s, b->cap);
        ck_assert_ptr_nonnull(b->s);
    }
}

/* {"model": MODEL, ["width": W, "height": H,] "pixels": [n values]} */
static char *request(const char *model, const real *px, size_t n, int width, int height)
{
    Str b = {0};
    str_add(&b, "{\"model\": \"%s\", ", model);
    if (width > 0)
        str_add(&b, "\"width\": %d, \"height\": %d, ", width, height);
    str_add(&b, "\"pixels\": [");
    for (size_t i = 0; i < n; i++)
        str_add(&b, i ? ", %.9g" : "%.9g", (double)px[i]);   /* %.9g: the float itself */
    str_add(&b, "]}");
    return b.s;
}

/* The first array after `anchor` and then `key` in json: up to max numbers into out. */
static int json_array(const char *json, const char *anchor, const char *key, double *out, int max)
{
    const char *p = json;
    if (anchor) {
        p = strstr(json, anchor);
        ck_assert_msg(p != NULL, "no %s in the answer: %.300s", anchor, json);
    }
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":[", key);
    p = strstr(p, pattern);
    ck_assert_msg(p != NULL, "no %s array in the answer: %.300s", key, json);
    p += strlen(pattern);
    int n = 0;
    while (*p != ']') {
        char *end;
        double v = strtod(p, &end);
        ck_assert_msg(end != p, "not a number in %s: %.40s", key, p);
        ck_assert_msg(n < max, "%s has more than %d numbers", key, max);
        out[n++] = v;
        p = *end == ',' ? end + 1 : end;
    }
    return n;
}

/* The integer after `anchor` and then `"key":`. */
static int json_int_after(const char *json, const char *anchor, const char *key)
{
    const char *p = strstr(json, anchor);
    ck_assert_msg(p != NULL, "no %s in the answer", anchor);
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    p = strstr(p, pattern);
    ck_assert_msg(p != NULL, "no %s after %s", key, anchor);
    return atoi(p + strlen(pattern));
}

/* MNIST image i as the page would send a 28 × 28: pixel / 255 (mnist_gather's floats). */
static void mnist_pixels(const Mnist *m, int i, real *px)
{
    mnist_gather(m, &i, 1, px, NULL);
}

/* ========================================================================= */
/* The reader's refusals                                                      */
/* ========================================================================= */

/* Asks with `len` bytes; the models are NULL: a refused request must never
 * reach them (it would crash here if it did). */
static void check_refused_len(const char *body, size_t len, int status, const char *says)
{
    char *json = NULL;
    int got = demo_predict_json(NULL, body, len, &json);
    ck_assert_ptr_nonnull(json);
    ck_assert_msg(got == status, "%.80s…: status %d, expected %d (%s)", body, got, status, json);
    size_t n = strlen(json);
    ck_assert_msg(strncmp(json, "{\"error\":\"", 10) == 0 && n > 12 &&
                  strcmp(json + n - 2, "\"}") == 0 && !strchr(json, '\n'),
                  "%.80s…: not one {\"error\": \"…\"} line: %s", body, json);
    /* the message itself, its \" and \\ read back */
    char *message = malloc(n), *to = message;
    for (const char *from = json + 10; from < json + n - 2; from++)
        *to++ = *from == '\\' ? *++from : *from;
    *to = '\0';
    ck_assert_msg(strstr(message, says) != NULL, "%.80s…: the error does not say \"%s\": %s",
                  body, says, json);
    free(message);
    free(json);
}

static void check_refused(const char *body, int status, const char *says)
{
    check_refused_len(body, strlen(body), status, says);
}

/* A request whose pixels are 784 zeros with `tail` in place of the last one. */
static char *pixels_ending(const char *tail)
{
    Str b = {0};
    str_add(&b, "{\"model\": \"cnn\", \"pixels\": [");
    for (int i = 0; i < 783; i++)
        str_add(&b, "0,");
    str_add(&b, "%s]}", tail);
    return b.s;
}

START_TEST(test_malformed_json)
{
    static const struct { const char *body, *says; } cases[] = {
        {"", "vacío"},
        {"  \n ", "vacío"},
        {"[0.5]", "objeto JSON"},
        {"true", "objeto JSON"},
        {"{", "incompleto"},
        {"{\"model\": \"cnn\", \"pixels\": [0, 0", "incompleto"},
        {"{\"model\": \"cn", "incompleto"},
        {"{\"model\": \"cnn\"} x", "sobra texto"},
        {"{\"model\": \"cnn\"}{}", "sobra texto"},
        {"{\"model\": \"cnn\",}", "mal formado"},
        {"{\"model\": \"cnn\", \"pixels\": [0,]}", "mal formado"},
        {"{\"model\": \"cnn\", \"pixels\": [0 0]}", "mal formado"},
        {"{\"model\" \"cnn\"}", "':'"},
        {"{'model': 'cnn'}", "mal formado"},
        {"{model: \"cnn\"}", "mal formado"},
        {"{\"model\": \"cnn\", \"pixels\": [01]}", "empieza por 0"},
        {"{\"model\": \"cnn\", \"pixels\": [1.]}", "punto decimal"},
        {"{\"model\": \"cnn\", \"pixels\": [.5]}", "mal formado"},
        {"{\"model\": \"cnn\", \"pixels\": [+1]}", "mal formado"},
        {"{\"model\": \"cnn\", \"pixels\": [1e]}", "exponente"},
        {"{\"model\": \"cnn\", \"pixels\": [0x1]}", "mal formado"},
        {"{\"model\": \"cnn\", \"pixels\": [tru]}", "no es un número"},
        {"{\"model\": \"cnn\", \"x\": tru}", "mal formado"},
        {"{\"model\": \"cnn\", \"x\": nul}", "mal formado"},
        {"{\"model\": \"c\x01nn\"}", "control"},
        {"{\"model\": \"c\\xnn\"}", "escape"},
        {"{\"model\": \"c\\u12\"}", "escape"},
        {"{\"model\": \"\\udc00\"}", "UTF-16"},
        {"{\"model\": \"\\ud800x\"}", "UTF-16"},
        {"{\"model\": \"\xff\"}", "UTF-8"},
        {"{\"model\": \"\xc0\xaf\"}", "UTF-8"},           /* an overlong '/' */
        {"{\"model\": \"\xed\xa0\x80\"}", "UTF-8"},       /* a surrogate in UTF-8 */
        {"{\"model\": \"\xe2\x82\"}", "UTF-8"},           /* cut short */
        {"{\"x\": [[1]], \"model\": \"cnn\"}", "anidado"},
        {"{\"x\": {\"y\": {}}, \"model\": \"cnn\"}", "anidado"},
        {"{\"x\": [{\"y\": 1}]}", "anidado"},
        {"{\"model\": \"cnn\", \"model\": \"mlp\"}", "dos veces"},
        {"{\"pixels\": [], \"pixels\": []}", "dos veces"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_refused(cases[i].body, 400, cases[i].says);
    /* no body at all is an empty one */
    char *json = NULL;
    ck_assert_int_eq(demo_predict_json(NULL, NULL, 0, &json), 400);
    ck_assert_msg(strstr(json, "vacío") != NULL, "%s", json);
    free(json);
    /* a NUL inside the body is no JSON either */
    check_refused_len("{\"model\": \"cnn\"\0}", 17, 400, "mal formado");
    check_refused_len("{\"model\": \"c\0nn\"}", 17, 400, "control");
}
END_TEST

START_TEST(test_bad_numbers)
{
    static const struct { const char *tail, *says; } cases[] = {
        {"NaN", "NaN"},        {"nan", "NaN"},        {"-NaN", "NaN"},
        {"Infinity", "NaN"},   {"-Infinity", "NaN"},  {"inf", "NaN"},
        {"1e999", "demasiado grande"},
        {"-0.5", "fuera de [0, 1]"},  {"1.0001", "fuera de [0, 1]"}, {"2", "fuera de [0, 1]"},
        {"-1e-9", "fuera de [0, 1]"},
        {"\"0.5\"", "no es un número"}, {"null", "no es un número"},
        {"true", "no es un número"},    {"[0.5]", "no es un número"},
        {"{}", "no es un número"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *body = pixels_ending(cases[i].tail);
        check_refused(body, 400, cases[i].says);
        check_refused(body, 400, "pixels[783]");   /* and it names the pixel */
        free(body);
    }
    /* the edges and the other spellings are in (refused then only for the model "xyz") */
    const char *fine[] = {"0", "1", "-0", "1.0", "1e0", "5E-4", "0.000", "10e-1"};
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        char *body = pixels_ending(fine[i]);
        memcpy(strstr(body, "\"cnn\""), "\"xyz\"", 5);
        check_refused(body, 400, "modelo desconocido");
        free(body);
    }
}
END_TEST

START_TEST(test_bad_fields)
{
    char body[512];
    static const struct { const char *body, *says; } cases[] = {
        {"{}", "falta el campo \"model\""},
        {"{\"pixels\": []}", "falta el campo \"model\""},
        {"{\"model\": \"cnn\"}", "falta el campo \"pixels\""},
        {"{\"model\": \"rnn\", \"pixels\": []}", "modelo desconocido \"rnn\""},
        {"{\"model\": \"CNN\", \"pixels\": []}", "modelo desconocido"},
        {"{\"model\": \"\", \"pixels\": []}", "modelo desconocido"},
        {"{\"model\": \"cnn\\u0000\", \"pixels\": []}", "modelo desconocido"},
        {"{\"model\": \"a\\\"b\\n\", \"pixels\": []}", "modelo desconocido \"a?b?\""},
        {"{\"model\": \"bothbothbothbothbothbothbothbothboth\", \"pixels\": []}",
         "modelo desconocido"},
        {"{\"model\": 3, \"pixels\": []}", "debe ser un texto"},
        {"{\"model\": null, \"pixels\": []}", "debe ser un texto"},
        {"{\"model\": [\"cnn\"], \"pixels\": []}", "debe ser un texto"},
        {"{\"model\": \"cnn\", \"pixels\": 0.5}", "lista de números"},
        {"{\"model\": \"cnn\", \"pixels\": \"0,0\"}", "lista de números"},
        {"{\"model\": \"cnn\", \"pixels\": {}}", "lista de números"},
        {"{\"model\": \"cnn\", \"pixels\": []}", "tiene 0 valores"},
        {"{\"model\": \"cnn\", \"pixels\": [0, 1]}", "tiene 2 valores"},
        {"{\"model\": \"cnn\", \"width\": 2, \"pixels\": [0, 1]}", "falta el campo \"height\""},
        {"{\"model\": \"cnn\", \"height\": 2, \"pixels\": [0, 1]}", "falta el campo \"width\""},
        {"{\"model\": \"cnn\", \"width\": 2, \"height\": 2, \"pixels\": [0, 1]}",
         "lienzo de 2 × 2 tiene 4"},
        {"{\"model\": \"cnn\", \"width\": 0, \"height\": 2, \"pixels\": []}", "entero entre 1 y 1024"},
        {"{\"model\": \"cnn\", \"width\": 1025, \"height\": 2, \"pixels\": []}", "entero"},
        {"{\"model\": \"cnn\", \"width\": 2.5, \"height\": 2, \"pixels\": []}", "entero"},
        {"{\"model\": \"cnn\", \"width\": -3, \"height\": 2, \"pixels\": []}", "entero"},
        {"{\"model\": \"cnn\", \"width\": \"10\", \"height\": 2, \"pixels\": []}", "entero"},
        {"{\"model\": \"cnn\", \"width\": NaN, \"height\": 2, \"pixels\": []}", "NaN"},
        {"{\"model\": \"cnn\", \"width\": 1e400, \"height\": 2, \"pixels\": []}", "demasiado grande"},
        {"{\"model\": \"cnn\", \"width\": 2, \"width\": 2, \"pixels\": []}", "dos veces"},
        {"{\"model\": \"cnn\", \"x\": NaN, \"pixels\": []}", "NaN"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_refused(cases[i].body, 400, cases[i].says);
    /* 783 and 785 values for a 28 × 28 */
    for (int n = 783; n <= 785; n += 2) {
        Str b = {0};
        str_add(&b, "{\"model\": \"cnn\", \"pixels\": [0");
        for (int i = 1; i < n; i++)
            str_add(&b, ",0");
        str_add(&b, "]}");
        snprintf(body, sizeof body, "tiene %d valores", n);
        check_refused(b.s, 400, body);
        free(b.s);
    }
}
END_TEST

START_TEST(test_body_limits)
{
    /* over 4 MB: 413, whatever it holds */
    size_t n = DEMO_MAX_BODY + 1;
    char *big = malloc(n + 1);
    memset(big, ' ', n);
    big[n] = '\0';
    check_refused_len(big, n, 413, "4 MB");
    /* more values than a 1024 × 1024 canvas: refused before they fill the memory */
    Str b = {0};
    str_add(&b, "{\"model\": \"cnn\", \"width\": 1024, \"height\": 1024, \"pixels\": [0");
    for (size_t i = 1; i <= (size_t)DEMO_MAX_SIDE * DEMO_MAX_SIDE; i++)
        str_add(&b, ",0");
    str_add(&b, "]}");
    ck_assert(b.n <= DEMO_MAX_BODY);
    check_refused(b.s, 400, "más de 1048576 valores");
    free(b.s);
    free(big);
}
END_TEST

/* ========================================================================= */
/* Preprocessing on known inputs                                              */
/* ========================================================================= */

static real *canvas_new(int w, int h)
{
    real *c = calloc((size_t)w * h, sizeof(real));
    ck_assert_ptr_nonnull(c);
    return c;
}

static void fill_rect(real *c, int w, int x0, int y0, int x1, int y1, real v)
{
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++)
            c[(size_t)y * w + x] = v;
}

/* The rectangle of out (28 × 28) holding values above `above`. */
static DemoBox ink_of(const real *out, real above)
{
    DemoBox box = {0, 0, 0, 0};
    int x0 = 28, x1 = -1, y0 = 28, y1 = -1;
    for (int y = 0; y < 28; y++)
        for (int x = 0; x < 28; x++)
            if (out[y * 28 + x] > above) {
                x0 = x < x0 ? x : x0;
                x1 = x > x1 ? x : x1;
                y0 = y < y0 ? y : y0;
                y1 = y > y1 ? y : y1;
            }
    if (x1 >= 0)
        box = (DemoBox){x0, y0, x1 - x0 + 1, y1 - y0 + 1};
    return box;
}

static void assert_in_unit_range(const real *out, int n)
{
    real top = 0;
    for (int i = 0; i < n; i++) {
        ck_assert_msg(out[i] >= 0 && out[i] <= 1, "pixel %d is %g, outside [0, 1]", i,
                      (double)out[i]);
        top = out[i] > top ? out[i] : top;
    }
    ck_assert_msg(top == 1, "the brightest pixel is %g, not 1", (double)top);
}

static void assert_centred(const real *out, const char *what)
{
    double r, c;
    demo_centre_of_mass(out, 28, 28, &r, &c);
    ck_assert_msg(fabs(r - 14) <= 0.5 && fabs(c - 14) <= 0.5,
                  "%s: centre of mass at (%.3f, %.3f), not within 0.5 of (14, 14)", what, r, c);
}

START_TEST(test_centred_square)
{
    /* a 40 × 40 square in the middle of 100 × 100: it becomes exactly 20 × 20 of ink */
    int w = 100, h = 100;
    real *c = canvas_new(w, h), out[784];
    fill_rect(c, w, 30, 30, 69, 69, 1);
    ck_assert_int_eq(demo_preprocess(c, w, h, out), 1);
    DemoBox box = ink_of(out, 0);
    ck_assert_int_eq(box.width, 20);
    ck_assert_int_eq(box.height, 20);
    int ones = 0;
    for (int i = 0; i < 784; i++)
        ones += out[i] == 1;
    ck_assert_int_eq(ones, 400);
    /* its centre of mass (9.5, 9.5) moves by whole pixels: to 14.5, half a pixel off */
    assert_centred(out, "square");
    ck_assert_msg(box.x0 >= 4 && box.x0 <= 5 && box.y0 >= 4 && box.y0 <= 5, "square at (%d, %d)",
                  box.y0, box.x0);
    assert_in_unit_range(out, 784);
    free(c);
}
END_TEST

START_TEST(test_off_centre_stroke)
{
    /* an L in the top-left corner of a 300 × 200 canvas, mass heavy at the
     * bottom-left: cropped, scaled, and its centre of mass — not its box's
     * centre — at (14, 14) */
    int w = 300, h = 200;
    real *c = canvas_new(w, h), out[784];
    fill_rect(c, w, 20, 10, 29, 89, 1);    /* the upright: 10 wide, 80 tall */
    fill_rect(c, w, 20, 80, 69, 89, 1);    /* the foot: 50 wide, 10 tall */
    ck_assert_int_eq(demo_preprocess(c, w, h, out), 1);
    assert_centred(out, "L");
    DemoBox box = ink_of(out, 0);
    ck_assert_int_eq(box.height, 20);      /* 80 tall → 20 */
    ck_assert_int_eq(box.width, 13);       /* 50 wide → 12.5, the last column partly */
    /* the box's own centre is not at 14: the mass is */
    ck_assert_msg(box.y0 + box.height / 2.0 < 14, "the L's box should sit above the centre");
    assert_in_unit_range(out, 784);

    /* the same stroke anywhere on the canvas gives the same image */
    real *moved = canvas_new(w, h), out2[784];
    fill_rect(moved, w, 220, 100, 229, 179, 1);
    fill_rect(moved, w, 220, 170, 269, 179, 1);
    ck_assert_int_eq(demo_preprocess(moved, w, h, out2), 1);
    ck_assert_mem_eq(out, out2, sizeof out);
    free(moved);
    free(c);
}
END_TEST

START_TEST(test_aspect_ratio_kept)
{
    static const struct { int w, h, rows, cols; } cases[] = {
        {10, 40, 20, 5},      /* tall: 40 → 20, 10 → 5 */
        {60, 15, 5, 20},      /* wide: 60 → 20, 15 → 5 */
        {30, 70, 20, 9},      /* 30·20/70 = 8.57: 9 columns, the last partly covered */
        {1, 50, 20, 1},       /* a line stays a line, one pixel wide */
        {400, 400, 20, 20},
        {3, 3, 20, 20},       /* a small dot grows to the box */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int w = 500, h = 450;
        real *c = canvas_new(w, h), out[784];
        fill_rect(c, w, 50, 20, 50 + cases[i].w - 1, 20 + cases[i].h - 1, 1);
        ck_assert_int_eq(demo_preprocess(c, w, h, out), 1);
        DemoBox box = ink_of(out, 0);
        ck_assert_msg(box.height == cases[i].rows && box.width == cases[i].cols,
                      "%d × %d of ink: %d rows × %d columns, expected %d × %d", cases[i].w,
                      cases[i].h, box.height, box.width, cases[i].rows, cases[i].cols);
        assert_centred(out, "rectangle");
        assert_in_unit_range(out, 784);
        free(c);
    }
}
END_TEST

START_TEST(test_antialiasing_greys)
{
    /* a bar 3 pixels wide and 40 tall, halved: column 0 covers canvas columns
     * 0-1 (ink, ink), column 1 covers 2-3 (ink, paper) — a grey of 0.5 */
    real *c = canvas_new(40, 40), small[400];
    fill_rect(c, 40, 0, 0, 2, 39, 1);
    DemoBox box;
    ck_assert_int_eq(demo_ink_box(c, 40, 40, &box), 1);
    ck_assert_int_eq(box.width, 3);
    int rows, cols;
    demo_scale_to_box(c, 40, &box, small, &rows, &cols);
    ck_assert_int_eq(rows, 20);
    ck_assert_int_eq(cols, 2);
    for (int r = 0; r < rows; r++) {
        ck_assert_float_eq_tol(small[r * 2 + 0], 1, 1e-6);
        ck_assert_float_eq_tol(small[r * 2 + 1], 0.5, 1e-6);
    }
    /* a faint stroke (0.2) is given MNIST's ink: its brightest pixel 1 */
    real out[784];
    fill_rect(c, 40, 0, 0, 2, 39, 0.2f);
    ck_assert_int_eq(demo_preprocess(c, 40, 40, out), 1);
    assert_in_unit_range(out, 784);
    free(c);
}
END_TEST

START_TEST(test_blank_and_random_canvases)
{
    real out[784];
    real *c = canvas_new(DEMO_MAX_SIDE, DEMO_MAX_SIDE);
    ck_assert_int_eq(demo_preprocess(c, DEMO_MAX_SIDE, DEMO_MAX_SIDE, out), 0);
    for (int i = 0; i < 784; i++)
        ck_assert(out[i] == 0);
    ck_assert_int_eq(demo_preprocess(c, 1, 1, out), 0);
    /* one pixel of ink, on a 1 × 1 canvas and in a corner of the largest */
    c[0] = 0.3f;
    ck_assert_int_eq(demo_preprocess(c, 1, 1, out), 1);
    ck_assert_int_eq(ink_of(out, 0).width, 20);
    assert_centred(out, "dot");
    c[0] = 0;
    c[(size_t)DEMO_MAX_SIDE * DEMO_MAX_SIDE - 1] = 1;
    ck_assert_int_eq(demo_preprocess(c, DEMO_MAX_SIDE, DEMO_MAX_SIDE, out), 1);
    assert_centred(out, "corner dot");
    /* all ink */
    fill_rect(c, DEMO_MAX_SIDE, 0, 0, DEMO_MAX_SIDE - 1, DEMO_MAX_SIDE - 1, 1);
    ck_assert_int_eq(demo_preprocess(c, DEMO_MAX_SIDE, DEMO_MAX_SIDE, out), 1);
    ck_assert_int_eq(ink_of(out, 0.999f).width, 20);
    /* random blobs of random greys: always in [0, 1], brightest 1, centred */
    Rng rng;
    rng_seed(&rng, 7);
    for (int t = 0; t < 50; t++) {
        int w = 1 + (int)rng_below(&rng, 300), h = 1 + (int)rng_below(&rng, 300);
        memset(c, 0, sizeof(real) * (size_t)w * h);
        for (int k = 0; k < 20; k++) {
            int x = (int)rng_below(&rng, (uint32_t)w), y = (int)rng_below(&rng, (uint32_t)h);
            c[(size_t)y * w + x] = (real)rng_uniform(&rng);
        }
        c[0] = 0.01f;   /* at least one pixel of ink */
        ck_assert_int_eq(demo_preprocess(c, w, h, out), 1);
        assert_in_unit_range(out, 784);
        /* the centre of mass is exact only for what was not cut at the field's
         * edge; scattered dots rarely reach it, so check where nothing was cut */
        DemoBox box = ink_of(out, 0);
        if (box.x0 > 0 && box.y0 > 0 && box.x0 + box.width < 28 && box.y0 + box.height < 28)
            assert_centred(out, "random canvas");
    }
    free(c);
}
END_TEST

/* ========================================================================= */
/* The answers                                                                */
/* ========================================================================= */

static char *ask(const DemoModels *m, const char *body, int want_status)
{
    char *answer[1] = {NULL};   /* not &json: gcc's -Wdangling-pointer then sees a dangling
                                 * pointer once ask() is inlined (it is not one) */
    int status = demo_predict_json(m, body, strlen(body), answer);
    ck_assert_msg(status == want_status, "status %d, expected %d: %.300s", status, want_status,
                  answer[0]);
    return answer[0];
}

START_TEST(test_blank_answers_empty)
{
    DemoModels *m = load_models();
    real zeros[100 * 60] = {0};
    char *body = request("both", zeros, 784, 0, 0);
    char *json = ask(m, body, 200);
    ck_assert_msg(strstr(json, "\"empty\":true") && !strstr(json, "\"mlp\"") &&
                  !strstr(json, "\"cnn\"") && !strstr(json, "\"guess\""), "%.300s", json);
    free(body);
    free(json);
    body = request("cnn", zeros, 100 * 60, 100, 60);
    json = ask(m, body, 200);
    ck_assert_msg(strstr(json, "\"empty\":true") && !strstr(json, "\"guess\""), "%.300s", json);
    double input[784];
    ck_assert_int_eq(json_array(json, NULL, "input", input, 784), 784);
    free(body);
    free(json);
    demo_models_free(m);
}
END_TEST

START_TEST(test_answer_shape)
{
    DemoModels *m = load_models();
    Mnist test;
    load_mnist_test(&test);
    real px[784];
    mnist_pixels(&test, 0, px);
    static double v[DEMO_MAP_VALUES];

    char *body = request("both", px, 784, 0, 0);
    char *json = ask(m, body, 200);
    ck_assert_int_eq(json_array(json, NULL, "input", v, 784), 784);
    for (int i = 0; i < 784; i++)       /* the image as it came, 3 decimals */
        ck_assert_msg(fabs(v[i] - px[i]) <= 0.0005 + 1e-9, "input[%d] %g, sent %g", i, v[i],
                      (double)px[i]);
    const char *parts[] = {"\"mlp\":", "\"cnn\":"};
    for (int k = 0; k < 2; k++) {
        ck_assert_int_eq(json_array(json, parts[k], "probabilities", v, 10), 10);
        double sum = 0;
        int best = 0;
        for (int i = 0; i < 10; i++) {
            ck_assert(v[i] >= 0 && v[i] <= 1);
            sum += v[i];
            best = v[i] > v[best] ? i : best;
        }
        ck_assert_msg(fabs(sum - 1) < 1e-4, "%s probabilities add up to %g", parts[k], sum);
        ck_assert_int_eq(json_int_after(json, parts[k], "guess"), best);
    }
    ck_assert_int_eq(json_int_after(json, "\"feature_maps\":", "channels"), 32);
    ck_assert_int_eq(json_int_after(json, "\"feature_maps\":", "size"), 26);
    ck_assert_int_eq(json_array(json, "\"feature_maps\":", "values", v, DEMO_MAP_VALUES),
                     DEMO_MAP_VALUES);
    double top = 0;
    for (int i = 0; i < DEMO_MAP_VALUES; i++) {
        ck_assert_msg(v[i] >= 0, "a map after ReLU is never negative: %g", v[i]);
        top = fmax(top, v[i]);
    }
    ck_assert_msg(top > 0, "every feature map is 0");
    ck_assert_int_eq(json_array(json, "\"cnn\":", "saliency", v, 784), 784);
    top = 0;
    for (int i = 0; i < 784; i++) {
        ck_assert(v[i] >= 0 && v[i] <= 1);
        top = fmax(top, v[i]);
    }
    ck_assert_msg(top == 1, "the saliency's largest is %g, not 1", top);
    ck_assert_msg(!strstr(json, "\"empty\""), "an image with ink is not empty");
    free(json);
    free(body);

    /* one model only: the other is not run */
    body = request("mlp", px, 784, 0, 0);
    json = ask(m, body, 200);
    ck_assert_msg(strstr(json, "\"mlp\":{") && !strstr(json, "\"cnn\""), "%.200s", json);
    free(json);
    free(body);
    body = request("cnn", px, 784, 0, 0);
    json = ask(m, body, 200);
    ck_assert_msg(strstr(json, "\"cnn\":{") && !strstr(json, "\"mlp\""), "%.200s", json);
    free(json);

    /* a body of exactly 4 MB is in: the same request padded with spaces */
    size_t len = strlen(body);
    char *padded = malloc(DEMO_MAX_BODY + 1);
    memcpy(padded, body, len);
    memset(padded + len, ' ', DEMO_MAX_BODY - len);
    padded[DEMO_MAX_BODY] = '\0';
    json = ask(m, padded, 200);
    ck_assert_msg(strstr(json, "\"cnn\":{"), "%.200s", json);
    free(json);
    free(padded);
    free(body);
    mnist_free(&test);
    demo_models_free(m);
}
END_TEST

/* The chapters' own guesses for the first n test images, from their own code
 * on their own copies of the models. */
static void chapters_guesses(const Mnist *test, int n, unsigned char *mlp, unsigned char *cnn)
{
    Rng rng;
    rng_seed(&rng, 1);
    CnnNet net;
    cnn_init(&net, &rng);
    char err[512];
    ck_assert_msg(cnn_load(&net, model_path("04-cnn"), err, sizeof err) == 0, "%s", err);
    CnnActs acts;
    cnn_acts_init(&acts, 10);
    cnn_predict(&net, &acts, test, 0, n, cnn);
    cnn_acts_free(&acts);
    cnn_free(&net);

    static const int sizes[4] = {784, 128, 64, 10};
    Ch3Net mlp_net;
    ch3_net_init(&mlp_net, 3, sizes, activation_find("relu"), CH3_SOFTMAX_CE, CH3_INIT_PYTORCH, n,
                 &rng);
    StTensor t[6] = {
        {.name = "fc1.weight", .ndim = 2, .shape = {128, 784}, .data = mlp_net.W[0]},
        {.name = "fc1.bias", .ndim = 1, .shape = {128}, .data = mlp_net.b[0]},
        {.name = "fc2.weight", .ndim = 2, .shape = {64, 128}, .data = mlp_net.W[1]},
        {.name = "fc2.bias", .ndim = 1, .shape = {64}, .data = mlp_net.b[1]},
        {.name = "fc3.weight", .ndim = 2, .shape = {10, 64}, .data = mlp_net.W[2]},
        {.name = "fc3.bias", .ndim = 1, .shape = {10}, .data = mlp_net.b[2]},
    };
    ck_assert_msg(st_load(model_path("03-mnist-mlp"), t, 6, err, sizeof err) == 0, "%s", err);
    ch3_evaluate(&mlp_net, test, NULL, n, mlp, NULL);
    ch3_net_free(&mlp_net);
}

START_TEST(test_models_on_mnist)
{
    DemoModels *m = load_models();
    Mnist test;
    load_mnist_test(&test);
    enum { N = 100 };
    unsigned char mlp_ch[N], cnn_ch[N];
    chapters_guesses(&test, N, mlp_ch, cnn_ch);
    int mlp_right = 0, cnn_right = 0;
    for (int i = 0; i < N; i++) {
        real px[784];
        mnist_pixels(&test, i, px);
        char *body = request("both", px, 784, 0, 0);
        char *json = ask(m, body, 200);
        int mlp = json_int_after(json, "\"mlp\":", "guess");
        int cnn = json_int_after(json, "\"cnn\":", "guess");
        ck_assert_msg(mlp == mlp_ch[i] && cnn == cnn_ch[i], "image %d: the page's guesses %d "
                      "(MLP) and %d (CNN), the chapters' %d and %d", i, mlp, cnn, mlp_ch[i],
                      cnn_ch[i]);
        mlp_right += mlp == test.labels[i];
        cnn_right += cnn == test.labels[i];
        free(json);
        free(body);
    }
    printf("the first %d MNIST test images as 28 × 28 requests: MLP %d right, CNN %d right\n", N,
           mlp_right, cnn_right);
    /* chapter 3 reports 97 % on the whole test set, chapter 4 99 % */
    ck_assert_msg(mlp_right >= 95, "the MLP got %d of %d right (chapter 3: at least 95 %%)",
                  mlp_right, N);
    ck_assert_msg(cnn_right >= 98, "the CNN got %d of %d right (chapter 4: at least 98 %%)",
                  cnn_right, N);
    mnist_free(&test);
    demo_models_free(m);
}
END_TEST

/* MNIST's digits drawn big somewhere on a canvas, as a person draws on the
 * page: each image blown up ×10 (every pixel a 10 × 10 square) into a 360 ×
 * 300 canvas away from its centre. The preprocessing must give the networks
 * back an MNIST digit. */
START_TEST(test_models_on_big_canvases)
{
    DemoModels *m = load_models();
    Mnist test;
    load_mnist_test(&test);
    enum { N = 100 };
    int W = 360, H = 300, X0 = 70, Y0 = 15;
    real *canvas = canvas_new(W, H);
    int mlp_right = 0, cnn_right = 0;
    for (int i = 0; i < N; i++) {
        real px[784];
        mnist_pixels(&test, i, px);
        for (int y = 0; y < 280; y++)
            for (int x = 0; x < 280; x++)
                canvas[(size_t)(Y0 + y) * W + X0 + x] = px[(y / 10) * 28 + x / 10];
        char *body = request("both", canvas, (size_t)W * H, W, H);
        char *json = ask(m, body, 200);
        mlp_right += json_int_after(json, "\"mlp\":", "guess") == test.labels[i];
        cnn_right += json_int_after(json, "\"cnn\":", "guess") == test.labels[i];
        free(json);
        free(body);
    }
    printf("the first %d MNIST test images blown up ×10 on a %d × %d canvas: MLP %d right, CNN "
           "%d right\n", N, W, H, mlp_right, cnn_right);
    ck_assert_msg(mlp_right >= N * 90 / 100, "MLP: %d of %d on big canvases", mlp_right, N);
    ck_assert_msg(cnn_right >= N * 95 / 100, "CNN: %d of %d on big canvases", cnn_right, N);
    free(canvas);
    mnist_free(&test);
    demo_models_free(m);
}
END_TEST

/* The saliency is the gradient: against a central difference of log p(guess)
 * at the pixels it ranks highest. On an image the CNN is sure of, p(guess)
 * rounds to 1 in float and the gradient drowns in the rounding: the image is
 * half of one digit and half of another, the blend it is least sure of among
 * MNIST's first ten pairs. The network is piecewise linear (ReLU, max pooling;
 * a pooling window of equal values, as on blank paper, has one slope to the
 * left and another to the right), so a step can cross a kink: four of the
 * five pixels must agree. */
START_TEST(test_saliency_is_the_gradient)
{
    DemoModels *m = load_models();
    Mnist test;
    load_mnist_test(&test);
    real px[784], a[784], b[784];
    static DemoCnnResult r, rp, rm;
    double least = 2;
    for (int i = 0; i < 10; i++) {
        mnist_pixels(&test, 2 * i, a);
        mnist_pixels(&test, 2 * i + 1, b);
        for (int k = 0; k < 784; k++)
            a[k] = (a[k] + b[k]) / 2;
        demo_cnn_run(m, a, &r);
        if (r.guess.probabilities[r.guess.guess] < least) {
            least = r.guess.probabilities[r.guess.guess];
            memcpy(px, a, sizeof px);
        }
    }
    ck_assert_msg(least < 0.9, "every blend of two digits is certain: p = %g", least);
    demo_cnn_run(m, px, &r);
    ck_assert_msg(r.saliency_scale > 0, "the saliency is all zeros");
    int agree = 0;
    char said[1024] = "";
    for (int k = 0; k < 5; k++) {
        int best = -1;   /* the largest saliency not yet tried (those are set to 2) */
        for (int i = 0; i < 784; i++)
            if (r.saliency[i] <= 1 && (best < 0 || r.saliency[i] > r.saliency[best]))
                best = i;
        real keep = px[best];
        const real h = 1e-3f;
        px[best] = keep + h;
        demo_cnn_run(m, px, &rp);
        px[best] = keep - h;
        demo_cnn_run(m, px, &rm);
        px[best] = keep;
        int g = r.guess.guess;
        double fd = (log(rp.guess.probabilities[g]) - log(rm.guess.probabilities[g])) / (2 * h);
        double want = r.saliency[best] * r.saliency_scale;
        int ok = fabs(fabs(fd) - want) <= 0.1 * want;
        agree += ok;
        size_t used = strlen(said);
        snprintf(said + used, sizeof said - used, " pixel %d: |difference| %.5g, saliency %.5g;",
                 best, fabs(fd), want);
        r.saliency[best] = 2;   /* out of the next rounds */
    }
    ck_assert_msg(agree >= 4, "the saliency is not |∂ log p / ∂ x|:%s", said);
    mnist_free(&test);
    demo_models_free(m);
}
END_TEST

/* --- many threads at once ------------------------------------------------------------------ */

enum { THREAD_REQUESTS = 6, THREADS = 6 };

typedef struct {
    const DemoModels *m;
    char **bodies, **answers;   /* answers: one thread's */
    int first, rounds, mismatches;
} ThreadJob;

static void *ask_many(void *arg)
{
    ThreadJob *job = arg;
    for (int round = 0; round < job->rounds; round++)
        for (int k = 0; k < THREAD_REQUESTS; k++) {
            int i = (job->first + k) % THREAD_REQUESTS;   /* each thread in its own order */
            char *json = NULL;
            int status = demo_predict_json(job->m, job->bodies[i], strlen(job->bodies[i]), &json);
            job->mismatches += status != 200 || strcmp(json, job->answers[i]) != 0;
            free(json);
        }
    return NULL;
}

START_TEST(test_threads_agree)
{
    DemoModels *m = load_models();
    Mnist test;
    load_mnist_test(&test);
    char *bodies[THREAD_REQUESTS], *answers[THREAD_REQUESTS];
    for (int i = 0; i < THREAD_REQUESTS; i++) {
        real px[784];
        mnist_pixels(&test, i, px);
        /* a 28 × 28 as it is, and a canvas to preprocess, in turn */
        bodies[i] = i % 2 ? request("both", px, 784, 28, 28) : request("both", px, 784, 0, 0);
        answers[i] = ask(m, bodies[i], 200);   /* one thread */
    }
    pthread_t th[THREADS];
    ThreadJob jobs[THREADS];
    for (int t = 0; t < THREADS; t++) {
        jobs[t] = (ThreadJob){m, bodies, answers, t, under_asan() ? 1 : 3, 0};
        ck_assert_int_eq(pthread_create(&th[t], NULL, ask_many, &jobs[t]), 0);
    }
    int mismatches = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(th[t], NULL);
        mismatches += jobs[t].mismatches;
    }
    ck_assert_msg(mismatches == 0, "%d answers from %d threads at once differ from one thread's",
                  mismatches, THREADS);
    for (int i = 0; i < THREAD_REQUESTS; i++) {
        free(bodies[i]);
        free(answers[i]);
    }
    mnist_free(&test);
    demo_models_free(m);
}
END_TEST

START_TEST(test_models_refused)
{
    demo_models_free(load_models());   /* first, the right ones load */
    char err[1024];
    char *dir = test_tmpdir();
    char missing[1100];
    snprintf(missing, sizeof missing, "%s/nada.safetensors", dir);
    DemoModels *m = demo_models_load(missing, model_path("04-cnn"), err, sizeof err);
    ck_assert_msg(!m && strstr(err, missing) && strstr(err, "make chapter3"), "%s", err);
    m = demo_models_load(model_path("03-mnist-mlp"), missing, err, sizeof err);
    ck_assert_msg(!m && strstr(err, missing) && strstr(err, "make chapter4"), "%s", err);
    /* each other's file: refused, not misread */
    m = demo_models_load(model_path("04-cnn"), model_path("03-mnist-mlp"), err, sizeof err);
    ck_assert_msg(!m && strstr(err, "MLP"), "%s", err);
    m = demo_models_load(model_path("03-mnist-mlp"), model_path("03-mnist-mlp"), err, sizeof err);
    ck_assert_msg(!m && strstr(err, "CNN"), "%s", err);
    /* the MLP with its first weight made NaN (a run that diverged): refused,
     * never loaded to answer every drawing with NaN */
    size_t size;
    unsigned char *bytes = st_read_file(model_path("03-mnist-mlp"), &size, err, sizeof err);
    ck_assert_msg(bytes, "%s", err);
    uint64_t header = 0;
    for (int i = 7; i >= 0; i--)
        header = header << 8 | bytes[i];
    memcpy(bytes + 8 + header, (const unsigned char[]){0x00, 0x00, 0xc0, 0x7f}, 4);
    char nan_model[1100];
    snprintf(nan_model, sizeof nan_model, "%s/nan.safetensors", dir);
    FILE *f = fopen(nan_model, "wb");
    ck_assert(f && fwrite(bytes, 1, size, f) == size && fclose(f) == 0);
    free(bytes);
    m = demo_models_load(nan_model, model_path("04-cnn"), err, sizeof err);
    ck_assert_msg(!m && strstr(err, nan_model) && strstr(err, "NaN"), "%s", err);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* ---- the server, from other processes ------------------------------------ */

/* "node SCRIPT --server DEMO --mlp … --cnn …" with this build's server; its
 * output on stdout; the exit status. */
static int run_node(const char *script, const char *extra, char *out, size_t cap)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "node tests/browser/%s --server %s --mlp %s --cnn %s %s", script,
             test_bin("demo"), model_path("03-mnist-mlp"), model_path("04-cnn"), extra);
    int status = test_run(cmd, out, cap);
    fputs(out, stdout);
    return status;
}

/* Bad flags and wrong model files: one line that says what, a non-zero exit,
 * and no server started. */
START_TEST(test_server_refuses_bad_flags)
{
    char models[4200];
    snprintf(models, sizeof models, "--mlp %s --cnn %s", model_path("03-mnist-mlp"),
             model_path("04-cnn"));
    const struct { const char *args; int status; const char *says; } cases[] = {
        {"--port abc", 2, "--port: 'abc' no es un puerto"},
        {"--port 70000", 2, "--port: '70000' no es un puerto"},
        {"--bogus", 2, "opción desconocida"},
        {"--cnn x.safetensors", 2, "faltan los modelos"},
        {"--www /nonexistent", 2, "--www: '/nonexistent' no es una carpeta"},
        {"SWAPPED", 1, "no se pudo cargar el MLP del capítulo 3"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char cmd[8192], out[4096];
        if (strcmp(cases[i].args, "SWAPPED") == 0)   /* the CNN's file given as the MLP */
            snprintf(cmd, sizeof cmd, "timeout 10 %s --mlp %s --cnn %s --port 0", test_bin("demo"),
                     model_path("04-cnn"), model_path("04-cnn"));
        else
            snprintf(cmd, sizeof cmd, "timeout 10 %s %s %s --port 0", test_bin("demo"),
                     strstr(cases[i].args, "--cnn") ? "" : models, cases[i].args);
        int status = test_run(cmd, out, sizeof out);
        ck_assert_msg(status == cases[i].status, "%s: exit %d, not %d: %s", cases[i].args, status,
                      cases[i].status, out);
        ck_assert_msg(strstr(out, cases[i].says), "%s: '%s'", cases[i].args, out);
        const char *nl = strchr(out, '\n');
        ck_assert_msg(nl && nl[1] == '\0', "%s: more than one line: '%s'", cases[i].args, out);
    }
}
END_TEST

/* tests/browser/load.mjs: 2000 requests from 16 clients on loopback, good
 * and bad mixed, every answer checked; stalled clients cut by the timeout. */
START_TEST(test_server_under_load)
{
    static char out[1 << 16];
    char extra[1200];
    snprintf(extra, sizeof extra, "--data %s", mnist_dir());
    int status = run_node("load.mjs", extra, out, sizeof out);
    ck_assert_msg(status == 0, "load.mjs failed (exit %d)", status);
    ck_assert_ptr_nonnull(strstr(out, "load: 2000 requests from 16 clients"));
    ck_assert_ptr_nonnull(strstr(out, "; 0 failed"));
}
END_TEST

/* tests/browser/demo.mjs: chromium draws a 0, a 1, a 4 and a 7 on the page
 * with the mouse; both networks must read them. */
START_TEST(test_page_in_chromium)
{
    static char out[1 << 16];
    int status = run_node("demo.mjs", "", out, sizeof out);
    ck_assert_msg(status == 0, "demo.mjs failed (exit %d)", status);
    ck_assert_ptr_nonnull(strstr(out, "MLP read 0 1 4 7, CNN read 0 1 4 7"));
    ck_assert_ptr_nonnull(strstr(out, "; 0 problems"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("demo");
    TCase *parser = tcase_create("request");
    tcase_set_timeout(parser, 300);
    tcase_add_test(parser, test_malformed_json);
    tcase_add_test(parser, test_bad_numbers);
    tcase_add_test(parser, test_bad_fields);
    tcase_add_test(parser, test_body_limits);
    suite_add_tcase(s, parser);
    TCase *pre = tcase_create("preprocessing");
    tcase_set_timeout(pre, 300);
    tcase_add_test(pre, test_centred_square);
    tcase_add_test(pre, test_off_centre_stroke);
    tcase_add_test(pre, test_aspect_ratio_kept);
    tcase_add_test(pre, test_antialiasing_greys);
    tcase_add_test(pre, test_blank_and_random_canvases);
    suite_add_tcase(s, pre);
    TCase *models = tcase_create("models");
    tcase_set_timeout(models, 900);
    tcase_add_test(models, test_models_refused);
    tcase_add_test(models, test_blank_answers_empty);
    tcase_add_test(models, test_answer_shape);
    tcase_add_test(models, test_models_on_mnist);
    tcase_add_test(models, test_models_on_big_canvases);
    tcase_add_test(models, test_saliency_is_the_gradient);
    tcase_add_test(models, test_threads_agree);
    suite_add_tcase(s, models);
    /* the server itself, from other processes: once, from the release build */
    if (!under_asan()) {
        TCase *server = tcase_create("the server");
        tcase_set_timeout(server, 600);
        tcase_add_test(server, test_server_refuses_bad_flags);
        tcase_add_test(server, test_server_under_load);
        tcase_add_test(server, test_page_in_chromium);
        suite_add_tcase(s, server);
    }
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
