/* test_ch2_extras.c — the claims of chapter 2's side sections: the
 * activations and their derivatives (Fig 3, slides 004, the §3.1 erratum),
 * the worked numbers of the notes, the chain rule of 002, gradient descent
 * reaching its minima (002/003, and the eq. 2.9 erratum), and the
 * quadratic-equation network (notes §3.5 ex. 2): its backward pass against
 * central differences, and that it learns.
 *
 * Linked with chapter 2's objects, all but main.c (the program). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../chapters/02-xor-mlp/extras.h"
#include "activations.h"
#include "nn.h"
#include "testutil.h"

#define GRID_N 1601   /* z from −8 to 8 in steps of 0.01 */
static double grid_z(int i) { return -8.0 + 16.0 * i / (GRID_N - 1); }

/* --- activations (Fig 3, slides 004) ----------------------------------- */

START_TEST(test_activations_match_closed_form)
{
    for (int i = 0; i < GRID_N; i++) {
        double z = grid_z(i);
        double s = 1.0 / (1.0 + exp(-z));
        ck_assert_double_eq_tol(sigmoid(z), s, 1e-15);
        ck_assert_double_eq_tol(sigmoid_deriv(z), s * (1 - s), 1e-15);
        ck_assert_double_eq(relu(z), (z > 0 ? z : 0));
        ck_assert_double_eq_tol(leaky_relu(z), z > 0 ? z : 0.01 * z, 1e-15);
        double t = (exp(z) - exp(-z)) / (exp(z) + exp(-z));
        ck_assert_double_eq_tol(tanh_act(z), t, 1e-14);
        ck_assert_double_eq(step(z), (z > 0 ? 1 : 0));
        ck_assert_double_eq(step_deriv(z), 0);
    }
}
END_TEST

/* Every derivative of the table (ACTIVATIONS) against a central difference
 * of its function, away from the kinks of ReLU, leaky ReLU and the step
 * (|z| > 1e-3): a row added to the table is checked here by itself. */
START_TEST(test_derivatives_match_central_differences)
{
    const double h = 1e-5;
    int rows = 0;
    for (const Activation *a = ACTIVATIONS; a->name; a++, rows++)
        for (int i = 0; i < GRID_N; i++) {
            double z = grid_z(i) + 0.003;   /* off the grid's exact 0 */
            if (fabs(z) < 1e-3)
                continue;
            double num = (a->f(z + h) - a->f(z - h)) / (2 * h);
            ck_assert_msg(fabs(num - a->df(z)) < 1e-8, "%s'(%g) = %g, central difference %g",
                          a->name, z, a->df(z), num);
        }
    ck_assert_int_ge(rows, 5);   /* sigmoid, relu, leaky_relu, tanh, step at least */
}
END_TEST

/* σ(−2), σ(−0.8) and σ(0.2): 003's worked examples (0.119, 0.310) and the
 * values CHAPTERS.md lists, to 1e-7. */
START_TEST(test_sigmoid_worked_numbers)
{
    ck_assert_double_eq_tol(sigmoid(-2.0), 0.1192029, 1e-7);
    ck_assert_double_eq_tol(sigmoid(-0.8), 0.3100255, 1e-7);
    ck_assert_double_eq_tol(sigmoid(0.2), 0.5498340, 1e-7);
}
END_TEST

/* Notes §3.1: σ' is at most 0.25, reached at z = 0. */
START_TEST(test_sigmoid_deriv_max_is_quarter_at_zero)
{
    ck_assert_double_eq_tol(sigmoid_deriv(0.0), 0.25, 1e-15);
    for (int i = 0; i < GRID_N; i++) {
        double z = grid_z(i);
        ck_assert(sigmoid_deriv(z) <= 0.25);
        if (fabs(z) > 1e-9)
            ck_assert(sigmoid_deriv(z) < 0.25);
    }
}
END_TEST

/* Erratum 000 §3.1: the notes list ReLU's cases as "0 if x ≤ 0, x if x > 0"
 * and then say the derivative is "1 for the first case, 0 for the second".
 * It is the other way round: 0 for x ≤ 0, 1 for x > 0. */
START_TEST(test_erratum_relu_derivative)
{
    const double nonpos[] = {-8, -1, -1e-9, -0.0, 0.0};
    const double pos[] = {1e-9, 0.5, 1, 8};
    for (size_t i = 0; i < sizeof nonpos / sizeof *nonpos; i++)
        ck_assert_double_eq(relu_deriv(nonpos[i]), 0.0);
    for (size_t i = 0; i < sizeof pos / sizeof *pos; i++)
        ck_assert_double_eq(relu_deriv(pos[i]), 1.0);
}
END_TEST

/* Notes §3.1: leaky ReLU lets 0.01·x through on the negative side. */
START_TEST(test_leaky_relu_slope)
{
    ck_assert_double_eq_tol(leaky_relu(-3.0), -0.03, 1e-15);
    ck_assert_double_eq(leaky_relu(2.5), 2.5);
    ck_assert_double_eq(leaky_relu_deriv(-3.0), 0.01);
    ck_assert_double_eq(leaky_relu_deriv(0.0), 0.01);
    ck_assert_double_eq(leaky_relu_deriv(3.0), 1.0);
}
END_TEST

START_TEST(test_tanh_deriv_is_one_minus_square)
{
    for (int i = 0; i < GRID_N; i++) {
        double z = grid_z(i), t = tanh(z);
        ck_assert_double_eq_tol(tanh_deriv(z), 1 - t * t, 1e-15);
    }
    ck_assert_double_eq(tanh_deriv(0), 1.0);
}
END_TEST

/* The chapter's CSV holds those same numbers: 801 rows, σ'(0) = 0.25, and
 * after z one pair of columns per row of the table, name and name_deriv in
 * the table's order (the names the figures read), each holding f and f'. */
START_TEST(test_activation_csv)
{
    char *dir = test_tmpdir();
    ch2_activation_curves(dir);
    char path[512];
    snprintf(path, sizeof path, "%s/activaciones.csv", dir);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char line[1024], header[1024] = "z";
    int ncols = 1;
    for (const Activation *a = ACTIVATIONS; a->name; a++, ncols += 2)
        snprintf(header + strlen(header), sizeof header - strlen(header), ",%s,%s_deriv",
                 a->name, a->name);
    strcat(header, "\n");
    ck_assert_int_le(ncols, 32);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    ck_assert_str_eq(line, header);
    ck_assert_ptr_nonnull(strstr(header, "z,sigmoid,sigmoid_deriv,relu,relu_deriv,"));
    int rows = 0, saw_zero = 0;
    while (fgets(line, sizeof line, f)) {
        double v[32];
        char *p = line;
        for (int c = 0; c < ncols; c++) {
            v[c] = strtod(p, &p);
            ck_assert(*p == (c + 1 < ncols ? ',' : '\n'));
            p++;
        }
        double z = v[0];
        int c = 1;
        for (const Activation *a = ACTIVATIONS; a->name; a++, c += 2) {
            ck_assert_double_eq_tol(v[c], a->f(z), 1e-8);
            ck_assert_double_eq_tol(v[c + 1], a->df(z), 1e-8);
        }
        if (z == 0) {
            saw_zero = 1;
            ck_assert_double_eq_tol(v[2], 0.25, 1e-12);   /* σ'(0) */
        }
        rows++;
    }
    fclose(f);
    ck_assert_int_eq(rows, 801);
    ck_assert(saw_zero);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* --- cross-entropy (notes §3.2) ---------------------------------------- */

/* ŷ for an image of a "3": L = −ln 0.70 ≈ 0.3567, and the gradient of
 * softmax + cross-entropy with respect to the logits, ŷ − y, is 0.70 − 1 =
 * −0.30 at the 3 and ŷ_i elsewhere. */
START_TEST(test_cross_entropy_example)
{
    const double y_hat[10] = {0.01, 0.02, 0.05, 0.70, 0.02, 0.10, 0, 0, 0.10, 0};
    ck_assert_double_eq_tol(cross_entropy(y_hat, 3), -log(0.70), 1e-15);
    ck_assert_double_eq_tol(cross_entropy(y_hat, 3), 0.3567, 5e-5);
    double g[10] = {0};
    const unsigned char three = 3;
    softmax_cross_entropy_backward(g, y_hat, &three, 1, 10);   /* (ŷ − y) / 1 */
    ck_assert_double_eq_tol(g[3], -0.30, 1e-15);
    for (int i = 0; i < 10; i++)
        if (i != 3)
            ck_assert_double_eq(g[i], y_hat[i]);
}
END_TEST

/* --- chain rule (002 Figs 2.7–2.8) -------------------------------------- */

START_TEST(test_chain_rule_values)
{
    Ch2Chain c = ch2_chain_rule(2, 3, 4);
    ck_assert_double_eq(c.q, 5);
    ck_assert_double_eq(c.f, 20);
    ck_assert_double_eq(c.df_dx, 4);
    ck_assert_double_eq(c.df_dy, 4);
    ck_assert_double_eq(c.df_dz, 5);
    /* and they are the derivatives: central differences of (x + y)·z */
    const double h = 1e-6;
    ck_assert_double_eq_tol(c.df_dx, (ch2_chain_rule(2 + h, 3, 4).f - ch2_chain_rule(2 - h, 3, 4).f) / (2 * h), 1e-8);
    ck_assert_double_eq_tol(c.df_dz, (ch2_chain_rule(2, 3, 4 + h).f - ch2_chain_rule(2, 3, 4 - h).f) / (2 * h), 1e-8);
}
END_TEST

/* Erratum 002 Fig 2.8: its caption says (x, y, z) = (2, 3, 1), but the
 * values in it (f = 20, ∂f/∂x = ∂f/∂y = 4) only hold at (2, 3, 4), the point
 * of Fig 2.7. At (2, 3, 1), f would be 5 and ∂f/∂x = 1. */
START_TEST(test_erratum_fig28_point)
{
    Ch2Chain at1 = ch2_chain_rule(2, 3, 1), at4 = ch2_chain_rule(2, 3, 4);
    ck_assert_double_eq(at1.f, 5);
    ck_assert_double_eq(at1.df_dx, 1);
    ck_assert_double_eq(at4.f, 20);
    ck_assert_double_eq(at4.df_dx, 4);
    ck_assert(at1.f != at4.f);
}
END_TEST

/* 002 Figs 2.7–2.8 drawn: the graph the program writes carries, on each
 * edge, the value forward and ∂f/∂(that value) backward — f = 20 on the
 * output edge with ∂f/∂f = 1, then q = 5 (∂f/∂q = 4), x = 2 and y = 3
 * (gradient 4 each), z = 4 (gradient 5). Each edge joins two nodes of the
 * nodes file at their positions, and the output is where no edge leaves. */
START_TEST(test_chain_graph_csv)
{
    char *dir = test_tmpdir();
    ch2_chain_rule_example(dir);
    char path[512], line[256];
    snprintf(path, sizeof path, "%s/regla_cadena_nodos.csv", dir);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    ck_assert_str_eq(line, "nodo,x,y,tipo\n");
    char names[8][8];
    double nx[8], ny[8];
    int n_nodes = 0, kind;
    while (n_nodes < 8 && fgets(line, sizeof line, f)) {
        ck_assert_int_eq(sscanf(line, "%7[^,],%lf,%lf,%d", names[n_nodes], &nx[n_nodes],
                                &ny[n_nodes], &kind), 4);
        n_nodes++;
    }
    fclose(f);
    ck_assert_int_eq(n_nodes, 6);   /* x, y, z, +, ×, f */

    snprintf(path, sizeof path, "%s/regla_cadena_aristas.csv", dir);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    ck_assert_str_eq(line, "nombre,desde,hasta,x0,y0,x1,y1,valor,gradiente\n");
    /* the quantity each edge carries: its value and ∂f/∂ of it at (2, 3, 4) */
    const struct { const char *name; double value, grad; } want[] = {
        {"x", 2, 4}, {"y", 3, 4}, {"q", 5, 4}, {"z", 4, 5}, {"f", 20, 1}};
    int seen[5] = {0}, n_edges = 0;
    while (fgets(line, sizeof line, f)) {
        char name[8], from[8], to[8];
        double x0, y0, x1, y1, value, grad;
        ck_assert_int_eq(sscanf(line, "%7[^,],%7[^,],%7[^,],%lf,%lf,%lf,%lf,%lf,%lf", name, from,
                                to, &x0, &y0, &x1, &y1, &value, &grad), 9);
        n_edges++;
        int k = 0;
        while (k < 5 && strcmp(want[k].name, name) != 0)
            k++;
        ck_assert_msg(k < 5, "unexpected edge '%s'", name);
        seen[k]++;
        ck_assert_msg(value == want[k].value && grad == want[k].grad,
                      "edge %s: value %g, gradient %g; want %g, %g", name, value, grad,
                      want[k].value, want[k].grad);
        /* its ends are nodes, at the nodes' positions */
        int a = -1, b = -1;
        for (int i = 0; i < n_nodes; i++) {
            if (strcmp(names[i], from) == 0) a = i;
            if (strcmp(names[i], to) == 0) b = i;
        }
        ck_assert_msg(a >= 0 && b >= 0, "edge %s joins unknown nodes %s, %s", name, from, to);
        ck_assert(nx[a] == x0 && ny[a] == y0 && nx[b] == x1 && ny[b] == y1);
        ck_assert_msg(nx[b] > nx[a], "edge %s does not point forward", name);
    }
    fclose(f);
    ck_assert_int_eq(n_edges, 5);
    for (int k = 0; k < 5; k++)
        ck_assert_int_eq(seen[k], 1);
    test_rmdir(dir);
    free(dir);
}
END_TEST

/* --- gradient descent (002 §2.2.1, 003 §2.4.2) --------------------------- */

/* 003 Figs 11–13: the cost (0.3w − 1)² has its minimum at w = 10/3, and
 * descent gets there from either side. */
START_TEST(test_descent_reaches_ten_thirds)
{
    const double starts[] = {-3, 0, 2, 8, 20};
    for (size_t i = 0; i < sizeof starts / sizeof *starts; i++) {
        double w = ch2_descend_1d(ch2_cost_1d_grad, starts[i], 1.0, 100, NULL);
        ck_assert_double_eq_tol(w, 10.0 / 3.0, 1e-4);
    }
    /* the expanded form of 003 is the same function */
    for (double w = -4; w <= 8; w += 0.5)
        ck_assert_double_eq_tol(ch2_cost_1d(w), 0.09 * w * w - 0.6 * w + 1, 1e-12);
    ck_assert_double_eq_tol(ch2_cost_1d_grad(10.0 / 3.0), 0, 1e-15);
}
END_TEST

/* 002 Fig 2.6: the bowl ½((x − 1)² + y²) has its minimum at (1, 0). */
START_TEST(test_descent_reaches_one_zero)
{
    double x, y;
    ch2_descend_bowl(8, -7, 0.1, 250, &x, &y);
    ck_assert_double_eq_tol(x, 1, 1e-4);
    ck_assert_double_eq_tol(y, 0, 1e-4);
    /* with the notes' η = 0.01, each step keeps 0.99 of the distance */
    ch2_descend_bowl(8, -7, 0.01, 250, &x, &y);
    ck_assert_double_eq_tol(x - 1, 7 * pow(0.99, 250), 1e-12);
    ck_assert_double_eq_tol(y, -7 * pow(0.99, 250), 1e-12);
}
END_TEST

/* 003 §2.4.2.2: at (5, 4) the cost is 4.41 and ∇ = (1.26, 1.68); the
 * gradient is also checked against central differences. */
START_TEST(test_neuron_cost_at_5_4)
{
    double gx, gy;
    ck_assert_double_eq_tol(ch2_neuron_cost(5, 4), 4.41, 1e-12);
    ch2_neuron_cost_grad(5, 4, &gx, &gy);
    ck_assert_double_eq_tol(gx, 1.26, 1e-12);
    ck_assert_double_eq_tol(gy, 1.68, 1e-12);
    const double h = 1e-6;
    for (double x = -4; x <= 8; x += 1.5)
        for (double y = -4; y <= 8; y += 1.5) {
            ch2_neuron_cost_grad(x, y, &gx, &gy);
            ck_assert_double_eq_tol(gx, (ch2_neuron_cost(x + h, y) - ch2_neuron_cost(x - h, y)) / (2 * h), 1e-6);
            ck_assert_double_eq_tol(gy, (ch2_neuron_cost(x, y + h) - ch2_neuron_cost(x, y - h)) / (2 * h), 1e-6);
            /* 003's expanded partial derivatives */
            ck_assert_double_eq_tol(gx, 0.18 * x + 0.24 * y - 0.6, 1e-12);
            ck_assert_double_eq_tol(gy, 0.24 * x + 0.32 * y - 0.8, 1e-12);
        }
}
END_TEST

static double identity(double x) { return x; }   /* f'(x) for f = ½x² */

/* Erratum 002 eq. 2.9: printed as x = x − dE/dx, without η. On 002's own
 * example f = ½x² that step lands on the minimum at once (x − x = 0), so the
 * 250 small steps of Fig 2.5 must be x − η·dE/dx with the code's η = 0.01. */
START_TEST(test_erratum_eq29_needs_eta)
{
    double path[251];
    ck_assert_double_eq(ch2_descend_1d(identity, 0.8, 1.0, 1, NULL), 0.0);  /* as printed */
    ch2_descend_1d(identity, 0.8, 0.01, 250, path);                         /* with η */
    ck_assert_double_eq_tol(path[1], 0.8 * 0.99, 1e-15);
    ck_assert_double_eq_tol(path[250], 0.8 * pow(0.99, 250), 1e-12);
    ck_assert(path[250] > 0.06);   /* 250 steps later, still on the way */
}
END_TEST

/* Reads one column (0-based) of a CSV with a header into v; returns rows. */
static int read_column(const char *path, int col, double *v, int cap)
{
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char line[1024];
    int n = 0;
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f) && n < cap) {
        char *p = line;
        for (int c = 0; c < col; c++) {
            p = strchr(p, ',');
            ck_assert_ptr_nonnull(p);
            p++;
        }
        v[n++] = strtod(p, NULL);
    }
    fclose(f);
    return n;
}

/* 002 Fig 2.5 as the chapter writes it: 251 points on ½x², every one lower
 * than the one before (η = 0.01 never overshoots); and the same seed gives
 * the same files, byte for byte. */
START_TEST(test_descent_pictures_files)
{
    char *a = test_tmpdir(), *b = test_tmpdir();
    ch2_descent_pictures(a, 42);
    ch2_descent_pictures(b, 42);
    char path[512], pathb[512];
    snprintf(path, sizeof path, "%s/descenso_parabola_pasos.csv", a);
    double f[300];
    int n = read_column(path, 2, f, 300);
    ck_assert_int_eq(n, 251);
    for (int t = 1; t < n; t++)
        ck_assert_msg(f[t] < f[t - 1], "f went up at step %d", t);

    const char *names[] = {"descenso_parabola_curva.csv", "descenso_parabola_pasos.csv",
                           "descenso_coste1d_curva.csv", "descenso_coste1d_pasos.csv",
                           "descenso_minimos_curva.csv", "descenso_minimos_pasos.csv",
                           "descenso_superficie.csv", "descenso_superficie_campo.csv",
                           "descenso_superficie_camino.csv", "descenso_cuenco.csv",
                           "descenso_cuenco_pasos.csv"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "%s/%s", a, names[i]);
        snprintf(pathb, sizeof pathb, "%s/%s", b, names[i]);
        ck_assert_msg(test_files_identical(path, pathb), "%s differs between two runs", names[i]);
    }
    ck_assert(!test_dir_has_tmp(a));

    /* the 1-D cost's path ends at 10/3, the surface's walk on the valley */
    snprintf(path, sizeof path, "%s/descenso_coste1d_pasos.csv", a);
    double w[100];
    n = read_column(path, 1, w, 100);
    ck_assert_double_eq_tol(w[n - 1], 10.0 / 3.0, 1e-4);
    snprintf(path, sizeof path, "%s/descenso_superficie_camino.csv", a);
    double cost[100];
    n = read_column(path, 3, cost, 100);
    ck_assert_double_eq_tol(cost[0], 4.41, 1e-9);
    ck_assert(cost[n - 1] < 1e-6);
    test_rmdir(a);
    test_rmdir(b);
    free(a);
    free(b);
}
END_TEST

/* --- the quadratic-equation network (notes §3.5 ex. 2) ------------------ */

START_TEST(test_quadratic_data_has_real_roots)
{
    Ch2QData d = ch2_qdata_make(500, 7);
    for (int e = 0; e < d.n; e++) {
        double a = d.in[3 * e], b = d.in[3 * e + 1], c = d.in[3 * e + 2];
        double x1 = d.out[2 * e], x2 = d.out[2 * e + 1];
        ck_assert(x1 >= x2);
        ck_assert(b * b - 4 * a * c >= -1e-12);
        ck_assert_double_eq_tol(a * x1 * x1 + b * x1 + c, 0, 1e-12);
        ck_assert_double_eq_tol(a * x2 * x2 + b * x2 + c, 0, 1e-12);
        ck_assert_double_eq_tol(x1, (-b + sqrt(fmax(b * b - 4 * a * c, 0))) / (2 * a), 1e-6);
    }
    ch2_qdata_free(&d);
}
END_TEST

/* The parameters are `real` (what the optimiser steps); the tests are built
 * with real = double (REAL_F64), so the gradient check is in double. */
_Static_assert(sizeof(real) == sizeof(double), "test_ch2_extras is built in double");

typedef struct {
    real *p;
    int hidden;
    const Ch2QData *d;
} QCtx;

static double q_loss(void *ctx)
{
    QCtx *q = ctx;
    return ch2_qnet_loss(q->p, q->hidden, q->d);
}

/* The backward pass against central differences, every parameter, double
 * precision; after a few training steps too, so the check does not only
 * see the zero biases of the start. */
START_TEST(test_quadratic_gradcheck)
{
    const int h = 5;
    Ch2QData d = ch2_qdata_make(7, 11);
    int np = ch2_qnet_nparams(h);
    real *p = malloc(sizeof(real) * np), *g = malloc(sizeof(real) * np);
    ch2_qnet_init(p, h, 3);
    QCtx ctx = {p, h, &d};
    for (int round = 0; round < 2; round++) {
        double L = ch2_qnet_loss_grad(p, h, &d, g);
        ck_assert_double_eq_tol(L, ch2_qnet_loss(p, h, &d), 1e-15);
        double worst = test_gradcheck(np, p, g, q_loss, &ctx, 1e-6);
        ck_assert_msg(worst < 1e-7, "round %d: worst gradient error %g", round, worst);
        ch2_qnet_train(p, h, &d, NULL, 5, 3, 0.05, 1, NULL, NULL);
    }
    free(p);
    free(g);
    ch2_qdata_free(&d);
}
END_TEST

/* It learns: after a short training (25 epochs of 1500 equations) the test
 * MSE is below 0.01 — the roots to within about 0.1 — where always
 * answering the mean roots scores about 0.23. (Over 8 seeds this setting
 * gave 0.0032–0.0052.) */
START_TEST(test_quadratic_learns)
{
    const int h = 32, epochs = 25;
    Ch2QData train = ch2_qdata_make(1500, 1), test = ch2_qdata_make(400, 2);
    int np = ch2_qnet_nparams(h);
    real *p = malloc(sizeof(real) * np);
    ch2_qnet_init(p, h, 3);
    double before = ch2_qnet_loss(p, h, &test);
    double curve[25], tcurve[25];
    ch2_qnet_train(p, h, &train, &test, epochs, 32, 0.003, 4, curve, tcurve);
    double after = ch2_qnet_loss(p, h, &test);
    printf("quadratic net: test MSE %.4f before, %.5f after %d epochs\n", before, after, epochs);
    ck_assert_double_eq_tol(after, tcurve[epochs - 1], 1e-15);
    ck_assert_msg(after < 0.01, "test MSE %g after %d epochs", after, epochs);
    ck_assert(after < before / 10);
    ck_assert(curve[epochs - 1] < curve[0]);
    free(p);
    ch2_qdata_free(&train);
    ch2_qdata_free(&test);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ch2_extras");
    TCase *act = tcase_create("activations");
    tcase_add_test(act, test_activations_match_closed_form);
    tcase_add_test(act, test_derivatives_match_central_differences);
    tcase_add_test(act, test_sigmoid_worked_numbers);
    tcase_add_test(act, test_sigmoid_deriv_max_is_quarter_at_zero);
    tcase_add_test(act, test_erratum_relu_derivative);
    tcase_add_test(act, test_leaky_relu_slope);
    tcase_add_test(act, test_tanh_deriv_is_one_minus_square);
    tcase_add_test(act, test_activation_csv);
    tcase_add_test(act, test_cross_entropy_example);
    suite_add_tcase(s, act);

    TCase *chain = tcase_create("chain_rule");
    tcase_add_test(chain, test_chain_rule_values);
    tcase_add_test(chain, test_erratum_fig28_point);
    tcase_add_test(chain, test_chain_graph_csv);
    suite_add_tcase(s, chain);

    TCase *gd = tcase_create("descent");
    tcase_add_test(gd, test_descent_reaches_ten_thirds);
    tcase_add_test(gd, test_descent_reaches_one_zero);
    tcase_add_test(gd, test_neuron_cost_at_5_4);
    tcase_add_test(gd, test_erratum_eq29_needs_eta);
    tcase_add_test(gd, test_descent_pictures_files);
    suite_add_tcase(s, gd);

    TCase *q = tcase_create("quadratic");
    tcase_set_timeout(q, 60);
    tcase_add_test(q, test_quadratic_data_has_real_roots);
    tcase_add_test(q, test_quadratic_gradcheck);
    tcase_add_test(q, test_quadratic_learns);
    suite_add_tcase(s, q);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
