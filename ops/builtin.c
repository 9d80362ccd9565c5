/*
 * builtin.c: the one table of built-in ops. Adding an op: write ops/NAME.c
 * with its descriptor, declare it (and, if wanted, a wrapper) in vdl_ops.h,
 * and add a row here. Nothing else changes.
 */
#include "vdl_ops.h"

const vdl_op *const vdl_builtin_ops[] = {
    &vdl_op_matmul,
    &vdl_op_add,
    &vdl_op_bias_add,
    &vdl_op_mul,
    &vdl_op_scale,
    &vdl_op_relu,
    &vdl_op_exp,
    &vdl_op_sum,
    &vdl_op_mean,
    &vdl_op_softmax_ce,
    &vdl_op_gaussian_kl,
    &vdl_op_reparam,
    &vdl_op_outer,
    &vdl_op_reshape,
    &vdl_op_axpby,
};

const int vdl_builtin_op_count = (int)(sizeof vdl_builtin_ops / sizeof vdl_builtin_ops[0]);

/* The built-in ops that read their first input through its sparse form when
 * it has one (vdl_leaf_sparse), and make its dense values themselves
 * (vdl_dense_value) where they need them: matmul, for a transposed B. A
 * sparse leaf made without dense values gets them before any other op,
 * a plugin's too, takes it. */
const vdl_op *const vdl_builtin_sparse_readers[] = {&vdl_op_matmul};

const int vdl_builtin_sparse_reader_count =
    (int)(sizeof vdl_builtin_sparse_readers / sizeof vdl_builtin_sparse_readers[0]);
