/* resume.c — the main run's checkpoint (see resume.h). */
#include "resume.h"
#include "checkpoint.h"
#include "util.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIND "ch4-cnn"
/* The network the weights belong to (the tensors' shapes are checked too). */
#define NETWORK "NetCNN conv1 32x3x3, conv2 64x3x3, fc1 1600x128, fc2 128x10"

uint64_t cnn_images_fingerprint(const Mnist *m)
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a, 64 bits */
    size_t n = (size_t)m->n, pixels = n * (size_t)m->rows * (size_t)m->cols;
    for (size_t i = 0; i < n; i++)
        h = (h ^ m->labels[i]) * 1099511628211ULL;
    for (size_t i = 0; i < pixels; i++)
        h = (h ^ m->pixels[i]) * 1099511628211ULL;
    return h;
}

/* ------------------------------------------------------------------------ */
/* The settings that define the run: written into a new checkpoint, or      */
/* checked against the one being resumed                                    */
/* ------------------------------------------------------------------------ */
static void run_settings(Checkpoint *c, const CnnTrainSettings *s,
                         int train_images, uint64_t fingerprint)
{
    char text[32];
    ckpt_setting(c, "network", NETWORK, "la red");
    ckpt_setting(c, "real", REAL_NAME, "números");
    snprintf(text, sizeof text, "%" PRIu64, s->seed);
    ckpt_setting(c, "seed", text, "--seed");
    ckpt_setting(c, "opt", s->opt, "--opt");
    ckpt_setting_double(c, "lr", s->lr, "--lr");
    ckpt_setting_double(c, "lr_decay", s->lr_decay, "--lr-decay");
    ckpt_setting_int(c, "batch", s->batch, "--batch");
    ckpt_setting_int(c, "epochs", s->epochs, "--epochs");
    ckpt_setting_double(c, "dropout", s->dropout, "--dropout");
    ckpt_setting_int(c, "augment_shift", s->shift, "--augment-shift");
    ckpt_setting_int(c, "train_images", train_images, "--train-limit");
    snprintf(text, sizeof text, "%016" PRIx64, fingerprint);
    if (!ckpt_resuming(c)) {
        ckpt_put_str(c, "train_fingerprint", text);
        ckpt_put_int(c, "conv1_frames", s->conv1_frames);
        ckpt_put_int(c, "threads", s->threads);
        ckpt_put_int(c, "plain", s->plain);
        return;
    }
    if (strcmp(ckpt_get_str(c, "train_fingerprint"), text) != 0)
        die("%s: el punto de control es de otras imágenes de entrenamiento (otro --data): "
            "quite --resume (empieza de cero) o use los mismos ajustes", c->path);
    long frames = ckpt_get_int(c, "conv1_frames", 0, 1L << 20);
    if (frames != s->conv1_frames)
        die("%s: el punto de control es de una corrida %s --bench, y esta va %s él: quite "
            "--resume (empieza de cero) o use los mismos ajustes", c->path,
            frames ? "sin" : "con", s->conv1_frames ? "sin" : "con");
    /* another thread count (or --plain) rounds the sums in another order:
     * the same training, but no longer the same bytes */
    long threads = ckpt_get_int(c, "threads", 0, 1 << 20);
    long plain = ckpt_get_int(c, "plain", 0, 1);
    if (threads != s->threads || plain != s->plain)
        fprintf(stderr, "%s: aviso: %s: el punto de control se hizo con %ld hilo%s%s y esta "
                "corrida usa %d%s; sigue, pero su resultado ya no será idéntico byte a byte "
                "al de una corrida sin interrumpir\n", progname(), c->path, threads,
                threads == 1 ? "" : "s", plain ? " (--plain)" : "", s->threads,
                s->plain ? " (--plain)" : "");
}

/* ------------------------------------------------------------------------ */
/* The tensors: the same calls to save and to resume                        */
/* ------------------------------------------------------------------------ */
/* The loop's and the log's arrays as a checkpoint holds them: the order as
 * int32, the log's floats as float64 (exact both ways). */
typedef struct {
    int32_t *order, *frame_batch;
    double *curve, *frames;
} Arrays;

static void arrays_init(Arrays *a, const CnnLoop *L, int n)
{
    a->order = xmalloc(sizeof(int32_t) * (size_t)n);
    a->curve = xcalloc((size_t)L->max_curve, sizeof(double));
    a->frame_batch = xcalloc((size_t)L->frames + 1, sizeof(int32_t));
    a->frames = xcalloc(((size_t)L->frames + 1) * CNN_C1 * 9, sizeof(double));
}

static void arrays_free(Arrays *a)
{
    free(a->order);
    free(a->curve);
    free(a->frame_batch);
    free(a->frames);
}

static void add_tensors(Checkpoint *c, const CnnNet *net, Optimizer *opt,
                        const CnnTrainSettings *s, const CnnLoop *L, CnnTrainLog *log,
                        Arrays *a, int n)
{
    StTensor w[CNN_TENSORS];
    cnn_model_tensors(net, w); /* conv1.weight (32, 1, 3, 3), ...: model.safetensors' */
    for (int i = 0; i < CNN_TENSORS; i++)
        ckpt_add_real(c, w[i].name, w[i].ndim, w[i].shape, w[i].data);
    ckpt_add_optimizer(c, opt); /* Adam's m and v, and its step count */
    ckpt_add_i32(c, "order", n, a->order);
    ckpt_add_f64(c, "epoch_loss", s->epochs, log->epoch_loss);
    ckpt_add_f64(c, "curve", L->max_curve, a->curve);
    if (L->frames > 0) {
        ckpt_add_f64(c, "conv1_frames", (L->frames + 1) * CNN_C1 * 9, a->frames);
        ckpt_add_i32(c, "conv1_frame_batch", L->frames + 1, a->frame_batch);
    }
}

/* ------------------------------------------------------------------------ */
void cnn_checkpoint_save(const CnnTrainSettings *s, const CnnNet *net, Optimizer *opt,
                         const CnnLoop *L, CnnTrainLog *log, double seconds)
{
    Checkpoint c;
    ckpt_begin(&c, KIND);
    run_settings(&c, s, L->images, L->fingerprint);
    /* where the loop is, and what it carries */
    ckpt_put_int(&c, "epochs_done", L->epoch);
    ckpt_put_int(&c, "batches_done", L->batch);
    ckpt_put_rng(&c, "rng", &L->rng);
    /* the shift stream as the next epoch to train starts it: at an epoch's
     * start as it is, in its middle as it was before this epoch's shifts */
    ckpt_put_rng(&c, "shift_rng", L->batch == 0 ? &L->shift_rng : &L->shift_rng_epoch);
    ckpt_put_double(&c, "running_loss", L->running_loss);
    ckpt_put_double(&c, "chunk", L->chunk);
    ckpt_put_int(&c, "in_chunk", L->in_chunk);
    ckpt_put_int(&c, "next_frame", L->next_frame);
    ckpt_put_int(&c, "curve_points", log->ncurve);
    ckpt_put_int(&c, "frames_taken", log->nconv1);
    ckpt_put_double(&c, "seconds", seconds);
    Arrays a;
    arrays_init(&a, L, L->images);
    for (int i = 0; i < L->images; i++)
        a.order[i] = L->order[i];
    for (int i = 0; i < log->ncurve; i++)
        a.curve[i] = log->curve[i];
    for (int k = 0; k < log->nconv1; k++) {
        a.frame_batch[k] = log->conv1_batch[k];
        for (int i = 0; i < CNN_C1 * 9; i++)
            a.frames[k * CNN_C1 * 9 + i] = log->conv1[k * CNN_C1 * 9 + i];
    }
    add_tensors(&c, net, opt, s, L, log, &a, L->images);
    ckpt_save(&c, s->checkpoint);
    arrays_free(&a);
}

/* A number of the checkpoint that must be finite (a sum of losses). */
static double finite_double(const Checkpoint *c, const char *key)
{
    double v = ckpt_get_double(c, key);
    if (!isfinite(v) || v < 0)
        die("%s: '%s' vale %g en el punto de control; debe ser un número finito, >= 0",
            c->path, key, v);
    return v;
}

int cnn_checkpoint_restore(const CnnTrainSettings *s, CnnNet *net, Optimizer *opt, CnnLoop *L,
                           CnnTrainLog *log, double *seconds)
{
    if (!ckpt_exists(s->checkpoint))
        return 0;
    Checkpoint c;
    ckpt_open(&c, s->checkpoint, KIND);
    run_settings(&c, s, L->images, L->fingerprint);
    /* where the loop was: an epoch's start (batches_done 0), or inside it */
    L->epoch = (int)ckpt_get_int(&c, "epochs_done", 0, s->epochs);
    L->batch = (int)ckpt_get_int(&c, "batches_done", 0,
                                 L->epoch == s->epochs ? 0 : L->batches - 1);
    ckpt_get_rng(&c, "rng", &L->rng);
    ckpt_get_rng(&c, "shift_rng", &L->shift_rng);
    L->running_loss = finite_double(&c, "running_loss");
    L->chunk = finite_double(&c, "chunk");
    L->in_chunk = (int)ckpt_get_int(&c, "in_chunk", 0, CNN_CURVE_EVERY - 1);
    L->next_frame = (int)ckpt_get_int(&c, "next_frame", 1, L->frames + 1);
    log->ncurve = (int)ckpt_get_int(&c, "curve_points", 0, L->max_curve);
    log->nconv1 = (int)ckpt_get_int(&c, "frames_taken", 0, L->frames > 0 ? L->frames + 1 : 0);
    *seconds = finite_double(&c, "seconds");
    Arrays a;
    arrays_init(&a, L, L->images);
    add_tensors(&c, net, opt, s, L, log, &a, L->images);
    ckpt_read(&c); /* every tensor: names, shapes, no NaN; then the file is done */
    ckpt_check_permutation(&c, "order", a.order, L->images);
    for (int i = 0; i < L->images; i++)
        L->order[i] = a.order[i];
    for (int i = 0; i < log->ncurve; i++)
        log->curve[i] = (float)a.curve[i];
    for (int k = 0; k < log->nconv1; k++) {
        log->conv1_batch[k] = a.frame_batch[k];
        for (int i = 0; i < CNN_C1 * 9; i++)
            log->conv1[k * CNN_C1 * 9 + i] = (float)a.frames[k * CNN_C1 * 9 + i];
    }
    log->epochs = L->epoch;
    arrays_free(&a);
    return 1;
}
