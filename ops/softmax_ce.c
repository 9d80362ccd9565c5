/*
 * softmax_ce.c: fused softmax and cross-entropy with integer labels,
 * y = (1/B) sum_r [ logsumexp(x[r,:]) - x[r, label_r] ], stable for any
 * finite logits (the row maximum is subtracted before exp).
 */
#include "op_util.h"
#include "vdl_ops.h"

#include <math.h>

static int infer(vdl_node *out)
{
    const vdl_node *x = out->in[0], *lab = out->in[1];
    int rows, cols, r;
    if (vdl_require_rank(out, 0, 2) || vdl_require_rank(out, 1, 1))
        return VDL_EINVAL;
    rows = x->shape.dim[0];
    cols = x->shape.dim[1];
    if (lab->shape.dim[0] != rows)
        return vdl_set_error(VDL_EINVAL, "op 'softmax_ce': %d labels for %d rows of logits",
                             lab->shape.dim[0], rows);
    for (r = 0; r < rows; r++) {
        double y = lab->value[r];
        if (!(y >= 0 && y < cols && y == floor(y)))
            return vdl_set_error(VDL_EINVAL, "op 'softmax_ce': label %d is %g, not a class in 0..%d",
                                 r, y, cols - 1);
    }
    out->shape = vdl_shape0();
    return VDL_OK;
}

/* Per-row softmax probabilities (kept for backward) and losses. */
static int forward(vdl_node *out)
{
    const vdl_real *x = out->in[0]->value, *lab = out->in[1]->value;
    int rows = out->in[0]->shape.dim[0], cols = out->in[0]->shape.dim[1], r;
    vdl_real *prob = vdl_tape_alloc(out->tape, (size_t)rows * cols * sizeof *prob);
    vdl_real *loss = vdl_tape_alloc(out->tape, (size_t)rows * sizeof *loss);
    if (!prob || !loss)
        return VDL_ENOMEM;
    out->saved = prob;
    /* libm's exp and log make each value cost as much as dozens of
     * additions, so rows are shared from 1/16 of VDL_PAR_MIN values on
     * (a batch of 256 with 10 classes) */
    VDL_OMP(omp parallel for if ((size_t)rows * cols > VDL_PAR_MIN / 16) schedule(static))
    for (r = 0; r < rows; r++) {
        const vdl_real *xr = x + (size_t)r * cols;
        vdl_real *pr = prob + (size_t)r * cols;
        double max = xr[0], z = 0;
        int c;
        for (c = 1; c < cols; c++)
            if (xr[c] > max)
                max = xr[c];
        for (c = 0; c < cols; c++) {
            double e = exp(xr[c] - max);
            pr[c] = (vdl_real)e;
            z += e;
        }
        for (c = 0; c < cols; c++)
            pr[c] = (vdl_real)(pr[c] / z);
        loss[r] = (vdl_real)(log(z) - (xr[(int)lab[r]] - max));
    }
    out->value[0] = (vdl_real)(vdl_sum(loss, (size_t)rows) / rows);
    return VDL_OK;
}

static int backward(vdl_node *out) /* dy/dx[r,c] = (p[r,c] - [c == label_r]) / B */
{
    const vdl_real *prob = out->saved, *lab = out->in[1]->value;
    vdl_real *gx = out->in[0]->grad;
    int rows = out->in[0]->shape.dim[0], cols = out->in[0]->shape.dim[1], r;
    const vdl_real g = (vdl_real)(out->grad[0] / rows);
    if (!gx)
        return VDL_OK;
    VDL_OMP(omp parallel for if ((size_t)rows * cols > VDL_PAR_MIN) schedule(static))
    for (r = 0; r < rows; r++) {
        int c;
        for (c = 0; c < cols; c++)
            gx[(size_t)r * cols + c] += g * prob[(size_t)r * cols + c];
        gx[(size_t)r * cols + (int)lab[r]] -= g;
    }
    return VDL_OK;
}

static int example(int index, vdl_example *ex)
{
    static const int dims[3][2] = {{1, 2}, {4, 3}, {6, 10}};
    if (index >= 3)
        return 0;
    vdl_example_input(ex, 0, vdl_shape2(dims[index][0], dims[index][1]), VDL_FILL_NORMAL);
    vdl_example_input(ex, 1, vdl_shape1(dims[index][0]), VDL_FILL_LABELS);
    ex->classes[1] = dims[index][1];
    return 1;
}

const vdl_op vdl_op_softmax_ce = {"softmax_ce",
                                  "y = mean_r [logsumexp(x[r,:]) - x[r,label_r]]; labels not differentiated",
                                  2, 0, infer, forward, backward, example};

vdl_node *vdl_softmax_ce(vdl_tape *t, vdl_node *logits, vdl_node *labels)
{
    return vdl_apply2(t, &vdl_op_softmax_ce, logits, labels, NULL);
}
