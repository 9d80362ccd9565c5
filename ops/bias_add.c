/*
 * bias_add.c: y[r, c] = x[r, c] + b[c]: a vector added to every row.
 */
#include "op_util.h"
#include "vdl_ops.h"

static int infer(vdl_node *out)
{
    const vdl_node *x = out->in[0], *b = out->in[1];
    char sx[64], sb[64];
    if (vdl_require_rank(out, 0, 2) || vdl_require_rank(out, 1, 1))
        return VDL_EINVAL;
    if (x->shape.dim[1] != b->shape.dim[0])
        return vdl_set_error(VDL_EINVAL, "op 'bias_add': bias %s does not match the columns of %s",
                             vdl_shape_str(&b->shape, sb, sizeof sb), vdl_shape_str(&x->shape, sx, sizeof sx));
    out->shape = x->shape;
    return VDL_OK;
}

static int forward(vdl_node *out)
{
    const vdl_real *x = out->in[0]->value, *b = out->in[1]->value;
    int rows = out->shape.dim[0], cols = out->shape.dim[1], r;
    VDL_OMP(omp parallel for if (out->size > VDL_PAR_MIN) schedule(static))
    for (r = 0; r < rows; r++) {
        const vdl_real *restrict xr = x + (size_t)r * cols;
        vdl_real *restrict yr = out->value + (size_t)r * cols;
        int c;
        for (c = 0; c < cols; c++)
            yr[c] = xr[c] + b[c];
    }
    return VDL_OK;
}

static int backward(vdl_node *out)
{
    vdl_node *x = out->in[0], *b = out->in[1];
    const vdl_real *g = out->grad;
    int rows = out->shape.dim[0], cols = out->shape.dim[1], r, c;
    if (x->grad)
        vdl_accumulate(x->grad, g, out->size);
    if (b->grad) /* column sums, rows in order */
        for (r = 0; r < rows; r++) {
            const vdl_real *restrict gr = g + (size_t)r * cols;
            vdl_real *restrict gb = b->grad;
            for (c = 0; c < cols; c++)
                gb[c] += gr[c];
        }
    return VDL_OK;
}

static int example(int index, vdl_example *ex)
{
    static const int dims[3][2] = {{1, 1}, {5, 3}, {2, 8}};
    if (index >= 3)
        return 0;
    vdl_example_input(ex, 0, vdl_shape2(dims[index][0], dims[index][1]), VDL_FILL_NORMAL);
    vdl_example_input(ex, 1, vdl_shape1(dims[index][1]), VDL_FILL_NORMAL);
    return 1;
}

const vdl_op vdl_op_bias_add = {"bias_add", "y[r,c] = x[r,c] + b[c]", 2, 0,
                                infer, forward, backward, example};

vdl_node *vdl_bias_add(vdl_tape *t, vdl_node *x, vdl_node *b)
{
    return vdl_apply2(t, &vdl_op_bias_add, x, b, NULL);
}
