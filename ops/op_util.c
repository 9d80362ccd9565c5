/*
 * op_util.c: shape checks with messages that name the op and the shapes.
 */
#include "op_util.h"

int vdl_require_same_shape(const vdl_node *out, int a, int b)
{
    char sa[64], sb[64];
    if (vdl_shape_equal(&out->in[a]->shape, &out->in[b]->shape))
        return VDL_OK;
    return vdl_set_error(VDL_EINVAL, "op '%s': input shapes %s and %s differ", out->op->name,
                         vdl_shape_str(&out->in[a]->shape, sa, sizeof sa),
                         vdl_shape_str(&out->in[b]->shape, sb, sizeof sb));
}

int vdl_require_rank(const vdl_node *out, int i, int ndim)
{
    char s[64];
    if (out->in[i]->shape.ndim == ndim)
        return VDL_OK;
    return vdl_set_error(VDL_EINVAL, "op '%s': input %d must have rank %d, has shape %s",
                         out->op->name, i + 1, ndim, vdl_shape_str(&out->in[i]->shape, s, sizeof s));
}

void vdl_example_input(vdl_example *ex, int i, vdl_shape s, int fill)
{
    ex->shape[i] = s;
    ex->fill[i] = fill;
}

int vdl_infer_same_shapes(vdl_node *out)
{
    int i;
    for (i = 1; i < out->n_in; i++)
        if (vdl_require_same_shape(out, 0, i))
            return VDL_EINVAL;
    out->shape = out->in[0]->shape;
    return VDL_OK;
}

void vdl_accumulate(vdl_real *dst, const vdl_real *src, size_t n)
{
    vdl_real *restrict d = dst;
    const vdl_real *restrict s = src;
    long i, len = (long)n;
    VDL_OMP(omp parallel for if (len > VDL_PAR_MIN) schedule(static))
    for (i = 0; i < len; i++)
        d[i] += s[i];
}

void vdl_accumulate_scaled(vdl_real *dst, vdl_real c, const vdl_real *src, size_t n)
{
    vdl_real *restrict d = dst;
    const vdl_real *restrict s = src;
    long i, len = (long)n;
    VDL_OMP(omp parallel for if (len > VDL_PAR_MIN) schedule(static))
    for (i = 0; i < len; i++)
        d[i] += c * s[i];
}

int vdl_example_unary(int index, vdl_example *ex, int fill)
{
    vdl_shape s = vdl_shape0();
    switch (index) {
    case 0: break;
    case 1: s = vdl_shape1(5); break;
    case 2: s = vdl_shape2(3, 4); break;
    case 3: s = vdl_shape2(2, 3); s.ndim = 3; s.dim[2] = 2; break;
    default: return 0;
    }
    vdl_example_input(ex, 0, s, fill);
    return 1;
}

int vdl_example_normal_pair(int index, vdl_example *ex)
{
    if (!vdl_example_unary(index, ex, VDL_FILL_NORMAL))
        return 0;
    vdl_example_input(ex, 1, ex->shape[0], VDL_FILL_NORMAL);
    return 1;
}
