/* runs.c — one run of the slides' exercise (see runs.h): the passes over
 * the training images, the test accuracy after each, and the progress line
 * on stderr, and the one line that reports a run that diverged. The lesson
 * itself — what one pass does — is perceptron.c's ch1_ovr_train_epoch; this
 * file only repeats it and keeps the count. */
#include "runs.h"

#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Images per progress update: the pass is cut into pieces of this many
 * (ch1_ovr_train_epoch over a piece of the order is the same pass). */
#define PIECE 2000

int ch1_train_count(const Ch1Config *c, const Mnist *train)
{
    return c->train_limit && c->train_limit < train->n ? c->train_limit : train->n;
}

int ch1_test_count(const Ch1Config *c, const Mnist *test)
{
    return c->test_limit && c->test_limit < test->n ? c->test_limit : test->n;
}

long ch1_mnist_steps(const Ch1Config *c, const Mnist *train, const Mnist *test)
{
    return (long)c->mnist_epochs * (ch1_train_count(c, train) + ch1_test_count(c, test));
}

double ch1_mnist_work(const Ch1Config *c, const Mnist *train, const Mnist *test)
{
    return c->mnist ? (double)ch1_mnist_steps(c, train, test) : 0;
}

/* sklearn's Perceptron (the slides' tool) shuffles every epoch; so do we,
 * from the seed, so that the last images seen — which weigh most in a plain
 * perceptron — are not always the same ones. */
void ch1_mnist_train(const Ch1Config *c, Ch1OneVsRest *m, const Mnist *train, const Mnist *test,
                     Rng *rng, Progress *task, long base, const char *label,
                     unsigned char *pred, Ch1MnistRun *res)
{
    res->n_train = ch1_train_count(c, train);
    res->n_test = ch1_test_count(c, test);
    res->epochs = c->mnist_epochs;
    res->test_accuracy = xmalloc((size_t)res->epochs * sizeof *res->test_accuracy);
    res->train_wrong = xmalloc((size_t)res->epochs * sizeof *res->train_wrong);
    int *order = xmalloc((size_t)res->n_train * sizeof *order);
    for (int i = 0; i < res->n_train; i++)
        order[i] = i;

    /* A step of the progress line is one image, trained on or tested. */
    Progress own;
    const char *who = task ? label : NULL;   /* in a shared task, say which run */
    if (!task) {
        progress_begin(&own, label, ch1_mnist_steps(c, train, test), 1.0);
        task = &own;
        base = 0;
    }
    long per_epoch = res->n_train + res->n_test;

    res->train_seconds = 0;
    res->diverged_epoch = res->diverged_image = 0;
    res->epochs_done = res->epochs;
    for (int e = 0; e < res->epochs; e++) {
        res->test_accuracy[e] = NAN;   /* until this pass has been evaluated */
        res->train_wrong[e] = 0;
    }
    for (int e = 0; e < res->epochs && !res->diverged_epoch; e++) {
        rng_shuffle(rng, order, res->n_train);
        long at = base + (long)e * per_epoch;
        double start = now_seconds();
        int wrong = 0, diverged_at = 0;
        for (int from = 0; from < res->n_train && !diverged_at; from += PIECE) {
            int n = res->n_train - from < PIECE ? res->n_train - from : PIECE;
            wrong += ch1_ovr_train_epoch(m, train, order + from, n, &diverged_at);
            if (diverged_at)
                diverged_at += from;   /* its place in the whole pass */
            progress_update(task, at + from + n, "%s%sépoca %d/%d, errores %d", who ? who : "",
                            who ? ", " : "", e + 1, res->epochs, wrong);
        }
        res->train_seconds += now_seconds() - start;
        double accuracy = diverged_at ? NAN : ch1_ovr_evaluate(m, test, res->n_test, pred);
        if (isnan(accuracy)) {   /* a z or a weight overflowed: the run stops here */
            res->diverged_epoch = e + 1;
            res->diverged_image = diverged_at;   /* 0: in the evaluation */
            res->epochs_done = e;
            break;
        }
        res->train_wrong[e] = wrong;
        res->test_accuracy[e] = accuracy;
        progress_update(task, at + per_epoch, "%s%sépoca %d/%d, exactitud en prueba %.2f %%",
                        who ? who : "", who ? ", " : "", e + 1, res->epochs,
                        100 * res->test_accuracy[e]);
    }
    if (task == &own)
        progress_end(&own);
    free(order);
}

/* Why a run stops, in the words of the one line (perceptron.c, "Divergence"). */
#define WHY_GATE "un peso o el sesgo dejó de ser un número finito (la aritmética se desbordó)"
#define WHY_MNIST "una z o un peso dejó de ser un número finito (la aritmética se desbordó)"

void ch1_gate_divergence(char *buf, size_t len, const char *who, double lr, int epoch,
                         int example)
{
    snprintf(buf, len, "%s con η = %g: diverge en la época %d, ejemplo %d de %d: " WHY_GATE, who,
             lr, epoch, example, CH1_N_POINTS);
}

void ch1_mnist_divergence(char *buf, size_t len, const char *who, double lr, int epoch,
                          int image, int n_train)
{
    if (image)
        snprintf(buf, len, "%s con η = %g: diverge en la época %d, imagen %d de %d: " WHY_MNIST,
                 who, lr, epoch, image, n_train);
    else
        snprintf(buf, len, "%s con η = %g: diverge al evaluar tras la época %d: una z dejó de "
                 "ser un número finito (la aritmética se desbordó)", who, lr, epoch);
}

void ch1_mnist_run_free(Ch1MnistRun *res)
{
    free(res->test_accuracy);
    free(res->train_wrong);
    res->test_accuracy = NULL;
    res->train_wrong = NULL;
}
