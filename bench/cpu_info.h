/*
 * cpu_info.h: what the benchmarks need to know about the CPU for a peak
 * FLOP rate, read from /proc/cpuinfo where it exists (plain C99 file reading).
 */
#ifndef VDL_BENCH_CPU_INFO_H
#define VDL_BENCH_CPU_INFO_H

/* The clock in GHz from /proc/cpuinfo's first "cpu MHz" line, or 0. */
double cpu_ghz(void);

/* FP32 FLOP per cycle and core from the CPU's flags: 32 with AVX2 and FMA
 * (two 8-wide FMA units), 16 with AVX, 8 otherwise (SSE); 0 if unknown. */
double cpu_fp32_flops_per_cycle(void);

/* The SIMD this build was compiled for ("AVX2+FMA", "AVX", "SSE2", ...). */
const char *cpu_build_simd(void);

#endif
