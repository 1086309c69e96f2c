/* explain.c — filters, feature maps, saliency and Grad-CAM (see explain.h). */
#include "explain.h"
#include "out.h"
#include "plotdata.h"
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

void cnn_gradcam(CnnNet *net, CnnActs *a, int c, real *cam11, real *cam28)
{
    enum { S = 11 };
    backward_from_score(net, a, c, NULL);
    /* A = a->a2, conv2's ReLU output (64, 11, 11); ∂S_c/∂A = a->d_a2 */
    for (int i = 0; i < S * S; i++)
        cam11[i] = 0;
    for (int k = 0; k < 64; k++) {
        /* α_k: how much feature map k matters for class c, on average */
        double alpha = 0;
        for (int i = 0; i < S * S; i++)
            alpha += a->d_a2[k * S * S + i];
        alpha /= S * S;
        for (int i = 0; i < S * S; i++)
            cam11[i] += (real)(alpha * a->a2[k * S * S + i]);
    }
    for (int i = 0; i < S * S; i++)
        cam11[i] = cam11[i] > 0 ? cam11[i] : 0; /* only what speaks FOR class c */
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

void explain_saliency_gradcam(CnnNet *net, const Mnist *m, const unsigned char *pred,
                              const char *out)
{
    printf("\n== 002 §4.2: mapas de saliencia |dS_c/dI| y Grad-CAM ==\n");
    CnnActs a;
    cnn_acts_init(&a, 1);
    /* the ten digits side by side, 2 pixels apart; each map scaled to its maximum */
    ImageGrid digits, sal, cam;
    grid_init(&digits, 10, 10, 28, 28, 2, 0);
    grid_init(&sal, 10, 10, 28, 28, 2, 0);
    grid_init(&cam, 10, 10, 28, 28, 2, 0);
    Csv c;
    csv_open(&c, out_path(out, "saliencia_clases.csv"), "class,index,x_center,probability");
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
        cnn_gradcam(net, &a, cls, c11, c28);
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
        csv_row(&c, 4, (double[]){cls, idx, x, p});
        printf("  clase %d: imagen %5d del test, P = %.4f\n", cls, idx, p);
    }
    csv_close(&c);
    printf("  (cada mapa escalado a su máximo)\n");
    grid_write(&digits, out_path(out, "saliencia_digitos.csv"));
    grid_write(&sal, out_path(out, "saliencia.csv"));
    grid_write(&cam, out_path(out, "gradcam.csv"));
    cnn_acts_free(&a);
}
