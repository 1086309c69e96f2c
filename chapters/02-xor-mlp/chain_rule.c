/* chain_rule.c — the chain rule on the smallest graph that needs it (002
 * §2.2.1, Figs 2.7–2.8): f(x, y, z) = (x + y)·z, split as q = x + y and
 * f = q·z, evaluated at (2, 3, 4).
 *
 * The forward pass computes q and f; the backward pass starts from
 * ∂f/∂f = 1 and multiplies local derivatives on the way back, which is
 * exactly what the XOR network's backward pass does with its matrices.
 * (002's Fig 2.8 caption says (2, 3, 1); the numbers in it belong to
 * (2, 3, 4), the point of Fig 2.7 — see the notebook's errata.)
 *
 * The graph itself, with every value and gradient on its edge, goes to two
 * CSVs that plots/ch2_002fig2_7_8_regla_cadena.gp draws. */
#include <stdio.h>

#include "extras.h"
#include "out.h"

Ch2Chain ch2_chain_rule(double x, double y, double z)
{
    Ch2Chain c;
    /* forward: the two nodes of the graph */
    c.q = x + y;
    c.f = c.q * z;
    /* backward: local derivatives of f = q·z ... */
    c.df_dq = z;                 /* ∂f/∂q = z */
    c.df_dz = c.q;               /* ∂f/∂z = q */
    /* ... and of q = x + y (both 1), chained: ∂f/∂x = ∂f/∂q · ∂q/∂x */
    c.df_dx = c.df_dq * 1.0;
    c.df_dy = c.df_dq * 1.0;
    return c;
}

/* 002 Figs 2.7–2.8, drawn: the graph of f = (x + y)·z with the values the
 * two passes above put on it. Nodes: the three inputs, the two operations
 * and the output; each edge carries one quantity — its value forward and
 * ∂f/∂(that quantity) backward — so the figure script only places the
 * numbers computed here. Positions in drawing units, inputs on the left. */
typedef struct { const char *name; double x, y; int kind; } GraphNode;   /* kind 0 input, 1 op, 2 output */

static void write_chain_graph(const char *dir, double x, double y, double z, const Ch2Chain *c)
{
    static const GraphNode nodes[] = {
        {"x", 0.0, 2.7, 0}, {"y", 0.0, 0.9, 0}, {"z", 0.0, -0.7, 0},
        {"+", 2.6, 1.8, 1}, {"×", 5.0, 0.5, 1}, {"f", 7.0, 0.5, 2}};
    enum { NX, NY, NZ, NPLUS, NTIMES, NF };
    Csv nc;
    csv_open(&nc, out_path(dir, "regla_cadena_nodos.csv"), "nodo,x,y,tipo");
    for (int i = 0; i < 6; i++)
        csv_printf(&nc, "%s,%g,%g,%d\n", nodes[i].name, nodes[i].x, nodes[i].y, nodes[i].kind);
    csv_close(&nc);

    /* each edge: the quantity it carries, its two ends, value, ∂f/∂value */
    struct { const char *name; int from, to; double value, grad; } edges[] = {
        {"x", NX, NPLUS, x, c->df_dx},       {"y", NY, NPLUS, y, c->df_dy},
        {"q", NPLUS, NTIMES, c->q, c->df_dq}, {"z", NZ, NTIMES, z, c->df_dz},
        {"f", NTIMES, NF, c->f, 1.0}};       /* ∂f/∂f = 1: where the backward pass starts */
    Csv ec;
    csv_open(&ec, out_path(dir, "regla_cadena_aristas.csv"),
             "nombre,desde,hasta,x0,y0,x1,y1,valor,gradiente");
    for (int i = 0; i < 5; i++) {
        const GraphNode *a = &nodes[edges[i].from], *b = &nodes[edges[i].to];
        csv_printf(&ec, "%s,%s,%s,%g,%g,%g,%g,%.17g,%.17g\n", edges[i].name, a->name, b->name,
                   a->x, a->y, b->x, b->y, edges[i].value, edges[i].grad);
    }
    csv_close(&ec);
}

void ch2_chain_rule_example(const char *outdir)
{
    const double x = 2, y = 3, z = 4;
    Ch2Chain c = ch2_chain_rule(x, y, z);

    printf("\n== Regla de la cadena: f(x, y, z) = (x + y)·z en (2, 3, 4) (002 Figs 2.7–2.8) ==\n");
    printf("  hacia delante (forward)        hacia atrás (backward)\n");
    printf("  x = %-4g                       ∂f/∂x = ∂f/∂q · ∂q/∂x = %g · 1 = %g\n", x, c.df_dq, c.df_dx);
    printf("  y = %-4g                       ∂f/∂y = ∂f/∂q · ∂q/∂y = %g · 1 = %g\n", y, c.df_dq, c.df_dy);
    printf("  z = %-4g                       ∂f/∂z = q = %g\n", z, c.df_dz);
    printf("  q = x + y = %-4g               ∂f/∂q = z = %g\n", c.q, c.df_dq);
    printf("  f = q · z = %-4g               ∂f/∂f = 1\n", c.f);
    printf("  (si x sube 0.001, f sube unas %g milésimas: la derivada es la sensibilidad)\n",
           c.df_dx);
    write_chain_graph(outdir, x, y, z, &c);
}
