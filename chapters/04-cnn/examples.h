/* examples.h — the worked examples of notes §4.1 and thesis 002 §3: what one
 * filter does (Fig 4), a 1-D convolution, Sobel on a digit, max and average
 * pooling and the size rule. All of them are the plain loops of conv.h —
 * the very layers the network is made of.
 *
 * The example_... entry points print the notebook's lines and write their
 * CSVs into `out` (main.c calls them in the order of the notes); the
 * functions above them are what they compute, for the tests. */
#ifndef CH4_EXAMPLES_H
#define CH4_EXAMPLES_H

#include "mnist.h"

/* Notes Fig 4: the response of one 3×3 filter on one 3×3 patch (§4.1's
 * steps 1–4: place, multiply, add, one pixel). */
double ch4_fig4_response(const double patch[9], const double filter[9]);

/* 002 Fig 3.3, 1-D: out[i] = Σ_j f[i + j]·g[j] (cross-correlation, what CNN
 * layers compute) or, with flip, Σ_j f[i + j]·g[ng − 1 − j] (the textbook
 * convolution: the filter reversed). "Valid": returns nf − ng + 1 outputs. */
int ch4_conv1d(double *out, const double *f, int nf, const double *g, int ng, int flip);

/* Sobel filters (002 Fig 3.4). CH4_SOBEL_X differentiates along x (left to
 * right), so it lights up where brightness changes from column to column:
 * VERTICAL edges. CH4_SOBEL_Y differentiates along y: horizontal edges. */
extern const double CH4_SOBEL_X[9], CH4_SOBEL_Y[9];
/* One 3×3 filter over an h × w image with padding 1 (the same size out). */
void ch4_filter3x3(double *out, const double *img, int h, int w, const double *filter);

/* --- the sections ---------------------------------------------------------- */
void example_fig4_edge_filter(const char *out);     /* fig4_parches.csv, fig4_respuestas.csv */
void example_conv1d(const char *out);               /* conv1d_f.csv, conv1d_g.csv, conv1d_salida.csv */
void example_sobel(const char *out, const Mnist *m, int index); /* sobel_{digito,gx,gy}.csv */
void example_pooling(const char *out);              /* pool_entrada.csv, pool_{max,media_*}.csv */

#endif
