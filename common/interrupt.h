/* interrupt.h — Ctrl-C and SIGTERM during a training run.
 *
 * A student who presses Ctrl-C should lose nothing already computed. The
 * first SIGINT or SIGTERM only raises a flag: the training loop finishes the
 * batch it is on, writes its checkpoint and the CSVs so far, says in one
 * line how to resume, and exits with 128 + the signal (130 for Ctrl-C, 143
 * for SIGTERM), as a shell does. A second signal stops at once: the
 * temporary files not yet renamed are removed (out.h), so even then no
 * half-written file is left, and the last checkpoint is whole.
 *
 *     interrupt_install();
 *     for every batch:
 *         ... one step ...
 *         if (interrupt_after_batch())
 *             ... write what there is, then interrupt_exit("...") ...
 *
 * For the tests, NN_INTERRUPT_AT_BATCH=K in the environment sends the
 * program a SIGINT of its own (NN_INTERRUPT_SIGNAL=TERM: a SIGTERM) after
 * its K-th batch, counted over the whole run: an interruption at a chosen
 * batch, through the same handler a real Ctrl-C goes through. */
#ifndef INTERRUPT_H
#define INTERRUPT_H

#include "util.h"

/* Installs the handlers for SIGINT and SIGTERM (and reads NN_INTERRUPT_AT_BATCH). */
void interrupt_install(void);

/* Called by a training loop after each batch: counts it, and returns the
 * signal that asks the run to stop (SIGINT or SIGTERM), or 0 to go on. */
int interrupt_after_batch(void);

/* The signal received so far (0: none). */
int interrupt_signal(void);
/* "Ctrl-C" or "SIGTERM", for the program's line. */
const char *interrupt_signal_name(void);

/* One line on stderr ("prog: <message>"), then exit with 128 + the signal. */
NORETURN void interrupt_exit(const char *fmt, ...) PRINTF_LIKE(1, 2);

#endif
