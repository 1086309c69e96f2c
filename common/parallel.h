/* parallel.h — the one way the series uses several cores: OpenMP.
 *
 * What the fast paths of chapters 3 and 4 do with it, and nothing more:
 *
 *     optim_begin_step(&opt);
 *     #pragma omp parallel num_threads(T)
 *     {
 *     #pragma omp for schedule(static, 1)
 *         for (int k = 0; k < T; k++) {             one slice of the batch each
 *             par_range(B, T, k, 1, &lo, &hi);     rows [lo, hi)
 *             ... forward and backward of those rows, into grads[k] ...
 *         }                                        (every slice done here)
 *     #pragma omp for schedule(static, 1)
 *         for (int k = 0; k < T; k++) {             one range of parameters each
 *             par_range(nparams, T, k, 16, &lo, &hi);
 *             par_sum_into(grads[0], grads + 1, T - 1, lo, hi);
 *             optim_update(&opt, values, grads[0], lo, hi);
 *         }
 *     }
 *
 * A loop over the slices rather than one slice per thread number: should
 * OpenMP hand out fewer threads than asked, a thread takes two slices and
 * the numbers are still the same.
 *
 * Each thread's share is fixed by (size, T, k), and every sum runs in a
 * fixed order, so the same seed and the same thread count give the same
 * bytes, however the threads are scheduled. A different thread count cuts
 * the batch differently and so rounds differently (by ~1e-7 relative).
 *
 * OpenBLAS: the Makefile links its OpenMP build, which shares these
 * threads: called inside a parallel region a product runs on the calling
 * thread, outside one it uses them all. (With any other OpenBLAS build,
 * par_set_threads keeps OpenBLAS on one thread, so that two of our threads
 * never drive a second pool of its own.)
 *
 * Waiting. At the end of a parallel loop a thread that arrives first waits
 * for the others; GCC's OpenMP spins about 10 ms before it sleeps. When
 * another program also wants the cores, the thread it waits for may be off
 * its core meanwhile, and every meeting point of a batch then costs a time
 * slice: two chapter-3 runs at once on 2 cores took 37.5 s per epoch each,
 * against 0.6 s with GOMP_SPINCOUNT=3000 (~0.1 ms of spinning; alone, both
 * settings train at 0.17 s per epoch). libgomp reads that variable before
 * main() runs, so a program cannot set it for itself: the Makefile exports
 * it (and KMP_BLOCKTIME for clang's OpenMP) to everything it runs; run a
 * chapter program by hand on a busy machine with GOMP_SPINCOUNT=3000.
 *
 * Built without OpenMP, everything here still works, on one thread. */
#ifndef PARALLEL_H
#define PARALLEL_H

#include <stddef.h>
#include "real.h"

#ifdef _OPENMP
#include <omp.h>
#endif

/* The threads to use unless told otherwise: OMP_NUM_THREADS when it is set,
 * otherwise the machine's cores. */
int par_default_threads(void);

/* From now on, T threads for our parallel loops and OpenBLAS's products. */
void par_set_threads(int T);

/* The count par_set_threads() set (par_default_threads() before any call). */
int par_threads(void);

/* The calling thread's number inside a parallel region, 0 .. T-1 (0 outside). */
static inline int par_thread(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

/* Part k of `parts` of the range [0, n): [*lo, *hi), the parts as equal as
 * `align` allows (every boundary but the last a multiple of align, so two
 * threads never share a cache line of parameters), the first ones never the
 * smaller. Empty parts are possible when n is small. */
void par_range(size_t n, int parts, int k, size_t align, size_t *lo, size_t *hi);

/* dst[i] += src[0][i] + src[1][i] + ... for i in [lo, hi), the sources
 * added one after the other: the per-thread gradients of a batch summed in a
 * fixed order, whichever thread runs this range. */
void par_sum_into(real *dst, real *const *src, int nsrc, size_t lo, size_t hi);

/* "OpenMP, 2 hilos; OpenBLAS (versión OpenMP)" — for the programs' headers. */
const char *par_describe(void);

#endif
