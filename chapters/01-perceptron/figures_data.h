/* figures_data.h — the CSVs chapter 1's figures are drawn from
 * (figures_data.c). main.c calls these after each section; the scripts
 * plots/ch1_*.gp read what they write. None of it is part of the lesson:
 * the perceptron is in perceptron.c. */
#ifndef CH1_FIGURES_DATA_H
#define CH1_FIGURES_DATA_H

#include "mnist.h"
#include "perceptron.h"

/* The gates (notes §1.2): puntos.csv, fronteras.csv, xor_epocas.csv,
 * xor_pasos.csv and errores.csv, from the three runs (AND, OR, XOR); and
 * puertas_animacion.csv, the frames of plots/ch1_puertas_animacion.gp:
 * AND's and XOR's lines over the first CH1_ANIM_EPOCHS epochs, after every
 * example of the first CH1_ANIM_EPOCHS_DETAIL and the last
 * CH1_ANIM_EPOCHS_DETAIL + 4 of them, after every epoch in between
 * (frame,step,epoch,example,x1,x2, then for and_ and xor_:
 * error,errors_epoch,w1,w2,b,xa,ya,xb,yb; step is the row of the run's path). */
#define CH1_ANIM_EPOCHS 40
#define CH1_ANIM_EPOCHS_DETAIL 8
void write_gate_csvs(const char *dir, const Ch1GateRun runs[CH1_N_GATES]);

/* The MNIST exercise per epoch: mnist_epocas.csv
 * (epoch,train_wrong,train_error_rate,test_accuracy). */
void write_mnist_epochs(const char *dir, int epochs, const int *train_wrong, int n_train,
                        const double *test_accuracy);

/* --lr LIST: errores_tasas.csv (epoch, then and_eta=<η>, ... for every
 * rate, then or_eta=..., xor_eta=...): each gate's errors per epoch for each
 * rate, empty cells where a diverged run had stopped; runs[k] holds rate k's
 * three gate runs. When some run diverged, errores_tasas_fin.csv
 * (gate 1-3, rate 1-n, eta, epoch, errors_so_far): where each diverged curve
 * ended, which the figure marks; otherwise no such file. */
void write_rate_errors(const char *dir, int n_rates, const double *lr, int epochs,
                       Ch1GateRun *const *runs);

/* --lr LIST: mnist_tasas.csv (epoch, eta=<η> for every rate): the
 * exercise's test accuracy after each pass; accuracy[k] holds rate k's (NaN,
 * an empty cell, after a divergence). When some rate diverged
 * (diverged_epoch[k] > 0), mnist_tasas_fin.csv (rate 1-n, eta, epoch,
 * test_accuracy): the last point of its curve, epoch epochs_done[k] — or
 * epoch 0 and start_accuracy[k], its untrained start, when it diverged in
 * the first pass; otherwise no such file. */
void write_mnist_rates(const char *dir, int n_rates, const double *lr, int epochs,
                       double *const *accuracy, const int *diverged_epoch,
                       const int *epochs_done, const double *start_accuracy);

/* A grid of n images of d (the indices idx), per_row to a row, as pixel/255:
 * `name` in long form (x,y,value,inside; plotdata.h) and `captions_name`
 * with x,y,index,label,pred — where each caption goes, the image's index in
 * d, its label and the prediction (pred NULL: the label). */
void write_digit_grid(const char *dir, const char *name, const char *captions_name,
                      const Mnist *d, const int *idx, const unsigned char *pred, int n,
                      int per_row);

/* What each of the ten perceptrons learned, w − w_start (rows × cols each),
 * scaled by its largest |Δw| (so each tile runs from −1 to 1, symmetric
 * about 0): mnist_pesos.csv (long form) and mnist_pesos_etiquetas.csv
 * (x,y,digit,max_abs_dw — the largest |Δw| the tile was divided by). */
void write_weight_grid(const char *dir, const Ch1OneVsRest *m, const double *w_start, int rows,
                       int cols);

/* Removes the MNIST CSVs an earlier run left in dir (a --no-mnist run),
 * the comparison's too. */
void remove_mnist_csvs(const char *dir);
/* Removes a CSV an earlier run left in dir when this run does not write it
 * (errores_tasas.csv without a rate comparison, semillas.csv without --seeds),
 * so that no figure is drawn from an older run's numbers. */
void remove_csv(const char *dir, const char *name);

#endif
