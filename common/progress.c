/* progress.c — the per-epoch progress bar (see progress.h). */
#include "progress.h"

#include <stdio.h>
#include <unistd.h>

#include "util.h"

#define BAR_WIDTH 20

void progress_begin(Progress *p, const char *label, int epoch, int epochs,
                    int total_batches, int batch_size)
{
    p->label = label;
    p->epoch = epoch;
    p->epochs = epochs;
    p->total = total_batches;
    p->batch_size = batch_size;
    p->tty = isatty(fileno(stdout));
    p->drawn = 0;
    p->start = p->last = now_seconds();
}

void progress_update(Progress *p, int done, double mean_loss)
{
    double now = now_seconds();
    double since = now - p->last;
    if (p->tty ? since < 0.1 && done < p->total : since < PROGRESS_PLAIN_SECONDS)
        return;
    p->last = now;
    double elapsed = now - p->start;
    double per_s = elapsed > 0 ? (double)done * p->batch_size / elapsed : 0;
    double left = done > 0 ? elapsed * (p->total - done) / done : 0;
    if (p->tty) {
        char bar[BAR_WIDTH + 1];
        int fill = p->total ? (int)((long)BAR_WIDTH * done / p->total) : BAR_WIDTH;
        for (int i = 0; i < BAR_WIDTH; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[BAR_WIDTH] = 0;
        printf("\r%s %d/%d [%s] %5d/%d  loss %.4f  %6.0f img/s  %5.1f s left \033[K",
               p->label, p->epoch, p->epochs, bar, done, p->total, mean_loss, per_s, left);
        p->drawn = 1;
    } else {
        printf("  ... %s %d/%d: %d/%d batches, loss %.4f, %.0f img/s, %.0f s left\n",
               p->label, p->epoch, p->epochs, done, p->total, mean_loss, per_s, left);
    }
    fflush(stdout);
}

void progress_end(Progress *p)
{
    if (p->tty && p->drawn) {
        printf("\r\033[K");
        fflush(stdout);
    }
    p->drawn = 0;
}
