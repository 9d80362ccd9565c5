/*
 * outer.c: the rank-one product Y = u v^T, Y[i,j] = u_i v_j, with u and v
 * read as flat vectors of any shape; Y is len(u) x len(v).
 */
#include "op_util.h"
#include "vdl_ops.h"

static int infer(vdl_node *out)
{
    out->shape = vdl_shape2((int)out->in[0]->size, (int)out->in[1]->size);
    return VDL_OK;
}

static int forward(vdl_node *out)
{
    const vdl_real *u = out->in[0]->value, *v = out->in[1]->value;
    int rows = out->shape.dim[0], cols = out->shape.dim[1], i;
    VDL_OMP(omp parallel for if (out->size > VDL_PAR_MIN) schedule(static))
    for (i = 0; i < rows; i++) {
        vdl_real *restrict y = out->value + (size_t)i * cols;
        const vdl_real ui = u[i];
        int j;
        for (j = 0; j < cols; j++)
            y[j] = ui * v[j];
    }
    return VDL_OK;
}

/* du_i = sum_j G[i,j] v_j; dv_j = sum_i G[i,j] u_i (rows in order) */
static int backward(vdl_node *out)
{
    const vdl_real *u = out->in[0]->value, *v = out->in[1]->value, *g = out->grad;
    vdl_real *gu = out->in[0]->grad, *gv = out->in[1]->grad;
    int rows = out->shape.dim[0], cols = out->shape.dim[1], i;
    if (gu) {
        VDL_OMP(omp parallel for if (out->size > VDL_PAR_MIN) schedule(static))
        for (i = 0; i < rows; i++) {
            const vdl_real *gr = g + (size_t)i * cols;
            vdl_real s = 0;
            int j;
            for (j = 0; j < cols; j++)
                s += gr[j] * v[j];
            gu[i] += s;
        }
    }
    if (gv)
        for (i = 0; i < rows; i++) {
            const vdl_real *restrict gr = g + (size_t)i * cols;
            vdl_real *restrict dv = gv;
            const vdl_real ui = u[i];
            int j;
            for (j = 0; j < cols; j++)
                dv[j] += ui * gr[j];
        }
    return VDL_OK;
}

static int example(int index, vdl_example *ex)
{
    static const int dims[3][2] = {{1, 1}, {4, 3}, {2, 7}};
    if (index >= 3)
        return 0;
    vdl_example_input(ex, 0, vdl_shape1(dims[index][0]), VDL_FILL_NORMAL);
    vdl_example_input(ex, 1, index == 2 ? vdl_shape2(1, dims[index][1]) : vdl_shape1(dims[index][1]),
                      VDL_FILL_NORMAL);
    return 1;
}

const vdl_op vdl_op_outer = {"outer", "Y[i,j] = u_i v_j (u, v read as flat vectors)", 2, 0,
                             infer, forward, backward, example};

vdl_node *vdl_outer(vdl_tape *t, vdl_node *u, vdl_node *v)
{
    return vdl_apply2(t, &vdl_op_outer, u, v, NULL);
}
