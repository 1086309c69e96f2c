/* optim.h — the optimisers: what optimizer.step() does with the gradients
 * (notes §3.4). Chapters choose one by name ("adam", "sgd"); each is a row
 * of a table (optim.c), so adding one is adding a row.
 *
 *     Optimizer opt;
 *     optim_init(&opt, "adam", 0.003, net.p.n);
 *     for every batch:
 *         ... the gradients of the batch into net.p.grads ...
 *         optim_step(&opt, net.p.values, net.p.grads);   // optimizer.step()
 *     optim_free(&opt);
 *
 * Several threads can share one step: optim_begin_step() counts it once,
 * then each thread calls optim_update() on its own range of parameters
 * (every rule here is element by element, so the ranges are independent and
 * the result is the same bytes as one optim_step()).
 *
 * The rules, θ a parameter, g its gradient, η the learning rate:
 *
 *   sgd    θ ← θ − η·g
 *   adam   (Kingma & Ba 2015, as torch.optim.Adam computes it) at step
 *          t = 1, 2, ...:
 *            m ← β1·m + (1 − β1)·g        first moment: a running mean of g
 *            v ← β2·v + (1 − β2)·g²       second moment: the scale of each g
 *            m̂ = m / (1 − β1^t)           bias corrections: m and v start at 0,
 *            v̂ = v / (1 − β2^t)           so their early averages are too small
 *            θ ← θ − η·m̂ / (√v̂ + ε)
 *          β1 = 0.9, β2 = 0.999, ε = 1e-8 (PyTorch's defaults).
 *          In the notes' words (§3.4): the momentum "acelera" along a steady
 *          slope, and √v̂ "le baja la velocidad individualmente" to each
 *          weight whose gradient jumps about. */
#ifndef OPTIM_H
#define OPTIM_H

#include <stddef.h>
#include "real.h"

#define OPTIM_MAX_STATE 2

typedef struct Optimizer Optimizer;

/* One optimiser: its name, how many arrays of per-parameter state it keeps
 * (Adam: m and v; SGD: none), and its rule on n parameters. */
typedef struct {
    const char *name;
    int nstate;
    void (*update)(const Optimizer *o, real *theta, const real *g, real *const *state,
                   size_t n);
} OptimizerRule;

struct Optimizer {
    const OptimizerRule *rule;
    double lr;                      /* η */
    long t;                         /* steps begun so far (Adam's bias correction) */
    size_t n;                       /* parameters */
    real *state[OPTIM_MAX_STATE];   /* rule->nstate arrays of n values, zero at the start */
};

/* The rules' names, NULL-terminated, for flags such as --opt adam,sgd. */
extern const char *const OPTIMIZER_NAMES[];

/* The rule called `name`, or NULL. */
const OptimizerRule *optim_rule(const char *name);

/* An optimiser for n parameters; dies with one line on an unknown name. */
void optim_init(Optimizer *o, const char *name, double lr, size_t n);
void optim_free(Optimizer *o);

/* optimizer.step() on one thread: optim_begin_step(), then optim_update()
 * on every parameter. */
void optim_step(Optimizer *o, real *theta, const real *g);

/* The same step shared by threads: count it once ... */
void optim_begin_step(Optimizer *o);
/* ... then the rule on the parameters [lo, hi), from any thread. */
void optim_update(const Optimizer *o, real *theta, const real *g, size_t lo, size_t hi);

#endif
