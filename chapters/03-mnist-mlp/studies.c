/* studies.c — chapter 3's experiments around the default network:
 *
 *   §3.1        the vanishing gradient: gradient norm per layer, sigmoid vs ReLU
 *   §3.3        overfitting: validation split, curves, early stopping, dropout, L2
 *   §3.5 ex. 3  a third hidden layer of 32 and plain SGD; --lr/--opt comparisons
 *   seed 003    784–20–20–10 sigmoid network, gradient summed vs averaged
 *
 * Each study prints a heading and a table, writes its CSVs and adds its key
 * numbers to summary.json. None of them stops the program when a learning
 * rate diverges: a diverged run is reported as such and its curve stops
 * (empty cells in the CSV), because there the divergence is the lesson. */
#include "mlp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "util.h"

/* --- shared pieces ------------------------------------------------------------------ */

static int *identity_order(int n)
{
    int *o = xmalloc((size_t)(n > 0 ? n : 1) * sizeof(int));
    for (int i = 0; i < n; i++)
        o[i] = i;
    return o;
}

/* A training run that may diverge: epochs of shuffled (or fixed-order)
 * batches; keeps every batch loss. Returns the number of batches trained
 * before a NaN (all of them when it did not diverge). */
typedef struct {
    float *batch_loss;
    int nbatches;          /* recorded */
    int diverged;
    double epoch_loss[64];
    double test_accuracy;
} Curve;

static void train_curve(Ch3Net *n, const char *opt_name, double lr, const Ch3Data *train,
                        const Ch3Data *test, int epochs, int batch, int shuffle, Rng *rng,
                        Curve *cv)
{
    memset(cv, 0, sizeof *cv);
    int per_epoch = (train->n + batch - 1) / batch;
    cv->batch_loss = xmalloc((size_t)epochs * per_epoch * sizeof(float));
    int *order = identity_order(train->n);
    Ch3Opt opt;
    ch3_opt_init(&opt, opt_name, lr, n);
    for (int e = 1; e <= epochs; e++) {
        if (shuffle)
            rng_shuffle(rng, order, train->n);
        float *bl = cv->batch_loss + (size_t)(e - 1) * per_epoch;
        double loss = ch3_train_epoch(n, &opt, train, order, train->n, batch, rng, e, epochs, bl);
        if (!isfinite(loss)) {
            cv->diverged = 1;
            /* keep the batches before the NaN */
            int k = 0;
            while (k < per_epoch && isfinite(bl[k]) && bl[k] != 0)
                k++;
            cv->nbatches += k;
            break;
        }
        cv->nbatches += per_epoch;
        cv->epoch_loss[e - 1] = loss;
        printf("  Época %d - Error: %.4f\n", e, loss);
    }
    cv->test_accuracy = cv->diverged ? NAN : ch3_evaluate(n, test, NULL, test->n, NULL, NULL);
    ch3_opt_free(&opt);
    free(order);
}

/* One CSV, one column per curve: the mean loss of every CH3_CURVE_EVERY
 * batches ("running_loss"), an empty cell where a curve has stopped. */
static void write_curves(const char *path, int ncurves, const char *const *names,
                         float *const *curves, const int *lens)
{
    int maxlen = 0;
    for (int i = 0; i < ncurves; i++)
        if (lens[i] > maxlen)
            maxlen = lens[i];
    int npoints = (maxlen + CH3_CURVE_EVERY - 1) / CH3_CURVE_EVERY;
    double *pts = xmalloc((size_t)(npoints + 1) * ncurves * sizeof(double));
    int *np = xmalloc((size_t)ncurves * sizeof(int));
    for (int i = 0; i < ncurves; i++)
        np[i] = ch3_smooth(curves[i], lens[i], CH3_CURVE_EVERY, pts + (size_t)i * (npoints + 1));

    char header[2048] = "batch";
    for (int i = 0; i < ncurves; i++) {
        strncat(header, ",", sizeof header - strlen(header) - 1);
        strncat(header, names[i], sizeof header - strlen(header) - 1);
    }
    Csv csv;
    csv_open(&csv, path, header);
    for (int p = 0; p < npoints; p++) {
        /* the x of a point: the last batch it averages */
        int last = (p + 1) * CH3_CURVE_EVERY < maxlen ? (p + 1) * CH3_CURVE_EVERY : maxlen;
        char line[4096];
        int used = snprintf(line, sizeof line, "%d", last);
        for (int i = 0; i < ncurves; i++) {
            if (p < np[i])
                used += snprintf(line + used, sizeof line - used, ",%.9g",
                                 pts[(size_t)i * (npoints + 1) + p]);
            else
                used += snprintf(line + used, sizeof line - used, ",");
        }
        csv_printf(&csv, "%s\n", line);
    }
    csv_close(&csv);
    free(pts);
    free(np);
}

/* --- §3.5 exercise 3 and the --lr / --opt comparison ---------------------------------- */

void ch3_study_optimisers(const Ch3Config *c, const Ch3Data *train, const Ch3Data *test,
                          const float *first_curve, int first_len, Json *j)
{
    /* (a) every (optimiser, learning rate) of --opt × --lr on the main net.
     * The main run's pair (same seed, same net) is not trained again: its
     * curve is reused. */
    printf("\n== Comparación de optimizadores y tasas (--opt × --lr) ==\n");
    int ncmp = c->nopt * c->nlr;
    char (*names)[64] = xmalloc((size_t)ncmp * sizeof *names);
    float **curves = xmalloc((size_t)ncmp * sizeof(float *));
    int *lens = xmalloc((size_t)ncmp * sizeof(int));
    double *accs = xmalloc((size_t)ncmp * sizeof(double));
    int *div = xmalloc((size_t)ncmp * sizeof(int));
    json_begin_array(j, "comparison");
    for (int o = 0, k = 0; o < c->nopt; o++)
        for (int r = 0; r < c->nlr; r++, k++) {
            snprintf(names[k], sizeof names[k], "%s lr %g", c->opt[o], c->lr[r]);
            int is_main = o == c->main_opt && r == c->main_lr;
            if (is_main) {
                curves[k] = xmalloc((size_t)first_len * sizeof(float));
                memcpy(curves[k], first_curve, (size_t)first_len * sizeof(float));
                lens[k] = first_len;
                accs[k] = NAN;   /* printed by the main section */
                div[k] = 0;
                printf("  %-22s (la red principal, arriba)\n", names[k]);
            } else {
                printf("  %s\n", names[k]);
                Ch3Net n;
                Rng rng;
                rng_seed(&rng, c->seed + 3);
                ch3_net_init(&n, c->nlayers, c->sizes, CH3_RELU, CH3_SOFTMAX_CE,
                             CH3_INIT_GLOROT, 1000, &rng);
                n.dropout = (real)c->dropout;   /* the main net's settings */
                n.l2 = (real)c->l2;
                Curve cv;
                train_curve(&n, c->opt[o], c->lr[r], train, test, c->epochs, c->batch, 1,
                            &rng, &cv);
                curves[k] = cv.batch_loss;
                lens[k] = cv.nbatches;
                accs[k] = cv.test_accuracy;
                div[k] = cv.diverged;
                if (cv.diverged)
                    printf("  %s: divergió (pérdida NaN tras %d lotes)\n", names[k], cv.nbatches);
                else
                    printf("  exactitud en prueba: %.2f %%\n", 100 * cv.test_accuracy);
                ch3_net_free(&n);
            }
            json_begin_object(j, NULL);
            json_str(j, "optimizer", c->opt[o]);
            json_num(j, "lr", c->lr[r]);
            json_bool(j, "diverged", div[k]);
            if (!is_main)
                json_num(j, "test_accuracy", accs[k]);
            json_end_object(j);
        }
    json_end_array(j);
    {
        const char **nm = xmalloc((size_t)ncmp * sizeof(char *));
        for (int k = 0; k < ncmp; k++)
            nm[k] = names[k];
        write_curves(out_path(c->out, "loss_comparacion.csv"), ncmp, nm, curves, lens);
        free(nm);
    }
    for (int k = 0; k < ncmp; k++)
        free(curves[k]);

    /* (b) notes §3.5 exercise 3: add a third hidden layer of 32 and switch
     * to optim.SGD. Same learning rate first (only the optimiser changes),
     * then SGD at 0.1, the kind of rate plain SGD needs. */
    printf("\n== 3.5 Ejercicio 3: capa oculta de 32 y SGD ==\n");
    double lr0 = 0.003;
    struct { const char *name, *opt; double lr; int deep; } runs[] = {
        {"784-128-64-10 adam lr 0.003", "adam", lr0, 0},
        {"784-128-64-32-10 adam lr 0.003", "adam", lr0, 1},
        {"784-128-64-32-10 sgd lr 0.003", "sgd", lr0, 1},
        {"784-128-64-32-10 sgd lr 0.1", "sgd", 0.1, 1},
    };
    int nruns = 4;
    float *ex_curves[4];
    int ex_lens[4];
    const char *ex_names[4];
    double ex_acc[4], ex_last[4];
    json_begin_array(j, "exercise_3_5");
    for (int k = 0; k < nruns; k++) {
        printf("  %s\n", runs[k].name);
        int sz3[] = {CH3_PIXELS, 128, 64, CH3_CLASSES};
        int sz4[] = {CH3_PIXELS, 128, 64, 32, CH3_CLASSES};
        Ch3Net n;
        Rng rng;
        rng_seed(&rng, c->seed + 7);
        ch3_net_init(&n, runs[k].deep ? 4 : 3, runs[k].deep ? sz4 : sz3, CH3_RELU,
                     CH3_SOFTMAX_CE, CH3_INIT_GLOROT, 1000, &rng);
        Curve cv;
        train_curve(&n, runs[k].opt, runs[k].lr, train, test, c->epochs, 64, 1, &rng, &cv);
        ex_curves[k] = cv.batch_loss;
        ex_lens[k] = cv.nbatches;
        ex_names[k] = runs[k].name;
        ex_acc[k] = cv.test_accuracy;
        ex_last[k] = cv.diverged ? NAN : cv.epoch_loss[c->epochs - 1];
        json_begin_object(j, NULL);
        json_str(j, "run", runs[k].name);
        json_num(j, "final_epoch_loss", ex_last[k]);
        json_num(j, "test_accuracy", ex_acc[k]);
        json_end_object(j);
        ch3_net_free(&n);
    }
    json_end_array(j);
    printf("\n  %-34s %12s %10s\n", "red y optimizador", "error final", "prueba");
    for (int k = 0; k < nruns; k++)
        printf("  %-34s %12.4f %9.2f %%\n", ex_names[k], ex_last[k], 100 * ex_acc[k]);
    write_curves(out_path(c->out, "ejercicio_3_5.csv"), nruns, ex_names, ex_curves, ex_lens);
    for (int k = 0; k < nruns; k++)
        free(ex_curves[k]);
    free(names);
    free(curves);
    free(lens);
    free(accs);
    free(div);
}

/* --- §3.3 overfitting ------------------------------------------------------------------ */

#define OVERFIT_PATIENCE 3

void ch3_study_overfitting(const Ch3Config *c, const Ch3Data *train, const Ch3Data *test,
                           Json *j)
{
    int epochs = c->quick ? 3 : c->overfit_epochs;
    if (epochs > 64)
        epochs = 64;
    double l2 = c->l2 > 0 ? c->l2 : 1e-4;
    double drop = c->dropout > 0 ? c->dropout : 0.2;
    printf("\n== 3.3 Sobreajuste: entrenamiento frente a validación (%d épocas) ==\n", epochs);

    /* The notes' two groups: a validation split the network never trains on
     * (1/6 of the training set: 50 000 / 10 000 for MNIST), chosen at random. */
    Rng split_rng;
    rng_seed(&split_rng, c->seed + 5);
    int *perm = identity_order(train->n);
    rng_shuffle(&split_rng, perm, train->n);
    int n_val = train->n / 6, n_tr = train->n - n_val;
    const int *tr_idx = perm, *val_idx = perm + n_tr;
    printf("  entrenamiento %d, validación %d (de las %d de entrenamiento)\n", n_tr, n_val,
           train->n);

    struct { const char *name, *key; double drop, l2; } variants[] = {
        {"sin regularización", "none", 0, 0},
        {"dropout", "dropout", drop, 0},
        {"L2", "l2", 0, l2},
        {"dropout + L2", "dropout_l2", drop, l2},
    };
    enum { NV = 4 };
    printf("  dropout p = %g, L2 λ = %g, parada temprana con paciencia %d\n", drop, l2,
           OVERFIT_PATIENCE);
    /* per variant and epoch: train loss, val loss, train acc, val acc */
    double (*hist)[64][4] = xcalloc(NV, sizeof *hist);
    json_begin_array(j, "overfitting");
    for (int v = 0; v < NV; v++) {
        printf("  -- %s --\n", variants[v].name);
        Ch3Net n;
        Rng rng;
        rng_seed(&rng, c->seed + 9);
        ch3_net_init(&n, c->nlayers, c->sizes, CH3_RELU, CH3_SOFTMAX_CE, CH3_INIT_GLOROT,
                     1000, &rng);
        n.dropout = (real)variants[v].drop;
        n.l2 = (real)variants[v].l2;
        Ch3Opt opt;
        ch3_opt_init(&opt, "adam", 0.003, &n);
        int *order = xmalloc((size_t)n_tr * sizeof(int));
        memcpy(order, tr_idx, (size_t)n_tr * sizeof(int));
        real *best = xmalloc(n.p.n * sizeof(real));
        double best_val = INFINITY;
        int best_epoch = 0, stop_epoch = 0, waited = 0;
        for (int e = 1; e <= epochs; e++) {
            rng_shuffle(&rng, order, n_tr);
            double loss = ch3_train_epoch(&n, &opt, train, order, n_tr, 64, &rng, e, epochs, NULL);
            if (!isfinite(loss))
                die("overfitting study: the loss became NaN (%s)", variants[v].name);
            double tl, vl;
            double ta = ch3_evaluate(&n, train, tr_idx, n_tr, NULL, &tl);
            double va = ch3_evaluate(&n, train, val_idx, n_val, NULL, &vl);
            hist[v][e - 1][0] = tl;
            hist[v][e - 1][1] = vl;
            hist[v][e - 1][2] = ta;
            hist[v][e - 1][3] = va;
            printf("  época %2d  entrenamiento %.4f (%.2f %%)  validación %.4f (%.2f %%)\n", e,
                   tl, 100 * ta, vl, 100 * va);
            /* Early stopping: remember the weights of the lowest validation
             * loss; stop when it has not improved for PATIENCE epochs, and
             * keep the remembered weights. We go on training only to draw
             * the whole curve; nothing after the stop changes the result. */
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
        }
        double last_test = ch3_evaluate(&n, test, NULL, test->n, NULL, NULL);
        memcpy(n.p.values, best, n.p.n * sizeof(real));
        double best_test = ch3_evaluate(&n, test, NULL, test->n, NULL, NULL);
        if (stop_epoch)
            printf("  parada temprana: se detiene en la época %d y se queda con los pesos de "
                   "la época %d (validación %.4f)\n", stop_epoch, best_epoch, best_val);
        else
            printf("  parada temprana: no se activa en %d épocas; mejor validación en la "
                   "época %d (%.4f)\n", epochs, best_epoch, best_val);
        printf("  prueba: %.2f %% con los pesos de la época %d, %.2f %% tras las %d épocas\n",
               100 * best_test, best_epoch, 100 * last_test, epochs);
        json_begin_object(j, NULL);
        json_str(j, "variant", variants[v].key);
        json_num(j, "dropout", variants[v].drop);
        json_num(j, "l2", variants[v].l2);
        json_int(j, "best_epoch", best_epoch);
        json_int(j, "early_stop_epoch", stop_epoch);
        json_num(j, "best_val_loss", best_val);
        json_num(j, "final_val_loss", hist[v][epochs - 1][1]);
        json_num(j, "final_train_loss", hist[v][epochs - 1][0]);
        json_num(j, "test_accuracy_last", last_test);
        json_num(j, "test_accuracy_best", best_test);
        json_end_object(j);
        free(best);
        free(order);
        ch3_opt_free(&opt);
        ch3_net_free(&n);
    }
    json_end_array(j);

    Csv csv;
    char header[1024] = "epoch";
    const char *parts[] = {"train_loss", "val_loss", "train_acc", "val_acc"};
    for (int v = 0; v < NV; v++)
        for (int p = 0; p < 4; p++) {
            char col[64];
            snprintf(col, sizeof col, ",%s_%s", variants[v].key, parts[p]);
            strncat(header, col, sizeof header - strlen(header) - 1);
        }
    csv_open(&csv, out_path(c->out, "sobreajuste.csv"), header);
    for (int e = 0; e < epochs; e++) {
        double row[1 + NV * 4];
        row[0] = e + 1;
        for (int v = 0; v < NV; v++)
            for (int p = 0; p < 4; p++)
                row[1 + v * 4 + p] = hist[v][e][p];
        csv_row(&csv, 1 + NV * 4, row);
    }
    csv_close(&csv);
    free(hist);
    free(perm);
}

/* --- §3.1 the vanishing gradient --------------------------------------------------------- */

#define VANISH_HIDDEN 6
#define VANISH_WIDTH 64

/* Mean over `batches` batches of ‖∂L/∂W_l‖ (Frobenius) for each layer, at
 * the initial weights (no update in between). */
static void gradient_norms(Ch3Net *n, const Ch3Data *d, int batches, double *norms)
{
    int *idx = identity_order(batches * 64);
    memset(norms, 0, (size_t)n->nlayers * sizeof(double));
    for (int k = 0; k < batches; k++) {
        ch3_gather(n->x, n->y, d, idx + k * 64, 64);
        ch3_forward(n, n->x, n->y, 64, 1, NULL);
        ch3_backward(n, n->x, n->y, 64);
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

void ch3_study_vanishing(const Ch3Config *c, const Ch3Data *train, Json *j)
{
    enum { L = VANISH_HIDDEN + 1 };
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
    double norms[2][L], acc[2];
    const char *act_name[2] = {"sigmoide", "ReLU"};
    for (int a = 0; a < 2; a++) {
        Ch3Net n;
        Rng rng;
        rng_seed(&rng, c->seed + 11);
        ch3_net_init(&n, L, sizes, a == 0 ? CH3_SIGMOID : CH3_RELU, CH3_SOFTMAX_CE,
                     CH3_INIT_GLOROT, 1000, &rng);
        gradient_norms(&n, train, batches, norms[a]);
        /* and what it means for learning: one epoch of plain SGD (lr 0.1). */
        acc[a] = NAN;
        if (!c->quick) {
            Ch3Opt opt;
            ch3_opt_init(&opt, "sgd", 0.1, &n);
            int *order = identity_order(train->n);
            rng_shuffle(&rng, order, train->n);
            double loss = ch3_train_epoch(&n, &opt, train, order, train->n, 64, &rng, 1, 1, NULL);
            acc[a] = isfinite(loss) ? ch3_evaluate(&n, train, NULL, train->n < 10000 ? train->n : 10000,
                                                   NULL, NULL) : NAN;
            free(order);
            ch3_opt_free(&opt);
        }
        ch3_net_free(&n);
    }
    printf("  ‖∂L/∂W‖ por capa al empezar (media de %d lotes de 64):\n", batches);
    printf("  %-6s %14s %14s\n", "capa", act_name[0], act_name[1]);
    for (int l = 0; l < L; l++)
        printf("  %-6d %14.3e %14.3e\n", l + 1, norms[0][l], norms[1][l]);
    double ratio_s = norms[0][0] / norms[0][L - 1], ratio_r = norms[1][0] / norms[1][L - 1];
    printf("  capa 1 / capa %d: sigmoide %.2e, ReLU %.2e\n", L, ratio_s, ratio_r);
    if (!c->quick)
        printf("  tras 1 época de SGD (lr 0.1), exactitud en entrenamiento: sigmoide %.2f %%, "
               "ReLU %.2f %%\n", 100 * acc[0], 100 * acc[1]);
    Csv csv;
    csv_open(&csv, out_path(c->out, "gradiente_capas.csv"), "layer,sigmoid,relu");
    for (int l = 0; l < L; l++)
        csv_row(&csv, 3, (double[]){l + 1, norms[0][l], norms[1][l]});
    csv_close(&csv);
    json_begin_object(j, "vanishing_gradient");
    json_int(j, "hidden_layers", VANISH_HIDDEN);
    json_num_array(j, "sigmoid_grad_norm", L, norms[0]);
    json_num_array(j, "relu_grad_norm", L, norms[1]);
    json_num(j, "sigmoid_first_over_last", ratio_s);
    json_num(j, "relu_first_over_last", ratio_r);
    json_num(j, "sigmoid_train_accuracy_1_epoch_sgd", acc[0]);
    json_num(j, "relu_train_accuracy_1_epoch_sgd", acc[1]);
    json_end_object(j);
}

/* --- seed 003: the 92 % network ------------------------------------------------------------ */

void ch3_study_seed003(const Ch3Config *c, const Ch3Data *train, const Ch3Data *test, Json *j)
{
    int epochs = c->quick ? 1 : 4;
    printf("\n== Réplica de 003: 784–20–20–10 sigmoide, error cuadrático, lotes de 100 ==\n");
    printf("  pesos y sesgos U(−0.5, 0.5), lotes en orden fijo, %d épocas, SGD\n", epochs);
    /* Three runs from the same initial weights:
     *  - "suma": the paper's code — the gradient SUMMED over the 100 images,
     *    times lr 0.01;
     *  - "media": what the paper's theory says — the MEAN gradient, times 0.01;
     *  - "media, lr 1": the mean times 1 — the same step as "suma" (Σ = 100 ·
     *    mean), so the same network up to rounding. */
    struct { const char *name, *key; int sum; double lr; } runs[] = {
        {"suma, lr 0.01", "sum_lr_0.01", 1, 0.01},
        {"media, lr 0.01", "mean_lr_0.01", 0, 0.01},
        {"media, lr 1", "mean_lr_1", 0, 1.0},
    };
    enum { NR = 3 };
    double acc[NR][8], cost[NR][8];
    int hits = 0, m = test->n < 500 ? test->n : 500;
    unsigned char *pred = xmalloc((size_t)test->n);
    int *order = identity_order(train->n);
    for (int r = 0; r < NR; r++) {
        Ch3Net n;
        Rng rng;
        rng_seed(&rng, c->seed + 13);
        ch3_net_init(&n, 3, (int[]){CH3_PIXELS, 20, 20, CH3_CLASSES}, CH3_SIGMOID,
                     CH3_SIGMOID_SE, CH3_INIT_HALF, 1000, &rng);
        n.sum_over_batch = runs[r].sum;
        Ch3Opt opt;
        ch3_opt_init(&opt, "sgd", runs[r].lr, &n);
        printf("  -- %s --\n", runs[r].name);
        for (int e = 1; e <= epochs; e++) {
            /* batches of 100 in the files' order: 600 "minisets" (003 §6) */
            cost[r][e - 1] = ch3_train_epoch(&n, &opt, train, order, train->n, 100, &rng, e,
                                             epochs, NULL);
            acc[r][e - 1] = ch3_evaluate(&n, test, NULL, test->n, pred, NULL);
            printf("  época %d  coste medio %.4f  prueba %.2f %%\n", e, cost[r][e - 1],
                   100 * acc[r][e - 1]);
        }
        printf("  aciertos: %ld de %d\n", lround(acc[r][epochs - 1] * test->n), test->n);
        if (r == 0) {
            /* 003 Fig 27: hits (1) and misses (0) on the first 500 test images */
            Csv csv;
            csv_open(&csv, out_path(c->out, "aciertos_500_003.csv"), "index,row,col,hit,label,pred");
            for (int i = 0; i < m; i++) {
                int hit = pred[i] == test->labels[i];
                hits += hit;
                csv_row(&csv, 6, (double[]){i, i / 25, i % 25, hit, test->labels[i], pred[i]});
            }
            csv_close(&csv);
            printf("  primeras %d imágenes de prueba: %d aciertos y %d errores "
                   "(003 dice 453 + 46, que suman 499)\n", m, hits, m - hits);
        }
        ch3_opt_free(&opt);
        ch3_net_free(&n);
    }
    printf("  La suma sobre 100 imágenes con lr 0.01 da el mismo paso que la media con\n"
           "  lr 1: 0.01 · Σ g = 0.01 · 100 · media(g) = 1 · media(g). Con la media y\n"
           "  lr 0.01 el paso es 100 veces menor y en %d épocas apenas aprende.\n", epochs);

    Csv csv;
    csv_open(&csv, out_path(c->out, "replica_003.csv"),
             "epoch,sum_acc,mean_acc,mean_lr1_acc,sum_cost,mean_cost,mean_lr1_cost");
    for (int e = 0; e < epochs; e++)
        csv_row(&csv, 7, (double[]){e + 1, acc[0][e], acc[1][e], acc[2][e], cost[0][e],
                                    cost[1][e], cost[2][e]});
    csv_close(&csv);

    json_begin_object(j, "seed003");
    json_int(j, "epochs", epochs);
    for (int r = 0; r < NR; r++) {
        json_begin_object(j, runs[r].key);
        json_num(j, "lr", runs[r].lr);
        json_bool(j, "summed", runs[r].sum);
        json_num(j, "test_accuracy", acc[r][epochs - 1]);
        json_num_array(j, "epoch_cost", epochs, cost[r]);
        json_end_object(j);
    }
    json_int(j, "first500_hits", hits);
    json_int(j, "first500_misses", m - hits);
    json_end_object(j);
    free(order);
    free(pred);
}
