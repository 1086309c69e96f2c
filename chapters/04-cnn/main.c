/* main.c — chapter 4's story, top to bottom in the order of the notes:
 *
 *   §4.1   how a convolutional layer works: the vertical-edge filter of Fig 4,
 *          a 1-D convolution, Sobel on a digit, max and average pooling
 *   §4.2   the stops of the data through the network, and its size
 *   §4.3   training (5 epochs, batches of 64, Adam), the notes' losses beside
 *          ours, the test accuracy, the speed
 *   002 §4 what the network learned: filters, feature maps, saliency,
 *          Grad-CAM; confusion matrix and misclassified digits
 *
 * The layers and the network are in cnn.c; this file reads the data, runs
 * the sections and writes CSVs and summary.json. Figures are drawn from the
 * CSVs by plots/ch4_*.gp (make chapter4). */
#include "cnn.h"
#include "cli.h"
#include "mnist.h"
#include "json.h"
#include "metrics.h"
#include "out.h"
#include "progress.h"
#include "util.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double NOTES_LOSS[5] = {0.2344, 0.0833, 0.0632, 0.0524, 0.0458};

typedef struct {
    int epochs, batch;
    double lr, dropout;
    uint64_t seed;
    const char *out, *data, *load;
    int bench, train_limit, test_limit, threads;
} Options;

static void usage(void)
{
    printf("Usage: %s [options]\n"
           "Chapter 4 (notes §4): a convolutional network on MNIST.\n\n"
           "  --epochs N        epochs of training (default 5, as the notes)\n"
           "  --batch N         images per batch (default 64)\n"
           "  --lr X            Adam's learning rate (default 0.001, PyTorch's default)\n"
           "  --dropout P       dropout on fc1's 128 outputs while training, 0 <= P < 1 (default 0)\n"
           "  --seed N          random seed: initial weights, order of the images (default 2)\n"
           "  --out DIR         where CSVs, model and summary.json go (default out/04-cnn)\n"
           "  --data DIR        folder with the MNIST files (default datasets/mnist)\n"
           "  --load FILE       evaluate a saved model (safetensors) instead of training\n"
           "  --bench           train, evaluate and time inference only (no examples, no studies)\n"
           "  --train-limit N   train on the first N training images only (tests)\n"
           "  --test-limit N    evaluate on the first N test images only (tests)\n"
           "  --threads N       threads sharing each batch (default 2, the cores here)\n"
           "  --help            this text\n",
           progname());
}

static Options parse_args(int argc, char **argv)
{
    Options o = {5, 64, 0.001, 0.0, 2, "out/04-cnn", "datasets/mnist", NULL, 0, 0, 0, 2};
    enum { O_EPOCHS = 1, O_BATCH, O_LR, O_DROPOUT, O_SEED, O_OUT, O_DATA, O_LOAD, O_BENCH,
           O_TRAIN_LIMIT, O_TEST_LIMIT, O_THREADS, O_HELP };
    static const struct option opts[] = {
        {"epochs", required_argument, 0, O_EPOCHS}, {"batch", required_argument, 0, O_BATCH},
        {"lr", required_argument, 0, O_LR},         {"dropout", required_argument, 0, O_DROPOUT},
        {"seed", required_argument, 0, O_SEED},     {"out", required_argument, 0, O_OUT},
        {"data", required_argument, 0, O_DATA},     {"load", required_argument, 0, O_LOAD},
        {"bench", no_argument, 0, O_BENCH},
        {"train-limit", required_argument, 0, O_TRAIN_LIMIT},
        {"test-limit", required_argument, 0, O_TEST_LIMIT},
        {"threads", required_argument, 0, O_THREADS},
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
        case O_HELP: usage(); exit(0);
        default: cli_unknown_option(argv[optind - 1]);
        }
    }
    if (optind < argc)
        usage_error("unexpected argument '%s'", argv[optind]);
    if (o.batch > 4096)
        usage_error("--batch: %d is more than 4096 images", o.batch);
    if (o.threads > CH4_MAX_THREADS)
        usage_error("--threads: at most %d", CH4_MAX_THREADS);
    return o;
}

/* ------------------------------------------------------------------------- */
/* MNIST, kept as bytes (47 MB for the training set instead of 188 MB of     */
/* floats); each batch is divided by 255 as it is loaded (notes §3).          */
/* ------------------------------------------------------------------------- */
typedef Mnist Split;   /* common/mnist.h */

static void load_split(const char *dir, const char *split, int limit, Split *s)
{
    mnist_load(dir, split, s);
    if (s->rows != 28 || s->cols != 28)
        die("%s/%s: images are %dx%d; this network reads 28x28", dir, split, s->rows, s->cols);
    mnist_limit(s, limit);
}

/* ------------------------------------------------------------------------- */
/* Image CSVs: "x,y,v,inside" with x the column and y the row; `inside` is 0  */
/* on the gaps of a mosaic (the plots leave them blank).                      */
/* ------------------------------------------------------------------------- */
typedef struct {
    int w, h;
    double *v;
    unsigned char *inside;
} Mosaic;

static Mosaic mosaic_new(int w, int h)
{
    Mosaic m = {w, h, xcalloc((size_t)w * h, sizeof(double)), xcalloc((size_t)w * h, 1)};
    return m;
}
/* Puts a rows × cols tile (row-major, scaled by `scale`) with its top-left at (x0, y0). */
static void mosaic_put(Mosaic *m, int x0, int y0, const real *tile, int rows, int cols,
                       double scale)
{
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            size_t at = (size_t)(y0 + r) * m->w + x0 + c;
            m->v[at] = tile[r * cols + c] * scale;
            m->inside[at] = 1;
        }
}
static void mosaic_write(Mosaic *m, const char *path)
{
    Csv c;
    csv_open(&c, path, "x,y,v,inside");
    for (int y = 0; y < m->h; y++)
        for (int x = 0; x < m->w; x++) {
            size_t at = (size_t)y * m->w + x;
            csv_row(&c, 4, (double[]){x, y, m->v[at], m->inside[at]});
        }
    csv_close(&c);
    free(m->v);
    free(m->inside);
}
static void write_image(const char *path, const double *img, int rows, int cols)
{
    Mosaic m = mosaic_new(cols, rows);
    for (int i = 0; i < rows * cols; i++) {
        m.v[i] = img[i];
        m.inside[i] = 1;
    }
    mosaic_write(&m, path);
}

/* ------------------------------------------------------------------------- */
/* §4.1 Fig 4: a filter with negatives on the left and positives on the right */
/* ------------------------------------------------------------------------- */
static void section_fig4(const char *out)
{
    printf("\n== 4.1 Funcionamiento de una capa convolucional (Figura 4) ==\n");
    const double filter[9] = {-1, 0, 1, -1, 0, 1, -1, 0, 1};
    const double flat[9] = {255, 255, 255, 255, 255, 255, 255, 255, 255};
    const double edge[9] = {0, 255, 255, 0, 255, 255, 0, 255, 255};
    const double *patches[2] = {flat, edge};
    const char *names[2] = {"zona blanca (255):", "borde (0 | 255 255):"};
    double resp[2];
    for (int p = 0; p < 2; p++) {
        const double *z = patches[p];
        double left = 0 - (z[0] + z[3] + z[6]), right = z[2] + z[5] + z[8]; /* 0 −: no "−0" */
        resp[p] = ch4_fig4_response(z, filter);
        printf("  %-22s columna izquierda %5.0f, central 0, derecha %4.0f → suma %4.0f\n",
               names[p], left, right, resp[p]);
    }
    printf("  (0: no hay borde; 765: contraste fuerte de izquierda a derecha)\n");
    /* patch,row,col,value: 0 = filter, 1 = flat patch, 2 = edge patch */
    Csv c;
    csv_open(&c, out_path(out, "fig4_parches.csv"), "panel,row,col,value");
    const double *panels[3] = {filter, flat, edge};
    for (int p = 0; p < 3; p++)
        for (int i = 0; i < 9; i++)
            csv_row(&c, 4, (double[]){p, i / 3, i % 3, panels[p][i]});
    csv_close(&c);
    csv_open(&c, out_path(out, "fig4_respuestas.csv"), "panel,response");
    csv_row(&c, 2, (double[]){1, resp[0]});
    csv_row(&c, 2, (double[]){2, resp[1]});
    csv_close(&c);
}

/* 002 Fig 3.3: f = [0,0,1,1,0,0] with the edge detector g = [−1,0,1]. */
static void section_conv1d(const char *out)
{
    printf("\n== 002 §3: convolución discreta de f = [0,0,1,1,0,0] con g = [-1,0,1] ==\n");
    const double f[6] = {0, 0, 1, 1, 0, 0}, g[3] = {-1, 0, 1};
    double corr[4], conv[4];
    int n = ch4_conv1d(corr, f, 6, g, 3, 0);
    ch4_conv1d(conv, f, 6, g, 3, 1);
    printf("  correlación (lo que hace Conv2d, filtro sin girar): [%g, %g, %g, %g]\n", corr[0],
           corr[1], corr[2], corr[3]);
    printf("  convolución (filtro girado, [1,0,-1]):              [%g, %g, %g, %g]\n", conv[0],
           conv[1], conv[2], conv[3]);
    printf("  +1 donde f sube (0→1), -1 donde baja (1→0): un detector de bordes\n");
    Csv c;
    csv_open(&c, out_path(out, "conv1d_f.csv"), "i,f");
    for (int i = 0; i < 6; i++)
        csv_row(&c, 2, (double[]){i, f[i]});
    csv_close(&c);
    /* output i covers f[i..i+2]; it is drawn at the window's centre i + 1 */
    csv_open(&c, out_path(out, "conv1d_salida.csv"), "i,correlation,convolution");
    for (int i = 0; i < n; i++)
        csv_row(&c, 3, (double[]){i + 1, corr[i], conv[i]});
    csv_close(&c);
    csv_open(&c, out_path(out, "conv1d_g.csv"), "i,g");
    for (int i = 0; i < 3; i++)
        csv_row(&c, 2, (double[]){i - 1, g[i]});
    csv_close(&c);
}

/* 002 Fig 3.4: Sobel along x and along y on a digit. */
static void section_sobel(const char *out, const unsigned char *digit, int label)
{
    printf("\n== 002 §3: filtros de Sobel sobre un dígito (un %d del test) ==\n", label);
    double img[784], gx[784], gy[784];
    for (int i = 0; i < 784; i++)
        img[i] = digit[i] / 255.0;
    ch4_filter3x3(gx, img, 28, 28, CH4_SOBEL_X);
    ch4_filter3x3(gy, img, 28, 28, CH4_SOBEL_Y);
    double sx = 0, sy = 0;
    for (int i = 0; i < 784; i++) {
        sx += fabs(gx[i]);
        sy += fabs(gy[i]);
    }
    printf("  Gx = [-1 0 1; -2 0 2; -1 0 1] deriva a lo largo de x: marca los bordes VERTICALES\n");
    printf("  Gy = su traspuesta, deriva a lo largo de y: marca los bordes HORIZONTALES\n");
    printf("  (002 §4.1 lo dice al revés: errata). Σ|Gx| = %.1f, Σ|Gy| = %.1f\n", sx, sy);
    write_image(out_path(out, "sobel_digito.csv"), img, 28, 28);
    write_image(out_path(out, "sobel_gx.csv"), gx, 28, 28);
    write_image(out_path(out, "sobel_gy.csv"), gy, 28, 28);
}

/* 002 Figs 3.7–3.9: max pooling 2×2; average pooling, stride 1 and 2, padding 1. */
static void pool_panel(const char *out, const char *name, const real *x, int n, int k, int s,
                       int p, int is_max)
{
    PoolGeom g = pool_geom(1, n, n, k, s, p);
    real y[64];
    int arg[64];
    if (is_max)
        maxpool_forward(y, arg, x, &g);
    else
        avgpool_forward(y, x, &g);
    printf("  %-24s k=%d s=%d p=%d: floor((%d + 2·%d − %d)/%d) + 1 = %d →", name, k, s, p, n, p,
           k, s, g.ho);
    Csv c;
    char file[64];
    snprintf(file, sizeof file, "pool_%s.csv", name);
    csv_open(&c, out_path(out, file), "row,col,value");
    for (int i = 0; i < g.ho; i++)
        for (int j = 0; j < g.wo; j++) {
            csv_row(&c, 3, (double[]){i, j, y[i * g.wo + j]});
            printf(" %g", (double)y[i * g.wo + j]);
        }
    csv_close(&c);
    printf("\n");
}

static void section_pooling(const char *out)
{
    printf("\n== 002 §3: pooling (tamaño de salida = floor((n + 2p − k)/s) + 1) ==\n");
    const real x[16] = {1, 3, 2, 4, 5, 6, 1, 2, 7, 2, 9, 0, 1, 8, 3, 4};
    Csv c;
    csv_open(&c, out_path(out, "pool_entrada.csv"), "row,col,value");
    for (int i = 0; i < 16; i++)
        csv_row(&c, 3, (double[]){i / 4, i % 4, x[i]});
    csv_close(&c);
    pool_panel(out, "max", x, 4, 2, 2, 0, 1);
    pool_panel(out, "media_s1", x, 4, 2, 1, 0, 0);
    pool_panel(out, "media_s2", x, 4, 2, 2, 0, 0);
    pool_panel(out, "media_p1", x, 4, 3, 1, 1, 0);
    printf("  (media con padding: los ceros del borde cuentan en el promedio, como en PyTorch)\n");
}

/* ------------------------------------------------------------------------- */
/* §4.2 The stops of the data, and the size of the network                    */
/* ------------------------------------------------------------------------- */
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

/* ------------------------------------------------------------------------- */
/* §4.3 Training                                                              */
/* ------------------------------------------------------------------------- */
static double train(Ch4Net *net, const Split *tr, const Options *o, double *epoch_loss)
{
    printf("\n== 4.3 Entrenamiento: %d épocas, lotes de %d, Adam lr %g%s ==\n", o->epochs,
           o->batch, o->lr, o->dropout > 0 ? ", dropout" : "");
    if (o->dropout > 0)
        printf("  dropout %.2f sobre las 128 salidas de fc1\n", o->dropout);
    printf("  %d imágenes de entrenamiento; cada lote repartido entre %d hilos\n", tr->n,
           o->threads);
    Rng rng;
    rng_seed(&rng, o->seed ^ 0x5eed5eedULL); /* the shuffles and the dropout masks */
    Ch4Team team;
    ch4_team_init(&team, net, o->threads, o->batch, 1);
    Adam adam;
    adam_init(&adam, net->p.n, o->lr);
    int *order = xmalloc(sizeof(int) * (size_t)tr->n);
    for (int i = 0; i < tr->n; i++)
        order[i] = i;
    unsigned char *labels = xmalloc((size_t)o->batch);
    real *mask = o->dropout > 0 ? xmalloc(sizeof(real) * (size_t)o->batch * 128) : NULL;
    int batches = (tr->n + o->batch - 1) / o->batch;
    double start = now_seconds();
    for (int e = 0; e < o->epochs; e++) {
        rng_shuffle(&rng, order, tr->n);
        Progress pr;
        progress_begin(&pr, "Época", e + 1, o->epochs, batches, o->batch);
        double sum = 0;
        for (int bi = 0; bi < batches; bi++) {
            int first = bi * o->batch;
            int B = tr->n - first < o->batch ? tr->n - first : o->batch;
            for (int b = 0; b < B; b++)
                labels[b] = tr->labels[order[first + b]];
            if (mask)
                dropout_make_mask(mask, (size_t)B * 128, (real)o->dropout, &rng);
            /* forward, backward and Adam's step, all on the team's threads */
            double loss = ch4_team_step_adam(&team, net, tr->pixels, order + first, labels, B,
                                             mask, &adam);
            if (!isfinite(loss))
                die("training diverged: loss %g at epoch %d, batch %d (try a smaller --lr)", loss,
                    e + 1, bi + 1);
            sum += loss;
            progress_update(&pr, bi + 1, sum / (bi + 1));
        }
        progress_end(&pr);
        /* the notes' running_loss / len(train_loader): the mean of the batch losses */
        epoch_loss[e] = sum / batches;
        if (e < 5)
            printf("Época %d - Error medio: %.4f      (apuntes: %.4f)\n", e + 1, epoch_loss[e],
                   NOTES_LOSS[e]);
        else
            printf("Época %d - Error medio: %.4f\n", e + 1, epoch_loss[e]);
        fflush(stdout);
    }
    double seconds = now_seconds() - start;
    free(order);
    free(labels);
    free(mask);
    adam_free(&adam);
    ch4_team_free(&team);
    return seconds;
}

/* Images per thread and forward pass when predicting. Measured here (model
 * loaded, 2 threads): chunks of 32 gave 31 000 images/s with 36 MB of peak
 * memory, chunks of 250 gave 25 000 with 184 MB: a workspace that stays in
 * the caches beats bigger matrix products. */
#ifndef CHUNK
#define CHUNK 32
#endif

/* Test accuracy; fills pred (n) and the confusion matrix. */
static double evaluate(Ch4Net *net, const Split *te, int threads, unsigned char *pred,
                       Confusion *cm)
{
    Ch4Team team;
    ch4_team_init(&team, net, threads, CHUNK * threads, 0);
    ch4_team_predict(&team, te->pixels, te->n, pred);
    ch4_team_free(&team);
    confusion_init(cm, 10);
    for (int i = 0; i < te->n; i++)
        confusion_add(cm, te->labels[i], pred[i]);
    return confusion_accuracy(cm);
}

/* Images per second of pure inference (forward only) over the test images,
 * given to the network `batch` at a time; each batch is shared out among the
 * threads, and a thread's share larger than CHUNK images goes through its
 * workspace in chunks of CHUNK, to keep the memory small. */
static double inference_speed(Ch4Net *net, const Split *te, int batch, int threads)
{
    Ch4Team team;
    int share = (batch + threads - 1) / threads;
    ch4_team_init(&team, net, threads, (share < CHUNK ? share : CHUNK) * threads, 0);
    unsigned char *pred = xmalloc((size_t)te->n);
    double start = 0;
    long images = 0;
    for (int round = 0; round < 2 || now_seconds() - start < 1.0; round++) {
        if (round == 1) { /* round 0 warms up the caches */
            start = now_seconds();
            images = 0;
        }
        for (int first = 0; first < te->n; first += batch) {
            int b = te->n - first < batch ? te->n - first : batch;
            ch4_team_predict(&team, te->pixels + (size_t)first * 784, b, pred + first);
            images += b;
        }
    }
    double s = now_seconds() - start;
    free(pred);
    ch4_team_free(&team);
    return images / s;
}

/* ------------------------------------------------------------------------- */
/* 002 §3.3.1, §4: what the network learned                                   */
/* ------------------------------------------------------------------------- */
static void write_filters(const Ch4Net *net, const char *out)
{
    Csv c;
    csv_open(&c, out_path(out, "filtros_conv1.csv"), "filter,row,col,weight");
    for (int f = 0; f < 32; f++)
        for (int i = 0; i < 9; i++)
            csv_row(&c, 4, (double[]){f, i / 3, i % 3, net->conv1_w[f * 9 + i]});
    csv_close(&c);
}

/* Tiles `count` maps of side s from a (count, 1, s, s) CBHW block into a
 * grid `per_row` wide, each map scaled by its own maximum (so faint maps
 * still show their shape). */
static void write_maps(const char *path, const real *maps, int count, int s, int per_row)
{
    int rows = (count + per_row - 1) / per_row, gap = 1;
    Mosaic m = mosaic_new(per_row * (s + gap) - gap, rows * (s + gap) - gap);
    for (int k = 0; k < count; k++) {
        const real *map = maps + (size_t)k * s * s;
        double mx = 0;
        for (int i = 0; i < s * s; i++)
            mx = map[i] > mx ? map[i] : mx;
        mosaic_put(&m, (k % per_row) * (s + gap), (k / per_row) * (s + gap), map, s, s,
                   mx > 0 ? 1 / mx : 0);
    }
    mosaic_write(&m, path);
}

static void section_feature_maps(Ch4Net *net, const Split *te, int index, const char *out)
{
    printf("\n== 002 §3.3.1, §4.1: mapas de características de un dígito (un %d) ==\n",
           te->labels[index]);
    Ch4Work w;
    ch4_work_init(&w, 1, 0);
    w.full_maps = 1; /* all 11 x 11 of conv2, not only what pool2 reads */
    ch4_load_batch(&w, te->pixels, &index, 1);
    ch4_forward(net, &w, 1, NULL);
    printf("  conv1+ReLU 32 x 26 x 26, pool1 32 x 13 x 13, conv2+ReLU 64 x 11 x 11, pool2 64 x 5 x 5\n");
    /* the forward pass keeps conv1 and conv2 before bias and ReLU (it adds
     * them after pooling, cnn.c); here the maps get them as PyTorch's order does */
    for (int k = 0; k < 32 * 26 * 26; k++) {
        real a = w.y1[k] + net->conv1_b[k / (26 * 26)];
        w.y1[k] = a > 0 ? a : 0;
    }
    for (int k = 0; k < 64 * 11 * 11; k++) {
        real a = w.y2[k] + net->conv2_b[k / (11 * 11)];
        w.y2[k] = a > 0 ? a : 0;
    }
    write_maps(out_path(out, "mapas_conv1.csv"), w.y1, 32, 26, 8);
    write_maps(out_path(out, "mapas_pool1.csv"), w.p1, 32, 13, 8);
    write_maps(out_path(out, "mapas_conv2.csv"), w.y2, 64, 11, 8);
    write_maps(out_path(out, "mapas_pool2.csv"), w.p2, 64, 5, 8);
    write_maps(out_path(out, "mapas_entrada.csv"), w.x, 1, 28, 1);
    ch4_work_free(&w);
}

/* Saliency and Grad-CAM for the first correctly classified test digit of each
 * class: one CSV with the ten digits side by side (gaps of 2 pixels). */
static void section_saliency(Ch4Net *net, const Split *te, const unsigned char *pred,
                             const char *out)
{
    printf("\n== 002 §4.2: mapas de saliencia |dS_c/dI| y Grad-CAM ==\n");
    Ch4Work w;
    ch4_work_init(&w, 1, 1);
    const int step = 30;
    Mosaic dig = mosaic_new(10 * step - 2, 28), sal = mosaic_new(10 * step - 2, 28),
           cam = mosaic_new(10 * step - 2, 28);
    Csv c;
    csv_open(&c, out_path(out, "saliencia_clases.csv"), "class,index,x_center,probability");
    for (int cls = 0; cls < 10; cls++) {
        int idx = -1;
        for (int i = 0; i < te->n && idx < 0; i++)
            if (te->labels[i] == cls && pred[i] == cls)
                idx = i;
        if (idx < 0)
            continue;
        real s[784], c11[121], c28[784], logp[10];
        ch4_load_batch(&w, te->pixels, &idx, 1);
        ch4_saliency(net, &w, cls, s, NULL);
        ch4_log_softmax(logp, w.logits, 10);
        ch4_gradcam(net, &w, cls, c11, c28);
        double smax = 0, cmax = 0;
        for (int i = 0; i < 784; i++) {
            smax = s[i] > smax ? s[i] : smax;
            cmax = c28[i] > cmax ? c28[i] : cmax;
        }
        mosaic_put(&dig, cls * step, 0, w.x, 28, 28, 1);
        mosaic_put(&sal, cls * step, 0, s, 28, 28, smax > 0 ? 1 / smax : 0);
        mosaic_put(&cam, cls * step, 0, c28, 28, 28, cmax > 0 ? 1 / cmax : 0);
        csv_row(&c, 4, (double[]){cls, idx, cls * step + 13.5, exp(logp[cls])});
        printf("  clase %d: imagen %5d del test, P = %.4f\n", cls, idx, exp(logp[cls]));
    }
    csv_close(&c);
    printf("  (cada mapa escalado a su máximo)\n");
    mosaic_write(&dig, out_path(out, "saliencia_digitos.csv"));
    mosaic_write(&sal, out_path(out, "saliencia.csv"));
    mosaic_write(&cam, out_path(out, "gradcam.csv"));
    ch4_work_free(&w);
}

/* Every test prediction, and the log-probabilities of the first 20 test
 * images: what another implementation loading model.safetensors (PyTorch,
 * the drawing page) must reproduce. */
static void write_predictions(const Ch4Net *net, const Split *te, const unsigned char *pred,
                              const char *out)
{
    Csv c;
    csv_open(&c, out_path(out, "predicciones.csv"), "index,truth,predicted");
    for (int i = 0; i < te->n; i++)
        csv_row(&c, 3, (double[]){i, te->labels[i], pred[i]});
    csv_close(&c);
    int n = te->n < 20 ? te->n : 20;
    Ch4Work w;
    ch4_work_init(&w, n, 0);
    ch4_load_batch(&w, te->pixels, NULL, n);
    ch4_forward(net, &w, n, NULL);
    csv_open(&c, out_path(out, "salidas_muestra.csv"),
             "index,logp0,logp1,logp2,logp3,logp4,logp5,logp6,logp7,logp8,logp9");
    for (int i = 0; i < n; i++) {
        real lp[10];
        double row[11] = {i};
        ch4_log_softmax(lp, w.logits + i * 10, 10);
        for (int k = 0; k < 10; k++)
            row[k + 1] = lp[k];
        csv_row(&c, 11, row);
    }
    csv_close(&c);
    printf("  (salidas_muestra.csv: el log-softmax de las 20 primeras imágenes)\n");
    ch4_work_free(&w);
}

/* Misclassified test digits, up to 40, with true and predicted labels. */
static int section_misclassified(const Split *te, const unsigned char *pred, const char *out)
{
    const int per_row = 10, step = 30, max = 40;
    int idx[40], n = 0, total = 0;
    for (int i = 0; i < te->n; i++)
        if (pred[i] != te->labels[i]) {
            if (n < max)
                idx[n++] = i;
            total++;
        }
    printf("\n== 002 §5.2: dígitos mal clasificados: %d de %d ==\n", total, te->n);
    int rows = n ? (n + per_row - 1) / per_row : 1;
    Mosaic m = mosaic_new(per_row * step - 2, rows * 36 - 8);
    Csv c;
    csv_open(&c, out_path(out, "mal_clasificados_etiquetas.csv"), "x,y,truth,predicted,index");
    for (int k = 0; k < n; k++) {
        real img[784];
        for (int i = 0; i < 784; i++)
            img[i] = te->pixels[(size_t)idx[k] * 784 + i] / (real)255;
        int x0 = (k % per_row) * step, y0 = (k / per_row) * 36;
        mosaic_put(&m, x0, y0, img, 28, 28, 1);
        csv_row(&c, 5, (double[]){x0 + 13.5, y0 + 28.5, te->labels[idx[k]], pred[idx[k]], idx[k]});
        if (k < 10)
            printf("  imagen %5d: real %d, predicho %d\n", idx[k], te->labels[idx[k]], pred[idx[k]]);
    }
    csv_close(&c);
    mosaic_write(&m, out_path(out, "mal_clasificados.csv"));
    return total;
}

/* ------------------------------------------------------------------------- */
int main(int argc, char **argv)
{
    set_progname(argv[0]);
    Options o = parse_args(argc, argv);
    out_prepare_dir(o.out); /* a bad --out fails now, not after training */

    printf("== 4. Redes neuronales convolucionales (apuntes §4) ==\n");
    Split tr = {0}, te;
    if (!o.load)
        load_split(o.data, "train", o.train_limit, &tr);
    load_split(o.data, "t10k", o.test_limit, &te);
    printf("  MNIST: %d imágenes de entrenamiento, %d de test, 28 x 28 (%s)\n", tr.n, te.n, o.data);

    if (!o.bench && !o.load) {
        section_fig4(o.out);
        section_conv1d(o.out);
        section_sobel(o.out, te.pixels, te.labels[0]);
        section_pooling(o.out);
    }
    long nparams = section_shapes();

    Ch4Net net;
    Rng rng;
    rng_seed(&rng, o.seed);
    ch4_net_init(&net, &rng);
    if ((long)net.p.n != nparams)
        die("internal: the network holds %zu parameters, the table says %ld", net.p.n, nparams);
    printf("  inicialización: la de PyTorch, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), semilla %llu\n",
           (unsigned long long)o.seed);

    double epoch_loss[1000], train_s = 0;
    int epochs = o.load ? 0 : o.epochs;
    if (epochs > 1000)
        usage_error("--epochs: at most 1000");
    char model_path[4096];
    if (o.load) {
        char err[1024];
        if (ch4_load(&net, o.load, err, sizeof err))
            die("%s", err);
        printf("\n== Modelo cargado de %s ==\n", o.load);
        snprintf(model_path, sizeof model_path, "%s", o.load);
    } else {
        train_s = train(&net, &tr, &o, epoch_loss);
        printf("  %.1f s de entrenamiento, %.2f s por época, %.0f imágenes/s\n", train_s,
               train_s / epochs, (double)tr.n * epochs / train_s);
        Csv c;
        csv_open(&c, out_path(o.out, "perdida_epocas.csv"), "epoch,loss,notes_loss");
        for (int e = 0; e < epochs; e++) {
            /* the notes' number where there is one; an empty cell after epoch 5 */
            if (e < 5)
                csv_row(&c, 3, (double[]){e + 1, epoch_loss[e], NOTES_LOSS[e]});
            else
                csv_printf(&c, "%d,%.9g,\n", e + 1, epoch_loss[e]);
        }
        csv_close(&c);
        snprintf(model_path, sizeof model_path, "%s", out_path(o.out, "model.safetensors"));
        ch4_save(&net, model_path);
        printf("  (safetensors, con los nombres de PyTorch: conv1.weight, ..., fc2.bias)\n");
    }

    /* Accuracy on the test images (002 §5.2). */
    unsigned char *pred = xmalloc((size_t)te.n);
    Confusion cm;
    double acc = evaluate(&net, &te, o.threads, pred, &cm);
    printf("\n== Precisión en el test: %.2f %% (%ld de %d) ==\n", 100 * acc,
           (long)lround(acc * te.n), te.n);
    double inf1000 = inference_speed(&net, &te, 1000, o.threads);
    double inf64 = inference_speed(&net, &te, 64, o.threads);
    printf("  inferencia: %.0f imágenes/s en lotes de 1000, %.0f en lotes de 64\n", inf1000, inf64);

    if (!o.bench) {
        ClassReport rep;
        confusion_report(&cm, &rep);
        printf("\n== 002 §5.2: matriz de confusión ==\n");
        confusion_print(&cm, NULL);
        report_print(&rep, NULL);
        ConfusionPair top[5];
        int ntop = confusion_top(&cm, top, 5);
        confusion_top_print(top, ntop, NULL);
        confusion_write_csv(&cm, out_path(o.out, "confusion.csv"));
        report_write_csv(&rep, out_path(o.out, "metricas.csv"));
        write_predictions(&net, &te, pred, o.out);
        section_misclassified(&te, pred, o.out);
        printf("\n== 002 §3.3.1: los 32 filtros aprendidos por conv1 ==\n");
        write_filters(&net, o.out);
        section_feature_maps(&net, &te, 0, o.out);
        section_saliency(&net, &te, pred, o.out);
    }

    Json j;
    json_open(&j, out_path(o.out, "summary.json"));
    json_str(&j, "chapter", "04-cnn");
    json_num(&j, "test_accuracy", acc);
    json_int(&j, "test_images", te.n);
    json_int(&j, "epochs", epochs);
    json_num_array(&j, "epoch_loss", epochs, epoch_loss);
    json_num_array(&j, "notes_epoch_loss", 5, NOTES_LOSS);
    json_num(&j, "train_seconds", train_s);
    if (epochs > 0) {
        json_num(&j, "seconds_per_epoch", train_s / epochs);
        json_num(&j, "train_images_per_second", (double)tr.n * epochs / train_s);
    } else {
        json_null(&j, "seconds_per_epoch");
        json_null(&j, "train_images_per_second");
    }
    json_num(&j, "inference_images_per_second", inf1000);
    json_num(&j, "inference_images_per_second_b64", inf64);
    json_int(&j, "parameters", nparams);
    json_begin_object(&j, "settings");
    json_int(&j, "batch", o.batch);
    json_num(&j, "lr", o.lr);
    json_str(&j, "optimizer", "adam");
    json_num(&j, "dropout", o.dropout);
    json_int(&j, "seed", (long long)o.seed);
    json_str(&j, "init", "pytorch-default U(-1/sqrt(fan_in), 1/sqrt(fan_in))");
    json_int(&j, "train_images", tr.n);
    json_int(&j, "threads", o.threads);
    json_str(&j, "real", REAL_NAME);
    json_bool(&j, "bench", o.bench);
    if (o.load)
        json_str(&j, "loaded", o.load);
    json_end_object(&j);
    json_str(&j, "model_file", model_path);
    json_files(&j);
    json_close(&j);

    free(pred);
    ch4_net_free(&net);
    free(tr.pixels);
    free(tr.labels);
    free(te.pixels);
    free(te.labels);
    return 0;
}
