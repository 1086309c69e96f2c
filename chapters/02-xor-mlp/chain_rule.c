/* chain_rule.c — the chain rule on the smallest graph that needs it (002
 * §2.2.1, Figs 2.7–2.8): f(x, y, z) = (x + y)·z, split as q = x + y and
 * f = q·z, evaluated at (2, 3, 4).
 *
 * The forward pass computes q and f; the backward pass starts from
 * ∂f/∂f = 1 and multiplies local derivatives on the way back, which is
 * exactly what the XOR network's backward pass does with its matrices.
 * (002's Fig 2.8 caption says (2, 3, 1); the numbers in it belong to
 * (2, 3, 4), the point of Fig 2.7 — see the README's errata.) */
#include <stdio.h>

#include "extras.h"

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

void ch2_chain_rule_example(void)
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
}
