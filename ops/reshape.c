/*
 * reshape.c: the same values under another shape. Attributes are the new
 * extents; the leading nonzero ones count (all zero: a scalar).
 */
#include "op_util.h"
#include "vdl_ops.h"

#include <math.h>
#include <string.h>

static int infer(vdl_node *out)
{
    vdl_shape s = vdl_shape0();
    char si[64], so[64];
    int i;
    for (i = 0; i < VDL_MAX_DIMS && out->attr[i] != 0; i++) {
        if (!(out->attr[i] >= 1 && out->attr[i] <= 2147483647.0 && out->attr[i] == floor(out->attr[i])))
            return vdl_set_error(VDL_EINVAL, "op 'reshape': extent %g is not a positive integer",
                                 out->attr[i]);
        s.dim[s.ndim++] = (int)out->attr[i];
    }
    if (vdl_shape_size(&s) != out->in[0]->size)
        return vdl_set_error(VDL_EINVAL, "op 'reshape': cannot view %s as %s",
                             vdl_shape_str(&out->in[0]->shape, si, sizeof si),
                             vdl_shape_str(&s, so, sizeof so));
    out->shape = s;
    return VDL_OK;
}

static int forward(vdl_node *out)
{
    memcpy(out->value, out->in[0]->value, out->size * sizeof *out->value);
    return VDL_OK;
}

static int backward(vdl_node *out)
{
    vdl_accumulate(out->in[0]->grad, out->grad, out->size);
    return VDL_OK;
}

static int example(int index, vdl_example *ex)
{
    if (!vdl_example_unary(index, ex, VDL_FILL_NORMAL))
        return 0;
    ex->attr[0] = (double)vdl_shape_size(&ex->shape[0]);
    ex->attr[1] = 1;
    return 1;
}

const vdl_op vdl_op_reshape = {"reshape", "y = x viewed with extents attr[0..3]", 1, VDL_MAX_DIMS,
                               infer, forward, backward, example};

vdl_node *vdl_reshape(vdl_tape *t, vdl_node *x, vdl_shape shape)
{
    double attr[VDL_MAX_DIMS] = {0};
    int i;
    for (i = 0; i < shape.ndim && i < VDL_MAX_DIMS; i++)
        attr[i] = shape.dim[i];
    return vdl_apply(t, &vdl_op_reshape, 1, &x, attr);
}
