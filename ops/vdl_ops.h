/*
 * vdl_ops.h: the built-in ops. Each has a descriptor (vdl_op_NAME, registered
 * under NAME) and a typed wrapper that applies it, so model code reads like
 * the math. Every wrapper returns the new node, or NULL with vdl_error() set;
 * given a NULL input it returns NULL and keeps the first error.
 */
#ifndef VDL_OPS_H
#define VDL_OPS_H

#include "vdl_tape.h"

extern const vdl_op vdl_op_matmul, vdl_op_add, vdl_op_bias_add, vdl_op_mul, vdl_op_scale,
    vdl_op_relu, vdl_op_exp, vdl_op_sum, vdl_op_mean, vdl_op_softmax_ce, vdl_op_gaussian_kl,
    vdl_op_reparam, vdl_op_outer, vdl_op_reshape, vdl_op_axpby;

/* C = op(A) op(B), op(X) = X^T when its flag is set; A, B are matrices. */
vdl_node *vdl_matmul(vdl_tape *t, vdl_node *a, vdl_node *b, int transpose_a, int transpose_b);

/* y = a + b (same shapes). */
vdl_node *vdl_add(vdl_tape *t, vdl_node *a, vdl_node *b);

/* y[r,c] = x[r,c] + b[c]: x a matrix, b a vector of its column count. */
vdl_node *vdl_bias_add(vdl_tape *t, vdl_node *x, vdl_node *b);

/* y = a * b elementwise (same shapes). */
vdl_node *vdl_mul(vdl_tape *t, vdl_node *a, vdl_node *b);

/* y = c * x. */
vdl_node *vdl_scale(vdl_tape *t, vdl_node *x, double c);

/* y = a x + b z, elementwise (same shapes): one node for a weighted sum. */
vdl_node *vdl_axpby(vdl_tape *t, double a, vdl_node *x, double b, vdl_node *z);

/* y = max(0, x). */
vdl_node *vdl_relu(vdl_tape *t, vdl_node *x);

/* y = exp(x). */
vdl_node *vdl_exp(vdl_tape *t, vdl_node *x);

/* y = sum of all elements (a scalar). */
vdl_node *vdl_sum_all(vdl_tape *t, vdl_node *x);

/* y = mean of all elements (a scalar). */
vdl_node *vdl_mean(vdl_tape *t, vdl_node *x);

/* Mean cross-entropy of softmax(logits) (B x C) against integer labels (a
 * vector of B values in 0..C-1, not differentiated). A scalar. */
vdl_node *vdl_softmax_ce(vdl_tape *t, vdl_node *logits, vdl_node *labels);

/* sum KL( N(mu, exp(log_sigma)^2) || N(0, prior_sigma^2) ), a scalar. */
vdl_node *vdl_gaussian_kl(vdl_tape *t, vdl_node *mu, vdl_node *log_sigma, double prior_sigma);

/* w = mu + exp(log_sigma) * eps, eps ~ N(0, 1) from the tape's RNG. */
vdl_node *vdl_reparam(vdl_tape *t, vdl_node *mu, vdl_node *log_sigma);

/* Y = u v^T with u and v read as flat vectors: a len(u) x len(v) matrix. */
vdl_node *vdl_outer(vdl_tape *t, vdl_node *u, vdl_node *v);

/* The values of x under another shape with the same element count. */
vdl_node *vdl_reshape(vdl_tape *t, vdl_node *x, vdl_shape shape);

#endif
