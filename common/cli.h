/* cli.h — checked parsing of command-line values. Each parser names the flag
 * in its message, so `--lr abc` says "--lr: 'abc' no es un número".
 *
 * Two forms of each parser. The parse_* functions, which the chapters call,
 * stop through usage_error() (exit 2) on bad input. The cli_* functions do
 * the same work and never stop: 0 (a list: its count) and the value in *out,
 * or -1 with the one-line message in err — for callers that must go on, such
 * as the fuzzer (tests/fuzz/fuzz_cli.c). */
#ifndef CLI_H
#define CLI_H

#include <stddef.h>
#include <stdint.h>

double parse_positive_double(const char *flag, const char *text);   /* > 0 */
double parse_nonnegative_double(const char *flag, const char *text); /* >= 0 */
double parse_fraction(const char *flag, const char *text);          /* 0 <= x < 1 */
int parse_positive_int(const char *flag, const char *text);         /* >= 1 */
uint64_t parse_seed(const char *flag, const char *text);            /* any u64 */

/* A comma-separated list of positive numbers ("0.1,0.5,10"). Returns how many
 * it read; more than `max` is an error. */
int parse_positive_double_list(const char *flag, const char *text, double *out, int max);

/* A comma-separated list of words from `allowed` (NULL-terminated), e.g.
 * "sgd,adam". Returns the count; each out[i] points into `allowed`. */
int parse_word_list(const char *flag, const char *text, const char *const *allowed,
                    const char **out, int max);

/* A list of seeds: "1,2,3", a range "1-100", or both ("1-5,42"). Returns how
 * many it read (at most `max`); a range that runs backwards is an error. The
 * same text means the same seeds in every chapter (make's SEEDS=). */
int parse_seed_list(const char *flag, const char *text, uint64_t *out, int max);

/* For getopt_long's '?' and ':' cases: the unknown flag, as a clear line. */
void cli_unknown_option(const char *arg);

/* The same parsers, without stopping (see above). */
int cli_positive_double(const char *flag, const char *text, double *out, char *err, size_t errlen);
int cli_nonnegative_double(const char *flag, const char *text, double *out, char *err,
                           size_t errlen);
int cli_fraction(const char *flag, const char *text, double *out, char *err, size_t errlen);
int cli_positive_int(const char *flag, const char *text, int *out, char *err, size_t errlen);
int cli_seed(const char *flag, const char *text, uint64_t *out, char *err, size_t errlen);
int cli_positive_double_list(const char *flag, const char *text, double *out, int max,
                             char *err, size_t errlen);
int cli_word_list(const char *flag, const char *text, const char *const *allowed,
                  const char **out, int max, char *err, size_t errlen);
int cli_seed_list(const char *flag, const char *text, uint64_t *out, int max, char *err,
                  size_t errlen);

#endif
