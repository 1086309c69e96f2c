/* progress.h — a progress line for long training runs.
 *
 * On a terminal (isatty(stdout)): one bar per epoch redrawn in place with
 * "\r", at most ten times a second,
 *     Época 1/2 [##########..........]  469/938  loss 0.3120  41250 img/s  0.4 s left
 * and erased when the epoch ends, so the notes' own "Época N - Error: …"
 * line that follows stays the only trace. When stdout is a file or a pipe
 * (make's logs, the tests) it prints nothing but a plain line every
 * PROGRESS_PLAIN_SECONDS, so a slow run still shows it is alive while a fast
 * one leaves the log exactly as the notes print it. */
#ifndef PROGRESS_H
#define PROGRESS_H

#define PROGRESS_PLAIN_SECONDS 10.0

typedef struct {
    const char *label;      /* e.g. "Época" */
    int epoch, epochs;      /* 1-based epoch, out of how many */
    int total, batch_size;  /* batches in this epoch, images per batch */
    int tty;                /* stdout is a terminal */
    int drawn;              /* a bar is on the screen and must be erased */
    double start, last;     /* monotonic seconds: epoch start, last print */
} Progress;

void progress_begin(Progress *p, const char *label, int epoch, int epochs,
                    int total_batches, int batch_size);
/* After batch `done` (1-based) with the running mean loss so far. Cheap when
 * nothing is due: one clock read. */
void progress_update(Progress *p, int done, double mean_loss);
/* Erases the bar (terminal) so the caller's summary line takes its place. */
void progress_end(Progress *p);

#endif
