/* interrupt.c — see interrupt.h. */
#define _POSIX_C_SOURCE 200809L
#include "interrupt.h"
#include "out.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t g_signal;   /* the first signal, 0 before it */
static long g_batches, g_interrupt_at;   /* for NN_INTERRUPT_AT_BATCH */
static int g_test_signal = SIGINT;

/* A second signal while the first is being handled: the user means now.
 * Only async-signal-safe calls: unlink (the temporary files), write, _exit. */
static void stop_now(int sig)
{
    out_remove_temps_now();
    static const char msg[] = ": parado al instante (segunda señal); ningún fichero a medias\n";
    const char *name = progname();
    if (write(STDERR_FILENO, name, strlen(name)) < 0 || write(STDERR_FILENO, msg, sizeof msg - 1) < 0)
        _exit(128 + sig);
    _exit(128 + sig);
}

static void on_signal(int sig)
{
    if (g_signal)
        stop_now(sig);
    g_signal = sig;
}

void interrupt_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;   /* a read or write under way is not cut short */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    const char *at = getenv("NN_INTERRUPT_AT_BATCH");
    g_interrupt_at = at ? atol(at) : 0;
    const char *which = getenv("NN_INTERRUPT_SIGNAL");
    g_test_signal = which && strcmp(which, "TERM") == 0 ? SIGTERM : SIGINT;
}

int interrupt_after_batch(void)
{
    g_batches++;
    if (g_interrupt_at > 0 && g_batches == g_interrupt_at)
        raise(g_test_signal);
    return g_signal;
}

int interrupt_signal(void) { return g_signal; }

const char *interrupt_signal_name(void)
{
    return g_signal == SIGTERM ? "SIGTERM" : "Ctrl-C";
}

void interrupt_exit(const char *fmt, ...)
{
    fflush(stdout);
    fprintf(stderr, "%s: ", progname());
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(128 + (g_signal ? g_signal : SIGINT));
}
