/* seed_figures.c — the figures of thesis 002 and paper 003 that no section
 * of the notes draws, regenerated from this chapter's own data and runs
 * (the list is in seed_figures.h). Every network here is mlp.c's: built with
 * ch3_net_init, stepped with ch3_step (or ch3_fast_step, the same step on
 * several threads), evaluated with ch3_evaluate. What is new is only what
 * each figure needs around them: a split, a fold assignment, a mask read
 * back, a weight tracked.
 *
 * Seeds: each part draws from the run's --seed plus an offset fixed here
 * before any result was seen (+5 is §3.3's split, +13 seed 003's replica —
 * the same as studies.c, so that these are the same split and the same
 * network — and +17 … +29 for what is new). */
#include "seed_figures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "out.h"
#include "progress.h"
#include "stats.h"
#include "util.h"

#define SPLIT_RASTER_W 300        /* Fig 2.3: the training file's images, 300 a row */
#define KFOLD_HIDDEN 32           /* Fig 2.4: 784–32–10, one epoch */
#define LINEAR_SEEDS 5            /* Fig 3.6: final accuracies over five seeds */
#define CHECKPOINTS_PER_EPOCH 10  /* Fig 3.6: points of the curves */
#define SNAPSHOT_EVERY 10         /* 003 Fig 28: every weight, every 10 iterations */
#define SETTLE_FRACTION 0.1       /* "settled": within 10 % of its largest distance from the end */
#define ITER_003_CLAIM 1000       /* 003: "sobre las 1000 iteraciones, se estabilizan" */

/* What the figures found, for the printed summary and figuras_002_003.json. */
typedef struct {
    int n_train, n_val, n_test;
    double kfold_acc[CH3_KFOLDS], kfold_mean, kfold_sd;
    int nseeds;
    double linear_acc[LINEAR_SEEDS], relu_acc[LINEAR_SEEDS];
    double linear_mean, linear_sd, relu_mean, relu_sd, linear_collapse_error;
    int dropout_off[CH3_MAX_LAYERS], dropout_size[CH3_MAX_LAYERS], dropout_layers;
    double dropout_p;
    int iterations_003;
    double acc_003, distance_at_claim[3], settled_at_claim[3], median_settle[3];
    int answer_index, answer_label, answer_guess, five_index;
} SeedFigures;

/* --- pieces shared by the figures ----------------------------------------------------- */

static int *identity_order(int n)
{
    int *o = xmalloc((size_t)(n > 0 ? n : 1) * sizeof(int));
    for (int i = 0; i < n; i++)
        o[i] = i;
    return o;
}

/* One training step on the images idx[0..B-1], exactly as ch3_train_epoch
 * takes it: dropout masks first, then the fast step when it pays. */
static double train_step(Ch3Net *n, Optimizer *o, const Mnist *d, const int *idx, int B,
                         Rng *rng)
{
    if (n->dropout > 0)
        ch3_draw_dropout_masks(n, B, rng);
    return ch3_fast_pays(B) ? ch3_fast_step(n, o, d, idx, B) : ch3_step(n, o, d, idx, B);
}

/* One epoch over order[0..count-1] in batches of `batch`, with a progress
 * line of our own label ("K-fold 2/5"). Returns the mean batch loss. */
static double train_epoch(Ch3Net *n, Optimizer *o, const Mnist *d, const int *order, int count,
                          int batch, Rng *rng, const char *label)
{
    int nbatches = (count + batch - 1) / batch;
    Progress bar;
    progress_begin(&bar, label, nbatches, batch * ch3_image_work(n->nlayers, n->sizes));
    char what[96];   /* for a Ctrl-C line (resume.c) */
    snprintf(what, sizeof what, "las figuras de 002 y 003 (%s)", label);
    Ch3Run run = {.what = what};
    Ch3Epoch at = {.epoch = 1, .epochs = 1, .run = &run};
    double sum = 0;
    for (int k = 0; k < nbatches; k++) {
        int B = k == nbatches - 1 ? count - k * batch : batch;
        double loss = train_step(n, o, d, order + (size_t)k * batch, B, rng);
        if (!isfinite(loss))
            die("%s: la pérdida se hizo NaN o infinita en el lote %d", what, k + 1);
        sum += loss;
        progress_update(&bar, k + 1, "pérdida %.4f", sum / (k + 1));
        ch3_after_batch(&at, k + 1, sum);
    }
    progress_end(&bar);
    return sum / nbatches;
}

/* A picture of one image as x,y,value (y = the row, 0 at the top). */
static void write_image(const char *path, const Mnist *d, int image)
{
    Csv csv;
    csv_open(&csv, path, "x,y,value");
    const unsigned char *px = d->pixels + (size_t)image * d->rows * d->cols;
    for (int r = 0; r < d->rows; r++)
        for (int col = 0; col < d->cols; col++)
            csv_row(&csv, 3, (double[]){col, r, px[r * d->cols + col] / 255.0});
    csv_close(&csv);
}

static int first_with_label(const Mnist *d, int label)
{
    for (int i = 0; i < d->n; i++)
        if (d->labels[i] == label)
            return i;
    return 0;   /* a subset without one: its first image */
}

/* --- thesis 002 Figs 2.3 and 5.2: the three parts ---------------------------------------- */

static void split_figures(const Ch3Config *c, const Mnist *train, const Mnist *test,
                          SeedFigures *r)
{
    printf("\n== Tesis 002, Figs 2.3 y 5.2: entrenamiento, validación y prueba ==\n");
    int n = train->n;
    int *perm = xmalloc((size_t)(n > 0 ? n : 1) * sizeof(int));
    int n_val = ch3_validation_split(n, c->seed + 5, perm), n_tr = n - n_val;
    unsigned char *is_val = xcalloc((size_t)n + 1, 1);
    for (int i = n_tr; i < n; i++)
        is_val[perm[i]] = 1;
    r->n_train = n_tr;
    r->n_val = n_val;
    r->n_test = test->n;

    /* Fig 2.3: how many in each part, and where the validation images sit
     * in the training file (300 a row; -1 pads the last row). */
    Csv csv;
    csv_open(&csv, out_path(c->out, "division.csv"), "parte,imagenes,desde");
    csv_row(&csv, 3, (double[]){0, n_tr, 0});
    csv_row(&csv, 3, (double[]){1, n_val, n_tr});
    csv_row(&csv, 3, (double[]){2, test->n, n});
    csv_close(&csv);
    csv_open(&csv, out_path(c->out, "division_indices.csv"), "x,y,validacion");
    int rows = (n + SPLIT_RASTER_W - 1) / SPLIT_RASTER_W;
    for (int i = 0; i < rows * SPLIT_RASTER_W; i++)
        csv_row(&csv, 3, (double[]){i % SPLIT_RASTER_W, i / SPLIT_RASTER_W,
                                    i < n ? is_val[i] : -1});
    csv_close(&csv);

    /* Fig 5.2: the images of each class in each part. */
    long count[3][CH3_CLASSES] = {{0}};
    for (int i = 0; i < n; i++)
        count[is_val[i]][train->labels[i]]++;
    for (int i = 0; i < test->n; i++)
        count[2][test->labels[i]]++;
    csv_open(&csv, out_path(c->out, "imagenes_por_clase.csv"),
             "clase,entrenamiento,validacion,prueba");
    printf("  %-6s %14s %11s %8s\n", "clase", "entrenamiento", "validación", "prueba");
    for (int k = 0; k < CH3_CLASSES; k++) {
        csv_row(&csv, 4, (double[]){k, count[0][k], count[1][k], count[2][k]});
        printf("  %-6d %14ld %11ld %8ld\n", k, count[0][k], count[1][k], count[2][k]);
    }
    csv_close(&csv);
    printf("  %-6s %14d %11d %8d   (validación: 1/6 del archivo de entrenamiento, al azar)\n",
           "total", n_tr, n_val, test->n);
    free(is_val);
    free(perm);
}

/* --- thesis 002 Fig 2.4: K-fold cross-validation ------------------------------------------ */

void ch3_kfold_assign(int n, int K, Rng *rng, int *fold)
{
    int *perm = identity_order(n);
    rng_shuffle(rng, perm, n);
    /* fold k holds the shuffled positions [k·n/K, (k+1)·n/K) */
    for (int k = 0; k < K; k++)
        for (long p = (long)k * n / K; p < (long)(k + 1) * n / K; p++)
            fold[perm[p]] = k;
    free(perm);
}

static void kfold_figure(const Ch3Config *c, const Mnist *train, SeedFigures *r)
{
    int n = train->n;
    printf("\n== Tesis 002, Fig 2.4: validación cruzada con K = %d ==\n", CH3_KFOLDS);
    printf("  red 784–%d–10 (ReLU, softmax), Adam lr 0.003, lotes de 64, 1 época por fold, "
           "sobre las %d imágenes de entrenamiento\n", KFOLD_HIDDEN, n);
    int *fold = xmalloc((size_t)(n > 0 ? n : 1) * sizeof(int));
    Rng rng;
    rng_seed(&rng, c->seed + 17);
    ch3_kfold_assign(n, CH3_KFOLDS, &rng, fold);
    int *tr = xmalloc((size_t)(n > 0 ? n : 1) * sizeof(int));
    int *val = xmalloc((size_t)(n > 0 ? n : 1) * sizeof(int));
    Csv csv;
    csv_open(&csv, out_path(c->out, "kfold.csv"),
             "iteracion,fold_validacion,imagenes_entrenamiento,imagenes_validacion,exactitud");
    for (int k = 0; k < CH3_KFOLDS; k++) {
        int ntr = 0, nval = 0;
        for (int i = 0; i < n; i++) {
            if (fold[i] == k)
                val[nval++] = i;
            else
                tr[ntr++] = i;
        }
        /* The same starting weights in every fold: only the data differ. */
        Ch3Net net;
        Rng init;
        rng_seed(&init, c->seed + 19);
        ch3_net_init(&net, 2, (int[]){CH3_PIXELS, KFOLD_HIDDEN, CH3_CLASSES},
                     activation_find("relu"), CH3_SOFTMAX_CE, CH3_INIT_GLOROT, CH3_EVAL_BATCH,
                     &init);
        Optimizer opt;
        optim_init(&opt, "adam", 0.003, net.p.n);
        rng_shuffle(&init, tr, ntr);
        char label[32];
        snprintf(label, sizeof label, "K-fold %d/%d", k + 1, CH3_KFOLDS);
        train_epoch(&net, &opt, train, tr, ntr, 64, &init, label);
        r->kfold_acc[k] = ch3_evaluate(&net, train, val, nval, NULL, NULL);
        printf("  iteración %d: entrena con %d, valida con el fold %d (%d imágenes): "
               "exactitud %.2f %%\n", k + 1, ntr, k + 1, nval, 100 * r->kfold_acc[k]);
        csv_row(&csv, 5, (double[]){k + 1, k + 1, ntr, nval, r->kfold_acc[k]});
        optim_free(&opt);
        ch3_net_free(&net);
    }
    csv_close(&csv);
    mean_sd(r->kfold_acc, CH3_KFOLDS, &r->kfold_mean, &r->kfold_sd);
    csv_open(&csv, out_path(c->out, "kfold_resumen.csv"), "k,media,desviacion");
    csv_row(&csv, 3, (double[]){CH3_KFOLDS, r->kfold_mean, r->kfold_sd});
    csv_close(&csv);
    printf("  media %.2f %% ± %.2f (desviación típica muestral de los %d folds)\n",
           100 * r->kfold_mean, 100 * r->kfold_sd, CH3_KFOLDS);
    free(fold);
    free(tr);
    free(val);
}

/* --- thesis 002 Fig 2.9: dropout, a real mask ---------------------------------------------- */

void ch3_write_dropout_mask(const char *path, const Ch3Net *n, int *off)
{
    Csv csv;
    csv_open(&csv, path, "capa,neurona,fila,columna,mascara,activa,activacion");
    for (int l = 0; l + 1 < n->nlayers; l++) {
        int size = n->sizes[l + 1], leak = 0;
        off[l] = 0;
        for (int j = 0; j < size; j++) {
            real m = n->mask[l][j];                 /* row 0 of the (B, size) mask */
            real a = n->pass.a[l][j];               /* the neuron's output in that step */
            off[l] += m == 0;
            leak += m == 0 && a != 0;               /* switched off, yet not 0: impossible */
            csv_row(&csv, 7, (double[]){l + 1, j, j / 16, j % 16, m, m != 0, a});
        }
        if (leak)
            die("dropout figure: %d neurons of layer %d are off in the mask but not 0", leak,
                l + 1);
    }
    csv_close(&csv);
}

static void dropout_figure(const Ch3Config *c, const Mnist *train, SeedFigures *r)
{
    double p = c->dropout > 0 ? c->dropout : 0.2;   /* §3.3's 20 %, or --dropout */
    printf("\n== Tesis 002, Fig 2.9: dropout (p = %g), la máscara de un paso real ==\n", p);
    Ch3Net net;
    Rng rng;
    rng_seed(&rng, c->seed + 29);
    ch3_net_init(&net, c->nlayers, c->sizes, c->act, CH3_SOFTMAX_CE, CH3_INIT_GLOROT,
                 CH3_EVAL_BATCH, &rng);
    net.dropout = (real)p;
    Optimizer opt;
    optim_init(&opt, "adam", 0.003, net.p.n);
    int *order = identity_order(train->n);
    rng_shuffle(&rng, order, train->n);
    int B = train->n < 64 ? train->n : 64;
    /* The first batch of a training run, taken by mlp.c's readable step so
     * that net.pass keeps the batch's activations: row 0 is the first image. */
    ch3_draw_dropout_masks(&net, B, &rng);
    double loss = ch3_step(&net, &opt, train, order, B);
    if (!isfinite(loss))
        die("dropout figure: the loss became NaN");
    int image = order[0];
    write_image(out_path(c->out, "dropout_imagen.csv"), train, image);
    ch3_write_dropout_mask(out_path(c->out, "dropout_mascara.csv"), &net, r->dropout_off);
    r->dropout_p = p;
    r->dropout_layers = net.nlayers - 1;
    for (int l = 0; l + 1 < net.nlayers; l++) {
        int size = net.sizes[l + 1];
        r->dropout_size[l] = size;
        printf("  capa oculta %d: %d de %d neuronas apagadas (%.1f %%) para la imagen %d "
               "(un %d) del primer lote; todas dan 0 en ese paso\n", l + 1, r->dropout_off[l],
               size, 100.0 * r->dropout_off[l] / size, image, train->labels[image]);
    }
    free(order);
    optim_free(&opt);
    ch3_net_free(&net);
}

/* --- thesis 002 Fig 2.10 and paper 003 Fig 23: a digit, and the same digit flattened ------- */

static void flattening_figure(const Ch3Config *c, const Mnist *train, SeedFigures *r)
{
    printf("\n== Tesis 002, Fig 2.10: aplanar una imagen ==\n");
    int image = 0;   /* the first training image, the one 003 feeds first (a 5 in MNIST) */
    real x[CH3_PIXELS];
    unsigned char y;
    mnist_gather(train, &image, 1, x, &y);   /* what every batch does: pixel/255, row by row */
    const unsigned char *px = train->pixels + (size_t)image * CH3_PIXELS;
    Csv csv;
    csv_open(&csv, out_path(c->out, "aplanado.csv"), "fila,columna,indice,pixel,x");
    /* For each pixel (r, c) of the 28×28 picture: where the notes say it
     * goes (28·r + c) and what the network's input holds there. */
    for (int row = 0; row < train->rows; row++)
        for (int col = 0; col < train->cols; col++) {
            int index = train->cols * row + col;
            csv_row(&csv, 5, (double[]){row, col, index, px[row * train->cols + col] / 255.0,
                                        x[index]});
        }
    csv_close(&csv);
    printf("  imagen %d (un %d): el píxel (fila r, columna c) pasa a la posición 28·r + c "
           "del vector de %d\n", image, y, CH3_PIXELS);

    printf("\n== Artículo 003, Fig 23: un 5 ==\n");
    r->five_index = first_with_label(train, 5);
    write_image(out_path(c->out, "cinco_003.csv"), train, r->five_index);
    csv_open(&csv, out_path(c->out, "cinco_003_info.csv"), "indice,etiqueta");
    csv_row(&csv, 2, (double[]){r->five_index, train->labels[r->five_index]});
    csv_close(&csv);
    printf("  003 Fig 23: la imagen %d de entrenamiento, un %d\n", r->five_index,
           train->labels[r->five_index]);
}

/* --- thesis 002 Fig 3.6: a linear network against one with ReLU ------------------------------ */

static double identity(double z) { return z; }
static double identity_deriv(double z)
{
    (void)z;
    return 1.0;
}
static void identity_forward(real *a, const real *z, size_t n) { memmove(a, z, n * sizeof(real)); }
static void identity_backward(real *dz, const real *z, const real *da, size_t n)
{
    (void)z;
    for (size_t i = 0; i < n; i++)
        dz[i] += da[i];
}

static const Activation LINEAR = {"lineal", identity, identity_deriv, 1, identity_forward,
                                  identity_backward};

const Activation *ch3_linear_activation(void) { return &LINEAR; }

/* Trains `net` for `epochs` epochs (shuffled, batches of c->batch, Adam
 * lr 0.003: the §3.4 settings). With curves (loss, acc not NULL) it records
 * CHECKPOINTS_PER_EPOCH points per epoch: the mean loss since the last point
 * and the test accuracy there. Returns the final test accuracy. */
static double train_linear_or_relu(Ch3Net *net, const Ch3Config *c, const Mnist *train,
                                   const Mnist *test, Rng *rng, const char *name, double *at,
                                   double *loss, double *acc, int *npoints)
{
    Optimizer opt;
    optim_init(&opt, "adam", 0.003, net->p.n);
    int n = train->n, batch = c->batch, nb = (n + batch - 1) / batch;
    int per_epoch = nb < CHECKPOINTS_PER_EPOCH ? nb : CHECKPOINTS_PER_EPOCH;
    int *order = identity_order(n);
    int points = 0, since = 0;
    double sum = 0;
    char what[96];   /* for a Ctrl-C line (resume.c) */
    snprintf(what, sizeof what, "las figuras de 002 (la red %s)", name);
    Ch3Run run = {.what = what};
    for (int e = 1; e <= c->epochs; e++) {
        Ch3Epoch where = {.epoch = e, .epochs = c->epochs, .run = &run};
        rng_shuffle(rng, order, n);
        char label[48];
        snprintf(label, sizeof label, "%s, época %d/%d", name, e, c->epochs);
        Progress bar;
        progress_begin(&bar, label, nb, batch * ch3_image_work(net->nlayers, net->sizes));
        int next = 1;   /* the next point: after batch next·nb/per_epoch (equal parts) */
        for (int k = 0; k < nb; k++) {
            int B = k == nb - 1 ? n - k * batch : batch;
            double l = train_step(net, &opt, train, order + (size_t)k * batch, B, rng);
            if (!isfinite(l))
                die("%s: la pérdida se hizo NaN o infinita en la época %d, lote %d", what, e,
                    k + 1);
            sum += l;
            since++;
            progress_update(&bar, k + 1, "pérdida %.4f", l);
            ch3_after_batch(&where, k + 1, sum);
            if (loss && k + 1 == (int)((long)next * nb / per_epoch)) {
                next++;
                at[points] = e - 1 + (double)(k + 1) / nb;   /* in epochs */
                loss[points] = sum / since;
                acc[points] = ch3_evaluate(net, test, NULL, test->n, NULL, NULL);
                points++;
                sum = 0;
                since = 0;
            }
        }
        progress_end(&bar);
    }
    if (npoints)
        *npoints = points;
    free(order);
    optim_free(&opt);
    return ch3_evaluate(net, test, NULL, test->n, NULL, NULL);
}

/* A linear network is one affine map: logits = M·x + d with
 * M = W3·W2·W1 (10, 784) and d = W3·(W2·b1 + b2) + b3. Computes M and d
 * from the trained layers and returns the largest difference from the
 * network's own logits over the first `count` images of d (double). */
static double collapse_error(Ch3Net *net, const Mnist *data, int count)
{
    int L = net->nlayers;
    int in = net->sizes[0];
    /* M starts as W1 (h1, in), d as b1; each layer l maps them on: M ← W·M, d ← W·d + b */
    int rows = net->sizes[1];
    double *M = xmalloc((size_t)rows * in * sizeof(double));
    double *d = xmalloc((size_t)rows * sizeof(double));
    for (size_t i = 0; i < (size_t)rows * in; i++)
        M[i] = net->W[0][i];
    for (int i = 0; i < rows; i++)
        d[i] = net->b[0][i];
    for (int l = 1; l < L; l++) {
        int out = net->sizes[l + 1];
        double *M2 = xcalloc((size_t)out * in, sizeof(double));
        double *d2 = xcalloc((size_t)out, sizeof(double));
        for (int o = 0; o < out; o++) {
            d2[o] = net->b[l][o];
            for (int h = 0; h < rows; h++) {
                double w = net->W[l][(size_t)o * rows + h];
                d2[o] += w * d[h];
                for (int i = 0; i < in; i++)
                    M2[(size_t)o * in + i] += w * M[(size_t)h * in + i];
            }
        }
        free(M);
        free(d);
        M = M2;
        d = d2;
        rows = out;
    }
    if (count > data->n)
        count = data->n;
    if (count > net->bmax)
        count = net->bmax;
    double worst = 0;
    Ch3Pass *w = &net->pass;
    mnist_gather(data, NULL, count, w->x, w->y);
    ch3_forward(net, w, count, 0);
    for (int k = 0; k < count; k++)
        for (int o = 0; o < rows; o++) {
            double z = d[o];
            for (int i = 0; i < in; i++)
                z += M[(size_t)o * in + i] * w->x[(size_t)k * in + i];
            double diff = fabs(z - w->z[L - 1][(size_t)k * rows + o]);
            if (diff > worst)
                worst = diff;
        }
    free(M);
    free(d);
    return worst;
}

static void linear_figure(const Ch3Config *c, const Mnist *train, const Mnist *test,
                          SeedFigures *r)
{
    char shape[128];
    Ch3Net probe;
    Rng rng;
    rng_seed(&rng, 0);
    ch3_net_init(&probe, c->nlayers, c->sizes, &LINEAR, CH3_SOFTMAX_CE, CH3_INIT_GLOROT, 1,
                 &rng);
    ch3_net_shape(&probe, shape, sizeof shape);
    ch3_net_free(&probe);
    r->nseeds = c->quick ? 2 : LINEAR_SEEDS;
    printf("\n== Tesis 002, Fig 3.6: red lineal frente a red con ReLU (%s, Adam lr 0.003, "
           "lotes de %d, %d épocas, %d semillas) ==\n", shape, c->batch, c->epochs, r->nseeds);
    int maxpts = c->epochs * CHECKPOINTS_PER_EPOCH + 1;   /* as train_linear_or_relu records them */
    double *at = xmalloc((size_t)maxpts * sizeof(double));
    double *loss[2], *acc[2];
    int npts[2] = {0, 0};
    for (int a = 0; a < 2; a++) {
        loss[a] = xmalloc((size_t)maxpts * sizeof(double));
        acc[a] = xmalloc((size_t)maxpts * sizeof(double));
    }
    const Activation *acts[2] = {&LINEAR, activation_find("relu")};
    const char *names[2] = {"lineal", "ReLU"};
    double *final[2] = {r->linear_acc, r->relu_acc};
    for (int s = 0; s < r->nseeds; s++)
        for (int a = 0; a < 2; a++) {
            /* the same seed, the same sizes: the same starting weights for both */
            Ch3Net net;
            Rng init;
            rng_seed(&init, c->seed + 23 + (uint64_t)s);
            ch3_net_init(&net, c->nlayers, c->sizes, acts[a], CH3_SOFTMAX_CE, CH3_INIT_GLOROT,
                         CH3_EVAL_BATCH, &init);
            int curves = s == 0;   /* the curves of the first seed only */
            final[a][s] = train_linear_or_relu(&net, c, train, test, &init, names[a], at,
                                               curves ? loss[a] : NULL, curves ? acc[a] : NULL,
                                               curves ? &npts[a] : NULL);
            printf("  semilla %llu, red %-6s: exactitud en prueba %.2f %%\n",
                   (unsigned long long)(c->seed + 23 + (uint64_t)s), names[a],
                   100 * final[a][s]);
            if (a == 0 && s == 0) {
                r->linear_collapse_error = collapse_error(&net, test, 100);
                printf("  la red lineal entrenada es una sola capa afín: W3·W2·W1·x + d da sus "
                       "salidas (diferencia máx. %.1e en 100 imágenes)\n",
                       r->linear_collapse_error);
            }
            ch3_net_free(&net);
        }
    mean_sd(r->linear_acc, r->nseeds, &r->linear_mean, &r->linear_sd);
    mean_sd(r->relu_acc, r->nseeds, &r->relu_mean, &r->relu_sd);
    printf("  exactitud en prueba, media ± desviación de %d semillas: lineal %.2f ± %.2f %%, "
           "ReLU %.2f ± %.2f %%\n", r->nseeds, 100 * r->linear_mean, 100 * r->linear_sd,
           100 * r->relu_mean, 100 * r->relu_sd);
    printf("  (notas §4.3: «la red lineal sufría para llegar al 90 %%»)\n");

    Csv csv;
    csv_open(&csv, out_path(c->out, "lineal_vs_relu.csv"),
             "epoca,lineal_perdida,relu_perdida,lineal_exactitud,relu_exactitud");
    for (int i = 0; i < npts[0] && i < npts[1]; i++)
        csv_row(&csv, 5, (double[]){at[i], loss[0][i], loss[1][i], acc[0][i], acc[1][i]});
    csv_close(&csv);
    csv_open(&csv, out_path(c->out, "lineal_vs_relu_semillas.csv"), "semilla,lineal,relu");
    for (int s = 0; s < r->nseeds; s++)
        csv_row(&csv, 3, (double[]){(double)(c->seed + 23 + (uint64_t)s), r->linear_acc[s],
                                    r->relu_acc[s]});
    csv_close(&csv);
    free(at);
    for (int a = 0; a < 2; a++) {
        free(loss[a]);
        free(acc[a]);
    }
}

/* --- paper 003 Figs 28 and 25: the weights while it learns, and one answer ------------------ */

/* The three weights drawn, chosen before the run: of each layer, neuron 0's
 * weight from its first input that carries ink — for layer 1 the centre
 * pixel (14, 14) (a border pixel's weight would never move), for layers 2
 * and 3 input 0. */
static size_t tracked_weight(const Ch3Net *n, int l)
{
    (void)n;
    return l == 0 ? (size_t)(14 * 28 + 14) : 0;
}

static void weights_003_figure(const Ch3Config *c, const Mnist *train, const Mnist *test,
                               SeedFigures *r)
{
    int epochs = c->quick ? 1 : 4, batch = 100;
    printf("\n== Artículo 003, Fig 28: los pesos durante el entrenamiento ==\n");
    printf("  la red de 003 (784–20–20–10 sigmoide, error cuadrático, gradiente sumado en lotes "
           "de 100 en orden fijo, SGD lr 0.01, %d época%s)\n", epochs, epochs == 1 ? "" : "s");
    /* The same network as studies.c's replica (seed + 13): same weights,
     * same batches, so the same 92 %. */
    Ch3Net net;
    Rng rng;
    rng_seed(&rng, c->seed + 13);
    ch3_net_init(&net, 3, (int[]){CH3_PIXELS, 20, 20, CH3_CLASSES}, activation_find("sigmoid"),
                 CH3_SIGMOID_SE, CH3_INIT_HALF, CH3_EVAL_BATCH, &rng);
    net.sum_over_batch = 1;
    Optimizer opt;
    optim_init(&opt, "sgd", 0.01, net.p.n);
    int n = train->n, nb = (n + batch - 1) / batch, iters = epochs * nb;
    int nsnap = iters / SNAPSHOT_EVERY + 2;
    size_t np = net.p.n;
    float *snap = xmalloc((size_t)nsnap * np * sizeof(float));
    int *snap_iter = xmalloc((size_t)nsnap * sizeof(int));
    int ns = 0;
    int *order = identity_order(n);
    Csv csv;
    csv_open(&csv, out_path(c->out, "pesos_003.csv"), "iteracion,w_capa1,w_capa2,w_capa3");
    size_t w_at[3];
    for (int l = 0; l < 3; l++)
        w_at[l] = tracked_weight(&net, l);
    int it = 0;
    Ch3Run run = {.what = "las figuras de 003 (Fig 28)"};   /* for a Ctrl-C line */
    for (int e = 1; e <= epochs; e++) {
        Ch3Epoch at = {.epoch = e, .epochs = epochs, .run = &run};
        char label[32];
        snprintf(label, sizeof label, "003, época %d/%d", e, epochs);
        Progress bar;
        progress_begin(&bar, label, nb, batch * ch3_image_work(net.nlayers, net.sizes));
        for (int k = 0; k <= nb; k++) {
            if (it % SNAPSHOT_EVERY == 0 || it == iters) {   /* before iteration it + 1 */
                if (ns == 0 || snap_iter[ns - 1] != it) {
                    for (size_t i = 0; i < np; i++)
                        snap[(size_t)ns * np + i] = (float)net.p.values[i];
                    snap_iter[ns++] = it;
                }
            }
            if (e == 1 && k == 0)
                csv_row(&csv, 4, (double[]){0, net.W[0][w_at[0]], net.W[1][w_at[1]],
                                            net.W[2][w_at[2]]});
            if (k == nb)
                break;
            int B = k == nb - 1 ? n - k * batch : batch;
            double loss = train_step(&net, &opt, train, order + (size_t)k * batch, B, &rng);
            if (!isfinite(loss))
                die("%s: la pérdida se hizo NaN o infinita en la época %d, lote %d", run.what, e,
                    k + 1);
            it++;   /* 003: "iteration += 1" for every set of 100 */
            csv_row(&csv, 4, (double[]){it, net.W[0][w_at[0]], net.W[1][w_at[1]],
                                        net.W[2][w_at[2]]});
            progress_update(&bar, k + 1, "coste %.4f", loss);
            ch3_after_batch(&at, k + 1, 0);
        }
        progress_end(&bar);
    }
    csv_close(&csv);
    r->iterations_003 = iters;
    r->acc_003 = ch3_evaluate(&net, test, NULL, test->n, NULL, NULL);
    printf("  %d iteraciones; exactitud en prueba %.2f %% (la réplica de arriba, los mismos "
           "pesos)\n", iters, 100 * r->acc_003);

    /* How settled is each layer? For every snapshot: the distance of the
     * layer's weights from where they end, ‖W(t) − W(fin)‖ / ‖W(0) − W(fin)‖,
     * and the share of its weights that have settled: a weight has settled
     * at t when from t on it stays within SETTLE_FRACTION of its largest
     * distance from its final value (weights that never move — border
     * pixels no image inks — are left out). */
    const float *last = snap + (size_t)(ns - 1) * np;
    double *dist = xcalloc((size_t)ns * 3, sizeof(double));
    double *settled = xcalloc((size_t)ns * 3, sizeof(double));
    for (int l = 0; l < 3; l++) {
        size_t off = (size_t)(net.W[l] - net.p.values);
        size_t cnt = (size_t)net.sizes[l] * net.sizes[l + 1];
        for (int s = 0; s < ns; s++) {
            double num = 0, den = 0;
            for (size_t i = off; i < off + cnt; i++) {
                double a = snap[(size_t)s * np + i] - last[i], b = snap[i] - last[i];
                num += a * a;
                den += b * b;
            }
            dist[s * 3 + l] = den > 0 ? sqrt(num / den) : 0;
        }
        long moving = 0;
        int *settle_at = xmalloc(cnt * sizeof(int));
        for (size_t i = off; i < off + cnt; i++) {
            double far = 0;
            for (int s = 0; s < ns; s++) {
                double d = fabs(snap[(size_t)s * np + i] - last[i]);
                if (d > far)
                    far = d;
            }
            if (far == 0)
                continue;
            int from = 0;   /* the first snapshot after the last one outside the band */
            for (int s = ns - 1; s >= 0; s--)
                if (fabs(snap[(size_t)s * np + i] - last[i]) > SETTLE_FRACTION * far) {
                    from = s + 1;
                    break;
                }
            settle_at[moving++] = from;
            for (int s = from; s < ns; s++)
                settled[s * 3 + l] += 1;
        }
        for (int s = 0; s < ns; s++)
            settled[s * 3 + l] = moving ? settled[s * 3 + l] / moving : 1;
        /* the median settling iteration */
        int *hist = xcalloc((size_t)ns, sizeof(int));
        for (long i = 0; i < moving; i++)
            hist[settle_at[i]]++;
        long acc_count = 0;
        r->median_settle[l] = NAN;
        for (int s = 0; s < ns; s++) {
            acc_count += hist[s];
            if (2 * acc_count >= moving) {
                r->median_settle[l] = snap_iter[s];
                break;
            }
        }
        free(hist);
        free(settle_at);
        /* at 003's 1000 iterations (or the last snapshot before it) */
        int s1000 = 0;
        for (int s = 0; s < ns; s++)
            if (snap_iter[s] <= ITER_003_CLAIM)
                s1000 = s;
        r->distance_at_claim[l] = dist[s1000 * 3 + l];
        r->settled_at_claim[l] = settled[s1000 * 3 + l];
    }
    csv_open(&csv, out_path(c->out, "pesos_003_distancia.csv"),
             "iteracion,distancia_capa1,distancia_capa2,distancia_capa3,"
             "estables_capa1,estables_capa2,estables_capa3");
    for (int s = 0; s < ns; s++)
        csv_row(&csv, 7, (double[]){snap_iter[s], dist[s * 3], dist[s * 3 + 1], dist[s * 3 + 2],
                                    settled[s * 3], settled[s * 3 + 1], settled[s * 3 + 2]});
    csv_close(&csv);
    printf("  en la iteración %d (003: «sobre las %d iteraciones, se estabilizan»):\n",
           iters < ITER_003_CLAIM ? iters : ITER_003_CLAIM, ITER_003_CLAIM);
    printf("  %-6s %30s %26s %22s\n", "capa", "distancia al valor final", "pesos ya estables",
           "mediana de estabilización");
    for (int l = 0; l < 3; l++)
        printf("  %-6d %29.1f %% %25.1f %% %16.0f iteraciones\n", l + 1,
               100 * r->distance_at_claim[l], 100 * r->settled_at_claim[l], r->median_settle[l]);
    printf("  (distancia: ‖W(t) − W(fin)‖ / ‖W(0) − W(fin)‖; estable: ya no se aleja de su "
           "valor final más del %.0f %% de su mayor distancia)\n", 100 * SETTLE_FRACTION);

    /* 003 Fig 25: a test image, its label and the network's answer — the
     * first "4" of the test set, as in the paper's figure. */
    printf("\n== Artículo 003, Fig 25: la respuesta de la red ==\n");
    int image = first_with_label(test, 4);
    unsigned char guess;
    long correct = 0;
    ch3_guess_rows(&net, &net.pass, test, &image, 1, &guess, &correct, 1);
    write_image(out_path(c->out, "respuesta_003.csv"), test, image);
    csv_open(&csv, out_path(c->out, "respuesta_003_salidas.csv"), "clase,activacion");
    for (int k = 0; k < CH3_CLASSES; k++)
        csv_row(&csv, 2, (double[]){k, net.pass.a[2][k]});
    csv_close(&csv);
    csv_open(&csv, out_path(c->out, "respuesta_003_info.csv"), "indice,etiqueta,respuesta");
    csv_row(&csv, 3, (double[]){image, test->labels[image], guess});
    csv_close(&csv);
    r->answer_index = image;
    r->answer_label = test->labels[image];
    r->answer_guess = guess;
    printf("  003 Fig 25: imagen de prueba %d, etiqueta %d, la red dice %d (salida %.3f)\n",
           image, test->labels[image], guess, (double)net.pass.a[2][guess]);

    free(dist);
    free(settled);
    free(snap);
    free(snap_iter);
    free(order);
    optim_free(&opt);
    ch3_net_free(&net);
}

/* --- the section ----------------------------------------------------------------------------- */

static void write_json(const Ch3Config *c, const SeedFigures *r)
{
    Json j;
    json_open(&j, out_path(c->out, "figuras_002_003.json"));
    json_begin_object(&j, "split_002_fig2_3");
    json_int(&j, "train", r->n_train);
    json_int(&j, "validation", r->n_val);
    json_int(&j, "test", r->n_test);
    json_end_object(&j);
    json_begin_object(&j, "kfold_002_fig2_4");
    json_int(&j, "k", CH3_KFOLDS);
    json_num_array(&j, "accuracy", CH3_KFOLDS, r->kfold_acc);
    json_num(&j, "mean", r->kfold_mean);
    json_num(&j, "sd", r->kfold_sd);
    json_end_object(&j);
    json_begin_object(&j, "dropout_002_fig2_9");
    json_num(&j, "p", r->dropout_p);
    json_begin_array(&j, "off_per_layer");
    for (int l = 0; l < r->dropout_layers; l++)
        json_int(&j, NULL, r->dropout_off[l]);
    json_end_array(&j);
    json_end_object(&j);
    json_begin_object(&j, "linear_vs_relu_002_fig3_6");
    json_num_array(&j, "linear_accuracy", r->nseeds, r->linear_acc);
    json_num_array(&j, "relu_accuracy", r->nseeds, r->relu_acc);
    json_num(&j, "linear_mean", r->linear_mean);
    json_num(&j, "linear_sd", r->linear_sd);
    json_num(&j, "relu_mean", r->relu_mean);
    json_num(&j, "relu_sd", r->relu_sd);
    json_num(&j, "linear_collapse_max_error", r->linear_collapse_error);
    json_end_object(&j);
    json_begin_object(&j, "weights_003_fig28");
    json_int(&j, "iterations", r->iterations_003);
    json_num(&j, "test_accuracy", r->acc_003);
    json_num_array(&j, "distance_to_final_at_1000", 3, r->distance_at_claim);
    json_num_array(&j, "settled_fraction_at_1000", 3, r->settled_at_claim);
    json_num_array(&j, "median_settle_iteration", 3, r->median_settle);
    json_end_object(&j);
    json_begin_object(&j, "answer_003_fig25");
    json_int(&j, "test_image", r->answer_index);
    json_int(&j, "label", r->answer_label);
    json_int(&j, "network_says", r->answer_guess);
    json_end_object(&j);
    json_int(&j, "five_003_fig23_train_image", r->five_index);
    json_close(&j);
}

double ch3_seed_figures_work(const Ch3Config *c, int ntrain)
{
    /* in mlp.h's units (an image through a step of the notes' network); the
     * evaluations are small and left out */
    int n = ntrain, seeds = c->quick ? 2 : LINEAR_SEEDS, epochs003 = c->quick ? 1 : 4;
    int kfold_sizes[] = {CH3_PIXELS, KFOLD_HIDDEN, CH3_CLASSES};
    int sizes003[] = {CH3_PIXELS, 20, 20, CH3_CLASSES};
    return CH3_KFOLDS * ch3_epoch_work(2, kfold_sizes, n - n / CH3_KFOLDS, 64)
           + 2.0 * seeds * c->epochs * ch3_epoch_work(c->nlayers, c->sizes, n, c->batch)
           + epochs003 * ch3_epoch_work(3, sizes003, n, 100);
}

void section_seed_figures(const Ch3Config *c, const Mnist *train, const Mnist *test)
{
    SeedFigures r;
    memset(&r, 0, sizeof r);
    split_figures(c, train, test, &r);
    kfold_figure(c, train, &r);
    dropout_figure(c, train, &r);
    flattening_figure(c, train, &r);
    linear_figure(c, train, test, &r);
    weights_003_figure(c, train, test, &r);
    write_json(c, &r);
}
