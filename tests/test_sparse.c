/*
 * test_sparse.c: matrices kept as their entries off a background value
 * (core/vdl_sparse.h): the majority vote, the conversions (dense and back,
 * row picks, transposes) exactly, products against a double-precision
 * reference on shapes that hit every panel edge, the same bytes for 1 and 2
 * threads, and the matmul op on a sparse leaf against the same op on a
 * dense one, its weight gradient also against central differences. Built on
 * the float engine and on the double one.
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

/* A dense matrix, its sparse forms, and the arrays behind them. */
typedef struct sample {
    int rows, cols;
    vdl_real *x;
    vdl_sparse_view view;
    size_t *start[2];
    int *col[2];
    vdl_real *value[2];
} sample;

/* rows x cols with about `share` of the entries off `background`: those are
 * normals (never equal to it), the rest the background exactly. */
static void sample_make(sample *s, int rows, int cols, double share, vdl_real background, uint64_t stream)
{
    const size_t n = (size_t)rows * cols;
    size_t i, entries;
    vdl_rng rng;
    memset(s, 0, sizeof *s);
    s->rows = rows;
    s->cols = cols;
    s->x = vdl_calloc(n ? n : 1, sizeof *s->x);
    assert_non_null(s->x);
    vdl_rng_normals(5, stream, s->x, n);
    vdl_rng_init(&rng, 6, stream);
    for (i = 0; i < n; i++)
        if (vdl_rng_uniform(&rng) >= share || s->x[i] == background)
            s->x[i] = background;
    entries = vdl_sparse_count(s->x, n, background);
    for (i = 0; i < 2; i++) {
        s->start[i] = vdl_calloc((size_t)(i ? cols : rows) + 1, sizeof *s->start[i]);
        s->col[i] = vdl_calloc(entries + 1, sizeof *s->col[i]); /* + vdl_sparse_fill's spare */
        s->value[i] = vdl_calloc(entries + 1, sizeof *s->value[i]);
        assert_true(s->start[i] && s->col[i] && s->value[i]);
    }
    vdl_sparse_fill(&s->view.s, s->x, rows, cols, background, s->start[0], s->col[0], s->value[0]);
    vdl_sparse_transpose(&s->view.s, &s->view.st, s->start[1], s->col[1], s->value[1]);
}

static void sample_free(sample *s)
{
    int i;
    vdl_free(s->x);
    for (i = 0; i < 2; i++) {
        vdl_free(s->start[i]);
        vdl_free(s->col[i]);
        vdl_free(s->value[i]);
    }
}

static vdl_real *normals(size_t n, uint64_t stream)
{
    vdl_real *x = vdl_calloc(n ? n : 1, sizeof *x);
    assert_non_null(x);
    vdl_rng_normals(7, stream, x, n);
    return x;
}

static void majority_vote(void **state)
{
    const vdl_real nan = (vdl_real)NAN;
    const vdl_real three[] = {1, 2, 1}, halves[] = {1, 2, 2, 1}, nans[] = {nan, nan, nan};
    const vdl_real zeros[] = {(vdl_real)-0.0, 0, 5, 0}, late[] = {3, 4, 5, 5, 5};
    const vdl_real hidden[] = {1, 7, 2, 7, 3, 7, 4, 7, 7}; /* every probed place (0, 2, 4, 6) misses it */
    const vdl_real nan_first[] = {nan, 1, 2, 1, 3, 1, 4, 1, 1};
    vdl_real v = 42;
    (void)state;
    assert_int_equal(vdl_majority_value(three, 3, &v), 1);
    assert_true(v == 1);
    assert_int_equal(vdl_majority_value(late, 5, &v), 1);
    assert_true(v == 5);
    assert_int_equal(vdl_majority_value(hidden, 9, &v), 1);
    assert_true(v == 7);
    assert_int_equal(vdl_majority_value(hidden, 8, &v), 0); /* 4 of 8 */
    assert_int_equal(vdl_majority_value(nan_first, 9, &v), 1); /* a NaN where a vote restarts */
    assert_true(v == 1);
    v = 42;
    assert_int_equal(vdl_majority_value(halves, 4, &v), 0); /* half is not more than half */
    assert_int_equal(vdl_majority_value(nans, 3, &v), 0);
    assert_int_equal(vdl_majority_value(three, 0, &v), 0);
    assert_true(v == 42); /* untouched when there is none */
    assert_int_equal(vdl_majority_value(zeros, 4, &v), 1); /* -0 == +0 */
    assert_true(v == 0);
}

/* Dense -> sparse -> dense, its transpose, and picked rows: exactly. */
static void conversions_are_exact(void **state)
{
    const int rows = 9, cols = 13, pick[] = {4, 0, 4, 8};
    sample s;
    vdl_real back[9 * 13], tback[13 * 9], picked[4 * 13];
    size_t pstart[5];
    int pcol[4 * 13], i, k;
    vdl_real pvalue[4 * 13];
    vdl_sparse p;
    (void)state;
    sample_make(&s, rows, cols, 0.3, (vdl_real)-0.42, 1);
    assert_true(s.view.s.start[rows] > 0 && s.view.s.start[rows] < (size_t)rows * cols);
    vdl_sparse_to_dense(&s.view.s, back);
    assert_memory_equal(back, s.x, sizeof back);
    vdl_sparse_to_dense(&s.view.st, tback);
    for (i = 0; i < rows; i++)
        for (k = 0; k < cols; k++)
            assert_true(tback[(size_t)k * rows + i] == s.x[(size_t)i * cols + k]);
    for (k = 0; k < cols; k++) /* a transpose's rows list their entries in row order */
        for (i = (int)s.view.st.start[k] + 1; i < (int)s.view.st.start[k + 1]; i++)
            assert_true(s.view.st.col[i - 1] < s.view.st.col[i]);
    vdl_sparse_gather(&s.view.s, pick, 4, &p, pstart, pcol, pvalue, picked);
    assert_int_equal(p.rows, 4);
    for (i = 0; i < 4; i++) /* the dense rows written alongside */
        assert_memory_equal(picked + (size_t)i * cols, s.x + (size_t)pick[i] * cols, cols * sizeof *picked);
    memset(picked, 0, sizeof picked);
    vdl_sparse_gather(&s.view.s, pick, 4, &p, pstart, pcol, pvalue, NULL);
    vdl_sparse_to_dense(&p, picked); /* and the picked entries themselves */
    for (i = 0; i < 4; i++)
        assert_memory_equal(picked + (size_t)i * cols, s.x + (size_t)pick[i] * cols, cols * sizeof *picked);
    sample_free(&s);
}

/* C0 + S B against a double-precision sum over the dense matrix. */
static void check_product(int rows, int K, int N, double share, vdl_real background)
{
    sample s;
    vdl_real *b = normals((size_t)K * N, 2), *c = normals((size_t)rows * N, 3), *c0 = normals((size_t)rows * N, 3);
    vdl_real *scratch = vdl_calloc(vdl_sparse_scratch(K, N) + 1, sizeof *scratch);
    int i, j, k;
    assert_non_null(scratch);
    sample_make(&s, rows, K, share, background, 4);
    vdl_sparse_matmul(&s.view.s, N, b, c, scratch);
    for (i = 0; i < rows; i++)
        for (j = 0; j < N; j++) {
            double want = c0[(size_t)i * N + j], size = fabs(want);
            for (k = 0; k < K; k++) {
                const double x = s.x[(size_t)i * K + k], term = x * b[(size_t)k * N + j];
                want += term;
                /* the background's terms are summed as v sum(b): their size
                 * counts the subtraction x - v and that sum, not x b */
                size += fabs(term) + fabs((double)background * b[(size_t)k * N + j]);
            }
            if (fabs(c[(size_t)i * N + j] - want) > 1e-9 + 4 * REAL_EPS * (K + 4) * size)
                fail_msg("%dx%dx%d share %g background %g: C[%d][%d] = %.9g, want %.9g", rows, K, N, share,
                         (double)background, i, j, (double)c[(size_t)i * N + j], want);
        }
    sample_free(&s);
    vdl_free(b);
    vdl_free(c);
    vdl_free(c0);
    vdl_free(scratch);
}

static void products_match_reference(void **state)
{
    /* N around every panel width (8, 16, 32 reals) and the model's 100; K and
     * rows from 1 up; rows with 0 to 3 entries past a multiple of four */
    static const int shapes[][3] = {{1, 1, 1},   {3, 7, 8},    {5, 13, 15}, {4, 9, 16},  {6, 30, 17},
                                    {2, 5, 31},  {7, 40, 32},  {3, 11, 33}, {9, 50, 64}, {17, 784, 100},
                                    {40, 100, 10}, {1, 0, 5}};
    static const double shares[] = {0.2, 1.0, 0.0};
    size_t i, j;
    (void)state;
    for (i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        for (j = 0; j < 3; j++) {
            check_product(shapes[i][0], shapes[i][1], shapes[i][2], shares[j], (vdl_real)-0.4242);
            check_product(shapes[i][0], shapes[i][1], shapes[i][2], shares[j], 0);
        }
}

/* A product big enough to run on both threads gives the same bytes on one. */
static void same_bytes_for_any_thread_count(void **state)
{
    const int rows = 256, K = 300, N = 100;
    sample s;
    vdl_real *b = normals((size_t)K * N, 8);
    vdl_real *c1 = vdl_calloc((size_t)rows * N, sizeof *c1), *c2 = vdl_calloc((size_t)rows * N, sizeof *c2);
    vdl_real *scratch = vdl_calloc(vdl_sparse_scratch(K, N), sizeof *scratch);
    (void)state;
    assert_true(c1 && c2 && scratch);
    sample_make(&s, rows, K, 0.2, (vdl_real)-0.4242, 9);
    vdl_set_threads(1);
    vdl_sparse_matmul(&s.view.s, N, b, c1, scratch);
    vdl_set_threads(2);
    vdl_sparse_matmul(&s.view.s, N, b, c2, scratch);
    vdl_set_threads(0);
    assert_memory_equal(c1, c2, (size_t)rows * N * sizeof *c1);
    sample_free(&s);
    vdl_free(b);
    vdl_free(c1);
    vdl_free(c2);
    vdl_free(scratch);
}

/* A transpose big enough to run on both threads (its columns split between
 * them, some empty, the entries bunched in the middle ones) gives on 2 and 3
 * threads the same bytes as on one, and that is the transpose. */
static void transposes_alike_on_any_thread_count(void **state)
{
    /* (not 7 threads: LLVM's libomp then leaves thread structures that
     * LeakSanitizer reports, in the ASan build of .ci/run) */
    const int rows = 300, cols = 500, threads[2] = {2, 3};
    const size_t n = (size_t)rows * cols;
    const vdl_real bg = (vdl_real)-0.4242;
    vdl_real *x = normals(n, 10), *value[3], *back = vdl_calloc(n, sizeof *back);
    size_t *start[3], i;
    int *col[3], k, r;
    vdl_sparse s, t[2];
    (void)state;
    for (r = 0; r < 3; r++) { /* room for every entry: the row form, two transposes */
        start[r] = vdl_calloc((size_t)(r ? cols : rows) + 1, sizeof *start[r]);
        col[r] = vdl_calloc(n + 1, sizeof *col[r]);
        value[r] = vdl_calloc(n + 1, sizeof *value[r]);
        assert_true(start[r] && col[r] && value[r]);
    }
    assert_true(x && back);
    for (i = 0; i < n; i++) { /* columns 0..29 and 450..499 empty, 200..259 full, the rest 1 in 3 */
        k = (int)(i % (size_t)cols);
        if (k < 30 || k >= 450 || ((k < 200 || k >= 260) && i % 3 != 0))
            x[i] = bg;
        else if (x[i] == bg)
            x[i] = 1;
    }
    vdl_sparse_fill(&s, x, rows, cols, bg, start[0], col[0], value[0]);
    assert_true(s.start[rows] > VDL_PAR_MIN / 4); /* past the threshold for threads */
    vdl_set_threads(1);
    vdl_sparse_transpose(&s, &t[0], start[1], col[1], value[1]);
    for (r = 0; r < 2; r++) {
        vdl_set_threads(threads[r]);
        memset(col[2], 0, (n + 1) * sizeof *col[2]);
        vdl_sparse_transpose(&s, &t[1], start[2], col[2], value[2]);
        assert_memory_equal(start[1], start[2], ((size_t)cols + 1) * sizeof *start[1]);
        assert_memory_equal(col[1], col[2], s.start[rows] * sizeof *col[1]);
        assert_memory_equal(value[1], value[2], s.start[rows] * sizeof *value[1]);
    }
    vdl_set_threads(0);
    assert_int_equal(vdl_sparse_check(&t[1]), VDL_OK);
    vdl_sparse_to_dense(&t[1], back);
    for (i = 0; i < n; i++)
        assert_true(back[i % (size_t)cols * (size_t)rows + i / (size_t)cols] == x[i]);
    for (r = 0; r < 3; r++) {
        vdl_free(start[r]);
        vdl_free(col[r]);
        vdl_free(value[r]);
    }
    vdl_free(x);
    vdl_free(back);
}

/* sum(op(X) W o R) on a fresh tape, X a sparse leaf of shape xs: the loss
 * the central differences below take (W k x n, R m x n). */
static double sparse_loss(vdl_tape *t, vdl_shape xs, sample *s, vdl_real *w, vdl_real *r, int ta, int k, int n)
{
    const int m = ta ? xs.dim[1] : xs.dim[0];
    vdl_node *y;
    vdl_tape_reset(t);
    y = vdl_matmul(t, vdl_leaf_sparse(t, xs, s->x, &s->view), vdl_leaf(t, vdl_shape2(k, n), w, NULL), ta, 0);
    return vdl_sum_all(t, vdl_mul(t, y, vdl_leaf(t, vdl_shape2(m, n), r, NULL)))->value[0];
}

/* loss = sum(op(X) W o R) on a sparse leaf X and on a dense one: values and
 * dW close; dW also against central differences (the sparse path's own). */
static void matmul_op_on_a_sparse_leaf(void **state)
{
    const int m = 6, k = 23, n = 19;
    int ta;
    (void)state;
    for (ta = 0; ta < 2; ta++) {
        sample s;
        vdl_tape *t = vdl_tape_new();
        vdl_real *w = normals((size_t)k * n, 10), *r = normals((size_t)m * n, 11);
        vdl_real *gs = vdl_calloc((size_t)k * n, sizeof *gs), *gd = vdl_calloc((size_t)k * n, sizeof *gd);
        const vdl_shape xs = ta ? vdl_shape2(k, m) : vdl_shape2(m, k);
        vdl_node *sparse_out, *dense_out, *ls, *ld;
        size_t i;
        double h = sizeof(vdl_real) == sizeof(float) ? 1e-2 : 1e-6;
        assert_true(t && gs && gd);
        sample_make(&s, xs.dim[0], xs.dim[1], 0.25, (vdl_real)-0.4242, 12 + (uint64_t)ta);
        sparse_out = vdl_matmul(t, vdl_leaf_sparse(t, xs, s.x, &s.view), vdl_leaf(t, vdl_shape2(k, n), w, gs), ta, 0);
        dense_out = vdl_matmul(t, vdl_leaf(t, xs, s.x, NULL), vdl_leaf(t, vdl_shape2(k, n), w, gd), ta, 0);
        assert_true(sparse_out && dense_out);
        for (i = 0; i < (size_t)m * n; i++) {
            const double want = dense_out->value[i];
            assert_true(fabs(sparse_out->value[i] - want) <= 1e-4 * (1 + fabs(want)));
        }
        ls = vdl_sum_all(t, vdl_mul(t, sparse_out, vdl_leaf(t, vdl_shape2(m, n), r, NULL)));
        ld = vdl_sum_all(t, vdl_mul(t, dense_out, vdl_leaf(t, vdl_shape2(m, n), r, NULL)));
        assert_int_equal(vdl_backward(t, ls), VDL_OK);
        assert_int_equal(vdl_backward(t, ld), VDL_OK);
        for (i = 0; i < (size_t)k * n; i++)
            assert_true(fabs((double)gs[i] - gd[i]) <= 1e-4 * (1 + fabs(gd[i])));
        for (i = 0; i < (size_t)k * n; i += 7) { /* central differences of the sparse path */
            const vdl_real keep = w[i];
            double up, down;
            w[i] = (vdl_real)(keep + h);
            up = sparse_loss(t, xs, &s, w, r, ta, k, n);
            w[i] = (vdl_real)(keep - h);
            down = sparse_loss(t, xs, &s, w, r, ta, k, n);
            w[i] = keep;
            assert_true(fabs((up - down) / (2 * h) - gs[i]) <= (sizeof(vdl_real) == sizeof(float) ? 2e-2 : 1e-7));
        }
        sample_free(&s);
        vdl_free(w);
        vdl_free(r);
        vdl_free(gs);
        vdl_free(gd);
        vdl_tape_free(t);
    }
}

/* A sparse leaf given no dense values: matmul with B as it is reads none
 * (forward and dB, the same bytes as with them) and makes none; a transposed
 * B, and any other op, gets them made from the sparse form, exactly. */
static void leaf_without_dense_values(void **state)
{
    const int m = 5, k = 11, n = 4;
    const vdl_shape xs = vdl_shape2(m, k);
    sample s;
    vdl_tape *t = vdl_tape_new();
    vdl_real *w = normals((size_t)k * n, 15), *wt = normals((size_t)n * k, 16);
    vdl_real *g_only = vdl_calloc((size_t)k * n, sizeof *g_only), *g_both = vdl_calloc((size_t)k * n, sizeof *g_both);
    vdl_node *bare, *full, *y_bare, *y_full;
    (void)state;
    assert_true(t && g_only && g_both);
    sample_make(&s, m, k, 0.3, (vdl_real)-0.4242, 17);
    bare = vdl_leaf_sparse(t, xs, NULL, &s.view);
    full = vdl_leaf_sparse(t, xs, s.x, &s.view);
    y_bare = vdl_matmul(t, bare, vdl_leaf(t, vdl_shape2(k, n), w, g_only), 0, 0);
    y_full = vdl_matmul(t, full, vdl_leaf(t, vdl_shape2(k, n), w, g_both), 0, 0);
    assert_true(y_bare && y_full);
    assert_memory_equal(y_bare->value, y_full->value, (size_t)m * n * sizeof *y_bare->value);
    assert_int_equal(vdl_backward(t, vdl_sum_all(t, y_bare)), VDL_OK);
    assert_int_equal(vdl_backward(t, vdl_sum_all(t, y_full)), VDL_OK);
    assert_memory_equal(g_only, g_both, (size_t)k * n * sizeof *g_only);
    assert_null(bare->value); /* nothing needed the dense values */
    y_bare = vdl_matmul(t, bare, vdl_leaf(t, vdl_shape2(n, k), wt, NULL), 0, 1);
    y_full = vdl_matmul(t, full, vdl_leaf(t, vdl_shape2(n, k), wt, NULL), 0, 1);
    assert_true(y_bare && y_full && bare->value);
    assert_memory_equal(bare->value, s.x, (size_t)m * k * sizeof *s.x); /* made for the dense path */
    assert_memory_equal(y_bare->value, y_full->value, (size_t)m * n * sizeof *y_bare->value);
    bare = vdl_leaf_sparse(t, xs, NULL, &s.view);
    y_bare = vdl_relu(t, bare); /* an op that reads dense values only */
    assert_true(y_bare && bare->value);
    assert_memory_equal(bare->value, s.x, (size_t)m * k * sizeof *s.x);
    sample_free(&s);
    vdl_free(w);
    vdl_free(wt);
    vdl_free(g_only);
    vdl_free(g_both);
    vdl_tape_free(t);
}

/* A transposed B keeps the dense path (the same bytes as a dense leaf); a
 * view of another shape, or a malformed one, is refused. */
static void dense_fallback_and_bad_views(void **state)
{
    const int m = 4, k = 9, n = 5;
    sample s;
    vdl_tape *t = vdl_tape_new();
    vdl_real *w = normals((size_t)n * k, 13);
    vdl_node *a, *b;
    (void)state;
    assert_non_null(t);
    sample_make(&s, m, k, 0.3, 0, 14);
    a = vdl_matmul(t, vdl_leaf_sparse(t, vdl_shape2(m, k), s.x, &s.view), vdl_leaf(t, vdl_shape2(n, k), w, NULL), 0, 1);
    b = vdl_matmul(t, vdl_leaf(t, vdl_shape2(m, k), s.x, NULL), vdl_leaf(t, vdl_shape2(n, k), w, NULL), 0, 1);
    assert_true(a && b);
    assert_memory_equal(a->value, b->value, (size_t)m * n * sizeof *a->value);
    assert_null(vdl_leaf_sparse(t, vdl_shape2(k, m), s.x, &s.view));
    assert_non_null(strstr(vdl_error(), "does not match"));
    assert_null(vdl_leaf_sparse(t, vdl_shape1(m * k), s.x, &s.view));
    assert_null(vdl_leaf_sparse(t, vdl_shape2(m, k), s.x, NULL));
    { /* a 0 x 3 matrix: well-formed forms, but shapes need every dimension >= 1 */
        static const size_t none[4] = {0, 0, 0, 0};
        vdl_sparse_view empty;
        memset(&empty, 0, sizeof empty);
        empty.s.cols = empty.st.rows = 3;
        empty.s.start = empty.st.start = none;
        assert_int_equal(vdl_sparse_check(&empty.s), VDL_OK);
        assert_int_equal(vdl_sparse_check(&empty.st), VDL_OK);
        assert_null(vdl_leaf_sparse(t, vdl_shape2(0, 3), NULL, &empty));
        assert_non_null(strstr(vdl_error(), "invalid shape"));
    }
    { /* malformed forms are refused, naming the row; the view is restored after each */
        int *col = (int *)s.view.s.col, keep;
        size_t *start = (size_t *)s.view.st.start, kept;
        assert_int_equal(vdl_sparse_check(&s.view.s), VDL_OK);
        assert_int_equal(vdl_sparse_check(&s.view.st), VDL_OK);
        assert_true(s.view.s.start[1] > 0); /* row 0 lists an entry */
        keep = col[0];
        col[0] = k; /* outside 0..k-1 */
        assert_null(vdl_leaf_sparse(t, vdl_shape2(m, k), s.x, &s.view));
        assert_non_null(strstr(vdl_error(), "row 0"));
        col[0] = -1;
        assert_int_equal(vdl_sparse_check(&s.view.s), VDL_EINVAL);
        col[0] = keep;
        if (s.view.s.start[1] > 1) { /* columns out of order */
            keep = col[1];
            col[1] = col[0];
            assert_int_equal(vdl_sparse_check(&s.view.s), VDL_EINVAL);
            col[1] = keep;
        }
        kept = start[2];
        start[2] = start[1] > 0 ? start[1] - 1 : 0; /* the transpose's offsets go back */
        if (start[2] != kept) {
            assert_null(vdl_leaf_sparse(t, vdl_shape2(m, k), s.x, &s.view));
            assert_int_equal(vdl_sparse_check(&s.view.st), VDL_EINVAL);
        }
        start[2] = kept;
        assert_non_null(vdl_leaf_sparse(t, vdl_shape2(m, k), s.x, &s.view));
    }
    sample_free(&s);
    vdl_free(w);
    vdl_tape_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(majority_vote),
        cmocka_unit_test(conversions_are_exact),
        cmocka_unit_test(products_match_reference),
        cmocka_unit_test(same_bytes_for_any_thread_count),
        cmocka_unit_test(transposes_alike_on_any_thread_count),
        cmocka_unit_test(matmul_op_on_a_sparse_leaf),
        cmocka_unit_test(leaf_without_dense_values),
        cmocka_unit_test(dense_fallback_and_bad_views),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
