/* studies.c — the chapter's runs repeated (see studies.h):
 *
 *   --lr 0.01,0.1,1   the gates and the exercise for every rate, all from the
 *                     same start, so that only η differs: errores_tasas.csv,
 *                     mnist_tasas.csv (plots/ch1_errores_tasas.gp,
 *                     plots/ch1_mnist_tasas.gp overlay them);
 *   --seeds 1-10      for every seed, what `ch1 --seed s` computes: how many
 *                     epochs AND and OR took, XOR's cycle, the exercise's test
 *                     accuracy; then mean ± standard deviation: semillas.csv.
 *
 * A seed's run is the chapter's run: ch1_initial_weights() draws w0 from the
 * seed, the gates train from it, and the exercise continues with the same
 * generator (ch1_ovr_init, then the shuffles), as main.c does.
 *
 * A run that diverges here (a rate so large that the arithmetic overflows:
 * perceptron.c, "Divergence") is a result like any other: it stops, its one
 * line is printed after its table, its curve ends where it stopped (the
 * *_fin.csv files say where, for the figures), summary.json records it, and
 * the other runs go on. Only the chapter's own run diverging stops the
 * program (main.c). */
#include "studies.h"

#include "figures_data.h"
#include "out.h"
#include "progress.h"
#include "stats.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================================
 * --lr LIST
 * ====================================================================== */

/* Characters, not bytes: "í" and "é" take two bytes each, and printf's
 * %-18s pads by bytes. */
static int utf8_width(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Spaces that pad s to w characters (none when it is already that long). */
static int pad_to(const char *s, int w)
{
    int n = w - utf8_width(s);
    return n > 0 ? n : 0;
}

static void gate_cell(const Ch1GateRun *r, char *cell, size_t len)
{
    if (r->diverged_epoch)
        snprintf(cell, len, "diverge, época %d", r->diverged_epoch);
    else if (r->learned && r->last_error_epoch == 0)
        snprintf(cell, len, "sí, sin errores");
    else if (r->learned)
        snprintf(cell, len, "sí, época %d", r->last_error_epoch);
    else
        snprintf(cell, len, "no (%d épocas)", r->epochs);
}

void ch1_compare_gates(const Ch1Config *c, const double w0[2], Ch1RateComparison *cmp)
{
    cmp->n = c->n_lr;
    memcpy(cmp->lr, c->lr, sizeof cmp->lr);
    printf("\n== Comparación de tasas de aprendizaje: las puertas ==\n");
    printf("Las tres puertas con cada η, todas desde el mismo w = [%.4f, %.4f], b = 0.\n", w0[0],
           w0[1]);
    printf("AND y OR: ¿aprendida?, y en qué época fue su último error; XOR: su ciclo.\n");
    printf("  η%7s  %-18s  %-18s  %s\n", "", "AND", "OR", "XOR");
    for (int k = 0; k < cmp->n; k++) {
        for (int g = 0; g < CH1_N_GATES; g++)
            ch1_train_gate(w0, cmp->lr[k], c->epochs, ch1_gates[g].y, &cmp->gates[k][g]);
        cmp->xor_cycle[k] = ch1_gate_cycle(&cmp->gates[k][CH1_XOR]);
        char and_cell[64], or_cell[64], xor_cell[96];
        gate_cell(&cmp->gates[k][CH1_AND], and_cell, sizeof and_cell);
        gate_cell(&cmp->gates[k][CH1_OR], or_cell, sizeof or_cell);
        const Ch1Cycle *cy = &cmp->xor_cycle[k];
        if (cmp->gates[k][CH1_XOR].diverged_epoch)
            snprintf(xor_cell, sizeof xor_cell, "diverge en la época %d",
                     cmp->gates[k][CH1_XOR].diverged_epoch);
        else if (cmp->gates[k][CH1_XOR].learned)
            snprintf(xor_cell, sizeof xor_cell, "sí (?)");
        else if (cy->found)
            snprintf(xor_cell, sizeof xor_cell, "no; ciclo de %d ejemplos desde la época %d",
                     cy->period, cy->from_epoch);
        else
            snprintf(xor_cell, sizeof xor_cell, "no; sin ciclo aún en %d épocas", c->epochs);
        printf("  %-8g  %s%*s  %s%*s  %s%s\n", cmp->lr[k], and_cell,
               pad_to(and_cell, 18), "", or_cell, pad_to(or_cell, 18), "", xor_cell,
               k == c->main_lr ? "   (la del capítulo)" : "");
    }
    /* The diverged runs, each in its one line. */
    for (int k = 0; k < cmp->n; k++)
        for (int g = 0; g < CH1_N_GATES; g++) {
            const Ch1GateRun *r = &cmp->gates[k][g];
            if (!r->diverged_epoch)
                continue;
            char line[256];
            ch1_gate_divergence(line, sizeof line, ch1_gates[g].name, cmp->lr[k],
                                r->diverged_epoch, r->diverged_example);
            printf("  %s\n", line);
        }
    Ch1GateRun *by_rate[CH1_MAX_RATES];
    for (int k = 0; k < cmp->n; k++)
        by_rate[k] = cmp->gates[k];
    write_rate_errors(c->out, cmp->n, cmp->lr, c->epochs, by_rate);
}

void ch1_compare_mnist(const Ch1Config *c, const Mnist *train, const Mnist *test,
                       const Rng *start, const Ch1MnistRun *main_run, Ch1RateComparison *cmp)
{
    cmp->mnist_epochs = c->mnist_epochs;
    int n_in = train->rows * train->cols;
    unsigned char *pred = xmalloc((size_t)ch1_test_count(c, test));
    /* One task for the other rates' runs (the main one is done). */
    Progress task;
    long steps = ch1_mnist_steps(c, train, test);
    progress_begin(&task, "MNIST, comparación de tasas", steps * (cmp->n - 1), 1.0);
    long base = 0;
    for (int k = 0; k < cmp->n; k++) {
        cmp->mnist_accuracy[k] = xmalloc((size_t)c->mnist_epochs * sizeof(double));
        cmp->mnist_start_accuracy[k] = NAN;
        if (k == c->main_lr) {   /* the chapter's own run: the same start, already done */
            memcpy(cmp->mnist_accuracy[k], main_run->test_accuracy,
                   (size_t)c->mnist_epochs * sizeof(double));
            cmp->mnist_end[k] = *main_run;
            continue;
        }
        Rng rng = *start;
        Ch1OneVsRest m;
        ch1_ovr_init(&m, n_in, cmp->lr[k], &rng);
        char label[48];
        snprintf(label, sizeof label, "η = %g", cmp->lr[k]);
        Ch1MnistRun run;
        ch1_mnist_train(c, &m, train, test, &rng, &task, base, label, pred, &run);
        base += steps;
        memcpy(cmp->mnist_accuracy[k], run.test_accuracy, (size_t)c->mnist_epochs * sizeof(double));
        cmp->mnist_end[k] = run;
        ch1_mnist_run_free(&run);
        ch1_ovr_free(&m);
        if (cmp->mnist_end[k].diverged_epoch && cmp->mnist_end[k].epochs_done == 0) {
            /* Diverged in its first pass: its curve ends where it began,
             * at the untrained start (drawn again from the same state). */
            Rng again = *start;
            ch1_ovr_init(&m, n_in, cmp->lr[k], &again);
            cmp->mnist_start_accuracy[k] = ch1_ovr_evaluate(&m, test, run.n_test, pred);
            ch1_ovr_free(&m);
        }
    }
    for (int k = 0; k < cmp->n; k++) {   /* the counts stay; the arrays are not theirs */
        cmp->mnist_end[k].test_accuracy = NULL;
        cmp->mnist_end[k].train_wrong = NULL;
    }
    progress_end(&task);
    free(pred);

    printf("\n== Comparación de tasas de aprendizaje: MNIST ==\n");
    printf("Los diez perceptrones con cada η, desde los mismos pesos iniciales y el mismo orden;\n"
           "exactitud en prueba (%d imágenes) tras cada época:\n", ch1_test_count(c, test));
    printf("  η%7s", "");
    for (int e = 0; e < c->mnist_epochs; e++)
        printf("  época %-3d", e + 1);
    printf("\n");
    for (int k = 0; k < cmp->n; k++) {
        printf("  %-8g", cmp->lr[k]);
        for (int e = 0; e < c->mnist_epochs; e++)
            if (isnan(cmp->mnist_accuracy[k][e]))
                printf("  %9s", e == cmp->mnist_end[k].epochs_done ? "diverge" : "-");
            else
                printf("  %7.2f %%", 100 * cmp->mnist_accuracy[k][e]);
        printf("%s\n", k == c->main_lr ? "   (la del capítulo)" : "");
    }
    int diverged[CH1_MAX_RATES], done[CH1_MAX_RATES];
    for (int k = 0; k < cmp->n; k++) {
        const Ch1MnistRun *end = &cmp->mnist_end[k];
        diverged[k] = end->diverged_epoch;
        done[k] = end->epochs_done;
        if (!end->diverged_epoch)
            continue;
        char line[256];
        ch1_mnist_divergence(line, sizeof line, "MNIST", cmp->lr[k], end->diverged_epoch,
                             end->diverged_image, end->n_train);
        printf("  %s\n", line);
    }
    write_mnist_rates(c->out, cmp->n, cmp->lr, c->mnist_epochs, cmp->mnist_accuracy, diverged,
                      done, cmp->mnist_start_accuracy);
}

/* "<prefix>diverged": true/false, "<prefix>diverged_epoch" and the place in
 * that epoch (`place_key`), null when it did not diverge. (A place of 0 in
 * the exercise means its evaluation after the pass.) */
static void json_diverged(Json *j, const char *prefix, int epoch, const char *place_key,
                          int place)
{
    char key[64];
    snprintf(key, sizeof key, "%sdiverged", prefix);
    json_bool(j, key, epoch > 0);
    snprintf(key, sizeof key, "%sdiverged_epoch", prefix);
    if (epoch > 0) {
        json_int(j, key, epoch);
        json_int(j, place_key, place);
    } else {
        json_null(j, key);
        json_null(j, place_key);
    }
}

void ch1_rate_comparison_json(Json *j, const Ch1RateComparison *cmp)
{
    json_begin_object(j, "lr_comparison");
    json_num_array(j, "lr", cmp->n, cmp->lr);
    json_begin_array(j, "runs");
    for (int k = 0; k < cmp->n; k++) {
        int any_diverged = 0;
        json_begin_object(j, NULL);
        json_num(j, "lr", cmp->lr[k]);
        for (int g = 0; g < CH1_N_GATES; g++) {
            const Ch1GateRun *r = &cmp->gates[k][g];
            json_begin_object(j, ch1_gates[g].name);
            json_bool(j, "learned", r->learned);
            json_int(j, "last_error_epoch", r->last_error_epoch);
            json_int(j, "total_errors", r->total_errors);
            json_diverged(j, "", r->diverged_epoch, "diverged_example", r->diverged_example);
            json_end_object(j);
            any_diverged |= r->diverged_epoch > 0;
        }
        json_int(j, "xor_cycle_period_examples", cmp->xor_cycle[k].found ? cmp->xor_cycle[k].period : 0);
        if (cmp->mnist_epochs) {
            const Ch1MnistRun *end = &cmp->mnist_end[k];
            json_num_array(j, "mnist_test_accuracy_per_epoch", cmp->mnist_epochs,
                           cmp->mnist_accuracy[k]);   /* null after a divergence */
            json_diverged(j, "mnist_", end->diverged_epoch, "mnist_diverged_image",
                          end->diverged_image);
            any_diverged |= end->diverged_epoch > 0;
        }
        json_bool(j, "diverged", any_diverged);   /* some run of this rate */
        json_end_object(j);
    }
    json_end_array(j);
    json_end_object(j);
}

void ch1_rate_comparison_free(Ch1RateComparison *cmp)
{
    for (int k = 0; k < cmp->n; k++) {
        for (int g = 0; g < CH1_N_GATES; g++)
            ch1_gate_run_free(&cmp->gates[k][g]);
        free(cmp->mnist_accuracy[k]);
        cmp->mnist_accuracy[k] = NULL;
    }
    cmp->n = 0;
}

/* ======================================================================
 * --seeds LIST
 * ====================================================================== */

/* What `ch1 --lr lr --seed seed` computes, without its printing and files. */
static void seed_run(const Ch1Config *c, const Mnist *train, const Mnist *test, uint64_t seed,
                     double lr, Progress *task, long base, unsigned char *pred, Ch1SeedRow *row)
{
    row->seed = seed;
    row->lr = lr;
    Rng rng;
    double w0[2];
    ch1_initial_weights(&rng, seed, w0);
    for (int g = 0; g < CH1_N_GATES; g++) {
        Ch1GateRun run;
        ch1_train_gate(w0, lr, c->epochs, ch1_gates[g].y, &run);
        row->learned[g] = run.learned;
        row->last_error_epoch[g] = run.last_error_epoch;
        row->diverged_epoch[g] = run.diverged_epoch;
        row->diverged_example[g] = run.diverged_example;
        if (g == CH1_XOR) {
            Ch1Cycle cy = ch1_gate_cycle(&run);
            row->xor_cycle_period = cy.found ? cy.period : 0;
        }
        ch1_gate_run_free(&run);
    }
    row->test_accuracy = NAN;
    if (!c->mnist)
        return;
    Ch1OneVsRest m;
    ch1_ovr_init(&m, train->rows * train->cols, lr, &rng);
    char label[64];
    snprintf(label, sizeof label, "semilla %llu", (unsigned long long)seed);
    Ch1MnistRun run;
    ch1_mnist_train(c, &m, train, test, &rng, task, base, label, pred, &run);
    row->test_accuracy = run.test_accuracy[run.epochs - 1];   /* NaN if it diverged */
    row->mnist_diverged_epoch = run.diverged_epoch;
    row->mnist_diverged_image = run.diverged_image;
    row->n_train = run.n_train;
    ch1_mnist_run_free(&run);
    ch1_ovr_free(&m);
}

static int row_diverged(const Ch1SeedRow *r)
{
    for (int g = 0; g < CH1_N_GATES; g++)
        if (r->diverged_epoch[g])
            return 1;
    return r->mnist_diverged_epoch > 0;
}

/* A row's diverged runs, each in its one line. */
static void print_seed_divergences(const Ch1SeedRow *r)
{
    char who[64], line[320];
    for (int g = 0; g < CH1_N_GATES; g++)
        if (r->diverged_epoch[g]) {
            snprintf(who, sizeof who, "semilla %llu, %s", (unsigned long long)r->seed,
                     ch1_gates[g].name);
            ch1_gate_divergence(line, sizeof line, who, r->lr, r->diverged_epoch[g],
                                r->diverged_example[g]);
            printf("    %s\n", line);
        }
    if (r->mnist_diverged_epoch) {
        snprintf(who, sizeof who, "semilla %llu, MNIST", (unsigned long long)r->seed);
        ch1_mnist_divergence(line, sizeof line, who, r->lr, r->mnist_diverged_epoch,
                             r->mnist_diverged_image, r->n_train);
        printf("    %s\n", line);
    }
}

/* "div." in a cell: that run diverged (its line follows the row). */
static void print_seed_row(const Ch1SeedRow *r)
{
    char cells[CH1_N_GATES][32];
    for (int g = CH1_AND; g <= CH1_OR; g++) {
        if (r->diverged_epoch[g])
            snprintf(cells[g], sizeof cells[g], "div.");
        else if (r->learned[g])
            snprintf(cells[g], sizeof cells[g], "%d", r->last_error_epoch[g]);
        else
            snprintf(cells[g], sizeof cells[g], "no");
    }
    if (r->diverged_epoch[CH1_XOR])
        snprintf(cells[CH1_XOR], sizeof cells[CH1_XOR], "div.");
    else if (r->learned[CH1_XOR])
        snprintf(cells[CH1_XOR], sizeof cells[CH1_XOR], "sí");
    else if (r->xor_cycle_period)
        snprintf(cells[CH1_XOR], sizeof cells[CH1_XOR], "no, ciclo de %d", r->xor_cycle_period);
    else
        snprintf(cells[CH1_XOR], sizeof cells[CH1_XOR], "no, sin ciclo");
    printf("  %10llu  %5s  %5s  %s", (unsigned long long)r->seed, cells[CH1_AND],
           cells[CH1_OR], cells[CH1_XOR]);
    if (r->mnist_diverged_epoch)
        printf("%*s  %8s", pad_to(cells[CH1_XOR], 17), "", "div.");
    else if (!isnan(r->test_accuracy))
        printf("%*s  %6.2f %%", pad_to(cells[CH1_XOR], 17), "", 100 * r->test_accuracy);
    printf("\n");
    print_seed_divergences(r);
}

/* The rows of one rate: n rows from `rows`. Over the seeds whose gate was
 * learned, the epoch of its last error (mean ± sd, the largest). */
static void print_gate_summary(const Ch1SeedRow *rows, int n, int g)
{
    double *v = xmalloc((size_t)n * sizeof *v);
    int learned = 0, latest = 0;
    for (int i = 0; i < n; i++)
        if (rows[i].learned[g]) {
            v[learned++] = rows[i].last_error_epoch[g];
            if (rows[i].last_error_epoch[g] > latest)
                latest = rows[i].last_error_epoch[g];
        }
    printf("  %-3s aprendida con %d de %d semillas", ch1_gates[g].name, learned, n);
    if (learned > 0) {
        double mean, sd;
        mean_sd(v, learned, &mean, &sd);
        printf("; último error en la época %.1f ± %.1f (media ± desviación típica), la más tardía %d",
               mean, sd, latest);
    }
    printf("\n");
    free(v);
}

static void print_rate_summary(const Ch1Config *c, const Ch1SeedRow *rows, int n)
{
    print_gate_summary(rows, n, CH1_AND);
    print_gate_summary(rows, n, CH1_OR);
    int learned = 0, cycles = 0;
    for (int i = 0; i < n; i++) {
        learned += rows[i].learned[CH1_XOR];
        cycles += rows[i].xor_cycle_period > 0;
    }
    printf("  XOR aprendida con %d de %d semillas; en un ciclo al final con %d de %d\n", learned,
           n, cycles, n);
    int diverged = 0;
    for (int i = 0; i < n; i++)
        diverged += row_diverged(&rows[i]);
    if (diverged)
        printf("  con %d de %d semillas alguna corrida diverge (div.)\n", diverged, n);
    if (c->mnist) {
        /* Over the seeds whose exercise did not diverge. */
        double *acc = xmalloc((size_t)n * sizeof *acc), mean, sd, lo = 1, hi = 0;
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (isnan(rows[i].test_accuracy))
                continue;
            acc[m++] = rows[i].test_accuracy;
            lo = fmin(lo, rows[i].test_accuracy);
            hi = fmax(hi, rows[i].test_accuracy);
        }
        if (m > 0) {
            mean_sd(acc, m, &mean, &sd);
            printf("  ejercicio: exactitud en prueba %.2f ± %.2f %% (media ± desviación típica de "
                   "%d semillas; de %.2f a %.2f %%)\n", 100 * mean, 100 * sd, m, 100 * lo,
                   100 * hi);
        } else {
            printf("  ejercicio: diverge con todas las semillas\n");
        }
        free(acc);
    }
}

static void write_seed_csv(const Ch1Config *c, const Ch1SeedStudy *st)
{
    Csv csv;
    csv_open(&csv, out_path(c->out, "semillas.csv"),
             "semilla,eta,and_aprendida,and_ultima_epoca_error,or_aprendida,"
             "or_ultima_epoca_error,xor_aprendida,xor_ciclo_ejemplos,exactitud_prueba,diverge");
    for (int i = 0; i < st->n_rows; i++) {
        const Ch1SeedRow *r = &st->rows[i];
        /* The seed as an integer (a double would round seeds above 2^53). */
        char acc[32] = "";
        if (!isnan(r->test_accuracy))
            snprintf(acc, sizeof acc, "%.9g", r->test_accuracy);
        csv_printf(&csv, "%llu,%.9g,%d,%d,%d,%d,%d,%d,%s,%d\n", (unsigned long long)r->seed,
                   r->lr, r->learned[CH1_AND], r->last_error_epoch[CH1_AND], r->learned[CH1_OR],
                   r->last_error_epoch[CH1_OR], r->learned[CH1_XOR], r->xor_cycle_period, acc,
                   row_diverged(r));
    }
    csv_close(&csv);
}

void ch1_seed_study(const Ch1Config *c, const Mnist *train, const Mnist *test, Ch1SeedStudy *st)
{
    st->n_rows = c->n_lr * c->n_seeds;
    st->rows = xcalloc((size_t)st->n_rows, sizeof *st->rows);
    unsigned char *pred = c->mnist ? xmalloc((size_t)ch1_test_count(c, test)) : NULL;
    printf("\n== Estudio de semillas: %d semilla%s ==\n", c->n_seeds, c->n_seeds == 1 ? "" : "s");
    printf("Para cada semilla, lo mismo que `--seed N`: w ~ N(0,1) de la semilla, las tres puertas\n"
           "(%d épocas)%s.\n", c->epochs,
           c->mnist ? " y el ejercicio de MNIST (sus pesos y su orden, de la misma semilla)" : "");
    for (int k = 0; k < c->n_lr; k++) {
        printf("\nη = %g — AND, OR: la época de su último error (\"no\": sin aprender en %d);\n"
               "XOR: su ciclo al final (ejemplos por vuelta)\n", c->lr[k], c->epochs);
        if (c->mnist)
            printf("  %10s  %5s  %5s  %-17s  exactitud en prueba\n", "semilla", "AND", "OR", "XOR");
        else
            printf("  %10s  %5s  %5s  XOR\n", "semilla", "AND", "OR");
        Ch1SeedRow *rows = st->rows + (size_t)k * c->n_seeds;
        /* One task per rate: its seeds' runs of the exercise. */
        Progress task;
        char what[64];
        snprintf(what, sizeof what, "Estudio de semillas, η = %g", c->lr[k]);
        long steps = c->mnist ? ch1_mnist_steps(c, train, test) : 0;
        progress_begin(&task, what, steps * c->n_seeds, 1.0);
        for (int i = 0; i < c->n_seeds; i++)
            seed_run(c, train, test, c->seeds[i], c->lr[k], &task, steps * i, pred, &rows[i]);
        progress_end(&task);   /* the line is erased before the table is printed */
        for (int i = 0; i < c->n_seeds; i++)
            print_seed_row(&rows[i]);
        print_rate_summary(c, rows, c->n_seeds);
    }
    free(pred);
    write_seed_csv(c, st);
}

/* {"values": [...], "n": ..., "mean": m, "sd": s} of n numbers; a NaN (a
 * run that diverged) is a null among the values and is left out of n, the
 * mean and the sd. */
static void json_spread(Json *j, const char *key, const double *v, int n)
{
    double mean = 0, sd = 0;
    double *finite = xmalloc((size_t)(n > 0 ? n : 1) * sizeof *finite);
    int m = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(v[i]))
            finite[m++] = v[i];
    if (m > 0)
        mean_sd(finite, m, &mean, &sd);
    free(finite);
    json_begin_object(j, key);
    json_num_array(j, "values", n, v);
    json_int(j, "n", m);
    if (m > 0) {
        json_num(j, "mean", mean);
        json_num(j, "sd", sd);
    } else {
        json_null(j, "mean");
        json_null(j, "sd");
    }
    json_end_object(j);
}

void ch1_seed_study_json(Json *j, const Ch1Config *c, const Ch1SeedStudy *st)
{
    int n = c->n_seeds;
    double *seeds = xmalloc((size_t)n * sizeof *seeds), *v = xmalloc((size_t)n * sizeof *v);
    json_begin_object(j, "seed_study");
    for (int i = 0; i < n; i++)
        seeds[i] = (double)c->seeds[i];
    json_num_array(j, "seeds", n, seeds);
    json_str(j, "sd_means", "sample standard deviation (n - 1) over the seeds");
    json_begin_array(j, "by_lr");
    for (int k = 0; k < c->n_lr; k++) {
        const Ch1SeedRow *rows = st->rows + (size_t)k * n;
        json_begin_object(j, NULL);
        json_num(j, "lr", c->lr[k]);
        int diverged = 0;
        for (int i = 0; i < n; i++)
            diverged += row_diverged(&rows[i]);
        json_int(j, "seeds_with_a_diverged_run", diverged);
        for (int g = 0; g < CH1_N_GATES; g++) {
            json_begin_object(j, ch1_gates[g].name);
            int learned = 0;
            for (int i = 0; i < n; i++)
                if (rows[i].learned[g])
                    v[learned++] = rows[i].last_error_epoch[g];
            json_int(j, "learned", learned);
            json_spread(j, "last_error_epoch_when_learned", v, learned);
            if (g == CH1_XOR) {
                int cycles = 0;
                for (int i = 0; i < n; i++)
                    cycles += rows[i].xor_cycle_period > 0;
                json_int(j, "ended_in_a_cycle", cycles);
            }
            json_end_object(j);
        }
        if (c->mnist) {
            for (int i = 0; i < n; i++)
                v[i] = rows[i].test_accuracy;
            json_spread(j, "mnist_test_accuracy", v, n);
        } else {
            json_null(j, "mnist_test_accuracy");
        }
        json_end_object(j);
    }
    json_end_array(j);
    json_end_object(j);
    free(seeds);
    free(v);
}

void ch1_seed_study_free(Ch1SeedStudy *st)
{
    free(st->rows);
    st->rows = NULL;
    st->n_rows = 0;
}
