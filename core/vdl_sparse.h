/*
 * vdl_sparse.h: a matrix kept as the entries that differ from one background
 * value, and its products with dense matrices.
 *
 * Images are mostly background: a standardized MNIST digit has about 19% of
 * its pixels away from the background value v. With X = v 1 1^T + D, D
 * sparse, the first layer's products need only D's entries:
 *     X B = D B + v 1 (1^T B)
 * and X^T G is the same product for X's transpose. The sums equal the dense
 * ones up to rounding (not bytes: the background's terms come in as one
 * product v s_j). Each element of a result adds its terms in one fixed order,
 * so the number of threads does not change it. NaN and Inf stay non-finite,
 * though not always the same: an Inf in B under a nonzero background gives
 * v x Inf - v x Inf = NaN where the dense product gives Inf.
 */
#ifndef VDL_SPARSE_H
#define VDL_SPARSE_H

#include "vdl_base.h"

/* Row i's listed entries are start[i] .. start[i+1]-1: column col[e] holds
 * value[e]; columns ascend within a row; every other entry equals the
 * background (entries == background are not listed). The arrays belong to
 * whoever filled them. */
typedef struct vdl_sparse {
    int rows, cols;
    vdl_real background;
    const size_t *start; /* rows + 1 offsets */
    const int *col;
    const vdl_real *value;
} vdl_sparse;

/* A matrix's sparse form and its transpose's, for products on either side
 * (the matmul op uses them when a leaf carries them: vdl_leaf_sparse). */
typedef struct vdl_sparse_view {
    vdl_sparse s;  /* the matrix */
    vdl_sparse st; /* its transpose */
} vdl_sparse_view;

/* 1 and *value = the value held by more than half of x[0..n), else 0 (no
 * such value, or n = 0). NaN is never a majority; -0 and +0 count as equal. */
int vdl_majority_value(const vdl_real *x, size_t n, vdl_real *value);

/* VDL_OK if *s is well formed (offsets from 0 that never go back, columns
 * inside 0..cols-1 and ascending within each row), else VDL_EINVAL naming
 * the first fault. O(entries); it does not look at the values. */
int vdl_sparse_check(const vdl_sparse *s);

/* Entries of x[0..n) that differ from `background`. */
size_t vdl_sparse_count(const vdl_real *x, size_t n, vdl_real background);

/* *s = the dense rows x cols matrix x, in start (rows + 1), col and value
 * (room for vdl_sparse_count entries and one spare each). */
void vdl_sparse_fill(vdl_sparse *s, const vdl_real *x, int rows, int cols, vdl_real background, size_t *start,
                     int *col, vdl_real *value);

/* *out = rows pick[0..count) of *src (repeats allowed; each in 0..rows-1), in
 * start (count + 1), col and value (room for their entries); and, unless
 * dense is NULL, the same rows dense into dense (count x cols). */
void vdl_sparse_gather(const vdl_sparse *src, const int *pick, int count, vdl_sparse *out, size_t *start,
                       int *col, vdl_real *value, vdl_real *dense);

/* *t = S^T, in start (S->cols + 1), col and value (S's entry count each);
 * each row of S^T in S's row order. On all threads for many entries. */
void vdl_sparse_transpose(const vdl_sparse *s, vdl_sparse *t, size_t *start, int *col, vdl_real *value);

/* x[0 .. rows x cols) = S, dense and row-major. */
void vdl_sparse_to_dense(const vdl_sparse *s, vdl_real *x);

/* Reals of scratch that vdl_sparse_matmul needs for a K x N right operand. */
size_t vdl_sparse_scratch(int K, int N);

/* C[rows, N] += S B, B row-major K x N with K = S->cols; scratch holds
 * vdl_sparse_scratch(K, N) reals. For S^T G use the transpose's form. */
void vdl_sparse_matmul(const vdl_sparse *s, int N, const vdl_real *B, vdl_real *C, vdl_real *scratch);

#endif
