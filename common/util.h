/* util.h — the few things every program in the series needs: a name to put
 * in front of error messages, checked allocation, and a way to stop with one
 * clear line.
 *
 * Every failure in the series goes through die() or usage_error(): one line on
 * stderr that names the problem, and a non-zero exit. Temporary output files
 * that are still open are removed on the way out (see out.c), so a failed run
 * never leaves a half-written CSV behind. */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>

#if defined(__GNUC__)
#define PRINTF_LIKE(a, b) __attribute__((format(printf, a, b)))
#define NORETURN __attribute__((noreturn))
#else
#define PRINTF_LIKE(a, b)
#define NORETURN
#endif

/* Set once from argv[0] (basename); used as the prefix of every message. */
void set_progname(const char *argv0);
const char *progname(void);

/* "prog: <message>" on stderr, then exit(1). */
NORETURN void die(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* "prog: <message> (try 'prog --help')" on stderr, then exit(2). For bad
 * flags and bad values: the user typed something we cannot use. */
NORETURN void usage_error(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* Allocation that never returns NULL: running out of memory is a clear
 * message, not a crash three functions later. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* mkdir -p. Dies with a clear line when the folder cannot be made. */
void make_dirs(const char *path);

/* Seconds on a monotonic clock, for timing training. */
double now_seconds(void);

#endif
