/* rng.h — a seeded random generator, the same on every machine.
 *
 * xoshiro256** (Blackman & Vigna), seeded through splitmix64. We do not use
 * rand(): its sequence differs between C libraries, and "the same seed gives
 * the same CSV" must hold everywhere. Normal draws use the Box–Muller
 * transform (notes §1.2 start the weights from N(0,1)). */
#ifndef RNG_H
#define RNG_H

#include <stdint.h>

typedef struct {
    uint64_t s[4];
    int has_spare;  /* Box–Muller makes normals in pairs */
    double spare;
} Rng;

void rng_seed(Rng *r, uint64_t seed);
uint64_t rng_next(Rng *r);
double rng_uniform(Rng *r);                      /* [0, 1) */
double rng_uniform_range(Rng *r, double lo, double hi);
double rng_normal(Rng *r);                       /* N(0, 1) */
uint32_t rng_below(Rng *r, uint32_t n);          /* 0 .. n-1, unbiased */
void rng_shuffle(Rng *r, int *idx, int n);       /* Fisher–Yates */

#endif
