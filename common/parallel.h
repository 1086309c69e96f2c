/* parallel.h — the one way the series uses several cores: OpenMP.
 *
 * What the fast paths of chapters 3 and 4 do with it, and nothing more:
 *
 *     #pragma omp parallel num_threads(T)          one slice of the batch per thread
 *     {
 *         int k = par_thread();
 *         size_t lo, hi;
 *         par_range(B, T, k, 1, &lo, &hi);         rows [lo, hi) of the batch
 *         ... the readable forward and backward on those rows, into grads[k] ...
 *     #pragma omp barrier
 *         par_range(nparams, T, k, 16, &lo, &hi);  parameters [lo, hi)
 *         ... grads[0][i] + grads[1][i] + ... in that order, then the optimiser ...
 *     }
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
 * Built without OpenMP, everything here still works, on one thread. */
#ifndef PARALLEL_H
#define PARALLEL_H

#include <stddef.h>

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

/* "OpenMP, 2 threads; OpenBLAS (OpenMP build)" — for the programs' headers. */
const char *par_describe(void);

#endif
