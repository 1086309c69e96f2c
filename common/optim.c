/* optim.c — the optimisers of optim.h: one row of the table each. */
#include "optim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#ifdef REAL_F64
#define real_sqrt sqrt
#else
#define real_sqrt sqrtf
#endif

/* --- the rules ------------------------------------------------------------ */

static void sgd_update(const Optimizer *o, real *restrict theta, const real *restrict g,
                       real *const *state, size_t n)
{
    (void)state;
    real lr = (real)o->lr;
    for (size_t i = 0; i < n; i++)
        theta[i] -= lr * g[i];
}

/* Adam's loop is a large share of a training epoch unless it vectorises. Two
 * things stop the compiler: possible aliasing between the four arrays
 * (restrict says they are distinct) and errno — a scalar sqrt must be able
 * to set EDOM for a negative argument, which puts a branch in the loop. v̂ is
 * never negative, so the Makefile compiles this file with -fno-math-errno
 * (not -ffast-math: NaN and rounding stay IEEE). */
static void adam_update(const Optimizer *o, real *restrict theta, const real *restrict g,
                        real *const *state, size_t n)
{
    const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
    /* The two bias corrections are the same for every weight: once per call. */
    double c1 = 1 - pow(beta1, (double)o->t);
    double c2 = 1 - pow(beta2, (double)o->t);
    real b1 = (real)beta1, b2 = (real)beta2;
    real step = (real)(o->lr / c1);   /* η · m / (1 − β1^t) */
    real inv_c2 = (real)(1 / c2);
    real e = (real)eps;
    real *restrict m = state[0], *restrict v = state[1];
    for (size_t i = 0; i < n; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        real v_hat = v[i] * inv_c2;
        theta[i] -= step * m[i] / (real_sqrt(v_hat) + e);
    }
}

static const OptimizerRule RULES[] = {
    {"adam", 2, adam_update},
    {"sgd", 0, sgd_update},
};
#define NRULES (sizeof RULES / sizeof RULES[0])

const char *const OPTIMIZER_NAMES[] = {"adam", "sgd", NULL};

/* --- the optimiser -------------------------------------------------------- */

const OptimizerRule *optim_rule(const char *name)
{
    for (size_t i = 0; i < NRULES; i++)
        if (strcmp(RULES[i].name, name) == 0)
            return &RULES[i];
    return NULL;
}

void optim_init(Optimizer *o, const char *name, double lr, size_t n)
{
    memset(o, 0, sizeof *o);
    o->rule = optim_rule(name);
    if (!o->rule)
        die("unknown optimiser '%s' (adam or sgd)", name);
    o->lr = lr;
    o->n = n;
    for (int s = 0; s < o->rule->nstate; s++)
        o->state[s] = xcalloc(n ? n : 1, sizeof(real));
}

void optim_free(Optimizer *o)
{
    for (int s = 0; s < OPTIM_MAX_STATE; s++)
        free(o->state[s]);
    memset(o, 0, sizeof *o);
}

void optim_begin_step(Optimizer *o) { o->t++; }

void optim_update(const Optimizer *o, real *theta, const real *g, size_t lo, size_t hi)
{
    if (hi > o->n || lo > hi)
        die("optim_update: parameters [%zu, %zu) of %zu", lo, hi, o->n);
    real *state[OPTIM_MAX_STATE] = {0};
    for (int s = 0; s < o->rule->nstate; s++)
        state[s] = o->state[s] + lo;
    o->rule->update(o, theta + lo, g + lo, state, hi - lo);
}

void optim_step(Optimizer *o, real *theta, const real *g)
{
    optim_begin_step(o);
    optim_update(o, theta, g, 0, o->n);
}
