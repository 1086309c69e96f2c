/* main.c — chapter 4, "Redes neuronales convolucionales": the program that
 * reads like the notes' §4 from top to bottom.
 *
 *   build/rel/bin/ch4 [--epochs 5] [--batch 64] [--lr 0.001] [--dropout 0]
 *                     [--seed 2] [--threads N] [--plain] [--out out/04-cnn] ...
 *
 * main() is the table of contents:
 *   §4.1    how a convolutional layer works: Fig 4's vertical-edge filter, a
 *           1-D convolution, Sobel on a digit, max and average pooling
 *           (examples.c)
 *   §4.2    the stops of the data through the network, and its size
 *   §4.3    training: 5 epochs, batches of 64, Adam; the notes' losses
 *           beside ours; conv1's kernels copied out over epoch 1 (the
 *           animation of the filters taking shape, §4.1)
 *   002 §5  the test accuracy and the speed
 *   002 §3.3.1, §4, §5.2  what it learned: filters, feature maps, saliency,
 *           Grad-CAM (explain.c); confusion matrix, misclassified digits
 * and summary.json. The figures are drawn by plots/ch4_*.gp from the CSVs.
 *
 * The network is cnn.c (as the notes write it; what --plain runs, end to
 * end, on one thread with the plain loops) and cnn_fast.c (the same network
 * made fast; the default). The same seed and thread count give
 * byte-identical CSVs. */
#include "cnn.h"
#include "cnn_fast.h"
#include "compare.h"
#include "cli.h"
#include "conv.h"
#include "examples.h"
#include "explain.h"
#include "gemm.h"
#include "interrupt.h"
#include "json.h"
#include "metrics.h"
#include "mnist.h"
#include "optim.h"
#include "out.h"
#include "parallel.h"
#include "plotdata.h"
#include "progress.h"
#include "stats.h"
#include "train.h"
#include "util.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double NOTES_LOSS[5] = {0.2344, 0.0833, 0.0632, 0.0524, 0.0458};

#define MAX_THREADS 256
#define MAX_LIST 8      /* settings in --lr and --opt lists */
#define MAX_SEEDS 100
#define MAX_SHIFT 8
/* --plain times inference on this many test images (the readable network
 * takes a few milliseconds per image). */
#define PLAIN_TIMED_IMAGES 500
/* Learning in motion (§4.1): conv1's kernels at the start and at this many
 * evenly spaced batches of the first epoch (41 frames of the animation). */
#define CONV1_FRAMES 40

typedef struct {
    int epochs, batch;
    double lr[MAX_LIST];          /* --lr: one rate, or a list to compare */
    int nlr;
    const char *opt[MAX_LIST];    /* --opt: adam (the notes'), sgd, or a list */
    int nopt;
    int main_lr, main_opt;        /* which of them the rest of the chapter uses */
    double dropout, lr_decay;
    int shift;                    /* --augment-shift */
    uint64_t seed;
    uint64_t seeds[MAX_SEEDS];    /* --seeds: the seed study (the first is the main run) */
    int nseeds, seed_given;
    const char *out, *data, *load;
    const char *mlp_dir;  /* chapter 3's run whose MLP chapter 4 compares with this CNN */
    int bench, train_limit, test_limit;
    int threads;  /* 0 until set: the default is par_default_threads() */
    int plain;
    int resume;            /* --resume: the main run goes on from its checkpoint */
    int checkpoint_every;  /* --checkpoint-every N: also after every N batches (0: epochs only) */
    char checkpoint[4096]; /* <out>/checkpoint.safetensors */
} Options;

/* What the run found: summary.json is written from this alone. */
typedef struct {
    long parameters;
    int epochs;                        /* epochs trained (0 with --load) */
    double epoch_loss[CNN_MAX_EPOCHS];
    double train_seconds;
    int train_images, test_images;
    double accuracy;
    Confusion cm;
    double infer_b1000, infer_b64;     /* images per second */
    int infer_images;                  /* test images in each timed round */
    char model_path[4096];
    double seed_accuracy[MAX_SEEDS];   /* the seed study, in --seeds' order (NaN: diverged) */
    double seed_mean, seed_sd;         /* of the seeds that did not diverge */
    int seed_diverged[MAX_SEEDS][2];   /* epoch and batch where a seed's run diverged (0: it did not) */
    /* the comparison: the settings whose runs diverged, and where */
    int ndiverged;
    char diverged_name[MAX_LIST * MAX_LIST][48];
    int diverged_at[MAX_LIST * MAX_LIST][2];
} Results;

/* ------------------------------------------------------------------------ */
static void usage(void)
{
    printf("Uso: %s [opciones]\n"
           "Capítulo 4 (apuntes §4): una red convolucional sobre MNIST.\n\n"
           "  --epochs N          épocas de entrenamiento (por defecto 5, como los apuntes)\n"
           "  --batch N           imágenes por lote (por defecto 64)\n"
           "  --lr X[,Y...]       tasa de aprendizaje (por defecto 0.001, la de PyTorch para Adam);\n"
           "                      una lista (0.0003,0.001,0.003) entrena cada una y superpone sus\n"
           "                      curvas de pérdida en una figura\n"
           "  --opt NOMBRE[,...]  optimizador: adam (el de los apuntes) o sgd; una lista los compara\n"
           "  --dropout P         dropout sobre las 128 salidas de fc1 al entrenar, 0 <= P < 1\n"
           "                      (por defecto 0)\n"
           "  --seed N            semilla: pesos iniciales, orden de las imágenes (por defecto 42,\n"
           "                      la de la serie)\n"
           "  --seeds LISTA       estudio de semillas (1,2,3 o 1-5): entrena con cada una, escribe la\n"
           "                      exactitud en prueba de cada una, su media y su desviación típica\n"
           "                      (semillas.csv); el resto del capítulo usa la primera\n"
           "  --threads N         hilos que se reparten cada lote, 1..%d (por defecto %d:\n"
           "                      OMP_NUM_THREADS si está definida, si no todos los núcleos)\n"
           "  --plain             entrena y evalúa con la red legible de cnn.c, sus bucles simples y\n"
           "                      un hilo, para seguirla en un depurador. Lenta: minutos por época\n"
           "                      donde la red rápida tarda segundos (dice su velocidad al\n"
           "                      terminar); pruebe --train-limit 1000\n"
           "  --augment-shift N   más allá de los apuntes: en cada época cada imagen de\n"
           "                      entrenamiento se mueve al azar hasta N píxeles en x y en y\n"
           "                      (por defecto 0: las imágenes tal cual)\n"
           "  --lr-decay G        más allá de los apuntes: la época e aprende con lr·G^e (por\n"
           "                      defecto 1: constante)\n"
           "  --out DIR           carpeta de los CSV, el modelo y summary.json (por defecto\n"
           "                      out/04-cnn)\n"
           "  --data DIR          carpeta con los ficheros de MNIST (por defecto datasets/mnist)\n"
           "  --load FICHERO      evalúa un modelo guardado (safetensors) en vez de entrenar\n"
           "  --mlp DIR           carpeta de la ejecución del capítulo 3 cuyo MLP se compara con\n"
           "                      esta CNN (por defecto out/03-mnist-mlp)\n"
           "  --bench             solo entrenar, evaluar y medir la inferencia (sin ejemplos ni\n"
           "                      estudios)\n"
           "  --resume            sigue el entrenamiento de la red principal desde su punto de\n"
           "                      control, DIR/checkpoint.safetensors (el de --out DIR), escrito al\n"
           "                      final de cada época y al pulsar Ctrl-C: el resultado es, byte a\n"
           "                      byte, el de una corrida sin interrumpir. Con otros ajustes se\n"
           "                      niega; con otros --threads o --plain sigue con un aviso, pero ya\n"
           "                      no idéntico byte a byte. Sin punto de control empieza de cero; si\n"
           "                      el entrenamiento había terminado, sigue con el resto. Las demás\n"
           "                      redes (--seeds, listas de --lr u --opt) se entrenan de nuevo\n"
           "  --checkpoint-every N  escribe el punto de control también cada N lotes\n"
           "  --train-limit N     entrena solo con las N primeras imágenes de entrenamiento\n"
           "  --test-limit N      evalúa solo con las N primeras imágenes de prueba\n"
           "  --help              este texto\n",
           progname(), MAX_THREADS, par_default_threads());
}

/* The index of `want` in the list, or 0 (the first) when it is not there. */
static int index_or_first_lr(const double *v, int n, double want)
{
    for (int i = 0; i < n; i++)
        if (fabs(v[i] - want) <= 1e-12 * want)
            return i;
    return 0;
}

static int index_or_first_opt(const char *const *v, int n, const char *want)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v[i], want) == 0)
            return i;
    return 0;
}

static Options parse_options(int argc, char **argv)
{
    CnnTrainSettings d = cnn_train_defaults();
    Options o = {.epochs = d.epochs, .batch = d.batch, .lr = {d.lr}, .nlr = 1,
                 .opt = {d.opt}, .nopt = 1, .dropout = d.dropout, .lr_decay = d.lr_decay,
                 .seed = d.seed, .out = "out/04-cnn", .data = "datasets/mnist",
                 .mlp_dir = "out/03-mnist-mlp"};
    enum { O_EPOCHS = 1, O_BATCH, O_LR, O_OPT, O_DROPOUT, O_SEED, O_SEEDS, O_OUT, O_DATA,
           O_LOAD, O_BENCH, O_TRAIN_LIMIT, O_TEST_LIMIT, O_THREADS, O_PLAIN, O_MLP, O_SHIFT,
           O_DECAY, O_RESUME, O_CKPT_EVERY, O_HELP };
    static const struct option opts[] = {
        {"epochs", required_argument, 0, O_EPOCHS}, {"batch", required_argument, 0, O_BATCH},
        {"lr", required_argument, 0, O_LR},         {"opt", required_argument, 0, O_OPT},
        {"dropout", required_argument, 0, O_DROPOUT},
        {"seed", required_argument, 0, O_SEED},     {"seeds", required_argument, 0, O_SEEDS},
        {"out", required_argument, 0, O_OUT},
        {"data", required_argument, 0, O_DATA},     {"load", required_argument, 0, O_LOAD},
        {"bench", no_argument, 0, O_BENCH},
        {"train-limit", required_argument, 0, O_TRAIN_LIMIT},
        {"test-limit", required_argument, 0, O_TEST_LIMIT},
        {"threads", required_argument, 0, O_THREADS},
        {"plain", no_argument, 0, O_PLAIN},
        {"mlp", required_argument, 0, O_MLP},
        {"augment-shift", required_argument, 0, O_SHIFT},
        {"lr-decay", required_argument, 0, O_DECAY},
        {"resume", no_argument, 0, O_RESUME},
        {"checkpoint-every", required_argument, 0, O_CKPT_EVERY},
        {"help", no_argument, 0, O_HELP},           {0, 0, 0, 0}};
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case O_EPOCHS: o.epochs = parse_positive_int("--epochs", optarg); break;
        case O_BATCH: o.batch = parse_positive_int("--batch", optarg); break;
        case O_LR: o.nlr = parse_positive_double_list("--lr", optarg, o.lr, MAX_LIST); break;
        case O_OPT:
            o.nopt = parse_word_list("--opt", optarg, OPTIMIZER_NAMES, o.opt, MAX_LIST);
            break;
        case O_DROPOUT: o.dropout = parse_fraction("--dropout", optarg); break;
        case O_SEED: o.seed = parse_seed("--seed", optarg); o.seed_given = 1; break;
        case O_SEEDS: o.nseeds = parse_seed_list("--seeds", optarg, o.seeds, MAX_SEEDS); break;
        case O_OUT: o.out = optarg; break;
        case O_DATA: o.data = optarg; break;
        case O_LOAD: o.load = optarg; break;
        case O_BENCH: o.bench = 1; break;
        case O_TRAIN_LIMIT: o.train_limit = parse_positive_int("--train-limit", optarg); break;
        case O_TEST_LIMIT: o.test_limit = parse_positive_int("--test-limit", optarg); break;
        case O_THREADS: o.threads = parse_positive_int("--threads", optarg); break;
        case O_PLAIN: o.plain = 1; break;
        case O_MLP: o.mlp_dir = optarg; break;
        case O_SHIFT: o.shift = parse_positive_int("--augment-shift", optarg); break;
        case O_DECAY:
            o.lr_decay = parse_positive_double("--lr-decay", optarg);
            if (o.lr_decay > 1)
                usage_error("--lr-decay: %g haría crecer la tasa época tras época; use 0 < G <= 1",
                            o.lr_decay);
            break;
        case O_RESUME: o.resume = 1; break;
        case O_CKPT_EVERY:
            o.checkpoint_every = parse_positive_int("--checkpoint-every", optarg);
            break;
        case O_HELP: usage(); exit(0);
        default: cli_unknown_option(argv[optind - 1]);
        }
    }
    if (optind < argc)
        usage_error("argumento inesperado '%s'", argv[optind]);
    if (o.batch > 4096)
        usage_error("--batch: %d son más de 4096 imágenes", o.batch);
    if (o.epochs > CNN_MAX_EPOCHS)
        usage_error("--epochs: como mucho %d", CNN_MAX_EPOCHS);
    if (o.threads > MAX_THREADS)
        usage_error("--threads: como mucho %d, no %d", MAX_THREADS, o.threads);
    if (o.plain && o.threads > 1)
        usage_error("--plain usa un solo hilo: quite --threads %d", o.threads);
    if (o.shift > MAX_SHIFT)
        usage_error("--augment-shift: como mucho %d píxeles (un dígito ocupa unos 20 de los 28)",
                    MAX_SHIFT);
    int comparing = o.nlr > 1 || o.nopt > 1;
    if (o.load && (comparing || o.nseeds || o.shift || o.lr_decay != 1))
        usage_error("--load evalúa un modelo ya entrenado: no entrena, así que no admite listas "
                    "de --lr u --opt, --seeds, --augment-shift ni --lr-decay");
    if (o.load && (o.resume || o.checkpoint_every))
        usage_error("--load evalúa un modelo ya entrenado: no entrena, así que no admite "
                    "--resume ni --checkpoint-every");
    if (comparing && o.nseeds)
        usage_error("--seeds con una lista de --lr u --opt: una comparación cada vez");
    if (o.nseeds && o.seed_given)
        usage_error("--seed y --seeds a la vez: la primera semilla de --seeds es la de la red "
                    "principal; use solo --seeds");
    if (o.nseeds)
        o.seed = o.seeds[0];
    /* the rest of the chapter uses the notes' setting when the lists hold it,
     * otherwise the first of each */
    o.main_lr = index_or_first_lr(o.lr, o.nlr, d.lr);
    o.main_opt = index_or_first_opt(o.opt, o.nopt, d.opt);
    return o;
}

/* The settings of one training run: the options, with this optimiser, rate and seed. */
static CnnTrainSettings settings_of(const Options *o, int opt, int lr, uint64_t seed,
                                    const char *label)
{
    CnnTrainSettings s = cnn_train_defaults();
    s.epochs = o->epochs;
    s.batch = o->batch;
    s.opt = o->opt[opt];
    s.lr = o->lr[lr];
    s.lr_decay = o->lr_decay;
    s.dropout = o->dropout;
    s.shift = o->shift;
    s.seed = seed;
    s.plain = o->plain;
    s.threads = o->threads;
    s.label = label;
    return s;
}

/* --plain: the plain loops (gemm's triple loop too) on one thread; otherwise
 * --threads, or OpenMP's default (OMP_NUM_THREADS, or every core). */
static void choose_cores(Options *o)
{
    if (o->plain) {
        gemm_use_plain_loops(1);
        o->threads = 1;
    } else if (o->threads == 0) {
        int t = par_default_threads();
        o->threads = t < MAX_THREADS ? t : MAX_THREADS;
    }
    par_set_threads(o->threads);
}

static void load_split(const char *dir, const char *split, int limit, Mnist *m)
{
    mnist_load(dir, split, m);
    if (m->rows != 28 || m->cols != 28)
        die("%s/%s: images are %dx%d; this network reads 28x28", dir, split, m->rows, m->cols);
    mnist_limit(m, limit);
}

/* The whole run's work for the progress line, in training images through
 * one step: every training run, every evaluation of the test set (a forward
 * pass, a third of a step), the timed inference and the explanations. */
#define SPEED_ROUNDS_FAST 5   /* about how many rounds of the test set a second of timing takes */
static double speed_work(const Options *o, int test_n)
{
    int images = o->plain && test_n > PLAIN_TIMED_IMAGES ? PLAIN_TIMED_IMAGES : test_n;
    return 2.0 * (o->plain ? 2 : SPEED_ROUNDS_FAST) * images * CNN_EVAL_WORK;
}
/* the explanations: 10 digits × 3 passes (saliency, Grad-CAM, its check) of
 * the readable network on one image, some 70 times as slow as the fast one */
static double explain_work(const Options *o)
{
    return 10 * 3.0 * (o->plain ? 1 : 70);
}

static void plan_progress(const Options *o, int train_n, int test_n)
{
    int runs = o->load ? 0 : o->nseeds > 1 ? o->nseeds : o->nlr * o->nopt;
    double work = (double)runs * o->epochs * train_n;      /* training */
    work += (o->load ? 1 : runs) * test_n * CNN_EVAL_WORK;  /* each net's test accuracy */
    work += speed_work(o, test_n);
    if (!o->bench)
        work += explain_work(o) + compare_work(test_n);
    progress_plan(work);
}

/* ------------------------------------------------------------------------ */
/* §4.2 The stops of the data, and the size of the network                  */
/* ------------------------------------------------------------------------ */
static long section_shapes(void)
{
    printf("\n== 4.2 El paso de la convolución a la clasificación ==\n");
    int s0 = 28, s1 = conv_out_size(s0, 3, 1, 0), q1 = conv_out_size(s1, 2, 2, 0);
    int s2 = conv_out_size(q1, 3, 1, 0), q2 = conv_out_size(s2, 2, 2, 0);
    long p_c1 = 32 * 1 * 9 + 32, p_c2 = 64 * 32 * 9 + 64, p_f1 = 128L * 64 * q2 * q2 + 128,
         p_f2 = 10 * 128 + 10;
    printf("  %-32s %-18s %s\n", "parada", "tensor", "parámetros");
    printf("  %-32s [1 x %d x %d]\n", "0. entrada", s0, s0);
    printf("  %-32s [32 x %d x %d]     %7ld   (%d - 3 + 1 = %d)\n", "1. conv1 3x3, 32 filtros + ReLU",
           s1, s1, p_c1, s0, s1);
    printf("  %-32s [32 x %d x %d]               (%d / 2 = %d)\n", "2. max-pool 2x2", q1, q1, s1,
           q1);
    printf("  %-32s [64 x %d x %d]     %7ld   (%d - 3 + 1 = %d)\n", "3. conv2 3x3, 64 filtros + ReLU",
           s2, s2, p_c2, q1, s2);
    printf("  %-32s [64 x %d x %d]                 (%d / 2 = 5,5 → %d, hacia abajo)\n",
           "4. max-pool 2x2", q2, q2, s2, q2);
    printf("  %-32s [%d]               (64·%d·%d, canal tras canal)\n", "   flatten", 64 * q2 * q2,
           q2, q2);
    printf("  %-32s [128]              %7ld\n", "   fc1 + ReLU", p_f1);
    printf("  %-32s [10]               %7ld\n", "   fc2 + log-softmax", p_f2);
    long total = p_c1 + p_c2 + p_f1 + p_f2;
    printf("  total: %ld parámetros (el 91 %% en fc1)\n", total);
    return total;
}

static void section_init(CnnNet *net, const Options *o, long parameters)
{
    cnn_train_init_net(net, o->seed);
    if ((long)net->p.n != parameters)
        die("internal: the network holds %zu parameters, the table says %ld", net->p.n,
            parameters);
    printf("  inicialización: la de PyTorch, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), semilla %llu\n",
           (unsigned long long)o->seed);
}

/* ------------------------------------------------------------------------ */
/* §4.3 Training                                                            */
/* ------------------------------------------------------------------------ */
/* The notes' losses beside ours only when the run trains as the notes did
 * (Adam at 0.001, batches of 64, no dropout, shifts or decay). */
static void print_epoch_losses(const CnnTrainLog *log, const CnnTrainSettings *s)
{
    CnnTrainSettings d = cnn_train_defaults();
    int as_notes = strcmp(s->opt, d.opt) == 0 && s->lr == d.lr && s->batch == d.batch &&
                   s->dropout == 0 && s->shift == 0 && s->lr_decay == 1;
    for (int e = 0; e < log->epochs; e++) {
        if (e < 5 && as_notes)
            printf("Época %d - Error medio: %.4f      (apuntes: %.4f)\n", e + 1,
                   log->epoch_loss[e], NOTES_LOSS[e]);
        else
            printf("Época %d - Error medio: %.4f\n", e + 1, log->epoch_loss[e]);
    }
    fflush(stdout);
}

/* filtros_conv1_lotes.csv, learning in motion (§4.1: nobody designs the
 * filters, training shapes them): conv1's 32 kernels at each frame the
 * training copied out, 288 rows a frame in filtros_conv1.csv's layout, the
 * frame's number and the batches of epoch 1 done before it in front. The
 * first frame is the initial network, the last the one after epoch 1.
 * plots/ch4_filtros_conv1_animacion.gp draws it. Without frames (--bench,
 * --load) an earlier run's file is removed, so that no stale animation is
 * drawn beside this run's figures. */
static void write_conv1_frames(const CnnTrainLog *log, const char *out)
{
    const char *name = "filtros_conv1_lotes.csv";
    if (log->nconv1 == 0) {
        remove(out_path(out, name));
        return;
    }
    Csv c;
    csv_open(&c, out_path(out, name), "frame,batch,filter,row,col,weight");
    for (int k = 0; k < log->nconv1; k++)
        for (int f = 0; f < CNN_C1; f++)
            for (int i = 0; i < 9; i++)
                csv_row(&c, 6, (double[]){k, log->conv1_batch[k], f, i / 3, i % 3,
                                          log->conv1[((size_t)k * CNN_C1 + f) * 9 + i]});
    csv_close(&c);
}

/* The root-mean-square difference of conv1's 288 weights between two copies. */
static double conv1_rms_change(const float *from, const float *to)
{
    double sum = 0;
    for (int i = 0; i < CNN_C1 * 9; i++) {
        double d = (double)to[i] - (double)from[i];
        sum += d * d;
    }
    return sqrt(sum / (CNN_C1 * 9));
}

/* How far conv1's kernels moved while the animation's frames were taken
 * (§4.1: training shapes the filters): over the first and the last gap
 * between frames, over the whole of epoch 1, then over the epochs after it.
 * Printed only; it changes nothing the run writes. */
static void print_conv1_motion(const CnnTrainLog *log, const CnnNet *net)
{
    int n = log->nconv1;
    if (n < 3)
        return;
    const float *first = log->conv1, *last = log->conv1 + (size_t)(n - 1) * CNN_C1 * 9;
    float start_scale[CNN_C1 * 9] = {0}, now[CNN_C1 * 9];
    for (int i = 0; i < CNN_C1 * 9; i++)
        now[i] = (float)net->conv1.weight[i];
    printf("  conv1 durante la época 1 (%d copias, lotes 0 a %d, filtros_conv1_lotes.csv):\n", n,
           log->conv1_batch[n - 1]);
    printf("    cambio de un peso (media cuadrática): %.3f en los lotes 0–%d, %.3f en los "
           "lotes %d–%d, %.3f en toda la época\n",
           conv1_rms_change(first, first + CNN_C1 * 9), log->conv1_batch[1],
           conv1_rms_change(last - CNN_C1 * 9, last), log->conv1_batch[n - 2],
           log->conv1_batch[n - 1], conv1_rms_change(first, last));
    if (log->epochs > 1)
        printf("    %.3f más en las épocas 2–%d; los pesos iniciales miden %.3f\n",
               conv1_rms_change(last, now), log->epochs, conv1_rms_change(start_scale, first));
    else
        printf("    los pesos iniciales miden %.3f\n", conv1_rms_change(start_scale, first));
}

/* perdida_epocas.csv: the epochs trained so far (all of them, but after a
 * Ctrl-C or a divergence); none yet, an earlier run's removed. */
static void write_epoch_losses(const CnnTrainLog *log, const char *out)
{
    const char *name = "perdida_epocas.csv";
    if (log->epochs == 0) {
        remove(out_path(out, name));
        return;
    }
    Csv c;
    csv_open(&c, out_path(out, name), "epoch,loss,notes_loss");
    for (int e = 0; e < log->epochs; e++) {
        /* the notes' number where there is one; an empty cell after epoch 5 */
        if (e < 5)
            csv_row(&c, 3, (double[]){e + 1, log->epoch_loss[e], NOTES_LOSS[e]});
        else
            csv_printf(&c, "%d,%.9g,\n", e + 1, log->epoch_loss[e]);
    }
    csv_close(&c);
}

/* What --resume found. */
static void print_resume(const CnnTrainLog *log, const Options *o)
{
    if (log->resumed < 0)
        printf("  --resume: no hay punto de control en %s; se empieza de cero\n", o->checkpoint);
    else if (log->resumed && log->resumed_epoch == o->epochs)
        printf("  --resume: %s es de un entrenamiento terminado (%d épocas): no se entrena de "
               "nuevo\n", o->checkpoint, o->epochs);
    else if (log->resumed && log->resumed_batch == 0)
        printf("  --resume: sigue desde %s, al comienzo de la época %d\n", o->checkpoint,
               log->resumed_epoch + 1);
    else if (log->resumed)
        printf("  --resume: sigue desde %s, tras el lote %d de la época %d\n", o->checkpoint,
               log->resumed_batch, log->resumed_epoch + 1);
}

static void write_summary_diverged(const Options *o, const Results *r,
                                   const CnnTrainLog *log);

/* The main run diverged: no model, no accuracy; summary.json says where it
 * diverged, and one line does too. */
NORETURN static void main_run_diverged(const Options *o, const CnnTrainLog *log,
                                       const Results *r)
{
    write_epoch_losses(log, o->out);
    write_conv1_frames(log, o->out);
    write_summary_diverged(o, r, log);
    die("el entrenamiento divergió: la pérdida se hizo NaN o infinita en la época %d, lote %d "
        "(%s, lr %g) — pruebe un --lr menor", log->stop_epoch, log->stop_batch,
        o->opt[o->main_opt], log->stop_lr);
}

/* Ctrl-C or SIGTERM during the main run: its checkpoint is written (train.c);
 * here the CSVs so far, no summary.json (the run did not finish), and the
 * line that says how to go on. */
NORETURN static void main_run_interrupted(const Options *o, const CnnTrainLog *log,
                                          int train_images)
{
    write_epoch_losses(log, o->out);
    write_conv1_frames(log, o->out);
    remove(out_path(o->out, "summary.json"));
    int batches = (train_images + o->batch - 1) / o->batch;
    interrupt_exit("interrumpido (%s) tras el lote %d de %d de la época %d de %d; punto de "
                   "control en %s; para seguir: make chapter4 RESUME=1 (con las mismas "
                   "variables), o la misma orden con --resume", interrupt_signal_name(),
                   log->stop_batch, batches, log->stop_epoch, o->epochs, o->checkpoint);
}

/* Ctrl-C or SIGTERM during one of the other runs (a comparison, the seed
 * study), or between two parts of the chapter: the main run is whole in its
 * checkpoint; nothing half is written, no summary.json. `what` says where. */
NORETURN static void stop_interrupted(const Options *o, const char *what)
{
    remove(out_path(o->out, "summary.json"));
    if (o->load)
        interrupt_exit("interrumpido (%s) %s", interrupt_signal_name(), what);
    interrupt_exit("interrumpido (%s) %s; la red principal está entera en su punto de control, "
                   "%s: la misma orden con --resume (o make chapter4 RESUME=1, con las "
                   "mismas variables) sigue sin entrenarla de nuevo", interrupt_signal_name(),
                   what, o->checkpoint);
}

/* Between the parts of the chapter: stop there if Ctrl-C was pressed. */
static void stop_if_interrupted(const Options *o, const char *what)
{
    if (interrupt_signal())
        stop_interrupted(o, what);
}

static void section_train(CnnNet *net, const Mnist *tr, const Options *o, Results *r,
                          CnnTrainLog *log)
{
    const char *opt = o->opt[o->main_opt];
    double lr = o->lr[o->main_lr];
    printf("\n== 4.3 Entrenamiento: %d épocas, lotes de %d, %s lr %g%s ==\n", o->epochs,
           o->batch, strcmp(opt, "adam") == 0 ? "Adam" : "SGD", lr,
           o->dropout > 0 ? ", dropout" : "");
    if (o->dropout > 0)
        printf("  dropout %.2f sobre las 128 salidas de fc1\n", o->dropout);
    if (o->shift > 0)
        printf("  cada época, cada imagen movida al azar hasta %d píxeles en x y en y\n", o->shift);
    if (o->lr_decay != 1)
        printf("  la tasa de la época e es %g·%g^e\n", lr, o->lr_decay);
    if (o->plain)
        printf("  %d imágenes de entrenamiento; la red legible (cnn.c), bucles simples, un hilo "
               "(--plain)\n", tr->n);
    else if (o->threads == 1)
        printf("  %d imágenes de entrenamiento; cada lote en un hilo\n", tr->n);
    else
        printf("  %d imágenes de entrenamiento; cada lote repartido entre %d hilos\n", tr->n,
               o->threads);
    char label[48] = "";
    if (o->nseeds > 1)
        snprintf(label, sizeof label, "Semilla %llu (1/%d)", (unsigned long long)o->seed,
                 o->nseeds);
    CnnTrainSettings s = settings_of(o, o->main_opt, o->main_lr, o->seed, label[0] ? label : NULL);
    s.conv1_frames = o->bench ? 0 : CONV1_FRAMES;
    s.checkpoint = o->checkpoint; /* after every epoch, on Ctrl-C, --checkpoint-every N */
    s.checkpoint_every = o->checkpoint_every;
    s.resume = o->resume;
    cnn_train_run(net, tr, &s, log);
    print_resume(log, o);
    print_epoch_losses(log, &s);
    for (int e = 0; e < log->epochs; e++)
        r->epoch_loss[e] = log->epoch_loss[e];
    r->train_seconds = log->seconds;
    r->epochs = log->epochs;
    if (log->stop == CNN_DIVERGED)
        main_run_diverged(o, log, r);
    if (log->stop == CNN_INTERRUPTED)
        main_run_interrupted(o, log, tr->n);
    printf("  %.1f s de entrenamiento, %.2f s por época, %.0f imágenes/s\n", r->train_seconds,
           r->train_seconds / r->epochs, (double)tr->n * r->epochs / r->train_seconds);
    print_conv1_motion(log, net);
    /* rewritten quietly after every epoch (and --checkpoint-every N batches) */
    out_report("control", o->checkpoint);

    write_epoch_losses(log, o->out);
    write_conv1_frames(log, o->out);
    snprintf(r->model_path, sizeof r->model_path, "%s", out_path(o->out, "model.safetensors"));
    cnn_save(net, r->model_path);
    printf("  (safetensors, con los nombres de PyTorch: conv1.weight, ..., fc2.bias)\n");
}

static void section_load(CnnNet *net, const Options *o, Results *r)
{
    char err[1024];
    if (cnn_load(net, o->load, err, sizeof err))
        die("%s", err);
    printf("\n== Modelo cargado de %s ==\n", o->load);
    snprintf(r->model_path, sizeof r->model_path, "%s", o->load);
}

/* ------------------------------------------------------------------------ */
/* Issue 8 item 12: LR=… and OPT=… — every setting trained, one figure      */
/* ------------------------------------------------------------------------ */
/* comparacion_perdidas.csv: a row per point of the curves (the mean loss of
 * CNN_CURVE_EVERY batches), a column per setting, the header its legend;
 * comparacion_exactitud.csv: each setting's test accuracy. A setting whose
 * loss became NaN or infinite stops there (issue 11 item 4) while the others
 * go on: its column is empty after its last point, its accuracy and last
 * loss are empty cells, and comparacion_perdidas_divergencias.csv
 * (ajuste,curva,lote,perdida: the setting, its column among the curves, the
 * batches of its run trained before the one that diverged, the curve's last
 * finite value) says where the figure marks its end. Without a list no file
 * is written, and an earlier run's are removed, so that
 * plots/ch4_comparacion_perdidas.gp never draws a stale comparison. */
static const char *const COMPARE_FILES[] = {"comparacion_perdidas.csv",
                                            "comparacion_exactitud.csv",
                                            "comparacion_perdidas_divergencias.csv"};

static void remove_comparison(const char *out)
{
    for (int i = 0; i < 3; i++)
        remove(out_path(out, COMPARE_FILES[i]));
}

/* A run of the comparison diverged: where, for the summary and the figure. */
static void note_compare_divergence(Results *r, const char *name, const CnnTrainLog *log)
{
    int i = r->ndiverged++;
    snprintf(r->diverged_name[i], sizeof r->diverged_name[i], "%s", name);
    r->diverged_at[i][0] = log->stop_epoch;
    r->diverged_at[i][1] = log->stop_batch;
    printf("  %-18s divergió: la pérdida se hizo NaN o infinita en la época %d, lote %d; las "
           "demás siguen\n", name, log->stop_epoch, log->stop_batch);
}

/* Where point i of a comparison curve is drawn: the mean of batches i·50 …
 * i·50 + 49 of the run (the last of each epoch maybe fewer), at its middle
 * batch. */
static double curve_x(int i, int batches)
{
    int per_epoch = (batches + CNN_CURVE_EVERY - 1) / CNN_CURVE_EVERY;
    int e = i / per_epoch, j = i % per_epoch;
    int lo = j * CNN_CURVE_EVERY, hi = lo + CNN_CURVE_EVERY < batches ? lo + CNN_CURVE_EVERY
                                                                     : batches;
    return e * batches + (lo + hi) / 2.0;
}

/* The marks of the diverged curves: at the curve's last point; a run that
 * diverged before its first point, at the mean of its batches before the
 * divergence, after the last of them (no mark when it had none). */
static void write_divergence_marks(const char *path, const CnnTrainLog *logs,
                                   char (*names)[48], int n, int batches)
{
    Csv c;
    csv_open(&c, path, "ajuste,curva,lote,perdida");
    for (int k = 0; k < n; k++) {
        const CnnTrainLog *l = &logs[k];
        if (l->stop != CNN_DIVERGED)
            continue;
        if (l->ncurve > 0)
            csv_printf(&c, "%s,%d,%.1f,%.6g\n", names[k], k + 1, curve_x(l->ncurve - 1, batches),
                       (double)l->curve[l->ncurve - 1]);
        else if (isfinite(l->partial_loss))
            csv_printf(&c, "%s,%d,%d,%.6g\n", names[k], k + 1, l->stop_batch - 1,
                       l->partial_loss);
    }
    csv_close(&c);
}

static void section_compare(const Options *o, const Mnist *tr, const Mnist *te,
                            const CnnTrainLog *main_log, double main_accuracy, Results *r)
{
    const char *curves_name = COMPARE_FILES[0], *acc_name = COMPARE_FILES[1];
    if (o->nlr * o->nopt < 2) {
        remove_comparison(o->out);
        return;
    }
    int n = o->nlr * o->nopt;
    printf("\n== Comparación: %d ajustes (optimizador, tasa de aprendizaje), %d épocas cada uno ==\n",
           n, o->epochs);
    CnnTrainLog *logs = xmalloc(sizeof(CnnTrainLog) * (size_t)n);
    double *acc = xmalloc(sizeof(double) * (size_t)n);
    char (*names)[48] = xmalloc(sizeof(*names) * (size_t)n);
    int k = 0;
    for (int oi = 0; oi < o->nopt; oi++)
        for (int li = 0; li < o->nlr; li++, k++) {
            snprintf(names[k], sizeof names[k], "%s lr=%g", o->opt[oi], o->lr[li]);
            if (oi == o->main_opt && li == o->main_lr) {
                logs[k] = *main_log; /* the main network's run: not trained twice */
                acc[k] = main_accuracy;
                printf("  %-18s (la red principal, arriba): pérdida final %.4f, exactitud en "
                       "prueba %.2f %%\n", names[k], logs[k].epoch_loss[logs[k].epochs - 1],
                       100 * acc[k]);
                continue;
            }
            char label[64];
            snprintf(label, sizeof label, "%s (%d/%d)", names[k], k + 1, n);
            CnnTrainSettings s = settings_of(o, oi, li, o->seed, label);
            CnnNet net;
            cnn_train_init_net(&net, o->seed); /* the same start for every setting */
            cnn_train_run(&net, tr, &s, &logs[k]);
            if (logs[k].stop == CNN_INTERRUPTED) {
                char what[160];
                snprintf(what, sizeof what, "en la comparación, %s, tras el lote %d de la "
                         "época %d", names[k], logs[k].stop_batch, logs[k].stop_epoch);
                remove_comparison(o->out); /* nothing half */
                stop_interrupted(o, what);
            }
            if (logs[k].stop == CNN_DIVERGED) {
                acc[k] = NAN;
                note_compare_divergence(r, names[k], &logs[k]);
                cnn_free(&net);
                continue;
            }
            acc[k] = cnn_test_accuracy(&net, te, o->plain, o->threads, NULL, "Evaluación");
            printf("  %-18s pérdida por época", names[k]);
            for (int e = 0; e < logs[k].epochs; e++)
                printf(" %.4f", logs[k].epoch_loss[e]);
            printf("; exactitud en prueba %.2f %%\n", 100 * acc[k]);
            cnn_free(&net);
        }
    /* the curves, a column per setting */
    size_t hlen = 32 + sizeof(names[0]) * (size_t)n;
    char *header = xmalloc(hlen);
    snprintf(header, hlen, "lote");
    for (k = 0; k < n; k++) {
        strcat(header, ",");
        strcat(header, names[k]);
    }
    Csv c;
    csv_open(&c, out_path(o->out, curves_name), header);
    int batches = (tr->n + o->batch - 1) / o->batch;
    int points = 0;
    for (k = 0; k < n; k++)
        points = logs[k].ncurve > points ? logs[k].ncurve : points;
    for (int i = 0; i < points; i++) {
        csv_printf(&c, "%.1f", curve_x(i, batches));
        for (k = 0; k < n; k++) {
            if (i < logs[k].ncurve)
                csv_printf(&c, ",%.6g", (double)logs[k].curve[i]);
            else
                csv_printf(&c, ","); /* a run that diverged: nothing after its end */
        }
        csv_printf(&c, "\n");
    }
    csv_close(&c);
    csv_open(&c, out_path(o->out, acc_name), "optimizador,lr,exactitud,perdida_ultima_epoca");
    k = 0;
    for (int oi = 0; oi < o->nopt; oi++)
        for (int li = 0; li < o->nlr; li++, k++) {
            if (logs[k].stop == CNN_DIVERGED)
                csv_printf(&c, "%s,%.9g,,\n", o->opt[oi], o->lr[li]);
            else
                csv_printf(&c, "%s,%.9g,%.9g,%.9g\n", o->opt[oi], o->lr[li], acc[k],
                           logs[k].epoch_loss[logs[k].epochs - 1]);
        }
    csv_close(&c);
    write_divergence_marks(out_path(o->out, COMPARE_FILES[2]), logs, names, n, batches);
    if (!getenv("MAKELEVEL")) {   /* run directly; make draws it next */
        if (strcmp(o->out, "out/04-cnn") == 0)
            printf("  figura: make draw-chapter4 (ch4_comparacion_perdidas)\n");
        else
            printf("  figura: gnuplot -e \"datadir='%s'\" plots/ch4_comparacion_perdidas.gp\n",
                   o->out);
    }
    for (k = 0; k < n; k++)
        if (!(k == o->main_opt * o->nlr + o->main_lr))
            cnn_train_log_free(&logs[k]);
    free(header);
    free(names);
    free(acc);
    free(logs);
}

/* ------------------------------------------------------------------------ */
/* Issue 8 item 9: the seed study — the spread, not the best run            */
/* ------------------------------------------------------------------------ */
static void section_seeds(const Options *o, const Mnist *tr, const Mnist *te,
                          const CnnTrainLog *main_log, Results *r)
{
    if (o->nseeds == 0) {
        remove(out_path(o->out, "semillas.csv"));
        return;
    }
    printf("\n== Estudio de semillas: %d redes, mismos ajustes, otra semilla ==\n", o->nseeds);
    Csv c;
    csv_open(&c, out_path(o->out, "semillas.csv"), "semilla,perdida_ultima_epoca,exactitud");
    for (int i = 0; i < o->nseeds; i++) {
        double last_loss;
        if (i == 0) { /* the main network, trained above */
            r->seed_accuracy[0] = r->accuracy;
            last_loss = main_log->epoch_loss[main_log->epochs - 1];
        } else {
            char label[48];
            snprintf(label, sizeof label, "Semilla %llu (%d/%d)",
                     (unsigned long long)o->seeds[i], i + 1, o->nseeds);
            CnnTrainSettings s = settings_of(o, o->main_opt, o->main_lr, o->seeds[i], label);
            CnnNet net;
            cnn_train_init_net(&net, o->seeds[i]);
            CnnTrainLog log;
            cnn_train_run(&net, tr, &s, &log);
            if (log.stop == CNN_INTERRUPTED) {
                char what[160];
                snprintf(what, sizeof what, "en el estudio de semillas, semilla %llu, tras el "
                         "lote %d de la época %d", (unsigned long long)o->seeds[i],
                         log.stop_batch, log.stop_epoch);
                atomic_abort(&c.af); /* nothing half */
                remove(out_path(o->out, "semillas.csv"));
                stop_interrupted(o, what);
            }
            if (log.stop == CNN_DIVERGED) { /* the study goes on; this seed counts apart */
                r->seed_diverged[i][0] = log.stop_epoch;
                r->seed_diverged[i][1] = log.stop_batch;
                r->seed_accuracy[i] = last_loss = NAN;
            } else {
                r->seed_accuracy[i] =
                    cnn_test_accuracy(&net, te, o->plain, o->threads, NULL, "Evaluación");
                last_loss = log.epoch_loss[log.epochs - 1];
            }
            cnn_train_log_free(&log);
            cnn_free(&net);
        }
        if (r->seed_diverged[i][0])
            printf("  semilla %3llu: divergió, la pérdida se hizo NaN o infinita en la época %d, "
                   "lote %d\n", (unsigned long long)o->seeds[i], r->seed_diverged[i][0],
                   r->seed_diverged[i][1]);
        else
            printf("  semilla %3llu: pérdida de la última época %.4f, exactitud en prueba "
                   "%.2f %%%s\n", (unsigned long long)o->seeds[i], last_loss,
                   100 * r->seed_accuracy[i], i == 0 ? "  (la red principal)" : "");
        fflush(stdout);
        if (r->seed_diverged[i][0]) /* empty cells */
            csv_printf(&c, "%llu,,\n", (unsigned long long)o->seeds[i]);
        else
            csv_printf(&c, "%llu,%.9g,%.9g\n", (unsigned long long)o->seeds[i], last_loss,
                       r->seed_accuracy[i]);
    }
    csv_close(&c);
    /* the mean and sd of the seeds that did not diverge */
    double finished[MAX_SEEDS];
    int m = 0;
    for (int i = 0; i < o->nseeds; i++)
        if (!r->seed_diverged[i][0])
            finished[m++] = r->seed_accuracy[i];
    mean_sd(finished, m, &r->seed_mean, &r->seed_sd);
    if (m < o->nseeds)
        printf("  exactitud en prueba: media %.2f %% ± %.2f %% (desviación típica) de las %d "
               "semillas que no divergieron, de %d\n", 100 * r->seed_mean, 100 * r->seed_sd, m,
               o->nseeds);
    else
        printf("  exactitud en prueba: media %.2f %% ± %.2f %% (desviación típica, %d semillas)\n",
               100 * r->seed_mean, 100 * r->seed_sd, o->nseeds);
}

/* ------------------------------------------------------------------------ */
/* Evaluation (002 §5.2): accuracy and speed                                */
/* ------------------------------------------------------------------------ */
static void section_accuracy(const CnnNet *net, const Mnist *te, const Options *o,
                             unsigned char *pred, Results *r)
{
    cnn_test_accuracy(net, te, o->plain, o->threads, pred, "Evaluación");
    confusion_init(&r->cm, 10);
    for (int i = 0; i < te->n; i++)
        confusion_add(&r->cm, te->labels[i], pred[i]);
    r->accuracy = confusion_accuracy(&r->cm);
    r->test_images = te->n;
    printf("\n== Exactitud en prueba: %.2f %% (%ld de %d) ==\n", 100 * r->accuracy,
           (long)lround(r->accuracy * te->n), te->n);
}

/* Predictions through the readable network (--plain) or the fast one, the
 * images shared out among the threads in chunks of CNN_FAST_CHUNK (a
 * workspace that stays in the caches). */
typedef struct {
    int plain;
    CnnActs acts;
    CnnFast fast;
} Predictor;

static void predictor_init(Predictor *p, const CnnNet *net, const Options *o)
{
    memset(p, 0, sizeof *p);
    p->plain = o->plain;
    if (p->plain)
        cnn_acts_init(&p->acts, CNN_FAST_CHUNK);
    else
        cnn_fast_init(&p->fast, net, o->threads, CNN_FAST_CHUNK * o->threads, 0);
}

static void predictor_free(Predictor *p)
{
    if (p->plain)
        cnn_acts_free(&p->acts);
    else
        cnn_fast_free(&p->fast);
}

static void predict(Predictor *p, const CnnNet *net, const Mnist *m, int first, int n,
                    unsigned char *pred)
{
    if (p->plain)
        cnn_predict(net, &p->acts, m, first, n, pred);
    else
        cnn_fast_predict(&p->fast, net, m, first, n, pred);
}

/* Images per second of pure inference (forward only) over the first
 * `images` test images, given to the network `batch` at a time: one round
 * to warm the caches, then rounds for at least a second. */
static double inference_speed(Predictor *p, const CnnNet *net, const Mnist *te, int images,
                              int batch)
{
    unsigned char *pred = xmalloc((size_t)images);
    double start = 0;
    long done = 0;
    for (int round = 0; round < 2 || now_seconds() - start < 1.0; round++) {
        if (round == 1) {
            start = now_seconds();
            done = 0;
        }
        for (int first = 0; first < images; first += batch) {
            int b = images - first < batch ? images - first : batch;
            predict(p, net, te, first, b, pred + first);
            done += b;
        }
    }
    double seconds = now_seconds() - start;
    free(pred);
    return done / seconds;
}

static void section_speed(const CnnNet *net, const Mnist *te, const Options *o, Results *r)
{
    Predictor p;
    predictor_init(&p, net, o);
    Progress pr;
    progress_begin(&pr, "Velocidad de inferencia", 2, speed_work(o, te->n) / 2);
    r->infer_images = o->plain && te->n > PLAIN_TIMED_IMAGES ? PLAIN_TIMED_IMAGES : te->n;
    r->infer_b1000 = inference_speed(&p, net, te, r->infer_images, 1000);
    progress_update(&pr, 1, "lotes de 1000");
    r->infer_b64 = inference_speed(&p, net, te, r->infer_images, 64);
    progress_end(&pr);
    predictor_free(&p);
    printf("  inferencia: %.0f imágenes/s en lotes de 1000, %.0f en lotes de 64\n",
           r->infer_b1000, r->infer_b64);
    if (o->plain)
        printf("  (la red legible, bucles simples, un hilo; medida sobre %d imágenes)\n",
               r->infer_images);
}

/* ------------------------------------------------------------------------ */
/* 002 §5.2: the confusion matrix and the misclassified digits              */
/* ------------------------------------------------------------------------ */
static void section_confusion(const Confusion *cm, const char *out)
{
    printf("\n== 002 §5.2: matriz de confusión ==\n");
    ClassReport rep;
    confusion_report(cm, &rep);
    confusion_print(cm, NULL);
    report_print(&rep, NULL);
    ConfusionPair top[5];
    int ntop = confusion_top(cm, top, 5);
    confusion_top_print(top, ntop, NULL);
    confusion_write_csv(cm, out_path(out, "confusion.csv"));
    report_write_csv(&rep, out_path(out, "metricas.csv"));
}

/* Every test prediction, and the log-probabilities of the first 20 test
 * images (the readable network's): what another implementation loading
 * model.safetensors (PyTorch, bench/torch_load_ch4.py) must reproduce. */
static void write_predictions(const CnnNet *net, const Mnist *te, const unsigned char *pred,
                              const char *out)
{
    Csv c;
    csv_open(&c, out_path(out, "predicciones.csv"), "index,truth,predicted");
    for (int i = 0; i < te->n; i++)
        csv_row(&c, 3, (double[]){i, te->labels[i], pred[i]});
    csv_close(&c);
    int n = te->n < 20 ? te->n : 20;
    CnnActs a;
    cnn_acts_init(&a, n);
    mnist_gather(te, NULL, n, a.x, NULL);
    cnn_forward(net, &a, n, NULL);
    csv_open(&c, out_path(out, "salidas_muestra.csv"),
             "index,logp0,logp1,logp2,logp3,logp4,logp5,logp6,logp7,logp8,logp9");
    for (int i = 0; i < n; i++) {
        double row[11] = {i};
        for (int k = 0; k < 10; k++)
            row[k + 1] = a.logp[i * 10 + k];
        csv_row(&c, 11, row);
    }
    csv_close(&c);
    printf("  (salidas_muestra.csv: el log-softmax de las 20 primeras imágenes)\n");
    cnn_acts_free(&a);
}

/* Misclassified test digits, up to 40, captioned "true → predicted". */
static void section_misclassified(const Mnist *te, const unsigned char *pred, const char *out)
{
    enum { MAX = 40 };
    int idx[MAX], n = 0, total = 0;
    for (int i = 0; i < te->n; i++)
        if (pred[i] != te->labels[i]) {
            if (n < MAX)
                idx[n++] = i;
            total++;
        }
    printf("\n== 002 §5.2: dígitos mal clasificados: %d de %d ==\n", total, te->n);
    ImageGrid g;
    grid_init(&g, n, 10, 28, 28, 2, 7);
    Csv c;
    csv_open(&c, out_path(out, "mal_clasificados_etiquetas.csv"), "x,y,truth,predicted,index");
    for (int k = 0; k < n; k++) {
        real img[784];
        mnist_gather(te, &idx[k], 1, img, NULL);
        grid_put(&g, k, img, 1);
        double x, y;
        grid_caption_xy(&g, k, &x, &y);
        csv_row(&c, 5, (double[]){x, y, te->labels[idx[k]], pred[idx[k]], idx[k]});
        if (k < 10)
            printf("  imagen %5d: real %d, predicho %d\n", idx[k], te->labels[idx[k]], pred[idx[k]]);
    }
    csv_close(&c);
    grid_write(&g, out_path(out, "mal_clasificados.csv"));
}

/* ------------------------------------------------------------------------ */
/* "settings": what the run was asked. */
static void write_settings(Json *j, const Options *o, const Results *r)
{
    json_begin_object(j, "settings");
    json_int(j, "batch", o->batch);
    json_num(j, "lr", o->lr[o->main_lr]);
    json_str(j, "optimizer", o->opt[o->main_opt]);
    json_num(j, "dropout", o->dropout);
    json_int(j, "augment_shift", o->shift);
    json_num(j, "lr_decay", o->lr_decay);
    json_int(j, "seed", (long long)o->seed);
    json_str(j, "init", "pytorch-default U(-1/sqrt(fan_in), 1/sqrt(fan_in))");
    json_int(j, "train_images", r->train_images);
    json_int(j, "threads", o->threads);
    json_bool(j, "plain", o->plain);
    json_str(j, "network", o->plain ? "cnn.c (readable, plain loops)" : "cnn_fast.c");
    json_str(j, "real", REAL_NAME);
    json_bool(j, "bench", o->bench);
    if (o->load)
        json_str(j, "loaded", o->load);
    json_end_object(j);
}

static void write_summary(const Options *o, const Results *r)
{
    Json j;
    json_open(&j, out_path(o->out, "summary.json"));
    json_str(&j, "chapter", "04-cnn");
    json_num(&j, "test_accuracy", r->accuracy);
    json_int(&j, "test_images", r->test_images);
    json_int(&j, "test_errors", r->test_images - lround(r->accuracy * r->test_images));
    json_int(&j, "epochs", r->epochs);
    json_num_array(&j, "epoch_loss", r->epochs, r->epoch_loss);
    json_num_array(&j, "notes_epoch_loss", 5, NOTES_LOSS);
    json_num(&j, "train_seconds", r->train_seconds);
    if (r->epochs > 0) {
        json_num(&j, "seconds_per_epoch", r->train_seconds / r->epochs);
        json_num(&j, "train_images_per_second",
                 (double)r->train_images * r->epochs / r->train_seconds);
    } else {
        json_null(&j, "seconds_per_epoch");
        json_null(&j, "train_images_per_second");
    }
    json_num(&j, "inference_images_per_second", r->infer_b1000);
    json_num(&j, "inference_images_per_second_b64", r->infer_b64);
    json_int(&j, "inference_images_timed", r->infer_images);
    json_int(&j, "parameters", r->parameters);
    write_settings(&j, o, r);
    json_str(&j, "model_file", r->model_path);
    if (o->nlr * o->nopt > 1) {
        json_num_array(&j, "compared_lr", o->nlr, o->lr);
        json_begin_array(&j, "compared_optimizers");
        for (int i = 0; i < o->nopt; i++)
            json_str(&j, NULL, o->opt[i]);
        json_end_array(&j);
        json_begin_array(&j, "compared_diverged"); /* the settings that diverged, and where */
        for (int i = 0; i < r->ndiverged; i++) {
            json_begin_object(&j, NULL);
            json_str(&j, "setting", r->diverged_name[i]);
            json_int(&j, "epoch", r->diverged_at[i][0]);
            json_int(&j, "batch", r->diverged_at[i][1]);
            json_end_object(&j);
        }
        json_end_array(&j);
    }
    if (o->nseeds > 0) {
        double seeds[MAX_SEEDS];
        for (int i = 0; i < o->nseeds; i++)
            seeds[i] = (double)o->seeds[i];
        json_num_array(&j, "seeds", o->nseeds, seeds);
        json_num_array(&j, "seeds_test_accuracy", o->nseeds, r->seed_accuracy);
        json_num(&j, "seeds_test_accuracy_mean", r->seed_mean);
        json_num(&j, "seeds_test_accuracy_sd", r->seed_sd);
        json_begin_array(&j, "seeds_diverged"); /* their accuracy null above, not in the mean */
        for (int i = 0; i < o->nseeds; i++)
            if (r->seed_diverged[i][0]) {
                json_begin_object(&j, NULL);
                json_int(&j, "seed", (long long)o->seeds[i]);
                json_int(&j, "epoch", r->seed_diverged[i][0]);
                json_int(&j, "batch", r->seed_diverged[i][1]);
                json_end_object(&j);
            }
        json_end_array(&j);
    }
    compare_write_summary(&j); /* "comparacion_mlp_cnn" (compare.c) */
    json_files(&j);
    json_close(&j);
}

/* The main run diverged (issue 11 item 4): what it was asked, where it
 * diverged, the epochs it finished — and no accuracy, no model. */
static void write_summary_diverged(const Options *o, const Results *r,
                                   const CnnTrainLog *log)
{
    Json j;
    json_open(&j, out_path(o->out, "summary.json"));
    json_str(&j, "chapter", "04-cnn");
    json_begin_object(&j, "diverged");
    json_int(&j, "epoch", log->stop_epoch);
    json_int(&j, "batch", log->stop_batch);
    json_num(&j, "lr", log->stop_lr);
    json_str(&j, "opt", o->opt[o->main_opt]);
    json_end_object(&j);
    json_int(&j, "epochs", r->epochs);
    json_num_array(&j, "epoch_loss", r->epochs, r->epoch_loss);
    json_num(&j, "train_seconds", r->train_seconds);
    json_int(&j, "parameters", r->parameters);
    write_settings(&j, o, r);
    json_files(&j);
    json_close(&j);
}

/* ------------------------------------------------------------------------ */
int main(int argc, char **argv)
{
    set_progname(argv[0]);
    interrupt_install(); /* Ctrl-C: the batch finishes, the checkpoint is written */
    Options o = parse_options(argc, argv);
    out_prepare_dir(o.out); /* a bad --out fails now, not after training */
    snprintf(o.checkpoint, sizeof o.checkpoint, "%s", out_path(o.out, "checkpoint.safetensors"));
    choose_cores(&o);

    printf("== 4. Redes neuronales convolucionales (apuntes §4) ==\n");
    Mnist train = {0}, test;
    if (!o.load)
        load_split(o.data, "train", o.train_limit, &train);
    load_split(o.data, "t10k", o.test_limit, &test);
    printf("  MNIST: %d imágenes de entrenamiento, %d de prueba, 28 x 28 (%s)\n", train.n,
           test.n, o.data);
    Results r = {.train_images = train.n};
    plan_progress(&o, train.n, test.n);

    /* §4.1 How a convolutional layer works: the worked examples */
    if (!o.bench && !o.load) {
        example_fig4_edge_filter(o.out);
        example_conv1d(o.out);
        example_sobel(o.out, &test, 0);
        example_pooling(o.out);
    }

    /* §4.2 From convolution to classification: the stops and the size */
    r.parameters = section_shapes();
    CnnNet net;
    section_init(&net, &o, r.parameters);

    /* §4.3 Training (or a model trained before) */
    CnnTrainLog log = {0};
    if (o.load) {
        section_load(&net, &o, &r);
        write_conv1_frames(&log, o.out); /* none: an earlier run's removed */
    } else {
        section_train(&net, &train, &o, &r, &log);
    }

    /* How good, and how fast */
    unsigned char *pred = xmalloc((size_t)test.n);
    section_accuracy(&net, &test, &o, pred, &r);
    stop_if_interrupted(&o, "tras medir la exactitud");

    /* LR=…, OPT=… (one figure), SEEDS=… (mean ± sd): the other runs */
    if (!o.load) {
        section_compare(&o, &train, &test, &log, r.accuracy, &r);
        section_seeds(&o, &train, &test, &log, &r);
    }
    cnn_train_log_free(&log);
    section_speed(&net, &test, &o, &r);
    stop_if_interrupted(&o, "tras medir la velocidad");

    /* What it learned (002 §3.3.1, §4) and where it fails (§5.2) */
    if (!o.bench) {
        explain_filters(&net, o.out);
        explain_feature_maps(&net, &test, 0, o.out);
        explain_kernel_map(&net, &test, 0, 2, o.out); /* 002 Fig 4.1's "kernel K2" */
        explain_saliency_gradcam(&net, &test, pred, o.out, explain_work(&o) / 10);
        stop_if_interrupted(&o, "tras los mapas de saliencia y Grad-CAM");
        section_confusion(&r.cm, o.out);
        write_predictions(&net, &test, pred, o.out);
        section_misclassified(&test, pred, o.out);
        /* thesis 002 §5 and chapter 4's exercise 2: chapter 3's MLP against this
         * CNN on the same test images (ROC, AUC, McNemar), and both on shifted
         * digits (notes §4) */
        compare_models(&net, &test, o.mlp_dir, o.out, o.threads);
    }

    stop_if_interrupted(&o, "antes de escribir summary.json");
    write_summary(&o, &r);
    free(pred);
    cnn_free(&net);
    mnist_free(&train);
    mnist_free(&test);
    return 0;
}
