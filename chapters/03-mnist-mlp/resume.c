/* resume.c — what happens between the batches of chapter 3's training
 * loops, so that mlp.c's loop stays the notes' loop plus one call:
 *
 *   Ctrl-C, SIGTERM  every loop (the main run, the studies, --seeds) calls
 *                    ch3_after_batch() after each batch. A signal lets the
 *                    batch finish; then the main run saves its checkpoint
 *                    there, a comparison writes the curves it has, and one
 *                    line says what stopped and how to resume (exit 130, 143
 *                    for SIGTERM; common/interrupt.h). A study writes nothing
 *                    half. A summary.json of an earlier run is removed: it
 *                    would claim that this one finished.
 *   checkpoints      the main run of §3.3–3.4 (the one saved as
 *                    model.safetensors) keeps <out>/checkpoint.safetensors
 *                    (common/checkpoint.h): written at the end of every epoch
 *                    and, with --checkpoint-every N, after every N batches of
 *                    the run.
 *   --resume         puts back everything the checkpoint holds, so that the
 *                    run goes on from the next batch and ends with the very
 *                    bytes of a run never stopped (loss_lotes.csv,
 *                    model.safetensors, summary.json but for its timings).
 *
 * A checkpoint holds the weights (model.safetensors' names: fc1.weight ...),
 * Adam's m and v and step count, the generator that shuffles the images and
 * draws the dropout masks, the epoch and the batch it stopped after, the
 * shuffled order of that epoch, every batch loss and epoch loss so far, the
 * epoch's running_loss, and the settings that make the run what it is: a
 * resume with another seed, network, optimiser, rate, batch, number of
 * epochs, training images, data folder, --plain or thread count is refused
 * with one line. The thread count too because it decides how each batch's
 * sums are grouped, so another count gives other bytes. */
#define _POSIX_C_SOURCE 200809L
#include "mlp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkpoint.h"
#include "interrupt.h"
#include "out.h"
#include "progress.h"
#include "util.h"

#define CH3_CHECKPOINT_KIND "ch3-mlp"

/* The order of the images is saved as int32 (ckpt_add_i32) straight from
 * the int array the loop reads. */
_Static_assert(sizeof(int) == sizeof(int32_t), "int is not 32 bits");

static struct {
    const char *out;            /* --out */
    char path[4096];            /* <out>/checkpoint.safetensors */
    char how_to_resume[2048];   /* "make chapter3 RESUME=1", or this command with --resume */
    int keeps_checkpoint;       /* 0 under --seeds: no run there is the main run */
} g;

/* --- how to resume, for the Ctrl-C line -------------------------------------------------- */

/* An argument as the shell reads it back: quoted when it holds anything but
 * the characters of a plain word. */
static void append_word(char *buf, size_t len, const char *word)
{
    size_t used = strlen(buf);
    int plain = *word != 0 && strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "0123456789_./,=:+-") == strlen(word);
    snprintf(buf + used, len - used, plain ? "%s%s" : "%s'%s'", used ? " " : "", word);
}

void ch3_resume_setup(const Ch3Config *c, int argc, char **argv)
{
    g.out = c->out;
    snprintf(g.path, sizeof g.path, "%s", out_path(c->out, "checkpoint.safetensors"));
    g.keeps_checkpoint = c->nseeds == 0;
    if (getenv("MAKELEVEL")) {   /* run by make */
        snprintf(g.how_to_resume, sizeof g.how_to_resume,
                 "make chapter3 RESUME=1 (con las mismas variables)");
        return;
    }
    g.how_to_resume[0] = 0;
    int has_resume = 0;
    for (int i = 0; i < argc; i++) {
        has_resume |= strcmp(argv[i], "--resume") == 0;
        append_word(g.how_to_resume, sizeof g.how_to_resume, argv[i]);
    }
    if (!has_resume)
        append_word(g.how_to_resume, sizeof g.how_to_resume, "--resume");
}

/* --- the checkpoint: the same calls save it and read it back ----------------------------- */

/* "784-128-64-10" (ASCII: the metadata is compared as text). */
static const char *shape_of(const Ch3Net *n, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = 0;
    for (int l = 0; l <= n->nlayers && used < len; l++)
        used += (size_t)snprintf(buf + used, len - used, "%s%d", l ? "-" : "", n->sizes[l]);
    return buf;
}

/* The settings that make the run what it is: saved into a new checkpoint,
 * and on a resume checked against it, each one that differs one line naming
 * the flag (checkpoint.h). The optimiser's rule is ckpt_add_optimizer's. */
static void settings(Checkpoint *ck, const Ch3Config *c, const Ch3Run *run)
{
    char text[128];
    snprintf(text, sizeof text, "%llu", (unsigned long long)c->seed);
    ckpt_setting(ck, "settings.seed", text, "--seed");
    ckpt_setting(ck, "settings.shape", shape_of(run->net, text, sizeof text), "--hidden");
    ckpt_setting(ck, "settings.act", c->act->name, "--act");
    ckpt_setting_double(ck, "settings.dropout", c->dropout, "--dropout");
    ckpt_setting_double(ck, "settings.l2", c->l2, "--l2");
    ckpt_setting_int(ck, "settings.batch", run->batch, "--batch");
    ckpt_setting_int(ck, "settings.epochs", c->epochs, "--epochs");
    ckpt_setting_int(ck, "settings.train_images", run->count, "--train-limit");
    ckpt_setting(ck, "settings.data", c->data, "--data");
    if (!ckpt_resuming(ck)) {
        ckpt_put_int(ck, "settings.plain", c->plain);
    } else {
        ckpt_expect_double(ck, "optimizer.lr", run->opt->lr, "--lr");
        if (ckpt_get_int(ck, "settings.plain", 0, 1) != c->plain)
            die("%s: el punto de control es de una corrida %s --plain, y esta %s: quite "
                "--resume (empieza de cero) o use los mismos ajustes", g.path,
                c->plain ? "sin" : "con", c->plain ? "lo pide" : "no");
    }
    ckpt_setting_int(ck, "settings.threads", c->threads, "--threads");
}

/* The tensors, in the same calls for saving and for reading back: the
 * weights under model.safetensors' names, the optimiser's state, the order
 * of the images, and the losses so far (`batch_losses`: epochs × batches,
 * in double; those not reached yet are 0, a checkpoint holds no NaN). */
static void add_tensors(Checkpoint *ck, Ch3Run *run, int epochs, double *batch_losses)
{
    Ch3Net *n = run->net;
    for (int l = 0; l < n->nlayers; l++) {
        char name[32];
        snprintf(name, sizeof name, "fc%d.weight", l + 1);
        ckpt_add_real(ck, name, 2, (int[]){n->sizes[l + 1], n->sizes[l]}, n->W[l]);
        snprintf(name, sizeof name, "fc%d.bias", l + 1);
        ckpt_add_real(ck, name, 1, (int[]){n->sizes[l + 1]}, n->b[l]);
    }
    ckpt_add_optimizer(ck, run->opt);
    ckpt_add_i32(ck, "order", run->count, (int32_t *)run->order);
    ckpt_add_f64(ck, "batch_loss", epochs * run->per_epoch, batch_losses);
    ckpt_add_f64(ck, "epoch_loss", epochs, run->t->epoch_loss);
}

int ch3_losses_so_far(const Ch3Epoch *at)
{
    const Ch3Training *t = at->run->t;
    return t->nbatch_loss + (t->epochs < at->epoch ? at->batch : 0);
}

static void save_checkpoint(Ch3Run *run, const Ch3Epoch *at)
{
    const Ch3Training *t = run->t;
    int total = at->epochs * run->per_epoch, done = ch3_losses_so_far(at);
    double *batch_losses = xcalloc((size_t)total + 1, sizeof(double));
    for (int i = 0; i < done; i++)
        batch_losses[i] = t->batch_loss[i];
    Checkpoint ck;
    ckpt_begin(&ck, CH3_CHECKPOINT_KIND);
    settings(&ck, run->checkpoint, run);
    ckpt_put_int(&ck, "epoch", at->epoch);           /* stopped after this epoch's ... */
    ckpt_put_int(&ck, "batch", at->batch);           /* ... batch, 1-based */
    ckpt_put_int(&ck, "epochs_done", t->epochs);     /* = epoch when that epoch was finished */
    ckpt_put_double(&ck, "running_loss", at->running_loss);
    ckpt_put_double(&ck, "train_seconds", t->train_seconds);
    ckpt_put_rng(&ck, "rng", run->rng);
    add_tensors(&ck, run, at->epochs, batch_losses);
    ckpt_save(&ck, g.path);
    free(batch_losses);
}

/* Where a checkpoint stopped: after batch `batch` of epoch `epoch`;
 * epochs_done = epoch when that batch was the epoch's last and the epoch
 * was closed (its loss recorded), else epoch - 1. */
typedef struct {
    int epoch, batch, epochs_done;
    double running_loss;
} Position;

/* Reads the checkpoint into run's arrays (weights, optimiser, generator,
 * order, losses). Dies with one line naming the file when it is damaged or
 * not this run's. */
static Position read_checkpoint(Ch3Run *run, int epochs)
{
    Checkpoint ck;
    ckpt_open(&ck, g.path, CH3_CHECKPOINT_KIND);
    settings(&ck, run->checkpoint, run);
    Position p;
    p.epoch = (int)ckpt_get_int(&ck, "epoch", 1, epochs);
    p.batch = (int)ckpt_get_int(&ck, "batch", 1, run->per_epoch);
    p.epochs_done = (int)ckpt_get_int(&ck, "epochs_done", 0, epochs);
    int closed = p.epochs_done == p.epoch && p.batch == run->per_epoch;
    if (!closed && p.epochs_done != p.epoch - 1)
        die("%s: la posición no encaja (época %d, lote %d, %d épocas terminadas): punto de "
            "control dañado", g.path, p.epoch, p.batch, p.epochs_done);
    p.running_loss = ckpt_get_double(&ck, "running_loss");
    double seconds = ckpt_get_double(&ck, "train_seconds");
    if (!isfinite(p.running_loss) || !(seconds >= 0))
        die("%s: 'running_loss' o 'train_seconds' no es un número válido: punto de control "
            "dañado", g.path);
    ckpt_get_rng(&ck, "rng", run->rng);
    int total = epochs * run->per_epoch;
    double *batch_losses = xcalloc((size_t)total + 1, sizeof(double));
    add_tensors(&ck, run, epochs, batch_losses);
    ckpt_read(&ck);
    ckpt_check_permutation(&ck, "order", run->order, run->count);

    Ch3Training *t = run->t;
    t->epochs = p.epochs_done;
    t->nbatch_loss = p.epochs_done * run->per_epoch;
    t->train_seconds = seconds;
    Ch3Epoch at = {.epoch = p.epoch, .batch = p.batch, .run = run};
    int done = ch3_losses_so_far(&at);
    for (int i = 0; i < total; i++)
        t->batch_loss[i] = i < done ? (float)batch_losses[i] : NAN;
    free(batch_losses);
    return p;
}

void ch3_check_checkpoint(const Ch3Config *c, const Mnist *train)
{
    if (!c->resume)
        return;
    if (!ckpt_exists(g.path)) {
        fprintf(stderr, "%s: --resume: no hay punto de control en %s; se empieza de cero\n",
                progname(), g.path);
        return;
    }
    /* A dry run of ch3_resume_run on a network of the main run's shape,
     * thrown away: the real one happens when the main run trains. */
    Ch3Net net;
    Rng rng;
    rng_seed(&rng, c->seed + 3);
    ch3_net_init(&net, c->nlayers, c->sizes, c->act, CH3_SOFTMAX_CE, CH3_INIT_GLOROT, c->batch,
                 &rng);
    Optimizer opt;
    optim_init(&opt, c->opt[c->main_opt], c->lr[c->main_lr], net.p.n);
    Ch3Training t;
    memset(&t, 0, sizeof t);
    int per_epoch = (train->n + c->batch - 1) / c->batch;
    t.batch_loss = xmalloc((size_t)c->epochs * per_epoch * sizeof(float) + 1);
    int *order = xmalloc((size_t)(train->n > 0 ? train->n : 1) * sizeof(int));
    Ch3Run run = {.checkpoint = c, .net = &net, .opt = &opt, .rng = &rng, .order = order,
                  .count = train->n, .batch = c->batch, .per_epoch = per_epoch, .t = &t};
    read_checkpoint(&run, c->epochs);
    free(order);
    free(t.batch_loss);
    optim_free(&opt);
    ch3_net_free(&net);
}

void ch3_resume_run(Ch3Run *run, Ch3Epoch *at)
{
    if (!run->checkpoint || !run->checkpoint->resume || !ckpt_exists(g.path))
        return;
    Position p = read_checkpoint(run, at->epochs);
    /* the epochs it had finished count as done in the run's progress */
    Progress skipped;
    progress_begin(&skipped, "reanudado", 1,
                   p.epochs_done * ch3_epoch_work(run->net->nlayers, run->net->sizes, run->count,
                                                  run->batch));
    progress_end(&skipped);
    at->epoch = p.epoch;
    at->batch = p.batch;
    at->running_loss = p.running_loss;
    if (p.epochs_done == at->epochs) {
        fprintf(stderr, "%s: %s: las %d épocas ya estaban terminadas; se sigue con lo demás\n",
                progname(), g.path, at->epochs);
        /* written again, the same bytes: this run wrote it too, as the one
         * that never stopped did (summary.json's list of files) */
        save_checkpoint(run, at);
    } else {
        fprintf(stderr, "%s: se reanuda desde %s: tras el lote %d de %d de la época %d\n",
                progname(), g.path, p.batch, run->per_epoch, p.epoch);
    }
    if (p.epochs_done == p.epoch) {   /* that epoch was over: the next one starts afresh */
        at->epoch++;
        at->batch = 0;
        at->running_loss = 0;
    }
}

/* --- between batches ------------------------------------------------------------------------ */

/* The one line, after which the program exits with 128 + the signal. */
NORETURN static void stop_now(const char *where)
{
    if (g.out)   /* an earlier run's summary would say that this one finished */
        unlink(out_path(g.out, "summary.json"));
    if (!g.keeps_checkpoint)
        interrupt_exit("interrumpido (%s) en %s; --seeds no guarda puntos de control: repita la "
                       "orden para empezar de nuevo", interrupt_signal_name(), where);
    if (ckpt_exists(g.path))
        interrupt_exit("interrumpido (%s) en %s; punto de control: %s; para seguir: %s",
                       interrupt_signal_name(), where, g.path, g.how_to_resume);
    interrupt_exit("interrumpido (%s) en %s; aún no hay punto de control (la red principal no "
                   "había empezado): repita la orden para empezar de nuevo",
                   interrupt_signal_name(), where);
}

NORETURN static void stop_run(const Ch3Epoch *at)
{
    Ch3Run *run = at->run;
    if (isatty(STDERR_FILENO))
        fputc('\n', stderr);   /* below the progress line */
    if (run && run->checkpoint)
        save_checkpoint(run, at);
    if (run && run->write_so_far)
        run->write_so_far(at, run->ctx);
    char where[512];
    snprintf(where, sizeof where, "%s, época %d de %d, lote %d",
             run && run->what ? run->what : "el entrenamiento", at->epoch, at->epochs, at->batch);
    stop_now(where);
}

/* --checkpoint-every N: after every N batches of the run, counted from its
 * first (so a resumed run saves where the run never stopped would). The
 * last batch of an epoch is left to the epoch's own checkpoint. */
static int checkpoint_due(const Ch3Run *run, const Ch3Epoch *at)
{
    int every = run->checkpoint->checkpoint_every;
    if (every <= 0 || at->batch == run->per_epoch)
        return 0;
    long batches = (long)(at->epoch - 1) * run->per_epoch + at->batch;
    return batches % every == 0;
}

void ch3_after_batch(Ch3Epoch *at, int batch, double running_loss)
{
    at->batch = batch;
    at->running_loss = running_loss;
    if (interrupt_after_batch())
        stop_run(at);
    if (at->run && at->run->checkpoint && checkpoint_due(at->run, at))
        save_checkpoint(at->run, at);
}

void ch3_end_of_epoch(Ch3Epoch *at)
{
    if (at->run && at->run->checkpoint)
        save_checkpoint(at->run, at);
}

void ch3_stop_if_interrupted(const char *what)
{
    if (interrupt_signal())
        stop_now(what);
}
