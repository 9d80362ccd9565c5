/*
 * bench_ops.c: GFLOP/s of the matmul kernel (vdl_gemm) at the model's shapes
 * (both layers, forward and both backward products) and at 1024^3 in all four
 * transpose variants, for 1 and 2 threads, beside the machine's FP32 peak per
 * core. Speed only: nothing here is a test.
 *
 * usage: bench_ops [--seconds S] [--ghz G] [--flops-per-cycle F]
 *   --seconds S          time per case (default 0.5)
 *   --ghz G              clock for the peak (default: /proc/cpuinfo's "cpu MHz",
 *                        which virtual machines often report below the turbo clock)
 *   --flops-per-cycle F  FP32 FLOP per cycle and core (default from the CPU's
 *                        flags: 32 with AVX2+FMA, 16 with AVX, else 8)
 */
#include "vdl.h"

#include "cpu_info.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct gemm_case {
    const char *what;
    int ta, tb, m, n, k;
} gemm_case;

static const gemm_case cases[] = {
    {"layer 1 forward   X W1      256x784 . 784x100", 0, 0, 256, 100, 784},
    {"layer 1 grad W1   X^T G     (256x784)^T . 256x100", 1, 0, 784, 100, 256},
    {"layer 1 grad X    G W1^T    256x100 . (784x100)^T", 0, 1, 256, 784, 100},
    {"layer 2 forward   H W2      256x100 . 100x10", 0, 0, 256, 10, 100},
    {"layer 2 grad W2   H^T G     (256x100)^T . 256x10", 1, 0, 100, 10, 256},
    {"layer 2 grad H    G W2^T    256x10 . (100x10)^T", 0, 1, 256, 100, 10},
    {"square            A B       1024^3", 0, 0, 1024, 1024, 1024},
    {"square            A^T B     1024^3", 1, 0, 1024, 1024, 1024},
    {"square            A B^T     1024^3", 0, 1, 1024, 1024, 1024},
    {"square            A^T B^T   1024^3", 1, 1, 1024, 1024, 1024},
};

/* Seconds per call of one case, timed over at least `budget` seconds. */
static double time_case(const gemm_case *c, vdl_real *a, vdl_real *b, vdl_real *out, vdl_real *scratch, double budget)
{
    double start = vdl_now(), elapsed;
    long calls = 0;
    do {
        vdl_gemm(c->ta, c->tb, c->m, c->n, c->k, a, b, out, scratch);
        calls++;
        elapsed = vdl_now() - start;
    } while (elapsed < budget);
    return elapsed / (double)calls;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_ops [--seconds S] [--ghz G] [--flops-per-cycle F]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const size_t big = (size_t)1024 * 1024;
    double budget = 0.5, ghz = cpu_ghz(), per_cycle = cpu_fp32_flops_per_cycle(), peak;
    vdl_real *a, *b, *out, *scratch;
    size_t i, c;
    int threads;
    for (i = 1; i < (size_t)argc; i++) {
        if (i + 1 >= (size_t)argc)
            return usage();
        if (strcmp(argv[i], "--seconds") == 0)
            budget = atof(argv[++i]);
        else if (strcmp(argv[i], "--ghz") == 0)
            ghz = atof(argv[++i]);
        else if (strcmp(argv[i], "--flops-per-cycle") == 0)
            per_cycle = atof(argv[++i]);
        else
            return usage();
    }
    a = vdl_calloc(big, sizeof *a);
    b = vdl_calloc(big, sizeof *b);
    out = vdl_calloc(big, sizeof *out);
    scratch = vdl_calloc(vdl_gemm_scratch(1024, 1024), sizeof *scratch);
    if (!a || !b || !out || !scratch) {
        fprintf(stderr, "bench_ops: %s\n", vdl_error());
        return 1;
    }
    for (i = 0; i < big; i++) {
        a[i] = (vdl_real)((i % 17) * 0.01);
        b[i] = (vdl_real)((i % 13) * 0.02);
    }
    peak = ghz * per_cycle;
    if (peak > 0)
        printf("FP32 peak per core: %.2f GHz x %.0f FLOP/cycle = %.1f GFLOP/s (this build: %s)\n", ghz, per_cycle,
               peak, cpu_build_simd());
    else
        printf("FP32 peak per core unknown: give --ghz and --flops-per-cycle (this build: %s)\n", cpu_build_simd());
    printf("%-50s %7s %10s %9s %12s\n", "matmul", "threads", "ms/call", "GFLOP/s", "% of peak");
    for (c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (threads = 1; threads <= 2; threads++) {
            double s, flops = 2.0 * cases[c].m * cases[c].n * cases[c].k, rate;
            vdl_set_threads(threads);
            if (vdl_threads() < threads) /* a build without OpenMP */
                break;
            s = time_case(&cases[c], a, b, out, scratch, budget);
            rate = flops / s * 1e-9;
            printf("%-50s %7d %10.3f %9.2f", cases[c].what, threads, 1e3 * s, rate);
            if (peak > 0)
                printf(" %11.0f%%", 100 * rate / (peak * threads));
            printf("\n");
            fflush(stdout);
        }
    vdl_free(a);
    vdl_free(b);
    vdl_free(out);
    vdl_free(scratch);
    return 0;
}
