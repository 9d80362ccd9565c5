/*
 * vdl_gemm.h: the matrix-multiply kernel behind the matmul op, public so that
 * plugin ops can use it too.
 */
#ifndef VDL_GEMM_H
#define VDL_GEMM_H

#include "vdl_base.h"

/* C[M,N] += op(A) op(B), row-major, where op(A) is M x K and op(B) is K x N.
 * A is stored M x K, or K x M when ta; B is stored K x N, or N x K when tb.
 * When tb, `scratch` must hold K*N reals (B is transposed into it); otherwise
 * it may be NULL. Each C element sums its K terms in order, so the result is
 * the same for any number of threads. */
void vdl_gemm(int ta, int tb, int M, int N, int K, const vdl_real *A, const vdl_real *B,
              vdl_real *C, vdl_real *scratch);

#endif
