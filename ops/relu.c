/*
 * relu.c: y = max(0, x); the derivative at 0 is taken as 0.
 */
#include "op_util.h"
#include "vdl_ops.h"

static int forward(vdl_node *out)
{
    const vdl_real *restrict x = out->in[0]->value;
    vdl_real *restrict y = out->value;
    long i, n = (long)out->size;
    VDL_OMP(omp parallel for if (n > VDL_PAR_MIN) schedule(static))
    for (i = 0; i < n; i++)
        y[i] = x[i] > 0 ? x[i] : 0;
    return VDL_OK;
}

static int backward(vdl_node *out)
{
    const vdl_real *restrict x = out->in[0]->value, *restrict g = out->grad;
    vdl_real *restrict gx = out->in[0]->grad;
    long i, n = (long)out->size;
    VDL_OMP(omp parallel for if (n > VDL_PAR_MIN) schedule(static))
    for (i = 0; i < n; i++)
        gx[i] += x[i] > 0 ? g[i] : 0;
    return VDL_OK;
}

static int example(int index, vdl_example *ex)
{
    return vdl_example_unary(index, ex, VDL_FILL_AWAY_FROM_ZERO);
}

const vdl_op vdl_op_relu = {"relu", "y = max(0, x)", 1, 0,
                            vdl_infer_same_shapes, forward, backward, example};

vdl_node *vdl_relu(vdl_tape *t, vdl_node *x) { return vdl_apply(t, &vdl_op_relu, 1, &x, NULL); }
