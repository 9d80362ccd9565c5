/*
 * matmul.c: C = op(A) op(B), with op(X) = X or X^T chosen by two attributes.
 * When A is a leaf that carries a sparse form (vdl_leaf_sparse) and B is not
 * transposed, the products with A skip A's background entries and read no
 * dense values of A.
 */
#include "op_util.h"
#include "vdl_gemm.h"
#include "vdl_ops.h"

/* Rows and columns of op(X) for input i with transpose flag t. */
static void op_dims(const vdl_node *x, int t, int *rows, int *cols)
{
    *rows = x->shape.dim[t ? 1 : 0];
    *cols = x->shape.dim[t ? 0 : 1];
}

static int infer(vdl_node *out)
{
    int ta = out->attr[0] != 0, tb = out->attr[1] != 0, m, ka, kb, n;
    if (vdl_require_rank(out, 0, 2) || vdl_require_rank(out, 1, 2))
        return VDL_EINVAL;
    op_dims(out->in[0], ta, &m, &ka);
    op_dims(out->in[1], tb, &kb, &n);
    if (ka != kb)
        return vdl_set_error(VDL_EINVAL, "op 'matmul': inner dimensions differ (%d vs %d)", ka, kb);
    out->shape = vdl_shape2(m, n);
    return VDL_OK;
}

static size_t max2(size_t a, size_t b) { return a > b ? a : b; }

/* Room for the packed right operand of the forward product and of every
 * backward product (kept in saved): the calls below pass (N, K) pairs from
 * {(n, k), (k, n), (m, n), (n, m), (k, m)}. */
static size_t scratch_size(int m, int k, int n)
{
    size_t most = max2(vdl_gemm_scratch(n, k), vdl_gemm_scratch(k, n));
    most = max2(most, max2(vdl_gemm_scratch(m, n), vdl_gemm_scratch(n, m)));
    most = max2(most, max2(vdl_sparse_scratch(k, n), vdl_sparse_scratch(m, n)));
    return max2(most, vdl_gemm_scratch(k, m));
}

/* The sparse form of op(A) (or, with `transposed`, of op(A)^T) when A has
 * one and B is not transposed, else NULL. */
static const vdl_sparse *sparse_a(const vdl_node *out, int transposed)
{
    const vdl_sparse_view *v = out->in[0]->sparse;
    const int ta = out->attr[0] != 0, tb = out->attr[1] != 0;
    if (!v || tb)
        return NULL;
    return ta != transposed ? &v->st : &v->s;
}

static int forward(vdl_node *out)
{
    vdl_node *a = out->in[0];
    const vdl_node *b = out->in[1];
    const vdl_sparse *sa = sparse_a(out, 0);
    int ta = out->attr[0] != 0, tb = out->attr[1] != 0, m, k, n;
    size_t i;
    op_dims(a, ta, &m, &k);
    n = out->shape.dim[1];
    out->saved = vdl_tape_alloc(out->tape, scratch_size(m, k, n) * sizeof(vdl_real));
    if (!out->saved || (!sa && !vdl_dense_value(a)))
        return VDL_ENOMEM;
    for (i = 0; i < out->size; i++)
        out->value[i] = 0;
    if (sa)
        vdl_sparse_matmul(sa, n, b->value, out->value, out->saved);
    else
        vdl_gemm(ta, tb, m, n, k, a->value, b->value, out->value, out->saved);
    return VDL_OK;
}

static int backward(vdl_node *out)
{
    vdl_node *a = out->in[0], *b = out->in[1];
    const vdl_sparse *sat = sparse_a(out, 1);
    int ta = out->attr[0] != 0, tb = out->attr[1] != 0, m, k, n = out->shape.dim[1];
    const vdl_real *g = out->grad;
    op_dims(a, ta, &m, &k);
    if (a->grad) {
        if (!ta) /* dA = G op(B)^T */
            vdl_gemm(0, !tb, m, k, n, g, b->value, a->grad, out->saved);
        else     /* dA = op(B) G^T */
            vdl_gemm(tb, 1, k, m, n, b->value, g, a->grad, out->saved);
    }
    if (b->grad) {
        if (sat) /* dB = op(A)^T G, from op(A)^T's sparse form */
            vdl_sparse_matmul(sat, n, g, b->grad, out->saved);
        else if (!tb) /* dB = op(A)^T G (no sparse form: forward made A's dense values) */
            vdl_gemm(!ta, 0, k, n, m, a->value, g, b->grad, out->saved);
        else     /* dB = G^T op(A) */
            vdl_gemm(1, ta, n, k, m, g, a->value, b->grad, out->saved);
    }
    return VDL_OK;
}

static int example(int index, vdl_example *ex)
{
    /* every transpose combination (index & 3) on two different sets of sizes */
    static const int dims[8][3] = {{3, 4, 5}, {1, 7, 2}, {6, 1, 3}, {4, 3, 1},
                                   {2, 5, 3}, {5, 2, 4}, {1, 1, 6}, {7, 3, 2}};
    int m, k, n;
    if (index >= 8)
        return 0;
    m = dims[index][0];
    k = dims[index][1];
    n = dims[index][2];
    ex->attr[0] = index & 1;
    ex->attr[1] = (index >> 1) & 1;
    vdl_example_input(ex, 0, ex->attr[0] != 0 ? vdl_shape2(k, m) : vdl_shape2(m, k), VDL_FILL_NORMAL);
    vdl_example_input(ex, 1, ex->attr[1] != 0 ? vdl_shape2(n, k) : vdl_shape2(k, n), VDL_FILL_NORMAL);
    return 1;
}

const vdl_op vdl_op_matmul = {"matmul", "C = op(A) op(B); attrs: transpose A, transpose B", 2, 2,
                              infer, forward, backward, example};

vdl_node *vdl_matmul(vdl_tape *t, vdl_node *a, vdl_node *b, int transpose_a, int transpose_b)
{
    double attr[2];
    attr[0] = transpose_a;
    attr[1] = transpose_b;
    return vdl_apply2(t, &vdl_op_matmul, a, b, attr);
}
