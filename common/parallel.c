/* parallel.c — see parallel.h. */
#include "parallel.h"

#include <cblas.h>
#include <stdio.h>

#include "util.h"

static int g_threads; /* 0: not set yet */

int par_default_threads(void)
{
#ifdef _OPENMP
    return omp_get_max_threads(); /* OMP_NUM_THREADS, or the cores */
#else
    return 1;
#endif
}

/* openblas_get_parallel() (public since OpenBLAS 0.2.x): 0 sequential,
 * 1 its own pthreads pool, 2 OpenMP. */
static int blas_uses_openmp(void) { return openblas_get_parallel() == 2; }

void par_set_threads(int T)
{
    if (T < 1)
        die("par_set_threads: %d threads", T);
    g_threads = T;
#ifdef _OPENMP
    omp_set_num_threads(T);
#endif
    /* The OpenMP build shares our threads (and stays on one inside our
     * parallel regions by itself); any other build gets one thread, so that
     * our T threads do not each wake a pool of its own. */
    openblas_set_num_threads(blas_uses_openmp() ? T : 1);
}

int par_threads(void) { return g_threads ? g_threads : par_default_threads(); }

void par_range(size_t n, int parts, int k, size_t align, size_t *lo, size_t *hi)
{
    if (parts < 1 || k < 0 || k >= parts || align < 1)
        die("par_range: part %d of %d (align %zu)", k, parts, align);
    /* ceil(n / parts), rounded up to a multiple of align */
    size_t per = (n + (size_t)parts - 1) / (size_t)parts;
    per = (per + align - 1) / align * align;
    size_t a = per * (size_t)k, b = a + per;
    *lo = a < n ? a : n;
    *hi = b < n ? b : n;
}

void par_sum_into(real *dst, real *const *src, int nsrc, size_t lo, size_t hi)
{
    for (int s = 0; s < nsrc; s++) {
        const real *restrict from = src[s];
        real *restrict to = dst;
        for (size_t i = lo; i < hi; i++)
            to[i] += from[i];
    }
}

const char *par_describe(void)
{
    static char text[96];
#ifdef _OPENMP
    snprintf(text, sizeof text, "OpenMP, %d hilo%s; OpenBLAS %s", par_threads(),
             par_threads() == 1 ? "" : "s",
             blas_uses_openmp() ? "(versión OpenMP)" : "(en un hilo)");
#else
    snprintf(text, sizeof text, "sin OpenMP: un hilo");
#endif
    return text;
}
