/* main.c — chapter 1's program: the flags, the gates, the MNIST exercise
 * and the files they write (the perceptron itself is in perceptron.c). */
#include "perceptron.h"
#include "activations.h"
#include "cli.h"
#include "mnist.h"
#include "json.h"
#include "out.h"
#include "plotdata.h"
#include "rng.h"
#include "util.h"
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ======================================================================
 * The program: flags, the gates, the MNIST exercise, the files
 * ====================================================================== */

typedef struct {
    double lr;
    int epochs;
    uint64_t seed;
    const char *out;
    const char *data;
    int mnist;          /* run the slides' exercise */
    int mnist_epochs;
    int train_limit;    /* 0: every training image */
    int test_limit;     /* 0: every test image */
} Settings;

static void usage(void)
{
    printf("Usage: %s [options]\n"
           "Chapter 1 (notes §1): the perceptron on AND, OR and XOR, then the slides'\n"
           "exercise: ten one-vs-rest perceptrons on MNIST.\n\n"
           "  --lr X            learning rate η (default 0.1, notes §1.2)\n"
           "  --epochs N        epochs for the gates (default 100, notes §1.2)\n"
           "  --seed N          seed of the N(0,1) start (default 42)\n"
           "  --out DIR         where the CSVs and summary.json go (default out/01-perceptron)\n"
           "  --data DIR        the MNIST IDX files (default datasets/mnist; 'make data')\n"
           "  --no-mnist        only the gates\n"
           "  --mnist-epochs N  passes over the training images (default 5)\n"
           "  --train-limit N   train on the first N training images only\n"
           "  --test-limit N    evaluate on the first N test images only\n"
           "  --help            this text\n",
           progname());
}

static Settings parse_args(int argc, char **argv)
{
    Settings s = {.lr = 0.1, .epochs = 100, .seed = 42, .out = "out/01-perceptron",
                  .data = "datasets/mnist", .mnist = 1, .mnist_epochs = 5};
    enum { OPT_NO_MNIST = 256, OPT_MNIST_EPOCHS, OPT_TRAIN_LIMIT, OPT_TEST_LIMIT };
    static const struct option options[] = {
        {"lr", required_argument, 0, 'l'},
        {"epochs", required_argument, 0, 'e'},
        {"seed", required_argument, 0, 's'},
        {"out", required_argument, 0, 'o'},
        {"data", required_argument, 0, 'd'},
        {"no-mnist", no_argument, 0, OPT_NO_MNIST},
        {"mnist-epochs", required_argument, 0, OPT_MNIST_EPOCHS},
        {"train-limit", required_argument, 0, OPT_TRAIN_LIMIT},
        {"test-limit", required_argument, 0, OPT_TEST_LIMIT},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    opterr = 0; /* we print our own one-line message */
    int c;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 'l': s.lr = parse_positive_double("--lr", optarg); break;
        case 'e': s.epochs = parse_positive_int("--epochs", optarg); break;
        case 's': s.seed = parse_seed("--seed", optarg); break;
        case 'o': s.out = optarg; break;
        case 'd': s.data = optarg; break;
        case OPT_NO_MNIST: s.mnist = 0; break;
        case OPT_MNIST_EPOCHS: s.mnist_epochs = parse_positive_int("--mnist-epochs", optarg); break;
        case OPT_TRAIN_LIMIT: s.train_limit = parse_positive_int("--train-limit", optarg); break;
        case OPT_TEST_LIMIT: s.test_limit = parse_positive_int("--test-limit", optarg); break;
        case 'h': usage(); exit(0);
        default: cli_unknown_option(argv[optind - 1]);
        }
    }
    if (optind < argc)
        usage_error("unexpected argument '%s'", argv[optind]);
    if (!*s.out)
        usage_error("--out: needs a folder name");
    return s;
}


/* A CSV row in which NaN stands for "no value": an empty cell, which gnuplot
 * skips (a line that misses the plotted square, epoch 0's error count). */
static void csv_row_gaps(Csv *c, int n, const double *v)
{
    for (int i = 0; i < n; i++) {
        if (i)
            csv_printf(c, ",");
        if (!isnan(v[i]))
            csv_printf(c, "%.9g", v[i]);
    }
    csv_printf(c, "\n");
}

/* The square the figures show around the four points. */
#define CH1_BOX_LO (-0.5)
#define CH1_BOX_HI 1.5

static void line_segment(const double *wb, double seg[4])
{
    if (!clip_line(wb[0], wb[1], wb[2], CH1_BOX_LO, CH1_BOX_HI, seg))
        seg[0] = seg[1] = seg[2] = seg[3] = NAN;
}

/* --- notes §1.2: print what the notes print --------------------------- */

static void print_gate(const Ch1Gate *g, const Ch1GateRun *run)
{
    printf("\n-- %s: y_%s = [%d %d %d %d] --\n", g->name, g->name, g->y[0], g->y[1], g->y[2],
           g->y[3]);
    /* The notes' line for AND and OR; the same question asked of XOR. */
    if (strcmp(g->name, "XOR") == 0)
        printf("Probamos que sepa calcular un XOR:\n");
    else
        printf("Probamos que sepa calcular un AND u OR:\n");
    for (int i = 0; i < CH1_N_POINTS; i++)
        printf("Entrada: [%d %d] -> Prediccion: %d%s\n", (int)ch1_X[i][0], (int)ch1_X[i][1],
               run->predictions[i], run->predictions[i] == g->y[i] ? "" : "   (mal)");
    printf("pesos finales w = [%.4f, %.4f], b = %.4f\n", run->w[0], run->w[1], run->b);
    if (run->learned)
        printf("aprendido: sí — el último error fue en la época %d de %d\n",
               run->last_error_epoch, run->epochs);
    else {
        int fewest = run->errors[0];
        for (int e = 1; e < run->epochs; e++)
            if (run->errors[e] < fewest)
                fewest = run->errors[e];
        printf("aprendido: no — hubo errores hasta la época %d de %d (nunca menos de %d por época)\n",
               run->last_error_epoch, run->epochs, fewest);
    }
}

static void print_error_table(const Ch1GateRun *runs, int epochs)
{
    printf("\nErrores por época (ejemplos mal clasificados durante la pasada):\n");
    printf("  época   AND   OR   XOR\n");
    for (int e = 0; e < epochs; e++) {
        int ep = e + 1;
        if (ep > 10 && ep % 10 != 0 && ep != epochs)
            continue; /* the first ten, then every tenth */
        printf("  %5d  %4d %4d  %4d\n", ep, runs[CH1_AND].errors[e], runs[CH1_OR].errors[e],
               runs[CH1_XOR].errors[e]);
    }
}

/* --- the gates' CSVs ---------------------------------------------------- */

static void write_points(const char *dir, const Ch1GateRun *runs)
{
    Csv c;
    csv_open(&c, out_path(dir, "puntos.csv"),
             "x1,x2,y_and,y_or,y_xor,pred_and,pred_or,pred_xor");
    for (int i = 0; i < CH1_N_POINTS; i++) {
        double row[8] = {ch1_X[i][0], ch1_X[i][1]};
        for (int g = 0; g < CH1_N_GATES; g++) {
            row[2 + g] = ch1_gates[g].y[i];
            row[5 + g] = runs[g].predictions[i];
        }
        csv_row(&c, 8, row);
    }
    csv_close(&c);
}

static void write_final_lines(const char *dir, const Ch1GateRun *runs)
{
    Csv c;
    csv_open(&c, out_path(dir, "fronteras.csv"), "gate,w1,w2,b,learned,xa,ya,xb,yb");
    for (int g = 0; g < CH1_N_GATES; g++) {
        double wb[3] = {runs[g].w[0], runs[g].w[1], runs[g].b}, seg[4];
        line_segment(wb, seg);
        double row[9] = {g, wb[0], wb[1], wb[2], runs[g].learned,
                         seg[0], seg[1], seg[2], seg[3]};
        csv_row_gaps(&c, 9, row);
    }
    csv_close(&c);
}

static void write_xor_epochs(const char *dir, const Ch1GateRun *xor_run)
{
    Csv c;
    csv_open(&c, out_path(dir, "xor_epocas.csv"), "epoch,errors,w1,w2,b,xa,ya,xb,yb");
    for (int e = 0; e <= xor_run->epochs; e++) {
        const double *wb = xor_run->line + 3 * e;
        double seg[4];
        line_segment(wb, seg);
        double row[9] = {e, e ? xor_run->errors[e - 1] : NAN, wb[0], wb[1], wb[2],
                         seg[0], seg[1], seg[2], seg[3]};
        csv_row_gaps(&c, 9, row);
    }
    csv_close(&c);
}

/* XOR's line after every single example: the boundary moves up to four
 * times per epoch, and the oscillation lives there. */
static void write_xor_steps(const char *dir, const Ch1GateRun *xor_run)
{
    Csv c;
    csv_open(&c, out_path(dir, "xor_pasos.csv"), "step,epoch,example,w1,w2,b,xa,ya,xb,yb");
    int n = xor_run->epochs * CH1_N_POINTS;
    for (int t = 0; t <= n; t++) {
        const double *wb = xor_run->path + 3 * t;
        double seg[4];
        line_segment(wb, seg);
        /* Row t is the state after example t (row 0: the start), which is
         * example (t−1) mod 4 of epoch (t−1)/4 + 1. */
        double epoch = t ? (t - 1) / CH1_N_POINTS + 1 : 0;
        double example = t ? (t - 1) % CH1_N_POINTS + 1 : NAN;
        double row[10] = {t, epoch, example, wb[0], wb[1], wb[2], seg[0], seg[1], seg[2], seg[3]};
        csv_row_gaps(&c, 10, row);
    }
    csv_close(&c);
}

static void write_errors(const char *dir, const Ch1GateRun *runs, int epochs)
{
    Csv c;
    csv_open(&c, out_path(dir, "errores.csv"), "epoch,and,or,xor");
    for (int e = 0; e < epochs; e++)
        csv_row(&c, 4, (double[]){e + 1, runs[CH1_AND].errors[e], runs[CH1_OR].errors[e],
                                  runs[CH1_XOR].errors[e]});
    csv_close(&c);
}

/* --- the MNIST exercise ------------------------------------------------- */

typedef struct {
    int n_train, n_test, epochs;
    double *test_accuracy;   /* (epochs) */
    int *train_wrong;        /* (epochs) */
    double final_accuracy;
    int misclassified;
    double train_seconds;
} MnistResult;

/* A grid of images as one matrix CSV: tiles of 28×28 with a margin above
 * each for its caption, and a second CSV with where each caption goes. The
 * margin holds −0.15, a value the palette paints as a light frame. */
#define TILE_GAP 2
#define TILE_CAPTION 10

static void write_image_grid(const char *dir, const char *name, const char *labels_name,
                             const Mnist *d, const int *idx, const unsigned char *pred,
                             int n, int per_row)
{
    int side_r = d->rows, side_c = d->cols;
    int cell_w = side_c + TILE_GAP, cell_h = side_r + TILE_CAPTION;
    int grid_rows = (n + per_row - 1) / per_row;
    int W = per_row * cell_w + TILE_GAP, H = grid_rows * cell_h + TILE_GAP;
    double *m = xmalloc((size_t)W * H * sizeof *m);
    for (size_t i = 0; i < (size_t)W * H; i++)
        m[i] = -0.15;
    for (int t = 0; t < n; t++) {
        int top = (t / per_row) * cell_h + TILE_CAPTION, left = (t % per_row) * cell_w + TILE_GAP;
        const unsigned char *img = d->pixels + (size_t)idx[t] * side_r * side_c;
        for (int r = 0; r < side_r; r++)
            for (int col = 0; col < side_c; col++)
                m[(size_t)(top + r) * W + left + col] = (float)img[r * side_c + col] / 255.0f;
    }
    csv_write_matrix(out_path(dir, name), m, H, W);
    free(m);

    Csv c;
    csv_open(&c, out_path(dir, labels_name), "x,y,index,label,pred");
    for (int t = 0; t < n; t++) {
        double x = (t % per_row) * cell_w + TILE_GAP + side_c / 2.0;
        double y = (t / per_row) * cell_h + TILE_CAPTION / 2.0;
        csv_row(&c, 5, (double[]){x, y, idx[t], d->labels[idx[t]], pred ? pred[t] : d->labels[idx[t]]});
    }
    csv_close(&c);
}

/* What perceptron k learned, w − w_start (784 values), as a 28×28 image, ten
 * tiles in two rows of five, each scaled by its largest |Δw|. The change and
 * not w itself: a pixel that is 0 in every image (the border) is never
 * touched by w += η·error·x and keeps its random N(0,1) start, which would
 * drown the picture in noise that has no effect on any prediction. */
static void write_weight_grid(const char *dir, const Ch1OneVsRest *m, const double *w_start,
                              int rows, int cols)
{
    int per_row = 5, grid_rows = 2;
    int cell_w = cols + TILE_GAP, cell_h = rows + TILE_CAPTION;
    int W = per_row * cell_w + TILE_GAP, H = grid_rows * cell_h + TILE_GAP;
    double *g = xcalloc((size_t)W * H, sizeof *g); /* margins 0: the middle colour */
    double *dw = xmalloc((size_t)rows * cols * sizeof *dw);
    for (int k = 0; k < CH1_CLASSES; k++) {
        const double *w = m->p[k].weights, *w0 = w_start + (size_t)k * rows * cols;
        double big = 0;
        for (int j = 0; j < rows * cols; j++) {
            dw[j] = w[j] - w0[j];
            big = fmax(big, fabs(dw[j]));
        }
        int top = (k / per_row) * cell_h + TILE_CAPTION, left = (k % per_row) * cell_w + TILE_GAP;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                g[(size_t)(top + r) * W + left + c] = big > 0 ? dw[r * cols + c] / big : 0;
    }
    csv_write_matrix(out_path(dir, "mnist_pesos.csv"), g, H, W);
    free(dw);
    free(g);
}

static void print_confusion(const Mnist *test, const unsigned char *pred, int n, const char *dir)
{
    int conf[CH1_CLASSES][CH1_CLASSES] = {{0}};
    for (int i = 0; i < n; i++)
        conf[test->labels[i]][pred[i]]++;
    printf("\nMatriz de confusión (filas: dígito real, columnas: predicho)\n      ");
    for (int k = 0; k < CH1_CLASSES; k++)
        printf("%6d", k);
    printf("   acierto\n");
    double flat[CH1_CLASSES * CH1_CLASSES];
    for (int r = 0; r < CH1_CLASSES; r++) {
        int total = 0;
        printf("  %d | ", r);
        for (int k = 0; k < CH1_CLASSES; k++) {
            printf("%6d", conf[r][k]);
            total += conf[r][k];
            flat[r * CH1_CLASSES + k] = conf[r][k];
        }
        printf("   %6.2f %%\n", total ? 100.0 * conf[r][r] / total : 0.0);
    }
    csv_write_matrix(out_path(dir, "mnist_confusion.csv"), flat, CH1_CLASSES, CH1_CLASSES);
}

#define N_SAMPLES 20
#define N_WRONG_SHOWN 24

static void run_mnist(const Settings *s, const Mnist *train, const Mnist *test, Rng *rng,
                      MnistResult *res)
{
    int n_train = s->train_limit && s->train_limit < train->n ? s->train_limit : train->n;
    int n_test = s->test_limit && s->test_limit < test->n ? s->test_limit : test->n;
    int n_in = train->rows * train->cols;
    res->n_train = n_train;
    res->n_test = n_test;
    res->epochs = s->mnist_epochs;

    printf("\n== Ejercicio (diapositivas 004): el perceptrón con MNIST ==\n");
    printf("1. Lectura de datos: %d imágenes de entrenamiento y %d de prueba, %d×%d, de %s\n",
           train->n, test->n, train->rows, train->cols, s->data);

    /* 2. Visualización: the first training images with their labels. */
    printf("2. Visualización de los datos: las %d primeras imágenes de entrenamiento\n", N_SAMPLES);
    int sample_idx[N_SAMPLES];
    for (int i = 0; i < N_SAMPLES; i++)
        sample_idx[i] = i;
    write_image_grid(s->out, "mnist_muestras.csv", "mnist_muestras_etiquetas.csv", train,
                     sample_idx, NULL, N_SAMPLES, 10);

    /* 3. División: MNIST comes split; the test images are never trained on. */
    printf("3. División: la de MNIST, %d para entrenar y %d para probar%s\n", n_train, n_test,
           (n_train < train->n || n_test < test->n) ? " (recortada con --train-limit/--test-limit)" : "");

    /* 4. Entrenamiento: the gates' rule, ten times over. sklearn's Perceptron
     * (the slides' tool) shuffles every epoch; so do we, from the seed, so
     * the last images seen — which weigh most in a plain perceptron — are
     * not always the same ones. */
    printf("4. Entrenamiento: 10 perceptrones uno-contra-el-resto, %d entradas (píxel/255),\n"
           "   w ~ N(0,1), b = 0, η = %g, %d épocas, orden barajado con la semilla\n",
           n_in, s->lr, s->mnist_epochs);
    Ch1OneVsRest m;
    ch1_ovr_init(&m, n_in, s->lr, rng);
    double *w_start = xmalloc((size_t)CH1_CLASSES * n_in * sizeof *w_start);
    memcpy(w_start, m.W, (size_t)CH1_CLASSES * n_in * sizeof *w_start);
    int *order = xmalloc((size_t)n_train * sizeof *order);
    for (int i = 0; i < n_train; i++)
        order[i] = i;
    unsigned char *pred = xmalloc((size_t)n_test);
    res->test_accuracy = xmalloc((size_t)s->mnist_epochs * sizeof *res->test_accuracy);
    res->train_wrong = xmalloc((size_t)s->mnist_epochs * sizeof *res->train_wrong);

    Csv ep;
    csv_open(&ep, out_path(s->out, "mnist_epocas.csv"), "epoch,train_wrong,train_error_rate,test_accuracy");
    double t0 = now_seconds(), train_time = 0;
    for (int e = 0; e < s->mnist_epochs; e++) {
        rng_shuffle(rng, order, n_train);
        double start = now_seconds();
        res->train_wrong[e] = ch1_ovr_train_epoch(&m, train, order, n_train);
        train_time += now_seconds() - start;
        res->test_accuracy[e] = ch1_ovr_evaluate(&m, test, n_test, pred);
        double rate = (double)res->train_wrong[e] / n_train;
        printf("Época %d - errores durante la pasada: %d (%.2f %%) - acierto en prueba: %.2f %%\n",
               e + 1, res->train_wrong[e], 100 * rate, 100 * res->test_accuracy[e]);
        csv_row(&ep, 4, (double[]){e + 1, res->train_wrong[e], rate, res->test_accuracy[e]});
    }
    csv_close(&ep);
    res->train_seconds = train_time;
    printf("   entrenamiento: %.2f s (%.0f imágenes/s); total con evaluación %.2f s\n", train_time,
           train_time > 0 ? (double)n_train * s->mnist_epochs / train_time : 0.0,
           now_seconds() - t0);

    /* 5. Predicción: the perceptron with the largest z names the digit. */
    res->final_accuracy = res->test_accuracy[s->mnist_epochs - 1];
    int right = (int)lround(res->final_accuracy * n_test);
    printf("5. Predicción (la mayor z decide): acierto en prueba %.2f %% (%d/%d)\n",
           100 * res->final_accuracy, right, n_test);
    print_confusion(test, pred, n_test, s->out);
    write_weight_grid(s->out, &m, w_start, train->rows, train->cols);

    /* 6. Mostrar imágenes mal clasificadas: the first ones in test order. */
    int wrong_idx[N_WRONG_SHOWN];
    unsigned char wrong_pred[N_WRONG_SHOWN];
    int shown = 0;
    res->misclassified = 0;
    for (int i = 0; i < n_test; i++)
        if (pred[i] != test->labels[i]) {
            if (shown < N_WRONG_SHOWN) {
                wrong_idx[shown] = i;
                wrong_pred[shown++] = pred[i];
            }
            res->misclassified++;
        }
    printf("6. Imágenes mal clasificadas: %d de %d; las %d primeras, con real→predicho:\n",
           res->misclassified, n_test, shown);
    for (int t = 0; t < shown; t++)
        printf("%s#%-5d %d→%d", t % 8 ? "  " : (t ? "\n   " : "   "), wrong_idx[t],
               test->labels[wrong_idx[t]], wrong_pred[t]);
    printf("\n");
    if (shown > 0)
        write_image_grid(s->out, "mnist_mal_clasificadas.csv", "mnist_mal_clasificadas_etiquetas.csv",
                         test, wrong_idx, wrong_pred, shown, 8);

    free(order);
    free(pred);
    free(w_start);
    ch1_ovr_free(&m);
}

/* A run without the exercise must not leave an earlier run's MNIST files
 * beside its own, as if this run had written them. */
static void remove_old_mnist_files(const char *dir)
{
    static const char *const names[] = {
        "mnist_muestras.csv", "mnist_muestras_etiquetas.csv", "mnist_epocas.csv",
        "mnist_confusion.csv", "mnist_pesos.csv", "mnist_mal_clasificadas.csv",
        "mnist_mal_clasificadas_etiquetas.csv",
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        unlink(out_path(dir, names[i]));
}

/* --- XOR's oscillation --------------------------------------------------- */

typedef struct {
    int found;
    int from_epoch;   /* 1-based epoch in which the first turn of the cycle starts */
    int period;       /* examples per turn */
    int distinct;     /* different lines the boundary visits in one turn */
} XorCycle;

static XorCycle find_xor_cycle(const Ch1GateRun *run)
{
    XorCycle cy = {0};
    int start, period;
    int n = run->epochs * CH1_N_POINTS + 1;
    if (!ch1_find_cycle(run->path, n, &start, &period))
        return cy;
    cy.found = 1;
    cy.from_epoch = start / CH1_N_POINTS + 1;
    cy.period = period;
    for (int r = start; r < start + period; r++) {
        int seen = 0;
        for (int q = start; q < r && !seen; q++)
            seen = ch1_same_state(run->path + 3 * r, run->path + 3 * q);
        cy.distinct += !seen;
    }
    return cy;
}

/* --- summary.json ------------------------------------------------------- */

static void write_summary(const Settings *s, const double w0[2], const Ch1GateRun *runs,
                          const XorCycle *cy, const MnistResult *mn)
{
    Json j;
    json_open(&j, out_path(s->out, "summary.json"));
    json_str(&j, "chapter", "01-perceptron");
    json_begin_object(&j, "settings");
    json_num(&j, "lr", s->lr);
    json_int(&j, "epochs", s->epochs);
    json_int(&j, "seed", (long long)s->seed);
    json_str(&j, "activation", "step: 1 if z > 0 else 0 (notes §1.2)");
    json_str(&j, "init", "w ~ N(0,1), b = 0; the three gates start from the same w");
    json_num_array(&j, "initial_w", 2, w0);
    json_str(&j, "order", "(0,0), (0,1), (1,0), (1,1) every epoch");
    json_end_object(&j);

    json_str(&j, "last_error_epoch_means",
             "1-based number of the last epoch in which some example was misclassified; 0 if none was");
    json_begin_object(&j, "gates");
    for (int g = 0; g < CH1_N_GATES; g++) {
        const Ch1GateRun *r = &runs[g];
        json_begin_object(&j, ch1_gates[g].name);
        json_bool(&j, "learned", r->learned);
        json_int(&j, "last_error_epoch", r->last_error_epoch);
        double preds[CH1_N_POINTS];
        for (int i = 0; i < CH1_N_POINTS; i++)
            preds[i] = r->predictions[i];
        json_num_array(&j, "predictions", CH1_N_POINTS, preds);
        json_num_array(&j, "w", 2, r->w);
        json_num(&j, "b", r->b);
        int total = 0, fewest = r->errors[0];
        for (int e = 0; e < r->epochs; e++) {
            total += r->errors[e];
            if (r->errors[e] < fewest)
                fewest = r->errors[e];
        }
        json_int(&j, "total_errors", total);
        json_int(&j, "fewest_errors_in_an_epoch", fewest);
        if (g == CH1_XOR) {
            if (cy->found) {
                json_begin_object(&j, "cycle");
                json_int(&j, "from_epoch", cy->from_epoch);
                json_int(&j, "period_examples", cy->period);
                json_num(&j, "period_epochs", (double)cy->period / CH1_N_POINTS);
                json_int(&j, "distinct_lines", cy->distinct);
                json_end_object(&j);
            } else {
                json_null(&j, "cycle");
            }
        }
        json_end_object(&j);
    }
    json_end_object(&j);

    if (mn) {
        json_begin_object(&j, "mnist");
        json_num(&j, "test_accuracy", mn->final_accuracy);
        json_int(&j, "epochs", mn->epochs);
        json_num(&j, "lr", s->lr);
        json_int(&j, "train_images", mn->n_train);
        json_int(&j, "test_images", mn->n_test);
        json_int(&j, "misclassified", mn->misclassified);
        json_num_array(&j, "test_accuracy_per_epoch", mn->epochs, mn->test_accuracy);
        double *wrong = xmalloc((size_t)mn->epochs * sizeof *wrong);
        for (int e = 0; e < mn->epochs; e++)
            wrong[e] = mn->train_wrong[e];
        json_num_array(&j, "train_wrong_per_epoch", mn->epochs, wrong);
        free(wrong);
        json_num(&j, "train_seconds", mn->train_seconds);
        json_str(&j, "model", "10 perceptrons one-vs-rest, 784 inputs (pixel/255), prediction = largest z");
        json_end_object(&j);
    } else {
        json_null(&j, "mnist");
    }
    json_files(&j); /* last, so the Makefile can add the figures */
    json_close(&j);
}

int main(int argc, char **argv)
{
    set_progname(argv[0]);
    Settings s = parse_args(argc, argv);
    /* Before any work: a folder we cannot write fails now, not after training. */
    out_prepare_dir(s.out);

    /* The data, if wanted, is read first too, so a missing file stops the
     * run before it has written anything (mnist_load says how to get it). */
    Mnist train = {0}, test = {0};
    if (s.mnist) {
        mnist_load(s.data, "train", &train);
        mnist_load(s.data, "t10k", &test);
    }

    printf("Capítulo 1 — El perceptrón (notes §1)\n");
    printf("semilla %llu, η = %g, %d épocas, activación escalón: 1 si z > 0, si no 0\n",
           (unsigned long long)s.seed, s.lr, s.epochs);

    /* notes §1.2, init(): np.random.randn(2) and bias 0. */
    printf("\n== 1.2 Trabajando con el perceptrón ==\n");
    Rng rng;
    double w0[2];
    ch1_initial_weights(&rng, s.seed, w0);
    printf("init: w ~ N(0,1) = [%.4f, %.4f], b = 0, η = %g (las tres puertas parten de aquí)\n",
           w0[0], w0[1], s.lr);

    /* notes §1.2, train(): AND, then OR, then XOR — which no line separates. */
    Ch1GateRun runs[CH1_N_GATES];
    for (int g = 0; g < CH1_N_GATES; g++) {
        ch1_train_gate(w0, s.lr, s.epochs, ch1_gates[g].y, &runs[g]);
        print_gate(&ch1_gates[g], &runs[g]);
    }

    /* notes §2's opening: XOR "se quedará oscilando para siempre". */
    XorCycle cy = find_xor_cycle(&runs[CH1_XOR]);
    if (cy.found)
        printf("\nXOR: la frontera oscila — desde la época %d recorre una y otra vez las mismas %d rectas\n"
               "     (un ciclo de %d ejemplos = %g época%s), sin llegar nunca a 0 errores\n",
               cy.from_epoch, cy.distinct, cy.period, (double)cy.period / CH1_N_POINTS,
               cy.period == CH1_N_POINTS ? "" : "s");
    else
        printf("\nXOR: la frontera no se ha asentado en un ciclo en %d épocas\n", s.epochs);
    print_error_table(runs, s.epochs);

    printf("\n");
    write_points(s.out, runs);
    write_final_lines(s.out, runs);
    write_xor_epochs(s.out, &runs[CH1_XOR]);
    write_xor_steps(s.out, &runs[CH1_XOR]);
    write_errors(s.out, runs, s.epochs);

    MnistResult mn = {0};
    if (s.mnist)
        run_mnist(&s, &train, &test, &rng, &mn);
    else
        remove_old_mnist_files(s.out);

    write_summary(&s, w0, runs, &cy, s.mnist ? &mn : NULL);

    for (int g = 0; g < CH1_N_GATES; g++)
        ch1_gate_run_free(&runs[g]);
    if (s.mnist) {
        free(mn.test_accuracy);
        free(mn.train_wrong);
        mnist_free(&train);
        mnist_free(&test);
    }
    return 0;
}
