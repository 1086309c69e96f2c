/* pictures.c — looking at what the default network learned: the metrics of
 * thesis 002 §5.2 (confusion matrix, per-class precision, recall and F1, the
 * most frequent confusions), and the image grids — sample digits, the
 * misclassified ones, the first layer's weights as 28×28 images, and hits and
 * misses on the first 500 test images (003 Fig 27).
 *
 * An image grid is written as one composite picture in long form,
 * "x,y,value", one row per pixel, tiles of 28×28 separated by a margin of
 * value 0; plots/ch3_*.gp draw it `with image`. Its captions (labels) go to a
 * second CSV: "x,y,text". */
#include "mlp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "out.h"
#include "util.h"

#define TILE 28
#define GAP_X 4
#define GAP_Y 10   /* room for a caption above each tile */

/* Metrics ---------------------------------------------------------------------------- */

void ch3_metrics(const char *out, const Ch3Data *test, const unsigned char *pred, Json *j)
{
    printf("\n== Métricas (tesis 002 §5.2) sobre las %d imágenes de prueba ==\n", test->n);
    Confusion cm;
    confusion_init(&cm, CH3_CLASSES);
    for (int i = 0; i < test->n; i++)
        confusion_add(&cm, test->labels[i], pred[i]);
    ClassReport r;
    confusion_report(&cm, &r);
    printf("  Matriz de confusión (filas: clase real, columnas: predicha)\n");
    confusion_print(&cm, NULL);
    printf("\n");
    report_print(&r, NULL);
    ConfusionPair top[10];
    int ntop = confusion_top(&cm, top, 10);
    printf("\n  Las confusiones más frecuentes\n");
    confusion_top_print(top, ntop, NULL);

    confusion_write_csv(&cm, out_path(out, "confusion.csv"));
    report_write_csv(&r, out_path(out, "metricas_clase.csv"));
    Csv csv;
    csv_open(&csv, out_path(out, "confusiones_top.csv"), "rank,true,predicted,count");
    for (int i = 0; i < ntop; i++)
        csv_row(&csv, 4, (double[]){i + 1, top[i].truth, top[i].predicted, (double)top[i].count});
    csv_close(&csv);

    json_begin_object(j, "metrics");
    json_num(j, "accuracy", r.accuracy);
    json_num(j, "macro_precision", r.macro_precision);
    json_num(j, "macro_recall", r.macro_recall);
    json_num(j, "macro_f1", r.macro_f1);
    json_num_array(j, "f1", r.k, r.f1);
    json_begin_array(j, "top_confusions");
    for (int i = 0; i < ntop && i < 5; i++) {
        json_begin_object(j, NULL);
        json_int(j, "true", top[i].truth);
        json_int(j, "predicted", top[i].predicted);
        json_int(j, "count", top[i].count);
        json_end_object(j);
    }
    json_end_array(j);
    json_end_object(j);
}

/* Grids --------------------------------------------------------------------------------- */

/* Value of pixel k (0..783) of tile t, in the grid's units. */
typedef double (*TilePixel)(const void *ctx, int t, int k);

/* Writes `count` tiles in rows of `cols` as one picture "x,y,value" (y grows
 * downwards, as image rows do). */
static void write_grid(const char *path, int count, int cols, TilePixel px, const void *ctx)
{
    int rows = (count + cols - 1) / cols;
    int W = cols * (TILE + GAP_X) + GAP_X, H = rows * (TILE + GAP_Y) + GAP_X;
    double *img = xcalloc((size_t)W * H, sizeof(double));
    for (int t = 0; t < count; t++) {
        int x0 = GAP_X + (t % cols) * (TILE + GAP_X), y0 = GAP_Y + (t / cols) * (TILE + GAP_Y);
        for (int k = 0; k < TILE * TILE; k++)
            img[(size_t)(y0 + k / TILE) * W + x0 + k % TILE] = px(ctx, t, k);
    }
    Csv csv;
    csv_open(&csv, path, "x,y,value");
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            csv_row(&csv, 3, (double[]){x, y, img[(size_t)y * W + x]});
    csv_close(&csv);
    free(img);
}

/* The caption position of tile t: centred, in the margin above it. */
static void caption_xy(int t, int cols, double *x, double *y)
{
    *x = GAP_X + (t % cols) * (TILE + GAP_X) + TILE / 2.0;
    *y = GAP_Y + (t / cols) * (TILE + GAP_Y) - GAP_Y / 2.0;
}

typedef struct {
    const Ch3Data *d;
    const int *idx;
} ImageTiles;

static double image_pixel(const void *ctx, int t, int k)
{
    const ImageTiles *it = ctx;
    return it->d->pixels[(size_t)it->idx[t] * CH3_PIXELS + k] / 255.0;
}

typedef struct {
    const Ch3Net *n;
    double scale[128];
} WeightTiles;

static double weight_pixel(const void *ctx, int t, int k)
{
    const WeightTiles *wt = ctx;
    /* row t of W1 (128, 784) is what neuron t looks for in the image,
     * scaled to [−1, 1] by its own largest |w| so every tile uses the
     * whole colour range. */
    return wt->n->W[0][(size_t)t * CH3_PIXELS + k] / wt->scale[t];
}

/* notes §3.1: a ReLU neuron whose Z ≤ 0 for every image passes no gradient
 * and keeps its initial weights — it has "died". Counted on the test set. */
static int dead_neurons(Ch3Net *n, const Ch3Data *d)
{
    int H = n->sizes[1], dead = 0;
    char *alive = xcalloc((size_t)H, 1);
    int *idx = xmalloc((size_t)n->bmax * sizeof(int));
    for (int start = 0; start < d->n; start += n->bmax) {
        int B = d->n - start < n->bmax ? d->n - start : n->bmax;
        for (int i = 0; i < B; i++)
            idx[i] = start + i;
        ch3_gather(n->x, n->y, d, idx, B);
        ch3_forward(n, n->x, n->y, B, 0, NULL);
        for (int i = 0; i < B; i++)
            for (int h = 0; h < H; h++)
                alive[h] |= n->z[0][(size_t)i * H + h] > 0;
    }
    for (int h = 0; h < H; h++)
        dead += !alive[h];
    free(alive);
    free(idx);
    return dead;
}

void ch3_pictures(const char *out, Ch3Net *n, const Ch3Data *train, const Ch3Data *test,
                  const unsigned char *pred, Json *j)
{
    printf("\n== Imágenes: muestras, errores, pesos de la primera capa, aciertos ==\n");
    enum { COLS = 8, SAMPLES = 32 };

    /* (1) the first 32 training images with their labels (notes §3). */
    int idx[SAMPLES];
    int ns = train->n < SAMPLES ? train->n : SAMPLES;
    for (int i = 0; i < ns; i++)
        idx[i] = i;
    ImageTiles it = {train, idx};
    write_grid(out_path(out, "muestras.csv"), ns, COLS, image_pixel, &it);
    Csv csv;
    csv_open(&csv, out_path(out, "muestras_etiquetas.csv"), "x,y,label");
    for (int i = 0; i < ns; i++) {
        double x, y;
        caption_xy(i, COLS, &x, &y);
        csv_row(&csv, 3, (double[]){x, y, train->labels[i]});
    }
    csv_close(&csv);

    /* (2) the first 32 misclassified test images, "real → predicha". */
    int wrong[SAMPLES], nw = 0, total_wrong = 0;
    for (int i = 0; i < test->n; i++)
        if (pred[i] != test->labels[i]) {
            if (nw < SAMPLES)
                wrong[nw++] = i;
            total_wrong++;
        }
    printf("  %d imágenes de prueba mal clasificadas; las %d primeras en errores.csv\n",
           total_wrong, nw);
    ImageTiles wt_img = {test, wrong};
    write_grid(out_path(out, "errores.csv"), nw, COLS, image_pixel, &wt_img);
    csv_open(&csv, out_path(out, "errores_etiquetas.csv"), "x,y,true,predicted,index");
    for (int i = 0; i < nw; i++) {
        double x, y;
        caption_xy(i, COLS, &x, &y);
        csv_row(&csv, 5, (double[]){x, y, test->labels[wrong[i]], pred[wrong[i]], wrong[i]});
    }
    csv_close(&csv);

    /* (3) the first 32 of the 128 neurons of layer 1, as 28×28 images. */
    WeightTiles wt = {n, {0}};
    int nn = n->sizes[1] < SAMPLES ? n->sizes[1] : SAMPLES;
    for (int t = 0; t < nn; t++) {
        double m = 1e-12;
        for (int k = 0; k < CH3_PIXELS; k++)
            m = fmax(m, fabs(n->W[0][(size_t)t * CH3_PIXELS + k]));
        wt.scale[t] = m;
    }
    write_grid(out_path(out, "pesos_capa1.csv"), nn, COLS, weight_pixel, &wt);
    int dead = dead_neurons(n, test);
    printf("  neuronas de la capa 1 que no se activan con ninguna imagen de prueba "
           "(«muertas», §3.1): %d de %d\n", dead, n->sizes[1]);

    /* (4) 003 Fig 27 for our network: hits and misses on the first 500. */
    int m = test->n < 500 ? test->n : 500, hits = 0;
    csv_open(&csv, out_path(out, "aciertos_500.csv"), "index,row,col,hit,label,pred");
    for (int i = 0; i < m; i++) {
        int hit = pred[i] == test->labels[i];
        hits += hit;
        csv_row(&csv, 6, (double[]){i, i / 25, i % 25, hit, test->labels[i], pred[i]});
    }
    csv_close(&csv);
    printf("  primeras %d imágenes de prueba: %d aciertos, %d errores\n", m, hits, m - hits);
    json_begin_object(j, "pictures");
    json_int(j, "misclassified", total_wrong);
    json_int(j, "dead_first_layer_neurons", dead);
    json_int(j, "first500_hits", hits);
    json_int(j, "first500_misses", m - hits);
    json_end_object(j);
}
