/* rates.c — notes §2.3's learning-rate comparison as files: the curves of
 * Fig 2, where each diverged curve ended, the one line that reports a
 * divergence, and each rate's record in summary.json (see xor_mlp.h).
 * main.c trains the rates (train_rates) and prints the table. No finite rate
 * makes this network diverge (xor_net.c, ch2_train), so tests/test_ch2.c
 * drives these with an infinite one. */
#include "xor_mlp.h"
#include "out.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The last epoch (1-based) whose MSE is a finite number, 0 when none is. */
static int last_finite_epoch(const Ch2RateRun *r, int epochs)
{
    for (int e = epochs; e >= 1; e--)
        if (isfinite(r->curve[e - 1]))
            return e;
    return 0;
}

/* errores_tasas_fin.csv, one row per diverged curve that has a finite point
 * (every one: its first epoch's MSE is its start's). */
static void write_curve_ends(const char *dir, const Ch2RateRun *runs, int n_rates, int epochs)
{
    int rows = 0;
    for (int k = 0; k < n_rates; k++)
        rows += runs[k].result.diverged_epoch && last_finite_epoch(&runs[k], epochs);
    if (rows == 0) {   /* none: no marks, and none of an earlier run's */
        unlink(out_path(dir, "errores_tasas_fin.csv"));
        return;
    }
    Csv c;
    csv_open(&c, out_path(dir, "errores_tasas_fin.csv"), "rate,eta,epoch,mse");
    for (int k = 0; k < n_rates; k++) {
        int e = last_finite_epoch(&runs[k], epochs);
        if (runs[k].result.diverged_epoch && e)
            csv_row(&c, 4, (double[]){k + 1, runs[k].lr, e, runs[k].curve[e - 1]});
    }
    csv_close(&c);
}

/* One CSV for Fig 2: a column per rate. A diverged run's cells are left
 * empty after the epoch it diverged on (gnuplot skips them). */
void ch2_write_rate_curves(const char *dir, const Ch2RateRun *runs, int n_rates, int epochs)
{
    size_t cap = 8 + 32 * (size_t)n_rates;   /* ",eta=" and a %g: under 32 each */
    char *header = xmalloc(cap);
    strcpy(header, "epoch");
    for (int k = 0; k < n_rates; k++) {
        size_t used = strlen(header);
        snprintf(header + used, cap - used, ",eta=%g", runs[k].lr);
    }
    Csv c;
    csv_open(&c, out_path(dir, "errores_tasas.csv"), header);
    free(header);
    double *row = xmalloc((size_t)(1 + n_rates) * sizeof *row);
    for (int e = 0; e < epochs; e++) {
        row[0] = e + 1;
        for (int k = 0; k < n_rates; k++)
            row[1 + k] = runs[k].curve[e];   /* NaN after a divergence: an empty cell */
        csv_row_gaps(&c, 1 + n_rates, row);
    }
    csv_close(&c);
    free(row);
    write_curve_ends(dir, runs, n_rates, epochs);
}

void ch2_divergence_line(char *buf, size_t len, const Ch2RateRun *r)
{
    snprintf(buf, len, "η = %g: diverge en la época %d, lote 1 de 1 (los 4 ejemplos a la vez): "
             "el MSE o un peso dejó de ser un número finito", r->lr, r->result.diverged_epoch);
}

void ch2_json_rate_run(Json *j, const Ch2RateRun *r)
{
    json_begin_object(j, NULL);
    json_num(j, "lr", r->lr);
    json_num(j, "final_mse", r->result.final_mse);   /* null if it diverged */
    if (r->result.converged_epoch)
        json_int(j, "converged_epoch", r->result.converged_epoch);
    else
        json_null(j, "converged_epoch");
    json_bool(j, "diverged", r->result.diverged_epoch > 0);
    if (r->result.diverged_epoch) {
        json_int(j, "diverged_epoch", r->result.diverged_epoch);
        json_int(j, "diverged_batch", 1);   /* one batch an epoch: the 4 examples */
    } else {
        json_null(j, "diverged_epoch");
        json_null(j, "diverged_batch");
    }
    json_int(j, "mse_increases", r->mse_increases);
    json_end_object(j);
}
