/* studies.h — the chapter's runs repeated (studies.c): for several learning
 * rates from one start (--lr 0.01,0.1,1), and for several seeds
 * (--seeds 1-10), each printed as a table, written as a CSV and added to
 * summary.json. */
#ifndef CH1_STUDIES_H
#define CH1_STUDIES_H

#include "json.h"
#include "runs.h"

/* --- --lr LIST: the learning rates compared ------------------------------ */
typedef struct {
    int n;                                        /* rates, in the order of --lr */
    double lr[CH1_MAX_RATES];
    Ch1GateRun gates[CH1_MAX_RATES][CH1_N_GATES]; /* every gate, from the same w0 */
    Ch1Cycle xor_cycle[CH1_MAX_RATES];
    int mnist_epochs;                             /* 0: no exercise */
    double *mnist_accuracy[CH1_MAX_RATES];        /* (mnist_epochs) test accuracy per pass,
                                                     NaN after a divergence */
    /* Each rate's exercise as it ended: its divergence (runs.h) and, for a
     * run that diverged in its first pass, the test accuracy of its start —
     * the last point its curve had (NaN otherwise). */
    Ch1MnistRun mnist_end[CH1_MAX_RATES];         /* the counts only: no arrays */
    double mnist_start_accuracy[CH1_MAX_RATES];
} Ch1RateComparison;

/* The three gates for every rate of c->lr, all from w0: a table on stdout
 * and errores_tasas.csv. A rate whose run diverges is a result like the
 * others: its one line after the table, its curve cut where it stopped,
 * and the other rates go on. */
void ch1_compare_gates(const Ch1Config *c, const double w0[2], Ch1RateComparison *cmp);
/* The exercise for every rate, each from the generator state `start` (the
 * one the chapter's own run began from, so that the main rate's curve is
 * that run's, main_run, reused): a table and mnist_tasas.csv. */
void ch1_compare_mnist(const Ch1Config *c, const Mnist *train, const Mnist *test,
                       const Rng *start, const Ch1MnistRun *main_run, Ch1RateComparison *cmp);
void ch1_rate_comparison_json(Json *j, const Ch1RateComparison *cmp);
void ch1_rate_comparison_free(Ch1RateComparison *cmp);

/* --- --seeds LIST: the seed study ----------------------------------------- */
typedef struct {
    uint64_t seed;
    double lr;
    int learned[CH1_N_GATES];
    int last_error_epoch[CH1_N_GATES];  /* 1-based; 0: no error at all */
    int xor_cycle_period;               /* examples per turn; 0: no cycle found */
    double test_accuracy;               /* the exercise's, after its last pass; NaN without it
                                           or when it diverged */
    /* Runs that diverged (perceptron.c, "Divergence"): where; 0 when they did not. */
    int diverged_epoch[CH1_N_GATES], diverged_example[CH1_N_GATES];
    int mnist_diverged_epoch, mnist_diverged_image, n_train;
} Ch1SeedRow;

typedef struct {
    int n_rows;          /* n_lr × n_seeds, rate by rate */
    Ch1SeedRow *rows;
} Ch1SeedStudy;

/* For every rate of c->lr and every seed of c->seeds, exactly what
 * `ch1 --lr η --seed s` computes: the gates and the exercise's final test
 * accuracy. Each row printed, then mean ± sd per rate; semillas.csv. */
void ch1_seed_study(const Ch1Config *c, const Mnist *train, const Mnist *test, Ch1SeedStudy *st);
void ch1_seed_study_json(Json *j, const Ch1Config *c, const Ch1SeedStudy *st);
void ch1_seed_study_free(Ch1SeedStudy *st);

#endif
