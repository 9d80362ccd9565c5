/*
 * sum.c: the ops sum (y = sum_i x_i) and mean (y = sum_i x_i / n), both to
 * a scalar. They share this file's reduction; each has its own descriptor.
 */
#include "op_util.h"
#include "vdl_ops.h"

static int infer(vdl_node *out)
{
    out->shape = vdl_shape0();
    return VDL_OK;
}

/* The factor that multiplies the sum: 1 for sum, 1/n for mean. */
static double factor(const vdl_node *out)
{
    return out->op == &vdl_op_mean ? 1.0 / (double)out->in[0]->size : 1.0;
}

static int forward(vdl_node *out)
{
    out->value[0] = (vdl_real)(factor(out) * vdl_sum(out->in[0]->value, out->in[0]->size));
    return VDL_OK;
}

static int backward(vdl_node *out)
{
    vdl_real *restrict gx = out->in[0]->grad;
    const vdl_real g = (vdl_real)(out->grad[0] * factor(out));
    long i, n = (long)out->in[0]->size;
    VDL_OMP(omp parallel for if (n > VDL_PAR_MIN) schedule(static))
    for (i = 0; i < n; i++)
        gx[i] += g;
    return VDL_OK;
}

static int example(int index, vdl_example *ex) { return vdl_example_unary(index, ex, VDL_FILL_NORMAL); }

const vdl_op vdl_op_sum = {"sum", "y = sum_i x_i (a scalar)", 1, 0, infer, forward, backward, example};
const vdl_op vdl_op_mean = {"mean", "y = (1/n) sum_i x_i (a scalar)", 1, 0,
                            infer, forward, backward, example};

vdl_node *vdl_sum_all(vdl_tape *t, vdl_node *x) { return vdl_apply(t, &vdl_op_sum, 1, &x, NULL); }

vdl_node *vdl_mean(vdl_tape *t, vdl_node *x) { return vdl_apply(t, &vdl_op_mean, 1, &x, NULL); }
