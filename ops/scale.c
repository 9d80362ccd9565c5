/*
 * scale.c: y = c * x for a constant c (attribute 0).
 */
#include "op_util.h"
#include "vdl_ops.h"

static int forward(vdl_node *out)
{
    const vdl_real *restrict x = out->in[0]->value;
    vdl_real *restrict y = out->value;
    const vdl_real c = (vdl_real)out->attr[0];
    long i, n = (long)out->size;
    VDL_OMP(omp parallel for if (n > VDL_PAR_MIN) schedule(static))
    for (i = 0; i < n; i++)
        y[i] = c * x[i];
    return VDL_OK;
}

static int backward(vdl_node *out)
{
    vdl_accumulate_scaled(out->in[0]->grad, (vdl_real)out->attr[0], out->grad, out->size);
    return VDL_OK;
}

static int example(int index, vdl_example *ex)
{
    ex->attr[0] = index == 1 ? -2.5 : 0.75;
    return vdl_example_unary(index, ex, VDL_FILL_NORMAL);
}

const vdl_op vdl_op_scale = {"scale", "y = c * x; attr: c", 1, 1,
                             vdl_infer_same_shapes, forward, backward, example};

vdl_node *vdl_scale(vdl_tape *t, vdl_node *x, double c)
{
    return vdl_apply(t, &vdl_op_scale, 1, &x, &c);
}
