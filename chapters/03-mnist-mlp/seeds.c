/* seeds.c — how much the headline moves with the seed (--seeds LIST, make's
 * SEEDS=1-5). Two epochs from one seed are one draw: the starting weights,
 * the order of the batches and (with dropout) the masks all come from it. So
 * the main network of §3.3–3.4 is trained once per seed, exactly as the
 * notebook trains it from --seed (seed 42 in the list gives the notebook's
 * run, byte for byte), and the chapter reports the mean ± standard deviation
 * of the test accuracy.
 *
 * Only the main network runs: the studies answer other questions and would
 * multiply the time by the number of seeds. --seeds-overfit adds §3.3's
 * overfitting study for every seed, which is what the notebook's claims about
 * dropout, L2 and early stopping rest on. */
#include "mlp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "out.h"
#include "progress.h"
#include "stats.h"
#include "util.h"

/* A seed's run diverged: as the notebook's main run does, summary.json says
 * where (and claims no accuracy), one line says it, exit 1. */
NORETURN static void stop_diverged(const Ch3Config *c, uint64_t s, const Ch3Training *t,
                                   const Mnist *train, const Mnist *test)
{
    const char *opt = c->opt[c->main_opt];
    double lr = c->lr[c->main_lr];
    Json j;
    json_open(&j, out_path(c->out, "summary.json"));
    json_str(&j, "chapter", "03-mnist-mlp");
    json_str(&j, "mode", "seeds");
    json_str(&j, "data", c->data);
    json_int(&j, "train_images", train->n);
    json_int(&j, "test_images", test->n);
    json_int(&j, "epochs", c->epochs);
    json_begin_object(&j, "diverged");
    json_int(&j, "seed", (long long)s);
    json_int(&j, "epoch", t->diverged_epoch);
    json_int(&j, "batch", t->diverged_batch);
    json_num(&j, "lr", lr);
    json_str(&j, "opt", opt);
    json_end_object(&j);
    json_files(&j);
    json_close(&j);
    die("semilla %llu: el entrenamiento divergió, la pérdida se hizo NaN o infinita en la época "
        "%d, lote %d (%s, lr %g) — pruebe un --lr menor", (unsigned long long)s,
        t->diverged_epoch, t->diverged_batch, opt, lr);
}

/* The main network from seed s: ch3_net_init and the shuffles draw from
 * s + 3, as main.c's section_3_4_default_network does from --seed. */
static double train_one_seed(const Ch3Config *c, uint64_t s, const Mnist *train,
                             const Mnist *test, double *final_loss)
{
    Ch3Net net;
    Rng rng;
    rng_seed(&rng, s + 3);
    ch3_net_init(&net, c->nlayers, c->sizes, c->act, CH3_SOFTMAX_CE, CH3_INIT_GLOROT,
                 CH3_EVAL_BATCH, &rng);
    net.dropout = (real)c->dropout;
    net.l2 = (real)c->l2;
    Ch3Training t;
    char what[64];
    snprintf(what, sizeof what, "la semilla %llu", (unsigned long long)s);
    Ch3Run run = {.what = what};   /* no checkpoint: only the notebook's main run keeps one */
    ch3_train(&net, c->opt[c->main_opt], c->lr[c->main_lr], train, c->epochs, c->batch, 1, &rng,
              "  ", &run, &t);
    if (t.diverged)
        stop_diverged(c, s, &t, train, test);
    double acc = ch3_evaluate(&net, test, NULL, test->n, NULL, NULL);
    *final_loss = t.epoch_loss[t.epochs - 1];
    free(t.batch_loss);
    ch3_net_free(&net);
    return acc;
}

static double lowest(const double *x, int n)
{
    double m = x[0];
    for (int i = 1; i < n; i++)
        m = x[i] < m ? x[i] : m;
    return m;
}

static double highest(const double *x, int n)
{
    double m = x[0];
    for (int i = 1; i < n; i++)
        m = x[i] > m ? x[i] : m;
    return m;
}

/* --seeds-overfit: every seed's overfitting study, then per variant the
 * mean ± sd of what the notebook says about them. */
typedef struct {
    const char *key, *name;
    double stop[CH3_MAX_SEEDS], best_epoch[CH3_MAX_SEEDS], best_val[CH3_MAX_SEEDS];
    double min_epoch[CH3_MAX_SEEDS], min_val[CH3_MAX_SEEDS], final_val[CH3_MAX_SEEDS];
    double test_best[CH3_MAX_SEEDS], test_last[CH3_MAX_SEEDS];
} OverfitSeeds;

/* "<what>: m ± sd" on the current line (no columns: accented labels would
 * misalign them). */
static void print_mean_sd(const char *what, const double *x, int n, double scale,
                          const char *fmt)
{
    double m, sd;
    mean_sd(x, n, &m, &sd);
    printf("%s: ", what);
    printf(fmt, scale * m, scale * sd);
    printf("\n");
}

static void overfitting_over_seeds(const Ch3Config *c, const Mnist *train, const Mnist *test,
                                   Json *j)
{
    printf("\n== 3.3 Sobreajuste con cada semilla (--seeds-overfit) ==\n");
    OverfitSeeds *v = xcalloc(CH3_OVERFIT_VARIANTS, sizeof *v);
    Csv csv;
    csv_open(&csv, out_path(c->out, "semillas_sobreajuste.csv"),
             "semilla,variante,parada,epoca_pesos,val_pesos,epoca_minimo,val_minimo,"
             "val_final,prueba_pesos,prueba_final");
    for (int k = 0; k < c->nseeds; k++) {
        printf("  semilla %llu\n", (unsigned long long)c->seeds[k]);
        Ch3Overfitting r;
        ch3_overfitting_for_seed(c, c->seeds[k], train, test, &r);
        for (int i = 0; i < r.nvariants; i++) {
            v[i].key = r.v[i].key;
            v[i].name = r.v[i].name;
            v[i].stop[k] = r.v[i].early_stop_epoch;
            v[i].best_epoch[k] = r.v[i].best_epoch;
            v[i].best_val[k] = r.v[i].best_val_loss;
            v[i].min_epoch[k] = r.v[i].min_val_epoch;
            v[i].min_val[k] = r.v[i].min_val_loss;
            v[i].final_val[k] = r.v[i].final_val_loss;
            v[i].test_best[k] = r.v[i].test_accuracy_best;
            v[i].test_last[k] = r.v[i].test_accuracy_last;
            csv_printf(&csv, "%llu,%s,%d,%d,%.6f,%d,%.6f,%.6f,%.6f,%.6f\n",
                       (unsigned long long)c->seeds[k], r.v[i].key, r.v[i].early_stop_epoch,
                       r.v[i].best_epoch, r.v[i].best_val_loss, r.v[i].min_val_epoch,
                       r.v[i].min_val_loss, r.v[i].final_val_loss,
                       r.v[i].test_accuracy_best, r.v[i].test_accuracy_last);
        }
    }
    csv_close(&csv);

    int n = c->nseeds;
    json_begin_array(j, "overfitting_over_seeds");
    for (int i = 0; i < CH3_OVERFIT_VARIANTS; i++) {
        printf("\n  -- %s: media ± desviación típica sobre %d semillas --\n", v[i].name, n);
        /* the stop's epoch over the seeds where it stopped (0 means it never did) */
        double stopped[CH3_MAX_SEEDS];
        int nstopped = 0;
        for (int k = 0; k < n; k++)
            if (v[i].stop[k] > 0)
                stopped[nstopped++] = v[i].stop[k];
        if (nstopped) {
            printf("    parada temprana: en %d de %d semillas, ", nstopped, n);
            print_mean_sd("en la época", stopped, nstopped, 1, "%.1f ± %.1f");
        } else {
            printf("    parada temprana: no se activa con ninguna semilla\n");
        }
        print_mean_sd("    pesos guardados: época", v[i].best_epoch, n, 1, "%.1f ± %.1f");
        print_mean_sd("      su pérdida de validación", v[i].best_val, n, 1, "%.4f ± %.4f");
        print_mean_sd("    mínimo de validación: época", v[i].min_epoch, n, 1, "%.1f ± %.1f");
        print_mean_sd("      su pérdida de validación", v[i].min_val, n, 1, "%.4f ± %.4f");
        print_mean_sd("    pérdida de validación final", v[i].final_val, n, 1, "%.4f ± %.4f");
        print_mean_sd("    prueba, pesos guardados", v[i].test_best, n, 100, "%.2f ± %.2f %%");
        print_mean_sd("    prueba, tras todas las épocas", v[i].test_last, n, 100, "%.2f ± %.2f %%");
        json_begin_object(j, NULL);
        json_str(j, "variant", v[i].key);
        json_int(j, "early_stop_seeds", nstopped);   /* early_stop_epoch_*: over those */
        if (nstopped) {
            double m, sd;
            mean_sd(stopped, nstopped, &m, &sd);
            json_num(j, "early_stop_epoch_mean", m);
            json_num(j, "early_stop_epoch_sd", sd);
        }
        struct { const char *key; const double *x; } cols[] = {
            {"best_epoch", v[i].best_epoch},
            {"best_val_loss", v[i].best_val}, {"min_val_epoch", v[i].min_epoch},
            {"min_val_loss", v[i].min_val}, {"final_val_loss", v[i].final_val},
            {"test_accuracy_best", v[i].test_best}, {"test_accuracy_last", v[i].test_last}};
        for (size_t q = 0; q < sizeof cols / sizeof cols[0]; q++) {
            double m, sd;
            mean_sd(cols[q].x, n, &m, &sd);
            char key[64];
            snprintf(key, sizeof key, "%s_mean", cols[q].key);
            json_num(j, key, m);
            snprintf(key, sizeof key, "%s_sd", cols[q].key);
            json_num(j, key, sd);
        }
        json_end_object(j);
    }
    json_end_array(j);
    free(v);
}

void ch3_seed_study(const Ch3Config *c, const Mnist *train, const Mnist *test)
{
    char shape[128];
    {
        int n = snprintf(shape, sizeof shape, "%d", c->sizes[0]);
        for (int l = 1; l <= c->nlayers && n < (int)sizeof shape; l++)
            n += snprintf(shape + n, sizeof shape - n, "–%d", c->sizes[l]);
    }
    printf("\n== Semillas: la red %s entrenada una vez por semilla (%d semillas) ==\n", shape,
           c->nseeds);
    printf("  solo la red principal (%s lr %g, %d épocas, lotes de %d); los estudios y las\n"
           "  figuras del cuaderno no se repiten%s\n", c->opt[c->main_opt], c->lr[c->main_lr],
           c->epochs, c->batch, c->seeds_overfit ? " (salvo §3.3, --seeds-overfit)" : "");
    double *acc = xmalloc((size_t)c->nseeds * sizeof(double));
    double *loss = xmalloc((size_t)c->nseeds * sizeof(double));
    for (int k = 0; k < c->nseeds; k++) {
        printf("  -- semilla %llu --\n", (unsigned long long)c->seeds[k]);
        acc[k] = train_one_seed(c, c->seeds[k], train, test, &loss[k]);
        printf("  exactitud en prueba: %.2f %%\n", 100 * acc[k]);
    }
    double mean, sd;
    mean_sd(acc, c->nseeds, &mean, &sd);
    printf("\n  %-10s %12s %22s\n", "semilla", "error final", "exactitud en prueba");
    for (int k = 0; k < c->nseeds; k++)
        printf("  %-10llu %12.4f %20.2f %%\n", (unsigned long long)c->seeds[k], loss[k],
               100 * acc[k]);
    printf("  exactitud en prueba: %.2f ± %.2f %% (media ± desviación típica, %d semillas; "
           "mín. %.2f, máx. %.2f)\n", 100 * mean, 100 * sd, c->nseeds,
           100 * lowest(acc, c->nseeds), 100 * highest(acc, c->nseeds));

    ch3_stop_if_interrupted("el estudio de semillas");   /* a Ctrl-C while evaluating */
    Csv csv;
    csv_open(&csv, out_path(c->out, "semillas.csv"), "semilla,error_final,exactitud");
    for (int k = 0; k < c->nseeds; k++)
        csv_printf(&csv, "%llu,%.6f,%.6f\n", (unsigned long long)c->seeds[k], loss[k], acc[k]);
    csv_close(&csv);

    Json j;
    json_open(&j, out_path(c->out, "summary.json"));
    json_str(&j, "chapter", "03-mnist-mlp");
    json_str(&j, "mode", "seeds");
    json_str(&j, "data", c->data);
    json_int(&j, "train_images", train->n);
    json_int(&j, "test_images", test->n);
    json_int(&j, "epochs", c->epochs);
    ch3_json_settings(&j, c, shape);
    json_begin_array(&j, "seeds");
    for (int k = 0; k < c->nseeds; k++)
        json_int(&j, NULL, (long long)c->seeds[k]);
    json_end_array(&j);
    json_num_array(&j, "test_accuracy_per_seed", c->nseeds, acc);
    json_num_array(&j, "final_epoch_loss_per_seed", c->nseeds, loss);
    json_num(&j, "test_accuracy_mean", mean);
    json_num(&j, "test_accuracy_sd", sd);
    if (c->seeds_overfit)
        overfitting_over_seeds(c, train, test, &j);
    ch3_stop_if_interrupted("el estudio de semillas");
    json_files(&j);
    json_close(&j);
    free(acc);
    free(loss);
}
