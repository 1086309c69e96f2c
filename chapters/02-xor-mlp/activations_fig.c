/* activations_fig.c — notes §3.1 Fig 3 "Curva de la sigmoide y su derivada"
 * and the activation slides (004): every activation of the table
 * ACTIVATIONS (common/activations.h) beside its derivative, sampled on
 * [−8, 8] for the figures.
 *
 * Nothing is re-implemented here: the curves are the same functions the
 * networks use, so the picture shows exactly what the code computes, and an
 * activation added to the table gets its two columns in activaciones.csv
 * by itself (the figures draw the columns they name). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activations.h"
#include "extras.h"
#include "out.h"
#include "util.h"

#define CURVE_LO (-8.0)
#define CURVE_HI 8.0
#define CURVE_POINTS 801   /* step 0.02: z = 0 is a sample, so σ'(0) = 0.25 is drawn exactly */

/* "z,sigmoid,sigmoid_deriv,relu,relu_deriv,...": z, then each row of the
 * table as its name and name_deriv, in the table's order. */
static char *curves_header(int *ncols)
{
    size_t len = 2;
    for (const Activation *a = ACTIVATIONS; a->name; a++)
        len += 2 * strlen(a->name) + 8;
    char *header = xmalloc(len);
    strcpy(header, "z");
    *ncols = 1;
    for (const Activation *a = ACTIVATIONS; a->name; a++) {
        sprintf(header + strlen(header), ",%s,%s_deriv", a->name, a->name);
        *ncols += 2;
    }
    return header;
}

void ch2_activation_curves(const char *outdir)
{
    printf("\n== Figura 3: Curva de la sigmoide y su derivada (notas §3.1, diapositivas 004) ==\n");

    /* One row per z: each activation of the table followed by its
     * derivative. The step's derivative is 0 wherever it exists (it is
     * undefined at z = 0, where the function jumps): that is why the
     * perceptron of chapter 1 cannot be trained by gradient descent and the
     * networks of this chapter use σ. */
    int ncols;
    char *header = curves_header(&ncols);
    double *row = xmalloc((size_t)ncols * sizeof *row);
    Csv c;
    csv_open(&c, out_path(outdir, "activaciones.csv"), header);
    for (int i = 0; i < CURVE_POINTS; i++) {
        double z = CURVE_LO + (CURVE_HI - CURVE_LO) * i / (CURVE_POINTS - 1);
        int k = 0;
        row[k++] = z;
        for (const Activation *a = ACTIVATIONS; a->name; a++) {
            row[k++] = a->f(z);
            row[k++] = a->df(z);
        }
        csv_row(&c, ncols, row);
    }
    csv_close(&c);
    free(row);
    free(header);

    /* The numbers the notes build their argument on (§3.1): σ' never exceeds
     * 0.25, so every sigmoid layer the error crosses backwards shrinks it at
     * least fourfold; ReLU' is 1 on the positive side and lets it through. */
    /* (the header is spelled out: printf pads by bytes, and σ takes two) */
    printf("  z              σ(z)      σ'(z)   tanh'(z)   ReLU'(z)  leaky'(z)\n");
    const double zs[] = {-8, -2, -0.8, 0, 0.2, 2, 8};
    for (size_t i = 0; i < sizeof zs / sizeof zs[0]; i++)
        printf("  %-8g %10.7f %10.7f %10.7f %10g %10g\n", zs[i], sigmoid(zs[i]),
               sigmoid_deriv(zs[i]), tanh_deriv(zs[i]), relu_deriv(zs[i]),
               leaky_relu_deriv(zs[i]));
    printf("  máximo de σ': %.2f en z = 0; tras cinco capas sigmoides el producto de las σ' "
           "es como mucho 0.25⁵ = 1/%.0f\n",
           sigmoid_deriv(0), 1.0 / pow(0.25, 5));
}
