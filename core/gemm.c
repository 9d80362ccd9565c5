/*
 * gemm.c: C += op(A) op(B). The inner loop runs along a row of B and a row of
 * C (contiguous, so the compiler vectorizes it); a transposed B is first
 * copied into row-major order.
 */
#include "vdl_gemm.h"
#include "vdl_parallel.h"

static void transpose(int rows, int cols, const vdl_real *src, vdl_real *dst)
{
    int r, c;
    for (r = 0; r < rows; r++)
        for (c = 0; c < cols; c++)
            dst[(size_t)c * rows + r] = src[(size_t)r * cols + c];
}

void vdl_gemm(int ta, int tb, int M, int N, int K, const vdl_real *A, const vdl_real *B,
              vdl_real *C, vdl_real *scratch)
{
    /* Stride between consecutive k for a fixed row i of op(A), and between rows. */
    const size_t a_k = ta ? (size_t)M : 1, a_i = ta ? 1 : (size_t)K;
    const double work = (double)M * N * K;
    int i;
    if (tb) {
        transpose(N, K, B, scratch);
        B = scratch;
    }
    (void)work;
    /* a thread team costs more than a small product (256x100x10) saves */
    VDL_OMP(omp parallel for if (work > 64.0 * VDL_PAR_MIN) schedule(static))
    for (i = 0; i < M; i++) {
        vdl_real *restrict c = C + (size_t)i * N;
        const vdl_real *a = A + (size_t)i * a_i;
        int k, j;
        for (k = 0; k < K; k++) {
            const vdl_real aik = a[(size_t)k * a_k];
            const vdl_real *restrict b = B + (size_t)k * N;
            for (j = 0; j < N; j++)
                c[j] += aik * b[j];
        }
    }
}
