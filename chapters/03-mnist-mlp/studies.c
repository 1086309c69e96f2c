/* studies.c — chapter 3's experiments around the default network:
 *
 *   §3.1        the vanishing gradient: gradient norm per layer, sigmoid vs ReLU
 *   §3.3        overfitting: validation split, curves, early stopping, dropout, L2
 *   §3.5 ex. 3  a third hidden layer of 32 and plain SGD; --lr/--opt comparisons
 *   seed 003    784–20–20–10 sigmoid network, gradient summed vs averaged
 *
 * Each study prints a heading and a table, writes its CSVs and fills its
 * results struct (summary.c turns them into summary.json). None of them
 * stops the program when a learning rate diverges: a diverged run is
 * reported as such (one line: epoch, batch, optimiser and rate) and its
 * curve stops (empty cells in the CSV, and the comparison's figure marks
 * where), because there the divergence is the lesson. Every network here
 * trains with mlp.c's loop (ch3_train, ch3_train_epoch), so --plain and
 * --threads apply, and so does Ctrl-C (resume.c): the --opt × --lr
 * comparison then writes the curves it has, the other studies nothing half. */
#include "mlp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "progress.h"
#include "util.h"

#define CURVE_EVERY 50   /* a loss-curve point: the mean of 50 batches ("running_loss") */

/* --- shared pieces ------------------------------------------------------------------ */

static int *identity_order(int n)
{
    int *o = xmalloc((size_t)(n > 0 ? n : 1) * sizeof(int));
    for (int i = 0; i < n; i++)
        o[i] = i;
    return o;
}

int ch3_validation_split(int n, uint64_t seed, int *perm)
{
    /* §3.3: a random sixth of the training file is set aside
     * (50 000 / 10 000 for MNIST). The thesis (§5.1) takes a random 20 %
     * instead; the idea is the same. */
    Rng rng;
    rng_seed(&rng, seed);
    for (int i = 0; i < n; i++)
        perm[i] = i;
    rng_shuffle(&rng, perm, n);
    return n / 6;
}

/* A training run that may diverge (ch3_train, lines indented), and its test
 * accuracy (NaN when it diverged: one line says where, and the others go on). */
static double train_curve(Ch3Net *n, const char *opt_name, double lr, const Mnist *train,
                          const Mnist *test, int epochs, int batch, Rng *rng, Ch3Run *run,
                          Ch3Training *t)
{
    ch3_train(n, opt_name, lr, train, epochs, batch, 1, rng, "  ", run, t);
    if (!t->diverged)
        return ch3_evaluate(n, test, NULL, test->n, NULL, NULL);
    printf("  divergió: la pérdida se hizo NaN o infinita en la época %d, lote %d (%s, lr %g); "
           "las demás siguen\n", t->diverged_epoch, t->diverged_batch, opt_name, lr);
    return NAN;
}

/* The curves of a comparison, one per run: `lens[i]` batch losses each,
 * drawn as the mean of every CURVE_EVERY batches ("running_loss"). */
typedef struct {
    int n;                    /* the curves (ncurves: all there will be) */
    const char *const *names;
    float **curves;
    int *lens;
    const int *diverged;      /* 1: that run's loss stopped being finite (may be NULL) */
    const char *csv;          /* <out>/loss_comparacion.csv ... */
    const char *ends;         /* ... and where each diverged curve ended (NULL: not kept) */
} Curves;

/* Point p of a curve of len batch losses: x, the last batch it averages (in
 * a CSV whose longest curve has maxlen), and y, their mean. */
static double curve_point(const float *v, int len, int maxlen, int p, double *x)
{
    int start = p * CURVE_EVERY, end = start + CURVE_EVERY < len ? start + CURVE_EVERY : len;
    *x = (p + 1) * CURVE_EVERY < maxlen ? (p + 1) * CURVE_EVERY : maxlen;
    double s = 0;
    for (int i = start; i < end; i++)
        s += v[i];
    return s / (end - start);
}

/* One CSV, one column per curve, an empty cell where a curve has stopped;
 * and, when kept, a small one with a row for every diverged curve — its
 * column (the figure's colour), its name and its last point — which the
 * figure marks "diverge". With none, only its header: no earlier run's
 * marks stay behind. */
static void write_curves(const Curves *cv)
{
    int maxlen = 0;
    for (int i = 0; i < cv->n; i++)
        maxlen = cv->lens[i] > maxlen ? cv->lens[i] : maxlen;
    int npoints = (maxlen + CURVE_EVERY - 1) / CURVE_EVERY;

    char header[2048] = "batch";
    for (int i = 0; i < cv->n; i++) {
        strncat(header, ",", sizeof header - strlen(header) - 1);
        strncat(header, cv->names[i], sizeof header - strlen(header) - 1);
    }
    double *row = xmalloc((size_t)(cv->n + 1) * sizeof(double));
    Csv csv;
    csv_open(&csv, cv->csv, header);
    for (int p = 0; p < npoints; p++) {
        for (int i = 0; i < cv->n; i++) {   /* NaN: an empty cell (csv_row_gaps) */
            double x;
            row[i + 1] = p * CURVE_EVERY < cv->lens[i]
                             ? curve_point(cv->curves[i], cv->lens[i], maxlen, p, &x) : NAN;
        }
        row[0] = (p + 1) * CURVE_EVERY < maxlen ? (p + 1) * CURVE_EVERY : maxlen;
        csv_row_gaps(&csv, cv->n + 1, row);
    }
    csv_close(&csv);
    free(row);
    if (!cv->ends)
        return;
    csv_open(&csv, cv->ends, "curve,run,batch,loss");
    for (int i = 0; i < cv->n; i++) {
        if (!cv->diverged || !cv->diverged[i] || cv->lens[i] == 0)
            continue;   /* (diverged at its first batch: no point to mark) */
        double x, y = curve_point(cv->curves[i], cv->lens[i], maxlen,
                                  (cv->lens[i] - 1) / CURVE_EVERY, &x);
        csv_printf(&csv, "%d,%s,%.9g,%.9g\n", i + 1, cv->names[i], x, y);
    }
    csv_close(&csv);
}

/* Ctrl-C in the middle of a comparison: the curves so far, the one under
 * way up to its last batch, written like the complete ones. */
typedef struct {
    Curves cv;
    int k;                    /* the run under way */
} CurvesSoFar;

static void write_curves_so_far(const Ch3Epoch *at, void *ctx)
{
    CurvesSoFar *s = ctx;
    s->cv.curves[s->k] = at->run->t->batch_loss;
    s->cv.lens[s->k] = ch3_losses_so_far(at);
    s->cv.n = s->k + 1;
    write_curves(&s->cv);
}

/* --- §3.5 exercise 3 and the --lr / --opt comparison ---------------------------------- */

/* (a) every (optimiser, learning rate) of --opt × --lr on the default net.
 * The main run's pair (same seed, same net) is not trained again: its curve
 * is reused. A pair that diverges is reported and its curve stops; the
 * others go on. */
static void compare_settings(const Ch3Config *c, const Mnist *train, const Mnist *test,
                             const float *main_curve, int main_len, Ch3Optimisers *r)
{
    printf("\n== Comparación de optimizadores y tasas (--opt × --lr) ==\n");
    int ncmp = c->nopt * c->nlr;
    char (*names)[64] = xmalloc((size_t)ncmp * sizeof *names);
    const char **name_of = xmalloc((size_t)ncmp * sizeof *name_of);
    float **curves = xcalloc((size_t)ncmp, sizeof *curves);
    int *lens = xcalloc((size_t)ncmp, sizeof *lens);
    int *diverged = xcalloc((size_t)ncmp, sizeof *diverged);
    char csv[4096], ends[4096];   /* (out_path's buffers are only lent for a few calls) */
    snprintf(csv, sizeof csv, "%s", out_path(c->out, "loss_comparacion.csv"));
    snprintf(ends, sizeof ends, "%s", out_path(c->out, "loss_comparacion_divergencias.csv"));
    CurvesSoFar so_far = {.cv = {.n = ncmp, .names = name_of, .curves = curves, .lens = lens,
                                 .diverged = diverged, .csv = csv, .ends = ends}};
    r->ncmp = ncmp;
    for (int o = 0, k = 0; o < c->nopt; o++)
        for (int lr = 0; lr < c->nlr; lr++, k++) {
            snprintf(names[k], sizeof names[k], "%s lr %g", c->opt[o], c->lr[lr]);
            name_of[k] = names[k];
            r->cmp[k].opt = c->opt[o];
            r->cmp[k].lr = c->lr[lr];
            r->cmp[k].is_main = o == c->main_opt && lr == c->main_lr;
            if (r->cmp[k].is_main) {
                curves[k] = xmalloc((size_t)main_len * sizeof(float) + 1);
                memcpy(curves[k], main_curve, (size_t)main_len * sizeof(float));
                lens[k] = main_len;
                r->cmp[k].test_accuracy = NAN;   /* printed by the main section */
                printf("  %-22s (la red principal, arriba)\n", names[k]);
                continue;
            }
            printf("  %s\n", names[k]);
            char what[128];
            snprintf(what, sizeof what, "la comparación (%s)", names[k]);
            so_far.k = k;
            Ch3Run run = {.what = what, .write_so_far = write_curves_so_far, .ctx = &so_far};
            /* notebook: one_setting */
            Ch3Net n;
            Rng rng;
            rng_seed(&rng, c->seed + 3);
            ch3_net_init(&n, c->nlayers, c->sizes, c->act, CH3_SOFTMAX_CE, CH3_INIT_GLOROT,
                         CH3_EVAL_BATCH, &rng);
            n.dropout = (real)c->dropout;   /* the main net's settings */
            n.l2 = (real)c->l2;
            Ch3Training t;
            r->cmp[k].test_accuracy = train_curve(&n, c->opt[o], c->lr[lr], train, test,
                                                  c->epochs, c->batch, &rng, &run, &t);
            /* end notebook: one_setting */
            r->cmp[k].diverged = diverged[k] = t.diverged;
            r->cmp[k].diverged_epoch = t.diverged_epoch;
            r->cmp[k].diverged_batch = t.diverged_batch;
            curves[k] = t.batch_loss;
            lens[k] = t.nbatch_loss;
            if (!t.diverged)
                printf("  exactitud en prueba: %.2f %%\n", 100 * r->cmp[k].test_accuracy);
            ch3_net_free(&n);
        }
    write_curves(&so_far.cv);
    for (int k = 0; k < ncmp; k++)
        free(curves[k]);
    free(names);
    free(name_of);
    free(curves);
    free(lens);
    free(diverged);
}

/* (b) notes §3.5 exercise 3: add a third hidden layer of 32 and switch to
 * optim.SGD. Same learning rate first (only the optimiser changes), then SGD
 * at 0.1, the kind of rate plain SGD needs. */
static void exercise_3_5(const Ch3Config *c, const Mnist *train, const Mnist *test,
                         Ch3Optimisers *r)
{
    printf("\n== 3.5 Ejercicio 3: capa oculta de 32 y SGD ==\n");
    static const struct { const char *name, *opt; double lr; int deep; } runs[CH3_EX35_RUNS] = {
        {"784-128-64-10 adam lr 0.003", "adam", 0.003, 0},
        {"784-128-64-32-10 adam lr 0.003", "adam", 0.003, 1},
        {"784-128-64-32-10 sgd lr 0.003", "sgd", 0.003, 1},
        {"784-128-64-32-10 sgd lr 0.1", "sgd", 0.1, 1},
    };
    float *curves[CH3_EX35_RUNS];
    int lens[CH3_EX35_RUNS];
    const char *names[CH3_EX35_RUNS];
    r->nex = CH3_EX35_RUNS;
    for (int k = 0; k < CH3_EX35_RUNS; k++) {
        printf("  %s\n", runs[k].name);
        char what[128];   /* for a Ctrl-C line */
        snprintf(what, sizeof what, "el ejercicio 3 de §3.5 (%s)", runs[k].name);
        Ch3Run run = {.what = what};
        Ch3Net n;
        Rng rng;
        rng_seed(&rng, c->seed + 7);
        ch3_net_init(&n, runs[k].deep ? 4 : 3,
                     runs[k].deep ? (int[]){CH3_PIXELS, 128, 64, 32, CH3_CLASSES}
                                  : (int[]){CH3_PIXELS, 128, 64, CH3_CLASSES},
                     activation_find("relu"), CH3_SOFTMAX_CE, CH3_INIT_GLOROT, CH3_EVAL_BATCH,
                     &rng);
        Ch3Training t;
        r->ex[k].run = runs[k].name;
        r->ex[k].test_accuracy = train_curve(&n, runs[k].opt, runs[k].lr, train, test, c->epochs,
                                             64, &rng, &run, &t);
        r->ex[k].final_epoch_loss = t.diverged ? NAN : t.epoch_loss[c->epochs - 1];
        curves[k] = t.batch_loss;
        lens[k] = t.nbatch_loss;
        names[k] = runs[k].name;
        ch3_net_free(&n);
    }
    printf("\n  %-34s %12s %10s\n", "red y optimizador", "error final", "prueba");
    for (int k = 0; k < CH3_EX35_RUNS; k++)
        printf("  %-34s %12.4f %9.2f %%\n", names[k], r->ex[k].final_epoch_loss,
               100 * r->ex[k].test_accuracy);
    write_curves(&(Curves){.n = CH3_EX35_RUNS, .names = names, .curves = curves, .lens = lens,
                           .csv = out_path(c->out, "ejercicio_3_5.csv")});
    for (int k = 0; k < CH3_EX35_RUNS; k++)
        free(curves[k]);
}

void ch3_study_optimisers(const Ch3Config *c, const Mnist *train, const Mnist *test,
                          const float *main_curve, int main_len, Ch3Optimisers *r)
{
    memset(r, 0, sizeof *r);
    r->ran = 1;
    compare_settings(c, train, test, main_curve, main_len, r);
    exercise_3_5(c, train, test, r);
}

/* --- §3.3 overfitting ------------------------------------------------------------------ */

#define OVERFIT_PATIENCE 3

static const struct { const char *name, *key; int drop, l2; } OVERFIT_VARIANTS[] = {
    {"sin regularización", "none", 0, 0},
    {"dropout", "dropout", 1, 0},
    {"L2", "l2", 0, 1},
    {"dropout + L2", "dropout_l2", 1, 1},
};

static int overfit_epochs(const Ch3Config *c)
{
    int epochs = c->quick ? 3 : c->overfit_epochs;
    return epochs > CH3_MAX_EPOCHS ? CH3_MAX_EPOCHS : epochs;
}

double ch3_overfitting_work(const Ch3Config *c, int ntrain, int ntest)
{
    int n_val = ntrain / 6, n_tr = ntrain - n_val;
    /* per variant and epoch: a training epoch, then both splits evaluated;
     * at the end the test set twice */
    double epoch = ch3_epoch_work(c->nlayers, c->sizes, n_tr, 64) +
                   CH3_EVAL_SHARE * ntrain * ch3_image_work(c->nlayers, c->sizes);
    double tests = 2 * CH3_EVAL_SHARE * ntest * ch3_image_work(c->nlayers, c->sizes);
    return CH3_OVERFIT_VARIANTS * (overfit_epochs(c) * epoch + tests);
}

/* The study for one seed: split and weights drawn from `seed` as the
 * notebook draws them from --seed. hist[v][e] gets, per variant and epoch,
 * the train loss, val loss, train accuracy and val accuracy; `verbose`
 * prints every epoch (the notebook), otherwise one line per variant. */
static void overfit_one_seed(const Ch3Config *c, uint64_t seed, const Mnist *train,
                             const Mnist *test, int verbose,
                             double (*hist)[CH3_MAX_EPOCHS][4], Ch3Overfitting *r)
{
    memset(r, 0, sizeof *r);
    r->ran = 1;
    int epochs = overfit_epochs(c);
    double l2 = c->l2 > 0 ? c->l2 : 1e-4;
    double drop = c->dropout > 0 ? c->dropout : 0.2;

    /* The notes' two groups: a validation split the network never trains on
     * (1/6 of the training set: 50 000 / 10 000 for MNIST), chosen at random. */
    int *perm = xmalloc((size_t)(train->n > 0 ? train->n : 1) * sizeof(int));
    int n_val = ch3_validation_split(train->n, seed + 5, perm), n_tr = train->n - n_val;
    const int *tr_idx = perm, *val_idx = perm + n_tr;
    if (verbose) {
        printf("  entrenamiento %d, validación %d (de las %d de entrenamiento)\n", n_tr, n_val,
               train->n);
        printf("  dropout p = %g, L2 λ = %g, parada temprana con paciencia %d\n", drop, l2,
               OVERFIT_PATIENCE);
    }
    double eval_work = CH3_EVAL_SHARE * ch3_image_work(c->nlayers, c->sizes);
    r->nvariants = CH3_OVERFIT_VARIANTS;
    for (int v = 0; v < CH3_OVERFIT_VARIANTS; v++) {
        if (verbose)
            printf("-- %s --\n", OVERFIT_VARIANTS[v].name);
        Ch3Net n;
        Rng rng;
        rng_seed(&rng, seed + 9);
        ch3_net_init(&n, c->nlayers, c->sizes, c->act, CH3_SOFTMAX_CE, CH3_INIT_GLOROT,
                     CH3_EVAL_BATCH, &rng);
        n.dropout = (real)(OVERFIT_VARIANTS[v].drop ? drop : 0);
        n.l2 = (real)(OVERFIT_VARIANTS[v].l2 ? l2 : 0);
        Optimizer opt;
        optim_init(&opt, "adam", 0.003, n.p.n);
        int *order = xmalloc((size_t)(n_tr > 0 ? n_tr : 1) * sizeof(int));
        memcpy(order, tr_idx, (size_t)n_tr * sizeof(int));
        real *best = xmalloc(n.p.n * sizeof(real));
        double best_val = INFINITY;
        int best_epoch = 0, stop_epoch = 0, waited = 0;
        char what[128];
        if (verbose)
            snprintf(what, sizeof what, "el estudio de sobreajuste (%s)", OVERFIT_VARIANTS[v].name);
        else
            snprintf(what, sizeof what, "el estudio de sobreajuste de la semilla %llu (%s)",
                     (unsigned long long)seed, OVERFIT_VARIANTS[v].name);
        Ch3Run run = {.what = what};
        for (int e = 1; e <= epochs; e++) {
            rng_shuffle(&rng, order, n_tr);
            Ch3Epoch at = {.epoch = e, .epochs = epochs, .run = &run};
            double loss = ch3_train_epoch(&n, &opt, train, order, n_tr, 64, &rng, &at, NULL);
            if (!isfinite(loss))
                die("%s: la pérdida se hizo NaN o infinita en la época %d (adam, lr 0.003)",
                    what, e);
            double tl, vl;
            Progress p;
            progress_begin(&p, "validación", 1, train->n * eval_work);
            double ta = ch3_evaluate(&n, train, tr_idx, n_tr, NULL, &tl);
            double va = ch3_evaluate(&n, train, val_idx, n_val, NULL, &vl);
            progress_end(&p);
            hist[v][e - 1][0] = tl;
            hist[v][e - 1][1] = vl;
            hist[v][e - 1][2] = ta;
            hist[v][e - 1][3] = va;
            if (verbose)
                printf("  época %2d  entrenamiento %.4f (%.2f %%)  validación %.4f (%.2f %%)\n",
                       e, tl, 100 * ta, vl, 100 * va);
            /* notebook: early_stopping */
            /* Early stopping: remember the weights of the lowest validation
             * loss; stop when it has not improved for PATIENCE epochs, and
             * keep the remembered weights. We go on training only to draw
             * the whole curve; nothing after the stop changes the result —
             * so "the best validation loss" here is the best BEFORE the
             * stop: a later, lower one (dropout's often is) is not used. */
            if (stop_epoch)
                continue;
            if (vl < best_val) {
                best_val = vl;
                best_epoch = e;
                waited = 0;
                memcpy(best, n.p.values, n.p.n * sizeof(real));
            } else if (++waited == OVERFIT_PATIENCE) {
                stop_epoch = e;
            }
            /* end notebook: early_stopping */
        }
        Progress p;
        progress_begin(&p, "prueba", 1, 2 * test->n * eval_work);
        double last_test = ch3_evaluate(&n, test, NULL, test->n, NULL, NULL);
        memcpy(n.p.values, best, n.p.n * sizeof(real));
        double best_test = ch3_evaluate(&n, test, NULL, test->n, NULL, NULL);
        progress_end(&p);
        /* the lowest validation loss over ALL the epochs, stopped or not */
        int min_epoch = 1;
        for (int e = 2; e <= epochs; e++)
            if (hist[v][e - 1][1] < hist[v][min_epoch - 1][1])
                min_epoch = e;
        if (verbose) {
            if (stop_epoch)
                printf("  parada temprana: se detiene en la época %d y se queda con los pesos "
                       "de la época %d (validación %.4f)\n", stop_epoch, best_epoch, best_val);
            else
                printf("  parada temprana: no se activa en %d épocas; mejor validación en la "
                       "época %d (%.4f)\n", epochs, best_epoch, best_val);
            if (min_epoch != best_epoch)
                printf("  (la validación más baja de las %d épocas es %.4f, en la época %d, "
                       "después de la parada)\n", epochs, hist[v][min_epoch - 1][1], min_epoch);
            printf("  prueba: %.2f %% con los pesos de la época %d, %.2f %% tras las %d "
                   "épocas\n", 100 * best_test, best_epoch, 100 * last_test, epochs);
        } else {
            printf("    %-20s parada en %2d, pesos de la época %2d (val. %.4f), mínimo en %2d "
                   "(%.4f), val. final %.4f; prueba %.2f %% / %.2f %%\n",
                   OVERFIT_VARIANTS[v].name, stop_epoch, best_epoch, best_val, min_epoch,
                   hist[v][min_epoch - 1][1], hist[v][epochs - 1][1], 100 * best_test,
                   100 * last_test);
        }
        r->v[v].key = OVERFIT_VARIANTS[v].key;
        r->v[v].name = OVERFIT_VARIANTS[v].name;
        r->v[v].dropout = OVERFIT_VARIANTS[v].drop ? drop : 0;
        r->v[v].l2 = OVERFIT_VARIANTS[v].l2 ? l2 : 0;
        r->v[v].best_epoch = best_epoch;
        r->v[v].early_stop_epoch = stop_epoch;
        r->v[v].best_val_loss = best_val;
        r->v[v].min_val_epoch = min_epoch;
        r->v[v].min_val_loss = hist[v][min_epoch - 1][1];
        r->v[v].final_val_loss = hist[v][epochs - 1][1];
        r->v[v].final_train_loss = hist[v][epochs - 1][0];
        r->v[v].test_accuracy_last = last_test;
        r->v[v].test_accuracy_best = best_test;
        free(best);
        free(order);
        optim_free(&opt);
        ch3_net_free(&n);
    }
    free(perm);
}

void ch3_overfitting_for_seed(const Ch3Config *c, uint64_t seed, const Mnist *train,
                              const Mnist *test, Ch3Overfitting *r)
{
    double (*hist)[CH3_MAX_EPOCHS][4] = xcalloc(CH3_OVERFIT_VARIANTS, sizeof *hist);
    overfit_one_seed(c, seed, train, test, 0, hist, r);
    free(hist);
}

void ch3_study_overfitting(const Ch3Config *c, const Mnist *train, const Mnist *test,
                           Ch3Overfitting *r)
{
    int epochs = overfit_epochs(c);
    printf("\n== 3.3 Sobreajuste: entrenamiento frente a validación (%d épocas) ==\n", epochs);
    /* per variant and epoch: train loss, val loss, train acc, val acc */
    double (*hist)[CH3_MAX_EPOCHS][4] = xcalloc(CH3_OVERFIT_VARIANTS, sizeof *hist);
    overfit_one_seed(c, c->seed, train, test, 1, hist, r);

    Csv csv;
    char header[1024] = "epoch";
    const char *parts[] = {"train_loss", "val_loss", "train_acc", "val_acc"};
    for (int v = 0; v < CH3_OVERFIT_VARIANTS; v++)
        for (int p = 0; p < 4; p++) {
            char col[64];
            snprintf(col, sizeof col, ",%s_%s", OVERFIT_VARIANTS[v].key, parts[p]);
            strncat(header, col, sizeof header - strlen(header) - 1);
        }
    csv_open(&csv, out_path(c->out, "sobreajuste.csv"), header);
    for (int e = 0; e < epochs; e++) {
        double row[1 + CH3_OVERFIT_VARIANTS * 4];
        row[0] = e + 1;
        for (int v = 0; v < CH3_OVERFIT_VARIANTS; v++)
            for (int p = 0; p < 4; p++)
                row[1 + v * 4 + p] = hist[v][e][p];
        csv_row(&csv, 1 + CH3_OVERFIT_VARIANTS * 4, row);
    }
    csv_close(&csv);
    /* The early-stopping marks of the figure: where each variant stopped
     * (0: it never did), whose weights it kept, and where its validation
     * loss was lowest over all the epochs. */
    csv_open(&csv, out_path(c->out, "sobreajuste_parada.csv"),
             "variant,stop_epoch,best_epoch,best_val_loss,min_epoch,min_val_loss");
    for (int v = 0; v < CH3_OVERFIT_VARIANTS; v++)
        csv_row(&csv, 6, (double[]){v + 1, r->v[v].early_stop_epoch, r->v[v].best_epoch,
                                    r->v[v].best_val_loss, r->v[v].min_val_epoch,
                                    r->v[v].min_val_loss});
    csv_close(&csv);
    free(hist);
}

/* --- §3.1 the vanishing gradient --------------------------------------------------------- */

#define VANISH_HIDDEN 6
#define VANISH_WIDTH 64

/* Mean over `batches` batches of 64 of ‖∂L/∂W_l‖ (Frobenius) for each layer,
 * at the initial weights (no update in between): mlp.c's readable pass. */
static void gradient_norms(Ch3Net *n, const Mnist *d, int batches, double *norms)
{
    int *idx = identity_order(batches * 64);
    Ch3Pass *w = &n->pass;
    memset(norms, 0, (size_t)n->nlayers * sizeof(double));
    for (int k = 0; k < batches; k++) {
        mnist_gather(d, idx + k * 64, 64, w->x, w->y);
        params_zero_grads(&n->p);
        ch3_forward(n, w, 64, 1);
        ch3_loss(n, w, 64);
        ch3_backward(n, w, 64, 64, 1);
        for (int l = 0; l < n->nlayers; l++) {
            double s = 0;
            size_t cnt = (size_t)n->sizes[l] * n->sizes[l + 1];
            for (size_t i = 0; i < cnt; i++)
                s += (double)n->dW[l][i] * n->dW[l][i];
            norms[l] += sqrt(s) / batches;
        }
    }
    free(idx);
}

void ch3_study_vanishing(const Ch3Config *c, const Mnist *train, Ch3Vanishing *r)
{
    enum { L = VANISH_HIDDEN + 1 };
    memset(r, 0, sizeof *r);
    r->ran = 1;
    r->hidden_layers = VANISH_HIDDEN;
    r->nlayers = L;
    printf("\n== 3.1 ReLU y el gradiente desvaneciente (%d capas ocultas de %d) ==\n",
           VANISH_HIDDEN, VANISH_WIDTH);
    int sizes[L + 1];
    sizes[0] = CH3_PIXELS;
    for (int l = 1; l <= VANISH_HIDDEN; l++)
        sizes[l] = VANISH_WIDTH;
    sizes[L] = CH3_CLASSES;
    int batches = train->n / 64 < 10 ? train->n / 64 : 10;
    if (batches < 1)
        die("vanishing-gradient study: needs at least 64 training images");
    const char *act_name[2] = {"sigmoid", "relu"};
    double *norms[2] = {r->sigmoid_norm, r->relu_norm}, *acc[2] = {&r->sigmoid_accuracy,
                                                                    &r->relu_accuracy};
    for (int a = 0; a < 2; a++) {
        Ch3Net n;
        Rng rng;
        rng_seed(&rng, c->seed + 11);
        ch3_net_init(&n, L, sizes, activation_find(act_name[a]), CH3_SOFTMAX_CE,
                     CH3_INIT_GLOROT, CH3_EVAL_BATCH, &rng);
        gradient_norms(&n, train, batches, norms[a]);
        /* and what it means for learning: one epoch of plain SGD (lr 0.1). */
        *acc[a] = NAN;
        if (!c->quick) {
            Optimizer opt;
            optim_init(&opt, "sgd", 0.1, n.p.n);
            int *order = identity_order(train->n);
            rng_shuffle(&rng, order, train->n);
            char what[128];
            snprintf(what, sizeof what, "el estudio del gradiente desvaneciente (%s)",
                     ch3_act_label(n.act));
            Ch3Run run = {.what = what};
            Ch3Epoch at = {.epoch = 1, .epochs = 1, .run = &run};
            double loss = ch3_train_epoch(&n, &opt, train, order, train->n, 64, &rng, &at, NULL);
            if (isfinite(loss))
                *acc[a] = ch3_evaluate(&n, train, NULL, train->n < 10000 ? train->n : 10000,
                                       NULL, NULL);
            free(order);
            optim_free(&opt);
        }
        ch3_net_free(&n);
    }
    printf("  ‖∂L/∂W‖ por capa al empezar (media de %d lotes de 64):\n", batches);
    printf("  %-6s %14s %14s\n", "capa", "sigmoide", "ReLU");
    for (int l = 0; l < L; l++)
        printf("  %-6d %14.3e %14.3e\n", l + 1, r->sigmoid_norm[l], r->relu_norm[l]);
    r->sigmoid_first_over_last = r->sigmoid_norm[0] / r->sigmoid_norm[L - 1];
    r->relu_first_over_last = r->relu_norm[0] / r->relu_norm[L - 1];
    printf("  capa 1 / capa %d: sigmoide %.2e, ReLU %.2e\n", L, r->sigmoid_first_over_last,
           r->relu_first_over_last);
    if (!c->quick)
        printf("  tras 1 época de SGD (lr 0.1), exactitud en entrenamiento: sigmoide %.2f %%, "
               "ReLU %.2f %%\n", 100 * r->sigmoid_accuracy, 100 * r->relu_accuracy);
    Csv csv;
    csv_open(&csv, out_path(c->out, "gradiente_capas.csv"), "layer,sigmoid,relu");
    for (int l = 0; l < L; l++)
        csv_row(&csv, 3, (double[]){l + 1, r->sigmoid_norm[l], r->relu_norm[l]});
    csv_close(&csv);
}

/* --- seed 003: the 92 % network ------------------------------------------------------------ */

void ch3_study_seed003(const Ch3Config *c, const Mnist *train, const Mnist *test, Ch3Seed003 *r)
{
    memset(r, 0, sizeof *r);
    r->ran = 1;
    int epochs = r->epochs = c->quick ? 1 : 4;
    printf("\n== Réplica de 003: 784–20–20–10 sigmoide, error cuadrático, lotes de 100 ==\n");
    printf("  pesos y sesgos U(−0.5, 0.5), lotes en orden fijo, %d épocas, SGD\n", epochs);
    /* notebook: seed003_runs */
    /* Three runs from the same initial weights:
     *  - "suma": the paper's code — the gradient SUMMED over the 100 images,
     *    times lr 0.01;
     *  - "media": what the paper's theory says — the MEAN gradient, times 0.01;
     *  - "media, lr 1": the mean times 1 — the same step as "suma" (Σ = 100 ·
     *    mean), so the same network up to rounding. */
    static const struct { const char *name, *key; int sum; double lr; } runs[] = {
        {"suma, lr 0.01", "sum_lr_0.01", 1, 0.01},
        {"media, lr 0.01", "mean_lr_0.01", 0, 0.01},
        {"media, lr 1", "mean_lr_1", 0, 1.0},
    };
    /* end notebook: seed003_runs */
    double acc[CH3_SEED003_RUNS][8];
    int m = test->n < 500 ? test->n : 500;
    unsigned char *pred = xmalloc((size_t)test->n + 1);
    int *order = identity_order(train->n);
    for (int k = 0; k < CH3_SEED003_RUNS; k++) {
        char what[128];   /* for a Ctrl-C line */
        snprintf(what, sizeof what, "la réplica de 003 (%s)", runs[k].name);
        Ch3Run run = {.what = what};
        /* notebook: seed003_run */
        Ch3Net n;
        Rng rng;
        rng_seed(&rng, c->seed + 13);
        ch3_net_init(&n, 3, (int[]){CH3_PIXELS, 20, 20, CH3_CLASSES}, activation_find("sigmoid"),
                     CH3_SIGMOID_SE, CH3_INIT_HALF, CH3_EVAL_BATCH, &rng);
        n.sum_over_batch = runs[k].sum;
        Optimizer opt;
        optim_init(&opt, "sgd", runs[k].lr, n.p.n);
        printf("-- %s --\n", runs[k].name);
        double *cost = r->run[k].epoch_cost;
        for (int e = 1; e <= epochs; e++) {
            /* batches of 100 in the files' order: 600 "minisets" (003 §6) */
            Ch3Epoch at = {.epoch = e, .epochs = epochs, .run = &run};
            cost[e - 1] = ch3_train_epoch(&n, &opt, train, order, train->n, 100, &rng, &at, NULL);
            acc[k][e - 1] = ch3_evaluate(&n, test, NULL, test->n, pred, NULL);
            printf("  época %d  coste medio %.4f  prueba %.2f %%\n", e, cost[e - 1],
                   100 * acc[k][e - 1]);
        }
        /* end notebook: seed003_run */
        printf("  aciertos: %ld de %d\n", lround(acc[k][epochs - 1] * test->n), test->n);
        r->run[k].key = runs[k].key;
        r->run[k].lr = runs[k].lr;
        r->run[k].summed = runs[k].sum;
        r->run[k].test_accuracy = acc[k][epochs - 1];
        if (k == 0) {
            /* 003 Fig 27: hits (1) and misses (0) on the first 500 test images */
            Csv csv;
            csv_open(&csv, out_path(c->out, "aciertos_500_003.csv"),
                     "index,row,col,hit,label,pred");
            for (int i = 0; i < m; i++) {
                int hit = pred[i] == test->labels[i];
                r->first500_hits += hit;
                csv_row(&csv, 6, (double[]){i, i / 25, i % 25, hit, test->labels[i], pred[i]});
            }
            r->first500_misses = m - r->first500_hits;
            printf("  primeras %d imágenes de prueba: %d aciertos y %d errores "
                   "(003 dice 453 + 46, que suman 499)\n", m, r->first500_hits,
                   r->first500_misses);
            csv_close(&csv);
        }
        optim_free(&opt);
        ch3_net_free(&n);
    }
    printf("  La suma sobre 100 imágenes con lr 0.01 da el mismo paso que la media con\n"
           "  lr 1: 0.01 · Σ g = 0.01 · 100 · media(g) = 1 · media(g). Con la media y\n"
           "  lr 0.01 el paso es 100 veces menor y en %d épocas apenas aprende.\n", epochs);

    Csv csv;
    csv_open(&csv, out_path(c->out, "replica_003.csv"),
             "epoch,sum_acc,mean_acc,mean_lr1_acc,sum_cost,mean_cost,mean_lr1_cost");
    for (int e = 0; e < epochs; e++)
        csv_row(&csv, 7, (double[]){e + 1, acc[0][e], acc[1][e], acc[2][e], r->run[0].epoch_cost[e],
                                    r->run[1].epoch_cost[e], r->run[2].epoch_cost[e]});
    csv_close(&csv);
    free(order);
    free(pred);
}
