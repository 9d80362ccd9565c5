/*
 * vdl_op.h: the op plugin interface and the registry.
 *
 * An op is a descriptor: a name, an arity, how many numeric attributes it
 * takes, and four functions. Ops are registered by name; the engine knows
 * nothing about any particular op. See docs/ops.md for a worked example.
 */
#ifndef VDL_OP_H
#define VDL_OP_H

#include "vdl_tensor.h"

#define VDL_MAX_INPUTS 4
#define VDL_MAX_ATTRS 4
#define VDL_MAX_OPS 128
#define VDL_OP_NAME_MAX 31

typedef struct vdl_node vdl_node;

/* How the gradient checker fills one input of an example. */
enum vdl_fill {
    VDL_FILL_NORMAL = 0,       /* standard normal values; differentiable */
    VDL_FILL_AWAY_FROM_ZERO,   /* normal values with |x| >= 0.1 (kinks at 0) */
    VDL_FILL_LABELS            /* integers in [0, classes); not differentiated */
};

/* One gradient-check case: the shapes, fills and attributes of a valid call. */
typedef struct vdl_example {
    vdl_shape shape[VDL_MAX_INPUTS];
    int fill[VDL_MAX_INPUTS];     /* enum vdl_fill */
    int classes[VDL_MAX_INPUTS];  /* for VDL_FILL_LABELS */
    double attr[VDL_MAX_ATTRS];
} vdl_example;

typedef struct vdl_op {
    const char *name;  /* [A-Za-z0-9_], unique, at most VDL_OP_NAME_MAX chars */
    const char *math;  /* one line: what it computes */
    int n_inputs;      /* 1 .. VDL_MAX_INPUTS */
    int n_attrs;       /* 0 .. VDL_MAX_ATTRS numeric attributes */
    /* Check the inputs' shapes and the attributes of `out` and set out->shape.
     * Return VDL_OK, or an error code with vdl_set_error() explaining. */
    int (*infer)(vdl_node *out);
    /* Compute out->value from the inputs. May keep data in out->saved
     * (memory from vdl_tape_alloc). Returns VDL_OK or an error code. */
    int (*forward)(vdl_node *out);
    /* Add d(loss)/d(input) to in[i]->grad for each input whose grad is not
     * NULL, given out->grad. Must accumulate (+=), never overwrite.
     * Returns VDL_OK or an error code. */
    int (*backward)(vdl_node *out);
    /* Fill case number `index` for the gradient checker; return 1, or 0 when
     * there are no more cases. An op without it fails the gradcheck suite. */
    int (*example)(int index, vdl_example *ex);
} vdl_op;

/* Check a descriptor without registering it: VDL_OK or VDL_EINVAL with a message. */
int vdl_op_validate(const vdl_op *op);

/* Add an op to the registry. Fails (and changes nothing) for an invalid
 * descriptor, a name already registered, or a full registry. The descriptor
 * must outlive its registration. The built-in ops are always registered. */
int vdl_op_register(const vdl_op *op);

/* The op registered under `name`, or NULL (error set). */
const vdl_op *vdl_op_find(const char *name);

/* 1 if op reads input `input` through its sparse form when that has one
 * (vdl_leaf_sparse) and makes the input's dense values itself where it needs
 * them (vdl_dense_value): built-in ops only, matmul's first input. For every
 * other op and input, vdl_apply makes a sparse leaf's dense values first. */
int vdl_op_reads_sparse(const vdl_op *op, int input);

/* Number of registered ops, and the i-th in registration order. */
int vdl_op_count(void);
const vdl_op *vdl_op_at(int i);

/* Drop every op registered after the first `count`: a caller that registers
 * several ops and fails half-way undoes the lot with the count it read
 * before (the plugin loader does; vdl_plugin_unload drops a plugin's ops
 * this way). Built-in ops are never dropped. */
void vdl_op_truncate(int count);

#endif
