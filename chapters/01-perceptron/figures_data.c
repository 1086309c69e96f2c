/* figures_data.c — the CSVs chapter 1's figures are drawn from: the gates'
 * points, lines and errors, and the MNIST exercise's epochs and image grids
 * (see figures_data.h). Plumbing: the lesson is in perceptron.c, the order
 * of the chapter in main.c. */
#include "figures_data.h"

#include "out.h"
#include "plotdata.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ======================================================================
 * The gates (notes §1.2)
 * ====================================================================== */

/* The square the figures show around the four points. */
#define BOX_LO (-0.5)
#define BOX_HI 1.5

/* The segment of the line w1·x1 + w2·x2 + b = 0 inside the square, or NaNs. */
static void line_segment(const double *wb, double seg[4])
{
    if (!clip_line(wb[0], wb[1], wb[2], BOX_LO, BOX_HI, seg))
        seg[0] = seg[1] = seg[2] = seg[3] = NAN;
}

static void write_points(const char *dir, const Ch1GateRun *runs)
{
    Csv c;
    csv_open(&c, out_path(dir, "puntos.csv"),
             "x1,x2,y_and,y_or,y_xor,pred_and,pred_or,pred_xor");
    for (int i = 0; i < CH1_N_POINTS; i++) {
        double row[8] = {ch1_X[i][0], ch1_X[i][1]};
        for (int g = 0; g < CH1_N_GATES; g++) {
            row[2 + g] = ch1_gates[g].y[i];
            row[5 + g] = runs[g].predictions[i];
        }
        csv_row(&c, 8, row);
    }
    csv_close(&c);
}

static void write_final_lines(const char *dir, const Ch1GateRun *runs)
{
    Csv c;
    csv_open(&c, out_path(dir, "fronteras.csv"), "gate,w1,w2,b,learned,xa,ya,xb,yb");
    for (int g = 0; g < CH1_N_GATES; g++) {
        double wb[3] = {runs[g].w[0], runs[g].w[1], runs[g].b}, seg[4];
        line_segment(wb, seg);
        double row[9] = {g, wb[0], wb[1], wb[2], runs[g].learned,
                         seg[0], seg[1], seg[2], seg[3]};
        csv_row_gaps(&c, 9, row);
    }
    csv_close(&c);
}

static void write_xor_epochs(const char *dir, const Ch1GateRun *xor_run)
{
    Csv c;
    csv_open(&c, out_path(dir, "xor_epocas.csv"), "epoch,errors,w1,w2,b,xa,ya,xb,yb");
    for (int e = 0; e <= xor_run->epochs; e++) {
        const double *wb = xor_run->line + 3 * e;
        double seg[4];
        line_segment(wb, seg);
        double row[9] = {e, e ? xor_run->errors[e - 1] : NAN, wb[0], wb[1], wb[2],
                         seg[0], seg[1], seg[2], seg[3]};
        csv_row_gaps(&c, 9, row);
    }
    csv_close(&c);
}

/* XOR's line after every single example: the boundary moves up to four
 * times per epoch, and the oscillation lives there. */
static void write_xor_steps(const char *dir, const Ch1GateRun *xor_run)
{
    Csv c;
    csv_open(&c, out_path(dir, "xor_pasos.csv"), "step,epoch,example,w1,w2,b,xa,ya,xb,yb");
    int n = xor_run->epochs * CH1_N_POINTS;
    for (int t = 0; t <= n; t++) {
        const double *wb = xor_run->path + 3 * t;
        double seg[4];
        line_segment(wb, seg);
        /* Row t is the state after example t (row 0: the start), which is
         * example (t−1) mod 4 of epoch (t−1)/4 + 1. */
        double epoch = t ? (t - 1) / CH1_N_POINTS + 1 : 0;
        double example = t ? (t - 1) % CH1_N_POINTS + 1 : NAN;
        double row[10] = {t, epoch, example, wb[0], wb[1], wb[2], seg[0], seg[1], seg[2], seg[3]};
        csv_row_gaps(&c, 10, row);
    }
    csv_close(&c);
}

static void write_errors(const char *dir, const Ch1GateRun *runs)
{
    Csv c;
    csv_open(&c, out_path(dir, "errores.csv"), "epoch,and,or,xor");
    for (int e = 0; e < runs[CH1_AND].epochs; e++)
        csv_row(&c, 4, (double[]){e + 1, runs[CH1_AND].errors[e], runs[CH1_OR].errors[e],
                                  runs[CH1_XOR].errors[e]});
    csv_close(&c);
}

/* The animation plots/ch1_puertas_animacion.gp draws: AND beside XOR over
 * the first CH1_ANIM_EPOCHS epochs, frame 0 the start. A frame per example
 * and not only per epoch, because XOR's oscillation happens inside an
 * epoch: with seed 42 its line is the same at the end of every epoch from
 * the 31st on, while it visits four lines in between. Every example of the
 * first CH1_ANIM_EPOCHS_DETAIL epochs (the drift) and of the last
 * CH1_ANIM_EPOCHS_DETAIL + 4 (the cycle), only the end of the epochs in
 * between (where AND settles, epoch 25 with seed 42): 101 frames, which
 * keeps the GIF near 1 MB (each frame is a whole picture). Each gate's
 * columns: the error on the example just shown (1 when it was wrong, and
 * the line moved), the errors so far in this epoch, then its line as in
 * xor_pasos.csv. The rows are the runs' own path (`step` is the row of
 * path): nothing is trained again. */
static void write_gate_animation(const char *dir, const Ch1GateRun runs[CH1_N_GATES])
{
    static const int shown[2] = {CH1_AND, CH1_XOR};
    static const char *const prefix[2] = {"and", "xor"};
    char header[512] = "frame,step,epoch,example,x1,x2";
    for (int k = 0; k < 2; k++) {
        size_t used = strlen(header);
        snprintf(header + used, sizeof header - used,
                 ",%1$s_error,%1$s_errors_epoch,%1$s_w1,%1$s_w2,%1$s_b,%1$s_xa,%1$s_ya,"
                 "%1$s_xb,%1$s_yb", prefix[k]);
    }
    int epochs = runs[CH1_AND].epochs < CH1_ANIM_EPOCHS ? runs[CH1_AND].epochs : CH1_ANIM_EPOCHS;
    int errors_epoch[2] = {0, 0}, frame = 0;
    Csv c;
    csv_open(&c, out_path(dir, "puertas_animacion.csv"), header);
    for (int t = 0; t <= epochs * CH1_N_POINTS; t++) {
        int i = t ? (t - 1) % CH1_N_POINTS : 0;   /* the example just shown */
        int epoch = t ? (t - 1) / CH1_N_POINTS + 1 : 0;
        int detail = epoch <= CH1_ANIM_EPOCHS_DETAIL
                     || epoch > epochs - (CH1_ANIM_EPOCHS_DETAIL + 4);
        int shown_now = detail || i == CH1_N_POINTS - 1;
        double row[6 + 2 * 9] = {frame, t, epoch, t ? i + 1 : NAN,
                                 t ? ch1_X[i][0] : NAN, t ? ch1_X[i][1] : NAN};
        if (i == 0)
            errors_epoch[0] = errors_epoch[1] = 0;   /* a new epoch (or the start) */
        for (int k = 0; k < 2; k++) {
            const Ch1GateRun *r = &runs[shown[k]];
            const double *wb = r->path + 3 * t;
            int error = 0;
            if (t) {
                /* The prediction the weights before this step made, as ch1_predict does. */
                const double *before = r->path + 3 * (t - 1);
                int pred = before[0] * ch1_X[i][0] + before[1] * ch1_X[i][1] + before[2] > 0;
                error = pred != ch1_gates[shown[k]].y[i];
            }
            errors_epoch[k] += error;
            double seg[4];
            line_segment(wb, seg);
            double *cell = row + 6 + 9 * k;
            cell[0] = t ? error : NAN;
            cell[1] = t ? errors_epoch[k] : NAN;
            for (int j = 0; j < 3; j++)
                cell[2 + j] = wb[j];
            for (int j = 0; j < 4; j++)
                cell[5 + j] = seg[j];
        }
        if (shown_now) {
            csv_row_gaps(&c, 6 + 2 * 9, row);
            frame++;
        }
    }
    csv_close(&c);
}

void write_gate_csvs(const char *dir, const Ch1GateRun runs[CH1_N_GATES])
{
    write_points(dir, runs);
    write_final_lines(dir, runs);
    write_xor_epochs(dir, &runs[CH1_XOR]);
    write_xor_steps(dir, &runs[CH1_XOR]);
    write_errors(dir, runs);
    write_gate_animation(dir, runs);
}

/* "and_eta=0.1": a column per (gate, rate); the plot reads η after '='. A
 * run that diverged has empty cells from the epoch it stopped in. */
void write_rate_errors(const char *dir, int n_rates, const double *lr, int epochs,
                       Ch1GateRun *const *runs)
{
    static const char *const prefix[CH1_N_GATES] = {"and", "or", "xor"};
    char header[1024] = "epoch";
    size_t used = strlen(header);
    for (int g = 0; g < CH1_N_GATES; g++)
        for (int k = 0; k < n_rates; k++)
            used += (size_t)snprintf(header + used, sizeof header - used, ",%s_eta=%g",
                                     prefix[g], lr[k]);
    Csv c;
    csv_open(&c, out_path(dir, "errores_tasas.csv"), header);
    double *row = xmalloc((size_t)(1 + CH1_N_GATES * n_rates) * sizeof *row);
    int diverged = 0;
    for (int e = 0; e < epochs; e++) {
        row[0] = e + 1;
        for (int g = 0; g < CH1_N_GATES; g++)
            for (int k = 0; k < n_rates; k++) {
                const Ch1GateRun *r = &runs[k][g];
                row[1 + g * n_rates + k] = e < r->epochs_done ? r->errors[e] : NAN;
                diverged |= r->diverged_epoch > 0;
            }
        csv_row_gaps(&c, 1 + CH1_N_GATES * n_rates, row);
    }
    csv_close(&c);
    free(row);

    /* Where each diverged curve ended: the last epoch it finished (0: none,
     * the start) and the running total of errors the figure draws there. */
    if (!diverged) {
        remove_csv(dir, "errores_tasas_fin.csv");
        return;
    }
    csv_open(&c, out_path(dir, "errores_tasas_fin.csv"), "gate,rate,eta,epoch,errors_so_far");
    for (int g = 0; g < CH1_N_GATES; g++)
        for (int k = 0; k < n_rates; k++) {
            const Ch1GateRun *r = &runs[k][g];
            if (r->diverged_epoch)
                csv_row(&c, 5, (double[]){g + 1, k + 1, lr[k], r->epochs_done, r->total_errors});
        }
    csv_close(&c);
}

/* ======================================================================
 * The MNIST exercise (slides 004)
 * ====================================================================== */

void write_mnist_epochs(const char *dir, int epochs, const int *train_wrong, int n_train,
                        const double *test_accuracy)
{
    Csv c;
    csv_open(&c, out_path(dir, "mnist_epocas.csv"),
             "epoch,train_wrong,train_error_rate,test_accuracy");
    for (int e = 0; e < epochs; e++)
        csv_row(&c, 4, (double[]){e + 1, train_wrong[e], (double)train_wrong[e] / n_train,
                                  test_accuracy[e]});
    csv_close(&c);
}

void write_mnist_rates(const char *dir, int n_rates, const double *lr, int epochs,
                       double *const *accuracy, const int *diverged_epoch,
                       const int *epochs_done, const double *start_accuracy)
{
    char header[512] = "epoch";
    size_t used = strlen(header);
    for (int k = 0; k < n_rates; k++)
        used += (size_t)snprintf(header + used, sizeof header - used, ",eta=%g", lr[k]);
    Csv c;
    csv_open(&c, out_path(dir, "mnist_tasas.csv"), header);
    double *row = xmalloc((size_t)(1 + n_rates) * sizeof *row);
    for (int e = 0; e < epochs; e++) {
        row[0] = e + 1;
        for (int k = 0; k < n_rates; k++)
            row[1 + k] = accuracy[k][e];   /* NaN after a divergence: an empty cell */
        csv_row_gaps(&c, 1 + n_rates, row);
    }
    csv_close(&c);
    free(row);

    /* Where each diverged curve ended: its last pass with an accuracy, or
     * epoch 0 and the accuracy of its start when it diverged in the first. */
    int any = 0;
    for (int k = 0; k < n_rates; k++)
        any |= diverged_epoch[k] > 0;
    if (!any) {
        remove_csv(dir, "mnist_tasas_fin.csv");
        return;
    }
    csv_open(&c, out_path(dir, "mnist_tasas_fin.csv"), "rate,eta,epoch,test_accuracy");
    for (int k = 0; k < n_rates; k++) {
        if (!diverged_epoch[k])
            continue;
        int e = epochs_done[k];
        csv_row(&c, 4, (double[]){k + 1, lr[k], e, e > 0 ? accuracy[k][e - 1] : start_accuracy[k]});
    }
    csv_close(&c);
}

/* The tiles' layout, the one the figures were designed with: 2 pixels
 * between tiles and around the grid, and above each tile a band of 8 for
 * its caption (10 pixels between one row's tiles and the next's). */
#define TILE_GAP 2
#define TILE_CAPTION 8

void write_digit_grid(const char *dir, const char *name, const char *captions_name,
                      const Mnist *d, const int *idx, const unsigned char *pred, int n,
                      int per_row)
{
    ImageGrid g;
    grid_init(&g, n, per_row, d->cols, d->rows, TILE_GAP, TILE_CAPTION);
    real *image = xmalloc((size_t)d->rows * d->cols * sizeof *image);
    double *xy = xmalloc((size_t)2 * (n > 0 ? n : 1) * sizeof *xy);
    for (int t = 0; t < n; t++) {
        mnist_gather(d, &idx[t], 1, image, NULL);   /* pixel / 255, as the perceptrons see it */
        grid_put(&g, t, image, 1.0);
        grid_caption_xy(&g, t, &xy[2 * t], &xy[2 * t + 1]);
    }
    grid_write(&g, out_path(dir, name));

    Csv c;
    csv_open(&c, out_path(dir, captions_name), "x,y,index,label,pred");
    for (int t = 0; t < n; t++) {
        int label = d->labels[idx[t]];
        csv_row(&c, 5, (double[]){xy[2 * t], xy[2 * t + 1], idx[t], label,
                                  pred ? pred[t] : label});
    }
    csv_close(&c);
    free(xy);
    free(image);
}

/* w − w_start and not w itself: a pixel that is 0 in every image (the
 * border) is never touched by w += η·error·x and keeps its random N(0,1)
 * start, which would drown the picture in noise that has no effect on any
 * prediction. */
void write_weight_grid(const char *dir, const Ch1OneVsRest *m, const double *w_start, int rows,
                       int cols)
{
    int n = rows * cols;
    ImageGrid g;
    grid_init(&g, CH1_CLASSES, 5, cols, rows, TILE_GAP, TILE_CAPTION);
    real *dw = xmalloc((size_t)n * sizeof *dw);
    double xy[2 * CH1_CLASSES], scale[CH1_CLASSES];
    for (int k = 0; k < CH1_CLASSES; k++) {
        const double *w = m->p[k].weights, *w0 = w_start + (size_t)k * n;
        double big = 0;
        for (int j = 0; j < n; j++)
            big = fmax(big, fabs(w[j] - w0[j]));
        for (int j = 0; j < n; j++)
            dw[j] = big > 0 ? (w[j] - w0[j]) / big : 0;   /* in [−1, 1] */
        scale[k] = big;
        grid_put(&g, k, dw, 1.0);
        grid_caption_xy(&g, k, &xy[2 * k], &xy[2 * k + 1]);
    }
    grid_write(&g, out_path(dir, "mnist_pesos.csv"));
    free(dw);

    Csv c;
    csv_open(&c, out_path(dir, "mnist_pesos_etiquetas.csv"), "x,y,digit,max_abs_dw");
    for (int k = 0; k < CH1_CLASSES; k++)
        csv_row(&c, 4, (double[]){xy[2 * k], xy[2 * k + 1], k, scale[k]});
    csv_close(&c);
}

void remove_mnist_csvs(const char *dir)
{
    static const char *const names[] = {
        "mnist_muestras.csv", "mnist_muestras_etiquetas.csv", "mnist_epocas.csv",
        "mnist_confusion.csv", "mnist_pesos.csv", "mnist_pesos_etiquetas.csv",
        "mnist_mal_clasificadas.csv", "mnist_mal_clasificadas_etiquetas.csv",
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        unlink(out_path(dir, names[i]));
    unlink(out_path(dir, "mnist_tasas.csv"));
    unlink(out_path(dir, "mnist_tasas_fin.csv"));
}

void remove_csv(const char *dir, const char *name)
{
    unlink(out_path(dir, name));
}
