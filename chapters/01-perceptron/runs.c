/* runs.c — one run of the slides' exercise (see runs.h): the passes over
 * the training images, the test accuracy after each, and the progress line
 * on stderr. The lesson itself — what one pass does — is perceptron.c's
 * ch1_ovr_train_epoch; this file only repeats it and keeps the count. */
#include "runs.h"

#include "util.h"

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
    for (int e = 0; e < res->epochs; e++) {
        rng_shuffle(rng, order, res->n_train);
        long at = base + (long)e * per_epoch;
        double start = now_seconds();
        int wrong = 0;
        for (int from = 0; from < res->n_train; from += PIECE) {
            int n = res->n_train - from < PIECE ? res->n_train - from : PIECE;
            wrong += ch1_ovr_train_epoch(m, train, order + from, n);
            progress_update(task, at + from + n, "%s%sépoca %d/%d, errores %d", who ? who : "",
                            who ? ", " : "", e + 1, res->epochs, wrong);
        }
        res->train_seconds += now_seconds() - start;
        res->train_wrong[e] = wrong;
        res->test_accuracy[e] = ch1_ovr_evaluate(m, test, res->n_test, pred);
        progress_update(task, at + per_epoch, "%s%sépoca %d/%d, exactitud en prueba %.2f %%",
                        who ? who : "", who ? ", " : "", e + 1, res->epochs,
                        100 * res->test_accuracy[e]);
    }
    if (task == &own)
        progress_end(&own);
    free(order);
}

void ch1_mnist_run_free(Ch1MnistRun *res)
{
    free(res->test_accuracy);
    free(res->train_wrong);
    res->test_accuracy = NULL;
    res->train_wrong = NULL;
}
