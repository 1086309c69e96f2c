/* descent.c — gradient descent drawn, before it is hidden inside a network
 * (002 §2.2.1 Figs 2.5–2.6; 003 §2.4.2 Figs 11–18).
 *
 * Every picture is the same loop, x ← x − η·f'(x), on a function small
 * enough to draw:
 *   1. f(x) = ½x², η = 0.01, 250 steps from a random start (002 Fig 2.5);
 *   2. the cost of a one-weight neuron, (0.3w − 1)² = 0.09w² − 0.6w + 1,
 *      its tangent at the start and the path to w = 10/3 (003 Figs 11–13);
 *   3. a function with several minima: where the descent ends depends on
 *      where it starts (003 Fig 14);
 *   4. the cost of a two-weight neuron, (0.3x + 0.4y − 1)², as a surface
 *      with its −∇ field, seen in perspective and from above; at (5, 4) the
 *      cost is 4.41 and the gradient (1.26, 1.68) (003 Figs 15–18);
 *   5. the bowl f(x, y) = ½((x − 1)² + y²) with contours and the path to
 *      its minimum (1, 0) (002 Fig 2.6).
 * Files written (all under outdir):
 *   descenso_parabola_curva.csv    x,f                     (1)
 *   descenso_parabola_pasos.csv    step,x,f
 *   descenso_coste1d_curva.csv     w,cost,tangent          (2)
 *   descenso_coste1d_pasos.csv     step,w,cost
 *   descenso_minimos_curva.csv     x,f                     (3)
 *   descenso_minimos_pasos.csv     step,x1,f1,...,x5,f5 (one pair per start)
 *   descenso_superficie.csv        x,y,cost (grid rows, blank line between) (4)
 *   descenso_superficie_campo.csv  x,y,dx,dy (−∇, scaled for drawing),norm
 *   descenso_superficie_camino.csv step,x,y,cost
 *   descenso_cuenco.csv            x,y,f (grid)            (5)
 *   descenso_cuenco_pasos.csv      step,x_eta001,y_eta001,x_eta01,y_eta01 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "extras.h"
#include "out.h"
#include "rng.h"
#include "util.h"

/* --- the functions and their derivatives ------------------------------ */

/* 002: the squared error against the target 0, f(x) = ½x², f'(x) = x. */
static double half_square(double x) { return 0.5 * x * x; }
static double half_square_grad(double x) { return x; }

/* 003 §2.4.2.1: a neuron with one weight, input 0.3 and target 1, no bias
 * and no activation: cost(w) = (0.3w − 1)², minimum where 0.3w = 1. */
double ch2_cost_1d(double w) { double e = 0.3 * w - 1.0; return e * e; }
double ch2_cost_1d_grad(double w) { return 2.0 * 0.3 * (0.3 * w - 1.0); }

/* 003 Fig 14 is a sketch; this is our own function with four minima on
 * [−8, 8] (near −5.11, −1.05 (the lowest), 3.02 and 7.09). */
static double bumpy(double x) { return 0.05 * x * x + 1.5 * sin(1.5 * x) + 0.1 * x; }
static double bumpy_grad(double x) { return 0.1 * x + 2.25 * cos(1.5 * x) + 0.1; }

/* 003 §2.4.2.2: two weights, inputs 0.3 and 0.4, target 1. Expanded,
 * 0.09x² + 0.24xy − 0.6x + 0.16y² − 0.8y + 1; its partial derivatives are
 * 0.18x + 0.24y − 0.6 and 0.24x + 0.32y − 0.8. The minimum (cost 0) is not a
 * point but the whole line 0.3x + 0.4y = 1: two weights, one equation. */
double ch2_neuron_cost(double x, double y)
{
    double e = 0.3 * x + 0.4 * y - 1.0;
    return e * e;
}
void ch2_neuron_cost_grad(double x, double y, double *gx, double *gy)
{
    double e = 0.3 * x + 0.4 * y - 1.0;
    *gx = 2.0 * 0.3 * e;
    *gy = 2.0 * 0.4 * e;
}

/* 002 Fig 2.6: the squared error of the output (x, y) against the one-hot
 * target (1, 0): f = ½((x − 1)² + y²), ∇f = (x − 1, y). */
static double bowl(double x, double y) { return 0.5 * ((x - 1) * (x - 1) + y * y); }

/* --- the descent itself ------------------------------------------------ */

double ch2_descend_1d(double (*grad)(double), double x0, double eta, int steps,
                      double *path)
{
    double x = x0;
    if (path)
        path[0] = x;
    for (int t = 1; t <= steps; t++) {
        x -= eta * grad(x);      /* the whole of learning, in one line */
        if (path)
            path[t] = x;
    }
    return x;
}

void ch2_descend_bowl(double x0, double y0, double eta, int steps, double *x, double *y)
{
    *x = x0;
    *y = y0;
    for (int t = 0; t < steps; t++) {
        double gx = *x - 1.0, gy = *y;  /* ∇f at the current point */
        *x -= eta * gx;
        *y -= eta * gy;
    }
}

/* --- the pictures ------------------------------------------------------ */

/* Writes the curve f over [lo, hi] with n samples, columns "x,f". */
static void write_curve(const char *path, const char *header, double (*f)(double),
                        double lo, double hi, int n)
{
    Csv c;
    csv_open(&c, path, header);
    for (int i = 0; i < n; i++) {
        double x = lo + (hi - lo) * i / (n - 1);
        csv_row(&c, 2, (double[]){x, f(x)});
    }
    csv_close(&c);
}

/* 1. 002 Fig 2.5. The notes pick the start at random among 1000 points of
 * [−1, 1]; so do we, from the seed. With η = 0.01 every step multiplies x by
 * 0.99, so after 250 steps x is 0.99^250 ≈ 0.081 of where it started: close
 * to the minimum but not on it — a small η is slow. */
static void parabola_picture(const char *outdir, Rng *rng)
{
    enum { STEPS = 250 };
    const double eta = 0.01;
    double x0 = -1.0 + 2.0 * rng_below(rng, 1000) / 999.0;
    double path[STEPS + 1];
    ch2_descend_1d(half_square_grad, x0, eta, STEPS, path);

    write_curve(out_path(outdir, "descenso_parabola_curva.csv"), "x,f", half_square, -1, 1, 1000);
    Csv c;
    csv_open(&c, out_path(outdir, "descenso_parabola_pasos.csv"), "step,x,f");
    for (int t = 0; t <= STEPS; t++)
        csv_row(&c, 3, (double[]){t, path[t], half_square(path[t])});
    csv_close(&c);
    printf("  f(x) = ½x², η = %g, %d pasos: x = %.4f -> %.4f (f = %.5f -> %.5f)\n", eta, STEPS,
           x0, path[STEPS], half_square(x0), half_square(path[STEPS]));
}

/* 2. 003 Figs 11–13. Start at random left of the minimum, where the slope is
 * negative ("hay que aumentar el peso"), draw the tangent there and walk
 * down. The cost's curvature is 0.18, so η = 1 shrinks the distance to 10/3
 * by a factor 0.82 per step; 60 steps bring it within 1e-4. */
static void cost_1d_picture(const char *outdir, Rng *rng)
{
    enum { STEPS = 60 };
    const double eta = 1.0;
    double w0 = rng_uniform_range(rng, -3.0, 0.0);
    double slope = ch2_cost_1d_grad(w0), c0 = ch2_cost_1d(w0);
    double path[STEPS + 1];
    ch2_descend_1d(ch2_cost_1d_grad, w0, eta, STEPS, path);

    Csv c;
    csv_open(&c, out_path(outdir, "descenso_coste1d_curva.csv"), "w,cost,tangent");
    for (int i = 0; i < 501; i++) {
        double w = -4.0 + 12.0 * i / 500;
        csv_row(&c, 3, (double[]){w, ch2_cost_1d(w), c0 + slope * (w - w0)});
    }
    csv_close(&c);
    csv_open(&c, out_path(outdir, "descenso_coste1d_pasos.csv"), "step,w,cost");
    for (int t = 0; t <= STEPS; t++)
        csv_row(&c, 3, (double[]){t, path[t], ch2_cost_1d(path[t])});
    csv_close(&c);
    printf("  coste (0.3w − 1)²: w = %.4f, pendiente %.4f (negativa: subir w), η = %g, "
           "%d pasos -> w = %.6f (10/3 = %.6f)\n",
           w0, slope, eta, STEPS, path[STEPS], 10.0 / 3.0);
}

/* 3. 003 Fig 14. Five fixed starts (not random: the lesson is where each
 * one ends, and it should not depend on the seed). */
static void minima_picture(const char *outdir)
{
    enum { STEPS = 300, NSTART = 5 };
    const double eta = 0.05;
    const double starts[NSTART] = {-7.5, -2.5, 1.5, 4.5, 7.5};
    double path[NSTART][STEPS + 1];
    for (int s = 0; s < NSTART; s++)
        ch2_descend_1d(bumpy_grad, starts[s], eta, STEPS, path[s]);

    write_curve(out_path(outdir, "descenso_minimos_curva.csv"), "x,f", bumpy, -8, 8, 801);
    Csv c;
    csv_open(&c, out_path(outdir, "descenso_minimos_pasos.csv"),
             "step,x1,f1,x2,f2,x3,f3,x4,f4,x5,f5");
    for (int t = 0; t <= STEPS; t++) {
        double row[1 + 2 * NSTART];
        row[0] = t;
        for (int s = 0; s < NSTART; s++) {
            row[1 + 2 * s] = path[s][t];
            row[2 + 2 * s] = bumpy(path[s][t]);
        }
        csv_row(&c, 1 + 2 * NSTART, row);
    }
    csv_close(&c);
    printf("  varios mínimos, η = %g, %d pasos:\n", eta, STEPS);
    for (int s = 0; s < NSTART; s++)
        printf("    inicio x = %5.2f  ->  mínimo en x = %7.4f, f = %7.4f\n", starts[s],
               path[s][STEPS], bumpy(path[s][STEPS]));
}

/* 4. 003 Figs 15–18: the surface, the −∇ field on a coarse grid, and the
 * walk from the notes' point (5, 4). Every −∇ is parallel to (0.3, 0.4), so
 * the walk is a straight line to the nearest point of the valley,
 * (5, 4) − 8.4·(0.3, 0.4) = (2.48, 0.64). */
static void surface_picture(const char *outdir)
{
    const double lo = -4.0, hi = 8.0;
    Csv c;
    csv_open(&c, out_path(outdir, "descenso_superficie.csv"), "x,y,cost");
    for (int i = 0; i <= 96; i++) {
        double x = lo + (hi - lo) * i / 96;
        for (int j = 0; j <= 96; j++) {
            double y = lo + (hi - lo) * j / 96;
            csv_row(&c, 3, (double[]){x, y, ch2_neuron_cost(x, y)});
        }
        csv_printf(&c, "\n");   /* gnuplot's grid: a blank line ends a row */
    }
    csv_close(&c);

    /* Arrows of −∇ scaled by a fixed 0.08 so the longest stays within a
     * cell or two; the true norm is the last column (for colour). */
    csv_open(&c, out_path(outdir, "descenso_superficie_campo.csv"), "x,y,dx,dy,norm");
    for (int i = 0; i <= 12; i++)
        for (int j = 0; j <= 12; j++) {
            double x = lo + i, y = lo + j, gx, gy;
            ch2_neuron_cost_grad(x, y, &gx, &gy);
            csv_row(&c, 5, (double[]){x, y, -0.08 * gx, -0.08 * gy, hypot(gx, gy)});
        }
    csv_close(&c);

    enum { STEPS = 40 };
    const double eta = 0.5;
    double x = 5, y = 4, gx, gy;
    ch2_neuron_cost_grad(x, y, &gx, &gy);
    printf("  coste (0.3x + 0.4y − 1)² en (5, 4): %.2f; ∇ = (%.2f, %.2f); −∇ = (%.2f, %.2f)\n",
           ch2_neuron_cost(x, y), gx, gy, -gx, -gy);
    csv_open(&c, out_path(outdir, "descenso_superficie_camino.csv"), "step,x,y,cost");
    for (int t = 0; t <= STEPS; t++) {
        csv_row(&c, 4, (double[]){t, x, y, ch2_neuron_cost(x, y)});
        ch2_neuron_cost_grad(x, y, &gx, &gy);
        x -= eta * gx;
        y -= eta * gy;
    }
    csv_close(&c);
    printf("  η = %g, %d pasos desde (5, 4) -> (%.4f, %.4f), coste %.2e (el valle 0.3x + 0.4y = 1)\n",
           eta, STEPS, x, y, ch2_neuron_cost(x, y));
}

/* 5. 002 Fig 2.6: start at random in [−10, 10]² as the notes do; descend
 * with the notes' η = 0.01 (250 steps end at 0.99^250 ≈ 8 % of the starting
 * distance — still on the way) and with η = 0.1 (at the minimum). */
static void bowl_picture(const char *outdir, Rng *rng)
{
    enum { STEPS = 250 };
    const double lo = -10.0, hi = 10.0;
    Csv c;
    csv_open(&c, out_path(outdir, "descenso_cuenco.csv"), "x,y,f");
    for (int i = 0; i <= 120; i++) {
        double x = lo + (hi - lo) * i / 120;
        for (int j = 0; j <= 120; j++) {
            double y = lo + (hi - lo) * j / 120;
            csv_row(&c, 3, (double[]){x, y, bowl(x, y)});
        }
        csv_printf(&c, "\n");
    }
    csv_close(&c);

    double x0 = rng_uniform_range(rng, lo, hi), y0 = rng_uniform_range(rng, lo, hi);
    csv_open(&c, out_path(outdir, "descenso_cuenco_pasos.csv"),
             "step,x_eta001,y_eta001,x_eta01,y_eta01");
    double xs = x0, ys = y0, xf = x0, yf = y0;
    for (int t = 0; t <= STEPS; t++) {
        csv_row(&c, 5, (double[]){t, xs, ys, xf, yf});
        if (t < STEPS) {
            ch2_descend_bowl(xs, ys, 0.01, 1, &xs, &ys);
            ch2_descend_bowl(xf, yf, 0.1, 1, &xf, &yf);
        }
    }
    csv_close(&c);
    printf("  cuenco ½((x − 1)² + y²) desde (%.3f, %.3f), %d pasos:\n", x0, y0, STEPS);
    printf("    η = 0.01 -> (%.4f, %.4f)   η = 0.1 -> (%.6f, %.6f)\n", xs, ys, xf, yf);
}

void ch2_descent_pictures(const char *outdir, uint64_t seed)
{
    printf("\n== Descenso del gradiente: x ← x − η·f'(x) (002 §2.2.1, 003 §2.4.2) ==\n");
    /* One generator for the random starts, seeded from the run's seed but
     * apart from the network's draws (a different stream). */
    Rng rng;
    rng_seed(&rng, seed ^ 0xD35CE27ULL);
    parabola_picture(outdir, &rng);
    cost_1d_picture(outdir, &rng);
    minima_picture(outdir);
    surface_picture(outdir);
    bowl_picture(outdir, &rng);
}
