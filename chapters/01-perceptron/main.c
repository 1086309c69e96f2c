/* main.c — chapter 1's program, "El perceptrón" (notes §1, slides 004), as
 * a table of contents: main() at the bottom is the list of sections in the
 * notes' order; each section prints the notes' lines and calls the
 * perceptron of perceptron.c.
 *
 *   build/rel/bin/ch1 [--lr 0.1 | --lr 0.01,0.1,1] [--epochs 100] [--seed 42]
 *                     [--seeds 1-10] [--no-mnist] [--mnist-epochs 5]
 *                     [--out out/01-perceptron]
 *
 *   1.2   one start w ~ N(0,1), then AND, OR and XOR trained from it
 *   2     XOR's boundary oscillates for ever (its cycle), errors per epoch
 *   004   the exercise: ten one-vs-rest perceptrons on MNIST, in the
 *         slides' six steps
 * then, when asked, the same runs for several learning rates (--lr LIST)
 * and several seeds (--seeds LIST) — studies.c — and summary.json. The
 * CSVs the figures need are written by figures_data.c; plots/ch1_*.gp draw
 * them (`make chapter1` runs both). The same flags give byte-identical CSVs. */
#include "perceptron.h"
#include "figures_data.h"
#include "runs.h"
#include "studies.h"

#include "cli.h"
#include "json.h"
#include "metrics.h"
#include "mnist.h"
#include "out.h"
#include "progress.h"
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

static void usage(void)
{
    printf("Uso: %s [opciones]\n"
           "Capítulo 1 (notas §1): el perceptrón con AND, OR y XOR; después el ejercicio de las\n"
           "diapositivas 004: diez perceptrones uno-contra-el-resto con MNIST.\n\n"
           "  --lr LISTA        tasa de aprendizaje η (por defecto 0.1, notas §1.2); varias,\n"
           "                    p. ej. 0.01,0.1,1, se comparan desde el mismo inicio (una figura\n"
           "                    por magnitud); la ejecución del capítulo usa 0.1 si está, si no la primera\n"
           "  --epochs N        épocas de las puertas (por defecto 100, notas §1.2)\n"
           "  --seed N          semilla del inicio N(0,1) y del orden de MNIST (por defecto 42)\n"
           "  --seeds LISTA     estudio de semillas (1,2,3 o 1-10): para cada una, las épocas que\n"
           "                    tardan AND y OR y la exactitud en prueba de MNIST; media ± desviación\n"
           "  --threads N       se acepta por coherencia con los demás capítulos: este usa un hilo\n"
           "  --out CARPETA     dónde van los CSV y summary.json (por defecto out/01-perceptron)\n"
           "  --data CARPETA    los ficheros IDX de MNIST (por defecto datasets/mnist; 'make data')\n"
           "  --no-mnist        solo las puertas\n"
           "  --mnist-epochs N  pasadas por las imágenes de entrenamiento (por defecto 5)\n"
           "  --train-limit N   entrenar solo con las N primeras imágenes de entrenamiento\n"
           "  --test-limit N    evaluar solo con las N primeras imágenes de prueba\n"
           "  --help            este texto\n\n"
           "No se aceptan --opt, --batch ni --dropout: el perceptrón aprende con su propia regla,\n"
           "ejemplo a ejemplo, y no tiene capas ocultas.\n",
           progname());
}

/* The flags every chapter takes (the Makefile's LR, OPT, BATCH, ...) that a
 * perceptron has no use for: one line that says why, exit 2. */
static void refuse(const char *flag)
{
    if (strcmp(flag, "opt") == 0)
        usage_error("--opt: el perceptrón aprende con su propia regla (w ← w + η·(y − ŷ)·x); "
                    "no tiene optimizador");
    if (strcmp(flag, "batch") == 0)
        usage_error("--batch: el perceptrón corrige sus pesos tras cada ejemplo (notas §1.1); "
                    "no hay lotes");
    usage_error("--dropout: el perceptrón es una sola capa, sin neuronas ocultas que apagar; "
                "no hay dropout");
}

/* The chapter's own run uses the notes' rate when the list has it. */
static int pick_main_lr(const Ch1Config *c)
{
    for (int k = 0; k < c->n_lr; k++)
        if (c->lr[k] == 0.1)
            return k;
    return 0;
}

static Ch1Config parse_args(int argc, char **argv, int *threads)
{
    Ch1Config c = {.lr = {0.1}, .n_lr = 1, .epochs = 100, .seed = 42,
                   .out = "out/01-perceptron", .data = "datasets/mnist", .mnist = 1,
                   .mnist_epochs = 5};
    enum { OPT_NO_MNIST = 256, OPT_MNIST_EPOCHS, OPT_TRAIN_LIMIT, OPT_TEST_LIMIT, OPT_SEEDS,
           OPT_THREADS, OPT_OPT, OPT_BATCH, OPT_DROPOUT };
    static const struct option options[] = {
        {"lr", required_argument, 0, 'l'},
        {"epochs", required_argument, 0, 'e'},
        {"seed", required_argument, 0, 's'},
        {"seeds", required_argument, 0, OPT_SEEDS},
        {"threads", required_argument, 0, OPT_THREADS},
        {"out", required_argument, 0, 'o'},
        {"data", required_argument, 0, 'd'},
        {"no-mnist", no_argument, 0, OPT_NO_MNIST},
        {"mnist-epochs", required_argument, 0, OPT_MNIST_EPOCHS},
        {"train-limit", required_argument, 0, OPT_TRAIN_LIMIT},
        {"test-limit", required_argument, 0, OPT_TEST_LIMIT},
        {"opt", required_argument, 0, OPT_OPT},
        {"batch", required_argument, 0, OPT_BATCH},
        {"dropout", required_argument, 0, OPT_DROPOUT},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    opterr = 0; /* we print our own one-line message */
    int opt;
    *threads = 0;
    while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (opt) {
        case 'l': c.n_lr = parse_positive_double_list("--lr", optarg, c.lr, CH1_MAX_RATES); break;
        case 'e': c.epochs = parse_positive_int("--epochs", optarg); break;
        case 's': c.seed = parse_seed("--seed", optarg); break;
        case OPT_SEEDS:
            c.n_seeds = parse_seed_list("--seeds", optarg, c.seeds, CH1_MAX_SEEDS);
            break;
        case OPT_THREADS: *threads = parse_positive_int("--threads", optarg); break;
        case 'o': c.out = optarg; break;
        case 'd': c.data = optarg; break;
        case OPT_NO_MNIST: c.mnist = 0; break;
        case OPT_MNIST_EPOCHS: c.mnist_epochs = parse_positive_int("--mnist-epochs", optarg); break;
        case OPT_TRAIN_LIMIT: c.train_limit = parse_positive_int("--train-limit", optarg); break;
        case OPT_TEST_LIMIT: c.test_limit = parse_positive_int("--test-limit", optarg); break;
        case OPT_OPT: refuse("opt"); break;
        case OPT_BATCH: refuse("batch"); break;
        case OPT_DROPOUT: refuse("dropout"); break;
        case 'h': usage(); exit(0);
        default: cli_unknown_option(argv[optind - 1]);
        }
    }
    if (optind < argc)
        usage_error("argumento inesperado '%s'", argv[optind]);
    if (!*c.out)
        usage_error("--out: falta el nombre de la carpeta");
    c.main_lr = pick_main_lr(&c);
    return c;
}

/* ======================================================================
 * notes §1.2 — "Trabajando con el perceptrón": the gates
 * ====================================================================== */

/* init(): np.random.randn(2) and bias 0, one start for the three gates. */
static void section_init(const Ch1Config *c, int threads, Rng *rng, double w0[2])
{
    printf("Capítulo 1 — El perceptrón (notas §1)\n");
    printf("semilla %llu, η = %g, %d épocas, activación escalón: 1 si z > 0, si no 0\n",
           (unsigned long long)c->seed, ch1_main_lr(c), c->epochs);
    if (threads)
        printf("--threads %d: el capítulo 1 usa un solo hilo (el perceptrón aprende ejemplo a "
               "ejemplo, en orden)\n", threads);
    printf("\n== 1.2 Trabajando con el perceptrón ==\n");
    ch1_initial_weights(rng, c->seed, w0);
    printf("\n-- init(): el punto de partida --\n");
    printf("w ~ N(0,1) = [%.4f, %.4f], b = 0, η = %g (las tres puertas parten de aquí)\n",
           w0[0], w0[1], ch1_main_lr(c));
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

/* The chapter's own run is what its sections, CSVs and figures show: when
 * it diverged there is nothing to show, and the program stops with the one
 * line (exit 1). In a comparison the other rates' runs are results, and a
 * diverged one is reported and recorded (studies.c). */
#define MAIN_RUN_HINT "; es la η de la ejecución del capítulo (0.1 si está en --lr, si no la " \
                      "primera): pruebe una menor"

/* train() on AND, then OR, then XOR — which no line separates. */
static void section_gates(const Ch1Config *c, const double w0[2], Ch1GateRun runs[CH1_N_GATES])
{
    for (int g = 0; g < CH1_N_GATES; g++) {
        ch1_train_gate(w0, ch1_main_lr(c), c->epochs, ch1_gates[g].y, &runs[g]);
        if (runs[g].diverged_epoch) {
            char line[256];
            ch1_gate_divergence(line, sizeof line, ch1_gates[g].name, ch1_main_lr(c),
                                runs[g].diverged_epoch, runs[g].diverged_example);
            die("%s" MAIN_RUN_HINT, line);
        }
        print_gate(&ch1_gates[g], &runs[g]);
    }
}

/* ======================================================================
 * notes §2's opening — XOR "se quedará oscilando para siempre"
 * ====================================================================== */

static void print_error_table(const Ch1GateRun *runs, int epochs)
{
    printf("\n-- Errores por época --\n");
    printf("ejemplos mal clasificados durante la pasada:\n");
    printf("  época   AND   OR   XOR\n");
    for (int e = 0; e < epochs; e++) {
        int ep = e + 1;
        if (ep > 10 && ep % 10 != 0 && ep != epochs)
            continue; /* the first ten, then every tenth */
        printf("  %5d  %4d %4d  %4d\n", ep, runs[CH1_AND].errors[e], runs[CH1_OR].errors[e],
               runs[CH1_XOR].errors[e]);
    }
}

static Ch1Cycle section_xor_oscillates(const Ch1Config *c, const Ch1GateRun runs[CH1_N_GATES])
{
    Ch1Cycle cy = ch1_gate_cycle(&runs[CH1_XOR]);
    printf("\n-- XOR: la frontera oscila (notas §2) --\n");
    if (cy.found)
        printf("desde la época %d recorre una y otra vez las mismas %d rectas\n"
               "(un ciclo de %d ejemplos = %g época%s), sin llegar nunca a 0 errores\n",
               cy.from_epoch, cy.distinct, cy.period, (double)cy.period / CH1_N_POINTS,
               cy.period == CH1_N_POINTS ? "" : "s");
    else
        printf("no se ha asentado en un ciclo en %d épocas\n", c->epochs);
    print_error_table(runs, c->epochs);
    printf("\n");
    return cy;
}

/* ======================================================================
 * slides 004, "PRACTICA" — ten perceptrons on MNIST, in the six steps
 * ====================================================================== */

#define N_SAMPLES 20
#define N_WRONG_SHOWN 24
#define N_TOP_CONFUSIONS 3

typedef struct {
    Ch1MnistRun run;         /* the passes: errors and test accuracy per epoch */
    double final_accuracy;
    int misclassified;
    ConfusionPair top[N_TOP_CONFUSIONS];   /* the most frequent (real, predicted) mistakes */
    int n_top;
} MnistResult;

static void exercise_1_read(const Ch1Config *c, const Mnist *train, const Mnist *test)
{
    printf("\n-- 1. Lectura de datos --\n");
    printf("%d imágenes de entrenamiento y %d de prueba, %d×%d, de %s\n",
           train->n, test->n, train->rows, train->cols, c->data);
}

/* The first training images with their labels. */
static void exercise_2_show_samples(const Ch1Config *c, const Mnist *train)
{
    printf("\n-- 2. Visualización de los datos --\n");
    printf("las %d primeras imágenes de entrenamiento, con su etiqueta\n", N_SAMPLES);
    int first[N_SAMPLES];
    for (int i = 0; i < N_SAMPLES; i++)
        first[i] = i;
    write_digit_grid(c->out, "mnist_muestras.csv", "mnist_muestras_etiquetas.csv", train, first,
                     NULL, N_SAMPLES, 10);
}

/* MNIST comes split; the test images are never trained on. */
static void exercise_3_split(const Ch1Config *c, const Mnist *train, const Mnist *test)
{
    int n_train = ch1_train_count(c, train), n_test = ch1_test_count(c, test);
    printf("\n-- 3. División del conjunto de datos --\n");
    printf("la de MNIST: %d para entrenar y %d para probar%s\n", n_train, n_test,
           (n_train < train->n || n_test < test->n) ? " (recortada con --train-limit/--test-limit)"
                                                    : "");
}

/* The gates' rule, ten times over (runs.c: the passes, in an order
 * shuffled from the seed each epoch, as sklearn's Perceptron does). After
 * each pass, the test images' predictions go to pred. */
static void exercise_4_train(const Ch1Config *c, const Mnist *train, const Mnist *test, Rng *rng,
                             Ch1OneVsRest *m, unsigned char *pred, MnistResult *res)
{
    int n_in = train->rows * train->cols;
    printf("\n-- 4. Entrenamiento del algoritmo --\n");
    printf("10 perceptrones uno-contra-el-resto, %d entradas (píxel/255),\n"
           "w ~ N(0,1), b = 0, η = %g, %d épocas, orden barajado con la semilla\n",
           n_in, ch1_main_lr(c), c->mnist_epochs);
    double t0 = now_seconds();
    Ch1MnistRun *run = &res->run;
    char label[48];
    snprintf(label, sizeof label, "MNIST, η = %g", ch1_main_lr(c));
    ch1_mnist_train(c, m, train, test, rng, NULL, 0, label, pred, run);
    if (run->diverged_epoch) {
        char line[256];
        ch1_mnist_divergence(line, sizeof line, "MNIST", ch1_main_lr(c), run->diverged_epoch,
                             run->diverged_image, run->n_train);
        die("%s" MAIN_RUN_HINT, line);
    }
    for (int e = 0; e < run->epochs; e++)
        printf("Época %d - errores durante la pasada: %d (%.2f %%) - exactitud en prueba: %.2f %%\n",
               e + 1, run->train_wrong[e], 100.0 * run->train_wrong[e] / run->n_train,
               100 * run->test_accuracy[e]);
    write_mnist_epochs(c->out, run->epochs, run->train_wrong, run->n_train, run->test_accuracy);
    printf("   entrenamiento: %.2f s (%.0f imágenes/s); total con evaluación %.2f s\n",
           run->train_seconds,
           run->train_seconds > 0 ? (double)run->n_train * run->epochs / run->train_seconds : 0.0,
           now_seconds() - t0);
}

/* Of each digit's test images, the share the largest z named right. */
static void print_accuracy_per_digit(const Confusion *cm)
{
    ClassReport r;
    confusion_report(cm, &r);
    printf("  exactitud por dígito (la parte de cada fila que cae en la diagonal):");
    for (int k = 0; k < cm->k; k++)
        printf("%s%d: %6.2f %%", k % 5 ? "   " : "\n    ", k, 100 * r.recall[k]);
    printf("\n");
}

/* The perceptron with the largest z names the digit (several may fire, or
 * none: the step alone cannot decide). Then what each one learned. */
static void exercise_5_predict(const Ch1Config *c, const Mnist *test, const Ch1OneVsRest *m,
                               const double *w_start, const unsigned char *pred,
                               MnistResult *res)
{
    int n_test = res->run.n_test;
    res->final_accuracy = res->run.test_accuracy[res->run.epochs - 1];
    printf("\n-- 5. Predicción --\n");
    printf("la mayor z decide: exactitud en prueba %.2f %% (%d/%d)\n",
           100 * res->final_accuracy, (int)lround(res->final_accuracy * n_test), n_test);
    Confusion cm;
    confusion_init(&cm, CH1_CLASSES);
    for (int i = 0; i < n_test; i++)
        confusion_add(&cm, test->labels[i], pred[i]);
    printf("\nMatriz de confusión (filas: dígito real, columnas: predicho)\n");
    confusion_print(&cm, NULL);
    print_accuracy_per_digit(&cm);
    res->n_top = confusion_top(&cm, res->top, N_TOP_CONFUSIONS);
    printf("  las confusiones más frecuentes:\n");
    confusion_top_print(res->top, res->n_top, NULL);
    confusion_write_csv(&cm, out_path(c->out, "mnist_confusion.csv"));
    write_weight_grid(c->out, m, w_start, test->rows, test->cols);
}

/* The first misclassified test images, in test order, real → predicted. */
static void exercise_6_misclassified(const Ch1Config *c, const Mnist *test,
                                     const unsigned char *pred, MnistResult *res)
{
    int wrong_idx[N_WRONG_SHOWN];
    unsigned char wrong_pred[N_WRONG_SHOWN];
    int shown = 0;
    res->misclassified = 0;
    for (int i = 0; i < res->run.n_test; i++)
        if (pred[i] != test->labels[i]) {
            if (shown < N_WRONG_SHOWN) {
                wrong_idx[shown] = i;
                wrong_pred[shown++] = pred[i];
            }
            res->misclassified++;
        }
    printf("\n-- 6. Mostrar imágenes mal clasificadas --\n");
    printf("%d de %d; las %d primeras, con real→predicho:\n",
           res->misclassified, res->run.n_test, shown);
    for (int t = 0; t < shown; t++)
        printf("%s#%-5d %d→%d", t % 8 ? "  " : (t ? "\n   " : "   "), wrong_idx[t],
               test->labels[wrong_idx[t]], wrong_pred[t]);
    printf("\n");
    if (shown > 0)
        write_digit_grid(c->out, "mnist_mal_clasificadas.csv",
                         "mnist_mal_clasificadas_etiquetas.csv", test, wrong_idx, wrong_pred,
                         shown, 8);
}

static void section_mnist_exercise(const Ch1Config *c, const Mnist *train, const Mnist *test,
                                   Rng *rng, MnistResult *res)
{
    printf("\n== Ejercicio (diapositivas 004): el perceptrón con MNIST ==\n");
    exercise_1_read(c, train, test);
    exercise_2_show_samples(c, train);
    exercise_3_split(c, train, test);

    int n_in = train->rows * train->cols;
    Ch1OneVsRest m;
    ch1_ovr_init(&m, n_in, ch1_main_lr(c), rng);
    double *w_start = xmalloc((size_t)CH1_CLASSES * n_in * sizeof *w_start);
    memcpy(w_start, m.W, (size_t)CH1_CLASSES * n_in * sizeof *w_start);
    unsigned char *pred = xmalloc((size_t)ch1_test_count(c, test));

    exercise_4_train(c, train, test, rng, &m, pred, res);
    exercise_5_predict(c, test, &m, w_start, pred, res);
    exercise_6_misclassified(c, test, pred, res);

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
    json_bool(j, "diverged", r->diverged_epoch > 0);   /* false: a diverged run stops the program */
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

static void json_mnist(Json *j, const Ch1Config *c, const MnistResult *mn)
{
    const Ch1MnistRun *run = &mn->run;
    json_begin_object(j, "mnist");
    json_num(j, "test_accuracy", mn->final_accuracy);
    json_bool(j, "diverged", run->diverged_epoch > 0);   /* false, as the gates' */
    json_int(j, "epochs", run->epochs);
    json_num(j, "lr", ch1_main_lr(c));
    json_int(j, "train_images", run->n_train);
    json_int(j, "test_images", run->n_test);
    json_int(j, "misclassified", mn->misclassified);
    json_num_array(j, "test_accuracy_per_epoch", run->epochs, run->test_accuracy);
    double *wrong = xmalloc((size_t)run->epochs * sizeof *wrong);
    for (int e = 0; e < run->epochs; e++)
        wrong[e] = run->train_wrong[e];
    json_num_array(j, "train_wrong_per_epoch", run->epochs, wrong);
    free(wrong);
    confusion_top_json(j, "top_confusions", mn->top, mn->n_top);   /* largest first */
    json_num(j, "train_seconds", run->train_seconds);
    json_str(j, "model", "10 perceptrons one-vs-rest, 784 inputs (pixel/255), prediction = largest z");
    json_end_object(j);
}

/* What the run computed, for summary.json; NULL where it did not run. */
typedef struct {
    const double *w0;
    const Ch1GateRun *gates;
    const Ch1Cycle *xor_cycle;
    const MnistResult *mnist;
    const Ch1RateComparison *rates;
    const Ch1SeedStudy *seeds;
} Results;

static void write_summary(const Ch1Config *c, const Results *r)
{
    Json j;
    json_open(&j, out_path(c->out, "summary.json"));
    json_str(&j, "chapter", "01-perceptron");
    json_begin_object(&j, "settings");
    json_num(&j, "lr", ch1_main_lr(c));
    json_num_array(&j, "lr_list", c->n_lr, c->lr);
    json_int(&j, "epochs", c->epochs);
    json_int(&j, "seed", (long long)c->seed);
    json_int(&j, "threads", 1);
    json_str(&j, "activation", "step: 1 if z > 0 else 0 (notes §1.2)");
    json_str(&j, "init", "w ~ N(0,1), b = 0; the three gates start from the same w");
    json_num_array(&j, "initial_w", 2, r->w0);
    json_str(&j, "order", "(0,0), (0,1), (1,0), (1,1) every epoch");
    json_end_object(&j);

    json_str(&j, "last_error_epoch_means",
             "1-based number of the last epoch in which some example was misclassified; 0 if none was");
    json_begin_object(&j, "gates");
    for (int g = 0; g < CH1_N_GATES; g++)
        json_gate(&j, g, &r->gates[g], g == CH1_XOR ? r->xor_cycle : NULL);
    json_end_object(&j);

    if (r->mnist)
        json_mnist(&j, c, r->mnist);
    else
        json_null(&j, "mnist");
    if (r->rates)
        ch1_rate_comparison_json(&j, r->rates);
    if (r->seeds)
        ch1_seed_study_json(&j, c, r->seeds);
    json_files(&j); /* last, so the Makefile can add the figures */
    json_close(&j);
}

/* A comparison run says how to draw what it wrote: make's target draws
 * out/01-perceptron, gnuplot any folder. */
static void print_how_to_draw(const Ch1Config *c)
{
    if (getenv("MAKELEVEL"))   /* run by make, which draws next */
        return;
    printf("\nFiguras de la comparación: make draw-chapter1 (dibuja out/01-perceptron), o bien\n");
    printf("  mkdir -p '%s/fig'\n", c->out);
    printf("  gnuplot -e \"datadir='%s'\" plots/ch1_errores_tasas.gp\n", c->out);
    if (c->mnist)
        printf("  gnuplot -e \"datadir='%s'\" plots/ch1_mnist_tasas.gp\n", c->out);
}

/* ====================================================================== */

int main(int argc, char **argv)
{
    set_progname(argv[0]);
    int threads;
    Ch1Config c = parse_args(argc, argv, &threads);
    /* Before any work: a folder we cannot write fails now, not after training. */
    out_prepare_dir(c.out);
    /* notebook: read_mnist */
    /* The data, if wanted, is read first too, so a missing file stops the
     * run before it has written anything (mnist_load says how to get it). */
    Mnist train = {0}, test = {0};
    if (c.mnist) {
        mnist_load(c.data, "train", &train);
        mnist_load(c.data, "t10k", &test);
    }
    /* end notebook: read_mnist */
    /* The progress line's plan: every pass over MNIST the run will make —
     * the exercise once per rate, and once per rate and seed. */
    progress_plan(ch1_mnist_work(&c, &train, &test) * c.n_lr * (1 + c.n_seeds));

    /* notes §1.2: one start, then the notes' train() on each gate. */
    Rng rng;
    double w0[2];
    section_init(&c, threads, &rng, w0);
    Ch1GateRun runs[CH1_N_GATES];
    section_gates(&c, w0, runs);
    /* The exercise continues from here; the other rates start from here too. */
    Rng exercise_start = rng;

    /* notes §2's opening: XOR never settles. */
    Ch1Cycle xor_cycle = section_xor_oscillates(&c, runs);
    write_gate_csvs(c.out, runs);

    /* --lr LIST: the same gates with every rate. */
    Ch1RateComparison cmp = {0};
    if (c.n_lr > 1) {
        ch1_compare_gates(&c, w0, &cmp);
    } else {
        remove_csv(c.out, "errores_tasas.csv");
        remove_csv(c.out, "errores_tasas_fin.csv");
    }

    /* slides 004: the exercise, with the same rule and the same generator. */
    MnistResult mn = {0};
    if (c.mnist) {
        section_mnist_exercise(&c, &train, &test, &rng, &mn);
        if (c.n_lr > 1) {
            ch1_compare_mnist(&c, &train, &test, &exercise_start, &mn.run, &cmp);
        } else {
            remove_csv(c.out, "mnist_tasas.csv");
            remove_csv(c.out, "mnist_tasas_fin.csv");
        }
    } else {
        remove_mnist_csvs(c.out);   /* no earlier run's MNIST files beside this run's */
    }

    /* --seeds LIST: the whole chapter again, once per seed. */
    Ch1SeedStudy seeds = {0};
    if (c.n_seeds > 0)
        ch1_seed_study(&c, &train, &test, &seeds);
    else
        remove_csv(c.out, "semillas.csv");

    Results r = {.w0 = w0, .gates = runs, .xor_cycle = &xor_cycle,
                 .mnist = c.mnist ? &mn : NULL, .rates = c.n_lr > 1 ? &cmp : NULL,
                 .seeds = c.n_seeds > 0 ? &seeds : NULL};
    write_summary(&c, &r);
    if (c.n_lr > 1)
        print_how_to_draw(&c);

    for (int g = 0; g < CH1_N_GATES; g++)
        ch1_gate_run_free(&runs[g]);
    ch1_rate_comparison_free(&cmp);
    ch1_seed_study_free(&seeds);
    ch1_mnist_run_free(&mn.run);
    mnist_free(&train);
    mnist_free(&test);
    return 0;
}
