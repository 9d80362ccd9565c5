/*
 * add.c: y = a + b, elementwise, same shapes.
 */
#include "op_util.h"
#include "vdl_ops.h"

static int forward(vdl_node *out)
{
    const vdl_real *restrict a = out->in[0]->value, *restrict b = out->in[1]->value;
    vdl_real *restrict y = out->value;
    long i, n = (long)out->size;
    VDL_OMP(omp parallel for if (n > VDL_PAR_MIN) schedule(static))
    for (i = 0; i < n; i++)
        y[i] = a[i] + b[i];
    return VDL_OK;
}

static int backward(vdl_node *out)
{
    int k;
    for (k = 0; k < 2; k++)
        if (out->in[k]->grad)
            vdl_accumulate(out->in[k]->grad, out->grad, out->size);
    return VDL_OK;
}

static int example(int index, vdl_example *ex)
{
    static const int dims[3][2] = {{1, 1}, {3, 5}, {7, 2}};
    if (index >= 3)
        return 0;
    vdl_example_input(ex, 0, vdl_shape2(dims[index][0], dims[index][1]), VDL_FILL_NORMAL);
    ex->shape[1] = ex->shape[0];
    return 1;
}

const vdl_op vdl_op_add = {"add", "y = a + b", 2, 0, vdl_infer_same_shapes, forward, backward, example};

vdl_node *vdl_add(vdl_tape *t, vdl_node *a, vdl_node *b)
{
    vdl_node *in[2];
    in[0] = a;
    in[1] = b;
    return vdl_apply(t, &vdl_op_add, 2, in, NULL);
}
