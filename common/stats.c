/* stats.c — see stats.h. */
#include "stats.h"

#include <math.h>

void mean_sd(const double *x, int n, double *mean, double *sd)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += x[i];
    double m = n > 0 ? sum / n : 0;
    double squares = 0;
    for (int i = 0; i < n; i++)
        squares += (x[i] - m) * (x[i] - m);
    *mean = m;
    *sd = n > 1 ? sqrt(squares / (n - 1)) : 0;
}

/* log C(n, i) − n·log 2: the log of one term P(X = i). */
static double log_term(long i, long n)
{
    return lgamma((double)n + 1) - lgamma((double)i + 1) - lgamma((double)(n - i) + 1) -
           (double)n * log(2.0);
}

double binomial_half_cdf(long k, long n)
{
    if (k < 0)
        return 0;
    if (k >= n)
        return 1;
    /* Largest term first, so that the sum of exp() never underflows to 0
     * while a term that matters is still to come. */
    double top = log_term(k, n), sum = 0;
    for (long i = 0; i <= k; i++)
        sum += exp(log_term(i, n) - top);
    double p = exp(top + log(sum));
    return p < 1 ? p : 1;
}

double mcnemar_exact_p(long b, long c)
{
    long n = b + c;
    if (n == 0)
        return 1;
    double p = 2 * binomial_half_cdf(b < c ? b : c, n);
    return p < 1 ? p : 1;
}
