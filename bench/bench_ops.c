/*
 * bench_ops.c: GFLOP/s of the matmul kernel (vdl_gemm) at the model's shapes
 * and their backward shapes, and at 1024^3, for 1 and 2 threads. Speed only:
 * nothing here is a test. Usage: bench_ops [seconds per case, default 0.5]
 */
#include "vdl.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct gemm_case {
    const char *what;
    int ta, tb, m, n, k;
} gemm_case;

static const gemm_case cases[] = {
    {"forward  x W1   256x784 . 784x100", 0, 0, 256, 100, 784},
    {"backward dX     256x100 . (784x100)^T", 0, 1, 256, 784, 100},
    {"backward dW1    (256x784)^T . 256x100", 1, 0, 784, 100, 256},
    {"forward  h W2   256x100 . 100x10", 0, 0, 256, 10, 100},
    {"square          1024^3", 0, 0, 1024, 1024, 1024},
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

int main(int argc, char **argv)
{
    const double budget = argc > 1 ? atof(argv[1]) : 0.5;
    const size_t big = (size_t)1024 * 1024;
    vdl_real *a = vdl_calloc(big, sizeof *a), *b = vdl_calloc(big, sizeof *b);
    vdl_real *out = vdl_calloc(big, sizeof *out), *scratch = vdl_calloc(big, sizeof *scratch);
    size_t i, c;
    int threads;
    if (!a || !b || !out || !scratch) {
        fprintf(stderr, "bench_ops: %s\n", vdl_error());
        return 1;
    }
    for (i = 0; i < big; i++) {
        a[i] = (vdl_real)((i % 17) * 0.01);
        b[i] = (vdl_real)((i % 13) * 0.02);
    }
    printf("%-40s %8s %12s %10s\n", "matmul", "threads", "ms/call", "GFLOP/s");
    for (c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (threads = 1; threads <= 2; threads++) {
            double s, flops = 2.0 * cases[c].m * cases[c].n * cases[c].k;
            vdl_set_threads(threads);
            s = time_case(&cases[c], a, b, out, scratch, budget);
            printf("%-40s %8d %12.3f %10.2f\n", cases[c].what, threads, 1e3 * s, flops / s * 1e-9);
        }
    vdl_free(a);
    vdl_free(b);
    vdl_free(out);
    vdl_free(scratch);
    return 0;
}
