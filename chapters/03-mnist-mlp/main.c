/* main.c — chapter 3, "Reconocimiento de patrones": MNIST with a multilayer
 * network trained by backpropagation written out by hand (notes §3).
 *
 * What it is: the notes' §3.4 PyTorch model done in C — 784–128–64–10,
 * ReLU, softmax with cross-entropy, Glorot initialisation, shuffled batches
 * of 64, Adam with lr 0.003, 2 epochs — reading the original IDX files, and
 * around it the chapter's studies. main() below is the table of contents:
 * one call per section, in the notes' order. The network itself is mlp.c;
 * mlp_fast.c takes the same step on several threads.
 *
 * What it is not: a framework. The layers (common/nn.c) are plain forward
 * and backward functions, called in the order the notes write the formulas.
 * Figures are drawn by plots/ch3_*.gp from the CSVs written here.
 *
 *     ch3 [--lr 0.001,0.003,0.01] [--opt adam,sgd] [--epochs 2] [--batch 64]
 *         [--hidden 128,64] [--act relu] [--dropout P] [--l2 L] [--seed 42]
 *         [--seeds 1-5 [--seeds-overfit]] [--threads N] [--plain]
 *         [--data datasets/mnist] [--out out/03-mnist-mlp]
 *         [--bench] [--quick] [--train-limit N] [--test-limit N] [--overfit-epochs 20]
 *         [--resume] [--checkpoint-every N]
 *
 * With --seeds the program trains only the main network, once per seed, and
 * reports the spread of its test accuracy (seeds.c); the notebook's other
 * sections do not run.
 *
 * The main network keeps a checkpoint (out/03-mnist-mlp/checkpoint.safetensors)
 * at the end of every epoch; Ctrl-C saves it at the batch it stops after, and
 * --resume goes on from it to the same bytes as a run never stopped
 * (resume.c). A learning rate that makes the main network's loss NaN or
 * infinite stops the program: one line, summary.json saying where
 * ("diverged"), exit 1.
 */
#include "mlp.h"
#include "seed_figures.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "cli.h"
#include "gemm.h"
#include "interrupt.h"
#include "out.h"
#include "parallel.h"
#include "progress.h"
#include "safetensors.h"
#include "util.h"

static const char *main_opt(const Ch3Config *c) { return c->opt[c->main_opt]; }
static double main_lr(const Ch3Config *c) { return c->lr[c->main_lr]; }

/* --- flags ------------------------------------------------------------------------------ */

static void usage(void)
{
    printf("Uso: ch3 [opciones]   (notas §3: MNIST con una red multicapa escrita a mano)\n"
           "  --lr LISTA         tasas de aprendizaje comparadas (por defecto 0.001,0.003,0.01)\n"
           "  --opt LISTA        optimizadores comparados: adam, sgd (por defecto adam,sgd)\n"
           "  --epochs N         épocas de la red principal (por defecto 2)\n"
           "  --batch N          tamaño del lote (por defecto 64)\n"
           "  --hidden LISTA     tamaños de las capas ocultas (por defecto 128,64)\n"
           "  --act NOMBRE       activación oculta de la red principal: %s (por defecto relu)\n"
           "  --dropout P        dropout en las capas ocultas, 0 <= P < 1 (por defecto 0)\n"
           "  --l2 L             coeficiente λ de L2 sobre los pesos (por defecto 0)\n"
           "  --seed N           semilla aleatoria (por defecto 42)\n"
           "  --seeds LISTA      entrena solo la red principal, una vez por semilla (1,2,3 o 1-5),\n"
           "                     e informa de la media ± desviación típica de su exactitud en\n"
           "                     prueba (semillas.csv); el resto del cuaderno no se ejecuta\n"
           "  --seeds-overfit    con --seeds: también el estudio de sobreajuste (§3.3) por semilla\n"
           "  --threads N        hilos que se reparten cada lote, de 1 a %d (por defecto:\n"
           "                     OMP_NUM_THREADS, o los núcleos de la máquina)\n"
           "  --plain            solo la red legible (mlp.c): bucles simples, un hilo\n"
           "  --data DIR         carpeta con los ficheros IDX (por defecto datasets/mnist)\n"
           "  --out DIR          carpeta de salida (por defecto out/03-mnist-mlp)\n"
           "  --overfit-epochs N épocas del estudio de sobreajuste (por defecto 20)\n"
           "  --train-limit N    entrena solo con las N primeras imágenes de entrenamiento\n"
           "  --test-limit N     prueba solo con las N primeras imágenes de prueba\n"
           "  --quick            estudios más cortos (para las pruebas)\n"
           "  --bench            solo la red principal: su exactitud en prueba y sus tiempos\n"
           "  --resume           sigue la red principal desde su punto de control\n"
           "                     (checkpoint.safetensors en --out) con los mismos ajustes: da los\n"
           "                     mismos bytes que una ejecución sin interrumpir; si no lo hay,\n"
           "                     empieza de cero. Otros ajustes, también otro número de hilos\n"
           "                     (cambia cómo se agrupan las sumas), se rechazan\n"
           "  --checkpoint-every N\n"
           "                     guarda el punto de control también cada N lotes (si no, solo al\n"
           "                     final de cada época y al pulsar Ctrl-C)\n"
           "  --help             este texto\n"
           "La red principal se entrena con adam y 0.003, los de las notas, cuando las listas\n"
           "los contienen (si no, con el primero de cada una); cada pareja se compara en\n"
           "loss_comparacion.csv (figura: make draw-chapter3). Ctrl-C termina el lote en curso,\n"
           "guarda el punto de control y dice cómo seguir (make chapter3 RESUME=1).\n",
           activation_names(), CH3_MAX_THREADS);
}

static const Activation *parse_activation(const char *text)
{
    const Activation *act = activation_find(text);
    if (!act)
        usage_error("--act: activación desconocida '%s' (una de: %s)", text, activation_names());
    if (!act->trainable)
        usage_error("--act: '%s' no se puede entrenar, su derivada es 0 allí donde existe "
                    "(una de: %s)", text, activation_names());
    return act;
}

static void parse_hidden(const char *text, Ch3Config *c)
{
    double v[CH3_MAX_LAYERS];
    int nhidden = parse_positive_double_list("--hidden", text, v, CH3_MAX_LAYERS - 1);
    for (int i = 0; i < nhidden; i++) {
        if (v[i] != floor(v[i]) || v[i] > 4096)
            usage_error("--hidden: '%s' deben ser números enteros de hasta 4096", text);
        c->sizes[i + 1] = (int)v[i];
    }
    c->nlayers = nhidden + 1;
}

static Ch3Config parse_flags(int argc, char **argv)
{
    /* The notes' settings, and the comparison's default grid (the main
     * network picks the notes' adam with 0.003 out of it, below). */
    Ch3Config c = {.out = "out/03-mnist-mlp", .data = "datasets/mnist", .seed = 42,
                   .epochs = 2, .batch = 64, .overfit_epochs = 20,
                   .act = activation_find("relu"), .nlayers = 3,
                   .sizes = {CH3_PIXELS, 128, 64}, .nlr = 3, .lr = {0.001, 0.003, 0.01},
                   .nopt = 2, .opt = {"adam", "sgd"}};
    int threads = 0;
    enum { O_LR = 256, O_OPT, O_EPOCHS, O_BATCH, O_HIDDEN, O_ACT, O_DROPOUT, O_L2, O_SEED,
           O_THREADS, O_PLAIN, O_DATA, O_OUT, O_OVERFIT, O_LIMIT, O_TEST_LIMIT, O_QUICK,
           O_BENCH, O_SEEDS, O_SEEDS_OVERFIT, O_RESUME, O_CHECKPOINT_EVERY, O_HELP };
    static const struct option longopts[] = {
        {"lr", required_argument, 0, O_LR},           {"opt", required_argument, 0, O_OPT},
        {"epochs", required_argument, 0, O_EPOCHS},   {"batch", required_argument, 0, O_BATCH},
        {"hidden", required_argument, 0, O_HIDDEN},   {"act", required_argument, 0, O_ACT},
        {"dropout", required_argument, 0, O_DROPOUT}, {"l2", required_argument, 0, O_L2},
        {"seed", required_argument, 0, O_SEED},       {"threads", required_argument, 0, O_THREADS},
        {"plain", no_argument, 0, O_PLAIN},           {"data", required_argument, 0, O_DATA},
        {"out", required_argument, 0, O_OUT},
        {"overfit-epochs", required_argument, 0, O_OVERFIT},
        {"train-limit", required_argument, 0, O_LIMIT},
        {"test-limit", required_argument, 0, O_TEST_LIMIT},
        {"quick", no_argument, 0, O_QUICK},           {"bench", no_argument, 0, O_BENCH},
        {"seeds", required_argument, 0, O_SEEDS},
        {"seeds-overfit", no_argument, 0, O_SEEDS_OVERFIT},
        {"resume", no_argument, 0, O_RESUME},
        {"checkpoint-every", required_argument, 0, O_CHECKPOINT_EVERY},
        {"help", no_argument, 0, O_HELP},             {0, 0, 0, 0}};
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case O_LR: c.nlr = parse_positive_double_list("--lr", optarg, c.lr, 8); break;
        case O_OPT: c.nopt = parse_word_list("--opt", optarg, OPTIMIZER_NAMES, c.opt, 4); break;
        case O_EPOCHS: c.epochs = parse_positive_int("--epochs", optarg); break;
        case O_BATCH: c.batch = parse_positive_int("--batch", optarg); break;
        case O_HIDDEN: parse_hidden(optarg, &c); break;
        case O_ACT: c.act = parse_activation(optarg); break;
        case O_DROPOUT: c.dropout = parse_fraction("--dropout", optarg); break;
        case O_L2: c.l2 = parse_nonnegative_double("--l2", optarg); break;
        case O_SEED: c.seed = parse_seed("--seed", optarg); break;
        case O_THREADS: threads = parse_positive_int("--threads", optarg); break;
        case O_PLAIN: c.plain = 1; break;
        case O_DATA: c.data = optarg; break;
        case O_OUT: c.out = optarg; break;
        case O_OVERFIT: c.overfit_epochs = parse_positive_int("--overfit-epochs", optarg); break;
        case O_LIMIT: c.train_limit = parse_positive_int("--train-limit", optarg); break;
        case O_TEST_LIMIT: c.test_limit = parse_positive_int("--test-limit", optarg); break;
        case O_QUICK: c.quick = 1; break;
        case O_BENCH: c.bench = 1; break;
        case O_SEEDS: c.nseeds = parse_seed_list("--seeds", optarg, c.seeds, CH3_MAX_SEEDS); break;
        case O_SEEDS_OVERFIT: c.seeds_overfit = 1; break;
        case O_RESUME: c.resume = 1; break;
        case O_CHECKPOINT_EVERY:
            c.checkpoint_every = parse_positive_int("--checkpoint-every", optarg);
            break;
        case O_HELP: usage(); exit(0);
        default: cli_unknown_option(argv[optind - 1]);
        }
    }
    if (optind < argc)
        usage_error("argumento inesperado '%s'", argv[optind]);
    c.sizes[c.nlayers] = CH3_CLASSES;
    /* The main network: the notes' setting when the lists include it. */
    for (int i = c.nopt - 1; i >= 0; i--)
        if (strcmp(c.opt[i], "adam") == 0)
            c.main_opt = i;
    for (int i = c.nlr - 1; i >= 0; i--)
        if (c.lr[i] == 0.003)
            c.main_lr = i;
    if (c.epochs > CH3_MAX_EPOCHS)
        usage_error("--epochs: %d son más de las que este capítulo registra (%d)", c.epochs,
                    CH3_MAX_EPOCHS);
    if (c.batch > CH3_EVAL_BATCH)
        usage_error("--batch: %d es mayor que %d", c.batch, CH3_EVAL_BATCH);
    if (c.seeds_overfit && !c.nseeds)
        usage_error("--seeds-overfit repite el estudio de sobreajuste para cada semilla de "
                    "--seeds: falta --seeds LISTA");
    if (c.nseeds && c.bench)
        usage_error("--seeds ya entrena solo la red principal (una vez por semilla): quite "
                    "--bench");
    if (c.nseeds && (c.resume || c.checkpoint_every))
        usage_error("--seeds no guarda puntos de control: quite %s",
                    c.resume ? "--resume" : "--checkpoint-every");
    /* Threads: --plain is one thread by definition; otherwise --threads, or
     * OMP_NUM_THREADS, or the machine's cores. */
    if (c.plain && threads > 1)
        usage_error("--plain ejecuta la red legible en un solo hilo: quite --threads %d",
                    threads);
    if (threads > CH3_MAX_THREADS)
        usage_error("--threads: %d son más de %d", threads, CH3_MAX_THREADS);
    c.threads = c.plain ? 1 : threads ? threads : par_default_threads();
    if (c.threads > CH3_MAX_THREADS)
        usage_error("OMP_NUM_THREADS: %d hilos son más de %d", c.threads, CH3_MAX_THREADS);
    return c;
}

/* --plain: the triple loop for every product, one thread, so that every step
 * of every section is mlp.c's readable one. Otherwise OpenBLAS, and the
 * threads sharing each batch (mlp_fast.c). */
static void choose_how_to_run(const Ch3Config *c)
{
    par_set_threads(c->threads);
    gemm_use_plain_loops(c->plain);
}

/* --- small helpers ----------------------------------------------------------------------- */

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0;   /* Linux reports kilobytes */
}

/* notes §3.4's loop on `net` with the main pair (ch3_train prints "Época N -
 * Error"), then its accuracy on the test set: NaN when the loss stopped
 * being finite (t->diverged; the caller says what that means). */
static double train_and_test(Ch3Net *net, const Ch3Config *c, const Mnist *train,
                             const Mnist *test, Rng *rng, Ch3Run *run, Ch3Training *t)
{
    ch3_train(net, main_opt(c), main_lr(c), train, c->epochs, c->batch, 1, rng, "", run, t);
    return t->diverged ? NAN : ch3_evaluate(net, test, NULL, test->n, NULL, NULL);
}

/* Inference speed: passes over the whole test set in batches of 1000,
 * repeated until half a second has passed, after one untimed pass — the
 * way bench/torch_common.py times PyTorch, so the two figures compare. */
static double inference_images_per_second(Ch3Net *net, const Mnist *test)
{
    ch3_evaluate(net, test, NULL, test->n, NULL, NULL);   /* warm-up, untimed */
    long images = 0;
    double t0 = now_seconds(), dt;
    do {
        ch3_evaluate(net, test, NULL, test->n, NULL, NULL);
        images += test->n;
        dt = now_seconds() - t0;
    } while (dt < 0.5);
    return images / dt;
}

/* Inference one batch of 64 at a time: how fast a small request is served. */
static double inference_b64_images_per_second(Ch3Net *net, const Mnist *test)
{
    double t0 = now_seconds();
    ch3_evaluate_batches(net, test, NULL, test->n, 64, NULL, NULL);
    double dt = now_seconds() - t0;
    return dt > 0 ? test->n / dt : 0;
}

/* The trained weights in PyTorch's state_dict names — fc1.weight (128, 784),
 * fc1.bias (128), ... — so `torch.nn.Linear` layers load them as they are. */
static void save_model(const char *out, const Ch3Net *net)
{
    StTensor t[2 * CH3_MAX_LAYERS];
    char names[2 * CH3_MAX_LAYERS][32];
    for (int l = 0; l < net->nlayers; l++) {
        snprintf(names[2 * l], sizeof names[0], "fc%d.weight", l + 1);
        snprintf(names[2 * l + 1], sizeof names[0], "fc%d.bias", l + 1);
        t[2 * l] = (StTensor){.name = names[2 * l], .ndim = 2,
                              .shape = {net->sizes[l + 1], net->sizes[l]}, .data = net->W[l]};
        t[2 * l + 1] = (StTensor){.name = names[2 * l + 1], .ndim = 1,
                                  .shape = {net->sizes[l + 1]}, .data = net->b[l]};
    }
    st_save(out_path(out, "model.safetensors"), t, 2 * net->nlayers);
}

/* The main run's loss after every batch (the figure's raw curve): its
 * first n batches. */
static void write_batch_losses(const char *out, const float *batch_loss, int n)
{
    Csv csv;
    csv_open(&csv, out_path(out, "loss_lotes.csv"), "batch,loss");
    for (int i = 0; i < n; i++)
        csv_row(&csv, 2, (double[]){i + 1, batch_loss[i]});
    csv_close(&csv);
}

/* Ctrl-C during the main run: its losses so far, in the same file. */
static void write_losses_so_far(const Ch3Epoch *at, void *out)
{
    write_batch_losses(out, at->run->t->batch_loss, ch3_losses_so_far(at));
}

/* --- the sections --------------------------------------------------------------------------- */

/* notes §3: 60 000 training and 10 000 test images of 28×28, and how this
 * run computes (float or double, OpenBLAS or --plain's loops, threads). */
static void section_3_data(const Ch3Config *c, Mnist *train, Mnist *test)
{
    mnist_load(c->data, "train", train);
    mnist_load(c->data, "t10k", test);
    if (train->rows * train->cols != CH3_PIXELS || test->rows * test->cols != CH3_PIXELS)
        die("%s: imágenes de %d×%d, este capítulo necesita 28×28", c->data, train->rows,
            train->cols);
    mnist_limit(train, c->train_limit);
    mnist_limit(test, c->test_limit);
    printf("== 3 Reconocimiento de patrones: MNIST ==\n");
    printf("  datos         %s\n", c->data);
    printf("  entrenamiento %d imágenes de %d×%d\n", train->n, train->rows, train->cols);
    printf("  prueba        %d imágenes de %d×%d\n", test->n, test->rows, test->cols);
    printf("  aplanado      [%d, %d] -> [%d]; un lote de %d es X [%d × %d]\n", train->rows,
           train->cols, CH3_PIXELS, c->batch, c->batch, CH3_PIXELS);
    if (c->plain) {
        printf("  tipo          %s, gemm: bucles simples (gemm_plain, --plain)\n", REAL_NAME);
        printf("  hilos         1: el paso legible de mlp.c en cada lote (--plain)\n");
    } else {
        printf("  tipo          %s, gemm: OpenBLAS cblas_%cgemm\n", REAL_NAME,
               sizeof(real) == 4 ? 's' : 'd');
        if (c->threads > 1)
            printf("  hilos         %s; cada lote repartido entre ellos (mlp_fast.c)\n",
                   par_describe());
        else
            printf("  hilos         1: el paso legible de mlp.c en cada lote\n");
    }
}

/* §3 opening: 784–128–10, one hidden layer. */
static void section_3_first_network(const Ch3Config *c, const Mnist *train, const Mnist *test,
                                    Ch3FirstNet *r)
{
    printf("\n== 3 Primera red: 784–128–10 (ReLU, softmax, %s lr %g) ==\n", main_opt(c),
           main_lr(c));
    Ch3Net net;
    Rng rng;
    rng_seed(&rng, c->seed + 1);
    ch3_net_init(&net, 2, (int[]){CH3_PIXELS, 128, CH3_CLASSES}, activation_find("relu"),
                 CH3_SOFTMAX_CE, CH3_INIT_GLOROT, CH3_EVAL_BATCH, &rng);
    Ch3Training t;
    Ch3Run run = {.what = "la primera red (784–128–10)"};
    r->ran = 1;
    r->test_accuracy = train_and_test(&net, c, train, test, &rng, &run, &t);
    r->epochs = t.epochs;
    memcpy(r->epoch_loss, t.epoch_loss, sizeof r->epoch_loss);
    /* A divergence stops this network only: the verdict on the main pair
     * (exit 1) belongs to the main network, trained next with it. */
    r->diverged = t.diverged;
    r->diverged_epoch = t.diverged_epoch;
    r->diverged_batch = t.diverged_batch;
    if (t.diverged)
        printf("  divergió: la pérdida se hizo NaN o infinita en la época %d, lote %d (%s, "
               "lr %g); sin exactitud, se sigue\n", t.diverged_epoch, t.diverged_batch,
               main_opt(c), main_lr(c));
    else
        printf("  exactitud en prueba: %.2f %% (%d parámetros)\n", 100 * r->test_accuracy,
               (int)net.p.n);
    free(t.batch_loss);
    ch3_net_free(&net);
}

/* §3.2: the worked example, a "3" predicted with 0.70 — the notes'
 * arithmetic, in double (the network's own softmax_cross_entropy_* do the
 * same in the network's precision; tests/test_ch3_layers.c checks them on
 * this example). */
static void section_3_2_cross_entropy(Ch3CrossEntropy *r)
{
    printf("\n== 3.2 Entropía cruzada: el ejemplo del «3» ==\n");
    const double yhat[10] = {0.01, 0.02, 0.05, 0.70, 0.02, 0.10, 0, 0, 0.10, 0};
    const double y[10] = {0, 0, 0, 1, 0, 0, 0, 0, 0, 0};   /* one-hot: a "3" */
    double grad[10];
    r->ran = 1;
    r->loss = -log(yhat[3]);                 /* L = −Σ y_i ln ŷ_i = −ln ŷ_3 */
    for (int c = 0; c < 10; c++)
        grad[c] = yhat[c] - y[c];            /* ∂L/∂Z = ŷ − y */
    r->grad_at_3 = grad[3];
    printf("  ŷ = [0.01 0.02 0.05 0.70 0.02 0.10 0 0 0.10 0], y = 3\n");
    printf("  L = −ln ŷ_3 = −ln 0.70 = %.4f\n", r->loss);
    printf("  ∂L/∂Z = ŷ − y: %.2f en el «3», %.2f en el «5»\n", grad[3], grad[5]);
}

/* notes §3.3–3.4: the default network — trained, tested, timed, saved. */
static void section_3_4_default_network(const Ch3Config *c, const Mnist *train,
                                        const Mnist *test, Ch3Net *net, Ch3Training *t,
                                        Ch3MainRun *r)
{
    Rng rng;
    rng_seed(&rng, c->seed + 3);
    ch3_net_init(net, c->nlayers, c->sizes, c->act, CH3_SOFTMAX_CE, CH3_INIT_GLOROT,
                 CH3_EVAL_BATCH, &rng);
    net->dropout = (real)c->dropout;
    net->l2 = (real)c->l2;
    ch3_net_shape(net, r->shape, sizeof r->shape);
    r->nparams = net->p.n;
    printf("\n== 3.3–3.4 Red %s (%s, softmax + entropía cruzada, %s lr %g, lotes de %d) ==\n",
           r->shape, ch3_act_label(c->act), main_opt(c), main_lr(c), c->batch);
    printf("  inicialización Glorot, %zu parámetros en un solo bloque\n", net->p.n);
    /* the run whose checkpoint --resume goes on from (resume.c) */
    Ch3Run run = {.what = "la red principal (§3.3–3.4)", .checkpoint = c,
                  .write_so_far = write_losses_so_far, .ctx = (void *)c->out};
    r->test_accuracy = train_and_test(net, c, train, test, &rng, &run, t);
    r->epochs = t->epochs;
    memcpy(r->epoch_loss, t->epoch_loss, sizeof r->epoch_loss);
    if (t->diverged) {   /* main() stops the program */
        r->diverged = 1;
        r->diverged_epoch = t->diverged_epoch;
        r->diverged_batch = t->diverged_batch;
        write_batch_losses(c->out, t->batch_loss, t->nbatch_loss);
        return;
    }
    r->train_seconds = t->train_seconds;
    r->seconds_per_epoch = t->train_seconds / t->epochs;
    r->train_images_per_second = (double)train->n * t->epochs / t->train_seconds;
    r->inference_images_per_second = inference_images_per_second(net, test);
    r->inference_images_per_second_b64 = inference_b64_images_per_second(net, test);
    printf("  exactitud en prueba: %.2f %%\n", 100 * r->test_accuracy);
    printf("  tiempo: %.3f s por época, %.0f imágenes/s entrenando, %.0f imágenes/s "
           "en inferencia (lotes de %d)\n", r->seconds_per_epoch, r->train_images_per_second,
           r->inference_images_per_second, CH3_EVAL_BATCH);
    write_batch_losses(c->out, t->batch_loss, t->nbatch_loss);
    save_model(c->out, net);
    /* rewritten quietly after every epoch (and --checkpoint-every N batches) */
    out_report("control", out_path(c->out, "checkpoint.safetensors"));
}

/* A run of the program itself (not through make) says how to draw what it
 * wrote: `make draw-chapter3` draws out/03-mnist-mlp; another --out needs
 * gnuplot told where the CSVs are (from the project's root, where the
 * scripts find plots/common.gp). */
static void print_how_to_draw(const char *out, const char *scripts)
{
    if (getenv("MAKELEVEL"))   /* run by make, which draws next */
        return;
    if (strcmp(out, "out/03-mnist-mlp") == 0 && strcmp(scripts, "plots/ch3_*.gp") == 0)
        printf("\n  figuras: make draw-chapter3\n");
    else
        printf("\n  figuras (desde la raíz del proyecto): for s in %s; do gnuplot -e "
               "\"datadir='%s'\" $s; done\n", scripts, out);
}

/* --- progress ----------------------------------------------------------------------------------- */

/* The whole run's work for progress_plan(), in mlp.h's units (one image
 * through a training step of the notes' network): the training epochs of
 * every section and study, and the evaluations long enough to count. */
static double main_network_work(const Ch3Config *c, int ntrain, int ntest)
{
    return c->epochs * ch3_epoch_work(c->nlayers, c->sizes, ntrain, c->batch) +
           ntest * CH3_EVAL_SHARE * ch3_image_work(c->nlayers, c->sizes);
}

static double run_work(const Ch3Config *c, int ntrain, int ntest)
{
    if (c->nseeds)
        return c->nseeds * (main_network_work(c, ntrain, ntest) +
                            (c->seeds_overfit ? ch3_overfitting_work(c, ntrain, ntest) : 0));
    double w = main_network_work(c, ntrain, ntest);
    if (c->bench)
        return w;
    const int first[] = {CH3_PIXELS, 128, CH3_CLASSES};
    const int deep[] = {CH3_PIXELS, 128, 64, 32, CH3_CLASSES};
    const int vanish[] = {CH3_PIXELS, 64, 64, 64, 64, 64, 64, CH3_CLASSES};
    const int net003[] = {CH3_PIXELS, 20, 20, CH3_CLASSES};
    w += c->epochs * ch3_epoch_work(2, first, ntrain, c->batch);            /* §3 opening */
    if (!c->quick)
        w += 2 * ch3_epoch_work(7, vanish, ntrain, 64);                     /* §3.1 */
    w += (c->nopt * c->nlr - 1) * c->epochs *                               /* --opt × --lr */
         ch3_epoch_work(c->nlayers, c->sizes, ntrain, c->batch);
    w += c->epochs * (ch3_epoch_work(3, (const int[]){CH3_PIXELS, 128, 64, CH3_CLASSES},
                                     ntrain, 64) +
                      3 * ch3_epoch_work(4, deep, ntrain, 64));             /* §3.5 ex. 3 */
    w += ch3_overfitting_work(c, ntrain, ntest);                           /* §3.3 */
    w += 3 * (c->quick ? 1 : 4) * ch3_epoch_work(3, net003, ntrain, 100);  /* seed 003 */
    w += (1 + 4 * CH3_MAX_SHIFT) * ntest * CH3_EVAL_SHARE *                 /* for chapter 4 */
         ch3_image_work(c->nlayers, c->sizes);
    w += ch3_seed_figures_work(c, ntrain);                                  /* 002, 003 figures */
    return w;
}

/* The main network's loss stopped being finite: the losses up to there are
 * written (loss_lotes.csv), summary.json says where it diverged and claims
 * no accuracy, and one line says it, exit 1. */
NORETURN static void stop_diverged(const Ch3Config *c, const Mnist *train, const Mnist *test,
                                   Ch3Results *r)
{
    r->peak_rss_mb = peak_rss_mb();
    ch3_write_summary(c, train, test, r);
    die("la red principal divergió: la pérdida se hizo NaN o infinita en la época %d, lote %d "
        "(%s, lr %g) — pruebe un --lr menor", r->main.diverged_epoch, r->main.diverged_batch,
        main_opt(c), main_lr(c));
}

/* --- the notebook ------------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    set_progname(argv[0]);
    interrupt_install();      /* Ctrl-C, SIGTERM: the batch finishes, then resume.c stops */
    Ch3Config c = parse_flags(argc, argv);
    out_prepare_dir(c.out);   /* an unwritable --out fails before any training */
    ch3_resume_setup(&c, argc, argv);
    choose_how_to_run(&c);
    Mnist train, test;
    section_3_data(&c, &train, &test);                                  /* §3 */
    ch3_check_checkpoint(&c, &train);   /* --resume: a checkpoint not this run's, refused now */
    progress_plan(run_work(&c, train.n, test.n));   /* stderr: the whole run's progress */
    if (c.nseeds) {                                  /* SEEDS=: the spread, nothing else */
        ch3_seed_study(&c, &train, &test);   /* (it stops at a Ctrl-C, writing nothing half) */
        print_how_to_draw(c.out, "plots/ch3_semillas.gp");
        mnist_free(&train);
        mnist_free(&test);
        return 0;
    }

    /* notebook: sections */
    Ch3Results r;
    memset(&r, 0, sizeof r);
    if (!c.bench) {
        section_3_first_network(&c, &train, &test, &r.first);          /* §3: 784–128–10 */
        ch3_study_vanishing(&c, &train, &r.vanishing);                  /* §3.1 */
        section_3_2_cross_entropy(&r.cross_entropy);                    /* §3.2 */
    }
    Ch3Net net;
    Ch3Training training;
    section_3_4_default_network(&c, &train, &test, &net, &training, &r.main);  /* §3.3–3.4 */
    if (r.main.diverged)
        stop_diverged(&c, &train, &test, &r);
    if (!c.bench) {
        unsigned char *pred = xmalloc((size_t)test.n + 1);
        ch3_evaluate(&net, &test, NULL, test.n, pred, NULL);
        ch3_metrics(c.out, &test, pred, &r.metrics);                    /* 002 §5.2 */
        ch3_pictures(c.out, &net, &train, &test, pred, &r.pictures);    /* §3, 003 Fig 27 */
        ch3_files_for_chapter4(c.out, &net, &test, &r.comparison);      /* §4, 002 §5 */
        ch3_study_overfitting(&c, &train, &test, &r.overfitting);       /* §3.3 */
        ch3_study_optimisers(&c, &train, &test, training.batch_loss,     /* §3.5 ex. 3 */
                             training.nbatch_loss, &r.optimisers);
        ch3_study_seed003(&c, &train, &test, &r.seed003);               /* seed 003 */
        section_seed_figures(&c, &train, &test);   /* 002 Figs 2.3–5.2, 003 Figs 23–28 */
        free(pred);
    }
    /* end notebook: sections */
    ch3_stop_if_interrupted("las últimas secciones");   /* no summary of a run cut short */
    r.peak_rss_mb = peak_rss_mb();
    printf("\n  memoria: pico de %.0f MB\n", r.peak_rss_mb);
    ch3_write_summary(&c, &train, &test, &r);
    if (!c.bench)
        print_how_to_draw(c.out, "plots/ch3_*.gp");

    free(training.batch_loss);
    ch3_net_free(&net);
    mnist_free(&train);
    mnist_free(&test);
    return 0;
}
