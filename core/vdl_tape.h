/*
 * vdl_tape.h: nodes, the tape and reverse-mode differentiation.
 *
 * Building a graph runs it: each vdl_apply() computes its node's value at once
 * and records the node on the tape. vdl_backward() walks the tape in reverse
 * and accumulates gradients. All node memory comes from the tape's arena;
 * vdl_tape_reset() frees a whole step at once, so a training loop that resets
 * the tape every step stops calling malloc after its first steps.
 *
 * Errors propagate: an op applied to a NULL input returns NULL and keeps the
 * first error message, so a model can check once, at the end of its forward.
 */
#ifndef VDL_TAPE_H
#define VDL_TAPE_H

#include <stdint.h>

#include "vdl_arena.h"
#include "vdl_op.h"
#include "vdl_sparse.h"

typedef struct vdl_tape vdl_tape;

struct vdl_node {
    vdl_shape shape;
    size_t size;          /* number of elements */
    vdl_real *value;      /* size values */
    vdl_real *grad;       /* size gradients; NULL if nothing upstream needs them */
    const vdl_op *op;     /* NULL for a leaf */
    int n_in;
    vdl_node *in[VDL_MAX_INPUTS];
    double attr[VDL_MAX_ATTRS];
    void *saved;          /* op data kept from forward for backward */
    vdl_tape *tape;
    vdl_node *prev;       /* the node recorded before this one */
    unsigned id;          /* position on the tape, from 0 */
    int needs_grad;       /* a leaf with a gradient buffer, or fed by one */
    int reached;          /* set during backward */
    const vdl_sparse_view *sparse; /* a leaf's value in sparse form too, or NULL
                                      (vdl_leaf_sparse); ops may use either */
};

/* A new empty tape, or NULL (error set). */
vdl_tape *vdl_tape_new(void);

/* Free the tape and every node on it. */
void vdl_tape_free(vdl_tape *tape);

/* Forget every node (their memory is reused by the next step). */
void vdl_tape_reset(vdl_tape *tape);

/* Set the key of the sampling ops: a node's random draws depend only on
 * (seed, step, node id, element), never on threads. Default (0, 0). */
void vdl_tape_set_rng(vdl_tape *tape, uint64_t seed, uint64_t step);

/* Number of nodes on the tape, and arena bytes in use by them. */
unsigned vdl_tape_nodes(const vdl_tape *tape);
size_t vdl_tape_bytes(const vdl_tape *tape);

/* A leaf over memory the caller owns: `value` (size of shape) and, for a
 * trainable leaf, `grad` (gradients are added to it), else NULL. */
vdl_node *vdl_leaf(vdl_tape *tape, vdl_shape shape, vdl_real *value, vdl_real *grad);

/* A constant leaf (no gradient) over a rows x cols matrix the caller owns in
 * sparse form, `view` (the matrix and its transpose, which must hold the same
 * values), and dense in `value`, or not: with `value` NULL the dense values
 * are made in the tape's arena the first time an op needs them
 * (vdl_dense_value). The matmul op skips the background entries (vdl_sparse.h)
 * and needs no dense values when B is not transposed. VDL_EINVAL (NULL
 * returned) if the view's shapes do not match `shape` or either form is not
 * well formed (vdl_sparse_check); that the forms and a given `value` agree is
 * the caller's to ensure. */
vdl_node *vdl_leaf_sparse(vdl_tape *tape, vdl_shape shape, vdl_real *value, const vdl_sparse_view *view);

/* n's dense values: n->value, first made from the sparse form for a sparse
 * leaf given none (vdl_leaf_sparse). NULL, with VDL_ENOMEM set, if the tape's
 * arena cannot hold them. Ops call it for the inputs they read sparse
 * (vdl_op_reads_sparse); vdl_apply does for the others. */
const vdl_real *vdl_dense_value(vdl_node *n);

/* A constant leaf whose values are copied into the tape (values may be NULL:
 * then they are zero and the caller fills node->value). */
vdl_node *vdl_constant(vdl_tape *tape, vdl_shape shape, const vdl_real *values);

/* Apply `op` to n inputs with the op's attributes (attr may be NULL when the
 * op takes none). Returns the new node, or NULL (error set) on a bad call. */
vdl_node *vdl_apply(vdl_tape *tape, const vdl_op *op, int n, vdl_node *const *in,
                    const double *attr);

/* vdl_apply for a two-input op. */
vdl_node *vdl_apply2(vdl_tape *tape, const vdl_op *op, vdl_node *a, vdl_node *b, const double *attr);

/* vdl_apply with the op looked up by name. */
vdl_node *vdl_apply_name(vdl_tape *tape, const char *name, int n, vdl_node *const *in,
                         const double *attr);

/* Backpropagate from `loss` (a node with one element): d(loss)/d(loss) = 1,
 * gradients are added to every trainable leaf's grad buffer. */
int vdl_backward(vdl_tape *tape, vdl_node *loss);

/* Backpropagate a given output gradient: `out_grad` (node->size values) is
 * d(loss)/d(node); gradients are added to every trainable leaf's grad
 * buffer. vdl_backward is this with out_grad = {1}. */
int vdl_backward_from(vdl_tape *tape, vdl_node *node, const vdl_real *out_grad);

/* Scratch memory for an op during this step (freed by vdl_tape_reset), or NULL. */
void *vdl_tape_alloc(vdl_tape *tape, size_t bytes);

/* Fill out[0..n) with the node's standard normal draws 0..n-1 (for sampling
 * ops). They depend only on the tape's (seed, step), the node id and the index. */
void vdl_node_normals(const vdl_node *node, vdl_real *out, size_t n);

/* Fill out[0..n) with the node's draws first..first+n-1, the values
 * vdl_node_normals puts at out[first..first+n), on the calling thread only:
 * for an op that draws its noise inside its own parallel loop. */
void vdl_node_normals_at(const vdl_node *node, size_t first, vdl_real *out, size_t n);

#endif
