/* explain.h — what the trained network learned and where it looks (thesis
 * 002 §3.3.1 and §4): conv1's filters, the feature maps of one digit after
 * each stop, saliency maps and Grad-CAM. All of it runs the readable
 * network of cnn.h on one image at a time, so every map is the whole map
 * (conv2's full 11 × 11) and every gradient is the one a student can step
 * through.
 *
 * The explain_... entry points print the notebook's lines and write their
 * CSVs into `out`; cnn_saliency and cnn_gradcam are what they compute. */
#ifndef CH4_EXPLAIN_H
#define CH4_EXPLAIN_H

#include "cnn.h"
#include "mnist.h"

/* Saliency (Simonyan et al., 002 §4.2, eq. 4.1) of the image in a->x[0..783]
 * for class c: sal = |∂S_c/∂I| (784 values), S_c the class score before the
 * softmax — one backward pass down to the pixels. grad (784), when not
 * NULL, receives the signed gradient. Uses a (max_b ≥ 1) and clobbers net's
 * gradients. */
void cnn_saliency(CnnNet *net, CnnActs *a, int c, real *sal, real *grad);

/* Grad-CAM (Selvaraju et al., 002 §4.2) of the image in a->x for class c,
 * on what the classifier reads: pool2's output P (64 maps of 5 × 5),
 *   α_k = mean over map k of ∂S_c/∂P_k,
 * each term α_k·P_k placed back on the conv2 cell (of 11 × 11) that pool2
 * took P_k from, summed there, ReLU'd (explain.c says why). cam11 (121):
 * that map, zero wherever S_c has zero gradient (row and column 10 among
 * them); cam28 (784): it stretched to the image (bilinear, each conv2
 * output at the centre of its receptive field, input pixel 2q + 3.5).
 * Returns the largest sum before the ReLU: <= 0 means no cell speaks for
 * class c and the map is empty. Clobbers net's gradients. */
double cnn_gradcam(CnnNet *net, CnnActs *a, int c, real *cam11, real *cam28);

/* --- the sections ---------------------------------------------------------- */
void explain_filters(const CnnNet *net, const char *out);   /* filtros_conv1.csv */
/* mapas_{entrada,conv1,pool1,conv2,pool2}.csv for test image `index` */
void explain_feature_maps(const CnnNet *net, const Mnist *m, int index, const char *out);
/* 002 Fig 4.1: conv1's filter `kernel` over test image `index` — the image,
 * the kernel, its map before and after ReLU (mapa_kernel{,_info}.csv) */
void explain_kernel_map(const CnnNet *net, const Mnist *m, int index, int kernel, const char *out);
/* saliencia{,_digitos,_clases}.csv, gradcam.csv: the first correctly
 * classified test digit of each class (pred: the test predictions); a
 * progress task of 10 steps worth explain_work_per_digit each */
void explain_saliency_gradcam(CnnNet *net, const Mnist *m, const unsigned char *pred,
                              const char *out, double explain_work_per_digit);

#endif
