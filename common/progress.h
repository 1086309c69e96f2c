/* progress.h — how far a long run has got, on standard error, in Spanish.
 *
 * A run is a plan of work in units the program chooses (chapter 4: images
 * through one training step), announced once; every long part of the run is
 * a task of so many steps, each worth so much of the plan. The line shows the
 * task and, above all, the whole run — percent, time elapsed and time left:
 *
 *     progress_plan(5 * 60000.0);                          // the whole run
 *     Progress p;
 *     progress_begin(&p, "Época 1/5", 938, 64);            // 938 steps of 64 units
 *     for each batch k: ...; progress_update(&p, k + 1, "pérdida %.4f", loss);
 *     progress_end(&p);
 *
 * On a terminal (isatty(stderr)) one line is redrawn in place with "\r", at
 * most ten times a second, and erased by progress_end(), so that the
 * program's own lines on standard output stay the only trace:
 *
 *     Época 1/5 [#####.......]  469/938  pérdida 0.3120 | total  10 %  0:05, quedan 0:45
 *
 * Anywhere else (make's logs, `make chapter3 | tee log` keeps stderr on the
 * terminal) a plain line every PROGRESS_PLAIN_SECONDS, so that a slow run
 * shows it is alive while a fast one leaves no trace at all:
 *
 *     ... Época 1/5: 469/938, pérdida 0.3120 | total 10 %, 0:05 transcurrido, quedan 0:45
 *
 * Time left for the run is its elapsed time × work left / work done: honest
 * when the units are proportional to time, which is why the program chooses
 * them. Without a plan (progress_plan never called, or 0) the line shows the
 * task alone. NN_PROGRESS=0 in the environment silences it. */
#ifndef PROGRESS_H
#define PROGRESS_H

#define PROGRESS_PLAIN_SECONDS 10.0

typedef struct {
    char label[64];          /* "Época 1/5", "estudio de semillas", ... */
    long total;              /* steps in this task */
    double work_per_step;    /* units of the plan one step is worth */
    long done;               /* steps finished so far */
    int tty, drawn, quiet;
    double start, last;      /* monotonic seconds: task start, last print */
} Progress;

/* The whole run's work (adds to a plan already made: a program may announce
 * its parts one by one). The run's clock starts at the first call. */
void progress_plan(double total_work);

void progress_begin(Progress *p, const char *label, long total_steps, double work_per_step);
/* After step `done` (1-based). `detail` (printf format, may be NULL) follows
 * the counts, e.g. "pérdida %.4f". Cheap when nothing is due: a clock read. */
void progress_update(Progress *p, long done, const char *detail, ...)
    __attribute__((format(printf, 3, 4)));
/* Erases the line (terminal) and counts the task's work as done — all of
 * it, even when the task stopped early (say, early stopping), so that the
 * run's percent never runs backwards nor stops short of 100. */
void progress_end(Progress *p);

/* "1:05" or "1:02:05" (seconds rounded, at most 999:59:59); 32 bytes is enough. */
const char *progress_clock(double seconds, char *buf, int len);

#endif
