/*
 * peak_memory.h: the process's peak resident memory, for benchmarks.
 */
#ifndef VDL_BENCH_PEAK_MEMORY_H
#define VDL_BENCH_PEAK_MEMORY_H

/* Peak resident set size in MiB so far (VmHWM on Linux), or -1 where the
 * system does not say. */
double peak_memory_mib(void);

#endif
