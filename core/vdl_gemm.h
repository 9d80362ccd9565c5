/*
 * vdl_gemm.h: the matrix-multiply kernel behind the matmul op, public so that
 * plugin ops can use it too.
 */
#ifndef VDL_GEMM_H
#define VDL_GEMM_H

#include "vdl_base.h"

/* C[M,N] += op(A) op(B), row-major, where op(A) is M x K and op(B) is K x N.
 * A is stored M x K, or K x M when ta; B is stored K x N, or N x K when tb.
 * `scratch` must hold vdl_gemm_scratch(N, K) reals (op(B) is repacked into
 * it). Each C element sums its K terms in one fixed order, so the result is
 * the same for any number of threads. */
void vdl_gemm(int ta, int tb, int M, int N, int K, const vdl_real *A, const vdl_real *B,
              vdl_real *C, vdl_real *scratch);

/* Reals of scratch that vdl_gemm needs for an op(B) of K x N. */
size_t vdl_gemm_scratch(int N, int K);

#endif
