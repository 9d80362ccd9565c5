/*
 * parallel.c: thread control and thread-count-independent reductions.
 */
#include "vdl_parallel.h"

#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

void vdl_set_threads(int n)
{
#ifdef _OPENMP
    /* the OpenMP default (OMP_NUM_THREADS, else the cores), read once */
    static int initial;
    if (!initial)
        initial = omp_get_max_threads();
    omp_set_num_threads(n > 0 ? n : initial);
#else
    (void)n;
#endif
}

int vdl_threads(void)
{
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

void vdl_thread_share(size_t n, size_t *lo, size_t *hi)
{
#ifdef _OPENMP
    const size_t t = (size_t)omp_get_thread_num(), count = (size_t)omp_get_num_threads();
    *lo = n / count * t + n % count * t / count;
    *hi = n / count * (t + 1) + n % count * (t + 1) / count;
#else
    *lo = 0;
    *hi = n;
#endif
}

void vdl_zero_reals(vdl_real *x, size_t n)
{
    long i, len = (long)n;
    if (len <= VDL_PAR_MIN) {
        /* even a serial OpenMP region costs more than zeroing a small node's gradient */
        memset(x, 0, n * sizeof *x);
        return;
    }
    VDL_OMP(omp parallel for schedule(static))
    for (i = 0; i < len; i++)
        x[i] = 0;
}

#define MAX_BLOCKS_ON_STACK 256

double vdl_sum_blocks(size_t n, vdl_range_sum range, const void *ctx)
{
    double partial[MAX_BLOCKS_ON_STACK], total = 0;
    size_t nblocks = (n + VDL_SUM_BLOCK - 1) / VDL_SUM_BLOCK, start = 0;
    /* Very long inputs are summed in runs of MAX_BLOCKS_ON_STACK blocks; the
     * grouping depends only on n, so the result is still thread-independent. */
    while (nblocks > 0) {
        long nb = (long)(nblocks < MAX_BLOCKS_ON_STACK ? nblocks : MAX_BLOCKS_ON_STACK), b;
        VDL_OMP(omp parallel for if (nb > 8) schedule(static))
        for (b = 0; b < nb; b++) {
            size_t lo = start + (size_t)b * VDL_SUM_BLOCK, hi = lo + VDL_SUM_BLOCK;
            partial[b] = range(lo, hi < n ? hi : n, ctx);
        }
        for (b = 0; b < nb; b++)
            total += partial[b];
        start += (size_t)nb * VDL_SUM_BLOCK;
        nblocks -= (size_t)nb;
    }
    return total;
}

static double sum_range(size_t lo, size_t hi, const void *ctx)
{
    const vdl_real *x = ctx;
    double s = 0;
    size_t i;
    for (i = lo; i < hi; i++)
        s += x[i];
    return s;
}

double vdl_sum(const vdl_real *x, size_t n) { return vdl_sum_blocks(n, sum_range, x); }
