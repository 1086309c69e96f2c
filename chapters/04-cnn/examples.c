/* examples.c — the worked examples of notes §4.1 and 002 §3 (see examples.h). */
#include "examples.h"
#include "conv.h"
#include "out.h"
#include "plotdata.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ========================================================================= */
/* What the sections compute                                                  */
/* ========================================================================= */
double ch4_fig4_response(const double patch[9], const double filter[9])
{
    /* One 3×3 window, one filter, no padding: a 1×1 feature map. */
    ConvGeom g = conv_geom(1, 1, 3, 3, 1, 3, 1, 0);
    real x[9], W[9], b[1] = {0}, y[1];
    for (int i = 0; i < 9; i++) {
        x[i] = (real)patch[i];
        W[i] = (real)filter[i];
    }
    conv2d_forward(y, x, W, b, &g);
    return y[0];
}

int ch4_conv1d(double *out, const double *f, int nf, const double *g, int ng, int flip)
{
    int n = nf - ng + 1;
    for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < ng; j++)
            s += f[i + j] * g[flip ? ng - 1 - j : j];
        out[i] = s;
    }
    return n;
}

const double CH4_SOBEL_X[9] = {-1, 0, 1, -2, 0, 2, -1, 0, 1};
const double CH4_SOBEL_Y[9] = {-1, -2, -1, 0, 0, 0, 1, 2, 1};

void ch4_filter3x3(double *out, const double *img, int h, int w, const double *filter)
{
    /* The network's own convolution, with one input channel, one filter and
     * padding 1 so the size stays. */
    ConvGeom g = conv_geom(1, 1, h, w, 1, 3, 1, 1);
    real *x = xcalloc((size_t)h * w, sizeof(real)), *y = xcalloc((size_t)h * w, sizeof(real));
    real W[9], b[1] = {0};
    for (int i = 0; i < h * w; i++)
        x[i] = (real)img[i];
    for (int i = 0; i < 9; i++)
        W[i] = (real)filter[i];
    conv2d_forward(y, x, W, b, &g);
    for (int i = 0; i < h * w; i++)
        out[i] = y[i];
    free(x);
    free(y);
}

/* ========================================================================= */
/* §4.1 Fig 4: a filter with negatives on the left, positives on the right    */
/* ========================================================================= */
void example_fig4_edge_filter(const char *out)
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
    /* panel,row,col,value: panel 0 the filter, 1 the flat patch, 2 the edge patch */
    Csv c;
    csv_open(&c, out_path(out, "fig4_parches.csv"), "panel,row,col,value");
    const double *panels[3] = {filter, flat, edge};
    for (int p = 0; p < 3; p++)
        for (int i = 0; i < 9; i++)
            csv_row(&c, 4, (double[]){p, i / 3, i % 3, panels[p][i]});
    csv_close(&c);
    /* the notes' arithmetic, column by column: Σ over the rows of filter × patch */
    csv_open(&c, out_path(out, "fig4_columnas.csv"), "panel,col,product");
    for (int p = 0; p < 2; p++)
        for (int col = 0; col < 3; col++) {
            double sum = 0;
            for (int r = 0; r < 3; r++)
                sum += filter[r * 3 + col] * patches[p][r * 3 + col];
            csv_row(&c, 3, (double[]){p + 1, col, sum == 0 ? 0 : sum}); /* no "-0" */
        }
    csv_close(&c);
    csv_open(&c, out_path(out, "fig4_respuestas.csv"), "panel,response");
    csv_row(&c, 2, (double[]){1, resp[0]});
    csv_row(&c, 2, (double[]){2, resp[1]});
    csv_close(&c);
}

/* ========================================================================= */
/* 002 Fig 3.3: f = [0,0,1,1,0,0] with the edge detector g = [−1,0,1]         */
/* ========================================================================= */
void example_conv1d(const char *out)
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

/* ========================================================================= */
/* 002 Fig 3.4: Sobel along x and along y on a digit                          */
/* ========================================================================= */
/* One 28 × 28 picture, as a grid of one tile with no margin. */
static void write_picture(const char *path, const double *img)
{
    real tile[784];
    for (int i = 0; i < 784; i++)
        tile[i] = (real)img[i];
    ImageGrid g;
    grid_init(&g, 1, 1, 28, 28, 0, 0);
    grid_put(&g, 0, tile, 1);
    grid_write(&g, path);
}

void example_sobel(const char *out, const Mnist *m, int index)
{
    printf("\n== 002 §3: filtros de Sobel sobre un dígito (un %d de prueba) ==\n",
           m->labels[index]);
    double img[784], gx[784], gy[784];
    for (int i = 0; i < 784; i++)
        img[i] = m->pixels[(size_t)index * 784 + i] / 255.0;
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
    write_picture(out_path(out, "sobel_digito.csv"), img);
    write_picture(out_path(out, "sobel_gx.csv"), gx);
    write_picture(out_path(out, "sobel_gy.csv"), gy);
}

/* ========================================================================= */
/* 002 Figs 3.7–3.9: max pooling 2×2; average pooling, stride 1 and 2,        */
/* padding 1; the size rule                                                   */
/* ========================================================================= */
static void pool_panel(const char *out, const char *name, const real *x, int n, int k, int s,
                       int p, int is_max)
{
    PoolGeom g = pool_geom(1, n, n, k, s, p);
    real y[64];
    if (g.ho * g.wo > 64)
        die("pool_panel: %dx%d outputs", g.ho, g.wo);
    if (is_max)
        maxpool_forward(y, x, &g);
    else
        avgpool_forward(y, x, &g);
    printf("  %-24s k=%d s=%d p=%d: floor((%d + 2·%d − %d)/%d) + 1 = %d →", name, k, s, p, n, p,
           k, s, g.ho);
    for (int i = 0; i < g.ho * g.wo; i++)
        printf(" %g", (double)y[i]);
    printf("\n");
    Csv c;
    char file[64];
    snprintf(file, sizeof file, "pool_%s.csv", name);
    csv_open(&c, out_path(out, file), "row,col,value");
    for (int i = 0; i < g.ho; i++)
        for (int j = 0; j < g.wo; j++)
            csv_row(&c, 3, (double[]){i, j, y[i * g.wo + j]});
    csv_close(&c);
}

void example_pooling(const char *out)
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
