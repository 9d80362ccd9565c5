/*
 * gemm.c: C += op(A) op(B), blocked for registers and caches in plain C.
 *
 * op(B) is first copied into panels of NR columns (zero-padded; a narrow
 * last one NR / 2), stored k by k, so the inner loop reads NR contiguous
 * reals; a transposed B costs nothing extra. A is read in place, MR rows at a
 * time. The micro-kernel keeps an MR x NR block of C in local accumulators for
 * KC steps of k, which a compiler turns into vector registers and (with
 * -march=native) FMAs. Rows of C are shared among threads in blocks of MR (or
 * halves of them); a one-row product skips the packing. Each element of C
 * still adds its K terms in one fixed order (KC-sized chunks in k order) on
 * every path, so the result does not depend on the number of threads.
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

/* Panels are NR columns wide, except a last one of at most NR / 2 columns,
 * which is NR / 2 wide: N = 100 would otherwise spend a quarter of its last
 * 16-wide panel's work on 12 zero columns. */
static int panel_width(int N, int j0) { return N - j0 <= NR / 2 ? NR / 2 : NR; }

/* Rows k0 .. k1-1 of every panel: panel p holds op(B)[k][p NR + j] at
 * p K NR + k w + j (w its width), zero past column N. Threads share the
 * packing by ranges of k, which divide more evenly than a handful of panels.
 * Each loop reads B along its rows (a plain B's rows are k, a transposed
 * one's are j), and the plain copy vectorizes. */
static void pack_b(int tb, int N, int K, const vdl_real *B, vdl_real *packed, int k0, int k1)
{
    int j0, k, j;
    for (j0 = 0; j0 < N; j0 += NR) {
        const int w = panel_width(N, j0), width = N - j0 < w ? N - j0 : w;
        vdl_real *restrict dst = packed + (size_t)(j0 / NR) * K * NR + (size_t)k0 * w;
        if (tb) {
            for (j = 0; j < width; j++)
                for (k = k0; k < k1; k++)
                    dst[(size_t)(k - k0) * w + j] = B[(size_t)(j0 + j) * K + k];
        } else {
            for (k = k0; k < k1; k++)
                for (j = 0; j < width; j++)
                    dst[(size_t)(k - k0) * w + j] = B[(size_t)k * N + j0 + j];
        }
        for (k = k0; k < k1; k++)
            for (j = width; j < w; j++)
                dst[(size_t)(k - k0) * w + j] = 0;
    }
}

/* One accumulator row: acc_i[0..W) += a_i * b[0..W). */
#define ACCUMULATE(i, W)                                                                                        \
    do {                                                                                                        \
        const vdl_real a = r##i[at];                                                                            \
        for (j = 0; j < (W); j++)                                                                               \
            acc##i[j] += a * b[j];                                                                              \
    } while (0)

/* A micro-kernel for panels W wide: C block (rows x cols, row stride ldc) +=
 * the sum over kc steps of a column MR-vector of A times a row W-vector of
 * packed B. The accumulators are six separate arrays (not one 2-D array) so
 * compilers keep them in registers; a macro, so that W is a constant the
 * compiler unrolls and vectorizes for each width. Every element adds the
 * same terms in the same order whatever the width. */
#define MICRO_KERNEL(name, W)                                                                                   \
    static void name(int kc, const vdl_real *const row[MR], size_t a_k, const vdl_real *restrict b,             \
                     vdl_real *restrict C, size_t ldc, int rows, int cols)                                      \
    {                                                                                                           \
        vdl_real acc0[W] = {0}, acc1[W] = {0}, acc2[W] = {0}, acc3[W] = {0}, acc4[W] = {0}, acc5[W] = {0};     \
        const vdl_real *const r0 = row[0], *const r1 = row[1], *const r2 = row[2];                              \
        const vdl_real *const r3 = row[3], *const r4 = row[4], *const r5 = row[5];                              \
        vdl_real *const acc[MR] = {acc0, acc1, acc2, acc3, acc4, acc5};                                         \
        int i, j, k;                                                                                            \
        for (k = 0; k < kc; k++, b += (W)) {                                                                    \
            const size_t at = (size_t)k * a_k;                                                                  \
            ACCUMULATE(0, W);                                                                                   \
            ACCUMULATE(1, W);                                                                                   \
            ACCUMULATE(2, W);                                                                                   \
            ACCUMULATE(3, W);                                                                                   \
            ACCUMULATE(4, W);                                                                                   \
            ACCUMULATE(5, W);                                                                                   \
        }                                                                                                       \
        for (i = 0; i < rows; i++)                                                                              \
            for (j = 0; j < cols; j++)                                                                          \
                C[(size_t)i * ldc + j] += acc[i][j];                                                            \
    }

MICRO_KERNEL(micro_kernel, NR)
MICRO_KERNEL(micro_kernel_half, NR / 2)

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
    for (j0 = jc; j0 < jc + nc; j0 += NR) {
        const int w = panel_width(N, j0), cols = N - j0 < w ? N - j0 : w;
        const vdl_real *b = packed + (size_t)(j0 / NR) * K * NR + (size_t)kc0 * w;
        vdl_real *c = C + (size_t)i0 * N + j0;
        if (w == NR)
            micro_kernel(kc, row, a_k, b, c, (size_t)N, rows, cols);
        else
            micro_kernel_half(kc, row, a_k, b, c, (size_t)N, rows, cols);
    }
}

/* C (one row, columns j0 .. j1-1) += a op(B) for M = 1 (the low-rank
 * hypernet's h U products): packing B would cost as much as the product, so
 * B is read in place. Each element adds its K terms as the blocked path
 * does (from zero within each KC chunk, chunks in k order), so both paths
 * give the same bytes. acc holds the columns' partial sums. */
static void single_row(int tb, int N, int K, const vdl_real *a, const vdl_real *B, vdl_real *C, int j0, int j1,
                       vdl_real *restrict acc)
{
    int kc0, k, j;
    for (kc0 = 0; kc0 < K; kc0 += KC) {
        const int kc1 = K - kc0 < KC ? K : kc0 + KC;
        for (j = j0; j < j1; j++)
            acc[j] = 0;
        for (k = kc0; k < kc1; k++) {
            const vdl_real ak = a[k];
            if (tb)
                for (j = j0; j < j1; j++)
                    acc[j] += ak * B[(size_t)j * K + k];
            else
                for (j = j0; j < j1; j++)
                    acc[j] += ak * B[(size_t)k * N + j];
        }
        for (j = j0; j < j1; j++)
            C[j] += acc[j];
    }
}

#define PACK_K 32 /* rows of k per share of the packing */

void vdl_gemm(int ta, int tb, int M, int N, int K, const vdl_real *A, const vdl_real *B, vdl_real *C,
              vdl_real *scratch)
{
    const long row_blocks = (long)((M + MR - 1) / MR), k_blocks = (long)((K + PACK_K - 1) / PACK_K);
    /* smaller products stay on one thread; the batch-256 second layer's
     * (256x100x10) are above this and run 1.3-1.5x faster on two (bench_ops) */
    const int parallel = (double)M * N * K > 4.0 * VDL_PAR_MIN;
    /* With threads and few row blocks each, each row block's panels are split
     * in two halves that threads take separately: 43 row blocks (M = 256)
     * split 22 to 21 between two threads, 86 halves split evenly. With many
     * row blocks the split is even enough, and halves would copy a transposed
     * A block (see row_block) twice. */
    const int threads = parallel ? vdl_threads() : 1;
    const long halves = threads > 1 && row_blocks < 32L * threads ? 2 : 1;
    if (M <= 0 || N <= 0 || K <= 0)
        return;
    if (M == 1) { /* A is one row (or, transposed, one column): A[k] either way */
        long jb;
        VDL_OMP(omp parallel for if (parallel) schedule(static))
        for (jb = 0; jb < (N + NC - 1) / NC; jb++)
            single_row(tb, N, K, A, B, C, (int)jb * NC, (int)(jb + 1) * NC < N ? (int)(jb + 1) * NC : N, scratch);
        return;
    }
    VDL_OMP(omp parallel if (parallel))
    {
        long b, item;
        int jc, kc0;
        VDL_OMP(omp for schedule(static))
        for (b = 0; b < k_blocks; b++)
            pack_b(tb, N, K, B, scratch, (int)b * PACK_K, (int)(b + 1) * PACK_K < K ? (int)(b + 1) * PACK_K : K);
        /* one barrier per column block (one at the model's shapes): a thread
         * descheduled on a busy machine holds the others up only there */
        for (jc = 0; jc < N; jc += NC) {
            const int nc = N - jc < NC ? N - jc : NC, panels = (nc + NR - 1) / NR;
            VDL_OMP(omp for schedule(static))
            for (item = 0; item < row_blocks * halves; item++) {
                const int h = (int)(item % halves), p0 = panels * h / (int)halves;
                const int j0 = jc + p0 * NR, j1 = jc + panels * (h + 1) / (int)halves * NR;
                const int cols = (j1 < jc + nc ? j1 : jc + nc) - j0;
                if (cols > 0)
                    for (kc0 = 0; kc0 < K; kc0 += KC)
                        row_block(ta, M, N, K, A, scratch, C, (int)(item / halves) * MR, j0, cols, kc0,
                                  K - kc0 < KC ? K - kc0 : KC);
            }
        }
    }
}
