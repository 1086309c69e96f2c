/* xor_net.c — the XOR network of notes §2, written the way the notes write
 * it: whole matrices, the four examples as the rows of X, and the notes'
 * variable names (see the table at the end of notes §2.2.3).
 *
 * What this file is: a 2–H–1 network with a sigmoid in both layers, trained
 * by full-batch gradient descent on the squared error, with the forward pass,
 * the backward pass and the update each derived in the comments.
 * What it is not: a general layer library — chapters 3 and 4 build that.
 *
 * The loss, said exactly. The notes' loop does
 *     error = y − predicted_output;   W += η · (something) · error ...
 * and prints the mean squared error MSE = (1/4) Σ (y − ŷ)². The update it
 * makes is the NEGATIVE GRADIENT of
 *     E = ½ Σ_i (y_i − ŷ_i)²          (summed over the 4 examples, no 1/4)
 * — the ½ is there so that the 2 of the square cancels (notes §3.2). With 4
 * examples E = 2·MSE, so the notes' step is twice the step of gradient
 * descent on the MSE they print. We keep the notes' update (the default) and
 * offer --average, which scales it by 2/n and so descends the MSE itself. */
#include "xor_mlp.h"
#include "activations.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* notes §2.2: the input matrix X, one row per example (x1, x2), and the
 * targets y of XOR: 1 when exactly one input is 1. */
void ch2_xor_data(Mat *X, Mat *y)
{
    static const double x_values[] = {0, 0,
                                      0, 1,
                                      1, 0,
                                      1, 1};
    static const double y_values[] = {0, 1, 1, 0};
    *X = mat_from(4, 2, x_values);   /* X (4, 2) */
    *y = mat_from(4, 1, y_values);   /* y (4, 1) */
}

/* Views into one block of numbers, in the order W1, b1, W2, b2. The same
 * layout serves the parameters and the steps, so params[i] and steps[i] are
 * always the same weight. */
static double *lay_out(double *block, int hidden, Mat *W1, Mat *b1, Mat *W2, Mat *b2)
{
    double *p = block;
    *W1 = (Mat){2, hidden, p};      p += 2 * hidden;
    *b1 = (Mat){1, hidden, p};      p += hidden;
    *W2 = (Mat){hidden, 1, p};      p += hidden;
    *b2 = (Mat){1, 1, p};           p += 1;
    return p;
}

static int count_params(int hidden) { return 2 * hidden + hidden + hidden + 1; }

void ch2_net_new(Ch2Net *net, int hidden)
{
    if (hidden < 1 || hidden > CH2_MAX_HIDDEN)
        die("internal error: %d hidden neurons", hidden);
    net->hidden = hidden;
    net->n_params = count_params(hidden);
    net->params = xcalloc((size_t)net->n_params, sizeof(double));
    lay_out(net->params, hidden, &net->W1, &net->b1, &net->W2, &net->b2);
}

void ch2_net_free(Ch2Net *net)
{
    free(net->params);
    memset(net, 0, sizeof *net);
}

void ch2_net_copy(Ch2Net *dst, const Ch2Net *src)
{
    ch2_net_new(dst, src->hidden);
    memcpy(dst->params, src->params, (size_t)src->n_params * sizeof(double));
}

/* The start (notes §1.2 and §2.3): weights drawn at random, biases at 0.
 *   normal: every weight from N(0, 1), as the notes' np.random.randn.
 *   glorot: U(−L, L) with L = √(6 / (fan_in + fan_out)) per layer
 *           (Glorot & Bengio 2010), the "Xavier/Glorot" start that §2.3
 *           suggests for runs that start in an unlucky place.
 * W1 is drawn first, row by row, then W2: the same seed gives the same start. */
void ch2_net_init(Ch2Net *net, Ch2Init init, Rng *rng)
{
    mat_fill(net->b1, 0.0);
    mat_fill(net->b2, 0.0);
    Mat layers[2] = {net->W1, net->W2};
    for (int l = 0; l < 2; l++) {
        Mat W = layers[l];
        double limit = sqrt(6.0 / (W.rows + W.cols)); /* fan_in = rows, fan_out = cols */
        for (int i = 0; i < W.rows * W.cols; i++)
            W.data[i] = init == CH2_INIT_NORMAL ? rng_normal(rng)
                                                : rng_uniform_range(rng, -limit, limit);
    }
}

void ch2_pass_new(Ch2Pass *p, int hidden)
{
    p->hidden_layer_input = mat_new(4, hidden);
    p->hidden_layer_output = mat_new(4, hidden);
    p->output_layer_input = mat_new(4, 1);
    p->predicted_output = mat_new(4, 1);
    p->error = mat_new(4, 1);
    p->d_predicted_output = mat_new(4, 1);
    p->error_hidden_layer = mat_new(4, hidden);
    p->d_hidden_layer = mat_new(4, hidden);
    p->scratch = mat_new(4, hidden);
    p->steps = xcalloc((size_t)count_params(hidden), sizeof(double));
    lay_out(p->steps, hidden, &p->step_W1, &p->step_b1, &p->step_W2, &p->step_b2);
}

void ch2_pass_free(Ch2Pass *p)
{
    mat_free(&p->hidden_layer_input);
    mat_free(&p->hidden_layer_output);
    mat_free(&p->output_layer_input);
    mat_free(&p->predicted_output);
    mat_free(&p->error);
    mat_free(&p->d_predicted_output);
    mat_free(&p->error_hidden_layer);
    mat_free(&p->d_hidden_layer);
    mat_free(&p->scratch);
    free(p->steps);
    p->steps = NULL;
}

/* --- notes §2.2.1: the forward pass --------------------------------------
 * Each row of X goes through the network at once:
 *     Z1 = X·W1 + b1     (4, 2)·(2, H) = (4, H); b1 (1, H) added to every row
 *     A1 = σ(Z1)         row i: how the hidden layer "sees" example i
 *     Z2 = A1·W2 + b2    (4, H)·(H, 1) = (4, 1)
 *     A2 = σ(Z2)         ŷ, one prediction per example                     */
void ch2_forward(const Ch2Net *net, Mat X, Ch2Pass *p)
{
    mat_matmul(p->hidden_layer_input, X, net->W1);                   /* Z1 (4, H) */
    mat_add_row(p->hidden_layer_input, net->b1);
    mat_apply(p->hidden_layer_output, p->hidden_layer_input, sigmoid); /* A1 (4, H) */

    mat_matmul(p->output_layer_input, p->hidden_layer_output, net->W2); /* Z2 (4, 1) */
    mat_add_row(p->output_layer_input, net->b2);
    mat_apply(p->predicted_output, p->output_layer_input, sigmoid);      /* A2 (4, 1) */
}

/* --- notes §2.2.2: backpropagation ---------------------------------------
 * We want ∂E/∂θ for E = ½ Σ_i (y_i − ŷ_i)², through the chain rule, from the
 * output backwards. Write δ for MINUS the derivative of E with respect to a
 * layer's input Z (that sign lets the update be "+=", as in the notes).
 *
 * Output layer. E depends on Z2 only through ŷ = σ(Z2), example by example:
 *     ∂E/∂ŷ_i  = −(y_i − ŷ_i)                          (the ½ cancels the 2)
 *     ∂ŷ_i/∂z_i = σ'(z_i) = σ(z_i)(1 − σ(z_i)) = ŷ_i(1 − ŷ_i)
 *   so  δ_out = −∂E/∂Z2 = (y − A2) ⊙ σ'(Z2)            (4, 1), elementwise
 * σ' appears because ŷ is σ of Z2: a neuron sitting on the flat part of the
 * sigmoid (σ' ≈ 0) barely changes its output whatever we do to Z2. And since
 * σ'(z) = a(1 − a) with a = σ(z), we compute it from the activations we
 * already have, as the notes' sigmoid_derivative(predicted_output) does.
 *
 * Hidden layer. Z2 = A1·W2 + b2, so output i depends on hidden activation
 * a_ij with slope W2_j:  ∂E/∂a_ij = −δ_out,i · W2_j.  In matrix form
 *     E_hidden = δ_out · W2ᵀ        (4, 1)·(1, H) = (4, H)
 * W2 is (H, 1) — one weight per hidden neuron; its transpose (1, H) sends
 * each example's output error back along the same wires, scaled by each
 * wire's weight. Then through A1 = σ(Z1), elementwise as before:
 *     δ_hidden = E_hidden ⊙ σ'(Z1) = E_hidden ⊙ A1 ⊙ (1 − A1)    (4, H)
 *
 * Weights. z2_i = Σ_j a_ij W2_j + b2, so ∂z2_i/∂W2_j = a_ij, and summing the
 * 4 examples:  −∂E/∂W2_j = Σ_i a_ij δ_out,i, i.e.
 *     step_W2 = A1ᵀ · δ_out         (H, 4)·(4, 1) = (H, 1), the shape of W2
 *     step_b2 = Σ_i δ_out,i         (∂z/∂b = 1: the bias sees the raw delta)
 *     step_W1 = Xᵀ · δ_hidden       (2, 4)·(4, H) = (2, H), the shape of W1
 *     step_b1 = column sums of δ_hidden                          (1, H)
 * The transposes are what turn "per example" into "per weight": the inner
 * dimension 4 of Aᵀ·δ is the sum over the examples. (002 eq. A.18 writes
 * a^{l−1} δ^l; with one example per row the order that typechecks is
 * A1ᵀ·δ — see the notebook's errata.) In Xᵀ·δ_hidden each example adds
 * x_i · δ_i to a weight's step: an example whose input was 0 adds nothing,
 * because that weight did not contribute to its error (notes §2.2.3). */
void ch2_backward(const Ch2Net *net, Mat X, Mat y, Ch2Pass *p)
{
    /* error = y − predicted_output                                  (4, 1) */
    mat_sub(p->error, y, p->predicted_output);
    /* d_predicted_output = error ⊙ σ'(Z2), σ'(Z2) = A2 (1 − A2)       (4, 1) */
    Mat slope_out = {4, 1, p->scratch.data};
    mat_apply(slope_out, p->predicted_output, sigmoid_deriv_from_output);
    mat_hadamard(p->d_predicted_output, p->error, slope_out);

    /* error_hidden_layer = d_predicted_output · W2ᵀ                  (4, H) */
    mat_matmul_nt(p->error_hidden_layer, p->d_predicted_output, net->W2);
    /* d_hidden_layer = error_hidden_layer ⊙ σ'(Z1), σ'(Z1) = A1 (1 − A1) */
    mat_apply(p->scratch, p->hidden_layer_output, sigmoid_deriv_from_output);
    mat_hadamard(p->d_hidden_layer, p->error_hidden_layer, p->scratch);

    /* The steps of notes §2.2.3, before they are scaled by η. */
    mat_matmul_tn(p->step_W2, p->hidden_layer_output, p->d_predicted_output); /* A1ᵀ·δ_out */
    mat_col_sums(p->step_b2, p->d_predicted_output);
    mat_matmul_tn(p->step_W1, X, p->d_hidden_layer);                         /* Xᵀ·δ_hidden */
    mat_col_sums(p->step_b1, p->d_hidden_layer);
}

/* --- notes §2.2.3: the update --------------------------------------------
 *     W2 += η · A1ᵀ·δ_out      b2 += η · Σ δ_out
 *     W1 += η · Xᵀ·δ_hidden    b1 += η · Σ δ_hidden
 * "+=" because each step is already −∂E/∂θ: we move against the gradient.
 * (002 eq. 2.9 writes x = x − dE/dx and loses the η: the rate multiplies
 * every step — see the notebook's errata.) */
void ch2_update(Ch2Net *net, const Ch2Pass *p, double rate)
{
    mat_axpy(net->W2, rate, p->step_W2);
    mat_axpy(net->b2, rate, p->step_b2);
    mat_axpy(net->W1, rate, p->step_W1);
    mat_axpy(net->b1, rate, p->step_b1);
}

double ch2_half_sse(const Ch2Net *net, Mat X, Mat y)
{
    Ch2Pass p;
    ch2_pass_new(&p, net->hidden);
    ch2_forward(net, X, &p);
    mat_sub(p.error, y, p.predicted_output);
    double e = 0.5 * 4 * mat_mean_square(p.error);   /* ½ Σ (y − ŷ)² */
    ch2_pass_free(&p);
    return e;
}

double ch2_mse(const Ch2Net *net, Mat X, Mat y)
{
    return ch2_half_sse(net, X, y) / 2.0;   /* ½·Σ = 2·mean for 4 examples */
}

double ch2_train_epoch(Ch2Net *net, Ch2Pass *p, Mat X, Mat y, double learning_rate,
                       int average)
{
    ch2_forward(net, X, p);
    ch2_backward(net, X, y, p);
    /* The error the notes print: mean of the squared residuals (notes §2.3). */
    double mse = mat_mean_square(p->error);
    /* Summed over the examples (the notes' choice), or --average: the
     * gradient of the MSE is (2/n)·step, so the same η takes half the step.
     * (2/n first: η·2 would overflow to inf for an η near the largest double.) */
    double rate = average ? learning_rate * (2.0 / X.rows) : learning_rate;
    ch2_update(net, p, rate);
    return mse;
}

static int all_finite(const double *v, int n)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

/* notes §2.3: train for `epochs` epochs, checking every one: when the MSE
 * or a weight is no longer a finite number, that epoch is the divergence and
 * the run stops there. The curve keeps that epoch's MSE if it was finite (it
 * is the net's at the start of the epoch, before the update that overflowed)
 * and is NaN after it, which main() writes as empty cells.
 * With sigmoids in both layers no finite rate gets there: a huge step
 * saturates every sigmoid, σ' becomes exactly 0 and the steps stop
 * (test_no_finite_rate_diverges tries rates up to the largest double). The
 * check is for an infinite rate, or for a network changed in an exercise. */
Ch2Result ch2_train(Ch2Net *net, Mat X, Mat y, double learning_rate, int epochs,
                    int average, double *curve)
{
    Ch2Result r = {NAN, 0, 0};
    Ch2Pass p;
    ch2_pass_new(&p, net->hidden);
    for (int e = 1; e <= epochs; e++) {
        double mse = ch2_train_epoch(net, &p, X, y, learning_rate, average);
        if (curve)
            curve[e - 1] = isfinite(mse) ? mse : NAN;
        if (!isfinite(mse) || !all_finite(net->params, net->n_params)) {
            r.diverged_epoch = e;
            for (int k = e; curve && k < epochs; k++)
                curve[k] = NAN;
            break;
        }
        if (!r.converged_epoch && mse < CH2_CONVERGED_MSE)
            r.converged_epoch = e;
    }
    if (!r.diverged_epoch)
        r.final_mse = ch2_mse(net, X, y);
    ch2_pass_free(&p);
    return r;
}
