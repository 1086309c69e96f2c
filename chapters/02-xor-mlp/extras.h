/* extras.h — chapter 2's side sections, called from main() after the XOR
 * network: the activation curves (Fig 3), the gradient-descent pictures of
 * 002/003, the chain-rule example of 002 and the quadratic-equation network
 * of notes §3.5 exercise 2.
 *
 * Each ch2_... entry point prints its notebook heading ("== ... ==") and one
 * "  csv     <path>" line per file it writes into `outdir` (which main() has
 * already prepared with out_prepare_dir()). They are deterministic: the same
 * seed gives byte-identical CSVs.
 *
 *     ch2_activation_curves(out);                  activations_fig.c
 *     ch2_descent_pictures(out, seed);             descent.c
 *     ch2_chain_rule_example(out);                 chain_rule.c
 *     ch2_quadratic_network(out, seed, &summary);  quadratic.c
 *
 * The lower half of this header is what the tests reach into. */
#ifndef CH2_EXTRAS_H
#define CH2_EXTRAS_H

#include <stdint.h>
#include "json.h"
#include "real.h"

/* --- entry points for main() ------------------------------------------ */

/* Fig 3 and slides 004: every activation of the table (σ, ReLU, leaky ReLU,
 * tanh, step) and its derivative over [−8, 8] -> activaciones.csv, columns
 * z,<name>,<name>_deriv,... in the table's order. */
void ch2_activation_curves(const char *outdir);

/* 002 Figs 2.7–2.8: f(x,y,z) = (x + y)·z at (2, 3, 4), forward and backward
 * values as a small table on stdout, and the computational graph with them
 * -> regla_cadena_nodos.csv (nodo,x,y,tipo: where each node is drawn) and
 * regla_cadena_aristas.csv (nombre,desde,hasta,x0,y0,x1,y1,valor,gradiente:
 * each edge carries a value forward and ∂f/∂(that value) backward). */
void ch2_chain_rule_example(const char *outdir);

/* 002 §2 / 003: the gradient-descent pictures -> descenso_*.csv
 * (see descent.c for the list). */
void ch2_descent_pictures(const char *outdir, uint64_t seed);

/* Notes §3.5 exercise 2: an MLP from (a, b, c) to the two roots.
 * Writes cuadratica_*.csv; when `summary` is not NULL it adds one
 * object "quadratic" (settings, baseline/train/test MSE, seconds). Call it
 * inside summary.json's top-level object (before json_files()). */
void ch2_quadratic_network(const char *outdir, uint64_t seed, Json *summary);
/* Its training's weight in main()'s progress plan, in epochs of the XOR net. */
double ch2_quadratic_work(void);

/* --- for the tests ----------------------------------------------------- */

/* Chain rule: the forward and backward values of (x + y)·z. */
typedef struct { double q, f, df_dq, df_dz, df_dx, df_dy; } Ch2Chain;
Ch2Chain ch2_chain_rule(double x, double y, double z);

/* Gradient descent in 1-D: x ← x − η f'(x), `steps` times; returns the last x.
 * When `path` is not NULL it receives steps + 1 points (start included). */
double ch2_descend_1d(double (*grad)(double), double x0, double eta, int steps,
                      double *path);
/* In 2-D on the bowl f(x,y) = ½((x−1)² + y²); returns the final point. */
void ch2_descend_bowl(double x0, double y0, double eta, int steps,
                      double *x, double *y);
/* The linear neuron's cost (0.3x + 0.4y − 1)² and its gradient (002). */
double ch2_neuron_cost(double x, double y);
void ch2_neuron_cost_grad(double x, double y, double *gx, double *gy);
/* The 1-D cost (0.3w − 1)² and its derivative. */
double ch2_cost_1d(double w);
double ch2_cost_1d_grad(double w);

/* The quadratic-equation network: 3 inputs (a, b, c), two tanh hidden layers
 * of `hidden` units, 2 linear outputs (x1 ≥ x2). All parameters sit in one
 * array `p` of ch2_qnet_nparams(hidden) values (W1, b1, W2, b2, W3, b3), of
 * type `real` as the optimiser (common/optim.h) wants them: double here,
 * chapter 2 being built with real = double. */
typedef struct {
    int n;          /* examples */
    double *in;     /* (n, 3): a, b, c */
    double *out;    /* (n, 2): x1, x2 with x1 ≥ x2 */
} Ch2QData;

int ch2_qnet_nparams(int hidden);
void ch2_qnet_init(real *p, int hidden, uint64_t seed);         /* Glorot */
/* n equations with real roots, drawn from the seed; free with ch2_qdata_free. */
Ch2QData ch2_qdata_make(int n, uint64_t seed);
void ch2_qdata_free(Ch2QData *d);
/* The two roots the network predicts for one equation. */
void ch2_qnet_predict(const real *p, int hidden, const double abc[3], double roots[2]);
/* Mean squared error over the data set (mean over examples and both roots). */
double ch2_qnet_loss(const real *p, int hidden, const Ch2QData *d);
/* The same loss, and its gradient with respect to every parameter in `grad`
 * (overwritten), by the backward pass written out. */
double ch2_qnet_loss_grad(const real *p, int hidden, const Ch2QData *d,
                          real *grad);
/* Adam (common/optim.h) on shuffled mini-batches of `batch`. Per epoch, the mean training
 * MSE into train_curve and the test MSE into test_curve (each `epochs`
 * values; either may be NULL, `test` too). Returns the last training MSE;
 * dies with one line if the loss stops being finite. */
double ch2_qnet_train(real *p, int hidden, const Ch2QData *train,
                      const Ch2QData *test, int epochs, int batch, double lr,
                      uint64_t seed, double *train_curve, double *test_curve);

#endif
