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

const vdl_op vdl_op_add = {"add", "y = a + b", 2, 0, vdl_infer_same_shapes, forward, backward, vdl_example_normal_pair};

vdl_node *vdl_add(vdl_tape *t, vdl_node *a, vdl_node *b)
{
    return vdl_apply2(t, &vdl_op_add, a, b, NULL);
}
