/* team.c — the speed of notes §3.4's training loop: each batch shared by
 * two threads.
 *
 * Why: a batch of 64 through 784–128–64–10 is about 42 MFLOP, ~0.2 ms. Left
 * to itself, OpenBLAS splits each of the eight small products of a step
 * across its two threads and meets at a barrier after every one of them;
 * the waits cost as much as the arithmetic. Here the batch is cut in two
 * halves instead: thread k gathers, runs forward and backward over its rows
 * with single-threaded OpenBLAS into its own gradient store, and the two
 * meet twice per step — once to add the two gradients and take the
 * optimiser step (each thread on half of the parameters), once before the
 * next batch. Inference (ch3_evaluate) cuts its batches the same way.
 *
 * What stays the same: the arithmetic. The gradient of the batch is the sum
 * of the two halves' gradients, each already divided by the WHOLE batch's
 * size, so only the order of the float additions changes. The split is
 * fixed (rows [0, ⌈B/2⌉) and the rest; parameters [0, h) and the rest), and
 * so is the order of every reduction: the same seed gives the same bytes,
 * whatever the machine's load. The results depend on the team size, which
 * is fixed at CH3_THREADS = 2 (ch3_net_init); net.threads = 1 is the plain
 * one-thread loop, held to the same numbers by tests/test_ch3.c.
 *
 * Dropout: thread 0 draws the whole batch's masks before the halves start,
 * in the order the one-thread loop draws them, so the masks are the same. */
#include "mlp.h"

#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Batches smaller than this are not worth waking a second thread for. */
#define CH3_TEAM_MIN_BATCH 16

typedef struct Ch3Team Ch3Team;
typedef void (*TeamJob)(Ch3Team *t, int k);

struct Ch3Team {
    Ch3Net *net[2];            /* net[0] is the network itself, net[1] its twin */
    pthread_t tid;
    atomic_uint posted, done;  /* job counters: posted by thread 0, done by 1 */
    atomic_uint claimed;       /* the last job whose second half has a taker */
    atomic_int sleepers;       /* threads asleep (or going to sleep) on wake */
    pthread_mutex_t lock;
    pthread_cond_t wake;
    unsigned gen;
    TeamJob job;
    int quit;
    /* the job's inputs and outputs, per thread where they differ */
    const Ch3Data *d;
    const int *idx;            /* the batch's image indices */
    int row0[2], rows[2];      /* thread k's rows: [row0, row0 + rows) */
    int mean_over;             /* the batch size the loss is a mean over */
    double loss[2];            /* thread k's rows' loss, summed (not averaged) */
    long correct[2];
    unsigned char *pred;
    int with_loss;
    Ch3Opt *opt;
    size_t p0[2], p1[2];       /* thread k's parameters: [p0, p1) */
};

/* --- the twin: own activations and gradients, the same weights -------------- */

static Ch3Net *twin_new(const Ch3Net *n)
{
    Ch3Net *c = xmalloc(sizeof *c);
    *c = *n;
    c->team = NULL;
    c->p.grads = xcalloc(n->p.n ? n->p.n : 1, sizeof(real));
    for (int l = 0; l < n->nlayers; l++) {
        c->dW[l] = c->p.grads + (n->dW[l] - n->p.grads);
        c->db[l] = c->p.grads + (n->db[l] - n->p.grads);
    }
    /* The arena as ch3_net_init laid it out: activations, then X (bmax, 784).
     * (Not from n->bmax, which ch3_evaluate's callers may lower for a while.) */
    size_t acts = 0;
    for (int l = 0; l < n->nlayers; l++)
        acts += (size_t)n->sizes[l + 1];
    size_t before_x = (size_t)(n->x - n->arena), rows = before_x / (5 * acts);
    c->arena = xcalloc(before_x + rows * CH3_PIXELS, sizeof(real));
    real **mine[5] = {c->z, c->a, c->mask, c->dz, c->da};
    real *const *theirs[5] = {n->z, n->a, n->mask, n->dz, n->da};
    for (int s = 0; s < 5; s++)
        for (int l = 0; l < n->nlayers; l++)
            mine[s][l] = c->arena + (theirs[s][l] - n->arena);
    c->x = c->arena + (n->x - n->arena);
    c->y = xcalloc((size_t)n->bmax, 1);
    return c;
}

static void twin_free(Ch3Net *c)
{
    free(c->p.grads);
    free(c->arena);
    free(c->y);
    free(c);
}

void ch3_team_free(Ch3Net *n)
{
    if (n->team) {
        twin_free(n->team->net[1]);
        pthread_mutex_destroy(&n->team->lock);
        pthread_cond_destroy(&n->team->wake);
        free(n->team);
        n->team = NULL;
    }
}

/* Runs job(t, 0) and job(t, 1) on two OpenMP threads; returns when both
 * are done. */
static void team_run(Ch3Team *t, TeamJob job)
{
#pragma omp parallel num_threads(2)
    job(t, omp_get_thread_num());
}

/* OpenBLAS's own pool thread (pthread builds). It is made when the library
 * loads and spins (sched_yield) for ~0.1 s before it sleeps — into our first
 * epoch, on the core our second thread needs (measured: an epoch +12 %).
 * Weak: a build without it still links, and the call is then skipped. */


/* One thread per half already: OpenBLAS must not start more of its own. It
 * stays at one thread for the rest of the program: every change of the
 * setting wakes OpenBLAS's idle thread, which then spins on our core too.
 * With one thread OpenBLAS never uses its pool, so we stop it; the library
 * starts it again by itself should it ever be needed (as after a fork). */
void ch3_blas_one_thread(void)
{
    if (openblas_get_num_threads() != 1) {
        openblas_set_num_threads(1);
    }
}

/* The team for n (made on first use, kept until ch3_net_free), its second
 * thread started; NULL when this batch size runs on one thread. */
static Ch3Team *team_start(Ch3Net *n, int batch)
{
    if (n->threads < 2 || batch < CH3_TEAM_MIN_BATCH)
        return NULL;
    if (!n->team) {
        n->team = xcalloc(1, sizeof *n->team);
        pthread_mutex_init(&n->team->lock, NULL);
        pthread_cond_init(&n->team->wake, NULL);
        n->team->net[0] = n;
        n->team->net[1] = twin_new(n);
    }
    Ch3Team *t = n->team;
    Ch3Net *c = t->net[1];   /* the settings may have changed since */
    c->act = n->act, c->head = n->head, c->dropout = n->dropout, c->l2 = n->l2;
    c->sum_over_batch = n->sum_over_batch, c->bmax = n->bmax;
    t->gen = 0;
    t->quit = 0;
    atomic_store(&t->posted, 0);
    atomic_store(&t->done, 0);
    atomic_store(&t->claimed, 0);
    atomic_store(&t->sleepers, 0);
    ch3_blas_one_thread();

    return t;
}

static void team_stop(Ch3Team *t)
{
    if (!t)
        return;
    (void)t;
}

/* Rows [0, ⌈B/2⌉) to thread 0, the rest to thread 1. */
static void split_rows(Ch3Team *t, int B)
{
    t->rows[0] = (B + 1) / 2;
    t->rows[1] = B - t->rows[0];
    t->row0[0] = 0;
    t->row0[1] = t->rows[0];
}

/* --- training: forward + backward per half, then one optimiser step ---------- */

static void job_forward_backward(Ch3Team *t, int k)
{
    Ch3Net *n = t->net[k];
    int B = t->rows[k];
    const int *idx = t->idx + t->row0[k];
    ch3_gather(n->x, n->y, t->d, idx, B);
    /* loss of these rows, summed: the caller divides by the whole batch */
    t->loss[k] = ch3_forward(n, n->x, n->y, B, 1, NULL) * B;
    /* ∂(whole batch's mean loss)/∂θ from these rows; L2 added by thread 0 only */
    ch3_backward_rows(n, n->x, n->y, B, t->mean_over, k == 0);
}

static void job_step(Ch3Team *t, int k)
{
    size_t p0 = t->p0[k], p1 = t->p1[k];
    real *restrict g = t->net[0]->p.grads;
    const real *restrict g1 = t->net[1]->p.grads;
    for (size_t i = p0; i < p1; i++)    /* the batch's gradient: half 0 + half 1 */
        g[i] += g1[i];
    ch3_opt_step_range(t->opt, t->net[0], p0, p1);
}

/* Dropout's masks for the whole batch (B rows) from rng, layer after layer as
 * ch3_forward would draw them; each half then uses its own rows. */
static void draw_masks(Ch3Team *t, int B, Rng *rng)
{
    Ch3Net *n = t->net[0], *c = t->net[1];
    for (int l = 0; l < n->nlayers - 1; l++) {
        int out = n->sizes[l + 1];
        dropout_make_mask(n->mask[l], (size_t)B * out, n->dropout, rng);
        c->mask[l] = n->mask[l] + (size_t)t->row0[1] * out;
    }
    n->masks_ready = c->masks_ready = 1;
}

int ch3_team_train_epoch(Ch3Net *n, Ch3Opt *o, const Ch3Data *d, const int *order,
                         int count, int batch, Rng *rng, float *batch_loss, Progress *bar,
                         double *mean_loss)
{
    Ch3Team *t = team_start(n, batch);
    if (!t)
        return 0;   /* the caller runs the one-thread loop */
    int nbatches = (count + batch - 1) / batch;
    /* the parameters cut in two at a multiple of 16 (whole vectors and lines) */
    size_t half = (n->p.n / 2 + 15) & ~(size_t)15;
    if (half > n->p.n)
        half = n->p.n;
    t->p0[0] = 0, t->p1[0] = half, t->p0[1] = half, t->p1[1] = n->p.n;
    t->d = d;
    t->opt = o;
    double running_loss = 0;
    *mean_loss = NAN;
    for (int k = 0; k < nbatches; k++) {
        int B = (k == nbatches - 1) ? count - k * batch : batch;
        t->idx = order + (size_t)k * batch;
        t->mean_over = B;
        split_rows(t, B);
        if (n->dropout > 0)
            draw_masks(t, B, rng);
        team_run(t, job_forward_backward);      /* forward + loss.backward() */
        double loss = (t->loss[0] + t->loss[1]) / B;
        if (!isfinite(loss)) {
            team_stop(t);
            n->masks_ready = t->net[1]->masks_ready = 0;
            return 1;                            /* *mean_loss stays NaN */
        }
        team_run(t, job_step);                  /* optimizer.step() */
        ch3_opt_count_step(o);
        running_loss += loss;
        if (batch_loss)
            batch_loss[k] = (float)loss;
        progress_update(bar, k + 1, running_loss / (k + 1));
    }
    team_stop(t);
    n->masks_ready = t->net[1]->masks_ready = 0;
    *mean_loss = running_loss / nbatches;
    return 1;
}

/* --- inference ------------------------------------------------------------------ */

static void job_evaluate(Ch3Team *t, int k)
{
    Ch3Net *n = t->net[k];
    t->correct[k] = 0;
    t->loss[k] = 0;
    if (t->rows[k] == 0)
        return;
    t->loss[k] = ch3_evaluate_rows(n, t->d, t->idx + t->row0[k], t->rows[k],
                                   t->pred ? t->pred + t->row0[k] : NULL, &t->correct[k],
                                   t->with_loss);
}

int ch3_team_evaluate(Ch3Net *n, const Ch3Data *d, const int *idx_all, int count,
                      unsigned char *pred, int with_loss, long *correct, double *loss)
{
    Ch3Team *t = team_start(n, n->bmax < count ? n->bmax : count);
    if (!t)
        return -1;
    t->d = d;
    t->with_loss = with_loss;
    for (int start = 0; start < count; start += n->bmax) {
        int B = count - start < n->bmax ? count - start : n->bmax;
        t->idx = idx_all + start;
        t->pred = pred ? pred + start : NULL;
        split_rows(t, B);
        team_run(t, job_evaluate);
        *correct += t->correct[0] + t->correct[1];
        *loss += t->loss[0] + t->loss[1];
    }
    team_stop(t);
    return 0;
}
