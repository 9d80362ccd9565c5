/*
 * test_gemm.c: the blocked matmul kernel against a plain double-precision
 * triple loop, for every transpose combination and for sizes that hit every
 * edge of the blocking (partial row blocks, partial column panels, more than
 * one k block and more than one column block); the same bytes for 1 and
 * 2 threads; and the same bytes from the one-row path (M = 1, B read in
 * place) as from the blocked path.
 */
#include "vdl.h"

#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#define REAL_EPS (sizeof(vdl_real) == sizeof(float) ? FLT_EPSILON : DBL_EPSILON)

typedef struct sizes {
    int m, n, k;
} sizes;

/* small, odd, and beyond the kernel's 6-row, 256-k and 512-column blocks;
 * narrow last panels (N % 16 of 1 to 8) under row blocks that end early or
 * exactly; M = 512, where a transposed A (a 2 KiB row stride) is copied per
 * block; one row (M = 1) over two k blocks or two column blocks; row blocks
 * split in halves over two column blocks */
static const sizes cases[] = {{1, 1, 1},    {5, 3, 2},     {6, 16, 7},    {7, 17, 300},  {13, 9, 513},
                              {2, 530, 40}, {31, 33, 65},  {64, 100, 784}, {12, 8, 3},   {25, 24, 260},
                              {18, 516, 9}, {24, 104, 17}, {512, 20, 300}, {1, 530, 300}, {1, 20, 513},
                              {40, 600, 50}};

static vdl_real *random_matrix(size_t n, uint64_t stream)
{
    vdl_real *x = vdl_calloc(n, sizeof *x);
    assert_non_null(x);
    vdl_rng_normals(11, stream, x, n);
    return x;
}

/* Element (r, c) of op(X) for X stored rows x cols (transposed: cols x rows). */
static double at(const vdl_real *x, int t, int cols_of_op, int rows_of_op, int r, int c)
{
    return t ? x[(size_t)c * rows_of_op + r] : x[(size_t)r * cols_of_op + c];
}

static void check_case(const sizes *s, int ta, int tb)
{
    const size_t mk = (size_t)s->m * s->k, kn = (size_t)s->k * s->n, mn = (size_t)s->m * s->n;
    vdl_real *a = random_matrix(mk, 1), *b = random_matrix(kn, 2), *c = random_matrix(mn, 3);
    vdl_real *c0 = random_matrix(mn, 3);
    vdl_real *scratch = vdl_calloc(vdl_gemm_scratch(s->n, s->k), sizeof *scratch);
    int i, j, k;
    assert_non_null(scratch);
    vdl_gemm(ta, tb, s->m, s->n, s->k, a, b, c, scratch);
    for (i = 0; i < s->m; i++)
        for (j = 0; j < s->n; j++) {
            double want = c0[(size_t)i * s->n + j], size = fabs(want);
            for (k = 0; k < s->k; k++) {
                double term = at(a, ta, s->k, s->m, i, k) * at(b, tb, s->n, s->k, k, j);
                want += term;
                size += fabs(term);
            }
            /* float rounding of a K-term sum: well inside K * eps * sum |terms| */
            if (fabs(c[(size_t)i * s->n + j] - want) > 1e-6 + 4 * REAL_EPS * s->k * size)
                fail_msg("%dx%dx%d ta=%d tb=%d: C[%d][%d] = %.9g, want %.9g", s->m, s->n, s->k, ta, tb, i, j,
                         (double)c[(size_t)i * s->n + j], want);
        }
    vdl_free(a);
    vdl_free(b);
    vdl_free(c);
    vdl_free(c0);
    vdl_free(scratch);
}

static void matches_reference(void **state)
{
    size_t i;
    int t;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (t = 0; t < 4; t++)
            check_case(&cases[i], t & 1, t >> 1);
}

/* 1 and 2 threads on products large enough to run in parallel: 50 row blocks,
 * and 7 row blocks split in halves over two column blocks whose last panel is
 * narrow (600 = 512 + 5 x 16 + 8). */
static void same_bytes_for_any_thread_count(void **state)
{
    static const sizes shapes[] = {{300, 130, 700}, {40, 600, 50}};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        const int m = shapes[i].m, n = shapes[i].n, k = shapes[i].k;
        vdl_real *a = random_matrix((size_t)m * k, 4), *b = random_matrix((size_t)k * n, 5);
        vdl_real *c1 = vdl_calloc((size_t)m * n, sizeof *c1), *c2 = vdl_calloc((size_t)m * n, sizeof *c2);
        vdl_real *scratch = vdl_calloc(vdl_gemm_scratch(n, k), sizeof *scratch);
        assert_true(c1 && c2 && scratch);
        vdl_set_threads(1);
        vdl_gemm(0, 0, m, n, k, a, b, c1, scratch);
        vdl_set_threads(2);
        vdl_gemm(0, 0, m, n, k, a, b, c2, scratch);
        vdl_set_threads(0);
        assert_memory_equal(c1, c2, (size_t)m * n * sizeof *c1);
        vdl_free(a);
        vdl_free(b);
        vdl_free(c1);
        vdl_free(c2);
        vdl_free(scratch);
    }
}

/* Row 0 of a 2-row product (the blocked path) against the same row as a
 * 1-row product (the one-row path), for each transpose, onto the same
 * nonzero C: identical bytes, the one-row product on 2 threads. */
static void one_row_same_bytes_as_blocked(void **state)
{
    const int n = 530, k = 600; /* two column blocks, three k blocks, parallel */
    vdl_real *a = random_matrix((size_t)2 * k, 6), *b = random_matrix((size_t)k * n, 7);
    vdl_real *row = vdl_calloc((size_t)k, sizeof *row);
    vdl_real *scratch = vdl_calloc(vdl_gemm_scratch(n, k), sizeof *scratch);
    int t, i;
    (void)state;
    assert_true(row && scratch);
    for (t = 0; t < 4; t++) {
        const int ta = t & 1, tb = t >> 1;
        vdl_real *one = random_matrix((size_t)n, 8), *two = random_matrix((size_t)2 * n, 8);
        for (i = 0; i < k; i++) /* row 0 of op(A): A stored 2 x k, or k x 2 when ta */
            row[i] = ta ? a[(size_t)i * 2] : a[i];
        vdl_set_threads(1);
        vdl_gemm(ta, tb, 2, n, k, a, b, two, scratch);
        vdl_set_threads(2);
        vdl_gemm(ta, tb, 1, n, k, row, b, one, scratch);
        vdl_set_threads(0);
        assert_memory_equal(one, two, (size_t)n * sizeof *one);
        vdl_free(one);
        vdl_free(two);
    }
    vdl_free(a);
    vdl_free(b);
    vdl_free(row);
    vdl_free(scratch);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matches_reference),
        cmocka_unit_test(same_bytes_for_any_thread_count),
        cmocka_unit_test(one_row_same_bytes_as_blocked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
