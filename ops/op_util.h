/*
 * op_util.h: small helpers shared by the built-in ops (not public API).
 */
#ifndef VDL_OP_UTIL_H
#define VDL_OP_UTIL_H

#include "vdl_parallel.h"
#include "vdl_tape.h"

/* VDL_OK if inputs a and b of `out` have the same shape, else an error naming the op. */
int vdl_require_same_shape(const vdl_node *out, int a, int b);

/* VDL_OK if input i of `out` has rank `ndim`, else an error naming the op. */
int vdl_require_rank(const vdl_node *out, int i, int ndim);

/* An infer function for ops whose inputs all share one shape, which is also
 * the output's shape. */
int vdl_infer_same_shapes(vdl_node *out);

/* dst[i] += src[i] for i < n (parallel for long arrays). */
void vdl_accumulate(vdl_real *dst, const vdl_real *src, size_t n);

/* dst[i] += c * src[i] for i < n (parallel when long). */
void vdl_accumulate_scaled(vdl_real *dst, vdl_real c, const vdl_real *src, size_t n);

/* Fill an example's input i with shape `s` and fill kind `fill`. */
void vdl_example_input(vdl_example *ex, int i, vdl_shape s, int fill);

/* Example cases for a one-input op: a few shapes of rank 0 to 3 whose values
 * are filled with `fill`; returns 0 past the last case. */
int vdl_example_unary(int index, vdl_example *ex, int fill);

/* Example cases for an op of two same-shaped inputs: the shapes of
 * vdl_example_unary, both inputs standard normal. */
int vdl_example_normal_pair(int index, vdl_example *ex);

#endif
