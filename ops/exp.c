/*
 * exp.c: y = exp(x).
 */
#include "op_util.h"
#include "vdl_ops.h"

#include "vdl_math.h"

static int forward(vdl_node *out)
{
    const vdl_real *restrict x = out->in[0]->value;
    vdl_real *restrict y = out->value;
    long i, n = (long)out->size;
    VDL_OMP(omp parallel for if (n > VDL_PAR_MIN) schedule(static))
    for (i = 0; i < n; i++)
        y[i] = vdl_exp_real(x[i]);
    return VDL_OK;
}

static int backward(vdl_node *out) /* dy/dx = y */
{
    const vdl_real *restrict y = out->value, *restrict g = out->grad;
    vdl_real *restrict gx = out->in[0]->grad;
    long i, n = (long)out->size;
    VDL_OMP(omp parallel for if (n > VDL_PAR_MIN) schedule(static))
    for (i = 0; i < n; i++)
        gx[i] += g[i] * y[i];
    return VDL_OK;
}

static int example(int index, vdl_example *ex) { return vdl_example_unary(index, ex, VDL_FILL_NORMAL); }

const vdl_op vdl_op_exp = {"exp", "y = exp(x)", 1, 0, vdl_infer_same_shapes, forward, backward, example};

vdl_node *vdl_exp(vdl_tape *t, vdl_node *x) { return vdl_apply(t, &vdl_op_exp, 1, &x, NULL); }
