/*
 * mul.c: y = a * b, elementwise, same shapes.
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
        y[i] = a[i] * b[i];
    return VDL_OK;
}

static int backward(vdl_node *out)
{
    int k;
    for (k = 0; k < 2; k++) {
        vdl_real *restrict gx = out->in[k]->grad;
        const vdl_real *restrict other = out->in[1 - k]->value, *restrict g = out->grad;
        long i, n = (long)out->size;
        if (!gx)
            continue;
        VDL_OMP(omp parallel for if (n > VDL_PAR_MIN) schedule(static))
        for (i = 0; i < n; i++)
            gx[i] += g[i] * other[i];
    }
    return VDL_OK;
}

static int example(int index, vdl_example *ex)
{
    static const int dims[3][2] = {{1, 1}, {4, 3}, {2, 9}};
    if (index >= 3)
        return 0;
    vdl_example_input(ex, 0, vdl_shape2(dims[index][0], dims[index][1]), VDL_FILL_NORMAL);
    ex->shape[1] = ex->shape[0];
    return 1;
}

const vdl_op vdl_op_mul = {"mul", "y = a * b (elementwise)", 2, 0, vdl_infer_same_shapes, forward, backward, example};

vdl_node *vdl_mul(vdl_tape *t, vdl_node *a, vdl_node *b)
{
    vdl_node *in[2];
    in[0] = a;
    in[1] = b;
    return vdl_apply(t, &vdl_op_mul, 2, in, NULL);
}
