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

/* This thread's even share [*lo, *hi) of 0 .. n-1 inside a parallel region
 * (thread t of T: n t / T to n (t + 1) / T); all of it outside one. */
void vdl_thread_share(size_t n, size_t *lo, size_t *hi);

/* x[0..n) = 0, on all threads for long arrays. */
void vdl_zero_reals(vdl_real *x, size_t n);

/* Sum of x[0..n) in double, blocked as described above. */
double vdl_sum(const vdl_real *x, size_t n);

/* A function that returns the sum of its terms lo .. hi-1, in order. */
typedef double (*vdl_range_sum)(size_t lo, size_t hi, const void *ctx);

/* Sum of terms 0 .. n-1 given by `range` (ctx is passed through), blocked as
 * described above. */
double vdl_sum_blocks(size_t n, vdl_range_sum range, const void *ctx);

/* Picks, while a loop of similar steps runs (training), between `max` threads
 * and one. vdl's results are the same bytes for any thread count, so only
 * speed is at stake: when another process holds a core, every parallel region
 * waits for a descheduled thread and all threads can be many times slower
 * than one (docs/performance.md). The tuner times a few steps with `max`
 * threads, then with one, keeps the faster, and times both again every
 * VDL_TUNER_RECHECK seconds. */
typedef struct vdl_thread_tuner {
    int max;            /* the most threads; <= 1: the tuner does nothing */
    int threads;        /* what the next steps run with */
    int phase;          /* timing max threads (0), timing one (1), settled (2) */
    int steps;          /* steps timed in this phase (-1: the first, untimed) */
    double begin;       /* when the timed steps of this phase began */
    double per_step[2]; /* seconds per step with max threads, with one */
    double recheck_at;  /* when a settled tuner times both again */
} vdl_thread_tuner;

/* Seconds between rechecks, and the least a timing phase lasts (at least
 * VDL_TUNER_STEPS steps and VDL_TUNER_SECONDS seconds). */
#define VDL_TUNER_RECHECK 30.0
#define VDL_TUNER_STEPS 4
#define VDL_TUNER_SECONDS 0.05

/* Start with max threads (vdl_set_threads(max) when max > 1). */
void vdl_thread_tuner_init(vdl_thread_tuner *t, int max);

/* Call after every step with the time (vdl_now()); may change the thread
 * count for the steps that follow. */
void vdl_thread_tuner_step(vdl_thread_tuner *t, double now);

#endif
