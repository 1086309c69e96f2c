/* main.c — chapter 1's program, "El perceptrón" (notes §1, slides 004), as
 * a table of contents: main() at the bottom is the list of sections in the
 * notes' order; each section prints the notes' lines and calls the
 * perceptron of perceptron.c.
 *
 *   build/rel/bin/ch1 [--lr 0.1] [--epochs 100] [--seed 42] [--no-mnist]
 *                     [--mnist-epochs 5] [--out out/01-perceptron]
 *
 *   1.2   one start w ~ N(0,1), then AND, OR and XOR trained from it
 *   2     XOR's boundary oscillates for ever (its cycle), errors per epoch
 *   004   the exercise: ten one-vs-rest perceptrons on MNIST, in the
 *         slides' six steps
 * and summary.json. The CSVs the figures need are written by
 * figures_data.c; plots/ch1_*.gp draw them (`make chapter1` runs both).
 * The same flags give byte-identical CSVs. */
#include "perceptron.h"
#include "figures_data.h"

#include "cli.h"
#include "json.h"
#include "metrics.h"
#include "mnist.h"
#include "out.h"
#include "rng.h"
#include "util.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================================
 * The flags
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

/* ======================================================================
 * notes §1.2 — "Trabajando con el perceptrón": the gates
 * ====================================================================== */

/* init(): np.random.randn(2) and bias 0, one start for the three gates. */
static void section_init(const Settings *s, Rng *rng, double w0[2])
{
    printf("Capítulo 1 — El perceptrón (notes §1)\n");
    printf("semilla %llu, η = %g, %d épocas, activación escalón: 1 si z > 0, si no 0\n",
           (unsigned long long)s->seed, s->lr, s->epochs);
    printf("\n== 1.2 Trabajando con el perceptrón ==\n");
    ch1_initial_weights(rng, s->seed, w0);
    printf("init: w ~ N(0,1) = [%.4f, %.4f], b = 0, η = %g (las tres puertas parten de aquí)\n",
           w0[0], w0[1], s->lr);
}

/* What the notes print after train(): each input and its prediction. */
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
    else
        printf("aprendido: no — hubo errores hasta la época %d de %d (nunca menos de %d por época)\n",
               run->last_error_epoch, run->epochs, run->fewest_errors);
}

/* train() on AND, then OR, then XOR — which no line separates. */
static void section_gates(const Settings *s, const double w0[2], Ch1GateRun runs[CH1_N_GATES])
{
    for (int g = 0; g < CH1_N_GATES; g++) {
        ch1_train_gate(w0, s->lr, s->epochs, ch1_gates[g].y, &runs[g]);
        print_gate(&ch1_gates[g], &runs[g]);
    }
}

/* ======================================================================
 * notes §2's opening — XOR "se quedará oscilando para siempre"
 * ====================================================================== */

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

static Ch1Cycle section_xor_oscillates(const Settings *s, const Ch1GateRun runs[CH1_N_GATES])
{
    Ch1Cycle cy = ch1_gate_cycle(&runs[CH1_XOR]);
    if (cy.found)
        printf("\nXOR: la frontera oscila — desde la época %d recorre una y otra vez las mismas %d rectas\n"
               "     (un ciclo de %d ejemplos = %g época%s), sin llegar nunca a 0 errores\n",
               cy.from_epoch, cy.distinct, cy.period, (double)cy.period / CH1_N_POINTS,
               cy.period == CH1_N_POINTS ? "" : "s");
    else
        printf("\nXOR: la frontera no se ha asentado en un ciclo en %d épocas\n", s->epochs);
    print_error_table(runs, s->epochs);
    printf("\n");
    return cy;
}

/* ======================================================================
 * slides 004, "PRACTICA" — ten perceptrons on MNIST, in the six steps
 * ====================================================================== */

typedef struct {
    int n_train, n_test, epochs;
    double *test_accuracy;   /* (epochs) */
    int *train_wrong;        /* (epochs) */
    double final_accuracy;
    int misclassified;
    double train_seconds;
} MnistResult;

#define N_SAMPLES 20
#define N_WRONG_SHOWN 24

static void exercise_1_read(const Settings *s, const Mnist *train, const Mnist *test)
{
    printf("1. Lectura de datos: %d imágenes de entrenamiento y %d de prueba, %d×%d, de %s\n",
           train->n, test->n, train->rows, train->cols, s->data);
}

/* The first training images with their labels. */
static void exercise_2_show_samples(const Settings *s, const Mnist *train)
{
    printf("2. Visualización de los datos: las %d primeras imágenes de entrenamiento\n", N_SAMPLES);
    int first[N_SAMPLES];
    for (int i = 0; i < N_SAMPLES; i++)
        first[i] = i;
    write_digit_grid(s->out, "mnist_muestras.csv", "mnist_muestras_etiquetas.csv", train, first,
                     NULL, N_SAMPLES, 10);
}

/* MNIST comes split; the test images are never trained on. */
static void exercise_3_split(const Settings *s, const Mnist *train, const Mnist *test,
                             MnistResult *res)
{
    res->n_train = s->train_limit && s->train_limit < train->n ? s->train_limit : train->n;
    res->n_test = s->test_limit && s->test_limit < test->n ? s->test_limit : test->n;
    printf("3. División: la de MNIST, %d para entrenar y %d para probar%s\n", res->n_train,
           res->n_test,
           (res->n_train < train->n || res->n_test < test->n)
               ? " (recortada con --train-limit/--test-limit)" : "");
}

/* The gates' rule, ten times over. sklearn's Perceptron (the slides' tool)
 * shuffles every epoch; so do we, from the seed, so the last images seen —
 * which weigh most in a plain perceptron — are not always the same ones.
 * After each epoch, the test images' predictions go to pred. */
static void exercise_4_train(const Settings *s, const Mnist *train, const Mnist *test, Rng *rng,
                             Ch1OneVsRest *m, unsigned char *pred, MnistResult *res)
{
    int n_in = train->rows * train->cols;
    printf("4. Entrenamiento: 10 perceptrones uno-contra-el-resto, %d entradas (píxel/255),\n"
           "   w ~ N(0,1), b = 0, η = %g, %d épocas, orden barajado con la semilla\n",
           n_in, s->lr, s->mnist_epochs);
    int *order = xmalloc((size_t)res->n_train * sizeof *order);
    for (int i = 0; i < res->n_train; i++)
        order[i] = i;
    res->epochs = s->mnist_epochs;
    res->test_accuracy = xmalloc((size_t)res->epochs * sizeof *res->test_accuracy);
    res->train_wrong = xmalloc((size_t)res->epochs * sizeof *res->train_wrong);

    double t0 = now_seconds(), train_time = 0;
    for (int e = 0; e < res->epochs; e++) {
        rng_shuffle(rng, order, res->n_train);
        double start = now_seconds();
        res->train_wrong[e] = ch1_ovr_train_epoch(m, train, order, res->n_train);
        train_time += now_seconds() - start;
        res->test_accuracy[e] = ch1_ovr_evaluate(m, test, res->n_test, pred);
        double rate = (double)res->train_wrong[e] / res->n_train;
        printf("Época %d - errores durante la pasada: %d (%.2f %%) - acierto en prueba: %.2f %%\n",
               e + 1, res->train_wrong[e], 100 * rate, 100 * res->test_accuracy[e]);
    }
    write_mnist_epochs(s->out, res->epochs, res->train_wrong, res->n_train, res->test_accuracy);
    res->train_seconds = train_time;
    printf("   entrenamiento: %.2f s (%.0f imágenes/s); total con evaluación %.2f s\n", train_time,
           train_time > 0 ? (double)res->n_train * res->epochs / train_time : 0.0,
           now_seconds() - t0);
    free(order);
}

/* Of each digit's test images, the share the largest z named right. */
static void print_accuracy_per_digit(const Confusion *cm)
{
    ClassReport r;
    confusion_report(cm, &r);
    printf("  acierto por dígito (la parte de cada fila que cae en la diagonal):");
    for (int k = 0; k < cm->k; k++)
        printf("%s%d: %6.2f %%", k % 5 ? "   " : "\n    ", k, 100 * r.recall[k]);
    printf("\n");
}

/* The perceptron with the largest z names the digit (several may fire, or
 * none: the step alone cannot decide). Then what each one learned. */
static void exercise_5_predict(const Settings *s, const Mnist *test, const Ch1OneVsRest *m,
                               const double *w_start, const unsigned char *pred,
                               MnistResult *res)
{
    res->final_accuracy = res->test_accuracy[res->epochs - 1];
    printf("5. Predicción (la mayor z decide): acierto en prueba %.2f %% (%d/%d)\n",
           100 * res->final_accuracy, (int)lround(res->final_accuracy * res->n_test),
           res->n_test);
    Confusion cm;
    confusion_init(&cm, CH1_CLASSES);
    for (int i = 0; i < res->n_test; i++)
        confusion_add(&cm, test->labels[i], pred[i]);
    printf("\nMatriz de confusión (filas: dígito real, columnas: predicho)\n");
    confusion_print(&cm, NULL);
    print_accuracy_per_digit(&cm);
    confusion_write_csv(&cm, out_path(s->out, "mnist_confusion.csv"));
    write_weight_grid(s->out, m, w_start, test->rows, test->cols);
}

/* The first misclassified test images, in test order, real → predicted. */
static void exercise_6_misclassified(const Settings *s, const Mnist *test,
                                     const unsigned char *pred, MnistResult *res)
{
    int wrong_idx[N_WRONG_SHOWN];
    unsigned char wrong_pred[N_WRONG_SHOWN];
    int shown = 0;
    res->misclassified = 0;
    for (int i = 0; i < res->n_test; i++)
        if (pred[i] != test->labels[i]) {
            if (shown < N_WRONG_SHOWN) {
                wrong_idx[shown] = i;
                wrong_pred[shown++] = pred[i];
            }
            res->misclassified++;
        }
    printf("6. Imágenes mal clasificadas: %d de %d; las %d primeras, con real→predicho:\n",
           res->misclassified, res->n_test, shown);
    for (int t = 0; t < shown; t++)
        printf("%s#%-5d %d→%d", t % 8 ? "  " : (t ? "\n   " : "   "), wrong_idx[t],
               test->labels[wrong_idx[t]], wrong_pred[t]);
    printf("\n");
    if (shown > 0)
        write_digit_grid(s->out, "mnist_mal_clasificadas.csv",
                         "mnist_mal_clasificadas_etiquetas.csv", test, wrong_idx, wrong_pred,
                         shown, 8);
}

static void section_mnist_exercise(const Settings *s, const Mnist *train, const Mnist *test,
                                   Rng *rng, MnistResult *res)
{
    printf("\n== Ejercicio (diapositivas 004): el perceptrón con MNIST ==\n");
    exercise_1_read(s, train, test);
    exercise_2_show_samples(s, train);
    exercise_3_split(s, train, test, res);

    int n_in = train->rows * train->cols;
    Ch1OneVsRest m;
    ch1_ovr_init(&m, n_in, s->lr, rng);
    double *w_start = xmalloc((size_t)CH1_CLASSES * n_in * sizeof *w_start);
    memcpy(w_start, m.W, (size_t)CH1_CLASSES * n_in * sizeof *w_start);
    unsigned char *pred = xmalloc((size_t)res->n_test);

    exercise_4_train(s, train, test, rng, &m, pred, res);
    exercise_5_predict(s, test, &m, w_start, pred, res);
    exercise_6_misclassified(s, test, pred, res);

    free(pred);
    free(w_start);
    ch1_ovr_free(&m);
}

/* ======================================================================
 * summary.json
 * ====================================================================== */

static void json_gate(Json *j, int g, const Ch1GateRun *r, const Ch1Cycle *cy)
{
    json_begin_object(j, ch1_gates[g].name);
    json_bool(j, "learned", r->learned);
    json_int(j, "last_error_epoch", r->last_error_epoch);
    double preds[CH1_N_POINTS];
    for (int i = 0; i < CH1_N_POINTS; i++)
        preds[i] = r->predictions[i];
    json_num_array(j, "predictions", CH1_N_POINTS, preds);
    json_num_array(j, "w", 2, r->w);
    json_num(j, "b", r->b);
    json_int(j, "total_errors", r->total_errors);
    json_int(j, "fewest_errors_in_an_epoch", r->fewest_errors);
    if (cy && cy->found) {
        json_begin_object(j, "cycle");
        json_int(j, "from_epoch", cy->from_epoch);
        json_int(j, "period_examples", cy->period);
        json_num(j, "period_epochs", (double)cy->period / CH1_N_POINTS);
        json_int(j, "distinct_lines", cy->distinct);
        json_end_object(j);
    } else if (cy) {
        json_null(j, "cycle");
    }
    json_end_object(j);
}

static void json_mnist(Json *j, const Settings *s, const MnistResult *mn)
{
    json_begin_object(j, "mnist");
    json_num(j, "test_accuracy", mn->final_accuracy);
    json_int(j, "epochs", mn->epochs);
    json_num(j, "lr", s->lr);
    json_int(j, "train_images", mn->n_train);
    json_int(j, "test_images", mn->n_test);
    json_int(j, "misclassified", mn->misclassified);
    json_num_array(j, "test_accuracy_per_epoch", mn->epochs, mn->test_accuracy);
    double *wrong = xmalloc((size_t)mn->epochs * sizeof *wrong);
    for (int e = 0; e < mn->epochs; e++)
        wrong[e] = mn->train_wrong[e];
    json_num_array(j, "train_wrong_per_epoch", mn->epochs, wrong);
    free(wrong);
    json_num(j, "train_seconds", mn->train_seconds);
    json_str(j, "model", "10 perceptrons one-vs-rest, 784 inputs (pixel/255), prediction = largest z");
    json_end_object(j);
}

static void write_summary(const Settings *s, const double w0[2], const Ch1GateRun *runs,
                          const Ch1Cycle *xor_cycle, const MnistResult *mn)
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
    for (int g = 0; g < CH1_N_GATES; g++)
        json_gate(&j, g, &runs[g], g == CH1_XOR ? xor_cycle : NULL);
    json_end_object(&j);

    if (mn)
        json_mnist(&j, s, mn);
    else
        json_null(&j, "mnist");
    json_files(&j); /* last, so the Makefile can add the figures */
    json_close(&j);
}

/* ====================================================================== */

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

    /* notes §1.2: one start, then the notes' train() on each gate. */
    Rng rng;
    double w0[2];
    section_init(&s, &rng, w0);
    Ch1GateRun runs[CH1_N_GATES];
    section_gates(&s, w0, runs);

    /* notes §2's opening: XOR never settles. */
    Ch1Cycle xor_cycle = section_xor_oscillates(&s, runs);
    write_gate_csvs(s.out, runs);

    /* slides 004: the exercise, with the same rule and the same generator. */
    MnistResult mn = {0};
    if (s.mnist)
        section_mnist_exercise(&s, &train, &test, &rng, &mn);
    else
        remove_mnist_csvs(s.out);   /* no earlier run's MNIST files beside this run's */

    write_summary(&s, w0, runs, &xor_cycle, s.mnist ? &mn : NULL);

    for (int g = 0; g < CH1_N_GATES; g++)
        ch1_gate_run_free(&runs[g]);
    free(mn.test_accuracy);
    free(mn.train_wrong);
    mnist_free(&train);
    mnist_free(&test);
    return 0;
}
