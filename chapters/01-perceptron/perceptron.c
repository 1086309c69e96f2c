/* perceptron.c — Chapter 1, "El perceptrón" (notes §1, slides 004): the
 * perceptron and its story, top to bottom.
 *
 *   notes §1     one perceptron: z = Σ w_i x_i + b, y = step(z)
 *   notes §1.1   how it learns: error = y − ŷ, w += η·error·x, b += η·error
 *   notes §1.2   the notes' train() on the gates AND, OR and XOR: w ~ N(0,1),
 *                b = 0, η = 0.1, 100 epochs over the four examples in order.
 *                AND and OR are learned; XOR never is,
 *   notes §2     ... and its boundary oscillates for ever (the cycle below);
 *   slides 004   the exercise: ten perceptrons, one per digit, trained with
 *                the same rule on MNIST, predicting by the largest z.
 *
 * What it is not: the program. main.c is the chapter's table of contents
 * (it prints the notes' lines section by section), figures_data.c writes the
 * CSVs that plots/ch1_*.gp draw.
 *
 * A word on the step function. Notes §1.2 use outputs 0/1 and fire only when
 * z > 0; slides 004 use outputs ±1 and fire when z ≥ 0. Both are Rosenblatt's
 * perceptron: relabel +1 ↔ 1 and −1 ↔ 0 and the rule is the same, except
 * that the error y − ŷ becomes ±2 (twice the step) and that the two disagree
 * on the line z = 0 itself. That line is not as rare as it looks: for the
 * input (0,0), z is just the bias, which starts at 0 and moves in steps of η,
 * so z = 0 there happens often (with seed 42, OR ends with b = 0 and is right
 * on (0,0) only because step(0) = 0). Either convention learns AND and OR
 * and neither learns XOR; what matters is to say which one the code uses.
 * We follow the notes: 0/1 and z > 0, so step(0) = 0 (tests/test_ch1.c checks
 * it, and shows the OR case).
 *
 * Divergence, said honestly. No learning rate makes this rule blow up: it
 * moves w by ±η·x and answers with the sign of z, so from a zero start every
 * weight is a multiple of η and η changes no answer (up to rounding); from our N(0,1)
 * start it matters only while the start is not negligible next to the
 * steps. A separable gate stops updating, XOR cycles: the weights stay
 * bounded. What a huge rate can do is overflow the arithmetic: with
 * η = 1e308 one update gives a weight of ±1e308 and a second one ±inf, and
 * from then on z = inf·0 is NaN, step(NaN) is 0 and the run goes on
 * answering nonsense without a word. So the runs check: a gate after every
 * update (ch1_finite), MNIST's ten perceptrons every z and every update. A
 * run that fails the check stops there, and the program names its epoch,
 * its example (or image) and η (runs.c). Measured: the gates' errors are
 * the same for every power of ten from η = 1e17 to 1e307 (seeds 1-1000),
 * and every seed diverges at 1e308 (none below 9e307); the MNIST exercise
 * (seed 42, 5 passes) is the same from 1e17 to 1.5e305 and diverges from
 * 2e305 (tests/test_ch1.c, the tests with "divergence" in their name). */
#include "perceptron.h"

#include "activations.h"
#include "mnist.h"
#include "rng.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>

/* ======================================================================
 * notes §1 — one perceptron: z = Σ w_i x_i + b, y = f(z)
 * ====================================================================== */

double ch1_z(const Ch1Perceptron *p, const double *x)
{
    double z = p->bias;
    for (int i = 0; i < p->n_inputs; i++)
        z += p->weights[i] * x[i];
    return z;
}

/* The notes' predict(): the step function of activations.h, 1 if z > 0. */
int ch1_predict(const Ch1Perceptron *p, const double *x)
{
    return (int)step(ch1_z(p, x));
}

/* notes §1.1: w_i = w_i + x_i · Error · η, and the bias the same way (its
 * input is a constant 1). An error of 0 leaves everything as it was. */
void ch1_learn(Ch1Perceptron *p, const double *x, int error)
{
    if (error == 0)
        return;
    double step_size = p->lr * error;
    for (int i = 0; i < p->n_inputs; i++)
        p->weights[i] += step_size * x[i];
    p->bias += step_size;
}

/* notes §1.2, the body of train(): prediction, error = y[i] − prediction,
 * then the rule. */
int ch1_train_step(Ch1Perceptron *p, const double *x, int target)
{
    int error = target - ch1_predict(p, x);
    ch1_learn(p, x, error);
    return error;
}

int ch1_finite(const Ch1Perceptron *p)
{
    if (!isfinite(p->bias))
        return 0;
    for (int i = 0; i < p->n_inputs; i++)
        if (!isfinite(p->weights[i]))
            return 0;
    return 1;
}

/* ======================================================================
 * notes §1.2 — the logic gates
 * ====================================================================== */

/* notebook: gates */
/* X (4, 2), in the order of the notes' np.array — the order train() visits. */
const double ch1_X[CH1_N_POINTS][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};

const Ch1Gate ch1_gates[CH1_N_GATES] = {
    {"AND", {0, 0, 0, 1}},
    {"OR", {0, 1, 1, 1}},
    {"XOR", {0, 1, 1, 0}},
};
/* end notebook: gates */

/* (w1, w2, b): the line w1·x1 + w2·x2 + b = 0 the perceptron draws. */
static void record_line(const Ch1Perceptron *p, double *row)
{
    row[0] = p->weights[0];
    row[1] = p->weights[1];
    row[2] = p->bias;
}

/* notes §1.2, train(): `for i in range(len(X))` — one epoch. */
int ch1_train_epoch(Ch1Perceptron *p, const int y[CH1_N_POINTS], double *path)
{
    int wrong = 0;
    for (int i = 0; i < CH1_N_POINTS; i++) {
        if (ch1_train_step(p, ch1_X[i], y[i]) != 0)
            wrong++;
        if (path)
            record_line(p, path + 3 * i);
    }
    return wrong;
}

/* notes §1.2, init(): np.random.randn(n_inputs), drawn one after the other
 * (not in one initializer: C leaves the order of those calls unspecified). */
void ch1_initial_weights(Rng *rng, uint64_t seed, double w0[2])
{
    rng_seed(rng, seed);
    w0[0] = rng_normal(rng);
    w0[1] = rng_normal(rng);
}

/* The first of n rows (w1, w2, b) holding a number that is not finite,
 * 1-based; 0 when every row is finite. */
static int first_non_finite(const double *rows, int n)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(rows[3 * i]) || !isfinite(rows[3 * i + 1]) || !isfinite(rows[3 * i + 2]))
            return i + 1;
    return 0;
}

/* A run that diverged in epoch e+1 (0-based e): its lines from there on are
 * not lines, NaN (nothing downstream may read a state it never reached). */
static void blank_after(Ch1GateRun *run, int e)
{
    for (size_t i = 3 * ((size_t)e + 1); i < 3 * ((size_t)run->epochs + 1); i++)
        run->line[i] = NAN;
    for (size_t i = 3 * ((size_t)e * CH1_N_POINTS + 1);
         i < 3 * ((size_t)run->epochs * CH1_N_POINTS + 1); i++)
        run->path[i] = NAN;
}

/* A fresh perceptron per gate, all starting from the same w0 so that the
 * three runs differ only in their targets. Besides training, it keeps what
 * the program shows: the line after every example and every epoch, the
 * errors per epoch, the final predictions. The line after every example is
 * also where the guard looks: a weight that is no longer finite stops the
 * run in that epoch (see "Divergence" above). */
void ch1_train_gate(const double w0[2], double lr, int epochs, const int y[CH1_N_POINTS],
                    Ch1GateRun *run)
{
    double w[2] = {w0[0], w0[1]};
    Ch1Perceptron p = {.n_inputs = 2, .weights = w, .bias = 0.0, .lr = lr};

    run->epochs = epochs;
    run->errors = xcalloc((size_t)epochs, sizeof *run->errors);
    run->line = xmalloc((size_t)(epochs + 1) * 3 * sizeof *run->line);
    run->path = xmalloc(((size_t)epochs * CH1_N_POINTS + 1) * 3 * sizeof *run->path);
    record_line(&p, run->line);
    record_line(&p, run->path);

    run->last_error_epoch = 0;
    run->total_errors = 0;
    run->fewest_errors = 0;
    run->diverged_epoch = run->diverged_example = 0;
    run->epochs_done = epochs;
    for (int e = 0; e < epochs; e++) {
        double *after_each = run->path + 3 * ((size_t)e * CH1_N_POINTS + 1);
        int wrong = ch1_train_epoch(&p, y, after_each);
        int bad = first_non_finite(after_each, CH1_N_POINTS);
        if (bad) {
            run->diverged_epoch = e + 1;
            run->diverged_example = bad;
            run->epochs_done = e;
            blank_after(run, e);
            break;
        }
        run->errors[e] = wrong;
        record_line(&p, run->line + 3 * (e + 1));
        if (run->errors[e] > 0)
            run->last_error_epoch = e + 1;
        run->total_errors += run->errors[e];
        if (e == 0 || run->errors[e] < run->fewest_errors)
            run->fewest_errors = run->errors[e];
    }

    run->learned = !run->diverged_epoch;
    for (int i = 0; i < CH1_N_POINTS; i++) {
        run->predictions[i] = ch1_predict(&p, ch1_X[i]);
        if (run->predictions[i] != y[i])
            run->learned = 0;
    }
    run->w[0] = w[0];
    run->w[1] = w[1];
    run->b = p.bias;
}

void ch1_gate_run_free(Ch1GateRun *run)
{
    free(run->errors);
    free(run->line);
    free(run->path);
    run->errors = NULL;
    run->line = run->path = NULL;
}

/* ======================================================================
 * notes §2's opening — "el perceptrón se quedará oscilando para siempre"
 * ====================================================================== */

int ch1_same_state(const double *a, const double *b)
{
    for (int k = 0; k < 3; k++)
        if (fabs(a[k] - b[k]) > 1e-9)
            return 0;
    return 1;
}

/* On data that is not linearly separable the perceptron never stops. The
 * weights only move in steps of η·x with x ∈ {0,1}, so they live on a grid
 * and stay bounded: the run must end in a cycle. Find the shortest period
 * that the last state repeats (two full turns, so one coincidence is not a
 * cycle), then walk back to where the repetition began. */
int ch1_find_cycle(const double *states, int n, int *start, int *period)
{
    int last = n - 1;
    for (int p = 1; 2 * p <= last; p++) {
        if (!ch1_same_state(states + 3 * last, states + 3 * (last - p)) ||
            !ch1_same_state(states + 3 * last, states + 3 * (last - 2 * p)))
            continue;
        int s = last;
        while (s - p - 1 >= 0 && ch1_same_state(states + 3 * (s - 1), states + 3 * (s - 1 - p)))
            s--;
        if (last - s < 2 * p)
            continue;
        *start = s - p;
        *period = p;
        return 1;
    }
    return 0;
}

/* The cycle of a gate's run, counted in epochs and in different lines. */
Ch1Cycle ch1_gate_cycle(const Ch1GateRun *run)
{
    Ch1Cycle cy = {0};
    int start, period;
    if (run->diverged_epoch)
        return cy;   /* it stopped: it has no end to be a cycle */
    int n = run->epochs * CH1_N_POINTS + 1;
    if (!ch1_find_cycle(run->path, n, &start, &period))
        return cy;
    cy.found = 1;
    cy.from_epoch = start / CH1_N_POINTS + 1;
    cy.period = period;
    for (int r = start; r < start + period; r++) {
        int seen = 0;
        for (int q = start; q < r && !seen; q++)
            seen = ch1_same_state(run->path + 3 * r, run->path + 3 * q);
        cy.distinct += !seen;
    }
    return cy;
}

/* ======================================================================
 * slides 004, "PRACTICA" — ten perceptrons on MNIST, one per digit
 * ====================================================================== */

/* An image is a double x[784], like a gate's input: mnist_gather() writes
 * `real`, which chapter 1 builds as double (CH1_REAL := f64, chapter.mk). */
_Static_assert(sizeof(real) == sizeof(double),
               "chapter 1 is built with real = double (CH1_REAL := f64)");

void ch1_ovr_init(Ch1OneVsRest *m, int n_inputs, double lr, Rng *rng)
{
    m->n_inputs = n_inputs;
    m->W = xmalloc((size_t)CH1_CLASSES * n_inputs * sizeof *m->W);
    for (size_t i = 0; i < (size_t)CH1_CLASSES * n_inputs; i++)
        m->W[i] = rng_normal(rng); /* notes §1.2: np.random.randn */
    for (int k = 0; k < CH1_CLASSES; k++)
        m->p[k] = (Ch1Perceptron){.n_inputs = n_inputs,
                                  .weights = m->W + (size_t)k * n_inputs,
                                  .bias = 0.0,
                                  .lr = lr};
}

void ch1_ovr_free(Ch1OneVsRest *m)
{
    free(m->W);
    m->W = NULL;
}

int ch1_ovr_scores(const Ch1OneVsRest *m, const double *x, double *z)
{
    int best = 0, finite = 1;
    for (int k = 0; k < CH1_CLASSES; k++) {
        z[k] = ch1_z(&m->p[k], x);
        finite = finite && isfinite(z[k]);
        if (z[k] > z[best])
            best = k;
    }
    return finite ? best : -1;
}

/* Perceptron k's target is 1 for a k and 0 for any other digit. Each learns
 * from its own step output, exactly as a gate did; only the final answer
 * uses the largest z, because several (or none) may say "mine". The guard
 * (see "Divergence" above): no z that is not finite is learned from, and a
 * perceptron that has just moved is checked. */
int ch1_ovr_train_step(Ch1OneVsRest *m, const double *x, int label)
{
    double z[CH1_CLASSES];
    int guess = ch1_ovr_scores(m, x, z);
    if (guess < 0)
        return -1;
    int finite = 1;
    for (int k = 0; k < CH1_CLASSES; k++) {
        int target = (k == label);
        int error = target - (int)step(z[k]);
        ch1_learn(&m->p[k], x, error);
        if (error != 0 && !ch1_finite(&m->p[k]))
            finite = 0;
    }
    return finite ? guess == label : -1;
}

int ch1_ovr_train_epoch(Ch1OneVsRest *m, const Mnist *d, const int *order, int n,
                        int *diverged_at)
{
    double *x = xmalloc((size_t)m->n_inputs * sizeof *x);
    int wrong = 0;
    *diverged_at = 0;
    for (int t = 0; t < n; t++) {
        unsigned char label;
        mnist_gather(d, &order[t], 1, x, &label);   /* pixel / 255, 784 values */
        int right = ch1_ovr_train_step(m, x, label);
        if (right < 0) {
            *diverged_at = t + 1;
            break;
        }
        wrong += !right;
    }
    free(x);
    return wrong;
}

double ch1_ovr_evaluate(const Ch1OneVsRest *m, const Mnist *d, int n, unsigned char *pred)
{
    double *x = xmalloc((size_t)m->n_inputs * sizeof *x);
    double z[CH1_CLASSES];
    int right = 0;
    int finite = 1;
    for (int i = 0; i < n; i++) {
        unsigned char label;
        mnist_gather(d, &i, 1, x, &label);
        int guess = ch1_ovr_scores(m, x, z);
        finite = finite && guess >= 0;
        pred[i] = (unsigned char)(guess >= 0 ? guess : 0);
        right += (pred[i] == label);
    }
    free(x);
    if (!finite)
        return NAN;
    return n > 0 ? (double)right / n : 0.0;
}
