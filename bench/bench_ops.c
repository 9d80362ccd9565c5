/*
 * bench_ops.c: GFLOP/s of the matmul kernel (vdl_gemm) at the model's shapes
 * (both layers, forward and both backward products) and at 1024^3 in all four
 * transpose variants, for 1 and 2 threads, beside the machine's FP32 peak per
 * core; then the first layer's two products through the sparse inputs
 * (vdl_sparse_matmul) on 256 MNIST training images (or, without MNIST, a
 * made-up minibatch as sparse), and the transpose a training step makes.
 * Speed only: nothing here is a test.
 *
 * usage: bench_ops [--seconds S] [--ghz G] [--flops-per-cycle F] [--data DIR]
 *   --seconds S          time per case (default 0.5; the fastest of 10 slices counts)
 *   --data DIR           MNIST for the sparse products (default data/mnist)
 *   --ghz G              clock for the peak (default: /proc/cpuinfo's "cpu MHz",
 *                        which virtual machines often report below the turbo clock)
 *   --flops-per-cycle F  FP32 FLOP per cycle and core (default from the CPU's
 *                        flags: 32 with AVX2+FMA, 16 with AVX, else 8)
 */
#include "vdl.h"

#include "cpu_info.h"
#include "vdl_mnist.h"

#include <stdint.h>
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

#define SLICES 10

/* Seconds per call of fn(ctx): the fastest of SLICES slices of at least
 * budget / SLICES seconds each. On a shared machine another process makes a
 * slice slower, never faster, so the fastest is the steadiest number. */
static double seconds_per_call(void (*fn)(const void *), const void *ctx, double budget)
{
    double best = 0;
    int slice;
    for (slice = 0; slice < SLICES; slice++) {
        double start = vdl_now(), elapsed;
        long calls = 0;
        do {
            fn(ctx);
            calls++;
            elapsed = vdl_now() - start;
        } while (elapsed < budget / SLICES);
        if (slice == 0 || elapsed / (double)calls < best)
            best = elapsed / (double)calls;
    }
    return best;
}

typedef struct gemm_call {
    const gemm_case *c;
    vdl_real *a, *b, *out, *scratch;
} gemm_call;

static void run_gemm(const void *ctx)
{
    const gemm_call *g = ctx;
    vdl_gemm(g->c->ta, g->c->tb, g->c->m, g->c->n, g->c->k, g->a, g->b, g->out, g->scratch);
}

/* The sparse side: a 256 x 784 minibatch X in both forms: the first 256
 * MNIST training images, or without them 19% of the entries off the
 * background -0.4242 (MNIST's share and value) at pseudo-random places, which
 * is slower: MNIST's gather in the middle of the image, so fewer rows of B
 * are read. */
#define SPARSE_M 256
#define SPARSE_K 784
#define SPARSE_N 100

typedef struct sparse_call {
    int what; /* 0: X W1, 1: X^T G, 2: the transpose of X's form */
    vdl_sparse_view *view;
    size_t *tstart;
    int *tcol;
    vdl_real *tvalue, *b, *out, *scratch;
} sparse_call;

static void run_sparse(const void *ctx)
{
    const sparse_call *c = ctx;
    vdl_sparse t;
    if (c->what == 2)
        vdl_sparse_transpose(&c->view->s, &t, c->tstart, c->tcol, c->tvalue);
    else
        vdl_sparse_matmul(c->what ? &c->view->st : &c->view->s, SPARSE_N, c->b, c->out, c->scratch);
}

static int sparse_table(double budget, const char *data, vdl_real *b, vdl_real *out, vdl_real *scratch)
{
    static const char *what[3] = {"layer 1 forward   X W1      (X sparse)", "layer 1 grad W1   X^T G",
                                  "transpose of X's form (each step)"};
    const size_t n = (size_t)SPARSE_M * SPARSE_K;
    vdl_real *x = vdl_calloc(n, sizeof *x), *value = vdl_calloc(2 * (n + 1), sizeof *value);
    size_t *start = vdl_calloc(2 * (SPARSE_M + SPARSE_K + 2), sizeof *start);
    int *col = vdl_calloc(2 * (n + 1), sizeof *col), w, threads;
    vdl_sparse_view view;
    vdl_dataset mnist;
    vdl_real background = (vdl_real)-0.4242;
    vdl_rng rng;
    size_t i;
    if (!x || !value || !start || !col) {
        fprintf(stderr, "bench_ops: %s\n", vdl_error());
        return 1;
    }
    if (vdl_mnist_load(data, 1, &mnist) == VDL_OK && mnist.n >= SPARSE_M &&
        vdl_majority_value(mnist.x, n, &background)) {
        memcpy(x, mnist.x, n * sizeof *x);
        printf("\nX: the first 256 MNIST training images (%s)", data);
    } else {
        vdl_rng_init(&rng, 1, 2);
        for (i = 0; i < n; i++)
            x[i] = vdl_rng_uniform(&rng) < 0.19 ? (vdl_real)(0.5 + vdl_rng_uniform(&rng)) : background;
        printf("\nX: made up, 19%% of its entries at random places (no MNIST of 256 images or more in %s: slower "
               "than MNIST's)",
               data);
    }
    vdl_dataset_free(&mnist);
    vdl_sparse_fill(&view.s, x, SPARSE_M, SPARSE_K, background, start, col, value);
    printf(", %.1f%% of its entries listed\n", 100.0 * (double)view.s.start[SPARSE_M] / (double)n);
    vdl_sparse_transpose(&view.s, &view.st, start + SPARSE_M + 1, col + n + 1, value + n + 1);
    printf("%-50s %7s %10s %9s %12s\n", "sparse products (vdl_sparse_matmul)", "threads", "ms/call",
           "GFLOP/s", "vs dense");
    for (w = 0; w < 3; w++)
        for (threads = 1; threads <= 2; threads++) {
            sparse_call c = {0};
            gemm_call d = {0};
            double s;
            c.what = w;
            c.view = &view;
            c.tstart = start + SPARSE_M + 1;
            c.tcol = col + n + 1;
            c.tvalue = value + n + 1;
            c.b = b;
            c.out = out;
            c.scratch = scratch;
            vdl_set_threads(threads);
            if (vdl_threads() < threads)
                break;
            s = seconds_per_call(run_sparse, &c, budget);
            printf("%-50s %7d %10.3f", what[w], threads, 1e3 * s);
            if (w < 2) { /* GFLOP/s of the dense product it replaces, and the dense one's time over its own */
                d.c = &cases[w];
                d.a = x;
                d.b = b;
                d.out = out;
                d.scratch = scratch;
                printf(" %9.2f %11.2fx", 2.0 * SPARSE_M * SPARSE_N * SPARSE_K / s * 1e-9,
                       seconds_per_call(run_gemm, &d, budget) / s);
            }
            printf("\n");
            fflush(stdout);
        }
    vdl_free(x);
    vdl_free(value);
    vdl_free(start);
    vdl_free(col);
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_ops [--seconds S] [--ghz G] [--flops-per-cycle F] [--data DIR]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const size_t big = (size_t)1024 * 1024;
    double budget = 0.5, ghz = cpu_ghz(), per_cycle = cpu_fp32_flops_per_cycle(), peak;
    const char *data = "data/mnist";
    vdl_real *a, *b, *out, *scratch, *scratch_block;
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
        else if (strcmp(argv[i], "--data") == 0)
            data = argv[++i];
        else
            return usage();
    }
    a = vdl_calloc(big, sizeof *a);
    b = vdl_calloc(big, sizeof *b);
    out = vdl_calloc(big, sizeof *out);
    /* the products' scratch 64-byte aligned, as a training step's (from the
     * tape's arena) is: packed panels that straddle cache lines are slower */
    scratch_block = vdl_calloc(vdl_gemm_scratch(1024, 1024) + 64, sizeof *scratch_block);
    scratch = scratch_block ? scratch_block + (64 - (uintptr_t)scratch_block % 64) / sizeof *scratch : NULL;
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
            {
                gemm_call g;
                g.c = &cases[c];
                g.a = a;
                g.b = b;
                g.out = out;
                g.scratch = scratch;
                s = seconds_per_call(run_gemm, &g, budget);
            }
            rate = flops / s * 1e-9;
            printf("%-50s %7d %10.3f %9.2f", cases[c].what, threads, 1e3 * s, rate);
            if (peak > 0)
                printf(" %11.0f%%", 100 * rate / (peak * threads));
            printf("\n");
            fflush(stdout);
        }
    if (sparse_table(budget, data, b, out, scratch))
        return 1;
    vdl_free(a);
    vdl_free(b);
    vdl_free(out);
    vdl_free(scratch_block);
    return 0;
}
