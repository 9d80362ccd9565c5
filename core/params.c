/*
 * params.c: the contiguous parameter store (see vdl_params.h).
 */
#include "vdl_params.h"
#include "vdl_parallel.h"

#include <string.h>

void vdl_params_init(vdl_params *p) { memset(p, 0, sizeof *p); }

int vdl_params_find(const vdl_params *p, const char *name)
{
    int i;
    for (i = 0; i < p->count; i++)
        if (strcmp(p->info[i].name, name) == 0)
            return i;
    return -1;
}

int vdl_params_add(vdl_params *p, const char *name, vdl_shape shape)
{
    size_t n = vdl_shape_size(&shape), total;
    vdl_param_info *info;
    vdl_real *value, *grad;
    if (!name || !name[0] || strlen(name) > VDL_PARAM_NAME_MAX) {
        vdl_set_error(VDL_EINVAL, "parameter name must be 1-%d characters", VDL_PARAM_NAME_MAX);
        return -1;
    }
    if (!vdl_shape_valid(&shape)) {
        vdl_set_error(VDL_EINVAL, "parameter '%s': invalid shape", name);
        return -1;
    }
    if (vdl_params_find(p, name) >= 0) {
        vdl_set_error(VDL_EINVAL, "parameter '%s' already exists", name);
        return -1;
    }
    total = p->size + n;
    info = vdl_realloc(p->info, (size_t)(p->count + 1) * sizeof *info);
    if (!info)
        return -1;
    p->info = info;
    value = vdl_realloc(p->value, total * sizeof *value);
    if (!value)
        return -1;
    p->value = value;
    grad = vdl_realloc(p->grad, total * sizeof *grad);
    if (!grad)
        return -1;
    p->grad = grad;
    memset(value + p->size, 0, n * sizeof *value);
    memset(grad + p->size, 0, n * sizeof *grad);
    info += p->count;
    memset(info, 0, sizeof *info);
    strcpy(info->name, name);
    info->shape = shape;
    info->offset = p->size;
    info->size = n;
    info->lr_scale = 1;
    p->size = total;
    return p->count++;
}

vdl_real *vdl_params_value(const vdl_params *p, int i) { return p->value + p->info[i].offset; }

vdl_real *vdl_params_grad(const vdl_params *p, int i) { return p->grad + p->info[i].offset; }

vdl_node *vdl_param_node(vdl_tape *tape, const vdl_params *p, int i)
{
    return vdl_leaf(tape, p->info[i].shape, vdl_params_value(p, i), vdl_params_grad(p, i));
}

void vdl_params_zero_grad(vdl_params *p) { vdl_zero_reals(p->grad, p->size); }

int vdl_params_copy(vdl_params *dst, const vdl_params *src)
{
    int i;
    if (dst->count != src->count || dst->size != src->size)
        return vdl_set_error(VDL_EINVAL, "parameter sets differ in size");
    for (i = 0; i < src->count; i++)
        if (strcmp(dst->info[i].name, src->info[i].name) != 0 ||
            !vdl_shape_equal(&dst->info[i].shape, &src->info[i].shape))
            return vdl_set_error(VDL_EINVAL, "parameter '%s' differs in name or shape",
                                 src->info[i].name);
    if (src->size)
        memcpy(dst->value, src->value, src->size * sizeof *src->value);
    return VDL_OK;
}

/* 1 if x[0..n) are all finite: x - x is 0 exactly for finite x (NaN for
 * NaN and Inf). No early exit, so the loop vectorizes. */
static int all_finite(const vdl_real *x, size_t n)
{
    int bad = 0;
    long j, len = (long)n;
    VDL_OMP(omp parallel for if (len > VDL_PAR_MIN) schedule(static) reduction(| : bad))
    for (j = 0; j < len; j++)
        bad |= !(x[j] - x[j] == 0);
    return !bad;
}

int vdl_params_nonfinite(const vdl_params *p, int grads)
{
    int i;
    /* the tensors lie end to end: one pass over all (every step, for the
     * gradients), and only if it finds one, the tensor that holds it */
    if (all_finite(grads ? p->grad : p->value, p->size))
        return -1;
    for (i = 0; i < p->count; i++)
        if (!all_finite(grads ? vdl_params_grad(p, i) : vdl_params_value(p, i), p->info[i].size))
            return i;
    return -1;
}

void vdl_params_free(vdl_params *p)
{
    vdl_free(p->info);
    vdl_free(p->value);
    vdl_free(p->grad);
    vdl_params_init(p);
}
