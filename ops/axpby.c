/*
 * axpby.c: y = a x + b z for constants a, b (attributes 0 and 1), elementwise.
 * One node instead of scale, scale and add: the linear hypernet builds every
 * classifier tensor this way, K times per step.
 */
#include "op_util.h"
#include "vdl_ops.h"

static int forward(vdl_node *out)
{
    const vdl_real *restrict x = out->in[0]->value, *restrict z = out->in[1]->value;
    const vdl_real a = (vdl_real)out->attr[0], b = (vdl_real)out->attr[1];
    vdl_real *restrict y = out->value;
    long i, n = (long)out->size;
    VDL_OMP(omp parallel for if (n > VDL_PAR_MIN) schedule(static))
    for (i = 0; i < n; i++)
        y[i] = a * x[i] + b * z[i];
    return VDL_OK;
}

/* dy/dx = a, dy/dz = b; both in one pass when both inputs take gradients
 * (the linear hypernet's B2 and B3). */
static int backward(vdl_node *out)
{
    vdl_real *gx = out->in[0]->grad, *gz = out->in[1]->grad;
    const vdl_real *g = out->grad;
    const vdl_real a = (vdl_real)out->attr[0], b = (vdl_real)out->attr[1];
    long i, n = (long)out->size;
    if (gx && gz) {
        VDL_OMP(omp parallel for if (n > VDL_PAR_MIN) schedule(static))
        for (i = 0; i < n; i++) {
            gx[i] += a * g[i];
            gz[i] += b * g[i];
        }
        return VDL_OK;
    }
    if (gx)
        vdl_accumulate_scaled(gx, a, g, out->size);
    if (gz)
        vdl_accumulate_scaled(gz, b, g, out->size);
    return VDL_OK;
}

static int example(int index, vdl_example *ex)
{
    ex->attr[0] = index == 1 ? -1.5 : 0.3;
    ex->attr[1] = index == 1 ? 2.0 : 0.7;
    return vdl_example_normal_pair(index, ex);
}

const vdl_op vdl_op_axpby = {"axpby", "y = a x + b z; attrs: a, b", 2, 2,
                             vdl_infer_same_shapes, forward, backward, example};

vdl_node *vdl_axpby(vdl_tape *t, double a, vdl_node *x, double b, vdl_node *z)
{
    double attr[2];
    attr[0] = a;
    attr[1] = b;
    return vdl_apply2(t, &vdl_op_axpby, x, z, attr);
}
