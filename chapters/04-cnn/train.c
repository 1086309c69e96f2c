/* train.c — the notes' training loop and the test accuracy (see train.h). */
#include "train.h"
#include "cnn_fast.h"
#include "interrupt.h"
#include "optim.h"
#include "progress.h"
#include "resume.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

CnnTrainSettings cnn_train_defaults(void)
{
    /* Seed 42, the series' seed, fixed before any run was looked at (issue
     * 8 item 9: an earlier default had been picked as the best of six). */
    return (CnnTrainSettings){.epochs = 5, .batch = 64, .opt = "adam", .lr = 0.001,
                              .lr_decay = 1, .dropout = 0, .shift = 0, .seed = 42};
}

void cnn_train_init_net(CnnNet *net, uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, seed);
    cnn_init(net, &rng);
}

/* ------------------------------------------------------------------------ */
/* Random shifts of the training images                                     */
/* ------------------------------------------------------------------------ */
void cnn_shift_image(const unsigned char *src, int dx, int dy, unsigned char *dst)
{
    for (int r = 0; r < CNN_SIDE; r++)
        for (int c = 0; c < CNN_SIDE; c++) {
            int sr = r - dy, sc = c - dx; /* the pixel that lands on (r, c) */
            int in = sr >= 0 && sr < CNN_SIDE && sc >= 0 && sc < CNN_SIDE;
            dst[r * CNN_SIDE + c] = in ? src[sr * CNN_SIDE + sc] : 0;
        }
}

void cnn_random_shifts(const Mnist *src, int shift, Rng *rng, Mnist *dst)
{
    if (src->rows != CNN_SIDE || src->cols != CNN_SIDE)
        die("internal: random shifts need 28 x 28 images");
    if (!dst->pixels) {
        *dst = *src;
        dst->pixels = xmalloc((size_t)src->n * CNN_PIXELS);
        dst->labels = xmalloc((size_t)src->n);
        memcpy(dst->labels, src->labels, (size_t)src->n);
    }
    uint32_t span = (uint32_t)(2 * shift + 1);
    for (int i = 0; i < src->n; i++) {
        int dx = (int)rng_below(rng, span) - shift, dy = (int)rng_below(rng, span) - shift;
        cnn_shift_image(src->pixels + (size_t)i * CNN_PIXELS, dx, dy,
                        dst->pixels + (size_t)i * CNN_PIXELS);
    }
}

/* ------------------------------------------------------------------------ */
/* One batch, through the readable network (--plain) or the fast one        */
/* ------------------------------------------------------------------------ */
typedef struct {
    int plain;
    CnnActs acts;            /* --plain */
    unsigned char *labels;
    CnnFast fast;            /* otherwise */
} Trainer;

static void trainer_init(Trainer *t, const CnnNet *net, const CnnTrainSettings *s)
{
    memset(t, 0, sizeof *t);
    t->plain = s->plain;
    if (t->plain) {
        cnn_acts_init(&t->acts, s->batch);
        t->labels = xmalloc((size_t)s->batch);
    } else {
        cnn_fast_init(&t->fast, net, s->threads, s->batch, 1);
    }
}

static void trainer_free(Trainer *t)
{
    if (t->plain) {
        cnn_acts_free(&t->acts);
        free(t->labels);
    } else {
        cnn_fast_free(&t->fast);
    }
}

static double train_batch(Trainer *t, CnnNet *net, const Mnist *tr, const int *idx, int B,
                          const real *mask, Optimizer *opt)
{
    if (!t->plain)
        return cnn_fast_step(&t->fast, net, tr, idx, B, mask, opt);
    mnist_gather(tr, idx, B, t->acts.x, t->labels); /* for images, labels in trainloader */
    return cnn_train_step(net, &t->acts, B, t->labels, mask, opt);
}

/* Learning in motion (§4.1): conv1's kernels as they are now, copied out
 * after `batch` batches. Only read from the network, so the training with
 * snapshots is the training without them, bit for bit. */
static void snapshot_conv1(CnnTrainLog *log, const CnnNet *net, int batch)
{
    float *dst = log->conv1 + (size_t)log->nconv1 * CNN_C1 * 9;
    for (int i = 0; i < CNN_C1 * 9; i++)
        dst[i] = (float)net->conv1.weight[i];
    log->conv1_batch[log->nconv1++] = batch;
}

/* ------------------------------------------------------------------------ */
/* Around the loop: where it is, its checkpoint, Ctrl-C, a divergence       */
/* ------------------------------------------------------------------------ */
static void loop_init(CnnLoop *L, const CnnTrainSettings *s, const Mnist *tr)
{
    memset(L, 0, sizeof *L);
    L->images = tr->n;
    L->batches = (tr->n + s->batch - 1) / s->batch;
    L->max_curve = s->epochs * ((L->batches + CNN_CURVE_EVERY - 1) / CNN_CURVE_EVERY);
    /* conv1's frames: the start, then frame j after batch j·batches/frames of
     * epoch 1 (evenly spaced, the last after its last batch); never more
     * frames than batches, so that no two frames fall on one batch */
    L->frames = s->conv1_frames < L->batches ? s->conv1_frames : L->batches;
    L->next_frame = 1;
    rng_seed(&L->rng, s->seed ^ 0x5eed5eedULL);             /* the shuffles and the dropout masks */
    rng_seed(&L->shift_rng, s->seed ^ 0x5ead5ead5eadULL);   /* the shifts */
    L->shift_rng_epoch = L->shift_rng;
    L->order = xmalloc(sizeof(int) * (size_t)(tr->n > 0 ? tr->n : 1));
    for (int i = 0; i < tr->n; i++)
        L->order[i] = i;
    if (s->checkpoint)
        L->fingerprint = cnn_images_fingerprint(tr);
}

/* What the bookkeeping calls of the loop need. */
typedef struct {
    const CnnTrainSettings *s;
    CnnNet *net;
    Optimizer *opt;
    CnnLoop *loop;
    CnnTrainLog *log;
    double start, seconds_before; /* this session's start; training seconds before it */
} Book;

static void save_checkpoint(const Book *k)
{
    cnn_checkpoint_save(k->s, k->net, k->opt, k->loop, k->log,
                        k->seconds_before + now_seconds() - k->start);
}

/* --resume: the network, the optimiser, the loop and the log as the
 * checkpoint left them, when there is one. */
static void resume_from_checkpoint(Book *k)
{
    if (!cnn_checkpoint_restore(k->s, k->net, k->opt, k->loop, k->log, &k->seconds_before)) {
        k->log->resumed = -1;
        return;
    }
    k->log->resumed = 1;
    k->log->resumed_epoch = k->loop->epoch;
    k->log->resumed_batch = k->loop->batch;
}

static void note_stop(CnnTrainLog *log, int why, int epoch, int batch)
{
    log->stop = why;
    log->stop_epoch = epoch;
    log->stop_batch = batch;
}

/* Batch `done` of the epoch is trained: the checkpoint every N batches of
 * the run, and Ctrl-C (the checkpoint there too). Returns 1 to stop. At the
 * epoch's last batch both wait for the epoch's end (end_of_epoch). */
static int after_batch(const Book *k, int done)
{
    CnnLoop *L = k->loop;
    L->batch = done;
    int sig = interrupt_after_batch();
    if (done == L->batches)
        return 0;
    long batch_of_run = (long)L->epoch * L->batches + done;
    int due = k->s->checkpoint_every > 0 && batch_of_run % k->s->checkpoint_every == 0;
    if (k->s->checkpoint && (sig || due))
        save_checkpoint(k);
    if (sig)
        note_stop(k->log, CNN_INTERRUPTED, L->epoch + 1, done);
    return sig != 0;
}

/* An epoch is done: the loop at the next one's start, its checkpoint, and
 * Ctrl-C. Returns 1 to stop. */
static int end_of_epoch(const Book *k)
{
    CnnLoop *L = k->loop;
    L->epoch++;
    L->batch = 0;
    L->running_loss = 0;
    if (k->s->checkpoint)
        save_checkpoint(k);
    if (interrupt_signal())
        note_stop(k->log, CNN_INTERRUPTED, L->epoch, L->batches);
    return interrupt_signal() != 0;
}

/* A NaN or infinite loss at batch bi of epoch e: the run ends there, its
 * curve before it. */
static void note_divergence(CnnTrainLog *log, const CnnLoop *L, int e, int bi, double lr)
{
    note_stop(log, CNN_DIVERGED, e + 1, bi + 1);
    log->stop_lr = lr;
    log->partial_loss = L->in_chunk > 0 ? L->chunk / L->in_chunk : NAN;
}

/* ------------------------------------------------------------------------ */
void cnn_train_run(CnnNet *net, const Mnist *tr, const CnnTrainSettings *s, CnnTrainLog *log)
{
    if (s->epochs > CNN_MAX_EPOCHS)
        die("internal: at most %d epochs", CNN_MAX_EPOCHS);
    memset(log, 0, sizeof *log);
    CnnLoop run; /* the order, the generators, the running sums: see resume.h */
    loop_init(&run, s, tr);
    Trainer t;
    trainer_init(&t, net, s);
    Optimizer opt;
    optim_init(&opt, s->opt, s->lr, net->p.n); /* optim.Adam(model.parameters(), lr) */
    real *mask = s->dropout > 0 ? xmalloc(sizeof(real) * (size_t)s->batch * CNN_HIDDEN) : NULL;
    Mnist moved = {0}; /* the shifted copy of tr, redrawn every epoch */
    int batches = run.batches;
    log->curve = xmalloc(sizeof(float) * (size_t)(run.max_curve > 0 ? run.max_curve : 1));
    if (run.frames > 0) {
        log->conv1 = xmalloc(sizeof(float) * (size_t)(run.frames + 1) * CNN_C1 * 9);
        log->conv1_batch = xmalloc(sizeof(int) * (size_t)(run.frames + 1));
        snapshot_conv1(log, net, 0);
    }
    Book book = {s, net, &opt, &run, log, 0, 0};
    if (s->checkpoint && s->resume)
        resume_from_checkpoint(&book);
    book.start = now_seconds();
    /* notebook: training_loop */
    for (int e = run.epoch; e < s->epochs; e++) {
        opt.lr = s->lr * pow(s->lr_decay, e); /* a scheduler's step: lr · γ^epoch */
        const Mnist *data = tr;
        if (s->shift > 0) {
            run.shift_rng_epoch = run.shift_rng; /* (a resume redraws them from here) */
            cnn_random_shifts(tr, s->shift, &run.shift_rng, &moved);
            data = &moved;
        }
        if (run.batch == 0) /* (an epoch resumed in its middle keeps its order) */
            rng_shuffle(&run.rng, run.order, tr->n); /* DataLoader(shuffle=True) */
        Progress pr;
        char label[64];
        snprintf(label, sizeof label, "%s%sÉpoca %d/%d", s->label ? s->label : "",
                 s->label ? ", " : "", e + 1, s->epochs);
        progress_begin(&pr, label, batches, s->batch); /* one unit per training image */
        for (int bi = run.batch; bi < batches; bi++) {
            int first = bi * s->batch;
            int B = tr->n - first < s->batch ? tr->n - first : s->batch;
            if (mask)
                dropout_make_mask(mask, (size_t)B * CNN_HIDDEN, (real)s->dropout, &run.rng);
            double loss = train_batch(&t, net, data, run.order + first, B, mask, &opt);
            if (!isfinite(loss)) { /* diverged: this run ends here */
                note_divergence(log, &run, e, bi, opt.lr);
                break;
            }
            if (e == 0 && run.next_frame <= run.frames &&
                bi + 1 == (int)((long)run.next_frame * batches / run.frames)) {
                snapshot_conv1(log, net, bi + 1);
                run.next_frame++;
            }
            run.running_loss += loss;
            run.chunk += loss;
            if (++run.in_chunk == CNN_CURVE_EVERY || bi == batches - 1) {
                log->curve[log->ncurve++] = (float)(run.chunk / run.in_chunk);
                run.chunk = 0;
                run.in_chunk = 0;
            }
            progress_update(&pr, bi + 1, "pérdida %.4f", run.running_loss / (bi + 1));
            if (after_batch(&book, bi + 1)) /* the checkpoint every N batches; Ctrl-C */
                break;
        }
        progress_end(&pr);
        if (log->stop)
            break;
        /* the notes' running_loss / len(trainloader): the mean of the batch losses */
        log->epoch_loss[e] = run.running_loss / batches;
        log->epochs = e + 1;
        if (end_of_epoch(&book)) /* the epoch's checkpoint; Ctrl-C */
            break;
    }
    /* end notebook: training_loop */
    log->seconds = book.seconds_before + now_seconds() - book.start;
    free(run.order);
    free(mask);
    if (moved.pixels)
        mnist_free(&moved);
    optim_free(&opt);
    trainer_free(&t);
}

void cnn_train_log_free(CnnTrainLog *log)
{
    free(log->curve);
    free(log->conv1);
    free(log->conv1_batch);
    log->curve = NULL;
    log->conv1 = NULL;
    log->conv1_batch = NULL;
    log->ncurve = 0;
    log->nconv1 = 0;
}

/* ------------------------------------------------------------------------ */
/* The test accuracy                                                        */
/* ------------------------------------------------------------------------ */
double cnn_test_accuracy(const CnnNet *net, const Mnist *m, int plain, int threads,
                         unsigned char *pred, const char *label)
{
    enum { STEP = 1000 }; /* images per progress step */
    unsigned char *p = pred ? pred : xmalloc((size_t)m->n > 0 ? (size_t)m->n : 1);
    CnnActs acts;
    CnnFast fast;
    if (plain)
        cnn_acts_init(&acts, CNN_FAST_CHUNK);
    else
        cnn_fast_init(&fast, net, threads, CNN_FAST_CHUNK * threads, 0);
    Progress pr;
    long steps = (m->n + STEP - 1) / STEP;
    if (label)
        progress_begin(&pr, label, steps, STEP * CNN_EVAL_WORK);
    long right = 0;
    for (long k = 0; k < steps; k++) {
        int first = (int)k * STEP, n = m->n - first < STEP ? m->n - first : STEP;
        if (plain)
            cnn_predict(net, &acts, m, first, n, p + first);
        else
            cnn_fast_predict(&fast, net, m, first, n, p + first);
        for (int i = first; i < first + n; i++)
            right += p[i] == m->labels[i];
        if (label)
            progress_update(&pr, k + 1, NULL);
    }
    if (label)
        progress_end(&pr);
    if (plain)
        cnn_acts_free(&acts);
    else
        cnn_fast_free(&fast);
    if (!pred)
        free(p);
    return m->n > 0 ? (double)right / m->n : 0;
}
