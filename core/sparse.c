/*
 * sparse.c: matrices kept as their entries off one background value, and
 * their products with dense matrices (see vdl_sparse.h).
 *
 * The product S B reads, for every listed entry (i, k), row k of B: rows at
 * random, once per entry. B is first copied into panels of WIDE columns,
 * each panel K x WIDE and contiguous, and the product runs panel by panel:
 * a panel (100 KB for the first layer) is far more likely to be in cache
 * than all of B, and each entry reads whole aligned vectors of it.
 */
#include "vdl_sparse.h"

#include "vdl_parallel.h"

#include <string.h>

/* 1 if more than half of x[0..n) equal v (never for NaN). */
static int holds_majority(const vdl_real *x, size_t n, vdl_real v)
{
    return v == v && n - vdl_sparse_count(x, n, v) > n / 2;
}

int vdl_majority_value(const vdl_real *x, size_t n, vdl_real *value)
{
    /* A majority value sits at most places, so first try the values at a
     * few evenly spaced ones (one vectorized count each; MNIST's first value
     * is it). If none wins, Boyer and Moore's vote: a value held by more
     * than half survives the pairing off of unequal values, then the count
     * checks that it does. */
    vdl_real candidate = 0;
    size_t i, votes = 0;
    int probe;
    if (n == 0)
        return 0;
    for (probe = 0; probe < 4; probe++)
        if (holds_majority(x, n, x[n / 4 * (size_t)probe])) {
            *value = x[n / 4 * (size_t)probe];
            return 1;
        }
    for (i = 0; i < n; i++) {
        if (votes == 0) { /* a NaN taken here is outvoted by the next value */
            candidate = x[i];
            votes = 1;
        } else {
            votes = x[i] == candidate ? votes + 1 : votes - 1;
        }
    }
    if (!holds_majority(x, n, candidate))
        return 0;
    *value = candidate;
    return 1;
}

size_t vdl_sparse_count(const vdl_real *x, size_t n, vdl_real background)
{
    size_t i, count = 0;
    for (i = 0; i < n; i++)
        count += x[i] != background;
    return count;
}

static void describe(vdl_sparse *s, int rows, int cols, vdl_real background, const size_t *start, const int *col,
                     const vdl_real *value)
{
    s->rows = rows;
    s->cols = cols;
    s->background = background;
    s->start = start;
    s->col = col;
    s->value = value;
}

/* 1 if row i's offsets or columns are bad: a loop without branches (it runs
 * on every minibatch, vdl_leaf_sparse), which compilers vectorize. */
static int bad_row(const vdl_sparse *s, int i)
{
    const size_t first = s->start[i], end = s->start[i + 1];
    size_t e;
    int bad;
    if (end < first)
        return 1;
    if (end == first)
        return 0;
    bad = (s->col[first] < 0) | (s->col[end - 1] >= s->cols);
    for (e = first + 1; e < end; e++)
        bad |= s->col[e] <= s->col[e - 1];
    return bad;
}

int vdl_sparse_check(const vdl_sparse *s)
{
    int i;
    if (!s || s->rows < 0 || s->cols < 0 || (s->rows > 0 && (!s->start || s->start[0] != 0)))
        return vdl_set_error(VDL_EINVAL, "sparse matrix: bad shape or row offsets");
    for (i = 0; i < s->rows; i++)
        if (bad_row(s, i))
            return vdl_set_error(VDL_EINVAL,
                                 "sparse matrix: row %d's offsets go backwards, or its columns are out of order or "
                                 "outside 0..%d",
                                 i, s->cols - 1);
    return VDL_OK;
}

void vdl_sparse_fill(vdl_sparse *s, const vdl_real *x, int rows, int cols, vdl_real background, size_t *start,
                     int *col, vdl_real *value)
{
    size_t e = 0;
    int i, k;
    for (i = 0; i < rows; i++) {
        const vdl_real *row = x + (size_t)i * cols;
        start[i] = e;
        /* without a branch (a fifth of the entries are listed, at random):
         * every entry is written at e, and e moves on past the listed ones;
         * the last row's last write is one past the end, hence the spare */
        for (k = 0; k < cols; k++) {
            col[e] = k;
            value[e] = row[k];
            e += row[k] != background;
        }
    }
    start[rows] = e;
    describe(s, rows, cols, background, start, col, value);
}

/* A dense row: the background, with n entries at their columns. */
static void dense_row(vdl_real *row, int cols, vdl_real background, const int *col, const vdl_real *value, size_t n)
{
    size_t q;
    int k;
    for (k = 0; k < cols; k++)
        row[k] = background;
    for (q = 0; q < n; q++)
        row[col[q]] = value[q];
}

void vdl_sparse_gather(const vdl_sparse *src, const int *pick, int count, vdl_sparse *out, size_t *start,
                       int *col, vdl_real *value, vdl_real *dense)
{
    const int cols = src->cols;
    size_t e = 0;
    long i;
    for (i = 0; i < count; i++) { /* where each picked row's entries go */
        start[i] = e;
        e += src->start[pick[i] + 1] - src->start[pick[i]];
    }
    start[count] = e;
    /* the rows themselves, scattered over the source (memory latency, not
     * arithmetic): on all threads from a quarter of VDL_PAR_MIN's worth of
     * dense reals */
    VDL_OMP(omp parallel for if ((double)count * cols > VDL_PAR_MIN / 4) schedule(static))
    for (i = 0; i < count; i++) {
        const size_t from = src->start[pick[i]], n = start[i + 1] - start[i];
        memcpy(col + start[i], src->col + from, n * sizeof *col);
        memcpy(value + start[i], src->value + from, n * sizeof *value);
        if (dense)
            dense_row(dense + (size_t)i * cols, cols, src->background, src->col + from, src->value + from, n);
    }
    describe(out, count, cols, src->background, start, col, value);
}

/* Row i's first entry in column k or past it (its entries ascend by column). */
static size_t entry_from(const vdl_sparse *s, int i, int k)
{
    size_t lo = s->start[i], hi = s->start[i + 1];
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (s->col[mid] < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Column k's entries counted into start[k + 1], for the columns lo .. hi-1. */
static void count_columns(const vdl_sparse *s, size_t *start, int lo, int hi)
{
    size_t e, end;
    int i, k;
    for (k = lo; k < hi; k++)
        start[k + 1] = 0;
    for (i = 0; i < s->rows; i++)
        for (e = entry_from(s, i, lo), end = entry_from(s, i, hi); e < end; e++)
            start[s->col[e] + 1]++;
}

/* From the counts in start[1 .. cols], start[k + 1] = column k's first place
 * (its cursor for place_columns, which leaves it at column k's end). */
static void first_places(size_t *start, int cols)
{
    size_t at = 0, count;
    int k;
    for (k = 0; k < cols; k++) {
        count = start[k + 1];
        start[k + 1] = at;
        at += count;
    }
}

/* The first column whose first place (start[k + 1]) is at or past `place`. */
static int column_at(const size_t *start, int cols, size_t place)
{
    int k = 0;
    while (k < cols && start[k + 1] < place)
        k++;
    return k;
}

/* Columns lo .. hi-1 of S^T's rows: each entry of S at its column's cursor. */
static void place_columns(const vdl_sparse *s, size_t *restrict start, int *restrict col, vdl_real *restrict value,
                          int lo, int hi)
{
    const int *const from_col = s->col;
    const vdl_real *const from_value = s->value;
    size_t e, end;
    int i;
    for (i = 0; i < s->rows; i++)
        for (e = entry_from(s, i, lo), end = entry_from(s, i, hi); e < end; e++) {
            const size_t to = start[from_col[e] + 1]++;
            col[to] = i;
            value[to] = from_value[e];
        }
}

void vdl_sparse_transpose(const vdl_sparse *s, vdl_sparse *t, size_t *start, int *col, vdl_real *value)
{
    /* A counting sort by column, so each column keeps its entries in row
     * order. On several threads each takes a range of columns, so no two
     * write the same place: first an even share of the columns to count,
     * then, once their first places are known, a range that holds an even
     * share of the entries to place. The result is the same bytes. */
    const size_t nnz = s->start[s->rows];
    start[0] = 0;
    VDL_OMP(omp parallel if (nnz > VDL_PAR_MIN / 4))
    {
        size_t lo, hi;
        int first, last;
        vdl_thread_share((size_t)s->cols, &lo, &hi);
        count_columns(s, start, (int)lo, (int)hi);
        VDL_OMP(omp barrier)
        VDL_OMP(omp single)
        first_places(start, s->cols);
        vdl_thread_share(nnz, &lo, &hi);
        first = column_at(start, s->cols, lo);
        last = column_at(start, s->cols, hi); /* the columns past the last entry are empty */
        VDL_OMP(omp barrier) /* the cursors move from here on */
        place_columns(s, start, col, value, first, last);
    }
    describe(t, s->cols, s->rows, s->background, start, col, value);
}

void vdl_sparse_to_dense(const vdl_sparse *s, vdl_real *x)
{
    int i;
    for (i = 0; i < s->rows; i++)
        dense_row(x + (size_t)i * s->cols, s->cols, s->background, s->col + s->start[i], s->value + s->start[i],
                  s->start[i + 1] - s->start[i]);
}

/* Columns per panel: two vectors (one 512-bit pair, or 256-bit, or 128-bit)
 * per accumulator, four accumulators, so that the registers hold them all. */
#if defined(__AVX512F__)
#define WIDE (128 / (int)sizeof(vdl_real))
#elif defined(__AVX__)
#define WIDE (64 / (int)sizeof(vdl_real))
#else
#define WIDE (32 / (int)sizeof(vdl_real))
#endif

static long panel_count(int N) { return ((long)N + WIDE - 1) / WIDE; }

/* Panels are WIDE columns wide, except a last one of at most WIDE / 2
 * columns, which is WIDE / 2 wide: N = 100 would otherwise spend a quarter
 * of its last 32-wide panel on 28 zero columns. */
static int panel_width(int N, long p) { return N - p * WIDE <= WIDE / 2 ? WIDE / 2 : WIDE; }

size_t vdl_sparse_scratch(int K, int N)
{
    return K >= 0 && N > 0 ? (size_t)panel_count(N) * WIDE * ((size_t)K + 1) : 0;
}

/* Rows k0 .. k1-1 of B (K x N) into every panel: panel p, w wide, holds
 * column p WIDE + j of row k at p K WIDE + k w + j, zero past column N. */
static void pack_rows(int N, int K, const vdl_real *B, vdl_real *packed, int k0, int k1)
{
    const long panels = panel_count(N);
    long p;
    int k, j;
    for (k = k0; k < k1; k++)
        for (p = 0; p < panels; p++) {
            const int w = panel_width(N, p), n = N - (int)p * WIDE < w ? N - (int)p * WIDE : w;
            vdl_real *restrict to = packed + (size_t)p * K * WIDE + (size_t)k * w;
            for (j = 0; j < n; j++)
                to[j] = B[(size_t)k * N + (size_t)p * WIDE + j];
            for (; j < w; j++)
                to[j] = 0;
        }
}

/* sum[0 .. w) = the column sums of a packed panel w wide, in row order. */
static void panel_sums(int K, int w, const vdl_real *restrict panel, vdl_real *restrict sum)
{
    int k, j;
    for (j = 0; j < w; j++)
        sum[j] = 0;
    for (k = 0; k < K; k++)
        for (j = 0; j < w; j++)
            sum[j] += panel[(size_t)k * w + j];
}

/* A function name(s, i, panel, sum, c, n): c[0 .. n) += row i of S times a
 * packed panel W wide (sum: its column sums); a macro, so that W is a
 * constant the compiler keeps the accumulators in registers for. A column
 * adds the entries' terms (value - background) x b in four partial sums,
 * entry e of the row in sum e mod 4 (independent chains of adds), then
 * (s0 + s1) + (s2 + s3) + background x column sum: a fixed order, the same
 * for either width. */
#define ROW_PANEL(name, W)                                                                                      \
    static void name(const vdl_sparse *s, int i, const vdl_real *restrict panel, const vdl_real *restrict sum,  \
                     vdl_real *restrict c, int n)                                                               \
    {                                                                                                           \
        vdl_real s0[W] = {0}, s1[W] = {0}, s2[W] = {0}, s3[W] = {0};                                            \
        vdl_real *const part[4] = {s0, s1, s2, s3};                                                             \
        const vdl_real v = s->background;                                                                       \
        const size_t first = s->start[i], end = s->start[i + 1];                                                \
        size_t e = first;                                                                                       \
        int j;                                                                                                  \
        for (; e + 4 <= end; e += 4) {                                                                          \
            const vdl_real *b0 = panel + (size_t)s->col[e] * (W), *b1 = panel + (size_t)s->col[e + 1] * (W);    \
            const vdl_real *b2 = panel + (size_t)s->col[e + 2] * (W), *b3 = panel + (size_t)s->col[e + 3] * (W);\
            const vdl_real d0 = s->value[e] - v, d1 = s->value[e + 1] - v;                                      \
            const vdl_real d2 = s->value[e + 2] - v, d3 = s->value[e + 3] - v;                                  \
            for (j = 0; j < (W); j++)                                                                           \
                s0[j] += d0 * b0[j];                                                                            \
            for (j = 0; j < (W); j++)                                                                           \
                s1[j] += d1 * b1[j];                                                                            \
            for (j = 0; j < (W); j++)                                                                           \
                s2[j] += d2 * b2[j];                                                                            \
            for (j = 0; j < (W); j++)                                                                           \
                s3[j] += d3 * b3[j];                                                                            \
        }                                                                                                       \
        for (; e < end; e++) { /* the last entries, each in the partial sum of its place */                     \
            const vdl_real d = s->value[e] - v, *b = panel + (size_t)s->col[e] * (W);                           \
            vdl_real *const to = part[(e - first) & 3];                                                         \
            for (j = 0; j < (W); j++)                                                                           \
                to[j] += d * b[j];                                                                              \
        }                                                                                                       \
        for (j = 0; j < n; j++)                                                                                 \
            c[j] += ((s0[j] + s1[j]) + (s2[j] + s3[j])) + v * sum[j];                                           \
    }

ROW_PANEL(row_panel, WIDE)
ROW_PANEL(row_half_panel, WIDE / 2)

#define PACK_ROWS 32 /* rows of B per share of the packing */

void vdl_sparse_matmul(const vdl_sparse *s, int N, const vdl_real *B, vdl_real *C, vdl_real *scratch)
{
    const int K = s->cols, rows = s->rows;
    const long panels = panel_count(N), k_blocks = (K + PACK_ROWS - 1) / PACK_ROWS;
    vdl_real *packed, *sums;
    if (rows <= 0 || N <= 0) /* scratch may be NULL then (vdl_sparse_scratch is 0) */
        return;
    packed = scratch;
    sums = scratch + (size_t)panels * K * WIDE;
    VDL_OMP(omp parallel if ((double)(s->start[rows] + (size_t)K) * N > 4.0 * VDL_PAR_MIN))
    {
        long b, p, i;
        VDL_OMP(omp for schedule(static))
        for (b = 0; b < k_blocks; b++)
            pack_rows(N, K, B, packed, (int)b * PACK_ROWS, (int)(b + 1) * PACK_ROWS < K ? (int)(b + 1) * PACK_ROWS : K);
        VDL_OMP(omp for schedule(static))
        for (b = 0; b < panels; b++)
            panel_sums(K, panel_width(N, b), packed + (size_t)b * K * WIDE, sums + (size_t)b * WIDE);
        /* panel by panel, the rows shared among threads in each (a last
         * panel of half the width would leave a split by panels uneven);
         * no barrier between panels, as no item reads another's output */
        for (p = 0; p < panels; p++) {
            const int w = panel_width(N, p), n = N - (int)p * WIDE < w ? N - (int)p * WIDE : w;
            const vdl_real *panel = packed + (size_t)p * K * WIDE, *sum = sums + (size_t)p * WIDE;
            VDL_OMP(omp for schedule(static) nowait)
            for (i = 0; i < rows; i++) {
                vdl_real *c = C + (size_t)i * N + (size_t)p * WIDE;
                if (w == WIDE)
                    row_panel(s, (int)i, panel, sum, c, n);
                else
                    row_half_panel(s, (int)i, panel, sum, c, n);
            }
        }
    }
}
