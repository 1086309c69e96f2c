/* comparison.c — the two files chapter 4 reads to compare its CNN with this
 * chapter's MLP (thesis 002 §5, notes §4), written from the main trained
 * network (the one whose test accuracy is the chapter's headline):
 *
 *   prueba_probabilidades.csv  indice,etiqueta,p0..p9: the softmax of every test
 *                              image, in file order (ROC and precision–recall
 *                              curves, McNemar's test)
 *   desplazamientos.csv        direccion,pixeles,exactitud: the test accuracy
 *                              with every image moved 0..4 pixels right, left,
 *                              down and up (notes §4: "if we moved an 8 a
 *                              little to the right, the network got confused")
 *
 * Chapter 4 writes the same two files for its CNN. */
#include "mlp.h"

#include <stdio.h>
#include <stdlib.h>

#include "out.h"
#include "progress.h"
#include "util.h"

/* The four directions in desplazamientos.csv's order, as (dx, dy) per pixel:
 * mnist_shifted() moves an image dx pixels right and dy pixels down. */
static const struct { const char *name; int dx, dy; } DIRECTIONS[4] = {
    {"derecha", 1, 0}, {"izquierda", -1, 0}, {"abajo", 0, 1}, {"arriba", 0, -1}};

double ch3_comparison_work(const Ch3Net *n, int ntest)
{
    /* the probabilities (one pass) and 4 × 4 shifted test sets */
    return (1 + 4 * CH3_MAX_SHIFT) * (double)ntest * CH3_EVAL_SHARE *
           ch3_image_work(n->nlayers, n->sizes);
}

/* softmax(Z_L) of every test image, through mlp.c's readable forward pass
 * and its loss (which leaves ŷ in w->a[L-1]), in batches of n->bmax. */
static void write_probabilities(const char *out, Ch3Net *n, const Mnist *test)
{
    Ch3Pass *w = &n->pass;
    const real *yhat = w->a[n->nlayers - 1];   /* ŷ (B, 10) */
    int *idx = xmalloc((size_t)n->bmax * sizeof(int));
    Csv csv;
    csv_open(&csv, out_path(out, "prueba_probabilidades.csv"),
             "indice,etiqueta,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9");
    for (int start = 0; start < test->n; start += n->bmax) {
        int B = test->n - start < n->bmax ? test->n - start : n->bmax;
        for (int i = 0; i < B; i++)
            idx[i] = start + i;
        mnist_gather(test, idx, B, w->x, w->y);
        ch3_forward(n, w, B, 0);                 /* outputs = model(images) */
        ch3_loss(n, w, B);                       /* ŷ = softmax(outputs) */
        for (int i = 0; i < B; i++) {
            const real *p = yhat + (size_t)i * CH3_CLASSES;
            csv_printf(&csv, "%d,%d", start + i, w->y[i]);
            for (int k = 0; k < CH3_CLASSES; k++)
                csv_printf(&csv, ",%.6g", (double)p[k]);
            csv_printf(&csv, "\n");
        }
    }
    csv_close(&csv);
    free(idx);
}

void ch3_files_for_chapter4(const char *out, Ch3Net *n, const Mnist *test, Ch3Comparison *r)
{
    r->ran = 1;
    printf("\n== Para el capítulo 4: probabilidades en prueba y dígitos desplazados (notas §4) ==\n");
    double image_work = CH3_EVAL_SHARE * ch3_image_work(n->nlayers, n->sizes);
    Progress p;
    progress_begin(&p, "probabilidades y desplazamientos", 1 + 4 * CH3_MAX_SHIFT,
                   test->n * image_work);
    write_probabilities(out, n, test);
    progress_update(&p, 1, NULL);

    /* Pixeles 0 is the test set moved by nothing — the plain test set, so
     * the headline's accuracy (tests/test_ch3.c checks it) — written for
     * every direction so that each direction is a whole line of the table. */
    Mnist same;
    mnist_shifted(test, 0, 0, &same);
    double unshifted = ch3_evaluate(n, &same, NULL, same.n, NULL, NULL);
    mnist_free(&same);
    long step = 1;
    for (int d = 0; d < 4; d++) {
        r->shift_accuracy[d][0] = unshifted;
        for (int k = 1; k <= CH3_MAX_SHIFT; k++) {
            Mnist moved;
            mnist_shifted(test, k * DIRECTIONS[d].dx, k * DIRECTIONS[d].dy, &moved);
            r->shift_accuracy[d][k] = ch3_evaluate(n, &moved, NULL, moved.n, NULL, NULL);
            mnist_free(&moved);
            progress_update(&p, ++step, "%s %d px", DIRECTIONS[d].name, k);
        }
    }
    progress_end(&p);

    printf("  exactitud en prueba (%%) con cada imagen movida k píxeles:\n");
    printf("  dirección ");                      /* 10 columns, as %-10s below */
    for (int k = 0; k <= CH3_MAX_SHIFT; k++)
        printf(" %6d px", k);
    printf("\n");
    Csv csv;
    csv_open(&csv, out_path(out, "desplazamientos.csv"), "direccion,pixeles,exactitud");
    for (int d = 0; d < 4; d++) {
        printf("  %-10s", DIRECTIONS[d].name);
        for (int k = 0; k <= CH3_MAX_SHIFT; k++) {
            printf(" %9.2f", 100 * r->shift_accuracy[d][k]);
            csv_printf(&csv, "%s,%d,%.6f\n", DIRECTIONS[d].name, k, r->shift_accuracy[d][k]);
        }
        printf("\n");
    }
    csv_close(&csv);
    printf("  (el capítulo 4 compara estas cifras con las de su red convolucional)\n");
}
