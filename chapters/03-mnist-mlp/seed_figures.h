/* seed_figures.h — the figures of thesis 002 and paper 003 that chapter 3
 * regenerates from its own runs (seed_figures.c), and the pieces of them the
 * tests hold to account:
 *
 *     002 Fig 2.3   the split into training, validation and test
 *     002 Fig 5.2   the images of each class in the three parts
 *     002 Fig 2.4   K-fold cross-validation, K = 5, on a small network
 *     002 Fig 2.9   dropout, from the mask a training step really drew
 *     002 Fig 2.10  a digit flattened row after row into 784 numbers
 *     002 Fig 3.6   a linear network against one with ReLU (and notes §4.3's "90 %")
 *     003 Fig 23    a 5;  003 Fig 25  a test image and the network's answer
 *     003 Fig 28    the weights during training: "stabilise after ~1000 iterations"?
 *
 * Each writes CSVs to --out; plots/ch3_002fig*.gp and plots/ch3_003fig*.gp
 * draw them. */
#ifndef CH3_SEED_FIGURES_H
#define CH3_SEED_FIGURES_H

#include <stdint.h>

#include "mlp.h"

#define CH3_KFOLDS 5   /* thesis 002 Fig 2.4: K = 5 */

/* Every figure above, one after the other (main.c calls it once). It adds
 * its own work to the run's progress plan when it starts. */
void section_seed_figures(const Ch3Config *c, const Mnist *train, const Mnist *test);
/* That work, in mlp.h's progress units, for a training set of ntrain images. */
double ch3_seed_figures_work(const Ch3Config *c, int ntrain);


/* fold[i] = the fold (0..K-1) of image i: the images shuffled with rng and
 * cut into K runs of n/K (the first n % K folds one image longer). */
void ch3_kfold_assign(int n, int K, Rng *rng, int *fold);

/* Fig 2.9's CSV: for row 0 of the batch n last stepped (readable step,
 * train = 1), every hidden neuron's mask value, whether it was kept and
 * its output in that step, 16 neurons a row of the picture. off[l] gets
 * how many of layer l + 1 the mask switched off. Stops the program if a
 * neuron switched off did not output 0. */
void ch3_write_dropout_mask(const char *path, const Ch3Net *n, int *off);

/* f(z) = z, f'(z) = 1: no activation at all, so a network of these layers
 * is one affine map W·x + b however many layers it has (002 §3, Fig 3.6). */
const Activation *ch3_linear_activation(void);

#endif
