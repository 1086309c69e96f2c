/* pictures.c — looking at what the default network learned: the metrics of
 * thesis 002 §5.2 (confusion matrix, per-class precision, recall and F1, the
 * most frequent confusions), and the image grids — sample digits, the
 * misclassified ones, the first layer's weights as 28×28 images, and hits and
 * misses on the first 500 test images (003 Fig 27).
 *
 * An image grid is one picture in long form, "x,y,value,inside", written by
 * common/plotdata.h's ImageGrid: tiles of 28×28 in rows of 8, 4 pixels apart,
 * with a band of 6 rows above each tile for its caption; plots/ch3_*.gp draw
 * it `with image`. The captions (labels) go to a second CSV, "x,y,...". */
#include "mlp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "plotdata.h"
#include "util.h"

#define TILES 32        /* tiles per grid */
#define PER_ROW 8
#define GAP 4           /* pixels between tiles */
#define CAPTION 6       /* rows above each tile for its caption */

/* Metrics ---------------------------------------------------------------------------- */

void ch3_metrics(const char *out, const Mnist *test, const unsigned char *pred, Ch3Metrics *r)
{
    memset(r, 0, sizeof *r);
    r->ran = 1;
    printf("\n== Métricas (tesis 002 §5.2) sobre las %d imágenes de prueba ==\n", test->n);
    Confusion cm;
    confusion_init(&cm, CH3_CLASSES);
    for (int i = 0; i < test->n; i++)
        confusion_add(&cm, test->labels[i], pred[i]);
    confusion_report(&cm, &r->report);
    printf("  Matriz de confusión (filas: clase real, columnas: predicha)\n");
    confusion_print(&cm, NULL);
    printf("\n");
    report_print(&r->report, NULL);
    ConfusionPair top[10];
    int ntop = confusion_top(&cm, top, 10);
    printf("\n  Las confusiones más frecuentes\n");
    confusion_top_print(top, ntop, NULL);

    confusion_write_csv(&cm, out_path(out, "confusion.csv"));
    report_write_csv(&r->report, out_path(out, "metricas_clase.csv"));
    Csv csv;
    csv_open(&csv, out_path(out, "confusiones_top.csv"), "rank,true,predicted,count");
    for (int i = 0; i < ntop; i++)
        csv_row(&csv, 4, (double[]){i + 1, top[i].truth, top[i].predicted, (double)top[i].count});
    csv_close(&csv);
    r->ntop = ntop < 5 ? ntop : 5;   /* summary.json keeps the first five */
    memcpy(r->top, top, (size_t)r->ntop * sizeof *top);
}

/* Grids --------------------------------------------------------------------------------- */

/* The images idx[0..count-1] of d as one grid, pixel/255 (as the network
 * reads them: mnist_gather), into `path`. */
static void write_digits(const char *path, const Mnist *d, const int *idx, int count)
{
    real *x = xmalloc((size_t)(count > 0 ? count : 1) * CH3_PIXELS * sizeof(real));
    mnist_gather(d, idx, count, x, NULL);
    ImageGrid g;
    grid_init(&g, count, PER_ROW, 28, 28, GAP, CAPTION);
    for (int t = 0; t < count; t++)
        grid_put(&g, t, x + (size_t)t * CH3_PIXELS, 1.0);
    grid_write(&g, path);
    free(x);
}

/* notes §3.1: a ReLU neuron whose Z ≤ 0 for every image passes no gradient
 * and keeps its initial weights — it has "died". Counted on the test set,
 * with mlp.c's forward pass; alive[h] (sizes[1] entries) says which. */
static int dead_neurons(Ch3Net *n, const Mnist *d, char *alive)
{
    int H = n->sizes[1], dead = 0;
    int *idx = xmalloc((size_t)n->bmax * sizeof(int));
    for (int start = 0; start < d->n; start += n->bmax) {
        int B = d->n - start < n->bmax ? d->n - start : n->bmax;
        for (int i = 0; i < B; i++)
            idx[i] = start + i;
        mnist_gather(d, idx, B, n->pass.x, n->pass.y);
        ch3_forward(n, &n->pass, B, 0);
        for (int i = 0; i < B; i++)
            for (int h = 0; h < H; h++)
                alive[h] |= n->pass.z[0][(size_t)i * H + h] > 0;   /* Z1 (B, 128) */
    }
    for (int h = 0; h < H; h++)
        dead += !alive[h];
    free(idx);
    return dead;
}

void ch3_pictures(const char *out, Ch3Net *n, const Mnist *train, const Mnist *test,
                  const unsigned char *pred, Ch3Pictures *r)
{
    memset(r, 0, sizeof *r);
    r->ran = 1;
    printf("\n== Imágenes: muestras, errores, pesos de la primera capa, aciertos ==\n");
    ImageGrid g;
    Csv csv;
    double x, y;

    /* (1) the first 32 training images with their labels (notes §3). */
    int idx[TILES];
    int ns = train->n < TILES ? train->n : TILES;
    for (int i = 0; i < ns; i++)
        idx[i] = i;
    write_digits(out_path(out, "muestras.csv"), train, idx, ns);
    grid_init(&g, ns, PER_ROW, 28, 28, GAP, CAPTION);   /* (for the captions' places) */
    csv_open(&csv, out_path(out, "muestras_etiquetas.csv"), "x,y,label");
    for (int i = 0; i < ns; i++) {
        grid_caption_xy(&g, i, &x, &y);
        csv_row(&csv, 3, (double[]){x, y, train->labels[i]});
    }
    csv_close(&csv);
    grid_free(&g);

    /* (2) the first 32 misclassified test images, "real → predicha". */
    int wrong[TILES], nw = 0;
    for (int i = 0; i < test->n; i++)
        if (pred[i] != test->labels[i]) {
            if (nw < TILES)
                wrong[nw++] = i;
            r->misclassified++;
        }
    printf("  %d imágenes de prueba mal clasificadas; las %d primeras en errores.csv\n",
           r->misclassified, nw);
    write_digits(out_path(out, "errores.csv"), test, wrong, nw);
    grid_init(&g, nw, PER_ROW, 28, 28, GAP, CAPTION);
    csv_open(&csv, out_path(out, "errores_etiquetas.csv"), "x,y,true,predicted,index");
    for (int i = 0; i < nw; i++) {
        grid_caption_xy(&g, i, &x, &y);
        csv_row(&csv, 5, (double[]){x, y, test->labels[wrong[i]], pred[wrong[i]], wrong[i]});
    }
    csv_close(&csv);
    grid_free(&g);

    /* (3) the first 32 of the 128 neurons of layer 1, as 28×28 images: row t
     * of W1 (128, 784) is what neuron t looks for in the image, scaled to
     * [−1, 1] by its own largest |w| so that every tile uses the whole
     * colour range. pesos_capa1_neuronas.csv says, per tile, that largest
     * |w| (the colour bar's ±1) and whether the neuron is dead. */
    char *alive = xcalloc((size_t)n->sizes[1], 1);
    r->dead_first_layer_neurons = dead_neurons(n, test, alive);
    int nn = n->sizes[1] < TILES ? n->sizes[1] : TILES;
    grid_init(&g, nn, PER_ROW, 28, 28, GAP, CAPTION);   /* (the same layout as the digits) */
    csv_open(&csv, out_path(out, "pesos_capa1_neuronas.csv"),
             "x,y,tile_x,tile_y,neuron,dead,max_abs");
    for (int t = 0; t < nn; t++) {
        const real *w = n->W[0] + (size_t)t * CH3_PIXELS;
        double m = 1e-12;
        for (int k = 0; k < CH3_PIXELS; k++)
            m = fmax(m, fabs(w[k]));
        grid_put(&g, t, w, 1.0 / m);
        grid_caption_xy(&g, t, &x, &y);
        /* the tile's centre: 28 rows below the caption band's middle */
        csv_row(&csv, 7, (double[]){x, y, x, y + (CAPTION + 1) / 2.0 + 13.5, t + 1, !alive[t],
                                    m});
    }
    csv_close(&csv);
    grid_write(&g, out_path(out, "pesos_capa1.csv"));
    free(alive);
    printf("  neuronas de la capa 1 que no se activan con ninguna imagen de prueba "
           "(«muertas», §3.1): %d de %d\n", r->dead_first_layer_neurons, n->sizes[1]);

    /* (4) 003 Fig 27 for our network: hits and misses on the first 500. */
    int m = test->n < 500 ? test->n : 500;
    csv_open(&csv, out_path(out, "aciertos_500.csv"), "index,row,col,hit,label,pred");
    for (int i = 0; i < m; i++) {
        int hit = pred[i] == test->labels[i];
        r->first500_hits += hit;
        csv_row(&csv, 6, (double[]){i, i / 25, i % 25, hit, test->labels[i], pred[i]});
    }
    r->first500_misses = m - r->first500_hits;
    printf("  primeras %d imágenes de prueba: %d aciertos, %d errores\n", m, r->first500_hits,
           r->first500_misses);
    csv_close(&csv);
}
