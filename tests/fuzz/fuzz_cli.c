/* fuzz_cli.c — common/cli.c's parsers on any text.
 *
 * Input: one byte that chooses the parser, one that chooses a list's `max`
 * (1..16), then the text (up to its first NUL, as a command line would hand
 * it over). The non-exiting cli_* forms are called — the same code the
 * chapters' parse_* wrappers run before they stop with usage_error(); cli.c
 * says why the split. Promises checked: an accepted value is what the parser
 * claims (> 0, in [0, 1), an integer in 1..10^9, a list of 1..max entries
 * each valid, words from the allowed set); a refusal has a message that
 * starts with the flag. */
#include "cli.h"
#include "fuzz.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLAG "--x"
#define MAX_LIST 16

static void check_refusal(const char *err)
{
    FUZZ_CHECK(strncmp(err, FLAG ": ", strlen(FLAG) + 2) == 0 && err[strlen(FLAG) + 2] != '\0',
               "the message does not name the flag: '%s'", err);
}

static int one(int parser, int max, const char *text)
{
    static const char *const allowed[] = {"sgd", "adam", "relu", NULL};
    char err[1024] = "";
    double d, list[MAX_LIST];
    int i, n = 0;
    uint64_t seed, seeds[MAX_LIST];
    const char *words[MAX_LIST];
    switch (parser) {
    case 0:
        n = cli_positive_double(FLAG, text, &d, err, sizeof err);
        FUZZ_CHECK(n < 0 || (isfinite(d) && d > 0), "%g from '%s'", d, text);
        break;
    case 1:
        n = cli_nonnegative_double(FLAG, text, &d, err, sizeof err);
        FUZZ_CHECK(n < 0 || (isfinite(d) && d >= 0), "%g from '%s'", d, text);
        break;
    case 2:
        n = cli_fraction(FLAG, text, &d, err, sizeof err);
        FUZZ_CHECK(n < 0 || (d >= 0 && d < 1), "%g from '%s'", d, text);
        break;
    case 3:
        n = cli_positive_int(FLAG, text, &i, err, sizeof err);
        FUZZ_CHECK(n < 0 || (i >= 1 && i <= 1000000000), "%d from '%s'", i, text);
        break;
    case 4:
        n = cli_seed(FLAG, text, &seed, err, sizeof err);
        FUZZ_CHECK(n < 0 || text[0] != '-', "a seed from '%s'", text);
        break;
    case 5:
        n = cli_positive_double_list(FLAG, text, list, max, err, sizeof err);
        FUZZ_CHECK(n < 0 || (n >= 1 && n <= max), "%d values (max %d)", n, max);
        for (int k = 0; k < n; k++)
            FUZZ_CHECK(isfinite(list[k]) && list[k] > 0, "value %d is %g", k, list[k]);
        break;
    case 6:
        n = cli_word_list(FLAG, text, allowed, words, max, err, sizeof err);
        FUZZ_CHECK(n < 0 || (n >= 1 && n <= max), "%d words (max %d)", n, max);
        for (int k = 0; k < n; k++)
            FUZZ_CHECK(words[k] == allowed[0] || words[k] == allowed[1] || words[k] == allowed[2],
                       "word %d is not one of the allowed", k);
        break;
    default:
        n = cli_seed_list(FLAG, text, seeds, max, err, sizeof err);
        FUZZ_CHECK(n < 0 || (n >= 1 && n <= max), "%d seeds (max %d)", n, max);
        break;
    }
    if (n < 0)
        check_refusal(err);
    return n >= 0;
}

int fuzz_cli_one(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    char *text = malloc(size - 1);   /* the text and its NUL */
    memcpy(text, data + 2, size - 2);
    text[size - 2] = '\0';
    int accepted = one(data[0] % 8, 1 + data[1] % MAX_LIST, text);
    free(text);
    return accepted;
}

#ifdef FUZZING
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_cli_one(data, size);
    return 0;
}
#endif
