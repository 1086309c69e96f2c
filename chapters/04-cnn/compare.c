/* compare.c — chapter 3's MLP against chapter 4's CNN (see compare.h). */
#include "compare.h"
#include "cnn_fast.h"
#include "json.h"
#include "nn.h"
#include "out.h"
#include "progress.h"
#include "roc.h"
#include "stats.h"
#include "train.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const SHIFT_NAME[SHIFT_DIRECTIONS] = {"derecha", "izquierda", "abajo", "arriba"};
const int SHIFT_DX[SHIFT_DIRECTIONS] = {1, -1, 0, 0}; /* dx > 0: right */
const int SHIFT_DY[SHIFT_DIRECTIONS] = {0, 0, 1, -1}; /* dy > 0: down */

#define PROB_HEADER "indice,etiqueta,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9"
#define SHIFT_HEADER "direccion,pixeles,exactitud"
/* The images of one step of the progress line while computing probabilities. */
#define PROB_STEP 1000
/* One test image through the forward pass, in the plan's unit (one image
 * through a training step): train.h's CNN_EVAL_WORK, a third. */
#define INFERENCE_WORK CNN_EVAL_WORK

/* What the comparison found, for summary.json (compare_write_summary). */
static struct {
    int ran;                       /* compare_models was called */
    int have_probs, have_shifts;   /* chapter 3's files were read */
    char probs_error[512], shifts_error[512];
    double auc[2][10], ap[2][10], auc_macro[2], ap_macro[2];  /* [0] MLP, [1] CNN */
    double accuracy[2];
    McNemarTable table;
    double p_exact, chi2, p_chi2;
    double shift[2][SHIFT_DIRECTIONS][SHIFT_MAX + 1];
    char mlp_dir[1024];
} last;

/* ------------------------------------------------------------------------ */
/* The CNN's probabilities                                                  */
/* ------------------------------------------------------------------------ */
/* The number as "%.6g" prints it and strtod reads it back. */
static double as_printed(double v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.6g", v);
    return strtod(buf, NULL);
}

void cnn_test_probabilities(const CnnNet *net, const Mnist *test, int threads, double *probs)
{
    CnnFast f;
    cnn_fast_init(&f, net, threads, CNN_FAST_CHUNK * threads, 0);
    real *logits = xmalloc(sizeof(real) * PROB_STEP * 10);
    real *p = xmalloc(sizeof(real) * PROB_STEP * 10);
    Progress pr;
    progress_begin(&pr, "probabilidades en prueba", (test->n + PROB_STEP - 1) / PROB_STEP,
                   PROB_STEP * INFERENCE_WORK);
    for (int first = 0, step = 0; first < test->n; first += PROB_STEP) {
        int b = test->n - first < PROB_STEP ? test->n - first : PROB_STEP;
        cnn_fast_logits(&f, net, test, first, b, logits);
        softmax_rows(p, logits, b, 10); /* ŷ = softmax(z): the network ends in log-softmax */
        for (int i = 0; i < b * 10; i++)
            probs[(size_t)first * 10 + i] = as_printed(p[i]);
        progress_update(&pr, ++step, NULL);
    }
    progress_end(&pr);
    free(p);
    free(logits);
    cnn_fast_free(&f);
}

void write_probabilities(const char *path, const Mnist *test, const double *probs)
{
    Csv c;
    csv_open(&c, path, PROB_HEADER);
    for (int i = 0; i < test->n; i++) {
        csv_printf(&c, "%d,%d", i, test->labels[i]);
        for (int k = 0; k < 10; k++)
            csv_printf(&c, ",%.6g", probs[(size_t)i * 10 + k]);
        csv_printf(&c, "\n");
    }
    csv_close(&c);
}

/* ------------------------------------------------------------------------ */
/* Chapter 3's files, checked                                               */
/* ------------------------------------------------------------------------ */
static int fail(char *err, size_t errlen, const char *fmt, ...) PRINTF_LIKE(3, 4);
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* Opens a file chapter 3 writes, or says it is missing and how to make it. */
static FILE *open_mlp_file(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            fail(err, errlen, "falta %s: ejecuta make chapter3", path);
        else
            fail(err, errlen, "%s: no se puede leer (%s)", path, strerror(errno));
    }
    return f;
}

/* One line without its end ("\n" or "\r\n"); 0 at the end of the file, -1
 * when the line does not fit. */
static int read_line(FILE *f, char *buf, size_t cap)
{
    if (!fgets(buf, (int)cap, f))
        return 0;
    size_t len = strlen(buf);
    if (len == cap - 1 && buf[len - 1] != '\n' && !feof(f))
        return -1;
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        buf[--len] = 0;
    return 1;
}

/* A number and the comma (or end of line) after it. */
static int next_number(char **s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(*s, &end);
    if (end == *s || errno == ERANGE || (*end != ',' && *end != 0))
        return 0;
    *s = *end == ',' ? end + 1 : end;
    return 1;
}

int read_probabilities(const char *path, const Mnist *test, double *probs, char *err,
                       size_t errlen)
{
    FILE *f = open_mlp_file(path, err, errlen);
    if (!f)
        return -1;
    char line[1024];
    int rc = -1, row = 0;
    if (read_line(f, line, sizeof line) != 1 || strcmp(line, PROB_HEADER) != 0) {
        fail(err, errlen, "%s: la cabecera no es '%s'", path, PROB_HEADER);
        goto done;
    }
    for (int got; (got = read_line(f, line, sizeof line)) != 0; row++) {
        if (row >= test->n) {
            fail(err, errlen, "%s: tiene más de %d filas, una por imagen de prueba (¿otro "
                 "--test-limit?)", path, test->n);
            goto done;
        }
        double v[12];
        char *s = line;
        int fields = 0;
        while (got == 1 && fields < 12 && *s && next_number(&s, &v[fields]))
            fields++;
        if (got != 1 || fields != 12 || *s) {
            fail(err, errlen, "%s: la fila %d no son 12 números (indice,etiqueta,p0..p9)", path,
                 row + 1);
            goto done;
        }
        if (v[0] != row) {
            fail(err, errlen, "%s: la fila %d tiene el índice %g, se esperaba %d", path, row + 1,
                 v[0], row);
            goto done;
        }
        if (v[1] != test->labels[row]) {
            fail(err, errlen, "%s: la imagen %d tiene la etiqueta %g y en el conjunto de prueba "
                 "es %d (¿otro conjunto de datos?)", path, row, v[1], test->labels[row]);
            goto done;
        }
        double sum = 0;
        for (int k = 0; k < 10; k++) {
            double p = v[2 + k];
            if (!(p >= 0 && p <= 1)) {
                fail(err, errlen, "%s: la imagen %d tiene p%d = %g, fuera de [0, 1]", path, row,
                     k, p);
                goto done;
            }
            probs[(size_t)row * 10 + k] = p;
            sum += p;
        }
        if (fabs(sum - 1) > 1e-3) {
            fail(err, errlen, "%s: las probabilidades de la imagen %d suman %.6f, no 1", path,
                 row, sum);
            goto done;
        }
    }
    if (row != test->n) {
        fail(err, errlen, "%s: tiene %d filas y el conjunto de prueba %d imágenes (¿otro "
             "--test-limit?)", path, row, test->n);
        goto done;
    }
    rc = 0;
done:
    fclose(f);
    return rc;
}

int read_shifts(const char *path, double acc[SHIFT_DIRECTIONS][SHIFT_MAX + 1], char *err,
                size_t errlen)
{
    FILE *f = open_mlp_file(path, err, errlen);
    if (!f)
        return -1;
    char line[256];
    int rc = -1, row = 0;
    const int rows = SHIFT_DIRECTIONS * (SHIFT_MAX + 1);
    if (read_line(f, line, sizeof line) != 1 || strcmp(line, SHIFT_HEADER) != 0) {
        fail(err, errlen, "%s: la cabecera no es '%s'", path, SHIFT_HEADER);
        goto done;
    }
    for (int got; (got = read_line(f, line, sizeof line)) != 0; row++) {
        if (row >= rows) {
            fail(err, errlen, "%s: tiene más de %d filas", path, rows);
            goto done;
        }
        int d = row / (SHIFT_MAX + 1), px = row % (SHIFT_MAX + 1);
        size_t name_len = strlen(SHIFT_NAME[d]);
        char *s = line + name_len + 1;
        double v[2];
        if (got != 1 || strncmp(line, SHIFT_NAME[d], name_len) != 0 || line[name_len] != ',' ||
            !next_number(&s, &v[0]) || !next_number(&s, &v[1]) || *s) {
            fail(err, errlen, "%s: la fila %d debería ser '%s,%d,<exactitud>'", path, row + 1,
                 SHIFT_NAME[d], px);
            goto done;
        }
        if (v[0] != px) {
            fail(err, errlen, "%s: la fila %d tiene %g píxeles, se esperaban %d", path, row + 1,
                 v[0], px);
            goto done;
        }
        if (!(v[1] >= 0 && v[1] <= 1)) {
            fail(err, errlen, "%s: la fila %d tiene la exactitud %g, fuera de [0, 1]", path,
                 row + 1, v[1]);
            goto done;
        }
        acc[d][px] = v[1];
    }
    if (row != rows) {
        fail(err, errlen, "%s: tiene %d filas, se esperaban %d (4 direcciones x 0..%d píxeles)",
             path, row, rows, SHIFT_MAX);
        goto done;
    }
    rc = 0;
done:
    fclose(f);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Predictions and McNemar's table                                          */
/* ------------------------------------------------------------------------ */
void predictions_from_probabilities(const double *probs, int n, unsigned char *pred)
{
    for (int i = 0; i < n; i++) {
        const double *p = probs + (size_t)i * 10;
        int best = 0;
        for (int k = 1; k < 10; k++)
            if (p[k] > p[best])
                best = k;
        pred[i] = (unsigned char)best;
    }
}

McNemarTable mcnemar_table(const unsigned char *labels, const unsigned char *pred_a,
                           const unsigned char *pred_b, int n)
{
    McNemarTable t = {0};
    for (int i = 0; i < n; i++) {
        int a = pred_a[i] == labels[i], b = pred_b[i] == labels[i];
        if (a && b)
            t.both_right++;
        else if (a)
            t.only_a++;
        else if (b)
            t.only_b++;
        else
            t.both_wrong++;
    }
    return t;
}

static double table_accuracy_a(const McNemarTable *t)
{
    long n = t->both_right + t->only_a + t->only_b + t->both_wrong;
    return (double)(t->both_right + t->only_a) / (double)n;
}

static double table_accuracy_b(const McNemarTable *t)
{
    long n = t->both_right + t->only_a + t->only_b + t->both_wrong;
    return (double)(t->both_right + t->only_b) / (double)n;
}

/* ------------------------------------------------------------------------ */
/* The shifted test images                                                  */
/* ------------------------------------------------------------------------ */
static double accuracy_on(CnnFast *f, const CnnNet *net, const Mnist *m, unsigned char *pred)
{
    cnn_fast_predict(f, net, m, 0, m->n, pred);
    long right = 0;
    for (int i = 0; i < m->n; i++)
        right += pred[i] == m->labels[i];
    return (double)right / m->n;
}

void cnn_shift_accuracy(const CnnNet *net, const Mnist *test, int threads,
                        double acc[SHIFT_DIRECTIONS][SHIFT_MAX + 1])
{
    CnnFast f;
    cnn_fast_init(&f, net, threads, CNN_FAST_CHUNK * threads, 0);
    unsigned char *pred = xmalloc((size_t)test->n);
    Progress pr;
    /* the unshifted images once, then 4 directions x 4 distances */
    progress_begin(&pr, "desplazamientos", 1 + SHIFT_DIRECTIONS * SHIFT_MAX,
                   test->n * INFERENCE_WORK);
    double unshifted = accuracy_on(&f, net, test, pred);
    int done = 1;
    progress_update(&pr, done, NULL);
    for (int d = 0; d < SHIFT_DIRECTIONS; d++) {
        acc[d][0] = unshifted;
        for (int px = 1; px <= SHIFT_MAX; px++) {
            Mnist moved;
            mnist_shifted(test, SHIFT_DX[d] * px, SHIFT_DY[d] * px, &moved);
            acc[d][px] = accuracy_on(&f, net, &moved, pred);
            mnist_free(&moved);
            progress_update(&pr, ++done, "%s %d px", SHIFT_NAME[d], px);
        }
    }
    progress_end(&pr);
    free(pred);
    cnn_fast_free(&f);
}

static void write_shifts(const char *path, const double acc[SHIFT_DIRECTIONS][SHIFT_MAX + 1])
{
    Csv c;
    csv_open(&c, path, SHIFT_HEADER);
    for (int d = 0; d < SHIFT_DIRECTIONS; d++)
        for (int px = 0; px <= SHIFT_MAX; px++)
            csv_printf(&c, "%s,%d,%.6f\n", SHIFT_NAME[d], px, acc[d][px]);
    csv_close(&c);
}

/* ------------------------------------------------------------------------ */
/* The sections                                                             */
/* ------------------------------------------------------------------------ */
static const char *const MODEL[2] = {"mlp", "cnn"};

/* A point of an exact ROC curve that a drawing needs: the first, the last,
 * and every corner. Between corners the curve is a straight line (a run of
 * positives only, of negatives only, or one tied group), so leaving the
 * points inside a run out draws the same curve. */
static int roc_corner(const Roc *r, int k)
{
    if (k == 0 || k == r->points - 1)
        return 1;
    int in_up = r->tpr[k] > r->tpr[k - 1], in_right = r->fpr[k] > r->fpr[k - 1];
    int out_up = r->tpr[k + 1] > r->tpr[k], out_right = r->fpr[k + 1] > r->fpr[k];
    return in_up != out_up || in_right != out_right || (in_up && in_right);
}

/* The same for the precision–recall curve: it is straight where only
 * negatives enter (recall stays, precision falls) and where precision stays
 * 1 (no negative yet); where positives enter after a negative, precision
 * TP / (TP + FP) bends, and those points are all kept. */
static int pr_needed(const Roc *r, int k)
{
    return roc_corner(r, k) || (r->tpr[k] > r->tpr[k - 1] && r->fpr[k] > 0);
}

/* ROC and PR of one model, every class; the curves' points appended to the
 * two CSVs. */
static void model_curves(int model, const double *probs, const Mnist *test, Csv *roc_csv,
                         Csv *pr_csv)
{
    double *score = xmalloc(sizeof(double) * (size_t)test->n);
    unsigned char *positive = xmalloc((size_t)test->n);
    for (int c = 0; c < 10; c++) {
        /* one-vs-rest: the class c against every other digit */
        for (int i = 0; i < test->n; i++) {
            score[i] = probs[(size_t)i * 10 + c];
            positive[i] = test->labels[i] == c;
        }
        Roc r;
        roc_compute(&r, score, positive, test->n);
        last.auc[model][c] = r.auc;
        last.ap[model][c] = r.ap;
        for (int k = 0; k < r.points; k++) {
            if (roc_corner(&r, k))
                csv_printf(roc_csv, "%s,%d,%.9g,%.9g\n", MODEL[model], c, r.fpr[k], r.tpr[k]);
            if (pr_needed(&r, k))
                csv_printf(pr_csv, "%s,%d,%.9g,%.9g\n", MODEL[model], c, r.recall[k],
                           r.precision[k]);
        }
        roc_free(&r);
    }
    double m, sd;
    mean_sd(last.auc[model], 10, &m, &sd);
    last.auc_macro[model] = m;
    mean_sd(last.ap[model], 10, &m, &sd);
    last.ap_macro[model] = m;
    free(score);
    free(positive);
}

/* 002 §5.2, Fig 5.3: ROC one-vs-rest and AUC per class; precision–recall and AP. */
static void section_roc(const double *mlp, const double *cnn, const Mnist *test, const char *out)
{
    printf("\n== 002 §5.2, Fig 5.3: curvas ROC uno-contra-el-resto, AUC y AP por dígito ==\n");
    Csv roc_csv, pr_csv;
    csv_open(&roc_csv, out_path(out, "roc_curvas.csv"), "modelo,digito,fpr,tpr");
    csv_open(&pr_csv, out_path(out, "pr_curvas.csv"), "modelo,digito,recall,precision");
    if (mlp)
        model_curves(0, mlp, test, &roc_csv, &pr_csv);
    model_curves(1, cnn, test, &roc_csv, &pr_csv);
    csv_close(&roc_csv);
    csv_close(&pr_csv);

    Csv c;
    csv_open(&c, out_path(out, "roc_auc.csv"), "digito,auc_mlp,auc_cnn,ap_mlp,ap_cnn");
    printf("  (AUC: área bajo la curva ROC; AP: precisión media; uno-contra-el-resto, %d imágenes)\n",
           test->n);
    printf("  %-7s %9s %9s   %9s %9s\n", "dígito", "AUC MLP", "AUC CNN", "AP MLP", "AP CNN");
    int better = 0;
    for (int k = 0; k <= 10; k++) {
        /* rows 0..9 the digits, then the macro mean (digito −1) */
        double am = k < 10 ? last.auc[0][k] : last.auc_macro[0];
        double ac = k < 10 ? last.auc[1][k] : last.auc_macro[1];
        double pm = k < 10 ? last.ap[0][k] : last.ap_macro[0];
        double pc = k < 10 ? last.ap[1][k] : last.ap_macro[1];
        if (!mlp)
            am = pm = NAN;
        csv_row_gaps(&c, 5, (double[]){k < 10 ? k : -1, am, ac, pm, pc});
        if (k < 10)
            printf("  %-7d", k);
        else
            printf("  %-7s", "media");
        if (mlp)
            printf(" %9.5f %9.5f   %9.5f %9.5f\n", am, ac, pm, pc);
        else
            printf(" %9s %9.5f   %9s %9.5f\n", "-", ac, "-", pc);
        better += k < 10 && mlp && ac > am;
    }
    csv_close(&c);
    if (mlp)
        printf("  la CNN tiene mayor AUC en %d de los 10 dígitos; lo que le falta hasta 1: "
               "%.5f (MLP) frente a %.5f (CNN)\n", better, 1 - last.auc_macro[0],
               1 - last.auc_macro[1]);
}

/* Chapter 4's exercise 2 and 002 §5.2: McNemar's test, MLP (A) against CNN (B). */
static void section_mcnemar(const double *mlp, const double *cnn, const Mnist *test,
                            const char *out)
{
    unsigned char *pa = xmalloc((size_t)test->n), *pb = xmalloc((size_t)test->n);
    predictions_from_probabilities(mlp, test->n, pa);
    predictions_from_probabilities(cnn, test->n, pb);
    McNemarTable t = mcnemar_table(test->labels, pa, pb, test->n);
    free(pa);
    free(pb);
    last.table = t;
    last.accuracy[0] = table_accuracy_a(&t);
    last.accuracy[1] = table_accuracy_b(&t);
    /* the exact test: of the b + c images only one model gets right, each is a
     * fair coin if both models are as good */
    last.p_exact = mcnemar_exact_p(t.only_a, t.only_b);
    /* the thesis' eq. 5.7, χ² with continuity correction, 1 degree of freedom:
     * P(χ²₁ > x) = erfc(√(x/2)) */
    long discordant = t.only_a + t.only_b;
    double diff = fabs((double)(t.only_a - t.only_b)) - 1;
    last.chi2 = discordant > 0 ? diff * diff / (double)discordant : 0;
    last.p_chi2 = erfc(sqrt(last.chi2 / 2));

    printf("\n== Ejercicio 2 del capítulo 4 (002 §5.2): prueba de McNemar, MLP frente a CNN ==\n");
    printf("  las mismas %d imágenes de prueba\n", test->n);
    printf("  %-16s %13s %13s %9s\n", "", "CNN acierta", "CNN falla", "total");
    printf("  %-16s %13ld %13ld %9ld\n", "MLP acierta", t.both_right, t.only_a,
           t.both_right + t.only_a);
    printf("  %-16s %13ld %13ld %9ld\n", "MLP falla", t.only_b, t.both_wrong,
           t.only_b + t.both_wrong);
    printf("  %-16s %13ld %13ld %9d\n", "total", t.both_right + t.only_b,
           t.only_a + t.both_wrong, test->n);
    printf("  exactitud en prueba: MLP %.2f %%, CNN %.2f %%\n", 100 * last.accuracy[0],
           100 * last.accuracy[1]);
    printf("  discordantes: b = %ld (solo la CNN acierta), c = %ld (solo la MLP acierta)\n",
           t.only_b, t.only_a);
    printf("  p exacta (binomial, b ~ B(b + c, 1/2), dos colas) = %.3g\n", last.p_exact);
    printf("  χ² de la tesis (ec. 5.7, con corrección de continuidad) = %.2f, p = %.3g\n",
           last.chi2, last.p_chi2);
    const char *better = t.only_b > t.only_a ? "la CNN" : "la MLP";
    if (discordant == 0)
        printf("  Conclusión: las dos redes aciertan y fallan exactamente las mismas imágenes; "
               "no hay diferencia que probar.\n");
    else if (last.p_exact < 0.05)
        printf("  Conclusión: con p = %.3g < 0,05, la diferencia no se explica por azar: %s es "
               "mejor en estas imágenes (%ld imágenes que solo ella acierta frente a %ld).\n",
               last.p_exact, better, t.only_b > t.only_a ? t.only_b : t.only_a,
               t.only_b > t.only_a ? t.only_a : t.only_b);
    else
        printf("  Conclusión: con p = %.3g >= 0,05, la diferencia entre las dos redes podría "
               "deberse al azar: no podemos decir que una sea mejor.\n", last.p_exact);

    Csv c;
    csv_open(&c, out_path(out, "mcnemar.csv"),
             "ambos_aciertan,solo_mlp_acierta,solo_cnn_acierta,ambos_fallan,exactitud_mlp,"
             "exactitud_cnn,p_exacta,chi2_tesis,p_chi2");
    csv_row(&c, 9, (double[]){t.both_right, t.only_a, t.only_b, t.both_wrong, last.accuracy[0],
                              last.accuracy[1], last.p_exact, last.chi2, last.p_chi2});
    csv_close(&c);
}

/* Notes §4: the test images moved 0–4 pixels each way. */
static void section_shifts(const CnnNet *net, const Mnist *test, const char *mlp_dir,
                           const char *out, int threads)
{
    printf("\n== Apuntes §4: dígitos desplazados 0–4 píxeles, exactitud en prueba ==\n");
    cnn_shift_accuracy(net, test, threads, last.shift[1]);
    write_shifts(out_path(out, "desplazamientos.csv"), last.shift[1]);
    last.have_shifts = read_shifts(out_path(mlp_dir, "desplazamientos.csv"), last.shift[0],
                                   last.shifts_error, sizeof last.shifts_error) == 0;
    if (!last.have_shifts)
        printf("  (sin la MLP: %s)\n", last.shifts_error);

    printf("  %-14s", "");
    for (int px = 0; px <= SHIFT_MAX; px++)
        printf(" %5d px", px);
    printf("\n");
    Csv c;
    csv_open(&c, out_path(out, "desplazamientos_comparacion.csv"),
             "direccion,pixeles,exactitud_mlp,exactitud_cnn");
    for (int d = 0; d < SHIFT_DIRECTIONS; d++) {
        for (int m = last.have_shifts ? 0 : 1; m < 2; m++) {
            char name[32];
            snprintf(name, sizeof name, "%s %s", SHIFT_NAME[d], m ? "CNN" : "MLP");
            printf("  %-14s", name);
            for (int px = 0; px <= SHIFT_MAX; px++)
                printf(" %6.2f %%", 100 * last.shift[m][d][px]);
            printf("\n");
        }
        for (int px = 0; px <= SHIFT_MAX; px++) {
            if (last.have_shifts)
                csv_printf(&c, "%s,%d,%.6f,%.6f\n", SHIFT_NAME[d], px, last.shift[0][d][px],
                           last.shift[1][d][px]);
            else
                csv_printf(&c, "%s,%d,,%.6f\n", SHIFT_NAME[d], px, last.shift[1][d][px]);
        }
    }
    csv_close(&c);
    /* the worst of the four directions at the largest shift */
    double worst[2] = {1, 1};
    for (int m = 0; m < 2; m++)
        for (int d = 0; d < SHIFT_DIRECTIONS; d++)
            if (last.shift[m][d][SHIFT_MAX] < worst[m])
                worst[m] = last.shift[m][d][SHIFT_MAX];
    if (last.have_shifts)
        printf("  a %d píxeles, en la peor dirección: MLP %.1f %%, CNN %.1f %% (sin mover: "
               "%.1f %% y %.1f %%)\n", SHIFT_MAX, 100 * worst[0], 100 * worst[1],
               100 * last.shift[0][0][0], 100 * last.shift[1][0][0]);
}

static void write_json(const char *path);

double compare_work(int test_n)
{
    /* the probabilities once, the shifted images 1 + 16 times */
    return (double)test_n * INFERENCE_WORK * (2 + SHIFT_DIRECTIONS * SHIFT_MAX);
}

void compare_models(const CnnNet *net, const Mnist *test, const char *mlp_dir, const char *out,
                    int threads)
{
    memset(&last, 0, sizeof last);
    last.ran = 1;
    snprintf(last.mlp_dir, sizeof last.mlp_dir, "%s", mlp_dir);

    printf("\n== 002 §5: la MLP del capítulo 3 frente a esta CNN (%s) ==\n", mlp_dir);
    double *cnn = xmalloc(sizeof(double) * (size_t)test->n * 10);
    double *mlp = xmalloc(sizeof(double) * (size_t)test->n * 10);
    cnn_test_probabilities(net, test, threads, cnn);
    write_probabilities(out_path(out, "prueba_probabilidades.csv"), test, cnn);
    last.have_probs = read_probabilities(out_path(mlp_dir, "prueba_probabilidades.csv"), test,
                                         mlp, last.probs_error, sizeof last.probs_error) == 0;
    if (!last.have_probs)
        printf("  se omite la comparación con la MLP (ROC y McNemar): %s\n", last.probs_error);

    section_roc(last.have_probs ? mlp : NULL, cnn, test, out);
    if (last.have_probs)
        section_mcnemar(mlp, cnn, test, out);
    section_shifts(net, test, mlp_dir, out, threads);
    write_json(out_path(out, "comparacion.json"));
    free(cnn);
    free(mlp);
}

/* ------------------------------------------------------------------------ */
/* comparacion.json                                                         */
/* ------------------------------------------------------------------------ */
static void json_body(Json *j)
{
    json_str(j, "mlp_dir", last.mlp_dir);
    if (last.have_probs) {
        json_num_array(j, "auc_mlp", 10, last.auc[0]);
        json_num(j, "auc_macro_mlp", last.auc_macro[0]);
        json_num_array(j, "ap_mlp", 10, last.ap[0]);
        json_num(j, "ap_macro_mlp", last.ap_macro[0]);
    } else {
        json_str(j, "mlp_omitida", last.probs_error);
    }
    json_num_array(j, "auc_cnn", 10, last.auc[1]);
    json_num(j, "auc_macro_cnn", last.auc_macro[1]);
    json_num_array(j, "ap_cnn", 10, last.ap[1]);
    json_num(j, "ap_macro_cnn", last.ap_macro[1]);
    if (last.have_probs) {
        json_begin_object(j, "mcnemar");
        json_int(j, "ambos_aciertan", last.table.both_right);
        json_int(j, "solo_mlp_acierta", last.table.only_a);
        json_int(j, "solo_cnn_acierta", last.table.only_b);
        json_int(j, "ambos_fallan", last.table.both_wrong);
        json_num(j, "exactitud_mlp", last.accuracy[0]);
        json_num(j, "exactitud_cnn", last.accuracy[1]);
        json_num(j, "p_exacta", last.p_exact);
        json_num(j, "chi2_tesis", last.chi2);
        json_num(j, "p_chi2", last.p_chi2);
        json_end_object(j);
    }
    json_begin_object(j, "desplazamientos");
    for (int m = last.have_shifts ? 0 : 1; m < 2; m++) {
        json_begin_object(j, MODEL[m]);
        for (int d = 0; d < SHIFT_DIRECTIONS; d++)
            json_num_array(j, SHIFT_NAME[d], SHIFT_MAX + 1, last.shift[m][d]);
        json_end_object(j);
    }
    if (!last.have_shifts)
        json_str(j, "mlp_omitida", last.shifts_error);
    json_end_object(j);
}

static void write_json(const char *path)
{
    Json j;
    json_open(&j, path);
    json_body(&j);
    json_close(&j);
}

void compare_write_summary(Json *j)
{
    if (!last.ran)
        return;
    json_begin_object(j, "comparacion_mlp_cnn");
    json_body(j);
    json_end_object(j);
}
