/* progress.c — the run's progress line (see progress.h). */
#include "progress.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define BAR_WIDTH 12

/* The run: one per program. plain_last is the last plain line's time, for
 * the whole run: a run of many short tasks (epochs of a second) must still
 * print a line every PROGRESS_PLAIN_SECONDS in a log. */
static double run_total, run_done, run_start = -1, plain_last = -1;

void progress_plan(double total_work)
{
    if (run_start < 0)
        run_start = now_seconds();
    if (total_work > 0)
        run_total += total_work;
}

void progress_begin(Progress *p, const char *label, long total_steps, double work_per_step)
{
    memset(p, 0, sizeof *p);
    snprintf(p->label, sizeof p->label, "%s", label);
    p->total = total_steps;
    p->work_per_step = work_per_step;
    p->tty = isatty(fileno(stderr));
    const char *env = getenv("NN_PROGRESS");
    p->quiet = env && strcmp(env, "0") == 0;
    p->start = p->last = now_seconds();
    if (run_start < 0)
        run_start = p->start;
    if (plain_last < 0)
        plain_last = p->start;
}

const char *progress_clock(double seconds, char *buf, int len)
{
    /* At most 999:59:59: a clock, not a count that can overflow the buffer. */
    int s = seconds > 0 ? (seconds < 3599999 ? (int)(seconds + 0.5) : 3599999) : 0;
    if (s >= 3600)
        snprintf(buf, (size_t)len, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, (size_t)len, "%d:%02d", s / 60, s % 60);
    return buf;
}

/* " | total 23 %, 0:41 transcurrido, quedan 2:15" for the run (or the task
 * when there is no plan). */
static void describe_time(const Progress *p, double now, char *out, size_t len)
{
    char elapsed[32], left[32];
    double done_work = run_done + (double)p->done * p->work_per_step;
    if (run_total > 0 && done_work > 0) {
        double fraction = done_work / run_total;
        if (fraction > 1)
            fraction = 1;
        double spent = now - run_start;
        snprintf(out, len, " | total %3.0f %%, %s transcurrido, quedan %s", 100 * fraction,
                 progress_clock(spent, elapsed, sizeof elapsed),
                 progress_clock(spent * (1 - fraction) / fraction, left, sizeof left));
    } else {
        double spent = now - p->start;
        double rest = p->done > 0 ? spent * (double)(p->total - p->done) / (double)p->done : 0;
        snprintf(out, len, ", %s transcurrido, quedan %s",
                 progress_clock(spent, elapsed, sizeof elapsed),
                 progress_clock(rest, left, sizeof left));
    }
}

void progress_update(Progress *p, long done, const char *detail, ...)
{
    p->done = done;
    if (p->quiet)
        return;
    double now = now_seconds();
    double since = now - (p->tty ? p->last : plain_last);
    if (p->tty ? since < 0.1 && done < p->total : since < PROGRESS_PLAIN_SECONDS)
        return;
    p->last = plain_last = now;

    char what[96] = "";
    if (detail) {
        va_list ap;
        va_start(ap, detail);
        what[0] = ' ';
        what[1] = ' ';
        vsnprintf(what + 2, sizeof what - 2, detail, ap);
        va_end(ap);
    }
    char when[128];
    describe_time(p, now, when, sizeof when);
    if (p->tty) {
        char bar[BAR_WIDTH + 1];
        int fill = p->total ? (int)((long)BAR_WIDTH * done / p->total) : BAR_WIDTH;
        for (int i = 0; i < BAR_WIDTH; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[BAR_WIDTH] = 0;
        fprintf(stderr, "\r%s [%s] %ld/%ld%s%s\033[K", p->label, bar, done, p->total, what,
                when);
        p->drawn = 1;
    } else {
        fprintf(stderr, "  ... %s: %ld/%ld%s%s\n", p->label, done, p->total,
                what[0] ? what + 1 : "", when);
    }
    fflush(stderr);
}

void progress_end(Progress *p)
{
    if (p->tty && p->drawn) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
    }
    p->drawn = 0;
    run_done += (double)p->total * p->work_per_step;
}
