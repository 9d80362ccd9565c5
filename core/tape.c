/*
 * tape.c: recording op applications and differentiating them in reverse.
 */
#include "vdl_tape.h"
#include "vdl_parallel.h"
#include "vdl_rng.h"

#include <string.h>

struct vdl_tape {
    vdl_arena arena;
    vdl_node *last;   /* most recent node; nodes chain backwards via prev */
    unsigned n_nodes;
    uint64_t seed, step;
};

vdl_tape *vdl_tape_new(void)
{
    vdl_tape *t = vdl_calloc(1, sizeof *t);
    if (t)
        vdl_arena_init(&t->arena);
    return t;
}

void vdl_tape_free(vdl_tape *tape)
{
    if (!tape)
        return;
    vdl_arena_free(&tape->arena);
    vdl_free(tape);
}

void vdl_tape_reset(vdl_tape *tape)
{
    vdl_arena_reset(&tape->arena);
    tape->last = NULL;
    tape->n_nodes = 0;
}

void vdl_tape_set_rng(vdl_tape *tape, uint64_t seed, uint64_t step)
{
    tape->seed = seed;
    tape->step = step;
}

unsigned vdl_tape_nodes(const vdl_tape *tape) { return tape->n_nodes; }

size_t vdl_tape_bytes(const vdl_tape *tape) { return tape->arena.used_total; }

void *vdl_tape_alloc(vdl_tape *tape, size_t bytes) { return vdl_arena_alloc(&tape->arena, bytes); }

static uint64_t node_seed(const vdl_node *node)
{
    return vdl_rng_bits(node->tape->seed, node->tape->step, node->id);
}

void vdl_node_normals(const vdl_node *node, vdl_real *out, size_t n)
{
    vdl_rng_normals(node_seed(node), 0, out, n);
}

void vdl_node_normals_at(const vdl_node *node, size_t first, vdl_real *out, size_t n)
{
    vdl_rng_normals_at(node_seed(node), 0, first, out, n);
}

static vdl_node *node_new(vdl_tape *tape, vdl_shape shape)
{
    vdl_node *n = vdl_arena_calloc(&tape->arena, sizeof *n);
    if (!n)
        return NULL;
    n->shape = shape;
    n->size = vdl_shape_size(&shape);
    n->tape = tape;
    n->id = tape->n_nodes++;
    n->prev = tape->last;
    tape->last = n;
    return n;
}

vdl_node *vdl_leaf(vdl_tape *tape, vdl_shape shape, vdl_real *value, vdl_real *grad)
{
    vdl_node *n;
    if (!vdl_shape_valid(&shape) || !value) {
        vdl_set_error(VDL_EINVAL, "vdl_leaf: invalid shape or NULL values");
        return NULL;
    }
    n = node_new(tape, shape);
    if (!n)
        return NULL;
    n->value = value;
    n->grad = grad;
    n->needs_grad = grad != NULL;
    return n;
}

vdl_node *vdl_leaf_sparse(vdl_tape *tape, vdl_shape shape, vdl_real *value, const vdl_sparse_view *view)
{
    vdl_node *n;
    if (!view || !vdl_shape_valid(&shape) || shape.ndim != 2 || view->s.rows != shape.dim[0] ||
        view->s.cols != shape.dim[1] || view->st.rows != shape.dim[1] || view->st.cols != shape.dim[0]) {
        vdl_set_error(VDL_EINVAL, "vdl_leaf_sparse: invalid shape, or the sparse view does not match it");
        return NULL;
    }
    /* a bad column or offset would make the products read and write outside
     * their arrays: refuse it (one vectorized pass over the entries) */
    if (vdl_sparse_check(&view->s) != VDL_OK || vdl_sparse_check(&view->st) != VDL_OK)
        return NULL;
    if ((n = node_new(tape, shape)) != NULL) {
        n->value = value; /* NULL: made by vdl_dense_value when an op needs it */
        n->sparse = view;
    }
    return n;
}

const vdl_real *vdl_dense_value(vdl_node *n)
{
    if (!n->value && n->sparse && (n->value = vdl_arena_alloc(&n->tape->arena, n->size * sizeof *n->value)))
        vdl_sparse_to_dense(&n->sparse->s, n->value);
    return n->value;
}

vdl_node *vdl_constant(vdl_tape *tape, vdl_shape shape, const vdl_real *values)
{
    vdl_node *n;
    if (!vdl_shape_valid(&shape)) {
        vdl_set_error(VDL_EINVAL, "vdl_constant: invalid shape");
        return NULL;
    }
    n = node_new(tape, shape);
    if (!n)
        return NULL;
    n->value = vdl_arena_alloc(&tape->arena, n->size * sizeof(vdl_real));
    if (!n->value) {
        tape->last = n->prev; /* take the node back off the tape */
        tape->n_nodes--;
        return NULL;
    }
    if (values)
        memcpy(n->value, values, n->size * sizeof(vdl_real));
    else
        memset(n->value, 0, n->size * sizeof(vdl_real));
    return n;
}

vdl_node *vdl_apply(vdl_tape *tape, const vdl_op *op, int n, vdl_node *const *in,
                    const double *attr)
{
    vdl_node *out, probe;
    int i;
    if (!op)
        return NULL; /* vdl_op_find has set the error */
    if (n != op->n_inputs) {
        vdl_set_error(VDL_EINVAL, "op '%s' takes %d inputs, got %d", op->name, op->n_inputs, n);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        if (!in[i])
            return NULL; /* an earlier op failed; its message stands */
        if (!in[i]->value && !vdl_op_reads_sparse(op, i) && !vdl_dense_value(in[i]))
            return NULL; /* a sparse leaf's dense values did not fit */
    }
    /* Infer the shape on a stack node first, so a bad call adds no node (a
     * sparse input may keep the dense values made for it above). */
    memset(&probe, 0, sizeof probe);
    probe.op = op;
    probe.n_in = n;
    probe.tape = tape;
    for (i = 0; i < n; i++)
        probe.in[i] = in[i];
    for (i = 0; attr && i < op->n_attrs; i++)
        probe.attr[i] = attr[i]; /* attr NULL: all zero */
    if (op->infer(&probe) != VDL_OK)
        return NULL;
    if (!vdl_shape_valid(&probe.shape)) {
        vdl_set_error(VDL_EINVAL, "op '%s' inferred an invalid shape", op->name);
        return NULL;
    }
    out = node_new(tape, probe.shape);
    if (!out)
        return NULL;
    memcpy(out->in, probe.in, sizeof out->in);
    memcpy(out->attr, probe.attr, sizeof out->attr);
    out->op = op;
    out->n_in = n;
    for (i = 0; i < n; i++)
        out->needs_grad |= in[i]->needs_grad;
    out->value = vdl_arena_alloc(&tape->arena, out->size * sizeof(vdl_real));
    if (!out->value || op->forward(out) != VDL_OK) {
        /* take the node back off the tape (its memory is reused at reset) */
        tape->last = out->prev;
        tape->n_nodes--;
        return NULL;
    }
    return out;
}

vdl_node *vdl_apply2(vdl_tape *tape, const vdl_op *op, vdl_node *a, vdl_node *b, const double *attr)
{
    vdl_node *in[2];
    in[0] = a;
    in[1] = b;
    return vdl_apply(tape, op, 2, in, attr);
}

vdl_node *vdl_apply_name(vdl_tape *tape, const char *name, int n, vdl_node *const *in,
                         const double *attr)
{
    return vdl_apply(tape, vdl_op_find(name), n, in, attr);
}

int vdl_backward(vdl_tape *tape, vdl_node *loss)
{
    const vdl_real one = 1;
    if (!loss) /* keep the forward's message if there is one */
        return vdl_error()[0] ? VDL_EINVAL : vdl_set_error(VDL_EINVAL, "vdl_backward: loss is NULL");
    if (loss->size != 1)
        return vdl_set_error(VDL_EINVAL, "vdl_backward: loss must have one element, has %lu",
                             (unsigned long)loss->size);
    return vdl_backward_from(tape, loss, &one);
}

/* Zero the gradients of n's inputs that no node has written yet: op nodes
 * not yet reached (the caller zeroes leaves'). Zeroing each buffer just
 * before its first writer, not all of them up front, finds it in cache. */
static void zero_new_input_grads(vdl_node *n)
{
    int i;
    for (i = 0; i < n->n_in; i++)
        if (n->in[i]->op && n->in[i]->needs_grad && !n->in[i]->reached)
            vdl_zero_reals(n->in[i]->grad, n->in[i]->size);
}

int vdl_backward_from(vdl_tape *tape, vdl_node *loss, const vdl_real *out_grad)
{
    vdl_node *n;
    size_t j;
    int i, rc;
    if (!loss)
        return vdl_error()[0] ? VDL_EINVAL : vdl_set_error(VDL_EINVAL, "vdl_backward_from: node is NULL");
    if (!loss->needs_grad)
        return VDL_OK; /* nothing trainable feeds the loss */
    for (n = loss; n; n = n->prev) {
        n->reached = 0;
        if (n->op && n->needs_grad && !(n->grad = vdl_arena_alloc(&tape->arena, n->size * sizeof(vdl_real))))
            return VDL_ENOMEM;
    }
    if (loss->op) /* a leaf's gradient is the caller's: the seed adds to it */
        vdl_zero_reals(loss->grad, loss->size);
    for (j = 0; j < loss->size; j++)
        loss->grad[j] += out_grad[j];
    loss->reached = 1;
    for (n = loss; n; n = n->prev) {
        if (!n->reached || !n->op || !n->needs_grad)
            continue;
        zero_new_input_grads(n);
        rc = n->op->backward(n);
        if (rc != VDL_OK)
            return rc;
        for (i = 0; i < n->n_in; i++)
            n->in[i]->reached = 1;
    }
    for (n = loss; n; n = n->prev) /* nodes the loss does not depend on: zero */
        if (n->op && n->needs_grad && !n->reached)
            vdl_zero_reals(n->grad, n->size);
    return VDL_OK;
}
