/*
 * vdl_parallel.h: optional OpenMP, and reductions whose result does not
 * depend on the number of threads.
 *
 * Loops are written so OpenMP 2.0 accepts them (signed loop variable declared
 * outside, no collapse). A reduction splits its range into fixed-size blocks,
 * sums each block in order, then adds the block sums in order: the same bytes
 * with 1 thread, N threads or OpenMP compiled out.
 */
#ifndef VDL_PARALLEL_H
#define VDL_PARALLEL_H

#include "vdl_base.h"

#ifdef _OPENMP
#define VDL_OMP(directive) _Pragma(#directive)
#else
#define VDL_OMP(directive)
#endif

/* Loops shorter than this run on one thread (a team costs microseconds). */
#define VDL_PAR_MIN 32768

/* Elements per block of a deterministic reduction. */
#define VDL_SUM_BLOCK 4096

/* Set the number of threads (<= 0: the OpenMP default). No-op without OpenMP. */
void vdl_set_threads(int n);

/* Threads a parallel region will use (1 without OpenMP). */
int vdl_threads(void);

/* Sum of x[0..n) in double, blocked as described above. */
double vdl_sum(const vdl_real *x, size_t n);

/* A function that returns the sum of its terms lo .. hi-1, in order. */
typedef double (*vdl_range_sum)(size_t lo, size_t hi, const void *ctx);

/* Sum of terms 0 .. n-1 given by `range` (ctx is passed through), blocked as
 * described above. */
double vdl_sum_blocks(size_t n, vdl_range_sum range, const void *ctx);

#endif
