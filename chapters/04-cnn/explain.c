/* explain.c — filters, feature maps, saliency and Grad-CAM (see explain.h). */
#include "explain.h"
#include "conv.h"
#include "out.h"
#include "plotdata.h"
#include "progress.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ========================================================================= */
/* Saliency and Grad-CAM (002 §4.2)                                           */
/* ========================================================================= */
/* Forward one image, then backward from ∂S_c/∂logits: S_c is the score of
 * class c, so that gradient is the one-hot e_c. */
static void backward_from_score(CnnNet *net, CnnActs *a, int c, real *dx)
{
    cnn_forward(net, a, 1, NULL);
    memset(a->d_logits, 0, sizeof(real) * 10);
    a->d_logits[c] = 1;
    params_zero_grads(&net->p);
    cnn_backward(net, a, 1, NULL, dx);
}

void cnn_saliency(CnnNet *net, CnnActs *a, int c, real *sal, real *grad)
{
    real dx[784] = {0};
    backward_from_score(net, a, c, dx);
    for (int i = 0; i < 784; i++) {
        sal[i] = (real)fabs((double)dx[i]); /* M = |∂S_c/∂I| (002 eq. 4.1) */
        if (grad)
            grad[i] = dx[i];
    }
}

/* Grad-CAM on what the classifier reads. conv2's maps are 11 × 11, but
 * fc1 sees only pool2's 5 × 5 output P: pool2 (2 × 2, stride 2) reads rows
 * and columns 0..9 of conv2 and drops row and column 10, and of each 2 × 2
 * window it passes on one value, the maximum. The class score S_c therefore
 * has zero gradient on row and column 10 and on every value a window did not
 * pick. Grad-CAM on conv2's whole map (as this chapter first did) weighs
 * those values too: its hottest cell for some digits sat on row 10, where
 * nothing the classifier does can depend on it. So:
 *   α_k = mean over P's 25 cells of ∂S_c/∂P_k (how much map k speaks for c),
 *   each term α_k·P_k(i, j) placed on the conv2 cell pool2 took P_k(i, j)
 *   from (its "switch": where maxpool_backward sends the gradient),
 *   cam = ReLU(the sum at each conv2 cell).
 * Summed over a window the terms are the textbook Grad-CAM on P, Σ_k α_k
 * P_k(i, j); placing them on their cells keeps the map at conv2's finer
 * resolution and puts no heat where S_c has zero gradient (a test checks
 * it against the readable network's ∂S_c/∂A). */
double cnn_gradcam(CnnNet *net, CnnActs *a, int c, real *cam11, real *cam28)
{
    enum { S = CNN_S2, Q = CNN_Q2, K = CNN_C2 };
    backward_from_score(net, a, c, NULL);
    /* the switches: 1 on the conv2 cell each pool2 output was read from */
    real ones[K * Q * Q], sw[K * S * S];
    for (int i = 0; i < K * Q * Q; i++)
        ones[i] = 1;
    memset(sw, 0, sizeof sw);
    PoolGeom pool2 = pool_geom(K, S, S, 2, 2, 0);
    maxpool_backward(sw, ones, a->a2, &pool2);
    double sum[S * S] = {0};
    for (int k = 0; k < K; k++) {
        /* α_k: how much pool2's map k matters for class c, on average */
        double alpha = 0;
        for (int i = 0; i < Q * Q; i++)
            alpha += a->d_p2[k * Q * Q + i];
        alpha /= Q * Q;
        for (int i = 0; i < S * S; i++)
            if (sw[k * S * S + i] != 0) /* here A_k = the P_k pool2 passed on */
                sum[i] += alpha * a->a2[k * S * S + i];
    }
    /* only what speaks FOR class c; the largest sum says how much did */
    double peak = -INFINITY;
    for (int i = 0; i < S * S; i++) {
        int read = (i / S) < 2 * Q && (i % S) < 2 * Q;
        if (read && sum[i] > peak)
            peak = sum[i];
        cam11[i] = (real)(sum[i] > 0 ? sum[i] : 0);
    }
    /* Stretch to the image: conv2's output q sits over input pixel 2q + 3.5. */
    for (int r = 0; r < 28; r++)
        for (int col = 0; col < 28; col++) {
            double qy = (r - 3.5) / 2, qx = (col - 3.5) / 2;
            qy = qy < 0 ? 0 : qy > S - 1 ? S - 1 : qy;
            qx = qx < 0 ? 0 : qx > S - 1 ? S - 1 : qx;
            int y0 = (int)qy, x0 = (int)qx;
            int y1 = y0 + 1 < S ? y0 + 1 : y0, x1 = x0 + 1 < S ? x0 + 1 : x0;
            double fy = qy - y0, fx = qx - x0;
            cam28[r * 28 + col] =
                (real)((1 - fy) * ((1 - fx) * cam11[y0 * S + x0] + fx * cam11[y0 * S + x1]) +
                       fy * ((1 - fx) * cam11[y1 * S + x0] + fx * cam11[y1 * S + x1]));
        }
    return peak;
}

/* ========================================================================= */
/* The sections                                                               */
/* ========================================================================= */
void explain_filters(const CnnNet *net, const char *out)
{
    printf("\n== 002 §3.3.1: los 32 filtros aprendidos por conv1 ==\n");
    Csv c;
    csv_open(&c, out_path(out, "filtros_conv1.csv"), "filter,row,col,weight");
    for (int f = 0; f < 32; f++)
        for (int i = 0; i < 9; i++)
            csv_row(&c, 4, (double[]){f, i / 3, i % 3, net->conv1.weight[f * 9 + i]});
    csv_close(&c);
}

/* `count` maps of side s, one after the other, as a grid 8 wide, each map
 * scaled by its own maximum (so faint maps still show their shape). */
static void write_maps(const char *path, const real *maps, int count, int s)
{
    ImageGrid g;
    grid_init(&g, count, 8, s, s, 1, 0);
    for (int k = 0; k < count; k++) {
        const real *map = maps + (size_t)k * s * s;
        double mx = 0;
        for (int i = 0; i < s * s; i++)
            mx = map[i] > mx ? map[i] : mx;
        grid_put(&g, k, map, mx > 0 ? 1 / mx : 0);
    }
    grid_write(&g, path);
}

void explain_feature_maps(const CnnNet *net, const Mnist *m, int index, const char *out)
{
    printf("\n== 002 §3.3.1, §4.1: mapas de características de un dígito (un %d) ==\n",
           m->labels[index]);
    CnnActs a;
    cnn_acts_init(&a, 1);
    mnist_gather(m, &index, 1, a.x, NULL);
    cnn_forward(net, &a, 1, NULL);
    printf("  conv1+ReLU 32 x 26 x 26, pool1 32 x 13 x 13, conv2+ReLU 64 x 11 x 11, pool2 64 x 5 x 5\n");
    write_maps(out_path(out, "mapas_conv1.csv"), a.a1, 32, 26);
    write_maps(out_path(out, "mapas_pool1.csv"), a.p1, 32, 13);
    write_maps(out_path(out, "mapas_conv2.csv"), a.a2, 64, 11);
    write_maps(out_path(out, "mapas_pool2.csv"), a.p2, 64, 5);
    write_maps(out_path(out, "mapas_entrada.csv"), a.x, 1, 28);
    cnn_acts_free(&a);
}

/* Thesis 002 Fig 4.1: "the feature map obtained by passing kernel K2 of a
 * convolutional layer over an input image" — here conv1's learned filter 2
 * (the K2 of the figure's caption; the filter grid numbers them the same)
 * over test image `index`: the image, the 3 × 3 kernel, conv1's output for
 * that filter (bias included, before the ReLU) and after F.relu. */
void explain_kernel_map(const CnnNet *net, const Mnist *m, int index, int kernel, const char *out)
{
    enum { S = CNN_SIDE, S1 = CNN_S1 };
    CnnActs a;
    cnn_acts_init(&a, 1);
    mnist_gather(m, &index, 1, a.x, NULL);
    cnn_forward(net, &a, 1, NULL);
    const real *w = net->conv1.weight + kernel * 9, *z = a.z1 + (size_t)kernel * S1 * S1,
               *r = a.a1 + (size_t)kernel * S1 * S1;
    double zmin = z[0], zmax = z[0];
    for (int i = 0; i < S1 * S1; i++) {
        zmin = z[i] < zmin ? z[i] : zmin;
        zmax = z[i] > zmax ? z[i] : zmax;
    }
    printf("\n== 002 Figura 4.1: el mapa de características del filtro K%d de conv1 sobre un %d ==\n",
           kernel, m->labels[index]);
    printf("  K%d = [%6.3f %6.3f %6.3f; %6.3f %6.3f %6.3f; %6.3f %6.3f %6.3f], sesgo %.3f\n",
           kernel, w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8],
           net->conv1.bias[kernel]);
    printf("  conv1(x) de 26 x 26 entre %.3f y %.3f; la ReLU deja la parte positiva\n", zmin, zmax);
    Csv c;
    csv_open(&c, out_path(out, "mapa_kernel.csv"), "panel,row,col,value");
    for (int i = 0; i < S * S; i++)
        csv_row(&c, 4, (double[]){0, i / S, i % S, a.x[i]});
    for (int i = 0; i < 9; i++)
        csv_row(&c, 4, (double[]){1, i / 3, i % 3, w[i]});
    for (int i = 0; i < S1 * S1; i++)
        csv_row(&c, 4, (double[]){2, i / S1, i % S1, z[i]});
    for (int i = 0; i < S1 * S1; i++)
        csv_row(&c, 4, (double[]){3, i / S1, i % S1, r[i]});
    csv_close(&c);
    csv_open(&c, out_path(out, "mapa_kernel_info.csv"), "kernel,bias,index,label,z_min,z_max");
    csv_row(&c, 6, (double[]){kernel, net->conv1.bias[kernel], index, m->labels[index], zmin,
                              zmax});
    csv_close(&c);
    cnn_acts_free(&a);
}

void explain_saliency_gradcam(CnnNet *net, const Mnist *m, const unsigned char *pred,
                              const char *out, double explain_work_per_digit)
{
    printf("\n== 002 §4.2: mapas de saliencia |dS_c/dI| y Grad-CAM ==\n");
    CnnActs a;
    cnn_acts_init(&a, 1);
    /* the ten digits side by side, 2 pixels apart; each map scaled to its maximum */
    ImageGrid digits, sal, cam;
    grid_init(&digits, 10, 10, 28, 28, 2, 0);
    grid_init(&sal, 10, 10, 28, 28, 2, 0);
    grid_init(&cam, 10, 10, 28, 28, 2, 0);
    Progress pr;
    progress_begin(&pr, "Saliencia y Grad-CAM", 10, explain_work_per_digit);
    Csv c;
    /* per digit: its maps' largest values (each map is drawn scaled to its
     * own maximum) and Grad-CAM's largest weighted sum before the ReLU */
    csv_open(&c, out_path(out, "saliencia_clases.csv"),
             "class,index,x_center,probability,saliency_max,gradcam_max,gradcam_peak_sum");
    for (int cls = 0; cls < 10; cls++) {
        int idx = -1; /* the first test digit of this class the network gets right */
        for (int i = 0; i < m->n && idx < 0; i++)
            if (m->labels[i] == cls && pred[i] == cls)
                idx = i;
        if (idx < 0)
            continue;
        real s[784], c11[121], c28[784];
        mnist_gather(m, &idx, 1, a.x, NULL);
        cnn_saliency(net, &a, cls, s, NULL);
        double p = exp(a.logp[cls]); /* the forward pass just run: F.log_softmax */
        double peak = cnn_gradcam(net, &a, cls, c11, c28);
        double smax = 0, cmax = 0;
        for (int i = 0; i < 784; i++) {
            smax = s[i] > smax ? s[i] : smax;
            cmax = c28[i] > cmax ? c28[i] : cmax;
        }
        grid_put(&digits, cls, a.x, 1);
        grid_put(&sal, cls, s, smax > 0 ? 1 / smax : 0);
        grid_put(&cam, cls, c28, cmax > 0 ? 1 / cmax : 0);
        double x, y;
        grid_caption_xy(&digits, cls, &x, &y);
        double c11max = 0;
        for (int i = 0; i < 121; i++)
            c11max = c11[i] > c11max ? c11[i] : c11max;
        csv_row(&c, 7, (double[]){cls, idx, x, p, smax, c11max, peak});
        printf("  clase %d: imagen %5d de prueba, P = %.4f; saliencia máx %.3g; Grad-CAM máx %.3g",
               cls, idx, p, smax, c11max);
        if (peak <= 0)
            printf(" — VACÍO: la suma ponderada Σ α_k·P_k es negativa en todo el mapa (su máximo,\n"
                   "           %.3g, lo anula la ReLU): ninguna celda de pool2 habla a favor del %d;\n"
                   "           la decisión viene de lo que fc1 hace con mapas que, en promedio,\n"
                   "           restan puntuación (α_k < 0)", peak, cls);
        printf("\n");
        progress_update(&pr, cls + 1, NULL);
    }
    csv_close(&c);
    progress_end(&pr);
    printf("  (cada mapa escalado a su máximo; Grad-CAM sobre la salida de pool2, lo que lee fc1)\n");
    grid_write(&digits, out_path(out, "saliencia_digitos.csv"));
    grid_write(&sal, out_path(out, "saliencia.csv"));
    grid_write(&cam, out_path(out, "gradcam.csv"));
    cnn_acts_free(&a);
}
