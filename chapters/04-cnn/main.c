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
 *           beside ours
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
#include "cli.h"
#include "conv.h"
#include "examples.h"
#include "explain.h"
#include "gemm.h"
#include "json.h"
#include "metrics.h"
#include "mnist.h"
#include "optim.h"
#include "out.h"
#include "parallel.h"
#include "plotdata.h"
#include "progress.h"
#include "util.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double NOTES_LOSS[5] = {0.2344, 0.0833, 0.0632, 0.0524, 0.0458};

#define MAX_EPOCHS 1000
#define MAX_THREADS 256
/* --plain times inference on this many test images (the readable network
 * takes a few milliseconds per image). */
#define PLAIN_TIMED_IMAGES 500

typedef struct {
    int epochs, batch;
    double lr, dropout;
    uint64_t seed;
    const char *out, *data, *load;
    int bench, train_limit, test_limit;
    int threads;  /* 0 until set: the default is par_default_threads() */
    int plain;
} Options;

/* What the run found: summary.json is written from this alone. */
typedef struct {
    long parameters;
    int epochs;                        /* epochs trained (0 with --load) */
    double epoch_loss[MAX_EPOCHS];
    double train_seconds;
    int train_images, test_images;
    double accuracy;
    Confusion cm;
    double infer_b1000, infer_b64;     /* images per second */
    int infer_images;                  /* test images in each timed round */
    char model_path[4096];
} Results;

/* ------------------------------------------------------------------------ */
static void usage(void)
{
    printf("Usage: %s [options]\n"
           "Chapter 4 (notes §4): a convolutional network on MNIST.\n\n"
           "  --epochs N        epochs of training (default 5, as the notes)\n"
           "  --batch N         images per batch (default 64)\n"
           "  --lr X            Adam's learning rate (default 0.001, PyTorch's default)\n"
           "  --dropout P       dropout on fc1's 128 outputs while training, 0 <= P < 1 (default 0)\n"
           "  --seed N          random seed: initial weights, order of the images (default 2)\n"
           "  --threads N       threads sharing each batch, 1..%d (default %d: OMP_NUM_THREADS\n"
           "                    when it is set, otherwise every core)\n"
           "  --plain           train and evaluate with the readable network of cnn.c, its plain\n"
           "                    loops and one thread, to step through it in a debugger. Slow:\n"
           "                    about 6 minutes per epoch of 60000 images here (165 images/s,\n"
           "                    against some 11000 by default); try --train-limit 1000\n"
           "  --out DIR         where CSVs, model and summary.json go (default out/04-cnn)\n"
           "  --data DIR        folder with the MNIST files (default datasets/mnist)\n"
           "  --load FILE       evaluate a saved model (safetensors) instead of training\n"
           "  --bench           train, evaluate and time inference only (no examples, no studies)\n"
           "  --train-limit N   train on the first N training images only\n"
           "  --test-limit N    evaluate on the first N test images only\n"
           "  --help            this text\n",
           progname(), MAX_THREADS, par_default_threads());
}

static Options parse_options(int argc, char **argv)
{
    Options o = {.epochs = 5, .batch = 64, .lr = 0.001, .dropout = 0, .seed = 2,
                 .out = "out/04-cnn", .data = "datasets/mnist"};
    enum { O_EPOCHS = 1, O_BATCH, O_LR, O_DROPOUT, O_SEED, O_OUT, O_DATA, O_LOAD, O_BENCH,
           O_TRAIN_LIMIT, O_TEST_LIMIT, O_THREADS, O_PLAIN, O_HELP };
    static const struct option opts[] = {
        {"epochs", required_argument, 0, O_EPOCHS}, {"batch", required_argument, 0, O_BATCH},
        {"lr", required_argument, 0, O_LR},         {"dropout", required_argument, 0, O_DROPOUT},
        {"seed", required_argument, 0, O_SEED},     {"out", required_argument, 0, O_OUT},
        {"data", required_argument, 0, O_DATA},     {"load", required_argument, 0, O_LOAD},
        {"bench", no_argument, 0, O_BENCH},
        {"train-limit", required_argument, 0, O_TRAIN_LIMIT},
        {"test-limit", required_argument, 0, O_TEST_LIMIT},
        {"threads", required_argument, 0, O_THREADS},
        {"plain", no_argument, 0, O_PLAIN},
        {"help", no_argument, 0, O_HELP},           {0, 0, 0, 0}};
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case O_EPOCHS: o.epochs = parse_positive_int("--epochs", optarg); break;
        case O_BATCH: o.batch = parse_positive_int("--batch", optarg); break;
        case O_LR: o.lr = parse_positive_double("--lr", optarg); break;
        case O_DROPOUT: o.dropout = parse_fraction("--dropout", optarg); break;
        case O_SEED: o.seed = parse_seed("--seed", optarg); break;
        case O_OUT: o.out = optarg; break;
        case O_DATA: o.data = optarg; break;
        case O_LOAD: o.load = optarg; break;
        case O_BENCH: o.bench = 1; break;
        case O_TRAIN_LIMIT: o.train_limit = parse_positive_int("--train-limit", optarg); break;
        case O_TEST_LIMIT: o.test_limit = parse_positive_int("--test-limit", optarg); break;
        case O_THREADS: o.threads = parse_positive_int("--threads", optarg); break;
        case O_PLAIN: o.plain = 1; break;
        case O_HELP: usage(); exit(0);
        default: cli_unknown_option(argv[optind - 1]);
        }
    }
    if (optind < argc)
        usage_error("unexpected argument '%s'", argv[optind]);
    if (o.batch > 4096)
        usage_error("--batch: %d is more than 4096 images", o.batch);
    if (o.epochs > MAX_EPOCHS)
        usage_error("--epochs: at most %d", MAX_EPOCHS);
    if (o.threads > MAX_THREADS)
        usage_error("--threads: at most %d, got %d", MAX_THREADS, o.threads);
    if (o.plain && o.threads > 1)
        usage_error("--plain runs on one thread: leave out --threads %d", o.threads);
    return o;
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
    Rng rng;
    rng_seed(&rng, o->seed);
    cnn_init(net, &rng);
    if ((long)net->p.n != parameters)
        die("internal: the network holds %zu parameters, the table says %ld", net->p.n,
            parameters);
    printf("  inicialización: la de PyTorch, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), semilla %llu\n",
           (unsigned long long)o->seed);
}

/* ------------------------------------------------------------------------ */
/* §4.3 Training                                                            */
/* ------------------------------------------------------------------------ */
/* One batch of the training loop, through the readable network (--plain) or
 * the fast one. */
typedef struct {
    int plain;
    CnnActs acts;            /* --plain */
    unsigned char *labels;
    CnnFast fast;            /* otherwise */
} Trainer;

static void trainer_init(Trainer *t, const CnnNet *net, const Options *o)
{
    memset(t, 0, sizeof *t);
    t->plain = o->plain;
    if (t->plain) {
        cnn_acts_init(&t->acts, o->batch);
        t->labels = xmalloc((size_t)o->batch);
    } else {
        cnn_fast_init(&t->fast, net, o->threads, o->batch, 1);
    }
}

static void trainer_free(Trainer *t)
{
    if (t->plain) {
        cnn_acts_free(&t->acts);
        free(t->labels);
    } else {
        cnn_fast_free(&t->fast);
    }
}

static double train_batch(Trainer *t, CnnNet *net, const Mnist *tr, const int *idx, int B,
                          const real *mask, Optimizer *opt)
{
    if (!t->plain)
        return cnn_fast_step(&t->fast, net, tr, idx, B, mask, opt);
    mnist_gather(tr, idx, B, t->acts.x, t->labels); /* for images, labels in trainloader */
    return cnn_train_step(net, &t->acts, B, t->labels, mask, opt);
}

static void section_train(CnnNet *net, const Mnist *tr, const Options *o, Results *r)
{
    printf("\n== 4.3 Entrenamiento: %d épocas, lotes de %d, Adam lr %g%s ==\n", o->epochs,
           o->batch, o->lr, o->dropout > 0 ? ", dropout" : "");
    if (o->dropout > 0)
        printf("  dropout %.2f sobre las 128 salidas de fc1\n", o->dropout);
    if (o->plain)
        printf("  %d imágenes de entrenamiento; la red legible (cnn.c), bucles simples, un hilo "
               "(--plain)\n", tr->n);
    else if (o->threads == 1)
        printf("  %d imágenes de entrenamiento; cada lote en un hilo\n", tr->n);
    else
        printf("  %d imágenes de entrenamiento; cada lote repartido entre %d hilos\n", tr->n,
               o->threads);
    Rng rng;
    rng_seed(&rng, o->seed ^ 0x5eed5eedULL); /* the shuffles and the dropout masks */
    Trainer t;
    trainer_init(&t, net, o);
    Optimizer opt;
    optim_init(&opt, "adam", o->lr, net->p.n); /* optim.Adam(model.parameters(), lr) */
    int *order = xmalloc(sizeof(int) * (size_t)tr->n);
    for (int i = 0; i < tr->n; i++)
        order[i] = i;
    real *mask = o->dropout > 0 ? xmalloc(sizeof(real) * (size_t)o->batch * 128) : NULL;
    int batches = (tr->n + o->batch - 1) / o->batch;
    double start = now_seconds();
    for (int e = 0; e < o->epochs; e++) {
        rng_shuffle(&rng, order, tr->n); /* DataLoader(shuffle=True) */
        Progress pr;
        char label[32];
        snprintf(label, sizeof label, "Época %d/%d", e + 1, o->epochs);
        progress_begin(&pr, label, batches, o->batch);  /* one unit per training image */
        double running_loss = 0;
        for (int bi = 0; bi < batches; bi++) {
            int first = bi * o->batch;
            int B = tr->n - first < o->batch ? tr->n - first : o->batch;
            if (mask)
                dropout_make_mask(mask, (size_t)B * 128, (real)o->dropout, &rng);
            double loss = train_batch(&t, net, tr, order + first, B, mask, &opt);
            if (!isfinite(loss))
                die("training diverged: loss %g at epoch %d, batch %d (try a smaller --lr)", loss,
                    e + 1, bi + 1);
            running_loss += loss;
            progress_update(&pr, bi + 1, "pérdida %.4f", running_loss / (bi + 1));
        }
        progress_end(&pr);
        /* the notes' running_loss / len(trainloader): the mean of the batch losses */
        r->epoch_loss[e] = running_loss / batches;
        if (e < 5)
            printf("Época %d - Error medio: %.4f      (apuntes: %.4f)\n", e + 1, r->epoch_loss[e],
                   NOTES_LOSS[e]);
        else
            printf("Época %d - Error medio: %.4f\n", e + 1, r->epoch_loss[e]);
        fflush(stdout);
    }
    r->train_seconds = now_seconds() - start;
    r->epochs = o->epochs;
    free(order);
    free(mask);
    optim_free(&opt);
    trainer_free(&t);
    printf("  %.1f s de entrenamiento, %.2f s por época, %.0f imágenes/s\n", r->train_seconds,
           r->train_seconds / r->epochs, (double)tr->n * r->epochs / r->train_seconds);

    Csv c;
    csv_open(&c, out_path(o->out, "perdida_epocas.csv"), "epoch,loss,notes_loss");
    for (int e = 0; e < r->epochs; e++) {
        /* the notes' number where there is one; an empty cell after epoch 5 */
        if (e < 5)
            csv_row(&c, 3, (double[]){e + 1, r->epoch_loss[e], NOTES_LOSS[e]});
        else
            csv_printf(&c, "%d,%.9g,\n", e + 1, r->epoch_loss[e]);
    }
    csv_close(&c);
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
/* Evaluation (002 §5.2): accuracy and speed                                */
/* ------------------------------------------------------------------------ */
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

static void section_accuracy(const CnnNet *net, const Mnist *te, const Options *o,
                             unsigned char *pred, Results *r)
{
    Predictor p;
    predictor_init(&p, net, o);
    predict(&p, net, te, 0, te->n, pred);
    predictor_free(&p);
    confusion_init(&r->cm, 10);
    for (int i = 0; i < te->n; i++)
        confusion_add(&r->cm, te->labels[i], pred[i]);
    r->accuracy = confusion_accuracy(&r->cm);
    r->test_images = te->n;
    printf("\n== Precisión en el test: %.2f %% (%ld de %d) ==\n", 100 * r->accuracy,
           (long)lround(r->accuracy * te->n), te->n);
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
    r->infer_images = o->plain && te->n > PLAIN_TIMED_IMAGES ? PLAIN_TIMED_IMAGES : te->n;
    r->infer_b1000 = inference_speed(&p, net, te, r->infer_images, 1000);
    r->infer_b64 = inference_speed(&p, net, te, r->infer_images, 64);
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
static void write_summary(const Options *o, const Results *r)
{
    Json j;
    json_open(&j, out_path(o->out, "summary.json"));
    json_str(&j, "chapter", "04-cnn");
    json_num(&j, "test_accuracy", r->accuracy);
    json_int(&j, "test_images", r->test_images);
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
    json_begin_object(&j, "settings");
    json_int(&j, "batch", o->batch);
    json_num(&j, "lr", o->lr);
    json_str(&j, "optimizer", "adam");
    json_num(&j, "dropout", o->dropout);
    json_int(&j, "seed", (long long)o->seed);
    json_str(&j, "init", "pytorch-default U(-1/sqrt(fan_in), 1/sqrt(fan_in))");
    json_int(&j, "train_images", r->train_images);
    json_int(&j, "threads", o->threads);
    json_bool(&j, "plain", o->plain);
    json_str(&j, "network", o->plain ? "cnn.c (readable, plain loops)" : "cnn_fast.c");
    json_str(&j, "real", REAL_NAME);
    json_bool(&j, "bench", o->bench);
    if (o->load)
        json_str(&j, "loaded", o->load);
    json_end_object(&j);
    json_str(&j, "model_file", r->model_path);
    json_files(&j);
    json_close(&j);
}

/* ------------------------------------------------------------------------ */
int main(int argc, char **argv)
{
    set_progname(argv[0]);
    Options o = parse_options(argc, argv);
    out_prepare_dir(o.out); /* a bad --out fails now, not after training */
    choose_cores(&o);

    printf("== 4. Redes neuronales convolucionales (apuntes §4) ==\n");
    Mnist train = {0}, test;
    if (!o.load)
        load_split(o.data, "train", o.train_limit, &train);
    load_split(o.data, "t10k", o.test_limit, &test);
    printf("  MNIST: %d imágenes de entrenamiento, %d de test, 28 x 28 (%s)\n", train.n, test.n,
           o.data);
    Results r = {.train_images = train.n};

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
    if (o.load)
        section_load(&net, &o, &r);
    else
        section_train(&net, &train, &o, &r);

    /* How good, and how fast */
    unsigned char *pred = xmalloc((size_t)test.n);
    section_accuracy(&net, &test, &o, pred, &r);
    section_speed(&net, &test, &o, &r);

    /* What it learned (002 §3.3.1, §4) and where it fails (§5.2) */
    if (!o.bench) {
        explain_filters(&net, o.out);
        explain_feature_maps(&net, &test, 0, o.out);
        explain_saliency_gradcam(&net, &test, pred, o.out);
        section_confusion(&r.cm, o.out);
        write_predictions(&net, &test, pred, o.out);
        section_misclassified(&test, pred, o.out);
    }

    write_summary(&o, &r);
    free(pred);
    cnn_free(&net);
    mnist_free(&train);
    mnist_free(&test);
    return 0;
}
