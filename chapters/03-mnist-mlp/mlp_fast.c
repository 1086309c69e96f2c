/* mlp_fast.c — the same step as mlp.c's ch3_step, made fast: each batch cut
 * into slices, one per thread (the pattern of common/parallel.h).
 *
 * Why: a batch of 64 through 784–128–64–10 is about 42 MFLOP, ~0.2 ms.
 * Given the whole batch, OpenBLAS would split each of the step's eight small
 * products over its threads and meet at a barrier after every one of them;
 * the waiting costs as much as the multiplying. Cut into slices instead,
 * thread k gathers its own rows and runs mlp.c's readable forward, loss and
 * backward on them — each product on one thread — into its own gradient
 * buffer. The threads meet twice per step: once when every slice is done,
 * then to sum the slices' gradients and take the optimiser's step, each
 * thread on its own range of the parameters. Evaluation cuts its batches of
 * 1000 the same way.
 *
 * What stays the same: the arithmetic. Each slice's gradient is already
 * divided by the WHOLE batch's size (ch3_backward's `batch`), so the batch's
 * gradient is the sum of the slices' — only the order of the float additions
 * changes. The cuts are fixed (par_range: rows [0, ⌈B/T⌉), ...; parameters in
 * ranges of multiples of 16) and the slices are summed in a fixed order
 * (par_sum_into), so the same seed and thread count give the same bytes
 * whatever the machine's load. With 2 threads this is the arithmetic the
 * chapter has always published (97.12 %). tests/test_ch3_layers.c holds this
 * step to ch3_step for 1, 2 and 3 threads.
 *
 * The other speed-ups live where they belong: OpenBLAS's sgemm behind
 * gemm() (common/gemm.c; --plain turns it back into the triple loop), Adam's
 * loop vectorised (common/optim.c, built with -fno-math-errno), and the
 * guesses taken from the logits without a softmax (mlp.c's ch3_guess_rows).
 * bench/README.md ("Each chapter's speed-ups, one by one") measures each. */
#include "mlp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "util.h"

/* Each thread's own tensors and gradients, made once per thread count. */
struct Ch3Fast {
    int threads;
    Ch3Pass pass[CH3_MAX_THREADS];   /* thread k's pass, ⌈bmax / T⌉ rows */
    real *grads[CH3_MAX_THREADS];    /* its gradients; grads[0] is the network's own */
};

int ch3_fast_pays(int batch) { return par_threads() > 1 && batch >= CH3_FAST_MIN_BATCH; }

static struct Ch3Fast *workspace(Ch3Net *n, int T)
{
    if (n->fast && n->fast->threads == T)
        return n->fast;
    if (T < 1 || T > CH3_MAX_THREADS)
        die("%d threads (1 to %d are possible)", T, CH3_MAX_THREADS);
    ch3_fast_free(n);
    struct Ch3Fast *f = xcalloc(1, sizeof *f);
    f->threads = T;
    int rows = (n->bmax + T - 1) / T;   /* the largest slice par_range cuts */
    for (int k = 0; k < T; k++) {
        /* Slice 0 writes straight into the network's gradients, where the
         * others are summed: after a step n->p.grads is the batch's gradient,
         * as after ch3_step. */
        ch3_pass_init(&f->pass[k], n, rows, k == 0 ? n->p.grads : NULL);
        f->grads[k] = f->pass[k].grads;
    }
    n->fast = f;
    return f;
}

void ch3_fast_free(Ch3Net *n)
{
    if (!n->fast)
        return;
    for (int k = 0; k < n->fast->threads; k++)
        ch3_pass_free(&n->fast->pass[k]);
    free(n->fast);
    n->fast = NULL;
}

/* Rows [lo, hi) of a batch of B, on the calling thread: mlp.c's forward, loss
 * and backward over them, into this pass's gradients. Returns the rows'
 * loss summed (the batch's mean is taken once every slice is in). */
static double slice_forward_backward(const Ch3Net *n, Ch3Pass *w, const Mnist *d,
                                     const int *idx, int B, size_t lo, size_t hi)
{
    memset(w->grads, 0, n->p.n * sizeof(real));   /* optimizer.zero_grad(), this slice's */
    int rows = (int)(hi - lo);
    if (rows == 0)
        return 0;
    for (int l = 0; l + 1 < n->nlayers; l++)      /* its rows of the batch's dropout masks */
        w->mask[l] = n->mask[l] + lo * (size_t)n->sizes[l + 1];
    mnist_gather(d, idx + lo, rows, w->x, w->y);
    ch3_forward(n, w, rows, 1);
    double loss = ch3_loss(n, w, rows) * rows;
    ch3_backward(n, w, rows, B, lo == 0);         /* ∂(batch mean)/∂θ from these rows; L2 once */
    return loss;
}

static double sum_in_order(const double *v, int n)
{
    double s = 0;
    for (int k = 0; k < n; k++)
        s += v[k];
    return s;
}

double ch3_fast_step(Ch3Net *n, Optimizer *o, const Mnist *d, const int *idx, int B)
{
    int T = par_threads();
    struct Ch3Fast *f = workspace(n, T);
    double slice_loss[CH3_MAX_THREADS];
#pragma omp parallel num_threads(T)
    {
        /* zero_grad, model(images), criterion, loss.backward(): one slice per thread */
#pragma omp for schedule(static, 1)
        for (int k = 0; k < T; k++) {
            size_t lo, hi;
            par_range((size_t)B, T, k, 1, &lo, &hi);
            slice_loss[k] = slice_forward_backward(n, &f->pass[k], d, idx, B, lo, hi);
        }
        /* (an omp for ends when every slice is done; every thread then sees
         * the same losses, so all of them take the same branch) */
        if (isfinite(sum_in_order(slice_loss, T) / B)) {
#pragma omp single
            optim_begin_step(o);                  /* counted once (single waits for it) */
            /* optimizer.step(): one range of parameters per thread, the
             * slices' gradients summed into grads[0] in a fixed order */
#pragma omp for schedule(static, 1)
            for (int k = 0; k < T; k++) {
                size_t lo, hi;
                par_range(n->p.n, T, k, 16, &lo, &hi);
                par_sum_into(f->grads[0], f->grads + 1, T - 1, lo, hi);
                optim_update(o, n->p.values, f->grads[0], lo, hi);
            }
        }
    }
    return sum_in_order(slice_loss, T) / B;       /* not finite: no step was taken */
}

double ch3_fast_guess(Ch3Net *n, const Mnist *d, const int *idx, int B, unsigned char *pred,
                      long *correct, int with_loss)
{
    int T = par_threads();
    struct Ch3Fast *f = workspace(n, T);
    double slice_loss[CH3_MAX_THREADS];
    long slice_right[CH3_MAX_THREADS];
#pragma omp parallel for num_threads(T) schedule(static, 1)
    for (int k = 0; k < T; k++) {
        size_t lo, hi;
        par_range((size_t)B, T, k, 1, &lo, &hi);
        slice_right[k] = 0;
        slice_loss[k] = hi == lo ? 0
                                 : ch3_guess_rows(n, &f->pass[k], d, idx + lo, (int)(hi - lo),
                                                  pred ? pred + lo : NULL, &slice_right[k],
                                                  with_loss);
    }
    for (int k = 0; k < T; k++)
        *correct += slice_right[k];
    return sum_in_order(slice_loss, T);
}
