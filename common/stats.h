/* stats.h — the few statistics the series reports: a mean with its spread
 * over seeds, and the exact two-sided binomial test behind McNemar's test.
 *
 *     double m, sd;  mean_sd(acc, 5, &m, &sd);        // "98.9 ± 0.2 %"
 *     double p = mcnemar_exact_p(b, c);                // b, c: the discordant pairs
 */
#ifndef STATS_H
#define STATS_H

/* Mean and sample standard deviation (divided by n − 1; 0 when n == 1). */
void mean_sd(const double *x, int n, double *mean, double *sd);

/* P(X <= k) for X ~ Binomial(n, 1/2), exactly (summed in log space). */
double binomial_half_cdf(long k, long n);

/* McNemar's exact test: of the images exactly one model got right, b went to
 * the first model and c to the second. Under "both models are as good", each
 * such image is a fair coin, so b ~ Binomial(b + c, 1/2); the two-sided
 * p-value is 2·P(X <= min(b, c)), at most 1. b + c == 0 gives 1. */
double mcnemar_exact_p(long b, long c);

#endif
