/*
 * gemm.c: C += op(A) op(B), blocked for registers and caches in plain C.
 *
 * op(B) is first copied into panels of NR columns (zero-padded), stored k by
 * k, so the inner loop reads NR contiguous reals; a transposed B costs nothing
 * extra. A is read in place, MR rows at a time. The micro-kernel keeps an
 * MR x NR block of C in local accumulators for KC steps of k, which a
 * compiler turns into vector registers and (with -march=native) FMAs. Rows of
 * C are shared among threads in blocks of MR; each element of C still adds
 * its K terms in one fixed order (KC-sized chunks in k order), so the result
 * does not depend on the number of threads.
 */
#include "vdl_gemm.h"
#include "vdl_parallel.h"

/* Tile sizes: a row of the micro-kernel's accumulators is two SIMD vectors
 * (NR reals: 256-bit with AVX, else 128-bit), and MR = 6 rows keep 12 of the
 * 16 vector registers busy with independent sums. */
#if defined(__AVX__)
#define NR (64 / (int)sizeof(vdl_real))
#else
#define NR (32 / (int)sizeof(vdl_real))
#endif
#define MR 6
#define KC 256 /* a KC x NR panel of B stays in L1 */
#define NC 512 /* a KC x NC block of B stays in L2 */

static size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

size_t vdl_gemm_scratch(int N, int K) { return (size_t)K * round_up((size_t)N, NR); }

/* Panel p holds op(B)[k][p NR + j] at p K NR + k NR + j, zero past column N. */
static void pack_b(int tb, int N, int K, const vdl_real *B, vdl_real *packed, long p)
{
    vdl_real *restrict dst = packed + (size_t)p * K * NR;
    int j0 = (int)p * NR, k, j, width = N - j0 < NR ? N - j0 : NR;
    for (k = 0; k < K; k++, dst += NR) {
        for (j = 0; j < width; j++)
            dst[j] = tb ? B[(size_t)(j0 + j) * K + k] : B[(size_t)k * N + j0 + j];
        for (; j < NR; j++)
            dst[j] = 0;
    }
}

/* One accumulator row: acc_i[0..NR) += a_i * b[0..NR). */
#define ACCUMULATE(i)                                                                                           \
    do {                                                                                                        \
        const vdl_real a = r##i[at];                                                                            \
        for (j = 0; j < NR; j++)                                                                                \
            acc##i[j] += a * b[j];                                                                              \
    } while (0)

/* C block (rows x cols, row stride ldc) += the sum over kc steps of a column
 * MR-vector of A times a row NR-vector of packed B. The accumulators are six
 * separate arrays (not one 2-D array) so compilers keep them in registers. */
static void micro_kernel(int kc, const vdl_real *const row[MR], size_t a_k, const vdl_real *restrict b,
                         vdl_real *restrict C, size_t ldc, int rows, int cols)
{
    vdl_real acc0[NR] = {0}, acc1[NR] = {0}, acc2[NR] = {0}, acc3[NR] = {0}, acc4[NR] = {0}, acc5[NR] = {0};
    const vdl_real *const r0 = row[0], *const r1 = row[1], *const r2 = row[2];
    const vdl_real *const r3 = row[3], *const r4 = row[4], *const r5 = row[5];
    vdl_real *const acc[MR] = {acc0, acc1, acc2, acc3, acc4, acc5};
    int i, j, k;
    for (k = 0; k < kc; k++, b += NR) {
        const size_t at = (size_t)k * a_k;
        ACCUMULATE(0);
        ACCUMULATE(1);
        ACCUMULATE(2);
        ACCUMULATE(3);
        ACCUMULATE(4);
        ACCUMULATE(5);
    }
    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++)
            C[(size_t)i * ldc + j] += acc[i][j];
}

/* C rows i0 .. i0+MR (fewer at the bottom edge) += their block product over
 * columns jc .. jc+nc and k in kc0 .. kc0+kc. */
static void row_block(int ta, int M, int N, int K, const vdl_real *A, const vdl_real *packed, vdl_real *C,
                      int i0, int jc, int nc, int kc0, int kc)
{
    size_t a_k = ta ? (size_t)M : 1;
    const size_t a_i = ta ? 1 : (size_t)K;
    const vdl_real *row[MR];
    vdl_real a_packed[KC * MR];
    int i, k, j0, rows = M - i0 < MR ? M - i0 : MR;
    /* rows past the edge repeat the last one; their sums are not stored */
    for (i = 0; i < MR; i++)
        row[i] = A + (size_t)(i0 + (i < rows ? i : rows - 1)) * a_i + (size_t)kc0 * a_k;
    /* A transposed with a row stride of a multiple of 2 KiB: successive k
     * fall into a few L1 sets and evict each other (A^T B at 1024^3 ran at
     * half speed), so copy the block's kc x MR values together first. */
    if (ta && (a_k * sizeof(vdl_real)) % 2048 == 0) {
        for (k = 0; k < kc; k++)
            for (i = 0; i < MR; i++)
                a_packed[k * MR + i] = row[i][(size_t)k * a_k];
        for (i = 0; i < MR; i++)
            row[i] = a_packed + i;
        a_k = MR;
    }
    for (j0 = jc; j0 < jc + nc; j0 += NR)
        micro_kernel(kc, row, a_k, packed + (size_t)(j0 / NR) * K * NR + (size_t)kc0 * NR,
                     C + (size_t)i0 * N + j0, (size_t)N, rows, N - j0 < NR ? N - j0 : NR);
}

void vdl_gemm(int ta, int tb, int M, int N, int K, const vdl_real *A, const vdl_real *B, vdl_real *C,
              vdl_real *scratch)
{
    const long panels = (long)((N + NR - 1) / NR), row_blocks = (long)((M + MR - 1) / MR);
    /* a thread team costs more than a small product (256x100x10) saves */
    const int parallel = (double)M * N * K > 64.0 * VDL_PAR_MIN;
    (void)parallel; /* unused without OpenMP */
    if (M <= 0 || N <= 0 || K <= 0)
        return;
    VDL_OMP(omp parallel if (parallel))
    {
        long p, r;
        int jc, kc0;
        VDL_OMP(omp for schedule(static))
        for (p = 0; p < panels; p++)
            pack_b(tb, N, K, B, scratch, p);
        /* one barrier per column block (one at the model's shapes): a thread
         * descheduled on a busy machine holds the others up only there */
        for (jc = 0; jc < N; jc += NC) {
            const int nc = N - jc < NC ? N - jc : NC;
            VDL_OMP(omp for schedule(static))
            for (r = 0; r < row_blocks; r++)
                for (kc0 = 0; kc0 < K; kc0 += KC)
                    row_block(ta, M, N, K, A, scratch, C, (int)r * MR, jc, nc, kc0, K - kc0 < KC ? K - kc0 : KC);
        }
    }
}
